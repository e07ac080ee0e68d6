"""ts_headline: an excerpt of a document with the query's words highlighted.

    hlparsetext        parser tokens -> HeadlineWord list; a word whose lexeme
                       equals (or, for prefix operands, starts with) a query
                       operand gets that operand as ``item`` (further operands
                       with the same lexeme add "repeated" copies)
    cover search       TS_execute_locations gives the match positions of the
                       query's AND'ed parts over the whole document; a cover
                       ends at the latest of their next matches and starts at the
                       earliest of their last matches before that, and must
                       satisfy the query
    mark_hl_words      one excerpt of MinWords..MaxWords words around the best
                       cover, preferring interesting words and good endpoints
    mark_hl_fragments  MaxFragments > 0: up to that many fragments
    generate           selected words wrapped in StartSel/StopSel, tags replaced
                       by a space, compound tokens skipped (their parts print)
"""

from __future__ import annotations

from typing import Any

from tuskdb.errors import PgError
from tuskdb.types.tsearch import wparser
from tuskdb.types.tsearch.config import TSConfig
from tuskdb.types.tsearch.execute import (
    NO, YES, PhraseData, _phrase_exec, _phrase_output, execute_node,
)
from tuskdb.types.tsearch.tsquery import OP_AND, OP_NOT, OP_OR, QOperand, TSQuery, iter_operands
from tuskdb.types.tsearch.tsvector import MAXSTRLEN, lexeme_key, limit_pos

SPACE, TAG_T, URL_T = wparser.SPACE, wparser.TAG_T, wparser.URL_T
_SKIP = (wparser.URL_T, wparser.NUMHWORD, wparser.ASCIIHWORD, wparser.HWORD)
_NOEND_EXTRA = (wparser.SCIENTIFIC, wparser.VERSIONNUMBER, wparser.DECIMAL_T,
                wparser.SIGNEDINT, wparser.UNSIGNEDINT, wparser.TAG_T, wparser.PROTOCOL,
                wparser.SPACE, wparser.XMLENTITY)


class HWord:
    __slots__ = ("word", "type", "len", "pos", "item", "repeated", "selected", "in_",
                 "replace", "skip")

    def __init__(self, word: str, typ: int) -> None:
        self.word = word
        self.type = typ
        self.len = len(word.encode("utf-8"))
        self.pos = 0
        self.item: QOperand | None = None
        self.repeated = False
        self.selected = False
        self.in_ = False
        self.replace = False
        self.skip = False

    def clone(self) -> HWord:
        w = HWord(self.word, self.type)
        w.pos = self.pos
        return w


def _nonword(t: int) -> bool:
    return t == SPACE or t == TAG_T or t in _SKIP


def _noend(t: int) -> bool:
    return _nonword(t) or t in _NOEND_EXTRA


def hlparsetext(cfg: TSConfig, q: TSQuery, text: str, ctx: Any = None) -> list[HWord]:
    words: list[HWord] = []
    operands = list(iter_operands(q.root))
    vectorpos = 0
    for toktype, token in wparser.parse(text):
        if len(token.encode("utf-8")) >= MAXSTRLEN:
            sink = getattr(ctx, "notice", None)
            if callable(sink):
                sink(PgError("00000", "word is too long to be indexed", severity="NOTICE",
                             detail=f"Words longer than {MAXSTRLEN} characters are ignored."))
            continue
        w = HWord(token, toktype)
        words.append(w)
        res = None
        for d in cfg.dicts_for(toktype):
            res = d.lexize(token)
            if res is not None:
                break
        if res is None:
            continue
        vectorpos += 1
        savedpos = vectorpos
        for lx in res:
            if lx.flags & 0x01:
                savedpos += 1
            _finditem(words, operands, savedpos, lx.lexeme)
    return words


def _finditem(words: list[HWord], operands: list[QOperand], pos: int, lexeme: str) -> None:
    word = words[-1]
    word.pos = limit_pos(pos)
    key = lexeme_key(lexeme)
    for op in operands:
        okey = lexeme_key(op.value)
        if (key.startswith(okey) if op.prefix else key == okey):
            if word.item is not None:
                dup = word.clone()
                dup.item = op
                dup.repeated = True
                words.append(dup)
            else:
                word.item = op


def _whole_checker(words: list[HWord]) -> Any:
    def check(op: QOperand, data: PhraseData | None) -> int:
        found: list[int] = []
        for w in words:
            if w.item is op:
                if data is None:
                    return YES
                if not found or found[-1] < w.pos:
                    found.append(w.pos)
        if data is not None and found:
            data.pos = found
            return YES
        return NO
    return check


def locations(words: list[HWord], q: TSQuery) -> list[PhraseData]:
    """TS_execute_locations: the match positions of the AND'ed parts of the query
    over the whole document (empty when it does not match; NOT parts add none)."""
    if q.root is None:
        return []
    check = _whole_checker(words)

    def rec(n: Any) -> tuple[bool, list[PhraseData]]:
        if isinstance(n, QOperand):
            d = PhraseData()
            return (True, [d]) if check(n, d) == YES else (False, [])
        if n.oper == OP_NOT:
            m, _ = rec(n.right)
            return (not m), []
        if n.oper == OP_AND:
            lm, ll = rec(n.left)
            if not lm:
                return False, []
            rm, rl = rec(n.right)
            if not rm:
                return False, []
            return True, ll + rl
        if n.oper == OP_OR:
            lm, ll = rec(n.left)
            rm, rl = rec(n.right)
            if not (lm or rm):
                return False, []
            if not ll:
                return True, rl
            if not rl:
                return True, ll
            out = []
            for ld in ll:
                for rd in rl:
                    d = PhraseData()
                    _phrase_output(d, ld, rd, 7, 0, 0)
                    d.width = max(ld.width, rd.width)
                    out.append(d)
            return True, out
        d = PhraseData()
        if _phrase_exec(n, check, d) == YES:
            return True, ([] if d.negate else [d])
        return False, []
    matched, locs = rec(q.root)
    return locs if matched else []


def _cover(words: list[HWord], q: TSQuery, locs: list[PhraseData], nextpos: int
           ) -> tuple[int, int, int] | None:
    """hlCover: for every AND'ed part its first match at/after the search position
    gives the cover's end, the last match (start of a phrase) up to that end its
    start; the word range must then satisfy the query.  (p, q, next position)."""
    pos = nextpos
    while True:
        pose = -1
        for d in locs:
            first = next((e for e in d.pos if e >= pos), -1)
            if first < 0:
                return None
            pose = max(pose, first)
        if pose < 0:
            return None
        posb = (1 << 31) - 2
        for d in locs:
            last = -1
            for e in reversed(d.pos):
                if e - d.width <= pose:
                    last = e - d.width
                    break
            posb = min(posb, last)
        p = qq = -1
        for i, w in enumerate(words):
            if w.pos < posb or w.item is None:
                continue
            if w.pos > pose:
                break
            if p < 0:
                p = i
            qq = i
        nxt = max(posb, pos) + 1     # always move on
        if 0 <= p <= qq and _satisfies(words, q, p, qq):
            return p, qq, nxt
        pos = nxt


def _satisfies(words: list[HWord], q: TSQuery, lo: int, hi: int) -> bool:
    span = words[lo:hi + 1]

    def check(op: QOperand, data: PhraseData | None) -> int:
        found: list[int] = []
        for w in span:
            if w.item is op:
                if data is None:
                    return YES
                if not found or found[-1] < w.pos:
                    found.append(w.pos)
        if data is not None and found:
            data.pos = found
            return YES
        return NO
    return execute_node(q.root, check) != NO


def _interesting(w: HWord) -> bool:
    return w.item is not None and not w.repeated


def _badend(w: HWord, shortword: int) -> bool:
    return (_noend(w.type) or w.len <= shortword) and not _interesting(w)


def mark_fragment(words: list[HWord], highlightall: bool, start: int, end: int) -> None:
    for i in range(start, end + 1):
        w = words[i]
        if w.item is not None:
            w.selected = True
        if not highlightall:
            if w.type == TAG_T:
                w.replace = True
            elif w.type in _SKIP:
                w.skip = True
        elif w.type in _SKIP:
            w.skip = True
        w.in_ = not w.repeated


def mark_hl_words(words: list[HWord], q: TSQuery, highlightall: bool, shortword: int,
                  min_words: int, max_words: int, max_cover: int) -> None:
    n = len(words)
    bestb = beste = -1
    bestlen = -1
    bestcover = False
    if not highlightall:
        locs = locations(words, q)
        nextpos = 0
        while True:
            cov = _cover(words, q, locs, nextpos)
            if cov is None:
                break
            p, qq, nextpos = cov
            curlen = poslen = 0
            posb = pose = p
            i = p
            while i <= qq and curlen < max_words:
                if not _nonword(words[i].type):
                    curlen += 1
                if _interesting(words[i]):
                    poslen += 1
                pose = i
                i += 1
            if curlen < max_words:
                i -= 1
                while i < n and curlen < max_words:
                    if i > qq:
                        if not _nonword(words[i].type):
                            curlen += 1
                        if _interesting(words[i]):
                            poslen += 1
                    pose = i
                    if _badend(words[i], shortword):
                        i += 1
                        continue
                    if curlen >= min_words:
                        break
                    i += 1
                if curlen < min_words:
                    i = p - 1
                    while i >= 0:
                        if not _nonword(words[i].type):
                            curlen += 1
                        if _interesting(words[i]):
                            poslen += 1
                        if curlen >= max_words:
                            break
                        if _badend(words[i], shortword):
                            i -= 1
                            continue
                        if curlen >= min_words:
                            break
                        i -= 1
                    posb = i if i >= 0 else 0
            else:
                if i > qq:
                    i = qq
                while curlen > min_words:
                    if not _badend(words[i], shortword):
                        break
                    if not _nonword(words[i].type):
                        curlen -= 1
                    if _interesting(words[i]):
                        poslen -= 1
                    pose = i - 1
                    i -= 1
            poscover = posb <= p and pose >= qq
            if (poscover and not bestcover) or \
                    (poscover == bestcover and poslen > bestlen) or \
                    (poscover == bestcover and poslen == bestlen
                     and not _badend(words[pose], shortword)
                     and (beste < 0 or _badend(words[beste], shortword))):
                bestb, beste, bestlen, bestcover = posb, pose, poslen, poscover
        if bestlen < 0:
            curlen = 0
            pose = 0
            i = 0
            while i < n and curlen < min_words:
                if not _nonword(words[i].type):
                    curlen += 1
                pose = i
                i += 1
            bestb, beste = 0, pose
    else:
        bestb, beste = 0, n - 1
    if n:
        mark_fragment(words, highlightall, bestb, beste)


def _next_fragment(words: list[HWord], start: int, end: int, max_words: int
                   ) -> tuple[int, int, int, int]:
    i = start
    while i <= end:
        start = i
        if _interesting(words[i]):
            break
        i += 1
    curlen = poslen = 0
    i = start
    while i <= end and curlen < max_words:
        if not _nonword(words[i].type):
            curlen += 1
        if _interesting(words[i]):
            poslen += 1
        i += 1
    if end > i:
        end = i
        i = end
        while i >= start:
            end = i
            if _interesting(words[i]):
                break
            if not _nonword(words[i].type):
                curlen -= 1
            i -= 1
    return start, end, curlen, poslen


def mark_hl_fragments(words: list[HWord], q: TSQuery, highlightall: bool, shortword: int,
                      min_words: int, max_words: int, max_fragments: int,
                      max_cover: int) -> None:
    n = len(words)
    covers: list[list[Any]] = []      # [start, end, curlen, poslen, chosen, excluded]
    locs = locations(words, q)
    nextpos = 0
    while True:
        cov = _cover(words, q, locs, nextpos)
        if cov is None:
            break
        p, qq, nextpos = cov
        start, end = p, qq
        while start <= end:
            start, end, curlen, poslen = _next_fragment(words, start, end, max_words)
            covers.append([start, end, curlen, poslen, False, False])
            start = end + 1
            end = qq
    num_f = 0
    for _f in range(max_fragments):
        maxitems = 0
        minwords = 1 << 31
        mini = -1
        for i, c in enumerate(covers):
            if not c[4] and not c[5] and (maxitems < c[3] or
                                          (maxitems == c[3] and minwords > c[2])):
                maxitems, minwords, mini = c[3], c[2], i
        if mini < 0:
            break
        c = covers[mini]
        c[4] = True
        start, end, curlen = c[0], c[1], c[2]
        if curlen < max_words:
            maxstretch = (max_words - curlen) // 2
            stretch = 0
            posmarker = start
            i = start - 1
            while i >= 0 and stretch < maxstretch and not words[i].in_:
                if not _nonword(words[i].type):
                    curlen += 1
                    stretch += 1
                posmarker = i
                i -= 1
            i = posmarker
            while i < start and _badend(words[i], shortword):
                if not _nonword(words[i].type):
                    curlen -= 1
                i += 1
            start = i
            posmarker = end
            i = end + 1
            while i < n and curlen < max_words and not words[i].in_:
                if not _nonword(words[i].type):
                    curlen += 1
                posmarker = i
                i += 1
            i = posmarker
            while i > end and _badend(words[i], shortword):
                if not _nonword(words[i].type):
                    curlen -= 1
                i -= 1
            end = i
        c[0], c[1], c[2] = start, end, curlen
        mark_fragment(words, highlightall, start, end)
        num_f += 1
        for i, o in enumerate(covers):
            if i != mini and ((start <= o[0] <= end) or (start <= o[1] <= end)
                              or (o[0] < start and o[1] > end)):
                o[5] = True
    if num_f <= 0:
        curlen = 0
        end = -1
        i = 0
        while i < n and curlen < min_words:
            if not _nonword(words[i].type):
                curlen += 1
            end = i
            i += 1
        mark_fragment(words, highlightall, 0, end)


def parse_options(opts: str | None) -> list[tuple[str, str]]:
    """deserialize_deflist: 'a=1, b = "x y"' -> [(name, value)]."""
    if not opts:
        return []
    out: list[tuple[str, str]] = []
    i, n = 0, len(opts)
    while i < n:
        while i < n and (opts[i].isspace() or opts[i] == ","):
            i += 1
        if i >= n:
            break
        j = i
        while j < n and opts[j] not in "=," and not opts[j].isspace():
            j += 1
        name = opts[i:j]
        while j < n and opts[j].isspace():
            j += 1
        if j >= n or opts[j] != "=" or not name:
            raise PgError("42601", f'invalid parameter list format: "{opts}"')
        j += 1
        while j < n and opts[j].isspace():
            j += 1
        if j < n and opts[j] in "\"'":
            quote = opts[j]
            k = j + 1
            buf = []
            while k < n:
                if opts[k] == quote:
                    if k + 1 < n and opts[k + 1] == quote:
                        buf.append(quote)
                        k += 2
                        continue
                    break
                buf.append(opts[k])
                k += 1
            value = "".join(buf)
            i = k + 1
        else:
            k = j
            while k < n and opts[k] != "," and not opts[k].isspace():
                k += 1
            value = opts[j:k]
            i = k
        out.append((name, value))
    return out


def _int_opt(v: str) -> int:
    try:
        return int(v.strip())
    except ValueError:
        raise PgError("22P02", f'invalid input syntax for type integer: "{v}"') from None


def ts_headline(cfg: TSConfig, text: str, q: TSQuery, opts: str | None = None,
                ctx: Any = None) -> str:
    words = hlparsetext(cfg, q, text, ctx)
    min_words, max_words, shortword, max_fragments = 15, 35, 3, 0
    highlightall = False
    startsel = stopsel = fragdelim = None
    for name, val in parse_options(opts):
        low = name.lower()
        if low == "maxwords":
            max_words = _int_opt(val)
        elif low == "minwords":
            min_words = _int_opt(val)
        elif low == "shortword":
            shortword = _int_opt(val)
        elif low == "maxfragments":
            max_fragments = _int_opt(val)
        elif low == "startsel":
            startsel = val
        elif low == "stopsel":
            stopsel = val
        elif low == "fragmentdelimiter":
            fragdelim = val
        elif low == "highlightall":
            highlightall = val.lower() in ("1", "on", "true", "t", "y", "yes")
        else:
            raise PgError("22023", f'unrecognized headline parameter: "{name}"')
    for label, v in (("StartSel", startsel), ("StopSel", stopsel),
                     ("FragmentDelimiter", fragdelim)):
        if v is not None and len(v.encode("utf-8")) > 32767:
            raise PgError("22023", f'value for "{label}" is too long')
    if not highlightall:
        if min_words >= max_words:
            raise PgError("22023", 'MinWords must be less than MaxWords')
        if min_words <= 0:
            raise PgError("22023", 'MinWords must be positive')
        if shortword < 0:
            raise PgError("22023", 'ShortWord must be >= 0')
        if max_fragments < 0:
            raise PgError("22023", 'MaxFragments must be >= 0')
    max_cover = max(max_words * 10, 100)
    if highlightall or max_fragments == 0:
        mark_hl_words(words, q, highlightall, shortword, min_words, max_words, max_cover)
    else:
        mark_hl_fragments(words, q, highlightall, shortword, min_words, max_words,
                          max_fragments, max_cover)
    startsel = "<b>" if startsel is None else startsel
    stopsel = "</b>" if stopsel is None else stopsel
    fragdelim = " ... " if fragdelim is None else fragdelim
    out: list[str] = []
    infrag = False
    nfrag = 0
    for w in words:
        if w.in_ and not w.repeated:
            if not infrag:
                infrag = True
                nfrag += 1
                if nfrag > 1:
                    out.append(fragdelim)
            if w.replace:
                out.append(" ")
            elif not w.skip:
                if w.selected:
                    out.append(startsel)
                out.append(w.word)
                if w.selected:
                    out.append(stopsel)
        elif not w.repeated:
            infrag = False
    return "".join(out)
