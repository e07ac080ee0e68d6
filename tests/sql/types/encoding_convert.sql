-- encoding names and numbers, and conversion between encodings
SELECT pg_char_to_encoding('UTF8'), pg_char_to_encoding('utf-8'), pg_char_to_encoding('Unicode'),
       pg_char_to_encoding('win'), pg_char_to_encoding('ISO-8859-1'), pg_char_to_encoding('foo');
SELECT pg_encoding_to_char(3), pg_encoding_to_char(24), pg_encoding_to_char(42), pg_encoding_to_char(-1);
SELECT pg_encoding_max_length(6), pg_encoding_max_length(3), pg_encoding_max_length(99);
SELECT convert_from('\xbcf6c7d0', 'EUC_KR'), convert_to('수학', 'euc-kr');
SELECT POSITION(convert_from('\xbcf6c7d0', 'EUC_KR') IN
                convert_from('\xb0fac7d02c20bcf6c7d02c20b1e2bcfa2c20bbee', 'EUC_KR'));
SELECT convert('\xe282ac', 'UTF8', 'LATIN9'), convert('\xa4', 'LATIN9', 'UTF8');
SELECT convert('\xa4a1', 'EUC_JP', 'SJIS'), convert('\xc3a9', 'UTF8', 'SQL_ASCII');
SELECT length('\xb0fa', 'EUC_KR'), length('\xff', 'SQL_ASCII');
SELECT convert_from('\xbcf6c7', 'EUC_KR');
SELECT convert('\xb041', 'EUC_KR', 'UTF8');
SELECT convert('\xc9a1', 'EUC_KR', 'UTF8');
SELECT convert_from('\xe282', 'UTF8');
SELECT convert_to('€x', 'LATIN1');
SELECT convert_from('\x81', 'WIN1252');
SELECT convert_from('\x6100', 'LATIN1');
SELECT convert('\xff', 'SQL_ASCII', 'UTF8');
SELECT convert('\x80', 'LATIN1', 'WIN1252');
SELECT convert_from('\xc3a9', 'foo');
SELECT convert('\xc3a9', 'utf8', 'foo');
SELECT length('\xb0fa', 'foo');
