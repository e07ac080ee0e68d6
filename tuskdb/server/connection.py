"""One client connection: startup, authentication and the message loop.

A ``Connection`` runs in its own thread (started by ``postmaster.Server``)
and drives one engine ``Session``.  The socket is read and written only in
this thread and never while holding the engine latch: each session method
takes the latch itself and returns.

Connection state machine (see README.md for the message flows):

        accept
          |
          v
    +-----------+  SSLRequest/GSSENCRequest → 'N'
    |  STARTUP  |<--------------+
    +-----------+---------------+
      |   |  CancelRequest → database.cancel(); close
      |   v
      | +-------+  SASL messages (scram-sha-256) / nothing (trust)
      | | AUTH  |---- wrong password / unknown role ... → FATAL, close
      | +-------+
      |   | AuthenticationOk, ParameterStatus*, BackendKeyData, ReadyForQuery
      |   v
      | +-------+ Q → results → ReadyForQuery     +---------------+
      | | IDLE  |--- P/B/D/E/C/H ok --------------> | EXTENDED      |
      | |       |<-- S → session.sync() → RFQ ---- | (no RFQ yet)  |
      | +-------+                                  +---------------+
      |   |  ^                                        | ERROR
      |   |  | CopyDone/CopyFail                      v
      |   |  |                                    +---------------+
      |   | +-----------+                         | SKIP TILL SYNC|--S--> RFQ, IDLE
      |   +>|  COPY IN  | (from Q or E)           +---------------+
      |     +-----------+
      v
    X, EOF, FATAL (protocol violation, shutdown) → session.close(); close
"""

from __future__ import annotations

import logging
import select
import socket
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tuskdb.errors import (
    ADMIN_SHUTDOWN,
    FEATURE_NOT_SUPPORTED,
    IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
    IDLE_SESSION_TIMEOUT,
    INTERNAL_ERROR,
    INVALID_AUTHORIZATION_SPECIFICATION,
    INVALID_PARAMETER_VALUE,
    INVALID_PASSWORD,
    PROTOCOL_VIOLATION,
    QUERY_CANCELED,
    PgError,
)

TOO_MANY_CONNECTIONS = "53300"
from tuskdb.server import protocol as P
from tuskdb.server.protocol import INT16, INT32, ClientGone, MessageReader, protocol_error
from tuskdb.server.scram import ScramExchange

if TYPE_CHECKING:
    from tuskdb.server.postmaster import Server

log = logging.getLogger("tuskdb.server")

RECV_SIZE = 65536
RECV_MAX = 1 << 20           # recv() allocates its full size up front
FLUSH_AT = 1 << 16          # send accumulated output past this many bytes
ROWDESC_CACHE_SIZE = 256

_Q, _P, _B, _D, _E, _S, _H, _C, _X, _F = (ord(c) for c in "QPBDESHCXF")
_COPY_DATA, _COPY_DONE, _COPY_FAIL = ord("d"), ord("c"), ord("f")
_COPY_TYPES = frozenset((_COPY_DATA, _COPY_DONE, _COPY_FAIL))


class _Terminate(Exception):
    """The client sent Terminate, or the connection must end after a FATAL."""


def admin_shutdown_error() -> PgError:
    return PgError(ADMIN_SHUTDOWN, "terminating connection due to administrator command",
                   severity="FATAL")


class Connection:
    """Protocol state of one client connection."""

    def __init__(self, server: Server, sock: socket.socket, address: Any) -> None:
        self.server = server
        self.database = server.database
        self.sock = sock
        self.address = address
        self.buf = bytearray()
        self.pos = 0
        self.out = bytearray()
        self.session: Any = None
        self.user = ""
        self.protocol_minor = 0
        self.wire_key = b""
        self.ignore_till_sync = False
        self.terminating = False
        self.closed = False
        self.admitted = False
        self.idle_error: PgError | None = None   # armed idle timeout's FATAL
        # LISTEN: notifications for a session idle outside a transaction are sent
        # at once by a short-lived thread; _wlock orders its writes with ours
        self._wlock = threading.Lock()
        self._idle = False
        self._rowdesc: dict[int, tuple[Any, bytes]] = {}
        self.thread: threading.Thread | None = None

    # --- socket I/O ------------------------------------------------------------

    def _fill(self, need: int) -> None:
        """Read until at least *need* unread bytes are buffered."""
        buf = self.buf
        if self.pos:
            del buf[:self.pos]
            self.pos = 0
        recv = self.sock.recv
        while len(buf) < need:
            try:
                data = recv(min(max(RECV_SIZE, need - len(buf)), RECV_MAX))
            except TimeoutError:
                if self.idle_error is not None:
                    raise self.idle_error from None
                raise ClientGone() from None
            except OSError:
                raise ClientGone() from None
            if not data:
                raise ClientGone()
            buf += data

    def _read_exact(self, n: int) -> bytes:
        if len(self.buf) - self.pos < n:
            self._fill(n)
        pos = self.pos
        self.pos = pos + n
        return bytes(self.buf[pos:pos + n])

    def read_message(self) -> tuple[int, bytes]:
        """Next frontend message as (type byte, body), validated like
        SocketBackend(): unknown type → FATAL; bad length → silent close."""
        buf = self.buf
        if len(buf) - self.pos < 1:
            self._fill(1)
            buf = self.buf
        pos = self.pos
        mtype = buf[pos]
        limit = P.FRONTEND_LIMITS.get(mtype)
        if limit is None:
            raise protocol_error(f"invalid frontend message type {mtype}", fatal=True)
        if len(buf) - pos < 5:
            self._fill(5)
            buf = self.buf
            pos = self.pos
        length = INT32.unpack_from(buf, pos + 1)[0]
        if length < 4 or length > limit:
            log.info("invalid message length %d (type %r) from %s", length, chr(mtype),
                     self.address)
            raise ClientGone()
        end = pos + 1 + length
        if len(buf) < end:
            self._fill(1 + length)
            buf = self.buf
            pos = 0
            end = 1 + length
        self.pos = end
        return mtype, bytes(buf[pos + 5:end])

    def flush(self) -> None:
        out = self.out
        if out:
            with self._wlock:
                try:
                    self.sock.sendall(out)
                except OSError:
                    out.clear()
                    raise ClientGone() from None
                out.clear()

    def _notify_wakeup(self) -> None:
        """Called by the engine (any thread, maybe holding engine locks) when
        notifications were queued for our session: deliver them now if the
        session is idle outside a transaction, else at the next ReadyForQuery."""
        threading.Thread(target=self._send_notifications_idle, daemon=True,
                         name=f"notify-{getattr(self.session, 'pid', 0)}").start()

    def _send_notifications_idle(self) -> None:
        with self._wlock:
            session = self.session
            if not self._idle or self.closed or session is None:
                return
            data = b"".join(P.notification_response(n.pid, n.channel, n.payload)
                            for n in session.take_notifications())
            if data:
                try:
                    self.sock.sendall(data)
                except OSError:
                    pass

    # --- thread entry ----------------------------------------------------------

    def run(self) -> None:
        """Thread body: never lets an exception escape."""
        try:
            if self.sock.family != socket.AF_UNIX:
                # as PostgreSQL's pq_init(): no Nagle delay, keepalives on
                try:
                    self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
                except OSError:
                    pass
            # authentication_timeout: a client that does not finish startup
            # and authentication within a minute is dropped.
            self.sock.settimeout(self.server.authentication_timeout)
            if self._startup():
                self._message_loop()
        except (ClientGone, _Terminate):
            if self.terminating:
                self._send_fatal(admin_shutdown_error())
        except PgError as err:
            if self.terminating and err.sqlstate == QUERY_CANCELED:
                err = admin_shutdown_error()
            self._send_fatal(err)
        except Exception:
            log.exception("unexpected error in connection from %s", self.address)
        finally:
            self._close()

    def _send_fatal(self, err: PgError) -> None:
        try:
            self.out += P.error_response(err, severity="FATAL")
            self.flush()
        except (ClientGone, OSError):
            pass

    def _close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.admitted:
            self.server.release()
        session, self.session = self.session, None
        if session is not None:
            self.server._unregister(session.pid)
            try:
                session.close()
            except Exception:
                log.exception("error closing session %s", getattr(session, "pid", "?"))
        try:
            self.sock.close()
        except OSError:
            pass

    def terminate(self) -> None:
        """Called from another thread at shutdown: interrupt the running
        statement (if any) and wake the reader; the connection thread then
        sends FATAL 57P01 and closes."""
        self.terminating = True
        session = self.session
        if session is not None:
            try:
                self.database.cancel(session.pid, session.secret_key)
            except Exception:
                log.exception("cancel at shutdown failed")
        try:
            self.sock.shutdown(socket.SHUT_RD)
        except OSError:
            pass

    # --- startup ---------------------------------------------------------------

    def _startup(self) -> bool:
        """Handle startup packets and authentication; True when the session
        is ready for queries."""
        ssl_done = gss_done = False
        while True:
            length = INT32.unpack(self._read_exact(4))[0]
            if length < 8 or length > P.MAX_STARTUP_PACKET_LENGTH:
                log.info("invalid length of startup packet from %s", self.address)
                return False
            packet = self._read_exact(length - 4)
            code = INT32.unpack_from(packet, 0)[0]
            if code == P.CANCEL_REQUEST_CODE:
                if len(packet) >= 12:
                    pid = INT32.unpack_from(packet, 4)[0]
                    self.server.cancel(pid, packet[8:])
                return False
            if code == P.SSL_REQUEST_CODE and not ssl_done:
                ssl_done = True
                self.out += b"N"
                self.flush()
                continue
            if code == P.GSSENC_REQUEST_CODE and not gss_done:
                gss_done = True
                self.out += b"N"
                self.flush()
                continue
            return self._startup_message(code, packet)

    def _startup_message(self, code: int, packet: bytes) -> bool:
        major, minor = code >> 16, code & 0xFFFF
        if major < 3:
            # Pre-3.0 clients get the old-style error: 'E' and a bare string.
            self.out += (b"E" + f"FATAL:  unsupported frontend protocol {major}.{minor}: "
                         f"server supports 3.0 to 3.{P.LATEST_MINOR}\n".encode() + b"\0")
            self.flush()
            return False
        if major > 3:
            raise PgError(FEATURE_NOT_SUPPORTED,
                          f"unsupported frontend protocol {major}.{minor}: "
                          f"server supports 3.0 to 3.{P.LATEST_MINOR}", severity="FATAL")
        params: dict[str, str] = {}
        unrecognized: list[str] = []
        # name\0value\0 ... \0 : the packet's last byte must be the terminator
        # (ProcessStartupPacket()).
        pos = 4
        end = len(packet)
        terminated = False
        while pos < end:
            nul = packet.find(b"\0", pos)
            if nul < 0:
                break
            if nul == pos:
                terminated = nul == end - 1
                break
            vnul = packet.find(b"\0", nul + 1)
            if vnul < 0:
                break
            name = packet[pos:nul].decode("utf-8", "replace")
            value = packet[nul + 1:vnul].decode("utf-8", "replace")
            pos = vnul + 1
            if name.startswith("_pq_."):
                unrecognized.append(name)
            else:
                params[name] = value
        if not terminated:
            raise protocol_error("invalid startup packet layout: expected terminator as "
                                 "last byte", fatal=True)
        self.protocol_minor = min(minor, P.LATEST_MINOR)
        if minor > P.LATEST_MINOR or unrecognized:
            self.out += P.negotiate_protocol_version(self.protocol_minor, unrecognized)

        if not self.server.admit():
            raise PgError(TOO_MANY_CONNECTIONS, "sorry, too many clients already",
                          severity="FATAL")
        self.admitted = True
        user = params.pop("user", "")
        if not user:
            raise PgError(INVALID_AUTHORIZATION_SPECIFICATION,
                          "no PostgreSQL user name specified in startup packet",
                          severity="FATAL")
        dbname = params.pop("database", "") or user
        application_name = params.pop("application_name", "")
        params.pop("replication", None)
        gucs = _split_options(params.pop("options", ""))
        gucs.update(params)
        self.user = user

        role = self.database.role_auth(user)
        self._authenticate(user, role)
        if not getattr(role, "exists", False):
            raise PgError(INVALID_AUTHORIZATION_SPECIFICATION,
                          f'role "{user}" does not exist', severity="FATAL")
        if not getattr(role, "can_login", True):
            raise PgError(INVALID_AUTHORIZATION_SPECIFICATION,
                          f'role "{user}" is not permitted to log in', severity="FATAL")
        session = self.server.connect_session(user, dbname, application_name, gucs)
        self.session = session
        try:
            session.notify_wakeup = self._notify_wakeup
        except AttributeError:
            pass
        # pg_terminate_backend() on an idle session: the engine calls this
        # (from any thread) to wake our reader, which then sends FATAL 57P01.
        try:
            session.terminate_callback = self.terminate
        except AttributeError:
            pass
        # while a statement runs, the engine asks now and then whether the client
        # is still there (PostgreSQL's client_connection_check_interval)
        try:
            session.client_check = self.client_alive
        except AttributeError:
            pass
        self.wire_key = self.server._register(session, self, self.protocol_minor)

        out = self.out
        for name, value in session.startup_parameters().items():
            out += P.parameter_status(name, str(value))
        session.take_parameter_changes()
        out += P.backend_key_data(session.pid, self.wire_key)
        self._send_notices()
        out += P.READY_FOR_QUERY[session.transaction_status]
        self.flush()
        self.sock.settimeout(None)              # authentication_timeout is over
        settings = getattr(session, "settings", None)
        if settings:
            self._arm_idle_timeout(settings, session.transaction_status)
        return True

    def client_alive(self) -> bool:
        """False when the peer has closed its end (checked without consuming data)."""
        try:
            # poll, not select: select() cannot watch descriptors above FD_SETSIZE (1024),
            # which a server with many open relation files reaches
            p = select.poll()
            p.register(self.sock, select.POLLIN | select.POLLHUP | select.POLLERR)
            if not p.poll(0):
                return True
            data = self.sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
            return bool(data)
        except BlockingIOError:
            return True
        except (OSError, ValueError):
            return False

    def _authenticate(self, user: str, role: Any) -> None:
        if self.server.auth == "trust":
            self.out += P.AUTH_OK
            return
        verifier = getattr(role, "scram_verifier", None) if getattr(role, "exists", False) \
            else None
        exchange = ScramExchange(user, verifier)
        self.out += P.AUTH_SASL
        self.flush()
        body = self._read_sasl_message()
        r = MessageReader(body)
        mechanism = r.cstring()
        if mechanism != "SCRAM-SHA-256":
            raise protocol_error("client selected an invalid SASL authentication mechanism",
                                 fatal=True)
        n = r.int32()
        data = r.bytes(n) if n >= 0 else b""
        r.finish()
        self.out += P.auth_sasl_continue(exchange.first(data))
        self.flush()
        server_final = exchange.final(self._read_sasl_message())
        if server_final is None:
            raise PgError(INVALID_PASSWORD, f'password authentication failed for user "{user}"',
                          severity="FATAL")
        self.out += P.auth_sasl_final(server_final)
        self.out += P.AUTH_OK

    def _read_sasl_message(self) -> bytes:
        header = self._read_exact(5)
        mtype = header[0]
        if mtype != ord("p"):
            raise protocol_error(f"expected SASL response, got message type {mtype}",
                                 fatal=True)
        length = INT32.unpack_from(header, 1)[0]
        if length < 4 or length > P.PG_MAX_AUTH_TOKEN_LENGTH:
            raise ClientGone()
        return self._read_exact(length - 4)

    # --- main loop -------------------------------------------------------------

    def _message_loop(self) -> None:
        handlers = {
            _Q: self._handle_query,
            _P: self._handle_parse,
            _B: self._handle_bind,
            _D: self._handle_describe,
            _E: self._handle_execute,
            _C: self._handle_close,
            _H: self._handle_flush,
            _S: self._handle_sync,
            _F: self._handle_function_call,
        }
        extended = P.EXTENDED_TYPES
        read_message = self.read_message
        while True:
            mtype, body = read_message()
            if self._idle:
                with self._wlock:
                    self._idle = False
            if self.idle_error is not None:
                self.idle_error = None
                self.sock.settimeout(None)
            if mtype == _X:
                return
            if self.ignore_till_sync and mtype != _S:
                continue
            if mtype in _COPY_TYPES:
                continue            # stray copy messages are dropped, as PostgreSQL does
            try:
                handlers[mtype](body)
            except PgError as err:
                if err.severity in ("FATAL", "PANIC"):
                    raise
                if self.terminating and err.sqlstate == QUERY_CANCELED:
                    raise admin_shutdown_error() from None
                self._send_notices()
                self.out += P.error_response(err)
                if mtype in extended:
                    self._extended_error()
                else:
                    self._ready_for_query()
            except (ClientGone, _Terminate):
                raise
            except Exception as exc:
                log.exception("internal error handling message %r", chr(mtype))
                self.out += P.error_response(internal_error(exc))
                if mtype in extended:
                    self._extended_error()
                else:
                    self._ready_for_query()
            if len(self.out) > FLUSH_AT:
                self.flush()

    def _extended_error(self) -> None:
        """After the ErrorResponse for an extended-protocol message: fail the
        implicit transaction, skip input until Sync, and send the error now
        (PostgreSQL flushes every ErrorResponse at once; asyncpg waits for it
        after Parse/Describe/Flush, before it sends Sync)."""
        self.ignore_till_sync = True
        try:
            self.session.error_in_extended()
        except Exception:
            log.exception("error_in_extended failed")
        self.flush()

    def _ready_for_query(self) -> None:
        session = self.session
        changes = session.take_parameter_changes()
        out = self.out
        if changes:
            for name, value in changes.items():
                out += P.parameter_status(name, str(value))
        notices = session.take_notices()
        if notices:
            for n in notices:
                out += P.error_response(n, notice=True)
        status = session.transaction_status
        take = getattr(session, "take_notifications", None)
        if status == "I" and take is not None:
            for n in take():
                out += P.notification_response(n.pid, n.channel, n.payload)
        out += P.READY_FOR_QUERY[status]
        settings = getattr(session, "settings", None)
        if settings:
            self._arm_idle_timeout(settings, status)
        # Flushed at every ReadyForQuery, as PostgreSQL does, even when more
        # pipelined input is already buffered: holding results back until a
        # later (maybe slow) statement finishes could stall a client that
        # acts on them.
        self.flush()
        if status == "I" and take is not None:
            with self._wlock:
                self._idle = True
            if session.has_notifications():
                self._notify_wakeup()     # queued between our take and going idle

    def _arm_idle_timeout(self, settings: dict, status: str) -> None:
        """idle_in_transaction_session_timeout / idle_session_timeout (ms):
        while we wait for the next message after ReadyForQuery; on expiry the
        connection ends with PostgreSQL's FATAL."""
        if status == "I":
            ms = settings.get("idle_session_timeout") or 0
            err = (IDLE_SESSION_TIMEOUT, "terminating connection due to idle-session timeout")
        else:
            ms = settings.get("idle_in_transaction_session_timeout") or 0
            err = (IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
                   "terminating connection due to idle-in-transaction timeout")
        if ms and isinstance(ms, (int, float)) and ms > 0:
            self.idle_error = PgError(err[0], err[1], severity="FATAL")
            self.sock.settimeout(ms / 1000.0)

    def _send_notices(self) -> None:
        session = self.session
        if session is None:
            return
        notices = session.take_notices()
        if notices:
            for n in notices:
                self.out += P.error_response(n, notice=True)

    # --- simple query ----------------------------------------------------------

    def _handle_query(self, body: bytes) -> None:
        try:
            r = MessageReader(body)
            sql = r.cstring()
            r.finish()
        except PgError as err:
            self.out += P.error_response(err)
            self._ready_for_query()
            return
        results: Any = ()
        try:
            results = self.session.simple_query(sql)
            for result in results:
                self._send_notices()
                try:
                    self._send_result(result, True, False)
                except PgError as err:
                    # Tell the session the statement failed: throw the error
                    # into its generator (it fails the statement and
                    # re-raises), then error_in_extended(), which is a no-op
                    # if the session already marked the failure.
                    throw = getattr(results, "throw", None)
                    try:
                        if throw is not None:
                            throw(err)
                    except PgError as err2:
                        err = err2
                    except StopIteration:
                        pass
                    _close_iterator(results)
                    if err.severity not in ("FATAL", "PANIC"):
                        self.session.error_in_extended()
                    raise err from None
        except PgError as err:
            _close_iterator(results)
            if err.severity in ("FATAL", "PANIC"):
                raise
            if self.terminating and err.sqlstate == QUERY_CANCELED:
                raise admin_shutdown_error() from None
            self._send_notices()
            self.out += P.error_response(err)
        except (ClientGone, _Terminate):
            _close_iterator(results)
            raise
        except Exception as exc:
            log.exception("internal error in simple query")
            _close_iterator(results)
            self._send_notices()
            self.out += P.error_response(internal_error(exc))
        self._ready_for_query()

    def _send_result(self, result: Any, describe: bool, execute: bool) -> None:
        """Messages for one QueryResult: RowDescription (simple query only),
        DataRow*, then CommandComplete / PortalSuspended, or the COPY flow,
        or EmptyQueryResponse."""
        if result.empty:
            self.out += P.EMPTY_QUERY_RESPONSE
            return
        if result.copy_in is not None:
            self._copy_in(result, result.copy_in)
            return
        if result.copy_out is not None:
            self._copy_out(result, result.copy_out)
            return
        fields = result.fields
        out = self.out
        if fields is not None:
            if describe:
                out += self._row_description(fields)
            rows = result.rows
            if rows:
                self._data_rows(fields, rows)
        if execute and result.suspended:
            out += P.PORTAL_SUSPENDED
        else:
            tag = result.tag.encode("utf-8") + b"\0"
            out += b"C"
            out += INT32.pack(len(tag) + 4)
            out += tag

    def _row_description(self, fields: Sequence[Any], zero_formats: bool = False) -> bytes:
        key = id(fields) if not zero_formats else -id(fields)
        cached = self._rowdesc.get(key)
        if cached is not None and cached[0] is fields:
            return cached[1]
        data = P.row_description(fields, 0 if zero_formats else None)
        if len(self._rowdesc) >= ROWDESC_CACHE_SIZE:
            self._rowdesc.clear()
        # Keeping a reference to *fields* pins its id() while cached.
        self._rowdesc[key] = (fields, data)
        return data

    def _data_rows(self, fields: Sequence[Any], rows: Any) -> None:
        for f in fields:
            if f.format not in (0, 1):
                raise PgError(INVALID_PARAMETER_VALUE, f"unsupported format code: {f.format}")
        encoders = self.session.encoders(fields)
        out = self.out
        pack = INT32.pack
        null = P.DATA_ROW_NULL
        head = INT16.pack(len(encoders))
        flush_at = FLUSH_AT
        if len(encoders) == 1:
            enc = encoders[0]
            for row in rows:
                v = row[0]
                if v is None:
                    out += b"D\x00\x00\x00\x0a"
                    out += head
                    out += null
                else:
                    b = enc(v)
                    n = len(b)
                    out += b"D"
                    out += pack(n + 10)
                    out += head
                    out += pack(n)
                    out += b
                if len(out) > flush_at:
                    self.flush()
            return
        for row in rows:
            parts = [head]
            for enc, v in zip(encoders, row):
                if v is None:
                    parts.append(null)
                else:
                    b = enc(v)
                    parts.append(pack(len(b)))
                    parts.append(b)
            data = b"".join(parts)
            out += b"D"
            out += pack(len(data) + 4)
            out += data
            if len(out) > flush_at:
                self.flush()

    # --- COPY ------------------------------------------------------------------

    def _copy_in(self, result: Any, copy: Any) -> None:
        binary = _copy_binary(copy)
        ncols = _copy_ncols(copy)
        self.out += P.copy_response(b"G", binary, [1 if binary else 0] * ncols)
        self.flush()
        while True:
            try:
                mtype, body = self.read_message()
            except ClientGone:
                _copy_fail(copy, "client disconnected")
                raise
            except PgError:
                _copy_fail(copy, "protocol violation")
                raise
            if mtype == _COPY_DATA:
                copy.feed(body)
            elif mtype == _COPY_DONE:
                tag = copy.finish() or result.tag
                self.out += P.command_complete(tag)
                return
            elif mtype == _COPY_FAIL:
                r = MessageReader(body)
                message = r.cstring()
                raise _copy_fail(copy, message) or PgError(
                    QUERY_CANCELED, f"COPY from stdin failed: {message}")
            elif mtype in (_H, _S):
                continue                        # ignored during copy-in
            else:
                # PostgreSQL reports the error, then gives up on the connection
                # because it was in the middle of reading a message.
                err = PgError(PROTOCOL_VIOLATION,
                              f"unexpected message type 0x{mtype:02X} during COPY from stdin")
                _copy_fail(copy, err.message)
                self.out += P.error_response(err)
                raise protocol_error("terminating connection because protocol "
                                     "synchronization was lost", fatal=True)

    def _copy_out(self, result: Any, copy: Any) -> None:
        binary = _copy_binary(copy)
        ncols = _copy_ncols(copy)
        out = self.out
        out += P.copy_response(b"H", binary, [1 if binary else 0] * ncols)
        lines = copy if hasattr(copy, "__iter__") else copy.lines
        pack = INT32.pack
        for line in lines:
            out += b"d"
            out += pack(len(line) + 4)
            out += line
            if len(out) > FLUSH_AT:
                self.flush()
        out += P.COPY_DONE
        out += P.command_complete(getattr(copy, "tag", None) or result.tag)

    # --- extended query --------------------------------------------------------

    def _handle_parse(self, body: bytes) -> None:
        r = MessageReader(body)
        name = r.cstring()
        sql = r.cstring()
        n = r.int16()
        if n < 0:
            raise protocol_error("insufficient data left in message")
        oids = [r.int32() & 0xFFFFFFFF for _ in range(n)]
        r.finish()
        self.session.parse(name, sql, oids)
        self.out += P.PARSE_COMPLETE

    def _handle_bind(self, body: bytes) -> None:
        portal, stmt, param_formats, params, result_formats = P.parse_bind(body)
        # Like exec_bind_message(): each parameter's format code is checked
        # as the parameter is converted; result format codes are accepted
        # here and rejected only when a row is sent (see _data_rows).
        if param_formats:
            nformats = len(param_formats)
            for k in range(len(params)):
                code = param_formats[k] if nformats > 1 else param_formats[0]
                if code != 0 and code != 1:
                    raise PgError(INVALID_PARAMETER_VALUE, f"unsupported format code: {code}")
        self.session.bind(portal, stmt, param_formats, params, result_formats)
        self.out += P.BIND_COMPLETE

    def _handle_describe(self, body: bytes) -> None:
        r = MessageReader(body)
        kind = r.byte()
        name = r.cstring()
        r.finish()
        if kind == ord("S"):
            param_oids, fields = self.session.describe_statement(name)
            self.out += P.parameter_description(param_oids)
            if fields is None:
                self.out += P.NO_DATA
            else:
                self.out += self._row_description(fields, zero_formats=True)
        elif kind == ord("P"):
            fields = self.session.describe_portal(name)
            if fields is None:
                self.out += P.NO_DATA
            else:
                self.out += self._row_description(fields)
        else:
            raise protocol_error(f"invalid DESCRIBE message subtype {kind}")

    def _handle_execute(self, body: bytes) -> None:
        if len(body) == 5 and body[0] == 0:          # unnamed portal: the usual case
            portal = ""
            max_rows = INT32.unpack_from(body, 1)[0]
        else:
            r = MessageReader(body)
            portal = r.cstring()
            max_rows = r.int32()
            r.finish()
        result = self.session.execute(portal, max(0, max_rows))
        self._send_notices()
        self._send_result(result, False, True)

    def _handle_close(self, body: bytes) -> None:
        r = MessageReader(body)
        kind = r.byte()
        name = r.cstring()
        r.finish()
        if kind == ord("S"):
            self.session.close_statement(name)
        elif kind == ord("P"):
            self.session.close_portal(name)
        else:
            raise protocol_error(f"invalid CLOSE message subtype {kind}")
        self.out += P.CLOSE_COMPLETE

    def _handle_flush(self, body: bytes) -> None:
        MessageReader(body).finish()
        self.flush()

    def _handle_sync(self, body: bytes) -> None:
        self.ignore_till_sync = False
        MessageReader(body).finish()
        self.session.sync()
        self._ready_for_query()

    def _handle_function_call(self, body: bytes) -> None:
        self.out += P.error_response(PgError(FEATURE_NOT_SUPPORTED,
                                             "fastpath function calls are not supported"))
        self._ready_for_query()


def internal_error(exc: BaseException) -> PgError:
    return PgError(INTERNAL_ERROR, f"{type(exc).__name__}: {exc}")


def _close_iterator(it: Any) -> None:
    close = getattr(it, "close", None)
    if close is not None:
        try:
            close()
        except Exception:
            log.exception("closing a query iterator failed")


def _copy_binary(copy: Any) -> bool:
    if getattr(copy, "binary", False):
        return True
    return getattr(copy, "format", 0) in (1, "binary")


def _copy_ncols(copy: Any) -> int:
    cols = getattr(copy, "columns", 0)
    return cols if isinstance(cols, int) else len(cols)


def _copy_fail(copy: Any, message: str) -> PgError | None:
    """Abort an in-progress COPY FROM STDIN; returns the session's error if it
    raised one."""
    try:
        copy.fail(message)
    except PgError as err:
        return err
    except Exception:
        log.exception("CopyIn.fail raised")
    return None


def _split_options(options: str) -> dict[str, str]:
    """The startup 'options' parameter: '-c name=value' and '--name=value'
    switches, backslash escapes a space (pg_split_opts + ParseLongOption)."""
    words: list[str] = []
    cur: list[str] = []
    escaped = False
    for ch in options:
        if escaped:
            cur.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch.isspace():
            if cur:
                words.append("".join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        words.append("".join(cur))
    gucs: dict[str, str] = {}
    i = 0
    while i < len(words):
        word = words[i]
        setting = None
        if word == "-c" and i + 1 < len(words):
            setting = words[i + 1]
            i += 2
        elif word.startswith(("-c", "--")):
            setting = word[2:]
            i += 1
        else:
            raise PgError(PROTOCOL_VIOLATION, f'invalid command-line argument for server '
                          f'process: {word}', severity="FATAL",
                          hint='Try "postgres --help" for more information.')
        if "=" not in setting:
            raise PgError("42601", f'--{setting} requires a value', severity="FATAL")
        name, value = setting.split("=", 1)
        gucs[name.replace("-", "_")] = value
    return gucs
