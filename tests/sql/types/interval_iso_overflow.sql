-- interval input: ISO 8601 formats, field overflow vs interval overflow, typmods
SELECT interval 'P00021015T103020' AS basic, interval 'P0002-10-15T10:30:20' AS extended;
SELECT interval 'P0002', interval 'P0002-10', interval 'P0002-10-15', interval 'P0002T1S',
       interval 'P0002-10T1S', interval 'P0002-10-15T1S', interval 'PT10', interval 'PT10:30';
SELECT interval 'P1Y0M3DT4H5M6S', interval 'P.1Y', interval 'P10.5e4Y', interval 'P1.5W',
       interval 'PT1.5H', interval 'P-1Y-2M', interval 'PT103020';
SELECT interval 'P.Y0M3DT4H5M6S';
SELECT interval 'P1Y2';
SELECT interval 'P0002-10-15T10:30:20x';
SELECT interval 'PT2562047788.0152155019444', interval 'PT-2562047788.0152155022222';
SELECT interval 'P2147483648';
SELECT interval 'P-2147483649';
SELECT interval 'P1-2147483647-2147483647';
SELECT interval 'PT2562047789';
SELECT interval 'P0.1-2147483647-00';
SELECT interval 'P00-0.1-2147483647';
SELECT interval 'PT2562047788:01.:54.775807';
SELECT interval '2147483647 years';
SELECT interval '-2147483648 years';
SELECT interval '178956970 years 7 months', interval '-178956970 years -8 months';
SELECT interval '178956970 years 8 months';
SELECT interval '2147483648 years';
SELECT interval '-2147483648 days ago';
SELECT interval '2147483647 months 2147483647 days 9223372036854775807 us';
-- the typmod decides what a bare number means, and rounds the seconds
SELECT interval '1 2' day to hour, interval '1 2:03' day to hour, interval '1 2' hour;
SELECT interval '1 2' hour to minute;
SELECT interval '1 2' day;
SELECT interval '1 2' minute to second;
SELECT '1 2'::interval day to hour;
SELECT interval '2562047788:00:54.775807' second(2);
SELECT interval '-2562047788:00:54.775807' second(2);
SELECT interval '2562047788:00:54.775807' second(6), interval '1.999999' second(5);
-- make_interval and extract
SELECT make_interval(secs := 1e308);
SELECT make_interval(secs := 1e18);
SELECT make_interval(years := 178956971);
SELECT make_interval(weeks := 306783379);
SELECT extract(quarter FROM interval '-34 years'), extract(quarter FROM interval '-3 months'),
       extract(quarter FROM interval '0 months'), extract(quarter FROM interval '-1 year 2 months'),
       extract(quarter FROM interval '1 year 5 months');
SELECT interval_hash('30 days'::interval) = interval_hash('1 month'::interval) AS t,
       interval_hash('1 month'), interval_hash('-5 years 3 us'), interval_hash('infinity');
