-- built-ins PostgreSQL defines in SQL: constant arguments evaluate the function at
-- planning time (its errors carry the SQL function's context); column arguments inline it
SELECT log(-12.34);
SELECT log(0.0);
SELECT log(100::numeric);
CREATE TABLE lt (x numeric);
INSERT INTO lt VALUES (-1);
SELECT log(x) FROM lt;
