"""The plan cache: analyzed and planned statements, reused across executions.

Two keys lead to a cached plan:

* a prepared statement (extended protocol Parse, or SQL PREPARE) keeps its
  plan; Parse of the same text with the same parameter types in the same
  database and search_path reuses a shared entry;
* a simple-protocol statement is keyed by its token stream with every
  literal masked (the literal-insensitive fingerprint).  Its literals were
  lifted into parameters when it was planned, so ``WHERE aid = 48292`` and
  ``WHERE aid = 17`` share one plan: a cache hit needs only the scanner, no
  parse, analysis or planning.

Every entry remembers the catalog generation it was planned under; any
committed DDL bumps the generation and so invalidates every plan.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tuskdb.sql import parser

MAX_ENTRIES = 2000
_LITERAL_TOKENS = frozenset(("ICONST", "FCONST", "SCONST"))

INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1
INT8_MIN, INT8_MAX = -(2**63), 2**63 - 1


@dataclass(eq=False)
class CachedPlan:
    kind: str                       # select modify utility
    plan: Any                       # PlanNode or ModifyTable
    fields: list[Any] | None        # result Fields (format 0)
    param_types: list[int]
    generation: int
    tag: str = ""                   # SELECT / INSERT / UPDATE / DELETE
    # literal lifting: for each slot, (token index, negate, natural type)
    slots: list[tuple[int, bool, int]] = field(default_factory=list)
    structural: dict[int, Any] = field(default_factory=dict)
    fixed_tokens: dict[int, str] = field(default_factory=dict)   # literal tokens kept as text
    relations: list[tuple[int, int]] = field(default_factory=list)   # (oid, lock mode)
    perminfos: list[Any] = field(default_factory=list)   # aclchk.PermInfo, checked per run
    locking: bool = False
    literal_keys: list[tuple[tuple[int, int, int], bool]] = field(default_factory=list)
    explicit_literals: frozenset = frozenset()
    dml_ctes: list[tuple[int, Any]] = field(default_factory=list)   # (cte id, ModifyTable)


class LiteralKey:
    """A statement's token key with literals masked, and the literal tokens."""

    __slots__ = ("key", "literals", "tokens", "ok")

    def __init__(self, sql: str) -> None:
        self.ok = True
        try:
            toks = parser.scan(sql)
        except Exception:       # noqa: BLE001 - a scan error means: take the parse path
            self.ok = False
            self.key = ""
            self.literals = []
            self.tokens = []
            return
        parts = []
        lits = []
        self.tokens = toks
        n = len(toks)
        for i, t in enumerate(toks):
            name = t.name
            text = sql[t.start:t.end + 1]
            if name in _LITERAL_TOKENS:
                parts.append("\x00")
                lits.append((i, name, text))
            else:
                if name == "ASCII_59" and i != n - 1:
                    self.ok = False       # several statements: not this path
                parts.append(text)
        self.key = "\x01".join(parts)
        self.literals = lits


def token_value(name: str, text: str) -> tuple[Any, int] | None:
    """(value, natural type) of a literal token, or None if not a plain literal."""
    if name == "ICONST":
        if not text.isdigit():
            return None
        v = int(text)
        return v, 23 if v <= INT4_MAX else 20
    if name == "FCONST":
        if text.isdigit():
            v = int(text)
            if v <= INT8_MAX:
                return v, 20
            return Decimal(text), 1700
        if any(c not in "0123456789.eE+-" for c in text):
            return None
        return Decimal(text), 1700
    if name == "SCONST":
        if len(text) < 2 or text[0] != "'" or text[-1] != "'":
            return None
        body = text[1:-1]
        if "'" in body.replace("''", ""):
            return None
        return body.replace("''", "'"), 705
    return None


class PlanCache:
    """Shared by all sessions of a Database."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[Any, CachedPlan] = OrderedDict()

    def get(self, key: Any, generation: int) -> CachedPlan | None:
        with self._lock:
            e = self._entries.get(key)
            if e is None:
                return None
            if e.generation != generation:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return e

    def put(self, key: Any, plan: CachedPlan) -> None:
        with self._lock:
            self._entries[key] = plan
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
