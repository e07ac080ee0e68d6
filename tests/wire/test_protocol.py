"""Raw protocol resilience against the real server."""

from __future__ import annotations

import socket
import struct
import time

import psycopg


def _startup(port, dbname, version=(3, 0)):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    body = struct.pack("!HH", *version) + b"user\0postgres\0database\0" + dbname.encode() \
        + b"\0\0"
    s.sendall(struct.pack("!i", len(body) + 4) + body)
    buf = b""
    while not buf.endswith(b"Z\0\0\0\x05I"):
        data = s.recv(65536)
        assert data, buf
        buf += data
    return s, buf


def _read_all(s, timeout=5.0):
    s.settimeout(timeout)
    buf = b""
    try:
        while True:
            data = s.recv(65536)
            if not data:
                return buf, True
            buf += data
    except TimeoutError:
        return buf, False


def _msgs(buf):
    out = []
    while len(buf) >= 5:
        n = struct.unpack("!i", buf[1:5])[0]
        out.append((buf[:1].decode(), buf[5:1 + n]))
        buf = buf[1 + n:]
    return out


def test_invalid_message_type_then_others_continue(tusk_server, wire_db, dsn):
    with psycopg.connect(dsn, autocommit=True) as other:
        s, _ = _startup(tusk_server.port, wire_db)
        s.sendall(b"\x00\x00\x00\x00\x08junk")
        buf, closed = _read_all(s)
        (t, body), = _msgs(buf)
        fields = {f[:1]: f[1:] for f in body.split(b"\0") if f}
        assert t == "E" and fields[b"S"] == b"FATAL" and fields[b"C"] == b"08P01"
        assert fields[b"M"] == b"invalid frontend message type 0"
        assert closed
        assert other.execute("select 1").fetchone() == (1,)


def test_bad_length_closes_silently(tusk_server, wire_db, dsn):
    for junk in (b"Q\x00\x00\x00\x02", b"S\x7f\xff\xff\xff"):
        s, _ = _startup(tusk_server.port, wire_db)
        s.sendall(junk)
        buf, closed = _read_all(s)
        assert buf == b"" and closed
    with psycopg.connect(dsn) as c:
        assert c.execute("select 1").fetchone() == (1,)


def test_truncated_fields_are_errors(tusk_server, wire_db):
    s, _ = _startup(tusk_server.port, wire_db)
    s.sendall(b"Q" + struct.pack("!i", 12) + b"select 1" + b"P" + struct.pack("!i", 9)
              + b"\0x\0\0\x05" + b"S\0\0\0\x04")
    buf, closed = _read_all(s, 2)
    msgs = _msgs(buf)
    assert [t for t, _ in msgs] == ["E", "Z", "E", "Z"]
    assert b"Minvalid string in message\0" in msgs[0][1]
    assert b"Minsufficient data left in message\0" in msgs[2][1]
    assert not closed


def test_client_vanishes_mid_query(tusk_server, wire_db, dsn, slow_sql):
    s, _ = _startup(tusk_server.port, wire_db)
    sql = slow_sql.encode() + b"\0"
    s.sendall(b"Q" + struct.pack("!i", len(sql) + 4) + sql)
    s.close()
    time.sleep(0.1)
    with psycopg.connect(dsn) as c:
        assert c.execute("select 1").fetchone() == (1,)


def test_raw_cancel_protocol_3_2(tusk_server, wire_db, slow_sql):
    s, buf = _startup(tusk_server.port, wire_db, version=(3, 2))
    key = next(b for t, b in _msgs(buf) if t == "K")
    assert len(key) == 4 + 32
    sql = slow_sql.encode() + b"\0"
    s.sendall(b"Q" + struct.pack("!i", len(sql) + 4) + sql)
    time.sleep(0.3)
    c = socket.create_connection(("127.0.0.1", tusk_server.port))
    c.sendall(struct.pack("!ii", 8 + len(key), 80877102) + key)
    assert c.recv(10) == b""
    buf, _ = _read_all(s, 10)
    msgs = _msgs(buf)
    # PostgreSQL sends the RowDescription before running the query; TuskDB
    # may only send it with the result, so look for the error alone.
    errors = [b for t, b in msgs if t == "E"]
    assert len(errors) == 1 and b"C57014\0" in errors[0]
    assert msgs[-1] == ("Z", b"I")


def test_fuzzed_traffic_leaves_server_serving(tusk_server, wire_db, dsn):
    import random
    rng = random.Random(18)
    valid = [b"Q\0\0\0\x0dselect 1\0", b"S\0\0\0\x04", b"H\0\0\0\x04",
             b"P\0\0\0\x15\0select $1::int4\0\0\0",
             b"B\0\0\0\x13\0\0\0\0\0\x01\0\0\0\x015\0\0", b"E\0\0\0\x09\0\0\0\0\0"]
    for _ in range(30):
        s, _ = _startup(tusk_server.port, wire_db)
        try:
            for _ in range(rng.randrange(1, 8)):
                m = bytearray(rng.choice(valid))
                if rng.random() < 0.7:
                    m[rng.randrange(len(m))] = rng.randrange(256)
                s.sendall(bytes(m[:rng.randrange(1, len(m) + 1)]))
            _read_all(s, 0.05)
        except OSError:
            pass
        s.close()
    with psycopg.connect(dsn) as c:
        assert c.execute("select 1").fetchone() == (1,)


def test_idle_timeouts(tusk_server, wire_db):
    s, _ = _startup(tusk_server.port, wire_db)
    sql = b"set idle_in_transaction_session_timeout = 300; begin\0"
    s.sendall(b"Q" + struct.pack("!i", len(sql) + 4) + sql)
    buf, closed = _read_all(s, 3)
    msgs = _msgs(buf)
    assert msgs[2] == ("Z", b"T")
    assert msgs[3][0] == "E" and b"C25P03\0" in msgs[3][1] and closed
    assert b"Mterminating connection due to idle-in-transaction timeout\0" in msgs[3][1]
    s, _ = _startup(tusk_server.port, wire_db)
    sql = b"set idle_session_timeout = 300\0"
    s.sendall(b"Q" + struct.pack("!i", len(sql) + 4) + sql)
    buf, closed = _read_all(s, 3)
    msgs = _msgs(buf)
    assert msgs[-1][0] == "E" and b"C57P05\0" in msgs[-1][1] and closed
