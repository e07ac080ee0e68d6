"""Temporal foreign keys: FOREIGN KEY (a, ..., PERIOD p) REFERENCES t (a, ..., PERIOD p)
(PostgreSQL 18's ri_triggers.c with hasperiod).

A referencing row's key is its scalar columns plus a period (range or
multirange); it is satisfied when the referenced rows with equal scalar columns
together cover the period (``p <@ range_agg(parent periods)``), so one child row
may rest on several consecutive parent rows.

    child check (INSERT/UPDATE of the referencing row, statement end / COMMIT)
      parent rows: scalar key equal, period && child period (locked FOR KEY SHARE)
      their periods, merged, must contain the child's period
    NO ACTION (DELETE/UPDATE of a referenced row, statement end / COMMIT)
      child rows: scalar key equal to the old row's, period && old period
      each one's part inside the old period must still be covered by the
      referenced rows that remain (all periods with that scalar key)

PostgreSQL 18 implements no other referential action for PERIOD; commands/
temporal.py refuses them when the constraint is created.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.types import ranges as R
from tuskdb.types.multiranges import make_multirange

LOCK_TUPLE_KEY_SHARE = 1


def _ranges(v: Any) -> list[Any]:
    """A period as a list of ranges (a range, or a multirange's ranges)."""
    if isinstance(v, types.Range):
        return [] if v.empty else [v]
    return list(v.ranges)


def _overlaps(a: Any, b: Any) -> bool:
    return any(R.overlaps(x, y) for x in _ranges(a) for y in _ranges(b))


def _covered(need: list[Any], have: list[Any]) -> bool:
    """Is every range of ``need`` inside the union of ``have``?"""
    if not have:
        return False
    merged = make_multirange(0, have).ranges
    return all(any(R.contains(m, n) for m in merged) for n in need)


def _rows(ctx: Any, rel: Any, attnums: tuple[int, ...], scalar: tuple
          ) -> list[tuple[Any, Any, Any]]:
    """(relation holding the row, tid, its period) of the rows of ``rel`` (latest
    snapshot) whose columns ``attnums[:-1]`` equal ``scalar``; a partitioned table's
    rows are looked up in each of its leaf partitions."""
    from tuskdb.sql.execute.ri import _leaf_attnums, _leaves
    out = []
    for leaf in _leaves(ctx, rel):
        cols = _leaf_attnums(rel, leaf, attnums)
        for tid, values in _leaf_rows(ctx, leaf, cols, scalar):
            out.append((leaf, tid, values[cols[-1] - 1]))
    return out


def _leaf_rows(ctx: Any, rel: Any, attnums: tuple[int, ...], scalar: tuple
               ) -> list[tuple[Any, tuple]]:
    """Through an index whose leading columns are the scalar ones, else by a
    sequential scan."""
    snap = ctx.txn.snapshot()
    heap = ctx.heap(rel)
    cols = attnums[:-1]
    out = []
    ix = next((i for i in rel.indexes if set(i.attnums[:len(cols)]) == set(cols)
               and not i.predicate and not i.exprs and i.valid), None)
    if ix is not None and cols:
        order = [cols.index(a) for a in ix.attnums[:len(cols)]]
        ktypes = [rel.columns[a - 1].type_oid for a in ix.attnums[:len(cols)]]
        prefix = types.encode_key(tuple(scalar[i] for i in order), ktypes,
                                  list(ix.descending[:len(cols)]),
                                  list(ix.nulls_first[:len(cols)]))
        for _, tid in ctx.btree(ix).scan(prefix=prefix):
            values = heap.fetch(snap, tid)
            if values is not None and tuple(values[a - 1] for a in cols) == scalar:
                out.append((tid, values))
        return out
    for tid, values in heap.scan(snap):
        if tuple(values[a - 1] for a in cols) == scalar:
            out.append((tid, values))
    return out


def referenced_period_covered(ctx: Any, fk: Any, parent: Any, key: tuple) -> bool:
    """Child check: do the referenced rows cover the referencing key's period?"""
    from tuskdb.access import TM
    period = key[-1]
    have = []
    for leaf, tid, p in _rows(ctx, parent, fk.parent_attnums, key[:-1]):
        if p is None or not _overlaps(p, period):
            continue
        res = ctx.heap(leaf).lock_tuple(ctx.txn, tid, LOCK_TUPLE_KEY_SHARE)
        if res.status not in (TM.Ok, TM.SelfModified):
            continue
        have.extend(_ranges(p))
    if not have:
        return False
    return _covered(_ranges(period), have)


def still_referenced(ctx: Any, fk: Any, child: Any, parent: Any, key: tuple) -> bool:
    """NO ACTION: is a referencing row left whose part inside the old referenced
    period (``key``'s) the remaining referenced rows no longer cover?"""
    old = key[-1]
    remaining = None
    for _leaf, _tid, p in _rows(ctx, child, fk.child_attnums, key[:-1]):
        if p is None or not _overlaps(p, old):
            continue
        need = [x for a in _ranges(p) for b in _ranges(old)
                for x in [R.intersection(a, b)] if not x.empty]
        if remaining is None:
            remaining = [r for _, _, v in _rows(ctx, parent, fk.parent_attnums, key[:-1])
                         if v is not None for r in _ranges(v)]
        if not _covered(need, remaining):
            return True
    return False
