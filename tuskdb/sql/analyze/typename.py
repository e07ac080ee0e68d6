"""Type names to types (PostgreSQL's parse_type.c LookupTypeName).

A qualified name looks in its schema; an unqualified one first among the
built-ins (pg_catalog is searched first unless search_path lists it later),
then in each schema of search_path for a user-defined type.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.errors import PgError

PG_CATALOG = 11


def lookup_type(catalog: Any, session: Any, names: list[str], builtin_name: str | None = None
                ) -> Any:
    """The PgType named ``names`` (``[schema,] name``), or None.

    ``builtin_name`` is the pg_catalog spelling to try for an unqualified name
    (after SQL aliases such as integer -> int4)."""
    name = names[-1]
    if len(names) > 1:
        schema = names[-2]
        if schema == "pg_catalog":
            return _builtin(builtin_name or name)
        nsp = catalog.namespace_oid(schema)
        if nsp is None:
            raise PgError("3F000", f'schema "{schema}" does not exist')
        oid = catalog.type_oid(nsp, name)
        return catalog.type_by_oid(oid) if oid is not None else None
    t = _builtin(builtin_name or name)
    if t is not None:
        return t
    path = session.search_path_oids(catalog) if session is not None else [PG_CATALOG, 2200]
    for nsp in path:
        if nsp == PG_CATALOG:
            continue
        oid = catalog.type_oid(nsp, name)
        if oid is not None:
            return catalog.type_by_oid(oid)
    return None


def _builtin(name: str) -> Any:
    try:
        return types.type_by_name(name)
    except PgError:
        return None


def type_is_visible(catalog: Any, session: Any, t: Any) -> bool:
    if t.oid < 16384:
        return True
    ns = getattr(t, "namespace", PG_CATALOG)
    path = session.search_path_oids(catalog) if session is not None else [PG_CATALOG, 2200]
    for nsp in path:
        if nsp == PG_CATALOG:
            continue
        oid = catalog.type_oid(nsp, t.name)
        if oid is not None:
            return nsp == ns
    return False
