"""ALTER ... RENAME, COMMENT ON, REINDEX, ALTER ... OWNER TO (PostgreSQL's alter.c,
comment.c, indexcmds.c ReindexTable)."""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (DUPLICATE_COLUMN, DUPLICATE_OBJECT, DUPLICATE_SCHEMA, DUPLICATE_TABLE,
                           FEATURE_NOT_SUPPORTED, INVALID_SCHEMA_NAME, UNDEFINED_COLUMN,
                           UNDEFINED_OBJECT, WRONG_OBJECT_TYPE, PgError, notice)
from tuskdb.sql.commands.tablecmds import ACCESS_EXCLUSIVE, _state, lock_relation

_KIND_OF = {"OBJECT_TABLE": "r", "OBJECT_INDEX": "i", "OBJECT_SEQUENCE": "S", "OBJECT_VIEW": "v",
            "OBJECT_MATVIEW": "m", "OBJECT_FOREIGN_TABLE": "f"}
_WORD = {"r": "table", "i": "index", "S": "sequence", "v": "view", "m": "materialized view",
         "f": "foreign table"}


def _rel(s: Any, raw: Any, rv: dict, missing_ok: bool = False) -> Any:
    from tuskdb.sql.analyze.select import lookup_relation
    try:
        return lookup_relation(rv, _state(s, raw), False)
    except PgError as err:
        if missing_ok and err.sqlstate == "42P01":
            s.add_notice(notice(f'relation "{rv["relname"]}" does not exist, skipping'))
            return None
        raise


def rename(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    kind = body["renameType"]
    if kind in ("OBJECT_TSDICTIONARY", "OBJECT_TSCONFIGURATION", "OBJECT_TSPARSER",
                "OBJECT_TSTEMPLATE"):
        from tuskdb.sql.commands.tsearchcmds import rename as ts_rename
        return ts_rename(s, raw)
    if kind in ("OBJECT_TYPE", "OBJECT_DOMAIN", "OBJECT_DOMCONSTRAINT", "OBJECT_ATTRIBUTE"):
        from tuskdb.sql.commands.typecmds import rename_type
        return rename_type(s, raw)
    cat = s.catalog()
    new = body["newname"]
    if kind in ("OBJECT_FDW", "OBJECT_FOREIGN_SERVER"):
        from tuskdb.sql.commands import foreigncmds
        name = body["object"]["String"]["sval"]
        if kind == "OBJECT_FDW":
            foreigncmds.rename_fdw(s, cat, name, new)
            return QueryResult(tag="ALTER FOREIGN DATA WRAPPER")
        foreigncmds.rename_server(s, cat, name, new)
        return QueryResult(tag="ALTER SERVER")
    if kind == "OBJECT_PUBLICATION":
        from tuskdb.sql.commands.publicationcmds import rename_publication
        rename_publication(s, cat, body["object"]["String"]["sval"], new)
        return QueryResult(tag="ALTER PUBLICATION")
    if kind == "OBJECT_SUBSCRIPTION":
        from tuskdb.sql.commands.subscriptioncmds import rename_subscription
        rename_subscription(s, cat, body["object"]["String"]["sval"], new)
        return QueryResult(tag="ALTER SUBSCRIPTION")
    if kind == "OBJECT_ROLE":
        from tuskdb.sql.commands.rolecmds import rename_role
        return rename_role(s, body["subname"], new)
    if kind in ("OBJECT_FUNCTION", "OBJECT_AGGREGATE", "OBJECT_PROCEDURE", "OBJECT_ROUTINE"):
        return _rename_routine(s, raw, kind, new)
    if "relation" not in body and kind != "OBJECT_SCHEMA":
        what = kind.replace("OBJECT_", "").replace("_", " ")
        raise PgError(FEATURE_NOT_SUPPORTED, f"ALTER {what} ... RENAME is not supported")
    if kind == "OBJECT_SCHEMA":
        old = body["subname"]
        nsp = cat.namespace_oid(old)
        if nsp is None:
            raise PgError(INVALID_SCHEMA_NAME, f'schema "{old}" does not exist')
        if cat.namespace_oid(new) is not None:
            raise PgError(DUPLICATE_SCHEMA, f'schema "{new}" already exists')
        for tid, row in cat.find("pg_namespace", oid=nsp):
            cat.update("pg_namespace", tid, replace("pg_namespace", row, nspname=new))
        return QueryResult(tag="ALTER SCHEMA")
    rel = _rel(s, raw, body["relation"], body.get("missing_ok", False))
    tag = {"OBJECT_TABLE": "ALTER TABLE", "OBJECT_COLUMN": "ALTER TABLE",
           "OBJECT_TABCONSTRAINT": "ALTER TABLE", "OBJECT_INDEX": "ALTER INDEX",
           "OBJECT_SEQUENCE": "ALTER SEQUENCE", "OBJECT_VIEW": "ALTER VIEW"}.get(
        kind, "ALTER TABLE")
    if rel is None:
        return QueryResult(tag=tag)
    lock_relation(s, rel.oid, ACCESS_EXCLUSIVE)
    if kind == "OBJECT_COLUMN" and body.get("relationType") == "OBJECT_TABLE":
        from tuskdb.sql.commands.composite import is_typed_table
        if is_typed_table(cat, rel.oid):
            raise PgError(WRONG_OBJECT_TYPE, "cannot rename column of typed table")
    if kind == "OBJECT_COLUMN" and (rel.children or rel.parents) and \
            rel.relkind in ("r", "p"):
        from tuskdb.sql.commands.inherit import rename_column
        rename_column(s, cat, rel, body["subname"], new, bool(body["relation"].get("inh")),
                      _rename_in_expressions)
        return QueryResult(tag="ALTER TABLE")
    if kind == "OBJECT_COLUMN":
        old = body["subname"]
        if body.get("relationType") == "OBJECT_VIEW" and rel.relkind != "v":
            pass
        p = COLUMN_POS["pg_attribute"]
        found = [(t, r) for t, r in cat.find("pg_attribute", attrelid=rel.oid, attname=old)
                 if not r[p["attisdropped"]]]
        if not found:
            raise PgError(UNDEFINED_COLUMN, f'column "{old}" does not exist')
        if found[0][1][p["attnum"]] < 0:
            raise PgError("0A000", f'cannot rename system column "{old}"')
        if rel.column(new) is not None:
            raise PgError(DUPLICATE_COLUMN, f'column "{new}" of relation "{rel.name}" already '
                          f"exists")
        tid, row = found[0]
        cat.update("pg_attribute", tid, replace("pg_attribute", row, attname=new))
        _rename_in_expressions(cat, rel.oid, old, new)
        return QueryResult(tag="ALTER TABLE")
    if kind == "OBJECT_TABCONSTRAINT":
        old = body["subname"]
        found = cat.find("pg_constraint", conrelid=rel.oid, conname=old)
        if not found:
            raise PgError(UNDEFINED_OBJECT, f'constraint "{old}" for table "{rel.name}" does '
                          f"not exist")
        if cat.find("pg_constraint", conrelid=rel.oid, conname=new):
            raise PgError(DUPLICATE_OBJECT, f'constraint "{new}" for relation "{rel.name}" '
                          f"already exists")
        tid, row = found[0]
        cp = COLUMN_POS["pg_constraint"]
        if row[cp["coninhcount"]] > 0:
            raise PgError("42P16", f'cannot rename inherited constraint "{old}"')
        cat.update("pg_constraint", tid, replace("pg_constraint", row, conname=new))
        idx = row[cp["conindid"]]
        if row[cp["contype"]] in "pu" and idx:
            _rename_relation(cat, idx, new)
        inheritable = row[cp["contype"]] in ("c", "n") and not row[cp["connoinherit"]]
        recurse = bool(body["relation"].get("inh"))     # the grammar leaves it out: ONLY
        if inheritable and not recurse and rel.children:
            raise PgError("42P16", f'inherited constraint "{old}" must be renamed in child '
                          f"tables too")
        if inheritable and recurse:
            # the inherited copies in the descendants follow (renameconstraint's recursion)
            from tuskdb.sql.commands.inherit import find_all_inheritors
            for child in find_all_inheritors(cat, rel.oid)[1:]:
                for ctid, crow in cat.find("pg_constraint", conrelid=child, conname=old):
                    if crow[cp["coninhcount"]] > 0:
                        cat.update("pg_constraint", ctid,
                                   replace("pg_constraint", crow, conname=new))
        return QueryResult(tag="ALTER TABLE")
    want = _KIND_OF.get(kind)
    if want == "i" and rel.relkind != "i":
        raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not an index')
    if want == "S" and rel.relkind != "S":
        raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not a sequence')
    if want == "v" and rel.relkind != "v":
        raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not a view')
    if want == "f" and rel.relkind != "f":
        raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not a foreign table')
    if cat.relation_oid(rel.namespace, new) is not None:
        raise PgError(DUPLICATE_TABLE, f'relation "{new}" already exists')
    _rename_relation(cat, rel.oid, new)
    if rel.relkind == "i":
        # an index that backs a constraint renames the constraint too
        for tid, row in cat.find("pg_constraint", conindid=rel.oid):
            if row[COLUMN_POS["pg_constraint"]["contype"]] in "pu":
                cat.update("pg_constraint", tid, replace("pg_constraint", row, conname=new))
    return QueryResult(tag=tag)


def _rename_in_expressions(cat: Any, relid: int, old: str, new: str) -> None:
    """Stored DEFAULT and CHECK expressions (raw trees) follow a renamed column."""
    import json

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            if "ColumnRef" in node:
                fields = node["ColumnRef"]["fields"]
                last = fields[-1]
                if "String" in last and last["String"]["sval"] == old:
                    last["String"]["sval"] = new
                return node
            return {k: fix(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node
    k = COLUMN_POS["pg_constraint"]
    for tid, row in cat.find("pg_constraint", conrelid=relid):
        if row[k["contype"]] == "c" and row[k["conbin"]]:
            text = json.dumps(fix(json.loads(row[k["conbin"]])))
            cat.update("pg_constraint", tid, replace("pg_constraint", row, conbin=text))
    d = COLUMN_POS["pg_attrdef"]
    for tid, row in cat.find("pg_attrdef", adrelid=relid):
        text = json.dumps(fix(json.loads(row[d["adbin"]])))
        cat.update("pg_attrdef", tid, replace("pg_attrdef", row, adbin=text))
    r = COLUMN_POS["pg_publication_rel"]       # publication row filters
    for tid, row in cat.find("pg_publication_rel", prrelid=relid):
        if row[r["prqual"]] is not None:
            text = json.dumps(fix(json.loads(row[r["prqual"]])))
            cat.update("pg_publication_rel", tid, replace("pg_publication_rel", row,
                                                          prqual=text))


def _rename_relation(cat: Any, oid: int, new: str) -> None:
    for tid, row in cat.find("pg_class", oid=oid):
        cat.update("pg_class", tid, replace("pg_class", row, relname=new))
    tp = COLUMN_POS["pg_type"]
    for tid, row in cat.find("pg_type", typrelid=oid):      # the row type follows
        from tuskdb.sql.commands.typecmds import array_type_name
        nsp = row[tp["typnamespace"]]
        from tuskdb.sql.commands.typecmds import move_array_type_name
        move_array_type_name(cat, nsp, new)
        if cat.type_oid(nsp, new) not in (None, row[tp["oid"]]):
            raise PgError("42710", f'type "{new}" already exists')
        cat.update("pg_type", tid, replace("pg_type", row, typname=new))
        for atid, arow in cat.find("pg_type", oid=row[tp["typarray"]]):
            cat.command_counter_increment()
            cat.update("pg_type", atid, replace("pg_type", arow, typname=array_type_name(
                cat, nsp, new, row[tp["typarray"]])))


_COMMENT_CLASS = {"OBJECT_TABLE": 1259, "OBJECT_INDEX": 1259, "OBJECT_SEQUENCE": 1259,
                  "OBJECT_VIEW": 1259, "OBJECT_COLUMN": 1259, "OBJECT_SCHEMA": 2615,
                  "OBJECT_TABCONSTRAINT": 2606}


def comment(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    kind = body["objtype"]
    cat = s.catalog()
    text = body.get("comment")
    obj = body["object"]
    subid = 0
    if kind in ("OBJECT_TABLE", "OBJECT_INDEX", "OBJECT_SEQUENCE", "OBJECT_VIEW",
                "OBJECT_FOREIGN_TABLE"):
        names = [n["String"]["sval"] for n in obj["List"]["items"]]
        rv = {"relname": names[-1], "schemaname": names[-2] if len(names) > 1 else None}
        rel = _rel(s, raw, rv)
        want = _KIND_OF[kind]
        if rel.relkind != want and not (want == "r" and rel.relkind == "p"):
            raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not {_a(_WORD.get(want, "table"))}')
        objoid, classoid = rel.oid, 1259
    elif kind == "OBJECT_COLUMN":
        names = [n["String"]["sval"] for n in obj["List"]["items"]]
        rv = {"relname": names[-2], "schemaname": names[-3] if len(names) > 2 else None}
        rel = _rel(s, raw, rv)
        col = rel.column(names[-1])
        if col is None:
            raise PgError(UNDEFINED_COLUMN, f'column "{names[-1]}" of relation "{rel.name}" '
                          f"does not exist")
        objoid, classoid, subid = rel.oid, 1259, col.attnum
    elif kind == "OBJECT_SCHEMA":
        name = obj["String"]["sval"]
        nsp = cat.namespace_oid(name)
        if nsp is None:
            raise PgError(INVALID_SCHEMA_NAME, f'schema "{name}" does not exist')
        objoid, classoid = nsp, 2615
    elif kind == "OBJECT_TABCONSTRAINT":
        names = [n["String"]["sval"] for n in obj["List"]["items"]]
        rv = {"relname": names[-2], "schemaname": names[-3] if len(names) > 2 else None}
        rel = _rel(s, raw, rv)
        found = cat.find("pg_constraint", conrelid=rel.oid, conname=names[-1])
        if not found:
            raise PgError(UNDEFINED_OBJECT, f'constraint "{names[-1]}" for table "{rel.name}" '
                          f"does not exist")
        objoid, classoid = found[0][1][COLUMN_POS["pg_constraint"]["oid"]], 2606
    elif kind in ("OBJECT_TYPE", "OBJECT_DOMAIN"):
        from tuskdb.sql.commands.typecmds import _object_type
        t = _object_type(s, cat, {"object": obj}, kind == "OBJECT_DOMAIN")
        objoid, classoid = t.oid, 1247
    elif kind == "OBJECT_DOMCONSTRAINT":
        from tuskdb.sql.commands.typecmds import _object_type
        items = obj["List"]["items"]
        t = _object_type(s, cat, {"object": items[0]}, True)
        cname = items[1]["String"]["sval"]
        found = cat.find("pg_constraint", contypid=t.oid, conname=cname)
        if not found:
            raise PgError(UNDEFINED_OBJECT, f'constraint "{cname}" for domain {t.sql_name} '
                          f"does not exist")
        objoid, classoid = found[0][1][COLUMN_POS["pg_constraint"]["oid"]], 2606
    elif kind in ("OBJECT_TSDICTIONARY", "OBJECT_TSCONFIGURATION", "OBJECT_TSPARSER",
                  "OBJECT_TSTEMPLATE"):
        from tuskdb.sql.commands.tsearchcmds import object_address
        objoid, classoid = object_address(s, cat, kind, obj)
    elif kind == "OBJECT_OPERATOR":
        from tuskdb.sql.commands.operatorcmds import _object_operator
        from tuskdb.sql.commands.tablecmds import _state
        _, row = _object_operator(s, _state(s, raw), obj["ObjectWithArgs"])
        objoid, classoid = row[COLUMN_POS["pg_operator"]["oid"]], 2617
    elif kind in ("OBJECT_AGGREGATE", "OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE"):
        from tuskdb.sql.commands.functioncmds import lookup_routine
        from tuskdb.sql.commands.tablecmds import _state
        _, row = lookup_routine(s, _state(s, raw), obj["ObjectWithArgs"], kind)
        objoid, classoid = row[COLUMN_POS["pg_proc"]["oid"]], 1255
    elif kind in ("OBJECT_FDW", "OBJECT_FOREIGN_SERVER"):
        from tuskdb.sql.commands.foreigncmds import comment_target
        objoid, classoid = comment_target(s, cat, kind, obj)
    elif kind == "OBJECT_PUBLICATION":
        from tuskdb.sql.commands.publicationcmds import comment_target as pub_target
        objoid, classoid = pub_target(s, cat, obj)
    elif kind == "OBJECT_SUBSCRIPTION":
        from tuskdb.sql.commands.subscriptioncmds import comment_target as sub_target
        objoid, classoid = sub_target(s, cat, obj)
    elif kind == "OBJECT_ROLE":
        return _comment_on_role(s, cat, obj["String"]["sval"], text)
    else:
        raise PgError(FEATURE_NOT_SUPPORTED, f"COMMENT ON {kind[7:]} is not supported")
    cat.delete_where("pg_description", objoid=objoid, classoid=classoid, objsubid=subid)
    if text:
        cat.insert("pg_description", make_row("pg_description", objoid=objoid,
                                              classoid=classoid, objsubid=subid,
                                              description=text))
    return QueryResult(tag="COMMENT")


def _comment_on_role(s: Any, cat: Any, name: str, text: str | None) -> QueryResult:
    """COMMENT ON ROLE: pg_shdescription; needs ADMIN OPTION on the role."""
    from tuskdb.catalog import aclchk
    roleid = aclchk.role_oid(cat, name, missing_ok=True)
    if roleid is None:
        raise PgError(UNDEFINED_OBJECT, f'role "{name}" does not exist')
    me = s.current_user_oid(cat)
    if not aclchk.has_privs_of_role(cat, me, roleid) and \
            not aclchk.is_admin_of_role(cat, me, roleid):
        raise PgError("42501", "permission denied",
                      detail=f'The current user must have the ADMIN option on role "{name}".')
    cat.delete_where("pg_shdescription", objoid=roleid, classoid=1260)
    if text:
        cat.insert("pg_shdescription", make_row("pg_shdescription", objoid=roleid,
                                                classoid=1260, description=text))
    return QueryResult(tag="COMMENT")


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def reindex(s: Any, raw: Any) -> QueryResult:
    """REINDEX TABLE/INDEX: rebuild from the heap into a new file."""
    from tuskdb.access import BTree
    from tuskdb.sql.commands.tablecmds import _set_relfilenode
    body = raw.body
    kind = body["kind"]
    cat = s.catalog()
    if kind not in ("REINDEX_OBJECT_TABLE", "REINDEX_OBJECT_INDEX"):
        raise PgError(FEATURE_NOT_SUPPORTED, f"REINDEX {kind[15:]} is not supported")
    rel = _rel(s, raw, body["relation"])
    if kind == "REINDEX_OBJECT_INDEX":
        if rel.relkind != "i":
            raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not an index')
        p = COLUMN_POS["pg_index"]
        table = cat.relation_by_oid(cat.find("pg_index", indexrelid=rel.oid)[0][1][p["indrelid"]])
        targets = [(table, ix) for ix in table.indexes if ix.oid == rel.oid]
    else:
        if rel.relkind not in ("r", "m", "t"):
            raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not a table or materialized view')
        table = rel
        targets = [(table, ix) for ix in table.indexes]
        toast = cat.relation_by_oid(table.toastrelid) if table.toastrelid else None
        if toast is not None:
            # and the index of its TOAST table
            targets += [(toast, ix) for ix in toast.indexes]
    from tuskdb.catalog import aclchk
    if not aclchk.has_maintain(cat, table, s.current_user_oid(cat)):
        # REINDEX INDEX names the index, though the table's MAINTAIN is what counts
        raise aclchk.permission_denied(
            "index" if rel.relkind in ("i", "I") else aclchk.relkind_objtype(rel.relkind),
            rel.name)
    lock_relation(s, table.oid, 5)
    from tuskdb.sql.commands.indexcmds import fill_index
    for heap_rel, ix in targets:
        irel = cat.relation_by_oid(ix.oid)
        newnode = cat.m.next_oid()
        _set_relfilenode(s, cat, irel, newnode)
        BTree(cat.m.storage, (s.dboid, newnode))
        fill_index(s, cat, heap_rel, ix.oid, ix.name, list(ix.attnums), list(ix.descending),
                   list(ix.nulls_first), False, ix.nulls_not_distinct, relfilenode=newnode,
                   exprs=ix.exprs, predicate=ix.predicate)
    return QueryResult(tag="REINDEX")


def _reindex_concurrently(raw: Any) -> str | None:
    """REINDEX (CONCURRENTLY) manages its own transactions (ExecReindex)."""
    for opt in raw.body.get("params") or []:
        d = opt.get("DefElem", {})
        if d.get("defname") != "concurrently":
            continue
        arg = d.get("arg")
        if arg is None:
            return "REINDEX CONCURRENTLY"
        val = str(next(iter(arg.values())).get("sval", next(iter(arg.values())).get("ival",
                                                                                      1)))
        return None if val.lower() in ("false", "off", "0", "no") else "REINDEX CONCURRENTLY"
    return None


reindex.no_transaction_block = _reindex_concurrently


def change_owner(s: Any, rel: Any, cat: Any, spec: dict) -> None:
    role = spec.get("rolename") if spec.get("roletype") == "ROLESPEC_CSTRING" else s.user
    found = cat.find("pg_authid", rolname=role)
    if not found:
        raise PgError(UNDEFINED_OBJECT, f'role "{role}" does not exist')
    owner = found[0][1][COLUMN_POS["pg_authid"]["oid"]]
    if owner == rel.owner:
        return
    from tuskdb.catalog import aclchk
    me = s.current_user_oid(cat)
    if not aclchk.superuser_arg(cat, me):
        aclchk.check_owner(cat, me, rel.owner, aclchk.relation_owner_kind(rel), rel.name)
        aclchk.check_can_set_role(cat, me, owner)
        aclchk.check_namespace_create(cat, rel.namespace, owner)
    old_name, new_name = aclchk.role_name(cat, rel.owner), role
    for tid, row in cat.find("pg_class", oid=rel.oid):
        acl = row[COLUMN_POS["pg_class"]["relacl"]]
        changes = {"relowner": owner}
        if acl is not None:
            changes["relacl"] = aclchk.format_acl(aclchk.acl_new_owner(
                aclchk.parse_acl(acl, "table", None), old_name, new_name))
        cat.update("pg_class", tid, replace("pg_class", row, **changes))
    for tid, row in cat.find("pg_type", typrelid=rel.oid):
        cat.update("pg_type", tid, replace("pg_type", row, typowner=owner))
    # the table's indexes and TOAST table follow it (ATExecChangeOwner)
    for ix in rel.indexes:
        for tid, row in cat.find("pg_class", oid=ix.oid):
            cat.update("pg_class", tid, replace("pg_class", row, relowner=owner))
    if rel.toastrelid:
        from tuskdb.sql.commands.toasting import set_toast_owner
        set_toast_owner(cat, rel.toastrelid, owner)


def _rename_routine(s: Any, raw: Any, kind: str, new: str) -> QueryResult:
    """ALTER FUNCTION/AGGREGATE/PROCEDURE name(args) RENAME TO new."""
    from tuskdb.catalog.rows import COLUMN_POS
    from tuskdb.sql.analyze.expr import resolve_type_name
    from tuskdb.sql.commands.functioncmds import _sig
    from tuskdb.sql.commands.tablecmds import _state
    body = raw.body
    owa = body["object"]["ObjectWithArgs"]
    state = _state(s, raw)
    cat = state.catalog
    p = COLUMN_POS["pg_proc"]
    from tuskdb.sql.commands.functioncmds import lookup_routine
    found = lookup_routine(s, state, owa, kind, bool(body.get("missing_ok")))
    if found is None:
        return QueryResult(tag="ALTER FUNCTION")
    tid, row = found
    nsp = row[p["pronamespace"]]
    args = list(row[p["proargtypes"]].items) if row[p["proargtypes"]] else []
    for _, other in cat.find("pg_proc", proname=new, pronamespace=nsp):
        oargs = list(other[p["proargtypes"]].items) if other[p["proargtypes"]] else []
        if oargs == args:
            nspname = next((r[COLUMN_POS["pg_namespace"]["nspname"]] for _, r in
                            cat.find("pg_namespace", oid=nsp)), "?")
            raise PgError("42723", f'function {new}({_sig(args)}) already exists in schema '
                          f'"{nspname}"')
    cat.update("pg_proc", tid, replace("pg_proc", row, proname=new))
    tag = {"OBJECT_AGGREGATE": "ALTER AGGREGATE", "OBJECT_PROCEDURE": "ALTER PROCEDURE",
           "OBJECT_ROUTINE": "ALTER ROUTINE"}.get(kind, "ALTER FUNCTION")
    return QueryResult(tag=tag)
