"""jsonpath datetime item methods: .datetime([template]), .date(), .time([p]),
.time_tz([p]), .timestamp([p]), .timestamp_tz([p]); datetime comparison and
the JSON text of datetime items.

Strings are read with PostgreSQL's standard (strict) template mode of
to_timestamp (its ``parse_datetime``): separators and quoted characters must
match exactly, the whole input must be used, and the result type follows from
the template's fields (date, time, zone).  Without a template the SQL/JSON
ISO formats are tried in PostgreSQL's order.  Conversions that need the
session time zone are refused unless a ``*_tz`` function is running, with
PostgreSQL's error and hint.
"""

from __future__ import annotations

from typing import Any

from tuskdb.errors import PgError
from tuskdb.types.dtcore import USECS_PER_SEC, date2j, fields2timestamp, is_valid_julian
from tuskdb.types.fromchar import _KEY_RE, _field, _Tm, tm_fields
from tuskdb.types.timetz import TimeTZ

DATE, TIME, TIMETZ, TIMESTAMP, TIMESTAMPTZ = 1082, 1083, 1266, 1114, 1184

_DATED = frozenset(("YYYY", "Y,YYY", "YYY", "YY", "Y", "IYYY", "IYY", "IY", "I", "CC", "MM",
                    "MON", "MONTH", "RM", "DD", "DDD", "IDDD", "D", "ID", "DAY", "DY", "WW",
                    "IW", "W", "Q", "J", "BC", "AD", "B.C.", "A.D."))
_TIMED = frozenset(("HH", "HH12", "HH24", "MI", "SS", "MS", "US", "FF1", "FF2", "FF3", "FF4",
                    "FF5", "FF6", "SSSS", "SSSSS", "AM", "PM", "A.M.", "P.M."))
_ZONED = frozenset(("TZH", "TZM", "TZ", "OF"))

_ISO_FORMATS = (
    "yyyy-mm-dd",
    "HH24:MI:SS.USTZ",
    "HH24:MI:SSTZ",
    "HH24:MI:SS.US",
    "HH24:MI:SS",
    "yyyy-mm-dd HH24:MI:SS.USTZ",
    "yyyy-mm-dd HH24:MI:SSTZ",
    'yyyy-mm-dd"T"HH24:MI:SS.USTZ',
    'yyyy-mm-dd"T"HH24:MI:SSTZ',
    "yyyy-mm-dd HH24:MI:SS.US",
    "yyyy-mm-dd HH24:MI:SS",
    'yyyy-mm-dd"T"HH24:MI:SS.US',
    'yyyy-mm-dd"T"HH24:MI:SS',
)


def _session_tz(tctx: Any) -> Any:
    from tuskdb.types.datetime import _tz
    return _tz(tctx)


def _format_nodes(fmt: str) -> list[tuple[str, str]]:
    nodes: list[tuple[str, str]] = []
    k = 0
    n = len(fmt)
    while k < n:
        if fmt.startswith(("FM", "fm", "Fm", "fM"), k):
            k += 2
            continue
        c = fmt[k]
        if c == '"':
            k += 1
            while k < n and fmt[k] != '"':
                if fmt[k] == "\\" and k + 1 < n:
                    k += 1
                nodes.append(("CHAR", fmt[k]))
                k += 1
            k += 1
            continue
        if c == "\\" and fmt[k + 1:k + 2] == '"':
            nodes.append(("CHAR", '"'))
            k += 2
            continue
        m = _KEY_RE.match(fmt, k)
        if m:
            nodes.append(("KEY", m.group(0).upper()))
            k = m.end()
            if fmt[k:k + 2].upper() == "TH":
                nodes.append(("TH", ""))
                k += 2
            continue
        if c.isspace():
            nodes.append(("SPACE", c))
        elif 0x20 < ord(c) < 0x7F and not c.isalnum():
            nodes.append(("SEP", c))
        else:
            raise PgError("22007", f'invalid datetime format separator: "{c}"')
        k += 1
    return nodes


def parse_datetime(text: str, fmt: str, tctx: Any) -> tuple[int, Any, int]:
    """(typid, value, tz seconds west) of ``text`` read with template ``fmt``."""
    nodes = _format_nodes(fmt)
    tm = _Tm()
    tm.session_tz = _session_tz(tctx)
    s = text
    n = len(s)
    i = 0
    idx = 0
    while idx < len(nodes) and i < n:
        kind, val = nodes[idx]
        if kind in ("SPACE", "SEP"):
            if s[i] != val:
                raise PgError("22007", f'unmatched format separator "{val}"')
            i += 1
        elif kind == "CHAR":
            if s[i] != val:
                raise PgError("22007", f'unmatched format character "{val}"')
            i += 1
        elif kind == "TH":
            if s[i:i + 2].isalpha():
                i += 2
        else:
            nxt = nodes[idx + 1] if idx + 1 < len(nodes) else None
            if val in ("TZH", "TZ", "OF"):
                if val == "TZ" and s[i].isalpha():
                    from tuskdb.types.fromchar import _abbrev_prefix
                    name = _abbrev_prefix(s, i, tm.session_tz)
                    if name is None:
                        raise PgError("22007", f'invalid value "{s[i:]}" for "TZ"',
                                      detail="Time zone abbreviation is not recognized.")
                    tm.tz_abbrev = name
                    i += len(name)
                    idx += 1
                    continue
                tzsign = 1
                if s[i] in "+- ":
                    tzsign = -1 if s[i] == "-" else 1
                    i += 1
                v, i = _strtol_field(s, i, val, nxt)
                tm.tzh = v
                tm.tzsign = tzsign  # type: ignore[attr-defined]
                if val != "TZH" and s[i:i + 1] == ":":
                    v, i = _strtol_field(s, i + 1, val, nxt)
                    tm.tzm = v
            elif val == "TZM":
                v, i = _strtol_field(s, i, val, nxt)
                tm.tzm = v
                if tm.tzh is None:
                    tm.tzh = 0
            elif val in _TEXT_FIELDS:
                i = _field(tm, val, s, i, text, nxt)
            else:
                while i < n and s[i] == " ":
                    i += 1
                i = _field(tm, val, s, i, text, nxt)
        idx += 1
    while idx < len(nodes) and nodes[idx][0] == "TH":
        idx += 1
    if idx < len(nodes):
        raise PgError("22007", "input string is too short for datetime format")
    while i < n and s[i].isspace():
        i += 1
    if i < n:
        raise PgError("22007", "trailing characters remain in input string after datetime "
                      "format")
    keys = {v for k, v in nodes if k == "KEY"}
    dated = bool(keys & _DATED)
    timed = bool(keys & _TIMED)
    zoned = bool(keys & _ZONED)
    y, mo, d, h, mi, sec, us, tm = tm_fields(tm, text)
    if dated and not is_valid_julian(y, mo, d):
        raise PgError("22008", f'date/time field value out of range: "{text}"')
    if dated:
        if timed:
            local = fields2timestamp(y, mo, d, h, mi, sec, us)
            if zoned:
                tz = _zone_west(tm, local, tctx)
                return TIMESTAMPTZ, local + tz * USECS_PER_SEC, tz
            return TIMESTAMP, local, 0
        if zoned:
            raise PgError("22007", "datetime format is zoned but not timed")
        from tuskdb.types.dtcore import POSTGRES_EPOCH_JDATE
        return DATE, date2j(y, mo, d) - POSTGRES_EPOCH_JDATE, 0
    if timed:
        t = ((h * 60 + mi) * 60 + sec) * USECS_PER_SEC + us
        if zoned:
            tz = _zone_west(tm, fields2timestamp(2000, 1, 1, h, mi, sec, us), tctx)
            return TIMETZ, TimeTZ(t, tz), tz
        return TIME, t, 0
    raise PgError("22007", "datetime format is not dated and not timed")


_TEXT_FIELDS = frozenset(("AM", "PM", "A.M.", "P.M.", "BC", "AD", "B.C.", "A.D.", "MON",
                          "MONTH", "DY", "DAY", "RM", "TZ", "OF"))


def _strtol_field(s: str, i: int, val: str, nxt: Any) -> tuple[int, int]:
    """from_char_parse_int_len(..., 2, ...) for a zone field (strtol: optional sign)."""
    while i < len(s) and s[i] == " ":
        i += 1
    slurp = nxt is None or nxt[0] != "KEY" or nxt[1] not in ("TZM", "MI", "SS", "HH24")
    j = i
    if j < len(s) and s[j] in "+-":
        j += 1
    k = j
    while k < len(s) and s[k].isdigit() and (slurp or k - i < 2):
        k += 1
    if k == j:
        raise PgError("22007", f'invalid value "{s[i:i + 2]}" for "{val}"',
                      detail="Value must be an integer.")
    return int(s[i:k]), k


def _zone_west(tm: _Tm, local: int, tctx: Any) -> int:
    if tm.tz_abbrev is not None:
        from tuskdb.types.fromchar import _abbrev_utc
        utc = _abbrev_utc(tm.tz_abbrev, local, _session_tz(tctx))
        return (utc - local) // USECS_PER_SEC
    tzh = tm.tzh or 0
    tzm = tm.tzm or 0
    sign = getattr(tm, "tzsign", 1)
    return -sign * (tzh * 3600 + tzm * 60)


# ---------------------------------------------------------------------------------

_METHOD_NAMES = {"datetime": "datetime", "time": "time", "time_tz": "time_tz",
                 "timestamp": "timestamp", "timestamp_tz": "timestamp_tz"}


def _check_tz(use_tz: bool, t1: str, t2: str) -> None:
    if not use_tz:
        raise PgError("22031", f"cannot convert value from {t1} to {t2} without time zone "
                      "usage", hint="Use *_tz() function for time zone support.")


def execute_datetime_method(ctx: Any, jsp: Any, jb: Any) -> Any:
    from tuskdb.types.jsonpath_exec import JpDatetime
    kind = "date" if jsp.kind == "method" else jsp.kind
    if not isinstance(jb, str):
        raise ctx.error("22031", f"jsonpath item method .{kind}() can only be applied to a "
                        "string")
    tctx = ctx.tctx
    precision = -1
    if kind == "datetime" and jsp.a is not None:
        try:
            typid, value, tz = parse_datetime(jb, jsp.a.value, tctx)
        except PgError:
            if ctx.throw:
                raise
            from tuskdb.types.jsonpath_exec import _Soft
            raise _Soft() from None
    else:
        if kind not in ("datetime", "date") and jsp.a is not None:
            p = jsp.a.value
            if not -2147483648 <= p <= 2147483647:
                raise ctx.error("22031", f"time precision of jsonpath item method .{kind}() is "
                                "out of range for type integer")
            precision = int(p)
        res = None
        for fmt in _ISO_FORMATS:
            try:
                res = parse_datetime(jb, fmt, tctx)
                break
            except PgError:
                continue
        if res is None:
            if kind == "datetime":
                raise ctx.error("22031", f'datetime format is not recognized: "{jb}"',
                                hint="Use a datetime template argument to specify the input "
                                "data format.")
            raise ctx.error("22031", f'{kind} format is not recognized: "{jb}"')
        typid, value, tz = res
    return JpDatetime(*_convert(ctx, kind, jb, typid, value, tz, precision))


def _not_recognized(ctx: Any, kind: str, text: str) -> Exception:
    return ctx.error("22031", f'{kind} format is not recognized: "{text}"')


def _precision(p: int, what: str, tctx: Any = None) -> int:
    label = what.replace('%', str(p))
    if p < 0:
        raise PgError("22023", f"{label} precision must not be negative")
    if p > 6:
        # as anytime_typmod_check: the precision is clamped with a WARNING
        sink = getattr(getattr(tctx, "session_hooks", None), "notice", None)
        if sink is not None:
            sink(PgError("01000", f"{label} precision reduced to maximum allowed, 6",
                         severity="WARNING"))
    return min(p, 6)


def _convert(ctx: Any, kind: str, text: str, typid: int, value: Any, tz: int,
             precision: int) -> tuple[int, Any, int]:
    from tuskdb.types import datetime as dt
    from tuskdb.types import timetz as ttz
    from tuskdb.types.dtcore import local_offset
    tctx = ctx.tctx
    use_tz = ctx.use_tz
    if kind == "datetime":
        return typid, value, tz
    if kind == "date":
        if typid in (TIME, TIMETZ):
            raise _not_recognized(ctx, "date", text)
        if typid == TIMESTAMP:
            value = dt.timestamp2date(value)
        elif typid == TIMESTAMPTZ:
            _check_tz(use_tz, "timestamptz", "date")
            value = dt.timestamptz2date(tctx, value)
        return DATE, value, 0
    if kind == "time":
        if typid == DATE:
            raise _not_recognized(ctx, "time", text)
        if typid == TIMETZ:
            _check_tz(use_tz, "timetz", "time")
            value = value.time
        elif typid == TIMESTAMP:
            value = dt.timestamp2time(value)
        elif typid == TIMESTAMPTZ:
            _check_tz(use_tz, "timestamptz", "time")
            value = dt.timestamptz2time(tctx, value)
        if precision != -1:
            value = dt._round_prec(value, _precision(precision, "TIME(%)", tctx))
            if value >= 86400 * USECS_PER_SEC:
                value -= 86400 * USECS_PER_SEC
        return TIME, value, 0
    if kind == "time_tz":
        if typid in (DATE, TIMESTAMP):
            raise _not_recognized(ctx, "time_tz", text)
        if typid == TIME:
            _check_tz(use_tz, "time", "timetz")
            value = ttz.time_timetz(tctx, value)
        elif typid == TIMESTAMPTZ:
            value = ttz.timestamptz_timetz(tctx, value)
        if precision != -1:
            t = dt._round_prec(value.time,
                               _precision(precision, "TIME(%) WITH TIME ZONE", tctx))
            value = TimeTZ(t, value.zone)
        return TIMETZ, value, value.zone
    if kind == "timestamp":
        if typid in (TIME, TIMETZ):
            raise _not_recognized(ctx, "timestamp", text)
        if typid == DATE:
            value = dt.date2timestamp(value)
        elif typid == TIMESTAMPTZ:
            _check_tz(use_tz, "timestamptz", "timestamp")
            value = dt.timestamptz2timestamp(tctx, value)
        if precision != -1:
            value = dt.timestamp_coerce(value, _precision(precision, "TIMESTAMP(%)", tctx))
        return TIMESTAMP, value, 0
    # timestamp_tz
    if typid in (TIME, TIMETZ):
        raise _not_recognized(ctx, "timestamp_tz", text)
    session = _session_tz(tctx)
    if typid == DATE:
        _check_tz(use_tz, "date", "timestamptz")
        local = dt.date2timestamp(value)
        tz = -local_offset(session, local)
        value = dt.date2timestamptz(tctx, value)
    elif typid == TIMESTAMP:
        _check_tz(use_tz, "timestamp", "timestamptz")
        tz = -local_offset(session, value)
        value = dt.timestamp2timestamptz(tctx, value)
    if precision != -1:
        value = dt.timestamp_coerce(value, _precision(precision,
                                                      "TIMESTAMP(%) WITH TIME ZONE", tctx))
    return TIMESTAMPTZ, value, tz


# --- comparison -------------------------------------------------------------------

def compare_datetime(ctx: Any, a: Any, b: Any) -> int | None:
    """compareDatetime: -1/0/1, or None when the types cannot be compared."""
    from tuskdb.types import datetime as dt
    from tuskdb.types import timetz as ttz
    t1, v1, t2, v2 = a.typid, a.value, b.typid, b.value
    use_tz = ctx.use_tz
    tctx = ctx.tctx

    def cmp(x: Any, y: Any) -> int:
        return (x > y) - (x < y)

    def d2ts(d: int) -> int:
        # date_cmp_timestamp_internal: a date beyond the timestamp range is later (or
        # earlier) than every timestamp
        try:
            return dt.date2timestamp(d)
        except PgError:
            return (1 << 62) if d > 0 else -(1 << 62)

    def d2tstz(d: int) -> int:
        try:
            return dt.date2timestamptz(tctx, d)
        except PgError:
            return (1 << 62) if d > 0 else -(1 << 62)

    if t1 == DATE:
        if t2 == DATE:
            return cmp(v1, v2)
        if t2 == TIMESTAMP:
            return cmp(d2ts(v1), v2)
        if t2 == TIMESTAMPTZ:
            _check_tz(use_tz, "date", "timestamptz")
            return cmp(d2tstz(v1), v2)
        return None
    if t1 == TIME:
        if t2 == TIME:
            return cmp(v1, v2)
        if t2 == TIMETZ:
            _check_tz(use_tz, "time", "timetz")
            return cmp(ttz.time_timetz(tctx, v1).key(), v2.key())
        return None
    if t1 == TIMETZ:
        if t2 == TIME:
            _check_tz(use_tz, "time", "timetz")
            return cmp(v1.key(), ttz.time_timetz(tctx, v2).key())
        if t2 == TIMETZ:
            return cmp(v1.key(), v2.key())
        return None
    if t1 == TIMESTAMP:
        if t2 == DATE:
            return cmp(v1, d2ts(v2))
        if t2 == TIMESTAMP:
            return cmp(v1, v2)
        if t2 == TIMESTAMPTZ:
            _check_tz(use_tz, "timestamp", "timestamptz")
            return cmp(dt.timestamp2timestamptz(tctx, v1), v2)
        return None
    if t1 == TIMESTAMPTZ:
        if t2 == DATE:
            _check_tz(use_tz, "date", "timestamptz")
            return cmp(v1, d2tstz(v2))
        if t2 == TIMESTAMP:
            _check_tz(use_tz, "timestamp", "timestamptz")
            return cmp(v1, dt.timestamp2timestamptz(tctx, v2))
        if t2 == TIMESTAMPTZ:
            return cmp(v1, v2)
        return None
    return None


# --- JSON text (JsonEncodeDateTime, XSD style) --------------------------------------

def _tz_text(tz_west: int) -> str:
    sign = "+" if tz_west <= 0 else "-"
    sec = abs(tz_west)
    h, rem = divmod(sec, 3600)
    m, s = divmod(rem, 60)
    if s:
        return f"{sign}{h:02d}:{m:02d}:{s:02d}"
    return f"{sign}{h:02d}:{m:02d}"


def _time_text(us: int) -> str:
    from tuskdb.types.datetime import _frac
    h, rem = divmod(us, 3600 * USECS_PER_SEC)
    m, rem = divmod(rem, 60 * USECS_PER_SEC)
    s, f = divmod(rem, USECS_PER_SEC)
    return f"{h:02d}:{m:02d}:{s:02d}" + (_frac(f) if f else "")


def datetime_json_text(tctx: Any, v: Any) -> str:
    from tuskdb.types.datetime import _frac, _year_str
    from tuskdb.types.dtcore import (
        DATE_NOBEGIN,
        DATE_NOEND,
        DT_NOBEGIN,
        DT_NOEND,
        date_to_ymd,
        timestamp2fields,
    )
    t = v.typid
    if t == DATE:
        if v.value in (DATE_NOBEGIN, DATE_NOEND):
            return "infinity" if v.value == DATE_NOEND else "-infinity"
        y, mo, d = date_to_ymd(v.value)
        return f"{_year_str(y)}-{mo:02d}-{d:02d}" + (" BC" if y <= 0 else "")
    if t == TIME:
        return _time_text(v.value)
    if t == TIMETZ:
        return _time_text(v.value.time) + _tz_text(v.value.zone)
    ts = v.value
    if ts in (DT_NOBEGIN, DT_NOEND):
        return "infinity" if ts == DT_NOEND else "-infinity"
    suffix = ""
    if t == TIMESTAMPTZ:
        ts -= v.tz * USECS_PER_SEC
        suffix = _tz_text(v.tz)
    y, mo, d, h, mi, s, f = timestamp2fields(ts)
    out = (f"{_year_str(y)}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}"
           + (_frac(f) if f else "") + suffix)
    return out + " BC" if y <= 0 else out


_ = fields2timestamp
