"""tsquery: a tree of lexeme operands joined by ! & | and <N> (phrase).

Value: ``TSQuery(root)``; ``root`` is None for the empty query, else a node:
``QOperand(value, weight, prefix)`` (``weight`` a bit mask: A=8, B=4, C=2,
D=1, 0 = any) or ``QOperator(oper, left, right, distance)`` with ``oper``
OP_NOT (only ``right`` set), OP_AND, OP_OR or OP_PHRASE.  Nodes are immutable.

PostgreSQL stores the tree in prefix ("polish") order with the right operand
of a binary operator first; comparison (tsquery_cmp), the binary format and
numnode follow that layout: items = operands + operators, compared by count,
then by the storage size, then node by node (right child first), operands by
their legacy CRC-32 (as a signed int32) and then bytes.
"""

from __future__ import annotations

import struct
from typing import Any, Callable, Iterator

from tuskdb.errors import PgError
from tuskdb.types.tsearch.tsvector import (
    MAXENTRYPOS, MAXSTRLEN, TokenReader, quote_lexeme, syntax_error,
)

OP_NOT, OP_AND, OP_OR, OP_PHRASE = 1, 2, 3, 4
PRIORITY = {OP_NOT: 4, OP_AND: 2, OP_OR: 1, OP_PHRASE: 3}
QI_VAL, QI_OPR = 1, 2
WEIGHT_BITS = (("A", 8), ("B", 4), ("C", 2), ("D", 1))


# --- PostgreSQL's legacy CRC-32 (reflected table, shifted the "normal" way) ----------------

def _crc_table() -> list[int]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc_table()


def legacy_crc32(data: bytes) -> int:
    """crc32_sz(): the value as PostgreSQL stores it (signed int32)."""
    crc = 0xFFFFFFFF
    for b in data:
        crc = _CRC_TABLE[((crc >> 24) ^ b) & 0xFF] ^ ((crc << 8) & 0xFFFFFFFF)
    crc ^= 0xFFFFFFFF
    return crc - (1 << 32) if crc & 0x80000000 else crc


class QOperand:
    __slots__ = ("value", "weight", "prefix", "_crc")

    def __init__(self, value: str, weight: int = 0, prefix: bool = False) -> None:
        self.value = value
        self.weight = weight
        self.prefix = prefix
        self._crc: int | None = None

    @property
    def valcrc(self) -> int:
        if self._crc is None:
            self._crc = legacy_crc32(self.value.encode("utf-8"))
        return self._crc

    def __repr__(self) -> str:
        return f"QOperand({self.value!r}, {self.weight}, {self.prefix})"


class QOperator:
    __slots__ = ("oper", "left", "right", "distance")

    def __init__(self, oper: int, left: Any, right: Any, distance: int = 0) -> None:
        self.oper = oper
        self.left = left
        self.right = right
        self.distance = distance

    def __repr__(self) -> str:
        return f"QOperator({self.oper}, {self.left!r}, {self.right!r}, {self.distance})"


Node = Any   # QOperand | QOperator


def node_size(n: Node) -> int:
    if isinstance(n, QOperand):
        return 1
    if n.oper == OP_NOT:
        return 1 + node_size(n.right)
    return 1 + node_size(n.left) + node_size(n.right)


def iter_operands(n: Node) -> Iterator[QOperand]:
    """Operands in storage (polish) order."""
    if n is None:
        return
    stack = [n]
    while stack:
        x = stack.pop()
        if isinstance(x, QOperand):
            yield x
        elif x.oper == OP_NOT:
            stack.append(x.right)
        else:
            stack.append(x.left)
            stack.append(x.right)


def node_key(n: Node) -> tuple[Any, ...]:
    """Sort key equivalent to QTNodeCompare."""
    if isinstance(n, QOperand):
        return (-QI_VAL, -n.valcrc, n.value.encode("utf-8"))
    if n.oper == OP_NOT:
        return (-QI_OPR, -n.oper, -1, node_key(n.right))
    return (-QI_OPR, -n.oper, -2, node_key(n.right), node_key(n.left),
            -n.distance if n.oper == OP_PHRASE else 0)


class TSQuery:
    __slots__ = ("root", "_key")

    def __init__(self, root: Node | None) -> None:
        self.root = root
        self._key: tuple[Any, ...] | None = None

    @property
    def size(self) -> int:
        return 0 if self.root is None else node_size(self.root)

    def sort_key(self) -> tuple[Any, ...]:
        if self._key is None:
            if self.root is None:
                self._key = (0, 8)
            else:
                ops = list(iter_operands(self.root))
                size = node_size(self.root)
                varsize = 8 + 12 * size + sum(len(o.value.encode("utf-8")) + 1 for o in ops)
                self._key = (size, varsize, node_key(self.root))
        return self._key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TSQuery) and self.sort_key() == other.sort_key()

    def __hash__(self) -> int:
        return hash(self.sort_key())

    def __lt__(self, other: TSQuery) -> bool:
        return self.sort_key() < other.sort_key()

    def __repr__(self) -> str:
        return f"TSQuery({tsquery_out(self)!r})"


def tsquery_cmp(a: TSQuery, b: TSQuery) -> int:
    ka, kb = a.sort_key(), b.sort_key()
    return 0 if ka == kb else (-1 if ka < kb else 1)


# --- parsing ---------------------------------------------------------------------------

PushVal = Callable[[str, int, bool], Any]
STOP = object()          # placeholder for a stop word (removed by clean_stopwords)


class _Parser:
    """The tsquery grammar: ! binds tightest, then <N>, then &, then |; parentheses."""

    def __init__(self, text: str, pushval: PushVal | None) -> None:
        self.text = text
        self.reader = TokenReader(text, is_tsquery=True)
        self.pushval = pushval
        self.depth = 0

    def error(self) -> PgError:
        return syntax_error("tsquery", self.text)

    def _skip(self) -> None:
        s, i, n = self.text, self.reader.i, len(self.text)
        while i < n and s[i] in " \t\n\r\f\v":
            i += 1
        self.reader.i = i

    def _peek(self) -> str:
        self._skip()
        i = self.reader.i
        return self.text[i] if i < len(self.text) else ""

    def parse(self) -> Node | None:
        if self._peek() == "":
            return None
        node = self._or()
        if self._peek() != "":
            raise self.error()
        return node

    def _or(self) -> Node:
        left = self._and()
        while self._peek() == "|":
            self.reader.i += 1
            right = self._and()
            left = QOperator(OP_OR, left, right)
        return left

    def _and(self) -> Node:
        left = self._phrase()
        while self._peek() == "&":
            self.reader.i += 1
            right = self._phrase()
            left = QOperator(OP_AND, left, right)
        return left

    def _phrase(self) -> Node:
        left = self._not()
        while self._peek() == "<":
            dist = self._phrase_operator()
            right = self._not(after_phrase=True)
            left = QOperator(OP_PHRASE, left, right, dist)
        return left

    def _phrase_operator(self) -> int:
        s, n = self.text, len(self.text)
        i = self.reader.i + 1
        if i < n and s[i] == "-":
            if i + 1 < n and s[i + 1] == ">":
                self.reader.i = i + 2
                return 1
            raise self.error()
        j = i
        if j < n and s[j] in "+-":
            j += 1
        k = j
        while k < n and s[k].isascii() and s[k].isdigit():
            k += 1
        if k == j:
            raise self.error()
        dist = int(s[i:k])
        if dist < 0 or dist > MAXENTRYPOS:
            raise _distance_error()
        if k < n and s[k] == ">":
            self.reader.i = k + 1
            return dist
        raise self.error()

    def _not(self, after_phrase: bool = False) -> Node:
        c = self._peek()
        if c == "" and not after_phrase:
            e = PgError("42601", f'no operand in tsquery: "{self.text}"')
            e.soft_input = True  # type: ignore[attr-defined]
            raise e
        if c == "!":
            self.reader.i += 1
            return QOperator(OP_NOT, None, self._not())
        if c == "(":
            self.reader.i += 1
            node = self._or()
            if self._peek() != ")":
                raise self.error()
            self.reader.i += 1
            return node
        if c in ("", ")", "&", "|", "<", ":"):
            raise self.error()
        return self._operand()

    def _operand(self) -> Node:
        tok = self.reader.next_token(False)
        if tok is None:
            raise self.error()
        value = tok[0]
        weight, prefix = self._modifiers()
        blen = len(value.encode("utf-8"))
        if blen > MAXSTRLEN:
            raise PgError("54000", f'word is too long in tsquery: "{self.text}"')
        if self.pushval is None:
            return QOperand(value, weight, prefix)
        return self.pushval(value, weight, prefix)

    def _modifiers(self) -> tuple[int, bool]:
        s, n = self.text, len(self.text)
        i = self.reader.i
        weight, prefix = 0, False
        if i < n and s[i] == ":":
            i += 1
            while i < n:
                c = s[i].lower()
                if c == "a":
                    weight |= 8
                elif c == "b":
                    weight |= 4
                elif c == "c":
                    weight |= 2
                elif c == "d":
                    weight |= 1
                elif c == "*":
                    prefix = True
                else:
                    break
                i += 1
            self.reader.i = i
        return weight, prefix


def _distance_error() -> PgError:
    e = PgError("22023", "distance in phrase operator must be an integer value between zero "
                f"and {MAXENTRYPOS} inclusive")
    e.soft_input = True  # type: ignore[attr-defined]
    return e


def parse_tsquery(text: str, pushval: PushVal | None = None) -> Node | None:
    return _Parser(text, pushval).parse()


def tsquery_in(text: str, typmod: int = -1, ctx: Any = None) -> TSQuery:
    root = parse_tsquery(text)
    if root is None:
        notice(ctx, f"text-search query doesn't contain lexemes: \"{text}\"")
    return TSQuery(root)


def notice(ctx: Any, message: str) -> None:
    """Send a NOTICE through the session when the context can carry one."""
    sink = getattr(ctx, "notice", None)
    if callable(sink):
        sink(PgError("00000", message, severity="NOTICE"))


# --- output ------------------------------------------------------------------------------

def operand_text(o: QOperand) -> str:
    s = quote_lexeme(o.value)
    if o.prefix or o.weight:
        s += ":"
        if o.prefix:
            s += "*"
        for letter, bit in WEIGHT_BITS:
            if o.weight & bit:
                s += letter
    return s


def _op_text(n: QOperator) -> str:
    if n.oper == OP_AND:
        return " & "
    if n.oper == OP_OR:
        return " | "
    return " <-> " if n.distance == 1 else f" <{n.distance}> "


def _infix(n: Node, parent_prio: int, right_phrase: bool) -> str:
    if isinstance(n, QOperand):
        return operand_text(n)
    prio = PRIORITY[n.oper]
    if n.oper == OP_NOT:
        s = "!" + _infix(n.right, prio, False)
    else:
        s = (_infix(n.left, prio, False) + _op_text(n)
             + _infix(n.right, prio, n.oper == OP_PHRASE))
    if parent_prio > prio or (right_phrase and n.oper == OP_PHRASE):
        s = "( " + s + " )"
    return s


def tsquery_out(q: TSQuery, ctx: Any = None) -> str:
    if q.root is None:
        return ""
    return _infix(q.root, 0, False)


def node_text(n: Node | None) -> str:
    return "" if n is None else _infix(n, 0, False)


# --- binary I/O ---------------------------------------------------------------------------

def tsquery_send(q: TSQuery, ctx: Any = None) -> bytes:
    out = [struct.pack("!i", q.size)]

    def walk(n: Node) -> None:
        if isinstance(n, QOperand):
            out.append(struct.pack("!BBB", QI_VAL, n.weight, int(n.prefix)))
            out.append(n.value.encode("utf-8") + b"\x00")
            return
        out.append(struct.pack("!BB", QI_OPR, n.oper))
        if n.oper == OP_PHRASE:
            out.append(struct.pack("!h", n.distance))
        if n.oper == OP_NOT:
            walk(n.right)
        else:
            walk(n.right)
            walk(n.left)
    if q.root is not None:
        walk(q.root)
    return b"".join(out)


def tsquery_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> TSQuery:
    (size,) = struct.unpack_from("!i", data, 0)
    pos = [4]

    def read() -> Node:
        off = pos[0]
        typ = data[off]
        if typ == QI_VAL:
            weight, prefix = data[off + 1], data[off + 2]
            end = data.index(b"\x00", off + 3)
            pos[0] = end + 1
            return QOperand(data[off + 3:end].decode("utf-8"), weight, bool(prefix))
        oper = data[off + 1]
        pos[0] = off + 2
        dist = 0
        if oper == OP_PHRASE:
            (dist,) = struct.unpack_from("!h", data, pos[0])
            pos[0] += 2
        if oper == OP_NOT:
            return QOperator(OP_NOT, None, read())
        right = read()
        left = read()
        return QOperator(oper, left, right, dist)
    return TSQuery(read() if size else None)


# --- operators and functions ---------------------------------------------------------------

def tsquery_and(a: TSQuery, b: TSQuery) -> TSQuery:
    if a.root is None:
        return b
    if b.root is None:
        return a
    return TSQuery(QOperator(OP_AND, a.root, b.root))


def tsquery_or(a: TSQuery, b: TSQuery) -> TSQuery:
    if a.root is None:
        return b
    if b.root is None:
        return a
    return TSQuery(QOperator(OP_OR, a.root, b.root))


def tsquery_not(a: TSQuery) -> TSQuery:
    if a.root is None:
        return a
    return TSQuery(QOperator(OP_NOT, None, a.root))


def tsquery_phrase_distance(a: TSQuery, b: TSQuery, distance: int) -> TSQuery:
    if distance < 0 or distance > MAXENTRYPOS:
        raise PgError("22023", "distance in phrase operator must be an integer value between "
                      f"zero and {MAXENTRYPOS} inclusive")
    if a.root is None:
        return b
    if b.root is None:
        return a
    return TSQuery(QOperator(OP_PHRASE, a.root, b.root, distance))


def tsquery_phrase(a: TSQuery, b: TSQuery) -> TSQuery:
    return tsquery_phrase_distance(a, b, 1)


def tsquery_numnode(q: TSQuery) -> int:
    return q.size


def _values(q: TSQuery) -> set[str]:
    return {o.value for o in iter_operands(q.root)}


def tsq_mcontains(query: TSQuery, ex: TSQuery) -> bool:
    qv, ev = _values(query), _values(ex)
    if len(ev) > len(qv):
        return False
    return ev <= qv


def tsq_mcontained(ex: TSQuery, query: TSQuery) -> bool:
    return tsq_mcontains(query, ex)


def _clean_not(n: Node) -> Node | None:
    """Remove the parts that only negate (querytree)."""
    if isinstance(n, QOperand):
        return n
    if n.oper == OP_NOT:
        return None
    left = _clean_not(n.left)
    right = _clean_not(n.right)
    if n.oper == OP_OR:
        if left is None or right is None:
            return None
        return QOperator(n.oper, left, right, n.distance)
    if left is None:
        return right
    if right is None:
        return left
    return QOperator(n.oper, left, right, n.distance)


def tsquerytree(q: TSQuery) -> str:
    if q.root is None:
        return ""
    n = _clean_not(q.root)
    return "T" if n is None else node_text(n)


def clean_stopwords(root: Node | None) -> Node | None:
    """Remove stop-word placeholders, widening the surrounding phrase distances."""
    if root is None:
        return None
    res, _, _ = _clean_stop(root)
    return res


def _clean_stop(n: Any) -> tuple[Any, int, int]:
    if n is STOP:
        return None, 0, 0
    if isinstance(n, QOperand):
        return n, 0, 0
    if n.oper == OP_NOT:
        child, ladd, radd = _clean_stop(n.right)
        if child is None:
            return None, ladd, radd
        return QOperator(OP_NOT, None, child), ladd, radd
    left, lladd, lradd = _clean_stop(n.left)
    right, rladd, rradd = _clean_stop(n.right)
    isphrase = n.oper == OP_PHRASE
    d = n.distance if isphrase else 0
    if left is None and right is None:
        if isphrase:
            w = lladd + d + rradd
            return None, w, w
        return None, 0, 0
    if left is None:
        return right, (lladd + d + rladd) if isphrase else 0, rradd
    if right is None:
        return left, lladd, (lradd + d + rradd) if isphrase else 0
    if isphrase:
        return QOperator(OP_PHRASE, left, right, d + lradd + rladd), lladd, rradd
    return QOperator(n.oper, left, right), 0, 0
