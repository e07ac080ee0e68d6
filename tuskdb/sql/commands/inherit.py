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
                if col.name in nn:
                    if ex.nn_name is None:
                        ex.nn_name = nn[col.name]
                    ex.nn_count += 1
                    ex.notnull = True
                if default is not None:
                    if ex.default is None:
                        ex.default = default
                    elif not same_expr(ex.default, default):
                        conflicting_default.add(col.name)
                continue
            c = spec_cls(col.name, col.type_oid, col.typmod)
            c.inhcount = 1
            c.islocal = False
            c.default = default
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
        if c.notnull:
            ex.nn_local = True
            ex.notnull = True
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
                continue
            out.append([ch.name, ch.expr, 1])
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
