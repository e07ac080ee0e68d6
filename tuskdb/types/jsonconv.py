"""SQL values as JSON by their SQL type (PostgreSQL's datum_to_json / datum_to_jsonb).

A value's JSON form follows its type's category: booleans and numbers stay
JSON literals (a non-finite float becomes a string), date/timestamp/timestamptz
become ISO 8601 strings, json is embedded verbatim, jsonb as its tree, arrays
become JSON arrays (``[1,2]`` in json text), and every other type becomes the
JSON string of its text output.  Used by the SQL/JSON constructors
(JSON_OBJECT, JSON_ARRAY, JSON_SCALAR, JSON_ARRAYAGG, JSON_OBJECTAGG).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tuskdb.errors import PgError
from tuskdb.types.arrays import TypedArray
from tuskdb.types.json import Jsonb, escape_json, jsonb_text, parse

_NUMERIC = frozenset((20, 21, 23, 700, 701, 1700))
# regproc .. regcollation: their output names a catalog object, which the session knows
_REG_TYPES = frozenset((24, 2202, 2203, 2204, 2205, 2206, 3734, 3769, 4089, 4096, 4191))
_STRINGS = frozenset((25, 1043, 1042, 19, 705, 18))


def base_type(typ: int) -> int:
    from tuskdb.types.registry import TYPES
    t = TYPES.get(typ)
    while t is not None and t.typtype == "d":
        typ = t.base_oid
        t = TYPES.get(typ)
    return typ


def category(typ: int) -> str:
    """'bool' 'numeric' 'date' 'timestamp' 'timestamptz' 'json' 'jsonb' 'array' 'other'."""
    from tuskdb.types.registry import TYPES
    typ = base_type(typ)
    if typ == 16:
        return "bool"
    if typ in _NUMERIC:
        return "numeric"
    if typ == 1082:
        return "date"
    if typ == 1114:
        return "timestamp"
    if typ == 1184:
        return "timestamptz"
    if typ == 114:
        return "json"
    if typ == 3802:
        return "jsonb"
    t = TYPES.get(typ)
    if typ == 2287 or (t is not None and t.category == "A"):
        return "array"
    if typ == 2249 or (t is not None and t.typtype == "c"):
        return "composite"
    return "other"


def _record_fields(v: Any, typ: int) -> list[tuple[str, int, Any]]:
    """(name, type, value) of a record value (named composite, named row, or fN)."""
    from tuskdb.types.registry import TYPES
    t = TYPES.get(typ)
    vals = list(v.values)
    if t is not None and t.typtype == "c" and getattr(t, "fields", None):
        return [(f[0], f[1], x) for f, x in zip(t.fields, vals)]
    names = list(v.names) if getattr(v, "names", None) else \
        [f"f{i + 1}" for i in range(len(vals))]
    return list(zip(names, list(v.type_oids), vals))


def _datetime_text(v: Any, typ: int, tctx: Any) -> str:
    from tuskdb.types.jsonpath_datetime import datetime_json_text
    from tuskdb.types.jsonpath_exec import JpDatetime
    tz = None
    if typ == 1184:
        from tuskdb.types.datetime import _tz
        from tuskdb.types.dtcore import DT_NOBEGIN, DT_NOEND, utc_offset
        if v not in (DT_NOBEGIN, DT_NOEND):
            tz = -utc_offset(_tz(tctx), v)[0]
    return datetime_json_text(tctx, JpDatetime(typ, v, tz or 0))


def _output(v: Any, typ: int, tctx: Any) -> str:
    """The type's text output (a reg* value as the name of its object)."""
    from tuskdb.types.registry import TYPES
    hooks = getattr(tctx, "session_hooks", None)
    if typ in _REG_TYPES and hooks is not None:
        return hooks.reg_output(typ, v)
    return TYPES[typ].output(v, tctx)


def _number_text(v: Any, typ: int, tctx: Any) -> tuple[str, bool]:
    """(text, is a JSON number)."""
    from tuskdb.types.registry import TYPES
    s = TYPES[typ].output(v, tctx)
    if s in ("NaN", "Infinity", "-Infinity"):
        return s, False
    return s, True


def datum_to_json(v: Any, typ: int, tctx: Any, key_scalar: bool = False) -> str:
    """The JSON text of a value (None is JSON null)."""
    from tuskdb.types.registry import TYPES
    if v is None:
        return "null"
    typ = base_type(typ)
    if typ == 2277 and isinstance(v, TypedArray):        # anyarray: its own element type
        return _array_json(v, v.elem_oid, tctx)
    cat = category(typ)
    if cat == "bool":
        return "true" if v else "false"
    if cat == "numeric":
        s, is_num = _number_text(v, typ, tctx)
        return s if is_num else escape_json(s)
    if cat in ("date", "timestamp", "timestamptz"):
        return escape_json(_datetime_text(v, typ, tctx))
    if cat == "json":
        return v
    if cat == "jsonb":
        return jsonb_text(v.tree)
    if cat == "array":
        return _array_json(v, 2249 if typ == 2287 else TYPES[typ].elem_oid, tctx)
    if cat == "composite":
        return "{" + ",".join(escape_json(n) + ":" + datum_to_json(x, t, tctx)
                              for n, t, x in _record_fields(v, typ)) + "}"
    return escape_json(_output(v, typ, tctx))


def _array_json(a: Any, elem: int, tctx: Any) -> str:
    dims = list(a.dims) if a.dims else [len(a.items)]
    items = list(a.items)
    if not items:
        return "[]"

    def build(level: int, start: int) -> tuple[str, int]:
        n = dims[level]
        parts = []
        pos = start
        for _ in range(n):
            if level + 1 < len(dims):
                s, pos = build(level + 1, pos)
            else:
                s = datum_to_json(items[pos], elem, tctx)
                pos += 1
            parts.append(s)
        return "[" + ",".join(parts) + "]", pos
    return build(0, 0)[0]


def datum_to_jsonb(v: Any, typ: int, tctx: Any) -> Any:
    """The jsonb tree of a value (None is JSON null)."""
    from tuskdb.types.registry import TYPES
    if v is None:
        return None
    typ = base_type(typ)
    if typ == 2277 and isinstance(v, TypedArray):        # anyarray: its own element type
        return [datum_to_jsonb(x, v.elem_oid, tctx) for x in v.items]
    cat = category(typ)
    if cat == "bool":
        return bool(v)
    if cat == "numeric":
        s, is_num = _number_text(v, typ, tctx)
        return Decimal(s) if is_num and typ != 1700 else (v if is_num else s)
    if cat in ("date", "timestamp", "timestamptz"):
        return _datetime_text(v, typ, tctx)
    if cat == "json":
        return parse(v)
    if cat == "jsonb":
        return v.tree
    if cat == "array":
        elem = 2249 if typ == 2287 else TYPES[typ].elem_oid
        dims = list(v.dims) if v.dims else [len(v.items)]
        items = list(v.items)
        if not items:
            return []

        def build(level: int, start: int) -> tuple[list, int]:
            out = []
            pos = start
            for _ in range(dims[level]):
                if level + 1 < len(dims):
                    sub, pos = build(level + 1, pos)
                    out.append(sub)
                else:
                    out.append(datum_to_jsonb(items[pos], elem, tctx))
                    pos += 1
            return out, pos
        return build(0, 0)[0]
    if cat == "composite":
        from tuskdb.types.json import to_jsonb_tree
        return to_jsonb_tree({n: datum_to_jsonb(x, t, tctx)
                              for n, t, x in _record_fields(v, typ)})
    return _output(v, typ, tctx)


def key_text(v: Any, typ: int, tctx: Any) -> str:
    """An object key: scalars only (json_build_object's rule)."""
    from tuskdb.types.registry import TYPES
    cat = category(typ)
    if cat in ("array", "composite", "json", "jsonb") or _has_json_cast(typ):
        raise PgError("22023", "key value must be scalar, not array, composite, or json")
    typ = base_type(typ)
    if cat in ("date", "timestamp", "timestamptz"):
        return _datetime_text(v, typ, tctx)
    if cat == "bool":
        return "true" if v else "false"
    return _output(v, typ, tctx)


def _has_json_cast(typ: int) -> bool:
    from tuskdb.types.registry import TYPES
    t = TYPES.get(typ)
    return t is not None and getattr(t, "json_cast", False)


_ = Jsonb
