"""Extended query protocol against the fake engine."""

from __future__ import annotations

import struct

from rawclient import FLUSH, SYNC, bind, close, describe, error_fields, execute, parse, query


def test_unnamed_parse_bind_execute(raw):
    c = raw()
    c.send(parse("", "select $1::int4, 'x'") + bind("", "", [b"42"]) + describe("P", "")
           + execute() + SYNC)
    msgs = c.until()
    assert [t for t, _ in msgs] == ["1", "2", "T", "D", "C", "Z"]
    assert msgs[3][1] == struct.pack("!hi", 2, 2) + b"42" + struct.pack("!i", 1) + b"x"
    assert msgs[4][1] == b"SELECT 1\0"


def test_output_waits_for_sync_or_flush(raw):
    c = raw()
    c.send(parse("s1", "select 1"))
    c.sock.settimeout(0.2)
    assert c.read() is None          # nothing sent before Flush/Sync
    c.sock.settimeout(5)
    c.send(FLUSH)
    assert c.read() == ("1", b"")
    c.send(SYNC)
    assert c.read() == ("Z", b"I")


def test_describe_statement_and_binary_results(raw):
    c = raw()
    c.send(parse("st", "select $1::int4 as a, $2", [0, 25]) + describe("S", "st") + SYNC)
    msgs = c.until()
    assert msgs[1] == ("t", struct.pack("!hII", 2, 23, 25))
    assert msgs[2][0] == "T"
    assert msgs[2][1].endswith(struct.pack("!IhIhih", 0, 0, 25, -1, -1, 0))
    c.send(bind("p1", "st", [struct.pack("!i", 7), b"hi"], [1, 0], [1]) + describe("P", "p1")
           + execute("p1") + SYNC)
    msgs = c.until()
    assert [t for t, _ in msgs] == ["2", "T", "D", "C", "Z"]
    assert msgs[1][1].endswith(struct.pack("!IhIhih", 0, 0, 25, -1, -1, 1))
    assert msgs[2][1] == struct.pack("!hii", 2, 4, 7) + struct.pack("!i", 2) + b"hi"


def test_describe_no_data_and_empty_query(raw):
    c = raw()
    c.send(parse("", "insert") + describe("S", "") + bind("", "") + describe("P", "")
           + execute() + SYNC)
    assert [t for t, _ in c.until()] == ["1", "t", "n", "2", "n", "C", "Z"]
    c.send(parse("", "") + bind("", "") + execute() + SYNC)
    assert c.types() == "12IZ"


def test_row_limit_portal_suspended(raw):
    c = raw()
    c.send(parse("", "select * from generate_series(1, 5)") + bind("c", "") + execute("c", 2)
           + execute("c", 2) + execute("c", 2) + SYNC)
    assert c.types() == "12DDsDDsDCZ"


def test_error_discards_until_sync(raw):
    c = raw()
    c.send(bind("", "nosuch") + execute() + parse("", "select 1") + query("select 1") + SYNC)
    msgs = c.until()
    assert [t for t, _ in msgs] == ["E", "Z"]
    f = error_fields(msgs[0][1])
    assert (f["C"], f["M"]) == ("26000", 'prepared statement "nosuch" does not exist')
    c.send(parse("", "select 1") + bind("", "") + execute() + SYNC)
    assert c.types() == "12DCZ"


def test_error_in_explicit_transaction(raw):
    c = raw()
    c.send(query("begin"))
    c.until()
    c.send(parse("", "select 1/0") + bind("", "") + execute() + SYNC)
    msgs = c.until()
    assert [t for t, _ in msgs] == ["1", "2", "E", "Z"]
    assert msgs[-1] == ("Z", b"E")


def test_close_and_named_statement_reuse(raw):
    c = raw()
    c.send(parse("s", "select $1::int4", [23]) + SYNC)
    assert c.types() == "1Z"
    for v in (b"1", b"2"):
        c.send(bind("", "s", [v]) + execute() + SYNC)
        msgs = c.until()
        assert msgs[1][1] == struct.pack("!hi", 1, 1) + v
    c.send(parse("s", "select 1") + SYNC)
    assert error_fields(c.until()[0][1])["C"] == "42P05"
    c.send(close("S", "s") + close("P", "nosuch") + parse("s", "select 1") + SYNC)
    assert c.types() == "331Z"


def test_bind_errors(raw):
    c = raw()
    c.send(parse("s", "select $1::int4", [23]) + SYNC)
    c.until()
    c.send(bind("", "s", [b"1", b"2"], [0, 0, 0]) + SYNC)
    f = error_fields(c.until()[0][1])
    assert (f["C"], f["M"]) == ("08P01", "bind message has 3 parameter formats but 2 parameters")
    c.send(bind("", "s", [b"1"], [7], []) + SYNC)
    f = error_fields(c.until()[0][1])
    assert (f["C"], f["M"]) == ("22023", "unsupported format code: 7")
    # a bad result format passes Bind and fails when a row is sent
    c.send(bind("", "s", [b"1"], [], [7]) + describe("P", "") + execute() + SYNC)
    msgs = c.until()
    assert [t for t, _ in msgs] == ["2", "T", "E", "Z"]
    assert error_fields(msgs[2][1])["M"] == "unsupported format code: 7"
    c.send(bind("", "s", [b"zz"]) + SYNC)
    f = error_fields(c.until()[0][1])
    assert f["C"] == "22P02"


def test_invalid_describe_and_close_subtype(raw):
    c = raw()
    c.send(describe("Z", "") + SYNC)
    f = error_fields(c.until()[0][1])
    assert (f["S"], f["C"], f["M"]) == ("ERROR", "08P01", "invalid DESCRIBE message subtype 90")
    c.send(close("Z", "") + SYNC)
    f = error_fields(c.until()[0][1])
    assert f["M"] == "invalid CLOSE message subtype 90"


def test_parameter_status_and_notice_at_sync(raw):
    c = raw()
    c.send(parse("", "set DateStyle = 'German'") + bind("", "") + execute() + SYNC)
    assert c.until() == [("1", b""), ("2", b""), ("C", b"SET\0"),
                         ("S", b"DateStyle\0German\0"), ("Z", b"I")]


def test_error_is_sent_without_waiting_for_sync(raw):
    c = raw()
    c.send(parse("", "select @") + describe("S", "") + FLUSH)
    t, body = c.read()
    assert t == "E" and error_fields(body)["C"] == "42601"
    c.send(SYNC)
    assert c.read() == ("Z", b"I")
