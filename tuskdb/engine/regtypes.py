"""Text I/O of the OID alias types that need the catalogs (regclass, regtype, ...).

The types layer knows them only as OIDs; turning 'pgbench_accounts' into an
OID (regclassin) or an OID back into a possibly schema-qualified name
(regclassout) needs the session's catalogs and search_path, so it lives here.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.catalog.rows import COLUMN_POS
from tuskdb.errors import PgError

REGCLASS, REGTYPE, REGNAMESPACE, REGROLE = 2205, 2206, 4089, 4096
REGCONFIG, REGDICTIONARY = 3734, 3769
REGPROC, REGOPERATOR = 24, 2204
REG_TYPES = frozenset((REGCLASS, REGTYPE, REGNAMESPACE, REGROLE, REGCONFIG, REGDICTIONARY,
                       REGPROC, REGOPERATOR))
_TS_OBJECTS = (REGCONFIG, REGDICTIONARY)


def _ts_lookup(s: Any, type_oid: int, text: str) -> int:
    from tuskdb.sql.analyze.ts_sysfuncs import ts_name_lookup
    return ts_name_lookup(s, s.catalog(), type_oid, text)


def _ts_output(s: Any, type_oid: int, oid: int) -> str:
    from tuskdb.sql.analyze.ts_sysfuncs import ts_name_output
    return ts_name_output(s, s.catalog(), type_oid, oid)


def _quote(name: str) -> str:
    if name and name == name.lower() and (name[0].isalpha() or name[0] == "_") and \
            all(c.isalnum() or c in "_$" for c in name):
        return name
    return '"' + name.replace('"', '""') + '"'


def reg_array_elem(type_oid: int) -> int | None:
    """The element type of an array of an OID alias type (regclass[]), else None."""
    t = types.TYPES.get(type_oid)
    if t is not None and t.category == "A" and t.elem_oid in REG_TYPES:
        return t.elem_oid
    return None


def reg_array_input(s: Any, type_oid: int, text: str) -> Any:
    """Text input of regclass[] & co.: each element looked up like reg_input."""
    from tuskdb.types.arrays import array_in
    elem = reg_array_elem(type_oid)
    return array_in(text, lambda v, _m, _c: reg_input(s, elem, v), -1, s.type_context)


def reg_input(s: Any, type_oid: int, text: str) -> int:
    from tuskdb.sql.commands.sequence import _parse_name

    text = text.strip()
    if text.isdigit():
        return int(text)
    if text == "-":
        return 0
    if type_oid in _TS_OBJECTS:
        return _ts_lookup(s, type_oid, text)
    cat = s.catalog()
    if type_oid == REGCLASS:
        parts = _parse_name(text)
        if len(parts) > 1:
            nsp = cat.namespace_oid(parts[-2])
            if nsp is None:
                raise PgError("3F000", f'schema "{parts[-2]}" does not exist')
            oid = cat.relation_oid(nsp, parts[-1])
        else:
            oid = None
            for nsp in s.search_path_oids(cat):
                oid = cat.relation_oid(nsp, parts[-1])
                if oid is not None:
                    break
        if oid is None:
            raise PgError("42P01", f'relation "{text}" does not exist')
        return oid
    if type_oid == REGTYPE:
        from tuskdb.sql.analyze.expr import _TYPE_ALIASES
        from tuskdb.sql.analyze.typename import lookup_type
        name = text.lower()
        t = None
        try:
            t = types.type_by_name(_TYPE_ALIASES.get(name, name))
        except PgError:
            hooks = getattr(s.type_context, "session_hooks", None)
            if hooks is not None:
                t = hooks.lookup_type_text(text)[0]        # schema.name, name[]
            else:
                t = lookup_type(cat, s, _parse_name(text))
        if t is None:
            raise PgError("42704", f'type "{text}" does not exist')
        return t.oid
    if type_oid == REGNAMESPACE:
        parts = _parse_name(text)
        oid = cat.namespace_oid(parts[-1])
        if oid is None:
            raise PgError("3F000", f'schema "{text}" does not exist')
        return oid
    if type_oid == REGPROC:
        from tuskdb.sql.analyze.regproc import regproc_lookup
        return regproc_lookup(s, text)
    if type_oid == REGOPERATOR:
        from tuskdb.sql.analyze.regproc import regoperator_lookup
        return regoperator_lookup(s, text)
    if type_oid == REGROLE:
        parts = _parse_name(text)
        for _, row in cat.find("pg_authid", rolname=parts[-1]):
            return row[COLUMN_POS["pg_authid"]["oid"]]
        raise PgError("42704", f'role "{text}" does not exist')
    raise PgError("0A000", f"input of type {type_oid} is not supported")


def reg_output(s: Any, type_oid: int, oid: int) -> str:
    if oid == 0:
        return "-"
    if type_oid in _TS_OBJECTS:
        return _ts_output(s, type_oid, oid)
    cat = s.catalog()
    if type_oid == REGCLASS:
        rel = cat.relation_by_oid(oid)
        if rel is None:
            return str(oid)
        visible = False
        for nsp in s.search_path_oids(cat):
            found = cat.relation_oid(nsp, rel.name)
            if found is not None:
                visible = found == oid
                break
        name = _quote(rel.name)
        return name if visible else f"{_quote(rel.nspname)}.{name}"
    if type_oid == REGTYPE:
        t = types.TYPES.get(oid) if oid < 16384 else cat.type_by_oid(oid)
        if t is None:
            return str(oid)
        if oid >= 16384:
            from tuskdb.sql.analyze.typename import type_is_visible
            base = t.elem_oid if t.category == "A" and t.typtype == "b" else oid
            shown = cat.type_by_oid(base) if base != oid else t
            if shown is not None and not type_is_visible(cat, s, shown):
                from tuskdb.types.usertypes import _quote_ident
                text = f"{_quote_ident(shown.nspname)}.{shown.sql_name}"
                return text + ("[]" if base != oid else "")
        return t.format_type(-1)
    if type_oid == REGNAMESPACE:
        name = cat.namespace_name(oid)
        return _quote(name) if name is not None else str(oid)
    if type_oid == REGROLE:
        for _, row in cat.find("pg_authid", oid=oid):
            return _quote(row[COLUMN_POS["pg_authid"]["rolname"]])
        return str(oid)
    if type_oid == REGPROC:
        from tuskdb.sql.analyze.regproc import regproc_output
        return regproc_output(s, oid)
    if type_oid == REGOPERATOR:
        from tuskdb.sql.analyze.regproc import regoperator_output
        return regoperator_output(s, oid)
    return str(oid)
