"""access layer: heap relations, B-tree indexes, sequences (see README.md
and docs/contracts.md)."""

from tuskdb.access.btree import BTree, DuplicateKey, prefix_successor
from tuskdb.access.heap import Heap, HeapTuple, tuple_size
from tuskdb.access.sequence import SeqOptions, Sequence
from tuskdb.access.tid import INVALID_TID, make_tid, tid_block, tid_offset, tid_str, tid_tuple
from tuskdb.access.tm import TM, TMResult

__all__ = [
           "INVALID_TID",
           "TM",
           "BTree",
           "DuplicateKey",
           "Heap",
           "HeapTuple",
           "SeqOptions",
           "Sequence",
           "TMResult",
           "make_tid",
           "prefix_successor",
           "tid_block",
           "tid_offset",
           "tid_str",
           "tid_tuple",
           "tuple_size",
]
