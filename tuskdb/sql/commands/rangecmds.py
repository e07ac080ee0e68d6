"""CREATE TYPE ... AS RANGE (PostgreSQL's typecmds.c DefineRange).

    create_range(s, raw)
      _parse_params            subtype, subtype_opclass, collation, canonical,
                               subtype_diff, multirange_type_name (each once)
      _subtype_opclass         the btree operator class ordering the subtype
      _subtype_diff            float8 f(subtype, subtype), immutable
      _multirange_name         'textrange' -> 'textmultirange', 'intr' -> 'intr_multirange'
      pg_type rows             range, multirange and their array types
      pg_range row
      pg_proc rows             range constructors name(sub, sub[, text]) and multirange
                               constructors mname(), mname(range), mname(VARIADIC range[])
                               (prolang internal; ``internal_function`` runs them)
      pg_cast row              range -> multirange (explicit)
      pg_depend rows           the multirange, array types, constructors and cast are
                               internal to the range type: DROP TYPE takes them along

The types layer learns the new pair when the catalog loads the pg_type rows
(``catalog/typecache.py`` reads pg_range).
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.catalog.rows import COLUMN_POS, make_row
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (DATATYPE_MISMATCH, FEATURE_NOT_SUPPORTED, SYNTAX_ERROR,
                           UNDEFINED_FUNCTION, UNDEFINED_OBJECT, PgError)
from tuskdb.sql.commands import typecmds

_T = COLUMN_POS["pg_type"]
_P = COLUMN_POS["pg_proc"]
DUPLICATE_OBJECT = "42710"
INVALID_OBJECT_DEFINITION = "42P17"
WRONG_OBJECT_TYPE = "42809"
INTERNAL_LANG = 12
_PARAMS = ("subtype", "subtype_opclass", "collation", "canonical", "subtype_diff",
           "multirange_type_name")
COLLATIONS = {"default": 100, "C": 950, "POSIX": 951}
# btree operator classes by name (PostgreSQL 18's pg_opclass OIDs) -> (oid, input type)
_NAMED_OPCLASSES = {"text_pattern_ops": (4217, 25), "varchar_pattern_ops": (4218, 25),
                    "bpchar_pattern_ops": (4219, 1042), "array_ops": (10000, 2277),
                    "record_ops": (10034, 2249), "enum_ops": (10069, 3500),
                    "range_ops": (10076, 3831), "multirange_ops": (10080, 4537)}


def create_range(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    state = typecmds._state(s, raw)
    names = typecmds._names(body["typeName"])
    nsp = typecmds._creation_namespace(s, cat, names)
    name = names[-1]
    shell = typecmds._check_type_name_free(cat, nsp, name)
    params = _parse_params(body.get("params") or [], state)
    if "subtype" not in params:
        raise PgError(INVALID_OBJECT_DEFINITION, 'type attribute "subtype" is required')
    from tuskdb.sql.analyze.expr import resolve_type_name
    subtype, _ = resolve_type_name(params["subtype"], state)
    sub_t = cat.type_by_oid(subtype) or types.TYPES.get(subtype)
    if sub_t is None or sub_t.typtype == "p":
        from tuskdb.sql.analyze.coerce import type_name
        raise PgError(DATATYPE_MISMATCH, f"range subtype cannot be {type_name(subtype)}")
    base = _base(subtype)
    collatable = _collatable(base)
    collation = 0
    if "collation" in params:
        if not collatable:
            raise PgError(WRONG_OBJECT_TYPE, "range collation specified but subtype does not "
                          "support collation")
        collation = _collation(params["collation"], state)
    elif collatable:
        collation = 100
    if "canonical" in params:
        if shell is None:
            raise PgError(INVALID_OBJECT_DEFINITION, "cannot specify a canonical function "
                          "without a pre-created shell type",
                          hint="Create the type as a shell type, then create its "
                               "canonicalization function, then do a full CREATE TYPE.")
        raise PgError(FEATURE_NOT_SUPPORTED, "range canonical functions are not supported")
    opclass = _subtype_opclass(params.get("subtype_opclass"), subtype, base)
    subdiff = _subtype_diff(s, cat, params["subtype_diff"], subtype) \
        if "subtype_diff" in params else 0

    owner = typecmds._owner(s, cat)
    mr_names = typecmds._names(params["multirange_type_name"]["names"]) \
        if "multirange_type_name" in params else None
    if mr_names is not None:
        mr_nsp = typecmds._creation_namespace(s, cat, mr_names)
        mr_name = mr_names[-1]
        _claim_type_name(cat, mr_nsp, mr_name, None)
    else:
        mr_nsp, mr_name = nsp, multirange_name(name)
        _claim_type_name(cat, mr_nsp, mr_name, name)

    oid = shell[1][_T["oid"]] if shell else cat.m.next_oid()
    array_oid = cat.m.next_oid()
    mr_oid = cat.m.next_oid()
    mr_array_oid = cat.m.next_oid()
    align = "d" if sub_t.align == "d" else "i"
    typecmds.insert_type(cat, oid=oid, name=name, nsp=nsp, owner=owner, typtype="r",
                         typlen=-1, byval=False, category="R", align=align, storage="x",
                         array_oid=array_oid, shell=shell,
                         procs=("range_in", "range_out", "range_recv", "range_send"))
    typecmds.insert_type(cat, oid=mr_oid, name=mr_name, nsp=mr_nsp, owner=owner, typtype="m",
                         typlen=-1, byval=False, category="R", align=align, storage="x",
                         array_oid=mr_array_oid,
                         procs=("multirange_in", "multirange_out", "multirange_recv",
                                "multirange_send"))
    _dep = typecmds._depend
    _dep(cat, 1247, mr_oid, 1247, oid, "i")
    _dep(cat, 1247, oid, 1247, subtype, "n")
    if collation not in (0, 100):
        _dep(cat, 1247, oid, 3456, collation, "n")
    cat.insert("pg_range", make_row(
        "pg_range", rngtypid=oid, rngsubtype=subtype, rngmultitypid=mr_oid,
        rngcollation=collation, rngsubopc=opclass, rngcanonical=0, rngsubdiff=subdiff))
    if subdiff:
        _dep(cat, 1247, oid, 1255, subdiff, "n")

    def proc(pname: str, pnsp: int, args: list[int], ret: int, src: str, strict: bool,
             variadic: int = 0) -> int:
        poid = cat.m.next_oid()
        cat.insert("pg_proc", make_row(
            "pg_proc", oid=poid, proname=pname, pronamespace=pnsp, proowner=owner,
            prolang=INTERNAL_LANG, procost=1.0, prorows=0.0, provariadic=variadic,
            prosupport=0, prokind="f", prosecdef=False, proleakproof=False,
            proisstrict=strict, proretset=False, provolatile="i", proparallel="s",
            pronargs=len(args), pronargdefaults=0, prorettype=ret,
            proargtypes=types.Array(args, 0),
            proargmodes=types.Array(["v"]) if variadic else None, prosrc=src))
        for t in {*args, ret}:
            _dep(cat, 1255, poid, 1247, t, "n")
        _dep(cat, 1255, poid, 2615, pnsp, "n")
        _dep(cat, 1255, poid, 1247, ret, "i")
        return poid

    proc(name, nsp, [subtype, subtype], oid, "range_constructor2", False)
    proc(name, nsp, [subtype, subtype, 25], oid, "range_constructor3", False)
    proc(mr_name, mr_nsp, [], mr_oid, "multirange_constructor0", True)
    ctor1 = proc(mr_name, mr_nsp, [oid], mr_oid, "multirange_constructor1", True)
    proc(mr_name, mr_nsp, [array_oid], mr_oid, "multirange_constructor2", True, oid)
    cast_oid = cat.m.next_oid()
    cat.insert("pg_cast", make_row("pg_cast", oid=cast_oid, castsource=oid, casttarget=mr_oid,
                                   castfunc=ctor1, castcontext="e", castmethod="f"))
    _dep(cat, 2605, cast_oid, 1247, oid, "i")
    _dep(cat, 2605, cast_oid, 1247, mr_oid, "i")
    cat.command_counter_increment()
    cat.type_by_oid(oid)
    cat.type_by_oid(mr_oid)
    return QueryResult(tag="CREATE TYPE")


def _parse_params(params: list[dict], state: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in params:
        d = p["DefElem"]
        key = d["defname"].lower()
        if key not in _PARAMS:
            raise PgError(SYNTAX_ERROR, f'type attribute "{d["defname"]}" not recognized')
        if key in out:
            raise PgError(SYNTAX_ERROR, "conflicting or redundant options",
                          position=state.pos(d.get("location")))
        out[key] = d.get("arg", {}).get("TypeName") or d.get("arg")
    return out


def _base(oid: int) -> int:
    from tuskdb.types.usertypes import base_type
    return base_type(oid)


def _collatable(base: int) -> bool:
    t = types.TYPES.get(base)
    return t is not None and t.category == "S" and base != 19


def _collation(tn: dict, state: Any) -> int:
    names = typecmds._names(tn["names"])
    from tuskdb.sql.analyze.expr import check_collation
    check_collation(names, state.pos(tn.get("location")))
    return COLLATIONS.get(names[-1], 950)


def _subtype_opclass(tn: dict | None, subtype: int, base: int) -> int:
    """The btree operator class of the subtype (the default one unless named)."""
    from tuskdb.catalog.partition import BTREE_OPCLASS
    from tuskdb.sql.analyze.coerce import type_name
    from tuskdb.sql.commands.partition import _OPCLASS_NAMES
    t = types.TYPES.get(base)
    if tn is None:
        opc = BTREE_OPCLASS.get(base)
        if opc is None and t is not None:
            opc = {"A": 10000, "E": 10069, "R": 10076 if t.typtype == "r" else 10080}.get(
                t.category)
            if t.typtype == "c" or base == 2249:
                opc = 10034
        if opc is None:
            raise PgError(UNDEFINED_OBJECT, f"data type {type_name(subtype)} has no default "
                          'operator class for access method "btree"',
                          hint="You must specify an operator class for the range type or "
                               "define a default operator class for the subtype.")
        return opc
    name = typecmds._names(tn["names"])[-1]
    known = dict(_NAMED_OPCLASSES)
    from tuskdb.catalog.partition import BTREE_OPCLASS as _B
    for tid, opc in _B.items():
        nm = _OPCLASS_NAMES.get(opc)
        if nm is not None and nm not in known:
            known[nm] = (opc, tid)
    if name not in known:
        raise PgError(UNDEFINED_OBJECT, f'operator class "{name}" does not exist for access '
                      'method "btree"')
    opc, intype = known[name]
    ok = intype == base or (intype == 2277 and t is not None and t.category == "A") or \
        (intype == 2249 and t is not None and t.typtype == "c") or \
        (intype == 3500 and t is not None and t.typtype == "e") or \
        (intype == 25 and base in (25, 1043))
    if not ok:
        raise PgError(DATATYPE_MISMATCH, f'operator class "{name}" does not accept data type '
                      f"{type_name(subtype)}")
    return opc


def _subtype_diff(s: Any, cat: Any, tn: dict, subtype: int) -> int:
    """findRangeSubtypeDiffFunction: name(subtype, subtype) returning float8, immutable."""
    from tuskdb.sql.analyze.coerce import type_name
    names = typecmds._names(tn["names"])
    fname = names[-1]
    found = None
    for fn in types.builtins.FUNCTIONS_BY_NAME.get(fname, []):
        if tuple(fn.arg_types) == (subtype, subtype):
            found = (fn.oid, fn.ret_type, fn.volatility)
    if found is None:
        from tuskdb.sql.commands.functioncmds import lookup_functions
        for fn in lookup_functions(s, fname):
            if list(fn.argtypes) == [subtype, subtype]:
                found = (fn.oid, fn.ret_type, fn.volatility)
    if found is None:
        shown = ".".join(names)
        raise PgError(UNDEFINED_FUNCTION, f"function {shown}({type_name(subtype)}, "
                      f"{type_name(subtype)}) does not exist")
    oid, ret, vol = found
    sig = f"{fname}({type_name(subtype)}, {type_name(subtype)})"
    if ret != 701:
        raise PgError(INVALID_OBJECT_DEFINITION, f"range subtype diff function {sig} must "
                      "return type double precision")
    if vol != "i":
        raise PgError(INVALID_OBJECT_DEFINITION, f"range subtype diff function {sig} must "
                      "be immutable")
    return oid


def multirange_name(range_name: str) -> str:
    """makeMultirangeTypeName: 'range' in the name becomes 'multirange', else a
    '_multirange' suffix."""
    i = range_name.find("range")
    if i >= 0:
        out = range_name[:i] + "multi" + range_name[i:]
    else:
        out = range_name + "_multirange"
    if len(out.encode()) >= typecmds.NAMEDATALEN:
        out = out.encode()[:typecmds.NAMEDATALEN - 1].decode(errors="ignore")
    return out


def _claim_type_name(cat: Any, nsp: int, name: str, range_name: str | None) -> None:
    """The multirange's name must be free; an automatically named array type holding
    it is renamed out of the way (moveArrayTypeName)."""
    oid = cat.type_oid(nsp, name)
    if oid is None and nsp == 11 and typecmds._builtin(name) is not None:
        oid = typecmds._builtin(name).oid
    if oid is None:
        return
    found = cat.find("pg_type", oid=oid)
    if found:
        tid, row = found[0]
        if row[_T["typcategory"]] == "A" and row[_T["typelem"]] and name.startswith("_"):
            new = typecmds.array_type_name(cat, nsp, name)
            from tuskdb.catalog.rows import replace
            cat.update("pg_type", tid, replace("pg_type", row, typname=new))
            cat.command_counter_increment()
            return
    if range_name is None:
        raise PgError(DUPLICATE_OBJECT, f'type "{name}" already exists')
    raise PgError(DUPLICATE_OBJECT, f'type "{name}" already exists',
                  detail=f'Failed while creating a multirange type for type "{range_name}".',
                  hint='You can manually specify a multirange type name using the '
                       '"multirange_type_name" attribute.')


# -- DROP TYPE ------------------------------------------------------------------------


def range_of_multirange(cat: Any, mr_oid: int) -> int:
    g = COLUMN_POS["pg_range"]
    found = cat.find("pg_range", rngmultitypid=mr_oid)
    return found[0][1][g["rngtypid"]] if found else 0


def range_internals(cat: Any, oid: int) -> tuple[int, set[int]]:
    """(multirange type oid, OIDs of the constructor functions) of range type ``oid``."""
    g = COLUMN_POS["pg_range"]
    found = cat.find("pg_range", rngtypid=oid)
    mr_oid = found[0][1][g["rngmultitypid"]] if found else 0
    d = COLUMN_POS["pg_depend"]
    procs = {r[d["objid"]] for r in cat.rows("pg_depend")
             if r[d["classid"]] == 1255 and r[d["deptype"]] == "i"
             and r[d["refobjid"]] in (oid, mr_oid)}
    return mr_oid, procs


def remove_range_rows(cat: Any, t: Any) -> None:
    """The rows a range type owns besides its own pg_type rows: the multirange type,
    pg_range, the constructors and the range -> multirange cast."""
    mr_oid, procs = range_internals(cat, t.oid)
    d = COLUMN_POS["pg_depend"]
    casts = {r[d["objid"]] for r in cat.rows("pg_depend")
             if r[d["classid"]] == 2605 and r[d["refobjid"]] == t.oid}
    for poid in procs:
        cat.delete_where("pg_proc", oid=poid)
        cat.delete_where("pg_depend", objid=poid)
    for coid in casts:
        cat.delete_where("pg_cast", oid=coid)
        cat.delete_where("pg_depend", objid=coid)
    cat.delete_where("pg_range", rngtypid=t.oid)
    if mr_oid:
        found = cat.find("pg_type", oid=mr_oid)
        if found:
            arr = found[0][1][_T["typarray"]]
            cat.delete_where("pg_type", oid=mr_oid)
            cat.delete_where("pg_depend", objid=mr_oid)
            if arr:
                cat.delete_where("pg_type", oid=arr)
                cat.delete_where("pg_depend", objid=arr)


# -- the constructors as functions ----------------------------------------------------


from tuskdb.types.usertypes import io_symbol_owner  # noqa: E402


class InternalFunction:
    """A pg_proc row of language internal made by CREATE TYPE (range and multirange
    constructors), shaped like commands.functioncmds.SQLFunction for the analyzer."""

    def __init__(self, row: tuple) -> None:
        self.oid = row[_P["oid"]]
        self.name = row[_P["proname"]]
        self.namespace = row[_P["pronamespace"]]
        self.argtypes = list(row[_P["proargtypes"]].items) if row[_P["proargtypes"]] else []
        self.argnames = [""] * len(self.argtypes)
        self.defaults: list[Any] = []
        self.ret_type = row[_P["prorettype"]]
        self.retset = False
        self.strict = row[_P["proisstrict"]]
        self.volatility = row[_P["provolatile"]]
        self.src = row[_P["prosrc"]]
        self.arg_types = tuple(self.argtypes)
        self.variadic = row[_P["provariadic"]]
        self._impl: Any = None

    def _function(self) -> Any:
        if self._impl is None:
            from tuskdb.types import multiranges, ranges
            src = self.src
            if src.startswith("range_constructor"):
                self._impl = ranges._constructor(self.ret_type)
            elif src.startswith("multirange_constructor"):
                c0, c1, c2 = multiranges.constructors_for(self.ret_type)
                self._impl = {"0": c0, "1": c1, "2": c2}[src[-1]]
            elif io_symbol_owner(src) is not None:
                self._impl = _io_function(src)
            else:
                raise PgError(FEATURE_NOT_SUPPORTED, f'internal function "{src}" is not '
                              "supported")
        return self._impl

    def call(self, ctx: Any, args: tuple, argtypes: Any = None) -> Any:
        if self.strict and None in args:
            return None
        if io_symbol_owner(self.src) is not None:
            return self._function()(ctx, *args)
        return self._function()(*args)


def _io_function(symbol: str) -> Any:
    """A built-in type's I/O function named by LANGUAGE internal ('int4in' ...):
    input/receive take text/bytes, output/send a value of that type's representation."""
    t, what = io_symbol_owner(symbol)  # type: ignore[misc]

    def io(ctx: Any, v: Any, *rest: Any) -> Any:
        if what == "input":
            return t.input(v, -1, ctx.types)
        if what == "output":
            return t.output(v, ctx.types)
        if what == "receive":
            return t.recv(bytes(v), -1, ctx.types)
        return t.send(v, ctx.types)
    return io


def internal_function(row: tuple) -> InternalFunction | None:
    """The callable form of an internal-language pg_proc row made by CREATE TYPE or
    naming a built-in type's I/O function."""
    src = row[_P["prosrc"]]
    if src.startswith(("range_constructor", "multirange_constructor")) or \
            io_symbol_owner(src) is not None:
        return InternalFunction(row)
    return None
