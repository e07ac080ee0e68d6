"""regproc: a function named by its name alone (regprocin / regprocout)."""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS
from tuskdb.errors import PgError


def _quote(name: str) -> str:
    from tuskdb.sql.deparse import quote_ident
    return quote_ident(name)


def regproc_lookup(s: Any, text: str) -> int:
    """regprocin: the one function named ``text`` (user-defined ones on the search_path
    first, then the built-ins)."""
    from tuskdb.sql.analyze.resolve import functions
    from tuskdb.sql.commands.sequence import _parse_name
    parts = _parse_name(text)
    cat = s.catalog()
    if len(parts) > 1:
        nsp = cat.namespace_oid(parts[-2])
        path = [nsp] if nsp is not None else []
    else:
        path = s.search_path_oids(cat)
    p = COLUMN_POS["pg_proc"]
    found = [row[p["oid"]] for _, row in cat.find("pg_proc", proname=parts[-1])
             if row[p["pronamespace"]] in path]
    if not found and (len(parts) == 1 or parts[-2] == "pg_catalog"):
        found = sorted({f.oid for f in functions(parts[-1])})
    if len(found) > 1:
        raise PgError("42725", f'more than one function named "{text}"')
    if not found:
        raise PgError("42883", f'function "{text}" does not exist')
    return found[0]


def regproc_output(s: Any, oid: int) -> str:
    from tuskdb.sql.analyze.resolve import _FUNCS, _INDEXED, _index
    cat = s.catalog()
    if oid >= 16384:
        p = COLUMN_POS["pg_proc"]
        found = cat.find("pg_proc", oid=oid)
        if not found:
            return str(oid)
        row = found[0][1]
        name = row[p["proname"]]
        visible = [r[p["pronamespace"]] for _, r in cat.find("pg_proc", proname=name)]
        path = s.search_path_oids(cat)
        first = next((n for n in path if n in visible), None)
        if first == row[p["pronamespace"]]:
            return _quote(name)
        return f"{_quote(cat.namespace_name(row[p['pronamespace']]) or '')}.{_quote(name)}"
    if not _INDEXED:
        _index()
    for fns in _FUNCS.values():
        for fn in fns:
            if fn.oid == oid:
                return _quote(fn.name)
    from tuskdb.types.builtins import PROCS_BY_OID     # built-ins TuskDB cannot call
    if oid in PROCS_BY_OID:
        return _quote(PROCS_BY_OID[oid][1])
    return str(oid)
