"""Each tests/sql/<feature>/<name>.sql, run through psql 18 against TuskDB in a
fresh database, must print exactly <name>.out (PostgreSQL 18's output).

Regenerate expected output with `python tests/sql/regen.py [FILES...]`.

tests/sql/known_failures.txt (one label per line, e.g. `types/interval`)
lists files TuskDB does not pass yet: they run and are reported as xfail; one
that starts passing passes with a warning to take it off the list. Files not
on the list must pass (a ratchet). `python tests/sql/known_failures.py`
rewrites the list from a run.
"""
from __future__ import annotations

import difflib
import warnings

import pytest

from golden import expected_path, golden_files, known_failures, label, run_file

FILES = golden_files()
KNOWN = known_failures()


@pytest.mark.parametrize("sql_path", FILES, ids=[label(p) for p in FILES])
def test_golden(tusk_server, sql_path):
    exp_path = expected_path(sql_path)
    assert exp_path.exists(), f"no {exp_path.name}: run python tests/sql/regen.py {sql_path}"
    expected = exp_path.read_text()
    actual = run_file(tusk_server, sql_path)
    known = label(sql_path) in KNOWN and tusk_server.kind == "tusk"
    if actual == expected:
        if known:
            warnings.warn(f"golden {label(sql_path)} passes now: take it off "
                          "tests/sql/known_failures.txt so that it cannot regress")
        return
    diff = "".join(difflib.unified_diff(
        expected.splitlines(True), actual.splitlines(True),
        f"{label(sql_path)}.out (PostgreSQL 18)", f"{label(sql_path)} (TuskDB)", n=3))
    if known:
        pytest.xfail(f"listed in known_failures.txt; {diff.count(chr(10))} diff lines")
    pytest.fail(f"output differs from PostgreSQL 18:\n{diff}", pytrace=False)
