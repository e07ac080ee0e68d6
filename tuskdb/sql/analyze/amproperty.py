"""Index access method property functions (PostgreSQL's amutils):
pg_indexam_has_property, pg_index_has_property and pg_index_column_has_property.

Each answers a named property (case-insensitively) from what the access method can
do, as PostgreSQL's index AM API describes it (amcanorder, amcanunique,
amcanmulticol, amsearcharray, amsearchnulls, amclusterable, amgettuple,
amgetbitmap, amcanbackward, amcaninclude, ...) and, for a column, from pg_index
(indoption, indnkeyatts).  An unknown property name, an object that is not an
index (or index AM) and a column number out of range give NULL.

The capability tables are those of PostgreSQL 18's built-in access methods, also
for gin, spgist and brin, whose indexes TuskDB does not build yet.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS
from tuskdb.sql.analyze.sysfuncs import SysFunc, _add

BOOL, OID, TEXT, INT4, REGCLASS = 16, 26, 25, 23, 2205


# what each index access method can do (IndexAmRoutine's flags)
AM_CAPS: dict[str, dict[str, bool]] = {
    #          can_order can_unique multicol exclude include search_array search_nulls
    #          clusterable index_scan(gettuple) bitmap_scan backward_scan
    "btree": dict(can_order=True, can_unique=True, can_multi_col=True, can_exclude=True,
                  can_include=True, search_array=True, search_nulls=True, clusterable=True,
                  index_scan=True, bitmap_scan=True, backward_scan=True),
    "hash": dict(can_order=False, can_unique=False, can_multi_col=False, can_exclude=True,
                 can_include=False, search_array=False, search_nulls=False,
                 clusterable=False, index_scan=True, bitmap_scan=True, backward_scan=True),
    "gist": dict(can_order=False, can_unique=False, can_multi_col=True, can_exclude=True,
                 can_include=True, search_array=False, search_nulls=True, clusterable=True,
                 index_scan=True, bitmap_scan=True, backward_scan=False),
    "spgist": dict(can_order=False, can_unique=False, can_multi_col=False, can_exclude=True,
                   can_include=True, search_array=False, search_nulls=True,
                   clusterable=False, index_scan=True, bitmap_scan=True,
                   backward_scan=False),
    "gin": dict(can_order=False, can_unique=False, can_multi_col=True, can_exclude=False,
                can_include=False, search_array=False, search_nulls=False,
                clusterable=False, index_scan=False, bitmap_scan=True, backward_scan=False),
    "brin": dict(can_order=False, can_unique=False, can_multi_col=True, can_exclude=False,
                 can_include=False, search_array=False, search_nulls=True,
                 clusterable=False, index_scan=False, bitmap_scan=True, backward_scan=False),
}

_AM_PROPS = ("can_order", "can_unique", "can_multi_col", "can_exclude", "can_include")
_INDEX_PROPS = ("clusterable", "index_scan", "bitmap_scan", "backward_scan")
_COLUMN_PROPS = ("asc", "desc", "nulls_first", "nulls_last", "orderable",
                 "distance_orderable", "returnable", "search_array", "search_nulls")

# index column values an AM can give back for index-only scans (amcanreturn); GiST's
# range and multirange operator classes have a fetch function, so they can too
_RETURNABLE = {"btree": True, "hash": False, "gist": True, "spgist": True, "gin": False,
               "brin": False}


def _am_name(cat: Any, am_oid: int) -> str | None:
    p = COLUMN_POS["pg_am"]
    for _, row in cat.find("pg_am", oid=am_oid):
        return row[p["amname"]] if row[p["amtype"]] == "i" else None
    return None


def _index(cat: Any, oid: int) -> tuple[str, tuple] | None:
    """An index's access method name and pg_index row, None for anything else."""
    c = COLUMN_POS["pg_class"]
    found = cat.find("pg_class", oid=oid)
    if not found or found[0][1][c["relkind"]] not in ("i", "I"):
        return None
    am = _am_name(cat, found[0][1][c["relam"]])
    rows = cat.find("pg_index", indexrelid=oid)
    if am is None or not rows:
        return None
    return am, rows[0][1]


def indexam_has_property(ctx: Any, am_oid: int, prop: str) -> bool | None:
    prop = prop.lower()
    am = _am_name(ctx.session.catalog(), am_oid)
    if am is None or prop not in _AM_PROPS:
        return None
    return AM_CAPS[am][prop]


def index_has_property(ctx: Any, oid: int, prop: str) -> bool | None:
    prop = prop.lower()
    found = _index(ctx.session.catalog(), oid)
    if found is None or prop not in _INDEX_PROPS:
        return None
    return AM_CAPS[found[0]][prop]


def index_column_has_property(ctx: Any, oid: int, attno: int, prop: str) -> bool | None:
    prop = prop.lower()
    found = _index(ctx.session.catalog(), oid)
    if found is None or prop not in _COLUMN_PROPS:
        return None
    am, row = found
    i = COLUMN_POS["pg_index"]
    if attno < 1 or attno > row[i["indnatts"]]:
        return None
    caps = AM_CAPS[am]
    if attno > row[i["indnkeyatts"]]:
        # an INCLUDE column is not ordered or searched on; B-tree still returns it
        if prop == "orderable":
            return False
        if am == "btree" and prop == "distance_orderable":
            return False
        if am == "btree" and prop == "returnable":
            return True
        return None
    if prop == "returnable":
        return _RETURNABLE[am]
    if prop == "distance_orderable":
        return False        # no built operator class has an ordering (<->) operator
    if prop in ("search_array", "search_nulls"):
        return caps[prop]
    ordered = caps["can_order"]
    if prop == "orderable":
        return ordered
    options = list(row[i["indoption"]] or ())
    option = options[attno - 1] if attno - 1 < len(options) else 0
    desc, nulls_first = bool(option & 1), bool(option & 2)
    return ordered and {"asc": not desc, "desc": desc, "nulls_first": nulls_first,
                        "nulls_last": not nulls_first}[prop]


_add(SysFunc("pg_indexam_has_property", (OID, TEXT), BOOL, indexam_has_property))
_add(SysFunc("pg_index_has_property", (REGCLASS, TEXT), BOOL, index_has_property))
_add(SysFunc("pg_index_column_has_property", (REGCLASS, INT4, TEXT), BOOL,
             index_column_has_property))
