-- EXCLUDE constraints (the machinery of WITHOUT OVERLAPS keys)
CREATE TABLE ex_room (room int4range, speaker int4range, during tsrange,
  EXCLUDE USING gist (room WITH =, during WITH &&),
  EXCLUDE USING gist (speaker WITH =, during WITH &&));
SELECT conname, contype, conexclop, pg_get_constraintdef(oid) FROM pg_constraint
  WHERE conrelid = 'ex_room'::regclass ORDER BY conname;
SELECT indisunique, indisexclusion, indclass FROM pg_index WHERE indrelid = 'ex_room'::regclass;
INSERT INTO ex_room VALUES (int4range(123, 123, '[]'), int4range(1, 1, '[]'), '[2010-01-02 10:00, 2010-01-02 11:00)');
INSERT INTO ex_room VALUES (int4range(123, 123, '[]'), int4range(2, 2, '[]'), '[2010-01-02 11:00, 2010-01-02 12:00)');
INSERT INTO ex_room VALUES (int4range(123, 123, '[]'), int4range(3, 3, '[]'), '[2010-01-02 10:10, 2010-01-02 11:00)');
INSERT INTO ex_room VALUES (int4range(125, 125, '[]'), int4range(1, 1, '[]'), '[2010-01-02 10:10, 2010-01-02 11:00)');
INSERT INTO ex_room VALUES (int4range(125, 125, '[]'), int4range(1, 1, '[]'), '[2010-01-02 10:10, 2010-01-02 11:00)')
  ON CONFLICT DO NOTHING;
INSERT INTO ex_room VALUES (int4range(125, 125, '[]'), int4range(1, 1, '[]'), '[2010-01-02 10:10, 2010-01-02 11:00)')
  ON CONFLICT ON CONSTRAINT ex_room_speaker_during_excl DO NOTHING;
INSERT INTO ex_room VALUES (int4range(125, 125, '[]'), int4range(1, 1, '[]'), '[2010-01-02 10:10, 2010-01-02 11:00)')
  ON CONFLICT ON CONSTRAINT ex_room_speaker_during_excl DO UPDATE SET room = '[1,2)';
SELECT count(*) FROM ex_room;
CREATE TABLE ex_bad (a int4range, EXCLUDE USING gist (a WITH <));
CREATE TABLE ex_bad (a int, EXCLUDE USING btree (a WITH <>));
CREATE TABLE ex_int (a int, b text, EXCLUDE (a WITH =) WHERE (b <> 'x'));
SELECT pg_get_constraintdef(oid), pg_get_indexdef(conindid) FROM pg_constraint WHERE conrelid = 'ex_int'::regclass;
INSERT INTO ex_int VALUES (1, 'a'), (1, 'x'), (2, 'x'), (2, 'x');
INSERT INTO ex_int VALUES (1, 'b');
ALTER TABLE ex_int ADD CONSTRAINT ex_int_all EXCLUDE (a WITH =);
CREATE TABLE ex_adj (a int4range, EXCLUDE USING gist (a WITH -|-));
INSERT INTO ex_adj VALUES ('[1,2)'), ('[3,4)');
INSERT INTO ex_adj VALUES ('[2,3)');

-- deferrable exclusion constraints: checked at COMMIT, or when the statement ends
CREATE TABLE ex_def (f1 int, f2 int, CONSTRAINT ex_def_con EXCLUDE (f1 WITH =) INITIALLY DEFERRED);
SELECT pg_get_constraintdef(oid), condeferrable, condeferred FROM pg_constraint WHERE conname = 'ex_def_con';
INSERT INTO ex_def VALUES (1), (2);
INSERT INTO ex_def VALUES (1);
INSERT INTO ex_def VALUES (1) ON CONFLICT ON CONSTRAINT ex_def_con DO NOTHING;
BEGIN;
INSERT INTO ex_def VALUES (3);
INSERT INTO ex_def VALUES (3);
COMMIT;
BEGIN;
INSERT INTO ex_def VALUES (2, 1);
DELETE FROM ex_def WHERE f1 = 2 AND f2 IS NULL;
UPDATE ex_def SET f2 = 2 WHERE f1 = 2;
COMMIT;
SELECT * FROM ex_def ORDER BY f1;
CREATE TABLE ex_imm (f1 int, CONSTRAINT ex_imm_con EXCLUDE (f1 WITH =) DEFERRABLE);
INSERT INTO ex_imm VALUES (1), (2);
UPDATE ex_imm SET f1 = 3 - f1;
INSERT INTO ex_imm VALUES (1);
BEGIN;
SET CONSTRAINTS ex_imm_con DEFERRED;
INSERT INTO ex_imm VALUES (1);
SET CONSTRAINTS ex_imm_con IMMEDIATE;
ROLLBACK;
DROP TABLE ex_room, ex_int, ex_adj, ex_def, ex_imm;
