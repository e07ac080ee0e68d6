-- bit-string constants B'...' and X'...': type bit with no length
SELECT B'0101', X'1F', B'', X'';
SELECT pg_typeof(B'01'), B'01' || B'1', X'F' & B'1010';
SELECT B'012';
SELECT X'1G';
CREATE TABLE bc (a bit(4) DEFAULT B'1001', b bit varying(8) DEFAULT X'A');
INSERT INTO bc DEFAULT VALUES;
INSERT INTO bc VALUES (B'1', B'1');
INSERT INTO bc VALUES (X'3', B'101010101');
SELECT * FROM bc;
SELECT format_type(1560, -1), format_type(1560, NULL), pg_get_expr(adbin, adrelid)
  FROM pg_attrdef WHERE adrelid = 'bc'::regclass ORDER BY adnum;
