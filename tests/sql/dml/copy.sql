-- COPY FROM STDIN / TO STDOUT: text and CSV formats, NULLs, headers, errors
CREATE TABLE c (id int, name text, amount numeric(6,2), day date);
COPY c FROM stdin;
1	ann	10.50	2024-01-01
2	\N	0	2024-02-29
3	tab\there	-1.5	\N
\.
SELECT * FROM c ORDER BY id;
COPY c TO stdout;
COPY c (id, name) TO stdout WITH (FORMAT csv, HEADER);
COPY c FROM stdin WITH (FORMAT csv);
4,"quoted, comma",1,2024-03-01
5,,2,2024-03-02
6,"",3,
\.
SELECT id, name IS NULL AS name_null, name = '' AS name_empty FROM c WHERE id >= 4 ORDER BY id;
COPY c FROM stdin;
7	bad	notanumber	2024-01-01
\.
COPY c FROM stdin;
8	too	few
\.
SELECT count(*) FROM c;
COPY (SELECT id, amount * 2 AS doubled FROM c WHERE amount > 0 ORDER BY id) TO stdout WITH (FORMAT csv);
COPY c TO stdout WITH (DELIMITER '|', NULL 'NULL');
COPY nosuch FROM stdin;
COPY c (nosuch) TO stdout;
