"""TypeContext: the session settings that text I/O and some operators depend on.

A TypeContext is immutable; a session builds a new one (``ctx.replace(...)``)
when SET changes DateStyle, IntervalStyle, TimeZone, extra_float_digits or
bytea_output.  Parsing of the settings happens once, in the constructor, so the
hot I/O paths only read plain attributes (``date_style``, ``date_order``,
``tz``).
"""

from __future__ import annotations

import datetime as _dt
import random as _random
import re
import time as _time
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tuskdb.errors import PgError

_NUMBER_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_POSIX_RE = re.compile(r"^<?([A-Za-z]{3,}|[+-]\d\d(?::\d\d)?)?>?([+-]?)(\d{1,2})(?::(\d{2}))?"
                       r"(?::(\d{2}))?$")


def _offset_name(off: int) -> str:
    sign = "-" if off < 0 else "+"
    h, rem = divmod(abs(off), 3600)
    m, sec = divmod(rem, 60)
    if sec:
        return f"{sign}{h:02d}:{m:02d}:{sec:02d}"
    return f"{sign}{h:02d}:{m:02d}" if m else f"{sign}{h:02d}"


class FixedTZ(_dt.tzinfo):
    """A constant UTC offset (``SET TIME ZONE '+5'`` or a POSIX 'UTC+3')."""

    __slots__ = ("offset_s", "name")

    def __init__(self, offset_s: int, name: str) -> None:
        self.offset_s = offset_s
        self.name = name

    def utcoffset(self, dt: Any) -> _dt.timedelta:
        return _dt.timedelta(seconds=self.offset_s)

    def dst(self, dt: Any) -> _dt.timedelta:
        return _dt.timedelta(0)

    def tzname(self, dt: Any) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"FixedTZ({self.offset_s}, {self.name!r})"


def parse_timezone(name: str) -> _dt.tzinfo:
    """TimeZone setting -> tzinfo (PostgreSQL's check_timezone).  Raises 22023."""
    s = name.strip()
    if _NUMBER_RE.match(s):
        # a plain number of hours uses the ISO sign convention: '+5' is UTC+5
        secs = int(round(float(s) * 3600))
        return FixedTZ(secs, _offset_name(secs))
    up = s.upper()
    if up in _UTC_NAMES:
        # zones that are UTC forever: a fixed offset makes I/O cheap
        return FixedTZ(0, _UTC_NAMES[up])
    if "/" in s or s.isalpha() or s.replace("_", "").replace("-", "").isalnum():
        for cand in (s, s.title(), s.upper()):
            try:
                return ZoneInfo(cand)
            except (ZoneInfoNotFoundError, ValueError, IsADirectoryError, OSError):
                pass
    from tuskdb.types.posixtz import parse_posix_tz
    ptz = parse_posix_tz(s)
    if ptz is not None:     # with a daylight-saving part: 'PST8PDT,M3.2.0,M11.1.0'
        return ptz
    m = _POSIX_RE.match(s)
    if m:  # POSIX: 'UTC+3' is three hours *west* of Greenwich
        sign = 1 if m.group(2) == "-" else -1
        secs = int(m.group(3)) * 3600 + int(m.group(4) or 0) * 60 + int(m.group(5) or 0)
        return FixedTZ(sign * secs, m.group(1) or "")
    raise PgError("22023", f'invalid value for parameter "TimeZone": "{name}"')


_UTC_NAMES = {"UTC": "UTC", "ETC/UTC": "UTC", "ETC/UCT": "UTC", "UCT": "UTC",
              "ETC/UNIVERSAL": "UTC", "UNIVERSAL": "UTC", "ETC/ZULU": "UTC", "ZULU": "UTC",
              "Z": "UTC", "GMT": "GMT", "ETC/GMT": "GMT", "ETC/GMT0": "GMT", "GMT0": "GMT",
              "ETC/GMT+0": "GMT", "ETC/GMT-0": "GMT", "ETC/GREENWICH": "GMT",
              "GREENWICH": "GMT"}

_STYLES = {"ISO": "ISO", "SQL": "SQL", "POSTGRES": "Postgres", "GERMAN": "German"}
_ORDERS = {"MDY": "MDY", "DMY": "DMY", "YMD": "YMD", "US": "MDY", "NONEURO": "MDY",
           "NONEUROPEAN": "MDY", "EURO": "DMY", "EUROPEAN": "DMY"}


def parse_datestyle(value: str, current: str = "ISO, MDY") -> str:
    """Normalise a DateStyle setting ('german' -> 'German, DMY'), PostgreSQL-style."""
    cur_style, cur_order = (p.strip() for p in current.split(","))
    style: str | None = None
    order: str | None = None
    for part in re.split(r"[,\s]+", value.strip()):
        if not part:
            continue
        up = part.upper()
        if up in _STYLES:
            if style is not None and style != _STYLES[up]:
                raise PgError("22023", f'invalid value for parameter "DateStyle": "{value}"',
                              detail="Conflicting \"datestyle\" specifications.")
            style = _STYLES[up]
        elif up in _ORDERS:
            if order is not None and order != _ORDERS[up]:
                raise PgError("22023", f'invalid value for parameter "DateStyle": "{value}"',
                              detail="Conflicting \"datestyle\" specifications.")
            order = _ORDERS[up]
        elif up == "DEFAULT":
            style, order = "ISO", "MDY"
        else:
            raise PgError("22023", f'invalid value for parameter "DateStyle": "{value}"',
                          detail=f'Unrecognized key word: "{part}".')
    if style is None:
        style = cur_style
    if order is None:
        # PostgreSQL: setting German alone implies DMY unless an order was given.
        order = "DMY" if style == "German" and cur_style != "German" else cur_order
    return f"{style}, {order}"


_INTERVAL_STYLES = ("postgres", "postgres_verbose", "sql_standard", "iso_8601")


class TypeContext:
    """Session settings for type I/O.  See docs/contracts.md ("types").

    ``now`` returns the transaction start as timestamptz microseconds (what
    now()/current_timestamp/'now' use); ``statement_now`` the statement start.
    Either may be None: then the wall clock is used.  ``rng`` is the session's
    random generator (setseed/random()).
    """

    __slots__ = ("datestyle", "intervalstyle", "timezone", "extra_float_digits",
                 "bytea_output", "now", "statement_now", "rng", "date_style", "date_order",
                 "tz", "_tzcache", "session_hooks", "xmloption", "xmlbinary")

    def __init__(self, datestyle: str = "ISO, MDY", intervalstyle: str = "postgres",
                 timezone: str = "Etc/UTC", extra_float_digits: int = 1,
                 bytea_output: str = "hex", now: Callable[[], int] | None = None,
                 statement_now: Callable[[], int] | None = None,
                 rng: _random.Random | None = None, session_hooks: Any = None,
                 xmloption: str = "content", xmlbinary: str = "base64") -> None:
        ds = parse_datestyle(datestyle)
        self.datestyle = ds
        self.date_style, self.date_order = (p.strip() for p in ds.split(","))
        istyle = intervalstyle.lower()
        if istyle not in _INTERVAL_STYLES:
            raise PgError("22023",
                          f'invalid value for parameter "IntervalStyle": "{intervalstyle}"',
                          hint='Available values: postgres, postgres_verbose, sql_standard, '
                               'iso_8601.')
        self.intervalstyle = istyle
        self.tz = parse_timezone(timezone)
        self.timezone = timezone
        efd = int(extra_float_digits)
        if not -15 <= efd <= 3:
            raise PgError("22023", f"{efd} is outside the valid range for parameter "
                          '"extra_float_digits" (-15 .. 3)')
        self.extra_float_digits = efd
        bo = bytea_output.lower()
        if bo not in ("hex", "escape"):
            raise PgError("22023", f'invalid value for parameter "bytea_output": '
                          f'"{bytea_output}"', hint="Available values: escape, hex.")
        self.bytea_output = bo
        self.now = now
        self.statement_now = statement_now
        self.rng = rng
        # the session's catalog access for I/O of user-defined types (engine's
        # typehooks.SessionTypeHooks: lookup_type_text(name), check_domain(oid, value))
        self.session_hooks = session_hooks
        self.xmloption = xmloption.lower()      # XMLPARSE/xml input: content or document
        self.xmlbinary = xmlbinary.lower()      # bytea in XML: base64 or hex
        self._tzcache: dict[int, int] = {}

    def replace(self, **changes: Any) -> TypeContext:
        kw = {k: getattr(self, k) for k in ("datestyle", "intervalstyle", "timezone",
                                             "extra_float_digits", "bytea_output", "now",
                                             "statement_now", "rng", "session_hooks",
                                             "xmloption", "xmlbinary")}
        if "datestyle" in changes:
            changes["datestyle"] = parse_datestyle(changes["datestyle"], self.datestyle)
        kw.update(changes)
        return TypeContext(**kw)

    def transaction_now(self) -> int:
        """Transaction timestamp in µs since 2000-01-01 UTC."""
        if self.now is not None:
            return self.now()
        return clock_now()

    def statement_timestamp(self) -> int:
        if self.statement_now is not None:
            return self.statement_now()
        return self.transaction_now()

    def random(self) -> float:
        return (self.rng or _random).random()

    def __repr__(self) -> str:
        return (f"TypeContext(datestyle={self.datestyle!r}, intervalstyle={self.intervalstyle!r},"
                f" timezone={self.timezone!r}, extra_float_digits={self.extra_float_digits})")


# µs between 1970-01-01 and 2000-01-01
UNIX_EPOCH_OFFSET_US = 946684800 * 1_000_000


def clock_now() -> int:
    """Wall clock as timestamptz microseconds since 2000-01-01 UTC."""
    return _time.time_ns() // 1000 - UNIX_EPOCH_OFFSET_US


DEFAULT_CONTEXT = TypeContext()
