"""MergeTable: runs MERGE over the target/source join (plan/merge.py).

For each joined row the first action of its kind (MATCHED, NOT MATCHED [BY
TARGET], NOT MATCHED BY SOURCE) whose condition holds is applied:

    matched row ──► UPDATE / DELETE / DO NOTHING
        heap says SelfModified  → 21000 "MERGE command cannot affect row a second time"
        heap says Updated (READ COMMITTED): EvalPlanQual
            newest version gone or no longer satisfying the join condition
                → the source row is NOT MATCHED: try the NOT MATCHED actions
            still joined → choose the MATCHED action again, on the new version
    source row alone ──► INSERT / DO NOTHING
    target row alone ──► UPDATE / DELETE / DO NOTHING

The command tag counts rows inserted, updated and deleted.  RETURNING sees the
target row as changed (the old one for DELETE), the source row, and
merge_action() (ctx.merge_action).
"""

from __future__ import annotations

from typing import Any

from tuskdb.access import TM
from tuskdb.errors import CARDINALITY_VIOLATION, SERIALIZATION_FAILURE, PgError
from tuskdb.sql.execute.modify import ModifyTable
from tuskdb.sql.execute.ri import RIChecker


class CompiledAction:
    def __init__(self, match: str, command: str, condition: Any) -> None:
        self.match = match
        self.command = command
        self.condition = condition
        self.newvals: list[Any] = []      # UPDATE: per column, over the joined row
        self.fill: Any = None             # INSERT: joined row -> new values


class MergeTable(ModifyTable):
    def __init__(self, rel: Any, source: Any, checks: list, returning: Any,
                 actions: list[CompiledAction], join_qual: Any, width: int, marker: int,
                 view: Any) -> None:
        super().__init__("MERGE", rel, source, None, checks, returning)
        self.actions = actions
        self.join_qual = join_qual
        self.width = width
        self.marker = marker
        self.view = view
        self.matched = [a for a in actions if a.match == "MATCHED"]
        self.by_target = [a for a in actions if a.match == "NOT MATCHED BY TARGET"]
        self.by_source = [a for a in actions if a.match == "NOT MATCHED BY SOURCE"]

    def run(self, ctx: Any) -> tuple[int, list[tuple]]:
        if self.source is None:
            return 0, []
        rel = self.rel
        self.ri = RIChecker(ctx) if rel.fkeys or rel.referenced_by else None
        out: list[tuple] = []
        counts = {"INSERT": 0, "UPDATE": 0, "DELETE": 0}
        heap = ctx.heap(rel)
        width = self.width
        marker = self.marker
        for row in self.source.rows(ctx):
            has_target = row[width] is not None
            has_source = row[marker] is True
            if has_target and has_source:
                self._matched(row, heap, ctx, out, counts, self.matched)
            elif has_source:
                self._insert_row(row, ctx, out, counts)
            else:
                self._matched(row, heap, ctx, out, counts, self.by_source)
        for kind, n in counts.items():
            if kind == "INSERT":
                ctx.session.note_insert(rel, n)
            elif kind == "UPDATE":
                ctx.session.note_update(rel, n)
            else:
                ctx.session.note_delete(rel, n)
        if self.ri is not None and self.ri.pending:
            ctx.txn.command_counter_increment()
            self.ri.finish()
        return sum(counts.values()), out

    @staticmethod
    def _choose(actions: list[CompiledAction], row: tuple, ctx: Any) -> CompiledAction | None:
        for a in actions:
            if a.condition is None or a.condition(row, ctx) is True:
                return a
        return None

    def _emit(self, action: str, values: tuple, tid: Any, row: tuple, ctx: Any,
              out: list[tuple]) -> None:
        if self.returning is not None:
            ctx.merge_action = action
            old = None if action == "INSERT" else row[:self.width]
            new = None if action == "DELETE" else values
            try:
                self._returning(values, tid, ctx, out, row[self.width + 2:], old=old, new=new,
                                old_tid=row[self.width])
            finally:
                ctx.merge_action = None

    def _insert_row(self, row: tuple, ctx: Any, out: list[tuple], counts: dict) -> None:
        a = self._choose(self.by_target, row, ctx)
        if a is None or a.command == "NOTHING":
            return
        values = a.fill(row, ctx)
        if self.generated:
            values = self._generate(values, ctx)
        self._check_row(values, ctx)
        tid = ctx.heap(self.rel).insert(ctx.txn, self._stored(values))
        self._index_insert(values, tid, ctx)
        if self.view is not None:
            self.view.check_options(values, tid, ctx, self.rel)
        if self.ri is not None:
            self.ri.child_row(self.rel, values)
        self._emit("INSERT", values, tid, row, ctx, out)
        counts["INSERT"] += 1

    def _matched(self, row: tuple, heap: Any, ctx: Any, out: list[tuple], counts: dict,
                 actions: list[CompiledAction]) -> None:
        width = self.width
        txn = ctx.txn
        while True:
            a = self._choose(actions, row, ctx)
            if a is None or a.command == "NOTHING":
                return
            tid = row[width]
            old = row[:width]
            if a.command == "UPDATE":
                values = tuple([f(row, ctx) for f in a.newvals])
                if self.generated:
                    values = self._generate(values, ctx)
                self._check_row(values, ctx)
                res = heap.update(txn, tid, self._stored(values),
                                  keys_updated=self._keys_changed(old, values))
                if res.status == TM.Ok:
                    self._index_insert(values, res.new_tid, ctx)
                    if self.view is not None:
                        self.view.check_options(values, res.new_tid, ctx, self.rel)
                    if self.ri is not None:
                        self.ri.child_row(self.rel, values, old)
                        self.ri.parent_row(self.rel, old, values)
                    self._emit("UPDATE", values, res.new_tid, row, ctx, out)
                    counts["UPDATE"] += 1
                    return
            else:
                res = heap.delete(txn, tid)
                if res.status == TM.Ok:
                    if self.ri is not None:
                        self.ri.parent_row(self.rel, old, None)
                    self._emit("DELETE", old, tid, row, ctx, out)
                    counts["DELETE"] += 1
                    return
            row = self._concurrent(res, heap, ctx, row, actions)
            if row is None:
                return
            if row[width] is None:          # no longer matched: the source row is new
                self._insert_row(row, ctx, out, counts)
                return

    def _concurrent(self, res: Any, heap: Any, ctx: Any, row: tuple,
                    actions: list[CompiledAction]) -> tuple | None:
        """After a failed update/delete: the row to decide again, or None to skip it."""
        status = res.status
        width = self.width
        if status == TM.SelfModified:
            raise PgError(CARDINALITY_VIOLATION, "MERGE command cannot affect row a second time",
                          hint="Ensure that not more than one source row matches any one "
                               "target row.")
        if status == TM.Invisible:
            return None
        if ctx.isolation != "read committed":
            raise PgError(SERIALIZATION_FAILURE, "could not serialize access due to concurrent "
                          + ("delete" if status == TM.Deleted else "update"))
        matched = actions is self.matched
        latest = heap.fetch_latest(ctx.txn, res.ctid) if status == TM.Updated else None
        if latest is None:
            # the target row is gone: a MATCHED source row is now NOT MATCHED
            return self._without_target(row) if matched else None
        tid, values = latest
        nview = self.view.nview if self.view is not None else 0
        base = (*values, tid, self.rel.oid)
        ext = self.view.extend(base, ctx) if self.view is not None else ()
        new = base + tuple(ext) + row[width + 2 + nview:]
        if matched and self.join_qual is not None and self.join_qual(new, ctx) is not True:
            return self._without_target(row)
        return new

    def _without_target(self, row: tuple) -> tuple | None:
        if not self.by_target:
            return None
        nview = self.view.nview if self.view is not None else 0
        return (None,) * (self.width + 2 + nview) + row[self.width + 2 + nview:]


__all__ = ["MergeTable", "CompiledAction"]
