"""CoerceToDomain: a value becoming a domain's value passes the domain's NOT NULL
and CHECK constraints (PostgreSQL's CoerceToDomain / domain_check).

The checks are the domain's pg_constraint rows (raw expression trees, ``VALUE``
naming the value).  They are analyzed and compiled on first use with the
executing session's catalogs and cached on the node per catalog generation, so
plans stay shareable and pick up ALTER DOMAIN.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tuskdb import types
from tuskdb.errors import CHECK_VIOLATION, NOT_NULL_VIOLATION, PgError
from tuskdb.sql.expr import Compiled, Expr, compile_expr, register_compiler


@dataclass(eq=False)
class CoerceToDomain(Expr):
    arg: Expr
    type_oid: int
    typmod: int = -1

    def children(self) -> list[Expr]:
        return [self.arg]


def domain_checks(session: Any, domain_oid: int) -> list[tuple[str, Any]]:
    """[(constraint name, compiled check f(row=(value,), ctx))] of one domain (its own
    constraints only), analyzed against ``session``'s catalogs."""
    from tuskdb.sql.analyze.coerce import require_bool
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import AnalyzeState, RangeEntry, Scope

    t = types.TYPES.get(domain_oid)
    if t is None or not getattr(t, "checks", ()):
        return []
    cat = session.catalog()
    state = AnalyzeState(cat, session, [], None, "")
    state.lift = None
    scope = Scope()
    rt = ("domain", domain_oid)
    scope.add(RangeEntry(rt, None, ["value"], [(t.base_oid, t.base_typmod)], kind="values"))
    ec = ExprContext(state, scope, "check constraints", None)
    out = []
    for name, conbin, _validated in t.checks:
        e = require_bool(transform(json.loads(conbin), ec), "CHECK")
        out.append((name, compile_expr(e, {(rt, 0): 0})))
    return out


def check_domain_value(session: Any, ctx: Any, domain_oid: int, value: Any,
                       checks: list[tuple[str, Any]] | None = None) -> Any:
    """Apply the constraints of a domain and of the domains it is over (innermost
    first) to ``value``; errors name ``domain_oid`` (PostgreSQL's domain_check)."""
    from tuskdb.types.usertypes import domain_chain
    top = types.TYPES[domain_oid]
    chain = domain_chain(domain_oid)
    if value is None and any(types.TYPES[d].notnull for d in chain):
        raise PgError(NOT_NULL_VIOLATION, f"domain {top.sql_name} does not allow null values")
    if checks is None:
        checks = []
        for d in chain:
            checks += domain_checks(session, d)
    row = (value,)
    for name, f in checks:
        if f(row, ctx) is False:
            raise PgError(CHECK_VIOLATION, f"value for domain {top.sql_name} violates check "
                          f'constraint "{name}"')
    return value


def _c_coerce_to_domain(e: CoerceToDomain, layout: dict) -> Compiled:
    arg = compile_expr(e.arg, layout)
    oid = e.type_oid
    cache: dict[str, Any] = {}

    def run(row: tuple, ctx: Any) -> Any:
        v = arg(row, ctx)
        from tuskdb.types.usertypes import domain_chain
        chain = domain_chain(oid)
        key = tuple(id(types.TYPES[d]) for d in chain)
        checks = cache.get("checks") if cache.get("key") == key else None
        if checks is None:
            checks = []
            for d in chain:
                checks += domain_checks(ctx.session, d)
            cache["key"] = key
            cache["checks"] = checks
        return check_domain_value(ctx.session, ctx, oid, v, checks)
    return run


register_compiler(CoerceToDomain, _c_coerce_to_domain)
