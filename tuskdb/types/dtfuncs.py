"""Date/time functions: extract/date_part, date_trunc, age, make_*, now() and
friends, timezone(), to_timestamp(float8), date_bin, isfinite."""

from __future__ import annotations

import math
import time as _time
from decimal import Decimal
from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types.context import clock_now, parse_timezone
from tuskdb.types.datetime import (
    UNIX_EPOCH_TS, _tz, date2timestamp, timestamp2timestamptz, timestamptz2timestamp,
)
from tuskdb.types.dtcore import (
    DATE_NOBEGIN, DATE_NOEND, DT_NOBEGIN, DT_NOEND, END_TIMESTAMP, MIN_TIMESTAMP,
    POSTGRES_EPOCH_JDATE, USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC,
    date2j, days_in_month, fields2timestamp, is_leap, is_valid_julian, j2date, j2day,
    local_to_utc, timestamp2fields, utc_offset, utc_to_local,
)
from tuskdb.types.interval import (
    INTERVAL_NOBEGIN, INTERVAL_NOEND, Interval, interval_out_of_range,
    make_interval_checked,
)
from tuskdb.types.numeric import NCTX, numeric_add, numeric_div

_UNITS = {}
for _u, _names in (
        ("microseconds", "microsecond microseconds us usec usecs usecond useconds microsecon"),
        ("milliseconds", "millisecond milliseconds ms msec msecs msecond mseconds millisecon"),
        ("second", "second seconds s sec secs"), ("minute", "minute minutes m min mins"),
        ("hour", "hour hours h hr hrs"), ("day", "day days d"), ("week", "week weeks w"),
        ("month", "month months mon mons"), ("quarter", "quarter qtr"),
        ("year", "year years y yr yrs"), ("decade", "decade decades dec decs"),
        ("century", "century centuries c cent"),
        ("millennium", "millennium millennia mil mils"), ("epoch", "epoch"),
        ("dow", "dow"), ("isodow", "isodow"), ("doy", "doy"), ("isoyear", "isoyear"),
        ("julian", "julian j"), ("timezone", "timezone"),
        ("timezone_hour", "timezone_hour timezone_h"),
        ("timezone_minute", "timezone_minute timezone_m")):
    for _n in _names.split():
        _UNITS[_n] = _u


def _unit(name: str, typname: str) -> str:
    u = _UNITS.get(name.lower().strip())
    if u is None:
        raise PgError("22023", f'unit "{name}" not recognized for type {typname}')
    return u


def _unsupported(name: str, typname: str, detail: str | None = None) -> PgError:
    return PgError("0A000", f'unit "{name}" not supported for type {typname}', detail=detail)


def _dec6(v: int, scale: int) -> Decimal:
    """int64_div_fast_to_numeric(v, log10 scale)."""
    return Decimal(v).scaleb(-scale, NCTX)


def _year_out(y: int) -> int:
    return y if y > 0 else y - 1


def date2isoweek(y: int, m: int, d: int) -> int:
    dayn = date2j(y, m, d)
    day4 = date2j(y, 1, 4)
    day0 = j2day(day4 - 1)
    if dayn < day4 - day0:
        day4 = date2j(y - 1, 1, 4)
        day0 = j2day(day4 - 1)
    result = (dayn - (day4 - day0)) // 7 + 1
    if result >= 52:
        day4 = date2j(y + 1, 1, 4)
        day0 = j2day(day4 - 1)
        if dayn >= day4 - day0:
            result = (dayn - (day4 - day0)) // 7 + 1
    return result


def date2isoyear(y: int, m: int, d: int) -> int:
    dayn = date2j(y, m, d)
    day4 = date2j(y, 1, 4)
    day0 = j2day(day4 - 1)
    if dayn < day4 - day0:
        y -= 1
        day4 = date2j(y, 1, 4)
        day0 = j2day(day4 - 1)
    result = (dayn - (day4 - day0)) // 7 + 1
    if result >= 52:
        day4 = date2j(y + 1, 1, 4)
        day0 = j2day(day4 - 1)
        if dayn >= day4 - day0:
            y += 1
    return y


def isoweek2j(year: int, week: int) -> int:
    day4 = date2j(year, 1, 4)
    day0 = j2day(day4 - 1)
    return (week - 1) * 7 + (day4 - day0)


def _c_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _ts_field(u: str, name: str, ts: int, typname: str, numeric: bool, tzoff: int | None,
              local: int) -> Any:
    y, mo, d, h, mi, s, f = timestamp2fields(local)
    if u == "microseconds":
        return Decimal(s * 1_000_000 + f) if numeric else float(s * 1_000_000 + f)
    if u == "milliseconds":
        v = s * 1_000_000 + f
        return _dec6(v, 3) if numeric else s * 1000.0 + f / 1000.0
    if u == "second":
        v = s * 1_000_000 + f
        return _dec6(v, 6) if numeric else s + f / 1_000_000.0
    if u == "epoch":
        v = ts - UNIX_EPOCH_TS
        return _dec6(v, 6) if numeric else v / 1_000_000.0
    if u == "julian":
        j = date2j(y, mo, d)
        us = ((h * 60 + mi) * 60 + s) * 1_000_000 + f
        if numeric:
            return numeric_add(Decimal(j), numeric_div(Decimal(us), Decimal(86400_000_000)))
        return j + us / 86400_000_000.0
    if u in ("timezone", "timezone_hour", "timezone_minute"):
        if tzoff is None:
            raise _unsupported(name, typname)
        if u == "timezone":
            r = tzoff
        elif u == "timezone_hour":
            r = _c_div(tzoff, 3600)
        else:
            r = _c_div(tzoff, 60) - _c_div(tzoff, 3600) * 60
        return Decimal(r) if numeric else float(r)
    if u == "minute":
        r = mi
    elif u == "hour":
        r = h
    elif u == "day":
        r = d
    elif u == "month":
        r = mo
    elif u == "quarter":
        r = (mo - 1) // 3 + 1
    elif u == "week":
        r = date2isoweek(y, mo, d)
    elif u == "year":
        r = _year_out(y)
    elif u == "decade":
        r = y // 10 if y >= 0 else -((8 - (y - 1)) // 10)
    elif u == "century":
        r = (y + 99) // 100 if y > 0 else -((99 - (y - 1)) // 100)
    elif u == "millennium":
        r = (y + 999) // 1000 if y > 0 else -((999 - (y - 1)) // 1000)
    elif u == "isoyear":
        r = date2isoyear(y, mo, d)
        if r <= 0:
            r -= 1
    elif u == "dow":
        r = j2day(date2j(y, mo, d))
    elif u == "isodow":
        r = j2day(date2j(y, mo, d)) or 7
    elif u == "doy":
        r = date2j(y, mo, d) - date2j(y, 1, 1) + 1
    else:
        raise _unsupported(name, typname)
    return Decimal(r) if numeric else float(r)


_INFINITE_UNITS = ("year", "decade", "century", "millennium", "julian", "isoyear", "epoch")


def _nonfinite(u: str, name: str, ts: int, typname: str, numeric: bool) -> Any:
    if u in _INFINITE_UNITS:
        if numeric:
            return Decimal("Infinity") if ts > 0 else Decimal("-Infinity")
        return math.inf if ts > 0 else -math.inf
    return None


def timestamp_part(name: str, ts: int, numeric: bool = False) -> Any:
    typname = "timestamp without time zone"
    u = _unit(name, typname)
    if ts in (DT_NOBEGIN, DT_NOEND):
        return _nonfinite(u, name, ts, typname, numeric)
    return _ts_field(u, name, ts, typname, numeric, None, ts)


def timestamptz_part(ctx: Any, name: str, ts: int, numeric: bool = False) -> Any:
    typname = "timestamp with time zone"
    u = _unit(name, typname)
    if ts in (DT_NOBEGIN, DT_NOEND):
        return _nonfinite(u, name, ts, typname, numeric)
    off, _ = utc_offset(_tz(ctx), ts)
    return _ts_field(u, name, ts, typname, numeric, off, ts + off * USECS_PER_SEC)


def extract_date(name: str, d: int) -> Decimal | None:
    typname = "date"
    u = _unit(name, typname)
    if u not in ("day", "month", "quarter", "week", "year", "decade", "century",
                 "millennium", "isoyear", "dow", "isodow", "doy", "julian", "epoch"):
        raise _unsupported(name, typname)
    if d in (DATE_NOBEGIN, DATE_NOEND):
        if u in _INFINITE_UNITS:
            return Decimal("Infinity") if d > 0 else Decimal("-Infinity")
        return None
    if u == "epoch":
        return Decimal((d * USECS_PER_DAY - UNIX_EPOCH_TS) // USECS_PER_SEC)
    if u == "julian":
        return Decimal(d + POSTGRES_EPOCH_JDATE)
    return _ts_field(u, name, d * USECS_PER_DAY, typname, True, None, d * USECS_PER_DAY)


def date_part_date(name: str, d: int) -> float | None:
    """date_part(text, date) is date_part(text, date::timestamp)."""
    return timestamp_part(name, date2timestamp(d), False)


def time_part(name: str, t: int, numeric: bool = False) -> Any:
    typname = "time without time zone"
    u = _unit(name, typname)
    s, f = divmod(t, USECS_PER_SEC)
    mi, s = divmod(s, 60)
    h, mi = divmod(mi, 60)
    if u == "microseconds":
        v: Any = s * 1_000_000 + f
        return Decimal(v) if numeric else float(v)
    if u == "milliseconds":
        v = s * 1_000_000 + f
        return _dec6(v, 3) if numeric else s * 1000.0 + f / 1000.0
    if u == "second":
        v = s * 1_000_000 + f
        return _dec6(v, 6) if numeric else s + f / 1e6
    if u == "minute":
        return Decimal(mi) if numeric else float(mi)
    if u == "hour":
        return Decimal(h) if numeric else float(h)
    if u == "epoch":
        return _dec6(t, 6) if numeric else t / 1e6
    raise _unsupported(name, typname)


def interval_part(name: str, iv: Interval, numeric: bool = False) -> Any:
    typname = "interval"
    u = _unit(name, typname)
    if not iv.is_finite():
        if u in ("epoch", "hour", "day", "year", "decade", "century", "millennium"):
            sign = 1 if iv.months > 0 else -1
            if numeric:
                return Decimal("Infinity") if sign > 0 else Decimal("-Infinity")
            return math.inf * sign
        if u in ("microseconds", "milliseconds", "second", "minute", "week", "month",
                 "quarter"):
            return None
        raise _unsupported(name, typname)
    year = _c_div(iv.months, 12)
    mon = iv.months - year * 12
    t = iv.micros
    hour = _c_div(t, USECS_PER_HOUR)
    t -= hour * USECS_PER_HOUR
    mi = _c_div(t, USECS_PER_MINUTE)
    t -= mi * USECS_PER_MINUTE
    us = t  # seconds and microseconds together
    if u == "microseconds":
        return Decimal(us) if numeric else float(us)
    if u == "milliseconds":
        return _dec6(us, 3) if numeric else us / 1000.0
    if u == "second":
        return _dec6(us, 6) if numeric else us / 1e6
    if u == "epoch":
        secs = (1461 * year + 120 * mon + 4 * iv.days) * (86400 // 4)
        v = secs * 1_000_000 + iv.micros
        return _dec6(v, 6) if numeric else v / 1e6
    if u == "minute":
        r = mi
    elif u == "hour":
        r = hour
    elif u == "day":
        r = iv.days
    elif u == "week":
        r = _c_div(iv.days, 7)
    elif u == "month":
        r = mon
    elif u == "quarter":
        # the quarter counts away from zero on the interval's side (year and month
        # share the sign of the month total)
        r = _c_div(mon, 3) + (1 if iv.months >= 0 else -1)
    elif u == "year":
        r = year
    elif u == "decade":
        r = _c_div(year, 10)
    elif u == "century":
        r = _c_div(year, 100)
    elif u == "millennium":
        r = _c_div(year, 1000)
    else:
        raise _unsupported(name, typname)
    return Decimal(r) if numeric else float(r)


# ---------------------------------------------------------------------------
# date_trunc

def _trunc_fields(u: str, name: str, typname: str, local: int) -> tuple[int, bool]:
    """Truncate a local timestamp; returns (local, redo_tz)."""
    y, mo, d, h, mi, s, f = timestamp2fields(local)
    if u == "week":
        j = isoweek2j(date2isoyear(y, mo, d), date2isoweek(y, mo, d))
        y, mo, d = j2date(j)
        return fields2timestamp(y, mo, d, 0, 0, 0, 0), True
    order = ("millennium", "century", "decade", "year", "quarter", "month", "day", "hour",
             "minute", "second", "milliseconds", "microseconds")
    if u not in order:
        raise _unsupported(name, typname)
    i = order.index(u)
    if u == "millennium":
        y = ((y + 999) // 1000) * 1000 - 999 if y > 0 else -((999 - (y - 1)) // 1000) * 1000 + 1
    elif u == "century":
        y = ((y + 99) // 100) * 100 - 99 if y > 0 else -((99 - (y - 1)) // 100) * 100 + 1
    elif u == "decade":
        y = (y // 10) * 10 if y > 0 else -((8 - (y - 1)) // 10) * 10
    if i <= 3:
        mo = 1
    if i <= 4:
        mo = 3 * ((mo - 1) // 3) + 1
    if i <= 5:
        d = 1
    if i <= 6:
        h = 0
    if i <= 7:
        mi = 0
    if i <= 8:
        s = 0
    if i <= 9:
        f = 0
    elif u == "milliseconds":
        f = (f // 1000) * 1000
    return fields2timestamp(y, mo, d, h, mi, s, f), i <= 6


_TRUNC_UNITS = frozenset(("week", "millennium", "century", "decade", "year", "quarter",
                          "month", "day", "hour", "minute", "second", "milliseconds",
                          "microseconds"))


def timestamp_trunc(name: str, ts: int) -> int:
    typname = "timestamp without time zone"
    u = _unit(name, typname)
    if ts in (DT_NOBEGIN, DT_NOEND):
        if u not in _TRUNC_UNITS:
            raise _unsupported(name, typname)
        return ts
    return _trunc_fields(u, name, typname, ts)[0]


def timestamptz_trunc(ctx: Any, name: str, ts: int, zone: str | None = None) -> int:
    typname = "timestamp with time zone"
    u = _unit(name, typname)
    if ts in (DT_NOBEGIN, DT_NOEND):
        if u not in _TRUNC_UNITS:
            raise _unsupported(name, typname)
        return ts
    tz = parse_zone(zone) if zone is not None else _tz(ctx)
    off, _ = utc_offset(tz, ts)
    local, redo = _trunc_fields(u, name, typname, ts + off * USECS_PER_SEC)
    if redo:
        return local_to_utc(tz, local)
    return local - off * USECS_PER_SEC


def interval_trunc(name: str, iv: Interval) -> Interval:
    typname = "interval"
    u = _unit(name, typname)
    if u == "week":
        raise _unsupported(name, typname, "Months usually have fractional weeks.")
    if not iv.is_finite():
        if u not in _TRUNC_UNITS:
            raise _unsupported(name, typname)
        return iv
    year = _c_div(iv.months, 12)
    mon = iv.months - year * 12
    days = iv.days
    t = iv.micros
    hour = _c_div(t, USECS_PER_HOUR)
    t -= hour * USECS_PER_HOUR
    mi = _c_div(t, USECS_PER_MINUTE)
    t -= mi * USECS_PER_MINUTE
    sec = _c_div(t, USECS_PER_SEC)
    us = t - sec * USECS_PER_SEC
    order = ("millennium", "century", "decade", "year", "quarter", "month", "day", "hour",
             "minute", "second", "milliseconds", "microseconds")
    if u not in order:
        raise _unsupported(name, typname)
    if u == "millennium":
        year = _c_div(year, 1000) * 1000
    elif u == "century":
        year = _c_div(year, 100) * 100
    elif u == "decade":
        year = _c_div(year, 10) * 10
    i = order.index(u)
    if i <= 3:
        mon = 0
    if u == "quarter":
        mon = 3 * _c_div(mon, 3)
    if i <= 5:
        days = 0
    if i <= 6:
        hour = 0
    if i <= 7:
        mi = 0
    if i <= 8:
        sec = 0
    if i <= 9:
        us = 0
    elif u == "milliseconds":
        us = _c_div(us, 1000) * 1000
    return make_interval_checked(year * 12 + mon, days,
                                 ((hour * 60 + mi) * 60 + sec) * USECS_PER_SEC + us)


# ---------------------------------------------------------------------------
# age

def _age_fields(dt1: int, dt2: int, f1: tuple[int, ...], f2: tuple[int, ...]) -> Interval:
    y1, mo1, d1, h1, mi1, s1, us1 = f1
    y2, mo2, d2, h2, mi2, s2, us2 = f2
    usec, sec, mn, hour = us1 - us2, s1 - s2, mi1 - mi2, h1 - h2
    mday, mon, year = d1 - d2, mo1 - mo2, y1 - y2
    neg = dt1 < dt2
    if neg:
        usec, sec, mn, hour, mday, mon, year = (-usec, -sec, -mn, -hour, -mday, -mon, -year)
    while usec < 0:
        usec += USECS_PER_SEC
        sec -= 1
    while sec < 0:
        sec += 60
        mn -= 1
    while mn < 0:
        mn += 60
        hour -= 1
    while hour < 0:
        hour += 24
        mday -= 1
    while mday < 0:
        if neg:
            mday += days_in_month(y1, mo1)
        else:
            mday += days_in_month(y2, mo2)
        mon -= 1
    while mon < 0:
        mon += 12
        year -= 1
    if neg:
        usec, sec, mn, hour, mday, mon, year = (-usec, -sec, -mn, -hour, -mday, -mon, -year)
    return make_interval_checked(year * 12 + mon, mday,
                                 ((hour * 60 + mn) * 60 + sec) * USECS_PER_SEC + usec)


def _age_infinite(a: int, b: int) -> Interval | None:
    ai, bi = a in (DT_NOBEGIN, DT_NOEND), b in (DT_NOBEGIN, DT_NOEND)
    if not ai and not bi:
        return None
    if ai and bi and a == b:
        raise interval_out_of_range()
    if ai:
        return INTERVAL_NOEND if a == DT_NOEND else INTERVAL_NOBEGIN
    return INTERVAL_NOBEGIN if b == DT_NOEND else INTERVAL_NOEND


def timestamp_age(a: int, b: int) -> Interval:
    inf = _age_infinite(a, b)
    if inf is not None:
        return inf
    return _age_fields(a, b, timestamp2fields(a), timestamp2fields(b))


def timestamptz_age(ctx: Any, a: int, b: int) -> Interval:
    inf = _age_infinite(a, b)
    if inf is not None:
        return inf
    tz = _tz(ctx)
    return _age_fields(a, b, timestamp2fields(utc_to_local(tz, a)),
                       timestamp2fields(utc_to_local(tz, b)))


def _current_date_ts(ctx: Any) -> int:
    return (utc_to_local(_tz(ctx), ctx.transaction_now()) // USECS_PER_DAY) * USECS_PER_DAY


def age1_timestamp(ctx: Any, ts: int) -> Interval:
    return timestamp_age(_current_date_ts(ctx), ts)


def age1_timestamptz(ctx: Any, ts: int) -> Interval:
    return timestamptz_age(ctx, timestamp2timestamptz(ctx, _current_date_ts(ctx)), ts)


# ---------------------------------------------------------------------------
# constructors

def make_date(y: int, m: int, d: int) -> int:
    yy = y
    if y == 0:
        raise PgError("22008", f"date field value out of range: {y}-{m:02d}-{d:02d}")
    if y < 0:
        yy = y + 1
    if not (1 <= m <= 12 and 1 <= d <= days_in_month(yy, m)) or not is_valid_julian(yy, m, d):
        raise PgError("22008", f"date field value out of range: {y}-{m:02d}-{d:02d}")
    return date2j(yy, m, d) - POSTGRES_EPOCH_JDATE


def _fmt_g(x: float) -> str:
    return "%02g" % x


def _make_time_us(h: int, m: int, sec: float) -> int:
    if not (0 <= h <= 24 and 0 <= m <= 59 and 0 <= sec <= 60) or sec != sec:
        raise PgError("22008", f"time field value out of range: {h}:{m:02d}:{_fmt_g(sec)}")
    us = (h * 3600 + m * 60) * USECS_PER_SEC + int(round(sec * USECS_PER_SEC))
    if us > USECS_PER_DAY:
        raise PgError("22008", f"time field value out of range: {h}:{m:02d}:{_fmt_g(sec)}")
    return us


def make_time(h: int, m: int, sec: float) -> int:
    return _make_time_us(h, m, sec)


def make_timestamp(y: int, mo: int, d: int, h: int, mi: int, sec: float) -> int:
    days = make_date(y, mo, d)
    t = _make_time_us(h, mi, sec)
    ts = days * USECS_PER_DAY + t
    if not MIN_TIMESTAMP <= ts < END_TIMESTAMP:
        raise PgError("22008", f"timestamp out of range: {y}-{mo:02d}-{d:02d} "
                      f"{h}:{mi:02d}:{_fmt_g(sec)}")
    return ts


def make_timestamptz(ctx: Any, y: int, mo: int, d: int, h: int, mi: int, sec: float,
                     zone: str | None = None) -> int:
    local = make_timestamp(y, mo, d, h, mi, sec)
    tz = _parse_sane_timezone(zone) if zone is not None else _tz(ctx)
    return local_to_utc(tz, local)


def _parse_sane_timezone(zone: str) -> Any:
    """parse_sane_timezone (timestamp.c): a numeric zone as DecodeTimezone reads it
    ('+1:' = one hour east), else an abbreviation or zone name."""
    from tuskdb.types.context import FixedTZ
    from tuskdb.types.dtparse import DtError, decode_timezone
    if zone[:1].isdigit():
        raise PgError("22023", f'invalid input syntax for type numeric time zone: "{zone}"',
                      hint='Numeric time zones must have "-" or "+" as first character.')
    try:
        off = decode_timezone(zone)
    except DtError as e:
        if e.code == "tzdisp":
            raise PgError("22023", f'numeric time zone "{zone}" out of range') from None
        if e.code != "bad":
            raise PgError("22023", f'time zone "{zone}" not recognized') from None
        return parse_zone(zone)
    return FixedTZ(off, zone)


def make_interval(years: int = 0, months: int = 0, weeks: int = 0, days: int = 0,
                  hours: int = 0, mins: int = 0, secs: float = 0.0) -> Interval:
    if math.isnan(secs) or math.isinf(secs):
        raise interval_out_of_range()
    total_months = years * 12 + months
    total_days = weeks * 7 + days
    if not (-2**31 <= years * 12 < 2**31 and -2**31 <= total_months < 2**31
            and -2**31 <= weeks * 7 < 2**31 and -2**31 <= total_days < 2**31):
        raise interval_out_of_range()
    scaled = secs * USECS_PER_SEC
    if math.isinf(scaled):
        raise PgError("22003", "value out of range: overflow")      # float8_mul
    us = (hours * 3600 + mins * 60) * USECS_PER_SEC + int(round(scaled))
    return make_interval_checked(total_months, total_days, us)


def parse_zone(zone: str) -> Any:
    """A time zone given to timezone()/AT TIME ZONE: abbreviation, name or offset."""
    from tuskdb.types.dtparse import TZ_ABBREVS
    from tuskdb.types.context import FixedTZ
    z = zone.strip()
    off = TZ_ABBREVS.get(z.lower())
    if off is not None:
        return FixedTZ(off, z.upper())
    from tuskdb.types.tzabbrevs import DYN_ABBREVS, AbbrevZone
    dyn = DYN_ABBREVS.get(z.lower())
    if dyn is not None:         # the abbreviation's own meaning at each instant
        return AbbrevZone(z, parse_timezone(dyn))
    try:
        return parse_timezone(z)
    except PgError:
        raise PgError("22023", f'time zone "{zone}" not recognized') from None


def timestamptz_zone(zone: str, ts: int) -> int:
    """timezone(zone, timestamptz) -> timestamp: local time in that zone."""
    if ts in (DT_NOBEGIN, DT_NOEND):
        return ts
    return utc_to_local(parse_zone(zone), ts)


def timestamp_zone(zone: str, ts: int) -> int:
    """timezone(zone, timestamp) -> timestamptz: the local time interpreted in zone."""
    if ts in (DT_NOBEGIN, DT_NOEND):
        return ts
    return local_to_utc(parse_zone(zone), ts)


def check_izone(iv: Interval) -> None:
    """The interval argument of timezone(interval, ...): finite, no months or days."""
    if not iv.is_finite() or iv.months or iv.days:
        from tuskdb.types.interval import interval_out
        text = interval_out(iv, None)
        if not iv.is_finite():
            raise PgError("22023", f'interval time zone "{text}" must be finite')
        raise PgError("22023", f'interval time zone "{text}" must not include months or days')


def timestamptz_izone(iv: Interval, ts: int) -> int:
    if ts in (DT_NOBEGIN, DT_NOEND):
        return ts
    check_izone(iv)
    return ts + iv.micros


def timestamp_izone(iv: Interval, ts: int) -> int:
    if ts in (DT_NOBEGIN, DT_NOEND):
        return ts
    check_izone(iv)
    return ts - iv.micros


def float8_timestamptz(x: float) -> int:
    if x != x:
        raise PgError("22008", "timestamp cannot be NaN")
    if math.isinf(x):
        return DT_NOEND if x > 0 else DT_NOBEGIN
    ts = int(round(x * 1_000_000)) + UNIX_EPOCH_TS
    if not MIN_TIMESTAMP <= ts < END_TIMESTAMP:
        raise PgError("22008", f'timestamp out of range: "{x:g}"')
    return ts


def date_bin(stride: Interval, ts: int, origin: int) -> int:
    """timestamp_bin (timestamp.c), with its int64 overflow checks."""
    if ts in (DT_NOBEGIN, DT_NOEND):
        return ts
    if origin in (DT_NOBEGIN, DT_NOEND):
        raise PgError("22008", "origin out of range")
    if not stride.is_finite():
        raise PgError("22008", "timestamps cannot be binned into infinite intervals")
    if stride.months:
        raise PgError("0A000", "timestamps cannot be binned into intervals containing months "
                      "or years")
    st = stride.days * USECS_PER_DAY + stride.micros
    if not -(1 << 63) <= stride.days * USECS_PER_DAY < (1 << 63) or \
            not -(1 << 63) <= st < (1 << 63):
        raise PgError("22008", "interval out of range")
    if st <= 0:
        raise PgError("22008", "stride must be greater than zero")
    delta = ts - origin
    if not -(1 << 63) <= delta < (1 << 63):
        raise PgError("22008", "interval out of range")
    modulo = delta - _c_div(delta, st) * st
    result = origin + delta - modulo
    if modulo < 0:
        result -= st
        if not MIN_TIMESTAMP <= result < END_TIMESTAMP:
            raise PgError("22008", "timestamp out of range")
    return result


def now(ctx: Any) -> int:
    return ctx.transaction_now()


def statement_timestamp(ctx: Any) -> int:
    return ctx.statement_timestamp()


def clock_timestamp(ctx: Any) -> int:
    return clock_now()


def timeofday(ctx: Any) -> str:
    ts = clock_now()
    off, name = utc_offset(_tz(ctx), ts)
    local = ts + off * USECS_PER_SEC
    y, mo, d, h, mi, s, f = timestamp2fields(local)
    from tuskdb.types.dtcore import DAY_ABBR, MONTH_ABBR
    return (f"{DAY_ABBR[j2day(date2j(y, mo, d))]} {MONTH_ABBR[mo - 1]} {d:02d} "
            f"{h:02d}:{mi:02d}:{s:02d}.{f:06d} {y} {name}")


def _overlaps(s1: Any, e1: Any, s2: Any, e2: Any) -> bool | None:
    """overlaps_timestamp (timestamp.c): the SQL-spec test with its NULL rules."""
    if s1 is None:
        if e1 is None:
            return None
        s1, e1 = e1, None
    elif e1 is not None and s1 > e1:
        s1, e1 = e1, s1
    if s2 is None:
        if e2 is None:
            return None
        s2, e2 = e2, None
    elif e2 is not None and s2 > e2:
        s2, e2 = e2, s2
    if s1 > s2:
        if e2 is None:
            return None
        if s1 < e2:
            return True
        return None if e1 is None else False
    if s1 < s2:
        if e1 is None:
            return None
        if s2 < e1:
            return True
        return None if e2 is None else False
    return None if e1 is None or e2 is None else True


IMPLS: dict[str, Callable[..., Any]] = {
    "timestamp_part": timestamp_part, "time_part": time_part,
    "interval_part": interval_part,
    "extract_date": extract_date, "extract_time": lambda n, t: time_part(n, t, True),
    "extract_timestamp": lambda n, ts: timestamp_part(n, ts, True),
    "extract_interval": lambda n, iv: interval_part(n, iv, True),
    "timestamp_trunc": timestamp_trunc, "interval_trunc": interval_trunc,
    "timestamp_age": timestamp_age, "make_date": make_date, "make_time": make_time,
    "make_timestamp": make_timestamp, "make_interval": make_interval,
    "date_finite": lambda d: d not in (DATE_NOBEGIN, DATE_NOEND),
    "timestamp_finite": lambda ts: ts not in (DT_NOBEGIN, DT_NOEND),
    "interval_finite": lambda iv: iv.is_finite(),
    "timestamptz_zone": timestamptz_zone, "timestamp_zone": timestamp_zone,
    "timestamptz_izone": timestamptz_izone, "timestamp_izone": timestamp_izone,
    "float8_timestamptz": float8_timestamptz, "timestamp_bin": date_bin,
    "timestamptz_bin": date_bin, "overlaps_timestamp": _overlaps, "overlaps_time": _overlaps,
    "overlaps_timetz": _overlaps,
}

CTX_IMPLS: dict[str, Callable[..., Any]] = {
    "timestamptz_part": timestamptz_part,
    "extract_timestamptz": lambda ctx, n, ts: timestamptz_part(ctx, n, ts, True),
    "timestamptz_trunc": timestamptz_trunc, "timestamptz_trunc_zone": timestamptz_trunc,
    "timestamptz_age": timestamptz_age, "make_timestamptz": make_timestamptz,
    "make_timestamptz_at_timezone": make_timestamptz, "now": now,
    "statement_timestamp": statement_timestamp, "clock_timestamp": clock_timestamp,
    "timeofday": timeofday,
    "timestamptz_at_local": timestamptz2timestamp,
    "timestamp_at_local": timestamp2timestamptz,
    "timetz_at_local": lambda ctx, v: _timetz_at_local(ctx, v),
}


def _timetz_at_local(ctx: Any, v: Any) -> Any:
    from tuskdb.types.timetz import timetz_at_local
    return timetz_at_local(ctx, v)

def _sql_overlaps(add: Callable[..., Any], ctx_add: bool = False
                  ) -> tuple[Callable[..., Any], ...]:
    """The SQL-language overlaps() variants: (s1, s1 + i1) overlaps (s2, s2 + i2) etc.
    (the + is strict, so a NULL operand gives a NULL end point)."""
    def plus(ctx: Any, a: Any, iv: Any) -> Any:
        if a is None or iv is None:
            return None
        return add(ctx, a, iv) if ctx_add else add(a, iv)

    def ii(ctx: Any, s1: Any, i1: Any, s2: Any, i2: Any) -> bool | None:
        return _overlaps(s1, plus(ctx, s1, i1), s2, plus(ctx, s2, i2))

    def ti(ctx: Any, s1: Any, e1: Any, s2: Any, i2: Any) -> bool | None:
        return _overlaps(s1, e1, s2, plus(ctx, s2, i2))

    def it(ctx: Any, s1: Any, i1: Any, s2: Any, e2: Any) -> bool | None:
        return _overlaps(s1, plus(ctx, s1, i1), s2, e2)
    return ii, ti, it


def _plain(f: Callable[..., Any]) -> Callable[..., Any]:
    return lambda *a: f(None, *a)


def _overlap_impls() -> tuple[dict[int, Callable[..., Any]], dict[int, Callable[..., Any]]]:
    from tuskdb.types.datetime import (
        time_pl_interval, timestamp_pl_interval, timestamptz_pl_interval,
    )
    plain: dict[int, Callable[..., Any]] = {}
    ctx: dict[int, Callable[..., Any]] = {}
    for oids, fns in (((1309, 1310, 1311), _sql_overlaps(time_pl_interval)),
                      ((2042, 2043, 2044), _sql_overlaps(timestamp_pl_interval))):
        for oid, f in zip(oids, fns):
            plain[oid] = _plain(f)
    for oid, f in zip((1305, 1306, 1307), _sql_overlaps(timestamptz_pl_interval, True)):
        ctx[oid] = f
    return plain, ctx


_OV_PLAIN, _OV_CTX = _overlap_impls()

IMPLS_BY_OID: dict[int, Callable[..., Any]] = {
    1384: date_part_date,                      # date_part(text, date)
    **_OV_PLAIN,
}

CTX_IMPLS_BY_OID: dict[int, Callable[..., Any]] = {
    1386: age1_timestamptz,                    # age(timestamptz)
    2059: age1_timestamp,                      # age(timestamp)
    **_OV_CTX,
}

_unused = (is_leap, _time)


# ---------------------------------------------------------------------------
# SQL value functions (CURRENT_DATE, CURRENT_TIME(p), LOCALTIMESTAMP(p), ...): not
# pg_proc rows; the analyzer calls fn(ctx, typmod) with typmod -1 when no precision
# is written.  name -> (result type oid, fn)

def _svf(ret: int, conv: Callable[[Any, int], Any]) -> tuple[int, Callable[..., Any]]:
    def fn(ctx: Any, typmod: int = -1) -> Any:
        from tuskdb.types.registry import TYPES
        v = conv(ctx, ctx.transaction_now())
        return TYPES[ret].coerce_typmod(v, typmod, True) if typmod >= 0 else v
    return ret, fn


def _sql_value_functions() -> dict[str, tuple[int, Callable[..., Any]]]:
    from tuskdb.types.datetime import timestamptz2date, timestamptz2time, timestamptz2timestamp
    from tuskdb.types.timetz import timestamptz_timetz
    return {
        "current_date": _svf(1082, timestamptz2date),
        "current_time": _svf(1266, timestamptz_timetz),
        "current_timestamp": _svf(1184, lambda ctx, ts: ts),
        "localtime": _svf(1083, timestamptz2time),
        "localtimestamp": _svf(1114, timestamptz2timestamp),
    }


SQL_VALUE_FUNCTIONS = _sql_value_functions()
