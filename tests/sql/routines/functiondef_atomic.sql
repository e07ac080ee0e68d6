-- pg_get_functiondef of BEGIN ATOMIC bodies: each statement printed back from its
-- analyzed form, arguments by name (qualified when a range table is in sight)
create table fa (a int, b text);
create function fa1(x int, y text) returns setof int language sql begin atomic
  select case when x % 2 = 0 then true else false end;
  select a from fa where a > x and b = y order by a;
  select a, b from fa, (select 1 as q) s where a = q;
  insert into fa values (x, y), (2, 'z');
  insert into fa select a, b from fa where a = x returning a;
  insert into fa (b) values (y) on conflict do nothing;
  update fa set a = a + x, b = y where a < x;
  delete from fa where a = x;
  delete from fa using fa f2 where fa.a = f2.a returning fa.a;
  select 1 from fa t1 join fa t2 on t1.a = t2.a;
  select x + 1;
end;
select pg_get_functiondef('fa1'::regproc);
create function fa2(x int) returns void language sql begin atomic
  update fa set b = f2.b from fa f2 where fa.a = f2.a + x;
  update fa t set b = 'q' where t.a = x returning t.a, b as bb, a + 1;
  insert into fa values (x, default);
  insert into fa default values;
end;
select pg_get_functiondef('fa2'::regproc);
create procedure fa3(x text) language sql begin atomic
  insert into fa values (1, x);
end;
select pg_get_functiondef('fa3'::regproc);
create function fa4() returns boolean begin atomic
  ;;return false;;
end;
select pg_get_functiondef('fa4'::regproc);
-- CASE in views: lines of its own
create view fav as select a, case a when 1 then 'one' when 2 then 'two' end as c,
  1 + case when a > 0 then 1 else 0 end as d,
  case when a > 5 then case when a > 10 then 'big' else 'mid' end end as e
  from fa where case when a > 1 then true end;
select pg_get_viewdef('fav');
select pg_get_viewdef('fav', true);
