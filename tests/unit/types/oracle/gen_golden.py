"""Regenerate tests/unit/types/golden_data.py by asking PostgreSQL 18 (the oracle).

    PG18_HOME=/tmp/tusk-pg18 /work/shared/tools/pg18 start
    python tests/unit/types/oracle/gen_golden.py > tests/unit/types/golden_data.py

Every expected string in golden_data.py was produced by PostgreSQL 18.6 from
the cases below; the unit tests replay the same cases through tuskdb.types.
"""

from __future__ import annotations

import sys
from typing import Any

import psycopg
from psycopg.pq import DiagnosticField, ExecStatus

DSN = "host=127.0.0.1 port=55418 user=postgres dbname=postgres"

# --- text I/O cases: (typname[(typmod args)], input text) --------------------------------
IO: list[tuple[str, str]] = []


def io(typ: str, *inputs: str) -> None:
    for i in inputs:
        IO.append((typ, i))


io("bool", "t", "TRUE", " yes ", "of", "0", "1", "o", "maybe", "")
io("int2", "0", "-32768", "32767", "32768", " 12 ", "1_000", "0x7fff", "0o17", "abc", "")
io("int4", "0", "-2147483648", "2147483647", "2147483648", "99999999999", "+5", " 12 ",
   "1_000", "0x1F", "0b101", "1.5", "1__0", "_1", "1_", "--1", "abc", "")
io("int8", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
   "0x7FFFFFFFFFFFFFFF", "12e3")
io("oid", "0", "4294967295", "4294967296", "-1", "abc")
io("float8", "0", "-0", "1.5", "1e15", "1e16", "123456789012345678", "0.0001", "0.00001",
   "1.5e-7", "100", "1e300", "5e-324", "1e-310", "NaN", "nan", "Infinity", "-inf", "+inf",
   "infinity", " 1.5 ", "0x10", ".5", "5.", "1e400", "1e-400", "1.5e", "abc", "1_0",
   "-74999998823006208", "9007199254740993", "4503599627370497.5",
   "3.141592653589793", "0.1", "1234567890123456", "-123.456e-20", "2.5e+20")
io("float4", "0.1", "1e15", "1e16", "3.4e38", "1.17549435e-38", "123456.7", "1e-45",
   "1234567", "123456", "12345678", "0.0001", "0.00001234", "1e39", "1e-50", "NaN",
   "-Infinity", "3.14159265", "16777217", "0.3", "-0", "61440969.606911756")
io("numeric", "0", "-0", "-0.00", "1.500", "1e3", "1.5e-3", "1.50e1", " NaN ", "Infinity",
   "-inf", "0x1F", "1_000.5", "abc", "1.2.3", "", "123456789012345678901234567890.123456789",
   "-0.0000000001", ".5", "5.", "1e-20", "9.99e2", "+12")
io("numeric", "0b1112", "0o12345678", "0o178", "0x_1F", "0x1F_", "0x1__F", "0b_101", "0x")
io("numeric", "23_000_000_000e-1_0", ".000_000_000_123e1_0", ".000_000_000_123e+1_1",
   "1e_1", "1e1_", "1e400000", "1e-400000", "1e131072", "1e-16384", "0e-20000", "0e131072",
   "1e-16383")
io("numeric(3,6)", "0.0009995", "0.000999", "0.0001234")
io("numeric(3,-6)", "123456789", "999500000")
io("numeric(5,2)", "12.345", "123.455", "12345.678", "999.995", "-999.994", "NaN",
   "Infinity", "0.001")
io("numeric(2,2)", "0.5", "12.5", "0.995")
io("numeric(5,-1)", "12.345", "123456")
io("numeric(3)", "12.5", "999.4", "999.5")
io("text", "hello", "", " spaced ", "ünïcödé")
io("varchar(3)", "abc", "abcd", "abc   ", "ab", "ab  c")
io("bpchar(4)", "ab", "abcd", "abcde", "abcd  ")
io("bpchar", "ab  ")
io("name", "hello", "x" * 70)
io("bytea", "\\x", "\\x00ff41", "\\x4 1", "\\x4", "\\xzz", "abc", "a\\\\b", "\\101x",
   "a\\b", "é", "\\x DE AD ")
io("varbit", "", "101", "B101", "b", "X1F", "xF0a", "x", "102", "x1g", "10 1", "0" * 70,
   "1" * 9)
io("bit", "101", "", "X1", "B0")
io("bit(3)", "101", "10", "1011", "x1", "B1", "abc")
io("bit", "1")
io("varbit(3)", "101", "1", "1011", "x3")
io("_varbit", "{101,NULL,x1}", "{}")
io("_bit", "{1,0}")
io("money", "12.345", "-12.345", "1234567.89", "$1,234.5", "(5)", "-$5", "", " $ 1 ", "+$1",
   "1-", "1,,2", "$-1", "1.999", "0.005", "-0.005", "92233720368547758.07",
   "92233720368547758.08", "-92233720368547758.08", "-92233720368547758.09", "abc", "1e3",
   "12 34", "1.2.3", "0", "100", "1000000", "$ 5 $", "5)", "(5")
io("_money", "{1,-2.5}")
io("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
   "A0EEBC999C0B4EF8BB6D6BB9BD380A11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11",
   "a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "x")
io("date", "2000-01-01", "1999-01-08", "January 8, 1999", "1/8/1999", "1/18/1999",
   "18/1/1999", "01/02/03", "1999-Jan-08", "Jan-08-1999", "08-Jan-1999", "99-Jan-08",
   "08-Jan-99", "Jan-08-99", "19990108", "990108", "1999.008", "J2451187",
   "January 8, 99 BC", "2000-02-29", "2001-02-29", "2000-02-30", "13/13/2000",
   "0000-01-01", "0001-01-01 BC", "4714-11-24 BC", "4714-11-23 BC", "5874897-12-31",
   "5874898-01-01", "infinity", "-infinity", "epoch", "garbage", "2000-01-01 12:34",
   "2000-01-01T12:34:56", "Sat Jan 01 2000", "20000101 junk")
io("date", "3 jun 86 BC", "Sat Jan 01 2000", "12.10.2000", "2000.10.12")
io("timestamp", "9 December 0534 BC 122140", "17 July 0548 BC allballs", "1 Oct 419 BC 24:49")
io("interval", "-2147483648 months -2147483648 days -9223372036854775808 us",
   "2147483647 months 2147483647 days 9223372036854775807 us",
   "-2147483648 months -2147483648 days -9223372036854775807 us")
io("timestamptz", "4714-11-23 23:00:00-01 BC", "4714-11-23 22:59:59-01 BC",
   "4714-11-24 00:00:00+01 BC", "4714-11-23 BC", "294276-12-31 23:59:59+01",
   "294276-12-31 23:59:59-01")
io("date", "+infinity", "+Infinity", "+ infinity", "+inf")
io("timestamp", "+infinity")
io("timestamptz", "+infinity")
io("interval", "+infinity", "+inf")
io("interval", "1:20:05 5 microseconds", "1:20:05.5 5 milliseconds", "5 seconds 3 ms",
   "5.5 seconds 3 ms", "4 millenniums 5 centuries 4 decades 1 year 4 months 4 days",
   "1 microsecondss", "1 secondsxx", "1 qtr", "2 weekss")
io("date", "Septembers 3 2000", "Wednesdays Jan 5 2000")
io("timetz", "2003-03-07 15:36:39 America/New_York", "2003-07-07 15:36:39 America/New_York",
   "15:36:39 America/New_York", "15:36:39 UTC", "2003-07-07 15:36:39", "15:36:39 Asia/Kolkata",
   "Jul 7 2003 15:36:39 PDT")
io("float4", "7038531e-32", "82381273e-35", "3.4028235e38", "3.4028236e38", "1e-45", "7e-46",
   "1.1754944e-38", "1.4e-45", "3.4028234e38")
io("timestamptz", "J2452271 T X03456-08", "J2452271 T X03456.001e6-08", "J2452271T040506-08",
   "J2452271 T040506.789-08")
io("time", "242852", "235960", "240000")
io("time", "04:05:06.789", "04:05:06", "04:05", "040506", "04:05 AM", "04:05 PM",
   "12:00 AM", "12:00 PM", "13:00 PM", "24:00:00", "24:00:01", "23:59:60", "allballs",
   "04:05:06.789-8", "2003-04-12 04:05:06", "25:00", "1:2:3", "abc", "04:05:06.1234567")
io("timestamp", "2000-01-01 00:00:00", "2000-01-01 00:00+05", "1999-01-08 04:05:06",
   "January 8 04:05:06 1999 PST", "2000-01-01T12:00:00Z", "20000101T120000",
   "2000-01-01 24:00", "2000-01-01 23:59:60", "2000-01-01 25:00", "epoch", "infinity",
   "-infinity", "294276-12-31 23:59:59.999999", "294277-01-01", "4714-11-24 00:00 BC",
   "1999-12-31 23:59:59.9999995", "2000-01-01 12:00:00.123456789", "Mon Jan 03 2000 10:00",
   "2000-01-01 12:00 America/New_York", "2000-1-1 1:2:3", "garbage")
io("timestamp(2)", "2000-01-01 12:00:00.125", "2000-01-01 12:00:00.135",
   "1999-12-31 23:59:59.999")
io("timestamptz", "2000-01-01 00:00:00+00", "2000-01-01 12:00 +05:30",
   "2000-01-01 12:00 -0800", "Jan 8 1999 04:05:06 PST", "1999-01-08 04:05:06 America/New_York",
   "2000-07-01 12:00 Europe/London", "2000-01-01T12:00:00Z", "2000-01-01 12:00 XYZ",
   "2000-01-01 12:00 +16", "2000-01-01 12:00+15:59", "epoch", "infinity",
   "2000-01-01 12:00 UTC", "2000-01-01 12:00 zulu", "2000-01-01 12:00 EST",
   "2000-01-01 12:00:00-04:56:02")
io("timetz", "12:34:56+05", "12:34:56", "12:34:56-08:30:15", "24:00:00+05", "04:05 PM+2",
   "12:34:56.789 America/New_York", "25:00+00", "allballs", "12:00 +16")
io("_timetz", '{"12:00+01","13:00-02"}')
io("json", '{"b":1,  "a":[1,2.50]}', "nul", '{"a":}', "[1,2", "", '{"a" 1}', "[1,]", '"abc',
   "1 2", "{1:2}", '"\\x"', "01", "1.", '"a\nb"', '"\\u0000"', "-0", " [ ] ")
io("jsonb", '{"b":1,"a":[1,2.50,"x"],"aa":null,"a":true}', "1e3", "1E-2", "-0",
   '"\\u00e9\\n\\t\\u0001"', '"é"', "[]", "{}", "nul", "NaN", '"\\ud83d\\ude00"',
   '"\\u0000"', '"\\ud83d"', '{"a":{"c":1,"b":[true,false,null]},"aaa":"x\\"y"}',
   '{"' + "k" * 60 + '": nul}', "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,x]")
io("_jsonb", '{"{\\"a\\": 1}",null}')
io("inet", "192.168.1.5/24", "192.168.1.5", "192.168.1.5/32", "::1", "2001:DB8::1/64",
   "x", "10.0.0.256", "1.2.3.4/33", "::ffff:1.2.3.4")
io("cidr", "192.168.1/24", "192.168.1.5/24", "2001:db8::/32", "10", "128.1", "10.1.2.0/24")
io("macaddr", "08:00:2b:01:02:03", "0800.2b01.0203", "08-00-2b-01-02-03", "08002b010203",
   "08002b:010203", "xx")
io("pg_lsn", "16/B374D848", "0/0", "FFFFFFFF/FFFFFFFF", "xyz", "1/2/3")
io("_inet", "{10.0.0.1,::1/64}")
io("int4range", "[1,5)", "(1,5]", "[1,5]", "(,5)", "[1,)", "empty", "[5,5)", "[5,1)",
   " [ 1 , 5 ) ", "[1,5", "[a,b)", "(1,2)", "[1,2147483647]", "EMPTY", "empty x", "[1,2,3)",
   "(,)", "1,5")
io("numrange", "[1.5,2.5]", "(1,1)", "[1,1]", "[2,1)", "(1.50,)")
io("daterange", '("2000-01-01","2000-02-01")', "[-infinity,infinity]", "(2000-01-01,infinity]")
io("tsrange", "[2000-01-01 00:00, 2000-01-02)", '["a b",c)')
io("tstzrange", "[2000-01-01 00:00+00, 2000-01-02+00)")
io("int8range", "(0,9223372036854775806]")
io("_int4range", '{"[1,2)",empty}')
io("interval", "1 day 2 hours", "1-2", "P1Y2M", "@ 1 minute ago", "-1 1:00:00",
   "1.5 years", "1.5 months", "1.5 days", "10", "1 2:03", "2:03.5", "P1.5D", "PT1H30M",
   "P0001-02-03T04:05:06", "1 week", "1 millennium 2 centuries", "100 ms 5 us", "abc",
   "1 day day", "infinity", "-infinity", "9999999999 years", "2 hours ago 1 day",
   "1 year -1 day", "-1 year -2 mons +3 days -04:05:06", "00:00:00", "0", "-0.5 seconds",
   "1 day -00:00:01", "3 weeks 2 days ago", "1:2", "1:2:3.456789", "2 decades",
   "5 mins 6 secs", "1 hour 1 hour", "P1W", "PT0.5S", "1 mon 1.5 days", "-1.5 weeks",
   "178000000 years")
io("interval(2)", "1.234567 seconds", "1 day 1.999 seconds")
io("_int4", "{1,2,3}", "{}", "{ 1 , 2 }", "{1,NULL,3}", "[0:2]={1,2,3}", "{1,2", "1,2",
   "{1,a}", '{"1","2"}', "{{1,2},{3,4}}")
io("_int4", "{{1,2},{3}}", "{{1,2},3}", "{1,{2}}", "{{{1}},{{2}}}", "{{},{}}",
   "[1:2]={{1,2},{3,4}}", "[0:1][1:2]={{1,2},{3,4}}", " { { 1 , 2 } , { 3 , 4 } } ")
io("_text", '{{"a b",NULL},{c,""}}')
io("_text", '{a,b,"c d","NULL",null,"","x\\"y","a\\\\b"}', "{  a b  ,c}", '{"{}"}',
   "{a,}", "{,}")
io("_varchar(2)", "{ab,cd}", "{abc}")
io("_bool", "{t,f,NULL}")
io("_float8", "{1.5,NaN,-Infinity}")
io("_numeric", "{1.50,NaN}")
io("_date", "{2000-01-01,infinity}")
io("_bytea", "{\\\\x00ff,abc}")
io("_uuid", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}")
io("_interval", '{"1 day","2 hours"}')
io("_timestamptz", '{"2000-01-01 00:00+00"}')

# --- settings variants for datetime / interval / float / bytea output --------------------
SETTINGS = [
    {"DateStyle": "ISO, MDY"}, {"DateStyle": "SQL, MDY"}, {"DateStyle": "SQL, DMY"},
    {"DateStyle": "Postgres, MDY"}, {"DateStyle": "Postgres, DMY"},
    {"DateStyle": "German, DMY"}, {"DateStyle": "ISO, YMD"},
    {"TimeZone": "America/New_York"}, {"TimeZone": "Asia/Kolkata"}, {"TimeZone": "+5"},
    {"TimeZone": "UTC+3"}, {"TimeZone": "Europe/London", "DateStyle": "SQL, DMY"},
    {"TimeZone": "Australia/Lord_Howe", "DateStyle": "Postgres, MDY"},
    {"IntervalStyle": "postgres_verbose"}, {"IntervalStyle": "sql_standard"},
    {"IntervalStyle": "iso_8601"}, {"extra_float_digits": "0"},
    {"extra_float_digits": "3"}, {"extra_float_digits": "-4"}, {"bytea_output": "escape"},
    {"TimeZone": "America/Los_Angeles", "DateStyle": "Postgres, MDY"},
    {"TimeZone": "America/Montevideo", "DateStyle": "Postgres, MDY"},
    {"TimeZone": "Europe/Moscow"},
    {"TimeZone": "FOO8BAR", "DateStyle": "Postgres, MDY"},
    {"TimeZone": "AEST-10AEDT,M10.1.0,M4.1.0/3"},
]
SETTING_IO = [
    ("date", "2000-01-02"), ("date", "0044-03-15 BC"), ("date", "1/2/2000"),
    ("date", "2000-13-01"), ("date", "infinity"),
    ("timestamp", "2000-01-02 03:04:05.25"), ("timestamp", "0044-03-15 12:00 BC"),
    ("timestamptz", "2000-01-02 03:04:05.25+00"), ("timestamptz", "2000-07-02 03:04:05+00"),
    ("timestamptz", "1900-01-01 00:00+00"), ("timestamptz", "2000-03-26 01:30:00"),
    ("timestamptz", "2000-10-29 01:30:00"), ("timestamptz", "2000-04-02 02:30:00"),
    ("timestamptz", "2000-10-29 01:30:00 Europe/London"), ("timestamptz", "1/2/2000 12:00"),
    ("timestamptz", "0044-03-15 12:00 BC"),
    ("time", "12:34:56.5"),
    ("interval", "1 year 2 mons 3 days 04:05:06.7"), ("interval", "-1 year -2 mons"),
    ("interval", "-3 days 04:05:06"), ("interval", "1 day -00:00:01"), ("interval", "0"),
    ("interval", "-1 day -02:03:04.5"), ("interval", "2 hours"), ("interval", "-1 mon 2 days"),
    ("interval", "1 sec"), ("interval", "-1.5 seconds"), ("interval", "-1 1:00:00"),
    ("float8", "0.1"), ("float8", "3.141592653589793"), ("float8", "1e100"),
    ("float8", "1.0e-5"), ("float4", "0.1"), ("float4", "3.1415927"),
    ("bytea", "\\x00015c7f80ff41"),
    # time zone abbreviations: the session zone's own ('LMT'), fixed and zone-defined ones
    ("timestamptz", "Jan 01 00:00:00 1000 LMT"), ("timestamptz", "Jan 01 00:00:00 2024 LMT"),
    ("timestamptz", "1912-01-01 00:00 MMT"), ("timestamptz", "2000-01-01 00:00 MSK"),
    ("timestamptz", "1990-07-01 00:00 MSK"), ("timestamptz", "2024-01-01 00:00 VET"),
    ("timestamptz", "2024-01-01 00:00 PST"), ("timestamptz", "2024-07-01 00:00 CEST"),
    ("timestamptz", "2024-07-01 00:00 NZDT"), ("timetz", "12:00 PST"), ("timetz", "12:00 LMT"),
    ("timestamptz", "4714-11-23 16:00:00-08 BC"),
    ("timestamptz", "205000-07-10 17:32:01 Europe/Helsinki"),
    ("timestamptz", "205000-01-10 17:32:01 Europe/Helsinki"), ("timestamptz", "12000-03-12 02:30"),
]


def run(conn: psycopg.Connection, sql: str) -> Any:
    res = conn.pgconn.exec_(sql.encode())
    if res.status == ExecStatus.TUPLES_OK:
        v = res.get_value(0, 0)
        return None if v is None else v.decode()
    if res.status == ExecStatus.COMMAND_OK:
        return None
    code = res.error_field(DiagnosticField.SQLSTATE).decode()
    msg = res.error_field(DiagnosticField.MESSAGE_PRIMARY).decode()
    det = res.error_field(DiagnosticField.MESSAGE_DETAIL)
    hint = res.error_field(DiagnosticField.MESSAGE_HINT)
    extra: tuple[str, ...] = (det.decode(),) if det else ()
    if hint:
        extra = (extra[0] if extra else "", hint.decode())
    return ("ERROR", code, msg) + extra


def lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def main() -> None:
    conn = psycopg.connect(DSN, autocommit=True)
    w = sys.stdout.write
    w('"""Golden values produced by PostgreSQL 18.6 (generated by oracle/gen_golden.py;\n')
    w('do not edit by hand).  ("ERROR", sqlstate, message[, detail[, hint]]) marks an '
      'error."""\n\n')
    w("# (type, input, output of input::type)\nIO = [\n")
    for typ, text in IO:
        r = run(conn, f"select {lit(text)}::{typ}")
        w(f"    ({typ!r}, {text!r}, {r!r}),\n")
    w("]\n\n# (settings, type, input, output)\nSETTING_IO = [\n")
    for settings in SETTINGS:
        for k, v in settings.items():
            run(conn, f"set {k} = {lit(v)}")
        for typ, text in SETTING_IO:
            r = run(conn, f"select {lit(text)}::{typ}")
            w(f"    ({settings!r}, {typ!r}, {text!r}, {r!r}),\n")
        run(conn, "reset all")
    w("]\n\n# (type, input, hex of the binary send form)\nBINARY = [\n")
    for typ, text in IO:
        if "(" in typ:
            continue
        fname = "array_send" if typ.startswith("_") else \
            {"bit": "bit_send", "varbit": "varbit_send", "money": "cash_send"}.get(
                typ, f"{typ}send")
        r = run(conn, f"select {fname}({lit(text)}::{typ})")
        if isinstance(r, str):
            w(f"    ({typ!r}, {text!r}, {r[2:]!r}),\n")
    w("]\n\n# pg_type facts: oid -> (typname, typlen, typbyval, typcategory, typispreferred,"
      " typarray, typelem, typdelim, typalign, typstorage, typtype, typinput, typoutput,"
      " typreceive, typsend, typmodin, typmodout, format_type(oid, NULL))\nTYPE_FACTS = {\n")
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[4]))
    from tuskdb.types import TYPES
    oids = ",".join(str(o) for o in sorted(TYPES))
    res = conn.pgconn.exec_((
        "select oid, typname, typlen, typbyval, typcategory, typispreferred, typarray, typelem,"
        " typdelim, typalign, typstorage, typtype, typinput::text, typoutput::text,"
        " typreceive::text, typsend::text, typmodin::text, typmodout::text,"
        f" format_type(oid, NULL) from pg_type where oid in ({oids}) order by oid").encode())
    for r in range(res.ntuples):
        vals = [res.get_value(r, c).decode() for c in range(res.nfields)]
        oid, name, typlen, byval, cat, pref, arr, elem, delim, align, storage, typtype = vals[:12]
        row = (name, int(typlen), byval == "t", cat, pref == "t", int(arr), int(elem), delim,
               align, storage, typtype) + tuple(vals[12:])
        w(f"    {oid}: {row!r},\n")
    w("}\n\n# (sql expression, result text)\nEXPRS = [\n")
    from exprs import EXPRS  # type: ignore[import-not-found]
    for expr in EXPRS:
        r = run(conn, f"select {expr}")
        w(f"    ({expr!r}, {r!r}),\n")
    w("]\n")


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main()
