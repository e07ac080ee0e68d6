"""EXPLAIN: a plan tree printed in PostgreSQL's text format (commands/explain.c).

The plan printed is the plan TuskDB runs. Expressions come back from their compiled
closures through ``expr.SOURCE`` and are printed by the deparser the way
PostgreSQL's ruleutils prints them in plans: column references are qualified with
the range-table alias when the statement has more than one range-table entry
(scan quals never are, as in PostgreSQL).

Plan nodes that PostgreSQL folds into their parent print that way: a Filter above a
scan or join becomes that node's "Filter:", above a Result its "One-Time Filter:";
Project and Strip (target-list evaluation) are not plan nodes in PostgreSQL.

EXPLAIN ANALYZE runs the statement with every node's rows() wrapped to count rows
and loops (and quals to count "Rows Removed by Filter").
"""

from __future__ import annotations

import threading
import time
from typing import Any, Iterator

from tuskdb.errors import FEATURE_NOT_SUPPORTED, SYNTAX_ERROR, PgError
from tuskdb.sql.expr import SOURCE, Agg, Expr, OuterVar, Var

_collect = threading.local()


def collecting_rtable() -> dict | None:
    """The range-table collector of the EXPLAIN being analyzed on this thread."""
    return getattr(_collect, "rtable", None)


class ExplainOptions:
    def __init__(self) -> None:
        self.analyze = False
        self.verbose = False
        self.costs = True
        self.timing = None
        self.summary = None
        self.buffers = None
        self.settings = False
        self.wal = False
        self.memory = False
        self.serialize = None
        self.generic_plan = False
        self.format = "text"


_BOOL_OPTS = ("analyze", "verbose", "costs", "timing", "summary", "buffers", "settings",
              "wal", "memory", "generic_plan")


def parse_options(raw: list[dict] | None, state_pos: Any = None) -> ExplainOptions:
    o = ExplainOptions()
    for item in raw or []:
        d = item["DefElem"]
        name = d["defname"]
        arg = d.get("arg")
        if name in _BOOL_OPTS:
            setattr(o, name, _bool_opt(name, arg))
        elif name == "format":
            val = _str_opt(arg).lower()
            if val not in ("text", "json", "xml", "yaml"):
                raise PgError("22023", f'unrecognized value for EXPLAIN option "format": '
                              f'"{_str_opt(arg)}"')
            o.format = val
        elif name == "serialize":
            o.serialize = _str_opt(arg) if arg is not None else "text"
        else:
            raise PgError(SYNTAX_ERROR, f'unrecognized EXPLAIN option "{name}"',
                          position=state_pos(d.get("location")) if state_pos else None)
    if o.timing and not o.analyze:
        raise PgError("22023", "EXPLAIN option TIMING requires ANALYZE")
    if o.analyze and o.generic_plan:
        raise PgError("22023", "EXPLAIN options ANALYZE and GENERIC_PLAN cannot be used "
                      "together")
    if o.format != "text":
        raise PgError(FEATURE_NOT_SUPPORTED, f"EXPLAIN (FORMAT {o.format.upper()}) is not "
                      f"supported")
    if o.timing is None:
        o.timing = o.analyze
    if o.summary is None:
        o.summary = o.analyze
    return o


def _str_opt(arg: Any) -> str:
    if arg is None:
        return ""
    if "String" in arg:
        return arg["String"]["sval"]
    if "A_Const" in arg:
        c = arg["A_Const"]
        for k in ("sval", "ival", "fval", "boolval"):
            if k in c:
                v = c[k]
                return str(next(iter(v.values()), "")) if isinstance(v, dict) else str(v)
    return ""


def _bool_opt(name: str, arg: Any) -> bool:
    if arg is None:
        return True
    if "Boolean" in arg:
        return bool(arg["Boolean"].get("boolval", False))
    if "Integer" in arg:
        return bool(arg["Integer"].get("ival", 0))
    text = _str_opt(arg).lower()
    if text in ("true", "on", "1", "yes"):
        return True
    if text in ("false", "off", "0", "no"):
        return False
    raise PgError("22023", f'{name} requires a Boolean value')


# -- instrumentation (EXPLAIN ANALYZE) ------------------------------------------------


class Instr:
    __slots__ = ("rows", "loops", "first", "total", "removed")

    def __init__(self) -> None:
        self.rows = 0
        self.loops = 0
        self.first = 0.0
        self.total = 0.0
        self.removed = 0


def instrument(node: Any, seen: set | None = None) -> None:
    """Wrap node.rows (and its quals) in counters, for the whole tree."""
    seen = set() if seen is None else seen
    if id(node) in seen or node is None:
        return
    seen.add(id(node))
    from tuskdb.sql.execute.modify import ModifyTable
    if isinstance(node, ModifyTable):
        # one loop; its rows are the ones it returns (RETURNING), as ModifyTable emits
        ins = Instr()
        node.instr = ins
        run = node.run

        def counted_run(ctx: Any, _run=run, _ins=ins) -> Any:
            _ins.loops += 1
            start = time.perf_counter()
            n, out = _run(ctx)
            if getattr(node, "returning", None) is not None:
                _ins.rows += len(out)
            _ins.first += time.perf_counter() - start
            _ins.total += time.perf_counter() - start
            return n, out
        node.run = counted_run
    elif hasattr(node, "rows") and callable(node.rows):
        ins = Instr()
        node.instr = ins
        inner = node.rows

        def rows(ctx: Any, _inner=inner, _ins=ins) -> Iterator[tuple]:
            _ins.loops += 1
            start = time.perf_counter()
            first = True
            for row in _inner(ctx):
                if first:
                    _ins.first += time.perf_counter() - start
                    first = False
                _ins.rows += 1
                yield row
            _ins.total += time.perf_counter() - start
        node.rows = rows
        qual = getattr(node, "qual", None)
        if callable(qual) and not isinstance(node, type):
            def counted(row: tuple, ctx: Any, _q=qual, _ins=ins) -> Any:
                r = _q(row, ctx)
                if r is not True:
                    _ins.removed += 1
                return r
            if qual in SOURCE:
                SOURCE[counted] = SOURCE[qual]
            node.qual = counted
    for child in _children(node):
        instrument(child, seen)


# -- printing ---------------------------------------------------------------------------


def _children(node: Any) -> list:
    from tuskdb.sql.execute import nodes as N
    out = []
    for attr in ("child", "left", "right", "source", "base", "rec"):
        c = getattr(node, attr, None)
        if isinstance(c, N.PlanNode):
            out.append(c)
    return out


class Printer:
    def __init__(self, opts: ExplainOptions, rtable: dict, tctx: Any) -> None:
        from tuskdb.sql.deparse import Deparser
        self.opts = opts
        self.rtable = rtable
        self.useprefix = len(rtable) > 1 or opts.verbose
        self.lines: list[str] = []
        self.dep = _PlanDeparser(tctx, self)
        self.printed_ctes: set = set()
        self.agg = None                            # the Aggregate whose outputs Vars name
        self.child_alias: dict[int, str] = {}
        self.Deparser = Deparser
        self.refnames = _refnames(rtable)
        self.trivial: dict = {}                    # rt → removed subquery scan

    # expression text
    def expr(self, compiled: Any, prefix: bool) -> str | None:
        e = SOURCE.get(compiled) if compiled is not None else None
        if e is None:
            return None
        self.dep.prefix = prefix
        return self.dep.expr(e, False)

    def expr_of(self, e: Expr, prefix: bool, top: bool = True) -> str:
        self.dep.prefix = prefix
        return self.dep.expr(e, top)

    def alias(self, rt: Any) -> str | None:
        name = self.refnames.get(rt)
        if name is not None:
            return name
        ent = self.rtable.get(rt)
        return ent.alias if ent is not None else None

    # layout: PostgreSQL's text format indents in units of two spaces; a child plan's
    # line is "->  " at its parent's property indent, its properties three units in
    def plan(self, node: Any, indent: int = 0, arrow: bool = False,
             filters: list | None = None) -> None:
        from tuskdb.sql.execute import nodes as N
        filters = list(filters or [])
        # nodes PostgreSQL does not show
        from tuskdb.sql.execute.append import ChildRowMap
        if isinstance(node, (N.Project, N.Strip, ChildRowMap)) or _trivial(node) and not filters:
            return self.plan(node.child, indent, arrow, filters)
        if isinstance(node, N.Filter):
            return self.plan(node.child, indent, arrow, filters + [node.qual])
        prev_agg = self.agg
        self.agg = _nearest_agg(node)
        name, props = self.describe(node, filters)
        if getattr(node, "disabled", False):
            props.insert(0, "Disabled: true")     # a disabled kind of node used anyway
        line = name + self.stats(node)
        self.lines.append((" " * (2 * indent) + "->  " + line) if arrow else line)
        pind = indent + 3 if arrow else indent + 1
        for p in props:
            self.lines.append(" " * (2 * pind) + p)
        for child, label in self.subplans(node):
            self.lines.append(" " * (2 * pind) + label)
            self.plan(child, pind + 1, True)
        for child in self.kids(node):
            self.plan(child, pind, True)
        self.agg = prev_agg

    def stats(self, node: Any) -> str:
        out = ""
        if self.opts.costs:
            out += "  (cost=0.00..0.00 rows=0 width=0)"
        if self.opts.analyze:
            ins = getattr(node, "instr", None)
            if ins is None or ins.loops == 0:
                out += " (never executed)"
            else:
                loops = ins.loops
                rows = ins.rows / loops
                if self.opts.timing:
                    out += (f" (actual time={ins.first * 1000 / loops:.3f}.."
                            f"{ins.total * 1000 / loops:.3f} rows={rows:.2f} loops={loops})")
                else:
                    out += f" (actual rows={rows:.2f} loops={loops})"
        return out

    def removed(self, node: Any) -> list[str]:
        ins = getattr(node, "instr", None)
        if self.opts.analyze and ins is not None and ins.removed:
            return [f"Rows Removed by Filter: {ins.removed}"]
        return []

    def quals(self, compiled: list, prefix: bool) -> str | None:
        parts = [self.expr(c, prefix) for c in compiled if c is not None]
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return "(" + " AND ".join(parts) + ")"

    def kids(self, node: Any) -> list:
        from tuskdb.sql.execute import nodes as N
        if isinstance(node, N.HashJoin):
            return [node.left, _HashNode(node.right)]
        if isinstance(node, _HashNode):
            return [node.child]
        if isinstance(node, N.SetOp):
            if getattr(node, "sorted", False):
                if node.op == "UNION":
                    return [_SortNode(_AppendNode(node.left, node.right), node.left,
                                      node.width)]
                return [_SortNode(node.left, node.left, node.width),
                        _SortNode(node.right, node.right, node.width)]
            if node.op == "UNION" and not node.all:
                return [_AppendNode(node.left, node.right)]
            return [node.left, node.right]
        if isinstance(node, _SortNode):
            return [node.child]
        if isinstance(node, _AppendNode):
            return [node.left, node.right]
        from tuskdb.sql.execute.append import Append
        if isinstance(node, Append):
            return list(node.parts)
        if isinstance(node, N.RecursiveUnion):
            return [node.base, node.rec]
        return _children(node)

    def subplans(self, node: Any) -> list:
        out = []
        # CTEs are printed where first scanned, as the enclosing node's init plans
        for scan in _cte_scans(node):
            cte = scan.cte
            if cte.id in self.printed_ctes or scan.worktable or cte.plan is None:
                continue
            self.printed_ctes.add(cte.id)
            out.append((cte.plan, f"CTE {cte.name}"))
        return out

    def describe(self, node: Any, filters: list) -> tuple[str, list[str]]:
        from tuskdb.sql.execute import nodes as N
        from tuskdb.sql.execute.window import WindowAgg
        from tuskdb.sql.execute.modify import ModifyTable
        from tuskdb.sql.execute.tablesample import SampleScan
        props: list[str] = []
        p = self.useprefix
        if isinstance(node, N.Result):
            q = self.quals(filters, p)
            if q:
                props.append(f"One-Time Filter: {q}")
            return "Result", props
        if isinstance(node, SampleScan):
            name = f"Sample Scan on {self.relname(node)}"
            pv = self.opts.verbose
            line = f"Sampling: {node.method.name} (" + ", ".join(
                self.expr_of(a, pv, False) for a in node.arg_exprs) + ")"
            if node.repeatable_expr is not None:
                line += f" REPEATABLE ({self.expr_of(node.repeatable_expr, pv, False)})"
            props.append(line)
            q = self.quals([node.qual] + filters, pv)
            if q:
                props.append(f"Filter: {q}")
                props += self.removed(node)
            return name, props
        if isinstance(node, (N.SeqScan, N.SequenceScan)):
            name = f"Seq Scan on {self.relname(node)}"
            q = self.quals([node.qual] + filters, self.opts.verbose)
            if q:
                props.append(f"Filter: {q}")
                props += self.removed(node)
            return name, props
        if isinstance(node, (N.TidScan, N.TidRangeScan)):
            name = f"{node.label} on {self.relname(node)}"
            return name, self.keyed_scan(node, "TID Cond", node.tid_quals, filters)
        if isinstance(node, N.IndexScan):
            back = " Backward" if node.backward else ""
            only = getattr(node, "index_only", False)
            kind = "Index Only Scan" if only else "Index Scan"
            name = f"{kind}{back} using {node.index.name} on {self.relname(node)}"
            props = self.keyed_scan(node, "Index Cond",
                                    getattr(node, "index_quals", None) or [], filters)
            ins = getattr(node, "instr", None)
            if only and self.opts.analyze and ins is not None:
                # no visibility map: every tuple the index returns is fetched
                props.append(f"Heap Fetches: {ins.rows + ins.removed}")
            return name, props
        if isinstance(node, N.FunctionScan):
            fname = getattr(node, "fname", None) or "function"
            alias = self.alias(node.rt)
            if fname in ("xmltable", "json_table"):
                # a table function (TableFunc): its name is a keyword, so quoted
                name = f'Table Function Scan on "{fname}"' + (
                    f" {alias}" if alias and alias != fname else "")
            else:
                name = f"Function Scan on {fname}" + (f" {alias}" if alias and alias != fname
                                                       else "")
            q = self.quals(filters, self.opts.verbose)
            if q:
                props.append(f"Filter: {q}")
            return name, props
        if isinstance(node, N.ValuesScan):
            q = self.quals(filters, self.opts.verbose)
            if q:
                props.append(f"Filter: {q}")
            from tuskdb.sql.deparse import quote_ident
            return f"Values Scan on {quote_ident(self.alias(node.rt) or '*VALUES*')}", props
        if isinstance(node, N.CteScan):
            cname = node.cte.name
            alias = self.alias(node.rt)
            kind = "WorkTable Scan" if node.worktable else "CTE Scan"
            name = f"{kind} on {cname}" + (f" {alias}" if alias and alias != cname else "")
            q = self.quals(filters, self.opts.verbose)
            if q:
                props.append(f"Filter: {q}")
            return name, props
        if isinstance(node, N.SubqueryScan):
            alias = self.alias(node.rt) or "unnamed_subquery"
            q = self.quals(filters, True)
            if q:
                props.append(f"Filter: {q}")
            return f"Subquery Scan on {alias}", props
        if isinstance(node, N.NestLoop):
            kind = _join_kind(node.kind)
            jf = self.quals([node.qual], p)
            if jf:
                props.append(f"Join Filter: {jf}")
            q = self.quals(filters, p)
            if q:
                props.append(f"Filter: {q}")
            return "Nested Loop" + kind, props
        if isinstance(node, N.HashJoin):
            kind = _join_kind(node.kind)
            conds = []
            for lk, rk in zip(node.lkeys, node.rkeys):
                conds.append(f"({self.expr(lk, p)} = {self.expr(rk, p)})")
            if conds:
                props.append("Hash Cond: " + (conds[0] if len(conds) == 1 else
                                              "(" + " AND ".join(conds) + ")"))
            jf = self.quals([node.qual], p)
            if jf:
                props.append(f"Join Filter: {jf}")
            q = self.quals(filters, p)
            if q:
                props.append(f"Filter: {q}")
            return "Hash" + (kind or " Join"), props
        if isinstance(node, _HashNode):
            return "Hash", props
        if isinstance(node, N.Aggregate):
            order = getattr(node, "sorted_order", None)
            gk = [node.group_keys[j] for j in order] if order is not None else node.group_keys
            keys = [self.expr(k, p) for k in gk]
            if order is not None:
                # the keys are the Sort's output columns: an expression one shows in
                # parentheses, as a reference to a computed column
                keys = [f"({t})" if t is not None and not isinstance(
                    self.resolve(SOURCE.get(k)), Var) else t for t, k in zip(keys, gk)]
            keys = [k for k in keys if k is not None]
            if keys:
                props.append("Group Key: " + ", ".join(keys))
            q = self.quals(filters, p)
            if q:
                props.append(f"Filter: {q}")
            if order is not None:
                return "GroupAggregate", props
            return ("HashAggregate" if node.group_keys else "Aggregate"), props
        if isinstance(node, N.Sort):
            keys = self.sort_keys(node)
            if keys:
                props.append("Sort Key: " + ", ".join(keys))
            return "Sort", props
        if isinstance(node, N.Limit):
            return "Limit", props
        if isinstance(node, N.Unique):
            keys = self.target_texts(node.child, node.ncols)
            if keys:
                props.append("Group Key: " + ", ".join(keys))
            return "HashAggregate", props
        if isinstance(node, N.DistinctOn):
            return "Unique", props
        if isinstance(node, _SortNode):
            keys = self.output_texts(node.keys_of, node.ncols)
            if keys:
                props.append("Sort Key: " + ", ".join(keys))
            return "Sort", props
        if isinstance(node, N.SetOp) and getattr(node, "sorted", False):
            if node.op == "UNION":
                return "Unique", props
            return f"SetOp {node.op.capitalize()}{' All' if node.all else ''}", props
        if isinstance(node, N.SetOp):
            if node.op == "UNION":
                if node.all:
                    return "Append", props
                keys = self.output_texts(node.left, node.width)
                if keys:
                    props.append("Group Key: " + ", ".join(keys))
                return "HashAggregate", props
            return f"HashSetOp {node.op.capitalize()}{' All' if node.all else ''}", props
        from tuskdb.sql.execute.append import Append
        if isinstance(node, Append) and not node.parts:
            # no relation to scan (a partitioned table without leaf partitions)
            return "Result", ["One-Time Filter: false"]
        if isinstance(node, (_AppendNode, Append)):
            return "Append", props
        if isinstance(node, N.RecursiveUnion):
            return "Recursive Union", props
        if isinstance(node, N.ProjectSet):
            return "ProjectSet", props
        if isinstance(node, N.Material):
            return "Materialize", props
        if isinstance(node, WindowAgg):
            return "WindowAgg", props
        if isinstance(node, ModifyTable):
            rt = getattr(node, "target_rt", None)
            alias = self.rtable[rt].alias if rt in self.rtable else None
            return f"{node.kind.capitalize()} on {_relname(node.rel, alias)}", props
        return type(node).__name__, props

    def keyed_scan(self, node: Any, label: str, used: list, filters: list) -> list[str]:
        """A scan's key condition line (Index Cond, TID Cond), then its Filter."""
        props = []
        conds = [self.expr_of(u, self.opts.verbose, False) for u in used]
        if conds:
            props.append(f"{label}: " + (conds[0] if len(conds) == 1 else
                                         "(" + " AND ".join(conds) + ")"))
        q = self.quals([node.qual] + filters, self.opts.verbose)
        if q:
            props.append(f"Filter: {q}")
            props += self.removed(node)
        return props

    def resolve(self, e: Any) -> Any:
        """An Aggregate output Var as the expression it stands for."""
        agg = self.agg if self.agg is not None else None
        while isinstance(e, Var) and isinstance(e.rt, tuple) and agg is not None:
            src = agg.group_exprs if e.rt[0] == "g" else agg.agg_exprs
            if e.attno >= len(src):
                break
            e = src[e.attno]
        return e

    def relname(self, node: Any) -> str:
        alias = self.child_alias.get(id(node)) or self.alias(node.rt)
        return _relname(node.rel, alias)

    def number_children(self, node: Any, seen: set | None = None) -> None:
        """Scans of an inheritance tree's members print under the parent's alias
        numbered in order (t_1, t_2, ...), as PostgreSQL names their range-table
        entries."""
        from tuskdb.sql.execute import nodes as N
        from tuskdb.sql.execute.append import Append, ChildRowMap
        seen = set() if seen is None else seen
        if node is None or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, Append):
            self.useprefix = True       # the tree's members are range-table entries too
            k = 0
            for part in node.parts:
                scan = part
                while isinstance(scan, (ChildRowMap, N.Filter, N.Project)):
                    scan = scan.child
                if isinstance(scan, (N.SeqScan, N.IndexScan, N.TidScan, N.TidRangeScan)):
                    k += 1
                    self.child_alias[id(scan)] = f"{self.alias(scan.rt) or scan.rel.name}_{k}"
        for c in self.kids(node) if not isinstance(node, type) else []:
            self.number_children(c, seen)

    def targets(self, node: Any) -> list | None:
        """The target-list expressions of the Project nearest below ``node``."""
        from tuskdb.sql.execute import nodes as N
        while node is not None:
            if isinstance(node, N.Project):
                return [SOURCE.get(e) for e in node.exprs]
            node = getattr(node, "child", None)
        return None

    def target_texts(self, node: Any, n: int) -> list[str]:
        ts = self.targets(node) or []
        return [self.expr_of(t, self.useprefix, False) for t in ts[:n] if t is not None]

    def output_texts(self, node: Any, n: int) -> list[str]:
        """A set operation's input columns as its keys: references to the input's
        output columns, so an expression there shows in parentheses."""
        ts = self.targets(node) or []
        out = []
        for t in ts[:n]:
            if t is None:
                continue
            text = self.expr_of(t, self.useprefix, False)
            out.append(text if isinstance(self.resolve(t), Var) else f"({text})")
        return out

    def sort_keys(self, node: Any) -> list[str]:
        ts = self.targets(node.child) or []
        out = []
        for pos, desc, nulls_first in node.keys:
            t = ts[pos] if pos < len(ts) else None
            if t is None:
                continue
            text = self.expr_of(t, self.useprefix, False)
            if not isinstance(self.resolve(t), Var):
                text = f"({text})"
            if desc:
                text += " DESC"
                if not nulls_first:
                    text += " NULLS LAST"
            elif nulls_first:
                text += " NULLS FIRST"
            out.append(text)
        return out


class _SortNode:
    """The Sort PostgreSQL shows below a sorted set operation: on every output column
    of ``keys_of`` (the first input for a UNION's Append)."""

    def __init__(self, child: Any, keys_of: Any, ncols: int) -> None:
        self.child = child
        self.keys_of = keys_of
        self.ncols = ncols


class _AppendNode:
    """The Append PostgreSQL shows below a UNION's HashAggregate."""

    def __init__(self, left: Any, right: Any) -> None:
        self.left = left
        self.right = right


def _nearest_agg(node: Any) -> Any:
    """The Aggregate whose outputs ("g"/"a" Vars) expressions at ``node`` refer to."""
    from tuskdb.sql.execute import nodes as N
    while node is not None:
        if isinstance(node, N.Aggregate):
            return node
        if isinstance(node, (N.SubqueryScan, N.SetOp, N.NestLoop, N.HashJoin)):
            return None
        node = getattr(node, "child", None)
    return None


class _HashNode:
    """The Hash node PostgreSQL shows above a hash join's inner side."""

    def __init__(self, child: Any) -> None:
        self.child = child




def _join_kind(kind: str) -> str:
    return {"INNER": "", "LEFT": " Left Join", "RIGHT": " Right Join", "FULL": " Full Join",
            "SEMI": " Semi Join", "ANTI": " Anti Join"}.get(kind, "")


def _scanned_rts(pr: Any, plan: Any) -> set:
    """The range-table entries the nodes of ``plan`` (and of its CTEs) scan."""
    out: set = set()
    seen: set = set()
    todo = [plan]
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        rt = getattr(node, "rt", None)
        if isinstance(rt, int) and not _trivial(node):
            out.add(rt)
        for scan in _cte_scans(node):
            if scan.cte.plan is not None:
                todo.append(scan.cte.plan)
        todo.extend(pr.kids(node))
        for attr in ("source", "child"):
            c = getattr(node, attr, None)
            if c is not None and not isinstance(c, (int, str)):
                todo.append(c)
    return out


def _trivial(node: Any) -> bool:
    """A subquery scan the planner removed (trivial_subqueryscan): not shown, and
    references to its columns print as the subplan's expressions."""
    from tuskdb.sql.execute import nodes as N
    return isinstance(node, N.SubqueryScan) and node.trivial


def _trivial_scans(pr: Any, plan: Any) -> dict:
    """rt → the trivial subquery scan of that range-table entry in ``plan``."""
    out: dict = {}
    seen: set = set()
    todo = [plan]
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if _trivial(node):
            out[node.rt] = node
        for scan in _cte_scans(node):
            if scan.cte.plan is not None:
                todo.append(scan.cte.plan)
        todo.extend(pr.kids(node))
        for attr in ("source", "child"):
            c = getattr(node, attr, None)
            if c is not None and not isinstance(c, (int, str)):
                todo.append(c)
    return out


def _refnames(rtable: dict, used: set | None = None) -> dict:
    """A unique name for each range-table entry, as EXPLAIN and ruleutils name them
    (set_rtable_names): the alias (or table, function, CTE name, "*VALUES*",
    "unnamed_subquery"), with "_1", "_2", ... appended to names already taken."""
    names: dict = {}
    counters: dict[str, int] = {}
    for rt in sorted(k for k in rtable if isinstance(k, int)):
        if used is not None and rt not in used:
            continue
        e = rtable[rt]
        if getattr(e, "qualified_only", False) or (e.kind == "join" and e.alias is None):
            continue
        base = e.alias
        if base is None:
            base = {"values": "*VALUES*", "subquery": "unnamed_subquery"}.get(e.kind)
            if base is None and e.rel is not None:
                base = e.rel.name
        if base is None:
            continue
        name = base
        if name in counters:
            while True:
                counters[base] += 1
                name = f"{base}_{counters[base]}"
                if name not in counters:
                    break
        counters[name] = 0
        names[rt] = name
    return names


def _relname(rel: Any, alias: str | None) -> str:
    from tuskdb.sql.deparse import quote_ident
    name = quote_ident(rel.name)
    if alias and alias != rel.name:
        return f"{name} {quote_ident(alias)}"
    return name


def _cte_scans(node: Any, seen: set | None = None) -> list:
    from tuskdb.sql.execute import nodes as N
    seen = set() if seen is None else seen
    out = []
    if id(node) in seen:
        return out
    seen.add(id(node))
    if isinstance(node, N.CteScan):
        out.append(node)
    for c in _children(node) + ([node.left, node.right] if isinstance(node, N.SetOp) else []):
        out += _cte_scans(c, seen)
    return out


from tuskdb.sql.deparse import Deparser as _Deparser  # noqa: E402


class _PlanDeparser(_Deparser):
    """Deparser for plan expressions: Vars carry their range-table alias."""

    planned = True

    def __init__(self, tctx: Any, printer: Printer) -> None:
        super().__init__(tctx, False)
        self.printer = printer
        self.prefix = False

    def expr(self, e: Expr, top: bool = True) -> str:
        if isinstance(e, Var):
            rt = e.rt
            if isinstance(rt, tuple):
                agg = self.printer.agg
                if agg is not None and rt[0] == "g" and e.attno < len(agg.group_exprs):
                    return self.expr(agg.group_exprs[e.attno], top)
                if agg is not None and rt[0] == "a" and e.attno < len(agg.agg_exprs):
                    return self.expr(agg.agg_exprs[e.attno], top)
                return e.name if e.name else "?column?"
            scan = self.printer.trivial.get(rt)
            if scan is not None:
                # a column of a removed subquery scan: the subplan's expression
                ts = self.printer.targets(scan.child) or []
                t = ts[e.attno] if e.attno < len(ts) else None
                if t is not None:
                    saved = self.printer.agg
                    self.printer.agg = _nearest_agg(scan.child)
                    try:
                        text = self.expr(t, True)
                        plain = isinstance(self.printer.resolve(t), Var)
                    finally:
                        self.printer.agg = saved
                    return text if plain else f"({text})"
            from tuskdb.sql.deparse import quote_ident
            name = quote_ident(e.name) if e.name else "?column?"
            if self.prefix:
                alias = self.printer.alias(rt)
                if alias:
                    return f"{quote_ident(alias)}.{name}"
            return name
        if isinstance(e, OuterVar) and isinstance(e.var, Var) and \
                not isinstance(e.var.rt, tuple):
            # an enclosing query's column (a subplan parameter): always qualified
            saved = self.prefix
            self.prefix = True
            try:
                return self.expr(e.var, top)
            finally:
                self.prefix = saved
        rt = getattr(e, "whole_row_rt", None)
        if rt is not None and not isinstance(rt, tuple):
            from tuskdb.sql.deparse import quote_ident
            alias = self.printer.alias(rt)
            if alias:
                return f"{quote_ident(alias)}.*"
        if isinstance(e, Agg):
            fname = getattr(e.agg, "name", "agg")
            if e.star:
                return f"{fname}(*)"
            args = ", ".join(self.expr(a, True) for a in e.args)
            return f"{fname}({'DISTINCT ' if e.distinct else ''}{args})"
        return super().expr(e, top)


def explain_lines(plan: Any, opts: ExplainOptions, rtable: dict, tctx: Any,
                  dml_ctes: list | None = None) -> list[str]:
    pr = Printer(opts, rtable, tctx)
    # only the entries the plan scans are named (ExplainPreScanNode's rels_used)
    pr.refnames = _refnames(rtable, _scanned_rts(pr, plan))
    pr.trivial = _trivial_scans(pr, plan)
    from tuskdb.sql.execute.modify import ModifyTable
    if isinstance(plan, ModifyTable):
        name, props = pr.describe(plan, [])
        pr.lines.append(name + pr.stats(plan))
        oc = getattr(plan, "on_conflict", None)
        if oc is not None:
            pr.lines.append(f"  Conflict Resolution: {oc.action}")
            if oc.arbiters:
                pr.lines.append("  Conflict Arbiter Indexes: "
                                + ", ".join(ix.name for ix in oc.arbiters))
            if oc.where is not None:
                pr.lines.append("  Conflict Filter: " + pr.expr_of(oc.where, True, False))
        src = plan.source
        from tuskdb.sql.execute import nodes as N
        inner = src
        while isinstance(inner, (N.Project, N.Strip)):
            inner = inner.child
        if src is None or (isinstance(inner, N.ValuesScan) and len(inner.exprs) == 1):
            pr.lines.append("  ->  Result" + pr.stats(src))
        else:
            pr.plan(src, 1, True)
    else:
        pr.number_children(plan)
        pr.plan(plan)
    return pr.lines


# -- the EXPLAIN statement ------------------------------------------------------------


def explain_stmt(s: Any, raw: Any) -> Any:
    from tuskdb.engine.results import Field, QueryResult
    from tuskdb.sql import parser

    body = raw.body
    opts = parse_options(body.get("options"),
                         lambda loc: parser.char_position(raw.source, loc)
                         if loc is not None and loc >= 0 else None)
    inner = body["query"]
    kind = next(iter(inner))
    params: list = []
    scroll = False
    if kind == "DeclareCursorStmt":
        # the cursor's query; a SCROLL cursor over a plan that cannot run backward
        # reads it through a Materialize
        scroll = bool(inner[kind].get("options", 0) & 0x0002)     # CURSOR_OPT_SCROLL
        inner = inner[kind]["query"]
        kind = next(iter(inner))
    if kind == "ExecuteStmt":
        inner_raw, params, param_types = _execute_target(s, raw, inner["ExecuteStmt"])
    elif kind in ("SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt"):
        if kind == "SelectStmt" and inner[kind].get("intoClause"):
            raise PgError(FEATURE_NOT_SUPPORTED, "EXPLAIN of SELECT INTO is not supported")
        inner_raw = parser.RawStmt(inner, raw.location, raw.length, raw.source)
        param_types = []
    elif kind == "CreateTableAsStmt" and next(iter(inner[kind]["query"])) == "SelectStmt":
        return _explain_create_as(s, raw, inner, opts)
    else:
        what = {"CreateTableAsStmt": "CREATE TABLE AS", "MergeStmt": "MERGE",
                "DeclareCursorStmt": "DECLARE CURSOR"}.get(kind, kind)
        raise PgError(FEATURE_NOT_SUPPORTED, f"EXPLAIN of {what} is not supported")
    _collect.rtable = {}
    t0 = time.perf_counter()
    try:
        cp = s._plan(inner_raw, list(param_types))
    finally:
        rtable = _collect.rtable
        _collect.rtable = None
    planning = time.perf_counter() - t0
    execution = None
    if opts.analyze:
        instrument(cp.plan)
        t1 = time.perf_counter()
        s._run_plan(cp, params, inner=True)
        execution = time.perf_counter() - t1
    plan = cp.plan
    if scroll:
        from tuskdb.sql.execute import nodes as N
        if not N.supports_backward_scan(plan):
            plan = N.Material(plan)
    lines = explain_lines(plan, opts, rtable, s.type_context)
    if opts.summary:
        lines.append(f"Planning Time: {planning * 1000:.3f} ms")
        if execution is not None:
            lines.append(f"Execution Time: {execution * 1000:.3f} ms")
    return QueryResult([Field("QUERY PLAN", 0, 0, 25, -1, -1, 0)], [(ln,) for ln in lines],
                       "EXPLAIN")


def _explain_create_as(s: Any, raw: Any, inner: dict, opts: Any) -> Any:
    """EXPLAIN [ANALYZE] CREATE TABLE AS / CREATE MATERIALIZED VIEW: the query's plan;
    ANALYZE also creates and fills the relation (IF NOT EXISTS of an existing one
    explains nothing)."""
    from tuskdb.engine.results import Field, QueryResult
    from tuskdb.sql import parser
    from tuskdb.sql.commands.tablecmds import _namespace_for, _state

    body = inner["CreateTableAsStmt"]
    lines: list[str] = []
    timing: dict[str, float] = {}

    def explain(cp: Any, run: Any) -> Any:
        rows = None
        if opts.analyze:
            instrument(cp.plan)
            t1 = time.perf_counter()
            if run is not None:
                rows = run()
            timing["execution"] = time.perf_counter() - t1
        lines.extend(explain_lines(cp.plan, opts, dict(_collect.rtable or {}), s.type_context))
        return rows

    stmt = parser.RawStmt(inner, raw.location, raw.length, raw.source)
    t0 = time.perf_counter()
    _collect.rtable = {}
    try:
        if opts.analyze:
            if body.get("objtype") == "OBJECT_MATVIEW":
                from tuskdb.sql.commands.matview import create_matview
                create_matview(s, stmt, explain=explain)
            else:
                from tuskdb.sql.commands.tablecmds import create_table_as
                create_table_as(s, stmt, explain=explain)
        else:
            state = _state(s, stmt)
            cat = state.catalog
            rv = body["into"]["rel"]
            nsp = _namespace_for(s, cat, rv, state)
            if cat.relation_oid(nsp, rv["relname"]) is not None:
                if not body.get("if_not_exists"):
                    raise PgError("42P07", f'relation "{rv["relname"]}" already exists')
                from tuskdb.errors import notice
                s.add_notice(notice(f'relation "{rv["relname"]}" already exists, skipping',
                                    sqlstate="42P07"))
            else:
                explain(s._plan(parser.RawStmt(body["query"], raw.location, raw.length,
                                               raw.source), []), None)
    finally:
        _collect.rtable = None
    if opts.summary and lines:
        lines.append(f"Planning Time: {(time.perf_counter() - t0) * 1000:.3f} ms")
        if "execution" in timing:
            lines.append(f"Execution Time: {timing['execution'] * 1000:.3f} ms")
    return QueryResult([Field("QUERY PLAN", 0, 0, 25, -1, -1, 0)], [(ln,) for ln in lines],
                       "EXPLAIN")


def _execute_target(s: Any, raw: Any, body: dict) -> tuple[Any, list, list]:
    from tuskdb.engine.context import ExecContext
    from tuskdb.errors import INVALID_SQL_STATEMENT_NAME
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import AnalyzeState, Scope
    from tuskdb.sql.expr import compile_expr

    name = body["name"]
    ps = s.prepared.get(name)
    if ps is None:
        raise PgError(INVALID_SQL_STATEMENT_NAME, f'prepared statement "{name}" does not exist')
    if ps.raw is None or ps.raw.kind not in ("SelectStmt", "InsertStmt", "UpdateStmt",
                                             "DeleteStmt"):
        raise PgError(FEATURE_NOT_SUPPORTED, "EXPLAIN EXECUTE of a utility statement is not "
                      "supported")
    types_ = list(ps.param_types)
    args = body.get("params") or []
    if len(args) != len(types_):
        raise PgError("42601", f'wrong number of parameters for prepared statement "{name}"',
                      detail=f"Expected {len(types_)} parameters but got {len(args)}.")
    state = AnalyzeState(s.catalog(), s, [], None, raw.source)
    ec = ExprContext(state, Scope(), "EXECUTE parameter", None)
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    values = [compile_expr(coerce_to(transform(a, ec), t, -1, "a"), {})((), ctx)
              for a, t in zip(args, types_)]
    return ps.raw, values, types_
