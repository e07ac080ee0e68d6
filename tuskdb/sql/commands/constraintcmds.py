"""ALTER TABLE ... VALIDATE CONSTRAINT and ALTER CONSTRAINT (PostgreSQL's
ATExecValidateConstraint / ATExecAlterConstraint).

A CHECK or FOREIGN KEY constraint added NOT VALID is recorded with
convalidated = false and is not checked against the existing rows (new rows
are checked as usual); VALIDATE CONSTRAINT checks them and sets it.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, replace
from tuskdb.errors import CHECK_VIOLATION, UNDEFINED_OBJECT, WRONG_OBJECT_TYPE, PgError


def _constraint(cat: Any, rel: Any, name: str) -> tuple[Any, tuple]:
    found = cat.find("pg_constraint", conrelid=rel.oid, conname=name)
    if not found:
        raise PgError(UNDEFINED_OBJECT, f'constraint "{name}" of relation "{rel.name}" does not '
                      f"exist")
    return found[0]


def mark_not_valid(cat: Any, relid: int, name: str) -> None:
    """Record a constraint added NOT VALID."""
    for tid, row in cat.find("pg_constraint", conrelid=relid, conname=name):
        cat.update("pg_constraint", tid, replace("pg_constraint", row, convalidated=False))


def check_existing_rows(s: Any, cat: Any, rel: Any, name: str) -> None:
    """Every row of ``rel`` must satisfy CHECK constraint ``name``."""
    from tuskdb.engine.context import ExecContext
    from tuskdb.sql.analyze.dml import rel_checks
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.expr import compile_expr

    state = AnalyzeState(cat, s, [], None, "")
    layout = {(1, i): i for i in range(len(rel.columns) + 2)}
    for cname, e in rel_checks(rel, 1, state):
        if cname != name:
            continue
        f = compile_expr(e, layout)
        ctx = ExecContext(s, s.txn, s.txn.snapshot())
        for tid, values in ctx.heap(rel).scan(ctx.snapshot):
            if f((*values, tid, rel.oid), ctx) is False:
                raise PgError(CHECK_VIOLATION, f'check constraint "{name}" of relation '
                              f'"{rel.name}" is violated by some row', schema_name=rel.nspname,
                              table_name=rel.name, constraint_name=name)


def at_validate_constraint(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    name = cmd["name"]
    tid, row = _constraint(cat, rel, name)
    p = COLUMN_POS["pg_constraint"]
    contype = row[p["contype"]]
    if contype not in ("c", "f", "n"):
        raise PgError(WRONG_OBJECT_TYPE, f'cannot validate constraint "{name}" of relation '
                      f'"{rel.name}"',
                      detail="This operation is not supported for this type of constraint.")
    if not row[p["conenforced"]]:
        raise PgError("55000", "cannot validate NOT ENFORCED constraint")
    if contype == "n":
        from tuskdb.sql.commands.notnull import validate_not_null
        validate_not_null(s, cat, rel, tid, row, bool(getattr(state, "alter_recurse", True)))
        return
    if row[p["convalidated"]]:
        return
    if contype == "c" and not row[p["connoinherit"]] and getattr(state, "alter_recurse", True):
        # the inherited copies are validated too (a foreign table's rows are not read)
        for child_oid in rel.children:
            child = cat.relation_by_oid(child_oid)
            if child is not None and cat.find("pg_constraint", conrelid=child_oid,
                                              conname=name):
                at_validate_constraint(s, cat, child, cmd, state)
    if contype == "c":
        check_existing_rows(s, cat, rel, name)
    elif contype == "f":
        from tuskdb.sql.commands.fkeys import _validate_tree, fk_descendants
        _validate_tree(s, cat, rel, row)
        for dtid, drow in fk_descendants(cat, row[p["oid"]]):
            cat.update("pg_constraint", dtid, replace("pg_constraint", drow, convalidated=True))
    cat.update("pg_constraint", tid, replace("pg_constraint", row, convalidated=True))


def at_alter_constraint(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    spec = cmd["def"]["ATAlterConstraint"]
    name = spec["conname"]
    tid, row = _constraint(cat, rel, name)
    p = COLUMN_POS["pg_constraint"]
    contype = row[p["contype"]]
    if spec.get("alterDeferrability") and contype != "f":
        raise PgError(WRONG_OBJECT_TYPE, f'constraint "{name}" of relation "{rel.name}" is '
                      f"not a foreign key constraint")
    if spec.get("alterEnforceability") and contype != "f":
        raise PgError(WRONG_OBJECT_TYPE, f'cannot alter enforceability of constraint "{name}" '
                      f'of relation "{rel.name}"')
    if spec.get("alterInheritability") and contype != "n":
        raise PgError(WRONG_OBJECT_TYPE, f'constraint "{name}" of relation "{rel.name}" is '
                      f"not a not-null constraint")
    if row[p["conparentid"]]:
        up = row
        while up[p["conparentid"]]:         # the key it derives from, at the top
            up = cat.find("pg_constraint", oid=up[p["conparentid"]])[0][1]
        uprel = cat.relation_by_oid(up[p["conrelid"]])
        raise PgError("55000", f'cannot alter constraint "{name}" on relation "{rel.name}"',
                      detail=f'Constraint "{name}" is derived from constraint '
                             f'"{up[p["conname"]]}" of relation "{uprel.name}".',
                      hint="You may alter the constraint it derives from instead.")
    if spec.get("alterEnforceability"):
        enforced = bool(spec.get("is_enforced"))
        if enforced != bool(row[p["conenforced"]]):
            row = _set_enforceability(s, cat, rel, tid, row, name, enforced)
            tid = cat.find("pg_constraint", oid=row[p["oid"]])[0][0]
    if spec.get("alterDeferrability"):
        from tuskdb.sql.commands.fkeys import fk_descendants
        deferrable = bool(spec.get("deferrable"))
        deferred = bool(spec.get("initdeferred")) and deferrable
        for dtid, drow in [(tid, row)] + fk_descendants(cat, row[p["oid"]]):
            cat.update("pg_constraint", dtid, replace("pg_constraint", drow,
                                                      condeferrable=deferrable,
                                                      condeferred=deferred))
    if spec.get("alterInheritability"):
        from tuskdb.sql.commands.notnull import alter_inheritability
        alter_inheritability(s, cat, rel, tid, row, bool(spec.get("noinherit")))


def _set_enforceability(s: Any, cat: Any, rel: Any, tid: Any, row: tuple, name: str,
                        enforced: bool) -> tuple:
    """A foreign key made ENFORCED checks the existing rows and becomes valid; made NOT
    ENFORCED it stops being checked and is no longer valid."""
    from tuskdb.sql.commands.fkeys import _validate_tree, fk_descendants
    p = COLUMN_POS["pg_constraint"]
    new = replace("pg_constraint", row, conenforced=enforced, convalidated=enforced)
    cat.update("pg_constraint", tid, new)
    for dtid, drow in fk_descendants(cat, row[p["oid"]]):
        cat.update("pg_constraint", dtid, replace("pg_constraint", drow, conenforced=enforced,
                                                  convalidated=enforced))
    cat.command_counter_increment()
    if enforced:
        _validate_tree(s, cat, rel, new)
    return new
