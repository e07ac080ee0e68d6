"""CREATE AGGREGATE (PostgreSQL's aggregatecmds.c / pg_aggregate.c) and running
user-defined aggregates.

An aggregate is a pg_proc row of prokind 'a' plus its pg_aggregate row (transition,
final, combine and moving-aggregate functions as regproc OIDs, the transition type,
the initial condition as text).  Transition and final functions are user SQL
functions or built-ins with an implementation.

    define_aggregate(s, raw)     old (BASETYPE =) and new syntax; the transition
                                 function is looked up with (stype, inputs...) and must
                                 return stype; the final function with (stype
                                 [, inputs... when FINALFUNC_EXTRA])
    user_aggregates(s, name)     UserAggregate per visible pg_proc row, for resolution
      UserAggregate.specialize(actual input types) -> BoundAggregate
        BoundAggregate.bind(ctx) -> types.Aggregate whose trans/final call the functions

Run-time semantics are nodeAgg's: a strict transition function skips rows with a NULL
input, and without an initial condition the first non-NULL input becomes the state; a
strict final function is not called for a NULL state.  Moving-aggregate functions are
recorded but the executor always uses the plain transition function (same results).
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (FEATURE_NOT_SUPPORTED, INVALID_FUNCTION_DEFINITION,
                           UNDEFINED_FUNCTION, PgError)
from tuskdb.types import Array

AGGREGATE_CLASS = 2600
DATATYPE_MISMATCH = "42804"
_NO_VALUE = object()        # the state before the first input when there is no INITCOND


def _type_of(state: Any, node: dict) -> int:
    from tuskdb.sql.analyze.expr import resolve_type_name
    if "String" in node:        # basetype = 'ANY' / stype = 'int4' (a quoted name)
        text = node["String"]["sval"]
        if text.lower() == "any":
            return 2276
        from tuskdb.sql import parser
        cast = parser.parse(f"SELECT NULL::{text}")[0].body["targetList"][0]["ResTarget"]
        node = {"TypeName": cast["val"]["TypeCast"]["typeName"]}
    tn = node.get("TypeName", node)
    names = [n["String"]["sval"] for n in tn.get("names", [])]
    if names and names[-1] == "internal" and not tn.get("arrayBounds"):
        return 2281
    names = [n["String"]["sval"] for n in tn.get("names", [])]
    if len(names) == 1 and names[0].lower() == "any" and not tn.get("arrayBounds"):
        return 2276
    return resolve_type_name(tn, state)[0]


def _def_text(arg: dict | None) -> str | None:
    if arg is None:
        return None
    if "TypeName" in arg:
        return ".".join(n["String"]["sval"] for n in arg["TypeName"]["names"])
    if "String" in arg:
        return arg["String"]["sval"]
    if "Integer" in arg:
        return str(arg["Integer"]["ival"])
    if "Float" in arg:
        return arg["Float"]["fval"]
    if "Boolean" in arg:
        return "true" if arg["Boolean"].get("boolval") else "false"
    if "List" in arg:
        return ".".join(_def_text(i) or "" for i in arg["List"]["items"])
    return None


def define_aggregate(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.analyze import polymorphic as P
    from tuskdb.sql.commands.functioncmds import _sig
    from tuskdb.sql.commands.tablecmds import _state

    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    names = [n["String"]["sval"] for n in body["defnames"]]
    name = names[-1]
    if len(names) > 1:
        nsp = cat.namespace_oid(names[-2])
        if nsp is None:
            raise PgError("3F000", f'schema "{names[-2]}" does not exist')
    else:
        nsp = s.creation_namespace(cat)
    opts: dict[str, Any] = {}
    for d in body.get("definition") or []:
        de = d["DefElem"]
        opts[de["defname"]] = de.get("arg")
    # the aggregate's arguments
    direct = 0
    kind = "n"
    argnames: list[str] = []
    variadic = 0
    argtypes: list[int] = []
    if body.get("oldstyle"):
        pass
    else:
        args = body.get("args") or [{}, {"Integer": {"ival": -1}}]
        plist = (args[0].get("List") or {}).get("items") or []
        ndirect = args[1].get("Integer", {}).get("ival", -1) if len(args) > 1 else -1
        argtypes = []
        for prm in plist:
            fp = prm["FunctionParameter"]
            t = _type_of(state, fp["argType"])
            argtypes.append(t)
            argnames.append(fp.get("name") or "")
            if fp.get("mode") == "FUNC_PARAM_VARIADIC":
                vt = types.TYPES.get(t)
                variadic = 2276 if t == 2276 else {2277: 2283, 5078: 5077}.get(
                    t, vt.elem_oid if vt is not None else 0)
        if ndirect >= 0:
            kind, direct = "o", ndirect
            if opts.get("hypothetical") is not None:
                kind = "h"
    for key in opts:
        if key not in _KNOWN_OPTIONS:
            from tuskdb.errors import notice
            s.add_notice(notice(f'aggregate attribute "{key}" not recognized',
                                sqlstate="42601", severity="WARNING"))
    stype_node = opts.get("stype", opts.get("stype1"))
    if stype_node is None:
        raise PgError(INVALID_FUNCTION_DEFINITION, "aggregate stype must be specified")
    sfunc_node = opts.get("sfunc", opts.get("sfunc1"))
    if sfunc_node is None:
        raise PgError(INVALID_FUNCTION_DEFINITION, "aggregate sfunc must be specified")
    if body.get("oldstyle"):
        base = opts.get("basetype")
        if base is None:
            raise PgError(INVALID_FUNCTION_DEFINITION, "aggregate input type must be "
                          "specified")
        bt = _type_of(state, base)
        argtypes = [] if bt == 2276 and (_def_text(base) or "").lower() == "any" else [bt]
    stype = _type_of(state, stype_node)
    moving: dict[str, Any] = {}
    if opts.get("msfunc") is not None or opts.get("minvfunc") is not None:
        moving = _check_moving(s, state, opts, argtypes)
    if (opts.get("serialfunc") is None) != (opts.get("deserialfunc") is None):
        raise PgError(INVALID_FUNCTION_DEFINITION, "must specify both or neither of "
                      "serialization and deserialization functions")
    if opts.get("serialfunc") is not None and stype != 2281:
        raise PgError(INVALID_FUNCTION_DEFINITION, "serialization functions may be specified "
                      "only when the aggregate transition data type is internal")
    if stype == 2281:
        raise PgError(FEATURE_NOT_SUPPORTED, "aggregates with transition type internal are "
                      "not supported")
    poly_inputs = [t for t in argtypes if t in P.POLYMORPHIC]
    _check_polymorphic(stype, argtypes, "cannot determine transition data type")
    # the transition function: (stype, inputs...) returning stype
    trans_args = [stype] + argtypes
    tfn, t_ret = _lookup_function(s, state, _def_text(sfunc_node), trans_args, variadic)
    if t_ret != stype and not (t_ret in P.POLYMORPHIC and stype in P.POLYMORPHIC) and \
            not _binary_coercible(t_ret, stype):
        from tuskdb.sql.analyze.coerce import type_name
        raise PgError(DATATYPE_MISMATCH, f"return type of transition function "
                      f"{_def_text(sfunc_node)} is not {type_name(stype)}")
    tstrict = tfn.strict
    initcond = _def_text(opts.get("initcond", opts.get("initcond1")))
    if tstrict and initcond is None and argtypes and not _binary_coercible(argtypes[0],
                                                                             stype):
        raise PgError(INVALID_FUNCTION_DEFINITION, "must not omit initial value when "
                      "transition function is strict and transition type is not compatible "
                      "with input type")
    finalextra = (_def_text(opts.get("finalfunc_extra")) or "false").lower() in (
        "true", "on", "1", "yes")
    ffn = None
    ret = stype
    if opts.get("finalfunc") is not None:
        fargs = [stype] + (argtypes if finalextra else [])
        ffn, ret = _lookup_function(s, state, _def_text(opts["finalfunc"]), fargs, 0)
    _check_polymorphic(ret, argtypes, "cannot determine result data type")
    if initcond is not None and stype not in P.POLYMORPHIC:
        types.TYPES[stype].input(initcond, -1, s.type_context)   # validated now
    parallel = (_def_text(opts.get("parallel")) or "unsafe").lower()
    if parallel not in ("safe", "restricted", "unsafe"):
        raise PgError("22023", 'parameter "parallel" must be SAFE, RESTRICTED, or UNSAFE')
    p = COLUMN_POS["pg_proc"]
    existing = [(tid, row) for tid, row in cat.find("pg_proc", proname=name, pronamespace=nsp)
                if list(row[p["proargtypes"]].items if row[p["proargtypes"]] else []) ==
                argtypes]
    oid = cat.m.next_oid()
    all_modes = None
    if variadic:
        all_modes = Array(["i"] * (len(argtypes) - 1) + ["v"])
    from tuskdb.sql.commands.defaclcmds import default_acl
    me = s.current_user_oid(cat)
    row = make_row(
        "pg_proc", oid=oid, proname=name, pronamespace=nsp, proowner=me, prolang=12,
        proacl=default_acl(cat, "f", me, nsp),
        procost=1.0, prorows=0.0, prosupport=0, prokind="a", prosecdef=False,
        proleakproof=False, proisstrict=False, proretset=False, provolatile="i",
        proparallel=parallel[0], pronargs=len(argtypes), pronargdefaults=0, prorettype=ret,
        proargtypes=Array(argtypes, 0), provariadic=variadic,
        proallargtypes=Array(argtypes) if all_modes is not None else None,
        proargmodes=all_modes,
        proargnames=Array(argnames) if any(argnames) else None,
        prosrc="aggregate_dummy")
    if existing:
        tid, old = existing[0]
        if not body.get("replace"):
            raise PgError("42723", f"function {name}({_sig(argtypes)}) already exists with "
                          f"same argument types")
        if old[p["prokind"]] != "a":
            raise PgError(INVALID_FUNCTION_DEFINITION, "cannot change routine kind",
                          detail=f'"{name}" is a function.')
        old_kind = next((r[COLUMN_POS["pg_aggregate"]["aggkind"]] for _, r in
                         cat.find("pg_aggregate", aggfnoid=old[p["oid"]])), "n")
        if old_kind != kind:
            raise PgError(INVALID_FUNCTION_DEFINITION, "cannot change routine kind",
                          detail=f'"{name}" is {_KIND_DETAIL[old_kind]}.')
        if old[p["prorettype"]] != ret:
            raise PgError(INVALID_FUNCTION_DEFINITION, "cannot change return type of "
                          "existing function",
                          hint=f"Use DROP AGGREGATE {name}({_sig(argtypes)}) first.")
        oid = old[p["oid"]]
        _refuse_kind(kind)
        cat.update("pg_proc", tid, replace("pg_proc", row, oid=oid))
        cat.delete_where("pg_aggregate", aggfnoid=oid)
    else:
        _refuse_kind(kind)
        cat.insert("pg_proc", row)
    cat.insert("pg_aggregate", make_row(
        "pg_aggregate", aggfnoid=oid, aggkind=kind, aggnumdirectargs=direct,
        aggtransfn=tfn.oid, aggfinalfn=ffn.oid if ffn is not None else 0,
        aggcombinefn=0, aggserialfn=0, aggdeserialfn=0,
        aggmtransfn=moving.get("mtrans", 0), aggminvtransfn=moving.get("minv", 0),
        aggmfinalfn=moving.get("mfinal", 0), aggfinalextra=finalextra,
        aggmfinalextra=moving.get("mfinalextra", False),
        aggfinalmodify="r", aggmfinalmodify="r", aggsortop=0, aggtranstype=stype,
        aggtransspace=0, aggmtranstype=moving.get("mstype", 0), aggmtransspace=0,
        agginitval=initcond, aggminitval=moving.get("minit")))
    cat.command_counter_increment()
    del poly_inputs
    return QueryResult(tag="CREATE AGGREGATE")


def _check_moving(s: Any, state: Any, opts: dict, argtypes: list[int]) -> dict[str, Any]:
    """The moving-aggregate functions: MSFUNC and MINVFUNC take (mstype, inputs...),
    return mstype, and are both strict or both not.  Returns their pg_aggregate
    fields."""
    from tuskdb.sql.analyze.coerce import type_name
    if opts.get("mstype") is None:
        raise PgError(INVALID_FUNCTION_DEFINITION, "aggregate mstype must be specified when "
                      "aggregate msfunc is specified")
    mstype = _type_of(state, opts["mstype"])
    if opts.get("msfunc") is None or opts.get("minvfunc") is None:
        raise PgError(INVALID_FUNCTION_DEFINITION, "aggregate msfunc and minvfunc must be "
                      "specified together")
    fwd, fret = _lookup_function(s, state, _def_text(opts["msfunc"]), [mstype] + argtypes, 0)
    if fret != mstype:
        raise PgError(DATATYPE_MISMATCH, f"return type of transition function "
                      f"{_def_text(opts['msfunc'])} is not {type_name(mstype)}")
    inv, iret = _lookup_function(s, state, _def_text(opts["minvfunc"]), [mstype] + argtypes,
                                 0)
    if iret != mstype:
        raise PgError(DATATYPE_MISMATCH, f"return type of inverse transition function "
                      f"{_def_text(opts['minvfunc'])} is not {type_name(mstype)}")
    if fwd.strict != inv.strict:
        raise PgError(INVALID_FUNCTION_DEFINITION, "strictness of aggregate's forward and "
                      "inverse transition functions must match")
    mextra = (_def_text(opts.get("mfinalfunc_extra")) or "false").lower() in (
        "true", "on", "1", "yes")
    mfinal = 0
    if opts.get("mfinalfunc") is not None:
        mfinal = _lookup_function(s, state, _def_text(opts["mfinalfunc"]),
                                  [mstype] + (argtypes if mextra else []), 0)[0].oid
    return {"mtrans": fwd.oid, "minv": inv.oid, "mfinal": mfinal, "mstype": mstype,
            "minit": _def_text(opts.get("minitcond")), "mfinalextra": mextra}


_KIND_DETAIL = {"n": "an ordinary aggregate function", "o": "an ordered-set aggregate",
                "h": "a hypothetical-set aggregate"}


def _refuse_kind(kind: str) -> None:
    if kind != "n":
        raise PgError(FEATURE_NOT_SUPPORTED, "user-defined ordered-set aggregates are not "
                      "supported")


_KNOWN_OPTIONS = frozenset((
    "sfunc", "sfunc1", "stype", "stype1", "basetype", "finalfunc", "initcond", "initcond1",
    "combinefunc", "serialfunc", "deserialfunc", "msfunc", "minvfunc", "mstype", "mfinalfunc",
    "minitcond", "finalfunc_extra", "mfinalfunc_extra", "finalfunc_modify",
    "mfinalfunc_modify", "sortop", "parallel", "hypothetical", "sspace", "msspace"))


def _binary_coercible(src: int, dst: int) -> bool:
    if src == dst:
        return True
    cast = types.CASTS.get((src, dst))
    return cast is not None and cast.func is None and cast.method == "b"


def _check_polymorphic(t: int, argtypes: list[int], message: str) -> None:
    from tuskdb.sql.commands.functioncmds import _check_polymorphic_result
    try:
        _check_polymorphic_result(t, argtypes)
    except PgError as err:
        err.message = message
        raise


def _lookup_function(s: Any, state: Any, fname: str, argtypes: list[int], variadic: int
                     ) -> tuple[Any, int]:
    """lookup_agg_function: the function ``fname(argtypes)`` (a user SQL function or a
    built-in); returns it and its result type for these argument types."""
    from tuskdb.sql.analyze.polymorphic import POLYMORPHIC
    from tuskdb.sql.analyze.polymorphic import enforce as enforce_polymorphic
    from tuskdb.sql.analyze.resolve import expand_variadic, functions, select_candidate
    from tuskdb.sql.commands.functioncmds import _sig, lookup_functions
    parts = fname.split(".")
    cands = []
    for fn in lookup_functions(s, parts[-1]):
        if fn.prokind != "f":
            continue
        sig = expand_variadic(fn, len(argtypes)) if fn.variadic else tuple(fn.argtypes)
        if sig is not None and len(sig) == len(argtypes):
            cands.append((fn, tuple(fn.argtypes) if fn.variadic and len(fn.argtypes) ==
                          len(argtypes) else sig))
    for fn in functions(parts[-1]):
        sig = expand_variadic(fn, len(argtypes))
        if sig is not None:
            cands.append((fn, sig))
    chosen, status = select_candidate(cands, list(argtypes), lambda c: c[1]) if cands \
        else ([], "none")
    shown = f"{parts[-1]}({_sig(argtypes)})"
    if status != "ok":
        raise PgError(UNDEFINED_FUNCTION, f"function {shown} does not exist")
    fn, sig = chosen[0]
    want = list(sig)
    if any(d in POLYMORPHIC for d in sig) and not any(a in POLYMORPHIC for a in argtypes):
        try:
            want = list(enforce_polymorphic(list(argtypes), tuple(sig), 2278)[0])
        except PgError:
            want = list(sig)
    for a, d in zip(argtypes, want):
        if a != d and d not in POLYMORPHIC and d != 2276 and not _binary_coercible(a, d):
            raise PgError(DATATYPE_MISMATCH, f"function {parts[-1]}({_sig(want)}) requires "
                          f"run-time type coercion")
    ret = fn.ret_type if hasattr(fn, "ret_type") else fn.ret_type
    if ret in POLYMORPHIC:
        try:
            ret = enforce_polymorphic(list(argtypes), tuple(sig), ret)[1]
        except PgError:
            pass
    return _Routine(fn), ret


class _Routine:
    """A transition/final function, user SQL or built-in, with a uniform call."""

    def __init__(self, fn: Any) -> None:
        self.fn = fn
        self.oid = fn.oid
        self.strict = bool(getattr(fn, "strict", True))
        self.user = hasattr(fn, "run_body")

    def call(self, ctx: Any, args: tuple, argtypes: tuple[int, ...]) -> Any:
        fn = self.fn
        if self.user:
            return fn.call(ctx, args, argtypes)
        if self.strict and None in args:
            return None
        impl = fn.func
        return impl(ctx.types, *args) if getattr(fn, "needs_ctx", False) else impl(*args)


def _routine_by_oid(s: Any, oid: int) -> Any:
    from tuskdb.sql.analyze.resolve import _index, _FUNCS, _INDEXED
    from tuskdb.sql.commands.functioncmds import routine_for_row
    if oid == 0:
        return None
    if oid >= 16384:
        found = s.catalog().find("pg_proc", oid=oid)
        if not found:
            raise PgError("XX000", f"cache lookup failed for function {oid}")
        return _Routine(routine_for_row(found[0][1]))
    if not _INDEXED:
        _index()
    for fns in _FUNCS.values():
        for fn in fns:
            if fn.oid == oid:
                return _Routine(fn)
    raise PgError("XX000", f"cache lookup failed for function {oid}")


class UserAggregate:
    """A user-defined aggregate as resolution sees it (like types.Aggregate)."""

    def __init__(self, s: Any, prow: tuple, arow: tuple) -> None:
        p = COLUMN_POS["pg_proc"]
        a = COLUMN_POS["pg_aggregate"]
        self.oid = prow[p["oid"]]
        self.name = prow[p["proname"]]
        self.arg_types = tuple(prow[p["proargtypes"]].items) if prow[p["proargtypes"]] \
            else ()
        self.ret_type = prow[p["prorettype"]]
        self.variadic = prow[p["provariadic"]]
        self.acl, self.owner = prow[p["proacl"]], prow[p["proowner"]]
        self.kind = arow[a["aggkind"]]
        self.num_direct = arow[a["aggnumdirectargs"]]
        self.trans_type = arow[a["aggtranstype"]]
        self.initval = arow[a["agginitval"]]
        self.finalextra = arow[a["aggfinalextra"]]
        self.transfn = _routine_by_oid(s, arow[a["aggtransfn"]])
        self.finalfn = _routine_by_oid(s, arow[a["aggfinalfn"]])
        # moving-aggregate implementation (windows whose frame head moves)
        self.mtransfn = _routine_by_oid(s, arow[a["aggmtransfn"]])
        self.minvfn = _routine_by_oid(s, arow[a["aggminvtransfn"]])
        self.mfinalfn = _routine_by_oid(s, arow[a["aggmfinalfn"]])
        self.mtrans_type = arow[a["aggmtranstype"]]
        self.minitval = arow[a["aggminitval"]]
        self.mfinalextra = arow[a["aggmfinalextra"]]
        self.strict = self.transfn.strict
        self.combine = None
        self.sortop = 0

    def specialize(self, actual: list[int]) -> BoundAggregate:
        from tuskdb.sql.analyze.polymorphic import POLYMORPHIC
        from tuskdb.sql.analyze.polymorphic import enforce as enforce_polymorphic
        declared = self.arg_types
        if self.variadic and len(actual) != len(declared):
            declared = declared[:-1] + (self.variadic,) * (len(actual) - len(declared) + 1)
        stype = self.trans_type
        if stype in POLYMORPHIC:
            stype = enforce_polymorphic(list(actual), tuple(declared), stype)[1]
        ret = self.ret_type
        if ret in POLYMORPHIC:
            ret = enforce_polymorphic(list(actual), tuple(declared), ret)[1]
        return BoundAggregate(self, tuple(actual), stype, ret)


class BoundAggregate:
    """A user aggregate for one set of actual input types; ``bind(ctx)`` gives the
    executor's types.Aggregate."""

    def __init__(self, ua: UserAggregate, actual: tuple[int, ...], stype: int,
                 ret: int) -> None:
        self.ua = ua
        self.oid = ua.oid
        self.name = ua.name
        self.arg_types = ua.arg_types
        self.ret_type = ret
        self.trans_type = stype
        self.actual = actual
        self.strict = ua.strict
        self.kind = ua.kind
        self.num_direct = ua.num_direct
        self.combine = None
        self.sortop = 0
        self.init = self._init_fn()
        self.trans = None
        self.final = None

    def _init_fn(self) -> Any:
        ua = self.ua
        if ua.initval is None:
            return (lambda: _NO_VALUE) if ua.strict else (lambda: None)
        t = types.TYPES[self.trans_type]
        text = ua.initval
        return lambda: t.input(text, -1, types.DEFAULT_CONTEXT)

    def bind(self, ctx: Any) -> Any:
        ua = self.ua
        if ua.acl is not None:
            # EXECUTE on the aggregate, checked when the query runs
            from tuskdb.catalog import aclchk
            s = ctx.session
            cat = s.catalog()
            uid, is_super = s._role_facts(cat)
            items = aclchk.parse_acl(ua.acl, "function", aclchk.role_name(cat, ua.owner))
            if not is_super and aclchk.aclmask(cat, items, uid, ua.owner, "X") != "X":
                raise aclchk.permission_denied("aggregate", ua.name)
        tfn, ffn = ua.transfn, ua.finalfn
        targs = (self.trans_type,) + self.actual
        fargs = (self.trans_type,) + (self.actual if ua.finalextra else ())
        n_extra = len(self.actual) if ua.finalextra else 0
        strict = ua.strict
        pack = None
        if ua.variadic and ua.variadic != 2276 and tfn.user and \
                len(tfn.fn.argtypes) == len(ua.arg_types) + 1:
            pack = len(ua.arg_types) - 1     # the VARIADIC inputs reach it as one array
            vt = types.TYPES.get(self.actual[pack]) if len(self.actual) > pack else None
            targs = (self.trans_type,) + self.actual[:pack] + (
                vt.array_oid if vt is not None else 2277,)

        def trans(state: Any, *vals: Any) -> Any:
            if state is _NO_VALUE:
                return vals[0] if vals else None
            if strict and state is None:
                return None
            if pack is not None:
                vals = vals[:pack] + (Array(vals[pack:]),)
            return tfn.call(ctx, (state,) + vals, targs)

        def final(state: Any) -> Any:
            if state is _NO_VALUE:
                state = None
            if ffn is None:
                return state
            if ffn.strict and state is None:
                return None
            return ffn.call(ctx, (state,) + (None,) * n_extra, fargs)
        return types.Aggregate(self.oid, self.name, self.arg_types, self.ret_type,
                               self.trans_type, self.init, trans, final, None, strict, 0,
                               self.kind, self.num_direct)

    @property
    def has_moving(self) -> bool:
        return self.ua.minvfn is not None

    def bind_moving(self, ctx: Any) -> MovingAggregate:
        from tuskdb.sql.analyze.polymorphic import POLYMORPHIC
        from tuskdb.sql.analyze.polymorphic import enforce as enforce_polymorphic
        ua = self.ua
        mstype = ua.mtrans_type
        if mstype in POLYMORPHIC:
            declared = ua.arg_types
            mstype = enforce_polymorphic(list(self.actual), tuple(declared), mstype)[1]
        return MovingAggregate(ctx, ua, self.actual, mstype)


class MovingAggregate:
    """A user aggregate's moving-aggregate functions bound to a context, with
    nodeWindowAgg's state rules: ``count`` non-NULL (strict) inputs are in the state;
    removing the last one re-initializes it; an inverse returning NULL asks for a
    restart."""

    def __init__(self, ctx: Any, ua: UserAggregate, actual: tuple[int, ...],
                 mstype: int) -> None:
        self.ctx = ctx
        self.ua = ua
        self.targs = (mstype,) + actual
        self.fargs = (mstype,) + (actual if ua.mfinalextra else ())
        self.n_extra = len(actual) if ua.mfinalextra else 0
        self.strict = ua.mtransfn.strict
        self.inv_strict = ua.minvfn.strict
        t = types.TYPES.get(mstype)
        self.initval = None if ua.minitval is None or t is None else \
            t.input(ua.minitval, -1, types.DEFAULT_CONTEXT)
        self.reset()

    def reset(self) -> None:
        self.state = self.initval
        self.count = 0

    def add(self, vals: tuple) -> None:
        if self.strict:
            if None in vals:
                return
            if self.count == 0 and self.state is None:
                self.state = vals[0] if vals else None
                self.count = 1
                return
            if self.state is None:
                return
        new = self.ua.mtransfn.call(self.ctx, (self.state,) + vals, self.targs)
        if new is None:
            raise PgError("22004", "moving-aggregate transition function must not return "
                          "null")
        self.state = new
        self.count += 1

    def remove(self, vals: tuple) -> bool:
        if self.inv_strict and None in vals:
            return True
        if self.count == 1:
            self.reset()
            return True
        new = self.ua.minvfn.call(self.ctx, (self.state,) + vals, self.targs)
        if new is None:
            return False
        self.state = new
        self.count -= 1
        return True

    def result(self) -> Any:
        f = self.ua.mfinalfn
        if f is None:
            return self.state
        if f.strict and self.state is None:
            return None
        return f.call(self.ctx, (self.state,) + (None,) * self.n_extra, self.fargs)


def user_aggregates(s: Any, name: str) -> list[UserAggregate]:
    """The user-defined aggregates named ``name`` visible on the search_path."""
    if getattr(s, "db", None) is None:
        return []
    cat = s.catalog()
    p = COLUMN_POS["pg_proc"]
    path = s.search_path_oids(cat)
    out = []
    for _, row in cat.find("pg_proc", proname=name):
        if row[p["prokind"]] != "a" or row[p["pronamespace"]] not in path:
            continue
        found = cat.find("pg_aggregate", aggfnoid=row[p["oid"]])
        if found:
            out.append(UserAggregate(s, row, found[0][1]))
    return out


def drop_aggregate(s: Any, raw: Any) -> QueryResult:
    from tuskdb.errors import notice
    from tuskdb.sql.commands.functioncmds import lookup_routine
    from tuskdb.sql.commands.tablecmds import _state
    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    for obj in body["objects"]:
        owa = dict(obj["ObjectWithArgs"])
        owa.pop("args_unspecified", None)
        found = lookup_routine(s, state, owa, "OBJECT_AGGREGATE", bool(body.get("missing_ok")))
        if found is None:
            from tuskdb.sql.commands.functioncmds import routine_shown, skipping_notice
            shown = routine_shown(owa, state)
            s.add_notice(notice(skipping_notice(owa, state) or
                                f"aggregate {shown} does not exist, skipping"))
            continue
        oid = found[1][COLUMN_POS["pg_proc"]["oid"]]
        from tuskdb.sql.commands.functioncmds import _check_routine_owner
        _check_routine_owner(s, cat, found[1])
        cat.delete("pg_proc", found[0])
        cat.delete_where("pg_aggregate", aggfnoid=oid)
        cat.delete_where("pg_description", objoid=oid)
        cat.command_counter_increment()
    return QueryResult(tag="DROP AGGREGATE")
