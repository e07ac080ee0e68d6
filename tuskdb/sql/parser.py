"""The parser: PostgreSQL's own grammar through pglast (libpg_query).

This is the only module that imports pglast.  It returns raw parse trees as
plain dicts/lists (pglast's JSON form, ~7 µs for a point query against ~55 µs
for pglast's node objects); the analyzer turns them into our own query tree.

Locations in the raw tree are byte offsets into the UTF-8 statement text;
``char_position`` converts them to PostgreSQL's 1-based character positions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pglast import parser as _pg

from tuskdb.errors import SYNTAX_ERROR, PgError

Node = dict[str, Any]


@dataclass(slots=True)
class RawStmt:
    """One statement of a query string: its parse tree and its text span."""

    node: Node          # {"SelectStmt": {...}} etc.
    location: int       # byte offset of the statement in the whole string
    length: int         # byte length (0 = to the end)
    source: str         # the whole query string

    @property
    def kind(self) -> str:
        return next(iter(self.node))

    @property
    def body(self) -> Node:
        return next(iter(self.node.values()))

    def text(self) -> str:
        data = self.source.encode()
        end = self.location + self.length if self.length else len(data)
        return data[self.location:end].decode(errors="replace").strip()


def char_position(source: str, byte_offset: int) -> int:
    """1-based character position of a 0-based byte offset, as PostgreSQL reports it."""
    if byte_offset < 0:
        return 0
    if source.isascii():
        return byte_offset + 1
    return len(source.encode()[:byte_offset].decode(errors="ignore")) + 1


def _unicode_escape_hint(before: str) -> str:
    """The lexer's HINT for a bad escape: U&'...' / U&"..." take \\XXXX and \\+XXXXXX,
    E'...' strings \\uXXXX and \\UXXXXXXXX (``before`` ends inside the literal)."""
    start = max(before.rfind("'"), before.rfind('"'))
    if start >= 2 and before[start - 2:start] in ("U&", "u&"):
        return "Unicode escapes must be \\XXXX or \\+XXXXXX."
    return "Unicode escapes must be \\uXXXX or \\UXXXXXXXX."


_PARAM_JUNK_HINT = re.compile(r"\$[0-9]+[A-Za-z_\x80-\U0010ffff]")


def _param_junk(sql: str) -> tuple[int, str] | None:
    """The lexer's param_junk rule: a parameter immediately followed by identifier
    characters ($1a, $0_1) is one bad token.  Returns its byte offset and text."""
    if "$" not in sql or not _PARAM_JUNK_HINT.search(sql):
        return None
    try:
        tokens = _pg.scan(sql)
    except Exception:           # noqa: BLE001 - the parser reports the real error
        return None
    data = sql.encode()
    for tok, nxt in zip(tokens, tokens[1:]):
        if tok.name != "PARAM" or nxt.start != tok.end + 1:
            continue
        first = data[nxt.start:nxt.start + 1]
        if first.isalpha() or first == b"_" or first >= b"\x80":
            return tok.start, data[tok.start:nxt.end + 1].decode(errors="replace")
    return None


def parse(sql: str) -> list[RawStmt]:
    """Parse a query string into its statements (empty list for an empty query)."""
    junk = _param_junk(sql)
    try:
        tree = json.loads(_pg.parse_sql_json(sql))
        if junk is not None:
            raise PgError(SYNTAX_ERROR, f'trailing junk after parameter at or near '
                          f'"{junk[1]}"', position=char_position(sql, junk[0]))
    except _pg.ParseError as exc:
        message, location = exc.args[0], exc.args[1] if len(exc.args) > 1 else -1
        if junk is not None and (location is None or location < 0 or location > junk[0]):
            # the lexer meets the bad token before the grammar fails after it
            raise PgError(SYNTAX_ERROR, f'trailing junk after parameter at or near '
                          f'"{junk[1]}"', position=char_position(sql, junk[0])) from None
        pos = char_position(sql, location) if location is not None and location >= 0 else None
        if pos is None and message.endswith("at end of input"):
            pos = len(sql) + 1          # the end-of-input token sits after the last character
        hint = detail = None
        if message == "missing argument":
            hint = "Use NONE to denote the missing argument of a unary operator."
        elif message == "invalid Unicode escape" and location is not None and location >= 0:
            hint = _unicode_escape_hint(sql.encode()[:location].decode(errors="ignore"))
        elif message == "invalid publication object list":
            # the grammar's ereport carries this DETAIL; libpg_query keeps only the message
            detail = ("One of TABLE or TABLES IN SCHEMA must be specified before a "
                      "standalone table or schema name.")
        raise PgError(SYNTAX_ERROR, message, position=pos, hint=hint, detail=detail) from None
    out = []
    for raw in tree.get("stmts", ()):
        out.append(RawStmt(raw["stmt"], raw.get("stmt_location", 0), raw.get("stmt_len", 0), sql))
    return out


def fingerprint(sql: str) -> str:
    """Literal-insensitive fingerprint of a statement (pg_query's)."""
    return _pg.fingerprint(sql)


def collect_consts(node: Any, out: list[Node] | None = None) -> list[Node]:
    """A_Const nodes of a raw tree in a fixed traversal order.

    The plan cache lifts literals into parameters: the analyzer numbers each
    A_Const by its index in this list, and a later statement with the same
    fingerprint supplies its own literal values in the same order.  TypeName
    subtrees (typmods like numeric(10,2)) are skipped: those are structure.
    """
    if out is None:
        out = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "A_Const":
                out.append(value)
            elif key == "TypeName" or key == "typeName":
                continue
            else:
                collect_consts(value, out)
    elif isinstance(node, list):
        for item in node:
            collect_consts(item, out)
    return out


def scan(sql: str) -> list:
    """The scanner's tokens (start, end inclusive, name, kind) — for the plan cache key."""
    return _pg.scan(sql)
