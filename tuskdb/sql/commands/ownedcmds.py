"""DROP OWNED / REASSIGN OWNED (PostgreSQL's shdepDropOwned / shdepReassignOwned).

TuskDB keeps no pg_shdepend: what a role owns or holds privileges on is found by
scanning the owner and ACL columns of the current database's catalogs.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog import aclchk
from tuskdb.catalog.rows import COLUMN_POS, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import UNDEFINED_OBJECT, PgError

_RELKINDS = {"r": "table", "p": "table", "v": "view", "m": "materialized view",
             "S": "sequence", "f": "foreign table"}


def _sig(cat: Any, row: tuple) -> str:
    from tuskdb.sql.analyze.coerce import type_name
    p = COLUMN_POS["pg_proc"]
    args = list(row[p["proargtypes"]].items) if row[p["proargtypes"]] else []
    return f"{row[p['proname']]}({', '.join(type_name(t) for t in args)})"


def _mentions(acl: Any, name: str, owner: int | None = None, roleid: int | None = None
              ) -> bool:
    """Does an ACL hold privileges granted to or by the role?  The owner's own
    entries are no dependency of the owner (it owns the object anyway)."""
    if acl is None or (owner is not None and owner == roleid):
        return False
    return any(i.grantee == name or i.grantor == name
               for i in aclchk.parse_acl(acl, "table", None))


def owned_objects(s: Any, cat: Any, roleid: int, name: str) -> list[tuple[str, str, int, str]]:
    """(description, catalog, oid, 'owner' | 'acl') of the current database's objects
    owned by the role or with privileges granted to or by it, in OID order."""
    out: list[tuple[int, int, str, str, int, str]] = []
    c = COLUMN_POS["pg_class"]
    relnames: dict[int, str] = {}
    relowners: dict[int, int] = {}
    for row in cat.rows("pg_class"):
        kind = _RELKINDS.get(row[c["relkind"]])
        if kind is None:
            continue
        oid = row[c["oid"]]
        relnames[oid] = row[c["relname"]]
        relowners[oid] = row[c["relowner"]]
        desc = f"{kind} {row[c['relname']]}"
        if row[c["relowner"]] == roleid:
            out.append((oid, 0, "owner of " + desc, "pg_class", oid, "owner"))
        if _mentions(row[c["relacl"]], name, row[c["relowner"]], roleid):
            out.append((oid, 1, "privileges for " + desc, "pg_class", oid, "acl"))
    a = COLUMN_POS["pg_attribute"]
    for row in cat.rows("pg_attribute"):
        if row[a["attacl"]] is not None and row[a["attrelid"]] in relnames and \
                _mentions(row[a["attacl"]], name, relowners[row[a["attrelid"]]], roleid):
            rel = row[a["attrelid"]]
            out.append((rel, 2 + row[a["attnum"]], (f"privileges for column {row[a['attname']]} "
                        f"of table {relnames[rel]}"), "pg_attribute", rel, "acl"))
    n = COLUMN_POS["pg_namespace"]
    for row in cat.rows("pg_namespace"):
        oid = row[n["oid"]]
        if row[n["nspowner"]] == roleid and oid >= 16384:
            out.append((oid, 0, f"owner of schema {row[n['nspname']]}", "pg_namespace", oid,
                        "owner"))
        if _mentions(row[n["nspacl"]], name, row[n["nspowner"]], roleid):
            out.append((oid, 1, f"privileges for schema {row[n['nspname']]}", "pg_namespace",
                        oid, "acl"))
    # objects that belong to another (a range's constructors, its multirange) are not
    # recorded against the owner (PostgreSQL's internal dependencies)
    dp = COLUMN_POS["pg_depend"]
    internal = {r[dp["objid"]] for r in cat.rows("pg_depend") if r[dp["deptype"]] == "i"}
    p = COLUMN_POS["pg_proc"]
    for row in cat.rows("pg_proc"):
        oid = row[p["oid"]]
        if oid < 16384 or oid in internal:
            continue
        noun = {"p": "procedure", "a": "aggregate"}.get(row[p["prokind"]], "function")
        if row[p["proowner"]] == roleid:
            out.append((oid, 0, f"owner of {noun} {_sig(cat, row)}", "pg_proc", oid, "owner"))
        if _mentions(row[p["proacl"]], name, row[p["proowner"]], roleid):
            out.append((oid, 1, f"privileges for {noun} {_sig(cat, row)}", "pg_proc", oid,
                        "acl"))
    t = COLUMN_POS["pg_type"]
    for row in cat.rows("pg_type"):
        oid = row[t["oid"]]
        if oid < 16384 or row[t["typrelid"]] and row[t["typtype"]] == "c" and \
                row[t["typrelid"]] in relnames:
            continue
        if row[t["typcategory"]] == "A" and row[t["typelem"]] or oid in internal or \
                row[t["typtype"]] == "m":
            continue
        noun = "domain" if row[t["typtype"]] == "d" else "type"
        if row[t["typowner"]] == roleid:
            out.append((oid, 0, f"owner of {noun} {row[t['typname']]}", "pg_type", oid,
                        "owner"))
        if _mentions(row[t["typacl"]], name, row[t["typowner"]], roleid):
            out.append((oid, 1, f"privileges for {noun} {row[t['typname']]}", "pg_type", oid,
                        "acl"))
    from tuskdb.sql.commands.foreigncmds import owned_sqlmed_objects
    out += owned_sqlmed_objects(cat, roleid, lambda acl, owner: _mentions(acl, name, owner,
                                                                           roleid))
    from tuskdb.sql.commands.publicationcmds import owned_publications
    from tuskdb.sql.commands.subscriptioncmds import owned_subscriptions
    out += owned_publications(cat, roleid) + owned_subscriptions(cat, roleid)
    out.sort(key=lambda e: (e[0], e[1]))
    return [(desc, catalog, oid, how) for _, _, desc, catalog, oid, how in out]


def _roles(s: Any, cat: Any, specs: list) -> list[tuple[int, str]]:
    from tuskdb.sql.commands.rolecmds import _spec_name
    out = []
    for r in specs:
        name = _spec_name(s, r)
        oid = aclchk.role_oid(cat, name, missing_ok=True)
        if oid is None:
            raise PgError(UNDEFINED_OBJECT, f'role "{name}" does not exist')
        out.append((oid, name))
    return out


def drop_owned(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql import parser
    body = raw.body
    cat = s.catalog()
    me = s.current_user_oid(cat)
    roles = _roles(s, cat, body.get("roles") or [])
    for oid, name in roles:
        if not aclchk.has_privs_of_role(cat, me, oid):
            raise PgError("42501", "permission denied to drop objects",
                          detail=f'Only roles with privileges of role "{name}" may drop '
                                 f"objects owned by it.")
    behavior = " CASCADE" if body.get("behavior") == "DROP_CASCADE" else ""
    for oid, name in roles:
        _revoke_everything(cat, oid, name)
        drops = [(catalog, objoid) for _d, catalog, objoid, how
                 in owned_objects(s, cat, oid, name) if how == "owner"]
        # schemas after what they contain; sequences after the tables whose defaults
        # use them (PostgreSQL deletes them all at once, so neither blocks the other)
        drops.sort(key=lambda d: (d[0] == "pg_namespace", d[0] == "pg_class" and
                                  getattr(cat.relation_by_oid(d[1]), "relkind", "") == "S"))
        from tuskdb.engine import utility
        for catalog, objoid in drops:
            cat = s.catalog()
            if not cat.find(catalog, oid=objoid):
                continue            # gone with something dropped before it
            sql = _drop_sql(cat, catalog, objoid)
            if sql is None:
                continue
            for stmt in parser.parse(sql + behavior):
                try:
                    utility.run_utility(s, stmt, False)
                except PgError as err:
                    if err.sqlstate == "2BP01" and err.message.startswith("cannot drop "):
                        # one multiple-deletion in PostgreSQL: its wording
                        err.message = ("cannot drop desired object(s) because other objects "
                                       "depend on them")
                    raise
    return QueryResult(tag="DROP OWNED")


def _qi(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _drop_sql(cat: Any, catalog: str, oid: int) -> str | None:
    if catalog == "pg_class":
        rel = cat.relation_by_oid(oid)
        if rel is None:
            return None
        kw = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW",
              "S": "SEQUENCE", "f": "FOREIGN TABLE"}[rel.relkind]
        return f"DROP {kw} {_qi(rel.nspname)}.{_qi(rel.name)}"
    if catalog in ("pg_foreign_data_wrapper", "pg_foreign_server", "pg_user_mapping"):
        from tuskdb.sql.commands.foreigncmds import drop_sql
        return drop_sql(cat, catalog, oid)
    if catalog == "pg_namespace":
        return f"DROP SCHEMA {_qi(cat.namespace_name(oid) or '')}"
    if catalog == "pg_publication":
        found = cat.find(catalog, oid=oid)
        if found:
            return f"DROP PUBLICATION {_qi(found[0][1][COLUMN_POS[catalog]['pubname']])}"
    # subscriptions (shared objects) survive DROP OWNED; REASSIGN OWNED moves them
    if catalog == "pg_proc":
        p = COLUMN_POS["pg_proc"]
        for row in cat.rows("pg_proc"):
            if row[p["oid"]] == oid:
                from tuskdb.sql.analyze.coerce import type_name
                args = list(row[p["proargtypes"]].items) if row[p["proargtypes"]] else []
                kw = {"p": "PROCEDURE", "a": "AGGREGATE"}.get(row[p["prokind"]], "FUNCTION")
                nsp = cat.namespace_name(row[p["pronamespace"]]) or "public"
                return (f"DROP {kw} {_qi(nsp)}.{_qi(row[p['proname']])}"
                        f"({', '.join(type_name(t) for t in args)})")
    if catalog == "pg_type":
        t = COLUMN_POS["pg_type"]
        for row in cat.rows("pg_type"):
            if row[t["oid"]] == oid:
                kw = "DOMAIN" if row[t["typtype"]] == "d" else "TYPE"
                nsp = cat.namespace_name(row[t["typnamespace"]]) or "public"
                return f"DROP {kw} {_qi(nsp)}.{_qi(row[t['typname']])}"
    return None


def _revoke_everything(cat: Any, roleid: int, name: str) -> None:
    """DROP OWNED's other half: privileges granted to the role go, and so do the
    role memberships it granted."""
    from tuskdb.sql.commands.rolecmds import _acl_columns
    for catalog, col in _acl_columns():
        pos = COLUMN_POS[catalog][col]
        for tid, row in cat.scan(catalog):
            acl = row[pos]
            if acl is None or not _mentions(acl, name):
                continue
            items = aclchk.parse_acl(acl, "table", None)
            # what the role was granted goes, and what it granted on from it
            kept = [i for i in items if i.grantee != name and i.grantor != name]
            if len(kept) != len(items):
                value = aclchk.format_acl(kept) if kept or catalog != "pg_attribute" else None
                cat.update(catalog, tid, replace(catalog, row, **{col: value}))
    p = COLUMN_POS["pg_auth_members"]
    for tid, row in cat.scan("pg_auth_members"):
        if row[p["grantor"]] == roleid:
            cat.delete("pg_auth_members", tid)
    cat.command_counter_increment()      # the ACL updates above are seen
    d = COLUMN_POS["pg_default_acl"]
    for tid, row in cat.scan("pg_default_acl"):
        if row[d["defaclrole"]] == roleid:
            cat.delete("pg_default_acl", tid)
    cat.command_counter_increment()


def reassign_owned(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.commands.rolecmds import _spec_name
    body = raw.body
    cat = s.catalog()
    me = s.current_user_oid(cat)
    olds = _roles(s, cat, body.get("roles") or [])
    new_name = _spec_name(s, body["newrole"])
    new = aclchk.role_oid(cat, new_name, missing_ok=True)
    if new is None:
        raise PgError(UNDEFINED_OBJECT, f'role "{new_name}" does not exist')
    for oid, name in olds:
        if not aclchk.has_privs_of_role(cat, me, oid):
            raise PgError("42501", "permission denied to reassign objects",
                          detail=f'Only roles with privileges of role "{name}" may reassign '
                                 f"objects owned by it.")
    if not aclchk.has_privs_of_role(cat, me, new):
        raise PgError("42501", "permission denied to reassign objects",
                      detail=f'Only roles with privileges of role "{new_name}" may reassign '
                             f"objects to it.")
    owner_cols = {"pg_class": "relowner", "pg_namespace": "nspowner", "pg_proc": "proowner",
                  "pg_type": "typowner", "pg_foreign_data_wrapper": "fdwowner",
                  "pg_foreign_server": "srvowner", "pg_publication": "pubowner",
                  "pg_subscription": "subowner"}
    for oid, name in olds:
        for _desc, catalog, objoid, how in owned_objects(s, cat, oid, name):
            if how != "owner" or catalog not in owner_cols:
                continue        # a user mapping stays its user's
            col = owner_cols[catalog]
            for tid, row in cat.find(catalog, oid=objoid):
                aclcol = {"pg_class": "relacl", "pg_namespace": "nspacl", "pg_proc": "proacl",
                          "pg_type": "typacl", "pg_foreign_data_wrapper": "fdwacl",
                          "pg_foreign_server": "srvacl"}.get(catalog)
                acl = row[COLUMN_POS[catalog][aclcol]] if aclcol else None
                changes: dict[str, Any] = {col: new}
                if acl is not None:
                    items = aclchk.parse_acl(acl, "table", None)
                    for i in items:
                        i.grantee = new_name if i.grantee == name else i.grantee
                        i.grantor = new_name if i.grantor == name else i.grantor
                    changes[aclcol] = aclchk.format_acl(items)
                cat.update(catalog, tid, replace(catalog, row, **changes))
                if catalog == "pg_type" and row[COLUMN_POS["pg_type"]["typrelid"]]:
                    # a composite type's relation follows it
                    rel = row[COLUMN_POS["pg_type"]["typrelid"]]
                    for ctid, crow in cat.find("pg_class", oid=rel):
                        cat.update("pg_class", ctid, replace("pg_class", crow, relowner=new))
                if catalog == "pg_class":
                    # the row type follows its relation
                    for ttid, trow in cat.find("pg_type", typrelid=objoid):
                        cat.update("pg_type", ttid, replace("pg_type", trow, typowner=new))
        d = COLUMN_POS["pg_database"]
        for tid, row in cat.find("pg_database", oid=cat.dboid):
            if row[d["datdba"]] == oid:
                cat.update("pg_database", tid, replace("pg_database", row, datdba=new))
    return QueryResult(tag="REASSIGN OWNED")


# -- ALTER ... OWNER TO for schemas and routines --------------------------------------------


def alter_owner(s: Any, raw: Any) -> QueryResult | None:
    """ALTER SCHEMA / FUNCTION / PROCEDURE / ROUTINE ... OWNER TO (PostgreSQL's
    AlterObjectOwner_internal); None for other object kinds."""
    from tuskdb.sql.commands.rolecmds import _role_oid, _spec_name
    body = raw.body
    kind = body["objectType"]
    cat = s.catalog()
    if kind == "OBJECT_SCHEMA":
        name = body["object"]["String"]["sval"]
        found = cat.find("pg_namespace", nspname=name)
        if not found:
            raise PgError("3F000", f'schema "{name}" does not exist')
        catalog, ownercol, aclcol, objtype, tag = ("pg_namespace", "nspowner", "nspacl",
                                                    "schema", "ALTER SCHEMA")
        tid, row = found[0]
        nsp = None
    elif kind in ("OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE"):
        from tuskdb.sql.commands.functioncmds import lookup_routine
        from tuskdb.sql.commands.tablecmds import _state
        tid, row = lookup_routine(s, _state(s, raw), body["object"]["ObjectWithArgs"], kind)
        p = COLUMN_POS["pg_proc"]
        noun = "procedure" if row[p["prokind"]] == "p" else "function"
        catalog, ownercol, aclcol, objtype = "pg_proc", "proowner", "proacl", noun
        tag = {"OBJECT_FUNCTION": "ALTER FUNCTION", "OBJECT_PROCEDURE": "ALTER PROCEDURE",
               "OBJECT_ROUTINE": "ALTER ROUTINE"}[kind]
        name = row[p["proname"]]
        nsp = row[p["pronamespace"]]
    else:
        return None
    pos = COLUMN_POS[catalog]
    new = _role_oid(cat, _spec_name(s, body["newowner"]))
    old = row[pos[ownercol]]
    if new == old:
        return QueryResult(tag=tag)
    me = s.current_user_oid(cat)
    if not aclchk.superuser_arg(cat, me):
        shown = name if catalog != "pg_proc" else _sig(cat, row)
        aclchk.check_owner(cat, me, old, objtype, shown)
        aclchk.check_can_set_role(cat, me, new)
        if catalog == "pg_namespace":
            aclchk.check_database_create(cat, me)
        elif nsp is not None:
            aclchk.check_namespace_create(cat, nsp, new)
    changes: dict[str, Any] = {ownercol: new}
    acl = row[pos[aclcol]]
    if acl is not None:
        changes[aclcol] = aclchk.format_acl(aclchk.acl_new_owner(
            aclchk.parse_acl(acl, "table", None), aclchk.role_name(cat, old),
            aclchk.role_name(cat, new)))
    cat.update(catalog, tid, replace(catalog, row, **changes))
    return QueryResult(tag=tag)
