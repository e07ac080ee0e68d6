"""Simple query protocol against the fake engine."""

from __future__ import annotations

import struct

from rawclient import cstr, error_fields, msg, query


def test_select_messages_exact(raw):
    c = raw()
    c.send(query("select 1"))
    msgs = c.until()
    assert [t for t, _ in msgs] == ["T", "D", "C", "Z"]
    assert msgs[0][1] == (struct.pack("!h", 1) + b"?column?\0"
                          + struct.pack("!IhIhih", 0, 0, 23, 4, -1, 0))
    assert msgs[1][1] == struct.pack("!hi", 1, 1) + b"1"
    assert msgs[2][1] == b"SELECT 1\0"
    assert msgs[3][1] == b"I"


def test_nulls_and_multiple_columns(raw):
    c = raw()
    c.send(query("select 1, 'ab', null"))
    msgs = c.until()
    assert msgs[1][1] == struct.pack("!hi", 3, 1) + b"1" + struct.pack("!i", 2) + b"ab" \
        + struct.pack("!i", -1)


def test_multi_statement_and_empty_query(raw):
    c = raw()
    c.send(query("select 1; insert; select 2"))
    assert c.types() == "TDCCTDCZ"
    c.send(query(""))
    assert c.until() == [("I", b""), ("Z", b"I")]
    c.send(query("  ;  "))
    assert c.types() == "IZ"


def test_error_then_ready(raw):
    c = raw()
    c.send(query("select 1; select 1/0; select 2"))
    msgs = c.until()
    assert [t for t, _ in msgs] == ["T", "D", "C", "E", "Z"]
    f = error_fields(msgs[3][1])
    assert (f["S"], f["V"], f["C"], f["M"]) == ("ERROR", "ERROR", "22012", "division by zero")
    assert msgs[4][1] == b"I"


def test_transaction_status(raw):
    c = raw()
    c.send(query("begin"))
    assert c.until()[-1] == ("Z", b"T")
    c.send(query("select 1/0"))
    assert c.until()[-1] == ("Z", b"E")
    c.send(query("select 1"))
    msgs = c.until()
    assert error_fields(msgs[0][1])["C"] == "25P02"
    assert msgs[-1] == ("Z", b"E")
    c.send(query("rollback"))
    assert c.until() == [("C", b"ROLLBACK\0"), ("Z", b"I")]


def test_notice_and_parameter_status(raw):
    c = raw()
    c.send(query("notice hello; set DateStyle = 'German'"))
    msgs = c.until()
    assert [t for t, _ in msgs] == ["N", "C", "C", "S", "Z"]
    f = error_fields(msgs[0][1])
    assert (f["S"], f["C"], f["M"]) == ("NOTICE", "00000", "hello")
    assert msgs[3][1] == b"DateStyle\0German\0"


def test_internal_error_becomes_xx000(raw):
    c = raw()
    c.send(query("crash"))
    msgs = c.until()
    f = error_fields(msgs[0][1])
    assert (f["C"], f["M"]) == ("XX000", "RuntimeError: boom")
    c.send(query("select 1"))
    assert c.types() == "TDCZ"


def test_large_result_streams(raw):
    c = raw()
    c.send(query("select * from generate_series(1, 50000)"))
    msgs = c.until()
    assert len(msgs) == 50003
    assert msgs[-2][1] == b"SELECT 50000\0"


def test_invalid_utf8_in_query(raw):
    c = raw()
    c.send(msg(b"Q", b"select \xff\0"))
    f = error_fields(c.until()[0][1])
    assert (f["C"], f["M"]) == ("22021", 'invalid byte sequence for encoding "UTF8": 0xff')


def test_copy_from_stdin(raw, fake_db):
    c = raw()
    c.send(query("copy t from stdin"))
    t, body = c.read()
    assert (t, body) == ("G", b"\0" + struct.pack("!hhh", 2, 0, 0))
    c.send(msg(b"d", b"1\ta\n2\t") + msg(b"H") + msg(b"d", b"b\n") + msg(b"c"))
    assert c.until() == [("C", b"COPY 2\0"), ("Z", b"I")]
    assert fake_db.copied == [b"1\ta", b"2\tb"]


def test_copy_fail(raw):
    c = raw()
    c.send(query("copy t from stdin"))
    assert c.read()[0] == "G"
    c.send(msg(b"d", b"1\n") + msg(b"f", cstr("nope")))
    msgs = c.until()
    f = error_fields(msgs[0][1])
    assert (f["C"], f["M"]) == ("57014", "COPY from stdin failed: nope")
    assert msgs[-1] == ("Z", b"I")


def test_copy_data_error_discards_rest(raw):
    c = raw()
    c.send(query("copy t from stdin; select 1"))
    assert c.read()[0] == "G"
    c.send(msg(b"d", b"BAD\n") + msg(b"d", b"more\n") + msg(b"c"))
    msgs = c.until()
    assert [t for t, _ in msgs] == ["E", "Z"]
    assert error_fields(msgs[0][1])["C"] == "22P02"
    # the trailing CopyData/CopyDone are dropped silently
    c.send(query("select 2"))
    assert c.types() == "TDCZ"


def test_unexpected_message_during_copy(raw):
    c = raw()
    c.send(query("copy t from stdin"))
    c.read()
    c.send(query("select 1"))
    msgs = c.until()
    f = error_fields(msgs[0][1])
    assert (f["S"], f["M"]) == ("ERROR", "unexpected message type 0x51 during COPY from stdin")
    f = error_fields(msgs[1][1])
    assert (f["S"], f["C"], f["M"]) == ("FATAL", "08P01", ("terminating connection because "
                                        "protocol synchronization was lost"))
    assert msgs[2][0] == "EOF"


def test_copy_to_stdout(raw):
    c = raw()
    c.send(query("copy t to stdout"))
    msgs = c.until()
    assert msgs == [("H", b"\0" + struct.pack("!hhh", 2, 0, 0)), ("d", b"1\ta\n"),
                    ("d", b"2\tb\n"), ("c", b""), ("C", b"COPY 2\0"), ("Z", b"I")]


def test_stray_copy_messages_ignored(raw):
    c = raw()
    c.send(msg(b"d", b"x") + msg(b"c") + msg(b"f", b"x\0") + query("select 1"))
    assert c.types() == "TDCZ"


def test_terminate(raw):
    c = raw()
    c.send(msg(b"X"))
    assert c.read() is None


def test_copy_error_fails_transaction_block(raw):
    c = raw()
    c.send(query("begin"))
    c.until()
    c.send(query("copy t from stdin"))
    assert c.read()[0] == "G"
    c.send(msg(b"d", b"BAD\n") + msg(b"c"))
    msgs = c.until()
    assert [t for t, _ in msgs] == ["E", "Z"] and msgs[-1] == ("Z", b"E")


def test_pipelined_queries_then_terminate(raw):
    c = raw()
    c.send(query("select 1") * 5 + msg(b"X"))
    for _ in range(5):
        assert c.types() == "TDCZ"
    assert c.read() is None
