"""dbapi layer: PEP 249 (DB-API 2.0) in the same process, on the same engine.

    import tuskdb
    con = tuskdb.connect("path/to/datadir")     # or ":memory:"
    cur = con.cursor()
    cur.execute("SELECT %s + 1", (41,))
    cur.fetchone()                              # (42,)
    con.commit()
"""

from tuskdb.dbapi.connection import Connection, Cursor, connect
from tuskdb.dbapi.exceptions import (DatabaseError, DataError, Error, IntegrityError,
                                     InterfaceError, InternalError, NotSupportedError,
                                     OperationalError, ProgrammingError, Warning)

apilevel = "2.0"
threadsafety = 1
paramstyle = "pyformat"

__all__ = ["connect", "Connection", "Cursor", "Error", "Warning", "InterfaceError",
           "DatabaseError", "DataError", "OperationalError", "IntegrityError", "InternalError",
           "ProgrammingError", "NotSupportedError", "apilevel", "threadsafety", "paramstyle"]
