"""PL/pgSQL: DO blocks and LANGUAGE plpgsql routines (see README.md)."""

from tuskdb.sql.pl.handler import PLpgSQLFunction, do_stmt, validate

__all__ = ["PLpgSQLFunction", "do_stmt", "validate"]
