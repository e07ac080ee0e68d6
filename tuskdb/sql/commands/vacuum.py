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
            rel = lookup_relation(vr["relation"], state, False)
            cols = [c["String"]["sval"] for c in vr.get("va_cols") or []]
            for c in cols:
                if rel.column(c) is None:
                    raise PgError("42703", f'column "{c}" of relation "{rel.name}" does not '
                                  f"exist")
            out.append((rel, cols))
        return out
    p = COLUMN_POS["pg_class"]
    oids = [row[p["oid"]] for row in cat.rows("pg_class") if row[p["relkind"]] == "r"]
    return [(cat.relation_by_oid(o), []) for o in oids]


def _permitted(s: Any, cat: Any, rels: list, listed: bool, is_vacuum: bool) -> list:
    """Relations the user may maintain; the others are skipped (with a warning when
    they were named), as vacuum_is_permitted_for_relation does."""
    from tuskdb.catalog import aclchk
    uid = aclchk.role_oid(cat, s.user, missing_ok=True) or 0
    if aclchk.superuser_arg(cat, uid):
        return rels
    out = []
    for rel, cols in rels:
        if aclchk.has_maintain(cat, rel, uid):
            out.append((rel, cols))
        elif listed:
            s.add_notice(notice(f'permission denied to {"vacuum" if is_vacuum else "analyze"} '
                                f'"{rel.name}", skipping it', severity="WARNING",
                                sqlstate="42501"))
    return out


def vacuum(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    is_vacuum = bool(body.get("is_vacuumcmd"))
    do_analyze = not is_vacuum
    truncate: bool | None = None        # VACUUM (TRUNCATE [bool]): else the reloption
    for o in body.get("options") or []:
        d = o["DefElem"]
        name = d["defname"]
        if name == "analyze":
            do_analyze = True
        elif name == "truncate":
            truncate = _option_bool(d)
        elif name in ("verbose", "freeze", "full", "skip_locked", "disable_page_skipping",
                      "index_cleanup", "process_toast", "process_main",
                      "parallel", "skip_database_stats", "only_database_stats",
                      "buffer_usage_limit"):
            continue
        else:
            raise PgError("42601", f'unrecognized {"VACUUM" if is_vacuum else "ANALYZE"} option '
                          f'"{name}"')
    if is_vacuum and not do_analyze and any(
            r["VacuumRelation"].get("va_cols") for r in body.get("rels") or []):
        raise PgError(FEATURE_NOT_SUPPORTED, "ANALYZE option must be specified when a "
                      "column list is provided")
    stmttype = "VACUUM" if is_vacuum else "ANALYZE"
    if getattr(s, "in_vacuum", False):
        # an index expression or a function reached while analyzing ran VACUUM/ANALYZE
        raise PgError("25001", f"{stmttype} cannot be executed from VACUUM or ANALYZE")
    s.in_vacuum = True
    try:
        return _vacuum_relations(s, raw, is_vacuum, do_analyze, truncate)
    finally:
        s.in_vacuum = False


def _vacuum_relations(s: Any, raw: Any, is_vacuum: bool, do_analyze: bool,
                      truncate: bool | None = None) -> QueryResult:
    body = raw.body
    db = s.db
    own_txn = s.txn is None
    txn = db.txns.begin() if own_txn else s.txn
    try:
        cat = db.catalog_view(s.dboid, txn)
        rels = _targets(s, raw, cat)
        rels = _permitted(s, cat, rels, bool(body.get("rels")), is_vacuum)
        if own_txn:
            txn.commit()
    except BaseException:
        if own_txn:
            txn.abort()
        raise
    for rel, cols in rels:
        if rel is None or rel.relkind != "r":
            continue
        heap = db.catalogs.heap(0 if rel.shared else s.dboid, rel.relfilenode)
        if is_vacuum:
            lock_owner = ("vacuum", s.pid)
            db.txns.locks.acquire(lock_owner, ("relation", s.dboid, rel.oid), 4)
            try:
                indexes = [db.catalogs.index(s.dboid, ix.relfilenode) for ix in rel.indexes]
                heap.vacuum(db.txns.oldest_xmin(), indexes)
                # the empty pages at the end go back, if nobody else has the table
                # open (a conditional AccessExclusiveLock, as lazy_truncate_heap takes)
                if _truncate_enabled(s, rel, truncate) and db.txns.locks.acquire(
                        lock_owner, ("relation", s.dboid, rel.oid), 8, nowait=True):
                    heap.truncate_empty_tail()
            finally:
                db.txns.locks.release_all(lock_owner)
            db.stats_note(rel, "vacuum", 1)
        if do_analyze:
            _analyze(s, rel, heap, cols)
            db.stats_note(rel, "analyze", 1)
        elif is_vacuum:
            _update_reltuples(s, rel, heap)
    return QueryResult(tag="VACUUM" if is_vacuum else "ANALYZE")


vacuum.no_transaction_block = (
    lambda raw: "VACUUM" if raw.body.get("is_vacuumcmd") else None)


def _option_bool(d: dict) -> bool:
    """A boolean VACUUM option's value (no value: true)."""
    from tuskdb.sql.commands.tableopts import _parse_bool, defelem_value
    text = defelem_value(d)
    if text is None:
        return True
    value = _parse_bool(text)
    if value is None:
        raise PgError("42601", f"{d['defname']} requires a Boolean value")
    return value


def _truncate_enabled(s: Any, rel: Any, option: bool | None) -> bool:
    """VACUUM's TRUNCATE option, else the table's vacuum_truncate storage parameter,
    else the vacuum_truncate setting."""
    from tuskdb.sql.commands.tableopts import _parse_bool
    if option is not None:
        return option
    p = COLUMN_POS["pg_class"]
    for _, row in s.catalog().find("pg_class", oid=rel.oid):
        for opt in row[p["reloptions"]] or ():
            name, _, value = opt.partition("=")
            if name == "vacuum_truncate":
                return bool(_parse_bool(value))
    return (s.current_setting("vacuum_truncate") or "on") == "on"


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


def _analyze(s: Any, rel: Any, heap: Any, cols: list[str]) -> None:
    """ANALYZE: row count and page count in pg_class, per-column statistics in
    pg_statistic (null fraction, average width, number of distinct values)."""
    from tuskdb.catalog.rows import make_row
    from tuskdb.sql.commands.analyzestats import compute_slots, float4
    from tuskdb.storage.codec import encode_value

    db = s.db
    own_txn = s.txn is None
    txn = db.txns.begin() if own_txn else s.txn
    try:
        snap = txn.snapshot()
        rows = [values for _, values in heap.scan(snap)]
        cat = db.catalog_view(s.dboid, txn)
        n = len(rows)
        for col in rel.live_columns:
            if cols and col.name not in cols:
                continue
            i = col.attnum - 1
            vals = [r[i] for r in rows if r[i] is not None]
            nulls = n - len(vals)
            null_frac = nulls / n if n else 0.0
            width = (sum(len(encode_value(v)) for v in vals) // len(vals)) if vals else 0
            try:
                nd = len(set(vals))
            except TypeError:
                nd = len(vals)
            if n == 0 or not vals:
                distinct = 0.0
            elif nd == len(vals) and nulls == 0 or nd == len(vals):
                distinct = -1.0 if nulls == 0 else -(1.0 - null_frac)
            elif nd > 0.1 * n:
                distinct = -(nd / n)
            else:
                distinct = float(nd)
            slot_cols: dict[str, Any] = {}
            for k in range(1, 6):
                slot_cols.update({f"stakind{k}": 0, f"staop{k}": 0, f"stacoll{k}": 0})
            for k, (kind, op, coll, numbers, values) in enumerate(
                    compute_slots(vals, n, col.type_oid), 1):
                slot_cols.update({f"stakind{k}": kind, f"staop{k}": op, f"stacoll{k}": coll,
                                  f"stanumbers{k}": numbers, f"stavalues{k}": values})
            cat.delete_where("pg_statistic", starelid=rel.oid, staattnum=col.attnum)
            cat.insert("pg_statistic", make_row(
                "pg_statistic", starelid=rel.oid, staattnum=col.attnum, stainherit=False,
                stanullfrac=float4(null_frac), stawidth=int(width),
                stadistinct=float4(distinct), **slot_cols))
        p = COLUMN_POS["pg_class"]
        st = heap.stats()
        # an inheritance parent whose children are all gone loses relhassubclass here (DROP
        # TABLE of the last child leaves it set), as PostgreSQL's ANALYZE does
        no_children = rel.relkind == "r" and not any(
            True for _ in cat.find("pg_inherits", inhparent=rel.oid))
        for tid, row in cat.find("pg_class", oid=rel.oid):
            new = replace("pg_class", row, reltuples=float(n), relpages=int(st.get("pages", 0)))
            if no_children and row[p["relhassubclass"]]:
                new = replace("pg_class", new, relhassubclass=False)
            cat.m.catalog_heap(s.dboid, "pg_class").update(txn, tid, new)
        del p
        if own_txn:
            txn.commit()
    except BaseException:
        if own_txn:
            txn.abort()
        raise
