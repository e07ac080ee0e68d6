"""The pure text search built-ins, keyed by pg_proc.prosrc (see types/builtins.py)."""

from __future__ import annotations

from typing import Any, Callable

from tuskdb.types.tsearch import execute as _ex
from tuskdb.types.tsearch import rank as _rank
from tuskdb.types.tsearch import tsquery as _q
from tuskdb.types.tsearch import tsvector as _v


def _cmp(f: Callable[[Any, Any], int], test: Callable[[int], bool]) -> Callable[..., bool]:
    return lambda a, b: test(f(a, b))


IMPLS: dict[str, Callable[..., Any]] = {
    "tsvector_lt": _cmp(_v.tsvector_cmp, lambda c: c < 0),
    "tsvector_le": _cmp(_v.tsvector_cmp, lambda c: c <= 0),
    "tsvector_eq": _cmp(_v.tsvector_cmp, lambda c: c == 0),
    "tsvector_ne": _cmp(_v.tsvector_cmp, lambda c: c != 0),
    "tsvector_ge": _cmp(_v.tsvector_cmp, lambda c: c >= 0),
    "tsvector_gt": _cmp(_v.tsvector_cmp, lambda c: c > 0),
    "tsvector_cmp": _v.tsvector_cmp,
    "tsvector_strip": _v.tsvector_strip,
    "tsvector_setweight": _v.tsvector_setweight,
    "tsvector_setweight_by_filter": _v.tsvector_setweight_by_filter,
    "tsvector_concat": _v.tsvector_concat,
    "tsvector_length": _v.tsvector_length,
    "tsvector_delete_str": _v.ts_delete_str,
    "tsvector_delete_arr": _v.ts_delete_array,
    "tsvector_unnest": _v.tsvector_unnest,
    "tsvector_to_array": _v.tsvector_to_array,
    "array_to_tsvector": _v.array_to_tsvector,
    "tsvector_filter": _v.tsvector_filter,
    "ts_match_vq": _ex.ts_match_vq,
    "ts_match_qv": _ex.ts_match_qv,
    "tsquery_lt": _cmp(_q.tsquery_cmp, lambda c: c < 0),
    "tsquery_le": _cmp(_q.tsquery_cmp, lambda c: c <= 0),
    "tsquery_eq": _cmp(_q.tsquery_cmp, lambda c: c == 0),
    "tsquery_ne": _cmp(_q.tsquery_cmp, lambda c: c != 0),
    "tsquery_ge": _cmp(_q.tsquery_cmp, lambda c: c >= 0),
    "tsquery_gt": _cmp(_q.tsquery_cmp, lambda c: c > 0),
    "tsquery_cmp": _q.tsquery_cmp,
    "tsquery_and": _q.tsquery_and,
    "tsquery_or": _q.tsquery_or,
    "tsquery_not": _q.tsquery_not,
    "tsquery_phrase": _q.tsquery_phrase,
    "tsquery_phrase_distance": _q.tsquery_phrase_distance,
    "tsquery_numnode": _q.tsquery_numnode,
    "tsquerytree": _q.tsquerytree,
    "tsq_mcontains": _q.tsq_mcontains,
    "tsq_mcontained": _q.tsq_mcontained,
}
# the type I/O functions callable from SQL (cstring is text here)
IMPLS["tsvectorin"] = lambda s: _v.tsvector_in(s)
IMPLS["tsvectorout"] = lambda v: _v.tsvector_out(v)
IMPLS["tsqueryin"] = lambda s: _q.tsquery_in(s)
IMPLS["tsqueryout"] = lambda q: _q.tsquery_out(q)
for _name in ("ts_rank_wttf", "ts_rank_wtt", "ts_rank_ttf", "ts_rank_tt", "ts_rankcd_wttf",
              "ts_rankcd_wtt", "ts_rankcd_ttf", "ts_rankcd_tt"):
    IMPLS[_name] = getattr(_rank, _name)
CTX_IMPLS: dict[str, Callable[..., Any]] = {}


def _needs_session(*args: Any) -> Any:
    from tuskdb.errors import PgError
    raise PgError("XX000", "text @@ operators need the session's default_text_search_config")


# text @@ tsquery / text @@ text use default_text_search_config: the analyzer replaces
# these implementations by session-aware ones (sql/analyze/ts_sysfuncs.SESSION_OPERATORS)
IMPLS["ts_match_tq"] = _needs_session
IMPLS["ts_match_tt"] = _needs_session
