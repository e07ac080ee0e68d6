"""EXCLUDE constraints (PostgreSQL's index_create with exclusion operators,
ComputeIndexAttrs): an index whose key columns each carry an operator, no two
live rows satisfying all of them.  Enforcement is sql/execute/exclusion.py, the
same as for PRIMARY KEY / UNIQUE ... WITHOUT OVERLAPS (commands/temporal.py).

Built here: plain key columns, USING gist over range and multirange columns
(range_ops / multirange_ops) and USING btree, an optional WHERE, DEFERRABLE
[INITIALLY DEFERRED] (rows queued for ri.run_checks at the end of the statement
or at COMMIT).  INCLUDE, key expressions and other GiST operator classes fail
with 0A000.  On a partitioned table every partition key column must be in
the constraint with ``=`` (partindex.check_exclusion_covers_key); each
partition gets its own constraint (named ..._excl).
"""

from __future__ import annotations

import json
from typing import Any

from tuskdb.errors import (FEATURE_NOT_SUPPORTED, UNDEFINED_COLUMN, UNDEFINED_OBJECT,
                           WRONG_OBJECT_TYPE, PgError)

# btree operator families of the types TuskDB names in "is not a member" errors
_BTREE_FAMILIES = {21: "integer_ops", 23: "integer_ops", 20: "integer_ops",
                   700: "float_ops", 701: "float_ops", 25: "text_ops", 1043: "text_ops",
                   1082: "datetime_ops", 1114: "datetime_ops", 1184: "datetime_ops",
                   1700: "numeric_ops", 16: "bool_ops"}
_BTREE_MEMBERS = ("<", "<=", "=", ">=", ">")


def add_exclusion_constraint(s: Any, cat: Any, rel: Any, con: dict, state: Any,
                             only: bool = False) -> None:
    """CREATE TABLE (..., EXCLUDE ...) / ALTER TABLE [ONLY] ADD EXCLUDE ...: the
    constraint and its index, checked over the rows the table already has (ONLY on a
    partitioned table: its own, invalid, index until the partitions' are attached)."""
    from tuskdb.sql.analyze.resolve import resolve_operator
    from tuskdb.sql.commands.indexcmds import build_index
    from tuskdb.sql.commands.tablecmds import choose_name
    from tuskdb.sql.commands.temporal import gist_operator_class
    from tuskdb.types.registry import format_type

    method = con.get("access_method") or "btree"
    if method not in ("gist", "btree"):
        if cat.find("pg_am", amname=method) or method in ("gin", "spgist", "brin"):
            raise PgError(FEATURE_NOT_SUPPORTED, f'access method "{method}" is not supported')
        raise PgError(UNDEFINED_OBJECT, f'access method "{method}" does not exist')
    attnums: list[int] = []
    names: list[str] = []
    ops: list[int] = []
    classes: list[int] = []
    for pair in con["exclusions"]:
        elem, opname = pair["List"]["items"]
        e = elem["IndexElem"]
        if e.get("expr") is not None or e.get("opclass") or e.get("collation") or \
                e.get("ordering", "SORTBY_DEFAULT") != "SORTBY_DEFAULT" or \
                e.get("nulls_ordering", "SORTBY_NULLS_DEFAULT") != "SORTBY_NULLS_DEFAULT":
            raise PgError(FEATURE_NOT_SUPPORTED, "exclusion constraints on expressions or with "
                          "operator classes or orderings are not supported")
        col = rel.column(e["name"])
        if col is None:
            raise PgError(UNDEFINED_COLUMN, f'column "{e["name"]}" named in key does not exist',
                          position=state.pos(con.get("location")))
        op = resolve_operator(opname["List"]["items"][-1]["String"]["sval"], col.type_oid,
                              col.type_oid, session=s)
        signature = f"{op.name}({format_type(op.left, -1)},{format_type(op.right, -1)})"
        from tuskdb.types.builtins import OPERATORS_BY_OID
        if OPERATORS_BY_OID.get(op.oid) is not op:
            raise PgError(FEATURE_NOT_SUPPORTED, f"exclusion operator {signature} is not "
                          "supported")
        if op.commutator != op.oid:
            raise PgError(WRONG_OBJECT_TYPE, f"operator {signature} is not commutative",
                          detail="Only commutative operators can be used in exclusion "
                                 "constraints.")
        if method == "gist":
            opc = gist_operator_class(col.type_oid)
            if opc is None:
                raise PgError(FEATURE_NOT_SUPPORTED, f'access method "gist" over type '
                              f"{format_type(col.type_oid, -1)} is not supported")
            classes.append(opc)
        else:
            family = _BTREE_FAMILIES.get(col.type_oid)
            if op.name not in _BTREE_MEMBERS:
                if family is None:
                    raise PgError(FEATURE_NOT_SUPPORTED, f"exclusion operator {signature} is "
                                  "not supported")
                raise PgError(WRONG_OBJECT_TYPE, f"operator {signature} is not a member of "
                              f'operator family "{family}"',
                              detail="The exclusion operator must be related to the index "
                                     "operator class for the constraint.")
            classes.append(0)
        attnums.append(col.attnum)
        names.append(col.name)
        ops.append(op.oid)
    include = []
    for k in con.get("including") or []:
        col = rel.column(k["String"]["sval"])
        if col is None:
            raise PgError(UNDEFINED_COLUMN, f'column "{k["String"]["sval"]}" named in key does '
                          f"not exist", position=state.pos(con.get("location")))
        include.append(col.attnum)
    from tuskdb.sql.commands.indexcmds import index_column_names
    every = index_column_names(names + [rel.columns[a - 1].name for a in include])
    name = con.get("conname") or choose_name(cat, rel.namespace,
                                             f"{rel.name}_{'_'.join(every)}", "excl")
    if cat.relation_oid(rel.namespace, name) is not None:
        from tuskdb.errors import DUPLICATE_TABLE
        raise PgError(DUPLICATE_TABLE, f'relation "{name}" already exists')
    predicate = con.get("where_clause")
    if predicate is not None:
        from tuskdb.sql.commands.indexcmds import _index_predicate
        _index_predicate(s, rel, predicate, state.source if hasattr(state, "source") else "")
    from tuskdb.catalog.manager import BTREE_AM
    deferrable = bool(con.get("deferrable") or con.get("initdeferred"))
    if deferrable and rel.relkind == "p":
        raise PgError(FEATURE_NOT_SUPPORTED, "deferrable exclusion constraints on partitioned "
                      "tables are not supported")
    if only and rel.relkind == "p":
        from tuskdb.sql.commands.partindex import build_partitioned_index
        build_partitioned_index(s, cat, rel, name, attnums, [False] * len(attnums),
                                [False] * len(attnums), False, False, "x", False, only=True,
                                exclusion=(ops, classes), include=include)
        return
    if deferrable:
        # the rows already there are checked at once; later ones at COMMIT (or at the
        # end of the statement while the constraint is IMMEDIATE)
        index_oid = build_index(s, cat, rel, name, attnums, [False] * len(attnums),
                                [False] * len(attnums), unique=False, constraint="x",
                                predicate=predicate, relam=BTREE_AM, exclusion=(ops, classes),
                                include=include)
        _make_deferrable(cat, rel, index_oid, bool(con.get("initdeferred")))
        return
    build_index(s, cat, rel, name, attnums, [False] * len(attnums), [False] * len(attnums),
                unique=False, constraint="x", predicate=json.loads(json.dumps(predicate))
                if predicate is not None else None,
                relam=BTREE_AM, exclusion=(ops, classes), include=include)


def _make_deferrable(cat: Any, rel: Any, index_oid: int, deferred: bool) -> None:
    """condeferrable/condeferred of the constraint, indimmediate of its index."""
    from tuskdb.catalog.rows import replace
    for tid, row in cat.find("pg_constraint", conindid=index_oid, conrelid=rel.oid):
        cat.update("pg_constraint", tid, replace("pg_constraint", row, condeferrable=True,
                                                 condeferred=deferred))
    for tid, row in cat.find("pg_index", indexrelid=index_oid):
        cat.update("pg_index", tid, replace("pg_index", row, indimmediate=False))
    cat.command_counter_increment()
