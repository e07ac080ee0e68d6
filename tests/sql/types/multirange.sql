-- multirange types: input/output, canonical form, operators, functions, aggregates
SELECT '{[1,3), [2,5), empty, [7,8]}'::int4multirange;
SELECT '  {}  '::nummultirange, '{(,)}'::datemultirange;
SELECT '{[1,2),}'::int4multirange;
SELECT '{(],a)}'::int4multirange;
SELECT 'x'::int4multirange;
SELECT nummultirange(), nummultirange(numrange(1,2), numrange(3,4)), int4multirange(VARIADIC '{}'::int4range[]);
SELECT int4multirange(int4range(1,2), NULL);
SELECT int4range(1,5)::int4multirange, multirange(daterange('2020-01-01', '2020-02-01'));
SELECT '{[1,5), [8,10)}'::int4multirange + '{[4,9)}', '{[1,5), [8,10)}'::int4multirange - '{[2,3)}', '{[1,5), [8,10)}'::int4multirange * '{[4,9)}';
SELECT '{[1,5), [8,10)}'::int4multirange @> 4, '{[1,5), [8,10)}'::int4multirange @> int4range(5,8), int4range(0,20) @> '{[1,5), [8,10)}'::int4multirange;
SELECT '{[1,5)}'::int4multirange && int4range(4,6), '{[1,5)}'::int4multirange << '{[6,7)}', '{[1,5)}'::int4multirange -|- int4range(5,7), int4range(-1,1) -|- '{[1,2),[5,6)}'::int4multirange;
SELECT lower('{[1,5), [8,10)}'::int4multirange), upper('{[1,5), [8,10)}'::int4multirange), isempty('{}'::int4multirange), lower_inf('{(,3)}'::int4multirange), upper_inc('{}'::int4multirange);
SELECT range_merge('{[1,5), [8,10)}'::int4multirange), range_merge('{}'::int4multirange);
SELECT * FROM unnest('{[1,5), [8,10)}'::int4multirange);
SELECT range_agg(r), range_intersect_agg(r) FROM (VALUES (int4range(1,5)), (int4range(3,8)), (NULL)) t(r);
SELECT range_agg(m) FROM (VALUES ('{[1,2)}'::int4multirange), ('{[5,6)}')) t(m);
SELECT m FROM (VALUES ('{[1,2),[5,6)}'::int4multirange), ('{}'), ('{[1,2)}'), ('{[1,3)}')) t(m) ORDER BY m;
SELECT pg_typeof(lower('{[1,2)}'::nummultirange)), pg_typeof(range_merge('{[1,2)}'::tsmultirange));
