"""ts_rewrite: replace occurrences of a target query inside a query.

The query is turned into an n-ary tree (nested ANDs and ORs flattened, the
children of AND/OR/NOT sorted in tsquery order); a node equal to the target,
or an AND/OR node having all of the target's children among its own, is
replaced by a copy of the substitute (marked so it is not rewritten again).
Nodes left with one child collapse; the tree is then made binary again.
"""

from __future__ import annotations

from typing import Any

from tuskdb.types.tsearch.tsquery import (
    OP_AND, OP_NOT, OP_OR, OP_PHRASE, QI_OPR, QI_VAL, QOperand, QOperator, TSQuery,
)


class QTN:
    __slots__ = ("operand", "oper", "distance", "children", "nochange")

    def __init__(self, operand: QOperand | None, oper: int = 0, distance: int = 0,
                 children: list[QTN] | None = None) -> None:
        self.operand = operand
        self.oper = oper
        self.distance = distance
        self.children = children or []
        self.nochange = False

    def copy(self) -> QTN:
        n = QTN(self.operand, self.oper, self.distance, [c.copy() for c in self.children])
        return n


def to_qtn(n: Any) -> QTN:
    if isinstance(n, QOperand):
        return QTN(n)
    if n.oper == OP_NOT:
        return QTN(None, OP_NOT, 0, [to_qtn(n.right)])
    # storage order: the right operand comes first
    return QTN(None, n.oper, n.distance, [to_qtn(n.right), to_qtn(n.left)])


def qtn_key(n: QTN) -> tuple[Any, ...]:
    if n.operand is not None:
        o = n.operand
        return (-QI_VAL, -o.valcrc, o.value.encode("utf-8"))
    return (-QI_OPR, -n.oper, -len(n.children), tuple(qtn_key(c) for c in n.children),
            -n.distance if n.oper == OP_PHRASE else 0)


def ternary(n: QTN) -> None:
    if n.operand is not None:
        return
    for c in n.children:
        ternary(c)
    if n.oper not in (OP_AND, OP_OR):
        return
    out: list[QTN] = []
    for c in n.children:
        if c.operand is None and c.oper == n.oper:
            out.extend(c.children)
        else:
            out.append(c)
    n.children = out


def qtn_sort(n: QTN) -> None:
    if n.operand is not None:
        return
    for c in n.children:
        qtn_sort(c)
    if len(n.children) > 1 and n.oper != OP_PHRASE:
        n.children.sort(key=qtn_key)


def binary(n: QTN) -> None:
    if n.operand is not None:
        return
    for c in n.children:
        binary(c)
    while len(n.children) > 2:
        ch = n.children
        nn = QTN(None, n.oper, 0, [ch[0], ch[1]])
        ch[0] = nn
        ch[1] = ch[-1]
        ch.pop()


def from_qtn(n: QTN) -> Any:
    if n.operand is not None:
        return n.operand
    if n.oper == OP_NOT:
        return QOperator(OP_NOT, None, from_qtn(n.children[0]))
    return QOperator(n.oper, from_qtn(n.children[1]), from_qtn(n.children[0]), n.distance)


def _findeq(node: QTN, ex: QTN, subs: QTN | None, found: list[bool]) -> QTN | None:
    if node.nochange:
        return node
    if (node.operand is None) != (ex.operand is None):
        return node
    if node.operand is not None:
        if node.operand.valcrc != ex.operand.valcrc or qtn_key(node) != qtn_key(ex):
            return node
        found[0] = True
        return _subst(subs)
    if node.oper != ex.oper:
        return node
    if len(node.children) == len(ex.children):
        if qtn_key(node) == qtn_key(ex):
            found[0] = True
            return _subst(subs)
    elif len(node.children) > len(ex.children) > 0:
        matched = [False] * len(node.children)
        nmatched = 0
        i = j = 0
        while i < len(node.children) and j < len(ex.children):
            a, b = qtn_key(node.children[i]), qtn_key(ex.children[j])
            if a == b:
                matched[i] = True
                nmatched += 1
                i += 1
                j += 1
            elif a < b:
                i += 1
            else:
                break
        if nmatched == len(ex.children):
            kept = [c for c, m in zip(node.children, matched) if not m]
            s = _subst(subs)
            if s is not None:
                kept.append(s)
            node.children = kept
            qtn_sort(node)
            found[0] = True
    return node


def _subst(subs: QTN | None) -> QTN | None:
    if subs is None:
        return None
    s = subs.copy()
    s.nochange = True
    return s


def findsubquery(root: QTN | None, ex: QTN, subs: QTN | None, found: list[bool]
                 ) -> QTN | None:
    if root is None:
        return None
    root = _findeq(root, ex, subs, found)
    if root is not None and not root.nochange and root.operand is None:
        kids = []
        for c in root.children:
            r = findsubquery(c, ex, subs, found)
            if r is not None:
                kids.append(r)
        root.children = kids
        if not kids:
            return None
        if len(kids) == 1 and root.oper != OP_NOT:
            return kids[0]
    return root


def prepare(q: TSQuery) -> QTN:
    t = to_qtn(q.root)
    ternary(t)
    qtn_sort(t)
    return t


def finish(tree: QTN | None) -> TSQuery:
    if tree is None:
        return TSQuery(None)
    binary(tree)
    return TSQuery(from_qtn(tree))


def rewrite_step(tree: QTN | None, ex: TSQuery, subst: TSQuery) -> QTN | None:
    if tree is None or ex.root is None:
        return tree
    qex = prepare(ex)
    subs = to_qtn(subst.root) if subst.root is not None else None
    return findsubquery(tree, qex, subs, [False])


def tsquery_rewrite(query: TSQuery, target: TSQuery, substitute: TSQuery) -> TSQuery:
    if query.root is None or target.root is None:
        return query
    return finish(rewrite_step(prepare(query), target, substitute))
