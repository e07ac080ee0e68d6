"""SIMILAR TO: translation of SQL regular expressions to Python ones (similar_to_escape)."""

from __future__ import annotations

import re

from tuskdb.errors import PgError


def similar_to_regex(pattern: str, escape: str | None = "\\", substring: bool = False) -> str:
    out = []
    i = 0
    n = len(pattern)
    in_class = False
    quotes = 0
    if escape is not None and len(escape) > 1:
        raise PgError("22025", "invalid escape string",
                      hint="Escape string must be empty or one character.")
    while i < n:
        c = pattern[i]
        if escape and c == escape:
            i += 1
            if i >= n:
                raise PgError("22025", "SIMILAR TO pattern must not end with escape character"
                              if False else "invalid escape string")
            c2 = pattern[i]
            if c2 == '"':
                quotes += 1
                if quotes > 2:
                    raise PgError("2201B", "SQL regular expression may not contain more than "
                                  "two escape-double-quote separators")
                out.append("(" if quotes == 1 else ")")
            else:
                out.append("\\" + c2)
        elif in_class:
            if c == "]":
                in_class = False
            out.append(c)
        elif c == "[":
            in_class = True
            out.append(c)
        elif c == "%":
            out.append(".*")
        elif c == "_":
            out.append(".")
        elif c in "|*+?(){}":
            out.append(c)
        elif c == ".":
            out.append("\\.")
        else:
            out.append(re.escape(c))
        i += 1
    rx = "".join(out)
    if substring and quotes == 2:
        # PostgreSQL: the parts outside the quotes match minimally
        first, rest = rx.split("(", 1)
        mid, last = rest.rsplit(")", 1)
        rx = f"(?:{first})?" if False else f"{first}({mid}){last}"
        rx = re.sub(r"\.\*", ".*?", first) + "(" + mid + ")" + last
    return rx


def similar_escape(pattern: str | None, escape: str | None = "\\") -> str | None:
    """similar_to_escape(pattern[, escape]) -> a regular expression for ~."""
    if pattern is None:
        return None
    return "^(?:" + similar_to_regex(pattern, escape) + ")$"
