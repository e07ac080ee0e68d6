-- a view over a temporary relation becomes temporary; CREATE OR REPLACE VIEW keeps
-- each column's type and typmod
create temp table vt_tmp (a int);
create table vt_base (a int, b numeric(10,1), c varchar(5));
create view public.vt_v1 as select * from vt_tmp;
create view vt_v2 as select 1 as one from vt_base where exists (select 1 from vt_tmp);
create view vt_v3 as select * from (select * from vt_tmp) s;
create view vt_v4 as select * from vt_v3;
create temp sequence vt_seq;
create view vt_v5 as select is_called from vt_seq;
create temp sequence public.vt_seq2;
create temp view public.vt_v6 as select 1;
create schema vt_schema create temp view vt_v7 as select 1;
create view vt_v8 as select * from vt_base;
create or replace view vt_v8 as select a, b::numeric(10,2), c from vt_base;
create or replace view vt_v8 as select a, b, c::varchar(6) from vt_base;
create or replace view vt_v8 as select a, b, c::text from vt_base;
create or replace view vt_v8 as select a, b, c, 1 as d from vt_base;
select relname, relpersistence, relnamespace = pg_my_temp_schema() as in_temp
  from pg_class where relname like 'vt_v%' order by 1;
