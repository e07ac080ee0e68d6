"""Text search built-ins that need the session or the catalogs: everything that
takes a configuration or dictionary (regconfig/regdictionary OIDs are looked up
in pg_ts_config/pg_ts_dict), the one-argument forms that use
default_text_search_config, and the token-type/parse/debug functions.

Registered into SYSFUNCS (see sysfuncs.py); ``impl(ctx, *args)`` gets the
ExecContext.  The text search machinery itself is in types/tsearch.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS
from tuskdb.errors import PgError
from tuskdb.sql.analyze.sysfuncs import SysFunc, _add
from tuskdb.types.arrays import Array
from tuskdb.types.tsearch import to_tsany, wparser
from tuskdb.types.tsearch.config import DEFAULT_PARSER, TSConfig
from tuskdb.types.tsearch.tsquery import TSQuery

TEXT, OID, INT4, TSVECTOR, TSQUERY, REGCONFIG, REGDICT = 25, 26, 23, 3614, 3615, 3734, 3769
TEXT_ARR, REGDICT_ARR = 1009, 3770


class _Notices:
    """What the types layer calls ``ctx.notice(err)`` on."""

    __slots__ = ("session",)

    def __init__(self, session: Any) -> None:
        self.session = session

    def notice(self, err: PgError) -> None:
        self.session.add_notice(err)


def _n(ctx: Any) -> _Notices:
    return _Notices(ctx.session)


def ts_config(ctx: Any, oid: int) -> TSConfig:
    from tuskdb.sql.commands.tsearchcmds import load_config
    return load_config(ctx.session, oid)


def current_config_oid(ctx: Any) -> int:
    name = ctx.session.settings.get("default_text_search_config", "pg_catalog.simple")
    return ts_name_lookup(ctx.session, ctx.session.catalog(), REGCONFIG, name)


def quote_ident(name: str) -> str:
    if name and name == name.lower() and (name[0].isalpha() or name[0] == "_") and \
            all(c.isalnum() or c in "_$" for c in name):
        return name
    return '"' + name.replace('"', '""') + '"'


# text search objects: (catalog, name column, namespace column, what the error calls it)
TS_OBJECTS = {3734: ("pg_ts_config", "cfgname", "cfgnamespace", "text search configuration"),
              3769: ("pg_ts_dict", "dictname", "dictnamespace", "text search dictionary")}


def ts_name_lookup(s: Any, cat: Any, type_oid: int, text: str) -> int:
    """regconfigin / regdictionaryin: a possibly qualified name -> OID."""
    from tuskdb.sql.commands.sequence import _parse_name
    text = text.strip()
    if text.isdigit():
        return int(text)
    catalog, namecol, nspcol, what = TS_OBJECTS[type_oid]
    parts = _parse_name(text)
    pos = COLUMN_POS[catalog]
    if len(parts) > 1:
        nsp = cat.namespace_oid(parts[-2])
        if nsp is None:
            raise PgError("3F000", f'schema "{parts[-2]}" does not exist')
        nsps = [nsp]
    else:
        nsps = s.search_path_oids(cat)
    for nsp in nsps:
        for _, row in cat.find(catalog, **{namecol: parts[-1], nspcol: nsp}):
            return row[pos["oid"]]
    raise PgError("42704", f'{what} "{text}" does not exist')


def ts_name_output(s: Any, cat: Any, type_oid: int, oid: int) -> str:
    """regconfigout / regdictionaryout."""
    catalog, namecol, nspcol, _what = TS_OBJECTS[type_oid]
    pos = COLUMN_POS[catalog]
    for _, row in cat.find(catalog, oid=oid):
        name, nsp = row[pos[namecol]], row[pos[nspcol]]
        for sp in s.search_path_oids(cat):
            for _, other in cat.find(catalog, **{namecol: name, nspcol: sp}):
                if other[pos["oid"]] == oid:
                    return quote_ident(name)
                break
            else:
                continue
            break
        return f"{quote_ident(cat.namespace_name(nsp) or '')}.{quote_ident(name)}"
    return str(oid)


def _default_cfg(ctx: Any) -> TSConfig:
    return ts_config(ctx, current_config_oid(ctx))


def _dictionary(ctx: Any, oid: int) -> Any:
    from tuskdb.sql.commands.tsearchcmds import load_dictionary
    return load_dictionary(ctx.session, oid)


def _both(name: str, fn: Any, ret: int, stable_one: bool = True) -> None:
    _add(SysFunc(name, (REGCONFIG, TEXT), ret,
                 lambda ctx, cfg, text: fn(ts_config(ctx, cfg), text, _n(ctx))))
    _add(SysFunc(name, (TEXT,), ret,
                 lambda ctx, text: fn(_default_cfg(ctx), text, _n(ctx))))


_both("to_tsvector", to_tsany.to_tsvector, TSVECTOR)
_both("to_tsquery", to_tsany.to_tsquery, TSQUERY)
_both("plainto_tsquery", to_tsany.plainto_tsquery, TSQUERY)
_both("phraseto_tsquery", to_tsany.phraseto_tsquery, TSQUERY)
_both("websearch_to_tsquery", to_tsany.websearch_to_tsquery, TSQUERY)

_add(SysFunc("get_current_ts_config", (), REGCONFIG, lambda ctx: current_config_oid(ctx)))
_add(SysFunc("ts_lexize", (REGDICT, TEXT), TEXT_ARR,
             lambda ctx, d, word: to_tsany.ts_lexize(_dictionary(ctx, d), word)))


def _parser_oid(ctx: Any, name_or_oid: Any) -> int:
    if isinstance(name_or_oid, int):
        if name_or_oid != DEFAULT_PARSER:
            raise PgError("XX000", f"cache lookup failed for text search parser {name_or_oid}")
        return name_or_oid
    name = name_or_oid.split(".")[-1].strip('"')
    if name != "default":
        raise PgError("42704", f'text search parser "{name_or_oid}" does not exist')
    return DEFAULT_PARSER


def _token_types(ctx: Any, prs: Any) -> list[tuple[int, str, str]]:
    _parser_oid(ctx, prs)
    return list(wparser.TOKEN_TYPES)


def _parse(ctx: Any, prs: Any, text: str) -> list[tuple[int, str]]:
    _parser_oid(ctx, prs)
    return list(wparser.parse(text))


_TT_COLS = [("tokid", INT4), ("alias", TEXT), ("description", TEXT)]
_add(SysFunc("ts_token_type", (OID,), 0, _token_types, columns=_TT_COLS, retset=True))
_add(SysFunc("ts_token_type", (TEXT,), 0, _token_types, columns=_TT_COLS, retset=True))
_PARSE_COLS = [("tokid", INT4), ("token", TEXT)]
_add(SysFunc("ts_parse", (OID, TEXT), 0, _parse, columns=_PARSE_COLS, retset=True))
_add(SysFunc("ts_parse", (TEXT, TEXT), 0, _parse, columns=_PARSE_COLS, retset=True))


def _debug(ctx: Any, cfgoid: int, text: str) -> list[tuple[Any, ...]]:
    cfg = ts_config(ctx, cfgoid)
    rows = []
    for toktype, token in wparser.parse(text):
        alias = wparser.ALIASES[toktype]
        desc = wparser.TOKEN_TYPES[toktype - 1][2]
        oids = cfg.map.get(toktype, [])
        dicts_arr = Array(tuple(oids))
        dict_used = None
        lexemes = None
        for d in oids:
            res = cfg.dicts_for_oid(d).lexize(token)
            if res is not None:
                dict_used = d
                lexemes = Array(tuple(lx.lexeme for lx in res))
                break
        rows.append((alias, desc, token, dicts_arr, dict_used, lexemes))
    return rows


_DEBUG_COLS = [("alias", TEXT), ("description", TEXT), ("token", TEXT),
               ("dictionaries", REGDICT_ARR), ("dictionary", REGDICT), ("lexemes", TEXT_ARR)]
_add(SysFunc("ts_debug", (REGCONFIG, TEXT), 0, _debug, columns=_DEBUG_COLS, retset=True))
_add(SysFunc("ts_debug", (TEXT,), 0, lambda ctx, text: _debug(ctx, current_config_oid(ctx),
                                                               text),
             columns=_DEBUG_COLS, retset=True))


def _match_text(ctx: Any, text: str, q: TSQuery) -> bool:
    from tuskdb.types.tsearch.execute import ts_match_vq
    return ts_match_vq(to_tsany.to_tsvector(_default_cfg(ctx), text, _n(ctx)), q)


def _match_text_text(ctx: Any, text: str, query: str) -> bool:
    from tuskdb.types.tsearch.execute import ts_match_vq
    cfg = _default_cfg(ctx)
    return ts_match_vq(to_tsany.to_tsvector(cfg, text, _n(ctx)),
                       to_tsany.plainto_tsquery(cfg, query, _n(ctx)))


_add(SysFunc("ts_match_tq", (TEXT, TSQUERY), 16, _match_text))
_add(SysFunc("ts_match_tt", (TEXT, TEXT), 16, _match_text_text))
# operators whose function needs the session: pg_proc OID -> impl(ExecContext, l, r)
SESSION_OPERATORS = {3760: _match_text_text, 3761: _match_text}


def _rewrite_query(ctx: Any, query: TSQuery, sql: str) -> TSQuery:
    """ts_rewrite(query, 'SELECT target, substitute FROM ...')."""
    from tuskdb.sql import parser
    from tuskdb.types.tsearch import rewrite
    if query.root is None:
        return query
    s = ctx.session
    raws = parser.parse(sql)
    if len(raws) != 1:
        raise PgError("22023", "ts_rewrite query must return two tsquery columns")
    cp = s._plan(raws[0], [])
    fields = cp.fields or []
    if len(fields) != 2 or fields[0].type_oid != TSQUERY or fields[1].type_oid != TSQUERY:
        raise PgError("22023", "ts_rewrite query must return two tsquery columns")
    res = s._run_plan(cp, [], None, inner=True)
    tree = rewrite.prepare(query)
    for target, subst in res.rows:
        if target is None or target.root is None:
            continue
        tree = rewrite.rewrite_step(tree, target, subst if subst is not None else TSQuery(None))
        if tree is None:
            break
    if tree is not None:
        # the query form normalises the result once more (flatten and sort)
        rewrite.ternary(tree)
        rewrite.qtn_sort(tree)
    return rewrite.finish(tree)


def _rewrite3(ctx: Any, query: TSQuery, target: TSQuery, subst: TSQuery) -> TSQuery:
    from tuskdb.types.tsearch.rewrite import tsquery_rewrite
    return tsquery_rewrite(query, target, subst)


_add(SysFunc("ts_rewrite", (TSQUERY, TSQUERY, TSQUERY), TSQUERY, _rewrite3))
_add(SysFunc("ts_rewrite", (TSQUERY, TEXT), TSQUERY, _rewrite_query, volatile=True))


def _headline(ctx: Any, cfg: int, text: str, q: TSQuery, opts: str | None = None) -> str:
    from tuskdb.types.tsearch.headline import ts_headline
    return ts_headline(ts_config(ctx, cfg), text, q, opts, _n(ctx))


_add(SysFunc("ts_headline", (REGCONFIG, TEXT, TSQUERY, TEXT), TEXT, _headline))
_add(SysFunc("ts_headline", (REGCONFIG, TEXT, TSQUERY), TEXT, _headline))
_add(SysFunc("ts_headline", (TEXT, TSQUERY, TEXT), TEXT,
             lambda ctx, text, q, opts: _headline(ctx, current_config_oid(ctx), text, q, opts)))
_add(SysFunc("ts_headline", (TEXT, TSQUERY), TEXT,
             lambda ctx, text, q: _headline(ctx, current_config_oid(ctx), text, q)))


def _stat(ctx: Any, sql: str, weights: str | None = None) -> list[tuple[str, int, int]]:
    """ts_stat(query[, weights]): per lexeme, documents and occurrences."""
    from tuskdb.sql import parser
    from tuskdb.types.tsearch.tsvector import wep_weight
    mask = 0
    if weights is not None:
        for ch in weights:
            c = ch.lower()
            if c in "abcd":
                mask |= 1 << "dcba".index(c)
            else:
                raise PgError("22023", f'unrecognized weight: "{ch}"')
    s = ctx.session
    raws = parser.parse(sql)
    if len(raws) != 1:
        raise PgError("22023", "ts_stat query must return one tsvector column")
    cp = s._plan(raws[0], [])
    fields = cp.fields or []
    if len(fields) != 1 or fields[0].type_oid != TSVECTOR:
        raise PgError("22023", "ts_stat query must return one tsvector column")
    res = s._run_plan(cp, [], None, inner=True)
    stats: dict[str, list[int]] = {}
    for (v,) in res.rows:
        if v is None:
            continue
        for lex, pos in v.entries:
            if mask == 0:
                n = len(pos) if pos else 1
            else:
                n = sum(1 for p in pos if mask & (1 << wep_weight(p)))
            if n > 0:
                st = stats.setdefault(lex, [0, 0])
                st[0] += 1
                st[1] += n
    return [(lex, nd, ne) for lex, (nd, ne) in sorted(stats.items())]


_STAT_COLS = [("word", TEXT), ("ndoc", INT4), ("nentry", INT4)]
_add(SysFunc("ts_stat", (TEXT,), 0, _stat, columns=_STAT_COLS, retset=True, volatile=True))
_add(SysFunc("ts_stat", (TEXT, TEXT), 0, _stat, columns=_STAT_COLS, retset=True,
             volatile=True))


# --- json and jsonb documents ----------------------------------------------------------------

JSON, JSONB = 114, 3802


def _js() -> Any:
    from tuskdb.types.tsearch import jsonsearch
    return jsonsearch


_add(SysFunc("to_tsvector", (REGCONFIG, JSON), TSVECTOR,
             lambda ctx, cfg, doc: _js().json_to_tsvector(ts_config(ctx, cfg), doc, 1, _n(ctx))))
_add(SysFunc("to_tsvector", (JSON,), TSVECTOR,
             lambda ctx, doc: _js().json_to_tsvector(_default_cfg(ctx), doc, 1, _n(ctx))))
_add(SysFunc("to_tsvector", (REGCONFIG, JSONB), TSVECTOR,
             lambda ctx, cfg, doc: _js().jsonb_to_tsvector(ts_config(ctx, cfg), doc, 1,
                                                           _n(ctx))))
_add(SysFunc("to_tsvector", (JSONB,), TSVECTOR,
             lambda ctx, doc: _js().jsonb_to_tsvector(_default_cfg(ctx), doc, 1, _n(ctx))))
_add(SysFunc("json_to_tsvector", (REGCONFIG, JSON, JSONB), TSVECTOR,
             lambda ctx, cfg, doc, f: _js().json_to_tsvector(
                 ts_config(ctx, cfg), doc, _js().parse_filter(f), _n(ctx))))
_add(SysFunc("json_to_tsvector", (JSON, JSONB), TSVECTOR,
             lambda ctx, doc, f: _js().json_to_tsvector(
                 _default_cfg(ctx), doc, _js().parse_filter(f), _n(ctx))))
_add(SysFunc("jsonb_to_tsvector", (REGCONFIG, JSONB, JSONB), TSVECTOR,
             lambda ctx, cfg, doc, f: _js().jsonb_to_tsvector(
                 ts_config(ctx, cfg), doc, _js().parse_filter(f), _n(ctx))))
_add(SysFunc("jsonb_to_tsvector", (JSONB, JSONB), TSVECTOR,
             lambda ctx, doc, f: _js().jsonb_to_tsvector(
                 _default_cfg(ctx), doc, _js().parse_filter(f), _n(ctx))))


def _json_headline(ctx: Any, cfg: int, doc: str, q: TSQuery, opts: str | None = None) -> str:
    return _js().json_headline(ts_config(ctx, cfg), doc, q, opts, _n(ctx))


def _jsonb_headline(ctx: Any, cfg: int, doc: Any, q: TSQuery, opts: str | None = None) -> Any:
    return _js().jsonb_headline(ts_config(ctx, cfg), doc, q, opts, _n(ctx))


for _t, _h in ((JSON, _json_headline), (JSONB, _jsonb_headline)):
    _add(SysFunc("ts_headline", (REGCONFIG, _t, TSQUERY, TEXT), _t, _h))
    _add(SysFunc("ts_headline", (REGCONFIG, _t, TSQUERY), _t, _h))
    _add(SysFunc("ts_headline", (_t, TSQUERY, TEXT), _t,
                 lambda ctx, doc, q, opts, _h=_h: _h(ctx, current_config_oid(ctx), doc, q,
                                                     opts)))
    _add(SysFunc("ts_headline", (_t, TSQUERY), _t,
                 lambda ctx, doc, q, _h=_h: _h(ctx, current_config_oid(ctx), doc, q)))


def _visible(catalog: str, namecol: str, nspcol: str) -> Any:
    """pg_ts_*_is_visible(oid): found first by its name along the search path."""
    def impl(ctx: Any, oid: int) -> bool | None:
        s = ctx.session
        cat = s.catalog()
        pos = COLUMN_POS[catalog]
        rows = cat.find(catalog, oid=oid)
        if not rows:
            return None
        name = rows[0][1][pos[namecol]]
        for nsp in s.search_path_oids(cat):
            hit = cat.find(catalog, **{namecol: name, nspcol: nsp})
            if hit:
                return hit[0][1][pos["oid"]] == oid
        return False
    return impl


_add(SysFunc("pg_ts_config_is_visible", (OID,), 16,
             _visible("pg_ts_config", "cfgname", "cfgnamespace")))
_add(SysFunc("pg_ts_dict_is_visible", (OID,), 16,
             _visible("pg_ts_dict", "dictname", "dictnamespace")))
_add(SysFunc("pg_ts_parser_is_visible", (OID,), 16,
             _visible("pg_ts_parser", "prsname", "prsnamespace")))
_add(SysFunc("pg_ts_template_is_visible", (OID,), 16,
             _visible("pg_ts_template", "tmplname", "tmplnamespace")))


def check_default_config(s: Any, value: str) -> str:
    """default_text_search_config's check: the configuration must exist; the setting
    becomes its schema-qualified name."""
    cat = s.catalog()
    try:
        oid = ts_name_lookup(s, cat, REGCONFIG, value)
    except PgError:
        oid = None
    rows = cat.find("pg_ts_config", oid=oid) if oid is not None else []
    if not rows:
        raise PgError("22023", 'invalid value for parameter "default_text_search_config": '
                      f'"{value}"')
    pos = COLUMN_POS["pg_ts_config"]
    row = rows[0][1]
    nsp = cat.namespace_name(row[pos["cfgnamespace"]]) or ""
    return f"{quote_ident(nsp)}.{quote_ident(row[pos['cfgname']])}"
