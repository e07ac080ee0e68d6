"""Table inheritance: CREATE TABLE ... INHERITS, ALTER TABLE ... [NO] INHERIT.

PostgreSQL's MergeAttributes & co. (tablecmds.c, pg_inherits.c):

    create_table(INHERITS (p1, p2))
      merge_attributes(...)         parents' columns first (in parent order), merged by
                                    name; then the local columns, merged into an
                                    inherited one of the same name or appended
      store_inheritance(...)        pg_inherits rows (inhseqno = position in the list),
                                    relhassubclass on each parent
      inherited_constraints(...)    CHECK (not NO INHERIT) and NOT NULL constraints of
                                    the parents, with conislocal = false and
                                    coninhcount = the number of parents that gave them

Column bookkeeping follows pg_attribute: attinhcount counts the parents a column
comes from, attislocal says whether it was also declared locally.  A column can be
dropped only when attinhcount is 0; ALTER TABLE ... DROP COLUMN on a parent
recurses and decrements the children's counts.
"""

from __future__ import annotations

import json
from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.errors import (DATATYPE_MISMATCH, DUPLICATE_OBJECT, DUPLICATE_TABLE,
                           WRONG_OBJECT_TYPE, PgError, notice)
from tuskdb.sql.analyze.coerce import type_name

INVALID_COLUMN_DEFINITION = "42611"


def strip_locations(node: Any) -> Any:
    """A raw expression tree without its text positions, for comparing definitions."""
    if isinstance(node, dict):
        return {k: strip_locations(v) for k, v in node.items() if k != "location"}
    if isinstance(node, list):
        return [strip_locations(v) for v in node]
    return node


def same_expr(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    return strip_locations(json.loads(a)) == strip_locations(json.loads(b))


def lookup_parents(s: Any, state: Any, inh: list[dict], persistence: str,
                   is_partition: bool = False) -> list[Any]:
    from tuskdb.sql.analyze.select import lookup_relation
    parents = []
    for item in inh:
        rv = item["RangeVar"]
        rel = lookup_relation(rv, state)
        if rel.relkind == "p" and not is_partition:
            raise PgError(WRONG_OBJECT_TYPE, f'cannot inherit from partitioned table '
                          f'"{rel.name}"')
        if rel.partbound is not None and not is_partition:
            raise PgError(WRONG_OBJECT_TYPE, f'cannot inherit from partition "{rel.name}"')
        if rel.relkind not in ("r", "p", "f"):
            raise PgError(WRONG_OBJECT_TYPE, f'inherited relation "{rel.name}" is not a table '
                          f"or foreign table")
        if rel.persistence == "t" and persistence != "t":
            what = "create a permanent relation as partition of" if is_partition \
                else "inherit from"
            raise PgError(WRONG_OBJECT_TYPE, f'cannot {what} temporary relation "{rel.name}"')
        if any(p.oid == rel.oid for p in parents):
            raise PgError(DUPLICATE_TABLE, f'relation "{rel.name}" would be inherited from '
                          f"more than once")
        parents.append(rel)
    return parents


from tuskdb.sql.commands import generated  # noqa: E402


def merge_attributes(s: Any, local: list[Any], parents: list[Any], spec_cls: Any,
                     is_partition: bool = False) -> list[Any]:
    """The column list of a new child table (PostgreSQL's MergeAttributes).

    ``local`` are the ColumnSpecs written in CREATE TABLE; the result has the
    inherited columns first.  Each spec gets ``inhcount``, ``islocal`` and, for
    NOT NULL inherited from a parent, ``nn_name``/``nn_count``."""
    inherited: list[Any] = []
    by_name: dict[str, Any] = {}
    conflicting_default: set[str] = set()
    for parent in parents:
        nn = parent_not_null_names(s, parent)
        for col in parent.columns:
            if col.dropped:
                continue
            default = col.default if not col.identity else None
            ex = by_name.get(col.name)
            if ex is not None:
                s.add_notice(notice(f'merging multiple inherited definitions of column '
                                    f'"{col.name}"'))
                if ex.type_oid != col.type_oid or ex.typmod != col.typmod:
                    raise PgError(DATATYPE_MISMATCH, f'inherited column "{col.name}" has a type '
                                  f"conflict",
                                  detail=f"{type_name(ex.type_oid, ex.typmod)} versus "
                                         f"{type_name(col.type_oid, col.typmod)}")
                ex.inhcount += 1
                generated.merge_parent_generated(ex, col)
                if col.name in nn:
                    if ex.nn_name is None:
                        ex.nn_name = nn[col.name]
                    ex.nn_count += 1
                    ex.notnull = True
                if default is not None and not col.generated:
                    if ex.default is None:
                        ex.default = default
                    elif not same_expr(ex.default, default):
                        conflicting_default.add(col.name)
                continue
            c = spec_cls(col.name, col.type_oid, col.typmod)
            c.inhcount = 1
            c.islocal = False
            c.default = default
            if is_partition and col.identity:
                c.identity = col.identity     # drawing from the partitioned table's sequence
            generated.inherit_generated(c, col)
            if col.name in nn:
                c.notnull = True
                c.nn_name = nn[col.name]
                c.nn_count = 1
            inherited.append(c)
            by_name[col.name] = c
    if not inherited:
        return local
    out = list(inherited)
    for pos, c in enumerate(local, start=1):
        ex = by_name.get(c.name)
        if ex is None:
            if c.type_oid is not None:
                out.append(c)
            continue
        if not is_partition:
            at = inherited.index(ex) + 1
            if at == pos:
                s.add_notice(notice(f'merging column "{c.name}" with inherited definition'))
            else:
                s.add_notice(notice(f'moving and merging column "{c.name}" with inherited '
                                    f"definition", detail="User-specified column moved to the "
                                    "position of the inherited column."))
        if c.type_oid is not None and (c.type_oid != ex.type_oid or c.typmod != ex.typmod):
            raise PgError(DATATYPE_MISMATCH, f'column "{c.name}" has a type conflict',
                          detail=f"{type_name(ex.type_oid, ex.typmod)} versus "
                                 f"{type_name(c.type_oid, c.typmod)}")
        ex.islocal = not is_partition
        generated.merge_local_generated(ex, c)
        if c.notnull:
            if c.nn_noinherit and ex.nn_name is not None:
                raise PgError(DATATYPE_MISMATCH, f'cannot define not-null constraint with NO '
                              f'INHERIT on column "{c.name}"',
                              detail="The column has an inherited not-null constraint.")
            ex.nn_local = True
            ex.notnull = True
            ex.nn_decl = c.nn_decl
            ex.nn_conname = c.nn_conname
            ex.nn_noinherit = c.nn_noinherit
        if c.default is not None:
            ex.default = c.default
            conflicting_default.discard(c.name)
        if c.identity:
            ex.identity = c.identity
            ex.serial_seq = c.serial_seq
            ex.seq_options = c.seq_options
        elif c.serial_seq:
            ex.serial_seq = c.serial_seq
    for c in local:
        if c.type_oid is None and c.name not in by_name:
            raise PgError("42703", f'column "{c.name}" does not exist')
    generated.check_generation_conflicts(out)
    for name in conflicting_default:
        raise PgError(INVALID_COLUMN_DEFINITION, f'column "{name}" inherits conflicting '
                      f"default values",
                      hint="To resolve the conflict, specify a default explicitly.")
    return out


def parent_not_null_names(s: Any, parent: Any) -> dict[str, str]:
    """column name -> name of the parent's inheritable NOT NULL constraint on it."""
    cat = s.catalog()
    k = COLUMN_POS["pg_constraint"]
    out = {}
    for _, r in cat.find("pg_constraint", conrelid=parent.oid, contype="n"):
        if r[k["connoinherit"]]:
            continue
        keys = r[k["conkey"]]
        if keys:
            col = next((c for c in parent.columns if c.attnum == keys[0]), None)
            if col is not None:
                out[col.name] = r[k["conname"]]
    return out


def parent_checks(s: Any, parents: list[Any]) -> list[list]:
    """[name, conbin, count] of the CHECK constraints the parents pass down."""
    out: list[list] = []
    for parent in parents:
        for ch in parent.checks:
            if ch.noinherit:
                continue
            ex = next((x for x in out if x[0] == ch.name), None)
            if ex is not None:
                if not same_expr(ex[1], ch.expr):
                    raise PgError(DUPLICATE_OBJECT, f'check constraint name "{ch.name}" appears '
                                  f"multiple times but with different expressions")
                ex[2] += 1
                ex[3] = ex[3] or ch.enforced     # enforced if any parent enforces it
                continue
            out.append([ch.name, ch.expr, 1, ch.enforced])
    return out


def store_inheritance(cat: Any, reloid: int, parents: list[Any]) -> None:
    """pg_inherits rows of a new child and relhassubclass on its parents."""
    for seq, parent in enumerate(parents, start=1):
        add_inherits_row(cat, reloid, parent.oid, seq)


def add_inherits_row(cat: Any, child: int, parent: int, seqno: int) -> None:
    cat.insert("pg_inherits", make_row("pg_inherits", inhrelid=child, inhparent=parent,
                                       inhseqno=seqno, inhdetachpending=False))
    p = COLUMN_POS["pg_class"]["relhassubclass"]
    for tid, row in cat.find("pg_class", oid=parent):
        if not row[p]:
            cat.update("pg_class", tid, replace("pg_class", row, relhassubclass=True))


def find_all_inheritors(cat: Any, oid: int) -> list[int]:
    """The relation and all its descendants, each once, level by level
    (PostgreSQL's find_all_inheritors order: children of a relation by OID)."""
    out = [oid]
    seen = {oid}
    i = 0
    while i < len(out):
        rel = cat.relation_by_oid(out[i])
        i += 1
        if rel is None:
            continue
        for ch in rel.children:
            if ch not in seen:
                seen.add(ch)
                out.append(ch)
    return out


def inheritance_dependents(cat: Any, roots: list[int]) -> list[tuple[int, int]]:
    """The descendants a DROP of ``roots`` takes along, as (oid, parent it was reached
    from), in the order PostgreSQL reports them: findDependentObjects visits the
    dependents of an object by descending OID and records each after its own
    dependents; the report walks that list backwards."""
    post: list[tuple[int, int]] = []
    seen = set(roots)

    def visit(oid: int) -> None:
        rel = cat.relation_by_oid(oid)
        if rel is None:
            return
        for ch in sorted(rel.children, reverse=True):
            if ch in seen:
                continue
            seen.add(ch)
            visit(ch)
            post.append((ch, oid))
    for r in roots:
        visit(r)
    return list(reversed(post))


# -- ALTER TABLE ... INHERIT / NO INHERIT ----------------------------------------------------


def _attr_rows(cat: Any, relid: int) -> dict[str, tuple]:
    p = COLUMN_POS["pg_attribute"]
    return {r[p["attname"]]: (tid, r) for tid, r in cat.find("pg_attribute", attrelid=relid)
            if r[p["attnum"]] > 0 and not r[p["attisdropped"]]}


def _constraint_rows(cat: Any, relid: int, contype: str) -> list[tuple]:
    return cat.find("pg_constraint", conrelid=relid, contype=contype)


def at_add_inherit(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    """ALTER TABLE child INHERIT parent (PostgreSQL's ATExecAddInherit)."""
    from tuskdb.sql.analyze.select import lookup_relation
    parent = lookup_relation(cmd["def"]["RangeVar"], state, False)
    attach_parent(s, cat, rel, parent, is_partition=False)


def attach_parent(s: Any, cat: Any, rel: Any, parent: Any, is_partition: bool) -> None:
    """Make ``rel`` a child of ``parent``: its columns and constraints must match the
    parent's (MergeAttributesIntoExisting / MergeConstraintsIntoExisting)."""
    if not is_partition:
        if rel.partbound is not None:
            raise PgError(WRONG_OBJECT_TYPE, "cannot change inheritance of a partition")
        if rel.relkind == "p":
            raise PgError(WRONG_OBJECT_TYPE, "cannot change inheritance of partitioned table")
        if parent.relkind == "p":
            raise PgError(WRONG_OBJECT_TYPE, f'cannot inherit from partitioned table '
                          f'"{parent.name}"')
        if parent.partbound is not None:
            raise PgError(WRONG_OBJECT_TYPE, f'cannot inherit from a partition')
    if parent.persistence == "t" and rel.persistence != "t":
        raise PgError(WRONG_OBJECT_TYPE, f'cannot inherit from temporary relation '
                      f'"{parent.name}"')
    if parent.oid in rel.parents:
        raise PgError(DUPLICATE_TABLE, f'relation "{parent.name}" would be inherited from more '
                      f"than once")
    # the parent must not be the table or one of its descendants (a diamond is fine)
    if parent.oid == rel.oid or parent.oid in find_all_inheritors(cat, rel.oid):
        raise PgError(DUPLICATE_TABLE, "circular inheritance not allowed",
                      detail=f'"{parent.name}" is already a child of "{rel.name}".')
    p = COLUMN_POS["pg_attribute"]
    mine = _attr_rows(cat, rel.oid)
    nn_parent = parent_not_null_names(s, parent)
    for col in parent.columns:
        if col.dropped:
            continue
        found = mine.get(col.name)
        if found is None:
            raise PgError(DATATYPE_MISMATCH, f'child table is missing column "{col.name}"')
        tid, row = found
        if row[p["atttypid"]] != col.type_oid or row[p["atttypmod"]] != col.typmod:
            raise PgError(DATATYPE_MISMATCH, f'child table "{rel.name}" has different type for '
                          f'column "{col.name}"')
        if col.name in nn_parent and not row[p["attnotnull"]]:
            raise PgError(DATATYPE_MISMATCH, f'column "{col.name}" in child table "{rel.name}" '
                          f"must be marked NOT NULL")
    if is_partition:
        names = {c.name for c in parent.columns if not c.dropped}
        for name in mine:
            if name not in names:
                raise PgError(DATATYPE_MISMATCH, f'table "{rel.name}" contains column "{name}" '
                              f'not found in parent "{parent.name}"',
                              detail="The new partition may contain only the columns present "
                                     "in parent.")
    k = COLUMN_POS["pg_constraint"]
    child_checks = {r[k["conname"]]: (tid, r) for tid, r in _constraint_rows(cat, rel.oid, "c")}
    updates = []
    for ch in parent.checks:
        if ch.noinherit:
            continue
        found = child_checks.get(ch.name)
        if found is None:
            raise PgError(DATATYPE_MISMATCH, f'child table is missing constraint "{ch.name}"')
        tid, row = found
        if not same_expr(row[k["conbin"]], ch.expr):
            raise PgError(DATATYPE_MISMATCH, f'child table "{rel.name}" has different definition '
                          f'for check constraint "{ch.name}"')
        if ch.enforced and not row[k["conenforced"]]:
            raise PgError("42P17", f'constraint "{ch.name}" conflicts with NOT ENFORCED '
                          f'constraint on child table "{rel.name}"')
        if row[k["connoinherit"]]:
            raise PgError("42P17", f'constraint "{ch.name}" conflicts with non-inherited '
                          f'constraint on child table "{rel.name}"')
        updates.append((tid, row))
    for tid, row in updates:
        cat.update("pg_constraint", tid, replace(
            "pg_constraint", row, coninhcount=row[k["coninhcount"]] + 1,
            conislocal=row[k["conislocal"]] and not is_partition))
    # NOT NULL constraints of the child on the parent's not-null columns: a valid one of
    # the parent's cannot sit on a NOT VALID one of the child's
    parent_valid = {}
    for _, r in _constraint_rows(cat, parent.oid, "n"):
        pcol = next((c.name for c in parent.columns if r[k["conkey"]] and
                     c.attnum == r[k["conkey"]][0]), None)
        parent_valid[pcol] = r[k["convalidated"]]
    nn_updates = []
    for tid, row in _constraint_rows(cat, rel.oid, "n"):
        keys = row[k["conkey"]] or ()
        colname = next((n for n, (_, r) in mine.items() if keys and r[p["attnum"]] == keys[0]),
                       None)
        if colname in nn_parent:
            if row[k["connoinherit"]]:
                raise PgError("42P17", f'constraint "{row[k["conname"]]}" conflicts with '
                              f'non-inherited constraint on child table "{rel.name}"')
            if parent_valid.get(colname) and not row[k["convalidated"]]:
                raise PgError("42P17", f'constraint "{row[k["conname"]]}" conflicts with NOT '
                              f'VALID constraint on child table "{rel.name}"')
            nn_updates.append((tid, row))
    for tid, row in nn_updates:
        cat.update("pg_constraint", tid, replace(
            "pg_constraint", row, coninhcount=row[k["coninhcount"]] + 1,
            conislocal=row[k["conislocal"]] and not is_partition))
    for col in parent.columns:
        if col.dropped:
            continue
        tid, row = mine[col.name]
        cat.update("pg_attribute", tid, replace(
            "pg_attribute", row, attinhcount=row[p["attinhcount"]] + 1,
            attislocal=row[p["attislocal"]] and not is_partition))
    h = COLUMN_POS["pg_inherits"]
    seq = max([r[h["inhseqno"]] for _, r in cat.find("pg_inherits", inhrelid=rel.oid)],
              default=0) + 1
    add_inherits_row(cat, rel.oid, parent.oid, seq)


def at_drop_inherit(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    """ALTER TABLE child NO INHERIT parent."""
    from tuskdb.sql.analyze.select import lookup_relation
    parent = lookup_relation(cmd["def"]["RangeVar"], state, False)
    if rel.partbound is not None:
        raise PgError(WRONG_OBJECT_TYPE, "cannot change inheritance of a partition")
    if rel.relkind == "p":
        raise PgError(WRONG_OBJECT_TYPE, "cannot change inheritance of partitioned table")
    detach_parent(s, cat, rel, parent)


def detach_parent(s: Any, cat: Any, rel: Any, parent: Any) -> None:
    """Undo attach_parent: counts drop, what reaches 0 becomes local."""
    if parent.oid not in rel.parents:
        raise PgError("42P01", f'relation "{parent.name}" is not a parent of relation '
                      f'"{rel.name}"')
    p = COLUMN_POS["pg_attribute"]
    mine = _attr_rows(cat, rel.oid)
    for col in parent.columns:
        if col.dropped or col.name not in mine:
            continue
        tid, row = mine[col.name]
        n = max(row[p["attinhcount"]] - 1, 0)
        cat.update("pg_attribute", tid, replace("pg_attribute", row, attinhcount=n,
                                                attislocal=row[p["attislocal"]] or n == 0))
    k = COLUMN_POS["pg_constraint"]
    names = {ch.name for ch in parent.checks if not ch.noinherit}
    nn_parent = parent_not_null_names(s, parent)
    for tid, row in cat.find("pg_constraint", conrelid=rel.oid):
        ct = row[k["contype"]]
        hit = ct == "c" and row[k["conname"]] in names
        if ct == "n":
            keys = row[k["conkey"]] or ()
            colname = next((n for n, (_, r) in mine.items()
                            if keys and r[p["attnum"]] == keys[0]), None)
            hit = colname in nn_parent
        if hit and row[k["coninhcount"]] > 0:
            n = row[k["coninhcount"]] - 1
            cat.update("pg_constraint", tid, replace(
                "pg_constraint", row, coninhcount=n, conislocal=row[k["conislocal"]] or n == 0))
    cat.delete_where("pg_inherits", inhrelid=rel.oid, inhparent=parent.oid)


# -- ALTER TABLE subcommands that recurse to children ------------------------------------------

INVALID_TABLE_DEFINITION = "42P16"


def _children(cat: Any, rel: Any) -> list[Any]:
    out = []
    for oid in rel.children:
        child = cat.relation_by_oid(oid)
        if child is not None:
            out.append(child)
    return out


def drop_constraint(s: Any, cat: Any, rel: Any, cmd: dict, recurse: bool, drop_one: Any,
                    recursing: bool = False) -> None:
    """DROP CONSTRAINT: an inherited constraint cannot be dropped; dropping one of a
    parent drops it from children that only inherit it, else decrements their count."""
    name = cmd["name"]
    k = COLUMN_POS["pg_constraint"]
    found = cat.find("pg_constraint", conrelid=rel.oid, conname=name)
    contype = found[0][1][k["contype"]] if found else None
    if found and not recursing and found[0][1][k["coninhcount"]] > 0:
        raise PgError(INVALID_TABLE_DEFINITION, f'cannot drop inherited constraint "{name}" of '
                      f'relation "{rel.name}"')
    noinherit = bool(found) and found[0][1][k["connoinherit"]]
    drop_one(s, cat, rel, name, cmd.get("missing_ok", False),
             cascade=cmd.get("behavior") == "DROP_CASCADE")
    if contype not in ("c", "n") or noinherit:
        return
    cat.command_counter_increment()
    for child in _children(cat, rel):
        for tid, row in cat.find("pg_constraint", conrelid=child.oid, conname=name):
            n = row[k["coninhcount"]]
            if recurse and n == 1 and not row[k["conislocal"]]:
                drop_constraint(s, cat, child, dict(cmd, missing_ok=False), recurse, drop_one,
                                recursing=True)
            else:
                cat.update("pg_constraint", tid, replace(
                    "pg_constraint", row, coninhcount=max(n - 1, 0),
                    conislocal=row[k["conislocal"]] or not recurse))
        cat.command_counter_increment()


def drop_column(s: Any, cat: Any, rel: Any, cmd: dict, recurse: bool, drop_one: Any,
                recursing: bool = False) -> None:
    """DROP COLUMN with PostgreSQL's inheritance rules."""
    name = cmd["name"]
    p = COLUMN_POS["pg_attribute"]
    rows = _attr_rows(cat, rel.oid)
    found = rows.get(name)
    if found is not None and not recursing and found[1][p["attinhcount"]] > 0:
        raise PgError(INVALID_TABLE_DEFINITION, f'cannot drop inherited column "{name}"')
    if found is not None and rel.partkey is not None and \
            found[1][p["attnum"]] in rel.partkey.attnums:
        raise PgError("42P16", f'cannot drop column "{name}" because it is part of the '
                      f'partition key of relation "{rel.name}"')
    drop_one(s, cat, rel, name, cmd.get("missing_ok", False),
             cmd.get("behavior") == "DROP_CASCADE")
    if found is None:
        return
    cat.command_counter_increment()
    for child in _children(cat, rel):
        crow = _attr_rows(cat, child.oid).get(name)
        if crow is None:
            continue
        tid, row = crow
        n = row[p["attinhcount"]]
        if recurse and n == 1 and not row[p["attislocal"]]:
            drop_column(s, cat, child, dict(cmd, missing_ok=False), recurse, drop_one,
                        recursing=True)
        else:
            cat.update("pg_attribute", tid, replace(
                "pg_attribute", row, attinhcount=max(n - 1, 0),
                attislocal=row[p["attislocal"]] or not recurse))
        cat.command_counter_increment()


def add_column(s: Any, cat: Any, rel: Any, cmd: dict, state: Any, recurse: bool,
               add_one: Any, recursing: bool = False) -> None:
    """ADD COLUMN on a table with children adds (or merges) it in every child."""
    cd = cmd["def"]["ColumnDef"]
    name = cd["colname"]
    children = _children(cat, rel)
    if children and not recurse and not recursing:
        raise PgError(INVALID_TABLE_DEFINITION, "column must be added to child tables too")
    if children and recurse and not recursing and rel.relkind != "p" and any(
            c["Constraint"]["contype"] == "CONSTR_IDENTITY" for c in cd.get("constraints") or []):
        raise PgError(INVALID_TABLE_DEFINITION, "cannot recursively add identity column to "
                      "table that has child tables")
    p = COLUMN_POS["pg_attribute"]
    if recursing:
        existing = _attr_rows(cat, rel.oid).get(name)
        if existing is not None:
            from tuskdb.sql.analyze.expr import resolve_type_name
            tid, row = existing
            t, m = resolve_type_name(cd["typeName"], state)
            if row[p["atttypid"]] != t or row[p["atttypmod"]] != m:
                raise PgError(DATATYPE_MISMATCH, f'child table "{rel.name}" has different type '
                              f'for column "{name}"')
            s.add_notice(notice(f'merging definition of column "{name}" for child '
                                f'"{rel.name}"'))
            cat.update("pg_attribute", tid, replace(
                "pg_attribute", row, attinhcount=row[p["attinhcount"]] + 1))
            cat.command_counter_increment()
            return
    before = set(_attr_rows(cat, rel.oid))
    k = COLUMN_POS["pg_constraint"]
    checks_before = {r[k["oid"]] for _, r in cat.find("pg_constraint", conrelid=rel.oid)}
    add_one(s, cat, rel, cd, state, cmd.get("missing_ok", False))
    cat.command_counter_increment()
    new_checks = [r for _, r in cat.find("pg_constraint", conrelid=rel.oid)
                  if r[k["oid"]] not in checks_before and r[k["contype"]] == "c"
                  and not r[k["connoinherit"]]]
    nn_rows = [(tid, r) for tid, r in cat.find("pg_constraint", conrelid=rel.oid, contype="n")
               if r[k["oid"]] not in checks_before]
    if recursing:
        for n, (tid, row) in _attr_rows(cat, rel.oid).items():
            if n == name and n not in before:
                cat.update("pg_attribute", tid, replace(
                    "pg_attribute", row, attinhcount=1, attislocal=False))
        for tid, r in nn_rows:      # the parent's NOT NULL constraint, inherited
            cat.update("pg_constraint", tid, replace("pg_constraint", r, conislocal=False,
                                                     coninhcount=1))
        cat.command_counter_increment()
    if name in before:
        return          # IF NOT EXISTS skipped it
    child_cd = dict(cd)
    # constraints that do not belong in the children: keys and identity
    child_cd["constraints"] = [c for c in cd.get("constraints") or []
                               if c["Constraint"]["contype"] not in
                               ("CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_IDENTITY",
                                "CONSTR_CHECK", "CONSTR_NOTNULL")]
    if rel.relkind == "p":
        # partitions take the identity too, drawing from the partitioned table's sequence
        child_cd["constraints"] += [
            {"Constraint": dict(c["Constraint"], partition_identity=True)}
            for c in cd.get("constraints") or []
            if c["Constraint"]["contype"] == "CONSTR_IDENTITY"]
    if nn_rows:
        # the children's copies carry the parent's constraint name
        child_cd["constraints"].append({"Constraint": {
            "contype": "CONSTR_NOTNULL", "conname": nn_rows[0][1][k["conname"]]}})
        child_cd.pop("is_not_null", None)
    for child in children:
        add_column(s, cat, cat.relation_by_oid(child.oid),
                   {"def": {"ColumnDef": child_cd}, "missing_ok": False}, state, recurse,
                   add_one, recursing=True)
        for r in new_checks:
            con = {"contype": "CONSTR_CHECK", "conname": r[k["conname"]],
                   "raw_expr": json.loads(r[k["conbin"]]), "is_enforced": r[k["conenforced"]]}
            add_check_constraint(s, cat, cat.relation_by_oid(child.oid), con, state, recurse,
                                 _add_constraint_fn(), recursing=True)


def add_check_constraint(s: Any, cat: Any, rel: Any, con: dict, state: Any, recurse: bool,
                         add_one: Any, recursing: bool = False) -> None:
    """ADD CONSTRAINT ... CHECK on a parent adds (or merges) it in every child."""
    k = COLUMN_POS["pg_constraint"]
    name = con.get("conname")
    expr = json.dumps(con["raw_expr"])
    enforced = bool(con.get("is_enforced"))
    if recursing and name:
        for tid, row in cat.find("pg_constraint", conrelid=rel.oid, conname=name):
            if row[k["contype"]] != "c" or not same_expr(row[k["conbin"]], expr):
                raise PgError(DUPLICATE_OBJECT, f'constraint "{name}" for relation '
                              f'"{rel.name}" already exists')
            # an ENFORCED (valid) parent constraint cannot sit on a NOT ENFORCED (NOT
            # VALID) one of the child (MergeWithExistingConstraint)
            if enforced and not row[k["conenforced"]]:
                raise PgError("42P17", f'constraint "{name}" conflicts with NOT ENFORCED '
                              f'constraint on relation "{rel.name}"')
            if enforced and not con.get("skip_validation") and not row[k["convalidated"]]:
                raise PgError("42P17", f'constraint "{name}" conflicts with NOT VALID '
                              f'constraint on relation "{rel.name}"')
            s.add_notice(notice(f'merging constraint "{name}" with inherited definition'))
            cat.update("pg_constraint", tid, replace(
                "pg_constraint", row, coninhcount=row[k["coninhcount"]] + 1,
                conislocal=row[k["conislocal"]] and rel.partbound is None))
            cat.command_counter_increment()
            return
    if name and not recursing:
        for tid, row in cat.find("pg_constraint", conrelid=rel.oid, conname=name):
            if row[k["contype"]] == "c" and same_expr(row[k["conbin"]], expr) and \
                    row[k["coninhcount"]] > 0:
                # a local definition of an inherited constraint
                if not enforced and row[k["conenforced"]]:
                    raise PgError("42P17", f'constraint "{name}" conflicts with NOT ENFORCED '
                                  f'constraint on relation "{rel.name}"')
                s.add_notice(notice(f'merging constraint "{name}" with inherited definition'))
                upgrade = enforced and not row[k["conenforced"]]
                cat.update("pg_constraint", tid, replace(
                    "pg_constraint", row, conislocal=True,
                    conenforced=row[k["conenforced"]] or enforced,
                    convalidated=row[k["convalidated"]] or upgrade))
                cat.command_counter_increment()
                if upgrade and rel.relkind != "p":
                    from tuskdb.sql.commands.constraintcmds import check_existing_rows
                    check_existing_rows(s, cat, cat.relation_by_oid(rel.oid), name)
                return
            raise PgError(DUPLICATE_OBJECT, f'constraint "{name}" for relation "{rel.name}" '
                          f"already exists")
    children = _children(cat, rel)
    noinherit = bool(con.get("is_no_inherit"))
    if noinherit and rel.relkind == "p":
        raise PgError(INVALID_TABLE_DEFINITION, f'cannot add NO INHERIT constraint to '
                      f'partitioned table "{rel.name}"')
    if children and not recurse and not recursing and not noinherit:
        raise PgError(INVALID_TABLE_DEFINITION, "constraint must be added to child tables too")
    before = {r[k["oid"]] for _, r in cat.find("pg_constraint", conrelid=rel.oid)}
    add_one(s, cat, rel, con, state)
    cat.command_counter_increment()
    new = [(tid, r) for tid, r in cat.find("pg_constraint", conrelid=rel.oid)
           if r[k["oid"]] not in before]
    if not new:
        return
    tid, row = new[0]
    if recursing or noinherit:
        cat.update("pg_constraint", tid, replace(
            "pg_constraint", row, coninhcount=1 if recursing else row[k["coninhcount"]],
            conislocal=not recursing, connoinherit=noinherit))
        cat.command_counter_increment()
    if noinherit:
        return
    child_con = dict(con, conname=row[k["conname"]])
    for child in children:
        add_check_constraint(s, cat, cat.relation_by_oid(child.oid), child_con, state, recurse,
                             add_one, recursing=True)


def _add_constraint_fn() -> Any:
    from tuskdb.sql.commands.tablecmds import _add_constraint
    return _add_constraint


def set_not_null(s: Any, cat: Any, rel: Any, colname: str, recurse: bool, set_one: Any,
                 recursing: bool = False, conname: str | None = None) -> None:
    """ALTER COLUMN ... SET NOT NULL on a table with children: the children get the
    constraint too (named like the parent's, inherited), or count it once more."""
    p = COLUMN_POS["pg_attribute"]
    k = COLUMN_POS["pg_constraint"]
    found = _attr_rows(cat, rel.oid).get(colname)
    if found is None:
        set_one(s, cat, rel, colname, True)        # its own error message
        return
    tid, row = found
    attnum = row[p["attnum"]]

    def nn_row() -> tuple | None:
        for ctid, con in cat.find("pg_constraint", conrelid=rel.oid, contype="n"):
            if con[k["conkey"]] and list(con[k["conkey"]]) == [attnum]:
                return ctid, con
        return None
    existing = nn_row()
    if recursing and existing is not None:
        ctid, con = existing
        cat.update("pg_constraint", ctid, replace("pg_constraint", con,
                                                   coninhcount=con[k["coninhcount"]] + 1))
    elif recursing:
        if rel.relkind != "p":
            from tuskdb.engine.context import ExecContext
            ctx = ExecContext(s, s.txn, s.txn.snapshot())
            for _, values in ctx.heap(rel).scan(ctx.snapshot):
                if values[attnum - 1] is None:
                    raise PgError("23502", f'column "{colname}" of relation "{rel.name}" '
                                  f"contains null values", table_name=rel.name,
                                  column_name=colname)
        from tuskdb.sql.commands.tablecmds import _insert_constraint
        cat.update("pg_attribute", tid, replace("pg_attribute", row, attnotnull=True))
        _insert_constraint(cat, conname, rel.namespace, "n", rel.oid, [attnum],
                           conislocal=False, coninhcount=1)
    elif rel.relkind == "p":
        if existing is None:
            from tuskdb.sql.commands.tablecmds import _insert_constraint, choose_name
            cat.update("pg_attribute", tid, replace("pg_attribute", row, attnotnull=True))
            _insert_constraint(cat, choose_name(cat, rel.namespace, f"{rel.name}_{colname}",
                                                "not_null"), rel.namespace, "n", rel.oid,
                               [attnum])
    else:
        set_one(s, cat, rel, colname, True)
    cat.command_counter_increment()
    if not recurse and rel.relkind != "p":
        return
    mine = nn_row()
    name = mine[1][k["conname"]] if mine else conname
    if recursing and existing is not None:
        return          # the children already count it
    for child in _children(cat, rel):
        set_not_null(s, cat, cat.relation_by_oid(child.oid), colname, True, set_one,
                     recursing=True, conname=name)


def _in_partition_key(key: Any, attnum: int, name: str) -> bool:
    """Whether a partition key uses a column, as a key column or in a key expression."""
    if attnum in key.attnums:
        return True

    def refers(node: Any) -> bool:
        if isinstance(node, dict):
            ref = node.get("ColumnRef")
            if ref is not None:
                fields = ref.get("fields") or []
                last = fields[-1] if fields else {}
                return isinstance(last, dict) and last.get("String", {}).get("sval") == name
            return any(refers(v) for v in node.values())
        if isinstance(node, list):
            return any(refers(v) for v in node)
        return False

    import json
    return any(refers(json.loads(e) if isinstance(e, str) else e) for e in key.exprs)


def alter_column_type(s: Any, cat: Any, rel: Any, cmd: dict, state: Any, recurse: bool,
                      alter_one: Any) -> None:
    """ALTER COLUMN ... TYPE over an inheritance tree: an inherited column changes only
    from its parent, then in every descendant once; a descendant that also inherits the
    column from a table outside the tree refuses (PostgreSQL's numparents check)."""
    name = cmd["name"]
    p = COLUMN_POS["pg_attribute"]
    found = _attr_rows(cat, rel.oid).get(name)
    cd = (cmd.get("def") or {}).get("ColumnDef") or {}
    if found is not None and found[1][p["attinhcount"]] > 0:
        raise PgError(INVALID_TABLE_DEFINITION, f'cannot alter inherited column "{name}"',
                      position=state.pos(cd.get("location")))
    tree = find_all_inheritors(cat, rel.oid)
    # a partition key column keeps its type, in the table named and in every
    # sub-partitioned descendant (the key's operator class depends on it)
    for oid in tree:
        member = cat.relation_by_oid(oid)
        row = _attr_rows(cat, oid).get(name)
        if member.partkey is not None and row is not None and \
                _in_partition_key(member.partkey, row[1][p["attnum"]], name):
            raise PgError(INVALID_TABLE_DEFINITION, f'cannot alter column "{name}" because it '
                          f'is part of the partition key of relation "{member.name}"',
                          position=state.pos(cd.get("location")))
    if len(tree) > 1 and found is not None and not recurse:
        raise PgError(INVALID_TABLE_DEFINITION, f'type of inherited column "{name}" must be '
                      f"changed in child tables too")
    members = set(tree)
    for oid in tree[1:]:
        child = cat.relation_by_oid(oid)
        crow = _attr_rows(cat, oid).get(name)
        if crow is None:
            continue
        numparents = sum(1 for par in child.parents if par in members)
        if crow[1][p["attinhcount"]] > numparents:
            raise PgError(INVALID_TABLE_DEFINITION, f'cannot alter inherited column "{name}" '
                          f'of relation "{child.name}"')
    for oid in tree:
        alter_one(s, cat, cat.relation_by_oid(oid), cmd, state)
        cat.command_counter_increment()


def rename_column(s: Any, cat: Any, rel: Any, old: str, new: str, recurse: bool,
                  rename_in_expressions: Any) -> None:
    """ALTER TABLE ... RENAME COLUMN over an inheritance tree (renameatt): an inherited
    column is renamed only from the top, in every descendant at once."""
    p = COLUMN_POS["pg_attribute"]
    found = _attr_rows(cat, rel.oid).get(old)
    if found is None:
        raise PgError("42703", f'column "{old}" does not exist')
    if found[1][p["attinhcount"]] > 0:
        raise PgError(INVALID_TABLE_DEFINITION, f'cannot rename inherited column "{old}"')
    tree = find_all_inheritors(cat, rel.oid)
    if len(tree) > 1 and not recurse:
        raise PgError(INVALID_TABLE_DEFINITION, f'inherited column "{old}" must be renamed in '
                      f"child tables too")
    members = set(tree)
    for oid in tree[1:]:
        child = cat.relation_by_oid(oid)
        crow = _attr_rows(cat, oid).get(old)
        if crow is None:
            continue
        numparents = sum(1 for par in child.parents if par in members)
        if crow[1][p["attinhcount"]] > numparents:
            raise PgError(INVALID_TABLE_DEFINITION, f'cannot rename inherited column "{old}"')
    # PostgreSQL renames in the descendants first, then in the table named
    for oid in tree[1:] + tree[:1]:
        r = cat.relation_by_oid(oid)
        rows = _attr_rows(cat, oid)
        if old not in rows:
            continue
        if new in ("tableoid", "cmax", "xmax", "cmin", "xmin", "ctid"):
            raise PgError("42701", f'column name "{new}" conflicts with a system column name')
        if new in rows:
            raise PgError("42701", f'column "{new}" of relation "{r.name}" already exists')
        tid, row = rows[old]
        cat.update("pg_attribute", tid, replace("pg_attribute", row, attname=new))
        rename_in_expressions(cat, oid, old, new)
    cat.command_counter_increment()
