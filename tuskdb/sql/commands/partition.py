"""Declarative partitioning DDL (PostgreSQL's partbounds.c / tablecmds.c parts).

    CREATE TABLE p (...) PARTITION BY RANGE|LIST|HASH (key)
      transform_partspec()          key columns/expressions, operator classes
      store_partition_key()         pg_partitioned_table row, relkind 'p' (no storage)
    CREATE TABLE c PARTITION OF p FOR VALUES ...  /  ALTER TABLE p ATTACH PARTITION c ...
      transform_bound()             FOR VALUES ... → bound dict (datums coerced to the
                                    key types and kept as their text)
      check_new_partition()         overlap with the siblings (PostgreSQL's messages)
      check_default_partition()     rows of the default partition that would now
                                    belong to the new one
    ALTER TABLE p DETACH PARTITION c

Bounds are stored in pg_class.relpartbound as JSON (catalog/partition.py) and
deparsed by pg_get_expr (deparse_bound).  Routing and the partition constraint
live in sql/execute/partition.py.
"""

from __future__ import annotations

import json
from typing import Any

from tuskdb import types
from tuskdb.catalog.partition import (BTREE_OPCLASS, HASH_OPCLASS, bound_json, parse_bound)
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.errors import FEATURE_NOT_SUPPORTED, PgError
from tuskdb.sql.deparse import quote_literal

INVALID_OBJECT_DEFINITION = "42P17"
INVALID_TABLE_DEFINITION = "42P16"
UNDEFINED_COLUMN = "42703"
STRATEGIES = {"PARTITION_STRATEGY_RANGE": "r", "PARTITION_STRATEGY_LIST": "l",
              "PARTITION_STRATEGY_HASH": "h"}
STRATEGY_NAMES = {"r": "range", "l": "list", "h": "hash"}


# -- the partition key ----------------------------------------------------------------------


def transform_partspec(s: Any, state: Any, spec: dict, cols: list[Any]) -> dict:
    """PARTITION BY ... → {strategy, attnums, exprs, opclasses, collations}."""
    strategy = STRATEGIES[spec["strategy"]]
    params = [p["PartitionElem"] for p in spec.get("partParams") or []]
    if strategy == "l" and len(params) > 1:
        raise PgError(INVALID_OBJECT_DEFINITION, 'cannot use "list" partition strategy with '
                      "more than one column")
    attnums, exprs, opclasses, collations = [], [], [], []
    for p in params:
        expr = p.get("expr")
        if expr is not None and "ColumnRef" in expr and \
                len(expr["ColumnRef"]["fields"]) == 1 and \
                "String" in expr["ColumnRef"]["fields"][0]:
            p = dict(p, name=expr["ColumnRef"]["fields"][0]["String"]["sval"])
            expr = None
        if expr is None:
            name = p["name"]
            idx = next((i for i, c in enumerate(cols) if c.name == name), None)
            if idx is None and name in ("ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"):
                raise PgError(INVALID_OBJECT_DEFINITION, f'cannot use system column "{name}" in '
                              f"partition key", position=state.pos(p.get("location")))
            if idx is None:
                raise PgError(UNDEFINED_COLUMN, f'column "{name}" named in partition key does '
                              f"not exist", position=state.pos(p.get("location")))
            t = cols[idx].type_oid
            attnums.append(idx + 1)
        else:
            t = _expr_type(state, expr, cols)
            attnums.append(0)
            exprs.append(expr)
        if t in (2249, 705) or (types.TYPES.get(t) is not None and
                                types.TYPES[t].typtype == "p"):
            raise PgError(INVALID_TABLE_DEFINITION, f"partition key column {len(attnums)} has "
                          f"pseudo-type {types.registry.format_type(t, None)}")
        opc = _opclass(state, strategy, t, p)
        opclasses.append(opc)
        tt = types.TYPES.get(t)
        collations.append(100 if tt is not None and tt.category == "S" else 0)
    return {"strategy": strategy, "attnums": attnums, "exprs": exprs, "opclasses": opclasses,
            "collations": collations}


def _expr_type(state: Any, expr: dict, cols: list[Any]) -> int:
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import RangeEntry, Scope
    from tuskdb.sql.expr import Func, Var, walk
    if '"SubLink"' in json.dumps(expr):
        raise PgError(FEATURE_NOT_SUPPORTED, "cannot use subquery in partition key expression")
    scope = Scope()
    scope.add(RangeEntry(state.next_rt(), None, [c.name for c in cols],
                         [(c.type_oid, c.typmod) for c in cols]))
    saved, saved_vol = state.lift, state.has_volatile
    state.lift = None
    state.has_volatile = False
    try:
        e = transform(expr, ExprContext(state, scope, "partition key expressions", None))
        volatile = state.has_volatile
    except PgError as err:
        err.position = None      # PostgreSQL reports these without a position
        raise
    finally:
        state.lift = saved
        state.has_volatile = saved_vol
    nodes = list(walk(e))
    if not any(isinstance(x, Var) for x in nodes):
        raise PgError(INVALID_OBJECT_DEFINITION, "cannot use constant expression as partition "
                      "key")
    if any(isinstance(x, Func) and x.volatile for x in nodes) or volatile:
        raise PgError(INVALID_OBJECT_DEFINITION, "functions in partition key expression must "
                      "be marked IMMUTABLE")
    return e.type_oid


def _opclass(state: Any, strategy: str, type_oid: int, p: dict) -> int:
    am = "hash" if strategy == "h" else "btree"
    table = HASH_OPCLASS if strategy == "h" else BTREE_OPCLASS
    if p.get("opclass"):
        name = p["opclass"][-1]["String"]["sval"]
        cat = state.catalog
        k = COLUMN_POS["pg_opclass"]
        for _, r in cat.find("pg_opclass", opcname=name):
            if r[k["opcmethod"]] != (405 if am == "hash" else 403):
                continue
            if r[k["opcintype"]] != type_oid:
                raise PgError("42804", f'operator class "{name}" does not accept data type '
                              f"{types.registry.format_type(type_oid, None)}")
            return r[k["oid"]]
        opc = table.get(type_oid)
        default_name = _OPCLASS_NAMES.get(opc)
        if opc is not None and default_name == name:
            return opc
        extra = _OTHER_OPCLASSES.get((am, name))
        if extra is not None and (extra[1] == type_oid or
                                  (extra[1] == 25 and type_oid in (25, 1043))):
            # under the C collation these order (and hash) like the defaults
            return extra[0]
        raise PgError("42704", f'operator class "{name}" does not exist for access method '
                      f'"{am}"')
    opc = table.get(type_oid)
    if opc is None:
        opc = _generic_opclass(type_oid, strategy == "h")
    if opc is None:
        raise PgError("42704", f"data type {types.registry.format_type(type_oid, None)} has no "
                      f'default operator class for access method "{am}"',
                      hint=f"You must specify a {am} operator class or define a default {am} "
                           f"operator class for the data type.")
    return opc


# non-default operator classes of built-in types: (am, name) -> (oid, input type)
_OTHER_OPCLASSES = {("btree", "bpchar_pattern_ops"): (4219, 1042),
                    ("btree", "text_pattern_ops"): (4217, 25),
                    ("btree", "varchar_ops"): (10044, 25),
                    ("btree", "varchar_pattern_ops"): (4218, 25),
                    ("hash", "bpchar_pattern_ops"): (10058, 1042),
                    ("hash", "text_pattern_ops"): (10056, 25),
                    ("hash", "varchar_ops"): (10045, 25),
                    ("hash", "varchar_pattern_ops"): (10057, 25)}

def _generic_opclass(type_oid: int, hash_am: bool) -> int | None:
    """array_ops, enum_ops, range_ops, record_ops for the families of types."""
    t = types.TYPES.get(type_oid)
    if t is None:
        return None
    if t.category == "A" and t.elem_oid:
        return 10001 if hash_am else 10000
    kind = t.typtype
    if kind == "e":
        return 10070 if hash_am else 10069
    if kind == "r":
        return 10077 if hash_am else 10076
    if kind == "c":
        return 10035 if hash_am else 10034
    return None


_OPCLASS_NAMES = {10003: "bool_ops", 10006: "bytea_ops", 10007: "char_ops", 10028: "name_ops",
                  3124: "int8_ops", 1979: "int2_ops", 1978: "int4_ops", 3126: "text_ops",
                  1981: "oid_ops", 10012: "float4_ops", 3123: "float8_ops", 10004: "bpchar_ops",
                  3122: "date_ops", 10038: "time_ops", 3128: "timestamp_ops",
                  3127: "timestamptz_ops", 10022: "interval_ops", 3125: "numeric_ops",
                  10065: "uuid_ops", 10048: "bool_ops", 10021: "int8_ops", 10019: "int2_ops",
                  10020: "int4_ops", 10037: "text_ops", 10014: "float8_ops", 10030: "numeric_ops",
                  10011: "date_ops", 10046: "timestamp_ops", 10005: "bpchar_ops",
                  10013: "float4_ops", 10049: "bytea_ops", 10066: "uuid_ops",
                  10040: "timestamptz_ops", 10023: "interval_ops"}


def store_partition_key(cat: Any, reloid: int, key: dict) -> None:
    from tuskdb.types import Array
    cat.insert("pg_partitioned_table", make_row(
        "pg_partitioned_table", partrelid=reloid, partstrat=key["strategy"],
        partnatts=len(key["attnums"]), partdefid=0,
        partattrs=Array(tuple(key["attnums"]), lower=0),
        partclass=Array(tuple(key["opclasses"]), lower=0),
        partcollation=Array(tuple(key["collations"]), lower=0),
        partexprs=json.dumps(key["exprs"]) if key["exprs"] else None))


def key_columns(rel: Any) -> list[tuple[str | None, int, int]]:
    """(column name or None for an expression, type oid, typmod) per key column."""
    key = rel.partkey
    out = []
    for a in key.attnums:
        if a:
            c = rel.columns[a - 1]
            out.append((c.name, c.type_oid, c.typmod))
        else:
            out.append((None, 0, -1))
    return out


def key_exprs(state: Any, rel: Any, rt: int) -> list[Any]:
    """The key as analyzed expressions over ``rel``'s row (range-table index ``rt``)."""
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import RangeEntry, Scope
    from tuskdb.sql.expr import Var
    key = rel.partkey
    out = []
    exprs = iter(key.exprs)
    scope = None
    for a in key.attnums:
        if a:
            c = rel.columns[a - 1]
            out.append(Var(rt, a - 1, c.type_oid, c.typmod, c.name))
        else:
            if scope is None:
                scope = Scope()
                scope.add(RangeEntry(rt, rel.name, [c.name for c in rel.columns],
                                     [(c.type_oid, c.typmod) for c in rel.columns], rel=rel))
            saved = state.lift
            state.lift = None
            try:
                out.append(transform(next(exprs), ExprContext(state, scope,
                                                              "partition key expressions",
                                                              None)))
            finally:
                state.lift = saved
    return out


# -- bounds ---------------------------------------------------------------------------------


def transform_bound(s: Any, state: Any, parent: Any, raw: dict, key_types: list[tuple]
                    ) -> dict:
    """FOR VALUES ... of a new partition of ``parent`` as a bound dict.

    ``key_types``: (name, type oid, typmod) per key column."""
    strategy = parent.partkey.strategy
    loc = state.pos(raw.get("location"))
    if raw.get("is_default"):
        if strategy == "h":
            raise PgError(INVALID_TABLE_DEFINITION, "a hash-partitioned table may not have a "
                          "default partition")
        return {"strategy": None, "is_default": True}
    given = raw.get("strategy")
    if given != strategy:
        raise PgError(INVALID_TABLE_DEFINITION, f"invalid bound specification for a "
                      f"{STRATEGY_NAMES[strategy]} partition", position=loc)
    if strategy == "h":
        modulus = raw.get("modulus", 0)
        remainder = raw.get("remainder", 0)
        if modulus <= 0:
            raise PgError(INVALID_TABLE_DEFINITION, "modulus for hash partition must be an "
                          "integer value greater than zero")
        if remainder < 0:
            raise PgError(INVALID_TABLE_DEFINITION, "remainder for hash partition must be an "
                          "integer value greater than or equal to zero")
        if remainder >= modulus:
            raise PgError(INVALID_TABLE_DEFINITION, "remainder for hash partition must be less "
                          "than modulus")
        return {"strategy": "h", "is_default": False, "modulus": modulus,
                "remainder": remainder}
    if strategy == "l":
        name, t, m = key_types[0]
        values: list[str | None] = []
        for d in raw.get("listdatums") or []:
            v = _bound_value(s, state, d, name, t, m, parent)
            if v not in values:
                values.append(v)
        return {"strategy": "l", "is_default": False, "values": values}
    for side, what in (("lowerdatums", "FROM"), ("upperdatums", "TO")):
        if len(raw.get(side) or []) != len(key_types):
            raise PgError(INVALID_TABLE_DEFINITION, f"{what} must specify exactly one value "
                          f"per partitioning column")
    lower = _range_datums(s, state, raw.get("lowerdatums") or [], key_types, "FROM", parent)
    upper = _range_datums(s, state, raw.get("upperdatums") or [], key_types, "TO", parent)
    return {"strategy": "r", "is_default": False, "lower": lower, "upper": upper}


def _range_datums(s: Any, state: Any, datums: list, key_types: list, what: str,
                  parent: Any) -> list:
    if len(datums) != len(key_types):
        raise PgError(INVALID_TABLE_DEFINITION, f"{what} must specify exactly one value per "
                      f"partitioning column")
    out: list = []
    for d, (name, t, m) in zip(datums, key_types):
        kind = _min_max(d)
        if kind is not None:
            out.append([kind])
            continue
        if "A_Const" in d and d["A_Const"].get("isnull"):
            raise PgError(INVALID_TABLE_DEFINITION, "cannot specify NULL in range bound")
        out.append(["v", _bound_value(s, state, d, name, t, m, parent)])
    # after MINVALUE (MAXVALUE) every later datum must be MINVALUE (MAXVALUE) too
    for i, d in enumerate(out):
        if d[0] != "v":
            for j in range(i + 1, len(out)):
                if out[j][0] != d[0]:
                    word = "MAXVALUE" if d[0] == "max" else "MINVALUE"
                    raise PgError(INVALID_OBJECT_DEFINITION, f"every bound following {word} "
                                  f"must also be {word}",
                                  position=state.pos(_loc(datums[j])))
            break
    return out


def _loc(node: dict) -> int | None:
    for v in node.values():
        if isinstance(v, dict) and "location" in v:
            return v["location"]
    return None


def _first_node(node: Any, kinds: tuple) -> tuple[str, dict] | None:
    """The first node of one of ``kinds`` in a raw tree, in document order."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in kinds and isinstance(v, dict):
                return k, v
            found = _first_node(v, kinds)
            if found is not None:
                return found
    elif isinstance(node, list):
        for v in node:
            found = _first_node(v, kinds)
            if found is not None:
                return found
    return None


def _min_max(d: dict) -> str | None:
    if "ColumnRef" in d:
        f = d["ColumnRef"]["fields"]
        if len(f) == 1 and "String" in f[0]:
            n = f[0]["String"]["sval"].lower()
            if n == "minvalue":
                return "min"
            if n == "maxvalue":
                return "max"
    return None


def _bound_value(s: Any, state: Any, d: dict, colname: str | None, t: int, m: int,
                 parent: Any) -> str | None:
    """A bound datum: analyzed, coerced to the key type, evaluated; its text."""
    from tuskdb.sql.analyze.coerce import can_coerce, coerce_to
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import Scope
    from tuskdb.sql.expr import Const, compile_expr, contains, Var
    bad = _first_node(d, ("ColumnRef", "SubLink"))
    if bad is not None:
        kind, node = bad
        if kind == "ColumnRef":
            raise PgError("42P10", "cannot use column reference in partition bound expression",
                          position=state.pos(node.get("location")))
        raise PgError(FEATURE_NOT_SUPPORTED, "cannot use subquery in partition bound",
                      position=state.pos(node.get("location")))
    saved = state.lift
    state.lift = None
    try:
        e = transform(d, ExprContext(state, Scope(), "partition bound", None))
    finally:
        state.lift = saved
    if contains(e, Var):
        raise PgError("42P10", "cannot use column reference in partition bound expression")
    if e.type_oid != t:
        if e.type_oid != 705 and not can_coerce(e.type_oid, t, "a"):
            col = colname if colname is not None else "(expression)"
            raise PgError("42804", f"specified value cannot be cast to type "
                          f"{types.registry.format_type(t, None)} for column \"{col}\"",
                          position=state.pos(_loc(d) if "location" not in d
                                             else d.get("location")))
    e = coerce_to(e, t, m, "a", ctx=s.type_context)
    if isinstance(e, Const):
        v = e.value
    else:
        from tuskdb.engine.context import ExecContext   # noqa: the executor evaluates it
        ctx = ExecContext(s, s.txn, None)
        v = compile_expr(e, {})((), ctx)
    if v is None:
        return None
    return types.TYPES[t].output(v, types.DEFAULT_CONTEXT)


def bound_values(bound: dict, key_types: list[tuple]) -> dict:
    """The bound with its datums as internal values of the key types."""
    def val(text: str | None, t: int) -> Any:
        if text is None:
            return None
        return types.TYPES[t].input(text, -1, types.DEFAULT_CONTEXT)
    out = dict(bound)
    if bound.get("strategy") == "l":
        t = key_types[0][1]
        out["values"] = [val(x, t) for x in bound["values"]]
    elif bound.get("strategy") == "r":
        for side in ("lower", "upper"):
            out[side] = [d if d[0] != "v" else ["v", val(d[1], kt[1])]
                         for d, kt in zip(bound[side], key_types)]
    return out


# -- deparsing (pg_get_expr of relpartbound) ---------------------------------------------


def deparse_bound(bound: dict, key_types: list[tuple], tctx: Any) -> str:
    if bound.get("is_default"):
        return "DEFAULT"
    st = bound["strategy"]
    if st == "h":
        return f"FOR VALUES WITH (modulus {bound['modulus']}, remainder {bound['remainder']})"
    if st == "l":
        t = key_types[0][1] if key_types else 25
        return "FOR VALUES IN (" + ", ".join(datum_sql(v, t, tctx) for v in bound["values"]) \
            + ")"

    def side(ds: list) -> str:
        parts = []
        for d, kt in zip(ds, key_types):
            if d[0] == "min":
                parts.append("MINVALUE")
            elif d[0] == "max":
                parts.append("MAXVALUE")
            else:
                parts.append(datum_sql(d[1], kt[1], tctx))
        return "(" + ", ".join(parts) + ")"
    return f"FOR VALUES FROM {side(bound['lower'])} TO {side(bound['upper'])}"


def datum_sql(text: str | None, t: int, tctx: Any) -> str:
    """A bound datum as PostgreSQL's get_const_expr prints it without a cast."""
    if text is None:
        return "NULL"
    if tctx is not None and t in (1184, 1266):
        # session-dependent output (TimeZone)
        text = types.TYPES[t].output(types.TYPES[t].input(text, -1, types.DEFAULT_CONTEXT),
                                     tctx)
    elif tctx is not None and t in (1082, 1114, 1186):
        text = types.TYPES[t].output(types.TYPES[t].input(text, -1, types.DEFAULT_CONTEXT),
                                     tctx)
    if t == 23:
        return text if not text.startswith("-") else quote_literal(text)
    if t == 1700:
        if text[:1].isdigit() and all(ch.isdigit() or ch == "." for ch in text):
            return text
        return quote_literal(text)
    if t == 16:
        return "true" if text in ("t", "true") else "false"
    return quote_literal(text)


def key_types_of(s: Any, rel: Any) -> list[tuple]:
    """(name, type, typmod) of each key column of partitioned ``rel``."""
    kc = key_columns(rel)
    if all(name is not None for name, _, _ in kc):
        return kc
    from tuskdb.sql.analyze.state import AnalyzeState
    state = AnalyzeState(s.catalog(), s, [], None, "")
    exprs = key_exprs(state, rel, 1)
    return [(name, e.type_oid, e.typmod) if name is None else (name, t, m)
            for (name, t, m), e in zip(kc, exprs)]


def sibling_bounds(cat: Any, parent: Any, exclude: int = 0) -> list[tuple[Any, dict]]:
    out = []
    for oid in parent.children:
        if oid == exclude:
            continue
        child = cat.relation_by_oid(oid)
        if child is None:
            continue
        b = parse_bound(child.partbound)
        if b is not None:
            out.append((child, b))
    return out


def check_new_partition(s: Any, state: Any, cat: Any, parent: Any, name: str, bound: dict,
                        key_types: list[tuple], raw: dict) -> None:
    """PostgreSQL's check_new_partition_bound: no overlap with the siblings."""
    from tuskdb.sql.execute.partition import cmp_range_bound, enc
    sibs = sibling_bounds(cat, parent)
    loc = state.pos(raw.get("location"))
    if bound.get("is_default"):
        for child, b in sibs:
            if b.get("is_default"):
                raise PgError(INVALID_OBJECT_DEFINITION, f'partition "{name}" conflicts with '
                              f'existing default partition "{child.name}"', position=loc)
        return
    st = bound["strategy"]
    if st == "h":
        mod, rem = bound["modulus"], bound["remainder"]
        hs = [(c, b) for c, b in sibs if b.get("strategy") == "h"]
        if hs:
            # every modulus must be a factor of the next larger one
            # PostgreSQL compares with its neighbours in (modulus, remainder) order
            smaller = [(c, b) for c, b in hs if (b["modulus"], b["remainder"]) <= (mod, rem)]
            larger = [(c, b) for c, b in hs if (b["modulus"], b["remainder"]) > (mod, rem)]
            if smaller:
                c, b = max(smaller, key=lambda x: (x[1]["modulus"], x[1]["remainder"]))
                if mod % b["modulus"] != 0:
                    raise PgError(INVALID_OBJECT_DEFINITION, "every hash partition modulus must "
                                  "be a factor of the next larger modulus",
                                  detail=f"The new modulus {mod} is not divisible by "
                                         f"{b['modulus']}, the modulus of existing partition "
                                         f'"{c.name}".')
            if larger:
                c, b = min(larger, key=lambda x: (x[1]["modulus"], x[1]["remainder"]))
                if b["modulus"] % mod != 0:
                    raise PgError(INVALID_OBJECT_DEFINITION, "every hash partition modulus must "
                                  "be a factor of the next larger modulus",
                                  detail=f"The new modulus {mod} is not a factor of "
                                         f"{b['modulus']}, the modulus of existing partition "
                                         f'"{c.name}".')
            for c, b in hs:
                g = max(mod, b["modulus"])
                if any((rem + k * mod) % b["modulus"] == b["remainder"]
                       for k in range(g // mod)):
                    raise PgError(INVALID_OBJECT_DEFINITION, f'partition "{name}" would overlap '
                                  f'partition "{c.name}"', position=loc)
        return
    types_ = [kt[1] for kt in key_types]
    if st == "l":
        mine = bound_values(bound, key_types)["values"]
        t = types_[0]
        for c, b in sibs:
            if b.get("strategy") != "l":
                continue
            theirs = {None if v is None else enc(v, t)
                      for v in bound_values(b, key_types)["values"]}
            for i, v in enumerate(mine):
                if (None if v is None else enc(v, t)) in theirs:
                    d = (raw.get("listdatums") or [])
                    pos = state.pos(_loc(d[i]) if i < len(d) and "location" not in d[i]
                                    else d[i].get("location")) if i < len(d) else loc
                    raise PgError(INVALID_OBJECT_DEFINITION, f'partition "{name}" would overlap '
                                  f'partition "{c.name}"', position=pos)
        return
    bv = bound_values(bound, key_types)
    lower, upper = bv["lower"], bv["upper"]
    c = cmp_range_bound(lower, upper, types_, True, False)
    if c >= 0:
        def txt(ds: list) -> str:
            parts = []
            for d, kt in zip(ds, key_types):
                parts.append("MINVALUE" if d[0] == "min" else "MAXVALUE" if d[0] == "max"
                             else datum_sql(types.TYPES[kt[1]].output(d[1],
                                                                      types.DEFAULT_CONTEXT),
                                            kt[1], None))
            return "(" + ", ".join(parts) + ")"
        lo_loc = (raw.get("lowerdatums") or [{}])[abs(c) - 1]
        raise PgError(INVALID_OBJECT_DEFINITION, f'empty range bound specified for partition '
                      f'"{name}"',
                      detail=f"Specified lower bound {txt(lower)} is greater than or equal to "
                             f"upper bound {txt(upper)}.",
                      position=state.pos(_loc(lo_loc) if "location" not in lo_loc
                                         else lo_loc.get("location")))
    for c, b in sibs:
        if b.get("strategy") != "r":
            continue
        ob = bound_values(b, key_types)
        if cmp_range_bound(lower, ob["upper"], types_, True, False) < 0 and \
                cmp_range_bound(ob["lower"], upper, types_, True, False) < 0:
            # PostgreSQL points at the new lower bound, or at the upper one when the
            # new partition starts before the one it overlaps
            datums = raw.get("lowerdatums") or [{}]
            k = cmp_range_bound(ob["lower"], lower, types_, True, True)
            if k > 0:
                datums = raw.get("upperdatums") or [{}]
                k = cmp_range_bound(ob["lower"], upper, types_, True, False)
            d0 = datums[min(abs(k), len(datums)) - 1] if k else datums[-1]
            raise PgError(INVALID_OBJECT_DEFINITION, f'partition "{name}" would overlap '
                          f'partition "{c.name}"',
                          position=state.pos(_loc(d0) if "location" not in d0
                                             else d0.get("location")))


def default_partition(cat: Any, parent: Any) -> Any:
    for child, b in sibling_bounds(cat, parent):
        if b.get("is_default"):
            return child
    return None


def check_default_partition(s: Any, state: Any, cat: Any, parent: Any, new_oid: int) -> None:
    """Rows of the default partition that belong to the new partition: 23514."""
    default = default_partition(cat, parent)
    if default is None or default.oid == new_oid:
        return
    from tuskdb.engine.context import ExecContext
    from tuskdb.sql.analyze.inherit import column_map, expand_inheritance
    from tuskdb.sql.analyze.partition import build_router
    parent = cat.relation_by_oid(parent.oid)
    router = build_router(state, parent)
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    leaves = [(default, column_map(parent, default))] + \
        [(r, column_map(parent, r)) for r, _ in expand_inheritance(default, state)]
    for leaf, attmap in leaves:
        if leaf.relkind == "p":
            continue
        back = {m: i for i, m in enumerate(attmap) if m is not None}
        for _, values in ctx.heap(leaf).scan(ctx.snapshot):
            row = [None] * len(parent.columns)
            for m, i in back.items():
                row[i] = values[m]
            if router.find_child(tuple(row), ctx) == new_oid:
                raise PgError("23514", f'updated partition constraint for default partition '
                              f'"{default.name}" would be violated by some row')


def set_partbound(cat: Any, oid: int, bound: dict | None) -> None:
    p = COLUMN_POS["pg_class"]
    for tid, row in cat.find("pg_class", oid=oid):
        new = replace("pg_class", row, relispartition=bound is not None,
                      relpartbound=bound_json(bound) if bound is not None else None)
        del p
        cat.update("pg_class", tid, new)
        return


def set_default_partition(cat: Any, parent_oid: int, default_oid: int) -> None:
    for tid, row in cat.find("pg_partitioned_table", partrelid=parent_oid):
        cat.update("pg_partitioned_table", tid,
                   replace("pg_partitioned_table", row, partdefid=default_oid))


def feature(what: str) -> PgError:
    return PgError(FEATURE_NOT_SUPPORTED, f"{what} is not supported")


# -- ALTER TABLE ... ATTACH / DETACH PARTITION ----------------------------------------------


def at_attach_partition(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    """ALTER TABLE parent ATTACH PARTITION t FOR VALUES ... (ATExecAttachPartition)."""
    from tuskdb.sql.analyze.select import lookup_relation
    if rel.relkind in ("I", "i"):
        from tuskdb.sql.commands.partindex import attach_index
        attach_index(s, cat, rel, cmd, state)
        return
    from tuskdb.sql.commands.inherit import attach_parent
    from tuskdb.sql.commands.tablecmds import ACCESS_EXCLUSIVE, lock_relation
    pc = cmd["def"]["PartitionCmd"]
    part = lookup_relation(pc["name"], state, False)
    lock_relation(s, part.oid, ACCESS_EXCLUSIVE)
    kt = key_types_of(s, rel)
    bound = transform_bound(s, state, rel, pc["bound"], kt)
    if part.oid == rel.oid:
        raise PgError("42P17", f'cannot attach table "{part.name}" as a partition of itself')
    if part.partbound is not None:
        raise PgError("42809", f'"{part.name}" is already a partition')
    if part.parents:
        raise PgError("42P17", "cannot attach inheritance child as partition")
    if part.children and part.relkind != "p":
        raise PgError("42P17", "cannot attach inheritance parent as partition")
    if part.relkind not in ("r", "p", "f"):
        raise PgError("42809", f'"{part.name}" is not a table')
    if rel.persistence == "t" and part.persistence != "t":
        raise PgError("42809", f'cannot attach a permanent relation as partition of temporary '
                      f'relation "{rel.name}"')
    if part.persistence == "t" and rel.persistence != "t":
        raise PgError("42809", f'cannot attach a temporary relation as partition of permanent '
                      f'relation "{rel.name}"')
    if part.relkind == "f" and any(ix.unique for ix in rel.indexes):
        raise PgError("42809", f'cannot attach foreign table "{part.name}" as partition of '
                      f'partitioned table "{rel.name}"',
                      detail=f'Partitioned table "{rel.name}" contains unique indexes.')
    from tuskdb.sql.commands.fkeys import check_attach_referenced
    check_attach_referenced(cat, rel, part)
    from tuskdb.sql.commands.identitycmds import check_attach_identity, partition_identity
    check_attach_identity(rel, part)
    attach_parent(s, cat, part, rel, is_partition=True)
    partition_identity(cat, rel, part, True)
    check_new_partition(s, state, cat, rel, part.name, bound, kt, pc["bound"])
    cat.command_counter_increment()
    set_partbound(cat, part.oid, bound)
    if bound.get("is_default"):
        set_default_partition(cat, rel.oid, part.oid)
    cat.command_counter_increment()
    _validate_attached(s, state, cat, part)
    if rel.indexes and part.relkind != "f":     # foreign tables have no indexes
        from tuskdb.sql.commands.partindex import clone_indexes
        clone_indexes(s, cat, rel, cat.relation_by_oid(part.oid))
    from tuskdb.sql.commands.fkeys import clone_partition_fks
    clone_partition_fks(s, cat, rel, part, attaching=True)
    check_default_partition(s, state, cat, rel, part.oid)


def _validate_attached(s: Any, state: Any, cat: Any, part: Any) -> None:
    """Every row of the attached table must satisfy its partition constraint."""
    from tuskdb.engine.context import ExecContext
    from tuskdb.sql.analyze.inherit import expand_inheritance
    from tuskdb.sql.analyze.partition import build_partition_check
    from tuskdb.sql.analyze.inherit import column_map
    part = cat.relation_by_oid(part.oid)
    check = build_partition_check(state, part)
    if check is None:
        return
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    rels = [(part, None)] + [(r, column_map(part, r)) for r, _ in
                             expand_inheritance(part, state)]
    for r, attmap in rels:
        if r.relkind == "p":
            continue
        for _, values in ctx.heap(r).scan(ctx.snapshot):
            if attmap is not None:
                values = tuple(None if m is None else values[m] for m in attmap)
            if not check.ok(values, ctx):
                raise PgError("23514", f'partition constraint of relation "{r.name}" is '
                              f"violated by some row", schema_name=r.nspname, table_name=r.name)


def at_detach_partition(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    """ALTER TABLE parent DETACH PARTITION t."""
    from tuskdb.sql.analyze.select import lookup_relation
    from tuskdb.sql.commands.inherit import detach_parent
    from tuskdb.sql.commands.tablecmds import ACCESS_EXCLUSIVE, lock_relation
    pc = cmd["def"]["PartitionCmd"]
    part = lookup_relation(pc["name"], state, False)
    lock_relation(s, part.oid, ACCESS_EXCLUSIVE)
    if part.partbound is None or rel.oid not in part.parents:
        raise PgError("42P01", f'relation "{part.name}" is not a partition of relation '
                      f'"{rel.name}"')
    if pc.get("concurrent") and getattr(s, "in_transaction_block", lambda: False)():
        raise PgError("25001", "ALTER TABLE ... DETACH CONCURRENTLY cannot run inside a "
                      "transaction block")
    bound = parse_bound(part.partbound)
    from tuskdb.sql.commands.fkeys import detach_partition_fks
    detach_partition_fks(s, cat, rel, part)
    # the partition's key constraints stand on their own again
    from tuskdb.catalog.rows import COLUMN_POS, replace
    kc = COLUMN_POS["pg_constraint"]
    for tid, row in cat.find("pg_constraint", conrelid=part.oid):
        if row[kc["contype"]] in ("p", "u", "x") and row[kc["conparentid"]]:
            cat.update("pg_constraint", tid, replace(
                "pg_constraint", row, conparentid=0, conislocal=True, coninhcount=0,
                connoinherit=part.relkind != "p"))
    detach_parent(s, cat, part, rel)
    from tuskdb.sql.commands.identitycmds import partition_identity
    partition_identity(cat, rel, part, False)
    set_partbound(cat, part.oid, None)
    if bound is not None and bound.get("is_default"):
        set_default_partition(cat, rel.oid, 0)


# -- pg_get_partition_constraintdef ----------------------------------------------------------


def const_sql(text: str | None, t: int) -> str:
    """A constant as PostgreSQL's deparser prints it in an expression (with its cast)."""
    if text is None:
        return "NULL"
    if t == 23:
        return text if not text.startswith("-") else f"{quote_literal(text)}::integer"
    if t == 1700:
        if text[:1].isdigit() and all(ch.isdigit() or ch == "." for ch in text):
            return text if "." in text else f"{text}::numeric"
        return f"{quote_literal(text)}::numeric"
    if t == 16:
        return "true" if text in ("t", "true") else "false"
    return f"{quote_literal(text)}::{types.registry.format_type(t, None)}"


def _key_sql(s: Any, rel: Any) -> list[str]:
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.deparse import Deparser
    out = []
    key = rel.partkey
    exprs = None
    for i, a in enumerate(key.attnums):
        if a:
            from tuskdb.sql.deparse import quote_ident
            out.append(quote_ident(rel.columns[a - 1].name))
        else:
            if exprs is None:
                exprs = key_exprs(AnalyzeState(s.catalog(), s, [], None, ""), rel, 1)
            text = Deparser(s.type_context, False).expr(exprs[i], False)
            if not text.startswith("(") and not (text[:1].isalpha() and text.endswith(")")):
                text = f"({text})"
            out.append(text)
    return out


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "(" + " AND ".join(items) + ")"


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "(" + " OR ".join(items) + ")"


def _list_qual(bound: dict, cols: list[str], t: int) -> list[str]:
    col = cols[0]
    vals = [v for v in bound["values"] if v is not None]
    has_null = any(v is None for v in bound["values"])
    if not vals:
        return [f"({col} IS NULL)"] if has_null else []
    if len(vals) == 1:
        eq = f"({col} = {const_sql(vals[0], t)})"
    else:
        eq = f"({col} = ANY (ARRAY[{', '.join(const_sql(v, t) for v in vals)}]))"
    if has_null:
        return [f"(({col} IS NULL) OR {eq[1:-1] if False else eq})"]
    return [f"({col} IS NOT NULL)", eq]


def _range_parts(bound: dict, cols: list[str], kt: list[int]) -> list[str]:
    """The qual of a range bound without its NOT NULL tests."""
    lower, upper = bound["lower"], bound["upper"]
    n = len(cols)
    items: list[str] = []
    i = 0
    while i < n and lower[i][0] == "v" and upper[i][0] == "v" and lower[i][1] == upper[i][1]:
        items.append(f"({cols[i]} = {const_sql(lower[i][1], kt[i])})")
        i += 1
    for side, datums, strict, last, stop_kind in (("lo", lower, ">", ">=", "min"),
                                                   ("hi", upper, "<", "<=", "max")):
        arms = []
        for j in range(i, n):
            if datums[j][0] != "v":
                break
            nxt = datums[j + 1][0] if j + 1 < n else None
            if j == n - 1:
                op = ">=" if side == "lo" else "<"
            elif nxt == stop_kind:
                op = last
            else:
                op = strict
            conds = [f"({cols[k]} = {const_sql(datums[k][1], kt[k])})" for k in range(i, j)]
            conds.append(f"({cols[j]} {op} {const_sql(datums[j][1], kt[j])})")
            arms.append(_and(conds))
            if op in (">=", "<=") or j == n - 1:
                break
        if arms:
            items.append(_or(arms))
    return items


def _own_qual(s: Any, parent: Any, bound: dict, cat: Any, self_oid: int) -> list[str]:
    """The implicit-AND items of one partition's constraint relative to its parent."""
    cols = _key_sql(s, parent)
    kt = [t for _, t, _ in key_types_of(s, parent)]
    st = parent.partkey.strategy
    if st == "h":
        args = ", ".join(cols)
        return [f"satisfies_hash_partition('{parent.oid}'::oid, {bound['modulus']}, "
                f"{bound['remainder']}, {args})"]
    if not bound.get("is_default"):
        if st == "l":
            return _list_qual(bound, cols, kt[0])
        notnull = [f"({c} IS NOT NULL)" for c in cols]
        return notnull + _range_parts(bound, cols, kt)
    # default: NOT (any other partition's constraint)
    others = [b for c, b in sibling_bounds(cat, parent, exclude=self_oid)
              if not b.get("is_default")]
    if not others:
        return []
    if st == "l":
        kts = key_types_of(s, parent)
        vals = []
        has_null = False
        for b in others:
            for v in b["values"]:
                if v is None:
                    has_null = True
                else:
                    vals.append(v)
        vals.sort(key=lambda v: __import__("tuskdb.sql.execute.partition",
                                           fromlist=["enc"]).enc(
            types.TYPES[kts[0][1]].input(v, -1, types.DEFAULT_CONTEXT), kts[0][1]))
        inner = _list_qual({"values": ([None] if has_null else []) + vals}, cols, kt[0])
        return [f"(NOT {_and(inner)})"]
    from tuskdb.sql.analyze.partition import ordered_partitions  # noqa: F401
    kts = key_types_of(s, parent)
    ordered = sorted(others, key=lambda b: [
        (-1, b"") if d[0] == "min" else (1, b"") if d[0] == "max" else
        (0, __import__("tuskdb.sql.execute.partition", fromlist=["enc"]).enc(
            types.TYPES[k[1]].input(d[1], -1, types.DEFAULT_CONTEXT), k[1]))
        for d, k in zip(b["lower"], kts)])
    arms = [_and(_range_parts(b, cols, kt)) for b in ordered]
    notnull = [f"({c} IS NOT NULL)" for c in cols]
    return [f"(NOT {_and(notnull + [_or(arms)])})"]


def partition_constraint_def(s: Any, oid: int) -> str | None:
    cat = s.catalog()
    rel = cat.relation_by_oid(oid)
    if rel is None or rel.partbound is None:
        return None
    chain = []
    cur = rel
    while cur.partbound is not None and cur.parents:
        parent = cat.relation_by_oid(cur.parents[0])
        if parent is None or parent.partkey is None:
            break
        chain.append(_own_qual(s, parent, parse_bound(cur.partbound), cat, cur.oid))
        cur = parent
    items = [x for part in reversed(chain) for x in part]
    if not items:
        return None
    return _and(items) if len(items) > 1 else items[0]
