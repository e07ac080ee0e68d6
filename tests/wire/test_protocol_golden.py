"""Byte-level protocol behaviour compared with PostgreSQL 18.

Each tests/wire/protocol/NAME.proto script runs over a raw socket; the
normalized answers must equal NAME.out, which was produced by running the
same script against PostgreSQL 18:

    TUSK_TEST_TARGET=pg18 TUSK_REGEN=1 python -m pytest tests/wire/test_protocol_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from protocol_script import run_script
from support.server import target

HERE = Path(__file__).resolve().parent / "protocol"
SCRIPTS = sorted(HERE.glob("*.proto"))

def _param(p: Path):
    return pytest.param(p, id=p.stem)


@pytest.mark.parametrize("script", [_param(p) for p in SCRIPTS])
def test_protocol_script(tusk_server, wire_db, script):
    got = run_script(script.read_text(), tusk_server.host, tusk_server.port,
                     tusk_server.user, wire_db)
    expected_path = script.with_suffix(".out")
    if os.environ.get("TUSK_REGEN"):
        assert target() == "pg18", "regenerate golden files against PostgreSQL 18 only"
        expected_path.write_text(got + "\n")
        return
    assert got + "\n" == expected_path.read_text()
