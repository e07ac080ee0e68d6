"""uuid: ``uuid.UUID`` values; input accepts braces and a hyphen after any 4 digits."""

from __future__ import annotations

import operator
import re
import uuid as _uuid
from typing import Any, Callable

from tuskdb.types.common import bad_binary, invalid_syntax

_RE = re.compile(r"[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7}")


def uuid_in(text: str, typmod: int = -1, ctx: Any = None) -> _uuid.UUID:
    s = text
    if s.startswith("{"):
        if not s.endswith("}"):
            raise invalid_syntax("uuid", text)
        s = s[1:-1]
    if len(s) == 36 and s[8] == "-" and s[13] == "-" and s[18] == "-" and s[23] == "-":
        try:
            return _uuid.UUID(s)
        except ValueError:
            raise invalid_syntax("uuid", text) from None
    if not _RE.fullmatch(s):
        raise invalid_syntax("uuid", text)
    return _uuid.UUID(s.replace("-", ""))


def uuid_out(value: _uuid.UUID, ctx: Any = None) -> str:
    return str(value)


def uuid_send(value: _uuid.UUID, ctx: Any = None) -> bytes:
    return value.bytes


def uuid_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> _uuid.UUID:
    if len(data) != 16:
        raise bad_binary()
    return _uuid.UUID(bytes=bytes(data))


def gen_random_uuid() -> _uuid.UUID:
    return _uuid.uuid4()


def _cmp() -> dict[str, Callable[..., Any]]:
    d: dict[str, Callable[..., Any]] = {}
    for suffix, fn in (("eq", operator.eq), ("ne", operator.ne), ("lt", operator.lt),
                       ("le", operator.le), ("gt", operator.gt), ("ge", operator.ge)):
        d["uuid_" + suffix] = fn
    return d


IMPLS: dict[str, Callable[..., Any]] = {**_cmp(), "gen_random_uuid": gen_random_uuid}
