"""SEARCH and CYCLE clauses of WITH RECURSIVE (PostgreSQL's analyzeCTE checks and
rewriteSearchAndCycle).

The clauses are rewritten on the raw parse tree, before the recursive query is analyzed,
into the columns PostgreSQL documents:

- SEARCH BREADTH FIRST BY cols SET seq: seq is the record (depth, cols...), depth 0 in the
  non-recursive term and the work table's depth + 1 in the recursive term;
- SEARCH DEPTH FIRST BY cols SET seq: seq is the array of the rows (cols...) on the way
  to this row;
- CYCLE cols SET mark [TO v DEFAULT d] USING path: path is the array of the rows
  (cols...) seen so far, mark is v when the new row is already on the path (else d), and
  the recursive term does not extend a row whose mark is v.

The non-recursive term becomes ``SELECT *TLOCRN*.*, <new columns> FROM (term) *TLOCRN*``
and the recursive one ``SELECT *TROCRN*.<cols>, <new columns> FROM (term + the work
table's new columns) *TROCRN*``; the work table's new columns are left out of ``*``
expansion in the recursive term (CTEInfo.star_width), as in PostgreSQL.
"""

from __future__ import annotations

import copy

from tuskdb import types
from tuskdb.errors import FEATURE_NOT_SUPPORTED, SYNTAX_ERROR, PgError
from tuskdb.sql.analyze.state import AnalyzeState, Scope

_L = "*TLOCRN*"
_R = "*TROCRN*"


def _s(v: str) -> dict:
    return {"String": {"sval": v}}


def _col(*names: str) -> dict:
    return {"ColumnRef": {"fields": [_s(n) for n in names], "location": -1}}


def _target(val: dict, name: str | None = None) -> dict:
    t: dict = {"val": val}
    if name:
        t["name"] = name
    return {"ResTarget": t}


def _row(args: list) -> dict:
    return {"RowExpr": {"args": args, "row_format": "COERCE_EXPLICIT_CALL", "location": -1}}


def _op(op: str, left: dict, right: dict, kind: str = "AEXPR_OP") -> dict:
    return {"A_Expr": {"kind": kind, "name": [_s(op)], "lexpr": left, "rexpr": right,
                       "location": -1}}


def _cast(node: dict, type_oid: int) -> dict:
    t = types.TYPES.get(type_oid)
    names = [_s("pg_catalog"), _s(t.name)] if t is not None and type_oid < 16384 else None
    if names is None:
        from tuskdb.sql.analyze.coerce import type_name
        names = [_s(type_name(type_oid))]
    return {"TypeCast": {"arg": node, "typeName": {"names": names, "typemod": -1,
                                                    "location": -1}, "location": -1}}


def _select(targets: list, sub: dict, alias: str, colnames: list[str] | None) -> dict:
    a: dict = {"aliasname": alias}
    if colnames:
        a["colnames"] = [_s(n) for n in colnames]
    return {"targetList": targets,
            "fromClause": [{"RangeSubselect": {"subquery": {"SelectStmt": sub}, "alias": a}}],
            "limitOption": "LIMIT_OPTION_DEFAULT", "op": "SETOP_NONE"}


def _names(lst: list) -> list[str]:
    return [n["String"]["sval"] for n in lst]


def _find_ref(items: list, name: str) -> dict | None:
    """The recursive reference among the FROM items of the recursive term's top level."""
    for it in items or []:
        rv = it.get("RangeVar")
        if rv is not None:
            if rv.get("relname") == name and not rv.get("schemaname"):
                return rv
            continue
        j = it.get("JoinExpr")
        if j is not None:
            found = _find_ref([j["larg"], j["rarg"]], name)
            if found is not None:
                return found
    return None


def _mark_values(cc: dict, state: AnalyzeState) -> tuple[dict, dict, int]:
    """The cycle mark's value and default (TRUE / FALSE when not given) and their type."""
    from tuskdb.sql.analyze.coerce import UNKNOWN, select_common_type, type_name
    from tuskdb.sql.analyze.expr import ExprContext, transform
    value = cc.get("cycle_mark_value") or \
        {"A_Const": {"boolval": {"boolval": True}, "location": -1}}
    default = cc.get("cycle_mark_default") or {"A_Const": {"boolval": {}, "location": -1}}
    ec = ExprContext(state, Scope(), "CYCLE")
    exprs = [transform(copy.deepcopy(value), ec), transform(copy.deepcopy(default), ec)]
    t = select_common_type(exprs, "CYCLE")
    if t == UNKNOWN:
        t = types.TEXT
    tt = types.TYPES.get(t)
    if tt is not None and (tt.category == "G" or t in (114, 142)):
        raise PgError("42883", f"could not identify an equality operator for type "
                      f"{type_name(t)}")
    return value, default, t


def rewrite_search_cycle(cte: dict, larg: dict, rarg: dict, alias: list[str],
                         state: AnalyzeState, outer: list) -> tuple[dict, dict, list[str], int]:
    """Check the clauses and return the rewritten (non-recursive term, recursive term),
    the CTE's column names with the added columns, and how many columns ``*`` covers."""
    from tuskdb.sql.analyze.select import analyze_select
    name = cte["ctename"]
    sc = cte.get("search_clause")
    cc = cte.get("cycle_clause")
    mark = None
    if cc:
        mark = _mark_values(cc, state)
    if larg.get("op", "SETOP_NONE") != "SETOP_NONE":
        raise PgError(FEATURE_NOT_SUPPORTED, "with a SEARCH or CYCLE clause, the left side "
                      "of the UNION must be a SELECT")
    if rarg.get("op", "SETOP_NONE") != "SETOP_NONE":
        raise PgError(SYNTAX_ERROR, "with a SEARCH or CYCLE clause, the right side of the "
                      "UNION must be a SELECT")
    pre = analyze_select(copy.deepcopy(larg), state, outer)
    colnames = alias + [o[0] for o in pre.output][len(alias):]
    added: list[str] = []
    if sc:
        added.append(sc["search_seq_column"])
    if cc:
        added += [cc["cycle_mark_column"], cc["cycle_path_column"]]
    if len(set(added)) < len(added) or set(added) & set(colnames):
        # (PostgreSQL reports these after analyzing the recursive term, which may first
        # find an unqualified reference to such a name ambiguous)
        check_search_cycle(cte, colnames, state)        # reports the clash
    wc = rarg.get("withClause")
    ref = None
    if not (wc and any(c["CommonTableExpr"]["ctename"] == name for c in wc["ctes"])):
        ref = _find_ref(rarg.get("fromClause"), name)
    if ref is None:
        raise PgError(FEATURE_NOT_SUPPORTED, f"with a SEARCH or CYCLE clause, the recursive "
                      f'reference to WITH query "{name}" must be at the top level of its '
                      f"right-hand SELECT")
    refname = (ref.get("alias") or {}).get("aliasname") or name

    n = len(colnames)
    inner = [f"*c{i + 1}*" for i in range(n)]
    pos_of = {c: i for i, c in reversed(list(enumerate(colnames)))}

    def cols(table: str, which: list[str]) -> list[dict]:
        # (a name not in the list is reported by check_search_cycle)
        return [_col(table, inner[pos_of[c]]) for c in which if c in pos_of]

    # the non-recursive term
    ltargets = [_target({"ColumnRef": {"fields": [_s(_L), {"A_Star": {}}]}})]
    # the recursive term: its own columns plus the work table's added ones
    rin = copy.deepcopy(rarg)
    rin["targetList"] = list(rin.get("targetList") or []) + \
        [_target(_col(refname, a)) for a in added]
    rtargets = [_target(_col(_R, c)) for c in inner]
    wnames = [f"*w{i + 1}*" for i in range(len(added))]
    if sc:
        scols = _names(sc["search_col_list"])
        if sc.get("search_breadth_first"):
            zero = _cast({"A_Const": {"ival": {"ival": 0}, "location": -1}}, 20)
            ltargets.append(_target(_row([zero] + cols(_L, scols))))
            depth = _op("+", {"A_Indirection": {"arg": _col(_R, wnames[0]),
                                                 "indirection": [_s("f1")]}},
                        {"A_Const": {"ival": {"ival": 1}, "location": -1}})
            rtargets.append(_target(_row([depth] + cols(_R, scols))))
        else:
            ltargets.append(_target({"A_ArrayExpr": {"elements": [_row(cols(_L, scols))]}}))
            rtargets.append(_target(_op("||", _col(_R, wnames[0]), _row(cols(_R, scols)))))
    if cc:
        value, default, mtype = mark
        ccols = _names(cc["cycle_col_list"])
        w_mark, w_path = wnames[-2], wnames[-1]
        ltargets.append(_target(_cast(copy.deepcopy(default), mtype)))
        ltargets.append(_target({"A_ArrayExpr": {"elements": [_row(cols(_L, ccols))]}}))
        seen_before = _op("=", _row(cols(_R, ccols)), _col(_R, w_path), "AEXPR_OP_ANY")
        rtargets.append(_target({"CaseExpr": {
            "args": [{"CaseWhen": {"expr": seen_before,
                                   "result": _cast(copy.deepcopy(value), mtype)}}],
            "defresult": _cast(copy.deepcopy(default), mtype)}}))
        rtargets.append(_target(_op("||", _col(_R, w_path), _row(cols(_R, ccols)))))
        # rows made from a work-table row whose mark is set are not kept
        stop = _op("<>", _col(_R, w_mark), _cast(copy.deepcopy(value), mtype))
    new_larg = _select(ltargets, copy.deepcopy(larg), _L, inner)
    new_rarg = _select(rtargets, rin, _R, inner + wnames)
    if cc:
        new_rarg["whereClause"] = stop
    return new_larg, new_rarg, colnames + added, n


def check_search_cycle(cte: dict, colnames: list[str], state: AnalyzeState) -> None:
    """The column names of the clauses (checked once the query is analyzed, as
    PostgreSQL's analyzeCTE does)."""
    added: list[str] = []
    sc = cte.get("search_clause")
    cc = cte.get("cycle_clause")
    if sc:
        pos = state.pos(sc.get("location"))
        scols = _names(sc["search_col_list"])
        seen: set[str] = set()
        for n in scols:
            if n not in colnames:
                raise PgError(SYNTAX_ERROR, f'search column "{n}" not in WITH query column '
                              f"list", position=pos)
            if n in seen:
                raise PgError("42701", f'search column "{n}" specified more than once',
                              position=pos)
            seen.add(n)
        seq = sc["search_seq_column"]
        if seq in colnames:
            raise PgError(SYNTAX_ERROR, f'search sequence column name "{seq}" already used '
                          f"in WITH query column list", position=pos)
        added.append(seq)
    if cc:
        pos = state.pos(cc.get("location"))
        ccols = _names(cc["cycle_col_list"])
        seen = set()
        for n in ccols:
            if n not in colnames:
                raise PgError(SYNTAX_ERROR, f'cycle column "{n}" not in WITH query column '
                              f"list", position=pos)
            if n in seen:
                raise PgError("42701", f'cycle column "{n}" specified more than once',
                              position=pos)
            seen.add(n)
        mcol, pcol = cc["cycle_mark_column"], cc["cycle_path_column"]
        if mcol in colnames:
            raise PgError(SYNTAX_ERROR, f'cycle mark column name "{mcol}" already used in '
                          f"WITH query column list", position=pos)
        if pcol in colnames:
            raise PgError(SYNTAX_ERROR, f'cycle path column name "{pcol}" already used in '
                          f"WITH query column list", position=pos)
        if mcol == pcol:
            raise PgError(SYNTAX_ERROR, "cycle mark column name and cycle path column name "
                          "are the same", position=pos)
        added += [mcol, pcol]
    if sc and cc:
        pos = state.pos(sc.get("location"))
        if added[0] == added[1]:
            raise PgError(SYNTAX_ERROR, "search sequence column name and cycle mark column "
                          "name are the same", position=pos)
        if added[0] == added[2]:
            raise PgError(SYNTAX_ERROR, "search sequence column name and cycle path column "
                          "name are the same", position=pos)
