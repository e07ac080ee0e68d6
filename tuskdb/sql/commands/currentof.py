"""WHERE CURRENT OF: the row a cursor is positioned on (PostgreSQL's execCurrentOf).

Cursors are materialized when declared (portalcmds), so DECLARE also records each
row's identity: the (tableoid, ctid) of every table the cursor could point into.
It asks for them by planning the cursor's query with hidden ``alias.tableoid``,
``alias.ctid`` targets appended, and strips them from the rows the client sees.

- A cursor with FOR UPDATE/SHARE identifies the row of each locked table (the
  rowmark path: any join shape).
- Otherwise only a simple scan of one table is updatable: one table in FROM, no
  grouping, aggregates, DISTINCT, set operations, window functions or ORDER BY
  (PostgreSQL's Sort sits between the cursor and the scan).

UPDATE/DELETE ... WHERE CURRENT OF c compares each target row's tableoid and ctid
with the newest version of the cursor's current row (the update chain is followed,
as PostgreSQL's TID scan does), so a second UPDATE WHERE CURRENT OF reaches the row
the first one wrote, and a deleted row matches nothing.
"""

from __future__ import annotations

import copy
from typing import Any

from tuskdb.errors import INVALID_CURSOR_NAME, PgError

INVALID_CURSOR_STATE = "24000"


def _range_vars(node: dict, out: list) -> bool:
    """Collect the RangeVars of a FROM item; False if it holds anything else."""
    kind, body = next(iter(node.items()))
    if kind == "RangeVar":
        out.append(body)
        return True
    if kind == "JoinExpr":
        ok = _range_vars(body["larg"], out)
        return _range_vars(body["rarg"], out) and ok
    return False


def _has_key(node: Any, key: str) -> bool:
    if isinstance(node, dict):
        return key in node or any(_has_key(v, key) for v in node.values())
    if isinstance(node, list):
        return any(_has_key(v, key) for v in node)
    return False


def identity_query(s: Any, q: dict) -> tuple[dict, list[tuple[int, bool]], bool] | None:
    """The SelectStmt with the hidden identity targets, the (relid, locked) of each
    hidden pair, and whether the cursor is a simple scan; None if the cursor can't
    identify rows."""
    if q.get("op", "SETOP_NONE") != "SETOP_NONE" or q.get("valuesLists"):
        return None
    from_items = q.get("fromClause") or []
    rvs: list = []
    only_tables = all(_range_vars(f, rvs) for f in from_items)
    locking = q.get("lockingClause") or []
    simple = (len(from_items) == 1 and len(rvs) == 1 and only_tables
              and not q.get("groupClause") and not q.get("havingClause")
              and not q.get("distinctClause") and not q.get("windowClause")
              and not q.get("sortClause") and not q.get("groupDistinct")
              and not _has_key(q.get("targetList"), "over"))
    if not rvs:
        return None
    names = [(rv.get("alias") or {}).get("aliasname") or rv["relname"] for rv in rvs]
    locked: set[str] = set()
    for lc in locking:
        lc = lc["LockingClause"]
        if lc.get("lockedRels"):
            locked.update(r["RangeVar"]["relname"] for r in lc["lockedRels"])
        else:
            locked.update(names)
    if not locking and not simple:
        return None
    from tuskdb.sql.analyze.select import lookup_relation
    from tuskdb.sql.analyze.state import AnalyzeState
    state = AnalyzeState(s.catalog(), s, [], None, "")
    refs = []
    q2 = copy.deepcopy(q)
    for rv, name in zip(rvs, names):
        if locking and name not in locked:
            continue
        if rv.get("schemaname") is None and _is_cte(q, rv["relname"]):
            return None
        try:
            rel = lookup_relation(rv, state, report_position=False)
        except PgError:
            return None
        if rel.relkind not in ("r", "p"):
            return None
        refs.append((rel.oid, bool(locking)))
        for col in ("tableoid", "ctid"):
            q2.setdefault("targetList", []).append({"ResTarget": {"val": {"ColumnRef": {
                "fields": [{"String": {"sval": name}}, {"String": {"sval": col}}],
                "location": -1}}, "location": -1}})
    if not refs:
        return None
    return q2, refs, simple and not locking


def _is_cte(q: dict, name: str) -> bool:
    for cte in ((q.get("withClause") or {}).get("ctes") or []):
        if cte["CommonTableExpr"]["ctename"] == name:
            return True
    return False


def current_of_tid(ctx: Any, name: str, relid: int, relname: str) -> tuple[int, int] | None:
    """(tableoid, ctid) of the newest version of the row cursor ``name`` is on, for
    a modification of table ``relid``; None if that row is gone."""
    cache = ctx.subplan_cache
    key = ("current_of", name, relid)
    if key in cache:
        return cache[key]
    s = ctx.session
    cur = s.cursors.get(name)
    if cur is None:
        raise PgError(INVALID_CURSOR_NAME, f'cursor "{name}" does not exist')
    if getattr(cur, "persisted", False):
        raise PgError(INVALID_CURSOR_STATE,
                      f'cursor "{name}" is held from a previous transaction')
    refs = getattr(cur, "ident_refs", [])
    if getattr(cur, "locked", False):
        idxs = [i for i, (r, _) in enumerate(refs) if r == relid]
        if not idxs:
            raise PgError(INVALID_CURSOR_STATE, f'cursor "{name}" does not have a FOR '
                          f'UPDATE/SHARE reference to table "{relname}"')
        if len(idxs) > 1:
            raise PgError(INVALID_CURSOR_STATE, f'cursor "{name}" has multiple FOR '
                          f'UPDATE/SHARE references to table "{relname}"')
    else:
        idxs = [i for i, (r, _) in enumerate(refs) if r == relid] \
            if getattr(cur, "simple", False) else []
        if len(idxs) != 1:
            raise PgError(INVALID_CURSOR_STATE, f'cursor "{name}" is not a simply updatable '
                          f'scan of table "{relname}"')
    if not 1 <= cur.pos <= len(cur.rows):
        raise PgError(INVALID_CURSOR_STATE, f'cursor "{name}" is not positioned on a row')
    toid, tid = cur.row_ids[cur.pos - 1][idxs[0]]
    out = None
    if toid is not None and tid is not None:
        from tuskdb.access.tid import make_tid
        rel = s.catalog().relation_by_oid(toid)
        got = ctx.heap(rel).fetch_latest(ctx.txn, make_tid(*tid)) if rel is not None else None
        if got is not None:
            out = (toid, got[0])
    cache[key] = out
    return out
