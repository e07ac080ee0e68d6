"""INSERT / UPDATE / DELETE analysis (PostgreSQL's transformInsertStmt & co.)."""

from __future__ import annotations

import json
from typing import Any

from tuskdb.errors import (DATATYPE_MISMATCH, FEATURE_NOT_SUPPORTED, GENERATED_ALWAYS,
                           SYNTAX_ERROR, UNDEFINED_COLUMN, WRONG_OBJECT_TYPE, PgError)
from tuskdb.sql.analyze.coerce import UNKNOWN, can_coerce, coerce_to, require_bool, type_name
from tuskdb.sql.analyze.expr import ExprContext, finalize_unknown, transform
from tuskdb.sql.analyze.query import ModifyQuery, Query, SubqueryItem, ValuesItem
from tuskdb.sql.analyze.select import (analyze_select, figure_colname, lookup_relation,
                                       transform_targets)
from tuskdb.sql.analyze.state import AnalyzeState, RangeEntry, Scope
from tuskdb.sql.expr import Const, Expr, Var


def check_catalog_modification(rel: Any, session: Any) -> None:
    """System catalogs change only through DDL, or by a superuser's DML: anyone else
    gets PostgreSQL's permission error (privileges on user tables are not enforced);
    TOAST tables too (they have no privileges)."""
    if (rel.namespace != 11 and rel.relkind != "t") or getattr(session, "db", None) is None:
        return
    from tuskdb.catalog.rows import COLUMN_POS
    st = getattr(session, "settings", {})
    role = st.get("role")
    user = role if role and role != "none" else (st.get("session_authorization") or
                                                  session.user)
    for _, row in session.catalog().find("pg_authid", rolname=user):
        if row[COLUMN_POS["pg_authid"]["rolsuper"]]:
            return
    raise PgError("42501", f"permission denied for table {rel.name}")


def set_target_column(rtc: dict, rel: Any, assigned: dict, state: AnalyzeState
                      ) -> tuple[Any, int]:
    """The column an UPDATE/MERGE SET item names, and its index (42703 when missing,
    42601 when already assigned)."""
    name = rtc["name"]
    col = rel.column(name)
    if col is None:
        raise PgError(UNDEFINED_COLUMN, f'column "{name}" of relation "{rel.name}" does '
                      f"not exist", position=state.pos(rtc.get("location")))
    idx = rel.columns.index(col)
    if idx in assigned:
        # (PostgreSQL's rewriter finds it: no position)
        raise PgError(SYNTAX_ERROR, f'multiple assignments to same column "{name}"')
    return col, idx


def multi_assign_item(rtc: dict, ec: ExprContext, memo: dict) -> tuple[dict, Expr | None]:
    """One column of SET (a, b, ...) = source (PostgreSQL's transformMultiAssignRef): the
    raw node that stands for this column (a ROW() element, DEFAULT included, or the
    sub-SELECT's target) and, for a sub-SELECT, the analyzed value: a field of the
    subquery's one row, which runs once per updated row (a MULTIEXPR SubLink).
    Any other SET item is returned unchanged."""
    val = rtc["val"]
    if "MultiAssignRef" not in val:
        return val, None
    mar = val["MultiAssignRef"]
    colno, ncolumns = mar["colno"], mar["ncolumns"]
    state = ec.state
    if colno == 1:
        src = mar["source"]
        pos = state.pos(_loc(src))
        link = src.get("SubLink")
        if link is not None and link.get("subLinkType") == "EXPR_SUBLINK":
            from tuskdb.sql.analyze.expr import NO_SUBLINK
            from tuskdb.sql.analyze.select import analyze_subquery
            from tuskdb.sql.expr import SubLink
            if ec.kind in NO_SUBLINK:
                transform(src, ec)      # PostgreSQL's "cannot use subquery in ..." error
            sub, correlated = analyze_subquery(link["subselect"], ec)
            if len(sub.output) != ncolumns:
                raise PgError(SYNTAX_ERROR, "number of columns does not match number of "
                              "values", position=pos)
            raw = ((link["subselect"].get("SelectStmt") or {}).get("targetList")) or []
            nodes = [t["ResTarget"]["val"] for t in raw] if len(raw) == ncolumns else \
                [src] * ncolumns
            memo["multi"] = ("sub", SubLink("MULTIEXPR", sub, type_oid=2249,
                                            correlated=correlated), sub.output, nodes)
        elif "RowExpr" in src:
            args = []
            for a in src["RowExpr"].get("args") or []:
                star = ("ColumnRef" in a and "A_Star" in a["ColumnRef"]["fields"][-1]) or \
                    ("A_Indirection" in a and "A_Star" in
                     (a["A_Indirection"].get("indirection") or [{}])[-1])
                if star:        # ROW(v.*): one element per column of v
                    from tuskdb.sql.analyze.rowtypes import transform_row
                    args += [(a, e) for e in transform_row({"args": [a]}, ec).args]
                else:
                    args.append((a, None))
            if len(args) != ncolumns:
                raise PgError(SYNTAX_ERROR, "number of columns does not match number of "
                              "values", position=pos)
            memo["multi"] = ("row", args)
        else:
            raise PgError(SYNTAX_ERROR, "source for a multiple-column UPDATE item must be a "
                          "sub-SELECT or ROW() expression", position=pos)
    item = memo["multi"]
    if item[0] == "row":
        return item[1][colno - 1]
    _, link, output, nodes = item
    from tuskdb.sql.expr import Func
    i = colno - 1
    otype, otypmod = output[i][1], output[i][2]
    return nodes[i], Func(lambda r, _i=i: None if r is None else r[_i], [link], otype,
                          typmod=otypmod, strict=False, name="multiexpr")


def _target_entry(body: dict, state: AnalyzeState, scope: Scope,
                  mq_view: list | None = None, required: str = "") -> tuple[Any, int]:
    rv = body["relation"]
    rel = lookup_relation(rv, state)
    check_catalog_modification(rel, state.session)
    # the target's privileges (a/w/d; SELECT too once a column of it is read),
    # noted before a view target's expansion adds its own relations
    perm = state.add_perminfo(rel, required)
    from tuskdb.sql.rewrite.rowsecurity import rls_applies
    state.rls_target = rls_applies(state, rel)
    alias = (rv.get("alias") or {}).get("aliasname") or rel.name
    if rel.relkind == "v" and mq_view is not None:
        # an updatable view (rewrite/updatable.py): names are the view's columns
        from tuskdb.sql.rewrite.updatable import build_view_target
        rt = state.next_rt()
        mq_view.append(build_view_target(rel, rt, state))
        entry = RangeEntry(rt, alias, [c.name for c in rel.columns],
                           [(c.type_oid, c.typmod) for c in rel.columns], rel=rel,
                           location=rv.get("location", -1))
        entry.perm = perm
        scope.add(entry)
        return rel, rt
    if rel.relkind == "f":
        from tuskdb.sql.commands.foreign_table import no_handler
        raise no_handler(state.catalog, rel)
    if rel.relkind not in ("r", "p"):
        kind = {"v": "view", "S": "sequence", "i": "index", "m": "materialized view",
                "t": "TOAST relation"}.get(
            rel.relkind, "relation")
        raise PgError(WRONG_OBJECT_TYPE, f'cannot change {kind} "{rel.name}"'
                      if rel.relkind != "v" else f'cannot {_verb(body)} view "{rel.name}"')
    rt = state.next_rt()
    entry = RangeEntry(rt, alias, [c.name for c in rel.columns],
                       [(c.type_oid, c.typmod) for c in rel.columns], rel=rel, has_ctid=True)
    entry.hidden = {c.name for c in rel.columns if c.dropped}
    entry.perm = perm
    scope.add(entry)
    return rel, rt


def _expand_target(body: dict, mq: ModifyQuery, state: AnalyzeState) -> None:
    """UPDATE/DELETE without ONLY also change the target's descendants."""
    if body["relation"].get("inh") and mq.rel.children:
        from tuskdb.sql.analyze.inherit import expand_inheritance
        mq.children = expand_inheritance(mq.rel, state)
    if mq.kind != "DELETE":
        partition_target(mq, state)


def partition_target(mq: ModifyQuery, state: AnalyzeState) -> None:
    """Routing for a partitioned target; the partition constraint of a partition."""
    from tuskdb.sql.analyze.partition import build_partition_check, build_router
    rel = mq.rel
    if rel.relkind == "p":
        mq.router = build_router(state, rel)
    if rel.partbound is not None:
        mq.partcheck = build_partition_check(state, rel)


def _verb(body: dict) -> str:
    return "change"


def assign_coerce(expr: Expr, col: Any, state: AnalyzeState, location: int | None) -> Expr:
    """Coerce an expression to a column's type in assignment context (42804 if impossible)."""
    if expr.type_oid != UNKNOWN and expr.type_oid != col.type_oid and \
            not can_coerce(expr.type_oid, col.type_oid, "a"):
        raise PgError(DATATYPE_MISMATCH, f'column "{col.name}" is of type '
                      f"{type_name(col.type_oid)} but expression is of type "
                      f"{type_name(expr.type_oid)}",
                      hint="You will need to rewrite or cast the expression.", position=location)
    ctx = getattr(state.session, "type_context", None)
    return coerce_to(expr, col.type_oid, col.typmod, "a", ctx=ctx)


def column_default(col: Any, rel: Any, rt: int, state: AnalyzeState) -> Expr:
    """The analyzed DEFAULT of a column (NULL when it has none; a domain column
    without one takes the domain's default, and NULL must pass the domain's
    constraints; a generated column's is computed later: NULL here)."""
    if col.generated:
        return Const(None, col.type_oid, col.typmod)
    raw_default = col.default
    if raw_default is None and col.type_oid >= 16384:
        from tuskdb.types.usertypes import domain_default
        raw_default = domain_default(col.type_oid)
        if raw_default is None and domain_default(col.type_oid, constrained=True):
            return coerce_to(Const(None, 705), col.type_oid, col.typmod, "a")
    if raw_default is None:
        return Const(None, col.type_oid, col.typmod)
    raw = json.loads(raw_default)
    if col.identity:
        return _identity_nextval(raw, col, state)
    scope = Scope()
    ec = ExprContext(state, scope, "DEFAULT expressions", None)
    saved = state.lift
    state.lift = None       # defaults are not part of the statement text
    try:
        e = transform(raw, ec)
    finally:
        state.lift = saved
    return coerce_to(e, col.type_oid, col.typmod, "a")


def _identity_nextval(raw: dict, col: Any, state: AnalyzeState) -> Expr:
    """An identity column's next value (PostgreSQL's NextValueExpr): the sequence's
    nextval without the privilege check on the sequence."""
    from tuskdb.sql.expr import Func
    seq_oid = int(raw["FuncCall"]["args"][0]["TypeCast"]["arg"]["A_Const"]["sval"]["sval"])
    state.has_volatile = True
    state.has_mutable = True
    e = Func(lambda ctx: ctx.session.identity_nextval(seq_oid), [], 20, name="nextval",
             needs_ctx=True, volatile=True)
    return coerce_to(e, col.type_oid, col.typmod, "a")


def rel_checks(rel: Any, rt: int, state: AnalyzeState) -> list[tuple[str, Expr]]:
    out = []
    if not rel.checks:
        return out
    scope = Scope()
    scope.add(RangeEntry(rt, rel.name, [c.name for c in rel.columns],
                         [(c.type_oid, c.typmod) for c in rel.columns], rel=rel, has_ctid=True))
    ec = ExprContext(state, scope, "check constraints", None)
    saved = state.lift
    state.lift = None
    try:
        for ch in rel.checks:
            if not ch.enforced:
                continue
            out.append((ch.name, require_bool(transform(json.loads(ch.expr), ec), "CHECK")))
    finally:
        state.lift = saved
    return out


def _returning(body: dict, ec: ExprContext, mq: ModifyQuery) -> None:
    rc = body.get("returningClause")
    if not rc:
        return
    from tuskdb.sql.analyze.returning import old_new_scope, null_missing_rows
    ec = old_new_scope(rc, ec, mq)
    targets = transform_targets(rc.get("exprs") or [], ec)
    targets = [(n, null_missing_rows(finalize_unknown(e), mq)) for n, e in targets]
    mq.returning = [e for _, e in targets]
    rel, rt = mq.rel, mq.rt
    if mq.view is not None:
        rel, rt = mq.view.view, mq.view.rt
    mq.output = [(n, e.type_oid, e.typmod,
                  (rel.oid, rel.columns[e.attno].attnum)
                  if isinstance(e, Var) and e.rt == rt and e.attno < len(rel.columns)
                  else None) for n, e in targets]


def analyze_insert(body: dict, state: AnalyzeState) -> ModifyQuery:
    if body.get("withClause"):
        return _with(body, state, _analyze_insert)
    return _analyze_insert(body, state)


def _analyze_insert(body: dict, state: AnalyzeState) -> ModifyQuery:
    scope = Scope()
    vts: list = []
    rel, rt = _target_entry(body, state, scope, vts, "a")
    perm = scope.entries[-1].perm
    mq = ModifyQuery("INSERT", rel, rt)
    mq.rls_deny = getattr(state, "rls_target", False)
    if rel.relkind == "p" or rel.partbound is not None:
        partition_target(mq, state)
    mq.view = vts[0] if vts else None
    live = [i for i, c in enumerate(rel.columns) if not c.dropped]
    if any(c["ResTarget"].get("indirection") for c in body.get("cols") or []):
        from tuskdb.sql.analyze.rowtypes import rewrite_insert_field_targets
        body = rewrite_insert_field_targets(body, rel, state)   # INSERT (col.field, ...)
    if body.get("cols"):
        cols = []
        for c in body["cols"]:
            rtc = c["ResTarget"]
            name = rtc["name"]
            if rtc.get("indirection"):
                raise PgError(FEATURE_NOT_SUPPORTED, "INSERT with subscripts or field "
                              "selection is not supported")
            idx = next((i for i in live if rel.columns[i].name == name), None)
            if idx is None:
                raise PgError(UNDEFINED_COLUMN, f'column "{name}" of relation "{rel.name}" '
                              f"does not exist", position=state.pos(rtc.get("location")))
            if idx in cols:
                raise PgError(SYNTAX_ERROR, f'column "{name}" specified more than once',
                              position=state.pos(rtc.get("location")))
            cols.append(idx)
    else:
        cols = list(live)
    override = body.get("override", "OVERRIDING_NOT_SET")
    mq.override = override
    sel = body.get("selectStmt")
    ec = ExprContext(state, Scope(), "VALUES", None)
    if sel is None:
        cols = []
        q = Query()
        q.from_items = []
        q.targets = []
    else:
        sbody = sel["SelectStmt"]
        if sbody.get("valuesLists") and sbody.get("op", "SETOP_NONE") == "SETOP_NONE" \
                and not sbody.get("sortClause") and not sbody.get("limitCount") \
                and not sbody.get("withClause"):
            q, cols = _insert_values(sbody, cols, rel, rt, state, ec,
                                     [c["ResTarget"] for c in body.get("cols") or []])
        else:
            state.insert_target_types = [(rel.columns[c].type_oid, rel.columns[c].typmod)
                                         for c in cols]
            try:
                sub = analyze_select(sbody, state)
            finally:
                state.insert_target_types = None
            if len(sub.output) > len(cols):
                raise PgError(SYNTAX_ERROR, "INSERT has more expressions than target columns")
            if len(sub.output) < len(cols) and not body.get("cols"):
                cols = cols[:len(sub.output)]
            elif len(sub.output) < len(cols):
                raise PgError(SYNTAX_ERROR, "INSERT has more target columns than expressions")
            for c in cols[:len(sub.output)]:
                if rel.columns[c].generated:
                    raise _generated_insert_error(rel.columns[c])
            srt = state.next_rt()
            q = Query()
            q.from_items = [SubqueryItem(srt, sub)]
            q.targets = [assign_coerce(Var(srt, i, o[1], o[2]), rel.columns[c], state, None)
                         for i, (o, c) in enumerate(zip(sub.output, cols))]
    cols = _identity_targets(q, cols, rel, override)
    mq.source = q
    mq.target_cols = cols
    perm.inserted = {i + 1 for i in cols}
    for i in live:
        if i not in cols and (mq.view is None or rel.columns[i].default is not None):
            mq.defaults[i] = column_default(rel.columns[i], rel, rt, state)
    if mq.view is not None:
        if body.get("onConflictClause"):
            from tuskdb.sql.rewrite.updatable import prepare
            prepare(mq.view, "INSERT", [])
            mq.on_conflict = _on_conflict(body["onConflictClause"], rel, rt, scope, state,
                                          mq.view)
        _view_insert(mq, state)
        from tuskdb.sql.rewrite.updatable import propagate_view_perms
        propagate_view_perms(mq.view, perm)
        rel, rt = mq.rel, mq.rt
    mq.checks = rel_checks(rel, rt, state)
    mq.generated = _generation(rel, rt, state)
    if body.get("onConflictClause") and mq.view is None:
        mq.on_conflict = _on_conflict(body["onConflictClause"], rel, rt, scope, state)
    _returning(body, ExprContext(state, scope, "RETURNING", None), mq)
    return mq


class OnConflict:
    """INSERT ... ON CONFLICT: arbiter indexes and the DO UPDATE part."""

    def __init__(self, action: str, arbiters: list[Any]) -> None:
        self.action = action                  # NOTHING | UPDATE
        self.arbiters = arbiters              # IndexInfo
        self.excluded_rt = 0
        self.set_exprs: dict[int, Expr] = {}
        self.where: Expr | None = None


def _on_conflict(oc: dict, rel: Any, rt: int, scope: Scope, state: AnalyzeState,
                 view: Any = None) -> OnConflict:
    action = "UPDATE" if oc["action"] == "ONCONFLICT_UPDATE" else "NOTHING"
    infer = oc.get("infer")
    infer_error = None
    # through a view (rewrite/updatable.py) the arbiters are the base table's indexes
    arel = view.levels[-1].from_item.rel if view is not None else rel
    # arbiters: unique indexes and exclusion constraints' indexes
    unique = [ix for ix in arel.indexes if (ix.unique or ix.exclusion_ops) and ix.valid]
    if infer is None:
        if action == "UPDATE":
            raise PgError(SYNTAX_ERROR, "ON CONFLICT DO UPDATE requires inference "
                          "specification or constraint name",
                          hint="For example, ON CONFLICT (column_name).",
                          position=state.pos(oc.get("location")))
        arbiters = unique
    elif infer.get("conname"):
        name = infer["conname"]
        arbiters = [ix for ix in unique if ix.constraint_name == name]
        if not arbiters:
            raise PgError("42704", f'constraint "{name}" for table "{rel.name}" does not exist')
        if action == "UPDATE" and any(ix.exclusion_ops for ix in arbiters):
            raise PgError(WRONG_OBJECT_TYPE, "ON CONFLICT DO UPDATE not supported with "
                          "exclusion constraints")
    else:
        # PostgreSQL infers the arbiters when planning: errors of the DO UPDATE part
        # come first
        try:
            arbiters = _infer_arbiters(infer, rel, arel, view, state, unique,
                                       next((e.alias for e in scope.entries if e.rt == rt),
                                            None))
        except PgError as err:
            if err.sqlstate != "42P10":
                raise
            arbiters, infer_error = [], err
    out = OnConflict(action, arbiters)
    if action == "UPDATE":
        ert = state.next_rt()
        out.excluded_rt = ert
        # DO UPDATE reads the arbiter columns, and EXCLUDED's columns count as the
        # target's: both need SELECT on them (transformOnConflictClause)
        tperm = next((e.perm for e in scope.entries if e.rt == rt), None)
        if tperm is not None:
            for ix in arbiters:
                tperm.selected |= {a for a in ix.attnums if a > 0}
        excl = RangeEntry(ert, "excluded", [c.name for c in rel.columns],
                          [(c.type_oid, c.typmod) for c in rel.columns], rel=rel,
                          kind="excluded")
        excl.perm = tperm
        scope.add(excl, unchecked=True)
        ec = ExprContext(state, scope, "ON CONFLICT DO UPDATE", None)
        memo: dict = {}
        for node in oc.get("targetList") or []:
            rtc = node["ResTarget"]
            name = rtc["name"]
            val, pre = multi_assign_item(rtc, ec, memo)
            col = rel.column(name)
            if col is None:
                talias = next((e.alias for e in scope.entries if e.rt == rt), rel.name)
                raise PgError(UNDEFINED_COLUMN, f'column "{name}" of relation "{rel.name}" '
                              f"does not exist", position=state.pos(rtc.get("location")),
                              hint="SET target columns cannot be qualified with the "
                                   "relation name." if rtc.get("indirection") and
                              name == talias else None)
            idx = rel.columns.index(col)
            if idx in out.set_exprs:
                raise PgError(SYNTAX_ERROR, f'multiple assignments to same column "{name}"')
            if "SetToDefault" in val and pre is None:
                out.set_exprs[idx] = column_default(col, rel, rt, state)
            elif col.generated:
                raise PgError(GENERATED_ALWAYS, f'column "{name}" can only be updated to '
                              f"DEFAULT", detail=f'Column "{name}" is a generated column.')
            else:
                e = pre if pre is not None else transform(val, ec)
                out.set_exprs[idx] = assign_coerce(e, col, state, state.pos(_loc(val)))
        if oc.get("whereClause") is not None:
            out.where = require_bool(transform(oc["whereClause"], ec), "WHERE")
        scope.entries = [e for e in scope.entries if e.rt != ert]
        scope.dup_aliases = False
        perm = next((e.perm for e in scope.entries if e.rt == rt), None)
        if perm is not None:
            perm.required += "w"
            perm.updated |= {i + 1 for i in out.set_exprs}
    if infer_error is not None:
        raise infer_error
    return out


def _infer_expr(raw: dict, rel: Any, view: Any, arel: Any, state: AnalyzeState, kind: str,
                alias: str | None) -> Expr:
    """An inference element's expression or WHERE clause over the target's base table
    (range-table entry 1); through a view its columns become the base table's."""
    from tuskdb.sql.execute.indexkeys import analyze_index_exprs
    from tuskdb.sql.expr import walk
    if view is None:
        return analyze_index_exprs(arel, [raw], state.session, state.source, kind=kind,
                                   alias=alias)[0]
    from tuskdb.sql.rewrite.updatable import base_column
    e = analyze_index_exprs(rel, [raw], state.session, state.source, kind=kind,
                            alias=alias)[0]
    for v in walk(e):
        if isinstance(v, Var) and v.rt == 1:
            b = base_column(view, v.attno)
            if b is None:
                raise PgError(FEATURE_NOT_SUPPORTED, "ON CONFLICT inference over a view "
                              "column that is not a base table column is not supported")
            v.attno, v.name = b, arel.columns[b].name
    return e


def _infer_arbiters(infer: dict, rel: Any, arel: Any, view: Any, state: AnalyzeState,
                    unique: list, alias: str | None = None) -> list:
    """The unique indexes an ON CONFLICT (...) [WHERE ...] inference specification
    names (infer_arbiter_indexes): an index qualifies when its plain key columns are
    exactly the columns named, each of its expressions is among the expressions named
    (and each named expression among its), every element's COLLATE and operator class
    (when given) match a key column of it, and a partial index's predicate is implied
    by the specification's WHERE clause."""
    from tuskdb.sql.commands.indexcmds import (PATTERN_OPCLASSES, _default_opclasses,
                                              collation_oid)
    from tuskdb.sql.deparse import Deparser
    from tuskdb.sql.execute.indexkeys import analyze_index_exprs
    from tuskdb.sql.plan.planner import conjuncts

    session = state.session
    dp = Deparser(getattr(session, "type_context", None), False)
    cols: set[int] = set()
    exprs: set[str] = set()
    # (column attnum or expression text, collation oid or None, opclass name or None)
    elems: list[tuple[Any, int | None, str | None, int]] = []
    for e in infer.get("indexElems") or []:
        ie = e["IndexElem"]
        coll = None
        if ie.get("collation"):
            from tuskdb.sql.analyze.expr import check_collation
            check_collation([n["String"]["sval"] for n in ie["collation"]],
                            state.pos(infer.get("location")))
            coll = collation_oid(state.catalog, ie["collation"]) or -1
        opc = ie["opclass"][-1]["String"]["sval"] if ie.get("opclass") else None
        if ie.get("expr") is not None:
            ex = _infer_expr(ie["expr"], rel, view, arel, state, "index expressions", None)
            if isinstance(ex, Var) and ex.rt == 1:
                # a parenthesized plain column is a column
                cols.add(ex.attno + 1)
                elems.append((ex.attno + 1, coll, opc, ex.type_oid))
                continue
            text = dp.expr(ex, False)
            exprs.add(text)
            elems.append((text, coll, opc, ex.type_oid))
            continue
        col = rel.column(ie["name"])
        if col is None:
            raise PgError(UNDEFINED_COLUMN, f'column "{ie["name"]}" does not exist',
                          position=state.pos(infer.get("location")))
        if view is not None:
            from tuskdb.sql.rewrite.updatable import base_column
            b = base_column(view, rel.columns.index(col))
            if b is None:
                continue
            col = arel.columns[b]
        cols.add(col.attnum)
        elems.append((col.attnum, coll, opc, col.type_oid))
    where = infer.get("whereClause")
    where_parts: set[str] | None = None
    if where is not None:
        w = _infer_expr(where, rel, view, arel, state, "index predicates", alias)
        where_parts = {dp.expr(c, False) for c in conjuncts(w)}
    arbiters = []
    for ix in unique:
        # an exclusion constraint (WITHOUT OVERLAPS) is never inferred from columns
        if ix.exclusion_ops:
            continue
        if {a for a in ix.attnums if a} != cols:
            continue
        keys: list[Any] = []
        it = iter(analyze_index_exprs(arel, list(ix.exprs), session) if ix.exprs else [])
        for a in ix.attnums:
            keys.append(a if a else dp.expr(next(it), False))
        ix_exprs = {k for k in keys if isinstance(k, str)}
        if ix_exprs != exprs:
            continue
        ok = True
        for key, coll, opc, toid in elems:
            if coll is None and opc is None:
                continue
            found = False
            for j, k in enumerate(keys):
                if k != key:
                    continue
                ixcoll = ix.collations[j] if j < len(ix.collations) else 0
                if coll is not None and coll != ixcoll:
                    continue
                if opc is not None:
                    ixopc = ix.opclasses[j] if j < len(ix.opclasses) else 0
                    if opc in _default_opclasses(toid):
                        if ixopc:
                            continue
                    elif PATTERN_OPCLASSES.get(opc, (None,))[0] != ixopc:
                        continue
                found = True
                break
            if not found:
                ok = False
                break
        if not ok:
            continue
        if ix.predicate:
            if where_parts is None:
                continue
            p = analyze_index_exprs(arel, [ix.predicate], session,
                                    kind="index predicates")[0]
            if not {dp.expr(c, False) for c in conjuncts(p)} <= where_parts:
                continue
        arbiters.append(ix)
    if not arbiters:
        raise PgError("42P10", "there is no unique or exclusion constraint matching the ON "
                      "CONFLICT specification")
    return arbiters


def _insert_values(sbody: dict, cols: list[int], rel: Any, rt: int, state: AnalyzeState,
                   ec: ExprContext, explicit_cols: list) -> tuple[Query, list[int]]:
    rows = []
    if state.param_names:
        from tuskdb.sql.analyze.rowtypes import expand_param_stars
        sbody = dict(sbody, valuesLists=[{"List": {"items": expand_param_stars(
            lst["List"]["items"], state)}} for lst in sbody["valuesLists"]])
    width = max(len(lst["List"]["items"]) for lst in sbody["valuesLists"])
    if not explicit_cols and width < len(cols):
        cols = cols[:width]
    for lst in sbody["valuesLists"]:
        items = lst["List"]["items"]
        if len(items) > len(cols):
            raise PgError(SYNTAX_ERROR, "INSERT has more expressions than target columns",
                          position=state.pos(_loc(items[len(cols)])))
        if len(items) < len(cols):
            if not explicit_cols:
                cols = cols[:len(items)]
            else:
                loc = explicit_cols[len(items)].get("location") \
                    if isinstance(explicit_cols, list) else None
                raise PgError(SYNTAX_ERROR, "INSERT has more target columns than expressions",
                              position=state.pos(loc))
        row = []
        for item, c in zip(items, cols):
            col = rel.columns[c]
            if "SetToDefault" in item:
                d = column_default(col, rel, rt, state)
                if col.default is None:
                    d.set_to_default = True     # a plain DEFAULT (for generated columns)
                d.written_default = True        # DEFAULT written (for identity columns)
                row.append(d)
                continue
            if col.generated:
                raise _generated_insert_error(col)
            e = transform(item, ec)
            row.append(assign_coerce(e, col, state, state.pos(_loc(item))))
        rows.append(row)
    vrt = state.next_rt()
    q = Query()
    q.from_items = [ValuesItem(vrt, rows, [(rel.columns[c].type_oid, rel.columns[c].typmod)
                                           for c in cols])]
    q.targets = [Var(vrt, i, rel.columns[c].type_oid, rel.columns[c].typmod)
                 for i, c in enumerate(cols)]
    return q, cols


def _identity_targets(q: Query, cols: list[int], rel: Any, override: str) -> list[int]:
    """Values written to identity columns (PostgreSQL's rewriteTargetListIU): OVERRIDING
    USER VALUE replaces them by the sequence's; a GENERATED ALWAYS column takes only
    DEFAULT (in every row of a VALUES list) unless OVERRIDING SYSTEM VALUE."""
    if override == "OVERRIDING_SYSTEM_VALUE" or not any(rel.columns[i].identity for i in cols):
        return cols
    item = q.from_items[0] if len(q.from_items) == 1 else None
    keep = []
    for pos, i in enumerate(cols):
        col = rel.columns[i]
        if col.identity and override == "OVERRIDING_USER_VALUE":
            if isinstance(item, ValuesItem):    # the value written is not computed
                for r in item.rows:
                    r[pos] = Const(None, r[pos].type_oid, getattr(r[pos], "typmod", -1))
            continue                        # the column's default applies
        if col.identity == "a" and not (isinstance(item, ValuesItem) and all(
                getattr(r[pos], "written_default", False) for r in item.rows)):
            raise PgError(GENERATED_ALWAYS, f'cannot insert a non-DEFAULT value into column '
                          f'"{col.name}"', detail=f'Column "{col.name}" is an identity column '
                          f"defined as GENERATED ALWAYS.",
                          hint="Use OVERRIDING SYSTEM VALUE to override.")
        keep.append(pos)
    if len(keep) < len(cols):
        q.targets = [q.targets[pos] for pos in keep]
        cols = [cols[pos] for pos in keep]
    return cols


def _generated_insert_error(col: Any) -> PgError:
    return PgError(GENERATED_ALWAYS, f'cannot insert a non-DEFAULT value into column '
                   f'"{col.name}"', detail=f'Column "{col.name}" is a generated column.')


def _generation(rel: Any, rt: int, state: AnalyzeState) -> list[tuple[int, Expr]]:
    if not any(c.generated for c in rel.columns):
        return []
    from tuskdb.sql.commands.generated import generation_exprs
    return generation_exprs(rel, rt, state)


def _loc(node: dict) -> int | None:
    body = next(iter(node.values()))
    return body.get("location") if isinstance(body, dict) else None


def analyze_update(body: dict, state: AnalyzeState) -> ModifyQuery:
    if body.get("withClause"):
        return _with(body, state, _analyze_update)
    return _analyze_update(body, state)


def _with(body: dict, state: AnalyzeState, fn: Any) -> ModifyQuery:
    from tuskdb.sql.analyze.select import analyze_with
    analyze_with(body["withClause"], state, [])
    try:
        return fn(body, state)
    finally:
        state.ctes.pop()


def _jsonb_subscript_assignment(rtc: dict, name: str, ec: ExprContext,
                                state: AnalyzeState) -> Expr:
    """SET j['a'][0] = v on a jsonb column: jsonb_subscript_assign(j, path, v)."""
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import jsonb_subscript_exprs
    from tuskdb.sql.expr import Func
    from tuskdb.types.jsonfuncs import jsonb_subscript_assign
    cur = transform({"ColumnRef": {"fields": [{"String": {"sval": name}}],
                                   "location": rtc.get("location", -1)}}, ec)
    subs = jsonb_subscript_exprs(rtc["indirection"], ec)
    val = coerce_to(transform(rtc["val"], ec), 3802, -1, "a")
    first_int = subs[0].type_oid == 23
    n = len(subs)

    def assign(j: Any, *rest: Any) -> Any:
        path = [None if p is None else str(p) for p in rest[:n]]
        return jsonb_subscript_assign(j, path, first_int, rest[n])
    return Func(assign, [cur, *subs, val], 3802, strict=False, name="subscript")


def _analyze_update(body: dict, state: AnalyzeState) -> ModifyQuery:
    scope = Scope()
    vts: list = []
    rel, rt = _target_entry(body, state, scope, vts, "w")
    perm = scope.entries[-1].perm
    mq = ModifyQuery("UPDATE", rel, rt)
    mq.rls_deny = getattr(state, "rls_target", False)
    mq.view = vts[0] if vts else None
    _expand_target(body, mq, state)
    if body.get("fromClause"):
        from tuskdb.sql.analyze.select import transform_from
        mq.from_items = transform_from(body["fromClause"], state, scope, [])
    ec = ExprContext(state, scope, "UPDATE", None)
    memo: dict = {}
    for node in body["targetList"]:
        rtc = node["ResTarget"]
        name = rtc["name"]
        if rtc.get("indirection"):
            col = rel.column(name)
            if col is not None and col.type_oid == 3802 and \
                    all("A_Indices" in x for x in rtc["indirection"]):
                idx = rel.columns.index(col)
                if idx in mq.set_exprs:
                    raise PgError(SYNTAX_ERROR, f'multiple assignments to same column "{name}"',
                                  position=state.pos(rtc.get("location")))
                mq.set_exprs[idx] = _jsonb_subscript_assignment(rtc, name, ec, state)
                continue
            if col is not None and col.type_oid != 3802:
                # SET col.field = v, col[i] = v, col[i].f = v ... (several assignments to
                # parts of one column combine)
                from tuskdb.sql.analyze.assign import column_assignment
                idx = rel.columns.index(col)
                cur = mq.set_exprs.get(idx)
                mq.set_exprs[idx] = column_assignment(rtc, col, cur, ec, state)
                continue
            raise PgError(FEATURE_NOT_SUPPORTED, "UPDATE with subscripts or field selection "
                          "is not supported")
        val, pre = multi_assign_item(rtc, ec, memo)
        col, idx = set_target_column(rtc, rel, mq.set_exprs, state)
        if "SetToDefault" in val and pre is None:
            mq.set_exprs[idx] = column_default(col, rel, rt, state) \
                if mq.view is None or col.default is not None else _BaseDefault(col)
            continue
        if col.generated:
            raise PgError(GENERATED_ALWAYS, f'column "{name}" can only be updated to DEFAULT',
                          detail=f'Column "{name}" is a generated column.')
        if col.identity == "a":
            raise PgError(GENERATED_ALWAYS, f'column "{name}" can only be updated to DEFAULT',
                          detail=f'Column "{name}" is an identity column defined as GENERATED '
                          f"ALWAYS.")
        e = pre if pre is not None else transform(val, ec)
        mq.set_exprs[idx] = assign_coerce(e, col, state, state.pos(_loc(val)))
    perm.updated = {i + 1 for i in mq.set_exprs}
    if body.get("whereClause") is not None:
        wec = ExprContext(state, scope, "WHERE", None)
        mq.where = require_bool(transform(body["whereClause"], wec), "WHERE")
    if mq.view is None:
        mq.checks = rel_checks(rel, rt, state)
        mq.generated = _generation(rel, rt, state)
    _returning(body, ExprContext(state, scope, "RETURNING", None), mq)
    if mq.view is not None:
        _view_update(mq, state)
        from tuskdb.sql.rewrite.updatable import propagate_view_perms
        propagate_view_perms(mq.view, perm)
    return mq


def analyze_delete(body: dict, state: AnalyzeState) -> ModifyQuery:
    if body.get("withClause"):
        return _with(body, state, _analyze_delete)
    return _analyze_delete(body, state)


def _analyze_delete(body: dict, state: AnalyzeState) -> ModifyQuery:
    scope = Scope()
    vts: list = []
    rel, rt = _target_entry(body, state, scope, vts, "d")
    mq = ModifyQuery("DELETE", rel, rt)
    mq.rls_deny = getattr(state, "rls_target", False)
    mq.view = vts[0] if vts else None
    _expand_target(body, mq, state)
    if body.get("usingClause"):
        from tuskdb.sql.analyze.select import transform_from
        mq.from_items = transform_from(body["usingClause"], state, scope, [])
    if body.get("whereClause") is not None:
        wec = ExprContext(state, scope, "WHERE", None)
        mq.where = require_bool(transform(body["whereClause"], wec), "WHERE")
    _returning(body, ExprContext(state, scope, "RETURNING", None), mq)
    if mq.view is not None:
        from tuskdb.sql.rewrite.updatable import prepare
        prepare(mq.view, "DELETE", [])
        _retarget(mq, state)
        from tuskdb.sql.rewrite.updatable import propagate_view_perms
        propagate_view_perms(mq.view, scope.entries[0].perm)
    return mq


def _view_insert(mq: ModifyQuery, state: AnalyzeState) -> None:
    """INSERT through a view: target and defaulted view columns move to the base table's
    columns; base columns left over take the base table's defaults."""
    from tuskdb.sql.rewrite.updatable import prepare
    vt = mq.view
    cols = list(mq.target_cols)
    dcols = sorted(mq.defaults)
    oc = getattr(mq, "on_conflict", None)
    ucols = sorted(oc.set_exprs) if oc is not None else []
    base = prepare(vt, "INSERT", cols + dcols + ucols, merge=getattr(mq, "merge", False))
    if ucols:
        oc.set_exprs = {b: oc.set_exprs[j] for j, b in zip(ucols, base[len(base) - len(ucols):])}
        base = base[:len(base) - len(ucols)]
    _retarget(mq, state)
    brel = mq.rel
    seen: set[int] = set()
    for b in base:
        if b in seen:
            raise PgError(SYNTAX_ERROR, f'multiple assignments to same column '
                          f'"{brel.columns[b].name}"')
        seen.add(b)
    mq.target_cols = base[:len(cols)]
    mq.defaults = {b: mq.defaults[j] for j, b in zip(dcols, base[len(cols):])}
    for i, c in enumerate(brel.columns):
        if c.dropped or i in seen:
            continue
        mq.defaults[i] = column_default(c, brel, mq.rt, state)
    for pos, b in enumerate(mq.target_cols):
        col = brel.columns[b]
        if col.generated:
            src = mq.source
            item = src.from_items[0] if src.from_items else None
            if not isinstance(item, ValuesItem) or any(
                    not getattr(r[pos], "set_to_default", False) for r in item.rows):
                raise _generated_insert_error(col)
    if not isinstance(getattr(mq, "source", None), Query):     # MERGE's INSERT action
        for b in mq.target_cols:
            col = brel.columns[b]
            if col.identity == "a" and getattr(mq, "override", "") != \
                    "OVERRIDING_SYSTEM_VALUE":
                raise PgError(GENERATED_ALWAYS, f'cannot insert a non-DEFAULT value into '
                              f'column "{col.name}"', detail=f'Column "{col.name}" is an '
                              f"identity column defined as GENERATED ALWAYS.",
                              hint="Use OVERRIDING SYSTEM VALUE to override.")
        return
    given = mq.target_cols
    mq.target_cols = _identity_targets(mq.source, given, brel, getattr(mq, "override", ""))
    for b in given:
        if b not in mq.target_cols:     # OVERRIDING USER VALUE: the column's default
            mq.defaults[b] = column_default(brel.columns[b], brel, mq.rt, state)


class _BaseDefault:
    """UPDATE view SET col = DEFAULT where the view column has no default of its own:
    the base column's default applies (resolved once the base column is known)."""

    def __init__(self, col: Any) -> None:
        self.col = col


def _retarget(mq: ModifyQuery, state: AnalyzeState | None = None) -> None:
    """The statement now targets the view's base table (with the descendants the view
    reads, and partition routing for a partitioned base table)."""
    vt = mq.view
    mq.rel, mq.rt = vt.base_rel, vt.base_rt
    if state is None or not isinstance(mq, ModifyQuery):
        return
    item = vt.levels[-1].from_item
    mq.children = list(getattr(item, "children", None) or [])
    if mq.kind != "DELETE" and (mq.rel.relkind == "p" or mq.rel.partbound is not None):
        partition_target(mq, state)


def _view_update(mq: ModifyQuery, state: AnalyzeState) -> None:
    """UPDATE through a view: assignments move to the base table's columns."""
    from tuskdb.sql.rewrite.updatable import prepare
    vt = mq.view
    cols = list(mq.set_exprs)
    base = prepare(vt, "UPDATE", cols, merge=getattr(mq, "merge", False))
    _retarget(mq, state)
    brel = mq.rel
    out: dict[int, Expr] = {}
    for j, b in zip(cols, base):
        bcol = brel.columns[b]
        if b in out:
            raise PgError(SYNTAX_ERROR, f'multiple assignments to same column "{bcol.name}"')
        e = mq.set_exprs[j]
        if isinstance(e, _BaseDefault):
            e = column_default(bcol, brel, mq.rt, state)
        elif bcol.generated:
            raise PgError(GENERATED_ALWAYS, f'column "{bcol.name}" can only be updated to '
                          f"DEFAULT", detail=f'Column "{bcol.name}" is a generated column.')
        elif bcol.identity == "a":
            raise PgError(GENERATED_ALWAYS, f'column "{bcol.name}" can only be updated to '
                          f"DEFAULT", detail=f'Column "{bcol.name}" is an identity column '
                          f"defined as GENERATED ALWAYS.")
        out[b] = e
    mq.set_exprs = out
    mq.checks = rel_checks(brel, mq.rt, state)
    mq.generated = _generation(brel, mq.rt, state)


__all__ = ["analyze_insert", "analyze_update", "analyze_delete", "column_default",
           "rel_checks", "assign_coerce", "figure_colname"]
