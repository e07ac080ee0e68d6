-- GRANT role with ADMIN / INHERIT / SET options, SET ROLE, pg_has_role
CREATE ROLE regress_gm_a;
CREATE ROLE regress_gm_b LOGIN;
CREATE ROLE regress_gm_c;
GRANT regress_gm_a TO regress_gm_b WITH ADMIN OPTION;
GRANT regress_gm_a TO regress_gm_c WITH INHERIT FALSE, SET TRUE GRANTED BY regress_gm_b;
SELECT roleid::regrole, member::regrole, grantor::regrole, admin_option, inherit_option, set_option
  FROM pg_auth_members WHERE roleid = 'regress_gm_a'::regrole ORDER BY member::regrole::text;
GRANT regress_gm_a TO regress_gm_b;
REVOKE ADMIN OPTION FOR regress_gm_a FROM regress_gm_b;
REVOKE ADMIN OPTION FOR regress_gm_a FROM regress_gm_b CASCADE;
SELECT pg_has_role('regress_gm_c', 'regress_gm_a', 'USAGE'), pg_has_role('regress_gm_c', 'regress_gm_a', 'SET'),
       pg_has_role('regress_gm_c', 'regress_gm_a', 'MEMBER'), pg_has_role('regress_gm_b', 'regress_gm_a', 'USAGE');
SET SESSION AUTHORIZATION regress_gm_b;
SET ROLE regress_gm_a;
SELECT current_user, session_user;
SET ROLE regress_gm_c;
GRANT regress_gm_a TO regress_gm_c;
BEGIN;
SET LOCAL ROLE regress_gm_a;
SELECT current_user;
ROLLBACK;
SELECT current_user;
RESET ROLE;
SET SESSION AUTHORIZATION regress_gm_c;
RESET SESSION AUTHORIZATION;
SET ROLE nosuch_gm_role;
GRANT regress_gm_b TO regress_gm_a;
GRANT regress_gm_a TO regress_gm_a;
GRANT pg_database_owner TO regress_gm_a;
DROP ROLE regress_gm_a, regress_gm_b, regress_gm_c;
