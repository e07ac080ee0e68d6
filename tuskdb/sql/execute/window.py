"""WindowAgg: window functions over partitions of the input (PostgreSQL's nodeWindowAgg.c).

Each window function is computed on its own: rows are grouped by PARTITION BY,
each partition sorted by the window's ORDER BY, and every row gets its value
(ranking functions from peer groups, offsets from positions, aggregates over
the frame).  The output row is the input row plus one column per function, in
input order.
"""

from __future__ import annotations

from typing import Any, Iterator

from tuskdb.errors import PgError
from tuskdb.sql.analyze.window import (F_END_CURRENT_ROW, F_END_OFFSET_FOLLOWING,
                                       F_END_OFFSET_PRECEDING, F_END_UNBOUNDED_FOLLOWING,
                                       F_RANGE, F_ROWS, F_START_CURRENT_ROW,
                                       F_START_OFFSET_FOLLOWING, F_START_OFFSET_PRECEDING,
                                       F_START_UNBOUNDED_PRECEDING)
from tuskdb.sql.execute.nodes import PlanNode, multikey_sort


class WindowFuncSpec:
    def __init__(self, call: Any, args: list, partition: list, order: list, start_off: Any,
                 end_off: Any, filt: Any) -> None:
        self.call = call
        self.args = args
        self.partition = partition
        self.order = order            # (compiled, descending, nulls_first)
        self.start_off = start_off
        self.end_off = end_off
        self.filter = filt


class WindowAgg(PlanNode):
    label = "WindowAgg"

    def __init__(self, child: PlanNode, specs: list[WindowFuncSpec]) -> None:
        self.child = child
        self.specs = specs
        self.width = child.width + len(specs)
        self.layout = dict(child.layout)
        for i in range(len(specs)):
            self.layout[(("w", 0), i)] = child.width + i

    def children(self) -> list[PlanNode]:
        return [self.child]

    def rows(self, ctx: Any) -> Iterator[tuple]:
        rows = list(self.child.rows(ctx))
        results = [_compute(spec, rows, ctx) for spec in self.specs]
        for i, row in enumerate(rows):
            yield row + tuple(r[i] for r in results)


def _sort_partition(idx: list[int], keys: list[tuple], order: list) -> list[int]:
    return multikey_sort(idx, lambda i, pos: keys[i][pos],
                         [(pos, desc, nf) for pos, (_, desc, nf) in enumerate(order)])


def _compute(spec: WindowFuncSpec, rows: list[tuple], ctx: Any) -> list[Any]:
    out: list[Any] = [None] * len(rows)
    parts: dict = {}
    for i, row in enumerate(rows):
        k = tuple(p(row, ctx) for p in spec.partition)
        parts.setdefault(k, []).append(i)
    keys = [tuple(o[0](row, ctx) for o in spec.order) for row in rows]
    for idx in parts.values():
        if spec.order:
            idx = _sort_partition(idx, keys, spec.order)
        _partition(spec, idx, keys, rows, out, ctx)
        ctx.check_interrupts()
    return out


def _peer_bounds(idx: list[int], keys: list[tuple]) -> tuple[list[int], list[int]]:
    """For each position: first and last position of its peer group (equal ORDER BY keys)."""
    n = len(idx)
    first = [0] * n
    last = [0] * n
    start = 0
    for j in range(1, n + 1):
        if j == n or keys[idx[j]] != keys[idx[start]]:
            for k in range(start, j):
                first[k] = start
                last[k] = j - 1
            start = j
    return first, last


def _partition(spec: WindowFuncSpec, idx: list[int], keys: list[tuple], rows: list[tuple],
               out: list[Any], ctx: Any) -> None:
    call = spec.call
    name = call.name
    n = len(idx)
    first, last = _peer_bounds(idx, keys) if spec.order else ([0] * n, [n - 1] * n)
    if call.agg is None:
        args = [[a(rows[i], ctx) for a in spec.args] for i in idx]
        if name == "row_number":
            for p in range(n):
                out[idx[p]] = p + 1
        elif name == "rank":
            for p in range(n):
                out[idx[p]] = first[p] + 1
        elif name == "dense_rank":
            rank = 0
            for p in range(n):
                if p == 0 or first[p] != first[p - 1]:
                    rank += 1
                out[idx[p]] = rank
        elif name == "percent_rank":
            for p in range(n):
                out[idx[p]] = (first[p] / (n - 1)) if n > 1 else 0.0
        elif name == "cume_dist":
            for p in range(n):
                out[idx[p]] = (last[p] + 1) / n
        elif name == "ntile":
            for p in range(n):
                buckets = args[p][0]
                if buckets is None:
                    out[idx[p]] = None
                    continue
                if buckets <= 0:
                    raise PgError("22014",
                                  "argument of ntile must be greater than zero")
                size, extra = divmod(n, buckets)
                # the first `extra` buckets have size+1 rows
                big = (size + 1) * extra
                out[idx[p]] = p // (size + 1) + 1 if p < big else (p - big) // size + extra + 1 \
                    if size else p + 1
        elif name in ("lag", "lead"):
            for p in range(n):
                a = args[p]
                off = a[1] if len(a) > 1 else 1
                if off is None:
                    out[idx[p]] = None
                    continue
                q = p - off if name == "lag" else p + off
                if 0 <= q < n:
                    out[idx[p]] = args[q][0]
                else:
                    out[idx[p]] = a[2] if len(a) > 2 else None
        else:     # first_value, last_value, nth_value: over the frame
            for p in range(n):
                lo, hi = _frame(spec, p, n, first, last, idx, keys, rows, ctx)
                if name == "first_value":
                    out[idx[p]] = args[lo][0] if lo <= hi else None
                elif name == "last_value":
                    out[idx[p]] = args[hi][0] if lo <= hi else None
                else:
                    k = args[p][1] if len(args[p]) > 1 else None
                    if k is None:
                        out[idx[p]] = None
                        continue
                    if k <= 0:
                        raise PgError("22016", "argument of nth_value must be greater than zero")
                    q = lo + k - 1
                    out[idx[p]] = args[q][0] if q <= hi else None
        return
    _aggregate(spec, idx, keys, rows, out, ctx, first, last)


def _frame(spec: WindowFuncSpec, p: int, n: int, first: list[int], last: list[int],
           idx: list[int], keys: list[tuple], rows: list[tuple], ctx: Any) -> tuple[int, int]:
    """[lo, hi] positions of row p's frame within its (sorted) partition."""
    f = spec.call.spec.frame
    if f & F_START_UNBOUNDED_PRECEDING:
        lo = 0
    elif f & F_START_CURRENT_ROW:
        lo = p if f & F_ROWS else first[p]
    elif f & (F_START_OFFSET_PRECEDING | F_START_OFFSET_FOLLOWING):
        off = spec.start_off(rows[idx[p]], ctx)
        lo = _offset_pos(spec, p, off, f & F_START_OFFSET_FOLLOWING, True, n, idx, keys)
    else:
        lo = 0
    if f & F_END_UNBOUNDED_FOLLOWING:
        hi = n - 1
    elif f & F_END_CURRENT_ROW:
        hi = p if f & F_ROWS else last[p]
    elif f & (F_END_OFFSET_PRECEDING | F_END_OFFSET_FOLLOWING):
        off = spec.end_off(rows[idx[p]], ctx)
        hi = _offset_pos(spec, p, off, f & F_END_OFFSET_FOLLOWING, False, n, idx, keys)
    else:
        hi = last[p] if spec.order else n - 1
    return max(lo, 0), min(hi, n - 1)


def _offset_pos(spec: WindowFuncSpec, p: int, off: Any, following: int, is_start: bool, n: int,
                idx: list[int], keys: list[tuple]) -> int:
    if off is None:
        raise PgError("22004", "frame starting offset must not be null" if is_start
                      else "frame ending offset must not be null")
    if off < 0:
        raise PgError("22013", "frame starting offset must not be negative" if is_start
                      else "frame ending offset must not be negative")
    f = spec.call.spec.frame
    if f & F_ROWS:
        return p + off if following else p - off
    if f & F_RANGE:
        desc = spec.order[0][1]
        cur = keys[idx[p]][0]
        if cur is None:
            return p
        target = cur + off if bool(following) != bool(desc) else cur - off
        if is_start:
            for q in range(n):
                v = keys[idx[q]][0]
                if v is not None and ((v >= target) if not desc else (v <= target)):
                    return q
            return n
        last_q = -1
        for q in range(n):
            v = keys[idx[q]][0]
            if v is not None and ((v <= target) if not desc else (v >= target)):
                last_q = q
        return last_q
    raise PgError("0A000", "this frame mode is not supported")


def _aggregate(spec: WindowFuncSpec, idx: list[int], keys: list[tuple], rows: list[tuple],
               out: list[Any], ctx: Any, first: list[int], last: list[int]) -> None:
    call = spec.call
    agg = call.agg
    n = len(idx)
    vals = []
    for i in idx:
        row = rows[i]
        if spec.filter is not None and spec.filter(row, ctx) is not True:
            vals.append(None)
            continue
        vals.append(tuple(a(row, ctx) for a in spec.args))
    strict = getattr(agg, "strict", True)

    def run(lo: int, hi: int) -> Any:
        init = agg.init
        st = init() if callable(init) else init
        for q in range(lo, hi + 1):
            v = vals[q]
            if v is None:
                continue
            if call.star:
                st = agg.trans(st)
            elif strict and None in v:
                continue
            else:
                st = agg.trans(st, *v)
        return agg.final(st) if agg.final is not None else st

    f = call.spec.frame
    simple = f & F_START_UNBOUNDED_PRECEDING and not f & (F_END_OFFSET_PRECEDING |
                                                         F_END_OFFSET_FOLLOWING)
    if simple and (f & F_END_UNBOUNDED_FOLLOWING or not spec.order):
        v = run(0, n - 1)
        for p in range(n):
            out[idx[p]] = v
        return
    cache: dict = {}
    for p in range(n):
        lo, hi = _frame(spec, p, n, first, last, idx, keys, rows, ctx)
        key = (lo, hi)
        if key not in cache:
            cache[key] = run(lo, hi) if lo <= hi else run(1, 0)
        out[idx[p]] = cache[key]
