-- COPY options as ProcessCopyOptions checks them, and what they do
CREATE TABLE co (a int, b text DEFAULT 'dflt', c int DEFAULT -1);
COPY co FROM stdin (format csv, FORMAT csv);
\.
COPY co FROM stdin (freeze off, freeze on);
\.
COPY co FROM stdin (force_quote (a), force_quote *);
\.
COPY co FROM stdin (encoding 'sql_ascii', encoding 'sql_ascii');
\.
COPY co FROM stdin (format xml);
\.
COPY co FROM stdin (bogus 1);
\.
COPY co FROM stdin (on_error unsupported);
\.
COPY co TO stdout (on_error ignore);
COPY co FROM stdin (log_verbosity unsupported);
\.
COPY co FROM stdin (format binary, delimiter ',');
\.
COPY co FROM stdin (format binary, null 'x');
\.
COPY co FROM stdin (format binary, on_error ignore);
\.
COPY co FROM stdin (format text, force_quote (a));
\.
COPY co FROM stdin (format csv, force_quote (a));
\.
COPY co TO stdout (format csv, force_not_null (a));
COPY co TO stdout (format csv, force_null *);
COPY co FROM stdin (reject_limit 1);
\.
COPY co FROM stdin (on_error ignore, reject_limit 0);
\.
COPY co TO stdout (header match);
COPY co TO stdout (header 'foo');
COPY co TO stdout (freeze 'x');
COPY co TO stdout (delimiter 'ab');
COPY co TO stdout (delimiter E'\n');
COPY co TO stdout (delimiter 'a');
COPY co TO stdout (null E'\n');
COPY co TO stdout (quote ':');
COPY co TO stdout (format csv, quote 'ab');
COPY co TO stdout (format csv, delimiter ',', quote ',');
COPY co TO stdout (delimiter ',', null 'a,b');
COPY co TO stdout (format csv, null 'a"b');
COPY co TO stdout (freeze);
COPY co TO stdout (default 'x');
COPY co TO stdout (format csv, force_quote 'a');
COPY co TO stdout (encoding 'foo');
COPY co FROM stdin (null 'x', default 'x');
\.
COPY co FROM stdin (delimiter ',', default 'a,');
\.
COPY co FROM stdin (format csv, default '"');
\.
COPY co TO stdout (format csv, force_quote (zz));
COPY co (a) TO stdout (format csv, force_quote (b));
COPY co FROM stdin (format csv, force_null (a, a));
\.
COPY co (a, b, a) FROM stdin;
\.
-- what they do
COPY co FROM stdin (default '\D');
1	\D	10
2	x\	y	20
\.
COPY co FROM stdin (format csv, force_not_null (b), force_null (c), default '\D');
3,,""
4,"\D",\D
\.
COPY co (a, c) FROM stdin (format csv, default '\D');
\D,1
\.
SELECT a, b, b IS NULL AS b_null, c FROM co ORDER BY a;
COPY co TO stdout (format csv, force_quote (b), header);
COPY co (a, c) TO stdout (format csv, force_quote *);
COPY (SELECT 'a"b' AS t, NULL AS u) TO stdout (format csv, force_quote (t), quote '''', escape '\');
COPY (SELECT 1 AS x INTO TEMP zz) TO stdout;
CREATE TABLE co2 (n int, m int[], k int);
COPY co2 FROM stdin (on_error ignore, log_verbosity verbose);
1	{1}	1
a	{2}	2
3	{3}	3333333333
4	{a, 4}	4
5	{5}	5
\.
COPY co2 FROM stdin (on_error ignore);
6	{6}	x
\.
COPY co2 FROM stdin (on_error ignore, reject_limit 1);
x	{7}	7
y	{8}	8
\.
SELECT * FROM co2 ORDER BY n;
COPY co2 FROM stdin (header match);
n	m	k
9	{9}	9
\.
COPY co2 FROM stdin (header match);
n	k	m
\.
COPY co2 FROM stdin (header match);
n	m
\.
COPY co2 TO stdout (encoding 'LATIN1');
CREATE VIEW cov AS SELECT * FROM co;
COPY cov TO stdout;
COPY cov FROM stdin;
\.
CREATE SEQUENCE cos;
COPY cos TO stdout;
CREATE TABLE coe (t text);
COPY coe FROM stdin (encoding 'EUC_JP');
a
あ
\.
COPY coe FROM stdin (encoding 'LATIN1');
あ
\.
SELECT t, length(t) FROM coe;
CREATE TABLE cow (a int, b int DEFAULT 7);
COPY cow TO stdout WHERE a = 1;
COPY cow FROM stdin WHERE f > 1;
\.
COPY cow FROM stdin WHERE a = max(cow.b);
\.
COPY cow FROM stdin WHERE a IN (SELECT 1 FROM cow);
\.
COPY cow FROM stdin WHERE a IN (generate_series(1,5));
\.
COPY cow FROM stdin WHERE a = row_number() over(b);
\.
COPY cow FROM stdin WHERE a + 1;
\.
COPY cow (a) FROM stdin WHERE a > 2 AND b = 7;
1
3
\N
5
\.
SELECT * FROM cow ORDER BY a;
