"""Indexes on partitioned tables (PostgreSQL's partitioned indexes, relkind 'I').

An index on a partitioned table has no storage of its own: it is a catalog
entry (pg_class relkind 'I', pg_index) whose partitions each carry a real index
on the same columns, linked to it by pg_inherits.  Creating one creates the
partitions' indexes (recursively); a partition created or attached later gets
its own copy of every index of its parent.  A unique index must include every
partition key column, so that uniqueness per partition means uniqueness overall.

    build_partitioned_index(rel, ...)   the 'I' entry, then clone_index per partition
    clone_indexes(parent, partition)    on CREATE TABLE ... PARTITION OF / ATTACH
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import make_row
from tuskdb.errors import FEATURE_NOT_SUPPORTED, WRONG_OBJECT_TYPE, PgError


def check_unique_covers_key(rel: Any, attnums: list[int], what: str) -> None:
    key = rel.partkey
    if key is None:
        return
    if any(a == 0 for a in key.attnums):
        raise PgError(FEATURE_NOT_SUPPORTED, "unsupported UNIQUE constraint with partition key "
                      "definition",
                      detail=f"{what} constraints cannot be used when partition keys include "
                             f"expressions.")
    for a in key.attnums:
        if a not in attnums:
            raise PgError(FEATURE_NOT_SUPPORTED, "unique constraint on partitioned table must "
                          "include all partitioning columns",
                          detail=f'{what} constraint on table "{rel.name}" lacks column '
                                 f'"{rel.columns[a - 1].name}" which is part of the partition '
                                 f"key.")


def check_exclusion_covers_key(rel: Any, attnums: list[int], ops: list[int], what: str
                               ) -> None:
    """An exclusion constraint (EXCLUDE, or PRIMARY KEY / UNIQUE WITHOUT OVERLAPS) on a
    partitioned table: every partition key column must be one of its columns, compared
    with equality (DefineIndex)."""
    from tuskdb.types.builtins import OPERATORS_BY_OID
    key = rel.partkey
    if key is None:
        return
    if any(a == 0 for a in key.attnums):
        check_unique_covers_key(rel, attnums, what)
    for a in key.attnums:
        if a not in attnums:
            check_unique_covers_key(rel, attnums, what)
        op = OPERATORS_BY_OID[ops[attnums.index(a)]]
        if op.name != "=":
            raise PgError(FEATURE_NOT_SUPPORTED, f"cannot match partition key to index on "
                          f'column "{rel.columns[a - 1].name}" using non-equal operator '
                          f'"{op.name}"')


def build_partitioned_index(s: Any, cat: Any, rel: Any, name: str, attnums: list[int],
                            descending: list[bool], nulls_first: list[bool], unique: bool,
                            primary: bool, constraint: str | None,
                            nulls_not_distinct: bool, only: bool = False,
                            exclusion: tuple[list[int], list[int]] | None = None,
                            include: list[int] | None = None) -> int:
    from tuskdb.catalog.manager import BTREE_AM, GIST_AM
    from tuskdb.sql.commands.tablecmds import ColumnSpec, _insert_constraint, _insert_relation
    from tuskdb.types import Array
    from tuskdb.catalog.rows import replace
    if exclusion is not None:
        check_exclusion_covers_key(rel, attnums, exclusion[0], "PRIMARY KEY" if primary else
                                   "UNIQUE" if unique else "EXCLUDE")
        _refuse_foreign_partitions(cat, rel, constraint is None)
    elif unique:
        check_unique_covers_key(rel, attnums, "PRIMARY KEY" if primary else "UNIQUE")
        _refuse_foreign_partitions(cat, rel, constraint is None)
    from tuskdb.sql.commands.indexcmds import default_opclasses, include_columns
    oid = cat.m.next_oid()
    include = list(include or ())
    cols = [ColumnSpec(rel.columns[a - 1].name, rel.columns[a - 1].type_oid,
                       rel.columns[a - 1].typmod) for a in attnums]
    cols += include_columns(rel, include, cols)
    _insert_relation(s, cat, oid, name, rel.namespace, "I", cols,
                     relam=GIST_AM if exclusion is not None and any(exclusion[1]) else BTREE_AM,
                     relfilenode=0, create_storage=False)
    options = [(1 if d else 0) | (2 if nf else 0) for d, nf in zip(descending, nulls_first)]
    cat.insert("pg_index", make_row(
        "pg_index", indexrelid=oid, indrelid=rel.oid, indnatts=len(attnums) + len(include),
        indnkeyatts=len(attnums), indisunique=unique, indnullsnotdistinct=nulls_not_distinct,
        indisprimary=primary, indisexclusion=exclusion is not None, indimmediate=True,
        indisclustered=False,
        indisvalid=not (only and rel.children), indcheckxmin=False, indisready=True,
        indislive=True, indisreplident=False, indkey=Array(list(attnums) + include, 0),
        indcollation=Array([100 if rel.columns[a - 1].type_oid in (25, 1043, 1042, 19) else 0
                            for a in attnums], 0),
        indclass=Array(default_opclasses(
            list(exclusion[1]) if exclusion else [0] * len(attnums),
            [c.type_oid for c in cols[:len(attnums)]],
            GIST_AM if exclusion is not None and any(exclusion[1]) else BTREE_AM), 0),
        indoption=Array(options, 0)))
    if constraint is not None:
        _insert_constraint(cat, name, rel.namespace, constraint, rel.oid, list(attnums),
                           conindid=oid, conexclop=exclusion[0] if exclusion else None,
                           conperiod=exclusion is not None, connoinherit=True)
    for tid, row in cat.find("pg_class", oid=rel.oid):
        cat.update("pg_class", tid, replace("pg_class", row, relhasindex=True))
    cat.command_counter_increment()
    if only:
        return oid
    spec = {"oid": oid, "names": [rel.columns[a - 1].name for a in attnums],
            "include": [rel.columns[a - 1].name for a in include],
            "descending": descending, "nulls_first": nulls_first, "unique": unique,
            "primary": primary, "constraint": constraint,
            "nulls_not_distinct": nulls_not_distinct, "exclusion": exclusion}
    for child_oid in rel.children:
        child = cat.relation_by_oid(child_oid)
        if child is not None and child.partbound is not None and child.relkind != "f":
            clone_index(s, cat, spec, child)      # foreign partitions get no index
    return oid


def _refuse_foreign_partitions(cat: Any, rel: Any, whole_tree: bool) -> None:
    """A unique index cannot cover foreign partitions (no index can be built there)."""
    todo, seen = list(rel.children), set()
    while todo:
        child = cat.relation_by_oid(todo.pop(0))
        if child is None or child.oid in seen:
            continue
        seen.add(child.oid)
        if child.relkind == "f":
            raise PgError(WRONG_OBJECT_TYPE, f'cannot create unique index on partitioned table '
                          f'"{rel.name}"', detail=f'Table "{rel.name}" contains partitions that '
                          f"are foreign tables.")
        if whole_tree:
            todo += list(child.children)


def clone_index(s: Any, cat: Any, spec: dict, child: Any) -> int:
    """The index of partition ``child`` matching the parent's index ``spec``."""
    from tuskdb.sql.commands.indexcmds import build_index
    from tuskdb.sql.commands.inherit import add_inherits_row
    from tuskdb.sql.commands.tablecmds import choose_name
    attnums = [child.column(n).attnum for n in spec["names"]]
    include = [child.column(n).attnum for n in spec.get("include", ())]
    from tuskdb.sql.commands.indexcmds import index_column_names
    every = index_column_names(spec["names"] + list(spec.get("include", ())))
    if spec["primary"]:
        name = choose_name(cat, child.namespace, child.name, "pkey")
    elif spec["constraint"] == "x":
        name = choose_name(cat, child.namespace, f"{child.name}_{'_'.join(every)}",
                           "excl")
    elif spec["constraint"] == "u":
        name = choose_name(cat, child.namespace, f"{child.name}_{'_'.join(every)}",
                           "key")
    else:
        name = choose_name(cat, child.namespace, f"{child.name}_{'_'.join(every)}",
                           "idx")
    oid = build_index(s, cat, child, name, attnums, list(spec["descending"]),
                      list(spec["nulls_first"]), unique=spec["unique"],
                      primary=spec["primary"], constraint=spec["constraint"],
                      nulls_not_distinct=spec["nulls_not_distinct"],
                      exclusion=spec.get("exclusion"), include=include)
    add_inherits_row(cat, oid, spec["oid"], 1)
    if spec["constraint"]:
        # the partition's constraint hangs under the parent's
        from tuskdb.catalog.rows import COLUMN_POS, replace
        k = COLUMN_POS["pg_constraint"]
        cat.command_counter_increment()
        up = cat.find("pg_constraint", conindid=spec["oid"])
        for tid, row in cat.find("pg_constraint", conindid=oid):
            cat.update("pg_constraint", tid, replace(
                "pg_constraint", row, conparentid=up[0][1][k["oid"]] if up else 0,
                conislocal=False, coninhcount=1, connoinherit=False))
    cat.command_counter_increment()
    return oid


def clone_indexes(s: Any, cat: Any, parent: Any, child: Any) -> None:
    """A new partition gets a copy of each index of its partitioned parent."""
    parent = cat.relation_by_oid(parent.oid)
    for ix in parent.indexes:
        child = cat.relation_by_oid(child.oid)
        if child.relkind == "f":
            return          # foreign tables have no indexes
        spec = {"oid": ix.oid, "names": [parent.columns[a - 1].name for a in ix.attnums],
                "include": [parent.columns[a - 1].name for a in ix.include],
                "descending": ix.descending, "nulls_first": ix.nulls_first,
                "unique": ix.unique, "primary": ix.primary,
                "constraint": ("p" if ix.primary else "x" if ix.exclusion_ops and
                               not ix.unique else "u") if ix.constraint_name else None,
                "nulls_not_distinct": ix.nulls_not_distinct,
                "exclusion": index_exclusion(cat, ix)}
        oid = clone_index(s, cat, spec, child)
        if ix.deferrable:
            from tuskdb.sql.commands.indexcmds import mark_deferrable
            mark_deferrable(cat, oid, ix.deferred)
            cat.command_counter_increment()


def index_exclusion(cat: Any, ix: Any) -> tuple[list[int], list[int]] | None:
    """(operators, operator classes) of an exclusion constraint's index, else None."""
    if not ix.exclusion_ops:
        return None
    info = _index_row(cat, ix.oid)
    return list(ix.exclusion_ops), list(info["indclass"])


def attach_index(s: Any, cat: Any, parent_index: Any, cmd: dict, state: Any) -> None:
    """ALTER INDEX parent ATTACH PARTITION child_index."""
    from tuskdb.sql.analyze.select import lookup_relation
    from tuskdb.sql.commands.inherit import add_inherits_row
    child = lookup_relation(cmd["def"]["PartitionCmd"]["name"], state, False)
    if parent_index.oid in child.parents:
        return                      # already attached: nothing to do
    pi = _index_row(cat, parent_index.oid)
    ci = _index_row(cat, child.oid)
    ptable = cat.relation_by_oid(pi["indrelid"])
    ctable = cat.relation_by_oid(ci["indrelid"]) if ci else None
    if ctable is None or ctable.oid not in ptable.children or ctable.partbound is None:
        raise PgError("55000", f'cannot attach index "{child.name}" as a partition of index '
                      f'"{parent_index.name}"',
                      detail=f'Index "{child.name}" is not an index on any partition of table '
                             f'"{ptable.name}".')
    pcols = [ptable.columns[a - 1].name for a in pi["indkey"]]
    ccols = [ctable.columns[a - 1].name for a in ci["indkey"]]
    if pcols != ccols or pi["indisunique"] != ci["indisunique"] or \
            list(pi["indoption"] or ()) != list(ci["indoption"] or ()) or \
            _exclusion_ops(cat, parent_index.oid) != _exclusion_ops(cat, child.oid):
        raise PgError("42P17", f'cannot attach index "{child.name}" as a partition of index '
                      f'"{parent_index.name}"',
                      detail="The index definitions do not match.")
    for other in ctable.indexes:
        orel = cat.relation_by_oid(other.oid)
        if orel is not None and parent_index.oid in orel.parents:
            raise PgError("42P17", f'cannot attach index "{child.name}" as a partition of '
                          f'index "{parent_index.name}"',
                          detail=f'Another index is already attached for partition '
                                 f'"{ctable.name}".')
    add_inherits_row(cat, child.oid, parent_index.oid, 1)
    cat.command_counter_increment()
    validate_partitioned_index(cat, parent_index.oid)


def _exclusion_ops(cat: Any, index_oid: int) -> list[int]:
    """pg_constraint.conexclop of the constraint an index backs ([] if none)."""
    from tuskdb.catalog.rows import COLUMN_POS
    k = COLUMN_POS["pg_constraint"]
    for _, r in cat.find("pg_constraint", conindid=index_oid):
        if r[k["contype"]] in ("p", "u", "x"):
            return list(r[k["conexclop"]] or [])
    return []


def _index_row(cat: Any, oid: int) -> dict | None:
    from tuskdb.catalog.rows import COLUMN_POS
    p = COLUMN_POS["pg_index"]
    for _, r in cat.find("pg_index", indexrelid=oid):
        return {name: r[pos] for name, pos in p.items()}
    return None


def validate_partitioned_index(cat: Any, index_oid: int) -> None:
    """A partitioned index becomes valid once every partition has an attached index."""
    from tuskdb.catalog.rows import COLUMN_POS, replace
    irel = cat.relation_by_oid(index_oid)
    info = _index_row(cat, index_oid)
    table = cat.relation_by_oid(info["indrelid"])
    parts = [c for c in (cat.relation_by_oid(o) for o in table.children)
             if c is not None and c.partbound is not None]
    attached = set()
    for child_index in irel.children:
        ci = _index_row(cat, child_index)
        if ci is not None:
            attached.add(ci["indrelid"])
    valid = all(p.oid in attached for p in parts)
    p = COLUMN_POS["pg_index"]
    for tid, row in cat.find("pg_index", indexrelid=index_oid):
        if row[p["indisvalid"]] != valid:
            cat.update("pg_index", tid, replace("pg_index", row, indisvalid=valid))
            cat.command_counter_increment()
            if valid and table.partbound is not None:
                # the parent's index may now be complete too
                for parent_index in irel.parents:
                    validate_partitioned_index(cat, parent_index)
