-- lexer errors for bad Unicode escapes, with the HINT of the literal kind
SELECT U&'wrong: \061';
SELECT U&'wrong: \+0061';
SELECT U&'wrong: +0061' UESCAPE '+';
SELECT U&'wrong: \db99';
SELECT U&'wrong: \+2FFFFF';
SELECT E'wrong: \u061';
SELECT E'wrong: \U0061';
SELECT E'wrong: \udb99';
SELECT E'wrong: \udb99\u0061';
SELECT E'wrong: \U002FFFFF';
SELECT U&"wrong: \061";
SELECT regexp_replace('A PostgreSQL function', 'a|e|i|o|u', 'X', '1');
