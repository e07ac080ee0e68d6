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


# --- NUM: numbers (a port of NUMDesc_prepare / NUM_processor / NUM_numpart_to_char) ------

_NUM_KEYWORDS = sorted(", . 0 9 B C D EEEE FM G L MI PL PR RN SG SP S TH V b c d eeee fm g l mi "
                       "pl pr rn sg sp s th v".split(), key=len, reverse=True)
_NUM_KW_RE = re.compile("|".join(re.escape(k) for k in _NUM_KEYWORDS))


class _NumDesc:
    def __init__(self) -> None:
        self.pre = self.post = self.multi = 0
        self.zero_start = self.zero_end = 0
        self.zero = self.decimal = self.fillmode = self.bracket = False
        self.minus = self.plus = self.minus_post = self.plus_post = False
        self.lsign: str | None = None  # 'pre' | 'post'
        self.pre_lsign_num = 0
        self.roman = self.eeee = self.multi_flag = self.blank = False


def _syntax(msg: str, detail: str | None = None) -> PgError:
    return PgError("42601", msg, detail=detail)


def _parse_num_format(fmt: str) -> tuple[list[tuple[str, str]], _NumDesc]:
    nodes: list[tuple[str, str]] = []
    d = _NumDesc()
    i = 0
    n = len(fmt)
    while i < n:
        if fmt[i] == '"':
            j = i + 1
            while j < n and fmt[j] != '"':
                if fmt[j] == "\\" and j + 1 < n:
                    j += 1
                nodes.append(("CHAR", fmt[j]))
                j += 1
            i = j + 1
            continue
        m = _NUM_KW_RE.match(fmt, i)
        if not m:
            # outside quotes a backslash only quotes an immediately following '"'
            if fmt[i] == "\\" and fmt[i + 1:i + 2] == '"':
                i += 1
            nodes.append(("CHAR", fmt[i]))
            i += 1
            continue
        kw = m.group(0)
        i = m.end()
        key = kw.upper() if kw not in ("rn", "th") else kw
        if key in ("C", "SP"):
            continue  # keywords without an action in PostgreSQL: they print nothing
        _prepare(d, key)
        if d.roman and (d.decimal or d.zero or d.blank or d.lsign is not None or d.bracket
                        or d.minus or d.plus or d.multi_flag or d.eeee):
            raise _syntax('"RN" is incompatible with other formats',
                          '"RN" may only be used together with "FM".')
        nodes.append((key, kw))
    return nodes, d


def _prepare(d: _NumDesc, key: str) -> None:
    """NUMDesc_prepare."""
    if d.eeee and key != "EEEE":
        raise _syntax('"EEEE" must be the last pattern used')
    if key == "9":
        if d.bracket:
            raise _syntax('"9" must be ahead of "PR"')
        if d.multi_flag:
            d.multi += 1
            return
        if d.decimal:
            d.post += 1
        else:
            d.pre += 1
    elif key == "0":
        if d.bracket:
            raise _syntax('"0" must be ahead of "PR"')
        if not d.zero and not d.decimal:
            d.zero = True
            d.zero_start = d.pre + 1
        if not d.decimal:
            d.pre += 1
        else:
            d.post += 1
        d.zero_end = d.pre + d.post
    elif key == "B":
        if d.pre == 0 and d.post == 0 and not d.zero:
            d.blank = True
    elif key in ("D", "."):
        if d.decimal:
            raise _syntax("multiple decimal points")
        if d.multi_flag:
            raise _syntax('cannot use "V" and decimal point together')
        d.decimal = True
    elif key == "FM":
        d.fillmode = True
    elif key == "S":
        if d.lsign is not None:
            raise _syntax('cannot use "S" twice')
        if d.plus or d.minus or d.bracket:
            raise _syntax('cannot use "S" and "PL"/"MI"/"SG"/"PR" together')
        if not d.decimal:
            d.lsign = "pre"
            d.pre_lsign_num = d.pre
        else:
            d.lsign = "post"
    elif key == "MI":
        if d.lsign is not None:
            raise _syntax('cannot use "S" and "MI" together')
        d.minus = True
        if d.decimal:
            d.minus_post = True
    elif key == "PL":
        if d.lsign is not None:
            raise _syntax('cannot use "S" and "PL" together')
        d.plus = True
        if d.decimal:
            d.plus_post = True
    elif key == "SG":
        if d.lsign is not None:
            raise _syntax('cannot use "S" and "SG" together')
        d.minus = d.plus = True
    elif key == "PR":
        if d.lsign is not None or d.plus or d.minus:
            raise _syntax('cannot use "PR" and "S"/"PL"/"MI"/"SG" together')
        d.bracket = True
    elif key in ("RN", "rn"):
        if d.roman:
            raise _syntax('cannot use "RN" twice')
        d.roman = True
    elif key == "V":
        if d.decimal:
            raise _syntax('cannot use "V" and decimal point together')
        d.multi_flag = True
    elif key == "EEEE":
        if d.eeee:
            raise _syntax('cannot use "EEEE" twice')
        if d.blank or d.fillmode or d.lsign is not None or d.bracket or d.minus or \
                d.plus or d.roman or d.multi_flag:
            raise _syntax('"EEEE" is incompatible with other formats',
                          '"EEEE" may only be used together with digit and decimal point '
                          "patterns.")
        d.eeee = True


def _get_th(num: str, upper: bool) -> str:
    last = num[-1:]
    if not last.isdigit():
        raise PgError("22P02", f'"{num}" is not a number')
    if len(num) > 1 and num[-2] == "1":
        last = "0"
    s = {"1": "st", "2": "nd", "3": "rd"}.get(last, "th")
    return s.upper() if upper else s


def _num_processor(nodes: list[tuple[str, str]], d: _NumDesc, number: str,
                   out_pre_spaces: int, sign: str) -> str:
    """NUM_processor for to_char: ``number`` is the digit string (no sign)."""
    if d.zero_start:
        d.zero_start -= 1
    if d.eeee:
        return number
    if d.roman:
        fill = d.fillmode
        d.__init__()  # type: ignore[misc]
        d.fillmode = fill
        d.roman = True
        out_pre_spaces = 0
        sign = ""
    if d.plus or d.minus:
        sign_wrote = not (d.plus and not d.minus)
    else:
        if sign != "-":
            if d.bracket and d.fillmode:
                d.bracket = False
        elif sign != "+" and d.plus:
            d.plus = False
        sign_wrote = sign == "+" and d.fillmode and d.lsign is None
        if d.lsign == "pre" and d.pre == d.pre_lsign_num:
            d.lsign = "post"
    num_count = d.post + d.pre - 1
    last_relevant: int | None = None
    if d.fillmode and d.decimal:
        p = number.find(".")
        if p >= 0:
            last_relevant = p
            for k in range(p + 1, len(number)):
                if number[k] != "0":
                    last_relevant = k
            if d.zero_end > out_pre_spaces:
                last_zero = d.zero_end - out_pre_spaces
                if last_relevant < last_zero:
                    last_relevant = last_zero
    if not sign_wrote and out_pre_spaces == 0:
        num_count += 1
    out: list[str] = []
    st = {"num_in": False, "num_curr": 0, "number_p": 0, "sign_wrote": sign_wrote}
    nlen = len(number)

    def ch(k: int) -> str:
        return number[k] if 0 <= k < nlen else ""

    def predec_space() -> bool:
        return (not d.zero and st["number_p"] == 0 and number[:1] == "0" and d.post != 0)

    def numpart(key: str) -> None:
        st["num_in"] = False
        if (not st["sign_wrote"] and
                (st["num_curr"] >= out_pre_spaces or (d.zero and d.zero_start == st["num_curr"]))
                and (not predec_space() or (last_relevant is not None and
                                            ch(last_relevant) == "."))):
            if d.lsign is not None:
                if d.lsign == "pre":
                    out.append("-" if sign == "-" else "+")
                    st["sign_wrote"] = True
            elif d.bracket:
                out.append(" " if sign == "+" else "<")
                st["sign_wrote"] = True
            elif sign == "+":
                if not d.fillmode:
                    out.append(" ")
                st["sign_wrote"] = True
            elif sign == "-":
                out.append("-")
                st["sign_wrote"] = True
        cur = st["num_curr"]
        if cur < out_pre_spaces and (d.zero_start > cur or not d.zero):
            if not d.fillmode:
                out.append(" ")
        elif d.zero and cur < out_pre_spaces and d.zero_start <= cur:
            out.append("0")
            st["num_in"] = True
        else:
            np_ = st["number_p"]
            if ch(np_) == ".":
                if last_relevant is None or ch(last_relevant) != ".":
                    out.append(".")
                elif d.fillmode and ch(last_relevant) == ".":
                    out.append(".")
            else:
                if last_relevant is not None and np_ > last_relevant and key != "0":
                    pass
                elif predec_space():
                    if not d.fillmode:
                        out.append(" ")
                    elif last_relevant is not None and ch(last_relevant) == ".":
                        out.append("0")
                else:
                    # at the end of the digit string C writes the terminating NUL,
                    # which cuts the output there (kept for identical results)
                    out.append(ch(np_) if np_ < nlen else "\x00")
                    st["num_in"] = True
            if np_ < nlen:
                st["number_p"] = np_ + 1
        end = num_count + (1 if out_pre_spaces else 0) + (1 if d.decimal else 0)
        if last_relevant is not None and last_relevant == st["number_p"]:
            end = st["num_curr"]
        if st["num_curr"] + 1 == end:
            if st["sign_wrote"] and d.bracket:
                out.append(" " if sign == "+" else ">")
            elif d.lsign == "post":
                out.append("-" if sign == "-" else "+")
        st["num_curr"] += 1

    for key, text in nodes:
        if key == "CHAR":
            out.append(text)
        elif key in ("9", "0", ".", "D"):
            numpart(key)
        elif key == ",":
            if not st["num_in"]:
                if d.fillmode:
                    continue
                out.append(" ")
            else:
                out.append(",")
        elif key == "G":
            if not st["num_in"]:
                if d.fillmode:
                    continue
                out.append(" ")
            else:
                out.append(",")
        elif key == "L":
            out.append(" ")
        elif key in ("RN", "rn"):
            r = number[st["number_p"]:]
            r = r if key == "RN" else r.lower()
            out.append(r if d.fillmode else r.rjust(15))
        elif key in ("TH", "th"):
            if d.roman or number[:1] == "#" or sign == "-" or d.decimal:
                continue
            out.append(_get_th(number, key == "TH"))
        elif key == "MI":
            if sign == "-":
                out.append("-")
            elif not d.fillmode:
                out.append(" ")
        elif key == "PL":
            if sign == "+":
                out.append("+")
            elif not d.fillmode:
                out.append(" ")
        elif key == "SG":
            out.append(sign)
    return "".join(out).split("\x00", 1)[0]


def _roman(n: int) -> str:
    if n < 1 or n > 3999:
        return "#" * 15
    vals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def _finish(nodes: list[tuple[str, str]], d: _NumDesc, orgnum: str) -> str:
    """The common tail of numeric/int/float_to_char: padding and '#' overflow."""
    if orgnum.startswith("-"):
        sign, numstr = "-", orgnum[1:]
    else:
        sign, numstr = "+", orgnum
    p = numstr.find(".")
    pre_len = p if p >= 0 else len(numstr)
    out_pre_spaces = 0
    if pre_len < d.pre:
        out_pre_spaces = d.pre - pre_len
    elif pre_len > d.pre:
        numstr = "#" * d.pre + "." + "#" * d.post
    return _num_processor(nodes, d, numstr, out_pre_spaces, sign)


def _sci(value: Decimal, post: int) -> str:
    """numeric_out_sci: d.ddde+XX with ``post`` fraction digits."""
    if value.is_nan():
        return "NaN"
    if value.is_infinite():
        return "Infinity" if value > 0 else "-Infinity"
    if not value:
        return ("0." + "0" * post if post else "0") + "e+00"
    exp = value.adjusted()
    m = value.scaleb(-exp, NCTX).quantize(Decimal(1).scaleb(-post), rounding=ROUND_HALF_UP,
                                          context=NCTX)
    if abs(m) >= 10:
        exp += 1
        m = value.scaleb(-exp, NCTX).quantize(Decimal(1).scaleb(-post), rounding=ROUND_HALF_UP,
                                              context=NCTX)
    return f"{format(m, 'f')}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _eeee_fill(d: _NumDesc) -> str:
    s = list("#" * (d.pre + d.post + 6))
    s[0] = " "
    s[d.pre + 1] = "."
    return "".join(s)


def numeric_to_char(value: Decimal, fmt: str) -> str | None:
    if not fmt:
        return None
    nodes, d = _parse_num_format(fmt)
    if d.roman:
        from tuskdb.types.numeric import numeric_int4, numeric_round
        try:
            iv = numeric_int4(numeric_round(value, 0))
        except PgError:
            iv = 2147483647      # numeric_int4_safe failed: int_to_roman prints #s
        numstr = _roman(iv)
        return _num_processor(nodes, d, numstr, 0, "+")
    if d.eeee:
        orgnum = _sci(value, d.post)
        if orgnum in ("NaN", "Infinity", "-Infinity"):
            return _eeee_fill(d)
        return orgnum if orgnum.startswith("-") else " " + orgnum
    val = value
    if d.multi_flag:
        val = NCTX.multiply(value, Decimal(10) ** d.multi)
        d.pre += d.multi
    from tuskdb.types.numeric import numeric_out, numeric_round
    orgnum = numeric_out(numeric_round(val, d.post))
    return _finish(nodes, d, orgnum)


def int_to_char(value: int, fmt: str) -> str | None:
    if not fmt:
        return None
    nodes, d = _parse_num_format(fmt)
    if d.roman:
        return _num_processor(nodes, d, _roman(value), 0, "+")
    if d.eeee:
        s = "%+.*e" % (d.post, float(value))
        return " " + s[1:] if s[0] == "+" else s
    if d.multi_flag:
        value = value * int(10 ** d.multi)
        d.pre += d.multi
    orgnum = str(value)
    neg = orgnum.startswith("-")
    digits = orgnum.lstrip("-")
    if d.post:
        digits = digits + "." + "0" * d.post
    return _finish(nodes, d, ("-" if neg else "") + digits)


def _float_to_char(value: float, fmt: str, dig: int) -> str | None:
    if not fmt:
        return None
    nodes, d = _parse_num_format(fmt)
    if d.roman:
        numstr = "#" * 15 if math.isnan(value) or math.isinf(value) else \
            _roman(int(round(value)))
        return _num_processor(nodes, d, numstr, 0, "+")
    if d.eeee:
        if math.isnan(value) or math.isinf(value):
            return _eeee_fill(d)
        s = "%+.*e" % (d.post, value)
        return " " + s[1:] if s[0] == "+" else s
    val = value
    if d.multi_flag:
        val = value * 10.0 ** d.multi
        d.pre += d.multi
    if math.isnan(val):
        return _finish(nodes, d, "NaN")
    # PostgreSQL's snprintf prints "Infinity", whose length limits the post digits
    pre_len = 8 if math.isinf(val) else len("%.0f" % abs(val))
    if math.isinf(val):
        d.post = 0 if pre_len >= dig else min(d.post, dig - pre_len)
        return _finish(nodes, d, "-Infinity" if val < 0 else "Infinity")
    post = d.post
    if pre_len >= dig:
        post = 0
    elif pre_len + post > dig:
        post = dig - pre_len
    d.post = post
    return _finish(nodes, d, "%.*f" % (post, val))


def float8_to_char(value: float, fmt: str) -> str | None:
    return _float_to_char(value, fmt, 15)


def float4_to_char(value: float, fmt: str) -> str | None:
    return _float_to_char(value, fmt, 6)


IMPLS: dict[str, Callable[..., Any]] = {
    "timestamp_to_char": timestamp_to_char, "interval_to_char": interval_to_char,
    "numeric_to_char": numeric_to_char, "int4_to_char": int_to_char,
    "int8_to_char": int_to_char, "float8_to_char": float8_to_char,
    "float4_to_char": float4_to_char,
}
CTX_IMPLS: dict[str, Callable[..., Any]] = {"timestamptz_to_char": timestamptz_to_char}

_unused = (j2date,)
