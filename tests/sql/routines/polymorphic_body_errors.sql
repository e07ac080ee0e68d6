-- a polymorphic SQL function's body is analyzed for the actual argument types at the
-- call: its errors point into the body (during inlining, or naming the statement)
create function polyf(x anyelement) returns anyelement as $$
  select x + 1
$$ language sql;
select polyf(point(3,4));
drop function polyf(x anyelement);
create function polyf2(x anyelement) returns anyelement as $$
  select 1; select x + 1
$$ language sql;
select polyf2(point(3,4));
create function polyf3(x anyelement) returns setof anyelement as $$
  select x + 1 from generate_series(1,2)
$$ language sql;
select * from polyf3(point(3,4));
select polyf3(point(3,4));
