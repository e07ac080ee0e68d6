"""time with time zone: ``TimeTZ(time, zone)`` — µs since midnight and the zone in
seconds *west* of UTC (PostgreSQL's TimeTzADT).  Ordering is PostgreSQL's
timetz_cmp: by the UTC instant first, then by zone."""

from __future__ import annotations

import struct
from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types.common import bad_binary
from tuskdb.types.dtcore import USECS_PER_DAY, USECS_PER_SEC, format_offset, local_offset
from tuskdb.types.dtparse import DtError, decode_datetime, raise_dterr
from tuskdb.types.interval import Interval


class TimeTZ:
    __slots__ = ("time", "zone")

    time: int
    zone: int

    def __init__(self, time: int, zone: int) -> None:
        object.__setattr__(self, "time", time)
        object.__setattr__(self, "zone", zone)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("TimeTZ is immutable")

    def key(self) -> tuple[int, int]:
        return (self.time + self.zone * USECS_PER_SEC, self.zone)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TimeTZ) and self.key() == other.key()

    def __lt__(self, other: TimeTZ) -> bool:
        return self.key() < other.key()

    def __le__(self, other: TimeTZ) -> bool:
        return self.key() <= other.key()

    def __gt__(self, other: TimeTZ) -> bool:
        return self.key() > other.key()

    def __ge__(self, other: TimeTZ) -> bool:
        return self.key() >= other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __repr__(self) -> str:
        return f"TimeTZ({self.time}, {self.zone})"


_S = struct.Struct("!qi")


def timetz_in(text: str, typmod: int = -1, ctx: Any = None) -> TimeTZ:
    typname = "time with time zone"
    try:
        from tuskdb.types.datetime import _tz as _session_tz
        r = decode_datetime(text, "MDY" if ctx is None else ctx.date_order, time_only=True,
                            session_tz=_session_tz(ctx))
    except DtError as e:
        code = e.code
        raise_dterr("bad_tz" if code.startswith("bad_tz") else code, text, typname,
                    code[7:] if code.startswith("bad_tz:") else "")
        raise AssertionError from None
    if r.special is not None:
        if r.special in ("late", "early"):
            raise_dterr("bad", text, typname)
        from tuskdb.types.datetime import _now, _tz
        from tuskdb.types.dtcore import utc_offset
        off, _ = utc_offset(_tz(ctx), _now(ctx))
        t = 0 if r.special != "now" else (_now(ctx) + off * USECS_PER_SEC) % USECS_PER_DAY
        return TimeTZ(t, -off)
    tm = r.tm
    t = ((tm.hour * 60 + tm.min) * 60 + tm.sec) * USECS_PER_SEC + tm.fsec
    if tm.dyn_abbr is not None:
        from tuskdb.types.datetime import _dyn_abbrev_utc, _now
        from tuskdb.types.dtcore import utc_to_local
        day = utc_to_local(tm.dyn_abbr[1], _now(ctx)) // USECS_PER_DAY
        local = day * USECS_PER_DAY + t
        zone = (_dyn_abbrev_utc(tm.dyn_abbr, local) - local) // USECS_PER_SEC
    elif tm.tz is not None:
        zone = -tm.tz
    else:
        from tuskdb.types.datetime import _now, _tz
        tz = tm.named_tz if tm.named_tz is not None else _tz(ctx)
        from tuskdb.types.dtparse import DTK_DATE_M
        has_date = r.fmask & DTK_DATE_M == DTK_DATE_M
        if tm.named_tz is not None and not hasattr(tz, "offset_s") and not has_date:
            # a zone name needs a date to resolve its offset
            raise_dterr("bad", text, typname)
        from tuskdb.types.dtcore import fields2timestamp, utc_to_local
        if has_date:
            local = fields2timestamp(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec,
                                     tm.fsec)
        else:
            day = utc_to_local(tz, _now(ctx)) // USECS_PER_DAY
            local = day * USECS_PER_DAY + t
        zone = -local_offset(tz, local)
    v = TimeTZ(t, zone)
    return timetz_coerce(v, typmod) if typmod >= 0 else v


def timetz_out(v: TimeTZ, ctx: Any = None) -> str:
    from tuskdb.types.datetime import time_out
    return time_out(v.time) + format_offset(-v.zone)


def timetz_send(v: TimeTZ, ctx: Any = None) -> bytes:
    return _S.pack(v.time, v.zone)


def timetz_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> TimeTZ:
    if len(data) != 12:
        raise bad_binary()
    t, zone = _S.unpack(data)
    if not 0 <= t <= USECS_PER_DAY:
        raise PgError("22008", "time out of range")
    if not -15 * 3600 - 59 * 60 <= zone <= 15 * 3600 + 59 * 60:
        raise PgError("22009", "time zone displacement out of range")
    return TimeTZ(t, zone)


def timetz_coerce(v: TimeTZ, typmod: int, explicit: bool = False) -> TimeTZ:
    from tuskdb.types.datetime import time_coerce
    if typmod < 0:
        return v
    t = time_coerce(v.time, typmod)
    return v if t == v.time else TimeTZ(t, v.zone)


def timetz_format_type(typmod: int) -> str:
    return f"time({typmod}) with time zone" if typmod >= 0 else "time with time zone"


def timetz_pl_interval(v: TimeTZ, iv: Interval) -> TimeTZ:
    if not iv.is_finite():
        raise PgError("22008", "cannot add infinite interval to time")
    return TimeTZ((v.time + iv.micros) % USECS_PER_DAY, v.zone)


def timetz_mi_interval(v: TimeTZ, iv: Interval) -> TimeTZ:
    if not iv.is_finite():
        raise PgError("22008", "cannot subtract infinite interval from time")
    return TimeTZ((v.time - iv.micros) % USECS_PER_DAY, v.zone)


def time_timetz(ctx: Any, t: int) -> TimeTZ:
    from tuskdb.types.datetime import _now, _tz
    from tuskdb.types.dtcore import utc_to_local
    tz = _tz(ctx)
    day = utc_to_local(tz, _now(ctx)) // USECS_PER_DAY
    return TimeTZ(t, -local_offset(tz, day * USECS_PER_DAY + t))


def timestamptz_timetz(ctx: Any, ts: int) -> TimeTZ:
    from tuskdb.types.datetime import _tz
    from tuskdb.types.dtcore import DT_NOBEGIN, DT_NOEND, utc_offset
    if ts in (DT_NOBEGIN, DT_NOEND):
        raise PgError("22008", "timestamp out of range")
    off, _ = utc_offset(_tz(ctx), ts)
    return TimeTZ((ts + off * USECS_PER_SEC) % USECS_PER_DAY, -off)


def datetimetz_timestamptz(d: int, v: TimeTZ) -> int:
    from tuskdb.types.datetime import date2timestamp
    ts = date2timestamp(d)
    return ts + v.time + v.zone * USECS_PER_SEC


def timetz_zone(zone: str, v: TimeTZ) -> TimeTZ:
    from tuskdb.types.dtfuncs import parse_zone
    from tuskdb.types.datetime import _now
    from tuskdb.types.dtcore import utc_offset
    tz = parse_zone(zone)
    off, _ = utc_offset(tz, _now(None))
    t = (v.time + v.zone * USECS_PER_SEC + off * USECS_PER_SEC) % USECS_PER_DAY
    return TimeTZ(t, -off)


def timetz_at_local(ctx: Any, v: TimeTZ) -> TimeTZ:
    """timetz AT LOCAL: to the session's TimeZone, at its offset now."""
    from tuskdb.types.datetime import _now, _tz
    from tuskdb.types.dtcore import utc_offset
    off, _ = utc_offset(_tz(ctx), _now(None))
    t = (v.time + v.zone * USECS_PER_SEC + off * USECS_PER_SEC) % USECS_PER_DAY
    return TimeTZ(t, -off)


def timetz_izone(iv: Interval, v: TimeTZ) -> TimeTZ:
    from tuskdb.types.dtfuncs import check_izone
    check_izone(iv)
    off = iv.micros // USECS_PER_SEC
    t = (v.time + v.zone * USECS_PER_SEC + iv.micros) % USECS_PER_DAY
    return TimeTZ(t, -off)


def timetz_part(name: str, v: TimeTZ, numeric: bool = False) -> Any:
    from decimal import Decimal
    from tuskdb.types.dtfuncs import _UNITS, _c_div, time_part
    u = _UNITS.get(name.lower().strip())
    if u in ("timezone", "timezone_hour", "timezone_minute"):
        tz = -v.zone
        r = tz if u == "timezone" else (_c_div(tz, 3600) if u == "timezone_hour"
                                        else _c_div(tz, 60) - _c_div(tz, 3600) * 60)
        return Decimal(r) if numeric else float(r)
    if u == "epoch":
        us = v.time + v.zone * USECS_PER_SEC
        return Decimal(us).scaleb(-6) if numeric else us / 1e6
    try:
        return time_part(name, v.time, numeric)
    except PgError as e:
        raise PgError(e.sqlstate, e.message.replace("time without time zone",
                                                    "time with time zone")) from None


def _cmp_impls() -> dict[str, Callable[..., Any]]:
    import operator
    d: dict[str, Callable[..., Any]] = {}
    for suffix, fn in (("eq", operator.eq), ("ne", operator.ne), ("lt", operator.lt),
                       ("le", operator.le), ("gt", operator.gt), ("ge", operator.ge)):
        d["timetz_" + suffix] = fn
    return d


IMPLS: dict[str, Callable[..., Any]] = {
    **_cmp_impls(),
    "timetz_pl_interval": timetz_pl_interval, "timetz_mi_interval": timetz_mi_interval,
    "timetz_time": lambda v: v.time, "datetimetz_timestamptz": datetimetz_timestamptz,
    "timetz_zone": timetz_zone, "timetz_izone": timetz_izone,
    "timetz_part": timetz_part, "extract_timetz": lambda n, v: timetz_part(n, v, True),
    "timetz_larger": lambda a, b: a if a >= b else b,
    "timetz_smaller": lambda a, b: a if a <= b else b,
}
IMPLS_BY_OID: dict[int, Callable[..., Any]] = {
    1298: lambda v, d: datetimetz_timestamptz(d, v),       # timetzdate_pl
    2547: lambda iv, v: timetz_pl_interval(v, iv),         # interval_pl_timetz
}

CTX_IMPLS: dict[str, Callable[..., Any]] = {
    "time_timetz": time_timetz, "timestamptz_timetz": timestamptz_timetz,
}
