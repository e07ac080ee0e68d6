"""Referential integrity: enforcing FOREIGN KEY constraints (PostgreSQL's ri_triggers.c).

    child INSERT/UPDATE of the key   -> the referenced row must exist (locked
                                        FOR KEY SHARE so it cannot vanish)
    parent DELETE/UPDATE of the key  -> NO ACTION / RESTRICT: no referencing row
                                        may remain; CASCADE, SET NULL, SET DEFAULT:
                                        change the referencing rows

Checks of NO ACTION and of the child side run when the statement ends (or at
COMMIT for a deferred constraint), like PostgreSQL's after-row triggers;
RESTRICT and the actions run per row.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.errors import FOREIGN_KEY_VIOLATION, PgError

LOCK_TUPLE_KEY_SHARE = 1


def _fmt(vals: tuple, type_oids: list[int], ctx: Any) -> str:
    return ", ".join("null" if v is None else types.TYPES[t].output(v, ctx.types)
                     for v, t in zip(vals, type_oids))


def _key_of(values: tuple, attnums: tuple[int, ...]) -> tuple:
    return tuple(values[a - 1] for a in attnums)


class RIChecker:
    """The foreign-key work one statement queues; ``finish()`` runs what is left."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.pending: list[tuple[str, Any, tuple]] = []

    # -- queueing -------------------------------------------------------------------

    def child_row(self, rel: Any, values: tuple, old: tuple | None = None) -> None:
        for fk in rel.fkeys:
            if not fk.enforced:
                continue
            key = _key_of(values, fk.child_attnums)
            if None in key:
                if fk.match == "f" and any(v is not None for v in key):
                    raise self._match_full_error(rel, fk)
                continue
            if old is not None and _key_of(old, fk.child_attnums) == key:
                continue
            self._queue(fk, ("child", fk, key))

    def parent_row(self, rel: Any, old: tuple, new: tuple | None) -> None:
        for fk in rel.referenced_by:
            if not fk.enforced:
                continue
            key = _key_of(old, fk.parent_attnums)
            if None in key:
                continue
            if new is not None and _key_of(new, fk.parent_attnums) == key:
                continue
            action = fk.on_delete if new is None else fk.on_update
            if action == "r":
                _check_unreferenced(self.ctx, fk, key, new is None, restrict=True)
            elif action == "a":
                self._queue(fk, ("parent", fk, (key, new is None)))
            else:
                self._act(fk, action, key, new)

    def queue_unique(self, rel: Any, ix: Any, names: list[str], keyvals: tuple,
                     ktypes: list[int], key: bytes) -> None:
        """A row entered a DEFERRABLE unique index: check the key later."""
        uc = UniqueCheck(ix.constraint_name or ix.name, ix.deferred, rel.oid, ix.oid, key,
                         ", ".join(names),
                         ", ".join("null" if v is None else types.TYPES[t].output(v, self.ctx.types)
                                   for v, t in zip(keyvals, ktypes)))
        self._queue(uc, ("unique", uc, None))

    def _queue(self, fk: Any, item: tuple) -> None:
        session = self.ctx.session
        if fk.deferrable and session.constraint_deferred(fk):
            session.deferred_checks.append(item)
        else:
            self.pending.append(item)

    def finish(self) -> None:
        items, self.pending = self.pending, []
        run_checks(self.ctx, items)

    # -- checks ------------------------------------------------------------------------

    def _check_unreferenced(self, fk: Any, key: tuple, parent: Any, is_delete: bool) -> None:
        _check_unreferenced(self.ctx, fk, key, is_delete)

    def _match_full_error(self, rel: Any, fk: Any) -> PgError:
        return PgError(FOREIGN_KEY_VIOLATION, f'insert or update on table "{rel.name}" violates '
                       f'foreign key constraint "{fk.name}"',
                       detail="MATCH FULL does not allow mixing of null and nonnull key values.",
                       table_name=rel.name, constraint_name=fk.name)

    # -- actions ---------------------------------------------------------------------

    def _act(self, fk: Any, action: str, key: tuple, new: tuple | None) -> None:
        ctx = self.ctx
        cat = ctx.session.catalog()
        top = cat.relation_by_oid(fk.child)
        for child, attnums, tid, values in _referencing_leaf_rows(ctx, fk, top, key):
            if new is None and action == "c":
                from tuskdb.sql.execute.modify import delete_row
                delete_row(ctx, child, tid, values, self)
                continue
            if action == "d" and new is None:
                # SET DEFAULT back to the deleted key: the row still references it
                defaults = tuple(_column_default(ctx, child, a) for a in attnums)
                if defaults == key:
                    parent = cat.relation_by_oid(fk.parent)
                    ptypes = [parent.columns[a - 1].type_oid for a in fk.parent_attnums]
                    cols = ", ".join(parent.columns[a - 1].name for a in fk.parent_attnums)
                    raise PgError(FOREIGN_KEY_VIOLATION, f'update or delete on table '
                                  f'"{parent.name}" violates foreign key constraint '
                                  f'"{fk.name}" on table "{top.name}"',
                                  detail=f"Key ({cols})=({_fmt(key, ptypes, ctx)}) is still "
                                         f'referenced from table "{top.name}".',
                                  table_name=top.name, constraint_name=fk.name)
            vals = list(values)
            only = None
            if new is None and fk.del_set_cols:
                # ON DELETE SET NULL / SET DEFAULT (columns): just those
                only = {attnums[fk.child_attnums.index(a)] for a in fk.del_set_cols
                        if a in fk.child_attnums} if attnums != fk.child_attnums else \
                    set(fk.del_set_cols)
            for i, a in enumerate(attnums):
                if only is not None and a not in only:
                    continue
                if action == "c":
                    vals[a - 1] = new[fk.parent_attnums[i] - 1]
                elif action == "n":
                    vals[a - 1] = None
                elif action == "d":
                    vals[a - 1] = _column_default(ctx, child, a)
            from tuskdb.sql.execute.modify import update_row
            update_row(ctx, child, tid, values, tuple(vals), self)


def _column_default(ctx: Any, rel: Any, attnum: int) -> Any:
    from tuskdb.sql.analyze.dml import column_default
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.expr import compile_expr

    col = rel.columns[attnum - 1]
    state = AnalyzeState(ctx.session.catalog(), ctx.session, [], None, "")
    return compile_expr(column_default(col, rel, 1, state), {})((), ctx)


def _leaves(ctx: Any, rel: Any) -> list[Any]:
    """The relations holding the rows of ``rel``: itself, or its leaf partitions."""
    if rel.relkind != "p":
        return [rel]
    cat = ctx.session.catalog()
    out = []
    for oid in rel.children:
        part = cat.relation_by_oid(oid)
        if part is not None:
            out.extend(_leaves(ctx, part))
    return out


def _leaf_attnums(top: Any, leaf: Any, attnums: tuple) -> tuple:
    if leaf is top:
        return attnums
    return tuple(leaf.column(top.columns[a - 1].name).attnum for a in attnums)


def _referencing_leaf_rows(ctx: Any, fk: Any, top: Any, key: tuple
                           ) -> list[tuple[Any, tuple, Any, tuple]]:
    """(leaf, its key attnums, tid, values) of the referencing rows, in every partition
    of a partitioned referencing table."""
    out = []
    for leaf in _leaves(ctx, top):
        attnums = _leaf_attnums(top, leaf, fk.child_attnums)
        for tid, values in _referencing_rows(ctx, fk, leaf, key, attnums):
            out.append((leaf, attnums, tid, values))
    return out


def _referencing_rows(ctx: Any, fk: Any, child: Any, key: tuple,
                      attnums: tuple | None = None) -> list[tuple[Any, tuple]]:
    """Rows of the child table whose foreign key equals ``key`` (latest snapshot)."""
    if child.relkind == "p":
        return [(tid, values) for _, _, tid, values in
                _referencing_leaf_rows(ctx, fk, child, key)]
    snap = ctx.txn.snapshot()
    heap = ctx.heap(child)
    if attnums is None:
        attnums = fk.child_attnums
    ix = next((i for i in child.indexes if i.attnums[:len(attnums)] == attnums
               and not i.predicate and not i.exprs), None)
    parent = ctx.session.catalog().relation_by_oid(fk.parent)
    if ix is not None and parent is not None and any(
            child.columns[a - 1].type_oid != parent.columns[pa - 1].type_oid
            for a, pa in zip(attnums, fk.parent_attnums)):
        ix = None           # a key of another type (numeric vs int4): compare row by row
    out = []
    if ix is not None:
        ktypes = [child.columns[a - 1].type_oid for a in attnums]
        prefix = types.encode_key(key, ktypes, ix.descending[:len(attnums)],
                                  ix.nulls_first[:len(attnums)])
        for _, tid in ctx.btree(ix).scan(prefix, True, None, True, prefix=prefix):
            values = heap.fetch(snap, tid)
            if values is not None and _key_of(values, attnums) == key:
                out.append((tid, values))
        return out
    for tid, values in heap.scan(snap):
        if _key_of(values, attnums) == key:
            out.append((tid, values))
    return out


def _to_parent_types(ctx: Any, fk: Any, child: Any, parent: Any, key: tuple) -> tuple:
    """A referencing key in the referenced columns' types (int4 into a numeric key: the
    implicit cast the foreign key was checked to have)."""
    out = []
    for v, ca, pa in zip(key, fk.child_attnums, fk.parent_attnums):
        ct = child.columns[ca - 1].type_oid
        pt = parent.columns[pa - 1].type_oid
        if ct != pt and v is not None:
            cast = types.find_cast(ct, pt)
            if cast is not None and cast.func is not None:
                v = cast.func(v, -1, ctx.types)
        out.append(v)
    return tuple(out)


def _check_unreferenced(ctx: Any, fk: Any, key: tuple, is_delete: bool,
                        restrict: bool = False) -> None:
    cat = ctx.session.catalog()
    child = cat.relation_by_oid(fk.child)
    parent = cat.relation_by_oid(fk.parent)
    if child is None or parent is None:
        return
    if fk.period:
        from tuskdb.sql.execute.ri_temporal import still_referenced
        referenced = still_referenced(ctx, fk, child, parent, key)
    else:
        # NO ACTION: another row with the key now (an UPDATE that put it back, a row
        # inserted since) satisfies the references (ri_Check_Pk_Match), in any
        # partition of the referenced table
        if not restrict and _key_still_present(ctx, fk, parent, key):
            return
        referenced = bool(_referencing_rows(ctx, fk, child, key))
    if referenced:
        ptypes = [parent.columns[a - 1].type_oid for a in fk.parent_attnums]
        cols = ", ".join(parent.columns[a - 1].name for a in fk.parent_attnums)
        if restrict:
            raise PgError("23001", f'update or delete on table "{parent.name}" violates RESTRICT '
                          f'setting of foreign key constraint "{fk.name}" on table '
                          f'"{child.name}"',
                          detail=f"Key ({cols})=({_fmt(key, ptypes, ctx)}) is referenced from "
                                 f'table "{child.name}".', table_name=child.name,
                          constraint_name=fk.name)
        raise PgError(FOREIGN_KEY_VIOLATION, f'update or delete on table "{parent.name}" '
                      f'violates foreign key constraint "{fk.name}" on table "{child.name}"',
                      detail=f"Key ({cols})=({_fmt(key, ptypes, ctx)}) is still referenced "
                             f'from table "{child.name}".', table_name=child.name,
                      constraint_name=fk.name)


class _RootKey:
    """The referenced key seen from the root of a partitioned referenced table."""

    def __init__(self, parent_attnums: tuple) -> None:
        self.parent_attnums = parent_attnums
        self.index_oid = 0


def _key_still_present(ctx: Any, fk: Any, parent: Any, key: tuple) -> bool:
    cat = ctx.session.catalog()
    root = parent
    while root.partbound is not None and root.parents:
        up = cat.relation_by_oid(root.parents[0])
        if up is None:
            break
        root = up
    if root is parent:
        return _parent_exists(ctx, fk, parent, key, lock=False)
    attnums = tuple(root.column(parent.columns[a - 1].name).attnum for a in fk.parent_attnums)
    return _parent_exists(ctx, _RootKey(attnums), root, key, lock=False)


def _parent_exists(ctx: Any, fk: Any, parent: Any, key: tuple, lock: bool = True) -> bool:
    if parent.relkind == "p":
        # a partitioned referenced table: the row is in one of its partitions
        return any(_leaf_parent_exists(ctx, fk, leaf,
                                       _leaf_attnums(parent, leaf, fk.parent_attnums), key,
                                       lock) for leaf in _leaves(ctx, parent))
    return _leaf_parent_exists(ctx, fk, parent, fk.parent_attnums, key, lock)


def _leaf_parent_exists(ctx: Any, fk: Any, parent: Any, parent_attnums: tuple, key: tuple,
                        lock: bool) -> bool:
    ix = next((i for i in parent.indexes if i.oid == fk.index_oid), None)
    if ix is None:
        ix = next((i for i in parent.indexes
                   if i.unique and set(i.attnums) == set(parent_attnums)
                   and not i.predicate and not i.exprs), None)
    heap = ctx.heap(parent)
    snap = ctx.txn.snapshot()
    if ix is None:
        return any(_key_of(v, parent_attnums) == key for _, v in heap.scan(snap))
    order = [list(parent_attnums).index(a) for a in ix.attnums]
    ikey = tuple(key[i] for i in order)
    ktypes = [parent.columns[a - 1].type_oid for a in ix.attnums]
    enc = types.encode_key(ikey, ktypes, ix.descending, ix.nulls_first)
    for tid in ctx.btree(ix).lookup(enc):
        values = heap.fetch(snap, tid)
        if values is None:
            continue
        if lock:
            from tuskdb.access import TM
            res = heap.lock_tuple(ctx.txn, tid, LOCK_TUPLE_KEY_SHARE)
            if res.status not in (TM.Ok, TM.SelfModified):
                continue
        return True
    return False


def pending_on(session: Any, relid: int) -> bool:
    """Are deferred checks queued on this relation (AfterTriggerPendingOnRel)?  A
    foreign key's row checks belong to the referencing table, its actions to the
    referenced one."""
    for kind, fk, _ in session.deferred_checks:
        if kind == "unique" and fk.rel_oid == relid:
            return True
        if kind == "child" and fk.child == relid:
            return True
        if kind == "parent" and fk.parent == relid:
            return True
    return False


def check_not_pending(session: Any, rel: Any) -> None:
    if getattr(session, "deferred_checks", None) and pending_on(session, rel.oid):
        raise PgError("55006", f'cannot ALTER TABLE "{rel.name}" because it has pending '
                      f"trigger events")


class UniqueCheck:
    """A key of a DEFERRABLE unique constraint to check for duplicates (PostgreSQL's
    unique_key_recheck trigger)."""

    deferrable = True

    def __init__(self, name: str, deferred: bool, rel_oid: int, index_oid: int, key: bytes,
                 cols: str, vals: str) -> None:
        self.name = name
        self.deferred = deferred
        self.rel_oid = rel_oid
        self.index_oid = index_oid
        self.key = key
        self.cols = cols
        self.vals = vals


def _check_unique(ctx: Any, uc: UniqueCheck) -> None:
    cat = ctx.session.catalog()
    rel = cat.relation_by_oid(uc.rel_oid)
    if rel is None:
        return
    ix = next((i for i in rel.indexes if i.oid == uc.index_oid), None)
    if ix is None:
        return
    heap = ctx.heap(rel)
    snap = ctx.txn.snapshot()
    live = sum(1 for tid in ctx.btree(ix).lookup(uc.key) if heap.fetch(snap, tid) is not None)
    if live > 1:
        raise PgError("23505", f'duplicate key value violates unique constraint "{uc.name}"',
                      detail=f"Key ({uc.cols})=({uc.vals}) already exists.",
                      schema_name=rel.nspname, table_name=rel.name, constraint_name=uc.name)


def run_checks(ctx: Any, items: list[tuple]) -> None:
    cat = ctx.session.catalog()
    for kind, fk, data in items:
        if kind == "unique":
            _check_unique(ctx, fk)
            continue
        if kind == "exclusion":
            # a deferrable exclusion constraint's row (fk is the index): execute/exclusion.py
            from tuskdb.sql.execute.exclusion import recheck_exclusion
            recheck_exclusion(ctx, fk, *data)
            continue
        if kind == "child":
            key = data
            parent = cat.relation_by_oid(fk.parent)
            child = cat.relation_by_oid(fk.child)
            if parent is None or child is None:
                continue
            if fk.period:
                from tuskdb.sql.execute.ri_temporal import referenced_period_covered
                present = referenced_period_covered(ctx, fk, parent, key)
            else:
                present = _parent_exists(ctx, fk, parent,
                                         _to_parent_types(ctx, fk, child, parent, key))
            if not present:
                ctypes = [child.columns[a - 1].type_oid for a in fk.child_attnums]
                cols = ", ".join(child.columns[a - 1].name for a in fk.child_attnums)
                raise PgError(FOREIGN_KEY_VIOLATION, f'insert or update on table "{child.name}" '
                              f'violates foreign key constraint "{fk.name}"',
                              detail=f"Key ({cols})=({_fmt(key, ctypes, ctx)}) is not present "
                                     f'in table "{parent.name}".', table_name=child.name,
                              constraint_name=fk.name)
        else:
            key, is_delete = data
            _check_unreferenced(ctx, fk, key, is_delete)
