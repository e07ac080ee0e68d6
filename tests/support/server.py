"""Run a server for tests: `tusk serve` on a scratch data directory, or, to
validate the tests themselves, a real PostgreSQL 18 (TUSK_TEST_TARGET=pg18).

    srv = TuskServer.create()      # or make_server() to honour TUSK_TEST_TARGET
    srv.start()                    # waits until the server answers a startup packet
    srv.kill9(); srv.restart()     # crash and recover on the same data directory
    srv.stop()                     # SIGTERM, then SIGKILL to the whole process group

Both kinds expose host, port, dsn, datadir, user, log_path, log_tail().
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import pg18

REPO = pg18.REPO
START_TIMEOUT = float(os.environ.get("TUSK_START_TIMEOUT", "120"))
STOP_TIMEOUT = float(os.environ.get("TUSK_STOP_TIMEOUT", "30"))


def _die_with_parent() -> None:
    """preexec_fn: SIGKILL this child when the process that started it dies, so
    that a killed pytest or compat run cannot leave servers behind (Linux)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - best effort, other OSes
        pass


# A runaway query (e.g. a recursive CTE that never ends, still running after
# its client was killed by a timeout) must not take the whole machine's
# memory: the server gets MemoryError instead. 0 = no limit.
SERVER_MEMORY_MB = int(os.environ.get("TUSK_SERVER_MEMORY_MB", "8192"))


def _server_child_setup() -> None:
    _die_with_parent()
    if SERVER_MEMORY_MB > 0:
        try:
            import resource
            limit = SERVER_MEMORY_MB * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass


_LIVE: set["BaseServer"] = set()


@atexit.register
def _kill_leftovers() -> None:
    for srv in list(_LIVE):
        try:
            srv.stop()
        except Exception:  # noqa: BLE001
            pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def probe(host: str, port: int, user: str = "postgres", dbname: str = "postgres",
          timeout: float = 5.0) -> str:
    """Send a v3 StartupMessage and classify the first answer:
    'ready' (authentication request or ready), 'starting' (57P03 / refused),
    or 'error: ...' for any other error response."""
    try:
        s = socket.create_connection((host, port), timeout=timeout)
    except OSError:
        return "starting"
    try:
        body = struct.pack("!I", 196608)
        for k, v in (("user", user), ("database", dbname), ("application_name", "tusk-probe")):
            body += k.encode() + b"\0" + v.encode() + b"\0"
        body += b"\0"
        s.sendall(struct.pack("!I", len(body) + 4) + body)
        head = b""
        while len(head) < 5:
            chunk = s.recv(5 - len(head))
            if not chunk:
                return "starting"
            head += chunk
        kind, length = head[:1], struct.unpack("!I", head[1:5])[0]
        if kind == b"R":
            try:
                s.sendall(b"X" + struct.pack("!I", 4))
            except OSError:
                pass
            return "ready"
        if kind == b"E":
            payload = b""
            while len(payload) < length - 4:
                chunk = s.recv(length - 4 - len(payload))
                if not chunk:
                    break
                payload += chunk
            fields = {f[:1]: f[1:].decode("utf-8", "replace") for f in payload.split(b"\0") if f}
            if fields.get(b"C") in ("57P03", "53300"):
                return "starting"
            return f"error: {fields.get(b'C')} {fields.get(b'M')}"
        return f"error: unexpected message {kind!r}"
    except OSError:
        return "starting"
    finally:
        s.close()


def _scratch_dir(prefix: str) -> Path:
    base = Path(os.environ.get("TUSK_TEST_TMP", tempfile.gettempdir()))
    d = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    os.chmod(d, 0o755)  # the PostgreSQL oracle runs as another OS user
    return d


class BaseServer:
    kind = "?"
    host = "127.0.0.1"
    user = "postgres"

    def __init__(self, root: Path, port: int | None = None, owns_root: bool = True):
        self.root = Path(root)
        self.datadir = self.root / "data"
        self.port = port or free_port()
        self.owns_root = owns_root
        self.log_path = self.root / "server.log"
        self.starts = 0

    # -- connection strings -------------------------------------------------
    @property
    def dsn(self) -> str:
        return self.dsn_for("postgres")

    def dsn_for(self, dbname: str) -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname={dbname}"

    def env(self) -> dict[str, str]:
        """Environment for libpq programs (psql, pgbench) aimed at this server."""
        env = dict(os.environ)
        env.update(PGHOST=self.host, PGPORT=str(self.port), PGUSER=self.user)
        env.pop("PGHOSTADDR", None)
        env.pop("PGDATABASE", None)
        env.pop("PGSERVICE", None)
        return env

    # -- log ----------------------------------------------------------------
    def log_tail(self, lines: int = 200) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    # -- psql ---------------------------------------------------------------
    def psql(self, sql: str, dbname: str = "postgres", **kw) -> str:
        """Run sql through psql 18 with pg_regress's flags; return its output."""
        from .psql import run_psql
        return run_psql(self.host, self.port, dbname, sql, user=self.user, **kw)

    def create_database(self, name: str) -> None:
        from .psql import create_database
        create_database(self.host, self.port, name, user=self.user)

    def drop_database(self, name: str) -> None:
        from .psql import drop_database
        drop_database(self.host, self.port, name, user=self.user)

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        last = "starting"
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.kind} server exited during startup "
                                   f"(port {self.port}); log:\n{self.log_tail()}")
            last = probe(self.host, self.port, self.user)
            if last == "ready":
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.kind} server did not accept connections within "
                           f"{timeout:.0f}s (last probe: {last}); log:\n{self.log_tail()}")

    def restart(self) -> None:
        """Stop (if running) and start again on the same data directory and port."""
        if self.alive():
            self.stop()
        self.start()

    def cleanup(self) -> None:
        self.stop()
        if self.owns_root and not os.environ.get("TUSK_KEEP_DATA"):
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.cleanup()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.host}:{self.port} {self.datadir}>"

    # implemented by subclasses
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def kill9(self) -> None: ...
    def alive(self) -> bool: ...


class TuskServer(BaseServer):
    """`python -m tuskdb.cli serve -D DIR -p PORT --listen 127.0.0.1` in its own
    process group, output to server.log in the scratch root."""

    kind = "tusk"

    def __init__(self, root: Path, port: int | None = None, owns_root: bool = True,
                 extra_args: list[str] | None = None):
        super().__init__(root, port, owns_root)
        self.proc: subprocess.Popen | None = None
        env_args = os.environ.get("TUSK_SERVE_ARGS", "").split()
        self.extra_args = list(extra_args or []) + env_args

    @classmethod
    def create(cls, **kw) -> "TuskServer":
        return cls(_scratch_dir("tusk-test-"), **kw)

    def command(self) -> list[str]:
        return [sys.executable, "-m", "tuskdb.cli", "serve", "-D", str(self.datadir),
                "-p", str(self.port), "--listen", self.host, *self.extra_args]

    def start(self) -> None:
        if self.alive():
            return
        self.starts += 1
        log = open(self.log_path, "ab")
        log.write(f"\n===== start #{self.starts}: {' '.join(self.command())}\n".encode())
        log.flush()
        env = dict(os.environ)
        env.setdefault("PYTHONUNBUFFERED", "1")
        try:
            self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, cwd=str(REPO), env=env,
                                         start_new_session=True, preexec_fn=_server_child_setup)
            _LIVE.add(self)
        finally:
            log.close()
        try:
            self.wait_ready()
        except BaseException:
            self._kill_group(signal.SIGKILL)
            raise

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def _kill_group(self, sig: int) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, sig)  # the group we created with start_new_session
        except (ProcessLookupError, PermissionError):
            pass
        if sig == signal.SIGKILL:
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass

    def kill9(self) -> None:
        """SIGKILL the server and everything in its process group (a crash)."""
        self._kill_group(signal.SIGKILL)
        self._note("===== killed with SIGKILL")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self._kill_group(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._note(f"===== no exit {STOP_TIMEOUT:.0f}s after SIGTERM: SIGKILL")
        # whatever is left of the group (helper processes) goes too
        self._kill_group(signal.SIGKILL)
        _LIVE.discard(self)

    def _note(self, text: str) -> None:
        try:
            with open(self.log_path, "a") as f:
                f.write(text + "\n")
        except OSError:
            pass


class PgServer(BaseServer):
    """A real PostgreSQL 18 (the oracle), same interface as TuskServer."""

    kind = "pg18"

    @classmethod
    def create(cls, **kw) -> "PgServer":
        return cls(_scratch_dir("tusk-pg18-"), **kw)

    def __init__(self, root: Path, port: int | None = None, owns_root: bool = True):
        super().__init__(root, port, owns_root)
        self.log_path = self.datadir / "server.log"

    def start(self) -> None:
        if self.alive():
            return
        self.starts += 1
        pg18.start(self.port, self.datadir)
        _LIVE.add(self)
        self.wait_ready()

    def _pids(self) -> list[int]:
        """The postmaster and its children (found by parent pid)."""
        pm = pg18.postmaster_pid(self.datadir)
        if pm is None:
            return []
        pids = [pm]
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == pm:
                pids.append(int(entry))
        return pids

    def alive(self) -> bool:
        pm = pg18.postmaster_pid(self.datadir)
        if pm is None:
            return False
        try:
            os.kill(pm, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def kill9(self) -> None:
        pids = self._pids()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in pids):
            time.sleep(0.05)

    def stop(self) -> None:
        if self.alive():
            try:
                pg18.stop(self.datadir)
            except RuntimeError:
                self.kill9()
        _LIVE.discard(self)


def target() -> str:
    """Which server the test fixtures run: 'tusk' (default) or 'pg18'."""
    t = os.environ.get("TUSK_TEST_TARGET", "tusk").lower()
    if t not in ("tusk", "pg18"):
        raise RuntimeError(f"TUSK_TEST_TARGET must be tusk or pg18, not {t!r}")
    return t


def tusk_cli_available() -> bool:
    """True once `tuskdb.cli` (the `tusk` command) exists in the checkout."""
    import importlib.util
    try:
        return importlib.util.find_spec("tuskdb.cli") is not None
    except (ImportError, ValueError):
        return False


def make_server(kind: str | None = None) -> BaseServer:
    kind = kind or target()
    return PgServer.create() if kind == "pg18" else TuskServer.create()
