"""Relation descriptors built from the catalogs (PostgreSQL's relcache).

A RelationInfo is an immutable snapshot of what pg_class, pg_attribute,
pg_attrdef, pg_index and pg_constraint say about one relation.  The shared
cache (one per database) is thrown away whenever a transaction that changed
catalogs commits; a transaction that has changed catalogs itself reads them
directly with its own snapshot, so it sees its own DDL and nobody else does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Column:
    name: str
    attnum: int
    type_oid: int
    typmod: int
    notnull: bool
    default: str | None = None       # pg_attrdef.adbin (raw expression tree, JSON)
    identity: str = ""                # '' | 'a' (ALWAYS) | 'd' (BY DEFAULT)
    generated: str = ""               # '' | 's' (STORED) | 'v' (VIRTUAL)
    dropped: bool = False
    inhcount: int = 0                 # pg_attribute.attinhcount
    islocal: bool = True              # pg_attribute.attislocal
    has_missing: bool = False         # atthasmissing: rows older than the column lack it
    missing: Any = None               # attmissingval's value for those rows
    acl: Any = None                   # pg_attribute.attacl (column privileges)


@dataclass(slots=True)
class IndexInfo:
    oid: int
    name: str
    relfilenode: int
    attnums: tuple[int, ...]          # 1-based column numbers of the table
    unique: bool
    primary: bool
    descending: tuple[bool, ...]
    nulls_first: tuple[bool, ...]
    nulls_not_distinct: bool = False
    constraint_name: str | None = None
    valid: bool = True
    # key expressions (raw expression trees, JSON), one per attnums entry that is 0
    exprs: tuple[str, ...] = ()
    predicate: str | None = None      # partial index: WHERE clause (raw tree, JSON)
    am: str = "btree"                 # access method: btree, hash (equality only) or gist
    # an exclusion constraint's index (WITHOUT OVERLAPS): pg_constraint.conexclop, one
    # operator per key column; enforced by execute/exclusion.py, not by uniqueness
    exclusion_ops: tuple[int, ...] = ()
    deferrable: bool = False          # its constraint is DEFERRABLE: uniqueness is checked
    deferred: bool = False            # at the end of the statement (or at commit)
    collations: tuple[int, ...] = ()  # pg_index.indcollation, one per key column
    opclasses: tuple[int, ...] = ()   # pg_index.indclass (0: the type's default class)
    # INCLUDE columns (pg_index.indkey past indnkeyatts): carried by the index but not
    # part of its key, so neither ordered, searched nor checked for uniqueness
    include: tuple[int, ...] = ()


@dataclass(slots=True)
class CheckInfo:
    name: str
    expr: str                          # raw expression tree (JSON)
    noinherit: bool = False
    enforced: bool = True              # conenforced: NOT ENFORCED checks are not checked


@dataclass(slots=True)
class ConstraintInfo:
    oid: int
    name: str
    contype: str                       # p u c f x n
    index_oid: int = 0


@dataclass(slots=True)
class ForeignKeyInfo:
    """A FOREIGN KEY constraint, seen from either end."""

    oid: int
    name: str
    child: int                        # conrelid
    child_attnums: tuple[int, ...]
    parent: int                       # confrelid
    parent_attnums: tuple[int, ...]
    on_update: str                    # a r c n d
    on_delete: str
    match: str                        # s f p
    deferrable: bool = False
    deferred: bool = False
    index_oid: int = 0                # the parent's unique index
    period: bool = False              # FOREIGN KEY (..., PERIOD col): a temporal key
    enforced: bool = True             # conenforced: NOT ENFORCED keys are not checked
    del_set_cols: tuple[int, ...] = ()  # confdelsetcols: ON DELETE SET NULL/DEFAULT (cols)


@dataclass(slots=True)
class RelationInfo:
    oid: int
    name: str
    namespace: int
    nspname: str
    relkind: str                      # r i S v m p
    relfilenode: int
    persistence: str                  # p u t
    owner: int
    shared: bool = False
    columns: list[Column] = field(default_factory=list)
    indexes: list[IndexInfo] = field(default_factory=list)
    checks: list[CheckInfo] = field(default_factory=list)
    constraints: list[ConstraintInfo] = field(default_factory=list)
    view_query: str | None = None     # views: the defining query (JSON raw tree)
    fkeys: list[ForeignKeyInfo] = field(default_factory=list)          # this table references
    referenced_by: list[ForeignKeyInfo] = field(default_factory=list)  # tables referencing it
    extra: dict[str, Any] = field(default_factory=dict)
    parents: list[int] = field(default_factory=list)    # pg_inherits.inhparent by inhseqno
    children: list[int] = field(default_factory=list)   # pg_inherits.inhrelid by OID
    partkey: Any = None               # PartitionKey of a partitioned table (relkind 'p')
    partbound: str | None = None      # pg_class.relpartbound of a partition
    acl: Any = None                   # pg_class.relacl (None: the owner's default)
    toastrelid: int = 0               # pg_class.reltoastrelid (sql/commands/toasting.py)
    _by_name: dict[str, Column] | None = None
    # rows read from the heap need completing: attmissingval or virtual generated columns
    needs_complete: bool = False

    @property
    def live_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.dropped]

    def column(self, name: str) -> Column | None:
        if self._by_name is None:
            self._by_name = {c.name: c for c in self.columns if not c.dropped}
        return self._by_name.get(name)

    @property
    def natts(self) -> int:
        return len(self.columns)
