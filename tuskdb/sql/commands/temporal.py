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
from tuskdb.errors import (DATATYPE_MISMATCH, FEATURE_NOT_SUPPORTED, SYNTAX_ERROR,
                           UNDEFINED_COLUMN, UNDEFINED_OBJECT, PgError)

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
    if con.get("fk_with_period") or con.get("pk_with_period"):
        raise PgError(FEATURE_NOT_SUPPORTED, "foreign keys with PERIOD are not supported")


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
