-- geometric operators and functions (PostgreSQL's fuzzy EPSILON comparisons)
CREATE TABLE g (id int, p point, s lseg, l line, b box, pa path, po polygon, c circle);
INSERT INTO g VALUES
  (1, '(0,0)', '[(1,2),(3,4)]', '{0,-1,5}', '(2,2),(0,0)', '[(1,2),(3,4)]',
      '((2,0),(2,4),(0,0))', '<(5,1),3>'),
  (2, '(-3,4)', '[(0,0),(6,6)]', '{1,0,5}', '(3,3),(1,1)', '((1,2),(3,4))',
      '((3,1),(3,3),(1,0))', '<(1,2),100>'),
  (3, '(5.1,34.5)', '[(10,-10),(-3,-4)]', '{1,-1,0}', '(-2,2),(-8,-10)',
      '[(0,0),(3,0),(4,5),(1,6)]', '((1,2),(7,8),(5,6),(3,-4))', '<(1,3),5>'),
  (4, '(1e-300,-1e-300)', '[(-10,2),(-10,3)]', '{-0.4,-1,-6}', '(2.5,3.5),(2.5,2.5)',
      '((10,20))', '((0,0))', '<(3,5),0>'),
  (5, '(NaN,NaN)', '[(NaN,1),(NaN,90)]', '{3,NaN,5}', '(3,3),(3,3)', '[(11,12),(13,14)]',
      '((0,1),(0,1))', '<(3,5),NaN>');
SET extra_float_digits = -3;
SELECT a.id, b.id, a.p <-> b.p AS pp, a.p <-> b.s AS ps, a.p <-> b.l AS pl, a.p <-> b.b AS pb,
       a.p <-> b.pa AS ppath, a.p <-> b.po AS ppoly, a.p <-> b.c AS pc
  FROM g a, g b ORDER BY 1, 2;
SELECT a.id, b.id, a.p ## b.s AS ps, a.p ## b.l AS pl, a.p ## b.b AS pb, a.s ## b.s AS ss,
       a.s ## b.b AS sb, a.l ## b.s AS ls, a.s # b.s AS inter, a.l # b.l AS linter
  FROM g a, g b ORDER BY 1, 2;
SELECT a.id, b.id, a.s <-> b.s AS ss, a.s <-> b.l AS sl, a.s <-> b.b AS sb, a.l <-> b.l AS ll,
       a.b <-> b.b AS bb, a.pa <-> b.pa AS pathpath, a.po <-> b.po AS polypoly,
       a.c <-> b.c AS cc, a.c <-> b.po AS cpoly
  FROM g a, g b ORDER BY 1, 2;
SELECT a.id, b.id, a.b && b.b, a.b << b.b, a.b &< b.b, a.b >> b.b, a.b &> b.b, a.b <<| b.b,
       a.b &<| b.b, a.b |>> b.b, a.b |&> b.b, a.b @> b.b, a.b <@ b.b, a.b ~= b.b, a.b = b.b,
       a.b < b.b, a.b <^ b.b, a.b >^ b.b, a.b # b.b
  FROM g a, g b ORDER BY 1, 2;
SELECT a.id, b.id, a.c && b.c, a.c << b.c, a.c &< b.c, a.c >> b.c, a.c &> b.c, a.c <<| b.c,
       a.c &<| b.c, a.c |>> b.c, a.c |&> b.c, a.c @> b.c, a.c <@ b.c, a.c ~= b.c, a.c = b.c,
       a.c <> b.c, a.c < b.c, a.c >= b.c
  FROM g a, g b ORDER BY 1, 2;
SELECT a.id, b.id, a.po && b.po, a.po << b.po, a.po &< b.po, a.po >> b.po, a.po &> b.po,
       a.po <<| b.po, a.po &<| b.po, a.po |>> b.po, a.po |&> b.po, a.po @> b.po,
       a.po <@ b.po, a.po ~= b.po, a.p <@ b.po, b.po @> a.p, a.p <@ b.pa, a.p <@ b.c,
       a.p <@ b.b, a.p <@ b.s, a.p <@ b.l, a.s <@ b.l, a.s <@ b.b, a.s ?# b.b, a.l ?# b.b,
       a.s ?# b.l, a.pa ?# b.pa, a.s ?# b.s, a.l ?# b.l
  FROM g a, g b ORDER BY 1, 2;
SELECT a.id, b.id, a.p + b.p, a.p - b.p, a.p * b.p, a.b + b.p, a.b - b.p, a.b * b.p,
       a.pa + b.p, a.pa * b.p, a.c + b.p, a.c * b.p, a.pa + b.pa
  FROM g a, g b ORDER BY 1, 2;
SELECT a.id, b.id, a.p << b.p, a.p >> b.p, a.p <<| b.p, a.p |>> b.p, a.p <^ b.p, a.p >^ b.p,
       a.p ~= b.p, a.p <> b.p, a.p ?- b.p, a.p ?| b.p, slope(a.p, b.p),
       a.s ?|| b.s, a.s ?-| b.s, a.l ?|| b.l, a.l ?-| b.l, a.l = b.l, a.s = b.s, a.s < b.s,
       a.pa = b.pa, a.pa < b.pa
  FROM g a, g b ORDER BY 1, 2;
SELECT id, @@ b, @@ s, @@ c, @@ po, @-@ s, @-@ pa, # pa, # po, ?- s, ?| s, ?- l, ?| l,
       area(b), area(c), area(pa), height(b), width(b), diagonal(b), diameter(c), radius(c),
       center(b), center(c), isclosed(pa), isopen(pa), npoints(pa), npoints(po), pclose(pa),
       popen(pa), box(c), box(po), box(p), circle(b), circle(po), point(s), point(po),
       polygon(b), polygon(c), path(po), lseg(b), bound_box(b, b)
  FROM g ORDER BY id;
SELECT id, polygon(4, c) FROM g WHERE radius(c) > 0 ORDER BY id;
SELECT id, pa::polygon FROM g WHERE isclosed(pa) ORDER BY id;
RESET extra_float_digits;
SELECT point '(1,1)' / point '(0,0)';
SELECT circle '<(1,1),1>' / point '(0,0)';
SELECT box '(1,1),(0,0)' / point '(0,0)';
SELECT point '(1e300,1e300)' * point '(1e300,1e300)';
SELECT point '(1e-300,1e-300)' * point '(1e-300,1e-300)';
SELECT path '[(1,1),(2,2)]'::polygon;
SELECT polygon(1, circle '<(1,1),1>');
SELECT polygon(3, circle '<(1,1),0>');
SELECT line(point '(1,1)', point '(1,1)');
SELECT path '[(1,1)]' + path '((2,2))';
-- no default btree/hash operator class: no ORDER BY, GROUP BY, DISTINCT, UNION
SELECT b FROM g ORDER BY b;
SELECT p FROM g GROUP BY p;
SELECT DISTINCT c FROM g;
SELECT DISTINCT ON (po) po FROM g;
SELECT count(DISTINCT s) FROM g;
SELECT pa FROM g UNION SELECT pa FROM g;
SELECT count(*) FROM (SELECT pa FROM g UNION ALL SELECT pa FROM g) u;
SELECT p <-> point '(0,0)' AS d, p FROM g ORDER BY d, id;
-- joins on the fuzzy "=" of paths (number of points) are never hashed
SELECT a.id, b.id FROM g a JOIN g b ON a.pa = b.pa ORDER BY 1, 2;
SELECT a.id, b.id FROM g a JOIN g b ON a.b = b.b ORDER BY 1, 2;
-- INSERT ... SELECT with unknown literals takes the column types
CREATE TABLE gi (p point, b box);
INSERT INTO gi SELECT '(1,2)', '(1,1),(0,0)' FROM generate_series(1, 2);
SELECT * FROM gi;
UPDATE gi SET p = p + point '(1,1)' RETURNING *;
DROP TABLE gi;
DROP TABLE g;
-- assignment through subscripts of the fixed-length types
CREATE TABLE ga (f point, b box, l line, s lseg);
INSERT INTO ga VALUES ('(1,2)', '(1,1),(0,0)', '{1,2,3}', '[(1,2),(3,4)]');
UPDATE ga SET f[0] = 5, l[2] = 7 RETURNING *;
UPDATE ga SET b[0] = '(3,3)' RETURNING *;
UPDATE ga SET f[2] = 1 RETURNING *;
INSERT INTO ga (f[1]) VALUES (3) RETURNING *;
UPDATE ga SET f[0] = NULL RETURNING *;
UPDATE ga SET f[0][1] = 1;
UPDATE ga SET s[1] = '(9,9)', f[1] = 4 RETURNING *;
UPDATE ga SET s[1][0] = 7;
UPDATE ga SET f[0:1] = 1;
UPDATE ga SET f[0:1] = '(1,1)';
DROP TABLE ga;
-- comparisons and casts through text
SELECT greatest(box '(1,1),(0,0)', box '(2,2),(0,0)');
SELECT -point '(1,1)';
SELECT (point '(1,1)')::varchar(3), cast(box '(1,1),(0,0)' AS char(3)), 12345::varchar(3);
CREATE TABLE gv (v varchar(3));
INSERT INTO gv SELECT point '(1,1)';
DROP TABLE gv;
