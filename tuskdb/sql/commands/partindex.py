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
from tuskdb.errors import FEATURE_NOT_SUPPORTED, PgError


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


def build_partitioned_index(s: Any, cat: Any, rel: Any, name: str, attnums: list[int],
                            descending: list[bool], nulls_first: list[bool], unique: bool,
                            primary: bool, constraint: str | None,
                            nulls_not_distinct: bool) -> int:
    from tuskdb.catalog.manager import BTREE_AM
    from tuskdb.sql.commands.tablecmds import ColumnSpec, _insert_constraint, _insert_relation
    from tuskdb.types import Array
    from tuskdb.catalog.rows import replace
    if unique:
        check_unique_covers_key(rel, attnums, "PRIMARY KEY" if primary else "UNIQUE")
    oid = cat.m.next_oid()
    cols = [ColumnSpec(rel.columns[a - 1].name, rel.columns[a - 1].type_oid,
                       rel.columns[a - 1].typmod) for a in attnums]
    _insert_relation(s, cat, oid, name, rel.namespace, "I", cols, relam=BTREE_AM,
                     relfilenode=0, create_storage=False)
    options = [(1 if d else 0) | (2 if nf else 0) for d, nf in zip(descending, nulls_first)]
    cat.insert("pg_index", make_row(
        "pg_index", indexrelid=oid, indrelid=rel.oid, indnatts=len(attnums),
        indnkeyatts=len(attnums), indisunique=unique, indnullsnotdistinct=nulls_not_distinct,
        indisprimary=primary, indisexclusion=False, indimmediate=True, indisclustered=False,
        indisvalid=True, indcheckxmin=False, indisready=True, indislive=True,
        indisreplident=False, indkey=Array(list(attnums), 0),
        indcollation=Array([100 if rel.columns[a - 1].type_oid in (25, 1043, 1042, 19) else 0
                            for a in attnums], 0),
        indclass=Array([0] * len(attnums), 0), indoption=Array(options, 0)))
    if constraint is not None:
        _insert_constraint(cat, name, rel.namespace, constraint, rel.oid, list(attnums),
                           conindid=oid)
    for tid, row in cat.find("pg_class", oid=rel.oid):
        cat.update("pg_class", tid, replace("pg_class", row, relhasindex=True))
    cat.command_counter_increment()
    spec = {"oid": oid, "names": [rel.columns[a - 1].name for a in attnums],
            "descending": descending, "nulls_first": nulls_first, "unique": unique,
            "primary": primary, "constraint": constraint,
            "nulls_not_distinct": nulls_not_distinct}
    for child_oid in rel.children:
        child = cat.relation_by_oid(child_oid)
        if child is not None and child.partbound is not None:
            clone_index(s, cat, spec, child)
    return oid


def clone_index(s: Any, cat: Any, spec: dict, child: Any) -> int:
    """The index of partition ``child`` matching the parent's index ``spec``."""
    from tuskdb.sql.commands.indexcmds import build_index
    from tuskdb.sql.commands.inherit import add_inherits_row
    from tuskdb.sql.commands.tablecmds import choose_name
    attnums = [child.column(n).attnum for n in spec["names"]]
    if spec["primary"]:
        name = choose_name(cat, child.namespace, child.name, "pkey")
    elif spec["constraint"] == "u":
        name = choose_name(cat, child.namespace, f"{child.name}_{'_'.join(spec['names'])}",
                           "key")
    else:
        name = choose_name(cat, child.namespace, f"{child.name}_{'_'.join(spec['names'])}",
                           "idx")
    oid = build_index(s, cat, child, name, attnums, list(spec["descending"]),
                      list(spec["nulls_first"]), unique=spec["unique"],
                      primary=spec["primary"], constraint=spec["constraint"],
                      nulls_not_distinct=spec["nulls_not_distinct"])
    add_inherits_row(cat, oid, spec["oid"], 1)
    cat.command_counter_increment()
    return oid


def clone_indexes(s: Any, cat: Any, parent: Any, child: Any) -> None:
    """A new partition gets a copy of each index of its partitioned parent."""
    parent = cat.relation_by_oid(parent.oid)
    for ix in parent.indexes:
        child = cat.relation_by_oid(child.oid)
        spec = {"oid": ix.oid, "names": [parent.columns[a - 1].name for a in ix.attnums],
                "descending": ix.descending, "nulls_first": ix.nulls_first,
                "unique": ix.unique, "primary": ix.primary,
                "constraint": ("p" if ix.primary else "u") if ix.constraint_name else None,
                "nulls_not_distinct": ix.nulls_not_distinct}
        clone_index(s, cat, spec, child)
