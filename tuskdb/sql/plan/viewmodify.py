"""Planning INSERT/UPDATE/DELETE through automatically updatable views.

See sql/rewrite/updatable.py for the model: the rows a ModifyTable sees are
the base table's (values..., ctid, tableoid) followed by every view level's columns,
innermost level first.  ``ViewExtend`` appends one level's columns to each
row; the quals of a level run on the rows of the level below it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tuskdb.errors import CHECK_OPTION_VIOLATION, PgError
from tuskdb.sql.analyze.query import RelItem
from tuskdb.sql.execute.nodes import Filter, PlanNode
from tuskdb.sql.expr import Expr, compile_expr


class ViewExtend(PlanNode):
    """Appends a view's columns, computed from the row below, to each row."""

    label = "ViewExtend"

    def __init__(self, child: PlanNode, fns: list[Any], layout: dict) -> None:
        self.child = child
        self.fns = fns
        self.layout = layout
        self.width = child.width + len(fns)

    def rows(self, ctx: Any) -> Iterator[tuple]:
        fns = self.fns
        for row in self.child.rows(ctx):
            yield row + tuple([f(row, ctx) for f in fns])

    def children(self) -> list[PlanNode]:
        return [self.child]


class ViewPlan:
    """The compiled view chain of one statement."""

    def __init__(self, vt: Any, width: int) -> None:
        self.vt = vt
        self.width = width
        layout = {(vt.base_rt, i): i for i in range(width + 2)}
        self.levels: list[tuple[Any, list[Any], dict]] = []   # (level, fns, layout after)
        pos = width + 2
        for lvl in vt.inner_first:
            fns = [compile_expr(e, dict(layout)) for e in lvl.exprs]
            for j in range(len(lvl.exprs)):
                layout[(lvl.rt, j)] = pos + j
            pos += len(lvl.exprs)
            self.levels.append((lvl, fns, dict(layout)))
        self.layout = layout          # base + ctid + tableoid + every level's columns
        self.nview = pos - width - 2
        self.wco = [(lvl.view.name, compile_expr(lvl.query.where, layout))
                    for lvl in vt.inner_first if lvl.wco and lvl.query.where is not None]

    def extend(self, base_row: tuple, ctx: Any) -> tuple:
        """The view columns of a base row (values..., ctid, tableoid)."""
        row = tuple(base_row)
        for _, fns, _ in self.levels:
            row = row + tuple([f(row, ctx) for f in fns])
        return row[self.width + 2:]

    def conflict_layout(self, excluded_rt: int) -> dict:
        """ON CONFLICT DO UPDATE through the view: the existing row (base, ctid, tableoid,
        view columns) followed by the proposed one likewise; EXCLUDED names the view's
        columns of the proposed row."""
        off = self.width + 2 + self.nview
        layout = dict(self.layout)
        top = self.vt.levels[0]
        for j in range(len(top.exprs)):
            layout[(excluded_rt, j)] = off + self.layout[(top.rt, j)]
        return layout

    def conflict_row(self, old: tuple, tid: Any, toid: int, values: tuple, ctx: Any) -> tuple:
        o = (*old, tid, toid)
        p = (*values, None, toid)
        return o + self.extend(o, ctx) + p + self.extend(p, ctx)

    def all_quals(self) -> list[Expr]:
        out: list[Expr] = []
        for lvl in self.vt.inner_first:
            if lvl.query.where is not None:
                out.append(lvl.query.where)
        return out

    def scan(self, plan_rel: Any) -> PlanNode:
        """Base table scan (the innermost view's quals pushed into it), then each level."""
        from tuskdb.sql.plan.planner import conjuncts

        vt = self.vt
        inner = vt.inner_first
        base = inner[0].from_item
        node = plan_rel(RelItem(vt.base_rt, vt.base_rel, self.width + 2,
                                list(getattr(base, "children", None) or [])),
                        conjuncts(inner[0].query.where))
        for k, (lvl, fns, layout) in enumerate(self.levels):
            if k > 0 and lvl.query.where is not None:
                node = Filter(node, compile_expr(lvl.query.where, node.layout))
            node = ViewExtend(node, fns, layout)
        return node

    def check_options(self, values: tuple, tid: Any, ctx: Any, rel: Any) -> None:
        """WITH CHECK OPTION of every level that has one, innermost first."""
        if not self.wco:
            return
        from tuskdb.sql.execute.modify import format_row

        row = (*values, tid, rel.oid)
        row = row + self.extend(row, ctx)
        for name, qual in self.wco:
            if qual(row, ctx) is not True:
                raise PgError(CHECK_OPTION_VIOLATION, f'new row violates check option for view '
                              f'"{name}"',
                              detail=f"Failing row contains {format_row(rel, values, ctx)}.")


__all__ = ["ViewExtend", "ViewPlan"]
