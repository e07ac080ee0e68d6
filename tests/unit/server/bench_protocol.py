"""Protocol overhead benchmark: the server in front of an engine that answers
every simple query with one canned int4 row (pgbench -S's result shape).

    python tests/unit/server/bench_protocol.py [seconds]      # raw-socket client
    PGBENCH=$(../shared/tools/pg18 bin)/pgbench [MODE=prepared] \
        python tests/unit/server/bench_protocol.py

Prints queries/s and the server's CPU time per query (thread CPU of the
connection thread ≈ the protocol overhead, as the engine does nothing).
"""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from fake_engine import Field, QueryResult, RoleAuth, text_encoder

from tuskdb.server import Server

FIELDS = [Field("abalance", 16386, 3, 23, 4, -1, 0)]
ENCODERS = [text_encoder(23)]


class CannedSession:
    pid = 4242
    secret_key = 1
    transaction_status = "I"

    def startup_parameters(self):
        return {"server_version": "18.6", "client_encoding": "UTF8",
                "DateStyle": "ISO, MDY", "integer_datetimes": "on",
                "standard_conforming_strings": "on"}

    def take_parameter_changes(self):
        return {}

    def take_notices(self):
        return []

    def encoders(self, fields):
        return ENCODERS

    def simple_query(self, sql):
        yield QueryResult(fields=FIELDS, rows=[(-1234,)], tag="SELECT 1")

    # extended protocol (pgbench -M extended / prepared)
    def parse(self, name, sql, oids):
        pass

    def describe_statement(self, name):
        return [], FIELDS

    def bind(self, portal, stmt, param_formats, params, result_formats):
        pass

    def describe_portal(self, name):
        return FIELDS

    def execute(self, portal, max_rows):
        return QueryResult(fields=FIELDS, rows=[(-1234,)], tag="SELECT 1")

    def sync(self):
        pass

    def close(self):
        pass


class CannedDatabase:
    def role_auth(self, user):
        return RoleAuth(True, True, None)

    def connect(self, user, dbname, application_name=""):
        return CannedSession()

    def cancel(self, pid, key):
        return False


def raw_client(port: int, seconds: float) -> int:
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    body = struct.pack("!i", 196608) + b"user\0postgres\0database\0postgres\0\0"
    s.sendall(struct.pack("!i", len(body) + 4) + body)
    buf = b""
    while not buf.endswith(b"Z\0\0\0\x05I"):
        buf += s.recv(65536)
    sql = b"SELECT abalance FROM pgbench_accounts WHERE aid = 4711;\0"
    q = b"Q" + struct.pack("!i", len(sql) + 4) + sql
    n = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        s.sendall(q)
        buf = b""
        while not buf.endswith(b"Z\0\0\0\x05I"):
            buf += s.recv(65536)
        n += 1
    s.close()
    return n


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    srv = Server(CannedDatabase(), port=0).start()
    cpu: list[float] = []
    orig = Server._run_connection

    def timed(self, conn):
        t0 = time.thread_time()
        try:
            orig(self, conn)
        finally:
            cpu.append(time.thread_time() - t0)
    Server._run_connection = timed
    pgbench = os.environ.get("PGBENCH")
    if pgbench:
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
            f.write("SELECT abalance FROM pgbench_accounts WHERE aid = 4711;\n")
        mode = os.environ.get("MODE", "simple")
        out = subprocess.run([pgbench, "-n", "-M", mode, "-h", "127.0.0.1", "-p",
                              str(srv.port), "-U", "postgres", "-T", str(int(seconds)), "-f", f.name, "postgres"],
                             capture_output=True, text=True, check=False)
        print(out.stdout[-600:], out.stderr[-600:])
        n = int(next(line for line in out.stdout.splitlines()
                     if "transactions actually processed" in line).split(":")[1].split("/")[0])
    else:
        n = raw_client(srv.port, seconds)
    time.sleep(0.2)
    srv.shutdown()
    print(f"{n / seconds:,.0f} queries/s; server thread CPU {sum(cpu) / n * 1e6:.1f} µs/query")


if __name__ == "__main__":
    main()
