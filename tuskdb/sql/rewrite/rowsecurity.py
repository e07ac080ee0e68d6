"""Row-level security (PostgreSQL's rewrite/rowsecurity.c and utils/misc/rls.c).

A table with ROW LEVEL SECURITY enabled is filtered by its policies for every
user it applies to: not superusers or BYPASSRLS roles, and not the table's
owner unless FORCE ROW LEVEL SECURITY (check_enable_rls).  TuskDB has no
policies yet (CREATE POLICY is 0A000), so where row security applies it is
PostgreSQL's default-deny: the table reads as empty, UPDATE and DELETE find no
rows, and a new row fails with 42501 "new row violates row-level security
policy".  With row_security = off a query that row security would affect is an
error instead.  Plans depend on the decision, so they are cached per user and
row_security setting (engine Session._plan_env).
"""

from __future__ import annotations

from typing import Any

from tuskdb.errors import INSUFFICIENT_PRIVILEGE, PgError


def rls_applies(state: Any, rel: Any, check_as: int = 0) -> bool:
    """check_enable_rls: does row security filter ``rel`` for this query's user
    (or ``check_as``, a view owner's)?  Raises when row_security is off and it would."""
    mode = rel.extra.get("rowsecurity") if getattr(rel, "extra", None) else None
    if mode is None:
        return False
    session = state.session
    if session is None or getattr(session, "db", None) is None:
        return False
    from tuskdb.catalog import aclchk
    cat = state.catalog
    uid = check_as or session._role_facts(cat)[0]
    info = aclchk.role_cache(cat).by_oid.get(uid)
    if info is not None and (info.superuser or info.bypassrls):
        return False
    owner = aclchk.has_privs_of_role(cat, uid, rel.owner)
    if owner and mode != "force":
        return False
    if not session.settings.get("row_security", True):
        hint = ("To disable the policy for the table's owner, use ALTER TABLE NO FORCE ROW "
                "LEVEL SECURITY.") if owner else None
        raise PgError(INSUFFICIENT_PRIVILEGE, f'query would be affected by row-level '
                      f'security policy for table "{rel.name}"', hint=hint)
    return True


def new_row_violation(rel: Any) -> PgError:
    return PgError(INSUFFICIENT_PRIVILEGE, f'new row violates row-level security policy for '
                   f'table "{rel.name}"')
