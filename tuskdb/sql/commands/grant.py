"""GRANT / REVOKE on objects (PostgreSQL's ExecuteGrantStmt and ExecGrant_*).

Privileges live in the catalogs' ACL columns (relacl, attacl, nspacl, datacl,
proacl, typacl, lanacl) as aclitem[] (catalog/aclchk.py has the format and the
checks).  A grant is made by the object's owner, or by a role holding the grant
option (PostgreSQL's select_best_grantor); what the grantor may not grant draws
PostgreSQL's warnings.  Revoking a grant option that others' grants depend on
needs CASCADE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tuskdb.catalog import aclchk
from tuskdb.catalog.aclchk import ALL_RIGHTS, AclItem, format_acl, parse_acl
from tuskdb.catalog.rows import COLUMN_POS, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (
    FEATURE_NOT_SUPPORTED,
    INVALID_GRANT_OPERATION,
    UNDEFINED_OBJECT,
    PgError,
    notice,
)

# GRANT's object type -> (ACL kind, the noun in "invalid privilege type X for ...")
_KINDS = {"OBJECT_TABLE": "table", "OBJECT_SEQUENCE": "sequence", "OBJECT_SCHEMA": "schema",
          "OBJECT_DATABASE": "database", "OBJECT_FUNCTION": "function",
          "OBJECT_PROCEDURE": "function", "OBJECT_ROUTINE": "function",
          "OBJECT_LANGUAGE": "language", "OBJECT_TYPE": "type", "OBJECT_DOMAIN": "type"}
_NOUNS = {"OBJECT_TABLE": "relation", "OBJECT_SEQUENCE": "sequence", "OBJECT_SCHEMA": "schema",
          "OBJECT_DATABASE": "database", "OBJECT_FUNCTION": "function",
          "OBJECT_PROCEDURE": "procedure", "OBJECT_ROUTINE": "routine",
          "OBJECT_LANGUAGE": "language", "OBJECT_TYPE": "type", "OBJECT_DOMAIN": "domain"}


@dataclass
class Target:
    """One object whose ACL a GRANT changes."""

    catalog: str
    tid: Any
    row: tuple
    aclcol: str
    owner: int
    kind: str                 # ACL kind (aclchk.ALL_RIGHTS key)
    objtype: str              # noun of its permission errors: table, sequence, view, ...
    name: str
    rel: Any = None           # relations: the RelationInfo (column grants)
    columns: dict[str, str] = field(default_factory=dict)   # column -> letters


def _role_name(spec: dict, s: Any) -> str:
    t = spec.get("roletype")
    if t == "ROLESPEC_PUBLIC":
        return ""
    if t == "ROLESPEC_CSTRING":
        return spec["rolename"]
    if t == "ROLESPEC_SESSION_USER":
        return s.session_user
    return s.user


def _check_role(cat: Any, name: str) -> None:
    if name and aclchk.role_oid(cat, name, missing_ok=True) is None:
        raise PgError(UNDEFINED_OBJECT, f'role "{name}" does not exist')


def _privileges(body: dict, objtype: str) -> tuple[str | None, dict[str, str]]:
    """(object letters or None for ALL, {column: letters})."""
    kind = _KINDS[objtype]
    privs = body.get("privileges")
    if not privs:
        return None, {}
    out = ""
    cols: dict[str, str] = {}
    for p in privs:
        ap = p["AccessPriv"]
        name = (ap.get("priv_name") or "").lower()
        if not name and ap.get("cols"):
            name = "all"           # GRANT ALL (cols)
        if name == "all":
            letters = ALL_RIGHTS["column"]
        else:
            letters = aclchk.PRIV_NAMES.get(name)
            if letters is None:
                raise PgError("42601", f'unrecognized privilege type "{name}"')
        if ap.get("cols"):
            for letter in letters:
                if letter not in ALL_RIGHTS["column"]:
                    raise PgError(INVALID_GRANT_OPERATION, f"invalid privilege type "
                                  f"{aclchk.LETTER_NAMES[letter]} for column")
            for c in ap["cols"]:
                cname = c["String"]["sval"]
                cols[cname] = cols.get(cname, "") + letters
            continue
        allowed = ALL_RIGHTS[kind] if kind != "table" else ALL_RIGHTS["table"] + "U"
        if letters not in allowed:
            raise PgError(INVALID_GRANT_OPERATION, f"invalid privilege type "
                          f"{aclchk.LETTER_NAMES[letters]} for {_NOUNS[objtype]}")
        out += letters
    return out, cols


# -- finding the objects -----------------------------------------------------------------


def _relation_targets(s: Any, cat: Any, body: dict, objtype: str) -> list[Target]:
    from tuskdb.sql.analyze.select import lookup_relation
    from tuskdb.sql.analyze.state import AnalyzeState
    state = AnalyzeState(cat, s, [], None, "")
    out = []
    rels = []
    if body.get("targtype") == "ACL_TARGET_ALL_IN_SCHEMA":
        p = COLUMN_POS["pg_class"]
        kinds = "S" if objtype == "OBJECT_SEQUENCE" else "rvmfp"
        for obj in body["objects"]:
            nsp = _schema_oid(cat, obj["String"]["sval"])
            for row in cat.rows("pg_class"):
                if row[p["relnamespace"]] == nsp and row[p["relkind"]] in kinds:
                    rels.append(cat.relation_by_oid(row[p["oid"]]))
        rels.sort(key=lambda r: r.name)
    else:
        rels = [lookup_relation(obj["RangeVar"], state, False) for obj in body["objects"]]
    for rel in rels:
        if objtype == "OBJECT_SEQUENCE" and rel.relkind != "S":
            raise PgError("42809", f'"{rel.name}" is not a sequence')
        for tid, row in cat.find("pg_class", oid=rel.oid):
            out.append(Target("pg_class", tid, row, "relacl", rel.owner,
                              "sequence" if rel.relkind == "S" else "table",
                              aclchk.relkind_objtype(rel.relkind), rel.name, rel=rel))
    return out


def _schema_oid(cat: Any, name: str) -> int:
    oid = cat.namespace_oid(name)
    if oid is None:
        raise PgError("3F000", f'schema "{name}" does not exist')
    return oid


def _named_targets(cat: Any, body: dict, catalog: str, namecol: str, aclcol: str,
                   ownercol: str, kind: str, objtype: str, missing: tuple[str, str]
                   ) -> list[Target]:
    out = []
    p = COLUMN_POS[catalog]
    for obj in body["objects"]:
        name = obj["String"]["sval"]
        found = cat.find(catalog, **{namecol: name})
        if not found:
            raise PgError(missing[0], missing[1].format(name=name))
        tid, row = found[0]
        out.append(Target(catalog, tid, row, aclcol, row[p[ownercol]], kind, objtype, name))
    return out


def _function_targets(s: Any, cat: Any, body: dict, objtype: str) -> list[Target]:
    p = COLUMN_POS["pg_proc"]
    out = []
    if body.get("targtype") == "ACL_TARGET_ALL_IN_SCHEMA":
        want = {"OBJECT_FUNCTION": "fw", "OBJECT_PROCEDURE": "p"}.get(objtype, "fwpa")
        for obj in body["objects"]:
            nsp = _schema_oid(cat, obj["String"]["sval"])
            rows = [(t, r) for t, r in cat.find("pg_proc", pronamespace=nsp)
                    if r[p["prokind"]] in want]
            for tid, row in sorted(rows, key=lambda tr: tr[1][p["proname"]]):
                out.append(Target("pg_proc", tid, row, "proacl", row[p["proowner"]],
                                  "function", _routine_noun(row[p["prokind"]]),
                                  row[p["proname"]]))
        return out
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.commands.functioncmds import lookup_routine
    state = AnalyzeState(cat, s, [], None, "")
    for obj in body["objects"]:
        # GRANT ON FUNCTION names aggregates too, but not procedures
        tid, row = lookup_routine(s, state, obj["ObjectWithArgs"], "OBJECT_ROUTINE")
        kind = row[p["prokind"]]
        if (objtype == "OBJECT_FUNCTION" and kind == "p") or \
                (objtype == "OBJECT_PROCEDURE" and kind != "p"):
            from tuskdb.sql.commands.functioncmds import _sig
            args = list(row[p["proargtypes"]].items) if row[p["proargtypes"]] else []
            raise PgError("42809", f"{row[p['proname']]}({_sig(args)}) is not a "
                          f"{'function' if objtype == 'OBJECT_FUNCTION' else 'procedure'}")
        out.append(Target("pg_proc", tid, row, "proacl", row[p["proowner"]], "function",
                          _routine_noun(row[p["prokind"]]), row[p["proname"]]))
    return out


def _routine_noun(prokind: str) -> str:
    return {"p": "procedure", "a": "aggregate"}.get(prokind, "function")


def _type_targets(s: Any, cat: Any, body: dict, objtype: str) -> list[Target]:
    from tuskdb.sql.analyze.expr import resolve_type_name
    from tuskdb.sql.analyze.state import AnalyzeState
    state = AnalyzeState(cat, s, [], None, "")
    p = COLUMN_POS["pg_type"]
    out = []
    for obj in body["objects"]:
        names = [n["String"]["sval"] for n in obj["List"]["items"]] if "List" in obj else \
            [obj["String"]["sval"]]
        oid = resolve_type_name({"names": [{"String": {"sval": n}} for n in names],
                                 "typemod": -1}, state)[0]
        found = cat.find("pg_type", oid=oid)
        if not found:
            raise PgError(UNDEFINED_OBJECT, f'type "{".".join(names)}" does not exist')
        tid, row = found[0]
        typtype = row[p["typtype"]]
        tname = row[p["typname"]]
        if objtype == "OBJECT_DOMAIN" and typtype != "d":
            raise PgError("42809", f'"{tname}" is not a domain')
        if row[p["typelem"]] and row[p["typcategory"]] == "A" and typtype == "b":
            raise PgError(INVALID_GRANT_OPERATION, "cannot set privileges of array types",
                          hint="Set the privileges of the element type instead.")
        if typtype == "m":
            raise PgError(INVALID_GRANT_OPERATION, "cannot set privileges of multirange types",
                          hint="Set the privileges of the range type instead.")
        out.append(Target("pg_type", tid, row, "typacl", row[p["typowner"]], "type",
                          "domain" if typtype == "d" else "type", tname))
    return out


def _language_targets(s: Any, cat: Any, body: dict) -> list[Target]:
    out = _named_targets(cat, body, "pg_language", "lanname", "lanacl", "lanowner",
                         "language", "language",
                         (UNDEFINED_OBJECT, 'language "{name}" does not exist'))
    p = COLUMN_POS["pg_language"]
    for t in out:
        if not t.row[p["lanpltrusted"]]:
            raise PgError("42809", f'language "{t.name}" is not trusted',
                          detail="GRANT and REVOKE are not allowed on untrusted languages, "
                                 "because only superusers can use untrusted languages.")
    return out


TARGETS = {
    "OBJECT_TABLE": _relation_targets,
    "OBJECT_SEQUENCE": _relation_targets,
    "OBJECT_SCHEMA": lambda s, cat, body, ot: _named_targets(
        cat, body, "pg_namespace", "nspname", "nspacl", "nspowner", "schema", "schema",
        ("3F000", 'schema "{name}" does not exist')),
    "OBJECT_DATABASE": lambda s, cat, body, ot: _named_targets(
        cat, body, "pg_database", "datname", "datacl", "datdba", "database", "database",
        ("3D000", 'database "{name}" does not exist')),
    "OBJECT_FUNCTION": _function_targets,
    "OBJECT_PROCEDURE": _function_targets,
    "OBJECT_ROUTINE": _function_targets,
    "OBJECT_TYPE": _type_targets,
    "OBJECT_DOMAIN": _type_targets,
    "OBJECT_LANGUAGE": lambda s, cat, body, ot: _language_targets(s, cat, body),
}


# -- the statement -------------------------------------------------------------------------


def grant(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    is_grant = bool(body.get("is_grant"))
    objtype = body.get("objtype")
    if objtype in ("OBJECT_FDW", "OBJECT_FOREIGN_SERVER"):
        from tuskdb.sql.commands import foreigncmds
        return foreigncmds.grant(s, raw)
    finder = TARGETS.get(objtype)
    if finder is None:
        raise PgError(FEATURE_NOT_SUPPORTED, f"GRANT/REVOKE on {str(objtype)[7:].lower()} is not "
                      "supported")
    grantees = [_role_name(g["RoleSpec"], s) for g in body.get("grantees") or []]
    for g in grantees:
        _check_role(cat, g)
    if body.get("grantor"):
        gname = _role_name(body["grantor"].get("RoleSpec", body["grantor"]), s)
        _check_role(cat, gname)
        if gname != s.user:
            raise PgError(FEATURE_NOT_SUPPORTED, "grantor must be current user")
    grant_option = bool(body.get("grant_option"))
    if is_grant and grant_option and "" in grantees:
        raise PgError(INVALID_GRANT_OPERATION, "grant options can only be granted to roles")
    letters, col_letters = _privileges(body, objtype)
    cascade = body.get("behavior") == "DROP_CASCADE"
    userid = s.current_user_oid(cat)
    for t in finder(s, cat, body, objtype):
        if t.rel is not None and col_letters:
            _grant_columns(s, cat, t, col_letters, is_grant, grant_option, grantees, cascade,
                           userid)
        if letters is None or letters:
            _grant_object(s, cat, t, letters, is_grant, grant_option, grantees, cascade,
                          userid)
    return QueryResult(tag="GRANT" if is_grant else "REVOKE")


def _object_letters(t: Target, letters: str | None, s: Any) -> tuple[str, bool]:
    """The privileges to change on ``t`` and whether they are ALL."""
    allr = ALL_RIGHTS[t.kind]
    if letters is None:
        return allr, True
    if t.kind == "sequence":
        bad = [c for c in letters if c not in allr]
        if bad:
            s.add_notice(notice(f'sequence "{t.name}" only supports USAGE, SELECT, and UPDATE '
                                f"privileges", severity="WARNING", sqlstate="01007"))
            letters = "".join(c for c in letters if c in allr)
    elif t.kind == "table" and "U" in letters:
        raise PgError(INVALID_GRANT_OPERATION, "invalid privilege type USAGE for table")
    return letters, False


def _grant_object(s: Any, cat: Any, t: Target, letters: str | None, is_grant: bool,
                  grant_option: bool, grantees: list[str], cascade: bool, userid: int) -> None:
    letters, all_privs = _object_letters(t, letters, s)
    p = COLUMN_POS[t.catalog]
    row = cat.find(t.catalog, oid=t.row[p["oid"]])[0] if "oid" in p else (t.tid, t.row)
    tid, cur = row
    owner_name = aclchk.role_name(cat, t.owner)
    items = parse_acl(cur[p[t.aclcol]], t.kind, owner_name)
    grantor, avail = _select_best_grantor(cat, userid, letters, items, t.owner)
    this = _restrict_and_check(s, cat, t, is_grant, avail, all_privs, letters, grantor,
                               items, t.name, None)
    items = merge_acl_with_grant(cat, items, is_grant, grant_option, cascade, grantees, this,
                                 aclchk.role_name(cat, grantor), owner_name)
    cat.update(t.catalog, tid, replace(t.catalog, cur, **{t.aclcol: format_acl(items)}))
    if t.rel is not None and not is_grant:
        # revoking a table privilege revokes it from every column too
        colp = "".join(c for c in this if c in ALL_RIGHTS["column"])
        if colp:
            _revoke_all_columns(cat, t, colp, grant_option, cascade, grantees, grantor)


def _revoke_all_columns(cat: Any, t: Target, letters: str, grant_option: bool, cascade: bool,
                        grantees: list[str], grantor: int) -> None:
    a = COLUMN_POS["pg_attribute"]
    owner_name = aclchk.role_name(cat, t.owner)
    for tid, row in cat.find("pg_attribute", attrelid=t.rel.oid):
        if row[a["attnum"]] <= 0 or row[a["attacl"]] is None:
            continue
        items = parse_acl(row[a["attacl"]], "column", None)
        items = merge_acl_with_grant(cat, items, False, grant_option, cascade, grantees,
                                     letters, aclchk.role_name(cat, grantor), owner_name)
        cat.update("pg_attribute", tid, replace("pg_attribute", row,
                                                attacl=format_acl(items) if items else None))


def _grant_columns(s: Any, cat: Any, t: Target, col_letters: dict[str, str], is_grant: bool,
                   grant_option: bool, grantees: list[str], cascade: bool, userid: int) -> None:
    rel = t.rel
    a = COLUMN_POS["pg_attribute"]
    owner_name = aclchk.role_name(cat, t.owner)
    table_items = parse_acl(t.row[COLUMN_POS["pg_class"]["relacl"]], t.kind, owner_name)
    for cname, letters in col_letters.items():
        col = rel.column(cname)
        if col is None:
            raise PgError("42703", f'column "{cname}" of relation "{rel.name}" does not exist')
        if t.kind == "sequence":
            raise PgError(INVALID_GRANT_OPERATION, "column privileges are only valid for "
                          "relations")
        found = cat.find("pg_attribute", attrelid=rel.oid, attnum=col.attnum)
        tid, row = found[0]
        items = parse_acl(row[a["attacl"]], "column", None)
        letters = "".join(c for c in aclchk.ORDER if c in letters)
        # the grantor's grant options: the column's and the table's
        grantor, avail = _select_best_grantor(cat, userid, letters, items + table_items,
                                              t.owner)
        this = _restrict_and_check(s, cat, t, is_grant, avail, False, letters, grantor,
                                   items + table_items, t.name, cname)
        items = merge_acl_with_grant(cat, items, is_grant, grant_option, cascade, grantees,
                                     this, aclchk.role_name(cat, grantor), owner_name)
        cat.update("pg_attribute", tid, replace("pg_attribute", row,
                                                attacl=format_acl(items) if items else None))


def _select_best_grantor(cat: Any, userid: int, letters: str, items: list[AclItem],
                         owner: int) -> tuple[int, str]:
    """(grantor, the grant options of ``letters`` it holds): the owner when the
    current user has its privileges, else the role (the user first) with the most."""
    if aclchk.has_privs_of_role(cat, userid, owner):
        return owner, letters
    best, best_opts = userid, ""
    for r in [userid] + sorted(aclchk.roles_is_member_of(cat, userid, "privs") - {userid}):
        opts = aclchk.aclmask(cat, items, r, owner, letters, goptions=True)
        if opts == letters:
            return r, opts
        if len(opts) > len(best_opts):
            best, best_opts = r, opts
    return best, best_opts


def _restrict_and_check(s: Any, cat: Any, t: Target, is_grant: bool, avail: str,
                        all_privs: bool, letters: str, grantor: int, items: list[AclItem],
                        objname: str, column: str | None) -> str:
    """PostgreSQL's restrict_and_check_grant: what may be granted, with its warnings."""
    if not avail and not aclchk.superuser_arg(cat, grantor):
        whole = ALL_RIGHTS["column" if column else t.kind]
        have = aclchk.aclmask(cat, items, grantor, t.owner, whole) or \
            aclchk.aclmask(cat, items, grantor, t.owner, whole, goptions=True)
        if not have:
            if column:
                raise aclchk.column_permission_denied(column, objname)
            raise aclchk.permission_denied(t.objtype, objname)
    this = "".join(c for c in letters if c in avail)
    what = f'column "{column}" of relation "{objname}"' if column else f'"{objname}"'
    if is_grant:
        if not this:
            s.add_notice(notice(f"no privileges were granted for {what}", severity="WARNING",
                                sqlstate="01007"))
        elif not all_privs and this != letters:
            s.add_notice(notice(f"not all privileges were granted for {what}",
                                severity="WARNING", sqlstate="01007"))
    else:
        if not this:
            s.add_notice(notice(f"no privileges could be revoked for {what}",
                                severity="WARNING", sqlstate="01006"))
        elif not all_privs and this != letters:
            s.add_notice(notice(f"not all privileges could be revoked for {what}",
                                severity="WARNING", sqlstate="01006"))
    return this


def merge_acl_with_grant(cat: Any, items: list[AclItem], is_grant: bool, grant_option: bool,
                         cascade: bool, grantees: list[str], letters: str, grantor: str,
                         owner: str) -> list[AclItem]:
    """PostgreSQL's aclupdate for each grantee (items keyed by grantee and grantor)."""
    items = [AclItem(i.grantee, i.privs, i.goptions, i.grantor) for i in items]
    if not letters:
        return items
    for g in grantees:
        item = next((i for i in items if i.grantee == g and i.grantor == grantor), None)
        if is_grant:
            if item is None:
                item = AclItem(g, "", "", grantor)
                items.append(item)
            item.privs = _union(item.privs, letters)
            if grant_option:
                item.goptions = _union(item.goptions, letters)
            continue
        if item is None:
            continue
        lost = "".join(c for c in letters if c in item.goptions)
        item.goptions = "".join(c for c in item.goptions if c not in letters)
        if not grant_option:
            item.privs = "".join(c for c in item.privs if c not in letters)
        if lost and g != owner:
            items = _recursive_revoke(cat, items, g, lost, cascade, owner)
    return [i for i in items if i.privs]


def _recursive_revoke(cat: Any, items: list[AclItem], grantee: str, lost: str, cascade: bool,
                      owner: str) -> list[AclItem]:
    """Grants ``grantee`` made with grant options it no longer has go too (CASCADE)."""
    # the grantee may still hold the options through another grantor
    still = "".join(i.goptions for i in items if i.grantee == grantee)
    lost = "".join(c for c in lost if c not in still)
    if not lost:
        return items
    for dep in [i for i in items if i.grantor == grantee and any(c in i.privs for c in lost)]:
        if not cascade:
            raise PgError("2BP01", "dependent privileges exist",
                          hint="Use CASCADE to revoke them too.")
        items = merge_acl_with_grant(cat, items, False, False, True, [dep.grantee], lost,
                                     grantee, owner)
    return items


def _union(a: str, b: str) -> str:
    return "".join(c for c in aclchk.ORDER if c in a or c in b)

