-- A view whose GROUP BY relies on a primary key depends on that constraint
create table fdt (id int primary key, x text, y int);
insert into fdt values (1, 'a', 10), (2, 'b', 20);
create view fdt_v1 as select id, x, sum(y) from fdt group by id;
create view fdt_v2 as select * from fdt_v1;
select * from fdt_v2 order by id;
alter table fdt drop constraint fdt_pkey;
alter table fdt drop constraint fdt_pkey restrict;
alter table fdt drop constraint fdt_pkey cascade;
select * from fdt_v1;
alter table fdt add primary key (id);
prepare fdt_q as select id, x from fdt group by id;
execute fdt_q;
alter table fdt drop constraint fdt_pkey;
execute fdt_q;
deallocate fdt_q;
drop table fdt;
