"""psql 18 run the way pg_regress (../shared/corpus/pg-regress/run_regress.py) runs it.

    psql -X -a -q -d DB -v HIDE_TABLEAM=on -v HIDE_TOAST_COMPRESSION=on < FILE  (stderr merged)

with pg_regress's environment: LC_MESSAGES=C, PGTZ=America/Los_Angeles,
PGDATESTYLE='Postgres, MDY', PGOPTIONS=-c intervalstyle=postgres_verbose,
PGAPPNAME=pg_regress. Golden files (tests/sql) are produced and checked with
exactly this, so their .out files read like PostgreSQL's own expected files.
"""
from __future__ import annotations

import os
import re
import subprocess
import uuid

from . import pg18

PSQL_FLAGS = ["-X", "-a", "-q", "-v", "HIDE_TABLEAM=on", "-v", "HIDE_TOAST_COMPRESSION=on"]


def regress_env(host: str, port: int, user: str = "postgres") -> dict[str, str]:
    env = dict(os.environ)
    for v in ("LANGUAGE", "LC_ALL", "PGCLIENTENCODING", "PGHOSTADDR", "PGDATABASE",
              "PGSERVICE", "PGPASSFILE", "PSQLRC"):
        env.pop(v, None)
    env.update(
        PGAPPNAME="pg_regress", LC_MESSAGES="C", PGTZ="America/Los_Angeles",
        PGDATESTYLE="Postgres, MDY", PGOPTIONS="-c intervalstyle=postgres_verbose",
        PGHOST=host, PGPORT=str(port), PGUSER=user, PGCONNECT_TIMEOUT="10",
    )
    return env


def run_psql(host: str, port: int, dbname: str, sql: str | bytes, *, user: str = "postgres",
             timeout: float = 300, flags: list[str] | None = None) -> str:
    """Feed `sql` to psql on stdin; return stdout+stderr as text."""
    if isinstance(sql, str):
        sql = sql.encode()
    cmd = [pg18.program("psql"), *(PSQL_FLAGS if flags is None else flags), "-d", dbname]
    p = subprocess.run(cmd, input=sql, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=regress_env(host, port, user), timeout=timeout)
    return p.stdout.decode("utf-8", "replace")


def admin(host: str, port: int, *commands: str, dbname: str = "postgres",
          user: str = "postgres", check: bool = True, timeout: float = 120) -> str:
    """psql -X -q -c ... -c ... (like run_regress.py's psql_commands)."""
    cmd = [pg18.program("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    for c in commands:
        cmd += ["-c", c]
    cmd += ["-d", dbname]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=regress_env(host, port, user), timeout=timeout,
                       stdin=subprocess.DEVNULL)
    out = p.stdout.decode("utf-8", "replace")
    if check and p.returncode != 0:
        raise RuntimeError(f"psql {commands!r} on {host}:{port}/{dbname} failed "
                           f"({p.returncode}):\n{out}")
    return out


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def unique_name(prefix: str = "t") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def db_name_for(label: str) -> str:
    """A deterministic, valid database name for a golden file label."""
    return ("g_" + re.sub(r"[^a-z0-9_]+", "_", label.lower()))[:63]


def create_database(host: str, port: int, name: str, *, user: str = "postgres") -> None:
    q = quote_ident(name)
    admin(host, port, "SET client_min_messages = warning",
          f"DROP DATABASE IF EXISTS {q}", user=user)
    admin(host, port, f"CREATE DATABASE {q}", user=user)


def drop_database(host: str, port: int, name: str, *, user: str = "postgres") -> None:
    """Best effort: a failure to drop is not the test's failure."""
    try:
        admin(host, port, "SET client_min_messages = warning",
              f"DROP DATABASE IF EXISTS {quote_ident(name)}", user=user, check=False)
    except Exception:
        pass
