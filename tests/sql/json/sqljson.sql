-- SQL/JSON query functions, constructors and JSON_TABLE
select json_exists(jsonb '{"a": [1]}', '$.a[*] ? (@ > $x)' passing 0 as x);
select json_value(jsonb '{"a": "12"}', '$.a' returning int), json_value(jsonb '[1, 2]', '$[*]' default -1 on error);
select json_value(jsonb '[1, 2]', '$[*]' error on error);
select json_query(jsonb '[1, "2"]', '$[*]' with conditional wrapper), json_query(jsonb '"x"', '$' returning text omit quotes);
select json_query(jsonb '[]', '$[*]' empty object on empty);
select json_object('a': 1, 'b': null absent on null), json_object('a': jsonb '[1]'), json_array(1, 'x', null);
select json_object(1: 1, '1': 2 with unique keys);
select json('{"a": 1}'), json_scalar(now() - now()), json_serialize('[1]' returning bytea);
select '{"a": 1, "a": 2}' is json, '{"a": 1, "a": 2}' is json with unique keys, '[1]' is json object;
select json_arrayagg(x order by x desc), json_objectagg(x: x * 2 returning jsonb) from generate_series(1, 3) x;
select * from json_table(jsonb '[{"a": 1, "b": [10, 20]}, {"a": "x"}]', '$[*]'
  columns (id for ordinality, a int path '$.a', aq jsonb path '$.a',
           has_b bool exists path '$.b', nested path '$.b[*]' columns (b int path '$')));
create table js (id int, j jsonb);
insert into js values (1, '{"x": [1]}'), (2, null);
update js set j['x'][2] = '"y"';
select id, j, j['x'][-1] from js order by id;
