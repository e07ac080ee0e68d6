-- SQL/XML expressions in stored expressions print back in their SQL syntax
CREATE TABLE xt (x xml CHECK (x IS DOCUMENT),
  y xml DEFAULT xmlelement(name "a:b", xmlattributes(1 AS one, 'q' AS "t w"), 'c'),
  z xml DEFAULT xmlconcat(xmlpi(name p, 'v'), xmlforest(2 AS f), xmlpi(name q)),
  w xml DEFAULT xmlroot(xmlparse(content '<a/>'), version '1.1', standalone yes),
  u xml DEFAULT xmlroot(xmlparse(document '<a/>' preserve whitespace), version no value),
  v text DEFAULT xmlserialize(content '<a/>' AS text indent),
  t varchar(9) DEFAULT xmlserialize(document '<a/>' AS varchar(9)));
SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'xt'::regclass ORDER BY adnum;
SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'xt'::regclass;
INSERT INTO xt (x) VALUES ('<doc/>');
SELECT * FROM xt;
INSERT INTO xt (x) VALUES ('two<roots/>');
SELECT xmlserialize(content '<abcdef/>' AS varchar(3));
SELECT xmlserialize(content '<a/>' AS char(10)) || '|';
