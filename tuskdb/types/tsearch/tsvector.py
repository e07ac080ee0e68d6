"""tsvector: a sorted list of distinct lexemes, each with optional positions.

Value: ``TSVector(entries)`` where ``entries`` is a tuple of ``(lexeme, positions)``
sorted by lexeme in byte order (shorter first when one is a prefix of the other),
lexemes distinct.  ``positions`` is a tuple of PostgreSQL's WordEntryPos ints
(``pos | weight << 14``; weight A=3, B=2, C=1, D=0), sorted by position and
distinct by position; an empty tuple means the lexeme has no positions
(stripped).  Positions are 1..16383, at most 256 per lexeme.
"""

from __future__ import annotations

import struct
from typing import Any, Iterator

from tuskdb.errors import PgError

MAXSTRLEN = (1 << 11) - 1          # longest lexeme, bytes
MAXSTRPOS = (1 << 20) - 1          # total lexeme bytes in one tsvector
MAXENTRYPOS = 1 << 14              # positions are clamped below this
MAXNUMPOS = 256                    # positions kept per lexeme
WEIGHT_LETTERS = "DCBA"            # weight code -> letter


def wep_pos(wep: int) -> int:
    return wep & 0x3FFF


def wep_weight(wep: int) -> int:
    return wep >> 14


def limit_pos(pos: int) -> int:
    return pos if pos < MAXENTRYPOS else MAXENTRYPOS - 1


def lexeme_key(s: str) -> bytes:
    """Sort key of a lexeme: PostgreSQL compares the UTF-8 bytes (tsCompareString)."""
    return s.encode("utf-8")


def syntax_error(kind: str, text: str) -> PgError:
    e = PgError("42601", f'syntax error in {kind}: "{text}"')
    e.soft_input = True  # type: ignore[attr-defined]
    return e


class TSVector:
    """An immutable tsvector value (see the module docstring)."""

    __slots__ = ("entries",)

    def __init__(self, entries: tuple[tuple[str, tuple[int, ...]], ...]) -> None:
        self.entries = entries

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TSVector) and self.entries == other.entries

    def __hash__(self) -> int:
        return hash(self.entries)

    def __lt__(self, other: TSVector) -> bool:
        return tsvector_cmp(self, other) < 0

    def __repr__(self) -> str:
        return f"TSVector({tsvector_out(self)!r})"

    def find(self, lexeme: str) -> int:
        """Index of lexeme in entries, or -1."""
        key = lexeme_key(lexeme)
        lo, hi = 0, len(self.entries)
        while lo < hi:
            mid = (lo + hi) // 2
            k = lexeme_key(self.entries[mid][0])
            if k < key:
                lo = mid + 1
            elif k > key:
                hi = mid
            else:
                return mid
        return -1

    def prefix_range(self, prefix: str) -> range:
        """Indexes of the lexemes starting with prefix."""
        key = lexeme_key(prefix)
        lo, hi = 0, len(self.entries)
        while lo < hi:
            mid = (lo + hi) // 2
            if lexeme_key(self.entries[mid][0]) < key:
                lo = mid + 1
            else:
                hi = mid
        end = lo
        n = len(self.entries)
        while end < n and lexeme_key(self.entries[end][0]).startswith(key):
            end += 1
        return range(lo, end)


def unique_positions(positions: list[int]) -> tuple[int, ...]:
    """Sort by position; one entry per position keeping the highest weight; at most
    MAXNUMPOS - 1 ... PostgreSQL keeps up to MAXNUMPOS entries."""
    if not positions:
        return ()
    ps = sorted(positions, key=wep_pos)
    out = [ps[0]]
    for p in ps[1:]:
        if wep_pos(p) != wep_pos(out[-1]):
            if len(out) >= MAXNUMPOS:
                break
            out.append(p)
        elif wep_weight(p) > wep_weight(out[-1]):
            out[-1] = p
    return tuple(out)


def make_tsvector(words: list[tuple[str, list[int] | None]]) -> TSVector:
    """Sort and merge (lexeme, positions) pairs into a TSVector (tsvectorin's
    uniqueentry).  ``None``/empty positions mean none."""
    merged: dict[str, list[int] | None] = {}
    for lex, pos in words:
        if lex in merged:
            cur = merged[lex]
            if pos:
                if cur is None:
                    merged[lex] = list(pos)
                else:
                    cur.extend(pos)
        else:
            merged[lex] = list(pos) if pos else None
    entries = []
    for lex in sorted(merged, key=lexeme_key):
        pos = merged[lex]
        entries.append((lex, unique_positions(pos) if pos else ()))
    return TSVector(tuple(entries))


# --- the lexeme tokenizer shared with tsquery input (gettoken_tsvector) -------------------

_WS = " \t\n\r\f\v"
_OPERATORS = "!&|()<"


class TokenReader:
    """Reads quoted/unquoted lexemes from a tsvector or tsquery text.

    ``is_tsquery``: operators end an unquoted lexeme and no positions are read.
    """

    __slots__ = ("text", "i", "is_tsquery")

    def __init__(self, text: str, is_tsquery: bool = False) -> None:
        self.text = text
        self.i = 0
        self.is_tsquery = is_tsquery

    def error(self) -> PgError:
        return syntax_error("tsquery" if self.is_tsquery else "tsvector", self.text)

    def next_token(self, want_pos: bool) -> tuple[str, list[int] | None] | None:
        """The next lexeme (and its positions when want_pos), or None at the end."""
        s, n = self.text, len(self.text)
        i = self.i
        buf: list[str] = []
        # WAITWORD
        while i < n and s[i] in _WS:
            i += 1
        if i >= n:
            self.i = i
            return None
        c = s[i]
        if c == "'":
            i += 1
            while True:               # WAITENDCMPLX
                if i >= n:
                    raise self.error()
                c = s[i]
                if c == "'":
                    if i + 1 < n and s[i + 1] == "'":
                        buf.append("'")
                        i += 2
                        continue
                    i += 1
                    break
                if c == "\\":
                    if i + 1 >= n:
                        raise self._no_escaped()
                    buf.append(s[i + 1])
                    i += 2
                    continue
                buf.append(c)
                i += 1
            if not buf:
                raise self.error()
            self.i = i
            if self.is_tsquery or not want_pos:
                return "".join(buf), None
            if i < n and s[i] == ":":
                self.i = i + 1
                return "".join(buf), self._positions()
            return "".join(buf), None
        if self.is_tsquery and c in _OPERATORS:
            raise self.error()
        if c == ":" and not self.is_tsquery:
            buf.append(c)             # a colon can start a lexeme
            i += 1
        while True:                   # WAITENDWORD
            if i >= n or s[i] in _WS or (self.is_tsquery and s[i] in _OPERATORS):
                break
            c = s[i]
            if c == "\\":
                if i + 1 >= n:
                    raise self._no_escaped()
                buf.append(s[i + 1])
                i += 2
                continue
            if c == ":":
                if not buf:
                    raise self.error()
                if self.is_tsquery or not want_pos:
                    self.i = i
                    return "".join(buf), None
                self.i = i + 1
                return "".join(buf), self._positions()
            buf.append(c)
            i += 1
        if not buf:
            raise self.error()
        self.i = i
        return "".join(buf), None

    def _no_escaped(self) -> PgError:
        e = PgError("42601", f'there is no escaped character: "{self.text}"')
        e.soft_input = True  # type: ignore[attr-defined]
        return e

    def _positions(self) -> list[int]:
        s, n = self.text, len(self.text)
        i = self.i
        out: list[int] = []
        while True:                   # INPOSINFO
            if i >= n or not s[i].isdigit() or not s[i].isascii():
                raise self.error()
            j = i
            while j < n and s[j].isascii() and s[j].isdigit():
                j += 1
            pos = int(s[i:j])
            if pos == 0:
                e = PgError("22P02", f'wrong position info in tsvector: "{self.text}"')
                e.soft_input = True  # type: ignore[attr-defined]
                raise e
            out.append(limit_pos(pos))
            i = j
            while True:               # WAITPOSDELIM
                if i >= n or s[i] in _WS:
                    self.i = i
                    return out
                c = s[i]
                if c == ",":
                    i += 1
                    break
                w = "dcba".find(c.lower()) if c != "*" else 3
                if w < 0 or not c.isascii():
                    raise self.error()
                out[-1] = wep_pos(out[-1]) | (w << 14)
                i += 1


def tsvector_in(text: str, typmod: int = -1, ctx: Any = None) -> TSVector:
    reader = TokenReader(text)
    words: list[tuple[str, list[int] | None]] = []
    total = 0
    while True:
        tok = reader.next_token(True)
        if tok is None:
            break
        lex, pos = tok
        blen = len(lex.encode("utf-8"))
        if blen > MAXSTRLEN:
            raise PgError("54000", f"word is too long ({blen} bytes, max {MAXSTRLEN} bytes)")
        total += blen
        if total > MAXSTRPOS:
            raise PgError("54000", f"string is too long for tsvector ({total} bytes, max "
                          f"{MAXSTRPOS} bytes)")
        words.append((lex, pos))
    return make_tsvector(words)


def quote_lexeme(lex: str) -> str:
    return "'" + lex.replace("\\", "\\\\").replace("'", "''") + "'"


def format_positions(positions: tuple[int, ...]) -> str:
    parts = []
    for p in positions:
        w = wep_weight(p)
        parts.append(str(wep_pos(p)) + ("" if w == 0 else WEIGHT_LETTERS[w]))
    return ",".join(parts)


def tsvector_out(v: TSVector, ctx: Any = None) -> str:
    parts = []
    for lex, pos in v.entries:
        if pos:
            parts.append(quote_lexeme(lex) + ":" + format_positions(pos))
        else:
            parts.append(quote_lexeme(lex))
    return " ".join(parts)


def tsvector_send(v: TSVector, ctx: Any = None) -> bytes:
    out = [struct.pack("!i", len(v.entries))]
    for lex, pos in v.entries:
        out.append(lex.encode("utf-8") + b"\x00")
        out.append(struct.pack("!H", len(pos)))
        out.extend(struct.pack("!H", p) for p in pos)
    return b"".join(out)


def tsvector_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> TSVector:
    (n,) = struct.unpack_from("!i", data, 0)
    off = 4
    words = []
    for _ in range(n):
        end = data.index(b"\x00", off)
        lex = data[off:end].decode("utf-8")
        off = end + 1
        (npos,) = struct.unpack_from("!H", data, off)
        off += 2
        pos = list(struct.unpack_from(f"!{npos}H", data, off))
        off += 2 * npos
        words.append((lex, pos))
    return make_tsvector(words)


# --- comparison (tsvector_cmp) --------------------------------------------------------------

def _varsize(v: TSVector) -> int:
    size = 8 + 4 * len(v.entries)
    data = 0
    for lex, pos in v.entries:
        data += len(lex.encode("utf-8"))
        if pos:
            data += data & 1              # SHORTALIGN
            data += 2 + 2 * len(pos)
    return size + data


def tsvector_cmp(a: TSVector, b: TSVector) -> int:
    sa, sb = _varsize(a), _varsize(b)
    if sa != sb:
        return -1 if sa < sb else 1
    if len(a.entries) != len(b.entries):
        return -1 if len(a.entries) < len(b.entries) else 1
    for (la, pa), (lb, pb) in zip(a.entries, b.entries):
        if bool(pa) != bool(pb):
            return -1 if pa else 1
        ka, kb = lexeme_key(la), lexeme_key(lb)
        if ka != kb:
            return -1 if ka < kb else 1
        if pa:
            if len(pa) != len(pb):
                return -1 if len(pa) > len(pb) else 1
            for x, y in zip(pa, pb):
                if wep_pos(x) != wep_pos(y):
                    return -1 if wep_pos(x) > wep_pos(y) else 1
                if wep_weight(x) != wep_weight(y):
                    return -1 if wep_weight(x) > wep_weight(y) else 1
    return 0


# --- functions ---------------------------------------------------------------------------

def tsvector_length(v: TSVector) -> int:
    return len(v.entries)


def tsvector_strip(v: TSVector) -> TSVector:
    return TSVector(tuple((lex, ()) for lex, _ in v.entries))


def _weight_code(ch: str) -> int:
    c = ch.lower()
    if len(c) == 1 and c in "abcd":
        return "dcba".index(c)
    raise PgError("22023", f'unrecognized weight: "{ch}"')


def tsvector_setweight(v: TSVector, weight: str) -> TSVector:
    w = _weight_code(weight)
    return TSVector(tuple((lex, tuple(wep_pos(p) | (w << 14) for p in pos))
                          for lex, pos in v.entries))


def tsvector_setweight_by_filter(v: TSVector, weight: str, lexemes: Any) -> TSVector:
    w = _weight_code(weight)
    wanted = {x for x in lexemes.items if x is not None}
    return TSVector(tuple(
        (lex, tuple(wep_pos(p) | (w << 14) for p in pos) if lex in wanted else pos)
        for lex, pos in v.entries))


def tsvector_concat(a: TSVector, b: TSVector) -> TSVector:
    """a || b: b's positions are shifted by a's largest position."""
    maxpos = 0
    for _, pos in a.entries:
        for p in pos:
            maxpos = max(maxpos, wep_pos(p))
    merged: dict[str, tuple[int, ...]] = dict(a.entries)
    for lex, pos in b.entries:
        shifted = tuple(limit_pos(wep_pos(p) + maxpos) | (wep_weight(p) << 14) for p in pos)
        if lex in merged:
            old = merged[lex]
            if not shifted:
                continue
            if not old:
                merged[lex] = shifted
                continue
            merged[lex] = _concat_positions(old, shifted)
        else:
            merged[lex] = shifted
    return TSVector(tuple((lex, merged[lex]) for lex in sorted(merged, key=lexeme_key)))


def _concat_positions(old: tuple[int, ...], new: tuple[int, ...]) -> tuple[int, ...]:
    out = list(old)
    for p in new:
        if len(out) >= MAXNUMPOS:
            break
        if wep_pos(p) > wep_pos(out[-1]) or not out:
            out.append(p)
    return tuple(out)


def ts_delete_str(v: TSVector, lexeme: str) -> TSVector:
    return TSVector(tuple(e for e in v.entries if e[0] != lexeme))


def ts_delete_array(v: TSVector, lexemes: Any) -> TSVector:
    drop = {x for x in lexemes.items if x is not None}
    return TSVector(tuple(e for e in v.entries if e[0] not in drop))


def tsvector_unnest(v: TSVector) -> Iterator[tuple[Any, ...]]:
    from tuskdb.types.arrays import Array
    for lex, pos in v.entries:
        if pos:
            yield (lex, Array(tuple(wep_pos(p) for p in pos)),
                   Array(tuple(WEIGHT_LETTERS[wep_weight(p)] for p in pos)))
        else:
            yield (lex, None, None)


def tsvector_to_array(v: TSVector) -> Any:
    from tuskdb.types.arrays import Array
    return Array(tuple(lex for lex, _ in v.entries))


def array_to_tsvector(arr: Any) -> TSVector:
    words: list[tuple[str, list[int] | None]] = []
    for x in arr.items:
        if x is None:
            raise PgError("22004", "lexeme array may not contain nulls")
        if x == "":
            raise PgError("22023", "lexeme array may not contain empty strings")
        words.append((x, None))
    return make_tsvector(words)


def tsvector_filter(v: TSVector, weights: Any) -> TSVector:
    mask = 0
    for x in weights.items:
        if x is None:
            raise PgError("22004", "weight array may not contain nulls")
        c = x.lower() if isinstance(x, str) else x
        if c not in ("a", "b", "c", "d"):
            raise PgError("22023", f'unrecognized weight: "{x}"')
        mask |= 1 << "dcba".index(c)
    out = []
    for lex, pos in v.entries:
        kept = tuple(p for p in pos if mask & (1 << wep_weight(p)))
        if kept:
            out.append((lex, kept))
    return TSVector(tuple(out))
