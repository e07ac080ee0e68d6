"""ModifyTable: INSERT, UPDATE and DELETE against a heap and its indexes.

UPDATE/DELETE in READ COMMITTED follow PostgreSQL's EvalPlanQual: when the
row version we found was updated by a transaction that committed meanwhile
(heap reports Updated), fetch the newest version through t_ctid, re-check the
WHERE clause on it and, if it still qualifies, apply the change to it.

    ModifyTable.run(ctx)
      INSERT: source rows → fill defaults → NOT NULL / CHECK → heap.insert
              → index inserts (unique check in the B-tree)
      UPDATE: scan (quals) → new values → CHECK → heap.update
              → on Updated: fetch_latest, recheck, retry → index inserts
      DELETE: scan (quals) → heap.delete → on Updated: fetch_latest, recheck, retry
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.access import TM, DuplicateKey
from tuskdb.errors import (
    CARDINALITY_VIOLATION,
    CHECK_VIOLATION,
    FEATURE_NOT_SUPPORTED,
    NOT_NULL_VIOLATION,
    SERIALIZATION_FAILURE,
    UNIQUE_VIOLATION,
    PgError,
)
from tuskdb.sql.execute.replident import check_cmd_replica_identity
from tuskdb.sql.execute.nodes import PlanNode
from tuskdb.sql.execute.indexkeys import index_key
from tuskdb.sql.execute.exclusion import check_exclusion, find_exclusion_conflict
from tuskdb.sql.execute.ri import RIChecker


def format_row(rel: Any, values: tuple, ctx: Any) -> str:
    out = []
    for col, v in zip(rel.columns, values):
        if col.dropped:
            continue
        out.append("null" if v is None else types.TYPES[col.type_oid].output(v, ctx.types))
    return "(" + ", ".join(out) + ")"


def _visible_columns(rel: Any, ctx: Any, modified: Any) -> list[int] | None:
    """The columns an error may show the current user (ExecBuildSlotValueDescription):
    all (None) with SELECT on the table, else those it may SELECT or is writing."""
    s = getattr(ctx, "session", None)
    if s is None or not hasattr(s, "_role_facts"):
        return None
    cat = s.catalog()
    uid, is_super = s._role_facts(cat)
    if is_super:
        return None
    from tuskdb.catalog import aclchk
    if aclchk.pg_class_aclcheck(cat, rel, uid, "r"):
        return None
    mods = modified or ()
    return [i for i, c in enumerate(rel.columns) if not c.dropped and
            (i in mods or aclchk.pg_attribute_aclcheck(cat, rel, i + 1, uid, "r"))]


def row_detail(rel: Any, values: tuple, ctx: Any, mt: Any = None) -> str | None:
    """'Failing row contains (...).', restricted to what the user may see (no DETAIL
    when that is nothing)."""
    cols = _visible_columns(rel, ctx, getattr(mt, "modified_cols", None))
    if cols is None:
        return f"Failing row contains {format_row(rel, values, ctx)}."
    if not cols:
        return None
    names = ", ".join(rel.columns[i].name for i in cols)
    vals = ", ".join("null" if values[i] is None else
                     types.TYPES[rel.columns[i].type_oid].output(values[i], ctx.types)
                     for i in cols)
    return f"Failing row contains ({names}) = ({vals})."


def key_detail_visible(rel: Any, attnums: Any, ctx: Any) -> bool:
    """A unique violation shows its key only to who may SELECT those columns."""
    cols = _visible_columns(rel, ctx, ())
    return cols is None or all(a - 1 in cols for a in attnums if a > 0)


_UNSET = object()


class ModifyTable:
    def __init__(self, kind: str, rel: Any, source: PlanNode | None, fill: Any,
                 checks: list[tuple[str, Any]], returning: list[Any] | None,
                 qual: Any = None, newvals: Any = None) -> None:
        self.kind = kind
        self.rel = rel
        self.source = source          # INSERT: rows to insert; UPDATE/DELETE: target rows
        self.fill = fill              # INSERT: source row -> full values tuple
        self.checks = checks          # (name, compiled over (values..., tid))
        self.returning = returning    # compiled over (values..., tid)
        self.qual = qual              # UPDATE/DELETE: recheck for EvalPlanQual
        self.newvals = newvals        # UPDATE: old row -> new values tuple
        self.notnull = [i for i, c in enumerate(rel.columns) if c.notnull and not c.dropped]
        # columns of unique keys ("key" columns for row locks); any column for an
        # expression index
        self.key_columns = sorted(
            {a - 1 for ix in rel.indexes if ix.unique for a in ix.attnums if a} |
            ({i for i in range(len(rel.columns))}
             if any(ix.unique and ix.exprs for ix in rel.indexes) else set()))
        self.on_conflict: Any = None
        self.view: Any = None         # plan.viewmodify.ViewPlan: target is an updatable view
        self.returning_base: int | None = None   # RETURNING OLD/NEW: where they start
        self.returning_width = 0
        self.conflict_set: list[Any] = []
        self.conflict_where: Any = None
        # UPDATE/DELETE of an inheritance tree: child oid -> (RelationInfo, attmap);
        # the source then yields parent-shaped rows whose tableoid names the child
        self.children: dict[int, tuple[Any, tuple]] = {}
        self.generated: list[tuple[int, Any, bool]] = []
        self.virtual: list[int] = []
        self.router: Any = None       # PartitionRouter of a partitioned target
        self.partcheck: Any = None    # PartitionCheck of a target that is a partition
        self._leaves: dict[int, tuple] = {}
        self._routed_counts: dict[int, tuple] = {}
        self.pruned_all = False
        self.rls_deny = False          # INSERT into a table row security closes

    def set_generated(self, generated: list[tuple[int, Any, bool]]) -> None:
        """Generated columns: (column, compiled expression over the new row, stored?)."""
        self.generated = generated
        self.virtual = [i for i, _, stored in generated if not stored]

    def _generate(self, values: tuple, ctx: Any) -> tuple:
        """Compute the generated columns of a new row (PostgreSQL's
        ExecComputeStoredGenerated, plus the virtual ones for checks and RETURNING)."""
        vals = list(values)
        row = (*values, None, self.rel.oid)       # ctid, tableoid
        for i, f, _ in self.generated:
            vals[i] = f(row, ctx)
        return tuple(vals)

    def _stored(self, values: tuple) -> tuple:
        """The values to store: virtual generated columns are stored as NULL."""
        if not self.virtual:
            return values
        vals = list(values)
        for i in self.virtual:
            vals[i] = None
        return tuple(vals)

    def run(self, ctx: Any) -> tuple[int, list[tuple]]:
        rel = self.rel
        self.ri = RIChecker(ctx) if rel.fkeys or rel.referenced_by or any(
            c.fkeys or c.referenced_by for c, _ in self.children.values()) or any(
            ix.deferrable for ix in rel.indexes) else None
        self._targets: dict[int, tuple] = {}
        self._leaves = {}
        self._routed_counts = {}
        if self.kind == "INSERT" and self.on_conflict is not None and \
                self.on_conflict.action == "UPDATE" and rel.relkind == "r":
            check_cmd_replica_identity(ctx.session, rel, "UPDATE")
        if self.kind != "INSERT" and self.view is None:
            # CheckValidResultRel: the target and the inheritance children it reaches
            # (partitions are checked when a row of theirs is reached)
            if rel.relkind == "r":
                check_cmd_replica_identity(ctx.session, rel, self.kind)
            for child, _ in self.children.values():
                if child.relkind == "r" and (child.partbound is None
                                             or not self.pruned_all):
                    check_cmd_replica_identity(ctx.session, child, self.kind)
        if self.kind == "INSERT":
            out = self._insert(ctx)
        elif self.kind == "UPDATE":
            out = self._update(ctx)
        else:
            out = self._delete(ctx)
        if self.ri is not None and self.ri.pending:
            ctx.txn.command_counter_increment()
            self.ri.finish()
        return out

    # -- constraints ---------------------------------------------------------------

    def _keys_changed(self, old: tuple, new: tuple) -> bool:
        """Did the update change a column of a unique index (a "key" for row locks)?"""
        for i in self.key_columns:
            if old[i] != new[i]:
                return True
        return False

    def _check_row(self, values: tuple, ctx: Any) -> None:
        rel = self.rel
        if self.rls_deny:
            # row security with no policy admits no new row (checked before constraints)
            from tuskdb.sql.rewrite.rowsecurity import new_row_violation
            raise new_row_violation(rel)
        for i in self.notnull:
            if values[i] is None:
                col = rel.columns[i]
                raise PgError(NOT_NULL_VIOLATION, f'null value in column "{col.name}" of '
                              f'relation "{rel.name}" violates not-null constraint',
                              detail=row_detail(rel, values, ctx, self),
                              schema_name=rel.nspname, table_name=rel.name,
                              column_name=col.name)
        if self.checks:
            row = (*values, None, rel.oid)     # CHECK may read tableoid
            for name, check in self.checks:
                if check(row, ctx) is False:
                    raise PgError(CHECK_VIOLATION, f'new row for relation "{rel.name}" violates '
                                  f'check constraint "{name}"',
                                  detail=row_detail(rel, values, ctx, self),
                                  schema_name=rel.nspname, table_name=rel.name,
                                  constraint_name=name)

    def _index_insert(self, values: tuple, tid: Any, ctx: Any) -> None:
        rel = self.rel
        for ix in rel.indexes:
            ik = index_key(rel, ix, ctx.session)
            if ik.pred is not None and not ik.pred(values, ctx):
                continue
            keyvals = ik.fn(values, ctx)
            ktypes = ik.types
            key = types.encode_key(keyvals, ktypes, ix.descending, ix.nulls_first)
            if ix.exclusion_ops:
                heap = ctx.heap(rel)
                if ix.deferrable:
                    self._defer_exclusion(rel, ix, tid, ctx)
                else:
                    check_exclusion(rel, ix, values, tid, ctx, heap)
                ctx.btree(ix).insert(ctx.txn, key, tid, unique=False, heap=heap)
                continue
            unique = ix.unique and (ix.nulls_not_distinct or None not in keyvals)
            if unique and ix.deferrable:
                # a DEFERRABLE unique constraint: duplicates may exist until the end of
                # the statement (or the commit); checked then (execute/ri.run_checks)
                ctx.btree(ix).insert(ctx.txn, key, tid, unique=False, heap=ctx.heap(rel))
                if getattr(self, "ri", None) is None:
                    self.ri = RIChecker(ctx)
                self.ri.queue_unique(rel, ix, ik.names, keyvals, ktypes, key)
                continue
            try:
                ctx.btree(ix).insert(ctx.txn, key, tid, unique=unique, heap=ctx.heap(rel))
            except DuplicateKey:
                cols = ", ".join(ik.names)
                vals = ", ".join("null" if v is None else
                                 types.TYPES[t].output(v, ctx.types)
                                 for v, t in zip(keyvals, ktypes))
                raise PgError(UNIQUE_VIOLATION, f'duplicate key value violates unique '
                              f'constraint "{ix.constraint_name or ix.name}"',
                              detail=f"Key ({cols})=({vals}) already exists."
                              if key_detail_visible(rel, ix.attnums, ctx) else None,
                              schema_name=rel.nspname, table_name=rel.name,
                              constraint_name=ix.constraint_name or ix.name) from None

    def _defer_exclusion(self, rel: Any, ix: Any, tid: Any, ctx: Any) -> None:
        """A deferrable exclusion constraint is checked at COMMIT when deferred, else when
        the statement ends (with the foreign-key checks: ri.run_checks)."""
        item = ("exclusion", ix, (rel.oid, tid))
        session = ctx.session
        modes = session.constraint_modes
        name = ix.constraint_name or ix.name
        deferred = modes[name] if name in modes else modes.get("*", ix.deferred)
        if deferred:
            session.deferred_checks.append(item)
            return
        if getattr(self, "ri", None) is None:
            # a child table's row under a parent's statement: checked now
            check_exclusion(rel, ix, ctx.heap(rel).fetch(ctx.txn.snapshot(), tid), tid, ctx,
                            ctx.heap(rel))
            return
        self.ri.pending.append(item)

    def _returning(self, values: tuple, tid: Any, ctx: Any, out: list[tuple],
                   rest: tuple = (), tableoid: int | None = None, old: Any = _UNSET,
                   new: Any = _UNSET, old_tid: Any = None) -> None:
        if self.returning is not None:
            toid = self.rel.oid if tableoid is None else tableoid
            if self.view is not None and self.kind != "DELETE":
                # the view's columns of the new row, then the FROM items' columns
                rest = self.view.extend((*values, tid, toid), ctx) + \
                    tuple(rest[self.view.nview:])
            row = (*values, tid, toid, *rest)
            if self.returning_base is not None:
                row = self._old_new(row, values, toid, old, new, ctx, tid, old_tid)
            out.append(tuple(f(row, ctx) for f in self.returning))

    def _old_new(self, row: tuple, values: tuple, toid: int, old: Any, new: Any, ctx: Any,
                 tid: Any, old_tid: Any) -> tuple:
        """RETURNING OLD/NEW (analyze/returning.py): append the old and the new row, each
        with an "exists" flag, after the columns RETURNING already sees."""
        if old is _UNSET:
            old = values if self.kind == "DELETE" else None
            old_tid = tid if self.kind == "DELETE" else old_tid
        if new is _UNSET:
            new = None if self.kind == "DELETE" else values
        base = self.returning_base
        row = row[:base] + (None,) * (base - len(row))
        n = self.returning_width
        for vals, vtid in ((old, old_tid), (new, tid)):
            if vals is None:
                row += (None,) * (n + 2) + (False,)
            elif self.view is not None:
                ext = self.view.extend((*vals, None, toid), ctx)
                row += tuple(ext[len(ext) - n:]) + (None, None, True)
            else:
                row += tuple(vals[:n]) + (vtid, toid, True)
        return row

    # -- the three commands --------------------------------------------------------------

    def _insert(self, ctx: Any) -> tuple[int, list[tuple]]:
        if self.router is not None:
            return self._insert_routed(ctx)
        heap = ctx.heap(self.rel)
        txn = ctx.txn
        fill = self.fill
        out: list[tuple] = []
        n = 0
        oc = self.on_conflict
        touched: set = set()
        gen = self.generated
        for src in self.source.rows(ctx):
            values = fill(src, ctx)
            if gen:
                values = self._generate(values, ctx)
            if oc is not None:
                done = self._on_conflict(values, ctx, heap, out, touched)
                if done is not None:
                    n += done
                    continue
            self._check_row(values, ctx)
            if self.partcheck is not None:
                self._check_partition(values, ctx)
            tid = heap.insert(txn, self._stored(values))
            self._index_insert(values, tid, ctx)
            if self.view is not None:
                self.view.check_options(values, tid, ctx, self.rel)
            if oc is not None:
                touched.add((self.rel.oid, tid))
            if self.ri is not None:
                self.ri.child_row(self.rel, values)
            self._returning(values, tid, ctx, out)
            n += 1
        ctx.session.note_insert(self.rel, n)
        return n, out

    # -- partitioned tables ------------------------------------------------------------

    def _check_partition(self, values: tuple, ctx: Any, rel: Any = None) -> None:
        if not self.partcheck.ok(values, ctx):
            rel = rel or self.rel
            raise PgError(CHECK_VIOLATION, f'new row for relation "{rel.name}" violates '
                          f"partition constraint",
                          detail=row_detail(rel, values, ctx, self),
                          schema_name=rel.nspname, table_name=rel.name)

    def _leaf(self, leaf: Any, ctx: Any) -> tuple[Any, Any]:
        """(ModifyTable, heap) of a partition rows are routed to."""
        t = self._leaves.get(leaf.oid)
        if t is None:
            mt = ModifyTable("INSERT", leaf, None, None, _checks_for(ctx, leaf), None)
            if self.ri is None and any(ix.deferrable for ix in leaf.indexes):
                self.ri = RIChecker(ctx)        # its deferrable keys are checked at the end
            mt.ri = self.ri
            t = (mt, ctx.heap(leaf))
            self._leaves[leaf.oid] = t
        return t

    def insert_routed_row(self, values: tuple, ctx: Any, out: list[tuple],
                          rest: tuple = ()) -> Any:
        """Insert a row of the target's shape into the partition that accepts it."""
        if self.partcheck is not None:
            self._check_partition(values, ctx)
        leaf, lv = self.router.route(values, ctx)
        mt, heap = self._leaf(leaf, ctx)
        try:
            mt._check_row(lv, ctx)
        except PgError as err:
            # PostgreSQL shows the row in the columns of the table named in the statement
            if err.sqlstate in (NOT_NULL_VIOLATION, CHECK_VIOLATION):
                err.detail = row_detail(self.rel, values, ctx, self)
            raise
        tid = heap.insert(ctx.txn, lv)
        mt._index_insert(lv, tid, ctx)
        if self.view is not None:
            self.view.check_options(values, tid, ctx, self.rel)
        if self.ri is not None and leaf.fkeys:
            self.ri.child_row(leaf, lv)
        self._returning(values, tid, ctx, out, rest, leaf.oid)
        self._routed_counts[leaf.oid] = self._routed_counts.get(leaf.oid, (leaf, 0))
        self._routed_counts[leaf.oid] = (leaf, self._routed_counts[leaf.oid][1] + 1)
        return tid

    def _insert_routed(self, ctx: Any) -> tuple[int, list[tuple]]:
        out: list[tuple] = []
        n = 0
        oc = self.on_conflict
        touched: set = set()
        for src in self.source.rows(ctx):
            values = self.fill(src, ctx)
            if oc is not None:
                # the partition's indexes descending from the arbiters decide
                if self.partcheck is not None:
                    self._check_partition(values, ctx)
                leaf, lv = self.router.route(values, ctx)
                mt, heap = self._leaf(leaf, ctx)
                done = self._on_conflict(values, ctx, heap, out, touched,
                                         (mt, leaf, lv, *self._leaf_conflict(leaf, ctx)))
                if done is not None:
                    n += done
                    continue
                touched.add((leaf.oid, self.insert_routed_row(values, ctx, out)))
            else:
                self.insert_routed_row(values, ctx, out)
            n += 1
        for leaf, k in self._routed_counts.values():
            ctx.session.note_insert(leaf, k)
        return n, out

    def _leaf_conflict(self, leaf: Any, ctx: Any) -> tuple[list, tuple, tuple]:
        """(arbiters, parent→leaf column map, leaf→parent column map) of a partition an
        INSERT ... ON CONFLICT routes to: its indexes attached (at any depth) to the
        parent's arbiter indexes."""
        key = ("conflict", leaf.oid)
        t = self._leaves.get(key)
        if t is None:
            from tuskdb.catalog.rows import COLUMN_POS
            cat = ctx.session.catalog()
            pos = COLUMN_POS["pg_inherits"]["inhparent"]
            want = {ix.oid for ix in self.on_conflict.arbiters}
            arbiters = []
            for ix in leaf.indexes:
                oid, seen = ix.oid, set()
                while oid not in want and oid not in seen:
                    seen.add(oid)
                    rows = cat.find("pg_inherits", inhrelid=oid)
                    if not rows:
                        break
                    oid = rows[0][1][pos]
                if oid in want:
                    arbiters.append(ix)
            names = {c.name: j for j, c in enumerate(leaf.columns) if not c.dropped}
            to_leaf = tuple(None if c.dropped else names.get(c.name) for c in self.rel.columns)
            pnames = {c.name: i for i, c in enumerate(self.rel.columns) if not c.dropped}
            to_parent = tuple(None if c.dropped else pnames.get(c.name) for c in leaf.columns)
            t = (arbiters, to_leaf, to_parent)
            self._leaves[key] = t
        return t

    def _on_conflict(self, values: tuple, ctx: Any, heap: Any, out: list[tuple],
                     touched: set, leaf: tuple | None = None) -> int | None:
        """INSERT ... ON CONFLICT: None to go on inserting, else the rows affected (0/1).
        ``leaf``: (ModifyTable, relation, row in its shape, arbiters, parent→leaf map,
        leaf→parent map) of the partition a partitioned table's row goes to.

        Under the engine latch the check and the insert that follows it are atomic
        (no wait in between), which is what PostgreSQL's speculative insertion buys."""
        oc = self.on_conflict
        if leaf is None:
            mt, rel, lvalues, arbiters = self, self.rel, values, oc.arbiters
        else:
            mt, rel, lvalues, arbiters, to_leaf, to_parent = leaf
        while True:
            existing = 0
            for ix in arbiters:
                if ix.deferrable:
                    raise PgError("55000", "ON CONFLICT does not support deferrable unique "
                                  "constraints/exclusion constraints as arbiters",
                                  schema_name=rel.nspname, table_name=rel.name,
                                  constraint_name=ix.constraint_name or ix.name)
                ik = index_key(rel, ix, ctx.session)
                if ik.pred is not None and not ik.pred(lvalues, ctx):
                    continue
                if ix.exclusion_ops:
                    existing = find_exclusion_conflict(rel, ix, lvalues, ctx, heap)
                    if existing:
                        break
                    continue
                keyvals = ik.fn(lvalues, ctx)
                if None in keyvals and not ix.nulls_not_distinct:
                    continue
                ktypes = ik.types
                key = types.encode_key(keyvals, ktypes, ix.descending, ix.nulls_first)
                existing = ctx.btree(ix).find_conflict(ctx.txn, key, heap)
                if existing:
                    break
            if not existing:
                return None
            if oc.action == "NOTHING":
                return 0
            if (rel.oid, existing) in touched:      # (TIDs are per relation)
                raise PgError(CARDINALITY_VIOLATION, "ON CONFLICT DO UPDATE command cannot "
                              "affect row a second time",
                              hint="Ensure that no rows proposed for insertion within the same "
                                   "command have duplicate constrained values.")
            res = heap.lock_tuple(ctx.txn, existing, 4)       # LockTupleExclusive
            if res.status == TM.Updated or res.status == TM.Deleted:
                if ctx.isolation != "read committed":
                    raise PgError(SERIALIZATION_FAILURE, "could not serialize access due to "
                                  "concurrent update")
                continue                                      # look again
            # (Invisible: a version this command wrote, as PostgreSQL's ExecOnConflictUpdate)
            if (rel.oid, existing) in touched or \
                    res.status in (TM.SelfModified, TM.Invisible):
                raise PgError(CARDINALITY_VIOLATION, "ON CONFLICT DO UPDATE command cannot "
                              "affect row a second time",
                              hint="Ensure that no rows proposed for insertion within the same "
                                   "command have duplicate constrained values.")
            tup = heap.get_tuple(existing)
            lold = old = tuple(tup.values)
            if leaf is not None:
                old = tuple(None if m is None else lold[m] for m in to_leaf)
            row = (*old, existing, rel.oid, *values) if self.view is None else \
                self.view.conflict_row(old, existing, rel.oid, values, ctx)
            if self.conflict_where is not None and self.conflict_where(row, ctx) is not True:
                return 0
            new = tuple(f(row, ctx) for f in self.conflict_set)
            if self.generated:
                new = self._generate(new, ctx)
            lnew = new
            if leaf is not None:
                if self.partcheck is not None:
                    self._check_partition(new, ctx)
                dest, lnew = self.router.route(new, ctx)
                if dest.oid != rel.oid:
                    raise PgError(FEATURE_NOT_SUPPORTED, "invalid ON UPDATE specification",
                                  detail="The result tuple would appear in a different "
                                         "partition than the original tuple.")
            mt._check_row(lnew, ctx)
            res = heap.update(ctx.txn, existing, mt._stored(lnew),
                              keys_updated=mt._keys_changed(lold, lnew))
            if res.status == TM.SelfModified:
                # the SET expressions' evaluation (a data-modifying WITH read by a
                # sub-SELECT) already changed the row in this command: left alone, as
                # PostgreSQL's ExecUpdate does
                return 0
            if res.status != TM.Ok:
                continue
            touched.add((rel.oid, res.new_tid))
            mt._index_insert(lnew, res.new_tid, ctx)
            if self.view is not None:
                self.view.check_options(new, res.new_tid, ctx, rel)
            if self.ri is not None:
                self.ri.child_row(rel, lnew, lold)
                self.ri.parent_row(rel, lold, lnew)
            if leaf is None:
                self._returning(new, res.new_tid, ctx, out, old=old, old_tid=existing)
            else:
                self._returning(new, res.new_tid, ctx, out, (), rel.oid, old=old,
                                old_tid=existing)
            return 1

    def _target(self, oid: int, ctx: Any) -> tuple[Any, Any, tuple | None]:
        """(ModifyTable for the relation, its heap, attmap or None) of a row's table."""
        t = self._targets.get(oid)
        if t is None:
            if oid == self.rel.oid or oid not in self.children:
                t = (self, ctx.heap(self.rel), None)
            else:
                child, attmap = self.children[oid]
                if child.partbound is not None and self.kind != "INSERT":
                    check_cmd_replica_identity(ctx.session, child, self.kind)
                mt = ModifyTable(self.kind, child, None, None, _checks_for(ctx, child), None)
                mt.ri = self.ri
                t = (mt, ctx.heap(child), attmap)
            self._targets[oid] = t
        return t

    def _update(self, ctx: Any) -> tuple[int, list[tuple]]:
        txn = ctx.txn
        out: list[tuple] = []
        counts: dict[int, list] = {self.rel.oid: [self.rel, 0]}
        n = 0
        width = len(self.rel.columns)
        for row in self.source.rows(ctx):
            tid = row[width]
            mt, heap, attmap = self._target(row[width + 1], ctx)
            while True:
                values = self.newvals(row, ctx)
                if attmap is None:
                    new = values
                    old = row[:width]
                else:
                    old = heap.fetch(ctx.snapshot, tid)
                    if old is None:
                        break
                    new = list(old)
                    for i, m in enumerate(attmap):
                        if m is not None:
                            new[m] = values[i]
                    new = tuple(new)
                if mt.generated:
                    new = mt._generate(new, ctx)
                    if attmap is None:
                        values = new
                if self.router is not None:
                    if self.partcheck is not None:
                        self._check_partition(values, ctx)
                    leaf = self.router.route(values, ctx)[0]
                    if leaf.oid != mt.rel.oid:
                        # the new row belongs to another partition: delete, then route
                        res = heap.delete(txn, tid)
                        if res.status == TM.Ok:
                            if self.ri is not None and mt.rel.referenced_by:
                                self.ri.parent_row(mt.rel, old, None)
                            self.insert_routed_row(values, ctx, out, row[width + 2:])
                            n += 1
                            break
                        row = self._next_version(res, heap, ctx, row, "update", attmap)
                        if row is None:
                            break
                        tid = row[width]
                        continue
                elif self.partcheck is not None and mt is self:
                    mt._check_row(new, ctx)
                    self._check_partition(values, ctx)
                try:
                    mt._check_row(new, ctx)
                except PgError as err:
                    # a partition's row is shown in the columns of the table named
                    if mt is not self and err.sqlstate in (NOT_NULL_VIOLATION,
                                                           CHECK_VIOLATION):
                        err.detail = row_detail(self.rel, values, ctx, self)
                    raise
                res = heap.update(txn, tid, mt._stored(new),
                                  keys_updated=mt._keys_changed(old, new))
                status = res.status
                if status == TM.Ok:
                    mt._index_insert(new, res.new_tid, ctx)
                    if self.view is not None:
                        self.view.check_options(values, res.new_tid, ctx, self.rel)
                    if self.ri is not None:
                        self.ri.child_row(mt.rel, new, old)
                        self.ri.parent_row(mt.rel, old, new)
                    self._returning(values, res.new_tid, ctx, out, row[width + 2:],
                                    row[width + 1], old=row[:width], old_tid=tid)
                    counts.setdefault(mt.rel.oid, [mt.rel, 0])[1] += 1
                    n += 1
                    break
                row = self._next_version(res, heap, ctx, row, "update", attmap)
                if row is None:
                    break
                tid = row[width]
        for r, k in counts.values():
            ctx.session.note_update(r, k)
        return n, out

    def _delete(self, ctx: Any) -> tuple[int, list[tuple]]:
        txn = ctx.txn
        out: list[tuple] = []
        counts: dict[int, list] = {self.rel.oid: [self.rel, 0]}
        n = 0
        width = len(self.rel.columns)
        for row in self.source.rows(ctx):
            tid = row[width]
            mt, heap, attmap = self._target(row[width + 1], ctx)
            while True:
                old = None
                if attmap is not None and self.ri is not None and mt.rel.referenced_by:
                    old = heap.fetch(ctx.snapshot, tid)
                res = heap.delete(txn, tid)
                status = res.status
                if status == TM.Ok:
                    if self.ri is not None and mt.rel.referenced_by:
                        self.ri.parent_row(mt.rel, row[:width] if old is None else old, None)
                    self._returning(row[:width], tid, ctx, out, row[width + 2:],
                                    row[width + 1])
                    counts.setdefault(mt.rel.oid, [mt.rel, 0])[1] += 1
                    n += 1
                    break
                row = self._next_version(res, heap, ctx, row, "delete", attmap)
                if row is None:
                    break
                tid = row[width]
        for r, k in counts.values():
            ctx.session.note_delete(r, k)
        return n, out

    def _next_version(self, res: Any, heap: Any, ctx: Any, row: tuple, verb: str,
                      attmap: tuple | None = None) -> tuple | None:
        """After an update/delete that did not succeed: the row version to try again
        (READ COMMITTED re-check of a concurrent update), or None to skip the row."""
        status = res.status
        if status == TM.Deleted and ctx.isolation != "read committed":
            raise PgError(SERIALIZATION_FAILURE, "could not serialize access due to concurrent "
                          "delete")
        if status in (TM.SelfModified, TM.Deleted, TM.Invisible):
            return None
        if status == TM.Updated:
            return self._recheck(heap, res, ctx, row, attmap)
        raise PgError(SERIALIZATION_FAILURE, f"could not serialize access due to concurrent "
                      f"{verb}")

    def _recheck(self, heap: Any, res: Any, ctx: Any, old_row: tuple,
                 attmap: tuple | None = None) -> tuple | None:
        """EvalPlanQual: the newest version of a concurrently updated row, if it still
        satisfies the WHERE clause."""
        if ctx.isolation != "read committed":
            raise PgError(SERIALIZATION_FAILURE, "could not serialize access due to concurrent "
                          "update")
        latest = heap.fetch_latest(ctx.txn, res.ctid)
        if latest is None:
            return None
        tid, values = latest
        width = len(self.rel.columns)
        if attmap is not None:
            values = tuple(None if m is None else values[m] for m in attmap)
        row = (*values, tid, old_row[width + 1]) + old_row[width + 2:]
        if self.view is not None:       # recompute the view's columns from the new version
            base = (*values, tid, old_row[width + 1])
            row = base + self.view.extend(base, ctx) + old_row[width + 2 + self.view.nview:]
        if self.qual is not None and self.qual(row, ctx) is not True:
            return None
        return row


def _checks_for(ctx: Any, rel: Any) -> list[tuple[str, Any]]:
    from tuskdb.sql.analyze.dml import rel_checks
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.expr import compile_expr

    if not rel.checks:
        return []
    state = AnalyzeState(ctx.session.catalog(), ctx.session, [], None, "")
    layout = {(1, i): i for i in range(len(rel.columns) + 2)}
    return [(n, compile_expr(e, layout)) for n, e in rel_checks(rel, 1, state)]


def _generated_for(ctx: Any, rel: Any) -> list[tuple[int, Any, bool]]:
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.commands.generated import generation_exprs
    from tuskdb.sql.expr import compile_expr

    state = AnalyzeState(ctx.session.catalog(), ctx.session, [], None, "")
    layout = {(1, i): i for i in range(len(rel.columns) + 2)}     # ctid, tableoid
    return [(i, compile_expr(e, layout), rel.columns[i].generated == "s")
            for i, e in generation_exprs(rel, 1, state)
            if rel.columns[i].generated == "s" or rel.columns[i].notnull]


def delete_row(ctx: Any, rel: Any, tid: Any, values: tuple, ri: RIChecker) -> None:
    """A row deleted by ON DELETE CASCADE (and what cascades from it)."""
    res = ctx.heap(rel).delete(ctx.txn, tid)
    if res.status == TM.Ok and rel.referenced_by:
        ri.parent_row(rel, values, None)


def update_row(ctx: Any, rel: Any, tid: Any, old: tuple, new: tuple, ri: RIChecker) -> None:
    """A row changed by ON UPDATE CASCADE / SET NULL / SET DEFAULT."""
    mt = ModifyTable("UPDATE", rel, None, None, _checks_for(ctx, rel), None)
    if any(c.generated for c in rel.columns):
        mt.set_generated(_generated_for(ctx, rel))
        new = mt._generate(new, ctx)
    mt._check_row(new, ctx)
    res = ctx.heap(rel).update(ctx.txn, tid, mt._stored(new))
    if res.status != TM.Ok:
        return
    mt._index_insert(new, res.new_tid, ctx)
    if rel.fkeys:
        ri.child_row(rel, new, old)
    if rel.referenced_by:
        ri.parent_row(rel, old, new)
