-- SECURITY LABEL without any label provider loaded: the provider is checked
-- before the object, so a missing object reports the provider error too.
CREATE TABLE seclabel_t (a int);
SECURITY LABEL ON TABLE seclabel_t IS 'classified';
SECURITY LABEL FOR 'dummy' ON TABLE seclabel_t IS 'classified';
SECURITY LABEL FOR dummy ON COLUMN seclabel_t.a IS 'classified';
SECURITY LABEL ON TABLE no_such_table IS 'x';
SECURITY LABEL ON ROLE no_such_role IS NULL;
SECURITY LABEL ON SCHEMA public IS 'x';
SELECT count(*) FROM pg_seclabel;
SELECT count(*) FROM pg_shseclabel;
BEGIN;
SECURITY LABEL ON TABLE seclabel_t IS 'x';
ROLLBACK;
DROP TABLE seclabel_t;
