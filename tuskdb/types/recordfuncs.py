"""Built-ins returning records (OUT parameters): json(b)_each(_text),
pg_input_error_info, pg_options_to_table.

Each returns a tuple per row (in the order of ``Function.out_names``), or an
iterator of such tuples when the function is set-returning.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from tuskdb.errors import PgError
from tuskdb.types.arrays import Array
from tuskdb.types import catfkeys as _catfkeys
from tuskdb.types.json import Jsonb, _Lex, _skip_member, jsonb_text, parse


def _json_pairs(s: str, what: str) -> Iterator[tuple[str, str]]:
    """(key, raw value text) of a json object's members, duplicates kept."""
    tree = parse(s, keep_nul=True, validate_only=True)
    del tree
    lex = _Lex(s, True, True)
    k, _ = lex.next()
    if k != "{":
        if k == "[":
            raise PgError("22023", "cannot deconstruct an array as an object")
        raise PgError("22023", "cannot deconstruct a scalar")
    out: list[tuple[str, str]] = []
    k, v = lex.next()
    while k == "str":
        lex.next()  # ':'
        a, b = _skip_member(lex)
        out.append((v, s[a:b]))
        k, v = lex.next()
        if k == ",":
            k, v = lex.next()
    return iter(out)


def json_each(s: str) -> Iterator[tuple[str, str]]:
    return _json_pairs(s, "json_each")


def json_each_text(s: str) -> Iterator[tuple[str, str | None]]:
    for key, raw in _json_pairs(s, "json_each_text"):
        t = parse(raw, keep_nul=True)
        if t is None:
            yield key, None
        elif isinstance(t, str):
            yield key, t
        else:
            yield key, raw


def _jsonb_object(j: Jsonb, fname: str) -> dict[str, Any]:
    if not isinstance(j.tree, dict):
        raise PgError("22023", f"cannot call {fname} on a non-object")
    return j.tree


def jsonb_each(j: Jsonb) -> Iterator[tuple[str, Jsonb]]:
    return iter([(k, Jsonb(v)) for k, v in _jsonb_object(j, "jsonb_each").items()])


def jsonb_each_text(j: Jsonb) -> Iterator[tuple[str, str | None]]:
    rows: list[tuple[str, str | None]] = []
    for k, v in _jsonb_object(j, "jsonb_each_text").items():
        rows.append((k, None if v is None else v if isinstance(v, str) else jsonb_text(v)))
    return iter(rows)


def pg_input_error_info(ctx: Any, text: str, typname: str
                        ) -> tuple[str | None, str | None, str | None, str | None]:
    from tuskdb.types.registry import parse_type_name
    try:
        t, typmod = parse_type_name(typname)
    except PgError:
        hooks = getattr(ctx, "session_hooks", None)
        if hooks is None:
            raise
        t, typmod = hooks.lookup_type_text(typname)
    try:
        t.input(text, typmod, ctx)
    except PgError as e:
        if getattr(e, "hard_error", False):
            raise
        if e.sqlstate.startswith("22") or getattr(e, "soft_input", False) or \
                e.sqlstate == "23514":   # soft errors (domain CHECK violations too)
            return (e.message, e.detail, e.hint, e.sqlstate)
        raise
    return (None, None, None, None)


def pg_input_is_valid(ctx: Any, text: str, typname: str) -> bool:
    return pg_input_error_info(ctx, text, typname)[0] is None


def pg_options_to_table(options: Array) -> Iterator[tuple[str, str | None]]:
    rows: list[tuple[str, str | None]] = []
    for item in options.items:
        if item is None:
            continue
        name, eq, value = item.partition("=")
        rows.append((name, value if eq else None))
    return iter(rows)


IMPLS: dict[str, Callable[..., Any]] = {
    "json_each": json_each, "json_each_text": json_each_text, "jsonb_each": jsonb_each,
    "jsonb_each_text": jsonb_each_text, "pg_options_to_table": pg_options_to_table,
    "pg_get_catalog_foreign_keys": _catfkeys.pg_get_catalog_foreign_keys,
}
CTX_IMPLS: dict[str, Callable[..., Any]] = {
    "pg_input_error_info": pg_input_error_info, "pg_input_is_valid": pg_input_is_valid,
}
