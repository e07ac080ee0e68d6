"""PostgreSQL's qsort (Bentley & McIlroy's quicksort: insertion sort below 7
elements, a presorted check, median-of-three pivots, three-way partitioning).

It is not stable, and where PostgreSQL keeps "the first of equal elements"
after sorting (ts_rank's SortAndUniqItems) the survivor depends on this exact
algorithm, so text search sorts with it when ties are observable.
"""

from __future__ import annotations

from typing import Any, Callable

Cmp = Callable[[Any, Any], int]


def pg_qsort(items: list[Any], cmp: Cmp) -> None:
    """Sort ``items`` in place exactly as PostgreSQL's qsort would."""
    _sort(items, 0, len(items), cmp)


def _med3(a: list[Any], i: int, j: int, k: int, cmp: Cmp) -> int:
    if cmp(a[i], a[j]) < 0:
        if cmp(a[j], a[k]) < 0:
            return j
        return k if cmp(a[i], a[k]) < 0 else i
    if cmp(a[j], a[k]) > 0:
        return j
    return i if cmp(a[i], a[k]) < 0 else k


def _swapn(a: list[Any], i: int, j: int, n: int) -> None:
    for x in range(n):
        a[i + x], a[j + x] = a[j + x], a[i + x]


def _sort(a: list[Any], lo: int, n: int, cmp: Cmp) -> None:
    while True:
        if n < 7:
            for m in range(lo + 1, lo + n):
                p = m
                while p > lo and cmp(a[p - 1], a[p]) > 0:
                    a[p], a[p - 1] = a[p - 1], a[p]
                    p -= 1
            return
        presorted = True
        for m in range(lo + 1, lo + n):
            if cmp(a[m - 1], a[m]) > 0:
                presorted = False
                break
        if presorted:
            return
        pm = lo + n // 2
        if n > 7:
            pl = lo
            pn = lo + n - 1
            if n > 40:
                d = n // 8
                pl = _med3(a, pl, pl + d, pl + 2 * d, cmp)
                pm = _med3(a, pm - d, pm, pm + d, cmp)
                pn = _med3(a, pn - 2 * d, pn - d, pn, cmp)
            pm = _med3(a, pl, pm, pn, cmp)
        a[lo], a[pm] = a[pm], a[lo]
        pa = pb = lo + 1
        pc = pd = lo + n - 1
        while True:
            while pb <= pc:
                r = cmp(a[pb], a[lo])
                if r > 0:
                    break
                if r == 0:
                    a[pa], a[pb] = a[pb], a[pa]
                    pa += 1
                pb += 1
            while pb <= pc:
                r = cmp(a[pc], a[lo])
                if r < 0:
                    break
                if r == 0:
                    a[pc], a[pd] = a[pd], a[pc]
                    pd -= 1
                pc -= 1
            if pb > pc:
                break
            a[pb], a[pc] = a[pc], a[pb]
            pb += 1
            pc -= 1
        pn = lo + n
        d1 = min(pa - lo, pb - pa)
        _swapn(a, lo, pb - d1, d1)
        d1 = min(pd - pc, pn - pd - 1)
        _swapn(a, pb, pn - d1, d1)
        d1 = pb - pa
        d2 = pd - pc
        if d1 <= d2:
            if d1 > 1:
                _sort(a, lo, d1, cmp)
            if d2 > 1:
                lo, n = pn - d2, d2
                continue
            return
        if d2 > 1:
            _sort(a, pn - d2, d2, cmp)
        if d1 > 1:
            n = d1
            continue
        return
