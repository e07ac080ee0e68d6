-- information_schema.referential_constraints
CREATE TABLE isr_p (a int PRIMARY KEY, b int UNIQUE, c int, d int, UNIQUE (c, d));
CREATE TABLE isr_f (
    x int REFERENCES isr_p,
    y int REFERENCES isr_p (b) ON DELETE CASCADE ON UPDATE SET NULL,
    z int, w int,
    CONSTRAINT isr_f_cd FOREIGN KEY (z, w) REFERENCES isr_p (c, d) MATCH FULL
        ON DELETE SET DEFAULT ON UPDATE RESTRICT);
SELECT constraint_name, unique_constraint_catalog = current_database() AS cat,
       unique_constraint_schema, unique_constraint_name, match_option, update_rule,
       delete_rule
  FROM information_schema.referential_constraints WHERE constraint_name LIKE 'isr%'
  ORDER BY 1;
CREATE ROLE isr_user;
GRANT SELECT ON isr_f TO isr_user;
SET ROLE isr_user;
SELECT count(*) FROM information_schema.referential_constraints
  WHERE constraint_name LIKE 'isr%';
RESET ROLE;
GRANT REFERENCES (x) ON isr_f TO isr_user;
SET ROLE isr_user;
SELECT count(*) FROM information_schema.referential_constraints
  WHERE constraint_name LIKE 'isr%';
RESET ROLE;
REVOKE ALL ON isr_f FROM isr_user;
DROP TABLE isr_f, isr_p;
DROP ROLE isr_user;
