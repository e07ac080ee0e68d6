-- psql's \dD and \dT on domains, enums and composite types; format_type of user types
CREATE DOMAIN con AS int CHECK (VALUE > 0) NOT NULL DEFAULT 5;
CREATE DOMAIN vc AS varchar(5);
CREATE TYPE mood AS ENUM ('a', 'b');
CREATE TYPE comp AS (x int, y text);
CREATE SCHEMA other;
CREATE TYPE other.hidden AS ENUM ('h');
\dD
\dT
\dT+ mood
\d comp
SELECT format_type('mood'::regtype, NULL), format_type('_mood'::regtype, NULL),
       format_type('other.hidden'::regtype, NULL), 'other.hidden'::regtype,
       format_type('vc'::regtype, -1);
SELECT typname, typtype, typcategory, typlen, typrelid <> 0 AS has_rel, typarray <> 0 AS has_array
  FROM pg_type WHERE typname IN ('con', 'vc', 'mood', 'comp', '_mood', '_comp') ORDER BY 1;
