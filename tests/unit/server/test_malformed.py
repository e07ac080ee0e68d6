"""Malformed input: the offending connection is handled as PostgreSQL does
(ERROR, FATAL or a silent close) and everything else keeps working."""

from __future__ import annotations

import struct

from rawclient import SYNC, error_fields, msg, query


def _still_serving(raw):
    c = raw()
    c.send(query("select 1"))
    assert c.types() == "TDCZ"


def test_invalid_message_type_is_fatal(raw):
    c = raw()
    other = raw()
    c.send(b"\x00\x00\x00\x00\x05")
    t, body = c.read()
    f = error_fields(body)
    assert (t, f["S"], f["C"], f["M"]) == ("E", "FATAL", "08P01",
                                           "invalid frontend message type 0")
    assert c.read() is None
    other.send(query("select 1"))
    assert other.types() == "TDCZ"


def test_bad_lengths_close_silently(raw):
    for data in (b"Q\x00\x00\x00\x03", b"Q\x7f\x00\x00\x00", b"S\x00\x00\x30\x00"):
        c = raw()
        c.send(data)
        assert c.read() is None
    _still_serving(raw)


def test_missing_nul_and_trailing_garbage(raw):
    c = raw()
    c.send(msg(b"Q", b"select 1"))
    msgs = c.until()
    f = error_fields(msgs[0][1])
    assert (f["S"], f["C"], f["M"]) == ("ERROR", "08P01", "invalid string in message")
    assert msgs[1] == ("Z", b"I")
    c.send(msg(b"Q", b"select 1\0x"))
    f = error_fields(c.until()[0][1])
    assert f["M"] == "invalid message format"
    c.send(msg(b"Q", b""))
    assert error_fields(c.until()[0][1])["M"] == "invalid string in message"
    c.send(msg(b"S", b"x"))
    assert error_fields(c.until()[0][1])["M"] == "invalid message format"


def test_truncated_extended_messages(raw):
    c = raw()
    c.send(msg(b"P", b"\0select 1\0\0\x05") + SYNC)
    msgs = c.until()
    assert [t for t, _ in msgs] == ["E", "Z"]
    assert error_fields(msgs[0][1])["M"] == "insufficient data left in message"
    c.send(msg(b"B", b"\0\0\0\0\0\x01\0\0\0\x05ab") + SYNC)
    assert error_fields(c.until()[0][1])["M"] == "insufficient data left in message"
    c.send(msg(b"B", b"\0\0\xff\xff") + SYNC)
    assert error_fields(c.until()[0][1])["M"] == "insufficient data left in message"
    c.send(msg(b"E", b"\0\0\0") + SYNC)
    assert error_fields(c.until()[0][1])["M"] == "insufficient data left in message"
    c.send(msg(b"D", b"") + SYNC)
    assert error_fields(c.until()[0][1])["M"] == "no data left in message"
    c.send(query("select 1"))
    assert c.types() == "TDCZ"


def test_message_split_across_packets(raw):
    c = raw()
    data = query("select 1") + query("select 2")
    for i in range(len(data)):
        c.send(data[i:i + 1])
    assert c.types() == "TDCZ"
    assert c.types() == "TDCZ"


def test_client_vanishes_mid_statement(raw, fake_db):
    c = raw()
    c.send(query("select pg_sleep(0.3)"))
    c.close()
    import time
    deadline = time.monotonic() + 3
    while fake_db.sessions and time.monotonic() < deadline:
        time.sleep(0.05)
    # only sessions of other clients may remain
    _still_serving(raw)


def test_client_vanishes_during_copy(raw, fake_db):
    c = raw()
    c.send(query("copy t from stdin"))
    assert c.read()[0] == "G"
    c.send(msg(b"d", b"1\n")[:3])
    c.close()
    _still_serving(raw)


def test_many_messages_one_packet(raw):
    c = raw()
    c.send(query("select 1") * 200)
    for _ in range(200):
        assert c.types() == "TDCZ"


def test_oversized_small_message(raw):
    c = raw()
    c.send(b"S" + struct.pack("!i", 10001) + b"\0" * 10000)
    assert c.read() is None



def test_client_check_callback(raw, fake_db):
    import time
    c = raw()
    session = next(iter(fake_db.sessions.values()))
    assert session.client_check() is True
    c.send(query("select pg_sleep(0.5)"))
    time.sleep(0.1)
    assert session.client_check() is True      # pending input is not a lost client
    c.close()
    time.sleep(0.05)
    assert session.client_check() is False


def test_bind_fast_and_checked_paths_agree(raw):
    from rawclient import bind, execute, parse
    c = raw()
    c.send(parse("s", "select $1::int4", [23]) + SYNC)
    c.until()
    cases = [
        (bind("", "s", [b"1"]), "2"),                              # fast path
        (bind("", "s", [None]), "2"),
        (bind("", "s", [b"1"])[:-1], "insufficient data left in message"),
        (bind("", "s", [b"1"]) [:5] + b"\xff\0s\0\0\0\0\x01\0\0\0\x011\0\0",
         'invalid byte sequence for encoding "UTF8": 0xff'),
        (msg(b"B", b"\0s\0\0\0\0\x01\0\0\0\x011\0\0x"), "invalid message format"),
        (msg(b"B", b"\0s\0\0\0\0\x01\xff\xff\xff\xfe\0\0"), "insufficient data left in message"),
    ]
    for data, want in cases:
        if len(data) >= 5:
            data = data[:1] + struct.pack("!i", len(data) - 1) + data[5:]
        c.send(data + execute() + SYNC)
        msgs = c.until()
        if want == "2":
            assert [t for t, _ in msgs] == ["2", "D", "C", "Z"]
        else:
            assert error_fields(msgs[0][1])["M"] == want, msgs
