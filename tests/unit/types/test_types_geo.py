"""Geometric types: binary round trips, plain forms, recv errors (values checked
against PostgreSQL 18 by the golden SQL files tests/sql/types/geometric_*.sql)."""

from __future__ import annotations

import pytest

from tuskdb import types
from tuskdb.errors import PgError
from tuskdb.types import geo

VALUES = {
    "point": ["(1.5,-2)", "(NaN,Infinity)", "(1e-300,-1e-300)"],
    "lseg": ["[(1,2),(3,4)]"],
    "box": ["(3,4),(1,2)", "(0,0),(0,0)"],
    "path": ["[(1,2),(3,4),(5,6)]", "((10,20))"],
    "polygon": ["((1,2),(3,4),(5,0))", "((0,0))"],
    "line": ["{1,2,3}", "{0,-1,5}"],
    "circle": ["<(1,2),3>", "<(3,5),0>"],
}


@pytest.mark.parametrize("typname,text", [(t, v) for t, vs in VALUES.items() for v in vs])
def test_binary_and_plain_round_trip(typname: str, text: str) -> None:
    t = types.type_by_name(typname)
    v = t.input(text, -1, None)
    assert t.output(t.recv(t.send(v, None), -1, None), None) == t.output(v, None)
    for cls, _name, to_plain, from_plain in types.VALUE_CLASSES:
        if isinstance(v, cls):
            assert t.output(from_plain(to_plain(v)), None) == t.output(v, None)
            break
    else:
        raise AssertionError(f"{typname} has no plain form")


@pytest.mark.parametrize("typname,data,sqlstate,message", [
    ("circle", bytes.fromhex("3ff0000000000000" * 2 + "bff0000000000000"), "22P03",
     'invalid radius in external "circle" value'),
    ("path", b"\x01\x00\x00\x00\x00", "22P03", 'invalid number of points in external "path" value'),
    ("polygon", b"\x00\x00\x00\x01" + b"\x00" * 8, "08P01", "insufficient data left in message"),
    ("line", b"\x00" * 24, "22P03", "invalid line specification: A and B cannot both be zero"),
])
def test_recv_errors(typname: str, data: bytes, sqlstate: str, message: str) -> None:
    with pytest.raises(PgError) as exc:
        types.type_by_name(typname).recv(data, -1, None)
    assert (exc.value.sqlstate, exc.value.message) == (sqlstate, message)


def test_box_recv_sorts_corners() -> None:
    t = types.type_by_name("box")
    data = bytes.fromhex("3ff0000000000000" * 2 + "4000000000000000" * 2)
    assert t.output(t.recv(data, -1, None), None) == "(2,2),(1,1)"


def test_fuzzy_equality() -> None:
    a, b = geo.point_in("(1,1)"), geo.point_in("(1.0000005,1)")
    assert geo.point_eq(a, b) and not geo.point_ne(a, b)
    assert not geo.point_eq(a, geo.point_in("(1.00001,1)"))
    nan = geo.point_in("(NaN,NaN)")
    assert geo.point_eq(nan, nan)


def test_fixed_subscripts() -> None:
    p = geo.point_in("(1,2)")
    assert geo.fixed_subscript(p, 0) == 1.0 and geo.fixed_subscript(p, 2) is None
    assert geo.point_out(geo.fixed_assign(p, [1], 5.0)) == "(1,5)"
    with pytest.raises(PgError):
        geo.fixed_assign(p, [2], 5.0)


def test_recv_leftover_bytes() -> None:
    for typname, data in (("point", b"\x00" * 17), ("path", b"\x00\x00\x00\x00\x01" + b"\x00" * 17),
                          ("polygon", b"\x00\x00\x00\x01" + b"\x00" * 17)):
        with pytest.raises(PgError) as exc:
            types.type_by_name(typname).recv(data, -1, None)
        assert (exc.value.sqlstate, exc.value.message) == ("22P03", "incorrect binary data format")
