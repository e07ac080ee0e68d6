"""The SQL/XML mapping of tables, queries and cursors (SQL:2003 9.5-9.11):
the XML text of rows (table_to_xml & co.) and the XML Schema that describes
it.  The session-side functions that run the queries are in
sql/analyze/xml_sysfuncs.py.
"""

from __future__ import annotations

from typing import Any

from tuskdb.types.xml import XML, map_sql_identifier_to_xml_name

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
    return "" if typmod == 0 else r".\p{Nd}{" + str(typmod) + "}"


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
