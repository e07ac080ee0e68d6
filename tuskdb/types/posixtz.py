"""POSIX-style time zone specifications with daylight saving rules
('PST8PDT,M3.2.0,M11.1.0', 'FOO8BAR' with PostgreSQL's default US rules)."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

_NAME = r"(?:<([^>]+)>|([A-Za-z]{3,}))"
_OFF = r"([+-]?\d{1,2}(?::\d{1,2}(?::\d{1,2})?)?)"
_RULE = r"(M\d{1,2}\.\d\.\d|J\d{1,3}|\d{1,3})(?:/([+-]?\d{1,3}(?::\d{1,2}(?::\d{1,2})?)?))?"
_SPEC = re.compile(rf"{_NAME}{_OFF}(?:{_NAME}{_OFF}?(?:,{_RULE},{_RULE})?)?$")
_DEFAULT_RULES = ("M3.2.0", None, "M11.1.0", None)   # PostgreSQL's TZDEFRULESTRING


def _secs(s: str) -> int:
    sign = -1 if s.startswith("-") else 1
    parts = [int(p) for p in s.lstrip("+-").split(":")] + [0, 0]
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


def _rule_date(rule: str, year: int) -> _dt.date:
    if rule[0] == "M":
        m, w, d = (int(x) for x in rule[1:].split("."))
        first = _dt.date(year, m, 1)
        day = 1 + (d - (first.weekday() + 1) % 7) % 7 + (w - 1) * 7
        nxt = _dt.date(year + (m == 12), m % 12 + 1, 1)
        while _dt.date(year, m, 1) + _dt.timedelta(days=day - 1) >= nxt:
            day -= 7
        return _dt.date(year, m, day)
    if rule[0] == "J":      # 1..365, February 29 never counted
        n = int(rule[1:])
        d = _dt.date(year, 1, 1) + _dt.timedelta(days=n - 1)
        if n >= 60 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            d += _dt.timedelta(days=1)
        return d
    return _dt.date(year, 1, 1) + _dt.timedelta(days=int(rule))


class PosixTZ(_dt.tzinfo):
    """std offset dst [offset][,start[/time],end[/time]]; offsets are POSIX (west)."""

    def __init__(self, std: str, std_off: int, dst: str, dst_off: int,
                 rules: tuple[str, str | None, str, str | None]) -> None:
        self.std, self.dst_name = std, dst
        self.std_east, self.dst_east = -std_off, -dst_off
        self.start, st, self.end, et = rules
        self.start_t = _secs(st) if st else 7200
        self.end_t = _secs(et) if et else 7200

    def _bounds(self, year: int) -> tuple[_dt.datetime, _dt.datetime]:
        """DST start/end as local standard-time and local daylight-time datetimes."""
        s = _dt.datetime.combine(_rule_date(self.start, year), _dt.time()) + \
            _dt.timedelta(seconds=self.start_t)
        e = _dt.datetime.combine(_rule_date(self.end, year), _dt.time()) + \
            _dt.timedelta(seconds=self.end_t)
        return s, e

    def _is_dst_utc(self, utc: _dt.datetime) -> bool:
        s, e = self._bounds(utc.year)
        s_utc = s - _dt.timedelta(seconds=self.std_east)
        e_utc = e - _dt.timedelta(seconds=self.dst_east)
        if s_utc <= e_utc:
            return s_utc <= utc < e_utc
        return not (e_utc <= utc < s_utc)

    def fromutc(self, dt: _dt.datetime) -> _dt.datetime:
        utc = dt.replace(tzinfo=None)
        off = self.dst_east if self._is_dst_utc(utc) else self.std_east
        return dt + _dt.timedelta(seconds=off)

    def utcoffset(self, dt: Any) -> _dt.timedelta:
        if dt is None:
            return _dt.timedelta(seconds=self.std_east)
        local = dt.replace(tzinfo=None)
        # read the wall time as standard time (fold 0) or daylight time (fold 1)
        first = self.std_east if not dt.fold else self.dst_east
        utc = local - _dt.timedelta(seconds=first)
        off = self.dst_east if self._is_dst_utc(utc) else self.std_east
        if off != first:
            utc2 = local - _dt.timedelta(seconds=off)
            if (self.dst_east if self._is_dst_utc(utc2) else self.std_east) != off:
                off = first     # in a gap: keep the reading we started from
        return _dt.timedelta(seconds=off)

    def dst(self, dt: Any) -> _dt.timedelta:
        return self.utcoffset(dt) - _dt.timedelta(seconds=self.std_east)

    def tzname(self, dt: Any) -> str:
        return self.dst_name if self.utcoffset(dt).total_seconds() == self.dst_east \
            and self.dst_east != self.std_east else self.std


def parse_posix_tz(spec: str) -> PosixTZ | None:
    """A POSIX TZ string with a daylight-saving part, else None."""
    m = _SPEC.match(spec)
    if m is None or not (m.group(4) or m.group(5)):
        return None
    std = m.group(1) or m.group(2)
    std_off = _secs(m.group(3))
    dst = m.group(4) or m.group(5)
    dst_off = _secs(m.group(6)) if m.group(6) else std_off - 3600
    if m.group(7):
        rules: tuple[str, str | None, str, str | None] = (m.group(7), m.group(8),
                                                         m.group(9), m.group(10))
    else:
        rules = _DEFAULT_RULES
    return PosixTZ(std, std_off, dst, dst_off, rules)
