"""NOT NULL constraints (PostgreSQL 18): rows of pg_constraint with contype 'n'.

Every not-null column has exactly one such constraint (conkey = {attnum}), named
``<table>_<column>_not_null`` unless the user named it, besides attnotnull = true
(also while the constraint is NOT VALID: new rows are checked, old ones were not).
Inheritance follows the CHECK rules: coninhcount counts the parents that gave
it, conislocal says it was also declared locally; NO INHERIT keeps it from
children (never on partitioned tables).

    ALTER TABLE ... ADD [CONSTRAINT c] NOT NULL col [NO INHERIT] [NOT VALID]
      add_not_null(recursing=False)          ATAddCheckNNConstraint
        adjust_not_null_inheritance(...)     an existing one: merge (AdjustNotNullInheritance)
                                             and stop, else create it, scan for NULLs
                                             (unless NOT VALID) and recurse to children
    ALTER COLUMN ... SET NOT NULL
      set_not_null()                         ATExecSetNotNull: a NOT VALID one is
                                             validated instead; children get the
                                             parent's name
    VALIDATE CONSTRAINT / ALTER CONSTRAINT ... [NO] INHERIT
      validate_not_null(), alter_inheritability()
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, replace
from tuskdb.errors import (DUPLICATE_OBJECT, FEATURE_NOT_SUPPORTED, SYNTAX_ERROR, UNDEFINED_COLUMN,
                           PgError)

OBJECT_NOT_IN_PREREQUISITE_STATE = "55000"
INVALID_TABLE_DEFINITION = "42P16"
NOT_NULL_VIOLATION = "23502"

_K = COLUMN_POS["pg_constraint"]
_A = COLUMN_POS["pg_attribute"]


def find_not_null(cat: Any, relid: int, attnum: int) -> tuple[Any, tuple] | None:
    """The not-null constraint of column ``attnum`` (findNotNullConstraintAttnum)."""
    for tid, row in cat.find("pg_constraint", conrelid=relid, contype="n"):
        keys = row[_K["conkey"]]
        if keys and list(keys) == [attnum]:
            return tid, row
    return None


def _attribute(cat: Any, rel: Any, colname: str) -> tuple[Any, tuple]:
    for tid, row in cat.find("pg_attribute", attrelid=rel.oid, attname=colname):
        if row[_A["attnum"]] > 0 and not row[_A["attisdropped"]]:
            return tid, row
    raise PgError(UNDEFINED_COLUMN, f'column "{colname}" of relation "{rel.name}" does not '
                  f"exist")


def _children(cat: Any, rel: Any) -> list[Any]:
    return [c for c in (cat.relation_by_oid(o) for o in rel.children) if c is not None]


def incompatible_not_valid(name: str, relname: str) -> PgError:
    return PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'incompatible NOT VALID constraint '
                   f'"{name}" on relation "{relname}"',
                   hint="You might need to validate it using ALTER TABLE ... VALIDATE "
                        "CONSTRAINT.")


def adjust_not_null_inheritance(s: Any, cat: Any, rel: Any, attnum: int, colname: str,
                                conname: str | None, is_local: bool, noinherit: bool,
                                not_valid: bool, hint: bool = True) -> bool:
    """Merge a requested not-null constraint into the column's existing one, if any:
    PostgreSQL's AdjustNotNullInheritance.  True when there was one."""
    found = find_not_null(cat, rel.oid, attnum)
    if found is None:
        return False
    tid, row = found
    name = row[_K["conname"]]
    if bool(noinherit) != bool(row[_K["connoinherit"]]):
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'cannot change NO INHERIT status of '
                      f'NOT NULL constraint "{name}" on relation "{rel.name}"',
                      hint="You might need to make the existing constraint inheritable using "
                           "ALTER TABLE ... ALTER CONSTRAINT ... INHERIT." if hint else None)
    if not not_valid and not row[_K["convalidated"]]:
        raise incompatible_not_valid(name, rel.name)
    if is_local and conname is not None and conname != name:
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'cannot create not-null constraint '
                      f'"{conname}" on column "{colname}" of table "{rel.name}"',
                      detail=f'A not-null constraint named "{name}" already exists for this '
                             f"column.")
    if is_local:
        if not row[_K["conislocal"]]:
            cat.update("pg_constraint", tid, replace("pg_constraint", row, conislocal=True))
    else:
        cat.update("pg_constraint", tid, replace("pg_constraint", row,
                                                 coninhcount=row[_K["coninhcount"]] + 1))
    return True


def check_no_nulls(s: Any, rel: Any, attnum: int, colname: str) -> None:
    """Existing rows of ``rel`` (a table with storage) must have ``colname`` set."""
    if rel.relkind == "p":
        return
    from tuskdb.engine.context import ExecContext
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    for _, values in ctx.heap(rel).scan(ctx.snapshot):
        if values[attnum - 1] is None:
            raise PgError(NOT_NULL_VIOLATION, f'column "{colname}" of relation "{rel.name}" '
                          f"contains null values", schema_name=rel.nspname,
                          table_name=rel.name, column_name=colname)


def _store(cat: Any, rel: Any, atid: Any, arow: tuple, name: str, recursing: bool,
           noinherit: bool, valid: bool) -> None:
    from tuskdb.sql.commands.tablecmds import _insert_constraint
    if not arow[_A["attnotnull"]]:
        cat.update("pg_attribute", atid, replace("pg_attribute", arow, attnotnull=True))
    _insert_constraint(cat, name, rel.namespace, "n", rel.oid, [arow[_A["attnum"]]],
                       conislocal=not recursing,
                       coninhcount=1 if recursing else 0, connoinherit=noinherit,
                       convalidated=valid)


def _name_in_use(cat: Any, rel: Any, name: str) -> bool:
    return bool(cat.find("pg_constraint", conrelid=rel.oid, conname=name))


def add_not_null(s: Any, cat: Any, rel: Any, colname: str, conname: str | None,
                 noinherit: bool, not_valid: bool, recurse: bool,
                 recursing: bool = False, hint: bool = True) -> None:
    """ALTER TABLE ... ADD [CONSTRAINT name] NOT NULL col (ATAddCheckNNConstraint)."""
    from tuskdb.sql.commands.tablecmds import choose_name
    if noinherit and rel.relkind == "p":
        raise PgError(FEATURE_NOT_SUPPORTED, "not-null constraints on partitioned tables "
                      "cannot be NO INHERIT")
    atid, arow = _attribute(cat, rel, colname)
    attnum = arow[_A["attnum"]]
    if adjust_not_null_inheritance(s, cat, rel, attnum, colname, conname, not recursing,
                                   noinherit, not_valid, hint):
        cat.command_counter_increment()
        return          # the children have it already
    if conname is not None and _name_in_use(cat, rel, conname):
        raise PgError(DUPLICATE_OBJECT, f'constraint "{conname}" for relation "{rel.name}" '
                      f"already exists")
    name = conname or choose_name(cat, rel.namespace, f"{rel.name}_{colname}", "not_null")
    if not not_valid:
        check_no_nulls(s, rel, attnum, colname)
    _store(cat, rel, atid, arow, name, recursing, noinherit, not not_valid)
    cat.command_counter_increment()
    if noinherit:
        return
    children = _children(cat, rel)
    if children and not recurse and not recursing:
        raise PgError(INVALID_TABLE_DEFINITION, "constraint must be added to child tables too")
    for child in children:
        add_not_null(s, cat, child, colname, name, False, not_valid, recurse, recursing=True,
                     hint=hint)


def at_add_not_null(s: Any, cat: Any, rel: Any, con: dict, recurse: bool) -> None:
    keys = [k["String"]["sval"] for k in con.get("keys") or []]
    add_not_null(s, cat, rel, keys[0], con.get("conname"), bool(con.get("is_no_inherit")),
                 bool(con.get("skip_validation")), recurse)


def set_not_null(s: Any, cat: Any, rel: Any, colname: str, recurse: bool,
                 recursing: bool = False, conname: str | None = None) -> None:
    """ALTER COLUMN ... SET NOT NULL (ATExecSetNotNull)."""
    from tuskdb.sql.commands.tablecmds import choose_name
    atid, arow = _attribute(cat, rel, colname)
    attnum = arow[_A["attnum"]]
    found = find_not_null(cat, rel.oid, attnum)
    if found is not None:
        tid, row = found
        if row[_K["connoinherit"]] and recurse:
            raise PgError(FEATURE_NOT_SUPPORTED, f'cannot change NO INHERIT status of NOT NULL '
                          f'constraint "{row[_K["conname"]]}" on relation "{rel.name}"')
        if recursing:
            cat.update("pg_constraint", tid, replace("pg_constraint", row,
                                                     coninhcount=row[_K["coninhcount"]] + 1))
        elif not row[_K["conislocal"]]:
            cat.update("pg_constraint", tid, replace("pg_constraint", row, conislocal=True))
        elif not row[_K["convalidated"]]:
            validate_not_null(s, cat, rel, tid, row, recurse)
        cat.command_counter_increment()
        return
    if not recurse and not recursing and rel.relkind == "p" and rel.children:
        raise PgError(INVALID_TABLE_DEFINITION, "constraint must be added to child tables too",
                      hint="Do not specify the ONLY keyword.")
    name = conname or choose_name(cat, rel.namespace, f"{rel.name}_{colname}", "not_null")
    check_no_nulls(s, rel, attnum, colname)
    _store(cat, rel, atid, arow, name, recursing, False, True)
    cat.command_counter_increment()
    if not recurse:
        return
    for child in _children(cat, rel):
        set_not_null(s, cat, child, colname, recurse, recursing=True, conname=name)


def validate_not_null(s: Any, cat: Any, rel: Any, tid: Any, row: tuple, recurse: bool) -> None:
    """VALIDATE CONSTRAINT of a not-null constraint: scan for NULLs, here and in the
    children's constraints on the same column (QueueNNConstraintValidation)."""
    attnum = next(iter(row[_K["conkey"]]))
    col = next(c for c in rel.columns if c.attnum == attnum)
    if not row[_K["convalidated"]]:
        check_no_nulls(s, rel, attnum, col.name)
    if recurse and not row[_K["connoinherit"]]:
        for child in _children(cat, rel):
            ccol = child.column(col.name)
            if ccol is None:
                continue
            found = find_not_null(cat, child.oid, ccol.attnum)
            if found is not None and not found[1][_K["convalidated"]]:
                validate_not_null(s, cat, child, found[0], found[1], recurse)
    if not row[_K["convalidated"]]:
        cat.update("pg_constraint", tid, replace("pg_constraint", row, convalidated=True))
        cat.command_counter_increment()


def alter_inheritability(s: Any, cat: Any, rel: Any, tid: Any, row: tuple,
                         noinherit: bool) -> None:
    """ALTER CONSTRAINT ... [NO] INHERIT of a not-null constraint."""
    name = row[_K["conname"]]
    if row[_K["coninhcount"]] > 0:
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'cannot alter inherited constraint '
                      f'"{name}" on relation "{rel.name}"')
    if noinherit and rel.relkind == "p":
        raise PgError(FEATURE_NOT_SUPPORTED, f'not-null constraint "{name}" on partitioned '
                      f'table "{rel.name}" cannot be NO INHERIT')
    if bool(row[_K["connoinherit"]]) == noinherit:
        return
    cat.update("pg_constraint", tid, replace("pg_constraint", row, connoinherit=noinherit))
    cat.command_counter_increment()
    attnum = next(iter(row[_K["conkey"]]))
    colname = next(c.name for c in rel.columns if c.attnum == attnum)
    for child in _children(cat, rel):
        ccol = child.column(colname)
        if ccol is None:
            continue
        if noinherit:
            # the children keep theirs, one parent fewer
            found = find_not_null(cat, child.oid, ccol.attnum)
            if found is not None:
                ctid, crow = found
                n = max(crow[_K["coninhcount"]] - 1, 0)
                cat.update("pg_constraint", ctid, replace(
                    "pg_constraint", crow, coninhcount=n,
                    conislocal=crow[_K["conislocal"]] or n == 0))
        else:
            add_not_null(s, cat, child, colname, name, False,
                         not row[_K["convalidated"]], True, recursing=True, hint=False)
    cat.command_counter_increment()


def check_droppable(cat: Any, rel: Any, attnum: int, colname: str) -> None:
    """A not-null constraint under a primary key or the replica identity stays."""
    from tuskdb.sql.commands.tableopts import replica_identity_index
    if any(ix.primary and attnum in ix.attnums for ix in rel.indexes):
        raise PgError(INVALID_TABLE_DEFINITION, f'column "{colname}" is in a primary key')
    ri = replica_identity_index(cat, rel)
    if ri is not None and attnum in ri.attnums:
        raise PgError(INVALID_TABLE_DEFINITION, f'column "{colname}" is in index used as '
                      f"replica identity")


def drop_not_null(s: Any, cat: Any, rel: Any, colname: str, recurse: bool) -> None:
    """ALTER COLUMN ... DROP NOT NULL: drops the column's not-null constraint, with
    DROP CONSTRAINT's inheritance rules (ATExecDropNotNull)."""
    from tuskdb.sql.commands import inherit
    from tuskdb.sql.commands.tablecmds import _drop_constraint
    atid, arow = _attribute(cat, rel, colname)
    attnum = arow[_A["attnum"]]
    if arow[_A["attidentity"]] not in ("", "\x00", None):
        raise PgError(SYNTAX_ERROR, f'column "{colname}" of relation "{rel.name}" is an '
                      f"identity column")
    if not arow[_A["attnotnull"]]:
        return
    check_droppable(cat, rel, attnum, colname)
    if rel.partbound is not None:
        # a partition keeps what its parent has (ATExecDropNotNull's partition check)
        for parent_oid in rel.parents:
            parent = cat.relation_by_oid(parent_oid)
            pcol = parent.column(colname) if parent is not None else None
            if pcol is not None and pcol.notnull:
                raise PgError(INVALID_TABLE_DEFINITION, f'column "{colname}" is marked NOT NULL '
                              f"in parent table")
    found = find_not_null(cat, rel.oid, attnum)
    if found is None:
        cat.update("pg_attribute", atid, replace("pg_attribute", arow, attnotnull=False))
        return
    inherit.drop_constraint(s, cat, rel, {"name": found[1][_K["conname"]]}, recurse,
                            _drop_constraint)


def verify_pk_compatible(cat: Any, rel: Any, colname: str) -> None:
    """A primary key cannot rest on a NOT VALID or NO INHERIT not-null constraint, here or
    in a partition (verifyNotNullPKCompatible)."""
    col = rel.column(colname)
    if col is None:
        return
    found = find_not_null(cat, rel.oid, col.attnum)
    if found is not None:
        row = found[1]
        name = row[_K["conname"]]
        if row[_K["connoinherit"]]:
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'cannot create primary key on '
                          f'column "{colname}"',
                          detail=f'The constraint "{name}" on column "{colname}" of table '
                                 f'"{rel.name}", marked NO INHERIT, is incompatible with a '
                                 f"primary key.",
                          hint="You might need to make the existing constraint inheritable "
                               "using ALTER TABLE ... ALTER CONSTRAINT ... INHERIT.")
        if not row[_K["convalidated"]]:
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'cannot create primary key on '
                          f'column "{colname}"',
                          detail=f'The constraint "{name}" on column "{colname}" of table '
                                 f'"{rel.name}", marked NOT VALID, is incompatible with a '
                                 f"primary key.",
                          hint="You might need to validate it using ALTER TABLE ... VALIDATE "
                               "CONSTRAINT.")
    if rel.relkind == "p":
        for child in _children(cat, rel):
            verify_pk_compatible(cat, child, colname)
