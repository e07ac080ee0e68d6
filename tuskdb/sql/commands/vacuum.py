"""VACUUM and ANALYZE (PostgreSQL's vacuum.c / analyze.c).

VACUUM removes tuple versions that no snapshot can see any more, and their
index entries; ANALYZE records the row count in pg_class.reltuples (the
statistics in pg_statistic come with the cost-based planner).
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import FEATURE_NOT_SUPPORTED, PgError, notice


def _targets(s: Any, raw: Any, cat: Any) -> list[Any]:
    from tuskdb.sql.analyze.select import lookup_relation
    from tuskdb.sql.analyze.state import AnalyzeState

    body = raw.body
    rels = body.get("rels") or []
    state = AnalyzeState(cat, s, [], None, raw.source)
    if rels:
        out = []
        for r in rels:
            vr = r["VacuumRelation"]
            if vr.get("va_cols"):
                raise PgError(FEATURE_NOT_SUPPORTED, "VACUUM/ANALYZE of columns is not "
                              "supported")
            try:
                out.append(lookup_relation(vr["relation"], state))
            except PgError as err:
                if err.sqlstate == "42P01":
                    s.add_notice(notice(f'skipping vacuum of "{vr["relation"]["relname"]}" --- '
                                        f"relation no longer exists", severity="WARNING"))
                    continue
                raise
        return out
    p = COLUMN_POS["pg_class"]
    oids = [row[p["oid"]] for row in cat.rows("pg_class") if row[p["relkind"]] == "r"]
    return [cat.relation_by_oid(o) for o in oids]


def vacuum(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    is_vacuum = body.get("is_vacuumcmd", True)
    do_analyze = not is_vacuum
    for o in body.get("options") or []:
        d = o["DefElem"]
        name = d["defname"]
        if name == "analyze":
            do_analyze = True
        elif name in ("verbose", "freeze", "full", "skip_locked", "disable_page_skipping",
                      "index_cleanup", "truncate", "process_toast", "process_main",
                      "parallel", "skip_database_stats", "only_database_stats",
                      "buffer_usage_limit"):
            continue
        else:
            raise PgError("42601", f'unrecognized {"VACUUM" if is_vacuum else "ANALYZE"} option '
                          f'"{name}"')
    db = s.db
    txn = db.txns.begin()
    try:
        cat = db.catalog_view(s.dboid, txn)
        rels = _targets(s, raw, cat)
        txn.commit()
    except BaseException:
        txn.abort()
        raise
    for rel in rels:
        if rel is None or rel.relkind != "r":
            continue
        heap = db.catalogs.heap(0 if rel.shared else s.dboid, rel.relfilenode)
        if is_vacuum:
            indexes = [db.catalogs.index(s.dboid, ix.relfilenode) for ix in rel.indexes]
            heap.vacuum(db.txns.oldest_xmin(), indexes)
        if do_analyze or is_vacuum:
            _update_reltuples(s, rel, heap)
    return QueryResult(tag="VACUUM" if is_vacuum else "ANALYZE")


vacuum.no_transaction_block = (
    lambda raw: "VACUUM" if raw.body.get("is_vacuumcmd", True) else None)


def _update_reltuples(s: Any, rel: Any, heap: Any) -> None:
    db = s.db
    st = heap.stats()
    txn = db.txns.begin()
    try:
        cat = db.catalog_view(s.dboid, txn)
        for tid, row in cat.find("pg_class", oid=rel.oid):
            p = COLUMN_POS["pg_class"]
            new = replace("pg_class", row, reltuples=float(st.get("n_live_tup", 0)),
                          relpages=int(st.get("pages", 0)))
            if new != row:
                cat.m.catalog_heap(s.dboid, "pg_class").update(txn, tid, new)
            del p
        txn.commit()
    except BaseException:
        txn.abort()
        raise
