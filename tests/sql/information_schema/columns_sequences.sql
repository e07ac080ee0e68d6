-- information_schema.columns: types, lengths, precisions, defaults, identity, generated
CREATE DOMAIN posint AS numeric(8,2) NOT NULL CHECK (VALUE > 0);
CREATE DOMAIN intarr AS int[];
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE isc_t (
    id int GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 2 CYCLE),
    s smallint NOT NULL DEFAULT 3,
    b bigint,
    n numeric,
    n2 numeric(10,3),
    r real,
    d double precision,
    c char(5),
    v varchar(20),
    vv varchar,
    tx text,
    bt bit(4),
    vb varbit(9),
    dt date,
    tm time(3),
    tz timetz,
    ts timestamp,
    tstz timestamptz(0),
    iv interval,
    iv2 interval day to second(2),
    iv3 interval year to month,
    arr int[],
    p posint,
    pa intarr,
    m mood,
    g int GENERATED ALWAYS AS (s * 2) STORED,
    bo boolean DEFAULT true
);
SELECT column_name, ordinal_position, column_default, is_nullable, data_type,
       character_maximum_length, character_octet_length, numeric_precision,
       numeric_precision_radix, numeric_scale, datetime_precision, interval_type,
       interval_precision, collation_catalog IS NOT NULL AS has_coll_cat,
       collation_schema, collation_name, domain_schema, domain_name, udt_schema, udt_name,
       dtd_identifier, is_self_referencing, is_identity, identity_generation,
       identity_start, identity_increment, identity_maximum, identity_minimum,
       identity_cycle, is_generated, generation_expression, is_updatable
  FROM information_schema.columns WHERE table_name = 'isc_t' ORDER BY ordinal_position;
ALTER TABLE isc_t DROP COLUMN b;
CREATE VIEW isc_v AS SELECT id, s, s + 1 AS s1 FROM isc_t;
SELECT table_name, column_name, ordinal_position, is_updatable
  FROM information_schema.columns WHERE table_name IN ('isc_t', 'isc_v')
  ORDER BY table_name, ordinal_position;
-- privilege filtering: a role sees only columns it has some privilege on
CREATE ROLE isc_user;
GRANT SELECT (s) ON isc_t TO isc_user;
GRANT UPDATE (tx) ON isc_t TO isc_user;
SET ROLE isc_user;
SELECT column_name FROM information_schema.columns WHERE table_name LIKE 'isc%' ORDER BY 1;
RESET ROLE;
-- information_schema.sequences
CREATE SEQUENCE isc_s1;
CREATE SEQUENCE isc_s2 AS smallint START 5 INCREMENT -1 MINVALUE -100 MAXVALUE 50 CYCLE;
CREATE TABLE isc_serial (a serial, b bigserial);
SELECT * FROM information_schema.sequences WHERE sequence_name LIKE 'isc%' ORDER BY 3;
SET ROLE isc_user;
SELECT sequence_name FROM information_schema.sequences WHERE sequence_name LIKE 'isc%';
RESET ROLE;
GRANT USAGE ON SEQUENCE isc_s1 TO isc_user;
SET ROLE isc_user;
SELECT sequence_name FROM information_schema.sequences WHERE sequence_name LIKE 'isc%';
RESET ROLE;
SELECT pg_typeof(ordinal_position), pg_typeof(is_nullable), pg_typeof(table_name),
       pg_typeof(data_type)
  FROM information_schema.columns WHERE table_name = 'isc_v' LIMIT 1;
DROP TABLE isc_t CASCADE;
DROP TABLE isc_serial;
DROP SEQUENCE isc_s1, isc_s2;
DROP ROLE isc_user;
