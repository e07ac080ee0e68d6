"""uuid: ``uuid.UUID`` values; input accepts braces and a hyphen after any 4 digits."""

from __future__ import annotations

import operator
import os
import re
import time
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


_last_v7 = 0


def _uuidv7_at(unix_ns: int) -> _uuid.UUID:
    """RFC 9562 version 7 with PostgreSQL 18's 12-bit sub-millisecond field, kept
    monotonic within the process."""
    global _last_v7
    ms, rest_ns = divmod(unix_ns, 1_000_000)
    sub_ms = (rest_ns * 4096) // 1_000_000
    value = (ms << 80) | (7 << 76) | (sub_ms << 64) | (0b10 << 62) | \
        int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    if value <= _last_v7 and (value >> 64) <= (_last_v7 >> 64):
        value = _last_v7 + 1
    _last_v7 = value
    return _uuid.UUID(int=value)


def uuidv7() -> _uuid.UUID:
    return _uuidv7_at(time.time_ns())


def uuidv7_interval(ctx: Any, shift: Any) -> _uuid.UUID:
    from tuskdb.types.context import UNIX_EPOCH_OFFSET_US, clock_now
    from tuskdb.types.datetime import timestamptz_pl_interval
    ts = timestamptz_pl_interval(ctx, clock_now(), shift)
    return _uuidv7_at((ts + UNIX_EPOCH_OFFSET_US) * 1000)


def uuid_extract_version(u: _uuid.UUID) -> int | None:
    if (u.int >> 62) & 0b11 != 0b10:
        return None
    return (u.int >> 76) & 0xF


def uuid_extract_timestamp(u: _uuid.UUID) -> int | None:
    """timestamptz µs of a version 1 or 7 UUID, else NULL."""
    from tuskdb.types.context import UNIX_EPOCH_OFFSET_US
    v = uuid_extract_version(u)
    if v == 7:
        ms = u.int >> 80
        return ms * 1000 - UNIX_EPOCH_OFFSET_US
    if v == 1:
        ticks = ((u.int >> 64) & 0xFFF) << 48 | ((u.int >> 80) & 0xFFFF) << 32 | (u.int >> 96)
        # 100 ns ticks since 1582-10-15 00:00 UTC
        unix_us = ticks // 10 - 12219292800_000_000
        return unix_us - UNIX_EPOCH_OFFSET_US
    return None


def _cmp() -> dict[str, Callable[..., Any]]:
    d: dict[str, Callable[..., Any]] = {}
    for suffix, fn in (("eq", operator.eq), ("ne", operator.ne), ("lt", operator.lt),
                       ("le", operator.le), ("gt", operator.gt), ("ge", operator.ge)):
        d["uuid_" + suffix] = fn
    return d


IMPLS: dict[str, Callable[..., Any]] = {
    **_cmp(), "gen_random_uuid": gen_random_uuid, "uuidv7": uuidv7,
    "uuid_extract_version": uuid_extract_version,
    "uuid_extract_timestamp": uuid_extract_timestamp,
}
CTX_IMPLS: dict[str, Callable[..., Any]] = {"uuidv7_interval": uuidv7_interval}
