"""SCRAM-SHA-256 (RFC 5802, RFC 7677), server side, as PostgreSQL does it.

A role's password is stored as a verifier, never in clear:

    SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>

The exchange (auth-scram.c):

    client                                   server
    SASLInitialResponse  n,,n=,r=<cnonce>  →
                                          ←  AuthenticationSASLContinue
                                             r=<cnonce><snonce>,s=<salt>,i=<iter>
    SASLResponse  c=biws,r=<nonce>,p=<proof> →
                                          ←  AuthenticationSASLFinal v=<ServerSignature>
                                             (or FATAL 28P01)

Like PostgreSQL, the user name inside the SCRAM messages is ignored (the
startup packet's user counts), channel binding is not offered (no TLS), and a
role that does not exist or has no usable verifier goes through a mock
exchange with a salt derived from the role name, so a client cannot tell the
difference until the final step fails with the same 28P01 error.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import stringprep
import unicodedata

from tuskdb.errors import PROTOCOL_VIOLATION, PgError

SCRAM_DEFAULT_ITERATIONS = 4096
SCRAM_SALT_LEN = 16
SCRAM_NONCE_LEN = 18          # raw bytes; PostgreSQL's SCRAM_RAW_NONCE_LEN
_MOCK_SECRET = os.urandom(32)  # per process, like PostgreSQL's mock nonce


def _hmac(key: bytes, msg: bytes) -> bytes:
    return hmac.new(key, msg, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def saslprep(password: str) -> str:
    """SASLprep (RFC 4013) the way pg_saslprep() applies it: pure ASCII is
    used unchanged; a password that SASLprep rejects is used unchanged."""
    if password.isascii():
        return password
    chars = []
    for ch in password:
        if stringprep.in_table_c12(ch):          # non-ASCII space → space
            chars.append(" ")
        elif stringprep.in_table_b1(ch):         # commonly mapped to nothing
            continue
        else:
            chars.append(ch)
    out = unicodedata.normalize("NFKC", "".join(chars))
    if not out:
        return password
    prohibited = (stringprep.in_table_c12, stringprep.in_table_c21_c22,
                  stringprep.in_table_c3, stringprep.in_table_c4, stringprep.in_table_c5,
                  stringprep.in_table_c6, stringprep.in_table_c7, stringprep.in_table_c8,
                  stringprep.in_table_c9, stringprep.in_table_a1)
    for ch in out:
        if any(test(ch) for test in prohibited):
            return password
    if any(stringprep.in_table_d1(ch) for ch in out):
        if any(stringprep.in_table_d2(ch) for ch in out):
            return password
        if not (stringprep.in_table_d1(out[0]) and stringprep.in_table_d1(out[-1])):
            return password
    return out


def _keys(password: str, salt: bytes, iterations: int) -> tuple[bytes, bytes]:
    salted = hashlib.pbkdf2_hmac("sha256", saslprep(password).encode("utf-8"), salt,
                                 iterations)
    stored_key = hashlib.sha256(_hmac(salted, b"Client Key")).digest()
    server_key = _hmac(salted, b"Server Key")
    return stored_key, server_key


def make_scram_verifier(password: str, iterations: int = SCRAM_DEFAULT_ITERATIONS,
                        salt: bytes | None = None) -> str:
    """The pg_authid.rolpassword value for *password* (what ALTER ROLE ...
    PASSWORD stores when password_encryption is scram-sha-256)."""
    if salt is None:
        salt = os.urandom(SCRAM_SALT_LEN)
    stored_key, server_key = _keys(password, salt, iterations)
    return (f"SCRAM-SHA-256${iterations}:{_b64(salt)}"
            f"${_b64(stored_key)}:{_b64(server_key)}")


def parse_scram_verifier(verifier: str | None) -> tuple[int, bytes, bytes, bytes] | None:
    """(iterations, salt, stored_key, server_key), or None if *verifier* is not
    a well-formed SCRAM-SHA-256 verifier."""
    if not verifier or not verifier.startswith("SCRAM-SHA-256$"):
        return None
    try:
        _, iter_salt, keys = verifier.split("$")
        iter_text, salt_b64 = iter_salt.split(":")
        stored_b64, server_b64 = keys.split(":")
        iterations = int(iter_text)
        salt = base64.b64decode(salt_b64, validate=True)
        stored_key = base64.b64decode(stored_b64, validate=True)
        server_key = base64.b64decode(server_b64, validate=True)
    except ValueError:
        return None
    if iterations <= 0 or len(stored_key) != 32 or len(server_key) != 32:
        return None
    return iterations, salt, stored_key, server_key


def verify_password(password: str, verifier: str) -> bool:
    """True if *password* matches *verifier* (for in-process clients)."""
    parsed = parse_scram_verifier(verifier)
    if parsed is None:
        return False
    iterations, salt, stored_key, _server_key = parsed
    return hmac.compare_digest(_keys(password, salt, iterations)[0], stored_key)


def _malformed(detail: str) -> PgError:
    return PgError(PROTOCOL_VIOLATION, "malformed SCRAM message", detail=detail,
                   severity="FATAL")


class ScramExchange:
    """One server-side SCRAM-SHA-256 exchange.

    ``first(client_first) -> server_first`` then
    ``final(client_final) -> server_final``; ``final`` returns None when
    the proof is wrong (the caller reports 28P01), and both raise FATAL 08P01
    for malformed messages.
    """

    def __init__(self, user: str, verifier: str | None,
                 iterations: int = SCRAM_DEFAULT_ITERATIONS) -> None:
        parsed = parse_scram_verifier(verifier)
        self.doomed = parsed is None
        if parsed is None:
            # Mock exchange: deterministic salt per role name, as PostgreSQL's
            # scram_mock_salt(), so probing cannot reveal which roles exist.
            salt = hashlib.sha256(_MOCK_SECRET + user.encode("utf-8")).digest()[:SCRAM_SALT_LEN]
            self.iterations, self.salt = iterations, salt
            self.stored_key = self.server_key = b"\0" * 32
        else:
            self.iterations, self.salt, self.stored_key, self.server_key = parsed
        self.client_first_bare = ""
        self.server_first = ""
        self.nonce = ""

    def first(self, data: bytes) -> bytes:
        try:
            text = data.decode("ascii")
        except UnicodeDecodeError:
            raise _malformed("Message contains non-ASCII characters.") from None
        if not text:
            raise _malformed("The message is empty.")
        cbind = text[0]
        if cbind == "p":
            raise PgError(PROTOCOL_VIOLATION,
                          "channel binding is not supported by this build", severity="FATAL")
        if cbind not in "ny":
            raise _malformed(f'Unexpected channel-binding flag "{cbind}".')
        if text[1:2] != ",":
            raise _malformed(f'Comma expected, but found character "{text[1:2]}".')
        rest = text[2:]
        if rest.startswith("a="):
            raise PgError("0A000", "client uses authorization identity, but it is not supported",
                          severity="FATAL")
        if not rest.startswith(","):
            raise _malformed(f'Unexpected attribute "{rest[:1]}" in client-first-message.')
        bare = rest[1:]
        attrs = bare.split(",")
        if len(attrs) < 2 or not attrs[0].startswith("n=") or not attrs[1].startswith("r="):
            raise _malformed(f'Expected attribute "n" but found "{bare[:1]}".'
                             if not bare.startswith("n=") else
                             'Expected attribute "r" but found "%s".' % (attrs[1][:1]
                                                                        if len(attrs) > 1
                                                                        else ""))
        client_nonce = attrs[1][2:]
        if not client_nonce or any(c == "," or not (0x21 <= ord(c) <= 0x7E)
                                   for c in client_nonce):
            raise _malformed("Client nonce is not valid.")
        if any(a.startswith("m=") for a in attrs[2:]):
            raise PgError("0A000", "client requires an unsupported SCRAM extension",
                          severity="FATAL")
        self.client_first_bare = bare
        self.cbind_header = text[:2] + ","
        self.nonce = client_nonce + _b64(os.urandom(SCRAM_NONCE_LEN))
        self.server_first = f"r={self.nonce},s={_b64(self.salt)},i={self.iterations}"
        return self.server_first.encode("ascii")

    def final(self, data: bytes) -> bytes | None:
        try:
            text = data.decode("ascii")
        except UnicodeDecodeError:
            raise _malformed("Message contains non-ASCII characters.") from None
        attrs = text.split(",")
        if len(attrs) < 3 or not attrs[0].startswith("c="):
            raise _malformed(f'Expected attribute "c" but found "{text[:1]}".')
        try:
            cbind = base64.b64decode(attrs[0][2:], validate=True)
        except ValueError:
            raise _malformed("Malformed base64-encoded value.") from None
        if cbind != self.cbind_header.encode("ascii"):
            raise PgError(PROTOCOL_VIOLATION,
                          "SCRAM channel binding check failed", severity="FATAL")
        if not attrs[1].startswith("r="):
            raise _malformed(f'Expected attribute "r" but found "{attrs[1][:1]}".')
        if attrs[1][2:] != self.nonce:
            raise _malformed("Nonce does not match.")
        proof_attr = attrs[-1]
        if not proof_attr.startswith("p="):
            raise _malformed(f'Expected attribute "p" but found "{proof_attr[:1]}".')
        try:
            proof = base64.b64decode(proof_attr[2:], validate=True)
        except ValueError:
            raise _malformed("Malformed base64-encoded value.") from None
        if len(proof) != 32:
            raise _malformed("Malformed proof in client-final-message.")
        without_proof = text[:len(text) - len(proof_attr) - 1]
        auth_message = (f"{self.client_first_bare},{self.server_first},"
                        f"{without_proof}").encode("ascii")
        if self.doomed:
            return None
        signature = _hmac(self.stored_key, auth_message)
        client_key = bytes(a ^ b for a, b in zip(proof, signature))
        if not hmac.compare_digest(hashlib.sha256(client_key).digest(), self.stored_key):
            return None
        server_signature = _hmac(self.server_key, auth_message)
        return f"v={_b64(server_signature)}".encode("ascii")
