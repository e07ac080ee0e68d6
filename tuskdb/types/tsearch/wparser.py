"""The "default" text search parser (pg_ts_parser 3722): 23 token types.

A push-down state machine over the characters of the text, like PostgreSQL's:
each state has an ordered list of (character test, action, next state, token
type) rows; the first row whose test accepts the current character fires.
Actions: NEXT (consume), PUSH (save the position and try a longer token; a
later POP comes back and resumes with the row after the one that pushed),
POP, CLEAR (forget the last saved position), CLRALL (forget all), MERGE,
RERUN (re-test the same character in the new state) and BINGO (a token ends
here).  Compound tokens are re-read for their parts: a hyphenated word is
followed by its parts, a URL by its host and path.

Character classes follow a UTF-8 database with glibc's C.UTF-8 ctype: letters
are Unicode letters, digits and hex digits are ASCII only.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Callable, Iterator

# token types (ids of ts_token_type('default'))
ASCIIWORD, WORD_T, NUMWORD, EMAIL, URL_T, HOST, SCIENTIFIC, VERSIONNUMBER = 1, 2, 3, 4, 5, 6, 7, 8
NUMPARTHWORD, PARTHWORD, ASCIIPARTHWORD, SPACE, TAG_T, PROTOCOL, NUMHWORD = 9, 10, 11, 12, 13, 14, 15
ASCIIHWORD, HWORD, URLPATH, FILEPATH, DECIMAL_T, SIGNEDINT, UNSIGNEDINT, XMLENTITY = \
    16, 17, 18, 19, 20, 21, 22, 23

TOKEN_TYPES: tuple[tuple[int, str, str], ...] = (
    (1, "asciiword", "Word, all ASCII"),
    (2, "word", "Word, all letters"),
    (3, "numword", "Word, letters and digits"),
    (4, "email", "Email address"),
    (5, "url", "URL"),
    (6, "host", "Host"),
    (7, "sfloat", "Scientific notation"),
    (8, "version", "Version number"),
    (9, "hword_numpart", "Hyphenated word part, letters and digits"),
    (10, "hword_part", "Hyphenated word part, all letters"),
    (11, "hword_asciipart", "Hyphenated word part, all ASCII"),
    (12, "blank", "Space symbols"),
    (13, "tag", "XML tag"),
    (14, "protocol", "Protocol head"),
    (15, "numhword", "Hyphenated word, letters and digits"),
    (16, "asciihword", "Hyphenated word, all ASCII"),
    (17, "hword", "Hyphenated word, all letters"),
    (18, "url_path", "URL path"),
    (19, "file", "File or path name"),
    (20, "float", "Decimal notation"),
    (21, "int", "Signed integer"),
    (22, "uint", "Unsigned integer"),
    (23, "entity", "XML entity"),
)
ALIASES = {tid: alias for tid, alias, _ in TOKEN_TYPES}

# actions
A_NEXT, A_BINGO, A_POP, A_PUSH, A_RERUN, A_CLEAR, A_MERGE, A_CLRALL = \
    0, 1, 2, 4, 8, 16, 32, 64


class _Pos:
    __slots__ = ("pos", "charlen", "lentoken", "state", "prev", "pushed_at")

    def __init__(self, prev: _Pos | None) -> None:
        if prev is not None:
            self.pos = prev.pos
            self.charlen = prev.charlen
            self.lentoken = prev.lentoken
            self.state = prev.state
        else:
            self.pos = 0
            self.charlen = 0
            self.lentoken = 0
            self.state = "Base"
        self.prev = prev
        self.pushed_at: int | None = None


class TParser:
    __slots__ = ("text", "n", "state", "ignore", "wanthost", "token_start", "token_len",
                 "type", "c")

    def __init__(self, text: str, start: int = 0) -> None:
        self.text = text
        self.n = len(text)
        self.state = _Pos(None)
        self.state.pos = start
        self.ignore = False
        self.wanthost = False
        self.token_start = 0
        self.token_len = 0
        self.type = 0
        self.c = ""

    # --- character classes ---------------------------------------------------------------

    def ch(self) -> str:
        p = self.state.pos
        return self.text[p] if p < self.n else ""

    def get(self) -> bool:
        """Find the next token: True with token_start/token_len/type, or False at the end."""
        st = self.state
        if st.pos >= self.n:
            return False
        self.token_start = st.pos
        st.pushed_at = None
        self.token_len = 0
        self.type = 0
        item = None
        while self.state.pos <= self.n:
            st = self.state
            st.charlen = 1 if st.pos < self.n else 0
            table = _ACTIONS[st.state]
            if st.pushed_at is not None:
                idx = st.pushed_at + 1
                st.pushed_at = None
            else:
                idx = 0
            while True:
                item = table[idx]
                test = item[0]
                if test is None:
                    break
                self.c = item[1]
                if test(self):
                    break
                idx += 1
            _test, _c, flags, tostate, typ, special = item
            if special is not None:
                special(self)
            if flags & A_BINGO:
                self.token_len = self.state.lentoken
                self.state.lentoken = 0
                self.type = typ
            if flags & A_POP:
                self.state = self.state.prev
            elif flags & A_PUSH:
                self.state.pushed_at = idx
                self.state = _Pos(self.state)
            elif flags & A_CLEAR:
                prev = self.state.prev
                self.state.prev = prev.prev if prev is not None else None
            elif flags & A_CLRALL:
                self.state.prev = None
            elif flags & A_MERGE:
                cur = self.state
                self.state = cur.prev
                self.state.pos = cur.pos
                self.state.charlen = cur.charlen
                self.state.lentoken = cur.lentoken
            if tostate is not None:
                self.state.state = tostate
            if flags & A_BINGO or (self.state.pos >= self.n and not flags & A_RERUN):
                break
            if flags & (A_RERUN | A_POP):
                continue
            if self.state.charlen:
                self.state.pos += 1
                self.state.lentoken += 1
        return item is not None and bool(item[2] & A_BINGO)


def _cur(p: TParser) -> str:
    pos = p.state.pos
    return p.text[pos] if pos < p.n else ""


def p_isEOF(p: TParser) -> bool:
    return p.state.pos >= p.n or p.state.charlen == 0


def p_iseqC(p: TParser) -> bool:
    return _cur(p) == p.c


def _isalpha(c: str) -> bool:
    return c.isalpha() if c > "\x7f" else ("a" <= c <= "z" or "A" <= c <= "Z")


def _isdigit(c: str) -> bool:
    return "0" <= c <= "9"


def p_isalpha(p: TParser) -> bool:
    c = _cur(p)
    return bool(c) and _isalpha(c)


def p_isdigit(p: TParser) -> bool:
    return _isdigit(_cur(p))


def p_isalnum(p: TParser) -> bool:
    c = _cur(p)
    return bool(c) and (_isalpha(c) or _isdigit(c))


def p_isnotalnum(p: TParser) -> bool:
    c = _cur(p)
    if not c:
        return False
    return not (_isalpha(c) or _isdigit(c))


def p_isspace(p: TParser) -> bool:
    c = _cur(p)
    return bool(c) and c.isspace()


def p_isxdigit(p: TParser) -> bool:
    c = _cur(p)
    return bool(c) and c in "0123456789abcdefABCDEF"


def p_isasclet(p: TParser) -> bool:
    c = _cur(p)
    return bool(c) and ("a" <= c <= "z" or "A" <= c <= "Z")


def p_isignore(p: TParser) -> bool:
    return p.ignore


def p_isspecial(p: TParser) -> bool:
    c = _cur(p)
    if not c or c <= "\x7f":
        return False
    return unicodedata.category(c) in ("Mn", "Me", "Mc")


def p_isstophost(p: TParser) -> bool:
    if p.wanthost:
        p.wanthost = False
        return True
    return False


def p_isurlchar(p: TParser) -> bool:
    c = _cur(p)
    if not c or c <= " " or c >= "\x7f":
        return False
    return c not in '"<>\\^`{|}'


def _subparse(p: TParser, state: str | None, wanthost: bool, want_type: int) -> bool:
    sub = TParser(p.text, p.state.pos)
    sub.wanthost = wanthost
    if state is not None:
        sub.state = _Pos(sub.state)
        sub.state.state = state
    if sub.get() and sub.type == want_type:
        p.state.pos += sub.token_len
        p.state.lentoken += sub.token_len
        p.state.charlen = sub.state.charlen
        return True
    return False


def p_ishost(p: TParser) -> bool:
    return _subparse(p, None, True, HOST)


def p_isURLPath(p: TParser) -> bool:
    return _subparse(p, "InURLPathFirst", False, URLPATH)


def special_tags(p: TParser) -> None:
    tok = p.text[p.token_start:p.token_start + p.state.lentoken].lower()
    n = p.state.lentoken
    if n == 8 and tok == "</script":
        p.ignore = False
    elif n == 7 and tok == "</style":
        p.ignore = False
    elif n == 7 and tok == "<script":
        p.ignore = True
    elif n == 6 and tok == "<style":
        p.ignore = True


def special_furl(p: TParser) -> None:
    p.wanthost = True
    p.state.pos -= p.state.lentoken


def special_ver_version(p: TParser) -> None:
    p.state.pos -= p.state.lentoken
    p.state.lentoken = 0


def special_hyphen(p: TParser) -> None:
    p.state.pos -= p.state.lentoken


def _eq(c: str) -> tuple[Callable[[TParser], bool], str]:
    return (p_iseqC, c)


Row = tuple[Any, str, int, Any, int, Any]


def _r(test: Any, flags: int, tostate: str | None = None, typ: int = 0,
       special: Any = None) -> Row:
    if isinstance(test, str):
        return (p_iseqC, test, flags, tostate, typ, special)
    return (test, "", flags, tostate, typ, special)


_ACTIONS: dict[str, list[Row]] = {
    "Base": [
        _r(p_isEOF, A_NEXT),
        _r("<", A_PUSH, "InTagFirst"),
        _r(p_isignore, A_NEXT, "InSpace"),
        _r(p_isasclet, A_NEXT, "InAsciiWord"),
        _r(p_isalpha, A_NEXT, "InWord"),
        _r(p_isdigit, A_NEXT, "InUnsignedInt"),
        _r("-", A_PUSH, "InSignedIntFirst"),
        _r("+", A_PUSH, "InSignedIntFirst"),
        _r("&", A_PUSH, "InXMLEntityFirst"),
        _r("~", A_PUSH, "InFileTwiddle"),
        _r("/", A_PUSH, "InFileFirst"),
        _r(".", A_PUSH, "InPathFirstFirst"),
        _r(None, A_NEXT, "InSpace"),
    ],
    "InNumWord": [
        _r(p_isEOF, A_BINGO, "Base", NUMWORD),
        _r(p_isalnum, A_NEXT, "InNumWord"),
        _r(p_isspecial, A_NEXT, "InNumWord"),
        _r("@", A_PUSH, "InEmail"),
        _r("/", A_PUSH, "InFileFirst"),
        _r(".", A_PUSH, "InFileNext"),
        _r("-", A_PUSH, "InHyphenNumWordFirst"),
        _r(None, A_BINGO, "Base", NUMWORD),
    ],
    "InAsciiWord": [
        _r(p_isEOF, A_BINGO, "Base", ASCIIWORD),
        _r(p_isasclet, A_NEXT),
        _r(".", A_PUSH, "InHostFirstDomain"),
        _r(".", A_PUSH, "InFileNext"),
        _r("-", A_PUSH, "InHostFirstAN"),
        _r("-", A_PUSH, "InHyphenAsciiWordFirst"),
        _r("_", A_PUSH, "InHostFirstAN"),
        _r("@", A_PUSH, "InEmail"),
        _r(":", A_PUSH, "InProtocolFirst"),
        _r("/", A_PUSH, "InFileFirst"),
        _r(p_isdigit, A_PUSH, "InHost"),
        _r(p_isdigit, A_NEXT, "InNumWord"),
        _r(p_isalpha, A_NEXT, "InWord"),
        _r(p_isspecial, A_NEXT, "InWord"),
        _r(None, A_BINGO, "Base", ASCIIWORD),
    ],
    "InWord": [
        _r(p_isEOF, A_BINGO, "Base", WORD_T),
        _r(p_isalpha, A_NEXT),
        _r(p_isspecial, A_NEXT),
        _r(p_isdigit, A_NEXT, "InNumWord"),
        _r("-", A_PUSH, "InHyphenWordFirst"),
        _r(None, A_BINGO, "Base", WORD_T),
    ],
    "InUnsignedInt": [
        _r(p_isEOF, A_BINGO, "Base", UNSIGNEDINT),
        _r(p_isdigit, A_NEXT),
        _r(".", A_PUSH, "InHostFirstDomain"),
        _r(".", A_PUSH, "InUDecimalFirst"),
        _r("e", A_PUSH, "InMantissaFirst"),
        _r("E", A_PUSH, "InMantissaFirst"),
        _r("-", A_PUSH, "InHostFirstAN"),
        _r("_", A_PUSH, "InHostFirstAN"),
        _r("@", A_PUSH, "InEmail"),
        _r(p_isasclet, A_PUSH, "InHost"),
        _r(p_isalpha, A_NEXT, "InNumWord"),
        _r(p_isspecial, A_NEXT, "InNumWord"),
        _r("/", A_PUSH, "InFileFirst"),
        _r(None, A_BINGO, "Base", UNSIGNEDINT),
    ],
    "InSignedIntFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_NEXT | A_CLEAR, "InSignedInt"),
        _r(None, A_POP),
    ],
    "InSignedInt": [
        _r(p_isEOF, A_BINGO, "Base", SIGNEDINT),
        _r(p_isdigit, A_NEXT),
        _r(".", A_PUSH, "InDecimalFirst"),
        _r("e", A_PUSH, "InMantissaFirst"),
        _r("E", A_PUSH, "InMantissaFirst"),
        _r(None, A_BINGO, "Base", SIGNEDINT),
    ],
    "InSpace": [
        _r(p_isEOF, A_BINGO, "Base", SPACE),
        _r("<", A_BINGO, "Base", SPACE),
        _r(p_isignore, A_NEXT),
        _r("-", A_BINGO, "Base", SPACE),
        _r("+", A_BINGO, "Base", SPACE),
        _r("&", A_BINGO, "Base", SPACE),
        _r("/", A_BINGO, "Base", SPACE),
        _r(p_isnotalnum, A_NEXT, "InSpace"),
        _r(None, A_BINGO, "Base", SPACE),
    ],
    "InUDecimalFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_CLEAR, "InUDecimal"),
        _r(None, A_POP),
    ],
    "InUDecimal": [
        _r(p_isEOF, A_BINGO, "Base", DECIMAL_T),
        _r(p_isdigit, A_NEXT, "InUDecimal"),
        _r(".", A_PUSH, "InVersionFirst"),
        _r("e", A_PUSH, "InMantissaFirst"),
        _r("E", A_PUSH, "InMantissaFirst"),
        _r(None, A_BINGO, "Base", DECIMAL_T),
    ],
    "InDecimalFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_CLEAR, "InDecimal"),
        _r(None, A_POP),
    ],
    "InDecimal": [
        _r(p_isEOF, A_BINGO, "Base", DECIMAL_T),
        _r(p_isdigit, A_NEXT, "InDecimal"),
        _r(".", A_PUSH, "InVerVersion"),
        _r("e", A_PUSH, "InMantissaFirst"),
        _r("E", A_PUSH, "InMantissaFirst"),
        _r(None, A_BINGO, "Base", DECIMAL_T),
    ],
    "InVerVersion": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_RERUN, "InSVerVersion", 0, special_ver_version),
        _r(None, A_POP),
    ],
    "InSVerVersion": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_BINGO | A_CLRALL, "InUnsignedInt", SPACE),
        _r(None, A_NEXT),
    ],
    "InVersionFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_CLEAR, "InVersion"),
        _r(None, A_POP),
    ],
    "InVersion": [
        _r(p_isEOF, A_BINGO, "Base", VERSIONNUMBER),
        _r(p_isdigit, A_NEXT, "InVersion"),
        _r(".", A_PUSH, "InVersionFirst"),
        _r(None, A_BINGO, "Base", VERSIONNUMBER),
    ],
    "InMantissaFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_CLEAR, "InMantissa"),
        _r("+", A_NEXT, "InMantissaSign"),
        _r("-", A_NEXT, "InMantissaSign"),
        _r(None, A_POP),
    ],
    "InMantissaSign": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_CLEAR, "InMantissa"),
        _r(None, A_POP),
    ],
    "InMantissa": [
        _r(p_isEOF, A_BINGO, "Base", SCIENTIFIC),
        _r(p_isdigit, A_NEXT, "InMantissa"),
        _r(None, A_BINGO, "Base", SCIENTIFIC),
    ],
    "InXMLEntityFirst": [
        _r(p_isEOF, A_POP),
        _r("#", A_NEXT, "InXMLEntityNumFirst"),
        _r(p_isasclet, A_NEXT, "InXMLEntity"),
        _r(":", A_NEXT, "InXMLEntity"),
        _r("_", A_NEXT, "InXMLEntity"),
        _r(None, A_POP),
    ],
    "InXMLEntity": [
        _r(p_isEOF, A_POP),
        _r(p_isalnum, A_NEXT, "InXMLEntity"),
        _r(":", A_NEXT, "InXMLEntity"),
        _r("_", A_NEXT, "InXMLEntity"),
        _r(".", A_NEXT, "InXMLEntity"),
        _r("-", A_NEXT, "InXMLEntity"),
        _r(";", A_NEXT, "InXMLEntityEnd"),
        _r(None, A_POP),
    ],
    "InXMLEntityNumFirst": [
        _r(p_isEOF, A_POP),
        _r("x", A_NEXT, "InXMLEntityHexNumFirst"),
        _r("X", A_NEXT, "InXMLEntityHexNumFirst"),
        _r(p_isdigit, A_NEXT, "InXMLEntityNum"),
        _r(None, A_POP),
    ],
    "InXMLEntityHexNumFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isxdigit, A_NEXT, "InXMLEntityHexNum"),
        _r(None, A_POP),
    ],
    "InXMLEntityNum": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_NEXT, "InXMLEntityNum"),
        _r(";", A_NEXT, "InXMLEntityEnd"),
        _r(None, A_POP),
    ],
    "InXMLEntityHexNum": [
        _r(p_isEOF, A_POP),
        _r(p_isxdigit, A_NEXT, "InXMLEntityHexNum"),
        _r(";", A_NEXT, "InXMLEntityEnd"),
        _r(None, A_POP),
    ],
    "InXMLEntityEnd": [
        _r(None, A_BINGO | A_CLEAR, "Base", XMLENTITY),
    ],
    "InTagFirst": [
        _r(p_isEOF, A_POP),
        _r("/", A_PUSH, "InTagCloseFirst"),
        _r("!", A_PUSH, "InCommentFirst"),
        _r("?", A_PUSH, "InXMLBegin"),
        _r(p_isasclet, A_PUSH, "InTagName"),
        _r(":", A_PUSH, "InTagName"),
        _r("_", A_PUSH, "InTagName"),
        _r(None, A_POP),
    ],
    "InXMLBegin": [
        _r(p_isEOF, A_POP),
        _r("x", A_NEXT, "InTag"),
        _r("X", A_NEXT, "InTag"),
        _r(None, A_POP),
    ],
    "InTagCloseFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isasclet, A_NEXT, "InTagName"),
        _r(":", A_NEXT, "InTagName"),
        _r("_", A_NEXT, "InTagName"),
        _r(None, A_POP),
    ],
    "InTagName": [
        _r(p_isEOF, A_POP),
        _r("/", A_NEXT, "InTagBeginEnd"),
        _r(">", A_NEXT, "InTagEnd", 0, special_tags),
        _r(p_isspace, A_NEXT, "InTag", 0, special_tags),
        _r(p_isalnum, A_NEXT),
        _r(":", A_NEXT),
        _r("_", A_NEXT),
        _r(".", A_NEXT),
        _r("-", A_NEXT),
        _r(None, A_POP),
    ],
    "InTagBeginEnd": [
        _r(p_isEOF, A_POP),
        _r(">", A_NEXT, "InTagEnd"),
        _r(None, A_POP),
    ],
    "InTag": [
        _r(p_isEOF, A_POP),
        _r(">", A_NEXT, "InTagEnd", 0, special_tags),
        _r("'", A_NEXT, "InTagEscapeK"),
        _r('"', A_NEXT, "InTagEscapeKK"),
        _r(p_isasclet, A_NEXT),
        _r(p_isdigit, A_NEXT),
        _r("=", A_NEXT),
        _r("-", A_NEXT),
        _r("_", A_NEXT),
        _r("#", A_NEXT),
        _r("/", A_NEXT),
        _r(":", A_NEXT),
        _r(".", A_NEXT),
        _r("&", A_NEXT),
        _r("?", A_NEXT),
        _r("%", A_NEXT),
        _r("~", A_NEXT),
        _r(p_isspace, A_NEXT, None, 0, special_tags),
        _r(None, A_POP),
    ],
    "InTagEscapeK": [
        _r(p_isEOF, A_POP),
        _r("\\", A_PUSH, "InTagBackSleshed"),
        _r("'", A_NEXT, "InTag"),
        _r(None, A_NEXT, "InTagEscapeK"),
    ],
    "InTagEscapeKK": [
        _r(p_isEOF, A_POP),
        _r("\\", A_PUSH, "InTagBackSleshed"),
        _r('"', A_NEXT, "InTag"),
        _r(None, A_NEXT, "InTagEscapeKK"),
    ],
    "InTagBackSleshed": [
        _r(p_isEOF, A_POP),
        _r(None, A_MERGE),
    ],
    "InTagEnd": [
        _r(None, A_BINGO | A_CLRALL, "Base", TAG_T),
    ],
    "InCommentFirst": [
        _r(p_isEOF, A_POP),
        _r("-", A_NEXT, "InCommentLast"),
        _r("D", A_NEXT, "InTag"),
        _r("d", A_NEXT, "InTag"),
        _r(None, A_POP),
    ],
    "InCommentLast": [
        _r(p_isEOF, A_POP),
        _r("-", A_NEXT, "InComment"),
        _r(None, A_POP),
    ],
    "InComment": [
        _r(p_isEOF, A_POP),
        _r("-", A_NEXT, "InCloseCommentFirst"),
        _r(None, A_NEXT),
    ],
    "InCloseCommentFirst": [
        _r(p_isEOF, A_POP),
        _r("-", A_NEXT, "InCloseCommentLast"),
        _r(None, A_NEXT, "InComment"),
    ],
    "InCloseCommentLast": [
        _r(p_isEOF, A_POP),
        _r("-", A_NEXT),
        _r(">", A_NEXT, "InCommentEnd"),
        _r(None, A_NEXT, "InComment"),
    ],
    "InCommentEnd": [
        _r(None, A_BINGO | A_CLRALL, "Base", TAG_T),
    ],
    "InHostFirstDomain": [
        _r(p_isEOF, A_POP),
        _r(p_isasclet, A_NEXT, "InHostDomainSecond"),
        _r(p_isdigit, A_NEXT, "InHost"),
        _r(None, A_POP),
    ],
    "InHostDomainSecond": [
        _r(p_isEOF, A_POP),
        _r(p_isasclet, A_NEXT, "InHostDomain"),
        _r(p_isdigit, A_PUSH, "InHost"),
        _r("-", A_PUSH, "InHostFirstAN"),
        _r("_", A_PUSH, "InHostFirstAN"),
        _r(".", A_PUSH, "InHostFirstDomain"),
        _r("@", A_PUSH, "InEmail"),
        _r(None, A_POP),
    ],
    "InHostDomain": [
        _r(p_isEOF, A_BINGO | A_CLRALL, "Base", HOST),
        _r(p_isasclet, A_NEXT, "InHostDomain"),
        _r(p_isdigit, A_PUSH, "InHost"),
        _r(":", A_PUSH, "InPortFirst"),
        _r("-", A_PUSH, "InHostFirstAN"),
        _r("_", A_PUSH, "InHostFirstAN"),
        _r(".", A_PUSH, "InHostFirstDomain"),
        _r("@", A_PUSH, "InEmail"),
        _r(p_isdigit, A_POP),
        _r(p_isstophost, A_BINGO | A_CLRALL, "InURLPathStart", HOST),
        _r("/", A_PUSH, "InFURL"),
        _r(None, A_BINGO | A_CLRALL, "Base", HOST),
    ],
    "InPortFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_NEXT, "InPort"),
        _r(None, A_POP),
    ],
    "InPort": [
        _r(p_isEOF, A_BINGO | A_CLRALL, "Base", HOST),
        _r(p_isdigit, A_NEXT, "InPort"),
        _r(p_isstophost, A_BINGO | A_CLRALL, "InURLPathStart", HOST),
        _r("/", A_PUSH, "InFURL"),
        _r(None, A_BINGO | A_CLRALL, "Base", HOST),
    ],
    "InHostFirstAN": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_NEXT, "InHost"),
        _r(p_isasclet, A_NEXT, "InHost"),
        _r(None, A_POP),
    ],
    "InHost": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_NEXT, "InHost"),
        _r(p_isasclet, A_NEXT, "InHost"),
        _r("@", A_PUSH, "InEmail"),
        _r(".", A_PUSH, "InHostFirstDomain"),
        _r("-", A_PUSH, "InHostFirstAN"),
        _r("_", A_PUSH, "InHostFirstAN"),
        _r(None, A_POP),
    ],
    "InEmail": [
        _r(p_isstophost, A_POP),
        _r(p_ishost, A_BINGO | A_CLRALL, "Base", EMAIL),
        _r(None, A_POP),
    ],
    "InFileFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isasclet, A_NEXT, "InFile"),
        _r(p_isdigit, A_NEXT, "InFile"),
        _r(".", A_NEXT, "InPathFirst"),
        _r("_", A_NEXT, "InFile"),
        _r("~", A_PUSH, "InFileTwiddle"),
        _r(None, A_POP),
    ],
    "InFileTwiddle": [
        _r(p_isEOF, A_POP),
        _r(p_isasclet, A_NEXT, "InFile"),
        _r(p_isdigit, A_NEXT, "InFile"),
        _r("_", A_NEXT, "InFile"),
        _r("/", A_NEXT, "InFileFirst"),
        _r(None, A_POP),
    ],
    "InPathFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isasclet, A_NEXT, "InFile"),
        _r(p_isdigit, A_NEXT, "InFile"),
        _r("_", A_NEXT, "InFile"),
        _r(".", A_NEXT, "InPathSecond"),
        _r("/", A_NEXT, "InFileFirst"),
        _r(None, A_POP),
    ],
    "InPathFirstFirst": [
        _r(p_isEOF, A_POP),
        _r(".", A_NEXT, "InPathSecond"),
        _r("/", A_NEXT, "InFileFirst"),
        _r(None, A_POP),
    ],
    "InPathSecond": [
        _r(p_isEOF, A_BINGO | A_CLEAR, "Base", FILEPATH),
        _r("/", A_NEXT | A_PUSH, "InFileFirst"),
        _r("/", A_BINGO | A_CLEAR, "Base", FILEPATH),
        _r(p_isspace, A_BINGO | A_CLEAR, "Base", FILEPATH),
        _r(None, A_POP),
    ],
    "InFile": [
        _r(p_isEOF, A_BINGO, "Base", FILEPATH),
        _r(p_isasclet, A_NEXT, "InFile"),
        _r(p_isdigit, A_NEXT, "InFile"),
        _r(".", A_PUSH, "InFileNext"),
        _r("_", A_NEXT, "InFile"),
        _r("-", A_NEXT, "InFile"),
        _r("/", A_PUSH, "InFileFirst"),
        _r(None, A_BINGO, "Base", FILEPATH),
    ],
    "InFileNext": [
        _r(p_isEOF, A_POP),
        _r(p_isasclet, A_CLEAR, "InFile"),
        _r(p_isdigit, A_CLEAR, "InFile"),
        _r("_", A_CLEAR, "InFile"),
        _r(None, A_POP),
    ],
    "InURLPathFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isurlchar, A_NEXT, "InURLPath"),
        _r(None, A_POP),
    ],
    "InURLPathStart": [
        _r(None, A_NEXT, "InURLPath"),
    ],
    "InURLPath": [
        _r(p_isEOF, A_BINGO, "Base", URLPATH),
        _r(p_isurlchar, A_NEXT, "InURLPath"),
        _r(None, A_BINGO, "Base", URLPATH),
    ],
    "InFURL": [
        _r(p_isEOF, A_POP),
        _r(p_isURLPath, A_BINGO | A_CLRALL, "Base", URL_T, special_furl),
        _r(None, A_POP),
    ],
    "InProtocolFirst": [
        _r(p_isEOF, A_POP),
        _r("/", A_NEXT, "InProtocolSecond"),
        _r(None, A_POP),
    ],
    "InProtocolSecond": [
        _r(p_isEOF, A_POP),
        _r("/", A_NEXT, "InProtocolEnd"),
        _r(None, A_POP),
    ],
    "InProtocolEnd": [
        _r(None, A_BINGO | A_CLRALL, "Base", PROTOCOL),
    ],
    "InHyphenAsciiWordFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isasclet, A_NEXT, "InHyphenAsciiWord"),
        _r(p_isalpha, A_NEXT, "InHyphenWord"),
        _r(p_isspecial, A_NEXT, "InHyphenWord"),
        _r(p_isdigit, A_NEXT, "InHyphenDigitLookahead"),
        _r(None, A_POP),
    ],
    "InHyphenAsciiWord": [
        _r(p_isEOF, A_BINGO | A_CLRALL, "InParseHyphen", ASCIIHWORD, special_hyphen),
        _r(p_isasclet, A_NEXT, "InHyphenAsciiWord"),
        _r(p_isalpha, A_NEXT, "InHyphenWord"),
        _r(p_isspecial, A_NEXT, "InHyphenWord"),
        _r(p_isdigit, A_NEXT, "InHyphenNumWord"),
        _r("-", A_PUSH, "InHyphenAsciiWordFirst"),
        _r(None, A_BINGO | A_CLRALL, "InParseHyphen", ASCIIHWORD, special_hyphen),
    ],
    "InHyphenWordFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isalpha, A_NEXT, "InHyphenWord"),
        _r(p_isspecial, A_NEXT, "InHyphenWord"),
        _r(p_isdigit, A_NEXT, "InHyphenDigitLookahead"),
        _r(None, A_POP),
    ],
    "InHyphenWord": [
        _r(p_isEOF, A_BINGO | A_CLRALL, "InParseHyphen", HWORD, special_hyphen),
        _r(p_isalpha, A_NEXT, "InHyphenWord"),
        _r(p_isspecial, A_NEXT, "InHyphenWord"),
        _r(p_isdigit, A_NEXT, "InHyphenNumWord"),
        _r("-", A_PUSH, "InHyphenWordFirst"),
        _r(None, A_BINGO | A_CLRALL, "InParseHyphen", HWORD, special_hyphen),
    ],
    "InHyphenNumWordFirst": [
        _r(p_isEOF, A_POP),
        _r(p_isalpha, A_NEXT, "InHyphenNumWord"),
        _r(p_isspecial, A_NEXT, "InHyphenNumWord"),
        _r(p_isdigit, A_NEXT, "InHyphenDigitLookahead"),
        _r(None, A_POP),
    ],
    "InHyphenNumWord": [
        _r(p_isEOF, A_BINGO | A_CLRALL, "InParseHyphen", NUMHWORD, special_hyphen),
        _r(p_isalnum, A_NEXT, "InHyphenNumWord"),
        _r(p_isspecial, A_NEXT, "InHyphenNumWord"),
        _r("-", A_PUSH, "InHyphenNumWordFirst"),
        _r(None, A_BINGO | A_CLRALL, "InParseHyphen", NUMHWORD, special_hyphen),
    ],
    "InHyphenDigitLookahead": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_NEXT, "InHyphenDigitLookahead"),
        _r(p_isalpha, A_NEXT, "InHyphenNumWord"),
        _r(p_isspecial, A_NEXT, "InHyphenNumWord"),
        _r(None, A_POP),
    ],
    "InParseHyphen": [
        _r(p_isEOF, A_RERUN, "Base"),
        _r(p_isasclet, A_NEXT, "InHyphenAsciiWordPart"),
        _r(p_isalpha, A_NEXT, "InHyphenWordPart"),
        _r(p_isspecial, A_PUSH, "InHyphenWordPart"),
        _r(p_isdigit, A_PUSH, "InHyphenUnsignedInt"),
        _r("-", A_PUSH, "InParseHyphenHyphen"),
        _r(None, A_RERUN, "Base"),
    ],
    "InParseHyphenHyphen": [
        _r(p_isEOF, A_POP),
        _r(p_isalnum, A_BINGO | A_CLEAR, "InParseHyphen", SPACE),
        _r(p_isspecial, A_BINGO | A_CLEAR, "InParseHyphen", SPACE),
        _r(None, A_POP),
    ],
    "InHyphenWordPart": [
        _r(p_isEOF, A_BINGO, "Base", PARTHWORD),
        _r(p_isalpha, A_NEXT, "InHyphenWordPart"),
        _r(p_isspecial, A_NEXT, "InHyphenWordPart"),
        _r(p_isdigit, A_NEXT, "InHyphenNumWordPart"),
        _r(None, A_BINGO, "InParseHyphen", PARTHWORD),
    ],
    "InHyphenAsciiWordPart": [
        _r(p_isEOF, A_BINGO, "Base", ASCIIPARTHWORD),
        _r(p_isasclet, A_NEXT, "InHyphenAsciiWordPart"),
        _r(p_isalpha, A_NEXT, "InHyphenWordPart"),
        _r(p_isspecial, A_NEXT, "InHyphenWordPart"),
        _r(p_isdigit, A_NEXT, "InHyphenNumWordPart"),
        _r(None, A_BINGO, "InParseHyphen", ASCIIPARTHWORD),
    ],
    "InHyphenNumWordPart": [
        _r(p_isEOF, A_BINGO, "Base", NUMPARTHWORD),
        _r(p_isalnum, A_NEXT, "InHyphenNumWordPart"),
        _r(p_isspecial, A_NEXT, "InHyphenNumWordPart"),
        _r(None, A_BINGO, "InParseHyphen", NUMPARTHWORD),
    ],
    "InHyphenUnsignedInt": [
        _r(p_isEOF, A_POP),
        _r(p_isdigit, A_NEXT),
        _r(p_isalpha, A_CLEAR, "InHyphenNumWordPart"),
        _r(p_isspecial, A_CLEAR, "InHyphenNumWordPart"),
        _r(None, A_POP),
    ],
}


def parse(text: str) -> Iterator[tuple[int, str]]:
    """(token type, token text) for every token of text."""
    p = TParser(text)
    while p.get():
        if p.token_len > 0 or p.type:
            yield p.type, text[p.token_start:p.token_start + p.token_len]
