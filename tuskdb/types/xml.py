"""The xml type (PostgreSQL's xml.c), on libxml2 through lxml.

PostgreSQL parses XML with libxml2; so does lxml, so the parser's verdicts and
its error messages (the DETAIL lines of "invalid XML content") are libxml2's
own.  A value is the ``str`` the user gave (PostgreSQL stores the text, not a
tree); every operation that needs a tree parses it again.

Parsing (xml_parse) follows PostgreSQL's rules:

- DOCUMENT: the whole text is one well-formed document.
- CONTENT: an XML declaration, if present, is read by ``parse_xml_decl``
  (PostgreSQL's own reader, with its own errors); the rest is a "balanced
  chunk": any sequence of elements, text, comments and PIs.  PostgreSQL hands
  that chunk to libxml2's balanced-chunk parser; lxml has no such call, so the
  chunk is parsed inside a synthetic root element and the two artefacts of
  that root are translated back (an end tag closing the root is libxml2's
  "chunk is not well balanced"; the root's end tag closing an open element is
  "Premature end of data").  A chunk that starts with a DOCTYPE (after
  comments/PIs) is parsed as a document, as in PostgreSQL 16+.

Error DETAIL: one block per libxml2 error, ``line N: message``, the input line
and a caret under the parser's position (libxml2's xmlParserPrintFileContext
layout).  In the "well-formed" strictness (xml_in, XMLPARSE) only parser
errors count; xpath() uses the strict mode where namespace errors count too.

XPath: expressions are evaluated with the document node as context node, as
PostgreSQL does.  lxml evaluates XPath relative to an element, so the
expression runs inside a one-template XSLT stylesheet (whose template for "/"
has the document node as context) and hands its value to a Python extension
function.
"""

from __future__ import annotations

import base64
import copy
import re
import threading
from typing import Any

from lxml import etree

from tuskdb.errors import PgError

XML = 142
XML_ARRAY = 143

INVALID_XML_DOCUMENT = "2200M"
INVALID_XML_CONTENT = "2200N"
NOT_AN_XML_DOCUMENT = "2200L"
INVALID_XML_COMMENT = "2200S"
INVALID_XML_PI = "2200T"
INVALID_XQUERY_ARG = "10608"

_ROOT = "tusk-xml-chunk-root"
_PREFIX = f"<{_ROOT}>"
_SUFFIX = f"</{_ROOT}>"


# --- XML names (XML 1.0 fifth edition, productions [4] and [4a]) ----------------------

_NAME_START = ((0x3A, 0x3A), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A), (0xC0, 0xD6),
               (0xD8, 0xF6), (0xF8, 0x2FF), (0x370, 0x37D), (0x37F, 0x1FFF),
               (0x200C, 0x200D), (0x2070, 0x218F), (0x2C00, 0x2FEF), (0x3001, 0xD7FF),
               (0xF900, 0xFDCF), (0xFDF0, 0xFFFD), (0x10000, 0xEFFFF))
_NAME_MORE = ((0x2D, 0x2E), (0x30, 0x39), (0xB7, 0xB7), (0x300, 0x36F), (0x203F, 0x2040))


def _in(c: int, ranges: tuple) -> bool:
    return any(lo <= c <= hi for lo, hi in ranges)


def is_name_start_char(ch: str) -> bool:
    return _in(ord(ch), _NAME_START)


def is_name_char(ch: str) -> bool:
    c = ord(ch)
    return _in(c, _NAME_START) or _in(c, _NAME_MORE)


def map_sql_identifier_to_xml_name(ident: str, fully_escaped: bool, escape_period: bool) -> str:
    """SQL/XML's identifier mapping (SQL:2003 9.1): characters not allowed in an XML
    name become _xHHHH_; a leading ':' or 'xml' and every '_x' are escaped too."""
    out: list[str] = []
    for i, ch in enumerate(ident):
        if ch == ":" and (i == 0 or fully_escaped):
            out.append("_x003A_")
        elif ch == "_" and ident[i + 1:i + 2] == "x":
            out.append("_x005F_")
        elif fully_escaped and i == 0 and ident[:3].lower() == "xml":
            out.append("_x0078_" if ch == "x" else "_x0058_")
        elif escape_period and ch == ".":
            out.append("_x002E_")
        elif (i == 0 and not is_name_start_char(ch)) or (i > 0 and not is_name_char(ch)):
            out.append(f"_x{ord(ch):04X}_")
        else:
            out.append(ch)
    return "".join(out)


def map_xml_name_to_sql_identifier(name: str) -> str:
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), name)


# --- escaping --------------------------------------------------------------------------

def escape_xml(s: str) -> str:
    """PostgreSQL's escape_xml: text content as XML (&, <, >, CR)."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#x0d;"))


def escape_attribute(s: str) -> str:
    """Attribute values as libxml2's text writer escapes them."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
            .replace("\t", "&#9;"))


def encode_special_chars(s: str) -> str:
    """libxml2's xmlEncodeSpecialChars (xmltext)."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\r", "&#13;"))


# --- the XML declaration ---------------------------------------------------------------

class XmlDecl:
    __slots__ = ("length", "version", "encoding", "standalone")

    def __init__(self, length: int = 0, version: str | None = None,
                 encoding: str | None = None, standalone: int = -1) -> None:
        self.length = length
        self.version = version
        self.encoding = encoding
        self.standalone = standalone


_DECL_DETAILS = {
    "space": "Space required.",
    "standalone": "standalone accepts only 'yes' or 'no'.",
    "version": "Malformed declaration: missing version.",
    "encoding": "Missing encoding in text declaration.",
    "finished": "Parsing XML declaration: '?>' expected.",
    "char": "Invalid character value.",
}


class _DeclError(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.detail = _DECL_DETAILS[what]


_WS = " \t\r\n"


def parse_xml_decl(s: str) -> XmlDecl:
    """Read a leading ``<?xml ...?>`` declaration (raises _DeclError when malformed)."""
    if not s.startswith("<?xml") or len(s) < 6 or s[5] not in _WS:
        return XmlDecl()
    p = 5

    def skip_ws(p: int) -> int:
        while p < len(s) and s[p] in _WS:
            p += 1
        return p

    def attr(p: int, name: str) -> tuple[int, str | None]:
        q = skip_ws(p)
        if not s.startswith(name, q):
            return p, None
        q = skip_ws(q + len(name))
        if q >= len(s) or s[q] != "=":
            return p, None
        q = skip_ws(q + 1)
        if q >= len(s) or s[q] not in "'\"":
            return p, None
        end = s.find(s[q], q + 1)
        if end < 0:
            return p, None
        return end + 1, s[q + 1:end]

    p2, version = attr(p, "version")
    if version is None:
        raise _DeclError("version")
    p = p2
    decl = XmlDecl(version=version)
    q = skip_ws(p)
    if s.startswith("encoding", q):
        if q == p:
            raise _DeclError("space")
        p2, enc = attr(p, "encoding")
        if enc is None or not enc:
            raise _DeclError("encoding")
        decl.encoding = enc
        p = p2
    q = skip_ws(p)
    if s.startswith("standalone", q):
        if q == p:
            raise _DeclError("space")
        p2, sa = attr(p, "standalone")
        if sa == "yes":
            decl.standalone = 1
        elif sa == "no":
            decl.standalone = 0
        else:
            raise _DeclError("standalone")
        p = p2
    p = skip_ws(p)
    if not s.startswith("?>", p):
        raise _DeclError("finished")
    decl.length = p + 2
    return decl


def print_xml_decl(version: str | None, encoding: str | None, standalone: int) -> str:
    """The declaration PostgreSQL writes ('' when none is needed)."""
    if (version and version != "1.0") or encoding or standalone != -1:
        out = f'<?xml version="{version or "1.0"}"'
        if encoding:
            out += f' encoding="{encoding}"'
        if standalone == 1:
            out += ' standalone="yes"'
        elif standalone == 0:
            out += ' standalone="no"'
        return out + "?>"
    return ""


# --- parsing ---------------------------------------------------------------------------

class XmlError:
    __slots__ = ("line", "column", "message", "level")

    def __init__(self, line: int, column: int, message: str, level: int) -> None:
        self.line = line
        self.column = column          # 0-based parser position within the line
        self.message = message
        self.level = level            # 1 warning, 2 error, 3 fatal


_ACCEPTED_DOMAINS = {"PARSER", "NONE", "MEMORY", "IO"}


def _context(buf: str, line: int, col: int) -> str:
    """The input line around the parser position and a caret under it (80 columns)."""
    lines = re.split(r"\r\n|\r|\n", buf)
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    col = max(0, min(col, len(text)))
    start = max(0, col - 80)
    shown = text[start:start + 80]
    pad = "".join("\t" if c == "\t" else " " for c in shown[:col - start])
    return f"{shown}\n{pad}^"


def _detail(buf: str, errors: list[XmlError]) -> str | None:
    if not errors:
        return None
    return "\n".join(f"line {e.line}: {e.message}\n{_context(buf, e.line, e.column)}"
                     for e in errors)


class _EmptyResolver(etree.Resolver):
    """External DTDs and entities read as empty documents (PostgreSQL's entity loader:
    nothing is fetched from files or the network)."""

    def resolve(self, url: Any, pubid: Any, context: Any) -> Any:
        return self.resolve_string("", context)


def _parser(preserve_ws: bool, recover: bool = False) -> etree.XMLParser:
    # entities left alone and external resources read as empty (see _EmptyResolver)
    p = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                        huge_tree=True, remove_blank_text=not preserve_ws,
                        remove_comments=False, remove_pis=False, strip_cdata=False,
                        collect_ids=False, recover=recover)
    p.resolvers.add(_EmptyResolver())
    return p


def _fromstring(data: bytes, preserve_ws: bool, strict: bool) -> tuple[Any, list, list]:
    """(root or None, errors, warnings).  lxml refuses a tree on any error, also on
    the namespace errors the well-formedness check ignores: then the tree comes from
    a second, recovering parse."""
    p = _parser(preserve_ws)
    try:
        root = etree.fromstring(data, p)
    except etree.XMLSyntaxError:
        root = None
    errs, warns = _log_errors(p.error_log, strict)
    if root is None and not errs:
        p2 = _parser(preserve_ws, recover=True)
        try:
            root = etree.fromstring(data, p2)
        except etree.XMLSyntaxError:
            root = None
    return root, errs, warns


def _log_errors(log: Any, strict: bool) -> tuple[list[XmlError], list[XmlError]]:
    """(errors, warnings) of a parse, filtered as PostgreSQL's error handler does."""
    errs: list[XmlError] = []
    warns: list[XmlError] = []
    for e in log:
        if not strict and e.domain_name not in _ACCEPTED_DOMAINS:
            continue
        if e.type_name == "WAR_UNDECLARED_ENTITY":
            continue
        x = XmlError(e.line, max(e.column - 1, 0), e.message, e.level)
        if e.level >= 2:
            errs.append(x)
        elif e.level == 1:
            warns.append(x)
    return errs, warns


class ParsedXml:
    """A parsed value: ``tree`` for a document, ``nodes`` (under ``root``) for content."""

    __slots__ = ("tree", "root", "is_document", "decl", "warnings", "buf")

    def __init__(self) -> None:
        self.tree: Any = None
        self.root: Any = None
        self.is_document = False
        self.decl = XmlDecl()
        self.warnings: list[XmlError] = []
        self.buf = ""

    def nodes(self) -> list[Any]:
        """Top-level nodes of content (text nodes as str)."""
        out: list[Any] = []
        if self.root.text:
            out.append(self.root.text)
        for ch in self.root:
            out.append(ch)
            if ch.tail:
                out.append(ch.tail)
        return out


class XmlParseError(Exception):
    def __init__(self, errors: list[XmlError], buf: str) -> None:
        super().__init__("xml")
        self.errors = errors
        self.buf = buf

    def detail(self) -> str | None:
        return _detail(self.buf, self.errors)


def _doctype_in_content(s: str) -> bool:
    """Does content begin (after comments, PIs and blanks) with a DOCTYPE?"""
    p = 0
    n = len(s)
    while True:
        while p < n and s[p] in _WS:
            p += 1
        if s.startswith("<!DOCTYPE", p):
            return True
        if s.startswith("<!--", p):
            e = s.find("-->", p + 4)
            if e < 0:
                return False
            p = e + 3
            continue
        if s.startswith("<?", p):
            e = s.find("?>", p + 2)
            if e < 0:
                return False
            p = e + 2
            continue
        return False


def _parse_document(s: str, preserve_ws: bool, strict: bool) -> ParsedXml:
    root, errs, warns = _fromstring(s.encode("utf-8"), preserve_ws, strict)
    if root is None or errs:
        if not errs:
            errs = [XmlError(1, 0, "Document is empty", 3)]
        raise XmlParseError(errs, s)
    r = ParsedXml()
    r.tree = root.getroottree()
    r.is_document = True
    r.warnings = warns
    r.buf = s
    return r


def _parse_chunk(s: str, preserve_ws: bool, strict: bool) -> ParsedXml:
    root, raw_errs, raw_warns = _fromstring((_PREFIX + s + _SUFFIX).encode("utf-8"),
                                             preserve_ws, strict)
    shift = len(_PREFIX)
    lines = re.split(r"\r\n|\r|\n", s)
    nlines = len(lines)
    errs: list[XmlError] = []
    warns: list[XmlError] = []
    for e in raw_errs + raw_warns:
        if e.line == 1:
            e.column = max(e.column - shift, 0)
        last = lines[e.line - 1] if 0 < e.line <= nlines else ""
        if e.line >= nlines:
            e.line = min(e.line, nlines)
            e.column = min(e.column, len(last))
        m = re.fullmatch(rf"Opening and ending tag mismatch: (\S+) line (\d+) and {_ROOT}",
                         e.message)
        if m:
            # the synthetic end tag closed an element the chunk left open
            e.message = f"Premature end of data in tag {m.group(1)} line {m.group(2)}"
            e.line = nlines
            e.column = len(lines[-1])
            errs.append(e)
            break
        if e.message.startswith(f"Opening and ending tag mismatch: {_ROOT} line"):
            # an end tag without its start tag: the chunk is not balanced
            line = lines[e.line - 1] if 0 < e.line <= nlines else ""
            k = line.rfind("</", 0, max(e.column, 0) + 1)
            e.message = "chunk is not well balanced"
            e.column = k if k >= 0 else e.column
            errs.append(e)
            break
        if _ROOT in e.message:
            break
        (errs if e.level >= 2 else warns).append(e)
    if errs or root is None:
        if not errs:
            errs = [XmlError(1, 0, "chunk is not well balanced", 3)]
        raise XmlParseError(errs, s)
    r = ParsedXml()
    r.root = root
    r.tree = root.getroottree()
    r.warnings = warns
    r.buf = s
    return r


def xml_parse(s: str, document: bool, preserve_ws: bool = True,
              strict: bool = False) -> ParsedXml:
    """Parse a value as DOCUMENT or CONTENT.  Raises XmlParseError / _DeclError."""
    if document:
        return _parse_document(s, preserve_ws, strict)
    decl = parse_xml_decl(s)
    if _doctype_in_content(s[decl.length:]):
        r = _parse_document(s, preserve_ws, strict)
        r.decl = decl
        return r
    r = _parse_chunk(s[decl.length:], preserve_ws, strict)
    r.decl = decl
    return r


def _parse_or_raise(s: str, document: bool, preserve_ws: bool = True) -> ParsedXml:
    try:
        return xml_parse(s, document, preserve_ws)
    except _DeclError as e:
        raise PgError(INVALID_XML_CONTENT, "invalid XML content: invalid XML declaration",
                      detail=e.detail) from None
    except XmlParseError as e:
        if document:
            raise PgError(INVALID_XML_DOCUMENT, "invalid XML document",
                          detail=e.detail()) from None
        raise PgError(INVALID_XML_CONTENT, "invalid XML content", detail=e.detail()) from None


# --- type I/O --------------------------------------------------------------------------

def _xmloption_document(ctx: Any) -> bool:
    return getattr(ctx, "xmloption", "content") == "document"


def xml_in(text: str, typmod: int = -1, ctx: Any = None) -> str:
    _parse_or_raise(text, _xmloption_document(ctx))
    return text


def xml_out(value: str, ctx: Any = None) -> str:
    """The stored text without a declaration that says nothing (version 1.0, no
    standalone); a newline right after a dropped declaration goes with it."""
    try:
        decl = parse_xml_decl(value)
    except _DeclError:
        return value
    if decl.length == 0:
        return value
    head = print_xml_decl(decl.version, None, decl.standalone)
    rest = value[decl.length:]
    if not head and rest.startswith("\n"):
        rest = rest[1:]
    return head + rest


def xml_send(value: str, ctx: Any = None) -> bytes:
    return xml_out(value, ctx).encode()


def xml_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> str:
    text = bytes(data).decode()
    return xml_in(text, typmod, ctx)


# --- constructors and simple functions ---------------------------------------------------

def xmlcomment(text: str) -> str:
    if "--" in text or text.endswith("-"):
        raise PgError(INVALID_XML_COMMENT, "invalid XML comment")
    return f"<!--{text}-->"


def texttoxml(ctx: Any, text: str) -> str:
    """xml(text) and the text -> xml cast: XMLPARSE with the session's xmloption."""
    return xml_in(text, -1, ctx)


def xmlparse(ctx: Any, text: str, document: bool, preserve_ws: bool) -> str:
    _parse_or_raise(text, document, preserve_ws)
    return text


def xmltext(text: str) -> str:
    return encode_special_chars(text)


def xmlpi(target: str, arg: str | None) -> str | None:
    if target.lower() == "xml":
        raise PgError(INVALID_XML_PI, "invalid XML processing instruction",
                      detail='XML processing instruction target name cannot be "xml".')
    if arg is None:
        return None
    if "?>" in arg:
        raise PgError(INVALID_XML_PI, "invalid XML processing instruction",
                      detail='XML processing instruction cannot contain "?>".')
    body = arg.lstrip(" ")
    return f"<?{target} {body}?>" if body else f"<?{target}?>"


def xmlpi_noarg(target: str) -> str:
    if target.lower() == "xml":
        raise PgError(INVALID_XML_PI, "invalid XML processing instruction",
                      detail='XML processing instruction target name cannot be "xml".')
    return f"<?{target}?>"


def _decl_of(value: str) -> XmlDecl:
    try:
        return parse_xml_decl(value)
    except _DeclError:
        return XmlDecl()


def xmlconcat(values: list[str | None]) -> str | None:
    """XMLCONCAT: the values without their declarations, under one combined declaration."""
    parts: list[str] = []
    standalone = 1
    version: str | None = None
    version_no_value = False
    seen = False
    for v in values:
        if v is None:
            continue
        seen = True
        d = _decl_of(v)
        if d.standalone == 0 and standalone == 1:
            standalone = 0
        if d.standalone < 0:
            standalone = -1
        if not d.version:
            version_no_value = True
        elif version is None:
            version = d.version
        elif version != d.version:
            version_no_value = True
        parts.append(v[d.length:])
    if not seen:
        return None
    head = ""
    if not version_no_value or standalone >= 0:
        head = print_xml_decl(None if version_no_value else version, None, standalone)
    return head + "".join(parts)


def xmlconcat2(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return xmlconcat([a, b])


# XMLROOT's standalone argument (XmlStandaloneType)
STANDALONE_YES, STANDALONE_NO, STANDALONE_NO_VALUE, STANDALONE_OMITTED = 0, 1, 2, 3


def xmlroot(value: str, version: str | None, standalone: int) -> str:
    d = _decl_of(value)
    sa = d.standalone
    if standalone == STANDALONE_YES:
        sa = 1
    elif standalone == STANDALONE_NO:
        sa = 0
    elif standalone == STANDALONE_NO_VALUE:
        sa = -1
    return print_xml_decl(version, None, sa) + value[d.length:]


def xml_is_document(value: str) -> bool:
    try:
        xml_parse(value, True)
    except (XmlParseError, _DeclError):
        return False
    return True


def _well_formed(text: str, document: bool) -> bool:
    try:
        xml_parse(text, document)
    except (XmlParseError, _DeclError):
        return False
    return True


def xml_is_well_formed(ctx: Any, text: str) -> bool:
    return _well_formed(text, _xmloption_document(ctx))


def xml_is_well_formed_document(text: str) -> bool:
    return _well_formed(text, True)


def xml_is_well_formed_content(text: str) -> bool:
    return _well_formed(text, False)


def xmlvalidate(value: str, schema: str) -> bool:
    raise PgError("0A000", "xmlvalidate is not implemented")


# --- XMLSERIALIZE ---------------------------------------------------------------------------

def xmlserialize(value: str, document: bool, indent: bool) -> str:
    """XMLSERIALIZE(DOCUMENT|CONTENT value AS text [INDENT])."""
    if document and not xml_is_document(value):
        raise PgError(NOT_AN_XML_DOCUMENT, "not an XML document")
    if not indent:
        return value
    try:
        parsed = xml_parse(value, document, preserve_ws=False)
    except (XmlParseError, _DeclError):
        raise PgError(NOT_AN_XML_DOCUMENT, "not an XML document") from None
    if parsed.is_document and document:
        text = etree.tostring(parsed.tree, pretty_print=True, encoding="unicode",
                              doctype=None)
        if parsed.decl.length or value.startswith("<?xml"):
            d = _decl_of(value)
            head = f'<?xml version="{d.version or "1.0"}"'
            if d.encoding:
                head += f' encoding="{d.encoding}"'
            if d.standalone == 1:
                head += ' standalone="yes"'
            elif d.standalone == 0:
                head += ' standalone="no"'
            text = head + "?>\n" + text
        return text.rstrip("\n")
    if parsed.is_document:
        # content that is a document with a DOCTYPE: its top-level nodes, each on a line
        parts: list[str] = []
        dt = parsed.tree.docinfo.doctype
        if dt:
            parts.append(dt + "\n")
        for node in _doc_top_nodes(parsed.tree):
            parts.append(etree.tostring(node, pretty_print=True, encoding="unicode",
                                        with_tail=False))
        return "".join(parts)
    out: list[str] = []
    prev = False
    for node in parsed.nodes():
        if isinstance(node, str):
            out.append(escape_xml(node))
        else:
            if prev:
                out.append("\n")
            out.append(etree.tostring(node, pretty_print=True, encoding="unicode",
                                      with_tail=False).rstrip("\n"))
        prev = True
    return "".join(out)


def _doc_top_nodes(tree: Any) -> list[Any]:
    root = tree.getroot()
    before: list[Any] = []
    p = root.getprevious()
    while p is not None:
        before.insert(0, p)
        p = p.getprevious()
    after: list[Any] = []
    n = root.getnext()
    while n is not None:
        after.append(n)
        n = n.getnext()
    return before + [root] + after


# --- SQL values as XML (map_sql_value_to_xml_value) ---------------------------------------

def xml_value_text(value: Any, type_oid: int, ctx: Any, output: Any, escape: bool,
                   base_type: Any = None, elem_of: Any = None) -> str:
    """A non-NULL SQL value as XML text (SQL:2003 9.8).  ``output(value, type_oid)``
    gives a value's text form; ``base_type(oid)`` resolves domains; ``elem_of(oid)``
    gives an array type's element type."""
    if base_type is not None:
        type_oid = base_type(type_oid)
    elem = elem_of(type_oid) if elem_of is not None else 0
    if elem:
        return "".join("<element>" + xml_value_text(v, elem, ctx, output, escape, base_type,
                                                     elem_of) + "</element>"
                       for v in value.items if v is not None)
    if type_oid == 16:
        return "true" if value else "false"
    if type_oid == 1082:
        from tuskdb.types.datetime import DATE_NOBEGIN, DATE_NOEND
        if value in (DATE_NOBEGIN, DATE_NOEND):
            raise PgError("22008", "date out of range",
                          detail="XML does not support infinite date values.")
        return _iso(output(value, 1082, True))
    if type_oid in (1114, 1184):
        from tuskdb.types.datetime import DT_NOBEGIN, DT_NOEND
        if value in (DT_NOBEGIN, DT_NOEND):
            raise PgError("22008", "timestamp out of range",
                          detail="XML does not support infinite timestamp values.")
        return _iso(output(value, type_oid, True))
    if type_oid == 17:
        if getattr(ctx, "xmlbinary", "base64") == "hex":
            return bytes(value).hex().upper()
        return base64.b64encode(bytes(value)).decode()
    text = output(value, type_oid, False)
    if type_oid == XML or not escape:
        return text
    return escape_xml(text)


def _iso(text: str) -> str:
    """ISO output ('2009-06-08 21:07:30-07') as XML Schema's form ('2009-06-08T21:07:30-07:00')."""
    s = text.replace(" ", "T", 1)
    m = re.search(r"([+-]\d\d)(:\d\d)?(:\d\d)?$", s)
    if m and "T" in s and m.start() > s.index("T"):
        s = s[:m.start()] + m.group(1) + (m.group(2) or ":00") + (m.group(3) or "")
    return s


def xmlelement(name: str, attrs: list[tuple[str, str]], content: list[str]) -> str:
    out = "<" + name + "".join(f' {n}="{escape_attribute(v)}"' for n, v in attrs)
    if not content:
        return out + "/>"
    return out + ">" + "".join(content) + f"</{name}>"


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
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def node_to_xml(node: Any) -> str:
    """A node of an XPath result as an xml value (PostgreSQL's xml_xmlnodetoxmltype)."""
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
    return _result_values(eval_xpath(t, tree))


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
        return len(r) > 0
    return True


def xmlexists(ctx: Any, expr: str, value: str) -> bool:
    return xpath_exists(ctx, expr, value)


IMPLS = {
    "xmlcomment": xmlcomment, "xmlconcat2": xmlconcat2, "xmltext": xmltext,
    "xmlvalidate": xmlvalidate, "xml_is_well_formed_document": xml_is_well_formed_document,
    "xml_is_well_formed_content": xml_is_well_formed_content,
}
CTX_IMPLS = {
    "texttoxml": texttoxml, "xml_is_well_formed": xml_is_well_formed,
    "xpath": xpath, "xpath_exists": xpath_exists, "xmlexists": xmlexists,
}
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
    return "".join(etree.tostring(n, encoding="unicode", with_tail=False)
                   for n in _doc_top_nodes(d.tree)) + "\n"


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


# --- mapping tables and queries to XML (SQL:2003 9.11, "table_to_xml") -------------------

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def _root_start(name: str, targetns: str, top_level: bool) -> str:
    out = "<" + name
    if top_level:
        out += f' xmlns:xsi="{XSI_NS}"'
        if targetns:
            out += f' xmlns="{targetns}"'
    return out + ">\n"


def row_to_xml(colnames: list[str], values: list[str | None], elname: str, nulls: bool,
               tableforest: bool, targetns: str, top_level: bool) -> str:
    """One row: ``values`` are the columns' XML texts (None for NULL)."""
    out = _root_start(elname, targetns, top_level) if tableforest else "<row>\n"
    for name, v in zip(colnames, values):
        if v is None:
            if nulls:
                out += f'  <{name} xsi:nil="true"/>\n'
        else:
            out += f"  <{name}>{v}</{name}>\n"
    return out + ("</" + (elname if tableforest else "row") + ">\n\n")


def rows_to_xml(colnames: list[str], rows: list[list[str | None]], elname: str, nulls: bool,
                tableforest: bool, targetns: str, top_level: bool) -> str:
    """A table, query result or cursor batch: one element per row (tableforest) or one
    root element holding <row> elements."""
    out = "" if tableforest else _root_start(elname, targetns, top_level) + "\n"
    for r in rows:
        out += row_to_xml(colnames, r, elname, nulls, tableforest, targetns, top_level)
    if not tableforest:
        out += f"</{elname}>\n"
    return out


def schema_to_xml_text(schema: str, tables: list[str], targetns: str) -> str:
    """A schema's element around its tables' XML (each already mapped)."""
    out = _root_start(schema, targetns, True) + "\n"
    for t in tables:
        out += t + "\n"
    return out + f"</{schema}>\n"


# --- XML Schema of the mapping (SQL:2003 9.5-9.7) ------------------------------------------

_SIMPLE_NAMES = {21: "SMALLINT", 23: "INTEGER", 20: "BIGINT", 700: "REAL", 701: "DOUBLE",
                 16: "BOOLEAN", 1082: "DATE", 142: "XML"}
_TYPMOD_NAMES = {1042: "CHAR", 1043: "VARCHAR", 1083: "TIME", 1266: "TIME_WTZ",
                 1114: "TIMESTAMP", 1184: "TIMESTAMP_WTZ"}


def multipart_xml_name(*parts: str | None) -> str:
    return ".".join(map_sql_identifier_to_xml_name(p, True, True) for p in parts if p)


def xml_type_name(oid: int, typmod: int, info: Any) -> str:
    """map_sql_type_to_xml_name; ``info(oid)`` gives (is_domain, dbname, nspname, typname)."""
    if oid in _SIMPLE_NAMES:
        return _SIMPLE_NAMES[oid]
    if oid in _TYPMOD_NAMES:
        base = _TYPMOD_NAMES[oid]
        if typmod < 0:
            return base
        return f"{base}_{typmod - 4 if oid in (1042, 1043) else typmod}"
    if oid == 1700:
        if typmod < 0:
            return "NUMERIC"
        return f"NUMERIC_{((typmod - 4) >> 16) & 0xFFFF}_{(typmod - 4) & 0xFFFF}"
    is_domain, db, nsp, name = info(oid)
    return multipart_xml_name("Domain" if is_domain else "UDT", db, nsp, name)


_RANGES = {21: ("short", "32767", "-32768"), 23: ("int", "2147483647", "-2147483648"),
           20: ("long", "9223372036854775807", "-9223372036854775808")}
_TIME_FRAC = r"(.\p{Nd}+)?"
_TZ = r"(\+|-)\p{Nd}{2}:\p{Nd}{2}"


def _frac(typmod: int) -> str:
    if typmod < 0:
        return _TIME_FRAC
    return "" if typmod == 0 else r".\p{Nd}{%d}" % typmod


def xml_schema_type(oid: int, typmod: int, info: Any, base_of: Any, xmlbinary: str) -> str:
    """map_sql_type_to_xmlschema_type: the xsd declaration of one SQL type."""
    if oid == XML:
        return ('<xsd:complexType mixed="true">\n  <xsd:sequence>\n'
                '    <xsd:any name="element" minOccurs="0" maxOccurs="unbounded" '
                'processContents="skip"/>\n  </xsd:sequence>\n</xsd:complexType>\n')
    out = f'<xsd:simpleType name="{xml_type_name(oid, typmod, info)}">\n'
    if oid in (1042, 1043, 25):
        out += '  <xsd:restriction base="xsd:string">\n'
        if typmod >= 0:
            out += f'    <xsd:maxLength value="{typmod - 4}"/>\n'
        out += "  </xsd:restriction>\n"
    elif oid == 17:
        kind = "hexBinary" if xmlbinary == "hex" else "base64Binary"
        out += f'  <xsd:restriction base="xsd:{kind}">\n  </xsd:restriction>\n'
    elif oid == 1700:
        if typmod >= 0:
            out += ('  <xsd:restriction base="xsd:decimal">\n'
                    f'    <xsd:totalDigits value="{((typmod - 4) >> 16) & 0xFFFF}"/>\n'
                    f'    <xsd:fractionDigits value="{(typmod - 4) & 0xFFFF}"/>\n'
                    "  </xsd:restriction>\n")
    elif oid in _RANGES:
        b, hi, lo = _RANGES[oid]
        out += (f'  <xsd:restriction base="xsd:{b}">\n    <xsd:maxInclusive value="{hi}"/>\n'
                f'    <xsd:minInclusive value="{lo}"/>\n  </xsd:restriction>\n')
    elif oid in (700, 701, 16):
        b = {700: "float", 701: "double", 16: "boolean"}[oid]
        out += f'  <xsd:restriction base="xsd:{b}"></xsd:restriction>\n'
    elif oid in (1083, 1266):
        tz = _TZ if oid == 1266 else ""
        out += ('  <xsd:restriction base="xsd:time">\n    <xsd:pattern value="'
                r"\p{Nd}{2}:\p{Nd}{2}:\p{Nd}{2}" + _frac(typmod) + tz + '"/>\n'
                "  </xsd:restriction>\n")
    elif oid in (1114, 1184):
        tz = _TZ if oid == 1184 else ""
        out += ('  <xsd:restriction base="xsd:dateTime">\n    <xsd:pattern value="'
                r"\p{Nd}{4}-\p{Nd}{2}-\p{Nd}{2}T\p{Nd}{2}:\p{Nd}{2}:\p{Nd}{2}" + _frac(typmod)
                + tz + '"/>\n  </xsd:restriction>\n')
    elif oid == 1082:
        out += ('  <xsd:restriction base="xsd:date">\n    <xsd:pattern value="'
                r"\p{Nd}{4}-\p{Nd}{2}-\p{Nd}{2}" + '"/>\n  </xsd:restriction>\n')
    else:
        base = base_of(oid)
        if base is not None:
            boid, btypmod = base
            out += f'  <xsd:restriction base="{xml_type_name(boid, btypmod, info)}"/>\n'
    return out + "</xsd:simpleType>\n"


def xml_schema_types(type_lists: list[list[int]], info: Any, base_of: Any,
                     xmlbinary: str) -> str:
    """The declarations of every type the columns use (domains' base types after)."""
    unique: list[int] = []
    for tl in type_lists:
        for t in tl:
            if t not in unique:
                unique.append(t)
    for t in list(unique):
        b = base_of(t)
        while b is not None:
            if b[0] not in unique:
                unique.append(b[0])
            b = base_of(b[0])
    return "".join(xml_schema_type(t, -1, info, base_of, xmlbinary) + "\n" for t in unique)


def xsd_schema_start(targetns: str) -> str:
    out = '<xsd:schema\n    xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
    if targetns:
        out += f'\n    targetNamespace="{targetns}"\n    elementFormDefault="qualified"'
    return out + ">\n\n"


def xsd_schema_end() -> str:
    return "</xsd:schema>"


def row_schema(rowtype: str, cols: list[tuple[str, str]], nulls: bool) -> str:
    out = f'<xsd:complexType name="{rowtype}">\n  <xsd:sequence>\n'
    extra = 'nillable="true"' if nulls else 'minOccurs="0"'
    for name, tname in cols:
        out += f'    <xsd:element name="{name}" type="{tname}" {extra}></xsd:element>\n'
    return out + "  </xsd:sequence>\n</xsd:complexType>\n\n"


def table_schema_body(rowtype: str, tabletype: str, element: str, tableforest: bool) -> str:
    if tableforest:
        return f'<xsd:element name="{element}" type="{rowtype}"/>\n\n'
    return (f'<xsd:complexType name="{tabletype}">\n  <xsd:sequence>\n'
            f'    <xsd:element name="row" type="{rowtype}" minOccurs="0" '
            'maxOccurs="unbounded"/>\n  </xsd:sequence>\n</xsd:complexType>\n\n'
            f'<xsd:element name="{element}" type="{tabletype}"/>\n\n')


def with_schema(root: str, targetns: str, schema: str, body: str, tableforest: bool) -> str:
    """The XML and its schema together (*_to_xml_and_xmlschema): the schema right after
    the root element's start (or first, for a forest), located by the root element."""
    if tableforest:
        return schema + "\n\n" + body
    start = f'<{root} xmlns:xsi="{XSI_NS}"'
    if targetns:
        start += f' xmlns="{targetns}" xsi:schemaLocation="{targetns} #"'
    else:
        start += ' xsi:noNamespaceSchemaLocation="#"'
    start += ">\n\n"
    head = _root_start(root, targetns, True) + "\n"
    assert body.startswith(head)
    return start + schema + "\n\n" + body[len(head):]
