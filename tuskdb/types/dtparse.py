"""Date/time text input: a port of PostgreSQL's ParseDateTime / DecodeDateTime /
DecodeInterval (src/backend/utils/adt/datetime.c).

    parse_datetime(text, kind, ctx)      -> DtResult (fields, tz, special)
    parse_interval(text, range, ctx)     -> (months, days, micros) | "infinity" | "-infinity"

Parsing happens in two passes, as in PostgreSQL: ``tokenize`` splits the
string into typed fields (DTK_NUMBER, DTK_STRING, DTK_DATE, DTK_TIME, DTK_TZ,
DTK_SPECIAL); the decoders then assign the fields to year/month/day/... with
the field-mask bookkeeping (``fmask``) that makes the input rules order-free.
Errors are raised with PostgreSQL's messages (22007, 22008, 22009, 22015).
"""

from __future__ import annotations

import re
from typing import Any

from tuskdb.errors import PgError
from tuskdb.types.common import INT4_MAX, INT4_MIN, INT8_MAX, INT8_MIN
from tuskdb.types.dtcore import (MONTHS_PER_YEAR, USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE,
                                 USECS_PER_SEC, days_in_month)

# field types (ftype)
DTK_NUMBER, DTK_STRING, DTK_DATE, DTK_TIME, DTK_TZ, DTK_SPECIAL = range(6)

# field masks (DTK_M)
YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, TZ, DOY, DOW, MILLISECOND, MICROSECOND = (
    1 << i for i in range(11))
WEEK, DECADE, CENTURY, MILLENNIUM, AMPM_M, ADBC_M, JULIAN_M = (1 << i for i in range(11, 18))
DTK_DATE_M = YEAR | MONTH | DAY
DTK_ALL_SECS_M = SECOND | MILLISECOND | MICROSECOND
DTK_TIME_M = HOUR | MINUTE | DTK_ALL_SECS_M

# interval typmod range masks (INTERVAL_MASK)
I_YEAR, I_MONTH, I_DAY, I_HOUR, I_MINUTE, I_SECOND = 1 << 2, 1 << 1, 1 << 3, 1 << 10, \
    1 << 11, 1 << 12
INTERVAL_FULL_RANGE = 0x7FFF


class DtError(Exception):
    """Internal: a DTERR_* code; turned into a PgError by the caller."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


BAD = "bad"
OVERFLOW = "overflow"
MD_OVERFLOW = "md_overflow"
TZDISP = "tzdisp"
BAD_TZ = "bad_tz"
INTERVAL_OVERFLOW = "interval_overflow"


def raise_dterr(code: str, text: str, typname: str, tzname: str = "") -> None:
    if code == OVERFLOW:
        raise PgError("22008", f'date/time field value out of range: "{text}"')
    if code == MD_OVERFLOW:
        raise PgError("22008", f'date/time field value out of range: "{text}"',
                      hint='Perhaps you need a different "DateStyle" setting.')
    if code == INTERVAL_OVERFLOW:
        raise PgError("22015", f'interval field value out of range: "{text}"')
    if code == TZDISP:
        raise PgError("22009", f'time zone displacement out of range: "{text}"')
    if code == BAD_TZ:
        raise PgError("22023", f'time zone "{tzname}" not recognized')
    raise PgError("22007", f'invalid input syntax for type {typname}: "{text}"')


# ---------------------------------------------------------------------------
# keyword tables (datetktbl / deltatktbl)

RESERV, MONTH_T, DOW_T, AMPM, ADBC, UNITS, ISOTIME, IGNORE, TZ_T, AGO = (
    "reserv", "month", "dow", "ampm", "adbc", "units", "isotime", "ignore", "tz", "ago")

DATE_TOKENS: dict[str, tuple[str, Any]] = {
    "epoch": (RESERV, "epoch"), "infinity": (RESERV, "late"), "-infinity": (RESERV, "early"),
    "+infinity": (RESERV, "late"),
    "now": (RESERV, "now"), "today": (RESERV, "today"), "tomorrow": (RESERV, "tomorrow"),
    "yesterday": (RESERV, "yesterday"), "allballs": (RESERV, "zulu"),
    "am": (AMPM, "am"), "pm": (AMPM, "pm"), "ad": (ADBC, "ad"), "bc": (ADBC, "bc"),
    "at": (IGNORE, None), "on": (IGNORE, None), "t": (ISOTIME, None),
    "d": (UNITS, "day"), "h": (UNITS, "hour"), "m": (UNITS, "month"), "mm": (UNITS, "minute"),
    "s": (UNITS, "second"), "y": (UNITS, "year"), "j": (UNITS, "julian"),
    "jd": (UNITS, "julian"), "julian": (UNITS, "julian"),
    "z": (TZ_T, 0), "zulu": (TZ_T, 0),
}
for _i, _n in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                         "nov", "dec"), 1):
    DATE_TOKENS[_n] = (MONTH_T, _i)
for _n, _i in (("january", 1), ("february", 2), ("march", 3), ("april", 4), ("june", 6),
               ("july", 7), ("august", 8), ("september", 9), ("sept", 9), ("october", 10),
               ("november", 11), ("december", 12)):
    DATE_TOKENS[_n] = (MONTH_T, _i)
for _i, _names in enumerate((("sun", "sunday"), ("mon", "monday"),
                             ("tue", "tues", "tuesday"), ("wed", "wednes", "wednesday"),
                             ("thu", "thur", "thurs", "thursday"), ("fri", "friday"),
                             ("sat", "saturday"))):
    for _n in _names:
        DATE_TOKENS[_n] = (DOW_T, _i)

from tuskdb.types.tzabbrevs import DYN_ABBREVS, TZ_ABBREVS  # noqa: E402

DELTA_TOKENS: dict[str, tuple[str, Any]] = {"ago": (AGO, None), "@": (IGNORE, None),
                                            "infinity": (RESERV, "late"),
                                            "+infinity": (RESERV, "late"),
                                            "-infinity": (RESERV, "early")}
for _unit, _names in (
        ("year", "y year years yr yrs"), ("month", "mon mons month months"),
        ("week", "w week weeks"), ("day", "d day days"), ("hour", "h hour hours hr hrs"),
        ("minute", "m min mins minute minutes"), ("second", "s sec secs second seconds"),
        ("millisecond", "ms msec msecs msecond mseconds millisecon millisecond milliseconds"),
        ("microsecond", "us usec usecs usecond useconds microsecon microsecond microseconds"),
        ("decade", "dec decs decade decades"), ("century", "c cent century centuries"),
        ("millennium", "mil mils millennia millennium")):
    for _n in _names.split():
        DELTA_TOKENS[_n] = (UNITS, _unit)


# ---------------------------------------------------------------------------
# tokenizer (ParseDateTime)

def tokenize(s: str) -> list[tuple[str, int]]:
    fields: list[tuple[str, int]] = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c.isspace():
            i += 1
            continue
        start = i
        if c.isdigit() and c.isascii():
            i += 1
            while i < n and s[i].isdigit():
                i += 1
            if i < n and s[i] == ":":
                i += 1
                while i < n and (s[i].isdigit() or s[i] in ":."):
                    i += 1
                fields.append((s[start:i], DTK_TIME))
            elif i < n and s[i] in "-/.":
                delim = s[i]
                i += 1
                if i < n and s[i].isdigit():
                    ft = DTK_NUMBER if delim == "." else DTK_DATE
                    while i < n and s[i].isdigit():
                        i += 1
                    if i < n and s[i] == delim:
                        ft = DTK_DATE
                        i += 1
                        while i < n and (s[i].isdigit() or s[i] == delim):
                            i += 1
                    fields.append((s[start:i], ft))
                else:
                    while i < n and (s[i].isalnum() or s[i] == delim):
                        i += 1
                    fields.append((s[start:i].lower(), DTK_DATE))
            else:
                fields.append((s[start:i], DTK_NUMBER))
        elif c == ".":
            i += 1
            while i < n and s[i].isdigit():
                i += 1
            fields.append((s[start:i], DTK_NUMBER))
        elif c.isalpha():
            i += 1
            while i < n and s[i].isalpha():
                i += 1
            word = s[start:i].lower()
            is_date = False
            if i < n and s[i] in "-/.":
                is_date = True
            elif i < n and (s[i] == "+" or s[i].isdigit()):
                if word not in DATE_TOKENS:
                    is_date = True
            if is_date:
                i += 1
                while i < n and (s[i] in "+-/_.:" or s[i].isalnum()):
                    i += 1
                fields.append((s[start:i].lower(), DTK_DATE))
            else:
                fields.append((word, DTK_STRING))
        elif c in "+-":
            i += 1
            while i < n and s[i].isspace():
                i += 1
            if i < n and s[i].isdigit():
                j = i
                i += 1
                while i < n and (s[i].isdigit() or s[i] in ":.-"):
                    i += 1
                fields.append((c + s[j:i], DTK_TZ))
            elif i < n and s[i].isalpha():
                j = i
                while i < n and s[i].isalpha():
                    i += 1
                fields.append((c + s[j:i].lower(), DTK_SPECIAL))
            else:
                raise DtError(BAD)
        elif c.isascii() and not c.isalnum() and c.isprintable():
            i += 1
        else:
            raise DtError(BAD)
    return fields


# ---------------------------------------------------------------------------
# pieces

def _strtoint(s: str, pos: int = 0) -> tuple[int, int]:
    """C strtol: optional sign then digits; returns (value, end) ; end == pos if none."""
    m = re.compile(r"[+-]?\d+").match(s, pos)
    if not m:
        return 0, pos
    return int(m.group(0)), m.end()


def parse_fractional_second(s: str) -> int:
    """'.123' -> µs (rint), the whole string must be a fraction."""
    if not re.fullmatch(r"\.\d*", s):
        raise DtError(BAD)
    if s == ".":
        return 0
    return int(round(float("0" + s) * 1_000_000))


def decode_timezone(s: str) -> int:
    """'+05', '-0530', '+05:30:15' -> seconds east of UTC."""
    if not s or s[0] not in "+-":
        raise DtError(BAD)
    hr, p = _strtoint(s, 1)
    mn = sec = 0
    if p < len(s) and s[p] == ":":
        # strtoint: no digits give 0 without moving ('+1:' is +1)
        mn, q = _strtoint(s, p + 1)
        p = q if q > p + 1 else p + 1
        if p < len(s) and s[p] == ":":
            sec, q = _strtoint(s, p + 1)
            p = q if q > p + 1 else p + 1
    elif p == len(s) and len(s) > 3:
        mn = hr % 100
        hr //= 100
    if hr < 0 or hr > 15 or mn < 0 or mn >= 60 or sec < 0 or sec >= 60:
        raise DtError(TZDISP)
    if p != len(s):
        raise DtError(BAD)
    tz = (hr * 60 + mn) * 60 + sec
    return -tz if s[0] == "-" else tz


class TmFields:
    __slots__ = ("year", "mon", "mday", "hour", "min", "sec", "fsec", "yday", "tz",
                 "named_tz", "dyn_abbr", "is2digits", "bc", "julian", "mer", "dow")

    def __init__(self) -> None:
        self.year = self.mon = self.mday = 0
        self.hour = self.min = self.sec = self.fsec = 0
        self.yday = 0
        self.tz: int | None = None
        self.named_tz: Any = None
        self.dyn_abbr: tuple[str, Any] | None = None  # (abbreviation, zone): DYNTZ
        self.is2digits = False
        self.bc = False
        self.julian: int | None = None
        self.mer: str | None = None
        self.dow: int | None = None


def decode_time(s: str, fmask: int, rng: int, tm: TmFields) -> int:
    """DecodeTime: 'hh:mm[:ss[.fff]]' (or 'mm:ss.fff'); returns tmask."""
    hour, p = _strtoint(s)
    if p == 0 or p >= len(s) or s[p] != ":":
        raise DtError(BAD)
    mn, q = _strtoint(s, p + 1)
    if q == p + 1:
        raise DtError(BAD)
    sec = fsec = 0
    if q == len(s):
        if rng == (I_MINUTE | I_SECOND):
            sec, mn, hour = mn, hour, 0
    elif s[q] == ".":
        fsec = parse_fractional_second(s[q:])
        sec, mn, hour = mn, hour, 0
    elif s[q] == ":":
        sec, r = _strtoint(s, q + 1)
        if r == q + 1:
            raise DtError(BAD)
        if r == len(s):
            fsec = 0
        elif s[r] == ".":
            fsec = parse_fractional_second(s[r:])
        else:
            raise DtError(BAD)
    else:
        raise DtError(BAD)
    if hour < 0 or mn < 0 or mn > 59 or sec < 0 or sec > 60 or fsec < 0 or fsec > USECS_PER_SEC:
        raise DtError(OVERFLOW)
    tm.hour, tm.min, tm.sec, tm.fsec = hour, mn, sec, fsec
    return DTK_TIME_M


def decode_number_field(s: str, fmask: int, tm: TmFields) -> int:
    """DecodeNumberField: run-together yyyymmdd / hhmmss[.fff]; returns tmask."""
    if not s.split(".", 1)[0].isdigit() or not s[:1].isascii():
        raise DtError(BAD)
    if "." in s:
        cp = s.index(".")
        frac = s[cp:]
        tm.fsec = 0 if frac == "." else int(round(float("0" + frac) * 1_000_000))
        s = s[:cp]
    elif (fmask & DTK_DATE_M) != DTK_DATE_M:
        if len(s) >= 6:
            tm.mday = int(s[-2:])
            tm.mon = int(s[-4:-2])
            tm.year = int(s[:-4])
            if len(s) - 4 == 2:
                tm.is2digits = True
            return DTK_DATE_M
    if (fmask & DTK_TIME_M) != DTK_TIME_M:
        if len(s) == 6:
            tm.sec = int(s[4:6])
            tm.min = int(s[2:4])
            tm.hour = int(s[:2])
            return DTK_TIME_M
        if len(s) == 4:
            tm.sec = 0
            tm.min = int(s[2:4])
            tm.hour = int(s[:2])
            return DTK_TIME_M
    raise DtError(BAD)


def decode_number(s: str, have_text_month: bool, fmask: int, tm: TmFields,
                  date_order: str) -> int:
    """DecodeNumber: one numeric date field, placed by what is already known."""
    val, p = _strtoint(s)
    if p == 0 or s[0] in "+-":
        raise DtError(BAD)
    flen = len(s)
    if p < flen:
        if s[p] == ".":
            if p > 2:
                return decode_number_field(s, fmask | DTK_DATE_M, tm)
            tm.fsec = parse_fractional_second(s[p:])
        else:
            raise DtError(BAD)
    if flen == 3 and (fmask & DTK_DATE_M) == YEAR and 1 <= val <= 366:
        tm.yday = val
        return DOY | MONTH | DAY
    known = fmask & DTK_DATE_M
    if known == 0:
        if flen >= 3 or date_order == "YMD":
            tmask = YEAR
            tm.year = val
        elif date_order == "DMY":
            tmask = DAY
            tm.mday = val
        else:
            tmask = MONTH
            tm.mon = val
    elif known == YEAR:
        tmask = MONTH
        tm.mon = val
    elif known == MONTH:
        if have_text_month:
            if flen >= 3 or date_order == "YMD":
                tmask = YEAR
                tm.year = val
            else:
                tmask = DAY
                tm.mday = val
        else:
            tmask = DAY
            tm.mday = val
    elif known == YEAR | MONTH:
        if have_text_month and flen >= 3 and tm.is2digits:
            tmask = DAY
            tm.mday = tm.year
            tm.year = val
            tm.is2digits = False
        else:
            tmask = DAY
            tm.mday = val
    elif known == DAY:
        tmask = MONTH
        tm.mon = val
    elif known == MONTH | DAY:
        tmask = YEAR
        tm.year = val
    elif known == DTK_DATE_M:
        return decode_number_field(s, fmask, tm)
    else:
        raise DtError(BAD)
    if tmask == YEAR:
        tm.is2digits = flen <= 2
    return tmask


def decode_date(s: str, fmask: int, tm: TmFields, date_order: str) -> int:
    """DecodeDate: a date string with separators, possibly with a textual month."""
    parts = re.findall(r"\d+|[a-zA-Z]+", s)
    if not parts or re.search(r"[^a-zA-Z0-9]$", s):
        raise DtError(BAD)
    tmask = 0
    have_text_month = False
    rest = []
    for p in parts:
        if p[0].isalpha():
            tok = DATE_TOKENS.get(p.lower()[:10])
            if tok is None:
                raise DtError(BAD)
            if tok[0] == IGNORE:
                continue
            if tok[0] != MONTH_T:
                raise DtError(BAD)
            tm.mon = tok[1]
            have_text_month = True
            if fmask & MONTH:
                raise DtError(BAD)
            fmask |= MONTH
            tmask |= MONTH
        else:
            rest.append(p)
    for p in rest:
        dmask = decode_number(p, have_text_month, fmask, tm, date_order)
        if fmask & dmask:
            raise DtError(BAD)
        fmask |= dmask
        tmask |= dmask
    if (fmask & ~(DOY | TZ)) != DTK_DATE_M:
        raise DtError(BAD)
    return tmask


def validate_date(fmask: int, tm: TmFields) -> None:
    if fmask & YEAR:
        if tm.julian is not None:
            pass
        elif tm.bc:
            if tm.year <= 0:
                raise DtError(OVERFLOW)
            tm.year = -(tm.year - 1)
        elif tm.is2digits:
            if tm.year < 0:
                raise DtError(OVERFLOW)
            if tm.year < 70:
                tm.year += 2000
            elif tm.year < 100:
                tm.year += 1900
        elif tm.year <= 0:
            raise DtError(OVERFLOW)
    if fmask & DOY:
        from tuskdb.types.dtcore import date2j, j2date
        tm.year, tm.mon, tm.mday = j2date(date2j(tm.year, 1, 1) + tm.yday - 1)
    if fmask & MONTH and not 1 <= tm.mon <= 12:
        raise DtError(MD_OVERFLOW)
    if fmask & DAY and not 1 <= tm.mday <= 31:
        raise DtError(MD_OVERFLOW)
    if (fmask & DTK_DATE_M) == DTK_DATE_M:
        if tm.mday > days_in_month(tm.year, tm.mon):
            raise DtError(OVERFLOW)


# ---------------------------------------------------------------------------
# DecodeDateTime

class DtResult:
    """Outcome of parsing a date/time string: either ``special`` (epoch, late,
    early, now, today, tomorrow, yesterday) or the fields in ``tm``, with
    ``fmask`` telling which were given."""

    __slots__ = ("tm", "fmask", "special")

    def __init__(self, tm: TmFields, fmask: int, special: str | None) -> None:
        self.tm = tm
        self.fmask = fmask
        self.special = special


def _lookup_named_tz(name: str) -> Any:
    from tuskdb.types.context import parse_timezone
    try:
        return parse_timezone(name)
    except PgError:
        return None


def decode_tz_abbrev(f: str, session_tz: Any) -> tuple[str, Any] | None:
    """DecodeTimezoneAbbrev (PostgreSQL 18): the session TimeZone's own
    abbreviations first ('LMT'), then the Default set.  ('fixed', seconds east)
    or ('dyn', zone)."""
    if session_tz is not None:
        from tuskdb.types.tzabbrevs import abbrev_is_known
        known = abbrev_is_known(f, session_tz)
        if known is not None:
            return ("fixed", known[1]) if known[0] else ("dyn", session_tz)
    off = TZ_ABBREVS.get(f)
    if off is not None:
        return ("fixed", off)
    zone = DYN_ABBREVS.get(f)
    if zone is not None:
        tz = _lookup_named_tz(zone)
        if tz is not None:
            return ("dyn", tz)
    return None


def decode_datetime(text: str, date_order: str, time_only: bool = False,
                    session_tz: Any = None) -> DtResult:
    fields = tokenize(text)
    tm = TmFields()
    fmask = 0
    ptype: str | None = None  # 'time' after "t", 'julian' after "j"
    special: str | None = None
    have_text_month = False
    nf = len(fields)
    for idx, (f, ft) in enumerate(fields):
        tmask = 0
        if ft == DTK_DATE:
            if ptype == "julian":
                val, p = _strtoint(f)
                if p != len(f):
                    raise DtError(BAD)
                tm.julian = val
                from tuskdb.types.dtcore import j2date
                tm.year, tm.mon, tm.mday = j2date(val)
                tmask = DTK_DATE_M
                ptype = None
            elif ptype is not None or (fmask & (MONTH | DAY)) == (MONTH | DAY):
                if f[0].isdigit() or ptype is not None:
                    if ptype is not None:
                        if ptype != "time":
                            raise DtError(BAD)
                        ptype = None
                    if (fmask & DTK_TIME_M) == DTK_TIME_M:
                        raise DtError(BAD)
                    cp = f.find("-")
                    if cp < 0:
                        raise DtError(BAD)
                    tm.tz = decode_timezone(f[cp:])
                    tmask = decode_number_field(f[:cp], fmask, tm) | TZ
                else:
                    tz = _lookup_named_tz(f)
                    if tz is None:
                        raise DtError(BAD_TZ + ":" + f)
                    tm.named_tz = tz
                    tmask = TZ
            else:
                tmask = decode_date(f, fmask, tm, date_order)
                if any(c.isalpha() for c in f):
                    have_text_month = True
        elif ft == DTK_TIME:
            if ptype is not None:
                if ptype != "time":
                    raise DtError(BAD)
                ptype = None
            tmask = decode_time(f, fmask, INTERVAL_FULL_RANGE, tm)
            if tm.hour > 24 or (tm.hour * 3600 + tm.min * 60 + tm.sec) * USECS_PER_SEC \
                    + tm.fsec > USECS_PER_DAY:
                raise DtError(OVERFLOW)
        elif ft == DTK_TZ:
            tm.tz = decode_timezone(f)
            tmask = TZ
        elif ft == DTK_NUMBER:
            if ptype is not None:
                if ptype == "julian":
                    val, p = _strtoint(f)
                    from tuskdb.types.dtcore import j2date
                    tm.julian = val
                    tm.year, tm.mon, tm.mday = j2date(val)
                    tmask = DTK_DATE_M
                    ptype = None
                elif ptype == "time":
                    ptype = None
                    tmask = decode_number_field(f, fmask | DTK_DATE_M, tm)
                    if tmask != DTK_TIME_M:
                        raise DtError(BAD)
                else:
                    raise DtError(BAD)
            elif time_only:
                flen = len(f)
                dot = f.find(".")
                if dot >= 0:
                    if idx == 0 and nf >= 2 and fields[-1][1] == DTK_DATE:
                        tmask = decode_date(f, fmask, tm, date_order)
                    elif dot > 2:
                        tmask = decode_number_field(f, fmask | DTK_DATE_M, tm)
                    else:
                        raise DtError(BAD)
                elif flen > 4:
                    tmask = decode_number_field(f, fmask | DTK_DATE_M, tm)
                else:
                    tmask = decode_number(f, False, fmask | DTK_DATE_M, tm, date_order)
            else:
                flen = len(f)
                dot = f.find(".")
                if dot >= 0 and not fmask & DTK_DATE_M:
                    tmask = decode_date(f, fmask, tm, date_order)
                elif dot >= 0 and dot > 2:
                    tmask = decode_number_field(f, fmask, tm)
                elif flen >= 6 and (not fmask & DTK_DATE_M or not fmask & DTK_TIME_M):
                    tmask = decode_number_field(f, fmask, tm)
                else:
                    tmask = decode_number(f, have_text_month, fmask, tm, date_order)
        elif ft in (DTK_STRING, DTK_SPECIAL):
            ab = decode_tz_abbrev(f, session_tz) if ft == DTK_STRING else None
            tok = DATE_TOKENS.get(f[:10]) if ab is None else None
            if ab is not None:
                if ab[0] == "fixed":
                    tok = (TZ_T, ab[1])
                else:
                    tm.dyn_abbr = (f, ab[1])
                    tok = (TZ_T, None)
            if tok is None:
                tz = _lookup_named_tz(f) if ft == DTK_STRING and len(f) > 2 else None
                if tz is None:
                    raise DtError(BAD)
                tm.named_tz = tz
                tmask = TZ
            else:
                kind, val = tok
                if kind == RESERV:
                    tmask = DTK_DATE_M | DTK_TIME_M | TZ
                    if val == "zulu":
                        tmask = DTK_TIME_M | TZ
                        tm.hour = tm.min = tm.sec = tm.fsec = 0
                        tm.tz = 0
                    else:
                        special = val
                        if val in ("now", "today", "tomorrow", "yesterday", "epoch"):
                            tmask = DTK_DATE_M if val != "now" else DTK_DATE_M | DTK_TIME_M
                            if val == "epoch":
                                tmask = DTK_DATE_M | DTK_TIME_M
                elif kind == MONTH_T:
                    tmask = MONTH
                    # a numeric "month" already seen ('3 jun 86'): it was the day
                    if fmask & MONTH and not have_text_month and not fmask & DAY and \
                            1 <= tm.mon <= 31:
                        tm.mday = tm.mon
                        tmask = DAY
                    tm.mon = val
                    have_text_month = True
                elif kind == DOW_T:
                    tm.dow = val
                    tmask = DOW
                elif kind == AMPM:
                    tm.mer = val
                    tmask = AMPM_M
                elif kind == ADBC:
                    tm.bc = val == "bc"
                    tmask = ADBC_M
                elif kind == TZ_T:
                    tm.tz = val
                    tmask = TZ
                elif kind == IGNORE:
                    tmask = 0
                elif kind == ISOTIME:
                    if idx >= nf - 1 or fields[idx + 1][1] not in (DTK_NUMBER, DTK_TIME,
                                                                   DTK_DATE):
                        raise DtError(BAD)
                    ptype = "time"
                    tmask = 0
                elif kind == UNITS:
                    if val == "julian":
                        ptype = "julian"
                        tmask = 0
                    else:
                        raise DtError(BAD)
                else:
                    raise DtError(BAD)
        else:
            raise DtError(BAD)
        if tmask & fmask:
            raise DtError(BAD)
        fmask |= tmask
    if ptype is not None:
        raise DtError(BAD)
    if tm.mer is not None:
        if tm.hour > 12:
            raise DtError(OVERFLOW)
        if tm.mer == "am" and tm.hour == 12:
            tm.hour = 0
        elif tm.mer == "pm" and tm.hour != 12:
            tm.hour += 12
    if time_only and special is None:
        if (tm.hour < 0 or tm.min < 0 or tm.min > 59 or tm.sec < 0 or tm.sec > 60 or
                tm.hour > 24 or (tm.hour == 24 and (tm.min > 0 or tm.sec > 0 or tm.fsec > 0))
                or tm.fsec < 0 or tm.fsec > USECS_PER_SEC):
            raise DtError(OVERFLOW)
    if special is None:
        validate_date(fmask, tm)
        if not time_only and (fmask & DTK_DATE_M) != DTK_DATE_M:
            raise DtError(BAD)
    return DtResult(tm, fmask, special)


# ---------------------------------------------------------------------------
# DecodeInterval

def _trunc(x: float) -> int:
    return int(x)


class _Itm:
    __slots__ = ("years", "months", "days", "usec")

    def __init__(self) -> None:
        self.years = self.months = self.days = self.usec = 0


def _adj_fract_usec(itm: _Itm, frac: float, scale: int) -> None:
    if frac == 0:
        return
    frac *= scale
    usec = _trunc(frac)
    frac -= usec
    itm.usec += usec + int(round(frac))


def _adj_fract_days(itm: _Itm, frac: float, scale: int) -> None:
    if frac == 0:
        return
    frac *= scale
    extra = _trunc(frac)
    itm.days += extra
    _adj_fract_usec(itm, frac - extra, USECS_PER_DAY)


def _decode_time_for_interval(s: str, rng: int) -> int:
    tm = TmFields()
    decode_time(s, 0, rng, tm)
    if tm.sec > 59 and False:
        raise DtError(OVERFLOW)
    return ((tm.hour * 60 + tm.min) * 60 + tm.sec) * USECS_PER_SEC + tm.fsec


_RANGE_UNIT = {
    I_YEAR: "year", I_MONTH: "month", I_YEAR | I_MONTH: "month", I_DAY: "day",
    I_HOUR: "hour", I_DAY | I_HOUR: "hour", I_MINUTE: "minute", I_HOUR | I_MINUTE: "minute",
    I_DAY | I_HOUR | I_MINUTE: "minute",
}
_UNIT_MASK = {"microsecond": MICROSECOND, "millisecond": MILLISECOND, "second": SECOND,
              "minute": MINUTE, "hour": HOUR, "day": DAY, "week": WEEK, "month": MONTH,
              "year": YEAR, "decade": DECADE, "century": CENTURY, "millennium": MILLENNIUM}
_NUM_RE = re.compile(r"[+-]?\d*")


def decode_interval(text: str, rng: int, sql_standard: bool
                    ) -> tuple[int, int, int] | str:
    fields = tokenize(text)
    nf = len(fields)
    itm = _Itm()
    fmask = 0
    unit: str | None = None
    parsing_unit = False
    is_before = False
    force_negative = False
    if sql_standard and nf > 0 and fields[0][0][0] == "-":
        force_negative = all(f[0][0] not in "+-" for f in fields[1:])
    for i in range(nf - 1, -1, -1):
        f, ft = fields[i]
        tmask = 0
        if ft == DTK_TZ and ":" in f[1:]:
            try:
                us = _decode_time_for_interval(f[1:], rng)
            except DtError:
                us = None
            if us is not None:
                itm.usec += -us if f[0] == "-" else us
                if force_negative and itm.usec > 0:
                    itm.usec = -itm.usec
                unit = "day"
                parsing_unit = False
                tmask = DTK_TIME_M
                if tmask & fmask:
                    raise DtError(BAD)
                fmask |= tmask
                continue
        if ft == DTK_TIME:
            us = _decode_time_for_interval(f, rng)
            itm.usec += us
            if force_negative and itm.usec > 0:
                itm.usec = -itm.usec
            unit = "day"
            parsing_unit = False
            tmask = DTK_TIME_M
        elif ft in (DTK_TZ, DTK_DATE, DTK_NUMBER):
            if unit is None:
                unit = _RANGE_UNIT.get(rng, "second")
            m = _NUM_RE.match(f)
            numtxt = m.group(0) if m else ""
            if numtxt in ("", "+", "-"):
                if not (numtxt + f[len(numtxt):]).startswith((".", "+.", "-.")):
                    raise DtError(BAD)
                val = 0
            else:
                val = int(numtxt)
            rest = f[len(numtxt):]
            fval = 0.0
            if rest.startswith("-"):
                m2 = re.fullmatch(r"-(\d+)", rest)
                if not m2:
                    raise DtError(BAD)
                val2 = int(m2.group(1))
                if val2 >= MONTHS_PER_YEAR:
                    raise DtError(OVERFLOW)
                unit = "month"
                if f[0] == "-":
                    val2 = -val2
                val = val * MONTHS_PER_YEAR + val2
            elif rest.startswith("."):
                if not re.fullmatch(r"\.\d*", rest):
                    raise DtError(BAD)
                fval = float("0" + rest) if rest != "." else 0.0
                if f[0] == "-":
                    fval = -fval
            elif rest:
                raise DtError(BAD)
            if force_negative:
                val = -abs(val)
                fval = -abs(fval)
            if unit == "microsecond":
                itm.usec += val
                _adj_fract_usec(itm, fval, 1)
            elif unit == "millisecond":
                itm.usec += val * 1000
                _adj_fract_usec(itm, fval, 1000)
            elif unit == "second":
                itm.usec += val * USECS_PER_SEC
                _adj_fract_usec(itm, fval, USECS_PER_SEC)
            elif unit == "minute":
                itm.usec += val * 60 * USECS_PER_SEC
                _adj_fract_usec(itm, fval, 60 * USECS_PER_SEC)
            elif unit == "hour":
                itm.usec += val * 3600 * USECS_PER_SEC
                _adj_fract_usec(itm, fval, 3600 * USECS_PER_SEC)
            elif unit == "day":
                itm.days += val
                _adj_fract_usec(itm, fval, USECS_PER_DAY)
            elif unit == "week":
                itm.days += val * 7
                _adj_fract_days(itm, fval, 7)
            elif unit == "month":
                itm.months += val
                _adj_fract_days(itm, fval, 30)
            elif unit in ("year", "decade", "century", "millennium"):
                scale = {"year": 1, "decade": 10, "century": 100, "millennium": 1000}[unit]
                itm.years += val * scale
                itm.months += int(round(fval * scale * MONTHS_PER_YEAR))
            else:
                raise DtError(BAD)
            if unit == "second":
                tmask = SECOND if fval == 0 else DTK_ALL_SECS_M
            else:
                tmask = _UNIT_MASK[unit]
            if unit == "hour":
                unit = "day"
            parsing_unit = False
        elif ft in (DTK_STRING, DTK_SPECIAL):
            if parsing_unit:
                raise DtError(BAD)
            tok = DELTA_TOKENS.get(f[:10]) or DATE_TOKENS.get(f[:10])
            if tok is None:
                raise DtError(BAD)
            kind, val_ = tok
            if kind == IGNORE:
                continue
            if kind == UNITS:
                if val_ not in _UNIT_MASK:
                    raise DtError(BAD)
                unit = val_
                parsing_unit = True
            elif kind == AGO:
                if i != nf - 1:
                    raise DtError(BAD)
                is_before = True
            elif kind == RESERV and val_ in ("late", "early"):
                if nf != 1:
                    raise DtError(BAD)
                return "infinity" if val_ == "late" else "-infinity"
            else:
                raise DtError(BAD)
        else:
            raise DtError(BAD)
        _check_itm(itm)
        if tmask & fmask:
            raise DtError(BAD)
        fmask |= tmask
    if fmask == 0 or parsing_unit:
        raise DtError(BAD)
    if is_before:
        if INT4_MIN in (itm.years, itm.months, itm.days) or itm.usec == INT8_MIN:
            raise DtError(OVERFLOW)
        return -itm.years, -itm.months, -itm.days, -itm.usec
    return itm.years, itm.months, itm.days, itm.usec


def _check_itm(itm: _Itm) -> None:
    """The fields of pg_itm_in: years, months and days are int32, microseconds int64;
    a field beyond them is a field overflow."""
    if not (INT4_MIN <= itm.years <= INT4_MAX and INT4_MIN <= itm.months <= INT4_MAX
            and INT4_MIN <= itm.days <= INT4_MAX and INT8_MIN <= itm.usec <= INT8_MAX):
        raise DtError(OVERFLOW)


_ISO_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _iso_number(s: str, i: int) -> tuple[int, float, int]:
    """ParseISO8601Number: a strtod() number at ``i`` (digits, '-' or '.' first), split
    into its integer and fractional parts; beyond 1e15 is a field overflow."""
    if i >= len(s) or not (s[i].isdigit() or s[i] in "-."):
        raise DtError(BAD)
    m = _ISO_NUM.match(s, i)
    if not m:
        raise DtError(BAD)
    val = float(m.group(0))
    if val < -1.0e15 or val > 1.0e15:
        raise DtError(OVERFLOW)
    ipart = int(val)
    return ipart, val - ipart, m.end()


def _iso_width(s: str, i: int) -> int:
    """ISO8601IntegerWidth: the digits of the field at ``i`` (after a leading '-')."""
    if i < len(s) and s[i] == "-":
        i += 1
    j = i
    while j < len(s) and s[j].isdigit():
        j += 1
    return j - i


def _adj_years(itm: _Itm, val: int, frac: float = 0.0) -> None:
    itm.years += val
    itm.months += int(round(frac * MONTHS_PER_YEAR))
    _check_itm(itm)


def _adj_months(itm: _Itm, val: int, frac: float = 0.0) -> None:
    itm.months += val
    _check_itm(itm)
    _adj_fract_days(itm, frac, 30)
    _check_itm(itm)


def _adj_days(itm: _Itm, val: int, scale: int = 1, frac: float = 0.0,
              frac_days: bool = False) -> None:
    if not INT4_MIN <= val <= INT4_MAX:
        raise DtError(OVERFLOW)
    itm.days += val * scale
    _check_itm(itm)
    if frac_days:
        _adj_fract_days(itm, frac, scale)
    else:
        _adj_fract_usec(itm, frac, USECS_PER_DAY)
    _check_itm(itm)


def _adj_usec(itm: _Itm, val: int, frac: float, scale: int) -> None:
    itm.usec += val * scale
    _check_itm(itm)
    _adj_fract_usec(itm, frac, scale)
    _check_itm(itm)


def decode_iso8601_interval(text: str) -> tuple[int, int, int, int]:
    """DecodeISO8601Interval: 'P1Y2M3DT4H5M6S', the alternative formats
    'P0001-02-03T04:05:06' (extended) and 'P00010203T040506' (basic)."""
    s = text
    if len(s) < 2 or s[0] != "P":
        raise DtError(BAD)
    itm = _Itm()
    datepart = True
    havefield = False
    i, n = 1, len(s)
    while i < n:
        if s[i] == "T":
            datepart = False
            havefield = False
            i += 1
            continue
        start = i
        val, frac, i = _iso_number(s, i)
        unit = s[i] if i < n else ""
        i += 1
        if datepart:
            if unit == "Y":
                _adj_years(itm, val, frac)
            elif unit == "M":
                _adj_months(itm, val, frac)
            elif unit == "W":
                _adj_days(itm, val, 7, frac, frac_days=True)
            elif unit == "D":
                _adj_days(itm, val, 1, frac)
            elif unit in ("T", "", "-"):
                if unit != "-" and _iso_width(s, start) == 8 and not havefield:
                    # basic alternative format: PyyyymmddThhmmss
                    _adj_years(itm, _ctrunc(val, 10000))
                    _adj_months(itm, _crem(_ctrunc(val, 100), 100))
                    _adj_days(itm, _crem(val, 100), 1, frac)
                    if unit == "":
                        return itm.years, itm.months, itm.days, itm.usec
                    datepart = False
                    havefield = False
                    continue
                # extended alternative format: Pyyyy-mm-ddThh:mm:ss
                if havefield:
                    raise DtError(BAD)
                _adj_years(itm, val, frac)
                if unit == "":
                    return itm.years, itm.months, itm.days, itm.usec
                if unit == "T":
                    datepart = False
                    havefield = False
                    continue
                val, frac, i = _iso_number(s, i)
                _adj_months(itm, val, frac)
                if i >= n:
                    return itm.years, itm.months, itm.days, itm.usec
                if s[i] == "T":
                    datepart = False
                    havefield = False
                    i += 1
                    continue
                if s[i] != "-":
                    raise DtError(BAD)
                val, frac, i = _iso_number(s, i + 1)
                _adj_days(itm, val, 1, frac)
                if i >= n:
                    return itm.years, itm.months, itm.days, itm.usec
                if s[i] == "T":
                    datepart = False
                    havefield = False
                    i += 1
                    continue
                raise DtError(BAD)
            else:
                raise DtError(BAD)
        else:
            if unit == "H":
                _adj_usec(itm, val, frac, USECS_PER_HOUR)
            elif unit == "M":
                _adj_usec(itm, val, frac, USECS_PER_MINUTE)
            elif unit == "S":
                _adj_usec(itm, val, frac, USECS_PER_SEC)
            elif unit in ("", ":"):
                if unit == "" and _iso_width(s, start) == 6 and not havefield:
                    # basic alternative format: hhmmss
                    _adj_usec(itm, _ctrunc(val, 10000), 0.0, USECS_PER_HOUR)
                    _adj_usec(itm, _crem(_ctrunc(val, 100), 100), 0.0, USECS_PER_MINUTE)
                    _adj_usec(itm, _crem(val, 100), 0.0, USECS_PER_SEC)
                    _adj_fract_usec(itm, frac, 1)
                    _check_itm(itm)
                    return itm.years, itm.months, itm.days, itm.usec
                if havefield:
                    raise DtError(BAD)
                _adj_usec(itm, val, frac, USECS_PER_HOUR)
                if unit == "":
                    return itm.years, itm.months, itm.days, itm.usec
                val, frac, i = _iso_number(s, i)
                _adj_usec(itm, val, frac, USECS_PER_MINUTE)
                if i >= n:
                    return itm.years, itm.months, itm.days, itm.usec
                if s[i] != ":":
                    raise DtError(BAD)
                val, frac, i = _iso_number(s, i + 1)
                _adj_usec(itm, val, frac, USECS_PER_SEC)
                if i >= n:
                    return itm.years, itm.months, itm.days, itm.usec
                raise DtError(BAD)
            else:
                raise DtError(BAD)
        havefield = True
    return itm.years, itm.months, itm.days, itm.usec


def _ctrunc(a: int, b: int) -> int:
    """C integer division (toward zero)."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _crem(a: int, b: int) -> int:
    """C remainder (the dividend's sign)."""
    return a - _ctrunc(a, b) * b
