"""CREATE [OR REPLACE] VIEW (PostgreSQL's view.c).

A view is a pg_class row of relkind 'v' with its columns in pg_attribute and
its query in pg_rewrite.ev_action (the raw parse tree as JSON, plus the
search_path it was created under).  Using a view re-analyzes that query as a
subquery (rewrite.py), with the creator's search_path.
"""

from __future__ import annotations

import json
from typing import Any

from tuskdb.catalog.rows import make_row
from tuskdb.engine.results import QueryResult
from tuskdb.errors import DUPLICATE_TABLE, FEATURE_NOT_SUPPORTED, WRONG_OBJECT_TYPE, PgError
from tuskdb.sql.commands.tablecmds import (ACCESS_EXCLUSIVE, ColumnSpec, _insert_relation,
                                           _namespace_for, _remove_rel_rows, _state,
                                           lock_relation)


def create_view(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.analyze.select import analyze_select
    from tuskdb.sql.analyze.state import AnalyzeState

    body = raw.body
    if body.get("withCheckOption", "NO_CHECK_OPTION") != "NO_CHECK_OPTION":
        raise PgError(FEATURE_NOT_SUPPORTED, "WITH CHECK OPTION is not supported")
    state = _state(s, raw)
    cat = state.catalog
    rv = body["view"]
    nsp = _namespace_for(s, cat, rv, state)
    name = rv["relname"]
    q_node = body["query"]
    q = analyze_select(q_node["SelectStmt"], AnalyzeState(cat, s, [], None, raw.source))
    aliases = [a["String"]["sval"] for a in body.get("aliases") or []]
    if len(aliases) > len(q.output):
        raise PgError("42601", "CREATE VIEW specifies more column names than columns")
    cols = []
    for i, (n, t, m, _) in enumerate(q.output):
        cols.append(ColumnSpec(aliases[i] if i < len(aliases) else n, t if t != 705 else 25, m))
    names = [c.name for c in cols]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup is not None:
        raise PgError("42701", f'column "{dup}" specified more than once')
    old = cat.relation_oid(nsp, name)
    if old is not None:
        rel = cat.relation_by_oid(old)
        if not body.get("replace"):
            raise PgError(DUPLICATE_TABLE, f'relation "{name}" already exists')
        if rel.relkind != "v":
            raise PgError(WRONG_OBJECT_TYPE, f'"{name}" is not a view')
        lock_relation(s, rel.oid, ACCESS_EXCLUSIVE)
        existing = rel.live_columns
        if len(cols) < len(existing):
            raise PgError("42P16", "cannot drop columns from view")
        for c, e in zip(cols, existing):
            if c.name != e.name:
                raise PgError("42P16", f'cannot change name of view column "{e.name}" to '
                              f'"{c.name}"', hint="Use ALTER VIEW ... RENAME COLUMN ... to change "
                              "name of view column instead.")
            if c.type_oid != e.type_oid:
                from tuskdb.sql.analyze.coerce import type_name
                raise PgError("42P16", f'cannot change data type of view column "{e.name}" '
                              f"from {type_name(e.type_oid)} to {type_name(c.type_oid)}")
        _remove_rel_rows(s, cat, rel)
        cat.command_counter_increment()
        oid = rel.oid
    else:
        oid = cat.m.next_oid()
    store_view(s, cat, oid, name, nsp, cols, q_node, s.settings["search_path"])
    return QueryResult(tag="CREATE VIEW")


def store_view(s: Any, cat: Any, oid: int, name: str, nsp: int, cols: list[ColumnSpec],
               query: dict, search_path: str) -> None:
    _insert_relation(s, cat, oid, name, nsp, "v", cols, relam=0, create_storage=False)
    action = json.dumps({"query": query, "search_path": search_path,
                         "columns": [c.name for c in cols]})
    cat.insert("pg_rewrite", make_row("pg_rewrite", oid=cat.m.next_oid(), rulename="_RETURN",
                                      ev_class=oid, ev_type="1", ev_enabled="O",
                                      is_instead=True, ev_qual="<>", ev_action=action))
