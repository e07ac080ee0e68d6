"""boolean: input accepts PostgreSQL's spellings (t/true/yes/on/1 and unique prefixes)."""

from __future__ import annotations

from typing import Any

from tuskdb.types.common import PG_SPACE, bad_binary, invalid_syntax

_TRUE = {"t", "tr", "tru", "true", "y", "ye", "yes", "on", "1"}
_FALSE = {"f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0"}


def bool_in(text: str, typmod: int = -1, ctx: Any = None) -> bool:
    s = text.strip(PG_SPACE).lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise invalid_syntax("boolean", text)


def bool_out(value: bool, ctx: Any = None) -> str:
    return "t" if value else "f"


def bool_send(value: bool, ctx: Any = None) -> bytes:
    return b"\x01" if value else b"\x00"


def bool_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> bool:
    if len(data) != 1:
        raise bad_binary()
    return data != b"\x00"


def boolean_text(value: bool) -> str:
    """bool -> text cast: 'true'/'false' (not the output function's t/f)."""
    return "true" if value else "false"


def _impls() -> dict[str, Any]:
    import operator
    d: dict[str, Any] = {}
    for suffix, fn in (("eq", operator.eq), ("ne", operator.ne), ("lt", operator.lt),
                       ("le", operator.le), ("gt", operator.gt), ("ge", operator.ge)):
        d["bool" + suffix] = fn
    d["booland_statefunc"] = lambda a, b: a and b
    d["boolor_statefunc"] = lambda a, b: a or b
    return d


IMPLS = _impls()
