"""Tuple identifiers.

A TID (PostgreSQL's ItemPointer, the ``ctid``) is a plain int:
``(block number << 16) | offset number``, offsets starting at 1.  Ints are
cheaper than tuples to hash, compare and store, and they order like
(block, offset).  0 is the invalid TID.
"""

from __future__ import annotations

INVALID_TID = 0


def make_tid(block: int, offset: int) -> int:
    return (block << 16) | offset


def tid_block(tid: int) -> int:
    return tid >> 16


def tid_offset(tid: int) -> int:
    return tid & 0xFFFF


def tid_tuple(tid: int) -> tuple[int, int]:
    return tid >> 16, tid & 0xFFFF


def tid_str(tid: int) -> str:
    """The text form of a ctid, "(block,offset)"."""
    return f"({tid >> 16},{tid & 0xFFFF})"
