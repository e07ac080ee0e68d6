-- B-tree deduplication: duplicates are kept as posting lists, so an index of one
-- repeated key is much smaller than one of distinct keys
CREATE TABLE dedup_t (a int, t text, n numeric);
INSERT INTO dedup_t SELECT i, 'same', 1 FROM generate_series(1, 10000) i;
CREATE INDEX dedup_distinct ON dedup_t (a);
CREATE INDEX dedup_const ON dedup_t ((1));
CREATE INDEX dedup_text ON dedup_t (t);
CREATE INDEX dedup_numeric ON dedup_t (n);
CREATE INDEX dedup_off ON dedup_t ((1)) WITH (deduplicate_items = off);
SELECT relname, pg_relation_size(oid) < 131072 AS small FROM pg_class
 WHERE relname LIKE 'dedup\_%' AND relkind = 'i' ORDER BY 1;
SELECT pg_relation_size('dedup_const') AS const_size, pg_relation_size('dedup_text') AS text_size;
