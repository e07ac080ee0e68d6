"""The analyzed query tree (PostgreSQL's Query), the planner's input."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tuskdb.sql.expr import Agg, Expr


@dataclass(eq=False)
class RelItem:
    """A base table in FROM."""

    rt: int
    rel: Any                 # RelationInfo
    ncols: int               # columns + the TID and tableoid slots
    # descendants scanned with it (no ONLY): [(RelationInfo, attmap)], see analyze/inherit
    children: list = field(default_factory=list)
    perm: Any = None         # its aclchk.PermInfo (FOR UPDATE adds UPDATE)
    alias: str | None = None
    rls_deny: bool = False   # row security applies and no policy lets a row through
    tablesample: Any = None  # TableSampleClause (analyze/tablesample) or None


@dataclass(eq=False)
class SubqueryItem:
    rt: int
    query: Query
    lateral: bool = False
    view: Any = None          # the view (RelationInfo) this subquery expands, if any


@dataclass(eq=False)
class ValuesItem:
    rt: int
    rows: list[list[Expr]]
    types: list[tuple[int, int]]


@dataclass(eq=False)
class FunctionItem:
    """A function in FROM (set-returning or not), possibly WITH ORDINALITY."""

    rt: int
    call: Any                 # SRFCall or an ordinary expression
    ordinality: bool = False


@dataclass(eq=False)
class CTEInfo:
    """A WITH query: analyzed once, materialized once per execution."""

    name: str
    id: int
    colnames: list[str] = field(default_factory=list)
    coltypes: list[tuple[int, int]] = field(default_factory=list)
    query: Any = None               # Query (for a recursive CTE: the whole UNION)
    recursive: bool = False         # self-referencing
    union_all: bool = True
    plan: Any = None
    modify: Any = None              # data-modifying WITH: its ModifyQuery
    # SEARCH / CYCLE: the columns * covers in the recursive term, and its
    # non-recursive term (the record columns' fields)
    star_width: int | None = None
    worktable_base: Any = None


@dataclass(eq=False)
class CteItem:
    rt: int
    cte: CTEInfo
    worktable: bool = False         # the self-reference inside a recursive CTE


@dataclass(eq=False)
class JoinItem:
    kind: str                 # INNER LEFT RIGHT FULL CROSS
    left: Any
    right: Any
    quals: Expr | None


@dataclass(eq=False)
class SortKey:
    expr: Expr
    descending: bool = False
    nulls_first: bool | None = None     # None: default (NULLS LAST for ASC)
    lt: Any = None                       # the type's "<" function


@dataclass(eq=False)
class Query:
    """A SELECT (possibly with set operations) after analysis.

    ``output``: (name, type, typmod, source) per visible result column, where
    source is (table oid, attnum) or None.
    """

    from_items: list[Any] = field(default_factory=list)
    where: Expr | None = None
    targets: list[Expr] = field(default_factory=list)
    output: list[tuple[str, int, int, Any]] = field(default_factory=list)
    group_by: list[Expr] = field(default_factory=list)
    aggs: list[Agg] = field(default_factory=list)
    having: Expr | None = None
    has_agg: bool = False
    with_ties: bool = False          # FETCH FIRST n ROWS WITH TIES
    sort: list[SortKey] = field(default_factory=list)
    limit: Expr | None = None
    offset: Expr | None = None
    distinct: bool = False
    distinct_on: list[int] = field(default_factory=list)   # target indexes
    setop: tuple | None = None           # (op, all, left Query, right Query)
    junk: int = 0                         # hidden trailing targets (ORDER BY helpers)
    srfs: list = field(default_factory=list)      # target-list set-returning functions
    windows: list = field(default_factory=list)   # window function calls (WindowCall)
    locking: list = field(default_factory=list)   # FOR UPDATE / SHARE clauses
    grouping_sets: list | None = None     # GROUPING SETS: lists of group_by indexes
    lock_rts: list = field(default_factory=list)


@dataclass(eq=False)
class ModifyQuery:
    """INSERT / UPDATE / DELETE after analysis."""

    kind: str                             # INSERT UPDATE DELETE
    rel: Any                              # RelationInfo of the target
    rt: int
    source: Query | None = None           # INSERT: rows to insert (in target column order)
    target_cols: list[int] = field(default_factory=list)   # INSERT: 0-based columns given
    scan: Query | None = None             # UPDATE/DELETE: rows to change (with TID)
    set_exprs: dict[int, Expr] = field(default_factory=dict)   # UPDATE: column -> expr
    where: Expr | None = None             # UPDATE/DELETE: over the target row
    from_items: list[Any] = field(default_factory=list)   # UPDATE FROM / DELETE USING
    returning: list[Expr] = field(default_factory=list)
    output: list[tuple[str, int, int, Any]] = field(default_factory=list)
    on_conflict: Any = None
    defaults: dict[int, Expr] = field(default_factory=dict)    # column -> default expr
    checks: list[tuple[str, Expr]] = field(default_factory=list)
    view: Any = None          # rewrite.updatable.ViewTarget when the target is a view
    children: list = field(default_factory=list)    # inheritance: [(RelationInfo, attmap)]
    # generated columns: (column, expression over the new row), computed after the
    # other columns; attgenerated 'v' ones are not stored
    generated: list[tuple[int, Expr]] = field(default_factory=list)
    router: Any = None        # execute.partition.PartitionRouter: the target is partitioned
    partcheck: Any = None     # execute.partition.PartitionCheck: the target is a partition
