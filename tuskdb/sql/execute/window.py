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
                                       F_EXCLUDE_CURRENT_ROW, F_EXCLUDE_GROUP, F_EXCLUDE_TIES,
                                       F_GROUPS, F_RANGE, F_ROWS, F_START_CURRENT_ROW,
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
        self.col_type = 0             # the ORDER BY column's type (RANGE offsets)


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
        for i in _output_order(self.specs, rows, ctx):
            yield rows[i] + tuple(r[i] for r in results)


def _sort_spec(spec: WindowFuncSpec) -> list[tuple[Any, bool, bool]]:
    """The sort a window's input gets: PARTITION BY keys, then its ORDER BY."""
    return [(p, False, False) for p in spec.partition] + list(spec.order)


def _spec_key(items: list[tuple[Any, bool, bool]]) -> tuple:
    from tuskdb.sql.analyze.select import expr_key
    from tuskdb.sql.expr import SOURCE
    out = []
    for f, desc, nf in items:
        e = SOURCE.get(f)
        out.append((expr_key(e) if e is not None else id(f), desc, nf))
    return tuple(out)


def _output_order(specs: list[WindowFuncSpec], rows: list[tuple], ctx: Any) -> list[int]:
    """Rows leave in the order PostgreSQL's stacked WindowAgg nodes give them: windows
    with longer sorts are evaluated first, and a later window re-sorts its input unless
    the current order already satisfies its sort."""
    order = list(range(len(rows)))
    current: tuple | None = None
    for spec in sorted(specs, key=lambda sp: -len(_sort_spec(sp))):
        items = _sort_spec(spec)
        if not items:
            continue
        key = _spec_key(items)
        if current is not None and current[:len(key)] == key:
            continue
        vals = [tuple(f(rows[i], ctx) for f, _, _ in items) for i in range(len(rows))]
        order = multikey_sort(order, lambda i, pos: vals[i][pos],
                              [(pos, desc, nf) for pos, (_, desc, nf) in enumerate(items)])
        current = key
    return order


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
            part = _Partition(idx, keys, first, last)
            for p in range(n):
                lo, hi = _frame(spec, p, n, first, last, idx, keys, rows, ctx, part)
                frame = _frame_positions(spec, p, lo, hi, first, last)
                if name == "first_value":
                    out[idx[p]] = args[frame[0]][0] if len(frame) else None
                elif name == "last_value":
                    out[idx[p]] = args[frame[-1]][0] if len(frame) else None
                else:
                    k = args[p][1] if len(args[p]) > 1 else None
                    if k is None:
                        out[idx[p]] = None
                        continue
                    if k <= 0:
                        raise PgError("22016", "argument of nth_value must be greater than zero")
                    out[idx[p]] = args[frame[k - 1]][0] if k <= len(frame) else None
        return
    _aggregate(spec, idx, keys, rows, out, ctx, first, last)


class _Partition:
    """A sorted partition's peer groups, for frame computations."""

    def __init__(self, idx: list[int], keys: list[tuple], first: list[int], last: list[int]
                 ) -> None:
        self.idx = idx
        self.keys = keys
        self.first = first
        self.last = last
        n = len(idx)
        self.group = [0] * n              # peer group number of each position
        self.gstart: list[int] = []
        self.gend: list[int] = []
        g = -1
        for p in range(n):
            if p == 0 or first[p] != first[p - 1]:
                g += 1
                self.gstart.append(first[p])
                self.gend.append(last[p])
            self.group[p] = g


def _frame(spec: WindowFuncSpec, p: int, n: int, first: list[int], last: list[int],
           idx: list[int], keys: list[tuple], rows: list[tuple], ctx: Any,
           part: _Partition | None = None) -> tuple[int, int]:
    """[lo, hi] positions of row p's frame within its (sorted) partition."""
    f = spec.call.spec.frame
    if f & F_START_UNBOUNDED_PRECEDING:
        lo = 0
    elif f & F_START_CURRENT_ROW:
        lo = p if f & F_ROWS else first[p]
    elif f & (F_START_OFFSET_PRECEDING | F_START_OFFSET_FOLLOWING):
        off = spec.start_off(rows[idx[p]], ctx)
        lo = _offset_pos(spec, p, off, f & F_START_OFFSET_FOLLOWING, True, n, idx, keys,
                         part, ctx)
    else:
        lo = 0
    if f & F_END_UNBOUNDED_FOLLOWING:
        hi = n - 1
    elif f & F_END_CURRENT_ROW:
        hi = p if f & F_ROWS else last[p]
    elif f & (F_END_OFFSET_PRECEDING | F_END_OFFSET_FOLLOWING):
        off = spec.end_off(rows[idx[p]], ctx)
        hi = _offset_pos(spec, p, off, f & F_END_OFFSET_FOLLOWING, False, n, idx, keys,
                         part, ctx)
    else:
        hi = last[p] if spec.order else n - 1
    return max(lo, 0), min(hi, n - 1)


def _excluded(spec: WindowFuncSpec, p: int, first: list[int], last: list[int]) -> Any:
    """Positions the frame's EXCLUDE clause removes for row p (None: none)."""
    f = spec.call.spec.frame
    if f & F_EXCLUDE_CURRENT_ROW:
        return (p,)
    if f & F_EXCLUDE_GROUP:
        return range(first[p], last[p] + 1)
    if f & F_EXCLUDE_TIES:
        return tuple(q for q in range(first[p], last[p] + 1) if q != p)
    return None


def _frame_positions(spec: WindowFuncSpec, p: int, lo: int, hi: int, first: list[int],
                     last: list[int]) -> Any:
    excl = _excluded(spec, p, first, last)
    if not excl:
        return range(lo, hi + 1)
    ex = set(excl)
    return [q for q in range(lo, hi + 1) if q not in ex]


def _offset_pos(spec: WindowFuncSpec, p: int, off: Any, following: int, is_start: bool, n: int,
                idx: list[int], keys: list[tuple], part: _Partition | None = None,
                ctx: Any = None) -> int:
    if off is None:
        raise PgError("22004", "frame starting offset must not be null" if is_start
                      else "frame ending offset must not be null")
    f = spec.call.spec.frame
    if _negative(off):
        if f & F_RANGE:
            raise PgError("22013", "invalid preceding or following size in window function")
        raise PgError("22013", "frame starting offset must not be negative" if is_start
                      else "frame ending offset must not be negative")
    if f & F_ROWS:
        return p + off if following else p - off
    if f & F_GROUPS:
        part = part or _Partition(idx, keys, *_peer_bounds(idx, keys))
        g = part.group[p] + (off if following else -off)
        ng = len(part.gstart)
        if is_start:
            return 0 if g < 0 else (n if g >= ng else part.gstart[g])
        return -1 if g < 0 else (n - 1 if g >= ng else part.gend[g])
    if f & F_RANGE:
        desc = spec.order[0][1]
        nulls_first = spec.order[0][2]
        cur = keys[idx[p]][0]
        if cur is None:
            # a NULL current row: its frame bound is its peer group's (the NULLs)
            part = part or _Partition(idx, keys, *_peer_bounds(idx, keys))
            return part.first[p] if is_start else part.last[p]
        sub = bool(not following) != bool(desc)
        less = desc if is_start else not desc
        ok = _in_range_fn(spec.col_type)
        if is_start:
            for q in range(n):
                v = keys[idx[q]][0]
                if v is None:
                    if nulls_first:
                        continue
                    return q
                if ok(v, cur, off, sub, less, ctx):
                    return q
            return n
        last_q, lead_nulls = -1, -1
        for q in range(n):
            v = keys[idx[q]][0]
            if v is None:
                if nulls_first:
                    lead_nulls = q
                    continue
                break
            if ok(v, cur, off, sub, less, ctx):
                last_q = q
        return last_q if last_q >= 0 else lead_nulls
    raise PgError("0A000", "this frame mode is not supported")


def _negative(off: Any) -> bool:
    from tuskdb.types.interval import Interval
    if isinstance(off, Interval):
        return (off.months * 30 + off.days) * 86_400_000_000 + off.micros < 0
    try:
        return off < 0
    except TypeError:
        return False


def _in_range_fn(col_type: int) -> Any:
    """in_range(val, base, offset, sub, less): is val <= / >= base -/+ offset."""
    import math
    from decimal import Decimal

    from tuskdb.types.arrays import elem_cmp

    def cmp_ok(val: Any, target: Any, less: bool) -> bool:
        c = elem_cmp(val, target)
        return c <= 0 if less else c >= 0

    if col_type in (700, 701, 1700):
        def num(val: Any, base: Any, off: Any, sub: bool, less: bool, ctx: Any) -> bool:
            def isnan(x: Any) -> bool:
                return x != x if isinstance(x, float) else (isinstance(x, Decimal)
                                                            and x.is_nan())
            if isnan(val):
                return True if isnan(base) else not less
            if isnan(base):
                return less
            if isinstance(base, Decimal):
                inf_off = off.is_infinite() if isinstance(off, Decimal) else math.isinf(off)
                inf_base = base.is_infinite()
            else:
                inf_off, inf_base = math.isinf(off), math.isinf(base)
            if inf_off and inf_base and (base > 0 if sub else base < 0):
                return True
            target = base - off if sub else base + off
            return val <= target if less else val >= target
        return num
    if col_type in (20, 21, 23):
        return lambda val, base, off, sub, less, ctx: (
            val <= (base - off if sub else base + off) if less
            else val >= (base - off if sub else base + off))
    if col_type in (1082, 1114, 1184):
        from tuskdb.types import datetime as dt

        def conv(v: Any, ctx: Any) -> Any:
            if col_type == 1082:
                return dt.date2timestamp(v)
            return v

        def moved(base: Any, off: Any, sub: bool, ctx: Any) -> Any:
            if col_type == 1184:
                return (dt.timestamptz_mi_interval if sub else dt.timestamptz_pl_interval)(
                    ctx.types, base, off)
            return (dt.timestamp_mi_interval if sub else dt.timestamp_pl_interval)(base, off)

        def ts(val: Any, base: Any, off: Any, sub: bool, less: bool, ctx: Any) -> bool:
            return cmp_ok(conv(val, ctx), moved(conv(base, ctx), off, sub, ctx), less)
        return ts
    if col_type == 1186:
        from tuskdb.types.interval import interval_mi, interval_pl
        return lambda val, base, off, sub, less, ctx: cmp_ok(
            val, interval_mi(base, off) if sub else interval_pl(base, off), less)
    if col_type in (1083, 1266):
        def tm(val: Any, base: Any, off: Any, sub: bool, less: bool, ctx: Any) -> bool:
            # no wraparound, as PostgreSQL's in_range for time
            if col_type == 1266:
                vb = val.time + val.zone * 1_000_000
                bb = base.time + base.zone * 1_000_000
            else:
                vb, bb = val, base
            target = bb - off.micros if sub else bb + off.micros
            return vb <= target if less else vb >= target
        return tm
    return lambda val, base, off, sub, less, ctx: cmp_ok(
        val, base - off if sub else base + off, less)


def _aggregate(spec: WindowFuncSpec, idx: list[int], keys: list[tuple], rows: list[tuple],
               out: list[Any], ctx: Any, first: list[int], last: list[int]) -> None:
    call = spec.call
    agg = call.agg
    if getattr(agg, "has_moving", False) and not call.spec.frame & F_START_UNBOUNDED_PRECEDING:
        _moving_aggregate(spec, agg.bind_moving(ctx), idx, keys, rows, out, ctx, first, last)
        return
    if hasattr(agg, "bind"):        # a user-defined aggregate: its functions need ctx
        agg = agg.bind(ctx)
    n = len(idx)
    vals = []
    for i in idx:
        row = rows[i]
        if spec.filter is not None and spec.filter(row, ctx) is not True:
            vals.append(None)
            continue
        vals.append(tuple(a(row, ctx) for a in spec.args))
    strict = getattr(agg, "strict", True)

    def step(st: Any, v: Any) -> Any:
        if v is None:
            return st
        if call.star:
            return agg.trans(st)
        if strict and None in v:
            return st
        return agg.trans(st, *v)

    def start() -> Any:
        init = agg.init
        return init() if callable(init) else init

    def finish(st: Any) -> Any:
        if agg.final is None:
            return st
        # the running state goes on being advanced: finalize a copy of mutable ones
        return agg.final(_copy(st))

    def run(positions: Any) -> Any:
        st = start()
        for q in positions:
            st = step(st, vals[q])
        return agg.final(st) if agg.final is not None else st

    f = call.spec.frame
    simple = f & F_START_UNBOUNDED_PRECEDING and not f & (F_END_OFFSET_PRECEDING |
                                                         F_END_OFFSET_FOLLOWING)
    excluding = f & (F_EXCLUDE_CURRENT_ROW | F_EXCLUDE_GROUP | F_EXCLUDE_TIES)
    if simple and not excluding and (f & F_END_UNBOUNDED_FOLLOWING or not spec.order):
        v = run(range(n))
        for p in range(n):
            out[idx[p]] = v
        return
    part = _Partition(idx, keys, first, last) if f & (F_GROUPS | F_RANGE) else None
    cache: dict = {}
    running, pos = None, -1          # the state over positions 0..pos (frames from 0)
    for p in range(n):
        lo, hi = _frame(spec, p, n, first, last, idx, keys, rows, ctx, part)
        if excluding:
            out[idx[p]] = run(_frame_positions(spec, p, lo, hi, first, last))
            continue
        key = (lo, hi)
        if key in cache:
            out[idx[p]] = cache[key]
            continue
        if lo == 0 and hi >= pos:
            if running is None:
                running = start()
            while pos < hi:
                pos += 1
                running = step(running, vals[pos])
            cache[key] = finish(running)
        else:
            cache[key] = run(range(lo, hi + 1))
        out[idx[p]] = cache[key]


def _moving_aggregate(spec: WindowFuncSpec, m: Any, idx: list[int], keys: list[tuple],
                      rows: list[tuple], out: list[Any], ctx: Any, first: list[int],
                      last: list[int]) -> None:
    """A user aggregate with an inverse transition function over a frame whose head
    moves (nodeWindowAgg's eval_windowaggregates): rows leaving the frame are removed
    with the inverse function, rows entering it added; the state restarts on the
    first row, with an EXCLUDE clause, when the frames do not overlap, or when the
    inverse function gives up (returns NULL)."""
    n = len(idx)
    vals: list[tuple | None] = []
    for i in idx:
        row = rows[i]
        if spec.filter is not None and spec.filter(row, ctx) is not True:
            vals.append(None)
            continue
        vals.append(tuple(a(row, ctx) for a in spec.args))
    f = spec.call.spec.frame
    excluding = f & (F_EXCLUDE_CURRENT_ROW | F_EXCLUDE_GROUP | F_EXCLUDE_TIES)
    part = _Partition(idx, keys, first, last) if f & (F_GROUPS | F_RANGE) else None
    base = upto = 0           # the state holds positions base .. upto-1
    for p in range(n):
        lo, hi = _frame(spec, p, n, first, last, idx, keys, rows, ctx, part)
        restart = p == 0 or bool(excluding) or upto <= lo
        while not restart and base < lo:
            v = vals[base]
            if v is not None and not m.remove(v):
                restart = True
            base += 1
        base = lo
        if restart:
            m.reset()
            upto = lo
        members = set(_frame_positions(spec, p, lo, hi, first, last)) if excluding else None
        while upto <= hi:
            v = vals[upto]
            if v is not None and (members is None or upto in members):
                m.add(v)
            upto += 1
        out[idx[p]] = m.result()


def _copy(st: Any) -> Any:
    if isinstance(st, list):
        return list(st)
    if isinstance(st, dict):
        return dict(st)
    if isinstance(st, set):
        return set(st)
    return st
