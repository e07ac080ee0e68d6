"""Exclusion constraints: no two live rows whose key columns all satisfy the
constraint's operators (PostgreSQL's check_exclusion_or_unique_constraint).

TuskDB builds them for PRIMARY KEY / UNIQUE (..., col WITHOUT OVERLAPS): the
operators are ``=`` on the leading columns and ``&&`` on the last (a range or
multirange).  PostgreSQL keeps such an index in GiST; here it is catalogued as
GiST (pg_class.relam 783, pg_index.indisexclusion) but stored in the ordered
key structure every index uses, keyed on all its columns.  The leading run of
``=`` operators is then a key prefix, so the conflict search is a prefix scan
of the index; the other operators are evaluated on each candidate.

    check_exclusion(rel, ix, values, tid, ctx, heap)
      key values (NULL in any column: no conflict is possible)
      WITHOUT OVERLAPS: an empty range/multirange is refused (23514)
      BTree.find_exclusion_conflict(prefix of the "=" columns)
        candidates: live per the dirty snapshot, in-progress ones waited for
        conflicts(tuple): every operator holds between the two keys
      conflict -> 23P01 "conflicting key value violates exclusion constraint"

During an index build (CREATE TABLE / ALTER TABLE ADD CONSTRAINT over existing
rows) the index is filled first, then every row is checked against it in heap
order, with "could not create exclusion constraint" (PostgreSQL's
IndexCheckExclusion).
"""

from __future__ import annotations

from typing import Any, Callable

from tuskdb import types
from tuskdb.errors import CHECK_VIOLATION, EXCLUSION_VIOLATION, PgError
from tuskdb.sql.execute.indexkeys import index_key
from tuskdb.types.builtins import OPERATORS_BY_OID


def is_without_overlaps(ix: Any) -> bool:
    """A PRIMARY KEY / UNIQUE constraint WITHOUT OVERLAPS (its index is unique and an
    exclusion index; a plain EXCLUDE constraint's index is not unique)."""
    return bool(ix.exclusion_ops) and ix.unique


def _operators(ix: Any) -> tuple[int, list[Callable[[Any, Any, Any], Any]]]:
    """(number of leading "=" operators, one callable (a, b, ctx) per key column)."""
    fns: list[Callable[[Any, Any, Any], Any]] = []
    prefix = 0
    leading = True
    for oid in ix.exclusion_ops:
        op = OPERATORS_BY_OID[oid]
        f = op.func
        if op.needs_ctx:
            fns.append(lambda a, b, ctx, f=f: f(ctx.types, a, b))
        else:
            fns.append(lambda a, b, ctx, f=f: f(a, b))
        if leading and op.name == "=":
            prefix += 1
        else:
            leading = False
    return prefix, fns


def _is_empty(v: Any) -> bool:
    if isinstance(v, types.Range):
        return v.empty
    return not getattr(v, "ranges", True)


def check_exclusion(rel: Any, ix: Any, values: tuple, tid: int, ctx: Any, heap: Any,
                    building: bool = False) -> None:
    """Refuse the row ``values`` (stored at ``tid``) if a live row conflicts with it."""
    ik = index_key(rel, ix, ctx.session)
    if ik.pred is not None and not ik.pred(values, ctx):
        return
    keyvals = ik.fn(values, ctx)
    if is_without_overlaps(ix) and keyvals[-1] is not None and _is_empty(keyvals[-1]):
        raise PgError(CHECK_VIOLATION, f'empty WITHOUT OVERLAPS value found in column '
                      f'"{ik.names[-1]}" in relation "{rel.name}"')
    if None in keyvals:
        return                       # NULL never satisfies an operator: no conflict
    nprefix, ops = _operators(ix)
    ktypes = ik.types
    prefix = types.encode_key(keyvals[:nprefix], ktypes[:nprefix],
                              list(ix.descending[:nprefix]), list(ix.nulls_first[:nprefix]))

    def conflicts(tup: Any) -> bool:
        other = ik.fn(tuple(tup.values), ctx)
        if None in other:
            return False
        return all(f(a, b, ctx) is True for f, a, b in zip(ops, keyvals, other))

    found = ctx.btree(ix).find_exclusion_conflict(ctx.txn, prefix, heap, tid, conflicts)
    if not found:
        return
    other = ik.fn(tuple(heap.get_tuple(found).values), ctx)
    cols = ", ".join(ik.names)

    def shown(vals: tuple) -> str:
        return ", ".join("null" if v is None else types.TYPES[t].output(v, ctx.types)
                         for v, t in zip(vals, ktypes))
    name = ix.constraint_name or ix.name
    if building:
        raise PgError(EXCLUSION_VIOLATION, f'could not create exclusion constraint "{name}"',
                      detail=f"Key ({cols})=({shown(keyvals)}) conflicts with key "
                             f"({cols})=({shown(other)}).",
                      schema_name=rel.nspname, table_name=rel.name, constraint_name=name)
    raise PgError(EXCLUSION_VIOLATION, f'conflicting key value violates exclusion constraint '
                  f'"{name}"',
                  detail=f"Key ({cols})=({shown(keyvals)}) conflicts with existing key "
                         f"({cols})=({shown(other)}).",
                  schema_name=rel.nspname, table_name=rel.name, constraint_name=name)


def find_exclusion_conflict(rel: Any, ix: Any, values: tuple, ctx: Any, heap: Any) -> int:
    """TID of a live row conflicting with ``values`` (0 if none): INSERT ... ON CONFLICT
    DO NOTHING's pre-check against an exclusion constraint."""
    ik = index_key(rel, ix, ctx.session)
    if ik.pred is not None and not ik.pred(values, ctx):
        return 0
    keyvals = ik.fn(values, ctx)
    if None in keyvals:
        return 0
    nprefix, ops = _operators(ix)
    prefix = types.encode_key(keyvals[:nprefix], ik.types[:nprefix],
                              list(ix.descending[:nprefix]), list(ix.nulls_first[:nprefix]))

    def conflicts(tup: Any) -> bool:
        other = ik.fn(tuple(tup.values), ctx)
        return None not in other and all(f(a, b, ctx) is True
                                          for f, a, b in zip(ops, keyvals, other))
    return ctx.btree(ix).find_exclusion_conflict(ctx.txn, prefix, heap, 0, conflicts)


def recheck_exclusion(ctx: Any, ix: Any, reloid: int, tid: int) -> None:
    """A deferrable exclusion constraint's check of one inserted row version, at the end
    of the statement or at COMMIT: nothing to do if that version is gone (deleted or
    updated since; its successor was queued itself)."""
    rel = ctx.session.catalog().relation_by_oid(reloid)
    if rel is None:
        return
    ix = next((i for i in rel.indexes if i.oid == ix.oid), None)
    if ix is None:
        return                      # the constraint was dropped meanwhile
    heap = ctx.heap(rel)
    values = heap.fetch(ctx.txn.snapshot(), tid)      # sees the statement's own rows
    if values is None:
        return
    check_exclusion(rel, ix, tuple(values), tid, ctx, heap)
