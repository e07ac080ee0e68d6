"""Operator classes defined with CREATE OPERATOR CLASS (hash support for partitioning).

Only what hash partitioning needs: a user-defined hash operator class whose
support function 2 (the extended hash: (value, seed int8) -> int8) is a SQL
function.  Built-in operator classes are not catalog rows here.
"""

from __future__ import annotations

from typing import Any


def custom_hash_function(state: Any, opclass: int) -> Any:
    """f(value, seed) -> uint64 for a user-defined hash operator class, else None."""
    if opclass < 16384:
        return None
    cat = state.catalog
    from tuskdb.catalog.rows import COLUMN_POS
    k = COLUMN_POS["pg_opclass"]
    rows = cat.find("pg_opclass", oid=opclass)
    if not rows:
        return None
    family = rows[0][1][k["opcfamily"]]
    p = COLUMN_POS["pg_amproc"]
    for _, r in cat.find("pg_amproc", amprocfamily=family, amprocnum=2):
        proc = r[p["amproc"]]
        return _sql_function_caller(state, proc)
    return None


def _sql_function_caller(state: Any, proc_oid: int) -> Any:
    from tuskdb.errors import feature_not_supported
    raise feature_not_supported("hash operator classes with user-defined support functions")
