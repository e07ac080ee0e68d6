"""Documents and queries through a configuration: to_tsvector, to_tsquery,
plainto_tsquery, phraseto_tsquery, websearch_to_tsquery, ts_lexize, ts_debug.

    parsetext(cfg, text)       parser tokens -> dictionaries -> (lexeme, position)
    to_tsvector                parsetext, then sort/merge into a TSVector
    to_tsquery & co.           the tsquery grammar (or plain/phrase/websearch
                               tokenizing); each operand goes through parsetext
                               (pushval_morph) and stop words become placeholders
                               that clean_stopwords removes
"""

from __future__ import annotations

from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types.tsearch import wparser
from tuskdb.types.tsearch.config import TSConfig
from tuskdb.types.tsearch.dicts import TSL_ADDPOS, TSL_PREFIX
from tuskdb.types.tsearch.tsquery import (
    OP_AND, OP_NOT, OP_OR, OP_PHRASE, STOP, QOperand, QOperator, TSQuery, clean_stopwords,
    notice, parse_tsquery,
)
from tuskdb.types.tsearch.tsvector import (
    MAXENTRYPOS, MAXNUMPOS, MAXSTRLEN, TSVector, lexeme_key, limit_pos,
)

Notice = Callable[[PgError], None] | None


class ParsedWord:
    __slots__ = ("word", "pos", "nvariant", "flags")

    def __init__(self, word: str, pos: int, nvariant: int, flags: int) -> None:
        self.word = word
        self.pos = pos
        self.nvariant = nvariant
        self.flags = flags


def _tokens(cfg: TSConfig, text: str) -> Any:
    return wparser.parse(text)


def parsetext(cfg: TSConfig, text: str, ctx: Any = None, start_pos: int = 0
              ) -> tuple[list[ParsedWord], int]:
    words: list[ParsedWord] = []
    pos = start_pos
    toks = list(_tokens(cfg, text))
    i, n = 0, len(toks)
    while i < n:
        toktype, token = toks[i]
        if len(token.encode("utf-8")) >= MAXSTRLEN:
            _notice(ctx, PgError("00000", "word is too long to be indexed", severity="NOTICE",
                                 detail=f"Words longer than {MAXSTRLEN} characters are "
                                 "ignored."))
            i += 1
            continue
        oids = cfg.map.get(toktype)
        if not oids:
            i += 1
            continue
        consumed = 1
        for doid in oids:
            d = cfg.dicts_for_oid(doid)
            if getattr(d, "multiword", False):
                m = _multiword(cfg, d, doid, toks, i)
                if m is None:
                    continue
                res, consumed = m
            else:
                res = d.lexize(token)
                if res is None:
                    continue
            pos += 1
            for lx in res:
                if lx.flags & TSL_ADDPOS:
                    pos += 1
                words.append(ParsedWord(lx.lexeme, pos, lx.nvariant, lx.flags & TSL_PREFIX))
            break
        i += consumed
    return words, pos


def _multiword(cfg: TSConfig, d: Any, doid: int, toks: list[tuple[int, str]], i: int
               ) -> tuple[list[Any], int] | None:
    """Offer the tokens from i on to a multi-word dictionary (thesaurus): tokens of
    types without dictionaries are passed over, a token type the dictionary does
    not serve ends the phrase.  Returns (lexemes, tokens consumed)."""
    seq: list[Any] = []
    ends: list[int] = []
    j = i
    while j < len(toks) and len(seq) < 64:
        toktype, token = toks[j]
        oids = cfg.map.get(toktype)
        if oids and len(token.encode("utf-8")) < MAXSTRLEN:
            if doid not in oids:
                break
            seq.append(d.normalize(token))
            ends.append(j + 1)
        j += 1
    m = d.match(seq)
    if m is None:
        return None
    res, used = m
    return res, ends[used - 1] - i


def _notice(ctx: Any, err: PgError) -> None:
    sink = getattr(ctx, "notice", None)
    if callable(sink):
        sink(err)


def make_tsvector(words: list[ParsedWord]) -> TSVector:
    merged: dict[str, list[int]] = {}
    for w in words:
        merged.setdefault(w.word, []).append(w.pos)
    entries = []
    for lex in sorted(merged, key=lexeme_key):
        out: list[int] = []
        for p in sorted(merged[lex]):
            lp = limit_pos(p)
            if not out:
                out.append(lp)
            elif len(out) < MAXNUMPOS - 1 and out[-1] != MAXENTRYPOS - 1 and out[-1] != lp:
                out.append(lp)
        entries.append((lex, tuple(out)))
    return TSVector(tuple(entries))


def to_tsvector(cfg: TSConfig, text: str, ctx: Any = None) -> TSVector:
    words, _ = parsetext(cfg, text, ctx)
    return make_tsvector(words)


# --- queries --------------------------------------------------------------------------------

def _morph(cfg: TSConfig, qoperator: int, ctx: Any) -> Callable[[str, int, bool], Any]:
    """pushval_morph: one query operand -> a subtree (or STOP)."""
    def push(value: str, weight: int, prefix: bool) -> Any:
        words, _ = parsetext(cfg, value, ctx)
        if not words:
            return STOP
        result: Any = None
        pos = 0
        cntpos = 0
        i = 0
        n = len(words)
        while i < n:
            # fill the positions of removed stop words with placeholders
            if pos > 0 and pos + 1 < words[i].pos:
                while pos + 1 < words[i].pos:
                    result = STOP if cntpos == 0 else QOperator(qoperator, result, STOP, 1)
                    cntpos += 1
                    pos += 1
            pos = words[i].pos
            variants: Any = None
            cntvar = 0
            while i < n and words[i].pos == pos:
                variant = words[i].nvariant
                group: Any = None
                cnt = 0
                while i < n and words[i].pos == pos and words[i].nvariant == variant:
                    node = QOperand(words[i].word, weight, bool(words[i].flags & TSL_PREFIX)
                                    or prefix)
                    group = node if cnt == 0 else QOperator(OP_AND, group, node)
                    cnt += 1
                    i += 1
                variants = group if cntvar == 0 else QOperator(OP_OR, variants, group)
                cntvar += 1
            if cntpos:
                result = QOperator(qoperator, result, variants, 1)
            else:
                result = variants
            cntpos += 1
        return result
    return push


def _finish(root: Any, ctx: Any) -> TSQuery:
    cleaned = clean_stopwords(root)
    if cleaned is None:
        notice(ctx, "text-search query contains only stop words or doesn't contain lexemes, "
               "ignored")
    return TSQuery(cleaned)


def to_tsquery(cfg: TSConfig, text: str, ctx: Any = None) -> TSQuery:
    root = parse_tsquery(text, _morph(cfg, OP_PHRASE, ctx))
    if root is None:
        notice(ctx, f"text-search query doesn't contain lexemes: \"{text}\"")
        return TSQuery(None)
    return _finish(root, ctx)


def plainto_tsquery(cfg: TSConfig, text: str, ctx: Any = None) -> TSQuery:
    return _finish(_morph(cfg, OP_AND, ctx)(text, 0, False), ctx)


def phraseto_tsquery(cfg: TSConfig, text: str, ctx: Any = None) -> TSQuery:
    return _finish(_morph(cfg, OP_PHRASE, ctx)(text, 0, False), ctx)


_WEB_OPERATORS = "!&|()<"


def _parse_or(s: str, i: int) -> bool:
    if s[i:i + 2].lower() != "or":
        return False
    j = i + 2
    if j >= len(s):
        return False
    c = s[j]
    if c in "-_" or c.isalnum():
        return False
    while True:
        j += 1
        if j >= len(s):
            return False
        if not s[j].isspace():
            return True


def _web_tokens(s: str) -> list[tuple[str, Any]]:
    """websearch syntax -> [('val', text) | ('op', OP_*)], with implicit ANDs."""
    out: list[tuple[str, Any]] = []
    i, n = 0, len(s)
    state = "first"
    while True:
        if state in ("first", "operand"):
            if i >= n:
                if state == "operand":
                    out.append(("stop", None))
                return out
            c = s[i]
            if c == "-":
                out.append(("op", OP_NOT))
                state = "operand"
                i += 1
                continue
            if c == '"':
                j = s.find('"', i + 1)
                if j < 0:
                    out.append(("val", s[i + 1:]))
                    i = n
                else:
                    out.append(("val", s[i + 1:j]))
                    i = j + 1
                state = "operator"
                continue
            if c in _WEB_OPERATORS:
                i += 1
                state = "operand"
                continue
            if c.isspace():
                i += 1
                continue
            # the tsvector tokenizer in web mode: quotes and backslashes are plain
            # characters, a colon ends the word unless it starts it
            j = i + 1
            while j < n and not s[j].isspace() and s[j] not in _WEB_OPERATORS \
                    and s[j] not in '":':
                j += 1
            out.append(("val", s[i:j]))
            i = j
            state = "operator"
            continue
        # waiting for an operator
        if i >= n:
            return out
        c = s[i]
        if _parse_or(s, i):
            out.append(("op", OP_OR))
            i += 2
            state = "operand"
            continue
        if c in _WEB_OPERATORS:
            i += 1
            continue
        if not c.isspace():
            out.append(("op", OP_AND))
            state = "operand"
            continue
        i += 1


def _web_tree(tokens: list[tuple[str, Any]], push: Callable[[str, int, bool], Any]) -> Any:
    pos = 0

    def prim() -> Any:
        nonlocal pos
        if pos >= len(tokens):
            return STOP
        kind, v = tokens[pos]
        pos += 1
        if kind == "op" and v == OP_NOT:
            return QOperator(OP_NOT, None, prim())
        if kind == "val":
            return push(v, 0, False)
        if kind == "stop":
            return STOP
        return STOP

    def and_() -> Any:
        nonlocal pos
        left = prim()
        while pos < len(tokens) and tokens[pos] == ("op", OP_AND):
            pos += 1
            left = QOperator(OP_AND, left, prim())
        return left

    def or_() -> Any:
        nonlocal pos
        left = and_()
        while pos < len(tokens) and tokens[pos] == ("op", OP_OR):
            pos += 1
            left = QOperator(OP_OR, left, and_())
        return left

    if not tokens:
        return None
    return or_()


def websearch_to_tsquery(cfg: TSConfig, text: str, ctx: Any = None) -> TSQuery:
    tokens = _web_tokens(text)
    root = _web_tree(tokens, _morph(cfg, OP_PHRASE, ctx))
    if root is None:
        root = STOP
    return _finish(root, ctx)


def ts_lexize(d: Any, word: str) -> Any:
    from tuskdb.types.arrays import Array
    res = d.lexize(word)
    if res is None:
        return None
    return Array(tuple(lx.lexeme for lx in res))
