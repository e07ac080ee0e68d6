-- COPY FROM/TO PROGRAM: the command's output is the data / the data is its input;
-- a failing command is an error once the data is handled
CREATE TABLE cp (a int, b text);
COPY cp FROM PROGRAM 'printf "1\tx\n2\ty\n"';
COPY cp TO PROGRAM 'cat > /dev/null';
COPY cp TO PROGRAM 'cat > /dev/null' (FORMAT csv, HEADER);
COPY cp FROM PROGRAM 'exit 3';
COPY cp TO PROGRAM 'exit 4';
COPY cp FROM PROGRAM 'echo bad';
COPY (SELECT 1) TO PROGRAM 'false';
COPY cp FROM PROGRAM 'kill -9 $$';
COPY cp FROM PROGRAM 'printf "5\tz\n"; exit 2';
COPY cp FROM PROGRAM 'nosuchcommand_x 2>/dev/null';
COPY cp (a) FROM PROGRAM 'printf "7\n3\n"' WHERE a > 5;
SELECT * FROM cp ORDER BY a;
-- the relation (or query) is checked before the file
COPY nosuch FROM '/nonexistent/file';
COPY nosuch TO 'relative';
COPY cp TO 'relative';
COPY (SELECT * FROM nosuch) TO 'relative';
COPY cp FROM 'relative';
-- server-side files and programs need the pg_*_server_* roles' privileges
CREATE ROLE regress_copyprog_nobody;
CREATE ROLE regress_copyprog_reader IN ROLE pg_read_server_files;
GRANT ALL ON cp TO regress_copyprog_nobody, regress_copyprog_reader;
SET ROLE regress_copyprog_nobody;
COPY cp FROM PROGRAM 'true';
COPY cp TO PROGRAM 'true';
COPY cp FROM '/nonexistent/file';
COPY cp TO '/nonexistent/file';
COPY cp TO stdout;
SET ROLE regress_copyprog_reader;
COPY cp FROM '/nonexistent/file';
COPY cp TO '/nonexistent/file';
RESET ROLE;
DROP TABLE cp;
DROP ROLE regress_copyprog_nobody;
DROP ROLE regress_copyprog_reader;
