"""DECLARE CURSOR, FETCH, MOVE, CLOSE (PostgreSQL's portalcmds.c).

A cursor is a named portal holding its result rows (materialized when it is
declared) and a position; it lives until CLOSE or the end of its transaction
(WITH HOLD: until CLOSE or the end of the session).
"""

from __future__ import annotations

from typing import Any

from tuskdb.engine.results import QueryResult
from tuskdb.errors import (DUPLICATE_CURSOR, FEATURE_NOT_SUPPORTED, INVALID_CURSOR_NAME,
                           OBJECT_NOT_IN_PREREQUISITE_STATE, PgError)

CURSOR_OPT_BINARY, CURSOR_OPT_SCROLL, CURSOR_OPT_NO_SCROLL, CURSOR_OPT_HOLD = 1, 2, 4, 32
FETCH_ALL = 9223372036854775807


class Cursor:
    def __init__(self, name: str, sql: str, fields: Any, rows: list[tuple], options: int
                 ) -> None:
        self.name = name
        self.sql = sql
        self.fields = fields
        self.rows = rows
        self.pos = 0              # rows[0:pos] have been returned; 0 = before the first
        self.options = options
        self.hold = bool(options & CURSOR_OPT_HOLD)
        self.scroll = not options & CURSOR_OPT_NO_SCROLL
        self.scrollable = bool(options & CURSOR_OPT_SCROLL)   # pg_cursors.is_scrollable
        # WHERE CURRENT OF (currentof.py): the (relid, locked) of each table a row can
        # be identified in, and per row its (tableoid, ctid) in each
        self.ident_refs: list[tuple[int, bool]] = []
        self.simple = False
        self.locked = False
        self.row_ids: list[tuple] = []
        import time
        self.creation_time = time.time()


def declare(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.parser import RawStmt

    body = raw.body
    name = body["portalname"]
    opts = body.get("options", 0)
    if not opts & CURSOR_OPT_HOLD:
        from tuskdb.engine.utility import require_transaction_block
        require_transaction_block(s, "DECLARE CURSOR")
    elif getattr(s, "security_restricted", 0):
        raise PgError("42501", "cannot create a cursor WITH HOLD within security-restricted "
                      "operation")
    if name in s.cursors:
        raise PgError(DUPLICATE_CURSOR, f'cursor "{name}" already exists')
    q = RawStmt(body["query"], raw.location, raw.length, raw.source)
    if q.kind != "SelectStmt":
        raise PgError(FEATURE_NOT_SUPPORTED, "DECLARE CURSOR for a data-modifying statement is "
                      "not supported")
    if body["query"]["SelectStmt"].get("lockingClause"):
        if opts & CURSOR_OPT_SCROLL:
            raise PgError(FEATURE_NOT_SUPPORTED, "DECLARE SCROLL CURSOR ... FOR UPDATE is not "
                          "supported", detail="Scrollable cursors must be READ ONLY.")
        opts |= CURSOR_OPT_NO_SCROLL    # FOR UPDATE cursors scan forward only
    # WHERE CURRENT OF needs each row's identity: plan the query with hidden
    # (tableoid, ctid) targets when the cursor can point into a table
    from tuskdb.sql.commands.currentof import identity_query
    ident = identity_query(s, body["query"]["SelectStmt"])
    # in a SQL function, the query sees the function's arguments ($n and names)
    up = getattr(s, "utility_params", None)
    ptypes, pvalues = (list(up.types), list(up.values)) if up is not None else ([], [])
    named = {"param_names": up.names, "func_name": up.func_name} if up is not None else {}
    cp = None
    if ident is not None:
        try:
            cp = s._plan(RawStmt({"SelectStmt": ident[0]}, raw.location, raw.length,
                                 raw.source), list(ptypes), **named)
        except PgError:
            ident = None
    if cp is None:
        cp = s._plan(q, list(ptypes), **named)
    res = s._run_plan(cp, pvalues)
    fields, rows, row_ids = cp.fields, res.rows, []
    if ident is not None:
        nid = 2 * len(ident[1])
        nvis = len(fields) - nid
        fields = fields[:nvis]
        row_ids = [tuple((r[i], r[i + 1]) for i in range(nvis, nvis + nid, 2)) for r in rows]
        rows = [r[:nvis] for r in rows]
    if opts & CURSOR_OPT_BINARY:
        # FETCH over the simple protocol sends a binary cursor's rows in binary; a
        # Bind's result formats decide instead under the extended protocol
        fields = [f._replace(format=1) for f in fields]
    # pg_cursors shows the whole query string the client sent
    cur = Cursor(name, raw.source or raw.text(), fields, rows, opts)
    if ident is not None:
        cur.ident_refs, cur.simple = ident[1], ident[2]
        cur.locked = bool(ident[1]) and ident[1][0][1]
        cur.row_ids = row_ids
    if not opts & (CURSOR_OPT_SCROLL | CURSOR_OPT_NO_SCROLL):
        # PostgreSQL makes a cursor scrollable when its plan can run backward
        from tuskdb.sql.execute.nodes import supports_backward_scan
        cur.scrollable = supports_backward_scan(cp.plan)
    s.cursors[name] = cur
    return QueryResult(tag="DECLARE CURSOR")


def fetch(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    name = body.get("portalname", "")
    cur = s.cursors.get(name)
    if cur is None:
        raise PgError(INVALID_CURSOR_NAME, f'cursor "{name}" does not exist')
    direction = body.get("direction", "FETCH_FORWARD")
    how_many = body.get("howMany", 1) if "howMany" in body else (
        0 if direction in ("FETCH_ABSOLUTE", "FETCH_RELATIVE") else 1)
    is_move = bool(body.get("ismove"))
    n = len(cur.rows)
    if direction == "FETCH_FORWARD":
        if how_many < 0:
            direction, how_many = "FETCH_BACKWARD", -how_many
    if direction == "FETCH_BACKWARD":
        if how_many < 0:
            direction, how_many = "FETCH_FORWARD", -how_many
        elif not cur.scroll and how_many:
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, "cursor can only scan forward",
                          hint="Declare it with SCROLL option to enable backward scan.")
    out: list[tuple] = []
    if direction == "FETCH_FORWARD":
        count = min(how_many, n - cur.pos) if how_many != FETCH_ALL else n - cur.pos
        count = max(count, 0)
        out = cur.rows[cur.pos:cur.pos + count]
        cur.pos = min(cur.pos + count + (1 if count < how_many and cur.pos + count >= n
                                          else 0), n + 1)
        if how_many == 0:
            out = cur.rows[cur.pos - 1:cur.pos] if 0 < cur.pos <= n else []
    elif direction == "FETCH_BACKWARD":
        start = min(cur.pos, n + 1) - 1
        count = how_many if how_many != FETCH_ALL else start
        count = min(count, max(start, 0))
        out = [cur.rows[i - 1] for i in range(start, start - count, -1)]
        cur.pos = start - count + 1 if count else cur.pos   # on the last row fetched
        if count < how_many or how_many == FETCH_ALL:
            cur.pos = 0
    elif direction in ("FETCH_ABSOLUTE", "FETCH_RELATIVE"):
        target = how_many if direction == "FETCH_ABSOLUTE" else cur.pos + how_many
        if direction == "FETCH_ABSOLUTE" and how_many < 0:
            if not cur.scroll:
                # counting from the end means reading backward from past the last row
                raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, "cursor can only scan "
                              "forward", hint="Declare it with SCROLL option to enable "
                                              "backward scan.")
            target = n + 1 + how_many
        if target != cur.pos + 1 and target <= cur.pos and not cur.scroll:
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, "cursor can only scan forward",
                          hint="Declare it with SCROLL option to enable backward scan.")
        if 1 <= target <= n:
            out = [cur.rows[target - 1]]
            cur.pos = target
        else:
            cur.pos = 0 if target < 1 else n + 1
    if is_move:
        return QueryResult(tag=f"MOVE {len(out)}")
    return QueryResult(cur.fields, out, f"FETCH {len(out)}")


def close(s: Any, raw: Any) -> QueryResult:
    name = raw.body.get("portalname")
    if name is None:
        s.cursors.clear()
    elif name not in s.cursors:
        raise PgError(INVALID_CURSOR_NAME, f'cursor "{name}" does not exist')
    else:
        del s.cursors[name]
    return QueryResult(tag="CLOSE CURSOR")


def describe_fetch(s: Any, raw: Any) -> Any:
    if raw.body.get("ismove"):
        return None
    cur = s.cursors.get(raw.body.get("portalname", ""))
    return cur.fields if cur is not None else None
