"""Fixtures for real-client tests against `tusk serve` (or PostgreSQL 18 with
TUSK_TEST_TARGET=pg18, which validates the tests themselves)."""

from __future__ import annotations

import importlib.util

import pytest
from support.psql import unique_name
from support.server import target

if target() == "tusk" and importlib.util.find_spec("tuskdb.cli") is None:
    # Written ahead of the engine and validated with TUSK_TEST_TARGET=pg18;
    # they run against `tusk serve` as soon as the CLI exists.
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="module")
def wire_db(tusk_server):
    """One database per test module (cheaper than one per test)."""
    name = unique_name("wire")
    tusk_server.create_database(name)
    yield name
    tusk_server.drop_database(name)


@pytest.fixture
def dsn(tusk_server, wire_db):
    return tusk_server.dsn_for(wire_db)


@pytest.fixture
def conn(dsn):
    import psycopg
    with psycopg.connect(dsn, autocommit=True) as c:
        yield c


@pytest.fixture
def table(conn):
    """A fresh table name; dropped afterwards."""
    created = []

    def make(ddl: str) -> str:
        name = unique_name("t")
        conn.execute(ddl.format(name=name))
        created.append(name)
        return name
    yield make
    for name in created:
        conn.execute(f"drop table if exists {name}")


@pytest.fixture(scope="module")
def slow_sql(tusk_server, wire_db):
    """A query that runs for a long time without pg_sleep (a triple cross
    join of 1,000 rows), for cancel and disconnect tests."""
    import psycopg
    name = unique_name("slow")
    with psycopg.connect(tusk_server.dsn_for(wire_db), autocommit=True) as c:
        c.execute(f"create table {name} (i int)")
        c.execute(f"insert into {name} values " + ",".join(f"({i})" for i in range(1000)))
    yield f"select count(*) from {name} a, {name} b, {name} c"
    with psycopg.connect(tusk_server.dsn_for(wire_db), autocommit=True) as c:
        c.execute(f"drop table {name}")
