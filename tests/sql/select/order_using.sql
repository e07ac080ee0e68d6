-- ORDER BY ... USING in queries and aggregates: < ascends, > descends
SELECT x FROM (VALUES (2), (1), (3)) v(x) ORDER BY x USING >;
SELECT array_agg(x ORDER BY x USING >), array_agg(x ORDER BY x USING <),
       string_agg(x::text, ',' ORDER BY x USING > NULLS LAST)
FROM (VALUES (2), (1), (NULL), (3)) v(x);
SELECT json_agg(x ORDER BY x USING >) FROM (VALUES (2), (1), (3)) v(x);
SELECT json_arrayagg(x ORDER BY x USING >) FROM (VALUES (2), (1), (3)) v(x);
SELECT array_agg(t ORDER BY t USING ~>~) FROM (VALUES ('b'), ('a'), ('c')) v(t);
SELECT array_agg(x ORDER BY x USING =) FROM (VALUES (2), (1)) v(x);
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x USING >) FROM (VALUES (2), (1), (3), (4)) v(x);
