"""Foreign tables (PostgreSQL's CreateForeignTable and the foreign-table parts of
tablecmds.c): a pg_class row of relkind 'f' without storage, its pg_foreign_table
row (server and OPTIONS) and per-column OPTIONS in pg_attribute.attfdwoptions.

    CREATE FOREIGN TABLE         create_table(..., foreign=ForeignSpec) builds the
                                 relation like CREATE TABLE (columns, CHECK and NOT NULL
                                 constraints, INHERITS, PARTITION OF), then
                                 ForeignSpec.finish writes the SQL/MED rows
    ALTER FOREIGN TABLE          ALTER TABLE's machinery; OPTIONS and ALTER COLUMN
                                 OPTIONS here
    reading / writing            the wrapper's handler would scan; no wrapper has one
                                 in TuskDB, so planning fails with PostgreSQL's error
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (
    FEATURE_NOT_SUPPORTED,
    INSUFFICIENT_PRIVILEGE,
    UNDEFINED_COLUMN,
    WRONG_OBJECT_TYPE,
    PgError,
)
from tuskdb.sql.commands import foreign_acl as acl
from tuskdb.sql.commands import foreigncmds as fc

FT = COLUMN_POS["pg_foreign_table"]
OBJECT_NOT_IN_PREREQUISITE_STATE = "55000"

_NOT_ON_FOREIGN = {"CONSTR_PRIMARY": "primary key", "CONSTR_UNIQUE": "unique",
                   "CONSTR_FOREIGN": "foreign key", "CONSTR_EXCLUSION": "exclusion"}


def check_constraint(con: dict, state: Any) -> None:
    """Only CHECK and NOT NULL constraints exist on foreign tables."""
    what = _NOT_ON_FOREIGN.get(con.get("contype", ""))
    if what:
        raise PgError(FEATURE_NOT_SUPPORTED, f"{what} constraints are not supported on "
                      f"foreign tables", position=state.pos(con.get("location")))


class ForeignSpec:
    """What CREATE FOREIGN TABLE adds to CREATE TABLE."""

    def __init__(self, servername: str, options: list | None) -> None:
        self.servername = servername
        self.options = options

    def check_constraint(self, con: dict, state: Any) -> None:
        check_constraint(con, state)

    def check_partition_parent(self, parent: Any) -> None:
        if any(ix.unique for ix in parent.indexes):
            raise PgError(WRONG_OBJECT_TYPE, f'cannot create foreign partition of partitioned '
                          f'table "{parent.name}"',
                          detail=f'Table "{parent.name}" contains indexes that are unique.')

    def finish(self, s: Any, cat: Any, reloid: int, cols: list[Any]) -> None:
        """The pg_foreign_table row and the columns' options (CreateForeignTable)."""
        _, srv = fc.find_server(cat, self.servername)
        me = acl.current_role(s, cat)
        if not acl.object_aclcheck(cat, srv[fc.S["srvacl"]], srv[fc.S["srvowner"]], me):
            raise PgError(INSUFFICIENT_PRIVILEGE, f"permission denied for foreign server "
                          f"{srv[fc.S['srvname']]}")
        validator = fc.fdw_by_oid(cat, srv[fc.S["srvfdw"]])[fc.F["fdwvalidator"]]
        options = fc.transform_options(fc.FOREIGN_TABLE_CLASS, None, self.options, validator)
        cat.insert("pg_foreign_table", make_row("pg_foreign_table", ftrelid=reloid,
                                                ftserver=srv[fc.S["oid"]], ftoptions=options))
        for attnum, c in enumerate(cols, start=1):
            if getattr(c, "fdwoptions", None):
                set_column_options(cat, reloid, attnum, c.fdwoptions, validator)


def create_foreign_table(s: Any, raw: Any) -> QueryResult:
    from tuskdb.sql.commands.tablecmds import create_table
    from tuskdb.sql.parser import RawStmt
    body = raw.body
    base = RawStmt({"CreateStmt": body["base"]}, raw.location, raw.length, raw.source)
    create_table(s, base, foreign_spec=ForeignSpec(body["servername"], body.get("options")))
    return QueryResult(tag="CREATE FOREIGN TABLE")


def set_column_options(cat: Any, reloid: int, attnum: int, defs: list, validator: int) -> None:
    p = COLUMN_POS["pg_attribute"]
    for tid, row in cat.find("pg_attribute", attrelid=reloid, attnum=attnum):
        new = fc.transform_options(fc.ATTRIBUTE_CLASS, row[p["attfdwoptions"]], defs, validator)
        cat.update("pg_attribute", tid, replace("pg_attribute", row, attfdwoptions=new))


def _validator_of(cat: Any, reloid: int) -> int:
    found = cat.find("pg_foreign_table", ftrelid=reloid)
    if not found:
        return 0
    srv = fc.server_by_oid(cat, found[0][1][FT["ftserver"]])
    return fc.fdw_by_oid(cat, srv[fc.S["srvfdw"]])[fc.F["fdwvalidator"]]


def alter_generic_options(s: Any, cat: Any, rel: Any, defs: list) -> None:
    """ALTER FOREIGN TABLE ... OPTIONS (...)."""
    if rel.relkind != "f":
        raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not a foreign table')
    tid, row = cat.find("pg_foreign_table", ftrelid=rel.oid)[0]
    new = fc.transform_options(fc.FOREIGN_TABLE_CLASS, row[FT["ftoptions"]], defs,
                               _validator_of(cat, rel.oid))
    cat.update("pg_foreign_table", tid, replace("pg_foreign_table", row, ftoptions=new))


_SYSTEM_COLUMNS = ("ctid", "xmin", "cmin", "xmax", "cmax", "tableoid")


def alter_column_options(s: Any, cat: Any, rel: Any, colname: str, defs: list) -> None:
    """ALTER FOREIGN TABLE ... ALTER COLUMN c OPTIONS (...)."""
    col = rel.column(colname)
    if col is None or col.dropped:
        if colname in _SYSTEM_COLUMNS:
            raise PgError(FEATURE_NOT_SUPPORTED, f'cannot alter system column "{colname}"')
        raise PgError(UNDEFINED_COLUMN, f'column "{colname}" of relation "{rel.name}" does '
                      f"not exist")
    set_column_options(cat, rel.oid, col.attnum, defs, _validator_of(cat, rel.oid))


def drop_foreign_table_by_oid(s: Any, cat: Any, oid: int) -> None:
    """A foreign table dropped with its server (DROP SERVER ... CASCADE)."""
    from tuskdb.sql.commands.tablecmds import drop_relation
    rel = cat.relation_by_oid(oid)
    if rel is not None:
        drop_relation(s, cat, rel)


def remove_catalog_rows(cat: Any, oid: int) -> None:
    cat.delete_where("pg_foreign_table", ftrelid=oid)


def no_handler(cat: Any, rel: Any) -> PgError:
    """The error of reading or writing a foreign table (GetFdwRoutineByServerId): no
    wrapper in TuskDB has a handler that could scan."""
    found = cat.find("pg_foreign_table", ftrelid=rel.oid)
    srv = fc.server_by_oid(cat, found[0][1][FT["ftserver"]]) if found else None
    fdw = fc.fdw_by_oid(cat, srv[fc.S["srvfdw"]]) if srv else None
    if fdw is None or not fdw[fc.F["fdwhandler"]]:
        name = fdw[fc.F["fdwname"]] if fdw else "?"
        return PgError(OBJECT_NOT_IN_PREREQUISITE_STATE,
                       f'foreign-data wrapper "{name}" has no handler')
    return PgError(FEATURE_NOT_SUPPORTED, "foreign-data wrapper handlers are not supported")


def import_foreign_schema(s: Any, raw: Any) -> QueryResult:
    """IMPORT FOREIGN SCHEMA: the wrapper's handler lists the remote tables; none has
    one here."""
    body = raw.body
    cat = s.catalog()
    local = body["local_schema"]
    if cat.namespace_oid(local) is None:
        raise PgError("3F000", f'schema "{local}" does not exist')
    _, srv = fc.find_server(cat, body["server_name"])
    me = acl.current_role(s, cat)
    if not acl.object_aclcheck(cat, srv[fc.S["srvacl"]], srv[fc.S["srvowner"]], me):
        raise PgError(INSUFFICIENT_PRIVILEGE, f"permission denied for foreign server "
                      f"{srv[fc.S['srvname']]}")
    fdw = fc.fdw_by_oid(cat, srv[fc.S["srvfdw"]])
    if not fdw[fc.F["fdwhandler"]]:
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE,
                      f'foreign-data wrapper "{fdw[fc.F["fdwname"]]}" has no handler')
    raise PgError(FEATURE_NOT_SUPPORTED, "foreign-data wrapper handlers are not supported")

