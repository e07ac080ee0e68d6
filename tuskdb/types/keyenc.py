"""Order-preserving key encoding: bytes order == SQL order (C collation).

Each column becomes ``marker + payload``:

    marker  0x00  NULL when NULLS FIRST
            0x01  a value
            0x02  NULL when NULLS LAST
    payload  type-specific, *prefix-free* (fixed width or terminated), so that a
             DESC column is encoded by inverting every payload byte.

Payloads:
    integers, oid, date, time, timestamp(tz)   8-byte big-endian, sign bit flipped
    bool                                       1 byte
    float4/float8  IEEE double, sign-flipped / inverted; -0.0 -> 0.0, every NaN -> one
                   value above +Infinity (PostgreSQL orders NaN last)
    numeric        class byte (-inf, neg, zero, pos, +inf, NaN), then for finite values
                   the decimal exponent and the significant digits (trailing zeros
                   stripped, so 1.0 and 1.00 encode equal), inverted when negative
    text-like      UTF-8 + 0x00 (text cannot contain NUL); bpchar drops trailing spaces
    bytea          0x00 escaped as 0x00 0xFF, terminated by 0x00 0x00
    uuid           16 bytes;  interval  its 30-day-month span as 16-byte signed
    arrays         per element 0x01+payload or 0x02 (NULL), then 0x00

All integer-like types share one encoding, so an int4 column can be probed
with an int8 key.
"""

from __future__ import annotations

import struct
from decimal import Decimal
from typing import Any, Callable, Sequence

from tuskdb.errors import PgError

_Q = struct.Struct(">Q")
_D = struct.Struct(">d")
_SIGN64 = 1 << 63
_INV = bytes(range(255, -1, -1))


def _enc_int(v: int) -> bytes:
    return _Q.pack((v + _SIGN64) & 0xFFFFFFFFFFFFFFFF)


def _enc_bool(v: bool) -> bytes:
    return b"\x01" if v else b"\x00"


_NAN_KEY = b"\xff\xff\xff\xff\xff\xff\xff\xff"


def _enc_float(v: float) -> bytes:
    if v != v:
        return _NAN_KEY
    if v == 0.0:
        v = 0.0
    (bits,) = _Q.unpack(_D.pack(v))
    if bits & _SIGN64:
        bits ^= 0xFFFFFFFFFFFFFFFF
    else:
        bits |= _SIGN64
    return _Q.pack(bits)


def _enc_numeric(d: Decimal) -> bytes:
    if d.is_nan():
        return b"\x06"
    if d.is_infinite():
        return b"\x05" if d > 0 else b"\x01"
    if not d:
        return b"\x03"
    sign, digits, exp = d.as_tuple()
    ds = "".join(map(str, digits)).rstrip("0")
    adjusted = d.adjusted()
    body = struct.pack(">I", (adjusted + (1 << 31)) & 0xFFFFFFFF) + ds.encode() + b"\x00"
    if sign:
        return b"\x02" + body.translate(_INV)
    return b"\x04" + body


def _enc_text(v: str) -> bytes:
    return v.encode() + b"\x00"


def _enc_bpchar(v: str) -> bytes:
    return v.rstrip(" ").encode() + b"\x00"


def _enc_bytea(v: bytes) -> bytes:
    return bytes(v).replace(b"\x00", b"\x00\xff") + b"\x00\x00"


def _enc_uuid(v: Any) -> bytes:
    return v.bytes


def _enc_interval(v: Any) -> bytes:
    span = v.span()
    return ((span + (1 << 127)) & ((1 << 128) - 1)).to_bytes(16, "big")


def _enc_timetz(v: Any) -> bytes:
    utc, zone = v.key()
    return _enc_int(utc) + _enc_int(zone)


def _enc_json_tree(t: Any) -> bytes:
    from tuskdb.types.json import _rank
    r = _rank(t)
    head = bytes([r])
    if r == 0:
        return head
    if r == 1:
        return head + t.encode() + b"\x00"
    if r == 2:
        return head + _enc_numeric(t)
    if r == 3:
        return head + (b"\x01" if t else b"\x00")
    if r == 4:
        return head + struct.pack(">I", len(t)) + b"".join(_enc_json_tree(x) for x in t)
    return head + struct.pack(">I", len(t)) + b"".join(
        k.encode() + b"\x00" + _enc_json_tree(v) for k, v in t.items())


def _enc_jsonb(v: Any) -> bytes:
    return _enc_json_tree(v.tree)


def _enc_inet(v: Any) -> bytes:
    """network_cmp order: family, the prefix bits (shorter prefix first), bits, address."""
    prefix = v.addr >> (v.maxbits - v.bits) if v.bits else 0
    bits = format(prefix, f"0{v.bits}b") if v.bits else ""
    return (bytes([v.family]) + bits.replace("0", "\x01").replace("1", "\x02").encode()
            + b"\x00" + bytes([v.bits]) + v.addr.to_bytes(16, "big"))


def _range_encoder(sub_oid: int) -> Callable[[Any], bytes]:
    """Ranges: empty first; lower bound (-inf, value with inclusive before exclusive),
    then upper bound (value with exclusive before inclusive, +inf last)."""
    def enc(v: Any) -> bytes:
        if v.empty:
            return b"\x00"
        sub = encoder_for(sub_oid)
        out = [b"\x01"]
        if v.lower is None:
            out.append(b"\x00")
        else:
            out.append(b"\x01" + sub(v.lower) + (b"\x00" if v.lower_inc else b"\x01"))
        if v.upper is None:
            out.append(b"\x02")
        else:
            out.append(b"\x01" + sub(v.upper) + (b"\x01" if v.upper_inc else b"\x00"))
        return b"".join(out)
    return enc


def _multirange_encoder(range_oid: int) -> Callable[[Any], bytes]:
    """Multiranges (multirange_cmp): range by range, a shorter list before a longer one
    that starts with it (each range is prefixed by 0x01, the end is 0x00)."""
    def enc(v: Any) -> bytes:
        rng = encoder_for(range_oid)
        return b"".join(b"\x01" + rng(r)[1:] for r in v.ranges) + b"\x00"
    return enc


def _enc_tid(v: tuple[int, int]) -> bytes:
    return struct.pack(">IH", v[0], v[1])


ENCODERS: dict[int, Callable[[Any], bytes]] = {
    16: _enc_bool, 17: _enc_bytea, 18: _enc_text, 19: _enc_text, 20: _enc_int, 21: _enc_int,
    23: _enc_int, 24: _enc_int, 25: _enc_text, 26: _enc_int, 27: _enc_tid, 28: _enc_int,
    29: _enc_int, 700: _enc_float, 701: _enc_float, 705: _enc_text, 1042: _enc_bpchar,
    1043: _enc_text, 1082: _enc_int, 1083: _enc_int, 1114: _enc_int, 1184: _enc_int,
    1186: _enc_interval, 1266: _enc_timetz, 3802: _enc_jsonb, 114: _enc_text,
    869: _enc_inet, 650: _enc_inet, 829: bytes, 3220: _enc_int, 1033: _enc_text,
    194: _enc_text, 4191: _enc_int, 3734: _enc_int, 3769: _enc_int, 1700: _enc_numeric,
    2950: _enc_uuid, 2202: _enc_int,
    2203: _enc_int, 2205: _enc_int, 2206: _enc_int, 4089: _enc_int, 4096: _enc_int,
    5069: _enc_int, 1560: _enc_text, 1562: _enc_text, 790: _enc_int,
}


def encoder_for(type_oid: int) -> Callable[[Any], bytes]:
    enc = ENCODERS.get(type_oid)
    if enc is not None:
        return enc
    if type_oid in (3614, 3615):
        from tuskdb.types.tsearch.keys import tsquery_key, tsvector_key
        ENCODERS[3614], ENCODERS[3615] = tsvector_key, tsquery_key
        return ENCODERS[type_oid]
    from tuskdb.types.registry import TYPES
    t = TYPES.get(type_oid)
    if t is not None and t.typtype == "m":
        from tuskdb.types.ranges import MULTIRANGE_RANGE
        ENCODERS[type_oid] = _multirange_encoder(MULTIRANGE_RANGE[type_oid])
        return ENCODERS[type_oid]
    if t is not None and t.category == "R":
        from tuskdb.types.ranges import RANGE_TYPES
        ENCODERS[type_oid] = _range_encoder(RANGE_TYPES[type_oid][0])
        return ENCODERS[type_oid]
    if t is not None and t.category == "A" and t.elem_oid:
        elem = encoder_for(t.elem_oid)

        def enc_array(v: Any) -> bytes:
            parts = []
            for x in v.items:
                parts.append(b"\x02" if x is None else b"\x01" + elem(x))
            parts.append(b"\x00")
            return b"".join(parts)
        ENCODERS[type_oid] = enc_array
        return enc_array
    raise PgError("0A000", f"key encoding is not supported for type {type_oid}")


def _flags(flag: bool | Sequence[bool] | None, n: int) -> list[bool | None]:
    if flag is None or isinstance(flag, bool):
        return [flag] * n
    return list(flag)


def make_key_encoder(type_oids: Sequence[int], descending: bool | Sequence[bool] = False,
                     nulls_first: bool | Sequence[bool] | None = None
                     ) -> Callable[[Sequence[Any]], bytes]:
    """Compile an encoder for one index definition (faster than encode_key per row).

    ``nulls_first=None`` means PostgreSQL's default: NULLS LAST for ASC, FIRST for DESC.
    """
    n = len(type_oids)
    desc = [bool(d) for d in _flags(descending, n)]
    nf = _flags(nulls_first, n)
    cols = []
    for i, oid in enumerate(type_oids):
        first = desc[i] if nf[i] is None else bool(nf[i])
        cols.append((encoder_for(oid), desc[i], b"\x00" if first else b"\x02"))
    if n == 1:
        enc0, desc0, null0 = cols[0]
        if not desc0:
            def one(values: Sequence[Any]) -> bytes:
                v = values[0]
                return null0 if v is None else b"\x01" + enc0(v)
            return one

    def many(values: Sequence[Any]) -> bytes:
        out = []
        for (enc, d, null), v in zip(cols, values):
            if v is None:
                out.append(null)
            elif d:
                out.append(b"\x01" + enc(v).translate(_INV))
            else:
                out.append(b"\x01" + enc(v))
        return b"".join(out)
    return many


_CACHE: dict[tuple[Any, ...], Callable[[Sequence[Any]], bytes]] = {}


def encode_key(values: Sequence[Any], type_oids: Sequence[int],
               descending: bool | Sequence[bool] = False,
               nulls_first: bool | Sequence[bool] | None = None) -> bytes:
    """Encode one key; see the module docstring.  ``descending``/``nulls_first`` are
    a bool for all columns or one per column."""
    key = (tuple(type_oids),
           descending if isinstance(descending, bool) else tuple(descending),
           nulls_first if nulls_first is None or isinstance(nulls_first, bool)
           else tuple(nulls_first))
    enc = _CACHE.get(key)
    if enc is None:
        enc = make_key_encoder(type_oids, descending, nulls_first)
        _CACHE[key] = enc
    return enc(values)
