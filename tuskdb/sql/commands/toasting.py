"""TOAST relations of tables (PostgreSQL's toasting.c), as the catalogs show them.

A table or materialized view whose rows could outgrow TOAST_TUPLE_THRESHOLD (a
toastable column of unbounded length, or bounded ones adding up past the threshold)
gets a TOAST relation when it is created, and when ALTER TABLE makes it need one:

    pg_toast.pg_toast_<table oid>          relkind 't': chunk_id oid, chunk_seq int4,
                                           chunk_data bytea
    pg_toast.pg_toast_<table oid>_index    unique btree (chunk_id, chunk_seq)
    pg_class.reltoastrelid of the table    the TOAST relation's OID

A temporary table's TOAST relation is in the session's pg_toast_temp_N schema.  The
``toast.`` storage parameters (WITH, SET, RESET) are kept in the TOAST relation's
reloptions; a table without one ignores them, as PostgreSQL does.

How TuskDB differs: values are never moved out of line (storage/README.md: big values
live inline in their block), so the TOAST relations stay empty; they carry no
pg_depend row (they go with their table, see tablecmds._remove_rel_rows).
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.manager import PG_TOAST_NAMESPACE
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.types import Array

# the largest row kept whole in its heap block (BLCKSZ 8192, four rows per page)
TOAST_TUPLE_THRESHOLD = 2032
_HEAP_TUPLE_HEADER = 23
_ALIGN = {"c": 1, "s": 2, "i": 4, "d": 8}
_OID, _INT4, _BYTEA = 26, 23, 17
_OID_OPS, _INT4_OPS = 1981, 1978


def _align(n: int, to: int) -> int:
    return (n + to - 1) // to * to


def type_maximum_size(type_oid: int, typmod: int) -> int:
    """The largest stored size of a variable-length value of a declared length, -1 when
    unbounded (char(n)/varchar(n) in the database encoding, bit(n)/varbit(n))."""
    if typmod < 0:
        return -1
    if type_oid in (1042, 1043):        # char(n), varchar(n): UTF8, 4 bytes a character
        return (typmod - 4) * 4 + 4
    if type_oid in (1560, 1562):        # bit(n), varbit(n): header, bit count, the bits
        return (typmod + 7) // 8 + 8
    return -1


def needs_toast_table(cat: Any, relid: int) -> bool:
    """Whether a relation's widest possible row needs a TOAST relation: it has a
    toastable column and either some column's length is unbounded or the maximum row
    passes TOAST_TUPLE_THRESHOLD."""
    p = COLUMN_POS["pg_attribute"]
    rows = [r for _, r in cat.find("pg_attribute", attrelid=relid) if r[p["attnum"]] > 0]
    data_length = 0
    unbounded = toastable = False
    for r in rows:
        if r[p["attisdropped"]] or r[p["attgenerated"]] == "v":
            continue
        data_length = _align(data_length, _ALIGN.get(r[p["attalign"]], 4))
        if r[p["attlen"]] > 0:
            data_length += r[p["attlen"]]
            continue
        size = type_maximum_size(r[p["atttypid"]], r[p["atttypmod"]])
        if size < 0:
            unbounded = True
        else:
            data_length += size
        if r[p["attstorage"]] != "p":
            toastable = True
    if not toastable:
        return False
    if unbounded:
        return True
    header = _align(_HEAP_TUPLE_HEADER + (len(rows) + 7) // 8, 8)
    return header + _align(data_length, 8) > TOAST_TUPLE_THRESHOLD


def _toast_namespace(s: Any, cat: Any, persistence: str) -> int:
    """pg_toast, or for a temporary table the session's pg_toast_temp_N."""
    if persistence != "t":
        return PG_TOAST_NAMESPACE
    name = f"pg_toast_temp_{s.temp_id}"
    oid = cat.namespace_oid(name)
    if oid is None:
        oid = cat.m.next_oid()
        cat.insert("pg_namespace", make_row("pg_namespace", oid=oid, nspname=name,
                                            nspowner=10))
        cat.command_counter_increment()
    return oid


def create_toast_table(s: Any, cat: Any, relid: int) -> int | None:
    """Give a table or materialized view its TOAST relation if it needs one and has none
    (AlterTableCreateToastTable); the TOAST relation's OID, or None."""
    from tuskdb.sql.commands.tablecmds import ColumnSpec, _insert_relation
    c = COLUMN_POS["pg_class"]
    found = cat.find("pg_class", oid=relid)
    if not found:
        return None
    tid, row = found[0]
    if row[c["relkind"]] not in ("r", "m") or row[c["reltoastrelid"]] or \
            not needs_toast_table(cat, relid):
        return None
    persistence = row[c["relpersistence"]]
    nsp = _toast_namespace(s, cat, persistence)
    toast_oid = cat.m.next_oid()
    cols = [ColumnSpec("chunk_id", _OID, -1), ColumnSpec("chunk_seq", _INT4, -1),
            ColumnSpec("chunk_data", _BYTEA, -1)]
    _insert_relation(s, cat, toast_oid, f"pg_toast_{relid}", nsp, "t", cols,
                     persistence=persistence)
    index_oid = cat.m.next_oid()
    _insert_relation(s, cat, index_oid, f"pg_toast_{relid}_index", nsp, "i",
                     cols[:2], relam=403, persistence=persistence)
    cat.insert("pg_index", make_row(
        "pg_index", indexrelid=index_oid, indrelid=toast_oid, indnatts=2, indnkeyatts=2,
        indisunique=True, indnullsnotdistinct=False, indisprimary=True,
        indisexclusion=False, indimmediate=True, indisclustered=False, indisvalid=True,
        indcheckxmin=False, indisready=True, indislive=True, indisreplident=False,
        indkey=Array([1, 2], 0), indcollation=Array([0, 0], 0),
        indclass=Array([_OID_OPS, _INT4_OPS], 0), indoption=Array([0, 0], 0)))
    cat.m.index(s.dboid, index_oid).build([])       # an empty index: its metapage
    cat.command_counter_increment()
    for ttid, trow in cat.find("pg_class", oid=toast_oid):
        cat.update("pg_class", ttid, replace("pg_class", trow, relhasindex=True,
                                             relreplident="n", relowner=row[c["relowner"]]))
    for itid, irow in cat.find("pg_class", oid=index_oid):
        cat.update("pg_class", itid, replace("pg_class", irow, relowner=row[c["relowner"]],
                                             relreplident="n"))
    # chunk_data is stored as is (a chunk is never compressed or moved out again)
    for atid, arow in cat.find("pg_attribute", attrelid=toast_oid, attnum=3):
        cat.update("pg_attribute", atid, replace("pg_attribute", arow, attstorage="p"))
    cat.update("pg_class", tid, replace("pg_class", row, reltoastrelid=toast_oid))
    cat.command_counter_increment()
    return toast_oid


def toast_relid(cat: Any, relid: int) -> int:
    c = COLUMN_POS["pg_class"]
    for _, row in cat.find("pg_class", oid=relid):
        return row[c["reltoastrelid"]] or 0
    return 0



def drop_toast_table(s: Any, cat: Any, reltoastrelid: int, relid: int) -> None:
    """Remove a table's TOAST relation and its index (their files at commit) and clear
    the table's reltoastrelid: a rewrite gives the new heap a new one if it needs one."""
    from tuskdb.sql.commands.tablecmds import _remove_rel_rows
    cat.command_counter_increment()
    toast = cat.relation_by_oid(reltoastrelid)
    if toast is not None:
        for ix in toast.indexes:
            irel = cat.relation_by_oid(ix.oid)
            if irel is not None:
                _remove_rel_rows(s, cat, irel)
        _remove_rel_rows(s, cat, toast)
    for tid, row in cat.find("pg_class", oid=relid):
        cat.update("pg_class", tid, replace("pg_class", row, reltoastrelid=0))
    cat.command_counter_increment()


def _toast_and_index(cat: Any, reltoastrelid: int) -> list[int]:
    i = COLUMN_POS["pg_index"]
    return [reltoastrelid] + [r[i["indexrelid"]] for _, r in
                              cat.find("pg_index", indrelid=reltoastrelid)]


def set_toast_persistence(cat: Any, reltoastrelid: int, persistence: str) -> None:
    """ALTER TABLE SET LOGGED / UNLOGGED: the TOAST relation and its index follow."""
    for oid in _toast_and_index(cat, reltoastrelid):
        for tid, row in cat.find("pg_class", oid=oid):
            cat.update("pg_class", tid, replace("pg_class", row, relpersistence=persistence))


def set_toast_owner(cat: Any, reltoastrelid: int, owner: int) -> None:
    """ALTER TABLE OWNER: the TOAST relation and its index follow."""
    for oid in _toast_and_index(cat, reltoastrelid):
        for tid, row in cat.find("pg_class", oid=oid):
            cat.update("pg_class", tid, replace("pg_class", row, relowner=owner))
