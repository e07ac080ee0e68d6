-- pg_indexam_has_property, pg_index_has_property, pg_index_column_has_property
SELECT a.amname, p, pg_indexam_has_property(a.oid, p)
  FROM pg_am a, unnest(ARRAY['can_order', 'can_unique', 'can_multi_col', 'can_exclude',
                             'can_include', 'CAN_ORDER', 'asc', 'clusterable', 'bogus']) p
  WHERE a.amtype = 'i' ORDER BY 1, 2;
SELECT pg_indexam_has_property(2, 'can_order'), pg_indexam_has_property(999999, 'can_order');
CREATE TABLE amp (a int, b int, d text, e int, r int4range);
CREATE INDEX amp_bt ON amp (a DESC NULLS LAST, b NULLS FIRST, (a + b)) INCLUDE (d, e);
CREATE INDEX amp_h ON amp USING hash (a);
CREATE INDEX amp_g ON amp USING gist (r);
SELECT i, col, p, pg_index_column_has_property(i::regclass, col, p)
  FROM unnest(ARRAY['amp_bt', 'amp_h', 'amp_g']) WITH ORDINALITY i(i, o),
       generate_series(0, 6) col,
       unnest(ARRAY['asc', 'desc', 'nulls_first', 'nulls_last', 'orderable',
                    'distance_orderable', 'returnable', 'search_array', 'search_nulls',
                    'ASC', 'bogus', 'can_order', 'clusterable']) p
  WHERE col <= 2 OR i = 'amp_bt'
  ORDER BY o, col, p;
SELECT i, p, pg_index_has_property(i::regclass, p)
  FROM unnest(ARRAY['amp_bt', 'amp_h', 'amp_g']) WITH ORDINALITY i(i, o),
       unnest(ARRAY['clusterable', 'index_scan', 'bitmap_scan', 'backward_scan',
                    'CLUSTERABLE', 'can_order', 'asc', 'bogus']) p
  ORDER BY o, p;
SELECT pg_index_has_property('amp'::regclass, 'clusterable'),
       pg_index_column_has_property('amp'::regclass, 1, 'asc');
DROP TABLE amp;
