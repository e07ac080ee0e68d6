"""Physical plan nodes (PostgreSQL's executor nodes).

A node is built once per plan (compiled expressions, layouts) and run many
times: ``rows(ctx)`` returns an iterator of tuples.  Run-time state lives in
the generator, never in the node, so a cached plan is shared read-only.

Every node knows its ``layout``: which tuple position holds which column
(``{(rt, attno): position}``), so expressions above it compile to direct
tuple indexing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable

from tuskdb import types
from tuskdb.errors import PgError
from tuskdb.sql.expr import Compiled

YIELD_EVERY = 1000
OUT_OF_KEY_RANGE = "value out of range for index key"


class PlanNode:
    layout: dict
    width: int
    label: str = "Node"

    def rows(self, ctx: Any) -> Iterator[tuple]:
        raise NotImplementedError

    def children(self) -> list[PlanNode]:
        return []


class Result(PlanNode):
    """One empty row (SELECT without FROM)."""

    label = "Result"

    def __init__(self) -> None:
        self.layout = {}
        self.width = 0

    def rows(self, ctx: Any) -> Iterator[tuple]:
        yield ()


class SeqScan(PlanNode):
    label = "Seq Scan"

    def __init__(self, rt: int, rel: Any, qual: Compiled | None) -> None:
        self.rt = rt
        self.rel = rel
        self.width = len(rel.columns) + 2
        self.layout = {(rt, i): i for i in range(self.width)}
        self.qual = qual

    def rows(self, ctx: Any) -> Iterator[tuple]:
        heap = ctx.heap(self.rel)
        oid = self.rel.oid
        qual = self.qual
        check = ctx.check_interrupts
        n = 0
        for tid, values in heap.scan(ctx.snapshot):
            row = (*values, tid, oid)
            n += 1
            if n >= YIELD_EVERY:
                n = 0
                check()
            if qual is None or qual(row, ctx) is True:
                yield row


def _tid_int(value: Any) -> int | None:
    """A tid value ((block, offset)) as the heap's int TID; None for NULL."""
    if value is None:
        return None
    blk, off = value
    return (blk << 16) | off


class TidScan(PlanNode):
    """PostgreSQL's Tid Scan: fetch the tuples at the TIDs its conditions name
    (ctid = value, ctid = ANY (array), or an OR of those), in TID order, each once."""

    label = "Tid Scan"

    def __init__(self, rt: int, rel: Any, tid_exprs: list[tuple[bool, Compiled]],
                 qual: Compiled | None) -> None:
        self.rt = rt
        self.rel = rel
        self.width = len(rel.columns) + 2
        self.layout = {(rt, i): i for i in range(self.width)}
        self.tid_exprs = tid_exprs      # (is_array, compiled value)
        self.qual = qual
        self.tid_quals: list[Any] = []  # for EXPLAIN's TID Cond

    def rows(self, ctx: Any) -> Iterator[tuple]:
        tids: set[int] = set()
        for is_array, f in self.tid_exprs:
            v = f((), ctx)
            if v is None:
                continue
            for item in (v.items if is_array else (v,)):
                t = _tid_int(item)
                if t is not None:
                    tids.add(t)
        heap = ctx.heap(self.rel)
        oid = self.rel.oid
        qual = self.qual
        for tid in sorted(tids):
            values = heap.fetch(ctx.snapshot, tid)
            if values is None:
                continue
            row = (*values, tid, oid)
            if qual is None or qual(row, ctx) is True:
                yield row


class TidRangeScan(PlanNode):
    """PostgreSQL's Tid Range Scan: the visible tuples whose TIDs lie within the
    bounds its conditions give (ctid < / <= / > / >= value), reading only those blocks."""

    label = "Tid Range Scan"

    def __init__(self, rt: int, rel: Any, bounds: list[tuple[str, Compiled]],
                 qual: Compiled | None) -> None:
        self.rt = rt
        self.rel = rel
        self.width = len(rel.columns) + 2
        self.layout = {(rt, i): i for i in range(self.width)}
        self.bounds = bounds            # (operator with ctid on the left, compiled value)
        self.qual = qual
        self.tid_quals: list[Any] = []

    def rows(self, ctx: Any) -> Iterator[tuple]:
        lo, hi = 0, (1 << 48) - 1       # inclusive int TIDs
        for op, f in self.bounds:
            t = _tid_int(f((), ctx))
            if t is None:
                return                  # comparison with NULL: no row qualifies
            if op == ">":
                lo = max(lo, t + 1)
            elif op == ">=":
                lo = max(lo, t)
            elif op == "<":
                hi = min(hi, t - 1)
            else:
                hi = min(hi, t)
        if lo > hi:
            return
        heap = ctx.heap(self.rel)
        oid = self.rel.oid
        qual = self.qual
        check = ctx.check_interrupts
        n = 0
        for tid, values in heap.scan(ctx.snapshot, lo >> 16, (hi >> 16) + 1):
            if tid < lo or tid > hi:
                continue
            n += 1
            if n >= YIELD_EVERY:
                n = 0
                check()
            row = (*values, tid, oid)
            if qual is None or qual(row, ctx) is True:
                yield row


class SequenceScan(PlanNode):
    """SELECT ... FROM a sequence: its single row (last_value, log_cnt, is_called)."""

    label = "Seq Scan"

    def __init__(self, rt: int, rel: Any, qual: Compiled | None) -> None:
        self.rt = rt
        self.rel = rel
        self.width = len(rel.columns) + 2
        self.layout = {(rt, i): i for i in range(self.width)}
        self.qual = qual

    def rows(self, ctx: Any) -> Iterator[tuple]:
        _, seq = ctx.session._sequence(self.rel.oid)
        row = (*seq.read(), None, self.rel.oid)
        if self.qual is None or self.qual(row, ctx) is True:
            yield row


class IndexScan(PlanNode):
    """B-tree scan: equality on a key prefix, optionally a range on the next column."""

    label = "Index Scan"

    def __init__(self, rt: int, rel: Any, index: Any, eq_keys: list[Compiled],
                 key_types: list[int], lower: tuple | None, upper: tuple | None,
                 qual: Compiled | None, backward: bool = False) -> None:
        self.rt = rt
        self.rel = rel
        self.index = index
        self.width = len(rel.columns) + 2
        self.layout = {(rt, i): i for i in range(self.width)}
        self.eq_keys = eq_keys
        self.key_types = key_types
        self.lower = lower       # (compiled value, inclusive) on column len(eq_keys)
        self.upper = upper
        self.qual = qual
        self.backward = backward

    def rows(self, ctx: Any) -> Iterator[tuple]:
        ix = self.index
        n_eq = len(self.eq_keys)
        vals = []
        for k in self.eq_keys:
            try:
                v = k((), ctx)
            except PgError as err:
                if err.message == OUT_OF_KEY_RANGE:
                    return      # no value of the column's type can be equal
                raise
            if v is None:
                return          # "col = NULL" matches nothing
            vals.append(v)
        desc = ix.descending
        nf = ix.nulls_first
        try:
            prefix = types.encode_key(tuple(vals), self.key_types[:n_eq], desc[:n_eq],
                                      nf[:n_eq])
        except PgError:
            return              # e.g. a value out of the column type's range: no match
        lo, lo_incl, hi, hi_incl = prefix, True, None, True
        bounds = []
        for bound, is_lower in ((self.lower, True), (self.upper, False)):
            if bound is None:
                continue
            v = bound[0]((), ctx)
            if v is None:
                return
            try:
                enc = types.encode_key(tuple(vals) + (v,), self.key_types[:n_eq + 1],
                                       desc[:n_eq + 1], nf[:n_eq + 1])
            except PgError:
                return
            bounds.append((enc, bound[1], is_lower != desc[n_eq] if n_eq < len(desc) else
                           is_lower))
        for enc, incl, as_lower in bounds:
            if as_lower:
                lo, lo_incl = enc, incl
            else:
                hi, hi_incl = enc, incl
        bt = ctx.btree(ix)
        heap = ctx.heap(self.rel)
        snap = ctx.snapshot
        oid = self.rel.oid
        qual = self.qual
        if n_eq == len(ix.attnums) and not bounds:
            # the whole key is given: a point lookup
            for tid in bt.lookup(prefix):
                values = heap.fetch(snap, tid)
                if values is not None:
                    row = (*values, tid, oid)
                    if qual is None or qual(row, ctx) is True:
                        yield row
            return
        if not bounds:
            hi, hi_incl = prefix, True
        plen = len(prefix)
        lower_nulls = self.lower is not None or self.upper is not None
        for key, tid in bt.scan(lo, lo_incl, hi, hi_incl, self.backward):
            if key[:plen] != prefix:
                if self.backward:
                    continue
                break
            values = heap.fetch(snap, tid)
            if values is None:
                continue
            row = (*values, tid, oid)
            if lower_nulls and n_eq < len(ix.attnums) and \
                    row[ix.attnums[n_eq] - 1] is None:
                continue
            if qual is None or qual(row, ctx) is True:
                yield row


class ValuesScan(PlanNode):
    label = "Values Scan"

    def __init__(self, rt: int, rows: list[list[Compiled]]) -> None:
        self.rt = rt
        self.exprs = rows
        self.width = len(rows[0]) if rows else 0
        self.layout = {(rt, i): i for i in range(self.width)}

    def rows(self, ctx: Any) -> Iterator[tuple]:
        for r in self.exprs:
            yield tuple(e((), ctx) for e in r)


class FunctionScan(PlanNode):
    """A function in FROM. ``args`` are compiled against the lateral input (the left
    side of the enclosing nested loop, found on ctx.outer) or nothing."""

    label = "Function Scan"

    def __init__(self, rt: int, fn: Any, args: list[Compiled], strict: bool, needs_ctx: bool,
                 retset: bool, ordinality: bool, lateral: bool, ncols: int = 1) -> None:
        self.rt = rt
        self.ncols = ncols
        self.fn = fn
        self.args = args
        self.strict = strict
        self.needs_ctx = needs_ctx
        self.retset = retset
        self.ordinality = ordinality
        self.lateral = lateral
        self.width = ncols + (1 if ordinality else 0)
        self.layout = {(rt, i): i for i in range(self.width)}

    record = False      # the function yields tuples (set by the planner)

    def rows(self, ctx: Any) -> Iterator[tuple]:
        if self.ncols > 1 or self.record:
            yield from self._record_rows(ctx)
            return
        row = ctx.outer[-1][0] if self.lateral and ctx.outer else ()
        vals = [a(row, ctx) for a in self.args]
        if self.strict and None in vals:
            return
        out = self.fn(ctx, *vals) if self.needs_ctx else self.fn(*vals)
        if not self.retset:
            out = (out,)
        check = ctx.check_interrupts
        if self.ordinality:
            for i, v in enumerate(out, start=1):
                if i % YIELD_EVERY == 0:
                    check()
                yield (v, i)
        else:
            for i, v in enumerate(out, start=1):
                if i % YIELD_EVERY == 0:
                    check()
                yield (v,)


    def _record_rows(self, ctx: Any) -> Iterator[tuple]:
        row = ctx.outer[-1][0] if self.lateral and ctx.outer else ()
        vals = [a(row, ctx) for a in self.args]
        if self.strict and None in vals:
            return
        out = self.fn(ctx, *vals) if self.needs_ctx else self.fn(*vals)
        if not self.retset:
            out = [out]
        for i, rec in enumerate(out, start=1):
            yield (*rec, i) if self.ordinality else tuple(rec)


class RowsFromScan(PlanNode):
    """ROWS FROM (f1(...), f2(...), ...): row i holds each function's i-th result, NULLs
    for a function that has run out, until every one has (PostgreSQL's FunctionScan
    over several functions)."""

    label = "Function Scan"

    def __init__(self, rt: int, subs: list[FunctionScan], widths: list[int],
                 ordinality: bool) -> None:
        self.rt = rt
        self.subs = subs
        self.widths = widths
        self.ordinality = ordinality
        self.width = sum(widths) + (1 if ordinality else 0)
        self.layout = {(rt, i): i for i in range(self.width)}

    def rows(self, ctx: Any) -> Iterator[tuple]:
        results = [list(s.rows(ctx)) for s in self.subs]
        n = max((len(r) for r in results), default=0)
        check = ctx.check_interrupts
        for i in range(n):
            if i % YIELD_EVERY == YIELD_EVERY - 1:
                check()
            row: list = []
            for r, w in zip(results, self.widths):
                row.extend(r[i] if i < len(r) else (None,) * w)
            if self.ordinality:
                row.append(i + 1)
            yield tuple(row)


class ProjectSet(PlanNode):
    """Target-list set-returning functions: each input row is repeated once per
    result of the longest-running function; shorter ones yield NULL (PostgreSQL 10+)."""

    label = "ProjectSet"

    def __init__(self, child: PlanNode, calls: list[tuple[Any, list[Compiled], bool, bool]]
                 ) -> None:
        self.child = child
        self.calls = calls
        self.width = child.width + len(calls)
        self.layout = dict(child.layout)
        for i in range(len(calls)):
            self.layout[(("srf", 0), i)] = child.width + i

    def rows(self, ctx: Any) -> Iterator[tuple]:
        calls = self.calls
        for row in self.child.rows(ctx):
            its = []
            for fn, args, strict, needs_ctx in calls:
                vals = [a(row, ctx) for a in args]
                if strict and None in vals:
                    its.append(iter(()))
                else:
                    its.append(iter(fn(ctx, *vals) if needs_ctx else fn(*vals)))
            while True:
                out = []
                alive = False
                for it in its:
                    v = next(it, _DONE)
                    if v is _DONE:
                        out.append(None)
                    else:
                        alive = True
                        out.append(v)
                if not alive:
                    break
                yield row + tuple(out)

    def children(self) -> list[PlanNode]:
        return [self.child]


_DONE = object()


class CteScan(PlanNode):
    """Reads a WITH query, materialized once per execution (or a recursive query's
    working table)."""

    label = "CTE Scan"

    def __init__(self, rt: int, cte: Any, width: int, worktable: bool) -> None:
        self.rt = rt
        self.cte = cte
        self.width = width
        self.worktable = worktable
        self.layout = {(rt, i): i for i in range(width)}

    def rows(self, ctx: Any) -> Iterator[tuple]:
        cache = ctx.subplan_cache
        if self.worktable:
            return iter(cache[("work", self.cte.id)])
        key = ("cte", self.cte.id)
        shared = cache.get(key)
        if shared is None:
            shared = _Materialized(self.cte.plan.rows(ctx))
            cache[key] = shared
        elif isinstance(shared, list):        # rows of a data-modifying WITH
            return iter(shared)
        return shared.reader()


class _Materialized:
    """Rows computed once and read by any number of readers, computed only as far as
    the furthest reader has gone (so LIMIT over an endless WITH RECURSIVE ends)."""

    def __init__(self, source: Iterator[tuple]) -> None:
        self.source = source
        self.rows: list[tuple] = []
        self.done = False

    def reader(self) -> Iterator[tuple]:
        i = 0
        rows = self.rows
        while True:
            if i < len(rows):
                yield rows[i]
                i += 1
                continue
            if self.done:
                return
            nxt = next(self.source, _DONE)
            if nxt is _DONE:
                self.done = True
                return
            rows.append(nxt)


class RecursiveUnion(PlanNode):
    """WITH RECURSIVE: the non-recursive term, then the recursive term over the
    previous iteration's rows until it yields nothing new."""

    label = "Recursive Union"

    def __init__(self, cte_id: int, base: PlanNode, rec: PlanNode, union_all: bool,
                 width: int) -> None:
        self.cte_id = cte_id
        self.base = base
        self.rec = rec
        self.union_all = union_all
        self.width = width
        self.layout = {}

    def rows(self, ctx: Any) -> Iterator[tuple]:
        seen: set = set()
        work = []
        for row in self.base.rows(ctx):
            if not self.union_all:
                if row in seen:
                    continue
                seen.add(row)
            work.append(row)
            yield row
        key = ("work", self.cte_id)
        n = 0
        cache = ctx.subplan_cache
        while work:
            ctx.check_interrupts()
            cache[key] = work
            # WITH queries nested in the recursive term (analyzed after this one, so with
            # higher ids) read the working table: compute them afresh each iteration
            for k in [k for k, v in cache.items() if isinstance(k, tuple) and k[0] == "cte"
                      and k[1] > self.cte_id and isinstance(v, _Materialized)]:
                del cache[k]
            nxt = []
            for row in self.rec.rows(ctx):
                n += 1
                if n >= YIELD_EVERY:
                    n = 0
                    ctx.check_interrupts()
                if not self.union_all:
                    if row in seen:
                        continue
                    seen.add(row)
                nxt.append(row)
                yield row
            work = nxt


class SubqueryScan(PlanNode):
    label = "Subquery Scan"

    def __init__(self, rt: int, child: PlanNode, width: int) -> None:
        self.rt = rt
        self.child = child
        self.width = width
        self.layout = {(rt, i): i for i in range(width)}
        self.trivial = False            # removed from the plan (planner: trivial_subqueryscan)

    def rows(self, ctx: Any) -> Iterator[tuple]:
        return self.child.rows(ctx)

    def children(self) -> list[PlanNode]:
        return [self.child]


class Material(PlanNode):
    """PostgreSQL's Materialize: the child's rows, computed once and kept (what a
    SCROLL cursor over a plan that cannot run backward needs)."""

    label = "Materialize"

    def __init__(self, child: PlanNode) -> None:
        self.child = child
        self.layout = child.layout
        self.width = child.width

    def rows(self, ctx: Any) -> Iterator[tuple]:
        return iter(list(self.child.rows(ctx)))

    def children(self) -> list[PlanNode]:
        return [self.child]


def supports_backward_scan(node: PlanNode) -> bool:
    """PostgreSQL's ExecSupportsBackwardScan for our plan shapes: scans, sorts and
    materializations can, and nodes that only pass rows through if their input can."""
    from tuskdb.sql.execute.append import Append, ChildRowMap
    if isinstance(node, (SeqScan, TidScan, TidRangeScan, IndexScan, ValuesScan, FunctionScan,
                         CteScan, Sort, Material)):
        return True
    if isinstance(node, (Project, Filter, Strip, SubqueryScan, Limit, ChildRowMap)):
        return supports_backward_scan(node.child)
    if isinstance(node, Append):
        return all(supports_backward_scan(p) for p in node.parts)
    return False


class Filter(PlanNode):
    label = "Filter"

    def __init__(self, child: PlanNode, qual: Compiled) -> None:
        if isinstance(child, SubqueryScan):
            child.trivial = False       # the scan's own qual: PostgreSQL keeps the node
        self.child = child
        self.qual = qual
        self.layout = child.layout
        self.width = child.width

    def rows(self, ctx: Any) -> Iterator[tuple]:
        qual = self.qual
        for row in self.child.rows(ctx):
            if qual(row, ctx) is True:
                yield row

    def children(self) -> list[PlanNode]:
        return [self.child]


class Project(PlanNode):
    label = "Project"

    def __init__(self, child: PlanNode, exprs: list[Compiled], layout: dict | None = None
                 ) -> None:
        self.child = child
        self.exprs = exprs
        self.width = len(exprs)
        self.layout = layout or {}

    def rows(self, ctx: Any) -> Iterator[tuple]:
        exprs = self.exprs
        if len(exprs) == 1:
            e0 = exprs[0]
            for row in self.child.rows(ctx):
                yield (e0(row, ctx),)
            return
        for row in self.child.rows(ctx):
            yield tuple([e(row, ctx) for e in exprs])

    def children(self) -> list[PlanNode]:
        return [self.child]


def _shift(layout: dict, by: int) -> dict:
    return {k: v + by for k, v in layout.items()}


class NestLoop(PlanNode):
    label = "Nested Loop"

    def __init__(self, kind: str, left: PlanNode, right: PlanNode, qual: Compiled | None,
                 lateral: bool = False) -> None:
        self.kind = kind
        self.left = left
        self.right = right
        self.qual = qual
        self.width = left.width + right.width
        self.layout = {**left.layout, **_shift(right.layout, left.width)}
        if kind in ("SEMI", "ANTI"):        # the left row alone comes out
            self.width, self.layout = left.width, dict(left.layout)
        self.lateral = lateral

    def rows(self, ctx: Any) -> Iterator[tuple]:
        kind = self.kind
        qual = self.qual
        if kind in ("SEMI", "ANTI"):
            yield from self._semi(ctx, kind == "SEMI")
            return
        lnull = (None,) * self.left.width
        rnull = (None,) * self.right.width
        inner = None if self.lateral else list(self.right.rows(ctx))
        matched_right = set() if kind == "FULL" else None
        check = ctx.check_interrupts
        for lrow in self.left.rows(ctx):
            check()
            if inner is not None and len(inner) > YIELD_EVERY:
                yield from self._big_inner(lrow, inner, qual, kind, rnull, matched_right, ctx)
                continue
            if self.lateral:
                ctx.outer.append((lrow, self.left.layout))
                try:
                    inner = list(self.right.rows(ctx))
                finally:
                    ctx.outer.pop()
            matched = False
            for i, rrow in enumerate(inner):
                row = lrow + rrow
                if qual is None or qual(row, ctx) is True:
                    matched = True
                    if matched_right is not None:
                        matched_right.add(i)
                    yield row
            if not matched and kind in ("LEFT", "FULL"):
                yield lrow + rnull
        if kind == "FULL":
            for i, rrow in enumerate(inner or list(self.right.rows(ctx))):
                if i not in matched_right:
                    yield lnull + rrow

    def children(self) -> list[PlanNode]:
        return [self.left, self.right]


    def _semi(self, ctx: Any, semi: bool) -> Iterator[tuple]:
        qual = self.qual
        inner = list(self.right.rows(ctx))
        check = ctx.check_interrupts
        for lrow in self.left.rows(ctx):
            check()
            found = False
            for i, rrow in enumerate(inner):
                if i % YIELD_EVERY == YIELD_EVERY - 1:
                    check()
                if qual is None or qual(lrow + rrow, ctx) is True:
                    found = True
                    break
            if found is semi:
                yield lrow

    def _big_inner(self, lrow: tuple, inner: list, qual: Any, kind: str, rnull: tuple,
                   matched_right: set | None, ctx: Any) -> Iterator[tuple]:
        """One outer row against a large inner side, checking for interrupts."""
        matched = False
        check = ctx.check_interrupts
        for i, rrow in enumerate(inner):
            if i % YIELD_EVERY == 0:
                check()
            row = lrow + rrow
            if qual is None or qual(row, ctx) is True:
                matched = True
                if matched_right is not None:
                    matched_right.add(i)
                yield row
        if not matched and kind in ("LEFT", "FULL"):
            yield lrow + rnull


class HashJoin(PlanNode):
    label = "Hash Join"

    def __init__(self, kind: str, left: PlanNode, right: PlanNode, lkeys: list[Compiled],
                 rkeys: list[Compiled], qual: Compiled | None) -> None:
        self.kind = kind
        self.left = left
        self.right = right
        self.lkeys = lkeys
        self.rkeys = rkeys
        self.qual = qual
        self.width = left.width + right.width
        self.layout = {**left.layout, **_shift(right.layout, left.width)}
        if kind in ("SEMI", "ANTI"):        # the left row alone comes out
            self.width, self.layout = left.width, dict(left.layout)

    def rows(self, ctx: Any) -> Iterator[tuple]:
        table: dict = {}
        rkeys = self.rkeys
        all_right = []
        for rrow in self.right.rows(ctx):
            k = tuple(f(rrow, ctx) for f in rkeys)
            idx = len(all_right)
            all_right.append(rrow)
            if None in k:
                continue
            table.setdefault(k, []).append(idx)
        kind = self.kind
        qual = self.qual
        rnull = (None,) * self.right.width
        lnull = (None,) * self.left.width
        matched_right = set() if kind in ("FULL", "RIGHT") else None
        lkeys = self.lkeys
        check = ctx.check_interrupts
        if kind in ("SEMI", "ANTI"):
            semi = kind == "SEMI"
            for lrow in self.left.rows(ctx):
                check()
                k = tuple(f(lrow, ctx) for f in lkeys)
                found = False
                if None not in k:
                    for idx in table.get(k, ()):
                        if qual is None or qual(lrow + all_right[idx], ctx) is True:
                            found = True
                            break
                if found is semi:
                    yield lrow
            return
        for lrow in self.left.rows(ctx):
            check()
            k = tuple(f(lrow, ctx) for f in lkeys)
            matched = False
            if None not in k:
                for idx in table.get(k, ()):
                    row = lrow + all_right[idx]
                    if qual is None or qual(row, ctx) is True:
                        matched = True
                        if matched_right is not None:
                            matched_right.add(idx)
                        yield row
            if not matched and kind in ("LEFT", "FULL"):
                yield lrow + rnull
        if matched_right is not None:
            for idx, rrow in enumerate(all_right):
                if idx not in matched_right:
                    yield lnull + rrow

    def children(self) -> list[PlanNode]:
        return [self.left, self.right]


class Aggregate(PlanNode):
    """Hash aggregation (or plain aggregation when there is no GROUP BY)."""

    label = "HashAggregate"

    def __init__(self, child: PlanNode, group_keys: list[Compiled], aggs: list[Any]) -> None:
        self.child = child
        self.group_keys = group_keys
        self.aggs = aggs       # AggSpec
        ng = len(group_keys)
        self.width = ng + len(aggs)
        self.layout = {}
        for i in range(ng):
            self.layout[(("g", 0), i)] = i
        for j in range(len(aggs)):
            self.layout[(("a", 0), j)] = ng + j

    def rows(self, ctx: Any) -> Iterator[tuple]:
        groups: dict = {}
        keys = self.group_keys
        aggs = [a.bound(ctx) for a in self.aggs]
        check = ctx.check_interrupts
        n = 0
        for row in self.child.rows(ctx):
            n += 1
            if n >= YIELD_EVERY:
                n = 0
                check()
            k = tuple([f(row, ctx) for f in keys]) if keys else ()
            states = groups.get(k)
            if states is None:
                states = [a.new_state() for a in aggs]
                groups[k] = states
            for i, a in enumerate(aggs):
                states[i] = a.advance(states[i], row, ctx)
        if not groups and not keys:
            groups[()] = [a.new_state() for a in aggs]
        blank = (None,) * self.child.width
        for k, states in groups.items():
            yield k + tuple(a.finish(s, ctx, blank) for a, s in zip(aggs, states))

    def children(self) -> list[PlanNode]:
        return [self.child]


class AggSpec:
    """One aggregate call: transition over input rows, then the final function."""

    def __init__(self, agg: Any, args: list[Compiled], filter: Compiled | None,
                 distinct: bool, star: bool, order: list | None = None) -> None:
        self.order = order or []
        self.collect = bool(self.order) or distinct
        self.agg = agg
        self.args = args
        self.filter = filter
        self.distinct = distinct
        self.star = star
        self.strict = getattr(agg, "strict", True)
        self.trans = agg.trans
        self.final = agg.final
        self.init = agg.init
        self.direct: list | None = None     # ordered-set aggregates: direct arguments

    def bound(self, ctx: Any) -> AggSpec:
        """This call with a user-defined aggregate's functions bound to the query's
        context (commands/aggregatecmds.BoundAggregate); itself for built-ins."""
        bind = getattr(self.agg, "bind", None)
        if bind is None:
            return self
        import copy
        out = copy.copy(self)
        b = bind(ctx)
        out.trans, out.final, out.init = b.trans, b.final, b.init
        return out

    def new_state(self) -> Any:
        if self.collect:
            return _Collected()
        init = self.init
        return init() if callable(init) else init

    def advance(self, state: Any, row: tuple, ctx: Any) -> Any:
        if self.filter is not None and self.filter(row, ctx) is not True:
            return state
        if self.star:
            return self.trans(state)
        vals = [a(row, ctx) for a in self.args]
        if self.strict and None in vals:
            return state
        if self.collect:
            keys = tuple(f(row, ctx) for f, _, _ in self.order)
            state.append((keys, tuple(vals)))
            state.row = row
            return state
        return self.trans(state, *vals)

    def finish(self, state: Any, ctx: Any = None, blank: tuple = ()) -> Any:
        if self.direct is not None:
            # direct arguments are evaluated once per group (on one of its rows)
            row = getattr(state, "row", None)
            dv = [f(row if row is not None else blank, ctx) for f in self.direct]
        if self.collect:
            items = multikey_sort(state, lambda it, pos: it[0][pos],
                                  [(pos, desc, nf) for pos, (_, desc, nf) in
                                   enumerate(self.order)])
            if self.distinct and not self.order:
                # DISTINCT aggregates see their input sorted (PostgreSQL sorts to dedupe)
                items = sorted(items, key=lambda it: tuple((v is None, sort_value(v))
                                                            if v is not None else (True, 0)
                                                            for v in it[1]))
            init = self.init
            st = init() if callable(init) else init
            seen = set()
            for _, vals in items:
                if self.distinct:
                    if vals in seen:
                        continue
                    seen.add(vals)
                st = self.trans(st, *vals)
            state = st
        if self.direct is not None:
            return self.final(state, *dv)
        return self.final(state) if self.final is not None else state


class _Collected(list):
    """The rows an aggregate with ORDER BY/DISTINCT collects, and the last input row."""

    row: Any = None


class Sort(PlanNode):
    label = "Sort"

    def __init__(self, child: PlanNode, keys: list[tuple[int, bool, bool]]) -> None:
        self.child = child
        self.keys = keys    # (column position, descending, nulls_first)
        self.layout = child.layout
        self.width = child.width

    def rows(self, ctx: Any) -> Iterator[tuple]:
        data = list(self.child.rows(ctx))
        ctx.check_interrupts()
        return iter(multikey_sort(data, lambda r, pos: r[pos],
                                  [(pos, desc, nf) for pos, desc, nf in self.keys]))

    def children(self) -> list[PlanNode]:
        return [self.child]


class _NaNLast(float):
    pass


def multikey_sort(items: list, get: Callable[[Any, int], Any],
                  keys: list[tuple[int, bool, bool]]) -> list:
    """Sort by several keys (position, descending, nulls_first) as ORDER BY does:
    stable sorts from the least significant key to the most significant."""
    for pos, desc, nulls_first in reversed(keys):
        nonnull = [it for it in items if get(it, pos) is not None]
        nulls = [it for it in items if get(it, pos) is None]
        nonnull.sort(key=lambda it: sort_value(get(it, pos)), reverse=desc)
        items = nulls + nonnull if nulls_first else nonnull + nulls
    return items


def sort_value(v: Any) -> Any:
    """A Python sort key ordering like PostgreSQL (NaN above every number)."""
    if isinstance(v, float) and v != v:
        return (1, 0.0)
    if isinstance(v, float):
        return (0, v)
    try:
        if v.is_nan():
            return (1, 0)
        return (0, v)
    except AttributeError:
        return v


class Limit(PlanNode):
    label = "Limit"

    def __init__(self, child: PlanNode, limit: Compiled | None, offset: Compiled | None
                 ) -> None:
        self.child = child
        self.limit = limit
        self.offset = offset
        self.layout = child.layout
        self.width = child.width

    def rows(self, ctx: Any) -> Iterator[tuple]:
        off = self.offset((), ctx) if self.offset is not None else 0
        lim = self.limit((), ctx) if self.limit is not None else None
        if off is None:
            off = 0
        if off < 0:
            raise PgError("2201X", "OFFSET must not be negative")
        if lim is not None and lim < 0:
            raise PgError("2201W", "LIMIT must not be negative")
        ties = getattr(self, "ties", None)
        if ties is not None and lim is None and self.limit is not None:
            raise PgError("2201W", "row count cannot be null in FETCH FIRST ... WITH TIES "
                          "clause")
        if lim == 0:
            return
        n = 0
        last = None
        for row in self.child.rows(ctx):
            if off > 0:
                off -= 1
                continue
            if last is not None:
                # WITH TIES: the rows that sort equal to the last one counted
                if tuple(row[i] for i in ties) != last:
                    return
                yield row
                continue
            yield row
            n += 1
            if lim is not None and n >= lim:
                if not ties:
                    return
                last = tuple(row[i] for i in ties)

    def children(self) -> list[PlanNode]:
        return [self.child]


class Unique(PlanNode):
    """DISTINCT over the first ``ncols`` columns (hash based, keeps first-seen order)."""

    label = "Unique"

    def __init__(self, child: PlanNode, ncols: int) -> None:
        self.child = child
        self.ncols = ncols
        self.layout = child.layout
        self.width = child.width

    def rows(self, ctx: Any) -> Iterator[tuple]:
        seen = set()
        n = self.ncols
        for row in self.child.rows(ctx):
            k = row[:n]
            if k in seen:
                continue
            seen.add(k)
            yield row

    def children(self) -> list[PlanNode]:
        return [self.child]


class DistinctOn(PlanNode):
    """Keep the first row of each group of equal key columns (input is sorted)."""

    label = "Unique"

    def __init__(self, child: PlanNode, keys: list[int]) -> None:
        self.child = child
        self.keys = keys
        self.layout = child.layout
        self.width = child.width

    def rows(self, ctx: Any) -> Iterator[tuple]:
        seen = set()
        keys = self.keys
        for row in self.child.rows(ctx):
            k = tuple(row[i] for i in keys)
            if k in seen:
                continue
            seen.add(k)
            yield row

    def children(self) -> list[PlanNode]:
        return [self.child]


class SetOp(PlanNode):
    label = "SetOp"

    def __init__(self, op: str, all_: bool, left: PlanNode, right: PlanNode, rt: int,
                 width: int) -> None:
        self.op = op
        self.all = all_
        self.left = left
        self.right = right
        self.width = width
        self.layout = {(rt, i): i for i in range(width)}
        self.sorted = False     # PostgreSQL's sorted strategy: rows come out in order

    def rows(self, ctx: Any) -> Iterator[tuple]:
        if self.sorted:
            data = list(self._rows(ctx))
            ctx.check_interrupts()
            return iter(multikey_sort(data, lambda r, pos: r[pos],
                                      [(i, False, False) for i in range(self.width)]))
        return self._rows(ctx)

    def _rows(self, ctx: Any) -> Iterator[tuple]:
        op = self.op
        if op == "UNION":
            if self.all:
                yield from self.left.rows(ctx)
                yield from self.right.rows(ctx)
                return
            seen = set()
            for src in (self.left, self.right):
                for row in src.rows(ctx):
                    if row not in seen:
                        seen.add(row)
                        yield row
            return
        counts: dict = {}
        for row in self.right.rows(ctx):
            counts[row] = counts.get(row, 0) + 1
        emitted: dict = {}
        for row in self.left.rows(ctx):
            c = counts.get(row, 0)
            if op == "INTERSECT":
                if c > 0:
                    if self.all:
                        counts[row] = c - 1
                        yield row
                    elif row not in emitted:
                        emitted[row] = 1
                        yield row
            else:   # EXCEPT
                if self.all:
                    if c > 0:
                        counts[row] = c - 1
                    else:
                        yield row
                elif c == 0 and row not in emitted:
                    emitted[row] = 1
                    yield row

    def children(self) -> list[PlanNode]:
        return [self.left, self.right]


class Strip(PlanNode):
    """Drop trailing junk columns (ORDER BY helpers) from the final output."""

    label = "Strip"

    def __init__(self, child: PlanNode, width: int) -> None:
        self.child = child
        self.width = width
        self.layout = child.layout

    def rows(self, ctx: Any) -> Iterator[tuple]:
        w = self.width
        for row in self.child.rows(ctx):
            yield row[:w]

    def children(self) -> list[PlanNode]:
        return [self.child]


RowFn = Callable[[tuple, Any], Any]
