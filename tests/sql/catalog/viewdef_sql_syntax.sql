-- pg_get_viewdef: functions called with SQL syntax print back in that syntax
create table vs (ts timestamptz, tt timestamp, s text, b bytea, i interval, tz timetz,
  bs bit varying);
create view vs1 as select ts at time zone 'UTC' as a, tt at local as b,
  extract(year from ts) as c, extract(epoch from i) as c2, extract(hour from tz) as c3,
  overlay(s placing 'x' from 2 for 3) as d, overlay(s placing 'x' from 2) as d2,
  overlay(b placing 'x' from 2) as d3,
  position('a' in s) as e, position('\x01'::bytea in b) as e2,
  substring(s from 2 for 3) as f, substring(s from 2) as f2, substring(s for 3) as f3,
  substring(s similar 'a' escape '#') as f4, substring(bs from 1 for 2) as f5,
  trim(s) as g, trim(both 'x' from s) as g2, trim(leading from s) as g3,
  trim(trailing 'y' from s) as g4, trim(leading 'x'::bytea from b) as g5,
  s is normalized as h, s is nfkc normalized as h2, s is not normalized as h3,
  normalize(s) as j, normalize(s, nfd) as j2,
  (ts, i) overlaps (ts, ts) as m,
  substring(s, 2, 3) as n, btrim(s) as n2, timezone('UTC', ts) as n3, "left"(s, 2) as n4
  from vs;
select pg_get_viewdef('vs1', true);
select pg_get_viewdef('vs1', false);
create view vs2 as select current_date as k1, current_time as k2, current_time(2) as k3,
  current_timestamp as k4, current_timestamp(1) as k5, localtime as k6, localtime(3) as k7,
  localtimestamp as k8, localtimestamp(0) as k9, current_role as l1, current_user as l2,
  user as l3, session_user as l4, current_catalog as l5, current_schema as l6;
select pg_get_viewdef('vs2', true);
create view vs3 as select (ts + i) at time zone 'UTC' as a, (tt + i) at local as b,
  extract(year from ts + i) as c, overlay(s || 'a' placing 'x' || s from 2 for 3) as d,
  position('a' || s in s || 'b') as e, substring(s || 'a' similar 'a' || s escape '#') as f,
  trim(both 'x' || s from s || 'y') as g, (s || 'a') is normalized as h,
  normalize(s || 'a', nfd) as j, (ts + i, i) overlaps (ts, ts + i) as m,
  extract(hour from tz) + 1 as o, -extract(hour from tz) as o2,
  (ts at time zone 'UTC') + i as q, ts at time zone 'UTC' is null as r,
  not s is normalized as r2, 'a\b' as bs
  from vs;
select pg_get_viewdef('vs3', true);
select pg_get_viewdef('vs3', false);
select localtimestamp(0) = date_trunc('second', localtimestamp(0)) as whole_seconds;
