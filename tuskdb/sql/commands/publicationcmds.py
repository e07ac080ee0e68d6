"""Publications (PostgreSQL's publicationcmds.c and pg_publication.c): the catalog side
of logical replication.

    CREATE PUBLICATION name [FOR ALL TABLES | FOR objects] [WITH (options)]
        pg_publication                   one row; options publish, publish_via_partition_root,
                                         publish_generated_columns
        pg_publication_rel               FOR TABLE t [(columns)] [WHERE (filter)]:
                                         prattrs (int2vector, sorted attnums) and prqual
                                         (the filter's raw parse tree as JSON, like adbin)
        pg_publication_namespace         FOR TABLES IN SCHEMA s
    ALTER PUBLICATION name ADD|SET|DROP objects / SET (options) / OWNER TO / RENAME TO
    DROP PUBLICATION                     with its pg_publication_rel/_namespace rows

TuskDB has no WAL decoding, so a publication changes nothing but the catalogs and the
checks PostgreSQL makes of what it publishes: UPDATE and DELETE of a published table
need a replica identity that covers the publication's column lists and row filters
(check_cmd_replica_identity, called by the executor).
"""

from __future__ import annotations

import json
from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (
    DUPLICATE_OBJECT,
    FEATURE_NOT_SUPPORTED,
    INSUFFICIENT_PRIVILEGE,
    INVALID_PARAMETER_VALUE,
    SYNTAX_ERROR,
    UNDEFINED_OBJECT,
    PgError,
    notice,
)
from tuskdb.sql.commands import foreign_acl as acl
from tuskdb.types import Array

PUBLICATION_CLASS = 6104
P = COLUMN_POS["pg_publication"]
PR = COLUMN_POS["pg_publication_rel"]
PN = COLUMN_POS["pg_publication_namespace"]
FIRST_NORMAL_OID = 16384
_SYSTEM_COLUMN_NAMES = ("ctid", "xmin", "cmin", "xmax", "cmax", "tableoid")

_RELKIND_WORDS = {"v": "views", "m": "materialized views", "S": "sequences",
                  "f": "foreign tables", "c": "composite types", "i": "indexes",
                  "I": "partitioned indexes", "t": "TOAST tables"}


# --- options -----------------------------------------------------------------------------

def _def_string(d: dict) -> str | None:
    """defGetString: the option's value as text (None when it has none)."""
    arg = d.get("arg")
    if arg is None:
        return None
    kind, body = next(iter(arg.items()))
    if kind == "String":
        return body.get("sval", "")
    if kind == "Integer":
        return str(body.get("ival", 0))
    if kind == "Float":
        return body.get("fval", "")
    if kind == "Boolean":
        return "true" if body.get("boolval") else "false"
    if kind == "TypeName":
        return ".".join(n["String"]["sval"] for n in body["names"])
    if kind == "A_Star":
        return "*"
    if kind == "List":
        return ".".join(n.get("String", {}).get("sval", "") for n in body["items"])
    return str(body)


def def_boolean(d: dict) -> bool:
    """defGetBoolean."""
    arg = d.get("arg")
    if arg is None:
        return True
    kind, body = next(iter(arg.items()))
    if kind == "Integer":
        v = body.get("ival", 0)
        if v in (0, 1):
            return bool(v)
    elif kind == "Boolean":
        return bool(body.get("boolval"))
    else:
        text = (_def_string(d) or "").lower()
        if text in ("true", "on"):
            return True
        if text in ("false", "off"):
            return False
    raise PgError(SYNTAX_ERROR, f"{d['defname']} requires a Boolean value")


def split_identifiers(text: str, param: str) -> list[str]:
    """SplitIdentifierString on a comma-separated list (lower-cased unless quoted)."""
    out: list[str] = []
    i, n = 0, len(text)
    bad = PgError(INVALID_PARAMETER_VALUE, f'invalid list syntax in parameter "{param}"')
    while i < n and text[i].isspace():
        i += 1
    if i == n:
        return out
    while True:
        if i < n and text[i] == '"':
            j = i + 1
            word = ""
            while True:
                k = text.find('"', j)
                if k < 0:
                    raise bad
                word += text[j:k]
                if k + 1 < n and text[k + 1] == '"':
                    word += '"'
                    j = k + 2
                    continue
                i = k + 1
                break
        else:
            j = i
            while i < n and text[i] != "," and not text[i].isspace():
                i += 1
            word = text[j:i].lower()
            if not word:
                raise bad
        out.append(word)
        while i < n and text[i].isspace():
            i += 1
        if i == n:
            return out
        if text[i] != ",":
            raise bad
        i += 1
        while i < n and text[i].isspace():
            i += 1


def parse_options(raw: Any, options: list | None) -> dict[str, Any]:
    """parse_publication_options: only the options given appear in the result."""
    from tuskdb.sql.parser import char_position
    out: dict[str, Any] = {}
    for o in options or []:
        d = o["DefElem"]
        name = d["defname"]
        if name not in ("publish", "publish_via_partition_root", "publish_generated_columns"):
            raise PgError(SYNTAX_ERROR, f'unrecognized publication parameter: "{name}"')
        if name in out:
            raise PgError(SYNTAX_ERROR, "conflicting or redundant options",
                          position=char_position(raw.source, d.get("location", -1)))
        if name == "publish":
            actions = {"insert": False, "update": False, "delete": False, "truncate": False}
            for word in split_identifiers(_def_string(d) or "", "publish"):
                if word not in actions:
                    raise PgError(SYNTAX_ERROR, f'unrecognized value for publication option '
                                  f'"publish": "{word}"')
                actions[word] = True
            out[name] = actions
        elif name == "publish_via_partition_root":
            out[name] = def_boolean(d)
        else:
            text = _def_string(d) or ""
            if text.lower() not in ("none", "stored"):
                raise PgError(SYNTAX_ERROR, f'invalid value for publication parameter '
                              f'"publish_generated_columns": "{text}"',
                              detail='Valid values are "none" and "stored".')
            out[name] = "n" if text.lower() == "none" else "s"
    return out


# --- lookups -----------------------------------------------------------------------------

def find_publication(cat: Any, name: str, missing_ok: bool = False
                     ) -> tuple[Any, tuple] | None:
    found = cat.find("pg_publication", pubname=name)
    if not found:
        if missing_ok:
            return None
        raise PgError(UNDEFINED_OBJECT, f'publication "{name}" does not exist')
    return found[0]


def _check_owner(s: Any, cat: Any, row: tuple) -> None:
    if not acl.has_privs_of_role(cat, acl.current_role(s, cat), row[P["pubowner"]]):
        raise PgError(INSUFFICIENT_PRIVILEGE,
                      f"must be owner of publication {row[P['pubname']]}")


def _qualified(cat: Any, rel: Any) -> str:
    return f"{cat.namespace_name(rel.namespace)}.{rel.name}"


class PubTable:
    """One FOR TABLE element after lookup (PublicationRelInfo)."""

    def __init__(self, rel: Any, where: dict | None, columns: list[str] | None,
                 location: int) -> None:
        self.rel = rel
        self.where = where
        self.columns = columns
        self.location = location


def _objects(s: Any, cat: Any, raw: Any, objs: list | None
             ) -> tuple[list[PubTable], list[int]]:
    """ObjectsInPublicationToOids: tables (with inheritance children unless ONLY) and
    schema OIDs; an object named twice is kept once (with the conflict errors)."""
    from tuskdb.sql.analyze.select import lookup_relation
    from tuskdb.sql.commands.tablecmds import _state
    state = _state(s, raw)
    tables: list[PubTable] = []
    schemas: list[int] = []
    for o in objs or []:
        spec = o["PublicationObjSpec"]
        kind = spec["pubobjtype"]
        if kind == "PUBLICATIONOBJ_TABLE":
            pt = spec["pubtable"]
            rv = pt["relation"]
            rel = lookup_relation(rv, state, report_position=False)
            cols = [c["String"]["sval"] for c in pt.get("columns") or []] or None
            where = pt.get("whereClause")
            rels = [rel]
            if rv.get("inh") and rel.relkind != "p":
                rels += [cat.relation_by_oid(c) for c in _descendants(cat, rel)]
            for i, r in enumerate(rels):
                dup = next((t for t in tables if t.rel.oid == r.oid), None)
                if dup is not None:
                    # a table named twice may carry a WHERE clause or column list once
                    if i == 0 and (dup.where is not None or where is not None):
                        raise PgError(DUPLICATE_OBJECT, f"conflicting or redundant WHERE "
                                      f'clauses for table "{r.name}"')
                    if i == 0 and (dup.columns is not None or cols is not None):
                        raise PgError(DUPLICATE_OBJECT, f"conflicting or redundant column "
                                      f'lists for table "{r.name}"')
                    continue
                tables.append(PubTable(r, where if i == 0 else None,
                                       cols if i == 0 else None, rv.get("location", -1)))
        else:
            if kind == "PUBLICATIONOBJ_TABLES_IN_CUR_SCHEMA":
                path = s.search_path_oids(cat)
                path = [n for n in path if n != 11 and n != getattr(s, "temp_nsp", None)]
                if not path:
                    raise PgError("3F000", "no schema has been selected for CURRENT_SCHEMA")
                nsp = path[0]
            else:
                nsp = cat.namespace_oid(spec["name"])
                if nsp is None:
                    raise PgError("3F000", f'schema "{spec["name"]}" does not exist')
            if nsp not in schemas:
                schemas.append(nsp)
    return tables, schemas


def _descendants(cat: Any, rel: Any) -> list[int]:
    out: list[int] = []
    todo = list(rel.children)
    while todo:
        oid = todo.pop(0)
        if oid in out:
            continue
        out.append(oid)
        child = cat.relation_by_oid(oid)
        if child is not None:
            todo.extend(child.children)
    return out


# --- checks ------------------------------------------------------------------------------

def _check_add_relation(cat: Any, rel: Any) -> None:
    """check_publication_add_relation."""
    def bad(detail: str) -> PgError:
        return PgError(INVALID_PARAMETER_VALUE,
                       f'cannot add relation "{rel.name}" to publication', detail=detail)
    if rel.relkind not in ("r", "p"):
        raise bad(f"This operation is not supported for "
                  f"{_RELKIND_WORDS.get(rel.relkind, 'this relation')}.")
    if rel.oid < FIRST_NORMAL_OID or rel.namespace in (11, 99) or \
            cat.namespace_name(rel.namespace) == "information_schema":
        raise bad("This operation is not supported for system tables.")
    if rel.persistence == "t":
        raise bad("This operation is not supported for temporary tables.")
    if rel.persistence == "u":
        raise bad("This operation is not supported for unlogged tables.")


def _check_add_schema(cat: Any, nsp: int) -> None:
    name = cat.namespace_name(nsp)
    if nsp in (11, 99) or name == "information_schema" or nsp < FIRST_NORMAL_OID and \
            name not in ("public",):
        raise PgError(INVALID_PARAMETER_VALUE, f'cannot add schema "{name}" to publication',
                      detail="This operation is not supported for system schemas.")
    if name.startswith(("pg_temp_", "pg_toast_temp_")):
        raise PgError(INVALID_PARAMETER_VALUE, f'cannot add schema "{name}" to publication',
                      detail="This operation is not supported for temporary schemas.")


def _check_table_owner(s: Any, cat: Any, rel: Any) -> None:
    from tuskdb.sql.commands.tablecmds import _check_rel_owner
    _check_rel_owner(s, cat, rel)


def _column_attnums(cat: Any, rel: Any, cols: list[str]) -> list[int]:
    """pub_collist_validate: the attnums of a column list, sorted."""
    out: list[int] = []
    for name in cols:
        col = rel.column(name)
        if col is None:
            if name in _SYSTEM_COLUMN_NAMES:
                raise PgError("42P10", f'cannot use system column "{name}" in publication '
                              f"column list")
            raise PgError("42703", f'column "{name}" of relation "{rel.name}" does not exist')
        if getattr(col, "generated", "") == "v":
            raise PgError("42P10", f'cannot use virtual generated column "{name}" in '
                          f"publication column list")
        if col.attnum in out:
            raise PgError(DUPLICATE_OBJECT, f'duplicate column "{name}" in publication column '
                          f"list")
        out.append(col.attnum)
    return sorted(out)


def _check_tables(s: Any, cat: Any, raw: Any, pubname: str, tables: list[PubTable],
                  has_schemas: bool, via_root: bool) -> None:
    """CheckPubRelationColumnList and the row-filter checks of transformPubWhereClauses."""
    for t in tables:
        if t.columns is not None:
            if has_schemas:
                raise PgError(INVALID_PARAMETER_VALUE, f'cannot use column list for relation '
                              f'"{_qualified(cat, t.rel)}" in publication "{pubname}"',
                              detail="Column lists cannot be specified in publications "
                                     "containing FOR TABLES IN SCHEMA elements.")
            if t.rel.relkind == "p" and not via_root:
                raise PgError(INVALID_PARAMETER_VALUE, f'cannot use column list for relation '
                              f'"{_qualified(cat, t.rel)}" in publication "{pubname}"',
                              detail="Column lists cannot be specified for partitioned tables "
                                     "when publish_via_partition_root is false.")
        if t.where is not None:
            if t.rel.relkind == "p" and not via_root:
                raise PgError(INVALID_PARAMETER_VALUE, f"cannot use publication WHERE clause "
                              f'for relation "{t.rel.name}"',
                              detail="WHERE clause cannot be used for a partitioned table "
                                     "when publish_via_partition_root is false.")
            _check_row_filter(s, cat, raw, t)


_ALLOWED_ONLY = ("Only columns, constants, built-in operators, built-in data types, built-in "
                 "collations, and immutable built-in functions are allowed.")


def _leftmost(node: Any) -> int:
    best = -1

    def walk(n: Any) -> None:
        nonlocal best
        if isinstance(n, dict):
            loc = n.get("location")
            if isinstance(loc, int) and loc >= 0 and (best < 0 or loc < best):
                best = loc
            for k, v in n.items():
                if k != "location":
                    walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)
    walk(node)
    return best


def _check_row_filter(s: Any, cat: Any, raw: Any, t: PubTable) -> None:
    """transformPubWhereClauses + check_simple_rowfilter_expr on one table's filter."""
    from tuskdb.sql.analyze.coerce import require_bool
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import RangeEntry, Scope
    from tuskdb.sql.commands.tablecmds import _state
    from tuskdb.sql.parser import char_position
    state = _state(s, raw)
    rel = t.rel
    scope = Scope()
    scope.add(RangeEntry(state.next_rt(), rel.name, [c.name for c in rel.columns],
                         [(c.type_oid, c.typmod) for c in rel.columns], rel=rel,
                         has_ctid=True))
    ec = ExprContext(state, scope, "WHERE", None)
    try:
        e = transform(t.where, ec)
        require_bool(e, "PUBLICATION WHERE")
    except PgError as err:
        if err.position is None and "must be type boolean" in str(err.message):
            err.position = char_position(raw.source, _leftmost(t.where))
        raise
    _simple_rowfilter(s, cat, raw, rel, t.where, ec)


def _io_coercion(ec: Any, body: dict) -> bool:
    """Is this cast an I/O conversion (CoerceViaIO, not allowed in a row filter)?
    Casts of literals are constants; binary-compatible and function casts pass."""
    from tuskdb.sql.analyze.expr import transform
    from tuskdb.types.catdata import CASTS
    arg = transform(body["arg"], ec)
    if arg.type_oid == 705:          # an unknown-typed literal: the cast is a constant
        return False
    target = transform({"TypeCast": body}, ec).type_oid
    if target == arg.type_oid:
        return False
    method = next((m for src, dst, _f, _c, m in CASTS if src == arg.type_oid and
                   dst == target), None)
    return method not in ("b", "f")


def _simple_rowfilter(s: Any, cat: Any, raw: Any, rel: Any, node: Any, ec: Any) -> None:
    from tuskdb.sql.parser import char_position

    def fail(n: Any, detail: str) -> PgError:
        return PgError(FEATURE_NOT_SUPPORTED, "invalid publication WHERE expression",
                       detail=detail, position=char_position(raw.source, _leftmost(n)))

    def walk(n: Any) -> None:
        if isinstance(n, list):
            for v in n:
                walk(v)
            return
        if not isinstance(n, dict):
            return
        for kind, body in n.items():
            if not isinstance(body, dict):
                walk(body)
                continue
            if kind in ("SubLink", "SQLValueFunction"):
                raise fail(n, _ALLOWED_ONLY)
            if kind == "ColumnRef":
                name = body["fields"][-1].get("String", {}).get("sval")
                col = rel.column(name) if name else None
                if col is None and name in _SYSTEM_COLUMN_NAMES:
                    raise fail(n, "System columns are not allowed.")
                if col is not None and col.type_oid >= FIRST_NORMAL_OID:
                    raise fail(n, "User-defined types are not allowed.")
                continue
            if kind == "A_Expr" and body.get("kind") == "AEXPR_OP":
                opname = body["name"][-1]["String"]["sval"]
                if _user_operator(cat, opname):
                    raise fail(n, "User-defined operators are not allowed.")
                if _has_user_collation(cat, body):
                    raise fail(n, "User-defined collations are not allowed.")
            if kind == "FuncCall":
                fname = body["funcname"][-1]["String"]["sval"]
                if not _immutable_builtin(fname, len(body.get("args") or [])):
                    raise fail(n, "User-defined or built-in mutable functions are not "
                               "allowed.")
            if kind == "TypeCast" and _io_coercion(ec, body):
                raise fail(n, _ALLOWED_ONLY)
            if kind == "TypeCast":
                tn = body.get("typeName", {})
                names = [x["String"]["sval"] for x in tn.get("names", [])]
                if names and cat.find("pg_type", typname=names[-1]):
                    found = cat.find("pg_type", typname=names[-1])
                    if all(r[COLUMN_POS["pg_type"]["oid"]] >= FIRST_NORMAL_OID
                           for _, r in found) and names[0] != "pg_catalog":
                        from tuskdb import types as _types
                        if not any(getattr(tp, "name", None) == names[-1]
                                   for tp in list(_types.TYPES.values())
                                   if getattr(tp, "oid", 0) < FIRST_NORMAL_OID):
                            raise fail(n, "User-defined types are not allowed.")
            walk(body)
    walk(node)


def _user_operator(cat: Any, name: str) -> bool:
    found = cat.find("pg_operator", oprname=name)
    if not found:
        return False
    return all(r[COLUMN_POS["pg_operator"]["oid"]] >= FIRST_NORMAL_OID for _, r in found)


def _has_user_collation(cat: Any, body: dict) -> bool:
    for side in ("lexpr", "rexpr"):
        sub = body.get(side)
        if isinstance(sub, dict) and "CollateClause" in sub:
            names = [x["String"]["sval"] for x in sub["CollateClause"]["collname"]]
            found = cat.find("pg_collation", collname=names[-1])
            if found and all(r[COLUMN_POS["pg_collation"]["oid"]] >= FIRST_NORMAL_OID
                             for _, r in found):
                return True
    return False


def _immutable_builtin(name: str, nargs: int) -> bool:
    from tuskdb.types.builtins import PROCS_BY_OID
    vols = [b[5] for b in PROCS_BY_OID.values() if b[1] == name and len(b[2]) == nargs]
    return bool(vols) and all(v == "i" for v in vols)


# --- catalog rows ------------------------------------------------------------------------

def _rel_rows(cat: Any, pubid: int) -> list[tuple[Any, tuple]]:
    return cat.find("pg_publication_rel", prpubid=pubid)


def _add_tables(s: Any, cat: Any, pub: tuple, tables: list[PubTable],
                if_not_exists: bool) -> None:
    """publication_add_relation for each table."""
    pubid = pub[P["oid"]]
    existing = {r[PR["prrelid"]] for _, r in _rel_rows(cat, pubid)}
    for t in tables:
        _check_table_owner(s, cat, t.rel)
        if t.rel.oid in existing:
            if if_not_exists:
                continue
            raise PgError(DUPLICATE_OBJECT, f'relation "{t.rel.name}" is already member of '
                          f'publication "{pub[P["pubname"]]}"')
        _check_add_relation(cat, t.rel)
        attrs = _column_attnums(cat, t.rel, t.columns) if t.columns is not None else None
        cat.insert("pg_publication_rel", make_row(
            "pg_publication_rel", oid=cat.m.next_oid(), prpubid=pubid, prrelid=t.rel.oid,
            prqual=json.dumps(t.where) if t.where is not None else None,
            prattrs=Array(attrs, 0) if attrs is not None else None))
        existing.add(t.rel.oid)


def _add_schemas(cat: Any, pub: tuple, schemas: list[int], if_not_exists: bool) -> None:
    pubid = pub[P["oid"]]
    existing = {r[PN["pnnspid"]] for _, r in cat.find("pg_publication_namespace",
                                                       pnpubid=pubid)}
    for nsp in schemas:
        _check_add_schema(cat, nsp)
        if nsp in existing:
            if if_not_exists:
                continue
            raise PgError(DUPLICATE_OBJECT, f'schema "{cat.namespace_name(nsp)}" is already '
                          f'member of publication "{pub[P["pubname"]]}"')
        cat.insert("pg_publication_namespace", make_row(
            "pg_publication_namespace", oid=cat.m.next_oid(), pnpubid=pubid, pnnspid=nsp))
        existing.add(nsp)


def _wal_level_warning(s: Any) -> None:
    try:
        level = s.show("wal_level")[1]
    except Exception:  # noqa: BLE001 - no such setting: nothing to say
        return
    if level != "logical":
        s.add_notice(notice('"wal_level" is insufficient to publish logical changes',
                            severity="WARNING", sqlstate="55000",
                            hint='Set "wal_level" to "logical" before creating '
                                 'subscriptions.'))


# --- CREATE / ALTER / DROP ---------------------------------------------------------------

def create_publication(s: Any, raw: Any) -> QueryResult:
    from tuskdb.catalog import aclchk
    body = raw.body
    cat = s.catalog()
    name = body["pubname"]
    me = acl.current_role(s, cat)
    aclchk.check_database_create(cat, me)
    if find_publication(cat, name, True):
        raise PgError(DUPLICATE_OBJECT, f'publication "{name}" already exists')
    opts = parse_options(raw, body.get("options"))
    actions = opts.get("publish", {"insert": True, "update": True, "delete": True,
                                   "truncate": True})
    via_root = opts.get("publish_via_partition_root", False)
    all_tables = bool(body.get("for_all_tables"))
    if all_tables and not acl.is_superuser(cat, me):
        raise PgError(INSUFFICIENT_PRIVILEGE, "must be superuser to create FOR ALL TABLES "
                      "publication")
    row = make_row("pg_publication", oid=cat.m.next_oid(), pubname=name, pubowner=me,
                   puballtables=all_tables, pubinsert=actions["insert"],
                   pubupdate=actions["update"], pubdelete=actions["delete"],
                   pubtruncate=actions["truncate"], pubviaroot=via_root,
                   pubgencols=opts.get("publish_generated_columns", "n"))
    cat.insert("pg_publication", row)
    if not all_tables:
        tables, schemas = _objects(s, cat, raw, body.get("pubobjects"))
        if schemas and not acl.is_superuser(cat, me):
            raise PgError(INSUFFICIENT_PRIVILEGE, "must be superuser to create FOR TABLES IN "
                          "SCHEMA publication")
        _check_tables(s, cat, raw, name, tables, bool(schemas), via_root)
        _add_tables(s, cat, row, tables, False)
        _add_schemas(cat, row, schemas, False)
    cat.command_counter_increment()
    _wal_level_warning(s)
    return QueryResult(tag="CREATE PUBLICATION")


def alter_publication(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    tid, pub = find_publication(cat, body["pubname"])
    _check_owner(s, cat, pub)
    if body.get("options"):
        _alter_options(s, cat, raw, tid, pub)
    else:
        _alter_objects(s, cat, raw, pub)
    cat.command_counter_increment()
    return QueryResult(tag="ALTER PUBLICATION")


def _alter_options(s: Any, cat: Any, raw: Any, tid: Any, pub: tuple) -> None:
    opts = parse_options(raw, raw.body["options"])
    changes: dict[str, Any] = {}
    if "publish" in opts:
        a = opts["publish"]
        changes.update(pubinsert=a["insert"], pubupdate=a["update"], pubdelete=a["delete"],
                       pubtruncate=a["truncate"])
    if "publish_via_partition_root" in opts:
        via = opts["publish_via_partition_root"]
        if not via and pub[P["pubviaroot"]]:
            _check_via_root_off(cat, pub)
        changes["pubviaroot"] = via
    if "publish_generated_columns" in opts:
        changes["pubgencols"] = opts["publish_generated_columns"]
    cat.update("pg_publication", tid, replace("pg_publication", pub, **changes))


def _check_via_root_off(cat: Any, pub: tuple) -> None:
    """Partitioned tables with a row filter or column list forbid turning
    publish_via_partition_root off."""
    for _, r in sorted(_rel_rows(cat, pub[P["oid"]]), key=lambda x: x[1][0]):
        rel = cat.relation_by_oid(r[PR["prrelid"]])
        if rel is None or rel.relkind != "p":
            continue
        what = None
        if r[PR["prqual"]] is not None:
            what = "WHERE clause"
        elif r[PR["prattrs"]] is not None:
            what = "column list"
        if what:
            raise PgError(INVALID_PARAMETER_VALUE, f'cannot set parameter '
                          f'"publish_via_partition_root" to false for publication '
                          f'"{pub[P["pubname"]]}"',
                          detail=f'The publication contains a {what} for partitioned table '
                                 f'"{rel.name}", which is not allowed when '
                                 f'"publish_via_partition_root" is false.')


def _alter_objects(s: Any, cat: Any, raw: Any, pub: tuple) -> None:
    body = raw.body
    action = body.get("action", "AP_AddObjects")
    pubname = pub[P["pubname"]]
    pubid = pub[P["oid"]]
    tables, schemas = _objects(s, cat, raw, body.get("pubobjects"))
    if pub[P["puballtables"]] and (tables or schemas or action == "AP_SetObjects"):
        detail = "Schemas cannot be added to or dropped from FOR ALL TABLES publications." \
            if schemas else "Tables cannot be added to or dropped from FOR ALL TABLES " \
            "publications."
        raise PgError(INVALID_PARAMETER_VALUE, f'publication "{pubname}" is defined as FOR '
                      f"ALL TABLES", detail=detail)
    if schemas and action != "AP_DropObjects" and \
            not acl.is_superuser(cat, acl.current_role(s, cat)):
        raise PgError(INSUFFICIENT_PRIVILEGE, "must be superuser to add or set schemas")
    via_root = pub[P["pubviaroot"]]
    if action == "AP_DropObjects":
        for t in tables:
            if t.where is not None:
                raise PgError(SYNTAX_ERROR, "cannot use a WHERE clause when removing a table "
                              "from a publication")
            if t.columns is not None:
                raise PgError(SYNTAX_ERROR, "column list must not be specified in ALTER "
                              "PUBLICATION ... DROP")
        for t in tables:
            found = cat.find("pg_publication_rel", prpubid=pubid, prrelid=t.rel.oid)
            if not found:
                raise PgError(UNDEFINED_OBJECT, f'relation "{t.rel.name}" is not part of the '
                              f"publication")
            cat.delete("pg_publication_rel", found[0][0])
        for nsp in schemas:
            found = cat.find("pg_publication_namespace", pnpubid=pubid, pnnspid=nsp)
            if not found:
                raise PgError(UNDEFINED_OBJECT, f'tables from schema '
                              f'"{cat.namespace_name(nsp)}" are not part of the publication')
            cat.delete("pg_publication_namespace", found[0][0])
        return
    if action == "AP_AddObjects":
        has_schemas = bool(schemas) or bool(cat.find("pg_publication_namespace",
                                                      pnpubid=pubid))
        if schemas and any(r[PR["prattrs"]] is not None for _, r in _rel_rows(cat, pubid)):
            raise PgError(INVALID_PARAMETER_VALUE, f'cannot add schema to publication '
                          f'"{pubname}"', detail="Schemas cannot be added if any tables that "
                          "specify a column list are already part of the publication.")
        _check_tables(s, cat, raw, pubname, tables, has_schemas, via_root)
        _add_tables(s, cat, pub, tables, False)
        _add_schemas(cat, pub, schemas, False)
        return
    # SET: the new list replaces the old; unchanged members are kept as they are
    _check_tables(s, cat, raw, pubname, tables, bool(schemas), via_root)
    keep: set[int] = set()
    for tid, r in _rel_rows(cat, pubid):
        new = next((t for t in tables if t.rel.oid == r[PR["prrelid"]]), None)
        same = new is not None and \
            (json.dumps(new.where) if new.where is not None else None) == r[PR["prqual"]] and \
            (_column_attnums(cat, new.rel, new.columns) if new.columns is not None
             else None) == (list(r[PR["prattrs"]].items) if r[PR["prattrs"]] is not None
                            else None)
        if same:
            keep.add(r[PR["prrelid"]])
        else:
            cat.delete("pg_publication_rel", tid)
    for tid, r in cat.find("pg_publication_namespace", pnpubid=pubid):
        if r[PN["pnnspid"]] not in schemas:
            cat.delete("pg_publication_namespace", tid)
    cat.command_counter_increment()
    _add_tables(s, cat, pub, [t for t in tables if t.rel.oid not in keep], True)
    _add_schemas(cat, pub, schemas, True)


def drop_publication(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    for obj in body["objects"]:
        name = obj["String"]["sval"]
        found = find_publication(cat, name, True)
        if found is None:
            if body.get("missing_ok"):
                s.add_notice(notice(f'publication "{name}" does not exist, skipping'))
                continue
            raise PgError(UNDEFINED_OBJECT, f'publication "{name}" does not exist')
        tid, row = found
        _check_owner(s, cat, row)
        remove_publication(cat, tid, row)
    cat.command_counter_increment()
    return QueryResult(tag="DROP PUBLICATION")


def remove_publication(cat: Any, tid: Any, row: tuple) -> None:
    pubid = row[P["oid"]]
    cat.delete_where("pg_publication_rel", prpubid=pubid)
    cat.delete_where("pg_publication_namespace", pnpubid=pubid)
    cat.delete_where("pg_description", objoid=pubid, classoid=PUBLICATION_CLASS)
    cat.delete("pg_publication", tid)


def rename_publication(s: Any, cat: Any, name: str, new: str) -> None:
    tid, row = find_publication(cat, name)
    if find_publication(cat, new, True):
        raise PgError(DUPLICATE_OBJECT, f'publication "{new}" already exists')
    _check_owner(s, cat, row)
    cat.update("pg_publication", tid, replace("pg_publication", row, pubname=new))


def alter_publication_owner(s: Any, cat: Any, name: str, spec: dict) -> None:
    from tuskdb.catalog import aclchk
    tid, row = find_publication(cat, name)
    new = acl.rolespec_oid(s, cat, spec)
    if row[P["pubowner"]] == new:
        return
    me = acl.current_role(s, cat)
    if not acl.is_superuser(cat, me):
        _check_owner(s, cat, row)
        acl.check_can_set_role(cat, me, new)
        aclchk.check_database_create(cat, new)
    if not acl.is_superuser(cat, me) and not acl.is_superuser(cat, new):
        if row[P["puballtables"]]:
            raise PgError(INSUFFICIENT_PRIVILEGE, f'permission denied to change owner of '
                          f'publication "{name}"',
                          hint="The owner of a FOR ALL TABLES publication must be a "
                               "superuser.")
        if cat.find("pg_publication_namespace", pnpubid=row[P["oid"]]):
            raise PgError(INSUFFICIENT_PRIVILEGE, f'permission denied to change owner of '
                          f'publication "{name}"',
                          hint="The owner of a FOR TABLES IN SCHEMA publication must be a "
                               "superuser.")
    cat.update("pg_publication", tid, replace("pg_publication", row, pubowner=new))


def comment_target(s: Any, cat: Any, obj: dict) -> tuple[int, int]:
    name = obj["String"]["sval"]
    _, row = find_publication(cat, name)
    _check_owner(s, cat, row)
    return row[P["oid"]], PUBLICATION_CLASS


def column_dependents(cat: Any, rel: Any, attnum: int, name: str
                      ) -> list[tuple[Any, str]]:
    """(pg_publication_rel tid, description) of memberships whose column list or row
    filter uses the column: DROP COLUMN reports them, or drops them with CASCADE."""
    from tuskdb.sql.execute.replident import _filter_columns
    out = []
    for tid, r in cat.find("pg_publication_rel", prrelid=rel.oid):
        uses = r[PR["prattrs"]] is not None and attnum in list(r[PR["prattrs"]].items)
        if not uses and r[PR["prqual"]] is not None:
            uses = name in _filter_columns(json.loads(r[PR["prqual"]]))
        if uses:
            pub = cat.find("pg_publication", oid=r[PR["prpubid"]])
            pubname = pub[0][1][P["pubname"]] if pub else "?"
            out.append((tid, f"publication of table {rel.name} in publication {pubname}"))
    return out


def forget_relation(cat: Any, reloid: int) -> None:
    """DROP TABLE: its memberships go with it."""
    cat.delete_where("pg_publication_rel", prrelid=reloid)


def forget_namespace(cat: Any, nspoid: int) -> None:
    """DROP SCHEMA: its memberships go with it."""
    cat.delete_where("pg_publication_namespace", pnnspid=nspoid)


def owned_publications(cat: Any, role: int) -> list[tuple]:
    """DROP OWNED / REASSIGN OWNED / DROP ROLE: the role's publications, as
    ownedcmds.owned_objects lists objects (sort key, subkey, description, catalog,
    oid, how)."""
    return [(r[P["oid"]], 0, f"owner of publication {r[P['pubname']]}", "pg_publication",
             r[P["oid"]], "owner") for _, r in cat.find("pg_publication", pubowner=role)]


# --- pg_get_publication_tables -----------------------------------------------------------

def _publishable(rel: Any) -> bool:
    """is_publishable_class: user tables that are neither temporary nor unlogged."""
    return rel is not None and rel.relkind in ("r", "p") and rel.oid >= FIRST_NORMAL_OID \
        and rel.persistence == "p" and rel.namespace not in (11, 99) and \
        rel.nspname != "information_schema"


def _leaves(cat: Any, rel: Any) -> list[int]:
    out = []
    for oid in rel.children:
        child = cat.relation_by_oid(oid)
        if child is None or child.partbound is None:
            continue
        if child.relkind == "p":
            out += _leaves(cat, child)
        else:
            out.append(oid)
    return out


def _part_option(cat: Any, rel: Any, via_root: bool) -> list[int]:
    """GetPubPartitionOptionRelations: a partitioned table is itself (root) or its
    leaf partitions."""
    if rel.relkind == "p" and not via_root:
        return _leaves(cat, rel)
    return [rel.oid]


def publication_relids(cat: Any, pub: tuple) -> list[int]:
    """The tables a publication publishes, as pg_get_publication_tables lists them."""
    via_root = bool(pub[P["pubviaroot"]])
    c = COLUMN_POS["pg_class"]
    out: list[int] = []

    def add(oids: list[int]) -> None:
        for o in oids:
            if o not in out:
                out.append(o)
    if pub[P["puballtables"]]:
        for row in sorted(cat.rows("pg_class"), key=lambda r: r[c["oid"]]):
            rel = cat.relation_by_oid(row[c["oid"]]) if row[c["relkind"]] in ("r", "p") \
                else None
            if not _publishable(rel):
                continue
            # FOR ALL TABLES: leaf tables, or with publish_via_partition_root the roots
            if (rel.relkind == "r" and not (via_root and rel.partbound is not None)) or \
                    (rel.relkind == "p" and via_root and rel.partbound is None):
                add([rel.oid])
    else:
        for _, r in sorted(_rel_rows(cat, pub[P["oid"]]), key=lambda x: x[1][PR["oid"]]):
            rel = cat.relation_by_oid(r[PR["prrelid"]])
            if rel is not None:
                add(_part_option(cat, rel, via_root))
        nsps = [r[PN["pnnspid"]] for _, r in sorted(
            cat.find("pg_publication_namespace", pnpubid=pub[P["oid"]]),
            key=lambda x: x[1][PN["oid"]])]
        for nsp in nsps:
            for row in sorted(cat.rows("pg_class"), key=lambda r: r[c["oid"]]):
                if row[c["relnamespace"]] != nsp or row[c["relkind"]] not in ("r", "p"):
                    continue
                rel = cat.relation_by_oid(row[c["oid"]])
                if _publishable(rel):
                    add(_part_option(cat, rel, via_root))
    if via_root:
        from tuskdb.sql.execute.replident import _ancestors
        out = [o for o in out
               if not any(a.oid in out for a in _ancestors(cat, cat.relation_by_oid(o)))]
    return out


def get_publication_tables(s: Any, names: Any) -> list[tuple]:
    """pg_get_publication_tables(VARIADIC text[]): (pubid, relid, attrs, qual)."""
    cat = s.catalog()
    if isinstance(names, str):
        names = [names]
    elif hasattr(names, "items"):
        names = list(names.items)
    out: list[tuple] = []
    for name in names:
        if name is None:
            continue
        _, pub = find_publication(cat, name)
        for relid in publication_relids(cat, pub):
            rel = cat.relation_by_oid(relid)
            found = cat.find("pg_publication_rel", prpubid=pub[P["oid"]], prrelid=relid)
            attrs = qual = None
            if found:
                attrs = found[0][1][PR["prattrs"]]
                qual = found[0][1][PR["prqual"]]
            if attrs is None:
                nums = [col.attnum for col in rel.columns if not col.dropped and
                        (not col.generated or
                         (col.generated == "s" and pub[P["pubgencols"]] == "s"))]
                attrs = Array(nums, 0)
            out.append((pub[P["oid"]], relid, attrs, qual))
    return out
