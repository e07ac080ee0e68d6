-- schema-qualified function calls: only that schema's functions (pg_temp: the session's
-- temporary schema, whose functions are never found unqualified)
create function vf() returns int as 'select 1' language sql;
select * from public.vf();
select public.vf();
select public.vf(1);
select public.now();
select nosuch.vf();
create schema s2;
create function s2.vf(x int) returns int as 'select x + 10' language sql;
select s2.vf(1), vf();
select s2.vf();
create function pg_temp.tf() returns text as $$select 'temp'::text$$ language sql;
select pg_temp.tf();
select tf();
select pg_catalog.now() is not null;
