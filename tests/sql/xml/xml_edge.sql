SELECT '<a>é<b></a>'::xml;
SELECT '<a>
	<b x="1"></c></a>'::xml;
SELECT ('<a>' || repeat('x', 100) || '</b>')::xml;
SELECT ('<a>' || repeat('x', 100) || '&y;' || repeat('z', 100) || '</a>')::xml;
SELECT xmlparse(document '<?xml version="1.0" encoding="latin1"?><a>é</a>');
SELECT '<a xmlns:p="u"><p:b/></a>'::xml;
SELECT xpath('//p:b', '<a xmlns:p="u"><p:b/></a>', ARRAY[ARRAY['p','u']]);
SELECT xpath('/a/@*', '<a x="1" y="2"/>'), xpath('/a/comment()', '<a><!--c--></a>');
SELECT xmlserialize(content '<a><b>x</b>  y  <c/></a>' as text indent);
SELECT '<!DOCTYPE a [<!ENTITY e "v">]><a>&e;</a>'::xml;
SELECT xpath('/a/text()', '<!DOCTYPE a [<!ENTITY e "v">]><a>&e;</a>');
SELECT xmlelement(name a, '<', xmlcomment('x'), 1.5::float8, interval '1 day', '{1,NULL}'::int[]);
SELECT xml '<a/>' || 'x';
SELECT xmlconcat(xml '<?xml version="1.0" standalone="no"?><a/>', xml '<?xml version="1.0" standalone="yes"?><b/>');
SELECT xpath('.', '<a>x</a>'), xpath('/', '<?xml version="1.0"?><!--c--><a>x</a>'),
       xpath('/|/a', '<a/>'), xpath_exists('/', '<a/>');
