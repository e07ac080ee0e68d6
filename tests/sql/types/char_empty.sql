select ''::"char", length(''::"char"::text), '\000'::"char" = ''::"char";
create table cc(c "char");
insert into cc values (''),('x'),(null);
select c, c = '', length(c::text) from cc order by c;
select count(*) from pg_attribute where attidentity not in ('', 'a', 'd');
