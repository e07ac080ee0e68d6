"""asyncpg against the server: extended protocol only, binary codecs,
prepared statements, portals with row limits, errors, cancel."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from decimal import Decimal

import asyncpg
import pytest


def run(tusk_server, wire_db, body):
    async def main():
        conn = await asyncpg.connect(host=tusk_server.host, port=tusk_server.port,
                                     user=tusk_server.user, database=wire_db)
        try:
            return await body(conn)
        finally:
            await conn.close()
    return asyncio.run(main())


BINARY_VALUES = [
    ("int2", 7), ("int4", 123456), ("int8", -(2 ** 62)), ("float8", 2.25),
    ("numeric", Decimal("-9876.54321")), ("text", "ünïcode"), ("bool", False),
    ("bytea", b"\x01\x02\x00"), ("date", dt.date(1999, 12, 31)),
    ("timestamp", dt.datetime(2000, 1, 1, 0, 0, 0, 1)),
    ("timestamptz", dt.datetime(2021, 6, 1, 12, 0, tzinfo=dt.UTC)),
    ("interval", dt.timedelta(days=1, microseconds=5)),
    ("uuid", uuid.UUID("00000000-0000-0000-0000-000000000001")),
]


@pytest.mark.parametrize("typ,value", BINARY_VALUES, ids=[v[0] for v in BINARY_VALUES])
def test_binary_codecs(tusk_server, wire_db, typ, value):
    async def body(conn):
        return await conn.fetchrow(f"select $1::{typ} as v, null::{typ} as n", value)
    row = run(tusk_server, wire_db, body)
    assert row["v"] == value and row["n"] is None


def test_prepared_statements_and_cursor(tusk_server, wire_db):
    async def body(conn):
        await conn.execute("create table ap_t (id int primary key, v text)")
        try:
            ins = await conn.prepare("insert into ap_t values ($1, $2)")
            for i in range(30):
                await ins.fetch(i, f"v{i}")
            sel = await conn.prepare("select id, v from ap_t where id < $1 order by id")
            assert [a.name for a in sel.get_attributes()] == ["id", "v"]
            assert [p.name for p in sel.get_parameters()] == ["int4"]
            rows = await sel.fetch(3)
            assert [tuple(r) for r in rows] == [(0, "v0"), (1, "v1"), (2, "v2")]
            await conn.executemany("insert into ap_t values ($1, $2)",
                                   [(100 + i, "x") for i in range(10)])
            async with conn.transaction():
                ids = [r["id"] async for r in conn.cursor("select id from ap_t order by id",
                                                         prefetch=7)]
            assert len(ids) == 40
            assert await conn.fetchval("select count(*) from ap_t") == 40
        finally:
            await conn.execute("drop table ap_t")
    run(tusk_server, wire_db, body)


def test_errors(tusk_server, wire_db):
    async def body(conn):
        await conn.execute("create table ap_e (id int primary key, n int not null check (n > 0))")
        try:
            await conn.execute("insert into ap_e values (1, 1)")
            with pytest.raises(asyncpg.UniqueViolationError):
                await conn.execute("insert into ap_e values (1, 1)")
            with pytest.raises(asyncpg.CheckViolationError):
                await conn.execute("insert into ap_e values ($1, $2)", 2, -5)
            with pytest.raises(asyncpg.NotNullViolationError):
                await conn.execute("insert into ap_e values ($1, $2)", 3, None)
            with pytest.raises(asyncpg.DivisionByZeroError):
                await conn.fetchval("select 1/$1::int", 0)
            with pytest.raises(asyncpg.PostgresSyntaxError):
                await conn.fetch("selec 1")
            with pytest.raises(asyncpg.UndefinedTableError):
                await conn.fetch("select * from no_such_tbl_z")
            tr = conn.transaction()
            await tr.start()
            with pytest.raises(asyncpg.DivisionByZeroError):
                await conn.fetch("select 1/0")
            with pytest.raises(asyncpg.InFailedSQLTransactionError):
                await conn.fetch("select 1")
            await tr.rollback()
            assert await conn.fetchval("select 42") == 42
        finally:
            await conn.execute("drop table ap_e")
    run(tusk_server, wire_db, body)


def test_cancel_by_timeout(tusk_server, wire_db, slow_sql):
    async def body(conn):
        with pytest.raises(asyncio.TimeoutError):
            await conn.fetch(slow_sql, timeout=0.5)
        return await conn.fetchval("select 1")
    assert run(tusk_server, wire_db, body) == 1
