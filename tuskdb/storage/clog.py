"""Commit log (pg_xact): the status of every transaction id.

One byte per xid (not PostgreSQL's two bits: simpler and faster in Python),
in pages of CLOG_PAGE xids.  Pages live in memory; a checkpoint writes the
dirty ones to ``pg_xact/<page number as 12 hex digits>`` by atomic
replacement.  Commit and abort records in the WAL are the authority: redo
sets the bits again, so a page written before or after the crash is fine.

A status of IN_PROGRESS for an xid that is not running (after a crash)
means aborted: visibility code treats "not committed and not running" as
aborted, as PostgreSQL does.
"""

from __future__ import annotations

import os

from tuskdb.storage.fileutil import atomic_write

CLOG_PAGE = 32768
IN_PROGRESS = 0
COMMITTED = 1
ABORTED = 2


class Clog:
    def __init__(self, dirpath: str | None) -> None:
        self.dir = dirpath
        self.pages: dict[int, bytearray] = {}
        self.dirty: set[int] = set()

    def _page(self, pageno: int) -> bytearray:
        page = self.pages.get(pageno)
        if page is None:
            page = bytearray(CLOG_PAGE)
            if self.dir is not None:
                path = os.path.join(self.dir, f"{pageno:012X}")
                try:
                    with open(path, "rb") as f:
                        data = f.read()
                    page[:len(data)] = data[:CLOG_PAGE]
                except FileNotFoundError:
                    pass
            self.pages[pageno] = page
        return page

    def get(self, xid: int) -> int:
        page = self.pages.get(xid >> 15)
        if page is None:
            page = self._page(xid >> 15)
        return page[xid & 0x7FFF]

    def set(self, xid: int, status: int) -> None:
        pageno = xid >> 15
        page = self.pages.get(pageno)
        if page is None:
            page = self._page(pageno)
        page[xid & 0x7FFF] = status
        self.dirty.add(pageno)

    def capture(self) -> list[tuple[int, bytes]]:
        """Under the latch: copies of the dirty pages, for a checkpoint."""
        out = [(p, bytes(self.pages[p])) for p in sorted(self.dirty)]
        self.dirty.clear()
        return out

    def write(self, captured: list[tuple[int, bytes]], fsync: bool) -> None:
        """Without the latch: write captured pages by atomic replacement."""
        if self.dir is None:
            return
        for pageno, data in captured:
            atomic_write(os.path.join(self.dir, f"{pageno:012X}"), data, fsync, sync_dir=False)
        if captured and fsync:
            from tuskdb.storage.fileutil import fsync_dir
            fsync_dir(self.dir)
