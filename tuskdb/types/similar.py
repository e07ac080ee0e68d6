"""SIMILAR TO: similar_to_escape (regexp.c similar_escape_internal), which turns an
SQL regular expression into an ARE, and SUBSTRING(... SIMILAR ...)."""

from __future__ import annotations

import re

from tuskdb.errors import PgError


def _are_parts(pattern: str, escape: str | None) -> list[str]:
    """The translated pattern, split at the escape-double-quote separators."""
    if escape is not None and len(escape) > 1:
        raise PgError("22025", "invalid escape string",
                      hint="Escape string must be empty or one character.")
    e = escape or None
    parts: list[list[str]] = [[]]
    r = parts[0]
    afterescape = incharclass = False
    charclass_pos = 0
    for pchar in pattern:
        if afterescape:
            if pchar == '"' and not incharclass:
                if len(parts) == 3:
                    raise PgError("2200C", "SQL regular expression may not contain more than "
                                  "two escape-double-quote separators")
                r = []
                parts.append(r)
            else:
                r.append("\\" + pchar)
                charclass_pos = 3
            afterescape = False
        elif e is not None and pchar == e:
            afterescape = True
        elif incharclass:
            if pchar == "\\":
                r.append("\\")
            r.append(pchar)
            if pchar == "]" and charclass_pos > 2:
                incharclass = False
            elif pchar == "^" and charclass_pos == 1:
                charclass_pos = 2
            else:
                charclass_pos = 3
        elif pchar == "[":
            r.append("[")
            incharclass = True
            charclass_pos = 1
        elif pchar == "%":
            r.append(".*")
        elif pchar == "_":
            r.append(".")
        elif pchar == "(":
            r.append("(?:")
        elif pchar in "\\.^$":
            r.append("\\" + pchar)
        else:
            r.append(pchar)
    return ["".join(p) for p in parts]


def similar_escape(pattern: str | None, escape: str | None = "\\") -> str | None:
    """similar_to_escape(pattern[, escape]) -> the ARE PostgreSQL builds."""
    if pattern is None:
        return None
    parts = _are_parts(pattern, escape)
    if len(parts) == 1:
        body = parts[0]
    elif len(parts) == 2:
        body = parts[0] + "){1,1}?(" + parts[1]
    else:
        body = parts[0] + "){1,1}?(" + parts[1] + "){1,1}(?:" + parts[2]
    return "^(?:" + body + ")$"


_QUANT = re.compile(r"\\.|\[(?:\\.|[^\]])*\]|\{\d+(?:,\d*)?\}\??|[*+?]\??|.", re.S)


def _lazy(py: str) -> str:
    """Make every quantifier of a Python regex non-greedy (the ARE '{1,1}?' on
    SUBSTRING's first part makes that part match as little as possible)."""
    out = []
    for tok in _QUANT.findall(py):
        if (tok[0] in "*+?" or (tok[0] == "{" and tok[-1] in "}")) and not tok.endswith("?") \
                and not (tok == "?" and out and out[-1] == "("):
            tok += "?"
        out.append(tok)
    return "".join(out)


def similar_substring(s: str, pattern: str, escape: str | None) -> str | None:
    """substring(s similar pattern escape e): the part between the separators."""
    from tuskdb.types.strfuncs import _translate_are
    parts = [_translate_are(p) for p in _are_parts(pattern, escape)]
    if len(parts) == 1:
        rx = "(?:" + parts[0] + ")"
    elif len(parts) == 2:
        rx = "(?:" + _lazy(parts[0]) + ")(" + parts[1] + ")"
    else:
        rx = "(?:" + _lazy(parts[0]) + ")(" + parts[1] + ")(?:" + parts[2] + ")"
    try:
        m = re.fullmatch(rx, s, re.S)
    except re.error:
        raise PgError("2201B", "invalid regular expression") from None
    if m is None:
        return None
    return m.group(1) if len(parts) > 1 else m.group(0)
