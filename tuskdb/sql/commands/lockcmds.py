"""LOCK [TABLE] name [, ...] [IN mode MODE] [NOWAIT] (PostgreSQL's commands/lockcmds.c).

Tables are locked with their inheritance children (unless ONLY); a view is locked
together with the relations its query reads, recursively (each relation once).
"""

from __future__ import annotations

from typing import Any

from tuskdb.engine.results import QueryResult
from tuskdb.errors import PgError

LOCK_NOT_AVAILABLE = "55P03"
NO_ACTIVE_SQL_TRANSACTION = "25P01"
WRONG_OBJECT_TYPE = "42809"

_KIND_WORDS = {"S": "sequences", "i": "indexes", "I": "partitioned indexes",
               "c": "composite types", "t": "TOAST tables", "m": "materialized views"}


def lock_stmt(s: Any, raw: Any) -> QueryResult:
    from tuskdb.engine.utility import require_transaction_block
    from tuskdb.sql.analyze.select import lookup_relation

    body = raw.body
    require_transaction_block(s, "LOCK TABLE")
    mode = body.get("mode", 8)
    nowait = bool(body.get("nowait"))
    state = s._analyze_state(raw, [], None)
    cat = state.catalog
    for item in body.get("relations", []):
        rv = item["RangeVar"]
        rel = lookup_relation(rv, state, report_position=False)
        _lock(s, cat, rel, mode, nowait, bool(rv.get("inh")), set(), s.current_user_oid(cat))
    return QueryResult(tag="LOCK TABLE")


def _lock_aclcheck(cat: Any, rel: Any, mode: int, userid: int) -> None:
    """LOCK needs MAINTAIN, UPDATE, DELETE or TRUNCATE; SELECT suffices for ACCESS
    SHARE and INSERT for ROW EXCLUSIVE (PostgreSQL's LockTableAclCheck)."""
    from tuskdb.catalog import aclchk
    if aclchk.superuser_arg(cat, userid):
        return
    mask = "mwdD" + ("r" if mode == 1 else "a" if mode == 3 else "")
    if not aclchk.pg_class_aclmask(cat, rel, userid, mask):
        raise aclchk.permission_denied(aclchk.relkind_objtype(rel.relkind), rel.name)


def _lock(s: Any, cat: Any, rel: Any, mode: int, nowait: bool, inh: bool, seen: set,
          userid: int, aclcheck: bool = True) -> None:
    """Lock ``rel``; a view's relations with the view owner's rights, a table's
    inheritance children with no check of their own (the right to lock the parent
    covers them, as in LockTableRecurse)."""
    if rel.oid in seen:
        return
    seen.add(rel.oid)
    if rel.relkind not in ("r", "p", "v", "f"):
        what = _KIND_WORDS.get(rel.relkind, "this kind of relation")
        raise PgError(WRONG_OBJECT_TYPE, f'cannot lock relation "{rel.name}"',
                      detail=f"This operation is not supported for {what}.")
    if aclcheck:
        _lock_aclcheck(cat, rel, mode, userid)
    got = s.txn.lock_relation(0 if rel.shared else s.dboid, rel.oid, mode, nowait)
    if got is False:
        raise PgError(LOCK_NOT_AVAILABLE, f'could not obtain lock on relation "{rel.name}"')
    if rel.relkind == "v":
        # a view's relations are locked with its owner's rights (unless security_invoker)
        from tuskdb.sql.analyze.select import view_is_security_invoker
        owner = userid if view_is_security_invoker(rel) else rel.owner
        for oid in _view_relations(cat, rel.oid):
            sub = cat.relation_by_oid(oid)
            if sub is not None and sub.relkind in ("r", "p", "v", "f"):
                _lock(s, cat, sub, mode, nowait, True, seen, owner)
    elif inh:
        from tuskdb.catalog.rows import COLUMN_POS
        p = COLUMN_POS["pg_inherits"]
        for _, row in cat.find("pg_inherits", inhparent=rel.oid):
            child = cat.relation_by_oid(row[p["inhrelid"]])
            if child is not None:
                _lock(s, cat, child, mode, nowait, True, seen, userid, aclcheck=False)


def _view_relations(cat: Any, view_oid: int) -> list[int]:
    """The relations a view's rule depends on (pg_depend, normal dependencies)."""
    from tuskdb.catalog.rows import COLUMN_POS
    from tuskdb.sql.commands.view import CLASS_CLASS, REWRITE_CLASS
    r = COLUMN_POS["pg_rewrite"]
    d = COLUMN_POS["pg_depend"]
    out = []
    for _, rw in cat.find("pg_rewrite", ev_class=view_oid):
        for _, dep in cat.find("pg_depend", objid=rw[r["oid"]]):
            if dep[d["classid"]] == REWRITE_CLASS and dep[d["refclassid"]] == CLASS_CLASS \
                    and dep[d["deptype"]] == "n" and dep[d["refobjid"]] != view_oid:
                out.append(dep[d["refobjid"]])
    return out
