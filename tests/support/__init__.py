"""Shared helpers for TuskDB's tests, the compat harness and the benchmarks.

- `pg18`    -- PostgreSQL 18 client binaries and the oracle server (../shared/tools/pg18)
- `server`  -- start/stop/kill a `tusk serve` (or, for validation, a real PostgreSQL 18)
- `psql`    -- run psql 18 the way pg_regress does and create scratch databases
"""
