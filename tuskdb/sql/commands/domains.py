"""CREATE DOMAIN and ALTER DOMAIN (PostgreSQL's DefineDomain / AlterDomain*).

A domain is a pg_type row with typtype 'd' (typbasetype, typtypmod, typnotnull,
typdefaultbin/typdefault) and one pg_constraint row per CHECK constraint
(``contypid`` = the domain; ``conbin`` the raw expression tree in JSON, like
table CHECK constraints here).  ALTER DOMAIN re-checks the data of every table
column of the domain (or of a domain over it) before it adds NOT NULL or a
validated CHECK constraint.
"""

from __future__ import annotations

import json
from typing import Any

from tuskdb.catalog.manager import CatalogView
from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (DUPLICATE_OBJECT, FEATURE_NOT_SUPPORTED, SYNTAX_ERROR,
                           UNDEFINED_OBJECT, PgError, notice)
from tuskdb.sql.analyze.state import AnalyzeState
from tuskdb.sql.commands import typecmds

_T = COLUMN_POS["pg_type"]
_K = COLUMN_POS["pg_constraint"]
INVALID_OBJECT_DEFINITION = "42P17"
DATATYPE_MISMATCH = "42804"


def _state(s: Any, raw: Any) -> AnalyzeState:
    return AnalyzeState(s.catalog(), s, [], None, raw.source)


def _check_expr(state: AnalyzeState, dom_name: str, base: int, typmod: int, raw_expr: dict
                ) -> None:
    """Analyze a CHECK expression over VALUE (errors as PostgreSQL reports them)."""
    from tuskdb.sql.analyze.coerce import require_bool
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import RangeEntry, Scope

    scope = Scope()
    scope.add(RangeEntry(("domain", 0), None, ["value"], [(base, typmod)], kind="values"))
    ec = ExprContext(state, scope, "check constraints", None)
    saved = state.lift
    state.lift = None
    try:
        require_bool(transform(raw_expr, ec), "CHECK")
    finally:
        state.lift = saved


def _choose_conname(cat: CatalogView, nsp: int, dom_name: str, taken: set[str],
                    suffix: str = "check") -> str:
    from tuskdb.sql.commands.tablecmds import NAMEDATALEN, truncate_identifier
    n = 0
    while True:
        tail = f"_{suffix}" if n == 0 else f"_{suffix}{n}"
        room = NAMEDATALEN - 1 - len(tail.encode())
        name = truncate_identifier(dom_name.encode()[:room].decode(errors="ignore")) + tail
        if name not in taken:
            return name
        n += 1


def _constraint_row(cat: CatalogView, oid: int, name: str, nsp: int, dom_oid: int,
                    expr: dict, validated: bool, contype: str = "c") -> tuple:
    return make_row(
        "pg_constraint", oid=oid, conname=name, connamespace=nsp, contype=contype,
        condeferrable=False, condeferred=False, conenforced=True, convalidated=validated,
        conrelid=0, contypid=dom_oid, conindid=0, conparentid=0, confrelid=0,
        confupdtype=" ", confdeltype=" ", confmatchtype=" ", conislocal=True, coninhcount=0,
        connoinherit=False, conperiod=False,
        conbin=json.dumps(expr) if expr is not None else None)


def _reject(con: dict, state: AnalyzeState) -> None:
    ct = con["contype"]
    pos = state.pos(con.get("location"))
    msg = {"CONSTR_FOREIGN": "foreign key constraints not possible for domains",
           "CONSTR_UNIQUE": "unique constraints not possible for domains",
           "CONSTR_PRIMARY": "primary key constraints not possible for domains",
           "CONSTR_EXCLUSION": "exclusion constraints not possible for domains",
           "CONSTR_IDENTITY": "specifying GENERATED not supported for domains",
           "CONSTR_GENERATED": "specifying GENERATED not supported for domains",
           "CONSTR_ATTR_DEFERRABLE": "specifying constraint deferrability not supported for "
                                     "domains",
           "CONSTR_ATTR_NOT_DEFERRABLE": "specifying constraint deferrability not supported "
                                         "for domains",
           "CONSTR_ATTR_DEFERRED": "specifying constraint deferrability not supported for "
                                   "domains",
           "CONSTR_ATTR_IMMEDIATE": "specifying constraint deferrability not supported for "
                                    "domains",
           "CONSTR_ATTR_ENFORCED": "specifying constraint enforceability not supported for "
                                   "domains",
           "CONSTR_ATTR_NOT_ENFORCED": "specifying constraint enforceability not supported "
                                       "for domains",
           }.get(ct)
    if msg is not None:
        code = SYNTAX_ERROR if ct.startswith("CONSTR_ATTR") else FEATURE_NOT_SUPPORTED
        if ct in ("CONSTR_FOREIGN", "CONSTR_UNIQUE", "CONSTR_PRIMARY", "CONSTR_EXCLUSION"):
            code = SYNTAX_ERROR
        raise PgError(code, msg, position=pos)


def create_domain(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.analyze.expr import resolve_type_name

    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    names = typecmds._names(body["domainname"])
    nsp = typecmds._creation_namespace(s, cat, names)
    name = names[-1]
    tn = body["typeName"]
    base_oid, base_typmod = resolve_type_name(tn, state)
    from tuskdb.sql.commands.tablecmds import check_type_usage
    check_type_usage(state.session, cat, base_oid)
    from tuskdb.sql.commands.tablecmds import check_expr_type_usage
    check_expr_type_usage(s, state, body.get("constraints"))
    base = cat.type_by_oid(base_oid)
    if base is None or base.typtype not in ("b", "d", "e", "r", "c", "m") or \
            (base.typtype == "p"):
        from tuskdb.sql.analyze.coerce import type_name
        raise PgError(DATATYPE_MISMATCH, f'"{type_name(base_oid)}" is '
                      f"not a valid base type for a domain",
                      position=state.pos(tn.get("location")))
    collation = 100 if base.category == "S" else 0
    cc = body.get("collClause")
    if cc:
        if base.category != "S":
            from tuskdb.sql.analyze.coerce import type_name
            raise PgError(DATATYPE_MISMATCH, f"collations are not supported by type "
                          f"{type_name(base_oid)}", position=state.pos(tn.get("location")))
        from tuskdb.sql.analyze.expr import check_collation
        check_collation(typecmds._names(cc["collname"]), state.pos(cc.get("location")))
        collation = 950 if typecmds._names(cc["collname"])[-1] == "C" else collation
    notnull_seen: bool | None = None
    notnull_name: str | None = None
    default_expr = None
    checks: list[tuple[str | None, dict, bool]] = []
    for c in body.get("constraints") or []:
        con = c["Constraint"]
        _reject(con, state)
        ct = con["contype"]
        pos = state.pos(con.get("location"))
        if ct == "CONSTR_DEFAULT":
            if default_expr is not None:
                raise PgError(SYNTAX_ERROR, "multiple default expressions", position=pos)
            default_expr = con["raw_expr"]
        elif ct in ("CONSTR_NOTNULL", "CONSTR_NULL"):
            want = ct == "CONSTR_NOTNULL"
            if notnull_seen is not None and notnull_seen != want:
                raise PgError(SYNTAX_ERROR, "conflicting NULL/NOT NULL constraints",
                              position=pos)
            if want and notnull_seen:
                raise PgError(SYNTAX_ERROR, "redundant NOT NULL constraint definition",
                              position=pos)
            if want and con.get("is_no_inherit"):
                raise PgError(INVALID_OBJECT_DEFINITION, "not-null constraints for domains "
                              "cannot be marked NO INHERIT", position=pos)
            notnull_seen = want
            if want:
                notnull_name = con.get("conname")
        elif ct == "CONSTR_CHECK":
            if con.get("is_no_inherit"):
                raise PgError(INVALID_OBJECT_DEFINITION, "check constraints for domains "
                              "cannot be marked NO INHERIT", position=pos)
            checks.append((con.get("conname"), con["raw_expr"], not con.get("skip_validation")))
        else:
            raise PgError(FEATURE_NOT_SUPPORTED, f"constraint type {ct} is not supported "
                          "for domains", position=pos)
    shell = typecmds._check_type_name_free(cat, nsp, name)
    default_bin = default_text = None
    if default_expr is not None:
        e = analyze_default_expr(state, default_expr, base_oid, base_typmod)
        default_bin = json.dumps(default_expr)
        default_text = deparse_default(s, e)
    for cname, expr, _ in checks:
        _check_expr(state, name, base_oid, base_typmod, expr)
    oid = shell[1][_T["oid"]] if shell else cat.m.next_oid()
    array_oid = cat.m.next_oid()
    owner = typecmds._owner(s, cat)
    typecmds.insert_type(
        cat, oid=oid, name=name, nsp=nsp, owner=owner, typtype="d", typlen=base.typlen,
        byval=base.byval, category=base.category, align=base.align, storage=base.storage,
        array_oid=array_oid, basetype=base_oid, typmod=base_typmod,
        notnull=bool(notnull_seen), collation=collation, default_bin=default_bin,
        default_text=default_text, delim=base.delim, shell=shell)
    typecmds._depend(cat, 1247, oid, 1247, base_oid, "n")
    taken: set[str] = set()
    if notnull_seen:
        add_notnull_row(cat, t_oid=oid, nsp=nsp, dom_name=name, conname=notnull_name,
                        taken=taken)
    for cname, expr, _valid in checks:
        if cname is None:
            cname = _choose_conname(cat, nsp, name, taken)
        taken.add(cname)
        cat.insert("pg_constraint", _constraint_row(cat, cat.m.next_oid(), cname, nsp, oid,
                                                    expr, True))
    return QueryResult(tag="CREATE DOMAIN")


def add_notnull_row(cat: CatalogView, *, t_oid: int, nsp: int, dom_name: str,
                    conname: str | None, taken: set[str]) -> None:
    """PostgreSQL 18 records a domain's NOT NULL as a pg_constraint row too."""
    if conname is None:
        conname = _choose_conname(cat, nsp, dom_name, taken, "not_null")
    taken.add(conname)
    cat.insert("pg_constraint", _constraint_row(cat, cat.m.next_oid(), conname, nsp, t_oid,
                                                None, True, contype="n"))


def deparse_default(s: Any, expr: Any) -> str | None:
    """pg_type.typdefault: the analyzed default as SQL text (deparse_expression)."""
    from tuskdb.sql.deparse import Deparser
    try:
        return Deparser(s.type_context, False).expr(expr, True)
    except PgError:
        return None


def analyze_default_expr(state: AnalyzeState, expr: dict, type_oid: int, typmod: int) -> Any:
    """Analyze a domain's DEFAULT (no column references; coerced to the base type)."""
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import Scope

    ec = ExprContext(state, Scope(), "DEFAULT expressions", None)
    saved = state.lift
    state.lift = None
    try:
        e = transform(expr, ec)
    finally:
        state.lift = saved
    return coerce_to(e, type_oid, typmod, "a")


# -- ALTER DOMAIN ----------------------------------------------------------------------


def _domain(s: Any, cat: CatalogView, names: list[str]) -> Any:
    oid = typecmds.lookup_type_oid(s, cat, names)
    if oid is None:
        raise PgError(UNDEFINED_OBJECT, f'type "{".".join(names)}" does not exist')
    t = cat.type_by_oid(oid)
    if t is None or t.typtype != "d":
        raise PgError("42809", f'"{".".join(names)}" is not a domain')
    return t


def domain_columns(cat: CatalogView, oid: int) -> list[tuple[Any, Any]]:
    """(relation, column) of every table column whose type is the domain ``oid`` or a
    domain over it."""
    oids = {oid}
    changed = True
    while changed:
        changed = False
        for r in cat.rows("pg_type"):
            if r[_T["typtype"]] == "d" and r[_T["typbasetype"]] in oids and \
                    r[_T["oid"]] not in oids:
                oids.add(r[_T["oid"]])
                changed = True
    a = COLUMN_POS["pg_attribute"]
    out = []
    for r in cat.rows("pg_attribute"):
        if r[a["atttypid"]] in oids and r[a["attnum"]] > 0 and not r[a["attisdropped"]]:
            rel = cat.relation_by_oid(r[a["attrelid"]])
            if rel is None or rel.relkind not in ("r", "p", "m"):
                continue
            for col in rel.columns:
                if col.attnum == r[a["attnum"]]:
                    out.append((rel, col))
    return out


def _scan_column(s: Any, rel: Any, col: Any) -> Any:
    from tuskdb.sql.commands.tablecmds import lock_relation
    lock_relation(s, rel.oid, 5)      # ShareLock: no concurrent changes while checking
    heap = s.db.catalogs.heap(s.dboid, rel.relfilenode)
    idx = rel.columns.index(col)
    for _tid, values in heap.scan(s.txn.snapshot()):
        yield values[idx] if idx < len(values) else None


def alter_domain(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    state = _state(s, raw)
    cat = state.catalog
    names = typecmds._names(body["typeName"])
    sub = body["subtype"]
    t = _domain(s, cat, names)
    tid, row = typecmds._type_row(cat, t.oid)
    if sub == "T":                                   # SET DEFAULT / DROP DEFAULT
        d = body.get("def")
        if d is None:
            cat.update("pg_type", tid, replace("pg_type", row, typdefaultbin=None,
                                               typdefault=None))
        else:
            e = analyze_default_expr(state, d, t.base_oid, t.base_typmod)
            cat.update("pg_type", tid, replace("pg_type", row, typdefaultbin=json.dumps(d),
                                               typdefault=deparse_default(s, e)))
        return QueryResult(tag="ALTER DOMAIN")
    if sub == "N":                                   # DROP NOT NULL
        if row[_T["typnotnull"]]:
            cat.update("pg_type", tid, replace("pg_type", row, typnotnull=False))
        for ctid, r in cat.find("pg_constraint", contypid=t.oid):
            if r[_K["contype"]] == "n":
                cat.delete("pg_constraint", ctid)
        return QueryResult(tag="ALTER DOMAIN")
    if sub == "O":                                   # SET NOT NULL
        if row[_T["typnotnull"]]:
            return QueryResult(tag="ALTER DOMAIN")
        for rel, col in domain_columns(cat, t.oid):
            for v in _scan_column(s, rel, col):
                if v is None:
                    raise PgError("23502", f'column "{col.name}" of table "{rel.name}" '
                                  f"contains null values")
        cat.update("pg_type", tid, replace("pg_type", row, typnotnull=True))
        _add_notnull_alter(cat, t, None)
        return QueryResult(tag="ALTER DOMAIN")
    if sub == "C":                                   # ADD CONSTRAINT
        con = body["def"]["Constraint"]
        _reject(con, state)
        ct = con["contype"]
        if ct == "CONSTR_NOTNULL":
            if not row[_T["typnotnull"]]:
                for rel, col in domain_columns(cat, t.oid):
                    for v in _scan_column(s, rel, col):
                        if v is None:
                            raise PgError("23502", f'column "{col.name}" of table '
                                          f'"{rel.name}" contains null values')
                cat.update("pg_type", tid, replace("pg_type", row, typnotnull=True))
                _add_notnull_alter(cat, t, con.get("conname"))
            return QueryResult(tag="ALTER DOMAIN")
        if ct != "CONSTR_CHECK":
            raise PgError(FEATURE_NOT_SUPPORTED, f"constraint type {ct} is not supported "
                          "for domains")
        if con.get("is_no_inherit"):
            raise PgError(INVALID_OBJECT_DEFINITION, "check constraints for domains cannot "
                          "be marked NO INHERIT", position=state.pos(con.get("location")))
        expr = con["raw_expr"]
        _check_expr(state, t.name, t.base_oid, t.base_typmod, expr)
        existing = {r[_K["conname"]] for _, r in cat.find("pg_constraint", contypid=t.oid)}
        cname = con.get("conname")
        if cname is None:
            cname = _choose_conname(cat, t.namespace, t.name, existing)
        elif cname in existing:
            raise PgError(DUPLICATE_OBJECT, f'constraint "{cname}" for domain {t.sql_name} '
                          f"already exists")
        validate = not con.get("skip_validation")
        if validate:
            _validate(s, cat, t, cname, expr)
        cat.insert("pg_constraint", _constraint_row(cat, cat.m.next_oid(), cname, t.namespace,
                                                    t.oid, expr, validate))
        return QueryResult(tag="ALTER DOMAIN")
    if sub == "X":                                   # DROP CONSTRAINT
        cname = body["name"]
        found = [(ctid, r) for ctid, r in cat.find("pg_constraint", contypid=t.oid)
                 if r[_K["conname"]] == cname]
        if not found:
            if body.get("missing_ok"):
                s.add_notice(notice(f'constraint "{cname}" of domain "{t.name}" does not '
                                    f"exist, skipping"))
                return QueryResult(tag="ALTER DOMAIN")
            raise PgError(UNDEFINED_OBJECT, f'constraint "{cname}" of domain "{t.name}" does '
                          f"not exist")
        for ctid, r in found:
            cat.delete("pg_constraint", ctid)
            if r[_K["contype"]] == "n" and row[_T["typnotnull"]]:
                cat.update("pg_type", tid, replace("pg_type", row, typnotnull=False))
        return QueryResult(tag="ALTER DOMAIN")
    if sub == "V":                                   # VALIDATE CONSTRAINT
        cname = body["name"]
        found = [(ctid, r) for ctid, r in cat.find("pg_constraint", contypid=t.oid)
                 if r[_K["conname"]] == cname]
        if not found:
            raise PgError(UNDEFINED_OBJECT, f'constraint "{cname}" of domain "{t.name}" does '
                          f"not exist")
        ctid, r = found[0]
        if r[_K["contype"]] != "c":
            raise PgError("42809", f'constraint "{cname}" of domain "{t.name}" is not a check '
                          f"constraint")
        if not r[_K["convalidated"]]:
            _validate(s, cat, t, cname, json.loads(r[_K["conbin"]]))
            cat.update("pg_constraint", ctid, replace("pg_constraint", r, convalidated=True))
        return QueryResult(tag="ALTER DOMAIN")
    raise PgError(FEATURE_NOT_SUPPORTED, f"ALTER DOMAIN subcommand {sub} is not supported")


def _add_notnull_alter(cat: CatalogView, t: Any, conname: str | None) -> None:
    taken = {r[_K["conname"]] for _, r in cat.find("pg_constraint", contypid=t.oid)}
    add_notnull_row(cat, t_oid=t.oid, nsp=t.namespace, dom_name=t.name, conname=conname,
                    taken=taken)


def _validate(s: Any, cat: CatalogView, t: Any, cname: str, expr: dict) -> None:
    """Check every stored value of the domain against a new CHECK constraint."""
    from tuskdb.sql.analyze.coerce import require_bool
    from tuskdb.sql.analyze.expr import ExprContext, transform
    from tuskdb.sql.analyze.state import RangeEntry, Scope
    from tuskdb.sql.expr import compile_expr

    cols = domain_columns(cat, t.oid)
    if not cols:
        return
    state = AnalyzeState(cat, s, [], None, "")
    state.lift = None
    scope = Scope()
    rt = ("domain", t.oid)
    scope.add(RangeEntry(rt, None, ["value"], [(t.base_oid, t.base_typmod)], kind="values"))
    ec = ExprContext(state, scope, "check constraints", None)
    f = compile_expr(require_bool(transform(expr, ec), "CHECK"), {(rt, 0): 0})
    ctx = s.exec_context() if hasattr(s, "exec_context") else _MiniCtx(s)
    for rel, col in cols:
        for v in _scan_column(s, rel, col):
            if f((v,), ctx) is False:
                raise PgError("23514", f'column "{col.name}" of table "{rel.name}" contains '
                              f"values that violate the new constraint")


class _MiniCtx:
    """Just enough of an ExecContext to evaluate a constraint expression."""

    def __init__(self, s: Any) -> None:
        self.session = s
        self.types = s.type_context
        self.params: list = []
        self.literals: list = []

    def check_interrupts(self) -> None:
        pass
