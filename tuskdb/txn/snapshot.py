"""MVCC snapshots (PostgreSQL's SnapshotData, MVCC flavour).

A snapshot sees a transaction's effects iff the transaction committed
before the snapshot was taken:

    xid <  xmin                -> finished before the snapshot (committed or
                                  aborted: ask the clog)
    xmin <= xid < xmax, in xip -> was running: invisible
    xid >= xmax                -> started after: invisible

`own` is the live set of the taking transaction's own xids (top xid and
subtransaction xids not rolled back); it is shared with the transaction, so
xids assigned after the snapshot still count as "current transaction"
(TransactionIdIsCurrentTransactionId).  `curcid`: the transaction's own
changes are visible only if made by an earlier command (cmin < curcid).
"""

from __future__ import annotations


class Snapshot:
    __slots__ = ("curcid", "own", "txn", "xip", "xmax", "xmin")

    def __init__(self, xmin: int, xmax: int, xip: frozenset[int], curcid: int,
                 own: set[int] | frozenset[int], txn: object = None) -> None:
        self.xmin = xmin
        self.xmax = xmax
        self.xip = xip
        self.curcid = curcid
        self.own = own
        self.txn = txn

    def with_cid(self, cid: int) -> Snapshot:
        return Snapshot(self.xmin, self.xmax, self.xip, cid, self.own, self.txn)

    def xid_in_snapshot(self, xid: int) -> bool:
        """XidInMVCCSnapshot: True if xid counts as still running for us."""
        return xid >= self.xmax or xid in self.xip

    def __repr__(self) -> str:
        return (f"Snapshot(xmin={self.xmin}, xmax={self.xmax}, xip={sorted(self.xip)}, "
                f"curcid={self.curcid})")
