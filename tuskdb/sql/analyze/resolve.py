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
from tuskdb.sql.analyze.polymorphic import check_consistency
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


def _can_coerce_all(argtypes: list[int], declared: Any) -> bool:
    """can_coerce_type over an argument list: each argument implicitly coercible,
    and the polymorphic ones consistent with each other."""
    return all(can_coerce(a, d) for a, d in zip(argtypes, declared)) and \
        check_consistency(argtypes, declared)


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
    viable = [c for c in cands if _can_coerce_all(argtypes, sig(c))]
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
    # most preferred types where coercion is needed (known inputs only: a declared type
    # preferred in the input's own category)
    def pref(c: Any) -> int:
        # unknown inputs have no category yet: they count in the next step, not here
        return sum(1 for a, d in zip(argtypes, sig(c))
                   if a != d and a != UNKNOWN and _preferred(d) and
                   _category(d) == _category(a))
    best = max(pref(c) for c in viable)
    viable = [c for c in viable if pref(c) == best]
    if len(viable) == 1:
        return viable, "ok"
    # unknown inputs: pick a category per position (STRING wins a conflict)
    if UNKNOWN in argtypes:
        resolved = True
        cats: dict[int, str] = {}
        prefd: dict[int, bool] = {}
        for i, a in enumerate(argtypes):
            if a != UNKNOWN:
                continue
            cat = None
            has_pref = False
            conflict = False
            for c in viable:
                d = sig(c)[i]
                dc, dp = _category(d), _preferred(d)
                if cat is None:
                    cat, has_pref = dc, dp
                elif dc == cat:
                    has_pref = has_pref or dp
                elif dc == "S":
                    cat, has_pref = dc, dp
                else:
                    conflict = True
            if conflict and cat != "S":
                resolved = False
                break
            cats[i], prefd[i] = cat or "U", has_pref
        if resolved:
            keep = [c for c in viable
                    if all(_category(sig(c)[i]) == cats[i] and
                           (not prefd[i] or _preferred(sig(c)[i])) for i in cats)]
            if len(keep) == 1:
                return keep, "ok"
            if keep:
                viable = keep
    # last gasp: the unknown inputs are assumed to be of the one type of the known inputs
    known_list = [t for t in argtypes if t != UNKNOWN]
    if UNKNOWN in argtypes and known_list and len(set(known_list)) == 1:
        guess = [known_list[0]] * n
        same = [c for c in viable if _can_coerce_all(guess, sig(c))]
        if len(same) == 1:
            return same, "ok"
    return viable, "ambiguous"


def resolve_operator(name: str, left: int | None, right: int, location: int = -1,
                     session: Any = None) -> Any:
    """Find the operator for ``left name right`` (left None for a prefix operator);
    given the session, user-defined operators on its search_path compete too."""
    cands = [op for op in operators(name) if (op.left == 0) == (left is None)]
    if session is not None:
        from tuskdb.sql.commands.operatorcmds import user_operators
        cands += [op for op in user_operators(session, name)
                  if (op.left == 0) == (left is None)]
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
                  hint="No operator matches the given name and argument type. You might need "
                       "to add an explicit type cast." if left is None else
                  "No operator matches the given name and argument types. You might need "
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
    # a variadic expansion identical to a plain candidate's signature loses to it
    # (FuncnameGetCandidates: jsonb_delete(jsonb, text) over (jsonb, VARIADIC text[]))
    plain = {c[1] for c in cands if not getattr(c[0], "variadic", 0)}
    cands = [c for c in cands if not (getattr(c[0], "variadic", 0) and c[1] in plain)]
    chosen, status = select_candidate(cands, argtypes, lambda c: c[1])
    if status == "ok":
        return chosen[0]
    raise _function_error(display_name or name, argtypes, status, location)


def _function_error(name: str, argtypes: list[int], status: str, location: int,
                    arg_names: list[str | None] | None = None) -> PgError:
    names = arg_names or [None] * len(argtypes)
    desc = f"{name}({', '.join((n + ' => ' if n else '') + type_name(t) for t, n in zip(argtypes, names))})"
    pos = location if location >= 0 else None
    if status == "ambiguous":
        return PgError(AMBIGUOUS_FUNCTION, f"function {desc} is not unique", position=pos,
                       hint="Could not choose a best candidate function. You might need to add "
                            "explicit type casts.")
    return PgError(UNDEFINED_FUNCTION, f"function {desc} does not exist", position=pos,
                   hint="No function matches the given name and argument types. You might need "
                        "to add explicit type casts.")


def resolve_aggregate(name: str, argtypes: list[int], location: int = -1,
                      session: Any = None) -> Any:
    """The aggregate ``name(argtypes)``: built-ins and, given the session, the
    user-defined ones on its search_path (commands/aggregatecmds.py), specialized to
    the argument types."""
    cands = [(a, tuple(a.arg_types)) for a in aggregates(name)
             if len(a.arg_types) == len(argtypes)]
    if session is not None:
        from tuskdb.sql.commands.aggregatecmds import user_aggregates
        for ua in user_aggregates(session, name):
            sig = expand_variadic(ua, len(argtypes)) if ua.variadic else tuple(ua.arg_types)
            if sig is not None and len(sig) == len(argtypes):
                cands.append((ua, sig))
    chosen, status = select_candidate(cands, argtypes, lambda c: c[1])
    if status == "ok":
        agg, sig = chosen[0]
        if hasattr(agg, "specialize"):
            from tuskdb.sql.analyze.polymorphic import enforce
            actual = enforce([base_type(t) for t in argtypes], sig, 2278)[0] \
                if any(t in POLY_ARGS for t in sig) else list(sig)
            b = agg.specialize(list(actual))
            b.arg_types = sig
            return b
        return agg
    raise _function_error(name, argtypes, status, location)


POLY_ARGS = frozenset((2283, 2277, 2776, 5077, 5078, 5079, 3500, 2276, 3831, 4537, 4538, 5080))


def is_aggregate(name: str, session: Any = None) -> bool:
    if aggregates(name):
        return True
    if session is not None and getattr(session, "db", None) is not None:
        from tuskdb.sql.commands.aggregatecmds import user_aggregates
        return bool(user_aggregates(session, name))
    return False
