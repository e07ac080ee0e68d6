"""The embedded DB-API (PEP 249) on the engine: values, transactions, errors, persistence."""
from __future__ import annotations

import datetime as dt
import decimal
import uuid

import pytest

import tuskdb
from tuskdb.dbapi import IntegrityError, ProgrammingError


@pytest.fixture
def con():
    c = tuskdb.connect(":memory:")
    yield c
    c.close()


def test_module_globals():
    assert tuskdb.apilevel == "2.0" and tuskdb.paramstyle == "pyformat"


def test_roundtrip_values(con):
    cur = con.cursor()
    cur.execute("create table t (i int, b bigint, n numeric(6,2), s text, d date, "
                "ts timestamp, u uuid, f float8, ok boolean, by bytea)")
    u = uuid.UUID("12345678-1234-5678-1234-567812345678")
    row = (1, 2**40, decimal.Decimal("12.50"), "héllo", dt.date(2024, 2, 29),
           dt.datetime(2024, 1, 2, 3, 4, 5), u, 1.5, True, b"\x00\xff")
    cur.execute("insert into t values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", row)
    assert cur.rowcount == 1
    cur.execute("select * from t")
    assert cur.fetchone() == row
    assert [d[0] for d in cur.description] == ["i", "b", "n", "s", "d", "ts", "u", "f", "ok",
                                               "by"]


def test_named_parameters_and_executemany(con):
    cur = con.cursor()
    cur.execute("create table kv (k text primary key, v int)")
    cur.executemany("insert into kv values (%(k)s, %(v)s)", [{"k": "a", "v": 1},
                                                            {"k": "b", "v": 2}])
    cur.execute("select sum(v) from kv where k in (%s, %s)", ("a", "b"))
    assert cur.fetchone() == (3,)


def test_transactions(con):
    cur = con.cursor()
    cur.execute("create table x (a int)")
    con.commit()
    cur.execute("insert into x values (1)")
    con.rollback()
    cur.execute("select count(*) from x")
    assert cur.fetchone() == (0,)
    cur.execute("insert into x values (2)")
    con.commit()
    cur.execute("select a from x")
    assert cur.fetchall() == [(2,)]


def test_error_classes(con):
    cur = con.cursor()
    cur.execute("create table u (a int primary key)")
    cur.execute("insert into u values (1)")
    with pytest.raises(IntegrityError) as ei:
        cur.execute("insert into u values (1)")
    assert ei.value.sqlstate == "23505"
    con.rollback()
    with pytest.raises(ProgrammingError) as ei:
        cur.execute("select * from nosuch")
    assert ei.value.sqlstate == "42P01"


def test_data_survives_reopen(tmp_path):
    path = str(tmp_path / "data")
    con = tuskdb.connect(path)
    cur = con.cursor()
    cur.execute("create table p (a int primary key, b text)")
    cur.execute("insert into p values (1, 'one'), (2, 'two')")
    con.commit()
    con.close()
    from tuskdb.dbapi.connection import _databases
    import os
    _databases.pop(os.path.abspath(path)).shutdown()
    con = tuskdb.connect(path)
    cur = con.cursor()
    cur.execute("select b from p where a = %s", (2,))
    assert cur.fetchone() == ("two",)
    con.close()


def test_literal_insensitive_plan_cache():
    from tuskdb.engine import Database
    db = Database.open(":memory:")
    s = db.connect("postgres", "postgres")
    for q in ("create table c (a int primary key, b text)",
              "insert into c values (1, 'x'), (2, 'y')"):
        list(s.simple_query(q))
    r1 = list(s.simple_query("select b from c where a = 1"))[0]
    n = len(db.plans._entries)
    r2 = list(s.simple_query("select b from c where a = 2"))[0]
    assert (r1.rows, r2.rows) == ([("x",)], [("y",)])
    assert len(db.plans._entries) == n          # the second statement reused the plan
    # a literal of another type is a different plan, not a wrong answer
    r3 = list(s.simple_query("select b from c where a = 10000000000"))[0]
    assert r3.rows == []
    s.close()
    db.shutdown()
