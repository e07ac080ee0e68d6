"""The planner: analyzed Query → tree of physical nodes.

    plan_query(q)
      _plan_from()          FROM items, joins (hash join on equi-conditions,
                            nested loop otherwise), WHERE conjuncts pushed down
      _pull_up_sublinks()   WHERE [NOT] EXISTS / IN (subquery) as semi/anti joins
        _plan_rel()         seq scan, TID scan (ctid conditions, WHERE CURRENT OF)
                            or index scan (equality prefix + one range column; a
                            partial index when its predicate is implied) chosen
                            from the pushed quals
      Aggregate             GROUP BY / aggregates, then HAVING
      Project               target list (with ORDER BY junk columns)
      Unique, Sort, Limit, Strip

Costs and statistics are not used yet: an index is chosen whenever quals
match its leading columns.
"""

from __future__ import annotations

import threading
from typing import Any

from tuskdb.errors import FEATURE_NOT_SUPPORTED, PgError
from tuskdb import types
from tuskdb.sql.analyze.query import (CteItem, FunctionItem, JoinItem, Query, RelItem,
                                      SubqueryItem, ValuesItem)
from tuskdb.sql.expr import (SOURCE, Agg, BoolExpr, Const, Expr, Func, InList, Literal, OuterVar,
                             Param, SRFCall, SubLink, Var, compile_expr, var_keys, walk)
from tuskdb.sql.analyze.returning import old_new_layout
from tuskdb.sql.execute import nodes as N


_planning = threading.local()


class planning:
    """The planning context: the session whose settings and catalogs the planner reads
    (index predicates), and the analyzer's ``structural`` map, where the planner records
    the lifted literal values a plan depends on (a cached plan serves only those)."""

    def __init__(self, session: Any, structural: dict | None) -> None:
        self.session = session
        self.structural = structural

    def __enter__(self) -> "planning":
        self.saved = getattr(_planning, "ctx", None)
        _planning.ctx = self
        return self

    def __exit__(self, *exc: Any) -> None:
        _planning.ctx = self.saved


def _planning_ctx() -> planning | None:
    return getattr(_planning, "ctx", None)


_ENABLE_SETTINGS = ("enable_seqscan", "enable_sort", "enable_hashagg", "enable_nestloop",
                    "enable_hashjoin", "enable_indexscan", "enable_indexonlyscan",
                    "enable_tidscan")


def planner_settings(settings: dict) -> tuple:
    """The enable_* settings a plan depends on (part of the plan cache key)."""
    return tuple(settings.get(n) for n in _ENABLE_SETTINGS)


def mark_disabled(plan: Any) -> None:
    """Flag the nodes of a finished plan whose kind the session disabled (enable_* off)
    but that the plan uses anyway, for EXPLAIN's "Disabled: true" (PostgreSQL 18 counts
    disabled nodes instead of refusing them)."""
    off = {n for n in _ENABLE_SETTINGS if not _setting_on(n)}
    if not off:
        return
    from tuskdb.sql.execute.append import Append
    seen: set = set()
    todo = [plan]
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen or not hasattr(node, "__dict__"):
            continue
        seen.add(id(node))
        setting = None
        if type(node) is N.SeqScan:
            setting = "enable_seqscan"
        elif type(node) is N.Sort:
            setting = "enable_sort"
        elif isinstance(node, N.Aggregate) and node.group_keys and \
                getattr(node, "sorted_order", None) is None or type(node) is N.Unique:
            setting = "enable_hashagg"
        elif isinstance(node, N.SetOp) and not node.sorted and \
                not (node.op == "UNION" and node.all):
            setting = "enable_hashagg"
        elif isinstance(node, N.NestLoop):
            setting = "enable_nestloop"
        elif isinstance(node, N.HashJoin):
            setting = "enable_hashjoin"
        elif isinstance(node, N.IndexScan):
            setting = "enable_indexonlyscan" if getattr(node, "index_only", False) \
                else "enable_indexscan"
        elif isinstance(node, (N.TidScan, N.TidRangeScan)):
            setting = "enable_tidscan"
        if setting in off:
            node.disabled = True
        for attr in ("child", "left", "right", "source", "base", "rec"):
            c = getattr(node, attr, None)
            if isinstance(c, N.PlanNode):
                todo.append(c)
        if isinstance(node, Append):
            todo += list(node.parts)
        if isinstance(node, N.CteScan) and node.cte.plan is not None:
            todo.append(node.cte.plan)


def conjuncts(e: Expr | None) -> list[Expr]:
    if e is None:
        return []
    if isinstance(e, BoolExpr) and e.op == "AND":
        out = []
        for a in e.args:
            out += conjuncts(a)
        return out
    return [e]


def and_all(quals: list[Expr]) -> Expr | None:
    if not quals:
        return None
    if len(quals) == 1:
        return quals[0]
    return BoolExpr("AND", quals)


def qual_cost(e: Expr) -> int:
    """Evaluation cost of a qual in cpu_operator_cost units (each operator or function
    call costs one), as PostgreSQL's cost_qual_eval counts it."""
    from tuskdb.sql.expr import SubLink
    n = 0
    for x in walk(e):
        if isinstance(x, Func):
            n += 1
        elif isinstance(x, SubLink):
            n += 100
    return n


def _compile_quals(quals: list[Expr], layout: dict) -> Any:
    # cheapest first, as PostgreSQL's order_qual_clauses (stable for equal costs)
    quals = sorted(quals, key=qual_cost)
    q = and_all(quals)
    return compile_expr(q, layout) if q is not None else None


def _postponed_targets(q: Query) -> set[int]:
    """Target-list entries whose evaluation waits until after the sort (PostgreSQL's
    make_sort_input_target): volatile expressions that are not sort keys, so that a
    LIMIT above the sort evaluates them only for the rows it returns."""
    if not q.sort or q.distinct or q.distinct_on or q.setop is not None or q.srfs:
        return set()
    keys = {_target_index(q, sk.expr) for sk in q.sort}
    return {i for i, t in enumerate(q.targets) if i not in keys and _has_volatile(t)}


def _project_for_sort(node: N.PlanNode, q: Query, postponed: set[int]) -> tuple:
    """The projection below the sort (postponed entries left NULL, the columns they
    read appended) and a maker of the one above it that computes them."""
    lay = node.layout
    width = len(q.targets)
    needed = sorted({k for i in postponed for k in var_keys(q.targets[i])}, key=repr)
    first = []
    for i, t in enumerate(q.targets):
        first.append((lambda row, ctx: None) if i in postponed else compile_expr(t, lay))
    for k in needed:
        first.append(lambda row, ctx, _p=lay[k]: row[_p])
    below = N.Project(node, first)
    above_layout = {k: width + j for j, k in enumerate(needed)}

    def make(sorted_node: N.PlanNode) -> N.PlanNode:
        exprs = []
        for i, t in enumerate(q.targets):
            if i in postponed:
                exprs.append(compile_expr(t, above_layout))
            else:
                exprs.append(lambda row, ctx, _i=i: row[_i])
        return N.Project(sorted_node, exprs)
    return below, make


def plan_query(q: Query) -> N.PlanNode:
    from tuskdb.sql.plan.pullup import pull_up_subqueries
    q = pull_up_subqueries(q)
    _mark_needed(q)
    post = None
    group_sorted = False            # the groups come out in ORDER BY's order
    if q.setop is not None:
        node = _plan_setop(q)
    else:
        quals = conjuncts(q.where)
        if q.has_agg and not q.aggs and not q.group_by:
            # degenerate grouping (HAVING without aggregates or GROUP BY): one group
            # whatever the input holds, so the input is not scanned at all
            quals = []
            node = _plan_from([], quals)
        else:
            links = _take(quals, _sublink_qual)
            node = _plan_from(q.from_items, quals)
            node = _pull_up_sublinks(node, links)
            quals += links           # the ones that stay subqueries
        if quals:
            node = N.Filter(node, _compile_quals(quals, node.layout))
        _scan_target(node, q)
        _small_tlist_inputs(node, q)
        if q.has_agg:
            specs = []
            for a in q.aggs:
                specs.append(N.AggSpec(a.agg, [compile_expr(x, node.layout) for x in a.args],
                                       compile_expr(a.filter, node.layout)
                                       if a.filter is not None else None, a.distinct, a.star,
                                       [(compile_expr(e, node.layout), d, nf)
                                        for e, d, nf in a.order_by]))
                if getattr(a, "direct", None) is not None:   # WITHIN GROUP direct arguments
                    specs[-1].direct = [compile_expr(d, node.layout) for d in a.direct]
            gkeys = [compile_expr(g, node.layout) for g in q.group_by]
            group_order = None
            if q.group_by and q.grouping_sets is None and not _setting_on("enable_hashagg") \
                    and all(_sortable(g.type_oid) for g in q.group_by):
                # sorted grouping (GroupAggregate): the input sorted on the group keys,
                # ORDER BY's leading ones first so that the groups come out in its order
                group_order, sort_satisfied = _group_sort_order(q)
                node = _sort_on(node, [(q.group_by[j], d, nf) for j, d, nf in group_order])
            if q.grouping_sets is not None:
                from tuskdb.sql.execute.grouping import GroupingSetsAggregate
                node = GroupingSetsAggregate(node, gkeys, specs, q.grouping_sets)
            else:
                node = N.Aggregate(node, gkeys, specs)
                if group_order is not None:
                    node.sorted_order = [j for j, _, _ in group_order]
                    group_sorted = sort_satisfied
            node.group_exprs, node.agg_exprs = q.group_by, q.aggs    # for EXPLAIN
            if q.having is not None:
                node = N.Filter(node, compile_expr(q.having, node.layout))
        if q.windows:
            node = _plan_windows(node, q.windows)
        if q.srfs:
            node = N.ProjectSet(node, [(c.fn, [compile_expr(a, node.layout) for a in c.args],
                                        c.strict, c.needs_ctx) for c in q.srfs])
        postponed = _postponed_targets(q)
        if postponed:
            node, post = _project_for_sort(node, q, postponed)
        else:
            node = N.Project(node, [compile_expr(t, node.layout) for t in q.targets])
    nvis = len(q.output)
    # targets fixed to one value (PostgreSQL's redundant pathkeys): constants, and
    # expressions the WHERE clause equates to a constant; they order nothing
    fixed = _fixed_targets(q) if q.setop is None else set()
    sorted_already = False
    if q.distinct:
        if all(i in fixed for i in range(nvis)):
            node = _limit_one(node)        # every row has the same distinct columns
        elif not _setting_on("enable_hashagg") and post is None and \
                all(_sortable(t) for _, t, _, _ in q.output):
            # sorted DISTINCT: one Sort on the ORDER BY keys, then the other distinct
            # columns, and a Unique over its adjacent equal rows
            keys = _sort_keys(q, fixed)
            have = {k[0] for k in keys}
            seen_keys = {_key_of(q.targets[k[0]]) for k in keys}
            for i in range(nvis):
                k = _key_of(q.targets[i])
                if i not in fixed and i not in have and k not in seen_keys:
                    keys.append((i, False, False))
                    seen_keys.add(k)
            node = N.DistinctOn(N.Sort(node, keys), list(range(nvis)))
            sorted_already = True
        else:
            node = N.Unique(node, nvis)
    if q.sort and not sorted_already:
        sort_keys = _sort_keys(q, fixed)
        if sort_keys and not (group_sorted and not q.distinct and not q.windows and
                              not q.srfs):
            node = N.Sort(node, sort_keys)
        if post is not None:
            node = post(node)
    if q.distinct_on:
        if all(i in fixed for i in q.distinct_on):
            node = _limit_one(node)
        else:
            node = N.DistinctOn(node, q.distinct_on)
    if (q.limit is not None or q.offset is not None) and _limit_needed(q):
        node = N.Limit(node, compile_expr(q.limit, {}) if q.limit is not None else None,
                       compile_expr(q.offset, {}) if q.offset is not None else None)
        if q.with_ties:
            # ties are judged on every ORDER BY column, fixed ones too
            node.ties = [_target_index(q, s.expr) for s in q.sort] if q.sort else None
    if q.junk:
        node = N.Strip(node, nvis)
    return node


_NOT_QUERY_PARTS = frozenset(("rel", "perm", "children", "cte", "router", "partcheck",
                              "output", "needed", "fn", "lt"))


def _needed_columns(q: Query) -> dict[int, set]:
    """The columns of each range-table entry of ``q`` the query reads anywhere (its
    expressions, join quals, and its subqueries' references to it): what a scan of
    the entry must return (PostgreSQL's attr_needed, for index-only scans)."""
    out: dict[int, set] = {}
    seen: set = set()

    def visit(o: Any, depth: int) -> None:
        if o is None or isinstance(o, (str, int, float, bool, bytes)):
            return
        if isinstance(o, Var):
            if depth == 0 and isinstance(o.rt, int):
                out.setdefault(o.rt, set()).add(o.attno)
            return
        if isinstance(o, OuterVar):
            if o.level == depth and isinstance(o.var.rt, int):
                out.setdefault(o.var.rt, set()).add(o.var.attno)
            return
        key = (id(o), depth)
        if key in seen:
            return
        seen.add(key)
        if isinstance(o, (list, tuple)):
            for x in o:
                visit(x, depth)
            return
        if isinstance(o, dict):
            for x in o.values():
                visit(x, depth)
            return
        mod = type(o).__module__
        if not (mod.startswith("tuskdb.sql.expr") or mod.startswith("tuskdb.sql.analyze")):
            return
        d = getattr(o, "__dict__", None)
        if d is None:
            return
        for k, v in d.items():
            if k in _NOT_QUERY_PARTS:
                continue
            if isinstance(v, Query) and k in ("plan", "query"):
                visit(v, depth + 1)      # a sublink's or FROM subquery's own level
            else:
                visit(v, depth)

    visit(q, 0)
    return out


def _mark_needed(q: Query) -> None:
    """Record on each base relation of ``q``'s FROM the columns the query needs of it
    (None when a row mark needs the row itself)."""
    if q.setop is not None or q.locking:
        return
    needed = _needed_columns(q)
    todo = list(q.from_items)
    while todo:
        it = todo.pop()
        if isinstance(it, JoinItem):
            todo += [it.left, it.right]
        elif isinstance(it, RelItem):
            it.needed = needed.get(it.rt, set())


def _group_sort_order(q: Query) -> tuple[list[tuple[int, bool, bool]], bool]:
    """The order sorted grouping sorts its input in, as (group index, descending, nulls
    first): the GROUP BY items that lead the ORDER BY, in its order and directions, then
    the rest ascending (preprocess_groupclause); and whether that order is the whole
    ORDER BY."""
    out: list[tuple[int, bool, bool]] = []
    used: set[int] = set()
    complete = bool(q.sort)
    for sk in q.sort:
        t = q.targets[_target_index(q, sk.expr)]
        if isinstance(t, Var) and isinstance(t.rt, tuple) and t.rt[0] == "g" and \
                t.attno not in used:
            out.append((t.attno, sk.descending, sk.nulls_first))
            used.add(t.attno)
        else:
            complete = False
            break
    if not out:
        complete = False
    for j in range(len(q.group_by)):
        if j not in used:
            out.append((j, False, False))
    return out, complete


def _sort_on(node: N.PlanNode, keys: list[tuple[Expr, bool, bool]]) -> N.PlanNode:
    """``node`` sorted on expressions over its rows (a Project appends their values;
    its layout stays the input's)."""
    width = node.width
    exprs: list[Any] = [(lambda i: (lambda row, ctx: row[i]))(i) for i in range(width)]
    exprs += [compile_expr(e, node.layout) for e, _, _ in keys]
    proj = N.Project(node, exprs, dict(node.layout))
    return N.Sort(proj, [(width + k, d, nf) for k, (_, d, nf) in enumerate(keys)])


def _key_of(e: Expr) -> Any:
    from tuskdb.sql.analyze.select import expr_key
    return expr_key(e)


def _sort_keys(q: Query, fixed: set) -> list[tuple[int, bool, bool]]:
    """The ORDER BY as Sort keys (target position, descending, nulls first): keys fixed
    to one value and repeated keys are left out (redundant pathkeys)."""
    keys = []
    seen = set()
    for s in q.sort:
        pos = _target_index(q, s.expr)
        k = _key_of(q.targets[pos])
        if pos in fixed or k in seen:
            continue
        seen.add(k)
        keys.append((pos, s.descending, s.nulls_first))
    return keys


_UNKNOWN = object()


def _plan_time_value(e: Expr, lits: list) -> Any:
    """The value of a constant (or lifted literal, noted in ``lits``, possibly under a
    cast) known while planning; _UNKNOWN otherwise."""
    if isinstance(e, Const):
        return e.value
    if isinstance(e, Literal):
        v = getattr(e, "value", _UNKNOWN)
        if v is not _UNKNOWN:
            lits.append((e.slot, v))
        return v
    if isinstance(e, Func) and getattr(e, "cast", None) is not None and len(e.args) == 1:
        v = _plan_time_value(e.args[0], lits)
        return v if v is None or (isinstance(v, int) and not isinstance(v, bool)) \
            else _UNKNOWN
    return _UNKNOWN


def _limit_needed(q: Query) -> bool:
    """PostgreSQL's limit_needed: no Limit node for LIMIT NULL / LIMIT ALL with no OFFSET
    or a constant OFFSET 0 (the literal's value is then part of the plan)."""
    if q.with_ties:
        return True
    lits: list = []
    if q.limit is not None and _plan_time_value(q.limit, lits) is not None:
        return True
    if q.offset is not None:
        v = _plan_time_value(q.offset, lits)
        if v is not None and v != 0:
            return True
    ctx = _planning_ctx()
    if lits and (ctx is None or ctx.structural is None):
        return True
    for slot, value in lits:
        ctx.structural[slot] = value
    return False


def _limit_one(node: N.PlanNode) -> N.PlanNode:
    one = Const(1, 20)
    f = compile_expr(one, {})
    return N.Limit(node, f, None)


def _pseudoconstant(e: Expr) -> bool:
    return not any(isinstance(x, (Var, OuterVar, SubLink)) for x in walk(e)) and \
        not _has_volatile(e) and not any(isinstance(x, Agg) for x in walk(e))


def _fixed_targets(q: Query) -> set[int]:
    """Target entries whose value is the same in every row: constants, and expressions a
    WHERE conjunct equates (with a btree equality) to a constant."""
    from tuskdb.sql.analyze.select import expr_key
    fixed_keys = set()
    for c in conjuncts(q.where):
        if not (isinstance(c, Func) and c.name == "=" and getattr(c, "op", None) is not None
                and len(c.args) == 2) or _has_volatile(c):
            continue
        a, b = c.args
        if _pseudoconstant(a):
            a, b = b, a
        if not _pseudoconstant(b) or _pseudoconstant(a) or _geometric(a.type_oid):
            continue
        fixed_keys.add(expr_key(a))
    out = set()
    for i, t in enumerate(q.targets):
        if _pseudoconstant(t) or (fixed_keys and expr_key(t) in fixed_keys):
            out.add(i)
    return out


def _scan_target(node: N.PlanNode, q: Query) -> None:
    """The scan a query's FROM is a single subquery scan of takes the final target list
    (or, below grouping or windows, the columns they need), as PostgreSQL applies the
    scan/join target to it: a list other than the subquery's own columns in order makes
    it a projection, no longer trivial."""
    if not isinstance(node, N.SubqueryScan) or not getattr(node, "trivial", False):
        return
    rt, width = node.rt, node.width
    if q.has_agg and not q.group_by or (q.has_agg or q.windows) and not q.srfs and \
            _needs_all(q, rt, width):
        return          # a physical target list (every column) serves
    if q.has_agg or q.windows or q.srfs or len(q.targets) != width or any(
            not (isinstance(t, Var) and t.rt == rt and t.attno == i)
            for i, t in enumerate(q.targets)):
        node.trivial = False


def _needs_all(q: Query, rt: int, width: int, joins: bool = False) -> bool:
    """Whether the query reads every column of range-table entry ``rt`` (in its
    targets, grouping and aggregates; with ``joins`` also its WHERE and join quals)."""
    exprs = list(q.targets) + list(q.group_by) + ([q.having] if q.having is not None
                                                  else [])
    for a in q.aggs:
        exprs += list(a.args) + ([a.filter] if a.filter is not None else [])
    if joins:
        exprs += [q.where] if q.where is not None else []
        todo = list(q.from_items)
        while todo:
            it = todo.pop()
            if isinstance(it, JoinItem):
                todo += [it.left, it.right]
                if it.quals is not None:
                    exprs.append(it.quals)
    seen: set = set()
    for e in exprs:
        seen |= {k[1] for k in var_keys(e) if k[0] == rt}
    return seen >= set(range(width))


def _small_tlist_inputs(node: N.PlanNode, q: Query) -> None:
    """A subquery scan that is a hash join's inner side (or a nested loop's inner side
    PostgreSQL would materialize) gets only the columns the query needs
    (CP_SMALL_TLIST): unless that is every column, it projects and stays."""
    from tuskdb.sql.execute.append import Append
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, (N.HashJoin, N.NestLoop)):
            todo += [n.left, n.right]
            inner = n.right
            if isinstance(inner, N.SubqueryScan) and inner.trivial and not (
                    isinstance(n, N.NestLoop) and n.lateral) and \
                    not _needs_all(q, inner.rt, inner.width, joins=True):
                inner.trivial = False
        elif isinstance(n, (N.Filter, N.Project)) or isinstance(n, Append):
            todo += [n.child] if not isinstance(n, Append) else list(n.parts)


def _plan_windows(node: N.PlanNode, calls: list[Any]) -> N.PlanNode:
    from tuskdb.sql.execute.window import WindowAgg, WindowFuncSpec
    lay = node.layout
    specs = []
    for c in calls:
        sp = c.spec
        specs.append(WindowFuncSpec(
            c, [compile_expr(a, lay) for a in c.args],
            [compile_expr(p, lay) for p in sp.partition],
            [(compile_expr(k.expr, lay), k.descending, k.nulls_first) for k in sp.order],
            compile_expr(sp.start_offset, lay) if sp.start_offset is not None else None,
            compile_expr(sp.end_offset, lay) if sp.end_offset is not None else None,
            compile_expr(c.filter, lay) if c.filter is not None else None))
        specs[-1].col_type = sp.order[0].expr.type_oid if sp.order else 0
    return WindowAgg(node, specs)


def _target_index(q: Query, e: Expr) -> int:
    from tuskdb.sql.analyze.select import expr_key

    for i, t in enumerate(q.targets):
        if t is e:
            return i
    k = expr_key(e)
    for i, t in enumerate(q.targets):
        if expr_key(t) == k:
            return i
    raise PgError("XX000", "ORDER BY expression not found in target list")


def _plan_setop(q: Query) -> N.PlanNode:
    op, all_, left, right = q.setop
    node = N.SetOp(op, all_, plan_query(left), plan_query(right), q.setop_rt, len(q.output))
    if not (op == "UNION" and all_):
        # sorted (Unique over a Sort of the Append; SetOp over sorted inputs) when hashed
        # aggregation is off or a column's type has no hash support
        sortable = all(_sortable(t) for _, t, _, _ in q.output)
        node.sorted = sortable and (not _setting_on("enable_hashagg") or any(
            not _setop_hashable(t) for _, t, _, _ in q.output))
    return node


_NO_BTREE_OPCLASS = frozenset((28, 29, 1033))     # xid cid aclitem: hashing only


def _sortable(type_oid: int) -> bool:
    t = types.TYPES.get(type_oid)
    if type_oid in _NO_BTREE_OPCLASS:
        return False
    elem = getattr(t, "elem_oid", 0) if t is not None else 0
    if elem and t.category == "A":
        return _sortable(elem)
    return True


_NO_HASH_OPCLASS = frozenset((1560, 1562, 3614, 3615, 790))  # bit varbit tsvector tsquery money


def _setop_hashable(type_oid: int) -> bool:
    """Whether a set operation can hash values of the type: it has a hash operator class
    (arrays: their element type has); records and composite types are sorted."""
    t = types.TYPES.get(type_oid)
    if type_oid in _NO_HASH_OPCLASS or type_oid == 2249:
        return False
    if t is None:
        return True
    if t.typtype == "c":
        return False
    elem = getattr(t, "elem_oid", 0)
    if elem and t.category == "A":
        return _setop_hashable(elem)
    return True


def _item_rts(item: Any) -> set:
    if isinstance(item, JoinItem):
        return _item_rts(item.left) | _item_rts(item.right)
    return {item.rt}


def _local_keys(e: Expr) -> set:
    return {k[0] for k in var_keys(e)}


def _order_items(items: list[Any], quals: list[Expr]) -> list[Any]:
    """A join order for a comma-separated FROM list that avoids cross products:
    start from an item restricted by a condition of its own, then keep adding an
    item joined to what is already there by some condition (greedy)."""
    if len(items) < 3 or any(isinstance(it, FunctionItem) or _has_lateral(it) for it in items):
        return items
    rts = [_item_rts(it) for it in items]
    qual_keys = [_local_keys(q) for q in quals]

    def restricted(i: int) -> bool:
        return any(k and k <= rts[i] for k in qual_keys)

    def connects(i: int, have: set) -> bool:
        return any(k & rts[i] and k & have and k <= have | rts[i] for k in qual_keys)

    remaining = list(range(len(items)))
    first = next((i for i in remaining if restricted(i)), remaining[0])
    order = [first]
    remaining.remove(first)
    have = set(rts[first])
    while remaining:
        pick = next((i for i in remaining if connects(i, have) and restricted(i)), None)
        if pick is None:
            pick = next((i for i in remaining if connects(i, have)), remaining[0])
        order.append(pick)
        remaining.remove(pick)
        have |= rts[pick]
    return [items[i] for i in order]


def _restricted_outer(items: list[Any], quals: list[Expr]) -> list[Any]:
    """Two scans of one CTE joined without a join clause: equal in size, and a CTE scan
    is rescanned without a Materialize, so PostgreSQL's cheaper nested loop has the one
    with restriction quals outside (they are then evaluated once per row, not once per
    outer row)."""
    if len(items) != 2 or not all(isinstance(it, CteItem) and not it.worktable
                                  for it in items) or items[0].cte is not items[1].cte:
        return items
    a, b = items
    if any(_pushable(q, {a.rt, b.rt}) and _local_keys(q) == {a.rt, b.rt} for q in quals):
        return items                    # a join clause: not a plain cross product
    ra = any(_pushable(q, {a.rt}) for q in quals)
    rb = any(_pushable(q, {b.rt}) for q in quals)
    return [b, a] if rb and not ra else items


def _has_lateral(item: Any) -> bool:
    """A LATERAL subquery in the item, which may refer to FROM items before it (a join
    holding one is then run again for each row of what comes before)."""
    if isinstance(item, SubqueryItem):
        return bool(item.lateral)
    if isinstance(item, JoinItem):
        return _has_lateral(item.left) or _has_lateral(item.right)
    return False


def _plan_from(items: list[Any], quals: list[Expr]) -> N.PlanNode:
    """Plan the FROM list; consumes the quals it applies (removes them from ``quals``)."""
    if not items:
        return N.Result()
    items = _split_lateral_joins(items, quals)
    items = _order_items(items, quals)
    items = _restricted_outer(items, quals)
    node = None
    node_rts: set = set()
    for item in items:
        if isinstance(item, FunctionItem):
            right = _plan_function(item, quals, node)
            lateral = right.lateral
        else:
            right = _plan_item(item, quals)
            lateral = _has_lateral(item)
        rts = _item_rts(item)
        if node is None:
            node, node_rts = right, rts
            continue
        node = _make_join("INNER", node, right, quals, node_rts, rts, lateral)
        node_rts = node_rts | rts
    return node


def _split_lateral_joins(items: list[Any], quals: list[Expr]) -> list[Any]:
    """``x, y JOIN LATERAL (... x ...) s ON c`` as ``x, LATERAL s, y WHERE c`` when s
    does not read y: an inner join commutes, and s then runs once per row of what comes
    before it instead of the whole join running again for each of those rows."""
    if len(items) < 2:
        return items
    out: list[Any] = []
    for item in items:
        if out and isinstance(item, JoinItem) and item.kind in ("INNER", "CROSS") and \
                isinstance(item.right, SubqueryItem) and item.right.lateral and \
                not _has_lateral(item.left):
            from tuskdb.sql.plan.pullup import _mentions
            if not any(_mentions(item.right.query, rt) for rt in _item_rts(item.left)):
                out += [item.right, item.left]
                quals += conjuncts(item.quals)
                continue
        out.append(item)
    return out


# -- sublinks as joins (PostgreSQL's pull_up_sublinks) ------------------------------


def _sublink_qual(q: Expr) -> bool:
    if isinstance(q, BoolExpr) and q.op == "NOT" and isinstance(q.args[0], SubLink):
        return q.args[0].kind == "EXISTS"
    return isinstance(q, SubLink) and q.kind in ("EXISTS", "ANY")


def _pull_up_sublinks(node: N.PlanNode, quals: list[Expr]) -> N.PlanNode:
    """WHERE conjuncts ``EXISTS (...)``, ``NOT EXISTS (...)`` and ``x IN (...)`` over a
    simple subquery become semi/anti joins against it (hashed on the equality conditions
    that correlate it), instead of a subquery run once per outer row."""
    for q in list(quals):
        anti = False
        link = q
        if isinstance(q, BoolExpr) and q.op == "NOT" and isinstance(q.args[0], SubLink):
            anti, link = True, q.args[0]
        if not isinstance(link, SubLink) or not (
                link.kind == "EXISTS" or (link.kind == "ANY" and not anti)):
            continue
        joined = _sublink_join(node, link, anti)
        if joined is not None:
            node = joined
            quals.remove(q)
    return node


def _sublink_join(left: N.PlanNode, link: SubLink, anti: bool) -> N.PlanNode | None:
    sub = link.plan
    if not isinstance(sub, Query) or sub.setop is not None or sub.has_agg or sub.group_by \
            or sub.having is not None or sub.windows or sub.srfs or sub.limit is not None \
            or sub.offset is not None or sub.locking or sub.grouping_sets is not None:
        return None
    split = _split_correlation(sub)
    if split is None:
        return None
    inner, corr = split
    lrts = {k[0] for k in left.layout}
    srts: set = set()
    for it in sub.from_items:
        srts |= _item_rts(it)
    if any(not (_local_keys(c) <= lrts | srts) for c in corr):
        return None
    right = _plan_from(sub.from_items, inner)
    if inner:
        right = N.Filter(right, _compile_quals(inner, right.layout))
    lkeys, rkeys, rest = [], [], []
    if link.kind == "ANY":
        test, (fn, rhs) = link.test, link.op
        target = sub.targets[0] if len(sub.output) == 1 and sub.targets else None
        if target is None or getattr(link, "opname", None) != "=" or \
                test.type_oid != rhs.type_oid or _has_volatile(test) or \
                not (_local_keys(test) <= lrts) or any(
                    isinstance(x, (SubLink, OuterVar)) for x in walk(test)) or any(
                    isinstance(x, (SubLink, OuterVar)) for x in walk(target)) or \
                _has_volatile(target) or _geometric(test.type_oid):
            return None
        tf = compile_expr(target, right.layout)
        lkeys.append(compile_expr(test, left.layout))
        if isinstance(rhs, Var):
            rkeys.append(tf)
        else:       # the subquery's column coerced to the comparison's type
            rf = compile_expr(rhs, {(("sub", 0), 0): 0})
            rkey = lambda row, ctx, _t=tf, _r=rf: _r((_t(row, ctx),), ctx)  # noqa: E731
            SOURCE[rkey] = target
            rkeys.append(rkey)
    for c in corr:
        pair = _equi_pair(c, lrts, srts)
        if pair is not None:
            lkeys.append(compile_expr(pair[0], left.layout))
            rkeys.append(compile_expr(pair[1], right.layout))
        else:
            rest.append(c)
    joined = {**left.layout, **{k: v + left.width for k, v in right.layout.items()}}
    kind = "ANTI" if anti else "SEMI"
    qual = _compile_quals(rest, joined)
    if lkeys:
        return N.HashJoin(kind, left, right, lkeys, rkeys, qual)
    return N.NestLoop(kind, left, right, qual)


def _split_correlation(sub: Query) -> tuple[list[Expr], list[Expr]] | None:
    """A simple subquery's WHERE conjuncts as (its own, the ones that refer to the
    query around it with those references lowered to plain Vars), or None when it
    refers to the query around it anywhere else."""
    if not sub.from_items or not all(_plain_from(it) for it in sub.from_items):
        return None
    inner, corr = [], []
    for c in conjuncts(sub.where):
        if any(isinstance(x, SubLink) for x in walk(c)):
            return None
        if not any(isinstance(x, OuterVar) for x in walk(c)):
            inner.append(c)
            continue
        lowered = _lower_outer(c)
        if lowered is None or _has_volatile(c):
            return None
        corr.append(lowered)
    return inner, corr


def hashed_exists(sub: Query, layout: dict) -> tuple[Any, list, list] | None:
    """A correlated EXISTS whose correlation is equalities only, as PostgreSQL's hashed
    SubPlan: (plan of the subquery without them, its key functions, the outer row's key
    functions); the subquery then runs once and each outer row probes its keys."""
    if sub.setop is not None or sub.has_agg or sub.group_by or sub.having is not None \
            or sub.windows or sub.srfs or sub.limit is not None or sub.offset is not None \
            or sub.locking or sub.grouping_sets is not None:
        return None
    split = _split_correlation(sub)
    if split is None or not split[1]:
        return None
    inner, corr = split
    lrts = {k[0] for k in layout}
    srts: set = set()
    for it in sub.from_items:
        srts |= _item_rts(it)
    pairs = [_equi_pair(c, lrts, srts) for c in corr]
    if any(p is None for p in pairs):
        return None
    plan = _plan_from(sub.from_items, inner)
    if inner:
        plan = N.Filter(plan, _compile_quals(inner, plan.layout))
    return (plan, [compile_expr(p[1], plan.layout) for p in pairs],
            [compile_expr(p[0], layout) for p in pairs])


def _plain_from(item: Any) -> bool:
    """A FROM item of a subquery that cannot refer to the query around it."""
    if isinstance(item, RelItem):
        ts = item.tablesample
        return ts is None or not any(
            isinstance(x, (OuterVar, SubLink))
            for e in ts.args + ([ts.repeatable] if ts.repeatable is not None else [])
            for x in walk(e))
    if isinstance(item, JoinItem):
        return _plain_from(item.left) and _plain_from(item.right) and (
            item.quals is None or not any(isinstance(x, (OuterVar, SubLink))
                                          for x in walk(item.quals)))
    return False


def _geometric(type_oid: int) -> bool:
    t = types.TYPES.get(type_oid)
    return t is not None and t.category == "G"


def _lower_outer(e: Expr) -> Expr | None:
    """``e`` with the enclosing query's columns (OuterVar of level 1) as plain Vars, or
    None when ``e`` has a form this does not rewrite."""
    import copy
    if isinstance(e, OuterVar):
        return e.var if e.level == 1 else None
    if isinstance(e, (Var, Const, Param, Literal)):
        return e
    if isinstance(e, (Func, BoolExpr)):
        args = [_lower_outer(a) for a in e.args]
        if any(a is None for a in args):
            return None
        out = copy.copy(e)
        out.args = args
        return out
    return None


def _take(quals: list[Expr], pred: Any) -> list[Expr]:
    taken = [q for q in quals if pred(q)]
    for t in taken:
        quals.remove(t)
    return taken


def _pushable(q: Expr, rts: set) -> bool:
    keys = _local_keys(q)
    return bool(keys) and keys <= rts and not _has_volatile(q)


def _has_volatile(e: Expr) -> bool:
    return any(isinstance(x, Func) and x.volatile for x in walk(e))


def _plan_item(item: Any, quals: list[Expr]) -> N.PlanNode:
    if isinstance(item, RelItem):
        mine = _take(quals, lambda q: _pushable(q, {item.rt}))
        return _plan_rel(item, mine)
    if isinstance(item, SubqueryItem):
        sub = plan_query(item.query)
        node = N.SubqueryScan(item.rt, sub, len(item.query.output))
        # PostgreSQL's trivial_subqueryscan: a scan whose output is exactly its
        # subplan's (no junk columns) and that filters nothing is removed from the
        # plan; a filter or a projection put on it later makes it non-trivial
        node.trivial = not item.query.junk
        mine = _take(quals, lambda q: _pushable(q, {item.rt}))
        if mine:
            node = N.Filter(node, _compile_quals(mine, node.layout))
        return node
    if isinstance(item, ValuesItem):
        node = N.ValuesScan(item.rt, [[compile_expr(e, {}) for e in r] for r in item.rows])
        mine = _take(quals, lambda q: _pushable(q, {item.rt}))
        if mine:
            node = N.Filter(node, _compile_quals(mine, node.layout))
        return node
    if isinstance(item, JoinItem):
        return _plan_join(item, quals)
    if isinstance(item, FunctionItem):
        return _plan_function(item, quals, None)
    if isinstance(item, CteItem):
        cte = item.cte
        if cte.plan is None and not item.worktable and cte.modify is None:
            if cte.recursive:
                base, rec = cte.query
                cte.plan = N.RecursiveUnion(cte.id, plan_query(base), plan_query(rec),
                                            cte.union_all, len(cte.coltypes))
            else:
                cte.plan = plan_query(cte.query)
        node = N.CteScan(item.rt, cte, len(cte.coltypes), item.worktable)
        mine = _take(quals, lambda q: _pushable(q, {item.rt}))
        if mine:
            node = N.Filter(node, _compile_quals(mine, node.layout))
        return node
    if isinstance(item, tuple) and item[0] == "setop":
        raise PgError("XX000", "unexpected set operation in FROM")
    raise PgError(FEATURE_NOT_SUPPORTED, f"FROM item {type(item).__name__} is not supported")


def _plan_function(item: FunctionItem, quals: list[Expr], left: N.PlanNode | None
                   ) -> N.PlanNode:
    if isinstance(item.call, list):
        # ROWS FROM (f1(...), f2(...), ...): the functions side by side
        subs = [_function_node(item.rt, c, False, left) for c in item.call]
        node = N.RowsFromScan(item.rt, subs, item.widths, item.ordinality)
        lateral = any(s.lateral for s in subs)
        node.lateral = lateral
        node.fname = getattr(item.call[0], "name", None)
    else:
        node = _function_node(item.rt, item.call, item.ordinality, left)
        lateral = node.lateral
    mine = _take(quals, lambda q: _pushable(q, {item.rt}))
    if mine:
        filt = N.Filter(node, _compile_quals(mine, node.layout))
        filt.lateral = lateral
        return filt
    return node


def _function_node(rt: int, call: Any, ordinality: bool, left: N.PlanNode | None
                   ) -> N.PlanNode:
    layout = left.layout if left is not None else {}
    if isinstance(call, SRFCall):
        args = call.args
        lateral = left is not None and any(var_keys(a) for a in args)
        node = N.FunctionScan(rt, call.fn, [compile_expr(a, layout) for a in args],
                              call.strict, call.needs_ctx, getattr(call, "retset", True),
                              ordinality, lateral,
                              len(getattr(call, "columns", None) or ()) or 1)
    else:
        lateral = left is not None and bool(var_keys(call))
        f = compile_expr(call, layout)
        node = N.FunctionScan(rt, lambda ctx, row=None: f(row, ctx), [], False, True,
                              False, ordinality, lateral,
                              len(getattr(call, "columns", None) or ()) or 1)
        if lateral:
            node.fn = lambda ctx: f(ctx.outer[-1][0], ctx)
        else:
            node.fn = lambda ctx: f((), ctx)
    node.fname = getattr(call, "name", None)
    # a record-returning call (OUT parameters, composite type, column definition list)
    # yields tuples even for one column
    node.record = bool(getattr(call, "columns", None))
    return node


def _plan_join(item: JoinItem, quals: list[Expr]) -> N.PlanNode:
    lrts, rrts = _item_rts(item.left), _item_rts(item.right)
    kind = item.kind
    jq = conjuncts(item.quals)
    if kind in ("INNER", "CROSS"):
        # WHERE quals and ON quals are interchangeable for inner joins
        left = _plan_item(item.left, quals)
        right, lateral = _plan_join_right(item.right, quals, left)
        return _make_join("INNER", left, right, jq + _take(quals, lambda q: _pushable(
            q, lrts | rrts)), lrts, rrts, lateral, all_quals=True)
    # outer joins: WHERE quals may go to the non-nullable side only
    left_q = quals if kind == "LEFT" else []
    right_q = quals if kind == "RIGHT" else []
    left = _plan_item(item.left, left_q)
    right, lateral = _plan_join_right(item.right, right_q, left)
    # ON quals that mention only the nullable side can be pushed into it
    if kind == "LEFT":
        push = [q for q in jq if _pushable(q, rrts)]
        if push:
            for p in push:
                jq.remove(p)
            right = N.Filter(right, _compile_quals(push, right.layout))
    elif kind == "RIGHT":
        push = [q for q in jq if _pushable(q, lrts)]
        if push:
            for p in push:
                jq.remove(p)
            left = N.Filter(left, _compile_quals(push, left.layout))
    return _make_join(kind, left, right, jq, lrts, rrts, lateral, all_quals=True)


def _plan_join_right(item: Any, quals: list[Expr], left: N.PlanNode) -> tuple[N.PlanNode, bool]:
    """The right side of a join; a function (JSON_TABLE, generate_series(t.x)) or LATERAL
    subquery there may refer to the left side, which a nested loop then provides."""
    if isinstance(item, FunctionItem):
        right = _plan_function(item, quals, left)
        return right, bool(getattr(right, "lateral", False))
    return _plan_item(item, quals), isinstance(item, SubqueryItem) and bool(item.lateral)


def _make_join(kind: str, left: N.PlanNode, right: N.PlanNode, quals: list[Expr],
               lrts: set, rrts: set, lateral: bool, all_quals: bool = False) -> N.PlanNode:
    if all_quals:
        mine = list(quals)
        quals.clear() if not isinstance(quals, tuple) else None
    else:
        mine = _take(quals, lambda q: _pushable(q, lrts | rrts))
    if kind == "RIGHT":
        # run as a LEFT join with the inputs swapped, then restore column order
        node = _make_join("LEFT", right, left, mine, rrts, lrts, lateral, all_quals=True)
        lw, rw = left.width, right.width
        exprs = [(lambda i: (lambda row, ctx: row[i]))(rw + i) for i in range(lw)] + \
                [(lambda i: (lambda row, ctx: row[i]))(i) for i in range(rw)]
        layout = {**left.layout, **{k: v + lw for k, v in right.layout.items()}}
        return N.Project(node, exprs, layout)
    lkeys, rkeys, rest = [], [], []
    if not lateral:
        for q in mine:
            pair = _equi_pair(q, lrts, rrts)
            if pair is not None:
                lkeys.append(pair[0])
                rkeys.append(pair[1])
            else:
                rest.append(q)
    else:
        rest = mine
    width_layout = {**left.layout, **{k: v + left.width for k, v in right.layout.items()}}
    if lkeys and kind in ("INNER", "LEFT") and not _setting_on("enable_hashjoin"):
        param = _param_tid_join(kind, left, right, mine, lrts, rrts, width_layout)
        if param is not None:
            return param
    if lkeys:
        return N.HashJoin(kind, left, right, [compile_expr(e, left.layout) for e in lkeys],
                          [compile_expr(e, right.layout) for e in rkeys],
                          _compile_quals(rest, width_layout))
    return N.NestLoop(kind, left, right, _compile_quals(rest, width_layout), lateral)


def _setting_on(name: str) -> bool:
    """A boolean planner setting (enable_*) of the session being planned for."""
    ctx = _planning_ctx()
    if ctx is None or ctx.session is None:
        return True
    v = ctx.session.settings.get(name, True)
    return v not in (False, "off", "false", 0)


def _param_tid_join(kind: str, left: N.PlanNode, right: N.PlanNode, quals: list[Expr],
                    lrts: set, rrts: set, layout: dict) -> N.PlanNode | None:
    """A nested loop whose inner side is a Tid Scan parameterized by the outer row
    (``outer.ctid = inner.ctid``), PostgreSQL's parameterized TID path: the inner scan
    fetches one tuple per outer row."""
    filters = []
    while isinstance(right, N.Filter):
        filters.append(right.qual)
        right = right.child
    if type(right) is not N.SeqScan or len(rrts) != 1:
        return None
    rt = right.rt
    for q in quals:
        pair = _equi_pair(q, lrts, rrts)
        if pair is None or not _is_ctid(pair[1], rt) or \
                any(isinstance(x, SubLink) for x in walk(pair[0])):
            continue
        outer = compile_expr(pair[0], left.layout)

        def tid(row: tuple, ctx: Any, _f=outer) -> Any:
            return _f(ctx.outer[-1][0], ctx)
        scan = N.TidScan(rt, right.rel, [(False, tid)], right.qual)
        a, b = q.args
        scan.tid_quals = [_with_args(q, [_as_outer(a, lrts), _as_outer(b, lrts)])]
        inner: N.PlanNode = scan
        for f in reversed(filters):
            inner = N.Filter(inner, f)
        rest = [x for x in quals if x is not q]
        return N.NestLoop(kind, left, inner, _compile_quals(rest, layout), True)
    return None


def _as_outer(e: Expr, rts: set) -> Expr:
    """``e`` with its columns of ``rts`` as outer references (a parameterized scan's
    condition prints them qualified)."""
    if isinstance(e, Var) and e.rt in rts:
        return OuterVar(1, e)
    if isinstance(e, (Func, BoolExpr)):
        return _with_args(e, [_as_outer(a, rts) for a in e.args])
    return e


def _with_args(e: Any, args: list) -> Any:
    import copy
    out = copy.copy(e)
    out.args = args
    return out


def _equi_pair(q: Expr, lrts: set, rrts: set) -> tuple[Expr, Expr] | None:
    if not (isinstance(q, Func) and q.name == "=" and len(q.args) == 2):
        return None
    a, b = q.args
    ka, kb = _local_keys(a), _local_keys(b)
    if not ka or not kb or _has_volatile(q):
        return None
    if a.type_oid != b.type_oid:
        return None
    t = types.TYPES.get(a.type_oid)
    if t is not None and t.category == "G":
        return None     # geometric "=" compares areas/lengths fuzzily: not hashable
    if ka <= lrts and kb <= rrts:
        return a, b
    if ka <= rrts and kb <= lrts:
        return b, a
    return None


# -- base relations ------------------------------------------------------------------

_RANGE_OPS = {"<": ("upper", False), "<=": ("upper", True), ">": ("lower", False),
              ">=": ("lower", True)}
_COMMUTE = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}
_INT_TYPES = frozenset((20, 21, 23))


def _runtime_value(e: Expr) -> bool:
    """Known before the scan starts: constants, parameters, outer references."""
    return all(not isinstance(x, (Var, SubLink)) or isinstance(x, OuterVar)
               for x in walk(e)) and not _has_volatile(e) and \
        all(not isinstance(x, Var) for x in walk(e))


def _index_cond(q: Expr, rt: int) -> tuple[int, str, Expr] | None:
    """(attno, operator, value expr) if ``q`` is ``column op value``."""
    if not (isinstance(q, Func) and q.name in _COMMUTE and len(q.args) == 2):
        return None
    a, b = q.args
    op = q.name
    if isinstance(b, Var) and b.rt == rt and not isinstance(a, Var):
        a, b = b, a
        op = _COMMUTE[op]
    if not (isinstance(a, Var) and a.rt == rt):
        return None
    if not _runtime_value(b):
        return None
    if a.type_oid != b.type_oid and not (op == "=" and a.type_oid in _INT_TYPES
                                         and b.type_oid in _INT_TYPES):
        return None
    return a.attno, op, b


def _plan_rel(item: RelItem, quals: list[Expr], attmap: tuple | None = None) -> N.PlanNode:
    """Scan of one relation.  With ``attmap`` (an inheritance child) the quals speak
    of the parent's columns: column i of the parent is at attmap[i] in the child row."""
    rel = item.rel
    if item.rls_deny:
        # row security without a policy: no row is visible (default deny)
        return _EmptyScan(item.rt, item.ncols)
    if item.children:
        return _plan_inherited(item, quals)
    if attmap is None:
        layout = {(item.rt, i): i for i in range(item.ncols)}
    else:
        n = len(rel.columns)
        layout = {(item.rt, i): m for i, m in enumerate(attmap) if m is not None}
        layout[(item.rt, len(attmap))] = n
        layout[(item.rt, len(attmap) + 1)] = n + 1
    if rel.relkind == "p":
        # a partitioned table holds no rows itself
        return _EmptyScan(item.rt, item.ncols)
    if rel.relkind == "S":
        return N.SequenceScan(item.rt, rel, _compile_quals(quals, layout))
    if rel.relkind == "t":
        # a TOAST table: TuskDB keeps big values inline, so it holds no chunks
        # (sql/commands/toasting.py)
        return _EmptyScan(item.rt, item.ncols)
    if rel.relkind not in ("r", "p", "m"):
        raise PgError(FEATURE_NOT_SUPPORTED, f'scanning "{rel.name}" is not supported')
    if item.tablesample is not None:
        return _sample_scan(item, rel, _compile_quals(quals, layout))
    tid_node = _tid_scan(item, quals, layout) if attmap is None else None
    if isinstance(tid_node, N.TidScan):
        return tid_node
    conds = []
    for q in quals:
        c = _index_cond(q, item.rt)
        if c is not None:
            if attmap is not None:
                if c[0] >= len(attmap) or attmap[c[0]] is None:
                    continue
                c = (attmap[c[0]], c[1], c[2])
            conds.append((c, q))
    best = None
    for ix in rel.indexes:
        if not ix.valid or ix.exprs:
            continue                # expression indexes: not used for scans yet
        implied: list[Expr] = []
        if ix.predicate:
            # a partial index serves a scan whose quals imply its predicate
            implied = _predicate_implied(ix, item, quals)
            if implied is None:
                continue
        eq: list[Expr] = []
        used = []
        for attnum in ix.attnums:
            col = attnum - 1
            hit = next(((c, q) for c, q in conds if c[0] == col and c[1] == "="), None)
            if hit is None:
                break
            eq.append(hit[0][2])
            used.append(hit[1])
        lower = upper = None
        if ix.am == "hash" and len(eq) < len(ix.attnums):
            continue                 # a hash index answers equality on its key only
        if len(eq) < len(ix.attnums):
            col = ix.attnums[len(eq)] - 1
            for c, q in conds:
                if c[0] == col and c[1] in _RANGE_OPS:
                    side, incl = _RANGE_OPS[c[1]]
                    if side == "lower" and lower is None:
                        lower = (c[2], incl)
                        used.append(q)
                    elif side == "upper" and upper is None:
                        upper = (c[2], incl)
                        used.append(q)
        if not eq and lower is None and upper is None:
            continue
        score = (len(eq) == len(ix.attnums) and ix.unique, len(eq), lower is not None,
                 bool(ix.predicate))
        if best is None or score > best[0]:
            best = (score, ix, eq, lower, upper, used, implied)
    if tid_node is not None and (best is None or not best[2]):
        return tid_node             # TID bounds beat an index range (or no index)
    if best is None:
        return N.SeqScan(item.rt, rel, _compile_quals(quals, layout))
    _, ix, eq, lower, upper, used, implied = best
    # quals the index's predicate already guarantees are not checked again
    rest = [q for q in quals if q not in used and not any(q is i for i in implied)]
    key_types = [rel.columns[a - 1].type_oid for a in ix.attnums]
    eq_c = [_key_value(e, key_types[i]) for i, e in enumerate(eq)]
    n = len(eq)
    lo = (_key_value(lower[0], key_types[n]), lower[1]) if lower is not None else None
    hi = (_key_value(upper[0], key_types[n]), upper[1]) if upper is not None else None
    node = N.IndexScan(item.rt, rel, ix, eq_c, key_types, lo, hi,
                       _compile_quals(rest, layout))
    node.index_quals = used          # for EXPLAIN's Index Cond
    needed = getattr(item, "needed", None)
    if needed is not None and attmap is None and ix.am == "btree" and \
            needed <= {a - 1 for a in tuple(ix.attnums) + tuple(ix.include) if a > 0}:
        # every column the query reads is in the index: PostgreSQL's index-only scan
        node.index_only = True
    return node


def _predicate_implied(ix: Any, item: RelItem, quals: list[Expr]) -> list[Expr] | None:
    """PostgreSQL's predicate_implied_by for the simple cases: every conjunct of the
    partial index's predicate equals one of the scan's quals.  Returns those quals
    (None when the predicate is not implied).  A lifted literal matched against the
    predicate's constant is recorded as structural: the plan holds for that value only."""
    ctx = _planning_ctx()
    if ctx is None or ctx.session is None or item.children:
        return None
    from tuskdb.sql.execute.indexkeys import analyze_index_exprs
    try:
        pred = analyze_index_exprs(item.rel, [ix.predicate], ctx.session,
                                   kind="index predicates")[0]
    except PgError:
        return None
    out: list[Expr] = []
    for p in conjuncts(pred):
        for q in quals:
            lits: list = []
            if _same_clause(p, q, item.rt, lits):
                if ctx.structural is not None:
                    for slot, value in lits:
                        ctx.structural[slot] = value
                out.append(q)
                break
        else:
            return None
    return out


def _same_clause(p: Expr, q: Expr, rt: int, lits: list) -> bool:
    """Is ``q`` (over range-table entry ``rt``) the predicate clause ``p`` (over entry 1)?
    Lifted literals in ``q`` match equal constants in ``p`` (appended to ``lits``)."""
    if isinstance(p, Var):
        return isinstance(q, Var) and not isinstance(q, OuterVar) and q.rt == rt and \
            p.attno == q.attno
    if isinstance(p, Const):
        if isinstance(q, Const):
            return q.type_oid == p.type_oid and q.value == p.value
        if isinstance(q, Literal) and q.type_oid == p.type_oid:
            value = getattr(q, "value", None)
            if value is not None and value == p.value:
                lits.append((q.slot, value))
                return True
        return False
    if isinstance(p, Func):
        return isinstance(q, Func) and p.name == q.name and p.type_oid == q.type_oid and \
            getattr(getattr(p, "op", None), "oid", None) == \
            getattr(getattr(q, "op", None), "oid", None) and \
            getattr(p, "cast", None) == getattr(q, "cast", None) and \
            len(p.args) == len(q.args) and not p.volatile and \
            all(_same_clause(a, b, rt, lits) for a, b in zip(p.args, q.args))
    if isinstance(p, BoolExpr):
        return isinstance(q, BoolExpr) and p.op == q.op and len(p.args) == len(q.args) and \
            all(_same_clause(a, b, rt, lits) for a, b in zip(p.args, q.args))
    return False


def _is_ctid(e: Expr, rt: int) -> bool:
    """Is ``e`` the ctid system column of range-table entry ``rt``?"""
    from tuskdb.access.tid import tid_tuple
    return isinstance(e, Func) and e.fn is tid_tuple and len(e.args) == 1 and \
        isinstance(e.args[0], Var) and e.args[0].rt == rt


def _tid_compare(q: Expr, rt: int) -> tuple[str, Expr] | None:
    """(operator with ctid on the left, value) for ``ctid op value`` / ``value op ctid``."""
    if not (isinstance(q, Func) and getattr(q, "op", None) is not None and
            q.name in _COMMUTE and len(q.args) == 2):
        return None
    a, b = q.args
    op = q.name
    if _is_ctid(b, rt) and not _is_ctid(a, rt):
        a, b, op = b, a, _COMMUTE[op]
    if not _is_ctid(a, rt) or b.type_oid != 27 or not _runtime_value(b):
        return None
    return op, b


def _tid_equality(q: Expr, rt: int) -> tuple[int, list[tuple[bool, Expr]]] | None:
    """A condition a Tid Scan can answer, as (preference, [(is_array, value)]):
    ctid = value (0), ctid = ANY (array) or ctid IN (...) (1)."""
    c = _tid_compare(q, rt)
    if c is not None:
        return (0, [(False, c[1])]) if c[0] == "=" else None
    if isinstance(q, Func) and getattr(q, "sa_op", None) == ("=", True) and \
            _is_ctid(q.args[0], rt) and _runtime_value(q.args[1]):
        return 1, [(True, q.args[1])]
    if isinstance(q, InList) and q.use_or and getattr(q, "opname", "=") == "=" and \
            _is_ctid(q.left, rt) and all(_runtime_value(i) for i in q.items):
        return 1, [(False, i) for i in q.items]
    return None


def _tid_or(q: Expr, rt: int) -> tuple[list[tuple[bool, Expr]], list[Expr], bool] | None:
    """An OR whose every arm is (or contains, ANDed) a TID equality: the values, the
    arms' TID conditions, and whether the OR consists of TID conditions only."""
    if not (isinstance(q, BoolExpr) and q.op == "OR"):
        return None
    values: list[tuple[bool, Expr]] = []
    conds: list[Expr] = []
    direct = True
    for arm in q.args:
        hit = _tid_equality(arm, rt)
        if hit is not None:
            values += hit[1]
            conds.append(arm)
            continue
        direct = False
        if not (isinstance(arm, BoolExpr) and arm.op == "AND"):
            return None
        found = sorted(((h[0], i, a, h[1]) for i, a in enumerate(arm.args)
                        if (h := _tid_equality(a, rt)) is not None), key=lambda x: x[:2])
        if not found:
            return None
        values += found[0][3]
        conds.append(found[0][2])
    return values, conds, direct


def _tid_scan(item: RelItem, quals: list[Expr], layout: dict) -> N.PlanNode | None:
    """PostgreSQL's TID paths: a Tid Scan for ctid equalities (preferring a plain
    equality, then = ANY, then an OR of them), else a Tid Range Scan for ctid bounds."""
    rt, rel = item.rt, item.rel
    for q in quals:
        if getattr(q, "cursor_name", None) is not None and isinstance(q, Func) and \
                isinstance(q.args[0], Var) and q.args[0].rt == rt:
            return _current_of_scan(item, q, [x for x in quals if x is not q], layout)
    best = None
    for i, q in enumerate(quals):
        hit = _tid_equality(q, rt)
        if hit is not None:
            cand = (hit[0], i, hit[1], q, [q], True)
        else:
            o = _tid_or(q, rt)
            if o is None:
                continue
            cand = (2, i, o[0], q, o[1], o[2])
        if best is None or cand[:2] < best[:2]:
            best = cand
    if best is not None:
        _, _, values, q, conds, direct = best
        rest = [x for x in quals if not (direct and x is q)]
        node = N.TidScan(rt, rel, [(arr, compile_expr(v, {})) for arr, v in values],
                         _compile_quals(rest, layout))
        node.tid_quals = [q] if direct else [BoolExpr("OR", conds)]
        return node
    bounds = []
    used = []
    for q in quals:
        c = _tid_compare(q, rt)
        if c is not None and c[0] in _RANGE_OPS:
            bounds.append((c[0], compile_expr(c[1], {})))
            used.append(q)
    if not bounds:
        return None
    node = N.TidRangeScan(rt, rel, bounds, _compile_quals([x for x in quals if x not in used],
                                                           layout))
    node.tid_quals = used
    return node


def _current_of_scan(item: RelItem, cond: Func, rest: list[Expr], layout: dict
                     ) -> N.PlanNode:
    """WHERE CURRENT OF cursor: a Tid Scan of the (newest version of the) row the
    cursor is positioned on, as PostgreSQL's TID path for a CurrentOfExpr."""
    from tuskdb.access.tid import tid_tuple
    from tuskdb.sql.commands.currentof import current_of_tid
    name = cond.cursor_name
    relid, relname = cond.cursor_target
    oid = item.rel.oid

    pnum = getattr(cond, "cursor_param", None)

    def cursor_tid(row: tuple, ctx: Any) -> Any:
        # a PL/pgSQL cursor variable (cursor_param) holds the portal's name
        portal = name if pnum is None else ctx.params[pnum - 1]
        if portal is None:
            raise PgError("22004", f'cursor variable "{name}" is null')
        at = current_of_tid(ctx, portal, relid, relname)
        return tid_tuple(at[1]) if at is not None and at[0] == oid else None
    node = N.TidScan(item.rt, item.rel, [(False, cursor_tid)], _compile_quals(rest, layout))
    node.tid_quals = [cond]
    return node


def _EmptyScan(rt: int, width: int) -> N.PlanNode:
    node = N.ValuesScan(rt, [])
    node.width = width
    node.layout = {(rt, i): i for i in range(width)}
    return node


def _sample_scan(item: RelItem, rel: Any, qual: Any) -> N.PlanNode:
    """TABLESAMPLE: a Sample Scan (no index or TID scan then)."""
    from tuskdb.sql.execute.tablesample import TSM_METHODS, SampleScan
    ts = item.tablesample
    rep = ts.repeatable
    return SampleScan(item.rt, rel, qual, TSM_METHODS[ts.method],
                      [compile_expr(a, {}) for a in ts.args],
                      compile_expr(rep, {}) if rep is not None else None, ts.args, rep)


def _plan_inherited(item: RelItem, quals: list[Expr]) -> N.PlanNode:
    """A table and its descendants: an Append of one scan per relation."""
    from tuskdb.sql.execute.append import Append, ChildRowMap
    parent = RelItem(item.rt, item.rel, item.ncols, tablesample=item.tablesample)
    layout = {(item.rt, i): i for i in range(item.ncols)}
    parts = []
    if item.rel.relkind != "p":
        parts.append(_plan_rel(parent, quals))
    for child, attmap in item.children:
        if child.relkind == "p":
            continue
        scan = _plan_rel(RelItem(item.rt, child, len(child.columns) + 2,
                                 tablesample=item.tablesample), quals, attmap)
        parts.append(ChildRowMap(scan, attmap, len(child.columns), layout, item.ncols))
    if len(parts) == 1:
        return parts[0]
    return Append(parts, layout, item.ncols)


def _key_value(e: Expr, col_type: int) -> Any:
    """Compile a key expression; integer values are range-checked for the column type."""
    f = compile_expr(e, {})
    if e.type_oid != col_type and col_type in _INT_TYPES:
        lo, hi = {21: (-32768, 32767), 23: (-(2**31), 2**31 - 1),
                  20: (-(2**63), 2**63 - 1)}[col_type]

        def checked(row: tuple, ctx: Any) -> Any:
            v = f(row, ctx)
            if v is not None and not lo <= v <= hi:
                raise PgError("22003", N.OUT_OF_KEY_RANGE)
            return v
        return checked
    return f


__all__ = ["plan_query", "conjuncts", "and_all", "Const", "Literal", "Param"]


# -- INSERT / UPDATE / DELETE -----------------------------------------------------------


def plan_modify(mq: Any) -> Any:
    """ModifyQuery → ModifyTable (whose source is an ordinary plan)."""
    mt = _plan_modify(mq)
    # the columns the statement writes: an error's row detail may show them to a user
    # without SELECT on them (ExecBuildSlotValueDescription)
    mods = set(getattr(mq, "target_cols", None) or ()) | set(getattr(mq, "set_exprs", None) or ())
    oc = getattr(mq, "on_conflict", None)
    if oc is not None:
        mods |= set(getattr(oc, "set_exprs", None) or ())
    mt.modified_cols = frozenset(mods)
    return mt


def _plan_modify(mq: Any) -> Any:
    from tuskdb.sql.execute.modify import ModifyTable

    if mq.kind == "MERGE":
        from tuskdb.sql.plan.merge import plan_merge
        return plan_merge(mq)
    rel = mq.rel
    width = len(rel.columns)
    layout = {(mq.rt, i): i for i in range(width + 2)}
    vp = None
    if mq.view is not None:         # through an updatable view: rows carry its columns
        from tuskdb.sql.plan.viewmodify import ViewPlan
        vp = ViewPlan(mq.view, width)
        layout = vp.layout
    checks = [(name, compile_expr(e, layout)) for name, e in mq.checks]
    returning = None
    if mq.kind == "INSERT":
        rbase = width + 2 + (vp.nview if vp is not None else 0)
        if mq.output:
            rlayout = old_new_layout(mq, layout, rbase)
            returning = [compile_expr(e, rlayout) for e in mq.returning]
        source = plan_query(mq.source) if mq.source.from_items or mq.source.targets else \
            N.Project(N.Result(), [])
        cols = list(mq.target_cols)
        defaults = [(c, compile_expr(e, {})) for c, e in sorted(mq.defaults.items())]
        pairs = list(enumerate(cols))

        def fill(src: tuple, ctx: Any) -> tuple:
            vals = [None] * width
            for j, c in pairs:
                vals[c] = src[j]
            for c, f in defaults:
                vals[c] = f((), ctx)
            return tuple(vals)
        mt = ModifyTable("INSERT", rel, source, fill, checks, returning)
        mt.rls_deny = getattr(mq, "rls_deny", False)
        mt.view = vp
        mt.target_rt = mq.rt
        mt.set_generated(_compile_generated(mq, layout))
        mt.router, mt.partcheck = mq.router, mq.partcheck
        oc = mq.on_conflict
        if oc is not None:
            mt.on_conflict = oc
            if oc.action == "UPDATE":
                both = vp.conflict_layout(oc.excluded_rt) if vp is not None else \
                    {**layout, **{(oc.excluded_rt, i): width + 2 + i for i in range(width)}}
                fs = []
                for i in range(width):
                    e = oc.set_exprs.get(i)
                    fs.append(compile_expr(e, both) if e is not None else
                              (lambda k: (lambda row, ctx: row[k]))(i))
                mt.conflict_set = fs
                mt.conflict_where = compile_expr(oc.where, both) \
                    if oc.where is not None else None
        _set_old_new(mt, mq, rbase)
        return mt
    quals = conjuncts(mq.where)
    if vp is not None:
        return _plan_view_modify(mq, vp, quals, checks, returning)
    target = RelItem(mq.rt, rel, width + 2, mq.children,
                     rls_deny=getattr(mq, "rls_deny", False))
    if mq.from_items:
        rest = list(quals)
        scan = _plan_from([target] + mq.from_items, rest)
        if rest:
            scan = N.Filter(scan, _compile_quals(rest, scan.layout))
        layout = scan.layout
        checks = [(name, compile_expr(e, {(mq.rt, i): i for i in range(width + 2)}))
                  for name, e in mq.checks]
    else:
        scan = _plan_rel(target, list(quals))
    qual = compile_expr(mq.where, layout) if mq.where is not None else None
    rbase = scan.width
    if mq.output:
        rlayout = old_new_layout(mq, layout, rbase)
        returning = [compile_expr(e, rlayout) for e in mq.returning]
    newvals = None
    if mq.kind == "UPDATE":
        fs = []
        for i in range(width):
            e = mq.set_exprs.get(i)
            if e is None:
                fs.append((lambda k: (lambda row, ctx: row[k]))(i))
            else:
                fs.append(compile_expr(e, layout))

        def newvals(row: tuple, ctx: Any) -> tuple:
            return tuple([f(row, ctx) for f in fs])
    mt = ModifyTable(mq.kind, rel, scan, None, checks, returning, qual, newvals)
    mt.children = {child.oid: (child, attmap) for child, attmap in mq.children}
    # a constant-false WHERE prunes every partition (no result relations to check)
    mt.pruned_all = isinstance(mq.where, Const) and not mq.where.value
    if mq.kind == "UPDATE":
        mt.set_generated(_compile_generated(mq, {(mq.rt, i): i for i in range(width + 2)}))
        mt.router, mt.partcheck = mq.router, mq.partcheck
    _set_old_new(mt, mq, rbase)
    return mt


def _set_old_new(mt: Any, mq: Any, rbase: int) -> None:
    """RETURNING OLD/NEW: where the old and new rows go (analyze/returning.py)."""
    if getattr(mq, "old_rt", 0) and mt.returning is not None:
        mt.returning_base = rbase
        mt.returning_width = mq.old_new_width


def _plan_view_modify(mq: Any, vp: Any, quals: list[Expr], checks: list, returning: Any
                      ) -> Any:
    """UPDATE/DELETE through an updatable view (plan/viewmodify.py)."""
    from tuskdb.sql.execute.modify import ModifyTable

    width = vp.width
    scan = vp.scan(_plan_rel)
    rest = list(quals)
    if mq.from_items:
        right = _plan_from(mq.from_items, rest)
        vrts = {mq.rt} | {lvl.rt for lvl in mq.view.levels}
        frts: set = set()
        for item in mq.from_items:
            frts |= _item_rts(item)
        scan = _make_join("INNER", scan, right, rest, vrts, frts, False)
    if rest:
        scan = N.Filter(scan, _compile_quals(rest, scan.layout))
    layout = scan.layout
    qual = _compile_quals(vp.all_quals() + quals, layout)
    rbase = scan.width
    if mq.output:
        rlayout = old_new_layout(mq, layout, rbase)
        returning = [compile_expr(e, rlayout) for e in mq.returning]
    newvals = None
    if mq.kind == "UPDATE":
        fs = []
        for i in range(width):
            e = mq.set_exprs.get(i)
            fs.append((lambda k: (lambda row, ctx: row[k]))(i) if e is None
                      else compile_expr(e, layout))

        def newvals(row: tuple, ctx: Any) -> tuple:
            return tuple([f(row, ctx) for f in fs])
    mt = ModifyTable(mq.kind, mq.rel, scan, None, checks, returning, qual, newvals)
    mt.view = vp
    mt.children = {child.oid: (child, attmap) for child, attmap in mq.children}
    if mq.kind == "UPDATE":
        mt.router, mt.partcheck = mq.router, mq.partcheck
    if mq.kind == "UPDATE":
        mt.set_generated(_compile_generated(
            mq, {(mq.rt, i): i for i in range(len(mq.rel.columns) + 1)}))
    _set_old_new(mt, mq, rbase)
    return mt


def _compile_generated(mq: Any, layout: dict) -> list[tuple[int, Any, bool]]:
    """Generated columns of the target: (column, compiled over the new row, stored?)."""
    rel = mq.rel
    # virtual columns are computed only to check their NOT NULL constraint
    return [(i, compile_expr(e, layout), rel.columns[i].generated == "s")
            for i, e in mq.generated
            if rel.columns[i].generated == "s" or rel.columns[i].notnull]
