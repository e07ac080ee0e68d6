"""CREATE CAST and DROP CAST (PostgreSQL's CreateCast / DropCastById).

A cast is a pg_cast row: WITHOUT FUNCTION (castmethod 'b', binary coercible),
WITH INOUT ('i', through the types' text forms) or WITH FUNCTION ('f'), usable
explicitly ('e'), in assignments ('a') or implicitly ('i').  The row depends on
its two types and its function (pg_depend, deptype 'n'), so DROP TYPE / DROP
FUNCTION ... CASCADE take it along.

The analyzer finds these casts on the user-defined type at either end (the
typcache loads a type's pg_cast rows with it: ``UserType.casts``); casts
between two built-in types are fixed, so CREATE CAST needs a user-defined type
on one side.  After a change the command reloads both types so that the rest
of the transaction sees it.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.catalog.rows import COLUMN_POS, make_row
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (DUPLICATE_OBJECT, FEATURE_NOT_SUPPORTED, INVALID_OBJECT_DEFINITION,
                           UNDEFINED_OBJECT, WRONG_OBJECT_TYPE, PgError, notice)

PG_CAST = 2605
FIRST_USER_OID = 16384
_C = COLUMN_POS["pg_cast"]


def _type(s: Any, cat: Any, typename: dict, state: Any) -> int:
    from tuskdb.sql.analyze.expr import resolve_type_name
    oid, _ = resolve_type_name(typename, state)
    if oid >= FIRST_USER_OID:
        cat.type_by_oid(oid)
    return oid


def _name(oid: int) -> str:
    from tuskdb.sql.analyze.coerce import type_name
    return type_name(oid)


def find_cast_row(cat: Any, source: int, target: int) -> tuple | None:
    found = cat.find("pg_cast", castsource=source, casttarget=target)
    return found[0] if found else None


def _owner_check(s: Any, cat: Any, source: int, target: int) -> None:
    uid, is_super = s._role_facts(cat)
    if is_super:
        return
    for oid in (source, target):
        t = types.TYPES.get(oid)
        if getattr(t, "owner", None) == uid:
            return
    raise PgError("42501", f"must be owner of type {_name(source)} or type {_name(target)}")


def create_cast(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.commands.tablecmds import _state
    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    source = _type(s, cat, body["sourcetype"], state)
    target = _type(s, cat, body["targettype"], state)
    st, tt = types.TYPES.get(source), types.TYPES.get(target)
    for oid, t, word in ((source, st, "source"), (target, tt, "target")):
        if t is not None and t.typtype == "p":
            raise PgError(WRONG_OBJECT_TYPE, f"{word} data type {_name(oid)} is a pseudo-type")
    _owner_check(s, cat, source, target)
    context = {"COERCION_IMPLICIT": "i", "COERCION_ASSIGNMENT": "a"}.get(
        body.get("context"), "e")
    func_oid = 0
    if body.get("func") is not None:
        method = "f"
        func_oid = _cast_function(s, cat, body["func"], source, target, state)
    elif body.get("inout"):
        method = "i"
    else:
        method = "b"
        _check_binary(st, tt, source, target)
    if source == target and method != "f":
        raise PgError(INVALID_OBJECT_DEFINITION,
                      "source data type and target data type are the same")
    if source < FIRST_USER_OID and target < FIRST_USER_OID:
        if types.CASTS.get((source, target)) is not None or \
                types.builtins.find_cast(source, target) is not None:
            raise PgError(DUPLICATE_OBJECT, f"cast from type {_name(source)} to type "
                          f"{_name(target)} already exists")
        raise PgError(FEATURE_NOT_SUPPORTED, "CREATE CAST between two built-in types is not "
                      "supported")
    if find_cast_row(cat, source, target) is not None:
        raise PgError(DUPLICATE_OBJECT, f"cast from type {_name(source)} to type "
                      f"{_name(target)} already exists")
    oid = cat.m.next_oid()
    cat.insert("pg_cast", make_row("pg_cast", oid=oid, castsource=source, casttarget=target,
                                   castfunc=func_oid, castcontext=context, castmethod=method))
    for refclass, ref in ((1247, source), (1247, target), (1255, func_oid)):
        if ref >= FIRST_USER_OID:
            _depend(cat, oid, refclass, ref)
    if method == "f":
        # a function whose result reaches the target through another user cast
        # depends on that cast too
        ret = _function_row(cat, func_oid)[COLUMN_POS["pg_proc"]["prorettype"]]
        via = find_cast_row(cat, ret, target) if ret != target else None
        if via is not None:
            _depend(cat, oid, PG_CAST, via[1][_C["oid"]])
    _reload(cat, source, target)
    return QueryResult(tag="CREATE CAST")


def _depend(cat: Any, objid: int, refclassid: int, refobjid: int) -> None:
    cat.insert("pg_depend", make_row(
        "pg_depend", classid=PG_CAST, objid=objid, objsubid=0, refclassid=refclassid,
        refobjid=refobjid, refobjsubid=0, deptype="n"))


def _reload(cat: Any, *oids: int) -> None:
    cat.command_counter_increment()
    for oid in oids:
        if oid >= FIRST_USER_OID:
            cat.type_by_oid(oid)


def _check_binary(st: Any, tt: Any, source: int, target: int) -> None:
    """WITHOUT FUNCTION: the two types must store their values alike."""
    if st is None or tt is None:
        return
    if st.typlen != tt.typlen or st.byval != tt.byval or st.align != tt.align:
        raise PgError(WRONG_OBJECT_TYPE, "source and target data types are not physically "
                      "compatible")
    if st.typtype == "c" or tt.typtype == "c":
        raise PgError(WRONG_OBJECT_TYPE, "composite data types are not binary-compatible")
    if (st.category == "A" and st.elem_oid) or (tt.category == "A" and tt.elem_oid):
        raise PgError(WRONG_OBJECT_TYPE, "array data types are not binary-compatible")
    if st.typtype == "d" or tt.typtype == "d":
        raise PgError(WRONG_OBJECT_TYPE, "domain data types must not be marked "
                      "binary-compatible")


def _function_row(cat: Any, oid: int) -> tuple:
    return cat.find("pg_proc", oid=oid)[0][1]


def _cast_function(s: Any, cat: Any, owa: dict, source: int, target: int, state: Any) -> int:
    """The WITH FUNCTION f(args) of a cast, checked as PostgreSQL checks it."""
    from tuskdb.sql.commands.functioncmds import lookup_routine
    _, row = lookup_routine(s, state, owa, "OBJECT_FUNCTION")
    p = COLUMN_POS["pg_proc"]
    args = list(row[p["proargtypes"]].items) if row[p["proargtypes"]] else []
    if not 1 <= len(args) <= 3:
        raise PgError(INVALID_OBJECT_DEFINITION, "cast function must take one to three "
                      "arguments")
    if args[0] != source and not _binary_coercible(source, args[0]):
        raise PgError(INVALID_OBJECT_DEFINITION, "argument of cast function must match or be "
                      "binary-coercible from source data type")
    if len(args) > 1 and args[1] != 23:
        raise PgError(INVALID_OBJECT_DEFINITION, "second argument of cast function must be "
                      "type integer")
    if len(args) > 2 and args[2] != 16:
        raise PgError(INVALID_OBJECT_DEFINITION, "third argument of cast function must be "
                      "type boolean")
    ret = row[p["prorettype"]]
    if ret != target and not _binary_coercible(ret, target):
        raise PgError(INVALID_OBJECT_DEFINITION, "return data type of cast function must "
                      "match or be binary-coercible to target data type")
    if row[p["prokind"]] != "f":
        raise PgError(INVALID_OBJECT_DEFINITION, "cast function must be a normal function")
    if row[p["proretset"]]:
        raise PgError(INVALID_OBJECT_DEFINITION, "cast function must not return a set")
    return row[p["oid"]]


def _binary_coercible(source: int, target: int) -> bool:
    from tuskdb.sql.analyze.coerce import cast_path
    possible, cast = cast_path(source, target, "i")
    return possible and (cast is None or getattr(cast, "method", "") == "b")


def drop_cast(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.commands.tablecmds import _state
    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    cascade = body.get("behavior") == "DROP_CASCADE"
    for obj in body["objects"]:
        pair = obj["List"]["items"]
        try:
            source = _type(s, cat, pair[0]["TypeName"], state)
            target = _type(s, cat, pair[1]["TypeName"], state)
        except PgError as err:
            if body.get("missing_ok") and err.sqlstate == UNDEFINED_OBJECT:
                s.add_notice(notice(f"{err.message}, skipping"))
                continue
            raise
        found = find_cast_row(cat, source, target)
        if found is None:
            if body.get("missing_ok"):
                s.add_notice(notice(f"cast from type {_raw_name(pair[0])} to type "
                                    f"{_raw_name(pair[1])} does not exist, skipping"))
                continue
            raise PgError(UNDEFINED_OBJECT, f"cast from type {_name(source)} to type "
                          f"{_name(target)} does not exist")
        _owner_check(s, cat, source, target)
        drop_cast_row(s, cat, found, cascade)
        _reload(cat, source, target)
    return QueryResult(tag="DROP CAST")


def _raw_name(node: dict) -> str:
    """TypeNameToString: the type as written, schema-qualified as the grammar made it."""
    tn = node["TypeName"]
    name = ".".join(n["String"]["sval"] for n in tn["names"])
    if tn.get("arrayBounds"):
        name += "[]" * len(tn["arrayBounds"])
    return name


def cast_dependents(cat: Any, cast_oid: int) -> list[tuple]:
    """pg_cast rows depending on this cast (casts whose function result goes through it)."""
    d = COLUMN_POS["pg_depend"]
    out = []
    for r in cat.rows("pg_depend"):
        if r[d["refclassid"]] == PG_CAST and r[d["refobjid"]] == cast_oid and \
                r[d["classid"]] == PG_CAST:
            found = cat.find("pg_cast", oid=r[d["objid"]])
            if found:
                out.append(found[0])
    return out


def drop_cast_row(s: Any, cat: Any, found: tuple, cascade: bool) -> None:
    from tuskdb.sql.commands.dependency import report_dependents
    row = found[1]
    deps = cast_dependents(cat, row[_C["oid"]])
    report_dependents(s, describe_cast(row), [(describe_cast(r[1]), describe_cast(row))
                                              for r in deps], cascade)
    for r in deps:
        remove_cast(cat, r)
    remove_cast(cat, found)


def remove_cast(cat: Any, found: tuple) -> None:
    tid, row = found
    cat.delete("pg_cast", tid)
    cat.delete_where("pg_depend", classid=PG_CAST, objid=row[_C["oid"]])
    cat.delete_where("pg_description", objoid=row[_C["oid"]])


def describe_cast(row: tuple) -> str:
    return f"cast from {_name(row[_C['castsource']])} to {_name(row[_C['casttarget']])}"


def casts_on_type(cat: Any, oid: int, also: set[int] | None = None) -> list[tuple]:
    """The user-created pg_cast rows with ``oid`` (or a type in ``also``) at either end."""
    oids = {oid} | (also or set())
    from tuskdb.catalog.typecache import internal_casts
    internal = internal_casts(cat)
    return [(tid, r) for tid, r in cat.find("pg_cast") if r[_C["oid"]] >= FIRST_USER_OID
            and r[_C["oid"]] not in internal
            and (r[_C["castsource"]] in oids or r[_C["casttarget"]] in oids)]


def casts_using_function(cat: Any, func_oid: int) -> list[tuple]:
    return [(tid, r) for tid, r in cat.find("pg_cast", castfunc=func_oid)
            if r[_C["oid"]] >= FIRST_USER_OID]
