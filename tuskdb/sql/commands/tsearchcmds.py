"""Text search DDL: CREATE/ALTER/DROP TEXT SEARCH DICTIONARY and CONFIGURATION.

    DefineStmt (OBJECT_TSDICTIONARY)      define_dictionary  pg_ts_dict row; the
                                          template's init checks the options
    AlterTSDictionaryStmt                 alter_dictionary   merge options, re-check
    DefineStmt (OBJECT_TSCONFIGURATION)   define_configuration  PARSER= or COPY=
    AlterTSConfigurationStmt              alter_configuration   ADD/ALTER/DROP MAPPING,
                                                              ALTER MAPPING REPLACE
    DropStmt (TSDICTIONARY/TSCONFIGURATION) drop

Also the catalog readers the text search functions use at run time:
``load_config(session, oid)`` and ``load_dictionary(session, oid)``.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import PgError, notice
from tuskdb.types.tsearch import wparser
from tuskdb.types.tsearch.config import TSConfig
from tuskdb.types.tsearch.dicts import (
    Dictionary, cached_dictionary, parse_dict_options, serialize_options,
)

_P = COLUMN_POS


def _names(items: list[dict]) -> list[str]:
    return [n["String"]["sval"] for n in items]


def _defelem_value(arg: Any) -> tuple[str, bool]:
    """(value text, is a number) of a DefElem argument."""
    if arg is None:
        return "", False
    if "Integer" in arg:
        return str(arg["Integer"].get("ival", 0)), True
    if "Float" in arg:
        return arg["Float"]["fval"], True
    if "String" in arg:
        return arg["String"]["sval"], False
    if "TypeName" in arg:
        return ".".join(_names(arg["TypeName"]["names"])), False
    if "Boolean" in arg:
        return "true" if arg["Boolean"].get("boolval") else "false", False
    raise PgError("0A000", "unsupported option value")


def _lookup(s: Any, cat: Any, catalog: str, namecol: str, nspcol: str, names: list[str],
            what: str, missing_ok: bool = False) -> tuple[Any, tuple[Any, ...]] | None:
    if len(names) > 1:
        nsp = cat.namespace_oid(names[-2])
        if nsp is None:
            if missing_ok:
                return None
            raise PgError("3F000", f'schema "{names[-2]}" does not exist')
        nsps = [nsp]
    else:
        nsps = s.search_path_oids(cat)
    for nsp in nsps:
        for tid, row in cat.find(catalog, **{namecol: names[-1], nspcol: nsp}):
            return tid, row
    if missing_ok:
        return None
    raise PgError("42704", f'{what} "{".".join(names)}" does not exist')


def _creation_namespace(s: Any, cat: Any, names: list[str]) -> int:
    from tuskdb.sql.commands.typecmds import _creation_namespace as cns
    return cns(s, cat, names)


def _owner(s: Any, cat: Any) -> int:
    from tuskdb.sql.commands.tablecmds import _owner as owner
    return owner(s, cat)


# --- run-time readers --------------------------------------------------------------------

_CFG_CACHE: dict[tuple[int, int, int], TSConfig] = {}


def _cacheable(s: Any) -> bool:
    return not getattr(s.txn, "catalog_dirty", False)


def load_dictionary(s: Any, oid: int) -> Dictionary:
    cat = s.catalog()
    p = _P["pg_ts_dict"]
    rows = cat.find("pg_ts_dict", oid=oid)
    if not rows:
        raise PgError("XX000", f"cache lookup failed for text search dictionary {oid}")
    row = rows[0][1]
    tname = _template_name(cat, row[p["dicttemplate"]])
    opts = row[p["dictinitoption"]] or ""
    return cached_dictionary((s.dboid, oid, tname, opts), tname, parse_dict_options(opts),
                             lambda name: _dict_by_name(s, name))


def _dict_by_name(s: Any, name: str) -> Dictionary:
    from tuskdb.sql.analyze.ts_sysfuncs import ts_name_lookup
    return load_dictionary(s, ts_name_lookup(s, s.catalog(), 3769, name))


def load_config(s: Any, oid: int) -> TSConfig:
    key = (s.dboid, oid, s.db.catalogs.generation)
    if _cacheable(s):
        cfg = _CFG_CACHE.get(key)
        if cfg is not None:
            return cfg
    cat = s.catalog()
    rows = cat.find("pg_ts_config", oid=oid)
    if not rows:
        raise PgError("XX000", f"cache lookup failed for text search configuration {oid}")
    p = _P["pg_ts_config"]
    row = rows[0][1]
    cfg = TSConfig(oid, row[p["cfgname"]], row[p["cfgparser"]])
    m = _P["pg_ts_config_map"]
    maps = sorted((r[m["maptokentype"]], r[m["mapseqno"]], r[m["mapdict"]])
                  for _, r in cat.find("pg_ts_config_map", mapcfg=oid))
    for toktype, _seq, d in maps:
        cfg.map.setdefault(toktype, []).append(d)
    cfg.dictionary = lambda d: load_dictionary(s, d)
    if _cacheable(s):
        if len(_CFG_CACHE) > 256:
            _CFG_CACHE.clear()
        _CFG_CACHE[key] = cfg
    return cfg


# --- dictionaries --------------------------------------------------------------------------

# a template is implemented by its lexize function
_LEXIZE_TEMPLATES = {3726: "simple", 3729: "synonym", 3732: "ispell", 3741: "thesaurus",
                     12361: "snowball"}


def _template_name(cat: Any, oid: int) -> str:
    rows = cat.find("pg_ts_template", oid=oid)
    if not rows:
        raise PgError("XX000", f"cache lookup failed for text search template {oid}")
    row = rows[0][1]
    return _LEXIZE_TEMPLATES.get(row[_P["pg_ts_template"]["tmpllexize"]],
                                 row[_P["pg_ts_template"]["tmplname"]])


def _check_dict_options(s: Any, template: str, options: list[tuple[str, str, bool]]) -> None:
    from tuskdb.types.tsearch.dicts import make_dictionary
    make_dictionary(template, [(k, v) for k, v, _num in options],
                    lambda name: _dict_by_name(s, name), typed=options)


def define_dictionary(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    names = _names(body["defnames"])
    nsp = _creation_namespace(s, cat, names)
    name = names[-1]
    template_oid = None
    options: list[tuple[str, str, bool]] = []
    for item in body.get("definition") or []:
        de = item["DefElem"]
        if de["defname"] == "template":
            tnames = _names(de["arg"]["TypeName"]["names"]) if "TypeName" in de["arg"] else \
                [_defelem_value(de["arg"])[0]]
            found = _lookup(s, cat, "pg_ts_template", "tmplname", "tmplnamespace", tnames,
                            "text search template")
            assert found is not None
            template_oid = found[1][_P["pg_ts_template"]["oid"]]
        else:
            v, num = _defelem_value(de.get("arg"))
            options.append((de["defname"], v, num))
    if template_oid is None:
        raise PgError("42P17", "text search template is required")
    if cat.find("pg_ts_dict", dictname=name, dictnamespace=nsp):
        raise PgError("42710", f'text search dictionary "{name}" already exists')
    _check_dict_options(s, _template_name(cat, template_oid), options)
    oid = cat.m.next_oid()
    cat.insert("pg_ts_dict", make_row(
        "pg_ts_dict", oid=oid, dictname=name, dictnamespace=nsp, dictowner=_owner(s, cat),
        dicttemplate=template_oid, dictinitoption=serialize_options(options) or None))
    return QueryResult(tag="CREATE TEXT SEARCH DICTIONARY")


def alter_dictionary(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    names = _names(body["dictname"])
    found = _lookup(s, cat, "pg_ts_dict", "dictname", "dictnamespace", names,
                    "text search dictionary")
    assert found is not None
    tid, row = found
    p = _P["pg_ts_dict"]
    current = [(k, v, num) for k, v, num in
               parse_dict_options(row[p["dictinitoption"]] or "", typed=True)]
    for item in body.get("options") or []:
        de = item["DefElem"]
        current = [o for o in current if o[0] != de["defname"]]
        if de.get("arg") is not None:
            v, num = _defelem_value(de["arg"])
            current.append((de["defname"], v, num))
    _check_dict_options(s, _template_name(cat, row[p["dicttemplate"]]), current)
    cat.update("pg_ts_dict", tid, replace("pg_ts_dict", row,
                                          dictinitoption=serialize_options(current) or None))
    return QueryResult(tag="ALTER TEXT SEARCH DICTIONARY")


# --- configurations --------------------------------------------------------------------------

def define_configuration(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    names = _names(body["defnames"])
    nsp = _creation_namespace(s, cat, names)
    name = names[-1]
    parser_oid = None
    source_oid = None
    for item in body.get("definition") or []:
        de = item["DefElem"]
        arg = de.get("arg")
        target = _names(arg["TypeName"]["names"]) if arg and "TypeName" in arg else \
            [_defelem_value(arg)[0]]
        if de["defname"] == "parser":
            found = _lookup(s, cat, "pg_ts_parser", "prsname", "prsnamespace", target,
                            "text search parser")
            assert found is not None
            parser_oid = found[1][_P["pg_ts_parser"]["oid"]]
        elif de["defname"] == "copy":
            found = _lookup(s, cat, "pg_ts_config", "cfgname", "cfgnamespace", target,
                            "text search configuration")
            assert found is not None
            source_oid = found[1][_P["pg_ts_config"]["oid"]]
        else:
            raise PgError("42601", f'text search configuration parameter "{de["defname"]}" '
                          "not recognized")
    if parser_oid is not None and source_oid is not None:
        raise PgError("42601", "cannot specify both PARSER and COPY options")
    if source_oid is not None:
        src = cat.find("pg_ts_config", oid=source_oid)[0][1]
        parser_oid = src[_P["pg_ts_config"]["cfgparser"]]
    if parser_oid is None:
        raise PgError("42P17", "text search parser is required")
    if cat.find("pg_ts_config", cfgname=name, cfgnamespace=nsp):
        raise PgError("42710", f'text search configuration "{name}" already exists')
    oid = cat.m.next_oid()
    cat.insert("pg_ts_config", make_row(
        "pg_ts_config", oid=oid, cfgname=name, cfgnamespace=nsp, cfgowner=_owner(s, cat),
        cfgparser=parser_oid))
    if source_oid is not None:
        m = _P["pg_ts_config_map"]
        for _, r in sorted(cat.find("pg_ts_config_map", mapcfg=source_oid),
                           key=lambda x: (x[1][m["maptokentype"]], x[1][m["mapseqno"]])):
            cat.insert("pg_ts_config_map", make_row(
                "pg_ts_config_map", mapcfg=oid, maptokentype=r[m["maptokentype"]],
                mapseqno=r[m["mapseqno"]], mapdict=r[m["mapdict"]]))
    return QueryResult(tag="CREATE TEXT SEARCH CONFIGURATION")


def _token_ids(tokens: list[str]) -> list[tuple[str, int]]:
    by_alias = {alias: tid for tid, alias, _ in wparser.TOKEN_TYPES}
    out: list[tuple[str, int]] = []
    for t in tokens:
        tid = by_alias.get(t)
        if tid is None:
            raise PgError("22023", f'token type "{t}" does not exist')
        if all(t != o for o, _ in out):
            out.append((t, tid))
    return out


def alter_configuration(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    names = _names(body["cfgname"])
    found = _lookup(s, cat, "pg_ts_config", "cfgname", "cfgnamespace", names,
                    "text search configuration")
    assert found is not None
    cfg_oid = found[1][_P["pg_ts_config"]["oid"]]
    kind = body["kind"]
    m = _P["pg_ts_config_map"]
    tokens = _token_ids([t["String"]["sval"] for t in body.get("tokentype") or []])
    dicts = []
    for d in body.get("dicts") or []:
        dn = _names(d["List"]["items"])
        df = _lookup(s, cat, "pg_ts_dict", "dictname", "dictnamespace", dn,
                     "text search dictionary")
        assert df is not None
        dicts.append(df[1][_P["pg_ts_dict"]["oid"]])
    rows = cat.find("pg_ts_config_map", mapcfg=cfg_oid)
    if kind == "ALTER_TSCONFIG_DROP_MAPPING":
        for alias, tid in tokens:
            hit = [(t, r) for t, r in rows if r[m["maptokentype"]] == tid]
            if not hit:
                if body.get("missing_ok"):
                    s.add_notice(notice(f'mapping for token type "{alias}" does not exist, '
                                        "skipping"))
                    continue
                raise PgError("42704", f'mapping for token type "{alias}" does not exist')
            for t, _r in hit:
                cat.delete("pg_ts_config_map", t)
        return QueryResult(tag="ALTER TEXT SEARCH CONFIGURATION")
    if kind == "ALTER_TSCONFIG_REPLACE_DICT" or kind == "ALTER_TSCONFIG_REPLACE_DICT_FOR_TOKEN":
        old, new = dicts[0], dicts[1]
        wanted = {tid for _, tid in tokens}
        for t, r in rows:
            if r[m["mapdict"]] == old and (not wanted or r[m["maptokentype"]] in wanted):
                cat.update("pg_ts_config_map", t, replace("pg_ts_config_map", r, mapdict=new))
        return QueryResult(tag="ALTER TEXT SEARCH CONFIGURATION")
    # ADD MAPPING / ALTER MAPPING FOR ... WITH ...
    if body.get("override"):
        wanted = {tid for _, tid in tokens}
        for t, r in rows:
            if r[m["maptokentype"]] in wanted:
                cat.delete("pg_ts_config_map", t)
    for _alias, tid in tokens:
        for seq, d in enumerate(dicts, start=1):
            cat.insert("pg_ts_config_map", make_row(
                "pg_ts_config_map", mapcfg=cfg_oid, maptokentype=tid, mapseqno=seq, mapdict=d))
    return QueryResult(tag="ALTER TEXT SEARCH CONFIGURATION")


def drop(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    kind = body["removeType"]
    is_dict = kind == "OBJECT_TSDICTIONARY"
    catalog, namecol, nspcol, _ownercol, what = TS_KINDS[kind]
    cascade = body.get("behavior") == "DROP_CASCADE"
    targets = []
    for obj in body["objects"]:
        names = _names(obj["List"]["items"])
        found = _lookup(s, cat, catalog, namecol, nspcol, names, what,
                        missing_ok=bool(body.get("missing_ok")))
        if found is None:
            if len(names) > 1 and cat.namespace_oid(names[-2]) is None:
                s.add_notice(notice(f'schema "{names[-2]}" does not exist, skipping'))
            else:
                s.add_notice(notice(f'{what} "{".".join(names)}" does not exist, skipping'))
            continue
        targets.append(found)
    m = _P["pg_ts_config_map"]
    for tid, row in targets:
        oid = row[_P[catalog]["oid"]]
        if is_dict:
            users = cat.find("pg_ts_config_map", mapdict=oid)
            if users and not cascade:
                cfg = cat.find("pg_ts_config", oid=users[0][1][m["mapcfg"]])[0][1]
                raise PgError("2BP01", f"cannot drop {what} {row[_P[catalog][namecol]]} "
                              "because other objects depend on it",
                              detail=f"text search configuration "
                              f"{cfg[_P['pg_ts_config']['cfgname']]} depends on {what} "
                              f"{row[_P[catalog][namecol]]}",
                              hint="Use DROP ... CASCADE to drop the dependent objects too.")
            for t, _r in users:
                cat.delete("pg_ts_config_map", t)
        elif kind == "OBJECT_TSCONFIGURATION":
            for t, _r in cat.find("pg_ts_config_map", mapcfg=oid):
                cat.delete("pg_ts_config_map", t)
        else:
            user_cat, col, ucol, uwhat = (("pg_ts_dict", "dicttemplate", "dictname",
                                           "text search dictionary")
                                          if kind == "OBJECT_TSTEMPLATE" else
                                          ("pg_ts_config", "cfgparser", "cfgname",
                                           "text search configuration"))
            users = cat.find(user_cat, **{col: oid})
            if users and not cascade:
                raise PgError("2BP01", f"cannot drop {what} {row[_P[catalog][namecol]]} "
                              "because other objects depend on it",
                              detail=f"{uwhat} {users[0][1][_P[user_cat][ucol]]} depends on "
                              f"{what} {row[_P[catalog][namecol]]}",
                              hint="Use DROP ... CASCADE to drop the dependent objects too.")
        cat.delete(catalog, tid)
        cat.delete_where("pg_description", objoid=oid, classoid=_CLASS_OIDS[catalog])
    return QueryResult(tag=f"DROP {_TAGS[kind]}")


# --- RENAME / OWNER TO / SET SCHEMA, parsers and templates ---------------------------------

# object kind -> (catalog, name column, namespace column, owner column or None, what)
TS_KINDS = {
    "OBJECT_TSDICTIONARY": ("pg_ts_dict", "dictname", "dictnamespace", "dictowner",
                            "text search dictionary"),
    "OBJECT_TSCONFIGURATION": ("pg_ts_config", "cfgname", "cfgnamespace", "cfgowner",
                               "text search configuration"),
    "OBJECT_TSPARSER": ("pg_ts_parser", "prsname", "prsnamespace", None, "text search parser"),
    "OBJECT_TSTEMPLATE": ("pg_ts_template", "tmplname", "tmplnamespace", None,
                          "text search template"),
}
_TAGS = {"OBJECT_TSDICTIONARY": "TEXT SEARCH DICTIONARY",
         "OBJECT_TSCONFIGURATION": "TEXT SEARCH CONFIGURATION",
         "OBJECT_TSPARSER": "TEXT SEARCH PARSER", "OBJECT_TSTEMPLATE": "TEXT SEARCH TEMPLATE"}


def _role_oid(cat: Any, name: str) -> int | None:
    for _, row in cat.find("pg_authid", rolname=name):
        return row[_P["pg_authid"]["oid"]]
    return None


def _is_superuser(cat: Any, role: int) -> bool:
    for _, row in cat.find("pg_authid", oid=role):
        return bool(row[_P["pg_authid"]["rolsuper"]])
    return False


def _member_of(cat: Any, member: int, role: int) -> bool:
    """member can act as role (is it, or a member of it through SET-able grants)."""
    if member == role:
        return True
    seen, todo = {member}, [member]
    p = _P["pg_auth_members"]
    while todo:
        m = todo.pop()
        for _, row in cat.find("pg_auth_members", member=m):
            r = row[p["roleid"]]
            if r == role:
                return True
            if r not in seen:
                seen.add(r)
                todo.append(r)
    return False


def _check_owner(s: Any, cat: Any, kind: str, row: tuple[Any, ...]) -> None:
    catalog, namecol, _nspcol, ownercol, what = TS_KINDS[kind]
    me = _owner(s, cat)
    if _is_superuser(cat, me):
        return
    if ownercol is None:
        raise PgError("42501", f"must be superuser to alter {what}s")
    if not _member_of(cat, me, row[_P[catalog][ownercol]]):
        raise PgError("42501", f"must be owner of {what} {row[_P[catalog][namecol]]}")


def _find_object(s: Any, cat: Any, kind: str, names: list[str]) -> tuple[Any, tuple[Any, ...]]:
    catalog, namecol, nspcol, _o, what = TS_KINDS[kind]
    found = _lookup(s, cat, catalog, namecol, nspcol, names, what)
    assert found is not None
    return found


def _names_of(obj: Any) -> list[str]:
    if isinstance(obj, dict) and "List" in obj:
        return _names(obj["List"]["items"])
    if isinstance(obj, list):
        return _names(obj)
    return [obj["String"]["sval"]]


def rename(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    kind = body["renameType"]
    cat = s.catalog()
    catalog, namecol, nspcol, _o, what = TS_KINDS[kind]
    tid, row = _find_object(s, cat, kind, _names_of(body["object"]))
    _check_owner(s, cat, kind, row)
    new = body["newname"]
    nsp = row[_P[catalog][nspcol]]
    if cat.find(catalog, **{namecol: new, nspcol: nsp}):
        raise PgError("42710", f'{what} "{new}" already exists in schema '
                      f'"{cat.namespace_name(nsp)}"')
    cat.update(catalog, tid, replace(catalog, row, **{namecol: new}))
    return QueryResult(tag=f"ALTER {_TAGS[kind]}")


def alter_owner(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    kind = body["objectType"]
    cat = s.catalog()
    catalog, _namecol, _nspcol, ownercol, _what = TS_KINDS[kind]
    tid, row = _find_object(s, cat, kind, _names_of(body["object"]))
    role = body["newowner"].get("rolename")
    new = _role_oid(cat, role) if role else _owner(s, cat)
    if new is None:
        raise PgError("42704", f'role "{role}" does not exist')
    if ownercol is None or row[_P[catalog][ownercol]] == new:
        return QueryResult(tag=f"ALTER {_TAGS[kind]}")
    _check_owner(s, cat, kind, row)
    me = _owner(s, cat)
    if not _is_superuser(cat, me) and not _member_of(cat, me, new):
        raise PgError("42501", f'must be able to SET ROLE "{role}"')
    cat.update(catalog, tid, replace(catalog, row, **{ownercol: new}))
    return QueryResult(tag=f"ALTER {_TAGS[kind]}")


def alter_schema(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    kind = body["objectType"]
    cat = s.catalog()
    catalog, namecol, nspcol, _o, what = TS_KINDS[kind]
    tid, row = _find_object(s, cat, kind, _names_of(body["object"]))
    _check_owner(s, cat, kind, row)
    nsp = cat.namespace_oid(body["newschema"])
    if nsp is None:
        raise PgError("3F000", f'schema "{body["newschema"]}" does not exist')
    name = row[_P[catalog][namecol]]
    if nsp != row[_P[catalog][nspcol]] and cat.find(catalog, **{namecol: name, nspcol: nsp}):
        raise PgError("42710", f'{what} "{name}" already exists in schema '
                      f'"{body["newschema"]}"')
    cat.update(catalog, tid, replace(catalog, row, **{nspcol: nsp}))
    return QueryResult(tag=f"ALTER {_TAGS[kind]}")


# the C functions a template or parser may name: built-in ones only
def _builtin_procs() -> dict[str, int]:
    return {
        "dsimple_init": 3725, "dsimple_lexize": 3726, "dsynonym_init": 3728,
        "dsynonym_lexize": 3729, "dispell_init": 3731, "dispell_lexize": 3732,
        "thesaurus_init": 3740, "thesaurus_lexize": 3741, "dsnowball_init": 12360,
        "dsnowball_lexize": 12361, "prsd_start": 3717, "prsd_nexttoken": 3718,
        "prsd_end": 3719, "prsd_headline": 3720, "prsd_lextype": 3721,
    }


def _proc_oid(value: str, nargs: int) -> int:
    oid = _builtin_procs().get(value.split(".")[-1])
    if oid is None:
        args = ", ".join(["internal"] * nargs)
        raise PgError("42883", f"function {value}({args}) does not exist")
    return oid


def define_template(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    if not _is_superuser(cat, _owner(s, cat)):
        raise PgError("42501", "must be superuser to create text search templates")
    names = _names(body["defnames"])
    nsp = _creation_namespace(s, cat, names)
    init = lexize = 0
    for item in body.get("definition") or []:
        de = item["DefElem"]
        v = _defelem_value(de.get("arg"))[0]
        if de["defname"] == "init":
            init = _proc_oid(v, 1)
        elif de["defname"] == "lexize":
            lexize = _proc_oid(v, 4)
        else:
            raise PgError("42601", f'text search template parameter "{de["defname"]}" not '
                          "recognized")
    if not lexize:
        raise PgError("42P17", "text search template lexize method is required")
    if cat.find("pg_ts_template", tmplname=names[-1], tmplnamespace=nsp):
        raise PgError("42710", f'text search template "{names[-1]}" already exists')
    cat.insert("pg_ts_template", make_row(
        "pg_ts_template", oid=cat.m.next_oid(), tmplname=names[-1], tmplnamespace=nsp,
        tmplinit=init, tmpllexize=lexize))
    return QueryResult(tag="CREATE TEXT SEARCH TEMPLATE")


def define_parser(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    if not _is_superuser(cat, _owner(s, cat)):
        raise PgError("42501", "must be superuser to create text search parsers")
    names = _names(body["defnames"])
    nsp = _creation_namespace(s, cat, names)
    vals = {"start": 0, "gettoken": 0, "end": 0, "headline": 0, "lextypes": 0}
    nargs = {"start": 2, "gettoken": 3, "end": 1, "headline": 3, "lextypes": 1}
    for item in body.get("definition") or []:
        de = item["DefElem"]
        if de["defname"] not in vals:
            raise PgError("42601", f'text search parser parameter "{de["defname"]}" not '
                          "recognized")
        vals[de["defname"]] = _proc_oid(_defelem_value(de.get("arg"))[0], nargs[de["defname"]])
    for key, label in (("start", "start"), ("gettoken", "gettoken"), ("end", "end"),
                       ("lextypes", "lextypes")):
        if not vals[key]:
            raise PgError("42P17", f"text search parser {label} method is required")
    if cat.find("pg_ts_parser", prsname=names[-1], prsnamespace=nsp):
        raise PgError("42710", f'text search parser "{names[-1]}" already exists')
    cat.insert("pg_ts_parser", make_row(
        "pg_ts_parser", oid=cat.m.next_oid(), prsname=names[-1], prsnamespace=nsp,
        prsstart=vals["start"], prstoken=vals["gettoken"], prsend=vals["end"],
        prsheadline=vals["headline"], prslextype=vals["lextypes"]))
    return QueryResult(tag="CREATE TEXT SEARCH PARSER")


_CLASS_OIDS = {"pg_ts_dict": 3600, "pg_ts_parser": 3601, "pg_ts_config": 3602,
               "pg_ts_template": 3764}


def object_address(s: Any, cat: Any, kind: str, obj: Any) -> tuple[int, int]:
    """(objoid, classoid) of a text search object named in COMMENT ON and the like."""
    catalog = TS_KINDS[kind][0]
    _tid, row = _find_object(s, cat, kind, _names_of(obj))
    return row[_P[catalog]["oid"]], _CLASS_OIDS[catalog]
