#!/usr/bin/env python3
"""Write the expected output of golden SQL files from a real PostgreSQL 18.

    python tests/sql/regen.py                      # every tests/sql/**/*.sql
    python tests/sql/regen.py tests/sql/types      # a directory
    python tests/sql/regen.py tests/sql/dml/insert_returning.sql
    python tests/sql/regen.py --port 55490         # use an oracle already running there

Without --port it starts PostgreSQL 18 (../shared/tools/pg18) on a free port
and a scratch data directory, and stops it afterwards. Each file runs in a
freshly created database, through psql 18 exactly as tests/sql/test_golden.py
runs it against TuskDB. Review the .out diffs before committing them: they are
PostgreSQL's behaviour, never hand-edited.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))   # tests/ -> support
sys.path.insert(0, str(HERE))          # golden

from golden import expected_path, golden_files, label, run_file  # noqa: E402
from support.server import BaseServer, PgServer  # noqa: E402


def select(paths: list[str]) -> list[Path]:
    if not paths:
        return golden_files()
    out: list[Path] = []
    for p in paths:
        path = Path(p).resolve()
        if path.is_dir():
            out += sorted(path.rglob("*.sql"))
        elif path.suffix == ".out":
            out.append(path.with_suffix(".sql"))
        else:
            out.append(path)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--port", type=int, help="port of a running PostgreSQL 18 on 127.0.0.1")
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if any .out differs from PostgreSQL 18's output")
    a = ap.parse_args()
    files = select(a.paths)
    if a.port:
        server: BaseServer = PgServer.create(port=a.port)
        server.start = lambda: None  # type: ignore[method-assign]
        server.cleanup = lambda: None  # type: ignore[method-assign]
    else:
        server = PgServer.create()
        server.start()
    changed = 0
    try:
        for f in files:
            out = run_file(server, f)
            exp = expected_path(f)
            old = exp.read_text() if exp.exists() else None
            if old != out:
                changed += 1
                if not a.check:
                    exp.write_text(out)
            print(f"{'changed' if old != out else 'same   '} {label(f)}")
    finally:
        server.cleanup()
    print(f"{len(files)} files, {changed} changed")
    return 1 if (a.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
