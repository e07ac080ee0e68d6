"""Index keys of a table row: plain columns and expressions (PostgreSQL's FormIndexDatum).

An index column is either a table column (pg_index.indkey holds its attnum) or
an expression over the row (indkey holds 0 and pg_index.indexprs the
expression, here a raw expression tree re-analyzed against the table).
`index_key()` compiles both into one function ``key(values, ctx) -> tuple``
with the key columns' types and their names as PostgreSQL prints them in
"Key (...)=(...)" messages; compiled keys are cached on the table's descriptor.
"""

from __future__ import annotations

import json
from typing import Any, Callable


class IndexKey:
    __slots__ = ("fn", "types", "names", "columns", "pred")

    def __init__(self, fn: Callable[[tuple, Any], tuple], key_types: list[int],
                 names: list[str], columns: set[int]) -> None:
        self.fn = fn                    # (row values, ctx) -> key values
        self.types = key_types          # type OID of each key column
        self.names = names              # "a", "lower(b)" as pg_get_indexdef shows them
        self.columns = columns          # 0-based table columns the key depends on
        self.pred: Callable[[tuple, Any], bool] | None = None   # partial index: row in it?

    def covers(self, values: tuple, ctx: Any) -> bool:
        """Is the row in the index (a partial index holds rows its WHERE accepts)?"""
        return self.pred is None or self.pred(values, ctx)


def index_key(rel: Any, ix: Any, session: Any) -> IndexKey:
    """The key of index ``ix`` (an IndexInfo of ``rel``)."""
    cache = rel.extra.setdefault("_index_keys", {})
    key = cache.get(ix.oid)
    if key is None:
        key = build_key(rel, list(ix.attnums), list(ix.exprs), session, ix.predicate)
        cache[ix.oid] = key
    return key


def build_key(rel: Any, attnums: list[int], exprs: list[str], session: Any,
              predicate: str | None = None) -> IndexKey:
    key = _build_key(rel, attnums, exprs, session)
    if predicate:
        from tuskdb.sql.expr import compile_expr
        e = analyze_index_exprs(rel, [predicate], session, kind="index predicates")[0]
        f = compile_expr(e, {(1, i): i for i in range(len(rel.columns) + 1)})
        key.pred = lambda values, ctx: f((*values, None), ctx) is True
    return key


def _build_key(rel: Any, attnums: list[int], exprs: list[str], session: Any) -> IndexKey:
    if not exprs:
        idx = [a - 1 for a in attnums]
        if len(idx) == 1:
            i0 = idx[0]
            fn = lambda values, ctx: (values[i0],)          # noqa: E731
        else:
            fn = lambda values, ctx: tuple([values[i] for i in idx])  # noqa: E731
        return IndexKey(fn, [rel.columns[i].type_oid for i in idx],
                        [rel.columns[i].name for i in idx], set(idx))
    from tuskdb.sql.deparse import Deparser
    from tuskdb.sql.expr import Var, compile_expr, walk

    analyzed = analyze_index_exprs(rel, exprs, session)
    layout = {(1, i): i for i in range(len(rel.columns) + 1)}
    parts: list[tuple[bool, Any]] = []
    key_types, names, columns = [], [], set()
    it = iter(analyzed)
    dp = Deparser(getattr(session, "type_context", None), True)
    for a in attnums:
        if a:
            parts.append((False, a - 1))
            key_types.append(rel.columns[a - 1].type_oid)
            names.append(rel.columns[a - 1].name)
            columns.add(a - 1)
        else:
            e = next(it)
            parts.append((True, compile_expr(e, layout)))
            key_types.append(e.type_oid)
            names.append(dp.expr(e, False))
            columns |= {x.attno for x in walk(e) if isinstance(x, Var) and x.rt == 1}

    def fn(values: tuple, ctx: Any) -> tuple:
        row = (*values, None)
        return tuple([f(row, ctx) if is_expr else values[f] for is_expr, f in parts])
    return IndexKey(fn, key_types, names, columns)


def analyze_index_exprs(rel: Any, exprs: list[str], session: Any,
                        source: str = "", kind: str = "index expressions",
                        alias: str | None = None) -> list[Any]:
    """Analyze index expressions against ``rel`` (range-table entry 1, named ``alias``
    when given)."""
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import AnalyzeState, RangeEntry, Scope

    state = AnalyzeState(session.catalog(), session, [], None, source)
    state.next_rt()
    scope = Scope()
    entry = RangeEntry(1, alias or rel.name, [c.name for c in rel.columns],
                       [(c.type_oid, c.typmod) for c in rel.columns], rel=rel)
    entry.hidden = {c.name for c in rel.columns if c.dropped}
    # an EXPLAIN being analyzed does not see this private range table
    from tuskdb.sql.explain import _collect
    saved = getattr(_collect, "rtable", None)
    _collect.rtable = None
    try:
        scope.add(entry)
    finally:
        _collect.rtable = saved
    ec = ExprContext(state, scope, kind, None)
    return [transform(json.loads(x) if isinstance(x, str) else x, ec) for x in exprs]
