"""Partition keys and bounds as the catalogs hold them (PostgreSQL's partcache).

pg_partitioned_table describes the key of a partitioned table (relkind 'p');
pg_class.relpartbound of each partition holds its bound.  We store the bound
as JSON (our own node form, like pg_attrdef.adbin) and deparse it for
pg_get_expr: ``{"strategy": "r"|"l"|"h", "default": bool, "lower": [...],
"upper": [...], "values": [...], "modulus": n, "remainder": n}`` where every
datum is its text form (None for NULL) or "MINVALUE"/"MAXVALUE" markers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tuskdb.catalog.rows import COLUMN_POS


@dataclass(slots=True)
class PartitionKey:
    strategy: str                          # 'r' range, 'l' list, 'h' hash
    attnums: tuple[int, ...]               # 0 where the key column is an expression
    exprs: list[str] = field(default_factory=list)   # raw expression trees (JSON)
    opclasses: tuple[int, ...] = ()
    collations: tuple[int, ...] = ()
    default_oid: int = 0                   # pg_partitioned_table.partdefid


def load_partition_key(cat: Any, rel: Any) -> PartitionKey | None:
    p = COLUMN_POS["pg_partitioned_table"]
    for _, r in cat.find("pg_partitioned_table", partrelid=rel.oid):
        import json
        exprs = json.loads(r[p["partexprs"]]) if r[p["partexprs"]] else []
        return PartitionKey(r[p["partstrat"]], tuple(r[p["partattrs"]] or ()), exprs,
                            tuple(r[p["partclass"]] or ()), tuple(r[p["partcollation"]] or ()),
                            r[p["partdefid"]])
    return None
