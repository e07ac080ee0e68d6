"""CREATE / DROP OPERATOR CLASS, for hash operator classes (what hash partitioning uses).

A hash operator class names the equality operator (strategy 1) and the
extended hash support function (number 2: (value, seed int8) -> int8) of its
type.  The rows go to pg_opfamily (a family of the same name), pg_opclass and
pg_amproc, as PostgreSQL's DefineOpClass stores them.  Hash partitioning calls
support function 2 of each key column's operator class (custom_hash_function).
B-tree operator classes would change how values order, which TuskDB's key
encoding does not follow: they fail with 0A000.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, make_row
from tuskdb.engine.results import QueryResult
from tuskdb.errors import PgError, feature_not_supported

HASH_AM, BTREE_AM = 405, 403


def create_opclass(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.analyze.expr import resolve_type_name
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.commands.tablecmds import _owner
    body = raw.body
    cat = s.catalog()
    state = AnalyzeState(cat, s, [], None, raw.source)
    am = body.get("amname")
    if am not in ("hash", "btree"):
        raise PgError("42704", f'access method "{am}" does not exist')
    if am != "hash":
        raise feature_not_supported("CREATE OPERATOR CLASS for access method \"btree\"")
    if body.get("isDefault"):
        raise feature_not_supported("CREATE OPERATOR CLASS ... DEFAULT")
    if body.get("opfamilyname"):
        raise feature_not_supported("CREATE OPERATOR CLASS ... FAMILY")
    names = [n["String"]["sval"] for n in body["opclassname"]]
    name = names[-1]
    nsp = cat.namespace_oid(names[-2]) if len(names) > 1 else s.creation_namespace(cat)
    type_oid, _ = resolve_type_name(body["datatype"], state)
    k = COLUMN_POS["pg_opclass"]
    for _, r in cat.find("pg_opclass", opcname=name, opcnamespace=nsp):
        if r[k["opcmethod"]] == HASH_AM:
            raise PgError("42710", f'operator class "{name}" for access method "{am}" already '
                          f"exists")
    procs = []
    for item in body.get("items") or []:
        it = item["CreateOpClassItem"]
        if it["itemtype"] == 2:                    # FUNCTION n f(args)
            if it["number"] not in (1, 2):
                raise PgError("42P17", f"invalid function number {it['number']}, must be "
                              f"between 1 and 2")
            procs.append((it["number"], _function_oid(s, state, it["name"])))
        elif it["itemtype"] == 1:                  # OPERATOR n op
            if it["number"] != 1:
                raise PgError("42P17", f"invalid operator number {it['number']}, must be "
                              f"between 1 and 1")
        else:
            raise feature_not_supported("CREATE OPERATOR CLASS ... STORAGE")
    owner = _owner(s, cat)
    fam = cat.m.next_oid()
    cat.insert("pg_opfamily", make_row("pg_opfamily", oid=fam, opfmethod=HASH_AM, opfname=name,
                                       opfnamespace=nsp, opfowner=owner))
    oid = cat.m.next_oid()
    cat.insert("pg_opclass", make_row("pg_opclass", oid=oid, opcmethod=HASH_AM, opcname=name,
                                      opcnamespace=nsp, opcowner=owner, opcfamily=fam,
                                      opcintype=type_oid, opcdefault=False, opckeytype=0))
    for num, proc in procs:
        cat.insert("pg_amproc", make_row("pg_amproc", oid=cat.m.next_oid(), amprocfamily=fam,
                                         amproclefttype=type_oid, amprocrighttype=type_oid,
                                         amprocnum=num, amproc=proc))
    return QueryResult(tag="CREATE OPERATOR CLASS")


def _function_oid(s: Any, state: Any, obj: dict) -> int:
    from tuskdb.sql.analyze.expr import lookup_type_name_oid
    from tuskdb.sql.commands.functioncmds import lookup_functions
    fname = obj["objname"][-1]["String"]["sval"]
    argtypes = [lookup_type_name_oid(a["TypeName"], state) for a in obj.get("objargs") or []]
    for fn in lookup_functions(s, fname):
        if list(fn.argtypes) == argtypes:
            return fn.oid
    from tuskdb.types import registry
    raise PgError("42883", f"function {fname}({', '.join(registry.format_type(t, None) for t in argtypes)}) "
                  f"does not exist")


def drop_opclass(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    k = COLUMN_POS["pg_opclass"]
    for obj in body["objects"]:
        items = [n["String"]["sval"] for n in obj["List"]["items"]]
        am, name = items[0], items[-1]
        found = [(t, r) for t, r in cat.find("pg_opclass", opcname=name)
                 if r[k["opcmethod"]] == (HASH_AM if am == "hash" else BTREE_AM)]
        if not found:
            if body.get("missing_ok"):
                from tuskdb.errors import notice
                s.add_notice(notice(f'operator class "{name}" does not exist for access '
                                    f'method "{am}", skipping'))
                continue
            raise PgError("42704", f'operator class "{name}" does not exist for access method '
                          f'"{am}"')
        tid, row = found[0]
        pt = COLUMN_POS["pg_partitioned_table"]
        users = [r[pt["partrelid"]] for r in cat.rows("pg_partitioned_table")
                 if row[k["oid"]] in tuple(r[pt["partclass"]] or ())]
        if users and body.get("behavior") != "DROP_CASCADE":
            what = f"operator class {name} for access method {am}"
            raise PgError("2BP01", f"cannot drop {what} because other objects depend on it",
                          detail="\n".join(f"table {cat.relation_by_oid(u).name} depends on "
                                           f"{what}" for u in users),
                          hint="Use DROP ... CASCADE to drop the dependent objects too.")
        if users:
            raise feature_not_supported("DROP OPERATOR CLASS ... CASCADE")
        fam = row[k["opcfamily"]]
        cat.delete("pg_opclass", tid)
        cat.delete_where("pg_amproc", amprocfamily=fam)
        cat.delete_where("pg_opfamily", oid=fam)
    return QueryResult(tag="DROP OPERATOR CLASS")


def custom_hash_function(state: Any, opclass: int) -> Any:
    """f(value, seed, ctx) -> uint64 for a user-defined hash operator class, else None."""
    if opclass < 16384:
        return None
    cat = state.catalog
    k = COLUMN_POS["pg_opclass"]
    rows = cat.find("pg_opclass", oid=opclass)
    if not rows:
        return None
    family = rows[0][1][k["opcfamily"]]
    p = COLUMN_POS["pg_amproc"]
    for _, r in cat.find("pg_amproc", amprocfamily=family, amprocnum=2):
        return _sql_function_caller(state, r[p["amproc"]])
    raise PgError("42704", "could not find extended hash function for hash operator class")


def _sql_function_caller(state: Any, proc_oid: int) -> Any:
    from tuskdb.sql.commands.functioncmds import routine_for_row
    rows = state.catalog.find("pg_proc", oid=proc_oid)
    if not rows:
        raise PgError("42883", f"function with OID {proc_oid} does not exist")
    fn = routine_for_row(rows[0][1])
    seedtypes = tuple(fn.argtypes)

    def call(v: Any, seed: int, ctx: Any) -> int:
        r = fn.call(ctx, (v, seed if seed < 1 << 63 else seed - (1 << 64)), seedtypes)
        return 0 if r is None else r & ((1 << 64) - 1)
    return call
