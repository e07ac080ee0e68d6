-- boolean input forms, output, three-valued logic
SELECT true, false, 't'::boolean, 'f'::boolean;
SELECT 'yes'::boolean, 'no'::boolean, 'on'::boolean, 'off'::boolean, '1'::boolean, '0'::boolean;
SELECT ' TRUE '::boolean, 'tr'::boolean, 'n'::boolean;
SELECT 'maybe'::boolean;
SELECT 'o'::boolean;
SELECT true AND NULL, false AND NULL, true OR NULL, false OR NULL, NOT NULL::boolean;
SELECT NULL::boolean IS NULL, true IS TRUE, NULL::boolean IS NOT FALSE, false IS UNKNOWN;
SELECT true > false, true = 't', 1::boolean, 0::boolean, true::int;
SELECT 2::boolean;
CREATE TABLE flags (id int, b boolean);
INSERT INTO flags VALUES (1, true), (2, false), (3, NULL), (4, 'yes');
SELECT * FROM flags WHERE b ORDER BY id;
SELECT * FROM flags WHERE NOT b ORDER BY id;
SELECT * FROM flags WHERE b IS NOT TRUE ORDER BY id;
SELECT bool_and(b), bool_or(b), every(b), count(b) FROM flags;
SELECT b, count(*) FROM flags GROUP BY b ORDER BY b;
SELECT b::text, 'x' || b FROM flags ORDER BY id;
