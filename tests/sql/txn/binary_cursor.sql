-- DECLARE BINARY CURSOR: pg_cursors.is_binary, rows sent in binary by FETCH
BEGIN;
DECLARE b BINARY CURSOR FOR SELECT 7::int4 AS a, 'x'::text AS t;
SELECT name, statement, is_holdable, is_binary, is_scrollable FROM pg_cursors;
FETCH b;
COMMIT;
