-- COPY FROM's errors name the line of the row: constraints as the row is read (with the
-- line's text), index conflicts when it is stored (line number only)
create temp table u (a int primary key, b int check (b > 0), c text not null default 'x');
copy u from stdin;
1	1	a
2	2	b
1	3	c
\.
copy u from stdin;
1	1	a
2	-2	b
\.
copy u (a, b, c) from stdin;
3	1	\N
\.
create temp table fkp (a int primary key);
create temp table fkc (a int references fkp);
copy fkc from stdin;
1
\.
create domain dpos as int check (value > 0);
create temp table dt (a dpos);
copy dt from stdin;
1
-1
\.
copy dt from stdin (format csv);
2
""
\.
create temp table pt (a int) partition by list (a);
create temp table pt1 partition of pt for values in (1);
copy pt from stdin;
1
2
\.
copy u from stdin;
5	5	e
5	6	f
\.
copy u from stdin (format csv);
7,7,g
7,8,h
\.
create temp table pu (a int primary key) partition by list (a);
create temp table pu1 partition of pu for values in (1, 2);
copy pu from stdin;
1
2
1
\.
drop domain dpos cascade;
