"""Table rewrite (PostgreSQL's ATRewriteTable).

Some ALTER TABLE forms change what every row holds: ADD COLUMN with a volatile
default, a stored generated column or an identity, SET EXPRESSION of a stored
generated column, ALTER COLUMN TYPE.  The table then gets a new relfilenode:
every live row, read through the old descriptor and transformed, is inserted
there by the current transaction, the indexes are rebuilt on new relfilenodes,
and the old files go at commit (a rollback keeps them).  Like PostgreSQL's, a
rewrite is not MVCC-safe: transactions with older snapshots see the table empty.

    rewrite_table(s, cat, old_rel, transform)
      read live rows (old_rel: attmissingval applied) -> transform(values, ctx)
      -> NOT NULL and CHECK verified ("... is violated by some row")
      -> new heap and index files, pg_class.relfilenode updated
      -> atthasmissing / attmissingval cleared (every row is complete now)
      -> a new TOAST table if the new columns need one (toasting.py)
      -> rows inserted, indexes filled, FOREIGN KEYs of the table re-checked
"""

from __future__ import annotations

from typing import Any, Callable

from tuskdb.catalog.rows import COLUMN_POS, replace
from tuskdb.errors import CHECK_VIOLATION, NOT_NULL_VIOLATION, PgError


def rewrite_table(s: Any, cat: Any, old_rel: Any,
                  transform: Callable[[tuple, Any], tuple] | None = None,
                  check_fkeys: bool = False,
                  order: Callable[[tuple], Any] | None = None) -> None:
    """Rewrite table ``old_rel`` (its descriptor before this ALTER's change) into a new
    relfilenode, mapping each row with ``transform`` (None: rows as the new
    descriptor reads them) and, for CLUSTER, sorting the rows by ``order``."""
    from tuskdb.engine.context import ExecContext
    from tuskdb.sql.commands.indexcmds import fill_index
    from tuskdb.sql.commands.tablecmds import _set_relfilenode

    cat.command_counter_increment()
    if old_rel.relkind in ("p", "f"):
        return          # a partitioned or foreign table has no storage of its own
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    rows = []
    for _, values in ctx.heap(old_rel).scan(ctx.snapshot):
        rows.append(transform(values, ctx) if transform is not None else values)
    if order is not None:
        rows.sort(key=order)
    rel = cat.relation_by_oid(old_rel.oid)
    width = len(rel.columns)
    rows = [r + (None,) * (width - len(r)) if len(r) < width else r for r in rows]
    verify_rows(s, cat, rel, rows, ctx)
    _set_relfilenode(s, cat, rel, cat.m.next_oid())
    for ix in rel.indexes:
        irel = cat.relation_by_oid(ix.oid)
        _set_relfilenode(s, cat, irel, cat.m.next_oid())
    clear_missing(cat, rel.oid)
    # the new heap gets a new TOAST table, if it still needs one (make_new_heap)
    from tuskdb.sql.commands.toasting import create_toast_table, drop_toast_table
    cat.command_counter_increment()
    if rel.toastrelid:
        drop_toast_table(s, cat, rel.toastrelid, rel.oid)
    create_toast_table(s, cat, rel.oid)
    cat.command_counter_increment()
    rel = cat.relation_by_oid(rel.oid)
    if rows:
        cat.m.heap(s.dboid, rel.relfilenode).multi_insert(s.txn, rows)
    for ix in rel.indexes:
        fill_index(s, cat, rel, ix.oid, ix.name, list(ix.attnums), list(ix.descending),
                   list(ix.nulls_first), ix.unique and not ix.exclusion_ops,
                   ix.nulls_not_distinct, relfilenode=ix.relfilenode, exprs=ix.exprs,
                   predicate=ix.predicate)
        if ix.exclusion_ops:
            # an exclusion constraint's index: the rows are checked against it
            from tuskdb.sql.commands.indexcmds import check_existing_rows
            cat.command_counter_increment()          # the rows written above are seen
            check_existing_rows(s, cat, rel.oid, ix.oid)
    if check_fkeys and rel.fkeys:
        from tuskdb.sql.execute.ri import RIChecker
        ctx = ExecContext(s, s.txn, s.txn.snapshot())
        ri = RIChecker(ctx)
        for r in rows:
            ri.child_row(rel, r)
        ri.finish()


def verify_rows(s: Any, cat: Any, rel: Any, rows: list[tuple], ctx: Any) -> None:
    """NOT NULL and CHECK constraints over rows about to be written by a rewrite."""
    from tuskdb.sql.commands.notnull import find_not_null
    from tuskdb.catalog.rows import COLUMN_POS
    valid = COLUMN_POS["pg_constraint"]["convalidated"]
    # a NOT VALID not-null constraint is not checked by a rewrite either
    notnull = [i for i, c in enumerate(rel.columns) if c.notnull and not c.dropped and
               ((f := find_not_null(cat, rel.oid, c.attnum)) is None or f[1][valid])]
    for r in rows:
        for i in notnull:
            if r[i] is None:
                col = rel.columns[i]
                raise PgError(NOT_NULL_VIOLATION, f'column "{col.name}" of relation '
                              f'"{rel.name}" contains null values', schema_name=rel.nspname,
                              table_name=rel.name, column_name=col.name)
    if not rel.checks or not rows:
        return
    from tuskdb.sql.analyze.dml import rel_checks
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.expr import compile_expr

    state = AnalyzeState(cat, s, [], None, "")
    layout = {(1, i): i for i in range(len(rel.columns) + 2)}
    checks = [(n, compile_expr(e, layout)) for n, e in rel_checks(rel, 1, state)]
    for r in rows:
        row = (*r, None, rel.oid)
        for name, f in checks:
            if f(row, ctx) is False:
                raise PgError(CHECK_VIOLATION, f'check constraint "{name}" of relation '
                              f'"{rel.name}" is violated by some row', schema_name=rel.nspname,
                              table_name=rel.name, constraint_name=name)


def clear_missing(cat: Any, relid: int) -> None:
    """After a rewrite every row has every column: forget attmissingval."""
    p = COLUMN_POS["pg_attribute"]
    for tid, row in cat.find("pg_attribute", attrelid=relid):
        if row[p["atthasmissing"]] or row[p["attmissingval"]] is not None:
            cat.update("pg_attribute", tid, replace("pg_attribute", row, atthasmissing=False,
                                                    attmissingval=None))
