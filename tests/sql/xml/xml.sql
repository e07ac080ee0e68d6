-- xml input: content vs document, declarations, libxml2's error details
SELECT '<a>x</a><b/>'::xml, 'text &amp; more'::xml;
SELECT '<?xml version="1.0"?>
<foo/>'::xml, '<?xml version="1.1" standalone="no"?><foo/>'::xml;
SELECT '<a><b>'::xml;
SELECT 'a</b>'::xml;
SELECT '<a>
<b>
</a>'::xml;
SELECT '<?xml version="1.0" standalone="maybe"?><a/>'::xml;
SELECT '<?xml version="1.0"><a/>'::xml;
SELECT 'x<?xml version="1.0"?><a/>'::xml;
SET xmloption TO document;
SELECT '<a/><b/>'::xml;
SELECT 'abc'::xml;
SELECT xml_is_well_formed('<a/>'), xml_is_well_formed('a');
RESET xmloption;
SELECT xml_is_well_formed('a'), xml_is_well_formed_document('<x:a/>'),
       xml_is_well_formed_content('<a>');
SELECT pg_input_is_valid('<a>', 'xml'), message FROM pg_input_error_info('<a>', 'xml');
-- constructors
SELECT xmlelement(name "x y", xmlattributes(1 AS "a:b", 'q"<' AS c), 'c&d', xml '<e/>');
SELECT xmlelement(name a, xmlattributes(date '2020-02-29' AS d,
                  timestamptz '2020-02-29 10:00:00.5+02' AS t), 1.50, true, NULL);
SELECT xmlforest(1 AS one, NULL AS two, 'x' AS "3"), xmlforest(NULL AS n);
SELECT xmlconcat('<?xml version="1.0" standalone="yes"?><a/>',
                 '<?xml version="1.0" standalone="yes"?><b/>');
SELECT xmlconcat(xml '<a/>', 'x', NULL), xmlconcat(NULL, NULL) IS NULL;
SELECT xmlpi(name php, ' echo 1; '), xmlpi(name "XmL");
SELECT xmlcomment('ok'), xmlcomment('bad-');
SELECT xmlroot(xml '<?xml version="1.1"?><a/>', version '1.0', standalone no value),
       xmlroot(xml '<a/>', version no value, standalone no);
SELECT xmlparse(document '<a>  <b/> </a>'), xmlparse(content 'x<a/>y');
SELECT xmlparse(document 'x<a/>');
SELECT xml '<a/>' IS DOCUMENT, xml 'a<b/>' IS DOCUMENT, NULL::xml IS NOT DOCUMENT;
SELECT xmlserialize(content xml '<a><b>1</b><c/></a>' AS varchar(30) INDENT);
SELECT xmlserialize(document xml 'x' AS text);
SELECT xmlagg(x ORDER BY x DESC) FROM (VALUES (xml '<a/>'), (xml '<b/>')) v(x);
SELECT xmltext('a < b & "c"');
SET xmlbinary TO hex;
SELECT xmlelement(name b, '\x00ff'::bytea);
RESET xmlbinary;
SELECT xmlelement(name b, '\x00ff'::bytea);
-- xpath
SELECT xpath('//b/text()', '<a><b>1</b><b>&lt;2</b></a>');
SELECT xpath('count(//b)', '<a><b/><b/></a>'), xpath('//b = 1', '<a><b>1</b></a>'),
       xpath('concat("x", "<")', '<a/>');
SELECT xpath('/p:a/@q', '<p:a xmlns:p="urn:p" q="v"/>', ARRAY[ARRAY['p', 'urn:p']]);
SELECT xpath('/a', '<a/>', ARRAY['x']);
SELECT xpath('(((', '<a/>');
SELECT xpath('a', '<a><a/></a>'), xpath_exists('/a/b', '<a><b/></a>'),
       xmlexists('/a/c' PASSING BY VALUE '<a><b/></a>');
SELECT xpath('/*', 'not xml');
-- XMLTABLE
SELECT * FROM XMLTABLE('/r/i' PASSING '<r><i n="1">a</i><i n="2"/><i>c<x>d</x></i></r>'
    COLUMNS n int PATH '@n' DEFAULT 0, t text PATH '.', o FOR ORDINALITY,
            raw xml PATH '.');
SELECT * FROM XMLTABLE('/r/i' PASSING '<r><i/></r>' COLUMNS v int PATH 'x' NOT NULL);
SELECT * FROM XMLTABLE('/r/i' PASSING '<r><i><v>1</v><v>2</v></i></r>' COLUMNS v int);
SELECT t.* FROM (VALUES (xml '<r><i>1</i></r>', 'i'), (xml '<r><j>2</j></r>', 'j')) v(d, p),
    LATERAL XMLTABLE(('/r/' || p) PASSING d COLUMNS x int PATH '.') t;
-- xml (like json) has no equality or ordering operator
SELECT DISTINCT x FROM (VALUES (xml '<a/>')) v(x);
SELECT x FROM (VALUES (xml '<a/>')) v(x) GROUP BY x;
SELECT count(DISTINCT x) FROM (VALUES (xml '<a/>')) v(x);
SELECT x FROM (VALUES (xml '<a/>')) v(x) UNION SELECT xml '<b/>';
SELECT x FROM (VALUES (xml '<a/>')) v(x) UNION ALL SELECT xml '<b/>';
SELECT DISTINCT x FROM (VALUES ('{}'::json)) v(x);
