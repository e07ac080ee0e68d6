-- Tid Scan and Tid Range Scan: plans and results
create table tids (id int);
insert into tids select generate_series(1, 5);
explain (costs off) select ctid, * from tids where ctid = '(0,2)';
select ctid, * from tids where ctid = '(0,2)';
explain (costs off) select ctid, * from tids where '(0,3)' = ctid and id > 0;
select ctid, * from tids where '(0,3)' = ctid and id > 0;
explain (costs off) select * from tids where ctid = '(0,2)' or ctid = '(0,4)';
select * from tids where ctid = '(0,4)' or ctid = '(0,2)';
explain (costs off) select * from tids where ctid = any (array['(0,5)', '(0,1)', '(0,5)']::tid[]);
select * from tids where ctid = any (array['(0,5)', '(0,1)', '(0,5)']::tid[]);
explain (costs off) select * from tids where ctid in ('(0,2)', '(0,3)');
select * from tids where ctid in ('(0,3)', '(0,2)', '(9,9)');
explain (costs off) select * from tids where ctid <> all (array['(0,1)']::tid[]);
explain (costs off) select * from tids where (id = 3 and ctid in ('(0,2)', '(0,3)')) or (ctid = '(0,1)' and id = 1);
select * from tids where (id = 3 and ctid in ('(0,2)', '(0,3)')) or (ctid = '(0,1)' and id = 1);
explain (costs off) select ctid from tids where ctid > '(0,2)' and '(0,4)' >= ctid;
select ctid from tids where ctid > '(0,2)' and '(0,4)' >= ctid;
select ctid from tids where ctid >= '(1,0)';
select ctid from tids where ctid < '(0,0)';
select ctid from tids where ctid < null::tid;
select t.ctid, s.c from tids t, lateral (select count(*) c from tids t2 where t2.ctid <= t.ctid) s where t.ctid < '(0,3)';
update tids set id = id + 10 where ctid = '(0,1)';
select ctid, * from tids where ctid = '(0,1)';
explain (costs off) declare c1 cursor for select * from tids where ctid < '(0,3)';
explain (costs off) declare c2 scroll cursor for select count(*) from tids;
drop table tids;
-- x.* in a VALUES list stands for x's columns
select * from (values (1, 2)) t(a, b), lateral (values (t.*)) v;
select * from (values (1, 2)) t(a, b), lateral (values (t.*, 5), (t.*, 6)) v;
create temp table tid_nocols();
insert into tid_nocols default values;
select * from tid_nocols n, lateral (values (n.*)) v;
-- a partitioned table without leaf partitions scans nothing
create table tid_lp (a int, b int) partition by list (a);
create table tid_lp1 partition of tid_lp for values in (1) partition by list (b);
explain (costs off) select * from tid_lp;
explain (costs off) select count(*) from tid_lp;
drop table tid_lp;
