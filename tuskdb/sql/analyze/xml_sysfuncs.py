"""The SQL/XML mapping functions that read tables, queries and cursors
(table_to_xml, query_to_xml, cursor_to_xml, schema_to_xml and their
*_xmlschema / *_and_xmlschema forms).

Registered into SYSFUNCS (see sysfuncs.py); ``impl(ctx, *args)`` gets the
ExecContext, whose session runs the inner query (PostgreSQL runs it through
SPI).  The XML text itself is built by types/xml.py.
"""

from __future__ import annotations

from typing import Any

from tuskdb.errors import FEATURE_NOT_SUPPORTED, PgError
from tuskdb.sql.analyze.sysfuncs import SysFunc, _add
from tuskdb.types import xml as X
from tuskdb.types import xmlmap as M

TEXT, BOOL, INT4, NAME, REGCLASS, REFCURSOR = 25, 16, 23, 19, 2205, 1790
XML = X.XML


def _run(ctx: Any, sql: str) -> tuple[list[Any], list[tuple]]:
    from tuskdb.sql import parser
    s = ctx.session
    stmts = parser.parse(sql)
    if len(stmts) != 1:
        raise PgError("42601", "query_to_xml takes exactly one query")
    cp = s._plan(stmts[0], [])
    res = s._run_plan(cp, [], None, inner=True)
    return list(res.fields or []), list(res.rows or [])


def _xml_rows(ctx: Any, fields: list[Any], rows: list[tuple]) -> tuple[list[str], list[list]]:
    from tuskdb.sql.analyze.xmlexpr import _value_mapper
    mapper = _value_mapper(None)
    names = [X.map_sql_identifier_to_xml_name(f.name, True, False) for f in fields]
    types_ = [f.type_oid for f in fields]
    out = [[None if v is None else mapper(ctx, v, t, True) for v, t in zip(r, types_)]
           for r in rows]
    return names, out


def _quote_literal(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _relation(ctx: Any, oid: int) -> tuple[str, str]:
    """(relname, the name as regclass prints it) of a relation."""
    _, rows = _run(ctx, f"SELECT relname::pg_catalog.text, {int(oid)}::pg_catalog.regclass"
                        f"::pg_catalog.text FROM pg_catalog.pg_class WHERE oid = {int(oid)}")
    if not rows:
        raise PgError("42P01", f'relation with OID {oid} does not exist')
    return rows[0][0], rows[0][1]


def _table_xml(ctx: Any, oid: int, nulls: bool, tableforest: bool, targetns: str,
               top_level: bool) -> str:
    relname, qualified = _relation(ctx, oid)
    fields, rows = _run(ctx, f"SELECT * FROM {qualified}")
    names, vals = _xml_rows(ctx, fields, rows)
    el = X.map_sql_identifier_to_xml_name(relname, True, False)
    return M.rows_to_xml(names, vals, el, nulls, tableforest, targetns, top_level)


def table_to_xml(ctx: Any, oid: int, nulls: bool, tableforest: bool, targetns: str) -> str:
    return _table_xml(ctx, oid, nulls, tableforest, targetns, True)


def query_to_xml(ctx: Any, query: str, nulls: bool, tableforest: bool, targetns: str) -> str:
    fields, rows = _run(ctx, query)
    names, vals = _xml_rows(ctx, fields, rows)
    return M.rows_to_xml(names, vals, "row" if tableforest else "table", nulls, tableforest,
                         targetns, True)


def cursor_to_xml(ctx: Any, name: str, count: int, nulls: bool, tableforest: bool,
                  targetns: str) -> str:
    s = ctx.session
    cur = s.cursors.get(name)
    if cur is None:
        raise PgError("34000", f'cursor "{name}" does not exist')
    n = len(cur.rows)
    pos = min(cur.pos, n)
    got = cur.rows[pos:pos + max(count, 0)]
    cur.pos = min(pos + len(got) + (1 if len(got) < count else 0), n + 1)
    names, vals = _xml_rows(ctx, list(cur.fields or []), got)
    return M.rows_to_xml(names, vals, "row" if tableforest else "table", nulls, tableforest,
                         targetns, True)


def schema_to_xml(ctx: Any, schema: str, nulls: bool, tableforest: bool, targetns: str) -> str:
    _, nsp = _run(ctx, "SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = "
                       + _quote_literal(schema))
    if not nsp:
        raise PgError("3F000", f'schema "{schema}" does not exist')
    _, rels = _run(ctx, "SELECT oid FROM pg_catalog.pg_class WHERE relnamespace = "
                        f"{int(nsp[0][0])} AND relkind IN ('r', 'm', 'v') AND "
                        "pg_catalog.has_table_privilege(oid, 'SELECT') ORDER BY relname")
    parts = [_table_xml(ctx, r[0], nulls, tableforest, targetns, False) for r in rels]
    el = X.map_sql_identifier_to_xml_name(schema, True, False)
    return M.schema_to_xml_text(el, parts, targetns)


class _SchemaInfo:
    """Catalog facts the XML Schema mapping names types and tables with."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        _, rows = _run(ctx, "SELECT pg_catalog.current_database()::pg_catalog.text")
        self.db = rows[0][0]
        self._types: dict[int, tuple] = {}

    def info(self, oid: int) -> tuple[bool, str, str, str]:
        got = self._types.get(oid)
        if got is None:
            _, rows = _run(self.ctx, "SELECT t.typtype::pg_catalog.text, n.nspname::pg_catalog"
                                     ".text, t.typname::pg_catalog.text FROM pg_catalog.pg_type "
                                     "t JOIN pg_catalog.pg_namespace n ON n.oid = "
                                     f"t.typnamespace WHERE t.oid = {int(oid)}")
            typtype, nsp, name = rows[0] if rows else ("b", "pg_catalog", str(oid))
            got = (typtype == "d", self.db, nsp, name)
            self._types[oid] = got
        return got

    @staticmethod
    def base_of(oid: int) -> tuple[int, int] | None:
        from tuskdb import types
        t = types.TYPES.get(oid)
        if t is None or t.typtype != "d":
            return None
        return t.base_oid, t.base_typmod

    def types_xsd(self, ctx: Any, type_lists: list[list[int]]) -> str:
        return M.xml_schema_types(type_lists, self.info, self.base_of,
                                  getattr(ctx.types, "xmlbinary", "base64"))

    def columns(self, names: list[str], oids: list[int]) -> list[tuple[str, str]]:
        return [(X.map_sql_identifier_to_xml_name(n, True, False),
                 M.xml_type_name(t, -1, self.info)) for n, t in zip(names, oids)]


def _table_columns(ctx: Any, oid: int) -> tuple[list[str], list[int]]:
    _, rows = _run(ctx, "SELECT attname::pg_catalog.text, atttypid FROM pg_catalog.pg_attribute"
                        f" WHERE attrelid = {int(oid)} AND attnum > 0 AND NOT attisdropped "
                        "ORDER BY attnum")
    return [r[0] for r in rows], [r[1] for r in rows]


def _table_schema(ctx: Any, si: _SchemaInfo, oid: int, nulls: bool, tableforest: bool,
                  targetns: str) -> str:
    relname, _ = _relation(ctx, oid)
    _, nsp = _run(ctx, "SELECT n.nspname::pg_catalog.text FROM pg_catalog.pg_class c JOIN "
                       "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = "
                       f"{int(oid)}")
    names, oids = _table_columns(ctx, oid)
    rowtype = M.multipart_xml_name("RowType", si.db, nsp[0][0], relname)
    tabletype = M.multipart_xml_name("TableType", si.db, nsp[0][0], relname)
    el = X.map_sql_identifier_to_xml_name(relname, True, False)
    return (M.xsd_schema_start(targetns) + si.types_xsd(ctx, [oids])
            + M.row_schema(rowtype, si.columns(names, oids), nulls)
            + M.table_schema_body(rowtype, tabletype, el, tableforest) + M.xsd_schema_end())


def _query_schema(ctx: Any, si: _SchemaInfo, fields: list[Any], nulls: bool,
                  tableforest: bool, targetns: str) -> str:
    names = [f.name for f in fields]
    oids = [f.type_oid for f in fields]
    return (M.xsd_schema_start(targetns) + si.types_xsd(ctx, [oids])
            + M.row_schema("RowType", si.columns(names, oids), nulls)
            + M.table_schema_body("RowType", "TableType", "row" if tableforest else "table",
                                  tableforest) + M.xsd_schema_end())


def table_to_xmlschema(ctx: Any, oid: int, nulls: bool, tableforest: bool,
                       targetns: str) -> str:
    return _table_schema(ctx, _SchemaInfo(ctx), oid, nulls, tableforest, targetns)


def table_to_xml_and_xmlschema(ctx: Any, oid: int, nulls: bool, tableforest: bool,
                               targetns: str) -> str:
    schema = _table_schema(ctx, _SchemaInfo(ctx), oid, nulls, tableforest, targetns)
    relname, _ = _relation(ctx, oid)
    body = _table_xml(ctx, oid, nulls, tableforest, targetns, True)
    return M.with_schema(X.map_sql_identifier_to_xml_name(relname, True, False), targetns,
                         schema, body, tableforest)


def _query_fields(ctx: Any, query: str) -> list[Any]:
    fields, _ = _run(ctx, query)
    return fields


def query_to_xmlschema(ctx: Any, query: str, nulls: bool, tableforest: bool,
                       targetns: str) -> str:
    return _query_schema(ctx, _SchemaInfo(ctx), _query_fields(ctx, query), nulls, tableforest,
                         targetns)


def query_to_xml_and_xmlschema(ctx: Any, query: str, nulls: bool, tableforest: bool,
                               targetns: str) -> str:
    fields, rows = _run(ctx, query)
    schema = _query_schema(ctx, _SchemaInfo(ctx), fields, nulls, tableforest, targetns)
    names, vals = _xml_rows(ctx, fields, rows)
    body = M.rows_to_xml(names, vals, "row" if tableforest else "table", nulls, tableforest,
                         targetns, True)
    return M.with_schema("table", targetns, schema, body, tableforest)


def cursor_to_xmlschema(ctx: Any, name: str, nulls: bool, tableforest: bool,
                        targetns: str) -> str:
    cur = ctx.session.cursors.get(name)
    if cur is None:
        raise PgError("34000", f'cursor "{name}" does not exist')
    return _query_schema(ctx, _SchemaInfo(ctx), list(cur.fields or []), nulls, tableforest,
                         targetns)


def _schema_tables(ctx: Any, schema: str) -> list[int]:
    _, nsp = _run(ctx, "SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = "
                       + _quote_literal(schema))
    if not nsp:
        raise PgError("3F000", f'schema "{schema}" does not exist')
    _, rels = _run(ctx, "SELECT oid FROM pg_catalog.pg_class WHERE relnamespace = "
                        f"{int(nsp[0][0])} AND relkind IN ('r', 'm', 'v') AND "
                        "pg_catalog.has_table_privilege(oid, 'SELECT') ORDER BY relname")
    return [r[0] for r in rels]


def _schema_schema(ctx: Any, schema: str, nulls: bool, tableforest: bool,
                   targetns: str) -> str:
    si = _SchemaInfo(ctx)
    rels = _schema_tables(ctx, schema)
    type_lists = [_table_columns(ctx, r)[1] for r in rels]
    out = M.xsd_schema_start(targetns) + si.types_xsd(ctx, type_lists)
    stype = M.multipart_xml_name("SchemaType", si.db, schema)
    group = "sequence" if tableforest else "all"
    out += f'<xsd:complexType name="{stype}">\n  <xsd:{group}>\n'
    for r in rels:
        relname, _ = _relation(ctx, r)
        el = X.map_sql_identifier_to_xml_name(relname, True, False)
        if tableforest:
            rt = M.multipart_xml_name("RowType", si.db, schema, relname)
            out += (f'    <xsd:element name="{el}" type="{rt}" minOccurs="0" '
                    'maxOccurs="unbounded"/>\n')
        else:
            tt = M.multipart_xml_name("TableType", si.db, schema, relname)
            out += f'    <xsd:element name="{el}" type="{tt}"/>\n'
    out += f"  </xsd:{group}>\n</xsd:complexType>\n\n"
    out += (f'<xsd:element name="{X.map_sql_identifier_to_xml_name(schema, True, False)}" '
            f'type="{stype}"/>\n\n')
    return out + M.xsd_schema_end()


def schema_to_xmlschema(ctx: Any, schema: str, nulls: bool, tableforest: bool,
                        targetns: str) -> str:
    return _schema_schema(ctx, schema, nulls, tableforest, targetns)


def schema_to_xml_and_xmlschema(ctx: Any, schema: str, nulls: bool, tableforest: bool,
                                targetns: str) -> str:
    xsd = _schema_schema(ctx, schema, nulls, tableforest, targetns)
    body = schema_to_xml(ctx, schema, nulls, tableforest, targetns)
    return M.with_schema(X.map_sql_identifier_to_xml_name(schema, True, False), targetns,
                         xsd, body, False)


def _not_yet(what: str) -> Any:
    def impl(ctx: Any, *args: Any) -> Any:
        raise PgError(FEATURE_NOT_SUPPORTED, f"{what} is not supported")
    return impl


_add(SysFunc("table_to_xml", (REGCLASS, BOOL, BOOL, TEXT), XML, table_to_xml))
_add(SysFunc("query_to_xml", (TEXT, BOOL, BOOL, TEXT), XML, query_to_xml, volatile=True))
_add(SysFunc("cursor_to_xml", (REFCURSOR, INT4, BOOL, BOOL, TEXT), XML, cursor_to_xml,
             volatile=True))
_add(SysFunc("schema_to_xml", (NAME, BOOL, BOOL, TEXT), XML, schema_to_xml))
_add(SysFunc("table_to_xmlschema", (REGCLASS, BOOL, BOOL, TEXT), XML, table_to_xmlschema))
_add(SysFunc("table_to_xml_and_xmlschema", (REGCLASS, BOOL, BOOL, TEXT), XML,
             table_to_xml_and_xmlschema))
_add(SysFunc("query_to_xmlschema", (TEXT, BOOL, BOOL, TEXT), XML, query_to_xmlschema,
             volatile=True))
_add(SysFunc("query_to_xml_and_xmlschema", (TEXT, BOOL, BOOL, TEXT), XML,
             query_to_xml_and_xmlschema, volatile=True))
_add(SysFunc("cursor_to_xmlschema", (REFCURSOR, BOOL, BOOL, TEXT), XML, cursor_to_xmlschema,
             volatile=True))
_add(SysFunc("schema_to_xmlschema", (NAME, BOOL, BOOL, TEXT), XML, schema_to_xmlschema))
_add(SysFunc("schema_to_xml_and_xmlschema", (NAME, BOOL, BOOL, TEXT), XML,
             schema_to_xml_and_xmlschema))
for _n, _a in (("database_to_xml", (BOOL, BOOL, TEXT)),
               ("database_to_xmlschema", (BOOL, BOOL, TEXT)),
               ("database_to_xml_and_xmlschema", (BOOL, BOOL, TEXT))):
    _add(SysFunc(_n, _a, XML, _not_yet(_n)))
