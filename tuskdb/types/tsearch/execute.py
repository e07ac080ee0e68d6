"""tsvector @@ tsquery: evaluation of a query against a document (TS_execute).

Three-valued: YES, NO, MAYBE (a lexeme matched but has no positions, so a
phrase operator cannot tell).  Phrase operators work on position lists
(``PhraseData``): the positions where the sub-phrase *ends*, its width, and a
``negate`` flag meaning "everywhere except these positions".  At the top level a
phrase that can only say MAYBE counts as no match; any other MAYBE is a match.
"""

from __future__ import annotations

from typing import Any, Callable

from tuskdb.types.tsearch.tsquery import (
    OP_AND, OP_NOT, OP_OR, OP_PHRASE, QOperand, TSQuery,
)
from tuskdb.types.tsearch.tsvector import TSVector, wep_pos, wep_weight

NO, YES, MAYBE = 0, 1, 2


class PhraseData:
    __slots__ = ("pos", "negate", "width")

    def __init__(self) -> None:
        self.pos: list[int] = []
        self.negate = False
        self.width = 0


# A condition callback: (operand, PhraseData | None) -> NO/YES/MAYBE
Check = Callable[[QOperand, Any], int]


def _entry_check(positions: tuple[int, ...], op: QOperand, data: PhraseData | None,
                 out: list[int] | None) -> int:
    if positions:
        if not op.weight and data is None:
            return YES
        found = False
        for p in positions:
            if not op.weight or op.weight & (1 << wep_weight(p)):
                found = True
                if out is None:
                    return YES
                out.append(wep_pos(p))
        return YES if found else NO
    # stripped lexeme: matches whatever the weight; positions unknown
    return MAYBE if data is not None else YES


def vector_checker(v: TSVector) -> Check:
    entries = v.entries

    def check(op: QOperand, data: PhraseData | None) -> int:
        if not op.prefix:
            i = v.find(op.value)
            if i < 0:
                return NO
            out: list[int] | None = [] if data is not None else None
            r = _entry_check(entries[i][1], op, data, out)
            if r == YES and data is not None and out is not None:
                data.pos = out
            return r
        res = NO
        allpos: list[int] = []
        for i in v.prefix_range(op.value):
            out = [] if data is not None else None
            sub = _entry_check(entries[i][1], op, data, out)
            if sub == NO:
                continue
            if data is None:
                return sub
            if sub == MAYBE:
                return MAYBE
            allpos.extend(out or ())
            res = YES
        if data is not None and res == YES:
            data.pos = sorted(set(allpos))
        return res
    return check


def _phrase_output(data: PhraseData | None, ld: PhraseData, rd: PhraseData, emit: int,
                   loff: int, roff: int) -> int:
    """Merge two position lists; emit bits: 1 = both, 2 = left only, 4 = right only."""
    li = ri = 0
    ln, rn = len(ld.pos), len(rd.pos)
    big = 1 << 40
    while li < ln or ri < rn:
        if li < ln:
            lp = ld.pos[li] + loff
        else:
            if not emit & 4:
                break
            lp = big
        if ri < rn:
            rp = rd.pos[ri] + roff
        else:
            if not emit & 2:
                break
            rp = big
        out = -1
        if lp < rp:
            if emit & 2:
                out = lp
            li += 1
        elif lp == rp:
            if emit & 1:
                out = rp
            li += 1
            ri += 1
        else:
            if emit & 4:
                out = rp
            ri += 1
        if out >= 0:
            if data is None:
                return YES
            data.pos.append(out)
    if data is not None and data.pos:
        return YES
    return NO


def _phrase_exec(n: Any, check: Check, data: PhraseData | None) -> int:
    if isinstance(n, QOperand):
        return check(n, data if data is not None else PhraseData())
    if n.oper == OP_NOT:
        d = data if data is not None else PhraseData()
        r = _phrase_exec(n.right, check, d)
        if r == NO:
            d.pos = []
            d.negate = True
            return YES
        if r == YES:
            if d.pos:
                d.negate = not d.negate
                return YES
            if d.negate:
                d.negate = False
                return NO
            return NO
        return MAYBE
    ld, rd = PhraseData(), PhraseData()
    if n.oper in (OP_PHRASE, OP_AND):
        lm = _phrase_exec(n.left, check, ld)
        if lm == NO:
            return NO
        rm = _phrase_exec(n.right, check, rd)
        if rm == NO:
            return NO
        if lm == MAYBE or rm == MAYBE:
            return MAYBE
        if n.oper == OP_PHRASE:
            loff = n.distance + rd.width
            roff = 0
            if data is not None:
                data.width = n.distance + ld.width + rd.width
        else:
            mw = max(ld.width, rd.width)
            loff, roff = mw - ld.width, mw - rd.width
            if data is not None:
                data.width = mw
        if ld.negate and rd.negate:
            _phrase_output(data, ld, rd, 7, loff, roff)
            if data is not None:
                data.negate = True
            return YES
        if ld.negate:
            return _phrase_output(data, ld, rd, 4, loff, roff)
        if rd.negate:
            return _phrase_output(data, ld, rd, 2, loff, roff)
        return _phrase_output(data, ld, rd, 1, loff, roff)
    # OP_OR
    lm = _phrase_exec(n.left, check, ld)
    rm = _phrase_exec(n.right, check, rd)
    if lm == NO and rm == NO:
        return NO
    if lm == MAYBE or rm == MAYBE:
        return MAYBE
    if lm == NO:
        ld.width = rd.width
    if rm == NO:
        rd.width = ld.width
    mw = max(ld.width, rd.width)
    loff, roff = mw - ld.width, mw - rd.width
    d = data if data is not None else PhraseData()
    d.width = mw
    if ld.negate and rd.negate:
        _phrase_output(d, ld, rd, 1, loff, roff)
        d.negate = True
        return YES
    if ld.negate:
        _phrase_output(d, ld, rd, 2, loff, roff)
        d.negate = True
        return YES
    if rd.negate:
        _phrase_output(d, ld, rd, 4, loff, roff)
        d.negate = True
        return YES
    return _phrase_output(d, ld, rd, 7, loff, roff)


def execute_node(n: Any, check: Check, phrase_no_pos: bool = False) -> int:
    if isinstance(n, QOperand):
        return check(n, None)
    if n.oper == OP_NOT:
        r = execute_node(n.right, check, phrase_no_pos)
        return MAYBE if r == MAYBE else (NO if r == YES else YES)
    if n.oper == OP_AND:
        lr = execute_node(n.left, check, phrase_no_pos)
        if lr == NO:
            return NO
        rr = execute_node(n.right, check, phrase_no_pos)
        if rr == NO:
            return NO
        return YES if lr == YES and rr == YES else MAYBE
    if n.oper == OP_OR:
        lr = execute_node(n.left, check, phrase_no_pos)
        if lr == YES:
            return YES
        rr = execute_node(n.right, check, phrase_no_pos)
        if rr == YES:
            return YES
        return MAYBE if lr == MAYBE or rr == MAYBE else NO
    r = _phrase_exec(n, check, None)
    if r == MAYBE:
        return MAYBE if phrase_no_pos else NO
    return r


def ts_match_vq(v: TSVector, q: TSQuery) -> bool:
    if q.root is None:
        return False
    return execute_node(q.root, vector_checker(v)) != NO


def ts_match_qv(q: TSQuery, v: TSVector) -> bool:
    return ts_match_vq(v, q)
