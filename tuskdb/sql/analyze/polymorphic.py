"""Polymorphic argument and result types (PostgreSQL's parse_coerce.c:
check_generic_type_consistency and enforce_generic_type_consistency).

Two families of pseudo-types, resolved independently:

- anyelement, anyarray, anynonarray, anyenum, anyrange, anymultirange: every
  argument of the family must agree on one element type, exactly (no
  coercion): an array gives its element type, a range its subtype, a
  multirange the subtype of its range type (and anyrange must then be that
  range type).  Unknown-typed arguments take the resolved type.
- anycompatible, anycompatiblearray, anycompatiblenonarray,
  anycompatiblerange, anycompatiblemultirange: the arguments are coerced to a
  common type (chosen like UNION does) unless a range or multirange argument
  fixes it to that range's subtype.

``check_consistency`` filters candidate functions during resolution;
``enforce`` gives the actual argument types to coerce to and the actual
result type of the chosen one.
"""

from __future__ import annotations

from tuskdb import types
from tuskdb.errors import DATATYPE_MISMATCH, UNDEFINED_OBJECT, PgError

UNKNOWN = 705
TEXT = 25
ANYELEMENT, ANYARRAY, ANYNONARRAY, ANYENUM = 2283, 2277, 2776, 3500
ANYRANGE, ANYMULTIRANGE = 3831, 4537
ANYCOMPATIBLE, ANYCOMPATIBLEARRAY, ANYCOMPATIBLENONARRAY = 5077, 5078, 5079
ANYCOMPATIBLERANGE, ANYCOMPATIBLEMULTIRANGE = 5080, 4538

FAMILY1 = frozenset((ANYELEMENT, ANYARRAY, ANYNONARRAY, ANYENUM, ANYRANGE, ANYMULTIRANGE))
FAMILY2 = frozenset((ANYCOMPATIBLE, ANYCOMPATIBLEARRAY, ANYCOMPATIBLENONARRAY,
                     ANYCOMPATIBLERANGE, ANYCOMPATIBLEMULTIRANGE))
POLYMORPHIC = FAMILY1 | FAMILY2

_FLATTENED = frozenset((ANYARRAY, ANYRANGE, ANYMULTIRANGE, ANYCOMPATIBLEARRAY,
                        ANYCOMPATIBLERANGE, ANYCOMPATIBLEMULTIRANGE))

_NAMES = {ANYELEMENT: "anyelement", ANYARRAY: "anyarray", ANYNONARRAY: "anynonarray",
          ANYENUM: "anyenum", ANYRANGE: "anyrange", ANYMULTIRANGE: "anymultirange"}


def element_type(oid: int) -> int:
    """get_element_type: the element type of an array type, else 0."""
    t = types.TYPES.get(oid)
    if t is not None and (t.category == "A" or oid == 2287) and t.elem_oid and \
            t.typlen == -1:
        return t.elem_oid       # record[] (2287) is a pseudo-type but still an array
    return 0


def array_type(oid: int) -> int:
    t = types.TYPES.get(oid)
    return t.array_oid if t is not None else 0


def range_subtype(oid: int) -> int:
    from tuskdb.types.ranges import RANGE_TYPES
    info = RANGE_TYPES.get(oid)
    return info[0] if info else 0


def multirange_range(oid: int) -> int:
    from tuskdb.types.ranges import MULTIRANGE_RANGE
    return MULTIRANGE_RANGE.get(oid, 0)


def range_of_subtype(oid: int) -> int:
    """The range type whose subtype is ``oid`` (when exactly one is; else 0)."""
    from tuskdb.types.ranges import RANGE_INFO
    found = [r.oid for r in RANGE_INFO.values() if r.subtype == oid]
    return found[0] if len(found) == 1 else 0


def multirange_of_range(oid: int) -> int:
    from tuskdb.types.ranges import RANGE_INFO
    info = RANGE_INFO.get(oid)
    return info.multirange_oid if info else 0


def _is_enum(oid: int) -> bool:
    t = types.TYPES.get(oid)
    return t is not None and t.typtype == "e"


def _is_array(oid: int) -> bool:
    return element_type(oid) != 0


def common_type(oids: list[int]) -> int:
    """select_common_type_from_oids (noerror): 0 if the types cannot be matched."""
    from tuskdb.sql.analyze.coerce import can_coerce
    known = [t for t in oids if t != UNKNOWN]
    if not known:
        return TEXT
    ptype = known[0]
    pt = types.TYPES.get(ptype)
    pcat = pt.category if pt else "U"
    ppref = bool(pt and pt.preferred)
    for ntype in known[1:]:
        if ntype == ptype:
            continue
        nt = types.TYPES.get(ntype)
        ncat = nt.category if nt else "U"
        if ncat != pcat:
            return 0
        if not ppref and can_coerce(ptype, ntype) and not can_coerce(ntype, ptype):
            ptype, pcat, ppref = ntype, ncat, bool(nt and nt.preferred)
    return ptype


class _Collected:
    """The facts both passes read off the arguments."""

    def __init__(self) -> None:
        self.elem = 0
        self.array = 0
        self.range = 0
        self.mrange = 0
        self.nonarray = False
        self.enum = False
        self.have_family1 = False
        self.c_types: list[int] = []
        self.c_range = 0
        self.c_mrange = 0
        self.c_nonarray = False
        self.have_family2 = False
        self.conflict: tuple[int, int, int] | None = None   # (declared, first, second)


def _collect(actual: list[int], declared: tuple[int, ...] | list[int]) -> _Collected | None:
    from tuskdb.types.usertypes import base_type
    c = _Collected()
    for a, d in zip(actual, declared):
        if d in _FLATTENED:
            a = base_type(a)        # a domain over an array or range acts as its base type
        if d in FAMILY1:
            c.have_family1 = True
            if d == ANYNONARRAY:
                c.nonarray = True
            elif d == ANYENUM:
                c.enum = True
            if a == UNKNOWN:
                continue
            attr = {ANYARRAY: "array", ANYRANGE: "range", ANYMULTIRANGE: "mrange"}.get(d, "elem")
            prev = getattr(c, attr)
            if prev and prev != a:
                c.conflict = c.conflict or (d, prev, a)
                return None
            setattr(c, attr, a)
        elif d in FAMILY2:
            c.have_family2 = True
            if d == ANYCOMPATIBLENONARRAY:
                c.c_nonarray = True
            if a == UNKNOWN:
                continue
            if d in (ANYCOMPATIBLE, ANYCOMPATIBLENONARRAY):
                c.c_types.append(a)
            elif d == ANYCOMPATIBLEARRAY:
                e = element_type(a)
                if not e:
                    return None
                c.c_types.append(e)
            elif d == ANYCOMPATIBLERANGE:
                if c.c_range and c.c_range != a:
                    return None
                if not range_subtype(a):
                    return None
                c.c_range = a
            else:
                if c.c_mrange and c.c_mrange != a:
                    return None
                if not multirange_range(a):
                    return None
                c.c_mrange = a
    return c


def _same(a: int, b: int) -> bool:
    """Equal element types; a domain matches its base type, because operator and
    function resolution see domain arguments as their base types."""
    if a == b:
        return True
    from tuskdb.types.usertypes import base_type
    return base_type(a) == base_type(b)


def _derive_family1(c: _Collected) -> bool:
    """Fold array/range/multirange facts into the element type; False if they clash."""
    if c.array:
        e = element_type(c.array)
        if not e:
            return False
        if c.elem and not _same(c.elem, e):
            return False
        c.elem = e
    if c.mrange:
        r = multirange_range(c.mrange)
        if not r:
            return False
        if c.range and c.range != r:
            return False
        c.range = r
    if c.range:
        s = range_subtype(c.range)
        if not s:
            return False
        if c.elem and not _same(c.elem, s):
            return False
        c.elem = s
    if c.elem:
        if c.nonarray and _is_array(c.elem):
            return False
        if c.enum and not _is_enum(c.elem):
            return False
    return True


def _family2_type(c: _Collected) -> int:
    """The resolved anycompatible type (0 if there is none)."""
    from tuskdb.sql.analyze.coerce import can_coerce
    if c.c_mrange:
        r = multirange_range(c.c_mrange)
        if c.c_range and c.c_range != r:
            return 0
        c.c_range = r
    if c.c_range:
        target = range_subtype(c.c_range)
    elif c.c_types:
        target = common_type(c.c_types)
        if not target:
            return 0
    else:
        return 0
    if not all(t == target or can_coerce(t, target) for t in c.c_types):
        return 0
    if c.c_nonarray and _is_array(target):
        return 0
    return target


def check_consistency(actual: list[int], declared: tuple[int, ...] | list[int]) -> bool:
    """check_generic_type_consistency: can these argument types bind to the
    declared polymorphic signature?"""
    if not any(d in POLYMORPHIC for d in declared):
        return True
    c = _collect(actual, declared)
    if c is None or not _derive_family1(c):
        return False
    if c.c_types or c.c_range or c.c_mrange:
        return _family2_type(c) != 0
    return True


def _type_name(oid: int) -> str:
    from tuskdb.sql.analyze.coerce import type_name
    return type_name(oid)


def enforce(actual: list[int], declared: tuple[int, ...] | list[int], rettype: int,
            position: int | None = None) -> tuple[list[int], int]:
    """enforce_generic_type_consistency: the actual type for each argument
    (what to coerce it to) and the actual result type."""
    has_poly = any(d in POLYMORPHIC for d in declared)
    if not has_poly and rettype not in POLYMORPHIC:
        return list(declared), rettype
    c = _collect(actual, declared)
    if c is None:
        if c is None and any(d in FAMILY1 for d in declared):
            # only reachable for a forced call; PostgreSQL's message
            raise PgError(DATATYPE_MISMATCH, "arguments declared \"anyelement\" are not all "
                          "alike", position=position)
        raise PgError(DATATYPE_MISMATCH, "arguments of anycompatible family cannot be cast to "
                      "a common type", position=position)
    if not _derive_family1(c):
        raise PgError(DATATYPE_MISMATCH, "arguments declared \"anyelement\" are not all alike",
                      position=position)
    if c.have_family1 and not c.elem and not c.range:
        raise PgError(DATATYPE_MISMATCH, "could not determine polymorphic type because input "
                      "has type unknown", position=position)
    ctype = 0
    if c.have_family2:
        if not c.c_types and not c.c_range and not c.c_mrange:
            ctype = TEXT          # every anycompatible input unknown: text
        else:
            ctype = _family2_type(c)
            if not ctype:
                raise PgError(DATATYPE_MISMATCH, "arguments of anycompatible family cannot be "
                              "cast to a common type", position=position)

    def resolve(d: int) -> int:
        if d in (ANYELEMENT, ANYNONARRAY, ANYENUM):
            return c.elem
        if d == ANYARRAY:
            if c.array:
                return c.array
            a = array_type(c.elem)
            if not a:
                raise PgError(UNDEFINED_OBJECT, f"could not find array type for data type "
                              f"{_type_name(c.elem)}", position=position)
            return a
        if d == ANYRANGE:
            if c.range:
                return c.range
            r = range_of_subtype(c.elem)
            if not r:
                raise PgError(UNDEFINED_OBJECT, f"could not find range type for data type "
                              f"{_type_name(c.elem)}", position=position)
            return r
        if d == ANYMULTIRANGE:
            if c.mrange:
                return c.mrange
            r = c.range or range_of_subtype(c.elem)
            m = multirange_of_range(r) if r else 0
            if not m:
                raise PgError(UNDEFINED_OBJECT, f"could not find multirange type for data "
                              f"type {_type_name(r or c.elem)}", position=position)
            return m
        if d in (ANYCOMPATIBLE, ANYCOMPATIBLENONARRAY):
            return ctype
        if d == ANYCOMPATIBLEARRAY:
            a = array_type(ctype)
            if not a:
                raise PgError(UNDEFINED_OBJECT, f"could not find array type for data type "
                              f"{_type_name(ctype)}", position=position)
            return a
        if d == ANYCOMPATIBLERANGE:
            if c.c_range:
                return c.c_range
            raise PgError(DATATYPE_MISMATCH, "could not determine polymorphic type "
                          "anycompatiblerange because input has type unknown",
                          position=position)
        if d == ANYCOMPATIBLEMULTIRANGE:
            if c.c_mrange:
                return c.c_mrange
            m = multirange_of_range(c.c_range) if c.c_range else 0
            if not m:
                raise PgError(DATATYPE_MISMATCH, "could not determine polymorphic type "
                              "anycompatiblemultirange because input has type unknown",
                              position=position)
            return m
        return d

    out = [resolve(d) if d in POLYMORPHIC else d for d in declared]
    ret = resolve(rettype) if rettype in POLYMORPHIC else rettype
    return out, ret
