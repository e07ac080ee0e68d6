-- PRIMARY KEY / UNIQUE ... WITHOUT OVERLAPS: exclusion constraints over ranges
SET datestyle TO ISO, YMD;
CREATE TABLE wo_room (room int4range, during daterange,
  CONSTRAINT wo_room_pk PRIMARY KEY (room, during WITHOUT OVERLAPS));
SELECT conname, contype, conperiod, conexclop FROM pg_constraint
  WHERE conrelid = 'wo_room'::regclass AND contype = 'p';
SELECT indisunique, indisexclusion, (SELECT amname FROM pg_am a JOIN pg_class c ON c.relam = a.oid
  WHERE c.oid = indexrelid) FROM pg_index WHERE indrelid = 'wo_room'::regclass;
SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'wo_room_pk';
SELECT pg_get_indexdef('wo_room_pk'::regclass, 0, true);
INSERT INTO wo_room VALUES ('[1,2)', '[2020-01-01,2020-02-01)'), ('[1,2)', '[2020-02-01,2020-03-01)'),
  ('[2,3)', '[2020-01-15,2020-02-15)');
INSERT INTO wo_room VALUES ('[1,2)', '[2020-01-20,2020-01-25)');
INSERT INTO wo_room VALUES ('[1,2)', 'empty');
UPDATE wo_room SET during = '[2020-01-10,2020-02-10)' WHERE room = '[2,3)';
UPDATE wo_room SET room = '[1,2)' WHERE room = '[2,3)';
INSERT INTO wo_room VALUES ('[1,2)', '[2020-01-20,2020-01-25)') ON CONFLICT DO NOTHING;
INSERT INTO wo_room VALUES ('[1,2)', '[2020-01-20,2020-01-25)') ON CONFLICT (room, during) DO NOTHING;
INSERT INTO wo_room VALUES ('[1,2)', '[2020-01-20,2020-01-25)') ON CONFLICT ON CONSTRAINT wo_room_pk DO UPDATE SET room = '[9,10)';
SELECT * FROM wo_room ORDER BY room, during;
-- existing rows are checked when the constraint is added
CREATE TABLE wo_mr (id int4range, during datemultirange);
INSERT INTO wo_mr VALUES ('[1,2)', '{[2020-01-01,2020-02-01)}'), ('[1,2)', '{[2020-01-15,2020-03-01)}');
ALTER TABLE wo_mr ADD CONSTRAINT wo_mr_uq UNIQUE (id, during WITHOUT OVERLAPS);
DELETE FROM wo_mr WHERE during @> '2020-02-15'::date;
ALTER TABLE wo_mr ADD CONSTRAINT wo_mr_uq UNIQUE (id, during WITHOUT OVERLAPS);
INSERT INTO wo_mr VALUES (NULL, '{[2020-01-01,2020-02-01)}'), ('[1,2)', NULL);
INSERT INTO wo_mr VALUES ('[1,2)', '{[2019-01-01,2019-02-01),[2020-01-31,2020-02-01)}');
CREATE TABLE wo_bad (id int, during daterange, PRIMARY KEY (id, during WITHOUT OVERLAPS));
-- temporal foreign keys
CREATE TABLE wo_booking (id int, room int4range, during daterange,
  CONSTRAINT wo_booking_fk FOREIGN KEY (room, PERIOD during) REFERENCES wo_room (room, PERIOD during));
SELECT pg_get_constraintdef(oid), conperiod, conpfeqop FROM pg_constraint WHERE conname = 'wo_booking_fk';
INSERT INTO wo_booking VALUES (1, '[1,2)', '[2020-01-20,2020-02-20)');
INSERT INTO wo_booking VALUES (2, '[1,2)', '[2020-01-20,2020-03-20)');
INSERT INTO wo_booking VALUES (3, '[5,6)', '[2020-01-20,2020-01-21)');
DELETE FROM wo_room WHERE during = '[2020-02-01,2020-03-01)';
UPDATE wo_room SET during = '[2020-02-01,2020-04-01)' WHERE during = '[2020-02-01,2020-03-01)';
DELETE FROM wo_room WHERE during = '[2020-02-01,2020-04-01)';
DELETE FROM wo_booking;
DELETE FROM wo_room WHERE during = '[2020-02-01,2020-04-01)';
CREATE TABLE wo_fk2 (room int4range, during daterange,
  FOREIGN KEY (room, PERIOD during) REFERENCES wo_room (room, PERIOD during) ON DELETE CASCADE);
CREATE TABLE wo_fk2 (room int4range, during daterange,
  FOREIGN KEY (room, during) REFERENCES wo_room (room, during));
CREATE TABLE wo_fk2 (room int4range, during daterange,
  FOREIGN KEY (room, PERIOD during) REFERENCES wo_room (room, during));
CREATE TABLE wo_fk2 (room int4range, during daterange, FOREIGN KEY (room) REFERENCES wo_room);
ALTER TABLE wo_room DROP COLUMN during;
DROP TABLE wo_booking, wo_room, wo_mr;
-- a rewrite re-checks the rows; a new period type changes the operators
CREATE TABLE wo_rw (id int4range, during daterange, CONSTRAINT wo_rw_pk PRIMARY KEY (id, during WITHOUT OVERLAPS));
INSERT INTO wo_rw VALUES ('[1,2)', '[2000-01-01,2000-01-05)'), ('[1,2)', '[2000-01-05,2000-01-10)');
ALTER TABLE wo_rw ALTER COLUMN during TYPE tsrange USING tsrange(lower(during), upper(during) + 1);
ALTER TABLE wo_rw ALTER COLUMN during TYPE datemultirange USING datemultirange(during);
SELECT conexclop FROM pg_constraint WHERE conname = 'wo_rw_pk';
INSERT INTO wo_rw VALUES ('[1,2)', '{[2000-01-03,2000-01-04)}');
DROP TABLE wo_rw;
-- GiST indexes over ranges, ADD CONSTRAINT ... USING INDEX
CREATE TABLE wo_ix (id int4range, during daterange);
CREATE INDEX wo_ix_gist ON wo_ix USING gist (id, during);
SELECT pg_get_indexdef('wo_ix_gist'::regclass);
ALTER TABLE wo_ix ADD CONSTRAINT wo_ix_pk PRIMARY KEY USING INDEX wo_ix_gist;
CREATE UNIQUE INDEX wo_ix_u ON wo_ix (id, during);
ALTER TABLE wo_ix ADD CONSTRAINT wo_ix_uq UNIQUE USING INDEX wo_ix_u;
ALTER TABLE wo_ix ADD CONSTRAINT wo_ix_uq2 UNIQUE USING INDEX wo_ix_uq;
SELECT conname, contype, conindid::regclass FROM pg_constraint WHERE conrelid = 'wo_ix'::regclass;
DROP TABLE wo_ix;
