-- DROP SCHEMA ... CASCADE names the objects it takes as getObjectDescription does:
-- bare when visible on the search_path ("$user" included), else schema-qualified
CREATE ROLE regress_dscn_role SUPERUSER;
CREATE SCHEMA regress_dscn_role;
CREATE TABLE regress_dscn_role.tab (id int);
CREATE VIEW regress_dscn_role.vw AS SELECT 1 AS x;
DROP SCHEMA regress_dscn_role CASCADE;
SET ROLE regress_dscn_role;
CREATE SCHEMA AUTHORIZATION CURRENT_ROLE CREATE TABLE regress_dscn_role.tab (id int);
SHOW search_path;
DROP SCHEMA regress_dscn_role CASCADE;
CREATE SCHEMA "Odd Schema";
CREATE TABLE "Odd Schema"."Odd Tab" (id int);
DROP SCHEMA "Odd Schema" CASCADE;
CREATE SCHEMA regress_dscn_s;
CREATE TABLE regress_dscn_s."Mixed" (id int);
CREATE TABLE regress_dscn_s.shadowed (id int);
CREATE TABLE public.shadowed (id int);
SET search_path = public, regress_dscn_s;
DROP SCHEMA regress_dscn_s CASCADE;
RESET search_path;
DROP TABLE public.shadowed;
RESET ROLE;
DROP ROLE regress_dscn_role;
