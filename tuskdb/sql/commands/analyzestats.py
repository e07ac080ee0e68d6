"""The statistics slots ANALYZE stores per column (PostgreSQL's compute_scalar_stats).

For a column whose type has a btree ordering, the non-NULL sample values are
sorted and three slots are filled, in this order, as PostgreSQL does:

- most common values (stakind 1, the type's ``=``): values seen more than once,
  most frequent first (ties in sort order), at most ``statistics_target`` (100)
  of them, with their frequencies over the sampled rows;
- histogram (stakind 2, ``<``): when at least two distinct values are left once
  the common ones are taken out, up to 101 bounds chosen at evenly spaced
  positions of the remaining sorted values (duplicates included);
- correlation (stakind 3, ``<``): between the physical order of the rows and the
  sorted order of their values, when there are at least two values.

Every row is sampled (PostgreSQL samples 30,000 rows; below that it reads all
of them too).  Types without an ordering get no slots.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.types.arrays import TypedArray

STATISTIC_KIND_MCV, STATISTIC_KIND_HISTOGRAM, STATISTIC_KIND_CORRELATION = 1, 2, 3
STATS_TARGET = 100
DEFAULT_COLLATION = 100


def _operator(type_oid: int, name: str) -> int:
    """The btree operator ``name`` for a column type (its own, or the one it reuses)."""
    t = types.TYPES.get(type_oid)
    candidates = [type_oid]
    if t is not None:
        if t.category == "S":
            candidates.append(25)               # varchar, name ... compare as text
        if t.category == "A":
            candidates.append(2277)             # anyarray
        if t.category == "E":
            candidates.append(3500)             # anyenum
    for c in candidates:
        for op in types.OPERATORS:
            if op.name == name and op.left == c and op.right == c:
                return op.oid
    return 0


def compute_slots(values: list[Any], nrows: int, type_oid: int
                  ) -> list[tuple[int, int, int, Any, Any]]:
    """``[(stakind, staop, stacoll, stanumbers, stavalues)]`` for one column.

    ``values`` are the column's non-NULL values in physical row order; ``nrows``
    counts the sampled rows (NULLs included)."""
    if not values:
        return []
    lt = _operator(type_oid, "<")
    eq = _operator(type_oid, "=")
    if not lt or not eq:
        return []
    try:
        keys = [types.encode_key([v], [type_oid]) for v in values]
    except Exception:   # noqa: BLE001 - a type without an order-preserving key
        return []
    order = sorted(range(len(values)), key=lambda i: keys[i])
    t = types.TYPES.get(type_oid)
    coll = DEFAULT_COLLATION if t is not None and t.category == "S" else 0

    # runs of equal values in sorted order: (first sorted position, count)
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(order):
        j = i + 1
        while j < len(order) and keys[order[j]] == keys[order[i]]:
            j += 1
        runs.append((i, j - i))
        i = j
    slots: list[tuple[int, int, int, Any, Any]] = []

    # most common values: the runs longer than one, most frequent first
    multiple = [r for r in runs if r[1] > 1]
    multiple.sort(key=lambda r: -r[1])                      # stable: ties keep sort order
    mcv = multiple[:STATS_TARGET]
    if mcv:
        slots.append((STATISTIC_KIND_MCV, eq, coll,
                      types.Array([float(float4(c / nrows)) for _, c in mcv]),
                      TypedArray(type_oid, [values[order[start]] for start, _ in mcv])))

    # histogram over what the common values leave
    in_mcv = {start for start, _ in mcv}
    rest = [order[k] for start, count in runs if start not in in_mcv
            for k in range(start, start + count)]
    num_hist = len(runs) - len(mcv)
    if num_hist > STATS_TARGET + 1:
        num_hist = STATS_TARGET + 1
    if num_hist >= 2:
        nvals = len(rest)
        delta, deltafrac = divmod(nvals - 1, num_hist - 1)
        pos = posfrac = 0
        bounds = []
        for _ in range(num_hist):
            bounds.append(values[rest[pos]])
            pos += delta
            posfrac += deltafrac
            if posfrac >= num_hist - 1:
                pos += 1
                posfrac -= num_hist - 1
        slots.append((STATISTIC_KIND_HISTOGRAM, lt, coll, None, TypedArray(type_oid, bounds)))

    # correlation between physical position and sorted position
    n = len(values)
    if n > 1:
        xsum = (n - 1) * n / 2.0
        x2sum = (n - 1) * n * (2 * n - 1) / 6.0
        xysum = float(sum(rank * phys for rank, phys in enumerate(order)))
        corr = (n * xysum - xsum * xsum) / (n * x2sum - xsum * xsum)
        slots.append((STATISTIC_KIND_CORRELATION, lt, coll, types.Array([float4(corr)]), None))
    return slots


def float4(x: float) -> float:
    """x rounded to binary32, as stanumbers (real[]) holds it."""
    import struct
    return struct.unpack("<f", struct.pack("<f", x))[0]
