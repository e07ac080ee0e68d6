-- geometric types: every input syntax, output under extra_float_digits, errors
SELECT '(1,2)'::point, ' ( 1.5 , -2 ) '::point, '1e300,-Infinity'::point, '(NaN,0x10)'::point;
SELECT '(1,2),(3,4)'::lseg, '[(1,2),(3,4)]'::lseg, '((1,2),(3,4))'::lseg, '1,2,3,4'::lseg;
SELECT '(1,2),(3,4)'::box, '((3,4),(1,2))'::box, '1,4,3,2'::box, '(0,0)(0,100)'::box;
SELECT '[(1,2),(3,4)]'::path, '((1,2),(3,4))'::path, '(1,2),(3,4)'::path, '(1,2,3,4)'::path,
       '1,2,3,4'::path, '[(1,2),(3,4))'::path;
SELECT '((1,2),(3,4),(5,0))'::polygon, '(1,2,3,4)'::polygon, '1,2'::polygon;
SELECT '{1,2,3}'::line, '[(0,0),(6,6)]'::line, '(1,3),(2,3)'::line, '3,1,3,2'::line;
SELECT '<(1,2),3>'::circle, '((1,2),3)'::circle, '(1,2),3'::circle, '1,2,3'::circle,
       '((1,2),3>'::circle;
SET extra_float_digits = 0;
SELECT point '(0.1,0.2)' + point '(0.2,0.1)', circle '<(1,2),3>' * point '(0.3,0.7)';
SET extra_float_digits = -3;
SELECT point '(0.1,0.2)' + point '(0.2,0.1)', area(circle '<(1,2),3>');
RESET extra_float_digits;
SELECT point '(0.1,0.2)' + point '(0.2,0.1)', area(circle '<(1,2),3>');
SELECT '(1,2'::point;
SELECT '(1 2)'::point;
SELECT '(1,2) x'::point;
SELECT '(1, 1e400)'::point;
SELECT '1e-400,2'::point;
SELECT '[(1,2),(3,4)]'::box;
SELECT '[(1,2),(3,4),(5,6)]'::lseg;
SELECT '[]'::path;
SELECT '(1,2),(3,4),'::path;
SELECT '[(1,2),(3,4)]'::polygon;
SELECT '(0,1,2)'::polygon;
SELECT '{0,0,1}'::line;
SELECT '{1,2}'::line;
SELECT '[(1,2),(1,2)]'::line;
SELECT '<(1,2),-1>'::circle;
SELECT '<(1,2),3> x'::circle;
SELECT pg_input_is_valid('(1,2)', 'point'), pg_input_is_valid('(1,2', 'point');
SELECT * FROM pg_input_error_info('{0,0,0}', 'line');
SELECT * FROM pg_input_error_info('(1,1e400)', 'point');
-- binary send forms
SELECT point_send('(1,2)'), lseg_send('[(1,2),(3,4)]'), box_send('(1,2),(3,4)'),
       line_send('{1,2,3}'), circle_send('<(1,2),3>');
SELECT path_send('[(1,2),(3,4)]'), path_send('((1,2))'), poly_send('((1,2),(3,4))');
-- arrays of geometric values (box uses ';' between elements)
SELECT '{"(1,2)","(3,4)"}'::point[], ARRAY[box '(1,2),(3,4)', box '(5,6),(7,8)'],
       '{(1,2),(3,4);(5,6),(7,8)}'::box[];
-- subscripts
SELECT (point '(1,2)')[0], (point '(1,2)')[1], (point '(1,2)')[2], (lseg '[(1,2),(3,4)]')[1],
       (box '(1,2),(3,4)')[0], (line '{1,2,3}')[2], (lseg '[(1,2),(3,4)]')[1][0];
SELECT (point '(1,2)')[0:1];
-- catalog rows
SELECT oid, typname, typlen, typcategory, typelem, typarray, typdelim, typalign, typstorage
  FROM pg_type WHERE typcategory = 'G' ORDER BY oid;
SELECT oid, castsource, casttarget, castcontext, castmethod FROM pg_cast
 WHERE castsource IN (600,601,602,603,604,628,718) ORDER BY 2, 3;
