"""Operator and function resolution (PostgreSQL's parse_oper.c / parse_func.c).

The algorithm of the documentation's "Type Conversion" chapter: exact match;
otherwise the candidates whose arguments the inputs can be coerced to
implicitly; then most exact matches, most preferred-type matches, and the
category rule for unknown-typed inputs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tuskdb import types
from tuskdb.errors import AMBIGUOUS_FUNCTION, UNDEFINED_FUNCTION, PgError
from tuskdb.sql.analyze.coerce import UNKNOWN, can_coerce, type_name
from tuskdb.types.usertypes import base_type

_OPS: dict[str, list[Any]] = defaultdict(list)
_FUNCS: dict[str, list[Any]] = defaultdict(list)
_AGGS: dict[str, list[Any]] = defaultdict(list)
_INDEXED = False


def _index() -> None:
    global _INDEXED
    for op in types.OPERATORS:
        _OPS[op.name].append(op)
    for fn in types.FUNCTIONS:
        _FUNCS[fn.name].append(fn)
    for agg in types.AGGREGATES:
        _AGGS[agg.name].append(agg)
    _INDEXED = True


def operators(name: str) -> list[Any]:
    if not _INDEXED:
        _index()
    return _OPS.get(name, [])


def functions(name: str) -> list[Any]:
    if not _INDEXED:
        _index()
    return _FUNCS.get(name, [])


def aggregates(name: str) -> list[Any]:
    if not _INDEXED:
        _index()
    return _AGGS.get(name, [])


def _category(oid: int) -> str:
    t = types.TYPES.get(oid)
    return t.category if t else "U"


def _preferred(oid: int) -> bool:
    t = types.TYPES.get(oid)
    return bool(t and t.preferred)


_ELEM_POLY = frozenset((2283, 2776, 5077, 5079, 3500))      # anyelement, anynonarray, anycompatible...
_ARRAY_POLY = frozenset((2277, 5078))                 # anyarray, anycompatiblearray


def _poly_consistent(argtypes: list[int], sig: Any) -> bool:
    """All polymorphic arguments must agree on one element type
    (PostgreSQL's check_generic_type_consistency)."""
    elems = set()
    for a, d in zip(argtypes, sig):
        if a == UNKNOWN:
            continue
        if d in _ELEM_POLY:
            elems.add(a)
        elif d in _ARRAY_POLY:
            t = types.TYPES.get(a)
            if t is not None and t.elem_oid:
                elems.add(t.elem_oid)
    if len(elems) <= 1:
        return True
    first = next(iter(elems))
    return all(can_coerce(x, first) or can_coerce(first, x) for x in elems) and \
        not any(types.TYPES.get(x) is not None and types.TYPES[x].category == "A" for x in elems)


def select_candidate(cands: list[Any], argtypes: list[int], sig: Any) -> tuple[list[Any], str]:
    """Narrow candidates per PostgreSQL's func_select_candidate.

    ``sig(c)`` gives a candidate's declared argument types.  Returns the
    surviving candidates and 'ok' / 'none' / 'ambiguous'.
    """
    n = len(argtypes)
    # exact match
    for c in cands:
        if list(sig(c)) == argtypes:
            return [c], "ok"
    # with unknowns: if the known inputs all share one type, try it for the unknowns
    known = {t for t in argtypes if t != UNKNOWN}
    if len(known) == 1 and UNKNOWN in argtypes:
        k = next(iter(known))
        guess = [k] * n
        for c in cands:
            if list(sig(c)) == guess:
                return [c], "ok"
    viable = [c for c in cands
              if all(can_coerce(a, d) for a, d in zip(argtypes, sig(c)))
              and _poly_consistent(argtypes, sig(c))]
    if not viable:
        return [], "none"
    if len(viable) == 1:
        return viable, "ok"
    # most exact matches
    def exact(c: Any) -> int:
        return sum(1 for a, d in zip(argtypes, sig(c)) if a == d)
    best = max(exact(c) for c in viable)
    viable = [c for c in viable if exact(c) == best]
    if len(viable) == 1:
        return viable, "ok"
    # most preferred types where coercion is needed
    def pref(c: Any) -> int:
        return sum(1 for a, d in zip(argtypes, sig(c)) if a != d and _preferred(d))
    best = max(pref(c) for c in viable)
    viable = [c for c in viable if pref(c) == best]
    if len(viable) == 1:
        return viable, "ok"
    # unknown inputs: pick a category per position
    if UNKNOWN in argtypes:
        keep = list(viable)
        for i, a in enumerate(argtypes):
            if a != UNKNOWN:
                continue
            cats = {_category(sig(c)[i]) for c in keep}
            if "S" in cats:
                cat = "S"
            elif len(cats) == 1:
                cat = next(iter(cats))
            else:
                return viable, "ambiguous"
            in_cat = [c for c in keep if _category(sig(c)[i]) == cat]
            prefd = [c for c in in_cat if _preferred(sig(c)[i])]
            keep = prefd or in_cat
        if len(keep) == 1:
            return keep, "ok"
        # all remaining candidates agree where it matters?
        if keep:
            viable = keep
        # finally: assume unknowns are the type of the known inputs
        if len(known) == 1:
            k = next(iter(known))
            same = [c for c in viable
                    if all(d == k for a, d in zip(argtypes, sig(c)) if a == UNKNOWN)]
            if len(same) == 1:
                return same, "ok"
    return viable, "ambiguous"


def resolve_operator(name: str, left: int | None, right: int, location: int = -1) -> Any:
    """Find the operator for ``left name right`` (left None for a prefix operator)."""
    cands = [op for op in operators(name) if (op.left == 0) == (left is None)]
    # a domain is resolved as its base type (func_select_candidate)
    argtypes = [base_type(right)] if left is None else [base_type(left), base_type(right)]

    def sig(op: Any) -> tuple[int, ...]:
        return (op.right,) if op.left == 0 else (op.left, op.right)
    chosen, status = select_candidate(cands, argtypes, sig)
    if status == "ok":
        return chosen[0]
    desc = (f"{name} {type_name(right)}" if left is None
            else f"{type_name(left)} {name} {type_name(right)}")
    pos = location if location >= 0 else None
    if status == "ambiguous":
        raise PgError(AMBIGUOUS_FUNCTION, f"operator is not unique: {desc}", position=pos,
                      hint="Could not choose a best candidate operator. You might need to add "
                           "explicit type casts.")
    raise PgError(UNDEFINED_FUNCTION, f"operator does not exist: {desc}", position=pos,
                  hint="No operator matches the given name and argument types. You might need "
                       "to add explicit type casts.")


def expand_variadic(fn: Any, nargs: int) -> tuple[int, ...] | None:
    """Argument types of ``fn`` for ``nargs`` inputs, honouring VARIADIC and defaults."""
    args = tuple(fn.arg_types)
    if len(args) == nargs and not getattr(fn, "variadic", 0):
        return args
    defaults = getattr(fn, "arg_defaults", None) or ()
    if nargs < len(args) and len(args) - nargs <= len(defaults):
        return args[:nargs]
    var = getattr(fn, "variadic", 0)
    if var and nargs >= len(args):       # the VARIADIC parameter takes one or more
        return args[:-1] + (var,) * (nargs - len(args) + 1)
    if len(args) == nargs:
        return args
    return None


def resolve_function(name: str, argtypes: list[int], location: int = -1,
                     display_name: str | None = None) -> tuple[Any, tuple[int, ...]]:
    """Find the function ``name(argtypes)``; returns (function, declared arg types)."""
    cands = []
    argtypes = [base_type(t) for t in argtypes]
    for fn in functions(name):
        sig = expand_variadic(fn, len(argtypes))
        if sig is not None:
            cands.append((fn, sig))
    chosen, status = select_candidate(cands, argtypes, lambda c: c[1])
    if status == "ok":
        return chosen[0]
    raise _function_error(display_name or name, argtypes, status, location)


def _function_error(name: str, argtypes: list[int], status: str, location: int) -> PgError:
    desc = f"{name}({', '.join(type_name(t) for t in argtypes)})"
    pos = location if location >= 0 else None
    if status == "ambiguous":
        return PgError(AMBIGUOUS_FUNCTION, f"function {desc} is not unique", position=pos,
                       hint="Could not choose a best candidate function. You might need to add "
                            "explicit type casts.")
    return PgError(UNDEFINED_FUNCTION, f"function {desc} does not exist", position=pos,
                   hint="No function matches the given name and argument types. You might need "
                        "to add explicit type casts.")


def resolve_aggregate(name: str, argtypes: list[int], location: int = -1) -> Any:
    cands = [a for a in aggregates(name) if len(a.arg_types) == len(argtypes)]
    chosen, status = select_candidate(cands, argtypes, lambda a: tuple(a.arg_types))
    if status == "ok":
        return chosen[0]
    raise _function_error(name, argtypes, status, location)


def is_aggregate(name: str) -> bool:
    return bool(aggregates(name))
