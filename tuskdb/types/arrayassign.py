"""Assignment to array elements and slices (PostgreSQL's array_set_element and
array_set_slice): UPDATE t SET a[i] = v, a[lo:hi] = array[...].

A NULL or empty array becomes a new array whose bounds are the subscripts; a
one-dimensional array grows (NULLs fill any gap); a multi-dimensional one can
only be assigned within its bounds.
"""

from __future__ import annotations

from typing import Any, Sequence

from tuskdb.errors import PgError
from tuskdb.types.arrays import Array

ARRAY_SUBSCRIPT_ERROR = "2202E"


def _null_subscript() -> PgError:
    return PgError("22004", "array subscript in assignment must not be null")


def array_set_element(arr: Array | None, idx: Sequence[int | None], value: Any) -> Array:
    if any(i is None for i in idx):
        raise _null_subscript()
    n = len(idx)
    if arr is None or not arr.items:
        return Array((value,) if n == 1 else (value,), idx[0], (1,) * n, tuple(idx))
    if n != arr.ndim:
        raise PgError(ARRAY_SUBSCRIPT_ERROR, "wrong number of array subscripts")
    if n == 1:
        lb, d = arr.lbounds[0], arr.dims[0]
        i = idx[0]
        items = list(arr.items)
        if i < lb:
            items = [value] + [None] * (lb - i - 1) + items
            return Array(items, i)
        if i >= lb + d:
            items = items + [None] * (i - lb - d) + [value]
            return Array(items, lb)
        items[i - lb] = value
        return Array(items, lb)
    off = 0
    for i, d, lb in zip(idx, arr.dims, arr.lbounds):
        if i < lb or i >= lb + d:
            raise PgError(ARRAY_SUBSCRIPT_ERROR, "array subscript out of range")
        off = off * d + (i - lb)
    items = list(arr.items)
    items[off] = value
    return Array(items, arr.lbounds[0], arr.dims, arr.lbounds)


def array_set_slice(arr: Array | None, lows: Sequence[int | None], highs: Sequence[int | None],
                    has_lo: Sequence[bool], has_hi: Sequence[bool], src: Array | None) -> Any:
    if src is None:
        return arr          # assigning NULL to a slice leaves the array alone
    n = len(lows)
    for lo, hi, hl, hh in zip(lows, highs, has_lo, has_hi):
        if (hl and lo is None) or (hh and hi is None):
            raise _null_subscript()
    src_items = list(src.items)
    if arr is None or not arr.items:
        if not all(has_lo) or not all(has_hi):
            raise PgError(ARRAY_SUBSCRIPT_ERROR, "array slice subscript must provide both "
                          "boundaries",
                          detail="When assigning to a slice of an empty array value, slice "
                                 "boundaries must be fully specified.")
        dims = []
        for lo, hi in zip(lows, highs):
            if hi < lo:
                raise PgError(ARRAY_SUBSCRIPT_ERROR, "upper bound cannot be less than lower "
                              "bound")
            dims.append(hi - lo + 1)
        total = 1
        for d in dims:
            total *= d
        if len(src_items) < total:
            raise PgError(ARRAY_SUBSCRIPT_ERROR, "source array too small")
        return Array(src_items[:total], lows[0], dims, lows)
    if n != arr.ndim:
        raise PgError(ARRAY_SUBSCRIPT_ERROR, "wrong number of array subscripts")
    lows = [lo if hl else lb for lo, hl, lb in zip(lows, has_lo, arr.lbounds)]
    highs = [hi if hh else lb + d - 1 for hi, hh, lb, d in zip(highs, has_hi, arr.lbounds,
                                                                 arr.dims)]
    for lo, hi in zip(lows, highs):
        if hi < lo:
            raise PgError(ARRAY_SUBSCRIPT_ERROR, "upper bound cannot be less than lower bound")
    if n == 1:
        lb, d = arr.lbounds[0], arr.dims[0]
        lo, hi = lows[0], highs[0]
        count = hi - lo + 1
        if len(src_items) < count:
            raise PgError(ARRAY_SUBSCRIPT_ERROR, "source array too small")
        new_lb = min(lb, lo)
        new_ub = max(lb + d - 1, hi)
        items: list[Any] = [None] * (new_ub - new_lb + 1)
        for k, v in enumerate(arr.items):
            items[lb + k - new_lb] = v
        for k in range(count):
            items[lo + k - new_lb] = src_items[k]
        return Array(items, new_lb)
    for lo, hi, lb, d in zip(lows, highs, arr.lbounds, arr.dims):
        if lo < lb or hi >= lb + d:
            raise PgError(ARRAY_SUBSCRIPT_ERROR, "array subscript out of range")
    total = 1
    for lo, hi in zip(lows, highs):
        total *= hi - lo + 1
    if len(src_items) < total:
        raise PgError(ARRAY_SUBSCRIPT_ERROR, "source array too small")
    items = list(arr.items)
    it = iter(src_items)

    def walk(dim: int, off: int) -> None:
        for i in range(lows[dim], highs[dim] + 1):
            o = off * arr.dims[dim] + (i - arr.lbounds[dim])
            if dim == n - 1:
                items[o] = next(it)
            else:
                walk(dim + 1, o)
    walk(0, 0)
    return Array(items, arr.lbounds[0], arr.dims, arr.lbounds)
