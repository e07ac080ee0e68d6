"""ALTER DEFAULT PRIVILEGES (PostgreSQL's SetDefaultACLsInSchemas / SetDefaultACL) and
the default ACL a new object starts with (get_user_default_acl).

pg_default_acl holds one row per (role, schema or 0, object type r/S/f/T/n/L).  A
row without a schema replaces the built-in default of that role's new objects; a
row with a schema adds to it for objects created in that schema.  A global row equal
to the built-in default, or a schema row left empty, is removed.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog import aclchk
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import INVALID_GRANT_OPERATION, PgError

# GRANT object type -> (pg_default_acl.defaclobjtype, ACL kind)
_OBJTYPES = {"OBJECT_TABLE": ("r", "table"), "OBJECT_SEQUENCE": ("S", "sequence"),
             "OBJECT_FUNCTION": ("f", "function"), "OBJECT_ROUTINE": ("f", "function"),
             "OBJECT_PROCEDURE": ("f", "function"), "OBJECT_TYPE": ("T", "type"),
             "OBJECT_SCHEMA": ("n", "schema"), "OBJECT_LARGEOBJECT": ("L", "largeobject")}
KIND_OF = {"r": "table", "S": "sequence", "f": "function", "T": "type", "n": "schema",
           "L": "largeobject"}
_NOUNS = {"OBJECT_TABLE": "relation", "OBJECT_SEQUENCE": "sequence",
          "OBJECT_FUNCTION": "function", "OBJECT_ROUTINE": "function",
          "OBJECT_PROCEDURE": "procedure", "OBJECT_TYPE": "type", "OBJECT_SCHEMA": "schema",
          "OBJECT_LARGEOBJECT": "large object"}


def alter_default_privileges(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.commands.grant import _role_name, merge_acl_with_grant
    from tuskdb.sql.commands.rolecmds import _role_oid, _spec_name
    body = raw.body
    action = body["action"]
    cat = s.catalog()
    roles: list[int] = []
    schemas: list[str] = []
    for o in body.get("options") or []:
        d = o["DefElem"]
        if d["defname"] == "roles":
            roles = [_role_oid(cat, _spec_name(s, r)) for r in d["arg"]["List"]["items"]]
        elif d["defname"] == "schemas":
            schemas = [i["String"]["sval"] for i in d["arg"]["List"]["items"]]
    objtype = action["objtype"]
    if objtype not in _OBJTYPES:
        raise PgError("0A000", f"ALTER DEFAULT PRIVILEGES ON {objtype[7:]} is not supported")
    defobj, kind = _OBJTYPES[objtype]
    if schemas and defobj in ("n", "L"):
        raise PgError(INVALID_GRANT_OPERATION, "cannot use IN SCHEMA clause when using "
                      f"GRANT/REVOKE ON {'SCHEMAS' if defobj == 'n' else 'LARGE OBJECTS'}")
    letters = ""
    all_privs = not action.get("privileges")
    if all_privs:
        letters = aclchk.ALL_RIGHTS[kind]
    for p in action.get("privileges") or []:
        ap = p["AccessPriv"]
        if ap.get("cols"):
            raise PgError(INVALID_GRANT_OPERATION, "default privileges cannot be set for "
                          "columns")
        name = (ap.get("priv_name") or "").lower()
        letter = aclchk.PRIV_NAMES.get(name)
        if letter is None:
            raise PgError("42601", f'unrecognized privilege type "{name}"')
        if letter not in aclchk.ALL_RIGHTS[kind]:
            raise PgError(INVALID_GRANT_OPERATION, f"invalid privilege type "
                          f"{aclchk.LETTER_NAMES[letter]} for {_NOUNS[objtype]}")
        letters += letter
    grantees = [_role_name(g["RoleSpec"], s) for g in action.get("grantees") or []]
    for g in grantees:
        if g and aclchk.role_oid(cat, g, missing_ok=True) is None:
            raise PgError("42704", f'role "{g}" does not exist')
    is_grant = bool(action.get("is_grant"))
    grant_option = bool(action.get("grant_option"))
    cascade = action.get("behavior") == "DROP_CASCADE"
    me = s.current_user_oid(cat)
    if not roles:
        roles = [me]
    for roleid in roles:
        if not aclchk.has_privs_of_role(cat, me, roleid):
            raise PgError("42501", "permission denied to change default privileges")
        owner = aclchk.role_name(cat, roleid)
        nsps = [0]
        if schemas:
            nsps = []
            for name in schemas:
                nsp = cat.namespace_oid(name)
                if nsp is None:
                    raise PgError("3F000", f'schema "{name}" does not exist')
                if nsp not in nsps:
                    nsps.append(nsp)
        for nsp in nsps:
            found = cat.find("pg_default_acl", defaclrole=roleid, defaclnamespace=nsp,
                             defaclobjtype=defobj)
            if found:
                items = aclchk.parse_acl(found[0][1][COLUMN_POS["pg_default_acl"]["defaclacl"]],
                                         kind, None)
            elif nsp == 0:
                items = aclchk.acldefault(kind, owner)
            else:
                items = []
            items = merge_acl_with_grant(cat, items, is_grant, grant_option, cascade,
                                         grantees, "".join(c for c in aclchk.ORDER
                                                           if c in letters), owner, owner)
            empty = not items if nsp else _same(items, aclchk.acldefault(kind, owner))
            if found:
                tid, row = found[0]
                if empty:
                    cat.delete("pg_default_acl", tid)
                else:
                    cat.update("pg_default_acl", tid, replace(
                        "pg_default_acl", row, defaclacl=aclchk.format_acl(items)))
            elif not empty:
                cat.insert("pg_default_acl", make_row(
                    "pg_default_acl", oid=cat.m.next_oid(), defaclrole=roleid,
                    defaclnamespace=nsp, defaclobjtype=defobj,
                    defaclacl=aclchk.format_acl(items)))
            cat.command_counter_increment()
    return QueryResult(tag="ALTER DEFAULT PRIVILEGES")


def _same(a: list[aclchk.AclItem], b: list[aclchk.AclItem]) -> bool:
    key = lambda items: sorted((i.grantee, i.grantor, i.privs, i.goptions)
                               for i in items if i.privs)
    return key(a) == key(b)


def default_acl(cat: Any, defobj: str, owner: int, nsp: int) -> Any:
    """The ACL a new object of ``owner`` in schema ``nsp`` starts with: NULL (the
    built-in default) unless ALTER DEFAULT PRIVILEGES changed it."""
    p = COLUMN_POS["pg_default_acl"]
    glob = schema = None
    for row in cat.rows("pg_default_acl"):
        if row[p["defaclrole"]] != owner or row[p["defaclobjtype"]] != defobj:
            continue
        if row[p["defaclnamespace"]] == 0:
            glob = row[p["defaclacl"]]
        elif row[p["defaclnamespace"]] == nsp and nsp:
            schema = row[p["defaclacl"]]
    if glob is None and schema is None:
        return None
    kind = KIND_OF[defobj]
    oname = aclchk.role_name(cat, owner)
    items = aclchk.parse_acl(glob, kind, oname) if glob is not None else \
        aclchk.acldefault(kind, oname)
    for extra in aclchk.parse_acl(schema, kind, None) if schema is not None else []:
        same = next((i for i in items if i.grantee == extra.grantee and
                     i.grantor == extra.grantor), None)
        if same is None:
            items.append(extra)
        else:
            same.privs = "".join(c for c in aclchk.ORDER if c in same.privs or c in extra.privs)
            same.goptions = "".join(c for c in aclchk.ORDER
                                    if c in same.goptions or c in extra.goptions)
    if _same(items, aclchk.acldefault(kind, oname)):
        return None
    return aclchk.format_acl(items)


def default_acl_dependents(cat: Any, roleid: int, name: str) -> list[str]:
    """DROP ROLE's pg_default_acl dependencies, as PostgreSQL describes them."""
    words = {"r": "new relations", "S": "new sequences", "f": "new functions",
             "T": "new types", "n": "new schemas", "L": "new large objects"}
    p = COLUMN_POS["pg_default_acl"]
    out = []
    for row in cat.rows("pg_default_acl"):
        mentioned = row[p["defaclrole"]] == roleid or any(
            i.grantee == name for i in aclchk.parse_acl(row[p["defaclacl"]], "table", None))
        if not mentioned:
            continue
        owner = aclchk.role_name(cat, row[p["defaclrole"]])
        desc = f"default privileges on {words[row[p['defaclobjtype']]]} belonging to role " \
               f"{owner}"
        if row[p["defaclnamespace"]]:
            desc += f" in schema {cat.namespace_name(row[p['defaclnamespace']])}"
        out.append(("owner of " if row[p["defaclrole"]] == roleid else "privileges for ") +
                   desc)
    return out
