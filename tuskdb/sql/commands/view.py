"""CREATE [OR REPLACE] VIEW (PostgreSQL's view.c).

A view is a pg_class row of relkind 'v' with its columns in pg_attribute and
its query in pg_rewrite.ev_action (the raw parse tree as JSON, plus the
search_path it was created under).  Using a view re-analyzes that query as a
subquery (rewrite.py), with the creator's search_path.
"""

from __future__ import annotations

import json
from typing import Any

from tuskdb.catalog.rows import make_row
from tuskdb.engine.results import QueryResult
from tuskdb.errors import DUPLICATE_TABLE, FEATURE_NOT_SUPPORTED, WRONG_OBJECT_TYPE, PgError
from tuskdb.sql.commands.tablecmds import (ACCESS_EXCLUSIVE, ColumnSpec, _insert_relation,
                                           _namespace_for, _remove_rel_rows, _state,
                                           lock_relation)


def create_view(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.analyze.select import analyze_select
    from tuskdb.sql.analyze.state import AnalyzeState

    body = raw.body
    reloptions = view_reloptions(body.get("options") or [], body.get("withCheckOption"))
    state = _state(s, raw)
    cat = state.catalog
    rv = body["view"]
    name = rv["relname"]
    q_node = body["query"]
    from tuskdb.sql.commands.tablecmds import check_expr_type_usage, notice
    check_expr_type_usage(s, state, q_node)
    astate = AnalyzeState(cat, s, [], None, raw.source)
    astate.opaque_views = True
    q = analyze_select(q_node["SelectStmt"], astate)
    if rv.get("relpersistence", "p") == "p" and rv.get("schemaname") != "pg_temp" and \
            _uses_temp_relation(cat, astate.direct_relations):
        # a view over a temporary relation is temporary itself (isQueryUsingTempRelation)
        rv["relpersistence"] = "t"
        s.add_notice(notice(f'view "{name}" will be a temporary view'))
    nsp = _namespace_for(s, cat, rv, state, positioned=False)
    check_option = next((o.split("=", 1)[1] for o in reloptions
                         if o.startswith("check_option=")), None)
    if check_option is not None:
        from tuskdb.sql.rewrite.updatable import check_create
        check_create(name, q_node["SelectStmt"], q, check_option)
    aliases = [a["String"]["sval"] for a in body.get("aliases") or []]
    if len(aliases) > len(q.output):
        raise PgError("42601", "CREATE VIEW specifies more column names than columns")
    cols = []
    for i, (n, t, m, _) in enumerate(q.output):
        cols.append(ColumnSpec(aliases[i] if i < len(aliases) else n, t if t != 705 else 25, m))
    names = [c.name for c in cols]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup is not None:
        raise PgError("42701", f'column "{dup}" specified more than once')
    old = cat.relation_oid(nsp, name)
    if old is not None:
        rel = cat.relation_by_oid(old)
        if not body.get("replace"):
            raise PgError(DUPLICATE_TABLE, f'relation "{name}" already exists')
        if rel.relkind != "v":
            raise PgError(WRONG_OBJECT_TYPE, f'"{name}" is not a view')
        lock_relation(s, rel.oid, ACCESS_EXCLUSIVE)
        existing = rel.live_columns
        if len(cols) < len(existing):
            raise PgError("42P16", "cannot drop columns from view")
        for c, e in zip(cols, existing):
            if c.name != e.name:
                raise PgError("42P16", f'cannot change name of view column "{e.name}" to '
                              f'"{c.name}"', hint="Use ALTER VIEW ... RENAME COLUMN ... to change "
                              "name of view column instead.")
            if c.type_oid != e.type_oid or c.typmod != e.typmod:
                from tuskdb.types.registry import format_type
                raise PgError("42P16", f'cannot change data type of view column "{e.name}" '
                              f"from {format_type(e.type_oid, e.typmod)} to "
                              f"{format_type(c.type_oid, c.typmod)}")
        # views built on this one keep depending on it
        from tuskdb.catalog.rows import COLUMN_POS
        d = COLUMN_POS["pg_depend"]
        kept = [row for _, row in cat.find("pg_depend", refobjid=rel.oid)
                if row[d["classid"]] == REWRITE_CLASS and row[d["deptype"]] == "n"]
        _remove_rel_rows(s, cat, rel)
        for row in kept:
            cat.insert("pg_depend", row)
        cat.command_counter_increment()
        oid = rel.oid
    else:
        oid = cat.m.next_oid()
    store_view(s, cat, oid, name, nsp, cols, q_node, s.settings["search_path"], reloptions,
               sorted(astate.direct_relations - {oid}), sorted(astate.constraint_deps))
    return QueryResult(tag="CREATE VIEW")


def _uses_temp_relation(cat: Any, oids: Any) -> bool:
    for oid in oids:
        rel = cat.relation_by_oid(oid)
        if rel is not None and rel.persistence == "t":
            return True
    return False


_VIEW_BOOL_OPTIONS = ("security_barrier", "security_invoker")


def _parse_bool(text: str) -> bool | None:
    """PostgreSQL's parse_bool: true/false, yes/no, on/off, 1/0 and unique prefixes."""
    t = text.strip().lower()
    if not t:
        return None
    if "true".startswith(t) or "yes".startswith(t) or t == "1" or \
            (len(t) >= 2 and "on".startswith(t)):
        return True
    if "false".startswith(t) or "no".startswith(t) or t == "0" or \
            (len(t) >= 2 and "off".startswith(t)):
        return False
    return None


def _defelem_text(arg: dict | None) -> str | None:
    if arg is None:
        return None
    kind, v = next(iter(arg.items()))
    if kind == "String":
        return v.get("sval", "")
    if kind == "Integer":
        return str(v.get("ival", 0))
    if kind == "Float":
        return v.get("fval", "")
    if kind == "Boolean":
        return "true" if v.get("boolval") else "false"
    if kind == "TypeName":
        return ".".join(n["String"]["sval"] for n in v.get("names", []))
    return str(v)


def view_reloptions(options: list[dict], with_check: str | None) -> list[str]:
    """WITH (...) options of a view and its WITH [LOCAL|CASCADED] CHECK OPTION, validated
    and spelled as pg_class.reloptions stores them."""
    out: list[str] = []
    seen: set[str] = set()
    items = []
    for o in options:
        d = o["DefElem"]
        if d.get("defnamespace"):
            raise PgError("22023", f'unrecognized parameter namespace "{d["defnamespace"]}"')
        items.append((d["defname"], _defelem_text(d.get("arg"))))
    if with_check == "LOCAL_CHECK_OPTION":
        items.append(("check_option", "local"))
    elif with_check == "CASCADED_CHECK_OPTION":
        items.append(("check_option", "cascaded"))
    for name, value in items:
        if name not in _VIEW_BOOL_OPTIONS and name != "check_option":
            raise PgError("22023", f'unrecognized parameter "{name}"')
        if name in seen:
            raise PgError("22023", f'parameter "{name}" specified more than once')
        seen.add(name)
        if value is None:
            value = "true"
        if name == "check_option":
            if value.lower() not in ("local", "cascaded"):
                raise PgError("22023", f'invalid value for enum option "check_option": {value}',
                              detail='Valid values are "local" and "cascaded".')
        elif _parse_bool(value) is None:
            raise PgError("22023", f'invalid value for boolean option "{name}": {value}')
        out.append(f"{name}={value}")
    return out


def store_view(s: Any, cat: Any, oid: int, name: str, nsp: int, cols: list[ColumnSpec],
               query: dict, search_path: str, reloptions: list[str] | None = None,
               depends_on: list[int] | None = None,
               constraint_deps: list[int] | None = None) -> None:
    _insert_relation(s, cat, oid, name, nsp, "v", cols, relam=0, relfilenode=0,
                     create_storage=False)
    if reloptions:
        from tuskdb.catalog.rows import replace
        from tuskdb.types import Array
        cat.command_counter_increment()
        for tid, row in cat.find("pg_class", oid=oid):
            cat.update("pg_class", tid, replace("pg_class", row, reloptions=Array(reloptions)))
    store_rule(cat, oid, query, search_path, [c.name for c in cols], depends_on,
               constraint_deps)


def store_rule(cat: Any, oid: int, query: dict, search_path: str, columns: list[str],
               depends_on: list[int] | None = None,
               constraint_deps: list[int] | None = None) -> None:
    """The _RETURN rule of a view or materialized view: its query, and pg_depend rows on
    the relations the query names."""
    action = json.dumps({"query": query, "search_path": search_path, "columns": columns})
    rule = cat.m.next_oid()
    cat.insert("pg_rewrite", make_row("pg_rewrite", oid=rule, rulename="_RETURN",
                                      ev_class=oid, ev_type="1", ev_enabled="O",
                                      is_instead=True, ev_qual="<>", ev_action=action))
    # the view's rule belongs to the view and depends on what its query names
    cat.insert("pg_depend", make_row("pg_depend", classid=REWRITE_CLASS, objid=rule,
                                     objsubid=0, refclassid=CLASS_CLASS, refobjid=oid,
                                     refobjsubid=0, deptype="i"))
    for ref in depends_on or ():
        cat.insert("pg_depend", make_row("pg_depend", classid=REWRITE_CLASS, objid=rule,
                                         objsubid=0, refclassid=CLASS_CLASS, refobjid=ref,
                                         refobjsubid=0, deptype="n"))
    # a GROUP BY that relied on a primary key for functional dependency
    for con in constraint_deps or ():
        cat.insert("pg_depend", make_row("pg_depend", classid=REWRITE_CLASS, objid=rule,
                                         objsubid=0, refclassid=CONSTRAINT_CLASS,
                                         refobjid=con, refobjsubid=0, deptype="n"))


REWRITE_CLASS = 2618        # pg_rewrite
CLASS_CLASS = 1259          # pg_class
CONSTRAINT_CLASS = 2606     # pg_constraint


def forget_view_rules(cat: Any, view_oid: int) -> None:
    """Remove the pg_depend rows of a view's rules (before its pg_rewrite rows go)."""
    from tuskdb.catalog.rows import COLUMN_POS
    p = COLUMN_POS["pg_rewrite"]
    for _, row in cat.find("pg_rewrite", ev_class=view_oid):
        cat.delete_where("pg_depend", objid=row[p["oid"]])


def dependent_views(cat: Any, oid: int) -> list[tuple[int, Any]]:
    """Views whose query names relation ``oid``: (rule oid, view), by rule oid."""
    from tuskdb.catalog.rows import COLUMN_POS
    d = COLUMN_POS["pg_depend"]
    r = COLUMN_POS["pg_rewrite"]
    out = []
    for _, dep in cat.find("pg_depend", refobjid=oid):
        if dep[d["classid"]] != REWRITE_CLASS or dep[d["deptype"]] != "n":
            continue
        rule = dep[d["objid"]]
        for _, rw in cat.find("pg_rewrite", oid=rule):
            view = cat.relation_by_oid(rw[r["ev_class"]])
            if view is not None and view.oid != oid:
                out.append((rule, view))
    out.sort(key=lambda x: x[0])
    return out


def alter_view(s: Any, raw: Any) -> QueryResult:
    """ALTER VIEW ... SET/RESET (options), ALTER COLUMN SET/DROP DEFAULT, OWNER TO."""
    from tuskdb.sql.commands.tablecmds import _set_default

    body = raw.body
    cat = s.catalog()
    state = _state(s, raw)
    from tuskdb.sql.commands.tablecmds import lookup_alter_relation
    rel = lookup_alter_relation(s, body, state)
    if rel is None:
        return QueryResult(tag="ALTER VIEW")
    if rel.relkind != "v":
        raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not a view')
    from tuskdb.sql.commands.tablecmds import _check_rel_owner
    _check_rel_owner(s, cat, rel)
    lock_relation(s, rel.oid, ACCESS_EXCLUSIVE)
    for c in body["cmds"]:
        cmd = c["AlterTableCmd"]
        sub = cmd["subtype"]
        rel = cat.relation_by_oid(rel.oid)
        if sub == "AT_ColumnDefault":
            _set_default(s, cat, rel, cmd["name"], cmd.get("def"))
        elif sub in ("AT_SetRelOptions", "AT_ResetRelOptions"):
            _set_view_options(s, cat, rel, cmd["def"]["List"]["items"],
                              sub == "AT_ResetRelOptions")
        elif sub == "AT_ChangeOwner":
            from tuskdb.sql.commands.alter import change_owner
            change_owner(s, rel, cat, cmd["newowner"])
        else:
            raise PgError(FEATURE_NOT_SUPPORTED, f"ALTER VIEW {sub[3:]} is not supported")
        cat.command_counter_increment()
    return QueryResult(tag="ALTER VIEW")


def _set_view_options(s: Any, cat: Any, rel: Any, items: list[dict], reset: bool) -> None:
    from tuskdb.catalog.rows import replace
    from tuskdb.types import Array

    current = list(rel.extra.get("reloptions") or ())
    names = [it["DefElem"]["defname"] for it in items]
    if reset:
        new = [o for o in current if o.split("=", 1)[0] not in names]
    else:
        given = view_reloptions(items, None)
        new = [o for o in current if o.split("=", 1)[0] not in names] + given
        check = next((o.split("=", 1)[1] for o in given if o.startswith("check_option=")),
                     None)
        if check is not None:
            from tuskdb.sql.analyze.select import analyze_select
            from tuskdb.sql.analyze.state import AnalyzeState
            from tuskdb.sql.rewrite.updatable import check_create
            body = json.loads(rel.view_query)["query"]["SelectStmt"]
            q = analyze_select(body, AnalyzeState(cat, s, [], None, ""))
            check_create(rel.name, body, q, check)
    for tid, row in cat.find("pg_class", oid=rel.oid):
        cat.update("pg_class", tid, replace("pg_class", row,
                                            reloptions=Array(new) if new else None))


def retarget_rules(cat: Any, rel_oid: int, old_nsp: int, old_name: str, new_nspname: str,
                   new_name: str) -> None:
    """The stored queries of views and materialized views that name relation
    ``rel_oid`` follow it when it moves to another schema or is renamed.  Rules keep
    their query as a raw tree (PostgreSQL keeps OIDs), so each RangeVar that resolved
    to the relation under the rule's search_path is rewritten to its new qualified
    name (keeping the old name as alias, so qualified column references still
    resolve).  Names of the query's own CTEs are left alone."""
    from tuskdb.catalog.rows import COLUMN_POS, replace
    d = COLUMN_POS["pg_depend"]
    r = COLUMN_POS["pg_rewrite"]
    rules = {dep[d["objid"]] for _, dep in cat.find("pg_depend", refobjid=rel_oid)
             if dep[d["classid"]] == REWRITE_CLASS and dep[d["deptype"]] == "n"}
    old_nspname = cat.namespace_name(old_nsp)
    for rule in sorted(rules):
        for tid, row in cat.find("pg_rewrite", oid=rule):
            action = json.loads(row[r["ev_action"]])
            path = _rule_path(cat, action.get("search_path", ""))
            ctes: set[str] = set()
            _collect_ctes(action["query"], ctes)

            def refers(rv: dict) -> bool:
                if rv.get("relname") != old_name:
                    return False
                schema = rv.get("schemaname")
                if schema is not None:
                    return schema == old_nspname
                if old_name in ctes:
                    return False
                for nsp in path:
                    if nsp == old_nsp:
                        return True
                    if cat.relation_oid(nsp, old_name) is not None:
                        return False
                return False
            if _retarget(action["query"], refers, new_nspname, new_name, old_name):
                cat.update("pg_rewrite", tid, replace("pg_rewrite", row,
                                                      ev_action=json.dumps(action)))


def _rule_path(cat: Any, search_path: str) -> list[int]:
    out = [11]
    for part in search_path.split(","):
        name = part.strip().strip('"')
        oid = cat.namespace_oid(name) if name and name != "$user" else None
        if oid is not None and oid not in out:
            out.append(oid)
    return out


def _collect_ctes(node: Any, out: set[str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "CommonTableExpr" and isinstance(v, dict) and v.get("ctename"):
                out.add(v["ctename"])
            _collect_ctes(v, out)
    elif isinstance(node, list):
        for v in node:
            _collect_ctes(v, out)


def _retarget(node: Any, refers: Any, nspname: str, name: str, old_name: str) -> bool:
    changed = False
    if isinstance(node, dict):
        rv = node.get("RangeVar")
        if isinstance(rv, dict) and refers(rv):
            rv["schemaname"] = nspname
            rv["relname"] = name
            if not rv.get("alias") and name != old_name:
                rv["alias"] = {"aliasname": old_name}
            changed = True
        for v in node.values():
            changed = _retarget(v, refers, nspname, name, old_name) or changed
    elif isinstance(node, list):
        for v in node:
            changed = _retarget(v, refers, nspname, name, old_name) or changed
    return changed
