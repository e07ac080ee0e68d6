-- psql \d and the catalog functions behind it: columns, defaults, constraints, indexes
CREATE TABLE orders (
    id int PRIMARY KEY,
    code text UNIQUE,
    qty int DEFAULT 1 CHECK (qty > 0),
    price numeric(6,2) NOT NULL DEFAULT 0,
    status varchar(10) DEFAULT 'new',
    created date DEFAULT '2024-01-01',
    CONSTRAINT price_ok CHECK (price >= 0 AND price < 1000)
);
CREATE INDEX orders_created_idx ON orders (created);
CREATE UNIQUE INDEX orders_status_code_key ON orders (status, code DESC);
\d orders
\d orders_pkey
\d orders_status_code_key
CREATE TABLE s (id serial, big bigserial, name char(3));
\d s
\d s_id_seq
CREATE SCHEMA other;
CREATE TABLE other.t (x int);
\dt
\dt other.*
\dn other
\di
SELECT attname, atttypid::regtype, attnum, attnotnull, atthasdef FROM pg_attribute
 WHERE attrelid = 'orders'::regclass AND attnum > 0 ORDER BY attnum;
SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
 WHERE conrelid = 'orders'::regclass ORDER BY conname;
SELECT indexrelid::regclass, indisunique, indisprimary, indnatts FROM pg_index
 WHERE indrelid = 'orders'::regclass ORDER BY 1::text;
SELECT pg_get_indexdef('orders_status_code_key'::regclass);
SELECT adnum, pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'orders'::regclass ORDER BY adnum;
SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attnum > 0 ORDER BY attnum;
SELECT relname, relkind FROM pg_class WHERE relname LIKE 'orders%' ORDER BY relname;
