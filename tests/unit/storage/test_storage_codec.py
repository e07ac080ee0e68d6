"""The tagged value codec: every value type round-trips, garbage is XX001."""

import decimal
import math
import uuid

import pytest

from tuskdb.errors import PgError
from tuskdb.storage import codec


class Interval:
    def __init__(self, m, d, u):
        self.m, self.d, self.u = m, d, u

    def __eq__(self, o):
        return (self.m, self.d, self.u) == (o.m, o.d, o.u)


codec.register_codec(Interval, 200,
                     lambda v: f"{v.m},{v.d},{v.u}".encode(),
                     lambda b: Interval(*map(int, b.decode().split(","))))

VALUES = [
    None, True, False, 0, -1, 2**63 - 1, -2**63, 2**63, -2**200, 10**40, 1.5, -0.0,
    float("inf"), "", "héllo \U0001F600", "\udc80", b"", b"\x00\xff", decimal.Decimal("1.50"),
    decimal.Decimal("NaN"), decimal.Decimal("Infinity"), decimal.Decimal("-Infinity"),
    decimal.Decimal("-0.000001"), uuid.UUID(int=12345), (1, "a", None), [1, [2, (3,)]],
    Interval(1, 2, 3),
]


@pytest.mark.parametrize("v", VALUES, ids=repr)
def test_value_roundtrip(v):
    out = codec.decode_value(codec.encode_value(v))
    assert type(out) is type(v)
    assert repr(out) == repr(v) if isinstance(v, decimal.Decimal) else out == v


def test_nan_float():
    assert math.isnan(codec.decode_value(codec.encode_value(float("nan"))))


def test_row_roundtrip():
    row = tuple(v for v in VALUES if not (isinstance(v, decimal.Decimal) and v.is_nan()))
    assert codec.decode_row(codec.encode_row(row)) == row


def test_big_value():
    v = "x" * (5 * 1024 * 1024)
    assert codec.decode_row(codec.encode_row((v,))) == (v,)


def test_garbage_is_data_corrupted():
    with pytest.raises(PgError) as e:
        codec.decode_row(b"\x02\x00Z")
    assert e.value.sqlstate == "XX001"
    with pytest.raises(PgError):
        codec.decode_row(codec.encode_row(("abcdef",))[:-2])


def test_unknown_type():
    with pytest.raises(TypeError):
        codec.encode_value(object())


def test_types_interval_and_array():
    from tuskdb.types import Array
    from tuskdb.types import Interval as PgInterval
    for v in (PgInterval(1, -2, 3_000_000), Array((1, None, "x")), Array((Array((1, 2)),), 0)):
        out = codec.decode_row(codec.encode_row((v,)))[0]
        assert type(out) is type(v) and out == v
