"""The PL/pgSQL tokenizer: a function body as tokens that keep their place.

Only what the PL/pgSQL grammar needs to see is told apart: words (lower-cased
unless quoted), string and dollar-quoted literals, numbers, parameters ($n),
and punctuation (``:=``, ``..``, ``::``, ``;`` ...; a run of operator
characters is one token, as in SQL).  Comments are skipped.  Every token keeps
its start and end offsets in the body and its line number (1-based, counted
from the first character of the body, as PostgreSQL counts), so that an SQL
expression is the body's text between two tokens, character for character.
"""

from __future__ import annotations

from dataclasses import dataclass

from tuskdb.errors import SYNTAX_ERROR, PgError

_OP_CHARS = set("+-*/<>=~!@#%^&|`?")
_SELF = set(",()[];:.")


@dataclass
class Token:
    kind: str          # 'word' | 'qword' | 'string' | 'number' | 'param' | 'op' | 'eof'
    text: str          # lower-cased word, unquoted identifier, or the raw text
    start: int
    end: int
    line: int

    def is_kw(self, *words: str) -> bool:
        return self.kind == "word" and self.text in words

    def is_op(self, *ops: str) -> bool:
        return self.kind == "op" and self.text in ops


def _ident_start(c: str) -> bool:
    return c.isalpha() or c == "_" or ord(c) >= 128


def _ident_char(c: str) -> bool:
    return c.isalnum() or c in "_$" or ord(c) >= 128


def tokenize(src: str) -> list[Token]:
    """All tokens of ``src``, ending with an 'eof' token."""
    out: list[Token] = []
    i, n, line = 0, len(src), 1

    def err(msg: str, pos: int) -> PgError:
        e = PgError(SYNTAX_ERROR, msg)
        e.body_offset = pos  # type: ignore[attr-defined]
        return e

    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
            continue
        if c.isspace():
            i += 1
            continue
        if src.startswith("--", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
            continue
        if src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth += 1
                    j += 2
                elif src.startswith("*/", j):
                    depth -= 1
                    j += 2
                else:
                    j += 1
            if depth:
                raise err("unterminated /* comment", i)
            line += src.count("\n", i, j)
            i = j
            continue
        start, sline = i, line
        if c in "eEbBxXnN" and i + 1 < n and src[i + 1] == "'" or \
                (c in "uU" and src.startswith("&'", i + 1)):
            # E'...', B'...', X'...', N'...', U&'...'
            j = i + (3 if c in "uU" else 2)
            backslash = c in "eE"
            while True:
                if j >= n:
                    raise err("unterminated quoted string", start)
                if backslash and src[j] == "\\":
                    j += 2
                    continue
                if src[j] == "'":
                    if j + 1 < n and src[j + 1] == "'":
                        j += 2
                        continue
                    break
                j += 1
            i = j + 1
            line += src.count("\n", start, i)
            out.append(Token("string", src[start:i], start, i, sline))
            continue
        if _ident_start(c):
            j = i + 1
            while j < n and _ident_char(src[j]):
                j += 1
            out.append(Token("word", src[i:j].lower(), i, j, sline))
            i = j
            continue
        if c == '"':
            j = i + 1
            buf = []
            while True:
                if j >= n:
                    raise err("unterminated quoted identifier", start)
                if src[j] == '"':
                    if j + 1 < n and src[j + 1] == '"':
                        buf.append('"')
                        j += 2
                        continue
                    break
                buf.append(src[j])
                j += 1
            i = j + 1
            line += src.count("\n", start, i)
            out.append(Token("qword", "".join(buf), start, i, sline))
            continue
        if c == "'":
            j = i + 1
            while True:
                if j >= n:
                    raise err("unterminated quoted string", start)
                if src[j] == "'":
                    if j + 1 < n and src[j + 1] == "'":
                        j += 2
                        continue
                    break
                j += 1
            i = j + 1
            line += src.count("\n", start, i)
            out.append(Token("string", src[start:i], start, i, sline))
            continue
        if c == "$":
            j = i + 1
            if j < n and src[j].isdigit():
                while j < n and src[j].isdigit():
                    j += 1
                out.append(Token("param", src[i:j], i, j, sline))
                i = j
                continue
            while j < n and (_ident_char(src[j]) and src[j] != "$"):
                j += 1
            if j < n and src[j] == "$":
                tag = src[i:j + 1]
                k = src.find(tag, j + 1)
                if k < 0:
                    raise err("unterminated dollar-quoted string", start)
                i = k + len(tag)
                line += src.count("\n", start, i)
                out.append(Token("string", src[start:i], start, i, sline))
                continue
            out.append(Token("op", "$", i, i + 1, sline))
            i += 1
            continue
        if c.isdigit() or (c == "." and i + 1 < n and src[i + 1].isdigit()):
            j = i
            while j < n and (src[j].isdigit() or src[j] == "_"):
                j += 1
            if j < n and src[j] == "." and not src.startswith("..", j):
                j += 1
                while j < n and (src[j].isdigit() or src[j] == "_"):
                    j += 1
            if j < n and src[j] in "eE" and j + 1 < n and (
                    src[j + 1].isdigit() or (src[j + 1] in "+-" and j + 2 < n and
                                             src[j + 2].isdigit())):
                j += 2
                while j < n and src[j].isdigit():
                    j += 1
            if j < n and src[j] in "xXoObB" and src[i:j] == "0":
                j += 1
                while j < n and (src[j].isalnum() or src[j] == "_"):
                    j += 1
            out.append(Token("number", src[i:j], i, j, sline))
            i = j
            continue
        two = src[i:i + 2]
        if two in (":=", "..", "::") or (two == "=>" and not (
                i + 2 < n and src[i + 2] in _OP_CHARS and not src.startswith("--", i + 2)
                and not src.startswith("/*", i + 2))):
            out.append(Token("op", two, i, i + 2, sline))
            i += 2
        else:
            if c in _SELF:
                out.append(Token("op", c, i, i + 1, sline))
                i += 1
                continue
            if c in _OP_CHARS:
                j = i
                while j < n and src[j] in _OP_CHARS and not src.startswith("--", j) and \
                        not src.startswith("/*", j):
                    j += 1
                out.append(Token("op", src[i:j], i, j, sline))
                i = j
                continue
            out.append(Token("op", c, i, i + 1, sline))
            i += 1
    out.append(Token("eof", "", n, n, line))
    return out
