-- the system catalogs' own indexes, keys and TOAST tables
SELECT count(*) FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'i';
SELECT c.relname, i.indnatts, i.indisunique, i.indisprimary, i.indkey, i.indclass
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid IN ('pg_class'::regclass, 'pg_attribute'::regclass, 'pg_depend'::regclass,
                      'pg_database'::regclass)
 ORDER BY 1;
SELECT conname, contype, conkey, conindid::regclass FROM pg_constraint
 WHERE conrelid = 'pg_class'::regclass ORDER BY 1;
SELECT a.attname, a.atttypid::regtype, a.attcollation
  FROM pg_attribute a WHERE a.attrelid = 'pg_class_relname_nsp_index'::regclass ORDER BY a.attnum;
SELECT relname, relisshared, relhasindex, reltoastrelid::regclass
  FROM pg_class WHERE oid IN ('pg_class'::regclass, 'pg_proc'::regclass,
                              'pg_database'::regclass, 'pg_depend'::regclass) ORDER BY 1;
SELECT relname, relkind, relisshared FROM pg_class
 WHERE relnamespace = 'pg_toast'::regnamespace AND relname ~ '^pg_toast_(1262|1255)'
 ORDER BY 1;
-- catalogs with a unique index on oid (sanity_check's rule)
SELECT count(*) FROM pg_class c JOIN pg_attribute a ON attrelid = c.oid AND attname = 'oid'
 WHERE relkind = 'r' AND c.oid < 16384
   AND EXISTS (SELECT 1 FROM pg_index i WHERE indrelid = c.oid AND indkey[0] = a.attnum
               AND indnatts = 1 AND indisunique AND indimmediate);
-- relations without storage have no relfilenode
CREATE VIEW v_nostorage AS SELECT 1 AS x;
CREATE TYPE t_nostorage AS (a int);
SELECT relname, relkind, relfilenode FROM pg_class
 WHERE relname IN ('v_nostorage', 't_nostorage') ORDER BY 1;
