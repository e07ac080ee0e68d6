-- DROP RULE: only views' _RETURN rules exist, and they go with their view
create table drt (a int);
create view drt_v as select 1 as x;
drop rule nonesuch on drt;
drop rule if exists nonesuch on drt;
drop rule nonesuch on noplace;
drop rule if exists nonesuch on noplace;
drop rule nonesuch on nosuchschema.noplace;
drop rule if exists nonesuch on nosuchschema.noplace;
drop rule "_RETURN" on drt_v;
drop view drt_v;
drop table drt;
