"""CLUSTER (PostgreSQL's cluster.c): rewrite a table in the order of one of its indexes.

    CLUSTER table [USING index] | CLUSTER index ON table   one table; remembers the
                                                          index (pg_index.indisclustered)
    CLUSTER table                                          the remembered index
    CLUSTER                                                every table with a remembered
                                                          index that the user may maintain

The live rows are sorted by the index key (the B-tree's own byte order) and the
table is rewritten into a new relfilenode (sql/commands/rewrite.py), so later
sequential scans return them in that order, as in PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.catalog.rows import COLUMN_POS
from tuskdb.engine.results import QueryResult
from tuskdb.errors import FEATURE_NOT_SUPPORTED, UNDEFINED_OBJECT, WRONG_OBJECT_TYPE, PgError


def cluster(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.analyze.select import lookup_relation
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.commands.tablecmds import ACCESS_EXCLUSIVE, lock_relation

    body = raw.body
    s._ensure_txn()
    cat = s.catalog()
    if not body.get("relation"):
        for rel, ix in _remembered(s, cat):
            lock_relation(s, rel.oid, ACCESS_EXCLUSIVE)
            cluster_rel(s, cat, cat.relation_by_oid(rel.oid), ix.name)
            cat.command_counter_increment()
        return QueryResult(tag="CLUSTER")
    state = AnalyzeState(cat, s, [], None, raw.source)
    rel = lookup_relation(body["relation"], state, False)
    from tuskdb.catalog import aclchk
    if not aclchk.has_maintain(cat, rel, s.current_user_oid(cat)):
        raise aclchk.permission_denied(aclchk.relkind_objtype(rel.relkind), rel.name)
    if rel.relkind not in ("r", "m", "p"):
        raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not a table or materialized view')
    if rel.persistence == "t" and rel.namespace != s.temp_namespace():
        raise PgError(FEATURE_NOT_SUPPORTED, "cannot cluster temporary tables of other "
                      "sessions")
    lock_relation(s, rel.oid, ACCESS_EXCLUSIVE)
    name = body.get("indexname")
    if name is None:
        ix = next((ix for ix in rel.indexes if _is_clustered(cat, ix.oid)), None)
        if ix is None:
            raise PgError(UNDEFINED_OBJECT, f'there is no previously clustered index for table '
                          f'"{rel.name}"')
        name = ix.name
    cluster_rel(s, cat, rel, name)
    return QueryResult(tag="CLUSTER")


cluster.no_transaction_block = (
    lambda raw: None if raw.body.get("relation") else "CLUSTER")


def _is_clustered(cat: Any, index_oid: int) -> bool:
    p = COLUMN_POS["pg_index"]
    return any(row[p["indisclustered"]] for _, row in cat.find("pg_index", indexrelid=index_oid))


def _current_user(s: Any) -> str:
    """The effective role: SET ROLE, else SET SESSION AUTHORIZATION, else the login."""
    settings = getattr(s, "settings", {})
    role = settings.get("role")
    if role and role != "none":
        return role
    return settings.get("session_authorization") or s.user


def _remembered(s: Any, cat: Any) -> list[tuple[Any, Any]]:
    """(table, index) for every index marked clustered on a table the user owns (all of
    them for a superuser)."""
    p = COLUMN_POS["pg_index"]
    user = _current_user(s)
    a = COLUMN_POS["pg_authid"]
    found = cat.find("pg_authid", rolname=user)
    superuser = bool(found and found[0][1][a["rolsuper"]])
    me = found[0][1][a["oid"]] if found else None
    out = []
    for _, row in cat.find("pg_index", indisclustered=True):
        rel = cat.relation_by_oid(row[p["indrelid"]])
        if rel is None or rel.relkind != "r" or (not superuser and rel.owner != me):
            continue
        if rel.persistence == "t" and rel.namespace != s.temp_namespace():
            continue
        ix = next((x for x in rel.indexes if x.oid == row[p["indexrelid"]]), None)
        if ix is not None:
            out.append((rel, ix))
    out.sort(key=lambda t: t[0].oid)
    return out


def cluster_rel(s: Any, cat: Any, rel: Any, index_name: str) -> None:
    """Mark ``index_name`` as the table's clustered index and rewrite the table in its
    order."""
    from tuskdb.sql.commands.rewrite import rewrite_table
    from tuskdb.sql.commands.tableopts import _set_index_flag

    ix = next((x for x in rel.indexes if x.name == index_name), None)
    if ix is None:
        raise PgError(UNDEFINED_OBJECT, f'index "{index_name}" for table "{rel.name}" does not '
                      f"exist")
    if not ix.valid:
        raise PgError(FEATURE_NOT_SUPPORTED, f'cannot cluster on invalid index "{ix.name}"')
    _set_index_flag(cat, rel, "indisclustered", ix.oid)
    from tuskdb.engine.context import ExecContext
    from tuskdb.sql.execute.indexkeys import index_key
    ik = index_key(rel, ix, s)
    encode = types.make_key_encoder(ik.types, list(ix.descending), list(ix.nulls_first))
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    rewrite_table(s, cat, rel, order=lambda values: encode(ik.fn(values, ctx)))
