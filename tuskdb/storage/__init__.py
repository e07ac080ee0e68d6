"""storage layer: data directory, relation files, buffer cache, WAL, clog,
checkpoints, crash recovery (see README.md and docs/contracts.md)."""

from tuskdb.storage.codec import decode_row, decode_value, encode_row, encode_value, register_codec
from tuskdb.storage.latch import Latch
from tuskdb.storage.manager import StorageManager, register_rmgr
from tuskdb.storage.relation import Page, Relation, RelFileLocator, register_page_kind

__all__ = [
                                  "Latch",
                                  "Page",
                                  "RelFileLocator",
                                  "Relation",
                                  "StorageManager",
                                  "decode_row",
                                  "decode_value",
                                  "encode_row",
                                  "encode_value",
                                  "register_codec",
                                  "register_page_kind",
                                  "register_rmgr",
]
