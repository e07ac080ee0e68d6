"""Analyzer state: scopes, range-table entries, parameters and lifted literals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tuskdb.errors import (AMBIGUOUS_COLUMN, DUPLICATE_ALIAS, UNDEFINED_COLUMN, UNDEFINED_TABLE,
                           PgError)


@dataclass(eq=False)
class RangeEntry:
    """One FROM-list item as names see it (PostgreSQL's RangeTblEntry)."""

    rt: int
    alias: str | None
    colnames: list[str]
    coltypes: list[tuple[int, int]]          # (type oid, typmod)
    rel: Any = None                           # RelationInfo for a table
    kind: str = "relation"                    # relation subquery values join function
    has_ctid: bool = False                    # the table's row carries its TID and tableoid last
    hidden: set[str] = field(default_factory=set)   # dropped columns
    visible: bool = True                      # addressable by alias
    # columns reachable unqualified (false for the inputs of a JOIN, whose columns are
    # reached through the join's entry, as in PostgreSQL's p_cols_visible)
    cols_visible: bool = True
    join_exprs: list | None = None            # a JOIN's entry: its columns' expressions
    lateral_bad: bool = False                 # left of a RIGHT/FULL join, while its right
                                              # side is analyzed
    join_sources: list | None = None          # ... and the (entry, index) each comes from
    nullable: bool = False                    # on the null-extended side of an outer join
    location: int = -1
    qualified_only: bool = False              # RETURNING old/new: only as old.col, old.*
    perm: Any = None                          # aclchk.PermInfo: columns read are noted
    star_width: int | None = None             # columns * covers (None: all)

    @property
    def width(self) -> int:
        return len(self.colnames) + (2 if self.has_ctid else 0)


class Scope:
    """The names visible at one query level."""

    def __init__(self, parent: Scope | None = None) -> None:
        self.parent = parent
        self.entries: list[RangeEntry] = []
        # names before this index can't clash with new ones (inside an aliased JOIN,
        # whose alias alone is exposed)
        self.alias_floor = 0
        self.dup_aliases = False      # add_unchecked made two entries share an alias
        self.lateral_ok = True

    def add(self, entry: RangeEntry, unchecked: bool = False) -> None:
        if unchecked and any(e.visible and e.alias == entry.alias
                             for e in self.entries[self.alias_floor:]):
            self.dup_aliases = True
        elif entry.alias is not None and entry.visible:
            for e in self.entries[self.alias_floor:]:
                if e.visible and e.alias == entry.alias and e.alias is not None:
                    raise PgError(DUPLICATE_ALIAS, f'table name "{entry.alias}" specified more '
                                  f"than once")
        self.entries.append(entry)
        from tuskdb.sql.explain import collecting_rtable
        rtable = collecting_rtable()
        if rtable is not None:
            rtable[entry.rt] = entry

    def find_entry(self, name: str, location: int | None = None) -> RangeEntry | None:
        found = None
        for i, e in enumerate(self.entries):
            if e.visible and e.alias == name:
                if found is None:
                    found = e
                    if i < self.alias_floor or not self.dup_aliases:
                        return e
                else:
                    # two items of this level named alike (a target table named
                    # "excluded" under ON CONFLICT DO UPDATE): refnameNamespaceItem
                    raise PgError("42P09", f'table reference "{name}" is ambiguous',
                                  position=location)
        return found

    def find_column(self, name: str, location: int | None) -> tuple[RangeEntry, int] | None:
        found = None
        for e in self.entries:
            if not e.cols_visible or name in e.hidden or e.qualified_only:
                continue
            for i, cn in enumerate(e.colnames):
                if cn == name:
                    if found is not None:
                        raise PgError(AMBIGUOUS_COLUMN, f'column reference "{name}" is '
                                      f"ambiguous", position=location)
                    found = (e, i)
        return found


class AnalyzeState:
    """Everything the analysis of one statement shares across query levels."""

    def __init__(self, catalog: Any, session: Any, param_types: list[int] | None = None,
                 lift_literals: dict[int, int] | None = None, source: str = "") -> None:
        self.catalog = catalog
        self.session = session
        self.param_types: list[int] = list(param_types or [])
        self.lift = lift_literals            # id(A_Const dict) -> slot, or None
        self.structural: dict[int, Any] = {}  # slot -> value that the plan depends on
        self.source = source
        self._rt = 0
        self.relations: set[int] = set()      # OIDs the plan depends on
        self.direct_relations: set[int] = set()   # named in this statement (not via views)
        # primary-key constraints a GROUP BY relied on (PostgreSQL's constraintDeps)
        self.constraint_deps: set[int] = set()
        self.perminfos: list[Any] = []        # aclchk.PermInfo of every relation used
        self.check_as = 0                     # inside a view: its owner (0 = current user)
        self.outer_grouping: list[Any] = []   # GROUPING() of an enclosing level's columns
        self.outer_refs: list[Any] = []       # (scope, OuterVar) read after that level groups
        self.lateral_hidden: list[Any] = []   # scopes a non-LATERAL FROM subquery can't see
        self.has_volatile = False
        self.has_mutable = False              # a stable or volatile function was called
        self.ctes: list[dict[str, Any]] = []  # WITH scopes, innermost last
        self.cte_ids = 0
        # INSERT ... SELECT: target column (type, typmod)s for the select's unknown literals
        self.insert_target_types: list[tuple[int, int]] | None = None
        self.dml_ctes: list[Any] = []         # data-modifying WITH queries, run first
        self.param_names: dict[str, int] = {}  # SQL function bodies: argument name -> $n
        self.func_name: str | None = None
        # PL/pgSQL: (hook(names, location) -> Expr | None, param_hook(n) -> Expr | None)
        # resolving the routine's variables (PostgreSQL's p_post_columnref_hook and
        # p_paramref_hook)
        self.pl_hook: Any = None

    def add_perminfo(self, rel: Any, required: str = "") -> Any:
        """Note that the statement uses ``rel`` (PostgreSQL's addRTEPermissionInfo):
        the executor checks ``required`` and the columns read or written."""
        from tuskdb.catalog.aclchk import PermInfo
        p = PermInfo(rel, required, self.check_as)
        self.perminfos.append(p)
        return p

    def next_rt(self) -> int:
        self._rt += 1
        return self._rt

    def pos(self, location: int | None) -> int | None:
        """1-based character position for a raw-tree byte location."""
        if location is None or location < 0:
            return None
        from tuskdb.sql.parser import char_position

        return char_position(self.source, location)

    def param_type(self, number: int) -> int:
        if number <= len(self.param_types):
            return self.param_types[number - 1] or 705
        return 705

    def set_param_type(self, number: int, oid: int) -> None:
        while len(self.param_types) < number:
            self.param_types.append(0)
        cur = self.param_types[number - 1]
        if cur in (0, 705):
            self.param_types[number - 1] = oid


def undefined_column(name: str, location: int | None, table: str | None = None) -> PgError:
    if table is not None:
        return PgError(UNDEFINED_COLUMN, f"column {table}.{name} does not exist",
                       position=location)
    return PgError(UNDEFINED_COLUMN, f'column "{name}" does not exist', position=location)


def missing_from(name: str, location: int | None) -> PgError:
    return PgError(UNDEFINED_TABLE, f'missing FROM-clause entry for table "{name}"',
                   position=location)
