"""LISTEN / NOTIFY between real psycopg connections: delivery at commit, to idle
listeners at once, held back while the listener is inside a transaction block,
dropped with a rolled-back transaction or savepoint, channels per session."""

from __future__ import annotations

import time

import psycopg
import pytest


@pytest.fixture
def pair(dsn):
    with psycopg.connect(dsn, autocommit=True) as a, \
            psycopg.connect(dsn, autocommit=True) as b:
        yield a, b


def _drain(conn, want, timeout=3.0):
    got = []
    gen = conn.notifies(timeout=timeout)
    for n in gen:
        got.append(n)
        if len(got) >= want:
            gen.close()
    return got


def test_idle_listener_gets_notifications_at_once(pair):
    a, b = pair
    a.execute("LISTEN ch1")
    b.execute("NOTIFY ch1, 'hello'")
    b.execute("SELECT pg_notify('ch1', 'second')")
    b.execute("NOTIFY ch2, 'nobody listens'")
    got = _drain(a, 2)
    assert [(n.channel, n.payload) for n in got] == [("ch1", "hello"), ("ch1", "second")]
    assert {n.pid for n in got} == {b.info.backend_pid}


def test_one_transaction_collapses_duplicates_and_delivers_at_commit(pair):
    a, b = pair
    a.execute("LISTEN ch")
    with b.transaction():
        b.execute("NOTIFY ch, 'x'")
        b.execute("NOTIFY ch, 'x'")
        b.execute("NOTIFY ch, 'y'")
        assert _drain(a, 1, timeout=0.3) == []
    assert [n.payload for n in _drain(a, 2)] == ["x", "y"]


def test_rolled_back_work_notifies_nobody(pair):
    a, b = pair
    a.execute("LISTEN ch")
    b.execute("BEGIN")
    b.execute("NOTIFY ch, 'gone'")
    b.execute("ROLLBACK")
    b.execute("BEGIN")
    b.execute("SAVEPOINT s")
    b.execute("NOTIFY ch, 'gone too'")
    b.execute("ROLLBACK TO s")
    b.execute("NOTIFY ch, 'kept'")
    b.execute("COMMIT")
    assert [n.payload for n in _drain(a, 1)] == ["kept"]
    assert _drain(a, 1, timeout=0.3) == []


def test_listener_in_transaction_block_waits_for_its_end(pair):
    a, b = pair
    a.execute("LISTEN ch")
    a.execute("BEGIN")
    b.execute("NOTIFY ch, 'later'")
    time.sleep(0.2)
    a.execute("SELECT 1")
    assert _drain(a, 1, timeout=0.3) == []
    a.execute("COMMIT")
    assert [n.payload for n in _drain(a, 1)] == ["later"]


def test_listen_takes_effect_at_commit_and_unlisten(pair):
    a, b = pair
    a.execute("BEGIN")
    a.execute("LISTEN c1")
    assert a.execute("SELECT count(*) FROM pg_listening_channels()").fetchone() == (0,)
    a.execute("COMMIT")
    a.execute("LISTEN c2")
    assert a.execute("SELECT * FROM pg_listening_channels() ORDER BY 1").fetchall() == \
        [("c1",), ("c2",)]
    a.execute("UNLISTEN c1")
    b.execute("NOTIFY c1")
    b.execute("NOTIFY c2")
    assert [n.channel for n in _drain(a, 1)] == ["c2"]
    a.execute("UNLISTEN *")
    assert a.execute("SELECT count(*) FROM pg_listening_channels()").fetchone() == (0,)
    assert a.execute("SELECT pg_notification_queue_usage()").fetchone() == (0.0,)


def test_errors(conn):
    for sql, msg in (("SELECT pg_notify('', 'x')", "channel name cannot be empty"),
                     ("SELECT pg_notify(NULL, 'x')", "channel name cannot be empty"),
                     ("SELECT pg_notify(repeat('c', 64), 'x')", "channel name too long"),
                     ("SELECT pg_notify('c', repeat('x', 8000))", "payload string too long")):
        with pytest.raises(psycopg.errors.InvalidParameterValue, match=msg):
            conn.execute(sql)
