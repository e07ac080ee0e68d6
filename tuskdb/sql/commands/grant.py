"""GRANT / REVOKE (PostgreSQL's aclchk.c): privileges recorded in the catalogs'
ACL columns (relacl, nspacl, datacl) as aclitem[] and role membership in
pg_auth_members.

TuskDB records privileges but does not enforce them yet: every role acts with
the rights of its own (superuser) connections.  See README "Not yet".
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (FEATURE_NOT_SUPPORTED, INVALID_GRANT_OPERATION, UNDEFINED_OBJECT,
                           PgError)
from tuskdb.types import Array

# privilege name -> letter, in PostgreSQL's display order
PRIVS = [("insert", "a"), ("select", "r"), ("update", "w"), ("delete", "d"),
         ("truncate", "D"), ("references", "x"), ("trigger", "t"), ("execute", "X"),
         ("usage", "U"), ("create", "C"), ("temporary", "T"), ("temp", "T"), ("connect", "c"),
         ("set", "s"), ("alter system", "A"), ("maintain", "m")]
ORDER = "arwdDxtXUCTcsAm"
ALL = {"table": "arwdDxtm", "sequence": "rwU", "schema": "UC", "database": "CTc",
       "function": "X", "language": "U", "type": "U"}


def _letters(privs: list[dict] | None, objkind: str) -> str:
    if not privs:
        return ALL[objkind]
    out = ""
    names = dict(PRIVS)
    for p in privs:
        ap = p["AccessPriv"]
        if ap.get("cols"):
            raise PgError(FEATURE_NOT_SUPPORTED, "column privileges are not supported")
        name = ap.get("priv_name", "").lower()
        letter = names.get(name)
        if letter is None or letter not in ALL[objkind]:
            raise PgError(INVALID_GRANT_OPERATION, f"invalid privilege type {name.upper()} for "
                          f"{'relation' if objkind == 'table' else objkind}")
        out += letter
    return out


def _parse_acl(acl: Any, owner: str, objkind: str) -> list[list[str]]:
    """[[grantee, letters, grantor], ...]; NULL means the default (owner has all)."""
    if acl is None:
        items = [[owner, ALL[objkind], owner]]
        if objkind == "database":
            items.insert(0, ["", "Tc", owner])
        return items
    out = []
    for item in acl.items:
        grantee, rest = item.split("=", 1)
        letters, grantor = rest.split("/", 1)
        out.append([grantee, letters, grantor])
    return out


def _format(items: list[list[str]]) -> Array:
    return Array([f"{g}={''.join(c for c in ORDER if c in p)}/{gr}" for g, p, gr in items if p])


def _role_name(spec: dict, s: Any) -> str:
    t = spec.get("roletype")
    if t == "ROLESPEC_PUBLIC":
        return ""
    if t == "ROLESPEC_CSTRING":
        return spec["rolename"]
    return s.user


def _check_role(cat: Any, name: str) -> None:
    if name and not cat.find("pg_authid", rolname=name):
        raise PgError(UNDEFINED_OBJECT, f'role "{name}" does not exist')


def grant(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    is_grant = bool(body.get("is_grant"))
    objtype = body.get("objtype")
    if body.get("targtype") != "ACL_TARGET_OBJECT":
        raise PgError(FEATURE_NOT_SUPPORTED, "GRANT/REVOKE ON ALL ... IN SCHEMA is not supported")
    grantees = [_role_name(g["RoleSpec"], s) for g in body.get("grantees") or []]
    for g in grantees:
        _check_role(cat, g)
    if objtype in ("OBJECT_FDW", "OBJECT_FOREIGN_SERVER"):
        from tuskdb.sql.commands import foreigncmds
        return foreigncmds.grant(s, raw)
    targets = []       # (catalog, tid, row, acl column, owner column, kind)
    if objtype in ("OBJECT_TABLE", "OBJECT_SEQUENCE"):
        from tuskdb.sql.analyze.select import lookup_relation
        from tuskdb.sql.analyze.state import AnalyzeState
        state = AnalyzeState(cat, s, [], None, raw.source)
        for obj in body["objects"]:
            rel = lookup_relation(obj["RangeVar"], state, False)
            kind = "sequence" if rel.relkind == "S" else "table"
            for tid, row in cat.find("pg_class", oid=rel.oid):
                targets.append(("pg_class", tid, row, "relacl", "relowner", kind))
    elif objtype == "OBJECT_SCHEMA":
        for obj in body["objects"]:
            name = obj["String"]["sval"]
            found = cat.find("pg_namespace", nspname=name)
            if not found:
                raise PgError("3F000", f'schema "{name}" does not exist')
            tid, row = found[0]
            targets.append(("pg_namespace", tid, row, "nspacl", "nspowner", "schema"))
    elif objtype == "OBJECT_DATABASE":
        for obj in body["objects"]:
            name = obj["String"]["sval"]
            found = cat.find("pg_database", datname=name)
            if not found:
                raise PgError("3D000", f'database "{name}" does not exist')
            tid, row = found[0]
            targets.append(("pg_database", tid, row, "datacl", "datdba", "database"))
    else:
        raise PgError(FEATURE_NOT_SUPPORTED, f"GRANT/REVOKE on {str(objtype)[7:].lower()} is not "
                      "supported")
    for catalog, tid, row, aclcol, ownercol, kind in targets:
        p = COLUMN_POS[catalog]
        owner = s.introspect.user_name(row[p[ownercol]])
        letters = _letters(body.get("privileges"), kind)
        items = _parse_acl(row[p[aclcol]], owner, kind)
        for g in grantees:
            item = next((it for it in items if it[0] == g), None)
            if is_grant:
                if item is None:
                    items.append([g, letters, owner])
                else:
                    item[1] = "".join(c for c in ORDER if c in item[1] or c in letters)
            elif item is not None:
                item[1] = "".join(c for c in item[1] if c not in letters)
        cat.update(catalog, tid, replace(catalog, row, **{aclcol: _format(items)}))
    return QueryResult(tag="GRANT" if is_grant else "REVOKE")


def grant_role(s: Any, raw: Any) -> QueryResult:
    """GRANT role TO role / REVOKE role FROM role (pg_auth_members)."""
    body = raw.body
    cat = s.catalog()
    is_grant = bool(body.get("is_grant"))
    a = COLUMN_POS["pg_authid"]

    def oid_of(name: str) -> int:
        found = cat.find("pg_authid", rolname=name)
        if not found:
            raise PgError(UNDEFINED_OBJECT, f'role "{name}" does not exist')
        return found[0][1][a["oid"]]
    granter = oid_of(s.user)
    for r in body.get("granted_roles") or []:
        role = oid_of(r["AccessPriv"]["priv_name"])
        for g in body.get("grantee_roles") or []:
            member = oid_of(_role_name(g["RoleSpec"], s))
            existing = cat.find("pg_auth_members", roleid=role, member=member)
            if is_grant:
                if not existing:
                    cat.insert("pg_auth_members", make_row(
                        "pg_auth_members", oid=cat.m.next_oid(), roleid=role, member=member,
                        grantor=granter, admin_option=False, inherit_option=True,
                        set_option=True))
            else:
                for tid, _ in existing:
                    cat.delete("pg_auth_members", tid)
    return QueryResult(tag="GRANT ROLE" if is_grant else "REVOKE ROLE")
