"""The compatibility ratchet: the shared corpora run against TuskDB must score
at least the figures committed in compat/regress.json and compat/slt.json.

Each corpus runs through `python -m compat.run` on its own scratch server
(TUSK_TEST_TARGET=pg18 runs PostgreSQL 18 instead, to check the harness).
After a real improvement, record it: `python -m compat.run all --update`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from compat import run as compat_run  # noqa: E402


def measure(corpus: str, tmp_path: Path) -> dict:
    out = tmp_path / "figures.json"
    target = os.environ.get("TUSK_TEST_TARGET", "tusk")
    cmd = [sys.executable, "-m", "compat.run", corpus, "--target", target,
           "--outdir", str(tmp_path / "runs"), "--json", str(out)]
    p = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, stdin=subprocess.DEVNULL)
    print(p.stdout)
    assert p.returncode == 0, f"compat.run {corpus} failed ({p.returncode}):\n{p.stdout[-5000:]}"
    return json.loads(out.read_text())[corpus]


def log_tail(path: Path, n: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(none)"


@pytest.mark.parametrize("corpus", ["regress", "slt"])
def test_ratchet(corpus, tmp_path):
    committed_path = compat_run.REGRESS_JSON if corpus == "regress" else compat_run.SLT_JSON
    committed = compat_run.load(committed_path)
    figures = measure(corpus, tmp_path)
    print(compat_run.summary_line(corpus, figures))
    for msg in compat_run.per_file_drops(corpus, committed, figures):
        print("  " + msg)
    drops = compat_run.compare(corpus, committed, figures)
    if drops:
        logs = ""
        for d in sorted((tmp_path / "runs").glob("*")):
            logs += f"\n--- {d.name}/server.log (tail)\n{log_tail(d / 'server.log')}"
        pytest.fail("compat ratchet: " + "; ".join(drops)
                    + f"\n(committed in {committed_path.relative_to(REPO)}){logs}", pytrace=False)
