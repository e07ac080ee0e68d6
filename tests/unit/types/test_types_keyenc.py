"""Property tests for encode_key: sorting by key == sorting by PostgreSQL semantics."""

from __future__ import annotations

import functools
import math
import random
import uuid
from decimal import Decimal
from typing import Any, Callable

import pytest

from tuskdb import types
from tuskdb.types.arrays import array_cmp
from tuskdb.types.float import float_cmp
from tuskdb.types.numeric import numeric_cmp
from tuskdb.types.ranges import range_cmp

R = random.Random(20260101)


def _plain(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


def _bpchar(a: str, b: str) -> int:
    return _plain(a.rstrip(" "), b.rstrip(" "))


def _interval(a: types.Interval, b: types.Interval) -> int:
    return _plain(a.span(), b.span())


def _rand_int(bits: int) -> Callable[[], int]:
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return lambda: R.choice([lo, hi, 0, -1, 1, R.randint(lo, hi), R.randint(-100, 100)])


def _rand_float() -> float:
    return R.choice([math.nan, math.inf, -math.inf, 0.0, -0.0, 5e-324, -5e-324, 1.0,
                     R.uniform(-1e6, 1e6), R.random(), -R.random() * 1e-300,
                     R.uniform(-1e308, 1e308)])


def _rand_numeric() -> Decimal:
    choice = R.random()
    if choice < 0.08:
        return Decimal(R.choice(["NaN", "Infinity", "-Infinity"]))
    if choice < 0.15:
        return Decimal(R.choice(["0", "0.000", "1", "1.0", "1.00", "-1", "-1.000", "10",
                                 "0.1", "-0.10"]))
    digits = R.randint(1, 30)
    scale = R.randint(0, 20)
    v = Decimal(R.randint(-10 ** digits, 10 ** digits)).scaleb(-scale)
    return v


def _rand_text() -> str:
    alphabet = "aAbB zé\u00ff\u4e2d\U0001f600_-.0~"
    return "".join(R.choice(alphabet) for _ in range(R.randint(0, 6)))


def _rand_bytes() -> bytes:
    return bytes(R.choice([0, 1, 0xFF, 0x7F, 0x80, R.randint(0, 255)])
                 for _ in range(R.randint(0, 5)))


def _rand_range() -> Any:
    from tuskdb.types.ranges import make_range
    lo = R.choice([None, R.randint(-5, 5)])
    hi = R.choice([None, R.randint(-5, 5)])
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return make_range(3904, lo, hi, R.random() < 0.5, R.random() < 0.5)


def _rand_interval() -> types.Interval:
    return types.Interval(R.randint(-30, 30), R.randint(-100, 100),
                          R.choice([0, R.randint(-10 ** 12, 10 ** 12)]))


def _bitcmp(a: str, b: str) -> int:
    """varbit.c bit_cmp: memcmp of the zero-padded bytes, then the shorter first."""
    def pad(x: str) -> bytes:
        n = (len(x) + 7) // 8
        return int(x + "0" * (n * 8 - len(x)), 2).to_bytes(n, "big") if x else b""
    pa, pb = pad(a), pad(b)
    n = min(len(pa), len(pb))
    c = (pa[:n] > pb[:n]) - (pa[:n] < pb[:n])
    return c if c else (len(a) > len(b)) - (len(a) < len(b))


TYPE_CASES: list[tuple[int, Callable[[], Any], Callable[[Any, Any], int]]] = [
    (16, lambda: R.choice([True, False]), _plain),
    (21, _rand_int(16), _plain),
    (23, _rand_int(32), _plain),
    (20, _rand_int(64), _plain),
    (26, lambda: R.randint(0, 0xFFFFFFFF), _plain),
    (700, lambda: types.TYPES[700].input(repr(R.uniform(-1e6, 1e6)), -1, None), float_cmp),
    (701, _rand_float, float_cmp),
    (1700, _rand_numeric, numeric_cmp),
    (25, _rand_text, _plain),
    (1043, _rand_text, _plain),
    (1042, lambda: _rand_text() + " " * R.randint(0, 2), _bpchar),
    (17, _rand_bytes, _plain),
    (1562, lambda: "".join(R.choice("01") for _ in range(R.choice([0, 1, 3, 8, 9, 17]))),
     _bitcmp),
    (1082, lambda: R.choice([types.DATE_NOBEGIN, types.DATE_NOEND, R.randint(-10 ** 6, 10 ** 6)]),
     _plain),
    (1114, lambda: R.choice([types.DT_NOBEGIN, types.DT_NOEND, R.randint(-10 ** 16, 10 ** 16)]),
     _plain),
    (1184, lambda: R.randint(-10 ** 16, 10 ** 16), _plain),
    (1083, lambda: R.randint(0, 86400 * 10 ** 6), _plain),
    (1186, _rand_interval, _interval),
    (2950, lambda: uuid.UUID(int=R.getrandbits(128)), _plain),
    (3904, lambda: _rand_range(), lambda a, b: range_cmp(a, b)),
    (1007, lambda: types.Array([R.choice([None, R.randint(-5, 5)])
                                for _ in range(R.randint(0, 4))]), array_cmp),
    (1009, lambda: types.Array([R.choice([None, _rand_text()]) for _ in range(R.randint(0, 3))]),
     array_cmp),
]


def _null_aware(cmp: Callable[[Any, Any], int], desc: bool, nulls_first: bool
                ) -> Callable[[Any, Any], int]:
    def f(a: Any, b: Any) -> int:
        if a is None or b is None:
            if a is None and b is None:
                return 0
            return (-1 if a is None else 1) * (1 if nulls_first else -1)
        c = cmp(a, b)
        return -c if desc else c
    return f


@pytest.mark.parametrize("oid,gen,cmp", TYPE_CASES, ids=[str(c[0]) for c in TYPE_CASES])
@pytest.mark.parametrize("desc,nulls_first", [(False, False), (False, True), (True, True),
                                              (True, False)])
def test_single_column_order(oid: int, gen: Callable[[], Any], cmp: Callable[[Any, Any], int],
                             desc: bool, nulls_first: bool) -> None:
    values = [gen() for _ in range(300)] + [None, None]
    ref = _null_aware(cmp, desc, nulls_first)
    keys = {id(v): types.encode_key([v], [oid], [desc], [nulls_first]) for v in values}
    for _ in range(2000):
        a, b = R.choice(values), R.choice(values)
        ka, kb = keys[id(a)], keys[id(b)]
        kc = (ka > kb) - (ka < kb)
        assert kc == ref(a, b), (oid, a, b, ka, kb)


def test_multi_column_order_and_prefix() -> None:
    oids = [23, 25, 1700]
    desc = [False, True, False]
    nf = [None, None, True]
    cmps = [_null_aware(_plain, False, False), _null_aware(_plain, True, True),
            _null_aware(numeric_cmp, False, True)]
    rows = [(R.choice([None, R.randint(-3, 3)]), R.choice([None, "", "a", "ab", "b"]),
             R.choice([None, _rand_numeric()])) for _ in range(400)]

    def ref(a: tuple, b: tuple) -> int:
        for c, x, y in zip(cmps, a, b):
            r = c(x, y)
            if r:
                return r
        return 0
    by_key = sorted(rows, key=lambda r: types.encode_key(r, oids, desc, nf))
    by_ref = sorted(rows, key=functools.cmp_to_key(ref))
    assert [types.encode_key(r, oids, desc, nf) for r in by_key] == \
        [types.encode_key(r, oids, desc, nf) for r in by_ref]
    for r in rows:
        full = types.encode_key(r, oids, desc, nf)
        assert full.startswith(types.encode_key(r[:2], oids[:2], desc[:2], nf[:2]))


def test_equal_values_equal_keys() -> None:
    D = Decimal
    assert types.encode_key([D("1.0")], [1700]) == types.encode_key([D("1.00")], [1700])
    assert types.encode_key([D("0.000")], [1700]) == types.encode_key([D("0")], [1700])
    assert types.encode_key([-0.0], [701]) == types.encode_key([0.0], [701])
    assert types.encode_key([math.nan], [701]) == types.encode_key([-math.nan], [701])
    assert types.encode_key([types.Interval(1, 0, 0)], [1186]) == \
        types.encode_key([types.Interval(0, 30, 0)], [1186])
    assert types.encode_key(["a  "], [1042]) == types.encode_key(["a"], [1042])
    # all integer widths share one encoding, so int4 columns can be probed with int8 keys
    assert types.encode_key([5], [23]) == types.encode_key([5], [20])


def test_default_nulls_placement() -> None:
    k = types.encode_key
    assert k([None], [23]) > k([10 ** 9], [23])                   # ASC: NULLS LAST
    assert k([None], [23], True) < k([10 ** 9], [23], True)       # DESC: NULLS FIRST
    enc = types.make_key_encoder([23, 25], [False, False], [True, False])
    assert enc([None, "x"]) < enc([-5, "x"])
