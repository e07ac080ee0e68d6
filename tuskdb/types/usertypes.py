"""User-defined types: shell types, enums and domains (pg_type rows made by SQL).

The catalog layer builds a ``UserType`` from pg_type (and pg_enum / pg_constraint)
and registers it with ``registry.register_user_type``, so that code holding only
a type OID (output of a column, key encoding) finds it in ``TYPES`` like a
built-in.  OIDs are cluster-wide unique, so one registry serves every database.

Enum values are ``EnumValue``: an ``int`` (the OID of the value's pg_enum row, as
PostgreSQL stores it) that compares by the label's ``enumsortorder``.  The sort
orders of every known value live in ``ENUM_SORT`` and the labels in
``ENUM_LABELS`` (filled when an enum type is registered), so comparison and
output need no catalog access.

Domains share their base type's representation; the domain's constraints are
checked by the SQL layer (CoerceToDomain), which compiles ``UserType.checks``.
"""

from __future__ import annotations

from typing import Any

from tuskdb.errors import PgError
from tuskdb.types.pgtype import PgType

ENUM_SORT: dict[int, float] = {}
ENUM_LABELS: dict[int, str] = {}


class EnumValue(int):
    """An enum value: the pg_enum OID, ordered by its enumsortorder."""

    __slots__ = ()

    def _k(self) -> float:
        return ENUM_SORT.get(int(self), float(self))

    def __lt__(self, other: Any) -> bool:
        return self._k() < _sort_of(other)

    def __le__(self, other: Any) -> bool:
        return self._k() <= _sort_of(other)

    def __gt__(self, other: Any) -> bool:
        return self._k() > _sort_of(other)

    def __ge__(self, other: Any) -> bool:
        return self._k() >= _sort_of(other)

    def __eq__(self, other: Any) -> bool:
        return int(self) == int(other) if isinstance(other, int) else NotImplemented

    def __ne__(self, other: Any) -> bool:
        return int(self) != int(other) if isinstance(other, int) else NotImplemented

    __hash__ = int.__hash__

    def __repr__(self) -> str:
        return f"EnumValue({int(self)}:{ENUM_LABELS.get(int(self))!r})"


def _sort_of(v: Any) -> float:
    return ENUM_SORT.get(int(v), float(v))


class UserType(PgType):
    """A pg_type row created by CREATE TYPE / CREATE DOMAIN."""

    __slots__ = ("namespace", "nspname", "owner", "base_oid", "base_typmod", "notnull",
                 "checks", "default", "relid", "labels", "label_oids", "collation",
                 "is_defined", "fields", "rep_oid", "casts")

    def __init__(self, *args: Any, **kw: Any) -> None:
        extra = {k: kw.pop(k) for k in list(kw) if k in UserType.__slots__}
        super().__init__(*args, **kw)
        self.namespace = 2200
        self.nspname = "public"
        self.owner = 10
        self.base_oid = 0
        self.rep_oid = 0        # base types: the built-in type whose values it holds
        self.casts: dict = {}   # (source, target) -> types.Cast, from pg_cast rows
        self.base_typmod = -1
        self.notnull = False
        self.checks: tuple[tuple[str, str, bool], ...] = ()   # (conname, conbin, validated)
        self.default: str | None = None
        self.relid = 0
        self.labels: dict[str, int] = {}
        self.label_oids: tuple[int, ...] = ()                # in sort order
        self.collation = 0
        self.is_defined = True
        self.fields: tuple[tuple[str, int, int], ...] = ()  # (name, type oid, typmod)
        for k, v in extra.items():
            setattr(self, k, v)


def _quote_ident(name: str) -> str:
    if name and name == name.lower() and (name[0].isalpha() or name[0] == "_") and \
            all(c.isalnum() or c in "_$" for c in name):
        return name
    return '"' + name.replace('"', '""') + '"'


def shown_name(name: str, nspname: str, visible: bool) -> str:
    """format_type's spelling of a user type: schema-qualified unless visible."""
    return _quote_ident(name) if visible else f"{_quote_ident(nspname)}.{_quote_ident(name)}"


def make_shell_type(oid: int, name: str, sql_name: str) -> UserType:
    t = UserType(oid, name, 4, True, "P", False, 0, typtype="p", sql_name=sql_name,
                 is_defined=False)
    return t


def make_enum_type(oid: int, name: str, sql_name: str, array_oid: int,
                   values: list[tuple[int, float, str]]) -> UserType:
    """``values``: (pg_enum oid, enumsortorder, enumlabel) rows of the type."""
    values = sorted(values, key=lambda v: v[1])
    labels = {label: eoid for eoid, _, label in values}
    for eoid, order, label in values:
        ENUM_SORT[eoid] = order
        ENUM_LABELS[eoid] = label

    def enum_in(text: str, typmod: int = -1, ctx: Any = None) -> EnumValue:
        eoid = labels.get(text)
        if eoid is None:
            if len(text.encode()) >= 64:
                raise PgError("22P02", f'invalid input value for enum {sql_name}: "{text}"')
            raise PgError("22P02", f'invalid input value for enum {sql_name}: "{text}"')
        return EnumValue(eoid)

    def enum_out(v: Any, ctx: Any = None) -> str:
        label = ENUM_LABELS.get(int(v))
        if label is None:
            raise PgError("22P02", f"invalid internal value for enum: {int(v)}")
        return label

    def enum_send(v: Any, ctx: Any = None) -> bytes:
        return enum_out(v).encode()

    def enum_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> EnumValue:
        return enum_in(bytes(data).decode())

    t = UserType(oid, name, 4, True, "E", False, array_oid, typtype="e", sql_name=sql_name,
                 input=enum_in, output=enum_out, send=enum_send, recv=enum_recv,
                 procs=("enum_in", "enum_out", "enum_recv", "enum_send", "-", "-"))
    t.labels = labels
    t.label_oids = tuple(v[0] for v in values)
    from tuskdb.types import keyenc
    keyenc.ENCODERS[oid] = lambda v: keyenc._enc_float(ENUM_SORT[int(v)])
    return t


def make_domain_type(oid: int, name: str, sql_name: str, array_oid: int, base: PgType,
                     base_typmod: int) -> UserType:
    """A domain over ``base``: the base's representation and I/O; constraints are the
    SQL layer's (``checks``, ``notnull``)."""
    ub = base
    for _ in range(32):
        if ub.typtype != "d":
            break
        from tuskdb.types.registry import TYPES
        ub = TYPES[ub.base_oid]
    ub_typmod = base_typmod if base.typtype != "d" else base_type_and_typmod(base.oid)[1]
    b_in, b_coerce = ub.input, ub.coerce_typmod

    def domain_in(text: str, typmod: int = -1, ctx: Any = None) -> Any:
        # domain_in: the base type's input with the domain's typmod, then the
        # constraints of the domain and of the domains under it, reported under this
        # domain's name (through the session, which can evaluate them)
        v = b_in(text, ub_typmod if ub.oid == 1186 else -1, ctx)
        if ub_typmod >= 0:
            v = b_coerce(v, ub_typmod, False)
        hooks = getattr(ctx, "session_hooks", None)
        if hooks is not None:
            v = hooks.check_domain(oid, v)
        return v

    t = UserType(oid, name, base.typlen, base.byval, base.category, False, array_oid,
                 base.elem_oid if base.category == "A" else 0, delim=base.delim,
                 align=base.align, typtype="d", sql_name=sql_name,
                 input=domain_in, output=base.output, send=base.send, recv=base.recv,
                 coerce_typmod=base.coerce_typmod, storage=base.storage,
                 procs=("domain_in", base.typoutput, "domain_recv", base.typsend, "-", "-"))
    t.base_oid = base.oid
    t.base_typmod = base_typmod
    from tuskdb.types import keyenc
    try:
        keyenc.ENCODERS[oid] = keyenc.encoder_for(base.oid)
    except PgError:
        pass
    return t


def _check_domain_chain(hooks: Any, oid: int, v: Any) -> Any:
    """Constraints of a domain and of the domains it is over (innermost first)."""
    from tuskdb.types.registry import TYPES
    chain = []
    t = TYPES.get(oid)
    while t is not None and t.typtype == "d":
        chain.append(t.oid)
        t = TYPES.get(t.base_oid)
    for d in reversed(chain):
        v = hooks.check_domain(d, v)
    return v


def base_type(oid: int) -> int:
    """getBaseType: the type a domain (or domain over domain) is over; else ``oid``."""
    from tuskdb.types.registry import TYPES
    for _ in range(32):
        t = TYPES.get(oid)
        if t is None or t.typtype != "d":
            return oid
        oid = t.base_oid
    return oid


def base_type_and_typmod(oid: int, typmod: int = -1) -> tuple[int, int]:
    from tuskdb.types.registry import TYPES
    for _ in range(32):
        t = TYPES.get(oid)
        if t is None or t.typtype != "d":
            return oid, typmod
        oid, typmod = t.base_oid, t.base_typmod
    return oid, typmod


# -- enum support functions (pg_proc rows on anyenum) -----------------------------------------


def _enum_cmp(a: Any, b: Any) -> int:
    ka, kb = _sort_of(a), _sort_of(b)
    return (ka > kb) - (ka < kb)


def _hashenum(v: Any) -> int:
    from tuskdb.types.pghash import hashint4
    return hashint4(int(v))


IMPLS = {
    "enum_eq": lambda a, b: int(a) == int(b),
    "enum_ne": lambda a, b: int(a) != int(b),
    "enum_lt": lambda a, b: _sort_of(a) < _sort_of(b),
    "enum_gt": lambda a, b: _sort_of(a) > _sort_of(b),
    "enum_le": lambda a, b: _sort_of(a) <= _sort_of(b),
    "enum_ge": lambda a, b: _sort_of(a) >= _sort_of(b),
    "enum_cmp": _enum_cmp,
    "hashenum": _hashenum,
    "enum_smaller": lambda a, b: a if _sort_of(a) <= _sort_of(b) else b,
    "enum_larger": lambda a, b: a if _sort_of(a) >= _sort_of(b) else b,
    "enum_send": lambda v: ENUM_LABELS.get(int(v), "").encode(),
}


def domain_default(oid: int, constrained: bool = False) -> Any:
    """The DEFAULT (raw expression JSON) a domain or the domains under it define; with
    ``constrained``, whether any of them has NOT NULL or CHECK constraints."""
    from tuskdb.types.registry import TYPES
    for _ in range(32):
        t = TYPES.get(oid)
        if t is None or t.typtype != "d":
            return None if not constrained else False
        if constrained:
            if t.notnull or t.checks:
                return True
        elif t.default is not None:
            return t.default
        oid = t.base_oid
    return None


def domain_null_input(t: Any, ctx: Any) -> None:
    """domain_in of a NULL (COPY): the domain's NOT NULL and CHECK constraints."""
    hooks = getattr(ctx, "session_hooks", None)
    if hooks is not None:
        hooks.check_domain(t.oid, None)


def domain_chain(oid: int) -> list[int]:
    """The domains a value of domain ``oid`` must satisfy, innermost first."""
    from tuskdb.types.registry import TYPES
    chain = []
    t = TYPES.get(oid)
    while t is not None and t.typtype == "d" and len(chain) < 32:
        chain.append(t.oid)
        t = TYPES.get(t.base_oid)
    chain.reverse()
    return chain


# -- base types made by CREATE TYPE name (INPUT = ..., OUTPUT = ...) ---------------------

def io_symbol_owner(symbol: str) -> tuple[PgType, str] | None:
    """The built-in scalar type whose I/O function has the internal name ``symbol``
    and which one it is ('input', 'output', 'receive', 'send'), or None.

    A user-defined base type in TuskDB takes its representation from the built-in
    type whose I/O functions it names (its functions must be LANGUAGE internal
    ones: TuskDB loads no C code)."""
    from tuskdb.types.registry import builtin_types
    for t in builtin_types():
        if t.typtype != "b" or t.category == "A":
            continue
        for attr, what in (("typinput", "input"), ("typoutput", "output"),
                           ("typreceive", "receive"), ("typsend", "send")):
            if getattr(t, attr) == symbol:
                return t, what
    return None


def make_base_type(oid: int, name: str, sql_name: str, array_oid: int, rep: PgType,
                   typlen: int, byval: bool, align: str, storage: str, category: str,
                   preferred: bool, delim: str, has_recv: bool, has_send: bool) -> UserType:
    """A base type whose values are those of the built-in ``rep`` (the type that
    owns its I/O functions)."""
    t = UserType(oid, name, typlen, byval, category, preferred, array_oid, typtype="b",
                 sql_name=sql_name, delim=delim, align=align, storage=storage,
                 input=rep.input, output=rep.output,
                 recv=rep.recv if has_recv else None, send=rep.send if has_send else None)
    t.rep_oid = rep.oid
    return t
