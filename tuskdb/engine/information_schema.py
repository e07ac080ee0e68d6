"""The information_schema schema (SQL standard views over the catalogs), created in
every database at bootstrap like PostgreSQL's initdb does.

The column domains are the standard's (sql_identifier, character_data, yes_or_no,
cardinal_number, time_stamp); the views' columns and visibility rules are those
PostgreSQL documents.  The queries are written for TuskDB.

Built so far: the SQL/MED views (foreign-data wrappers, servers, user mappings and
foreign tables, with their options), usage_privileges, role_usage_grants, columns,
sequences, tables, views, domains, domain_constraints, column_domain_usage,
check_constraints, schemata, table_constraints, key_column_usage and
referential_constraints.  The other views are not there yet, so a query
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


# -- columns and sequences ---------------------------------------------------------------
# A column's "true" type is its domain's base type (and typmod) when it is of a domain.
_TRUETYPID = "(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END)"
_TRUETYPMOD = "(CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END)"


def _char_max_length(typid: str, typmod: str) -> str:
    """Declared length of char/varchar (typmod less the header) and bit/varbit."""
    return (f"(CASE WHEN {typid} IN (1042, 1043) THEN "
            f"CASE WHEN {typmod} = -1 THEN NULL ELSE {typmod} - 4 END "
            f"WHEN {typid} IN (1560, 1562) THEN "
            f"CASE WHEN {typmod} = -1 THEN NULL ELSE {typmod} END END)")


def _char_octet_length(typid: str, typmod: str) -> str:
    """Most bytes a character value can take: the length times the encoding's widest
    character, 2^30 when unlimited."""
    return (f"(CASE WHEN {typid} IN (25, 1042, 1043) THEN "
            f"CASE WHEN {typmod} = -1 THEN 1073741824 "
            f"ELSE {_char_max_length(typid, typmod)} * pg_catalog.pg_encoding_max_length("
            "db.encoding) END END)")


def _numeric_precision(typid: str, typmod: str) -> str:
    """Binary precision of integers and floats, decimal precision of numeric(p,s)."""
    return (f"(CASE {typid} WHEN 21 THEN 16 WHEN 23 THEN 32 WHEN 20 THEN 64 "
            f"WHEN 1700 THEN CASE WHEN {typmod} = -1 THEN NULL "
            f"ELSE (({typmod} - 4) >> 16) & 65535 END "
            "WHEN 700 THEN 24 WHEN 701 THEN 53 END)")


def _numeric_precision_radix(typid: str) -> str:
    return f"(CASE WHEN {typid} IN (21, 23, 20, 700, 701) THEN 2 WHEN {typid} = 1700 THEN 10 END)"


def _numeric_scale(typid: str, typmod: str) -> str:
    return (f"(CASE WHEN {typid} IN (21, 23, 20) THEN 0 "
            f"WHEN {typid} = 1700 THEN CASE WHEN {typmod} = -1 THEN NULL "
            f"ELSE ({typmod} - 4) & 65535 END END)")


def _datetime_precision(typid: str, typmod: str) -> str:
    """Fractional-seconds precision: 0 for date, 6 when not declared."""
    return (f"(CASE WHEN {typid} = 1082 THEN 0 "
            f"WHEN {typid} IN (1083, 1114, 1184, 1266) THEN "
            f"CASE WHEN {typmod} < 0 THEN 6 ELSE {typmod} END "
            f"WHEN {typid} = 1186 THEN "
            f"CASE WHEN {typmod} < 0 OR {typmod} & 65535 = 65535 THEN 6 "
            f"ELSE {typmod} & 65535 END END)")


def _interval_type(typid: str, typmod: str) -> str:
    """The fields an interval column is restricted to ('DAY TO SECOND'), as declared."""
    return (f"(CASE WHEN {typid} = 1186 THEN pg_catalog.upper(pg_catalog.substring("
            f"pg_catalog.format_type({typid}, {typmod}), '^interval[()0-9]* (.*)$')) END)")


_CARD = "information_schema.cardinal_number"
_YN = "information_schema.yes_or_no"

VIEWS.append(f"""CREATE VIEW information_schema.columns AS
    SELECT pg_catalog.current_database()::{_ID} AS table_catalog,
           nc.nspname::{_ID} AS table_schema,
           c.relname::{_ID} AS table_name,
           a.attname::{_ID} AS column_name,
           a.attnum::{_CARD} AS ordinal_position,
           (CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)
            END)::{_TEXT} AS column_default,
           (CASE WHEN a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) THEN 'NO'
                 ELSE 'YES' END)::{_YN} AS is_nullable,
           (CASE WHEN t.typtype = 'd' THEN
                      CASE WHEN bt.typelem <> 0 AND bt.typlen = -1 THEN 'ARRAY'
                           WHEN nbt.nspname = 'pg_catalog'
                           THEN pg_catalog.format_type(t.typbasetype, NULL)
                           ELSE 'USER-DEFINED' END
                 ELSE CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN 'ARRAY'
                           WHEN nt.nspname = 'pg_catalog'
                           THEN pg_catalog.format_type(a.atttypid, NULL)
                           ELSE 'USER-DEFINED' END
            END)::{_TEXT} AS data_type,
           {_char_max_length(_TRUETYPID, _TRUETYPMOD)}::{_CARD} AS character_maximum_length,
           {_char_octet_length(_TRUETYPID, _TRUETYPMOD)}::{_CARD} AS character_octet_length,
           {_numeric_precision(_TRUETYPID, _TRUETYPMOD)}::{_CARD} AS numeric_precision,
           {_numeric_precision_radix(_TRUETYPID)}::{_CARD} AS numeric_precision_radix,
           {_numeric_scale(_TRUETYPID, _TRUETYPMOD)}::{_CARD} AS numeric_scale,
           {_datetime_precision(_TRUETYPID, _TRUETYPMOD)}::{_CARD} AS datetime_precision,
           {_interval_type(_TRUETYPID, _TRUETYPMOD)}::{_TEXT} AS interval_type,
           NULL::{_CARD} AS interval_precision,
           NULL::{_ID} AS character_set_catalog,
           NULL::{_ID} AS character_set_schema,
           NULL::{_ID} AS character_set_name,
           (CASE WHEN nco.nspname IS NOT NULL THEN pg_catalog.current_database()
            END)::{_ID} AS collation_catalog,
           nco.nspname::{_ID} AS collation_schema,
           co.collname::{_ID} AS collation_name,
           (CASE WHEN t.typtype = 'd' THEN pg_catalog.current_database() END)::{_ID}
               AS domain_catalog,
           (CASE WHEN t.typtype = 'd' THEN nt.nspname END)::{_ID} AS domain_schema,
           (CASE WHEN t.typtype = 'd' THEN t.typname END)::{_ID} AS domain_name,
           pg_catalog.current_database()::{_ID} AS udt_catalog,
           coalesce(nbt.nspname, nt.nspname)::{_ID} AS udt_schema,
           coalesce(bt.typname, t.typname)::{_ID} AS udt_name,
           NULL::{_ID} AS scope_catalog,
           NULL::{_ID} AS scope_schema,
           NULL::{_ID} AS scope_name,
           NULL::{_CARD} AS maximum_cardinality,
           a.attnum::{_ID} AS dtd_identifier,
           'NO'::{_YN} AS is_self_referencing,
           (CASE WHEN a.attidentity IN ('a', 'd') THEN 'YES' ELSE 'NO' END)::{_YN}
               AS is_identity,
           (CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END)::{_TEXT}
               AS identity_generation,
           seq.seqstart::{_TEXT} AS identity_start,
           seq.seqincrement::{_TEXT} AS identity_increment,
           seq.seqmax::{_TEXT} AS identity_maximum,
           seq.seqmin::{_TEXT} AS identity_minimum,
           (CASE WHEN seq.seqcycle THEN 'YES' ELSE 'NO' END)::{_YN} AS identity_cycle,
           (CASE WHEN a.attgenerated <> '' THEN 'ALWAYS' ELSE 'NEVER' END)::{_TEXT}
               AS is_generated,
           (CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)
            END)::{_TEXT} AS generation_expression,
           (CASE WHEN c.relkind IN ('r', 'p')
                   OR (c.relkind IN ('v', 'f')
                       AND pg_catalog.pg_column_is_updatable(c.oid, a.attnum, false))
                 THEN 'YES' ELSE 'NO' END)::{_YN} AS is_updatable
    FROM (SELECT d.encoding FROM pg_catalog.pg_database d
          WHERE d.datname = pg_catalog.current_database()) db,
         pg_catalog.pg_attribute a
         LEFT JOIN pg_catalog.pg_attrdef ad
                ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
         JOIN pg_catalog.pg_namespace nc ON nc.oid = c.relnamespace
         JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
         JOIN pg_catalog.pg_namespace nt ON nt.oid = t.typnamespace
         LEFT JOIN (pg_catalog.pg_type bt
                    JOIN pg_catalog.pg_namespace nbt ON nbt.oid = bt.typnamespace)
                ON t.typtype = 'd' AND bt.oid = t.typbasetype
         LEFT JOIN (pg_catalog.pg_collation co
                    JOIN pg_catalog.pg_namespace nco ON nco.oid = co.collnamespace)
                ON co.oid = a.attcollation
                   AND (nco.nspname <> 'pg_catalog' OR co.collname <> 'default')
         -- an identity column's sequence depends on it internally
         LEFT JOIN (pg_catalog.pg_depend dep
                    JOIN pg_catalog.pg_sequence seq
                      ON dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                         AND dep.objid = seq.seqrelid AND dep.deptype = 'i')
                ON dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                   AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum
    WHERE NOT pg_catalog.pg_is_other_temp_schema(nc.oid)
      AND a.attnum > 0 AND NOT a.attisdropped
      AND c.relkind IN ('r', 'v', 'f', 'p')
      AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')
           OR pg_catalog.has_column_privilege(c.oid, a.attnum,
                                              'SELECT, INSERT, UPDATE, REFERENCES'))""")

# sequences the user owns or has a privilege on; identity sequences are left out
VIEWS.append(f"""CREATE VIEW information_schema.sequences AS
    SELECT pg_catalog.current_database()::{_ID} AS sequence_catalog,
           nc.nspname::{_ID} AS sequence_schema,
           c.relname::{_ID} AS sequence_name,
           pg_catalog.format_type(s.seqtypid, NULL)::{_TEXT} AS data_type,
           {_numeric_precision("s.seqtypid", "-1")}::{_CARD} AS numeric_precision,
           2::{_CARD} AS numeric_precision_radix,
           0::{_CARD} AS numeric_scale,
           s.seqstart::{_TEXT} AS start_value,
           s.seqmin::{_TEXT} AS minimum_value,
           s.seqmax::{_TEXT} AS maximum_value,
           s.seqincrement::{_TEXT} AS increment,
           (CASE WHEN s.seqcycle THEN 'YES' ELSE 'NO' END)::{_YN} AS cycle_option
    FROM pg_catalog.pg_namespace nc
         JOIN pg_catalog.pg_class c ON c.relnamespace = nc.oid
         JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
    WHERE NOT pg_catalog.pg_is_other_temp_schema(nc.oid)
      AND c.relkind = 'S'
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                        AND d.objid = c.oid AND d.deptype = 'i')
      AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')
           OR pg_catalog.has_sequence_privilege(c.oid, 'SELECT, UPDATE, USAGE'))""")


# -- tables and views --------------------------------------------------------------------
# a table is visible to its owner's members and to those with any privilege on it or on
# one of its columns
_TABLE_VISIBLE = ("(pg_catalog.pg_has_role(c.relowner, 'USAGE') OR "
                  "pg_catalog.has_table_privilege(c.oid, "
                  "'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') OR "
                  "pg_catalog.has_any_column_privilege(c.oid, "
                  "'SELECT, INSERT, UPDATE, REFERENCES'))")

VIEWS.append(f"""CREATE VIEW information_schema.tables AS
    SELECT pg_catalog.current_database()::{_ID} AS table_catalog,
           nc.nspname::{_ID} AS table_schema,
           c.relname::{_ID} AS table_name,
           (CASE WHEN nc.oid = pg_catalog.pg_my_temp_schema() THEN 'LOCAL TEMPORARY'
                 WHEN c.relkind IN ('r', 'p') THEN 'BASE TABLE'
                 WHEN c.relkind = 'v' THEN 'VIEW'
                 WHEN c.relkind = 'f' THEN 'FOREIGN'
            END)::{_TEXT} AS table_type,
           NULL::{_ID} AS self_referencing_column_name,
           NULL::{_TEXT} AS reference_generation,
           (CASE WHEN t.typname IS NOT NULL THEN pg_catalog.current_database() END)::{_ID}
               AS user_defined_type_catalog,
           nt.nspname::{_ID} AS user_defined_type_schema,
           t.typname::{_ID} AS user_defined_type_name,
           (CASE WHEN c.relkind IN ('r', 'p')
                   OR (c.relkind IN ('v', 'f')
                       AND (pg_catalog.pg_relation_is_updatable(c.oid, false) & 8) = 8)
                 THEN 'YES' ELSE 'NO' END)::{_YN} AS is_insertable_into,
           (CASE WHEN t.typname IS NOT NULL THEN 'YES' ELSE 'NO' END)::{_YN} AS is_typed,
           NULL::{_TEXT} AS commit_action
    FROM pg_catalog.pg_namespace nc
         JOIN pg_catalog.pg_class c ON c.relnamespace = nc.oid
         LEFT JOIN (pg_catalog.pg_type t
                    JOIN pg_catalog.pg_namespace nt ON nt.oid = t.typnamespace)
                ON t.oid = c.reloftype
    WHERE c.relkind IN ('r', 'v', 'f', 'p')
      AND NOT pg_catalog.pg_is_other_temp_schema(nc.oid)
      AND {_TABLE_VISIBLE}""")


def _instead_of_trigger(tgtype: int) -> str:
    """Whether a row-level INSTEAD OF trigger of these events is on the relation."""
    return f"pg_catalog.bool_or((tg.tgtype & {tgtype}) = {tgtype})"


VIEWS.append(f"""CREATE VIEW information_schema.views AS
    SELECT pg_catalog.current_database()::{_ID} AS table_catalog,
           nc.nspname::{_ID} AS table_schema,
           c.relname::{_ID} AS table_name,
           (CASE WHEN pg_catalog.pg_has_role(c.relowner, 'USAGE')
                 THEN pg_catalog.pg_get_viewdef(c.oid) END)::{_TEXT} AS view_definition,
           (CASE WHEN 'check_option=cascaded' = ANY (c.reloptions) THEN 'CASCADED'
                 WHEN 'check_option=local' = ANY (c.reloptions) THEN 'LOCAL'
                 ELSE 'NONE' END)::{_TEXT} AS check_option,
           (CASE WHEN (pg_catalog.pg_relation_is_updatable(c.oid, false) & 20) = 20
                 THEN 'YES' ELSE 'NO' END)::{_YN} AS is_updatable,
           (CASE WHEN (pg_catalog.pg_relation_is_updatable(c.oid, false) & 8) = 8
                 THEN 'YES' ELSE 'NO' END)::{_YN} AS is_insertable_into,
           (CASE WHEN trg.upd THEN 'YES' ELSE 'NO' END)::{_YN} AS is_trigger_updatable,
           (CASE WHEN trg.del THEN 'YES' ELSE 'NO' END)::{_YN} AS is_trigger_deletable,
           (CASE WHEN trg.ins THEN 'YES' ELSE 'NO' END)::{_YN} AS is_trigger_insertable_into
    FROM pg_catalog.pg_namespace nc
         JOIN pg_catalog.pg_class c ON c.relnamespace = nc.oid
         LEFT JOIN (SELECT tg.tgrelid, {_instead_of_trigger(81)} AS upd,
                           {_instead_of_trigger(73)} AS del, {_instead_of_trigger(69)} AS ins
                    FROM pg_catalog.pg_trigger tg GROUP BY tg.tgrelid) trg
                ON trg.tgrelid = c.oid
    WHERE c.relkind = 'v'
      AND NOT pg_catalog.pg_is_other_temp_schema(nc.oid)
      AND {_TABLE_VISIBLE}""")


# -- domains and constraints -------------------------------------------------------------
_TYPE_VISIBLE = ("(pg_catalog.pg_has_role(t.typowner, 'USAGE') OR "
                 "pg_catalog.has_type_privilege(t.oid, 'USAGE'))")

VIEWS.append(f"""CREATE VIEW information_schema.domains AS
    SELECT pg_catalog.current_database()::{_ID} AS domain_catalog,
           nt.nspname::{_ID} AS domain_schema,
           t.typname::{_ID} AS domain_name,
           (CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN 'ARRAY'
                 WHEN nbt.nspname = 'pg_catalog'
                 THEN pg_catalog.format_type(t.typbasetype, NULL)
                 ELSE 'USER-DEFINED' END)::{_TEXT} AS data_type,
           {_char_max_length("t.typbasetype", "t.typtypmod")}::{_CARD}
               AS character_maximum_length,
           {_char_octet_length("t.typbasetype", "t.typtypmod")}::{_CARD}
               AS character_octet_length,
           NULL::{_ID} AS character_set_catalog,
           NULL::{_ID} AS character_set_schema,
           NULL::{_ID} AS character_set_name,
           (CASE WHEN nco.nspname IS NOT NULL THEN pg_catalog.current_database()
            END)::{_ID} AS collation_catalog,
           nco.nspname::{_ID} AS collation_schema,
           co.collname::{_ID} AS collation_name,
           {_numeric_precision("t.typbasetype", "t.typtypmod")}::{_CARD} AS numeric_precision,
           {_numeric_precision_radix("t.typbasetype")}::{_CARD} AS numeric_precision_radix,
           {_numeric_scale("t.typbasetype", "t.typtypmod")}::{_CARD} AS numeric_scale,
           {_datetime_precision("t.typbasetype", "t.typtypmod")}::{_CARD}
               AS datetime_precision,
           {_interval_type("t.typbasetype", "t.typtypmod")}::{_TEXT} AS interval_type,
           NULL::{_CARD} AS interval_precision,
           t.typdefault::{_TEXT} AS domain_default,
           pg_catalog.current_database()::{_ID} AS udt_catalog,
           nbt.nspname::{_ID} AS udt_schema,
           bt.typname::{_ID} AS udt_name,
           NULL::{_ID} AS scope_catalog,
           NULL::{_ID} AS scope_schema,
           NULL::{_ID} AS scope_name,
           NULL::{_CARD} AS maximum_cardinality,
           1::{_ID} AS dtd_identifier
    FROM (SELECT d.encoding FROM pg_catalog.pg_database d
          WHERE d.datname = pg_catalog.current_database()) db,
         pg_catalog.pg_type t
         JOIN pg_catalog.pg_namespace nt ON nt.oid = t.typnamespace
         JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
         JOIN pg_catalog.pg_namespace nbt ON nbt.oid = bt.typnamespace
         LEFT JOIN (pg_catalog.pg_collation co
                    JOIN pg_catalog.pg_namespace nco ON nco.oid = co.collnamespace)
                ON co.oid = t.typcollation
                   AND (nco.nspname <> 'pg_catalog' OR co.collname <> 'default')
    WHERE t.typtype = 'd' AND {_TYPE_VISIBLE}""")

VIEWS.append(f"""CREATE VIEW information_schema.domain_constraints AS
    SELECT pg_catalog.current_database()::{_ID} AS constraint_catalog,
           rs.nspname::{_ID} AS constraint_schema,
           con.conname::{_ID} AS constraint_name,
           pg_catalog.current_database()::{_ID} AS domain_catalog,
           nt.nspname::{_ID} AS domain_schema,
           t.typname::{_ID} AS domain_name,
           (CASE WHEN con.condeferrable THEN 'YES' ELSE 'NO' END)::{_YN} AS is_deferrable,
           (CASE WHEN con.condeferred THEN 'YES' ELSE 'NO' END)::{_YN} AS initially_deferred
    FROM pg_catalog.pg_constraint con
         JOIN pg_catalog.pg_namespace rs ON rs.oid = con.connamespace
         JOIN pg_catalog.pg_type t ON t.oid = con.contypid
         JOIN pg_catalog.pg_namespace nt ON nt.oid = t.typnamespace
    WHERE {_TYPE_VISIBLE}""")

# columns of tables and views whose type is a domain the user owns (a member of)
VIEWS.append(f"""CREATE VIEW information_schema.column_domain_usage AS
    SELECT pg_catalog.current_database()::{_ID} AS domain_catalog,
           nt.nspname::{_ID} AS domain_schema,
           t.typname::{_ID} AS domain_name,
           pg_catalog.current_database()::{_ID} AS table_catalog,
           nc.nspname::{_ID} AS table_schema,
           c.relname::{_ID} AS table_name,
           a.attname::{_ID} AS column_name
    FROM pg_catalog.pg_type t
         JOIN pg_catalog.pg_namespace nt ON nt.oid = t.typnamespace
         JOIN pg_catalog.pg_attribute a ON a.atttypid = t.oid
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
         JOIN pg_catalog.pg_namespace nc ON nc.oid = c.relnamespace
    WHERE t.typtype = 'd' AND c.relkind IN ('r', 'v', 'f', 'p')
      AND a.attnum > 0 AND NOT a.attisdropped
      AND pg_catalog.pg_has_role(t.typowner, 'USAGE')""")

# CHECK constraints of tables and domains, and their NOT NULL constraints written as
# checks ("c IS NOT NULL", "VALUE IS NOT NULL")
VIEWS.append(f"""CREATE VIEW information_schema.check_constraints AS
    SELECT pg_catalog.current_database()::{_ID} AS constraint_catalog,
           rs.nspname::{_ID} AS constraint_schema,
           con.conname::{_ID} AS constraint_name,
           (CASE WHEN con.contype = 'c' AND con.conrelid <> 0
                 THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid)
                 WHEN con.contype = 'c'
                 THEN pg_catalog.substring(pg_catalog.pg_get_constraintdef(con.oid),
                                           '^CHECK \\((.*)\\)( NOT VALID)?$')
                 WHEN con.contypid <> 0 THEN 'VALUE IS NOT NULL'
                 ELSE a.attname || ' IS NOT NULL' END)::{_TEXT} AS check_clause
    FROM pg_catalog.pg_constraint con
         JOIN pg_catalog.pg_namespace rs ON rs.oid = con.connamespace
         LEFT JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
         LEFT JOIN pg_catalog.pg_type t ON t.oid = con.contypid
         LEFT JOIN pg_catalog.pg_attribute a
                ON con.contype = 'n' AND a.attrelid = con.conrelid
                   AND a.attnum = con.conkey[1]
    WHERE con.contype IN ('c', 'n')
      AND pg_catalog.pg_has_role(coalesce(c.relowner, t.typowner), 'USAGE')""")


# -- schemata, table constraints and key columns -----------------------------------------
VIEWS.append(f"""CREATE VIEW information_schema.schemata AS
    SELECT pg_catalog.current_database()::{_ID} AS catalog_name,
           n.nspname::{_ID} AS schema_name,
           u.rolname::{_ID} AS schema_owner,
           NULL::{_ID} AS default_character_set_catalog,
           NULL::{_ID} AS default_character_set_schema,
           NULL::{_ID} AS default_character_set_name,
           NULL::{_TEXT} AS sql_path
    FROM pg_catalog.pg_namespace n
         JOIN pg_catalog.pg_authid u ON u.oid = n.nspowner
    WHERE pg_catalog.pg_has_role(n.nspowner, 'USAGE')
       OR pg_catalog.has_schema_privilege(n.oid, 'CREATE, USAGE')""")

# constraints of tables the user owns (a member of) or may change: CHECK (NOT NULL
# constraints too), FOREIGN KEY, PRIMARY KEY, UNIQUE; not exclusion constraints
VIEWS.append(f"""CREATE VIEW information_schema.table_constraints AS
    SELECT pg_catalog.current_database()::{_ID} AS constraint_catalog,
           nc.nspname::{_ID} AS constraint_schema,
           c.conname::{_ID} AS constraint_name,
           pg_catalog.current_database()::{_ID} AS table_catalog,
           nr.nspname::{_ID} AS table_schema,
           r.relname::{_ID} AS table_name,
           (CASE c.contype WHEN 'c' THEN 'CHECK' WHEN 'n' THEN 'CHECK'
                           WHEN 'f' THEN 'FOREIGN KEY' WHEN 'p' THEN 'PRIMARY KEY'
                           WHEN 'u' THEN 'UNIQUE' END)::{_TEXT} AS constraint_type,
           (CASE WHEN c.condeferrable THEN 'YES' ELSE 'NO' END)::{_YN} AS is_deferrable,
           (CASE WHEN c.condeferred THEN 'YES' ELSE 'NO' END)::{_YN} AS initially_deferred,
           (CASE WHEN c.conenforced THEN 'YES' ELSE 'NO' END)::{_YN} AS enforced,
           (CASE WHEN i.indnullsnotdistinct IS NULL THEN NULL
                 WHEN i.indnullsnotdistinct THEN 'NO' ELSE 'YES' END)::{_YN}
               AS nulls_distinct
    FROM pg_catalog.pg_constraint c
         JOIN pg_catalog.pg_namespace nc ON nc.oid = c.connamespace
         JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
         JOIN pg_catalog.pg_namespace nr ON nr.oid = r.relnamespace
         LEFT JOIN pg_catalog.pg_index i
                ON c.contype = 'u' AND i.indexrelid = c.conindid
    WHERE c.contype IN ('c', 'n', 'f', 'p', 'u')
      AND r.relkind IN ('r', 'p')
      AND NOT pg_catalog.pg_is_other_temp_schema(nr.oid)
      AND (pg_catalog.pg_has_role(r.relowner, 'USAGE')
           OR pg_catalog.has_table_privilege(r.oid,
                  'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
           OR pg_catalog.has_any_column_privilege(r.oid, 'INSERT, UPDATE, REFERENCES'))""")

# the columns of PRIMARY KEY, UNIQUE and FOREIGN KEY constraints, in key order; for a
# foreign key, where the referenced column stands in the referenced key's index
VIEWS.append(f"""CREATE VIEW information_schema.key_column_usage AS
    SELECT pg_catalog.current_database()::{_ID} AS constraint_catalog,
           nc.nspname::{_ID} AS constraint_schema,
           c.conname::{_ID} AS constraint_name,
           pg_catalog.current_database()::{_ID} AS table_catalog,
           nr.nspname::{_ID} AS table_schema,
           r.relname::{_ID} AS table_name,
           a.attname::{_ID} AS column_name,
           k.ord::{_CARD} AS ordinal_position,
           (CASE WHEN c.contype = 'f'
                 THEN pg_catalog.array_position(fi.indkey::pg_catalog.int2[],
                                                c.confkey[k.ord::integer])
                      - pg_catalog.array_lower(fi.indkey::pg_catalog.int2[], 1) + 1
            END)::{_CARD} AS position_in_unique_constraint
    FROM pg_catalog.pg_constraint c
         CROSS JOIN LATERAL pg_catalog.unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_catalog.pg_namespace nc ON nc.oid = c.connamespace
         JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
         JOIN pg_catalog.pg_namespace nr ON nr.oid = r.relnamespace
         JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum = k.attnum
         LEFT JOIN pg_catalog.pg_index fi
                ON c.contype = 'f' AND fi.indexrelid = c.conindid
    WHERE c.contype IN ('p', 'u', 'f')
      AND r.relkind IN ('r', 'p')
      AND NOT pg_catalog.pg_is_other_temp_schema(nr.oid)
      AND (pg_catalog.pg_has_role(r.relowner, 'USAGE')
           OR pg_catalog.has_column_privilege(r.oid, a.attnum,
                                              'SELECT, INSERT, UPDATE, REFERENCES'))""")



def _fk_action(column: str) -> str:
    return (f"(CASE {column} WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' "
            f"WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' "
            f"WHEN 'a' THEN 'NO ACTION' END)::{_TEXT}")


# foreign keys of tables the user owns (a member of) or may change, with the unique
# constraint of the referenced table whose index they use
VIEWS.append(f"""CREATE VIEW information_schema.referential_constraints AS
    SELECT pg_catalog.current_database()::{_ID} AS constraint_catalog,
           ncon.nspname::{_ID} AS constraint_schema,
           con.conname::{_ID} AS constraint_name,
           (CASE WHEN npkc.nspname IS NULL THEN NULL
                 ELSE pg_catalog.current_database() END)::{_ID} AS unique_constraint_catalog,
           npkc.nspname::{_ID} AS unique_constraint_schema,
           pkc.conname::{_ID} AS unique_constraint_name,
           (CASE con.confmatchtype WHEN 'f' THEN 'FULL' WHEN 'p' THEN 'PARTIAL'
                                   WHEN 's' THEN 'NONE' END)::{_TEXT} AS match_option,
           {_fk_action("con.confupdtype")} AS update_rule,
           {_fk_action("con.confdeltype")} AS delete_rule
    FROM pg_catalog.pg_constraint con
         JOIN pg_catalog.pg_namespace ncon ON ncon.oid = con.connamespace
         JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
         LEFT JOIN (pg_catalog.pg_constraint pkc
                    JOIN pg_catalog.pg_namespace npkc ON npkc.oid = pkc.connamespace)
                ON pkc.conrelid = con.confrelid AND pkc.conindid = con.conindid
                   AND pkc.contype IN ('p', 'u')
    WHERE con.contype = 'f' AND c.relkind IN ('r', 'p')
      AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')
           OR pg_catalog.has_table_privilege(c.oid,
                  'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
           OR pg_catalog.has_any_column_privilege(c.oid, 'INSERT, UPDATE, REFERENCES'))""")


def create_information_schema(session: Any) -> None:
    """The schema, its domains and views; everyone may use and read them."""
    statements = ["CREATE SCHEMA information_schema", *DOMAINS, *VIEWS,
                  "GRANT USAGE ON SCHEMA information_schema TO PUBLIC"]
    names = [sql.split("VIEW", 1)[1].split()[0] for sql in VIEWS]
    statements.append(f"GRANT SELECT ON {', '.join(names)} TO PUBLIC")
    for sql in statements:
        for _ in session.simple_query(sql):
            pass
