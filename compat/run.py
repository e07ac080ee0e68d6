#!/usr/bin/env python3
"""Compatibility figures: the shared PostgreSQL and sqllogictest corpora run
against TuskDB (or, to validate the harness, a real PostgreSQL 18).

    python -m compat.run regress|slt|all            # measure, compare with compat/*.json
    python -m compat.run all --update               # measure and write compat/*.json
    python -m compat.run all --target pg18          # the same against PostgreSQL 18
    python -m compat.run slt --port 5433            # use a server already running

For each corpus a server is started on a scratch data directory (`tusk serve`,
or PostgreSQL 18 with --target pg18), so one corpus cannot spoil another.

- regress: ../shared/corpus/pg-regress/run_regress.py over parallel_schedule
  with psql 18, scored by score.py -> files passing, statements matched, and
  per-file figures. Written to compat/regress.json with --update.
- slt: ../shared/corpus/slt/slt_run.py with dev.txt and pg18_divergent.txt,
  once over the simple query protocol and once over the extended protocol
  (compat/slt_extended.py) -> records passed per protocol and per file.
  Written to compat/slt.json with --update.

The ratchet (tests/compat/test_ratchet.py, `--check` here): no committed
total figure may drop. Budgets (per-test/statement/file timeouts and a
wall-clock cap per corpus) keep a slow or hung engine within CI's time; work
cut off by a budget counts as failed, so denominators never shrink.
Exit status: 0, or 1 with --check when a figure dropped.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from support import pg18  # noqa: E402
from support.server import BaseServer, PgServer, TuskServer, _die_with_parent, probe  # noqa: E402

SHARED = pg18.SHARED
REGRESS_DIR = SHARED / "corpus" / "pg-regress"
SLT_DIR = SHARED / "corpus" / "slt"
COMPAT = REPO / "compat"
REGRESS_JSON = COMPAT / "regress.json"
SLT_JSON = COMPAT / "slt.json"
PROTOCOLS = ("simple", "extended")


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


# Budgets. Defaults fit CI's 90 minutes on 2 cores with room for the other tests.
REGRESS_TEST_TIMEOUT = env_float("TUSK_COMPAT_REGRESS_TEST_TIMEOUT", 120)    # per file
# Server-side statement_timeout for regress sessions (PGOPTIONS), off by default
# so that sessions see PostgreSQL's settings (psql_pipeline SHOWs it).  A file
# that times out has its psql killed; the engine notices the client is gone
# within a second (Session.check_client) and stops the runaway statement, and a
# server that stops answering is restarted (HANG_SECONDS).  Set e.g. "60s" to
# bound statements anyway.
REGRESS_STATEMENT_TIMEOUT = os.environ.get("TUSK_COMPAT_REGRESS_STATEMENT_TIMEOUT", "0")
REGRESS_BUDGET = env_float("TUSK_COMPAT_REGRESS_BUDGET", 20 * 60)            # whole schedule
SLT_STATEMENT_TIMEOUT = env_float("TUSK_COMPAT_SLT_STATEMENT_TIMEOUT", 10)
SLT_FILE_TIMEOUT = env_float("TUSK_COMPAT_SLT_FILE_TIMEOUT", 120)
SLT_BUDGET = env_float("TUSK_COMPAT_SLT_BUDGET", 15 * 60)                    # per protocol
JOBS = int(os.environ.get("TUSK_COMPAT_JOBS", "2"))
HANG_SECONDS = env_float("TUSK_COMPAT_HANG_SECONDS", 60)  # < the per-test timeout, so the
# hang is seen while the test that caused it still runs; no startup answer that long = hung
PROBE_INTERVAL = 10
MAX_REGRESS_RESTARTS = 3


# --------------------------------------------------------------------------
# servers
# --------------------------------------------------------------------------

class ExternalServer(BaseServer):
    """A server somebody else runs (--port): never started or stopped here."""
    kind = "external"

    def __init__(self, port: int):
        super().__init__(Path(tempfile.gettempdir()), port, owns_root=False)

    def start(self) -> None:
        self.wait_ready(10)

    def stop(self) -> None:
        pass

    def kill9(self) -> None:
        raise RuntimeError("not our server")

    def alive(self) -> bool:
        return True


def new_server(target: str, port: int | None) -> BaseServer:
    if port:
        return ExternalServer(port)
    return PgServer.create() if target == "pg18" else TuskServer.create()


def start_server(srv: BaseServer) -> str | None:
    """Start the server; on failure return the reason (figures are then zero:
    every file and record counts as failed) instead of raising."""
    try:
        srv.start()
        return None
    except Exception as e:  # noqa: BLE001 - reported in the figures and printed
        msg = str(e)
        print(f"compat: server did not start: {msg[:2000]}", file=sys.stderr, flush=True)
        return msg[:500]


def run_bounded(cmd: list[str], log: Path, budget: float, env: dict | None = None,
                cwd: Path | None = None, server: BaseServer | None = None,
                ) -> tuple[int | None, float, bool, bool]:
    """Run cmd in its own process group with output to log; kill the group
    after `budget` seconds, or when `server` has not answered a startup
    packet for HANG_SECONDS (a hung engine would otherwise eat the budget one
    per-test timeout at a time). Returns (exit code, seconds, cut_off, hung)."""
    t0 = time.monotonic()
    last_probe = last_ok = t0
    cut = hung = False
    rc: int | None = None
    with open(log, "wb") as fh:
        p = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             env=env, cwd=cwd, start_new_session=True,
                             preexec_fn=_die_with_parent)
        while True:
            try:
                rc = p.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if budget > 0 and now - t0 > budget:
                cut = True
                break
            if server is not None and now - last_probe >= PROBE_INTERVAL:
                last_probe = now
                if probe(server.host, server.port, server.user, timeout=10) == "ready":
                    last_ok = time.monotonic()
                elif time.monotonic() - last_ok > HANG_SECONDS:
                    hung = True
                    break
        if rc is None:
            # SIGTERM first: slt_run.py turns it into a summary of what ran
            os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
    try:
        os.killpg(p.pid, signal.SIGKILL)  # stray psql children
    except (ProcessLookupError, PermissionError):
        pass
    return rc, time.monotonic() - t0, cut, hung


def scratch(outdir: Path | None, name: str) -> Path:
    base = outdir or Path(tempfile.mkdtemp(prefix="tusk-compat-"))
    d = base / name
    if d.exists():
        shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    for p in (base, d):
        os.chmod(p, 0o777)   # the PostgreSQL oracle (another OS user) writes results/ here
    return d


# --------------------------------------------------------------------------
# pg-regress
# --------------------------------------------------------------------------

FALLBACK_PGOPTIONS = ("-c lc_messages=C -c lc_monetary=C -c lc_numeric=C -c lc_time=C "
                      "-c bytea_output=hex -c timezone_abbreviations=Default")


def regress_fallback_setup(srv: BaseServer, out: Path) -> str:
    from support.psql import admin
    log = []
    for create in ('CREATE DATABASE "regression" TEMPLATE=template0', 'CREATE DATABASE "regression"'):
        admin(srv.host, srv.port, "SET client_min_messages = warning",
              'DROP DATABASE IF EXISTS "regression"', check=False)
        res = admin(srv.host, srv.port, create, check=False)
        log.append(f"{create}: {res.strip() or 'ok'}")
        if "ERROR" not in res:
            break
    (out / "setup-fallback.log").write_text("\n".join(log) + "\n")
    print("compat: regress database setup failed; fallback: " + "; ".join(log), flush=True)
    return "fallback: " + create + " and PGOPTIONS " + FALLBACK_PGOPTIONS


def with_retry(fn, *args) -> dict:
    """Run a corpus; if the server died under it, run it once more on a fresh
    server (a crash that repeats is the engine's; one that does not repeat was
    most likely a signal from outside, e.g. another test run on the machine)."""
    fig = fn(*args)
    m = fig.get("measured") or next(iter(v["measured"] for v in fig.values()
                                         if isinstance(v, dict) and "measured" in v))
    if m["server_alive_at_end"] or m["server_start_error"] or m["target"] == "external":
        return fig
    died = m["outdir"] + "-server-died"
    shutil.rmtree(died, ignore_errors=True)
    os.rename(m["outdir"], died)
    print(f"compat: the server died during {fn.__name__} {args[0] if args[0] in PROTOCOLS else ''}"
          f" (outputs kept in {died}); running it once more", flush=True)
    again = fn(*args)
    again["measured"]["retried_after_server_death"] = died
    return again


def regress_schedule() -> list[str]:
    tests: list[str] = []
    for line in (REGRESS_DIR / "parallel_schedule").read_text().splitlines():
        if line.startswith("test: "):
            tests += line[6:].split()
    return tests


def regress_finished(log: Path) -> list[tuple[str, bool]]:
    """(test, timed out) for each test run_regress.py reported (it runs them
    one at a time, in order)."""
    done = []
    for line in log.read_text(errors="replace").splitlines():
        m = re.match(r"^(?:ok|FAILED)\s+\d+ - (\S+)", line)
        if m:
            done.append((m.group(1), "(timeout" in line))
    return done


def run_regress(target: str, port: int | None, outdir: Path | None,
                tests: list[str] | None = None) -> dict:
    """The whole parallel_schedule, one test at a time. When the server hangs
    (answers no new connection for HANG_SECONDS), the test it hung in counts
    as failed, the server is killed and restarted on the same data directory
    (crash recovery), and the rest of the schedule runs on; at most
    MAX_REGRESS_RESTARTS times."""
    out = scratch(outdir, "regress")
    psql = pg18.program("psql")
    srv = new_server(target, port)
    start_error = start_server(srv)
    hangs: list[str | None] = []
    setup = "run_regress.py"
    secs, cut = 0.0, False
    parts = [out]
    try:
        base = [sys.executable, str(REGRESS_DIR / "run_regress.py"), "--psql", psql,
                "--host", srv.host, "--port", str(srv.port), "--user", srv.user,
                "--timeout", str(REGRESS_TEST_TIMEOUT)]
        options = ("" if REGRESS_STATEMENT_TIMEOUT in ("", "0")
                   else f"-c statement_timeout={REGRESS_STATEMENT_TIMEOUT}")
        env: dict | None = dict(os.environ, PGOPTIONS=options)
        remaining: list[str] | None = tests   # None: the whole schedule
        use_existing = False
        watch = None if port else srv
        while not start_error:
            part_out = parts[-1]
            cmd = base + ["--outdir", str(part_out)]
            cmd += (["--schedule", str(REGRESS_DIR / "parallel_schedule")] if remaining is None
                    else remaining)
            cmd += ["--use-existing"] if use_existing else ["--drop-leftovers"]
            log = part_out / "run_regress.log"
            rc, took, cut, hung = run_bounded(cmd, log, REGRESS_BUDGET - secs, env=env,
                                              server=watch)
            secs += took
            if (rc == 2 and not use_existing
                    and "run_regress: command failed" in log.read_text(errors="replace")):
                # The engine cannot do pg_regress's database setup yet (CREATE DATABASE
                # ... TEMPLATE=template0 + ALTER DATABASE SET). Give every session the
                # same settings through PGOPTIONS instead and run --use-existing, so
                # that the figures still measure the tests themselves.
                setup = regress_fallback_setup(srv, out)
                env = dict(os.environ, PGOPTIONS=f"{FALLBACK_PGOPTIONS} {options}".strip())
                use_existing = True
                continue
            if not hung:
                break
            todo = regress_schedule() if remaining is None else remaining
            done = regress_finished(log)
            rest = todo[len(done):]
            if done and done[-1][1]:
                # the last test ran into its timeout: that is where the server hung;
                # the one after it never got a connection and runs again
                hangs.append(done[-1][0])
            else:
                hangs.append(rest[0] if rest else None)
                rest = rest[1:]
            print(f"compat: server hung in regress test {hangs[-1]}; restarting it "
                  f"(crash recovery) and going on", flush=True)
            srv.kill9()
            if start_server(srv) or len(hangs) > MAX_REGRESS_RESTARTS or not rest:
                break
            remaining, use_existing = rest, True
            parts.append(out / f"part{len(parts)}")
            parts[-1].mkdir()
            os.chmod(parts[-1], 0o777)
        server_alive = srv.alive()
    finally:
        if not port:
            shutil.copy(srv.log_path, out / "server.log") if srv.log_path.exists() else None
        srv.cleanup()
    for part in parts[1:]:   # one results/ for the scorer
        for f in (part / "results").glob("*.out"):
            shutil.copy(f, out / "results" / f.name)
    score_json = out / "score.json"
    subprocess.run([sys.executable, str(REGRESS_DIR / "score.py"), str(out / "results"),
                    "--corpus", str(REGRESS_DIR), "--json", str(score_json)],
                   stdout=open(out / "score.log", "wb"), stderr=subprocess.STDOUT, check=True)
    s = json.loads(score_json.read_text())
    per_file = {t: {"matched": v["matched"], "statements": v["statements"],
                    "passes": bool(v["file_passes"])} for t, v in s["tests"].items()}
    return {
        "corpus": "pg-regress (PostgreSQL 18.6 src/test/regress, parallel_schedule, psql 18)",
        "measured": dict(measured(target, secs, cut, server_alive, out, start_error),
                         setup=setup, server_hangs=hangs),
        "files_passed": s["files_passing"],
        "files": s["files"],
        "statements_matched": s["statements_matched"],
        "statements": s["statements"],
        "percent": round(s["percent"], 2),
        "tests": per_file,
    }


# --------------------------------------------------------------------------
# sqllogictest
# --------------------------------------------------------------------------

def run_slt_protocol(protocol: str, target: str, port: int | None, outdir: Path | None) -> dict:
    out = scratch(outdir, f"slt-{protocol}")
    runner = ([str(SLT_DIR / "slt_run.py")] if protocol == "simple"
              else [str(COMPAT / "slt_extended.py")])
    srv = new_server(target, port)
    start_error = start_server(srv)
    try:
        result_json = out / "slt.json"
        cmd = [sys.executable, *runner, "--host", srv.host, "--port", str(srv.port),
               "--user", srv.user, "--file-list", str(SLT_DIR / "dev.txt"),
               "--skip-list", str(SLT_DIR / "pg18_divergent.txt"),
               "--timeout-s", str(SLT_STATEMENT_TIMEOUT),
               "--file-timeout-s", str(SLT_FILE_TIMEOUT),
               "-j", str(JOBS), "--json", str(result_json)]
        env = dict(os.environ, TUSK_SHARED=str(SHARED))
        if start_error:
            rc, secs, cut = None, 0.0, False
        else:
            # no hang watchdog: slt_run.py cancels, cuts and reconnects by itself,
            # and a hung server fails each remaining file within seconds
            rc, secs, cut, _ = run_bounded(cmd, out / "slt_run.log", SLT_BUDGET, env=env)
        server_alive = srv.alive()
    finally:
        if not port:
            shutil.copy(srv.log_path, out / "server.log") if srv.log_path.exists() else None
        srv.cleanup()
    files_expected = slt_file_records()
    per_file: dict[str, int] = {f: 0 for f in files_expected}
    cut_files: dict[str, str] = {f: "not run (budget)" for f in files_expected}
    files_all_passed = 0
    if result_json.exists():
        r = json.loads(result_json.read_text())
        for f in r["files"]:
            name = rel_slt(f["file"])
            per_file[name] = f["passed"]
            if f["aborted"]:
                cut_files[name] = f["aborted"][:200]
            else:
                cut_files.pop(name, None)
        files_all_passed = r["totals"]["files_all_passed"]
    passed = sum(per_file.values())
    complete = sum(n for f, n in per_file.items() if f not in cut_files)
    scored = sum(files_expected.values())
    return {
        "measured": measured(target, secs, cut, server_alive, out, start_error),
        "records_passed": passed,
        "records_passed_in_complete_files": complete,
        "records_scored": scored,
        "files_all_passed": files_all_passed,
        "files": len(files_expected),
        "percent": round(100.0 * passed / scored, 3) if scored else 0.0,
        "files_passed_records": per_file,
        "files_cut_off": cut_files,
    }


def rel_slt(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(SLT_DIR.resolve()))
    except ValueError:
        return path


def slt_file_records() -> dict[str, int]:
    """Records scored per file, independent of any server: dev.txt's columns
    give per path the records executed for engine postgresql (executed_pg=)
    and those PostgreSQL 18.6 fails (pg18_divergent=, listed in
    pg18_divergent.txt and not scored)."""
    counts = {}
    for line in (SLT_DIR / "dev.txt").read_text().splitlines():
        cols = line.split()
        if not cols or line.startswith("#"):
            continue
        kv = dict(c.split("=", 1) for c in cols[1:] if "=" in c)
        counts[cols[0]] = int(kv["executed_pg"]) - int(kv["pg18_divergent"])
    return counts


def run_slt(target: str, port: int | None, outdir: Path | None) -> dict:
    res = {"corpus": "sqllogictest development subset (../shared/corpus/slt dev.txt, "
                     "pg18_divergent.txt not scored)"}
    for proto in PROTOCOLS:
        res[proto] = with_retry(run_slt_protocol, proto, target, port, outdir)
    return res


# --------------------------------------------------------------------------
# figures and the ratchet
# --------------------------------------------------------------------------

def measured(target: str, secs: float, cut: bool, alive: bool, out: Path,
             start_error: str | None = None) -> dict:
    commit = os.environ.get("TUSK_COMPAT_COMMIT", "")
    if not commit:
        try:
            commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                                    capture_output=True, text=True).stdout.strip()
        except OSError:
            pass
    return {"target": target, "commit": commit,
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "wall_seconds": round(secs, 1), "cut_by_budget": cut,
            "server_alive_at_end": alive, "server_start_error": start_error,
            "outdir": str(out)}


def ratchet_figures(corpus: str, figures: dict) -> dict[str, int]:
    """The totals that must never drop."""
    if corpus == "regress":
        return {"files_passed": figures.get("files_passed", 0),
                "statements_matched": figures.get("statements_matched", 0)}
    # Records of files that ran to the end: a file cut off by a timeout (a
    # slow engine on a loaded machine) would make the figure wobble.
    return {f"{p}.records_passed_in_complete_files":
            figures.get(p, {}).get("records_passed_in_complete_files", 0) for p in PROTOCOLS}


def compare(corpus: str, committed: dict, now: dict) -> list[str]:
    """Figures that dropped, as messages (empty list: the ratchet holds)."""
    old, new = ratchet_figures(corpus, committed), ratchet_figures(corpus, now)
    return [f"{corpus}: {k} dropped from {old[k]} to {new[k]}" for k in old if new[k] < old[k]]


def per_file_drops(corpus: str, committed: dict, now: dict) -> list[str]:
    """Per-file losses (informational: the ratchet is on totals)."""
    out = []
    if corpus == "regress":
        for t, v in committed.get("tests", {}).items():
            n = now.get("tests", {}).get(t, {}).get("matched", 0)
            if n < v["matched"]:
                out.append(f"regress {t}: {v['matched']} -> {n} statements")
    else:
        for p in PROTOCOLS:
            for f, v in committed.get(p, {}).get("files_passed_records", {}).items():
                n = now.get(p, {}).get("files_passed_records", {}).get(f, 0)
                if n < v:
                    cut = now.get(p, {}).get("files_cut_off", {}).get(f)
                    out.append(f"slt {p} {f}: {v} -> {n} records" + (f" ({cut})" if cut else ""))
    return out


def summary_line(corpus: str, fig: dict) -> str:
    if corpus == "regress":
        return (f"regress: {fig['files_passed']}/{fig['files']} files, "
                f"{fig['statements_matched']}/{fig['statements']} statements "
                f"({fig['percent']}%) in {fig['measured']['wall_seconds']}s"
                f"{' (cut by budget)' if fig['measured']['cut_by_budget'] else ''}")
    parts = []
    for p in PROTOCOLS:
        f = fig[p]
        parts.append(f"{p} {f['records_passed']}/{f['records_scored']} records ({f['percent']}%; "
                     f"{f['records_passed_in_complete_files']} in files run to the end), "
                     f"{f['files_all_passed']}/{f['files']} files, {f['measured']['wall_seconds']}s"
                     f"{' (cut by budget)' if f['measured']['cut_by_budget'] else ''}")
    return "slt: " + "; ".join(parts)


def load(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", choices=["regress", "slt", "all"])
    ap.add_argument("--target", choices=["tusk", "pg18"], default="tusk")
    ap.add_argument("--port", type=int, help="use a server already listening on 127.0.0.1:PORT")
    ap.add_argument("--outdir", type=Path, help="keep run outputs here (default: a temp dir)")
    ap.add_argument("--update", action="store_true", help="write the figures to compat/*.json")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if a figure dropped below the committed one")
    ap.add_argument("--json", type=Path, help="also write all measured figures here")
    ap.add_argument("--tests", nargs="+", metavar="TEST",
                    help="regress only: run these tests (test_setup first), print each "
                         "file's figures; nothing is compared or written")
    a = ap.parse_args(argv)
    if a.tests:
        if a.corpus != "regress" or a.update:
            ap.error("--tests runs part of regress; it cannot --update")
        tests = a.tests if a.tests[0] == "test_setup" else ["test_setup", *a.tests]
        fig = run_regress(a.target, a.port, a.outdir, tests)
        for t in tests:
            v = fig["tests"].get(t)
            if v:
                print(f"{t:32} {v['matched']:5}/{v['statements']:<5} "
                      f"{'passes' if v['passes'] else ''}")
        print(summary_line("regress", fig), flush=True)
        return 0
    # SIGTERM -> SystemExit, so that atexit stops the servers this run started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if a.update and a.target != "tusk":
        ap.error("--update records TuskDB's figures; use --json for other targets")
    corpora = ["regress", "slt"] if a.corpus == "all" else [a.corpus]
    results, drops = {}, []
    for c in corpora:
        if c == "regress":
            fig = with_retry(run_regress, a.target, a.port, a.outdir)
        else:
            fig = run_slt(a.target, a.port, a.outdir)
        results[c] = fig
        print(summary_line(c, fig), flush=True)
        path = REGRESS_JSON if c == "regress" else SLT_JSON
        committed = load(path)
        if a.target == "tusk":
            d = compare(c, committed, fig)
            drops += d
            for msg in d + per_file_drops(c, committed, fig):
                print("  " + msg)
        if a.update:
            path.write_text(json.dumps(fig, indent=1, sort_keys=False) + "\n")
            print(f"  wrote {path.relative_to(REPO)}")
    if a.json:
        a.json.write_text(json.dumps(results, indent=1) + "\n")
    if a.check and drops:
        print("ratchet: figures dropped:\n  " + "\n  ".join(drops))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
