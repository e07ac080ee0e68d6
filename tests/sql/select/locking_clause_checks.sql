-- What a row-locking clause cannot be combined with (CheckSelectLocking)
create table lkc (a int, b int);
select a from lkc group by a for update;
select a from lkc group by grouping sets (()) for share;
select distinct a from lkc for update;
select distinct on (a) a from lkc for no key update;
select a from lkc having count(*) > 0 for key share;
select count(*) from lkc for update;
select row_number() over () from lkc for update;
select generate_series(1, 2) from lkc for update;
select a from lkc for update of lkc;
-- renaming a column: descendants first, system column names refused
create table lkc_child (c int) inherits (lkc);
alter table lkc add column c int;
alter table lkc rename column a to c;
alter table lkc rename column a to ctid;
alter table lkc rename column a to xmin;
drop table lkc cascade;
-- a syntax error at the end of the input points after the last character
select 1 +
drop operator === (int4);
