"""Real client libraries (psycopg 3, asyncpg) against the fake engine."""

from __future__ import annotations

import asyncio
import threading
import time

import asyncpg
import psycopg
import pytest


def test_psycopg_text_and_binary(dsn):
    with psycopg.connect(dsn) as conn:
        assert conn.execute("select 1, 'a', null, true").fetchone() == (1, "a", None, True)
        assert conn.execute("select %s::int4, %s", [5, "x"]).fetchone() == (5, "x")
        cur = conn.cursor(binary=True)
        assert cur.execute("select %s::int4, %s, true", [-3, "y"]).fetchone() == (-3, "y", True)
        assert conn.execute("select * from generate_series(1, 3)").fetchall() == [(1,), (2,),
                                                                                (3,)]


def test_psycopg_prepared_statements(dsn):
    with psycopg.connect(dsn) as conn:
        for i in range(5):
            assert conn.execute("select %s::int4", [i], prepare=True).fetchone() == (i,)
        assert conn.execute("select 7", prepare=True).fetchone() == (7,)


def test_psycopg_pipeline(dsn):
    with psycopg.connect(dsn) as conn, conn.pipeline():
        curs = [conn.execute("select %s::int4", [i]) for i in range(10)]
        assert [c.fetchone()[0] for c in curs] == list(range(10))


def test_psycopg_errors(dsn):
    with psycopg.connect(dsn) as conn:
        with pytest.raises(psycopg.errors.DivisionByZero):
            conn.execute("select 1/0")
        conn.rollback()
        with pytest.raises(psycopg.errors.SyntaxError):
            conn.execute("selec 1")
        conn.rollback()
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("raise 23505 duplicate key value violates unique constraint")
        with pytest.raises(psycopg.errors.InFailedSqlTransaction):
            conn.execute("select 1")
        conn.rollback()
        with pytest.raises(psycopg.errors.InternalError_):
            conn.execute("crash")


def test_psycopg_notices_and_params(dsn):
    with psycopg.connect(dsn, autocommit=True) as conn:
        got = []
        conn.add_notice_handler(lambda d: got.append(d.message_primary))
        conn.execute("notice hi there")
        assert got == ["hi there"]
        conn.execute("set DateStyle = 'German'")
        assert conn.info.parameter_status("DateStyle") == "German"


def test_psycopg_copy(dsn, fake_db):
    with psycopg.connect(dsn, autocommit=True) as conn:
        with conn.cursor().copy("copy t from stdin") as cp:
            cp.write_row((1, "a"))
            cp.write_row((2, "b"))
        assert fake_db.copied == [b"1\ta", b"2\tb"]
        with conn.cursor().copy("copy t to stdout") as cp:
            assert [bytes(x) for x in cp] == [b"1\ta\n", b"2\tb\n"]


def test_psycopg_cancel(dsn):
    with psycopg.connect(dsn, autocommit=True) as conn:
        threading.Timer(0.2, conn.cancel_safe).start()
        t0 = time.monotonic()
        with pytest.raises(psycopg.errors.QueryCanceled):
            conn.execute("select pg_sleep(5)")
        assert time.monotonic() - t0 < 3
        assert conn.execute("select 1").fetchone() == (1,)


def test_asyncpg_fetch_and_prepared(server):
    async def run():
        conn = await asyncpg.connect(host="127.0.0.1", port=server.port, user="postgres",
                                     database="postgres")
        try:
            assert await conn.fetchval("select $1::int4", 41) == 41
            stmt = await conn.prepare("select $1::int4 as a, $2::text as b")
            assert [p.oid for p in stmt.get_parameters()] == [23, 25]
            rows = [await stmt.fetchrow(i, str(i)) for i in range(3)]
            assert [tuple(r) for r in rows] == [(0, "0"), (1, "1"), (2, "2")]
            assert rows[0]["a"] == 0
            assert await conn.fetch("select * from generate_series(1, 4)") == \
                [(1,), (2,), (3,), (4,)]
            with pytest.raises(asyncpg.exceptions.DivisionByZeroError):
                await conn.fetch("select 1/0")
            async with conn.transaction():
                await conn.execute("insert")
            # cursor with prefetch → Execute row limits, PortalSuspended
            async with conn.transaction():
                got = [r[0] async for r in conn.cursor("select * from generate_series(1, 10)",
                                                      prefetch=3)]
            assert got == list(range(1, 11))
        finally:
            await conn.close()
    asyncio.run(run())


def test_asyncpg_cancel(server):
    async def run():
        conn = await asyncpg.connect(host="127.0.0.1", port=server.port, user="postgres",
                                     database="postgres")
        try:
            with pytest.raises(asyncio.TimeoutError):
                await conn.fetch("select pg_sleep(5)", timeout=0.2)
            assert await conn.fetchval("select 1") == 1
        finally:
            await conn.close()
    t0 = time.monotonic()
    asyncio.run(run())
    assert time.monotonic() - t0 < 3
