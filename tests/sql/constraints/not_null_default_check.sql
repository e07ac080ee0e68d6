-- NOT NULL, DEFAULT and CHECK: violations, defaults, expressions
CREATE TABLE orders (
    id int NOT NULL,
    qty int DEFAULT 1 CHECK (qty > 0),
    price numeric(6,2) NOT NULL DEFAULT 0,
    status text DEFAULT 'new',
    created date DEFAULT '2024-01-01',
    CONSTRAINT price_ok CHECK (price >= 0 AND price < 1000)
);
INSERT INTO orders (id) VALUES (1);
INSERT INTO orders VALUES (2, 5, 9.99, DEFAULT, DEFAULT);
INSERT INTO orders (qty) VALUES (3);
INSERT INTO orders (id, qty) VALUES (3, 0);
INSERT INTO orders (id, price) VALUES (4, -1);
INSERT INTO orders (id, price) VALUES (5, NULL);
INSERT INTO orders (id, qty) VALUES (6, NULL);
INSERT INTO orders (id, status) VALUES (7, NULL);
INSERT INTO orders DEFAULT VALUES;
UPDATE orders SET qty = -5 WHERE id = 1;
UPDATE orders SET id = NULL WHERE id = 2;
UPDATE orders SET status = DEFAULT, qty = DEFAULT WHERE id = 2;
SELECT * FROM orders ORDER BY id;
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
DELETE FROM orders WHERE status IS NULL;
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
INSERT INTO orders (id, status) VALUES (8, NULL);
ALTER TABLE orders ADD CONSTRAINT id_small CHECK (id < 3);
ALTER TABLE orders ADD CONSTRAINT id_positive CHECK (id > 0);
INSERT INTO orders (id) VALUES (-1);
CREATE TABLE bad_check (a int CHECK (b > 0));
CREATE TABLE bad_default (a int DEFAULT 'abc');
