"""Automatically updatable views (PostgreSQL's rewriteTargetView).

An INSERT, UPDATE, DELETE or MERGE whose target is a view is turned into one
against the view's single base table.  A view qualifies when its query reads
exactly one table or (itself updatable) view and has no DISTINCT, GROUP BY,
HAVING, set operation, WITH, LIMIT/OFFSET, aggregate, window function or
set-returning function in its target list.  A view column is updatable when
it is a plain column of the relation below; other columns may be read
(WHERE, RETURNING) but not assigned.

How it runs.  The view's query is analyzed as in FROM (analyze/select.py
expands nested views into SubqueryItems that remember their view), giving a
chain of levels, outermost first:

    INSERT INTO v2 ...        v2: SELECT a, b*2 AS bb FROM v1 WHERE a < 10
                              v1: SELECT * FROM t WHERE a > 0      (t: base)

Statement expressions name the top view's columns (Var(view rt, j)).  The
planner scans the base table and appends, level by level (innermost first),
every view's columns computed from the row below (``extend``), so the row a
ModifyTable sees is

    (t columns..., ctid, tableoid, v1 columns..., v2 columns..., FROM items...)

and view quals, the statement's WHERE, RETURNING and CHECK OPTIONs compile
against that one layout.  Assignments are mapped down the chain to base
columns.  Levels are applied innermost first, so a security_barrier view's
quals always run before anything of the views and statement above it.

WITH CHECK OPTION: a level checks its own quals on every new row when it has
a check option or some view above it has CASCADED; checks run innermost
first, after the row and its index entries are written (as PostgreSQL does),
and fail with 'new row violates check option for view "v"'.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tuskdb.errors import FEATURE_NOT_SUPPORTED, PgError
from tuskdb.sql.analyze.query import Query, RelItem, SubqueryItem
from tuskdb.sql.expr import Expr, Func, Var

# view_query_is_auto_updatable's reasons, in the order PostgreSQL tests them
_DISTINCT = "Views containing DISTINCT are not automatically updatable."
_GROUP = "Views containing GROUP BY are not automatically updatable."
_HAVING = "Views containing HAVING are not automatically updatable."
_SETOP = "Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable."
_WITH = "Views containing WITH are not automatically updatable."
_LIMIT = "Views containing LIMIT or OFFSET are not automatically updatable."
_AGG = "Views that return aggregate functions are not automatically updatable."
_WINDOW = "Views that return window functions are not automatically updatable."
_SRF = "Views that return set-returning functions are not automatically updatable."
_SINGLE = "Views that do not select from a single table or view are not automatically updatable."
_TABLESAMPLE = "Views containing TABLESAMPLE are not automatically updatable."
_NO_COLS = "Views that have no updatable columns are not automatically updatable."
# view_col_is_auto_updatable's reasons
COL_SYSTEM = "View columns that refer to system columns are not updatable."
COL_WHOLEROW = "View columns that return whole-row references are not updatable."
COL_EXPR = "View columns that are not columns of their base relation are not updatable."

_VERB = {"INSERT": "insert into", "UPDATE": "update", "DELETE": "delete from",
         "MERGE": "merge into"}
_GERUND = {"INSERT": "inserting into", "UPDATE": "updating", "DELETE": "deleting from"}


@dataclass(eq=False)
class ViewLevel:
    """One view of the chain: its analyzed query over the level (or base table) below."""

    view: Any                        # RelationInfo
    rt: int                          # how the level above names this view's columns
    query: Query
    body: dict                       # the view's raw SelectStmt
    check_option: str | None = None  # 'local' | 'cascaded' | None
    security_barrier: bool = False
    wco: bool = False                # checks its quals on new rows

    @property
    def from_item(self) -> Any:
        fi = self.query.from_items
        return fi[0] if len(fi) == 1 else None

    @property
    def exprs(self) -> list[Expr]:
        return self.query.targets[:len(self.query.output)]


@dataclass(eq=False)
class ViewTarget:
    """A statement's target view, resolved down to its base table."""

    view: Any                        # the named view
    rt: int                          # statement expressions use Var(rt, view column)
    levels: list[ViewLevel]          # outermost first
    base_rel: Any = None
    base_rt: int = 0
    base_cols: list[int | None] = field(default_factory=list)   # top column -> base column

    @property
    def inner_first(self) -> list[ViewLevel]:
        return list(reversed(self.levels))


def view_options(rel: Any) -> dict[str, str]:
    """The view's reloptions as a dict (check_option, security_barrier, ...)."""
    out = {}
    for item in rel.extra.get("reloptions") or ():
        k, _, v = item.partition("=")
        out[k] = v
    return out


def _truthy(v: str) -> bool:
    return v.lower() in ("true", "on", "yes", "1", "t", "y")


def auto_update_detail(body: dict, q: Query) -> str | None:
    """Why a view's query is not automatically updatable (None if it is)."""
    if body.get("distinctClause") is not None:
        return _DISTINCT
    if body.get("groupClause"):
        return _GROUP
    if body.get("havingClause") is not None:
        return _HAVING
    if body.get("op", "SETOP_NONE") != "SETOP_NONE" or q.setop is not None:
        return _SETOP
    if body.get("withClause"):
        return _WITH
    if body.get("limitCount") is not None or body.get("limitOffset") is not None:
        return _LIMIT
    if q.has_agg:
        return _AGG
    if q.windows:
        return _WINDOW
    if q.srfs:
        return _SRF
    if len(q.from_items) != 1:
        return _SINGLE
    item = q.from_items[0]
    if isinstance(item, SubqueryItem) and item.view is not None:
        return None
    if isinstance(item, RelItem) and item.rel.relkind in ("r", "p", "f", "v"):
        if body.get("fromClause") and "RangeTableSample" in body["fromClause"][0]:
            return _TABLESAMPLE
        return None
    return _SINGLE


def column_detail(level: ViewLevel, j: int) -> tuple[int | None, str | None]:
    """(column of the relation below, None) for an updatable view column, else
    (None, reason)."""
    e = level.exprs[j]
    item = level.from_item
    virtual_of = getattr(e, "virtual_of", None)     # a virtual generated column
    if virtual_of is not None and isinstance(item, RelItem) and virtual_of[0] == item.rt:
        return virtual_of[1], None
    if isinstance(e, Func) and e.name == "ctid" and len(e.args) == 1 and \
            isinstance(e.args[0], Var):
        e = e.args[0]           # ctid: the TID slot seen through tid_tuple
    if isinstance(e, Var) and item is not None and e.rt == item.rt:
        if isinstance(item, RelItem):
            if e.attno >= len(item.rel.columns):
                return None, COL_SYSTEM
            return e.attno, None
        return e.attno, None
    return None, COL_EXPR


def build_view_target(view: Any, rt: int, state: Any) -> ViewTarget:
    """Analyze the view chain under ``view`` (columns named by ``rt``)."""
    from tuskdb.sql.analyze.select import _expand_view
    from tuskdb.sql.analyze.state import RangeEntry, Scope

    entry = RangeEntry(rt, view.name, [c.name for c in view.columns],
                       [(c.type_oid, c.typmod) for c in view.columns], rel=view)
    item = _expand_view(view, entry, {}, state, Scope())
    levels = []
    while True:
        v = item.view
        opts = view_options(v)
        body = json.loads(v.view_query)["query"]["SelectStmt"]
        lvl = ViewLevel(v, item.rt, item.query, body, opts.get("check_option"),
                        _truthy(opts.get("security_barrier", "false")))
        levels.append(lvl)
        inner = lvl.from_item
        if isinstance(inner, SubqueryItem) and inner.view is not None:
            item = inner
            continue
        break
    return ViewTarget(view, rt, levels)


def prepare(vt: ViewTarget, event: str, cols: list[int], merge: bool = False) -> list[int]:
    """Check that ``event`` may run through every level for the top view columns
    ``cols`` (PostgreSQL's errors, outermost view first); returns the base columns
    they map to and fills ``vt.base_rel``/``base_rt``/``base_cols``."""
    cur = list(cols)
    for lvl in vt.levels:
        detail = auto_update_detail(lvl.body, lvl.query)
        if detail is None and event != "DELETE" and not any(
                column_detail(lvl, j)[0] is not None for j in range(len(lvl.exprs))):
            detail = _NO_COLS
        if detail is not None:
            raise not_updatable(lvl.view, event, detail, merge)
        # the first non-updatable modified column, in view column order
        for j in sorted(set(cur)):
            below, why = column_detail(lvl, j)
            if below is None:
                verb = "merge into" if merge else \
                    {"INSERT": "insert into", "UPDATE": "update"}.get(event, "change")
                raise PgError(FEATURE_NOT_SUPPORTED,
                              f'cannot {verb} column "{lvl.view.columns[j].name}" of view '
                              f'"{lvl.view.name}"', detail=why)
        mapped = []
        for j in cur:
            mapped.append(column_detail(lvl, j)[0])
        cur = mapped
    base = vt.levels[-1].from_item
    if getattr(base, "rls_deny", False):
        raise PgError(FEATURE_NOT_SUPPORTED, "changing a table with row-level security "
                      "through a view is not supported")
    vt.base_rel = base.rel
    vt.base_rt = base.rt
    vt.base_cols = [base_column(vt, j) for j in range(len(vt.levels[0].exprs))]
    _mark_wco(vt)
    return cur


def propagate_view_perms(vt: ViewTarget, top: Any) -> None:
    """rewriteTargetView's permissions: the relation under each target view needs the
    statement's INSERT/UPDATE/DELETE (and SELECT when the statement reads the view),
    checked as that view's owner, on the columns the view's columns stand for."""
    cur = top
    for lvl in vt.levels:
        perm = getattr(lvl.from_item, "perm", None)
        if perm is None or cur is None:
            return
        wanted = set(cur.required) | ({"r"} if cur.selected else set())
        perm.required = "".join(c for c in "rawd" if c in wanted)
        perm.select_if_read = False

        def down(cols: set[int], lvl: ViewLevel = lvl) -> set[int]:
            out = set()
            for a in cols:
                if a > 0:
                    j2, _ = column_detail(lvl, a - 1)
                    if j2 is not None:
                        out.add(j2 + 1)
            return out
        perm.inserted = down(cur.inserted)
        perm.updated = down(cur.updated)
        cur = perm


def base_column(vt: ViewTarget, j: int) -> int | None:
    for lvl in vt.levels:
        j2, _ = column_detail(lvl, j)
        if j2 is None:
            return None
        j = j2
    return j


def _mark_wco(vt: ViewTarget) -> None:
    cascaded = False
    for lvl in vt.levels:
        lvl.wco = cascaded or lvl.check_option is not None
        if lvl.check_option == "cascaded":
            cascaded = True


def not_updatable(view: Any, event: str, detail: str, merge: bool = False) -> PgError:
    event = "INSERT" if event == "MERGE" else event
    verb = _VERB[event]
    if merge:
        hint = (f"To enable {_GERUND[event]} the view using MERGE, provide an INSTEAD OF "
                f"{event} trigger.")
    else:
        hint = (f"To enable {_GERUND[event]} the view, provide an INSTEAD OF {event} trigger "
                f"or an unconditional ON {event} DO INSTEAD rule.")
    return PgError(FEATURE_NOT_SUPPORTED, f'cannot {verb} view "{view.name}"', detail=detail,
                   hint=hint)


def check_create(view_name: str, body: dict, q: Query, check_option: str | None) -> None:
    """CREATE VIEW ... WITH CHECK OPTION needs an automatically updatable view."""
    if check_option is None:
        return
    detail = auto_update_detail(body, q)
    if detail is not None:
        raise PgError(FEATURE_NOT_SUPPORTED, "WITH CHECK OPTION is supported only on "
                      "automatically updatable views", hint=detail)


__all__ = [
    "ViewLevel",
    "ViewTarget",
    "auto_update_detail",
    "build_view_target",
    "check_create",
    "column_detail",
    "not_updatable",
    "prepare",
    "view_options",
]


# pg_relation_is_updatable's bits: 1 << CMD_UPDATE, CMD_INSERT, CMD_DELETE
EVENT_UPDATE, EVENT_INSERT, EVENT_DELETE = 1 << 2, 1 << 3, 1 << 4
ALL_EVENTS = EVENT_UPDATE | EVENT_INSERT | EVENT_DELETE


def relation_is_updatable(session: Any, oid: int, include_cols: set[int] | None = None,
                          outer: tuple = ()) -> int:
    """PostgreSQL's relation_is_updatable: which of UPDATE/INSERT/DELETE a relation supports
    (for a view: automatically; include_cols limits the view columns looked at)."""
    from tuskdb.sql.analyze.state import AnalyzeState
    cat = session.catalog()
    rel = cat.relation_by_oid(oid)
    if rel is None or oid in outer:
        return 0
    if rel.relkind in ("r", "p", "f"):
        return ALL_EVENTS
    if rel.relkind != "v" or rel.view_query is None:
        return 0
    state = AnalyzeState(cat, session, [], None, "")
    try:
        vt = build_view_target(rel, state.next_rt(), state)
    except PgError:
        return 0            # a view whose query no longer analyzes is not updatable
    top = vt.levels[0]
    if auto_update_detail(top.body, top.query) is not None:
        return 0
    updatable = {j for j in range(len(top.exprs)) if column_detail(top, j)[0] is not None}
    if include_cols is not None:
        updatable &= include_cols
    events = ALL_EVENTS if updatable else EVENT_DELETE
    item = top.from_item
    if isinstance(item, SubqueryItem) and item.view is not None:
        below = {column_detail(top, j)[0] for j in updatable}
        events &= relation_is_updatable(session, item.view.oid, below, outer + (oid,))
    return events


def column_is_updatable(session: Any, oid: int, attnum: int) -> bool:
    if attnum <= 0:
        return False
    events = relation_is_updatable(session, oid, {attnum - 1})
    return events & (EVENT_UPDATE | EVENT_DELETE) == EVENT_UPDATE | EVENT_DELETE
