-- AT TIME ZONE / AT LOCAL written as SQL syntax are shown that way
create temp table tmptz (f1 timestamptz primary key);
explain (costs off) select * from tmptz where f1 at time zone 'utc' = '2017-01-18 00:00';
explain (costs off) select * from tmptz where f1 at local = '2017-01-18 00:00';
explain (costs off) select * from tmptz where timezone('utc', f1) = '2017-01-18 00:00';
