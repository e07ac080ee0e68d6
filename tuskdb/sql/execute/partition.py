"""Tuple routing for partitioned tables (PostgreSQL's execPartition.c and
get_partition_for_tuple).

A ``PartitionRouter`` belongs to one partitioned table: it computes the key of
a row in that table's shape, finds the partition whose bound accepts it
(list: value lookup, NULL to the partition listing NULL; range: lower <= key <
upper column by column with MINVALUE/MAXVALUE; hash: the combined extended hash
modulo the greatest modulus), and descends into sub-partitioned children.
Rows no partition accepts go to the default partition, or fail with 23514
'no partition of relation "p" found for row'.

Values are compared through their order-preserving key encoding
(types.encode_key), which is the btree order of the default operator class.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.errors import CHECK_VIOLATION, PgError
from tuskdb.types import pghash


def enc(v: Any, t: int) -> bytes:
    return types.encode_key((v,), (t,))


_KIND = {"min": -1, "v": 0, "max": 1}


def cmp_range_bound(b1: list, b2: list, key_types: list[int], lower1: bool,
                    lower2: bool) -> int:
    """partition_rbound_cmp: order of two range bounds (lists of [kind, value]); the
    absolute value is the 1-based number of the column that decided."""
    cmp = 0
    col = 0
    for d1, d2, t in zip(b1, b2, key_types):
        col += 1
        k1, k2 = _KIND[d1[0]], _KIND[d2[0]]
        if k1 != k2:
            return -col if k1 < k2 else col
        if k1 != 0:
            break
        e1, e2 = enc(d1[1], t), enc(d2[1], t)
        if e1 != e2:
            cmp = -1 if e1 < e2 else 1
            break
    if cmp == 0 and lower1 != lower2:
        cmp = 1 if lower1 else -1
    return 0 if cmp == 0 else (-col if cmp < 0 else col)


def _cmp_key_bound(key: list[bytes], bound: list) -> int:
    """Order of a row's (encoded) key against a range bound of encoded datums."""
    for k, d in zip(key, bound):
        if d[0] == "min":
            return 1
        if d[0] == "max":
            return -1
        if k != d[1]:
            return -1 if k < d[1] else 1
    return 0


class PartitionRouter:
    """Routing for one partitioned table (and, through ``sub``, its subtree)."""

    def __init__(self, rel: Any, strategy: str, key_fns: list[Any], key_types: list[int],
                 key_text: list[str]) -> None:
        self.rel = rel
        self.strategy = strategy
        self.key_fns = key_fns            # compiled over a row of rel (values..., tid, oid)
        self.key_types = key_types
        self.key_text = key_text          # column names / deparsed expressions for DETAIL
        self.parts: list[tuple[Any, tuple, Any]] = []   # (child rel, attmap, sub-router)
        self.default: int | None = None
        self.list_index: dict[bytes, int] = {}
        self.null_index: int | None = None
        self.ranges: list[tuple[list, list, int]] = []
        self.hash_parts: list[tuple[int, int, int]] = []   # (modulus, remainder, index)
        self.hash_fns: list[Any] = []

    def add(self, child: Any, attmap: tuple, bound: dict, sub: Any) -> None:
        """``bound`` with internal values (commands.partition.bound_values)."""
        i = len(self.parts)
        self.parts.append((child, attmap, sub))
        if bound.get("is_default"):
            self.default = i
        elif bound["strategy"] == "l":
            t = self.key_types[0]
            for v in bound["values"]:
                if v is None:
                    self.null_index = i
                else:
                    self.list_index[enc(v, t)] = i
        elif bound["strategy"] == "r":
            def e(ds: list) -> list:
                return [d if d[0] != "v" else ["v", enc(d[1], t)]
                        for d, t in zip(ds, self.key_types)]
            self.ranges.append((e(bound["lower"]), e(bound["upper"]), i))
        else:
            self.hash_parts.append((bound["modulus"], bound["remainder"], i))

    def key(self, row: tuple, ctx: Any) -> list:
        return [f(row, ctx) for f in self.key_fns]

    def find(self, row: tuple, ctx: Any) -> int | None:
        """Index in ``parts`` of the partition accepting ``row`` (rel's shape), or None."""
        key = self.key(row, ctx)
        st = self.strategy
        if st == "l":
            v = key[0]
            if v is None:
                i = self.null_index
            else:
                i = self.list_index.get(enc(v, self.key_types[0]))
            return self.default if i is None else i
        if st == "r":
            if any(v is None for v in key):
                return self.default
            k = [enc(v, t) for v, t in zip(key, self.key_types)]
            for lo, hi, i in self.ranges:
                if _cmp_key_bound(k, lo) >= 0 and _cmp_key_bound(k, hi) < 0:
                    return i
            return self.default
        if not self.hash_parts:
            return None
        h = self.row_hash(key, ctx)
        greatest = max(m for m, _, _ in self.hash_parts)
        off = h % greatest
        for m, r, i in self.hash_parts:
            if off % m == r:
                return i
        return None

    def row_hash(self, key: list, ctx: Any) -> int:
        h = 0
        for v, f in zip(key, self.hash_fns):
            if v is not None:
                h = pghash.hash_combine64(h, f(v, pghash.HASH_PARTITION_SEED, ctx) &
                                          pghash._M64)
        return h

    def find_child(self, row: tuple, ctx: Any) -> int | None:
        i = self.find(row, ctx)
        return None if i is None else self.parts[i][0].oid

    def route(self, row: tuple, ctx: Any) -> tuple[Any, tuple]:
        """(leaf relation, the row in its shape); 23514 when no partition accepts it."""
        router = self
        while True:
            i = router.find(row, ctx)
            if i is None:
                raise router.no_partition(row, ctx)
            child, attmap, sub = router.parts[i]
            row = map_row(row, attmap, len(child.columns))
            if sub is None:
                return child, row
            router = sub

    def no_partition(self, row: tuple, ctx: Any) -> PgError:
        key = self.key(row, ctx)
        vals = ", ".join("null" if v is None else types.TYPES[t].output(v, ctx.types)
                         for v, t in zip(key, self.key_types))
        return PgError(CHECK_VIOLATION, f'no partition of relation "{self.rel.name}" found '
                       f"for row",
                       detail=f"Partition key of the failing row contains "
                              f"({', '.join(self.key_text)}) = ({vals}).",
                       schema_name=self.rel.nspname, table_name=self.rel.name)


def map_row(row: tuple, attmap: tuple, width: int) -> tuple:
    """A parent-shaped row (values..., [tid, oid]) as the child's values."""
    if len(attmap) == width and attmap == tuple(range(width)):
        return tuple(row[:width])
    out = [None] * width
    for i, m in enumerate(attmap):
        if m is not None:
            out[m] = row[i]
    return tuple(out)


class PartitionCheck:
    """The partition constraint of a partition: each ancestor, from the nearest up,
    must route a row of the partition to the branch leading to it."""

    def __init__(self, steps: list[tuple[PartitionRouter, tuple, int]]) -> None:
        # (ancestor's router, map: ancestor column i -> position in the partition row,
        #  oid of the ancestor's child on the path)
        self.steps = steps

    def ok(self, values: tuple, ctx: Any) -> bool:
        for router, back, child_oid in self.steps:
            row = tuple(None if m is None else values[m] for m in back)
            if router.find_child(row, ctx) != child_oid:
                return False
        return True


__all__ = ["PartitionRouter", "PartitionCheck", "cmp_range_bound", "enc", "map_row"]
