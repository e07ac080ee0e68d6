"""A fake engine Database/Session implementing the docs/contracts.md engine
contract with canned behaviour, so the wire protocol can be tested alone.

Understood "SQL" (case-insensitive, one statement per ';'):

    select <item>, ...        item: integer | 'text' | null | true | false |
                              $n[::int4|int8|int2|text|bool|float8] [as name]
    select * from generate_series(1, N)
    select pg_sleep(S)        sleeps, cancellable (57014)
    select 1/0                22012 division by zero
    begin | commit | rollback | end
    set NAME = VALUE          reported with take_parameter_changes()
    notice TEXT               a NOTICE, command tag DO
    copy t from stdin         stores lines in Database.copied
    copy t to stdout          emits Database.copied (or 2 canned lines)
    insert                    tag INSERT 0 1
    crash                     raises RuntimeError (→ XX000)
    raise SQLSTATE TEXT       PgError(SQLSTATE, TEXT)
    anything else             42601 syntax error at or near "<first word>"
"""

from __future__ import annotations

import re
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from tuskdb.errors import PgError, notice
from tuskdb.server.scram import make_scram_verifier

TYPES = {  # oid: (name, typlen)
    16: ("bool", 1), 20: ("int8", 8), 21: ("int2", 2), 23: ("int4", 4),
    25: ("text", -1), 701: ("float8", 8), 705: ("unknown", -2),
}
NAME_OID = {"bool": 16, "int8": 20, "int2": 21, "int4": 23, "integer": 23, "text": 25,
            "float8": 701}


class Field(NamedTuple):
    name: str
    table_oid: int
    column_attnum: int
    type_oid: int
    typlen: int
    typmod: int
    format: int


@dataclass
class QueryResult:
    fields: list[Field] | None = None
    rows: list[tuple] = field(default_factory=list)
    tag: str = ""
    copy_in: Any = None
    copy_out: Any = None
    empty: bool = False
    suspended: bool = False


class RoleAuth(NamedTuple):
    exists: bool
    can_login: bool
    scram_verifier: str | None


class CopyIn:
    columns = 2

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.data = b""
        self.failed = None

    def feed(self, data: bytes) -> None:
        if b"BAD" in data:
            raise PgError("22P02", 'invalid input syntax for type integer: "BAD"')
        self.data += data

    def finish(self) -> str:
        lines = [x for x in self.data.split(b"\n") if x]
        self.db.copied = lines
        return f"COPY {len(lines)}"

    def fail(self, message: str) -> None:
        self.failed = message
        raise PgError("57014", f"COPY from stdin failed: {message}")


class CopyOut:
    columns = 2

    def __init__(self, lines: list[bytes]) -> None:
        self.lines = [x + b"\n" for x in lines]
        self.tag = f"COPY {len(lines)}"

    def __iter__(self):
        return iter(self.lines)


def text_encoder(oid: int):
    if oid == 16:
        return lambda v: b"t" if v else b"f"
    if oid == 701:
        return lambda v: repr(v).encode()
    return lambda v: str(v).encode("utf-8")


def binary_encoder(oid: int):
    if oid == 23:
        return struct.Struct("!i").pack
    if oid == 20:
        return struct.Struct("!q").pack
    if oid == 21:
        return struct.Struct("!h").pack
    if oid == 16:
        return lambda v: b"\x01" if v else b"\x00"
    if oid == 701:
        return struct.Struct("!d").pack
    return lambda v: str(v).encode("utf-8")


def decode_param(oid: int, fmt: int, raw: bytes | None) -> Any:
    if raw is None:
        return None
    if fmt == 1:
        if oid == 23:
            return struct.unpack("!i", raw)[0]
        if oid == 20:
            return struct.unpack("!q", raw)[0]
        if oid == 21:
            return struct.unpack("!h", raw)[0]
        if oid == 16:
            return raw != b"\x00"
        if oid == 701:
            return struct.unpack("!d", raw)[0]
        return raw.decode()
    text = raw.decode()
    if oid in (20, 21, 23):
        try:
            return int(text)
        except ValueError:
            raise PgError("22P02", f'invalid input syntax for type integer: "{text}"') from None
    if oid == 16:
        return text in ("t", "true", "1", "on")
    if oid == 701:
        return float(text)
    return text


ITEM = re.compile(
    r"\s*(?:(?P<int>-?\d+)|'(?P<str>[^']*)'|(?P<null>null)|(?P<bool>true|false)"
    r"|\$(?P<param>\d+)(?:::(?P<cast>\w+))?)(?:\s+as\s+(?P<alias>\w+))?\s*$", re.IGNORECASE)


class Statement:
    def __init__(self, sql: str, param_oids: list[int]) -> None:
        self.sql = sql.strip().rstrip(";").strip()
        self.param_oids = list(param_oids)
        self.items: list[re.Match] | None = None
        m = re.match(r"select\s+(.*)$", self.sql, re.IGNORECASE | re.DOTALL)
        if m and not re.match(r"(\*|pg_sleep|1/0)", m.group(1).strip(), re.IGNORECASE):
            self.items = [ITEM.match(x) for x in m.group(1).split(",")]
            if any(i is None for i in self.items):
                raise PgError("42601", "syntax error at end of input")
            for i in self.items:
                if i.group("param"):
                    n = int(i.group("param"))
                    while len(self.param_oids) < n:
                        self.param_oids.append(0)
                    if self.param_oids[n - 1] == 0:
                        self.param_oids[n - 1] = NAME_OID.get((i.group("cast") or "text").lower(),
                                                              25)
        self.param_oids = [o or 25 for o in self.param_oids]

    def fields(self, formats: list[int] | None = None) -> list[Field] | None:
        if self.items is None:
            if re.match(r"select \* from generate_series", self.sql, re.IGNORECASE):
                return [Field("generate_series", 0, 0, 23, 4, -1, _fmt(formats, 0))]
            if re.match(r"select (pg_sleep|1/0)", self.sql, re.IGNORECASE):
                name = "pg_sleep" if "sleep" in self.sql else "?column?"
                return [Field(name, 0, 0, 23, 4, -1, _fmt(formats, 0))]
            return None
        out = []
        for k, i in enumerate(self.items):
            if i.group("int"):
                oid = 23
            elif i.group("bool"):
                oid = 16
            elif i.group("param"):
                oid = self.param_oids[int(i.group("param")) - 1]
            else:
                oid = 25
            name = i.group("alias") or ("bool" if i.group("bool") else "?column?")
            out.append(Field(name, 0, 0, oid, TYPES[oid][1], -1, _fmt(formats, k)))
        return out


def _fmt(formats: list[int] | None, k: int) -> int:
    if not formats:
        return 0
    if len(formats) == 1:
        return formats[0]
    return formats[k]


class Portal:
    def __init__(self, stmt: Statement, params: list[Any], formats: list[int]) -> None:
        self.stmt = stmt
        self.params = params
        self.formats = formats
        self.fields = stmt.fields(formats)
        self.pending: list[tuple] | None = None
        self.done = False


class FakeSession:
    _next_pid = 1000

    def __init__(self, db: FakeDatabase, user: str, dbname: str,
                 application_name: str, options: dict[str, str]) -> None:
        FakeSession._next_pid += 1
        self.db = db
        self.pid = FakeSession._next_pid
        self.secret_key = 0x12345678 ^ self.pid
        self.user = user
        self.dbname = dbname
        self.options = options
        self.transaction_status = "I"
        self.params = {"server_version": "18.6", "server_encoding": "UTF8",
                       "client_encoding": "UTF8", "DateStyle": "ISO, MDY",
                       "application_name": application_name, "integer_datetimes": "on",
                       "standard_conforming_strings": "on", "TimeZone": "Etc/UTC",
                       "IntervalStyle": "postgres", "is_superuser": "on",
                       "session_authorization": user}
        for k in options:
            if k not in self.params and k not in ("client_encoding", "search_path"):
                raise PgError("42704", f'unrecognized configuration parameter "{k}"',
                              severity="FATAL")
        self.changes: dict[str, str] = {}
        self.settings: dict[str, int] = {}
        self.notices: list[PgError] = []
        self.statements: dict[str, Statement] = {}
        self.portals: dict[str, Portal] = {}
        self.cancel_flag = threading.Event()
        self.closed = False
        self.latch = db.latch

    # --- reporting -----------------------------------------------------------
    def startup_parameters(self) -> dict:
        return dict(self.params)

    def take_parameter_changes(self) -> dict:
        c, self.changes = self.changes, {}
        return c

    def take_notices(self) -> list:
        n, self.notices = self.notices, []
        return n

    def encoders(self, fields):
        return [binary_encoder(f.type_oid) if f.format == 1 else text_encoder(f.type_oid)
                for f in fields]

    # --- simple query ----------------------------------------------------------
    def simple_query(self, sql: str):
        stmts = [s for s in sql.split(";") if s.strip()]
        if not stmts:
            yield QueryResult(empty=True)
            return
        try:
            for s in stmts:
                yield self._run(s.strip(), [], None)
        except PgError:
            if self._explicit:
                self.transaction_status = "E"
            raise

    _explicit = False

    def _run(self, sql: str, params: list[Any], portal: Portal | None) -> QueryResult:
        with self.latch:
            self.db.statements_run += 1
            low = sql.lower()
            if self.transaction_status == "E" and low not in ("rollback", "commit", "end"):
                raise PgError("25P02", "current transaction is aborted, commands ignored "
                              "until end of transaction block")
            if low == "begin":
                if self.transaction_status != "I":
                    self.notices.append(notice("there is already a transaction in progress",
                                               sqlstate="25001", severity="WARNING"))
                self.transaction_status = "T"
                self._explicit = True
                return QueryResult(tag="BEGIN")
            if low in ("commit", "end", "rollback"):
                failed = self.transaction_status == "E"
                self.transaction_status = "I"
                self._explicit = False
                return QueryResult(tag="ROLLBACK" if failed or low == "rollback" else "COMMIT")
            if low.startswith("deallocate"):
                if low == "deallocate all":
                    self.statements.clear()
                    return QueryResult(tag="DEALLOCATE ALL")
                self.statements.pop(sql.split()[-1], None)
                return QueryResult(tag="DEALLOCATE")
            if low == "crash":
                raise RuntimeError("boom")
            if low.startswith("raise "):
                _, code, text = sql.split(" ", 2)
                raise PgError(code, text)
            if low.startswith("notice "):
                self.notices.append(notice(sql[7:]))
                return QueryResult(tag="DO")
            m = re.match(r"set (\w+)\s*(?:=|to)\s*'?([^']*)'?$", sql, re.IGNORECASE)
            if m:
                name = {"datestyle": "DateStyle"}.get(m.group(1).lower(), m.group(1))
                if name.lower().endswith("_timeout"):
                    self.settings[name.lower()] = int(m.group(2))
                    return QueryResult(tag="SET")
                self.params[name] = m.group(2)
                self.changes[name] = m.group(2)
                return QueryResult(tag="SET")
            if low.startswith("insert"):
                return QueryResult(tag="INSERT 0 1")
            if low == "copy t from stdin":
                return QueryResult(tag="COPY", copy_in=CopyIn(self.db))
            if low == "copy t to stdout":
                return QueryResult(tag="COPY", copy_out=CopyOut(self.db.copied or
                                                                [b"1\ta", b"2\tb"]))
            m = re.match(r"select pg_sleep\(([\d.]+)\)$", low)
            if m:
                deadline = time.monotonic() + float(m.group(1))
                self.cancel_flag.clear()
                while time.monotonic() < deadline:
                    with self.latch.released():
                        if self.cancel_flag.wait(0.01):
                            raise PgError("57014", "canceling statement due to user request")
                stmt = portal.stmt if portal else Statement(sql, [])
                return QueryResult(fields=portal.fields if portal else stmt.fields(),
                                   rows=[("",)], tag="SELECT 1")
            if low == "select 1/0":
                raise PgError("22012", "division by zero")
            stmt = portal.stmt if portal else Statement(sql, [])
            fields = portal.fields if portal else stmt.fields()
            m = re.match(r"select \* from generate_series\(1,\s*(\d+)\)$", low)
            if m:
                rows = [(i,) for i in range(1, int(m.group(1)) + 1)]
                return QueryResult(fields=fields, rows=rows, tag=f"SELECT {len(rows)}")
            if stmt.items is not None:
                row = []
                for i in stmt.items:
                    if i.group("int"):
                        row.append(int(i.group("int")))
                    elif i.group("str") is not None:
                        row.append(i.group("str"))
                    elif i.group("bool"):
                        row.append(i.group("bool").lower() == "true")
                    elif i.group("param"):
                        row.append(params[int(i.group("param")) - 1])
                    else:
                        row.append(None)
                return QueryResult(fields=fields, rows=[tuple(row)], tag="SELECT 1")
            word = sql.split()[0] if sql.split() else sql
            raise PgError("42601", f'syntax error at or near "{word}"', position=1)

    # --- extended protocol -------------------------------------------------------
    def parse(self, name: str, sql: str, param_oids: list[int]) -> None:
        if name and name in self.statements:
            raise PgError("42P05", f'prepared statement "{name}" already exists')
        self.statements[name] = Statement(sql, param_oids)

    def describe_statement(self, name: str):
        stmt = self._stmt(name)
        return stmt.param_oids, stmt.fields()

    def _stmt(self, name: str) -> Statement:
        try:
            return self.statements[name]
        except KeyError:
            what = f'prepared statement "{name}"' if name else "unnamed prepared statement"
            raise PgError("26000", f"{what} does not exist") from None

    def bind(self, portal: str, stmt_name: str, param_formats, params, result_formats):
        stmt = self._stmt(stmt_name)
        if len(params) != len(stmt.param_oids):
            raise PgError("08P01", f"bind message supplies {len(params)} parameters, but "
                          f'prepared statement "{stmt_name}" requires {len(stmt.param_oids)}')
        values = [decode_param(oid, _fmt(param_formats, k), raw)
                  for k, (oid, raw) in enumerate(zip(stmt.param_oids, params))]
        self.portals[portal] = Portal(stmt, values, result_formats)

    def _portal(self, name: str) -> Portal:
        try:
            return self.portals[name]
        except KeyError:
            raise PgError("34000", f'portal "{name}" does not exist') from None

    def describe_portal(self, name: str):
        return self._portal(name).fields

    def execute(self, portal_name: str, max_rows: int) -> QueryResult:
        portal = self._portal(portal_name)
        if not portal.stmt.sql:
            return QueryResult(empty=True)
        if portal.pending is None:
            res = self._run(portal.stmt.sql, portal.params, portal)
            if res.fields is None:
                return res
            portal.pending = list(res.rows)
            portal.total = 0
            portal.tag_word = res.tag.split()[0]
        rows = portal.pending
        if max_rows and len(rows) > max_rows:
            out, portal.pending = rows[:max_rows], rows[max_rows:]
            portal.total += len(out)
            return QueryResult(fields=portal.fields, rows=out, tag="", suspended=True)
        portal.pending = []
        portal.total += len(rows)
        return QueryResult(fields=portal.fields, rows=rows, tag=f"SELECT {portal.total}")

    def close_statement(self, name: str) -> None:
        self.statements.pop(name, None)

    def close_portal(self, name: str) -> None:
        self.portals.pop(name, None)

    def sync(self) -> None:
        if not self._explicit:
            self.portals.clear()

    def error_in_extended(self) -> None:
        if self._explicit:
            self.transaction_status = "E"

    def close(self) -> None:
        self.closed = True
        self.db.sessions.pop(self.pid, None)


class _Latch:
    """RLock with released(), like storage.latch."""

    def __init__(self) -> None:
        self.lock = threading.RLock()

    def __enter__(self):
        self.lock.acquire()
        return self

    def __exit__(self, *exc):
        self.lock.release()

    def released(self):
        latch = self

        class _R:
            def __enter__(self_inner):
                latch.lock.release()

            def __exit__(self_inner, *exc):
                latch.lock.acquire()
        return _R()


class FakeDatabase:
    def __init__(self, password: str | None = None) -> None:
        self.latch = _Latch()
        verifier = make_scram_verifier(password) if password else None
        self.roles = {"postgres": RoleAuth(True, True, verifier),
                      "nologin": RoleAuth(True, False, verifier),
                      "nopass": RoleAuth(True, True, None)}
        self.databases = {"postgres", "db2"}
        self.sessions: dict[int, FakeSession] = {}
        self.copied: list[bytes] = []
        self.statements_run = 0
        self.cancels: list[tuple[int, int]] = []

    def role_auth(self, user: str) -> RoleAuth:
        return self.roles.get(user, RoleAuth(False, False, None))

    def connect(self, user: str, dbname: str, application_name: str = "",
                options: dict[str, str] | None = None) -> FakeSession:
        if dbname not in self.databases:
            raise PgError("3D000", f'database "{dbname}" does not exist', severity="FATAL")
        s = FakeSession(self, user, dbname, application_name, options or {})
        self.sessions[s.pid] = s
        return s

    def cancel(self, pid: int, secret_key: int) -> bool:
        self.cancels.append((pid, secret_key))
        s = self.sessions.get(pid)
        if s is None or s.secret_key != secret_key:
            return False
        s.cancel_flag.set()
        return True

    def shutdown(self) -> None:
        pass
