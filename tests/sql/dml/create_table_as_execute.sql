-- CREATE TABLE AS EXECUTE and EXECUTE's parameter coercion
create table ctae (a int, b text);
insert into ctae values (1, 'one'), (2, 'two'), (3, 'three');
prepare ctae_q(int, text) as select * from ctae where a >= $1 or b = $2 order by a;
create temp table ctae_r as execute ctae_q(2, 'one');
select * from ctae_r;
create table ctae_n as execute ctae_q(2, 'one') with no data;
select * from ctae_n;
create table ctae_r2 (x, y) as execute ctae_q(3, 'x');
select * from ctae_r2;
execute ctae_q(true, 'x');
execute ctae_q(1, 'x', 3);
prepare ctae_u(int) as update ctae set a = a where a = $1;
create table ctae_bad as execute ctae_u(1);
select name, statement from pg_prepared_statements order by name;
deallocate all;
drop table ctae, ctae_r, ctae_n, ctae_r2;
