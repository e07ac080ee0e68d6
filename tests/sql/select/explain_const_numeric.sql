-- EXPLAIN prints planner-folded constants by get_const_expr's rules
CREATE TABLE ecn (n numeric, i int, b bigint, f float8, s smallint);
EXPLAIN (COSTS OFF) SELECT * FROM ecn WHERE n = 0::numeric;
EXPLAIN (COSTS OFF) SELECT * FROM ecn WHERE n = 0;
EXPLAIN (COSTS OFF) SELECT * FROM ecn WHERE n <> -1::numeric AND n <> 1e10::numeric;
EXPLAIN (COSTS OFF) SELECT * FROM ecn WHERE n <> 'NaN' AND n <> 1.5 AND n <> -2.5;
EXPLAIN (COSTS OFF) SELECT * FROM ecn WHERE n <> 7 AND n <> 1e3 AND n <> 0.0;
EXPLAIN (COSTS OFF) SELECT * FROM ecn WHERE n = 1.5::numeric(5,2);
EXPLAIN (COSTS OFF) SELECT * FROM ecn WHERE f <> 2 AND b <> 5 AND b <> -5 AND i <> -3 AND s <> 4;
