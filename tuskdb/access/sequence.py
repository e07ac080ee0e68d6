"""Sequences: non-transactional counters, WAL-logged ahead.

A sequence relation has one block holding (last_value, log_cnt, is_called),
as PostgreSQL's sequence tuple.  nextval() logs a value SEQ_LOG_VALS steps
ahead and then hands out values without logging until those run out; after
a crash, redo restores the logged-ahead value, so no value is handed out
twice (some are skipped, as in PostgreSQL).  The block image written at a
checkpoint or eviction stores that logged-ahead state too (PostgreSQL forces
a fresh WAL record after each checkpoint for the same reason).

The WAL record is flushed by the commit of the calling transaction
(`txn.wal_flush_lsn`), or at once when nextval is called without one.
Options (increment, bounds, cycle) live in the catalog (pg_sequence) and are
passed in as `SeqOptions`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tuskdb.errors import DATA_CORRUPTED, NUMERIC_VALUE_OUT_OF_RANGE, PgError
from tuskdb.storage import wal as walmod
from tuskdb.storage.manager import StorageManager, register_rmgr
from tuskdb.storage.relation import Page, Relation, register_page_kind
from tuskdb.storage.wal import WalRecord

if TYPE_CHECKING:
    from tuskdb.txn.xact import Transaction

SEQ_LOG_VALS = 32
SEQUENCE_GENERATOR_LIMIT_EXCEEDED = "2200H"
XLOG_SEQ_LOG = 1
_SEQ = struct.Struct("<qqB")              # last_value, log_cnt, is_called
_SEQREC = struct.Struct("<IIqqB")         # dboid, relnumber, last_value, log_cnt, is_called

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1


@dataclass
class SeqOptions:
    start: int = 1
    increment: int = 1
    minvalue: int = 1
    maxvalue: int = INT64_MAX
    cycle: bool = False
    cache: int = 1


class SeqPage(Page):
    __slots__ = ("is_called", "last_value", "log_cnt", "logged_value")
    KIND_ID = 3

    def __init__(self, blkno: int) -> None:
        super().__init__(blkno)
        self.last_value = 1
        self.log_cnt = 0
        self.is_called = False
        self.logged_value = 1

    def serialize(self) -> bytes:
        if self.log_cnt > 0:
            # the state a crash would leave: values up to logged_value are used
            return _SEQ.pack(self.logged_value, 0, 1)
        return _SEQ.pack(self.last_value, 0, 1 if self.is_called else 0)

    @classmethod
    def deserialize(cls, blkno: int, payload: memoryview) -> SeqPage:
        page = cls(blkno)
        lv, lc, ic = _SEQ.unpack_from(payload, 0)
        page.last_value = page.logged_value = lv
        page.log_cnt = lc
        page.is_called = bool(ic)
        return page


register_page_kind("sequence", SeqPage)


class Sequence:
    """The storage of one sequence (see module docstring)."""

    def __init__(self, storage: StorageManager, locator: tuple[int, int]) -> None:
        self.storage = storage
        self.locator = (locator[0], locator[1])
        self.rel: Relation = storage.relation(self.locator, "sequence")

    @classmethod
    def create(cls, storage: StorageManager, locator: tuple[int, int], start: int = 1,
               txn: Transaction | None = None) -> Sequence:
        storage.create_relation(locator, "sequence")  # type: ignore[arg-type]
        seq = cls(storage, locator)
        page: SeqPage = storage.extend(seq.rel)  # type: ignore[assignment]
        page.last_value = page.logged_value = start
        page.is_called = False
        seq._log(page, txn)
        return seq

    def _page(self) -> SeqPage:
        sm = self.storage
        if sm.nloaded > sm.shared_buffers:
            sm._evict()
        rel = self.rel
        if rel.dropped:
            self.rel = rel = self.storage.relation(self.locator, "sequence")
        if not rel.blocks:
            raise PgError(DATA_CORRUPTED, f"sequence relation {self.locator[1]} has no block")
        page = rel.blocks[0]
        if page is None:
            page = self.storage.read_block(rel, 0)
        page.usage = 1
        return page  # type: ignore[return-value]

    def _log(self, page: SeqPage, txn: Transaction | None, value: int | None = None,
             is_called: bool | None = None) -> None:
        wal = self.storage.wal
        page.dirty = True
        if not wal.enabled:
            return
        v = page.last_value if value is None else value
        ic = page.is_called if is_called is None else is_called
        page.logged_value = v
        lsn = wal.insert(walmod.RM_SEQ, XLOG_SEQ_LOG, 0,
                         _SEQREC.pack(self.locator[0], self.locator[1], v, 0, 1 if ic else 0))
        page.lsn = lsn
        if txn is not None:
            txn.wal_flush_lsn = max(txn.wal_flush_lsn, lsn)
        else:
            wal.flush(lsn)

    def read(self) -> tuple[int, int, bool]:
        """(last_value, log_cnt, is_called) as SELECT * FROM seq shows them."""
        page = self._page()
        return page.last_value, page.log_cnt, page.is_called

    def nextval(self, txn: Transaction | None, opts: SeqOptions, name: str = "") -> int:
        page = self._page()
        incr = opts.increment
        if not page.is_called:
            nxt = page.last_value
        else:
            nxt = self._step(page.last_value, opts, name)
        if page.log_cnt <= 0:
            # log ahead: a value SEQ_LOG_VALS increments further, within bounds
            ahead = nxt + incr * SEQ_LOG_VALS
            if ahead > opts.maxvalue or ahead < opts.minvalue:
                ahead = nxt
                cnt = 1
            else:
                cnt = SEQ_LOG_VALS + 1
            self._log(page, txn, ahead, True)
            page.log_cnt = cnt
        page.last_value = nxt
        page.is_called = True
        page.log_cnt -= 1
        page.dirty = True
        return nxt

    def _step(self, last: int, opts: SeqOptions, name: str) -> int:
        nxt = last + opts.increment
        if opts.increment > 0 and nxt > opts.maxvalue:
            if not opts.cycle:
                raise PgError(SEQUENCE_GENERATOR_LIMIT_EXCEEDED,
                              f'nextval: reached maximum value of sequence "{name}" '
                              f"({opts.maxvalue})")
            nxt = opts.minvalue
        elif opts.increment < 0 and nxt < opts.minvalue:
            if not opts.cycle:
                raise PgError(SEQUENCE_GENERATOR_LIMIT_EXCEEDED,
                              f'nextval: reached minimum value of sequence "{name}" '
                              f"({opts.minvalue})")
            nxt = opts.maxvalue
        return nxt

    def setval(self, txn: Transaction | None, value: int, is_called: bool = True,
               opts: SeqOptions | None = None, name: str = "") -> int:
        if opts is not None and not opts.minvalue <= value <= opts.maxvalue:
            raise PgError(NUMERIC_VALUE_OUT_OF_RANGE,
                          f'setval: value {value} is out of bounds for sequence "{name}" '
                          f"({opts.minvalue}..{opts.maxvalue})")
        page = self._page()
        page.last_value = value
        page.is_called = is_called
        page.log_cnt = 0
        self._log(page, txn, value, is_called)
        return value


def _redo_seq(sm: StorageManager, rec: WalRecord) -> None:
    dboid, relnumber, lv, _lc, ic = _SEQREC.unpack_from(rec.payload, 0)
    rel = sm.redo_relation((dboid, relnumber), "sequence")
    page: SeqPage = sm.ensure_block(rel, 0)  # type: ignore[assignment]
    if page.lsn >= rec.end_lsn:
        return
    page.last_value = page.logged_value = lv
    page.log_cnt = 0
    page.is_called = bool(ic)
    page.lsn = rec.end_lsn
    page.dirty = True


register_rmgr(walmod.RM_SEQ, _redo_seq)
