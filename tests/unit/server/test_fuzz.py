"""Random and mutated frontend traffic: whatever a client sends, the server
answers or closes that one connection, and keeps serving everyone else."""

from __future__ import annotations

import logging
import random
import socket
import struct

from rawclient import SYNC, RawClient, bind, describe, execute, msg, parse, query

TYPES = b"QPBDESHCXFdcf" + bytes([0, ord("Z"), ord("p"), 255])


def _valid_messages() -> list[bytes]:
    return [query("select 1"), parse("", "select $1::int4", [23]), bind("", "", [b"5"]),
            describe("P", ""), execute("", 1), SYNC, msg(b"H"), query("copy t from stdin"),
            msg(b"d", b"1\tx\n"), msg(b"c"), query("begin"), query("select 1/0")]


def _garbage(rng: random.Random) -> bytes:
    kind = rng.randrange(4)
    if kind == 0:                       # random type, plausible length, random body
        body = rng.randbytes(rng.randrange(0, 40))
        return bytes([rng.choice(TYPES)]) + struct.pack("!i", len(body) + 4) + body
    if kind == 1:                       # a valid message with flipped bytes
        m = bytearray(rng.choice(_valid_messages()))
        for _ in range(rng.randrange(1, 4)):
            m[rng.randrange(len(m))] = rng.randrange(256)
        return bytes(m)
    if kind == 2:                       # a valid message cut short
        m = rng.choice(_valid_messages())
        return m[:rng.randrange(1, len(m))]
    return rng.choice(_valid_messages())


def _drain(sock: socket.socket) -> None:
    sock.settimeout(0.05)
    try:
        while sock.recv(65536):
            pass
    except OSError:
        pass


def test_fuzzed_sessions_do_not_hurt_the_server(server, caplog):
    rng = random.Random(20261126)
    caplog.set_level(logging.ERROR, logger="tuskdb.server")
    for _ in range(60):
        c = RawClient(server.port)
        c.startup()
        try:
            for _ in range(rng.randrange(1, 12)):
                c.sock.sendall(_garbage(rng))
            _drain(c.sock)
        except OSError:
            pass
        c.close()
    good = RawClient(server.port)
    good.startup()
    good.send(query("select 1"))
    assert good.types() == "TDCZ"
    # nothing went wrong inside the server (no logged internal errors)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_fuzzed_startup_packets(server):
    rng = random.Random(7)
    for _ in range(100):
        c = RawClient(server.port)
        n = rng.randrange(0, 64)
        body = rng.randbytes(n)
        if rng.random() < 0.5:
            body = struct.pack("!i", 196608) + body
        try:
            c.sock.sendall(struct.pack("!i", len(body) + 4) + body)
            _drain(c.sock)
        except OSError:
            pass
        c.close()
    good = RawClient(server.port)
    assert good.startup()[-1] == ("Z", b"I")
