"""Calendar arithmetic shared by the date/time types (PostgreSQL's datetime.c core).

Dates are Julian-day based like PostgreSQL (``date2j``/``j2date``), so the
proleptic Gregorian calendar covers 4714-11-24 BC .. 5874897 AD.  Internal
values count from PostgreSQL's epoch 2000-01-01 (POSTGRES_EPOCH_JDATE).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from tuskdb.errors import PgError

_date_fromordinal = _dt.date.fromordinal

POSTGRES_EPOCH_JDATE = 2451545
UNIX_EPOCH_JDATE = 2440588
USECS_PER_SEC = 1_000_000
USECS_PER_MINUTE = 60_000_000
USECS_PER_HOUR = 3_600_000_000
USECS_PER_DAY = 86_400_000_000
SECS_PER_DAY = 86400
DAYS_PER_MONTH = 30
MONTHS_PER_YEAR = 12

DATE_NOBEGIN = -(1 << 31)
DATE_NOEND = (1 << 31) - 1
DT_NOBEGIN = -(1 << 63)
DT_NOEND = (1 << 63) - 1

# Valid ranges (PostgreSQL's IS_VALID_JULIAN / IS_VALID_DATE / IS_VALID_TIMESTAMP)
JULIAN_MINYEAR, JULIAN_MINMONTH, JULIAN_MINDAY = -4713, 11, 24
DATETIME_MIN_JULIAN = 0
DATE_END_JULIAN = 2147483494
TIMESTAMP_END_JULIAN = 109203528
MIN_TIMESTAMP = -211813488000000000
END_TIMESTAMP = 9223371331200000000
MIN_DATE = DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE
END_DATE = DATE_END_JULIAN - POSTGRES_EPOCH_JDATE

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
MONTH_ABBR = tuple(m[:3] for m in MONTH_NAMES)
DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
DAY_ABBR = tuple(d[:3] for d in DAY_NAMES)
DAYS_IN_MONTH = ((31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31),
                 (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31))


def is_leap(y: int) -> bool:
    # y is astronomical (year 0 = 1 BC)
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in_month(y: int, m: int) -> int:
    return DAYS_IN_MONTH[is_leap(y)][m - 1]


def date2j(y: int, m: int, d: int) -> int:
    if m > 2:
        m += 1
        y += 4800
    else:
        m += 13
        y += 4799
    century = y // 100
    julian = y * 365 - 32167
    julian += y // 4 - century + century // 4
    julian += 7834 * m // 256 + d
    return julian


def j2date(jd: int) -> tuple[int, int, int]:
    julian = jd + 32044
    quad = julian // 146097
    extra = (julian - quad * 146097) * 4 + 3
    julian += 60 + quad * 3 + extra // 146097
    quad = julian // 1461
    julian -= quad * 1461
    y = julian * 4 // 1461
    julian = ((julian + 305) % 365 if y != 0 else (julian + 306) % 366) + 123
    y += quad * 4
    year = y - 4800
    quad = julian * 2141 // 65536
    day = julian - 7834 * quad // 256
    month = (quad + 10) % 12 + 1
    return year, month, day


def j2day(jd: int) -> int:
    """Day of week, 0 = Sunday."""
    return (jd + 1) % 7


def is_valid_julian(y: int, m: int, d: int) -> bool:
    if y > JULIAN_MINYEAR or (y == JULIAN_MINYEAR and (m > JULIAN_MINMONTH or (
            m == JULIAN_MINMONTH and d >= JULIAN_MINDAY))):
        return y < 5874898 or (y == 5874898 and m < 6) or (y == 5874898 and m == 6 and d < 3)
    return False


def date_to_ymd(days: int) -> tuple[int, int, int]:
    return j2date(days + POSTGRES_EPOCH_JDATE)


def ymd_to_date(y: int, m: int, d: int) -> int:
    return date2j(y, m, d) - POSTGRES_EPOCH_JDATE


def split_time(us: int) -> tuple[int, int, int, int]:
    """µs within a day -> (hour, minute, second, fraction µs)."""
    s, f = divmod(us, USECS_PER_SEC)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return h, m, s, f


_ORDINAL_2000 = 730120  # date(2000, 1, 1).toordinal()


def timestamp2fields(ts: int) -> tuple[int, int, int, int, int, int, int]:
    """timestamp µs -> (year, month, day, hour, minute, second, µs); year astronomical."""
    days, us = divmod(ts, USECS_PER_DAY)
    if -730119 <= days <= 2921938:  # years 1..9999: the C implementation is faster
        dd = _date_fromordinal(days + _ORDINAL_2000)
        y, mo, d = dd.year, dd.month, dd.day
    else:
        y, mo, d = j2date(days + POSTGRES_EPOCH_JDATE)
    h, mi, s, f = split_time(us)
    return y, mo, d, h, mi, s, f


def fields2timestamp(y: int, mo: int, d: int, h: int, mi: int, s: int, f: int) -> int:
    return ((date2j(y, mo, d) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY
            + ((h * 60 + mi) * 60 + s) * USECS_PER_SEC + f)


def ts_out_of_range() -> PgError:
    return PgError("22008", "timestamp out of range")


def date_out_of_range() -> PgError:
    return PgError("22008", "date out of range")


def check_timestamp(ts: int) -> int:
    if MIN_TIMESTAMP <= ts < END_TIMESTAMP:
        return ts
    raise ts_out_of_range()


# ---------------------------------------------------------------------------
# time zones

_UTC = _dt.timezone.utc
_EPOCH2000 = _dt.datetime(2000, 1, 1, tzinfo=_UTC)
_MIN_DT = _dt.datetime(1, 1, 2, tzinfo=_UTC)
_MAX_DT = _dt.datetime(9999, 12, 30, tzinfo=_UTC)


_CYCLE_US = 146097 * 86400 * 1_000_000      # 400 Gregorian years: calendars repeat
_LATE_US = 7900 * 365 * 86400 * 1_000_000     # around 9900: datetime's range ends at 9999
_EARLY_US = -1800 * 365 * 86400 * 1_000_000   # around year 200: it starts at year 1


def utc_offset(tz: Any, ts: int) -> tuple[int, str]:
    """Offset (seconds east of UTC) and abbreviation of zone tz at UTC instant ts."""
    off = getattr(tz, "offset_s", None)
    if off is not None:
        return off, tz.name
    if ts > _LATE_US:   # beyond datetime's range: the zone's rule repeats every 400 years
        ts -= ((ts - _LATE_US) // _CYCLE_US + 1) * _CYCLE_US
    elif ts < _EARLY_US:
        ts += ((_EARLY_US - ts) // _CYCLE_US + 1) * _CYCLE_US
    try:
        dt = _EPOCH2000 + _dt.timedelta(microseconds=ts)
    except OverflowError:
        dt = _MIN_DT if ts < 0 else _MAX_DT
    if dt < _MIN_DT:
        dt = _MIN_DT
    elif dt > _MAX_DT:
        dt = _MAX_DT
    local = dt.astimezone(tz)
    # the offset fromutc applied (a zone abbreviation's utcoffset() re-derived from the
    # local reading can pick the other side of a transition)
    delta = local.replace(tzinfo=None) - dt.replace(tzinfo=None)
    return int(delta.total_seconds()), local.tzname() or ""


def local_offset(tz: Any, local_ts: int) -> int:
    """Offset (seconds east) to apply to a local timestamp to get UTC (PostgreSQL's
    DetermineTimeZoneOffset: in a spring-forward gap the 'before' offset is used, in a
    fall-back overlap the 'after' one; both are the smaller of the two offsets)."""
    off = getattr(tz, "offset_s", None)
    if off is not None:
        return off
    special = getattr(tz, "local_offset_s", None)
    if special is not None:
        return special(local_ts)
    if local_ts > _LATE_US:
        local_ts -= ((local_ts - _LATE_US) // _CYCLE_US + 1) * _CYCLE_US
    elif local_ts < _EARLY_US:
        local_ts += ((_EARLY_US - local_ts) // _CYCLE_US + 1) * _CYCLE_US
    try:
        naive = _dt.datetime(2000, 1, 1) + _dt.timedelta(microseconds=local_ts)
    except OverflowError:
        naive = _dt.datetime(1, 1, 2) if local_ts < 0 else _dt.datetime(9999, 12, 30)
    if naive.year < 1 or (naive.year == 1 and naive.month == 1 and naive.day < 2):
        naive = _dt.datetime(1, 1, 2)
    if naive > _dt.datetime(9999, 12, 30):
        naive = _dt.datetime(9999, 12, 30)
    o0 = naive.replace(tzinfo=tz, fold=0).utcoffset()
    o1 = naive.replace(tzinfo=tz, fold=1).utcoffset()
    a = int(o0.total_seconds()) if o0 is not None else 0
    b = int(o1.total_seconds()) if o1 is not None else 0
    return min(a, b)


def local_to_utc(tz: Any, local_ts: int) -> int:
    return local_ts - local_offset(tz, local_ts) * USECS_PER_SEC


def utc_to_local(tz: Any, ts: int) -> int:
    return ts + utc_offset(tz, ts)[0] * USECS_PER_SEC


def format_offset(off: int, iso: bool = True) -> str:
    """+HH, +HH:MM or +HH:MM:SS (seconds east of UTC)."""
    sign = "-" if off < 0 else "+"
    off = abs(off)
    h, rem = divmod(off, 3600)
    m, s = divmod(rem, 60)
    if s:
        return f"{sign}{h:02d}:{m:02d}:{s:02d}"
    if m:
        return f"{sign}{h:02d}:{m:02d}"
    return f"{sign}{h:02d}"
