-- SQL inside PL/pgSQL: INTO, STRICT, PERFORM, FOUND, EXECUTE, GET DIAGNOSTICS, FOR over queries
CREATE TABLE items (id int PRIMARY KEY, name text, qty int);
INSERT INTO items VALUES (1, 'apple', 3), (2, 'pear', 0), (3, 'plum', 7);

DO $$
DECLARE r record; n int; nm text; q int;
BEGIN
  SELECT name, qty INTO nm, q FROM items WHERE id = 3;
  RAISE NOTICE '% %', nm, q;
  SELECT * INTO r FROM items WHERE id = 1;
  RAISE NOTICE 'r=% name=%', r, r.name;
  SELECT * INTO r FROM items WHERE id = 99;
  RAISE NOTICE 'found=% r.id=%', FOUND, r.id;
  PERFORM 1 FROM items WHERE qty > 5;
  RAISE NOTICE 'perform found=%', FOUND;
  UPDATE items SET qty = qty + 1 WHERE qty < 5;
  GET DIAGNOSTICS n = ROW_COUNT;
  RAISE NOTICE 'updated % rows, found=%', n, FOUND;
  INSERT INTO items VALUES (4, 'fig', 1) RETURNING name INTO nm;
  RAISE NOTICE 'inserted %', nm;
  FOR r IN SELECT * FROM items ORDER BY id LOOP
    RAISE NOTICE 'row % % %', r.id, r.name, r.qty;
  END LOOP;
  FOR nm, q IN SELECT name, qty FROM items WHERE id < 3 ORDER BY id LOOP
    RAISE NOTICE 'pair % %', nm, q;
  END LOOP;
END $$;

DO $$
DECLARE n int; t text; r record;
BEGIN
  EXECUTE 'SELECT count(*) FROM items WHERE qty > $1' INTO n USING 1;
  RAISE NOTICE 'n=%', n;
  EXECUTE format('UPDATE %I SET name = upper(name) WHERE id = %s', 'items', 2);
  GET DIAGNOSTICS n = ROW_COUNT;
  RAISE NOTICE 'n=%', n;
  FOR r IN EXECUTE 'SELECT id, name FROM items WHERE id > $1 ORDER BY id' USING 2 LOOP
    RAISE NOTICE 'dyn % %', r.id, r.name;
  END LOOP;
  EXECUTE 'SELECT name FROM items WHERE id = 2' INTO STRICT t;
  RAISE NOTICE 't=%', t;
END $$;

DO $$ DECLARE x int; BEGIN SELECT id INTO STRICT x FROM items WHERE id > 100; END $$;
DO $$ DECLARE x int; BEGIN SELECT id INTO STRICT x FROM items; END $$;
DO $$ DECLARE x int; BEGIN EXECUTE 'SELECT id FROM items' INTO STRICT x; END $$;
DO $$ DECLARE x int; BEGIN SELECT id INTO x FROM items ORDER BY id DESC; RAISE NOTICE 'x=%', x; END $$;
DO $$ BEGIN SELECT 1; END $$;
DO $$ BEGIN INSERT INTO nosuch VALUES (1); END $$;
DO $$ BEGIN PERFORM 1/0; END $$;
DO $$ BEGIN EXECUTE 'SELECT 1/0'; END $$;
DO $$ DECLARE x int; BEGIN SELECT id/0 INTO x FROM items; END $$;
SELECT * FROM items ORDER BY id;
