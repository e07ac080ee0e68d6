"""json and jsonb.

json values are the input text, kept verbatim (validated on input).  jsonb
values are ``Jsonb(tree)`` where the tree is built from dict (keys in
PostgreSQL's storage order: shorter first, then bytewise; duplicates: last
wins), list, str, Decimal (numeric semantics), bool and None (JSON null).

The parser is a port of PostgreSQL's jsonapi.c lexer/parser so that errors
carry the same DETAIL and CONTEXT lines.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Callable, Iterator

from tuskdb.errors import PgError
from tuskdb.types.arrays import Array
from tuskdb.types.numeric import numeric_cmp, numeric_in, numeric_out


class Jsonb:
    """A jsonb value; ``tree`` is the decoded document (see module docstring)."""

    __slots__ = ("tree",)

    tree: Any

    def __init__(self, tree: Any) -> None:
        object.__setattr__(self, "tree", tree)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Jsonb is immutable")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Jsonb) and compare(self.tree, other.tree) == 0

    def __lt__(self, other: Jsonb) -> bool:
        return compare(self.tree, other.tree) < 0

    def __le__(self, other: Jsonb) -> bool:
        return compare(self.tree, other.tree) <= 0

    def __gt__(self, other: Jsonb) -> bool:
        return compare(self.tree, other.tree) > 0

    def __ge__(self, other: Jsonb) -> bool:
        return compare(self.tree, other.tree) >= 0

    def __hash__(self) -> int:
        return hash(jsonb_text(self.tree))

    def __repr__(self) -> str:
        return f"Jsonb({jsonb_text(self.tree)})"


def key_order(k: str) -> tuple[int, bytes]:
    b = k.encode()
    return (len(b), b)


# ---------------------------------------------------------------------------
# lexer / parser (jsonapi.c)

_WS = " \t\n\r"
_DELIM = set(" \t\n\r,:{}[]\"/")


class _Lex:
    def __init__(self, text: str, keep_nul: bool, validate_only: bool = False) -> None:
        self.validate_only = validate_only
        self.s = text
        self.pos = 0
        self.tok_start = 0
        self.tok_end = 0
        self.keep_nul = keep_nul
        self.line = 1
        self.line_start = 0

    def error(self, detail: str, sqlstate: str = "22P02",
              message: str = "invalid input syntax for type json") -> PgError:
        s = self.s
        ls = self.line_start
        end = self.tok_end
        start = ls
        # PostgreSQL keeps less than 50 *bytes* of context before the error
        width = len(s[start:end].encode())
        while width >= 50:
            width -= len(s[start].encode())
            start += 1
        if start - ls <= 3:  # close to the line start: show the whole line
            start = ls
        prefix = "..." if start > ls else ""
        suffix = "..." if end < len(s) and s[end:end + 1] not in ("\n", "\r") else ""
        ctx = f"JSON data, line {self.line}: {prefix}{s[start:end]}{suffix}"
        return PgError(sqlstate, message, detail=detail, context=ctx)

    def skip_ws(self) -> None:
        s = self.s
        while self.pos < len(s) and s[self.pos] in _WS:
            if s[self.pos] == "\n":
                self.line += 1
                self.line_start = self.pos + 1
            self.pos += 1

    def next(self) -> tuple[str, Any]:
        """(kind, value): kinds '{', '}', '[', ']', ',', ':', 'str', 'num', 'lit', 'end'."""
        self.skip_ws()
        s = self.s
        i = self.pos
        self.tok_start = i
        if i >= len(s):
            self.tok_end = i
            return ("end", None)
        c = s[i]
        if c in "{}[],:":
            self.pos = self.tok_end = i + 1
            return (c, c)
        if c == '"':
            return ("str", self._string())
        if c == "-" or c.isdigit():
            return self._number()
        j = i
        while j < len(s) and (s[j].isalnum() or s[j] == "_" or ord(s[j]) > 127):
            j += 1
        if j == i:
            j = i + 1
        word = s[i:j]
        self.pos = self.tok_end = j
        if word in ("true", "false", "null"):
            return ("lit", {"true": True, "false": False, "null": None}[word])
        raise self.error(f'Token "{word}" is invalid.')

    def _hex4(self, i: int) -> int:
        """The four hex digits after the '\\u' at i; the error points at the first bad one."""
        s = self.s
        for k in range(i + 2, i + 6):
            if k >= len(s) or s[k] not in "0123456789abcdefABCDEF":
                self.tok_end = min(k + 1, len(s))
                raise self.error('"\\u" must be followed by four hexadecimal digits.')
        return int(s[i + 2:i + 6], 16)

    def _bad_token(self, j: int) -> PgError:
        s = self.s
        while j < len(s) and _alnum(s[j]):
            j += 1
        self.tok_end = j
        return self.error(f'Token "{s[self.tok_start:j]}" is invalid.')

    def _number(self) -> tuple[str, Any]:
        """json_lex_number: greedy scan; a malformed part or trailing alphanumerics
        make the whole run an invalid token."""
        s = self.s
        n = len(s)
        p = self.pos
        ok = True

        def digits(q: int) -> int:
            while q < n and "0" <= s[q] <= "9":
                q += 1
            return q
        if s[p] == "-":
            p += 1
        if p < n and s[p] == "0":
            p += 1
        elif p < n and "1" <= s[p] <= "9":
            p = digits(p)
        else:
            ok = False
        # like json_lex_number, keep scanning the fraction and exponent after an error
        if p < n and s[p] == ".":
            q = digits(p + 1)
            ok = ok and q > p + 1
            p = q
        if p < n and s[p] in "eE":
            p += 1
            if p < n and s[p] in "+-":
                p += 1
            q = digits(p)
            ok = ok and q > p
            p = q
        if not ok or (p < n and _alnum(s[p])):
            raise self._bad_token(max(p, self.pos + 1))
        self.pos = self.tok_end = p
        return ("num", s[self.tok_start:p])

    def _string(self) -> str:
        s = self.s
        i = self.pos + 1
        out: list[str] = []
        n = len(s)
        while True:
            if i >= n:
                self.tok_end = n
                raise self.error(f'Token "{s[self.tok_start:n]}" is invalid.')
            c = s[i]
            if c == '"':
                i += 1
                break
            if ord(c) < 0x20:
                self.tok_end = i
                raise self.error(f"Character with value 0x{ord(c):02x} must be escaped.")
            if c != "\\":
                out.append(c)
                i += 1
                continue
            if i + 1 >= n:
                self.tok_end = n
                raise self.error(f'Token "{s[self.tok_start:n]}" is invalid.')
            e = s[i + 1]
            if e == "u":
                cp = self._hex4(i)
                i += 6
                if self.validate_only:
                    # json (text) input only validates the escapes, as json_in does
                    out.append(s[i - 6:i])
                    continue
                if 0xD800 <= cp <= 0xDBFF:
                    if s[i:i + 2] == "\\u":
                        lo = self._hex4(i)
                        if 0xDC00 <= lo <= 0xDFFF:
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                            i += 6
                        else:
                            self.tok_end = i + 6
                            raise self.error(
                                "Unicode high surrogate must not follow a high surrogate."
                                if 0xD800 <= lo <= 0xDBFF else
                                "Unicode low surrogate must follow a high surrogate.")
                    else:
                        self.tok_end = min(n, i + (2 if s[i:i + 1] == "\\" else 1))
                        raise self.error("Unicode low surrogate must follow a high surrogate.")
                elif 0xDC00 <= cp <= 0xDFFF:
                    self.tok_end = i
                    raise self.error("Unicode low surrogate must follow a high surrogate.")
                if cp == 0 and not self.keep_nul:
                    self.tok_end = i
                    raise self.error("\\u0000 cannot be converted to text.", "22P05",
                                     "unsupported Unicode escape sequence")
                out.append(chr(cp) if cp else "\\u0000")
                continue
            mapped = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n",
                      "r": "\r", "t": "\t"}.get(e)
            if mapped is None:
                self.tok_end = i + 2
                raise self.error(f'Escape sequence "\\{e}" is invalid.')
            out.append(mapped)
            i += 2
        self.pos = self.tok_end = i
        return "".join(out)


def _alnum(c: str) -> bool:
    """JSON_ALPHANUMERIC_CHAR: letters, digits, '_' and any non-ASCII byte."""
    return c.isalnum() or c == "_" or ord(c) > 127


def _describe(kind: str, lex: _Lex) -> str:
    return lex.s[lex.tok_start:lex.tok_end]


def parse(text: str, keep_nul: bool = False, validate_only: bool = False) -> Any:
    """Parse JSON text into a tree (dicts keep insertion order; see Jsonb for order).
    ``validate_only``: json_in's check (escapes are not decoded)."""
    lex = _Lex(text, keep_nul, validate_only)

    def expected(what: str, kind: str) -> PgError:
        if kind == "end":
            return lex.error("The input string ended unexpectedly.")
        return lex.error(f'Expected {what}, but found "{_describe(kind, lex)}".')

    def value(kind: str, val: Any) -> Any:
        if kind in ("str", "lit"):
            return val
        if kind == "num":
            return numeric_in(val)
        if kind == "[":
            items: list[Any] = []
            k, v = lex.next()
            if k == "]":
                return items
            while True:
                if k not in ("str", "lit", "num", "[", "{"):
                    raise expected("JSON value", k)
                items.append(value(k, v))
                k, v = lex.next()
                if k == "]":
                    return items
                if k != ",":
                    raise expected('"," or "]"', k)
                k, v = lex.next()
        if kind == "{":
            obj: dict[str, Any] = {}
            k, v = lex.next()
            if k == "}":
                return obj
            first = True
            while True:
                if k != "str":
                    raise expected('string or "}"' if first else "string", k)
                first = False
                key = v
                k, v = lex.next()
                if k != ":":
                    raise expected('":"', k)
                k, v = lex.next()
                if k not in ("str", "lit", "num", "[", "{"):
                    raise expected("JSON value", k)
                obj.pop(key, None)
                obj[key] = value(k, v)
                k, v = lex.next()
                if k == "}":
                    return obj
                if k != ",":
                    raise expected('"," or "}"', k)
                k, v = lex.next()
        raise expected("JSON value", kind)

    k, v = lex.next()
    tree = value(k, v)
    k, v = lex.next()
    if k != "end":
        raise expected("end of input", k)
    return tree


def to_jsonb_tree(tree: Any) -> Any:
    """Normalise a parsed tree to jsonb storage order (sorted keys)."""
    if isinstance(tree, dict):
        return {k: to_jsonb_tree(tree[k]) for k in sorted(tree, key=key_order)}
    if isinstance(tree, list):
        return [to_jsonb_tree(x) for x in tree]
    return tree


# ---------------------------------------------------------------------------
# output

_ESC = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
        "\t": "\\t"}
_NEEDS_ESC = re.compile(r'["\\\x00-\x1f]')


def escape_json(s: str) -> str:
    if not _NEEDS_ESC.search(s):
        return '"' + s + '"'
    return '"' + _NEEDS_ESC.sub(lambda m: _ESC.get(m.group(0), "\\u%04x" % ord(m.group(0))),
                                s) + '"'


def jsonb_text(tree: Any) -> str:
    if tree is None:
        return "null"
    if tree is True:
        return "true"
    if tree is False:
        return "false"
    if isinstance(tree, str):
        return escape_json(tree)
    if isinstance(tree, Decimal):
        return numeric_out(tree)
    if isinstance(tree, list):
        return "[" + ", ".join(jsonb_text(x) for x in tree) + "]"
    if isinstance(tree, dict):
        return "{" + ", ".join(escape_json(k) + ": " + jsonb_text(v)
                               for k, v in tree.items()) + "}"
    return escape_json(str(tree))


def jsonb_pretty(j: Jsonb) -> str:
    def go(t: Any, level: int) -> str:
        ind = "    " * (level + 1)
        if isinstance(t, list):
            if not t:
                return "[\n" + "    " * level + "]"
            return "[\n" + ",\n".join(ind + go(x, level + 1) for x in t) + "\n" + \
                "    " * level + "]"
        if isinstance(t, dict):
            if not t:
                return "{\n" + "    " * level + "}"
            return "{\n" + ",\n".join(ind + escape_json(k) + ": " + go(v, level + 1)
                                      for k, v in t.items()) + "\n" + "    " * level + "}"
        return jsonb_text(t)
    return go(j.tree, 0)


def json_in(text: str, typmod: int = -1, ctx: Any = None) -> str:
    parse(text, keep_nul=True, validate_only=True)
    return text


def jsonb_in(text: str, typmod: int = -1, ctx: Any = None) -> Jsonb:
    return Jsonb(to_jsonb_tree(parse(text)))


def jsonb_out(v: Jsonb, ctx: Any = None) -> str:
    return jsonb_text(v.tree)


def jsonb_send(v: Jsonb, ctx: Any = None) -> bytes:
    return b"\x01" + jsonb_text(v.tree).encode()


def jsonb_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> Jsonb:
    if not data or data[0] != 1:
        raise PgError("22P03", f"unsupported jsonb version number {data[0] if data else 0}")
    return jsonb_in(data[1:].decode())


# ---------------------------------------------------------------------------
# comparison (compareJsonbContainers): object > array > boolean > number > string > null

def _rank(t: Any) -> int:
    if t is None:
        return 0
    if isinstance(t, str):
        return 1
    if isinstance(t, bool):
        return 3
    if isinstance(t, Decimal):
        return 2
    if isinstance(t, list):
        return 4
    return 5


def compare(a: Any, b: Any) -> int:
    ra, rb = _rank(a), _rank(b)
    if ra != rb:
        return (ra > rb) - (ra < rb)
    if ra == 0:
        return 0
    if ra == 1:
        ab, bb = a.encode(), b.encode()
        return (ab > bb) - (ab < bb)
    if ra == 2:
        return numeric_cmp(a, b)
    if ra == 3:
        return (a > b) - (a < b)
    if ra == 4:
        if len(a) != len(b):
            return (len(a) > len(b)) - (len(a) < len(b))
        for x, y in zip(a, b):
            c = compare(x, y)
            if c:
                return c
        return 0
    if len(a) != len(b):
        return (len(a) > len(b)) - (len(a) < len(b))
    for (ka, va), (kb, vb) in zip(a.items(), b.items()):
        c = compare(ka, kb)
        if c:
            return c
        c = compare(va, vb)
        if c:
            return c
    return 0


# ---------------------------------------------------------------------------
# access operators

def _get(t: Any, key: Any) -> Any:
    """Field or element lookup; returns a sentinel when absent."""
    if isinstance(key, str):
        if isinstance(t, dict) and key in t:
            return t[key]
        return _MISSING
    if isinstance(t, list):
        idx = key if key >= 0 else len(t) + key
        if 0 <= idx < len(t):
            return t[idx]
    return _MISSING


_MISSING = object()


def _as_text(t: Any) -> str | None:
    if t is None:
        return None
    if isinstance(t, str):
        return t
    return jsonb_text(t)


def _path_keys(t: Any, path: Array) -> Any:
    for p in path.items:
        if p is None:
            return _MISSING
        if isinstance(t, list):
            try:
                key: Any = int(p)
            except ValueError:
                return _MISSING
        else:
            key = p
        t = _get(t, key)
        if t is _MISSING:
            return t
    return t


def jb_field(j: Jsonb, key: Any) -> Jsonb | None:
    r = _get(j.tree, key)
    return None if r is _MISSING else Jsonb(r)


def jb_field_text(j: Jsonb, key: Any) -> str | None:
    r = _get(j.tree, key)
    return None if r is _MISSING else _as_text(r)


def jb_path(j: Jsonb, path: Array) -> Jsonb | None:
    r = _path_keys(j.tree, path)
    return None if r is _MISSING else Jsonb(r)


def jb_path_text(j: Jsonb, path: Array) -> str | None:
    r = _path_keys(j.tree, path)
    return None if r is _MISSING else _as_text(r)


def _contains(a: Any, b: Any, top: bool = True) -> bool:
    if isinstance(a, dict):
        if not isinstance(b, dict):
            return False
        return all(k in a and _contains(a[k], v, False) for k, v in b.items())
    if isinstance(a, list):
        if isinstance(b, list):
            return all(any(_contains(x, y, False) for x in a) for y in b)
        if top:
            return any(compare(x, b) == 0 for x in a if not isinstance(x, (list, dict)))
        return False
    if isinstance(b, (list, dict)):
        return False
    return compare(a, b) == 0


def jb_exists(j: Jsonb, key: str) -> bool:
    t = j.tree
    if isinstance(t, dict):
        return key in t
    if isinstance(t, list):
        return any(isinstance(x, str) and x == key for x in t)
    return isinstance(t, str) and t == key


def jb_concat(a: Jsonb, b: Jsonb) -> Jsonb:
    x, y = a.tree, b.tree
    if isinstance(x, dict) and isinstance(y, dict):
        merged = dict(x)
        merged.update(y)
        return Jsonb(to_jsonb_tree(merged))
    xl = x if isinstance(x, list) else [x]
    yl = y if isinstance(y, list) else [y]
    return Jsonb(xl + yl)


def jb_delete(j: Jsonb, key: str) -> Jsonb:
    t = j.tree
    if isinstance(t, dict):
        return Jsonb({k: v for k, v in t.items() if k != key})
    if isinstance(t, list):
        return Jsonb([x for x in t if not (isinstance(x, str) and x == key)])
    raise PgError("22023", "cannot delete from scalar")


def jb_delete_idx(j: Jsonb, idx: int) -> Jsonb:
    t = j.tree
    if isinstance(t, dict):
        raise PgError("22023", "cannot delete from object using integer index")
    if not isinstance(t, list):
        raise PgError("22023", "cannot delete from scalar")
    i = idx if idx >= 0 else len(t) + idx
    return Jsonb([x for n, x in enumerate(t) if n != i])


def jb_delete_array(j: Jsonb, keys: Array) -> Jsonb:
    for k in keys.items:
        if k is not None:
            j = jb_delete(j, k)
    return j


def _copy(t: Any) -> Any:
    if isinstance(t, dict):
        return {k: _copy(v) for k, v in t.items()}
    if isinstance(t, list):
        return [_copy(x) for x in t]
    return t


def jb_delete_path(j: Jsonb, path: Array) -> Jsonb:
    if not isinstance(j.tree, (dict, list)):
        raise PgError("22023", "cannot delete path in scalar")
    tree = _copy(j.tree)
    keys = list(path.items)
    if not keys:
        return Jsonb(tree)
    t = tree
    for i, p in enumerate(keys):     # setPath: a NULL element reached on the way is an error
        if p is None:
            raise PgError("22004", f"path element at position {i + 1} is null")
        if isinstance(t, dict) and p in t:
            t = t[p]
        elif isinstance(t, list) and p.lstrip("-").isdigit() and -len(t) <= int(p) < len(t):
            t = t[int(p)]
        else:
            break
    parent = _path_keys(tree, Array(keys[:-1]))
    last = keys[-1]
    if isinstance(parent, dict):
        parent.pop(last, None)
    elif isinstance(parent, list):
        try:
            i = int(last)
        except (TypeError, ValueError):
            raise PgError("22P02", f'path element at position {len(keys)} is not an integer: '
                          f'"{last}"') from None
        i = i if i >= 0 else len(parent) + i
        if 0 <= i < len(parent):
            del parent[i]
    return Jsonb(tree)


def jb_set(j: Jsonb, path: Array, new: Jsonb, create: bool = True,
           insert: bool | None = None, after: bool = False) -> Jsonb:
    tree = _copy(j.tree)
    if not isinstance(tree, (dict, list)):
        raise PgError("22023", "cannot set path in scalar")
    keys = list(path.items)
    if not keys:
        return Jsonb(tree)
    t = tree
    for i, p in enumerate(keys):     # setPath: a NULL element reached on the way is an error
        if p is None:
            raise PgError("22004", f"path element at position {i + 1} is null")
        if isinstance(t, dict) and p in t:
            t = t[p]
        elif isinstance(t, list) and p.lstrip("-").isdigit() and -len(t) <= int(p) < len(t):
            t = t[int(p)]
        else:
            break
    parent = _path_keys(tree, Array(keys[:-1]))
    last = keys[-1]
    if isinstance(parent, dict):
        if insert and last in parent:
            raise PgError("22023", "cannot replace existing key",
                          hint="Try using the function jsonb_set to replace key value.")
        if last in parent or create:
            parent[last] = new.tree
            parent_sorted = to_jsonb_tree(parent)
            parent.clear()
            parent.update(parent_sorted)
    elif isinstance(parent, list):
        try:
            i = int(last)
        except (TypeError, ValueError):
            raise PgError("22P02", f'path element at position {len(keys)} is not an integer: '
                          f'"{last}"') from None
        n = len(parent)
        pos = i if i >= 0 else n + i
        if insert:
            pos = max(0, min(n, pos + (1 if after else 0)))
            parent.insert(pos, new.tree)
        elif 0 <= pos < n:
            parent[pos] = new.tree
        elif create:
            if pos < 0:
                parent.insert(0, new.tree)
            else:
                parent.append(new.tree)
    return Jsonb(tree)


def jb_typeof(j: Jsonb) -> str:
    t = j.tree
    return {0: "null", 1: "string", 2: "number", 3: "boolean", 4: "array",
            5: "object"}[_rank(t)]


def jb_array_length(j: Jsonb) -> int:
    if isinstance(j.tree, list):
        return len(j.tree)
    if isinstance(j.tree, dict):
        raise PgError("22023", "cannot get array length of a non-array")
    raise PgError("22023", "cannot get array length of a scalar")


def jb_strip_nulls(j: Jsonb, strip_in_arrays: bool = False) -> Jsonb:
    def go(t: Any) -> Any:
        if isinstance(t, dict):
            return {k: go(v) for k, v in t.items() if v is not None}
        if isinstance(t, list):
            return [go(x) for x in t if not (strip_in_arrays and x is None)]
        return t
    return Jsonb(go(j.tree))


def jb_object_keys(j: Jsonb) -> Iterator[str]:
    if not isinstance(j.tree, dict):
        kind = "an array" if isinstance(j.tree, list) else "a scalar"
        raise PgError("22023", f"cannot call jsonb_object_keys on {kind}")
    return iter(list(j.tree))


def jb_array_elements(j: Jsonb) -> Iterator[Jsonb]:
    if not isinstance(j.tree, list):
        what = "a non-array" if isinstance(j.tree, dict) else "a scalar"
        raise PgError("22023", f"cannot extract elements from {what}")
    return iter([Jsonb(x) for x in j.tree])


def jb_array_elements_text(j: Jsonb) -> Iterator[str | None]:
    return iter([_as_text(x.tree) for x in jb_array_elements(j)])


def _scalar_cast(target: str, conv: Callable[[Any], Any]) -> Callable[[Jsonb], Any]:
    def f(j: Jsonb) -> Any:
        t = j.tree
        want = Decimal if target != "boolean" else bool
        if t is None:
            return None
        if not isinstance(t, want) or (want is Decimal and isinstance(t, bool)):
            kind = jb_typeof(j)
            raise PgError("22023", f"cannot cast jsonb {kind} to type {target}")
        return conv(t)
    return f


# ---------------------------------------------------------------------------
# json (text) operators: the result is the member's own text, as in the input

def _json_tree(s: str) -> Any:
    return parse(s, keep_nul=True, validate_only=True)


def _json_member_span(s: str, key: Any) -> tuple[int, int] | None:
    parse(s, keep_nul=True, validate_only=True)  # PostgreSQL's errors for bad input
    lex = _Lex(s, True, True)
    k, _ = lex.next()
    if k == "{" and isinstance(key, str):
        found: tuple[int, int] | None = None
        k, v = lex.next()
        while k == "str":
            lex.next()  # ':'
            span = _skip_member(lex)
            if v == key:
                found = span  # the last duplicate wins, as in PostgreSQL
            k, v = lex.next()
            if k == ",":
                k, v = lex.next()
        return found
    if k == "[" and isinstance(key, int):
        spans = []
        lex2 = lex
        save = lex2.pos
        k2, _ = lex2.next()
        if k2 == "]":
            return None
        lex2.pos = save
        while True:
            spans.append(_skip_member(lex2))
            k2, _ = lex2.next()
            if k2 != ",":
                break
        idx = key if key >= 0 else len(spans) + key
        return spans[idx] if 0 <= idx < len(spans) else None
    return None


def _skip_member(lex: _Lex) -> tuple[int, int]:
    k, v = lex.next()
    start = lex.tok_start
    if k in ("[", "{"):
        depth = 1
        while depth:
            k2, _ = lex.next()
            if k2 in ("[", "{"):
                depth += 1
            elif k2 in ("]", "}"):
                depth -= 1
            elif k2 == "end":
                break
    return start, lex.tok_end


def json_field(s: str, key: Any) -> str | None:
    # the whole document is lexed with its strings de-escaped (bad surrogates are errors,
    # reported with the document as context), as PostgreSQL's semantic parse does
    parse(s, keep_nul=True)
    span = _json_member_span(s, key)
    return None if span is None else s[span[0]:span[1]]


def json_field_text(s: str, key: Any) -> str | None:
    parse(s, keep_nul=True)
    span = _json_member_span(s, key)
    if span is None:
        return None
    piece = s[span[0]:span[1]]
    try:
        t = parse(piece)
    except PgError:
        parse(s)        # the error with the document as context
        raise
    if isinstance(t, (dict, list)):
        return piece
    return _as_text(t)


# ---------------------------------------------------------------------------
# building jsonb from SQL values (best effort: typed by the Python value)

def value_to_tree(v: Any) -> Any:
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, Jsonb):
        return v.tree
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, Decimal):
        return v
    if isinstance(v, float):
        from tuskdb.types.float import float8_out
        s = float8_out(v)
        return Decimal(s) if s not in ("NaN", "Infinity", "-Infinity") else s
    if isinstance(v, Array):
        return [value_to_tree(x) for x in v.items]
    if isinstance(v, (bytes, bytearray)):
        return "\\x" + bytes(v).hex()
    return str(v)


def to_jsonb(v: Any) -> Jsonb:
    return Jsonb(to_jsonb_tree(value_to_tree(v)))


def jsonb_build_object(*args: Any) -> Jsonb:
    if len(args) % 2:
        raise PgError("22023", "argument list must have even number of elements",
                      hint="The arguments of jsonb_build_object() must consist of "
                           "alternating keys and values.")
    obj: dict[str, Any] = {}
    for i in range(0, len(args), 2):
        k = args[i]
        if k is None:
            raise PgError("22004", f"argument {i + 1}: key must not be null")
        k = k if isinstance(k, str) else jsonb_text(value_to_tree(k))
        obj.pop(k, None)
        obj[k] = value_to_tree(args[i + 1])
    return Jsonb(to_jsonb_tree(obj))


def jsonb_build_array(*args: Any) -> Jsonb:
    return Jsonb([to_jsonb_tree(value_to_tree(a)) for a in args])


def json_build_object(*args: Any) -> str:
    if len(args) % 2:
        raise PgError("22023", "argument list must have even number of elements",
                      hint="The arguments of json_build_object() must consist of "
                           "alternating keys and values.")
    parts = []
    for i in range(0, len(args), 2):
        k = args[i]
        if k is None:
            raise PgError("22004", f"argument {i + 1}: key must not be null")
        k = k if isinstance(k, str) else jsonb_text(value_to_tree(k))
        parts.append(escape_json(k) + " : " + jsonb_text(value_to_tree(args[i + 1])))
    return "{" + ", ".join(parts) + "}"


def json_build_array(*args: Any) -> str:
    return "[" + ", ".join(jsonb_text(value_to_tree(a)) for a in args) + "]"


def _cmp_impls() -> dict[str, Callable[..., Any]]:
    import operator
    return {f"jsonb_{n}": fn for n, fn in (("eq", operator.eq), ("ne", operator.ne),
                                           ("lt", operator.lt), ("le", operator.le),
                                           ("gt", operator.gt), ("ge", operator.ge))}


IMPLS: dict[str, Callable[..., Any]] = {
    **_cmp_impls(),
    "jsonb_cmp": lambda a, b: compare(a.tree, b.tree),
    "jsonb_object_field": jb_field, "jsonb_array_element": jb_field,
    "jsonb_object_field_text": jb_field_text, "jsonb_array_element_text": jb_field_text,
    "jsonb_extract_path": jb_path, "jsonb_extract_path_text": jb_path_text,
    "jsonb_contains": lambda a, b: _contains(a.tree, b.tree),
    "jsonb_contained": lambda a, b: _contains(b.tree, a.tree),
    "jsonb_exists": jb_exists,
    "jsonb_exists_any": lambda j, ks: any(k is not None and jb_exists(j, k) for k in ks.items),
    "jsonb_exists_all": lambda j, ks: all(k is None or jb_exists(j, k) for k in ks.items),
    "jsonb_concat": jb_concat, "jsonb_delete": jb_delete, "jsonb_delete_idx": jb_delete_idx,
    "jsonb_delete_array": jb_delete_array, "jsonb_delete_path": jb_delete_path,
    "jsonb_set": jb_set,
    "jsonb_insert": lambda j, p, v, after=False: jb_set(j, p, v, True, True, after),
    "jsonb_typeof": jb_typeof, "jsonb_array_length": jb_array_length,
    "jsonb_pretty": jsonb_pretty, "jsonb_strip_nulls": jb_strip_nulls,
    "jsonb_object_keys": jb_object_keys, "jsonb_array_elements": jb_array_elements,
    "jsonb_array_elements_text": jb_array_elements_text,
    "jsonb_numeric": _scalar_cast("numeric", lambda d: d),
    "jsonb_int2": _scalar_cast("smallint", lambda d: _to_int(d, "int2")),
    "jsonb_int4": _scalar_cast("integer", lambda d: _to_int(d, "int4")),
    "jsonb_int8": _scalar_cast("bigint", lambda d: _to_int(d, "int8")),
    "jsonb_float4": _scalar_cast("real", lambda d: _to_float(d, 700)),
    "jsonb_float8": _scalar_cast("double precision", lambda d: _to_float(d, 701)),
    "jsonb_bool": _scalar_cast("boolean", lambda b: b),
    "to_jsonb": to_jsonb, "jsonb_build_object": jsonb_build_object,
    "jsonb_build_object_noargs": lambda: Jsonb({}),
    "jsonb_build_array": jsonb_build_array, "jsonb_build_array_noargs": lambda: Jsonb([]),
    "to_json": lambda v: jsonb_text(value_to_tree(v)) if not isinstance(v, str)
    else escape_json(v),
    "json_build_object": json_build_object, "json_build_object_noargs": lambda: "{}",
    "json_build_array": json_build_array, "json_build_array_noargs": lambda: "[]",
    "json_object_field": json_field, "json_array_element": json_field,
    "json_object_field_text": json_field_text, "json_array_element_text": json_field_text,
    "json_typeof": lambda s: jb_typeof(Jsonb(_json_tree(s))),
    "json_array_length": lambda s: jb_array_length(Jsonb(_json_tree(s))),
    "json_send": lambda s: s.encode(), "jsonb_send": lambda j: jsonb_send(j),
}


def _to_int(d: Decimal, name: str) -> int:
    from tuskdb.types.numeric import numeric_int2, numeric_int4, numeric_int8
    return {"int2": numeric_int2, "int4": numeric_int4, "int8": numeric_int8}[name](d)


def _to_float(d: Decimal, oid: int) -> float:
    from tuskdb.types.numeric import numeric_float4, numeric_float8
    return numeric_float8(d) if oid == 701 else numeric_float4(d)


# casts json <-> jsonb are I/O-based in PostgreSQL (pg_cast method 'i')
CAST_IMPLS: dict[tuple[int, int], Callable[..., Any]] = {
    (114, 3802): lambda s: jsonb_in(s), (3802, 114): lambda j: jsonb_text(j.tree),
}
