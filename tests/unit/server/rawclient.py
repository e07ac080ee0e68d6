"""A tiny raw-socket frontend for protocol tests."""

from __future__ import annotations

import socket
import struct


def msg(type_byte: bytes, body: bytes = b"") -> bytes:
    return type_byte + struct.pack("!i", len(body) + 4) + body


def cstr(s: str) -> bytes:
    return s.encode() + b"\0"


def startup_packet(version=(3, 0), **params) -> bytes:
    params.setdefault("user", "postgres")
    params.setdefault("database", "postgres")
    body = struct.pack("!HH", *version)
    body += b"".join(cstr(k) + cstr(v) for k, v in params.items()) + b"\0"
    return struct.pack("!i", len(body) + 4) + body


def query(sql: str) -> bytes:
    return msg(b"Q", cstr(sql))


def parse(name: str, sql: str, oids=()) -> bytes:
    return msg(b"P", cstr(name) + cstr(sql) + struct.pack("!h", len(oids))
               + b"".join(struct.pack("!I", o) for o in oids))


def bind(portal: str, stmt: str, params=(), param_formats=(), result_formats=()) -> bytes:
    body = cstr(portal) + cstr(stmt) + struct.pack("!h", len(param_formats))
    body += b"".join(struct.pack("!h", f) for f in param_formats)
    body += struct.pack("!h", len(params))
    for p in params:
        body += struct.pack("!i", -1) if p is None else struct.pack("!i", len(p)) + p
    body += struct.pack("!h", len(result_formats))
    body += b"".join(struct.pack("!h", f) for f in result_formats)
    return msg(b"B", body)


def describe(kind: str, name: str) -> bytes:
    return msg(b"D", kind.encode() + cstr(name))


def execute(portal: str = "", max_rows: int = 0) -> bytes:
    return msg(b"E", cstr(portal) + struct.pack("!i", max_rows))


def close(kind: str, name: str) -> bytes:
    return msg(b"C", kind.encode() + cstr(name))


SYNC = msg(b"S")
FLUSH = msg(b"H")
TERMINATE = msg(b"X")


def error_fields(body: bytes) -> dict[str, str]:
    return {f[:1].decode(): f[1:].decode() for f in body.split(b"\0") if f}


class RawClient:
    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 5.0) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _need(self, n: int) -> bool:
        while len(self.buf) < n:
            try:
                data = self.sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                return False
            if not data:
                return False
            self.buf += data
        return True

    def read_byte(self) -> bytes:
        assert self._need(1), "connection closed"
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def read(self) -> tuple[str, bytes] | None:
        """Next backend message, or None at EOF."""
        if not self._need(5):
            return None
        t = self.buf[:1].decode()
        n = struct.unpack("!i", self.buf[1:5])[0]
        if not self._need(1 + n):
            return None
        body = self.buf[5:1 + n]
        self.buf = self.buf[1 + n:]
        return t, body

    def until(self, stop: str = "Z") -> list[tuple[str, bytes]]:
        out = []
        while True:
            m = self.read()
            if m is None:
                out.append(("EOF", b""))
                return out
            out.append(m)
            if m[0] == stop:
                return out

    def types(self, stop: str = "Z") -> str:
        return "".join(t if t != "EOF" else "$" for t, _ in self.until(stop))

    def is_closed(self, timeout: float = 2.0) -> bool:
        self.sock.settimeout(timeout)
        try:
            return not self._need(len(self.buf) + 1)
        except OSError:
            return True

    def startup(self, **params) -> list[tuple[str, bytes]]:
        self.send(startup_packet(**params))
        return self.until("Z")

    def close(self) -> None:
        self.sock.close()
