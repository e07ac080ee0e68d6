"""regexp_count/instr/like/matches/replace(extended)/split_to_array/table/substr,
string_to_table, similar_to_escape (regexp.c)."""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator

from tuskdb.errors import PgError
from tuskdb.types.arrays import Array
from tuskdb.types.strfuncs import _pg_repl, _re_flags, regex


def _param(name: str, v: int, minimum: int) -> None:
    if v < minimum:
        raise PgError("22023", f'invalid value for parameter "{name}": {v}')


def _compile(p: str, flags: str | None) -> tuple[re.Pattern[str], bool]:
    f, glob = _re_flags(flags or "")
    return regex(p, f), glob


def regexp_count(s: str, p: str, start: int = 1, flags: str | None = None) -> int:
    _param("start", start, 1)
    rx, glob = _compile(p, flags)
    if glob:
        raise PgError("22023", f'{"regexp_count"}() does not support the "global" option')
    return sum(1 for _ in rx.finditer(s, start - 1))


def regexp_instr(s: str, p: str, start: int = 1, n: int = 1, endoption: int = 0,
                 flags: str | None = None, subexpr: int = 0) -> int:
    _param("start", start, 1)
    _param("n", n, 1)
    if endoption not in (0, 1):
        raise PgError("22023", f'invalid value for parameter "endoption": {endoption}')
    _param("subexpr", subexpr, 0)
    rx, glob = _compile(p, flags)
    if glob:
        raise PgError("22023", 'regexp_instr() does not support the "global" option')
    for i, m in enumerate(rx.finditer(s, start - 1), 1):
        if i == n:
            if subexpr > (rx.groups or 0):
                return 0
            if m.start(subexpr) < 0:
                return 0
            return (m.end(subexpr) if endoption else m.start(subexpr)) + 1
    return 0


def regexp_like(s: str, p: str, flags: str | None = None) -> bool:
    rx, glob = _compile(p, flags)
    if glob:
        raise PgError("22023", 'regexp_like() does not support the "global" option')
    return rx.search(s) is not None


def regexp_substr(s: str, p: str, start: int = 1, n: int = 1, flags: str | None = None,
                  subexpr: int = 0) -> str | None:
    _param("start", start, 1)
    _param("n", n, 1)
    _param("subexpr", subexpr, 0)
    rx, glob = _compile(p, flags)
    if glob:
        raise PgError("22023", 'regexp_substr() does not support the "global" option')
    for i, m in enumerate(rx.finditer(s, start - 1), 1):
        if i == n:
            if subexpr > (rx.groups or 0):
                return None
            return m.group(subexpr)
    return None


def regexp_matches(s: str, p: str, flags: str | None = None) -> Iterator[Array]:
    rx, glob = _compile(p, flags)

    def gen() -> Iterator[Array]:
        for m in rx.finditer(s):
            yield Array(m.groups() if rx.groups else (m.group(0),))
            if not glob:
                break
    return gen()


def regexp_replace_ext(s: str, p: str, r: str, start: int = 1, n: int | None = None,
                       flags: str | None = None) -> str:
    _param("start", start, 1)
    rx, glob = _compile(p, flags)
    if n is None:
        n = 0 if glob else 1
    _param("n", n, 0)
    repl = _pg_repl(r)
    out = [s[:start - 1]]
    pos = start - 1
    count = 0
    for m in rx.finditer(s, start - 1):
        count += 1
        if n == 0 or count == n:
            out.append(s[pos:m.start()])
            out.append(repl(m))
            pos = m.end()
            if n:
                break
    out.append(s[pos:])
    return "".join(out)


def _split(s: str, p: str, flags: str | None, fname: str) -> list[str]:
    """setup_regexp_matches with ignore_degenerate: a match counts if it starts
    before the end and ends after the previous match; searching resumes at the
    match end (one further after an empty match)."""
    rx, glob = _compile(p, flags)
    if glob:
        raise PgError("22023", f'{fname}() does not support the "global" option')
    parts = []
    pos = prev_end = start = 0
    n = len(s)
    while start <= n:
        m = rx.search(s, start)
        if m is None:
            break
        if m.start() < n and m.end() > prev_end:
            parts.append(s[pos:m.start()])
            pos = m.end()
        prev_end = m.end()
        start = m.end() + 1 if m.start() == m.end() else m.end()
    parts.append(s[pos:])
    return parts


def regexp_split_to_array(s: str, p: str, flags: str | None = None) -> Array:
    return Array(_split(s, p, flags, "regexp_split_to_array"))


def regexp_split_to_table(s: str, p: str, flags: str | None = None) -> Iterator[str]:
    return iter(_split(s, p, flags, "regexp_split_to_table"))


def string_to_table(s: str | None, sep: str | None, null: str | None = None
                    ) -> Iterator[str | None]:
    from tuskdb.types.arrays import text_to_array
    arr = text_to_array(s, sep, null)
    return iter(arr.items if arr is not None else ())


def similar_to_escape(pattern: str, escape: str | None = "\\") -> str:
    from tuskdb.types.similar import similar_escape
    r = similar_escape(pattern, escape)
    assert r is not None
    return r


IMPLS: dict[str, Callable[..., Any]] = {
    "regexp_count_no_start": regexp_count, "regexp_count_no_flags": regexp_count,
    "regexp_count": regexp_count,
    "regexp_instr_no_start": regexp_instr, "regexp_instr_no_n": regexp_instr,
    "regexp_instr_no_endoption": regexp_instr, "regexp_instr_no_flags": regexp_instr,
    "regexp_instr_no_subexpr": regexp_instr, "regexp_instr": regexp_instr,
    "regexp_like_no_flags": regexp_like, "regexp_like": regexp_like,
    "regexp_substr_no_start": regexp_substr, "regexp_substr_no_n": regexp_substr,
    "regexp_substr_no_flags": regexp_substr, "regexp_substr_no_subexpr": regexp_substr,
    "regexp_substr": regexp_substr,
    "regexp_matches_no_flags": regexp_matches, "regexp_matches": regexp_matches,
    "textregexreplace_extended": regexp_replace_ext,
    "textregexreplace_extended_no_flags": regexp_replace_ext,
    "textregexreplace_extended_no_n": regexp_replace_ext,
    "regexp_split_to_array_no_flags": regexp_split_to_array,
    "regexp_split_to_array": regexp_split_to_array,
    "regexp_split_to_table_no_flags": regexp_split_to_table,
    "regexp_split_to_table": regexp_split_to_table,
    "text_to_table": string_to_table, "text_to_table_null": string_to_table,
    "similar_to_escape_2": similar_to_escape, "similar_to_escape_1": similar_to_escape,
    "similar_escape": lambda p, e: None if p is None else similar_to_escape(
        p, "\\" if e is None else e),
}
