"""An analyzed SELECT back to SQL text (ruleutils' get_query_def), for
pg_get_viewdef, psql's "View definition:" and information_schema.views.

The view's stored raw tree is analyzed as a query of its own; the analyzed form
gives the expressions (with the casts analysis added) and the raw tree gives what
analysis does not keep (how joins were written: USING lists). Both pg_get_viewdef
forms indent clauses on lines of their own; the pretty form also drops the
parentheses that precedence makes unnecessary. Shapes not handled yet raise
0A000 rather than print something that is not what PostgreSQL prints.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

from tuskdb.errors import FEATURE_NOT_SUPPORTED, PgError
from tuskdb.sql.analyze.query import (FunctionItem, JoinItem, Query, RelItem, SubqueryItem,
                                     ValuesItem)
from tuskdb.sql.deparse import Deparser, quote_ident
from tuskdb.sql.expr import (Agg, BoolExpr, Case, Const, Expr, Func, OuterVar, Param, SRFCall,
                             SubLink, Var)

# raw constructs analysis folds away though PostgreSQL prints them back
_ERASED = ("CollateClause", "NamedArgExpr", "func_variadic", "RowExpr",
           "GroupingSet", "RangeTableFunc",
           "JsonTable", "A_ArrayExpr",
           "AEXPR_DISTINCT", "AEXPR_NOT_DISTINCT", "AEXPR_NULLIF", "AEXPR_NOT_BETWEEN",
           "AEXPR_BETWEEN_SYM", "AEXPR_NOT_BETWEEN_SYM", "A_Indirection",
           "ParamRef", "JsonObjectConstructor", "JsonArrayConstructor", "JsonIsPredicate",
           "JsonFuncExpr", "JsonParseExpr", "JsonScalarExpr", "JsonSerializeExpr",
           "JsonObjectAgg", "JsonArrayAgg", "JsonArrayQueryConstructor", "useOp")


_PROCS: set[str] = set()


def _builtin_procs() -> set[str]:
    if not _PROCS:
        from tuskdb.types.catdata import PROCS
        _PROCS.update(p[1] for p in PROCS)
    return _PROCS


def _unsupported(what: str) -> PgError:
    return PgError(FEATURE_NOT_SUPPORTED, f"pg_get_viewdef is not supported for {what}")


class QueryDeparser(Deparser):
    """Deparser whose column references name their range entry when the query has
    more than one (PostgreSQL's varprefix)."""

    def __init__(self, tctx: Any, pretty: bool, regclass_name: Any, relname: Any) -> None:
        super().__init__(tctx, pretty, regclass_name)
        self.proc_exists: Any = lambda name: True
        self.session: Any = None
        self.stack: list[tuple] = []        # enclosing levels: (refnames, varprefix, query)
        self.indent = 0                     # spaces before this level's clause lines
        self.in_where = False
        self.refnames: dict[int, tuple[str, Any]] = {}
        self.varprefix = False
        self.query: Query | None = None
        self.argnames: list[str] | None = None     # a SQL function body's argument names
        self.funcname = ""
        self.force_prefix = False           # columns always qualified (function bodies)
        self.case_indent = 0                # CASE nesting: 4 more spaces a level

    def case(self, e: Case) -> str:
        """CASE over lines of its own (PRETTY_INDENT): it starts on a new line, the
        whitespace before it dropped (_BREAK)."""
        base = self.indent + 8 + self.case_indent
        self.case_indent += 4
        try:
            arg = getattr(e, "case_arg", None)
            head = "CASE"
            if arg is not None:
                head += " " + self.expr(arg, True)
            lines = [head]
            for c, r in e.whens:
                if arg is not None:
                    if not (isinstance(c, Func) and len(c.args) == 2):
                        raise _unsupported("this CASE")
                    c = c.args[1]
                lines.append(f"    WHEN {self.expr(c, True)} THEN {self.expr(r, True)}")
            default = e.default if e.default is not None else Const(None, e.type_oid,
                                                                    e.typmod)
            lines.append(f"    ELSE {self.expr(default, True)}")
            lines.append("END")
        finally:
            self.case_indent -= 4
        return _BREAK + "".join("\n" + " " * base + ln for ln in lines)

    def unknown(self, e: Expr) -> str:
        raise _unsupported(f"expression {type(e).__name__}")

    def expr(self, e: Expr, top: bool = True) -> str:
        if isinstance(e, Var):
            return self.var(e)
        if isinstance(e, Agg):
            return self.agg(e)
        if isinstance(e, Case):
            return self.case(e)
        if isinstance(e, Param) and self.argnames and 0 < e.number <= len(self.argnames) \
                and self.argnames[e.number - 1]:
            # a SQL function's argument by name, qualified by the function's name when
            # any level has a range table (ruleutils' get_parameter)
            name = quote_ident(self.argnames[e.number - 1])
            if self.refnames or any(lvl[0] for lvl in self.stack):
                return f"{quote_ident(self.funcname)}.{name}"
            return name
        if isinstance(e, OuterVar):
            if not 1 <= e.level <= len(self.stack):
                raise _unsupported("this column reference")
            # qualified by the inner level's rule (a subquery always qualifies)
            saved = (self.refnames, self.query)
            self.refnames, _, self.query = self.stack[-e.level]
            try:
                return self.var(e.var)
            finally:
                self.refnames, self.query = saved
        if isinstance(e, SubLink):
            return self.sublink(e, top)
        if getattr(e, "whole_row_name", None):            # a whole-row reference
            ent = self.refnames.get(getattr(e, "whole_row_rt", None))
            if ent is None:
                raise _unsupported("this whole-row reference")
            return f"{quote_ident(ent[0])}.*"
        if isinstance(e, SRFCall):
            if not e.name or not e.name[0].isalpha() or not self.proc_exists(e.name):
                raise _unsupported(f"expression {e.name}")
            return f"{quote_ident(e.name)}(" + ", ".join(self.expr(a, True)
                                                         for a in e.args) + ")"
        return super().expr(e, top)

    def boolexpr(self, e: Any, top: bool) -> str:
        if e.op == "NOT" and self.pretty:
            # under NOT only an AND/OR needs parentheses (ruleutils' isSimpleNode)
            a = e.args[0]
            inner = self.expr(a, not (isinstance(a, BoolExpr) and a.op != "NOT"))
            return self.paren(f"NOT {inner}", top)
        return super().boolexpr(e, top)

    def func(self, e: Any, top: bool) -> str:
        cast = getattr(e, "cast", None)
        if cast is not None and cast[1] >= 0 and not cast[2] and e.args:
            inner = e.args[0]
            ic = getattr(inner, "cast", None)
            if isinstance(inner, Func) and ic is not None and ic[0] == cast[0] and ic[1] < 0:
                # a length coercion over the cast to its type prints as one cast
                e = copy.copy(e)
                e.args = [inner.args[0]]
        if getattr(e, "cast", None) is None and getattr(e, "op", None) is None and \
                getattr(e, "svf", None) is None and getattr(e, "sql_syntax", None) is None and \
                getattr(e, "subscripts", None) is None and getattr(e, "xmlform", None) is None \
                and getattr(e, "sa_op", None) is None and e.name not in ("relabel", "ctid") \
                and e.name and e.name[0].isalpha() and not self.proc_exists(e.name):
            # an analyzer-internal call (IS DISTINCT FROM, ARRAY[...], ...)
            raise _unsupported(f"expression {e.name}")
        return super().func(e, top)

    def in_list_array(self, e: Any) -> str:
        # the analyzed list is an ARRAY[...] constructor (folding is the planner's)
        return "ARRAY[" + ", ".join(self.expr(i, True) for i in e.items) + "]"

    def var(self, v: Var) -> str:
        if isinstance(v.rt, tuple):
            kind, n = v.rt[0], v.attno      # ('a'|'g'|'w', 0), index
            q = self.query
            if kind == "a" and q is not None and 0 <= n < len(q.aggs):
                return self.agg(q.aggs[n])
            if kind == "g" and q is not None and 0 <= n < len(q.group_by):
                return self.expr(q.group_by[n], False)
            if kind == "w" and q is not None and 0 <= n < len(q.windows):
                return self.window_call(q.windows[n])
            raise _unsupported("this column reference")
        ent = self.refnames.get(v.rt)
        if ent is None:
            raise _unsupported("this column reference")
        name, cols = ent
        if not 0 <= v.attno < len(cols):
            raise _unsupported("a system column")
        col = quote_ident(cols[v.attno])
        return f"{quote_ident(name)}.{col}" if self.varprefix else col

    def sublink(self, e: SubLink, top: bool) -> str:
        raw = getattr(e, "raw", None)
        q = e.plan
        if raw is None or not isinstance(q, Query) or not self.in_where or \
                e.kind not in ("EXISTS", "EXPR", "ANY"):
            raise _unsupported("this subquery")
        body = self.nested(q, raw["subselect"]["SelectStmt"])
        if e.kind == "EXISTS":
            return f"(EXISTS ({body}))"
        if e.kind == "EXPR":
            text = f"({body})"
            return f"({text})" if self.pretty and not top else text
        opname = [n["String"]["sval"] for n in raw.get("operName") or []]
        if opname not in ([], ["="]) or e.test is None:
            raise _unsupported("this subquery")
        return f"({self.expr(e.test, False)} IN ({body}))"

    def nested(self, q: Query, raw: dict) -> str:
        """A subquery's text: the enclosing levels' names stay visible, its lines are
        indented one step further."""
        saved = (self.refnames, self.varprefix, self.query, self.indent)
        self.stack.append((self.refnames, self.varprefix, self.query))
        self.refnames = {}
        self.indent += 8
        try:
            return _select(self, q, raw, self.session, None, sub=True)
        finally:
            self.stack.pop()
            self.refnames, self.varprefix, self.query, self.indent = saved

    def window_call(self, w: Any) -> str:
        """name(args) [FILTER (WHERE ...)] OVER ... (ruleutils' get_windowfunc_expr)."""
        from tuskdb.sql.analyze import window as W
        if getattr(w, "distinct", False):
            raise _unsupported("this window function call")
        text = f"{quote_ident(w.name)}(" + ("*" if w.star else
                                            ", ".join(self.expr(a, True) for a in w.args)) + ")"
        if w.filter is not None:
            text += f" FILTER (WHERE {self.expr(w.filter, False)})"
        spec = w.spec
        over = getattr(spec, "raw_over", None)
        if over is None:
            raise _unsupported("this window function call")
        if over.get("name") and not over.get("refname"):
            return text + f" OVER {quote_ident(over['name'])}"
        parts = []
        if over.get("refname"):
            parts.append(quote_ident(over["refname"]))
        if over.get("partitionClause"):
            parts.append("PARTITION BY " + ", ".join(self.expr(e, True) for e in spec.partition))
        if over.get("orderClause"):
            parts.append("ORDER BY " + ", ".join(_sort_key_text(self, k.expr, k)
                                                 for k in spec.order))
        frame = over.get("frameOptions", 0)
        if frame & W.F_NONDEFAULT:
            words = ["RANGE" if frame & W.F_RANGE else "ROWS" if frame & W.F_ROWS else "GROUPS"]

            def bound(unb_p: int, unb_f: int, cur: int, off_p: int, off_f: int,
                      off: Any) -> str:
                if frame & unb_p:
                    return "UNBOUNDED PRECEDING"
                if frame & unb_f:
                    return "UNBOUNDED FOLLOWING"
                if frame & cur:
                    return "CURRENT ROW"
                if off is None:
                    raise _unsupported("this window frame")
                return f"{_count(self, off)} {'PRECEDING' if frame & off_p else 'FOLLOWING'}"
            start = bound(W.F_START_UNBOUNDED_PRECEDING, W.F_START_UNBOUNDED_FOLLOWING,
                          W.F_START_CURRENT_ROW, W.F_START_OFFSET_PRECEDING,
                          W.F_START_OFFSET_FOLLOWING, spec.start_offset)
            if frame & W.F_BETWEEN:
                end = bound(W.F_END_UNBOUNDED_PRECEDING, W.F_END_UNBOUNDED_FOLLOWING,
                            W.F_END_CURRENT_ROW, W.F_END_OFFSET_PRECEDING,
                            W.F_END_OFFSET_FOLLOWING, spec.end_offset)
                words.append(f"BETWEEN {start} AND {end}")
            else:
                words.append(start)
            if frame & W.F_EXCLUDE_CURRENT_ROW:
                words.append("EXCLUDE CURRENT ROW")
            elif frame & W.F_EXCLUDE_GROUP:
                words.append("EXCLUDE GROUP")
            elif frame & W.F_EXCLUDE_TIES:
                words.append("EXCLUDE TIES")
            parts.append(" ".join(words))
        return text + " OVER (" + " ".join(parts) + ")"

    def agg(self, a: Agg) -> str:
        name = getattr(a.agg, "name", None)
        if not name or getattr(a, "within_group", False) or \
                getattr(a.agg, "kind", "n") != "n":
            raise _unsupported("this aggregate call")
        if a.star:
            text = f"{quote_ident(name)}(*)"
        else:
            args = ", ".join(self.expr(x, True) for x in a.args)
            order = ""
            if a.order_by:
                keys = []
                for e, desc, nf in a.order_by:
                    text = self.expr(e, True)
                    if desc:
                        text += " DESC" + ("" if nf else " NULLS LAST")
                    elif nf:
                        text += " NULLS FIRST"
                    keys.append(text)
                order = " ORDER BY " + ", ".join(keys)
            text = f"{quote_ident(name)}({'DISTINCT ' if a.distinct else ''}{args}{order})"
        if a.filter is not None:
            text += f" FILTER (WHERE {self.expr(a.filter, False)})"
        return text


_BREAK = "\x00"        # a line break: the spaces printed before it are dropped


def _finish(text: str) -> str:
    import re
    return re.sub(" *\x00", "", text)


def get_viewdef(session: Any, rel: Any, pretty: bool, regclass_name: Any) -> str:
    from tuskdb.sql.analyze.select import _ViewSession, analyze_select, view_is_security_invoker
    from tuskdb.sql.analyze.state import AnalyzeState

    if rel.view_query is None:
        raise _unsupported("this relation")
    for node in _ERASED:
        if f'"{node}"' in rel.view_query:
            raise _unsupported(f"a view using {node}")
    action = json.loads(rel.view_query)
    raw = action["query"]["SelectStmt"]
    state = AnalyzeState(session.catalog(), _ViewSession(session, action.get("search_path")),
                         [], None, "")
    state.check_as = 0 if view_is_security_invoker(rel) else rel.owner
    q = analyze_select(raw, state, [])
    d = QueryDeparser(session.type_context, pretty, regclass_name, None)
    d.session = session
    cat = session.catalog()
    d.proc_exists = lambda name: name in _builtin_procs() or \
        bool(cat.find("pg_proc", proname=name))
    # the output columns carry the view's own column names (ALTER VIEW RENAME COLUMN)
    names = [c.name for c in rel.columns if not c.dropped]
    if len(names) != len(q.output):
        raise _unsupported("this view")
    if q.setop is not None:
        return _finish(_setop(d, q, raw, session, names) + ";")
    return _finish(_select(d, q, raw, session, names) + ";")


def _setop(d: QueryDeparser, q: Query, raw: dict, session: Any, names: list[str]) -> str:
    """UNION / INTERSECT / EXCEPT: a left-deep chain of one operator, each branch
    qualifying its columns and naming them as the view does."""
    if q.sort or q.limit is not None or q.offset is not None or raw.get("withClause"):
        raise _unsupported("this query shape")
    op, all_, left, right = q.setop
    rop, rall = raw.get("op"), bool(raw.get("all"))
    if right.setop is not None or raw["rarg"].get("op", "SETOP_NONE") != "SETOP_NONE":
        raise _unsupported("this query shape")
    if left.setop is not None:
        if left.setop[0] != op or left.setop[1] != all_ or raw["larg"].get("op") != rop or \
                bool(raw["larg"].get("all")) != rall:
            raise _unsupported("this query shape")
        ltext = _setop(d, left, raw["larg"], session, names)
    else:
        ltext = _leaf(d, left, raw["larg"], session, names)
    rtext = _leaf(d, right, raw["rarg"], session, names)
    return f"{ltext}\n{op}{' ALL' if all_ else ''}\n{rtext}"


def _leaf(d: QueryDeparser, q: Query, raw: dict, session: Any, names: list[str]) -> str:
    if len(q.output) != len(names):
        raise _unsupported("this query shape")
    d.refnames = {}
    return _select(d, q, raw, session, names, sub=True, subnames=False)


def _relname(session: Any, rel: Any) -> str:
    """The relation's name, schema-qualified when the search path would not find it."""
    cat = session.catalog()
    for nsp in session.search_path_oids(cat):
        found = cat.relation_oid(nsp, rel.name)
        if found is not None:
            if found == rel.oid:
                return quote_ident(rel.name)
            break
    return f"{quote_ident(rel.nspname)}.{quote_ident(rel.name)}"


def _aliased(names: list[str], alias: dict) -> list[str]:
    """Column names with an alias's column list over the first ones."""
    given = [c["String"]["sval"] for c in alias.get("colnames") or []]
    return given + names[len(given):]


def _live_aliased(columns: list[Any], alias: dict) -> list[str]:
    """A relation's column names (by attno) with an alias's column list applied to the
    live ones."""
    given = [c["String"]["sval"] for c in alias.get("colnames") or []]
    out, i = [], 0
    for c in columns:
        if c.dropped:
            out.append(c.name)
            continue
        out.append(given[i] if i < len(given) else c.name)
        i += 1
    return out


def _collect(d: QueryDeparser, item: Any, raw_item: dict) -> int:
    """Name the range entries of a FROM item uniquely (d.refnames); their count."""
    if "RangeTableSample" in raw_item:
        raw_item = raw_item["RangeTableSample"]["relation"]
    if isinstance(item, (RelItem, SubqueryItem, FunctionItem)):
        if isinstance(item, RelItem):
            if item.children or item.rel.relkind not in ("r", "p", "v", "m", "f"):
                raise _unsupported("this FROM item")
            alias = (raw_item.get("RangeVar") or {}).get("alias") or {}
            base, cols = item.alias or item.rel.name, _live_aliased(item.rel.columns, alias)
        elif isinstance(item, FunctionItem):
            rf = raw_item.get("RangeFunction") or {}
            if rf.get("lateral") or rf.get("is_rowsfrom") or rf.get("coldeflist") or \
                    isinstance(item.call, list) or getattr(item, "refname", None) is None:
                raise _unsupported("this FROM item")
            base, cols = item.refname, list(item.colnames)
        elif item.view is not None:
            rv = raw_item.get("RangeVar") or {}
            base = (rv.get("alias") or {}).get("aliasname") or item.view.name
            cols = _aliased([c.name for c in item.view.columns if not c.dropped],
                            rv.get("alias") or {})
        else:
            rs = raw_item.get("RangeSubselect") or {}
            alias = rs.get("alias") or {}
            if rs.get("lateral") or not alias.get("aliasname"):
                raise _unsupported("this FROM item")
            base, cols = alias["aliasname"], _aliased([o[0] for o in item.query.output], alias)
        name = base
        n = 0
        # unique among this level's and the enclosing levels' names (t, t_1, ...)
        used = {r[0] for lvl in d.stack for r in lvl[0].values()} | \
            {r[0] for r in d.refnames.values()}
        while name in used:
            n += 1
            name = f"{base}_{n}"
        d.refnames[item.rt] = (name, cols)
    elif isinstance(item, JoinItem):
        je = raw_item.get("JoinExpr")
        if je is None:
            raise _unsupported("this FROM item")
        return 1 + _collect(d, item.left, je["larg"]) + _collect(d, item.right, je["rarg"])
    else:
        raise _unsupported("this FROM item")
    return 1


def _select(d: QueryDeparser, q: Query, raw: dict, session: Any,
            names: list[str] | None = None, sub: bool = False, subnames: bool = True) -> str:
    if q.setop is not None or raw.get("withClause") or q.distinct_on or q.srfs or \
            raw.get("windowClause") or q.locking or q.grouping_sets is not None or q.with_ties or \
            raw.get("valuesLists") or raw.get("op", "SETOP_NONE") != "SETOP_NONE":
        raise _unsupported("this query shape")
    raw_from = raw.get("fromClause") or []
    if len(raw_from) != len(q.from_items):
        raise _unsupported("this FROM clause")
    d.query = q
    nrte = 0
    for item, raw_item in zip(q.from_items, raw_from):
        nrte += _collect(d, item, raw_item)
    d.varprefix = sub or nrte != 1 or d.force_prefix
    nout = len(q.output)
    targets = q.targets[:nout]
    if names is None:
        names = [o[0] for o in q.output]
    parts = []
    raw_targets = raw.get("targetList") or []
    for i, (e, name) in enumerate(zip(targets, names)):
        if not subnames and i < len(raw_targets) and getattr(e, "cast", None) is not None:
            val = (raw_targets[i].get("ResTarget") or {}).get("val") or {}
            if "TypeCast" not in val and "FuncCall" not in val:
                e = e.args[0]       # the set operation's coercion of a branch is implicit
        text = None
        if not subnames and i < len(raw_targets) and isinstance(e, Const):
            # a numeric literal the set operation coerced prints as it was written
            ac = ((raw_targets[i].get("ResTarget") or {}).get("val") or {}).get("A_Const") or {}
            if "ival" in ac and e.type_oid != 23:
                text = d.const(int((ac["ival"] or {}).get("ival", 0)), 23, -1)
            elif "fval" in ac and e.type_oid != 1700:
                text = d.const(Decimal(ac["fval"]["fval"]), 1700, -1)
        if text is None:
            text = d.expr(e, True)
        natural = None
        base = _base_var(q, e)
        if base is not None:
            natural = d.refnames[base.rt][1][base.attno]
        if natural != name and not (sub and subnames and natural is None and
                                    name == "?column?"):
            text += f" AS {quote_ident(name)}"
        parts.append(text)
    nl = "\n" + " " * d.indent
    buf = " SELECT " + ("DISTINCT " if q.distinct else "")
    for i, part in enumerate(parts):
        # an item printed over lines of its own (CASE) starts on its own line
        buf += ("" if i == 0 else "," if part.startswith(_BREAK) else f",{nl}    ") + part
    if q.from_items:
        items = [_from_item(d, it, r, session) for it, r in zip(q.from_items, raw_from)]
        buf += f"{nl}   FROM " + f",{nl}    ".join(items)
    if q.where is not None:
        saved_where, d.in_where = d.in_where, True
        try:
            buf += f"{nl}  WHERE " + d.expr(q.where, True)
        finally:
            d.in_where = saved_where
    if q.group_by:
        buf += f"{nl}  GROUP BY " + ", ".join(d.expr(g, True) for g in q.group_by)
    if q.having is not None:
        buf += f"{nl} HAVING " + d.expr(q.having, True)
    if q.sort:
        keys = [_sort_key_text(d, _sort_expr(d, k.expr, targets, names), k) for k in q.sort]
        buf += f"{nl}  ORDER BY " + ", ".join(keys)
    if q.offset is not None:
        buf += f"{nl} OFFSET " + _count(d, q.offset)
    if q.limit is not None:
        buf += f"{nl} LIMIT " + _count(d, q.limit)
    return buf


def _sort_key_text(d: QueryDeparser, e: Any, k: Any) -> str:
    """A sort key with its direction and NULLS placement when not the default."""
    text = e if isinstance(e, str) else d.expr(e, True)
    if k.descending:
        text += " DESC"
        if k.nulls_first is False:
            text += " NULLS LAST"
    elif k.nulls_first:
        text += " NULLS FIRST"
    return text


def _base_var(q: Query, e: Expr) -> Var | None:
    """The table column a target is, looking through a GROUP BY reference."""
    if isinstance(e, Var) and isinstance(e.rt, tuple) and e.rt[0] == "g" and \
            0 <= e.attno < len(q.group_by):
        e = q.group_by[e.attno]
    return e if isinstance(e, Var) and isinstance(e.rt, int) else None


def _sort_expr(d: QueryDeparser, e: Expr, targets: list[Expr], names: list[str]) -> str:
    """An ORDER BY column is qualified when its bare name would read as a different
    output column."""
    v = _base_var(d.query, e)
    if v is not None and not d.varprefix and v.rt in d.refnames:
        col = d.refnames[v.rt][1][v.attno]
        for t, name in zip(targets, names):
            tv = _base_var(d.query, t)
            if name == col and not (tv is not None and tv.rt == v.rt and tv.attno == v.attno):
                d.varprefix = True
                try:
                    return d.expr(e, True)
                finally:
                    d.varprefix = False
    return d.expr(e, True)


def _count(d: QueryDeparser, e: Expr) -> str:
    """LIMIT/OFFSET: an integer literal was coerced to bigint, which PostgreSQL keeps as
    an implicit cast of the int4 constant and prints as the bare number."""
    from tuskdb.sql.expr import Const
    if isinstance(e, Const) and e.type_oid == 20 and isinstance(e.value, int) and \
            0 <= e.value < 2**31:
        return str(e.value)
    return d.expr(e, True)


def _col_type(item: Any, name: str) -> tuple | None:
    if isinstance(item, SubqueryItem):
        for o in item.query.output:
            if o[0] == name:
                return (o[1], o[2])
        return None
    if isinstance(item, RelItem):
        for c in item.rel.columns:
            if not c.dropped and c.name == name:
                return (c.type_oid, c.typmod)
        return None
    if isinstance(item, JoinItem):
        return _col_type(item.left, name) or _col_type(item.right, name)
    return None


def _alias_text(refname: str, cols: list[str], real: list[str], show: bool,
                with_cols: bool) -> str:
    """ ' alias' and '(col, ...)' when any column was renamed (get_column_alias_list)."""
    text = f" {quote_ident(refname)}" if show else ""
    if with_cols or cols != real:
        if not show:
            text = f" {quote_ident(refname)}"
        text += "(" + ", ".join(quote_ident(c) for c in cols) + ")"
    return text


def _from_item(d: QueryDeparser, item: Any, raw: dict, session: Any) -> str:
    if isinstance(item, RelItem):
        sample = raw.get("RangeTableSample")
        if sample is not None:
            raw = sample["relation"]
        rv = raw.get("RangeVar")
        if rv is None:
            raise _unsupported("this FROM item")
        text = _relname(session, item.rel)
        refname, cols = d.refnames[item.rt]
        live = [i for i, c in enumerate(item.rel.columns) if not c.dropped]
        text += _alias_text(refname, [cols[i] for i in live],
                                  [item.rel.columns[i].name for i in live],
                                  refname != item.rel.name, False)
        if sample is not None and item.tablesample is not None:
            text += _tablesample(d, item.tablesample, sample)
        return text
    if isinstance(item, FunctionItem):
        refname, cols = d.refnames[item.rt]
        call = item.call
        if not isinstance(call, (Func, SRFCall)) or getattr(call, "cast", None) is not None \
                or getattr(call, "op", None) is not None:
            raise _unsupported("this FROM item")
        text = d.expr(call, True)
        if item.ordinality:
            text += " WITH ORDINALITY"
        return text + _alias_text(refname, cols, cols, True, True)
    if isinstance(item, SubqueryItem):
        refname, cols = d.refnames[item.rt]
        if item.view is not None:
            rv = raw.get("RangeVar")
            if rv is None:
                raise _unsupported("this FROM item")
            text = _relname(session, item.view)
            real = [c.name for c in item.view.columns if not c.dropped]
            return text + _alias_text(refname, cols, real, refname != item.view.name, False)
        sel = raw["RangeSubselect"]["subquery"]["SelectStmt"]
        real = [o[0] for o in item.query.output]
        if sel.get("valuesLists") and len(item.query.from_items) == 1 and \
                isinstance(item.query.from_items[0], ValuesItem) and not item.query.sort \
                and item.query.limit is None and item.query.offset is None and \
                not sel.get("withClause"):
            # a VALUES list in FROM is a VALUES range entry of its own
            rows = item.query.from_items[0].rows
            body = " VALUES " + ", ".join(
                "(" + ",".join(d.expr(x, True) for x in row) + ")" for row in rows)
        else:
            body = d.nested(item.query, sel)
        return f"({body})" + _alias_text(refname, cols, real, True, False)
    je = raw.get("JoinExpr")
    if je is None or je.get("alias") or je.get("join_using_alias") or je.get("isNatural"):
        raise _unsupported("this join")
    left = _from_item(d, item.left, je["larg"], session)
    right = _from_item(d, item.right, je["rarg"], session)
    if isinstance(item.right, JoinItem):
        raise _unsupported("this join nesting")
    word = {"INNER": "JOIN", "LEFT": "LEFT JOIN", "RIGHT": "RIGHT JOIN",
            "FULL": "FULL JOIN", "CROSS": "CROSS JOIN"}.get(item.kind)
    if word is None:
        raise _unsupported("this join")
    using = je.get("usingClause")
    if using:
        if item.kind == "FULL":
            raise _unsupported("FULL JOIN USING")
        names = [u["String"]["sval"] for u in using]
        for n in names:
            lt, rt = _col_type(item.left, n), _col_type(item.right, n)
            if lt is None or lt != rt:
                # the merged column is the side that needed no coercion in PostgreSQL
                raise _unsupported("JOIN USING over columns of different types")
        cond = " USING (" + ", ".join(quote_ident(n) for n in names) + ")"
    elif item.quals is not None and je.get("quals") is not None:
        cond = " ON " + (d.expr(item.quals, True) if d.pretty
                         else f"({d.expr(item.quals, False)})")
    elif item.kind == "INNER" and je.get("quals") is None:
        word, cond = "CROSS JOIN", ""
    else:
        cond = ""
    text = f"{left}\n{' ' * d.indent}     {word} {right}{cond}"
    return text if d.pretty else f"({text})"


def _sqlbody_statement(session: Any, node: dict, funcname: str, argnames: list[str],
                       argtypes: list[int], regclass_name: Any) -> str:
    from tuskdb.sql.analyze.dml import analyze_delete, analyze_insert, analyze_update
    from tuskdb.sql.analyze.select import analyze_select
    from tuskdb.sql.analyze.state import AnalyzeState

    kind = next(iter(node))
    raw = node[kind]
    state = AnalyzeState(session.catalog(), session, list(argtypes), None, "")
    state.param_names = {n: i + 1 for i, n in enumerate(argnames) if n}
    state.func_name = funcname
    d = QueryDeparser(session.type_context, False, regclass_name, None)
    d.session = session
    cat = session.catalog()
    d.proc_exists = lambda name: name in _builtin_procs() or \
        bool(cat.find("pg_proc", proname=name))
    d.argnames, d.funcname, d.force_prefix, d.indent = list(argnames), funcname, True, 1
    if kind == "SelectStmt":
        q = analyze_select(raw, state, [])
        if q.setop is not None:
            raise _unsupported("this query shape")
        return _finish(_select(d, q, raw, session, None, sub=True))
    if kind == "InsertStmt":
        return _finish(" " + _insert(d, analyze_insert(raw, state), raw, session))
    if kind == "UpdateStmt":
        return _finish(" " + _update(d, analyze_update(raw, state), raw, session))
    if kind == "DeleteStmt":
        return _finish(" " + _delete(d, analyze_delete(raw, state), raw, session))
    raise _unsupported(f"a {kind} in a function body")


def get_sqlbody_statement(session: Any, node: dict, funcname: str, argnames: list[str],
                          argtypes: list[int], regclass_name: Any) -> str:
    """One statement of a BEGIN ATOMIC body as pg_get_functiondef prints it (indented one
    space, columns qualified, arguments by name)."""
    try:
        return _sqlbody_statement(session, node, funcname, argnames, argtypes, regclass_name)
    except PgError as e:
        if e.sqlstate == FEATURE_NOT_SUPPORTED and "pg_get_viewdef" in e.message:
            raise PgError(FEATURE_NOT_SUPPORTED,
                          e.message.replace("pg_get_viewdef", "pg_get_functiondef")) from None
        raise


def _modify_target(d: QueryDeparser, mq: Any, raw: dict, session: Any) -> str:
    if raw.get("withClause") or mq.view is not None or mq.rel.relkind not in ("r", "p"):
        raise _unsupported("this statement")
    rv = raw["relation"]
    alias = (rv.get("alias") or {}).get("aliasname")
    d.refnames = {mq.rt: (alias or mq.rel.name, [c.name for c in mq.rel.columns])}
    d.varprefix = True
    raw_from = raw.get("fromClause") or raw.get("usingClause") or []
    if len(raw_from) != len(mq.from_items):
        raise _unsupported("this FROM clause")
    for item, raw_item in zip(mq.from_items, raw_from):
        _collect(d, item, raw_item)
    text = ("ONLY " if not rv.get("inh", True) else "") + _relname(session, mq.rel)
    return text + (f" {quote_ident(alias)}" if alias else "")


def _returning_text(d: QueryDeparser, mq: Any, raw: dict) -> str:
    if not mq.returning:
        return ""
    rc = raw.get("returningClause") or {}
    if rc.get("options"):
        raise _unsupported("RETURNING WITH")
    parts = []
    for e, out in zip(mq.returning, mq.output):
        text = d.expr(e, True)
        natural = None
        if isinstance(e, Var) and isinstance(e.rt, int) and e.rt in d.refnames:
            natural = d.refnames[e.rt][1][e.attno]
        if natural != out[0] and out[0] != "?column?":
            text += f" AS {quote_ident(out[0])}"
        parts.append(text)
    nl = "\n" + " " * d.indent
    return f"{nl}  RETURNING " + f",{nl}    ".join(parts)


def _implicit_length(e: Any) -> Any:
    """A value assigned to a column with a length (varchar(3)): the implicit length
    coercion does not print, the constant shows its bare type."""
    if isinstance(e, Const) and e.typmod >= 0:
        e = copy.copy(e)
        e.typmod = -1
    return e


def _insert(d: QueryDeparser, mq: Any, raw: dict, session: Any) -> str:
    from tuskdb.sql.analyze.query import ValuesItem
    if mq.override != "OVERRIDING_NOT_SET":
        raise _unsupported("OVERRIDING")
    buf = "INSERT INTO " + _modify_target(d, mq, raw, session)
    nl = "\n" + " " * d.indent
    src = mq.source
    sel = (raw.get("selectStmt") or {}).get("SelectStmt")
    if sel is None:
        return buf + " DEFAULT VALUES" + _returning_text(d, mq, raw)
    buf += " (" + ", ".join(quote_ident(mq.rel.columns[c].name) for c in mq.target_cols) + ")"
    item = src.from_items[0] if src.from_items else None

    def value(x: Expr) -> str:
        return "DEFAULT" if getattr(x, "written_default", False) else \
            d.expr(_implicit_length(x), True)
    if isinstance(item, ValuesItem):
        if len(item.rows) == 1:
            buf += f"{nl}  VALUES (" + ", ".join(value(x) for x in item.rows[0]) + ")"
        else:
            # a VALUES list of several rows prints on one line, its items unspaced
            buf += " VALUES " + ", ".join("(" + ",".join(value(x) for x in row) + ")"
                                          for row in item.rows)
    elif isinstance(item, SubqueryItem) and len(src.from_items) == 1:
        buf += " " + d.nested(item.query, sel)
    else:
        raise _unsupported("this INSERT")
    oc = raw.get("onConflictClause")
    if oc is not None:
        if oc.get("action") != "ONCONFLICT_NOTHING" or oc.get("infer"):
            raise _unsupported("this ON CONFLICT clause")
        buf += " ON CONFLICT DO NOTHING"
    return buf + _returning_text(d, mq, raw)


def _modify_from(d: QueryDeparser, mq: Any, raw_from: list, word: str, session: Any) -> str:
    """UPDATE's FROM / DELETE's USING list."""
    if not mq.from_items:
        return ""
    if len(raw_from) != len(mq.from_items):
        raise _unsupported(f"this {word} clause")
    nl = "\n" + " " * d.indent
    items = [_from_item(d, it, r, session) for it, r in zip(mq.from_items, raw_from)]
    return f"{nl}   {word} " + f",{nl}    ".join(items)


def _update(d: QueryDeparser, mq: Any, raw: dict, session: Any) -> str:
    buf = "UPDATE " + _modify_target(d, mq, raw, session)
    nl = "\n" + " " * d.indent
    sets = []
    for node in raw["targetList"]:
        rtc = node["ResTarget"]
        if rtc.get("indirection") or "MultiAssignRef" in (rtc.get("val") or {}):
            raise _unsupported("this UPDATE")
        idx = next(i for i, c in enumerate(mq.rel.columns)
                   if not c.dropped and c.name == rtc["name"])
        sets.append(f"{quote_ident(rtc['name'])} = "
                    f"{d.expr(_implicit_length(mq.set_exprs[idx]), True)}")
    buf += " SET " + ", ".join(sets)
    buf += _modify_from(d, mq, raw.get("fromClause") or [], "FROM", session)
    if mq.where is not None:
        buf += f"{nl}  WHERE " + d.expr(mq.where, True)
    return buf + _returning_text(d, mq, raw)


def _delete(d: QueryDeparser, mq: Any, raw: dict, session: Any) -> str:
    buf = "DELETE FROM " + _modify_target(d, mq, raw, session)
    nl = "\n" + " " * d.indent
    buf += _modify_from(d, mq, raw.get("usingClause") or [], "USING", session)
    if mq.where is not None:
        buf += f"{nl}  WHERE " + d.expr(mq.where, True)
    return buf + _returning_text(d, mq, raw)


def _tablesample(d: QueryDeparser, ts: Any, raw: dict) -> str:
    """ruleutils' get_tablesample_def.  Analysis folded the constant arguments, so they
    print from the raw tree (implicit coercions to the parameter types not shown)."""
    args = ", ".join(_raw_arg(d, a, 700) for a in raw.get("args") or [])
    text = f" TABLESAMPLE {ts.method} ({args})"
    if raw.get("repeatable") is not None:
        text += f" REPEATABLE ({_raw_arg(d, raw['repeatable'], 701)})"
    return text


def _raw_arg(d: QueryDeparser, node: dict, target: int) -> str:
    """A TABLESAMPLE argument written with constants and binary operators."""
    ac = node.get("A_Const")
    if ac is not None:
        if ac.get("isnull"):
            return d.const(None, target, -1)
        if "ival" in ac:
            return d.const(int((ac["ival"] or {}).get("ival", 0)), 23, -1)
        if "fval" in ac:
            return d.const(Decimal(ac["fval"]["fval"]), 1700, -1)
        if "sval" in ac and target in (700, 701):
            # an unknown literal becomes a constant of the parameter's type
            try:
                v = float((ac["sval"] or {}).get("sval", ""))
            except ValueError:
                raise _unsupported("this TABLESAMPLE argument") from None
            return d.const(v, target, -1)
        raise _unsupported("this TABLESAMPLE argument")
    ae = node.get("A_Expr")
    if ae is not None and ae.get("kind") == "AEXPR_OP" and ae.get("lexpr") is not None \
            and len(ae.get("name") or []) == 1 and _const_kind(ae["lexpr"]) is not None \
            and _const_kind(ae["lexpr"]) == _const_kind(ae["rexpr"]):
        # operands of one type: no coercion inside the operator to show
        op = ae["name"][0]["String"]["sval"]
        return f"({_raw_arg(d, ae['lexpr'], 0)} {op} {_raw_arg(d, ae['rexpr'], 0)})"
    raise _unsupported("this TABLESAMPLE argument")


def _const_kind(node: dict) -> str | None:
    ac = node.get("A_Const")
    if ac is None:
        return None
    return "ival" if "ival" in ac else "fval" if "fval" in ac else None
