"""ts_rank and ts_rank_cd.

ts_rank: for OR-like queries, each distinct query lexeme contributes the
weighted sum of its occurrences (w_i / i^2, the heaviest counted at full
weight) scaled by pi^2/6, averaged over the lexemes; for AND/phrase queries,
every pair of occurrences of different query lexemes contributes
sqrt(w1 * w2 * f(distance)), combined as 1 - prod(1 - x).  ts_rank_cd: cover
density: each minimal cover (extent) of the query in the document adds
(number of lexemes / sum of inverse weights) / (1 + noise words).  Both then
apply the normalization bit mask.  Arithmetic follows PostgreSQL's float4 /
float8 mix, so the printed values agree.
"""

from __future__ import annotations

import math
import struct
from typing import Any

from tuskdb.errors import PgError
from tuskdb.types.tsearch.execute import NO, YES, PhraseData, execute_node
from tuskdb.types.tsearch.tsquery import OP_AND, OP_PHRASE, QOperand, QOperator, TSQuery
from tuskdb.types.tsearch.tsvector import MAXENTRYPOS, TSVector, lexeme_key, wep_pos, wep_weight

DEFAULT_WEIGHTS = (0.1, 0.2, 0.4, 1.0)      # D, C, B, A
RANK_NORM_LOGLENGTH, RANK_NORM_LENGTH, RANK_NORM_EXTDIST = 0x01, 0x02, 0x04
RANK_NORM_UNIQ, RANK_NORM_LOGUNIQ, RANK_NORM_RDIVRPLUS1 = 0x08, 0x10, 0x20

_F = struct.Struct("f")


def f32(x: float) -> float:
    try:
        return _F.unpack(_F.pack(x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def get_weights(arr: Any) -> tuple[float, ...]:
    if arr is None:
        return tuple(f32(w) for w in DEFAULT_WEIGHTS)
    if arr.dims is not None and len(arr.dims) != 1:
        raise PgError("2202E", "array of weight must be one-dimensional")
    if len(arr.items) < 4:
        raise PgError("2202E", "array of weight is too short")
    out = []
    for i, v in enumerate(arr.items[:4]):
        if v is None:
            raise PgError("22004", "array of weight must not contain nulls")
        w = v if v >= 0 else DEFAULT_WEIGHTS[i]
        if w > 1.0:
            raise PgError("22023", "weight out of range")
        out.append(f32(w))
    return tuple(out)


def _operands(q: TSQuery) -> list[QOperand]:
    """The query's operands in storage order."""
    out: list[QOperand] = []

    def walk(n: Any) -> None:
        if isinstance(n, QOperand):
            out.append(n)
        elif n.oper == 1:
            walk(n.right)
        else:
            walk(n.right)
            walk(n.left)
    if q.root is not None:
        walk(q.root)
    return out


def _sort_uniq(q: TSQuery) -> list[QOperand]:
    """SortAndUniqItems: operands sorted by lexeme (PostgreSQL's qsort, so which
    of two equal lexemes survives is PostgreSQL's choice), duplicates removed."""
    from tuskdb.types.tsearch.pgsort import pg_qsort
    ops = _operands(q)
    if len(ops) < 2:
        return ops

    def cmp(a: QOperand, b: QOperand) -> int:
        ka, kb = lexeme_key(a.value), lexeme_key(b.value)
        return (ka > kb) - (ka < kb)
    pg_qsort(ops, cmp)
    out = [ops[0]]
    for o in ops[1:]:
        if cmp(o, out[-1]) != 0:
            out.append(o)
    return out


def _find_entries(v: TSVector, op: QOperand) -> list[int]:
    if op.prefix:
        return list(v.prefix_range(op.value))
    i = v.find(op.value)
    return [] if i < 0 else [i]


def _word_distance(w: int) -> float:
    if w > 100:
        return 1e-30
    return f32(1.0 / (1.005 + 0.05 * math.exp(f32(w) / 1.5 - 2)))


def _cnt_length(v: TSVector) -> int:
    return sum(len(p) if p else 1 for _, p in v.entries)


def _rank_or(w: tuple[float, ...], v: TSVector, q: TSQuery) -> float:
    items = _sort_uniq(q)
    res = 0.0
    for op in items:
        for ei in _find_entries(v, op):
            post = v.entries[ei][1] or (0,)
            resj = 0.0
            wjm = -1.0
            jm = 0
            for j, p in enumerate(post):
                wp = w[wep_weight(p)]
                resj = f32(resj + wp / ((j + 1) * (j + 1)))
                if wp > wjm:
                    wjm = wp
                    jm = j
            res = f32(res + (wjm + resj - wjm / ((jm + 1) * (jm + 1))) / 1.64493406685)
    if items:
        res = f32(res / len(items))
    return res


def _rank_and(w: tuple[float, ...], v: TSVector, q: TSQuery) -> float:
    items = _sort_uniq(q)
    if len(items) < 2:
        return _rank_or(w, v, q)
    posnull = (MAXENTRYPOS - 1,)
    pos: list[tuple[tuple[int, ...], bool] | None] = [None] * len(items)
    res = -1.0
    for i, op in enumerate(items):
        for ei in _find_entries(v, op):
            ps = v.entries[ei][1]
            cur = (ps, False) if ps else (posnull, True)
            pos[i] = cur
            post, inull = cur
            for k in range(i):
                other = pos[k]
                if other is None:
                    continue
                ct, knull = other
                for pl in post:
                    for pc in ct:
                        dist = abs(wep_pos(pl) - wep_pos(pc))
                        if dist or inull or knull:
                            if not dist:
                                dist = MAXENTRYPOS
                            curw = f32(math.sqrt(w[wep_weight(pl)] * w[wep_weight(pc)]
                                                 * _word_distance(dist)))
                            res = curw if res < 0 else f32(1.0 - (1.0 - res) * (1.0 - curw))
    return res


def calc_rank(w: tuple[float, ...], v: TSVector, q: TSQuery, method: int) -> float:
    if not v.entries or q.root is None:
        return 0.0
    root = q.root
    if isinstance(root, QOperator) and root.oper in (OP_AND, OP_PHRASE):
        res = _rank_and(w, v, q)
    else:
        res = _rank_or(w, v, q)
    if res < 0:
        res = f32(1e-20)
    if method & RANK_NORM_LOGLENGTH and v.entries:
        res = f32(res / (math.log(_cnt_length(v) + 1) / math.log(2.0)))
    if method & RANK_NORM_LENGTH:
        n = _cnt_length(v)
        if n > 0:
            res = f32(res / f32(n))
    if method & RANK_NORM_UNIQ and v.entries:
        res = f32(res / f32(len(v.entries)))
    if method & RANK_NORM_LOGUNIQ and v.entries:
        res = f32(res / (math.log(len(v.entries) + 1) / math.log(2.0)))
    if method & RANK_NORM_RDIVRPLUS1:
        res = f32(res / (res + 1))
    return res


def ts_rank_wttf(weights: Any, v: TSVector, q: TSQuery, method: int) -> float:
    return calc_rank(get_weights(weights), v, q, method)


def ts_rank_wtt(weights: Any, v: TSVector, q: TSQuery) -> float:
    return calc_rank(get_weights(weights), v, q, 0)


def ts_rank_ttf(v: TSVector, q: TSQuery, method: int) -> float:
    return calc_rank(get_weights(None), v, q, method)


def ts_rank_tt(v: TSVector, q: TSQuery) -> float:
    return calc_rank(get_weights(None), v, q, 0)


# --- cover density -------------------------------------------------------------------------

MAXQROPOS = 4


class _OpData:
    __slots__ = ("exists", "pos")

    def __init__(self) -> None:
        self.exists = False
        self.pos: list[int] = []


def _docrep(v: TSVector, ops: list[QOperand]) -> list[tuple[int, int, list[int]]]:
    """(WordEntryPos, entry index, operand indexes) sorted by position."""
    raw: list[tuple[int, int, int, int]] = []
    for oi, op in enumerate(ops):
        for ei in _find_entries(v, op):
            ps = v.entries[ei][1]
            if not ps:
                continue
            for p in ps:
                if op.weight == 0 or op.weight & (1 << wep_weight(p)):
                    raw.append((wep_pos(p), wep_weight(p), ei, oi))
    if not raw:
        return []
    raw.sort(key=lambda r: (r[0], r[1], r[2]))
    doc: list[tuple[int, int, list[int]]] = []
    for pos, weight, ei, oi in raw:
        wep = pos | (weight << 14)
        if doc and doc[-1][0] == wep and doc[-1][1] == ei:
            doc[-1][2].append(oi)
        else:
            doc.append((wep, ei, [oi]))
    return doc


def _fill(data: list[_OpData], entry: tuple[int, int, list[int]]) -> None:
    wep = entry[0]
    for oi in entry[2]:
        d = data[oi]
        d.exists = True
        if not d.pos or wep_pos(d.pos[-1]) != wep_pos(wep):
            if len(d.pos) < MAXQROPOS:
                d.pos.append(wep_pos(wep))


def _covers(q: TSQuery, ops: list[QOperand], doc: list[tuple[int, int, list[int]]]
            ) -> list[tuple[int, int, int, int]]:
    """(begin index, end index, p, q) of each cover, as Cover() finds them."""
    out = []
    start = 0
    n = len(doc)
    while start < n:
        data = [_OpData() for _ in ops]
        found = False
        end_i = -1
        qpos = 0
        i = start
        while i < n:
            _fill(data, doc[i])
            if execute_node(q.root, _checker(ops, data)) != NO:
                if wep_pos(doc[i][0]) > qpos:
                    qpos = wep_pos(doc[i][0])
                    end_i = i
                    found = True
                break
            i += 1
        if not found:
            break
        data = [_OpData() for _ in ops]
        ppos = 1 << 40
        begin_i = -1
        i = end_i
        while i >= start:
            _fill_reverse(data, doc[i])
            if execute_node(q.root, _checker(ops, data)) != NO:
                if wep_pos(doc[i][0]) < ppos:
                    begin_i = i
                    ppos = wep_pos(doc[i][0])
                break
            i -= 1
        if ppos <= qpos:
            out.append((begin_i, end_i, ppos, qpos))
            start = i + 1
        else:
            start += 1
    return out


def _fill_reverse(data: list[_OpData], entry: tuple[int, int, list[int]]) -> None:
    wep = entry[0]
    for oi in entry[2]:
        d = data[oi]
        d.exists = True
        if not d.pos or wep_pos(d.pos[0]) != wep_pos(wep):
            if len(d.pos) < MAXQROPOS:
                d.pos.insert(0, wep_pos(wep))


def _checker(ops: list[QOperand], data: list[_OpData]) -> Any:
    index: dict[int, list[int]] = {}
    for i, o in enumerate(ops):
        index.setdefault(id(o), []).append(i)

    def check(op: QOperand, pd: PhraseData | None) -> int:
        d = data[index[id(op)][0]]
        if not d.exists:
            return NO
        if pd is not None:
            pd.pos = list(d.pos)
        return YES
    return check


def calc_rank_cd(weights: Any, v: TSVector, q: TSQuery, method: int) -> float:
    w = get_weights(weights)
    invws = [1.0 / x for x in w]
    if q.root is None:
        return 0.0
    ops = _operands(q)
    doc = _docrep(v, ops)
    if not doc:
        return 0.0
    wdoc = 0.0
    sumdist = 0.0
    prev_ext = 0.0
    nextent = 0
    for begin, end, p, qq in _covers(q, ops, doc):
        invsum = 0.0
        for i in range(begin, end + 1):
            invsum += invws[wep_weight(doc[i][0])]
        cpos = (end - begin + 1) / invsum
        nnoise = (qq - p) - (end - begin)
        if nnoise < 0:
            nnoise = (end - begin) // 2
        wdoc += cpos / (1 + nnoise)
        cur_ext = (qq + p) / 2.0
        if nextent > 0 and cur_ext > prev_ext:
            sumdist += 1.0 / (cur_ext - prev_ext)
        prev_ext = cur_ext
        nextent += 1
    if method & RANK_NORM_LOGLENGTH and v.entries:
        wdoc /= math.log(_cnt_length(v) + 1)
    if method & RANK_NORM_LENGTH:
        n = _cnt_length(v)
        if n > 0:
            wdoc /= n
    if method & RANK_NORM_EXTDIST and nextent > 0 and sumdist > 0:
        wdoc /= nextent / sumdist
    if method & RANK_NORM_UNIQ and v.entries:
        wdoc /= len(v.entries)
    if method & RANK_NORM_LOGUNIQ and v.entries:
        wdoc /= math.log(len(v.entries) + 1) / math.log(2.0)
    if method & RANK_NORM_RDIVRPLUS1:
        wdoc /= wdoc + 1
    return f32(wdoc)


def ts_rankcd_wttf(weights: Any, v: TSVector, q: TSQuery, method: int) -> float:
    return calc_rank_cd(weights, v, q, method)


def ts_rankcd_wtt(weights: Any, v: TSVector, q: TSQuery) -> float:
    return calc_rank_cd(weights, v, q, 0)


def ts_rankcd_ttf(v: TSVector, q: TSQuery, method: int) -> float:
    return calc_rank_cd(None, v, q, method)


def ts_rankcd_tt(v: TSVector, q: TSQuery) -> float:
    return calc_rank_cd(None, v, q, 0)
