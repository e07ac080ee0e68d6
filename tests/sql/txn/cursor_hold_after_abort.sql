-- a WITH HOLD cursor outlives a later transaction that aborts; one declared in the
-- aborted transaction does not
DECLARE c CURSOR WITH HOLD FOR SELECT g FROM generate_series(1,3) g;
FETCH 1 FROM c;
SELECT 1/0;
FETCH 1 FROM c;
BEGIN;
DECLARE d CURSOR WITH HOLD FOR SELECT 1;
ROLLBACK;
FETCH 1 FROM d;
CLOSE c;
