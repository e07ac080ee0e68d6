"""SQL/XML expressions (PostgreSQL's transformXmlExpr / transformXmlSerialize):
XMLELEMENT, XMLATTRIBUTES, XMLFOREST, XMLCONCAT, XMLPARSE, XMLPI, XMLROOT,
IS DOCUMENT and XMLSERIALIZE become Func nodes over the types layer's xml
module (tuskdb/types/xml.py)."""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.errors import DATATYPE_MISMATCH, SYNTAX_ERROR, PgError
from tuskdb.sql.analyze.coerce import UNKNOWN, coerce_to, type_name
from tuskdb.sql.expr import Const, Expr, Func
from tuskdb.types import xml as X
from tuskdb.types import xmlpath as XP

TEXT = 25
XML = X.XML

_CONSTRUCT = {"IS_XMLCONCAT": "XMLCONCAT", "IS_XMLELEMENT": "XMLELEMENT",
              "IS_XMLFOREST": "XMLFOREST", "IS_XMLPARSE": "XMLPARSE", "IS_XMLPI": "XMLPI",
              "IS_XMLROOT": "XMLROOT", "IS_XMLSERIALIZE": "XMLSERIALIZE",
              "IS_DOCUMENT": "IS DOCUMENT"}


def _tctx(ec: Any) -> Any:
    from tuskdb.sql.analyze.expr import _tctx as t
    return t(ec)


def _transform(node: dict, ec: Any) -> Expr:
    from tuskdb.sql.analyze.expr import transform
    return transform(node, ec)


def _loc(node: dict) -> int | None:
    body = next(iter(node.values())) if isinstance(node, dict) and node else {}
    return body.get("location") if isinstance(body, dict) else None


def _to_specific(e: Expr, target: int, construct: str, ec: Any, raw: dict) -> Expr:
    """coerce_to_specific_type: an argument must be (implicitly coercible to) ``target``."""
    from tuskdb.sql.analyze.coerce import can_coerce
    if e.type_oid == target:
        return e
    if e.type_oid == UNKNOWN or can_coerce(e.type_oid, target, "i"):
        return coerce_to(e, target, -1, "i", ctx=_tctx(ec))
    raise PgError(DATATYPE_MISMATCH, f"argument of {construct} must be type "
                  f"{type_name(target)}, not type {type_name(e.type_oid)}",
                  position=ec.state.pos(_loc(raw)))


def _value_mapper(ec: Any) -> Any:
    """(value, type) -> XML text, as map_sql_value_to_xml_value."""
    from tuskdb.sql.analyze.coerce import base_type

    def elem_of(oid: int) -> int:
        t = types.TYPES.get(oid)
        return t.elem_oid if t is not None and t.category == "A" else 0

    iso_cache: dict[int, Any] = {}

    def output(ectx: Any):
        tctx = ectx.types

        def out(v: Any, oid: int, iso: bool) -> str:
            c = tctx
            if iso:
                c = iso_cache.get(id(tctx))
                if c is None:
                    c = tctx.replace(datestyle="ISO, YMD")
                    iso_cache.clear()
                    iso_cache[id(tctx)] = c
            return types.TYPES[oid].output(v, c)
        return out

    def mapper(ectx: Any, v: Any, oid: int, escape: bool) -> str:
        return X.xml_value_text(v, oid, ectx.types, output(ectx), escape, base_type, elem_of)
    return mapper


def _named_args(body: dict, ec: Any, op: str) -> tuple[list[str], list[Expr]]:
    names: list[str] = []
    exprs: list[Expr] = []
    for rt in body.get("named_args") or []:
        r = rt["ResTarget"]
        val = r["val"]
        if r.get("name"):
            n = X.map_sql_identifier_to_xml_name(r["name"], False, False)
        elif "ColumnRef" in val:
            fields = val["ColumnRef"]["fields"]
            last = fields[-1]
            col = last.get("String", {}).get("sval", "?column?")
            n = X.map_sql_identifier_to_xml_name(col, True, False)
        else:
            what = "attribute" if op == "IS_XMLELEMENT" else "element"
            raise PgError(SYNTAX_ERROR, f"unnamed XML {what} value must be a column reference",
                          position=ec.state.pos(r.get("location")))
        if op == "IS_XMLELEMENT" and n in names:
            raise PgError(SYNTAX_ERROR, f'XML attribute name "{n}" appears more than once',
                          position=ec.state.pos(r.get("location")))
        e = _transform(val, ec)      # an unknown literal stays unknown (its text is used)
        names.append(n)
        exprs.append(e)
    return names, exprs


def transform_xml_expr(body: dict, ec: Any) -> Expr:
    op = body["op"]
    construct = _CONSTRUCT.get(op, op)
    raw_args = body.get("args") or []
    if op == "IS_XMLELEMENT":
        name = X.map_sql_identifier_to_xml_name(body["name"], False, False)
        anames, aexprs = _named_args(body, ec, op)
        content = []
        for a in raw_args:
            content.append(_transform(a, ec))
        na = len(aexprs)
        atypes = [e.type_oid for e in aexprs]
        ctypes = [e.type_oid for e in content]
        mapper = _value_mapper(ec)

        def xmlelement(ectx: Any, *vals: Any) -> str:
            attrs = [(anames[i], mapper(ectx, v, atypes[i], False))
                     for i, v in enumerate(vals[:na]) if v is not None]
            body_ = [mapper(ectx, v, ctypes[i], True)
                     for i, v in enumerate(vals[na:]) if v is not None]
            return X.xmlelement(name, attrs, body_)
        f = Func(xmlelement, aexprs + content, XML, strict=False, name="xmlelement",
                 needs_ctx=True)
        f.xmlform = ("element", name, anames)  # type: ignore[attr-defined]
        return f
    if op == "IS_XMLFOREST":
        fnames, fexprs = _named_args(body, ec, op)
        ftypes = [e.type_oid for e in fexprs]
        mapper = _value_mapper(ec)

        def xmlforest(ectx: Any, *vals: Any) -> str | None:
            parts = [f"<{fnames[i]}>{mapper(ectx, v, ftypes[i], True)}</{fnames[i]}>"
                     for i, v in enumerate(vals) if v is not None]
            return "".join(parts) if parts else None
        f = Func(xmlforest, fexprs, XML, strict=False, name="xmlforest", needs_ctx=True)
        f.xmlform = ("forest", None, fnames)  # type: ignore[attr-defined]
        return f
    args = [_transform(a, ec) for a in raw_args]
    if op == "IS_XMLCONCAT":
        args = [_to_specific(a, XML, construct, ec, r) for a, r in zip(args, raw_args)]
        f = Func(lambda *v: X.xmlconcat(list(v)), args, XML, strict=False, name="xmlconcat")
        f.xmlform = ("concat",)  # type: ignore[attr-defined]
        return f
    if op == "IS_XMLPARSE":
        arg = _to_specific(args[0], TEXT, construct, ec, raw_args[0])
        preserve = bool(args[1].value) if len(args) > 1 and isinstance(args[1], Const) else False
        document = body.get("xmloption") == "XMLOPTION_DOCUMENT"

        def xmlparse(ectx: Any, v: Any) -> Any:
            return None if v is None else X.xmlparse(ectx.types, v, document, preserve)
        f = Func(xmlparse, [arg], XML, strict=False, name="xmlparse", needs_ctx=True)
        f.xmlform = ("parse", document, preserve)  # type: ignore[attr-defined]
        return f
    if op == "IS_XMLPI":
        target = X.map_sql_identifier_to_xml_name(body["name"], False, False)
        if args:
            arg = _to_specific(args[0], TEXT, construct, ec, raw_args[0])
            f = Func(lambda v: X.xmlpi(target, v), [arg], XML, strict=False, name="xmlpi")
        else:
            f = Func(lambda: X.xmlpi_noarg(target), [], XML, strict=False, name="xmlpi")
        f.xmlform = ("pi", target)  # type: ignore[attr-defined]
        return f
    if op == "IS_XMLROOT":
        x = _to_specific(args[0], XML, construct, ec, raw_args[0])
        version = _to_specific(args[1], TEXT, construct, ec, raw_args[1])
        sa = args[2].value if isinstance(args[2], Const) else X.STANDALONE_OMITTED

        def xmlroot(v: Any, ver: Any) -> Any:
            return None if v is None else X.xmlroot(v, ver, sa)
        f = Func(xmlroot, [x, version], XML, strict=False, name="xmlroot")
        f.xmlform = ("root", sa)  # type: ignore[attr-defined]
        return f
    if op == "IS_DOCUMENT":
        x = _to_specific(args[0], XML, construct, ec, raw_args[0])
        f = Func(X.xml_is_document, [x], 16, strict=True, name="xml_is_document")
        f.xmlform = ("document",)  # type: ignore[attr-defined]
        return f
    raise PgError("0A000", f"{construct} is not supported")


def transform_xml_serialize(body: dict, ec: Any) -> Expr:
    from tuskdb.sql.analyze.expr import resolve_type_name
    raw = body["expr"]
    x = _to_specific(_transform(raw, ec), XML, "XMLSERIALIZE", ec, raw)
    target, typmod = resolve_type_name(body["typeName"], ec.state)
    document = body.get("xmloption") == "XMLOPTION_DOCUMENT"
    indent = bool(body.get("indent"))
    base = target
    t = types.TYPES.get(target)
    if t is not None and t.typtype == "d":
        from tuskdb.sql.analyze.coerce import base_type
        base = base_type(target)
    if base not in (TEXT, 1043, 1042, 19):
        raise PgError("42846", f"cannot cast XMLSERIALIZE result to {type_name(target)}",
                      position=ec.state.pos(body["typeName"].get("location")))

    def xmlserialize(v: Any) -> Any:
        return None if v is None else X.xmlserialize(v, document, indent)
    f = Func(xmlserialize, [x], TEXT, strict=False, name="xmlserialize")
    f.xmlform = ("serialize", document, indent, target, typmod)  # type: ignore[attr-defined]
    if target == TEXT and typmod < 0:
        return f
    return coerce_to(f, target, typmod, "i", ctx=_tctx(ec))


def transform_xml_table(body: dict, state: Any, scope: Any, outer: list) -> Any:
    """XMLTABLE in FROM (transformRangeTableFunc): a set-returning call whose
    arguments are the row and document expressions, the column paths and defaults,
    and the namespace URIs (all may refer to earlier FROM items)."""
    from tuskdb.sql.analyze.expr import ExprContext, resolve_type_name
    from tuskdb.sql.analyze.query import FunctionItem
    from tuskdb.sql.analyze.state import RangeEntry
    from tuskdb.sql.expr import SRFCall
    ec = ExprContext(state, scope, "FROM", None, outer)
    alias = body.get("alias") or {}
    given = [c["String"]["sval"] for c in alias.get("colnames") or []]
    ncols = len(body.get("columns") or [])
    if len(given) > ncols:
        raise PgError("42P10", f"XMLTABLE function has {ncols} columns available but "
                      f"{len(given)} columns specified")
    row_raw = body["rowexpr"]
    doc_raw = body["docexpr"]
    row_e = _to_specific(_transform(row_raw, ec), TEXT, "XMLTABLE", ec, row_raw)
    doc_e = _to_specific(_transform(doc_raw, ec), XML, "XMLTABLE", ec, doc_raw)
    ns_names: list[str | None] = []
    ns_exprs: list[Expr] = []
    for rt in body.get("namespaces") or []:
        r = rt["ResTarget"]
        ns_names.append(r.get("name"))
        ns_exprs.append(_to_specific(_transform(r["val"], ec), TEXT, "XMLTABLE", ec, r["val"]))
    names: list[str] = []
    ctypes: list[tuple[int, int]] = []
    paths: list[Expr] = []
    defaults: list[Expr] = []
    notnull: list[bool] = []
    ordinal: list[bool] = []
    for c in body.get("columns") or []:
        col = c["RangeTableFuncCol"]
        name = col["colname"]
        if name in names:
            raise PgError("42701", f'column name "{name}" is not unique',
                          position=state.pos(col.get("location")))
        names.append(name)
        if col.get("for_ordinality"):
            ctypes.append((23, -1))
            ordinal.append(True)
            paths.append(Const(None, TEXT))
            defaults.append(Const(None, TEXT))
            notnull.append(False)
            continue
        oid, typmod = resolve_type_name(col["typeName"], state)
        ctypes.append((oid, typmod))
        ordinal.append(False)
        notnull.append(bool(col.get("is_not_null")))
        if col.get("colexpr"):
            paths.append(_to_specific(_transform(col["colexpr"], ec), TEXT, "XMLTABLE", ec,
                                      col["colexpr"]))
        else:
            paths.append(Const(name, TEXT))
        if col.get("coldefexpr"):
            d = _transform(col["coldefexpr"], ec)
            defaults.append(coerce_to(d, oid, typmod, "a", ctx=_tctx(ec)))
        else:
            defaults.append(Const(None, oid))
    n = len(names)
    nns = len(ns_exprs)

    def run(ectx: Any, rowexpr: Any, doc: Any, *rest: Any) -> list[tuple]:
        if rowexpr is None:
            raise PgError("22004", "row path filter must not be empty string") \
                if False else PgError("22004", "namespace URI must not be null")
        ns_vals = rest[2 * n:2 * n + nns]
        ns: dict[str, str] = {}
        for nm, uri in zip(ns_names, ns_vals):
            if nm is None:
                raise PgError("0A000", "DEFAULT namespace is not supported")
            if uri is None:
                raise PgError("22004", "namespace URI must not be null")
            ns[nm] = uri
        if doc is None:
            return []
        tctx = ectx.types
        col_paths = rest[:n]
        col_defaults = rest[n:2 * n]
        nodes = XP.xmltable_rows(tctx, rowexpr, doc, ns)
        out: list[tuple] = []
        for i, node in enumerate(nodes, start=1):
            row: list[Any] = []
            for k in range(n):
                if ordinal[k]:
                    row.append(i)
                    continue
                oid, typmod = ctypes[k]
                path = col_paths[k]
                if path is None:
                    raise PgError("22004", 'column filter expression must not be null',
                                  detail=f'Filter for column "{names[k]}" is null.')
                s = XP.xmltable_value(node, path, ns, oid == XML)
                if s is None:
                    v = col_defaults[k]
                else:
                    t = types.TYPES[oid]
                    v = t.input(s, typmod, tctx)
                if v is None and notnull[k]:
                    raise PgError("23502", f'null is not allowed in column "{names[k]}"')
                row.append(v)
            out.append(tuple(row))
        return out

    call = SRFCall(run, [row_e, doc_e] + paths + defaults + ns_exprs, 2249, strict=False,
                   name="xmltable", needs_ctx=True)
    call.columns = [(nm, t) for nm, (t, _) in zip(names, ctypes)]  # type: ignore[attr-defined]
    call.column_typmods = [m for _, m in ctypes]  # type: ignore[attr-defined]
    call.retset = True  # type: ignore[attr-defined]
    aname = alias.get("aliasname") or "xmltable"
    out_names = given + names[len(given):]
    rt = state.next_rt()
    scope.add(RangeEntry(rt, aname, out_names, ctypes, kind="function"))
    fi = FunctionItem(rt, call, False)
    fi.width = n
    return fi
