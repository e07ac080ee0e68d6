"""CREATE TABLE, DROP, TRUNCATE, ALTER TABLE (PostgreSQL's tablecmds.c).

DDL is catalog DML: each command inserts, updates or deletes rows of
pg_class, pg_attribute, pg_attrdef, pg_constraint, pg_index, ... inside the
current transaction, creates relation files at once and drops them only when
the transaction commits (so ROLLBACK leaves everything as it was).
"""

from __future__ import annotations

import json
from typing import Any

from tuskdb import types
from tuskdb.types import Array
from tuskdb.catalog.manager import (BOOTSTRAP_SUPERUSER, BTREE_AM, HEAP_AM,
                                    PG_CATALOG_NAMESPACE, CatalogView,
                                    attribute_row)
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (DEPENDENT_OBJECTS_STILL_EXIST, DUPLICATE_COLUMN, DUPLICATE_OBJECT,
                           DUPLICATE_TABLE, FEATURE_NOT_SUPPORTED, INVALID_TABLE_DEFINITION,
                           SYNTAX_ERROR, UNDEFINED_COLUMN, UNDEFINED_OBJECT, UNDEFINED_TABLE,
                           WRONG_OBJECT_TYPE, PgError, notice)
from tuskdb.sql.commands.dependency import cascade_notice, report_dependents
from tuskdb.sql.analyze.expr import ExprContext, resolve_type_name, transform
from tuskdb.sql.analyze.coerce import coerce_to, can_coerce, require_bool, type_name
from tuskdb.sql.analyze.state import AnalyzeState, RangeEntry, Scope
from tuskdb.storage import RelFileLocator

NAMEDATALEN = 64
LIKE_CONSTRAINTS, LIKE_DEFAULTS, LIKE_GENERATED, LIKE_INDEXES = 1 << 2, 1 << 3, 1 << 4, 1 << 6
LIKE_IDENTITY = 1 << 5
ACCESS_EXCLUSIVE, SHARE, ROW_EXCLUSIVE, SHARE_ROW_EXCLUSIVE = 8, 5, 3, 6


def lock_relation(s: Any, oid: int, mode: int) -> None:
    """Take a heavyweight lock on a relation for the rest of the transaction."""
    s.txn.lock_relation(s.dboid, oid, mode)


def truncate_identifier(name: str) -> str:
    b = name.encode()
    if len(b) < NAMEDATALEN:
        return name
    return b[:NAMEDATALEN - 1].decode(errors="ignore")


def choose_name(cat: CatalogView, nsp: int, base: str, suffix: str,
                taken: set[str] | None = None) -> str:
    """PostgreSQL's ChooseRelationName: base_suffix, truncated, made unique (also
    against ``taken``, names about to be used)."""
    n = 0
    while True:
        tail = f"_{suffix}" if n == 0 else f"_{suffix}{n}"
        room = NAMEDATALEN - 1 - len(tail.encode())
        name = truncate_identifier(base.encode()[:room].decode(errors="ignore")) + tail
        if taken and name in taken:
            n += 1
            continue
        if cat.relation_oid(nsp, name) is None and not cat.find("pg_constraint",
                                                                 conname=name,
                                                                 connamespace=nsp):
            return name
        n += 1


def _state(s: Any, raw: Any) -> AnalyzeState:
    return AnalyzeState(s.catalog(), s, [], None, raw.source)


def _namespace_for(s: Any, cat: CatalogView, rv: dict, state: AnalyzeState,
                   positioned: bool = True) -> int:
    schema = rv.get("schemaname")
    if rv.get("relpersistence") == "t" or schema == "pg_temp":
        if schema is not None and schema != "pg_temp" and not schema.startswith("pg_temp"):
            # CREATE TABLE's error points at the name; a view's and a sequence's do not
            raise PgError("42P16", "cannot create temporary relation in non-temporary schema",
                          position=state.pos(rv.get("location")) if positioned else None)
        rv["relpersistence"] = "t"
        return s.temp_namespace()
    if schema is not None:
        nsp = cat.namespace_oid(schema)
        if nsp is None:
            raise PgError("3F000", f'schema "{schema}" does not exist',
                          position=state.pos(rv.get("location")))
    else:
        nsp = s.creation_namespace(cat)
        if nsp is None:
            raise PgError("3F000", "no schema has been selected to create in",
                          position=state.pos(rv.get("location")))
    uid, is_super = s._role_facts(cat)
    if not is_super:
        from tuskdb.catalog import aclchk
        aclchk.check_namespace_create(cat, nsp, uid)
    return nsp


class ColumnSpec:
    def __init__(self, name: str, type_oid: int, typmod: int) -> None:
        self.name = name
        self.type_oid = type_oid
        self.typmod = typmod
        self.notnull = False
        self.default: str | None = None
        self.identity = ""
        self.serial_seq: str | None = None
        self.seq_options: dict[str, Any] = {}
        self.inhcount = 0                 # parents this column comes from
        self.islocal = True               # declared in this CREATE TABLE
        self.nn_name: str | None = None   # name of the NOT NULL constraint inherited
        self.nn_count = 0                 # parents giving that NOT NULL constraint
        self.nn_local = False             # NOT NULL declared locally
        self.nn_decl = False              # a local NOT NULL was written (or implied)
        self.nn_conname: str | None = None  # its name, when one was given
        self.nn_noinherit = False         # ... NO INHERIT
        self.generated = ""                  # '' | 's' | 'v' (pg_attribute.attgenerated)
        self.gen_expr: dict | None = None    # raw generation expression
        self.default_loc: int | None = None
        self.identity_loc: int | None = None
        self.gen_loc: int | None = None


def create_table(s: Any, raw: Any, foreign_spec: Any = None) -> QueryResult:
    """CREATE TABLE; with ``foreign_spec`` (foreign_table.ForeignSpec), CREATE FOREIGN TABLE."""
    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    rv = body["relation"]
    if body.get("ofTypename"):
        from tuskdb.sql.commands.composite import create_typed_table
        return create_typed_table(s, raw, state)
    nsp = _namespace_for(s, cat, rv, state)
    name = rv["relname"]
    if cat.relation_oid(nsp, name) is not None:
        if body.get("if_not_exists"):
            s.add_notice(notice(f'relation "{name}" already exists, skipping',
                                sqlstate=DUPLICATE_TABLE))
            return QueryResult(tag="CREATE TABLE")
        raise PgError(DUPLICATE_TABLE, f'relation "{name}" already exists')
    check_expr_type_usage(s, state, [body.get("tableElts"), body.get("partspec")])
    cols: list[ColumnSpec] = []
    like_indexes: list[tuple[Any, Any]] = []      # LIKE ... INCLUDING INDEXES: plain ones
    table_constraints: list[dict] = []
    col_constraints: list[tuple[int, dict]] = []
    for elt in body.get("tableElts") or []:
        kind, e = next(iter(elt.items()))
        if kind == "ColumnDef":
            colname = e["colname"]
            if any(c.name == colname for c in cols):
                raise PgError(DUPLICATE_COLUMN, f'column "{colname}" specified more than once')
            tn = e.get("typeName")
            if tn is None:
                # PARTITION OF (col WITH OPTIONS ...): options for an inherited column
                tn = {"names": [{"String": {"sval": "\x00options"}}]}
            tname = tn["names"][-1]["String"]["sval"]
            serial = {"serial": 23, "serial4": 23, "bigserial": 20, "serial8": 20,
                      "smallserial": 21, "serial2": 21}.get(tname) if len(tn["names"]) == 1 \
                else None
            if serial:
                t, m = serial, -1
            elif tname == "\x00options":
                t, m = None, -1
            else:
                t, m = resolve_type_name(tn, state)
                check_type_usage(s, cat, t)
            c = ColumnSpec(colname, t, m)
            c.fdwoptions = e.get("fdwoptions")
            if serial:
                c.serial_seq = "pending"
                column_not_null(c, None, False)
            if e.get("is_not_null"):
                column_not_null(c, None, False)
            if e.get("collClause"):
                from tuskdb.sql.analyze.expr import check_collation
                cc = e["collClause"]
                check_collation([n["String"]["sval"] for n in cc["collname"]],
                                state.pos(cc.get("location")))
            cols.append(c)
            for con in e.get("constraints") or []:
                if foreign_spec is not None:
                    foreign_spec.check_constraint(con["Constraint"], state)
                col_constraints.append((len(cols) - 1, con["Constraint"]))
        elif kind == "Constraint":
            if foreign_spec is not None:
                foreign_spec.check_constraint(e, state)
            table_constraints.append(e)
        elif kind == "TableLikeClause":
            from tuskdb.sql.analyze.select import lookup_relation
            src = lookup_relation(e["relation"], state)
            opts = e.get("options", 0)
            for col in src.live_columns:
                if any(c.name == col.name for c in cols):
                    raise PgError(DUPLICATE_COLUMN, f'column "{col.name}" specified more than '
                                  f"once")
                c = ColumnSpec(col.name, col.type_oid, col.typmod)
                if col.notnull:
                    # LIKE copies not-null constraints with their names
                    from tuskdb.sql.commands.notnull import find_not_null
                    found = find_not_null(cat, src.oid, col.attnum)
                    kk = COLUMN_POS["pg_constraint"]
                    table_not_null(c, found[1][kk["conname"]] if found else None,
                                   bool(found and found[1][kk["connoinherit"]]))
                if col.generated:
                    if opts & LIKE_GENERATED:
                        c.generated = col.generated
                        c.gen_expr = json.loads(col.default)
                elif opts & LIKE_DEFAULTS and col.default is not None and not col.identity:
                    c.default = col.default
                if opts & LIKE_IDENTITY and col.identity:
                    # a new sequence with the source's options
                    from tuskdb.sql.commands.identitycmds import identity_sequence_options
                    c.identity = col.identity
                    c.serial_seq = "pending"
                    c.seq_options = identity_sequence_options(cat, src, col)
                cols.append(c)
            if opts & LIKE_CONSTRAINTS:
                for ch in src.checks:
                    table_constraints.append({"contype": "CONSTR_CHECK", "conname": ch.name,
                                              "raw_expr": json.loads(ch.expr),
                                              "is_enforced": ch.enforced,
                                              "is_no_inherit": ch.noinherit})
            if opts & LIKE_INDEXES and foreign_spec is None:    # foreign tables: none
                for ix in src.indexes:
                    if ix.exprs or ix.predicate or not ix.unique:
                        like_indexes.append((src, ix))
                        continue
                    if ix.unique:
                        table_constraints.append({
                            "contype": "CONSTR_PRIMARY" if ix.primary else "CONSTR_UNIQUE",
                            "keys": [{"String": {"sval": src.columns[a - 1].name}}
                                     for a in ix.attnums],
                            "including": [{"String": {"sval": src.columns[a - 1].name}}
                                          for a in ix.include],
                            "without_overlaps": bool(ix.exclusion_ops),
                            "deferrable": ix.deferrable, "initdeferred": ix.deferred})
        else:
            raise PgError(FEATURE_NOT_SUPPORTED, f"table element {kind} is not supported")
    if len(cols) > 1600:
        raise PgError("54011", "tables can have at most 1600 columns")
    # column constraints
    # name, expr, column, noinherit, the Constraint node (its enforceability may come later)
    checks: list[tuple[str | None, dict, str | None, bool, dict]] = []
    uniques: list[tuple[str | None, list[str], bool, dict]] = []   # name, cols, primary, con
    foreign: list[tuple[dict, list[str]]] = []
    exclusions: list[dict] = []
    last_con: dict | None = None
    seen_attrs: set[str] = set()
    nullness: dict[int, set[str]] = {}     # column -> NULL ("n") / NOT NULL ("nn") seen
    for i, con in col_constraints:
        ct = con["contype"]
        c = cols[i]
        if ct.startswith("CONSTR_ATTR_"):
            # DEFERRABLE / INITIALLY DEFERRED / ENFORCED after a column constraint apply to
            # it (PostgreSQL's transformConstraintAttrs)
            _constraint_attr(last_con, con, seen_attrs, state)
            continue
        last_con = con
        seen_attrs = set()
        if ct in ("CONSTR_NOTNULL", "CONSTR_NULL", "CONSTR_IDENTITY"):
            # NULL excludes NOT NULL and identity, in either order
            key = "n" if ct == "CONSTR_NULL" else "nn"
            other = nullness.get(i, set()) - {key}
            if other:
                raise PgError(SYNTAX_ERROR, f'conflicting NULL/NOT NULL declarations for column '
                              f'"{c.name}" of table "{name}"',
                              position=state.pos(con.get("location")))
            nullness.setdefault(i, set()).add(key)
        if ct == "CONSTR_NOTNULL":
            column_not_null(c, con.get("conname"), bool(con.get("is_no_inherit")))
        elif ct == "CONSTR_NULL":
            pass
        elif ct == "CONSTR_DEFAULT":
            if c.serial_seq and not c.identity:
                raise PgError(SYNTAX_ERROR, f'multiple default values specified for column '
                              f'"{c.name}" of table "{name}"')
            if c.default is not None:
                raise PgError(SYNTAX_ERROR, f'multiple default values specified for column '
                              f'"{c.name}" of table "{name}"',
                              position=state.pos(con.get("location")))
            c.default = json.dumps(con["raw_expr"])
            c.default_loc = con.get("location")
        elif ct == "CONSTR_CHECK":
            checks.append((con.get("conname"), con["raw_expr"], c.name,
                           bool(con.get("is_no_inherit")), con))
        elif ct in ("CONSTR_PRIMARY", "CONSTR_UNIQUE"):
            uniques.append((con.get("conname"), [c.name], ct == "CONSTR_PRIMARY", con))
            if ct == "CONSTR_PRIMARY":
                column_not_null(c, None, False)
        elif ct == "CONSTR_IDENTITY":
            if c.identity:
                raise PgError(SYNTAX_ERROR, f'multiple identity specifications for column '
                              f'"{c.name}" of table "{name}"',
                              position=state.pos(con.get("location")))
            if c.serial_seq:
                raise PgError(SYNTAX_ERROR, f'both default and identity specified for column '
                              f'"{c.name}" of table "{name}"')
            if body.get("ofTypename"):
                raise PgError(FEATURE_NOT_SUPPORTED, "identity columns are not supported on "
                              "typed tables")
            if body.get("partbound"):
                raise PgError(FEATURE_NOT_SUPPORTED, "identity columns are not supported on "
                              "partitions")
            c.identity = "a" if con.get("generated_when") == "a" else "d"
            c.identity_loc = con.get("location")
            column_not_null(c, None, False)
            c.serial_seq = "pending"
            from tuskdb.sql.commands.sequence import sequence_options
            c.seq_options = sequence_options(con.get("options") or [])[0]
        elif ct == "CONSTR_FOREIGN":
            foreign.append((con, [c.name]))
        elif ct == "CONSTR_GENERATED":
            if c.generated:
                raise PgError(SYNTAX_ERROR, f'multiple generation clauses specified for column '
                              f'"{c.name}" of table "{name}"',
                              position=state.pos(con.get("location")))
            c.generated = con.get("generated_kind") or "v"
            c.gen_expr = con["raw_expr"]
            c.gen_loc = con.get("location")
        else:
            raise PgError(FEATURE_NOT_SUPPORTED, f"constraint {ct} is not supported")
    for c in cols:
        _check_column_clauses(c, name, state)
    late_not_null: list[tuple[str, dict]] = []
    for con in table_constraints:
        ct = con["contype"]
        if ct == "CONSTR_CHECK":
            checks.append((con.get("conname"), con["raw_expr"], None,
                           bool(con.get("is_no_inherit")), con))
        elif ct in ("CONSTR_PRIMARY", "CONSTR_UNIQUE"):
            keys = [k["String"]["sval"] for k in con.get("keys") or []]
            uniques.append((con.get("conname"), keys, ct == "CONSTR_PRIMARY", con))
        elif ct == "CONSTR_FOREIGN":
            foreign.append((con, [k["String"]["sval"] for k in con.get("fk_attrs") or []]))
        elif ct == "CONSTR_EXCLUSION":
            exclusions.append(con)
        elif ct == "CONSTR_NOTNULL":
            for k in con.get("keys") or []:
                cn = k["String"]["sval"]
                col = next((c for c in cols if c.name == cn), None)
                if col is None:
                    late_not_null.append((cn, con))     # an inherited column, maybe
                    continue
                table_not_null(col, con.get("conname"), bool(con.get("is_no_inherit")))
        else:
            raise PgError(FEATURE_NOT_SUPPORTED, f"constraint {ct} is not supported")
    parents: list[Any] = []
    inh_checks: list[list] = []
    for c in cols:
        c.nn_local = c.notnull
    bound = None
    if body.get("inhRelations"):
        from tuskdb.sql.commands import inherit
        is_partition = body.get("partbound") is not None
        parents = inherit.lookup_parents(s, state, body["inhRelations"],
                                         rv.get("relpersistence") or "p", is_partition)
        if is_partition and parents[0].relkind != "p":
            raise PgError("42P17", f'"{parents[0].name}" is not partitioned')
        if is_partition and foreign_spec is not None:
            foreign_spec.check_partition_parent(parents[0])
        cols = inherit.merge_attributes(s, cols, parents, ColumnSpec, is_partition)
        inh_checks = inherit.parent_checks(s, parents)
        if len(cols) > 1600:
            raise PgError("54011", "tables can have at most 1600 columns")
        if is_partition:
            from tuskdb.sql.commands import partition
            kt = partition.key_types_of(s, parents[0])
            bound = partition.transform_bound(s, state, parents[0], body["partbound"], kt)
            partition.check_new_partition(s, state, cat, parents[0], name, bound, kt,
                                          body["partbound"])
    for con in table_constraints:
        if con["contype"] in ("CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_FOREIGN"):
            from tuskdb.sql.commands.temporal import check_temporal
            check_temporal(con, lambda n: next((c.type_oid for c in cols if c.name == n),
                                               None), state)
    for cn, con in late_not_null:
        col = next((c for c in cols if c.name == cn), None)
        if col is None:
            raise PgError(UNDEFINED_COLUMN, f'column "{cn}" named in key does not exist')
        table_not_null(col, con.get("conname"), bool(con.get("is_no_inherit")))
        col.nn_local = True
    partkey = None
    if body.get("partspec") and any(ch[3] for ch in checks):
        raise PgError(INVALID_TABLE_DEFINITION, f'cannot add NO INHERIT constraint to '
                      f'partitioned table "{name}"')
    if body.get("partspec") and any(c.nn_noinherit for c in cols):
        raise PgError(FEATURE_NOT_SUPPORTED, "not-null constraints on partitioned tables cannot "
                      "be NO INHERIT")
    if body.get("partspec"):
        if parents and bound is None:
            raise PgError(WRONG_OBJECT_TYPE, "cannot create partitioned table as inheritance "
                          "child")
        if rv.get("relpersistence") == "u":
            raise PgError(FEATURE_NOT_SUPPORTED, "partitioned tables cannot be unlogged")
        from tuskdb.sql.commands import partition
        partkey = partition.transform_partspec(s, state, body["partspec"], cols)
    pks = [u for u in uniques if u[2]]
    if len(pks) > 1:
        raise PgError(INVALID_TABLE_DEFINITION, f'multiple primary keys for table "{name}" are '
                      f"not allowed", position=state.pos(pks[1][3].get("location")))
    for _, keys, primary, ucon in uniques:
        for k in keys + _including(ucon):
            col = next((c for c in cols if c.name == k), None)
            if col is None:
                raise PgError(UNDEFINED_COLUMN, f'column "{k}" named in key does not exist',
                              position=state.pos(ucon.get("location")))
            if primary and k in keys:
                table_not_null(col, None, False)
                col.nn_local = True
    for c in cols:
        if c.default is not None and not c.serial_seq:
            _validate_default(c, json.loads(c.default), state)
    for c in cols:
        if c.generated:
            c.default = json.dumps(c.gen_expr)
    # sequences for serial / identity columns: created before the table, as
    # transformCreateStmt orders them (so they have the lower OIDs), and linked to
    # their columns once the table has its OID
    owned_seqs: list[tuple[int, int, str]] = []
    for c in cols:
        if c.serial_seq:
            from tuskdb.sql.commands.sequence import create_sequence_rel
            seqname = choose_name(cat, nsp, f"{name}_{c.name}", "seq")
            seqoid = create_sequence_rel(
                s, cat, nsp, seqname, c.type_oid, c.seq_options,
                deptype="i" if c.identity else "a",
                persistence="u" if rv.get("relpersistence") == "u" else None)
            owned_seqs.append((seqoid, cols.index(c) + 1, "i" if c.identity else "a"))
            nspname = cat.namespace_name(nsp)
            if not c.identity:
                c.default = json.dumps(_nextval_raw(f"{_qi(nspname)}.{_qi(seqname)}"))
            c.serial_seq = seqname
    reloid = cat.m.next_oid()
    for seqoid, attnum, deptype in owned_seqs:
        cat.insert("pg_depend", make_row(
            "pg_depend", classid=1259, objid=seqoid, objsubid=0, refclassid=1259,
            refobjid=reloid, refobjsubid=attnum, deptype=deptype))
    if partkey is not None:
        _insert_relation(s, cat, reloid, name, nsp, "p", cols, relfilenode=0,
                         create_storage=False, relam=0)
        from tuskdb.sql.commands.partition import store_partition_key
        store_partition_key(cat, reloid, partkey)
    elif foreign_spec is not None:
        _insert_relation(s, cat, reloid, name, nsp, "f", cols, relfilenode=0,
                         create_storage=False, relam=0)
        cat.command_counter_increment()
        foreign_spec.finish(s, cat, reloid, cols)
    else:
        _insert_relation(s, cat, reloid, name, nsp, "r", cols,
                         persistence="u" if rv.get("relpersistence") == "u" else None)
    if parents:
        from tuskdb.sql.commands.inherit import store_inheritance
        store_inheritance(cat, reloid, parents)
    if body.get("options"):
        from tuskdb.sql.commands.tableopts import create_reloptions
        cat.command_counter_increment()
        create_reloptions(cat, reloid, body["options"])
    if partkey is None and foreign_spec is None:
        from tuskdb.sql.commands.toasting import create_toast_table
        cat.command_counter_increment()
        if create_toast_table(s, cat, reloid) and body.get("options"):
            from tuskdb.sql.commands.tableopts import create_toast_reloptions
            create_toast_reloptions(cat, reloid, body["options"])
    if bound is not None:
        from tuskdb.sql.commands import partition
        cat.command_counter_increment()
        partition.set_partbound(cat, reloid, bound)
        if bound.get("is_default"):
            partition.set_default_partition(cat, parents[0].oid, reloid)
        cat.command_counter_increment()
        if parents[0].indexes and foreign_spec is None:
            from tuskdb.sql.commands.partindex import clone_indexes
            clone_indexes(s, cat, parents[0], cat.relation_by_oid(reloid))
        from tuskdb.sql.commands.fkeys import clone_partition_fks
        clone_partition_fks(s, cat, parents[0], cat.relation_by_oid(reloid), attaching=False)
        partition.check_default_partition(s, state, cat, parents[0], reloid)
    cat.command_counter_increment()
    if any(c.generated for c in cols):
        from tuskdb.sql.commands.generated import cook_generation_expr
        rel = cat.relation_by_oid(reloid)
        for c in cols:
            if c.generated:
                cook_generation_expr(rel, rel.column(c.name), c.gen_expr, state)
    con_names: set[str] = set()
    # generated not-null names must not collide with explicitly named constraints
    reserved = {ch[0] for ch in checks if ch[0]}
    for c_i, c in enumerate(cols):
        if c.notnull:
            if c.nn_name is not None and not c.nn_local:
                nname = c.nn_name
                if nname in con_names:      # two parents' constraints of one name
                    nname = choose_name(cat, nsp, f"{name}_{c.name}", "not_null")
                _insert_constraint(cat, nname, nsp, "n", reloid, [c_i + 1],
                                   conislocal=False, coninhcount=c.nn_count)
                con_names.add(nname)
                cat.command_counter_increment()
                continue
            cname = c.nn_conname
            if cname is None:
                cname = choose_name(cat, nsp, f"{name}_{c.name}", "not_null", reserved)
            elif cname in con_names:
                raise PgError(DUPLICATE_OBJECT, f'constraint "{cname}" for relation "{name}" '
                              f"already exists")
            _insert_constraint(cat, cname, nsp, "n", reloid, [c_i + 1],
                               coninhcount=c.nn_count, connoinherit=c.nn_noinherit)
            con_names.add(cname)
            cat.command_counter_increment()
    # CHECK constraints: validate by analyzing against the new table
    cat.command_counter_increment()
    rel = cat.relation_by_oid(reloid)
    for cname, expr, colname, noinherit, con in checks:
        enforced = bool(con.get("is_enforced"))
        _validate_check(rel, expr, state)
        inh = next((x for x in inh_checks if x[0] == cname), None) if cname else None
        if inh is not None and noinherit:
            raise PgError("42P17", f'constraint "{cname}" conflicts with inherited constraint '
                          f'on relation "{name}"')
        if inh is not None:
            from tuskdb.sql.commands.inherit import same_expr
            if not same_expr(inh[1], json.dumps(expr)):
                raise PgError(DUPLICATE_OBJECT, f'constraint "{cname}" for relation "{name}" '
                              f"already exists")
            s.add_notice(notice(f'merging constraint "{cname}" with inherited definition'))
            if inh[3] and not enforced:
                raise PgError("42P17", f'constraint "{cname}" conflicts with NOT ENFORCED '
                              f'constraint on relation "{name}"')
            inh_checks.remove(inh)
            con_names.add(cname)
            _insert_constraint(cat, cname, nsp, "c", reloid, [], conbin=json.dumps(expr),
                               coninhcount=inh[2], conislocal=bound is None,
                               conenforced=enforced or inh[3])
            continue
        if cname is None:
            # PostgreSQL names a CHECK after its column when the expression references
            # exactly one (column constraint or not)
            refs = _column_refs(expr)
            base = f"{name}_{refs[0]}" if len(refs) == 1 else name
            cname = choose_name(cat, nsp, base, "check")
        elif cname in con_names:
            raise PgError(DUPLICATE_OBJECT, f'constraint "{cname}" for relation "{name}" already '
                          f"exists")
        con_names.add(cname)
        _insert_constraint(cat, cname, nsp, "c", reloid, [], conbin=json.dumps(expr),
                           connoinherit=noinherit, conenforced=enforced)
        cat.command_counter_increment()
    for cname, conbin, count, enforced in inh_checks:
        _insert_constraint(cat, cname, nsp, "c", reloid, [], conbin=conbin,
                           conislocal=False, coninhcount=count, conenforced=enforced)
    cat.command_counter_increment()
    if checks or inh_checks:
        update_relchecks(cat, reloid)
        cat.command_counter_increment()
    for cname, keys, primary, con in uniques:
        rel = cat.relation_by_oid(reloid)
        attnums = [next(c.attnum for c in rel.columns if c.name == k) for k in keys]
        include = [rel.column(k).attnum for k in _including(con)]
        if cname is None:
            cname = choose_name(cat, nsp, name, "pkey") if primary else \
                choose_name(cat, nsp, f"{name}_{'_'.join(_key_names(keys, con))}", "key")
        if cat.relation_oid(nsp, cname) is not None:
            raise PgError(DUPLICATE_TABLE, f'relation "{cname}" already exists')
        from tuskdb.sql.commands.indexcmds import build_index, mark_deferrable
        ioid = build_index(s, cat, rel, cname, attnums, [False] * len(attnums),
                           [False] * len(attnums), unique=True, primary=primary,
                           constraint=("p" if primary else "u"),
                           nulls_not_distinct=bool(con.get("nulls_not_distinct")),
                           exclusion=_without_overlaps(rel, con, attnums), include=include)
        if con.get("deferrable"):
            mark_deferrable(cat, ioid, bool(con.get("initdeferred")))
        cat.command_counter_increment()
    for con in exclusions:
        from tuskdb.sql.commands.exclusioncmds import add_exclusion_constraint
        add_exclusion_constraint(s, cat, cat.relation_by_oid(reloid), con, state)
        cat.command_counter_increment()
    for src, ix in like_indexes:
        _copy_index(s, cat, cat.relation_by_oid(reloid), src, ix)
        cat.command_counter_increment()
    oncommit = body.get("oncommit", "ONCOMMIT_NOOP")
    if oncommit in ("ONCOMMIT_DROP", "ONCOMMIT_DELETE_ROWS"):
        if rv.get("relpersistence") != "t":
            raise PgError("42P16", "ON COMMIT can only be used on temporary tables")
        s.on_commit_actions.append((reloid, oncommit))
    for con, fk_cols in foreign:
        from tuskdb.sql.commands.fkeys import add_foreign_key
        rel = cat.relation_by_oid(reloid)
        add_foreign_key(s, cat, rel, con, state, fk_cols, validate=False)
        cat.command_counter_increment()
    return QueryResult(tag="CREATE TABLE")


def _including(con: dict) -> list[str]:
    """The INCLUDE column names of a PRIMARY KEY / UNIQUE constraint."""
    return [k["String"]["sval"] for k in con.get("including") or []]


def _key_names(keys: list[str], con: dict) -> list[str]:
    """The column names a constraint's index is named after: key and INCLUDE columns."""
    from tuskdb.sql.commands.indexcmds import index_column_names
    return index_column_names(keys + _including(con))


def _without_overlaps(rel: Any, con: dict, attnums: list[int]
                      ) -> tuple[list[int], list[int]] | None:
    """The exclusion operators and operator classes of a PRIMARY KEY / UNIQUE ...
    WITHOUT OVERLAPS, else None."""
    if not con.get("without_overlaps"):
        return None
    from tuskdb.sql.commands.temporal import without_overlaps_exclusion
    return without_overlaps_exclusion([rel.columns[a - 1].type_oid for a in attnums])


def _copy_index(s: Any, cat: CatalogView, rel: Any, src: Any, ix: Any) -> None:
    """An index of a LIKE source table, on the new table's same-named columns."""
    from tuskdb.sql.commands.indexcmds import build_index
    from tuskdb.sql.execute.indexkeys import analyze_index_exprs

    attnums = [rel.column(src.columns[a - 1].name).attnum if a else 0 for a in ix.attnums]
    exprs = [json.loads(e) for e in ix.exprs]
    expr_cols = []
    if exprs:
        analyzed = analyze_index_exprs(rel, exprs, s)
        names = iter(n for a, n in zip(ix.attnums, _index_column_names(cat, ix.oid)) if not a)
        for e in analyzed:
            expr_cols.append(ColumnSpec(next(names), e.type_oid, e.typmod))
    colnames = _index_column_names(cat, ix.oid)
    name = choose_name(cat, rel.namespace, f"{rel.name}_{'_'.join(colnames)}", "idx")
    build_index(s, cat, rel, name, attnums, list(ix.descending), list(ix.nulls_first),
                unique=ix.unique, nulls_not_distinct=ix.nulls_not_distinct, exprs=exprs,
                expr_cols=expr_cols,
                include=[rel.column(src.columns[a - 1].name).attnum for a in ix.include],
                predicate=json.loads(ix.predicate) if ix.predicate else None)


def _index_column_names(cat: CatalogView, index_oid: int) -> list[str]:
    p = COLUMN_POS["pg_attribute"]
    rows = sorted((r for _, r in cat.find("pg_attribute", attrelid=index_oid)),
                  key=lambda r: r[p["attnum"]])
    return [r[p["attname"]] for r in rows]


_DEFERRABILITY = ("CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_EXCLUSION", "CONSTR_FOREIGN")


def _constraint_attr(last: dict | None, attr: dict, seen: set[str], state: Any) -> None:
    """Apply a DEFERRABLE / INITIALLY ... / [NOT] ENFORCED clause to the column
    constraint before it."""
    ct = attr["contype"]
    pos = state.pos(attr.get("location"))
    if ct in ("CONSTR_ATTR_DEFERRABLE", "CONSTR_ATTR_NOT_DEFERRABLE"):
        word = "DEFERRABLE" if ct == "CONSTR_ATTR_DEFERRABLE" else "NOT DEFERRABLE"
        if last is None or last["contype"] not in _DEFERRABILITY:
            raise PgError(SYNTAX_ERROR, f"misplaced {word} clause", position=pos)
        if "deferrability" in seen:
            raise PgError(SYNTAX_ERROR, "multiple DEFERRABLE/NOT DEFERRABLE clauses not "
                          "allowed", position=pos)
        seen.add("deferrability")
        last["deferrable"] = ct == "CONSTR_ATTR_DEFERRABLE"
        if not last["deferrable"] and last.get("initdeferred"):
            raise PgError(SYNTAX_ERROR, "constraint declared INITIALLY DEFERRED must be "
                          "DEFERRABLE", position=pos)
    elif ct in ("CONSTR_ATTR_DEFERRED", "CONSTR_ATTR_IMMEDIATE"):
        word = "INITIALLY DEFERRED" if ct == "CONSTR_ATTR_DEFERRED" else "INITIALLY IMMEDIATE"
        if last is None or last["contype"] not in _DEFERRABILITY:
            raise PgError(SYNTAX_ERROR, f"misplaced {word} clause", position=pos)
        if "initially" in seen:
            raise PgError(SYNTAX_ERROR, "multiple INITIALLY IMMEDIATE/DEFERRED clauses not "
                          "allowed", position=pos)
        seen.add("initially")
        last["initdeferred"] = ct == "CONSTR_ATTR_DEFERRED"
        if last["initdeferred"]:
            if "deferrability" in seen and not last.get("deferrable"):
                raise PgError(SYNTAX_ERROR, "constraint declared INITIALLY DEFERRED must be "
                              "DEFERRABLE", position=pos)
            last["deferrable"] = True
    elif ct in ("CONSTR_ATTR_ENFORCED", "CONSTR_ATTR_NOT_ENFORCED"):
        word = "ENFORCED" if ct == "CONSTR_ATTR_ENFORCED" else "NOT ENFORCED"
        # only CHECK and FOREIGN KEY constraints have an enforceability
        if last is None or last["contype"] not in ("CONSTR_CHECK", "CONSTR_FOREIGN"):
            raise PgError(SYNTAX_ERROR, f"misplaced {word} clause", position=pos)
        if "enforced" in seen:
            raise PgError(SYNTAX_ERROR, "multiple ENFORCED/NOT ENFORCED clauses not allowed",
                          position=pos)
        seen.add("enforced")
        if ct == "CONSTR_ATTR_NOT_ENFORCED":
            last["is_enforced"] = False
            last["skip_validation"] = True
            last.pop("initially_valid", None)


def column_not_null(c: ColumnSpec, name: str | None, noinherit: bool) -> None:
    """A NOT NULL written on the column (or implied by SERIAL, identity, PRIMARY KEY):
    the column's one not-null constraint takes the name given, if any."""
    if c.nn_decl:
        if name is not None and c.nn_conname is not None and name != c.nn_conname:
            raise PgError("XX000", f'conflicting not-null constraint names "{c.nn_conname}" '
                          f'and "{name}"')
        if noinherit != c.nn_noinherit:
            raise PgError(SYNTAX_ERROR, f"conflicting NO INHERIT declarations for not-null "
                          f'constraints on column "{c.name}"')
    c.nn_decl = True
    c.nn_noinherit = noinherit
    c.nn_conname = c.nn_conname or name
    c.notnull = True


def table_not_null(c: ColumnSpec, name: str | None, noinherit: bool) -> None:
    """A NOT NULL table constraint (or a primary key, or LIKE) on the column."""
    if c.nn_decl:
        if name is not None and c.nn_conname is not None and name != c.nn_conname:
            raise PgError(SYNTAX_ERROR, f'conflicting not-null constraint names '
                          f'"{c.nn_conname}" and "{name}"')
        if noinherit != c.nn_noinherit:
            raise PgError(SYNTAX_ERROR, f"conflicting NO INHERIT declaration for not-null "
                          f'constraint on column "{c.name}"')
    c.nn_decl = True
    c.nn_noinherit = noinherit
    c.nn_conname = c.nn_conname or name
    c.notnull = True


def _check_column_clauses(c: ColumnSpec, table: str, state: AnalyzeState) -> None:
    """DEFAULT, identity and generation expression exclude each other
    (PostgreSQL's transformColumnDefinition)."""
    if c.default is not None and c.identity:
        raise PgError(SYNTAX_ERROR, f'both default and identity specified for column '
                      f'"{c.name}" of table "{table}"', position=state.pos(c.identity_loc))
    if c.generated and c.default is not None:
        raise PgError(SYNTAX_ERROR, f'both default and generation expression specified for '
                      f'column "{c.name}" of table "{table}"', position=state.pos(c.gen_loc))
    if c.generated and c.identity:
        raise PgError(SYNTAX_ERROR, f'both identity and generation expression specified for '
                      f'column "{c.name}" of table "{table}"', position=state.pos(c.gen_loc))


def _qi(name: str) -> str:
    if name.replace("_", "a").isalnum() and name == name.lower() and not name[0].isdigit():
        return name
    return '"' + name.replace('"', '""') + '"'


def _nextval_raw(qualified: str) -> dict:
    return {"FuncCall": {"funcname": [{"String": {"sval": "nextval"}}],
                         "args": [{"TypeCast": {"arg": {"A_Const": {"sval": {"sval": qualified},
                                                                    "location": -1}},
                                                "typeName": {"names": [{"String": {
                                                    "sval": "regclass"}}], "typemod": -1,
                                                    "location": -1}, "location": -1}}],
                         "funcformat": "COERCE_EXPLICIT_CALL", "location": -1}}


def _column_refs(expr: Any) -> list[str]:
    out: list[str] = []

    def walk(n: Any) -> None:
        if isinstance(n, dict):
            if "ColumnRef" in n:
                f = n["ColumnRef"]["fields"][-1]
                if "String" in f and f["String"]["sval"] not in out:
                    out.append(f["String"]["sval"])
                return
            for v in n.values():
                walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)
    walk(expr)
    return out


def _validate_default(c: ColumnSpec, expr: dict, state: AnalyzeState) -> None:
    """Analyze a DEFAULT now, so that a bad one fails CREATE TABLE as in PostgreSQL."""
    ec = ExprContext(state, Scope(), "DEFAULT expressions", None)
    e = transform(expr, ec)
    if e.type_oid != 705 and e.type_oid != c.type_oid and \
            not can_coerce(e.type_oid, c.type_oid, "a"):
        raise PgError("42804", f'column "{c.name}" is of type {type_name(c.type_oid)} but '
                      f"default expression is of type {type_name(e.type_oid)}",
                      hint="You will need to rewrite or cast the expression.")
    # the length coercion (typmod) runs when the default is used, not now
    coerce_to(e, c.type_oid, -1, "a", ctx=state.session.type_context)


_SYSTEM_COLUMN_NAMES = ("ctid", "xmin", "cmin", "xmax", "cmax")


def _validate_check(rel: Any, expr: dict, state: AnalyzeState) -> None:
    # a CHECK may read tableoid, no other system column (its value is not known yet)
    names = {c.name for c in rel.columns if not c.dropped}

    def walk(n: Any) -> None:
        if isinstance(n, dict):
            ref = n.get("ColumnRef")
            if ref is not None:
                f = ref["fields"][-1]
                col = f.get("String", {}).get("sval")
                if col in _SYSTEM_COLUMN_NAMES and col not in names:
                    raise PgError("42P10", f'system column "{col}" reference in check '
                                  f"constraint is invalid",
                                  position=state.pos(ref.get("location")))
                return
            for v in n.values():
                walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)
    walk(expr)
    scope = Scope()
    scope.add(RangeEntry(state.next_rt(), rel.name, [c.name for c in rel.columns],
                         [(c.type_oid, c.typmod) for c in rel.columns], rel=rel,
                         has_ctid=True))
    ec = ExprContext(state, scope, "check constraints", None)
    require_bool(transform(expr, ec), "CHECK")


def _insert_relation(s: Any, cat: CatalogView, oid: int, name: str, nsp: int, relkind: str,
                     cols: list[ColumnSpec], relam: int = HEAP_AM, relfilenode: int | None = None,
                     create_storage: bool = True, persistence: str | None = None) -> None:
    if persistence is None:
        persistence = "t" if nsp == getattr(s, "temp_nsp", None) else "p"
    relfilenode = oid if relfilenode is None else relfilenode
    locator = RelFileLocator(s.dboid, relfilenode)
    if create_storage:
        cat.m.storage.create_relation(locator, "btree" if relkind == "i" else "heap")
    s.txn.on_abort(lambda: _drop_files(cat.m, s.dboid, relfilenode, locator))
    s.txn.note_new_storage(oid)
    reltype = 0
    if relkind in "rpvmcf":
        from tuskdb.sql.commands.composite import add_row_type
        reltype = add_row_type(s, cat, oid, name, nsp, _owner(s, cat), relkind)
    owner = _owner(s, cat)
    relacl = None
    if relkind in "rpvmfS":
        from tuskdb.sql.commands.defaclcmds import default_acl
        relacl = default_acl(cat, "S" if relkind == "S" else "r", owner, nsp)
    cat.insert("pg_class", make_row(
        "pg_class", oid=oid, relname=name, relnamespace=nsp, relowner=owner,
        relam=relam, relfilenode=relfilenode, relpersistence=persistence, relkind=relkind,
        relnatts=len(cols), relisshared=False, relispopulated=True,
        relreplident="d" if relkind in "rpm" else "n",
        reltuples=-1.0, relhasindex=False, reltype=reltype, relacl=relacl))
    for i, c in enumerate(cols, start=1):
        cat.insert("pg_attribute", attribute_row(oid, c.name, c.type_oid, c.typmod, i,
                                                 c.notnull, c.default is not None, c.identity,
                                                 generated=getattr(c, "generated", ""),
                                                 inhcount=getattr(c, "inhcount", 0),
                                                 islocal=getattr(c, "islocal", True)))
        if c.default is not None:
            cat.insert("pg_attrdef", make_row("pg_attrdef", oid=cat.m.next_oid(), adrelid=oid,
                                              adnum=i, adbin=c.default))


def _owner(s: Any, cat: CatalogView) -> int:
    for _, row in cat.find("pg_authid", rolname=s.user):
        return row[COLUMN_POS["pg_authid"]["oid"]]
    return BOOTSTRAP_SUPERUSER


def _drop_files(m: Any, dboid: int, relfilenode: int, locator: Any) -> None:
    m.forget_heap(dboid, relfilenode)
    m.storage.drop_relation(locator)


def update_relchecks(cat: CatalogView, relid: int) -> None:
    """Keep pg_class.relchecks (the number of CHECK constraints) current."""
    k = COLUMN_POS["pg_constraint"]
    n = sum(1 for _, r in cat.find("pg_constraint", conrelid=relid) if r[k["contype"]] == "c")
    for tid, row in cat.find("pg_class", oid=relid):
        if row[COLUMN_POS["pg_class"]["relchecks"]] != n:
            cat.update("pg_class", tid, replace("pg_class", row, relchecks=n))


def _insert_constraint(cat: CatalogView, name: str, nsp: int, contype: str, relid: int,
                       conkey: list[int], conindid: int = 0, conbin: str | None = None,
                       conislocal: bool = True, coninhcount: int = 0,
                       connoinherit: bool = False, conexclop: list[int] | None = None,
                       conperiod: bool = False, conenforced: bool = True,
                       convalidated: bool = True, condeferrable: bool = False,
                       condeferred: bool = False) -> int:
    oid = cat.m.next_oid()
    cat.insert("pg_constraint", make_row(
        "pg_constraint", oid=oid, conname=name, connamespace=nsp, contype=contype,
        condeferrable=condeferrable, condeferred=condeferred, conenforced=conenforced,
        convalidated=convalidated and conenforced,
        conrelid=relid, contypid=0, conindid=conindid, conparentid=0, confrelid=0,
        confupdtype=" ", confdeltype=" ", confmatchtype=" ", conislocal=conislocal,
        coninhcount=coninhcount, connoinherit=connoinherit, conperiod=conperiod, conkey=Array(list(conkey)) if conkey else None,
        conexclop=Array(list(conexclop)) if conexclop else None, conbin=conbin))
    return oid


# -- DROP -----------------------------------------------------------------------------

_DROP_KINDS = {"OBJECT_TABLE": ("r", "table"), "OBJECT_INDEX": ("i", "index"),
               "OBJECT_SEQUENCE": ("S", "sequence"), "OBJECT_VIEW": ("v", "view"),
               "OBJECT_MATVIEW": ("m", "materialized view"),
               "OBJECT_FOREIGN_TABLE": ("f", "foreign table")}


def _rel_word(rel: Any) -> str:
    """How a dependency report names a table."""
    return "foreign table" if rel.relkind == "f" else "table"


def check_type_usage(s: Any, cat: Any, type_oid: int | None, qualified: bool = False
                     ) -> None:
    """A new column, attribute, parameter or domain of a type needs USAGE on it (on
    the element type of an array, the range of a multirange): 42501 naming the type."""
    if type_oid is None or type_oid < 16384:
        return
    uid, is_super = s._role_facts(cat)
    if is_super:
        return
    from tuskdb.catalog import aclchk
    from tuskdb.sql.analyze.coerce import type_name
    elem = _element(type_oid)
    shown = type_name(elem)
    if qualified:
        t = cat.type_by_oid(elem)
        nsp = cat.namespace_name(t.namespace) if t is not None and \
            getattr(t, "namespace", None) is not None else None
        shown = f"{nsp}.{shown}" if nsp and "." not in shown else shown
    aclchk.check_type_usage(cat, type_oid, uid, shown)


class _TypeState:
    """The little of an AnalyzeState that type name resolution reads."""

    def __init__(self, s: Any, cat: Any) -> None:
        from tuskdb.sql.analyze.state import AnalyzeState
        self._st = AnalyzeState(cat, s, [], None, "")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._st, name)


def check_expr_type_usage(s: Any, state: Any, node: Any, qualified: bool = False) -> None:
    """A new stored expression (default, CHECK, view query, partition key, domain
    constraint, parameter default) needs USAGE on the types it casts to."""
    cat = state.catalog
    if s._role_facts(cat)[1]:
        return          # superusers have every USAGE
    from tuskdb.sql.analyze.expr import resolve_type_name
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, dict):
            tc = n.get("TypeCast")
            if isinstance(tc, dict) and tc.get("typeName"):
                t, _ = resolve_type_name(tc["typeName"], state)
                check_type_usage(s, cat, t, qualified)
            todo.extend(n.values())
        elif isinstance(n, list):
            todo.extend(n)


def _element(type_oid: int) -> int:
    t = types.TYPES.get(type_oid)
    elem = getattr(t, "elem_oid", 0) if t is not None else 0
    return elem or type_oid


def _check_rel_owner(s: Any, cat: Any, rel: Any) -> None:
    """DDL on a relation needs its owner's privileges (superusers pass)."""
    from tuskdb.catalog import aclchk
    uid, is_super = s._role_facts(cat)
    if not is_super:
        aclchk.check_owner(cat, uid, rel.owner, aclchk.relation_owner_kind(rel), rel.name)


def drop(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    rtype = body["removeType"]
    if rtype == "OBJECT_SCHEMA":
        return drop_schema(s, raw)
    if rtype == "OBJECT_OPCLASS":
        from tuskdb.sql.commands.opclass import drop_opclass
        return drop_opclass(s, raw)
    if rtype == "OBJECT_OPERATOR":
        from tuskdb.sql.commands.operatorcmds import drop_operator
        return drop_operator(s, raw)
    if rtype == "OBJECT_AGGREGATE":
        from tuskdb.sql.commands.aggregatecmds import drop_aggregate
        return drop_aggregate(s, raw)
    if rtype in ("OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE"):
        from tuskdb.sql.commands.functioncmds import drop_function
        return drop_function(s, raw)
    if rtype in ("OBJECT_TYPE", "OBJECT_DOMAIN"):
        from tuskdb.sql.commands.typecmds import drop_type
        return drop_type(s, raw)
    if rtype in ("OBJECT_TSDICTIONARY", "OBJECT_TSCONFIGURATION", "OBJECT_TSPARSER",
                 "OBJECT_TSTEMPLATE"):
        from tuskdb.sql.commands.tsearchcmds import drop as drop_ts
        return drop_ts(s, raw)
    if rtype in ("OBJECT_FDW", "OBJECT_FOREIGN_SERVER"):
        from tuskdb.sql.commands.foreigncmds import drop as drop_foreign
        return drop_foreign(s, raw)
    if rtype == "OBJECT_PUBLICATION":
        from tuskdb.sql.commands.publicationcmds import drop_publication
        return drop_publication(s, raw)
    if rtype == "OBJECT_RULE":
        return _drop_rule(s, body)
    if rtype == "OBJECT_CAST":
        from tuskdb.sql.commands.castcmds import drop_cast
        return drop_cast(s, raw)
    if rtype not in _DROP_KINDS:
        raise PgError(FEATURE_NOT_SUPPORTED, f"DROP {rtype.replace('OBJECT_', '')} is not "
                      f"supported")
    relkind, what = _DROP_KINDS[rtype]
    cat = s.catalog()
    targets = []
    for obj in body["objects"]:
        names = [n["String"]["sval"] for n in obj["List"]["items"]]
        rel = _lookup_for_drop(s, cat, names)
        if rel is None:
            full = ".".join(names)
            if body.get("missing_ok"):
                if len(names) > 1 and cat.namespace_oid(names[-2]) is None:
                    s.add_notice(notice(f'schema "{names[-2]}" does not exist, skipping'))
                else:
                    s.add_notice(notice(f'{what} "{full}" does not exist, skipping'))
                continue
            if len(names) > 1 and cat.namespace_oid(names[-2]) is None:
                raise PgError("3F000", f'schema "{names[-2]}" does not exist')
            raise PgError(UNDEFINED_TABLE if relkind != "i" else UNDEFINED_OBJECT,
                          f'{what} "{full}" does not exist')
        if rel.relkind != relkind and not (relkind == "r" and rel.relkind == "p") and \
                not (relkind == "i" and rel.relkind == "I"):
            raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not {_article(what)}',
                          hint=f"Use DROP {_kind_word(rel.relkind)} to remove "
                               f"{_article(_kind_word(rel.relkind).lower())}.")
        _check_rel_owner(s, cat, rel)
        targets.append(rel)
    for rel in targets:
        lock_relation(s, rel.oid, ACCESS_EXCLUSIVE)
    cascade = body.get("behavior") == "DROP_CASCADE"
    dropping = {r.oid for r in targets}
    inh_deps: list[tuple[int, int]] = []
    if relkind in ("r", "f"):
        from tuskdb.sql.commands.inherit import inheritance_dependents
        inh_deps = inheritance_dependents(cat, [r.oid for r in targets])
        # partitions go with their partitioned table without being reported
        # (PostgreSQL's automatic dependency)
        for o, _ in [d for d in inh_deps if cat.relation_by_oid(d[0]).partbound is not None]:
            lock_relation(s, o, ACCESS_EXCLUSIVE)
            targets.append(cat.relation_by_oid(o))
            dropping.add(o)
        inh_deps = [d for d in inh_deps if cat.relation_by_oid(d[0]).partbound is None]
        if inh_deps and not cascade:
            first = next(r for r in targets if r.oid in {p for _, p in inh_deps})
            raise PgError(DEPENDENT_OBJECTS_STILL_EXIST, f"cannot drop {what} {first.name} "
                          f"because other objects depend on it",
                          detail="\n".join(
                              f"{_rel_word(cat.relation_by_oid(o))} {cat.relation_by_oid(o).name}"
                              f" depends on {_rel_word(cat.relation_by_oid(p))} "
                              f"{cat.relation_by_oid(p).name}" for o, p in inh_deps),
                          hint="Use DROP ... CASCADE to drop the dependent objects too.")
        if inh_deps:
            cascade_notice(s, [f"{_rel_word(cat.relation_by_oid(o))} "
                               f"{cat.relation_by_oid(o).name}" for o, _ in inh_deps])
            for o, _ in inh_deps:
                child = cat.relation_by_oid(o)
                lock_relation(s, o, ACCESS_EXCLUSIVE)
                targets.append(child)
                dropping.add(o)
    if relkind == "S":
        # column defaults that use the sequences: one report for the statement, the
        # last-named sequence's first (as DROP SCHEMA words its objects)
        found = [(rel, _sequence_default_dependents(s, cat, rel.oid, dropping))
                 for rel in targets]
        found = [(rel, defaults) for rel, defaults in found if defaults]
        words = []
        for rel, defaults in found:
            seqname = _visible_name(s, cat, rel)
            lines = [(f"default value for column {c} of table {_visible_name(s, cat, t)}",
                      f"sequence {seqname}") for t, c in defaults]
            if not cascade:
                report_dependents(s, f"sequence {seqname}", lines, False)
            words[:0] = [w for w, _ in lines]
        cascade_notice(s, words)
        for _, defaults in found:
            for t, c in defaults:
                _set_default(s, cat, cat.relation_by_oid(t.oid), c, None)
            cat.command_counter_increment()
    for rel in targets:
        lines, fks, views = _dependents(cat, rel, what, dropping, s)
        if not lines:
            continue
        report_dependents(s, f"{what} {rel.name}", lines, cascade)
        for fk in fks:
            from tuskdb.sql.commands.fkeys import drop_fk_clones
            drop_fk_clones(cat, fk.oid)
            cat.delete_where("pg_constraint", oid=fk.oid)
        for view in reversed(views):
            lock_relation(s, view.oid, ACCESS_EXCLUSIVE)
            drop_relation(s, cat, view)
            dropping.add(view.oid)
        cat.command_counter_increment()
    for rel in targets:
        if relkind == "i":
            _drop_index(s, cat, rel, body.get("behavior") == "DROP_CASCADE")
        else:
            drop_relation(s, cat, rel)
        cat.command_counter_increment()
    tag = {"r": "DROP TABLE", "i": "DROP INDEX", "S": "DROP SEQUENCE", "v": "DROP VIEW",
           "m": "DROP MATERIALIZED VIEW", "f": "DROP FOREIGN TABLE"}[relkind]
    return QueryResult(tag=tag)


def _drop_rule(s: Any, body: dict) -> QueryResult:
    """DROP RULE name ON relation.  The only rules TuskDB has are the _RETURN rules
    of views, which go with their view."""
    cat = s.catalog()
    names = [n["String"]["sval"] for n in body["objects"][0]["List"]["items"]]
    rule, relnames = names[-1], names[:-1]
    rel = _lookup_for_drop(s, cat, relnames)
    if rel is None:
        if len(relnames) > 1 and cat.namespace_oid(relnames[-2]) is None:
            if body.get("missing_ok"):
                s.add_notice(notice(f'schema "{relnames[-2]}" does not exist, skipping'))
                return QueryResult(tag="DROP RULE")
            raise PgError("3F000", f'schema "{relnames[-2]}" does not exist')
        if body.get("missing_ok"):
            s.add_notice(notice(f'relation "{relnames[-1]}" does not exist, skipping'))
            return QueryResult(tag="DROP RULE")
        raise PgError(UNDEFINED_TABLE, f'relation "{relnames[-1]}" does not exist')
    if rule == "_RETURN" and rel.relkind in ("v", "m"):
        what = "view" if rel.relkind == "v" else "materialized view"
        raise PgError(DEPENDENT_OBJECTS_STILL_EXIST, f"cannot drop rule _RETURN on {what} "
                      f"{rel.name} because {what} {rel.name} requires it",
                      hint=f"You can drop {what} {rel.name} instead.")
    if body.get("missing_ok"):
        s.add_notice(notice(f'rule "{rule}" for relation "{rel.name}" does not exist, '
                            f"skipping"))
        return QueryResult(tag="DROP RULE")
    raise PgError(UNDEFINED_OBJECT, f'rule "{rule}" for relation "{rel.name}" does not exist')


def _dependents(cat: CatalogView, rel: Any, what: str, dropping: set[int], s: Any = None
                ) -> tuple[list[tuple[str, str]], list[Any], list[Any]]:
    """What a DROP of ``rel`` cascades to, in PostgreSQL's report order (depth first,
    dependents by OID): ([(object, what it depends on)], foreign keys, views)."""
    from tuskdb.sql.commands.view import dependent_views
    lines: list[tuple[str, str]] = []
    fks: list[Any] = []
    views: list[Any] = []
    seen: set[int] = set(dropping)

    def walk(r: Any, rwhat: str) -> None:
        deps: list[tuple[int, str, Any]] = []
        for fk in r.referenced_by:
            if fk.child not in dropping:
                from tuskdb.sql.commands.fkeys import root_fk
                # a clone for a referenced partition: the key it belongs to depends
                top = root_fk(cat, fk.oid)
                kc = COLUMN_POS["pg_constraint"]
                if top[kc["oid"]] != fk.oid:
                    fk = next((f for f in cat.relation_by_oid(top[kc["confrelid"]])
                               .referenced_by if f.oid == top[kc["oid"]]), fk)
                deps.append((fk.oid, "fk", fk))
        for rule, v in dependent_views(cat, r.oid):
            deps.append((rule, "view", v))
        deps.sort(key=lambda d: d[0])
        for _, kind, obj in deps:
            if kind == "fk":
                if obj.oid in seen:
                    continue
                seen.add(obj.oid)
                child = cat.relation_by_oid(obj.child)
                lines.append((f"constraint {obj.name} on table {child.name}",
                              f"{rwhat} {r.name}"))
                fks.append(obj)
            else:
                if obj.oid in seen:
                    continue
                seen.add(obj.oid)
                owhat = "materialized view" if obj.relkind == "m" else "view"
                lines.append((f"{owhat} {_visible_name(s, cat, obj)}",
                              f"{rwhat} {_visible_name(s, cat, r)}"))
                views.append(obj)
                walk(obj, owhat)
    walk(rel, what)
    return lines, fks, views


def _sequence_default_dependents(s: Any, cat: CatalogView, seq_oid: int,
                                 dropping: set[int]) -> list[tuple[Any, str]]:
    """The column defaults that depend on a sequence, (table, column) in pg_attrdef
    order: those naming it by a regclass constant (nextval('seq'), as
    recordDependencyOnExpr records them; nextval('seq'::text) does not)."""
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.expr import Const, walk
    d = COLUMN_POS["pg_attrdef"]
    out = []
    for _, row in cat.find("pg_attrdef"):
        relid = row[d["adrelid"]]
        if relid in dropping or row[d["adbin"]] is None:
            continue
        rel = cat.relation_by_oid(relid)
        if rel is None:
            continue
        try:
            e = transform(json.loads(row[d["adbin"]]),
                          ExprContext(AnalyzeState(cat, s, [], None, ""), Scope(), "DEFAULT",
                                      None))
        except PgError:
            continue
        if any(isinstance(x, Const) and x.type_oid == 2205 and x.value == seq_oid
               for x in walk(e)):
            col = next((c for c in rel.columns if c.attnum == row[d["adnum"]]), None)
            if col is not None and not col.dropped:
                out.append((rel, col.name))
    return out


def _visible_name(s: Any, cat: CatalogView, rel: Any) -> str:
    """A relation's name as getObjectDescription shows it: bare when the relation is
    visible (RelationIsVisible), else qualified with its schema."""
    return relation_description_name(s, cat, rel.oid, rel.namespace, rel.name)


def relation_description_name(s: Any, cat: CatalogView, oid: int, nsp: int,
                              name: str) -> str:
    """getRelationDescription's naming: the bare (quoted) name when the relation is the
    first one of that name on the search_path, else schema-qualified."""
    from tuskdb.sql.deparse import quote_ident
    if s is None:
        return quote_ident(name)        # no session to say what is visible
    for path_nsp in s.search_path_oids(cat):
        found = cat.relation_oid(path_nsp, name)
        if found is not None:
            if found == oid:
                return quote_ident(name)
            break
    nspname = cat.namespace_name(nsp) or str(nsp)
    return f"{quote_ident(nspname)}.{quote_ident(name)}"


def _article(what: str) -> str:
    return ("an " if what[0] in "aeiou" else "a ") + what


def _kind_word(relkind: str) -> str:
    return {"r": "TABLE", "p": "TABLE", "i": "INDEX", "S": "SEQUENCE", "v": "VIEW",
            "m": "MATERIALIZED VIEW", "f": "FOREIGN TABLE"}.get(relkind, "TABLE")


def _lookup_for_drop(s: Any, cat: CatalogView, names: list[str]) -> Any:
    name = names[-1]
    if len(names) > 1:
        nsp = cat.namespace_oid(names[-2])
        if nsp is None:
            return None
        oid = cat.relation_oid(nsp, name)
    else:
        oid = None
        for nsp in s.search_path_oids(cat):
            oid = cat.relation_oid(nsp, name)
            if oid is not None:
                break
    return cat.relation_by_oid(oid) if oid is not None else None


def drop_relation(s: Any, cat: CatalogView, rel: Any) -> None:
    """Remove a table or sequence with its indexes, constraints, defaults and owned sequences."""
    for ix in rel.indexes:
        irel = cat.relation_by_oid(ix.oid)
        if irel is not None:
            _remove_rel_rows(s, cat, irel)
    if rel.relkind in ("r", "f", "p", "v"):
        # sequences owned by columns of this table (serial, OWNED BY)
        for _, dep in cat.find("pg_depend", refobjid=rel.oid, deptype="a"):
            seq_oid = dep[COLUMN_POS["pg_depend"]["objid"]]
            seq = cat.relation_by_oid(seq_oid)
            if seq is not None and seq.relkind == "S":
                _remove_rel_rows(s, cat, seq)
    _remove_rel_rows(s, cat, rel)


def _remove_rel_rows(s: Any, cat: CatalogView, rel: Any) -> None:
    pc = COLUMN_POS["pg_class"]
    for _, crow in cat.find("pg_class", oid=rel.oid):
        if crow[pc["reltoastrelid"]]:           # the TOAST relation and its index go too
            toast = cat.relation_by_oid(crow[pc["reltoastrelid"]])
            if toast is not None:
                for ix in toast.indexes:
                    irel = cat.relation_by_oid(ix.oid)
                    if irel is not None:
                        _remove_rel_rows(s, cat, irel)
                _remove_rel_rows(s, cat, toast)
    for _, trow in cat.find("pg_type", typrelid=rel.oid):     # the row type and its array
        tp = COLUMN_POS["pg_type"]
        cat.delete_where("pg_type", oid=trow[tp["typarray"]])
        cat.delete_where("pg_type", oid=trow[tp["oid"]])
        cat.delete_where("pg_depend", objid=trow[tp["oid"]])
    cat.delete_where("pg_class", oid=rel.oid)
    cat.delete_where("pg_attribute", attrelid=rel.oid)
    cat.delete_where("pg_attrdef", adrelid=rel.oid)
    kc = COLUMN_POS["pg_constraint"]
    for ctid, crow in cat.find("pg_constraint", confrelid=rel.oid):
        if crow[kc["conparentid"]]:        # a clone made for this referenced partition
            from tuskdb.sql.commands.fkeys import drop_fk_clones
            drop_fk_clones(cat, crow[kc["oid"]])
            cat.delete("pg_constraint", ctid)
    cat.delete_where("pg_constraint", conrelid=rel.oid)
    cat.delete_where("pg_index", indexrelid=rel.oid)
    cat.delete_where("pg_index", indrelid=rel.oid)
    cat.delete_where("pg_depend", objid=rel.oid)
    cat.delete_where("pg_depend", refobjid=rel.oid)
    cat.delete_where("pg_description", objoid=rel.oid)
    cat.delete_where("pg_publication_rel", prrelid=rel.oid)
    if rel.relkind in ("v", "m"):
        from tuskdb.sql.commands.view import forget_view_rules
        forget_view_rules(cat, rel.oid)
    cat.delete_where("pg_rewrite", ev_class=rel.oid)
    if rel.partbound is not None:
        for parent in rel.parents:
            for tid, row in cat.find("pg_partitioned_table", partrelid=parent,
                                     partdefid=rel.oid):
                cat.update("pg_partitioned_table", tid,
                           replace("pg_partitioned_table", row, partdefid=0))
    cat.delete_where("pg_inherits", inhrelid=rel.oid)
    cat.delete_where("pg_inherits", inhparent=rel.oid)
    cat.delete_where("pg_partitioned_table", partrelid=rel.oid)
    if rel.relkind == "f":
        cat.delete_where("pg_foreign_table", ftrelid=rel.oid)
    if rel.relkind == "v":
        return
    if rel.relkind == "S":
        cat.delete_where("pg_sequence", seqrelid=rel.oid)
    if rel.relfilenode:
        _drop_storage_on_commit(s, cat, rel.relfilenode)


def _drop_storage_on_commit(s: Any, cat: CatalogView, relfilenode: int) -> None:
    locator = RelFileLocator(s.dboid, relfilenode)
    m = cat.m
    s.txn.on_commit(lambda: _drop_files(m, s.dboid, relfilenode, locator))


def _drop_index(s: Any, cat: CatalogView, irel: Any, cascade: bool) -> None:
    for _, row in cat.find("pg_constraint", conindid=irel.oid):
        p = COLUMN_POS["pg_constraint"]
        if row[p["contype"]] in "pu":
            owner = cat.relation_by_oid(row[p["conrelid"]])
            raise PgError(DEPENDENT_OBJECTS_STILL_EXIST, f'cannot drop index {irel.name} because '
                          f"constraint {row[p['conname']]} on table {owner.name} requires it",
                          hint=f"You can drop constraint {row[p['conname']]} on table "
                               f"{owner.name} instead.")
    if irel.relkind == "I":
        # the partitions' indexes go with the partitioned index
        for child in list(irel.children):
            crel = cat.relation_by_oid(child)
            if crel is not None:
                _drop_index(s, cat, crel, cascade)
    _remove_rel_rows(s, cat, irel)


def drop_schema(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    cascade = body.get("behavior") == "DROP_CASCADE"
    p = COLUMN_POS["pg_class"]
    targets: list[tuple[str, int, list[str]]] = []
    for obj in body["objects"]:
        name = obj["String"]["sval"]
        nsp = cat.namespace_oid(name)
        if nsp is None:
            if body.get("missing_ok"):
                s.add_notice(notice(f'schema "{name}" does not exist, skipping'))
                continue
            raise PgError("3F000", f'schema "{name}" does not exist')
        uid, is_super = s._role_facts(cat)
        if not is_super:
            from tuskdb.catalog import aclchk
            n = COLUMN_POS["pg_namespace"]
            owner = next(r[n["nspowner"]] for r in cat.rows("pg_namespace") if r[n["oid"]] == nsp)
            aclchk.check_owner(cat, uid, owner, "schema", name)
        # partitions go with their partitioned table (an internal dependency): not listed
        members = [row for row in cat.rows("pg_class") if row[p["relnamespace"]] == nsp
                   and row[p["relkind"]] in ("r", "v", "m", "S", "p", "f")
                   and row[p["relpartbound"]] is None
                   and not _owned_sequence(cat, row[p["oid"]])]
        members.sort(key=lambda r: r[p["oid"]])
        described = [(r[p["oid"]], f"{_kind_word(r[p['relkind']]).lower()} "
                      f"{relation_description_name(s, cat, r[p['oid']], nsp, r[p['relname']])}")
                     for r in members]
        # the schema's functions, procedures and aggregates go too ("function ...")
        described += [(oid, desc) for oid, desc, _ in _schema_routines(s, cat, nsp, name)]
        described.sort()
        words = [w for _, w in described]
        members = described
        if members and not cascade:
            raise PgError(DEPENDENT_OBJECTS_STILL_EXIST, f"cannot drop schema {name} because "
                          f"other objects depend on it",
                          detail="\n".join(f"{w} depends on schema {name}" for w in words),
                          hint="Use DROP ... CASCADE to drop the dependent objects too.")
        targets.append((name, nsp, words))
    # one report for the whole statement, the schemas' objects last-named first
    cascade_notice(s, [w for _, _, ws in reversed(targets) for w in ws])
    for name, nsp, _ in targets:
        members = [row for row in cat.rows("pg_class") if row[p["relnamespace"]] == nsp]
        for row in members:
            if row[p["relkind"]] in ("r", "S", "v", "m", "p", "f"):
                rel = cat.relation_by_oid(row[p["oid"]])
                if rel is not None and cat.relation_by_oid(rel.oid) is not None:
                    if rel.relkind == "p":
                        _drop_partition_tree(s, cat, rel)
                    drop_relation(s, cat, rel)
                    cat.command_counter_increment()
        for oid, _, tid in _schema_routines(s, cat, nsp, name):
            cat.delete_where("pg_aggregate", aggfnoid=oid)
            cat.delete("pg_proc", tid)
        cat.delete_where("pg_publication_namespace", pnnspid=nsp)
        cat.delete_where("pg_namespace", oid=nsp)
        cat.delete_where("pg_default_acl", defaclnamespace=nsp)   # its default privileges
        cat.command_counter_increment()
    return QueryResult(tag="DROP SCHEMA")


def _schema_routines(s: Any, cat: CatalogView, nsp: int, nspname: str
                     ) -> list[tuple[int, str, Any]]:
    """(oid, "function schema.name(types)", tid) of the routines in a schema."""
    from tuskdb.sql.analyze.coerce import type_name
    from tuskdb.sql.deparse import quote_ident
    pp = COLUMN_POS["pg_proc"]
    visible = nsp in s.search_path_oids(cat)
    out = []
    for tid, row in cat.find("pg_proc", pronamespace=nsp):
        args = list(row[pp["proargtypes"]].items) if row[pp["proargtypes"]] else []
        qual = "" if visible else f"{quote_ident(nspname)}."
        out.append((row[pp["oid"]], f"function {qual}{quote_ident(row[pp['proname']])}"
                    f"({','.join(type_name(a) for a in args)})", tid))
    return out


def _drop_partition_tree(s: Any, cat: CatalogView, rel: Any) -> None:
    """The partitions of a partitioned table go with it (wherever their schema)."""
    for oid in list(rel.children):
        child = cat.relation_by_oid(oid)
        if child is None or child.partbound is None:
            continue
        if child.relkind == "p":
            _drop_partition_tree(s, cat, child)
        drop_relation(s, cat, child)
        cat.command_counter_increment()


def _owned_sequence(cat: CatalogView, oid: int) -> bool:
    p = COLUMN_POS["pg_depend"]
    return any(d[p["deptype"]] in ("a", "i") for _, d in cat.find("pg_depend", objid=oid))


def create_schema(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    name = body.get("schemaname")
    from tuskdb.catalog import aclchk
    me = s.current_user_oid(cat)
    owner = me
    if body.get("authrole"):
        from tuskdb.sql.commands.rolecmds import _role_oid, _spec_name
        owner = _role_oid(cat, _spec_name(s, body["authrole"]))
    if name is None:
        name = aclchk.role_name(cat, owner)
    aclchk.check_database_create(cat, me)
    aclchk.check_can_set_role(cat, me, owner)
    elements = _schema_elements(name, body.get("schemaElts") or [])
    if cat.namespace_oid(name) is not None:
        if body.get("if_not_exists"):
            s.add_notice(notice(f'schema "{name}" already exists, skipping',
                                sqlstate="42P06"))
            return QueryResult(tag="CREATE SCHEMA")
        raise PgError("42P06", f'schema "{name}" already exists')
    if name.startswith("pg_"):
        raise PgError("42939", f'unacceptable schema name "{name}"',
                      detail='The prefix "pg_" is reserved for system schemas.')
    from tuskdb.sql.commands.defaclcmds import default_acl
    cat.insert("pg_namespace", make_row("pg_namespace", oid=cat.m.next_oid(), nspname=name,
                                        nspowner=owner, nspacl=default_acl(cat, "n", owner, 0)))
    if elements:
        _run_schema_elements(s, raw, name, elements)
    return QueryResult(tag="CREATE SCHEMA")


# PostgreSQL's transformCreateSchemaStmtElements: the elements run grouped by kind in
# this order (so a view may name a table created after it), each created in the new
# schema
_SCHEMA_ELEMENT_ORDER = {"CreateSeqStmt": ("sequence", 0), "CreateStmt": ("relation", 1),
                         "ViewStmt": ("view", 2), "IndexStmt": ("relation", 3),
                         "CreateTrigStmt": ("relation", 4), "GrantStmt": (None, 5)}


def _schema_elements(name: str, elts: list[dict]) -> list[dict]:
    out: list[tuple[int, int, dict]] = []
    for i, elt in enumerate(elts):
        kind, body = next(iter(elt.items()))
        field, rank = _SCHEMA_ELEMENT_ORDER.get(kind, (None, 6))
        rv = body.get(field) if field else None
        if rv is not None:
            given = rv.get("schemaname")
            if given is None:
                rv["schemaname"] = name
            elif given != name:
                raise PgError("42P15", f"CREATE specifies a schema ({given}) different from the "
                              f"one being created ({name})")
        out.append((rank, i, elt))
    return [e for _, _, e in sorted(out, key=lambda t: t[:2])]


def _run_schema_elements(s: Any, raw: Any, name: str, elements: list[dict]) -> None:
    """Run the elements with the new schema at the front of search_path."""
    from tuskdb.engine.utility import run_utility
    from tuskdb.sql.parser import RawStmt
    saved = s.settings["search_path"]
    s.settings["search_path"] = f"{_qi(name)}, {saved}" if saved.strip() else _qi(name)
    s._search_path_cache = None
    try:
        for elt in elements:
            s.catalog().command_counter_increment()
            run_utility(s, RawStmt(elt, raw.location, raw.length, raw.source), False)
    finally:
        s.settings["search_path"] = saved
        s._search_path_cache = None


# -- TRUNCATE ------------------------------------------------------------------------------


def _truncate_aclcheck(s: Any, cat: Any, rel: Any) -> None:
    from tuskdb.catalog import aclchk
    uid, is_super = s._role_facts(cat)
    if not is_super and not aclchk.pg_class_aclcheck(cat, rel, uid, "D"):
        raise aclchk.permission_denied(aclchk.relkind_objtype(rel.relkind), rel.name)


def truncate(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    from tuskdb.sql.analyze.select import lookup_relation

    state = _state(s, raw)
    rels = []
    for node in body["relations"]:
        rel = lookup_relation(node["RangeVar"], state, False)
        if rel.relkind not in ("r", "p"):
            raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not a table')
        if rel.namespace == 11:
            raise PgError("42501", f'permission denied: "{rel.name}" is a system catalog')
        _truncate_aclcheck(s, cat, rel)
        if not node["RangeVar"].get("inh") and rel.relkind == "p":
            raise PgError(FEATURE_NOT_SUPPORTED, "cannot truncate only a partitioned table",
                          hint="Do not specify the ONLY keyword, or use TRUNCATE ONLY on the "
                               "partitions directly.")
        if not any(r.oid == rel.oid for r in rels):
            rels.append(rel)
        if node["RangeVar"].get("inh") and rel.children:
            from tuskdb.sql.commands.inherit import find_all_inheritors
            for oid in find_all_inheritors(cat, rel.oid)[1:]:
                if not any(r.oid == oid for r in rels):
                    child = cat.relation_by_oid(oid)
                    _truncate_aclcheck(s, cat, child)
                    rels.append(child)
    cascade = body.get("behavior") == "DROP_CASCADE"
    i = 0
    while i < len(rels):
        rel = rels[i]
        for fk in rel.referenced_by:
            if any(r.oid == fk.child for r in rels):
                continue
            child = cat.relation_by_oid(fk.child)
            if not cascade:
                raise PgError(FEATURE_NOT_SUPPORTED, "cannot truncate a table referenced in a "
                              "foreign key constraint",
                              detail=f'Table "{child.name}" references "{rel.name}".',
                              hint=f'Truncate table "{child.name}" at the same time, or use '
                                   f"TRUNCATE ... CASCADE.")
            s.add_notice(notice(f'truncate cascades to table "{child.name}"'))
            rels.append(child)
        i += 1
    for rel in rels:
        lock_relation(s, rel.oid, ACCESS_EXCLUSIVE)
    for rel in rels:
        if rel.relkind == "p":
            continue
        new = cat.m.next_oid()
        _set_relfilenode(s, cat, rel, new)
        for ix in rel.indexes:
            irel = cat.relation_by_oid(ix.oid)
            _set_relfilenode(s, cat, irel, cat.m.next_oid())
        if body.get("restart_seqs"):
            _restart_owned_sequences(s, cat, rel)
    return QueryResult(tag="TRUNCATE TABLE")


def truncate_rel(s: Any, cat: CatalogView, rel: Any) -> None:
    """Empty one table (new relfilenodes for it and its indexes)."""
    _set_relfilenode(s, cat, rel, cat.m.next_oid())
    for ix in rel.indexes:
        irel = cat.relation_by_oid(ix.oid)
        _set_relfilenode(s, cat, irel, cat.m.next_oid())


def _restart_owned_sequences(s: Any, cat: CatalogView, rel: Any) -> None:
    from tuskdb.sql.commands.sequence import lookup_sequence
    p = COLUMN_POS["pg_depend"]
    for _, dep in cat.find("pg_depend", refobjid=rel.oid):
        if dep[p["deptype"]] not in ("a", "i"):
            continue
        seq_rel, seq = lookup_sequence(s, dep[p["objid"]])
        start = (seq_rel.extra.get("sequence") or {}).get("seqstart", 1)
        seq.setval(s.txn, start, False)


def _set_relfilenode(s: Any, cat: CatalogView, rel: Any, new: int) -> None:
    """Point a relation at a new, empty file; the old one goes at commit."""
    old = rel.relfilenode
    locator = RelFileLocator(s.dboid, new)
    cat.m.storage.create_relation(locator, "btree" if rel.relkind == "i" else "heap")
    s.txn.on_abort(lambda: _drop_files(cat.m, s.dboid, new, locator))
    s.txn.note_new_storage(rel.oid)
    for tid, row in cat.find("pg_class", oid=rel.oid):
        cat.update("pg_class", tid, replace("pg_class", row, relfilenode=new))
    _drop_storage_on_commit(s, cat, old)


# -- ALTER TABLE ---------------------------------------------------------------------------

# ALTER TABLE subcommands implemented elsewhere: subtype -> (module, function(s, cat, rel,
# cmd, state))
COLUMN_SUBCOMMANDS = {
    "AT_AddInherit": ("inherit", "at_add_inherit"),
    "AT_DropInherit": ("inherit", "at_drop_inherit"),
    "AT_AttachPartition": ("partition", "at_attach_partition"),
    "AT_DetachPartition": ("partition", "at_detach_partition"),
    "AT_SetExpression": ("columncmds", "at_set_expression"),
    "AT_DropExpression": ("columncmds", "at_drop_expression"),
    "AT_AlterColumnType": ("columncmds", "at_alter_column_type"),
    "AT_SetStorage": ("columncmds", "at_set_storage"),
    "AT_SetCompression": ("columncmds", "at_set_compression"),
    "AT_SetStatistics": ("columncmds", "at_set_statistics"),
    "AT_SetRelOptions": ("tableopts", "at_set_rel_options"),
    "AT_SetOptions": ("tableopts", "at_set_attribute_options"),
    "AT_ResetOptions": ("tableopts", "at_reset_attribute_options"),
    "AT_ResetRelOptions": ("tableopts", "at_reset_rel_options"),
    "AT_ClusterOn": ("tableopts", "at_cluster_on"),
    "AT_DropCluster": ("tableopts", "at_drop_cluster"),
    "AT_ReplicaIdentity": ("tableopts", "at_replica_identity"),
    "AT_EnableRowSecurity": ("tableopts", "at_enable_row_security"),
    "AT_DisableRowSecurity": ("tableopts", "at_disable_row_security"),
    "AT_ForceRowSecurity": ("tableopts", "at_force_row_security"),
    "AT_NoForceRowSecurity": ("tableopts", "at_no_force_row_security"),
    "AT_SetLogged": ("tableopts", "at_set_logged"),
    "AT_SetUnLogged": ("tableopts", "at_set_un_logged"),
    "AT_DropOids": ("tableopts", "at_drop_oids"),
    "AT_SetTableSpace": ("tableopts", "at_set_table_space"),
    "AT_SetAccessMethod": ("tableopts", "at_set_access_method"),
    "AT_ValidateConstraint": ("constraintcmds", "at_validate_constraint"),
    "AT_AlterConstraint": ("constraintcmds", "at_alter_constraint"),
    "AT_AddIdentity": ("identitycmds", "at_add_identity"),
    "AT_SetIdentity": ("identitycmds", "at_set_identity"),
    "AT_DropIdentity": ("identitycmds", "at_drop_identity"),
}
# what each may be applied to (PostgreSQL's ATSimplePermissions); others: tables only
SUBCOMMAND_TARGETS = {"AT_AttachPartition": "pI", "AT_DetachPartition": "p",
                      "AT_SetRelOptions": "ri", "AT_ResetRelOptions": "ri",
                      "AT_SetStatistics": "ri", "AT_SetTableSpace": "ri", "AT_SetStorage": "r",
                      "AT_SetCompression": "r", "AT_SetOptions": "rmi", "AT_ResetOptions": "rmi"}


_TYPED_TABLE_REFUSALS = frozenset(("AT_AddColumn", "AT_DropColumn", "AT_AlterColumnType",
                                   "AT_AddInherit", "AT_DropInherit", "AT_AddColumnToView"))


def alter_table(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()

    state = _state(s, raw)
    objtype = body.get("objtype", "OBJECT_TABLE")
    if objtype == "OBJECT_VIEW":
        from tuskdb.sql.commands.view import alter_view
        return alter_view(s, raw)
    if objtype == "OBJECT_TYPE":
        from tuskdb.sql.commands.composite import alter_composite
        return alter_composite(s, raw)
    if objtype == "OBJECT_SEQUENCE" and all(
            c["AlterTableCmd"]["subtype"] in ("AT_SetLogged", "AT_SetUnLogged")
            for c in body["cmds"]):
        return _alter_sequence_persistence(s, cat, state, body)
    if objtype not in ("OBJECT_TABLE", "OBJECT_INDEX", "OBJECT_FOREIGN_TABLE"):
        raise PgError(FEATURE_NOT_SUPPORTED, f"ALTER {objtype.replace('OBJECT_', '')} is not "
                      f"supported")
    tag = "ALTER FOREIGN TABLE" if objtype == "OBJECT_FOREIGN_TABLE" else "ALTER TABLE"
    rel = lookup_alter_relation(s, body, state)
    if rel is None:
        return QueryResult(tag=tag)
    _check_rel_owner(s, cat, rel)
    if rel.namespace == PG_CATALOG_NAMESPACE:
        raise PgError("42501", f'permission denied: "{rel.name}" is a system catalog')
    if objtype == "OBJECT_INDEX" and rel.relkind not in ("i", "I"):
        raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not an index')
    if objtype == "OBJECT_FOREIGN_TABLE" and rel.relkind != "f":
        raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not a foreign table')
    lock_relation(s, rel.oid, ACCESS_EXCLUSIVE)
    from tuskdb.sql.execute.ri import check_not_pending
    check_not_pending(s, rel)
    state.alter_recurse = bool(body["relation"].get("inh"))    # not ALTER TABLE ONLY
    for c in body["cmds"]:
        cmd = c["AlterTableCmd"]
        sub = cmd["subtype"]
        if sub in _TYPED_TABLE_REFUSALS:
            from tuskdb.sql.commands.composite import check_typed_table_alter
            check_typed_table_alter(cat, rel, sub, cmd, state)
        if sub in ("AT_AddOf", "AT_DropOf"):
            from tuskdb.sql.commands.composite import alter_table_of
            alter_table_of(s, cat, rel, cmd, state)
            cat.command_counter_increment()
            continue
        rel = cat.relation_by_oid(rel.oid)
        _check_target(rel, sub)
        recurse = bool(body["relation"].get("inh"))
        if sub == "AT_AddConstraint" and \
                cmd["def"]["Constraint"]["contype"] == "CONSTR_CHECK":
            from tuskdb.sql.commands import inherit
            inherit.add_check_constraint(s, cat, rel, cmd["def"]["Constraint"], state, recurse,
                                         _add_constraint)
        elif sub == "AT_AddConstraint" and \
                cmd["def"]["Constraint"]["contype"] == "CONSTR_NOTNULL":
            from tuskdb.sql.commands.notnull import at_add_not_null
            at_add_not_null(s, cat, rel, cmd["def"]["Constraint"], recurse)
        elif sub == "AT_AddConstraint" and \
                cmd["def"]["Constraint"]["contype"] == "CONSTR_EXCLUSION":
            from tuskdb.sql.commands.exclusioncmds import add_exclusion_constraint
            add_exclusion_constraint(s, cat, rel, cmd["def"]["Constraint"], state,
                                     only=not recurse)
        elif sub == "AT_AddConstraint":
            _add_constraint(s, cat, rel, cmd["def"]["Constraint"], state)
        elif sub == "AT_AddColumn" and rel.partbound is not None:
            raise PgError(WRONG_OBJECT_TYPE, "cannot add column to a partition")
        elif sub == "AT_AddColumn" and rel.children:
            from tuskdb.sql.commands import inherit
            from tuskdb.sql.commands.columncmds import add_column
            inherit.add_column(s, cat, rel, cmd, state, recurse, add_column)
        elif sub == "AT_AddColumn":
            from tuskdb.sql.commands.columncmds import add_column
            add_column(s, cat, rel, cmd["def"]["ColumnDef"], state,
                       cmd.get("missing_ok", False))
        elif sub == "AT_AlterColumnType" and (rel.children or rel.parents or
                                              rel.relkind == "p"):
            from tuskdb.sql.commands import inherit
            from tuskdb.sql.commands.columncmds import at_alter_column_type
            inherit.alter_column_type(s, cat, rel, cmd, state, recurse, at_alter_column_type)
        elif sub in COLUMN_SUBCOMMANDS:
            import importlib
            module, fn = COLUMN_SUBCOMMANDS[sub]
            mod = importlib.import_module(f"tuskdb.sql.commands.{module}")
            for target in _simple_recursion(cat, rel, sub, recurse):
                getattr(mod, fn)(s, cat, target, cmd, state)
        elif sub == "AT_SetNotNull":
            from tuskdb.sql.commands.notnull import set_not_null
            set_not_null(s, cat, rel, cmd["name"], recurse)
        elif sub == "AT_DropNotNull":
            from tuskdb.sql.commands.notnull import drop_not_null
            drop_not_null(s, cat, rel, cmd["name"], recurse)
        elif sub == "AT_ColumnDefault":
            for target in _simple_recursion(cat, rel, sub, recurse):
                _set_default(s, cat, target, cmd["name"], cmd.get("def"))
        elif sub == "AT_DropConstraint":
            from tuskdb.sql.commands import inherit
            inherit.drop_constraint(s, cat, rel, cmd, recurse, _drop_constraint)
        elif sub == "AT_DropColumn":
            from tuskdb.sql.commands import inherit
            inherit.drop_column(s, cat, rel, cmd, recurse, _drop_column)
        elif sub == "AT_ChangeOwner":
            from tuskdb.sql.commands.alter import change_owner
            change_owner(s, rel, cat, cmd["newowner"])
        elif sub == "AT_GenericOptions":
            from tuskdb.sql.commands.foreign_table import alter_generic_options
            alter_generic_options(s, cat, rel, cmd["def"]["List"]["items"])
        elif sub == "AT_AlterColumnGenericOptions":
            from tuskdb.sql.commands.foreign_table import alter_column_options
            alter_column_options(s, cat, rel, cmd["name"], cmd["def"]["List"]["items"])
        else:
            raise PgError(FEATURE_NOT_SUPPORTED, f"ALTER TABLE {sub[3:]} is not supported")
        cat.command_counter_increment()
    if rel.relkind in ("r", "m", "p"):
        # new or wider columns may call for TOAST relations (AlterTableCreateToastTable)
        from tuskdb.sql.commands.inherit import find_all_inheritors
        from tuskdb.sql.commands.toasting import create_toast_table
        for oid in find_all_inheritors(cat, rel.oid):
            create_toast_table(s, cat, oid)
    return QueryResult(tag=tag)


def lookup_alter_relation(s: Any, body: dict, state: AnalyzeState) -> Any:
    """The relation an ALTER names; None (after PostgreSQL's NOTICE) when it is missing
    and IF EXISTS was given."""
    from tuskdb.sql.analyze.select import lookup_relation
    try:
        return lookup_relation(body["relation"], state, False)
    except PgError as err:
        if err.sqlstate == UNDEFINED_TABLE and body.get("missing_ok"):
            s.add_notice(notice(f'relation "{body["relation"]["relname"]}" does not exist, '
                                f"skipping"))
            return None
        raise


def _alter_sequence_persistence(s: Any, cat: CatalogView, state: AnalyzeState,
                                body: dict) -> QueryResult:
    """ALTER SEQUENCE name SET LOGGED | SET UNLOGGED."""
    rel = lookup_alter_relation(s, body, state)
    if rel is None:
        return QueryResult(tag="ALTER SEQUENCE")
    if rel.relkind != "S":
        raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not a sequence')
    _check_rel_owner(s, cat, rel)
    lock_relation(s, rel.oid, ACCESS_EXCLUSIVE)
    if rel.persistence == "t":
        raise PgError("42P16", f'cannot change logged status of table "{rel.name}" because '
                      f"it is temporary")
    for c in body["cmds"]:
        value = "p" if c["AlterTableCmd"]["subtype"] == "AT_SetLogged" else "u"
        for tid, row in cat.find("pg_class", oid=rel.oid):
            cat.update("pg_class", tid, replace("pg_class", row, relpersistence=value))
        cat.command_counter_increment()
    return QueryResult(tag="ALTER SEQUENCE")


# subcommands applied to every descendant too unless ONLY (ATSimpleRecursion)
_SIMPLE_RECURSION = frozenset(("AT_ColumnDefault", "AT_SetStatistics", "AT_SetStorage"))


def _simple_recursion(cat: CatalogView, rel: Any, sub: str, recurse: bool) -> list[Any]:
    if sub not in _SIMPLE_RECURSION or not recurse or not rel.children or \
            rel.relkind not in ("r", "p", "f"):
        return [rel]
    from tuskdb.sql.commands.inherit import find_all_inheritors
    return [rel] + [cat.relation_by_oid(o) for o in find_all_inheritors(cat, rel.oid)[1:]]


_AT_ACTIONS = {"AT_DropColumn": "DROP COLUMN", "AT_AddColumn": "ADD COLUMN",
               "AT_AttachPartition": "ATTACH PARTITION",
               "AT_DetachPartition": "DETACH PARTITION",
               "AT_AlterColumnType": "ALTER COLUMN ... SET DATA TYPE",
               "AT_ColumnDefault": "ALTER COLUMN ... SET DEFAULT",
               "AT_SetNotNull": "ALTER COLUMN ... SET NOT NULL",
               "AT_DropNotNull": "ALTER COLUMN ... DROP NOT NULL",
               "AT_AddConstraint": "ADD CONSTRAINT", "AT_DropConstraint": "DROP CONSTRAINT",
               "AT_SetStorage": "ALTER COLUMN ... SET STORAGE",
               "AT_SetStatistics": "ALTER COLUMN ... SET STATISTICS",
               "AT_SetCompression": "ALTER COLUMN ... SET COMPRESSION",
               "AT_ClusterOn": "CLUSTER ON", "AT_DropCluster": "SET WITHOUT CLUSTER",
               "AT_SetLogged": "SET LOGGED", "AT_SetUnLogged": "SET UNLOGGED",
               "AT_ReplicaIdentity": "REPLICA IDENTITY",
               "AT_EnableRowSecurity": "ENABLE ROW SECURITY",
               "AT_DisableRowSecurity": "DISABLE ROW SECURITY",
               "AT_SetRelOptions": "SET", "AT_ResetRelOptions": "RESET",
               "AT_AlterConstraint": "ALTER CONSTRAINT", "AT_SetTableSpace": "SET TABLESPACE"}
# what ALTER FOREIGN TABLE can do (PostgreSQL's ATT_FOREIGN_TABLE targets)
_FOREIGN_TABLE_ACTIONS = frozenset((
    "AT_AddColumn", "AT_DropColumn", "AT_ColumnDefault", "AT_SetNotNull", "AT_DropNotNull",
    "AT_SetStatistics", "AT_SetOptions", "AT_ResetOptions", "AT_SetStorage",
    "AT_AlterColumnType", "AT_AddConstraint", "AT_DropConstraint", "AT_ValidateConstraint",
    "AT_ChangeOwner", "AT_AddInherit", "AT_DropInherit", "AT_GenericOptions",
    "AT_AlterColumnGenericOptions", "AT_EnableTrig", "AT_DisableTrig", "AT_EnableTrigAll",
    "AT_DisableTrigAll", "AT_EnableTrigUser", "AT_DisableTrigUser", "AT_SetIdentity",
    "AT_DropIdentity", "AT_AddIdentity"))
_KIND_PLURAL = {"r": "tables", "i": "indexes", "S": "sequences", "v": "views",
                "m": "materialized views", "p": "partitioned tables", "c": "composite types",
                "f": "foreign tables"}


def _check_target(rel: Any, sub: str) -> None:
    """PostgreSQL's ATSimplePermissions: the subcommand must suit the relation kind."""
    allowed = SUBCOMMAND_TARGETS.get(sub, "r")
    if rel.relkind == "f" and sub in _FOREIGN_TABLE_ACTIONS:
        return
    if rel.relkind in allowed or rel.relkind == "p" or sub not in _AT_ACTIONS:
        return
    raise PgError(WRONG_OBJECT_TYPE, f'ALTER action {_AT_ACTIONS[sub]} cannot be performed on '
                  f'relation "{rel.name}"',
                  detail=f"This operation is not supported for "
                         f"{_KIND_PLURAL.get(rel.relkind, 'this relation')}.")


def _find_attr(cat: CatalogView, rel: Any, colname: str) -> tuple[Any, tuple]:
    p = COLUMN_POS["pg_attribute"]
    for tid, row in cat.find("pg_attribute", attrelid=rel.oid, attname=colname):
        if row[p["attnum"]] > 0 and not row[p["attisdropped"]]:
            return tid, row
    raise PgError(UNDEFINED_COLUMN, f'column "{colname}" of relation "{rel.name}" does not '
                  f"exist")


def _drop_constraint(s: Any, cat: CatalogView, rel: Any, name: str, missing_ok: bool,
                     cascade: bool = False) -> None:
    p = COLUMN_POS["pg_constraint"]
    found = cat.find("pg_constraint", conrelid=rel.oid, conname=name)
    if not found:
        if missing_ok:
            s.add_notice(notice(f'constraint "{name}" of relation "{rel.name}" does not exist, '
                                f"skipping"))
            return
        raise PgError(UNDEFINED_OBJECT, f'constraint "{name}" of relation "{rel.name}" does not '
                      f"exist")
    tid, row = found[0]
    contype = row[p["contype"]]
    _constraint_dependents(s, cat, rel, name, row[p["oid"]], cascade)
    if contype == "f":
        from tuskdb.sql.execute.ri import check_not_pending
        referenced = cat.relation_by_oid(row[p["confrelid"]])
        if referenced is not None:
            check_not_pending(s, referenced)
    cat.delete("pg_constraint", tid)
    if contype == "f":
        from tuskdb.sql.commands.fkeys import drop_fk_clones
        drop_fk_clones(cat, row[p["oid"]])
    if contype == "c":
        cat.command_counter_increment()
        update_relchecks(cat, rel.oid)
    if contype in "pux":
        irel = cat.relation_by_oid(row[p["conindid"]])
        if irel is not None:
            _remove_rel_rows(s, cat, irel)
    elif contype == "n":
        from tuskdb.sql.commands.notnull import check_droppable
        for attnum in row[p["conkey"]] or []:
            col = next((c for c in rel.columns if c.attnum == attnum), None)
            if col is not None:
                check_droppable(cat, rel, attnum, col.name)
        for attnum in row[p["conkey"]] or []:
            a = COLUMN_POS["pg_attribute"]
            for atid, arow in cat.find("pg_attribute", attrelid=rel.oid, attnum=attnum):
                cat.update("pg_attribute", atid, replace("pg_attribute", arow,
                                                         attnotnull=False))
                del a


def _constraint_dependents(s: Any, cat: CatalogView, rel: Any, name: str, con_oid: int,
                           cascade: bool) -> None:
    """Views whose GROUP BY relies on the constraint (a primary key's functional
    dependency): RESTRICT refuses the drop, CASCADE drops them first."""
    from tuskdb.sql.commands.view import dependent_views
    views = [v for _, v in dependent_views(cat, con_oid)]
    if not views:
        return
    on = f"constraint {name} on table {rel.name}"
    lines: list[tuple[str, str]] = []
    dropping: set[int] = set()
    for v in views:
        if v.oid in dropping:
            continue
        dropping.add(v.oid)
        lines.append((f"view {_visible_name(s, cat, v)}", on))
        more, _, deeper = _dependents(cat, v, "view", dropping | {rel.oid}, s)
        lines.extend(more)
        dropping.update(d.oid for d in deeper)
    report_dependents(s, on, lines, cascade)
    for oid in sorted(dropping, reverse=True):
        v = cat.relation_by_oid(oid)
        if v is not None:
            lock_relation(s, v.oid, ACCESS_EXCLUSIVE)
            drop_relation(s, cat, v)
    cat.command_counter_increment()


def _drop_column(s: Any, cat: CatalogView, rel: Any, name: str, missing_ok: bool,
                 cascade: bool = False) -> None:
    p = COLUMN_POS["pg_attribute"]
    found = [(tid, row) for tid, row in cat.find("pg_attribute", attrelid=rel.oid, attname=name)
             if row[p["attnum"]] > 0 and not row[p["attisdropped"]]]
    if not found:
        if name in ("ctid", "xmin", "cmin", "xmax", "cmax", "tableoid"):
            raise PgError(FEATURE_NOT_SUPPORTED, f'cannot drop system column "{name}"')
        if missing_ok:
            s.add_notice(notice(f'column "{name}" of relation "{rel.name}" does not exist, '
                                f"skipping"))
            return
        raise PgError(UNDEFINED_COLUMN, f'column "{name}" of relation "{rel.name}" does not '
                      f"exist")
    tid, row = found[0]
    attnum = row[p["attnum"]]
    from tuskdb.sql.commands.columncmds import generated_dependents
    deps = generated_dependents(rel, attnum)
    # foreign keys of other tables referencing the column depend on it (pg_depend 'n')
    fk_deps = [fk for fk in rel.referenced_by if attnum in fk.parent_attnums
               and fk.child != rel.oid]
    from tuskdb.sql.commands.publicationcmds import column_dependents
    pub_deps = column_dependents(cat, rel, attnum, name)
    if deps or fk_deps or pub_deps:
        words = [f"column {d.name} of table {rel.name}" for d in deps]
        for fk in fk_deps:
            child = cat.relation_by_oid(fk.child)
            words.append(f"constraint {fk.name} on table {child.name}")
        words += [w for _, w in pub_deps]
        on = f"column {name} of table {rel.name}"
        report_dependents(s, on, [(w, on) for w in words], cascade)
        for d in deps:
            _drop_column(s, cat, rel, d.name, False, cascade)
            cat.command_counter_increment()
        for fk in fk_deps:
            cat.delete_where("pg_constraint", oid=fk.oid)
            cat.command_counter_increment()
        for prtid, _ in pub_deps:
            cat.delete("pg_publication_rel", prtid)
        found = [(t, r) for t, r in cat.find("pg_attribute", attrelid=rel.oid, attnum=attnum)]
        tid, row = found[0]
    for ix in rel.indexes:
        if attnum in ix.attnums or attnum in ix.include or \
                (ix.exprs and _index_uses(s, rel, ix, attnum)):
            irel = cat.relation_by_oid(ix.oid)
            if irel is not None:
                _remove_rel_rows(s, cat, irel)
    dropped_ix = {ix.oid for ix in rel.indexes if attnum in ix.include}
    k = COLUMN_POS["pg_constraint"]
    for ctid, con in cat.find("pg_constraint", conrelid=rel.oid):
        # (a constraint goes with its index also when the column is only INCLUDEd)
        if con[k["conkey"]] and attnum in list(con[k["conkey"]]) or \
                con[k["conindid"]] in dropped_ix and con[k["contype"]] in ("p", "u", "x"):
            cat.delete("pg_constraint", ctid)
    cat.delete_where("pg_attrdef", adrelid=rel.oid, adnum=attnum)
    # sequences owned by the column (serial, OWNED BY) go with it
    d = COLUMN_POS["pg_depend"]
    for _, dep in cat.find("pg_depend", refobjid=rel.oid, deptype="a"):
        if dep[d["refobjsubid"]] == attnum and dep[d["classid"]] == 1259:
            seq = cat.relation_by_oid(dep[d["objid"]])
            if seq is not None and seq.relkind == "S":
                _remove_rel_rows(s, cat, seq)
    cat.update("pg_attribute", tid, replace(
        "pg_attribute", row, attisdropped=True, attname=f"........pg.dropped.{attnum}........",
        attnotnull=False, atthasdef=False, atttypid=0))


def _index_uses(s: Any, rel: Any, ix: Any, attnum: int) -> bool:
    """Does an expression index depend on column ``attnum``?"""
    from tuskdb.sql.execute.indexkeys import index_key
    return attnum - 1 in index_key(rel, ix, s).columns


def _set_not_null(s: Any, cat: CatalogView, rel: Any, colname: str, on: bool) -> None:
    tid, row = _find_attr(cat, rel, colname)
    p = COLUMN_POS["pg_attribute"]
    attnum = row[p["attnum"]]
    if on:
        idx = attnum - 1
        ctx_heap = cat.m.heap(s.dboid, rel.relfilenode) if rel.relkind != "f" else None
        for _, values in ctx_heap.scan(s.txn.snapshot()) if ctx_heap is not None else ():
            if values[idx] is None:
                raise PgError("23502", f'column "{colname}" of relation "{rel.name}" contains '
                              f"null values", table_name=rel.name, column_name=colname)
        if not row[p["attnotnull"]]:
            cat.update("pg_attribute", tid, replace("pg_attribute", row, attnotnull=True))
            _insert_constraint(cat, choose_name(cat, rel.namespace, f"{rel.name}_{colname}",
                                                "not_null"), rel.namespace, "n", rel.oid,
                               [attnum])
    else:
        if any(ix.primary and attnum in ix.attnums for ix in rel.indexes):
            raise PgError(INVALID_TABLE_DEFINITION, f'column "{colname}" is in a primary key')
        from tuskdb.sql.commands.tableopts import replica_identity_index
        ri = replica_identity_index(cat, rel)
        if ri is not None and attnum in ri.attnums:
            raise PgError(INVALID_TABLE_DEFINITION, f'column "{colname}" is in index used as '
                          f"replica identity")
        if row[p["attnotnull"]]:
            cat.update("pg_attribute", tid, replace("pg_attribute", row, attnotnull=False))
            k = COLUMN_POS["pg_constraint"]
            for ctid, con in cat.find("pg_constraint", conrelid=rel.oid, contype="n"):
                if con[k["conkey"]] and list(con[k["conkey"]]) == [attnum]:
                    cat.delete("pg_constraint", ctid)


def _set_default(s: Any, cat: CatalogView, rel: Any, colname: str, expr: Any) -> None:
    tid, row = _find_attr(cat, rel, colname)
    if expr is not None:
        check_expr_type_usage(s, _TypeState(s, cat), expr)
    from tuskdb.sql.commands.columncmds import generated_default_error
    err = generated_default_error(rel, colname, expr is None)
    if err is not None:
        raise err
    p = COLUMN_POS["pg_attribute"]
    attnum = row[p["attnum"]]
    if expr is not None:
        # a bad DEFAULT fails the ALTER, as in PostgreSQL (cookDefault)
        col = rel.column(colname)
        spec = ColumnSpec(colname, col.type_oid, col.typmod)
        _validate_default(spec, expr, AnalyzeState(cat, s, [], None, ""))
    cat.delete_where("pg_attrdef", adrelid=rel.oid, adnum=attnum)
    if expr is not None:
        cat.insert("pg_attrdef", make_row("pg_attrdef", oid=cat.m.next_oid(), adrelid=rel.oid,
                                          adnum=attnum, adbin=json.dumps(expr)))
    cat.update("pg_attribute", tid, replace("pg_attribute", row, atthasdef=expr is not None))


def _check_children_not_null(cat: CatalogView, rel: Any, keys: list[str]) -> None:
    """ALTER TABLE ONLY ... ADD PRIMARY KEY (ATPrepAddPrimaryKey): the key columns of
    every direct child must be NOT NULL already, as nothing recurses to make them so."""
    from tuskdb.sql.commands.notnull import _children
    for child in _children(cat, rel):
        for k in keys:
            col = child.column(k)
            if col is not None and not col.notnull:
                raise PgError("XX000", f'column "{k}" of table "{child.name}" is not marked '
                              f"NOT NULL")


def _add_constraint(s: Any, cat: CatalogView, rel: Any, con: dict, state: AnalyzeState) -> None:
    ct = con["contype"]
    if rel.relkind == "f":
        from tuskdb.sql.commands.foreign_table import check_constraint
        check_constraint(con, state)
    if ct in ("CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_FOREIGN"):
        from tuskdb.sql.commands.temporal import check_temporal
        check_temporal(con, lambda n: next((c.type_oid for c in rel.columns
                                            if c.name == n and not c.dropped), None), state)
    if ct in ("CONSTR_PRIMARY", "CONSTR_UNIQUE"):
        primary = ct == "CONSTR_PRIMARY"
        index = None
        if con.get("indexname"):
            from tuskdb.sql.commands.indexcmds import constraint_index
            index = constraint_index(cat, rel, con, state)
        keys = [k["String"]["sval"] for k in con.get("keys") or []] if index is None else \
            [rel.columns[a - 1].name for a in index.attnums]
        recurse = getattr(state, "alter_recurse", True)
        if primary and not recurse:
            _check_children_not_null(cat, rel, keys)
        if primary and any(ix.primary for ix in rel.indexes):
            raise PgError(INVALID_TABLE_DEFINITION, f'multiple primary keys for table '
                          f'"{rel.name}" are not allowed')
        attnums = []
        for k in keys:
            col = rel.column(k)
            if col is None:
                # PostgreSQL: PRIMARY KEY first sets NOT NULL (ALTER COLUMN's message);
                # UNIQUE reports the key
                raise PgError(UNDEFINED_COLUMN, f'column "{k}" of relation "{rel.name}" does '
                              f"not exist" if primary else
                              f'column "{k}" named in key does not exist')
            attnums.append(col.attnum)
        if primary:
            from tuskdb.sql.commands.notnull import add_not_null, verify_pk_compatible
            for k in keys:
                verify_pk_compatible(cat, rel, k)
            for k in keys:
                # the key's not-null constraints, down the inheritance tree too
                add_not_null(s, cat, cat.relation_by_oid(rel.oid), k, None, False, False,
                             True)
            cat.command_counter_increment()
            rel = cat.relation_by_oid(rel.oid)
        if index is not None:
            from tuskdb.sql.commands.indexcmds import attach_index_constraint
            attach_index_constraint(s, cat, rel, index, con.get("conname"), primary)
            return
        include = []
        for k in _including(con):
            col = rel.column(k)
            if col is None:
                raise PgError(UNDEFINED_COLUMN, f'column "{k}" named in key does not exist')
            include.append(col.attnum)
        cname = con.get("conname") or (
            choose_name(cat, rel.namespace, rel.name, "pkey") if primary else
            choose_name(cat, rel.namespace, f"{rel.name}_{'_'.join(_key_names(keys, con))}",
                        "key"))
        from tuskdb.sql.commands.indexcmds import build_index, mark_deferrable
        ioid = build_index(s, cat, rel, cname, attnums, [False] * len(attnums),
                           [False] * len(attnums), unique=True, primary=primary,
                           constraint="p" if primary else "u",
                           nulls_not_distinct=bool(con.get("nulls_not_distinct")),
                           exclusion=_without_overlaps(rel, con, attnums), include=include,
                           only=not recurse)
        if con.get("deferrable"):
            mark_deferrable(cat, ioid, bool(con.get("initdeferred")))
        return
    if ct == "CONSTR_EXCLUSION":
        from tuskdb.sql.commands.exclusioncmds import add_exclusion_constraint
        add_exclusion_constraint(s, cat, rel, con, state)
        return
    if ct == "CONSTR_CHECK":
        expr = con["raw_expr"]
        _validate_check(rel, expr, state)
        refs = _column_refs(expr)
        cname = con.get("conname") or choose_name(
            cat, rel.namespace, f"{rel.name}_{refs[0]}" if len(refs) == 1 else rel.name,
            "check")
        enforced = bool(con.get("is_enforced"))     # the grammar leaves it out: NOT ENFORCED
        _insert_constraint(cat, cname, rel.namespace, "c", rel.oid, [], conbin=json.dumps(expr),
                           conenforced=enforced)
        cat.command_counter_increment()
        update_relchecks(cat, rel.oid)
        if not enforced:
            return
        if con.get("skip_validation"):
            from tuskdb.sql.commands.constraintcmds import mark_not_valid
            mark_not_valid(cat, rel.oid, cname)
            return
        # existing rows must satisfy it
        from tuskdb.sql.analyze.dml import rel_checks
        from tuskdb.engine.context import ExecContext
        from tuskdb.sql.expr import compile_expr
        rel2 = cat.relation_by_oid(rel.oid)
        st = AnalyzeState(cat, s, [], None, "")
        rt = 1
        layout = {(rt, i): i for i in range(len(rel2.columns) + 2)}
        for name, e in rel_checks(rel2, rt, st):
            if name != cname:
                continue
            f = compile_expr(e, layout)
            ctx = ExecContext(s, s.txn, s.txn.snapshot())
            if rel2.relkind == "p":
                break           # no rows of its own; the partitions check theirs
            for tid, values in ctx.heap(rel2).scan(ctx.snapshot):
                if f((*values, tid, rel2.oid), ctx) is False:
                    raise PgError("23514", f'check constraint "{cname}" of relation '
                                  f'"{rel.name}" is violated by some row',
                                  table_name=rel.name, constraint_name=cname)
        return
    if ct == "CONSTR_FOREIGN":
        from tuskdb.sql.commands.fkeys import add_foreign_key
        cols = [k["String"]["sval"] for k in con.get("fk_attrs") or []]
        add_foreign_key(s, cat, rel, con, state, cols, validate=True)
        return
    raise PgError(FEATURE_NOT_SUPPORTED, f"ALTER TABLE ADD {ct[7:]} is not supported")


__all__ = ["create_table", "drop", "truncate", "alter_table", "create_schema", "coerce_to",
           "can_coerce", "type_name", "types", "replace", "BTREE_AM"]


def create_table_as(s: Any, raw: Any, explain: Any = None) -> QueryResult:
    """CREATE TABLE ... AS SELECT / SELECT ... INTO: create the table, then fill it.
    ``explain`` as for matview.create_matview (EXPLAIN ANALYZE of the statement)."""
    from tuskdb.sql.parser import RawStmt

    body = raw.body
    if body.get("objtype", "OBJECT_TABLE") == "OBJECT_MATVIEW":
        from tuskdb.sql.commands.matview import create_matview
        return create_matview(s, raw, explain=explain)
    into = body["into"]
    q_node = body["query"]
    if next(iter(q_node)) == "ExecuteStmt":
        return _create_as(s, raw, into, None, body.get("if_not_exists", False), explain,
                          execute=q_node["ExecuteStmt"])
    if next(iter(q_node)) != "SelectStmt":
        raise PgError(FEATURE_NOT_SUPPORTED, "CREATE TABLE AS of this statement is not supported")
    return _create_as(s, raw, into, RawStmt(q_node, raw.location, raw.length, raw.source),
                      body.get("if_not_exists", False), explain)


def select_into(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.parser import RawStmt

    body = dict(raw.body)
    into = body.pop("intoClause")
    return _create_as(s, raw, into, RawStmt({"SelectStmt": body}, raw.location, raw.length,
                                            raw.source), False)


def _create_as(s: Any, raw: Any, into: dict, query: Any, if_not_exists: bool,
               explain: Any = None, execute: dict | None = None) -> QueryResult:
    state = _state(s, raw)
    cat = state.catalog
    rv = into["rel"]
    nsp = _namespace_for(s, cat, rv, state)
    name = rv["relname"]
    if cat.relation_oid(nsp, name) is not None:
        if if_not_exists:
            s.add_notice(notice(f'relation "{name}" already exists, skipping',
                                sqlstate=DUPLICATE_TABLE))
            return QueryResult(tag="CREATE TABLE AS")
        raise PgError(DUPLICATE_TABLE, f'relation "{name}" already exists')
    params: list = []
    if execute is not None:             # CREATE TABLE ... AS EXECUTE name(params)
        from tuskdb.sql.commands.misc import execute_params
        cp, params = execute_params(s, raw, execute)
        if cp.kind != "select":
            raise PgError(WRONG_OBJECT_TYPE, "prepared statement is not a SELECT")
    else:
        cp = s._plan(query, [])
    names = [c["String"]["sval"] for c in into.get("colNames") or []]
    if len(names) > len(cp.fields):
        raise PgError(SYNTAX_ERROR, "too many column names were specified")
    cols = []
    for i, f in enumerate(cp.fields):
        t = f.type_oid if f.type_oid != 705 else 25
        c = ColumnSpec(names[i] if i < len(names) else f.name, t, f.typmod)
        if any(x.name == c.name for x in cols):
            raise PgError(DUPLICATE_COLUMN, f'column "{c.name}" specified more than once')
        cols.append(c)
    if explain is not None:
        got = explain(cp, None if into.get("skipData") else
                      lambda: [tuple(r) for r in s._run_plan(cp, params, inner=True).rows])
        res = QueryResult(rows=got or [])
    else:
        res = s._run_plan(cp, params)
    oid = cat.m.next_oid()
    _insert_relation(s, cat, oid, name, nsp, "r", cols)
    cat.command_counter_increment()
    from tuskdb.sql.commands.toasting import create_toast_table
    create_toast_table(s, cat, oid)
    heap = cat.m.heap(s.dboid, oid)
    rows = [tuple(r) for r in res.rows]
    if into.get("skipData"):
        rows = []
    if rows:
        heap.multi_insert(s.txn, rows)
    return QueryResult(tag=f"SELECT {len(rows)}")
