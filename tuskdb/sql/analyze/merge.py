"""MERGE analysis (PostgreSQL's transformMergeStmt).

    MERGE INTO target [AS t] USING source [AS s] ON join_condition
      WHEN MATCHED [AND cond] THEN UPDATE SET ... | DELETE | DO NOTHING
      WHEN NOT MATCHED BY SOURCE [AND cond] THEN UPDATE SET ... | DELETE | DO NOTHING
      WHEN NOT MATCHED [BY TARGET] [AND cond] THEN INSERT ... | DO NOTHING
      [RETURNING ...]

The result is a MergeQuery: the target (a table, or an updatable view resolved
by rewrite/updatable.py), the source FROM item, the join condition and the
actions in order.  Names in each WHEN clause see what PostgreSQL lets them see:
MATCHED clauses both relations, NOT MATCHED [BY TARGET] only the source, NOT
MATCHED BY SOURCE only the target (anything else is PostgreSQL's "invalid
reference to FROM-clause entry" / "cannot be referenced from this part of the
query").  The planner (plan/merge.py) joins target and source and the executor
(execute/merge.py) applies the first action whose condition holds to each row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tuskdb.errors import (
    DUPLICATE_ALIAS,
    FEATURE_NOT_SUPPORTED,
    GENERATED_ALWAYS,
    SYNTAX_ERROR,
    UNDEFINED_COLUMN,
    WRONG_OBJECT_TYPE,
    PgError,
)
from tuskdb.sql.analyze.coerce import require_bool
from tuskdb.sql.analyze.expr import ExprContext, transform
from tuskdb.sql.analyze.state import AnalyzeState, RangeEntry, Scope
from tuskdb.sql.expr import Expr

MATCHED = "MATCHED"
NOT_MATCHED_BY_TARGET = "NOT MATCHED BY TARGET"
NOT_MATCHED_BY_SOURCE = "NOT MATCHED BY SOURCE"

_MATCH = {"MERGE_WHEN_MATCHED": MATCHED,
          "MERGE_WHEN_NOT_MATCHED_BY_TARGET": NOT_MATCHED_BY_TARGET,
          "MERGE_WHEN_NOT_MATCHED_BY_SOURCE": NOT_MATCHED_BY_SOURCE}
_COMMAND = {"CMD_UPDATE": "UPDATE", "CMD_DELETE": "DELETE", "CMD_INSERT": "INSERT",
            "CMD_NOTHING": "NOTHING"}


@dataclass(eq=False)
class MergeAction:
    """One WHEN clause."""

    match: str                        # MATCHED | NOT MATCHED BY TARGET | ... BY SOURCE
    command: str                      # INSERT | UPDATE | DELETE | NOTHING
    condition: Expr | None = None
    set_exprs: dict[int, Expr] = field(default_factory=dict)   # UPDATE: column -> expr
    target_cols: list[int] = field(default_factory=list)       # INSERT: columns given
    values: list[Expr] = field(default_factory=list)           # INSERT: their values
    defaults: dict[int, Expr] = field(default_factory=dict)    # INSERT: other columns
    override: str = "OVERRIDING_NOT_SET"


@dataclass(eq=False)
class MergeQuery:
    """MERGE after analysis (the planner's input, like ModifyQuery)."""

    rel: Any                          # target table (the base table of a view target)
    rt: int
    kind: str = "MERGE"
    source_items: list[Any] = field(default_factory=list)
    join: Expr | None = None
    actions: list[MergeAction] = field(default_factory=list)
    returning: list[Expr] = field(default_factory=list)
    output: list[tuple[str, int, int, Any]] = field(default_factory=list)
    checks: list[tuple[str, Expr]] = field(default_factory=list)
    view: Any = None                  # rewrite.updatable.ViewTarget for a view target
    view_updatable: bool = True       # False: only DO NOTHING actions on a read-only view
    generated: list = field(default_factory=list)       # generated columns: (column, expr)
    children: list = field(default_factory=list)        # descendants: [(rel, attmap)]
    router: Any = None                # partition routing of a partitioned target
    partcheck: Any = None             # partition constraint of a target partition
    from_items: list[Any] = field(default_factory=list)     # (none: ModifyQuery's shape)


def analyze_merge(body: dict, state: AnalyzeState) -> MergeQuery:
    if body.get("withClause"):
        from tuskdb.sql.analyze.dml import _with
        return _with(body, state, _analyze_merge)
    return _analyze_merge(body, state)


def _analyze_merge(body: dict, state: AnalyzeState) -> MergeQuery:
    from tuskdb.sql.analyze.dml import _target_entry
    from tuskdb.sql.analyze.select import lookup_relation, transform_from

    rv = body["relation"]
    rel = lookup_relation(rv, state)
    from tuskdb.sql.analyze.dml import check_catalog_modification
    check_catalog_modification(rel, state.session)
    if rel.relkind not in ("r", "p", "v"):
        kind = {"m": "materialized views", "S": "sequences", "i": "indexes",
                "c": "composite types", "f": "foreign tables"}.get(rel.relkind, "this relation")
        raise PgError(WRONG_OBJECT_TYPE, f'cannot execute MERGE on relation "{rel.name}"',
                      detail=f"This operation is not supported for {kind}.")
    tscope = Scope()
    vts: list = []
    rel, rt = _target_entry(body, state, tscope, vts)
    if getattr(state, "rls_target", False):
        raise PgError(FEATURE_NOT_SUPPORTED, "MERGE into a table with row-level security is "
                      "not supported")
    target = tscope.entries[0]
    mq = MergeQuery(rel, rt)
    mq.view = vts[0] if vts else None
    # the source, in a namespace of its own: the target is not visible inside it
    sscope = Scope()
    try:
        mq.source_items = transform_from([body["sourceRelation"]], state, sscope, [])
    except PgError as err:
        raise _hidden_reference(err, target) from None
    for e in sscope.entries:
        if e.visible and e.alias is not None and e.alias == target.alias:
            raise PgError(DUPLICATE_ALIAS, f'name "{target.alias}" specified more than once',
                          detail="The name is used both as MERGE target table and data "
                                 "source.")
    both = Scope()
    for e in sscope.entries:
        both.entries.append(e)
    both.entries.append(target)
    jec = ExprContext(state, both, "JOIN/ON", None)
    mq.join = require_bool(transform(body["joinCondition"], jec), "JOIN/ON")
    clauses = [c["MergeWhenClause"] for c in body.get("mergeWhenClauses") or []]
    terminal: set[str] = set()
    for c in clauses:
        match = _MATCH[c["matchKind"]]
        if match in terminal:
            raise PgError(SYNTAX_ERROR, "unreachable WHEN clause specified after unconditional "
                          "WHEN clause")
        if c.get("condition") is None:
            terminal.add(match)
    for c in clauses:
        mq.actions.append(_action(c, mq, state, both, sscope, target))
    if target.perm is not None:
        letters = {"INSERT": "a", "UPDATE": "w", "DELETE": "d"}
        target.perm.required += "".join(sorted({letters[a.command] for a in mq.actions
                                                if a.command in letters}))
        for a in mq.actions:
            if a.command == "INSERT":
                target.perm.inserted |= {i + 1 for i in a.target_cols}
            elif a.command == "UPDATE":
                target.perm.updated |= {i + 1 for i in a.set_exprs}
    from tuskdb.sql.analyze.dml import _returning
    if body.get("returningClause"):
        saved = getattr(state, "merge_returning", False)
        state.merge_returning = True
        try:
            _returning(body, ExprContext(state, both, "RETURNING", None), mq)
        finally:
            state.merge_returning = saved
    _rewrite_view_target(mq, state)
    if mq.view is not None:
        from tuskdb.sql.rewrite.updatable import propagate_view_perms
        propagate_view_perms(mq.view, target.perm)
    if mq.view is None:
        from tuskdb.sql.analyze.dml import rel_checks
        mq.checks = rel_checks(mq.rel, mq.rt, state)
    if mq.view_updatable:
        from tuskdb.sql.analyze.dml import _generation
        mq.generated = _generation(mq.rel, mq.rt, state)
        # descendants (no ONLY) and partition routing, as UPDATE/DELETE/INSERT have them
        if mq.view is not None:
            mq.children = list(getattr(mq.view.levels[-1].from_item, "children", None) or [])
        elif rv.get("inh") and getattr(mq.rel, "children", None):
            from tuskdb.sql.analyze.inherit import expand_inheritance
            mq.children = expand_inheritance(mq.rel, state)
        if mq.rel.relkind == "p" or mq.rel.partbound is not None:
            from tuskdb.sql.analyze.partition import build_partition_check, build_router
            if mq.rel.relkind == "p":
                mq.router = build_router(state, mq.rel)
            if mq.rel.partbound is not None:
                mq.partcheck = build_partition_check(state, mq.rel)
    return mq


def _action(c: dict, mq: MergeQuery, state: AnalyzeState, both: Scope, sscope: Scope,
            target: RangeEntry) -> MergeAction:
    match = _MATCH[c["matchKind"]]
    act = MergeAction(match, _COMMAND[c["commandType"]])
    act.override = c.get("override", "OVERRIDING_NOT_SET")
    if match == MATCHED:
        scope, hidden = both, []
    elif match == NOT_MATCHED_BY_TARGET:
        scope, hidden = _only(sscope, [e for e in sscope.entries]), [target]
    else:
        scope, hidden = _only(None, [target]), [e for e in sscope.entries if e.visible]
    try:
        if c.get("condition") is not None:
            ec = ExprContext(state, scope, "MERGE WHEN", None)
            act.condition = require_bool(transform(c["condition"], ec), "WHEN")
            _no_system_columns(act.condition, mq, state, c["condition"])
        if act.command == "UPDATE":
            _merge_update(c, act, mq, state, scope)
        elif act.command == "INSERT":
            _merge_insert(c, act, mq, state, scope)
    except PgError as err:
        for h in hidden:
            err = _hidden_reference(err, h)
        raise err from None
    return act


def _only(base: Scope | None, entries: list[RangeEntry]) -> Scope:
    s = Scope()
    s.entries = list(entries)
    return s


def _no_system_columns(e: Expr, mq: MergeQuery, state: AnalyzeState, raw: dict) -> None:
    from tuskdb.sql.expr import Var, walk
    for x in walk(e):
        if isinstance(x, Var) and x.rt == mq.rt and x.attno >= len(mq.rel.columns) \
                and mq.view is None:
            raise PgError("42P10", f'cannot use system column "{x.name}" in MERGE WHEN '
                          f"condition", position=getattr(x, "location", None))


def _hidden_reference(err: PgError, entry: RangeEntry) -> PgError:
    """PostgreSQL's wording when a name exists but this part of MERGE may not use it."""
    alias = entry.alias
    if err.sqlstate == "42P01" and err.message == f'missing FROM-clause entry for table ' \
                                                  f'"{alias}"':
        return PgError("42P01", f'invalid reference to FROM-clause entry for table "{alias}"',
                       detail=f'There is an entry for table "{alias}", but it cannot be '
                              f"referenced from this part of the query.",
                       position=err.position)
    if err.sqlstate == UNDEFINED_COLUMN and err.detail is None and \
            err.message.startswith('column "') and err.message.endswith('" does not exist'):
        name = err.message[len('column "'):-len('" does not exist')]
        if name in entry.colnames and name not in entry.hidden:
            return PgError(UNDEFINED_COLUMN, err.message,
                           detail=f'There is a column named "{name}" in table "{alias}", but '
                                  f"it cannot be referenced from this part of the query.",
                           position=err.position)
    return err


def _merge_update(c: dict, act: MergeAction, mq: MergeQuery, state: AnalyzeState,
                  scope: Scope) -> None:
    from tuskdb.sql.analyze.dml import _loc, assign_coerce, column_default
    rel = mq.view.view if mq.view is not None else mq.rel
    ec = ExprContext(state, scope, "UPDATE", None)
    memo: dict = {}
    for node in c.get("targetList") or []:
        rtc = node["ResTarget"]
        name = rtc["name"]
        if rtc.get("indirection"):
            raise PgError(FEATURE_NOT_SUPPORTED, "UPDATE with subscripts or field selection "
                          "is not supported")
        from tuskdb.sql.analyze.dml import multi_assign_item, set_target_column
        val, pre = multi_assign_item(rtc, ec, memo)
        col, idx = set_target_column(rtc, rel, act.set_exprs, state)
        if "SetToDefault" in val and pre is None:
            from tuskdb.sql.analyze.dml import _BaseDefault
            act.set_exprs[idx] = column_default(col, rel, mq.rt, state) \
                if mq.view is None or col.default is not None else _BaseDefault(col)
            continue
        if col.generated:
            raise PgError(GENERATED_ALWAYS, f'column "{name}" can only be updated to DEFAULT',
                          detail=f'Column "{name}" is a generated column.')
        if col.identity == "a":
            raise PgError(GENERATED_ALWAYS, f'column "{name}" can only be updated to DEFAULT',
                          detail=f'Column "{name}" is an identity column defined as GENERATED '
                          f"ALWAYS.")
        e = pre if pre is not None else transform(val, ec)
        act.set_exprs[idx] = assign_coerce(e, col, state, state.pos(_loc(val)))


def _merge_insert(c: dict, act: MergeAction, mq: MergeQuery, state: AnalyzeState,
                  scope: Scope) -> None:
    from tuskdb.sql.analyze.dml import _loc, assign_coerce, column_default
    rel = mq.view.view if mq.view is not None else mq.rel
    live = [i for i, col in enumerate(rel.columns) if not col.dropped]
    explicit = [n["ResTarget"] for n in c.get("targetList") or []]
    if explicit:
        cols = []
        for rtc in explicit:
            name = rtc["name"]
            idx = next((i for i in live if rel.columns[i].name == name), None)
            if idx is None:
                raise PgError(UNDEFINED_COLUMN, f'column "{name}" of relation "{rel.name}" '
                              f"does not exist", position=state.pos(rtc.get("location")))
            if idx in cols:
                raise PgError(SYNTAX_ERROR, f'column "{name}" specified more than once',
                              position=state.pos(rtc.get("location")))
            cols.append(idx)
    else:
        cols = list(live)
    values = c.get("values")
    if values is None:                 # INSERT DEFAULT VALUES
        cols = []
        values = []
    if len(values) > len(cols):
        raise PgError(SYNTAX_ERROR, "INSERT has more expressions than target columns",
                      position=state.pos(_loc(values[len(cols)])))
    if len(values) < len(cols):
        if explicit:
            raise PgError(SYNTAX_ERROR, "INSERT has more target columns than expressions",
                          position=state.pos(explicit[len(values)].get("location")))
        cols = cols[:len(values)]
    ec = ExprContext(state, scope, "VALUES", None)
    given: list[int] = []
    for item, ci in zip(values, cols):
        col = rel.columns[ci]
        if "SetToDefault" in item:
            if mq.view is None or col.default is not None:
                act.defaults[ci] = column_default(col, rel, mq.rt, state)
            continue
        value = assign_coerce(transform(item, ec), col, state, state.pos(_loc(item)))
        if col.identity and act.override == "OVERRIDING_USER_VALUE":
            continue                    # the identity column's default applies
        given.append(ci)
        act.values.append(value)
    act.target_cols = given
    for ci in given:
        col = rel.columns[ci]
        if col.generated:
            raise PgError(GENERATED_ALWAYS, f'cannot insert a non-DEFAULT value into column '
                          f'"{col.name}"', detail=f'Column "{col.name}" is a generated column.')
        if col.identity == "a" and act.override != "OVERRIDING_SYSTEM_VALUE":
            raise PgError(GENERATED_ALWAYS, f'cannot insert a non-DEFAULT value into column '
                          f'"{col.name}"', detail=f'Column "{col.name}" is an identity column '
                          f"defined as GENERATED ALWAYS.",
                          hint="Use OVERRIDING SYSTEM VALUE to override.")
    for i in live:
        if i not in given and i not in act.defaults and \
                (mq.view is None or rel.columns[i].default is not None):
            act.defaults[i] = column_default(rel.columns[i], rel, mq.rt, state)


class _Shim:
    """The ModifyQuery-shaped view of one MERGE action (for dml._view_insert/_view_update)."""

    def __init__(self, mq: MergeQuery, act: MergeAction) -> None:
        self.view = mq.view
        self.rel = mq.view.view
        self.rt = mq.view.rt
        self.target_cols = act.target_cols
        self.defaults = act.defaults
        self.set_exprs = act.set_exprs
        self.override = act.override
        self.checks: list = []
        self.merge = True


def _rewrite_view_target(mq: MergeQuery, state: AnalyzeState) -> None:
    """MERGE into a view: each action goes through rewrite/updatable.py."""
    if mq.view is None:
        return
    from tuskdb.sql.analyze.dml import _view_insert, _view_update, rel_checks
    from tuskdb.sql.rewrite.updatable import prepare
    vt = mq.view
    if all(a.command == "NOTHING" for a in mq.actions):
        mq.view_updatable = False       # nothing is changed: any view will do
        return
    for act in mq.actions:
        if act.command == "INSERT":
            shim = _Shim(mq, act)
            _view_insert(shim, state)
            act.target_cols, act.defaults = shim.target_cols, shim.defaults
        elif act.command == "UPDATE":
            shim = _Shim(mq, act)
            _view_update(shim, state)
            act.set_exprs = shim.set_exprs
        elif act.command == "DELETE":
            prepare(vt, "DELETE", [], merge=True)
    mq.rel, mq.rt = vt.base_rel, vt.base_rt
    mq.checks = rel_checks(mq.rel, mq.rt, state)


__all__ = [
    "MATCHED",
    "NOT_MATCHED_BY_SOURCE",
    "NOT_MATCHED_BY_TARGET",
    "MergeAction",
    "MergeQuery",
    "analyze_merge",
]
