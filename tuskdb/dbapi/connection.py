"""Connection and Cursor: PEP 249 over an in-process engine Session.

Statements run through the session's extended-protocol path (parse, bind,
execute) with parameters passed as text, so they use the same plan cache and
type resolution as a network client.  Values come back as Python objects
(date, datetime, Decimal, UUID, ...).
"""

from __future__ import annotations

import atexit
import datetime as dt
import decimal
import os
import re
import threading
import uuid
from typing import Any, Iterable, Sequence

from tuskdb import types
from tuskdb.dbapi.exceptions import InterfaceError, ProgrammingError, from_pg
from tuskdb.errors import PgError

_databases: dict[str, Any] = {}
_dblock = threading.Lock()
_EPOCH_DATE = dt.date(2000, 1, 1)
_EPOCH = dt.datetime(2000, 1, 1)
_EPOCH_TZ = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%")


def _database(path: str) -> Any:
    from tuskdb.engine import Database

    if path == ":memory:":
        return Database.open(":memory:")
    key = os.path.abspath(path)
    with _dblock:
        db = _databases.get(key)
        if db is None:
            db = Database.open(key)
            _databases[key] = db
        return db


@atexit.register
def _shutdown_all() -> None:
    for db in list(_databases.values()):
        try:
            db.shutdown()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass


def connect(database: str = ":memory:", user: str = "postgres", dbname: str = "postgres",
            autocommit: bool = False) -> Connection:
    db = _database(database)
    try:
        session = db.connect(user, dbname)
    except PgError as err:
        raise from_pg(err) from None
    return Connection(db, session, autocommit)


def _to_python(type_oid: int, v: Any) -> Any:
    if v is None:
        return None
    if type_oid == 1082:
        if v in (types.DATE_NOBEGIN, types.DATE_NOEND):
            return dt.date.min if v == types.DATE_NOBEGIN else dt.date.max
        return _EPOCH_DATE + dt.timedelta(days=v)
    if type_oid == 1114:
        if v in (types.DT_NOBEGIN, types.DT_NOEND):
            return dt.datetime.min if v == types.DT_NOBEGIN else dt.datetime.max
        return _EPOCH + dt.timedelta(microseconds=v)
    if type_oid == 1184:
        if v in (types.DT_NOBEGIN, types.DT_NOEND):
            return dt.datetime.min if v == types.DT_NOBEGIN else dt.datetime.max
        return _EPOCH_TZ + dt.timedelta(microseconds=v)
    if type_oid == 1083:
        return (dt.datetime.min + dt.timedelta(microseconds=v)).time()
    if type_oid == 1186:
        return dt.timedelta(days=v.months * 30 + v.days, microseconds=v.micros)
    return v


def _to_text(v: Any) -> tuple[bytes | None, int]:
    """A Python value as (text bytes, type OID to declare; 0 = let the server infer)."""
    if v is None:
        return None, 0
    if isinstance(v, bool):
        return (b"t" if v else b"f"), 16
    if isinstance(v, int):
        return str(v).encode(), 20 if not -(2**31) <= v < 2**31 else 23
    if isinstance(v, float):
        return repr(v).encode(), 701
    if isinstance(v, decimal.Decimal):
        return str(v).encode(), 1700
    if isinstance(v, str):
        return v.encode(), 0
    if isinstance(v, (bytes, bytearray, memoryview)):
        return ("\\x" + bytes(v).hex()).encode(), 17
    if isinstance(v, dt.datetime):
        return v.isoformat().encode(), 1184 if v.tzinfo is not None else 1114
    if isinstance(v, dt.date):
        return v.isoformat().encode(), 1082
    if isinstance(v, dt.time):
        return v.isoformat().encode(), 1083
    if isinstance(v, dt.timedelta):
        return f"{v.days} days {v.seconds} seconds {v.microseconds} microseconds".encode(), 1186
    if isinstance(v, uuid.UUID):
        return str(v).encode(), 2950
    raise ProgrammingError(f"cannot adapt type {type(v).__name__}")


def _convert_query(sql: str, params: Any) -> tuple[str, list[Any]]:
    """pyformat placeholders (%s, %(name)s) → $n, and the parameter list."""
    if params is None:
        return sql, []
    out: list[Any] = []
    names: dict[str, int] = {}

    def repl(m: re.Match) -> str:
        tok = m.group(0)
        if tok == "%%":
            return "%"
        if tok == "%s":
            if isinstance(params, dict):
                raise ProgrammingError("query uses positional placeholders with a mapping")
            out.append(None)
            return f"${len(out)}"
        name = m.group(1)
        if not isinstance(params, dict):
            raise ProgrammingError("query uses named placeholders but no mapping was given")
        if name not in names:
            out.append(params[name])
            names[name] = len(out)
        return f"${names[name]}"
    converted = _PLACEHOLDER.sub(repl, sql)
    if not isinstance(params, dict):
        seq = list(params)
        if len(seq) != len(out):
            raise ProgrammingError(f"the query has {len(out)} placeholders but {len(seq)} "
                                   f"parameters were passed")
        out = seq
    return converted, out


class Connection:
    def __init__(self, db: Any, session: Any, autocommit: bool = False) -> None:
        self._db = db
        self._session = session
        self.autocommit = autocommit
        self.closed = False

    def cursor(self) -> Cursor:
        self._check()
        return Cursor(self)

    def _check(self) -> None:
        if self.closed:
            raise InterfaceError("connection already closed")

    def execute(self, sql: str, params: Any = None) -> Cursor:
        cur = self.cursor()
        cur.execute(sql, params)
        return cur

    def _run_simple(self, sql: str) -> None:
        try:
            for _ in self._session.simple_query(sql):
                pass
        except PgError as err:
            raise from_pg(err) from None

    def notifies(self) -> list[Any]:
        """NOTIFY messages received for this connection's LISTENs since the last call
        (each has ``pid``, ``channel``, ``payload``), delivered, as by PostgreSQL,
        once the notifying transaction committed and while this connection is not
        inside a transaction block."""
        self._check()
        if self._session.transaction_status != "I":
            return []
        return self._session.take_notifications()

    def commit(self) -> None:
        self._check()
        if self._session.transaction_status != "I":
            self._run_simple("COMMIT")

    def rollback(self) -> None:
        self._check()
        if self._session.transaction_status != "I":
            self._run_simple("ROLLBACK")

    def close(self) -> None:
        if not self.closed:
            self._session.close()
            self.closed = True

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.rollback()


class Cursor:
    arraysize = 1

    def __init__(self, conn: Connection) -> None:
        self.connection = conn
        self.description: list[tuple] | None = None
        self.rowcount = -1
        self.statusmessage: str | None = None
        self._rows: list[tuple] = []
        self._pos = 0
        self.closed = False

    def execute(self, sql: str, params: Any = None) -> Cursor:
        conn = self.connection
        conn._check()
        s = conn._session
        query, values = _convert_query(sql, params)
        texts, oids = [], []
        for v in values:
            t, o = _to_text(v)
            texts.append(t)
            oids.append(o)
        try:
            if not conn.autocommit and s.transaction_status == "I":
                # like psycopg: the first statement opens a transaction
                for _ in s.simple_query("BEGIN"):
                    pass
            try:
                s.parse("", query, oids)
                s.bind("", "", [0], texts, [0])
                fields = s.describe_portal("")
                res = s.execute("", 0)
            except PgError:
                s.error_in_extended()
                raise
            finally:
                s.sync()
        except PgError as err:
            raise from_pg(err) from None
        self._set_result(fields, res)
        return self

    def _set_result(self, fields: Any, res: Any) -> None:
        self.statusmessage = res.tag
        if fields is not None:
            self.description = [(f.name, f.type_oid, None, None, None, None, None)
                                 for f in fields]
            oids = [f.type_oid for f in fields]
            self._rows = [tuple(_to_python(t, v) for t, v in zip(oids, row)) for row in res.rows]
            self.rowcount = len(self._rows)
        else:
            self.description = None
            self._rows = []
            parts = (res.tag or "").split()
            self.rowcount = int(parts[-1]) if parts and parts[-1].isdigit() else -1
        self._pos = 0

    def executemany(self, sql: str, seq_of_params: Iterable[Any]) -> None:
        total = 0
        for p in seq_of_params:
            self.execute(sql, p)
            if self.rowcount > 0:
                total += self.rowcount
        self.rowcount = total

    def fetchone(self) -> tuple | None:
        if self.description is None:
            raise ProgrammingError("the last operation didn't produce a result")
        if self._pos >= len(self._rows):
            return None
        row = self._rows[self._pos]
        self._pos += 1
        return row

    def fetchmany(self, size: int | None = None) -> list[tuple]:
        if self.description is None:
            raise ProgrammingError("the last operation didn't produce a result")
        n = size or self.arraysize
        out = self._rows[self._pos:self._pos + n]
        self._pos += len(out)
        return out

    def fetchall(self) -> list[tuple]:
        if self.description is None:
            raise ProgrammingError("the last operation didn't produce a result")
        out = self._rows[self._pos:]
        self._pos = len(self._rows)
        return out

    def __iter__(self):
        while True:
            row = self.fetchone()
            if row is None:
                return
            yield row

    def close(self) -> None:
        self.closed = True

    def setinputsizes(self, sizes: Sequence[Any]) -> None:
        pass

    def setoutputsize(self, size: int, column: int | None = None) -> None:
        pass

