"""Temporal constraints of PostgreSQL 18: PRIMARY KEY / UNIQUE (..., col WITHOUT
OVERLAPS) and FOREIGN KEY (..., PERIOD col).

PostgreSQL enforces them with GiST exclusion (no two rows with equal leading
columns and overlapping ranges), which TuskDB does not have yet: the
definition is checked as transformIndexConstraint does, then refused with
0A000 rather than built as an ordinary unique index (which would accept
overlapping periods).
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.errors import (DATATYPE_MISMATCH, FEATURE_NOT_SUPPORTED, SYNTAX_ERROR,
                           UNDEFINED_COLUMN, PgError)


def check_temporal(con: dict, column_type: Any, state: Any) -> None:
    """Refuse a WITHOUT OVERLAPS or PERIOD constraint (after PostgreSQL's own
    definition checks).  ``column_type(name)`` gives a column's type OID or None."""
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
        raise PgError(FEATURE_NOT_SUPPORTED, "WITHOUT OVERLAPS constraints are not supported")
    if con.get("fk_with_period") or con.get("pk_with_period"):
        raise PgError(FEATURE_NOT_SUPPORTED, "foreign keys with PERIOD are not supported")


def _is_range(oid: int) -> bool:
    from tuskdb.types.usertypes import base_type
    t = types.TYPES.get(base_type(oid))
    return t is not None and t.typtype in ("r", "m")
