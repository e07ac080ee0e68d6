-- ALTER TABLE ONLY ... ADD PRIMARY KEY / UNIQUE on a partitioned table (pg_dump's
-- way): the index is the parent's alone and invalid until the partitions' indexes
-- are attached; the children's key columns must be NOT NULL already
CREATE TABLE pko (id int, b int) PARTITION BY LIST (id);
CREATE TABLE pko1 PARTITION OF pko FOR VALUES IN (1);
ALTER TABLE ONLY pko ADD PRIMARY KEY (id);
DROP TABLE pko;
CREATE TABLE pko (id int NOT NULL, b int) PARTITION BY LIST (id);
CREATE TABLE pko1 PARTITION OF pko FOR VALUES IN (1);
CREATE TABLE pko2 (id int NOT NULL, b int);
ALTER TABLE ONLY pko ATTACH PARTITION pko2 FOR VALUES IN (2);
ALTER TABLE ONLY pko ADD CONSTRAINT pko_pkey PRIMARY KEY (id);
ALTER TABLE ONLY pko ADD UNIQUE (id);
ALTER TABLE ONLY pko REPLICA IDENTITY USING INDEX pko_pkey;
SELECT indexrelid::regclass, indisvalid, indisreplident FROM pg_index
  WHERE indrelid IN ('pko'::regclass, 'pko1'::regclass, 'pko2'::regclass) ORDER BY indexrelid::regclass::text;
SELECT relname, relhasindex FROM pg_class WHERE relname LIKE 'pko%' AND relkind IN ('r', 'p')
  ORDER BY 1;
SELECT conrelid::regclass, conname, contype, conislocal, coninhcount FROM pg_constraint
  WHERE conrelid IN ('pko'::regclass, 'pko1'::regclass, 'pko2'::regclass) ORDER BY conrelid::regclass::text, conname;
\d pko
ALTER TABLE ONLY pko1 ADD PRIMARY KEY (id);
ALTER TABLE ONLY pko2 ADD CONSTRAINT pko2_pkey PRIMARY KEY (id);
ALTER INDEX pko_pkey ATTACH PARTITION pko1_pkey;
SELECT indexrelid::regclass, indisvalid FROM pg_index WHERE indexrelid = 'pko_pkey'::regclass;
ALTER INDEX pko_pkey ATTACH PARTITION pko2_pkey;
SELECT indexrelid::regclass, indisvalid FROM pg_index WHERE indexrelid = 'pko_pkey'::regclass;
\d pko
DROP TABLE pko;
-- a partitioned table without partitions: the index is valid, and new partitions
-- get theirs
CREATE TABLE pke (id int NOT NULL) PARTITION BY LIST (id);
ALTER TABLE ONLY pke ADD PRIMARY KEY (id);
SELECT indisvalid FROM pg_index WHERE indexrelid = 'pke_pkey'::regclass;
CREATE TABLE pke1 PARTITION OF pke FOR VALUES IN (1);
\d pke1
DROP TABLE pke;
-- inheritance: ONLY checks the children's NOT NULL and adds no index to them
CREATE TABLE ipk (id int);
CREATE TABLE ipk_c () INHERITS (ipk);
ALTER TABLE ONLY ipk ADD PRIMARY KEY (id);
ALTER TABLE ipk_c ALTER id SET NOT NULL;
ALTER TABLE ONLY ipk ADD PRIMARY KEY (id);
SELECT conrelid::regclass, conname, contype, conislocal, coninhcount FROM pg_constraint
  WHERE conrelid IN ('ipk'::regclass, 'ipk_c'::regclass) ORDER BY conrelid::regclass::text, conname;
DROP TABLE ipk CASCADE;
