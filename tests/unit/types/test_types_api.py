"""API-level tests of the types layer.  Expected strings and error texts were taken
from PostgreSQL 18.6 (the oracle) unless the test is about Python-side behaviour."""

from __future__ import annotations

import math
from typing import Any
import random
import uuid
from decimal import Decimal

import pytest

from tuskdb import types
from tuskdb.errors import PgError
from tuskdb.types.aggregates import AGGREGATES_BY_NAME, run_aggregate
from tuskdb.types.builtins import FUNCTIONS_BY_NAME, OPERATORS_BY_NAME
from tuskdb.types.interval import I_DAY, I_HOUR, I_MINUTE, I_MONTH, I_SECOND, I_YEAR

CTX = types.DEFAULT_CONTEXT
IV = types.TYPES[1186]


def _err(fn, sqlstate: str, message: str) -> None:
    with pytest.raises(PgError) as ei:
        fn()
    assert (ei.value.sqlstate, ei.value.message) == (sqlstate, message)


# --- interval typmods (oracle: interval '...' <fields>) -----------------------------------

@pytest.mark.parametrize("text,mods,expected", [
    ("1 2", [I_DAY | I_HOUR], "1 day 02:00:00"),
    ("1:30", [I_MINUTE | I_SECOND], "00:01:30"),
    ("1 2:03:04.5678", [I_DAY | I_HOUR | I_MINUTE | I_SECOND, 2], "1 day 02:03:04.57"),
    ("14 months", [I_YEAR], "1 year"),
    ("100", [I_YEAR], "100 years"),
    ("100", [I_MINUTE], "01:40:00"),
    ("1.5", [I_HOUR], "01:00:00"),
    ("1 day 03:04:05.678", [I_HOUR | I_MINUTE], "1 day 03:04:00"),
    ("3 years 14 months", [I_YEAR | I_MONTH], "4 years 2 mons"),
    ("1:2:3", [I_MINUTE], "01:02:00"),
])
def test_interval_typmod_input(text: str, mods: list[int], expected: str) -> None:
    typmod = IV.typmod_in(mods)
    assert IV.output(IV.input(text, typmod, CTX), CTX) == expected


def test_format_type() -> None:
    assert IV.format_type(IV.typmod_in([I_YEAR | I_MONTH])) == "interval year to month"
    assert IV.format_type(IV.typmod_in([I_SECOND, 3])) == "interval second(3)"
    assert IV.format_type(IV.typmod_in([0x7FFF, 2])) == "interval(2)"
    assert types.TYPES[1700].format_type(types.TYPES[1700].typmod_in([10, 2])) == \
        "numeric(10,2)"
    assert types.TYPES[1083].format_type(3) == "time(3) without time zone"
    assert types.TYPES[1184].format_type(0) == "timestamp(0) with time zone"
    assert types.TYPES[1015].format_type(types.TYPES[1015].typmod_in([7])) == \
        "character varying(7)[]"
    assert types.TYPES[1042].format_type(-1) == "bpchar"
    assert types.TYPES[1042].sql_name == "character"


@pytest.mark.parametrize("oid,mods,sqlstate,message", [
    (1700, [0], "22023", "NUMERIC precision 0 must be between 1 and 1000"),
    (1700, [1001], "22023", "NUMERIC precision 1001 must be between 1 and 1000"),
    (1700, [5, 1001], "22023", "NUMERIC scale 1001 must be between -1000 and 1000"),
    (1700, [5, -1001], "22023", "NUMERIC scale -1001 must be between -1000 and 1000"),
    (1043, [0], "22023", "length for type varchar must be at least 1"),
    (1043, [10485761], "22023", "length for type varchar cannot exceed 10485760"),
    (1042, [0], "22023", "length for type char must be at least 1"),
])
def test_typmod_errors(oid: int, mods: list[int], sqlstate: str, message: str) -> None:
    _err(lambda: types.TYPES[oid].typmod_in(mods), sqlstate, message)


def test_precision_clamped_to_six() -> None:
    # PostgreSQL warns "TIME(7) precision reduced to maximum allowed, 6" and uses 6
    assert types.TYPES[1083].typmod_in([7]) == 6
    assert IV.typmod_in([0x7FFF, 7]) == IV.typmod_in([0x7FFF, 6])


def test_varchar_char_coercion() -> None:
    vc, bp = types.TYPES[1043], types.TYPES[1042]
    m3 = vc.typmod_in([3])
    assert vc.coerce_typmod("abcdef", m3, True) == "abc"
    assert vc.coerce_typmod("abc   ", m3, False) == "abc"
    _err(lambda: vc.coerce_typmod("abcd", m3, False), "22001",
         "value too long for type character varying(3)")
    m4 = bp.typmod_in([4])
    assert bp.coerce_typmod("ab", m4, False) == "ab  "
    _err(lambda: bp.coerce_typmod("abcde", m4, False), "22001",
         "value too long for type character(4)")


# --- TypeContext ---------------------------------------------------------------------------

def test_context_settings() -> None:
    c = types.TypeContext(datestyle="sql, dmy", intervalstyle="ISO_8601",
                          timezone="Europe/Paris", extra_float_digits=0,
                          bytea_output="escape")
    assert (c.datestyle, c.date_style, c.date_order) == ("SQL, DMY", "SQL", "DMY")
    assert c.intervalstyle == "iso_8601"
    assert c.replace(datestyle="german").datestyle == "German, DMY"
    assert c.replace(datestyle="ymd").datestyle == "SQL, YMD"
    _err(lambda: types.TypeContext(timezone="Mars/Olympus"), "22023",
         'invalid value for parameter "TimeZone": "Mars/Olympus"')
    _err(lambda: types.TypeContext(extra_float_digits=4), "22023",
         '4 is outside the valid range for parameter "extra_float_digits" (-15 .. 3)')
    _err(lambda: types.TypeContext(intervalstyle="nope"), "22023",
         'invalid value for parameter "IntervalStyle": "nope"')


def test_context_now_and_random() -> None:
    ts = types.TYPES[1184].input("2001-02-03 04:05:06+00", -1, CTX)
    c = types.TypeContext(now=lambda: ts, rng=random.Random(1))
    assert types.TYPES[1184].output(types.TYPES[1184].input("now", -1, c), c) == \
        "2001-02-03 04:05:06+00"
    assert types.TYPES[1082].output(types.TYPES[1082].input("tomorrow", -1, c), c) == \
        "2001-02-04"
    now = next(f for f in FUNCTIONS_BY_NAME["now"])
    assert now.needs_ctx and now.func(c) == ts
    rnd = next(f for f in FUNCTIONS_BY_NAME["random"] if f.arg_types == ())
    a = rnd.func(c)
    assert rnd.func(types.TypeContext(rng=random.Random(1))) == a


# --- value classes ---------------------------------------------------------------------------

def test_interval_semantics() -> None:
    a, b = types.Interval(1, 0, 0), types.Interval(0, 30, 0)
    assert a == b and hash(a) == hash(b)
    assert types.Interval(0, 1, 0) == types.Interval(0, 0, 86400 * 10 ** 6)
    assert sorted([types.Interval(0, 31, 0), a, types.Interval(0, 0, 1)])[0] == \
        types.Interval(0, 0, 1)
    with pytest.raises(AttributeError):
        a.months = 3  # type: ignore[misc]


def test_array_value() -> None:
    a = types.Array([1, None, 3])
    assert a.lower == 1 and len(a) == 3 and list(a) == [1, None, 3]
    assert types.Array([1, 2]) < types.Array([1, 2, 3]) < types.Array([1, None])
    assert types.TYPES[1007].output(types.Array([1, 2], lower=0), CTX) == "[0:1]={1,2}"
    data = types.TYPES[1007].send(a, CTX)
    assert types.TYPES[1007].recv(data, -1, CTX) == a


def test_numeric_invariants() -> None:
    n = types.TYPES[1700]
    assert n.input("1e3", -1, CTX).as_tuple().exponent == 0
    assert not n.input("-0.00", -1, CTX).is_signed()
    assert n.output(n.input("-0.00", -1, CTX), CTX) == "0.00"


# --- catalogue -----------------------------------------------------------------------------

def test_catalogue_lookups() -> None:
    plus = {(o.left, o.right): o for o in OPERATORS_BY_NAME["+"]}
    assert plus[(23, 23)].oid == 551 and plus[(23, 23)].commutator == 551
    assert plus[(1184, 1186)].needs_ctx
    assert types.CASTS[(23, 20)].context == "i"
    assert types.CASTS[(20, 23)].context == "a"
    assert types.CASTS[(701, 23)].context == "a"
    assert types.CASTS[(25, 1043)].func is None            # binary coercible
    assert types.find_cast(23, 25).context == "a"          # I/O conversion to text
    assert types.find_cast(25, 23).context == "e"          # I/O conversion from text
    assert types.find_cast(1007, 1016).context == "i"      # array cast from int4 -> int8
    assert types.find_cast(16, 1082) is None
    count_star = next(a for a in types.AGGREGATES if a.name == "count" and not a.arg_types)
    assert count_star.oid == 2803 and count_star.ret_type == 20
    sums = {a.arg_types: a.ret_type for a in AGGREGATES_BY_NAME["sum"]}
    assert sums[(23,)] == 20 and sums[(20,)] == 1700 and sums[(701,)] == 701
    unnest = next(f for f in FUNCTIONS_BY_NAME["unnest"] if f.arg_types == (2277,))
    assert unnest.retset and list(unnest.func(types.Array([1, 2]))) == [1, 2]
    mi = next(f for f in FUNCTIONS_BY_NAME["make_interval"])
    assert mi.arg_names[3] == "days" and len(mi.arg_defaults) == 7


def test_aggregate_protocol_and_combine() -> None:
    avg = next(a for a in AGGREGATES_BY_NAME["avg"] if a.arg_types == (23,))
    s1, s2 = avg.init(), avg.init()
    for v in (1, 2):
        s1 = avg.trans(s1, v)
    s2 = avg.trans(s2, 4)
    assert avg.final(avg.combine(s1, s2)) == Decimal("2.3333333333333333")
    assert run_aggregate(avg, []) is None
    count = next(a for a in AGGREGATES_BY_NAME["count"] if a.arg_types)
    assert run_aggregate(count, [(1,), (None,), (3,)]) == 2


def test_binary_errors() -> None:
    _err(lambda: types.TYPES[23].recv(b"\x00\x01", -1, CTX), "22P03",
         "incorrect binary data format")
    u = uuid.uuid4()
    assert types.TYPES[2950].recv(types.TYPES[2950].send(u, CTX), -1, CTX) == u
    f = types.TYPES[701]
    assert math.isnan(f.recv(f.send(math.nan, CTX), -1, CTX))


def test_type_by_name() -> None:
    assert types.type_by_name("int4").oid == 23
    assert types.type_by_name("integer").oid == 23
    assert types.type_by_name("_text").oid == 1009
    assert types.type_by_name("int4[]").oid == 1007
    assert types.type_by_name("timestamp with time zone").oid == 1184
    _err(lambda: types.type_by_name("nosuchtype"), "42704", 'type "nosuchtype" does not exist')


def test_ordered_set_aggregates() -> None:
    # expected values from PostgreSQL 18: percentile_cont(0.5) over 1..4 = 2.5, ...
    by = {(a.name, a.arg_types): a for a in types.AGGREGATES if a.kind == "o"}
    pc = by[("percentile_cont", (701, 701))]
    assert pc.num_direct == 1
    assert run_aggregate(pc, [(1.0,), (2.0,), (3.0,), (4.0,)], (0.5,)) == 2.5
    pd = by[("percentile_disc", (701, 2283))]
    assert run_aggregate(pd, [(v,) for v in range(10, 120, 10)], (0.1,)) == 20
    arr = by[("percentile_cont", (1022, 701))]
    assert types.TYPES[1022].output(
        run_aggregate(arr, [(1.0,), (2.0,), (3.0,), (4.0,)], (types.Array([0.25, 0.5, 1.0]),)),
        CTX) == "{1.75,2.5,4}"
    assert run_aggregate(by[("mode", (2283,))], [(1,), (2,), (2,), (3,), (3,)]) == 2
    iv = by[("percentile_cont", (701, 1186))]
    assert IV.output(run_aggregate(iv, [(types.Interval(0, 1, 0),), (types.Interval(0, 2, 0),)],
                                   (0.5,)), CTX) == "1 day 12:00:00"
    _err(lambda: run_aggregate(pc, [(1.0,)], (1.5,)), "22003",
         "percentile value 1.5 is not between 0 and 1")


def test_hash_key_fn() -> None:
    f8 = types.hash_key_fn(701)
    assert f8 is not None and f8(math.nan) == f8(float("nan")) and f8(-0.0) == f8(0.0)
    num = types.hash_key_fn(1700)
    assert num(Decimal("NaN")) == num(Decimal("nan")) and num(Decimal("1.0")) == num(Decimal(1))
    assert types.hash_key_fn(1042)("a  ") == types.hash_key_fn(1042)("a")
    arr = types.hash_key_fn(1022)
    assert arr(types.Array([math.nan])) == arr(types.Array([float("nan")]))
    assert types.hash_key_fn(23) is None


def test_typmod_warning() -> None:
    from tuskdb.types.registry import typmod_warning
    # texts from PostgreSQL 18: SELECT NULL::time(7) -> WARNING 22023
    w = typmod_warning(1083, [7])
    assert w is not None and (w.severity, w.sqlstate, w.message) == (
        "WARNING", "22023", "TIME(7) precision reduced to maximum allowed, 6")
    assert typmod_warning(1184, [8]).message == \
        "TIMESTAMP(8) WITH TIME ZONE precision reduced to maximum allowed, 6"
    assert typmod_warning(1083, [3]) is None


# --- VALUE_CLASSES: plain forms for serialisation ---------------------------------------

_PLAIN_OK = (type(None), bool, int, float, str, bytes)


def _is_plain(p: object) -> bool:
    import decimal
    import uuid
    if isinstance(p, tuple):
        return all(_is_plain(x) for x in p)
    classes = tuple(c for c, *_ in types.VALUE_CLASSES)
    return isinstance(p, _PLAIN_OK + (decimal.Decimal, uuid.UUID) + classes)


@pytest.mark.parametrize("typ,text", [
    ("timetz", "12:00+02"), ("jsonb", '{"a": [1, 2.50, null, "x\\n"]}'), ("inet", "::1/64"),
    ("cidr", "10.0.0.0/8"), ("tsrange", "[2020-01-01,)"), ("numrange", "empty"),
    ("_int4", "{{1,2},{3,4}}"), ("_text", "[0:1]={a,NULL}"), ("interval", "1 mon 2 days 1 sec"),
    ("_timetz", "{12:00+02}"), ("_numeric", "{}"), ("int4range", "[1,5)"),
])
def test_value_classes_plain_roundtrip(typ: str, text: str) -> None:
    t = types.type_by_name(typ)
    v = t.input(text, -1, types.DEFAULT_CONTEXT)
    codecs = {c: (to, fr) for c, _name, to, fr in types.VALUE_CLASSES}
    to, fr = codecs[type(v)]
    p = to(v)
    assert isinstance(p, (tuple, str)) and _is_plain(p)
    w = fr(p)
    assert type(w) is type(v) and w == v
    assert t.output(w, types.DEFAULT_CONTEXT) == t.output(v, types.DEFAULT_CONTEXT)
    if isinstance(v, types.Array):
        assert (w.dims, w.lbounds) == (v.dims, v.lbounds)


# --- bit / varbit typmods (messages from PostgreSQL 18) -----------------------------------

def test_bit_typmods() -> None:
    bit, varbit = types.type_by_name("bit"), types.type_by_name("bit varying")
    assert bit.typmod_in([3]) == 3 and bit.format_type(3) == "bit(3)"
    assert varbit.format_type(-1) == "bit varying" and varbit.format_type(5) == "bit varying(5)"
    with pytest.raises(PgError) as e:
        bit.typmod_in([0])
    assert (e.value.sqlstate, e.value.message) == \
        ("22023", "length for type bit must be at least 1")
    with pytest.raises(PgError) as e:
        varbit.typmod_in([83886081])
    assert e.value.message == "length for type varbit cannot exceed 83886080"
    # input with the column typmod (COPY, binary parameters): no truncation
    with pytest.raises(PgError) as e:
        bit.input("1011", 3, None)
    assert (e.value.sqlstate, e.value.message) == \
        ("22026", "bit string length 4 does not match type bit(3)")
    with pytest.raises(PgError) as e:
        varbit.input("1011", 3, None)
    assert (e.value.sqlstate, e.value.message) == \
        ("22001", "bit string too long for type bit varying(3)")
    with pytest.raises(PgError) as e:
        bit.coerce_typmod("1011", 3, False)
    assert e.value.sqlstate == "22026"
    assert bit.coerce_typmod("1", 3, True) == "100"
    assert varbit.recv(varbit.send("101010101", None), -1, None) == "101010101"
    assert types.registry.parse_type_name("bit") == (bit, 1)
    assert types.registry.parse_type_name("bit varying(4)") == (varbit, 4)


# --- uuidv7 -----------------------------------------------------------------------------

def test_uuidv7_ascending_and_range() -> None:
    from tuskdb.types.uuid import uuid_extract_version, uuidv7, uuidv7_interval
    us = [uuidv7() for _ in range(500)]
    assert us == sorted(us) and all(uuid_extract_version(u) == 7 for u in us)
    past = uuidv7_interval(types.DEFAULT_CONTEXT, types.Interval(-12 * 50, 0, 0))
    assert past < us[0]
    # message, DETAIL and SQLSTATE from PostgreSQL 18 (uuidv7(interval '10000 years'))
    with pytest.raises(PgError) as e:
        uuidv7_interval(types.DEFAULT_CONTEXT, types.Interval(12 * 10000, 0, 0))
    assert (e.value.sqlstate, e.value.message, e.value.detail) == (
        "22008", "timestamp out of range for UUID version 7",
        "UUID version 7 supports timestamps from 1970-01-01 to approximately year 10889.")
    assert uuidv7() > us[-1]      # a failed call does not break later ones


# --- record-returning built-ins (expected rows from PostgreSQL 18) -----------------------

def _fn(name: str, nargs: int) -> Any:
    return next(f for f in FUNCTIONS_BY_NAME[name] if len(f.arg_types) == nargs)


def _call(f: Any, *args: Any) -> Any:
    return f.func(types.DEFAULT_CONTEXT, *args) if f.needs_ctx else f.func(*args)


def test_record_functions() -> None:
    f = _fn("pg_input_error_info", 2)
    assert (f.ret_type, f.out_names, f.out_types) == \
        (2249, ("message", "detail", "hint", "sql_error_code"), (25, 25, 25, 25))
    assert _call(f, "x", "int4") == ('invalid input syntax for type integer: "x"', None, None,
                                     "22P02")
    assert _call(f, "1", "int4") == (None, None, None, None)
    assert _call(f, "abcde", "char(4)")[0] == "value too long for type character(4)"
    with pytest.raises(PgError) as e:
        _call(f, "x", "nosuchtype")
    assert (e.value.sqlstate, e.value.message) == ("42704", 'type "nosuchtype" does not exist')
    assert _call(_fn("pg_input_is_valid", 2), "abcd  ", "char(4)") is True
    doc = '{"a":"x\\\\u0041","b":null,"a":[1, 2]}'
    assert list(_call(_fn("json_each", 1), doc)) == \
        [("a", '"x\\\\u0041"'), ("b", "null"), ("a", "[1, 2]")]
    assert list(_call(_fn("json_each_text", 1), doc)) == \
        [("a", "x\\u0041"), ("b", None), ("a", "[1, 2]")]
    jb = types.type_by_name("jsonb").input('{"a":1.50, "b":true, "c":{"x":1}}', -1, None)
    assert list(_call(_fn("jsonb_each_text", 1), jb)) == \
        [("a", "1.50"), ("b", "true"), ("c", '{"x": 1}')]
    assert [k for k, _ in _call(_fn("jsonb_each", 1), jb)] == ["a", "b", "c"]
    for name, arg, msg in (("json_each", "1", "cannot deconstruct a scalar"),
                           ("json_each_text", "[1]", "cannot deconstruct an array as an object")):
        with pytest.raises(PgError) as e:
            list(_call(_fn(name, 1), arg))
        assert (e.value.sqlstate, e.value.message) == ("22023", msg)
    with pytest.raises(PgError) as e:
        list(_call(_fn("jsonb_each", 1), types.type_by_name("jsonb").input("null", -1, None)))
    assert e.value.message == "cannot call jsonb_each on a non-object"
    opts = types.type_by_name("_text").input("{a=1,b,c=x=y}", -1, None)
    assert list(_call(_fn("pg_options_to_table", 1), opts)) == \
        [("a", "1"), ("b", None), ("c", "x=y")]


def test_numeric_round_limits() -> None:
    """round/trunc at numeric's extreme scales (PostgreSQL's regression suite: all true)."""
    n = types.type_by_name("numeric")

    def v(s: str) -> Any:
        return n.input(s, -1, None)
    rnd = next(f for f in FUNCTIONS_BY_NAME["round"] if f.arg_types == (1700, 23)).func
    trunc = next(f for f in FUNCTIONS_BY_NAME["trunc"] if f.arg_types == (1700, 23)).func
    assert rnd(v("4.4e131071"), -131071) == v("4e131071")
    assert rnd(v("4.5e131071"), -131071) == v("5e131071")
    assert rnd(v("4.5e131071"), -131072) == 0
    assert rnd(v("5e-16383"), 16383) == v("5e-16383")
    assert rnd(v("5e-16383"), 16382) == v("1e-16382")
    assert rnd(v("5e-16383"), 16381) == 0
    assert trunc(v("9.9e131071"), -131071) == v("9e131071")
    assert trunc(v("9.9e131071"), -131072) == 0
    assert trunc(v("5e-16383"), 16383) == v("5e-16383")
    assert trunc(v("5e-16383"), 16382) == 0
    with pytest.raises(PgError) as e:
        rnd(v("9.9e131071"), -131071)
    assert e.value.message == "value overflows numeric format"


def test_sql_value_functions() -> None:
    from tuskdb.types.dtfuncs import SQL_VALUE_FUNCTIONS
    ctx = types.TypeContext(timezone="Asia/Kolkata", now=lambda: 789012345678901)
    got = {n: types.TYPES[r].output(f(ctx, 2) if n != "current_date" else f(ctx), ctx)
           for n, (r, f) in SQL_VALUE_FUNCTIONS.items()}
    # what PostgreSQL 18 shows for that transaction start under TimeZone Asia/Kolkata
    assert got == {"current_date": "2025-01-01", "current_time": "07:35:45.68+05:30",
                   "current_timestamp": "2025-01-01 07:35:45.68+05:30",
                   "localtime": "07:35:45.68", "localtimestamp": "2025-01-01 07:35:45.68"}
