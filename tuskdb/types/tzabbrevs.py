"""PostgreSQL's "Default" timezone_abbreviations set and TZif zone data.

``TZ_ABBREVS``: fixed abbreviations, name -> seconds east of UTC;
``TZ_ABBREV_DST``: those that are DST abbreviations; ``DYN_ABBREVS``: the
abbreviations whose meaning follows a zone's history (name -> zone).
``zone_data(tzinfo)`` reads the zone's TZif file (transitions and their
abbreviations) so that abbreviations can be interpreted as PostgreSQL 18 does:
first as the session TimeZone knows them ('LMT'), then from this table.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import os
import struct
from typing import Any

TZ_ABBREVS: dict[str, int] = {
    "acdt": 37800, "acsst": 37800, "acst": 34200, "act": -18000, "acwst": 31500, "adt": -10800,
    "aedt": 39600, "aesst": 39600, "aest": 36000, "aft": 16200, "akdt": -28800, "akst": -32400,
    "almst": 25200, "almt": 21600, "amt": -14400, "ast": -14400, "awsst": 32400, "awst": 28800,
    "azost": 0, "azot": -3600, "bdst": 7200, "bdt": 21600, "bnt": 28800, "bort": 28800,
    "bot": -14400, "bra": -10800, "brst": -7200, "brt": -10800, "bst": 3600, "btt": 21600,
    "cadt": 37800, "cast": 34200, "cct": 28800, "cdt": -18000, "cest": 7200, "cet": 3600,
    "cetdst": 7200, "chadt": 49500, "chast": 45900, "chut": 36000, "clst": -10800,
    "cot": -18000, "cst": -21600, "cxt": 25200, "ddut": 36000, "eat": 10800, "edt": -14400,
    "eest": 10800, "eet": 7200, "eetdst": 10800, "egst": 0, "egt": -3600, "est": -18000,
    "fet": 10800, "fjst": 46800, "fjt": 43200, "fnst": -3600, "fnt": -7200, "galt": -21600,
    "gamt": -32400, "gft": -10800, "gilt": 43200, "gmt": 0, "hkt": 28800, "hst": -36000,
    "ict": 25200, "idt": 10800, "irt": 12600, "ist": 7200, "jayt": 32400, "jst": 32400,
    "kdt": 36000, "kgst": 21600, "kst": 32400, "lhst": 37800, "ligt": 36000, "mart": -34200,
    "mdt": -21600, "mest": 7200, "mesz": 7200, "met": 3600, "metdst": 7200, "mez": 3600,
    "mht": 43200, "mmt": 23400, "mpt": 36000, "msd": 14400, "mst": -25200, "must": 18000,
    "mut": 14400, "mvt": 18000, "myt": 28800, "ndt": -9000, "nft": -12600, "npt": 20700,
    "nst": -12600, "nzdt": 46800, "nzst": 43200, "nzt": 43200, "pdt": -25200, "pet": -18000,
    "pgt": 36000, "pht": 28800, "pkst": 21600, "pkt": 18000, "pmdt": -7200, "pmst": -10800,
    "pont": 39600, "pst": -28800, "pwt": 32400, "pyst": -10800, "ret": 14400, "sadt": 37800,
    "sast": 7200, "sct": 14400, "taht": -36000, "tft": 18000, "tjt": 18000, "tot": 46800,
    "trut": 36000, "tvt": 43200, "uct": 0, "ulast": 32400, "ut": 0, "utc": 0, "uyst": -7200,
    "uyt": -10800, "uzst": 21600, "uzt": 18000, "vut": 39600, "wadt": 28800, "wakt": 43200,
    "wast": 25200, "wat": 3600, "wdt": 32400, "wet": 0, "wetdst": 3600, "wft": 43200,
    "wgst": -7200, "wgt": -10800, "xjt": 21600, "yapt": 36000, "yekst": 21600, "z": 0,
    "zulu": 0,
}
TZ_ABBREV_DST = frozenset({
    "acdt", "acsst", "adt", "aedt", "aesst", "akdt", "almst", "awsst", "azost", "bdst", "brst",
    "bst", "cadt", "cdt", "cest", "cetdst", "chadt", "clst", "edt", "eest", "eetdst", "egst",
    "fjst", "fnst", "idt", "kdt", "kgst", "mdt", "mest", "mesz", "metdst", "msd", "must", "ndt",
    "nzdt", "pdt", "pkst", "pmdt", "pyst", "sadt", "ulast", "uyst", "uzst", "wadt", "wdt",
    "wetdst", "wgst", "yekst",
})
DYN_ABBREVS: dict[str, str] = {
    "amst": "Asia/Yerevan", "anast": "Asia/Anadyr", "anat": "Asia/Anadyr",
    "arst": "America/Argentina/Buenos_Aires", "art": "America/Argentina/Buenos_Aires",
    "azst": "Asia/Baku", "azt": "Asia/Baku", "ckt": "Pacific/Rarotonga",
    "clt": "America/Santiago", "davt": "Antarctica/Davis", "easst": "Pacific/Easter",
    "east": "Pacific/Easter", "fkst": "Atlantic/Stanley", "fkt": "Atlantic/Stanley",
    "gest": "Asia/Tbilisi", "get": "Asia/Tbilisi", "gyt": "America/Guyana",
    "iot": "Indian/Chagos", "irkst": "Asia/Irkutsk", "irkt": "Asia/Irkutsk",
    "kgt": "Asia/Bishkek", "kost": "Pacific/Kosrae", "krast": "Asia/Krasnoyarsk",
    "krat": "Asia/Krasnoyarsk", "lhdt": "Australia/Lord_Howe", "lint": "Pacific/Kiritimati",
    "lkt": "Asia/Colombo", "magst": "Asia/Magadan", "magt": "Asia/Magadan",
    "mawt": "Antarctica/Mawson", "msk": "Europe/Moscow", "novst": "Asia/Novosibirsk",
    "novt": "Asia/Novosibirsk", "nut": "Pacific/Niue", "omsst": "Asia/Omsk",
    "omst": "Asia/Omsk", "petst": "Asia/Kamchatka", "pett": "Asia/Kamchatka",
    "pyt": "America/Asuncion", "sgt": "Asia/Singapore", "tkt": "Pacific/Fakaofo",
    "tmt": "Asia/Ashgabat", "ulat": "Asia/Ulaanbaatar", "vet": "America/Caracas",
    "vlast": "Asia/Vladivostok", "vlat": "Asia/Vladivostok", "volt": "Europe/Volgograd",
    "yakst": "Asia/Yakutsk", "yakt": "Asia/Yakutsk", "yekt": "Asia/Yekaterinburg",
}


class ZoneData:
    """The parts of a TZif file PostgreSQL's abbreviation lookups use."""

    __slots__ = ("ats", "types", "ttis")

    def __init__(self, ats: list[int], types: list[int],
                 ttis: list[tuple[int, bool, str]]) -> None:
        self.ats = ats          # transition times, UTC seconds
        self.types = types      # ttinfo index in effect from each transition
        self.ttis = ttis        # (utoff seconds east, isdst, abbreviation)


_CACHE: dict[str, ZoneData | None] = {}
_UNIX = _dt.datetime(1970, 1, 1)


def _tzif_path(key: str) -> str | None:
    import zoneinfo
    if not key or key.startswith("/") or ".." in key:
        return None
    for base in zoneinfo.TZPATH:
        p = os.path.join(base, key)
        if os.path.isfile(p):
            return p
    return None


def _parse_tzif(data: bytes) -> ZoneData | None:
    if data[:4] != b"TZif" or len(data) < 44:
        return None
    version = data[4:5]
    counts = struct.unpack(">6l", data[20:44])
    isut, isstd, leap, timecnt, typecnt, charcnt = counts
    pos = 44
    tsize = 4
    if version >= b"2":
        pos += timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut
        if data[pos:pos + 4] != b"TZif":
            return None
        isut, isstd, leap, timecnt, typecnt, charcnt = struct.unpack(">6l", data[pos + 20:pos + 44])
        pos += 44
        tsize = 8
    ats = list(struct.unpack(f">{timecnt}{'q' if tsize == 8 else 'l'}",
                             data[pos:pos + timecnt * tsize]))
    pos += timecnt * tsize
    types = list(data[pos:pos + timecnt])
    pos += timecnt
    raw = []
    for i in range(typecnt):
        utoff, isdst, idx = struct.unpack(">lBB", data[pos + i * 6:pos + i * 6 + 6])
        raw.append((utoff, bool(isdst), idx))
    pos += typecnt * 6
    chars = data[pos:pos + charcnt]
    ttis = []
    for utoff, isdst, idx in raw:
        end = chars.find(b"\0", idx)
        ttis.append((utoff, isdst, chars[idx:end if end >= 0 else None].decode("ascii",
                                                                             "replace")))
    return ZoneData(ats, types, ttis)


def zone_data(tz: Any) -> ZoneData | None:
    """TZif data of a zoneinfo zone (None for fixed offsets or unreadable zones)."""
    key = getattr(tz, "key", None)
    if not isinstance(key, str):
        return None
    if key not in _CACHE:
        path = _tzif_path(key)
        zd = None
        if path is not None:
            try:
                with open(path, "rb") as f:
                    zd = _parse_tzif(f.read())
            except OSError:
                zd = None
        _CACHE[key] = zd
    return _CACHE[key]


def abbrev_is_known(abbrev: str, tz: Any) -> tuple[bool, int, bool] | None:
    """pg_timezone_abbrev_is_known: None if the zone never uses the abbreviation,
    else (fixed, utoff seconds east, isdst) -- offset/isdst meaningful if fixed."""
    zd = zone_data(tz)
    if zd is None:
        return None
    up = abbrev.upper()
    found: tuple[int, bool] | None = None
    for utoff, isdst, name in zd.ttis:
        if name == up:
            if found is None:
                found = (utoff, isdst)
            elif found != (utoff, isdst):
                return (False, 0, False)
    if found is None:
        return None
    return (True, found[0], found[1])


def interpret_abbrev(abbrev: str, t: int, tz: Any) -> tuple[int, bool] | None:
    """pg_interpret_timezone_abbrev: (utoff, isdst) of the abbreviation in use at
    or most recently before UTC second t, else the first use after it."""
    zd = zone_data(tz)
    if zd is None:
        return None
    up = abbrev.upper()
    # the zone's initial type counts as in use since the beginning of time
    ats = [-(1 << 62)] + zd.ats
    types = [0] + zd.types
    cutoff = bisect.bisect_right(ats, t)
    for i in range(cutoff - 1, -1, -1):
        utoff, isdst, name = zd.ttis[types[i]]
        if name == up:
            return utoff, isdst
    for i in range(cutoff, len(ats)):
        utoff, isdst, name = zd.ttis[types[i]]
        if name == up:
            return utoff, isdst
    return None


class AbbrevZone(_dt.tzinfo):
    """A zone-defined abbreviation used as a time zone (AT TIME ZONE 'MSK'): its
    meaning at each instant (pg_interpret_timezone_abbrev), else the zone's offset."""

    def __init__(self, abbrev: str, zone: Any) -> None:
        self.abbrev = abbrev.upper()
        self.zone = zone

    def _at_utc(self, utc_naive: _dt.datetime) -> _dt.timedelta:
        t = int((utc_naive - _UNIX).total_seconds())
        r = interpret_abbrev(self.abbrev, t, self.zone)
        if r is not None:
            return _dt.timedelta(seconds=r[0])
        off = utc_naive.replace(tzinfo=_dt.timezone.utc).astimezone(self.zone).utcoffset()
        return off if off is not None else _dt.timedelta(0)

    def fromutc(self, dt: _dt.datetime) -> _dt.datetime:
        return dt + self._at_utc(dt.replace(tzinfo=None))

    def utcoffset(self, dt: _dt.datetime | None) -> _dt.timedelta:
        if dt is None:
            return _dt.timedelta(0)
        local = dt.replace(tzinfo=None)
        zoff = local.replace(tzinfo=self.zone).utcoffset() or _dt.timedelta(0)
        return self._at_utc(local - zoff)

    def dst(self, dt: _dt.datetime | None) -> _dt.timedelta | None:
        return None

    def local_offset_s(self, local_ts: int) -> int:
        """DetermineTimeZoneAbbrevOffset: probe at the zone's own reading of the
        local time (PostgreSQL's gap/overlap rule), then the abbreviation's meaning."""
        from tuskdb.types.dtcore import local_offset
        probe = local_ts - local_offset(self.zone, local_ts) * 1_000_000
        t = (probe + 946684800 * 1_000_000) // 1_000_000
        r = interpret_abbrev(self.abbrev, t, self.zone)
        return r[0] if r is not None else local_offset(self.zone, local_ts)

    def tzname(self, dt: _dt.datetime | None) -> str:
        return self.abbrev
