-- GROUP BY, HAVING, aggregates over empty input and NULLs
CREATE TABLE sales (region text, product text, qty int, price numeric(6,2));
INSERT INTO sales VALUES ('east', 'apple', 10, 1.50), ('east', 'pear', 5, 2.00), ('west', 'apple', 7, 1.40),
  ('west', 'apple', 3, 1.60), ('north', 'fig', NULL, 3.00), ('east', 'apple', 1, NULL);
SELECT count(*), count(qty), sum(qty), avg(qty), min(qty), max(qty) FROM sales;
SELECT region, count(*), sum(qty) FROM sales GROUP BY region ORDER BY region;
SELECT region, product, sum(qty * price) AS revenue FROM sales GROUP BY region, product ORDER BY region, product;
SELECT region, sum(qty) FROM sales GROUP BY region HAVING sum(qty) > 10 ORDER BY 1;
SELECT region, count(*) FROM sales GROUP BY 1 HAVING count(*) > 1 ORDER BY 2 DESC, 1;
SELECT product FROM sales GROUP BY product HAVING min(price) < 1.5;
SELECT region, avg(price)::numeric(6,3) FROM sales GROUP BY region ORDER BY region;
SELECT count(*), sum(qty), avg(qty), max(region) FROM sales WHERE false;
SELECT region, count(*) FROM sales WHERE false GROUP BY region;
SELECT count(*) FROM sales HAVING count(*) > 100;
SELECT region, qty FROM sales GROUP BY region;
SELECT region, sum(qty) FROM sales;
SELECT sum(region) FROM sales;
SELECT qty, count(*) FROM sales GROUP BY qty ORDER BY qty NULLS FIRST;
SELECT string_agg(product, ',' ORDER BY product), array_agg(DISTINCT region ORDER BY region) FROM sales;
SELECT region, count(*) FILTER (WHERE product = 'apple') AS apples FROM sales GROUP BY region ORDER BY region;
SELECT sum(qty)::float8 / count(*) FROM sales;
SELECT pg_typeof(sum(qty)), pg_typeof(avg(qty)), pg_typeof(count(*)), pg_typeof(sum(price)) FROM sales;
SELECT stddev(qty)::numeric(10,4), variance(qty)::numeric(10,4) FROM sales;
SELECT count(*) FROM (SELECT region FROM sales GROUP BY region) s;
SELECT max(qty) + 1 AS m, min(product) FROM sales WHERE region = 'west';
