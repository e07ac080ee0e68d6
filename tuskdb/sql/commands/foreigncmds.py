"""SQL/MED catalog objects (PostgreSQL's foreigncmds.c): foreign-data wrappers,
foreign servers and user mappings, with their generic OPTIONS.

    CREATE/ALTER FOREIGN DATA WRAPPER   pg_foreign_data_wrapper (superuser only)
    CREATE/ALTER SERVER                 pg_foreign_server (USAGE on the wrapper)
    CREATE/ALTER/DROP USER MAPPING      pg_user_mapping (umuser 0 = PUBLIC)
    DROP FOREIGN DATA WRAPPER / SERVER  with what depends on them (servers, user
                                        mappings, foreign tables), found by scanning
                                        the catalogs rather than pg_depend
    options                             ``name=value`` text[]; ADD/SET/DROP as
                                        transformGenericOptions, then the wrapper's
                                        validator (postgresql_fdw_validator built in)

TuskDB has no wrapper that can scan: a foreign table's wrapper must have a handler,
and no handler function can be created, so reading one fails as in PostgreSQL when
the wrapper has none.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (
    DUPLICATE_OBJECT,
    FEATURE_NOT_SUPPORTED,
    INSUFFICIENT_PRIVILEGE,
    SYNTAX_ERROR,
    UNDEFINED_FUNCTION,
    UNDEFINED_OBJECT,
    WRONG_OBJECT_TYPE,
    PgError,
    notice,
)
from tuskdb.sql.commands import foreign_acl as acl
from tuskdb.types import Array

FDW_CLASS, SERVER_CLASS, USER_MAPPING_CLASS, FOREIGN_TABLE_CLASS, ATTRIBUTE_CLASS = \
    2328, 1417, 1418, 3118, 1249
FDW_HANDLER = 3115
POSTGRESQL_FDW_VALIDATOR = 2316

F = COLUMN_POS["pg_foreign_data_wrapper"]
S = COLUMN_POS["pg_foreign_server"]
U = COLUMN_POS["pg_user_mapping"]


# --- generic options ---------------------------------------------------------------------

def options_list(arr: Any) -> list[tuple[str, str]]:
    out = []
    for item in (arr.items if arr is not None else ()):
        name, _, value = item.partition("=")
        out.append((name, value))
    return out


def transform_options(catalog_oid: int, old: Any, defs: list | None, validator: int,
                      source: str = "") -> Any:
    """transformGenericOptions: apply ADD/SET/DROP to the old text[] and validate the
    result; an empty result is NULL."""
    opts = options_list(old)
    for d in defs or []:
        d = d["DefElem"]
        name = d["defname"]
        action = d.get("defaction", "DEFELEM_UNSPEC")
        idx = next((i for i, (n, _) in enumerate(opts) if n == name), None)
        value = _def_value(d)
        if action in ("DEFELEM_UNSPEC", "DEFELEM_ADD"):
            if idx is not None:
                raise PgError(DUPLICATE_OBJECT, f'option "{name}" provided more than once')
            opts.append((name, value))
        elif action == "DEFELEM_SET":
            if idx is None:
                raise PgError(UNDEFINED_OBJECT, f'option "{name}" not found')
            opts[idx] = (name, value)
        else:   # DROP
            if idx is None:
                raise PgError(UNDEFINED_OBJECT, f'option "{name}" not found')
            del opts[idx]
    if validator:
        run_validator(validator, opts, catalog_oid)
    return Array([f"{n}={v}" for n, v in opts]) if opts else None


def _def_value(d: dict) -> str:
    arg = d.get("arg")
    if arg is None:
        return ""
    kind, body = next(iter(arg.items()))
    if kind == "String":
        return body.get("sval", "")
    if kind == "Integer":
        return str(body.get("ival", 0))
    if kind == "Float":
        return body.get("fval", "")
    if kind == "Boolean":
        return "true" if body.get("boolval") else "false"
    return str(body)


# postgresql_fdw_validator: libpq connection options and the catalog each belongs to
_LIBPQ_OPTIONS = [
    ("authtype", SERVER_CLASS), ("service", SERVER_CLASS), ("user", USER_MAPPING_CLASS),
    ("password", USER_MAPPING_CLASS), ("connect_timeout", SERVER_CLASS),
    ("dbname", SERVER_CLASS), ("host", SERVER_CLASS), ("hostaddr", SERVER_CLASS),
    ("port", SERVER_CLASS), ("tty", SERVER_CLASS), ("options", SERVER_CLASS),
    ("requiressl", SERVER_CLASS), ("sslmode", SERVER_CLASS), ("gsslib", SERVER_CLASS),
    ("gssdelegation", SERVER_CLASS),
]


def run_validator(validator: int, opts: list[tuple[str, str]], catalog_oid: int) -> None:
    if validator != POSTGRESQL_FDW_VALIDATOR:
        raise PgError(FEATURE_NOT_SUPPORTED, "foreign-data wrapper validators other than "
                      "postgresql_fdw_validator are not supported")
    valid = [n for n, c in _LIBPQ_OPTIONS if c == catalog_oid]
    for name, _ in opts:
        if name in valid:
            continue
        hint = None
        if valid:
            match = closest_match(name, valid)
            if match:
                hint = f'Perhaps you meant the option "{match}".'
        else:
            hint = "There are no valid options in this context."
        raise PgError(SYNTAX_ERROR, f'invalid option "{name}"', hint=hint)


def closest_match(source: str, candidates: list[str], max_d: int = 4) -> str | None:
    """The candidate nearest by Levenshtein distance, if within max_d and half the
    source's length (PostgreSQL's ClosestMatch)."""
    best, best_d = None, -1
    for c in candidates:
        d = _levenshtein(source, c)
        if d <= max_d and d <= len(source) // 2 and (best_d == -1 or d < best_d):
            best, best_d = c, d
    return best


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


# --- lookups -----------------------------------------------------------------------------

def find_fdw(cat: Any, name: str, missing_ok: bool = False) -> tuple[Any, tuple] | None:
    found = cat.find("pg_foreign_data_wrapper", fdwname=name)
    if not found:
        if missing_ok:
            return None
        raise PgError(UNDEFINED_OBJECT, f'foreign-data wrapper "{name}" does not exist')
    return found[0]


def find_server(cat: Any, name: str, missing_ok: bool = False) -> tuple[Any, tuple] | None:
    found = cat.find("pg_foreign_server", srvname=name)
    if not found:
        if missing_ok:
            return None
        raise PgError(UNDEFINED_OBJECT, f'server "{name}" does not exist')
    return found[0]


def fdw_by_oid(cat: Any, oid: int) -> tuple | None:
    found = cat.find("pg_foreign_data_wrapper", oid=oid)
    return found[0][1] if found else None


def server_by_oid(cat: Any, oid: int) -> tuple | None:
    found = cat.find("pg_foreign_server", oid=oid)
    return found[0][1] if found else None


def _lookup_function(s: Any, cat: Any, names: list[str], argtypes: list[int]) -> tuple:
    """LookupFuncName: the function with exactly these argument types (42883 if none)."""
    p = COLUMN_POS["pg_proc"]
    name = names[-1]
    if len(names) > 1:
        nsp = cat.namespace_oid(names[-2])
        path = [nsp] if nsp is not None else []
    else:
        path = s.search_path_oids(cat)
    found = []
    if 11 in path:
        from tuskdb.types.builtins import PROCS_BY_OID
        for oid, b in PROCS_BY_OID.items():
            if b[1] == name and list(b[2]) == argtypes:
                found.append((path.index(11), make_row("pg_proc", oid=oid, proname=name,
                                                       pronamespace=11, prorettype=b[3])))
    for _, row in cat.find("pg_proc", proname=name):
        args = list(row[p["proargtypes"]].items) if row[p["proargtypes"]] else []
        if row[p["pronamespace"]] in path and args == argtypes:
            found.append((path.index(row[p["pronamespace"]]), row))
    if not found:
        from tuskdb.types.registry import format_type
        sig = ", ".join(format_type(t, None) for t in argtypes)
        raise PgError(UNDEFINED_FUNCTION, f"function {'.'.join(names)}({sig}) does not exist")
    return min(found, key=lambda f: f[0])[1]


def _func_options(s: Any, cat: Any, raw: Any, opts: list | None
                  ) -> tuple[int | None, int | None]:
    """HANDLER / VALIDATOR (None = not given, 0 = NO HANDLER / NO VALIDATOR)."""
    from tuskdb.sql.parser import char_position
    p = COLUMN_POS["pg_proc"]
    handler = validator = None
    for o in opts or []:
        d = o["DefElem"]
        key = d["defname"]
        if (key == "handler" and handler is not None) or \
                (key == "validator" and validator is not None):
            raise PgError(SYNTAX_ERROR, "conflicting or redundant options",
                          position=char_position(raw.source, d.get("location", -1)))
        arg = d.get("arg")
        names = [n["String"]["sval"] for n in arg["List"]["items"]] if arg else None
        if key == "handler":
            if names is None:
                handler = 0
                continue
            row = _lookup_function(s, cat, names, [])
            if row[p["prorettype"]] != FDW_HANDLER:
                raise PgError(WRONG_OBJECT_TYPE, f"function {'.'.join(names)} must return "
                              f"type fdw_handler")
            handler = row[p["oid"]]
        elif key == "validator":
            if names is None:
                validator = 0
                continue
            validator = _lookup_function(s, cat, names, [1009, 26])[p["oid"]]
    return handler, validator


def _need_superuser(s: Any, cat: Any, what: str, name: str, hint: str) -> int:
    me = acl.current_role(s, cat)
    if not acl.is_superuser(cat, me):
        raise PgError(INSUFFICIENT_PRIVILEGE, f'permission denied to {what} "{name}"',
                      hint=hint)
    return me


def _not_owner(objword: str, name: str) -> PgError:
    return PgError(INSUFFICIENT_PRIVILEGE, f"must be owner of {objword} {name}")


# --- FOREIGN DATA WRAPPER ----------------------------------------------------------------

def create_fdw(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    name = body["fdwname"]
    me = _need_superuser(s, cat, "create foreign-data wrapper", name,
                         "Must be superuser to create a foreign-data wrapper.")
    if find_fdw(cat, name, True):
        raise PgError(DUPLICATE_OBJECT, f'foreign-data wrapper "{name}" already exists')
    handler, validator = _func_options(s, cat, raw, body.get("func_options"))
    options = transform_options(FDW_CLASS, None, body.get("options"), validator or 0)
    cat.insert("pg_foreign_data_wrapper", make_row(
        "pg_foreign_data_wrapper", oid=cat.m.next_oid(), fdwname=name, fdwowner=me,
        fdwhandler=handler or 0, fdwvalidator=validator or 0, fdwacl=None,
        fdwoptions=options))
    return QueryResult(tag="CREATE FOREIGN DATA WRAPPER")


def alter_fdw(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    name = body["fdwname"]
    _need_superuser(s, cat, "alter foreign-data wrapper", name,
                    "Must be superuser to alter a foreign-data wrapper.")
    tid, row = find_fdw(cat, name)
    handler, validator = _func_options(s, cat, raw, body.get("func_options"))
    changes: dict[str, Any] = {}
    if handler is not None:
        changes["fdwhandler"] = handler
        if handler:
            s.add_notice(notice("changing the foreign-data wrapper handler can change "
                                "behavior of existing foreign tables", severity="WARNING",
                                sqlstate="01000"))
    if validator is not None:
        changes["fdwvalidator"] = validator
        if validator:
            s.add_notice(notice("changing the foreign-data wrapper validator can cause the "
                                "options for dependent objects to become invalid",
                                severity="WARNING", sqlstate="01000"))
    if body.get("options"):
        v = validator if validator is not None else row[F["fdwvalidator"]]
        changes["fdwoptions"] = transform_options(FDW_CLASS, row[F["fdwoptions"]],
                                                  body["options"], v)
    cat.update("pg_foreign_data_wrapper", tid, replace("pg_foreign_data_wrapper", row,
                                                       **changes))
    return QueryResult(tag="ALTER FOREIGN DATA WRAPPER")


def alter_fdw_owner(s: Any, cat: Any, name: str, spec: dict) -> None:
    tid, row = find_fdw(cat, name)
    new = acl.rolespec_oid(s, cat, spec)
    me = acl.current_role(s, cat)
    if row[F["fdwowner"]] == new:
        return
    if not acl.is_superuser(cat, me):
        raise PgError(INSUFFICIENT_PRIVILEGE, f'permission denied to change owner of '
                      f'foreign-data wrapper "{name}"',
                      hint="Must be superuser to change owner of a foreign-data wrapper.")
    if not acl.is_superuser(cat, new):
        raise PgError(INSUFFICIENT_PRIVILEGE, f'permission denied to change owner of '
                      f'foreign-data wrapper "{name}"',
                      hint="The owner of a foreign-data wrapper must be a superuser.")
    cat.update("pg_foreign_data_wrapper", tid, replace(
        "pg_foreign_data_wrapper", row, fdwowner=new,
        fdwacl=acl.acl_new_owner(cat, row[F["fdwacl"]], row[F["fdwowner"]], new)))


def rename_fdw(s: Any, cat: Any, name: str, new: str) -> None:
    tid, row = find_fdw(cat, name)
    if find_fdw(cat, new, True):
        raise PgError(DUPLICATE_OBJECT, f'foreign-data wrapper "{new}" already exists')
    me = acl.current_role(s, cat)
    if not acl.has_privs_of_role(cat, me, row[F["fdwowner"]]):
        raise _not_owner("foreign-data wrapper", name)
    cat.update("pg_foreign_data_wrapper", tid, replace("pg_foreign_data_wrapper", row,
                                                       fdwname=new))


# --- SERVER ------------------------------------------------------------------------------

def create_server(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    name = body["servername"]
    me = acl.current_role(s, cat)
    if find_server(cat, name, True):
        if body.get("if_not_exists"):
            s.add_notice(notice(f'server "{name}" already exists, skipping',
                                sqlstate=DUPLICATE_OBJECT))
            return QueryResult(tag="CREATE SERVER")
        raise PgError(DUPLICATE_OBJECT, f'server "{name}" already exists')
    _, fdw = find_fdw(cat, body["fdwname"])
    if not acl.object_aclcheck(cat, fdw[F["fdwacl"]], fdw[F["fdwowner"]], me):
        raise PgError(INSUFFICIENT_PRIVILEGE, f"permission denied for foreign-data wrapper "
                      f"{fdw[F['fdwname']]}")
    options = transform_options(SERVER_CLASS, None, body.get("options"),
                                fdw[F["fdwvalidator"]])
    cat.insert("pg_foreign_server", make_row(
        "pg_foreign_server", oid=cat.m.next_oid(), srvname=name, srvowner=me,
        srvfdw=fdw[F["oid"]], srvtype=body.get("servertype"), srvversion=body.get("version"),
        srvacl=None, srvoptions=options))
    return QueryResult(tag="CREATE SERVER")


def _own_server(s: Any, cat: Any, row: tuple) -> None:
    me = acl.current_role(s, cat)
    if not acl.has_privs_of_role(cat, me, row[S["srvowner"]]):
        raise _not_owner("foreign server", row[S["srvname"]])


def alter_server(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    tid, row = find_server(cat, body["servername"])
    _own_server(s, cat, row)
    changes: dict[str, Any] = {}
    if body.get("has_version"):
        changes["srvversion"] = body.get("version")
    if body.get("options"):
        fdw = fdw_by_oid(cat, row[S["srvfdw"]])
        changes["srvoptions"] = transform_options(SERVER_CLASS, row[S["srvoptions"]],
                                                  body["options"], fdw[F["fdwvalidator"]])
    cat.update("pg_foreign_server", tid, replace("pg_foreign_server", row, **changes))
    return QueryResult(tag="ALTER SERVER")


def alter_server_owner(s: Any, cat: Any, name: str, spec: dict) -> None:
    tid, row = find_server(cat, name)
    new = acl.rolespec_oid(s, cat, spec)
    me = acl.current_role(s, cat)
    if row[S["srvowner"]] == new:
        return
    if not acl.is_superuser(cat, me):
        _own_server(s, cat, row)
        acl.check_can_set_role(cat, me, new)
        fdw = fdw_by_oid(cat, row[S["srvfdw"]])
        if not acl.object_aclcheck(cat, fdw[F["fdwacl"]], fdw[F["fdwowner"]], new):
            raise PgError(INSUFFICIENT_PRIVILEGE, f"permission denied for foreign-data "
                          f"wrapper {fdw[F['fdwname']]}")
    cat.update("pg_foreign_server", tid, replace(
        "pg_foreign_server", row, srvowner=new,
        srvacl=acl.acl_new_owner(cat, row[S["srvacl"]], row[S["srvowner"]], new)))


def rename_server(s: Any, cat: Any, name: str, new: str) -> None:
    tid, row = find_server(cat, name)
    if find_server(cat, new, True):
        raise PgError(DUPLICATE_OBJECT, f'server "{new}" already exists')
    _own_server(s, cat, row)
    cat.update("pg_foreign_server", tid, replace("pg_foreign_server", row, srvname=new))


# --- USER MAPPING ------------------------------------------------------------------------

def _mapping_user(s: Any, cat: Any, spec: dict, missing_ok: bool) -> int | None:
    return acl.rolespec_oid(s, cat, spec, missing_ok)


def _mapping_aclcheck(s: Any, cat: Any, user: int, srv: tuple) -> None:
    """user_mapping_ddl_aclcheck: the server's owner may map anyone; others only
    themselves, with USAGE on the server."""
    me = acl.current_role(s, cat)
    if acl.has_privs_of_role(cat, me, srv[S["srvowner"]]):
        return
    if user == me:
        if not acl.object_aclcheck(cat, srv[S["srvacl"]], srv[S["srvowner"]], me):
            raise PgError(INSUFFICIENT_PRIVILEGE, f"permission denied for foreign server "
                          f"{srv[S['srvname']]}")
        return
    raise _not_owner("foreign server", srv[S["srvname"]])


def create_user_mapping(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    user = _mapping_user(s, cat, body["user"], False)
    _, srv = find_server(cat, body["servername"])
    _mapping_aclcheck(s, cat, user, srv)
    if cat.find("pg_user_mapping", umuser=user, umserver=srv[S["oid"]]):
        msg = (f'user mapping for "{acl.role_name(cat, user)}" already exists for server '
               f'"{srv[S["srvname"]]}"')
        if body.get("if_not_exists"):
            s.add_notice(notice(msg + ", skipping", sqlstate=DUPLICATE_OBJECT))
            return QueryResult(tag="CREATE USER MAPPING")
        raise PgError(DUPLICATE_OBJECT, msg)
    fdw = fdw_by_oid(cat, srv[S["srvfdw"]])
    options = transform_options(USER_MAPPING_CLASS, None, body.get("options"),
                                fdw[F["fdwvalidator"]])
    cat.insert("pg_user_mapping", make_row("pg_user_mapping", oid=cat.m.next_oid(),
                                           umuser=user, umserver=srv[S["oid"]],
                                           umoptions=options))
    return QueryResult(tag="CREATE USER MAPPING")


def alter_user_mapping(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    user = _mapping_user(s, cat, body["user"], False)
    _, srv = find_server(cat, body["servername"])
    found = cat.find("pg_user_mapping", umuser=user, umserver=srv[S["oid"]])
    if not found:
        raise PgError(UNDEFINED_OBJECT, f'user mapping for "{acl.role_name(cat, user)}" does '
                      f'not exist for server "{srv[S["srvname"]]}"')
    _mapping_aclcheck(s, cat, user, srv)
    tid, row = found[0]
    if body.get("options"):
        fdw = fdw_by_oid(cat, srv[S["srvfdw"]])
        row = replace("pg_user_mapping", row, umoptions=transform_options(
            USER_MAPPING_CLASS, row[U["umoptions"]], body["options"], fdw[F["fdwvalidator"]]))
        cat.update("pg_user_mapping", tid, row)
    return QueryResult(tag="ALTER USER MAPPING")


def drop_user_mapping(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    missing_ok = bool(body.get("missing_ok"))
    spec = body["user"].get("RoleSpec", body["user"])
    user = _mapping_user(s, cat, spec, missing_ok)
    if user is None:
        s.add_notice(notice(f'role "{spec.get("rolename")}" does not exist, skipping'))
        return QueryResult(tag="DROP USER MAPPING")
    found_srv = find_server(cat, body["servername"], missing_ok)
    if found_srv is None:
        s.add_notice(notice(f'server "{body["servername"]}" does not exist, skipping'))
        return QueryResult(tag="DROP USER MAPPING")
    srv = found_srv[1]
    found = cat.find("pg_user_mapping", umuser=user, umserver=srv[S["oid"]])
    if not found:
        msg = (f'user mapping for "{acl.role_name(cat, user)}" does not exist for server '
               f'"{srv[S["srvname"]]}"')
        if not missing_ok:
            raise PgError(UNDEFINED_OBJECT, msg)
        s.add_notice(notice(msg + ", skipping"))
        return QueryResult(tag="DROP USER MAPPING")
    _mapping_aclcheck(s, cat, user, srv)
    cat.delete("pg_user_mapping", found[0][0])
    return QueryResult(tag="DROP USER MAPPING")


def user_mapping_name(cat: Any, row: tuple) -> str:
    srv = server_by_oid(cat, row[U["umserver"]])
    return (f"user mapping for {acl.role_name(cat, row[U['umuser']])} on server "
            f"{srv[S['srvname']] if srv else row[U['umserver']]}")


# --- DROP --------------------------------------------------------------------------------

def _server_dependents(cat: Any, srv: tuple) -> list[tuple[str, Any]]:
    """What depends on a server, in OID order: its user mappings and foreign tables."""
    out: list[tuple[int, str, Any]] = []
    for _, row in cat.find("pg_user_mapping", umserver=srv[S["oid"]]):
        out.append((row[U["oid"]], user_mapping_name(cat, row), ("um", row[U["oid"]])))
    ft = COLUMN_POS["pg_foreign_table"]
    for _, row in cat.find("pg_foreign_table", ftserver=srv[S["oid"]]):
        rel = cat.relation_by_oid(row[ft["ftrelid"]])
        if rel is not None:
            out.append((rel.oid, f"foreign table {rel.name}", ("ft", rel.oid)))
    return [(d, obj) for _, d, obj in sorted(out, key=lambda t: t[0])]


def _fdw_dependents(cat: Any, fdw: tuple) -> list[tuple[str, str, Any]]:
    """(description, depends-on description, object) depth first."""
    out = []
    fdwdesc = f"foreign-data wrapper {fdw[F['fdwname']]}"
    servers = sorted((row for _, row in cat.find("pg_foreign_server", srvfdw=fdw[F["oid"]])),
                     key=lambda r: r[S["oid"]])
    for srv in servers:
        sdesc = f"server {srv[S['srvname']]}"
        out.append((sdesc, fdwdesc, ("srv", srv[S["oid"]])))
        for d, obj in _server_dependents(cat, srv):
            out.append((d, sdesc, obj))
    return out


def _report_and_drop(s: Any, cat: Any, what: str, deps: list[tuple[str, str, Any]],
                     cascade: bool) -> None:
    from tuskdb.sql.commands.dependency import report_dependents
    report_dependents(s, what, [(d, on) for d, on, _ in deps], cascade)
    for _, _, obj in deps:
        drop_object(s, cat, obj)


def drop_object(s: Any, cat: Any, obj: tuple[str, int]) -> None:
    kind, oid = obj
    if kind == "um":
        cat.delete_where("pg_user_mapping", oid=oid)
    elif kind == "srv":
        cat.delete_where("pg_foreign_server", oid=oid)
        cat.delete_where("pg_description", objoid=oid, classoid=SERVER_CLASS)
    elif kind == "fdw":
        cat.delete_where("pg_foreign_data_wrapper", oid=oid)
        cat.delete_where("pg_description", objoid=oid, classoid=FDW_CLASS)
    elif kind == "ft":
        from tuskdb.sql.commands.foreign_table import drop_foreign_table_by_oid
        drop_foreign_table_by_oid(s, cat, oid)


def drop(s: Any, raw: Any) -> QueryResult:
    """DROP FOREIGN DATA WRAPPER / DROP SERVER."""
    body = raw.body
    cat = s.catalog()
    is_fdw = body["removeType"] == "OBJECT_FDW"
    cascade = body.get("behavior") == "DROP_CASCADE"
    me = acl.current_role(s, cat)
    targets = []
    for obj in body["objects"]:
        name = obj["String"]["sval"]
        found = (find_fdw if is_fdw else find_server)(cat, name, True)
        if found is None:
            what = "foreign-data wrapper" if is_fdw else "server"
            if body.get("missing_ok"):
                s.add_notice(notice(f'{what} "{name}" does not exist, skipping'))
                continue
            raise PgError(UNDEFINED_OBJECT, f'{what} "{name}" does not exist')
        row = found[1]
        owner = row[F["fdwowner"]] if is_fdw else row[S["srvowner"]]
        if not acl.has_privs_of_role(cat, me, owner):
            raise _not_owner("foreign-data wrapper" if is_fdw else "foreign server", name)
        targets.append(row)
    for row in targets:
        if is_fdw:
            what = f"foreign-data wrapper {row[F['fdwname']]}"
            deps = _fdw_dependents(cat, row)
        else:
            what = f"server {row[S['srvname']]}"
            deps = [(d, what, o) for d, o in _server_dependents(cat, row)]
        _report_and_drop(s, cat, what, deps, cascade)
        drop_object(s, cat, ("fdw" if is_fdw else "srv", row[0]))
    return QueryResult(tag="DROP FOREIGN DATA WRAPPER" if is_fdw else "DROP SERVER")


# --- GRANT / REVOKE, COMMENT, privileges functions, DROP ROLE ---------------------------

def grant(s: Any, raw: Any) -> QueryResult:
    """GRANT/REVOKE USAGE ON FOREIGN DATA WRAPPER / FOREIGN SERVER."""
    body = raw.body
    cat = s.catalog()
    is_fdw = body["objtype"] == "OBJECT_FDW"
    is_grant = bool(body.get("is_grant"))
    objword = "foreign-data wrapper" if is_fdw else "foreign server"
    privs = ""
    for p in body.get("privileges") or []:
        pname = p["AccessPriv"].get("priv_name", "").lower()
        if pname != "usage":
            from tuskdb.errors import INVALID_GRANT_OPERATION
            raise PgError(INVALID_GRANT_OPERATION, f"invalid privilege type {pname.upper()} for "
                          f"{objword}")
        privs = acl.USAGE
    all_named = not body.get("privileges")
    privs = privs or acl.USAGE
    grantees = [acl.rolespec_oid(s, cat, g) for g in body.get("grantees") or []]
    cascade = body.get("behavior") == "DROP_CASCADE"
    for obj in body["objects"]:
        name = obj["String"]["sval"]
        if is_fdw:
            tid, row = find_fdw(cat, name)
            new = acl.grant_on_object(s, cat, row[F["fdwacl"]], row[F["fdwowner"]], name,
                                      objword, is_grant, grantees, privs,
                                      bool(body.get("grant_option")), cascade, all_named)
            cat.update("pg_foreign_data_wrapper", tid,
                       replace("pg_foreign_data_wrapper", row, fdwacl=new))
        else:
            tid, row = find_server(cat, name)
            new = acl.grant_on_object(s, cat, row[S["srvacl"]], row[S["srvowner"]], name,
                                      objword, is_grant, grantees, privs,
                                      bool(body.get("grant_option")), cascade, all_named)
            cat.update("pg_foreign_server", tid, replace("pg_foreign_server", row, srvacl=new))
    return QueryResult(tag="GRANT" if is_grant else "REVOKE")


def comment_target(s: Any, cat: Any, kind: str, obj: dict) -> tuple[int, int]:
    """(objoid, classoid) for COMMENT ON FOREIGN DATA WRAPPER / SERVER."""
    name = obj["String"]["sval"]
    if kind == "OBJECT_FDW":
        row = find_fdw(cat, name)[1]
        owner, cls, word = row[F["fdwowner"]], FDW_CLASS, "foreign-data wrapper"
    else:
        row = find_server(cat, name)[1]
        owner, cls, word = row[S["srvowner"]], SERVER_CLASS, "foreign server"
    if not acl.has_privs_of_role(cat, acl.current_role(s, cat), owner):
        raise _not_owner(word, name)
    return row[0], cls


def has_privilege(ctx: Any, kind: str, *args: Any) -> bool | None:
    """has_foreign_data_wrapper_privilege / has_server_privilege ([role,] object, priv)."""
    s = ctx.session
    cat = s.catalog()
    if len(args) == 2:
        role, (obj, priv) = acl.current_role(s, cat), args
    else:
        role, obj, priv = args
        if isinstance(role, str):
            role = acl.role_oid(cat, role)
        elif not cat.find("pg_authid", oid=role):
            return None
    privs = [p.strip().lower() for p in priv.split(",")]
    for p in privs:
        if p not in ("usage", "usage with grant option"):
            from tuskdb.errors import INVALID_PARAMETER_VALUE
            raise PgError(INVALID_PARAMETER_VALUE, f"unrecognized privilege type: \"{p}\"")
    if kind == "fdw":
        row = find_fdw(cat, obj)[1] if isinstance(obj, str) else fdw_by_oid(cat, obj)
        if row is None:
            return None
        a, owner = row[F["fdwacl"]], row[F["fdwowner"]]
    else:
        row = find_server(cat, obj)[1] if isinstance(obj, str) else server_by_oid(cat, obj)
        if row is None:
            return None
        a, owner = row[S["srvacl"]], row[S["srvowner"]]
    if acl.is_superuser(cat, role):
        return True
    held, gopts = acl.aclmask(cat, acl.parse_acl(cat, a, owner), role)
    return any(("U" in gopts) if "grant" in p else ("U" in held) for p in privs)


def owned_sqlmed_objects(cat: Any, role: int, mentions: Any
                         ) -> list[tuple[int, int, str, str, int, str]]:
    """DROP ROLE / DROP OWNED / REASSIGN OWNED: (oid, order, description, catalog, oid,
    'owner' | 'acl') of the wrappers, servers and user mappings that depend on the role;
    ``mentions(acl, owner)`` says whether an ACL holds privileges granted to or by it."""
    out = []
    for row in cat.rows("pg_foreign_data_wrapper"):
        oid, name = row[F["oid"]], row[F["fdwname"]]
        if row[F["fdwowner"]] == role:
            out.append((oid, 0, f"owner of foreign-data wrapper {name}",
                        "pg_foreign_data_wrapper", oid, "owner"))
        if row[F["fdwacl"]] is not None and mentions(row[F["fdwacl"]], row[F["fdwowner"]]):
            out.append((oid, 1, f"privileges for foreign-data wrapper {name}",
                        "pg_foreign_data_wrapper", oid, "acl"))
    for row in cat.rows("pg_foreign_server"):
        oid, name = row[S["oid"]], row[S["srvname"]]
        if row[S["srvowner"]] == role:
            out.append((oid, 0, f"owner of server {name}", "pg_foreign_server", oid, "owner"))
        if row[S["srvacl"]] is not None and mentions(row[S["srvacl"]], row[S["srvowner"]]):
            out.append((oid, 1, f"privileges for server {name}", "pg_foreign_server", oid,
                        "acl"))
    for _, row in cat.find("pg_user_mapping", umuser=role):
        out.append((row[U["oid"]], 0, f"owner of {user_mapping_name(cat, row)}",
                    "pg_user_mapping", row[U["oid"]], "owner"))
    return out


def drop_sql(cat: Any, catalog: str, oid: int) -> str | None:
    """The DROP statement of DROP OWNED for a wrapper, server or user mapping."""
    def q(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'
    if catalog == "pg_foreign_data_wrapper":
        row = fdw_by_oid(cat, oid)
        return f"DROP FOREIGN DATA WRAPPER {q(row[F['fdwname']])}" if row else None
    if catalog == "pg_foreign_server":
        row = server_by_oid(cat, oid)
        return f"DROP SERVER {q(row[S['srvname']])}" if row else None
    found = cat.find("pg_user_mapping", oid=oid)
    if not found:
        return None
    row = found[0][1]
    srv = server_by_oid(cat, row[U["umserver"]])
    user = "PUBLIC" if row[U["umuser"]] == 0 else q(acl.role_name(cat, row[U["umuser"]]))
    return f"DROP USER MAPPING FOR {user} SERVER {q(srv[S['srvname']])}"
