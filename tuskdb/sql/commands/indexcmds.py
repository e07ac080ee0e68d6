"""CREATE INDEX / index builds for PRIMARY KEY and UNIQUE (PostgreSQL's indexcmds.c)."""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.types import Array
from tuskdb.access import DuplicateKey
from tuskdb.catalog.manager import BTREE_AM, GIST_AM, HASH_AM, CatalogView
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (DUPLICATE_TABLE, FEATURE_NOT_SUPPORTED, UNDEFINED_COLUMN,
                           UNIQUE_VIOLATION, WRONG_OBJECT_TYPE, PgError, notice)
from tuskdb.sql.commands.tablecmds import (SHARE, ColumnSpec, _insert_constraint,
                                           _insert_relation, choose_name, lock_relation)


def build_index(s: Any, cat: CatalogView, rel: Any, name: str, attnums: list[int],
                descending: list[bool], nulls_first: list[bool], unique: bool = False,
                primary: bool = False, constraint: str | None = None,
                nulls_not_distinct: bool = False, exprs: list[dict] | None = None,
                expr_cols: list[ColumnSpec] | None = None,
                predicate: dict | None = None, relam: int = BTREE_AM,
                exclusion: tuple[list[int], list[int]] | None = None,
                indclass: list[int] | None = None,
                collations: list[int | None] | None = None,
                include: list[int] | None = None, only: bool = False,
                deduplicate: bool = True) -> int:
    """Create the catalog rows and the B-tree of an index on ``rel`` and fill it.
    ``include`` are the INCLUDE columns: recorded after the key in pg_index.indkey
    (indnkeyatts counts the key) but not part of the key the B-tree orders and checks
    for uniqueness; their values are read from the heap.
    Key columns with attnum 0 are expressions: ``exprs`` (raw trees, in order) with
    ``expr_cols`` naming and typing their index columns.  ``exclusion`` (operators,
    operator classes; one per column) makes it an exclusion constraint's GiST index
    (execute/exclusion.py): PRIMARY KEY / UNIQUE ... WITHOUT OVERLAPS.  ``only``
    (ALTER TABLE ONLY, CREATE INDEX ON ONLY): a partitioned table's index is not
    cloned to the partitions and stays invalid until theirs are attached."""
    import json
    for a in attnums:
        if a and rel.columns[a - 1].generated == "v":
            what = "primary keys" if primary else \
                "unique constraints" if constraint == "u" else "indexes"
            raise PgError(FEATURE_NOT_SUPPORTED, f"{what} on virtual generated columns are not "
                          f"supported")
    if exclusion is not None and any(exclusion[1]):
        relam = GIST_AM              # GiST operator classes (a btree one is left as 0)
    if rel.relkind == "p":
        if exprs or predicate or (relam != BTREE_AM and exclusion is None):
            raise PgError(FEATURE_NOT_SUPPORTED, "indexes on expressions, partial indexes and "
                          "hash indexes of partitioned tables are not supported")
        from tuskdb.sql.commands.partindex import build_partitioned_index
        return build_partitioned_index(s, cat, rel, name, attnums, descending, nulls_first,
                                       unique, primary, constraint, nulls_not_distinct,
                                       only=only, exclusion=exclusion, include=include)
    oid = cat.m.next_oid()
    cols = []
    more = iter(expr_cols or [])
    for a in attnums:
        if a == 0:
            cols.append(next(more))
            continue
        c = rel.columns[a - 1]
        cols.append(ColumnSpec(c.name, c.type_oid, c.typmod))
    include = list(include or ())
    _insert_relation(s, cat, oid, name, rel.namespace, "i",
                     cols + include_columns(rel, include, cols), relam=relam)
    options = [(1 if d else 0) | (2 if nf else 0) for d, nf in zip(descending, nulls_first)]
    cat.insert("pg_index", make_row(
        "pg_index", indexrelid=oid, indrelid=rel.oid, indnatts=len(attnums) + len(include),
        indnkeyatts=len(attnums), indisunique=unique, indnullsnotdistinct=nulls_not_distinct,
        indisprimary=primary, indisexclusion=exclusion is not None, indimmediate=True,
        indisclustered=False,
        indisvalid=True, indcheckxmin=False, indisready=True, indislive=True,
        indisreplident=False, indkey=Array(list(attnums) + include, 0),
        indcollation=Array([coll if coll else 100 if c.type_oid in (25, 1043, 1042, 19)
                            else 0 for c, coll in zip(cols, collations or [None] * len(cols))],
                           0),
        indclass=Array(default_opclasses(
            list(exclusion[1]) if exclusion else indclass or [0] * len(attnums),
            [c.type_oid for c in cols], relam), 0),
        indoption=Array(options, 0),
        indexprs=json.dumps(exprs) if exprs else None,
        indpred=json.dumps(predicate) if predicate else None))
    if constraint is not None:
        _insert_constraint(cat, name, rel.namespace, constraint, rel.oid, list(attnums),
                           conindid=oid, conexclop=exclusion[0] if exclusion else None,
                           conperiod=exclusion is not None and constraint in ("p", "u"),
                           connoinherit=True)
    for tid, row in cat.find("pg_class", oid=rel.oid):
        cat.update("pg_class", tid, replace("pg_class", row, relhasindex=True))
    fill_index(s, cat, rel, oid, name, attnums, descending, nulls_first,
               unique and exclusion is None, nulls_not_distinct,
               exprs=[json.dumps(e) for e in exprs or []],
               predicate=json.dumps(predicate) if predicate else None,
               deduplicate=deduplicate)
    if exclusion is not None:
        cat.command_counter_increment()
        check_existing_rows(s, cat, rel.oid, oid)
    return oid


def default_opclasses(classes: list[int], key_types: list[int], relam: int) -> list[int]:
    """pg_index.indclass as PostgreSQL records it: every key column's operator class,
    the type's default one where none was named (0 here).  The relation cache reads a
    default class back as 0 (catalog/manager.py)."""
    from tuskdb.catalog.partition import BTREE_OPCLASS, HASH_OPCLASS
    table = HASH_OPCLASS if relam == HASH_AM else BTREE_OPCLASS if relam == BTREE_AM else {}
    return [opc or table.get(t, 0) for opc, t in zip(classes, key_types)]


def index_column_names(names: list[str]) -> list[str]:
    """An index's column names as ChooseIndexColumnNames makes them unique: a name
    already used gets a number ("c1" again is "c11")."""
    taken: set[str] = set()
    out = []
    for base in names:
        name, n = base, 0
        while name in taken:
            n += 1
            name = f"{base}{n}"
        taken.add(name)
        out.append(name)
    return out


def include_columns(rel: Any, include: list[int], key_cols: list[ColumnSpec]
                    ) -> list[ColumnSpec]:
    """The index relation's columns for INCLUDE columns (after the key columns)."""
    cols = [rel.columns[a - 1] for a in include]
    names = index_column_names([c.name for c in key_cols] + [c.name for c in cols])
    return [ColumnSpec(n, c.type_oid, c.typmod)
            for n, c in zip(names[len(key_cols):], cols)]


def check_existing_rows(s: Any, cat: CatalogView, reloid: int, indexoid: int) -> None:
    """An exclusion constraint's index was just filled: check every row against it, in
    heap order (PostgreSQL's IndexCheckExclusion)."""
    from tuskdb.engine.context import ExecContext
    from tuskdb.sql.execute.exclusion import check_exclusion

    rel = cat.relation_by_oid(reloid)
    ix = next(i for i in rel.indexes if i.oid == indexoid)
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    heap = ctx.heap(rel)
    for tid, values in heap.scan(ctx.snapshot):
        check_exclusion(rel, ix, tuple(values), tid, ctx, heap, building=True)


def fill_index(s: Any, cat: CatalogView, rel: Any, oid: int, name: str, attnums: list[int],
               descending: list[bool], nulls_first: list[bool], unique: bool,
               nulls_not_distinct: bool, relfilenode: int | None = None,
               exprs: list[str] | tuple[str, ...] = (), predicate: str | None = None,
               deduplicate: bool = True) -> None:
    """Fill an empty B-tree from every tuple version of the table's heap
    (``deduplicate``: the deduplicate_items storage parameter of a new index)."""
    from tuskdb.engine.context import ExecContext
    from tuskdb.sql.execute.indexkeys import build_key

    heap = cat.m.heap(0 if rel.shared else s.dboid, rel.relfilenode)
    if rel.needs_complete:
        from tuskdb.sql.execute.tupdesc import RelHeap, completer_for
        heap = RelHeap(heap, completer_for(rel, s), None)
    btree = cat.m.index(s.dboid, oid if relfilenode is None else relfilenode)
    ik = build_key(rel, list(attnums), list(exprs), s, predicate)
    ktypes = ik.types
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    entries = []
    null_keys = set()
    for tid, tup in heap.scan_all():
        if ik.pred is not None and not ik.pred(tuple(tup.values), ctx):
            continue
        vals = ik.fn(tuple(tup.values), ctx)
        key = types.encode_key(vals, ktypes, descending, nulls_first)
        entries.append((key, tid))
        if None in vals and not nulls_not_distinct:
            null_keys.add(tid)
    if unique and null_keys:
        # NULLs never conflict: build the non-null keys with the uniqueness check
        checked = [e for e in entries if e[1] not in null_keys]
        rest = [e for e in entries if e[1] in null_keys]
        entries = checked
    else:
        rest = []
    dedup = deduplicate and not unique and bool(entries) and \
        _deduplicates(cat, oid, ktypes)
    try:
        btree.build(entries + rest if not unique else entries, unique=unique, heap=heap,
                    txn=s.txn, dedup=dedup)
        if unique and rest:
            for key, tid in rest:
                btree.insert(s.txn, key, tid, unique=False)
    except DuplicateKey as dup:
        tup = heap.get_tuple(dup.existing_tid) if hasattr(dup, "existing_tid") else None
        detail = None
        if tup is not None:
            vals = ik.fn(tuple(tup.values), ctx)
            shown = ", ".join("null" if v is None else types.TYPES[t].output(v, s.type_context)
                              for v, t in zip(vals, ktypes))
            detail = f"Key ({', '.join(ik.names)})=({shown}) is duplicated."
        raise PgError(UNIQUE_VIOLATION, f'could not create unique index "{name}"',
                      detail=detail, table_name=rel.name, constraint_name=name) from None


# key types whose B-tree operator families say equal keys are equal images (btree
# support function 4), so duplicates are stored as posting lists
_DEDUP_TYPES = frozenset((16, 17, 18, 19, 20, 21, 23, 25, 26, 27, 30, 650, 774, 790, 829,
                          869, 1042, 1043, 1082, 1083, 1114, 1184, 1266, 1560, 1562, 2950,
                          3220, 5069))


def _deduplicates(cat: CatalogView, oid: int, ktypes: Any) -> bool:
    """Whether a new non-unique index keeps duplicates as posting lists (PostgreSQL's
    deduplication: key types with equalimage support, no INCLUDE columns, the
    deduplicate_items storage parameter on); only the page accounting follows it."""
    for t in ktypes:
        if t not in _DEDUP_TYPES:
            info = types.TYPES.get(t)
            if getattr(info, "typtype", "b") != "e":
                return False
    for _, row in cat.find("pg_index", indexrelid=oid):
        p = COLUMN_POS["pg_index"]
        if row[p["indnatts"]] != row[p["indnkeyatts"]]:
            return False
    for _, row in cat.find("pg_class", oid=oid):
        opts = row[COLUMN_POS["pg_class"]["reloptions"]]
        for o in getattr(opts, "items", opts) or ():
            if str(o).lower() in ("deduplicate_items=off", "deduplicate_items=false",
                                  "deduplicate_items=0", "deduplicate_items=no"):
                return False
    return True


def _deduplicate_option(options: list | None) -> bool:
    """WITH (deduplicate_items = off) of CREATE INDEX."""
    for o in options or []:
        d = o.get("DefElem", {})
        if d.get("defname") == "deduplicate_items" and d.get("arg") is not None:
            from tuskdb.sql.commands.tableopts import defelem_value
            if str(defelem_value(d)).lower() in ("off", "false", "0", "no", "f", "n"):
                return False
    return True


_KIND_WORDS = {"S": "sequences", "f": "foreign tables"}


def create_index(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    from tuskdb.sql.analyze.select import lookup_relation
    from tuskdb.sql.analyze.state import AnalyzeState

    cat = s.catalog()
    state = AnalyzeState(cat, s, [], None, raw.source)
    rel = lookup_relation(body["relation"], state, False)
    if rel.relkind not in ("r", "p", "m"):
        raise PgError(WRONG_OBJECT_TYPE, f'cannot create index on relation "{rel.name}"',
                      detail=f"This operation is not supported for "
                             f"{_KIND_WORDS.get(rel.relkind, 'this relation')}.")
    from tuskdb.sql.commands.tablecmds import _check_rel_owner, check_expr_type_usage
    _check_rel_owner(s, cat, rel)
    # index expressions are stored: USAGE on their types (reported schema-qualified)
    check_expr_type_usage(s, state, [body.get("indexParams"), body.get("whereClause")],
                          qualified=True)
    lock_relation(s, rel.oid, SHARE)
    method = body.get("accessMethod", "btree")
    if method == "rtree":
        s.add_notice(notice('substituting access method "gist" for obsolete method "rtree"'))
        method = "gist"
    _check_am_capabilities(method, body)
    gist_classes = _gist_operator_classes(rel, body) if method == "gist" else None
    if method not in ("btree", "hash") and gist_classes is None:
        if method in ("gist", "gin", "spgist", "brin") or cat.find("pg_am", amname=method):
            raise PgError(FEATURE_NOT_SUPPORTED, f"access method \"{method}\" is not "
                          f"supported")
        raise PgError("42704", f'access method "{method}" does not exist')
    if method == "hash":
        # hash indexes: one key column, equality only (kept in the same ordered structure)
        e0 = body["indexParams"][0]["IndexElem"]
        if e0.get("ordering", "SORTBY_DEFAULT") != "SORTBY_DEFAULT" or \
                e0.get("nulls_ordering", "SORTBY_NULLS_DEFAULT") != "SORTBY_NULLS_DEFAULT":
            raise PgError(FEATURE_NOT_SUPPORTED, 'access method "hash" does not support '
                          'ASC/DESC options')
    if body.get("concurrent"):
        from tuskdb.engine.utility import prevent_in_transaction_block
        prevent_in_transaction_block(s, "CREATE INDEX CONCURRENTLY")
    attnums, desc, nf, names = [], [], [], []
    exprs: list[dict] = []
    expr_cols: list[ColumnSpec] = []
    collations: list[int | None] = []
    classes: list[int] = []
    for p in body["indexParams"]:
        e = p["IndexElem"]
        collations.append(collation_oid(cat, e["collation"]) if e.get("collation") else None)
        if e.get("expr") is not None:
            spec = _index_expression(s, rel, e["expr"], state, raw.source)
            classes.append(_operator_class(e, spec.type_oid, method))
            exprs.append(e["expr"])
            expr_cols.append(spec)
            attnums.append(0)
            names.append(spec.name)
            d = e.get("ordering") == "SORTBY_DESC"
            desc.append(d)
            nulls = e.get("nulls_ordering", "SORTBY_NULLS_DEFAULT")
            nf.append(d if nulls == "SORTBY_NULLS_DEFAULT" else nulls == "SORTBY_NULLS_FIRST")
            continue
        col = rel.column(e["name"])
        if col is None:
            raise PgError(UNDEFINED_COLUMN, f'column "{e["name"]}" does not exist')
        if col.generated == "v":
            raise PgError(FEATURE_NOT_SUPPORTED, "indexes on virtual generated columns are not "
                          "supported")
        if e.get("collation"):
            from tuskdb.sql.analyze.expr import check_collation
            check_collation([n["String"]["sval"] for n in e["collation"]], None)
        classes.append(_operator_class(e, col.type_oid, method))
        attnums.append(col.attnum)
        names.append(col.name)
        d = e.get("ordering") == "SORTBY_DESC"
        desc.append(d)
        nulls = e.get("nulls_ordering", "SORTBY_NULLS_DEFAULT")
        nf.append(d if nulls == "SORTBY_NULLS_DEFAULT" else nulls == "SORTBY_NULLS_FIRST")
    include = included_columns(rel, body.get("indexIncludingParams") or [])
    predicate = body.get("whereClause")
    if predicate is not None:
        _index_predicate(s, rel, predicate, raw.source)
    if expr_cols:
        _unique_names(expr_cols, rel)
        it = iter(expr_cols)
        names = [next(it).name if a == 0 else n for a, n in zip(attnums, names)]
    if body.get("options"):
        # the storage parameters are checked before the name is (index_create's check)
        from tuskdb.sql.commands.tableopts import transform_reloptions
        transform_reloptions(None, body["options"], "btree")
    name = body.get("idxname")
    if name is None:
        every = index_column_names(names + [rel.columns[a - 1].name for a in include])
        name = choose_name(cat, rel.namespace, f"{rel.name}_{'_'.join(every)}", "idx")
    elif cat.relation_oid(rel.namespace, name) is not None:
        if body.get("if_not_exists"):
            s.add_notice(notice(f'relation "{name}" already exists, skipping',
                                sqlstate=DUPLICATE_TABLE))
            return QueryResult(tag="CREATE INDEX")
        raise PgError(DUPLICATE_TABLE, f'relation "{name}" already exists')
    if rel.relkind == "p" and not body["relation"].get("inh") and not exprs and \
            predicate is None and method != "hash":
        # CREATE INDEX ... ON ONLY: the partitioned index alone, invalid until every
        # partition's index is attached
        from tuskdb.sql.commands.partindex import build_partitioned_index
        oid = build_partitioned_index(s, cat, rel, name, attnums, desc, nf,
                                      bool(body.get("unique")), False, None,
                                      bool(body.get("nulls_not_distinct")), only=True,
                                      include=include)
    else:
        oid = build_index(s, cat, rel, name, attnums, desc, nf,
                          unique=bool(body.get("unique")),
                          relam=HASH_AM if method == "hash" else
                          GIST_AM if method == "gist" else BTREE_AM,
                          indclass=gist_classes or (classes if any(classes) else None),
                          nulls_not_distinct=bool(body.get("nulls_not_distinct")),
                          exprs=exprs, expr_cols=expr_cols, predicate=predicate,
                          collations=collations, include=include,
                          deduplicate=_deduplicate_option(body.get("options")))
    if body.get("options"):
        from tuskdb.sql.commands.tableopts import create_reloptions
        cat.command_counter_increment()
        create_reloptions(cat, oid, body["options"], "btree")
    return QueryResult(tag="CREATE INDEX")


def _check_am_capabilities(method: str, body: dict) -> None:
    """What the access method cannot do at all (DefineIndex's amcanunique, amcaninclude
    and amcanmulticol checks), also for the built-in ones TuskDB does not build."""
    from tuskdb.sql.analyze.amproperty import AM_CAPS
    caps = AM_CAPS.get(method)
    if caps is None:
        return
    if body.get("unique") and not caps["can_unique"]:
        raise PgError(FEATURE_NOT_SUPPORTED, f'access method "{method}" does not support '
                      f'unique indexes')
    if body.get("indexIncludingParams") and not caps["can_include"]:
        raise PgError(FEATURE_NOT_SUPPORTED, f'access method "{method}" does not support '
                      f'included columns')
    if len(body["indexParams"]) > 1 and not caps["can_multi_col"]:
        raise PgError(FEATURE_NOT_SUPPORTED, f'access method "{method}" does not support '
                      f'multicolumn indexes')


def included_columns(rel: Any, params: list[dict]) -> list[int]:
    """The table columns of an INCLUDE list (PostgreSQL's ComputeIndexAttrs): plain
    columns only, without collation, operator class or ordering options."""
    out = []
    for p in params:
        e = p["IndexElem"]
        if e.get("expr") is not None:
            raise PgError(FEATURE_NOT_SUPPORTED, "expressions are not supported in included "
                          "columns")
        col = rel.column(e["name"])
        if col is None:
            raise PgError(UNDEFINED_COLUMN, f'column "{e["name"]}" does not exist')
        if col.generated == "v":
            raise PgError(FEATURE_NOT_SUPPORTED, "indexes on virtual generated columns are not "
                          "supported")
        if e.get("collation"):
            raise PgError("42P17", "including column does not support a collation")
        if e.get("opclass"):
            raise PgError("42P17", "including column does not support an operator class")
        if e.get("ordering", "SORTBY_DEFAULT") != "SORTBY_DEFAULT":
            raise PgError("42P17", "including column does not support ASC/DESC options")
        if e.get("nulls_ordering", "SORTBY_NULLS_DEFAULT") != "SORTBY_NULLS_DEFAULT":
            raise PgError("42P17", "including column does not support NULLS FIRST/LAST "
                          "options")
        out.append(col.attnum)
    return out


def _gist_operator_classes(rel: Any, body: dict) -> list[int] | None:
    """The default GiST operator classes of a CREATE INDEX ... USING gist whose keys
    are all plain range or multirange columns (range_ops, multirange_ops), else None:
    TuskDB keeps such an index in its ordered key structure (see
    execute/exclusion.py), which answers what the planner asks of it (equality and
    order of the key); GiST over other types or expressions is not built."""
    from tuskdb.sql.commands.temporal import gist_operator_class
    if rel.relkind != "r" or body.get("unique") or body.get("indexIncludingParams") or \
            body.get("whereClause"):
        return None
    out = []
    for p in body["indexParams"]:
        e = p["IndexElem"]
        col = rel.column(e["name"]) if e.get("name") else None
        if col is None or e.get("opclass") or e.get("collation") or \
                e.get("ordering", "SORTBY_DEFAULT") != "SORTBY_DEFAULT" or \
                e.get("nulls_ordering", "SORTBY_NULLS_DEFAULT") != "SORTBY_NULLS_DEFAULT":
            return None
        opc = gist_operator_class(col.type_oid)
        if opc is None:
            return None
        out.append(opc)
    return out


def _index_expression(s: Any, rel: Any, raw_expr: dict, state: Any, source: str
                      ) -> ColumnSpec:
    """Check an index key expression (PostgreSQL's ComputeIndexAttrs) and name its index
    column as FigureIndexColname does: the function's name, else "expr"."""
    from tuskdb.sql.execute.indexkeys import analyze_index_exprs
    from tuskdb.sql.expr import Var, walk

    e = analyze_index_exprs(rel, [raw_expr], s, source)[0]
    for x in walk(e):
        if isinstance(x, Var) and x.rt == 1 and x.attno < len(rel.columns) and \
                rel.columns[x.attno].generated == "v":
            raise PgError(FEATURE_NOT_SUPPORTED, "indexes on virtual generated columns are not "
                          "supported")
        if isinstance(x, Var) and x.rt == 1 and x.attno >= len(rel.columns):
            raise PgError(FEATURE_NOT_SUPPORTED, "index creation on system columns is not "
                          "supported")
    if _is_mutable(e, rel, s, raw_expr, source):
        raise PgError("42P17", "functions in index expression must be marked IMMUTABLE")
    kind = next(iter(raw_expr))
    if kind == "FuncCall":
        name = raw_expr["FuncCall"]["funcname"][-1]["String"]["sval"]
    elif kind == "TypeCast":
        inner = raw_expr["TypeCast"]["arg"]
        name = inner["FuncCall"]["funcname"][-1]["String"]["sval"] \
            if "FuncCall" in inner else "expr"
    else:
        name = "expr"
    return ColumnSpec(name, e.type_oid if e.type_oid != 705 else 25, e.typmod)


def _index_predicate(s: Any, rel: Any, raw_pred: dict, source: str) -> None:
    """Check a partial index's WHERE clause (PostgreSQL's CheckPredicate)."""
    from tuskdb.sql.analyze.coerce import require_bool
    from tuskdb.sql.execute.indexkeys import analyze_index_exprs

    e = analyze_index_exprs(rel, [raw_pred], s, source, kind="index predicates")[0]
    require_bool(e, "WHERE")
    if _is_mutable(e, rel, s, raw_pred, source, kind="index predicates"):
        raise PgError("42P17", "functions in index predicate must be marked IMMUTABLE")


def _is_mutable(e: Any, rel: Any, s: Any, raw_expr: dict, source: str,
                kind: str = "index expressions") -> bool:
    """Did analyzing the expression call a stable or volatile function?"""
    import json

    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import AnalyzeState, RangeEntry, Scope

    state = AnalyzeState(s.catalog(), s, [], None, source)
    state.next_rt()
    scope = Scope()
    scope.add(RangeEntry(1, rel.name, [c.name for c in rel.columns],
                         [(c.type_oid, c.typmod) for c in rel.columns], rel=rel))
    transform(json.loads(json.dumps(raw_expr)), ExprContext(state, scope, kind, None))
    return state.has_mutable


def _unique_names(specs: list[ColumnSpec], rel: Any) -> list[ColumnSpec]:
    """Expression columns named "expr", "expr1", ... (PostgreSQL's ChooseIndexColumnNames:
    unique among the index's columns)."""
    seen: set[str] = set()
    for c in specs:
        base, n = c.name, 0
        while c.name in seen:
            n += 1
            c.name = f"{base}{n}"
        seen.add(c.name)
    return specs


def collation_oid(cat: CatalogView, names: list) -> int | None:
    """The OID of a COLLATE clause's collation (qualified names use their last part)."""
    name = names[-1]["String"]["sval"] if isinstance(names[-1], dict) else names[-1]
    if name in _COLLATION_OIDS:
        return _COLLATION_OIDS[name]
    found = cat.find("pg_collation", collname=name)
    return found[0][1][COLUMN_POS["pg_collation"]["oid"]] if found else None


# the built-in collations' OIDs (pg_collation.dat)
_COLLATION_OIDS = {"default": 100, "C": 950, "POSIX": 951, "ucs_basic": 962, "pg_c_utf8": 811}


# B-tree operator classes comparing strings byte by byte (text_pattern_ops, ...): with
# only C collations they order as the default ones do, so the index is kept alike
PATTERN_OPCLASSES = {"text_pattern_ops": (4217, 25), "varchar_pattern_ops": (4218, 1043)}


def _operator_class(e: dict, type_oid: int, method: str) -> int:
    """pg_index.indclass of an index column: 0 for the default operator class."""
    if not e.get("opclass"):
        return 0
    opc = e["opclass"][-1]["String"]["sval"]
    if opc in _default_opclasses(type_oid):
        return 0
    pat = PATTERN_OPCLASSES.get(opc)
    if method == "btree" and pat is not None and \
            (pat[1] == type_oid or (type_oid == 1043 and pat[1] == 25)):
        return pat[0]
    raise PgError(FEATURE_NOT_SUPPORTED, f'operator class "{opc}" is not supported')


def _default_opclasses(type_oid: int) -> set[str]:
    """Names of the default B-tree operator class of a type (int4_ops, text_ops, ...)."""
    t = types.TYPES.get(type_oid)
    names = {f"{t.name}_ops"} if t is not None else set()
    extra = {1043: {"text_ops", "varchar_ops"}, 25: {"text_ops"}, 1042: {"bpchar_ops"},
             23: {"int4_ops", "integer_ops"}, 20: {"int8_ops", "integer_ops"},
             21: {"int2_ops", "integer_ops"}, 701: {"float8_ops", "float_ops"},
             700: {"float4_ops", "float_ops"}, 1114: {"timestamp_ops", "datetime_ops"},
             1184: {"timestamptz_ops", "datetime_ops"}, 1082: {"date_ops", "datetime_ops"}}
    return names | extra.get(type_oid, set())


def constraint_index(cat: CatalogView, rel: Any, con: dict, state: Any) -> Any:
    """The index of ALTER TABLE ... ADD PRIMARY KEY / UNIQUE USING INDEX, after
    PostgreSQL's checks (transformIndexConstraint)."""
    name = con["indexname"]
    pos = state.pos(con.get("location"))
    detail = "Cannot create a primary key or unique constraint using such an index."
    oid = cat.relation_oid(rel.namespace, name)
    ix = next((i for i in rel.indexes if i.oid == oid), None) if oid is not None else None
    if ix is None:
        raise PgError("42704", f'index "{name}" does not exist', position=pos)
    if ix.constraint_name is not None:
        raise PgError("55000", f'index "{name}" is already associated with a constraint',
                      position=pos)
    if not ix.unique or ix.exclusion_ops:
        raise PgError(WRONG_OBJECT_TYPE, f'"{name}" is not a unique index', detail=detail,
                      position=pos)
    if ix.exprs:
        raise PgError(WRONG_OBJECT_TYPE, f'index "{name}" contains expressions', detail=detail,
                      position=pos)
    if ix.predicate:
        raise PgError(WRONG_OBJECT_TYPE, f'"{name}" is a partial index', detail=detail,
                      position=pos)
    for i, (d, nf) in enumerate(zip(ix.descending, ix.nulls_first), start=1):
        if d or nf:
            raise PgError(WRONG_OBJECT_TYPE, f'index "{name}" column number {i} does not have '
                          f"default sorting behavior", detail=detail, position=pos)
    return ix


def attach_index_constraint(s: Any, cat: CatalogView, rel: Any, ix: Any, conname: str | None,
                            primary: bool) -> None:
    """Make an existing unique index a PRIMARY KEY / UNIQUE constraint's index, renamed
    after the constraint (ATExecAddIndexConstraint)."""
    name = conname or ix.name
    if name != ix.name:
        s.add_notice(notice(f"ALTER TABLE / ADD CONSTRAINT USING INDEX will rename index "
                            f'"{ix.name}" to "{name}"'))
        if cat.relation_oid(rel.namespace, name) is not None:
            raise PgError(DUPLICATE_TABLE, f'relation "{name}" already exists')
        for tid, row in cat.find("pg_class", oid=ix.oid):
            cat.update("pg_class", tid, replace("pg_class", row, relname=name))
    if primary:
        for tid, row in cat.find("pg_index", indexrelid=ix.oid):
            cat.update("pg_index", tid, replace("pg_index", row, indisprimary=True))
    _insert_constraint(cat, name, rel.namespace, "p" if primary else "u", rel.oid,
                       list(ix.attnums), conindid=ix.oid)
    cat.command_counter_increment()


def mark_deferrable(cat: CatalogView, index_oid: int, deferred: bool) -> None:
    """A DEFERRABLE [INITIALLY DEFERRED] unique or primary key constraint: its rows and
    its index's (indimmediate = false), down to the partitions' indexes."""
    from tuskdb.catalog.rows import COLUMN_POS
    cat.command_counter_increment()
    for tid, row in cat.find("pg_constraint", conindid=index_oid):
        cat.update("pg_constraint", tid, replace("pg_constraint", row, condeferrable=True,
                                                 condeferred=deferred))
    for tid, row in cat.find("pg_index", indexrelid=index_oid):
        cat.update("pg_index", tid, replace("pg_index", row, indimmediate=False))
    h = COLUMN_POS["pg_inherits"]
    for _, row in cat.find("pg_inherits", inhparent=index_oid):
        mark_deferrable(cat, row[h["inhrelid"]], deferred)
