"""Privilege checks (PostgreSQL's aclchk.c, acl.c and the role parts of miscinit.c).

Every access check of TuskDB goes through this module:

    exec_check_permissions(cat, perminfos, userid)   the executor's range-table check
      check_one_rel_perms(p)                          table privilege, else column ones
        pg_class_aclmask(cat, rel, roleid, mask)
        pg_attribute_aclmask(...)
    object_aclcheck(cat, kind, oid, roleid, mode)     schemas, functions, types, ...
    aclcheck_error(result, objtype, name)            PostgreSQL's 42501 messages

ACLs are stored as aclitem[] of text items ``grantee=privs/grantor`` where grantee
and grantor are role names ('' is PUBLIC) and a ``*`` after a privilege letter marks
its grant option, as aclitemout prints them.  A NULL ACL is the object kind's
default (acldefault): the owner holds everything, PUBLIC what the kind grants it.

Role membership (pg_auth_members, PostgreSQL 16's per-grant INHERIT and SET
options) is read into a RoleCache once per catalog generation.  Superusers pass
every check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tuskdb.catalog.rows import COLUMN_POS
from tuskdb.errors import PgError

INSUFFICIENT_PRIVILEGE = "42501"

ROLE_PG_DATABASE_OWNER = 6171
ROLE_PG_READ_ALL_DATA = 6181
ROLE_PG_WRITE_ALL_DATA = 6182
ROLE_PG_MAINTAIN = 6337
BOOTSTRAP_SUPERUSER = 10

# privilege letters in aclitemout's order
ORDER = "arwdDxtXUCTcsAm"
PRIV_NAMES = {"insert": "a", "select": "r", "update": "w", "delete": "d", "truncate": "D",
              "references": "x", "trigger": "t", "execute": "X", "usage": "U", "create": "C",
              "temporary": "T", "temp": "T", "connect": "c", "set": "s", "alter system": "A",
              "maintain": "m"}
LETTER_NAMES = {"a": "INSERT", "r": "SELECT", "w": "UPDATE", "d": "DELETE", "D": "TRUNCATE",
                "x": "REFERENCES", "t": "TRIGGER", "X": "EXECUTE", "U": "USAGE", "C": "CREATE",
                "T": "TEMPORARY", "c": "CONNECT", "s": "SET", "A": "ALTER SYSTEM",
                "m": "MAINTAIN"}
# all privileges of each object kind (ACL_ALL_RIGHTS_*)
ALL_RIGHTS = {"table": "arwdDxtm", "column": "arwx", "sequence": "rwU", "schema": "UC",
              "database": "CTc", "function": "X", "language": "U", "type": "U",
              "largeobject": "rw", "fdw": "U", "foreign_server": "U", "tablespace": "C",
              "parameter": "sA"}
# what PUBLIC holds by default (acldefault)
WORLD_DEFAULT = {"database": "Tc", "function": "X", "language": "U", "type": "U"}


# -- aclitem ---------------------------------------------------------------------------


@dataclass
class AclItem:
    grantee: str            # role name, '' for PUBLIC
    privs: str              # privilege letters
    goptions: str           # the subset held WITH GRANT OPTION
    grantor: str

    def text(self) -> str:
        out = []
        for c in ORDER:
            if c in self.privs:
                out.append(c + ("*" if c in self.goptions else ""))
        return f"{quote_acl_name(self.grantee)}={''.join(out)}/{quote_acl_name(self.grantor)}"


def quote_acl_name(name: str) -> str:
    """aclitemout's putid: names other than letters, digits and _ are double-quoted."""
    if name and not all(ch.isalnum() or ch == "_" for ch in name):
        return '"' + name.replace('"', '""') + '"'
    return name


def _unquote(s: str) -> str:
    if s.startswith('"') and s.endswith('"') and len(s) >= 2:
        return s[1:-1].replace('""', '"')
    return s


def _split_item(text: str) -> tuple[str, str, str]:
    """'grantee=privs/grantor' with quoted names."""
    i, n, inq = 0, len(text), False
    eq = -1
    while i < n:
        ch = text[i]
        if ch == '"':
            inq = not inq
        elif ch == "=" and not inq:
            eq = i
            break
        i += 1
    grantee, rest = text[:eq], text[eq + 1:]
    slash = rest.index("/")
    return _unquote(grantee), rest[:slash], _unquote(rest[slash + 1:])


def parse_aclitem(text: str) -> AclItem:
    grantee, letters, grantor = _split_item(text)
    privs, gopts = "", ""
    for i, ch in enumerate(letters):
        if ch == "*":
            continue
        privs += ch
        if i + 1 < len(letters) and letters[i + 1] == "*":
            gopts += ch
    return AclItem(grantee, privs, gopts, grantor)


def acldefault(kind: str, owner: str) -> list[AclItem]:
    items = []
    world = WORLD_DEFAULT.get(kind, "")
    if world:
        items.append(AclItem("", world, "", owner))
    if kind != "column":
        items.append(AclItem(owner, ALL_RIGHTS[kind], "", owner))
    return items


def parse_acl(value: Any, kind: str, owner: str | None) -> list[AclItem]:
    """An ACL column's value as items; NULL is the kind's default for ``owner``."""
    if value is None:
        return acldefault(kind, owner) if owner is not None else []
    items = value.items if hasattr(value, "items") else value
    return [parse_aclitem(t) for t in items if t is not None]


def format_acl(items: list[AclItem]) -> Any:
    from tuskdb.types import Array
    return Array([it.text() for it in items if it.privs])


# -- roles -------------------------------------------------------------------------------


@dataclass
class RoleInfo:
    oid: int
    name: str
    superuser: bool
    inherit: bool
    createrole: bool
    createdb: bool
    canlogin: bool
    replication: bool
    bypassrls: bool


@dataclass
class Grant:
    oid: int
    roleid: int
    member: int
    grantor: int
    admin: bool
    inherit: bool
    set: bool


@dataclass
class RoleCache:
    by_oid: dict[int, RoleInfo] = field(default_factory=dict)
    by_name: dict[str, int] = field(default_factory=dict)
    grants: list[Grant] = field(default_factory=list)
    of_member: dict[int, list[Grant]] = field(default_factory=dict)
    memo: dict[tuple, frozenset] = field(default_factory=dict)


def role_cache(cat: Any) -> RoleCache:
    """pg_authid and pg_auth_members as this transaction sees them (shared per catalog
    generation unless the transaction changed catalogs)."""
    m = cat.m
    private = cat.private
    if not private:
        cached = getattr(m, "_role_cache", None)
        if cached is not None and cached[0] == m.generation:
            return cached[1]
    rc = RoleCache()
    a = COLUMN_POS["pg_authid"]
    for row in cat.rows("pg_authid"):
        info = RoleInfo(row[a["oid"]], row[a["rolname"]], row[a["rolsuper"]],
                        row[a["rolinherit"]], row[a["rolcreaterole"]], row[a["rolcreatedb"]],
                        row[a["rolcanlogin"]], row[a["rolreplication"]],
                        row[a["rolbypassrls"]])
        rc.by_oid[info.oid] = info
        rc.by_name[info.name] = info.oid
    p = COLUMN_POS["pg_auth_members"]
    for row in cat.rows("pg_auth_members"):
        g = Grant(row[p["oid"]], row[p["roleid"]], row[p["member"]], row[p["grantor"]],
                  row[p["admin_option"]], row[p["inherit_option"]], row[p["set_option"]])
        rc.grants.append(g)
        rc.of_member.setdefault(g.member, []).append(g)
    if not private:
        m._role_cache = (m.generation, rc)
    return rc


def role_oid(cat: Any, name: str, missing_ok: bool = False) -> int | None:
    oid = role_cache(cat).by_name.get(name)
    if oid is None and not missing_ok:
        raise PgError("42704", f'role "{name}" does not exist')
    return oid


def role_name(cat: Any, oid: int) -> str:
    info = role_cache(cat).by_oid.get(oid)
    return info.name if info is not None else f"unknown (OID={oid})"


def superuser_arg(cat: Any, roleid: int) -> bool:
    info = role_cache(cat).by_oid.get(roleid)
    return bool(info and info.superuser)


def _database_owner(cat: Any) -> int | None:
    d = COLUMN_POS["pg_database"]
    for row in cat.rows("pg_database"):
        if row[d["oid"]] == cat.dboid:
            return row[d["datdba"]]
    return None


def roles_is_member_of(cat: Any, roleid: int, how: str = "privs",
                       admin_of: int | None = None) -> frozenset[int]:
    """Every role ``roleid`` is a member of, itself included, following grants with
    the INHERIT option (how='privs'), the SET option ('set') or any grant ('any').
    The owner of the current database is implicitly a member of pg_database_owner."""
    rc = role_cache(cat)
    key = (how, roleid, cat.dboid)
    got = rc.memo.get(key)
    if got is not None:
        return got
    dba = _database_owner(cat)
    seen = {roleid}
    todo = [roleid]
    while todo:
        r = todo.pop()
        nexts = [g.roleid for g in rc.of_member.get(r, ())
                 if how == "any" or (how == "privs" and g.inherit) or (how == "set" and g.set)]
        if r == dba and how != "set":
            nexts.append(ROLE_PG_DATABASE_OWNER)
        for n in nexts:
            if n not in seen:
                seen.add(n)
                todo.append(n)
    out = frozenset(seen)
    rc.memo[key] = out
    return out


def has_privs_of_role(cat: Any, member: int, role: int) -> bool:
    if member == role or superuser_arg(cat, member):
        return True
    return role in roles_is_member_of(cat, member, "privs")


def member_can_set_role(cat: Any, member: int, role: int) -> bool:
    if member == role or superuser_arg(cat, member):
        return True
    return role in roles_is_member_of(cat, member, "set")


def is_member_of_role(cat: Any, member: int, role: int) -> bool:
    if member == role or superuser_arg(cat, member):
        return True
    return role in roles_is_member_of(cat, member, "any")


def is_member_of_role_nosuper(cat: Any, member: int, role: int) -> bool:
    return member == role or role in roles_is_member_of(cat, member, "any")


def is_admin_of_role(cat: Any, member: int, role: int) -> bool:
    """Does ``member`` (directly or through roles it can SET to) hold ADMIN OPTION on
    ``role``?  Superusers do; a role is not its own admin."""
    if superuser_arg(cat, member):
        return True
    if member == role:
        return False
    return _best_admin(cat, member, role, "any") is not None


def select_best_admin(cat: Any, member: int, role: int) -> int | None:
    """The role with ADMIN OPTION on ``role`` that ``member`` can act as (itself
    first), PostgreSQL's select_best_admin."""
    if member == role:
        return None
    return _best_admin(cat, member, role, "privs")


def _best_admin(cat: Any, member: int, role: int, how: str) -> int | None:
    rc = role_cache(cat)
    admins = {g.member for g in rc.grants if g.roleid == role and g.admin}
    if member in admins:
        return member
    for r in sorted(roles_is_member_of(cat, member, how)):
        if r in admins:
            return r
    return None


# -- masks ---------------------------------------------------------------------------------


def aclmask(cat: Any, items: list[AclItem], roleid: int, ownerid: int, mask: str,
            goptions: bool = False) -> str:
    """The subset of ``mask`` that ``roleid`` holds by ``items`` (grant options of it
    when ``goptions``)."""
    if goptions and has_privs_of_role(cat, roleid, ownerid):
        return mask       # the owner (and its members) hold every grant option
    rc = role_cache(cat)
    me = rc.by_oid.get(roleid)
    myname = me.name if me is not None else None
    result = ""
    names = None
    for it in items:
        have = it.goptions if goptions else it.privs
        if it.grantee == "" or it.grantee == myname:
            result += "".join(c for c in have if c in mask)
    if all(c in result for c in mask):
        return mask
    for it in items:
        have = it.goptions if goptions else it.privs
        if not have or it.grantee in ("", myname):
            continue
        if names is None:
            names = {rc.by_oid[r].name for r in roles_is_member_of(cat, roleid, "privs")
                     if r in rc.by_oid}
        if it.grantee in names:
            result += "".join(c for c in have if c in mask)
    return "".join(c for c in mask if c in result)


def relation_kind(rel: Any) -> str:
    return "sequence" if rel.relkind == "S" else "table"


def pg_class_aclmask(cat: Any, rel: Any, roleid: int, mask: str) -> str:
    if superuser_arg(cat, roleid):
        return mask
    owner = role_name(cat, rel.owner)
    items = parse_acl(getattr(rel, "acl", None), relation_kind(rel), owner)
    result = aclmask(cat, items, roleid, rel.owner, mask)
    missing = [c for c in mask if c not in result]
    if missing:
        if "r" in missing and has_privs_of_role(cat, roleid, ROLE_PG_READ_ALL_DATA):
            result += "r"
        if any(c in "awd" for c in missing) and \
                has_privs_of_role(cat, roleid, ROLE_PG_WRITE_ALL_DATA):
            result += "".join(c for c in "awd" if c in missing)
        if "m" in missing and has_privs_of_role(cat, roleid, ROLE_PG_MAINTAIN):
            result += "m"
    return "".join(c for c in mask if c in result)


def pg_attribute_aclmask(cat: Any, rel: Any, col: Any, roleid: int, mask: str) -> str:
    """Column privileges only (the table's are checked separately)."""
    if col is None or col.dropped:
        return ""
    acl = getattr(col, "acl", None)
    if acl is None:
        return ""
    return aclmask(cat, parse_acl(acl, "column", None), roleid, rel.owner, mask)


def pg_class_aclcheck(cat: Any, rel: Any, roleid: int, mode: str, any_: bool = False
                      ) -> bool:
    got = pg_class_aclmask(cat, rel, roleid, mode)
    return bool(got) if any_ else got == mode


def pg_attribute_aclcheck(cat: Any, rel: Any, attnum: int, roleid: int, mode: str,
                          any_: bool = False) -> bool:
    col = rel.columns[attnum - 1] if 0 < attnum <= len(rel.columns) else None
    if col is None or col.dropped:
        return False
    got = pg_attribute_aclmask(cat, rel, col, roleid, mode)
    return bool(got) if any_ else got == mode


def pg_attribute_aclcheck_all(cat: Any, rel: Any, roleid: int, mode: str, how: str) -> bool:
    """how='any': some column has ``mode``; 'all': every live column has it."""
    live = [c for c in rel.columns if not c.dropped]
    if not live:
        return False
    if superuser_arg(cat, roleid):
        return True
    oks = (pg_attribute_aclmask(cat, rel, c, roleid, mode) == mode for c in live)
    return any(oks) if how == "any" else all(oks)


# -- the executor's check of the range table ------------------------------------------------


@dataclass
class PermInfo:
    """One relation a statement reads or writes (PostgreSQL's RTEPermissionInfo)."""

    rel: Any
    required: str = ""                     # a r w d (r is added when columns are read)
    check_as: int = 0                      # role to check as; 0 = the current user
    selected: set[int] = field(default_factory=set)   # attnums read (0 = whole row)
    inserted: set[int] = field(default_factory=set)
    updated: set[int] = field(default_factory=set)
    # reading a column requires SELECT; not so for the relation under a target view,
    # whose `selected` are the view definition's columns (rewriteTargetView)
    select_if_read: bool = True


def relkind_objtype(relkind: str) -> str:
    return {"S": "sequence", "v": "view", "m": "materialized view",
            "f": "foreign table"}.get(relkind, "table")


def exec_check_permissions(cat: Any, perminfos: list[PermInfo], userid: int) -> None:
    for p in perminfos:
        uid = p.check_as or userid
        if superuser_arg(cat, uid):
            continue
        if not check_one_rel_perms(cat, p, uid):
            raise permission_denied(relkind_objtype(p.rel.relkind), p.rel.name)


def check_one_rel_perms(cat: Any, p: PermInfo, uid: int) -> bool:
    rel = p.rel
    required = p.required
    if p.selected and "r" not in required and p.select_if_read:
        required = "r" + required
    if not required:
        return True
    have = pg_class_aclmask(cat, rel, uid, required)
    remaining = "".join(c for c in required if c not in have)
    if not remaining:
        return True
    if any(c not in "raw" for c in remaining):
        return False
    if "r" in remaining:
        if not p.selected and not pg_attribute_aclcheck_all(cat, rel, uid, "r", "any"):
            return False
        for att in p.selected:
            if att == 0:
                if not pg_attribute_aclcheck_all(cat, rel, uid, "r", "all"):
                    return False
            elif att < 0 or not pg_attribute_aclcheck(cat, rel, att, uid, "r"):
                return False
    for letter, cols in (("a", p.inserted), ("w", p.updated)):
        if letter not in remaining:
            continue
        if not cols and not pg_attribute_aclcheck_all(cat, rel, uid, letter, "any"):
            return False
        for att in cols:
            if att > 0 and not pg_attribute_aclcheck(cat, rel, att, uid, letter):
                return False
    return True


# -- errors ---------------------------------------------------------------------------------


def permission_denied(objtype: str, name: str) -> PgError:
    return PgError(INSUFFICIENT_PRIVILEGE, f"permission denied for {objtype} {name}")


def must_be_owner(objtype: str, name: str) -> PgError:
    return PgError(INSUFFICIENT_PRIVILEGE, f"must be owner of {objtype} {name}")


def column_permission_denied(colname: str, relname: str) -> PgError:
    return PgError(INSUFFICIENT_PRIVILEGE,
                   f'permission denied for column "{colname}" of relation "{relname}"')


def check_owner(cat: Any, roleid: int, owner: int, objtype: str, name: str) -> None:
    """PostgreSQL's object_ownercheck + aclcheck_error(ACLCHECK_NOT_OWNER)."""
    if not has_privs_of_role(cat, roleid, owner):
        raise must_be_owner(objtype, name)


def check_can_set_role(cat: Any, member: int, role: int) -> None:
    if not member_can_set_role(cat, member, role):
        raise PgError(INSUFFICIENT_PRIVILEGE,
                      f'must be able to SET ROLE "{role_name(cat, role)}"')


def namespace_aclcheck(cat: Any, nspoid: int, roleid: int, mode: str) -> bool:
    """USAGE (U) or CREATE (C) on a schema."""
    if superuser_arg(cat, roleid):
        return True
    n = COLUMN_POS["pg_namespace"]
    for row in cat.rows("pg_namespace"):
        if row[n["oid"]] == nspoid:
            owner = row[n["nspowner"]]
            items = parse_acl(row[n["nspacl"]], "schema", role_name(cat, owner))
            got = aclmask(cat, items, roleid, owner, mode)
            if got != mode and "U" in mode and \
                    (has_privs_of_role(cat, roleid, ROLE_PG_READ_ALL_DATA) or
                     has_privs_of_role(cat, roleid, ROLE_PG_WRITE_ALL_DATA)):
                got += "U"
            return all(c in got for c in mode)
    return True


def check_namespace_create(cat: Any, nspoid: int, roleid: int) -> None:
    if not namespace_aclcheck(cat, nspoid, roleid, "C"):
        raise permission_denied("schema", cat.namespace_name(nspoid) or "")


def relation_owner_kind(rel: Any) -> str:
    return {"i": "index", "I": "index", "c": "type"}.get(rel.relkind) or \
        relkind_objtype(rel.relkind)


def acl_new_owner(items: list[AclItem], old: str, new: str) -> list[AclItem]:
    """PostgreSQL's aclnewowner: the old owner's entries become the new owner's
    (merged into the new owner's own entries)."""
    out: list[AclItem] = []
    for it in items:
        g = new if it.grantee == old else it.grantee
        gr = new if it.grantor == old else it.grantor
        same = next((o for o in out if o.grantee == g and o.grantor == gr), None)
        if same is not None:
            same.privs = "".join(c for c in ORDER if c in same.privs or c in it.privs)
            same.goptions = "".join(c for c in ORDER if c in same.goptions or c in it.goptions)
        else:
            out.append(AclItem(g, it.privs, it.goptions, gr))
    return out


def database_aclcheck(cat: Any, dboid: int, roleid: int, mode: str) -> bool:
    """CREATE (C), TEMPORARY (T) or CONNECT (c) on a database."""
    if superuser_arg(cat, roleid):
        return True
    d = COLUMN_POS["pg_database"]
    for row in cat.rows("pg_database"):
        if row[d["oid"]] == dboid:
            owner = row[d["datdba"]]
            items = parse_acl(row[d["datacl"]], "database", role_name(cat, owner))
            return aclmask(cat, items, roleid, owner, mode) == mode
    return False


def check_database_create(cat: Any, roleid: int) -> None:
    """42501 unless ``roleid`` may CREATE in the current database."""
    if not database_aclcheck(cat, cat.dboid, roleid, "C"):
        raise permission_denied("database", database_name(cat, cat.dboid))


def database_name(cat: Any, dboid: int) -> str:
    d = COLUMN_POS["pg_database"]
    for row in cat.rows("pg_database"):
        if row[d["oid"]] == dboid:
            return row[d["datname"]]
    return ""


def type_aclcheck(cat: Any, type_oid: int, roleid: int) -> bool:
    """USAGE on a type: an array's is its element type's, a multirange's its range's."""
    if type_oid < 16384 or superuser_arg(cat, roleid):
        return True
    t = COLUMN_POS["pg_type"]
    for _ in range(3):
        found = cat.find("pg_type", oid=type_oid)
        if not found:
            return True
        row = found[0][1]
        if row[t["typcategory"]] == "A" and row[t["typelem"]]:
            type_oid = row[t["typelem"]]
            continue
        if row[t["typtype"]] == "m":
            r = COLUMN_POS["pg_range"]
            rng = [x for x in cat.rows("pg_range") if x[r["rngmultitypid"]] == type_oid]
            if rng:
                type_oid = rng[0][r["rngtypid"]]
                continue
        owner = row[t["typowner"]]
        items = parse_acl(row[t["typacl"]], "type", role_name(cat, owner))
        return aclmask(cat, items, roleid, owner, "U") == "U"
    return True


def check_type_usage(cat: Any, type_oid: int, roleid: int, shown: str) -> None:
    if not type_aclcheck(cat, type_oid, roleid):
        raise permission_denied("type", shown)


def has_maintain(cat: Any, rel: Any, roleid: int) -> bool:
    """MAINTAIN on a relation (VACUUM, ANALYZE, CLUSTER, REINDEX, REFRESH, LOCK)."""
    return superuser_arg(cat, roleid) or pg_class_aclcheck(cat, rel, roleid, "m")
