"""PREPARE/EXECUTE/DEALLOCATE, DISCARD, CHECKPOINT, ALTER/CREATE ROLE."""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (
    DATATYPE_MISMATCH,
    DUPLICATE_PREPARED_STATEMENT,
    FEATURE_NOT_SUPPORTED,
    INVALID_SQL_STATEMENT_NAME,
    PgError,
)


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
        from tuskdb.engine.utility import prevent_in_transaction_block
        prevent_in_transaction_block(s, "DISCARD ALL")
        s.prepared.clear()
        s.portals.clear()
        s.seq_currval.clear()
        # SET SESSION AUTHORIZATION DEFAULT; RESET ALL
        s.set_session_authorization(None)
        from tuskdb.engine.utility import set_stmt
        set_stmt(s, {"kind": "VAR_RESET_ALL"})
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


__all__ = ["COLUMN_POS"]
