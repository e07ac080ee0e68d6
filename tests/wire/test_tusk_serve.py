"""`tusk serve` options that the shared PostgreSQL oracle cannot mirror:
SCRAM authentication (--password), Unix socket, SIGTERM shutdown."""

from __future__ import annotations

import asyncio
import os
import subprocess
import threading
import time

import asyncpg
import psycopg
import pytest
from support import pg18
from support.server import TuskServer, target

pytestmark = pytest.mark.skipif(target() != "tusk", reason="tusk serve options")


@pytest.fixture
def own_server(pg18_bin):
    servers = []

    def make(*extra_args: str) -> TuskServer:
        srv = TuskServer.create(extra_args=list(extra_args))
        servers.append(srv)
        srv.start()
        return srv
    yield make
    for srv in servers:
        srv.cleanup()


def test_scram_password(own_server):
    srv = own_server("--password", "s3cret pw")
    dsn = f"host={srv.host} port={srv.port} user=postgres dbname=postgres"
    with psycopg.connect(dsn + " password='s3cret pw'") as c:
        assert c.execute("select 1").fetchone() == (1,)
    with pytest.raises(psycopg.OperationalError,
                       match='password authentication failed for user "postgres"'):
        psycopg.connect(dsn + " password=wrong")
    with pytest.raises(psycopg.OperationalError,
                       match='password authentication failed for user "nosuchrole"'):
        psycopg.connect(f"host={srv.host} port={srv.port} user=nosuchrole dbname=postgres "
                        "password=x")

    async def apg():
        conn = await asyncpg.connect(host=srv.host, port=srv.port, user="postgres",
                                     database="postgres", password="s3cret pw")
        try:
            return await conn.fetchval("select 2")
        finally:
            await conn.close()
    assert asyncio.run(apg()) == 2
    env = dict(os.environ, PGPASSWORD="s3cret pw")
    out = subprocess.run([pg18.program("psql"), "-X", "-At", "-h", srv.host, "-p", str(srv.port),
                          "-U", "postgres", "-c", "select 3"], capture_output=True, text=True,
                         env=env, timeout=60, check=False)
    assert out.stdout == "3\n", out.stderr


def test_unix_socket(own_server, tmp_path):
    os.chmod(tmp_path, 0o755)
    srv = own_server("--unix-socket-dir", str(tmp_path))
    with psycopg.connect(f"host={tmp_path} port={srv.port} user=postgres "
                         "dbname=postgres") as c:
        assert c.execute("select 1").fetchone() == (1,)


def test_sigterm_terminates_sessions(own_server):
    srv = own_server()
    dsn = f"host={srv.host} port={srv.port} user=postgres dbname=postgres"
    idle = psycopg.connect(dsn, autocommit=True)
    busy = psycopg.connect(dsn, autocommit=True)
    busy.execute("create table big (i int)")
    busy.execute("insert into big values " + ",".join(f"({i})" for i in range(1000)))
    errors = []

    def run():
        try:
            busy.execute("select count(*) from big a, big b, big c")
        except psycopg.Error as e:
            errors.append(e)
    t = threading.Thread(target=run)
    t.start()
    time.sleep(0.5)
    t0 = time.monotonic()
    srv.stop()
    t.join(30)
    assert time.monotonic() - t0 < 20
    assert errors and isinstance(errors[0], psycopg.errors.AdminShutdown)
    assert "terminating connection due to administrator command" in str(errors[0])
    with pytest.raises(psycopg.OperationalError):
        idle.execute("select 1")
    idle.close()
    busy.close()
