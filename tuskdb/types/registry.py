"""TYPES: every built-in type as a PgType, keyed by OID (facts copied from PostgreSQL
18's pg_type), plus the array type of each, and ``type_by_name``.
"""

from __future__ import annotations

from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types import bit as _bit
from tuskdb.types import bool as _bool
from tuskdb.types import bytea as _bytea
from tuskdb.types import datetime as _dt
from tuskdb.types import float as _float
from tuskdb.types import geo as _geo
from tuskdb.types import integer as _int
from tuskdb.types import interval as _iv
from tuskdb.types import json as _json
from tuskdb.types import jsonpath as _jsonpath
from tuskdb.types import xml as _xml
from tuskdb.types import money as _money
from tuskdb.types import multiranges as _multiranges
from tuskdb.types import network as _net
from tuskdb.types import ranges as _ranges
from tuskdb.types import numeric as _num
from tuskdb.types import text as _text
from tuskdb.types import timetz as _timetz
from tuskdb.types import uuid as _uuid
from tuskdb.types.tsearch import tsquery as _tsq
from tuskdb.types.tsearch import tsvector as _tsv
from tuskdb.types.arrays import Array, array_in, array_out, array_recv, array_send
from tuskdb.types.pgtype import PgType

TYPES: dict[int, PgType] = {}
_BY_NAME: dict[str, PgType] = {}


def _add(t: PgType) -> PgType:
    TYPES[t.oid] = t
    _BY_NAME[t.name] = t
    return t


def _io(name: str) -> tuple[str, str, str, str]:
    return (name + "in", name + "out", name + "recv", name + "send")


# --- scalar types: (oid, name, typlen, byval, category, preferred, array_oid, align) -------

_add(PgType(16, "bool", 1, True, "B", True, 1000, align="c", sql_name="boolean",
            input=_bool.bool_in, output=_bool.bool_out, send=_bool.bool_send,
            recv=_bool.bool_recv, procs=_io("bool")))
_add(PgType(17, "bytea", -1, False, "U", False, 1001, align="i", storage="x",
            input=_bytea.bytea_in, output=_bytea.bytea_out, send=_bytea.bytea_send,
            recv=_bytea.bytea_recv, procs=_io("bytea")))
_add(PgType(18, "char", 1, True, "Z", False, 1002, align="c", sql_name='"char"',
            input=_text.char_in, output=_text.char_out, send=_text.char_send,
            recv=_text.char_recv, procs=_io("char")))
_add(PgType(19, "name", 64, False, "S", False, 1003, 18, align="c",
            input=_text.name_in, output=_text.text_out, send=_text.text_send,
            recv=_text.name_recv, procs=_io("name")))
_add(PgType(20, "int8", 8, True, "N", False, 1016, align="d", sql_name="bigint",
            input=_int.int8_in, output=_int.int_out, send=_int.int8_send,
            recv=_int.int8_recv, procs=_io("int8")))
_add(PgType(21, "int2", 2, True, "N", False, 1005, align="s", sql_name="smallint",
            input=_int.int2_in, output=_int.int_out, send=_int.int2_send,
            recv=_int.int2_recv, procs=_io("int2")))
_add(PgType(23, "int4", 4, True, "N", False, 1007, align="i", sql_name="integer",
            input=_int.int4_in, output=_int.int_out, send=_int.int4_send,
            recv=_int.int4_recv, procs=_io("int4")))
_add(PgType(25, "text", -1, False, "S", True, 1009, align="i", storage="x",
            input=_text.text_in, output=_text.text_out, send=_text.text_send,
            recv=_text.text_recv, procs=_io("text")))
_add(PgType(26, "oid", 4, True, "N", True, 1028, align="i",
            input=_int.oid_in, output=_int.int_out, send=_int.oid_send,
            recv=_int.oid_recv, procs=_io("oid")))
for _oid, _name, _arr in ((24, "regproc", 1008), (2202, "regprocedure", 2207),
                          (2203, "regoper", 2208), (2204, "regoperator", 2209),
                          (2205, "regclass", 2210),
                          (2206, "regtype", 2211), (4089, "regnamespace", 4090),
                          (4096, "regrole", 4097), (4191, "regcollation", 4192),
                          (3734, "regconfig", 3735), (3769, "regdictionary", 3770)):
    # Name lookup (regclass 'pg_class') belongs to the catalog layer: the session's
    # type hooks do it; without a session they are oids.
    _add(PgType(_oid, _name, 4, True, "N", False, _arr, align="i",
                input=_int.make_reg_in(_oid), output=_int.int_out, send=_int.oid_send,
                recv=_int.oid_recv, procs=_io(_name)))
_add(PgType(28, "xid", 4, True, "U", False, 1011, align="i", input=_int.oid_in,
            output=_int.int_out, send=_int.oid_send, recv=_int.oid_recv, procs=_io("xid")))
_add(PgType(29, "cid", 4, True, "U", False, 1012, align="i", input=_int.oid_in,
            output=_int.int_out, send=_int.oid_send, recv=_int.oid_recv, procs=_io("cid")))
_add(PgType(5069, "xid8", 8, True, "U", False, 271, align="d", input=_int.int8_in,
            output=_int.int_out, send=_int.int8_send, recv=_int.int8_recv,
            procs=("xid8in", "xid8out", "xid8recv", "xid8send")))
_add(PgType(700, "float4", 4, True, "N", False, 1021, align="i", sql_name="real",
            input=_float.float4_in, output=_float.float4_out, send=_float.float4_send,
            recv=_float.float4_recv, procs=_io("float4")))
_add(PgType(701, "float8", 8, True, "N", True, 1022, align="d", sql_name="double precision",
            input=_float.float8_in, output=_float.float8_out, send=_float.float8_send,
            recv=_float.float8_recv, procs=_io("float8")))
_add(PgType(705, "unknown", -2, False, "X", False, 0, align="c", typtype="p",
            input=_text.text_in, output=_text.text_out, send=_text.text_send,
            recv=_text.text_recv, procs=_io("unknown")))
_add(PgType(1042, "bpchar", -1, False, "S", False, 1014, align="i", storage="x",
            sql_name="character",
            input=_text.bpchar_in, output=_text.text_out, send=_text.text_send,
            recv=_text.bpchar_recv, typmod_in=_text.bpchar_typmod_in,
            format_type=_text.bpchar_format_type, coerce_typmod=_text.bpchar_coerce,
            procs=_io("bpchar") + ("bpchartypmodin", "bpchartypmodout")))
_add(PgType(1043, "varchar", -1, False, "S", False, 1015, align="i", storage="x",
            sql_name="character varying",
            input=_text.varchar_in, output=_text.text_out, send=_text.text_send,
            recv=_text.varchar_recv, typmod_in=_text.varchar_typmod_in,
            format_type=_text.varchar_format_type, coerce_typmod=_text.varchar_coerce,
            procs=_io("varchar") + ("varchartypmodin", "varchartypmodout")))
_add(PgType(1082, "date", 4, True, "D", False, 1182, align="i",
            input=_dt.date_in, output=_dt.date_out, send=_dt.date_send, recv=_dt.date_recv,
            procs=("date_in", "date_out", "date_recv", "date_send")))
_add(PgType(1083, "time", 8, True, "D", False, 1183, align="d",
            sql_name="time without time zone",
            input=_dt.time_in, output=_dt.time_out, send=_dt.time_send, recv=_dt.time_recv,
            typmod_in=_dt.time_typmod_in, format_type=_dt.time_format_type,
            coerce_typmod=_dt.time_coerce,
            procs=("time_in", "time_out", "time_recv", "time_send", "timetypmodin",
                   "timetypmodout")))
_add(PgType(1114, "timestamp", 8, True, "D", False, 1115, align="d",
            sql_name="timestamp without time zone",
            input=_dt.timestamp_in, output=_dt.timestamp_out, send=_dt.timestamp_send,
            recv=_dt.timestamp_recv, typmod_in=_dt.timestamp_typmod_in,
            format_type=_dt.timestamp_format_type, coerce_typmod=_dt.timestamp_coerce,
            procs=("timestamp_in", "timestamp_out", "timestamp_recv", "timestamp_send",
                   "timestamptypmodin", "timestamptypmodout")))
_add(PgType(1184, "timestamptz", 8, True, "D", True, 1185, align="d",
            sql_name="timestamp with time zone",
            input=_dt.timestamptz_in, output=_dt.timestamptz_out, send=_dt.timestamp_send,
            recv=_dt.timestamp_recv, typmod_in=_dt.timestamptz_typmod_in,
            format_type=_dt.timestamptz_format_type, coerce_typmod=_dt.timestamp_coerce,
            procs=("timestamptz_in", "timestamptz_out", "timestamptz_recv",
                   "timestamptz_send", "timestamptztypmodin", "timestamptztypmodout")))
_add(PgType(1266, "timetz", 12, False, "D", False, 1270, align="d",
            sql_name="time with time zone",
            input=_timetz.timetz_in, output=_timetz.timetz_out, send=_timetz.timetz_send,
            recv=_timetz.timetz_recv, typmod_in=_dt.time_typmod_in,
            format_type=_timetz.timetz_format_type, coerce_typmod=_timetz.timetz_coerce,
            procs=("timetz_in", "timetz_out", "timetz_recv", "timetz_send", "timetztypmodin",
                   "timetztypmodout")))
_add(PgType(1186, "interval", 16, False, "T", True, 1187, align="d",
            input=_iv.interval_in, output=_iv.interval_out, send=_iv.interval_send,
            recv=_iv.interval_recv, typmod_in=_iv.interval_typmod_in,
            format_type=_iv.interval_format_type, coerce_typmod=_iv.interval_coerce,
            procs=("interval_in", "interval_out", "interval_recv", "interval_send",
                   "intervaltypmodin", "intervaltypmodout")))
_add(PgType(1700, "numeric", -1, False, "N", False, 1231, align="i", storage="m",
            input=_num.numeric_in, output=_num.numeric_out, send=_num.numeric_send,
            recv=_num.numeric_recv, typmod_in=_num.numeric_typmod_in,
            format_type=_num.numeric_format_type, coerce_typmod=_num.numeric_coerce,
            procs=("numeric_in", "numeric_out", "numeric_recv", "numeric_send",
                   "numerictypmodin", "numerictypmodout")))
_add(PgType(1560, "bit", -1, False, "V", False, 1561, align="i", storage="x",
            input=_bit.bit_in, output=_bit.bit_out, send=_bit.bit_send, recv=_bit.bit_recv,
            typmod_in=_bit.bit_typmod_in, format_type=_bit.bit_format_type,
            coerce_typmod=_bit.bit_coerce,
            procs=("bit_in", "bit_out", "bit_recv", "bit_send", "bittypmodin", "bittypmodout")))
_add(PgType(1562, "varbit", -1, False, "V", True, 1563, align="i", storage="x",
            sql_name="bit varying", input=_bit.varbit_in, output=_bit.bit_out,
            send=_bit.bit_send, recv=_bit.varbit_recv, typmod_in=_bit.varbit_typmod_in,
            format_type=_bit.varbit_format_type, coerce_typmod=_bit.varbit_coerce,
            procs=("varbit_in", "varbit_out", "varbit_recv", "varbit_send", "varbittypmodin",
                   "varbittypmodout")))
_add(PgType(790, "money", 8, True, "N", False, 791, align="d",
            input=_money.cash_in, output=_money.cash_out, send=_money.cash_send,
            recv=_money.cash_recv, procs=("cash_in", "cash_out", "cash_recv", "cash_send")))
_add(PgType(2950, "uuid", 16, False, "U", False, 2951, align="c",
            input=_uuid.uuid_in, output=_uuid.uuid_out, send=_uuid.uuid_send,
            recv=_uuid.uuid_recv, procs=("uuid_in", "uuid_out", "uuid_recv", "uuid_send")))


_add(PgType(114, "json", -1, False, "U", False, 199, align="i", storage="x",
            input=_json.json_in, output=_text.text_out, send=_text.text_send,
            recv=lambda d, typmod=-1, ctx=None: _json.json_in(_text.text_recv(d)),
            procs=("json_in", "json_out", "json_recv", "json_send")))
_add(PgType(3802, "jsonb", -1, False, "U", False, 3807, align="i", storage="x",
            input=_json.jsonb_in, output=_json.jsonb_out, send=_json.jsonb_send,
            recv=_json.jsonb_recv, procs=("jsonb_in", "jsonb_out", "jsonb_recv", "jsonb_send")))
_add(PgType(4072, "jsonpath", -1, False, "U", False, 4073, align="i", storage="x",
            input=_jsonpath.jsonpath_in, output=_jsonpath.jsonpath_out,
            send=_jsonpath.jsonpath_send, recv=_jsonpath.jsonpath_recv,
            procs=("jsonpath_in", "jsonpath_out", "jsonpath_recv", "jsonpath_send")))


_add(PgType(142, "xml", -1, False, "U", False, 143, align="i", storage="x",
            input=_xml.xml_in, output=_xml.xml_out, send=_xml.xml_send, recv=_xml.xml_recv,
            procs=("xml_in", "xml_out", "xml_recv", "xml_send")))
_add(PgType(1790, "refcursor", -1, False, "U", False, 2201, align="i", storage="x",
            input=_text.text_in, output=_text.text_out, send=_text.text_send,
            recv=_text.text_recv, procs=("textin", "textout", "textrecv", "textsend")))


_add(PgType(869, "inet", -1, False, "I", True, 1041, align="i", storage="m",
            input=_net.inet_in, output=_net.inet_out, send=_net.inet_send,
            recv=_net.inet_recv, procs=("inet_in", "inet_out", "inet_recv", "inet_send")))
_add(PgType(650, "cidr", -1, False, "I", False, 651, align="i", storage="m",
            input=_net.cidr_in, output=_net.inet_out, send=_net.inet_send,
            recv=_net.cidr_recv, procs=("cidr_in", "cidr_out", "cidr_recv", "cidr_send")))
_add(PgType(829, "macaddr", 6, False, "U", False, 1040, align="i",
            input=_net.macaddr_in, output=_net.macaddr_out,
            send=lambda v, ctx=None: bytes(v),
            recv=lambda d, typmod=-1, ctx=None: bytes(d),
            procs=("macaddr_in", "macaddr_out", "macaddr_recv", "macaddr_send")))
_add(PgType(3220, "pg_lsn", 8, True, "U", False, 3221, align="d",
            input=_net.pg_lsn_in, output=_net.pg_lsn_out,
            send=lambda v, ctx=None: v.to_bytes(8, "big"),
            recv=lambda d, typmod=-1, ctx=None: int.from_bytes(d, "big"),
            procs=("pg_lsn_in", "pg_lsn_out", "pg_lsn_recv", "pg_lsn_send")))
_add(PgType(1033, "aclitem", 16, False, "U", False, 1034, align="d",
            input=_net.aclitem_in, output=_text.text_out,
            procs=("aclitemin", "aclitemout", "-", "-")))
_add(PgType(194, "pg_node_tree", -1, False, "Z", False, 0, align="i", storage="x",
            input=_text.text_in, output=_text.text_out, send=_text.text_send,
            recv=_text.text_recv,
            procs=("pg_node_tree_in", "pg_node_tree_out", "pg_node_tree_recv",
                   "pg_node_tree_send")))

_add(PgType(3614, "tsvector", -1, False, "U", False, 3643, align="i", storage="x",
            input=_tsv.tsvector_in, output=_tsv.tsvector_out, send=_tsv.tsvector_send,
            recv=_tsv.tsvector_recv, procs=_io("tsvector")))
_add(PgType(3615, "tsquery", -1, False, "U", False, 3645, align="i", storage="p",
            input=_tsq.tsquery_in, output=_tsq.tsquery_out, send=_tsq.tsquery_send,
            recv=_tsq.tsquery_recv, procs=_io("tsquery")))


# --- geometric types --------------------------------------------------------------------

for _oid, _name, _len, _arr, _elem, _io_prefix, _storage in (
        (600, "point", 16, 1017, 701, "point", "p"), (601, "lseg", 32, 1018, 600, "lseg", "p"),
        (602, "path", -1, 1019, 0, "path", "x"), (603, "box", 32, 1020, 600, "box", "p"),
        (604, "polygon", -1, 1027, 0, "poly", "x"), (628, "line", 24, 629, 701, "line", "p"),
        (718, "circle", 24, 719, 0, "circle", "p")):
    _add(PgType(_oid, _name, _len, False, "G", False, _arr, _elem, align="d", storage=_storage,
                delim=";" if _name == "box" else ",",
                input=getattr(_geo, _io_prefix + "_in"), output=getattr(_geo, _io_prefix + "_out"),
                send=getattr(_geo, _io_prefix + "_send"), recv=getattr(_geo, _io_prefix + "_recv"),
                procs=(_io_prefix + "_in", _io_prefix + "_out", _io_prefix + "_recv",
                       _io_prefix + "_send")))


# --- tid: (block, offset) -----------------------------------------------------------------

def _tid_in(text: str, typmod: int = -1, ctx: Any = None) -> tuple[int, int]:
    s = text.strip()
    try:
        if s.startswith("(") and s.endswith(")"):
            b, o = s[1:-1].split(",")
            blk, off = int(b), int(o)
            if 0 <= blk <= 0xFFFFFFFF and 0 <= off <= 0xFFFF:
                return (blk, off)
    except ValueError:
        pass
    raise PgError("22P02", f'invalid input syntax for type tid: "{text}"')


_add(PgType(27, "tid", 6, False, "U", False, 1010, align="s", input=_tid_in,
            output=lambda v, ctx=None: f"({v[0]},{v[1]})",
            send=lambda v, ctx=None: v[0].to_bytes(4, "big") + v[1].to_bytes(2, "big"),
            recv=lambda d, typmod=-1, ctx=None: (int.from_bytes(d[:4], "big"),
                                                 int.from_bytes(d[4:6], "big")),
            procs=_io("tid")))


# --- range types (their array types follow below) ---------------------------------------------

for _oid, _name, _arr, _align in ((3904, "int4range", 3905, "i"), (3926, "int8range", 3927, "d"),
                                  (3906, "numrange", 3907, "i"), (3908, "tsrange", 3909, "d"),
                                  (3910, "tstzrange", 3911, "d"), (3912, "daterange", 3913, "i")):
    _rin, _rout, _rsend, _rrecv = _ranges.make_io(_oid, TYPES)
    _add(PgType(_oid, _name, -1, False, "R", False, _arr, align=_align, storage="x",
                typtype="r", input=_rin, output=_rout, send=_rsend, recv=_rrecv,
                procs=("range_in", "range_out", "range_recv", "range_send")))


def range_pgtype(oid: int, name: str, array_oid: int, align: str) -> PgType:
    """The PgType of a range type registered in ranges.RANGE_INFO."""
    rin, rout, rsend, rrecv = _ranges.make_io(oid, TYPES)
    return PgType(oid, name, -1, False, "R", False, array_oid, align=align, storage="x",
                  typtype="r", input=rin, output=rout, send=rsend, recv=rrecv,
                  procs=("range_in", "range_out", "range_recv", "range_send"))


def multirange_pgtype(oid: int, name: str, array_oid: int, align: str) -> PgType:
    """The PgType of a multirange type (its range type registered in ranges.RANGE_INFO)."""
    min_, mout, msend, mrecv = _multiranges.make_io(oid, TYPES)
    return PgType(oid, name, -1, False, "R", False, array_oid, align=align, storage="x",
                  typtype="m", input=min_, output=mout, send=msend, recv=mrecv,
                  procs=("multirange_in", "multirange_out", "multirange_recv",
                         "multirange_send"))


for _oid, _name, _arr, _align in ((4451, "int4multirange", 6150, "i"),
                                  (4536, "int8multirange", 6157, "d"),
                                  (4532, "nummultirange", 6151, "i"),
                                  (4533, "tsmultirange", 6152, "d"),
                                  (4534, "tstzmultirange", 6153, "d"),
                                  (4535, "datemultirange", 6155, "i")):
    _add(multirange_pgtype(_oid, _name, _arr, _align))


# --- pseudo-types --------------------------------------------------------------------------

def _void_in(text: str, typmod: int = -1, ctx: Any = None) -> None:
    return None


def _anyarray_out(value: Any, ctx: Any = None) -> str:
    """anyarray catalog columns: pg_attribute.attmissingval holds its array's text,
    pg_statistic.stavaluesN a TypedArray (formatted by its element type)."""
    if isinstance(value, str):
        return value
    from tuskdb.types.arrays import TypedArray
    if isinstance(value, TypedArray) and value.elem_oid in TYPES:
        from tuskdb.types.arrays import array_out
        elem = TYPES[value.elem_oid]
        return array_out(value, elem.output, ctx, elem.delim)
    raise PgError("0A000", "cannot display a value of type anyarray")


_add(PgType(2278, "void", 4, True, "P", False, 0, typtype="p", input=_void_in,
            output=lambda v, ctx=None: "", send=lambda v, ctx=None: b"",
            recv=lambda d, typmod=-1, ctx=None: None,
            procs=("void_in", "void_out", "void_recv", "void_send")))
for _oid, _name, _len, _byval, _align in (
        (2276, "any", 4, True, "i"), (2277, "anyarray", -1, False, "d"),
        (2283, "anyelement", 4, True, "i"), (2776, "anynonarray", 4, True, "i"),
        (5077, "anycompatible", 4, True, "i"), (5078, "anycompatiblearray", -1, False, "d"),
        (2249, "record", -1, False, "d"), (2275, "cstring", -2, False, "c"),
        (2279, "trigger", 4, True, "i"), (3831, "anyrange", -1, False, "d"),
        (3500, "anyenum", 4, True, "i"), (3838, "event_trigger", 4, True, "i"),
        (3115, "fdw_handler", 4, True, "i"),
        (2281, "internal", 8, True, "d"), (5079, "anycompatiblenonarray", 4, True, "i"),
        (5080, "anycompatiblerange", -1, False, "d"), (4537, "anymultirange", -1, False, "d"),
        (4538, "anycompatiblemultirange", -1, False, "d")):
    _io_names = (f"{_name}_in", f"{_name}_out") + (
        (f"{_name}_recv", f"{_name}_send")
        if _name in ("anyarray", "anycompatiblearray", "record", "cstring") else ("-", "-"))
    _add(PgType(_oid, _name, _len, _byval, "P", False, 2287 if _name == "record" else (
        1263 if _name == "cstring" else 0), typtype="p", align=_align,
        storage="x" if _len == -1 else "p", sql_name='"any"' if _name == "any" else None,
        input=_text.text_in if _name == "cstring" else None,
        output=_text.text_out if _name == "cstring" else (
            _anyarray_out if _name == "anyarray" else None), procs=_io_names))


# record: anonymous composite values (types.records.Record carries its field types)
from tuskdb.types import records as _records  # noqa: E402

TYPES[2249].input = _records.anonymous_record_in
TYPES[2249].output = _records.record_out


# --- int2vector / oidvector: space-separated, lower bound 0 ---------------------------------

def _vector_type(oid: int, name: str, arr: int, elem: int, elem_in: Callable[..., int]
                 ) -> PgType:
    import re as _re
    elem_name = "smallint" if elem == 21 else "oid"

    def vin(text: str, typmod: int = -1, ctx: Any = None) -> Array:
        out = []
        for p in text.split():
            # a number followed by junk: the junk is what PostgreSQL reports
            m = _re.match(r"[+-]?\d+", p)
            if m and m.end() < len(p):
                raise PgError("22P02", f'invalid input syntax for type {elem_name}: '
                              f'"{p[m.end():]}"')
            out.append(elem_in(p))
        return Array(out, 0)

    def vout(v: Array, ctx: Any = None) -> str:
        return " ".join(str(x) for x in v.items)

    et = TYPES[elem]
    return PgType(oid, name, -1, False, "A", False, arr, elem, align="i", input=vin,
                  output=vout,
                  send=lambda v, ctx=None: array_send(v, elem, et.send, ctx),
                  recv=lambda d, typmod=-1, ctx=None: array_recv(d, elem, et.recv, -1, ctx),
                  procs=_io(name))


_add(_vector_type(22, "int2vector", 1006, 21, _int.int2_in))
_add(_vector_type(30, "oidvector", 1013, 26, _int.oid_in))


# --- array types -----------------------------------------------------------------------------

def _array_type(elem: PgType) -> PgType:
    e_in, e_out, e_send, e_recv = elem.input, elem.output, elem.send, elem.recv
    e_oid, delim = elem.oid, elem.delim
    e_fmt = elem.format_type
    e_coerce = elem.coerce_typmod

    def a_in(text: str, typmod: int = -1, ctx: Any = None) -> Array:
        return array_in(text, e_in, typmod, ctx, delim)

    def a_out(v: Array, ctx: Any = None) -> str:
        return array_out(v, e_out, ctx, delim)

    def a_send(v: Array, ctx: Any = None) -> bytes:
        return array_send(v, e_oid, e_send, ctx)

    def a_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> Array:
        return array_recv(data, e_oid, e_recv, typmod, ctx)

    def a_coerce(v: Array, typmod: int, explicit: bool = False) -> Array:
        if typmod < 0:
            return v
        return v.with_items([None if x is None else e_coerce(x, typmod, explicit)
                             for x in v.items])

    return PgType(elem.array_oid, "_" + elem.name, -1, False, "A", False, 0, elem.oid,
                  delim=elem.delim, align="d" if elem.align == "d" else "i", storage="x",
                  sql_name=elem.sql_name + "[]", input=a_in, output=a_out, send=a_send,
                  recv=a_recv, typmod_in=elem.typmod_in if elem.typmodin != "-" else None,
                  format_type=lambda typmod: e_fmt(typmod) + "[]", coerce_typmod=a_coerce,
                  procs=("array_in", "array_out", "array_recv", "array_send",
                         elem.typmodin, elem.typmodout))


for _t in list(TYPES.values()):
    if _t.array_oid and _t.typtype in ("b", "r", "m") and _t.array_oid not in TYPES:
        _add(_array_type(_t))

_add(_array_type(TYPES[2249]))      # _record (2287): arrays of records (a pseudo-type)
TYPES[2287].category = "P"
TYPES[2287].typtype = "p"

# SQL spellings accepted by type_by_name besides the typnames
ALIASES = {
    "integer": "int4", "int": "int4", "smallint": "int2", "bigint": "int8", "real": "float4",
    "double precision": "float8", "float": "float8", "boolean": "bool", "decimal": "numeric",
    "character varying": "varchar", "character": "bpchar",
    "bit varying": "varbit", "char": "bpchar",
    "timestamp without time zone": "timestamp", "timestamp with time zone": "timestamptz",
    "time without time zone": "time", '"char"': "char", "dec": "numeric",
}


def type_by_name(typname: str) -> PgType:
    """Look a type up by its pg_type.typname ('int4', '_text'), or an SQL spelling."""
    t = _BY_NAME.get(typname)
    if t is None:
        alias = ALIASES.get(typname.lower())
        if alias is not None:
            return _BY_NAME[alias]
        if typname.endswith("[]"):
            base = type_by_name(typname[:-2])
            return TYPES[base.array_oid]
        raise PgError("42704", f'type "{typname}" does not exist')
    return t


def format_type(type_oid: int | None, typmod: int | None) -> str | None:
    """SQL format_type(oid, typmod): NULL typmod gives the plain SQL name."""
    if type_oid is None:
        return None
    if type_oid == 0:
        return "-"
    t = TYPES.get(type_oid)
    if t is None:
        return "???"
    if typmod is None:
        return t.sql_name
    if t.oid == 1700 and typmod < 4:
        return "numeric"
    if t.oid == 1560 and typmod < 0:
        return '"bit"'      # plain BIT means bit(1): a length-less bit is spelled quoted
    return t.format_type(typmod)


def parse_type_name(name: str) -> tuple[PgType, int]:
    """'varchar(3)', 'integer[]', 'timestamp(2) with time zone' -> (type, typmod)."""
    import re
    m = re.fullmatch(r"\s*([a-z_][a-z0-9_ ]*?)\s*\(([^)]*)\)\s*(with time zone|without time zone)?"
                     r"\s*((?:\[\s*\])*)\s*", name, re.I)
    if m:
        base = m.group(1) + (" " + m.group(3) if m.group(3) else "")
        mods: list[int | str] = [x.strip() for x in m.group(2).split(",")]
        arrays = m.group(4)
    else:
        m2 = re.fullmatch(r"\s*(.+?)\s*((?:\[\s*\])*)\s*", name)
        assert m2
        base, mods, arrays = m2.group(1), [], m2.group(2)
    base = {"timestamp with time zone": "timestamptz", "time with time zone": "timetz",
            "timestamptz": "timestamptz"}.get(base.lower(), base)
    if base.lower() == "char":
        base = "bpchar"                 # SQL's char; the one-byte type is spelled "char"
        if not mods:
            mods = [1]
    t = type_by_name(base.lower() if base.lower() != '"char"' else '"char"')
    typmod = -1
    if not mods and base.lower() in ("bit", "character"):
        mods = [1]                      # the grammar's BIT / CHARACTER mean length 1
    if mods:
        vals = [int(x) for x in mods]
        if t.oid == 1186:
            vals = [0x7FFF] + vals
        typmod = t.typmod_in(vals)
    if arrays:
        t = TYPES[t.array_oid]
    return t, typmod


def pg_input_is_valid(text: str, typname: str) -> bool:
    t, typmod = parse_type_name(typname)
    try:
        t.input(text, typmod, None)
    except PgError as e:
        if e.sqlstate.startswith("22") or getattr(e, "soft_input", False):
            return False
        raise
    return True


_PRECISION_NAMES = {1083: "TIME", 1266: "TIME(%d) WITH TIME ZONE", 1114: "TIMESTAMP",
                    1184: "TIMESTAMP(%d) WITH TIME ZONE", 1186: "INTERVAL"}


def typmod_warning(type_oid: int, mods: list[int | str]) -> PgError | None:
    """The WARNING PostgreSQL emits while accepting a too-large precision
    ('TIME(7) precision reduced to maximum allowed, 6'), or None."""
    t = TYPES.get(type_oid)
    if t is None or t.category == "A":
        t = TYPES.get(t.elem_oid) if t is not None else None
        if t is None:
            return None
    name = _PRECISION_NAMES.get(t.oid)
    if name is None or not mods:
        return None
    try:
        p = int(mods[-1] if t.oid == 1186 else mods[0])
    except (TypeError, ValueError):
        return None
    if t.oid == 1186 and len(mods) < 2:
        return None
    if p <= 6:
        return None
    label = name % p if "%d" in name else f"{name}({p})"
    return PgError("22023", f"{label} precision reduced to maximum allowed, 6",
                   severity="WARNING")


# -- user-defined types (CREATE TYPE / CREATE DOMAIN) ---------------------------------

FIRST_USER_OID = 16384


def register_user_type(t: PgType) -> None:
    """Make a catalog-defined type (and its array type) reachable through ``TYPES``.

    The catalog layer calls this whenever it (re)loads the type's pg_type row, so the
    entry follows the newest definition a session has seen."""
    TYPES[t.oid] = t
    if t.array_oid and t.typtype != "p":
        arr = TYPES.get(t.array_oid)
        if arr is None or _ARRAY_ELEM_REF.get(t.array_oid) is not t:
            arr = _array_type(t)
            TYPES[t.array_oid] = arr
            _ARRAY_ELEM_REF[t.array_oid] = t


_ARRAY_ELEM_REF: dict[int, PgType] = {}


def builtin_types() -> list[PgType]:
    """The built-in types (initdb's pg_type rows)."""
    return [t for oid, t in TYPES.items() if oid < FIRST_USER_OID]
