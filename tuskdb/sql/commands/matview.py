"""CREATE MATERIALIZED VIEW and REFRESH MATERIALIZED VIEW (PostgreSQL's
createas.c and matview.c).

A materialized view is a pg_class row of relkind 'm' with storage (a heap,
indexes like a table's) and, like a view, a `_RETURN` rule in pg_rewrite
holding its query (the raw parse tree as JSON, with the search_path it was
created under) and pg_depend rows on the relations the query names, so DROP
... CASCADE reaches it.  pg_class.relispopulated is false after WITH NO DATA:
scanning it is then an error (55000) until a REFRESH fills it.

    create_matview(s, raw)        analyze (WITH NO DATA: no planning, no run),
                                  store relation + rule, fill with the rows
    refresh_matview(s, raw)
      plain:        run the query, then new relfilenodes for heap and indexes
                    (rewrite.py's way; unique indexes re-checked as CREATE INDEX)
      CONCURRENTLY: needs a unique index on plain columns with no WHERE; the new
                    rows are compared with the stored ones (whole-row equality):
                    rows gone are deleted, rows new are inserted, the rest stay
"""

from __future__ import annotations

import json
from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (DUPLICATE_TABLE, FEATURE_NOT_SUPPORTED, SYNTAX_ERROR, PgError,
                           notice)

OBJECT_NOT_IN_PREREQUISITE_STATE = "55000"


def create_matview(s: Any, raw: Any, *, explain: Any = None) -> QueryResult:
    """CREATE MATERIALIZED VIEW [IF NOT EXISTS] name [(cols)] AS query [WITH [NO] DATA].

    ``explain(cp, run)`` (EXPLAIN [ANALYZE] of the statement) is given the plan and a
    function that runs it, and returns the rows that fill the view (None: not run)."""
    from tuskdb.sql.analyze.select import analyze_select
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.commands.tablecmds import (ColumnSpec, _insert_relation, _namespace_for,
                                               _state)
    from tuskdb.sql.commands.view import store_rule
    from tuskdb.sql.parser import RawStmt

    body = raw.body
    into = body["into"]
    state = _state(s, raw)
    cat = state.catalog
    rv = into["rel"]
    nsp = _namespace_for(s, cat, rv, state)
    name = rv["relname"]
    if cat.relation_oid(nsp, name) is not None:
        if body.get("if_not_exists"):
            s.add_notice(notice(f'relation "{name}" already exists, skipping',
                                sqlstate=DUPLICATE_TABLE))
            return QueryResult(tag="CREATE MATERIALIZED VIEW")
        raise PgError(DUPLICATE_TABLE, f'relation "{name}" already exists')
    q_node = body["query"]
    no_data = bool(into.get("skipData"))
    astate = AnalyzeState(cat, s, [], None, raw.source)
    astate.opaque_views = True          # the rule names views, not what they expand to
    astate.allow_unpopulated = True
    q = analyze_select(q_node["SelectStmt"], astate)
    names = [c["String"]["sval"] for c in into.get("colNames") or []]
    if len(names) > len(q.output):
        raise PgError(SYNTAX_ERROR, "too many column names were specified")
    cols = []
    for i, (n, t, m, _) in enumerate(q.output):
        cols.append(ColumnSpec(names[i] if i < len(names) else n, t if t != 705 else 25,
                               m if t != 705 else -1))
    dup = next((c.name for c in cols if sum(1 for x in cols if x.name == c.name) > 1), None)
    if dup is not None:
        from tuskdb.errors import DUPLICATE_COLUMN
        raise PgError(DUPLICATE_COLUMN, f'column "{dup}" specified more than once')
    rows: list[tuple] | None = None
    if explain is not None:
        cp = s._plan(RawStmt(q_node, raw.location, raw.length, raw.source), [])
        rows = explain(cp, None if no_data else lambda: _run(s, cp))
    elif not no_data:
        cp = s._plan(RawStmt(q_node, raw.location, raw.length, raw.source), [])
        rows = _run(s, cp)
    oid = cat.m.next_oid()
    _insert_relation(s, cat, oid, name, nsp, "m", cols)
    cat.command_counter_increment()
    from tuskdb.sql.commands.toasting import create_toast_table
    create_toast_table(s, cat, oid)
    store_rule(cat, oid, q_node, s.settings["search_path"], [c.name for c in cols],
               sorted(astate.direct_relations - {oid}))
    if rows is None:
        cat.command_counter_increment()
        _set_populated(cat, oid, False)
    cat.command_counter_increment()
    if rows:
        cat.m.heap(s.dboid, oid).multi_insert(s.txn, [_fit(r, len(cols)) for r in rows])
    return QueryResult(tag=f"SELECT {len(rows)}" if rows is not None and explain is None
                       else "CREATE MATERIALIZED VIEW")


def _fit(row: tuple, width: int) -> tuple:
    row = tuple(row)
    return row[:width] if len(row) > width else row


def _run(s: Any, cp: Any) -> list[tuple]:
    """Run the view's query as a security-restricted operation (what it calls may not
    leave anything behind the command: WITH HOLD cursors, ...)."""
    s.security_restricted = getattr(s, "security_restricted", 0) + 1
    try:
        return [tuple(r) for r in s._run_plan(cp, [], inner=True).rows]
    finally:
        s.security_restricted -= 1


def _set_populated(cat: Any, oid: int, populated: bool) -> None:
    for tid, row in cat.find("pg_class", oid=oid):
        cat.update("pg_class", tid, replace("pg_class", row, relispopulated=populated))


def check_scannable(rel: Any, state: Any) -> None:
    """A scan of an unpopulated materialized view is an error (ExecCheckRelationsScannable);
    statements that only analyze the query (CREATE VIEW, WITH NO DATA) may name it."""
    if rel.extra.get("unpopulated") and not getattr(state, "allow_unpopulated", False) \
            and not getattr(state, "opaque_views", False):
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE,
                      f'materialized view "{rel.name}" has not been populated',
                      hint="Use the REFRESH MATERIALIZED VIEW command.")


def _query_plan(s: Any, rel: Any) -> Any:
    """Plan the view's stored query under the search_path it was created with."""
    from tuskdb.sql.parser import RawStmt
    action = json.loads(rel.view_query)
    saved = s.settings["search_path"]
    s.settings["search_path"] = action.get("search_path", saved)
    try:
        return s._plan(RawStmt(action["query"], 0, 0, ""), [])
    finally:
        s.settings["search_path"] = saved


def refresh_matview(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.analyze.select import lookup_relation
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.commands.tablecmds import ACCESS_EXCLUSIVE, lock_relation

    body = raw.body
    concurrent = bool(body.get("concurrent"))
    no_data = bool(body.get("skipData"))
    if concurrent and no_data:
        raise PgError(SYNTAX_ERROR, "CONCURRENTLY and WITH NO DATA options cannot be used "
                      "together")
    cat = s.catalog()
    state = AnalyzeState(cat, s, [], None, raw.source)
    rel = lookup_relation(body["relation"], state)
    if rel.relkind != "m":
        raise PgError(FEATURE_NOT_SUPPORTED, f'"{rel.name}" is not a materialized view')
    from tuskdb.catalog import aclchk
    if not aclchk.has_maintain(cat, rel, s.current_user_oid(cat)):
        raise aclchk.permission_denied("materialized view", rel.name)
    lock_relation(s, rel.oid, 7 if concurrent else ACCESS_EXCLUSIVE)    # ExclusiveLock
    if concurrent and rel.extra.get("unpopulated"):
        raise PgError(FEATURE_NOT_SUPPORTED, "CONCURRENTLY cannot be used when the "
                      "materialized view is not populated")
    if concurrent and not any(ix.unique and ix.valid and not ix.exprs and not ix.predicate
                              and all(a > 0 for a in ix.attnums) for ix in rel.indexes):
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'cannot refresh materialized view '
                      f'"{rel.nspname}.{rel.name}" concurrently',
                      hint="Create a unique index with no WHERE clause on one or more columns "
                           "of the materialized view.")
    rows = None if no_data else _run(s, _query_plan(s, rel))
    width = len(rel.columns)
    if rows is not None:
        rows = [_fit(r, width) for r in rows]
    if concurrent:
        _refresh_by_match(s, cat, rel, rows or [])
    else:
        _refresh_by_swap(s, cat, rel, rows)
    return QueryResult(tag="REFRESH MATERIALIZED VIEW")


def _refresh_by_swap(s: Any, cat: Any, rel: Any, rows: list[tuple] | None) -> None:
    """Fill new heap and index files with ``rows`` (None: WITH NO DATA, left empty and
    unpopulated); the old files go at commit."""
    from tuskdb.sql.commands.indexcmds import fill_index
    from tuskdb.sql.commands.tablecmds import _set_relfilenode
    cat.command_counter_increment()
    _set_relfilenode(s, cat, rel, cat.m.next_oid())
    for ix in rel.indexes:
        _set_relfilenode(s, cat, cat.relation_by_oid(ix.oid), cat.m.next_oid())
    cat.command_counter_increment()
    _set_populated(cat, rel.oid, rows is not None)
    cat.command_counter_increment()
    rel = cat.relation_by_oid(rel.oid)
    if rows:
        cat.m.heap(s.dboid, rel.relfilenode).multi_insert(s.txn, rows)
    for ix in rel.indexes:
        fill_index(s, cat, rel, ix.oid, ix.name, list(ix.attnums), list(ix.descending),
                   list(ix.nulls_first), ix.unique, ix.nulls_not_distinct,
                   relfilenode=ix.relfilenode, exprs=ix.exprs, predicate=ix.predicate)


def _refresh_by_match(s: Any, cat: Any, rel: Any, rows: list[tuple]) -> None:
    """REFRESH ... CONCURRENTLY: delete the stored rows the new data lacks, insert the new
    rows the view lacks (PostgreSQL's refresh_by_match_merge, whole-row equality)."""
    from collections import Counter

    from tuskdb.engine.context import ExecContext
    from tuskdb.sql.execute.modify import ModifyTable
    from tuskdb.types.records import _image, record_text

    col_types = [c.type_oid for c in rel.columns]

    def image(r: tuple) -> tuple:
        return tuple(None if v is None else _image(v, t) for v, t in zip(r, col_types))
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    seen: set = set()
    for r in rows:
        if None in r:
            continue
        k = image(r)
        if k in seen:
            raise PgError("21000", f'new data for materialized view "{rel.name}" contains '
                          f"duplicate rows without any null columns",
                          detail=f"Row: {record_text(r, col_types, ctx.types)}")
        seen.add(k)
    wanted = Counter(image(r) for r in rows)
    heap = ctx.heap(rel)
    gone = []
    for tid, values in heap.scan(ctx.snapshot):
        k = image(_fit(values, len(rel.columns)))
        if wanted.get(k):
            wanted[k] -= 1
        else:
            gone.append(tid)
    for tid in gone:
        heap.delete(s.txn, tid)
    mt = ModifyTable("INSERT", rel, None, None, [], None)
    for r in rows:
        k = image(r)
        if wanted.get(k):
            wanted[k] -= 1
            tid = heap.insert(s.txn, r)
            mt._index_insert(r, tid, ctx)
