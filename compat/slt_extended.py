#!/usr/bin/env python3
"""../shared/corpus/slt/slt_run.py over the EXTENDED query protocol.

slt_run.py sends each record with psycopg's `cursor.execute(sql)`, which
psycopg sends over the simple query protocol (Query) when there are no
parameters. Here psycopg is made to send every statement the way libpq's
PQsendQueryParams does (Parse unnamed / Bind / Describe portal / Execute /
Sync, text results) and slt_run.main() runs unchanged. The corpus file is
imported, not copied or edited. Worker processes (-j) are forked and inherit
the patch.

    python compat/slt_extended.py [slt_run.py arguments ...]
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TUSK_SHARED", REPO.parent / "shared"))
SLT_RUN = SHARED / "corpus" / "slt" / "slt_run.py"


def force_extended_protocol() -> None:
    from psycopg import _cursor_base

    original = _cursor_base.BaseCursor._execute_send

    def _execute_send(self, query, *, force_extended: bool = False, binary=None):
        return original(self, query, force_extended=True, binary=binary)

    _cursor_base.BaseCursor._execute_send = _execute_send


def load_slt_run():
    spec = importlib.util.spec_from_file_location("slt_run", SLT_RUN)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["slt_run"] = mod  # so forked workers' pickled functions resolve
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str] | None = None) -> int:
    force_extended_protocol()
    mod = load_slt_run()
    import multiprocessing
    try:
        multiprocessing.set_start_method("fork")
    except RuntimeError:
        pass
    return mod.main(argv)


if __name__ == "__main__":
    sys.exit(main())
