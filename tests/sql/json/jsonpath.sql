-- jsonpath: canonical output, syntax errors, lax/strict evaluation
select '$.a[*] ? (@.b > 1 && !(@.c like_regex "^x" flag "i")).d'::jsonpath;
select 'strict $.**{1 to last}.a'::jsonpath, '$a + -1.5e1 * ($.b)'::jsonpath;
select '$ ? (@ starts with "x") is unknown'::jsonpath;
select '1.a'::jsonpath;
select '$.datetime("HH24:MI").type()'::jsonpath;
select jsonb_path_query('{"a": [1, 2, {"b": 3}]}', 'lax $.a[*].b');
select jsonb_path_query('{"a": [1, 2, {"b": 3}]}', 'strict $.a[*].b');
select jsonb_path_query('{"a": [1, 2, {"b": 3}]}', 'strict $.a[*].b', silent => true);
select jsonb_path_query_array('[1, 2, 3, 4]', '$[*] ? (@ > $min)', '{"min": 2}');
select jsonb_path_exists('[1, "a"]', 'strict $[*] + 1'), jsonb_path_match('1', '$ == 1');
select jsonb '{"a": 1}' @? '$.a', jsonb '{"a": 1}' @@ '$.a == 2';
select jsonb_path_query('{"a": 1, "b": [1, 2]}', '$.keyvalue()');
select jsonb_path_query('"2017-03-10 12:34:56+03"', '$.datetime().type()');
select jsonb_path_query('"10.03.2017"', '$.datetime("dd.mm.yyyy")');
select jsonb_path_query_tz('"2017-03-10"', '$.timestamp_tz() < "2017-03-11".date()');
select jsonb_path_query('"12:34"', '$.time() < "12:35:00".time_tz()');
