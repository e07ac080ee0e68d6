"""Fixtures: a Server in front of the fake engine, and raw clients."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_engine import FakeDatabase
from rawclient import RawClient

from tuskdb.server import Server


@pytest.fixture
def fake_db():
    return FakeDatabase(password="sekret")


@pytest.fixture
def server(fake_db):
    srv = Server(fake_db, host="127.0.0.1", port=0, auth="trust").start()
    yield srv
    srv.shutdown(timeout=2)


@pytest.fixture
def scram_server(fake_db):
    srv = Server(fake_db, host="127.0.0.1", port=0, auth="scram-sha-256").start()
    yield srv
    srv.shutdown(timeout=2)


@pytest.fixture
def raw(server):
    clients = []

    def make(**params) -> RawClient:
        c = RawClient(server.port)
        clients.append(c)
        if params.get("startup", True):
            params.pop("startup", None)
            msgs = c.startup(**params)
            assert msgs[-1][0] == "Z", msgs
        return c
    yield make
    for c in clients:
        c.close()


@pytest.fixture
def dsn(server):
    return f"host=127.0.0.1 port={server.port} user=postgres dbname=postgres"
