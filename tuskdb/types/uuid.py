"""uuid: ``uuid.UUID`` values; input accepts braces and a hyphen after any 4 digits."""

from __future__ import annotations

import operator
import os
import re
import time
import uuid as _uuid
from typing import Any, Callable

from tuskdb.errors import PgError
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


_prev_ns = 0
_SUBMS_MINIMAL_STEP_NS = 1_000_000 // (1 << 10) + 1


def _real_time_ns_ascending() -> int:
    """uuid.c get_real_time_ns_ascending: the wall clock, advanced by at least
    SUBMS_MINIMAL_STEP_NS per call so that UUIDv7s of a backend ascend."""
    global _prev_ns
    ns = time.time_ns()
    if _prev_ns + _SUBMS_MINIMAL_STEP_NS >= ns:
        ns = _prev_ns + _SUBMS_MINIMAL_STEP_NS
    _prev_ns = ns
    return ns


def _ctrunc_div(a: int, b: int) -> tuple[int, int]:
    q = abs(a) // b
    q = q if a >= 0 else -q
    return q, a - q * b


def _uuidv7_at(unix_ts_ms: int, sub_ms_ns: int) -> _uuid.UUID:
    """uuid.c generate_uuidv7: 48-bit ms timestamp, 12-bit sub-millisecond
    fraction in rand_a, random rest, version 7, variant 10."""
    icp = _ctrunc_div(sub_ms_ns * 4096, 1_000_000)[0]
    value = ((unix_ts_ms & 0xFFFFFFFFFFFF) << 80) | (7 << 76) | ((icp & 0xFFF) << 64) | \
        (0b10 << 62) | int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    return _uuid.UUID(int=value)


def uuidv7() -> _uuid.UUID:
    ms, sub = divmod(_real_time_ns_ascending(), 1_000_000)
    return _uuidv7_at(ms, sub)


def uuidv7_interval(ctx: Any, shift: Any) -> _uuid.UUID:
    from tuskdb.types.context import UNIX_EPOCH_OFFSET_US
    from tuskdb.types.datetime import timestamptz_pl_interval
    if not shift.is_finite():
        raise PgError("22008", "interval out of range for UUID version 7",
                      detail="UUID version 7 does not support infinite intervals.")
    ns = _real_time_ns_ascending()
    ts = ns // 1000 - UNIX_EPOCH_OFFSET_US
    ts = timestamptz_pl_interval(ctx, ts, shift)
    us = ts + UNIX_EPOCH_OFFSET_US
    if us < 0 or us // 1000 > 0xFFFFFFFFFFFF:
        raise PgError("22008", "timestamp out of range for UUID version 7",
                      detail="UUID version 7 supports timestamps from 1970-01-01 to "
                             "approximately year 10889.")
    ms, rem = _ctrunc_div(us, 1000)
    return _uuidv7_at(ms, rem * 1000 + ns % 1000)


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
