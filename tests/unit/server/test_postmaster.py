"""Cancel requests, concurrency and shutdown."""

from __future__ import annotations

import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
from rawclient import RawClient, error_fields, query, startup_packet


def _cancel(port: int, pid: int, key: bytes) -> None:
    c = RawClient(port)
    c.send(struct.pack("!iii", 12 + len(key), 80877102, pid) + key)
    assert c.read() is None


def test_raw_cancel_3_0_and_3_2(server):
    for version in ((3, 0), (3, 2)):
        c = RawClient(server.port)
        msgs = c.startup(version=version)
        k = next(b for t, b in msgs if t == "K")
        pid, key = struct.unpack("!i", k[:4])[0], k[4:]
        c.send(query("select pg_sleep(5)"))
        time.sleep(0.1)
        _cancel(server.port, pid, b"\0" * len(key))      # wrong key: ignored
        time.sleep(0.1)
        _cancel(server.port, pid, key)
        msgs = c.until()
        f = error_fields(msgs[0][1])
        assert (f["C"], f["M"]) == ("57014", "canceling statement due to user request")


def test_concurrent_clients(server):
    errors = []

    def work(i):
        try:
            with psycopg.connect(f"host=127.0.0.1 port={server.port} user=postgres "
                                 "dbname=postgres") as conn:
                for j in range(50):
                    assert conn.execute("select %s::int4", [j]).fetchone() == (j,)
        except Exception as e:  # noqa: BLE001
            errors.append(e)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_shutdown_terminates_sessions(fake_db):
    from tuskdb.server import Server
    srv = Server(fake_db, port=0).start()
    idle = RawClient(srv.port)
    idle.startup()
    busy = RawClient(srv.port)
    busy.startup()
    busy.send(query("select pg_sleep(10)"))
    time.sleep(0.1)
    t0 = time.monotonic()
    srv.shutdown()
    assert time.monotonic() - t0 < 3
    for c in (idle, busy):
        msgs = c.until()
        f = error_fields(msgs[0][1])
        assert (f["S"], f["C"], f["M"]) == ("FATAL", "57P01", ("terminating connection due to "
                                            "administrator command"))
        assert msgs[-1][0] == "EOF"
    assert fake_db.sessions == {}


SERVE_SCRIPT = """
import sys
sys.path.insert(0, {testdir!r})
sys.path.insert(0, {repo!r})
from fake_engine import FakeDatabase
from tuskdb.server import Server
srv = Server(FakeDatabase(), port=0)
srv.bind()
print(srv.port, flush=True)
srv.serve_forever()
print("stopped", flush=True)
"""


def test_sigterm_stops_serve_forever():
    testdir = str(Path(__file__).resolve().parent)
    script = SERVE_SCRIPT.format(testdir=testdir, repo=str(Path(testdir).parents[2]))
    proc = subprocess.Popen([sys.executable, "-c", script],
                            stdout=subprocess.PIPE, text=True)
    try:
        port = int(proc.stdout.readline())
        c = RawClient(port)
        c.startup()
        proc.send_signal(signal.SIGTERM)
        f = error_fields(c.until()[0][1])
        assert f["C"] == "57P01"
        assert proc.stdout.readline().strip() == "stopped"
        assert proc.wait(5) == 0
    finally:
        proc.kill()


def test_startup_packet_for_cancel_of_unknown_pid(server):
    _cancel(server.port, 424242, b"abcd")
    c = RawClient(server.port)
    c.send(startup_packet())
    assert c.until()[-1] == ("Z", b"I")


def test_unix_socket_and_two_addresses(fake_db, tmp_path):
    import socket as _socket

    from tuskdb.server import Server
    srv = Server(fake_db, host="127.0.0.1,localhost", port=0,
                 unix_socket_dir=str(tmp_path)).start()
    try:
        path = tmp_path / f".s.PGSQL.{srv.port}"
        s = _socket.socket(_socket.AF_UNIX)
        s.connect(str(path))
        s.sendall(startup_packet())
        assert s.recv(5)[:1] == b"R"
        s.close()
        with psycopg.connect(f"host={tmp_path} port={srv.port} user=postgres "
                             "dbname=postgres") as conn:
            assert conn.execute("select 1").fetchone() == (1,)
    finally:
        srv.shutdown()
    assert not path.exists()


def test_terminate_callback_ends_idle_session(server, fake_db):
    c = RawClient(server.port)
    c.startup()
    session = next(iter(fake_db.sessions.values()))
    session.terminate_callback()
    msgs = c.until()
    f = error_fields(msgs[0][1])
    assert (f["S"], f["C"]) == ("FATAL", "57P01")
    assert msgs[-1][0] == "EOF"
    c2 = RawClient(server.port)
    assert c2.startup()[-1] == ("Z", b"I")


def test_max_connections(fake_db):
    from tuskdb.server import Server
    srv = Server(fake_db, port=0, max_connections=2).start()
    try:
        a, b = RawClient(srv.port), RawClient(srv.port)
        a.startup()
        b.startup()
        c = RawClient(srv.port)
        c.send(startup_packet())
        f = error_fields(c.read()[1])
        assert (f["S"], f["C"], f["M"]) == ("FATAL", "53300", "sorry, too many clients already")
        a.send(b"X\0\0\0\x04")
        assert a.read() is None
        time.sleep(0.1)
        d = RawClient(srv.port)
        assert d.startup()[-1] == ("Z", b"I")
    finally:
        srv.shutdown()


def test_idle_session_timeouts(raw):
    c = raw()
    c.send(query("set idle_session_timeout = 200"))
    assert c.until()[-1] == ("Z", b"I")
    c.send(query("select 1"))            # activity re-arms the timer
    assert c.types() == "TDCZ"
    t0 = time.monotonic()
    msgs = c.until()
    f = error_fields(msgs[0][1])
    assert (f["S"], f["C"], f["M"]) == ("FATAL", "57P05",
                                        "terminating connection due to idle-session timeout")
    assert msgs[-1][0] == "EOF" and time.monotonic() - t0 < 2
    c = raw()
    c.send(query("set idle_in_transaction_session_timeout = 200; begin"))
    assert c.until()[-1] == ("Z", b"T")
    f = error_fields(c.until()[0][1])
    assert (f["C"], f["M"]) == ("25P03", ("terminating connection due to idle-in-transaction "
                                "timeout"))


def test_idle_session_timeout_from_startup(server, fake_db):
    orig = fake_db.connect

    def connect(*a, **kw):
        s = orig(*a, **kw)
        s.settings["idle_session_timeout"] = 150
        return s
    fake_db.connect = connect
    c = RawClient(server.port)
    c.startup()
    f = error_fields(c.until()[0][1])
    assert f["C"] == "57P05"
