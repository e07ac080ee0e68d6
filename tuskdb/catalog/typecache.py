"""User-defined types read from pg_type (PostgreSQL's typcache for catalog types).

Built-in types come from ``tuskdb.types`` directly.  A type made by CREATE TYPE or
CREATE DOMAIN is a pg_type row (plus pg_enum rows for an enum, pg_constraint rows
with ``contypid`` for a domain's CHECK constraints); ``load_type`` builds its
``UserType`` and registers it in ``types.TYPES`` (``registry.register_user_type``),
so code that holds only the OID (column output, key encoding) finds it.

Loaded types are cached per database and catalog generation like relation
descriptors; a transaction that changed catalogs reads them afresh.

``TYPTYPE_LOADERS`` maps a typtype to a builder ``fn(view, row) -> PgType | None``;
range types ('r', 'm') add theirs there.
"""

from __future__ import annotations

from typing import Any, Callable

from tuskdb import types
from tuskdb.catalog.rows import COLUMN_POS
from tuskdb.types import usertypes

_T = COLUMN_POS["pg_type"]
FIRST_USER_OID = 16384

TYPTYPE_LOADERS: dict[str, Callable[[Any, tuple], Any]] = {}


def _sql_name(view: Any, row: tuple) -> str:
    return usertypes._quote_ident(row[_T["typname"]])


def _load_enum(view: Any, row: tuple) -> Any:
    e = COLUMN_POS["pg_enum"]
    oid = row[_T["oid"]]
    values = [(r[e["oid"]], r[e["enumsortorder"]], r[e["enumlabel"]])
              for _, r in view.find("pg_enum", enumtypid=oid)]
    return usertypes.make_enum_type(oid, row[_T["typname"]], _sql_name(view, row),
                                    row[_T["typarray"]], values)


def _load_domain(view: Any, row: tuple) -> Any:
    oid = row[_T["oid"]]
    base = view.type_by_oid(row[_T["typbasetype"]])
    if base is None:
        return None
    t = usertypes.make_domain_type(oid, row[_T["typname"]], _sql_name(view, row),
                                   row[_T["typarray"]], base, row[_T["typtypmod"]])
    t.notnull = row[_T["typnotnull"]]
    t.default = row[_T["typdefaultbin"]]
    t.collation = row[_T["typcollation"]]
    k = COLUMN_POS["pg_constraint"]
    checks = []
    for _, r in view.find("pg_constraint", contypid=oid):
        if r[k["contype"]] == "c":
            checks.append((r[k["conname"]], r[k["conbin"]], r[k["convalidated"]]))
    checks.sort(key=lambda c: c[0])
    t.checks = tuple(checks)
    return t


def _load_shell(view: Any, row: tuple) -> Any:
    return usertypes.make_shell_type(row[_T["oid"]], row[_T["typname"]], _sql_name(view, row))


def _register_range_row(view: Any, rng: tuple) -> None:
    """Make a pg_range row known to the range operators (its subtype loaded first)."""
    from tuskdb.types import userranges
    g = COLUMN_POS["pg_range"]
    rngtypid, subtype = rng[g["rngtypid"]], rng[g["rngsubtype"]]
    if subtype >= FIRST_USER_OID:
        view.type_by_oid(subtype)
    names = view.find("pg_type", oid=rngtypid)
    name = names[0][1][_T["typname"]] if names else str(rngtypid)
    userranges.register_range(rngtypid, name, subtype, rng[g["rngmultitypid"]],
                              rng[g["rngcollation"]], rng[g["rngsubopc"]])


def _load_range(view: Any, row: tuple) -> Any:
    from tuskdb.types import userranges
    found = view.find("pg_range", rngtypid=row[_T["oid"]])
    if not found:
        return None
    _register_range_row(view, found[0][1])
    return userranges.make_range_type(row[_T["oid"]], row[_T["typname"]], _sql_name(view, row),
                                      row[_T["typarray"]], row[_T["typalign"]])


def _load_multirange(view: Any, row: tuple) -> Any:
    from tuskdb.types import userranges
    found = view.find("pg_range", rngmultitypid=row[_T["oid"]])
    if not found:
        return None
    _register_range_row(view, found[0][1])
    return userranges.make_multirange_type(row[_T["oid"]], row[_T["typname"]],
                                           _sql_name(view, row), row[_T["typarray"]],
                                           row[_T["typalign"]])


def _load_composite(view: Any, row: tuple) -> Any:
    from tuskdb.types.records import make_composite_type
    relid = row[_T["typrelid"]]
    a = COLUMN_POS["pg_attribute"]
    cols = sorted((r for r in view.rows("pg_attribute")
                   if r[a["attrelid"]] == relid and r[a["attnum"]] > 0
                   and not r[a["attisdropped"]]), key=lambda r: r[a["attnum"]])
    fields = [(r[a["attname"]], r[a["atttypid"]], r[a["atttypmod"]]) for r in cols]
    for _, t, _ in fields:
        if t >= FIRST_USER_OID:
            view.type_by_oid(t)
    return make_composite_type(row[_T["oid"]], row[_T["typname"]], _sql_name(view, row),
                               row[_T["typarray"]], relid, fields)


def internal_casts(view: Any) -> set[int]:
    """pg_cast rows that are part of a type (a range's cast to its multirange,
    pg_depend deptype 'i'): they go with the type silently and are not among the
    casts a type carries (``UserType.casts``)."""
    d = COLUMN_POS["pg_depend"]
    return {r[d["objid"]] for r in view.rows("pg_depend")
            if r[d["classid"]] == 2605 and r[d["deptype"]] == "i"}


def _load_base(view: Any, row: tuple) -> Any:
    """A base type made by CREATE TYPE (INPUT = ..., OUTPUT = ...): the values are
    those of the built-in type owning its (internal) I/O functions."""
    p = COLUMN_POS["pg_proc"]

    def symbol(proc_oid: int) -> str | None:
        found = view.find("pg_proc", oid=proc_oid) if proc_oid else []
        return found[0][1][p["prosrc"]] if found else None
    owner = usertypes.io_symbol_owner(symbol(row[_T["typinput"]]) or "")
    if owner is None:
        return None
    return usertypes.make_base_type(
        row[_T["oid"]], row[_T["typname"]], _sql_name(view, row), row[_T["typarray"]],
        owner[0], row[_T["typlen"]], row[_T["typbyval"]], row[_T["typalign"]],
        row[_T["typstorage"]], row[_T["typcategory"]], row[_T["typispreferred"]],
        row[_T["typdelim"]], bool(row[_T["typreceive"]]), bool(row[_T["typsend"]]))


TYPTYPE_LOADERS.update({"e": _load_enum, "d": _load_domain, "p": _load_shell, "b": _load_base,
                        "c": _load_composite, "r": _load_range, "m": _load_multirange})


_LOADING: set[int] = set()


def load_type(view: Any, oid: int) -> Any:
    """Build the type of pg_type row ``oid`` (None if there is none)."""
    if oid in _LOADING:
        return None         # a type containing itself (refused when created)
    _LOADING.add(oid)
    try:
        return _load_type(view, oid)
    finally:
        _LOADING.discard(oid)


def _load_type(view: Any, oid: int) -> Any:
    found = view.find("pg_type", oid=oid)
    if not found:
        return None
    row = found[0][1]
    loader = TYPTYPE_LOADERS.get(row[_T["typtype"]])
    if loader is None:
        return None
    t = loader(view, row)
    if t is None:
        return None
    t.namespace = row[_T["typnamespace"]]
    t.nspname = view.namespace_name(t.namespace) or ""
    t.owner = row[_T["typowner"]]
    t.relid = row[_T["typrelid"]]
    c = COLUMN_POS["pg_cast"]
    mine = [r for r in view.rows("pg_cast")
            if r[c["castsource"]] == oid or r[c["casttarget"]] == oid]
    if mine:
        internal = internal_casts(view)
        t.casts = {(r[c["castsource"]], r[c["casttarget"]]):
                   (r[c["castcontext"]], r[c["castmethod"]], r[c["castfunc"]])
                   for r in mine if r[c["oid"]] not in internal}
    return t


def type_name_map(view: Any) -> dict[tuple[int, str], int]:
    """{(namespace oid, typname): oid} of the user-defined types."""
    n, o = _T["typnamespace"], _T["typname"]
    i = _T["oid"]
    return {(r[n], r[o]): r[i] for r in view.rows("pg_type") if r[i] >= FIRST_USER_OID}


class TypeCacheMixin:
    """CatalogView's type lookups (mixed into CatalogView)."""

    m: Any
    dboid: int

    def _type_cache(self) -> tuple[int, dict[int, Any], dict | None]:
        caches = self.m.__dict__.setdefault("_type_caches", {})
        with self.m._lock:
            entry = caches.get(self.dboid)
            if entry is None or entry[0] != self.m.generation:
                entry = (self.m.generation, {}, None)
                caches[self.dboid] = entry
            return entry

    def type_names(self) -> dict[tuple[int, str], int]:
        if self.private:  # type: ignore[attr-defined]
            return type_name_map(self)
        gen, by_oid, names = self._type_cache()
        if names is None:
            names = type_name_map(self)
            caches = self.m._type_caches
            with self.m._lock:
                if caches.get(self.dboid, (None,))[0] == gen:
                    caches[self.dboid] = (gen, by_oid, names)
        return names

    def type_oid(self, nspoid: int, name: str) -> int | None:
        """A user-defined type's OID by schema and typname."""
        return self.type_names().get((nspoid, name))

    def type_by_oid(self, oid: int) -> Any:
        """The PgType of ``oid``: a built-in, or a user type loaded from the catalogs
        (and registered in types.TYPES)."""
        if oid < FIRST_USER_OID:
            return types.TYPES.get(oid)
        if self.private:  # type: ignore[attr-defined]
            t = load_type(self, oid)
            if t is not None:
                types.registry.register_user_type(t)
            else:
                elem = self._array_of(oid)
                if elem is not None:
                    return types.TYPES.get(oid)
            return t
        gen, by_oid, _ = self._type_cache()
        t = by_oid.get(oid)
        if t is None:
            t = load_type(self, oid)
            if t is None:
                elem = self._array_of(oid)
                return types.TYPES.get(oid) if elem is not None else None
            by_oid[oid] = t
        if types.TYPES.get(oid) is not t:
            types.registry.register_user_type(t)
        return t

    def _array_of(self, oid: int) -> Any:
        """For the array type of a user type: load its element (which registers both)."""
        found = self.find("pg_type", oid=oid)  # type: ignore[attr-defined]
        if not found:
            return None
        elem = found[0][1][_T["typelem"]]
        if elem >= FIRST_USER_OID and found[0][1][_T["typcategory"]] == "A":
            return self.type_by_oid(elem)
        return None

    def ensure_types(self, oids: Any) -> None:
        """Register the user types among ``oids`` (column types of a relation)."""
        for oid in oids:
            if oid >= FIRST_USER_OID:
                self.type_by_oid(oid)
