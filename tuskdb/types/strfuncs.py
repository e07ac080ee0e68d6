"""String functions and pattern matching (LIKE, ILIKE, POSIX regular expressions).

LIKE patterns are translated to Python regular expressions once and cached.
PostgreSQL's regular expressions are Spencer's ARE; the translation below
covers the common syntax ([[:class:]], \\m, \\M, \\y, \\Y) and maps Python's
compile errors onto PostgreSQL's 2201B message.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types.arrays import Array

_LIKE_CACHE: dict[tuple[str, str | None, bool], re.Pattern[str]] = {}
_RE_CACHE: dict[tuple[str, int], re.Pattern[str]] = {}


def like_regex(pattern: str, escape: str | None = "\\", icase: bool = False
               ) -> re.Pattern[str]:
    key = (pattern, escape, icase)
    r = _LIKE_CACHE.get(key)
    if r is not None:
        return r
    out = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if escape and c == escape:
            i += 1
            if i >= n:
                # PostgreSQL raises this only when matching reaches the end of the
                # pattern: the regex then ends in a marker group checked by the caller.
                out.append("(?P<_trailing_escape>.)")  # only an error if text remains
                break
            out.append(re.escape(pattern[i]))
        elif c == "%":
            out.append(".*")
        elif c == "_":
            out.append(".")
        else:
            out.append(re.escape(c))
        i += 1
    r = re.compile("".join(out), re.S | (re.I if icase else 0))
    if len(_LIKE_CACHE) > 2000:
        _LIKE_CACHE.clear()
    _LIKE_CACHE[key] = r
    return r


def like_match(s: str, p: str, escape: str | None = "\\", icase: bool = False) -> bool:
    rx = like_regex(p, escape, icase)
    if "_trailing_escape" in rx.groupindex:
        if rx.match(s) is not None:
            raise PgError("22025", "LIKE pattern must not end with escape character")
        return False
    return rx.fullmatch(s) is not None


def textlike(s: str, p: str) -> bool:
    return like_match(s, p)


def textnlike(s: str, p: str) -> bool:
    return not like_match(s, p)


def texticlike(s: str, p: str) -> bool:
    return like_match(s, p, "\\", True)


def texticnlike(s: str, p: str) -> bool:
    return not like_match(s, p, "\\", True)


def like_escape(p: str, esc: str) -> str:
    """like_escape(pattern, escape): rewrite to the default backslash escape."""
    if len(esc) > 1:
        raise PgError("22019", "invalid escape string",
                      hint="Escape string must be empty or one character.")
    out = []
    i = 0
    while i < len(p):
        c = p[i]
        if esc and c == esc:
            i += 1
            if i >= len(p):
                raise PgError("22025", "LIKE pattern must not end with escape character")
            out.append("\\" + p[i])
        elif c == "\\":
            out.append("\\\\")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def bytealike(s: bytes, p: bytes) -> bool:
    return like_match(s.decode("latin-1"), p.decode("latin-1"))


def byteanlike(s: bytes, p: bytes) -> bool:
    return not bytealike(s, p)


_CLASSES = {"digit": r"\d", "alpha": "a-zA-Z", "alnum": "a-zA-Z0-9", "upper": "A-Z",
            "lower": "a-z", "space": r"\s", "punct": r"!-/:-@\[-`{-~", "xdigit": "0-9A-Fa-f",
            "word": r"\w", "blank": r" \t", "cntrl": r"\x00-\x1f\x7f", "print": r"\x20-\x7e",
            "graph": r"\x21-\x7e"}


def _check_quantifiers(p: str) -> None:
    """ARE rejects a quantifier applied to a quantifier ('a++', 'a?+', '*') and '(?'
    extensions Python would accept."""
    i = 0
    n = len(p)
    prev_quant = False
    prev_atom = False
    depth = 0
    groups: list[bool] = []     # per open group: is it a lookaround constraint?
    while i < n:
        c = p[i]
        if c == "(":
            depth += 1
            groups.append(p[i + 1:i + 3] in ("?=", "?!") or p[i + 1:i + 4] in ("?<=", "?<!"))
        elif c == ")":
            depth -= 1
            if depth < 0:
                raise PgError("2201B", "invalid regular expression: parentheses () not balanced")
            if groups.pop():
                prev_quant = prev_atom = False
                i += 1
                continue
        if c == "\\":
            if i + 1 < n and p[i + 1] in "123456789" and any(groups):
                # a back reference inside a lookahead/lookbehind constraint
                raise PgError("2201B", "invalid regular expression: invalid backreference "
                              "number")
            i += 2
            prev_quant, prev_atom = False, True
            continue
        if c == "[":
            j = i + 1
            if j < n and p[j] == "^":
                j += 1
            if j < n and p[j] == "]":
                j += 1
            while j < n and p[j] != "]":
                j += 2 if p[j] == "[" and j + 1 < n and p[j + 1] in ":.=" else 1
            i = j + 1
            prev_quant, prev_atom = False, True
            continue
        if c in "*+?{":
            if c == "?" and prev_quant and p[i - 1] in "*+?}":
                prev_quant = False   # non-greedy suffix
                i += 1
                continue
            if prev_quant or not prev_atom:
                if c == "{" and not prev_atom:
                    pass
                else:
                    raise PgError("2201B", "invalid regular expression: quantifier operand "
                                  "invalid")
            if c == "{":
                j = p.find("}", i)
                bounds = re.fullmatch(r"(\d*)(?:,(\d*))?", p[i + 1:j]) if j > 0 else None
                if bounds and any(b and int(b) > 255 for b in bounds.groups()):
                    raise PgError("2201B", "invalid regular expression: invalid repetition "
                                  "count(s)")   # DUPMAX
                i = j + 1 if j > 0 else i + 1
            else:
                i += 1
            prev_quant = True
            continue
        if c == "(" and p[i + 1:i + 2] == "?":
            ext = 3 if p[i + 2:i + 3] in (":", "=", "!") else \
                4 if p[i + 2:i + 4] in ("<=", "<!") else 0
            if not ext:
                raise PgError("2201B", "invalid regular expression: quantifier operand invalid")
            prev_quant = prev_atom = False
            i += ext
            continue
        prev_quant = False
        prev_atom = c not in "(|^"
        i += 1


def _translate_are(p: str) -> str:
    _check_quantifiers(p)
    p = re.sub(r"\[:(\w+):\]", lambda m: _CLASSES.get(m.group(1), m.group(0)), p)
    p = _ARE_ESCAPE.sub(_are_escape, p)
    # '{' not followed by a digit is an ordinary character (Python reads '{,3}' as a bound)
    return re.sub(r"(?<!\\)\{(?=,)", r"\{", p)


# ARE escapes whose Python spelling differs: \b is backspace, \B a backslash, \y/\Y
# word boundaries, \m/\M word start/end
_ARE_ESCAPES = {r"\b": r"\x08", r"\B": "\\\\", r"\y": r"\b", r"\Y": r"\B",
                r"\m": r"\b(?=\w)", r"\M": r"\b(?<=\w)"}
_ARE_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]+|.)", re.S)
CHR_MAX = 0x7FFFFFFE        # the largest character code a regular expression may name


def _are_escape(m: re.Match[str]) -> str:
    text = m.group(0)
    if text.startswith("\\x") and len(text) > 2:
        # \xhhh...: every hex digit that follows (Python reads just two)
        v = int(text[2:], 16)
        if v > CHR_MAX:
            raise PgError("2201B", "invalid regular expression: invalid escape \\ sequence")
        return f"\\U{v:08x}" if v <= 0x10FFFF else "(?!)"
    return _ARE_ESCAPES.get(text, text)


def regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    # ARE default: '.' and bracket expressions match newline; the newline-sensitive
    # flags (n, m, p, w) arrive as re.M and switch that off.
    if not flags & re.M:
        flags |= re.S
    key = (pattern, flags)
    r = _RE_CACHE.get(key)
    if r is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r = re.compile(_translate_are(pattern), flags)
        except re.error as e:
            msg = str(e.msg)
            if "parenthesis" in msg or "missing )" in msg:
                msg = "parentheses () not balanced"
            elif "unterminated character set" in msg:
                msg = "brackets [] not balanced"
            elif "nothing to repeat" in msg or "multiple repeat" in msg:
                msg = "quantifier operand invalid"
            elif "bad escape" in msg:
                msg = "invalid escape \\ sequence"
            elif "min repeat greater than max repeat" in msg or "repeat" in msg:
                msg = "invalid repetition count(s)"
            raise PgError("2201B", f"invalid regular expression: {msg}") from None
        if len(_RE_CACHE) > 2000:
            _RE_CACHE.clear()
        _RE_CACHE[key] = r
    return r


def textregexeq(s: str, p: str) -> bool:
    return regex(p).search(s) is not None


def textregexne(s: str, p: str) -> bool:
    return regex(p).search(s) is None


def texticregexeq(s: str, p: str) -> bool:
    return regex(p, re.I).search(s) is not None


def texticregexne(s: str, p: str) -> bool:
    return regex(p, re.I).search(s) is None


def _re_flags(flags: str) -> tuple[int, bool]:
    f = 0
    glob = False
    for c in flags:
        if c == "i":
            f |= re.I
        elif c == "g":
            glob = True
        elif c in "nmpw":
            f |= re.M
        elif c == "s":
            f |= re.S
        elif c == "x":
            f |= re.X
        elif c in "ceqt":
            pass
        else:
            raise PgError("22023", f'invalid regular expression option: "{c}"')
    return f, glob


def _pg_repl(repl: str) -> Callable[[re.Match[str]], str]:
    def f(m: re.Match[str]) -> str:
        out = []
        i = 0
        while i < len(repl):
            c = repl[i]
            if c == "\\" and i + 1 < len(repl):
                # appendStringInfoRegexpSubstr: \1-\9, \&, \\; any other escape
                # (\0, \Y) is copied as it stands
                n = repl[i + 1]
                if "1" <= n <= "9":
                    g = int(n)
                    if g <= (m.re.groups or 0):
                        out.append(m.group(g) or "")
                    i += 2
                    continue
                if n == "&":
                    out.append(m.group(0))
                    i += 2
                    continue
                if n == "\\":
                    out.append("\\")
                    i += 2
                    continue
                out.append("\\")
                i += 1
                continue
            out.append(c)
            i += 1
        return "".join(out)
    return f


def regexp_replace(s: str, p: str, r: str, flags: str = "") -> str:
    if flags[:1].isdigit():
        # regexp_replace(s, p, r, '1'): the text form was chosen for a start position
        raise PgError("22023", f'invalid regular expression option: "{flags[0]}"',
                      hint="If you meant to use regexp_replace() with a start parameter, "
                           "cast the fourth argument to integer explicitly.")
    f, glob = _re_flags(flags)
    return regex(p, f).sub(_pg_repl(r), s, count=0 if glob else 1)


def regexp_match(s: str, p: str, flags: str = "") -> Array | None:
    f, glob = _re_flags(flags)
    if glob:
        raise PgError("22023", "regexp_match() does not support the \"global\" option",
                      hint="Use the regexp_matches function instead.")
    m = regex(p, f).search(s)
    if m is None:
        return None
    if m.re.groups:
        return Array(m.groups())
    return Array([m.group(0)])


def textregexsubstr(s: str, p: str) -> str | None:
    m = regex(p).search(s)
    if m is None:
        return None
    if m.re.groups:
        return m.group(1)
    return m.group(0)


# ---------------------------------------------------------------------------
# plain string functions

def _upper_char(c: str) -> str:
    u = c.upper()
    return u if len(u) == 1 else c


def _lower_char(c: str) -> str:
    u = c.lower()
    return u if len(u) == 1 else c


def pg_upper(s: str) -> str:
    u = s.upper()
    if len(u) == len(s):
        return u
    return "".join(map(_upper_char, s))


def pg_lower(s: str) -> str:
    u = s.lower()
    if len(u) == len(s):
        return u
    return "".join(map(_lower_char, s))


def initcap(s: str) -> str:
    out = []
    word = False
    for c in s:
        out.append(_lower_char(c) if word else _upper_char(c))
        word = c.isalnum()
    return "".join(out)


def text_substr(s: str, start: int, length: int | None = None) -> str:
    if length is None:
        return s[max(start - 1, 0):]
    if length < 0:
        raise PgError("22011", "negative substring length not allowed")
    end = start + length
    return s[max(start - 1, 0):max(end - 1, 0)]


def bytea_substr(s: bytes, start: int, length: int | None = None) -> bytes:
    if length is None:
        return s[max(start - 1, 0):]
    if length < 0:
        raise PgError("22011", "negative substring length not allowed")
    end = start + length
    return s[max(start - 1, 0):max(end - 1, 0)]


def textpos(s: str, sub: str) -> int:
    return s.find(sub) + 1


def btrim(s: str, chars: str = " ") -> str:
    return s.strip(chars)


def ltrim(s: str, chars: str = " ") -> str:
    return s.lstrip(chars)


def rtrim(s: str, chars: str = " ") -> str:
    return s.rstrip(chars)


def lpad(s: str, n: int, fill: str = " ") -> str:
    if n <= 0:
        return ""
    if len(s) >= n or not fill:
        return s[:n]
    need = n - len(s)
    return (fill * (need // len(fill) + 1))[:need] + s


def rpad(s: str, n: int, fill: str = " ") -> str:
    if n <= 0:
        return ""
    if len(s) >= n or not fill:
        return s[:n]
    need = n - len(s)
    return s + (fill * (need // len(fill) + 1))[:need]


def text_left(s: str, n: int) -> str:
    return s[:n] if n >= 0 else s[:max(len(s) + n, 0)]


def text_right(s: str, n: int) -> str:
    if n >= 0:
        return s[max(len(s) - n, 0):] if n else ""
    return s[-n:]


def repeat(s: str, n: int) -> str:
    if n <= 0:
        return ""
    if len(s) * n > 1073741823:
        raise PgError("54000", "requested length too large")
    return s * n


def split_part(s: str, sep: str, n: int) -> str:
    if n == 0:
        raise PgError("22023", "field position must not be zero")
    if not sep:
        parts = [s] if s else []
    else:
        parts = s.split(sep) if s else []
    if n > 0:
        return parts[n - 1] if n <= len(parts) else ""
    return parts[n] if -n <= len(parts) else ""


def chr_(n: int) -> str:
    if n < 0:
        raise PgError("22023", "character number must be positive")
    if n == 0:
        raise PgError("54000", "null character not permitted")
    if n > 0x10FFFF:
        raise PgError("54000", f"requested character too large for encoding: {n}")
    if 0xD800 <= n <= 0xDFFF:
        raise PgError("54000", f"requested character not valid for encoding: {n}")
    return chr(n)


def ascii_(s: str) -> int:
    return ord(s[0]) if s else 0


def to_hex32(n: int) -> str:
    return format(n & 0xFFFFFFFF, "x")


def to_hex64(n: int) -> str:
    return format(n & 0xFFFFFFFFFFFFFFFF, "x")


def md5_text(s: str) -> str:
    return hashlib.md5(s.encode()).hexdigest()


def md5_bytea(b: bytes) -> str:
    return hashlib.md5(b).hexdigest()


def translate(s: str, frm: str, to: str) -> str:
    table: dict[int, int | None] = {}
    for i, c in enumerate(frm):
        if ord(c) in table:
            continue
        table[ord(c)] = ord(to[i]) if i < len(to) else None
    return s.translate(table)


def textoverlay(s: str, repl: str, start: int, length: int | None = None) -> str:
    if length is None:
        length = len(repl)
    if start <= 0:
        raise PgError("22011", "negative substring length not allowed")
    return s[:start - 1] + repl + s[start - 1 + length:]


def any_to_text(v: Any) -> str:
    """Best-effort text of a value whose type the caller did not tell us.

    The contract is that callers convert "any" arguments with the argument
    type's output function before calling concat()/format()/...; this fallback
    only keeps a missing conversion from failing.  It is exact for text,
    integers, numeric, bool (output form 't'/'f') and float8."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, int):
        return str(v)
    from decimal import Decimal
    if isinstance(v, Decimal):
        from tuskdb.types.numeric import numeric_out
        return numeric_out(v)
    if isinstance(v, float):
        from tuskdb.types.float import float8_out
        return float8_out(v)
    if isinstance(v, (bytes, bytearray)):
        return "\\x" + bytes(v).hex()
    if isinstance(v, Array):
        return "{" + ",".join("NULL" if x is None else any_to_text(x) for x in v.items) + "}"
    return str(v)


def text_concat(*args: Any) -> str:
    """concat(VARIADIC "any"): arguments arrive already converted to text."""
    return "".join(a if isinstance(a, str) else any_to_text(a) for a in args if a is not None)


def text_concat_ws(sep: str | None, *args: Any) -> str | None:
    if sep is None:
        return None
    return sep.join(a if isinstance(a, str) else any_to_text(a) for a in args
                    if a is not None)


def quote_ident(s: str) -> str:
    if re.fullmatch(r"[a-z_][a-z0-9_$]*", s) and s not in _RESERVED:
        return s
    return '"' + s.replace('"', '""') + '"'


_RESERVED = frozenset("""all analyse analyze and any array as asc asymmetric both case cast
check collate column constraint create current_catalog current_date current_role current_time
current_timestamp current_user default deferrable desc distinct do else end except false fetch
for foreign from grant group having in initially intersect into lateral leading limit localtime
localtimestamp not null offset on only or order placing primary references returning select
session_user some symmetric system_user table then to trailing true union unique user using
variadic when where window with""".split())


def quote_literal(s: str) -> str:
    body = s.replace("'", "''")
    if "\\" in s:
        return "E'" + body.replace("\\", "\\\\") + "'"
    return "'" + body + "'"


def quote_nullable(s: str | None) -> str:
    return "NULL" if s is None else quote_literal(s)


def text_format(fmt: str | None, *args: Any) -> str | None:
    """format() as varlena.c text_format: %[argpos$][-][width|*[argpos$]](s|I|L)."""
    if fmt is None:
        return None
    args = tuple(a if a is None or isinstance(a, str) else any_to_text(a) for a in args)
    out: list[str] = []
    n = len(fmt)
    unterminated = PgError("22023", "unterminated format() type specifier",
                           hint='For a single "%" use "%%".')
    arg0 = PgError("22023", "format specifies argument 0, but arguments are numbered from 1")
    too_few = PgError("22023", "too few arguments for format()")
    pos = [0]

    def advance() -> None:
        pos[0] += 1
        if pos[0] >= n:
            raise unterminated

    def digits() -> int | None:
        val = None
        while fmt[pos[0]].isdigit() and fmt[pos[0]] in "0123456789":
            val = (val or 0) * 10 + ord(fmt[pos[0]]) - 48
            if val > 2147483647:
                raise PgError("22003", "number is out of range")
            advance()
        return val

    arg = 1
    while pos[0] < n:
        c = fmt[pos[0]]
        if c != "%":
            out.append(c)
            pos[0] += 1
            continue
        advance()
        if fmt[pos[0]] == "%":
            out.append("%")
            pos[0] += 1
            continue
        argpos, widthpos, minus, width = -1, -1, False, 0
        d = digits()
        if d is not None and fmt[pos[0]] != "$":
            width = d
        else:
            if d is not None:
                argpos = d
                if d == 0:
                    raise arg0
                advance()
            while fmt[pos[0]] == "-":
                minus = True
                advance()
            if fmt[pos[0]] == "*":
                advance()
                d = digits()
                if d is not None:
                    if fmt[pos[0]] != "$":
                        raise PgError("22023", 'width argument position must be ended by "$"')
                    widthpos = d
                    if d == 0:
                        raise arg0
                    advance()
                else:
                    widthpos = 0
            else:
                d = digits()
                if d is not None:
                    width = d
        conv = fmt[pos[0]]
        if conv not in "sIL":
            raise PgError("22023", f'unrecognized format() type specifier "{conv}"',
                          hint='For a single "%" use "%%".')
        if widthpos >= 0:
            if widthpos > 0:
                arg = widthpos
            if arg > len(args):
                raise too_few
            wv = args[arg - 1]
            arg += 1
            if wv is None:
                width = 0
            else:
                from tuskdb.types.integer import int4_in
                width = int4_in(wv)
        if argpos > 0:
            arg = argpos
        if arg > len(args):
            raise too_few
        v = args[arg - 1]
        arg += 1
        if v is None:
            if conv == "I":
                raise PgError("22004", "null values cannot be formatted as an SQL identifier")
            sv = "" if conv == "s" else "NULL"
        else:
            sv = v if conv == "s" else quote_ident(v) if conv == "I" else quote_literal(v)
        if width:
            left = minus
            if width < 0:
                if width <= -2147483648:
                    raise PgError("54000", "number is out of range")
                left, width = True, -width
            sv = sv.ljust(width) if left else sv.rjust(width)
        out.append(sv)
        pos[0] += 1
    return "".join(out)


def unistr(s: str) -> str:
    """unistr() as varlena.c: \\XXXX, \\+XXXXXX, \\uXXXX, \\UXXXXXXXX escapes (UTF-16
    surrogate pairs combine) and \\\\."""
    out: list[str] = []
    pair_first = 0
    bad_pair = PgError("42601", "invalid Unicode surrogate pair")
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c != "\\":
            if pair_first:
                raise bad_pair
            out.append(c)
            i += 1
            continue
        if s[i + 1:i + 2] == "\\":
            if pair_first:
                raise bad_pair
            out.append("\\")
            i += 2
            continue
        for prefix, width in (("", 4), ("u", 4), ("+", 6), ("U", 8)):
            h = s[i + 1 + len(prefix):i + 1 + len(prefix) + width]
            if s[i + 1:i + 1 + len(prefix)] == prefix and len(h) == width and all(
                    x in "0123456789abcdefABCDEF" for x in h):
                cp = int(h, 16)
                if cp == 0 or cp > 0x10FFFF:
                    raise PgError("22023", f"invalid Unicode code point: {cp:04X}")
                if pair_first:
                    if not 0xDC00 <= cp <= 0xDFFF:
                        raise bad_pair
                    cp = ((pair_first & 0x3FF) << 10) + (cp & 0x3FF) + 0x10000
                    pair_first = 0
                elif 0xDC00 <= cp <= 0xDFFF:
                    raise bad_pair
                if 0xD800 <= cp <= 0xDBFF:
                    pair_first = cp
                else:
                    out.append(chr(cp))
                i += 1 + len(prefix) + width
                break
        else:
            raise PgError("42601", "invalid Unicode escape",
                          hint="Unicode escapes must be \\XXXX, \\+XXXXXX, \\uXXXX, or "
                               "\\UXXXXXXXX.")
    if pair_first:
        raise bad_pair
    return "".join(out)


_SCANNER_SPACE = " \t\n\r\f\v"


def _ident_start(c: str) -> bool:
    return c == "_" or "a" <= c <= "z" or "A" <= c <= "Z" or ord(c) >= 0x80


def _ident_cont(c: str) -> bool:
    return _ident_start(c) or "0" <= c <= "9" or c == "$"


def parse_ident(text: str, strict: bool = True) -> Array:
    """parse_ident (misc.c): split a qualified identifier; quoted parts keep case."""
    def bad(detail: str | None = None) -> PgError:
        return PgError("22023", f'string is not a valid identifier: "{text}"', detail=detail)
    parts: list[str] = []
    s, n = text, len(text)
    i = 0
    while i < n and s[i] in _SCANNER_SPACE:
        i += 1
    after_dot = False
    while True:
        missing = True
        if i < n and s[i] == '"':
            buf: list[str] = []
            j = i + 1
            while True:
                k = s.find('"', j)
                if k < 0:
                    raise bad("String has unclosed double quotes.")
                buf.append(s[j:k])
                if s[k + 1:k + 2] != '"':
                    break
                buf.append('"')
                j = k + 2
            i = k + 1
            name = "".join(buf)
            if not name:
                raise bad("Quoted identifier must not be empty.")
            parts.append(name)
            missing = False
        elif i < n and _ident_start(s[i]):
            j = i + 1
            while j < n and _ident_cont(s[j]):
                j += 1
            parts.append("".join(c.lower() if "A" <= c <= "Z" else c for c in s[i:j]))
            i = j
            missing = False
        if missing:
            if i < n and s[i] == ".":
                raise bad('No valid identifier before ".".')
            if after_dot:
                raise bad('No valid identifier after ".".')
            raise bad()
        while i < n and s[i] in _SCANNER_SPACE:
            i += 1
        if i < n and s[i] == ".":
            after_dot = True
            i += 1
            while i < n and s[i] in _SCANNER_SPACE:
                i += 1
        elif i >= n:
            break
        else:
            if strict:
                raise bad()
            break
    return Array(parts)


def _norm_form(form: str) -> str:
    f = form.upper()
    if f not in ("NFC", "NFD", "NFKC", "NFKD"):
        raise PgError("22023", f'invalid normalization form: {form}')
    return f


def unicode_normalize(s: str, form: str = "NFC") -> str:
    import unicodedata
    return unicodedata.normalize(_norm_form(form), s)


def unicode_assigned(s: str) -> bool:
    """True when every character of ``s`` is an assigned code point (general
    category other than Cn)."""
    import unicodedata
    return all(unicodedata.category(c) != "Cn" for c in s)


def unicode_is_normalized(s: str, form: str = "NFC") -> bool:
    import unicodedata
    return unicodedata.is_normalized(_norm_form(form), s)


def to_ascii(s: str, enc: Any = None) -> str:
    import unicodedata
    return "".join(c if ord(c) < 128 else (unicodedata.normalize("NFKD", c)[:1]
                                           if ord(unicodedata.normalize("NFKD", c)[:1]) < 128
                                           else " ") for c in s)


IMPLS: dict[str, Callable[..., Any]] = {
    "unistr": unistr, "unicode_normalize_func": unicode_normalize,
    "unicode_version": lambda: "16.0",          # PostgreSQL 18's Unicode tables
    "unicode_assigned": unicode_assigned,
    "unicode_is_normalized": unicode_is_normalized, "to_ascii_default": to_ascii,
    "to_ascii_enc": to_ascii, "to_ascii_encname": to_ascii, "casefold": lambda s: s.lower(),
    "pg_num_nulls": lambda *a: sum(1 for x in a if x is None),
    "pg_num_nonnulls": lambda *a: sum(1 for x in a if x is not None),
    "textlike": textlike, "textnlike": textnlike, "texticlike": texticlike,
    "texticnlike": texticnlike, "namelike": textlike, "namenlike": textnlike,
    "nameiclike": texticlike, "nameicnlike": texticnlike, "bpcharlike": textlike,
    "bytealike": bytealike, "byteanlike": byteanlike, "like_escape": like_escape,
    "textregexeq": textregexeq, "textregexne": textregexne, "texticregexeq": texticregexeq,
    "texticregexne": texticregexne, "nameregexeq": textregexeq, "nameregexne": textregexne,
    "nameicregexeq": texticregexeq, "nameicregexne": texticregexne,
    "textregexreplace_noopt": regexp_replace, "textregexreplace": regexp_replace,
    "regexp_match_no_flags": regexp_match, "regexp_match": regexp_match,
    "textregexsubstr": textregexsubstr,
    "textcat": lambda a, b: a + b, "textlen": len, "bpcharlen": lambda s: len(s.rstrip(" ")),
    "textoctetlen": lambda s: len(s.encode()), "bpcharoctetlen": lambda s: len(s.encode()),
    "lower": pg_lower, "upper": pg_upper, "initcap": initcap,
    "text_substr": text_substr, "text_substr_no_len": text_substr,
    "bytea_substr": bytea_substr, "bytea_substr_no_len": bytea_substr,
    "textpos": textpos, "replace_text": lambda s, a, b: s.replace(a, b) if a else s,
    "btrim": btrim, "btrim1": btrim, "ltrim": ltrim, "ltrim1": ltrim, "rtrim": rtrim,
    "lpad": lpad, "rpad": rpad, "text_left": text_left, "text_right": text_right,
    "repeat": repeat, "text_reverse": lambda s: s[::-1], "split_part": split_part,
    "chr": chr_, "ascii": ascii_, "to_hex32": to_hex32, "to_hex64": to_hex64,
    "parse_ident": parse_ident,
    "md5_text": md5_text, "md5_bytea": md5_bytea, "translate": translate,
    "textoverlay": textoverlay, "textoverlay_no_len": textoverlay,
    "text_concat": text_concat, "text_concat_ws": text_concat_ws,
    "text_starts_with": lambda s, p: s.startswith(p), "quote_ident": quote_ident,
    "quote_literal": quote_literal, "quote_nullable": quote_nullable,
    "text_format": text_format, "text_format_nv": text_format,
}

# SQL-language built-ins (no C symbol): keyed by pg_proc OID.
IMPLS_BY_OID: dict[int, Callable[..., Any]] = {
    879: lambda s, n: lpad(s, n), 880: lambda s, n: rpad(s, n),
    1810: lambda b: len(b) * 8, 1811: lambda s: len(s.encode()) * 8,
    # textanycat / anytextcat: the caller passes the anynonarray side cast to text
    2003: lambda a, b: a + (b if isinstance(b, str) else _cast_text(b)),
    2004: lambda a, b: (a if isinstance(a, str) else _cast_text(a)) + b,
    1285: quote_literal, 1290: quote_nullable,
    2074: lambda s, p, esc: _similar_substring(s, p, esc),
}


def _cast_text(v: Any) -> str:
    """'x' || v casts v to text: bool gives 'true'/'false' there (not 't'/'f')."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return any_to_text(v)


def _similar_substring(s: str, pattern: str, esc: str) -> str | None:
    """substring(text similar pattern escape e): the part between the escaped quotes."""
    from tuskdb.types.similar import similar_substring
    return similar_substring(s, pattern, esc)
