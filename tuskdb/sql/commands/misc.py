"""PREPARE/EXECUTE/DEALLOCATE, DISCARD, CHECKPOINT, ALTER/CREATE ROLE."""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (DATATYPE_MISMATCH, DEPENDENT_OBJECTS_STILL_EXIST, DUPLICATE_OBJECT,
                           DUPLICATE_PREPARED_STATEMENT, FEATURE_NOT_SUPPORTED,
                           INVALID_SQL_STATEMENT_NAME, UNDEFINED_OBJECT, PgError)


def prepare(s: Any, raw: Any) -> QueryResult:
    from tuskdb.engine.session import PreparedStatement
    from tuskdb.sql.analyze.expr import resolve_type_name
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.parser import RawStmt

    body = raw.body
    name = body["name"]
    if name in s.prepared:
        raise PgError(DUPLICATE_PREPARED_STATEMENT, f'prepared statement "{name}" already '
                      f"exists")
    state = AnalyzeState(s.catalog(), s, [], None, raw.source)
    ptypes = [resolve_type_name(t["TypeName"], state)[0] for t in body.get("argtypes") or []]
    inner = RawStmt(body["query"], raw.location, raw.length, raw.source)
    # pg_prepared_statements shows the whole query string the client sent
    ps = PreparedStatement(name, raw.source or raw.text(), inner, ptypes, from_sql=True)
    if inner.kind in ("SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt",
                              "MergeStmt"):
        ps.plan = s._plan(inner, ptypes)
        ps.param_types = ps.plan.param_types
    else:
        raise PgError(FEATURE_NOT_SUPPORTED, f"PREPARE of {inner.kind} is not supported")
    s.prepared[name] = ps
    return QueryResult(tag="PREPARE")


def execute(s: Any, raw: Any) -> QueryResult:
    cp, values = execute_params(s, raw, raw.body)
    return s._run_plan(cp, values)


def execute_params(s: Any, raw: Any, body: dict) -> tuple[Any, list]:
    """The fresh plan of EXECUTE's prepared statement and its evaluated parameters
    (PostgreSQL's EvaluateParams: assignment coercion to the declared types)."""
    from tuskdb.engine.context import ExecContext
    from tuskdb.sql.analyze.coerce import CANNOT_COERCE, coerce_to, type_name
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import AnalyzeState, Scope
    from tuskdb.sql.expr import compile_expr

    name = body["name"]
    ps = s.prepared.get(name)
    if ps is None:
        raise PgError(INVALID_SQL_STATEMENT_NAME, f'prepared statement "{name}" does not exist')
    cp = s._fresh_plan(ps)
    args = body.get("params") or []
    if len(args) != len(cp.param_types):
        raise PgError("42601", f'wrong number of parameters for prepared statement "{name}"',
                      detail=f"Expected {len(cp.param_types)} parameters but got {len(args)}.")
    state = AnalyzeState(s.catalog(), s, [], None, raw.source)
    ec = ExprContext(state, Scope(), "EXECUTE parameter", None)
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    values = []
    for i, (a, t) in enumerate(zip(args, cp.param_types)):
        e = transform(a, ec)
        try:
            e = coerce_to(e, t, -1, "a", ctx=s.type_context)
        except PgError as err:
            if err.sqlstate != CANNOT_COERCE:
                raise
            raise PgError(DATATYPE_MISMATCH, f"parameter ${i + 1} of type "
                          f"{type_name(e.type_oid)} cannot be coerced to the expected type "
                          f"{type_name(t)}", position=state.pos(_node_location(a)),
                          hint="You will need to rewrite or cast the expression.") from None
        values.append(compile_expr(e, {})((), ctx))
    return cp, values


def _node_location(node: Any) -> int | None:
    """The leftmost parse location in a raw expression node (exprLocation)."""
    if isinstance(node, dict):
        best = None
        for k, v in node.items():
            if k == "location" and isinstance(v, int) and v >= 0:
                loc = v
            else:
                loc = _node_location(v)
            if loc is not None and (best is None or loc < best):
                best = loc
        return best
    if isinstance(node, list):
        locs = [x for x in (_node_location(v) for v in node) if x is not None]
        return min(locs) if locs else None
    return None


def deallocate(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    name = body.get("name")
    if name is None:
        s.prepared = {k: v for k, v in s.prepared.items() if not v.from_sql}
    elif name not in s.prepared:
        raise PgError(INVALID_SQL_STATEMENT_NAME, f'prepared statement "{name}" does not exist')
    else:
        del s.prepared[name]
    return QueryResult(tag="DEALLOCATE ALL" if name is None else "DEALLOCATE")


def discard(s: Any, raw: Any) -> QueryResult:
    target = raw.body["target"]
    if target == "DISCARD_ALL":
        if s.block != "implicit" and s.block != "idle":
            raise PgError("25001", "DISCARD ALL cannot run inside a transaction block")
        s.prepared.clear()
        s.portals.clear()
        s.seq_currval.clear()
        return QueryResult(tag="DISCARD ALL")
    if target == "DISCARD_PLANS":
        for ps in s.prepared.values():
            ps.plan = None
        return QueryResult(tag="DISCARD PLANS")
    if target == "DISCARD_SEQUENCES":
        s.seq_currval.clear()
        return QueryResult(tag="DISCARD SEQUENCES")
    raise PgError(FEATURE_NOT_SUPPORTED, "DISCARD TEMP is not supported")


def checkpoint(s: Any, raw: Any) -> QueryResult:
    s.db.storage.checkpoint()
    return QueryResult(tag="CHECKPOINT")


checkpoint.no_transaction_block = None


def _role_options(s: Any, options: list) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for o in options or []:
        d = o["DefElem"]
        name = d["defname"]
        arg = d.get("arg")
        if name == "password":
            if arg is None:
                out["password"] = None
            else:
                pw = arg["String"]["sval"]
                if pw.startswith("SCRAM-SHA-256$"):
                    out["password"] = pw
                else:
                    from tuskdb.server.scram import make_scram_verifier
                    out["password"] = make_scram_verifier(pw)
        elif name in ("superuser", "createdb", "createrole", "inherit", "canlogin",
                      "isreplication", "bypassrls"):
            out[name] = bool(arg["Boolean"].get("boolval", False)) if "Boolean" in (arg or {}) \
                else bool((arg or {}).get("Integer", {}).get("ival", 1))
        elif name == "connectionlimit":
            out[name] = arg["Integer"]["ival"]
        else:
            raise PgError(FEATURE_NOT_SUPPORTED, f"role option {name} is not supported")
    return out


_ROLE_COLS = {"superuser": "rolsuper", "createdb": "rolcreatedb", "createrole": "rolcreaterole",
              "inherit": "rolinherit", "canlogin": "rolcanlogin",
              "isreplication": "rolreplication", "bypassrls": "rolbypassrls",
              "connectionlimit": "rolconnlimit", "password": "rolpassword"}


def create_role(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    name = body["role"]
    cat = s.catalog()
    if cat.find("pg_authid", rolname=name):
        raise PgError(DUPLICATE_OBJECT, f'role "{name}" already exists')
    opts = _role_options(s, body.get("options"))
    is_user = body.get("stmt_type") == "ROLESTMT_USER"
    vals = {"rolinherit": True, "rolcanlogin": is_user, "rolconnlimit": -1}
    for k, v in opts.items():
        vals[_ROLE_COLS[k]] = v
    cat.insert("pg_authid", make_row("pg_authid", oid=cat.m.next_oid(), rolname=name, **vals))
    tag = {"ROLESTMT_USER": "CREATE ROLE", "ROLESTMT_GROUP": "CREATE ROLE"}.get(
        body.get("stmt_type"), "CREATE ROLE")
    return QueryResult(tag=tag)


def alter_role(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    spec = body["role"]
    spec = spec.get("RoleSpec", spec)
    name = spec.get("rolename") if spec.get("roletype") == "ROLESPEC_CSTRING" else s.user
    cat = s.catalog()
    found = cat.find("pg_authid", rolname=name)
    if not found:
        raise PgError(UNDEFINED_OBJECT, f'role "{name}" does not exist')
    opts = _role_options(s, body.get("options"))
    tid, row = found[0]
    changes = {_ROLE_COLS[k]: v for k, v in opts.items()}
    cat.update("pg_authid", tid, replace("pg_authid", row, **changes))
    return QueryResult(tag="ALTER ROLE")


def drop_role(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    for r in body["roles"]:
        name = r["RoleSpec"]["rolename"]
        found = cat.find("pg_authid", rolname=name)
        if found:
            from tuskdb.sql.commands.foreigncmds import role_dependents
            deps = role_dependents(cat, found[0][1][COLUMN_POS["pg_authid"]["oid"]])
            if deps:
                raise PgError(DEPENDENT_OBJECTS_STILL_EXIST, f'role "{name}" cannot be dropped '
                              f"because some objects depend on it", detail="\n".join(deps))
        if not cat.delete_where("pg_authid", rolname=name):
            if body.get("missing_ok"):
                continue
            raise PgError(UNDEFINED_OBJECT, f'role "{name}" does not exist')
    return QueryResult(tag="DROP ROLE")


__all__ = ["COLUMN_POS"]
