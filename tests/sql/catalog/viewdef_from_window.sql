-- pg_get_viewdef: functions and VALUES in FROM, column aliases, window functions,
-- aggregates with ORDER BY / FILTER / DISTINCT
create table vf (a int, b int, c text, t timestamptz);
create view vf1 as select * from generate_series(1, 10) i;
create view vf2 as select * from generate_series(1, 10) with ordinality as g(x, o);
create view vf3 as select * from (values (1, 'a'), (2, null)) v(a, b);
create view vf4 as select x.* from vf x(p, q);
create view vf5 as select * from unnest(cast(null as int[])) u, vf where u = a;
create view vf6 as select * from vf join generate_series(1,3) g on g = a;
create view vf7 as select * from (values (1)) v;
create view vf8 as select * from generate_series(1,2) with ordinality;
create view vf9 as select * from (select 1 as x, 2 as y) s(a);
select pg_get_viewdef('vf1');
select pg_get_viewdef('vf2');
select pg_get_viewdef('vf3');
select pg_get_viewdef('vf4');
select pg_get_viewdef('vf5');
select pg_get_viewdef('vf6', true);
select pg_get_viewdef('vf7');
select pg_get_viewdef('vf8');
select pg_get_viewdef('vf9');
create view vw1 as select a, sum(b) over (order by a rows between 1 preceding and 1 following) as s
  from vf;
create view vw2 as select a, sum(b) over (order by a rows between 1 preceding and 1 following
  exclude current row) as s from vf;
create view vw3 as select a, row_number() over (partition by b order by a desc) as r,
  rank() over () from vf;
create view vw4 as select min(t) over (order by t range between '1 day' preceding
  and '10 days' following) as m from vf;
create view vw5 as select count(*) over (order by a groups between current row and unbounded
  following exclude ties) from vf;
create view vw6 as select sum(b) filter (where b > 0) over (order by a range unbounded preceding)
  from vf;
create view vw7 as select sum(b) over (order by a rows current row exclude group) from vf;
select pg_get_viewdef('vw1');
select pg_get_viewdef('vw2');
select pg_get_viewdef('vw3');
select pg_get_viewdef('vw4');
select pg_get_viewdef('vw5');
select pg_get_viewdef('vw6');
select pg_get_viewdef('vw7', true);
create view va1 as select a, b, count(*), sum(b), max(c) from vf group by a, b
  having sum(b) > 1 and count(*) > 0 order by b, a;
create view va2 as select b + 1, count(*) filter (where a > 1), sum(b order by a),
  string_agg(distinct c, ',') from vf group by b + 1;
create view va3 as select string_agg(c, ',' order by c desc nulls last, a) from vf;
select pg_get_viewdef('va1');
select pg_get_viewdef('va2');
select pg_get_viewdef('va3', true);
