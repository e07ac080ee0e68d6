"""Run protocol scripts (tests/wire/protocol/*.proto) over a raw socket and
render the backend's answers as normalized text, so TuskDB's byte-level
behaviour can be compared with PostgreSQL 18's (the .out files are produced
by running the same scripts against PostgreSQL 18).

Script lines (one frontend message each; a blank line ends a batch, which is
sent in one write and answered until as many ReadyForQuery as it holds Query
and Sync messages, or until the server is quiet for 0.3 s):

    Q <sql>                      Query
    P <name> <sql> [| oid,...]   Parse ('-' is the empty name)
    B <portal> <stmt> [| pfmt,... | param,... | rfmt,...]   Bind (NULL = null param)
    D S|P <name>                 Describe
    E <portal> [maxrows]         Execute
    C S|P <name>                 Close
    S | H | X                    Sync, Flush, Terminate
    d <text>                     CopyData (\\t \\n escapes)
    c | f <message>              CopyDone, CopyFail
    raw <hex>                    raw bytes
    # comment
"""

from __future__ import annotations

import socket
import struct

_I16 = struct.Struct("!h")
_I32 = struct.Struct("!i")


def _name(tok: str) -> str:
    return "" if tok == "-" else tok


def _unescape(text: str) -> str:
    return text.replace("\\t", "\t").replace("\\n", "\n")


def _msg(t: bytes, body: bytes) -> bytes:
    return t + _I32.pack(len(body) + 4) + body


def _cstr(s: str) -> bytes:
    return s.encode() + b"\0"


def encode_line(line: str) -> tuple[bytes, int]:
    """(message bytes, number of ReadyForQuery it should produce)."""
    cmd, _, rest = line.partition(" ")
    if cmd == "Q":
        return _msg(b"Q", _cstr(rest)), 1
    if cmd == "P":
        head, _, oids = rest.partition(" | ")
        oids = oids.strip()
        name, _, sql = head.partition(" ")
        oid_list = [int(o) for o in oids.split(",")] if oids else []
        body = _cstr(_name(name)) + _cstr(sql) + _I16.pack(len(oid_list))
        body += b"".join(struct.pack("!I", o) for o in oid_list)
        return _msg(b"P", body), 0
    if cmd == "B":
        parts = [x.strip() for x in rest.split("|")]
        portal, stmt = parts[0].split(" ")
        pfmts = [int(x) for x in parts[1].split(",")] if len(parts) > 1 and parts[1] else []
        params = parts[2].split(",") if len(parts) > 2 and parts[2] else []
        rfmts = [int(x) for x in parts[3].split(",")] if len(parts) > 3 and parts[3] else []
        body = _cstr(_name(portal)) + _cstr(_name(stmt)) + _I16.pack(len(pfmts))
        body += b"".join(_I16.pack(f) for f in pfmts) + _I16.pack(len(params))
        for k, p in enumerate(params):
            if p == "NULL":
                body += _I32.pack(-1)
                continue
            fmt = pfmts[0] if len(pfmts) == 1 else (pfmts[k] if pfmts else 0)
            raw = _I32.pack(int(p)) if fmt == 1 else p.encode()
            body += _I32.pack(len(raw)) + raw
        body += _I16.pack(len(rfmts)) + b"".join(_I16.pack(f) for f in rfmts)
        return _msg(b"B", body), 0
    if cmd in ("D", "C"):
        kind, _, name = rest.partition(" ")
        return _msg(cmd.encode(), kind.encode() + _cstr(_name(name))), 0
    if cmd == "E":
        portal, _, n = rest.partition(" ")
        return _msg(b"E", _cstr(_name(portal)) + _I32.pack(int(n or 0))), 0
    if cmd == "S":
        return _msg(b"S", b""), 1
    if cmd == "H":
        return _msg(b"H", b""), 0
    if cmd == "X":
        return _msg(b"X", b""), 0
    if cmd == "d":
        return _msg(b"d", _unescape(rest).encode()), 0
    if cmd == "c":
        return _msg(b"c", b""), 0
    if cmd == "f":
        return _msg(b"f", _cstr(rest)), 0
    if cmd == "raw":
        return bytes.fromhex(rest), 0
    raise ValueError(f"bad script line: {line!r}")


def render(t: str, body: bytes) -> str:
    """One backend message as text, without what legitimately differs
    between servers (table OIDs, cancel keys, source locations)."""
    if t in "EN":
        f = {x[:1].decode(): x[1:].decode() for x in body.split(b"\0") if x}
        out = f"{t} {f.get('S')} {f.get('C')} {f.get('M')}"
        for code in "DHP":
            if code in f:
                out += f" [{code}: {f[code]}]"
        return out
    if t == "T":
        n = _I16.unpack_from(body, 0)[0]
        pos = 2
        cols = []
        for _ in range(n):
            end = body.index(b"\0", pos)
            name = body[pos:end].decode()
            tbl, att, oid, ln, mod, fmt = struct.unpack_from("!IhIhih", body, end + 1)
            pos = end + 19
            src = f"tbl.{att}" if tbl else "-"
            cols.append(f"{name}:{oid}:{ln}:{mod}:{fmt}:{src}")
        return "T " + " ".join(cols)
    if t == "D":
        n = _I16.unpack_from(body, 0)[0]
        pos = 2
        vals = []
        for _ in range(n):
            ln = _I32.unpack_from(body, pos)[0]
            pos += 4
            if ln < 0:
                vals.append("NULL")
            else:
                vals.append(repr(body[pos:pos + ln])[1:])
                pos += ln
        return "D " + " ".join(vals)
    if t == "C":
        return "C " + body.rstrip(b"\0").decode()
    if t == "S":
        name, value = body.rstrip(b"\0").split(b"\0")
        return f"S {name.decode()}={value.decode()}"
    if t == "t":
        n = _I16.unpack_from(body, 0)[0]
        return "t " + ",".join(str(x) for x in struct.unpack_from(f"!{n}I", body, 2))
    if t in "GH":
        n = _I16.unpack_from(body, 1)[0]
        fmts = struct.unpack_from(f"!{n}h", body, 3)
        return f"{t} {body[0]} {','.join(str(x) for x in fmts)}"
    if t == "d":
        return "d " + repr(body)[1:]
    if t == "Z":
        return "Z " + body.decode()
    return t if not body else f"{t} {body!r}"


class Session:
    def __init__(self, host: str, port: int, user: str, dbname: str) -> None:
        self.sock = socket.create_connection((host, port), timeout=10)
        body = struct.pack("!i", 196608) + _cstr("user") + _cstr(user) + _cstr("database") \
            + _cstr(dbname) + b"\0"
        self.sock.sendall(_I32.pack(len(body) + 4) + body)
        self.buf = b""
        while not any(t == "Z" for t, _ in self._read_until(1)):
            pass

    def _recv(self, timeout: float) -> bool:
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except TimeoutError:
            return False
        except OSError:
            data = b""
        if not data:
            raise EOFError
        self.buf += data
        return True

    def _take(self) -> tuple[str, bytes] | None:
        if len(self.buf) < 5:
            return None
        n = _I32.unpack_from(self.buf, 1)[0]
        if len(self.buf) < 1 + n:
            return None
        t, body = self.buf[:1].decode(), self.buf[5:1 + n]
        self.buf = self.buf[1 + n:]
        return t, body

    def _read_until(self, ready: int, quiet: float = 0.3) -> list[tuple[str, bytes]]:
        out: list[tuple[str, bytes]] = []
        seen = 0
        while True:
            m = self._take()
            if m is not None:
                out.append(m)
                if m[0] == "Z":
                    seen += 1
                    if ready and seen >= ready:
                        return out
                continue
            try:
                got = self._recv(10.0 if ready else quiet)
            except EOFError:
                out.append(("EOF", b""))
                return out
            if not got:
                return out

    def batch(self, lines: list[str]) -> list[str]:
        data = b""
        ready = 0
        for line in lines:
            m, r = encode_line(line)
            data += m
            ready += r
        self.sock.sendall(data)
        return ["EOF" if t == "EOF" else render(t, b)
                for t, b in self._read_until(ready) if t != "K"]


def run_script(text: str, host: str, port: int, user: str, dbname: str) -> str:
    s = Session(host, port, user, dbname)
    out: list[str] = []
    batch: list[str] = []
    lines = text.splitlines() + [""]
    for line in lines:
        if line.startswith("#"):
            continue
        if line.strip():
            batch.append(line)
            continue
        if batch:
            out.extend("> " + b for b in batch)
            out.extend(s.batch(batch))
            out.append("")
            batch = []
    s.sock.close()
    return "\n".join(out)
