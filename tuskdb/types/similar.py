"""SIMILAR TO: similar_to_escape, which turns an SQL regular expression into an
ARE (the rules of the documentation's "SIMILAR TO Regular Expressions"
section), and SUBSTRING(... SIMILAR ...)."""

from __future__ import annotations

import re

from tuskdb.errors import PgError


def _are_parts(pattern: str, escape: str | None) -> list[str]:
    """Translate an SQL regular expression into ARE text, split at the
    escape-double-quote separators (at most two; SUBSTRING uses them).

    Outside brackets: % is .*, _ is ., ( opens a non-capturing group, and
    the characters that mean something else in an ARE (. ^ $ \\) are quoted.
    Inside a bracket expression everything is copied as is (a backslash
    doubled): brackets nest (so [:alpha:] and the like stay inside), and a ]
    right after the opening [ or [^ is a member, not the end."""
    if escape is not None and len(escape) > 1:
        raise PgError("22025", "invalid escape string",
                      hint="Escape string must be empty or one character.")
    esc = escape or None
    parts: list[list[str]] = [[]]
    out = parts[0]
    depth = 0                 # bracket nesting
    member_next = False       # the next ] is a member (just after [ or [^)
    caret_ok = False          # a ^ here negates the bracket
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        i += 1
        if esc is not None and c == esc:
            if i == n:
                break                     # a trailing escape character is dropped
            c = pattern[i]
            i += 1
            if c == '"' and depth == 0:
                if len(parts) == 3:
                    raise PgError("2200C", "SQL regular expression may not contain more "
                                  "than two escape-double-quote separators")
                out = []
                parts.append(out)
            else:
                out.append("\\" + c)
                member_next = caret_ok = False
            continue
        if depth:
            out.append("\\\\" if c == "\\" else c)
            if c == "]" and not member_next:
                depth -= 1
            elif c == "[":
                depth += 1
            member_next = caret_ok and c == "^"
            caret_ok = False
            continue
        if c == "[":
            out.append(c)
            depth = 1
            member_next = caret_ok = True
        elif c == "%":
            out.append(".*")
        elif c == "_":
            out.append(".")
        elif c == "(":
            out.append("(?:")
        elif c in "\\.^$":
            out.append("\\" + c)
        else:
            out.append(c)
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
