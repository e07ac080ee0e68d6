"""TuskDB: PostgreSQL, rebuilt in Python.

``tuskdb.connect(path)`` opens an embedded database (PEP 249); ``tusk serve``
serves the same engine over PostgreSQL's wire protocol.
"""

from __future__ import annotations

__version__ = "0.1.0"

# PEP 249 module globals
apilevel = "2.0"
threadsafety = 1
paramstyle = "pyformat"


def connect(database: str = ":memory:", **kwargs):  # noqa: ANN201 - re-exported
    """Open an embedded connection; see ``tuskdb.dbapi.connect``."""
    from tuskdb.dbapi import connect as _connect

    return _connect(database, **kwargs)
