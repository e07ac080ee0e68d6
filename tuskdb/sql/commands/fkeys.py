"""FOREIGN KEY constraints: creation and validation (PostgreSQL's tablecmds.c,
ATAddForeignKeyConstraint), SET CONSTRAINTS.  Enforcement is sql/execute/ri.py."""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import make_row
from tuskdb.types import Array
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (FEATURE_NOT_SUPPORTED, DATATYPE_MISMATCH, FOREIGN_KEY_VIOLATION,
                           INVALID_FOREIGN_KEY,
                           UNDEFINED_COLUMN, UNDEFINED_OBJECT, WRONG_OBJECT_TYPE, PgError)


def add_foreign_key(s: Any, cat: Any, child: Any, con: dict, state: Any,
                    child_cols: list[str], validate: bool) -> None:
    """Record a FOREIGN KEY of ``child`` (its columns ``child_cols``) per ``con``."""
    from tuskdb.sql.analyze.coerce import type_name
    from tuskdb.sql.analyze.resolve import resolve_operator
    from tuskdb.sql.analyze.select import lookup_relation
    from tuskdb.sql.commands.tablecmds import SHARE_ROW_EXCLUSIVE, choose_name, lock_relation

    if con.get("pktable", {}).get("relname") == child.name and \
            not con["pktable"].get("schemaname"):
        parent = child
    else:
        parent = lookup_relation(con["pktable"], state, False)
    if parent.relkind not in ("r", "p"):
        raise PgError(WRONG_OBJECT_TYPE, f'referenced relation "{parent.name}" is not a table')
    lock_relation(s, parent.oid, SHARE_ROW_EXCLUSIVE)
    child_attnums = []
    for name in child_cols:
        col = child.column(name)
        if col is None and name in ("ctid", "xmin", "cmin", "xmax", "cmax", "tableoid"):
            raise PgError(FEATURE_NOT_SUPPORTED, "system columns cannot be used in foreign keys")
        if col is None:
            raise PgError(UNDEFINED_COLUMN, f'column "{name}" referenced in foreign key '
                          f"constraint does not exist")
        child_attnums.append(col.attnum)
    _check_generated(child, child_attnums, con)
    # ON DELETE SET NULL / SET DEFAULT (columns): a subset of the key, each once
    del_set_cols: list[int] = []
    for item in con.get("fk_del_set_cols") or []:
        name = item["String"]["sval"]
        col = child.column(name)
        if col is None:
            raise PgError(UNDEFINED_COLUMN, f'column "{name}" referenced in foreign key '
                          f"constraint does not exist")
        if col.attnum not in child_attnums:
            raise PgError("42P10", f'column "{name}" referenced in ON DELETE SET action must '
                          f"be part of foreign key")
        if col.attnum not in del_set_cols:
            del_set_cols.append(col.attnum)
    pk_names = [a["String"]["sval"] for a in con.get("pk_attrs") or []]
    from tuskdb.sql.commands import temporal
    temporal.check_fk_period(con, bool(pk_names))
    if pk_names:
        parent_attnums = []
        for name in pk_names:
            col = parent.column(name)
            if col is None and name in ("ctid", "xmin", "cmin", "xmax", "cmax", "tableoid"):
                raise PgError(FEATURE_NOT_SUPPORTED, "system columns cannot be used in foreign "
                              "keys")
            if col is None:
                raise PgError(UNDEFINED_COLUMN, f'column "{name}" referenced in foreign key '
                              f"constraint does not exist")
            parent_attnums.append(col.attnum)
        if len(set(parent_attnums)) != len(parent_attnums):
            raise PgError(INVALID_FOREIGN_KEY, "foreign key referenced-columns list must not "
                          "contain duplicates")
        # a PERIOD key references a WITHOUT OVERLAPS key ending with the period
        period = bool(con.get("fk_with_period"))
        index = next((ix for ix in sorted(parent.indexes,
                                          key=lambda i: bool(i.exclusion_ops) != period)
                      if ix.unique
                      and not ix.predicate and not ix.exprs
                      and set(ix.attnums) == set(parent_attnums)
                      and len(ix.attnums) == len(parent_attnums)
                      and (not period or ix.attnums[-1] == parent_attnums[-1])), None)
        if index is None:
            raise PgError(INVALID_FOREIGN_KEY, f"there is no unique constraint matching given "
                          f'keys for referenced table "{parent.name}"')
    else:
        index = next((ix for ix in parent.indexes if ix.primary), None)
        if index is None:
            raise PgError(UNDEFINED_OBJECT, f'there is no primary key for referenced table '
                          f'"{parent.name}"')
        parent_attnums = list(index.attnums)
    temporal.check_fk_index(con, bool(pk_names), index)
    if len(child_attnums) != len(parent_attnums):
        raise PgError(INVALID_FOREIGN_KEY, "number of referencing and referenced columns for "
                      "foreign key disagree")
    name = con.get("conname") or choose_name(
        cat, child.namespace, f"{child.name}_{'_'.join(child_cols)}", "fkey")
    for ca, pa in zip(child_attnums, parent_attnums):
        ct = child.columns[ca - 1].type_oid
        pt = parent.columns[pa - 1].type_oid
        try:
            if not fk_types_compatible(ct, pt):
                raise PgError(DATATYPE_MISMATCH, "")
            resolve_operator("=", ct, pt)
        except PgError:
            cname = child.columns[ca - 1].name
            pname = parent.columns[pa - 1].name
            raise PgError(DATATYPE_MISMATCH, f'foreign key constraint "{name}"'
                          f" cannot be implemented",
                          detail=f'Key columns "{cname}" of the referencing table and "{pname}" '
                                 f"of the referenced table are of incompatible types: "
                                 f"{type_name(ct)} and {type_name(pt)}.") from None
    # the grammar leaves is_enforced out for NOT ENFORCED (which implies NOT VALID)
    enforced = bool(con.get("is_enforced", "initially_valid" in con or
                                           not con.get("skip_validation")))
    valid = enforced and not con.get("skip_validation")
    if child.relkind == "p" and state is not None and \
            not getattr(state, "alter_recurse", True):
        raise PgError(WRONG_OBJECT_TYPE, f'cannot use ONLY for foreign key on partitioned table '
                      f'"{child.name}" referencing relation "{parent.name}"')
    oid = cat.m.next_oid()
    cat.insert("pg_constraint", make_row(
        "pg_constraint", oid=oid, conname=name, connamespace=child.namespace, contype="f",
        condeferrable=bool(con.get("deferrable")), condeferred=bool(con.get("initdeferred")),
        conenforced=enforced, convalidated=valid, conrelid=child.oid,
        contypid=0,
        conindid=index.oid, conparentid=0, confrelid=parent.oid,
        confupdtype=con.get("fk_upd_action", "a"), confdeltype=con.get("fk_del_action", "a"),
        confmatchtype=con.get("fk_matchtype", "s"), conislocal=True, coninhcount=0,
        connoinherit=child.relkind != "p", conperiod=bool(con.get("fk_with_period")),
        conkey=Array(list(child_attnums)), confkey=Array(list(parent_attnums)),
        confdelsetcols=Array(del_set_cols) if del_set_cols else None,
        **_period_operators(con, index)))
    cat.command_counter_increment()
    top = cat.find("pg_constraint", oid=oid)[0][1]
    if parent.relkind == "p":
        clone_fk_referenced(cat, top, parent)
    if child.relkind == "p":
        for part in _partitions(cat, child):
            clone_fk_referencing(s, cat, top, child, part)
    if validate and valid:
        _validate_tree(s, cat, cat.relation_by_oid(child.oid), top)


# -- foreign keys and partitioned tables -------------------------------------------------
#
# As in PostgreSQL (addFkRecurseReferenced / addFkRecurseReferencing), a foreign key of a
# partitioned table has a clone in every partition (same name, conparentid = the parent
# constraint, conislocal = false, coninhcount = 1): rows are checked there.  A foreign key
# referencing a partitioned table has a clone for every partition of it, on the
# referencing table (named <name>_1, <name>_2, ...): deletes and updates of the referenced
# rows are checked through those.  The relcache tells the two kinds apart
# (ForeignKeyInfo.clone_side).

_K = None


def _k() -> dict:
    global _K
    if _K is None:
        from tuskdb.catalog.rows import COLUMN_POS
        _K = COLUMN_POS["pg_constraint"]
    return _K


def _partitions(cat: Any, rel: Any) -> list[Any]:
    """``rel``'s partitions in PostgreSQL's bound order (its PartitionDesc), which
    is the order their constraint clones are made and numbered in."""
    out = []
    for oid in rel.children:
        r = cat.relation_by_oid(oid)
        if r is not None and r.partbound is not None:
            out.append(r)
    from tuskdb.sql.commands.partition import key_columns
    if rel.partkey is None or any(name is None for name, _, _ in key_columns(rel)):
        return out          # expression keys: their types need a session; creation order
    from types import SimpleNamespace
    from tuskdb.sql.analyze.partition import ordered_partitions
    ordered = ordered_partitions(SimpleNamespace(catalog=cat, relations=set(), session=None),
                                 rel)
    return [r for r in ordered if r.partbound is not None]


def _map_attnums(src: Any, dst: Any, attnums: Any) -> list[int]:
    """The attnums in ``dst`` of ``src``'s columns ``attnums`` (matched by name)."""
    out = []
    for a in attnums:
        name = src.columns[a - 1].name
        col = dst.column(name)
        out.append(col.attnum)
    return out


def _partition_index(cat: Any, part: Any, parent_index: int, attnums: list[int]) -> int:
    """The partition's index attached to the parent's index ``parent_index``."""
    from tuskdb.catalog.rows import COLUMN_POS
    h = COLUMN_POS["pg_inherits"]
    for ix in part.indexes:
        for _, row in cat.find("pg_inherits", inhrelid=ix.oid):
            if row[h["inhparent"]] == parent_index:
                return ix.oid
    for ix in part.indexes:
        if ix.unique and sorted(ix.attnums) == sorted(attnums) and not ix.predicate:
            return ix.oid
    return 0


def _clone_name(cat: Any, nsp: int, base: str) -> str:
    from tuskdb.sql.commands.tablecmds import truncate_identifier
    n = 1
    while True:
        tail = f"_{n}"
        name = truncate_identifier(base.encode()[:63 - len(tail)].decode(errors="ignore")) + \
            tail
        if not cat.find("pg_constraint", conname=name, connamespace=nsp):
            return name
        n += 1


def _insert_clone(cat: Any, row: tuple, **changes: Any) -> tuple:
    from tuskdb.catalog.rows import replace
    oid = cat.m.next_oid()
    new = replace("pg_constraint", row, oid=oid, conislocal=False, coninhcount=1,
                  connoinherit=False, **changes)
    cat.insert("pg_constraint", new)
    cat.command_counter_increment()
    return new


def clone_fk_referenced(cat: Any, fk_row: tuple, referenced: Any,
                        base: str | None = None) -> None:
    """Clones of a foreign key for every partition of the partitioned table it references
    (and their partitions), on the referencing table (addFkRecurseReferenced: all named
    after the key being created, ``base``)."""
    k = _k()
    base = base or fk_row[k["conname"]]
    for part in _partitions(cat, referenced):
        confkey = _map_attnums(referenced, part, fk_row[k["confkey"]])
        new = _insert_clone(cat, fk_row, conname=_clone_name(cat, fk_row[k["connamespace"]],
                                                             base),
                            confrelid=part.oid, confkey=Array(confkey),
                            conindid=_partition_index(cat, part, fk_row[k["conindid"]],
                                                      confkey),
                            conparentid=fk_row[k["oid"]])
        if part.relkind == "p":
            clone_fk_referenced(cat, new, part, base)


def _same_fk(a: tuple, b: tuple) -> bool:
    k = _k()
    return all(a[k[f]] == b[k[f]] for f in ("confrelid", "confupdtype", "confdeltype",
                                            "confmatchtype", "condeferrable", "condeferred",
                                            "conperiod")) and \
        list(a[k["confkey"]]) == list(b[k["confkey"]])


def clone_fk_referencing(s: Any, cat: Any, fk_row: tuple, parent: Any, part: Any,
                         attaching: bool = False) -> None:
    """The clone of a partitioned table's foreign key in one of its partitions: an equal
    foreign key the partition already has is attached instead (addFkRecurseReferencing,
    tryAttachPartitionForeignKey)."""
    from tuskdb.catalog.rows import replace
    k = _k()
    conkey = _map_attnums(parent, part, fk_row[k["conkey"]])
    for tid, row in cat.find("pg_constraint", conrelid=part.oid, contype="f"):
        if row[k["conparentid"]] or list(row[k["conkey"]]) != conkey or \
                not _same_fk(row, fk_row):
            continue
        if row[k["conenforced"]] != fk_row[k["conenforced"]]:
            raise PgError("42P17", f'constraint "{fk_row[k["conname"]]}" enforceability '
                          f'conflicts with constraint "{row[k["conname"]]}" on relation '
                          f'"{part.name}"')
        was_valid = row[k["convalidated"]]
        # a NOT VALID key under a valid parent's is validated now
        new = replace("pg_constraint", row, conparentid=fk_row[k["oid"]], conislocal=False,
                      coninhcount=1, connoinherit=False,
                      convalidated=was_valid or fk_row[k["convalidated"]])
        cat.update("pg_constraint", tid, new)
        cat.command_counter_increment()
        _drop_referenced_clones(cat, row[k["oid"]])
        if fk_row[k["convalidated"]] and not was_valid:
            _validate_tree(s, cat, part, new)
        return
    name = fk_row[k["conname"]]
    if cat.find("pg_constraint", conrelid=part.oid, conname=name):
        # the partition has a constraint of that name: <name>_N (ChooseConstraintName)
        name = _clone_name(cat, part.namespace, name)
    setcols = fk_row[k["confdelsetcols"]]
    new = _insert_clone(cat, fk_row, conname=name, conrelid=part.oid, conkey=Array(conkey),
                        conparentid=fk_row[k["oid"]],
                        confdelsetcols=Array(_map_attnums(parent, part, setcols))
                        if setcols else None)
    if attaching and new[k["convalidated"]]:
        _validate_tree(s, cat, part, new)
    for sub in _partitions(cat, part):
        clone_fk_referencing(s, cat, new, part, sub, attaching)


def _drop_referenced_clones(cat: Any, oid: int) -> None:
    """A foreign key that now hangs under a parent's has no referenced-side clones of its
    own: the parent's serve."""
    k = _k()
    for tid, row in cat.find("pg_constraint", conparentid=oid):
        if row[k["conrelid"]] == cat.find("pg_constraint", oid=oid)[0][1][k["conrelid"]]:
            drop_fk_clones(cat, row[k["oid"]])
            cat.delete("pg_constraint", tid)


def fk_descendants(cat: Any, oid: int) -> list[tuple[Any, tuple]]:
    """Every constraint derived from foreign key ``oid`` (clones of clones too)."""
    k = _k()
    out = []
    for tid, row in cat.find("pg_constraint", conparentid=oid):
        out.append((tid, row))
        out.extend(fk_descendants(cat, row[k["oid"]]))
    return out


def drop_fk_clones(cat: Any, oid: int) -> None:
    """Delete every constraint derived from foreign key ``oid``."""
    k = _k()
    for tid, row in cat.find("pg_constraint", conparentid=oid):
        drop_fk_clones(cat, row[k["oid"]])
        cat.delete("pg_constraint", tid)


def _validate_tree(s: Any, cat: Any, rel: Any, row: tuple) -> None:
    k = _k()
    cat.command_counter_increment()
    if rel.relkind == "p":
        for tid, crow in cat.find("pg_constraint", conparentid=row[k["oid"]]):
            if crow[k["conrelid"]] != rel.oid:
                part = cat.relation_by_oid(crow[k["conrelid"]])
                if part is not None:
                    _validate_tree(s, cat, part, crow)
        return
    _validate(s, cat, rel.oid, row[k["conname"]])


def check_attach_referenced(cat: Any, parent: Any, part: Any) -> None:
    """A table referenced by a foreign key of the partitioned table cannot become one of
    its partitions."""
    k = _k()
    for _, row in cat.find("pg_constraint", conrelid=parent.oid, contype="f"):
        if row[k["confrelid"]] == part.oid:
            raise PgError(FEATURE_NOT_SUPPORTED, f'cannot attach table "{part.name}" as a '
                          f'partition because it is referenced by foreign key '
                          f'"{row[k["conname"]]}"')


def clone_partition_fks(s: Any, cat: Any, parent: Any, part: Any, attaching: bool) -> None:
    """A new partition takes its parent's foreign keys (CloneForeignKeyConstraints), and
    foreign keys referencing the parent get clones referencing it."""
    k = _k()
    cat.command_counter_increment()
    part = cat.relation_by_oid(part.oid)
    for _, row in list(cat.find("pg_constraint", conrelid=parent.oid, contype="f")):
        if _is_referenced_clone(cat, row):
            continue
        clone_fk_referencing(s, cat, row, parent, part, attaching)
    for _, row in list(cat.find("pg_constraint", confrelid=parent.oid, contype="f")):
        if row[k["conparentid"]] and not _is_referenced_clone(cat, row):
            continue            # a partition's clone: its parent's clones do the work
        confkey = _map_attnums(parent, part, row[k["confkey"]])
        # CloneFkReferenced: named after the key referencing the parent
        new = _insert_clone(cat, row, conname=_clone_name(cat, row[k["connamespace"]],
                                                          row[k["conname"]]),
                            confrelid=part.oid, confkey=Array(confkey),
                            conindid=_partition_index(cat, part, row[k["conindid"]], confkey),
                            conparentid=row[k["oid"]])
        if part.relkind == "p":
            clone_fk_referenced(cat, new, part, row[k["conname"]])


def _is_referenced_clone(cat: Any, row: tuple) -> bool:
    """Is this a clone made for a partition of the referenced table?"""
    k = _k()
    if not row[k["conparentid"]]:
        return False
    found = cat.find("pg_constraint", oid=row[k["conparentid"]])
    return bool(found) and found[0][1][k["conrelid"]] == row[k["conrelid"]]


def root_fk(cat: Any, oid: int) -> tuple:
    """The foreign key at the top of a clone's chain (the one users created)."""
    k = _k()
    row = cat.find("pg_constraint", oid=oid)[0][1]
    while row[k["conparentid"]]:
        row = cat.find("pg_constraint", oid=row[k["conparentid"]])[0][1]
    return row


def _check_not_referenced(s: Any, cat: Any, row: tuple) -> None:
    """Rows of the referenced partition a clone serves must not be referenced any more
    (DETACH of a referenced partition)."""
    from tuskdb.engine.context import ExecContext
    from tuskdb.sql.execute.ri import _fmt, _leaves, _referencing_rows
    k = _k()
    referenced = cat.relation_by_oid(row[k["confrelid"]])
    child = cat.relation_by_oid(row[k["conrelid"]])
    if referenced is None or child is None:
        return
    fk = next((f for f in referenced.referenced_by if f.oid == row[k["oid"]]), None)
    if fk is None:
        return
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    for leaf in _leaves(ctx, referenced):
        attnums = _map_attnums(referenced, leaf, fk.parent_attnums) \
            if leaf is not referenced else list(fk.parent_attnums)
        for _, values in ctx.heap(leaf).scan(ctx.snapshot):
            key = tuple(values[a - 1] for a in attnums)
            if None in key or not _referencing_rows(ctx, fk, child, key):
                continue
            cols = ", ".join(leaf.columns[a - 1].name for a in attnums)
            ktypes = [leaf.columns[a - 1].type_oid for a in attnums]
            raise PgError(FOREIGN_KEY_VIOLATION, f'removing partition "{referenced.name}" '
                          f'violates foreign key constraint "{row[k["conname"]]}"',
                          detail=f"Key ({cols})=({_fmt(key, ktypes, ctx)}) is still referenced "
                                 f'from table "{child.name}".', table_name=child.name,
                          constraint_name=row[k["conname"]])


def detach_partition_fks(s: Any, cat: Any, parent: Any, part: Any) -> None:
    """DETACH PARTITION: the partition's clones become its own foreign keys, which get
    referenced-side clones of their own if they reference a partitioned table."""
    from tuskdb.catalog.rows import replace
    from tuskdb.sql.commands.inherit import find_all_inheritors
    k = _k()
    # clones made for the partition's rows as referenced ones, by keys referencing the
    # partitioned table, go: it is no longer part of that table
    tree = set(find_all_inheritors(cat, part.oid))
    for tid, row in list(cat.find("pg_constraint", contype="f")):
        if row[k["confrelid"]] in tree and _is_referenced_clone(cat, row):
            up = cat.find("pg_constraint", oid=row[k["conparentid"]])[0][1]
            if up[k["confrelid"]] not in tree:
                _check_not_referenced(s, cat, row)
                drop_fk_clones(cat, row[k["oid"]])
                cat.delete("pg_constraint", tid)
    cat.command_counter_increment()
    for tid, row in list(cat.find("pg_constraint", conrelid=part.oid, contype="f")):
        if not row[k["conparentid"]] or _is_referenced_clone(cat, row):
            continue
        new = replace("pg_constraint", row, conparentid=0, conislocal=True, coninhcount=0,
                      connoinherit=part.relkind != "p")
        cat.update("pg_constraint", tid, new)
        cat.command_counter_increment()
        referenced = cat.relation_by_oid(row[k["confrelid"]])
        if referenced is not None and referenced.relkind == "p":
            clone_fk_referenced(cat, new, referenced)


# btree operator families with cross-type equality (integer_ops, float_ops, datetime_ops)
_FAMILIES = ({20, 21, 23}, {700, 701}, {1082, 1114, 1184})
# the input type of the default btree operator class, where it differs from the type
_OPCINTYPE = {1043: 25}


def fk_types_compatible(fktype: int, pktype: int) -> bool:
    """Can the referenced key's equality operator compare these types?  PostgreSQL's
    rule (ATAddForeignKeyConstraint): a cross-type member of the primary key's operator
    family, else implicit casts of both types to the operator class's input type."""
    from tuskdb.sql.analyze.coerce import can_coerce
    from tuskdb.types.usertypes import base_type
    fk, pk = base_type(fktype), base_type(pktype)
    opcin = _OPCINTYPE.get(pk, pk)
    if fk == opcin or any(fk in f and opcin in f for f in _FAMILIES):
        return True
    return can_coerce(fk, opcin, "i") and can_coerce(pk, opcin, "i")


def _period_operators(con: dict, index: Any) -> dict:
    """conpfeqop, conppeqop, conffeqop of a PERIOD foreign key (unset otherwise)."""
    if not con.get("fk_with_period"):
        return {"conpfeqop": None}
    from tuskdb.sql.commands.temporal import fk_period_operators
    ops = Array(fk_period_operators(index))
    return {"conpfeqop": ops, "conppeqop": ops, "conffeqop": ops}


def _check_generated(child: Any, attnums: list[int], con: dict) -> None:
    """Foreign keys over generated columns (PostgreSQL's ATAddForeignKeyConstraint):
    no action may write the column, and virtual ones are not supported."""
    cols = [child.columns[a - 1] for a in attnums]
    if not any(c.generated for c in cols):
        return
    if con.get("fk_upd_action", "a") in ("c", "n", "d"):
        raise PgError("42601", "invalid ON UPDATE action for foreign key constraint containing "
                      "generated column")
    if con.get("fk_del_action", "a") in ("n", "d"):
        raise PgError("42601", "invalid ON DELETE action for foreign key constraint containing "
                      "generated column")
    if any(c.generated == "v" for c in cols):
        from tuskdb.errors import FEATURE_NOT_SUPPORTED
        raise PgError(FEATURE_NOT_SUPPORTED, "foreign key constraints on virtual generated "
                      "columns are not supported")


def _validate(s: Any, cat: Any, child_oid: int, name: str) -> None:
    """Existing rows must satisfy a foreign key added by ALTER TABLE."""
    from tuskdb.engine.context import ExecContext
    from tuskdb.sql.execute.ri import RIChecker

    child = cat.relation_by_oid(child_oid)
    fk = next(f for f in child.fkeys if f.name == name)
    ctx = ExecContext(s, s.txn, s.txn.snapshot())
    ri = RIChecker(ctx)
    only = type(child)  # noqa: F841 - keep the descriptor's class alive for clarity
    for _, values in ctx.heap(child).scan(ctx.snapshot):
        key = tuple(values[a - 1] for a in fk.child_attnums)
        if None in key:
            if fk.match == "f" and any(v is not None for v in key):
                raise PgError(FOREIGN_KEY_VIOLATION, f'insert or update on table '
                              f'"{child.name}" violates foreign key constraint "{name}"',
                              detail="MATCH FULL does not allow mixing of null and nonnull "
                                     "key values.", table_name=child.name,
                              constraint_name=name)
            continue
        ri.pending.append(("child", fk, key))
    try:
        ri.finish()
    except PgError as err:
        if err.sqlstate == FOREIGN_KEY_VIOLATION:
            err.message = (f'insert or update on table "{child.name}" violates foreign key '
                           f'constraint "{name}"')
        raise


def set_constraints(s: Any, raw: Any) -> QueryResult:
    """SET CONSTRAINTS {ALL | name, ...} {DEFERRED | IMMEDIATE}."""
    body = raw.body
    deferred = bool(body.get("deferred"))
    from tuskdb.engine.utility import warn_no_transaction_block
    if warn_no_transaction_block(s, "SET CONSTRAINTS"):
        return QueryResult(tag="SET CONSTRAINTS")
    names = body.get("constraints")
    if not names:
        s.constraint_modes["*"] = deferred
        s.constraint_modes = {"*": deferred}
    else:
        cat = s.catalog()
        for rv in names:
            name = rv["RangeVar"]["relname"]
            schema = rv["RangeVar"].get("schemaname")
            if schema is not None:
                nsp = cat.namespace_oid(schema)
                if nsp is None:
                    raise PgError("3F000", f'schema "{schema}" does not exist')
                found = cat.find("pg_constraint", conname=name, connamespace=nsp)
            else:
                # the first schema of search_path holding constraints of that name
                found = []
                for nsp in s.search_path_oids(cat):
                    found = cat.find("pg_constraint", conname=name, connamespace=nsp)
                    if found:
                        break
            if not found:
                raise PgError(UNDEFINED_OBJECT, f'constraint "{name}" does not exist')
            from tuskdb.catalog.rows import COLUMN_POS
            p = COLUMN_POS["pg_constraint"]
            for _, row in found:
                if not row[p["condeferrable"]]:
                    raise PgError(WRONG_OBJECT_TYPE, f'constraint "{name}" is not deferrable')
            s.constraint_modes[name] = deferred
            # a partitioned table's key: its clones too
            for _, row in found:
                for _, drow in fk_descendants(cat, row[p["oid"]]):
                    s.constraint_modes[drow[p["conname"]]] = deferred
    if not deferred:
        s.run_deferred_checks()
    return QueryResult(tag="SET CONSTRAINTS")
