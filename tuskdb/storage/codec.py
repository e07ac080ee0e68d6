"""Tagged binary value codec for tuples on disk and in the WAL.

Every value is one tag byte followed by a tag-specific payload.  The format
is versioned through the block and WAL headers that embed it (CODEC_VERSION);
it never uses pickle or marshal, so files stay readable across Python
versions.

    tag  value              payload
    ---  -----------------  ---------------------------------------------
    N    None               -
    T/F  True/False         -
    i    int (64-bit)       8 bytes signed little endian
    I    int (big)          u32 length + two's complement little endian
    d    float              8 bytes IEEE 754 little endian
    s    str                u32 length + UTF-8 (surrogatepass)
    b    bytes              u32 length + bytes
    D    Decimal            u32 length + ASCII text (str(Decimal)), incl. NaN/±Infinity
    u    uuid.UUID          16 bytes
    t    tuple              u32 count + values
    l    list               u32 count + values
    x    registered class   u8 ext tag + u32 length + payload from encode()

A tuple of values (a heap tuple) is encoded as u16 count + values
(`encode_row` / `decode_row`).
"""

from __future__ import annotations

import decimal
import struct
import uuid
from collections.abc import Callable
from typing import Any

from tuskdb.errors import DATA_CORRUPTED, PgError

CODEC_VERSION = 1

_pack_q = struct.Struct("<q").pack
_pack_d = struct.Struct("<d").pack
_pack_I = struct.Struct("<I").pack
_pack_H = struct.Struct("<H").pack
_unpack_q = struct.Struct("<q").unpack_from
_unpack_d = struct.Struct("<d").unpack_from
_unpack_I = struct.Struct("<I").unpack_from
_unpack_H = struct.Struct("<H").unpack_from

_TAG_NONE = b"N"
_TAG_TRUE = b"T"
_TAG_FALSE = b"F"
_INT_MIN = -(1 << 63)
_INT_MAX = (1 << 63) - 1

# ext tag -> (cls, encode, decode); cls -> (ext tag, encode)
_EXT_DECODERS: dict[int, Callable[[bytes], Any]] = {}
_EXT_ENCODERS: dict[type, tuple[int, Callable[[Any], bytes]]] = {}


def register_codec(cls: type, tag: int, encode: Callable[[Any], bytes],
                   decode: Callable[[bytes], Any]) -> None:
    """Teach the codec a class: ``encode(value) -> bytes``, ``decode(bytes) -> value``.

    ``tag`` (0..255) is stored on disk: it must never change for a class once
    data has been written with it.
    """
    if not 0 <= tag <= 255:
        raise ValueError("codec tag must be 0..255")
    owner = _EXT_OWNERS.get(tag)
    if owner is not None and owner is not cls:
        raise ValueError(f"codec tag {tag} already registered for {owner.__name__}")
    _EXT_OWNERS[tag] = cls
    _EXT_DECODERS[tag] = decode
    _EXT_ENCODERS[cls] = (tag, encode)


_EXT_OWNERS: dict[int, type] = {}
_builtin_done = False


def _register_builtin_types() -> bool:
    """Register types.Interval (tag 1) and types.Array (tag 2).

    Done lazily, on the first value the codec does not know, so that
    importing storage does not import the whole types package.  Returns True
    if anything new was registered.
    """
    global _builtin_done
    if _builtin_done:
        return False
    _builtin_done = True
    try:
        from tuskdb.types.arrays import Array
        from tuskdb.types.interval import Interval
    except Exception:  # noqa: BLE001 - types not importable (yet)
        return False
    iv = struct.Struct("<qqq")
    if Interval not in _EXT_ENCODERS:
        register_codec(Interval, 1, lambda v: iv.pack(v.months, v.days, v.micros),
                       lambda b: Interval(*iv.unpack(b)))
    if Array not in _EXT_ENCODERS:
        def enc_array(v: Any) -> bytes:
            return encode_value((v.lower, tuple(v.items)))

        def dec_array(b: bytes) -> Any:
            lower, items = decode_value(b)
            return Array(items, lower)
        register_codec(Array, 2, enc_array, dec_array)
    return True


def _enc_int(v: int, out: bytearray) -> None:
    if _INT_MIN <= v <= _INT_MAX:
        out += b"i"
        out += _pack_q(v)
    else:
        n = (v.bit_length() + 8) // 8
        out += b"I"
        out += _pack_I(n)
        out += v.to_bytes(n, "little", signed=True)


def _enc_bool(v: bool, out: bytearray) -> None:
    out += _TAG_TRUE if v else _TAG_FALSE


def _enc_float(v: float, out: bytearray) -> None:
    out += b"d"
    out += _pack_d(v)


def _enc_str(v: str, out: bytearray) -> None:
    b = v.encode("utf-8", "surrogatepass")
    out += b"s"
    out += _pack_I(len(b))
    out += b


def _enc_bytes(v: bytes, out: bytearray) -> None:
    out += b"b"
    out += _pack_I(len(v))
    out += v


def _enc_decimal(v: decimal.Decimal, out: bytearray) -> None:
    b = str(v).encode("ascii")
    out += b"D"
    out += _pack_I(len(b))
    out += b


def _enc_uuid(v: uuid.UUID, out: bytearray) -> None:
    out += b"u"
    out += v.bytes


def _enc_tuple(v: tuple, out: bytearray) -> None:
    out += b"t"
    out += _pack_I(len(v))
    for x in v:
        _encode_into(x, out)


def _enc_list(v: list, out: bytearray) -> None:
    out += b"l"
    out += _pack_I(len(v))
    for x in v:
        _encode_into(x, out)


def _enc_none(v: None, out: bytearray) -> None:
    out += _TAG_NONE


_ENCODERS: dict[type, Callable[[Any, bytearray], None]] = {
    int: _enc_int, bool: _enc_bool, float: _enc_float, str: _enc_str,
    bytes: _enc_bytes, bytearray: _enc_bytes, memoryview: lambda v, o: _enc_bytes(bytes(v), o),
    decimal.Decimal: _enc_decimal, uuid.UUID: _enc_uuid, tuple: _enc_tuple,
    list: _enc_list, type(None): _enc_none,
}


def _encode_into(v: Any, out: bytearray) -> None:
    enc = _ENCODERS.get(type(v))
    if enc is not None:
        enc(v, out)
        return
    ext = _EXT_ENCODERS.get(type(v))
    if ext is None:
        for cls, e in _EXT_ENCODERS.items():
            if isinstance(v, cls):
                ext = e
                break
    if ext is None:
        # subclasses of the built-ins (e.g. an IntEnum, a str subclass)
        for cls, f in _ENCODERS.items():
            if isinstance(v, cls):
                f(v, out)
                return
        if _register_builtin_types():
            _encode_into(v, out)
            return
        raise TypeError(f"cannot encode value of type {type(v).__name__}")
    tag, fn = ext
    payload = fn(v)
    out += b"x"
    out.append(tag)
    out += _pack_I(len(payload))
    out += payload


def encode_value(v: Any) -> bytes:
    out = bytearray()
    _encode_into(v, out)
    return bytes(out)


_pack_tag_q = struct.Struct("<cq").pack
_pack_tag_I = struct.Struct("<cI").pack


def encode_row(values: tuple | list) -> bytes:
    """Encode a tuple of values: u16 count + tagged values."""
    out = bytearray(_pack_H(len(values)))
    encs = _ENCODERS
    for v in values:
        t = type(v)
        # inline the three commonest cases: they are most of every row
        if t is int and _INT_MIN <= v <= _INT_MAX:
            out += _pack_tag_q(b"i", v)
        elif t is str:
            if v.isascii():
                out += _pack_tag_I(b"s", len(v))
                out += v.encode("ascii")
            else:
                b = v.encode("utf-8", "surrogatepass")
                out += _pack_tag_I(b"s", len(b))
                out += b
        elif v is None:
            out += b"N"
        else:
            enc = encs.get(t)
            if enc is not None:
                enc(v, out)
            else:
                _encode_into(v, out)
    return bytes(out)


def _corrupt(what: str) -> PgError:
    return PgError(DATA_CORRUPTED, f"invalid encoded value: {what}")


def _decode_at(buf: bytes | memoryview, pos: int) -> tuple[Any, int]:
    tag = buf[pos]
    pos += 1
    if tag == 0x69:  # i
        return _unpack_q(buf, pos)[0], pos + 8
    if tag == 0x73:  # s
        n = _unpack_I(buf, pos)[0]
        pos += 4
        return bytes(buf[pos:pos + n]).decode("utf-8", "surrogatepass"), pos + n
    if tag == 0x4E:  # N
        return None, pos
    if tag == 0x54:
        return True, pos
    if tag == 0x46:
        return False, pos
    if tag == 0x64:  # d
        return _unpack_d(buf, pos)[0], pos + 8
    if tag == 0x62:  # b
        n = _unpack_I(buf, pos)[0]
        pos += 4
        return bytes(buf[pos:pos + n]), pos + n
    if tag == 0x44:  # D
        n = _unpack_I(buf, pos)[0]
        pos += 4
        return decimal.Decimal(bytes(buf[pos:pos + n]).decode("ascii")), pos + n
    if tag == 0x49:  # I
        n = _unpack_I(buf, pos)[0]
        pos += 4
        return int.from_bytes(buf[pos:pos + n], "little", signed=True), pos + n
    if tag == 0x75:  # u
        return uuid.UUID(bytes=bytes(buf[pos:pos + 16])), pos + 16
    if tag == 0x74 or tag == 0x6C:  # t / l
        n = _unpack_I(buf, pos)[0]
        pos += 4
        items = []
        for _ in range(n):
            v, pos = _decode_at(buf, pos)
            items.append(v)
        return (tuple(items) if tag == 0x74 else items), pos
    if tag == 0x78:  # x
        ext = buf[pos]
        n = _unpack_I(buf, pos + 1)[0]
        pos += 5
        dec = _EXT_DECODERS.get(ext)
        if dec is None and _register_builtin_types():
            dec = _EXT_DECODERS.get(ext)
        if dec is None:
            raise _corrupt(f"unknown extension tag {ext}")
        return dec(bytes(buf[pos:pos + n])), pos + n
    raise _corrupt(f"unknown tag {tag}")


def decode_value(buf: bytes) -> Any:
    try:
        v, _pos = _decode_at(buf, 0)
    except (struct.error, IndexError, UnicodeDecodeError, decimal.InvalidOperation) as e:
        raise _corrupt(str(e)) from None
    return v


def decode_row_at(buf: bytes | memoryview, pos: int) -> tuple[tuple, int]:
    """Decode a row starting at ``pos``; return (values, end position)."""
    try:
        n = _unpack_H(buf, pos)[0]
        pos += 2
        out = []
        append = out.append
        for _ in range(n):
            v, pos = _decode_at(buf, pos)
            append(v)
    except (struct.error, IndexError, UnicodeDecodeError, decimal.InvalidOperation) as e:
        raise _corrupt(str(e)) from None
    if pos > len(buf):
        raise _corrupt("truncated row")
    return tuple(out), pos


def decode_row(buf: bytes | memoryview) -> tuple:
    return decode_row_at(buf, 0)[0]
