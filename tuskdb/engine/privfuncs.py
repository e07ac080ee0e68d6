"""The access privilege inquiry functions (PostgreSQL's acl.c has_*_privilege,
pg_has_role): answered by catalog/aclchk.py's checks.

Every function takes an optional role (name or OID; 'public' is PUBLIC), the
object (name text or OID), and a privilege list such as 'SELECT, UPDATE WITH GRANT
OPTION'; it is true when any listed privilege is held.  An OID that names no object
gives NULL; a name that names none is an error.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog import aclchk
from tuskdb.catalog.rows import COLUMN_POS
from tuskdb.errors import PgError

PUBLIC = -1      # the PUBLIC pseudo-role

# function -> {privilege name: letter}
_PRIVS = {
    "table": {"select": "r", "insert": "a", "update": "w", "delete": "d", "truncate": "D",
              "references": "x", "trigger": "t", "maintain": "m"},
    "column": {"select": "r", "insert": "a", "update": "w", "references": "x"},
    "sequence": {"usage": "U", "select": "r", "update": "w"},
    "function": {"execute": "X"},
    "schema": {"create": "C", "usage": "U"},
    "database": {"create": "C", "connect": "c", "temporary": "T", "temp": "T"},
    "type": {"usage": "U"},
    "language": {"usage": "U"},
}


def parse_privs(text: str, kind: str) -> list[tuple[str, bool]]:
    """'SELECT, UPDATE WITH GRANT OPTION' -> [(letter, grant option)]."""
    out = []
    table = _PRIVS[kind]
    for part in text.split(","):
        word = " ".join(part.split()).lower()
        grant = False
        if word.endswith(" with grant option"):
            word, grant = word[: -len(" with grant option")].strip(), True
        letter = table.get(word)
        if letter is None:
            raise PgError("22023", f'unrecognized privilege type: "{part.strip()}"')
        out.append((letter, grant))
    return out


def _role(cat: Any, value: Any, is_name: bool) -> int:
    if is_name:
        if value == "public":
            return PUBLIC
        oid = aclchk.role_oid(cat, value, missing_ok=True)
        if oid is None:
            raise PgError("42704", f'role "{value}" does not exist')
        return oid
    return int(value)


def _holds(cat: Any, items: list[aclchk.AclItem], roleid: int, owner: int, letter: str,
           grant: bool) -> bool:
    if roleid == PUBLIC:
        for it in items:
            if it.grantee == "" and letter in (it.goptions if grant else it.privs):
                return True
        return False
    if aclchk.superuser_arg(cat, roleid):
        return True
    return bool(aclchk.aclmask(cat, items, roleid, owner, letter, goptions=grant))


def _any(cat: Any, items: list[aclchk.AclItem], roleid: int, owner: int,
         privs: list[tuple[str, bool]]) -> bool:
    return any(_holds(cat, items, roleid, owner, letter, grant) for letter, grant in privs)


# -- object lookup ----------------------------------------------------------------------------


def _relation(s: Any, cat: Any, value: Any, is_name: bool) -> Any:
    if is_name:
        from tuskdb.engine.regtypes import REGCLASS, reg_input
        return cat.relation_by_oid(reg_input(s, REGCLASS, value))
    return cat.relation_by_oid(int(value))


def _rel_items(cat: Any, rel: Any) -> list[aclchk.AclItem]:
    return aclchk.parse_acl(rel.acl, aclchk.relation_kind(rel),
                            aclchk.role_name(cat, rel.owner))


def _rel_holds(cat: Any, rel: Any, roleid: int, privs: list[tuple[str, bool]]) -> bool:
    items = _rel_items(cat, rel)
    if _any(cat, items, roleid, rel.owner, privs):
        return True
    if roleid != PUBLIC and not any(g for _, g in privs):
        # pg_read_all_data / pg_write_all_data / pg_maintain
        mask = "".join(letter for letter, _ in privs)
        return bool(aclchk.pg_class_aclmask(cat, rel, roleid, mask))
    return False


def _col_holds(cat: Any, rel: Any, col: Any, roleid: int, privs: list[tuple[str, bool]]
               ) -> bool:
    if col.acl is None:
        return False
    items = aclchk.parse_acl(col.acl, "column", None)
    return _any(cat, items, roleid, rel.owner, privs)


def _split_args(args: tuple) -> tuple[Any, list[Any]]:
    return args[0], list(args[1:])


def has_privilege(s: Any, fname: str, argtypes: tuple[int, ...], *args: Any) -> bool | None:
    cat = s.catalog()
    kind = fname[4:-10] if fname.startswith("has_") else "role"
    nobj = 2 if kind == "column" else 1
    if len(args) == nobj + 2:
        roleid = _role(cat, args[0], argtypes[0] != 26)
        args, argtypes = args[1:], argtypes[1:]
    else:
        roleid = s.current_user_oid(cat)
    privtext = args[-1]
    if kind == "any_column":
        privs = parse_privs(privtext, "column")
        rel = _relation(s, cat, args[0], argtypes[0] != 26)
        if rel is None:
            return None
        if _rel_holds(cat, rel, roleid, privs):
            return True
        return any(_col_holds(cat, rel, c, roleid, privs) for c in rel.columns if not c.dropped)
    if kind == "column":
        privs = parse_privs(privtext, "column")
        rel = _relation(s, cat, args[0], argtypes[0] != 26)
        if rel is None:
            return None
        colarg = args[1]
        if argtypes[1] in (21, 23):
            attnum = int(colarg)
            col = rel.columns[attnum - 1] if 0 < attnum <= len(rel.columns) else None
            if attnum < 0:
                return _rel_holds(cat, rel, roleid, privs)     # system columns
            if col is None or col.dropped:
                return None
        else:
            col = rel.column(colarg)
            if col is None and any(c.dropped and c.name == colarg for c in rel.columns):
                return None
            if col is None:
                from tuskdb.sql.analyze.expr import SYSTEM_COLUMNS
                if colarg in SYSTEM_COLUMNS or colarg in ("xmin", "xmax", "cmin", "cmax"):
                    return _rel_holds(cat, rel, roleid, privs)
                raise PgError("42703", f'column "{colarg}" of relation "{rel.name}" does '
                              f"not exist")
        return _rel_holds(cat, rel, roleid, privs) or _col_holds(cat, rel, col, roleid, privs)
    if kind in ("table", "sequence"):
        privs = parse_privs(privtext, kind)
        rel = _relation(s, cat, args[0], argtypes[0] != 26)
        if rel is None:
            return None
        if kind == "sequence" and rel.relkind != "S":
            raise PgError("42809", f'"{rel.name}" is not a sequence')
        return _rel_holds(cat, rel, roleid, privs)
    if kind == "role":
        return _has_role(cat, roleid, args[0], argtypes[0] != 26, privtext)
    privs = parse_privs(privtext, kind)
    found = _object(s, cat, kind, args[0], argtypes[0] != 26)
    if found is None:
        return None
    acl, owner, aclkind = found
    items = aclchk.parse_acl(acl, aclkind, aclchk.role_name(cat, owner))
    if roleid != PUBLIC and kind == "schema" and not any(g for _, g in privs) and \
            any(letter == "U" for letter, _ in privs):
        for r in (aclchk.ROLE_PG_READ_ALL_DATA, aclchk.ROLE_PG_WRITE_ALL_DATA):
            if aclchk.has_privs_of_role(cat, roleid, r):
                return True
    return _any(cat, items, roleid, owner, privs)


def _object(s: Any, cat: Any, kind: str, value: Any, is_name: bool
            ) -> tuple[Any, int, str] | None:
    """(acl, owner, ACL kind) of a schema, database, function, type or language."""
    if kind == "schema":
        n = COLUMN_POS["pg_namespace"]
        for row in cat.rows("pg_namespace"):
            if (row[n["nspname"]] == value) if is_name else (row[n["oid"]] == int(value)):
                return row[n["nspacl"]], row[n["nspowner"]], "schema"
        if is_name:
            raise PgError("3F000", f'schema "{value}" does not exist')
        return None
    if kind == "database":
        d = COLUMN_POS["pg_database"]
        for row in cat.rows("pg_database"):
            if (row[d["datname"]] == value) if is_name else (row[d["oid"]] == int(value)):
                return row[d["datacl"]], row[d["datdba"]], "database"
        if is_name:
            raise PgError("3D000", f'database "{value}" does not exist')
        return None
    if kind == "language":
        lp = COLUMN_POS["pg_language"]
        for row in cat.rows("pg_language"):
            if (row[lp["lanname"]] == value) if is_name else (row[lp["oid"]] == int(value)):
                return row[lp["lanacl"]], row[lp["lanowner"]], "language"
        if is_name:
            raise PgError("42704", f'language "{value}" does not exist')
        return None
    if kind == "type":
        if is_name:
            from tuskdb.engine.regtypes import REGTYPE, reg_input
            oid = reg_input(s, REGTYPE, value)
        else:
            oid = int(value)
        t = COLUMN_POS["pg_type"]
        for _ in range(3):
            found = cat.find("pg_type", oid=oid)
            if not found:
                return None
            row = found[0][1]
            if row[t["typcategory"]] == "A" and row[t["typelem"]]:
                oid = row[t["typelem"]]
                continue
            if row[t["typtype"]] == "m":
                r = COLUMN_POS["pg_range"]
                rng = [x for x in cat.rows("pg_range") if x[r["rngmultitypid"]] == oid]
                if rng:
                    oid = rng[0][r["rngtypid"]]
                    continue
            return row[t["typacl"]], row[t["typowner"]], "type"
        return None
    if kind == "function":
        p = COLUMN_POS["pg_proc"]
        if is_name:
            row = _function_by_signature(s, cat, value)
        else:
            found = cat.find("pg_proc", oid=int(value))
            row = found[0][1] if found else None
            if row is None:
                return None
        return row[p["proacl"]], row[p["proowner"]], "function"
    raise PgError("0A000", f"has_{kind}_privilege is not supported")


def _function_by_signature(s: Any, cat: Any, text: str) -> tuple:
    """regprocedure input: 'name(argtypes)' through the grammar's function signature."""
    from tuskdb.sql import parser
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.commands.functioncmds import lookup_routine
    try:
        raw = parser.parse(f"DROP FUNCTION {text}")[0]
    except PgError:
        raise PgError("22P02", f'invalid input syntax for type regprocedure: "{text}"'
                      ) from None
    owa = raw.body["objects"][0]["ObjectWithArgs"]
    if owa.get("args_unspecified"):
        raise PgError("22P02", "expected a left parenthesis")
    state = AnalyzeState(cat, s, [], None, "")
    try:
        return lookup_routine(s, state, owa, "OBJECT_ROUTINE")[1]
    except PgError as err:
        if err.sqlstate == "42883":
            raise PgError("42883", f'function "{text}" does not exist') from None
        raise


def _has_role(cat: Any, roleid: int, value: Any, is_name: bool, privtext: str) -> bool | None:
    if is_name:
        target = aclchk.role_oid(cat, value, missing_ok=True)
        if target is None:
            raise PgError("42704", f'role "{value}" does not exist')
    else:
        target = int(value)
        if target not in aclchk.role_cache(cat).by_oid:
            return None
    result = False
    for part in privtext.split(","):
        word = " ".join(part.split()).lower()
        admin = False
        for suffix in (" with admin option", " with grant option"):
            if word.endswith(suffix):
                word, admin = word[: -len(suffix)].strip(), True
        if word not in ("member", "usage", "set"):
            raise PgError("22023", f'unrecognized privilege type: "{part.strip()}"')
        if roleid == PUBLIC:
            continue
        if admin:
            ok = aclchk.is_admin_of_role(cat, roleid, target)
        elif word == "member":
            ok = aclchk.is_member_of_role(cat, roleid, target)
        elif word == "usage":
            ok = aclchk.has_privs_of_role(cat, roleid, target)
        else:
            ok = aclchk.member_can_set_role(cat, roleid, target)
        result = result or ok
    return result


# -- ACL values -------------------------------------------------------------------------------

_ACL_COLUMNS = {1259: ("pg_class", "relacl"), 2615: ("pg_namespace", "nspacl"),
                1255: ("pg_proc", "proacl"), 1247: ("pg_type", "typacl"),
                2612: ("pg_language", "lanacl"), 1262: ("pg_database", "datacl"),
                2328: ("pg_foreign_data_wrapper", "fdwacl"),
                1417: ("pg_foreign_server", "srvacl")}


def pg_get_acl(s: Any, classid: int, objid: int, objsubid: int) -> Any:
    """The ACL of any object by its address (NULL when it has none)."""
    cat = s.catalog()
    if classid == 1259 and objsubid:
        a = COLUMN_POS["pg_attribute"]
        for _, row in cat.find("pg_attribute", attrelid=objid, attnum=objsubid):
            return row[a["attacl"]]
        return None
    found = _ACL_COLUMNS.get(classid)
    if found is None or found[0] not in COLUMN_POS:
        return None
    catalog, col = found
    for _, row in cat.find(catalog, oid=objid):
        return row[COLUMN_POS[catalog][col]]
    return None


def makeaclitem(s: Any, grantee: int, grantor: int, privs: str, grantable: bool) -> str:
    cat = s.catalog()
    letters = ""
    for part in privs.split(","):
        word = " ".join(part.split()).lower()
        letter = aclchk.PRIV_NAMES.get(word)
        if letter is None or word == "temp":
            raise PgError("22023", f'unrecognized privilege type: "{part.strip()}"')
        letters += letter
    name = "" if grantee == 0 else aclchk.role_name(cat, grantee)
    return aclchk.AclItem(name, letters, letters if grantable else "",
                          aclchk.role_name(cat, grantor)).text()
