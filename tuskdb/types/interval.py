"""interval: ``Interval(months, days, micros)`` and its I/O in the four IntervalStyles.

Intervals compare as PostgreSQL does: by their span with a month counted as
30 days and a day as 24 hours, so ``Interval(1, 0, 0) == Interval(0, 30, 0)``
and both hash alike.  ±infinity (PostgreSQL 17+) is the value with every field
at its maximum / minimum.
"""

from __future__ import annotations

import math
import struct
from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types.common import INT4_MAX, INT4_MIN, INT8_MAX, INT8_MIN
from tuskdb.types.dtcore import USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC
from tuskdb.types.dtparse import (
    BAD, INTERVAL_FULL_RANGE, OVERFLOW, DtError, I_DAY, I_HOUR, I_MINUTE, I_MONTH, I_SECOND,
    I_YEAR, decode_interval, decode_iso8601_interval, raise_dterr,
)


class Interval:
    """An immutable PostgreSQL interval value."""

    __slots__ = ("months", "days", "micros")

    months: int
    days: int
    micros: int

    def __init__(self, months: int = 0, days: int = 0, micros: int = 0) -> None:
        object.__setattr__(self, "months", months)
        object.__setattr__(self, "days", days)
        object.__setattr__(self, "micros", micros)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Interval is immutable")

    def span(self) -> int:
        """interval_cmp_value: the total in µs with 30-day months."""
        return (self.months * 30 + self.days) * USECS_PER_DAY + self.micros

    def is_finite(self) -> bool:
        return not (self.months in (INT4_MAX, INT4_MIN) and self.days == self.months
                    and self.micros in (INT8_MAX, INT8_MIN))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Interval):
            return self.span() == other.span()
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, Interval):
            return self.span() != other.span()
        return NotImplemented

    def __lt__(self, other: Interval) -> bool:
        return self.span() < other.span()

    def __le__(self, other: Interval) -> bool:
        return self.span() <= other.span()

    def __gt__(self, other: Interval) -> bool:
        return self.span() > other.span()

    def __ge__(self, other: Interval) -> bool:
        return self.span() >= other.span()

    def __hash__(self) -> int:
        return hash(self.span())

    def __repr__(self) -> str:
        return f"Interval({self.months}, {self.days}, {self.micros})"

    def __reduce__(self) -> Any:
        return (Interval, (self.months, self.days, self.micros))


INTERVAL_NOBEGIN = Interval(INT4_MIN, INT4_MIN, INT8_MIN)
INTERVAL_NOEND = Interval(INT4_MAX, INT4_MAX, INT8_MAX)
ZERO_INTERVAL = Interval(0, 0, 0)


def interval_out_of_range() -> PgError:
    return PgError("22008", "interval out of range")


def make_interval_checked(months: int, days: int, micros: int) -> Interval:
    if not (INT4_MIN <= months <= INT4_MAX and INT4_MIN <= days <= INT4_MAX
            and INT8_MIN <= micros <= INT8_MAX):
        raise interval_out_of_range()
    iv = Interval(months, days, micros)
    if not iv.is_finite():
        raise interval_out_of_range()
    return iv


# ---------------------------------------------------------------------------
# typmod

_FIELDS_NAMES = {
    I_YEAR: " year", I_MONTH: " month", I_DAY: " day", I_HOUR: " hour", I_MINUTE: " minute",
    I_SECOND: " second", I_YEAR | I_MONTH: " year to month", I_DAY | I_HOUR: " day to hour",
    I_DAY | I_HOUR | I_MINUTE: " day to minute",
    I_DAY | I_HOUR | I_MINUTE | I_SECOND: " day to second",
    I_HOUR | I_MINUTE: " hour to minute", I_HOUR | I_MINUTE | I_SECOND: " hour to second",
    I_MINUTE | I_SECOND: " minute to second", INTERVAL_FULL_RANGE: "",
}
FULL_PRECISION = 0xFFFF


def interval_typmod(rng: int, precision: int = FULL_PRECISION) -> int:
    return ((rng & 0x7FFF) << 16) | (precision & 0xFFFF)


def typmod_range(typmod: int) -> int:
    return INTERVAL_FULL_RANGE if typmod < 0 else (typmod >> 16) & 0x7FFF


def typmod_precision(typmod: int) -> int:
    return FULL_PRECISION if typmod < 0 else typmod & 0xFFFF


def interval_typmod_in(mods: list[int | str]) -> int:
    """intervaltypmodin: [range] or [range, precision] as the grammar emits them."""
    vals = [int(m) for m in mods]
    if not vals or len(vals) > 2:
        raise PgError("42601", "invalid INTERVAL type modifier")
    rng = vals[0]
    if rng not in _FIELDS_NAMES:
        raise PgError("42601", "invalid INTERVAL type modifier")
    if len(vals) == 1:
        return interval_typmod(rng)
    p = vals[1]
    if p < 0:
        raise PgError("22023", f"INTERVAL({p}) precision must not be negative")
    p = min(p, 6)  # PostgreSQL warns "precision reduced to maximum allowed, 6"
    return interval_typmod(rng, p)


def interval_format_type(typmod: int) -> str:
    if typmod < 0:
        return "interval"
    fields = _FIELDS_NAMES.get(typmod_range(typmod), "")
    p = typmod_precision(typmod)
    return f"interval{fields}" + (f"({p})" if p != FULL_PRECISION else "")


def _ctrunc(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def interval_coerce(iv: Interval, typmod: int, explicit: bool = False) -> Interval:
    """AdjustIntervalForTypmod."""
    if typmod < 0 or not iv.is_finite():
        return iv
    rng = typmod_range(typmod)
    prec = typmod_precision(typmod)
    months, days, us = iv.months, iv.days, iv.micros
    if rng == INTERVAL_FULL_RANGE:
        pass
    elif rng == I_YEAR:
        months = _ctrunc(months, 12) * 12
        days = us = 0
    elif rng in (I_MONTH, I_YEAR | I_MONTH):
        days = us = 0
    elif rng == I_DAY:
        us = 0
    elif rng in (I_HOUR, I_DAY | I_HOUR):
        us = _ctrunc(us, USECS_PER_HOUR) * USECS_PER_HOUR
    elif rng in (I_MINUTE, I_HOUR | I_MINUTE, I_DAY | I_HOUR | I_MINUTE):
        us = _ctrunc(us, USECS_PER_MINUTE) * USECS_PER_MINUTE
    if prec != FULL_PRECISION:
        scale = 10 ** (6 - prec)
        off = scale // 2
        if us >= 0:
            us += off
            if us > INT8_MAX:
                raise interval_out_of_range()
            us -= us % scale
        else:
            us -= off
            if us < INT8_MIN:
                raise interval_out_of_range()
            us = -((-us) - (-us) % scale)
    if (months, days, us) == (iv.months, iv.days, iv.micros):
        return iv
    return Interval(months, days, us)


# ---------------------------------------------------------------------------
# text I/O

def interval_in(text: str, typmod: int = -1, ctx: Any = None) -> Interval:
    rng = typmod_range(typmod)
    sql_std = ctx is not None and ctx.intervalstyle == "sql_standard"
    try:
        try:
            r = decode_interval(text, rng, sql_std)
        except DtError as e:
            if e.code != BAD:
                raise
            r = decode_iso8601_interval(text)
    except DtError as e:
        code = "interval_overflow" if e.code == OVERFLOW else e.code
        raise_dterr(code, text, "interval")
        raise AssertionError from None
    if r == "infinity":
        return INTERVAL_NOEND
    if r == "-infinity":
        return INTERVAL_NOBEGIN
    years, months, days, us = r  # type: ignore[misc]
    # itmin2interval: the fields fit (the decoder saw to it), their sum in months may not
    months += years * 12
    if not INT4_MIN <= months <= INT4_MAX:
        raise interval_out_of_range()
    iv = Interval(months, days, us)     # the extremes are ±infinity, as in PostgreSQL
    return interval_coerce(iv, typmod) if typmod >= 0 else iv


def _fields(iv: Interval) -> tuple[int, int, int, int, int, int, int]:
    year = _ctrunc(iv.months, 12)
    mon = iv.months - year * 12
    t = iv.micros
    hour = _ctrunc(t, USECS_PER_HOUR)
    t -= hour * USECS_PER_HOUR
    mn = _ctrunc(t, USECS_PER_MINUTE)
    t -= mn * USECS_PER_MINUTE
    sec = _ctrunc(t, USECS_PER_SEC)
    fsec = t - sec * USECS_PER_SEC
    return year, mon, iv.days, hour, mn, sec, fsec


def _append_seconds(sec: int, fsec: int, fillzeros: bool) -> str:
    s = f"{abs(sec):02d}" if fillzeros else str(abs(sec))
    if fsec:
        s += "." + f"{abs(fsec):06d}".rstrip("0")
    return s


def interval_out(iv: Interval, ctx: Any = None) -> str:
    if not iv.is_finite():
        return "infinity" if iv.months > 0 else "-infinity"
    style = "postgres" if ctx is None else ctx.intervalstyle
    year, mon, mday, hour, mn, sec, fsec = _fields(iv)
    if style == "postgres":
        out: list[str] = []
        is_before = False
        is_zero = True
        for value, unit in ((year, "year"), (mon, "mon"), (mday, "day")):
            if value == 0:
                continue
            out.append(("" if is_zero else " ") + ("+" if is_before and value > 0 else "")
                       + f"{value} {unit}" + ("" if value == 1 else "s"))
            is_before = value < 0
            is_zero = False
        if is_zero or hour or mn or sec or fsec:
            minus = hour < 0 or mn < 0 or sec < 0 or fsec < 0
            out.append(("" if is_zero else " ") + ("-" if minus else ("+" if is_before else ""))
                       + f"{abs(hour):02d}:{abs(mn):02d}:" + _append_seconds(sec, fsec, True))
        return "".join(out)
    if style == "postgres_verbose":
        out = ["@"]
        is_before = False
        is_zero = True
        for value, unit in ((year, "year"), (mon, "mon"), (mday, "day"), (hour, "hour"),
                            (mn, "min")):
            if value == 0:
                continue
            if is_zero:
                is_before = value < 0
                value = abs(value)
            elif is_before:
                value = -value
            out.append(f" {value} {unit}" + ("" if value == 1 else "s"))
            is_zero = False
        if sec or fsec:
            out.append(" ")
            if sec < 0 or (sec == 0 and fsec < 0):
                if is_zero:
                    is_before = True
                elif not is_before:
                    out.append("-")
            elif is_before:
                out.append("-")
            out.append(_append_seconds(sec, fsec, False))
            out.append(" sec" + ("s" if abs(sec) != 1 or fsec else ""))
            is_zero = False
        if is_zero:
            out.append(" 0")
        if is_before:
            out.append(" ago")
        return "".join(out)
    if style == "sql_standard":
        has_neg = year < 0 or mon < 0 or mday < 0 or hour < 0 or mn < 0 or sec < 0 or fsec < 0
        has_pos = year > 0 or mon > 0 or mday > 0 or hour > 0 or mn > 0 or sec > 0 or fsec > 0
        has_ym = year != 0 or mon != 0
        has_dt = mday != 0 or hour != 0 or mn != 0 or sec != 0 or fsec != 0
        std = not (has_neg and has_pos) and not (has_ym and has_dt)
        prefix = ""
        if has_neg and std:
            prefix = "-"
            year, mon, mday, hour, mn, sec, fsec = (-year, -mon, -mday, -hour, -mn, -sec, -fsec)
        if not has_neg and not has_pos:
            return "0"
        if not std:
            ys = "-" if year < 0 or mon < 0 else "+"
            ds = "-" if mday < 0 else "+"
            ss = "-" if hour < 0 or mn < 0 or sec < 0 or fsec < 0 else "+"
            return (f"{ys}{abs(year)}-{abs(mon)} {ds}{abs(mday)} {ss}{abs(hour)}:{abs(mn):02d}:"
                    + _append_seconds(sec, fsec, True))
        if has_ym:
            return f"{prefix}{year}-{mon}"
        if mday:
            return f"{prefix}{mday} {hour}:{mn:02d}:" + _append_seconds(sec, fsec, True)
        return f"{prefix}{hour}:{mn:02d}:" + _append_seconds(sec, fsec, True)
    # iso_8601
    if not (year or mon or mday or hour or mn or sec or fsec):
        return "PT0S"
    out = ["P"]
    for value, u in ((year, "Y"), (mon, "M"), (mday, "D")):
        if value:
            out.append(f"{value}{u}")
    if hour or mn or sec or fsec:
        out.append("T")
    for value, u in ((hour, "H"), (mn, "M")):
        if value:
            out.append(f"{value}{u}")
    if sec or fsec:
        if sec < 0 or fsec < 0:
            out.append("-")
        out.append(_append_seconds(sec, fsec, False) + "S")
    return "".join(out)


_S = struct.Struct("!qii")


def interval_send(iv: Interval, ctx: Any = None) -> bytes:
    return _S.pack(iv.micros, iv.days, iv.months)


def interval_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> Interval:
    if len(data) != 16:
        raise PgError("22P03", "incorrect binary data format")
    us, days, months = _S.unpack(data)
    iv = Interval(months, days, us)
    return interval_coerce(iv, typmod) if typmod >= 0 else iv


# ---------------------------------------------------------------------------
# arithmetic

def interval_um(a: Interval) -> Interval:
    if not a.is_finite():
        return INTERVAL_NOBEGIN if a.months > 0 else INTERVAL_NOEND
    return make_interval_checked(-a.months, -a.days, -a.micros)


def interval_pl(a: Interval, b: Interval) -> Interval:
    af, bf = a.is_finite(), b.is_finite()
    if not af or not bf:
        if not af and not bf and (a.months > 0) != (b.months > 0):
            raise interval_out_of_range()
        return a if not af else b
    return make_interval_checked(a.months + b.months, a.days + b.days, a.micros + b.micros)


def interval_mi(a: Interval, b: Interval) -> Interval:
    af, bf = a.is_finite(), b.is_finite()
    if not af or not bf:
        if not af and not bf and (a.months > 0) == (b.months > 0):
            raise interval_out_of_range()
        return a if not af else interval_um(b)
    return make_interval_checked(a.months - b.months, a.days - b.days, a.micros - b.micros)


def _tsround(x: float) -> float:
    return round(x * 1e6) / 1e6


def _fits_i32(x: float) -> bool:
    return not math.isnan(x) and -2147483648.0 <= x < 2147483648.0


def interval_mul(a: Interval, factor: float) -> Interval:
    if math.isnan(factor):
        raise interval_out_of_range()
    if not a.is_finite() or math.isinf(factor):
        if factor == 0.0 or (a.is_finite() and a == ZERO_INTERVAL and a.months == 0
                             and a.days == 0 and a.micros == 0):
            raise interval_out_of_range()
        sign = (1 if (a.months > 0 if not a.is_finite() else a.span() > 0) else -1) * \
            (1 if factor > 0 else -1)
        return INTERVAL_NOEND if sign > 0 else INTERVAL_NOBEGIN
    rm = a.months * factor
    if not _fits_i32(rm):
        raise interval_out_of_range()
    months = int(rm)
    rd = a.days * factor
    if not _fits_i32(rd):
        raise interval_out_of_range()
    days = int(rd)
    month_rem_days = _tsround((a.months * factor - months) * 30)
    sec_rem = _tsround((a.days * factor - days + month_rem_days - int(month_rem_days))
                       * 86400)
    if abs(sec_rem) >= 86400:
        days += int(sec_rem / 86400)
        sec_rem -= int(sec_rem / 86400) * 86400
    days += int(month_rem_days)
    rt = round(a.micros * factor + sec_rem * USECS_PER_SEC)
    if not -9.223372036854776e18 <= rt < 9.223372036854776e18:
        raise interval_out_of_range()
    return make_interval_checked(months, days, int(rt))


def interval_div(a: Interval, factor: float) -> Interval:
    if factor == 0.0:
        raise PgError("22012", "division by zero")
    if math.isnan(factor):
        raise interval_out_of_range()
    if not a.is_finite():
        if math.isinf(factor):
            raise interval_out_of_range()
        pos = (a.months > 0) == (factor > 0)
        return INTERVAL_NOEND if pos else INTERVAL_NOBEGIN
    if math.isinf(factor):
        return ZERO_INTERVAL
    months = int(a.months / factor)
    days = int(a.days / factor)
    month_rem_days = _tsround((a.months / factor - months) * 30)
    sec_rem = _tsround((a.days / factor - days + month_rem_days - int(month_rem_days)) * 86400)
    if abs(sec_rem) >= 86400:
        days += int(sec_rem / 86400)
        sec_rem -= int(sec_rem / 86400) * 86400
    days += int(month_rem_days)
    rt = round(a.micros / factor + sec_rem * USECS_PER_SEC)
    return make_interval_checked(months, days, int(rt))


def justify_hours(a: Interval) -> Interval:
    if not a.is_finite():
        return a
    days = a.days + _ctrunc(a.micros, USECS_PER_DAY)
    t = a.micros - _ctrunc(a.micros, USECS_PER_DAY) * USECS_PER_DAY
    if days > 0 and t < 0:
        t += USECS_PER_DAY
        days -= 1
    elif days < 0 and t > 0:
        t -= USECS_PER_DAY
        days += 1
    return make_interval_checked(a.months, days, t)


def justify_days(a: Interval) -> Interval:
    if not a.is_finite():
        return a
    months = a.months + _ctrunc(a.days, 30)
    days = a.days - _ctrunc(a.days, 30) * 30
    if months > 0 and days < 0:
        days += 30
        months -= 1
    elif months < 0 and days > 0:
        days -= 30
        months += 1
    return make_interval_checked(months, days, a.micros)


def justify_interval(a: Interval) -> Interval:
    if not a.is_finite():
        return a
    months, days, t = a.months, a.days, a.micros
    months += _ctrunc(days, 30)
    days -= _ctrunc(days, 30) * 30
    days += _ctrunc(t, USECS_PER_DAY)
    t -= _ctrunc(t, USECS_PER_DAY) * USECS_PER_DAY
    months += _ctrunc(days, 30)
    days -= _ctrunc(days, 30) * 30
    if months > 0 and (days < 0 or (days == 0 and t < 0)):
        days += 30
        months -= 1
    elif months < 0 and (days > 0 or (days == 0 and t > 0)):
        days -= 30
        months += 1
    if days > 0 and t < 0:
        t += USECS_PER_DAY
        days -= 1
    elif days < 0 and t > 0:
        t -= USECS_PER_DAY
        days += 1
    return make_interval_checked(months, days, t)


def _cmp_impls() -> dict[str, Callable[..., Any]]:
    import operator
    d: dict[str, Callable[..., Any]] = {}
    for suffix, fn in (("eq", operator.eq), ("ne", operator.ne), ("lt", operator.lt),
                       ("le", operator.le), ("gt", operator.gt), ("ge", operator.ge)):
        d["interval_" + suffix] = fn
    return d


IMPLS: dict[str, Callable[..., Any]] = {
    **_cmp_impls(),
    "interval_um": interval_um, "interval_pl": interval_pl, "interval_mi": interval_mi,
    "interval_mul": interval_mul, "mul_d_interval": lambda f, a: interval_mul(a, f),
    "interval_div": interval_div, "interval_justify_hours": justify_hours,
    "interval_justify_days": justify_days, "interval_justify_interval": justify_interval,
    "interval_larger": lambda a, b: a if a >= b else b,
    "interval_smaller": lambda a, b: a if a <= b else b,
}
