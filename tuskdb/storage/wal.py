"""Write-ahead log: record format, the WAL buffer, group commit, reading.

An LSN is a byte position in the endless WAL stream.  The stream is stored
in segment files ``pg_wal/<start LSN as 16 hex digits>``, zero-filled to
SEGMENT_SIZE when created; a record never spans two segments (a new segment
starts at a record boundary once the current one would pass SEGMENT_SIZE).

Record layout (little endian)::

    u32 total length (header + payload)
    u32 CRC-32 (zlib.crc32) of the length field and everything after the CRC
    u8  rmid      resource manager (RM_*)
    u8  info      record kind within the rmgr
    u16 reserved
    u64 xid       0 if none
    ... payload

Replay stops at the first record whose length is impossible or whose CRC
does not match: that is the torn or garbage tail of the last crash.

WAL writer / group commit states (the buffer and LSN counters are guarded
by the WAL's own small lock, not by the engine latch)::

            insert() appends to buf          flush(lsn) by a committer:
     +--------------------------+        releases the latch, then
     |  IDLE: flushing = False  | -----> +-------------------------------+
     |  buf holds [written,     |        | FLUSHING: this backend took   |
     |  insert_lsn)             | <----- | buf [written, insert_lsn),    |
     +--------------------------+        | dropped the WAL lock, write() |
        ^  committers whose lsn          | + fsync(); others append to a |
        |  <= flushed_lsn return         | fresh buf and wait on         |
        |  (and re-take the latch)       | flush_cond                    |
        |                                +-------------------------------+
        +--- notify_all(): flushed_lsn advanced; a waiter whose lsn is
             still beyond it becomes the next flusher at once, without
             needing the latch (taking everything appended meanwhile in
             one write+fsync: group commit)
"""

from __future__ import annotations

import os
import struct
import threading
import time
import zlib
from collections.abc import Iterator

from tuskdb.storage import interrupts
from tuskdb.storage.latch import Latch

SEGMENT_SIZE = 16 * 1024 * 1024
# fdatasync on a preallocated (zero-filled) segment: the file size never
# changes, so a commit's sync writes no inode metadata (PostgreSQL's
# wal_sync_method=fdatasync + zero-filled segments)
_sync = getattr(os, "fdatasync", os.fsync)
WAL_BUFFERS = 16 * 1024 * 1024  # write (without fsync) once this much is buffered

_HDR = struct.Struct("<IIBBHQ")
HEADER_SIZE = _HDR.size  # 20
_LEN = struct.Struct("<I")
_crc32 = zlib.crc32

# resource managers
RM_XLOG = 0
RM_STORAGE = 1
RM_XACT = 2
RM_HEAP = 10
RM_BTREE = 11
RM_SEQ = 12


class WalRecord:
    __slots__ = ("end_lsn", "info", "lsn", "payload", "rmid", "xid")

    def __init__(self, lsn: int, end_lsn: int, rmid: int, info: int, xid: int,
                 payload: memoryview | bytes) -> None:
        self.lsn = lsn
        self.end_lsn = end_lsn
        self.rmid = rmid
        self.info = info
        self.xid = xid
        self.payload = payload

    def __repr__(self) -> str:
        return (f"WalRecord(lsn={self.lsn}, rmid={self.rmid}, info={self.info}, "
                f"xid={self.xid}, len={len(self.payload)})")


def make_record(rmid: int, info: int, xid: int, payload: bytes) -> bytes:
    total = HEADER_SIZE + len(payload)
    rest = _HDR.pack(total, 0, rmid, info, 0, xid)[8:]
    crc = _crc32(payload, _crc32(rest, _crc32(_LEN.pack(total))))
    return _HDR.pack(total, crc, rmid, info, 0, xid) + payload


def seg_name(lsn: int) -> str:
    return f"{lsn:016X}"


class WAL:
    """The WAL of an on-disk cluster (see module docstring)."""

    enabled = True

    def __init__(self, waldir: str, latch: Latch, fsync: bool = True) -> None:
        self.dir = waldir
        self.latch = latch
        self.lock = threading.Lock()   # the WAL buffer and LSN counters
        self.flush_cond = threading.Condition(self.lock)
        self.do_fsync = fsync
        self.buf = bytearray()
        self.buf_start = 0        # LSN of buf[0] (== written_lsn)
        self.insert_lsn = 0       # end of the last inserted record
        self.written_lsn = 0      # write()n to the OS up to here
        self.flushed_lsn = 0      # fsync()ed up to here
        self.flushing = False
        self.seg_start = 0        # start LSN of the segment insert_lsn is in
        self.seg_starts: list[int] = []  # segment starts inside buf, pending write
        self._fd: int | None = None
        self._fd_seg = -1
        self.bytes_since_checkpoint = 0
        self.last_async_commit_lsn = 0
        self.flush_count = 0

    # -- startup -----------------------------------------------------------

    def segments(self) -> list[int]:
        out = []
        for name in os.listdir(self.dir):
            if len(name) == 16:
                try:
                    out.append(int(name, 16))
                except ValueError:
                    pass
        return sorted(out)

    def read_from(self, start_lsn: int) -> Iterator[WalRecord]:
        """Yield valid records from start_lsn up to the end of valid WAL.

        After iteration, `self.end_of_wal` is the LSN just past the last
        valid record.
        """
        self.end_of_wal = start_lsn
        segs = self.segments()
        # the segment holding start_lsn
        idx = None
        for i, s in enumerate(segs):
            if s <= start_lsn:
                idx = i
        if idx is None:
            return
        pos_lsn = start_lsn
        while idx < len(segs):
            seg = segs[idx]
            if seg > pos_lsn:
                break  # gap: WAL ends
            with open(os.path.join(self.dir, seg_name(seg)), "rb") as f:
                data = f.read()
            off = pos_lsn - seg
            mv = memoryview(data)
            n = len(data)
            while off + HEADER_SIZE <= n:
                total, crc, rmid, info, _r, xid = _HDR.unpack_from(data, off)
                if total < HEADER_SIZE or off + total > n:
                    break   # zero fill of a preallocated segment, or a torn record
                body = mv[off + 8: off + total]
                if _crc32(body, _crc32(data[off:off + 4])) != crc:
                    break
                lsn = seg + off
                rec = WalRecord(lsn, lsn + total, rmid, info, xid, mv[off + HEADER_SIZE:off + total])
                off += total
                pos_lsn = seg + off
                self.end_of_wal = pos_lsn
                yield rec
            # Continue into the next segment only if it starts exactly where
            # valid records end here: segments switch at record boundaries,
            # and the old one is synced before the new one is created, so a
            # torn record is never followed by a next segment at its start.
            idx += 1
            if idx >= len(segs) or segs[idx] != pos_lsn:
                break

    def start_at(self, lsn: int) -> None:
        """Prepare to append at `lsn` (end of valid WAL): drop anything after it."""
        segs = self.segments()
        cur = None
        for s in segs:
            if s <= lsn:
                cur = s
        for s in segs:
            if cur is not None and s > cur or cur is None:
                os.unlink(os.path.join(self.dir, seg_name(s)))
        for name in os.listdir(self.dir):
            if name.endswith(".tmp"):   # an interrupted preallocation
                os.unlink(os.path.join(self.dir, name))
        if cur is None:
            cur = lsn
            fd = os.open(os.path.join(self.dir, seg_name(cur)), os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        path = os.path.join(self.dir, seg_name(cur))
        # zero the torn tail so that new records never resync onto old bytes
        # (and keep the segment preallocated)
        with open(path, "r+b") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(lsn - cur)
            left = max(size, SEGMENT_SIZE) - (lsn - cur)
            zeros = bytes(min(max(left, 0), 1 << 20))
            while left > 0:
                k = min(left, len(zeros))
                f.write(zeros[:k])
                left -= k
            f.flush()
            os.fsync(f.fileno())
        self._fsync_dir()
        self.seg_start = cur
        self.buf_start = self.insert_lsn = self.written_lsn = self.flushed_lsn = lsn
        self.buf = bytearray()

    # -- appending -------------------------------------------------------

    def insert(self, rmid: int, info: int, xid: int, payload: bytes) -> int:
        """Append a record to the WAL buffer; return its end LSN."""
        total = HEADER_SIZE + len(payload)
        rest = _HDR.pack(total, 0, rmid, info, 0, xid)
        crc = _crc32(payload, _crc32(rest[8:], _crc32(rest[:4])))
        hdr = _HDR.pack(total, crc, rmid, info, 0, xid)
        with self.lock:
            if self.insert_lsn - self.seg_start + total > SEGMENT_SIZE \
                    and self.insert_lsn > self.seg_start:
                self.seg_start = self.insert_lsn
                self.seg_starts.append(self.insert_lsn)
            buf = self.buf
            buf += hdr
            buf += payload
            end = self.insert_lsn = self.insert_lsn + total
            self.bytes_since_checkpoint += total
            spill = len(buf) > WAL_BUFFERS and not self.flushing
        if spill:
            self._flush_to(end, fsync=False)
        return end

    # -- writing ---------------------------------------------------------

    def _take(self) -> tuple[bytearray, int, list[int]]:
        # (wal lock held) hand the buffer itself to the writer: no copy
        data = self.buf
        start = self.buf_start
        switches = self.seg_starts
        self.buf = bytearray()
        self.buf_start = self.insert_lsn
        self.seg_starts = []
        return data, start, switches

    def _write(self, data: bytes | bytearray, start: int, switches: list[int], fsync: bool) -> None:
        """Write data (WAL bytes from LSN start) to the segment files."""
        pos = 0
        lsn = start
        bounds = switches + [start + len(data)]
        for b in bounds:
            if b > lsn:
                chunk = memoryview(data)[pos: pos + (b - lsn)]
                fd = self._seg_fd(lsn)
                os.lseek(fd, lsn - self._fd_seg, os.SEEK_SET)
                mv = chunk
                while mv:
                    n = os.write(fd, mv)
                    mv = mv[n:]
                pos += b - lsn
                lsn = b
            if b != bounds[-1]:
                # segment ends here: make it durable before starting the next
                if fsync and self._fd is not None:
                    _sync(self._fd)
                self._open_seg(b)
        if fsync and self._fd is not None:
            _sync(self._fd)

    def _seg_fd(self, lsn: int) -> int:
        if self._fd is None:
            # the segment containing lsn is the newest one not after it
            cur = None
            for s in self.segments():
                if s <= lsn:
                    cur = s
            self._open_seg(cur if cur is not None else lsn)
        assert self._fd is not None
        return self._fd

    def _open_seg(self, seg: int) -> None:
        if self._fd is not None:
            os.close(self._fd)
        path = os.path.join(self.dir, seg_name(seg))
        new = not os.path.exists(path)
        if new:
            # preallocate: zero-fill a temporary file, then rename it in
            tmp = path + ".tmp"
            fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            try:
                zeros = bytes(1 << 20)
                left = SEGMENT_SIZE
                while left > 0:
                    left -= os.write(fd, zeros[:min(left, len(zeros))])
                if self.do_fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, path)
        self._fd = os.open(path, os.O_WRONLY, 0o600)
        self._fd_seg = seg
        if new:
            self._fsync_dir()

    def _fsync_dir(self) -> None:
        if not self.do_fsync:
            return
        fd = os.open(self.dir, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def _flush_to(self, lsn: int, fsync: bool, delay: float = 0.0) -> None:
        """Write (and with fsync, sync) the WAL up to at least lsn.

        Needs only the WAL lock, never the latch: a flusher publishes its
        result and wakes the waiters even while backends hold the latch,
        and the next waiter becomes the flusher at once.
        """
        sync = fsync and self.do_fsync
        lock = self.lock
        with lock:
            while (self.flushed_lsn if fsync else self.written_lsn) < lsn:
                if self.flushing:
                    self.flush_cond.wait(interrupts.WAIT_TICK)
                    continue
                self.flushing = True
                if delay:
                    # commit_delay: let the other running transactions' commit
                    # records join this flush
                    lock.release()
                    time.sleep(delay)
                    lock.acquire()
                    delay = 0.0
                data, start, switches = self._take()
                end = start + len(data)
                lock.release()
                try:
                    self._write(data, start, switches, sync)
                finally:
                    lock.acquire()
                    self.flushing = False
                    self.flush_cond.notify_all()
                self.written_lsn = max(self.written_lsn, end)
                if (sync or not self.do_fsync) and end > self.flushed_lsn:
                    self.flushed_lsn = end
                self.flush_count += 1

    def _write_out(self, fsync: bool) -> None:
        """Write everything inserted so far, keeping the latch (eviction,
        checkpoint, a full WAL buffer)."""
        self._flush_to(self.insert_lsn, fsync)

    def flush(self, lsn: int | None = None, delay: float = 0.0) -> None:
        """Make WAL durable up to `lsn` (default: everything inserted).

        Called holding the latch.  With fsync on, the latch is released while
        waiting, and concurrent committers share one write+fsync (group
        commit).  With fsync off, the write happens under the latch (handing
        the latch over would cost more than the write).
        """
        if lsn is None:
            lsn = self.insert_lsn
        if self.flushed_lsn >= lsn:
            return
        if not self.do_fsync:
            self._flush_to(lsn, False)
            return
        intr = interrupts.current()
        intr.wait_event = "IO:WALSync"
        latch = self.latch
        state = latch._release_save() if latch._is_owned() else None
        try:
            self._flush_to(lsn, True, delay)
        finally:
            intr.wait_event = None
            if state is not None:
                latch._acquire_restore(state)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def remove_segments_before(self, lsn: int) -> int:
        """Delete segments that end at or before lsn (checkpoint recycling)."""
        segs = self.segments()
        removed = 0
        for i, s in enumerate(segs[:-1]):
            if segs[i + 1] <= lsn and s != self._fd_seg and s != self.seg_start:
                try:
                    os.unlink(os.path.join(self.dir, seg_name(s)))
                    removed += 1
                except FileNotFoundError:
                    pass
        return removed


class NullWAL:
    """The WAL of an in-memory cluster: nothing is logged."""

    enabled = False
    insert_lsn = 0
    flushed_lsn = 0
    written_lsn = 0
    bytes_since_checkpoint = 0
    last_async_commit_lsn = 0
    flush_count = 0
    flushing = False

    def insert(self, rmid: int, info: int, xid: int, payload: bytes) -> int:
        return 0

    def flush(self, lsn: int | None = None, delay: float = 0.0) -> None:
        pass

    def close(self) -> None:
        pass
