"""Run-time settings (PostgreSQL's GUC): definitions, parsing, SHOW formatting.

Each session holds its own values; SET/RESET change them, SET LOCAL and
transaction-scoped values are undone at transaction end, and settings marked
``report`` are sent to the client as ParameterStatus when they change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tuskdb.errors import (CANT_CHANGE_RUNTIME_PARAM, INVALID_PARAMETER_VALUE, UNDEFINED_OBJECT,
                           PgError)

SERVER_VERSION = "18.6"
SERVER_VERSION_NUM = "180006"


@dataclass
class Guc:
    name: str
    vartype: str              # bool integer real string enum
    default: Any
    context: str = "user"     # internal postmaster sighup superuser user
    unit: str | None = None   # ms s kB 8kB
    report: bool = False
    enumvals: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    short_desc: str = ""
    no_show_all: bool = False     # hidden from SHOW ALL and pg_settings


_DEFS = [
    Guc("application_name", "string", "", report=True),
    Guc("client_encoding", "string", "UTF8", report=True),
    Guc("DateStyle", "string", "ISO, MDY", report=True),
    Guc("default_transaction_read_only", "bool", False, report=True),
    Guc("in_hot_standby", "bool", False, context="internal", report=True),
    Guc("integer_datetimes", "bool", True, context="internal", report=True),
    Guc("IntervalStyle", "enum", "postgres", report=True,
        enumvals=("postgres", "postgres_verbose", "sql_standard", "iso_8601")),
    Guc("is_superuser", "bool", True, context="internal", report=True, no_show_all=True),
    Guc("scram_iterations", "integer", 4096, report=True, min=1, max=2147483647),
    Guc("search_path", "string", '"$user", public', report=True),
    Guc("server_encoding", "string", "UTF8", context="internal", report=True),
    Guc("server_version", "string", SERVER_VERSION, context="internal", report=True),
    Guc("server_version_num", "integer", int(SERVER_VERSION_NUM), context="internal"),
    Guc("session_authorization", "string", "postgres", report=True, no_show_all=True),
    Guc("standard_conforming_strings", "bool", True, report=True),
    Guc("TimeZone", "string", "Etc/UTC", report=True),
    Guc("statement_timeout", "integer", 0, unit="ms", min=0, max=2147483647),
    Guc("lock_timeout", "integer", 0, unit="ms", min=0, max=2147483647),
    Guc("idle_in_transaction_session_timeout", "integer", 0, unit="ms", min=0, max=2147483647),
    Guc("idle_session_timeout", "integer", 0, unit="ms", min=0, max=2147483647),
    Guc("transaction_timeout", "integer", 0, unit="ms", min=0, max=2147483647),
    Guc("synchronous_commit", "enum", "on",
        enumvals=("local", "remote_write", "remote_apply", "on", "off")),
    Guc("extra_float_digits", "integer", 1, min=-15, max=3),
    Guc("bytea_output", "enum", "hex", enumvals=("escape", "hex")),
    Guc("client_min_messages", "enum", "notice",
        enumvals=("debug5", "debug4", "debug3", "debug2", "debug1", "log", "notice", "warning",
                  "error")),
    Guc("default_transaction_isolation", "enum", "read committed",
        enumvals=("serializable", "repeatable read", "read committed", "read uncommitted")),
    Guc("transaction_isolation", "enum", "read committed",
        enumvals=("serializable", "repeatable read", "read committed", "read uncommitted")),
    Guc("transaction_read_only", "bool", False),
    Guc("default_transaction_deferrable", "bool", False),
    Guc("transaction_deferrable", "bool", False),
    Guc("max_connections", "integer", 100, context="postmaster"),
    Guc("shared_buffers", "integer", 16384, context="postmaster", unit="8kB"),
    Guc("work_mem", "integer", 4096, unit="kB", min=64, max=2147483647),
    Guc("maintenance_work_mem", "integer", 65536, unit="kB", min=1024, max=2147483647),
    Guc("lc_messages", "string", "C.UTF-8"),
    Guc("lc_monetary", "string", "C.UTF-8"),
    Guc("lc_numeric", "string", "C.UTF-8"),
    Guc("lc_time", "string", "C.UTF-8"),
    Guc("fsync", "bool", True, context="sighup"),
    Guc("max_identifier_length", "integer", 63, context="internal"),
    Guc("block_size", "integer", 8192, context="internal"),
    Guc("role", "string", "none", no_show_all=True),
    Guc("check_function_bodies", "bool", True),
    Guc("row_security", "bool", True),
    Guc("default_tablespace", "string", ""),
    Guc("temp_tablespaces", "string", ""),
    Guc("xmloption", "enum", "content", enumvals=("content", "document")),
    Guc("enable_seqscan", "bool", True),
    Guc("enable_indexscan", "bool", True),
    Guc("enable_hashjoin", "bool", True),
    Guc("enable_nestloop", "bool", True),
    Guc("enable_sort", "bool", True),
    Guc("jit", "bool", False),
    Guc("timezone_abbreviations", "string", "Default"),
    Guc("default_text_search_config", "string", "pg_catalog.english"),
    Guc("vacuum_freeze_min_age", "integer", 50000000),
    Guc("autovacuum", "bool", True, context="sighup"),
    Guc("log_statement", "enum", "none", context="superuser",
        enumvals=("none", "ddl", "mod", "all")),
    Guc("max_stack_depth", "integer", 2048, context="superuser", unit="kB"),
    Guc("constraint_exclusion", "enum", "partition", enumvals=("on", "off", "partition")),
    Guc("cursor_tuple_fraction", "real", 0.1),
    Guc("array_nulls", "bool", True),
    Guc("escape_string_warning", "bool", True),
    Guc("quote_all_identifiers", "bool", False),
    Guc("plan_cache_mode", "enum", "auto",
        enumvals=("auto", "force_generic_plan", "force_custom_plan")),
]

GUCS: dict[str, Guc] = {g.name.lower(): g for g in _DEFS}


def _boot_value(vartype: str, boot: str | None) -> Any:
    if boot is None:
        return "" if vartype in ("string", "enum") else 0
    if vartype == "bool":
        return boot == "on"
    if vartype == "integer":
        return int(boot)
    if vartype == "real":
        return float(boot)
    return boot


def _load_all() -> None:
    """The rest of PostgreSQL 18's settings, with their boot values and metadata."""
    from tuskdb.engine.guc_defs import SETTINGS
    for name, vartype, boot, unit, context, enumvals, mn, mx, desc, _cat in SETTINGS:
        g = GUCS.get(name.lower())
        if g is not None:
            if not g.short_desc:
                g.short_desc = desc or ""
            if g.unit is None and unit:
                g.unit = unit
            continue
        num = vartype in ("integer", "real")
        GUCS[name.lower()] = Guc(
            name, vartype, _boot_value(vartype, boot), context=context, unit=unit,
            enumvals=tuple(enumvals), min=float(mn) if num and mn is not None else None,
            max=float(mx) if num and mx is not None else None, short_desc=desc or "")


_load_all()
_ALIASES = {"datestyle": "datestyle", "timezone": "timezone", "intervalstyle": "intervalstyle",
            "names": "client_encoding"}

_TRUE = {"on", "true", "yes", "1", "t", "y", "tr", "tru", "ye"}
_FALSE = {"off", "false", "no", "0", "f", "n", "of", "fa", "fal", "fals"}
_TIME_UNITS = {"us": 0.001, "ms": 1, "s": 1000, "min": 60000, "h": 3600000, "d": 86400000}
_MEM_UNITS = {"B": 1 / 1024, "kB": 1, "MB": 1024, "GB": 1024 * 1024, "TB": 1024 ** 3}


def lookup(name: str) -> Guc | None:
    return GUCS.get(name.lower())


def unrecognized(name: str) -> PgError:
    return PgError(UNDEFINED_OBJECT, f'unrecognized configuration parameter "{name}"')


def parse_value(g: Guc, raw: Any) -> Any:
    """Validate a SET value (already a string or number) into the internal form."""
    text = str(raw) if not isinstance(raw, str) else raw
    if g.vartype == "bool":
        t = text.strip().lower()
        if t in _TRUE:
            return True
        if t in _FALSE:
            return False
        raise PgError(INVALID_PARAMETER_VALUE, f'parameter "{g.name}" requires a Boolean value')
    if g.vartype == "integer":
        v = _parse_int_with_unit(g, text)
        if g.min is not None and g.max is not None and (v < g.min or v > g.max):
            raise PgError(INVALID_PARAMETER_VALUE, f"{v} {g.unit or ''}".strip() +
                          f' is outside the valid range for parameter "{g.name}" '
                          f"({int(g.min)} .. {int(g.max)})")
        return v
    if g.vartype == "real":
        try:
            return float(text)
        except ValueError:
            raise PgError(INVALID_PARAMETER_VALUE, f'parameter "{g.name}" requires a numeric '
                          f"value") from None
    if g.vartype == "enum":
        t = text.strip().lower()
        if t not in g.enumvals and "on" in g.enumvals and "off" in g.enumvals:
            # PostgreSQL's on/off enums take the boolean spellings as hidden synonyms
            t = {"true": "on", "yes": "on", "1": "on", "false": "off", "no": "off",
                 "0": "off"}.get(t, t)
        if t not in g.enumvals:
            raise PgError(INVALID_PARAMETER_VALUE, f'invalid value for parameter "{g.name}": '
                          f'"{text}"', hint="Available values: " + ", ".join(g.enumvals) + ".")
        return t
    return text


def _parse_int_with_unit(g: Guc, text: str) -> int:
    m = re.fullmatch(r"\s*([+-]?\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text)
    if not m:
        raise PgError(INVALID_PARAMETER_VALUE, f'invalid value for parameter "{g.name}": '
                      f'"{text}"')
    num = float(m.group(1))
    unit = m.group(2)
    if unit:
        if g.unit in ("ms", "s", "min"):
            if unit not in _TIME_UNITS:
                raise PgError(INVALID_PARAMETER_VALUE, f'invalid value for parameter '
                              f'"{g.name}": "{text}"',
                              hint='Valid units for this parameter are "us", "ms", "s", "min", '
                                   '"h", and "d".')
            base = _TIME_UNITS[g.unit]
            num = num * _TIME_UNITS[unit] / base
        elif g.unit in ("kB", "8kB", "MB"):
            if unit not in _MEM_UNITS:
                raise PgError(INVALID_PARAMETER_VALUE, f'invalid value for parameter '
                              f'"{g.name}": "{text}"',
                              hint='Valid units for this parameter are "B", "kB", "MB", "GB", '
                                   'and "TB".')
            base = 8 if g.unit == "8kB" else _MEM_UNITS[g.unit]
            num = num * _MEM_UNITS[unit] / base
        else:
            raise PgError(INVALID_PARAMETER_VALUE, f'invalid value for parameter "{g.name}": '
                          f'"{text}"')
    elif "." in m.group(1) and g.unit is None:
        raise PgError(INVALID_PARAMETER_VALUE, f'invalid value for parameter "{g.name}": '
                      f'"{text}"')
    return int(round(num))


def show_value(g: Guc, value: Any) -> str:
    """SHOW's text form (with the largest exact unit, as PostgreSQL prints it)."""
    if g.vartype == "bool":
        return "on" if value else "off"
    if g.vartype == "integer" and g.unit:
        v = int(value)
        if v == 0 or v == -1:
            return str(v)
        if g.unit in ("ms", "s", "min"):
            ms = v * _TIME_UNITS[g.unit]
            for unit in ("d", "h", "min", "s", "ms"):
                size = _TIME_UNITS[unit]
                if ms % size == 0:
                    return f"{int(ms // size)}{unit}"
            return f"{v}{g.unit}"
        kb = v * (8 if g.unit == "8kB" else _MEM_UNITS.get(g.unit, 1))
        for unit in ("TB", "GB", "MB", "kB"):
            size = _MEM_UNITS[unit]
            if kb % size == 0:
                return f"{int(kb // size)}{unit}"
        return f"{int(kb)}kB"
    if g.vartype == "real":
        return repr(float(value)).rstrip("0").rstrip(".") if value != int(value) else \
            str(int(value))
    return str(value)


def check_settable(g: Guc) -> None:
    if g.context in ("backend", "superuser-backend"):
        raise PgError(CANT_CHANGE_RUNTIME_PARAM, f'parameter "{g.name}" cannot be set after '
                      f"connection start")
    if g.context in ("internal",):
        raise PgError(CANT_CHANGE_RUNTIME_PARAM, f'parameter "{g.name}" cannot be changed')
    if g.context in ("postmaster",):
        raise PgError(CANT_CHANGE_RUNTIME_PARAM, f'parameter "{g.name}" cannot be changed '
                      f"without restarting the server")
    if g.context == "sighup":
        raise PgError(CANT_CHANGE_RUNTIME_PARAM, f'parameter "{g.name}" cannot be changed now')
