"""Session fixtures shared by every test directory.

- `pg18_bin`        Path of PostgreSQL 18's client programs (installed on demand).
- `tusk_server`     one `tusk serve` for the session on a scratch data directory
                    (TUSK_TEST_TARGET=pg18 runs a real PostgreSQL 18 instead, to
                    validate the tests themselves); has host, port, dsn, datadir,
                    restart(), kill9(), psql(sql, dbname).
- `scratch_server`  a server of its own for one test (for kill -9 tests).
- `fresh_database`  a uniquely named database on tusk_server, dropped afterwards.
- `psql`            psql(sql) -> output, run like pg_regress runs it, in fresh_database.

When a test that used the server fails, the tail of the server log is attached
to the report.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import pg18  # noqa: E402
from support.psql import unique_name  # noqa: E402
from support.server import BaseServer, make_server, target, tusk_cli_available  # noqa: E402

_SERVERS: list[BaseServer] = []


def _new_server() -> BaseServer:
    if target() == "tusk" and not tusk_cli_available():
        # Tests are written ahead of the engine and validated with
        # TUSK_TEST_TARGET=pg18; they run against tusk serve once it exists.
        pytest.skip("tuskdb.cli (tusk serve) does not exist yet")
    return make_server()


@pytest.fixture(scope="session")
def pg18_bin() -> Path:
    return pg18.bin_dir()


@pytest.fixture(scope="session")
def tusk_server(pg18_bin):
    srv = _new_server()
    _SERVERS.append(srv)
    try:
        srv.start()
        yield srv
    finally:
        _SERVERS.remove(srv)
        srv.cleanup()


@pytest.fixture
def scratch_server(pg18_bin):
    """A server of its own for one test (crash tests kill it), scratch data dir."""
    srv = _new_server()
    _SERVERS.append(srv)
    try:
        srv.start()
        yield srv
    finally:
        _SERVERS.remove(srv)
        srv.cleanup()


@pytest.fixture
def fresh_database(tusk_server):
    name = unique_name("t")
    tusk_server.create_database(name)
    yield name
    tusk_server.drop_database(name)


@pytest.fixture
def psql(tusk_server, fresh_database):
    def run(sql: str, dbname: str | None = None, **kw) -> str:
        return tusk_server.psql(sql, dbname or fresh_database, **kw)
    return run


def _uses_server(item) -> bool:
    names = getattr(item, "fixturenames", ())
    return "tusk_server" in names or "scratch_server" in names


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and _SERVERS and _uses_server(item):
        for srv in _SERVERS:
            state = "running" if srv.alive() else "NOT RUNNING"
            report.sections.append((f"{srv.kind} server log ({srv.log_path}, {state}), tail",
                                    srv.log_tail(120)))
    return report
