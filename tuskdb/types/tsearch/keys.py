"""Order-preserving index keys of tsvector and tsquery (see types/keyenc.py): the
bytes compare like tsvector_cmp / tsquery_cmp."""

from __future__ import annotations

import struct
from typing import Any

from tuskdb.types.tsearch.tsquery import TSQuery
from tuskdb.types.tsearch.tsvector import TSVector, _varsize, wep_pos, wep_weight

_Q = struct.Struct(">Q")
_SIGN64 = 1 << 63


def _int(v: int) -> bytes:
    return _Q.pack((v + _SIGN64) & 0xFFFFFFFFFFFFFFFF)


def _bytes(b: bytes) -> bytes:
    return b.replace(b"\x00", b"\x00\xff") + b"\x00\x00"


def _flatten(key: Any, out: list[bytes]) -> None:
    if isinstance(key, tuple):
        for k in key:
            _flatten(k, out)
    elif isinstance(key, bytes):
        out.append(_bytes(key))
    else:
        out.append(_int(key))


def tsquery_key(q: TSQuery) -> bytes:
    out: list[bytes] = []
    _flatten(q.sort_key(), out)
    return b"".join(out)


def tsvector_key(v: TSVector) -> bytes:
    out = [_int(_varsize(v)), _int(len(v.entries))]
    for lex, pos in v.entries:
        out.append(_int(0 if pos else 1))
        out.append(_bytes(lex.encode("utf-8")))
        if pos:
            out.append(_int(-len(pos)))
            for p in pos:
                out.append(_int(-wep_pos(p)))
                out.append(_int(-wep_weight(p)))
    return b"".join(out)
