-- tsvector / tsquery I/O and matching
SELECT 'a:3A b:2a'::tsvector || 'ba:1234 a:1B';
SELECT '1&(2&(4&(5|!6)))'::tsquery;
SELECT 'a b:89  ca:23A,64b d:34c'::tsvector @@ 'd:AC & ca:B';
SELECT to_tsvector('simple', 'x y q y') @@ '!x <-> y';
-- configurations, parser, dictionaries
SELECT to_tsvector('english', 'The Fat Rats were running quickly');
SELECT to_tsquery('english', '(1 <-> a) <-> 2');
SELECT plainto_tsquery('english', 'the and z 1))& fghj');
SELECT websearch_to_tsquery('english', '"A fat cat" has just (+eaten OR -rat)');
SELECT ts_lexize('english_stem', 'skies');
SELECT * FROM ts_parse('default', 'http://www.com/a?b=1 qwe-wer 4.2.1 <b>x</b>');
SELECT alias, token, dictionaries, lexemes FROM ts_debug('english', 'a title');
SELECT 'english'::regconfig, 'simple'::regconfig::oid;
-- ranking and rewriting
SELECT ts_rank(' a:1 s:2C d g'::tsvector, 'a | s'), ts_rank_cd(' a:1 s:2A d g'::tsvector, 'a <-> s');
SELECT ts_rewrite('foo & bar & qq & new & york', 'new & york'::tsquery, 'big & apple | nyc | new & york & city');
