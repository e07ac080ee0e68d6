-- A parameter followed at once by identifier characters is one bad token
PREPARE p1 AS SELECT $1a;
PREPARE p1 AS SELECT $0_1;
PREPARE p1 AS SELECT $1_000;
SELECT 'x$1a', $$ $1a $$;
PREPARE p1 AS SELECT $1 a;
EXECUTE p1(5);
PREPARE p2 AS SELECT $1::int + $2abc FROM nowhere;
PREPARE p2 AS SELECT FROM WHERE $1abc;
PREPARE p2 AS SELECT $1abc FROM WHERE;
