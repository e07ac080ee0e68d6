-- ANALYZE fills pg_statistic's slots: most common values, histogram, correlation
CREATE TABLE st (a int, b int, c text, d int[]);
INSERT INTO st SELECT g % 3, g, (g % 7)::text, ARRAY[g % 2] FROM generate_series(1, 20) g;
INSERT INTO st VALUES (NULL, NULL, NULL, NULL);
ANALYZE st;
SELECT attname, null_frac, n_distinct, most_common_vals, most_common_freqs, histogram_bounds,
       correlation
  FROM pg_stats WHERE tablename = 'st' ORDER BY attname;
SELECT staattnum, stakind1, staop1, stacoll1, stakind2, staop2, stacoll2, stakind3, staop3
  FROM pg_statistic WHERE starelid = 'st'::regclass AND staattnum < 4 ORDER BY staattnum;
SELECT attname, to_json(histogram_bounds), to_jsonb(most_common_vals)
  FROM pg_stats WHERE tablename = 'st' ORDER BY attname;
CREATE TEMP TABLE rows AS SELECT x, 'txt' || x AS y FROM generate_series(1, 3) x;
ANALYZE rows;
SELECT attname, to_json(histogram_bounds) histogram_bounds
  FROM pg_stats
 WHERE tablename = 'rows' AND schemaname = pg_my_temp_schema()::regnamespace::text
 ORDER BY 1;
TRUNCATE st;
INSERT INTO st SELECT 20 - g, g % 2, 'x' FROM generate_series(1, 10) g;
ANALYZE st;
SELECT attname, most_common_vals, most_common_freqs, histogram_bounds, correlation
  FROM pg_stats WHERE tablename = 'st' ORDER BY attname;
