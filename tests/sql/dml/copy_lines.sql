-- COPY FROM's line reading: line endings (\n, \r\n, \r) and their errors, the
-- end-of-copy marker in text and CSV formats, quoted CSV fields across lines
CREATE TEMP TABLE cl (x text);
CREATE TEMP TABLE cl2 (x text, y int);
-- \r\n line endings
COPY cl FROM stdin;
a
b
\.
SELECT json_agg(x) FROM cl;
TRUNCATE cl;
-- a lone newline after \r\n lines
COPY cl FROM stdin;
a
b
\.
-- \r line endings, then a newline
COPY cl FROM stdin;
ab
\.
-- a carriage return after newline-ended lines
COPY cl FROM stdin;
a
bc
\.
SELECT count(*) FROM cl;
-- a backslash escapes a line ending: the value holds it
COPY cl FROM stdin;
a
b\
c
d\\
\.
SELECT json_agg(x) FROM cl;
TRUNCATE cl;
-- in text format \. must be alone on its line
COPY cl FROM stdin;
line1
foo\.
line2
\.
COPY cl FROM stdin;
line1
\.foo
line2
\.
SELECT count(*) FROM cl;
-- in CSV format \. is data (psql ends the data at a line holding only \.)
COPY cl FROM stdin (FORMAT csv);
line1
foo\.
"\."
\.x
\.
SELECT json_agg(x ORDER BY x COLLATE "C") FROM cl;
TRUNCATE cl;
-- quoted CSV fields hold line endings; each counts as a line
COPY cl2 FROM stdin (FORMAT csv);
"ab
cd",1
"ef
gh",2
x,y
\.
COPY cl2 FROM stdin (FORMAT csv);
"ab
cd",1
x,y
\.
COPY cl2 FROM stdin (FORMAT csv);
"ab
cd",1
"ef
gh",2
\.
SELECT json_agg(x ORDER BY y) FROM cl2;
-- unquoted line endings that do not match
COPY cl2 FROM stdin (FORMAT csv);
a,1
b,2
\.
COPY cl2 FROM stdin (FORMAT csv);
a,1
b,2
\.
-- an open quote at the end of the data
COPY cl2 FROM stdin (FORMAT csv);
a,1
"b,2
\.
-- an escape other than the quote
COPY cl FROM stdin (FORMAT csv, QUOTE '''', ESCAPE '\');
'a\'b'
'c\\d'
'e''f'
\.
SELECT json_agg(x ORDER BY x) FROM cl;
-- long lines are cut in the error's context
COPY cl2 FROM stdin;
xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
\.
COPY cl2 FROM stdin (FORMAT csv);
1,yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
\.
-- a header's column names are escaped like the data
CREATE TEMP TABLE clh (c1 int, "tab:	x" text, "back\slash" text);
COPY clh TO stdout (HEADER);
COPY clh TO stdout (FORMAT csv, HEADER);
-- octal and hex escapes stand for bytes, checked as the server encoding's text
CREATE TEMP TABLE ce (a text, b int);
COPY ce FROM stdin;
\x41\101\x4	1
\x80	2
\.
COPY ce FROM stdin;
\303\251	3
\.
COPY ce FROM stdin;
\0	4
\.
COPY ce FROM stdin;
\303(	5
\.
COPY ce FROM stdin;
a\	b	6
x	\\N
\.
COPY ce FROM stdin;
a\	b	6
\.
COPY ce FROM stdin (DELIMITER '|');
q\|r|7
\.
SELECT a, length(a), b FROM ce ORDER BY b;
COPY ce TO stdout (DELIMITER '|');
