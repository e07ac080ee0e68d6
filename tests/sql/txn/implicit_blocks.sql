-- Which statements count as inside a transaction block: BEGIN ... COMMIT, the implicit
-- block of a query string of several statements, and an extended-protocol pipeline
-- after its first statement.
CREATE TABLE ib (a int);
CREATE INDEX ib_a ON ib (a);
-- SET LOCAL outside a block warns and lasts only for the statement's transaction
SET LOCAL work_mem = '2MB';
SHOW work_mem;
SET LOCAL work_mem = '2MB' \; SHOW work_mem;
SHOW work_mem;
BEGIN;
SET LOCAL work_mem = '2MB';
SHOW work_mem;
COMMIT;
SHOW work_mem;
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
SET CONSTRAINTS ALL DEFERRED;
-- LOCK needs a block; several statements in one query string are one
LOCK TABLE ib;
LOCK TABLE ib \; SELECT 1;
SELECT 1 \; LOCK TABLE ib;
-- VACUUM and friends cannot run inside one
SELECT 1 \; VACUUM ib;
VACUUM ib \; SELECT 1;
SELECT 1 \; REINDEX TABLE CONCURRENTLY ib;
SELECT 1 \; CREATE INDEX CONCURRENTLY ON ib (a);
REINDEX TABLE CONCURRENTLY ib;
-- pipelines: the first statement is not in a block, the later ones are
\startpipeline
SET LOCAL statement_timeout = '1h' \bind \sendpipeline
SHOW statement_timeout \bind \sendpipeline
\syncpipeline
SHOW statement_timeout \bind \sendpipeline
SET LOCAL statement_timeout = '2h' \bind \sendpipeline
SHOW statement_timeout \bind \sendpipeline
\endpipeline
SHOW statement_timeout;
\startpipeline
SELECT $1 \bind 1 \sendpipeline
REINDEX TABLE CONCURRENTLY ib \bind \sendpipeline
SELECT $1 \bind 2 \sendpipeline
\endpipeline
\startpipeline
REINDEX TABLE CONCURRENTLY ib \bind \sendpipeline
SELECT $1 \bind 2 \sendpipeline
\endpipeline
\startpipeline
LOCK ib \bind \sendpipeline
SELECT $1 \bind 2 \sendpipeline
\endpipeline
\startpipeline
SELECT $1 \bind 1 \sendpipeline
LOCK ib \bind \sendpipeline
SELECT $1 \bind 2 \sendpipeline
\endpipeline
\startpipeline
VACUUM ib \bind \sendpipeline
SELECT $1 \bind 2 \sendpipeline
\endpipeline
\startpipeline
SELECT 1 \bind \sendpipeline
VACUUM ib \bind \sendpipeline
\endpipeline
\startpipeline
SELECT 1 \bind \sendpipeline
\syncpipeline
VACUUM ib \bind \sendpipeline
\endpipeline
\startpipeline
SHOW work_mem \bind \sendpipeline
DECLARE c CURSOR FOR SELECT 1 \bind \sendpipeline
\endpipeline
