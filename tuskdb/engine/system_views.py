"""The system views (pg_tables, pg_settings, pg_stat_activity, ...), created in
pg_catalog of every database at bootstrap, as PostgreSQL's initdb does.

Their columns are PostgreSQL 18's; their queries are written for TuskDB.
"""

from __future__ import annotations

from typing import Any

SYSTEM_VIEWS = [
    """CREATE VIEW pg_catalog.pg_roles AS
    SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,
           rolreplication, rolconnlimit, '********'::text AS rolpassword, rolvaliduntil,
           rolbypassrls, NULL::text[] AS rolconfig, oid
    FROM pg_catalog.pg_authid""",
    """CREATE VIEW pg_catalog.pg_user AS
    SELECT rolname AS usename, oid AS usesysid, rolcreatedb AS usecreatedb,
           rolsuper AS usesuper, rolreplication AS userepl, rolbypassrls AS usebypassrls,
           '********'::text AS passwd, rolvaliduntil AS valuntil, NULL::text[] AS useconfig
    FROM pg_catalog.pg_authid WHERE rolcanlogin""",
    """CREATE VIEW pg_catalog.pg_stat_subscription_stats AS
    SELECT ss.subid, s.subname, ss.apply_error_count, ss.sync_error_count,
           ss.confl_insert_exists, ss.confl_update_origin_differs, ss.confl_update_exists,
           ss.confl_update_missing, ss.confl_delete_origin_differs, ss.confl_delete_missing,
           ss.confl_multiple_unique_conflicts, ss.stats_reset
    FROM pg_catalog.pg_subscription s,
         LATERAL pg_catalog.pg_stat_get_subscription_stats(s.oid) ss""",
    """CREATE VIEW pg_catalog.pg_publication_tables AS
    SELECT p.pubname AS pubname, n.nspname AS schemaname, c.relname AS tablename,
           (SELECT array_agg(a.attname ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = gpt.relid AND a.attnum = ANY (gpt.attrs)) AS attnames,
           pg_catalog.pg_get_expr(gpt.qual, gpt.relid) AS rowfilter
    FROM pg_catalog.pg_publication p,
         LATERAL pg_catalog.pg_get_publication_tables(p.pubname) gpt,
         pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = gpt.relid""",
    """CREATE VIEW pg_catalog.pg_tables AS
    SELECT n.nspname AS schemaname, c.relname AS tablename,
           pg_catalog.pg_get_userbyid(c.relowner) AS tableowner, NULL::name AS tablespace,
           c.relhasindex AS hasindexes, c.relhasrules AS hasrules,
           c.relhastriggers AS hastriggers, c.relrowsecurity AS rowsecurity
    FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')""",
    """CREATE VIEW pg_catalog.pg_views AS
    SELECT n.nspname AS schemaname, c.relname AS viewname,
           pg_catalog.pg_get_userbyid(c.relowner) AS viewowner,
           pg_catalog.pg_get_viewdef(c.oid) AS definition
    FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'v'""",
    """CREATE VIEW pg_catalog.pg_indexes AS
    SELECT n.nspname AS schemaname, c.relname AS tablename, i.relname AS indexname,
           NULL::name AS tablespace, pg_catalog.pg_get_indexdef(i.oid) AS indexdef
    FROM pg_catalog.pg_index x
         JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
         JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'm', 'p') AND i.relkind IN ('i', 'I')""",
    """CREATE VIEW pg_catalog.pg_sequences AS
    SELECT n.nspname AS schemaname, c.relname AS sequencename,
           pg_catalog.pg_get_userbyid(c.relowner) AS sequenceowner,
           s.seqtypid::regtype AS data_type, s.seqstart AS start_value,
           s.seqmin AS min_value, s.seqmax AS max_value, s.seqincrement AS increment_by,
           s.seqcycle AS cycle, s.seqcache AS cache_size,
           pg_catalog.pg_sequence_last_value(c.oid) AS last_value
    FROM pg_catalog.pg_sequence s
         JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'S'""",
    # a mapping's options only for its own user (with USAGE on the server or as a member
    # of the server's owner), for the server owner's PUBLIC mapping, and for superusers
    """CREATE VIEW pg_catalog.pg_user_mappings AS
    SELECT u.oid AS umid, s.oid AS srvid, s.srvname, u.umuser,
           CASE WHEN u.umuser = 0 THEN 'public'::name ELSE a.rolname END AS usename,
           CASE WHEN (u.umuser <> 0 AND a.rolname = CURRENT_USER
                      AND (pg_catalog.pg_has_role(s.srvowner, 'USAGE')
                           OR pg_catalog.has_server_privilege(s.oid, 'USAGE')))
                     OR (u.umuser = 0 AND pg_catalog.pg_has_role(s.srvowner, 'USAGE'))
                     OR (SELECT r.rolsuper FROM pg_catalog.pg_authid r
                         WHERE r.rolname = CURRENT_USER)
                THEN u.umoptions ELSE NULL::text[] END AS umoptions
    FROM pg_catalog.pg_user_mapping u
         JOIN pg_catalog.pg_foreign_server s ON u.umserver = s.oid
         LEFT JOIN pg_catalog.pg_authid a ON a.oid = u.umuser""",
    """CREATE VIEW pg_catalog.pg_settings AS
    SELECT * FROM pg_catalog.pg_show_all_settings() a""",
    """CREATE VIEW pg_catalog.pg_prepared_statements AS
    SELECT * FROM pg_catalog.pg_prepared_statement() p""",
    """CREATE VIEW pg_catalog.pg_cursors AS
    SELECT * FROM pg_catalog.pg_cursor() c""",
    """CREATE VIEW pg_catalog.pg_timezone_names AS
    SELECT * FROM pg_catalog.pg_timezone_names() t""",
    """CREATE VIEW pg_catalog.pg_timezone_abbrevs AS
    SELECT z.abbrev, z.utc_offset, z.is_dst FROM pg_catalog.pg_timezone_abbrevs_zone() z
    UNION ALL
    SELECT a.abbrev, a.utc_offset, a.is_dst FROM pg_catalog.pg_timezone_abbrevs_abbrevs() a
    WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_abbrevs_zone() z2
                      WHERE z2.abbrev = a.abbrev)
    ORDER BY 1""",
    """CREATE VIEW pg_catalog.pg_prepared_xacts AS
    SELECT p.transaction, p.gid, p.prepared, u.rolname AS owner, d.datname AS database
    FROM pg_catalog.pg_prepared_xact() p
         LEFT JOIN pg_catalog.pg_authid u ON p.ownerid = u.oid
         LEFT JOIN pg_catalog.pg_database d ON p.dbid = d.oid""",
    """CREATE VIEW pg_catalog.pg_available_extensions AS
    SELECT e.name, e.default_version, x.extversion AS installed_version, e.comment
    FROM pg_catalog.pg_available_extensions() e
         LEFT JOIN pg_catalog.pg_extension x ON e.name = x.extname""",
    """CREATE VIEW pg_catalog.pg_available_extension_versions AS
    SELECT e.name, e.version, x.extname IS NOT NULL AS installed, e.superuser, e.trusted,
           e.relocatable, e.schema, e.requires, e.comment
    FROM pg_catalog.pg_available_extension_versions() e
         LEFT JOIN pg_catalog.pg_extension x ON e.name = x.extname AND e.version = x.extversion""",
    """CREATE VIEW pg_catalog.pg_file_settings AS
    SELECT * FROM pg_catalog.pg_show_all_file_settings() a""",
    """CREATE VIEW pg_catalog.pg_ident_file_mappings AS
    SELECT * FROM pg_catalog.pg_ident_file_mappings() a""",
    """CREATE VIEW pg_catalog.pg_stat_wal_receiver AS
    SELECT * FROM pg_catalog.pg_stat_get_wal_receiver() s WHERE s.pid IS NOT NULL""",
    """CREATE VIEW pg_catalog.pg_stat_activity AS
    SELECT * FROM pg_catalog.pg_stat_get_activity(NULL) s""",
    """CREATE VIEW pg_catalog.pg_shmem_allocations_numa AS
    SELECT * FROM pg_catalog.pg_get_shmem_allocations_numa() p""",
    """CREATE VIEW pg_catalog.pg_locks AS
    SELECT * FROM pg_catalog.pg_lock_status() l""",
    """CREATE VIEW pg_catalog.pg_stat_user_tables AS
    SELECT c.oid AS relid, n.nspname AS schemaname, c.relname,
           coalesce(st.seq_scan, 0) AS seq_scan, NULL::timestamptz AS last_seq_scan,
           0::bigint AS seq_tup_read, coalesce(st.idx_scan, 0) AS idx_scan,
           NULL::timestamptz AS last_idx_scan, 0::bigint AS idx_tup_fetch,
           coalesce(st.n_tup_ins, 0) AS n_tup_ins, coalesce(st.n_tup_upd, 0) AS n_tup_upd,
           coalesce(st.n_tup_del, 0) AS n_tup_del, 0::bigint AS n_tup_hot_upd,
           0::bigint AS n_tup_newpage_upd, coalesce(st.n_live_tup, 0) AS n_live_tup,
           coalesce(st.n_dead_tup, 0) AS n_dead_tup, 0::bigint AS n_mod_since_analyze,
           0::bigint AS n_ins_since_vacuum, st.last_vacuum,
           NULL::timestamptz AS last_autovacuum, st.last_analyze,
           NULL::timestamptz AS last_autoanalyze, coalesce(st.vacuum_count, 0) AS vacuum_count,
           0::bigint AS autovacuum_count, coalesce(st.analyze_count, 0) AS analyze_count,
           0::bigint AS autoanalyze_count, 0::float8 AS total_vacuum_time,
           0::float8 AS total_autovacuum_time, 0::float8 AS total_analyze_time,
           0::float8 AS total_autoanalyze_time
    FROM pg_catalog.pg_class c
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_catalog.pg_stat_get_tables() st ON st.relid = c.oid
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname !~ '^pg_toast'""",
]


def create_system_views(session: Any) -> None:
    """Run the view definitions in a fresh database (as the bootstrap superuser)."""
    saved = session.settings["search_path"]
    session.settings["search_path"] = "pg_catalog"
    try:
        for sql in SYSTEM_VIEWS:
            for _ in session.simple_query(sql):
                pass
        # everyone may read the system views, as initdb grants (pg_shadow-like views
        # that show secrets are not among them)
        names = [sql.split("VIEW", 1)[1].split()[0] for sql in SYSTEM_VIEWS]
        for _ in session.simple_query(f"GRANT SELECT ON {', '.join(names)} TO PUBLIC"):
            pass
        from tuskdb.engine.information_schema import create_information_schema
        create_information_schema(session)
    finally:
        session.settings["search_path"] = saved

SYSTEM_VIEWS.append(
    """CREATE VIEW pg_catalog.pg_stats AS
    SELECT n.nspname AS schemaname, c.relname AS tablename, a.attname,
           s.stainherit AS inherited, s.stanullfrac AS null_frac, s.stawidth AS avg_width,
           s.stadistinct AS n_distinct,
           CASE WHEN s.stakind1 = 1 THEN s.stavalues1 WHEN s.stakind2 = 1 THEN s.stavalues2 WHEN s.stakind3 = 1 THEN s.stavalues3 WHEN s.stakind4 = 1 THEN s.stavalues4 WHEN s.stakind5 = 1 THEN s.stavalues5 END AS most_common_vals,
           CASE WHEN s.stakind1 = 1 THEN s.stanumbers1 WHEN s.stakind2 = 1 THEN s.stanumbers2 WHEN s.stakind3 = 1 THEN s.stanumbers3 WHEN s.stakind4 = 1 THEN s.stanumbers4 WHEN s.stakind5 = 1 THEN s.stanumbers5 END AS most_common_freqs,
           CASE WHEN s.stakind1 = 2 THEN s.stavalues1 WHEN s.stakind2 = 2 THEN s.stavalues2 WHEN s.stakind3 = 2 THEN s.stavalues3 WHEN s.stakind4 = 2 THEN s.stavalues4 WHEN s.stakind5 = 2 THEN s.stavalues5 END AS histogram_bounds,
           CASE WHEN s.stakind1 = 3 THEN s.stanumbers1[1] WHEN s.stakind2 = 3 THEN s.stanumbers2[1] WHEN s.stakind3 = 3 THEN s.stanumbers3[1] WHEN s.stakind4 = 3 THEN s.stanumbers4[1] WHEN s.stakind5 = 3 THEN s.stanumbers5[1] END AS correlation, NULL::anyarray AS most_common_elems,
           NULL::real[] AS most_common_elem_freqs, NULL::real[] AS elem_count_histogram,
           NULL::anyarray AS range_length_histogram, NULL::real AS range_empty_frac,
           NULL::anyarray AS range_bounds_histogram
    FROM pg_catalog.pg_statistic s
         JOIN pg_catalog.pg_class c ON c.oid = s.starelid
         JOIN pg_catalog.pg_attribute a ON c.oid = a.attrelid AND a.attnum = s.staattnum
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT a.attisdropped""")
