"""XPath over xml values (PostgreSQL's xpath(), xpath_exists(), XMLEXISTS and
XMLTABLE's row and column expressions), on libxml2 through lxml.

PostgreSQL evaluates an XPath expression with the document node as context
node.  lxml evaluates XPath relative to an element, so the expression runs
inside a one-template XSLT stylesheet (whose template for "/" has the document
node as context) and hands its value to a Python extension function.  lxml
leaves the document node out of node sets; ``_has_document_node`` finds it
(the one node without a parent) so that '.' and '/' still select it.
"""

from __future__ import annotations

import copy
import math
import threading
from typing import Any

from lxml import etree

from tuskdb.errors import PgError
from tuskdb.types.xml import (
    INVALID_XML_DOCUMENT,
    INVALID_XQUERY_ARG,
    ParsedXml,
    XmlParseError,
    _decl_of,
    _detail,
    _doc_top_nodes,
    _parse_document,
    escape_xml,
)

# --- XPath ---------------------------------------------------------------------------------

_XPATH_NS = "urn:tuskdb:xpath-capture"
_capture = threading.local()


def _capture_fn(context: Any, value: Any) -> str:
    _capture.value = value
    return ""


etree.FunctionNamespace(_XPATH_NS)["capture"] = _capture_fn
_XSLT_CACHE: dict[tuple, Any] = {}


def _namespaces(nsarray: Any) -> dict[str, str]:
    if nsarray is None:
        return {}
    items = list(nsarray.items)
    dims = list(nsarray.dims or ())
    if not items:
        return {}
    if len(dims) != 2 or dims[1] != 2:
        raise PgError("22000", "invalid array for XML namespace mapping",
                      detail="The array must be two-dimensional with length of the second "
                             "axis equal to 2.")
    out: dict[str, str] = {}
    for i in range(0, len(items), 2):
        prefix, uri = items[i], items[i + 1]
        if prefix is None or uri is None:
            raise PgError("22004", "neither namespace name nor URI may be null")
        out[prefix] = uri
    return out


def _xml_attr(s: str) -> str:
    return ('"' + s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\t", "&#9;").replace("\r", "&#13;") + '"')


def compile_xpath(expr: str, ns: dict[str, str]) -> Any:
    """An evaluator of expr with the document node as context (see the module docstring)."""
    if expr == "":
        raise PgError(INVALID_XQUERY_ARG, "empty XPath expression")
    key = (expr, tuple(sorted(ns.items())))
    t = _XSLT_CACHE.get(key)
    if t is not None:
        return t
    try:
        etree.XPath(expr, namespaces=ns or None)
    except etree.XPathSyntaxError as e:
        msg = str(e).split("\n")[0] if str(e) else "Invalid expression"
        raise PgError(INVALID_XQUERY_ARG, "invalid XPath expression",
                      detail=msg) from None
    except etree.XPathError as e:
        raise PgError(INVALID_XQUERY_ARG, "invalid XPath expression",
                      detail=str(e) or None) from None
    decls = "".join(f" xmlns:{p}={_xml_attr(u)}" for p, u in ns.items())
    xsl = ('<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"'
           f' xmlns:tuskcap="{_XPATH_NS}"{decls}><xsl:template match="/">'
           f'<xsl:value-of select={_xml_attr("tuskcap:capture(" + expr + ")")}/>'
           '</xsl:template></xsl:stylesheet>')
    try:
        t = etree.XSLT(etree.fromstring(xsl))
    except etree.XSLTParseError:
        raise PgError(INVALID_XQUERY_ARG, "invalid XPath expression",
                      detail="Invalid expression") from None
    if len(_XSLT_CACHE) > 256:
        _XSLT_CACHE.clear()
    _XSLT_CACHE[key] = t
    return t


class DocumentNode:
    """The document node in an XPath result (lxml leaves it out of node sets)."""

    __slots__ = ("tree",)

    def __init__(self, tree: Any) -> None:
        self.tree = tree


def _has_document_node(expr: str, ns: dict[str, str], tree: Any) -> bool:
    """Does expr's node set hold the document node (the one node without a parent)?"""
    try:
        t = compile_xpath(f"count(({expr})[not(..)])", ns)
    except PgError:
        return False
    try:
        return bool(eval_xpath(t, tree))
    except PgError:
        return False


def eval_xpath(t: Any, tree: Any) -> Any:
    _capture.value = None
    try:
        t(tree)
    except etree.XSLTApplyError as e:
        raise PgError(INVALID_XQUERY_ARG, "could not create XPath object",
                      detail=str(e) or None) from None
    v = _capture.value
    _capture.value = None
    return v


def _parse_for_xpath(ctx: Any, value: str) -> Any:
    d = _decl_of(value)
    body = value[d.length:]
    try:
        parsed = _parse_document(body, True, strict=True)
    except XmlParseError as e:
        raise PgError(INVALID_XML_DOCUMENT, "could not parse XML document",
                      detail=e.detail()) from None
    _warn(ctx, parsed)
    return parsed.tree


def _warn(ctx: Any, parsed: ParsedXml) -> None:
    if not parsed.warnings:
        return
    sink = getattr(ctx, "notice", None) or getattr(getattr(ctx, "session_hooks", None),
                                                   "notice", None)
    if callable(sink):
        for w in parsed.warnings:
            sink(PgError("01000", _detail(parsed.buf, [w]) or "", severity="WARNING"))


def format_xpath_number(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def node_to_xml(node: Any) -> str:
    """A node of an XPath result as an xml value (PostgreSQL's xml_xmlnodetoxmltype)."""
    if isinstance(node, DocumentNode):
        return _doc_to_xml(node)
    if isinstance(node, tuple):          # a namespace node: (prefix, uri)
        return escape_xml(node[1])
    if isinstance(node, str):            # text or attribute
        return escape_xml(str(node))
    if isinstance(node, etree._Element) and not isinstance(node.tag, str):
        return etree.tostring(node, encoding="unicode", with_tail=False)
    c = copy.deepcopy(node)
    etree.cleanup_namespaces(c)
    return etree.tostring(c, encoding="unicode", with_tail=False)


def xpath_values(ctx: Any, expr: str, value: str, nsarray: Any = None) -> list[str]:
    ns = _namespaces(nsarray)
    t = compile_xpath(expr, ns)
    tree = _parse_for_xpath(ctx, value)
    r = eval_xpath(t, tree)
    if isinstance(r, list) and _has_document_node(expr, ns, tree):
        r = [DocumentNode(tree)] + r
    return _result_values(r)


def _result_values(r: Any) -> list[str]:
    if isinstance(r, list):
        return [node_to_xml(n) for n in r]
    if isinstance(r, bool):
        return ["true" if r else "false"]
    if isinstance(r, float):
        return [format_xpath_number(r)]
    return [escape_xml(str(r))]


def xpath(ctx: Any, expr: str, value: str, nsarray: Any = None) -> Any:
    from tuskdb.types.arrays import Array
    return Array(tuple(xpath_values(ctx, expr, value, nsarray)))


def xpath_exists(ctx: Any, expr: str, value: str, nsarray: Any = None) -> bool:
    ns = _namespaces(nsarray)
    t = compile_xpath(expr, ns)
    tree = _parse_for_xpath(ctx, value)
    r = eval_xpath(t, tree)
    if isinstance(r, list):
        return len(r) > 0 or _has_document_node(expr, ns, tree)
    return True


def xmlexists(ctx: Any, expr: str, value: str) -> bool:
    return xpath_exists(ctx, expr, value)


# --- XMLTABLE ------------------------------------------------------------------------------

def xmltable_rows(ctx: Any, row_expr: str, doc: str, ns: dict[str, str]) -> list[Any]:
    """The row nodes of XMLTABLE: row_expr over the document (a node set)."""
    t = compile_xpath(row_expr, ns)
    tree = _parse_for_xpath(ctx, doc)
    r = eval_xpath(t, tree)
    if not isinstance(r, list):
        raise PgError(INVALID_XQUERY_ARG, "XPath row expression must return a node set")
    if _has_document_node(row_expr, ns, tree):
        r = [DocumentNode(tree)] + r
    return r


def _doc_to_xml(d: DocumentNode) -> str:
    """The document node as xml: its top-level nodes, each followed by a newline."""
    parts = [etree.tostring(n, encoding="unicode", with_tail=False) + "\n"
             for n in _doc_top_nodes(d.tree)]
    dt = d.tree.docinfo.doctype
    return (dt + "\n" if dt else "") + "".join(parts)


def xmltable_value(node: Any, path: str, ns: dict[str, str], as_xml: bool) -> str | None:
    """One column of one row: path evaluated with the row node as context; None when it
    finds nothing.  A node becomes its string-value (or itself, for an xml column)."""
    if path == "":
        raise PgError(INVALID_XQUERY_ARG, "empty XPath expression")
    if isinstance(node, DocumentNode):
        r = eval_xpath(compile_xpath(path, ns), node.tree)
        if isinstance(r, list) and _has_document_node(path, ns, node.tree):
            r = [node] + r
        return _column_value(r, as_xml)
    if not isinstance(node, etree._Element):
        return None
    try:
        r = node.xpath(path, namespaces=ns or None)
        if isinstance(r, list) and not r and node.xpath(f"count(({path})[not(..)])",
                                                       namespaces=ns or None):
            r = [DocumentNode(node.getroottree())]
    except etree.XPathSyntaxError as e:
        raise PgError(INVALID_XQUERY_ARG, "invalid XPath expression",
                      detail=(str(e).split("\n")[0] or None)) from None
    except etree.XPathError as e:
        raise PgError(INVALID_XQUERY_ARG, "invalid XPath expression",
                      detail=str(e) or None) from None
    return _column_value(r, as_xml)


def _column_value(r: Any, as_xml: bool) -> str | None:
    if isinstance(r, list):
        if not r:
            return None
        if as_xml:
            # an xml column takes every node found
            return "".join(_doc_to_xml(n) if isinstance(n, DocumentNode) else node_to_xml(n)
                           for n in r)
        if len(r) > 1:
            raise PgError("21000", "more than one value returned by column XPath expression")
        n = r[0]
        if isinstance(n, DocumentNode):
            return n.tree.getroot().xpath("string(/)")
        if isinstance(n, tuple):
            return n[1]
        if isinstance(n, str):
            return str(n)
        return n.xpath("string()")
    if isinstance(r, bool):
        s = "true" if r else "false"
    elif isinstance(r, float):
        s = format_xpath_number(r)
    else:
        s = str(r)
    return escape_xml(s) if as_xml else s


CTX_IMPLS = {"xpath": xpath, "xpath_exists": xpath_exists, "xmlexists": xmlexists}
def _sql_function(name: str, f: Any) -> Any:
    """xpath(text, xml) and xpath_exists(text, xml) are SQL-language functions calling
    the three-argument forms: their errors carry the SQL function's CONTEXT line."""
    def call(ctx: Any, e: str, v: str) -> Any:
        try:
            return f(ctx, e, v)
        except PgError as err:
            line = f'SQL function "{name}" statement 1'
            err.context = line if not err.context else err.context + "\n" + line
            raise
    return call


CTX_IMPLS_BY_OID = {
    2932: _sql_function("xpath", xpath),
    3050: _sql_function("xpath_exists", xpath_exists),
}
