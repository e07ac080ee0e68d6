"""ALTER TABLE ... ALTER COLUMN ... ADD GENERATED / SET identity options / DROP IDENTITY
(PostgreSQL's ATExecAddIdentity, ATExecSetIdentity, ATExecDropIdentity).

An identity column has pg_attribute.attidentity 'a' (ALWAYS) or 'd' (BY DEFAULT) and a
sequence named like a serial's (table_column_seq) with an internal ('i') pg_depend on the
column.  Partitions carry attidentity too but no sequence of their own: they draw from
the partitioned table's (catalog/manager.py, _ancestor_identity_sequence).  So the three
commands act on the partitioned table and all its partitions together, never on a
partition alone nor on ONLY the partitioned table; inheritance children are not touched.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.manager import CatalogView
from tuskdb.catalog.rows import COLUMN_POS, replace
from tuskdb.errors import (FEATURE_NOT_SUPPORTED, INVALID_TABLE_DEFINITION,
                           OBJECT_NOT_IN_PREREQUISITE_STATE, PgError, notice)

_P = COLUMN_POS["pg_attribute"]


def _identity_of(row: tuple) -> str:
    v = row[_P["attidentity"]]
    return "" if v in ("\x00", "", None) else v


def identity_sequence(cat: CatalogView, relid: int, attnum: int) -> int | None:
    """The sequence an identity column owns (pg_depend deptype 'i'), if any."""
    d = COLUMN_POS["pg_depend"]
    for _, dep in cat.find("pg_depend", refobjid=relid, deptype="i"):
        if dep[d["refobjsubid"]] == attnum and dep[d["classid"]] == 1259:
            seq = cat.relation_by_oid(dep[d["objid"]])
            if seq is not None and seq.relkind == "S":
                return seq.oid
    return None


def _partition_targets(cat: CatalogView, rel: Any, recurse: bool, what: str) -> list[Any]:
    """The relations an identity change applies to: a partitioned table and its
    partitions; refused on a partition or on ONLY a partitioned table."""
    if rel.relkind == "p" and not recurse:
        raise PgError(INVALID_TABLE_DEFINITION, f"cannot {what} of only the partitioned table",
                      hint="Do not specify the ONLY keyword.")
    if rel.partbound is not None:
        raise PgError(INVALID_TABLE_DEFINITION, f"cannot {what} of a partition")
    if rel.relkind != "p":
        return [rel]
    from tuskdb.sql.commands.inherit import find_all_inheritors
    return [rel] + [cat.relation_by_oid(o) for o in find_all_inheritors(cat, rel.oid)[1:]]


def _column(cat: CatalogView, rel: Any, colname: str) -> tuple[Any, tuple]:
    from tuskdb.sql.commands.tablecmds import _find_attr
    tid, row = _find_attr(cat, rel, colname)
    if row[_P["attnum"]] <= 0:
        raise PgError(FEATURE_NOT_SUPPORTED, f'cannot alter system column "{colname}"')
    return tid, row


def _set_attidentity(cat: CatalogView, targets: list[Any], colname: str, value: str) -> None:
    cat.command_counter_increment()
    for target in targets:
        for tid, row in cat.find("pg_attribute", attrelid=target.oid, attname=colname):
            if row[_P["attnum"]] > 0 and not row[_P["attisdropped"]]:
                cat.update("pg_attribute", tid,
                           replace("pg_attribute", row, attidentity=value or "\x00"))


def at_add_identity(s: Any, cat: CatalogView, rel: Any, cmd: dict, state: Any) -> None:
    from tuskdb.sql.commands.sequence import _LIMITS, create_sequence_rel, sequence_options
    from tuskdb.sql.commands.tablecmds import choose_name

    colname = cmd["name"]
    con = cmd["def"]["Constraint"]
    _, row = _column(cat, rel, colname)
    opts, astype = sequence_options(con.get("options") or [])
    type_oid = row[_P["atttypid"]]
    if type_oid not in _LIMITS:
        # checked while the command is analyzed, before anything else (init_params)
        from tuskdb.errors import INVALID_PARAMETER_VALUE
        raise PgError(INVALID_PARAMETER_VALUE, "identity column type must be smallint, "
                      "integer, or bigint")
    targets = _partition_targets(cat, rel, state.alter_recurse, "add identity to a column")
    attnum = row[_P["attnum"]]
    if not row[_P["attnotnull"]]:
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'column "{colname}" of relation '
                      f'"{rel.name}" must be declared NOT NULL before identity can be added')
    if _identity_of(row):
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'column "{colname}" of relation '
                      f'"{rel.name}" is already an identity column')
    if row[_P["atthasdef"]]:
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'column "{colname}" of relation '
                      f'"{rel.name}" already has a default value')
    if astype is not None:
        raise PgError(FEATURE_NOT_SUPPORTED, "AS type in identity sequence options is not "
                      "supported")
    seqname = choose_name(cat, rel.namespace, f"{rel.name}_{colname}", "seq")
    create_sequence_rel(s, cat, rel.namespace, seqname, type_oid, opts,
                        owned_by=(rel.oid, attnum), deptype="i",
                        persistence="u" if rel.persistence == "u" else None)
    kind = "a" if con.get("generated_when") == "a" else "d"
    _set_attidentity(cat, targets, colname, kind)


def at_set_identity(s: Any, cat: CatalogView, rel: Any, cmd: dict, state: Any) -> None:
    from tuskdb.sql.commands.sequence import alter_sequence_rel

    colname = cmd["name"]
    items = [i for i in (cmd.get("def") or {}).get("List", {}).get("items", [])]
    generated = None
    seq_items = []
    for it in items:
        d = it["DefElem"]
        if d["defname"] == "generated":
            generated = "a" if d["arg"]["Integer"]["ival"] == ord("a") else "d"
        else:
            seq_items.append(it)
    targets = _partition_targets(cat, rel, state.alter_recurse, "change identity column")
    _, row = _column(cat, rel, colname)
    if not _identity_of(row):
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'column "{colname}" of relation '
                      f'"{rel.name}" is not an identity column')
    if seq_items:
        seq_oid = identity_sequence(cat, rel.oid, row[_P["attnum"]])
        if seq_oid is not None:
            alter_sequence_rel(s, cat, cat.relation_by_oid(seq_oid), seq_items)
    if generated is not None:
        _set_attidentity(cat, targets, colname, generated)


def at_drop_identity(s: Any, cat: CatalogView, rel: Any, cmd: dict, state: Any) -> None:
    from tuskdb.sql.commands.tablecmds import drop_relation

    colname = cmd["name"]
    targets = _partition_targets(cat, rel, state.alter_recurse,
                                 "drop identity from a column")
    _, row = _column(cat, rel, colname)
    if not _identity_of(row):
        msg = f'column "{colname}" of relation "{rel.name}" is not an identity column'
        if cmd.get("missing_ok"):
            s.add_notice(notice(f"{msg}, skipping"))
            return
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, msg)
    _set_attidentity(cat, targets, colname, "")
    seq_oid = identity_sequence(cat, rel.oid, row[_P["attnum"]])
    if seq_oid is not None:
        cat.command_counter_increment()
        drop_relation(s, cat, cat.relation_by_oid(seq_oid))


def identity_alter_type(cat: CatalogView, rel: Any, col: Any, type_oid: int) -> None:
    """ALTER COLUMN TYPE of an identity column changes its sequence's type too (as
    ALTER SEQUENCE ... AS does: bounds that were the old type's limits become the new
    type's)."""
    from tuskdb.errors import INVALID_PARAMETER_VALUE
    from tuskdb.sql.commands.sequence import _LIMITS
    if type_oid not in _LIMITS:
        raise PgError(INVALID_PARAMETER_VALUE, "identity column type must be smallint, "
                      "integer, or bigint")
    seq_oid = identity_sequence(cat, rel.oid, col.attnum)
    if seq_oid is None:
        return
    q = COLUMN_POS["pg_sequence"]
    for tid, row in cat.find("pg_sequence", seqrelid=seq_oid):
        old_lo, old_hi = _LIMITS.get(row[q["seqtypid"]], (None, None))
        lo, hi = _LIMITS[type_oid]
        changes: dict[str, Any] = {"seqtypid": type_oid}
        if row[q["seqmax"]] == old_hi:
            changes["seqmax"] = hi
        if row[q["seqmin"]] == old_lo:
            changes["seqmin"] = lo
        cat.update("pg_sequence", tid, replace("pg_sequence", row, **changes))


def identity_sequence_options(cat: CatalogView, rel: Any, col: Any) -> dict[str, Any]:
    """The sequence options of an identity column (a partition's are its partitioned
    table's), as CREATE TABLE ... LIKE ... INCLUDING IDENTITY copies them."""
    seq_oid = identity_sequence(cat, rel.oid, col.attnum)
    if seq_oid is None:
        seq_oid = cat._ancestor_identity_sequence(rel.oid, col.name)
    if seq_oid is None:
        return {}
    q = COLUMN_POS["pg_sequence"]
    for _, row in cat.find("pg_sequence", seqrelid=seq_oid):
        return {"start": row[q["seqstart"]], "increment": row[q["seqincrement"]],
                "maxvalue": row[q["seqmax"]], "minvalue": row[q["seqmin"]],
                "cache": row[q["seqcache"]], "cycle": row[q["seqcycle"]]}
    return {}


def check_attach_identity(rel: Any, part: Any) -> None:
    """A table attached as a partition may not have identity columns of its own."""
    for col in part.columns:
        if col.identity and not col.dropped:
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'table "{part.name}" being '
                          f'attached contains an identity column "{col.name}"',
                          detail="The new partition may not contain an identity column.")


def partition_identity(cat: CatalogView, parent: Any, part: Any, attach: bool) -> None:
    """An attached partition (and its own partitions) takes the partitioned table's
    identity columns; a detached one loses them."""
    from tuskdb.sql.commands.inherit import find_all_inheritors
    targets = [cat.relation_by_oid(o) for o in find_all_inheritors(cat, part.oid)]
    for col in parent.columns:
        if col.identity and not col.dropped:
            _set_attidentity(cat, targets, col.name, col.identity if attach else "")
