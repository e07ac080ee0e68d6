"""Database: one TuskDB instance (a data directory) and its shared state.

    Database.open(datadir)
      StorageManager.open()        recovery from the last checkpoint
      TransactionManager, CatalogManager
      bootstrap on first start     (initdb: catalogs, roles, databases)
    Database.connect(user, dbname) -> Session
    Database.shutdown()            shutdown checkpoint

Shared by every session: the engine latch, the plan cache, the relcache
generation, open heaps/indexes/sequences, and the session registry (for
cancel requests and pg_stat_activity).
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from typing import Any

from tuskdb.catalog.manager import CatalogManager, CatalogView
from tuskdb.catalog.pg_catalog_defs import CATALOGS
from tuskdb.catalog.rows import COLUMN_POS
from tuskdb.engine.plancache import PlanCache
from tuskdb.engine.results import RoleAuth
from tuskdb.engine.session import Session
from tuskdb.errors import (CANNOT_CONNECT_NOW, INVALID_AUTHORIZATION_SPECIFICATION,
                           INVALID_CATALOG_NAME, PgError)
from tuskdb.storage import RelFileLocator, StorageManager
from tuskdb.txn import TransactionManager

PG_DATABASE = CATALOGS["pg_database"][0]

# on-disk codec tags of the types layer's value classes (fixed forever once data exists)
_CODEC_TAGS = {"timetz": 3, "jsonb": 4, "inet": 5, "range": 6, "array": 7, "multirange": 8,
               "typed_array": 9,
               "record": 20,
               "enum": 21, "point": 40, "lseg": 41, "line": 42, "box": 43, "path": 44,
               "polygon": 45, "circle": 46, "tsvector": 50, "tsquery": 51}


def _register_value_codecs() -> None:
    from tuskdb import types
    from tuskdb.storage.codec import decode_value, encode_value, register_codec
    for cls, name, to_plain, from_plain in types.VALUE_CLASSES:
        tag = _CODEC_TAGS.get(name)
        if tag is None:
            continue
        register_codec(cls, tag, lambda v, _f=to_plain: encode_value(_f(v)),
                       lambda b, _g=from_plain: _g(decode_value(b)))


_register_value_codecs()


class Database:
    def __init__(self, storage: StorageManager) -> None:
        self.storage = storage
        self.latch = storage.latch
        self.txns = TransactionManager(storage)
        self.catalogs = CatalogManager(storage)
        from tuskdb.engine.notify import NotifyHub
        self.notify_hub = NotifyHub()
        self.plans = PlanCache()
        self.sessions: dict[int, Session] = {}
        self.sequences: dict[tuple[int, int], Any] = {}
        self.function_cache: dict[tuple[int, int], Any] = {}
        self.table_stats: dict[int, Counter] = defaultdict(Counter)
        self._closed = False
        self._lock = threading.Lock()
        with self.latch:
            if not storage.relation_exists(RelFileLocator(0, PG_DATABASE)):
                txn = self.txns.begin()
                self.catalogs.bootstrap_cluster(txn)
                txn.commit()
                for dboid, name in ((1, "template1"), (4, "template0"), (5, "postgres")):
                    self.finish_database_bootstrap(dboid, name)
                storage.checkpoint()

    @classmethod
    def open(cls, datadir: str | None, *, fsync: bool = True, **storage_options: Any
             ) -> Database:
        path = None if datadir in (None, ":memory:") else datadir
        storage = StorageManager.open(path, create=True, fsync=fsync, **storage_options)
        return cls(storage)

    # -- catalogs ---------------------------------------------------------------------

    def catalog_view(self, dboid: int, txn: Any) -> CatalogView:
        return CatalogView(self.catalogs, dboid, txn)

    def database_oid(self, name: str, txn: Any) -> int | None:
        p = COLUMN_POS["pg_database"]
        for row in self.catalog_view(0, txn).rows("pg_database"):
            if row[p["datname"]] == name:
                return row[p["oid"]]
        return None

    def _database_row(self, name: str, txn: Any) -> tuple | None:
        p = COLUMN_POS["pg_database"]
        for row in self.catalog_view(0, txn).rows("pg_database"):
            if row[p["datname"]] == name:
                return row
        return None

    def drop_database_files(self, dboid: int) -> None:
        txn = self.txns.begin()
        try:
            cat = self.catalog_view(dboid, txn)
            p = COLUMN_POS["pg_class"]
            nodes = {row[p["relfilenode"]] for row in cat.rows("pg_class")
                     if not row[p["relisshared"]] and row[p["relkind"]] in "riS"}
        finally:
            txn.abort()
        for node in nodes:
            loc = RelFileLocator(dboid, node)
            self.catalogs.forget_heap(dboid, node)
            if self.storage.relation_exists(loc):
                self.storage.drop_relation(loc)

    def finish_database_bootstrap(self, dboid: int, name: str) -> None:
        """The SQL-defined part of a new database: the system views."""
        from tuskdb.engine.system_views import create_system_views
        s = Session(self, "postgres", name, dboid)
        try:
            create_system_views(s)
        finally:
            s.close()

    # -- sessions -----------------------------------------------------------------------

    def role_auth(self, user: str) -> RoleAuth:
        with self.latch:
            txn = self.txns.begin()
            try:
                p = COLUMN_POS["pg_authid"]
                for row in self.catalog_view(0, txn).rows("pg_authid"):
                    if row[p["rolname"]] == user:
                        return RoleAuth(True, bool(row[p["rolcanlogin"]]), row[p["rolpassword"]])
                return RoleAuth(False, False, None)
            finally:
                txn.abort()

    def connect(self, user: str, dbname: str, application_name: str = "",
                options: dict[str, str] | None = None) -> Session:
        if self._closed:
            raise PgError(CANNOT_CONNECT_NOW, "the database system is shutting down",
                          severity="FATAL")
        with self.latch:
            txn = self.txns.begin()
            try:
                row = self._database_row(dbname, txn)
                auth = None
                p = COLUMN_POS["pg_authid"]
                for r in self.catalog_view(0, txn).rows("pg_authid"):
                    if r[p["rolname"]] == user:
                        auth = r
            finally:
                txn.abort()
            if auth is None:
                raise PgError(INVALID_AUTHORIZATION_SPECIFICATION, f'role "{user}" does not exist',
                              severity="FATAL")
            if row is None:
                raise PgError(INVALID_CATALOG_NAME, f'database "{dbname}" does not exist',
                              severity="FATAL")
            d = COLUMN_POS["pg_database"]
            if not row[d["datallowconn"]]:
                raise PgError("55000", f'database "{dbname}" is not currently accepting '
                              f"connections", severity="FATAL")
            settings = self._db_role_settings(row[d["oid"]], auth[p["oid"]])
            if options:
                settings.update(options)
            s = Session(self, user, dbname, row[d["oid"]], application_name, settings)
            self.sessions[s.pid] = s
            return s

    def _db_role_settings(self, dboid: int, roleoid: int) -> dict[str, str]:
        """ALTER DATABASE/ROLE ... SET values for a new session (least specific first)."""
        txn = self.txns.begin()
        try:
            p = COLUMN_POS["pg_db_role_setting"]
            rows = {(r[p["setdatabase"]], r[p["setrole"]]): r[p["setconfig"]]
                    for r in self.catalog_view(0, txn).rows("pg_db_role_setting")}
        finally:
            txn.abort()
        out: dict[str, str] = {}
        for key in ((0, roleoid), (dboid, 0), (dboid, roleoid)):
            config = rows.get(key)
            for item in (config.items if config is not None else ()):
                name, _, value = item.partition("=")
                out[name] = value
        return out

    def session_closed(self, s: Session) -> None:
        self.sessions.pop(s.pid, None)

    def cancel(self, pid: int, secret_key: int) -> bool:
        s = self.sessions.get(pid)
        if s is None or s.secret_key != secret_key:
            return False
        s.cancel()
        return True

    def stats_note(self, rel: Any, what: str, n: int) -> None:
        if n:
            self.table_stats[rel.oid][what] += n

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        for s in list(self.sessions.values()):
            s.interrupts.terminate_requested = True
        with self.latch:
            self.storage.close()

    close = shutdown
