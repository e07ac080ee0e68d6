"""SCRAM-SHA-256: verifier format, raw handshake, real clients."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os

import asyncpg
import psycopg
import pytest
from rawclient import RawClient, cstr, error_fields, msg, startup_packet

from tuskdb.server.scram import make_scram_verifier, parse_scram_verifier, verify_password

# rolpassword values written by PostgreSQL 18 (CREATE ROLE ... PASSWORD ...).
PG18_VERIFIERS = [
    ("sekret", ("SCRAM-SHA-256$4096:bcCQ6Ss03mlR+3IiJVc+BQ==$E0JjqzKbM/WMGSkMcPdU1uUEWyxBDy1eAf0"
               "HY/nYnw8=:a/iJrcpr3keh457xcOyOpa9UL66QM7qLPRZ8f5wtnHw=")),
    # 'Café' + NO-BREAK SPACE + LATIN SMALL LIGATURE FI: exercises SASLprep
    ("Caf\u00e9\u00a0\ufb01",
     ("SCRAM-SHA-256$4096:C34tM61a6b0SpQ9vU0ZA8Q==$1Mp4rA+AIF7zzCPDIsjwpn9vdDJx428ucz1qM4AtzgI="
     ":Dl7CQ8q7O2/d6IriEqLlimkv9u+zCoBAadEN3B2BqlE=")),
]


@pytest.mark.parametrize("password,verifier", PG18_VERIFIERS)
def test_verifier_matches_postgresql(password, verifier):
    iterations, salt, _, _ = parse_scram_verifier(verifier)
    assert make_scram_verifier(password, iterations, salt) == verifier
    assert verify_password(password, verifier)
    assert not verify_password(password + "x", verifier)


def test_verifier_format():
    v = make_scram_verifier("sekret")
    _iterations, salt, _stored, _server = parse_scram_verifier(v)
    assert v.startswith("SCRAM-SHA-256$4096:") and len(salt) == 16
    assert parse_scram_verifier("md5abc") is None


def test_saslprep_nonascii_space():
    salt = os.urandom(16)
    # U+00A0 NO-BREAK SPACE maps to a space
    assert make_scram_verifier("a\u00a0b", 4096, salt) == make_scram_verifier("a b", 4096, salt)


def _client_proof(password: str, client_first_bare: str, server_first: str,
                  client_final_wo: str) -> str:
    attrs = dict(a.split("=", 1) for a in server_first.split(","))
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(attrs["s"]),
                                 int(attrs["i"]))
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored = hashlib.sha256(client_key).digest()
    auth = f"{client_first_bare},{server_first},{client_final_wo}".encode()
    sig = hmac.new(stored, auth, "sha256").digest()
    return base64.b64encode(bytes(a ^ b for a, b in zip(client_key, sig))).decode()


def _handshake(port: int, user: str, password: str) -> list:
    c = RawClient(port)
    c.send(startup_packet(user=user))
    t, body = c.read()
    assert (t, body) == ("R", b"\0\0\0\x0aSCRAM-SHA-256\0\0")
    bare = "n=,r=abcdefghijkl"
    first = ("n,," + bare).encode()
    c.send(msg(b"p", cstr("SCRAM-SHA-256") + len(first).to_bytes(4, "big") + first))
    t, body = c.read()
    assert t == "R" and body[:4] == b"\0\0\0\x0b"
    server_first = body[4:].decode()
    assert server_first.startswith("r=abcdefghijkl")
    nonce = server_first.split(",")[0][2:]
    wo = f"c=biws,r={nonce}"
    proof = _client_proof(password, bare, server_first, wo)
    c.send(msg(b"p", f"{wo},p={proof}".encode()))
    return c.until()


def test_raw_handshake_ok(scram_server):
    msgs = _handshake(scram_server.port, "postgres", "sekret")
    assert msgs[0][0] == "R" and msgs[0][1][:4] == b"\0\0\0\x0c"
    assert msgs[0][1][4:].startswith(b"v=")
    assert msgs[1] == ("R", b"\0\0\0\0")
    assert msgs[-1] == ("Z", b"I")


@pytest.mark.parametrize("user", ["postgres", "nosuch", "nopass"])
def test_raw_handshake_wrong_password(scram_server, user):
    msgs = _handshake(scram_server.port, user, "wrong" if user == "postgres" else "sekret")
    f = error_fields(msgs[0][1])
    assert (f["S"], f["C"], f["M"]) == ("FATAL", "28P01",
                                        f'password authentication failed for user "{user}"')
    assert msgs[1][0] == "EOF"


def test_client_gives_up_at_password_prompt(scram_server):
    c = RawClient(scram_server.port)
    c.send(startup_packet())
    assert c.read()[0] == "R"
    c.close()
    c = RawClient(scram_server.port)
    c.send(startup_packet())
    c.read()
    c.send(msg(b"Q", b"select 1\0"))
    f = error_fields(c.read()[1])
    assert (f["S"], f["C"]) == ("FATAL", "08P01")


def test_psycopg_password(scram_server):
    dsn = f"host=127.0.0.1 port={scram_server.port} user=postgres dbname=postgres"
    with psycopg.connect(dsn + " password=sekret") as conn:
        assert conn.execute("select 1").fetchone() == (1,)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(dsn + " password=bad")


def test_asyncpg_password(scram_server):
    async def run():
        conn = await asyncpg.connect(host="127.0.0.1", port=scram_server.port,
                                     user="postgres", database="postgres", password="sekret")
        try:
            return await conn.fetchval("select 1")
        finally:
            await conn.close()
    assert asyncio.run(run()) == 1
