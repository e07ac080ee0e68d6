"""date, time, timestamp and timestamptz: text/binary I/O, typmods, comparison and
arithmetic (PostgreSQL's date.c and timestamp.c).

Representations (see README.md): date = int days since 2000-01-01;
time = int µs since midnight; timestamp = int µs since 2000-01-01 00:00 (local,
no zone); timestamptz = int µs since 2000-01-01 00:00 UTC.  ±infinity are the
integer extremes DATE_NOBEGIN/DATE_NOEND and DT_NOBEGIN/DT_NOEND, so plain
integer comparison is the SQL order.
"""

from __future__ import annotations

import re
import struct
from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types.common import bad_binary
from tuskdb.types.dtcore import (
    DATE_NOBEGIN, DATE_NOEND, DAY_ABBR, DT_NOBEGIN, DT_NOEND, END_DATE, END_TIMESTAMP,
    MIN_DATE, MIN_TIMESTAMP, MONTH_ABBR, POSTGRES_EPOCH_JDATE, UNIX_EPOCH_JDATE,
    USECS_PER_DAY, USECS_PER_SEC, date2j, days_in_month, fields2timestamp, format_offset,
    is_valid_julian, j2date, j2day, local_to_utc, timestamp2fields, ts_out_of_range,
    utc_offset, utc_to_local,
)
from tuskdb.types.dtparse import DtError, decode_datetime, raise_dterr
from tuskdb.types.interval import Interval, make_interval_checked

_S4 = struct.Struct("!i")
_fromordinal = __import__("datetime").date.fromordinal
_S8 = struct.Struct("!q")
UNIX_EPOCH_TS = (UNIX_EPOCH_JDATE - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY


def _now(ctx: Any) -> int:
    from tuskdb.types.context import DEFAULT_CONTEXT
    return (ctx or DEFAULT_CONTEXT).transaction_now()


def _tz(ctx: Any) -> Any:
    if ctx is not None:
        return ctx.tz
    from tuskdb.types.context import DEFAULT_CONTEXT
    return DEFAULT_CONTEXT.tz


def _order(ctx: Any) -> str:
    return "MDY" if ctx is None else ctx.date_order


# ---------------------------------------------------------------------------
# parsing helpers

def _parse(text: str, typname: str, ctx: Any, time_only: bool = False) -> Any:
    try:
        return decode_datetime(text, _order(ctx), time_only, _tz(ctx))
    except DtError as e:
        code = e.code
        tzname = ""
        if code.startswith("bad_tz:"):
            tzname = code[7:]
            code = "bad_tz"
        raise_dterr(code, text, typname, tzname)


# Fast path for the common ISO 8601 spelling; anything else goes through dtparse.
_ISO_RE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,6}))?)?)?"
                     r"(?:([+-])(\d\d)(?::?(\d\d))?)?")


def _iso_fast(text: str) -> tuple[int, int | None] | None:
    """(local timestamp µs, tz offset seconds east | None) or None if not plain ISO."""
    m = _ISO_RE.fullmatch(text)
    if m is None:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if y == 0 or not 1 <= mo <= 12 or not 1 <= d <= days_in_month(y, mo):
        return None
    h = int(m.group(4) or 0)
    mi = int(m.group(5) or 0)
    s = int(m.group(6) or 0)
    if h > 23 or mi > 59 or s > 59:
        return None
    frac = m.group(7)
    us = int(frac.ljust(6, "0")) if frac else 0
    local = fields2timestamp(y, mo, d, h, mi, s, us)
    if m.group(8):
        tzh = int(m.group(9))
        tzm = int(m.group(10) or 0)
        if tzh > 15 or tzm > 59:
            return None
        off = (tzh * 60 + tzm) * 60
        return local, (-off if m.group(8) == "-" else off)
    return local, None


def _local_today(ctx: Any) -> int:
    """Today's date (days) in the session time zone."""
    return utc_to_local(_tz(ctx), _now(ctx)) // USECS_PER_DAY


# ---------------------------------------------------------------------------
# date

def date_in(text: str, typmod: int = -1, ctx: Any = None) -> int:
    if len(text) == 10:
        fast = _iso_fast(text)
        if fast is not None:
            return fast[0] // USECS_PER_DAY
    r = _parse(text, "date", ctx)
    sp = r.special
    if sp is not None:
        if sp == "late":
            return DATE_NOEND
        if sp == "early":
            return DATE_NOBEGIN
        if sp == "epoch":
            return UNIX_EPOCH_JDATE - POSTGRES_EPOCH_JDATE
        today = _local_today(ctx)
        return today + {"now": 0, "today": 0, "tomorrow": 1, "yesterday": -1}[sp]
    tm = r.tm
    if not is_valid_julian(tm.year, tm.mon, tm.mday):
        raise PgError("22008", f'date out of range: "{text}"')
    d = date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE
    if not MIN_DATE <= d < END_DATE:
        raise PgError("22008", f'date out of range: "{text}"')
    return d


def _year_str(y: int) -> str:
    return f"{y if y > 0 else -(y - 1):04d}"


def encode_date(y: int, m: int, d: int, ctx: Any) -> str:
    style = "ISO" if ctx is None else ctx.date_style
    ys = _year_str(y)
    if style == "ISO":
        s = f"{ys}-{m:02d}-{d:02d}"
    elif style == "SQL":
        s = f"{d:02d}/{m:02d}/{ys}" if ctx.date_order == "DMY" else f"{m:02d}/{d:02d}/{ys}"
    elif style == "German":
        s = f"{d:02d}.{m:02d}.{ys}"
    else:
        s = f"{d:02d}-{m:02d}-{ys}" if ctx.date_order == "DMY" else f"{m:02d}-{d:02d}-{ys}"
    return s + " BC" if y <= 0 else s


def date_out(d: int, ctx: Any = None) -> str:
    if d == DATE_NOEND:
        return "infinity"
    if d == DATE_NOBEGIN:
        return "-infinity"
    if -730119 <= d <= 2921938 and (ctx is None or ctx.date_style == "ISO"):
        return _fromordinal(d + 730120).isoformat()    # years 1..9999: C speed
    y, m, dd = j2date(d + POSTGRES_EPOCH_JDATE)
    if ctx is None or ctx.date_style == "ISO":
        s = f"{y if y > 0 else -(y - 1):04d}-{m:02d}-{dd:02d}"
        return s + " BC" if y <= 0 else s
    return encode_date(y, m, dd, ctx)


def date_send(d: int, ctx: Any = None) -> bytes:
    return _S4.pack(d)


def date_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> int:
    if len(data) != 4:
        raise bad_binary()
    d = _S4.unpack(data)[0]
    if d in (DATE_NOBEGIN, DATE_NOEND):
        return d
    if not MIN_DATE <= d < END_DATE:
        raise PgError("22008", "date out of range")
    return d


# ---------------------------------------------------------------------------
# time

def _frac(f: int) -> str:
    return "." + f"{f:06d}".rstrip("0") if f else ""


def time_in(text: str, typmod: int = -1, ctx: Any = None) -> int:
    r = _parse(text, "time", ctx, time_only=True)
    if r.special is not None:
        if r.special == "now":
            t = utc_to_local(_tz(ctx), _now(ctx)) % USECS_PER_DAY
        elif r.special in ("late", "early"):
            raise_dterr("bad", text, "time")
            raise AssertionError
        else:
            t = 0
    else:
        tm = r.tm
        t = ((tm.hour * 60 + tm.min) * 60 + tm.sec) * USECS_PER_SEC + tm.fsec
    if typmod >= 0:
        t = time_coerce(t, typmod)
    return t


def time_out(t: int, ctx: Any = None) -> str:
    s, f = divmod(t, USECS_PER_SEC)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d}" + (_frac(f) if f else "")


def time_send(t: int, ctx: Any = None) -> bytes:
    return _S8.pack(t)


def time_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> int:
    if len(data) != 8:
        raise bad_binary()
    t = _S8.unpack(data)[0]
    if not 0 <= t <= USECS_PER_DAY:
        raise PgError("22008", "time out of range")
    return time_coerce(t, typmod) if typmod >= 0 else t


def _prec_typmod_in(what: str) -> Callable[[list[int | str]], int]:
    def f(mods: list[int | str]) -> int:
        if len(mods) != 1:
            raise PgError("22023", "invalid type modifier")
        p = int(mods[0])
        if p < 0:
            raise PgError("22023", f"{what.replace('%', str(p))} precision must not be negative")
        return min(p, 6)  # PostgreSQL warns "precision reduced to maximum allowed, 6"
    return f


time_typmod_in = _prec_typmod_in("TIME(%)")
timestamp_typmod_in = _prec_typmod_in("TIMESTAMP(%)")
timestamptz_typmod_in = _prec_typmod_in("TIMESTAMP(%) WITH TIME ZONE")


def _round_prec(v: int, p: int) -> int:
    if p >= 6 or p < 0:
        return v
    scale = 10 ** (6 - p)
    off = scale // 2
    if v >= 0:
        return ((v + off) // scale) * scale
    return -(((-v + off) // scale) * scale)


def time_coerce(t: int, typmod: int, explicit: bool = False) -> int:
    return _round_prec(t, typmod) if 0 <= typmod < 6 else t


def timestamp_coerce(ts: int, typmod: int, explicit: bool = False) -> int:
    if typmod < 0 or typmod >= 6 or ts in (DT_NOBEGIN, DT_NOEND):
        return ts
    r = _round_prec(ts, typmod)
    if not MIN_TIMESTAMP <= r < END_TIMESTAMP:
        raise ts_out_of_range()
    return r


def time_format_type(typmod: int) -> str:
    return f"time({typmod}) without time zone" if typmod >= 0 else "time without time zone"


def timestamp_format_type(typmod: int) -> str:
    return (f"timestamp({typmod}) without time zone" if typmod >= 0
            else "timestamp without time zone")


def timestamptz_format_type(typmod: int) -> str:
    return (f"timestamp({typmod}) with time zone" if typmod >= 0
            else "timestamp with time zone")


# ---------------------------------------------------------------------------
# timestamp / timestamptz

def _fields_to_ts(tm: Any, text: str, check: bool = True) -> int:
    # IS_VALID_JULIAN as timestamp.h: months only at both ends; the final range
    # check (after the zone for timestamptz) catches the rest
    y, m = tm.year, tm.mon
    if not ((y > -4713 or (y == -4713 and m >= 11)) and (y < 5874898 or (y == 5874898
                                                                          and m < 6))):
        raise PgError("22008", f'timestamp out of range: "{text}"')
    ts = fields2timestamp(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec, tm.fsec)
    if check and not MIN_TIMESTAMP <= ts < END_TIMESTAMP:
        raise PgError("22008", f'timestamp out of range: "{text}"')
    return ts


def timestamp_in(text: str, typmod: int = -1, ctx: Any = None) -> int:
    fast = _iso_fast(text)
    if fast is not None:
        return timestamp_coerce(fast[0], typmod) if typmod >= 0 else fast[0]
    r = _parse(text, "timestamp", ctx)
    sp = r.special
    if sp is not None:
        if sp == "late":
            return DT_NOEND
        if sp == "early":
            return DT_NOBEGIN
        if sp == "epoch":
            return UNIX_EPOCH_TS
        if sp == "now":
            ts = utc_to_local(_tz(ctx), _now(ctx))
        else:
            ts = (_local_today(ctx) + {"today": 0, "tomorrow": 1, "yesterday": -1}[sp]) \
                * USECS_PER_DAY
    else:
        ts = _fields_to_ts(r.tm, text)
    return timestamp_coerce(ts, typmod) if typmod >= 0 else ts


def _dyn_abbrev_utc(dyn: tuple[str, Any], local: int) -> int:
    """DetermineTimeZoneAbbrevOffset: the abbreviation's meaning in its zone at
    the probe time, else the zone's own offset."""
    from tuskdb.types.tzabbrevs import interpret_abbrev
    abbr, zone = dyn
    probe = local_to_utc(zone, local)
    r = interpret_abbrev(abbr, (probe - UNIX_EPOCH_TS) // USECS_PER_SEC, zone)
    if r is None:
        return probe
    return local - r[0] * USECS_PER_SEC


def timestamptz_in(text: str, typmod: int = -1, ctx: Any = None) -> int:
    fast = _iso_fast(text)
    if fast is not None:
        local, off = fast
        ts = local - off * USECS_PER_SEC if off is not None else local_to_utc(_tz(ctx), local)
        if MIN_TIMESTAMP <= ts < END_TIMESTAMP:
            return timestamp_coerce(ts, typmod) if typmod >= 0 else ts
    r = _parse(text, "timestamp with time zone", ctx)
    sp = r.special
    if sp is not None:
        if sp == "late":
            return DT_NOEND
        if sp == "early":
            return DT_NOBEGIN
        if sp == "epoch":
            return UNIX_EPOCH_TS
        if sp == "now":
            ts = _now(ctx)
        else:
            # midnight of that day (in the session's zone), read in the zone given
            local = (_local_today(ctx) + {"today": 0, "tomorrow": 1, "yesterday": -1}[sp]) \
                * USECS_PER_DAY
            tm = r.tm
            if tm.dyn_abbr is not None:
                ts = _dyn_abbrev_utc(tm.dyn_abbr, local)
            elif tm.tz is not None:
                ts = local - tm.tz * USECS_PER_SEC
            elif tm.named_tz is not None:
                ts = local_to_utc(tm.named_tz, local)
            else:
                ts = local_to_utc(_tz(ctx), local)
    else:
        tm = r.tm
        local = _fields_to_ts(tm, text, check=False)
        if tm.dyn_abbr is not None:
            ts = _dyn_abbrev_utc(tm.dyn_abbr, local)
        elif tm.tz is not None:
            ts = local - tm.tz * USECS_PER_SEC
        elif tm.named_tz is not None:
            ts = local_to_utc(tm.named_tz, local)
        else:
            ts = local_to_utc(_tz(ctx), local)
        if not MIN_TIMESTAMP <= ts < END_TIMESTAMP:
            raise PgError("22008", f'timestamp out of range: "{text}"')
    return timestamp_coerce(ts, typmod) if typmod >= 0 else ts


def encode_datetime(ts: int, ctx: Any, off: int | None, tzname: str) -> str:
    """EncodeDateTime for a local timestamp; off/tzname given for timestamptz."""
    y, mo, d, h, mi, s, f = timestamp2fields(ts)
    style = "ISO" if ctx is None else ctx.date_style
    secs = f"{s:02d}" + (_frac(f) if f else "")
    if style == "ISO":
        out = f"{_year_str(y)}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{secs}"
        if off is not None:
            out += format_offset(off)
    elif style == "Postgres":
        wd = DAY_ABBR[j2day(date2j(y, mo, d))]
        if ctx.date_order == "DMY":
            out = f"{wd} {d:02d} {MONTH_ABBR[mo - 1]}"
        else:
            out = f"{wd} {MONTH_ABBR[mo - 1]} {d:02d}"
        out += f" {h:02d}:{mi:02d}:{secs} {_year_str(y)}"
        if off is not None:
            out += " " + tzname
    else:
        if style == "SQL":
            date = (f"{d:02d}/{mo:02d}" if ctx.date_order == "DMY" else f"{mo:02d}/{d:02d}") \
                + f"/{_year_str(y)}"
        else:
            date = f"{d:02d}.{mo:02d}.{_year_str(y)}"
        out = f"{date} {h:02d}:{mi:02d}:{secs}"
        if off is not None:
            out += " " + tzname
    return out + " BC" if y <= 0 else out


def timestamp_out(ts: int, ctx: Any = None) -> str:
    if ts == DT_NOEND:
        return "infinity"
    if ts == DT_NOBEGIN:
        return "-infinity"
    return encode_datetime(ts, ctx, None, "")


def timestamptz_out(ts: int, ctx: Any = None) -> str:
    if ts == DT_NOEND:
        return "infinity"
    if ts == DT_NOBEGIN:
        return "-infinity"
    off, name = utc_offset(_tz(ctx), ts)
    if not name or name[0] in "+-" and ctx is not None and ctx.date_style != "ISO":
        name = name if name else ""
    return encode_datetime(ts + off * USECS_PER_SEC, ctx, off, name)


def timestamp_send(ts: int, ctx: Any = None) -> bytes:
    return _S8.pack(ts)


def timestamp_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> int:
    if len(data) != 8:
        raise bad_binary()
    ts = _S8.unpack(data)[0]
    if ts not in (DT_NOBEGIN, DT_NOEND) and not MIN_TIMESTAMP <= ts < END_TIMESTAMP:
        raise ts_out_of_range()
    return timestamp_coerce(ts, typmod) if typmod >= 0 else ts


# ---------------------------------------------------------------------------
# conversions

def date2timestamp(d: int) -> int:
    if d == DATE_NOBEGIN:
        return DT_NOBEGIN
    if d == DATE_NOEND:
        return DT_NOEND
    if d >= (END_TIMESTAMP // USECS_PER_DAY):
        raise PgError("22008", "date out of range for timestamp")
    return d * USECS_PER_DAY


def date2timestamptz(ctx: Any, d: int) -> int:
    if d == DATE_NOBEGIN:
        return DT_NOBEGIN
    if d == DATE_NOEND:
        return DT_NOEND
    if d >= (END_TIMESTAMP // USECS_PER_DAY):
        raise PgError("22008", "date out of range for timestamp")
    ts = local_to_utc(_tz(ctx), d * USECS_PER_DAY)
    if not MIN_TIMESTAMP <= ts < END_TIMESTAMP:
        raise PgError("22008", "date out of range for timestamp")
    return ts


def timestamp2date(ts: int) -> int:
    if ts == DT_NOBEGIN:
        return DATE_NOBEGIN
    if ts == DT_NOEND:
        return DATE_NOEND
    return ts // USECS_PER_DAY


def timestamptz2date(ctx: Any, ts: int) -> int:
    if ts in (DT_NOBEGIN, DT_NOEND):
        return timestamp2date(ts)
    return utc_to_local(_tz(ctx), ts) // USECS_PER_DAY


def timestamp2timestamptz(ctx: Any, ts: int) -> int:
    if ts in (DT_NOBEGIN, DT_NOEND):
        return ts
    r = local_to_utc(_tz(ctx), ts)
    if not MIN_TIMESTAMP <= r < END_TIMESTAMP:
        raise ts_out_of_range()
    return r


def timestamptz2timestamp(ctx: Any, ts: int) -> int:
    if ts in (DT_NOBEGIN, DT_NOEND):
        return ts
    r = utc_to_local(_tz(ctx), ts)
    if not MIN_TIMESTAMP <= r < END_TIMESTAMP:
        raise ts_out_of_range()
    return r


def timestamp2time(ts: int) -> int:
    if ts in (DT_NOBEGIN, DT_NOEND):
        raise ts_out_of_range()
    return ts % USECS_PER_DAY


def timestamptz2time(ctx: Any, ts: int) -> int:
    if ts in (DT_NOBEGIN, DT_NOEND):
        raise ts_out_of_range()
    return utc_to_local(_tz(ctx), ts) % USECS_PER_DAY


def interval2time(iv: Interval) -> int:
    if not iv.is_finite():
        raise PgError("22008", "cannot convert infinite interval to time")
    t = iv.micros % USECS_PER_DAY
    return t


# ---------------------------------------------------------------------------
# arithmetic

def _check_ts(ts: int) -> int:
    if MIN_TIMESTAMP <= ts < END_TIMESTAMP:
        return ts
    raise ts_out_of_range()


def _add_months(y: int, mo: int, d: int, months: int) -> tuple[int, int, int]:
    mo += months
    if mo > 12:
        y += (mo - 1) // 12
        mo = (mo - 1) % 12 + 1
    elif mo < 1:
        y += -((-mo) // 12) - 1 if mo % 12 else mo // 12 - 1
        mo = mo % 12 + 12 if mo % 12 else 12
        # C semantics: tm_year += tm_mon / 12 - 1; tm_mon = tm_mon % 12 + 12
    dim = days_in_month(y, mo)
    return y, mo, min(d, dim)


def _add_months_c(y: int, mo: int, months: int) -> tuple[int, int]:
    """Exactly timestamp_pl_interval's month normalisation (C division)."""
    mo += months
    if mo > 12:
        y += (mo - 1) // 12
        mo = (mo - 1) % 12 + 1
    elif mo < 1:
        q = -((-mo) // 12)  # C truncation of mo / 12 for mo <= 0
        r = mo - q * 12     # C remainder (<= 0)
        y += q - 1
        mo = r + 12
    return y, mo


def _ts_add_local(local: int, iv: Interval) -> int:
    """Add months and days of iv to a local timestamp (field arithmetic)."""
    if iv.months:
        y, mo, d, h, mi, s, f = timestamp2fields(local)
        y, mo = _add_months_c(y, mo, iv.months)
        d = min(d, days_in_month(y, mo))
        if not is_valid_julian(y, mo, d):
            raise ts_out_of_range()
        local = fields2timestamp(y, mo, d, h, mi, s, f)
    if iv.days:
        local += iv.days * USECS_PER_DAY
    return local


def timestamp_pl_interval(ts: int, iv: Interval) -> int:
    if ts in (DT_NOBEGIN, DT_NOEND):
        if not iv.is_finite() and (iv.months > 0) != (ts > 0):
            raise ts_out_of_range()
        return ts
    if not iv.is_finite():
        return DT_NOEND if iv.months > 0 else DT_NOBEGIN
    _check_ts(ts)
    r = _ts_add_local(ts, iv) if (iv.months or iv.days) else ts
    return _check_ts(_check_ts(r) + iv.micros)


def timestamp_mi_interval(ts: int, iv: Interval) -> int:
    from tuskdb.types.interval import interval_um
    return timestamp_pl_interval(ts, interval_um(iv))


def timestamptz_pl_interval(ctx: Any, ts: int, iv: Interval) -> int:
    if ts in (DT_NOBEGIN, DT_NOEND):
        if not iv.is_finite() and (iv.months > 0) != (ts > 0):
            raise ts_out_of_range()
        return ts
    if not iv.is_finite():
        return DT_NOEND if iv.months > 0 else DT_NOBEGIN
    tz = _tz(ctx)
    if iv.months:
        local = utc_to_local(tz, ts)
        local = _ts_add_local(local, Interval(iv.months, 0, 0))
        ts = local_to_utc(tz, _check_ts(local))
    if iv.days:
        local = utc_to_local(tz, ts) + iv.days * USECS_PER_DAY
        ts = local_to_utc(tz, _check_ts(local))
    return _check_ts(ts + iv.micros)


def timestamptz_mi_interval(ctx: Any, ts: int, iv: Interval) -> int:
    from tuskdb.types.interval import interval_um
    return timestamptz_pl_interval(ctx, ts, interval_um(iv))


def timestamp_mi(a: int, b: int) -> Interval:
    """timestamp - timestamp: µs difference, justified into days (justify_hours)."""
    from tuskdb.types.interval import INTERVAL_NOBEGIN, INTERVAL_NOEND, justify_hours
    ai, bi = a in (DT_NOBEGIN, DT_NOEND), b in (DT_NOBEGIN, DT_NOEND)
    if ai or bi:
        if ai and bi and a == b:
            raise PgError("22008", "interval out of range")
        if ai:
            return INTERVAL_NOEND if a == DT_NOEND else INTERVAL_NOBEGIN
        return INTERVAL_NOBEGIN if b == DT_NOEND else INTERVAL_NOEND
    return justify_hours(make_interval_checked(0, 0, a - b))


def date_pli(d: int, n: int) -> int:
    if d in (DATE_NOBEGIN, DATE_NOEND):
        return d
    r = d + n
    if not MIN_DATE <= r < END_DATE:
        raise PgError("22008", "date out of range")
    return r


def date_mii(d: int, n: int) -> int:
    return date_pli(d, -n)


def date_mi(a: int, b: int) -> int:
    if a in (DATE_NOBEGIN, DATE_NOEND) or b in (DATE_NOBEGIN, DATE_NOEND):
        raise PgError("22008", "cannot subtract infinite dates")
    return a - b


def time_pl_interval(t: int, iv: Interval) -> int:
    if not iv.is_finite():
        raise PgError("22008", "cannot add infinite interval to time")
    return (t + iv.micros) % USECS_PER_DAY


def time_mi_interval(t: int, iv: Interval) -> int:
    if not iv.is_finite():
        raise PgError("22008", "cannot subtract infinite interval from time")
    return (t - iv.micros) % USECS_PER_DAY


def datetime_timestamp(d: int, t: int) -> int:
    ts = date2timestamp(d)
    if ts in (DT_NOBEGIN, DT_NOEND):
        return ts
    return _check_ts(ts + t)


def _cmp_impls() -> dict[str, Callable[..., Any]]:
    import operator
    d: dict[str, Callable[..., Any]] = {}
    ops = (("eq", operator.eq), ("ne", operator.ne), ("lt", operator.lt), ("le", operator.le),
           ("gt", operator.gt), ("ge", operator.ge))
    for suffix, fn in ops:
        d["date_" + suffix] = fn
        d["time_" + suffix] = fn
        d["timestamp_" + suffix] = fn
        d["timestamptz_" + suffix] = fn

        def dts(a: int, b: int, fn: Any = fn) -> bool:
            return fn(_date_ts_key(a), b)

        def tsd(a: int, b: int, fn: Any = fn) -> bool:
            return fn(a, _date_ts_key(b))
        d[f"date_{suffix}_timestamp"] = dts
        d[f"timestamp_{suffix}_date"] = tsd
    return d


# Cross-type comparisons never fail (date_cmp_timestamp_internal & co.): a value
# that overflows the other type's range sorts after every finite value but before
# infinity (or mirrored at the low end).
def _overflow_key(v: int) -> int:
    return DT_NOEND - 1 if v > 0 else DT_NOBEGIN + 1


def _date_ts_key(d: int) -> int:
    try:
        return date2timestamp(d)
    except PgError:
        return _overflow_key(d)


def _date_tstz_key(ctx: Any, d: int) -> int:
    try:
        return date2timestamptz(ctx, d)
    except PgError:
        return _overflow_key(d)


def _ts_tstz_key(ctx: Any, ts: int) -> int:
    try:
        return timestamp2timestamptz(ctx, ts)
    except PgError:
        return _overflow_key(ts)


def _ctx_cmp_impls() -> dict[str, Callable[..., Any]]:
    import operator
    d: dict[str, Callable[..., Any]] = {}
    ops = (("eq", operator.eq), ("ne", operator.ne), ("lt", operator.lt), ("le", operator.le),
           ("gt", operator.gt), ("ge", operator.ge))
    for suffix, fn in ops:
        def a1(ctx: Any, a: int, b: int, fn: Any = fn) -> bool:
            return fn(_date_tstz_key(ctx, a), b)

        def a2(ctx: Any, a: int, b: int, fn: Any = fn) -> bool:
            return fn(a, _date_tstz_key(ctx, b))

        def a3(ctx: Any, a: int, b: int, fn: Any = fn) -> bool:
            return fn(_ts_tstz_key(ctx, a), b)

        def a4(ctx: Any, a: int, b: int, fn: Any = fn) -> bool:
            return fn(a, _ts_tstz_key(ctx, b))
        d[f"date_{suffix}_timestamptz"] = a1
        d[f"timestamptz_{suffix}_date"] = a2
        d[f"timestamp_{suffix}_timestamptz"] = a3
        d[f"timestamptz_{suffix}_timestamp"] = a4
    return d


IMPLS: dict[str, Callable[..., Any]] = {
    **_cmp_impls(),
    "date_pli": date_pli, "date_mii": date_mii, "date_mi": date_mi,
    "date_pl_interval": lambda d, iv: timestamp_pl_interval(date2timestamp(d), iv),
    "date_mi_interval": lambda d, iv: timestamp_mi_interval(date2timestamp(d), iv),
    "timestamp_pl_interval": timestamp_pl_interval,
    "timestamp_mi_interval": timestamp_mi_interval, "timestamp_mi": timestamp_mi,
    "time_pl_interval": time_pl_interval, "time_mi_interval": time_mi_interval,
    "time_mi_time": lambda a, b: Interval(0, 0, a - b), "datetime_timestamp":
    datetime_timestamp, "date_timestamp": date2timestamp, "timestamp_date": timestamp2date,
    "timestamp_time": timestamp2time, "time_interval": lambda t: Interval(0, 0, t),
    "interval_time": interval2time, "date_larger": max, "date_smaller": min,
    "time_larger": max, "time_smaller": min, "timestamp_larger": max,
    "timestamp_smaller": min, "timestamptz_larger": max, "timestamptz_smaller": min,
}

# needs_ctx implementations: called as fn(ctx, *args)
CTX_IMPLS: dict[str, Callable[..., Any]] = {
    **_ctx_cmp_impls(),
    "timestamptz_pl_interval": timestamptz_pl_interval,
    "timestamptz_mi_interval": timestamptz_mi_interval,
    "date_timestamptz": date2timestamptz, "timestamptz_date": timestamptz2date,
    "timestamp_timestamptz": timestamp2timestamptz,
    "timestamptz_timestamp": timestamptz2timestamp, "timestamptz_time": timestamptz2time,
}

# SQL-language built-ins (no C symbol), by pg_proc OID
IMPLS_BY_OID: dict[int, Callable[..., Any]] = {
    1296: lambda t, d: datetime_timestamp(d, t),                        # timedate_pl
    1848: lambda iv, t: time_pl_interval(t, iv),                        # interval_pl_time
    2546: lambda iv, d: timestamp_pl_interval(date2timestamp(d), iv),   # interval_pl_date
    2548: lambda iv, ts: timestamp_pl_interval(ts, iv),                 # interval_pl_timestamp
    2550: lambda n, d: date_pli(d, n),                                  # integer_pl_date
}

CTX_IMPLS_BY_OID: dict[int, Callable[..., Any]] = {
    2549: lambda ctx, iv, ts: timestamptz_pl_interval(ctx, ts, iv),     # interval_pl_timestamptz
    1176: lambda ctx, d, t: timestamp2timestamptz(ctx, datetime_timestamp(d, t)),
}
