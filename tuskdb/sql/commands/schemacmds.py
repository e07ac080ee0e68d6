"""ALTER ... SET SCHEMA (PostgreSQL's ExecAlterObjectSchemaStmt / AlterTableNamespace).

Tables, views, materialized views and sequences move with what belongs to them:
their indexes, the sequences their columns own, their row type and constraints.
Functions move alone.  Types and domains are handled by typecmds.py.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (DUPLICATE_FUNCTION, DUPLICATE_TABLE, FEATURE_NOT_SUPPORTED,
                           PgError, notice)

_RELATION_KINDS = {"OBJECT_TABLE": "ALTER TABLE", "OBJECT_SEQUENCE": "ALTER SEQUENCE",
                   "OBJECT_VIEW": "ALTER VIEW", "OBJECT_MATVIEW": "ALTER MATERIALIZED VIEW",
                   "OBJECT_FOREIGN_TABLE": "ALTER FOREIGN TABLE"}
_FUNCTION_KINDS = {"OBJECT_FUNCTION": "ALTER FUNCTION", "OBJECT_PROCEDURE": "ALTER PROCEDURE",
                   "OBJECT_ROUTINE": "ALTER ROUTINE"}


def alter_object_schema(s: Any, raw: Any) -> QueryResult:
    kind = raw.body["objectType"]
    if kind in _RELATION_KINDS:
        return _relation_schema(s, raw)
    if kind in _FUNCTION_KINDS:
        return _function_schema(s, raw)
    from tuskdb.sql.commands.typecmds import alter_object_schema as other
    return other(s, raw)


def _target_namespace(s: Any, cat: Any, name: str) -> int:
    nsp = cat.namespace_oid(name)
    if nsp is None:
        raise PgError("3F000", f'schema "{name}" does not exist')
    if name == "pg_temp" or name.startswith("pg_temp_") or nsp == _temp_nsp(s):
        raise PgError(FEATURE_NOT_SUPPORTED, "cannot move objects into or out of temporary "
                      "schemas")
    if name == "pg_toast":
        raise PgError(FEATURE_NOT_SUPPORTED, "cannot move objects into or out of TOAST schema")
    return nsp


def _temp_nsp(s: Any) -> int | None:
    return getattr(s, "temp_nsp", None)


def _relation_schema(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.commands.tablecmds import ACCESS_EXCLUSIVE, lock_relation

    body = raw.body
    tag = _RELATION_KINDS[body["objectType"]]
    cat = s.catalog()
    state = AnalyzeState(cat, s, [], None, raw.source)
    from tuskdb.sql.commands.tablecmds import lookup_alter_relation
    rel = lookup_alter_relation(s, body, state)
    if rel is None:
        return QueryResult(tag=tag)
    lock_relation(s, rel.oid, ACCESS_EXCLUSIVE)
    nsp = _target_namespace(s, cat, body["newschema"])
    if rel.persistence == "t":
        raise PgError(FEATURE_NOT_SUPPORTED, "cannot move objects into or out of temporary "
                      "schemas")
    if rel.relkind == "S":
        owner = _sequence_owner(cat, rel.oid)
        if owner is not None:
            raise PgError(FEATURE_NOT_SUPPORTED, "cannot move an owned sequence into another "
                          "schema", detail=f'Sequence "{rel.name}" is linked to table '
                                           f'"{owner.name}".')
    if nsp == rel.namespace:
        return QueryResult(tag=tag)
    move_relation(cat, rel, nsp, body["newschema"])
    return QueryResult(tag=tag)


def _sequence_owner(cat: Any, seq_oid: int) -> Any:
    d = COLUMN_POS["pg_depend"]
    for _, dep in cat.find("pg_depend", objid=seq_oid):
        if dep[d["deptype"]] in ("a", "i") and dep[d["refobjsubid"]]:
            return cat.relation_by_oid(dep[d["refobjid"]])
    return None


def move_relation(cat: Any, rel: Any, nsp: int, nspname: str) -> None:
    """Move ``rel`` and what belongs to it into namespace ``nsp``."""
    from tuskdb.sql.commands.view import retarget_rules
    retarget_rules(cat, rel.oid, rel.namespace, rel.name, nspname, rel.name)
    _move_class(cat, rel.oid, rel.name, nsp, nspname)
    for ix in rel.indexes:
        _move_class(cat, ix.oid, ix.name, nsp, nspname)
    d = COLUMN_POS["pg_depend"]
    for _, dep in cat.find("pg_depend", refobjid=rel.oid):
        if dep[d["deptype"]] in ("a", "i") and dep[d["refobjsubid"]]:
            seq = cat.relation_by_oid(dep[d["objid"]])
            if seq is not None and seq.relkind == "S" and seq.namespace != nsp:
                _move_class(cat, seq.oid, seq.name, nsp, nspname)
                _retarget_serial_default(cat, rel.oid, seq, nspname)
    k = COLUMN_POS["pg_constraint"]
    for tid, row in cat.find("pg_constraint", conrelid=rel.oid):
        cat.update("pg_constraint", tid, replace("pg_constraint", row, connamespace=nsp))
    del k


def _retarget_serial_default(cat: Any, relid: int, seq: Any, nspname: str) -> None:
    """A serial column's DEFAULT nextval('schema.seq') follows its sequence."""
    import json

    from tuskdb.sql.commands.tablecmds import _qi
    old = json.dumps(f"{_qi(seq.nspname)}.{_qi(seq.name)}")
    new = json.dumps(f"{_qi(nspname)}.{_qi(seq.name)}")
    d = COLUMN_POS["pg_attrdef"]
    for tid, row in cat.find("pg_attrdef", adrelid=relid):
        adbin = row[d["adbin"]]
        if adbin and '"nextval"' in adbin and old in adbin:
            cat.update("pg_attrdef", tid, replace("pg_attrdef", row,
                                                  adbin=adbin.replace(old, new)))


def _move_class(cat: Any, oid: int, name: str, nsp: int, nspname: str) -> None:
    if cat.relation_oid(nsp, name) is not None:
        raise PgError(DUPLICATE_TABLE, f'relation "{name}" already exists in schema '
                      f'"{nspname}"')
    c = COLUMN_POS["pg_class"]
    for tid, row in cat.find("pg_class", oid=oid):
        cat.update("pg_class", tid, replace("pg_class", row, relnamespace=nsp))
        reltype = row[c["reltype"]]
        if reltype:
            for ttid, trow in cat.find("pg_type", oid=reltype):
                cat.update("pg_type", ttid, replace("pg_type", trow, typnamespace=nsp))
            t = COLUMN_POS["pg_type"]
            for ttid, trow in cat.find("pg_type", typelem=reltype):
                if trow[t["typcategory"]] == "A":
                    cat.update("pg_type", ttid, replace("pg_type", trow, typnamespace=nsp))


def _function_schema(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.analyze.expr import lookup_type_name_oid
    from tuskdb.sql.commands.functioncmds import UNDEFINED_FUNCTION, _sig
    from tuskdb.sql.commands.tablecmds import _state

    body = raw.body
    tag = _FUNCTION_KINDS[body["objectType"]]
    state = _state(s, raw)
    cat = state.catalog
    p = COLUMN_POS["pg_proc"]
    owa = body["object"]["ObjectWithArgs"]
    names = [n["String"]["sval"] for n in owa["objname"]]
    name = names[-1]
    cands = [(tid, row) for tid, row in cat.find("pg_proc", proname=name)]
    if len(names) > 1:
        src = cat.namespace_oid(names[-2])
        if src is None:
            raise PgError("3F000", f'schema "{names[-2]}" does not exist')
        cands = [(t, r) for t, r in cands if r[p["pronamespace"]] == src]
    else:
        path = s.search_path_oids(cat)
        cands = [(t, r) for t, r in cands if r[p["pronamespace"]] in path]
        if cands:
            first = min(path.index(r[p["pronamespace"]]) for _, r in cands)
            cands = [(t, r) for t, r in cands if path.index(r[p["pronamespace"]]) == first]
    want = None
    if not owa.get("args_unspecified"):
        want = [lookup_type_name_oid(t["TypeName"], state) for t in owa.get("objargs") or []]
        cands = [(t, r) for t, r in cands
                 if list(r[p["proargtypes"]].items if r[p["proargtypes"]] else []) == want]
        shown = f"{'.'.join(names)}({_sig(want)})"
    else:
        shown = ".".join(names)
        if len(cands) > 1:
            raise PgError("42725", f'function name "{shown}" is not unique',
                          hint="Specify the argument list to select the function "
                               "unambiguously.")
    if not cands:
        if body.get("missing_ok"):
            s.add_notice(notice(f"function {shown} does not exist, skipping"))
            return QueryResult(tag=tag)
        raise PgError(UNDEFINED_FUNCTION, f"function {shown} does not exist")
    tid, row = cands[0]
    nsp = _target_namespace(s, cat, body["newschema"])
    if row[p["pronamespace"]] == nsp:
        return QueryResult(tag=tag)
    args = list(row[p["proargtypes"]].items if row[p["proargtypes"]] else [])
    for _, other in cat.find("pg_proc", proname=name, pronamespace=nsp):
        if list(other[p["proargtypes"]].items if other[p["proargtypes"]] else []) == args:
            raise PgError(DUPLICATE_FUNCTION, f"function {name}({_sig(args)}) already exists "
                          f'in schema "{body["newschema"]}"')
    cat.update("pg_proc", tid, replace("pg_proc", row, pronamespace=nsp))
    return QueryResult(tag=tag)
