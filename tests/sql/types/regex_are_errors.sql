-- ARE: back references inside constraints, \x escapes of any length
select 'xyz' ~ 'x(\w)(?=\1)';
select 'xyz' ~ 'x(\w)(?=(\1))';
select 'xyz' ~ 'x(\w)(?!\1)';
select 'a' ~ '\x7fffffff';
select 'A' ~ '\x41', 'A' ~ '\x0041', 'B' ~ '[\x41-\x43]', 'xx' ~ '(x)\1';
select regexp_replace('ABC', '\x42', 'b');
