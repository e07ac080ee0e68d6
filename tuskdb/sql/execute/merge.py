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
        if self.view is None and self.rel.relkind == "r":
            from tuskdb.sql.execute.replident import check_cmd_replica_identity
            for a in self.actions:
                if a.command in ("UPDATE", "DELETE"):
                    check_cmd_replica_identity(ctx.session, self.rel, a.command)
        if self.source is None:
            return 0, []
        rel = self.rel
        self.ri = RIChecker(ctx) if rel.fkeys or rel.referenced_by or any(
            c.fkeys or c.referenced_by for c, _ in self.children.values()) else None
        self._targets = {}
        self._leaves = {}
        self._routed_counts = {}
        out: list[tuple] = []
        counts = {"INSERT": 0, "UPDATE": 0, "DELETE": 0}
        heap = None             # each row's own table: ModifyTable._target
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
        for leaf, k in self._routed_counts.values():
            ctx.session.note_insert(leaf, k)
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
        if self.router is not None:         # a partitioned target: route the row
            self._check_row(values, ctx)
            ctx.merge_action = "INSERT"
            try:
                self.insert_routed_row(values, ctx, out, row[self.width + 2:])
            finally:
                ctx.merge_action = None
            counts["INSERT"] += 1
            return
        self._check_row(values, ctx)
        if self.partcheck is not None:
            self._check_partition(values, ctx)
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
            mt, heap, attmap = self._target(row[width + 1], ctx)
            if a.command == "UPDATE":
                values = tuple([f(row, ctx) for f in a.newvals])
                if self.generated:
                    values = self._generate(values, ctx)
                new = values
                if attmap is not None:      # a row of a descendant table: its own shape
                    cur = heap.fetch(ctx.snapshot, tid)
                    if cur is None:
                        return
                    new = list(cur)
                    for i, m in enumerate(attmap):
                        if m is not None:
                            new[m] = values[i]
                    new = tuple(new)
                    if mt.generated:
                        new = mt._generate(new, ctx)
                if self.router is not None:
                    if self.partcheck is not None:
                        self._check_partition(values, ctx)
                    leaf = self.router.route(values, ctx)[0]
                    if leaf.oid != mt.rel.oid:
                        # the new row belongs to another partition: delete, then route
                        res = heap.delete(txn, tid)
                        if res.status == TM.Ok:
                            ctx.merge_action = "UPDATE"
                            try:
                                self.insert_routed_row(values, ctx, out, row[width + 2:])
                            finally:
                                ctx.merge_action = None
                            counts["UPDATE"] += 1
                            return
                        row = self._concurrent(res, heap, ctx, row, actions, attmap,
                                               mt.rel.oid)
                        if row is None:
                            return
                        continue
                elif self.partcheck is not None and mt is self:
                    self._check_partition(values, ctx)
                mt._check_row(new, ctx)
                res = heap.update(txn, tid, mt._stored(new),
                                  keys_updated=mt._keys_changed(cur if attmap is not None
                                                                else old, new))
                if res.status == TM.Ok:
                    mt._index_insert(new, res.new_tid, ctx)
                    if self.view is not None:
                        self.view.check_options(values, res.new_tid, ctx, self.rel)
                    if self.ri is not None:
                        oldrow = cur if attmap is not None else old
                        self.ri.child_row(mt.rel, new, oldrow)
                        self.ri.parent_row(mt.rel, oldrow, new)
                    self._emit("UPDATE", values, res.new_tid, row, ctx, out)
                    counts["UPDATE"] += 1
                    return
            else:
                oldrow = old
                if attmap is not None and self.ri is not None and mt.rel.referenced_by:
                    oldrow = heap.fetch(ctx.snapshot, tid) or old
                res = heap.delete(txn, tid)
                if res.status == TM.Ok:
                    if self.ri is not None and mt.rel.referenced_by:
                        self.ri.parent_row(mt.rel, oldrow, None)
                    self._emit("DELETE", old, tid, row, ctx, out)
                    counts["DELETE"] += 1
                    return
            row = self._concurrent(res, heap, ctx, row, actions, attmap, mt.rel.oid)
            if row is None:
                return
            if row[width] is None:          # no longer matched: the source row is new
                self._insert_row(row, ctx, out, counts)
                return

    def _concurrent(self, res: Any, heap: Any, ctx: Any, row: tuple,
                    actions: list[CompiledAction], attmap: Any = None,
                    toid: int | None = None) -> tuple | None:
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
        if attmap is not None:      # a descendant's row: back to the target's shape
            values = tuple(values[m] if m is not None else None for m in attmap)
        nview = self.view.nview if self.view is not None else 0
        base = (*values, tid, self.rel.oid if toid is None else toid)
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


__all__ = ["CompiledAction", "MergeTable"]
