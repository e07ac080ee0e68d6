"""Planning MERGE: join the target with the source, compile each action.

    target (table scan, or an updatable view's scan: plan/viewmodify.py)
      JOIN source (+ a constant TRUE column: "this row has a source row")
        INNER  only WHEN MATCHED clauses
        RIGHT  some WHEN NOT MATCHED [BY TARGET] (source rows without a target row)
        LEFT   some WHEN NOT MATCHED BY SOURCE (target rows without a source row)
        FULL   both

Rows are laid out target first, as ModifyTable expects: (target values...,
ctid, tableoid, view columns..., source columns..., source marker).  A missing target
row has a NULL ctid; a missing source row a NULL marker.
"""

from __future__ import annotations

from typing import Any

from tuskdb.sql.analyze.merge import MATCHED, NOT_MATCHED_BY_SOURCE, NOT_MATCHED_BY_TARGET
from tuskdb.sql.analyze.query import RelItem
from tuskdb.sql.execute import nodes as N
from tuskdb.sql.expr import compile_expr

SOURCE_MARKER = ("merge_source", 0)


def plan_merge(mq: Any) -> Any:
    from tuskdb.sql.execute.merge import CompiledAction, MergeTable
    from tuskdb.sql.plan.planner import _item_rts, _make_join, _plan_from, _plan_rel, conjuncts
    from tuskdb.sql.plan.viewmodify import ViewExtend, ViewPlan

    rel = mq.rel
    if not mq.view_updatable:
        # only DO NOTHING actions (e.g. on a read-only view): nothing to run
        return MergeTable(rel, None, [], None, [], None, 0, 0, None)
    width = len(rel.columns)
    vp = None
    if mq.view is not None:
        vp = ViewPlan(mq.view, width)
        target = vp.scan(_plan_rel)
        trts = {mq.rt} | {lvl.rt for lvl in mq.view.levels}
    else:
        target = _plan_rel(RelItem(mq.rt, rel, width + 2, mq.children), [])
        trts = {mq.rt}
    quals: list = []
    source = _plan_from(mq.source_items, quals)
    if quals:
        source = N.Filter(source, compile_expr(quals[0], source.layout) if len(quals) == 1
                          else compile_expr(_and(quals), source.layout))
    slayout = dict(source.layout)
    slayout[SOURCE_MARKER] = source.width
    source = ViewExtend(source, [lambda row, ctx: True], slayout)
    srts: set = set()
    for item in mq.source_items:
        srts |= _item_rts(item)
    matches = {a.match for a in mq.actions}
    by_target = NOT_MATCHED_BY_TARGET in matches
    by_source = NOT_MATCHED_BY_SOURCE in matches
    kind = "FULL" if by_target and by_source else "RIGHT" if by_target else \
        "LEFT" if by_source else "INNER"
    join_quals = conjuncts(mq.join)
    node = _make_join(kind, target, source, list(join_quals), trts, srts, False,
                      all_quals=True)
    layout = node.layout
    join_qual = compile_expr(mq.join, layout) if mq.join is not None else None
    checks = [(name, compile_expr(e, layout)) for name, e in mq.checks]
    from tuskdb.sql.analyze.returning import old_new_layout
    rlayout = old_new_layout(mq, layout, node.width)
    returning = [compile_expr(e, rlayout) for e in mq.returning] if mq.output else None
    actions = []
    for a in mq.actions:
        ca = CompiledAction(a.match, a.command,
                            compile_expr(a.condition, layout) if a.condition is not None
                            else None)
        if a.command == "UPDATE":
            fs = []
            for i in range(width):
                e = a.set_exprs.get(i)
                fs.append(_column(i) if e is None else compile_expr(e, layout))
            ca.newvals = fs
        elif a.command == "INSERT":
            ca.fill = _insert_fill(a, width, layout)
        actions.append(ca)
    mt = MergeTable(rel, node, checks, returning, actions, join_qual, width,
                    layout[SOURCE_MARKER], vp)
    mt.children = {child.oid: (child, attmap) for child, attmap in mq.children}
    mt.router, mt.partcheck = mq.router, mq.partcheck
    if mq.generated:
        from tuskdb.sql.plan.planner import _compile_generated
        mt.set_generated(_compile_generated(mq, {(mq.rt, i): i for i in range(width + 2)}))
    if getattr(mq, "old_rt", 0) and returning is not None:
        mt.returning_base = node.width
        mt.returning_width = mq.old_new_width
    return mt


def _column(k: int) -> Any:
    return lambda row, ctx: row[k]


def _insert_fill(a: Any, width: int, layout: dict) -> Any:
    vals = [(c, compile_expr(e, layout)) for c, e in zip(a.target_cols, a.values)]
    defaults = [(c, compile_expr(e, {})) for c, e in sorted(a.defaults.items())]

    def fill(row: tuple, ctx: Any) -> tuple:
        out = [None] * width
        for c, f in vals:
            out[c] = f(row, ctx)
        for c, f in defaults:
            out[c] = f((), ctx)
        return tuple(out)
    return fill


def _and(quals: list) -> Any:
    from tuskdb.sql.plan.planner import and_all
    return and_all(quals)


__all__ = ["MATCHED", "plan_merge"]
