"""psycopg 3 against the server: text and binary I/O, server-side prepared
statements, pipelines, COPY, notices, errors, cancel."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from decimal import Decimal

import psycopg
import pytest
from psycopg import errors as E
from support.server import target



VALUES = [
    ("int2", 12), ("int4", -2147483648), ("int8", 9223372036854775807),
    ("numeric", Decimal("12345.678900")), ("float8", 1.5), ("text", "héllo wörld"),
    ("bool", True), ("bytea", b"\x00\xffab"), ("date", dt.date(2024, 2, 29)),
    ("timestamp", dt.datetime(2024, 1, 2, 3, 4, 5, 123456)),
    ("interval", dt.timedelta(days=3, seconds=7)),
    ("uuid", uuid.UUID("12345678-1234-5678-1234-567812345678")),
]


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
@pytest.mark.parametrize("typ,value", VALUES, ids=[v[0] for v in VALUES])
def test_roundtrip_types(conn, binary, typ, value):
    cur = conn.cursor(binary=binary)
    got = cur.execute(f"select %s::{typ}, null::{typ}", [value]).fetchone()
    assert got == (value, None)
    assert cur.description[0].type_code == conn.adapters.types[typ].oid


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_table_roundtrip(conn, table, binary):
    t = table("create table {name} (id int primary key, name text, amount numeric(10,2), "
              "at timestamptz)")
    at = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    cur = conn.cursor(binary=binary)
    cur.executemany(f"insert into {t} values (%s, %s, %s, %s)",
                    [(i, f"n{i}", Decimal(i) / 4, at) for i in range(20)])
    rows = cur.execute(f"select id, name, amount, at from {t} where id >= %s order by id",
                       [15]).fetchall()
    assert rows == [(i, f"n{i}", (Decimal(i) / 4).quantize(Decimal("0.01")), at)
                    for i in range(15, 20)]


def test_server_side_prepared(conn, table):
    t = table("create table {name} (id int primary key, v text)")
    for i in range(10):
        conn.execute(f"insert into {t} values (%s, %s)", [i, str(i)], prepare=True)
    for i in range(10):
        assert conn.execute(f"select v from {t} where id = %s", [i],
                            prepare=True).fetchone() == (str(i),)
    names = conn.execute("select name from pg_prepared_statements").fetchall()
    assert len(names) >= 2


def test_pipeline(conn, table):
    t = table("create table {name} (id int primary key)")
    with conn.pipeline():
        for i in range(50):
            conn.execute(f"insert into {t} values (%s)", [i])
        cur = conn.execute(f"select count(*) from {t}")
    assert cur.fetchone() == (50,)


def test_transactions_and_status(dsn, table):
    with psycopg.connect(dsn) as c:
        assert c.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        c.execute("select 1")
        assert c.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        with pytest.raises(E.DivisionByZero):
            c.execute("select 1/0")
        assert c.info.transaction_status == psycopg.pq.TransactionStatus.INERROR
        with pytest.raises(E.InFailedSqlTransaction):
            c.execute("select 1")
        c.rollback()
        assert c.execute("select 2").fetchone() == (2,)


def test_error_classes_and_fields(conn, table):
    t = table("create table {name} (id int primary key, n int not null check (n > 0))")
    conn.execute(f"insert into {t} values (1, 1)")
    with pytest.raises(E.UniqueViolation) as ei:
        conn.execute(f"insert into {t} values (1, 1)")
    assert ei.value.diag.constraint_name == f"{t}_pkey"
    assert ei.value.diag.table_name == t
    assert ei.value.diag.message_detail == "Key (id)=(1) already exists."
    with pytest.raises(E.CheckViolation):
        conn.execute(f"insert into {t} values (2, -1)")
    with pytest.raises(E.NotNullViolation) as ei:
        conn.execute(f"insert into {t} values (3, null)")
    assert ei.value.diag.column_name == "n"
    with pytest.raises(E.DivisionByZero):
        conn.execute("select 1/0")
    with pytest.raises(E.SyntaxError) as ei:
        conn.execute("selec 1")
    assert ei.value.diag.statement_position == "1"
    with pytest.raises(E.UndefinedTable) as ei:
        conn.execute("select * from no_such_table_x")
    assert ei.value.diag.message_primary == 'relation "no_such_table_x" does not exist'
    # the connection is still usable
    assert conn.execute("select 1").fetchone() == (1,)


def test_notices_and_parameter_status(conn):
    got = []
    conn.add_notice_handler(lambda d: got.append((d.severity, d.sqlstate, d.message_primary)))
    conn.execute("drop table if exists no_such_table_y")
    assert got == [("NOTICE", "00000", 'table "no_such_table_y" does not exist, skipping')]
    conn.execute("set datestyle = 'German'")
    assert conn.info.parameter_status("DateStyle") == "German, DMY"
    conn.execute("reset datestyle")
    assert conn.info.parameter_status("DateStyle") == "ISO, MDY"


def test_copy_in_and_out(conn, table):
    t = table("create table {name} (id int, v text)")
    with conn.cursor().copy(f"copy {t} from stdin") as cp:
        for i in range(100):
            cp.write_row((i, f"v{i}"))
    assert conn.execute(f"select count(*), max(v) from {t}").fetchone() == (100, "v99")
    with conn.cursor().copy(f"copy (select id, v from {t} where id < 3 order by id) "
                           "to stdout") as cp:
        data = b"".join(bytes(x) for x in cp)
    assert data == b"0\tv0\n1\tv1\n2\tv2\n"
    with pytest.raises(E.InvalidTextRepresentation), \
            conn.cursor().copy(f"copy {t} from stdin") as cp:
        cp.write(b"notanint\tx\n")
    assert conn.execute(f"select count(*) from {t}").fetchone() == (100,)


# PostgreSQL 18's COPY ... TO STDOUT (FORMAT binary) of the rows (1, 'x', 1.5, '{1,2}')
# and four NULLs: header, one int16 count and int32-length fields per row, trailer
PG_COPY_BINARY = (
    b"PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x04"
    b"\x00\x00\x00\x01\x00\x00\x00\x01x\x00\x00\x00\x0c\x00\x02\x00\x00\x00\x00\x00"
    b"\x01\x00\x01\x13\x88\x00\x00\x00$\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00"
    b"\x17\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x04\x00\x00\x00\x01\x00\x00"
    b"\x00\x04\x00\x00\x00\x02\x00\x04\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    b"\xff\xff\xff\xff\xff\xff\xff")


def test_copy_binary(conn, table):
    t = table("create table {name} (a int, b text, c numeric, d int[])")
    conn.execute(f"insert into {t} values (1, 'x', 1.5, '{{1,2}}'), (null, null, null, null)")
    with conn.cursor().copy(f"copy {t} to stdout (format binary)") as cp:
        data = b"".join(bytes(x) for x in cp)
    assert data == PG_COPY_BINARY
    with conn.cursor().copy(f"copy {t} from stdin (format binary)") as cp:
        cp.write(PG_COPY_BINARY)
    with conn.cursor().copy(f"copy {t} (a, b) from stdin (format binary)") as cp:
        cp.set_types(["int4", "text"])
        for i in range(2000):
            cp.write_row((i, f"r{i}"))
    assert conn.execute(f"select count(*), sum(a), count(d) from {t}").fetchone() == \
        (2004, 1999002, 2)
    with conn.cursor().copy(f"copy (select a, b from {t} where a > 1997 order by a) "
                            "to stdout (format binary)") as cp:
        cp.set_types(["int4", "text"])
        assert list(cp.rows()) == [(1998, "r1998"), (1999, "r1999")]
    with pytest.raises(E.BadCopyFileFormat, match="row field count is 4, expected 1"), \
            conn.cursor().copy(f"copy {t} (a) from stdin (format binary)") as cp:
        cp.write(PG_COPY_BINARY)
    with pytest.raises(E.BadCopyFileFormat, match="COPY file signature not recognized"), \
            conn.cursor().copy(f"copy {t} from stdin (format binary)") as cp:
        cp.write(b"1\tx\n")


def test_copy_from_target_errors_after_copy_begins(conn, table):
    # PostgreSQL checks the target in CopyFrom, once CopyInResponse went out: the
    # client's data is taken, the error comes when the copy ends
    t = table("create table {name} (a int)")
    conn.execute(f"create view {t}_v as select 1 as a")
    for sql, err in ((f"copy {t}_v from stdin", E.WrongObjectType),
                     (f"copy {t} from stdin (freeze)", E.ObjectNotInPrerequisiteState),
                     (f"copy {t}_v from stdin (format binary)", E.BadCopyFileFormat)):
        entered = False
        with pytest.raises(err), conn.cursor().copy(sql) as cp:
            entered = True
            cp.write(b"1\n")
        assert entered
        conn.rollback()
    assert conn.execute("select 1").fetchone() == (1,)
    conn.execute(f"drop view {t}_v")


def test_cancel(conn, slow_sql):
    threading.Timer(0.3, conn.cancel_safe).start()
    t0 = time.monotonic()
    with pytest.raises(E.QueryCanceled) as ei:
        conn.execute(slow_sql)
    assert ei.value.diag.message_primary == "canceling statement due to user request"
    assert time.monotonic() - t0 < 10
    assert conn.execute("select 1").fetchone() == (1,)


def test_many_rows_and_fetch_sizes(conn):
    cur = conn.execute("select g, g::text from generate_series(1, 20000) g")
    rows = cur.fetchall()
    assert len(rows) == 20000 and rows[-1] == (20000, "20000")
    with conn.transaction(), conn.cursor(name="srv") as cur:  # DECLARE/FETCH
        cur.itersize = 100
        assert sum(1 for _ in cur.execute("select g from generate_series(1, 1000) g")) == 1000
