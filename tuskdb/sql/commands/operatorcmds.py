"""CREATE / ALTER / DROP OPERATOR (PostgreSQL's operatorcmds.c and pg_operator.c), and
user-defined operators in expressions.

A user operator is a pg_operator row whose oprcode is a function (user SQL or
built-in).  Naming a commutator or negator that does not exist yet creates a
"shell" row (oprcode 0) that a later CREATE OPERATOR completes, and the pair is
linked both ways (oprcom / oprnegate).  pg_depend records the operator's
function, restriction/join estimators and schema (deptype 'n').

    define_operator(s, raw)       OperatorCreate
    user_operators(s, name)       UserOperator per visible complete row, resolved by
                                  analyze/resolve.resolve_operator with the built-ins
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import INVALID_FUNCTION_DEFINITION, UNDEFINED_FUNCTION, PgError, notice

OPERATOR_CLASS, PROC_CLASS, NAMESPACE_CLASS = 2617, 1255, 2615
SYNTAX_ERROR = "42601"

# the built-in selectivity estimators (pg_proc OIDs) a RESTRICT / JOIN may name
RESTRICT_FUNCS = {
    "eqsel": 101, "neqsel": 102, "scalarltsel": 103, "scalargtsel": 104, "areasel": 139,
    "scalarlesel": 336, "scalargesel": 337, "positionsel": 1300, "contsel": 1302,
    "iclikesel": 1814, "icnlikesel": 1815, "regexeqsel": 1818, "likesel": 1819,
    "icregexeqsel": 1820, "regexnesel": 1821, "nlikesel": 1822, "icregexnesel": 1823,
    "rangesel": 3169, "prefixsel": 3437, "networksel": 3560, "tsmatchsel": 3686,
    "arraycontsel": 3817, "multirangesel": 4243, "matchingsel": 5040}
JOIN_FUNCS = {
    "eqjoinsel": 105, "neqjoinsel": 106, "scalarltjoinsel": 107, "scalargtjoinsel": 108,
    "areajoinsel": 140, "scalarlejoinsel": 386, "scalargejoinsel": 398,
    "positionjoinsel": 1301, "contjoinsel": 1303, "iclikejoinsel": 1816,
    "icnlikejoinsel": 1817, "regexeqjoinsel": 1824, "likejoinsel": 1825,
    "icregexeqjoinsel": 1826, "regexnejoinsel": 1827, "nlikejoinsel": 1828,
    "icregexnejoinsel": 1829, "prefixjoinsel": 3438, "networkjoinsel": 3561,
    "tsmatchjoinsel": 3687, "arraycontjoinsel": 3818, "matchingjoinsel": 5041}
ESTIMATOR_NAMES = {oid: name for name, oid in {**RESTRICT_FUNCS, **JOIN_FUNCS}.items()}
_RESTRICT_ARGS = [2281, 26, 2281, 23]
_JOIN_ARGS = [2281, 26, 2281, 21, 2281]

_ATTRS = ("leftarg", "rightarg", "function", "procedure", "commutator", "negator",
          "restrict", "join", "hashes", "merges", "sort1", "sort2", "ltcmp", "gtcmp")


def _type_name(t: int) -> str:
    from tuskdb.sql.analyze.coerce import type_name
    return type_name(t)


def _op_desc(name: str, left: int, right: int) -> str:
    return f"{name} {_type_name(right)}" if not left else \
        f"{_type_name(left)} {name} {_type_name(right)}"


def _names(arg: dict) -> list[str]:
    if "List" in arg:
        return [i["String"]["sval"] for i in arg["List"]["items"]]
    if "TypeName" in arg:
        return [n["String"]["sval"] for n in arg["TypeName"]["names"]]
    if "String" in arg:
        return [arg["String"]["sval"]]
    return []


def _bool(arg: dict | None) -> bool:
    if arg is None:
        return True
    if "Boolean" in arg:
        return bool(arg["Boolean"].get("boolval"))
    text = _names(arg)
    return bool(text) and text[0].lower() in ("true", "on", "1", "yes")


def _arg_type(state: Any, arg: dict) -> int:
    from tuskdb.sql.analyze.expr import lookup_type_name_oid
    tn = arg["TypeName"]
    if tn.get("setof"):
        raise PgError(INVALID_FUNCTION_DEFINITION, "SETOF type not allowed for operator "
                      "argument")
    return lookup_type_name_oid(tn, state)      # typenameTypeId without a parse state


def _namespace(s: Any, cat: Any, names: list[str]) -> int:
    if len(names) > 1:
        nsp = cat.namespace_oid(names[-2])
        if nsp is None:
            raise PgError("3F000", f'schema "{names[-2]}" does not exist')
        return nsp
    return s.creation_namespace(cat)


def find_operator(s: Any, cat: Any, names: list[str], left: int, right: int,
                  nsp: int | None = None) -> tuple[Any, tuple] | None:
    """The pg_operator row name(left, right) on the search_path (or in ``nsp``)."""
    p = COLUMN_POS["pg_operator"]
    if nsp is None and len(names) > 1:
        nsp = cat.namespace_oid(names[-2])
        if nsp is None:
            return None
    path = [nsp] if nsp is not None else s.search_path_oids(cat)
    for n in path:
        for tid, row in cat.find("pg_operator", oprname=names[-1], oprnamespace=n):
            if row[p["oprleft"]] == left and row[p["oprright"]] == right:
                return tid, row
    return None


def _builtin_operator(name: str, left: int, right: int) -> Any:
    from tuskdb.sql.analyze.resolve import operators
    for op in operators(name):
        if op.left == left and op.right == right:
            return op
    return None


def _builtin_by_oid(oid: int) -> Any:
    for op in types.OPERATORS:
        if op.oid == oid:
            return op
    return None


def _lookup_function(s: Any, fname: list[str], argtypes: list[int]) -> tuple[int, int, bool]:
    """LookupFuncName with exact argument types: (oid, result type, strict)."""
    from tuskdb.sql.analyze.resolve import functions
    from tuskdb.sql.commands.functioncmds import _sig, lookup_functions
    for fn in lookup_functions(s, fname[-1]):
        if list(fn.argtypes) == argtypes and fn.prokind == "f":
            return fn.oid, fn.ret_type, bool(fn.strict)
    if len(fname) == 1 or fname[-2] == "pg_catalog":
        for fn in functions(fname[-1]):
            if list(fn.arg_types) == argtypes:
                return fn.oid, fn.ret_type, bool(fn.strict)
    raise PgError(UNDEFINED_FUNCTION, f"function {'.'.join(fname)}({_sig(argtypes)}) does "
                  f"not exist")


def _estimator(s: Any, fname: list[str], join: bool) -> int:
    """A RESTRICT (internal, oid, internal, int4) or JOIN (internal, oid, internal, int2,
    internal) estimator returning float8."""
    from tuskdb.sql.commands.functioncmds import _sig
    args = _JOIN_ARGS if join else _RESTRICT_ARGS
    table = JOIN_FUNCS if join else RESTRICT_FUNCS
    cat = s.catalog()
    p = COLUMN_POS["pg_proc"]
    path = [cat.namespace_oid(fname[-2])] if len(fname) > 1 else s.search_path_oids(cat)
    for _, row in cat.find("pg_proc", proname=fname[-1]):
        got = list(row[p["proargtypes"]].items) if row[p["proargtypes"]] else []
        if row[p["pronamespace"]] in path and got == args:
            if row[p["prorettype"]] != 701:
                raise PgError("42804", f"{'join' if join else 'restriction'} estimator "
                              f"function {fname[-1]} must return type double precision")
            return row[p["oid"]]
    if (len(fname) == 1 or fname[-2] == "pg_catalog") and fname[-1] in table:
        return table[fname[-1]]
    raise PgError(UNDEFINED_FUNCTION, f"function {'.'.join(fname)}({_sig(args)}) does not "
                  f"exist")


def define_operator(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.commands.tablecmds import _state
    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    names = [n["String"]["sval"] for n in body["defnames"]]
    name = names[-1]
    nsp = _namespace(s, cat, names)
    from tuskdb.catalog import aclchk
    me, is_super = s._role_facts(cat)
    if not is_super:
        aclchk.check_namespace_create(cat, nsp, me)
    opts: dict[str, Any] = {}
    for d in body.get("definition") or []:
        de = d["DefElem"]
        key = de["defname"]
        if key not in _ATTRS:
            s.add_notice(notice(f'operator attribute "{key}" not recognized',
                                sqlstate=SYNTAX_ERROR, severity="WARNING"))
            continue
        opts[key] = de.get("arg", {}) if de.get("arg") is not None else None
    left = _arg_type(state, opts["leftarg"]) if opts.get("leftarg") else 0
    right = _arg_type(state, opts["rightarg"]) if opts.get("rightarg") else 0
    fnode = opts.get("function", opts.get("procedure"))
    if fnode is None:
        raise PgError(INVALID_FUNCTION_DEFINITION, "operator function must be specified")
    if not left and not right:
        raise PgError(INVALID_FUNCTION_DEFINITION, "operator argument types must be specified")
    if not right:
        raise PgError(INVALID_FUNCTION_DEFINITION, "operator right argument type must be "
                      "specified", detail="Postfix operators are not supported.")
    if not is_super:
        for t in (left, right):
            if t:
                aclchk.check_type_usage(cat, t, me, _type_name(t))
    argtypes = [left, right] if left else [right]
    code, result, _ = _lookup_function(s, _names(fnode), argtypes)
    if not is_super:
        if code >= 16384:
            from tuskdb.sql.commands.functioncmds import SQLFunction
            SQLFunction(cat.find("pg_proc", oid=code)[0][1]).check_execute(s)
        aclchk.check_type_usage(cat, result, me, _type_name(result))
    rest = _estimator(s, _names(opts["restrict"]), False) if opts.get("restrict") else 0
    join = _estimator(s, _names(opts["join"]), True) if opts.get("join") else 0
    can_hash = "hashes" in opts and _bool(opts["hashes"])
    can_merge = any(k in opts and _bool(opts[k]) for k in ("merges", "sort1", "sort2", "ltcmp",
                                                           "gtcmp"))
    if not left and (opts.get("commutator") or opts.get("join") or can_hash or can_merge):
        what = ("commutator" if opts.get("commutator") else "join selectivity" if
                opts.get("join") else "hash" if can_hash else "merge")
        raise PgError(INVALID_FUNCTION_DEFINITION, f"only binary operators can have {what}")
    if result != 16:
        for flag, what in ((opts.get("negator"), "negators"), (rest, "restriction "
                           "selectivity"), (join, "join selectivity"), (can_merge, "merge join"),
                           (can_hash, "hash")):
            if flag:
                raise PgError(INVALID_FUNCTION_DEFINITION, f"only boolean operators can have "
                              f"{what}" if what in ("negators", "restriction selectivity",
                                                    "join selectivity")
                              else f"only boolean operators can {what}")
    p = COLUMN_POS["pg_operator"]
    existing = find_operator(s, cat, [name], left, right, nsp)
    if existing is not None and existing[1][p["oprcode"]]:
        raise PgError("42723", f"operator {name} already exists")
    neg_names = _names(opts["negator"]) if opts.get("negator") else None
    if neg_names is not None and neg_names[-1] == name and \
            (len(neg_names) == 1 or cat.namespace_oid(neg_names[-2]) == nsp):
        raise PgError(INVALID_FUNCTION_DEFINITION, "operator cannot be its own negator")
    if existing is not None:
        oid = existing[1][p["oid"]]
    else:
        oid = cat.m.next_oid()
    kind = "b" if left else "l"
    # commutator and negator (created as shells when they do not exist yet)
    com = 0
    if opts.get("commutator"):
        cn = _names(opts["commutator"])
        if cn[-1] == name and left == right and (len(cn) == 1 or
                                                 cat.namespace_oid(cn[-2]) == nsp):
            com = oid
        else:
            com = _link_target(s, cat, cn, right, left, nsp, oid, "commutator")
    neg = 0
    if neg_names is not None:
        neg = _link_target(s, cat, neg_names, left, right, nsp, oid, "negator")
    row = make_row(
        "pg_operator", oid=oid, oprname=name, oprnamespace=nsp, oprowner=_owner(s, cat),
        oprkind=kind, oprcanmerge=can_merge, oprcanhash=can_hash, oprleft=left,
        oprright=right, oprresult=result, oprcom=com, oprnegate=neg, oprcode=code,
        oprrest=rest, oprjoin=join)
    if existing is not None:
        cat.update("pg_operator", existing[0], row)
    else:
        cat.insert("pg_operator", row)
    cat.command_counter_increment()
    _link_back(cat, com, oid, "oprcom")
    _link_back(cat, neg, oid, "oprnegate")
    _record_dependencies(cat, oid, nsp, code, rest, join)
    return QueryResult(tag="CREATE OPERATOR")


def _owner(s: Any, cat: Any) -> int:
    from tuskdb.sql.commands.tablecmds import _owner as owner
    return owner(s, cat)


def _link_target(s: Any, cat: Any, names: list[str], left: int, right: int, nsp: int,
                 me: int, what: str) -> int:
    """The OID of the commutator/negator ``names(left, right)``; a shell when missing.
    It may not already be paired with another operator."""
    p = COLUMN_POS["pg_operator"]
    col = "oprcom" if what == "commutator" else "oprnegate"
    found = find_operator(s, cat, names, left, right)
    if found is not None:
        other = found[1][p[col]]
        if other and other != me:
            owner = _operator_name(cat, other)
            raise PgError(INVALID_FUNCTION_DEFINITION, f"{what} operator {names[-1]} is "
                          f"already the {what} of operator {owner}")
        return found[1][p["oid"]]
    if len(names) == 1 or names[-2] == "pg_catalog":
        bop = _builtin_operator(names[-1], left, right)
        if bop is not None:
            other = bop.commutator if what == "commutator" else bop.negator
            if other and other != me:
                owner = _operator_name(cat, other)
                raise PgError(INVALID_FUNCTION_DEFINITION, f"{what} operator {names[-1]} is "
                              f"already the {what} of operator {owner}")
            raise PgError("0A000", f"a built-in operator as {what} is not supported")
    shell_nsp = cat.namespace_oid(names[-2]) if len(names) > 1 else nsp
    oid = cat.m.next_oid()
    cat.insert("pg_operator", make_row(
        "pg_operator", oid=oid, oprname=names[-1], oprnamespace=shell_nsp,
        oprowner=_owner(s, cat), oprkind="b" if left else "l", oprcanmerge=False,
        oprcanhash=False, oprleft=left, oprright=right, oprresult=0, oprcom=0, oprnegate=0,
        oprcode=0, oprrest=0, oprjoin=0))
    if not _pinned(NAMESPACE_CLASS, shell_nsp):
        cat.insert("pg_depend", make_row("pg_depend", classid=OPERATOR_CLASS, objid=oid,
                                         objsubid=0, refclassid=NAMESPACE_CLASS,
                                         refobjid=shell_nsp, refobjsubid=0, deptype="n"))
    return oid


def _link_back(cat: Any, other: int, me: int, col: str) -> None:
    """The commutator (negator) of my commutator (negator) is me."""
    if not other or other == me:
        return
    p = COLUMN_POS["pg_operator"]
    for tid, row in cat.find("pg_operator", oid=other):
        if row[p[col]] != me:
            cat.update("pg_operator", tid, replace("pg_operator", row, **{col: me}))
    cat.command_counter_increment()


def _operator_name(cat: Any, oid: int) -> str:
    found = cat.find("pg_operator", oid=oid)
    if found:
        return found[0][1][COLUMN_POS["pg_operator"]["oprname"]]
    bop = _builtin_by_oid(oid)
    return bop.name if bop is not None else str(oid)


FIRST_UNPINNED_OBJECT_ID, PUBLIC_NAMESPACE = 12000, 2200


def _pinned(classid: int, oid: int) -> bool:
    """Built-in objects get no pg_depend rows (IsPinnedObject); schema public does."""
    return oid < FIRST_UNPINNED_OBJECT_ID and not (classid == NAMESPACE_CLASS and
                                                  oid == PUBLIC_NAMESPACE)


def _record_dependencies(cat: Any, oid: int, nsp: int, *procs: int) -> None:
    cat.delete_where("pg_depend", classid=OPERATOR_CLASS, objid=oid)
    if not _pinned(NAMESPACE_CLASS, nsp):
        cat.insert("pg_depend", make_row("pg_depend", classid=OPERATOR_CLASS, objid=oid,
                                         objsubid=0, refclassid=NAMESPACE_CLASS,
                                         refobjid=nsp, refobjsubid=0, deptype="n"))
    for proc in procs:
        if proc and not _pinned(PROC_CLASS, proc):
            cat.insert("pg_depend", make_row("pg_depend", classid=OPERATOR_CLASS, objid=oid,
                                             objsubid=0, refclassid=PROC_CLASS, refobjid=proc,
                                             refobjsubid=0, deptype="n"))


def _object_operator(s: Any, state: Any, owa: dict, missing_ok: bool = False
                     ) -> tuple[Any, tuple] | None:
    """The operator an ObjectWithArgs (name, (left|NONE, right|NONE)) names."""
    from tuskdb.sql.analyze.expr import lookup_type_name_oid
    from tuskdb.sql.commands.functioncmds import skipping_notice
    if missing_ok and skipping_notice(owa, state) is not None:
        return None
    cat = state.catalog
    names = [n["String"]["sval"] for n in owa["objname"]]
    args = owa.get("objargs") or [{}, {}]
    left = lookup_type_name_oid(args[0]["TypeName"], state) if args[0] else 0
    right = lookup_type_name_oid(args[1]["TypeName"], state) if len(args) > 1 and args[1] \
        else 0
    if not right:
        raise PgError(SYNTAX_ERROR, "postfix operators are not supported")
    found = find_operator(s, cat, names, left, right)
    if found is None:
        if missing_ok:
            return None
        raise PgError(UNDEFINED_FUNCTION, f"operator does not exist: "
                      f"{_op_desc('.'.join(names), left, right)}")
    return found


def drop_operator(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.commands.tablecmds import _state
    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    p = COLUMN_POS["pg_operator"]
    for obj in body["objects"]:
        owa = obj["ObjectWithArgs"]
        found = _object_operator(s, state, owa, bool(body.get("missing_ok")))
        if found is None:
            from tuskdb.sql.commands.functioncmds import skipping_notice
            name = ".".join(n["String"]["sval"] for n in owa["objname"])
            s.add_notice(notice(skipping_notice(owa, state) or
                                f"operator {name} does not exist, skipping"))
            continue
        tid, row = found
        oid = row[p["oid"]]
        _check_owner(s, cat, row)
        cat.delete("pg_operator", tid)
        cat.delete_where("pg_depend", classid=OPERATOR_CLASS, objid=oid)
        cat.delete_where("pg_description", objoid=oid, classoid=OPERATOR_CLASS)
        cat.command_counter_increment()
        # operators pairing with it forget it (OperatorUpd)
        for otid, other in cat.find("pg_operator"):
            clear = {col: 0 for col in ("oprcom", "oprnegate") if other[p[col]] == oid}
            if clear:
                cat.update("pg_operator", otid, replace("pg_operator", other, **clear))
        cat.command_counter_increment()
    return QueryResult(tag="DROP OPERATOR")


def alter_operator(s: Any, raw: Any) -> QueryResult:
    """ALTER OPERATOR name (left, right) SET (RESTRICT | JOIN | COMMUTATOR | NEGATOR |
    HASHES | MERGES ...)."""
    from tuskdb.sql.commands.tablecmds import _state
    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    p = COLUMN_POS["pg_operator"]
    for d in body.get("options") or []:
        key = d["DefElem"]["defname"]
        if key not in ("restrict", "join", "hashes", "merges", "commutator", "negator"):
            raise PgError(SYNTAX_ERROR, f'operator attribute "{key}" not recognized')
    tid, row = _object_operator(s, state, body["opername"])
    oid = row[p["oid"]]
    name = row[p["oprname"]]
    _check_owner(s, cat, row)
    changes: dict[str, Any] = {}
    for d in body.get("options") or []:
        de = d["DefElem"]
        key = de["defname"]
        arg = de.get("arg")
        if key in ("restrict", "join"):
            names = _names(arg) if arg is not None else []
            changes["oprrest" if key == "restrict" else "oprjoin"] = \
                _estimator(s, names, key == "join") if names and names != ["none"] else 0
        elif key in ("hashes", "merges"):
            col = "oprcanhash" if key == "hashes" else "oprcanmerge"
            value = _bool(arg)
            if row[p[col]] and not value:
                raise PgError(INVALID_FUNCTION_DEFINITION, f'operator attribute "{key}" cannot '
                              f"be changed if it has already been set")
            if value and row[p["oprresult"]] != 16:
                raise PgError(INVALID_FUNCTION_DEFINITION, f"only boolean operators can "
                              f"{'hash' if key == 'hashes' else 'merge join'}")
            changes[col] = value
        elif key in ("commutator", "negator"):
            names = _names(arg)
            col = "oprcom" if key == "commutator" else "oprnegate"
            left, right = row[p["oprleft"]], row[p["oprright"]]
            if key == "negator" and names[-1] == name and (len(names) == 1 or cat.namespace_oid(
                    names[-2]) == row[p["oprnamespace"]]):
                raise PgError(INVALID_FUNCTION_DEFINITION, "operator cannot be its own "
                              "negator")
            if key == "commutator" and names[-1] == name and left == right:
                target = oid
            else:
                tl, tr = (right, left) if key == "commutator" else (left, right)
                found = find_operator(s, cat, names, tl, tr)
                if found is None:
                    raise PgError(UNDEFINED_FUNCTION, f"operator {names[-1]}("
                                  f"{_type_name(tl)}, {_type_name(tr)}) does not exist")
                target = found[1][p["oid"]]
                other = found[1][p[col]]
                if other and other != oid:
                    raise PgError(INVALID_FUNCTION_DEFINITION, f"{key} operator {names[-1]} "
                                  f"is already the {key} of operator "
                                  f"{_operator_name(cat, other)}")
            if row[p[col]] and row[p[col]] != target:
                raise PgError(INVALID_FUNCTION_DEFINITION, f'operator attribute "{key}" cannot '
                              f"be changed if it has already been set")
            changes[col] = target
        else:
            raise PgError(SYNTAX_ERROR, f'operator attribute "{key}" not recognized')
    if changes:
        cat.update("pg_operator", tid, replace("pg_operator", row, **changes))
        cat.command_counter_increment()
        _link_back(cat, changes.get("oprcom", 0), oid, "oprcom")
        _link_back(cat, changes.get("oprnegate", 0), oid, "oprnegate")
        row = cat.find("pg_operator", oid=oid)[0][1]
        _record_dependencies(cat, oid, row[p["oprnamespace"]], row[p["oprcode"]],
                             row[p["oprrest"]], row[p["oprjoin"]])
    return QueryResult(tag="ALTER OPERATOR")


def _check_owner(s: Any, cat: Any, row: tuple) -> None:
    """ALTER / DROP OPERATOR need the owner's privileges (or superuser)."""
    from tuskdb.catalog import aclchk
    p = COLUMN_POS["pg_operator"]
    me, is_super = s._role_facts(cat)
    if not is_super and not aclchk.has_privs_of_role(cat, me, row[p["oprowner"]]):
        raise aclchk.must_be_owner("operator", row[p["oprname"]])


class UserOperator:
    """A complete user-defined pg_operator row as operator resolution sees it (shaped
    like types.Operator; ``func(ctx, *args)`` gets the ExecContext)."""

    needs_ctx = True
    exec_ctx = True

    def __init__(self, s: Any, row: tuple) -> None:
        p = COLUMN_POS["pg_operator"]
        self.oid = row[p["oid"]]
        self.name = row[p["oprname"]]
        self.left = row[p["oprleft"]]
        self.right = row[p["oprright"]]
        self.result = row[p["oprresult"]]
        self.commutator = row[p["oprcom"]]
        self.negator = row[p["oprnegate"]]
        self.proc_oid = row[p["oprcode"]]
        self.func, self.strict, self.retset = _operator_function(
            s, self.proc_oid, (self.left, self.right) if self.left else (self.right,))


def _operator_function(s: Any, oid: int,
                       argtypes: tuple[int, ...]) -> tuple[Any, bool, bool]:
    """The operator's function: its call, strictness and whether it returns a set (an
    operator over a set-returning function is itself set-returning)."""
    from tuskdb.sql.commands.aggregatecmds import _routine_by_oid
    r = _routine_by_oid(s, oid)
    return ((lambda ctx, *args: r.call(ctx, args, argtypes)), r.strict,
            bool(getattr(r.fn, "retset", False)))


def user_operators(s: Any, name: str) -> list[UserOperator]:
    if s is None or getattr(s, "db", None) is None:
        return []
    cat = s.catalog()
    p = COLUMN_POS["pg_operator"]
    path = s.search_path_oids(cat)
    out = []
    for _, row in cat.find("pg_operator", oprname=name):
        if row[p["oprcode"]] and row[p["oprnamespace"]] in path:
            out.append(UserOperator(s, row))
    return out
