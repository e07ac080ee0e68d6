"""Frontend/backend protocol 3.x: message framing, parsing and building.

Backend messages are built as ``bytes`` by small functions (or taken from
precomputed constants); frontend message bodies are picked apart by
``MessageReader``, which raises PostgreSQL's own pqformat.c errors
("insufficient data left in message", "invalid string in message",
"invalid message format") as ERROR 08P01.

Wire layout of every message after startup: type byte, int32 length that
counts itself but not the type byte, body.  The startup-phase packets
(StartupMessage, SSLRequest, GSSENCRequest, CancelRequest) have no type byte.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from typing import Any

from tuskdb.errors import PROTOCOL_VIOLATION, PgError

# --- structs -----------------------------------------------------------------

INT16 = struct.Struct("!h")
UINT16 = struct.Struct("!H")
INT32 = struct.Struct("!i")
UINT32 = struct.Struct("!I")
HEADER = struct.Struct("!ci")          # type byte + length
STARTUP_HEADER = struct.Struct("!ii")  # length + protocol code
VERSION = struct.Struct("!HH")
CANCEL = struct.Struct("!ii")          # pid + 3.0 secret key (after the code)
FIELD = struct.Struct("!IhIhih")       # RowDescription per-field tail
INT32_PAIR = struct.Struct("!ii")

# --- protocol codes ----------------------------------------------------------

PROTOCOL_3_0 = (3 << 16) | 0
PROTOCOL_3_2 = (3 << 16) | 2
LATEST_MINOR = 2                       # PostgreSQL 18 speaks 3.0 .. 3.2
CANCEL_REQUEST_CODE = (1234 << 16) | 5678
SSL_REQUEST_CODE = (1234 << 16) | 5679
GSSENC_REQUEST_CODE = (1234 << 16) | 5680

# PostgreSQL's limits (pqcomm.h): a startup packet is at most 10000 bytes;
# "small" message types at most 10000 bytes, the others MaxAllocSize - 1.
MAX_STARTUP_PACKET_LENGTH = 10000
PQ_SMALL_MESSAGE_LIMIT = 10000
PQ_LARGE_MESSAGE_LIMIT = 0x3FFFFFFF - 1
PG_MAX_AUTH_TOKEN_LENGTH = 65535        # SASL messages during authentication

# Frontend message types and their length limit, as SocketBackend() checks
# them in postgres.c.  A type not in this table is "invalid frontend message
# type N" (FATAL).
FRONTEND_LIMITS: dict[int, int] = {
    ord("Q"): PQ_LARGE_MESSAGE_LIMIT,   # Query
    ord("F"): PQ_LARGE_MESSAGE_LIMIT,   # FunctionCall
    ord("X"): PQ_SMALL_MESSAGE_LIMIT,   # Terminate
    ord("B"): PQ_LARGE_MESSAGE_LIMIT,   # Bind
    ord("P"): PQ_LARGE_MESSAGE_LIMIT,   # Parse
    ord("C"): PQ_SMALL_MESSAGE_LIMIT,   # Close
    ord("D"): PQ_SMALL_MESSAGE_LIMIT,   # Describe
    ord("E"): PQ_SMALL_MESSAGE_LIMIT,   # Execute
    ord("H"): PQ_SMALL_MESSAGE_LIMIT,   # Flush
    ord("S"): PQ_SMALL_MESSAGE_LIMIT,   # Sync
    ord("d"): PQ_LARGE_MESSAGE_LIMIT,   # CopyData
    ord("c"): PQ_SMALL_MESSAGE_LIMIT,   # CopyDone
    ord("f"): PQ_SMALL_MESSAGE_LIMIT,   # CopyFail
}

# Messages of the extended-query sub-protocol: an ERROR while one of them is
# processed makes the backend discard input until Sync.
EXTENDED_TYPES = frozenset(b"BPCDEH")

# --- errors ------------------------------------------------------------------


class ClientGone(Exception):
    """The client closed the connection, or sent something PostgreSQL answers
    by silently closing it (an invalid message length is a COMMERROR: logged,
    never sent)."""


def protocol_error(message: str, fatal: bool = False) -> PgError:
    return PgError(PROTOCOL_VIOLATION, message, severity="FATAL" if fatal else "ERROR")


# --- reading message bodies ----------------------------------------------------


class MessageReader:
    """Cursor over one message body, with pqformat.c's checks and messages."""

    __slots__ = ("data", "end", "pos")

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end

    def int16(self) -> int:
        pos = self.pos
        if pos + 2 > self.end:
            raise protocol_error("insufficient data left in message")
        self.pos = pos + 2
        return INT16.unpack_from(self.data, pos)[0]

    def int32(self) -> int:
        pos = self.pos
        if pos + 4 > self.end:
            raise protocol_error("insufficient data left in message")
        self.pos = pos + 4
        return INT32.unpack_from(self.data, pos)[0]

    def byte(self) -> int:
        pos = self.pos
        if pos >= self.end:
            raise protocol_error("no data left in message")
        self.pos = pos + 1
        return self.data[pos]

    def bytes(self, n: int) -> bytes:
        pos = self.pos
        if n < 0 or pos + n > self.end:
            raise protocol_error("insufficient data left in message")
        self.pos = pos + n
        return self.data[pos:pos + n]

    def cstring(self) -> str:
        """A NUL-terminated string (pq_getmsgstring)."""
        data = self.data
        pos = self.pos
        nul = data.find(b"\0", pos, self.end)
        if nul < 0:
            raise protocol_error("invalid string in message")
        self.pos = nul + 1
        try:
            return data[pos:nul].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PgError("22021", "invalid byte sequence for encoding \"UTF8\": "
                          + _bad_bytes(data[pos:nul], exc)) from None

    def rest(self) -> bytes:
        pos = self.pos
        self.pos = self.end
        return self.data[pos:self.end]

    def finish(self) -> None:
        """pq_getmsgend: the message must be consumed exactly."""
        if self.pos != self.end:
            raise protocol_error("invalid message format")


def _bad_bytes(raw: bytes, exc: UnicodeDecodeError) -> str:
    bad = raw[exc.start:exc.start + 4]
    # PostgreSQL prints the offending sequence as 0xNN 0xNN ...
    n = 1
    first = bad[0]
    if first >= 0xF0:
        n = 4
    elif first >= 0xE0:
        n = 3
    elif first >= 0xC0:
        n = 2
    return " ".join(f"0x{b:02x}" for b in bad[:n])


# --- building backend messages -----------------------------------------------


def message(type_byte: bytes, body: bytes = b"") -> bytes:
    return type_byte + INT32.pack(len(body) + 4) + body


def cstr(text: str) -> bytes:
    return text.encode("utf-8") + b"\0"


AUTH_OK = message(b"R", INT32.pack(0))
AUTH_SASL = message(b"R", INT32.pack(10) + b"SCRAM-SHA-256\0\0")
PARSE_COMPLETE = message(b"1")
BIND_COMPLETE = message(b"2")
CLOSE_COMPLETE = message(b"3")
NO_DATA = message(b"n")
PORTAL_SUSPENDED = message(b"s")
EMPTY_QUERY_RESPONSE = message(b"I")
COPY_DONE = message(b"c")
READY_FOR_QUERY = {
    "I": message(b"Z", b"I"),
    "T": message(b"Z", b"T"),
    "E": message(b"Z", b"E"),
}
DATA_ROW_NULL = INT32.pack(-1)


def auth_sasl_continue(data: bytes) -> bytes:
    return message(b"R", INT32.pack(11) + data)


def auth_sasl_final(data: bytes) -> bytes:
    return message(b"R", INT32.pack(12) + data)


def notification_response(pid: int, channel: str, payload: str) -> bytes:
    return message(b"A", INT32.pack(pid) + cstr(channel) + cstr(payload))


def parameter_status(name: str, value: str) -> bytes:
    return message(b"S", cstr(name) + cstr(value))


def backend_key_data(pid: int, key: bytes) -> bytes:
    return message(b"K", INT32.pack(pid) + key)


def negotiate_protocol_version(minor: int, unrecognized: Sequence[str]) -> bytes:
    body = INT32.pack(PROTOCOL_3_0 | minor) + INT32.pack(len(unrecognized))
    body += b"".join(cstr(name) for name in unrecognized)
    return message(b"v", body)


def command_complete(tag: str) -> bytes:
    body = tag.encode("utf-8") + b"\0"
    return b"C" + INT32.pack(len(body) + 4) + body


def error_response(err: PgError, severity: str | None = None, notice: bool = False) -> bytes:
    parts = []
    for code, value in err.fields():
        if severity is not None and code in ("S", "V"):
            value = severity
        parts.append(code.encode("ascii") + value.encode("utf-8", "replace") + b"\0")
    parts.append(b"\0")
    return message(b"N" if notice else b"E", b"".join(parts))


def row_description(fields: Sequence[Any], formats_override: int | None = None) -> bytes:
    """RowDescription for engine Fields (name, table_oid, column_attnum,
    type_oid, typlen, typmod, format)."""
    pack = FIELD.pack
    parts = [b"T", b"", INT16.pack(len(fields))]
    for f in fields:
        fmt = f.format if formats_override is None else formats_override
        parts.append(f.name.encode("utf-8") + b"\0")
        parts.append(pack(f.table_oid or 0, f.column_attnum or 0, f.type_oid,
                          f.typlen, f.typmod, fmt))
    body_len = sum(len(p) for p in parts) - 1 + 4
    parts[1] = INT32.pack(body_len)
    return b"".join(parts)


def parameter_description(oids: Sequence[int]) -> bytes:
    return message(b"t", INT16.pack(len(oids)) + b"".join(UINT32.pack(o) for o in oids))


def copy_response(type_byte: bytes, binary: bool, column_formats: Iterable[int]) -> bytes:
    cols = list(column_formats)
    body = bytes((1 if binary else 0,)) + INT16.pack(len(cols))
    body += b"".join(INT16.pack(c) for c in cols)
    return message(type_byte, body)


def copy_data(data: bytes) -> bytes:
    return b"d" + INT32.pack(len(data) + 4) + data


# --- parsing frontend messages -------------------------------------------------

_INT16_ARRAYS: dict[int, struct.Struct] = {}


def _int16_array(n: int) -> struct.Struct:
    st = _INT16_ARRAYS.get(n)
    if st is None:
        st = _INT16_ARRAYS[n] = struct.Struct(f"!{n}h")
    return st


def parse_bind(body: bytes) -> tuple[str, str, list[int], list[bytes | None], list[int]]:
    """Bind: (portal, statement, parameter formats, parameter values,
    result formats).  A fast path for well-formed messages; anything odd is
    re-parsed by _parse_bind_checked for PostgreSQL's exact error."""
    try:
        p1 = body.index(0)
        p2 = body.index(0, p1 + 1)
        portal = body[:p1].decode("utf-8")
        stmt = body[p1 + 1:p2].decode("utf-8")
        pos = p2 + 1
        nformats = INT16.unpack_from(body, pos)[0]
        pos += 2
        if nformats:
            if nformats < 0:
                raise ValueError
            param_formats = list(_int16_array(nformats).unpack_from(body, pos))
            pos += 2 * nformats
        else:
            param_formats = []
        nparams = INT16.unpack_from(body, pos)[0]
        pos += 2
        if nparams < 0 or (nformats > 1 and nformats != nparams):
            raise ValueError
        params: list[bytes | None] = []
        unpack32 = INT32.unpack_from
        end = len(body)
        for _ in range(nparams):
            length = unpack32(body, pos)[0]
            pos += 4
            if length == -1:
                params.append(None)
            else:
                if length < 0 or pos + length > end:
                    raise ValueError
                params.append(body[pos:pos + length])
                pos += length
        nresult = INT16.unpack_from(body, pos)[0]
        pos += 2
        if nresult:
            if nresult < 0:
                raise ValueError
            result_formats = list(_int16_array(nresult).unpack_from(body, pos))
            pos += 2 * nresult
        else:
            result_formats = []
        if pos != end:
            raise ValueError
    except (ValueError, struct.error, UnicodeDecodeError):
        return _parse_bind_checked(body)
    return portal, stmt, param_formats, params, result_formats


def _parse_bind_checked(body: bytes) -> tuple[str, str, list[int], list[bytes | None], list[int]]:
    r = MessageReader(body)
    portal = r.cstring()
    stmt = r.cstring()
    nformats = r.int16()
    if nformats < 0:
        raise protocol_error("insufficient data left in message")
    param_formats = [r.int16() for _ in range(nformats)]
    nparams = r.int16()
    if nparams < 0:
        raise protocol_error("insufficient data left in message")
    if nformats > 1 and nformats != nparams:
        raise protocol_error(f"bind message has {nformats} parameter formats but "
                             f"{nparams} parameters")
    params: list[bytes | None] = []
    for _ in range(nparams):
        length = r.int32()
        if length == -1:
            params.append(None)
        elif length < 0:
            raise protocol_error("insufficient data left in message")
        else:
            params.append(r.bytes(length))
    nresult = r.int16()
    if nresult < 0:
        raise protocol_error("insufficient data left in message")
    result_formats = [r.int16() for _ in range(nresult)]
    r.finish()
    return portal, stmt, param_formats, params, result_formats
