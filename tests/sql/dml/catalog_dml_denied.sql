-- System catalogs cannot be modified by DML of a non-superuser
CREATE ROLE regress_catalog_nopriv LOGIN;
SET SESSION AUTHORIZATION regress_catalog_nopriv;
UPDATE pg_catalog.pg_class SET relname = '123';
DELETE FROM pg_catalog.pg_class;
TRUNCATE pg_class;
INSERT INTO pg_namespace (oid, nspname, nspowner) VALUES (1, 'x', 10);
RESET SESSION AUTHORIZATION;
SET ROLE regress_catalog_nopriv;
DELETE FROM pg_catalog.pg_class;
RESET ROLE;
SELECT count(*) > 50 AS catalog_intact FROM pg_class;
DROP ROLE regress_catalog_nopriv;
