"""PostgreSQL's hash functions (hashfn.c, Bob Jenkins' lookup3): hashint4,
hashtext, ... returning the same int4 values as PostgreSQL on little-endian
machines (what hash partitioning and user queries see)."""

from __future__ import annotations

import struct
from typing import Any, Callable

_M = 0xFFFFFFFF
_Q = struct.Struct("<d")
_U3 = struct.Struct("<3I")
_U2 = struct.Struct("<2I")
_U1 = struct.Struct("<I")


def _rot(x: int, k: int) -> int:
    return ((x << k) | (x >> (32 - k))) & _M


def _mix(a: int, b: int, c: int) -> tuple[int, int, int]:
    a = (a - c) & _M
    a ^= _rot(c, 4)
    c = (c + b) & _M
    b = (b - a) & _M
    b ^= _rot(a, 6)
    a = (a + c) & _M
    c = (c - b) & _M
    c ^= _rot(b, 8)
    b = (b + a) & _M
    a = (a - c) & _M
    a ^= _rot(c, 16)
    c = (c + b) & _M
    b = (b - a) & _M
    b ^= _rot(a, 19)
    a = (a + c) & _M
    c = (c - b) & _M
    c ^= _rot(b, 4)
    b = (b + a) & _M
    return a, b, c


def _final(a: int, b: int, c: int) -> int:
    return _final3(a, b, c)[2]


def _final3(a: int, b: int, c: int) -> tuple[int, int, int]:
    c ^= b
    c = (c - _rot(b, 14)) & _M
    a ^= c
    a = (a - _rot(c, 11)) & _M
    b ^= a
    b = (b - _rot(a, 25)) & _M
    c ^= b
    c = (c - _rot(b, 16)) & _M
    a ^= c
    a = (a - _rot(c, 4)) & _M
    b ^= a
    b = (b - _rot(a, 14)) & _M
    c ^= b
    c = (c - _rot(b, 24)) & _M
    return a, b, c


def hash_bytes(k: bytes) -> int:
    """hash_bytes (uint32)."""
    n = len(k)
    a = b = c = (0x9E3779B9 + n + 3923095) & _M
    return _hash_bytes_abc(k, a, b, c)[2]


def hash_bytes_extended(k: bytes, seed: int) -> int:
    """hash_bytes_extended (uint64): the seed perturbs the initial state."""
    n = len(k)
    a = b = c = (0x9E3779B9 + n + 3923095) & _M
    if seed:
        a = (a + (seed >> 32)) & _M
        b = (b + (seed & _M)) & _M
        a, b, c = _mix(a, b, c)
    a, b, c = _hash_bytes_abc(k, a, b, c)
    return (b << 32) | c


def hash_uint32_extended(k: int, seed: int) -> int:
    a = b = c = (0x9E3779B9 + 4 + 3923095) & _M
    if seed:
        a = (a + (seed >> 32)) & _M
        b = (b + (seed & _M)) & _M
        a, b, c = _mix(a, b, c)
    a = (a + (k & _M)) & _M
    a, b, c = _final3(a, b, c)
    return (b << 32) | c


def _hash_bytes_abc(k: bytes, a: int, b: int, c: int) -> tuple[int, int, int]:
    n = len(k)
    pos = 0
    while n - pos >= 12:
        x, y, z = _U3.unpack_from(k, pos)
        a, b, c = _mix((a + x) & _M, (b + y) & _M, (c + z) & _M)
        pos += 12
    rest = k[pos:] + b"\0" * 12
    r = n - pos
    if r >= 9:
        c = (c + (int.from_bytes(rest[8:r], "little") << 8)) & _M
    if r >= 8:
        x, y = _U2.unpack_from(rest, 0)
        a, b = (a + x) & _M, (b + y) & _M
    elif r >= 5:
        a = (a + _U1.unpack_from(rest, 0)[0]) & _M
        b = (b + int.from_bytes(rest[4:r], "little")) & _M
    elif r == 4:
        a = (a + _U1.unpack_from(rest, 0)[0]) & _M
    elif r >= 1:
        a = (a + int.from_bytes(rest[:r], "little")) & _M
    return _final3(a, b, c)


def hash_uint32(k: int) -> int:
    a = b = c = (0x9E3779B9 + 4 + 3923095) & _M
    a = (a + (k & _M)) & _M
    return _final(a, b, c)


def _s32(u: int) -> int:
    return u - (1 << 32) if u >= 1 << 31 else u


def hashint4(v: int) -> int:
    return _s32(hash_uint32(v & _M))


def hashint8(v: int) -> int:
    lo = v & _M
    hi = (v >> 32) & _M
    lo ^= hi if v >= 0 else (~hi & _M)
    return _s32(hash_uint32(lo))


def hashtext(s: str) -> int:
    return _s32(hash_bytes(s.encode()))


def hashbpchar(s: str) -> int:
    return hashtext(s.rstrip(" "))


def hashfloat8(x: float) -> int:
    if x == 0.0:
        return 0
    if x != x:
        return _s32(hash_bytes(struct.pack("<Q", 0x7FF8000000000000)))
    return _s32(hash_bytes(_Q.pack(x)))


def hashchar(c: Any) -> int:
    if isinstance(c, bool):
        return hashint4(1 if c else 0)
    b = c.encode("latin-1", "replace")[:1] if isinstance(c, str) else bytes(c)[:1]
    v = b[0] if b else 0
    return hashint4(v - 256 if v >= 128 else v)


def hashbytea(v: bytes) -> int:
    return _s32(hash_bytes(bytes(v)))


def uuid_hash(u: Any) -> int:
    return _s32(hash_bytes(u.bytes))


def interval_hash(iv: Any) -> int:
    """hashint8 of the low 64 bits of the interval's span (30-day months), so equal
    intervals ('1 month' and '30 days') hash alike."""
    span = iv.span() & 0xFFFFFFFFFFFFFFFF
    return hashint8(span - (1 << 64) if span >= 1 << 63 else span)


IMPLS: dict[str, Callable[..., Any]] = {
    "hashint2": hashint4, "hashint4": hashint4, "hashint8": hashint8, "hashoid": hashint4,
    "hashtext": hashtext, "hashname": hashtext, "hashbpchar": hashbpchar,
    "hashfloat4": hashfloat8, "hashfloat8": hashfloat8, "hashchar": hashchar,
    "hashvarlena": hashbytea, "uuid_hash": uuid_hash, "bpcharhash": hashbpchar,
    "timestamp_hash": hashint8, "time_hash": hashint8, "hashbool": hashchar,
    "interval_hash": interval_hash,
}


# -- seeded 64-bit variants (the hash opclasses' support function 2), used by hash
# partitioning: partition = hash_combine64 over the key columns of each one's
# extended hash with HASH_PARTITION_SEED, modulo the greatest modulus


def hashint4extended(v: int, seed: int) -> int:
    return hash_uint32_extended(v & _M, seed)


def hashint8extended(v: int, seed: int) -> int:
    lo = v & _M
    hi = (v >> 32) & _M
    lo ^= hi if v >= 0 else (~hi & _M)
    return hash_uint32_extended(lo, seed)


def hashtextextended(s: str, seed: int) -> int:
    return hash_bytes_extended(s.encode(), seed)


def hashbpcharextended(s: str, seed: int) -> int:
    return hashtextextended(s.rstrip(" "), seed)


def hashfloat8extended(x: float, seed: int) -> int:
    if x == 0.0:
        return seed
    if x != x:
        return hash_bytes_extended(struct.pack("<Q", 0x7FF8000000000000), seed)
    return hash_bytes_extended(_Q.pack(x), seed)


def hashcharextended(c: Any, seed: int) -> int:
    if isinstance(c, bool):
        return hash_uint32_extended(1 if c else 0, seed)
    b = c.encode("latin-1", "replace")[:1] if isinstance(c, str) else bytes(c)[:1]
    v = b[0] if b else 0
    return hash_uint32_extended((v - 256 if v >= 128 else v) & _M, seed)


def hashbyteaextended(v: bytes, seed: int) -> int:
    return hash_bytes_extended(bytes(v), seed)


def uuid_hash_extended(u: Any, seed: int) -> int:
    return hash_bytes_extended(u.bytes, seed)


# type oid -> extended hash function of its default hash operator class
EXTENDED_BY_TYPE: dict[int, Callable[[Any, int], int]] = {
    16: hashcharextended, 18: hashcharextended, 21: hashint4extended, 23: hashint4extended,
    26: hashint4extended, 1082: hashint4extended, 20: hashint8extended,
    1114: hashint8extended, 1184: hashint8extended, 1083: hashint8extended,
    25: hashtextextended, 1043: hashtextextended, 19: hashtextextended,
    1042: hashbpcharextended, 700: hashfloat8extended, 701: hashfloat8extended,
    17: hashbyteaextended, 2950: uuid_hash_extended,
}

HASH_PARTITION_SEED = 0x7A5B22367996DCFD
_M64 = (1 << 64) - 1


def hash_combine64(a: int, b: int) -> int:
    return a ^ ((b + 0x49A0F4DD15E5A8E3 + (a << 54) + (a >> 7)) & _M64)
