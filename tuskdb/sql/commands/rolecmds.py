"""Roles (PostgreSQL's user.c): CREATE / ALTER / DROP ROLE and GRANT / REVOKE role.

Membership rows are pg_auth_members (roleid, member, grantor, admin_option,
inherit_option, set_option), one per grantor, as in PostgreSQL 16+.  Who may do
what follows PostgreSQL: superusers anything; a CREATEROLE role manages roles it
holds ADMIN OPTION on (the roles it created, which it is granted WITH ADMIN by the
bootstrap superuser), and may hand out only attributes it has itself.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog import aclchk
from tuskdb.catalog.aclchk import BOOTSTRAP_SUPERUSER, ROLE_PG_DATABASE_OWNER
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (
    DUPLICATE_OBJECT,
    FEATURE_NOT_SUPPORTED,
    INVALID_GRANT_OPERATION,
    UNDEFINED_OBJECT,
    PgError,
    notice,
)

DENIED = "42501"
_ROLE_COLS = {"superuser": "rolsuper", "createdb": "rolcreatedb", "createrole": "rolcreaterole",
              "inherit": "rolinherit", "canlogin": "rolcanlogin",
              "isreplication": "rolreplication", "bypassrls": "rolbypassrls",
              "connectionlimit": "rolconnlimit", "password": "rolpassword",
              "validUntil": "rolvaliduntil"}


def _spec_name(s: Any, spec: dict) -> str:
    spec = spec.get("RoleSpec", spec)
    t = spec.get("roletype")
    if t == "ROLESPEC_CSTRING":
        return spec["rolename"]
    if t == "ROLESPEC_SESSION_USER":
        return s.session_user
    if t == "ROLESPEC_PUBLIC":
        raise PgError(UNDEFINED_OBJECT, 'role "public" does not exist')
    return s.user


def _role_oid(cat: Any, name: str) -> int:
    oid = aclchk.role_oid(cat, name, missing_ok=True)
    if oid is None:
        raise PgError(UNDEFINED_OBJECT, f'role "{name}" does not exist')
    return oid


def _bool(arg: Any) -> bool:
    if arg is None:
        return True
    if "Boolean" in arg:
        return bool(arg["Boolean"].get("boolval", False))
    if "Integer" in arg:
        return bool(arg["Integer"].get("ival", 0))
    if "String" in arg:
        v = arg["String"]["sval"].lower()
        if v in ("true", "on", "yes", "1", "t", "y"):
            return True
        if v in ("false", "off", "no", "0", "f", "n"):
            return False
    raise PgError("22023", "invalid value for boolean option")


def _role_options(s: Any, options: list | None) -> tuple[dict[str, Any], dict[str, list]]:
    """(attribute changes, membership lists addroleto/rolemembers/adminmembers)."""
    out: dict[str, Any] = {}
    lists: dict[str, list] = {}
    for o in options or []:
        d = o["DefElem"]
        name = d["defname"]
        arg = d.get("arg")
        if name in out or name in lists:
            raise PgError("42601", "conflicting or redundant options",
                          position=None)
        if name == "password":
            if arg is None:
                out["password"] = None
            else:
                pw = arg["String"]["sval"]
                if pw == "":
                    s.add_notice(notice("empty string is not a valid password, clearing "
                                        "password"))
                    out["password"] = None
                elif pw.startswith(("SCRAM-SHA-256$", "md5")):
                    out["password"] = pw
                else:
                    from tuskdb.server.scram import make_scram_verifier
                    out["password"] = make_scram_verifier(pw)
        elif name in ("superuser", "createdb", "createrole", "inherit", "canlogin",
                      "isreplication", "bypassrls"):
            out[name] = _bool(arg)
        elif name == "connectionlimit":
            v = arg["Integer"]["ival"]
            if v < -1:
                raise PgError("22023", f"invalid connection limit: {v}")
            out[name] = v
        elif name == "validUntil":
            from tuskdb import types
            out[name] = types.TYPES[1184].input(arg["String"]["sval"]) \
                if hasattr(types.TYPES[1184], "input") else None
        elif name == "sysid":
            s.add_notice(notice("SYSID can no longer be specified"))
        elif name in ("addroleto", "rolemembers", "adminmembers"):
            lists[name] = [_spec_name(s, r) for r in arg["List"]["items"]]
        else:
            raise PgError(FEATURE_NOT_SUPPORTED, f"role option {name} is not supported")
    return out, lists


def _info(cat: Any, oid: int) -> aclchk.RoleInfo | None:
    return aclchk.role_cache(cat).by_oid.get(oid)


def _denied(what: str, detail: str) -> PgError:
    return PgError(DENIED, f"permission denied to {what}", detail=detail)


def _only_attr(attr: str, verb: str) -> str:
    return f"Only roles with the {attr} attribute may {verb} the {attr} attribute."


# -- CREATE ROLE ---------------------------------------------------------------------------


def create_role(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    name = body["role"]
    cat = s.catalog()
    opts, lists = _role_options(s, body.get("options"))
    me = s.current_user_oid(cat)
    meinfo = _info(cat, me)
    is_super = bool(meinfo and meinfo.superuser)
    if not is_super:
        if not (meinfo and meinfo.createrole):
            raise _denied("create role", "Only roles with the CREATEROLE attribute may create "
                          "roles.")
        for opt, attr, have in (("superuser", "SUPERUSER", False),
                                ("createdb", "CREATEDB", meinfo.createdb),
                                ("isreplication", "REPLICATION", meinfo.replication),
                                ("bypassrls", "BYPASSRLS", meinfo.bypassrls)):
            if opts.get(opt) and not have:
                raise _denied("create role", f"Only roles with the {attr} attribute may "
                              f"create roles with the {attr} attribute.")
    if name.startswith("pg_"):
        raise PgError("42939", f'role name "{name}" is reserved',
                      detail='Role names starting with "pg_" are reserved.')
    if aclchk.role_oid(cat, name, missing_ok=True) is not None:
        raise PgError(DUPLICATE_OBJECT, f'role "{name}" already exists')
    is_user = body.get("stmt_type") == "ROLESTMT_USER"
    vals: dict[str, Any] = {"rolinherit": True, "rolcanlogin": is_user, "rolconnlimit": -1}
    for k, v in opts.items():
        vals[_ROLE_COLS[k]] = v
    oid = cat.m.next_oid()
    cat.insert("pg_authid", make_row("pg_authid", oid=oid, rolname=name, **vals))
    cat.command_counter_increment()
    for rname in lists.get("addroleto", []):
        rid = _role_oid(cat, rname)
        add_role_mems(s, cat, me, rname, rid, [name], [oid], None, {})
        cat.command_counter_increment()
    if not is_super:
        # the creator administers what it created (granted by the bootstrap superuser)
        self_grant = str(s.settings.get("createrole_self_grant") or "").lower()
        wanted = {w.strip() for w in self_grant.split(",") if w.strip()}
        _insert_member(cat, oid, me, BOOTSTRAP_SUPERUSER, True, False, False)
        if wanted:
            # createrole_self_grant: a second grant, made by the creator to itself
            _insert_member(cat, oid, me, me, False, "inherit" in wanted, "set" in wanted)
        cat.command_counter_increment()
    for key, admin in (("rolemembers", False), ("adminmembers", True)):
        members = lists.get(key, [])
        if members:
            add_role_mems(s, cat, me, name, oid, members,
                          [_role_oid(cat, m) for m in members], None,
                          {"admin": True} if admin else {})
            cat.command_counter_increment()
    return QueryResult(tag="CREATE ROLE")


# -- ALTER ROLE ----------------------------------------------------------------------------


def alter_role(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    name = _spec_name(s, body["role"])
    found = cat.find("pg_authid", rolname=name)
    if not found:
        raise PgError(UNDEFINED_OBJECT, f'role "{name}" does not exist')
    tid, row = found[0]
    a = COLUMN_POS["pg_authid"]
    roleid = row[a["oid"]]
    opts, lists = _role_options(s, body.get("options"))
    me = s.current_user_oid(cat)
    meinfo = _info(cat, me)
    is_super = bool(meinfo and meinfo.superuser)
    if not is_super:
        if row[a["rolsuper"]]:
            raise _denied("alter role", "Only roles with the SUPERUSER attribute may alter "
                          "roles with the SUPERUSER attribute.")
        if "superuser" in opts:
            raise _denied("alter role", _only_attr("SUPERUSER", "change"))
        if not (meinfo and meinfo.createrole) or not aclchk.is_admin_of_role(cat, me, roleid):
            if any(k in opts for k in ("inherit", "createrole", "createdb", "canlogin",
                                       "connectionlimit", "validUntil", "isreplication",
                                       "bypassrls")):
                raise _denied("alter role", f"Only roles with the CREATEROLE attribute and "
                              f'the ADMIN option on role "{name}" may alter this role.')
            if "password" in opts and roleid != me:
                raise _denied("alter role", "To change another role's password, the "
                              "current user must have the CREATEROLE attribute and the "
                              "ADMIN option on the role.")
        else:
            for opt, attr, have in (("createdb", "CREATEDB", meinfo.createdb),
                                    ("isreplication", "REPLICATION", meinfo.replication),
                                    ("bypassrls", "BYPASSRLS", meinfo.bypassrls)):
                if opt in opts and not have:
                    raise _denied("alter role", _only_attr(attr, "change"))
    if "rolemembers" in lists:
        # ALTER GROUP ... ADD/DROP USER
        if not aclchk.is_admin_of_role(cat, me, roleid):
            raise _denied("alter role", f'Only roles with the ADMIN option on role "{name}" '
                          f"may add or drop members.")
        members = lists["rolemembers"]
        mids = [_role_oid(cat, m) for m in members]
        if body.get("action", 1) > 0:
            add_role_mems(s, cat, me, name, roleid, members, mids, None, {})
        else:
            del_role_mems(s, cat, me, name, roleid, members, mids, None, {}, False)
    changes = {_ROLE_COLS[k]: v for k, v in opts.items()}
    if changes:
        cat.update("pg_authid", tid, replace("pg_authid", row, **changes))
    return QueryResult(tag="ALTER ROLE")


def rename_role(s: Any, old: str, new: str) -> QueryResult:
    """ALTER ROLE old RENAME TO new (object ACLs keep role names, so they follow)."""
    cat = s.catalog()
    found = cat.find("pg_authid", rolname=old)
    if not found:
        raise PgError(UNDEFINED_OBJECT, f'role "{old}" does not exist')
    tid, row = found[0]
    a = COLUMN_POS["pg_authid"]
    roleid = row[a["oid"]]
    if roleid == s.current_user_oid(cat) or old == s.session_user:
        raise PgError(FEATURE_NOT_SUPPORTED, "session user cannot be renamed"
                      if old == s.session_user else "current user cannot be renamed")
    if roleid < 16384:
        raise PgError("42939", f'role name "{old}" is reserved',
                      detail='Role names starting with "pg_" are reserved.')
    if new.startswith("pg_"):
        raise PgError("42939", f'role name "{new}" is reserved',
                      detail='Role names starting with "pg_" are reserved.')
    if aclchk.role_oid(cat, new, missing_ok=True) is not None:
        raise PgError(DUPLICATE_OBJECT, f'role "{new}" already exists')
    me = s.current_user_oid(cat)
    if not aclchk.superuser_arg(cat, me):
        if row[a["rolsuper"]]:
            raise _denied("rename role", "Only roles with the SUPERUSER attribute may rename "
                          "roles with the SUPERUSER attribute.")
        meinfo = _info(cat, me)
        if not (meinfo and meinfo.createrole) or not aclchk.is_admin_of_role(cat, me, roleid):
            raise _denied("rename role", f"Only roles with the CREATEROLE attribute and the "
                          f'ADMIN option on role "{old}" may rename this role.')
    changes: dict[str, Any] = {"rolname": new}
    pw = row[a["rolpassword"]]
    if pw is not None and str(pw).startswith("md5"):
        changes["rolpassword"] = None
        s.add_notice(notice("MD5 password cleared because of role rename"))
    cat.update("pg_authid", tid, replace("pg_authid", row, **changes))
    _rename_in_acls(cat, old, new)
    return QueryResult(tag="ALTER ROLE")


def _acl_columns() -> list[tuple[str, str]]:
    return [(c, col) for c, col in (("pg_class", "relacl"), ("pg_attribute", "attacl"),
                                     ("pg_namespace", "nspacl"), ("pg_proc", "proacl"),
                                     ("pg_type", "typacl"), ("pg_language", "lanacl"),
                                     ("pg_database", "datacl"),
                                     ("pg_default_acl", "defaclacl"),
                                     ("pg_foreign_data_wrapper", "fdwacl"),
                                     ("pg_foreign_server", "srvacl"))
            if c in COLUMN_POS and col in COLUMN_POS[c]]


def _rename_in_acls(cat: Any, old: str, new: str) -> None:
    for catalog, col in _acl_columns():
        pos = COLUMN_POS[catalog][col]
        for tid, row in cat.scan(catalog):
            acl = row[pos]
            if acl is None:
                continue
            items = aclchk.parse_acl(acl, "table", None)
            if not any(old in (i.grantee, i.grantor) for i in items):
                continue
            for i in items:
                i.grantee = new if i.grantee == old else i.grantee
                i.grantor = new if i.grantor == old else i.grantor
            cat.update(catalog, tid, replace(catalog, row,
                                             **{col: aclchk.format_acl(items)}))


# -- DROP ROLE -----------------------------------------------------------------------------


def drop_role(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    me = s.current_user_oid(cat)
    meinfo = _info(cat, me)
    is_super = bool(meinfo and meinfo.superuser)
    if not is_super and not (meinfo and meinfo.createrole):
        raise _denied("drop role", "Only roles with the CREATEROLE attribute and the ADMIN "
                      "option on the target roles may drop roles.")
    a = COLUMN_POS["pg_authid"]
    victims: list[tuple[Any, tuple]] = []
    for r in body["roles"]:
        name = _spec_name(s, r)
        found = cat.find("pg_authid", rolname=name)
        if not found:
            if body.get("missing_ok"):
                s.add_notice(notice(f'role "{name}" does not exist, skipping'))
                continue
            raise PgError(UNDEFINED_OBJECT, f'role "{name}" does not exist')
        tid, row = found[0]
        roleid = row[a["oid"]]
        if any(v[1][a["oid"]] == roleid for v in victims):
            continue
        if roleid < 16384:
            raise PgError("2BP01", f'cannot drop role {name} because it is required by the '
                          f"database system")
        if roleid == me:
            raise PgError("55006", "current user cannot be dropped")
        if name == s.session_user:
            raise PgError("55006", "session user cannot be dropped")
        if not is_super:
            if row[a["rolsuper"]]:
                raise _denied("drop role", "Only roles with the SUPERUSER attribute may drop "
                              "roles with the SUPERUSER attribute.")
            if not aclchk.is_admin_of_role(cat, me, roleid):
                raise _denied("drop role", f"Only roles with the CREATEROLE attribute and the "
                              f'ADMIN option on role "{name}" may drop this role.')
        victims.append((tid, row))
    ids = {row[a["oid"]] for _, row in victims}
    for _, row in victims:
        deps = role_dependents(s, cat, row[a["oid"]], row[a["rolname"]], ids)
        if deps:
            raise PgError("2BP01", f'role "{row[a["rolname"]]}" cannot be dropped because '
                          f"some objects depend on it", detail="\n".join(deps))
    p = COLUMN_POS["pg_auth_members"]
    for tid, row in victims:
        cat.delete("pg_authid", tid)
        for mtid, m in cat.scan("pg_auth_members"):
            if m[p["roleid"]] in ids or m[p["member"]] in ids:
                cat.delete("pg_auth_members", mtid)
        for dtid, d in cat.scan("pg_shdescription"):
            sp = COLUMN_POS["pg_shdescription"]
            if d[sp["objoid"]] == row[a["oid"]] and d[sp["classoid"]] == 1260:
                cat.delete("pg_shdescription", dtid)
    return QueryResult(tag="DROP ROLE")


def role_dependents(s: Any, cat: Any, roleid: int, name: str, dropping: set[int]) -> list[str]:
    """What keeps a role from being dropped (PostgreSQL's shared dependencies):
    objects it owns, privileges granted to or by it, membership grants it made."""
    out: list[str] = []
    p = COLUMN_POS["pg_auth_members"]
    for m in cat.rows("pg_auth_members"):
        if m[p["grantor"]] == roleid and m[p["roleid"]] not in dropping and \
                m[p["member"]] not in dropping:
            out.append(f"privileges for membership of role "
                       f"{aclchk.role_name(cat, m[p['member']])} in role "
                       f"{aclchk.role_name(cat, m[p['roleid']])}")
    d = COLUMN_POS["pg_database"]
    for row in cat.rows("pg_database"):
        if row[d["datdba"]] == roleid:
            out.append(f"owner of database {row[d['datname']]}")
        if _acl_mentions(row[d["datacl"]], name):
            out.append(f"privileges for database {row[d['datname']]}")
    from tuskdb.sql.commands.ownedcmds import owned_objects
    for desc, _kind, _oid, _how in owned_objects(s, cat, roleid, name):
        out.append(desc)
    from tuskdb.sql.commands.defaclcmds import default_acl_dependents
    out.extend(default_acl_dependents(cat, roleid, name))
    return out


def _acl_mentions(acl: Any, name: str) -> bool:
    if acl is None:
        return False
    return any(name in (i.grantee, i.grantor) for i in aclchk.parse_acl(acl, "table", None))


# -- GRANT / REVOKE role -------------------------------------------------------------------


def grant_role(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    is_grant = bool(body.get("is_grant"))
    popt: dict[str, bool] = {}
    for o in body.get("opt") or []:
        d = o["DefElem"]
        name = d["defname"]
        if name not in ("admin", "inherit", "set"):
            raise PgError("42601", f'unrecognized role option "{name}"')
        popt[name] = _bool(d.get("arg"))
    me = s.current_user_oid(cat)
    grantor = None
    if body.get("grantor"):
        grantor = _role_oid(cat, _spec_name(s, body["grantor"]))
    members = [_spec_name(s, g) for g in body.get("grantee_roles") or []]
    cascade = body.get("behavior") == "DROP_CASCADE"
    for r in body.get("granted_roles") or []:
        ap = r["AccessPriv"]
        if ap.get("cols"):
            raise PgError(INVALID_GRANT_OPERATION, "column names cannot be included in "
                          "GRANT/REVOKE ROLE")
        rname = ap["priv_name"]
        rid = _role_oid(cat, rname)
        mids = [_role_oid(cat, m) for m in members]
        if is_grant:
            add_role_mems(s, cat, me, rname, rid, members, mids, grantor, popt)
        else:
            del_role_mems(s, cat, me, rname, rid, members, mids, grantor, popt, cascade)
        cat.command_counter_increment()
    return QueryResult(tag="GRANT ROLE" if is_grant else "REVOKE ROLE")


def _check_membership_authorization(cat: Any, me: int, rname: str, rid: int,
                                    is_grant: bool) -> None:
    verb = "grant" if is_grant else "revoke"
    if aclchk.superuser_arg(cat, rid):
        if not aclchk.superuser_arg(cat, me):
            raise PgError(DENIED, f'permission denied to {verb} role "{rname}"',
                          detail=f"Only roles with the SUPERUSER attribute may {verb} roles "
                                 f"with the SUPERUSER attribute.")
    elif not aclchk.is_admin_of_role(cat, me, rid):
        raise PgError(DENIED, f'permission denied to {verb} role "{rname}"',
                      detail=f'Only roles with the ADMIN option on role "{rname}" may {verb} '
                             f"this role.")


def _check_role_grantor(cat: Any, me: int, rid: int, grantor: int | None,
                        is_grant: bool) -> int:
    if grantor is None:
        if aclchk.superuser_arg(cat, me):
            return BOOTSTRAP_SUPERUSER
        best = aclchk.select_best_admin(cat, me, rid)
        if best is None:
            raise PgError("XX000", "no possible grantors")
        return best
    gname = aclchk.role_name(cat, grantor)
    if is_grant:
        if not aclchk.has_privs_of_role(cat, me, grantor):
            raise PgError(DENIED, f'permission denied to grant privileges as role "{gname}"',
                          detail=f'Only roles with privileges of role "{gname}" may grant '
                                 f"privileges as this role.")
        if grantor != BOOTSTRAP_SUPERUSER and \
                aclchk.select_best_admin(cat, grantor, rid) != grantor:
            raise PgError(DENIED, f'permission denied to grant privileges as role "{gname}"',
                          detail=f'The grantor must have the ADMIN option on role '
                                 f'"{aclchk.role_name(cat, rid)}".')
    else:
        if not aclchk.has_privs_of_role(cat, me, grantor):
            raise PgError(DENIED, f'permission denied to revoke privileges granted by role '
                          f'"{gname}"', detail=f'Only roles with privileges of role "{gname}" '
                          f"may revoke privileges granted by this role.")
    if aclchk.superuser_arg(cat, grantor):
        return BOOTSTRAP_SUPERUSER
    return grantor


def _insert_member(cat: Any, roleid: int, member: int, grantor: int, admin: bool,
                   inherit: bool, set_: bool) -> None:
    cat.insert("pg_auth_members", make_row(
        "pg_auth_members", oid=cat.m.next_oid(), roleid=roleid, member=member, grantor=grantor,
        admin_option=admin, inherit_option=inherit, set_option=set_))


def add_role_mems(s: Any, cat: Any, me: int, rname: str, rid: int, members: list[str],
                  mids: list[int], grantor: int | None, popt: dict[str, bool]) -> None:
    """PostgreSQL's AddRoleMems."""
    if rid == ROLE_PG_DATABASE_OWNER:
        raise PgError(INVALID_GRANT_OPERATION, f'role "{rname}" cannot have explicit members')
    _check_membership_authorization(cat, me, rname, rid, True)
    grantor = _check_role_grantor(cat, me, rid, grantor, True)
    p = COLUMN_POS["pg_auth_members"]
    for mname, mid in zip(members, mids):
        if mid == ROLE_PG_DATABASE_OWNER:
            raise PgError(INVALID_GRANT_OPERATION, f'role "{mname}" cannot be a member of '
                          f"any role")
        if mid == rid or aclchk.is_member_of_role_nosuper(cat, rid, mid):
            raise PgError(INVALID_GRANT_OPERATION, f'role "{mname}" is a member of role '
                          f'"{rname}"' if mid == rid else
                          f'role "{rname}" is a member of role "{mname}"')
        if popt.get("admin") and grantor != BOOTSTRAP_SUPERUSER and \
                _admin_derives_from(cat, rid, grantor, mid):
            raise PgError(INVALID_GRANT_OPERATION, "ADMIN option cannot be granted back to "
                          "your own grantor")
        existing = [(t, r) for t, r in cat.scan("pg_auth_members")
                    if r[p["roleid"]] == rid and r[p["member"]] == mid and
                    r[p["grantor"]] == grantor]
        if existing:
            tid, row = existing[0]
            changes = {}
            for opt, col in (("admin", "admin_option"), ("inherit", "inherit_option"),
                             ("set", "set_option")):
                if opt in popt and row[p[col]] != popt[opt]:
                    changes[col] = popt[opt]
            if not changes:
                s.add_notice(notice(f'role "{mname}" has already been granted membership in '
                                    f'role "{rname}" by role '
                                    f'"{aclchk.role_name(cat, grantor)}"'))
                continue
            cat.update("pg_auth_members", tid, replace("pg_auth_members", row, **changes))
            continue
        minfo = _info(cat, mid)
        _insert_member(cat, rid, mid, grantor, popt.get("admin", False),
                       popt.get("inherit", bool(minfo and minfo.inherit)),
                       popt.get("set", True))
        cat.command_counter_increment()


def _admin_derives_from(cat: Any, rid: int, grantor: int, member: int) -> bool:
    """Does ``grantor``'s ADMIN OPTION on ``rid`` come (through a chain of grantors)
    from ``member``?"""
    rc = aclchk.role_cache(cat)
    seen: set[int] = set()
    todo = [grantor]
    while todo:
        g = todo.pop()
        if g in seen:
            continue
        seen.add(g)
        for gr in rc.grants:
            if gr.roleid == rid and gr.member == g and gr.admin:
                if gr.grantor == member:
                    return True
                if gr.grantor != BOOTSTRAP_SUPERUSER:
                    todo.append(gr.grantor)
    return False


def del_role_mems(s: Any, cat: Any, me: int, rname: str, rid: int, members: list[str],
                  mids: list[int], grantor: int | None, popt: dict[str, bool],
                  cascade: bool) -> None:
    """PostgreSQL's DelRoleMems."""
    _check_membership_authorization(cat, me, rname, rid, False)
    grantor = _check_role_grantor(cat, me, rid, grantor, False)
    p = COLUMN_POS["pg_auth_members"]
    for mname, mid in zip(members, mids):
        found = [(t, r) for t, r in cat.scan("pg_auth_members")
                 if r[p["roleid"]] == rid and r[p["member"]] == mid and r[p["grantor"]] == grantor]
        if not found:
            s.add_notice(notice(f'role "{mname}" has not been granted membership in role '
                                f'"{rname}" by role "{aclchk.role_name(cat, grantor)}"',
                                severity="WARNING"))
            continue
        tid, row = found[0]
        if popt:
            changes = {col: False for opt, col in (("admin", "admin_option"),
                                                   ("inherit", "inherit_option"),
                                                   ("set", "set_option")) if opt in popt}
            if "admin_option" in changes and row[p["admin_option"]]:
                _revoke_dependents(cat, rid, mid, cascade, exclude=row[p["oid"]])
            cat.update("pg_auth_members", tid, replace("pg_auth_members", row, **changes))
        else:
            if row[p["admin_option"]]:
                _revoke_dependents(cat, rid, mid, cascade, exclude=row[p["oid"]])
            cat.delete("pg_auth_members", tid)


def _revoke_dependents(cat: Any, rid: int, member: int, cascade: bool, exclude: int) -> None:
    """``member`` loses ADMIN OPTION on ``rid`` (unless another grant gives it): the
    grants it made of ``rid`` go too, with CASCADE."""
    p = COLUMN_POS["pg_auth_members"]
    rows = list(cat.scan("pg_auth_members"))
    if any(r[p["roleid"]] == rid and r[p["member"]] == member and r[p["admin_option"]] and
           r[p["oid"]] != exclude for _, r in rows):
        return
    deps = [(t, r) for t, r in rows if r[p["roleid"]] == rid and r[p["grantor"]] == member]
    if deps and not cascade:
        raise PgError("2BP01", "dependent privileges exist",
                      hint="Use CASCADE to revoke them too.")
    for t, r in deps:
        if r[p["admin_option"]]:
            _revoke_dependents(cat, rid, r[p["member"]], True, exclude=r[p["oid"]])
        cat.delete("pg_auth_members", t)
