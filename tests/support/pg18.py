"""PostgreSQL 18: client binaries and the oracle server, via ../shared/tools/pg18.

The pg18 script unpacks PostgreSQL into $PG18_HOME (default ~/.cache/tusk-pg18).
When we run as root the oracle server runs as an unprivileged user that cannot
enter /root, so we default PG18_HOME to a world-readable directory instead.
"""
from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("TUSK_SHARED", REPO.parent / "shared"))
PG18_SCRIPT = SHARED / "tools" / "pg18"

if "PG18_HOME" not in os.environ and os.geteuid() == 0:
    os.environ["PG18_HOME"] = "/opt/tusk-pg18"


def _run_script(*args: str, timeout: float = 600) -> str:
    if not PG18_SCRIPT.exists():
        raise RuntimeError(f"pg18 script not found at {PG18_SCRIPT} (is ../shared beside the repo?)")
    p = subprocess.run(["bash", str(PG18_SCRIPT), *args], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        raise RuntimeError(f"pg18 {' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p.stdout


@functools.lru_cache(maxsize=None)
def bin_dir() -> Path:
    """Directory of the PostgreSQL 18 client programs (installs them if needed)."""
    override = os.environ.get("PG18_BIN")
    if override:
        return Path(override)
    out = _run_script("bin").strip().splitlines()
    path = Path(out[-1].strip())
    if not (path / "psql").exists():
        raise RuntimeError(f"pg18 bin gave {path}, which has no psql")
    return path


def program(name: str) -> str:
    return str(bin_dir() / name)


def start(port: int, datadir: str | Path) -> None:
    """initdb (if needed) and start a real PostgreSQL 18 on 127.0.0.1:port."""
    bin_dir()
    datadir = Path(datadir)
    # the server runs as an unprivileged user: every parent must be enterable
    datadir.parent.mkdir(parents=True, exist_ok=True)
    _run_script("start", str(port), str(datadir))


def stop(datadir: str | Path) -> None:
    _run_script("stop", str(datadir))


def postmaster_pid(datadir: str | Path) -> int | None:
    try:
        return int((Path(datadir) / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
