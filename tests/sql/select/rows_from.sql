-- ROWS FROM with several functions, multi-argument unnest in FROM
select * from rows from(generate_series(1,2), generate_series(1,3));
select * from rows from(generate_series(1,2), generate_series(3,4)) with ordinality g;
select * from rows from(unnest(array[1,2],array['a','b']), sin(1)) with ordinality as z(a,b,c,d);
select * from unnest(array[1,2],array['a','b','c']);
select * from unnest(array[1,2],array['a','b']) with ordinality as u(x, y, o);
select * from (values (1),(2)) v(r), rows from(generate_series(1,r), generate_series(5,6)) order by 1, 2, 3;
select * from rows from(generate_series(1,2), generate_series(1,3)) g(a,b,c,d);
select * from rows from(generate_series(1,2)) g;
-- column definition lists where none is allowed
select * from sin(3) as t(f1 int8, f2 int8);
select * from generate_series(1,2) as t(f1 int8);
select * from rows from(sin(3) as (f1 int8), generate_series(1,2));
select * from rows from(jsonb_to_record('{"a":1}') as (a int), generate_series(1,2));
create type rows_from_pair as (a int, b int);
create function rows_from_tf() returns rows_from_pair language sql as 'select 1, 2';
select * from rows_from_tf() as t(f1 int8, f2 int8);
drop function rows_from_tf();
drop type rows_from_pair;
