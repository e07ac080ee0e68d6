"""to_char(): PostgreSQL's formatting.c for timestamps/intervals (DCH) and numbers (NUM).

Covers the template patterns of the documentation's "Data Type Formatting
Functions" tables, with the FM and TH/th modifiers.  Not covered: the SP
suffix, TM (localized names: C locale names are always used), and
to_number/to_date/to_timestamp parsing.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types.dtcore import (
    DAY_NAMES, DT_NOBEGIN, DT_NOEND, MONTH_NAMES, USECS_PER_SEC, date2j, j2date, j2day,
    timestamp2fields, utc_offset,
)
from tuskdb.types.numeric import NCTX
from tuskdb.types.numformat import NumTemplate, read_template, render, roman_numeral

# --- DCH: timestamps ----------------------------------------------------------------------

_KEYWORDS = sorted("""A.D. A.M. AD AM B.C. BC CC D DAY DDD DD DY Day Dy FF1 FF2 FF3 FF4 FF5 FF6
FX HH24 HH12 HH IDDD ID IW IYYY IYY IY I J MI MM MONTH MON MS Month Mon OF P.M. PM Q RM
SSSSS SSSS SS TZH TZM TZ US WW W Y,YYY YYYY YYY YY Y a.d. a.m. ad am b.c. bc cc day ddd dd
dy d ff1 ff2 ff3 ff4 ff5 ff6 fx hh24 hh12 hh iddd id iw iyyy iyy iy i j mi mm month mon ms
of p.m. pm q rm sssss ssss ss tzh tzm tz us ww w y,yyy yyyy yyy yy y""".split(),
                   key=len, reverse=True)
_KW_RE = re.compile("|".join(re.escape(k) for k in _KEYWORDS))
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _numth(printed: str, upper: bool) -> str:
    """str_numth: the suffix for the number as printed (its last two digits)."""
    digits = printed.lstrip("-")
    if not digits or not digits[-1].isdigit():
        return ""
    last = digits[-1]
    if len(digits) > 1 and digits[-2] == "1":
        last = "0"
    s = {"1": "st", "2": "nd", "3": "rd"}.get(last, "th")
    return s.upper() if upper else s


class _Fields:
    __slots__ = ("year", "mon", "mday", "hour", "min", "sec", "usec", "off", "tzname",
                 "is_interval", "jd", "wday", "yday")

    def __init__(self) -> None:
        self.off: int | None = None
        self.tzname = ""
        self.is_interval = False


def _dch(fmt: str, f: _Fields) -> str:
    out: list[str] = []
    i = 0
    n = len(fmt)
    while i < n:
        fm = False
        if fmt.startswith(("FM", "fm"), i):
            fm = True
            i += 2
        if fmt[i:i + 1] == '"':
            j = i + 1
            while j < n and fmt[j] != '"':
                if fmt[j] == "\\" and j + 1 < n and fmt[j + 1] == '"':
                    j += 1
                out.append(fmt[j])
                j += 1
            i = j + 1
            continue
        if fmt[i:i + 2] == '\\"':
            out.append('"')
            i += 2
            continue
        m = _KW_RE.match(fmt, i)
        if not m:
            if i < n:
                out.append(fmt[i])
            i += 1
            continue
        kw = m.group(0)
        i = m.end()
        th = None
        if fmt.startswith(("TH", "th"), i):
            th = fmt[i:i + 2]
            i += 2
        val, num = _dch_value(kw, f, fm)
        if th is not None and num is not None:
            val += _numth(val, th == "TH")
        out.append(val)
    return "".join(out)


def _pad(v: int, width: int, fm: bool) -> str:
    """sprintf("%0*d", fm ? 0 : width, v)."""
    if fm:
        return str(v)
    return f"{v:0{width}d}"


def _w(v: int, width: int) -> int:
    """PostgreSQL widens the zero padding by one for negative values."""
    return width if v >= 0 else width + 1


def _cmod(a: int, b: int) -> int:
    r = abs(a) % b
    return -r if a < 0 else r


def _cdiv(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _invalid_for_interval() -> PgError:
    return PgError("22007", "invalid format specification for an interval value",
                   hint="Intervals are not tied to specific calendar dates.")


_INTERVAL_INVALID = {"TZ", "OF", "TZH", "TZM", "A.D.", "B.C.", "AD", "BC", "MONTH", "MON",
                     "DAY", "DY", "D", "ID"}


def _adjust_year(y: int, is_interval: bool) -> int:
    return y if is_interval else (-(y - 1) if y <= 0 else y)


def _dch_value(kw: str, f: _Fields, fm: bool) -> tuple[str, int | None]:
    """One template keyword, as DCH_to_char prints it (value, number for TH)."""
    up = kw.upper()
    iv = f.is_interval
    if iv and up in _INTERVAL_INVALID:
        raise _invalid_for_interval()
    y = f.year
    if up in ("A.D.", "B.C.", "AD", "BC"):
        s = ("B.C." if y <= 0 else "A.D.") if "." in up else ("BC" if y <= 0 else "AD")
        return (s if kw[0].isupper() else s.lower()), None
    if up in ("A.M.", "P.M.", "AM", "PM"):
        pm = _cmod(f.hour, 24) >= 12
        s = ("P.M." if pm else "A.M.") if "." in up else ("PM" if pm else "AM")
        return (s if kw[0].isupper() else s.lower()), None
    if up in ("HH", "HH12"):
        r = _cmod(f.hour, 12)
        v = 12 if r == 0 else r
        return _pad(v, 2 if f.hour >= 0 else 3, fm), v
    if up == "HH24":
        return _pad(f.hour, _w(f.hour, 2), fm), f.hour
    if up == "MI":
        return _pad(f.min, _w(f.min, 2), fm), f.min
    if up == "SS":
        return _pad(f.sec, _w(f.sec, 2), fm), f.sec
    if up in ("MS", "US") or up.startswith("FF"):
        k = {"MS": 3, "US": 6}.get(up) or int(up[2])
        v = _cdiv(f.usec, 10 ** (6 - k))
        return f"{v:0{k}d}", v                      # never affected by FM
    if up in ("SSSS", "SSSSS"):
        v = (f.hour * 60 + f.min) * 60 + f.sec
        return str(v), v
    if up == "TZ":
        return (f.tzname.upper() if kw == "TZ" else f.tzname.lower()), None
    if up == "OF":
        a = abs(f.off or 0)
        s = ("+" if (f.off or 0) >= 0 else "-") + (str(a // 3600) if fm else f"{a // 3600:02d}")
        if a % 3600:
            s += f":{(a % 3600) // 60:02d}"
        return s, None
    if up == "TZH":
        return ("+" if (f.off or 0) >= 0 else "-") + f"{abs(f.off or 0) // 3600:02d}", None
    if up == "TZM":
        return f"{(abs(f.off or 0) % 3600) // 60:02d}", None
    if up in ("MONTH", "MON"):
        if not f.mon:
            return "", None
        name = MONTH_NAMES[f.mon - 1]
        if up == "MON":
            name = name[:3]
        elif not fm:
            name = name.ljust(9)
        return _case(name, kw), None
    if up == "MM":
        return _pad(f.mon, _w(f.mon, 2), fm), f.mon
    if up in ("DAY", "DY"):
        name = DAY_NAMES[f.wday]
        if up == "DY":
            name = name[:3]
        elif not fm:
            name = name.ljust(9)
        return _case(name, kw), None
    if up in ("DDD", "IDDD"):
        if up == "DDD":
            v = f.yday
        else:
            from tuskdb.types.dtfuncs import date2isoyear, isoweek2j
            v = date2j(f.year, f.mon, f.mday) - isoweek2j(date2isoyear(f.year, f.mon, f.mday),
                                                          1) + 1
        return _pad(v, 3, fm), v
    if up == "DD":
        return _pad(f.mday, 2, fm), f.mday
    if up == "D":
        return str(f.wday + 1), f.wday + 1
    if up == "ID":
        v = 7 if f.wday == 0 else f.wday
        return str(v), v
    if up == "WW":
        v = _cdiv(f.yday - 1, 7) + 1
        return _pad(v, 2, fm), v
    if up == "IW":
        from tuskdb.types.dtfuncs import date2isoweek
        v = date2isoweek(f.year, f.mon, f.mday)
        return _pad(v, 2, fm), v
    if up == "Q":
        if not f.mon:
            return "", None
        v = _cdiv(f.mon - 1, 3) + 1
        return str(v), v
    if up == "CC":
        if iv:
            v = _cdiv(y, 100)
        else:
            v = _cdiv(y - 1, 100) + 1 if y > 0 else _cdiv(y, 100) - 1
        if -99 <= v <= 99:
            return _pad(v, _w(v, 2), fm), v
        return str(v), v
    if up in ("Y,YYY",):
        ay = _adjust_year(y, iv)
        k = _cdiv(ay, 1000)
        return f"{k},{ay - k * 1000:03d}", ay
    if up in ("YYYY", "YYY", "YY", "Y", "IYYY", "IYY", "IY", "I"):
        if up.startswith("I"):
            from tuskdb.types.dtfuncs import date2isoyear
            base = _adjust_year(date2isoyear(f.year, f.mon, f.mday), iv)
            width = {"IYYY": 4, "IYY": 3, "IY": 2, "I": 1}[up]
        else:
            base = _adjust_year(y, iv)
            width = len(up)
        ay = _adjust_year(y, iv)
        v = base if width == 4 else _cmod(base, 10 ** width)
        if width == 1:
            return f"{v:1d}", v
        return _pad(v, width if ay >= 0 else width + 1, fm), v
    if up == "RM":
        if not f.mon and not y:
            return "", None
        if f.mon == 0:
            idx = 0 if y >= 0 else 11
        elif f.mon < 0:
            idx = -1 * (f.mon + 1)
        else:
            idx = 12 - f.mon
        r = _ROMAN[11 - idx]
        r = r if fm else r.ljust(4)
        return (r if kw[0] == "R" else r.lower()), None
    if up == "W":
        v = _cdiv(f.mday - 1, 7) + 1
        return str(v), v
    if up == "J":
        v = date2j(f.year, f.mon, f.mday)
        return str(v), v
    return "", None


def _case(name: str, kw: str) -> str:
    if kw.isupper():
        return name.upper()
    if kw.islower():
        return name.lower()
    return name


def _fields_from_local(local: int) -> _Fields:
    f = _Fields()
    y, mo, d, h, mi, s, us = timestamp2fields(local)
    f.year, f.mon, f.mday, f.hour, f.min, f.sec, f.usec = y, mo, d, h, mi, s, us
    f.jd = date2j(y, mo, d)
    f.wday = j2day(f.jd)
    f.yday = f.jd - date2j(y, 1, 1) + 1
    return f


def timestamp_to_char(ts: int, fmt: str) -> str | None:
    if ts in (DT_NOBEGIN, DT_NOEND) or not fmt:
        return None
    return _dch(fmt, _fields_from_local(ts))


def timestamptz_to_char(ctx: Any, ts: int, fmt: str) -> str | None:
    if ts in (DT_NOBEGIN, DT_NOEND) or not fmt:
        return None
    from tuskdb.types.datetime import _tz
    off, name = utc_offset(_tz(ctx), ts)
    f = _fields_from_local(ts + off * USECS_PER_SEC)
    f.off = off
    f.tzname = name
    return _dch(fmt, f)


def interval_to_char(iv: Any, fmt: str) -> str | None:
    if not iv.is_finite() or not fmt:
        return None
    from tuskdb.types.interval import _fields
    year, mon, mday, hour, mi, sec, fsec = _fields(iv)
    f = _Fields()
    f.is_interval = True
    f.year, f.mon, f.mday, f.hour, f.min, f.sec, f.usec = year, mon, mday, hour, mi, sec, fsec
    f.jd = 0
    f.wday = 0
    f.yday = (year * 12 + mon) * 30 + mday
    return _dch(fmt, f)


# --- NUM: numbers (the template machinery is in numformat.py) --------------------------

def _layout(t: NumTemplate, orgnum: str, frac_avail: int | None = None) -> str:
    """Render a signed value text (``-12.50``, ``NaN``, ...) on the template."""
    negative = orgnum.startswith("-")
    return render(t, orgnum[1:] if negative else orgnum, negative, frac_avail)


def _sci(value: Decimal, post: int) -> str:
    """numeric_out_sci: d.ddde+XX with ``post`` fraction digits."""
    if value.is_nan():
        return "NaN"
    if value.is_infinite():
        return "Infinity" if value > 0 else "-Infinity"
    if not value:
        return ("0." + "0" * post if post else "0") + "e+00"
    # the exponent comes from the unrounded value: 9.96 to one digit is "10.0e+00"
    exp = value.adjusted()
    m = value.scaleb(-exp, NCTX).quantize(Decimal(1).scaleb(-post), rounding=ROUND_HALF_UP,
                                          context=NCTX)
    return f"{format(m, 'f')}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _eeee_fill(t: NumTemplate) -> str:
    """A non-finite value in EEEE form: '#' for every column, the point kept."""
    return " " + "#" * t.int_digits + "." + "#" * (t.frac_digits + 4)


def _shifted(t: NumTemplate) -> NumTemplate:
    """V: the '9's after it are integer columns for the multiplied value."""
    t.int_digits += t.shift
    return t


def numeric_to_char(value: Decimal, fmt: str) -> str | None:
    if not fmt:
        return None
    t = read_template(fmt)
    if t.roman:
        from tuskdb.types.numeric import numeric_int4, numeric_round
        try:
            iv = numeric_int4(numeric_round(value, 0))
        except PgError:
            iv = 0               # beyond int4: no numeral, '#'s
        return render(t, roman_numeral(iv), False)
    if t.eeee:
        orgnum = _sci(value, t.frac_digits)
        if orgnum in ("NaN", "Infinity", "-Infinity"):
            return _eeee_fill(t)
        return orgnum if orgnum.startswith("-") else " " + orgnum
    if t.has_v:
        value = NCTX.multiply(value, Decimal(10) ** t.shift)
    from tuskdb.types.numeric import numeric_out, numeric_round
    return _layout(_shifted(t), numeric_out(numeric_round(value, t.frac_digits)))


def int8_to_char(value: int, fmt: str) -> str | None:
    """int8 in EEEE form goes through numeric; otherwise as int4."""
    if fmt and read_template(fmt).eeee:
        return numeric_to_char(Decimal(value), fmt)
    return int_to_char(value, fmt)


def int_to_char(value: int, fmt: str) -> str | None:
    if not fmt:
        return None
    t = read_template(fmt)
    if t.roman:
        return render(t, roman_numeral(value), False)
    if t.eeee:
        s = "%+.*e" % (t.frac_digits, float(value))
        return " " + s[1:] if s[0] == "+" else s
    if t.has_v:
        value *= 10 ** t.shift
    text = str(value)
    if t.frac_digits:
        text += "." + "0" * t.frac_digits
    return _layout(_shifted(t), text)


def _float_to_char(value: float, fmt: str, dig: int) -> str | None:
    """float4/float8: only ``dig`` significant digits are printed; template
    fraction columns beyond them end the output."""
    if not fmt:
        return None
    t = read_template(fmt)
    if t.roman:
        numeral = "#" * 15 if math.isnan(value) or math.isinf(value) else \
            roman_numeral(int(round(value)))
        return render(t, numeral, False)
    if t.eeee:
        if math.isnan(value) or math.isinf(value):
            return _eeee_fill(t)
        s = "%+.*e" % (t.frac_digits, value)
        return " " + s[1:] if s[0] == "+" else s
    if t.has_v:
        value = value * 10.0 ** t.shift
    t = _shifted(t)
    if math.isnan(value):
        return _layout(t, "NaN")
    if math.isinf(value):
        text, int_len = ("-Infinity" if value < 0 else "Infinity"), 8
    else:
        int_len = len("%.0f" % abs(value))
    frac = max(0, min(t.frac_digits, dig - int_len))
    if math.isinf(value):
        return _layout(t, text, frac)
    return _layout(t, "%.*f" % (frac, value), frac)


def float8_to_char(value: float, fmt: str) -> str | None:
    return _float_to_char(value, fmt, 15)


def float4_to_char(value: float, fmt: str) -> str | None:
    return _float_to_char(value, fmt, 6)


IMPLS: dict[str, Callable[..., Any]] = {
    "timestamp_to_char": timestamp_to_char, "interval_to_char": interval_to_char,
    "numeric_to_char": numeric_to_char, "int4_to_char": int_to_char,
    "int8_to_char": int8_to_char, "float8_to_char": float8_to_char,
    "float4_to_char": float4_to_char,
}
CTX_IMPLS: dict[str, Callable[..., Any]] = {"timestamptz_to_char": timestamptz_to_char}

_unused = (j2date,)
