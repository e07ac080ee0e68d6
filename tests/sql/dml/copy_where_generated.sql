-- COPY FROM ... WHERE may not read generated columns (stored or virtual)
CREATE TABLE cg (a int, b int GENERATED ALWAYS AS (a * 2) STORED, c int,
                 d int GENERATED ALWAYS AS (a + 1) VIRTUAL);
COPY cg FROM stdin WHERE b <> 10;
\.
COPY cg FROM stdin WHERE d > 1;
\.
COPY cg FROM stdin WHERE cg IS NULL;
\.
COPY cg FROM stdin WHERE c > 0 AND d < 5;
\.
COPY cg (a, c) FROM stdin WHERE a + c > 3;
1	1
2	2
3	3
\.
SELECT * FROM cg;
-- COPY (SELECT INTO) is refused before the file name is looked at
COPY (SELECT 1 INTO frak UNION SELECT 2) TO 'blob';
COPY (SELECT 1 INTO frak) TO stdout;
