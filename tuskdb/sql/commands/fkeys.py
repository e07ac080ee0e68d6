"""FOREIGN KEY constraints: creation and validation (PostgreSQL's tablecmds.c,
ATAddForeignKeyConstraint), SET CONSTRAINTS.  Enforcement is sql/execute/ri.py."""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import make_row
from tuskdb.types import Array
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (FEATURE_NOT_SUPPORTED, DATATYPE_MISMATCH, FOREIGN_KEY_VIOLATION,
                           INVALID_FOREIGN_KEY,
                           UNDEFINED_COLUMN, UNDEFINED_OBJECT, WRONG_OBJECT_TYPE, PgError)


def add_foreign_key(s: Any, cat: Any, child: Any, con: dict, state: Any,
                    child_cols: list[str], validate: bool) -> None:
    """Record a FOREIGN KEY of ``child`` (its columns ``child_cols``) per ``con``."""
    from tuskdb.sql.analyze.coerce import type_name
    from tuskdb.sql.analyze.resolve import resolve_operator
    from tuskdb.sql.analyze.select import lookup_relation
    from tuskdb.sql.commands.tablecmds import SHARE_ROW_EXCLUSIVE, choose_name, lock_relation

    if con.get("pktable", {}).get("relname") == child.name and \
            not con["pktable"].get("schemaname"):
        parent = child
    else:
        parent = lookup_relation(con["pktable"], state, False)
    if parent.relkind == "p" or child.relkind == "p":
        raise PgError(FEATURE_NOT_SUPPORTED, "foreign keys on partitioned tables are not "
                      "supported")
    if parent.relkind != "r":
        raise PgError(WRONG_OBJECT_TYPE, f'referenced relation "{parent.name}" is not a table')
    lock_relation(s, parent.oid, SHARE_ROW_EXCLUSIVE)
    child_attnums = []
    for name in child_cols:
        col = child.column(name)
        if col is None:
            raise PgError(UNDEFINED_COLUMN, f'column "{name}" referenced in foreign key '
                          f"constraint does not exist")
        child_attnums.append(col.attnum)
    _check_generated(child, child_attnums, con)
    pk_names = [a["String"]["sval"] for a in con.get("pk_attrs") or []]
    from tuskdb.sql.commands import temporal
    temporal.check_fk_period(con, bool(pk_names))
    if pk_names:
        parent_attnums = []
        for name in pk_names:
            col = parent.column(name)
            if col is None:
                raise PgError(UNDEFINED_COLUMN, f'column "{name}" referenced in foreign key '
                              f"constraint does not exist")
            parent_attnums.append(col.attnum)
        if len(set(parent_attnums)) != len(parent_attnums):
            raise PgError(INVALID_FOREIGN_KEY, "foreign key referenced-columns list must not "
                          "contain duplicates")
        # a PERIOD key references a WITHOUT OVERLAPS key ending with the period
        period = bool(con.get("fk_with_period"))
        index = next((ix for ix in sorted(parent.indexes,
                                          key=lambda i: bool(i.exclusion_ops) != period)
                      if ix.unique and not ix.nulls_not_distinct
                      and not ix.predicate and not ix.exprs
                      and set(ix.attnums) == set(parent_attnums)
                      and len(ix.attnums) == len(parent_attnums)
                      and (not period or ix.attnums[-1] == parent_attnums[-1])), None)
        if index is None:
            raise PgError(INVALID_FOREIGN_KEY, f"there is no unique constraint matching given "
                          f'keys for referenced table "{parent.name}"')
    else:
        index = next((ix for ix in parent.indexes if ix.primary), None)
        if index is None:
            raise PgError(UNDEFINED_OBJECT, f'there is no primary key for referenced table '
                          f'"{parent.name}"')
        parent_attnums = list(index.attnums)
    temporal.check_fk_index(con, bool(pk_names), index)
    if len(child_attnums) != len(parent_attnums):
        raise PgError(INVALID_FOREIGN_KEY, "number of referencing and referenced columns for "
                      "foreign key disagree")
    name = con.get("conname") or choose_name(
        cat, child.namespace, f"{child.name}_{'_'.join(child_cols)}", "fkey")
    for ca, pa in zip(child_attnums, parent_attnums):
        ct = child.columns[ca - 1].type_oid
        pt = parent.columns[pa - 1].type_oid
        try:
            resolve_operator("=", ct, pt)
        except PgError:
            cname = child.columns[ca - 1].name
            pname = parent.columns[pa - 1].name
            raise PgError(DATATYPE_MISMATCH, f'foreign key constraint "{name}"'
                          f" cannot be implemented",
                          detail=f'Key columns "{cname}" of the referencing table and "{pname}" '
                                 f"of the referenced table are of incompatible types: "
                                 f"{type_name(ct)} and {type_name(pt)}.") from None
    # the grammar leaves is_enforced out for NOT ENFORCED (which implies NOT VALID)
    enforced = bool(con.get("is_enforced", "initially_valid" in con or
                                           not con.get("skip_validation")))
    valid = enforced and not con.get("skip_validation")
    oid = cat.m.next_oid()
    cat.insert("pg_constraint", make_row(
        "pg_constraint", oid=oid, conname=name, connamespace=child.namespace, contype="f",
        condeferrable=bool(con.get("deferrable")), condeferred=bool(con.get("initdeferred")),
        conenforced=enforced, convalidated=valid, conrelid=child.oid,
        contypid=0,
        conindid=index.oid, conparentid=0, confrelid=parent.oid,
        confupdtype=con.get("fk_upd_action", "a"), confdeltype=con.get("fk_del_action", "a"),
        confmatchtype=con.get("fk_matchtype", "s"), conislocal=True, coninhcount=0,
        connoinherit=True, conperiod=bool(con.get("fk_with_period")),
        conkey=Array(list(child_attnums)), confkey=Array(list(parent_attnums)),
        **_period_operators(con, index)))
    if validate and valid:
        cat.command_counter_increment()
        _validate(s, cat, child.oid, name)


def _period_operators(con: dict, index: Any) -> dict:
    """conpfeqop, conppeqop, conffeqop of a PERIOD foreign key (unset otherwise)."""
    if not con.get("fk_with_period"):
        return {"conpfeqop": None}
    from tuskdb.sql.commands.temporal import fk_period_operators
    ops = Array(fk_period_operators(index))
    return {"conpfeqop": ops, "conppeqop": ops, "conffeqop": ops}


def _check_generated(child: Any, attnums: list[int], con: dict) -> None:
    """Foreign keys over generated columns (PostgreSQL's ATAddForeignKeyConstraint):
    no action may write the column, and virtual ones are not supported."""
    cols = [child.columns[a - 1] for a in attnums]
    if not any(c.generated for c in cols):
        return
    if con.get("fk_upd_action", "a") in ("c", "n", "d"):
        raise PgError("42601", "invalid ON UPDATE action for foreign key constraint containing "
                      "generated column")
    if con.get("fk_del_action", "a") in ("n", "d"):
        raise PgError("42601", "invalid ON DELETE action for foreign key constraint containing "
                      "generated column")
    if any(c.generated == "v" for c in cols):
        from tuskdb.errors import FEATURE_NOT_SUPPORTED
        raise PgError(FEATURE_NOT_SUPPORTED, "foreign key constraints on virtual generated "
                      "columns are not supported")


def _validate(s: Any, cat: Any, child_oid: int, name: str) -> None:
    """Existing rows must satisfy a foreign key added by ALTER TABLE."""
    from tuskdb.engine.context import ExecContext
    from tuskdb.sql.execute.ri import RIChecker

    child = cat.relation_by_oid(child_oid)
    fk = next(f for f in child.fkeys if f.name == name)
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    ri = RIChecker(ctx)
    only = type(child)  # noqa: F841 - keep the descriptor's class alive for clarity
    for _, values in ctx.heap(child).scan(ctx.snapshot):
        key = tuple(values[a - 1] for a in fk.child_attnums)
        if None in key:
            if fk.match == "f" and any(v is not None for v in key):
                raise PgError(FOREIGN_KEY_VIOLATION, f'insert or update on table '
                              f'"{child.name}" violates foreign key constraint "{name}"',
                              detail="MATCH FULL does not allow mixing of null and nonnull "
                                     "key values.", table_name=child.name,
                              constraint_name=name)
            continue
        ri.pending.append(("child", fk, key))
    try:
        ri.finish()
    except PgError as err:
        if err.sqlstate == FOREIGN_KEY_VIOLATION:
            err.message = (f'insert or update on table "{child.name}" violates foreign key '
                           f'constraint "{name}"')
        raise


def set_constraints(s: Any, raw: Any) -> QueryResult:
    """SET CONSTRAINTS {ALL | name, ...} {DEFERRED | IMMEDIATE}."""
    body = raw.body
    deferred = bool(body.get("deferred"))
    if s.block not in ("inprogress", "failed"):
        from tuskdb.errors import notice
        s.add_notice(notice("SET CONSTRAINTS can only be used in transaction blocks",
                            sqlstate="25P01", severity="WARNING"))
        return QueryResult(tag="SET CONSTRAINTS")
    names = body.get("constraints")
    if not names:
        s.constraint_modes["*"] = deferred
        s.constraint_modes = {"*": deferred}
    else:
        cat = s.catalog()
        for rv in names:
            name = rv["RangeVar"]["relname"]
            found = cat.find("pg_constraint", conname=name)
            if not found:
                raise PgError(UNDEFINED_OBJECT, f'constraint "{name}" does not exist')
            from tuskdb.catalog.rows import COLUMN_POS
            p = COLUMN_POS["pg_constraint"]
            for _, row in found:
                if not row[p["condeferrable"]]:
                    raise PgError(WRONG_OBJECT_TYPE, f'constraint "{name}" is not deferrable')
            s.constraint_modes[name] = deferred
    if not deferred:
        s.run_deferred_checks()
    return QueryResult(tag="SET CONSTRAINTS")
