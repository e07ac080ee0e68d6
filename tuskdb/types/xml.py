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

XPath lives in xmlpath.py, the table/query mapping in xmlmap.py.
"""

from __future__ import annotations

import base64
import re
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
    __slots__ = ("encoding", "length", "standalone", "version")

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
    __slots__ = ("column", "level", "line", "message")

    def __init__(self, line: int, column: int, message: str, level: int) -> None:
        self.line = line
        self.column = column          # 0-based parser position within the line
        self.message = message
        self.level = level            # 1 warning, 2 error, 3 fatal


_ACCEPTED_DOMAINS = {"PARSER", "NONE", "MEMORY", "IO"}


def _context(buf: str, line: int, col: int) -> str:
    """The input line around the parser position (``col`` characters into the line)
    and a caret under it, as libxml2's xmlParserPrintFileContext prints them: at most
    80 bytes of the line, the caret as many bytes in (at most 79), tabs kept."""
    lines = re.split(r"\r\n|\r|\n", buf)
    line_text = lines[line - 1] if 0 < line <= len(lines) else ""
    # libxml2 counts the error column in characters, the context in bytes
    col = len(line_text[:max(col, 0)].encode())
    text = line_text.encode()
    start = max(0, col - 80)
    shown = text[start:start + 80]
    while shown and not _utf8_complete(shown):
        shown = shown[:-1]
    col -= start
    pad = bytes(9 if b == 9 else 32 for b in shown[:min(col, 79)])
    return shown.decode(errors="replace") + "\n" + pad.decode() + "^"


def _utf8_complete(b: bytes) -> bool:
    try:
        b.decode()
    except UnicodeDecodeError:
        return False
    return True


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

    __slots__ = ("buf", "decl", "is_document", "root", "tree", "warnings")

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


def _check_pi_target(target: str) -> None:
    if target.lower() == "xml":
        raise PgError(INVALID_XML_PI, "invalid XML processing instruction",
                      detail=f'XML processing instruction target name cannot be "{target}".')


def xmlpi(target: str, arg: str | None) -> str | None:
    _check_pi_target(target)
    if arg is None:
        return None
    if "?>" in arg:
        raise PgError(INVALID_XML_PI, "invalid XML processing instruction",
                      detail='XML processing instruction cannot contain "?>".')
    body = arg.lstrip(" ")
    return f"<?{target} {body}?>" if body else f"<?{target}?>"


def xmlpi_noarg(target: str) -> str:
    _check_pi_target(target)
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


IMPLS = {
    "xmlcomment": xmlcomment, "xmlconcat2": xmlconcat2, "xmltext": xmltext,
    "xmlvalidate": xmlvalidate, "xml_is_well_formed_document": xml_is_well_formed_document,
    "xml_is_well_formed_content": xml_is_well_formed_content,
}
CTX_IMPLS = {"texttoxml": texttoxml, "xml_is_well_formed": xml_is_well_formed}
