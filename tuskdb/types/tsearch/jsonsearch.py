"""Text search over json and jsonb documents: to_tsvector(json[b]),
json[b]_to_tsvector(doc, filter) and ts_headline(json[b]).

Each selected JSON value (strings; with a filter also numbers, booleans and
object keys) is parsed on its own, and the position is advanced by one after
every value that yielded lexemes, so phrase queries do not match across values.
json is walked in document order, jsonb in its stored key order.
"""

from __future__ import annotations

import json as _json
from decimal import Decimal
from typing import Any, Callable, Iterator

from tuskdb.errors import PgError
from tuskdb.types.json import Jsonb, escape_json
from tuskdb.types.numeric import numeric_out
from tuskdb.types.tsearch.config import TSConfig
from tuskdb.types.tsearch.to_tsany import make_tsvector, parsetext
from tuskdb.types.tsearch.tsquery import TSQuery
from tuskdb.types.tsearch.tsvector import TSVector

JT_STRING, JT_NUMERIC, JT_BOOL, JT_KEY = 1, 2, 4, 8
JT_ALL = JT_STRING | JT_NUMERIC | JT_BOOL | JT_KEY
_HINT = 'Possible values are: "string", "numeric", "boolean", "key", and "all".'


class _Num(str):
    """A json number kept as its source text."""


class _Obj(list):
    """A json object as its (key, value) pairs in document order."""


def parse_json_ordered(text: str) -> Any:
    return _json.loads(text, object_pairs_hook=_Obj, parse_float=_Num, parse_int=_Num,
                       parse_constant=_Num)


def _json_values(v: Any, flags: int) -> Iterator[str]:
    if isinstance(v, _Obj):
        for k, x in v:
            if flags & JT_KEY:
                yield k
            yield from _json_values(x, flags)
    elif isinstance(v, list):
        for x in v:
            yield from _json_values(x, flags)
    elif isinstance(v, _Num):
        if flags & JT_NUMERIC:
            yield str(v)
    elif v is True or v is False:
        if flags & JT_BOOL:
            yield "true" if v else "false"
    elif isinstance(v, str):
        if flags & JT_STRING:
            yield v


def _jsonb_values(v: Any, flags: int) -> Iterator[str]:
    if isinstance(v, dict):
        for k, x in v.items():
            if flags & JT_KEY:
                yield k
            yield from _jsonb_values(x, flags)
    elif isinstance(v, list):
        for x in v:
            yield from _jsonb_values(x, flags)
    elif v is True or v is False:
        if flags & JT_BOOL:
            yield "true" if v else "false"
    elif isinstance(v, Decimal):
        if flags & JT_NUMERIC:
            yield numeric_out(v)
    elif isinstance(v, str):
        if flags & JT_STRING:
            yield v


def parse_filter(flt: Jsonb) -> int:
    tree = flt.tree
    if isinstance(tree, dict):
        raise PgError("22023", "wrong flag type, only arrays and scalars are allowed")
    items = tree if isinstance(tree, list) else [tree]
    flags = 0
    for it in items:
        if not isinstance(it, str):
            raise PgError("22023", "flag array element is not a string", hint=_HINT)
        low = it.lower()
        if low == "all":
            flags |= JT_ALL
        elif low == "key":
            flags |= JT_KEY
        elif low == "string":
            flags |= JT_STRING
        elif low == "numeric":
            flags |= JT_NUMERIC
        elif low == "boolean":
            flags |= JT_BOOL
        else:
            raise PgError("22023", f'wrong flag in flag array: "{it}"', hint=_HINT)
    return flags


def _build(cfg: TSConfig, values: Iterator[str], ctx: Any) -> TSVector:
    words: list[Any] = []
    pos = 0
    for text in values:
        got, newpos = parsetext(cfg, text, ctx, pos)
        if got:
            words.extend(got)
            pos = newpos + 1
        else:
            pos = newpos
    return make_tsvector(words)


def json_to_tsvector(cfg: TSConfig, doc: str, flags: int = JT_STRING, ctx: Any = None
                     ) -> TSVector:
    return _build(cfg, _json_values(parse_json_ordered(doc), flags), ctx)


def jsonb_to_tsvector(cfg: TSConfig, doc: Jsonb, flags: int = JT_STRING, ctx: Any = None
                      ) -> TSVector:
    return _build(cfg, _jsonb_values(doc.tree, flags), ctx)


def _json_out(v: Any, fn: Callable[[str], str]) -> str:
    if isinstance(v, _Obj):
        return "{" + ",".join(escape_json(k) + ":" + _json_out(x, fn) for k, x in v) + "}"
    if isinstance(v, list):
        return "[" + ",".join(_json_out(x, fn) for x in v) + "]"
    if isinstance(v, _Num):
        return str(v)
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    return escape_json(fn(v))


def _jsonb_map(v: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(v, dict):
        return {k: _jsonb_map(x, fn) for k, x in v.items()}
    if isinstance(v, list):
        return [_jsonb_map(x, fn) for x in v]
    if isinstance(v, str):
        return fn(v)
    return v


def json_headline(cfg: TSConfig, doc: str, q: TSQuery, opts: str | None, ctx: Any) -> str:
    from tuskdb.types.tsearch.headline import ts_headline
    return _json_out(parse_json_ordered(doc), lambda s: ts_headline(cfg, s, q, opts, ctx))


def jsonb_headline(cfg: TSConfig, doc: Jsonb, q: TSQuery, opts: str | None, ctx: Any) -> Jsonb:
    from tuskdb.types.tsearch.headline import ts_headline
    return Jsonb(_jsonb_map(doc.tree, lambda s: ts_headline(cfg, s, q, opts, ctx)))
