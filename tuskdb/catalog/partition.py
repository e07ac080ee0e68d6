"""Partition keys and bounds as the catalogs hold them (PostgreSQL's partcache).

pg_partitioned_table describes the key of a partitioned table (relkind 'p');
pg_class.relpartbound of each partition holds its bound.  We store the bound
as JSON (our own node form, like pg_attrdef.adbin) and deparse it for
pg_get_expr: ``{"strategy": "r"|"l"|"h", "default": bool, "lower": [...],
"upper": [...], "values": [...], "modulus": n, "remainder": n}`` where every
datum is its text form (None for NULL) or "MINVALUE"/"MAXVALUE" markers.
"""

from __future__ import annotations

import json
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


# PostgreSQL 18's default operator classes (pg_opclass OIDs) by access method and type
BTREE_OPCLASS = {16: 10003, 17: 10006, 18: 10007, 19: 10028, 20: 3124, 21: 1979, 23: 1978,
                 25: 3126, 26: 1981, 27: 10050, 30: 10032, 700: 10012, 701: 3123, 774: 10026,
                 790: 10047, 829: 10024, 869: 10015, 650: 10015, 1042: 10004, 1043: 3126,
                 1082: 3122, 1083: 10038, 1114: 3128, 1184: 3127, 1186: 10022, 1266: 10041,
                 1560: 10002, 1562: 10043, 1700: 3125, 2950: 10065, 3220: 10067, 3802: 10088,
                 5069: 10053}
HASH_OPCLASS = {16: 10048, 17: 10049, 18: 10008, 19: 10029, 20: 10021, 21: 10019, 23: 10020,
                25: 10037, 26: 10031, 27: 10055, 28: 10051, 29: 10054, 30: 10033, 700: 10013,
                701: 10014, 774: 10027, 829: 10025, 869: 10016, 650: 10016, 1042: 10005,
                1043: 10037, 1082: 10011, 1083: 10039, 1114: 10046, 1184: 10040, 1186: 10023,
                1266: 10042, 1700: 10030, 2950: 10066, 3220: 10068, 3802: 10089, 5069: 10052}


def bound_json(bound: dict) -> str:
    """pg_class.relpartbound text of a bound (see the module docstring)."""
    return json.dumps({"PartitionBoundSpec": bound}, separators=(",", ":"))


def parse_bound(text: str | None) -> dict | None:
    if not text or not text.startswith('{"PartitionBoundSpec"'):
        return None
    return json.loads(text)["PartitionBoundSpec"]
