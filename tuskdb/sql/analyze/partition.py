"""Partition descriptors for the executor: routers and partition constraints.

Built when a statement is analyzed (they need the catalogs and the analyzer for
key expressions), then run by sql/execute/partition.py.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.catalog.partition import parse_bound
from tuskdb.sql.analyze.inherit import column_map
from tuskdb.sql.execute.partition import PartitionCheck, PartitionRouter, enc
from tuskdb.sql.expr import compile_expr
from tuskdb.types import pghash


def build_router(state: Any, rel: Any, deep: bool = True) -> PartitionRouter:
    from tuskdb.sql.commands.partition import bound_values, key_exprs
    key = rel.partkey
    exprs = key_exprs(state, rel, 1)
    layout = {(1, i): i for i in range(len(rel.columns) + 2)}
    texts = []
    for a, e in zip(key.attnums, exprs):
        if a:
            texts.append(rel.columns[a - 1].name)
        else:
            texts.append(_deparse(state, e))
    key_types = [e.type_oid for e in exprs]
    router = PartitionRouter(rel, key.strategy, [compile_expr(e, layout) for e in exprs],
                             key_types, texts)
    if key.strategy == "h":
        router.hash_fns = [hash_function(state, t, opc)
                           for t, opc in zip(key_types, key.opclasses)]
    kt = [(None, t, -1) for t in key_types]
    for child in ordered_partitions(state, rel):
        bound = parse_bound(child.partbound)
        sub = build_router(state, child) if deep and child.relkind == "p" else None
        router.add(child, column_map(rel, child), bound_values(bound, kt), sub)
    return router


def _deparse(state: Any, e: Any) -> str:
    from tuskdb.sql.deparse import Deparser
    try:
        return Deparser(state.session.type_context, False).expr(e, False)
    except Exception:       # noqa: BLE001 - a message detail only
        return "?"


def hash_function(state: Any, type_oid: int, opclass: int) -> Any:
    """The extended hash support function of a hash operator class."""
    from tuskdb.sql.commands.opclass import custom_hash_function
    f = custom_hash_function(state, opclass)
    if f is not None:
        return f
    f = pghash.EXTENDED_BY_TYPE.get(type_oid)
    if f is None:
        from tuskdb.errors import feature_not_supported
        raise feature_not_supported(f"hash partitioning on type "
                                    f"{types.registry.format_type(type_oid, None)}")
    return lambda v, seed, ctx, _f=f: _f(v, seed)


def ordered_partitions(state: Any, rel: Any) -> list[Any]:
    """The partitions of ``rel`` in PostgreSQL's bound order (list: by smallest value,
    range: by lower bound, hash: by modulus then remainder; default last)."""
    from tuskdb.sql.commands.partition import bound_values, key_types_of
    cat = state.catalog
    kids = []
    for oid in rel.children:
        child = cat.relation_by_oid(oid)
        if child is None:
            continue
        b = parse_bound(child.partbound)
        if b is None:
            continue
        state.relations.add(oid)
        kids.append((child, b))
    if rel.partkey is None:
        return [c for c, _ in kids]
    st = rel.partkey.strategy
    kt = key_types_of(state.session, rel) if st in ("l", "r") else []

    def sort_key(item: tuple) -> Any:
        child, b = item
        if b.get("is_default"):
            return (2,)
        if st == "h":
            return (0, b["modulus"], b["remainder"])
        bv = bound_values(b, kt)
        if st == "l":
            vals = [enc(v, kt[0][1]) for v in bv["values"] if v is not None]
            if not vals:
                return (1,)          # only NULL: after the non-null values
            return (0, min(vals))
        out = []
        for d, k in zip(bv["lower"], kt):
            out.append((-1, b"") if d[0] == "min" else (1, b"") if d[0] == "max"
                       else (0, enc(d[1], k[1])))
        return (0, out)
    kids.sort(key=sort_key)
    return [c for c, _ in kids]


def build_partition_check(state: Any, rel: Any) -> PartitionCheck | None:
    """The partition constraint of ``rel`` (a partition), None for other tables."""
    cat = state.catalog
    steps = []
    cur = rel
    while cur.partbound is not None and cur.parents:
        parent = cat.relation_by_oid(cur.parents[0])
        if parent is None or parent.partkey is None:
            break
        router = build_router(state, parent, deep=False)
        steps.append((router, column_map(parent, rel), cur.oid))
        cur = parent
    return PartitionCheck(steps) if steps else None


def satisfies_hash_partition_call(args: list, ec: Any, pos: Any) -> Any:
    """satisfies_hash_partition(parent oid, modulus, remainder, VARIADIC "any"): does a
    row with these key values belong to the hash partition (modulus, remainder)?"""
    from tuskdb.errors import PgError
    from tuskdb.sql.analyze.coerce import coerce_to, type_name
    from tuskdb.sql.expr import Func
    if len(args) < 3:
        raise PgError("42883", "function satisfies_hash_partition does not exist",
                      position=pos)
    variadic = bool(getattr(ec, "func_variadic", False))
    head = [coerce_to(args[0], 26), coerce_to(args[1], 23), coerce_to(args[2], 23)]
    rest = list(args[3:])
    rest_types = [a.type_oid for a in rest]

    def impl(ctx: Any, relid: Any, modulus: Any, remainder: Any, *vals: Any) -> Any:
        from tuskdb.sql.analyze.state import AnalyzeState
        s = ctx.session
        cat = s.catalog()
        if relid is None:
            return False
        rel = cat.relation_by_oid(relid)
        if rel is None:
            raise PgError("XX000", f"could not open relation with OID {relid}")
        if rel.partkey is None or rel.partkey.strategy != "h":
            raise PgError("22023", f'"{rel.name}" is not a hash partitioned table')
        if modulus is None or remainder is None:
            return False
        if modulus <= 0:
            raise PgError("22023", "modulus for hash partition must be an integer value "
                          "greater than zero")
        if remainder < 0:
            raise PgError("22023", "remainder for hash partition must be an integer value "
                          "greater than or equal to zero")
        if remainder >= modulus:
            raise PgError("22023", "remainder for hash partition must be less than modulus")
        state = AnalyzeState(cat, s, [], None, "")
        router = build_router(state, rel, deep=False)
        nkeys = len(router.key_types)
        if variadic:
            arr = vals[0] if vals else None
            if arr is None:
                return False
            values = list(arr.items)
            t = types.TYPES[rest_types[0]].elem_oid if rest_types else 0
            vtypes = [t] * len(values)
        else:
            values = list(vals)
            vtypes = rest_types
        if len(values) != nkeys:
            raise PgError("22023", f"number of partitioning columns ({nkeys}) does not match "
                          f"number of partition keys provided ({len(values)})")
        for i, (kt, vt) in enumerate(zip(router.key_types, vtypes), start=1):
            if kt != vt and vt != 705:
                if variadic:
                    raise PgError("22023", f'column {i} of the partition key has type '
                                  f'"{type_name(kt)}", but supplied value is of type '
                                  f'"{type_name(vt)}"')
                raise PgError("22023", f"column {i} of the partition key has type "
                              f"{type_name(kt)}, but supplied value is of type "
                              f"{type_name(vt)}")
        return router.row_hash(values, ctx) % modulus == remainder
    return Func(impl, head + rest, 16, strict=False, name="satisfies_hash_partition",
                needs_ctx=True)
