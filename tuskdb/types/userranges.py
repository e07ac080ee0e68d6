"""Range types made by CREATE TYPE ... AS RANGE, and their multirange types.

The catalog layer reads pg_type and pg_range and calls ``make_range_type`` /
``make_multirange_type``; both register the pair in ``ranges.RANGE_INFO`` /
``ranges.MULTIRANGE_RANGE`` first, so the operators, polymorphic resolution
and key encoding (which all look a range type up there) know them.  Values are
the same ``Range`` / ``Multirange`` classes as the built-in ones.

A user-defined range has no canonical function (PostgreSQL requires one
written in C), so its values are kept as written: ``[1,2]`` stays ``[1,2]``.
"""

from __future__ import annotations

from tuskdb.types import multiranges as _mr
from tuskdb.types import ranges as _ranges
from tuskdb.types.usertypes import UserType


def register_range(oid: int, name: str, subtype: int, multirange_oid: int,
                   collation: int = 0, subopc: int = 0, subdiff_name: str = "-") -> None:
    """Record a pg_range row with the range operators."""
    if oid in _ranges.RANGE_INFO and _ranges.RANGE_INFO[oid].subtype == subtype and \
            _ranges.RANGE_INFO[oid].multirange_oid == multirange_oid:
        return
    _ranges.register_range_type(_ranges.RangeTypeInfo(
        oid, name, subtype, multirange_oid, False, None, collation, subopc, "-",
        subdiff_name))


def make_range_type(oid: int, name: str, sql_name: str, array_oid: int, align: str
                    ) -> UserType:
    """The PgType of a registered user-defined range type."""
    rin, rout, rsend, rrecv = _ranges.make_io(oid, _types())
    t = UserType(oid, name, -1, False, "R", False, array_oid, align=align, storage="x",
                 typtype="r", sql_name=sql_name, input=rin, output=rout, send=rsend,
                 recv=rrecv, procs=("range_in", "range_out", "range_recv", "range_send",
                                    "-", "-"))
    _forget_key_encoder(oid)
    return t


def make_multirange_type(oid: int, name: str, sql_name: str, array_oid: int, align: str
                         ) -> UserType:
    """The PgType of the multirange type of a registered user-defined range type."""
    min_, mout, msend, mrecv = _mr.make_io(oid, _types())
    t = UserType(oid, name, -1, False, "R", False, array_oid, align=align, storage="x",
                 typtype="m", sql_name=sql_name, input=min_, output=mout, send=msend,
                 recv=mrecv, procs=("multirange_in", "multirange_out", "multirange_recv",
                                    "multirange_send", "-", "-"))
    _forget_key_encoder(oid)
    return t


def _types() -> dict:
    from tuskdb.types.registry import TYPES
    return TYPES


def _forget_key_encoder(oid: int) -> None:
    from tuskdb.types import keyenc
    keyenc.ENCODERS.pop(oid, None)
