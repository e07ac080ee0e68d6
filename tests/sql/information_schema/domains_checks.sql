-- information_schema.domains, domain_constraints, column_domain_usage, check_constraints
CREATE DOMAIN isd_pos AS int NOT NULL CHECK (VALUE > 0);
CREATE DOMAIN isd_str AS varchar(20);
CREATE DOMAIN isd_txt AS text CONSTRAINT isd_short CHECK (length(VALUE) < 10);
CREATE DOMAIN isd_num AS numeric(8,2);
CREATE DOMAIN isd_ts AS timestamp(3) DEFAULT now();
CREATE DOMAIN isd_arr AS int[];
CREATE TABLE isd_t (a isd_pos, b isd_str, t isd_txt, c int NOT NULL CHECK (c > 10), "Odd Col" int NOT NULL);
CREATE VIEW isd_v AS SELECT a FROM isd_t;
SELECT domain_name, data_type, character_maximum_length, character_octet_length,
       numeric_precision, numeric_precision_radix, numeric_scale, datetime_precision,
       udt_schema, udt_name, dtd_identifier, collation_name
  FROM information_schema.domains WHERE domain_name LIKE 'isd%' ORDER BY 1;
SELECT constraint_name, domain_name, is_deferrable, initially_deferred
  FROM information_schema.domain_constraints WHERE domain_name LIKE 'isd%'
  ORDER BY constraint_name;
SELECT domain_name, table_name, column_name FROM information_schema.column_domain_usage
  WHERE domain_name LIKE 'isd%' ORDER BY 1, 2, 3;
SELECT constraint_name, check_clause FROM information_schema.check_constraints
  WHERE constraint_name LIKE 'isd%' ORDER BY 1;
-- only the owner's members see a table's or domain's constraints
CREATE ROLE isd_user;
GRANT SELECT ON isd_t TO isd_user;
SET ROLE isd_user;
SELECT constraint_name FROM information_schema.check_constraints
  WHERE constraint_name LIKE 'isd%' ORDER BY 1;
SELECT domain_name FROM information_schema.domains WHERE domain_name LIKE 'isd%' ORDER BY 1;
SELECT count(*) FROM information_schema.column_domain_usage WHERE domain_name LIKE 'isd%';
RESET ROLE;
DROP VIEW isd_v;
DROP TABLE isd_t;
DROP DOMAIN isd_pos, isd_str, isd_txt, isd_num, isd_ts, isd_arr;
DROP ROLE isd_user;
