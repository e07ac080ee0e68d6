-- System views over things TuskDB has none of, cursors, and the zone list
select count(*) from pg_prepared_xacts;
select count(*) from pg_stat_wal_receiver;
select count(distinct utc_offset) >= 24 as ok from pg_timezone_names;
select name, is_dst from pg_timezone_names where name in ('UTC', 'Etc/GMT+5') order by 1;
select count(*) from pg_cursors;
begin;
declare c1 cursor for select 1;
declare c2 scroll cursor with hold for select relname from pg_class;
declare c3 cursor for select relname from pg_class order by 1;
declare c4 no scroll cursor for select relname from pg_class;
select name, statement, is_holdable, is_binary, is_scrollable from pg_cursors order by 1;
commit;
select name, is_holdable from pg_cursors;
close c2;
-- the session zone's abbreviations, then the abbreviation set
set timezone = 'America/Los_Angeles';
select * from pg_timezone_abbrevs where abbrev in ('LMT', 'EST', 'ACDT', 'CET', 'MSK');
select abbrev, utc_offset from pg_timezone_abbrevs_zone() where abbrev = 'LMT';
select count(distinct utc_offset) >= 24 as ok from pg_timezone_abbrevs;
set timezone = 'Europe/Moscow';
select * from pg_timezone_abbrevs where abbrev in ('LMT', 'MMT', 'MSK', 'MSD');
reset timezone;
