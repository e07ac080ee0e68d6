-- CREATE TYPE with LANGUAGE internal I/O functions, CREATE CAST / DROP CAST
create type shellt;
create function f1(shellt) returns int language sql as 'select 1';
create function f2() returns shellt language sql as 'select null';
create function f4(cstring) returns int language internal strict immutable as 'int4in';
select f4('12');
create type shellt (input = f4, output = int4out);
create function f5(cstring) returns shellt language internal strict immutable as 'int4in';
create type shellt (input = f5, output = int4out);
create function f6(shellt) returns cstring language internal strict immutable as 'int4out';
create type shellt (input = f5, output = f6, like = float4);
select typlen, typbyval, typalign, typstorage, typcategory, typinput, typoutput, typreceive, typsend, typarray::regtype from pg_type where typname='shellt';
select '12'::shellt;
select 12::shellt;
create cast (shellt as int) without function;
create cast (int as shellt) without function;
select 12::shellt, 12::shellt::int + 1;
create cast (shellt as text) without function;
create cast (shellt as int8) without function;
create cast (shellt as int) without function;
create cast (int as int) without function;
create cast (int4 as bool) without function;
select pg_describe_object('pg_cast'::regclass, oid, 0), castcontext, castmethod, castfunc from pg_cast where castsource='shellt'::regtype;
drop cast (shellt as int);
drop cast (shellt as int);
drop cast if exists (shellt as int);
drop type shellt;
drop type shellt cascade;
drop function f4(cstring);
-- bit patterns through a binary-coercible cast chain (int4 -> xf4 -> float4)
create type xf4;
create function xf4in(cstring) returns xf4 immutable strict language internal as 'int4in';
create function xf4out(xf4) returns cstring immutable strict language internal as 'int4out';
create type xf4 (input = xf4in, output = xf4out, like = no_such_type);
create type xf4 (input = xf4in, output = xf4out, like = float4);
create cast (xf4 as float4) without function;
create cast (float4 as xf4) without function;
create cast (xf4 as integer) without function;
create cast (integer as xf4) without function;
select float4send(x'00000001'::int::xf4::float4), x'00000001'::int::xf4::float4,
       x'3f800000'::int::xf4::float4, 1.5::float4::xf4::int;
select '7'::xf4, xf4in('8'), xf4out('9'::xf4);
-- a text-like type: implicit binary cast, I/O cast, function casts
create type ctt;
create function ctt_in(cstring) returns ctt as 'textin' language internal strict immutable;
create function ctt_out(ctt) returns cstring as 'textout' language internal strict immutable;
create type ctt (internallength = variable, input = ctt_in, output = ctt_out, alignment = int4);
create function cttfunc(ctt) returns int4 language sql as $$ select 1; $$;
select cttfunc('foo'::text);
create cast (text as ctt) without function;
select cttfunc('foo'::text);
select cttfunc('foo'::text::ctt);
drop cast (text as ctt);
create cast (text as ctt) without function as implicit;
select cttfunc('foo'::text);
select 1234::int4::ctt;
create cast (int4 as ctt) with inout;
select 1234::int4::ctt;
drop cast (int4 as ctt);
create function int4_ctt(int4) returns ctt language sql as $$ select ('foo'::text || $1::text)::ctt; $$;
create cast (int4 as ctt) with function int4_ctt(int4) as implicit;
select 1234::int4::ctt;
drop function int4_ctt(int4);
drop function int4_ctt(int4) cascade;
create function bar_int4_text(int4) returns text language sql as $$ select ('bar'::text || $1::text); $$;
create cast (int4 as ctt) with function bar_int4_text(int4) as implicit;
select 1234::int4::ctt;
select pg_describe_object(classid, objid, objsubid) as obj,
       pg_describe_object(refclassid, refobjid, refobjsubid) as objref, deptype
from pg_depend where classid = 'pg_cast'::regclass and
  objid = (select oid from pg_cast where castsource = 'int4'::regtype and casttarget = 'ctt'::regtype)
order by refclassid;
create function volf(int4) returns ctt volatile language sql as $$ select null::ctt $$;
create cast (int8 as ctt) with function volf(int4);
create cast (int4 as xf4) with function volf(int4);
drop type xf4 cascade;
drop type ctt cascade;
drop function bar_int4_text(int4);
-- dropping an I/O function takes its type along
create type sq;
create function sqin(cstring) returns sq language internal strict immutable as 'int4in';
create function sqout(sq) returns cstring language internal strict immutable as 'int4out';
create type sq (input = sqin, output = sqout, like = int4);
create table sqt (a sq);
insert into sqt values ('42');
select a, a is null from sqt;
drop function sqin(cstring);
drop function sqout(sq) cascade;
select * from sqt;
drop table sqt;
