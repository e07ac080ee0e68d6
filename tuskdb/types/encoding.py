"""Character set encodings: PostgreSQL's encoding numbers and names, and conversion.

Every database is UTF8 (the server encoding); other encodings exist for
convert/convert_from/convert_to, length(bytea, name) and the encoding-name
functions.  The numbering is PostgreSQL's ``pg_enc`` order (what
pg_char_to_encoding returns and pg_conversion/pg_database store); a name is
looked up as PostgreSQL does, lower-cased with every non-alphanumeric
character dropped, in the table of official names and aliases.

Conversions are done with Python's codecs.  As in PostgreSQL, the source is
first verified in its own encoding (a NUL byte or a malformed multibyte
character is 22021 "invalid byte sequence"), then converted: a character the
target cannot represent is 22P05 "has no equivalent".  Conversions between two
encodings neither of which is UTF8 exist only for the pairs PostgreSQL ships
(pg_conversion); others fail with 42883 as there.
"""

from __future__ import annotations

import re
from typing import Callable

from tuskdb.errors import PgError, feature_not_supported

SQL_ASCII, UTF8, MULE_INTERNAL = 0, 6, 7

# (number, name, Python codec or None, maximum bytes per character)
_TABLE: tuple[tuple[int, str, str | None, int], ...] = (
    (0, "SQL_ASCII", None, 1), (1, "EUC_JP", "euc_jp", 3), (2, "EUC_CN", "gb2312", 3),
    (3, "EUC_KR", "euc_kr", 3), (4, "EUC_TW", None, 4), (5, "EUC_JIS_2004", "euc_jis_2004", 3),
    (6, "UTF8", "utf-8", 4), (7, "MULE_INTERNAL", None, 4), (8, "LATIN1", "latin-1", 1),
    (9, "LATIN2", "iso8859_2", 1), (10, "LATIN3", "iso8859_3", 1),
    (11, "LATIN4", "iso8859_4", 1), (12, "LATIN5", "iso8859_9", 1),
    (13, "LATIN6", "iso8859_10", 1), (14, "LATIN7", "iso8859_13", 1),
    (15, "LATIN8", "iso8859_14", 1), (16, "LATIN9", "iso8859_15", 1),
    (17, "LATIN10", "iso8859_16", 1), (18, "WIN1256", "cp1256", 1),
    (19, "WIN1258", "cp1258", 1), (20, "WIN866", "cp866", 1), (21, "WIN874", "cp874", 1),
    (22, "KOI8R", "koi8_r", 1), (23, "WIN1251", "cp1251", 1), (24, "WIN1252", "cp1252", 1),
    (25, "ISO_8859_5", "iso8859_5", 1), (26, "ISO_8859_6", "iso8859_6", 1),
    (27, "ISO_8859_7", "iso8859_7", 1), (28, "ISO_8859_8", "iso8859_8", 1),
    (29, "WIN1250", "cp1250", 1), (30, "WIN1253", "cp1253", 1), (31, "WIN1254", "cp1254", 1),
    (32, "WIN1255", "cp1255", 1), (33, "WIN1257", "cp1257", 1), (34, "KOI8U", "koi8_u", 1),
    (35, "SJIS", "cp932", 2), (36, "BIG5", "cp950", 2), (37, "GBK", "gbk", 2),
    (38, "UHC", "cp949", 2), (39, "GB18030", "gb18030", 4), (40, "JOHAB", "johab", 3),
    (41, "SHIFT_JIS_2004", "shift_jis_2004", 2),
)
NAMES: dict[int, str] = {n: name for n, name, _c, _m in _TABLE}
_CODECS: dict[int, str | None] = {n: c for n, _name, c, _m in _TABLE}
MAX_LENGTH: dict[int, int] = {n: m for n, _name, _c, m in _TABLE}

# cleaned spelling -> number: every official name plus PostgreSQL's aliases
_ALIASES: dict[str, int] = {
    "abc": 19, "alt": 20, "iso88591": 8, "iso88592": 9, "iso88593": 10, "iso88594": 11,
    "iso88595": 25, "iso88596": 26, "iso88597": 27, "iso88598": 28, "iso88599": 12,
    "iso885910": 13, "iso885913": 14, "iso885914": 15, "iso885915": 16, "iso885916": 17,
    "koi8": 22, "mskanji": 35, "shiftjis": 35, "tcvn": 19, "tcvn5712": 19, "unicode": 6,
    "vscii": 19, "win": 23, "win932": 35, "win936": 37, "win949": 38, "win950": 36,
    "windows932": 35, "windows936": 37, "windows949": 38, "windows950": 36,
}
for _n, _name, _c, _m in _TABLE:
    _clean = re.sub(r"[^0-9a-z]", "", _name.lower())
    _ALIASES[_clean] = _n
    if _name.startswith("WIN"):
        _ALIASES["windows" + _clean[3:]] = _n

# the conversions PostgreSQL ships between two encodings other than UTF8
# (MULE_INTERNAL's are there too, but MULE_INTERNAL has no codec here)
_DIRECT = frozenset({
    ("BIG5", "EUC_TW"), ("EUC_TW", "BIG5"), ("EUC_JIS_2004", "SHIFT_JIS_2004"),
    ("SHIFT_JIS_2004", "EUC_JIS_2004"), ("EUC_JP", "SJIS"), ("SJIS", "EUC_JP"),
    ("ISO_8859_5", "KOI8R"), ("ISO_8859_5", "WIN1251"), ("ISO_8859_5", "WIN866"),
    ("KOI8R", "ISO_8859_5"), ("KOI8R", "WIN1251"), ("KOI8R", "WIN866"),
    ("LATIN2", "WIN1250"), ("WIN1250", "LATIN2"), ("WIN1251", "ISO_8859_5"),
    ("WIN1251", "KOI8R"), ("WIN1251", "WIN866"), ("WIN866", "ISO_8859_5"),
    ("WIN866", "KOI8R"), ("WIN866", "WIN1251"),
})


def _clean_name(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def char_to_encoding(name: str) -> int:
    """pg_char_to_encoding: the encoding's number, -1 when the name is unknown."""
    return _ALIASES.get(_clean_name(name), -1)


def encoding_to_char(num: int) -> str:
    """pg_encoding_to_char: the official name, '' for an invalid number."""
    return NAMES.get(num, "")


def encoding_max_length(num: int) -> int | None:
    return MAX_LENGTH.get(num)


def _lookup(name: str, role: str) -> int:
    n = char_to_encoding(name)
    if n < 0:
        raise PgError("22023", f'invalid {role} encoding name "{name}"')
    return n


# -- verification -------------------------------------------------------------

def _mblen(enc: int, b: bytes, i: int) -> int:
    """Length of the character starting at b[i], from its first byte(s) (pg_encoding_mblen)."""
    c = b[i]
    if c < 0x80 or MAX_LENGTH[enc] == 1:
        return 1
    if enc == UTF8:
        return 2 if c & 0xE0 == 0xC0 else 3 if c & 0xF0 == 0xE0 else 4 if c & 0xF8 == 0xF0 else 1
    if enc in (1, 5):                                  # EUC_JP, EUC_JIS_2004
        return 3 if c == 0x8F else 2
    if enc == 4:                                       # EUC_TW
        return 4 if c == 0x8E else 2
    if enc in (35, 41):                                # SJIS, SHIFT_JIS_2004
        return 1 if 0xA1 <= c <= 0xDF else 2
    if enc == 39:                                      # GB18030
        return 4 if i + 1 < len(b) and 0x30 <= b[i + 1] <= 0x39 else 2
    return 2


def _report_invalid(enc: int, b: bytes, i: int) -> PgError:
    n = min(_mblen(enc, b, i), len(b) - i)
    seq = " ".join(f"0x{x:02x}" for x in b[i:i + n])
    return PgError("22021", f'invalid byte sequence for encoding "{NAMES[enc]}": {seq}')


def _no_equivalent(src: int, dst: int, seq: bytes) -> PgError:
    shown = " ".join(f"0x{x:02x}" for x in seq)
    return PgError("22P05", f'character with byte sequence {shown} in encoding "{NAMES[src]}" '
                   f'has no equivalent in encoding "{NAMES[dst]}"')


def _codec(enc: int) -> str:
    c = _CODECS[enc]
    if c is None:
        raise feature_not_supported(f"encoding {NAMES[enc]}")
    return c


def _well_formed(enc: int, b: bytes, i: int, n: int) -> bool:
    """Whether the n bytes at b[i] have the shape of one character of enc (verifier's rules)."""
    if i + n > len(b):
        return False
    tail = b[i + 1:i + n]
    if enc in (1, 2, 3, 4, 5):                         # EUC: every byte of a character in A1..FE
        body = b[i:i + n] if b[i] not in (0x8E, 0x8F) else tail
        return all(0xA1 <= x <= 0xFE for x in body)
    if enc in (35, 41, 36, 37, 38):                    # second byte may be ASCII-range
        return all(0x40 <= x <= 0xFE for x in tail)
    if enc == 39:
        return all(x != 0 for x in tail)
    return all(x >= 0x80 for x in tail)


def verify(b: bytes, enc: int) -> str | None:
    """Check that b is valid text in enc (pg_verify_mbstr); return it decoded when enc has a
    codec (None for SQL_ASCII)."""
    nul = b.find(0)
    if nul >= 0:
        # only what precedes the NUL is checked before it is reported
        verify(b[:nul], enc)
        raise _report_invalid(enc, b, nul)
    if enc == SQL_ASCII:
        return None
    codec = _codec(enc)
    try:
        return b.decode(codec)
    except UnicodeDecodeError as e:
        i = e.start
        n = _mblen(enc, b, i)
        if enc != UTF8 and _well_formed(enc, b, i, n):
            # a well-formed character the mapping lacks: PostgreSQL's verifier accepts it
            raise _no_equivalent(enc, UTF8, b[i:i + n]) from None
        raise _report_invalid(enc, b, i) from None


def _encode(s: str, src: int, dst: int) -> bytes:
    try:
        return s.encode(_codec(dst))
    except UnicodeEncodeError as e:
        raise _no_equivalent(src, dst, s[e.start].encode(_codec(src))) from None


def convert(b: bytes, src_name: str, dst_name: str) -> bytes:
    """convert(bytea, src, dst): verify b in src, then convert it to dst."""
    src = _lookup(src_name, "source")
    dst = _lookup(dst_name, "destination")
    return _convert(b, src, dst)


def _convert(b: bytes, src: int, dst: int) -> bytes:
    text = verify(b, src)
    if src == dst or dst == SQL_ASCII:
        return b
    if src == SQL_ASCII:
        verify(b, dst)
        return b
    if src != UTF8 and dst != UTF8 and (NAMES[src], NAMES[dst]) not in _DIRECT:
        raise PgError("42883", f'default conversion function for encoding "{NAMES[src]}" to '
                      f'"{NAMES[dst]}" does not exist')
    if MULE_INTERNAL in (src, dst):
        raise feature_not_supported(f"conversion from {NAMES[src]} to {NAMES[dst]}")
    assert text is not None
    return _encode(text, src, dst)


def convert_from(b: bytes, src_name: str) -> str:
    """convert_from(bytea, src): the text that b, in encoding src, spells."""
    src = _lookup(src_name, "source")
    return _convert(b, src, UTF8).decode("utf-8")


def convert_to(s: str, dst_name: str) -> bytes:
    """convert_to(text, dst): s in encoding dst."""
    dst = _lookup(dst_name, "destination")
    return _convert(s.encode("utf-8"), UTF8, dst)


def length_in_encoding(b: bytes, enc_name: str) -> int:
    """length(bytea, name): characters in b read in that encoding."""
    enc = char_to_encoding(enc_name)
    if enc < 0:
        raise PgError("22023", f'invalid encoding name "{enc_name}"')
    text = verify(b, enc)
    return len(b) if text is None else len(text)


IMPLS: dict[str, Callable[..., object]] = {
    "PG_char_to_encoding": char_to_encoding, "PG_encoding_to_char": encoding_to_char,
    "pg_encoding_max_length_sql": encoding_max_length, "pg_convert": convert,
    "pg_convert_from": convert_from, "pg_convert_to": convert_to,
    "length_in_encoding": length_in_encoding,
}
