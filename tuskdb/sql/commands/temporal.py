"""Temporal constraints of PostgreSQL 18: PRIMARY KEY / UNIQUE (..., col WITHOUT
OVERLAPS) and FOREIGN KEY (..., PERIOD col).

A WITHOUT OVERLAPS key is an exclusion constraint (``=`` on the leading
columns, ``&&`` on the last, a range or multirange) with a GiST index; see
sql/execute/exclusion.py for how it is stored and enforced.  Its definition is
checked as transformIndexConstraint does; ``without_overlaps_exclusion`` gives
the operators and operator classes PostgreSQL catalogues for it.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.errors import (DATATYPE_MISMATCH, FEATURE_NOT_SUPPORTED, INVALID_FOREIGN_KEY,
                           SYNTAX_ERROR, UNDEFINED_COLUMN, UNDEFINED_OBJECT, PgError)

# (equality operator, overlaps operator, GiST operator class) of anyrange / anymultirange
RANGE_GIST = (3882, 3888, 10078)
MULTIRANGE_GIST = (2860, 2868, 10082)


def check_temporal(con: dict, column_type: Any, state: Any) -> None:
    """Check a WITHOUT OVERLAPS or PERIOD constraint's definition (after PostgreSQL's
    own checks).  ``column_type(name)`` gives a column's type OID or None."""
    if con.get("without_overlaps"):
        keys = [k["String"]["sval"] for k in con.get("keys") or []]
        if len(keys) < 2:
            raise PgError(SYNTAX_ERROR, "constraint using WITHOUT OVERLAPS needs at least two "
                          "columns")
        for k in keys:
            if column_type(k) is None:
                raise PgError(UNDEFINED_COLUMN, f'column "{k}" named in key does not exist',
                              position=state.pos(con.get("location")))
        t = column_type(keys[-1])
        if not _is_range(t):
            raise PgError(DATATYPE_MISMATCH, f'column "{keys[-1]}" in WITHOUT OVERLAPS is not '
                          "a range or multirange type", position=state.pos(con.get("location")))
        if con.get("deferrable"):
            raise PgError(FEATURE_NOT_SUPPORTED, "deferrable WITHOUT OVERLAPS constraints are "
                          "not supported")


def check_fk_period(con: dict, pk_given: bool) -> None:
    """A FOREIGN KEY's PERIOD parts before the referenced key is looked up
    (ATAddForeignKeyConstraint): PERIOD on one side only, and the referential
    actions PostgreSQL 18 does not implement for PERIOD (only NO ACTION is)."""
    fk_period = bool(con.get("fk_with_period"))
    if pk_given and con.get("pk_with_period") and not fk_period:
        raise PgError(INVALID_FOREIGN_KEY, "foreign key uses PERIOD on the referenced table but "
                      "not the referencing table")
    if pk_given and fk_period and not con.get("pk_with_period"):
        raise PgError(INVALID_FOREIGN_KEY, "foreign key uses PERIOD on the referencing table but "
                      "not the referenced table")
    if fk_period:
        if con.get("fk_upd_action", "a") not in ("a",):
            raise PgError(FEATURE_NOT_SUPPORTED, "unsupported ON UPDATE action for foreign key "
                          "constraint using PERIOD")
        if con.get("fk_del_action", "a") not in ("a",):
            raise PgError(FEATURE_NOT_SUPPORTED, "unsupported ON DELETE action for foreign key "
                          "constraint using PERIOD")


def check_fk_index(con: dict, pk_given: bool, index: Any) -> None:
    """The referenced key found: a WITHOUT OVERLAPS key needs a PERIOD foreign key."""
    if index.exclusion_ops and not con.get("fk_with_period"):
        if pk_given:
            raise PgError(INVALID_FOREIGN_KEY, "foreign key must use PERIOD when referencing a "
                          "primary key using WITHOUT OVERLAPS")
        raise PgError(INVALID_FOREIGN_KEY, "foreign key uses PERIOD on the referenced table but "
                      "not the referencing table")
    if con.get("fk_with_period") and not index.exclusion_ops:
        raise PgError(INVALID_FOREIGN_KEY, "foreign key uses PERIOD on the referencing table but "
                      "not the referenced table")


def fk_period_operators(index: Any) -> list[int]:
    """conpfeqop (= conppeqop = conffeqop) of a PERIOD foreign key: the referenced
    key's exclusion operators (= on the scalar parts, && on the period)."""
    return list(index.exclusion_ops)


def gist_operator_class(type_oid: int) -> int | None:
    """The default GiST operator class of a range or multirange type (else None)."""
    from tuskdb.types.usertypes import base_type
    t = types.TYPES.get(base_type(type_oid))
    kind = t.typtype if t is not None else ""
    return RANGE_GIST[2] if kind == "r" else MULTIRANGE_GIST[2] if kind == "m" else None


def without_overlaps_exclusion(type_oids: list[int]) -> tuple[list[int], list[int]]:
    """(conexclop, indclass) of a WITHOUT OVERLAPS key over columns of these types:
    each column's default GiST operator class, ``=`` for the leading columns and
    ``&&`` for the last (PostgreSQL's GetOperatorFromCompareType)."""
    from tuskdb.types.registry import format_type
    from tuskdb.types.usertypes import base_type
    ops, classes = [], []
    for i, oid in enumerate(type_oids):
        t = types.TYPES.get(base_type(oid))
        kind = t.typtype if t is not None else ""
        if kind == "r":
            eq, overlaps, opc = RANGE_GIST
        elif kind == "m":
            eq, overlaps, opc = MULTIRANGE_GIST
        else:
            raise PgError(UNDEFINED_OBJECT, f"data type {format_type(oid, -1)} has no "
                          'default operator class for access method "gist"',
                          hint="You must specify an operator class for the index or define a "
                               "default operator class for the data type.")
        ops.append(overlaps if i == len(type_oids) - 1 else eq)
        classes.append(opc)
    return ops, classes


def _is_range(oid: int) -> bool:
    from tuskdb.types.usertypes import base_type
    t = types.TYPES.get(base_type(oid))
    return t is not None and t.typtype in ("r", "m")


def retype_without_overlaps(cat: Any, rel: Any, ix: Any, attnum: int, new_type: int) -> None:
    """ALTER COLUMN TYPE of a column of a WITHOUT OVERLAPS key: its operators and
    operator classes follow the new type (PostgreSQL rebuilds the index)."""
    from tuskdb.catalog.rows import replace
    from tuskdb.types import Array
    if not ix.unique:
        return                    # a plain EXCLUDE constraint keeps its operators
    type_oids = [new_type if a == attnum else rel.columns[a - 1].type_oid for a in ix.attnums]
    ops, classes = without_overlaps_exclusion(type_oids)
    for tid, row in cat.find("pg_constraint", conindid=ix.oid, conrelid=rel.oid):
        cat.update("pg_constraint", tid, replace("pg_constraint", row, conexclop=Array(ops)))
    for tid, row in cat.find("pg_index", indexrelid=ix.oid):
        cat.update("pg_index", tid, replace("pg_index", row, indclass=Array(classes, 0)))
