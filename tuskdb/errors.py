"""PgError: every error TuskDB raises toward a client.

Each error carries PostgreSQL's SQLSTATE and its exact message text, plus the
optional fields of an ErrorResponse (detail, hint, position, ...).  Code raises
``PgError(SQLSTATE, "message")`` or one of the named shortcuts below; the wire
layer and the DB-API layer turn it into an ErrorResponse or a PEP 249
exception respectively.
"""

from __future__ import annotations

# SQLSTATE codes used across the code base, named as in PostgreSQL's
# errcodes.txt (ERRCODE_...).  Only a subset; add codes as they are needed.
SUCCESSFUL_COMPLETION = "00000"
WARNING = "01000"
NO_DATA = "02000"
CONNECTION_EXCEPTION = "08000"
CONNECTION_FAILURE = "08006"
PROTOCOL_VIOLATION = "08P01"
FEATURE_NOT_SUPPORTED = "0A000"
INVALID_TRANSACTION_INITIATION = "0B000"
CARDINALITY_VIOLATION = "21000"
DATA_EXCEPTION = "22000"
BAD_COPY_FILE_FORMAT = "22P04"
STRING_DATA_RIGHT_TRUNCATION = "22001"
NULL_VALUE_NOT_ALLOWED = "22004"
NUMERIC_VALUE_OUT_OF_RANGE = "22003"
INVALID_DATETIME_FORMAT = "22007"
DATETIME_FIELD_OVERFLOW = "22008"
INVALID_TIME_ZONE_DISPLACEMENT_VALUE = "22009"
INTERVAL_FIELD_OVERFLOW = "22015"
DIVISION_BY_ZERO = "22012"
INVALID_PARAMETER_VALUE = "22023"
INVALID_TEXT_REPRESENTATION = "22P02"
INVALID_BINARY_REPRESENTATION = "22P03"
INVALID_ESCAPE_SEQUENCE = "22025"
CHARACTER_NOT_IN_REPERTOIRE = "22021"
UNTRANSLATABLE_CHARACTER = "22P05"
INVALID_ROW_COUNT_IN_LIMIT_CLAUSE = "2201W"
INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE = "2201X"
ARRAY_SUBSCRIPT_ERROR = "2202E"
GENERATED_ALWAYS = "428C9"
INTEGRITY_CONSTRAINT_VIOLATION = "23000"
RESTRICT_VIOLATION = "23001"
NOT_NULL_VIOLATION = "23502"
FOREIGN_KEY_VIOLATION = "23503"
UNIQUE_VIOLATION = "23505"
CHECK_VIOLATION = "23514"
CHECK_OPTION_VIOLATION = "44000"
EXCLUSION_VIOLATION = "23P01"
INVALID_CURSOR_STATE = "24000"
INVALID_TRANSACTION_STATE = "25000"
ACTIVE_SQL_TRANSACTION = "25001"
NO_ACTIVE_SQL_TRANSACTION = "25P01"
IN_FAILED_SQL_TRANSACTION = "25P02"
READ_ONLY_SQL_TRANSACTION = "25006"
IDLE_IN_TRANSACTION_SESSION_TIMEOUT = "25P03"
TRANSACTION_TIMEOUT = "25P04"
INVALID_SQL_STATEMENT_NAME = "26000"
INVALID_GRANT_OPERATION = "0LP01"
INVALID_AUTHORIZATION_SPECIFICATION = "28000"
INVALID_PASSWORD = "28P01"
INVALID_CURSOR_NAME = "34000"
INVALID_CATALOG_NAME = "3D000"
INVALID_SCHEMA_NAME = "3F000"
TRANSACTION_ROLLBACK = "40000"
SERIALIZATION_FAILURE = "40001"
DEADLOCK_DETECTED = "40P01"
SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION = "42000"
SYNTAX_ERROR = "42601"
INSUFFICIENT_PRIVILEGE = "42501"
CANNOT_COERCE = "42846"
GROUPING_ERROR = "42803"
WINDOWING_ERROR = "42P20"
INVALID_RECURSION = "42P19"
INVALID_FOREIGN_KEY = "42830"
INVALID_NAME = "42602"
NAME_TOO_LONG = "42622"
RESERVED_NAME = "42939"
DATATYPE_MISMATCH = "42804"
INDETERMINATE_DATATYPE = "42P18"
COLLATION_MISMATCH = "42P21"
WRONG_OBJECT_TYPE = "42809"
UNDEFINED_COLUMN = "42703"
UNDEFINED_FUNCTION = "42883"
UNDEFINED_TABLE = "42P01"
UNDEFINED_PARAMETER = "42P02"
UNDEFINED_OBJECT = "42704"
DUPLICATE_COLUMN = "42701"
DUPLICATE_CURSOR = "42P03"
DUPLICATE_DATABASE = "42P04"
DUPLICATE_FUNCTION = "42723"
DUPLICATE_PREPARED_STATEMENT = "42P05"
DUPLICATE_SCHEMA = "42P06"
DUPLICATE_TABLE = "42P07"
DUPLICATE_ALIAS = "42712"
DUPLICATE_OBJECT = "42710"
AMBIGUOUS_COLUMN = "42702"
AMBIGUOUS_FUNCTION = "42725"
AMBIGUOUS_PARAMETER = "42P08"
AMBIGUOUS_ALIAS = "42P09"
INVALID_COLUMN_REFERENCE = "42P10"
INVALID_COLUMN_DEFINITION = "42611"
INVALID_TABLE_DEFINITION = "42P16"
INVALID_OBJECT_DEFINITION = "42P17"
INVALID_FUNCTION_DEFINITION = "42P13"
DEPENDENT_OBJECTS_STILL_EXIST = "2BP01"
PROGRAM_LIMIT_EXCEEDED = "54000"
STATEMENT_TOO_COMPLEX = "54001"
TOO_MANY_COLUMNS = "54011"
TOO_MANY_ARGUMENTS = "54023"
OBJECT_NOT_IN_PREREQUISITE_STATE = "55000"
OBJECT_IN_USE = "55006"
CANT_CHANGE_RUNTIME_PARAM = "55P02"
LOCK_NOT_AVAILABLE = "55P03"
QUERY_CANCELED = "57014"
ADMIN_SHUTDOWN = "57P01"
CRASH_SHUTDOWN = "57P02"
CANNOT_CONNECT_NOW = "57P03"
DATABASE_DROPPED = "57P04"
IDLE_SESSION_TIMEOUT = "57P05"
IO_ERROR = "58030"
UNDEFINED_FILE = "58P01"
CONFIG_FILE_ERROR = "F0000"
INTERNAL_ERROR = "XX000"
DATA_CORRUPTED = "XX001"
INDEX_CORRUPTED = "XX002"


class PgError(Exception):
    """An error (or notice) in PostgreSQL's ErrorResponse shape.

    ``position`` is the 1-based character offset into the statement text, as
    in PostgreSQL's 'P' field; ``internal_position``/``internal_query`` are the
    'p'/'q' fields.  ``severity`` is ERROR, FATAL, PANIC, WARNING, NOTICE, ...
    """

    def __init__(
        self,
        sqlstate: str,
        message: str,
        *,
        detail: str | None = None,
        hint: str | None = None,
        position: int | None = None,
        severity: str = "ERROR",
        context: str | None = None,
        schema_name: str | None = None,
        table_name: str | None = None,
        column_name: str | None = None,
        datatype_name: str | None = None,
        constraint_name: str | None = None,
        internal_position: int | None = None,
        internal_query: str | None = None,
    ) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
        self.severity = severity
        self.context = context
        self.schema_name = schema_name
        self.table_name = table_name
        self.column_name = column_name
        self.datatype_name = datatype_name
        self.constraint_name = constraint_name
        self.internal_position = internal_position
        self.internal_query = internal_query

    def __repr__(self) -> str:
        return f"PgError({self.sqlstate!r}, {self.message!r})"

    def __str__(self) -> str:
        return self.message

    def fields(self) -> list[tuple[str, str]]:
        """ErrorResponse/NoticeResponse fields as (code letter, text) pairs."""
        out = [("S", self.severity), ("V", self.severity), ("C", self.sqlstate),
               ("M", self.message)]
        for code, value in (
            ("D", self.detail), ("H", self.hint), ("P", self.position),
            ("p", self.internal_position), ("q", self.internal_query),
            ("W", self.context), ("s", self.schema_name), ("t", self.table_name),
            ("c", self.column_name), ("d", self.datatype_name),
            ("n", self.constraint_name),
        ):
            if value is not None:
                out.append((code, str(value)))
        return out


def feature_not_supported(what: str, position: int | None = None) -> PgError:
    """The error for anything PostgreSQL accepts that TuskDB does not do yet."""
    return PgError(FEATURE_NOT_SUPPORTED, f"{what} is not supported", position=position)


def notice(message: str, *, sqlstate: str = SUCCESSFUL_COMPLETION,
           severity: str = "NOTICE", detail: str | None = None,
           hint: str | None = None) -> PgError:
    """A NOTICE/WARNING message, same shape as an error but not raised."""
    return PgError(sqlstate, message, severity=severity, detail=detail, hint=hint)
