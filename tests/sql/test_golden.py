"""Each tests/sql/<feature>/<name>.sql, run through psql 18 against TuskDB in a
fresh database, must print exactly <name>.out (PostgreSQL 18's output).

Regenerate expected output with `python tests/sql/regen.py [FILES...]`.

Every file must pass: a golden file for a feature that is not built yet does
not belong here (the feature fails with 0A000 until it is built).
"""
from __future__ import annotations

import difflib

import pytest

from golden import expected_path, golden_files, label, run_file

FILES = golden_files()


@pytest.mark.parametrize("sql_path", FILES, ids=[label(p) for p in FILES])
def test_golden(tusk_server, sql_path):
    exp_path = expected_path(sql_path)
    assert exp_path.exists(), f"no {exp_path.name}: run python tests/sql/regen.py {sql_path}"
    expected = exp_path.read_text()
    actual = run_file(tusk_server, sql_path)
    if actual == expected:
        return
    diff = "".join(difflib.unified_diff(
        expected.splitlines(True), actual.splitlines(True),
        f"{label(sql_path)}.out (PostgreSQL 18)", f"{label(sql_path)} (TuskDB)", n=3))
    pytest.fail(f"output differs from PostgreSQL 18:\n{diff}", pytrace=False)
