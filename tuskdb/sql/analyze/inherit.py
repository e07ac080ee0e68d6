"""Inheritance expansion (PostgreSQL's expand_inherited_rtentry).

A table named in FROM (or as the target of UPDATE/DELETE) without ONLY stands
for itself and all its descendants.  The analyzer resolves the set once:
each descendant with its column map, ``attmap[i]`` = the position in the
child's row of the parent's column ``i`` (None for a column dropped from the
parent), matched by name as PostgreSQL's convert_tuples_by_name does.
"""

from __future__ import annotations

from typing import Any


def column_map(parent: Any, child: Any) -> tuple[int | None, ...]:
    pos = {c.name: i for i, c in enumerate(child.columns) if not c.dropped}
    return tuple(None if c.dropped else pos.get(c.name) for c in parent.columns)


def expand_inheritance(rel: Any, state: Any) -> list[tuple[Any, tuple]]:
    """[(RelationInfo, attmap)] of every descendant of ``rel``, in
    find_all_inheritors order (each once), mapped to ``rel``'s columns."""
    if not rel.children:
        return []
    if rel.relkind == "p":
        return _expand_partitioned(rel, rel, state)
    cat = state.catalog
    out = []
    seen = {rel.oid}
    queue = [rel]
    while queue:
        r = queue.pop(0)
        for oid in r.children:
            if oid in seen:
                continue
            seen.add(oid)
            child = cat.relation_by_oid(oid)
            if child is None:
                continue
            state.relations.add(oid)
            out.append((child, column_map(rel, child)))
            queue.append(child)
    return out


def _expand_partitioned(root: Any, rel: Any, state: Any) -> list[tuple[Any, tuple]]:
    """Partitions in bound order, each sub-partitioned one followed at once by its own
    (PostgreSQL's expand_partitioned_rtentry)."""
    from tuskdb.sql.analyze.partition import ordered_partitions
    out = []
    for child in ordered_partitions(state, rel):
        out.append((child, column_map(root, child)))
        if child.relkind == "p":
            out.extend(_expand_partitioned(root, child, state))
    return out
