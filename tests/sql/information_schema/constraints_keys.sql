-- information_schema.schemata, table_constraints, key_column_usage
CREATE SCHEMA isk_s;
CREATE TABLE isk_p (a int, b int, c text NOT NULL, d int UNIQUE NULLS NOT DISTINCT,
                    PRIMARY KEY (a, b), UNIQUE (c),
                    CHECK (a > 0));
CREATE TABLE isk_f (x int, y int, z text,
                    CONSTRAINT isk_f_fk FOREIGN KEY (y, x) REFERENCES isk_p (b, a) DEFERRABLE,
                    CONSTRAINT isk_f_fk2 FOREIGN KEY (z) REFERENCES isk_p (c),
                    UNIQUE (x));
CREATE TABLE isk_s.isk_e (r int4range, EXCLUDE USING gist (r WITH &&));
SELECT catalog_name = current_database() AS cat, schema_name, schema_owner,
       default_character_set_name, sql_path
  FROM information_schema.schemata WHERE schema_name IN ('public', 'isk_s', 'pg_catalog')
  ORDER BY 2;
SELECT constraint_name, table_schema, table_name, constraint_type, is_deferrable,
       initially_deferred, enforced, nulls_distinct
  FROM information_schema.table_constraints WHERE table_name LIKE 'isk%'
  ORDER BY table_name, constraint_name;
SELECT constraint_name, table_name, column_name, ordinal_position,
       position_in_unique_constraint
  FROM information_schema.key_column_usage WHERE table_name LIKE 'isk%'
  ORDER BY table_name, constraint_name, ordinal_position;
-- privilege filtering
CREATE ROLE isk_user;
GRANT SELECT ON isk_p TO isk_user;
GRANT INSERT ON isk_f TO isk_user;
SET ROLE isk_user;
SELECT DISTINCT table_name FROM information_schema.table_constraints
  WHERE table_name LIKE 'isk%' ORDER BY 1;
SELECT DISTINCT table_name FROM information_schema.key_column_usage
  WHERE table_name LIKE 'isk%' ORDER BY 1;
SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'isk%';
RESET ROLE;
DROP TABLE isk_f, isk_p;
DROP SCHEMA isk_s CASCADE;
DROP ROLE isk_user;
