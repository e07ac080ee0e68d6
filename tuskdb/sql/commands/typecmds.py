"""CREATE TYPE / ALTER TYPE / DROP TYPE and CREATE / ALTER / DROP DOMAIN
(PostgreSQL's commands/typecmds.c).

Dispatch by statement kind (see ``HANDLERS`` in commands/__init__.py):

    DefineStmt (OBJECT_TYPE)  define_type   shell type (CREATE TYPE name;); base types
    CreateEnumStmt            create_enum   AS ENUM (...)
    CompositeTypeStmt         create_composite  AS (...)
    CreateRangeStmt           create_range  AS RANGE (...)  -- range types' own module
    CreateDomainStmt          create_domain
    AlterEnumStmt             alter_enum    ADD VALUE / RENAME VALUE
    AlterDomainStmt           alter_domain
    DropStmt (TYPE / DOMAIN)  drop_type

A type is a pg_type row (with an array type "_name" beside it), an enum's labels
are pg_enum rows, a domain's CHECK constraints pg_constraint rows with
``contypid``.  ``catalog/typecache.py`` turns the rows into ``UserType``s.
"""

from __future__ import annotations

import struct
from typing import Any

from tuskdb import types
from tuskdb.catalog.manager import CatalogView
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (FEATURE_NOT_SUPPORTED,
                           UNDEFINED_OBJECT, WRONG_OBJECT_TYPE, PgError, notice)
from tuskdb.sql.analyze.state import AnalyzeState

_T = COLUMN_POS["pg_type"]
_E = COLUMN_POS["pg_enum"]
DUPLICATE_OBJECT = "42710"
NAMEDATALEN = 64


# -- helpers ---------------------------------------------------------------------------


def _state(s: Any, raw: Any) -> AnalyzeState:
    return AnalyzeState(s.catalog(), s, [], None, raw.source)


def _names(items: list[dict]) -> list[str]:
    return [n["String"]["sval"] for n in items]


def _owner(s: Any, cat: CatalogView) -> int:
    from tuskdb.sql.commands.tablecmds import _owner as owner
    return owner(s, cat)


def _creation_namespace(s: Any, cat: CatalogView, names: list[str]) -> int:
    """The schema a new object goes to; the creator needs CREATE on it."""
    if len(names) > 1:
        nsp = cat.namespace_oid(names[-2])
        if nsp is None:
            raise PgError("3F000", f'schema "{names[-2]}" does not exist')
    else:
        nsp = s.creation_namespace(cat)
        if nsp is None:
            raise PgError("3F000", "no schema has been selected to create in")
    uid, is_super = s._role_facts(cat)
    if not is_super and nsp != getattr(s, "temp_nsp", None):
        from tuskdb.catalog import aclchk
        aclchk.check_namespace_create(cat, nsp, uid)
    return nsp


def move_array_type_name(cat: CatalogView, nsp: int, name: str) -> bool:
    """moveArrayTypeName: a name taken by an automatically made array type is freed by
    renaming that array type (to its next '_'-prefixed name)."""
    oid = cat.type_oid(nsp, name)
    if oid is None:
        return False
    tid, row = _type_row(cat, oid)
    elem = row[_T["typelem"]]
    if not elem or row[_T["typcategory"]] != "A":
        return False
    erow = cat.find("pg_type", oid=elem)
    if not erow or erow[0][1][_T["typarray"]] != oid:
        return False
    new = array_type_name(cat, nsp, name)
    cat.update("pg_type", tid, replace("pg_type", row, typname=new))
    cat.command_counter_increment()
    return True


def _check_type_name_free(cat: CatalogView, nsp: int, name: str) -> tuple[Any, tuple] | None:
    """Raise 42710 if ``name`` is taken in ``nsp``; return a shell type's (tid, row)."""
    move_array_type_name(cat, nsp, name)
    oid = cat.type_oid(nsp, name)
    if oid is None:
        if nsp == 11 and _builtin(name) is not None:
            raise PgError(DUPLICATE_OBJECT, f'type "{name}" already exists')
        return None
    found = cat.find("pg_type", oid=oid)
    if found and found[0][1][_T["typtype"]] == "p" and not found[0][1][_T["typisdefined"]]:
        return found[0]
    raise PgError(DUPLICATE_OBJECT, f'type "{name}" already exists')


def _builtin(name: str) -> Any:
    try:
        return types.type_by_name(name)
    except PgError:
        return None


def array_type_name(cat: CatalogView, nsp: int, name: str, self_oid: int = 0) -> str:
    """makeArrayTypeName: '_' + name, else '_' + name + '_N' (truncated to fit)."""
    for i in range(0, 1000):
        tail = "" if i == 0 else f"_{i}"
        room = NAMEDATALEN - 1 - len(tail.encode()) - 1
        cand = "_" + name.encode()[:room].decode(errors="ignore") + tail
        if cat.type_oid(nsp, cand) in (None, self_oid or None):
            return cand
    raise PgError(DUPLICATE_OBJECT, f'could not form array type name for type "{name}"')


def insert_type(cat: CatalogView, *, oid: int, name: str, nsp: int, owner: int, typtype: str,
                typlen: int, byval: bool, category: str, align: str = "i", storage: str = "p",
                array_oid: int = 0, relid: int = 0, basetype: int = 0, typmod: int = -1,
                notnull: bool = False, collation: int = 0, default_bin: str | None = None,
                default_text: str | None = None, procs: tuple[str, ...] = (),
                delim: str = ",", defined: bool = True, shell: tuple | None = None,
                with_array: bool = True) -> None:
    """Insert (or fill in a shell's) pg_type row, and the row of its array type."""
    row = make_row(
        "pg_type", oid=oid, typname=name, typnamespace=nsp, typowner=owner, typlen=typlen,
        typbyval=byval, typtype=typtype, typcategory=category, typispreferred=False,
        typisdefined=defined, typdelim=delim, typrelid=relid, typelem=0, typarray=array_oid,
        typalign=align, typstorage=storage, typnotnull=notnull, typbasetype=basetype,
        typtypmod=typmod, typndims=0, typcollation=collation, typdefaultbin=default_bin,
        typdefault=default_text)
    if not relid and typtype != "m":
        # a new type starts with its owner's default privileges (not a relation's row
        # type, nor a multirange, which follow their relation / range)
        from tuskdb.sql.commands.defaclcmds import default_acl
        row = replace("pg_type", row, typacl=default_acl(cat, "T", owner, nsp))
    if shell is not None:
        cat.update("pg_type", shell[0], row)
    else:
        cat.insert("pg_type", row)
    if array_oid and with_array:
        cat.insert("pg_type", make_row(
            "pg_type", oid=array_oid, typname=array_type_name(cat, nsp, name), typnamespace=nsp,
            typowner=owner, typlen=-1, typbyval=False, typtype="b", typcategory="A",
            typispreferred=False, typisdefined=True, typdelim=delim, typrelid=0, typelem=oid,
            typarray=0, typalign="d" if align == "d" else "i", typstorage="x",
            typnotnull=False, typbasetype=0, typtypmod=-1, typndims=0, typcollation=collation))
    _depend(cat, 1247, oid, 2615, nsp, "n")


def _depend(cat: CatalogView, classid: int, objid: int, refclassid: int, refobjid: int,
            deptype: str, refobjsubid: int = 0) -> None:
    cat.insert("pg_depend", make_row(
        "pg_depend", classid=classid, objid=objid, objsubid=0, refclassid=refclassid,
        refobjid=refobjid, refobjsubid=refobjsubid, deptype=deptype))


def lookup_type_oid(s: Any, cat: CatalogView, names: list[str]) -> int | None:
    from tuskdb.sql.analyze.typename import lookup_type
    t = lookup_type(cat, s, names)
    return t.oid if t is not None else None


def _type_row(cat: CatalogView, oid: int) -> tuple[Any, tuple]:
    found = cat.find("pg_type", oid=oid)
    return found[0]


def _display(names: list[str]) -> str:
    return ".".join(names)


# -- CREATE TYPE name; (shell) and base types ---------------------------------------------


def define_type(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    kind = body.get("kind")
    if kind in ("OBJECT_TSDICTIONARY", "OBJECT_TSCONFIGURATION", "OBJECT_TSTEMPLATE",
                "OBJECT_TSPARSER"):
        from tuskdb.sql.commands import tsearchcmds
        return {"OBJECT_TSDICTIONARY": tsearchcmds.define_dictionary,
                "OBJECT_TSCONFIGURATION": tsearchcmds.define_configuration,
                "OBJECT_TSTEMPLATE": tsearchcmds.define_template,
                "OBJECT_TSPARSER": tsearchcmds.define_parser}[kind](s, raw)
    if kind == "OBJECT_OPERATOR":
        from tuskdb.sql.commands.operatorcmds import define_operator
        return define_operator(s, raw)
    if kind == "OBJECT_AGGREGATE":
        from tuskdb.sql.commands.aggregatecmds import define_aggregate
        return define_aggregate(s, raw)
    if kind != "OBJECT_TYPE":
        what = {"OBJECT_AGGREGATE": "CREATE AGGREGATE", "OBJECT_OPERATOR": "CREATE OPERATOR",
                "OBJECT_COLLATION": "CREATE COLLATION", "OBJECT_TSPARSER":
                "CREATE TEXT SEARCH PARSER", "OBJECT_TSDICTIONARY":
                "CREATE TEXT SEARCH DICTIONARY", "OBJECT_TSTEMPLATE":
                "CREATE TEXT SEARCH TEMPLATE", "OBJECT_TSCONFIGURATION":
                "CREATE TEXT SEARCH CONFIGURATION"}.get(kind, str(kind))
        raise PgError(FEATURE_NOT_SUPPORTED, f"{what} is not supported")
    cat = s.catalog()
    names = _names(body["defnames"])
    nsp = _creation_namespace(s, cat, names)
    name = names[-1]
    if body.get("definition"):
        return define_base_type(s, raw, cat, nsp, name)
    if cat.type_oid(nsp, name) is not None or (nsp == 11 and _builtin(name) is not None):
        raise PgError(DUPLICATE_OBJECT, f'type "{name}" already exists')
    oid = cat.m.next_oid()
    insert_type(cat, oid=oid, name=name, nsp=nsp, owner=_owner(s, cat), typtype="p",
                typlen=4, byval=True, category="P", defined=False)
    return QueryResult(tag="CREATE TYPE")


_ALIGNMENTS = {"double": "d", "float8": "d", "pg_catalog.float8": "d", "int4": "i",
               "pg_catalog.int4": "i", "int2": "s", "pg_catalog.int2": "s", "char": "c",
               "pg_catalog.bpchar": "c"}
_STORAGES = {"plain": "p", "external": "e", "extended": "x", "main": "m"}


def _def_text(arg: Any) -> str:
    """A definition's argument as text (a type name, a word, a string, a number)."""
    if arg is None:
        return ""
    if "TypeName" in arg:
        return ".".join(n["String"]["sval"] for n in arg["TypeName"]["names"])
    for k in ("String", "Float"):
        if k in arg:
            return str(arg[k].get("sval", arg[k].get("fval", "")))
    if "Integer" in arg:
        return str(arg["Integer"].get("ival", 0))
    if "Boolean" in arg:
        return "true" if arg["Boolean"].get("boolval") else "false"
    return ""


def _def_bool(arg: Any) -> bool:
    return arg is None or _def_text(arg).lower() in ("true", "on", "1", "yes")


def define_base_type(s: Any, raw: Any, cat: CatalogView, nsp: int, name: str) -> QueryResult:
    """CREATE TYPE name (INPUT = f, OUTPUT = g, ...) (DefineType).

    I/O functions are C or internal functions in PostgreSQL; TuskDB runs no C, so
    they must be LANGUAGE internal functions naming a built-in type's I/O function
    ('int4in', 'textout', ...): the new type then holds that type's values."""
    from tuskdb.sql.commands.tablecmds import _state
    state = _state(s, raw)
    funcs: dict[str, list[str]] = {}
    typlen, byval, align, storage = -1, False, "i", "p"
    category, preferred, delim, default = "U", False, ",", None
    for item in raw.body["definition"]:
        d = item["DefElem"]
        key, arg = d["defname"].lower(), d.get("arg")
        if key in ("input", "output", "receive", "send", "typmod_in", "typmod_out",
                   "analyze", "subscript"):
            funcs[key] = [n["String"]["sval"] for n in arg["TypeName"]["names"]] \
                if "TypeName" in arg else [_def_text(arg)]
        elif key == "like":
            from tuskdb.sql.analyze.expr import resolve_type_name
            like_oid, _ = resolve_type_name(arg["TypeName"], state)
            lt = cat.type_by_oid(like_oid)
            typlen, byval, align = lt.typlen, lt.byval, getattr(lt, "align", "i")
            storage = getattr(lt, "storage", "p")
        elif key == "internallength":
            text = _def_text(arg)
            typlen = -1 if text.lower() == "variable" else int(text)
        elif key == "passedbyvalue":
            byval = True
        elif key == "alignment":
            text = _def_text(arg).lower()
            if text not in _ALIGNMENTS:
                raise PgError("22023", f'alignment "{_def_text(arg)}" not recognized')
            align = _ALIGNMENTS[text]
        elif key == "storage":
            text = _def_text(arg).lower()
            if text not in _STORAGES:
                raise PgError("22023", f'storage "{_def_text(arg)}" not recognized')
            storage = _STORAGES[text]
        elif key == "category":
            text = _def_text(arg)
            if len(text) != 1 or not (32 <= ord(text) < 127):
                raise PgError("22023", f'invalid type category "{text}": must be simple '
                              "ASCII")
            category = text
        elif key == "preferred":
            preferred = _def_bool(arg)
        elif key == "delimiter":
            delim = _def_text(arg)[:1]
        elif key == "default":
            default = _def_text(arg)
        elif key in ("element", "collatable"):
            raise PgError(FEATURE_NOT_SUPPORTED, f"CREATE TYPE ... {key.upper()} is not "
                          "supported")
        else:
            s.add_notice(PgError("42601", f'type attribute "{d["defname"]}" not recognized',
                                 severity="WARNING"))
    if "input" not in funcs:
        raise PgError("42P17", "type input function must be specified")
    if "output" not in funcs:
        raise PgError("42P17", "type output function must be specified")
    for key in ("typmod_in", "typmod_out", "analyze", "subscript"):
        if key in funcs:
            raise PgError(FEATURE_NOT_SUPPORTED, f"CREATE TYPE ... {key.upper()} is not "
                          "supported")
    shell = _check_type_name_free(cat, nsp, name)
    if shell is None:
        # DefineType makes the shell itself when there is none (its input function
        # cannot return it, so this ends in the error below)
        oid = cat.m.next_oid()
        insert_type(cat, oid=oid, name=name, nsp=nsp, owner=_owner(s, cat), typtype="p",
                    typlen=4, byval=True, category="P", defined=False)
        cat.command_counter_increment()
        shell = _check_type_name_free(cat, nsp, name)
    oid = shell[1][_T["oid"]]
    from tuskdb.types.usertypes import io_symbol_owner
    procs = {}
    for key, want_args, want_ret, retname in (
            ("input", [[2275], [2275, 26, 23]], oid, None),
            ("output", [[oid]], 2275, "cstring"),
            ("receive", [[2281], [2281, 26, 23]], oid, None),
            ("send", [[oid]], 17, "bytea")):
        if key not in funcs:
            continue
        row = _io_function_row(s, cat, funcs[key], want_args)
        p = COLUMN_POS["pg_proc"]
        if row[p["prorettype"]] != want_ret:
            fname = funcs[key][-1]
            raise PgError("42P17", f"type {key} function {fname} must return type "
                          f"{retname or _display([name])}")
        symbol = row[p["prosrc"]] if row[p["prolang"]] == 12 else None
        owner = io_symbol_owner(symbol or "")
        if owner is None or owner[1] != key:
            raise PgError(FEATURE_NOT_SUPPORTED, f"type {key} function {funcs[key][-1]} is "
                          "not supported: it must be a LANGUAGE internal function naming a "
                          f"built-in type's {key} function")
        procs[key] = (row[p["oid"]], owner[0])
    reps = {t.oid for _, t in procs.values()}
    if len(reps) > 1:
        raise PgError(FEATURE_NOT_SUPPORTED, "type I/O functions of different built-in types "
                      "are not supported")
    array_oid = cat.m.next_oid()
    row = make_row(
        "pg_type", oid=oid, typname=name, typnamespace=nsp, typowner=_owner(s, cat),
        typlen=typlen, typbyval=byval, typtype="b", typcategory=category,
        typispreferred=preferred, typisdefined=True, typdelim=delim, typrelid=0, typelem=0,
        typarray=array_oid, typalign=align, typstorage=storage, typnotnull=False,
        typbasetype=0, typtypmod=-1, typndims=0, typcollation=0, typdefault=default,
        typinput=procs["input"][0], typoutput=procs["output"][0],
        typreceive=procs.get("receive", (0,))[0], typsend=procs.get("send", (0,))[0])
    from tuskdb.sql.commands.defaclcmds import default_acl
    row = replace("pg_type", row, typacl=default_acl(cat, "T", _owner(s, cat), nsp))
    cat.update("pg_type", shell[0], row)
    cat.insert("pg_type", make_row(
        "pg_type", oid=array_oid, typname=array_type_name(cat, nsp, name), typnamespace=nsp,
        typowner=_owner(s, cat), typlen=-1, typbyval=False, typtype="b", typcategory="A",
        typispreferred=False, typisdefined=True, typdelim=delim, typrelid=0, typelem=oid,
        typarray=0, typalign="d" if align == "d" else "i", typstorage="x",
        typnotnull=False, typbasetype=0, typtypmod=-1, typndims=0, typcollation=0))
    cat.command_counter_increment()
    cat.type_by_oid(oid)
    _created_in_txn(s).add(oid)
    return QueryResult(tag="CREATE TYPE")


def _io_function_row(s: Any, cat: CatalogView, names: list[str],
                     arg_lists: list[list[int]]) -> tuple:
    """The I/O function ``names`` with one of the argument lists (findTypeInputFunction
    and friends); 42883 naming the first signature when there is none."""
    from tuskdb.sql.analyze.coerce import type_name
    p = COLUMN_POS["pg_proc"]
    fname = names[-1]
    nsps = [cat.namespace_oid(names[-2])] if len(names) > 1 else s.search_path_oids(cat)
    for args in arg_lists:
        for nsp in nsps:
            for _, row in cat.find("pg_proc", proname=fname, pronamespace=nsp):
                have = list(row[p["proargtypes"]].items) if row[p["proargtypes"]] else []
                if have == args:
                    return row
    shown = ".".join(names)
    raise PgError("42883", f"function {shown}({', '.join(type_name(t) for t in arg_lists[0])})"
                  " does not exist")


# -- enums ------------------------------------------------------------------------------


def _f4(x: float) -> float:
    """Round to float4 (pg_enum.enumsortorder is real)."""
    return struct.unpack("f", struct.pack("f", x))[0]


def _check_label(label: str) -> None:
    if len(label.encode()) > NAMEDATALEN - 1:
        raise PgError("22023", f'invalid enum label "{label}"',
                      detail=f"Labels must be {NAMEDATALEN - 1} bytes or less.")


def create_enum(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    names = _names(body["typeName"])
    nsp = _creation_namespace(s, cat, names)
    name = names[-1]
    shell = _check_type_name_free(cat, nsp, name)
    labels = [v["String"]["sval"] for v in body.get("vals") or []]
    seen = set()
    for label in labels:
        _check_label(label)
        if label in seen:
            raise PgError(DUPLICATE_OBJECT, f'enum label "{label}" used more than once')
        seen.add(label)
    oid = shell[1][_T["oid"]] if shell else cat.m.next_oid()
    array_oid = cat.m.next_oid()
    insert_type(cat, oid=oid, name=name, nsp=nsp, owner=_owner(s, cat), typtype="e",
                typlen=4, byval=True, category="E", array_oid=array_oid, shell=shell,
                procs=("enum_in", "enum_out", "enum_recv", "enum_send"))
    for i, label in enumerate(labels):
        cat.insert("pg_enum", make_row("pg_enum", oid=cat.m.next_oid(), enumtypid=oid,
                                       enumsortorder=float(i + 1), enumlabel=label))
    _created_in_txn(s).add(oid)
    return QueryResult(tag="CREATE TYPE")


def _created_in_txn(s: Any) -> set[int]:
    """Enum types created by the current transaction (their new values are safe)."""
    txn = s.txn
    got = getattr(txn, "_enum_types_created", None)
    if got is None:
        got = set()
        txn._enum_types_created = got
    return got


def uncommitted_enum_values(s: Any) -> set[int]:
    txn = s.txn
    return getattr(txn, "_enum_values_added", None) or set()


def alter_enum(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    names = _names(body["typeName"])
    oid = lookup_type_oid(s, cat, names)
    if oid is None:
        raise PgError(UNDEFINED_OBJECT, f'type "{_display(names)}" does not exist')
    t = cat.type_by_oid(oid)
    if t.typtype != "e":
        raise PgError(WRONG_OBJECT_TYPE, f"{t.sql_name} is not an enum")
    rows = sorted(cat.find("pg_enum", enumtypid=oid), key=lambda r: r[1][_E["enumsortorder"]])
    by_label = {r[_E["enumlabel"]]: (tid, r) for tid, r in rows}
    if body.get("oldVal"):
        old, new = body["oldVal"], body["newVal"]
        if old not in by_label:
            raise PgError("22023", f'"{old}" is not an existing enum label')
        if new in by_label:
            raise PgError(DUPLICATE_OBJECT, f'enum label "{new}" already exists')
        _check_label(new)
        tid, r = by_label[old]
        cat.update("pg_enum", tid, replace("pg_enum", r, enumlabel=new))
        return QueryResult(tag="ALTER TYPE")
    new = body["newVal"]
    _check_label(new)
    if new in by_label:
        if body.get("skipIfNewValExists"):
            s.add_notice(notice(f'enum label "{new}" already exists, skipping'))
            return QueryResult(tag="ALTER TYPE")
        raise PgError(DUPLICATE_OBJECT, f'enum label "{new}" already exists')
    neighbor = body.get("newValNeighbor")
    orders = [r[_E["enumsortorder"]] for _, r in rows]
    if neighbor is None:
        order = _f4((orders[-1] if orders else 0.0) + 1)
    else:
        if neighbor not in by_label:
            raise PgError("22023", f'"{neighbor}" is not an existing enum label')
        after = bool(body.get("newValIsAfter"))
        while True:
            idx = next(i for i, (_, r) in enumerate(rows) if r[_E["enumlabel"]] == neighbor)
            nbr = rows[idx][1][_E["enumsortorder"]]
            other_idx = idx + 1 if after else idx - 1
            if 0 <= other_idx < len(rows):
                other = rows[other_idx][1][_E["enumsortorder"]]
                order = _f4(nbr + _f4(_f4(other - nbr) / 2))
                if order == nbr or order == other:
                    rows = _renumber(cat, rows)
                    continue
            else:
                order = _f4(nbr + 1) if after else _f4(nbr - 1)
            break
    eoid = cat.m.next_oid()
    cat.insert("pg_enum", make_row("pg_enum", oid=eoid, enumtypid=oid, enumsortorder=order,
                                   enumlabel=new))
    if oid not in _created_in_txn(s):
        added = getattr(s.txn, "_enum_values_added", None)
        if added is None:
            added = set()
            s.txn._enum_values_added = added
        added.add(eoid)
    return QueryResult(tag="ALTER TYPE")


def _renumber(cat: CatalogView, rows: list) -> list:
    """RenumberEnumType: give the labels sort orders 1, 2, 3, ... again."""
    out = []
    for i, (tid, r) in enumerate(rows):
        nr = replace("pg_enum", r, enumsortorder=float(i + 1))
        cat.update("pg_enum", tid, nr)
        out.append((None, nr))
    cat.command_counter_increment()
    fresh = {r[_E["oid"]]: (tid, r) for tid, r in
             cat.find("pg_enum", enumtypid=rows[0][1][_E["enumtypid"]])}
    return [fresh[r[_E["oid"]]] for _, r in out]


# -- range types (the ranges module fills this in) ------------------------------------------


def create_range(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.commands import rangecmds
    return rangecmds.create_range(s, raw)


# -- composite types --------------------------------------------------------------------


def create_composite(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.commands import composite
    return composite.create_composite(s, raw)


# -- domains ----------------------------------------------------------------------------


def create_domain(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.commands import domains
    return domains.create_domain(s, raw)


def alter_domain(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.commands import domains
    return domains.alter_domain(s, raw)


# -- DROP TYPE / DROP DOMAIN ------------------------------------------------------------


def type_dependents(cat: CatalogView, oid: int) -> list[tuple[str, Any]]:
    """Objects that depend on type ``oid``: ('column', (relname, attname)) for table
    columns of the type or its array, ('type', oid) for domains over it."""
    out: list[tuple[str, Any]] = []
    t = cat.type_by_oid(oid)
    oids = {oid}
    if t is not None and t.array_oid:
        oids.add(t.array_oid)
    d = COLUMN_POS["pg_depend"]
    # functions internal to a type (range constructors) go with that type, not with this one
    internal: set[int] = {r[d["objid"]] for r in cat.rows("pg_depend")
                          if r[d["classid"]] == 1255 and r[d["deptype"]] == "i"}
    if t is not None and t.typtype == "r":
        # a range's multirange type (and its array) go with it
        from tuskdb.sql.commands.rangecmds import range_internals
        mr_oid, _ = range_internals(cat, oid)
        mt = cat.type_by_oid(mr_oid) if mr_oid else None
        if mt is not None:
            oids.add(mt.oid)
            if mt.array_oid:
                oids.add(mt.array_oid)
    a = COLUMN_POS["pg_attribute"]
    for r in cat.rows("pg_attribute"):
        if r[a["atttypid"]] in oids and not r[a["attisdropped"]] and r[a["attnum"]] > 0:
            rel = cat.relation_by_oid(r[a["attrelid"]])
            if rel is None or (t is not None and rel.oid == getattr(t, "relid", 0)) or \
                    rel.relkind in ("i", "I", "S"):
                continue
            out.append(("column", (rel, r[a["attname"]])))
    for r in cat.rows("pg_type"):
        if r[_T["typbasetype"]] in oids and r[_T["typtype"]] == "d":
            out.append(("type", r[_T["oid"]]))
    g = COLUMN_POS["pg_range"]
    for r in cat.rows("pg_range"):
        if r[g["rngsubtype"]] in oids and r[g["rngtypid"]] not in oids:
            out.append(("type", r[g["rngtypid"]]))
    c = COLUMN_POS["pg_class"]
    for r in cat.rows("pg_class"):
        if r[c["reloftype"]] in oids:
            rel = cat.relation_by_oid(r[c["oid"]])
            if rel is not None:
                out.append(("table", rel))
    p = COLUMN_POS["pg_proc"]
    for r in cat.rows("pg_proc"):
        if r[p["oid"]] < 16384 or r[p["oid"]] in internal:
            continue
        args = tuple(r[p["proargtypes"]] or ())
        if r[p["prorettype"]] in oids or any(a in oids for a in args):
            out.append(("function", r))
    from tuskdb.sql.commands.castcmds import casts_on_type
    for found in casts_on_type(cat, oid, oids):
        out.append(("cast", found))
    def oid_of(d: tuple[str, Any]) -> tuple[int, int]:
        kind, what = d
        if kind == "column":
            col = what[0].column(what[1])
            return (what[0].oid, -(col.attnum if col is not None else 0))
        if kind == "table":
            return (what.oid, 0)
        if kind == "function":
            return (what[COLUMN_POS["pg_proc"]["oid"]], 0)
        if kind == "cast":
            return (what[1][COLUMN_POS["pg_cast"]["oid"]], 0)
        return (what, 0)
    out.sort(key=oid_of)        # creation order, as a pg_depend scan gives them
    return out


def _dep_words(cat: CatalogView, deps: list[tuple[str, Any]]) -> list[str]:
    words = []
    for kind, what in deps:
        if kind == "column":
            rel, att = what
            relword = {"v": "view", "m": "materialized view", "c": "composite type"}.get(
                rel.relkind, "table")
            if rel.relkind == "c":
                words.append(f"column {att} of composite type {rel.name}")
            else:
                words.append(f"column {att} of {relword} {rel.name}")
        elif kind == "table":
            words.append(f"table {what.name}")
        elif kind == "cast":
            from tuskdb.sql.commands.castcmds import describe_cast
            words.append(describe_cast(what[1]))
        elif kind == "function":
            p = COLUMN_POS["pg_proc"]
            from tuskdb.sql.analyze.coerce import type_name
            args = ", ".join(type_name(a) for a in (what[p["proargtypes"]] or ()))
            words.append(f"function {what[p['proname']]}({args})")
        else:
            dt = cat.type_by_oid(what)
            words.append(f"type {dt.sql_name if dt is not None else what}")
    return words


def drop_type(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    is_domain = body["removeType"] == "OBJECT_DOMAIN"
    cat = s.catalog()
    cascade = body.get("behavior") == "DROP_CASCADE"
    targets = []
    for obj in body["objects"]:
        tn = obj.get("TypeName", obj)
        names = _names(tn["names"])
        try:
            oid = lookup_type_oid(s, cat, names)
        except PgError:
            if body.get("missing_ok"):
                s.add_notice(notice(f'schema "{names[-2]}" does not exist, skipping'))
                continue
            raise
        if oid is None or oid < 16384:
            if oid is not None and oid < 16384:
                raise PgError("2BP01", f"cannot drop type {_display(names)} because it is "
                              "required by the database system")
            if body.get("missing_ok"):
                s.add_notice(notice(f'type "{_display(names)}" does not exist, skipping'))
                continue
            raise PgError(UNDEFINED_OBJECT, f'type "{_display(names)}" does not exist')
        t = cat.type_by_oid(oid)
        if t is None:
            raise PgError(UNDEFINED_OBJECT, f'type "{_display(names)}" does not exist')
        if is_domain and t.typtype != "d":
            raise PgError(WRONG_OBJECT_TYPE, f'"{t.name}" is not a domain')
        if t.category == "A" and getattr(t, "elem_oid", 0) and t.typtype == "b":
            elem = cat.type_by_oid(t.elem_oid)
            raise PgError("2BP01", f"cannot drop type {t.sql_name} because type "
                          f"{elem.sql_name if elem else t.elem_oid} requires it",
                          hint=f"You can drop type {elem.sql_name if elem else ''} instead.")
        if t.typtype == "m":
            from tuskdb.sql.commands.rangecmds import range_of_multirange
            rt = cat.type_by_oid(range_of_multirange(cat, t.oid))
            rname = rt.sql_name if rt is not None else "?"
            raise PgError("2BP01", f"cannot drop type {t.sql_name} because type {rname} "
                          "requires it", hint=f"You can drop type {rname} instead.")
        if t.typtype == "c" and getattr(t, "relid", 0):
            rel = cat.relation_by_oid(t.relid)
            if rel is not None and rel.relkind != "c":
                raise PgError("2BP01", f"cannot drop type {t.sql_name} because table "
                              f"{rel.name} requires it",
                              hint=f"You can drop table {rel.name} instead.")
        targets.append(t)
    for t in targets:
        drop_type_object(s, cat, t, cascade, "type")
    return QueryResult(tag="DROP DOMAIN" if is_domain else "DROP TYPE")


def _all_dependents(cat: CatalogView, oid: int, seen: set[int]) -> list[tuple[str, Any]]:
    """Dependents of a type and, through domains and composite types depending on it,
    their dependents too (what DROP ... CASCADE removes)."""
    out = []
    for kind, what in type_dependents(cat, oid):
        out.append((kind, what))
        if kind == "type" and what not in seen:
            seen.add(what)
            out += _all_dependents(cat, what, seen)
    return out


def _referenced_name(cat: CatalogView, t: Any, dep: tuple[str, Any]) -> str:
    """The type a dependent object names: a column of a range's multirange type
    depends on the multirange type."""
    if t.typtype == "r" and dep[0] == "column":
        rel, att = dep[1]
        col = rel.column(att)
        if col is not None and col.type_oid != t.oid:
            ct = cat.type_by_oid(col.type_oid)
            if ct is not None and ct.typtype == "m":
                return ct.sql_name
    return t.sql_name


def drop_type_object(s: Any, cat: CatalogView, t: Any, cascade: bool, what: str,
                     reported: bool = False) -> None:
    """Drop type ``t`` and (CASCADE) what depends on it; ``reported``: the caller has
    already told what goes (a DROP FUNCTION taking the type along)."""
    deps = type_dependents(cat, t.oid)
    if deps and cascade:
        deps = _all_dependents(cat, t.oid, {t.oid})
    if deps:
        from tuskdb.sql.commands.dependency import report_dependents
        words = _dep_words(cat, deps)
        if not reported:
            report_dependents(s, f"{what} {t.sql_name}",
                              [(w, f"{what} {_referenced_name(cat, t, d)}")
                               for w, d in zip(words, deps)], cascade)
        for kind, obj in deps:
            if kind == "type":
                dt = cat.type_by_oid(obj)
                if dt is not None:
                    remove_type_rows(cat, dt)
            elif kind == "table":
                from tuskdb.sql.commands.tablecmds import drop_relation, lock_relation
                lock_relation(s, obj.oid, 8)
                drop_relation(s, cat, obj)
            elif kind == "function":
                p = COLUMN_POS["pg_proc"]
                cat.delete_where("pg_proc", oid=obj[p["oid"]])
                cat.delete_where("pg_depend", objid=obj[p["oid"]])
            elif kind == "cast":
                from tuskdb.sql.commands.castcmds import remove_cast
                remove_cast(cat, obj)
            else:
                rel, att = obj
                from tuskdb.sql.commands import tablecmds
                if rel.relkind == "c":
                    from tuskdb.sql.commands.composite import _drop_attribute
                    col = rel.column(att)
                    if col is not None:
                        _drop_attribute(cat, rel.oid, col.attnum)
                    continue
                tablecmds.lock_relation(s, rel.oid, 8)
                tablecmds._drop_column(s, cat, rel, att, True, True)
    remove_type_rows(cat, t)
    cat.command_counter_increment()


def remove_type_rows(cat: CatalogView, t: Any) -> None:
    if t.typtype == "r":
        from tuskdb.sql.commands.rangecmds import remove_range_rows
        remove_range_rows(cat, t)
    if t.typtype == "c":
        from tuskdb.sql.commands.composite import drop_composite_relation
        drop_composite_relation(None, cat, t)
    cat.delete_where("pg_type", oid=t.oid)
    if t.array_oid:
        cat.delete_where("pg_type", oid=t.array_oid)
        cat.delete_where("pg_depend", objid=t.array_oid)
    cat.delete_where("pg_enum", enumtypid=t.oid)
    cat.delete_where("pg_constraint", contypid=t.oid)
    cat.delete_where("pg_depend", objid=t.oid)
    cat.delete_where("pg_description", objoid=t.oid)


def check_enum_value_safe(session: Any, t: Any, v: Any) -> None:
    """An enum value added by ALTER TYPE ... ADD VALUE in the still-open transaction
    (to a type that transaction did not create) may not be used yet."""
    txn = getattr(session, "txn", None)
    added = getattr(txn, "_enum_values_added", None) if txn is not None else None
    if added and int(v) in added:
        from tuskdb.types.usertypes import ENUM_LABELS
        raise PgError("55P04", f'unsafe use of new value "{ENUM_LABELS.get(int(v))}" of enum '
                      f"type {t.sql_name}",
                      hint="New enum values must be committed before they can be used.")


# -- ALTER TYPE / DOMAIN ... RENAME, OWNER TO, SET SCHEMA --------------------------------


def _object_type(s: Any, cat: CatalogView, body: dict, domain: bool) -> Any:
    names = _names(body["object"]["List"]["items"]) if "List" in body["object"] else \
        _names(body["object"]["TypeName"]["names"])
    oid = lookup_type_oid(s, cat, names)
    if oid is None:
        raise PgError(UNDEFINED_OBJECT, f'type "{_display(names)}" does not exist')
    t = cat.type_by_oid(oid)
    if domain and t.typtype != "d":
        raise PgError(WRONG_OBJECT_TYPE, f'"{t.name}" is not a domain')
    return t


def rename_type(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    kind = body["renameType"]
    cat = s.catalog()
    new = body["newname"]
    if kind == "OBJECT_DOMCONSTRAINT":
        t = _object_type(s, cat, body, True)
        k = COLUMN_POS["pg_constraint"]
        cons = cat.find("pg_constraint", contypid=t.oid)
        if any(r[k["conname"]] == new for _, r in cons):
            raise PgError(DUPLICATE_OBJECT, f'constraint "{new}" for domain {t.sql_name} '
                          f"already exists")
        for tid, r in cons:
            if r[k["conname"]] == body["subname"]:
                cat.update("pg_constraint", tid, replace("pg_constraint", r, conname=new))
                return QueryResult(tag="ALTER DOMAIN")
        raise PgError(UNDEFINED_OBJECT, f'constraint "{body["subname"]}" for domain '
                      f'{t.sql_name} does not exist')
    if kind == "OBJECT_ATTRIBUTE":
        from tuskdb.sql.commands import composite
        return composite.rename_attribute(s, raw)
    domain = kind == "OBJECT_DOMAIN"
    t = _object_type(s, cat, body, domain)
    tag = "ALTER DOMAIN" if domain else "ALTER TYPE"
    if t.category == "A" and t.elem_oid and t.typtype == "b":
        raise PgError(WRONG_OBJECT_TYPE, f"cannot alter array type {t.sql_name}",
                      hint="You can alter type "
                           f"{t.sql_name[:-2] if t.sql_name.endswith('[]') else t.sql_name}, "
                           "which will alter the array type as well.")
    if t.typtype == "c" and t.relid:
        rel = cat.relation_by_oid(t.relid)
        if rel is not None and rel.relkind != "c":
            raise PgError(WRONG_OBJECT_TYPE, f"{t.sql_name} is a table's row type",
                          hint="Use ALTER TABLE instead.")
    if cat.type_oid(t.namespace, new) is not None:
        raise PgError(DUPLICATE_OBJECT, f'type "{new}" already exists in schema '
                      f'"{t.nspname}"')
    tid, row = _type_row(cat, t.oid)
    cat.update("pg_type", tid, replace("pg_type", row, typname=new))
    if t.array_oid:
        atid, arow = _type_row(cat, t.array_oid)
        cat.command_counter_increment()
        cat.update("pg_type", atid, replace("pg_type", arow, typname=array_type_name(
            cat, t.namespace, new, t.array_oid)))
    if t.relid:
        for ctid, crow in cat.find("pg_class", oid=t.relid):
            cat.update("pg_class", ctid, replace("pg_class", crow, relname=new))
    return QueryResult(tag=tag)


def alter_type_owner(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    domain = body["objectType"] == "OBJECT_DOMAIN"
    t = _object_type(s, cat, body, domain)
    role = body["newowner"].get("rolename")
    found = cat.find("pg_authid", rolname=role)
    if not found:
        raise PgError(UNDEFINED_OBJECT, f'role "{role}" does not exist')
    owner = found[0][1][COLUMN_POS["pg_authid"]["oid"]]
    for oid in (t.oid, t.array_oid) + _multirange_of(cat, t):
        if oid:
            tid, row = _type_row(cat, oid)
            cat.update("pg_type", tid, replace("pg_type", row, typowner=owner))
    return QueryResult(tag="ALTER DOMAIN" if domain else "ALTER TYPE")


def _multirange_of(cat: CatalogView, t: Any) -> tuple[int, ...]:
    """A range type's multirange type and its array (they follow the range's owner and
    schema); a multirange type itself cannot be altered."""
    if t.typtype == "m":
        from tuskdb.sql.commands.rangecmds import range_of_multirange
        rt = cat.type_by_oid(range_of_multirange(cat, t.oid))
        rname = rt.sql_name if rt is not None else "?"
        raise PgError(WRONG_OBJECT_TYPE, f"cannot alter multirange type {t.sql_name}",
                      hint=f"You can alter type {rname}, which will alter the multirange "
                           "type as well.")
    if t.typtype != "r":
        return ()
    from tuskdb.sql.commands.rangecmds import range_internals
    mr_oid, _ = range_internals(cat, t.oid)
    mt = cat.type_by_oid(mr_oid) if mr_oid else None
    return (mt.oid, mt.array_oid) if mt is not None else ()


def alter_type_schema(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    domain = body["objectType"] == "OBJECT_DOMAIN"
    t = _object_type(s, cat, body, domain)
    nsp = cat.namespace_oid(body["newschema"])
    if nsp is None:
        raise PgError("3F000", f'schema "{body["newschema"]}" does not exist')
    if cat.type_oid(nsp, t.name) is not None and nsp != t.namespace:
        raise PgError(DUPLICATE_OBJECT, f'type "{t.name}" already exists in schema '
                      f'"{body["newschema"]}"')
    for oid in (t.oid, t.array_oid) + (_multirange_of(cat, t) if t.typtype == "r" else ()):
        if oid:
            tid, row = _type_row(cat, oid)
            cat.update("pg_type", tid, replace("pg_type", row, typnamespace=nsp))
    if t.relid:
        for ctid, crow in cat.find("pg_class", oid=t.relid):
            cat.update("pg_class", ctid, replace("pg_class", crow, relnamespace=nsp))
    return QueryResult(tag="ALTER DOMAIN" if domain else "ALTER TYPE")


def alter_owner(s: Any, raw: Any) -> QueryResult:
    """AlterOwnerStmt: types and domains here; other objects are not supported yet."""
    if raw.body["objectType"] in ("OBJECT_TYPE", "OBJECT_DOMAIN"):
        return alter_type_owner(s, raw)
    if raw.body["objectType"] in ("OBJECT_TSDICTIONARY", "OBJECT_TSCONFIGURATION"):
        from tuskdb.sql.commands.tsearchcmds import alter_owner as ts_alter_owner
        return ts_alter_owner(s, raw)
    if raw.body["objectType"] in ("OBJECT_FDW", "OBJECT_FOREIGN_SERVER"):
        from tuskdb.sql.commands import foreigncmds
        cat = s.catalog()
        name = raw.body["object"]["String"]["sval"]
        if raw.body["objectType"] == "OBJECT_FDW":
            foreigncmds.alter_fdw_owner(s, cat, name, raw.body["newowner"])
            return QueryResult(tag="ALTER FOREIGN DATA WRAPPER")
        foreigncmds.alter_server_owner(s, cat, name, raw.body["newowner"])
        return QueryResult(tag="ALTER SERVER")
    if raw.body["objectType"] == "OBJECT_SUBSCRIPTION":
        from tuskdb.sql.commands.subscriptioncmds import alter_subscription_owner
        alter_subscription_owner(s, s.catalog(), raw.body["object"]["String"]["sval"],
                                 raw.body["newowner"])
        return QueryResult(tag="ALTER SUBSCRIPTION")
    if raw.body["objectType"] == "OBJECT_PUBLICATION":
        from tuskdb.sql.commands.publicationcmds import alter_publication_owner
        alter_publication_owner(s, s.catalog(), raw.body["object"]["String"]["sval"],
                                raw.body["newowner"])
        return QueryResult(tag="ALTER PUBLICATION")
    from tuskdb.sql.commands.ownedcmds import alter_owner as alter_owner_generic
    res = alter_owner_generic(s, raw)
    if res is not None:
        return res
    kind = raw.body["objectType"].replace("OBJECT_", "")
    raise PgError(FEATURE_NOT_SUPPORTED, f"ALTER {kind} OWNER is not supported")


def alter_object_schema(s: Any, raw: Any) -> QueryResult:
    """AlterObjectSchemaStmt: types and domains here; other objects are not supported yet."""
    if raw.body["objectType"] in ("OBJECT_TYPE", "OBJECT_DOMAIN"):
        return alter_type_schema(s, raw)
    if raw.body["objectType"] in ("OBJECT_TSDICTIONARY", "OBJECT_TSCONFIGURATION",
                                  "OBJECT_TSPARSER", "OBJECT_TSTEMPLATE"):
        from tuskdb.sql.commands.tsearchcmds import alter_schema as ts_alter_schema
        return ts_alter_schema(s, raw)
    kind = raw.body["objectType"].replace("OBJECT_", "")
    raise PgError(FEATURE_NOT_SUPPORTED, f"ALTER {kind} SET SCHEMA is not supported")
