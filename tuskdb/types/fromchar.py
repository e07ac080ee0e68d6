"""to_timestamp(text, text), to_date(text, text) and to_number(text, text)
(to_number's number templates are read in numformat.py).

Template rules as in PostgreSQL 12+ (without FX): leading blanks of the input
are skipped, a separator in the template matches one separator in the input
or nothing, a numeric field followed by a separator reads all its digits,
otherwise exactly its width; text after the last field is ignored.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types.dtcore import (
    DAY_NAMES, MONTH_NAMES, POSTGRES_EPOCH_JDATE, USECS_PER_SEC, date2j, days_in_month,
    fields2timestamp, is_valid_julian, j2date, local_to_utc,
)

_KEYS = sorted("""A.D. A.M. AD AM B.C. BC CC DAY DDD DD DY Day Dy D FF1 FF2 FF3 FF4 FF5 FF6 FX
HH24 HH12 HH IDDD ID IW IYYY IYY IY I J MI MM MONTH MON MS Month Mon OF P.M. PM Q RM SSSSS SSSS
SS TZH TZM TZ US WW W Y,YYY YYYY YYY YY Y""".split(), key=len, reverse=True)
_KEY_RE = re.compile("|".join(re.escape(k) for k in _KEYS), re.I)
_WIDTH = {"YYYY": 4, "YYY": 3, "YY": 2, "Y": 1, "IYYY": 4, "IYY": 3, "IY": 2, "I": 1,
          "MM": 2, "DD": 2, "DDD": 3, "IDDD": 3, "D": 1, "ID": 1, "HH": 2, "HH12": 2,
          "HH24": 2, "MI": 2, "SS": 2, "MS": 3, "US": 6, "FF1": 1, "FF2": 2, "FF3": 3,
          "FF4": 4, "FF5": 5, "FF6": 6, "SSSS": 5, "SSSSS": 5, "CC": 2, "WW": 2, "W": 1,
          "IW": 2, "Q": 1, "J": 7, "TZM": 2}


def _is_sep(c: str) -> bool:
    return not c.isalnum()


class _Tm:
    def __init__(self) -> None:
        self.year: int | None = None
        self.year_digits = 4
        self.bc = False
        self.cc: int | None = None
        self.mon: int | None = None
        self.mday: int | None = None
        self.yday: int | None = None
        self.hour = 0
        self.hour12 = False
        self.pm: bool | None = None
        self.min = 0
        self.sec = 0
        self.us = 0
        self.j: int | None = None
        self.tzh: int | None = None
        self.tzm = 0
        self.tz_abbrev: str | None = None   # an alphabetic TZ, resolved by to_timestamp
        self.session_tz: Any = None
        self.ssss: int | None = None


def _parse(text: str, fmt: str, session_tz: Any = None) -> _Tm:
    tm = _Tm()
    tm.session_tz = session_tz
    s = text
    i = 0  # position in s
    n = len(s)
    nodes: list[tuple[str, str]] = []
    k = 0
    while k < len(fmt):
        if fmt.startswith(("FM", "fm"), k):
            k += 2
            continue
        if fmt[k] == '"':
            j = fmt.find('"', k + 1)
            j = len(fmt) if j < 0 else j
            nodes.append(("LIT", fmt[k + 1:j]))
            k = j + 1
            continue
        m = _KEY_RE.match(fmt, k)
        if m:
            key = m.group(0)
            up = key.upper()
            k = m.end()
            if fmt[k:k + 2].upper() == "TH":
                k += 2
                nodes.append(("KEY", up))
                nodes.append(("TH", ""))
                continue
            nodes.append(("KEY", up))
            continue
        nodes.append(("SEP" if _is_sep(fmt[k]) else "CHAR", fmt[k]))
        k += 1
    while i < n and s[i].isspace():
        i += 1
    for idx, (kind, val) in enumerate(nodes):
        if kind == "LIT":
            i = min(n, i + len(val))
            continue
        if kind in ("SEP", "CHAR"):
            if kind == "SEP":
                if val == " ":
                    start = i
                    while i < n and s[i].isspace():
                        i += 1
                    if i == start and i < n and _is_sep(s[i]):
                        i += 1
                elif i < n and _is_sep(s[i]) and not s[i].isspace():
                    i += 1
                elif i < n and s[i].isspace():
                    while i < n and s[i].isspace():
                        i += 1
                    if i < n and _is_sep(s[i]):
                        i += 1
            elif i < n:
                i += 1
            continue
        if kind == "TH":
            if i < n and s[i:i + 2].isalpha():
                i += 2
            continue
        while i < n and s[i].isspace():
            i += 1
        if val in ("FX",):
            continue
        nxt = nodes[idx + 1] if idx + 1 < len(nodes) else None
        i = _field(tm, val, s, i, text, nxt)
    return tm


def _read_int(val: str, s: str, i: int, text: str, nxt: Any) -> tuple[int, int]:
    width = _WIDTH.get(val, 2)
    followed_by_sep = nxt is None or nxt[0] in ("SEP", "LIT", "TH") or (
        nxt[0] == "KEY" and nxt[1] in ("AM", "PM", "A.M.", "P.M.", "BC", "AD", "B.C.", "A.D.",
                                        "MON", "MONTH", "DY", "DAY", "TZ"))
    j = i
    if j < len(s) and s[j] in "+-" and val in ("YYYY", "J", "TZH", "Y,YYY"):
        j += 1
    if followed_by_sep:
        while j < len(s) and (s[j].isdigit() or (val == "Y,YYY" and s[j] == ",")):
            j += 1
    else:
        while j < len(s) and j - i < width and s[j].isdigit():
            j += 1
    raw = s[i:j].replace(",", "")
    if not raw or raw in "+-":
        if i >= len(s):
            raise PgError("22007", f'source string too short for "{val}" formatting field',
                          detail=f"Field requires {width} characters, but only 0 remain.",
                          hint='If your source string is not fixed-width, try using the '
                               '"FM" modifier.')
        bad = s[i:i + width]
        raise PgError("22007", f'invalid value "{bad}" for "{val}"',
                      detail="Value must be an integer.")
    return int(raw), j


def _match_name(names: tuple[str, ...], s: str, i: int, val: str, abbrev: bool) -> tuple[int, int]:
    rest = s[i:].lower()
    for idx, name in enumerate(names):
        cand = name[:3] if abbrev else name
        if rest.startswith(cand.lower()):
            return idx, i + len(cand)
    bad = s[i:i + (3 if abbrev else 9)]
    raise PgError("22007", f'invalid value "{bad}" for "{val}"',
                  detail="The given value did not match any of the allowed values for this "
                         "field.")


def _field(tm: _Tm, val: str, s: str, i: int, text: str, nxt: Any) -> int:
    if val in ("AM", "PM", "A.M.", "P.M."):
        word = s[i:i + len(val)].upper()
        if word in ("AM", "PM", "A.M.", "P.M."):
            tm.pm = word.startswith("P")
            return i + len(val)
        raise PgError("22007", f'invalid value "{s[i:i + len(val)]}" for "{val}"',
                      detail="The given value did not match any of the allowed values for "
                             "this field.")
    if val in ("BC", "AD", "B.C.", "A.D."):
        word = s[i:i + len(val)].upper()
        tm.bc = word.startswith("B")
        return i + len(val)
    if val in ("MONTH", "MON"):
        m, j = _match_name(MONTH_NAMES, s, i, val, val == "MON")
        if val == "MONTH" and j == i + len(MONTH_NAMES[m]):
            pass
        tm.mon = m + 1
        return j
    if val in ("DAY", "DY"):
        _, j = _match_name(DAY_NAMES, s, i, val, val == "DY")
        return j
    if val == "RM":
        for idx, r in sorted(enumerate(("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
                                        "X", "XI", "XII")), key=lambda x: -len(x[1])):
            if s[i:i + len(r)].upper() == r:
                tm.mon = idx + 1
                return i + len(r)
        raise PgError("22007", f'invalid value "{s[i:i + 4]}" for "RM"',
                      detail="The given value did not match any of the allowed values for "
                             "this field.")
    if val == "TZ" or val == "OF":
        m = re.compile(r"[A-Za-z]+|[+-]\d\d?(?::?\d\d)?").match(s, i)
        if not m:
            raise PgError("22007", f'invalid value "{s[i:i + 3]}" for "{val}"')
        tok = m.group(0)
        if tok[0] in "+-":
            sign = -1 if tok[0] == "-" else 1
            digits = tok[1:].replace(":", "")
            tm.tzh = sign * int(digits[:2] if len(digits) > 2 else digits)
            tm.tzm = int(digits[2:]) if len(digits) > 2 else 0
            if sign < 0:
                tm.tzm = -tm.tzm
        else:
            # DecodeTimezoneAbbrevPrefix: the longest known abbreviation at this point
            name = _abbrev_prefix(s, i, tm.session_tz)
            if name is None:
                raise PgError("22007", f'invalid value "{tok}" for "{val}"',
                              detail="Time zone abbreviation is not recognized.")
            tm.tz_abbrev = name
            tm.tzh = None
            return i + len(name)
        return m.end()
    v, j = _read_int(val, s, i, text, nxt)
    if val in ("YYYY", "Y,YYY", "IYYY"):
        tm.year = v
        tm.year_digits = max(j - i, 4)
    elif val in ("YYY", "IYY"):
        tm.year = v
        tm.year_digits = 3
    elif val in ("YY", "IY"):
        tm.year = v
        tm.year_digits = 2
    elif val in ("Y", "I"):
        tm.year = v
        tm.year_digits = 1
    elif val == "CC":
        tm.cc = v
    elif val == "MM":
        tm.mon = v
    elif val == "DD":
        tm.mday = v
    elif val in ("DDD", "IDDD"):
        tm.yday = v
    elif val in ("HH", "HH12"):
        if not 1 <= v <= 12:
            raise PgError("22007", f'hour "{v}" is invalid for the 12-hour clock',
                          hint="Use the 24-hour clock, or give an hour between 1 and 12.")
        tm.hour = v
        tm.hour12 = True
    elif val == "HH24":
        tm.hour = v
    elif val == "MI":
        tm.min = v
    elif val == "SS":
        tm.sec = v
    elif val == "MS":
        tm.us = v * 10 ** (3 - (j - i)) * 1000 if j - i <= 3 else v * 1000
    elif val in ("US", "FF1", "FF2", "FF3", "FF4", "FF5", "FF6"):
        tm.us = v * 10 ** (6 - (j - i))
    elif val in ("SSSS", "SSSSS"):
        tm.ssss = v
    elif val == "J":
        tm.j = v
    elif val == "TZH":
        tm.tzh = v
    elif val == "TZM":
        tm.tzm = v
    return j


def _adjust_year(tm: _Tm) -> int:
    y = tm.year
    if y is None:
        if tm.cc is not None:
            y = (tm.cc - 1) * 100 + 1 if tm.cc > 0 else tm.cc * 100
        else:
            return 0 if not tm.bc else 0
    else:
        if tm.year_digits == 2 and tm.cc is None:
            y = y + 2000 if y < 70 else y + 1900
        elif tm.year_digits == 3 and tm.cc is None:
            y = y + 2000 if y < 100 else y + 1000
        elif tm.year_digits == 1 and tm.cc is None:
            y += 2000
        elif tm.cc is not None and tm.year_digits <= 2:
            y = (tm.cc - 1) * 100 + y
    if tm.bc:               # do_to_timestamp: BC negates, then our BC representation
        y = -y
    if y < 0:
        y += 1
    return y


def _abbrev_prefix(s: str, i: int, session_tz: Any) -> str | None:
    from tuskdb.types.tzabbrevs import DYN_ABBREVS, TZ_ABBREVS, zone_data
    names = set(TZ_ABBREVS) | set(DYN_ABBREVS)
    zd = zone_data(session_tz) if session_tz is not None else None
    if zd is not None:
        names |= {a.lower() for _, _, a in zd.ttis if a.isalpha()}
    low = s[i:i + 10].lower()
    for n in range(len(low), 0, -1):
        if low[:n] in names:
            return s[i:i + n]
    return None


def _abbrev_utc(name: str, local: int, session_tz: Any) -> int:
    """The UTC instant of local time with the abbreviation (session zone first)."""
    from tuskdb.types.dtparse import decode_tz_abbrev
    r = decode_tz_abbrev(name.lower(), session_tz)
    if r is None:
        raise PgError("22007", f'invalid value "{name}" for "TZ"',
                      detail="Time zone abbreviation is not recognized.")
    if r[0] == "fixed":
        return local - r[1] * USECS_PER_SEC
    from tuskdb.types.datetime import _dyn_abbrev_utc
    return _dyn_abbrev_utc((name.lower(), r[1]), local)


def _to_fields(text: str, fmt: str, session_tz: Any = None
               ) -> tuple[int, int, int, int, int, int, int, _Tm]:
    return tm_fields(_parse(text, fmt, session_tz), text)


def tm_fields(tm: _Tm, text: str) -> tuple[int, int, int, int, int, int, int, _Tm]:
    """Calendar fields (y, mo, d, h, mi, s, us) of parsed template fields, checked."""
    if tm.j is not None:
        y, mo, d = j2date(tm.j)
    else:
        y = _adjust_year(tm)
        if tm.yday is not None and tm.mon is None and tm.mday is None:
            y2, mo, d = j2date(date2j(y, 1, 1) + tm.yday - 1)
            if y2 != y:
                raise PgError("22008", f'date/time field value out of range: "{text}"')
        else:
            mo = tm.mon if tm.mon is not None else 1
            d = tm.mday if tm.mday is not None else 1
            if not 1 <= mo <= 12 or not 1 <= d <= 31 or (
                    (tm.year is not None or tm.cc is not None) and d > days_in_month(y, mo)):
                raise PgError("22008", f'date/time field value out of range: "{text}"')
    h = tm.hour
    if tm.hour12 or tm.pm is not None:
        if tm.pm and h < 12:
            h += 12
        elif tm.pm is False and h == 12:
            h = 0
    mi, sec = tm.min, tm.sec
    if tm.ssss is not None:
        h, rem = divmod(tm.ssss, 3600)
        mi, sec = divmod(rem, 60)
    if h > 24 or mi > 59 or sec > 60 or (h == 24 and (mi or sec or tm.us)):
        raise PgError("22008", f'date/time field value out of range: "{text}"')
    return y, mo, d, h, mi, sec, tm.us, tm


def to_timestamp(ctx: Any, text: str, fmt: str) -> int:
    from tuskdb.types.datetime import _tz
    y, mo, d, h, mi, sec, us, tm = _to_fields(text, fmt, _tz(ctx))
    if not is_valid_julian(y, mo, d):
        raise PgError("22008", "timestamp out of range")
    local = fields2timestamp(y, mo, d, h, mi, sec, us)
    if tm.tz_abbrev is not None:
        return _abbrev_utc(tm.tz_abbrev, local, _tz(ctx))
    if tm.tzh is not None:
        off = tm.tzh * 3600 + (tm.tzm if tm.tzh >= 0 and tm.tzm >= 0 else -abs(tm.tzm)) * 60
        return local - off * USECS_PER_SEC
    return local_to_utc(_tz(ctx), local)


def to_date(text: str, fmt: str) -> int:
    y, mo, d, h, mi, sec, us, tm = _to_fields(text, fmt)
    if not is_valid_julian(y, mo, d):
        raise PgError("22008", f'date out of range: "{text}"')
    return date2j(y, mo, d) - POSTGRES_EPOCH_JDATE




def to_number(text: str, fmt: str) -> Decimal | None:
    from tuskdb.types.numformat import read_number
    return read_number(text, fmt)


IMPLS: dict[str, Callable[..., Any]] = {"to_date": to_date, "numeric_to_number": to_number}
CTX_IMPLS: dict[str, Callable[..., Any]] = {"to_timestamp": to_timestamp}
