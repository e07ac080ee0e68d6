"""ALTER TABLE subcommands on columns (PostgreSQL's ATExecAddColumn, ATExecSetExpression,
ATExecDropExpression, ATExecColumnDefault checks, ...).

ADD COLUMN follows PostgreSQL's fast-default rule: a column without a default,
or with a default that is not volatile, is added without touching the rows:
the default, evaluated once, is stored in pg_attribute.attmissingval
(atthasmissing) and rows older than the column read it from there
(sql/execute/tupdesc.py).  A volatile default, an identity column and a stored
generated column make the table be rewritten (sql/commands/rewrite.py); a
virtual generated column needs neither.
"""

from __future__ import annotations

import json
from typing import Any

from tuskdb.catalog.manager import CatalogView, attribute_row, missing_value_text
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.errors import (DUPLICATE_COLUMN, DUPLICATE_OBJECT, FEATURE_NOT_SUPPORTED, NOT_NULL_VIOLATION,
                           OBJECT_NOT_IN_PREREQUISITE_STATE, SYNTAX_ERROR, PgError, notice)
from tuskdb.sql.analyze.state import AnalyzeState


def _attr(cat: CatalogView, rel: Any, colname: str) -> tuple[Any, tuple]:
    from tuskdb.sql.commands.tablecmds import _find_attr
    return _find_attr(cat, rel, colname)


def add_column(s: Any, cat: CatalogView, rel: Any, cd: dict, state: AnalyzeState,
               if_not_exists: bool) -> None:
    from tuskdb.sql.analyze.expr import resolve_type_name
    from tuskdb.sql.commands.tablecmds import ColumnSpec, _check_column_clauses

    name = cd["colname"]
    if rel.column(name) is not None:
        if if_not_exists:
            s.add_notice(notice(f'column "{name}" of relation "{rel.name}" already exists, '
                                f"skipping", sqlstate=DUPLICATE_COLUMN))
            return
        raise PgError(DUPLICATE_COLUMN, f'column "{name}" of relation "{rel.name}" already '
                      f"exists")
    tnames = cd["typeName"]["names"]
    serial = {"serial": 23, "serial4": 23, "bigserial": 20, "serial8": 20, "smallserial": 21,
              "serial2": 21}.get(tnames[-1]["String"]["sval"]) if len(tnames) == 1 else None
    if serial:
        t, m = serial, -1
    else:
        t, m = resolve_type_name(cd["typeName"], state)
        from tuskdb.sql.commands.tablecmds import check_type_usage
        check_type_usage(state.session, state.catalog, t)
    if cd.get("collClause"):
        from tuskdb.sql.analyze.expr import check_collation
        cc = cd["collClause"]
        check_collation([n["String"]["sval"] for n in cc["collname"]],
                        state.pos(cc.get("location")))
    c = ColumnSpec(name, t, m)
    c.notnull = bool(cd.get("is_not_null")) or bool(serial)
    default = None
    nn_name = None
    shared_identity = False         # a partition's: no sequence of its own
    later: list[dict] = []          # constraints added once the column exists
    for node in cd.get("constraints") or []:
        con = node["Constraint"]
        ct = con["contype"]
        if ct == "CONSTR_NOTNULL":
            c.notnull = True
            if con.get("conname"):
                nn_name = con["conname"]
                if any(x.name == nn_name for x in rel.constraints):
                    raise PgError(DUPLICATE_OBJECT, f'constraint "{nn_name}" for relation '
                                  f'"{rel.name}" already exists')
        elif ct == "CONSTR_NULL":
            pass
        elif ct == "CONSTR_DEFAULT":
            if default is not None:
                raise PgError(SYNTAX_ERROR, f'multiple default values specified for column '
                              f'"{name}" of table "{rel.name}"',
                              position=state.pos(con.get("location")))
            default = con["raw_expr"]
            c.default = json.dumps(default)
        elif ct == "CONSTR_GENERATED":
            if c.generated:
                raise PgError(SYNTAX_ERROR, f'multiple generation clauses specified for column '
                              f'"{name}" of table "{rel.name}"',
                              position=state.pos(con.get("location")))
            c.generated = con.get("generated_kind") or "v"
            c.gen_expr = con["raw_expr"]
            c.gen_loc = con.get("location")
        elif ct == "CONSTR_IDENTITY":
            c.identity = "a" if con.get("generated_when") == "a" else "d"
            c.identity_loc = con.get("location")
            shared_identity = bool(con.get("partition_identity"))
            from tuskdb.sql.commands.sequence import sequence_options
            c.seq_options = sequence_options(con.get("options") or [])[0]
            c.notnull = True
        elif ct in ("CONSTR_CHECK", "CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_FOREIGN"):
            con = dict(con)
            if ct in ("CONSTR_PRIMARY", "CONSTR_UNIQUE"):
                con["keys"] = [{"String": {"sval": name}}]
                if ct == "CONSTR_PRIMARY":
                    c.notnull = True
            elif ct == "CONSTR_FOREIGN":
                con["fk_attrs"] = [{"String": {"sval": name}}]
            later.append(con)
        elif ct.startswith("CONSTR_ATTR_"):
            if later:
                last = later[-1]
                if ct == "CONSTR_ATTR_DEFERRABLE":
                    last["deferrable"] = True
                elif ct == "CONSTR_ATTR_DEFERRED":
                    last["initdeferred"] = True
                    last["deferrable"] = True
        else:
            raise PgError(FEATURE_NOT_SUPPORTED, f"ADD COLUMN with constraint {ct[7:]} is not "
                          f"supported")
    _check_column_clauses(c, rel.name, state)
    if c.generated:
        c.default = json.dumps(c.gen_expr)
    attnum = len(rel.columns) + 1
    if serial:
        # serial: a sequence owned by the column, and its nextval() as the default
        from tuskdb.sql.commands.sequence import create_sequence_rel
        from tuskdb.sql.commands.tablecmds import _nextval_raw, _qi, choose_name
        seqname = choose_name(cat, rel.namespace, f"{rel.name}_{name}", "seq")
        create_sequence_rel(s, cat, rel.namespace, seqname, t, {},
                            owned_by=(rel.oid, attnum), deptype="a")
        default = _nextval_raw(f"{_qi(rel.nspname)}.{_qi(seqname)}")
        c.default = json.dumps(default)
    cat.insert("pg_attribute", attribute_row(rel.oid, name, t, m, attnum, c.notnull,
                                             c.default is not None, c.identity, c.generated))
    if c.default is not None:
        cat.insert("pg_attrdef", make_row("pg_attrdef", oid=cat.m.next_oid(), adrelid=rel.oid,
                                          adnum=attnum, adbin=c.default))
    for tid, row in cat.find("pg_class", oid=rel.oid):
        cat.update("pg_class", tid, replace("pg_class", row, relnatts=attnum))
    if cd.get("fdwoptions") and rel.relkind == "f":
        from tuskdb.sql.commands.foreign_table import _validator_of, set_column_options
        cat.command_counter_increment()
        set_column_options(cat, rel.oid, attnum, cd["fdwoptions"], _validator_of(cat, rel.oid))
    cat.command_counter_increment()
    new_rel = cat.relation_by_oid(rel.oid)
    col = new_rel.columns[attnum - 1]
    idx = attnum - 1
    if c.identity and not shared_identity:
        from tuskdb.sql.commands.sequence import create_sequence_rel
        from tuskdb.sql.commands.tablecmds import choose_name
        seqname = choose_name(cat, rel.namespace, f"{rel.name}_{name}", "seq")
        create_sequence_rel(s, cat, rel.namespace, seqname, t, c.seq_options,
                            owned_by=(rel.oid, attnum), deptype="i",
                            persistence="u" if rel.persistence == "u" else None)
        cat.command_counter_increment()
        new_rel = cat.relation_by_oid(rel.oid)
    if c.generated:
        from tuskdb.sql.commands.generated import cook_generation_expr
        cook_generation_expr(new_rel, col, c.gen_expr, state, in_alter=True)
        if c.generated == "s":
            _rewrite_with(s, cat, rel, new_rel, idx)
    elif c.identity:
        _rewrite_with(s, cat, rel, new_rel, idx)
    elif default is not None:
        from tuskdb.sql.commands.tablecmds import _validate_default
        st = AnalyzeState(cat, s, [], None, state.source)
        _validate_default(c, default, st)
        if st.has_volatile or not _missing_storable(t):
            _rewrite_with(s, cat, rel, new_rel, idx)
        else:
            value = _evaluate_default(s, cat, new_rel, col)
            _set_missing(cat, rel.oid, attnum, value, t)
            if value is None and c.notnull:
                _check_no_rows(s, cat, rel, name)
    elif _is_domain(t) and rel.relkind != "f":
        # the domain's default (or NULL) goes through its constraints for every existing
        # row, as PostgreSQL's table rewrite does
        _rewrite_with(s, cat, rel, new_rel, idx)
        if c.notnull:
            _check_no_rows_null(s, cat, cat.relation_by_oid(rel.oid), name, idx)
    elif c.notnull:
        _check_no_rows(s, cat, rel, name)
    cat.command_counter_increment()
    if c.notnull:
        from tuskdb.sql.commands.tablecmds import _insert_constraint, choose_name
        _insert_constraint(cat, nn_name or choose_name(cat, rel.namespace,
                                                       f"{rel.name}_{name}", "not_null"),
                           rel.namespace, "n", rel.oid, [attnum])
        cat.command_counter_increment()
    for con in later:
        from tuskdb.sql.commands.tablecmds import _add_constraint
        _add_constraint(s, cat, cat.relation_by_oid(rel.oid), con, state)
        cat.command_counter_increment()


def _evaluate_default(s: Any, cat: CatalogView, rel: Any, col: Any) -> Any:
    from tuskdb.engine.context import ExecContext
    from tuskdb.sql.analyze.dml import column_default
    from tuskdb.sql.expr import compile_expr

    state = AnalyzeState(cat, s, [], None, "")
    e = column_default(col, rel, state.next_rt(), state)
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    return compile_expr(e, {})((), ctx)


def _missing_storable(type_oid: int) -> bool:
    """Can attmissingval hold a value of this type (a built-in type with an array type)?"""
    from tuskdb import types
    t = types.TYPES.get(type_oid)
    return t is not None and bool(t.array_oid) and type_oid < 16384


def _set_missing(cat: CatalogView, relid: int, attnum: int, value: Any, type_oid: int) -> None:
    if value is None:
        return
    for tid, row in cat.find("pg_attribute", attrelid=relid, attnum=attnum):
        cat.update("pg_attribute", tid, replace(
            "pg_attribute", row, atthasmissing=True,
            attmissingval=missing_value_text(value, type_oid)))


def _is_domain(type_oid: int) -> bool:
    from tuskdb import types
    t = types.TYPES.get(type_oid)
    return t is not None and t.typtype == "d"


def _check_no_rows_null(s: Any, cat: CatalogView, rel: Any, colname: str, idx: int) -> None:
    heap = cat.m.heap(s.dboid, rel.relfilenode)
    if any(v[idx] is None for _, v in heap.scan(s.txn.snapshot()) if idx < len(v)):
        raise PgError(NOT_NULL_VIOLATION, f'column "{colname}" of relation "{rel.name}" '
                      f"contains null values", schema_name=rel.nspname, table_name=rel.name,
                      column_name=colname)


def _check_no_rows(s: Any, cat: CatalogView, rel: Any, colname: str) -> None:
    if rel.relkind == "f":
        return          # the remote rows are not checked (PostgreSQL neither)
    heap = cat.m.heap(s.dboid, rel.relfilenode)
    if any(True for _ in heap.scan(s.txn.snapshot())):
        raise PgError(NOT_NULL_VIOLATION, f'column "{colname}" of relation "{rel.name}" '
                      f"contains null values", schema_name=rel.nspname, table_name=rel.name,
                      column_name=colname)


def _rewrite_with(s: Any, cat: CatalogView, old_rel: Any, new_rel: Any, idx: int) -> None:
    """Rewrite the table computing column ``idx`` (just added) for every row: its
    default, identity value or stored generation expression."""
    from tuskdb.sql.analyze.dml import column_default
    from tuskdb.sql.commands.generated import generation_exprs
    from tuskdb.sql.commands.rewrite import rewrite_table
    from tuskdb.sql.expr import compile_expr

    state = AnalyzeState(cat, s, [], None, "")
    col = new_rel.columns[idx]
    width = len(new_rel.columns)
    if col.generated:
        layout = {(1, i): i for i in range(width + 2)}
        exprs = dict(generation_exprs(new_rel, 1, state, "s"))
        f = compile_expr(exprs[idx], layout)
    else:
        f0 = compile_expr(column_default(col, new_rel, 1, state), {})
        f = lambda row, ctx: f0((), ctx)      # noqa: E731

    def transform(values: tuple, ctx: Any) -> tuple:
        vals = list(values) + [None] * (width - len(values))
        vals[idx] = f((*vals, None, new_rel.oid), ctx)
        return tuple(vals)
    rewrite_table(s, cat, old_rel, transform)


# -- generation expressions ---------------------------------------------------------------


def set_expression(s: Any, cat: CatalogView, rel: Any, colname: str, raw: dict,
                   state: AnalyzeState) -> None:
    """ALTER COLUMN ... SET EXPRESSION AS (expr)."""
    from tuskdb.sql.commands.generated import cook_generation_expr

    tid, row = _attr(cat, rel, colname)
    col = rel.column(colname)
    if not col.generated:
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'column "{colname}" of relation '
                      f'"{rel.name}" is not a generated column')
    if col.generated == "v" and cat.find("pg_publication_rel", prrelid=rel.oid):
        # a row filter may read the column: its meaning must not change under it
        raise PgError(FEATURE_NOT_SUPPORTED, "ALTER TABLE / SET EXPRESSION is not supported "
                      "for virtual generated columns in tables that are part of a "
                      "publication", detail=f'Column "{colname}" of relation "{rel.name}" is '
                      f"a virtual generated column.")
    cook_generation_expr(rel, col, raw, state, in_alter=True)
    p = COLUMN_POS["pg_attrdef"]
    for atid, arow in cat.find("pg_attrdef", adrelid=rel.oid, adnum=col.attnum):
        cat.update("pg_attrdef", atid, replace("pg_attrdef", arow, adbin=json.dumps(raw)))
        del p
        break
    cat.command_counter_increment()
    new_rel = cat.relation_by_oid(rel.oid)
    if col.generated == "s":
        from tuskdb.sql.commands.generated import generation_exprs
        from tuskdb.sql.commands.rewrite import rewrite_table
        from tuskdb.sql.expr import compile_expr

        st = AnalyzeState(cat, s, [], None, "")
        idx = col.attnum - 1
        width = len(new_rel.columns)
        f = compile_expr(dict(generation_exprs(new_rel, 1, st, "s"))[idx],
                         {(1, i): i for i in range(width + 2)})

        def transform(values: tuple, ctx: Any) -> tuple:
            vals = list(values)
            vals[idx] = f((*vals, None, new_rel.oid), ctx)
            return tuple(vals)
        rewrite_table(s, cat, rel, transform, check_fkeys=True)
    else:
        # virtual: nothing stored; the constraints must hold for the new expression
        if new_rel.checks:
            raise PgError(FEATURE_NOT_SUPPORTED, "ALTER TABLE / SET EXPRESSION is not supported "
                          "for virtual generated columns in tables with check constraints",
                          detail=f'Column "{colname}" of relation "{rel.name}" is a virtual '
                                 f"generated column.")
        from tuskdb.engine.context import ExecContext
        from tuskdb.sql.commands.rewrite import verify_rows
        ctx = ExecContext(s, s.txn, s.txn.snapshot())
        if new_rel.checks or col.notnull:
            st = AnalyzeState(cat, s, [], None, "")
            from tuskdb.sql.commands.generated import generation_exprs
            from tuskdb.sql.expr import compile_expr
            width = len(new_rel.columns)
            fs = [(i, compile_expr(e, {(1, j): j for j in range(width + 1)}))
                  for i, e in generation_exprs(new_rel, 1, st, "v")]
            rows = []
            for _, values in ctx.heap(new_rel).scan(ctx.snapshot):
                vals = list(values)
                for i, f in fs:
                    vals[i] = f((*values, None), ctx)
                rows.append(tuple(vals))
            verify_rows(s, cat, new_rel, rows, ctx)


def drop_expression(s: Any, cat: CatalogView, rel: Any, colname: str, missing_ok: bool) -> None:
    """ALTER COLUMN ... DROP EXPRESSION [IF EXISTS]: the stored values stay, as a plain
    column's."""
    tid, row = _attr(cat, rel, colname)
    col = rel.column(colname)
    if not col.generated:
        if missing_ok:
            s.add_notice(notice(f'column "{colname}" of relation "{rel.name}" is not a '
                                f"generated column, skipping"))
            return
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'column "{colname}" of relation '
                      f'"{rel.name}" is not a generated column')
    if col.generated == "v":
        raise PgError(FEATURE_NOT_SUPPORTED, "ALTER TABLE / DROP EXPRESSION is not supported "
                      "for virtual generated columns",
                      detail=f'Column "{colname}" of relation "{rel.name}" is a virtual '
                             f"generated column.")
    cat.delete_where("pg_attrdef", adrelid=rel.oid, adnum=col.attnum)
    cat.update("pg_attribute", tid, replace("pg_attribute", row, attgenerated="\x00",
                                            atthasdef=False))


def at_set_expression(s: Any, cat: CatalogView, rel: Any, cmd: dict,
                      state: AnalyzeState) -> None:
    set_expression(s, cat, rel, cmd["name"], cmd["def"], state)
    if getattr(state, "alter_recurse", True):
        for child in _children(cat, rel):
            cat.command_counter_increment()
            col = child.column(cmd["name"])
            if col is not None and col.generated:
                at_set_expression(s, cat, child, cmd, state)


def at_drop_expression(s: Any, cat: CatalogView, rel: Any, cmd: dict,
                       state: AnalyzeState) -> None:
    name = cmd["name"]
    col = rel.column(name)
    recurse = getattr(state, "alter_recurse", True)
    if col is not None and col.generated == "s":
        if not recurse and _children(cat, rel):
            raise PgError("42P16", "ALTER TABLE / DROP EXPRESSION must be applied to child "
                          "tables too")
        if getattr(col, "inhcount", 0) > 0 and not getattr(state, "_recursing", False):
            raise PgError("42P16", "cannot drop generation expression from inherited column")
    drop_expression(s, cat, rel, name, cmd.get("missing_ok", False))
    if recurse:
        saved = getattr(state, "_recursing", False)
        state._recursing = True
        try:
            for child in _children(cat, rel):
                cat.command_counter_increment()
                ccol = child.column(name)
                if ccol is not None and ccol.generated:
                    at_drop_expression(s, cat, child, cmd, state)
        finally:
            state._recursing = saved


def _children(cat: CatalogView, rel: Any) -> list[Any]:
    out = []
    for oid in getattr(rel, "children", None) or []:
        child = cat.relation_by_oid(oid)
        if child is not None:
            out.append(child)
    return out


def generated_default_error(rel: Any, colname: str, dropping: bool) -> PgError | None:
    """SET/DROP DEFAULT on an identity or generated column (PostgreSQL's
    ATExecColumnDefault)."""
    col = rel.column(colname)
    if col is not None and col.identity:
        return PgError(SYNTAX_ERROR, f'column "{colname}" of relation "{rel.name}" is an '
                       f"identity column", hint="Use ALTER TABLE ... ALTER COLUMN ... DROP "
                       "IDENTITY instead." if dropping else None)
    if col is None or not col.generated:
        return None
    return PgError(SYNTAX_ERROR, f'column "{colname}" of relation "{rel.name}" is a generated '
                   f"column", hint="Use ALTER TABLE ... ALTER COLUMN ... "
                   f"{'DROP' if dropping else 'SET'} EXPRESSION instead.")


def generated_dependents(rel: Any, attnum: int) -> list[Any]:
    """Generated columns of ``rel`` whose expression references column ``attnum``."""
    from tuskdb.sql.commands.tablecmds import _column_refs

    name = rel.columns[attnum - 1].name
    out = []
    for c in rel.columns:
        if c.generated and not c.dropped and c.attnum != attnum and c.default and \
                name in _column_refs(json.loads(c.default)):
            out.append(c)
    return out


# -- ALTER COLUMN TYPE ----------------------------------------------------------------------

_SYSTEM_COLUMNS = ("ctid", "xmin", "cmin", "xmax", "cmax", "tableoid")


def at_alter_column_type(s: Any, cat: CatalogView, rel: Any, cmd: dict,
                         state: AnalyzeState) -> None:
    """ALTER [COLUMN] col [SET DATA] TYPE type [COLLATE c] [USING expr]
    (PostgreSQL's ATPrepAlterColumnType / ATExecAlterColumnType): the column's
    values are converted by the USING expression (default: the column itself) in
    assignment context, and the table is rewritten with its indexes."""
    from tuskdb.catalog.manager import attribute_row
    from tuskdb.sql.analyze.coerce import can_coerce, coerce_to, type_name
    from tuskdb.sql.analyze.expr import ExprContext, resolve_type_name, transform
    from tuskdb.sql.analyze.state import RangeEntry, Scope
    from tuskdb.sql.commands.rewrite import rewrite_table
    from tuskdb.sql.expr import compile_expr

    name = cmd["name"]
    cd = cmd["def"]["ColumnDef"]
    loc = state.pos(cd.get("location"))
    col = rel.column(name)
    if col is None:
        if name in _SYSTEM_COLUMNS:
            raise PgError(FEATURE_NOT_SUPPORTED, f'cannot alter system column "{name}"',
                          position=loc)
        raise PgError("42703", f'column "{name}" of relation "{rel.name}" does not exist')
    t, m = resolve_type_name(cd["typeName"], state)
    from tuskdb.sql.commands.tablecmds import check_type_usage
    check_type_usage(state.session, state.catalog, t)
    if col.identity:
        from tuskdb.sql.commands.identitycmds import identity_alter_type
        identity_alter_type(cat, rel, col, t)
    if cd.get("collClause"):
        from tuskdb.sql.analyze.expr import check_collation
        cc = cd["collClause"]
        check_collation([n["String"]["sval"] for n in cc["collname"]],
                        state.pos(cc.get("location")))
    using = cd.get("raw_default")
    if rel.relkind == "f" and using is not None:
        raise PgError("42809", f'"{rel.name}" is not a table')
    if col.generated and using is not None:
        raise PgError("42611", "cannot specify USING when altering type of generated column",
                      position=loc, detail=f'Column "{name}" is a generated column.')
    deps = generated_dependents(rel, col.attnum)
    if deps:
        raise PgError(FEATURE_NOT_SUPPORTED, "cannot alter type of a column used by a "
                      "generated column",
                      detail=f'Column "{name}" is used by generated column "{deps[0].name}".')
    _check_view_dependents(cat, rel, name)
    from tuskdb.sql.commands.publicationcmds import column_dependents
    pub_deps = column_dependents(cat, rel, col.attnum, name)
    if pub_deps:
        # a membership with a row filter or column list depends on its columns
        raise PgError(FEATURE_NOT_SUPPORTED, "cannot alter type of a column used by a "
                      "publication WHERE clause",
                      detail=f'{pub_deps[0][1]} depends on column "{name}"')
    idx = col.attnum - 1
    rt = state.next_rt()
    scope = Scope()
    entry = RangeEntry(rt, rel.name, [c.name for c in rel.columns],
                       [(c.type_oid, c.typmod) for c in rel.columns], rel=rel)
    entry.hidden = {c.name for c in rel.columns if c.dropped}
    scope.add(entry)
    tctx = s.type_context
    if col.generated:
        e = None
    elif using is not None:
        ec = ExprContext(state, scope, "transform expressions", None)
        saved = state.lift
        state.lift = None
        try:
            e = transform(using, ec)
        finally:
            state.lift = saved
        if e.type_oid != 705 and e.type_oid != t and not can_coerce(e.type_oid, t, "a"):
            raise PgError("42804", f'result of USING clause for column "{name}" cannot be cast '
                          f"automatically to type {type_name(t)}",
                          hint="You might need to add an explicit cast.")
        e = coerce_to(e, t, m, "a", ctx=tctx)
    else:
        from tuskdb.sql.expr import Var
        e = Var(rt, idx, col.type_oid, col.typmod, name)
        if col.type_oid != t and not can_coerce(col.type_oid, t, "a"):
            from tuskdb.types.registry import format_type
            raise PgError("42804", f'column "{name}" cannot be cast automatically to type '
                          f"{type_name(t)}",
                          hint=f'You might need to specify "USING {_qi(name)}::'
                               f'{format_type(t, m)}".')
        e = coerce_to(e, t, m, "a", ctx=tctx)
    if col.default is not None and not col.generated and not col.identity:
        from tuskdb.sql.analyze.dml import column_default
        st = AnalyzeState(cat, s, [], None, "")
        d = column_default(_Retyped(col, col.type_oid, -1), rel, st.next_rt(), st)
        if d.type_oid != t and d.type_oid != 705 and not can_coerce(d.type_oid, t, "a"):
            raise PgError("42804", f'default for column "{name}" cannot be cast automatically '
                          f"to type {type_name(t)}")
    # the catalog: the column and the index columns on it take the new type
    new = attribute_row(rel.oid, name, t, m, col.attnum, col.notnull)
    p = COLUMN_POS["pg_attribute"]
    changed = {k: new[p[k]] for k in ("atttypid", "atttypmod", "attlen", "attbyval",
                                      "attalign", "attstorage", "attndims", "attcollation")}
    tid, row = _attr(cat, rel, name)
    cat.update("pg_attribute", tid, replace("pg_attribute", row, **changed))
    for ix in rel.indexes:
        for pos, a in enumerate(ix.attnums + ix.include, start=1):
            if a == col.attnum:
                for itid, irow in cat.find("pg_attribute", attrelid=ix.oid, attnum=pos):
                    cat.update("pg_attribute", itid, replace("pg_attribute", irow, **changed))
        if ix.exclusion_ops and col.attnum in ix.attnums:
            from tuskdb.sql.commands.temporal import retype_without_overlaps
            retype_without_overlaps(cat, rel, ix, col.attnum, t)
    cat.command_counter_increment()
    new_rel = cat.relation_by_oid(rel.oid)
    if col.generated:
        if col.generated == "v":
            return          # nothing stored
        from tuskdb.sql.commands.generated import generation_exprs
        st = AnalyzeState(cat, s, [], None, "")
        f = compile_expr(dict(generation_exprs(new_rel, 1, st, "s"))[idx],
                         {(1, i): i for i in range(len(new_rel.columns) + 2)})
    else:
        f = compile_expr(e, {(rt, i): i for i in range(len(rel.columns) + 1)})

    def convert(values: tuple, ctx: Any) -> tuple:
        vals = list(values)
        vals[idx] = f((*values, None, rel.oid), ctx)
        return tuple(vals)
    rewrite_table(s, cat, rel, convert, check_fkeys=True)


class _Retyped:
    """A column seen with another type (to analyze its default for the new type)."""

    def __init__(self, col: Any, type_oid: int, typmod: int) -> None:
        self.__dict__.update({k: getattr(col, k) for k in col.__slots__})
        self.type_oid = type_oid
        self.typmod = typmod


def _qi(name: str) -> str:
    from tuskdb.sql.commands.tablecmds import _qi as quote
    return quote(name)


def _check_view_dependents(cat: CatalogView, rel: Any, colname: str) -> None:
    """A view whose query names the column (or all of the table's columns with *)
    keeps it from changing type (PostgreSQL: "used by a view or rule")."""
    from tuskdb.sql.commands.view import dependent_views

    for _, view in dependent_views(cat, rel.oid):
        if view.view_query is None:
            continue
        query = json.loads(view.view_query).get("query")
        if _names_column(query, colname):
            raise PgError(FEATURE_NOT_SUPPORTED, "cannot alter type of a column used by a view "
                          "or rule",
                          detail=f'rule _RETURN on view {view.name} depends on column '
                                 f'"{colname}"')


def _names_column(node: Any, colname: str) -> bool:
    if isinstance(node, dict):
        if "ColumnRef" in node:
            fields = node["ColumnRef"]["fields"]
            last = fields[-1]
            return "A_Star" in last or last.get("String", {}).get("sval") == colname
        return any(_names_column(v, colname) for v in node.values())
    if isinstance(node, list):
        return any(_names_column(v, colname) for v in node)
    return False


# -- SET STORAGE / COMPRESSION / STATISTICS ------------------------------------------------

_STORAGE = {"plain": "p", "external": "e", "extended": "x", "main": "m"}


def _column_for(cat: CatalogView, rel: Any, cmd: dict) -> tuple[Any, tuple]:
    """The pg_attribute row an ALTER [COLUMN] subcommand names (by name, or by number
    for ALTER INDEX ... ALTER COLUMN n)."""
    name = cmd.get("name")
    if name is None:
        num = cmd.get("num", 0)
        for tid, row in cat.find("pg_attribute", attrelid=rel.oid, attnum=num):
            return tid, row
        raise PgError("42703", f'column number {num} of relation "{rel.name}" does not exist')
    if name in _SYSTEM_COLUMNS and rel.column(name) is None:
        raise PgError(FEATURE_NOT_SUPPORTED, f'cannot alter system column "{name}"')
    return _attr(cat, rel, name)


def at_set_storage(s: Any, cat: CatalogView, rel: Any, cmd: dict, state: AnalyzeState) -> None:
    from tuskdb import types
    word = cmd["def"]["String"]["sval"].lower()
    tid, row = _column_for(cat, rel, cmd)
    p = COLUMN_POS["pg_attribute"]
    t = types.TYPES.get(row[p["atttypid"]])
    typstorage = getattr(t, "storage", "p") if t is not None else "x"
    if word == "default":
        code = typstorage
    elif word in _STORAGE:
        code = _STORAGE[word]
    else:
        raise PgError("22023", f'invalid storage type "{word}"')
    if code != "p" and typstorage == "p":
        from tuskdb.sql.analyze.coerce import type_name
        raise PgError(FEATURE_NOT_SUPPORTED, f"column data type "
                      f"{type_name(row[p['atttypid']])} can only have storage PLAIN")
    cat.update("pg_attribute", tid, replace("pg_attribute", row, attstorage=code))


def at_set_compression(s: Any, cat: CatalogView, rel: Any, cmd: dict,
                       state: AnalyzeState) -> None:
    from tuskdb import types
    word = cmd["def"]["String"]["sval"].lower()
    tid, row = _column_for(cat, rel, cmd)
    p = COLUMN_POS["pg_attribute"]
    codes = {"pglz": "p", "lz4": "l", "default": "\x00"}
    if word not in codes:
        raise PgError("22023", f'invalid compression method "{word}"')
    t = types.TYPES.get(row[p["atttypid"]])
    if t is not None and getattr(t, "storage", "p") == "p":
        from tuskdb.sql.analyze.coerce import type_name
        raise PgError(FEATURE_NOT_SUPPORTED, f"column data type "
                      f"{type_name(row[p['atttypid']])} does not support compression")
    cat.update("pg_attribute", tid, replace("pg_attribute", row, attcompression=codes[word]))


def at_set_statistics(s: Any, cat: CatalogView, rel: Any, cmd: dict,
                      state: AnalyzeState) -> None:
    arg = cmd.get("def")
    target = None if arg is None else next(iter(arg.values())).get("ival", 0)
    tid, row = _column_for(cat, rel, cmd)
    p = COLUMN_POS["pg_attribute"]
    if rel.relkind in ("i", "I"):
        # only an index's expression columns have statistics of their own
        k = COLUMN_POS["pg_index"]
        irow = cat.find("pg_index", indexrelid=rel.oid)[0][1]
        colno = row[p["attnum"]]
        if colno > irow[k["indnkeyatts"]]:
            raise PgError(FEATURE_NOT_SUPPORTED, f'cannot alter statistics on included column '
                          f'"{row[p["attname"]]}" of index "{rel.name}"')
        if list(irow[k["indkey"]])[colno - 1] != 0:
            raise PgError(FEATURE_NOT_SUPPORTED, f'cannot alter statistics on non-expression '
                          f'column "{row[p["attname"]]}" of index "{rel.name}"',
                          hint="Alter statistics on table column instead.")
    if target is not None:
        if target < -1:
            raise PgError("22023", f"statistics target {target} is too low")
        if target > 10000:
            s.add_notice(notice("lowering statistics target to 10000", severity="WARNING",
                                sqlstate="22023"))
            target = 10000
        if target == -1:
            target = None
    cat.update("pg_attribute", tid, replace("pg_attribute", row, attstattarget=target))
