"""Text forms of a routine's signature (ruleutils.c's pg_get_function_arguments,
pg_get_function_identity_arguments, pg_get_function_result, pg_get_functiondef),
as psql's \\df and pg_dump read them."""

from __future__ import annotations

import json
from typing import Any

from tuskdb.catalog.rows import COLUMN_POS
from tuskdb.errors import FEATURE_NOT_SUPPORTED, PgError

_MODE_WORDS = {"o": "OUT ", "b": "INOUT ", "v": "VARIADIC "}


def _proc_row(s: Any, oid: int) -> tuple | None:
    found = s.catalog().find("pg_proc", oid=oid)
    return found[0][1] if found else None


def _params(row: tuple) -> list[tuple[str, int, str]]:
    p = COLUMN_POS["pg_proc"]
    modes, allt, names = row[p["proargmodes"]], row[p["proallargtypes"]], row[p["proargnames"]]
    if modes is not None and allt is not None:
        types_, modes_ = list(allt.items), list(modes.items)
    else:
        types_ = list(row[p["proargtypes"]].items) if row[p["proargtypes"]] else []
        modes_ = ["i"] * len(types_)
        if row[p["provariadic"]] and modes_:
            modes_[-1] = "v"
    names_ = list(names.items) if names is not None else []
    names_ += [""] * (len(types_) - len(names_))
    return [(n or "", t, m) for n, t, m in zip(names_, types_, modes_)]


def _quote(name: str) -> str:
    from tuskdb.sql.deparse import quote_ident
    return quote_ident(name)


def _type(t: int) -> str:
    from tuskdb.types.registry import format_type
    return format_type(t, None)


def function_arguments(s: Any, oid: int, defaults: bool = True) -> str | None:
    row = _proc_row(s, oid)
    if row is None:
        return None
    p = COLUMN_POS["pg_proc"]
    is_proc = row[p["prokind"]] == "p"
    params = _params(row)
    default_texts: list[str] = []
    if defaults and row[p["pronargdefaults"]]:
        default_texts = _default_texts(s, row, params)
    inputs = [i for i, (_, _, m) in enumerate(params) if m in "ibv"]
    first_default = len(inputs) - len(default_texts)
    out = []
    for i, (n, t, m) in enumerate(params):
        if m == "t":
            continue
        word = "IN " if m == "i" and is_proc else _MODE_WORDS.get(m, "")
        text = word + (_quote(n) + " " if n else "") + _type(t)
        if i in inputs and default_texts:
            k = inputs.index(i) - first_default
            if k >= 0:
                text += " DEFAULT " + default_texts[k]
        out.append(text)
    return ", ".join(out)


def _default_texts(s: Any, row: tuple, params: list[tuple[str, int, str]]) -> list[str]:
    """The parameters' DEFAULT expressions, coerced to the parameters' types, deparsed."""
    from tuskdb.engine.regtypes import REGCLASS, reg_output
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import AnalyzeState, Scope
    from tuskdb.sql.deparse import Deparser
    p = COLUMN_POS["pg_proc"]
    trees = json.loads(row[p["proargdefaults"]] or "[]")
    in_types = [t for _, t, m in params if m in "ibv"]
    state = AnalyzeState(s.catalog(), s, [], None, "")
    dp = Deparser(s.type_context, False, lambda oid: reg_output(s, REGCLASS, oid))
    out = []
    for tree, t in zip(trees, in_types[len(in_types) - len(trees):]):
        e = transform(tree, ExprContext(state, Scope(), "DEFAULT", None))
        e = coerce_to(e, t, -1, "a", ctx=s.type_context)
        out.append(dp.expr(e, True))
    return out


def function_result(s: Any, oid: int) -> str | None:
    row = _proc_row(s, oid)
    if row is None:
        return None
    p = COLUMN_POS["pg_proc"]
    if row[p["prokind"]] == "p":
        return None
    params = _params(row)
    table = [(n, t) for n, t, m in params if m == "t"]
    if table:
        return "TABLE(" + ", ".join(f"{_quote(n)} {_type(t)}" for n, t in table) + ")"
    return ("SETOF " if row[p["proretset"]] else "") + _type(row[p["prorettype"]])


def functiondef(s: Any, oid: int) -> str | None:
    row = _proc_row(s, oid)
    if row is None:
        return None
    p = COLUMN_POS["pg_proc"]
    cat = s.catalog()
    is_proc = row[p["prokind"]] == "p"
    nspname = cat.namespace_name(row[p["pronamespace"]]) or ""
    kind = "PROCEDURE" if is_proc else "FUNCTION"
    lines = [f"CREATE OR REPLACE {kind} {_quote(nspname)}.{_quote(row[p['proname']])}"
             f"({function_arguments(s, oid)})"]
    if not is_proc:
        lines.append(f" RETURNS {function_result(s, oid)}")
    lang = {14: "sql", 12: "internal", 13: "c"}.get(row[p["prolang"]], "plpgsql")
    lines.append(f" LANGUAGE {lang}")
    if row[p["prokind"]] == "w":
        lines.append(" WINDOW")
    vol = {"i": " IMMUTABLE", "s": " STABLE"}.get(row[p["provolatile"]])
    if vol:
        lines.append(vol)
    if row[p["proisstrict"]]:
        lines.append(" STRICT")
    if row[p["prosecdef"]]:
        lines.append(" SECURITY DEFINER")
    if row[p["proleakproof"]]:
        lines.append(" LEAKPROOF")
    cost = row[p["procost"]]
    if cost != (1 if row[p["prolang"]] in (12, 13) else 100):
        lines.append(f" COST {cost:g}")
    if row[p["proretset"]] and row[p["prorows"]] not in (0, 1000):
        lines.append(f" ROWS {row[p['prorows']]:g}")
    par = {"s": " PARALLEL SAFE", "r": " PARALLEL RESTRICTED"}.get(row[p["proparallel"]])
    if par:
        lines.append(par)
    body = row[p["prosqlbody"]]
    if body:
        node = json.loads(body)
        if "ReturnStmt" in node:
            return "\n".join(lines) + "\nRETURN " + _return_expr(s, row, node) + "\n"
        items = node.get("List", {}).get("items", [node])
        if len(items) == 1 and "List" in items[0]:
            items = items[0]["List"]["items"]
        stmts = [_sqlbody_statement(s, row, it) for it in items if it]
        return "\n".join(lines) + "\nBEGIN ATOMIC\n" + "".join(t + ";\n" for t in stmts) + \
            "END\n"
    src = row[p["prosrc"]]
    tag = "$" + kind.lower() + "$"
    while tag in src:
        tag = tag[:-1] + "x$"
    return "\n".join(lines) + f"\nAS {tag}{src}{tag}\n"


def _body_state(s: Any, row: tuple) -> tuple[Any, list[tuple[str, int]]]:
    """The analysis state of a function body: its parameters, by number and name."""
    from tuskdb.sql.analyze.state import AnalyzeState
    params = [(n, t) for n, t, m in _params(row) if m in "ibv"]
    state = AnalyzeState(s.catalog(), s, [t for _, t in params], None, "")
    state.param_names = {n: i + 1 for i, (n, _) in enumerate(params) if n}
    return state, params


def _param_deparser(s: Any, params: list[tuple[str, int]], qualifier: str | None) -> Any:
    """A deparser printing parameters by name, qualified with the function's name when
    the statement has a range table (ruleutils' get_parameter)."""
    from tuskdb.engine.regtypes import REGCLASS, reg_output
    from tuskdb.sql.deparse import Deparser
    from tuskdb.sql.expr import Param

    class _Names(Deparser):
        def expr(self, x: Any, top: bool = True) -> str:
            if isinstance(x, Param) and 0 < x.number <= len(params) and \
                    params[x.number - 1][0]:
                name = _quote(params[x.number - 1][0])
                return f"{_quote(qualifier)}.{name}" if qualifier else name
            return super().expr(x, top)
    return _Names(s.type_context, False, lambda oid: reg_output(s, REGCLASS, oid))


def _return_expr(s: Any, row: tuple, node: dict) -> str:
    """A RETURN body's expression as ruleutils prints it: parameters by name."""
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import Scope
    state, params = _body_state(s, row)
    e = transform(node["ReturnStmt"]["returnval"], ExprContext(state, Scope(), "RETURN", None))
    return _param_deparser(s, params, None).expr(e, False)


def _sqlbody_statement(s: Any, row: tuple, node: dict) -> str:
    """One statement of a BEGIN ATOMIC body (ruleutils' print_function_sqlbody)."""
    from tuskdb.engine.regtypes import REGCLASS, reg_output
    from tuskdb.sql.deparse_query import get_sqlbody_statement
    if "ReturnStmt" in node:
        return " RETURN " + _return_expr(s, row, node)
    _, params = _body_state(s, row)
    return get_sqlbody_statement(s, node, row[COLUMN_POS["pg_proc"]["proname"]],
                                 [n for n, _ in params], [t for _, t in params],
                                 lambda oid: reg_output(s, REGCLASS, oid))
