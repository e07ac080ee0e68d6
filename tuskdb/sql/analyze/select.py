"""SELECT analysis (PostgreSQL's analyze.c transformSelectStmt and parse_clause.c)."""

from __future__ import annotations

import copy
from typing import Any

from tuskdb import types
from tuskdb.errors import (AMBIGUOUS_COLUMN, DATATYPE_MISMATCH, FEATURE_NOT_SUPPORTED,
                           GROUPING_ERROR, INVALID_COLUMN_REFERENCE, SYNTAX_ERROR,
                           UNDEFINED_COLUMN, UNDEFINED_TABLE, WRONG_OBJECT_TYPE, PgError)
from tuskdb.sql.analyze.coerce import UNKNOWN, coerce_to, require_bool, select_common_type
from tuskdb.sql.analyze.expr import ExprContext, column_var, finalize_unknown, transform
from tuskdb.sql.analyze.query import (FunctionItem, JoinItem, Query, RelItem, SortKey,
                                      SubqueryItem, ValuesItem)
from tuskdb.sql.analyze.resolve import resolve_operator
from tuskdb.sql.analyze.state import AnalyzeState, RangeEntry, Scope, undefined_column
from tuskdb.sql.expr import (Agg, BoolExpr, Case, Coalesce, Const, Expr, Func, InList, Literal,
                             MinMax, NullIf, NullTest, OuterVar, Param, SubLink, Var, walk)


def analyze_select(body: dict, state: AnalyzeState, outer: list[Scope] | None = None) -> Query:
    outer = outer or []
    with_clause = body.get("withClause")
    if with_clause:
        analyze_with(with_clause, state, outer)
    try:
        op = body.get("op", "SETOP_NONE")
        if op != "SETOP_NONE":
            return _analyze_setop(body, state, outer)
        if body.get("valuesLists"):
            return _analyze_values(body, state, outer)
        return _analyze_simple(body, state, outer)
    finally:
        if with_clause:
            state.ctes.pop()


def analyze_with(wc: dict, state: AnalyzeState, outer: list[Scope]) -> None:
    """Analyze a WITH clause and make its queries visible by name (PostgreSQL's
    transformWithClause).  The caller pops ``state.ctes`` when done."""
    from tuskdb.sql.analyze.query import CTEInfo

    level: dict[str, CTEInfo] = {}
    state.ctes.append(level)
    recursive = bool(wc.get("recursive"))
    for node in wc["ctes"]:
        c = node["CommonTableExpr"]
        name = c["ctename"]
        if name in level:
            raise PgError("42712", f'WITH query name "{name}" specified more than once',
                          position=state.pos(c.get("location")))
        q_node = c["ctequery"]
        kind = next(iter(q_node))
        state.cte_ids += 1
        info = CTEInfo(name, state.cte_ids)
        alias = [a["String"]["sval"] for a in c.get("aliascolnames") or []]
        if kind in ("InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"):
            from tuskdb.sql.analyze import dml
            from tuskdb.sql.analyze.merge import analyze_merge
            analyze = {"InsertStmt": dml.analyze_insert, "UpdateStmt": dml.analyze_update,
                       "DeleteStmt": dml.analyze_delete, "MergeStmt": analyze_merge}[kind]
            mq = analyze(q_node[kind], state)
            info.modify = mq
            info.colnames = alias + [o[0] for o in mq.output][len(alias):]
            info.coltypes = [(o[1], o[2]) for o in mq.output]
            state.dml_ctes.append(info)
            level[name] = info
            continue
        if kind != "SelectStmt":
            raise PgError(FEATURE_NOT_SUPPORTED, f"{kind} in WITH is not supported",
                          position=state.pos(c.get("location")))
        body = q_node["SelectStmt"]
        search_cycle = c.get("search_clause") or c.get("cycle_clause")
        if recursive and _references(body, name) and body.get("op") != "SETOP_UNION":
            raise PgError("42P19", f'recursive query "{name}" does not have the form '
                          f"non-recursive-term UNION [ALL] recursive-term",
                          position=state.pos(c.get("location")))
        if search_cycle and not (recursive and _references(body, name)):
            raise PgError("42P19", "WITH query is not recursive",
                          position=state.pos(c.get("location")))
        if recursive and _references(body, name) and body.get("op") == "SETOP_UNION":
            larg = body["larg"].get("SelectStmt", body["larg"])
            rarg = body["rarg"].get("SelectStmt", body["rarg"])
            if _references(larg, name):
                raise PgError("42P19", f'recursive reference to query "{name}" must not appear '
                              f"within its non-recursive term")
            _check_recursive_union(body, state)
            _check_well_formed_recursion(body, rarg, name, state)
            if search_cycle:
                from tuskdb.sql.analyze.searchcycle import rewrite_search_cycle
                larg, rarg, names, width = rewrite_search_cycle(c, larg, rarg, alias, state,
                                                                outer)
            base = analyze_select(larg, state, outer)
            info.colnames = alias + [o[0] for o in base.output][len(alias):]
            if search_cycle:
                info.colnames = names
                info.star_width = width
                info.worktable_base = base
            info.coltypes = [(o[1], o[2]) for o in base.output]
            info.recursive = True
            info.union_all = bool(body.get("all"))
            level[name] = info
            rec = analyze_select(rarg, state, outer)
            if rec.aggs:
                raise PgError("42P19", "aggregate functions are not allowed in a recursive "
                              "query's recursive term",
                              position=state.pos(_agg_location(rarg, rec.aggs[0])))
            if len(rec.output) != len(base.output):
                raise PgError("42601", f"each UNION query must have the same number of columns")
            for i, (o, (t, m)) in enumerate(zip(rec.output, info.coltypes)):
                if o[1] != t:
                    from tuskdb.sql.analyze.coerce import can_coerce
                    if not can_coerce(o[1], t):
                        raise PgError("42804", f'recursive query "{name}" column {i + 1} has type '
                                      f"{_tn(t)} in non-recursive term but type {_tn(o[1])} "
                                      f"overall", hint="Cast the output of the non-recursive "
                                      "term to the correct type.")
                    _coerce_output(rec, i, t)
            info.query = (base, rec)
            if search_cycle:
                from tuskdb.sql.analyze.searchcycle import check_search_cycle
                check_search_cycle(c, names[:width], state)
        else:
            q = analyze_select(body, state, outer)
            info.colnames = alias + [o[0] for o in q.output][len(alias):]
            info.coltypes = [(o[1], o[2]) for o in q.output]
            info.query = q
            if len(alias) > len(q.output):
                raise PgError("42P10", f'WITH query "{name}" has {len(q.output)} columns '
                              f"available but {len(alias)} columns specified",
                              position=state.pos(c.get("location")))
            level[name] = info


def _check_well_formed_recursion(body: dict, rarg: dict, name: str,
                                 state: AnalyzeState) -> None:
    """Where the recursive reference may appear (PostgreSQL's checkWellFormedRecursion):
    once, not in a subquery expression or a WITH of the recursive query, not on the
    nullable side of an outer join, not on the right of EXCEPT."""
    seen = [0]

    def ref(rv: dict, ctx: str | None) -> None:
        pos = state.pos(rv.get("location"))
        if ctx is not None:
            raise PgError("42P19", f'recursive reference to query "{name}" must not appear '
                          f"within {ctx}", position=pos)
        seen[0] += 1
        if seen[0] > 1:
            raise PgError("42P19", f'recursive reference to query "{name}" must not appear '
                          f"more than once", position=pos)

    def walk(node: Any, ctx: str | None) -> None:
        if isinstance(node, list):
            for v in node:
                walk(v, ctx)
            return
        if not isinstance(node, dict):
            return
        if "RangeVar" in node:
            rv = node["RangeVar"]
            if rv.get("relname") == name and not rv.get("schemaname"):
                ref(rv, ctx)
            return
        if "SelectStmt" in node:
            select(node["SelectStmt"], ctx)
            return
        if "SubLink" in node:
            sl = node["SubLink"]
            walk({k: v for k, v in sl.items() if k != "subselect"}, ctx)
            walk(sl.get("subselect"), "a subquery")
            return
        if "JoinExpr" in node:
            j = node["JoinExpr"]
            jt = j.get("jointype", "JOIN_INNER")
            walk(j.get("larg"), "an outer join" if jt in ("JOIN_RIGHT", "JOIN_FULL")
                 else ctx)
            walk(j.get("rarg"), "an outer join" if jt in ("JOIN_LEFT", "JOIN_FULL")
                 else ctx)
            walk(j.get("quals"), ctx)
            return
        for v in node.values():
            walk(v, ctx)

    def select(st: dict, ctx: str | None) -> None:
        wc = st.get("withClause")
        shadowed = False
        if wc:
            for c in wc["ctes"]:
                walk(c["CommonTableExpr"].get("ctequery"), ctx)
                shadowed = shadowed or c["CommonTableExpr"]["ctename"] == name
        if shadowed:
            return
        op = st.get("op", "SETOP_NONE")
        if op != "SETOP_NONE":
            walk(st.get("larg"), ctx)
            walk(st.get("rarg"), "EXCEPT" if op == "SETOP_EXCEPT" and ctx is None else ctx)
            return
        walk({k: v for k, v in st.items() if k != "withClause"}, ctx)

    # a WITH attached to the recursive query itself is a subquery of it
    for c in (body.get("withClause") or {}).get("ctes", []):
        walk(c["CommonTableExpr"].get("ctequery"), "a subquery")
    select(rarg, None)


def _agg_location(node: Any, agg: Any) -> int | None:
    """Where the raw tree calls the aggregate (for an error's position)."""
    name = getattr(getattr(agg, "agg", None), "name", None)
    if isinstance(node, list):
        for v in node:
            loc = _agg_location(v, agg)
            if loc is not None:
                return loc
        return None
    if not isinstance(node, dict) or "SubLink" in node or "RangeSubselect" in node:
        return None
    fc = node.get("FuncCall")
    if fc is not None and fc["funcname"][-1]["String"]["sval"] == name:
        return fc.get("location")
    for v in node.values():
        loc = _agg_location(v, agg)
        if loc is not None:
            return loc
    return None


def _check_recursive_union(body: dict, state: AnalyzeState) -> None:
    """What a recursive query's UNION may not carry (PostgreSQL's checkWellFormedRecursion)."""
    sort = body.get("sortClause")
    if sort:
        raise PgError(FEATURE_NOT_SUPPORTED, "ORDER BY in a recursive query is not implemented",
                      position=state.pos(_loc(sort[0]["SortBy"]["node"])))
    for key, what in (("limitOffset", "OFFSET"), ("limitCount", "LIMIT")):
        if body.get(key) is not None:
            raise PgError(FEATURE_NOT_SUPPORTED, f"{what} in a recursive query is not "
                          f"implemented", position=state.pos(_loc(body[key])))
    locking = body.get("lockingClause")
    if locking:
        raise PgError(FEATURE_NOT_SUPPORTED, "FOR UPDATE/SHARE in a recursive query is not "
                      "implemented", position=state.pos(_loc(locking[0])))


def _tn(t: int) -> str:
    from tuskdb.sql.analyze.coerce import type_name
    return type_name(t)


def _references(node: Any, name: str) -> bool:
    if isinstance(node, dict):
        rv = node.get("RangeVar")
        if rv is not None and rv.get("relname") == name and not rv.get("schemaname"):
            return True
        return any(_references(v, name) for v in node.values())
    if isinstance(node, list):
        return any(_references(v, name) for v in node)
    return False


def _find_cte(state: AnalyzeState, name: str) -> Any:
    for level in reversed(state.ctes):
        if name in level:
            return level[name]
    return None


def analyze_subquery(node: dict, ec: ExprContext) -> tuple[Query, bool]:
    """A subquery in an expression: analyzed with the enclosing scopes visible."""
    body = node["SelectStmt"]
    marker = _CorrelationProbe(ec)
    # an aggregate of the subquery over only this level's columns belongs to this
    # level (agglevelsup): it needs to know where the subquery sits
    saved = getattr(ec.scope, "agg_ctx", None)
    ec.scope.agg_ctx = (ec.kind, ec.aggs)
    try:
        q = analyze_select(body, ec.state, ec.outer + [ec.scope])
    finally:
        ec.scope.agg_ctx = saved
    return q, marker.correlated(q)


class _CorrelationProbe:
    def __init__(self, ec: ExprContext) -> None:
        self.ec = ec

    def correlated(self, q: Query) -> bool:
        return _has_outer(q)


def _has_outer(q: Query) -> bool:
    exprs: list[Expr] = list(q.targets)
    for e in (q.where, q.having, q.limit, q.offset):
        if e is not None:
            exprs.append(e)
    exprs += q.group_by
    exprs += [s.expr for s in q.sort]
    for a in q.aggs:
        exprs.append(a)
    for item in _walk_items(q.from_items):
        if isinstance(item, JoinItem) and item.quals is not None:
            exprs.append(item.quals)
        if isinstance(item, SubqueryItem) and _has_outer(item.query):
            return True
        if isinstance(item, ValuesItem):
            for row in item.rows:
                exprs += row
        if isinstance(item, RelItem) and item.tablesample is not None:
            exprs += item.tablesample.args
            if item.tablesample.repeatable is not None:
                exprs.append(item.tablesample.repeatable)
        if isinstance(item, FunctionItem):
            # a function in FROM whose arguments read the outer row (LATERAL-like)
            calls = item.call if isinstance(item.call, (list, tuple)) else [item.call]
            exprs += [c for c in calls if isinstance(c, Expr)]
    for e in exprs:
        for sub in walk(e):
            if isinstance(sub, OuterVar):
                return True
            if isinstance(sub, SubLink) and sub.correlated:
                return True
    if q.setop is not None:
        return _has_outer(q.setop[2]) or _has_outer(q.setop[3])
    return False


def _walk_items(items: list) -> Any:
    for it in items:
        yield it
        if isinstance(it, JoinItem):
            yield from _walk_items([it.left, it.right])


# -- FROM ------------------------------------------------------------------------


def transform_from(items: list[dict], state: AnalyzeState, scope: Scope,
                   outer: list[Scope]) -> list[Any]:
    out = []
    for node in items:
        out.append(_from_item(node, state, scope, outer))
    return out


def _from_item(node: dict, state: AnalyzeState, scope: Scope, outer: list[Scope]) -> Any:
    kind, body = next(iter(node.items()))
    if kind == "RangeVar":
        return _range_var(body, state, scope)
    if kind == "RangeSubselect":
        lateral = bool(body.get("lateral"))
        sub_outer = outer + [scope] if lateral else outer
        # without LATERAL the FROM items before it are out of reach (named in the error)
        hidden = state.lateral_hidden
        if not lateral:
            hidden.append(scope)
        try:
            q = analyze_select(body["subquery"]["SelectStmt"], state, sub_outer)
        finally:
            if not lateral:
                hidden.pop()
        alias = body.get("alias") or {}
        if not alias.get("aliasname"):
            alias = {"aliasname": None, "colnames": alias.get("colnames")}
        names = [o[0] for o in q.output]
        names = _apply_colnames(names, alias, state)
        rt = state.next_rt()
        entry = RangeEntry(rt, alias.get("aliasname"), names,
                           [(o[1], o[2]) for o in q.output], kind="subquery",
                           visible=alias.get("aliasname") is not None)
        from tuskdb.sql.analyze.rowtypes import note_record_columns
        note_record_columns(entry, q)
        scope.add(entry)
        return SubqueryItem(rt, q, bool(body.get("lateral")))
    if kind == "JoinExpr":
        return _join(body, state, scope, outer)
    if kind == "RangeFunction":
        return _range_function(body, state, scope, outer)
    if kind == "JsonTable":
        from tuskdb.sql.analyze.sqljson import transform_json_table
        return transform_json_table(body, state, scope, outer)
    if kind == "RangeTableSample":
        from tuskdb.sql.analyze.tablesample import transform_table_sample
        item = _from_item(body["relation"], state, scope, outer)
        return transform_table_sample(item, body, state, scope, outer)
    if kind == "RangeTableFunc":
        from tuskdb.sql.analyze.xmlexpr import transform_xml_table
        return transform_xml_table(body, state, scope, outer)
    raise PgError(FEATURE_NOT_SUPPORTED, f"FROM item {kind} is not supported")


_SINGLE_OUT = {"json_array_elements": "value", "json_array_elements_text": "value",
               "jsonb_array_elements": "value", "jsonb_array_elements_text": "value"}


def _range_function(body: dict, state: AnalyzeState, scope: Scope, outer: list[Scope]) -> Any:
    funcs = body["functions"]
    alias = body.get("alias") or {}
    colnames = [c["String"]["sval"] for c in alias.get("colnames") or []]
    # a function in FROM may refer to earlier FROM items (LATERAL is implied)
    ec = ExprContext(state, scope, "FROM", None, outer)
    single = len(funcs) == 1
    calls, names, ctypes, widths = [], [], [], []
    aname = alias.get("aliasname")
    # unnest(a, b, ...) in FROM is ROWS FROM(unnest(a), unnest(b), ...)
    expanded = []
    for f in funcs:
        items = f["List"]["items"]
        fc = items[0].get("FuncCall")
        if fc is not None and not (items[1:] and items[1]) and not body.get("coldeflist") \
                and len(fc.get("args") or []) > 1 and not fc.get("func_variadic") \
                and [n["String"]["sval"] for n in fc["funcname"]] in \
                (["unnest"], ["pg_catalog", "unnest"]):
            for a in fc["args"]:
                one = dict(fc, args=[a])
                expanded.append((None, {"FuncCall": one}, None))
        else:
            expanded.append((f, items[0], items[1] if len(items) > 1 else None))
    single = len(expanded) == 1
    for _f, fnode, own_coldef in expanded:
        if isinstance(own_coldef, dict):
            own_coldef = own_coldef.get("List", {}).get("items")
        coldef = (body.get("coldeflist") if single else None) or own_coldef
        call, fname, cnames, ctys = _one_range_function(fnode, coldef, ec, state)
        if aname is None:
            aname = fname
        if cnames is None:
            # a scalar result: named after a single function's alias, else the function
            cnames = [getattr(call, "column_name", None) or _SINGLE_OUT.get(fname)
                      or (alias.get("aliasname") if single else None) or fname]
        calls.append(call)
        names += cnames
        ctypes += ctys
        widths.append(len(cnames))
    names = [colnames[i] if i < len(colnames) else c for i, c in enumerate(names)]
    colnames = colnames[len(names):]
    if body.get("ordinality"):
        names.append(colnames[0] if colnames else "ordinality")
        ctypes.append((20, -1))
        colnames = colnames[1:]
    if colnames:
        raise PgError(INVALID_COLUMN_REFERENCE, f'table "{aname}" has {len(names)} columns '
                      f"available but {len(colnames) + len(names)} columns specified")
    rt = state.next_rt()
    scope.add(RangeEntry(rt, aname, names, ctypes, kind="function"))
    from tuskdb.sql.analyze.query import FunctionItem
    item = FunctionItem(rt, calls[0] if single else calls, bool(body.get("ordinality")))
    item.width = len(names)
    item.widths = widths
    item.refname, item.colnames = aname, names     # for the deparser
    return item


def _reject_coldeflist(fnode: dict, coldef: list, ec: ExprContext,
                       state: AnalyzeState) -> None:
    """A column definition list on a function not returning "record" is an error
    (PostgreSQL's addRangeTableEntryForFunction); on one returning "record" it is not
    built yet."""
    from tuskdb.sql.analyze.rowtypes import composite_fields
    ec.coldeflist = None
    call = transform(copy.deepcopy(fnode), ec)
    pos = state.pos(coldef[0]["ColumnDef"].get("location"))
    if getattr(call, "columns", None):
        raise PgError(SYNTAX_ERROR, "a column definition list is redundant for a function "
                      "with OUT parameters", position=pos)
    if call.type_oid >= 16384 and composite_fields(call.type_oid) is not None:
        raise PgError(SYNTAX_ERROR, "a column definition list is redundant for a function "
                      "returning a named composite type", position=pos)
    if call.type_oid != 2249:          # record
        raise PgError(SYNTAX_ERROR, "a column definition list is only allowed for functions "
                      'returning "record"', position=pos)
    raise PgError(FEATURE_NOT_SUPPORTED, "column definition lists are not supported")


def _one_range_function(fnode: dict, coldef: list | None, ec: ExprContext,
                        state: AnalyzeState) -> tuple[Any, str, list[str] | None, list]:
    """One function of a FROM item: (call, its name, its column names -- None for a
    scalar result --, its column types)."""
    if coldef:
        fname0 = fnode["FuncCall"]["funcname"][-1]["String"]["sval"] \
            if "FuncCall" in fnode else ""
        if fname0 not in ("json_to_record", "jsonb_to_record", "json_to_recordset",
                          "jsonb_to_recordset", "json_populate_record", "jsonb_populate_record",
                          "json_populate_recordset", "jsonb_populate_recordset"):
            _reject_coldeflist(fnode, coldef, ec, state)
        from tuskdb.sql.analyze.expr import resolve_type_name
        ec.coldeflist = []
        for cd in coldef:
            c = cd["ColumnDef"]
            oid, typmod = resolve_type_name(c["typeName"], state)
            ec.coldeflist.append((c["colname"], oid, typmod))
    else:
        ec.coldeflist = None
    call = transform(fnode, ec)
    if "FuncCall" in fnode:
        fname = fnode["FuncCall"]["funcname"][-1]["String"]["sval"]
    else:
        fname = figure_colname(fnode)
    out_cols = getattr(call, "columns", None)
    if not out_cols and call.type_oid >= 16384:
        from tuskdb.sql.analyze.rowtypes import composite_fields, composite_function_columns
        rf = composite_fields(call.type_oid)
        if rf is not None and len(rf) >= 1:
            out_cols = composite_function_columns(call, rf)
    if out_cols:
        tmods = getattr(call, "column_typmods", None) or [-1] * len(out_cols)
        return call, fname, [c for c, _ in out_cols], \
            [(t, m) for (_, t), m in zip(out_cols, tmods)]
    return call, fname, None, [(call.type_oid if call.type_oid != UNKNOWN else 25, -1)]


def _apply_colnames(names: list[str], alias: dict, state: AnalyzeState) -> list[str]:
    given = [c["String"]["sval"] for c in alias.get("colnames") or []]
    if len(given) > len(names):
        raise PgError(INVALID_COLUMN_REFERENCE,
                      f'table "{alias.get("aliasname")}" has {len(names)} columns available '
                      f"but {len(given)} columns specified")
    return given + names[len(given):]


def lookup_relation(body: dict, state: AnalyzeState, report_position: bool = True) -> Any:
    """Find a RangeVar's relation along search_path (42P01 if missing).

    Utility statements (TRUNCATE, VACUUM, ALTER TABLE, ...) report no position,
    as in PostgreSQL."""
    name = body["relname"]
    schema = body.get("schemaname")
    cat = state.catalog
    loc = state.pos(body.get("location")) if report_position else None
    if body.get("catalogname"):
        db = body["catalogname"]
        if db != state.session.dbname:
            raise PgError(FEATURE_NOT_SUPPORTED, f"cross-database references are not "
                          f"implemented: {db}.{schema}.{name}", position=loc)
    if schema is not None:
        nsp = state.session.temp_nsp if schema == "pg_temp" else cat.namespace_oid(schema)
        oid = cat.relation_oid(nsp, name) if nsp is not None else None
    else:
        oid = None
        for nsp in state.session.search_path_oids(cat):
            oid = cat.relation_oid(nsp, name)
            if oid is not None:
                break
    if oid is None:
        full = f"{schema}.{name}" if schema else name
        raise PgError(UNDEFINED_TABLE, f'relation "{full}" does not exist', position=loc)
    rel = cat.relation_by_oid(oid)
    state.relations.add(oid)
    if not getattr(state, "view_depth", 0):
        state.direct_relations.add(oid)     # what a new view depends on (pg_depend)
    return rel


def _range_var(body: dict, state: AnalyzeState, scope: Scope) -> Any:
    if not body.get("schemaname"):
        cte = _find_cte(state, body["relname"])
        if cte is not None:
            from tuskdb.sql.analyze.query import CteItem
            if cte.modify is not None and not cte.modify.output:
                raise PgError("0A000", f'WITH query "{cte.name}" does not have a RETURNING '
                              f"clause", position=state.pos(body.get("location")))
            alias = body.get("alias") or {}
            names = _apply_colnames(list(cte.colnames), alias, state) \
                if alias.get("colnames") else list(cte.colnames)
            rt = state.next_rt()
            entry = RangeEntry(rt, alias.get("aliasname") or cte.name, names,
                               list(cte.coltypes), kind="cte",
                               location=body.get("location", -1))
            from tuskdb.sql.analyze.rowtypes import note_record_columns
            note_record_columns(entry, cte.query)
            if cte.query is None and cte.worktable_base is not None:
                # the recursive term of a SEARCH / CYCLE query: the added columns are
                # not part of * (PostgreSQL's expandRTE)
                note_record_columns(entry, cte.worktable_base)
                entry.star_width = cte.star_width
            scope.add(entry)
            return CteItem(rt, cte, worktable=cte.recursive and not isinstance(cte.query,
                                                                               tuple))
    rel = lookup_relation(body, state)
    if rel.relkind not in ("r", "p", "v", "m", "S", "f", "t"):
        raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not a table')
    alias = body.get("alias") or {}
    names = [c.name for c in rel.columns]
    names = _apply_colnames(names, alias, state) if alias.get("colnames") else names
    rt = state.next_rt()
    entry = RangeEntry(rt, alias.get("aliasname") or rel.name, names,
                       [(c.type_oid, c.typmod) for c in rel.columns], rel=rel,
                       has_ctid=True, location=body.get("location", -1))
    entry.hidden = {c.name for c in rel.columns if c.dropped}
    entry.perm = state.add_perminfo(rel, "r")
    if rel.relkind == "m":
        from tuskdb.sql.commands.matview import check_scannable
        check_scannable(rel, state)
    if rel.relkind == "f" and not getattr(state, "opaque_views", False):
        # scanning needs the wrapper's handler (PostgreSQL fails while planning)
        from tuskdb.sql.commands.foreign_table import no_handler
        raise no_handler(state.catalog, rel)
    if rel.relkind == "v":
        if getattr(state, "opaque_views", False):
            # CREATE VIEW analyzes its query without rewriting the views it reads
            # (PostgreSQL expands views only when a query runs)
            entry.has_ctid = False
            scope.add(entry)
            return RelItem(rt, rel, entry.width)
        return _expand_view(rel, entry, body, state, scope)
    scope.add(entry)
    item = RelItem(rt, rel, entry.width)
    item.perm, item.alias = entry.perm, entry.alias
    from tuskdb.sql.rewrite.rowsecurity import rls_applies
    item.rls_deny = rls_applies(state, rel, getattr(entry.perm, "check_as", 0))
    if body.get("inh") and rel.children:
        from tuskdb.sql.analyze.inherit import expand_inheritance
        item.children = expand_inheritance(rel, state)
    return item


def view_is_security_invoker(rel: Any) -> bool:
    for opt in rel.extra.get("reloptions") or ():
        name, _, value = str(opt).partition("=")
        if name.lower() == "security_invoker":
            return value.lower() in ("true", "on", "1", "yes", "t", "y", "")
    return False


def _expand_view(rel: Any, entry: RangeEntry, body: dict, state: AnalyzeState,
                 scope: Scope) -> Any:
    """A view in FROM becomes its query as a subquery (PostgreSQL's rewriter)."""
    import json as _json

    if rel.view_query is None:
        raise PgError("XX000", f'view "{rel.name}" has no query')
    action = _json.loads(rel.view_query)
    depth = getattr(state, "view_depth", 0)
    if depth > 50:
        raise PgError("42P17", f'infinite recursion detected in rules for relation "{rel.name}"')
    saved = (state.lift, state.source, state.ctes, state.session, state.check_as)
    state.lift, state.ctes = None, []
    state.view_depth = depth + 1
    state.session = _ViewSession(state.session, action.get("search_path"))
    # a view reads its relations with its owner's rights; a security_invoker one with
    # those of whoever runs the statement (even inside another view)
    state.check_as = 0 if view_is_security_invoker(rel) else rel.owner
    try:
        q = analyze_select(action["query"]["SelectStmt"], state, [])
    finally:
        state.lift, state.source, state.ctes, state.session, state.check_as = saved
        state.view_depth = depth
    entry.kind = "subquery"
    entry.has_ctid = False
    entry.coltypes = [(o[1], o[2]) for o in q.output]
    scope.add(entry)
    item = SubqueryItem(entry.rt, q, view=rel)
    item.perm = entry.perm
    return item


class _ViewSession:
    """The session as a view's query sees it: the view creator's search_path."""

    def __init__(self, session: Any, search_path: str | None) -> None:
        self._s = session
        self._path = search_path

    def __getattr__(self, name: str) -> Any:
        return getattr(self._s, name)

    def search_path_oids(self, cat: Any) -> list[int]:
        if self._path is None:
            return self._s.search_path_oids(cat)
        from tuskdb.engine.session import _split_path
        # the session's temporary schema comes first, as in any search path (a temporary
        # view reads the temporary tables it was created over)
        temp = getattr(self._s, "temp_nsp", None)
        out = [temp, 11] if temp is not None else [11]
        for item in _split_path(self._path):
            item = self._s.user if item == "$user" else item
            oid = cat.namespace_oid(item)
            if oid is not None and oid not in out:
                out.append(oid)
        return out


def _join(body: dict, state: AnalyzeState, scope: Scope, outer: list[Scope]) -> Any:
    jt = body["jointype"]
    kind = {"JOIN_INNER": "INNER", "JOIN_LEFT": "LEFT", "JOIN_RIGHT": "RIGHT",
            "JOIN_FULL": "FULL"}.get(jt)
    if kind is None:
        raise PgError(FEATURE_NOT_SUPPORTED, f"join type {jt} is not supported")
    before = len(scope.entries)
    floor = scope.alias_floor
    if body.get("alias") is not None:
        scope.alias_floor = before      # the names inside are hidden behind the alias
    try:
        left = _from_item(body["larg"], state, scope, outer)
        left_entries = scope.entries[before:]
        mid = len(scope.entries)
        if kind in ("RIGHT", "FULL"):
            # the right side may not refer to the left one LATERALly (check_lateral_ref_ok)
            for e in left_entries:
                e.lateral_bad = True
        try:
            right = _from_item(body["rarg"], state, scope, outer)
        finally:
            for e in left_entries:
                e.lateral_bad = False
    finally:
        scope.alias_floor = floor
    right_entries = scope.entries[mid:]
    if kind in ("RIGHT", "FULL"):
        for e in left_entries:
            e.nullable = True
    if kind in ("LEFT", "FULL"):
        for e in right_entries:
            e.nullable = True
    quals = None
    lcols = _join_input_columns(left_entries)
    rcols = _join_input_columns(right_entries)
    using = [u["String"]["sval"] for u in body.get("usingClause") or []]
    if body.get("isNatural"):
        rnames = {n for n, _, _ in rcols}
        using = [n for n in dict.fromkeys(n for n, _, _ in lcols) if n in rnames]
    merged: list[tuple[str, Expr]] = []
    if using:
        conds = []
        seen: set[str] = set()
        for name in using:
            if name in seen:
                raise PgError("42701", f'column name "{name}" appears more than once in '
                              f"USING clause")
            seen.add(name)
            lv = _using_side(lcols, name, "left", state)
            rv = _using_side(rcols, name, "right", state)
            ec = ExprContext(state, scope, "JOIN/USING", None, outer)
            from tuskdb.sql.analyze.expr import make_op
            conds.append(make_op("=", lv, rv, ec))
            if kind == "FULL":
                t = select_common_type([lv, rv], "JOIN/USING")
                merged.append((name, Coalesce([coerce_to(lv, t), coerce_to(rv, t)], t)))
            elif kind == "RIGHT":
                merged.append((name, rv))
            else:
                merged.append((name, lv))
        quals = conds[0] if len(conds) == 1 else BoolExpr("AND", conds)
    elif body.get("quals") is not None:
        ec = ExprContext(state, scope, "JOIN conditions", None, outer)
        quals = require_bool(transform(body["quals"], ec), "JOIN/ON")
    elif kind != "INNER" or True:
        kind = "CROSS" if kind == "INNER" else kind
    # the join's own entry (PostgreSQL's join RTE): the merged columns, then the rest of
    # the left's and the right's; the inputs' columns are reached through it from now on
    cols = list(merged)
    sources: list = [None] * len(merged)    # merged columns were read by the join itself
    for side in (lcols, rcols):
        taken = {n for n, _ in merged}
        for n, e, i in side:
            if n in taken:
                taken.discard(n)        # the one instance USING merged
                continue
            # not read yet: privileges count it when the join's column is used
            cols.append((n, column_var(e, i, n, None, state, mark=False)))
            sources.append((e, i))
    for e in left_entries + right_entries:
        e.cols_visible = False
    alias = body.get("alias")
    names = [n for n, _ in cols]
    if alias is not None:
        names = _apply_colnames(names, alias, state)
        for e in left_entries + right_entries:
            e.visible = False           # an aliased join hides the names inside it
    entry = RangeEntry(state.next_rt(), alias["aliasname"] if alias else None, names,
                       [(x.type_oid, x.typmod) for _, x in cols], kind="join",
                       visible=alias is not None,
                       location=alias.get("location", -1) if alias else -1)
    entry.join_exprs = [x for _, x in cols]
    entry.join_sources = sources
    scope.add(entry)
    ualias = body.get("join_using_alias")
    if ualias is not None:
        # JOIN ... USING (...) AS name: the merged columns by that name only
        uentry = RangeEntry(state.next_rt(), ualias["aliasname"], [n for n, _ in merged],
                            [(x.type_oid, x.typmod) for _, x in merged], kind="join",
                            location=ualias.get("location", -1))
        uentry.join_exprs = [x for _, x in merged]
        uentry.cols_visible = False
        scope.add(uentry)
    return JoinItem(kind, left, right, quals)


def _join_input_columns(entries: list[RangeEntry]) -> list[tuple[str, RangeEntry, int]]:
    """The columns one side of a JOIN produces, in order: (name, entry, index)."""
    out = []
    for e in entries:
        if not e.cols_visible or e.qualified_only:
            continue
        for i, n in enumerate(e.colnames):
            if n not in e.hidden:
                out.append((n, e, i))
    return out


def _using_side(cols: list, name: str, side: str, state: AnalyzeState) -> Expr:
    found = [(e, i) for n, e, i in cols if n == name]
    if not found:
        raise PgError(UNDEFINED_COLUMN, f'column "{name}" specified in USING clause does '
                      f"not exist in {side} table")
    if len(found) > 1:
        raise PgError(AMBIGUOUS_COLUMN, f'common column name "{name}" appears more than '
                      f"once in {side} table")
    e, i = found[0]
    return column_var(e, i, name, None, state)


# -- target list ------------------------------------------------------------------


def figure_colname(node: dict) -> str:
    """The column name PostgreSQL gives an unnamed target (FigureColname)."""
    name, _ = _figure(node)
    return name or "?column?"


_JSON_COLNAMES = {
    "JsonObjectConstructor": "json_object", "JsonArrayConstructor": "json_array",
    "JsonArrayQueryConstructor": "json_array", "JsonObjectAgg": "json_objectagg",
    "JsonArrayAgg": "json_arrayagg", "JsonParseExpr": "json", "JsonScalarExpr": "json_scalar",
    "JsonSerializeExpr": "json_serialize",
}


def _figure(node: dict) -> tuple[str | None, int]:
    """(name, strength): 2 = a real name (column, function), 1 = a type name guess."""
    kind, body = next(iter(node.items()))
    if kind == "ColumnRef":
        f = body["fields"][-1]
        return (f["String"]["sval"], 2) if "String" in f else (None, 0)
    if kind == "A_Indirection":
        inds = body.get("indirection") or []
        for ind in reversed(inds):
            if "String" in ind:
                return ind["String"]["sval"], 2
        return _figure(body["arg"])
    if kind == "FuncCall":
        return body["funcname"][-1]["String"]["sval"], 2
    if kind == "TypeCast":
        name, strength = _figure(body["arg"])
        if strength <= 1:
            names = [n["String"]["sval"] for n in body["typeName"]["names"]]
            from tuskdb.sql.analyze.expr import _TYPE_ALIASES
            return _TYPE_ALIASES.get(names[-1], names[-1]), 1
        return name, strength
    if kind == "CollateClause":
        return _figure(body["arg"])
    if kind == "CaseExpr":
        if body.get("defresult"):
            name, strength = _figure(body["defresult"])
            if strength >= 2:
                return name, strength
        return "case", 1
    if kind == "CoalesceExpr":
        return "coalesce", 2
    if kind == "MergeSupportFunc":
        return "merge_action", 2
    if kind in _JSON_COLNAMES:
        return _JSON_COLNAMES[kind], 2
    if kind == "JsonFuncExpr":
        return {"JSON_EXISTS_OP": "json_exists", "JSON_VALUE_OP": "json_value",
                "JSON_QUERY_OP": "json_query"}.get(body["op"], "json_table"), 2
    if kind == "GroupingFunc":
        return "grouping", 2
    if kind == "XmlExpr":
        if body["op"] == "IS_DOCUMENT":
            return None, 0
        return body["op"][3:].lower(), 2
    if kind == "XmlSerialize":
        return "xmlserialize", 2
    if kind == "MinMaxExpr":
        return ("greatest" if body["op"] == "IS_GREATEST" else "least"), 2
    if kind == "A_Expr" and body.get("kind") == "AEXPR_NULLIF":
        return "nullif", 2
    if kind == "A_ArrayExpr":
        return "array", 2
    if kind == "RowExpr":
        return "row", 2
    if kind == "SubLink":
        t = body["subLinkType"]
        if t == "EXISTS_SUBLINK":
            return "exists", 2
        if t == "ARRAY_SUBLINK":
            return "array", 2
        if t == "EXPR_SUBLINK":
            sel = body["subselect"]["SelectStmt"]
            tl = sel.get("targetList") or []
            if tl:
                rt = tl[0]["ResTarget"]
                if rt.get("name"):
                    return rt["name"], 2
                return _figure(rt["val"])
        return None, 0
    if kind == "SQLValueFunction":
        return {"SVFOP_CURRENT_DATE": "current_date", "SVFOP_CURRENT_TIMESTAMP":
                "current_timestamp", "SVFOP_CURRENT_TIME": "current_time",
                "SVFOP_LOCALTIMESTAMP": "localtimestamp", "SVFOP_LOCALTIME": "localtime",
                "SVFOP_CURRENT_USER": "current_user", "SVFOP_CURRENT_ROLE": "current_role",
                "SVFOP_SESSION_USER": "session_user", "SVFOP_USER": "user",
                "SVFOP_CURRENT_CATALOG": "current_catalog",
                "SVFOP_CURRENT_SCHEMA": "current_schema"}.get(body["op"]), 2
    return None, 0


def _source_of(expr: Expr, scope: Scope) -> Any:
    if isinstance(expr, Var):
        for e in scope.entries:
            if e.rt == expr.rt and e.rel is not None and expr.attno < len(e.rel.columns):
                return (e.rel.oid, e.rel.columns[expr.attno].attnum)
    return None


def transform_targets(tlist: list[dict], ec: ExprContext) -> list[tuple[str, Expr]]:
    out: list[tuple[str, Expr]] = []
    for node in tlist:
        rt = node["ResTarget"]
        val = rt["val"]
        if "ColumnRef" in val and "A_Star" in val["ColumnRef"]["fields"][-1]:
            out += _expand_star(val["ColumnRef"], ec)
            continue
        if "A_Indirection" in val and "A_Star" in (val["A_Indirection"].get("indirection")
                                                    or [{}])[-1]:
            from tuskdb.sql.analyze.rowtypes import expand_indirection_star
            out += expand_indirection_star(val["A_Indirection"], ec)      # (x).*
            continue
        expr = transform(val, ec)
        name = rt.get("name") or figure_colname(val)
        out.append((name, expr))
    return out


def _expand_star(cref: dict, ec: ExprContext) -> list[tuple[str, Expr]]:
    fields = cref["fields"]
    scope = ec.scope
    loc = ec.state.pos(cref.get("location"))
    if len(fields) == 1:
        if not scope.entries:
            raise PgError(SYNTAX_ERROR, "SELECT * with no tables specified is not valid",
                          position=loc)
        out = []
        for e in scope.entries:
            if not e.cols_visible or e.qualified_only:
                continue
            for i, n in enumerate(e.colnames[:e.star_width]):
                if n in e.hidden:
                    continue
                out.append((n, column_var(e, i, n, None, ec.state)))
        return out
    table = fields[-2]["String"]["sval"]
    e = scope.find_entry(table)
    if e is None:
        # t.* of an enclosing query's FROM item: its columns as outer references
        for level, sc in enumerate(reversed(ec.outer), 1):
            oe = sc.find_entry(table)
            if oe is not None:
                from tuskdb.sql.expr import OuterVar
                ec.correlated = True
                return [(n, OuterVar(level, column_var(oe, i, n, None, ec.state)))
                        for i, n in enumerate(oe.colnames)
                        if not (oe.rel is not None and oe.rel.columns[i].dropped)]
        from tuskdb.sql.analyze.expr import raise_missing_table
        raise_missing_table(table, [scope] + list(reversed(ec.outer)), ec, loc)
    return [(n, column_var(e, i, n, None, ec.state))
            for i, n in enumerate(e.colnames[:e.star_width])
            if not (e.rel is not None and e.rel.columns[i].dropped)]


# -- the SELECT itself ------------------------------------------------------------


def _analyze_simple(body: dict, state: AnalyzeState, outer: list[Scope]) -> Query:
    # INSERT ... SELECT: unknown-typed literals of this (top-level) select list take
    # the target columns' types instead of text (PostgreSQL's transformInsertStmt)
    insert_types = getattr(state, "insert_target_types", None)
    state.insert_target_types = None
    # a set operation's branch leaves unknown-typed columns to the set operation's type
    # resolution (transformSetOperationTree analyzes leaves without resolve_unknowns)
    setop_leaf = getattr(state, "setop_leaf", False)
    state.setop_leaf = False
    scope = Scope()
    q = Query()
    if body.get("intoClause"):
        raise PgError(FEATURE_NOT_SUPPORTED, "SELECT INTO is not supported")
    q.from_items = transform_from(body.get("fromClause") or [], state, scope, outer)
    base = ExprContext(state, scope, "WHERE", None, outer)
    if body.get("whereClause") is not None:
        q.where = require_bool(transform(body["whereClause"], base), "WHERE")
    aggs: list[Agg] = []
    tec = ExprContext(state, scope, "SELECT", aggs, outer)
    tec.windows = q.windows
    for w in body.get("windowClause") or []:
        wd = w["WindowDef"]
        if wd["name"] in tec.named_windows:
            raise PgError("42P20", f'window "{wd["name"]}" is already defined',
                          position=state.pos(wd.get("location")))
        tec.named_windows[wd["name"]] = wd
    tec = tec.with_srfs(q.srfs)
    targets = transform_targets(body.get("targetList") or [], tec)
    if insert_types:
        targets = [(n, coerce_to(e, *insert_types[i]) if e.type_oid == UNKNOWN and i < len(
            insert_types) and isinstance(e, (Const, Literal)) else e)
            for i, (n, e) in enumerate(targets)]
    if not setop_leaf:
        targets = [(n, finalize_unknown(e)) for n, e in targets]
    having = None
    if body.get("havingClause") is not None:
        hec = ExprContext(state, scope, "HAVING", aggs, outer)
        having = require_bool(transform(body["havingClause"], hec), "HAVING")
    # ORDER BY
    sort: list[SortKey] = []
    sec = ExprContext(state, scope, "ORDER BY", aggs, outer)
    sec.windows = q.windows
    sec.named_windows = tec.named_windows
    junk: list[tuple[str, Expr]] = []
    distinct = body.get("distinctClause")
    for s in body.get("sortClause") or []:
        sb = s["SortBy"]
        expr = _sort_group_expr(sb["node"], targets, sec, "ORDER BY")
        if expr.type_oid == UNKNOWN:
            expr = coerce_to(expr, 25)
        if not any(expr is t for _, t in targets) and \
                not any(_same(expr, t) for _, t in targets):
            if distinct is not None and (not distinct or distinct == [{}]):
                raise PgError(INVALID_COLUMN_REFERENCE, "for SELECT DISTINCT, ORDER BY "
                              "expressions must appear in select list",
                              position=state.pos(_loc(sb["node"])))
            junk.append(("?junk?", expr))
        sort.append(_sort_key(expr, sb, state))
    # GROUP BY (after ORDER BY, as PostgreSQL transforms them: the first error reported
    # is the same)
    gec = ExprContext(state, scope, "GROUP BY", None, outer)
    groups: list[Expr] = []
    gitems = body.get("groupClause") or []
    from tuskdb.sql.analyze.grouping import has_grouping_sets
    if has_grouping_sets(gitems):
        q.grouping_sets = _grouping_sets(gitems, bool(body.get("groupDistinct")), targets,
                                         gec, groups, state)
    else:
        for g in gitems:
            if "RowExpr" in g and g["RowExpr"].get("row_format") == "COERCE_IMPLICIT_CAST":
                items = g["RowExpr"].get("args") or []      # GROUP BY (a, b): a, b
            else:
                items = [g]
            for item in items:
                groups.append(_sort_group_expr(item, targets, gec, "GROUP BY"))
                _require_equality(groups[-1], state.pos(_loc(item)))
    q.targets = [e for _, e in targets] + [e for _, e in junk]
    q.junk = len(junk)
    q.output = [(n, e.type_oid, e.typmod, _source_of(e, scope)) for n, e in targets]
    q.having = having
    q.sort = sort
    q.group_by = groups
    if body.get("lockingClause"):
        q.aggs = aggs
        _check_select_locking(q, body, distinct is not None)
    if distinct is not None:
        # before grouped columns are replaced: DISTINCT ON compares raw expressions
        if distinct and distinct != [{}]:
            _distinct_on(q, distinct, targets, sec, state)
        else:
            q.distinct = True
            for (_, e), rt in zip(targets, body.get("targetList") or []):
                _require_equality(e, state.pos(_loc(rt["ResTarget"].get("val") or {})))
    if groups or aggs or having is not None or q.grouping_sets is not None or \
            _grouping_used(q):
        q.has_agg = True
        _replace_grouped(q, aggs, scope, state)
    elif q.windows:
        pass
    q.aggs = aggs
    _limits(body, q, state, outer)
    if body.get("lockingClause"):
        q.locking = body["lockingClause"]
        q.lock_rts = [it.rt for it in _walk_items(q.from_items) if isinstance(it, RelItem)]
        _lock_privileges(q, body["lockingClause"])
        for it in _walk_items(q.from_items):
            if isinstance(it, RelItem) and it.rel.relkind == "m":
                raise PgError(WRONG_OBJECT_TYPE, f'cannot lock rows in materialized view '
                              f'"{it.rel.name}"')
    return q


def _lock_privileges(q: Query, clauses: list[dict]) -> None:
    """Locking rows needs UPDATE on their tables, besides SELECT (applyLockingClause's
    ACL_SELECT_FOR_UPDATE): every table, or those the OF lists name."""
    named: set[str] | None = set()
    for c in clauses:
        rels = c["LockingClause"].get("lockedRels")
        if not rels:
            named = None
            break
        named |= {r["RangeVar"]["relname"] for r in rels}
    _mark_locked(q.from_items, named)


def _mark_locked(items: list, named: set[str] | None) -> None:
    for it in _walk_items(items):
        perm = getattr(it, "perm", None)
        if perm is None:
            continue
        name = it.alias if isinstance(it, RelItem) else getattr(getattr(it, "view", None),
                                                                "name", None)
        if named is not None and name not in named:
            continue
        if "w" not in perm.required:
            perm.required += "w"
        if isinstance(it, SubqueryItem) and it.view is not None:
            _mark_locked(getattr(it.query, "from_items", None) or [], None)   # a view's too


_LOCKING_STRENGTH = {"LCS_FORKEYSHARE": "FOR KEY SHARE", "LCS_FORSHARE": "FOR SHARE",
                     "LCS_FORNOKEYUPDATE": "FOR NO KEY UPDATE", "LCS_FORUPDATE": "FOR UPDATE"}


def _check_select_locking(q: Query, body: dict, has_distinct: bool) -> None:
    """PostgreSQL's CheckSelectLocking: what a row-locking clause cannot be used with."""
    first = body["lockingClause"][0]
    lc = first.get("LockingClause", first)
    what = _LOCKING_STRENGTH.get(lc.get("strength", "LCS_FORUPDATE"), "FOR UPDATE")
    reason = None
    if has_distinct:
        reason = "DISTINCT clause"
    elif body.get("groupClause"):
        reason = "GROUP BY clause"
    elif body.get("havingClause") is not None:
        reason = "HAVING clause"
    elif q.aggs:
        reason = "aggregate functions"
    elif q.windows:
        reason = "window functions"
    elif q.srfs:
        reason = "set-returning functions in the target list"
    if reason is not None:
        raise PgError(FEATURE_NOT_SUPPORTED, f"{what} is not allowed with {reason}")


def _distinct_on(q: Query, items: list[dict], targets: list, ec: ExprContext,
                 state: AnalyzeState) -> None:
    """SELECT DISTINCT ON (exprs): keep the first row of each group in ORDER BY order."""
    keys = []
    for node in items:
        e = _sort_group_expr(node, targets, ec, "DISTINCT ON")
        _require_equality(e, state.pos(_loc(node)))
        idx = None
        for i, t in enumerate(q.targets):
            if _same(e, t):
                idx = i
                break
        if idx is None:
            q.targets.append(e)
            q.junk += 1
            idx = len(q.targets) - 1
        keys.append(idx)
    # the ORDER BY must start with the DISTINCT ON expressions (in any order): after an
    # ORDER BY item that is not one of them, none may follow, as in
    # transformDistinctOnClause (the error points at the DISTINCT ON item concerned)
    def mismatch(k: int) -> PgError:
        return PgError(INVALID_COLUMN_REFERENCE, "SELECT DISTINCT ON expressions must match "
                       "initial ORDER BY expressions", position=state.pos(_loc(items[k])))
    skipped = False
    matched: set[int] = set()
    for sk in q.sort:
        ti = next((i for i, t in enumerate(q.targets) if _same(sk.expr, t)), -1)
        if ti in keys:
            if skipped:
                raise mismatch(keys.index(ti))
            matched.add(ti)
        else:
            skipped = True
    for k, ti in enumerate(keys):
        if ti not in matched and skipped:
            raise mismatch(k)
    if not q.sort:
        for i in keys:
            e = q.targets[i]
            q.sort.append(_sort_key(e, {"node": {"A_Const": {"ival": {"ival": i + 1}}}}, state))
    q.distinct_on = keys


def _loc(node: dict) -> int | None:
    body = next(iter(node.values()))
    return body.get("location") if isinstance(body, dict) else None


def _with_ties_pos(body: dict, state: AnalyzeState) -> int | None:
    """Where WITH TIES is written (the first WITH after the row count)."""
    from tuskdb.sql import parser
    start = _loc(body["limitCount"]) or 0
    try:
        for tok in parser.scan(state.source):
            if tok.start >= start and state.source[tok.start:tok.end + 1].lower() == "with":
                return state.pos(tok.start)
    except Exception:
        return None
    return None


def _limits(body: dict, q: Query, state: AnalyzeState, outer: list[Scope]) -> None:
    lec = ExprContext(state, Scope(), "LIMIT", None, outer)
    if body.get("limitCount") is not None:
        e = transform(body["limitCount"], lec)
        q.limit = coerce_to(e, 20) if e.type_oid != 20 else e
        if body.get("limitOption") == "LIMIT_OPTION_WITH_TIES":
            if not q.sort:
                raise PgError(SYNTAX_ERROR, "WITH TIES cannot be specified without ORDER BY "
                              "clause", position=_with_ties_pos(body, state))
            q.with_ties = True
    if body.get("limitOffset") is not None:
        e = transform(body["limitOffset"], ExprContext(state, Scope(), "OFFSET", None, outer))
        q.offset = coerce_to(e, 20) if e.type_oid != 20 else e


def _sort_group_expr(node: dict, targets: list[tuple[str, Expr]], ec: ExprContext,
                     clause: str) -> Expr:
    """ORDER BY / GROUP BY item: an output column name, a position, or an expression."""
    kind, body = next(iter(node.items()))
    if kind == "A_Const" and "ival" in body:
        n = body["ival"].get("ival", 0)
        if ec.state.lift is not None and id(body) in ec.state.lift:
            ec.state.structural[ec.state.lift[id(body)]] = n
        if n < 1 or n > len(targets):
            raise PgError(INVALID_COLUMN_REFERENCE, f"{clause} position {n} is not in select "
                          f"list", position=ec.state.pos(body.get("location")))
        return targets[n - 1][1]
    if kind == "ColumnRef" and len(body["fields"]) == 1 and "String" in body["fields"][0]:
        name = body["fields"][0]["String"]["sval"]
        if clause == "ORDER BY":
            matches = [e for n, e in targets if n == name]
            if matches:
                if len(matches) > 1 and not all(_same(matches[0], m) for m in matches[1:]):
                    raise PgError(AMBIGUOUS_COLUMN, f'ORDER BY "{name}" is ambiguous',
                                  position=ec.state.pos(body.get("location")))
                return matches[0]
        else:
            # GROUP BY: input columns take precedence over output names
            try:
                return transform(node, ec)
            except PgError as err:
                if err.sqlstate != UNDEFINED_COLUMN:
                    raise
                matches = [e for n, e in targets if n == name]
                if matches:
                    return matches[0]
                raise
    return transform(node, ec)


# types without any equality operator (besides the geometric ones)
NO_EQUALITY = frozenset((114, 142))     # json, xml


def _require_equality(expr: Expr, pos: int | None) -> None:
    """GROUP BY / DISTINCT need a default btree/hash equality: the geometric types
    have none (their = compares areas or lengths), json and xml have no = at all."""
    t = types.TYPES.get(expr.type_oid)
    if t is not None and (t.category == "G" or t.oid in NO_EQUALITY):
        from tuskdb.sql.analyze.coerce import type_name
        raise PgError("42883", f"could not identify an equality operator for type "
                      f"{type_name(expr.type_oid)}", position=pos)


def sortby_desc(expr: Expr, sb: dict, state: AnalyzeState) -> bool:
    """Whether a SortBy sorts descending: DESC, or USING the type's > ordering
    operator (USING < is ascending; any other operator is refused)."""
    desc = sb.get("sortby_dir") == "SORTBY_DESC"
    if sb.get("sortby_dir") == "SORTBY_USING":
        # ORDER BY x USING op: op must be the type's btree < or > (ordering operator)
        opname = sb["useOp"][-1]["String"]["sval"]
        t = expr.type_oid
        try:
            op = resolve_operator(opname, t, t)
        except PgError:
            op = None
        if op is None or opname not in ("<", ">", "~<~", "~>~"):
            raise PgError("42809", f"operator {opname} is not a valid ordering operator",
                          position=state.pos(sb.get("location")),
                          hint="Ordering operators must be \"<\" or \">\" members of btree "
                          "operator families.")
        desc = opname in (">", "~>~")
    return desc


def _sort_key(expr: Expr, sb: dict, state: AnalyzeState) -> SortKey:
    desc = sortby_desc(expr, sb, state)
    nulls = sb.get("sortby_nulls", "SORTBY_NULLS_DEFAULT")
    nulls_first = desc if nulls == "SORTBY_NULLS_DEFAULT" else nulls == "SORTBY_NULLS_FIRST"
    t = expr.type_oid
    try:
        tt = types.TYPES.get(t)
        if tt is not None and tt.category == "G":      # no default btree operator class
            raise PgError("42883", "no ordering")
        lt = resolve_operator("<", t, t).func
        if t >= 16384 or t == 2249:
            from tuskdb.sql.analyze.rowtypes import check_ordering
            check_ordering(t)
    except PgError:
        from tuskdb.sql.analyze.coerce import type_name
        raise PgError("42883", f"could not identify an ordering operator for type "
                      f"{type_name(t)}", hint="Use an explicit ordering operator or modify "
                      "the query.", position=state.pos(_loc(sb["node"]))) from None
    return SortKey(expr, desc, nulls_first, lt)


# -- grouping -----------------------------------------------------------------------


def expr_key(e: Expr, lits: list | None = None) -> Any:
    """A structural key: equal keys mean equal expressions.

    With ``lits``, lifted literals are keyed by their value (GROUP BY a/2 matches
    a/2 in the target list, as PostgreSQL compares constants) and each one met is
    appended to ``lits`` as (slot, value): a plan that relied on such a match is
    reused only for the same literal values (AnalyzeState.structural)."""
    if isinstance(e, Var):
        return ("Var", e.rt, e.attno)
    if isinstance(e, Const):
        return ("Const", e.type_oid, repr(e.value))
    if isinstance(e, Literal):
        value = getattr(e, "value", None)
        if lits is None or value is None:
            return ("Lit", e.slot, e.type_oid)
        lits.append((e.slot, value))
        return ("LitV", e.type_oid, e.typmod, type(value).__name__, str(value))
    if isinstance(e, Param):
        return ("Param", e.number, e.type_oid)
    if isinstance(e, OuterVar):
        return ("Outer", e.level, e.var.rt, e.var.attno)
    if isinstance(e, Agg):
        return ("Agg", id(e))
    if isinstance(e, SubLink):
        return ("Sub", id(e))
    if isinstance(e, Func):
        # by name and type, not by callable: casts build a new closure each time
        op = getattr(e, "op", None)
        return ("Func", e.name, e.type_oid, e.typmod, getattr(e, "cast", None),
                getattr(op, "oid", None), e.volatile and id(e),
                tuple(expr_key(c, lits) for c in e.args))
    return (type(e).__name__, getattr(e, "fn", None), getattr(e, "op", None),
            getattr(e, "is_null", None), getattr(e, "kind", None),
            getattr(e, "use_or", None), getattr(e, "type_oid", None),
            tuple(expr_key(c, lits) for c in e.children() if c is not None))


def _same(a: Expr, b: Expr) -> bool:
    return a is b or expr_key(a) == expr_key(b)


def _grouping_sets(items: list[dict], distinct: bool, targets: list, gec: ExprContext,
                   groups: list[Expr], state: AnalyzeState) -> list[list[int]]:
    """GROUP BY with GROUPING SETS / ROLLUP / CUBE (analyze/grouping.py)."""
    from tuskdb.sql.analyze.grouping import transform_grouping_sets
    keys: list = []

    def index_of(node: dict) -> int:
        e = _sort_group_expr(node, targets, gec, "GROUP BY")
        _require_equality(e, state.pos(_loc(node)))
        k = expr_key(e)
        if k in keys:
            return keys.index(k)
        keys.append(k)
        groups.append(e)
        return len(groups) - 1
    return transform_grouping_sets(items, distinct, index_of)


def _grouping_used(q: Query) -> bool:
    from tuskdb.sql.analyze.grouping import contains_grouping
    return contains_grouping(list(q.targets) + [q.having] + [s.expr for s in q.sort])


def _replace_grouped(q: Query, aggs: list[Agg], scope: Scope, state: AnalyzeState) -> None:
    from tuskdb.sql.analyze.grouping import GroupingFunc, grouping_mask_expr
    glits: list[list] = [[] for _ in q.group_by]
    gkeys = [expr_key(g, glits[i]) for i, g in enumerate(q.group_by)]
    local_rts = {e.rt for e in scope.entries}

    if state.outer_grouping:
        from tuskdb.sql.analyze.grouping import resolve_outer_grouping
        resolve_outer_grouping(state, scope, gkeys, expr_key, q.grouping_sets is not None)
    mine = [ov for sc, ov in state.outer_refs if sc is scope]
    if mine:
        state.outer_refs = [(sc, ov) for sc, ov in state.outer_refs if sc is not scope]
        for ov in mine:
            if isinstance(ov.var.rt, tuple):
                continue
            k = expr_key(ov.var)
            if k in gkeys:
                v = ov.var
                ov.var = Var(("g", 0), gkeys.index(k), v.type_oid, v.typmod, v.name)
            elif ov.var.rt in local_rts:
                ent = next(x for x in scope.entries if x.rt == ov.var.rt)
                raise PgError(GROUPING_ERROR, f'subquery uses ungrouped column '
                              f'"{ent.alias}.{ov.var.name}" from outer query',
                              position=ov.var.location)

    def rep(e: Expr, where: str) -> Expr:
        if isinstance(e, GroupingFunc):
            if e.level:
                return e            # an enclosing level's GROUPING: resolved there
            return grouping_mask_expr(e, gkeys, expr_key, q.grouping_sets is not None)
        lits: list = []
        k = expr_key(e, lits)
        if k in gkeys:
            i = gkeys.index(k)
            for slot, value in lits + glits[i]:
                state.structural[slot] = value
            return Var(("g", 0), i, e.type_oid, e.typmod, getattr(e, "name", "?column?"))
        if isinstance(e, Agg):
            return Var(("a", 0), _agg_index(aggs, e), e.type_oid, e.typmod)
        if isinstance(e, Var):
            if e.rt in local_rts:
                ent = next(x for x in scope.entries if x.rt == e.rt)
                if _functionally_dependent(e, ent, gkeys, state):
                    # grouped by the table's primary key: the column is determined by it
                    q.group_by.append(e)
                    gkeys.append(k)
                    glits.append([])
                    if q.grouping_sets is not None:
                        for gs in q.grouping_sets:
                            gs.append(len(q.group_by) - 1)
                    return Var(("g", 0), len(q.group_by) - 1, e.type_oid, e.typmod,
                               getattr(e, "name", "?column?"))
                raise PgError(GROUPING_ERROR, f'column "{ent.alias}.{e.name}" must appear in '
                              f"the GROUP BY clause or be used in an aggregate function",
                              position=e.location)
            return e
        return _map_children(e, lambda c: rep(c, where))

    q.targets = [rep(t, "SELECT") for t in q.targets]
    for call in q.srfs:
        call.args = [rep(a, "SELECT") for a in call.args]
    for w in q.windows:
        w.args = [rep(a, "SELECT") for a in w.args]
        w.spec.partition = [rep(a, "SELECT") for a in w.spec.partition]
        for sk in w.spec.order:
            sk.expr = rep(sk.expr, "SELECT")
        if w.filter is not None:
            w.filter = rep(w.filter, "SELECT")
    if q.having is not None:
        q.having = rep(q.having, "HAVING")
    for s in q.sort:
        s.expr = rep(s.expr, "ORDER BY")


def _functionally_dependent(e: Var, ent: RangeEntry, gkeys: list,
                            state: AnalyzeState) -> bool:
    """PostgreSQL's check_functional_grouping: a column of a table whose primary key
    columns are all grouped (as plain columns of that same table) may be used.  The
    primary-key constraint relied on is remembered in ``state.constraint_deps``: a view
    depends on it, and dropping it invalidates prepared plans."""
    rel = ent.rel
    if rel is None or ent.kind != "relation" or rel.relkind not in ("r", "p"):
        return False
    for ix in rel.indexes:
        if ix.primary and ix.valid and ix.attnums and \
                all(("Var", e.rt, a - 1) in gkeys for a in ix.attnums):
            from tuskdb.catalog.rows import COLUMN_POS
            k = COLUMN_POS["pg_constraint"]
            for _, con in state.catalog.find("pg_constraint", conrelid=rel.oid,
                                             conindid=ix.oid):
                if con[k["contype"]] == "p":
                    state.constraint_deps.add(con[k["oid"]])
            return True
    return False


def _agg_index(aggs: list[Agg], a: Agg) -> int:
    for i, x in enumerate(aggs):
        if x is a:
            return i
    aggs.append(a)
    return len(aggs) - 1


def _map_children(e: Expr, f: Any) -> Expr:
    """Rebuild ``e`` with ``f`` applied to its direct children."""
    if isinstance(e, Func):
        n = Func(e.fn, [f(a) for a in e.args], e.type_oid, e.typmod, e.strict, e.name,
                 e.needs_ctx, e.volatile)
        if hasattr(e, "op"):
            n.op = e.op
        if hasattr(e, "sa_op"):
            n.sa_op = e.sa_op
        if hasattr(e, "sql_syntax"):
            n.sql_syntax = e.sql_syntax
        if hasattr(e, "svf"):
            n.svf = e.svf
        return n
    if isinstance(e, BoolExpr):
        return BoolExpr(e.op, [f(a) for a in e.args])
    if isinstance(e, NullTest):
        return NullTest(f(e.arg), e.is_null)
    if isinstance(e, Case):
        n = Case([(f(c), f(r)) for c, r in e.whens],
                 f(e.default) if e.default is not None else None, e.type_oid, e.typmod)
        if hasattr(e, "case_arg"):
            n.case_arg = f(e.case_arg)
        return n
    if isinstance(e, Coalesce):
        return Coalesce([f(a) for a in e.args], e.type_oid, e.typmod)
    if isinstance(e, MinMax):
        return MinMax([f(a) for a in e.args], e.is_greatest, e.type_oid, e.typmod, e.lt)
    if isinstance(e, NullIf):
        return NullIf(f(e.left), f(e.right), e.eq, e.type_oid, e.typmod)
    if isinstance(e, InList):
        return InList(f(e.left), [f(i) for i in e.items], e.op, e.use_or)
    from tuskdb.sql.expr import BoolTest
    if isinstance(e, BoolTest):
        return BoolTest(f(e.arg), e.kind)
    if isinstance(e, SubLink):
        if e.test is not None:
            return SubLink(e.kind, e.plan, f(e.test), e.op, e.type_oid, e.typmod, e.correlated)
        return e
    return e


# -- VALUES and set operations --------------------------------------------------------


def _analyze_values(body: dict, state: AnalyzeState, outer: list[Scope]) -> Query:
    ec = ExprContext(state, Scope(), "VALUES", None, outer)
    rows = []
    from tuskdb.sql.analyze.rowtypes import RowExpr
    for lst in body["valuesLists"]:
        items = lst["List"]["items"]
        row: list[Expr] = []
        for i in items:
            e = transform(i, ec)
            fields = i.get("ColumnRef", {}).get("fields") if isinstance(i, dict) else None
            if fields and "A_Star" in fields[-1] and isinstance(e, RowExpr):
                row.extend(e.args)      # x.* in a VALUES list stands for x's columns
            else:
                row.append(e)
        rows.append(row)
    width = len(rows[0])
    for r in rows:
        if len(r) != width:
            raise PgError(SYNTAX_ERROR, "VALUES lists must all be the same length")
    col_types = []
    for c in range(width):
        t = select_common_type([r[c] for r in rows], "VALUES")
        col_types.append((t, -1))
        for r in rows:
            r[c] = coerce_to(r[c], t)
    rt = state.next_rt()
    q = Query()
    q.from_items = [ValuesItem(rt, rows, col_types)]
    q.targets = [Var(rt, i, t, m, f"column{i + 1}") for i, (t, m) in enumerate(col_types)]
    q.output = [(f"column{i + 1}", t, m, None) for i, (t, m) in enumerate(col_types)]
    _order_limit_on_output(body, q, state, outer)
    return q


def _analyze_setop(body: dict, state: AnalyzeState, outer: list[Scope]) -> Query:
    op = {"SETOP_UNION": "UNION", "SETOP_INTERSECT": "INTERSECT",
          "SETOP_EXCEPT": "EXCEPT"}[body["op"]]
    state.setop_leaf = True
    left = analyze_select(body["larg"]["SelectStmt"] if "SelectStmt" in body["larg"]
                          else body["larg"], state, outer)
    state.setop_leaf = True
    right = analyze_select(body["rarg"]["SelectStmt"] if "SelectStmt" in body["rarg"]
                           else body["rarg"], state, outer)
    state.setop_leaf = False
    if len(left.output) != len(right.output):
        raise PgError(SYNTAX_ERROR, f"each {op} query must have the same number of columns")
    out = []
    for i, (lo, ro) in enumerate(zip(left.output, right.output)):
        lv = Var(("l", 0), i, lo[1])
        rv = Var(("r", 0), i, ro[1])
        lv.location = _leaf_target_pos(body["larg"], i, state)
        rv.location = _leaf_target_pos(body["rarg"], i, state)
        t = select_common_type([lv, rv], op)
        if not body.get("all"):
            larg = body["larg"].get("SelectStmt", body["larg"])
            tl = larg.get("targetList") or []
            _require_equality(Var(("l", 0), i, t), state.pos(
                _loc(tl[i]["ResTarget"].get("val") or {})) if i < len(tl) else None)
        _coerce_output(left, i, t)
        _coerce_output(right, i, t)
        out.append((lo[0], t, -1, None))
    q = Query()
    q.setop = (op, bool(body.get("all")), left, right)
    rt = state.next_rt()
    q.output = out
    q.from_items = [("setop", rt)]
    q.targets = [Var(rt, i, t, m, n) for i, (n, t, m, _) in enumerate(out)]
    q.setop_rt = rt
    _order_limit_on_output(body, q, state, outer)
    return q


def _leaf_target_pos(node: dict, i: int, state: AnalyzeState) -> int | None:
    """Where column ``i`` of a set operation's branch is written (its leftmost leaf's)."""
    body = node.get("SelectStmt", node)
    while body.get("op") not in (None, "SETOP_NONE"):
        body = body["larg"].get("SelectStmt", body["larg"])
    tl = body.get("targetList") or []
    if i < len(tl):
        return state.pos(_loc(tl[i]["ResTarget"].get("val") or {}))
    return None


def _coerce_output(q: Query, i: int, t: int) -> None:
    e = q.targets[i]
    if e.type_oid != t and q.setop is not None and e.type_oid != UNKNOWN:
        # a nested set operation: its branches produce the column, coerce them
        _, _, left, right = q.setop
        _coerce_output(left, i, t)
        _coerce_output(right, i, t)
        q.targets[i] = Var(e.rt, e.attno, t, -1, getattr(e, "name", "?column?"))
        n, _, _, src = q.output[i]
        q.output[i] = (n, t, -1, src)
        return
    if e.type_oid != t:
        if e.type_oid == UNKNOWN:
            q.targets[i] = coerce_to(e, t)
        else:
            from tuskdb.sql.analyze.coerce import can_coerce
            if not can_coerce(e.type_oid, t):
                raise PgError(DATATYPE_MISMATCH, "set-operation types cannot be matched")
            q.targets[i] = coerce_to(e, t)
        n, _, _, src = q.output[i]
        q.output[i] = (n, t, -1, src)


def _order_limit_on_output(body: dict, q: Query, state: AnalyzeState,
                           outer: list[Scope]) -> None:
    """ORDER BY/LIMIT over VALUES or a set operation: by output name or position."""
    scope = Scope()
    rt = q.targets[0].rt if q.targets and isinstance(q.targets[0], Var) else state.next_rt()
    values = bool(q.from_items) and isinstance(q.from_items[0], ValuesItem) and \
        q.from_items[0].rt == rt
    scope.add(RangeEntry(rt, None, [o[0] for o in q.output],
                         [(o[1], o[2]) for o in q.output],
                         kind="values" if values else "subquery", visible=False))
    targets = [(o[0], t) for o, t in zip(q.output, q.targets)]
    ec = ExprContext(state, scope, "ORDER BY", None, outer)
    for s in body.get("sortClause") or []:
        sb = s["SortBy"]
        expr = _sort_group_expr(sb["node"], targets, ec, "ORDER BY")
        if not any(_same(expr, t) for _, t in targets):
            raise PgError(FEATURE_NOT_SUPPORTED, "ORDER BY on a UNION/INTERSECT/EXCEPT result "
                          "must be on one of the result columns")
        q.sort.append(_sort_key(expr, sb, state))
    _limits(body, q, state, outer)
