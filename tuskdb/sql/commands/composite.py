"""Composite types: CREATE TYPE ... AS (...), ALTER TYPE ADD/DROP/ALTER/RENAME
ATTRIBUTE, and the row type every table, view and composite type has.

As in PostgreSQL a composite type is a pg_class row (relkind 'c' for a
stand-alone one, no storage) with pg_attribute rows, plus a pg_type row
(typtype 'c', ``typrelid`` = the class) and its array type.  Tables get their
row type the same way (``add_row_type``, called by ``_insert_relation``).
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.manager import CatalogView, attribute_row
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (DUPLICATE_COLUMN, DUPLICATE_OBJECT, FEATURE_NOT_SUPPORTED,
                           UNDEFINED_COLUMN, UNDEFINED_OBJECT, WRONG_OBJECT_TYPE, PgError, notice)
from tuskdb.sql.commands import typecmds

_T = COLUMN_POS["pg_type"]
_A = COLUMN_POS["pg_attribute"]
ROW_TYPE_RELKINDS = frozenset("rpvmcf")


def add_row_type(s: Any, cat: CatalogView, reloid: int, name: str, nsp: int, owner: int,
                 relkind: str) -> int:
    """Create the row type of relation ``reloid`` (pg_type row + array); returns its OID."""
    shell = typecmds._check_type_name_free(cat, nsp, name)
    oid = shell[1][_T["oid"]] if shell else cat.m.next_oid()
    array_oid = cat.m.next_oid()
    typecmds.insert_type(cat, oid=oid, name=name, nsp=nsp, owner=owner, typtype="c",
                         typlen=-1, byval=False, category="C", align="d", storage="x",
                         array_oid=array_oid, relid=reloid, shell=shell)
    return oid


def create_composite(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.analyze.expr import check_collation, resolve_type_name
    from tuskdb.sql.commands.tablecmds import ColumnSpec, _insert_relation, _state

    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    rv = body["typevar"]
    names = ([rv["schemaname"]] if rv.get("schemaname") else []) + [rv["relname"]]
    nsp = typecmds._creation_namespace(s, cat, names)
    name = rv["relname"]
    typecmds._check_type_name_free(cat, nsp, name)
    if cat.relation_oid(nsp, name) is not None:
        raise PgError("42P07", f'relation "{name}" already exists')
    cols = []
    for elt in body.get("coldeflist") or []:
        cd = elt["ColumnDef"]
        if any(c.name == cd["colname"] for c in cols):
            raise PgError(DUPLICATE_COLUMN, f'column "{cd["colname"]}" specified more than once')
        t, m = resolve_type_name(cd["typeName"], state)
        from tuskdb.sql.commands.tablecmds import check_type_usage
        check_type_usage(state.session, state.catalog, t)
        if cd.get("collClause"):
            cc = cd["collClause"]
            check_collation(typecmds._names(cc["collname"]), state.pos(cc.get("location")))
        check_not_self(cat, t, name, nsp)
        cols.append(ColumnSpec(cd["colname"], t, m))
    reloid = cat.m.next_oid()
    _insert_relation(s, cat, reloid, name, nsp, "c", cols, relam=0, relfilenode=0,
                     create_storage=False)
    return QueryResult(tag="CREATE TYPE")


def check_not_self(cat: CatalogView, type_oid: int, name: str, nsp: int) -> None:
    """A composite type may not contain itself, also through arrays, domains and
    range or multirange types (CheckAttributeType)."""
    from tuskdb.types.ranges import MULTIRANGE_RANGE, RANGE_TYPES
    seen: set[int] = set()
    todo = [type_oid]
    while todo:
        oid = todo.pop()
        if oid in seen:
            continue
        seen.add(oid)
        t = cat.type_by_oid(oid)
        if t is None:
            continue
        if t.typtype == "c" and t.name == name and t.namespace == nsp:
            raise PgError("42P16", f'composite type {name} cannot be made a member of itself')
        if t.typtype == "m" and oid in MULTIRANGE_RANGE:
            todo.append(MULTIRANGE_RANGE[oid])
        elif t.typtype == "r" and oid in RANGE_TYPES:
            todo.append(RANGE_TYPES[oid][0])
        elif t.typtype == "d":
            todo.append(getattr(t, "base_oid", 0))
        elif t.category == "A" and t.elem_oid:
            todo.append(t.elem_oid)


def composite_relation(s: Any, cat: CatalogView, rv: dict, missing_ok: bool = False) -> Any:
    """The pg_class row (RelationInfo) behind a composite type named by ``rv``."""
    names = ([rv["schemaname"]] if rv.get("schemaname") else []) + [rv["relname"]]
    oid = typecmds.lookup_type_oid(s, cat, names)
    if oid is None:
        if missing_ok:
            return None
        raise PgError(UNDEFINED_OBJECT, f'type "{".".join(names)}" does not exist')
    t = cat.type_by_oid(oid)
    if t is None or t.typtype != "c":
        raise PgError(WRONG_OBJECT_TYPE, f"{t.sql_name if t else names[-1]} is not a "
                      f"composite type")
    rel = cat.relation_by_oid(t.relid)
    if rel.relkind != "c":
        raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not a composite type')
    return rel


def _typed_tables(cat: CatalogView, type_oid: int) -> list[Any]:
    c = COLUMN_POS["pg_class"]
    return [cat.relation_by_oid(r[c["oid"]]) for r in cat.rows("pg_class")
            if r[c["reloftype"]] == type_oid]


def _uses(cat: CatalogView, type_oid: int, rel: Any) -> None:
    """ALTER TYPE on a composite type used by a table column: not allowed (PostgreSQL
    says so unless the change needs no rewrite; we refuse them all)."""
    deps = [d for d in typecmds.type_dependents(cat, type_oid) if d[0] == "column"]
    if deps:
        trel, att = deps[0][1]
        raise PgError(FEATURE_NOT_SUPPORTED, f'cannot alter type "{rel.name}" because column '
                      f'"{trel.name}.{att}" uses it')


def alter_composite(s: Any, raw: Any) -> QueryResult:
    """ALTER TYPE name ADD/DROP/ALTER ATTRIBUTE (AlterTableStmt with OBJECT_TYPE)."""
    from tuskdb.sql.analyze.expr import resolve_type_name
    from tuskdb.sql.commands.tablecmds import _state

    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    rel = composite_relation(s, cat, body["relation"], body.get("missing_ok", False))
    if rel is None:
        s.add_notice(notice(f'type "{body["relation"]["relname"]}" does not exist, skipping'))
        return QueryResult(tag="ALTER TYPE")
    t = cat.type_by_oid(cat.find("pg_type", typrelid=rel.oid)[0][1][_T["oid"]])
    for c in body["cmds"]:
        cmd = c["AlterTableCmd"]
        sub = cmd["subtype"]
        cascade = cmd.get("behavior") == "DROP_CASCADE"
        typed = [r for r in _typed_tables(cat, t.oid) if r is not None]
        if typed and not cascade:
            raise PgError("2BP01", f'cannot alter type "{rel.name}" because it is the type of '
                          f"a typed table",
                          hint="Use ALTER ... CASCADE to alter the typed tables too.")
        if sub != "AT_AddColumn":
            _uses(cat, t.oid, rel)
        live = [col for col in rel.columns if not col.dropped]
        if sub == "AT_AddColumn":
            cd = cmd["def"]["ColumnDef"]
            if any(col.name == cd["colname"] for col in live):
                raise PgError(DUPLICATE_COLUMN, f'column "{cd["colname"]}" of relation '
                              f'"{rel.name}" already exists')
            tt, m = resolve_type_name(cd["typeName"], state)
            from tuskdb.sql.commands.tablecmds import check_type_usage
            check_type_usage(state.session, cat, tt)
            check_not_self(cat, tt, rel.name, rel.namespace)
            attnum = max((col.attnum for col in rel.columns), default=0) + 1
            for r in [rel] + typed:
                cat.insert("pg_attribute", attribute_row(r.oid, cd["colname"], tt, m, attnum,
                                                         False))
                _bump_natts(cat, r.oid, attnum)
        elif sub == "AT_DropColumn":
            col = next((x for x in live if x.name == cmd["name"]), None)
            if col is None:
                if cmd.get("missing_ok"):
                    s.add_notice(notice(f'column "{cmd["name"]}" of relation "{rel.name}" does '
                                        f"not exist, skipping"))
                    continue
                raise PgError(UNDEFINED_COLUMN, f'column "{cmd["name"]}" of relation '
                              f'"{rel.name}" does not exist')
            for r in [rel] + typed:
                _drop_attribute(cat, r.oid, col.attnum)
        elif sub == "AT_AlterColumnType":
            col = next((x for x in live if x.name == cmd["name"]), None)
            if col is None:
                raise PgError(UNDEFINED_COLUMN, f'column "{cmd["name"]}" of relation '
                              f'"{rel.name}" does not exist')
            cd = cmd["def"]["ColumnDef"]
            tt, m = resolve_type_name(cd["typeName"], state)
            from tuskdb.sql.commands.tablecmds import check_type_usage
            check_type_usage(state.session, cat, tt)
            for r in [rel] + typed:
                for tid, row in cat.find("pg_attribute", attrelid=r.oid, attnum=col.attnum):
                    fresh = attribute_row(r.oid, col.name, tt, m, col.attnum,
                                          row[_A["attnotnull"]])
                    cat.update("pg_attribute", tid, fresh)
        else:
            raise PgError(FEATURE_NOT_SUPPORTED, f"ALTER TYPE {sub} is not supported")
        cat.command_counter_increment()
        rel = cat.relation_by_oid(rel.oid)
    return QueryResult(tag="ALTER TYPE")


def _bump_natts(cat: CatalogView, reloid: int, natts: int) -> None:
    for tid, row in cat.find("pg_class", oid=reloid):
        cat.update("pg_class", tid, replace("pg_class", row, relnatts=natts))


def _drop_attribute(cat: CatalogView, reloid: int, attnum: int) -> None:
    for tid, row in cat.find("pg_attribute", attrelid=reloid, attnum=attnum):
        cat.update("pg_attribute", tid, replace(
            "pg_attribute", row, attisdropped=True, atttypid=0,
            attname=f"........pg.dropped.{attnum}........"))


def rename_attribute(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    rel = composite_relation(s, cat, body["relation"], body.get("missing_ok", False))
    if rel is None:
        return QueryResult(tag="ALTER TYPE")
    t_oid = cat.find("pg_type", typrelid=rel.oid)[0][1][_T["oid"]]
    typed = [r for r in _typed_tables(cat, t_oid) if r is not None]
    if typed and body.get("behavior") != "DROP_CASCADE":
        raise PgError("2BP01", f'cannot alter type "{rel.name}" because it is the type of a '
                      f"typed table", hint="Use ALTER ... CASCADE to alter the typed tables "
                                           "too.")
    old, new = body["subname"], body["newname"]
    for r in [rel] + typed:
        found = [(tid, row) for tid, row in cat.find("pg_attribute", attrelid=r.oid,
                                                     attname=old)
                 if not row[_A["attisdropped"]]]
        if not found:
            raise PgError(UNDEFINED_COLUMN, f'column "{old}" does not exist')
        if cat.find("pg_attribute", attrelid=r.oid, attname=new):
            raise PgError(DUPLICATE_COLUMN, f'column "{new}" of relation "{r.name}" already '
                          f"exists")
        tid, row = found[0]
        cat.update("pg_attribute", tid, replace("pg_attribute", row, attname=new))
    return QueryResult(tag="ALTER TYPE")


def create_typed_table(s: Any, raw: Any, state: Any) -> QueryResult:
    """CREATE TABLE name OF type [(column WITH OPTIONS ..., table constraints)]."""
    import copy

    from tuskdb.sql.analyze.expr import resolve_type_name
    from tuskdb.sql.commands.tablecmds import create_table
    from tuskdb.sql.parser import RawStmt

    body = copy.deepcopy(raw.body)
    cat = state.catalog
    tn = body.pop("ofTypename")
    type_oid, _ = resolve_type_name(tn, state)
    from tuskdb.sql.commands.tablecmds import check_type_usage
    check_type_usage(state.session, cat, type_oid)
    t = cat.type_by_oid(type_oid)
    if t is None or t.typtype != "c":
        raise PgError(WRONG_OBJECT_TYPE, f"type {t.sql_name if t else type_oid} is not a "
                      f"composite type")
    rel = cat.relation_by_oid(t.relid)
    if rel is None or rel.relkind != "c":
        raise PgError(WRONG_OBJECT_TYPE, f"type {t.sql_name} is the row type of another table",
                      detail="A typed table must use a stand-alone composite type created "
                             "with CREATE TYPE.")
    options: dict[str, dict] = {}
    others = []
    for elt in body.get("tableElts") or []:
        if "ColumnDef" in elt and not elt["ColumnDef"].get("typeName"):
            cd = elt["ColumnDef"]
            if cd["colname"] in options:
                raise PgError(DUPLICATE_COLUMN, f'column "{cd["colname"]}" specified more '
                              f"than once")
            if any(c["Constraint"]["contype"] == "CONSTR_IDENTITY"
                   for c in cd.get("constraints") or []):
                raise PgError(FEATURE_NOT_SUPPORTED, "identity columns are not supported on "
                              "typed tables")
            options[cd["colname"]] = cd
        else:
            others.append(elt)
    names = [f[0] for f in t.fields]
    for n in options:
        if n not in names:
            raise PgError(UNDEFINED_COLUMN, f'column "{n}" does not exist')
    elts = []
    for fname, ftype, fmod in t.fields:
        cd = dict(options.get(fname) or {"colname": fname, "is_local": True})
        ft = cat.type_by_oid(ftype)
        cd["typeName"] = {"names": [{"String": {"sval": "pg_catalog"}},
                                    {"String": {"sval": ft.name if ft else str(ftype)}}],
                          "_oid": ftype, "_typmod": fmod, "location": -1}
        elts.append({"ColumnDef": cd})
    body["tableElts"] = elts + others
    rv = body["relation"]
    before = set(_relation_oids(s, cat, rv))
    res = create_table(s, RawStmt({"CreateStmt": body}, raw.location, raw.length, raw.source))
    cat.command_counter_increment()
    for oid in _relation_oids(s, cat, rv):
        if oid in before:
            continue
        for tid, row in cat.find("pg_class", oid=oid):
            cat.update("pg_class", tid, replace("pg_class", row, reloftype=type_oid))
        typecmds._depend(cat, 1259, oid, 1247, type_oid, "n")
    return res


def _relation_oids(s: Any, cat: CatalogView, rv: dict) -> list[int]:
    if rv.get("schemaname"):
        nsp = cat.namespace_oid(rv["schemaname"])
        path = [nsp] if nsp is not None else []
    else:
        path = s.search_path_oids(cat)
    out = []
    for nsp in path:
        oid = cat.relation_oid(nsp, rv["relname"])
        if oid is not None:
            out.append(oid)
    return out


def contains_type(cat: CatalogView, t_oid: int, target: int, depth: int = 0) -> bool:
    """Does type ``t_oid`` contain ``target`` (itself, as array element, domain base or
    composite field, at any depth)?"""
    if t_oid == target:
        return True
    if depth > 32 or t_oid < 16384:
        return False
    found = cat.find("pg_type", oid=t_oid)
    if not found:
        return False
    row = found[0][1]
    if row[_T["typelem"]] and row[_T["typcategory"]] == "A":
        return contains_type(cat, row[_T["typelem"]], target, depth + 1)
    if row[_T["typtype"]] == "d":
        return contains_type(cat, row[_T["typbasetype"]], target, depth + 1)
    if row[_T["typtype"]] == "c":
        a = COLUMN_POS["pg_attribute"]
        for r in cat.find("pg_attribute", attrelid=row[_T["typrelid"]]):
            r = r[1]
            if r[a["attnum"]] > 0 and not r[a["attisdropped"]] and \
                    contains_type(cat, r[a["atttypid"]], target, depth + 1):
                return True
    return False


def is_typed_table(cat: CatalogView, reloid: int) -> bool:
    for _, row in cat.find("pg_class", oid=reloid):
        return bool(row[COLUMN_POS["pg_class"]["reloftype"]])
    return False


def _row_type_users(cat: CatalogView, rel: Any) -> None:
    """find_composite_type_dependencies: a change that rewrites rows is refused while
    another table stores values of this table's row type."""
    found = cat.find("pg_type", typrelid=rel.oid)
    if not found:
        return
    for kind, what in typecmds.type_dependents(cat, found[0][1][_T["oid"]]):
        if kind == "column":
            user, att = what
            word = "foreign table" if rel.relkind == "f" else "table"
            raise PgError(FEATURE_NOT_SUPPORTED, f'cannot alter {word} "{rel.name}" because '
                          f'column "{user.name}.{att}" uses its row type')


def _nonnull_default(cd: dict) -> bool:
    for c in cd.get("constraints") or []:
        con = c["Constraint"]
        if con["contype"] == "CONSTR_DEFAULT":
            raw = con.get("raw_expr") or {}
            return not ("A_Const" in raw and raw["A_Const"].get("isnull"))
    return False


def check_typed_table_alter(cat: CatalogView, rel: Any, sub: str, cmd: dict, state: Any
                            ) -> None:
    """ALTER TABLE subcommands a typed table refuses (its columns are its type's), and
    rewrites refused while the row type is stored elsewhere."""
    if sub in ("AT_AddColumn", "AT_AlterColumnType") and \
            (cmd.get("def") or {}).get("ColumnDef", {}).get("typeName"):
        from tuskdb.sql.analyze.expr import resolve_type_name
        new_type, _ = resolve_type_name(cmd["def"]["ColumnDef"]["typeName"], state)
        found = cat.find("pg_type", typrelid=rel.oid)
        if found and contains_type(cat, new_type, found[0][1][_T["oid"]]):
            raise PgError("42P16", f"composite type {rel.name} cannot be made a member of "
                          f"itself")
    if sub == "AT_AlterColumnType" or (sub == "AT_AddColumn" and
                                       _nonnull_default(cmd["def"]["ColumnDef"])):
        if not is_typed_table(cat, rel.oid):
            _row_type_users(cat, rel)
    if not is_typed_table(cat, rel.oid):
        return
    if sub == "AT_AddColumn":
        raise PgError("42809", "cannot add column to typed table")
    if sub == "AT_DropColumn":
        raise PgError("42809", "cannot drop column from typed table")
    if sub == "AT_AlterColumnType":
        loc = (cmd.get("def") or {}).get("ColumnDef", {}).get("location")
        raise PgError("42809", "cannot alter column type of typed table",
                      position=state.pos(loc) if loc is not None else None)
    raise PgError("42809", "cannot change inheritance of typed table")


def alter_table_of(s: Any, cat: CatalogView, rel: Any, cmd: dict, state: Any) -> None:
    """ALTER TABLE t OF type / NOT OF (ATExecAddOf / ATExecDropOf)."""
    from tuskdb.sql.analyze.expr import resolve_type_name
    c = COLUMN_POS["pg_class"]
    found = cat.find("pg_class", oid=rel.oid)
    tid, row = found[0]
    if cmd["subtype"] == "AT_DropOf":
        if not row[c["reloftype"]]:
            raise PgError(WRONG_OBJECT_TYPE, f'table "{rel.name}" is not a typed table')
        cat.update("pg_class", tid, replace("pg_class", row, reloftype=0))
        cat.delete_where("pg_depend", objid=rel.oid, refobjid=row[c["reloftype"]])
        return
    type_oid, _ = resolve_type_name(cmd["def"]["TypeName"], state)
    from tuskdb.sql.commands.tablecmds import check_type_usage
    check_type_usage(state.session, cat, type_oid)
    t = cat.type_by_oid(type_oid)
    if t is None or t.typtype != "c":
        raise PgError(WRONG_OBJECT_TYPE, f"type {t.sql_name if t else type_oid} is not a "
                      f"composite type")
    trel = cat.relation_by_oid(t.relid)
    if trel is None or trel.relkind != "c":
        raise PgError(WRONG_OBJECT_TYPE, f"type {t.sql_name} is the row type of another table",
                      detail="A typed table must use a stand-alone composite type created "
                             "with CREATE TYPE.")
    if cat.find("pg_inherits", inhrelid=rel.oid):
        raise PgError(WRONG_OBJECT_TYPE, "typed tables cannot inherit")
    cols = [col for col in rel.columns if not col.dropped]
    for i, col in enumerate(cols):
        if i >= len(t.fields):
            raise PgError(DATATYPE_MISMATCH_, f'table has extra column "{col.name}"')
        fname, ftype, fmod = t.fields[i]
        if col.name != fname:
            raise PgError(DATATYPE_MISMATCH_, f'table has column "{col.name}" where type '
                          f'requires "{fname}"')
        if col.type_oid != ftype or col.typmod != fmod:
            raise PgError(DATATYPE_MISMATCH_, f'table "{rel.name}" has different type for '
                          f'column "{col.name}"')
    if len(cols) < len(t.fields):
        raise PgError(DATATYPE_MISMATCH_, f'table is missing column "{t.fields[len(cols)][0]}"')
    if row[c["reloftype"]]:
        cat.delete_where("pg_depend", objid=rel.oid, refobjid=row[c["reloftype"]])
    cat.update("pg_class", tid, replace("pg_class", row, reloftype=type_oid))
    typecmds._depend(cat, 1259, rel.oid, 1247, type_oid, "n")


DATATYPE_MISMATCH_ = "42804"


def drop_composite_relation(s: Any, cat: CatalogView, t: Any) -> None:
    """DROP TYPE of a stand-alone composite type: its pg_class and pg_attribute rows."""
    if t.relid:
        cat.delete_where("pg_class", oid=t.relid)
        cat.delete_where("pg_attribute", attrelid=t.relid)
        cat.delete_where("pg_depend", objid=t.relid)


__all__ = ["add_row_type", "create_composite", "alter_composite", "rename_attribute",
           "DUPLICATE_OBJECT"]
