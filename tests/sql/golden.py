"""Golden SQL files: tests/sql/<feature>/<name>.sql with <name>.out beside it.

The .out is what psql 18 prints (pg_regress flags and environment, see
tests/support/psql.py) when the .sql runs in a fresh database on a real
PostgreSQL 18; tests/sql/regen.py writes it, test_golden.py checks TuskDB
against it. Both use the same database name per file, so messages that
name the database agree.
"""
from __future__ import annotations

from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent


PENDING = SQL_DIR / "pending"


def golden_files() -> list[Path]:
    """The golden files test_golden.py runs (not those under pending/)."""
    return sorted(p for p in SQL_DIR.rglob("*.sql")
                  if p.is_file() and PENDING not in p.parents)


def label(sql_path: Path) -> str:
    return sql_path.relative_to(SQL_DIR).with_suffix("").as_posix()


def expected_path(sql_path: Path) -> Path:
    return sql_path.with_suffix(".out")


def run_file(server, sql_path: Path, timeout: float = 300) -> str:
    """Run one golden file in a freshly created database; return psql's output."""
    from support.psql import db_name_for
    db = db_name_for(label(sql_path))
    server.create_database(db)
    try:
        return server.psql(sql_path.read_bytes(), db, timeout=timeout)
    finally:
        server.drop_database(db)
