-- a column default naming a sequence by a regclass constant depends on it: DROP
-- SEQUENCE refuses, CASCADE drops the default
CREATE SEQUENCE sdd2;
CREATE SEQUENCE sdd3;
CREATE TABLE sdd_t (
  f1 serial,
  f2 int DEFAULT nextval('sdd2'),
  f3 int DEFAULT nextval('sdd3'::text),
  f4 bigint DEFAULT nextval('sdd2') + 1
);
DROP SEQUENCE sdd_t_f1_seq;
DROP SEQUENCE sdd2;
DROP SEQUENCE sdd3;
DROP SEQUENCE sdd2 CASCADE;
SELECT a.attname, d.adnum IS NOT NULL AS has_default FROM pg_attribute a
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = 'sdd_t'::regclass AND a.attnum > 0 ORDER BY a.attnum;
CREATE SCHEMA sdd_s;
CREATE SEQUENCE sdd_s.sq;
CREATE TABLE sdd_s.t (a int DEFAULT nextval('sdd_s.sq'));
DROP SEQUENCE sdd_s.sq;
DROP SEQUENCE sdd_s.sq, sdd_t_f1_seq CASCADE;
DROP SCHEMA sdd_s CASCADE;
DROP TABLE sdd_t;
