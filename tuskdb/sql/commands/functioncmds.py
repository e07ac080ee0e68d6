"""CREATE [OR REPLACE] FUNCTION ... LANGUAGE sql, DROP FUNCTION (PostgreSQL's
functioncmds.c), and calling SQL functions (functions.c).

A function is a pg_proc row; its body is kept as SQL text (prosrc) or, for
BEGIN ATOMIC / RETURN bodies, as the raw parse tree (prosqlbody, JSON).  A call
plans the body once per catalog generation, with the arguments as parameters
$1..$n (also reachable by name), and runs its statements in order; the last
one gives the result (its first row, or all rows for SETOF).
"""

from __future__ import annotations

import json
from typing import Any

from tuskdb import types
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (
    DUPLICATE_FUNCTION,
    FEATURE_NOT_SUPPORTED,
    INVALID_FUNCTION_DEFINITION,
    UNDEFINED_FUNCTION,
    PgError,
    notice,
)
from tuskdb.types import Array

SQL_LANG, PLPGSQL_LANG, INTERNAL_LANG = 14, 12775, 12


def _check_internal_symbol(symbol: str) -> None:
    """LANGUAGE internal names a built-in function by its C symbol (prosrc)."""
    from tuskdb.sql.commands.operatorcmds import ESTIMATOR_NAMES
    from tuskdb.types import catdata
    if symbol in ESTIMATOR_NAMES.values() or any(r[8] == symbol for r in catdata.PROCS):
        return
    from tuskdb.types.usertypes import io_symbol_owner
    if io_symbol_owner(symbol) is not None:
        return
    raise PgError(UNDEFINED_FUNCTION, f'there is no built-in function named "{symbol}"')


_MODE_CHARS = {"FUNC_PARAM_IN": "i", "FUNC_PARAM_DEFAULT": "i", "FUNC_PARAM_OUT": "o",
               "FUNC_PARAM_INOUT": "b", "FUNC_PARAM_VARIADIC": "v", "FUNC_PARAM_TABLE": "t"}


def _types_of(params: list[dict], state: Any, outs: list | None = None
              ) -> tuple[list[int], list[str], list[Any], list]:
    """Input parameters: (types, names, default trees, modes). OUT/INOUT/TABLE ones are
    appended to ``outs`` as (name, type, mode char), or refused without it."""
    from tuskdb.sql.analyze.expr import resolve_type_name
    types_, names, defaults, modes = [], [], [], []
    for p in params:
        fp = p["FunctionParameter"]
        mode = fp.get("mode", "FUNC_PARAM_DEFAULT")
        t, _ = resolve_type_name(fp["argType"], state)
        from tuskdb.sql.commands.tablecmds import check_type_usage
        check_type_usage(state.session, state.catalog, t)
        if mode in ("FUNC_PARAM_OUT", "FUNC_PARAM_TABLE", "FUNC_PARAM_INOUT"):
            if outs is None:
                raise PgError(FEATURE_NOT_SUPPORTED, "OUT, INOUT and TABLE parameters are not "
                              "supported here")
            outs.append((fp.get("name") or "", t, _MODE_CHARS[mode]))
            if mode != "FUNC_PARAM_INOUT":
                continue
        types_.append(t)
        names.append(fp.get("name") or "")
        defaults.append(fp.get("defexpr"))
        modes.append(mode)
    return types_, names, defaults, modes


def _is_shell(cat: Any, oid: int) -> Any:
    if oid < 16384:
        return None
    t = cat.type_by_oid(oid)
    return t if t is not None and t.typtype == "p" and not getattr(t, "is_defined", True) \
        else None


def _shell_types(s: Any, cat: Any, state: Any, language: str, ret: int, params: list,
                 argtypes: list[int]) -> None:
    """Shell types may appear only in internal/C functions (the I/O functions of the
    type to come), with a NOTICE; SQL functions refuse them."""
    rt = _is_shell(cat, ret)
    if rt is not None:
        if language == "sql":
            raise PgError(INVALID_FUNCTION_DEFINITION, f"SQL function cannot return shell "
                          f"type {rt.sql_name}")
        s.add_notice(notice(f"return type {rt.sql_name} is only a shell"))
        if language == "plpgsql":
            raise PgError(FEATURE_NOT_SUPPORTED, f"PL/pgSQL functions cannot return type "
                          f"{rt.sql_name}")
    loc = [(prm["FunctionParameter"].get("argType") or {}).get("location", -1)
           for prm in params]
    for i, t in enumerate(argtypes):
        at = _is_shell(cat, t)
        if at is None:
            continue
        pos = state.pos(loc[i]) if i < len(loc) and loc[i] is not None and loc[i] >= 0 \
            else None
        if language == "sql":
            raise PgError(INVALID_FUNCTION_DEFINITION, f"SQL function cannot accept shell "
                          f"type {at.sql_name}", position=pos)
        n = notice(f"argument type {at.sql_name} is only a shell")
        n.position = pos
        s.add_notice(n)
        if language == "plpgsql":
            raise PgError(FEATURE_NOT_SUPPORTED, f"PL/pgSQL functions cannot accept type "
                          f"{at.sql_name}")


def create_function(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.analyze.expr import resolve_type_name
    from tuskdb.sql.commands.tablecmds import _state

    body = raw.body
    is_proc = bool(body.get("is_procedure"))
    state = _state(s, raw)
    cat = state.catalog
    names = [n["String"]["sval"] for n in body["funcname"]]
    name = names[-1]
    if len(names) > 1:
        # pg_temp: the session's temporary schema (created on first use)
        nsp = s.temp_namespace() if names[-2] == "pg_temp" else cat.namespace_oid(names[-2])
        if nsp is None:
            raise PgError("3F000", f'schema "{names[-2]}" does not exist')
    else:
        nsp = s.creation_namespace(cat)
    outs: list = []
    _check_parameter_order(body.get("parameters") or [], is_proc, state)
    from tuskdb.sql.commands.tablecmds import check_expr_type_usage
    check_expr_type_usage(s, state, [(p.get("FunctionParameter") or {}).get("defexpr")
                                     for p in body.get("parameters") or []])
    argtypes, argnames, defaults, modes = _types_of(body.get("parameters") or [], state, outs)
    variadic = 0
    if "FUNC_PARAM_VARIADIC" in modes:
        vt = types.TYPES.get(argtypes[modes.index("FUNC_PARAM_VARIADIC")])
        variadic = {2277: 2283, 5078: 5077}.get(vt.oid, vt.elem_oid) \
            if vt is not None and vt.category in ("A", "P") else 0
        if not variadic or (vt.category == "P" and vt.oid not in (2277, 5078)):
            raise PgError(INVALID_FUNCTION_DEFINITION, "VARIADIC parameter must be an array")
    rt = body.get("returnType")
    out_ret = (outs[0][1] if len(outs) == 1 else 2249) if outs else None
    if is_proc:
        out_ret = 2249 if outs else 2278      # procedures: record of the OUT parameters
    if is_proc:
        ret, retset = out_ret, False
    elif rt is None:
        if out_ret is None:
            raise PgError(INVALID_FUNCTION_DEFINITION, "function result type must be "
                          "specified")
        ret, retset = out_ret, False
    else:
        ret, _ = resolve_type_name(rt, state)
        from tuskdb.sql.commands.tablecmds import check_type_usage
        check_type_usage(s, cat, ret)
        retset = bool(rt.get("setof"))
        if out_ret is not None and ret != out_ret and not any(m == "t" for _, _, m in outs):
            from tuskdb.sql.analyze.coerce import type_name
            raise PgError(INVALID_FUNCTION_DEFINITION,
                          f"function result type must be {type_name(out_ret)} because of "
                          f"OUT parameters")
        if any(m == "t" for _, _, m in outs):
            ret = out_ret
    for _, t, _ in outs:
        _check_polymorphic_result(t, argtypes)
    all_params = None
    if outs or variadic:
        # proallargtypes/proargmodes/proargnames list every parameter in order
        all_params = []
        for prm in body.get("parameters") or []:
            fp = prm["FunctionParameter"]
            t, _ = resolve_type_name(fp["argType"], state)
            all_params.append((fp.get("name") or "", t,
                               _MODE_CHARS[fp.get("mode", "FUNC_PARAM_DEFAULT")]))
    opts = {"language": None, "volatility": "v", "strict": False, "as": None}
    for o in body.get("options") or []:
        d = o["DefElem"]
        key = d["defname"]
        arg = d.get("arg") or {}
        if is_proc and key in _NOT_FOR_PROCEDURES:
            raise PgError(INVALID_FUNCTION_DEFINITION, "invalid attribute in procedure "
                          "definition", position=state.pos(d.get("location")))
        if key == "language":
            opts["language"] = arg["String"]["sval"].lower()
        elif key == "volatility":
            opts["volatility"] = arg["String"]["sval"][0]
        elif key == "strict":
            opts["strict"] = bool(arg.get("Boolean", {}).get("boolval"))
        elif key == "as":
            items = arg["List"]["items"]
            if len(items) != 1:
                opts["as_items"] = len(items)       # judged once the language is known
                continue
            opts["as"] = items[0]["String"]["sval"]
        elif key == "security":
            opts["security"] = bool(arg.get("Boolean", {}).get("boolval"))
        elif key == "leakproof":
            opts["leakproof"] = bool(arg.get("Boolean", {}).get("boolval"))
        elif key == "parallel":
            opts["parallel"] = arg["String"]["sval"][0].lower()
        elif key in ("cost", "rows"):
            opts[key] = float(arg.get("Integer", {}).get("ival",
                                                         arg.get("Float", {}).get("fval", 0)))
        elif key in ("support", "set", "window"):
            continue
        else:
            raise PgError(FEATURE_NOT_SUPPORTED, f"function option {key} is not supported")
    sql_body = body.get("sql_body")
    if sql_body is not None:
        if opts["as"] is not None:
            raise PgError(INVALID_FUNCTION_DEFINITION, "duplicate function body specified")
        if any(t in _POLY_TYPES for t in argtypes):
            raise PgError(INVALID_FUNCTION_DEFINITION, "SQL function with unquoted function "
                          "body cannot have polymorphic arguments")
        _check_sql_body(sql_body)
    language = opts["language"] or ("sql" if sql_body is not None else None)
    if language is None:
        raise PgError(INVALID_FUNCTION_DEFINITION, "no language specified")
    if language == "internal":
        _check_internal_symbol(opts["as"] if opts["as"] is not None else name)
        if opts["as"] is None:
            opts["as"] = name
    elif language not in ("sql", "plpgsql"):
        if not cat.find("pg_language", lanname=language):
            raise PgError("42704", f'language "{language}" does not exist')
        raise PgError(FEATURE_NOT_SUPPORTED, f'language "{language}" is not supported')
    if opts.get("as_items"):
        # interpret_AS_clause: only C functions take an object file and a link symbol
        if language == "c":
            raise PgError(FEATURE_NOT_SUPPORTED, "C-language functions are not supported")
        raise PgError(INVALID_FUNCTION_DEFINITION,
                      f'only one AS item needed for language "{language}"')
    _shell_types(s, cat, state, language, ret if not is_proc else 0,
                 body.get("parameters") or [], argtypes)
    src = opts["as"]
    sqlbody_json = json.dumps(sql_body) if sql_body is not None else None
    if src is None and sqlbody_json is None:
        raise PgError(INVALID_FUNCTION_DEFINITION, "no function body specified")
    if not outs:
        _check_polymorphic_result(ret, argtypes)
    p = COLUMN_POS["pg_proc"]
    existing = [(tid, row) for tid, row in cat.find("pg_proc", proname=name, pronamespace=nsp)
                if list(row[p["proargtypes"]].items if row[p["proargtypes"]] else []) ==
                argtypes]
    from tuskdb.catalog import aclchk
    me, is_super = s._role_facts(cat)
    if not is_super:
        if not existing:
            aclchk.check_namespace_create(cat, nsp, me)
        lp = COLUMN_POS["pg_language"]
        for _, lrow in cat.find("pg_language", lanname=language):
            items = aclchk.parse_acl(lrow[lp["lanacl"]], "language",
                                     aclchk.role_name(cat, lrow[lp["lanowner"]]))
            if aclchk.aclmask(cat, items, me, lrow[lp["lanowner"]], "U") != "U":
                raise aclchk.permission_denied("language", language)
    row = make_row(
        "pg_proc", proname=name, pronamespace=nsp, proowner=me,
        prolang={"internal": INTERNAL_LANG, "plpgsql": PLPGSQL_LANG}.get(language, SQL_LANG),
        procost=opts.get("cost", 1.0 if language == "internal" else 100.0),
        prorows=opts.get("rows", 1000.0) if retset else 0.0, prosupport=0, prokind="p" if is_proc else "f",
        prosecdef=bool(opts.get("security")), proleakproof=bool(opts.get("leakproof")),
        proisstrict=opts["strict"], proretset=retset,
        provolatile=opts["volatility"], proparallel=opts.get("parallel", "u"),
        pronargs=len(argtypes),
        pronargdefaults=sum(1 for d in defaults if d is not None), prorettype=ret,
        proargtypes=Array(argtypes, 0), provariadic=variadic,
        proallargtypes=Array([t for _, t, _ in all_params]) if all_params else None,
        proargmodes=Array([m for _, _, m in all_params]) if all_params else None,
        proargnames=(Array([n for n, _, _ in all_params]) if all_params else
                     Array(argnames) if any(argnames) else None),
        proargdefaults=json.dumps([d for d in defaults if d is not None]) if any(
            d is not None for d in defaults) else None,
        prosrc=src if src is not None else "", prosqlbody=sqlbody_json)
    if existing:
        if not body.get("replace"):
            raise PgError(DUPLICATE_FUNCTION, f'function "{name}" already exists with same '
                          f"argument types")
        tid, old = existing[0]
        if not is_super:
            aclchk.check_owner(cat, me, old[p["proowner"]],
                               "procedure" if old[p["prokind"]] == "p" else "function", name)
        # the replacement keeps its owner and privileges
        row = replace("pg_proc", row, proowner=old[p["proowner"]], proacl=old[p["proacl"]])
        if old[p["prokind"]] != row[p["prokind"]]:
            raise PgError("42809", "cannot change routine kind",
                          detail=f'"{name}" is a '
                                 f'{"procedure" if old[p["prokind"]] == "p" else "function"}.')
        if old[p["prorettype"]] != ret or old[p["proretset"]] != retset:
            raise PgError(INVALID_FUNCTION_DEFINITION, "cannot change return type of existing "
                          "function", hint=f"Use DROP FUNCTION {name}({_sig(argtypes)}) first.")
        _check_replace(old, row, name, argtypes)
        cat.update("pg_proc", tid, replace("pg_proc", row, oid=old[p["oid"]]))
    else:
        from tuskdb.sql.commands.defaclcmds import default_acl
        cat.insert("pg_proc", replace("pg_proc", row, oid=cat.m.next_oid(),
                                      proacl=default_acl(cat, "f", me, nsp)))
    cat.command_counter_increment()
    if language == "plpgsql" and s.settings.get("check_function_bodies", True):
        from tuskdb.sql import pl
        as_loc = next((o["DefElem"].get("arg_location", -1) for o in body.get("options") or []
                       if o["DefElem"]["defname"] == "as"), -1)
        pl.validate(s, _new_row(cat, name, nsp, argtypes), raw.source, as_loc)
    # validate the body now (check_function_bodies), as PostgreSQL does
    if s.settings.get("check_function_bodies", True) and language == "sql":
        from tuskdb.sql.analyze.polymorphic import POLYMORPHIC
        fn = lookup_functions(s, name, nsp)
        for f in fn:
            if f.argtypes == argtypes and any(t in POLYMORPHIC for t in argtypes):
                f.statements()      # polymorphic arguments: the body is only parsed
            elif f.argtypes == argtypes:
                f._source = raw.source
                try:
                    f.plans(s)
                except PgError as err:
                    if sqlbody_json is not None:
                        raise       # positions are in the CREATE statement itself
                    if err.position is not None and src is not None:
                        # the position is in the body: in the CREATE statement where the
                        # body appears there literally, else an internal query's
                        outer = _match_prosrc_to_query(src, raw.source, err.position)
                        if outer is None:
                            err.internal_position, err.internal_query = err.position, src
                            err.position = None
                        else:
                            err.position = outer
                    else:
                        # no position to transpose: the function is named instead
                        err.context = f'SQL function "{name}"'
                    raise
    return QueryResult(tag="CREATE PROCEDURE" if is_proc else "CREATE FUNCTION")


def _new_row(cat: Any, name: str, nsp: int, argtypes: list[int]) -> tuple:
    """The pg_proc row of name(argtypes) in nsp, as this command left it."""
    p = COLUMN_POS["pg_proc"]
    for _, row in cat.find("pg_proc", proname=name, pronamespace=nsp):
        if list(row[p["proargtypes"]].items if row[p["proargtypes"]] else []) == argtypes:
            return row
    raise PgError("XX000", f"cache lookup failed for function {name}")


def _scalar_result(ret: int) -> bool:
    """A declared result of one plain column: no void, record, polymorphic or composite
    type (those are checked their own ways)."""
    from tuskdb.sql.analyze.polymorphic import POLYMORPHIC
    if ret in (2278, 2249) or ret in POLYMORPHIC or ret in _POLY_TYPES:
        return False
    t = types.TYPES.get(ret)
    return t is not None and t.typtype in ("b", "d", "e", "r", "m")


def _match_prosrc_to_query(src: str, query: str, pos: int) -> int | None:
    """A 1-based position ``pos`` in a function body as a position in the CREATE
    statement that wrote the body as $tag$...$tag$ or '...' (match_prosrc_to_query);
    None when the body is not found there exactly once."""
    found = None
    n = len(src)
    start = query.find(src)
    while start >= 0:
        if start > 0 and query[start - 1] == "$" and query[start + n:start + n + 1] == "$":
            if found is not None:
                return None
            found = start + pos
        start = query.find(src, start + 1)
    quoted = src.replace("'", "''")
    start = query.find(quoted)
    while start >= 0:
        if start > 0 and query[start - 1] == "'" and query[start + len(quoted):
                                                          start + len(quoted) + 1] == "'":
            if found is not None:
                return None
            # each quote before the position is doubled in the statement
            found = start + pos + src[:pos - 1].count("'")
        start = query.find(quoted, start + 1)
    return found


_POLY_TYPES = frozenset((2283, 2277, 2776, 3500, 3831, 4537, 5077, 5078, 5079, 5080, 4538))
_SQL_BODY_KINDS = ("SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt",
                   "ReturnStmt")
_UTILITY_TAGS = {"CreateStmt": "CREATE TABLE", "ViewStmt": "CREATE VIEW",
                 "IndexStmt": "CREATE INDEX", "DropStmt": "DROP", "TruncateStmt": "TRUNCATE",
                 "AlterTableStmt": "ALTER TABLE", "VariableSetStmt": "SET",
                 "CallStmt": "CALL"}


def _check_sql_body(node: dict) -> None:
    """A BEGIN ATOMIC body holds only plannable statements (interpret_AS_clause)."""
    items = [node]
    if "List" in node:
        items = node["List"]["items"]
        if len(items) == 1 and "List" in items[0]:
            items = items[0]["List"]["items"]
    for it in items:
        if not it:
            continue
        kind = next(iter(it))
        if kind not in _SQL_BODY_KINDS:
            what = _UTILITY_TAGS.get(kind, kind)
            raise PgError(FEATURE_NOT_SUPPORTED, f"{what} is not yet supported in unquoted "
                          "SQL function body")


def _check_replace(old: tuple, new: tuple, name: str, argtypes: list[int]) -> None:
    """CREATE OR REPLACE may not rename input parameters or drop their defaults
    (ProcedureCreate)."""
    from tuskdb.sql.analyze.coerce import type_name
    p = COLUMN_POS["pg_proc"]
    hint_sig = ",".join(type_name(t) for t in argtypes)

    def input_names(row: tuple) -> list[str]:
        names = list(row[p["proargnames"]].items) if row[p["proargnames"]] is not None else []
        modes = list(row[p["proargmodes"]].items) if row[p["proargmodes"]] is not None \
            else ["i"] * len(names)
        return [n for n, m in zip(names, modes) if m in "ibv"]
    old_names, new_names = input_names(old), input_names(new)
    for i, n in enumerate(old_names):
        if n and (i >= len(new_names) or new_names[i] != n):
            raise PgError(INVALID_FUNCTION_DEFINITION, f'cannot change name of input '
                          f'parameter "{n}"', hint=f"Use DROP FUNCTION {name}({hint_sig}) "
                          f"first.")
    if (new[p["pronargdefaults"]] or 0) < (old[p["pronargdefaults"]] or 0):
        raise PgError(INVALID_FUNCTION_DEFINITION, "cannot remove parameter defaults from "
                      "existing function", hint=f"Use DROP FUNCTION {name}({hint_sig}) first.")


# attributes a procedure cannot have (compute_common_attribute / WINDOW)
_NOT_FOR_PROCEDURES = ("strict", "volatility", "leakproof", "cost", "rows", "support",
                       "parallel", "window")


def _check_parameter_order(params: list[dict], is_proc: bool, state: Any) -> None:
    """interpret_function_parameter_list's ordering rules."""
    seen_variadic = seen_default = False
    in_names: set[str] = set()
    out_names: set[str] = set()
    for prm in params:
        fp = prm["FunctionParameter"]
        mode = fp.get("mode", "FUNC_PARAM_DEFAULT")
        pname = fp.get("name")
        if pname:
            is_in = mode not in ("FUNC_PARAM_OUT", "FUNC_PARAM_TABLE")
            is_outp = mode in ("FUNC_PARAM_OUT", "FUNC_PARAM_TABLE", "FUNC_PARAM_INOUT")
            if (is_in and pname in in_names) or (is_outp and pname in out_names):
                raise PgError(INVALID_FUNCTION_DEFINITION, f'parameter name "{pname}" used '
                              f"more than once", position=state.pos(fp.get("location")))
            if is_in:
                in_names.add(pname)
            if is_outp:
                out_names.add(pname)
        is_out = mode in ("FUNC_PARAM_OUT", "FUNC_PARAM_TABLE")
        if seen_variadic and (is_proc or not is_out):
            raise PgError(INVALID_FUNCTION_DEFINITION, "VARIADIC parameter must be the last "
                          "parameter", position=state.pos(fp.get("location")))
        if is_proc and mode == "FUNC_PARAM_OUT" and seen_default:
            raise PgError(INVALID_FUNCTION_DEFINITION, "procedure OUT parameters cannot "
                          "appear after one with a default value",
                          position=state.pos(fp.get("location")))
        if fp.get("defexpr") is not None and mode in ("FUNC_PARAM_OUT", "FUNC_PARAM_TABLE"):
            raise PgError(INVALID_FUNCTION_DEFINITION, "only input parameters can have "
                          "default values", position=state.pos(fp.get("location")))
        if seen_default and fp.get("defexpr") is None and not is_out and \
                not (is_proc and mode == "FUNC_PARAM_OUT"):
            raise PgError(INVALID_FUNCTION_DEFINITION, "input parameters after one with a "
                          "default value must also have defaults",
                          position=state.pos(fp.get("location")))
        if mode == "FUNC_PARAM_VARIADIC":
            seen_variadic = True
        if fp.get("defexpr") is not None:
            seen_default = True


def _check_polymorphic_result(ret: int, argtypes: list[int]) -> None:
    """A polymorphic result needs an argument it can be resolved from (ProcedureCreate)."""
    from tuskdb.sql.analyze import polymorphic as P
    from tuskdb.sql.analyze.coerce import type_name
    if ret in (P.ANYRANGE, P.ANYMULTIRANGE):
        need, words = {P.ANYRANGE, P.ANYMULTIRANGE}, "anyrange or anymultirange"
    elif ret in P.FAMILY1:
        need, words = set(P.FAMILY1), ("anyelement, anyarray, anynonarray, anyenum, anyrange, "
                                       "or anymultirange")
    elif ret in (P.ANYCOMPATIBLERANGE, P.ANYCOMPATIBLEMULTIRANGE):
        need, words = ({P.ANYCOMPATIBLERANGE, P.ANYCOMPATIBLEMULTIRANGE},
                       "anycompatiblerange or anycompatiblemultirange")
    elif ret in P.FAMILY2:
        need, words = set(P.FAMILY2), ("anycompatible, anycompatiblearray, "
                                       "anycompatiblenonarray, anycompatiblerange, or "
                                       "anycompatiblemultirange")
    else:
        return
    if not any(t in need for t in argtypes):
        raise PgError(INVALID_FUNCTION_DEFINITION, "cannot determine result data type",
                      detail=f"A result of type {type_name(ret)} requires at least one input "
                             f"of type {words}.")


def _sig(argtypes: list[int]) -> str:
    from tuskdb.sql.analyze.coerce import type_name
    return ", ".join(type_name(t) for t in argtypes)


_KIND_WORDS = {"OBJECT_FUNCTION": "function", "OBJECT_PROCEDURE": "procedure",
               "OBJECT_ROUTINE": "function", "OBJECT_AGGREGATE": "aggregate"}


def lookup_routine(s: Any, state: Any, owa: dict, objtype: str, missing_ok: bool = False
                   ) -> tuple[Any, tuple] | None:
    """The pg_proc row an ObjectWithArgs names (LookupFuncWithArgs): (tid, row), or None
    when missing_ok and there is none (the NOTICE is the caller's:
    skipping_notice words it)."""
    from tuskdb.sql.analyze.expr import lookup_type_name_oid
    if missing_ok and skipping_notice(owa, state) is not None:
        return None
    cat = state.catalog
    p = COLUMN_POS["pg_proc"]
    word = _KIND_WORDS.get(objtype, "function")
    names = [n["String"]["sval"] for n in owa["objname"]]
    name = names[-1]
    if len(names) > 1:
        nsp = s.temp_nsp if names[-2] == "pg_temp" else cat.namespace_oid(names[-2])
        if nsp is None:
            raise PgError("3F000", f'schema "{names[-2]}" does not exist')
        path = [nsp]
    else:
        path = s.search_path_oids(cat)
    rows = []
    for nsp in path:
        rows = [(tid, row) for tid, row in cat.find("pg_proc", proname=name, pronamespace=nsp)]
        if rows:
            break
    if owa.get("args_unspecified"):
        if len(rows) > 1:
            raise PgError("42725", f'{word} name "{name}" is not unique',
                          hint=f"Specify the argument list to select the {word} "
                               f"unambiguously.")
        if not rows:
            if missing_ok:
                return None
            raise PgError(UNDEFINED_FUNCTION, f"could not find a "
                          f"{'function' if word == 'routine' else word} named \"{name}\"")
        return rows[0]
    fargs = owa.get("objfuncargs") or []
    modes = [fa["FunctionParameter"].get("mode", "FUNC_PARAM_DEFAULT") for fa in fargs]
    all_types = [lookup_type_name_oid(fa["FunctionParameter"]["argType"], state)
                 for fa in fargs] if fargs else \
        [lookup_type_name_oid(t["TypeName"], state) for t in owa.get("objargs") or []]
    in_types = [t for t, m in zip(all_types, modes or ["FUNC_PARAM_DEFAULT"] * len(all_types))
                if m not in ("FUNC_PARAM_OUT", "FUNC_PARAM_TABLE")]
    explicit_out = "FUNC_PARAM_OUT" in modes
    explicit_in = any(m in ("FUNC_PARAM_IN", "FUNC_PARAM_INOUT", "FUNC_PARAM_VARIADIC")
                      for m in modes)
    found = []
    for tid, row in rows:
        inputs = list(row[p["proargtypes"]].items) if row[p["proargtypes"]] else []
        allt = row[p["proallargtypes"]]
        full = list(allt.items) if allt is not None else inputs
        hit = False
        if not explicit_out and inputs == in_types:
            hit = True
        elif row[p["prokind"]] == "p" and not explicit_in and full == all_types:
            hit = True
        elif explicit_out and full == all_types:
            hit = True
        if hit and explicit_out:
            # the modes written must be the parameters' own (func_match_argmodes)
            pmodes = list(row[p["proargmodes"]].items) if row[p["proargmodes"]] is not None \
                else ["i"] * len(full)
            want = {"FUNC_PARAM_IN": "i", "FUNC_PARAM_OUT": "o", "FUNC_PARAM_INOUT": "b",
                    "FUNC_PARAM_VARIADIC": "v"}
            hit = all(want.get(m, pm) == pm for m, pm in zip(modes, pmodes))
        if hit:
            found.append((tid, row))
    shown = f"{name}({_sig(in_types if not explicit_out else all_types)})"
    if objtype == "OBJECT_AGGREGATE" and not all_types:
        shown = f"{name}(*)"
    if len(found) > 1:
        raise PgError("42725", f'{word} name "{name}" is not unique')
    if not found:
        if missing_ok:
            return None
        raise PgError(UNDEFINED_FUNCTION, f"{word} {shown} does not exist")
    row = found[0][1]
    kind = row[p["prokind"]]
    if objtype == "OBJECT_FUNCTION" and kind == "p":
        raise PgError("42809", f"{shown} is not a function")
    if objtype == "OBJECT_PROCEDURE" and kind != "p":
        raise PgError("42809", f"{shown} is not a procedure")
    if objtype == "OBJECT_AGGREGATE" and kind != "a":
        raise PgError("42809", f"function {shown} is not an aggregate")
    if objtype == "OBJECT_FUNCTION" and kind == "a":
        raise PgError("42809", f"{shown} is an aggregate function")
    return found[0]


def skipping_notice(owa: dict, state: Any) -> str | None:
    """DROP ... IF EXISTS of a routine or operator whose name's schema or one of whose
    argument types is missing says so (does_not_exist_skipping) instead of naming the
    object; None when the name's schema and all the types exist."""
    from tuskdb.sql.analyze.expr import missing_type_notice
    names = [n["String"]["sval"] for n in owa["objname"]]
    if len(names) > 1 and state.catalog.namespace_oid(names[-2]) is None:
        return f'schema "{names[-2]}" does not exist, skipping'
    return missing_type_notice([t.get("TypeName") for t in owa.get("objargs") or []], state)


def routine_shown(owa: dict, state: Any) -> str:
    """name(args) as a NOTICE about a missing routine shows it: the names as written
    (NameListToString / TypeNameListToString)."""
    name = ".".join(n["String"]["sval"] for n in owa["objname"])
    args = []
    for t in owa.get("objargs") or []:
        tn = t.get("TypeName")
        if tn is None:
            continue
        text = ".".join(n["String"]["sval"] for n in tn.get("names", []))
        text += "[]" * len(tn.get("arrayBounds") or [])
        args.append(text)
    return f"{name}({','.join(args)})"


def drop_function(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.commands.tablecmds import _state
    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    objtype = body.get("removeType", "OBJECT_FUNCTION")
    word = _KIND_WORDS.get(objtype, "function") if objtype != "OBJECT_ROUTINE" else "function"
    for obj in body["objects"]:
        owa = obj["ObjectWithArgs"]
        found = lookup_routine(s, state, owa, objtype, bool(body.get("missing_ok")))
        if found is None:
            s.add_notice(notice(skipping_notice(owa, state) or
                                f"{word} {routine_shown(owa, state)} does not exist, "
                                f"skipping"))
            continue
        _check_routine_owner(s, cat, found[1])
        _drop_dependent_aggregates(s, cat, found[1], body.get("behavior") == "DROP_CASCADE")
        _drop_dependent_casts(s, cat, found[1], body.get("behavior") == "DROP_CASCADE")
        if _drop_dependent_types(s, cat, found[1], body.get("behavior") == "DROP_CASCADE"):
            # the type took this function along (it uses the type)
            found = next(iter(cat.find("pg_proc", oid=found[1][COLUMN_POS["pg_proc"]["oid"]])),
                         None) or (None, found[1])
        if found[0] is not None:
            cat.delete("pg_proc", found[0])
        cat.delete_where("pg_description", objoid=found[1][COLUMN_POS["pg_proc"]["oid"]])
        cat.command_counter_increment()
    return QueryResult(tag={"OBJECT_PROCEDURE": "DROP PROCEDURE",
                            "OBJECT_ROUTINE": "DROP ROUTINE"}.get(objtype, "DROP FUNCTION"))


def _check_routine_owner(s: Any, cat: Any, row: tuple) -> None:
    """DROP / ALTER of a routine needs its owner's privileges."""
    from tuskdb.catalog import aclchk
    uid, is_super = s._role_facts(cat)
    if not is_super:
        p = COLUMN_POS["pg_proc"]
        noun = {"p": "procedure", "a": "aggregate"}.get(row[p["prokind"]], "function")
        aclchk.check_owner(cat, uid, row[p["proowner"]], noun, row[p["proname"]])


def describe_routine(row: tuple) -> str:
    """getObjectDescription of a pg_proc row: 'function name(type,type)'."""
    from tuskdb.sql.analyze.coerce import type_name
    p = COLUMN_POS["pg_proc"]
    args = list(row[p["proargtypes"]].items) if row[p["proargtypes"]] else []
    word = "procedure" if row[p["prokind"]] == "p" else "function"
    return f"{word} {row[p['proname']]}({','.join(type_name(t) for t in args)})"


def _drop_dependent_aggregates(s: Any, cat: Any, row: tuple, cascade: bool) -> None:
    """Aggregates whose support functions include this one go with it (CASCADE)."""
    p = COLUMN_POS["pg_proc"]
    a = COLUMN_POS["pg_aggregate"]
    oid = row[p["oid"]]
    deps = []
    for tid, arow in cat.find("pg_aggregate"):
        if oid in (arow[a["aggtransfn"]], arow[a["aggfinalfn"]], arow[a["aggmtransfn"]],
                   arow[a["aggminvtransfn"]], arow[a["aggmfinalfn"]],
                   arow[a["aggcombinefn"]]):
            found = cat.find("pg_proc", oid=arow[a["aggfnoid"]])
            if found:
                deps.append((tid, found[0]))
    if not deps:
        return
    me = describe_routine(row)
    from tuskdb.sql.commands.dependency import report_dependents
    report_dependents(s, me, [(describe_routine(r), me) for _, (_, r) in deps], cascade)
    for atid, (ptid, _) in deps:
        cat.delete("pg_aggregate", atid)
        cat.delete("pg_proc", ptid)


def _drop_dependent_types(s: Any, cat: Any, row: tuple, cascade: bool) -> bool:
    """Base types using this function for I/O go with it (CASCADE), and what
    depends on them; True if there were any."""
    from tuskdb.sql.commands import typecmds
    p = COLUMN_POS["pg_proc"]
    t_ = COLUMN_POS["pg_type"]
    oid = row[p["oid"]]
    users = [r[t_["oid"]] for r in cat.rows("pg_type")
             if r[t_["oid"]] >= 16384 and r[t_["typtype"]] == "b" and
             oid in (r[t_["typinput"]], r[t_["typoutput"]], r[t_["typreceive"]],
                     r[t_["typsend"]])]
    if not users:
        return False
    me = describe_routine(row)
    lines = []
    doomed = []
    for toid in users:
        t = cat.type_by_oid(toid)
        if t is None:
            continue
        doomed.append(t)
        lines.append((f"type {t.sql_name}", me))
        deps = [d for d in typecmds.type_dependents(cat, toid)
                if not (d[0] == "function" and d[1][p["oid"]] == oid)]
        lines += [(w, f"type {t.sql_name}") for w in typecmds._dep_words(cat, deps)]
    from tuskdb.sql.commands.dependency import report_dependents
    report_dependents(s, me, lines, cascade)
    for t in doomed:
        typecmds.drop_type_object(s, cat, t, True, "type", reported=True)
    return True


def _drop_dependent_casts(s: Any, cat: Any, row: tuple, cascade: bool) -> None:
    """Casts done by this function go with it (CASCADE)."""
    from tuskdb.sql.commands import castcmds
    casts = castcmds.casts_using_function(cat, row[COLUMN_POS["pg_proc"]["oid"]])
    if not casts:
        return
    me = describe_routine(row)
    from tuskdb.sql.commands.dependency import report_dependents
    report_dependents(s, me, [(castcmds.describe_cast(r), me) for _, r in casts], cascade)
    for found in casts:
        castcmds.remove_cast(cat, found)


_ALTER_ATTRS = {"volatility": "provolatile", "strict": "proisstrict",
                "leakproof": "proleakproof", "cost": "procost", "rows": "prorows",
                "security": "prosecdef", "parallel": "proparallel"}


def alter_function(s: Any, raw: Any) -> QueryResult:
    """ALTER FUNCTION/PROCEDURE/ROUTINE name(args) action ... (AlterFunction)."""
    from tuskdb.sql.commands.tablecmds import _state
    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    objtype = body.get("objtype", "OBJECT_FUNCTION")
    tid, row = lookup_routine(s, state, body["func"], objtype)
    _check_routine_owner(s, cat, row)
    is_proc = row[COLUMN_POS["pg_proc"]["prokind"]] == "p"
    changes: dict[str, Any] = {}
    for a in body.get("actions") or []:
        d = a["DefElem"]
        key = d["defname"]
        arg = d.get("arg") or {}
        if is_proc and key in _NOT_FOR_PROCEDURES:
            raise PgError(INVALID_FUNCTION_DEFINITION, "invalid attribute in procedure "
                          "definition", position=state.pos(d.get("location")))
        col = _ALTER_ATTRS.get(key)
        if col is None:
            if key == "set":
                continue
            raise PgError(FEATURE_NOT_SUPPORTED, f"ALTER FUNCTION {key} is not supported")
        if key in ("volatility", "parallel"):
            changes[col] = arg["String"]["sval"][0]
        elif key == "security":
            changes[col] = bool(arg.get("Boolean", {}).get("boolval"))
        elif key in ("cost", "rows"):
            v = arg.get("Integer", {}).get("ival", arg.get("Float", {}).get("fval", 0))
            changes[col] = float(v)
        else:
            changes[col] = bool(arg.get("Boolean", {}).get("boolval"))
    if changes:
        cat.update("pg_proc", tid, replace("pg_proc", row, **changes))
    return QueryResult(tag={"OBJECT_PROCEDURE": "ALTER PROCEDURE",
                            "OBJECT_ROUTINE": "ALTER ROUTINE"}.get(objtype, "ALTER FUNCTION"))


class SQLFunction:
    """A user-defined SQL function as the analyzer and executor see it."""

    def __init__(self, row: tuple) -> None:
        p = COLUMN_POS["pg_proc"]
        self.oid = row[p["oid"]]
        self.name = row[p["proname"]]
        self.namespace = row[p["pronamespace"]]
        self.argtypes = list(row[p["proargtypes"]].items) if row[p["proargtypes"]] else []
        names = row[p["proargnames"]]
        modes = row[p["proargmodes"]]
        allt = row[p["proallargtypes"]]
        self.out_names: list[str] = []
        self.out_types: list[int] = []
        if modes is not None and allt is not None:
            names_l = list(names.items) if names is not None else [""] * len(modes.items)
            self.argnames = [n for n, m in zip(names_l, modes.items) if m in "ibv"]
            for n, t, m in zip(names_l, allt.items, modes.items):
                if m in "obt":
                    self.out_names.append(n or f"column{len(self.out_names) + 1}")
                    self.out_types.append(t)
        else:
            self.argnames = list(names.items) if names is not None else \
                [""] * len(self.argtypes)
        defaults = row[p["proargdefaults"]]
        self.defaults = json.loads(defaults) if defaults else []
        self.ret_type = row[p["prorettype"]]
        self.prokind = row[p["prokind"]]
        # every parameter in order: (name, type, mode char); procedures are called with
        # their OUT parameters too
        if modes is not None and allt is not None:
            self.all_params = [(n or "", t, m) for n, t, m in zip(
                list(names.items) if names is not None else [""] * len(modes.items),
                allt.items, modes.items)]
        else:
            self.all_params = [(n or "", t, "i") for n, t in zip(self.argnames, self.argtypes)]
            if row[p["provariadic"]] and self.all_params:
                n, t, _ = self.all_params[-1]
                self.all_params[-1] = (n, t, "v")
        self.retset = row[p["proretset"]]
        self.strict = row[p["proisstrict"]]
        self.volatility = row[p["provolatile"]]
        self.src = row[p["prosrc"]]
        self.sqlbody = row[p["prosqlbody"]]
        self.acl = row[p["proacl"]]
        self.owner = row[p["proowner"]]
        self.secdef = bool(row[p["prosecdef"]])
        self._plans: Any = None
        self._gen = -2
        # the analyzer's view of it
        self.arg_types = tuple(self.argtypes)
        self.variadic = row[p["provariadic"]]

    def statements(self) -> list[Any]:
        from tuskdb.sql import parser
        if self.sqlbody:
            # an unquoted body: positions in it are positions in the CREATE statement,
            # known while it is being created (``_source``)
            source = getattr(self, "_source", "")
            node = json.loads(self.sqlbody)
            kind = next(iter(node))
            items = [node]
            if kind == "List":
                items = node["List"]["items"]
                if len(items) == 1 and "List" in items[0]:     # BEGIN ATOMIC ... END
                    items = items[0]["List"]["items"]
            out = []
            for n in items:
                if not n:
                    continue
                if "ReturnStmt" in n:       # RETURN expr is SELECT expr
                    n = {"SelectStmt": {"targetList": [{"ResTarget": {
                        "val": n["ReturnStmt"]["returnval"]}}], "op": "SETOP_NONE",
                        "limitOption": "LIMIT_OPTION_DEFAULT"}}
                out.append(parser.RawStmt(n, 0, 0, source))
            return out
        return parser.parse(self.src)

    def plans(self, s: Any, argtypes: tuple[int, ...] | None = None) -> list[Any]:
        """The plans of the body; a polymorphic function is planned once per set of
        actual argument types (``argtypes``)."""
        gen = s.db.catalogs.generation
        if argtypes is not None and tuple(argtypes) != tuple(self.argtypes):
            by_types = self.__dict__.setdefault("_typed_plans", {})
            key = (tuple(argtypes), gen)
            got = by_types.get(key)
            if got is None:
                saved = (self._plans, self._gen, self.argtypes)
                try:
                    self._plans, self.argtypes = None, list(argtypes)
                    got = self.plans(s)
                except PgError as err:
                    # the body is analyzed for these argument types only now: its
                    # errors point into the body, while inlining or starting it
                    if err.position is not None and self.src and not self.sqlbody:
                        err.internal_position, err.internal_query = err.position, self.src
                        err.position = None
                    if not err.context:
                        n = getattr(err, "sql_function_statement", None)
                        err.context = f'SQL function "{self.name}" ' + (
                            "during inlining" if self._inlinable() else
                            f"statement {n}" if n else "during startup")
                    raise
                finally:
                    self._plans, self._gen, self.argtypes = saved
                by_types[key] = got
            return got
        if self._plans is not None and self._gen == gen:
            return self._plans
        out = []
        for n, raw in enumerate(self.statements(), 1):
            try:
                out.append(self._plan_one(s, raw))
            except PgError as err:
                err.sql_function_statement = n      # which statement (for the context)
                raise
        if out:
            self._check_result(out[-1])
        elif self.prokind != "p" and self.ret_type != 2278:
            raise PgError(INVALID_FUNCTION_DEFINITION, f"return type mismatch in function "
                          f"declared to return {_sig([self.ret_type])}",
                          detail="Function's final statement must be SELECT or "
                                 "INSERT/UPDATE/DELETE/MERGE RETURNING.")
        self._plans = out
        self._gen = gen if all(p.generation >= 0 for p in out) else -2
        return out

    def _plan_one(self, s: Any, raw: Any, argtypes: Any = None) -> Any:
        """One statement of the body, parse-analyzed and planned; a utility statement is
        kept as it is and runs through ProcessUtility when reached."""
        ptypes = list(argtypes) if argtypes is not None else list(self.argtypes)
        if raw.kind == "CallStmt":
            from tuskdb.sql.commands.proccmds import CallPlan
            return CallPlan(s, raw, ptypes, self.argnames, self.name)
        if raw.kind not in _PLANNABLE or (raw.kind == "SelectStmt"
                                          and raw.body.get("intoClause")):
            return UtilityStatement(raw)
        return s._plan(raw, ptypes, param_names=self.argnames, func_name=self.name)

    def _check_result(self, last: Any) -> None:
        """check_sql_fn_retval: the final statement yields what the function returns."""
        if self.prokind == "p":
            return
        fields = last.fields or []
        from tuskdb.sql.analyze.rowtypes import composite_fields
        rfields = composite_fields(self.ret_type) if self.ret_type >= 16384 else None
        if len(self.out_types) > 1:
            if len(fields) != len(self.out_types):
                raise PgError(INVALID_FUNCTION_DEFINITION, "return type mismatch in "
                              "function declared to return record",
                              detail="Final statement returns too many columns."
                              if len(fields) > len(self.out_types) else
                              "Final statement returns too few columns.")
            self._row_result = tuple(self.out_types)
            self._check_columns(fields, [(t, -1) for t in self.out_types], "record")
        elif rfields is not None and len(fields) == len(rfields) and \
                not (len(fields) == 1 and fields[0].type_oid == self.ret_type):
            self._row_result = tuple(f[1] for f in rfields)
            self._check_columns(fields, [(f[1], f[2]) for f in rfields],
                                _sig([self.ret_type]))
        elif self.ret_type not in (2278,) and (len(fields) != 1):
            if not fields:
                raise PgError(INVALID_FUNCTION_DEFINITION, f"return type mismatch in "
                              f"function declared to return {_sig([self.ret_type])}",
                              detail="Function's final statement must be SELECT or "
                                     "INSERT/UPDATE/DELETE/MERGE RETURNING.")
            if _scalar_result(self.ret_type):
                raise PgError(INVALID_FUNCTION_DEFINITION, f"return type mismatch in "
                              f"function declared to return {_sig([self.ret_type])}",
                              detail="Final statement must return exactly one column.")
            raise PgError(FEATURE_NOT_SUPPORTED, "SQL functions returning rows of several "
                          "columns are not supported")
        elif len(fields) == 1 and _scalar_result(self.ret_type):
            # the column must reach the declared type by an assignment coercion
            from tuskdb.sql.analyze.coerce import can_coerce
            src = fields[0].type_oid
            src = 25 if src == 705 else src         # an unknown literal is text here
            if src != self.ret_type and not can_coerce(src, self.ret_type, "a"):
                raise PgError(INVALID_FUNCTION_DEFINITION, f"return type mismatch in "
                              f"function declared to return {_sig([self.ret_type])}",
                              detail=f"Actual return type is {_sig([src])}.")

    def _check_columns(self, fields: Any, targets: list[tuple[int, int]], what: str) -> None:
        """Each column of a row result must reach its column's type by an assignment
        coercion (check_sql_fn_retval)."""
        from tuskdb.sql.analyze.coerce import can_coerce
        from tuskdb.sql.analyze.polymorphic import POLYMORPHIC
        for i, (f, (t, _)) in enumerate(zip(fields, targets), 1):
            src = 25 if f.type_oid == 705 else f.type_oid
            if t in POLYMORPHIC or src == t or can_coerce(src, t, "a"):
                continue
            raise PgError(INVALID_FUNCTION_DEFINITION, f"return type mismatch in function "
                          f"declared to return {what}",
                          detail=f"Final statement returns {_sig([src])} instead of "
                                 f"{_sig([t])} at column {i}.")

    def _result_targets(self) -> list[tuple[int, int]] | None:
        """The (type, typmod) each column of the final statement becomes: the declared
        result type (typmod -1), a composite's column types, the OUT parameters' types;
        None when nothing is converted (void, record, polymorphic results)."""
        from tuskdb.sql.analyze.polymorphic import POLYMORPHIC
        if self.prokind == "p" or self.ret_type == 2278:
            return None
        row = getattr(self, "_row_result", None)
        if len(self.out_types) > 1:
            return [(t, -1) for t in self.out_types]
        if row is not None and self.ret_type >= 16384:
            from tuskdb.sql.analyze.rowtypes import composite_fields
            rfields = composite_fields(self.ret_type)
            if rfields is not None and len(rfields) == len(row):
                return [(f[1], f[2]) for f in rfields]
        if self.ret_type == 2249 or self.ret_type in POLYMORPHIC or \
                self.ret_type in _POLY_TYPES:
            return None
        return [(self.ret_type, -1)]

    def _coerce_result(self, s: Any, result: Any) -> Any:
        """The final statement's rows converted to the function's result type with
        assignment semantics (check_sql_fn_retval's coercions of the target list):
        rounding, domain checks and range errors as PostgreSQL's."""
        if result is None or not result.fields:
            return result
        targets = self._result_targets()
        if targets is None or len(targets) != len(result.fields):
            return result
        key = (tuple(f.type_oid for f in result.fields), tuple(targets))
        cache = self.__dict__.setdefault("_result_casts", {})
        casts = cache.get(key)
        if casts is None:
            casts = cache[key] = self._result_casters(s, result.fields, targets)
        if not any(casts):
            return result
        import dataclasses
        from tuskdb.engine.context import ExecContext
        ctx = ExecContext(s, s.txn, None, [None])
        rows = []
        for r in result.rows:
            r = list(r)
            for i, f in enumerate(casts):
                if f is not None and i < len(r) and r[i] is not None:
                    ctx.params[0] = r[i]
                    r[i] = f((), ctx)
            rows.append(tuple(r))
        return dataclasses.replace(result, rows=rows)

    def _result_casters(self, s: Any, fields: Any, targets: list) -> list[Any]:
        from tuskdb.sql.analyze.coerce import coerce_to
        from tuskdb.sql.analyze.polymorphic import POLYMORPHIC
        from tuskdb.sql.expr import Param, compile_expr
        out: list[Any] = []
        for f, (t, mod) in zip(fields, targets):
            src = 25 if f.type_oid == 705 else f.type_oid
            if t in POLYMORPHIC or t in _POLY_TYPES or (src == t and mod < 0):
                out.append(None)
                continue
            expr = coerce_to(Param(1, src), t, mod, "a", ctx=s.type_context)
            out.append(compile_expr(expr, {}))
        return out

    def _has_utility(self) -> bool:
        """The body holds utility statements: it is planned statement by statement as it
        runs, so each sees what the ones before it did (PostgreSQL 18)."""
        got = self.__dict__.get("_utility")
        if got is None:
            got = self._utility = any(
                raw.kind not in _PLANNABLE and raw.kind != "CallStmt"
                or (raw.kind == "SelectStmt" and raw.body.get("intoClause"))
                for raw in self.statements())
        return got

    def _inlinable(self, plans: Any = None) -> bool:
        """Could PostgreSQL inline the function (inline_function: one SELECT of one
        expression, nothing else)?  Errors of a function it runs instead carry the
        'SQL function "f" statement N' context line."""
        got = self.__dict__.get("_inline")
        if got is None:
            raws = self.statements()
            got = False
            if (len(raws) == 1 and raws[0].kind == "SelectStmt" and self.prokind == "f"
                    and not self.secdef and not (self.retset and self.volatility == "v")):
                b = raws[0].body
                got = (b.get("op", "SETOP_NONE") == "SETOP_NONE"
                       and len(b.get("targetList") or []) == 1
                       and not any(b.get(k) for k in (
                           "fromClause", "whereClause", "groupClause", "havingClause",
                           "sortClause", "limitCount", "limitOffset", "withClause",
                           "distinctClause", "valuesLists", "lockingClause", "intoClause")))
            self._inline = got
        if got and self.ret_type == 2278 and plans is not None:
            # a void function's SELECT is no void expression: its result is thrown away
            fields = plans[0].fields or []
            return len(fields) == 1 and fields[0].type_oid == 2278
        return got

    def _check_statement(self, item: Any) -> None:
        """init_execution_state's checks of a statement about to run."""
        if isinstance(item, UtilityStatement):
            raw = item.raw
            if raw.kind == "TransactionStmt":
                raise PgError(FEATURE_NOT_SUPPORTED, f"{command_name(raw)} is not allowed "
                              "in an SQL function")
            if raw.kind == "CopyStmt" and not raw.body.get("filename"):
                raise PgError(FEATURE_NOT_SUPPORTED, "cannot COPY to/from client in an SQL "
                              "function")
            if self.volatility != "v":
                raise PgError(FEATURE_NOT_SUPPORTED, f"{command_name(raw)} is not allowed in "
                              "a non-volatile function")
        elif self.volatility != "v" and getattr(item, "kind", None) == "modify":
            raise PgError(FEATURE_NOT_SUPPORTED, f"{item.tag} is not allowed in a "
                          "non-volatile function")

    def _run_statement(self, s: Any, item: Any, args: Any, argtypes: Any = None) -> Any:
        self._check_statement(item)
        if getattr(item, "is_call", False):
            return item.run(s, list(args))
        if isinstance(item, UtilityStatement):
            from tuskdb.engine import utility
            saved = getattr(s, "utility_params", None)
            s.utility_params = UtilityParams(
                list(argtypes) if argtypes is not None else list(self.argtypes),
                self.argnames, self.name, list(args))
            try:
                return utility.run_utility(s, item.raw, False, params=list(args))
            finally:
                s.utility_params = saved
        return s._run_plan(item, list(args), None, inner=True)

    def run_body(self, s: Any, args: Any, argtypes: tuple[int, ...] | None = None) -> Any:
        """Run the body's statements with ``args`` as $1..$n; the last one's result."""
        depth = getattr(s, "func_depth", 0)
        if depth > 100:
            raise PgError("54001", "stack depth limit exceeded",
                          hint='Increase the configuration parameter "max_stack_depth".')
        self.check_execute(s)
        lazy = self._has_utility()
        plans = None if lazy else self.plans(s, argtypes)
        with_context = lazy or not self._inlinable(plans)
        s.func_depth = depth + 1
        if self.secdef:
            # SECURITY DEFINER: the body runs with its owner's privileges
            from tuskdb.catalog.aclchk import role_name
            s.security_definer.append(role_name(s.catalog(), self.owner))
        n = 0
        try:
            result = None
            if lazy:
                raws = self.statements()
                for n, raw in enumerate(raws, 1):
                    item = self._plan_one(s, raw, argtypes)
                    if n == len(raws):
                        self._check_result(item)
                    result = self._run_statement(s, item, args, argtypes)
            else:
                for n, cp in enumerate(plans, 1):
                    result = self._run_statement(s, cp, args, argtypes)
            return self._coerce_result(s, result)
        except PgError as err:
            if with_context and n:
                line = f'SQL function "{self.name}" statement {n}'
                err.context = f"{err.context}\n{line}" if err.context else line
            raise
        finally:
            s.func_depth = depth
            if self.secdef:
                s.security_definer.pop()

    def check_execute(self, s: Any) -> None:
        """EXECUTE privilege of the current user (a NULL ACL lets everyone)."""
        if self.acl is None:
            return
        from tuskdb.catalog import aclchk
        cat = s.catalog()
        uid, is_super = s._role_facts(cat)
        if is_super:
            return
        items = aclchk.parse_acl(self.acl, "function", aclchk.role_name(cat, self.owner))
        if aclchk.aclmask(cat, items, uid, self.owner, "X") != "X":
            raise aclchk.permission_denied("procedure" if self.prokind == "p" else "function",
                                           self.name)

    def call(self, ctx: Any, args: tuple, argtypes: tuple[int, ...] | None = None) -> Any:
        s = ctx.session
        if self.strict and None in args:
            return [] if self.retset else None
        depth = getattr(s, "func_depth", 0)
        if depth > 100:
            raise PgError("54001", "stack depth limit exceeded",
                          hint='Increase the configuration parameter "max_stack_depth".')
        result = self.run_body(s, args, argtypes)
        rows = result.rows if result is not None else []
        if self.ret_type == 2278:
            return [] if self.retset else None
        row_types = getattr(self, "_row_result", None)
        if row_types is not None:
            # several columns make the composite result (types as the function declares;
            # polymorphic OUT parameters have the types the body produced)
            from tuskdb.sql.analyze.polymorphic import POLYMORPHIC
            from tuskdb.types.records import Record
            if any(t in POLYMORPHIC for t in row_types) and result is not None and \
                    result.fields:
                row_types = tuple(f.type_oid if t in POLYMORPHIC else t
                                  for t, f in zip(row_types, result.fields))
            rows = [(Record(r[:len(row_types)], row_types),) for r in rows]
        if self.retset:
            return [r[0] for r in rows]
        return rows[0][0] if rows else None


def routine_for_row(row: tuple) -> SQLFunction:
    """The callable routine of a user pg_proc row, by its language."""
    if row[COLUMN_POS["pg_proc"]["prolang"]] == PLPGSQL_LANG:
        from tuskdb.sql.pl import PLpgSQLFunction
        return PLpgSQLFunction(row)
    return SQLFunction(row)


_PLANNABLE = ("SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt")


class UtilityStatement:
    """A utility statement of a SQL function body (CREATE TABLE, ALTER ..., SET, ...)."""

    fields = None
    generation = 0
    is_call = False

    def __init__(self, raw: Any) -> None:
        self.raw = raw


class UtilityParams:
    """The arguments of the SQL function running a utility statement: queries inside it
    (DECLARE's) see them as $n and by name (ParamListInfo)."""

    def __init__(self, types: list[int], names: list[str], func_name: str,
                 values: list[Any]) -> None:
        self.types, self.names, self.func_name, self.values = types, names, func_name, values


_TRANSACTION_NAMES = {
    "TRANS_STMT_BEGIN": "BEGIN", "TRANS_STMT_START": "START TRANSACTION",
    "TRANS_STMT_COMMIT": "COMMIT", "TRANS_STMT_ROLLBACK": "ROLLBACK",
    "TRANS_STMT_SAVEPOINT": "SAVEPOINT", "TRANS_STMT_RELEASE": "RELEASE",
    "TRANS_STMT_ROLLBACK_TO": "ROLLBACK", "TRANS_STMT_PREPARE": "PREPARE TRANSACTION",
    "TRANS_STMT_COMMIT_PREPARED": "COMMIT PREPARED",
    "TRANS_STMT_ROLLBACK_PREPARED": "ROLLBACK PREPARED"}


def command_name(raw: Any) -> str:
    """The command's name as PostgreSQL's messages give it (CreateCommandName)."""
    if raw.kind == "TransactionStmt":
        return _TRANSACTION_NAMES.get(raw.body.get("kind"), "???")
    if raw.kind == "SelectStmt" and raw.body.get("intoClause"):
        return "SELECT INTO"
    tag = _UTILITY_TAGS.get(raw.kind)
    if tag is not None:
        return tag
    from tuskdb.engine.utility import _statement_name
    return _statement_name(raw.kind)


def function_by_oid(s: Any, oid: int) -> Any:
    """The callable form of user-defined function ``oid`` (cached like lookups)."""
    key = (oid, s.db.catalogs.generation)
    fn = s.db.function_cache.get(key)
    if fn is None:
        found = s.catalog().find("pg_proc", oid=oid)
        if not found:
            raise PgError(UNDEFINED_FUNCTION, f"cache lookup failed for function {oid}")
        row = found[0][1]
        if row[COLUMN_POS["pg_proc"]["prolang"]] == INTERNAL_LANG:
            from tuskdb.sql.commands.rangecmds import internal_function
            fn = internal_function(row)
            if fn is None:
                raise PgError(FEATURE_NOT_SUPPORTED, "internal function "
                              f'"{row[COLUMN_POS["pg_proc"]["prosrc"]]}" is not supported')
        else:
            fn = routine_for_row(row)
        s.db.function_cache[key] = fn
    return fn


def lookup_functions(s: Any, name: str, nsp: int | None = None) -> list[SQLFunction]:
    """User-defined functions named ``name`` visible on the search path."""
    cat = s.catalog()
    p = COLUMN_POS["pg_proc"]
    cache = s.db.function_cache
    out = []
    # functions in the temporary schema are found only by a qualified name
    path = [o for o in s.search_path_oids(cat) if o != s.temp_nsp] if nsp is None else [nsp]
    for tid, row in cat.find("pg_proc", proname=name):
        if row[p["pronamespace"]] not in path:
            continue
        key = (row[p["oid"]], s.db.catalogs.generation)
        fn = cache.get(key)
        if fn is None:
            if row[p["prolang"]] == 12:       # internal: range/multirange constructors
                from tuskdb.sql.commands.rangecmds import internal_function
                fn = internal_function(row)
                if fn is None:
                    continue
            else:
                fn = routine_for_row(row)
            cache[key] = fn
        out.append(fn)
    return out
