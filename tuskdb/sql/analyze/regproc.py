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
        found = sorted({f.oid for f in functions(parts[-1])} |
                       {r[0] for r in _builtin_procs() if r[1] == parts[-1]})
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
    from tuskdb.sql.commands.operatorcmds import ESTIMATOR_NAMES
    if oid in ESTIMATOR_NAMES:
        return ESTIMATOR_NAMES[oid]
    for r in _builtin_procs():
        if r[0] == oid:
            return _quote(r[1])
    return str(oid)


def _builtin_procs() -> list[tuple]:
    """pg_proc rows of the built-ins (oid, name, ...), implemented or not."""
    from tuskdb.types import catdata
    return catdata.PROCS


def regoperator_lookup(s: Any, text: str) -> int:
    """regoperatorin: 'name(lefttype,righttype)' (NONE for a prefix operator's left)."""
    from tuskdb.sql.analyze.resolve import operators
    from tuskdb.sql.commands.operatorcmds import find_operator
    from tuskdb.types.registry import parse_type_name
    text = text.strip()
    if "(" not in text or not text.endswith(")"):
        raise PgError("22P02", "expected a left parenthesis")
    name, args = text[:-1].split("(", 1)
    parts = [a.strip() for a in args.split(",")]
    if len(parts) != 2:
        raise PgError("42601", "expected two type names" if len(parts) < 2 else
                      "too many arguments")
    oids = []
    for part in parts:
        if part.lower() == "none":
            oids.append(0)
            continue
        hooks = getattr(s.type_context, "session_hooks", None)
        try:
            t = parse_type_name(part)[0]
        except PgError:
            if hooks is None:
                raise
            t = hooks.lookup_type_text(part)[0]
        oids.append(t.oid)
    left, right = oids
    names = name.strip().split(".")
    found = find_operator(s, s.catalog(), names, left, right)
    if found is not None:
        return found[1][COLUMN_POS["pg_operator"]["oid"]]
    if len(names) == 1 or names[0] == "pg_catalog":
        for op in operators(names[-1]):
            if op.left == left and op.right == right:
                return op.oid
    raise PgError("42883", f'operator does not exist: {text}')


def regoperator_output(s: Any, oid: int) -> str:
    from tuskdb.types.registry import format_type
    cat = s.catalog()
    found = cat.find("pg_operator", oid=oid)
    if found:
        p = COLUMN_POS["pg_operator"]
        row = found[0][1]
        name, left, right = row[p["oprname"]], row[p["oprleft"]], row[p["oprright"]]
        if row[p["oprnamespace"]] not in s.search_path_oids(cat):
            name = f"{cat.namespace_name(row[p['oprnamespace']])}.{name}"
    else:
        from tuskdb import types
        op = next((o for o in types.OPERATORS if o.oid == oid), None)
        if op is None:
            return str(oid)
        name, left, right = op.name, op.left, op.right
    lt = format_type(left, None) if left else "NONE"
    return f"{name}({lt},{format_type(right, None)})"


_CLASS_WORDS = {1255: "function", 2617: "operator", 2615: "schema", 1247: "type",
                1259: "relation", 2600: "aggregate"}


def describe_object(s: Any, classid: int, objid: int, subid: int) -> str | None:
    """pg_describe_object for the object kinds routines and operators depend on."""
    from tuskdb.sql.analyze.coerce import type_name
    cat = s.catalog()
    if classid == 1255:
        found = cat.find("pg_proc", oid=objid)
        if found:
            from tuskdb.sql.commands.functioncmds import describe_routine
            return describe_routine(found[0][1])
        from tuskdb.sql.analyze.resolve import _FUNCS, _INDEXED, _index
        if not _INDEXED:
            _index()
        for fns in _FUNCS.values():
            for fn in fns:
                if fn.oid == objid:
                    return f"function {fn.name}({','.join(type_name(t) for t in fn.arg_types)})"
        from tuskdb.sql.commands.operatorcmds import ESTIMATOR_NAMES, JOIN_FUNCS
        name = ESTIMATOR_NAMES.get(objid)
        if name is not None:
            args = "internal,oid,internal,smallint,internal" if name in JOIN_FUNCS else \
                "internal,oid,internal,integer"
            return f"function {name}({args})"
        return None
    if classid == 2615:
        name = cat.namespace_name(objid)
        return f"schema {name}" if name is not None else None
    if classid == 2617:
        if objid == 0:
            return None
        return f"operator {regoperator_output(s, objid)}"
    if classid == 1247:
        return f"type {type_name(objid)}"
    if classid == 2605:
        found = cat.find("pg_cast", oid=objid)
        if found:
            from tuskdb.sql.commands.castcmds import describe_cast
            return describe_cast(found[0][1])
        return None
    if classid == 1259:
        rel = cat.relation_by_oid(objid)
        if rel is None:
            return None
        word = {"r": "table", "v": "view", "m": "materialized view", "i": "index",
                "S": "sequence", "p": "table", "c": "type", "f": "foreign table"}.get(
                    rel.relkind, "relation")
        if subid:
            col = next((c for c in rel.columns if c.attnum == subid), None)
            return f"column {col.name} of {word} {rel.name}" if col else None
        return f"{word} {rel.name}"
    return None
