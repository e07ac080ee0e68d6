"""The listener: accepts connections and runs one thread per connection.

    server = Server(database, host="127.0.0.1", port=5432, auth="trust")
    server.serve_forever()      # blocks; SIGINT/SIGTERM → clean shutdown
    database.shutdown()         # the caller owns the Database

or, in tests and embedders, ``server.start()`` (accept loop in a background
thread; ``server.port`` is the bound port, useful with ``port=0``) and
``server.shutdown()``.

Shutdown (PostgreSQL's "fast" mode): stop accepting, then every connection
gets its running statement cancelled and receives FATAL 57P01 "terminating
connection due to administrator command" before its socket is closed.

The postmaster also keeps the backend table used to dispatch CancelRequest
packets: pid → (wire cancel key, session).  The wire key is the session's
4-byte secret key for protocol 3.0, and 32 bytes for protocol 3.2 (the
session's key followed by random bytes), as PostgreSQL 18 sends.
"""

from __future__ import annotations

import hmac
import inspect
import logging
import os
import selectors
import signal
import socket
import threading
import time
from typing import Any

from tuskdb.server.connection import Connection
from tuskdb.server.protocol import UINT32

log = logging.getLogger("tuskdb.server")

AUTH_METHODS = ("trust", "scram-sha-256")
CANCEL_KEY_LEN_3_2 = 32


class _Stop(BaseException):
    """Raised by the signal handler to leave the accept loop."""


class Server:
    """A PostgreSQL protocol listener in front of one engine Database."""

    def __init__(self, database: Any, host: str = "127.0.0.1", port: int = 5432,
                 auth: str = "trust", *, unix_socket_dir: str | None = None,
                 max_connections: int = 100, backlog: int = 128) -> None:
        if auth not in AUTH_METHODS:
            raise ValueError(f"auth must be one of {AUTH_METHODS}, not {auth!r}")
        self.database = database
        self.host = host
        self.port = port
        self.auth = auth
        self.backlog = backlog
        self.unix_socket_dir = unix_socket_dir
        self.authentication_timeout = 60.0     # seconds, as PostgreSQL's default
        self.max_connections = max_connections
        self._n_backends = 0
        self._socks: list[socket.socket] = []
        self._unix_path: str | None = None
        self._wake_r, self._wake_w = socket.socketpair()
        self._lock = threading.Lock()
        self._connections: set[Connection] = set()
        self._backends: dict[int, tuple[bytes, Any, Connection]] = {}
        self._accept_thread: threading.Thread | None = None
        self._stopping = False
        self._stopped = threading.Event()
        try:
            params = inspect.signature(database.connect).parameters
            self._connect_takes_options = "options" in params or any(
                p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        except (TypeError, ValueError):
            self._connect_takes_options = False

    # --- listening -----------------------------------------------------------

    def bind(self) -> None:
        """Create the listening sockets (idempotent); resolves port 0.

        ``host`` is a comma-separated list like listen_addresses ('*' = all
        IPv4 interfaces); ``unix_socket_dir`` adds <dir>/.s.PGSQL.<port>."""
        if self._socks:
            return
        socks: list[socket.socket] = []
        last_error: OSError | None = None
        try:
            for host in [h.strip() for h in self.host.split(",") if h.strip()]:
                if host == "*":
                    host = "0.0.0.0"
                for family, socktype, proto, _, addr in socket.getaddrinfo(
                        host, self.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE):
                    sock = socket.socket(family, socktype, proto)
                    try:
                        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                        if family == socket.AF_INET6:
                            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                        sock.bind((addr[0], self.port) + tuple(addr[2:]))
                        sock.listen(self.backlog)
                    except OSError as exc:
                        # Like PostgreSQL: a WARNING per address that cannot be
                        # bound, FATAL only if none can.
                        sock.close()
                        last_error = exc
                        log.warning("could not bind %s: %s", addr, exc)
                        continue
                    socks.append(sock)
                    if self.port == 0:
                        self.port = sock.getsockname()[1]
            if self.host.strip() and not socks:
                raise last_error or OSError("could not create any TCP/IP sockets")
            if self.unix_socket_dir:
                path = os.path.join(self.unix_socket_dir, f".s.PGSQL.{self.port}")
                if os.path.exists(path):
                    os.unlink(path)
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.bind(path)
                os.chmod(path, 0o777)
                sock.listen(self.backlog)
                socks.append(sock)
                self._unix_path = path
        except BaseException:
            for sock in socks:
                sock.close()
            raise
        self._socks = socks

    def start(self) -> Server:
        """Listen and run the accept loop in a background thread."""
        self.bind()
        t = threading.Thread(target=self._accept_loop, name="tusk-postmaster", daemon=True)
        self._accept_thread = t
        t.start()
        return self

    def serve_forever(self, install_signal_handlers: bool = True) -> None:
        """Listen and accept in the calling thread until SIGINT/SIGTERM (when
        called from the main thread) or ``shutdown()`` from another thread."""
        self.bind()
        previous: dict[int, Any] = {}
        if install_signal_handlers and threading.current_thread() is threading.main_thread():
            def handler(signum: int, frame: Any) -> None:
                if not self._stopping:
                    raise _Stop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                previous[sig] = signal.signal(sig, handler)
        try:
            self._accept_loop()
        except _Stop:
            log.info("received shutdown signal")
        finally:
            self.shutdown()
            for sig, old in previous.items():
                signal.signal(sig, old)

    def _accept_loop(self) -> None:
        sel = selectors.DefaultSelector()
        for sock in self._socks:
            sel.register(sock, selectors.EVENT_READ)
        sel.register(self._wake_r, selectors.EVENT_READ)
        try:
            while not self._stopping:
                for key, _ in sel.select():
                    if self._stopping:
                        return
                    if key.fileobj is self._wake_r:
                        continue
                    self._accept(key.fileobj)  # type: ignore[arg-type]
        finally:
            sel.close()

    def _accept(self, sock: socket.socket) -> None:
        try:
            client, address = sock.accept()
        except OSError:
            if not self._stopping:
                log.exception("accept failed")
                time.sleep(0.05)    # e.g. EMFILE: do not spin on a readable socket
            return
        if self._stopping:
            client.close()
            return
        conn = Connection(self, client, address or "[local]")
        t = threading.Thread(target=self._run_connection, args=(conn,),
                             name=f"tusk-conn-{address}", daemon=True)
        conn.thread = t
        with self._lock:
            self._connections.add(conn)
        t.start()

    def _run_connection(self, conn: Connection) -> None:
        try:
            conn.run()
        finally:
            with self._lock:
                self._connections.discard(conn)

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop accepting; terminate every connection with FATAL 57P01."""
        with self._lock:
            if self._stopping:
                already = True
            else:
                already = False
                self._stopping = True
        if already:
            self._stopped.wait(timeout)
            return
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass
        if self._accept_thread is not None and \
                self._accept_thread is not threading.current_thread():
            self._accept_thread.join(timeout)
        socks, self._socks = self._socks, []
        for sock in socks:
            sock.close()
        if self._unix_path:
            try:
                os.unlink(self._unix_path)
            except OSError:
                pass
        with self._lock:
            conns = list(self._connections)
        for conn in conns:
            conn.terminate()
        deadline = time.monotonic() + timeout
        for conn in conns:
            if conn.thread is not None and conn.thread is not threading.current_thread():
                conn.thread.join(max(0.0, deadline - time.monotonic()))
        self._wake_r.close()
        self._wake_w.close()
        self._stopped.set()

    # --- sessions and cancel keys ---------------------------------------------

    def connect_session(self, user: str, dbname: str, application_name: str,
                        gucs: dict[str, str]) -> Any:
        if self._connect_takes_options:
            return self.database.connect(user, dbname, application_name=application_name,
                                         options=gucs)
        return self.database.connect(user, dbname, application_name=application_name)

    def admit(self) -> bool:
        """Take a backend slot (PostgreSQL's PGPROC); False when all
        max_connections are in use."""
        with self._lock:
            if self._n_backends >= self.max_connections:
                return False
            self._n_backends += 1
            return True

    def release(self) -> None:
        with self._lock:
            self._n_backends -= 1

    def _register(self, session: Any, conn: Connection, protocol_minor: int) -> bytes:
        """Record a new backend; returns the cancel key to send in BackendKeyData."""
        key = session.secret_key
        if isinstance(key, int):
            short = UINT32.pack(key & 0xFFFFFFFF)
        else:
            short = bytes(key)[:4]
        if protocol_minor >= 2:
            if not isinstance(key, int) and 4 <= len(key) <= 256:
                wire = bytes(key)
            else:
                wire = short + os.urandom(CANCEL_KEY_LEN_3_2 - 4)
        else:
            wire = short
        with self._lock:
            self._backends[session.pid] = (wire, session, conn)
        return wire

    def _unregister(self, pid: int) -> None:
        with self._lock:
            self._backends.pop(pid, None)

    def cancel(self, pid: int, wire_key: bytes) -> bool:
        """Dispatch a CancelRequest: the key must match what this backend was
        sent; the engine then interrupts the session's running statement."""
        with self._lock:
            entry = self._backends.get(pid)
        if entry is None or not hmac.compare_digest(entry[0], wire_key):
            log.info("cancel request for pid %d: no match", pid)
            return False
        session = entry[1]
        try:
            return bool(self.database.cancel(pid, session.secret_key))
        except Exception:
            log.exception("database.cancel failed")
            return False

    @property
    def connection_count(self) -> int:
        with self._lock:
            return len(self._connections)
