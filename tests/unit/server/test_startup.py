"""Startup packets, protocol negotiation and trust authentication."""

from __future__ import annotations

import struct

from rawclient import RawClient, error_fields, startup_packet


def test_trust_startup_sequence(server):
    c = RawClient(server.port)
    msgs = c.startup(application_name="app1")
    types = "".join(t for t, _ in msgs)
    assert types[0] == "R" and msgs[0][1] == b"\0\0\0\0"
    assert types[1:-2] == "S" * (len(types) - 3)
    assert types[-2:] == "KZ"
    params = dict(body.rstrip(b"\0").decode().split("\0") for t, body in msgs if t == "S")
    assert params["application_name"] == "app1"
    assert params["server_version"] == "18.6"
    assert len(msgs[-2][1]) == 8          # pid + 4-byte key in protocol 3.0
    assert msgs[-1][1] == b"I"


def test_ssl_and_gssenc_requests_answered_n(server):
    c = RawClient(server.port)
    c.send(struct.pack("!ii", 8, 80877103))
    assert c.read_byte() == b"N"
    c.send(struct.pack("!ii", 8, 80877104))
    assert c.read_byte() == b"N"
    assert c.startup()[-1] == ("Z", b"I")


def test_protocol_3_2_gets_32_byte_cancel_key(server):
    c = RawClient(server.port)
    msgs = c.startup(version=(3, 2))
    assert "v" not in [t for t, _ in msgs]
    key = next(b for t, b in msgs if t == "K")
    assert len(key) == 4 + 32


def test_newer_minor_version_negotiated_down(server):
    c = RawClient(server.port)
    msgs = c.startup(version=(3, 3), **{"_pq_.foo": "1"})
    assert msgs[0] == ("v", struct.pack("!ii", 0x30002, 1) + b"_pq_.foo\0")
    assert msgs[1] == ("R", b"\0\0\0\0")
    assert len(next(b for t, b in msgs if t == "K")) == 36


def test_unsupported_major_version(server):
    c = RawClient(server.port)
    c.send(startup_packet(version=(4, 0)))
    t, body = c.read()
    f = error_fields(body)
    assert (t, f["S"], f["C"]) == ("E", "FATAL", "0A000")
    assert f["M"] == "unsupported frontend protocol 4.0: server supports 3.0 to 3.2"
    assert c.read() is None


def test_protocol_2_gets_old_style_error(server):
    c = RawClient(server.port)
    c.send(startup_packet(version=(2, 0)))
    data = c.sock.recv(1000)
    assert data == (b"EFATAL:  unsupported frontend protocol 2.0: "
                    b"server supports 3.0 to 3.2\n\0")


def test_unknown_database(server):
    c = RawClient(server.port)
    c.send(startup_packet(database="nosuch"))
    assert c.read() == ("R", b"\0\0\0\0")
    t, body = c.read()
    f = error_fields(body)
    assert (t, f["S"], f["C"], f["M"]) == ("E", "FATAL", "3D000",
                                           'database "nosuch" does not exist')
    assert c.read() is None


def test_unknown_role(server):
    c = RawClient(server.port)
    c.send(startup_packet(user="nosuch", database="nosuch"))
    assert c.read() == ("R", b"\0\0\0\0")
    f = error_fields(c.read()[1])
    assert (f["C"], f["M"]) == ("28000", 'role "nosuch" does not exist')
    assert c.read() is None


def test_role_without_login(server):
    c = RawClient(server.port)
    c.send(startup_packet(user="nologin"))
    c.read()
    f = error_fields(c.read()[1])
    assert (f["C"], f["M"]) == ("28000", 'role "nologin" is not permitted to log in')


def test_missing_user(server):
    c = RawClient(server.port)
    body = struct.pack("!HH", 3, 0) + b"database\0postgres\0\0"
    c.send(struct.pack("!i", len(body) + 4) + body)
    f = error_fields(c.read()[1])
    assert (f["S"], f["C"], f["M"]) == ("FATAL", "28000",
                                        "no PostgreSQL user name specified in startup packet")


def test_startup_missing_terminator(server):
    c = RawClient(server.port)
    body = struct.pack("!HH", 3, 0) + b"user\0postgres\0"
    c.send(struct.pack("!i", len(body) + 4) + body)
    f = error_fields(c.read()[1])
    assert (f["C"], f["M"]) == ("08P01", ("invalid startup packet layout: "
                                "expected terminator as last byte"))


def test_bad_startup_lengths_close_silently(server):
    for packet in (struct.pack("!ii", 4, 0), struct.pack("!ii", 20000, 196608)):
        c = RawClient(server.port)
        c.send(packet)
        assert c.read() is None


def test_options_and_gucs_passed_to_connect(server, fake_db):
    c = RawClient(server.port)
    c.startup(options=r"-c DateStyle=German --search-path=a\ b", client_encoding="UTF8")
    session = next(iter(fake_db.sessions.values()))
    assert session.options == {"DateStyle": "German", "search_path": "a b",
                               "client_encoding": "UTF8"}


def test_fatal_from_connect_gucs(server):
    c = RawClient(server.port)
    c.send(startup_packet(bogus_x="1"))
    assert c.read()[0] == "R"
    f = error_fields(c.read()[1])
    assert (f["S"], f["C"]) == ("FATAL", "42704")


def test_authentication_timeout(server):
    server.authentication_timeout = 0.3
    c = RawClient(server.port)
    c.send(struct.pack("!i", 100))       # incomplete startup packet
    assert c.read() is None
