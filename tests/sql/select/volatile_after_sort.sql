-- Volatile target-list expressions are computed after the sort, for the rows returned
create temp sequence vas_seq;
create table vas (u int, t int);
insert into vas select g, 1000 - g from generate_series(1, 1000) g;
select u, t, nextval('vas_seq') from vas order by t limit 5;
select currval('vas_seq');
select u, nextval('vas_seq') as n from vas order by n desc limit 2;
select u, nextval('vas_seq') from vas order by t, u offset 998;
select currval('vas_seq');
drop table vas;
