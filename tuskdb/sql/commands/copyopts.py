"""COPY's option list, checked as PostgreSQL's ProcessCopyOptions checks it.

Each option may be given once (a repeat is 42601 "conflicting or redundant
options" pointing at the repeat); the values are validated while they are read
(format, header, on_error, log_verbosity, encoding, the column lists), then the
combination is checked in PostgreSQL's order so that the first error reported
is the same: BINARY restrictions, defaults by format, one-byte delimiter and
quote characters, CSV-only and direction-only options, and the NULL / DEFAULT
strings against the delimiter and quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from tuskdb.errors import FEATURE_NOT_SUPPORTED, PgError

SYNTAX_ERROR, INVALID_PARAMETER_VALUE = "42601", "22023"


@dataclass
class CopyOptions:
    format: str = "text"
    freeze: bool = False
    delimiter: str | None = None
    null: str | None = None
    default: str | None = None
    header: bool = False
    header_match: bool = False
    quote: str | None = None
    escape: str | None = None
    force_quote: list[str] | None = None
    force_quote_all: bool = False
    force_notnull: list[str] | None = None
    force_notnull_all: bool = False
    force_null: list[str] | None = None
    force_null_all: bool = False
    convert_selectively: list[str] | None = None
    encoding: int = -1
    on_error_ignore: bool = False
    log_verbosity: str = "default"
    reject_limit: int = 0
    specified: set[str] = field(default_factory=set)

    @property
    def csv(self) -> bool:
        return self.format == "csv"

    def __getitem__(self, key: str) -> Any:           # the older dict-style readers
        return getattr(self, key)


def _arg_string(d: dict) -> str | None:
    arg = d.get("arg")
    if arg is None:
        return None
    if "String" in arg:
        return arg["String"]["sval"]
    if "Integer" in arg:
        return str(arg["Integer"].get("ival", 0))
    if "Float" in arg:
        return arg["Float"]["fval"]
    if "Boolean" in arg:
        return "true" if arg["Boolean"].get("boolval") else "false"
    if "TypeName" in arg:
        return arg["TypeName"]["names"][-1]["String"]["sval"]
    return None


def _get_string(d: dict) -> str:
    s = _arg_string(d)
    if s is None:
        raise PgError(SYNTAX_ERROR, f"{d['defname']} requires a parameter")
    return s


def _get_boolean(d: dict) -> bool:
    arg = d.get("arg")
    if arg is None:
        return True
    if "Integer" in arg:
        v = arg["Integer"].get("ival", 0)
        if v in (0, 1):
            return bool(v)
    elif "Boolean" in arg:
        return bool(arg["Boolean"].get("boolval"))
    else:
        s = (_arg_string(d) or "").lower()
        if s in ("true", "on"):
            return True
        if s in ("false", "off"):
            return False
    raise PgError(SYNTAX_ERROR, f"{d['defname']} requires a Boolean value")


def _header_choice(d: dict, is_from: bool) -> tuple[bool, bool]:
    """(header, match)."""
    arg = d.get("arg")
    if arg is None:
        return True, False
    if "Integer" in arg:
        v = arg["Integer"].get("ival", 0)
        if v in (0, 1):
            return bool(v), False
    elif "Boolean" in arg:
        return bool(arg["Boolean"].get("boolval")), False
    else:
        s = (_arg_string(d) or "").lower()
        if s in ("true", "on"):
            return True, False
        if s in ("false", "off"):
            return False, False
        if s == "match":
            if not is_from:
                raise PgError(FEATURE_NOT_SUPPORTED,
                              'cannot use "match" with HEADER in COPY TO')
            return True, True
    raise PgError(SYNTAX_ERROR, f'{d["defname"]} requires a Boolean value or "match"')


def _column_list(d: dict, pos: int | None) -> tuple[list[str] | None, bool]:
    """(names, all): a parenthesized column list or *."""
    arg = d.get("arg")
    if arg is not None and "A_Star" in arg:
        return None, True
    if arg is not None and "List" in arg:
        return [it["String"]["sval"] for it in arg["List"].get("items") or []], False
    raise PgError(INVALID_PARAMETER_VALUE, f'argument to option "{d["defname"]}" must be a '
                  f"list of column names", position=pos)


def process_copy_options(body: dict, is_from: bool,
                         pos: Callable[[int | None], int | None]) -> CopyOptions:
    """The options of a COPY statement (``pos`` turns a parse location into a position)."""
    from tuskdb.types.encoding import char_to_encoding

    o = CopyOptions()
    for item in body.get("options") or []:
        d = item["DefElem"]
        name = d["defname"]
        where = pos(d.get("location"))
        if name in o.specified:
            raise PgError(SYNTAX_ERROR, "conflicting or redundant options", position=where)
        if name == "format":
            fmt = _get_string(d)
            if fmt not in ("text", "csv", "binary"):
                raise PgError(INVALID_PARAMETER_VALUE, f'COPY format "{fmt}" not recognized',
                              position=where)
            o.format = fmt
        elif name == "freeze":
            o.freeze = _get_boolean(d)
        elif name in ("delimiter", "null", "default", "quote", "escape"):
            setattr(o, name, _get_string(d))
        elif name == "header":
            o.header, o.header_match = _header_choice(d, is_from)
        elif name in ("force_quote", "force_not_null", "force_null"):
            names, star = _column_list(d, where)
            attr = "force_notnull" if name == "force_not_null" else name
            setattr(o, attr, names)
            setattr(o, attr + "_all", star)
        elif name == "convert_selectively":
            arg = d.get("arg")
            if arg is None or "List" not in arg:
                raise PgError(INVALID_PARAMETER_VALUE, f'argument to option "{name}" must be '
                              f"a list of column names", position=where)
            o.convert_selectively = [it["String"]["sval"] for it in arg["List"]["items"]]
        elif name == "encoding":
            o.encoding = char_to_encoding(_get_string(d))
            if o.encoding < 0:
                raise PgError(INVALID_PARAMETER_VALUE, 'argument to option "encoding" must be '
                              "a valid encoding name", position=where)
        elif name == "on_error":
            if not is_from:
                raise PgError(INVALID_PARAMETER_VALUE, "COPY ON_ERROR cannot be used with "
                              "COPY TO", position=where)
            v = _get_string(d)
            if v.lower() not in ("stop", "ignore"):
                raise PgError(INVALID_PARAMETER_VALUE, f'COPY ON_ERROR "{v}" not recognized',
                              position=where)
            o.on_error_ignore = v.lower() == "ignore"
        elif name == "log_verbosity":
            v = _get_string(d)
            if v.lower() not in ("default", "verbose", "silent"):
                raise PgError(INVALID_PARAMETER_VALUE,
                              f'COPY LOG_VERBOSITY "{v}" not recognized', position=where)
            o.log_verbosity = v.lower()
        elif name == "reject_limit":
            o.reject_limit = _reject_limit(d)
        else:
            raise PgError(SYNTAX_ERROR, f'option "{name}" not recognized', position=where)
        o.specified.add(name)
    _check_combination(o, is_from)
    return o


def _reject_limit(d: dict) -> int:
    arg = d.get("arg")
    if arg is not None and "Integer" in arg:
        v = arg["Integer"].get("ival", 0)
    else:
        from tuskdb.types import TYPES
        v = TYPES[20].input(_get_string(d))
    if v <= 0:
        raise PgError(INVALID_PARAMETER_VALUE, f"REJECT_LIMIT ({v}) must be greater than zero")
    return v


def _one_byte(s: str) -> bool:
    return len(s.encode()) == 1


def _check_combination(o: CopyOptions, is_from: bool) -> None:
    binary, csv = o.format == "binary", o.format == "csv"
    spec = o.specified
    if binary and "delimiter" in spec:
        raise PgError(SYNTAX_ERROR, "cannot specify DELIMITER in BINARY mode")
    if binary and "null" in spec:
        raise PgError(SYNTAX_ERROR, "cannot specify NULL in BINARY mode")
    if binary and "default" in spec:
        raise PgError(SYNTAX_ERROR, "cannot specify DEFAULT in BINARY mode")
    if o.delimiter is None:
        o.delimiter = "," if csv else "\t"
    if o.null is None:
        o.null = "" if csv else "\\N"
    if csv:
        if o.quote is None:
            o.quote = '"'
        if o.escape is None:
            o.escape = o.quote
    if not _one_byte(o.delimiter):
        raise PgError(FEATURE_NOT_SUPPORTED, "COPY delimiter must be a single one-byte "
                      "character")
    if o.delimiter in ("\n", "\r"):
        raise PgError(INVALID_PARAMETER_VALUE, "COPY delimiter cannot be newline or carriage "
                      "return")
    if "\n" in o.null or "\r" in o.null:
        raise PgError(INVALID_PARAMETER_VALUE, "COPY null representation cannot use newline or "
                      "carriage return")
    if o.default is not None and ("\n" in o.default or "\r" in o.default):
        raise PgError(INVALID_PARAMETER_VALUE, "COPY default representation cannot use newline "
                      "or carriage return")
    if o.format == "text" and o.delimiter in "\\.abcdefghijklmnopqrstuvwxyz0123456789":
        raise PgError(INVALID_PARAMETER_VALUE, f'COPY delimiter cannot be "{o.delimiter}"')
    if binary and o.header:
        raise PgError(FEATURE_NOT_SUPPORTED, "cannot specify HEADER in BINARY mode")
    if not csv and "quote" in spec:
        raise PgError(FEATURE_NOT_SUPPORTED, "COPY QUOTE requires CSV mode")
    if csv and not _one_byte(o.quote or ""):
        raise PgError(FEATURE_NOT_SUPPORTED, "COPY quote must be a single one-byte character")
    if csv and o.delimiter == o.quote:
        raise PgError(INVALID_PARAMETER_VALUE, "COPY delimiter and quote must be different")
    if not csv and "escape" in spec:
        raise PgError(FEATURE_NOT_SUPPORTED, "COPY ESCAPE requires CSV mode")
    if csv and not _one_byte(o.escape or ""):
        raise PgError(FEATURE_NOT_SUPPORTED, "COPY escape must be a single one-byte character")
    for opt, label, from_only in (("force_quote", "FORCE_QUOTE", False),
                                  ("force_notnull", "FORCE_NOT_NULL", True),
                                  ("force_null", "FORCE_NULL", True)):
        if getattr(o, opt) is None and not getattr(o, opt + "_all"):
            continue
        if not csv:
            raise PgError(FEATURE_NOT_SUPPORTED, f"COPY {label} requires CSV mode")
        if from_only and not is_from:
            raise PgError(FEATURE_NOT_SUPPORTED, f"COPY {label} cannot be used with COPY TO")
        if not from_only and is_from:
            raise PgError(FEATURE_NOT_SUPPORTED, f"COPY {label} cannot be used with COPY FROM")
    if not binary and o.delimiter in o.null:
        raise PgError(INVALID_PARAMETER_VALUE, "COPY delimiter character must not appear in "
                      "the NULL specification")
    if csv and o.quote in o.null:
        raise PgError(INVALID_PARAMETER_VALUE, "CSV quote character must not appear in the "
                      "NULL specification")
    if o.freeze and not is_from:
        raise PgError(INVALID_PARAMETER_VALUE, "COPY FREEZE cannot be used with COPY TO")
    if o.default is not None:
        if not is_from:
            raise PgError(FEATURE_NOT_SUPPORTED, "COPY DEFAULT cannot be used with COPY TO")
        if o.delimiter in o.default:
            raise PgError(FEATURE_NOT_SUPPORTED, "COPY delimiter character must not appear in "
                          "the DEFAULT specification")
        if csv and o.quote in o.default:
            raise PgError(FEATURE_NOT_SUPPORTED, "CSV quote character must not appear in the "
                          "DEFAULT specification")
        if o.null == o.default:
            raise PgError(FEATURE_NOT_SUPPORTED, "NULL specification and DEFAULT specification "
                          "cannot be the same")
    if binary and o.on_error_ignore:
        raise PgError(SYNTAX_ERROR, "only ON_ERROR STOP is allowed in BINARY mode")
    if "reject_limit" in spec and not o.on_error_ignore:
        raise PgError(INVALID_PARAMETER_VALUE, "COPY REJECT_LIMIT requires ON_ERROR to be set "
                      "to IGNORE")
