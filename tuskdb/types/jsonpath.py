"""The jsonpath type: the SQL/JSON path language's scanner, parser and printer.

A jsonpath value is a ``JsonPath(lax, root)``: the mode and the parsed item
tree.  Items are ``JpItem``s chained through ``next`` (``$.a[1]`` is the root
item followed by a key item followed by an index item), as PostgreSQL's
flattened jsonpath keeps them, so that printing gives PostgreSQL's canonical
text (``jsonpath_out``): keys quoted, operators spaced, parentheses by
operator priority, unary minus folded into numeric literals.

The scanner follows the rules of PostgreSQL's jsonpath lexer (the same
longest-match decisions: ``1a`` is trailing junk after a numeric literal,
``0x0y`` an identifier), and its error texts name the token the lexer had just
read (``at or near "1.5"``; an identifier ended by a special character reads
as ``at end``).  The parser is recursive descent over the same grammar, so a
syntax error is reported at the first token that cannot continue the input.
Evaluation lives in ``jsonpath_exec.py``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from tuskdb.errors import PgError
from tuskdb.types.json import escape_json
from tuskdb.types.numeric import numeric_in, numeric_out

JSONPATH_OID = 4072

# item kinds -------------------------------------------------------------------------
# literals: 'null' 'bool'(value) 'num'(value Decimal) 'str'(value) 'var'(value name)
# paths: 'root' 'current' 'last' 'key'(value) 'anykey' 'anyarray'
#        'index'(value: list of (from, to|None)) 'any'(value: (first, last); -1 = last)
#        'filter'(a) 'method'(value: type/size/double/...) 'datetime'(a: template|None)
#        'decimal'(a, b) 'time' 'time_tz' 'timestamp' 'timestamp_tz'(a: precision|None)
# operators: binary (a, b): '&&' '||' '==' '!=' '<' '>' '<=' '>=' '+' '-' '*' '/' '%'
#        'starts'; unary (a): '!' 'unknown' 'exists' 'plus' 'minus';
#        'like_regex'(a, value: (pattern, flags))

BINARY_OPS = ("&&", "||", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "starts")
BOOL_KINDS = frozenset(("&&", "||", "==", "!=", "<", ">", "<=", ">=", "starts", "!",
                        "unknown", "exists", "like_regex"))
METHODS = ("abs", "size", "type", "floor", "double", "ceiling", "keyvalue", "bigint",
           "boolean", "date", "integer", "number", "string")

_PRIORITY = {"||": 0, "&&": 1, "==": 2, "!=": 2, "<": 2, ">": 2, "<=": 2, ">=": 2,
             "starts": 2, "+": 3, "-": 3, "*": 4, "/": 4, "%": 4, "plus": 5, "minus": 5}

# regex flags, in printing order
FLAG_I, FLAG_S, FLAG_M, FLAG_X, FLAG_Q = 1, 2, 4, 8, 16


class JpItem:
    __slots__ = ("a", "b", "kind", "next", "value")

    def __init__(self, kind: str, a: JpItem | None = None, b: JpItem | None = None,
                 value: Any = None) -> None:
        self.kind = kind
        self.a = a
        self.b = b
        self.value = value
        self.next: JpItem | None = None


class JsonPath:
    """A jsonpath value (immutable once built)."""

    __slots__ = ("_text", "lax", "root")

    def __init__(self, lax: bool, root: JpItem) -> None:
        self.lax = lax
        self.root = root
        self._text: str | None = None

    def text(self) -> str:
        if self._text is None:
            self._text = ("" if self.lax else "strict ") + print_item(self.root, False, True)
        return self._text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonPath) and self.text() == other.text()

    def __hash__(self) -> int:
        return hash(self.text())

    def __repr__(self) -> str:
        return f"JsonPath({self.text()!r})"


# ---------------------------------------------------------------------------------
# printer (printJsonPathItem)

def _num_text(d: Decimal) -> str:
    return numeric_out(d)


def print_item(v: JpItem, in_key: bool, brackets: bool) -> str:
    out: list[str] = []
    _print(v, in_key, brackets, out)
    return "".join(out)


def _prio(kind: str) -> int:
    return _PRIORITY.get(kind, 6)


def _print(v: JpItem, in_key: bool, brackets: bool, out: list[str]) -> None:
    k = v.kind
    if k in BINARY_OPS:
        if brackets:
            out.append("(")
        _print(v.a, False, _prio(v.a.kind) <= _prio(k), out)
        out.append(" " + ("starts with" if k == "starts" else k) + " ")
        _print(v.b, False, _prio(v.b.kind) <= _prio(k), out)
        if brackets:
            out.append(")")
    elif k == "like_regex":
        if brackets:
            out.append("(")
        _print(v.a, False, _prio(v.a.kind) <= _prio(k), out)
        pattern, flags = v.value
        out.append(" like_regex " + escape_json(pattern))
        if flags:
            out.append(' flag "' + "".join(c for bit, c in ((FLAG_I, "i"), (FLAG_S, "s"),
                                                              (FLAG_M, "m"), (FLAG_X, "x"),
                                                              (FLAG_Q, "q")) if flags & bit)
                       + '"')
        if brackets:
            out.append(")")
    elif k in ("plus", "minus"):
        if brackets:
            out.append("(")
        out.append("+" if k == "plus" else "-")
        _print(v.a, False, _prio(v.a.kind) <= _prio(k), out)
        if brackets:
            out.append(")")
    elif k == "!":
        out.append("!(")
        _print(v.a, False, False, out)
        out.append(")")
    elif k == "unknown":
        out.append("(")
        _print(v.a, False, False, out)
        out.append(") is unknown")
    elif k == "exists":
        out.append("exists (")
        _print(v.a, False, False, out)
        out.append(")")
    elif k == "filter":
        out.append("?(")
        _print(v.a, False, False, out)
        out.append(")")
    elif k == "root":
        out.append("$")
    elif k == "current":
        out.append("@")
    elif k == "last":
        out.append("last")
    elif k == "var":
        out.append("$" + escape_json(v.value))
    elif k == "str":
        out.append(escape_json(v.value))
    elif k == "num":
        if v.next is not None:
            out.append("(" + _num_text(v.value) + ")")
        else:
            out.append(_num_text(v.value))
    elif k == "bool":
        out.append("true" if v.value else "false")
    elif k == "null":
        out.append("null")
    elif k == "key":
        if in_key:
            out.append(".")
        out.append(escape_json(v.value))
    elif k == "anyarray":
        out.append("[*]")
    elif k == "anykey":
        if in_key:
            out.append(".")
        out.append("*")
    elif k == "index":
        out.append("[")
        for i, (frm, to) in enumerate(v.value):
            if i:
                out.append(",")
            _print(frm, False, False, out)
            if to is not None:
                out.append(" to ")
                _print(to, False, False, out)
        out.append("]")
    elif k == "any":
        if in_key:
            out.append(".")
        out.append("**")
        first, last = v.value
        if first == last:
            out.append("{last}" if first == -1 else f"{{{first}}}")
        elif not (first == 0 and last == -1):
            lo = "last" if first == -1 else first
            hi = "last" if last == -1 else last
            out.append(f"{{{lo} to {hi}}}")
    elif k == "method":
        out.append("." + v.value + "()")
    elif k == "datetime":
        out.append(".datetime(")
        if v.a is not None:
            _print(v.a, False, False, out)
        out.append(")")
    elif k == "decimal":
        out.append(".decimal(")
        if v.a is not None:
            _print(v.a, False, False, out)
        if v.b is not None:
            out.append(",")
            _print(v.b, False, False, out)
        out.append(")")
    elif k in ("time", "time_tz", "timestamp", "timestamp_tz"):
        out.append("." + k + "(")
        if v.a is not None:
            _print(v.a, False, False, out)
        out.append(")")
    else:  # pragma: no cover
        raise AssertionError(k)
    if v.next is not None:
        _print(v.next, True, True, out)


# ---------------------------------------------------------------------------------
# scanner (jsonpath_scan.l)

_SPECIAL = set("?%$.[]{}()|&!=<>@#,*:-+/\\\" \t\n\r\f")
_BLANK = set(" \t\n\r\f")

_KEYWORDS = {
    "is": "IS", "to": "TO", "abs": "ABS", "lax": "LAX", "date": "DATE", "flag": "FLAG",
    "last": "LAST", "size": "SIZE", "time": "TIME", "type": "TYPE", "with": "WITH",
    "floor": "FLOOR", "bigint": "BIGINT", "double": "DOUBLE", "exists": "EXISTS",
    "number": "NUMBER", "starts": "STARTS", "strict": "STRICT", "string": "STRINGFUNC",
    "boolean": "BOOLEAN", "ceiling": "CEILING", "decimal": "DECIMAL", "integer": "INTEGER",
    "time_tz": "TIME_TZ", "unknown": "UNKNOWN", "datetime": "DATETIME",
    "keyvalue": "KEYVALUE", "timestamp": "TIMESTAMP", "like_regex": "LIKE_REGEX",
    "timestamp_tz": "TIMESTAMP_TZ",
}
_LOWER_KEYWORDS = {"null": "NULL", "true": "TRUE", "false": "FALSE"}

_OTHER = r"[^?%$.\[\]{}()|&!=<>@#,*:\-+/\\\" \t\n\r\f]"
_DECINT = r"(?:0|[1-9](?:_?[0-9])*)"
_DECDIGITS = r"[0-9](?:_?[0-9])*"
_DECIMAL = rf"(?:{_DECINT}\.(?:{_DECDIGITS})?|\.{_DECDIGITS})"
_NUM_RULES = [  # (name, regex) in rule order; longest match wins, earlier on ties
    ("real", re.compile(rf"(?:{_DECINT}|{_DECIMAL})[Ee][-+]?{_DECDIGITS}")),
    ("decimal", re.compile(_DECIMAL)),
    ("int", re.compile(_DECINT)),
    ("int", re.compile(r"0[xX][0-9A-Fa-f](?:_?[0-9A-Fa-f])*")),
    ("int", re.compile(r"0[oO][0-7](?:_?[0-7])*")),
    ("int", re.compile(r"0[bB][01](?:_?[01])*")),
    ("realfail", re.compile(rf"(?:{_DECINT}|{_DECIMAL})[Ee][-+]")),
    ("junk", re.compile(rf"{_DECINT}{_OTHER}")),
    ("junk", re.compile(rf"{_DECIMAL}{_OTHER}")),
    ("junk", re.compile(rf"(?:{_DECINT}|{_DECIMAL})[Ee][-+]?{_DECDIGITS}{_OTHER}")),
    ("other", re.compile(rf"{_OTHER}+")),
]
_UNICODE = re.compile(r"\\u(?:[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]{1,6}\})")
_UNICODE_FAIL = re.compile(r"(?:\\u(?:[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]{1,6}\}))*"
                           r"\\u(?:[0-9A-Fa-f]{0,3}|\{[0-9A-Fa-f]{0,6})")
_HEX_CHAR = re.compile(r"\\x[0-9A-Fa-f]{2}")
_HEX_FAIL = re.compile(r"\\x[0-9A-Fa-f]?")
_SIMPLE_ESC = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _syntax_error(message: str, near: str | None) -> PgError:
    if near is None or near == "":
        return PgError("42601", f"{message} at end of jsonpath input")
    return PgError("42601", f'{message} at or near "{near}" of jsonpath input')


def _invalid(detail: str, sqlstate: str = "42601") -> PgError:
    return PgError(sqlstate, "invalid input syntax for type jsonpath", detail=detail)


class _Tok:
    __slots__ = ("kind", "near", "value")

    def __init__(self, kind: str, value: Any, near: str | None) -> None:
        self.kind = kind      # 'IDENT' 'STRING' 'VARIABLE' 'INT' 'NUMERIC' keyword, char, op, 'EOF'
        self.value = value
        self.near = near      # yytext as the error message shows it (None: at end)


def _scan(s: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i = 0
    n = len(s)
    while True:
        if i >= n:
            toks.append(_Tok("EOF", None, None))
            return toks
        c = s[i]
        two = s[i:i + 2]
        if c in _BLANK:
            i += 1
            continue
        if two == "/*":
            end = s.find("*/", i + 2)
            if end < 0:
                raise _syntax_error("unexpected end of comment", None)
            i = end + 2
            continue
        if two in ("&&", "||", "**", "<=", "==", "<>", "!=", ">="):
            kind = {"&&": "AND", "||": "OR", "**": "ANY", "<=": "<=", "==": "==",
                    "<>": "!=", "!=": "!=", ">=": ">="}[two]
            toks.append(_Tok(kind, two, two))
            i += 2
            continue
        if c == "$":
            m = re.compile(rf"{_OTHER}+").match(s, i + 1)
            if m:
                toks.append(_Tok("VARIABLE", m.group(), "$" + m.group()))
                i = m.end()
                continue
            if s[i + 1:i + 2] == '"':
                val, i = _scan_quoted(s, i + 2)
                toks.append(_Tok("VARIABLE", val, '"'))
                continue
            toks.append(_Tok("$", "$", "$"))
            i += 1
            continue
        if c == '"':
            val, i = _scan_quoted(s, i + 1)
            toks.append(_Tok("STRING", val, '"'))
            continue
        if c == "\\":
            i = _scan_ident(s, i, toks)
            continue
        if c in _SPECIAL and not (c == "." and s[i + 1:i + 2].isdigit()):
            toks.append(_Tok(c, c, c))
            i += 1
            continue
        # numbers / identifiers: longest match, earliest rule on ties
        best = None
        for name, rx in _NUM_RULES:
            m = rx.match(s, i)
            if m and (best is None or m.end() > best[1].end()):
                best = (name, m)
        assert best is not None
        name, m = best
        text = m.group()
        if name == "other":
            i = _scan_ident(s, i, toks)
            continue
        if name == "junk":
            raise _syntax_error("trailing junk after numeric literal", text)
        if name == "realfail":
            raise _syntax_error("invalid numeric literal", text)
        clean = text.replace("_", "")
        if name == "int":
            if clean[:2].lower() in ("0x", "0o", "0b"):
                val = Decimal(int(clean[2:], {"x": 16, "o": 8, "b": 2}[clean[1].lower()]))
            else:
                val = Decimal(int(clean))
            toks.append(_Tok("INT", val, text))
        else:
            toks.append(_Tok("NUMERIC", numeric_in(clean), text))
        i = m.end()


def _unicode_char(s: str, i: int, j: int, pending_high: list[int]) -> str:
    """Decode one run of \\u escapes s[i:j] (surrogate pairs within the run)."""
    out: list[str] = []
    hi = 0
    for m in _UNICODE.finditer(s, i, j):
        h = m.group()[2:]
        cp = int(h.strip("{}"), 16)
        if 0xD800 <= cp <= 0xDBFF:
            if hi:
                raise _invalid("Unicode high surrogate must not follow a high surrogate.",
                               "22P02")
            hi = cp
            continue
        if 0xDC00 <= cp <= 0xDFFF:
            if not hi:
                raise _invalid("Unicode low surrogate must follow a high surrogate.", "22P02")
            cp = 0x10000 + ((hi - 0xD800) << 10) + (cp - 0xDC00)
            hi = 0
        elif hi:
            raise _invalid("Unicode low surrogate must follow a high surrogate.", "22P02")
        if cp == 0:
            raise PgError("22P05", "unsupported Unicode escape sequence",
                          detail="\\u0000 cannot be converted to text.")
        if cp > 0x10FFFF:
            raise PgError("22P05", "invalid Unicode code point")  # pragma: no cover
        out.append(chr(cp))
    if hi:
        raise _invalid("Unicode low surrogate must follow a high surrogate.", "22P02")
    return "".join(out)


def _escape(s: str, i: int, buf: list[str]) -> int:
    """An escape at s[i] == '\\' (inside quotes or identifiers): append, return new i."""
    if i + 1 >= len(s):
        raise _syntax_error("unexpected end after backslash", "\\")
    c = s[i + 1]
    if c in _SIMPLE_ESC:
        buf.append(_SIMPLE_ESC[c])
        return i + 2
    if c == "u":
        m = re.compile(r"(?:\\u(?:[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]{1,6}\}))+").match(s, i)
        if m:
            buf.append(_unicode_char(s, m.start(), m.end(), []))
            return m.end()
        f = _UNICODE_FAIL.match(s, i)
        raise _syntax_error("invalid Unicode escape sequence", f.group() if f else "\\u")
    if c == "x":
        m = _HEX_CHAR.match(s, i)
        if m:
            cp = int("0" + m.group()[1:], 0)   # "\\x41" -> "0x41"
            if cp == 0:
                raise PgError("22P05", "unsupported Unicode escape sequence",
                              detail="\\u0000 cannot be converted to text.")
            buf.append(chr(cp))
            return m.end()
        f = _HEX_FAIL.match(s, i)
        raise _syntax_error("invalid hexadecimal character sequence", f.group() if f else "\\x")
    buf.append(c)
    return i + 2


def _scan_quoted(s: str, i: int) -> tuple[str, int]:
    buf: list[str] = []
    n = len(s)
    while True:
        if i >= n:
            raise _syntax_error("unterminated quoted string", None)
        c = s[i]
        if c == '"':
            return "".join(buf), i + 1
        if c == "\\":
            i = _escape(s, i, buf)
            continue
        j = i
        while j < n and s[j] not in '\\"':
            j += 1
        buf.append(s[i:j])
        i = j


def _scan_ident(s: str, i: int, toks: list[_Tok]) -> int:
    """The xnq state: an unquoted identifier or keyword."""
    buf: list[str] = []
    n = len(s)
    while True:
        if i >= n:
            toks.append(_keyword("".join(buf), None))
            return i
        c = s[i]
        if c == "\\":
            i = _escape(s, i, buf)
            continue
        if s.startswith("/*", i):
            # PostgreSQL's scanner drops the identifier read so far here
            end = s.find("*/", i + 2)
            if end < 0:
                raise _syntax_error("unexpected end of comment", None)
            return end + 2
        if c in _BLANK:
            j = i
            while j < n and s[j] in _BLANK:
                j += 1
            toks.append(_keyword("".join(buf), s[i:j]))
            return j
        if c in _SPECIAL:
            toks.append(_keyword("".join(buf), None))
            return i
        j = i
        while j < n and s[j] not in _SPECIAL:
            j += 1
        buf.append(s[i:j])
        i = j


def _keyword(word: str, near: str | None) -> _Tok:
    kw = _LOWER_KEYWORDS.get(word)
    if kw is None and len(word) <= 12:
        kw = _KEYWORDS.get(word.lower())
    return _Tok(kw or "IDENT", word, near)


# ---------------------------------------------------------------------------------
# parser (jsonpath_gram.y)

_COMP = {"==": "==", "!=": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">="}
_KEY_TOKENS = frozenset(["IDENT", "STRING", "NULL", "TRUE", "FALSE"]
                        + list(_KEYWORDS.values()))
_METHOD_TOKENS = {"ABS": "abs", "SIZE": "size", "TYPE": "type", "FLOOR": "floor",
                  "DOUBLE": "double", "CEILING": "ceiling", "KEYVALUE": "keyvalue",
                  "BIGINT": "bigint", "BOOLEAN": "boolean", "DATE": "date",
                  "INTEGER": "integer", "NUMBER": "number", "STRINGFUNC": "string"}
_PREC_METHODS = {"TIME": "time", "TIME_TZ": "time_tz", "TIMESTAMP": "timestamp",
                 "TIMESTAMP_TZ": "timestamp_tz"}

# contexts of an expression: may it be (or must it be) a predicate?
_EXPR, _ANY, _PRED = 0, 1, 2


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.pos = 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.pos]

    def peek(self, k: int = 1) -> _Tok:
        return self.toks[min(self.pos + k, len(self.toks) - 1)]

    def advance(self) -> _Tok:
        t = self.toks[self.pos]
        self.pos += 1
        return t

    def fail(self) -> PgError:
        return _syntax_error("syntax error", self.tok.near)

    def expect(self, kind: str) -> _Tok:
        if self.tok.kind != kind:
            raise self.fail()
        return self.advance()

    # result: mode expr_or_predicate | <empty>
    def parse(self) -> tuple[bool, JpItem] | None:
        if self.tok.kind == "EOF":
            return None
        lax = True
        if self.tok.kind in ("STRICT", "LAX"):
            lax = self.advance().kind == "LAX"
        item, _ = self.parse_or(_ANY)
        if self.tok.kind != "EOF":
            raise self.fail()
        return lax, item

    # predicates: or -> and -> (not | comparison | starts | like_regex | delimited)
    def parse_or(self, ctx: int) -> tuple[JpItem, bool]:
        left, is_pred = self.parse_and(ctx)
        while self.tok.kind == "OR" and is_pred and ctx != _EXPR:
            self.advance()
            right, _ = self.parse_and(_PRED)
            left = JpItem("||", left, right)
        return self._finish(left, is_pred, ctx)

    def _finish(self, item: JpItem, is_pred: bool, ctx: int) -> tuple[JpItem, bool]:
        if ctx == _PRED and not is_pred:
            raise self.fail()
        return item, is_pred

    def parse_and(self, ctx: int) -> tuple[JpItem, bool]:
        left, is_pred = self.parse_not(ctx)
        while self.tok.kind == "AND" and is_pred and ctx != _EXPR:
            self.advance()
            right, _ = self.parse_not(_PRED)
            left = JpItem("&&", left, right)
        if ctx == _PRED and not is_pred:
            raise self.fail()
        return left, is_pred

    def parse_not(self, ctx: int) -> tuple[JpItem, bool]:
        t = self.tok
        if t.kind == "!" and ctx != _EXPR:
            self.advance()
            return JpItem("!", self.parse_delimited()), True
        if t.kind == "EXISTS" and ctx != _EXPR:
            return self.parse_delimited(), True
        return self.parse_comparison(ctx)

    def parse_delimited(self) -> JpItem:
        """delimited_predicate: '(' predicate ')' | EXISTS '(' expr ')'"""
        if self.tok.kind == "EXISTS":
            self.advance()
            self.expect("(")
            arg = self.parse_expr()
            self.expect(")")
            return JpItem("exists", arg)
        self.expect("(")
        p, _ = self.parse_or(_PRED)
        self.expect(")")
        return p

    def parse_comparison(self, ctx: int) -> tuple[JpItem, bool]:
        left, is_pred = self.parse_additive(ctx)
        if is_pred or ctx == _EXPR:
            return left, is_pred
        t = self.tok
        if t.kind in _COMP:
            self.advance()
            right = self.parse_expr()
            return JpItem(_COMP[t.kind], left, right), True
        if t.kind == "STARTS":
            self.advance()
            self.expect("WITH")
            t2 = self.tok
            if t2.kind == "STRING":
                init = JpItem("str", value=t2.value)
            elif t2.kind == "VARIABLE":
                init = JpItem("var", value=t2.value)
            else:
                raise self.fail()
            self.advance()
            return JpItem("starts", left, init), True
        if t.kind == "LIKE_REGEX":
            self.advance()
            pat = self.expect("STRING").value
            flags = None
            if self.tok.kind == "FLAG":
                self.advance()
                flags = self.expect("STRING").value
            return _make_like_regex(left, pat, flags), True
        return left, False

    def parse_expr(self) -> JpItem:
        item, _ = self.parse_additive(_EXPR)
        return item

    def parse_additive(self, ctx: int) -> tuple[JpItem, bool]:
        left, is_pred = self.parse_multiplicative(ctx)
        while self.tok.kind in ("+", "-") and not is_pred:
            op = self.advance().kind
            right, _ = self.parse_multiplicative(_EXPR)
            left = JpItem(op, left, right)
        return left, is_pred

    def parse_multiplicative(self, ctx: int) -> tuple[JpItem, bool]:
        left, is_pred = self.parse_unary(ctx)
        while self.tok.kind in ("*", "/", "%") and not is_pred:
            op = self.advance().kind
            right, _ = self.parse_unary(_EXPR)
            left = JpItem(op, left, right)
        return left, is_pred

    def parse_unary(self, ctx: int) -> tuple[JpItem, bool]:
        t = self.tok
        if t.kind in ("+", "-"):
            self.advance()
            arg, _ = self.parse_unary(_EXPR)
            return _make_unary("plus" if t.kind == "+" else "minus", arg), False
        return self.parse_accessor_expr(ctx)

    def parse_accessor_expr(self, ctx: int) -> tuple[JpItem, bool]:
        t = self.tok
        if t.kind == "(":
            self.advance()
            inner, inner_pred = self.parse_or(_ANY)
            self.expect(")")
            if not inner_pred:
                return self.parse_accessors(inner), False
            if self._at_accessor():
                return self.parse_accessors(inner), False
            if ctx == _EXPR:
                raise self.fail()
            if self.tok.kind == "IS":
                self.advance()
                self.expect("UNKNOWN")
                return JpItem("unknown", inner), True
            return inner, True
        return self.parse_accessors(self.parse_primary()), False

    def _at_accessor(self) -> bool:
        return self.tok.kind in (".", "[", "?")

    def parse_primary(self) -> JpItem:
        t = self.tok
        k = t.kind
        if k == "STRING":
            item = JpItem("str", value=t.value)
        elif k == "NULL":
            item = JpItem("null")
        elif k in ("TRUE", "FALSE"):
            item = JpItem("bool", value=(k == "TRUE"))
        elif k in ("NUMERIC", "INT"):
            item = JpItem("num", value=t.value)
        elif k == "VARIABLE":
            item = JpItem("var", value=t.value)
        elif k == "$":
            item = JpItem("root")
        elif k == "@":
            item = JpItem("current")
        elif k == "LAST":
            item = JpItem("last")
        else:
            raise self.fail()
        self.advance()
        return item

    def parse_accessors(self, head: JpItem) -> JpItem:
        end = head
        while end.next is not None:
            end = end.next
        while self._at_accessor():
            op = self.parse_accessor_op()
            end.next = op
            end = op
        return head

    def parse_accessor_op(self) -> JpItem:
        t = self.advance()
        if t.kind == "?":
            self.expect("(")
            p, _ = self.parse_or(_PRED)
            self.expect(")")
            return JpItem("filter", p)
        if t.kind == "[":
            if self.tok.kind == "*" and self.peek().kind == "]":
                self.advance()
                self.advance()
                return JpItem("anyarray")
            if self.tok.kind == "*":
                self.advance()
                raise self.fail()
            elems: list[tuple[JpItem, JpItem | None]] = []
            while True:
                frm = self.parse_expr()
                to = None
                if self.tok.kind == "TO":
                    self.advance()
                    to = self.parse_expr()
                elems.append((frm, to))
                if self.tok.kind == ",":
                    self.advance()
                    continue
                self.expect("]")
                return JpItem("index", value=elems)
        # '.'
        t = self.tok
        k = t.kind
        if k == "*":
            self.advance()
            return JpItem("anykey")
        if k == "ANY":
            self.advance()
            first, last = 0, -1
            if self.tok.kind == "{":
                self.advance()
                first = last = self._any_level()
                if self.tok.kind == "TO":
                    self.advance()
                    last = self._any_level()
                self.expect("}")
            return JpItem("any", value=(first, last))
        if self.peek().kind == "(":
            if k in _METHOD_TOKENS:
                self.advance()
                self.advance()
                self.expect(")")
                return JpItem("method", value=_METHOD_TOKENS[k])
            if k == "DECIMAL":
                self.advance()
                self.advance()
                args: list[JpItem] = []
                if self.tok.kind != ")":
                    while True:
                        args.append(self._csv_elem())
                        if self.tok.kind != ",":
                            break
                        self.advance()
                self.expect(")")
                if len(args) > 2:
                    raise _invalid(".decimal() can only have an optional precision[,scale].")
                return JpItem("decimal", args[0] if args else None,
                              args[1] if len(args) > 1 else None)
            if k == "DATETIME":
                self.advance()
                self.advance()
                tmpl = None
                if self.tok.kind == "STRING":
                    tmpl = JpItem("str", value=self.advance().value)
                self.expect(")")
                return JpItem("datetime", tmpl)
            if k in _PREC_METHODS:
                self.advance()
                self.advance()
                prec = None
                if self.tok.kind == "INT":
                    prec = JpItem("num", value=self.advance().value)
                self.expect(")")
                return JpItem(_PREC_METHODS[k], prec)
        if k in _KEY_TOKENS:
            self.advance()
            return JpItem("key", value=t.value)
        raise self.fail()

    def _any_level(self) -> int:
        t = self.tok
        if t.kind == "LAST":
            self.advance()
            return -1
        if t.kind != "INT":
            raise self.fail()
        self.advance()
        v = int(t.value)
        if v > 2147483647:
            raise PgError("22003", f'value "{t.near}" is out of range for type integer')
        return v

    def _csv_elem(self) -> JpItem:
        sign = 1
        if self.tok.kind in ("+", "-"):
            sign = -1 if self.advance().kind == "-" else 1
        t = self.expect("INT")
        return JpItem("num", value=t.value if sign > 0 else -t.value)


def _make_unary(kind: str, arg: JpItem) -> JpItem:
    if arg.kind == "num" and arg.next is None:
        if kind == "plus":
            return arg
        return JpItem("num", value=-arg.value if arg.value else arg.value)
    return JpItem(kind, arg)


def parse_regex_flags(flags: str | None) -> int:
    bits = 0
    for c in flags or "":
        if c == "i":
            bits |= FLAG_I
        elif c == "s":
            bits |= FLAG_S
        elif c == "m":
            bits |= FLAG_M
        elif c == "x":
            bits |= FLAG_X
        elif c == "q":
            bits |= FLAG_Q
        else:
            raise _invalid(f'Unrecognized flag character "{c}" in LIKE_REGEX predicate.')
    return bits


def compile_like_regex(pattern: str, bits: int) -> re.Pattern[str]:
    """PostgreSQL's regex for a like_regex predicate (XQuery flags i s m x q): without
    's' the dot does not match a newline, 'm' anchors at lines, 'q' is a literal."""
    key = (pattern, bits)
    rx = _REGEX_CACHE.get(key)
    if rx is not None:
        return rx
    flags = re.IGNORECASE if bits & FLAG_I else 0
    if bits & FLAG_Q:
        rx = re.compile(re.escape(pattern), flags)
    else:
        if bits & FLAG_X:
            raise PgError("0A000", 'XQuery "x" flag (expanded regular expressions) is not '
                          "implemented")
        from tuskdb.types.strfuncs import regex
        base = regex(pattern, re.MULTILINE)          # translation and PostgreSQL's error texts
        if bits & FLAG_S:
            flags |= re.DOTALL
        if bits & FLAG_M:
            flags |= re.MULTILINE
        rx = re.compile(base.pattern, flags)
    if len(_REGEX_CACHE) > 500:
        _REGEX_CACHE.clear()
    _REGEX_CACHE[key] = rx
    return rx


_REGEX_CACHE: dict[tuple[str, int], re.Pattern[str]] = {}


def _make_like_regex(expr: JpItem, pattern: str, flags: str | None) -> JpItem:
    bits = parse_regex_flags(flags)
    compile_like_regex(pattern, bits)
    return JpItem("like_regex", expr, value=(pattern, bits))


def _check(item: JpItem | None, nesting: int, in_subscript: bool) -> None:
    """The checks PostgreSQL makes while flattening the parse tree."""
    while item is not None:
        k = item.kind
        if k == "current" and nesting <= 0:
            raise PgError("42601", "@ is not allowed in root expressions")
        if k == "last" and not in_subscript:
            raise PgError("42601", "LAST is allowed only in array subscripts")
        if k == "filter":
            _check(item.a, nesting + 1, in_subscript)
        elif k == "index":
            for frm, to in item.value:
                _check(frm, nesting, True)
                _check(to, nesting, True)
        else:
            if item.a is not None:
                _check(item.a, nesting, in_subscript)
            if item.b is not None:
                _check(item.b, nesting, in_subscript)
        item = item.next


def jsonpath_in(text: str, typmod: int = -1, ctx: Any = None) -> JsonPath:
    try:
        res = _Parser(_scan(text)).parse()
        if res is None:
            raise PgError("42601", f'invalid input syntax for type jsonpath: "{text}"')
        lax, root = res
        _check(root, 0, False)
    except PgError as e:
        e.soft_input = True   # type: ignore[attr-defined]  # errsave: pg_input_is_valid sees it
        raise
    return JsonPath(lax, root)


def jsonpath_out(v: JsonPath, ctx: Any = None) -> str:
    return v.text()


def jsonpath_send(v: JsonPath, ctx: Any = None) -> bytes:
    return b"\x01" + v.text().encode()


def jsonpath_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> JsonPath:
    if not data or data[0] != 1:
        raise PgError("22P03", f"unsupported jsonpath version number: {data[0] if data else 0}")
    return jsonpath_in(data[1:].decode())
