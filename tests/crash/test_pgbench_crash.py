"""pgbench 18 against `tusk serve`: TPC-B's invariant survives a kill -9.

Every TPC-B transaction adds the same delta to one account, one teller and
one branch and inserts it into pgbench_history, atomically. Starting from
zero balances, after any sequence of commits and a crash the four sums are
equal: sum(abalance) = sum(bbalance) = sum(tbalance) = sum(history.delta).
A torn transaction (partly replayed, or committed without its WAL) breaks it.
"""
from __future__ import annotations

import re
import subprocess
import time

import pytest

from support import pg18

DB = "pgbench_crash"

SUMS_SQL = """SELECT (SELECT coalesce(sum(abalance), 0) FROM pgbench_accounts),
       (SELECT coalesce(sum(bbalance), 0) FROM pgbench_branches),
       (SELECT coalesce(sum(tbalance), 0) FROM pgbench_tellers),
       (SELECT coalesce(sum(delta), 0) FROM pgbench_history),
       (SELECT count(*) FROM pgbench_history),
       (SELECT count(*) FROM pgbench_accounts)"""


def pgbench(server, *args: str, timeout: float = 300, check: bool = True) -> str:
    cmd = [pg18.program("pgbench"), "-h", server.host, "-p", str(server.port),
           "-U", server.user, *args, DB]
    p = subprocess.run(cmd, env=server.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if check and p.returncode != 0:
        pytest.fail(f"pgbench {' '.join(args)} exited {p.returncode}:\n{p.stdout[-4000:]}",
                    pytrace=False)
    return p.stdout


def query(server, sql: str) -> list[str]:
    cmd = [pg18.program("psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
           "-h", server.host, "-p", str(server.port), "-U", server.user, "-d", DB, "-c", sql]
    p = subprocess.run(cmd, env=server.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert p.returncode == 0, f"psql failed ({p.returncode}):\n{p.stdout}"
    return p.stdout.strip().split("|")


def sums(server) -> dict[str, int]:
    a, b, t, h, n_hist, n_acc = (int(x) for x in query(server, SUMS_SQL))
    return {"accounts": a, "branches": b, "tellers": t, "history": h,
            "history_rows": n_hist, "account_rows": n_acc}


def assert_balanced(s: dict[str, int], scale: int = 1) -> None:
    assert s["account_rows"] == 100000 * scale, f"pgbench_accounts lost rows: {s}"
    assert s["accounts"] == s["branches"] == s["tellers"] == s["history"], (
        f"TPC-B sums disagree (a torn or lost transaction): {s}")


def figure(output: str, pattern: str) -> int:
    m = re.search(pattern, output)
    assert m, f"no {pattern!r} in pgbench output:\n{output[-3000:]}"
    return int(m.group(1))


def init(server) -> None:
    server.create_database(DB)
    pgbench(server, "-i", "-s", "1", "-q", timeout=600)
    s = sums(server)
    assert s == {"accounts": 0, "branches": 0, "tellers": 0, "history": 0,
                 "history_rows": 0, "account_rows": 100000}, s


def test_pgbench_kill9_recovery(scratch_server):
    srv = scratch_server
    init(srv)
    cmd = [pg18.program("pgbench"), "-h", srv.host, "-p", str(srv.port), "-U", srv.user,
           "-n", "-c", "4", "-j", "2", "-T", "20", DB]
    bench = subprocess.Popen(cmd, env=srv.env(), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    try:
        time.sleep(8)
        assert bench.poll() is None, f"pgbench ended before the crash:\n{bench.communicate()[0]}"
        srv.kill9()
        out, _ = bench.communicate(timeout=120)
    finally:
        if bench.poll() is None:
            bench.kill()
            bench.wait()
    t0 = time.monotonic()
    srv.restart()  # must replay WAL and accept connections again
    recovery_s = time.monotonic() - t0
    print(f"recovery took {recovery_s:.1f}s; pgbench at the crash:\n{out[-1500:]}")
    s = sums(srv)
    print(f"after recovery: {s}")
    assert s["history_rows"] > 0, "no committed TPC-B transaction survived 8 s of load"
    assert_balanced(s)
    # every commit pgbench saw acknowledged is durable (in-flight ones may be too)
    m = re.search(r"number of transactions actually processed: (\d+)", out)
    if m:
        assert s["history_rows"] >= int(m.group(1)), (
            f"acknowledged commits lost: pgbench counted {m.group(1)}, history has {s}")
    # the recovered server takes writes again, and keeps the invariant
    pgbench(srv, "-n", "-c", "2", "-j", "2", "-t", "100")
    s2 = sums(srv)
    assert s2["history_rows"] == s["history_rows"] + 200, (s, s2)
    assert_balanced(s2)


def test_pgbench_select_and_tpcb_no_failures(scratch_server):
    srv = scratch_server
    init(srv)
    out = pgbench(srv, "-n", "-S", "-c", "4", "-j", "2", "-T", "10")
    print(out)
    assert figure(out, r"number of transactions actually processed: (\d+)") > 0
    assert figure(out, r"number of failed transactions: (\d+)") == 0
    out = pgbench(srv, "-n", "-c", "4", "-j", "2", "-T", "10")
    print(out)
    processed = figure(out, r"number of transactions actually processed: (\d+)")
    assert processed > 0
    assert figure(out, r"number of failed transactions: (\d+)") == 0
    s = sums(srv)
    assert s["history_rows"] == processed, (processed, s)
    assert_balanced(s)
