-- pg_basetype, domain constraint spellings, ADD COLUMN of a constrained domain
create domain dmc_text as text;
create domain dmc_child as dmc_text;
select pg_basetype('dmc_text'::regtype), pg_basetype('dmc_child'::regtype),
       pg_basetype('int4'::regtype), pg_basetype(1);
create domain dmc_nn as int constraint nn1 not null constraint nn2 not null;
create domain dmc_null as int null null;
create domain dmc_conf as int not null null;
create domain dmc_enf as int constraint c check (value > 0) enforced;
create domain dmc_nenf as int constraint c check (value > 0) not enforced;
create domain dmc_str as text not null;
create domain dmc_str2 as text check (value <> 'foo') default 'foo';
create domain dmc_str3 as text check (value <> 'foo') default 'bar';
create table dmc_t (a int);
insert into dmc_t values (1), (2);
alter table dmc_t add column c dmc_str;
alter table dmc_t add column d dmc_str2;
alter table dmc_t add column e dmc_str3;
select * from dmc_t order by a;
create table dmc_empty (a int);
alter table dmc_empty add column c dmc_str;
-- COPY names the line of a row that violates a constraint
create table dmc_copy (a int not null, b int check (b > 0));
copy dmc_copy from stdin;
1	5
\N	2
\.
copy dmc_copy from stdin;
1	5
2	-1
\.
select lgamma(float8 '0');
select lgamma(float8 '-1');
select lgamma(float8 'inf');
drop table dmc_t, dmc_empty, dmc_copy;
drop domain dmc_child, dmc_text, dmc_null, dmc_str, dmc_str2, dmc_str3;
