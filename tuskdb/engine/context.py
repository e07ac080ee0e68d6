"""ExecContext: the run-time state of one statement execution."""

from __future__ import annotations

import time
from typing import Any

from tuskdb import types
from tuskdb.engine.regtypes import REG_TYPES, reg_array_elem, reg_array_input, reg_input
from tuskdb.errors import PgError
from tuskdb.storage import interrupts

_MISSING = object()
YIELD_INTERVAL = 0.005    # seconds of engine work before letting other backends run


class ExecContext:
    __slots__ = ("session", "txn", "snapshot", "params", "raw_literals", "litcache", "types",
                 "outer", "subplan_cache", "isolation", "_heap", "_btree", "dboid",
                 "last_yield", "explicit_literals", "merge_action")

    def __init__(self, session: Any, txn: Any, snapshot: Any, params: list[Any] | None = None,
                 raw_literals: list[tuple[Any, int, int | None]] | None = None) -> None:
        self.session = session
        self.txn = txn
        self.snapshot = snapshot
        self.params = params or []
        self.raw_literals = raw_literals or []
        self.litcache: dict = {}
        self.types = session.type_context
        self.outer: list = []
        self.subplan_cache: dict = {}
        self.isolation = txn.isolation if txn is not None else "read committed"
        cats = session.db.catalogs
        self._heap = cats.heap
        self._btree = cats.index
        self.dboid = session.dboid
        self.last_yield = time.monotonic()
        self.explicit_literals: frozenset = frozenset()
        self.merge_action: str | None = None      # MERGE ... RETURNING merge_action()

    def heap(self, rel: Any) -> Any:
        if rel.relkind == "f":
            # a foreign table's rows live behind its wrapper: what reads them here is DDL
            # validation, which PostgreSQL skips for foreign tables (queries and DML stop
            # earlier, at the wrapper without a handler)
            return _NO_LOCAL_ROWS
        heap = self._heap(0 if rel.shared else self.dboid, rel.relfilenode)
        heap.save_free_space = rel.extra.get("save_free_space", 0)
        if rel.needs_complete:
            from tuskdb.sql.execute.tupdesc import RelHeap, completer_for
            return RelHeap(heap, completer_for(rel, self.session), self)
        return heap

    def btree(self, ix: Any) -> Any:
        return self._btree(self.dboid, ix.relfilenode)

    def check_interrupts(self) -> None:
        """CHECK_FOR_INTERRUPTS, and a yield point: let other backends run."""
        interrupts.check()
        now = time.monotonic()
        if now - self.last_yield > YIELD_INTERVAL:
            self.last_yield = now
            with self.session.db.latch.released():
                time.sleep(0)
            self.session.check_client(now)

    def literal(self, key: tuple[int, int, int]) -> Any:
        v = self.litcache.get(key, _MISSING)
        if v is _MISSING:
            v = self._convert(key)
            self.litcache[key] = v
        return v

    def _convert(self, key: tuple[int, int, int]) -> Any:
        slot, type_oid, typmod = key
        value, natural, position = self.raw_literals[slot]
        if value is None or natural == type_oid:
            return value
        if natural == 705:
            if type_oid in REG_TYPES:
                return reg_input(self.session, type_oid, value)
            if reg_array_elem(type_oid) is not None:
                return reg_array_input(self.session, type_oid, value)
            t = types.TYPES[type_oid]
            try:
                v = t.input(value, typmod if type_oid == 1186 else -1, self.types)
            except PgError as err:
                if err.position is None:
                    err.position = position
                raise
            if typmod >= 0:
                v = t.coerce_typmod(v, typmod, key in self.explicit_literals)
            return v
        return value


class _NoLocalRows:
    """The "heap" of a foreign table: no rows are stored locally."""

    def scan(self, snapshot: Any = None) -> Any:
        return iter(())


_NO_LOCAL_ROWS = _NoLocalRows()
