"""PEP 249 exception hierarchy, mapped from SQLSTATE classes as psycopg does."""

from __future__ import annotations

from tuskdb.errors import PgError


class Warning(Exception):  # noqa: A001 - the name PEP 249 requires
    pass


class Error(Exception):
    def __init__(self, message: str = "", pgerror: PgError | None = None) -> None:
        super().__init__(message)
        self.pgerror = pgerror
        self.sqlstate = pgerror.sqlstate if pgerror is not None else None
        self.diag = pgerror


class InterfaceError(Error):
    pass


class DatabaseError(Error):
    pass


class DataError(DatabaseError):
    pass


class OperationalError(DatabaseError):
    pass


class IntegrityError(DatabaseError):
    pass


class InternalError(DatabaseError):
    pass


class ProgrammingError(DatabaseError):
    pass


class NotSupportedError(DatabaseError):
    pass


_CLASSES = {
    "0A": NotSupportedError, "21": ProgrammingError, "22": DataError, "23": IntegrityError,
    "24": InternalError, "25": InternalError, "26": ProgrammingError, "27": OperationalError,
    "28": OperationalError, "2B": InternalError, "2D": InternalError, "2F": InternalError,
    "34": ProgrammingError, "3B": InternalError, "3D": ProgrammingError, "3F": ProgrammingError,
    "40": OperationalError, "42": ProgrammingError, "44": ProgrammingError,
    "53": OperationalError, "54": OperationalError, "55": OperationalError,
    "57": OperationalError, "58": OperationalError, "F0": OperationalError,
    "P0": InternalError, "XX": InternalError, "08": OperationalError,
}


def from_pg(err: PgError) -> Error:
    cls = _CLASSES.get(err.sqlstate[:2], DatabaseError)
    return cls(err.message, err)
