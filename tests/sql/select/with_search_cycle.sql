-- WITH RECURSIVE ... SEARCH / CYCLE
create temp table sc_graph (f int, t int, label text);
insert into sc_graph values (1, 2, 'a'), (1, 3, 'b'), (2, 3, 'c'), (1, 4, 'd'), (4, 5, 'e'), (5, 1, 'f');
with recursive g(f, t, label) as (
  select * from sc_graph where f = 1
  union all
  select s.* from sc_graph s, g where s.f = g.t
) search depth first by f, t set seq
  cycle f, t set is_cycle using path
select * from g order by seq, is_cycle;
with recursive g(f, t, label) as (
  select * from sc_graph where f = 1
  union all
  select s.* from sc_graph s, g where s.f = g.t
) search breadth first by f, t set seq
  cycle f, t set is_cycle to 'Y' default 'N' using path
select * from g order by seq, is_cycle;
with recursive test as (
  select 1 as x union all select x + 1 from test
) search breadth first by x set y
select * from test limit 3;
with recursive test as (
  select 0 as x union all select (x + 1) % 4 from test where not is_cycle
) cycle x set is_cycle using path
select * from test;
with recursive a as (select 1 as b union all select * from a) cycle b set c using p
select * from a;
with recursive x(a) as (select 1 union all select a + 1 from x where a < 3)
  cycle a set c to 1 default 0 using p
select a, c, p, pg_typeof(c), pg_typeof(p) from x;
-- errors
with x as (select 1 as a) search depth first by a set s select * from x;
with recursive x(a) as (select 1 union all select a + 1 from x) search depth first by b set s select * from x;
with recursive x(a) as (select 1 union all select a + 1 from x) search depth first by a, a set s select * from x;
with recursive x(a, b) as (select 1, 0 union all select a + 1, 0 from x) search depth first by a set b select * from x;
with recursive x(a) as (select 1 union all select a + 1 from x) cycle b set c using p select * from x;
with recursive x(a) as (select 1 union all select a + 1 from x) cycle a, a set c using p select * from x;
with recursive x(a, b) as (select 1, 0 union all select a + 1, 0 from x) cycle a set b using p select * from x;
with recursive x(a, b) as (select 1, 0 union all select a + 1, 0 from x) cycle a set c using b select * from x;
with recursive x(a) as (select 1 union all select a + 1 from x) cycle a set c using c select * from x;
with recursive x(a) as (select 1 union all select a + 1 from x) cycle a set c to true default 55 using p select * from x;
with recursive x(a) as (select 1 union all select a + 1 from x) cycle a set c to point '(1,1)' default point '(0,0)' using p select * from x;
with recursive x(a) as (select 1 union all select a + 1 from x) search depth first by a set s cycle a set s using p select * from x;
with recursive x(a) as (select 1 union all select a + 1 from x) search depth first by a set s cycle a set c using s select * from x;
with recursive x(a) as (select 1 union all select 2 union all select a + 1 from x) search depth first by a set s select * from x;
with recursive x(a) as (select 1 union all (select 2 union all select a + 1 from x)) search depth first by a set s select * from x;
with recursive x(col) as (select 1 union (with x as (select * from x) select * from x)) search depth first by col set seq select * from x;
