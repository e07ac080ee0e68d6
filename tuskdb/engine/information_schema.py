"""The information_schema schema (SQL standard views over the catalogs), created in
every database at bootstrap like PostgreSQL's initdb does.

The column domains are the standard's (sql_identifier, character_data, yes_or_no,
cardinal_number, time_stamp); the views' columns and visibility rules are those
PostgreSQL documents.  The queries are written for TuskDB.

Built so far: the SQL/MED views (foreign-data wrappers, servers, user mappings and
foreign tables, with their options), usage_privileges and role_usage_grants.  The other views are not there yet, so a query
naming one fails with 'relation "information_schema.x" does not exist'.
"""

from __future__ import annotations

from typing import Any

DOMAINS = [
    "CREATE DOMAIN information_schema.cardinal_number AS integer CHECK (VALUE >= 0)",
    "CREATE DOMAIN information_schema.character_data AS character varying",
    "CREATE DOMAIN information_schema.sql_identifier AS name",
    "CREATE DOMAIN information_schema.time_stamp AS timestamp(2) with time zone "
    "DEFAULT current_timestamp(2)",
    "CREATE DOMAIN information_schema.yes_or_no AS character varying(3) "
    "CHECK (VALUE IN ('YES', 'NO'))",
]

_ID = "information_schema.sql_identifier"
_TEXT = "information_schema.character_data"

# a wrapper / server is visible to its owner's members and to those with USAGE on it
_FDW_VISIBLE = ("(pg_catalog.pg_has_role(w.fdwowner, 'USAGE') OR "
                "pg_catalog.has_foreign_data_wrapper_privilege(w.oid, 'USAGE'))")
_SRV_VISIBLE = ("(pg_catalog.pg_has_role(s.srvowner, 'USAGE') OR "
                "pg_catalog.has_server_privilege(s.oid, 'USAGE'))")

VIEWS = [
    f"""CREATE VIEW information_schema.foreign_data_wrappers AS
    SELECT pg_catalog.current_database()::{_ID} AS foreign_data_wrapper_catalog,
           w.fdwname::{_ID} AS foreign_data_wrapper_name,
           u.rolname::{_ID} AS authorization_identifier,
           NULL::{_TEXT} AS library_name,
           'c'::{_TEXT} AS foreign_data_wrapper_language
    FROM pg_catalog.pg_foreign_data_wrapper w
         JOIN pg_catalog.pg_authid u ON u.oid = w.fdwowner
    WHERE {_FDW_VISIBLE}""",
    f"""CREATE VIEW information_schema.foreign_data_wrapper_options AS
    SELECT pg_catalog.current_database()::{_ID} AS foreign_data_wrapper_catalog,
           w.fdwname::{_ID} AS foreign_data_wrapper_name,
           o.option_name::{_ID} AS option_name,
           o.option_value::{_TEXT} AS option_value
    FROM pg_catalog.pg_foreign_data_wrapper w,
         LATERAL pg_catalog.pg_options_to_table(w.fdwoptions) o
    WHERE {_FDW_VISIBLE}""",
    f"""CREATE VIEW information_schema.foreign_servers AS
    SELECT pg_catalog.current_database()::{_ID} AS foreign_server_catalog,
           s.srvname::{_ID} AS foreign_server_name,
           pg_catalog.current_database()::{_ID} AS foreign_data_wrapper_catalog,
           w.fdwname::{_ID} AS foreign_data_wrapper_name,
           s.srvtype::{_TEXT} AS foreign_server_type,
           s.srvversion::{_TEXT} AS foreign_server_version,
           u.rolname::{_ID} AS authorization_identifier
    FROM pg_catalog.pg_foreign_server s
         JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
         JOIN pg_catalog.pg_authid u ON u.oid = s.srvowner
    WHERE {_SRV_VISIBLE}""",
    f"""CREATE VIEW information_schema.foreign_server_options AS
    SELECT pg_catalog.current_database()::{_ID} AS foreign_server_catalog,
           s.srvname::{_ID} AS foreign_server_name,
           o.option_name::{_ID} AS option_name,
           o.option_value::{_TEXT} AS option_value
    FROM pg_catalog.pg_foreign_server s,
         LATERAL pg_catalog.pg_options_to_table(s.srvoptions) o
    WHERE {_SRV_VISIBLE}""",
    f"""CREATE VIEW information_schema.user_mappings AS
    SELECT (CASE WHEN um.umuser = 0 THEN 'PUBLIC' ELSE a.rolname END)::{_ID}
               AS authorization_identifier,
           pg_catalog.current_database()::{_ID} AS foreign_server_catalog,
           s.srvname::{_ID} AS foreign_server_name
    FROM pg_catalog.pg_user_mapping um
         JOIN pg_catalog.pg_foreign_server s ON s.oid = um.umserver
         LEFT JOIN pg_catalog.pg_authid a ON a.oid = um.umuser
    WHERE {_SRV_VISIBLE}""",
    # option values only for the mapped user, the owner of the server for PUBLIC's
    # mapping, and superusers (they may hold passwords)
    f"""CREATE VIEW information_schema.user_mapping_options AS
    SELECT (CASE WHEN um.umuser = 0 THEN 'PUBLIC' ELSE a.rolname END)::{_ID}
               AS authorization_identifier,
           pg_catalog.current_database()::{_ID} AS foreign_server_catalog,
           s.srvname::{_ID} AS foreign_server_name,
           o.option_name::{_ID} AS option_name,
           (CASE WHEN (um.umuser <> 0 AND a.rolname = CURRENT_USER)
                      OR (um.umuser = 0 AND pg_catalog.pg_has_role(s.srvowner, 'USAGE'))
                      OR (SELECT r.rolsuper FROM pg_catalog.pg_authid r
                          WHERE r.rolname = CURRENT_USER)
                 THEN o.option_value ELSE NULL END)::{_TEXT} AS option_value
    FROM pg_catalog.pg_user_mapping um
         JOIN pg_catalog.pg_foreign_server s ON s.oid = um.umserver
         LEFT JOIN pg_catalog.pg_authid a ON a.oid = um.umuser,
         LATERAL pg_catalog.pg_options_to_table(um.umoptions) o
    WHERE {_SRV_VISIBLE}""",
    # a foreign table is visible to its owner's members and to those with any
    # privilege on it
    f"""CREATE VIEW information_schema.foreign_tables AS
    SELECT pg_catalog.current_database()::{_ID} AS foreign_table_catalog,
           n.nspname::{_ID} AS foreign_table_schema,
           c.relname::{_ID} AS foreign_table_name,
           pg_catalog.current_database()::{_ID} AS foreign_server_catalog,
           s.srvname::{_ID} AS foreign_server_name
    FROM pg_catalog.pg_foreign_table t
         JOIN pg_catalog.pg_class c ON c.oid = t.ftrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_catalog.pg_foreign_server s ON s.oid = t.ftserver
    WHERE c.relkind = 'f'
      AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')
           OR pg_catalog.has_table_privilege(c.oid,
                  'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'))""",
    f"""CREATE VIEW information_schema.foreign_table_options AS
    SELECT pg_catalog.current_database()::{_ID} AS foreign_table_catalog,
           n.nspname::{_ID} AS foreign_table_schema,
           c.relname::{_ID} AS foreign_table_name,
           o.option_name::{_ID} AS option_name,
           o.option_value::{_TEXT} AS option_value
    FROM pg_catalog.pg_foreign_table t
         JOIN pg_catalog.pg_class c ON c.oid = t.ftrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace,
         LATERAL pg_catalog.pg_options_to_table(t.ftoptions) o
    WHERE c.relkind = 'f'
      AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')
           OR pg_catalog.has_table_privilege(c.oid,
                  'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'))""",
]


def _usage_branch(objtype: str, source: str, acl: str, kind: str, owner: str, schema: str,
                  name: str, where: str) -> str:
    """One object kind of usage_privileges: its ACL (or the default) exploded."""
    return f"""
    SELECT u_grantor.rolname::{_ID} AS grantor, grantee.rolname::{_ID} AS grantee,
           pg_catalog.current_database()::{_ID} AS object_catalog,
           {schema}::{_ID} AS object_schema, {name}::{_ID} AS object_name,
           '{objtype}'::{_TEXT} AS object_type, 'USAGE'::{_TEXT} AS privilege_type,
           (CASE WHEN pg_catalog.pg_has_role(grantee.oid, {owner}, 'USAGE') OR x.is_grantable
                 THEN 'YES' ELSE 'NO' END)::information_schema.yes_or_no AS is_grantable
    FROM {source},
         LATERAL pg_catalog.aclexplode(coalesce({acl},
                                                pg_catalog.acldefault('{kind}', {owner}))) x,
         pg_catalog.pg_authid u_grantor,
         (SELECT oid, rolname FROM pg_catalog.pg_authid
          UNION ALL SELECT 0::oid, 'PUBLIC'::name) grantee
    WHERE {where} x.grantor = u_grantor.oid AND x.grantee = grantee.oid
      AND x.privilege_type = 'USAGE'
      AND (pg_catalog.pg_has_role(u_grantor.oid, 'USAGE')
           OR pg_catalog.pg_has_role(grantee.oid, 'USAGE')
           OR grantee.rolname = 'PUBLIC')"""


# USAGE on collations (implicit, to PUBLIC), domains, wrappers, servers and sequences
_COLLATIONS = f"""
    SELECT u.rolname::{_ID} AS grantor, 'PUBLIC'::{_ID} AS grantee,
           pg_catalog.current_database()::{_ID} AS object_catalog,
           n.nspname::{_ID} AS object_schema, c.collname::{_ID} AS object_name,
           'COLLATION'::{_TEXT} AS object_type, 'USAGE'::{_TEXT} AS privilege_type,
           'NO'::information_schema.yes_or_no AS is_grantable
    FROM pg_catalog.pg_authid u, pg_catalog.pg_namespace n, pg_catalog.pg_collation c
    WHERE u.oid = c.collowner AND c.collnamespace = n.oid
      AND c.collencoding IN (-1, (SELECT d.encoding FROM pg_catalog.pg_database d
                                  WHERE d.datname = pg_catalog.current_database()))"""

VIEWS.append("CREATE VIEW information_schema.usage_privileges AS" + " UNION ALL".join([
    _COLLATIONS,
    _usage_branch("DOMAIN", "pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n "
                  "ON n.oid = t.typnamespace", "t.typacl", "T", "t.typowner", "n.nspname",
                  "t.typname", "t.typtype = 'd' AND"),
    _usage_branch("FOREIGN DATA WRAPPER", "pg_catalog.pg_foreign_data_wrapper w", "w.fdwacl",
                  "F", "w.fdwowner", "''", "w.fdwname", ""),
    _usage_branch("FOREIGN SERVER", "pg_catalog.pg_foreign_server s", "s.srvacl", "S",
                  "s.srvowner", "''", "s.srvname", ""),
    # (a sequence's NULL ACL is read as a table's default, which has no USAGE)
    _usage_branch("SEQUENCE", "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                  "ON n.oid = c.relnamespace", "c.relacl", "r", "c.relowner", "n.nspname",
                  "c.relname", "c.relkind = 'S' AND"),
]))
# the same, where the grantor or the grantee is a role the current user has privileges of
VIEWS.append("""CREATE VIEW information_schema.role_usage_grants AS
    SELECT * FROM information_schema.usage_privileges p
    WHERE p.grantor IN (SELECT r.rolname FROM pg_catalog.pg_authid r
                        WHERE pg_catalog.pg_has_role(r.oid, 'USAGE'))
       OR p.grantee IN (SELECT r.rolname FROM pg_catalog.pg_authid r
                        WHERE pg_catalog.pg_has_role(r.oid, 'USAGE'))""")


def create_information_schema(session: Any) -> None:
    """The schema, its domains and views; everyone may use and read them."""
    statements = ["CREATE SCHEMA information_schema", *DOMAINS, *VIEWS,
                  "GRANT USAGE ON SCHEMA information_schema TO PUBLIC"]
    names = [sql.split("VIEW", 1)[1].split()[0] for sql in VIEWS]
    statements.append(f"GRANT SELECT ON {', '.join(names)} TO PUBLIC")
    for sql in statements:
        for _ in session.simple_query(sql):
            pass
