-- publications as catalog objects: options, members, column lists, row filters,
-- psql's \dRp+ and \d+ footers, and the replica identity checks of UPDATE/DELETE
SET client_min_messages = 'ERROR';
CREATE TABLE pt1 (a int PRIMARY KEY, b text, c int);
CREATE TABLE pt2 (x int, y int);
CREATE SCHEMA psch;
CREATE TABLE psch.pt3 (k int);
CREATE VIEW pv AS SELECT 1 AS one;
CREATE PUBLICATION pub_a FOR TABLE pt1 (a, b) WHERE (a > 10), pt2 WITH (publish = 'insert, update');
CREATE PUBLICATION pub_b FOR TABLES IN SCHEMA psch WITH (publish_via_partition_root);
CREATE PUBLICATION pub_all FOR ALL TABLES WITH (publish = insert);
RESET client_min_messages;
\dRp
\dRp+ pub_a
\dRp+ pub_b
\d+ pt1
SELECT * FROM pg_publication_tables ORDER BY 1, 2, 3;
-- errors
CREATE PUBLICATION pub_x WITH (foo);
CREATE PUBLICATION pub_x WITH (publish = 'insert, bogus');
CREATE PUBLICATION pub_x WITH (publish_generated_columns = maybe);
CREATE PUBLICATION pub_x WITH (publish_via_partition_root = 1, publish_via_partition_root = 0);
CREATE PUBLICATION pub_x FOR TABLE pv;
CREATE PUBLICATION pub_x FOR TABLE pt1 (a, a);
CREATE PUBLICATION pub_x FOR TABLE pt1 (a, xmin);
CREATE PUBLICATION pub_x FOR TABLE pt1 (nope);
CREATE PUBLICATION pub_x FOR TABLE pt1 WHERE (a + 1);
CREATE PUBLICATION pub_x FOR TABLE pt1 WHERE (a < random());
CREATE PUBLICATION pub_x FOR TABLE pt1 WHERE (a IN (SELECT 1));
CREATE PUBLICATION pub_x FOR TABLE pt1 WHERE ('(0,1)'::tid = ctid);
CREATE PUBLICATION pub_x FOR TABLE pt1 WHERE (a::text = '1');
CREATE PUBLICATION pub_x FOR TABLE pt1 WHERE (b = current_user);
CREATE PUBLICATION pub_x FOR TABLE pt1 WHERE (c = 1 AND b::varchar < '2' AND a::bigint > 1 AND b ~ 'x' AND a = ANY (ARRAY[1, 2]) AND b = 'x' COLLATE "C") WITH (publish = insert);
SELECT pubname, tablename FROM pg_publication_tables WHERE pubname = 'pub_x';
DROP PUBLICATION pub_x;
CREATE PUBLICATION pub_x FOR TABLE pt1 (a), TABLES IN SCHEMA psch;
CREATE PUBLICATION pub_x FOR TABLE pt1 WHERE (a > 1), pt1;
CREATE PUBLICATION pub_x FOR TABLES IN SCHEMA pg_catalog;
ALTER PUBLICATION pub_all ADD TABLE pt2;
ALTER PUBLICATION pub_a ADD TABLE pt1;
ALTER PUBLICATION pub_a DROP TABLE psch.pt3;
ALTER PUBLICATION pub_a DROP TABLE pt1 WHERE (a > 1);
ALTER PUBLICATION nosuch SET (publish = insert);
-- replica identity
UPDATE pt1 SET b = 'x';
UPDATE pt2 SET y = 1;
DELETE FROM pt2;
ALTER PUBLICATION pub_a SET TABLE pt1 WHERE (c > 0);
UPDATE pt1 SET b = 'x';
ALTER PUBLICATION pub_a SET TABLE pt1 (b, c);
UPDATE pt1 SET b = 'x';
ALTER TABLE pt1 REPLICA IDENTITY FULL;
UPDATE pt1 SET b = 'x';
ALTER PUBLICATION pub_a SET TABLE pt1 WHERE (c > 0);
UPDATE pt1 SET b = 'x';
ALTER TABLE pt1 DROP COLUMN c;
\dRp+ pub_a
-- rename, owner, comment, drop
ALTER PUBLICATION pub_a RENAME TO pub_b;
ALTER PUBLICATION pub_a RENAME TO pub_c;
COMMENT ON PUBLICATION pub_c IS 'renamed';
SELECT pubname, obj_description(oid, 'pg_publication') FROM pg_publication ORDER BY 1;
DROP PUBLICATION pub_c, nosuch;
DROP PUBLICATION IF EXISTS nosuch;
DROP SCHEMA psch CASCADE;
\dRp+ pub_b
DROP PUBLICATION pub_b, pub_all, pub_c;
\dRp
-- a membership depends on the columns of its row filter and column list
CREATE TABLE pt4 (a int, b int, c int);
SET client_min_messages = 'ERROR';
CREATE PUBLICATION pub_dep FOR TABLE pt4 (a, b) WHERE (b > 1);
RESET client_min_messages;
ALTER TABLE pt4 RENAME COLUMN b TO bb;
SELECT * FROM pg_publication_tables WHERE pubname = 'pub_dep';
ALTER TABLE pt4 ALTER COLUMN bb TYPE bigint;
ALTER TABLE pt4 ALTER COLUMN a TYPE bigint;
ALTER TABLE pt4 ALTER COLUMN c TYPE bigint;
ALTER TABLE pt4 DROP COLUMN a CASCADE;
SELECT * FROM pg_publication_tables WHERE pubname = 'pub_dep';
DROP PUBLICATION pub_dep;
