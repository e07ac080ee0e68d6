"""RETURNING OLD / NEW (PostgreSQL 18): the row before and after the change.

    UPDATE t SET ... RETURNING old.a, new.a, old, new.*
    ... RETURNING WITH (OLD AS o, NEW AS n) o.a, n.a

``old`` and ``new`` are two more range entries with the target's columns (a
view's columns when the target is a view).  The executor appends, after the
columns RETURNING already sees, the old row's values, ctid, tableoid and an
"exists" flag, then the new row's likewise (ModifyTable._returning): INSERT has no old row,
DELETE no new one, and a whole-row ``old``/``new`` of a missing row is NULL.
"""

from __future__ import annotations

from typing import Any

from tuskdb.errors import DUPLICATE_ALIAS, SYNTAX_ERROR, PgError
from tuskdb.sql.analyze.state import RangeEntry, Scope
from tuskdb.sql.expr import Case, Const, Expr, Var


def old_new_scope(rc: dict, ec: Any, mq: Any) -> Any:
    """The RETURNING ExprContext with OLD and NEW added; records their range-table
    indexes on the query (mq.old_rt / mq.new_rt)."""
    from tuskdb.sql.analyze.expr import ExprContext
    state = ec.state
    names = {"old": "old", "new": "new"}
    given: set[str] = set()
    for o in rc.get("options") or []:
        opt = o["ReturningOption"]
        which = "old" if opt["option"] == "RETURNING_OPTION_OLD" else "new"
        if which in given:
            raise PgError(SYNTAX_ERROR, f"{which.upper()} cannot be specified multiple times",
                          position=state.pos(opt.get("location")))
        given.add(which)
        alias = opt["value"]
        if any(e.visible and e.alias == alias for e in ec.scope.entries):
            raise PgError(DUPLICATE_ALIAS, f'table name "{alias}" specified more than once',
                          position=state.pos(opt.get("location")))
        names[which] = alias
    rel = mq.view.view if getattr(mq, "view", None) is not None else mq.rel
    cols = [c for c in rel.columns]
    scope = Scope()
    scope.entries = list(ec.scope.entries)
    mq.old_rt = state.next_rt()
    mq.new_rt = state.next_rt()
    mq.old_new_width = len(cols)
    taken = {e.alias for e in scope.entries if e.visible}
    for which, rt in (("old", mq.old_rt), ("new", mq.new_rt)):
        alias = names[which]
        if alias in taken and which not in given:
            continue            # the target itself is called old/new: it wins
        entry = RangeEntry(rt, alias, [c.name for c in cols],
                           [(c.type_oid, c.typmod) for c in cols])
        entry.hidden = {c.name for c in cols if c.dropped}
        entry.qualified_only = True
        entry.has_ctid = getattr(mq, "view", None) is None     # old.ctid, old.tableoid
        scope.entries.append(entry)
    out = ExprContext(state, scope, ec.kind, ec.aggs, ec.outer)
    return out


def null_missing_rows(e: Expr, mq: Any) -> Expr:
    """A whole-row OLD (NEW) is NULL when there is no old (new) row."""
    from tuskdb.sql.analyze.rowtypes import RowExpr
    if isinstance(e, RowExpr) and e.args and all(isinstance(a, Var) for a in e.args):
        rts = {a.rt for a in e.args}
        if len(rts) == 1:
            rt = rts.pop()
            if rt in (getattr(mq, "old_rt", 0), getattr(mq, "new_rt", 0)):
                flag = Var(rt, mq.old_new_width + 2, 16, -1, "exists")
                return Case([(flag, e)], Const(None, e.type_oid, e.typmod), e.type_oid,
                            e.typmod)
    return e


def old_new_layout(mq: Any, layout: dict, base_len: int) -> dict:
    """The RETURNING layout: OLD's columns and flag, then NEW's, after ``base_len``."""
    old_rt = getattr(mq, "old_rt", 0)
    if not old_rt:
        return layout
    n = mq.old_new_width
    out = dict(layout)
    for i in range(n + 3):          # columns, ctid, tableoid, exists
        out[(old_rt, i)] = base_len + i
        out[(mq.new_rt, i)] = base_len + n + 3 + i
    return out


__all__ = ["null_missing_rows", "old_new_layout", "old_new_scope"]
