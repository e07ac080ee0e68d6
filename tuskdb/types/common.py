"""Small helpers shared by the type modules: error builders and binary packers."""

from __future__ import annotations

import struct

from tuskdb.errors import PgError

S_INT2 = struct.Struct("!h")
S_INT4 = struct.Struct("!i")
S_UINT4 = struct.Struct("!I")
S_INT8 = struct.Struct("!q")
S_FLOAT4 = struct.Struct("!f")
S_FLOAT8 = struct.Struct("!d")
S_IQ = struct.Struct("!qii")  # interval: micros, days, months

INT2_MIN, INT2_MAX = -(1 << 15), (1 << 15) - 1
INT4_MIN, INT4_MAX = -(1 << 31), (1 << 31) - 1
INT8_MIN, INT8_MAX = -(1 << 63), (1 << 63) - 1

# What PostgreSQL's messages call each type (format_type without typmod).
SQL_NAMES = {
    16: "boolean", 17: "bytea", 18: '"char"', 19: "name", 20: "bigint", 21: "smallint",
    23: "integer", 25: "text", 26: "oid", 700: "real", 701: "double precision",
    705: "unknown", 1042: "character", 1043: "character varying", 1082: "date",
    1083: "time without time zone", 1114: "timestamp without time zone",
    1184: "timestamp with time zone", 1186: "interval", 1700: "numeric", 2950: "uuid",
}


def invalid_syntax(typname: str, text: str) -> PgError:
    return PgError("22P02", f'invalid input syntax for type {typname}: "{text}"')


def out_of_range_value(text: str, typname: str) -> PgError:
    return PgError("22003", f'value "{text}" is out of range for type {typname}')


def out_of_range(what: str) -> PgError:
    """'integer out of range', 'bigint out of range', ..."""
    return PgError("22003", f"{what} out of range")


def division_by_zero() -> PgError:
    return PgError("22012", "division by zero")


def bad_binary() -> PgError:
    return PgError("22P03", "incorrect binary data format")


def insufficient_data() -> PgError:
    return PgError("08P01", "insufficient data left in message")


# PostgreSQL's scanner_isspace / isspace() in the C locale.
PG_SPACE = " \t\n\r\f\v"
