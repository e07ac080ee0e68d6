"""Generated columns: GENERATED ALWAYS AS (expr) STORED | VIRTUAL.

A generated column has pg_attribute.attgenerated 's' (stored) or 'v'
(virtual) and its generation expression in pg_attrdef.adbin, like a DEFAULT.
Stored values are computed by ModifyTable on INSERT and UPDATE (after the
other columns are known); virtual values are stored as NULL and computed
whenever a row is read (see sql/execute/tupdesc.py).

    cook_generation_expr(rel, col, raw, state)   PostgreSQL's cookDefault for
        a generation expression: analyze it against the table, reject
        references to generated and system columns, whole-row references,
        subqueries, aggregates, window and set-returning functions and
        mutable functions, and coerce it to the column's type.
"""

from __future__ import annotations

import json
from typing import Any

from tuskdb.errors import INVALID_COLUMN_REFERENCE, INVALID_OBJECT_DEFINITION, PgError
from tuskdb.sql.analyze.coerce import can_coerce, coerce_to, type_name
from tuskdb.sql.analyze.expr import ExprContext, transform
from tuskdb.sql.analyze.state import AnalyzeState, RangeEntry, Scope
from tuskdb.sql.expr import Expr, Var, walk

GENERATION_KIND = "column generation expressions"
SYSTEM_COLUMNS = ("ctid", "xmin", "cmin", "xmax", "cmax")


def _raw_column_refs(raw: Any) -> list[tuple[list[str], int | None]]:
    out: list[tuple[list[str], int | None]] = []

    def visit(n: Any) -> None:
        if isinstance(n, dict):
            if "ColumnRef" in n:
                body = n["ColumnRef"]
                names = [f["String"]["sval"] for f in body["fields"] if "String" in f]
                out.append((names, body.get("location")))
                return
            if "SubLink" in n:
                return          # reported as "cannot use subquery" by the analyzer
            for v in n.values():
                visit(v)
        elif isinstance(n, list):
            for v in n:
                visit(v)
    visit(raw)
    return out


def cook_generation_expr(rel: Any, col: Any, raw: dict, state: AnalyzeState,
                         in_alter: bool = False) -> Expr:
    """The analyzed generation expression of column ``col`` (a Column of ``rel``);
    ``in_alter``: ALTER TABLE, whose user-function error carries no position."""
    if col.generated == "v" and col.type_oid >= 16384:
        t = state.catalog.find("pg_type", oid=col.type_oid)
        from tuskdb.catalog.rows import COLUMN_POS
        if t and t[0][1][COLUMN_POS["pg_type"]["typtype"]] == "d":
            raise PgError("0A000", f'virtual generated column "{col.name}" cannot have a domain '
                          f"type")
        raise PgError("0A000", f'virtual generated column "{col.name}" cannot have a '
                      f"user-defined type",
                      detail="Virtual generated columns that make use of user-defined types are "
                             "not yet supported.")
    names = {c.name for c in rel.columns if not c.dropped}
    for refs, loc in _raw_column_refs(raw):
        if len(refs) == 1 and refs[0] not in names:
            if refs[0] in SYSTEM_COLUMNS:
                raise PgError(INVALID_COLUMN_REFERENCE, f'cannot use system column "{refs[0]}" '
                              f"in column generation expression", position=state.pos(loc))
            if refs[0] == rel.name:
                raise PgError(INVALID_OBJECT_DEFINITION, "cannot use whole-row variable in "
                              "column generation expression", position=state.pos(loc),
                              detail="This would cause the generated column to depend on its "
                                     "own value.")
    rt = state.next_rt()
    scope = Scope()
    entry = RangeEntry(rt, rel.name, [c.name for c in rel.columns],
                       [(c.type_oid, c.typmod) for c in rel.columns], rel=rel, has_ctid=True)
    entry.hidden = {c.name for c in rel.columns if c.dropped}
    scope.add(entry)
    ec = ExprContext(state, scope, GENERATION_KIND, None)
    saved = state.has_mutable, state.lift
    state.has_mutable = False
    state.lift = None
    try:
        e = transform(raw, ec)
        mutable = state.has_mutable
    finally:
        state.has_mutable, state.lift = saved
    for x in walk(e):
        if col.generated == "v" and getattr(x, "user_func", False):
            raise PgError("0A000", "generation expression uses user-defined function",
                          position=x.location if x.location >= 0 and not in_alter else None,
                          detail="Virtual generated columns that make use of user-defined "
                                 "functions are not yet supported.")
        if isinstance(x, Var) and x.rt == rt and x.attno < len(rel.columns):
            ref = rel.columns[x.attno]
            if ref.generated:
                raise PgError(INVALID_OBJECT_DEFINITION, f'cannot use generated column '
                              f'"{ref.name}" in column generation expression',
                              position=x.location,
                              detail="A generated column cannot reference another generated "
                                     "column.")
    if mutable:
        raise PgError(INVALID_OBJECT_DEFINITION, "generation expression is not immutable")
    if e.type_oid != 705 and e.type_oid != col.type_oid and \
            not can_coerce(e.type_oid, col.type_oid, "a"):
        raise PgError("42804", f'column "{col.name}" is of type {type_name(col.type_oid)} but '
                      f"default expression is of type {type_name(e.type_oid)}",
                      hint="You will need to rewrite or cast the expression.")
    return coerce_to(e, col.type_oid, col.typmod, "a", ctx=state.session.type_context)


def generation_exprs(rel: Any, rt: int, state: AnalyzeState,
                     kinds: str = "sv") -> list[tuple[int, Expr]]:
    """(column index, expression over range-table entry ``rt``) for each generated
    column of ``rel`` whose attgenerated is in ``kinds``, in column order."""
    import json

    out = []
    if not any(c.generated for c in rel.columns):
        return out
    scope = Scope()
    entry = RangeEntry(rt, rel.name, [c.name for c in rel.columns],
                       [(c.type_oid, c.typmod) for c in rel.columns], rel=rel, has_ctid=True)
    entry.hidden = {c.name for c in rel.columns if c.dropped}
    scope.add(entry)
    ec = ExprContext(state, scope, GENERATION_KIND, None)
    saved = state.lift
    state.lift = None
    try:
        for i, c in enumerate(rel.columns):
            if c.generated and c.generated in kinds and not c.dropped and c.default:
                e = transform(json.loads(c.default), ec)
                out.append((i, coerce_to(e, c.type_oid, c.typmod, "a",
                                         ctx=state.session.type_context)))
    finally:
        state.lift = saved
    return out


# -- inheritance (called from inherit.merge_attributes) -------------------------------------


def inherit_generated(spec: Any, parent_col: Any) -> None:
    """A column inherited from a parent takes its generation expression."""
    if parent_col.generated:
        spec.generated = parent_col.generated
        spec.gen_expr = json.loads(parent_col.default)
        spec.default = None


def merge_parent_generated(existing: Any, parent_col: Any) -> None:
    """The same column inherited from another parent (PostgreSQL's MergeAttributes)."""
    if bool(existing.generated) != bool(parent_col.generated):
        raise PgError("42804", f'inherited column "{existing.name}" has a generation conflict')
    if parent_col.generated and json.loads(parent_col.default) != existing.gen_expr:
        existing.gen_conflict = True


def merge_local_generated(inherited: Any, local: Any) -> None:
    """A column declared in CREATE TABLE that is also inherited."""
    if local.generated:
        if not inherited.generated:
            raise PgError("42611", f'child column "{local.name}" specifies generation '
                          f"expression",
                          hint="A child table column cannot be generated unless its parent "
                               "column is.")
        if local.generated != inherited.generated:
            kinds = {"s": "STORED", "v": "VIRTUAL"}
            raise PgError("42611", f'column "{local.name}" inherits from generated column of '
                          f"different kind",
                          detail=f"Parent column is {kinds[inherited.generated]}, child column "
                                 f"is {kinds[local.generated]}.")
        inherited.gen_expr = local.gen_expr
        inherited.gen_loc = local.gen_loc
        inherited.gen_conflict = False
    elif inherited.generated:
        if local.default is not None:
            raise PgError("42611", f'column "{local.name}" inherits from generated column but '
                          f"specifies default")
        if local.identity:
            raise PgError("42611", f'column "{local.name}" inherits from generated column but '
                          f"specifies identity")


def check_generation_conflicts(specs: list[Any]) -> None:
    for c in specs:
        if getattr(c, "gen_conflict", False):
            raise PgError("42611", f'column "{c.name}" inherits conflicting generation '
                          f"expressions",
                          hint="To resolve the conflict, specify a generation expression "
                               "explicitly.")
