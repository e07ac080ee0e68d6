"""Roles and privileges as the SQL/MED commands need them (PostgreSQL's acl.c and
aclchk.c, for foreign-data wrappers and foreign servers).

Roles and membership are catalog/aclchk.py's.  An ACL is the object's aclitem[] column (``grantee=privs/grantor``, ``*``
after a letter marking the grant option, an empty grantee meaning PUBLIC); NULL
means the default: the owner holds every privilege (USAGE, "U") and nobody else.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog import aclchk
from tuskdb.errors import (
    DEPENDENT_OBJECTS_STILL_EXIST,
    INSUFFICIENT_PRIVILEGE,
    PgError,
    notice,
)
from tuskdb.types import Array

PUBLIC = 0
USAGE = "U"


def current_role_name(s: Any) -> str:
    """The effective role (the session's current_user)."""
    return s.user


def role_oid(cat: Any, name: str, missing_ok: bool = False) -> int | None:
    return aclchk.role_oid(cat, name, missing_ok)


def role_name(cat: Any, oid: int) -> str:
    return "public" if oid == PUBLIC else aclchk.role_name(cat, oid)


def current_role(s: Any, cat: Any) -> int:
    return s.current_user_oid(cat)


def rolespec_oid(s: Any, cat: Any, spec: dict, missing_ok: bool = False) -> int | None:
    """A RoleSpec (name, CURRENT_USER, SESSION_USER, PUBLIC) -> role OID (0 = PUBLIC)."""
    spec = spec.get("RoleSpec", spec)
    t = spec.get("roletype")
    if t == "ROLESPEC_PUBLIC":
        return PUBLIC
    if t == "ROLESPEC_CSTRING":
        return role_oid(cat, spec["rolename"], missing_ok)
    if t == "ROLESPEC_SESSION_USER":
        return role_oid(cat, s.session_user)
    return current_role(s, cat)


def is_superuser(cat: Any, oid: int) -> bool:
    return aclchk.superuser_arg(cat, oid)


def roles_of(cat: Any, member: int, how: str = "inherit") -> set[int]:
    """``member`` and every role it is a member of (transitively), following grants
    with the INHERIT option ("inherit"), the SET option ("set") or any ("any")."""
    return set(aclchk.roles_is_member_of(cat, member, {"inherit": "privs"}.get(how, how)))


def has_privs_of_role(cat: Any, member: int, role: int) -> bool:
    return aclchk.has_privs_of_role(cat, member, role)


def can_set_role(cat: Any, member: int, role: int) -> bool:
    return aclchk.member_can_set_role(cat, member, role)


def check_can_set_role(cat: Any, member: int, role: int) -> None:
    aclchk.check_can_set_role(cat, member, role)


# --- aclitem[] --------------------------------------------------------------------------

class AclItem:
    __slots__ = ("goptions", "grantee", "grantor", "privs")

    def __init__(self, grantee: int, grantor: int, privs: str, goptions: str) -> None:
        self.grantee, self.grantor, self.privs, self.goptions = grantee, grantor, privs, goptions


def parse_acl(cat: Any, acl: Any, owner: int, all_privs: str = USAGE) -> list[AclItem]:
    """The ACL as items; NULL is the default (the owner holds everything)."""
    if acl is None:
        return [AclItem(owner, owner, all_privs, "")]
    out = []
    for text in acl.items:
        grantee, rest = text.split("=", 1)
        letters, grantor = rest.split("/", 1)
        privs = "".join(c for c in letters if c != "*")
        gopts = "".join(letters[i - 1] for i, c in enumerate(letters) if c == "*")
        out.append(AclItem(role_oid(cat, _unquote(grantee)) if grantee else PUBLIC,
                           role_oid(cat, _unquote(grantor)), privs, gopts))
    return out


def _unquote(name: str) -> str:
    if name.startswith('"') and name.endswith('"'):
        return name[1:-1].replace('""', '"')
    return name


def _quote(name: str) -> str:
    if name and all(c.isalnum() or c == "_" for c in name):
        return name
    return '"' + name.replace('"', '""') + '"'


def format_acl(cat: Any, items: list[AclItem]) -> Array:
    out = []
    for it in items:
        letters = "".join(c + ("*" if c in it.goptions else "") for c in it.privs)
        grantee = "" if it.grantee == PUBLIC else _quote(role_name(cat, it.grantee))
        out.append(f"{grantee}={letters}/{_quote(role_name(cat, it.grantor))}")
    return Array(out)


def aclmask(cat: Any, items: list[AclItem], role: int) -> tuple[str, str]:
    """(privileges, grant options) ``role`` holds through the ACL (directly, through
    PUBLIC, or through roles whose privileges it has)."""
    mine = roles_of(cat, role)
    privs, gopts = set(), set()
    for it in items:
        if it.grantee == PUBLIC or it.grantee in mine:
            privs.update(it.privs)
            if it.grantee != PUBLIC:
                gopts.update(it.goptions)
    return "".join(sorted(privs)), "".join(sorted(gopts))


def object_aclcheck(cat: Any, acl: Any, owner: int, role: int, priv: str = USAGE) -> bool:
    if is_superuser(cat, role):
        return True
    return priv in aclmask(cat, parse_acl(cat, acl, owner), role)[0]


def acl_new_owner(cat: Any, acl: Any, old: int, new: int) -> Any:
    """aclnewowner: the old owner's entries (as grantee or grantor) become the new
    owner's, merging entries that become equal."""
    if acl is None:
        return None
    items: list[AclItem] = []
    for it in parse_acl(cat, acl, old):
        g = new if it.grantee == old else it.grantee
        gr = new if it.grantor == old else it.grantor
        same = next((x for x in items if x.grantee == g and x.grantor == gr), None)
        if same is None:
            items.append(AclItem(g, gr, it.privs, it.goptions))
        else:
            same.privs = "".join(c for c in "U" if c in same.privs + it.privs)
            same.goptions = "".join(c for c in "U" if c in same.goptions + it.goptions)
    return format_acl(cat, items)


def grant_on_object(s: Any, cat: Any, acl: Any, owner: int, name: str, objword: str,
                    is_grant: bool, grantees: list[int], privs: str, grant_option: bool,
                    cascade: bool, all_privs_named: bool) -> Array:
    """ExecGrant for one object whose only privilege is USAGE: pick the grantor,
    restrict to its grant options (WARNINGs/errors as PostgreSQL), update the ACL."""
    me = current_role(s, cat)
    items = parse_acl(cat, acl, owner)
    # select_best_grantor
    if has_privs_of_role(cat, me, owner):
        grantor, avail = owner, USAGE
    else:
        grantor, avail = me, ""
        for r in sorted(roles_of(cat, me), key=lambda r: r != me):
            gopts = "".join(c for it in items if it.grantee == r for c in it.goptions)
            if len(set(gopts) & set(privs)) > len(set(avail) & set(privs)):
                grantor, avail = r, gopts
    if not avail:
        held = aclmask(cat, items, me)
        if not held[0] and not held[1]:
            raise PgError(INSUFFICIENT_PRIVILEGE, f"permission denied for {objword} {name}")
    this = "".join(c for c in privs if c in avail)
    if is_grant and not this:
        s.add_notice(notice(f'no privileges were granted for "{name}"', sqlstate="01007",
                            severity="WARNING"))
    elif is_grant and not all_privs_named and this != privs:
        s.add_notice(notice(f'not all privileges were granted for "{name}"', sqlstate="01007",
                            severity="WARNING"))
    elif not is_grant and not this:
        s.add_notice(notice(f'no privileges could be revoked for "{name}"', sqlstate="01006",
                            severity="WARNING"))
    elif not is_grant and not all_privs_named and this != privs:
        s.add_notice(notice(f'not all privileges could be revoked for "{name}"',
                            sqlstate="01006", severity="WARNING"))
    for g in grantees:
        it = next((x for x in items if x.grantee == g and x.grantor == grantor), None)
        if is_grant:
            if not this:
                continue
            if it is None:
                it = AclItem(g, grantor, "", "")
                items.append(it)
            it.privs = "".join(c for c in "U" if c in it.privs + this)
            if grant_option:
                it.goptions = "".join(c for c in "U" if c in it.goptions + this)
        elif it is not None:
            lost_options = "".join(c for c in it.goptions if c in this)
            it.goptions = "".join(c for c in it.goptions if c not in this)
            if not grant_option:
                it.privs = "".join(c for c in it.privs if c not in this)
            if lost_options:
                _recursive_revoke(items, g, lost_options, cascade)
    items = [x for x in items if x.privs]
    return format_acl(cat, items)


def _recursive_revoke(items: list[AclItem], grantor: int, privs: str, cascade: bool) -> None:
    """Privileges ``grantor`` granted with options it no longer holds go too (CASCADE),
    or the REVOKE fails."""
    for it in items:
        if it.grantor == grantor and it.grantee != grantor and set(it.privs) & set(privs):
            if not cascade:
                raise PgError(DEPENDENT_OBJECTS_STILL_EXIST, "dependent privileges exist",
                              hint="Use CASCADE to revoke them too.")
            lost = "".join(c for c in it.goptions if c in privs)
            it.privs = "".join(c for c in it.privs if c not in privs)
            it.goptions = "".join(c for c in it.goptions if c not in privs)
            if lost:
                _recursive_revoke(items, it.grantee, lost, cascade)


def acl_mentions(cat: Any, acl: Any, owner: int, role: int) -> bool:
    """Whether a role other than the owner appears in the ACL (a shared dependency)."""
    if acl is None or role == owner:
        return False
    return any(it.grantee == role or it.grantor == role for it in parse_acl(cat, acl, owner))
