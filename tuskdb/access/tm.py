"""TMResult: the outcome of update/delete/lock_tuple (PostgreSQL's TM_Result)."""

from __future__ import annotations

import enum


class TM(enum.IntEnum):
    Ok = 0             # done
    Invisible = 1      # the tuple is not visible to the command at all
    SelfModified = 2   # already updated/deleted by this transaction's current command
    Updated = 3        # updated by a committed transaction: see ctid
    Deleted = 4        # deleted by a committed transaction
    BeingModified = 5  # (internal) an in-progress transaction holds it
    WouldBlock = 6     # NOWAIT / SKIP LOCKED and the tuple is busy


class TMResult:
    """status plus details: `ctid` (newer version when Updated), `xmax` (the
    conflicting xid), `cmax` (for SelfModified), `new_tid` (the new version
    written by a successful update)."""

    __slots__ = ("cmax", "ctid", "new_tid", "status", "xmax")

    def __init__(self, status: TM, ctid: int = 0, xmax: int = 0, cmax: int = 0,
                 new_tid: int = 0) -> None:
        self.status = status
        self.ctid = ctid
        self.xmax = xmax
        self.cmax = cmax
        self.new_tid = new_tid

    @property
    def ok(self) -> bool:
        return self.status == TM.Ok

    def __bool__(self) -> bool:
        return self.status == TM.Ok

    def __repr__(self) -> str:
        return (f"TMResult({self.status.name}, ctid={self.ctid}, xmax={self.xmax}, "
                f"new_tid={self.new_tid})")
