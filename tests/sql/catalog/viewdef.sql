-- pg_get_viewdef: the view's query printed back from its analyzed form
create table vd1 (a int, b text);
create table vd2 (a int, c int);
create view vdv1 as select a, b as bb, a + 1, 'x' as k from vd1
  where a > 1 and b = 'q' order by a limit 3;
select pg_get_viewdef('vdv1'::regclass);
select pg_get_viewdef('vdv1'::regclass, true);
create view vdv2 as select * from vd1 join vd2 using (a) where c > 0;
select pg_get_viewdef('vdv2'::regclass);
select pg_get_viewdef('vdv2'::regclass, true);
create view vdv3 as select x.a, y.c from vd1 x left join vd2 y on x.a = y.a;
select pg_get_viewdef('vdv3'::regclass);
select pg_get_viewdef('vdv3'::regclass, true);
create view vdv4 as select upper(b), b::varchar(3), a in (1, 2) as i, b like 'a%' as l,
  not (a = 1) as n, coalesce(a, 0) from vd1;
select pg_get_viewdef('vdv4'::regclass);
select pg_get_viewdef('vdv4'::regclass, true);
create view vdv5 as select distinct a, count(*) as n from vd1 group by a
  having count(*) > 1 order by a desc offset 2;
select pg_get_viewdef('vdv5'::regclass);
select pg_get_viewdef('vdv5'::regclass, true);
create view vdv6 as select vd1.a, z.c from vd1, vd2 z;
select pg_get_viewdef('vdv6'::regclass, true);
create view vdv7 as select a as b, b as a from vd1 order by b;
select pg_get_viewdef('vdv7'::regclass, true);
alter view vdv7 rename column a to z;
select pg_get_viewdef('vdv7'::regclass, true);
select pg_get_viewdef('vdv7');
select pg_get_viewdef('vdv7', true);
select pg_get_viewdef('vdv7'::regclass, 0);
create view vdv8 as select a from vd1 where exists (select 1 from vd1 x where x.a = vd1.a and b is null)
  and a in (select c from vd2) and a > (select max(c) from vd2 where vd2.a = vd1.a);
select pg_get_viewdef('vdv8'::regclass);
select pg_get_viewdef('vdv8'::regclass, true);
create view vdv9 as select a from vd1 where not exists (select 1 from vd1) or a = 1
  and a in (select c + 1 from vd2) and exists (select a, 'x', c as cc, c from vd2)
  and a = (select c from vd2 z limit 1);
select pg_get_viewdef('vdv9'::regclass);
select pg_get_viewdef('vdv9'::regclass, true);
select pg_get_viewdef('vd1'::regclass);
select pg_get_viewdef('no_such_view');
create view vdv10 as select s.a, vd2.c from (select a, b from vd1 where a > 1) s
  join vd2 on s.a = vd2.a, (select 1 as one) o;
select pg_get_viewdef('vdv10'::regclass);
select pg_get_viewdef('vdv10'::regclass, true);
create view vdv11 as select x.a, vd2.c from vdv3 x join vd2 using (a);
select pg_get_viewdef('vdv11'::regclass, true);
drop view vdv10, vdv11;
create view vdv12 as select a, b from vd1 where a > 1 union select c, 'x' from vd2
  union select 1, null;
select pg_get_viewdef('vdv12'::regclass);
select pg_get_viewdef('vdv12'::regclass, true);
create view vdv13 as select a from vd1 except all select a from vd2;
select pg_get_viewdef('vdv13'::regclass, true);
create view vdv14 as select 1 as x union select 2.5 union select -1;
select pg_get_viewdef('vdv14'::regclass, true);
drop view vdv12, vdv13, vdv14;
drop view vdv1, vdv2, vdv3, vdv4, vdv5, vdv6, vdv7, vdv8, vdv9;
drop table vd1, vd2;
