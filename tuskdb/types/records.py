"""Composite values: row types of tables, CREATE TYPE ... AS (...), and anonymous
records (ROW(...), type ``record``).

A composite value is a ``Record``: the field values and the field type OIDs.  A
named composite type's fields come from the catalog (``make_composite_type``);
an anonymous record carries its own field types, so ``record_out`` can print any
record without a catalog (PostgreSQL keeps a "blessed" tuple descriptor per
typmod instead).

Text format (record_in / record_out):  ``(f1,f2,...)``; an empty field is NULL;
a field is double-quoted when it is empty or contains ``"``, ``\\``, ``(``,
``)``, ``,`` or white space, with ``"`` and ``\\`` doubled inside the quotes.
"""

from __future__ import annotations

from typing import Any, Sequence

from tuskdb.errors import PgError

RECORD = 2249


class Record:
    """A row value: ``values`` (tuple, None = NULL) with ``type_oids`` per field and,
    for records whose columns have names (a subquery's row), ``names``."""

    __slots__ = ("values", "type_oids", "names")

    def __init__(self, values: Sequence[Any], type_oids: Sequence[int],
                 names: Sequence[str] | None = None) -> None:
        self.values = tuple(values)
        self.type_oids = tuple(type_oids)
        self.names = tuple(names) if names is not None else None

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self) -> Any:
        return iter(self.values)

    def __getitem__(self, i: int) -> Any:
        return self.values[i]

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return self.values == other.values

    def __ne__(self, other: Any) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return self.values != other.values

    def __hash__(self) -> int:
        return hash(self.values)

    def __lt__(self, other: Record) -> bool:
        return record_cmp(self, other) < 0

    def __le__(self, other: Record) -> bool:
        return record_cmp(self, other) <= 0

    def __gt__(self, other: Record) -> bool:
        return record_cmp(self, other) > 0

    def __ge__(self, other: Record) -> bool:
        return record_cmp(self, other) >= 0

    def __repr__(self) -> str:
        return f"Record({self.values!r}, {self.type_oids!r})"


def _cmp_values(a: Any, b: Any) -> int:
    from tuskdb.types.arrays import Array
    if isinstance(a, float) and a != a:
        return 0 if isinstance(b, float) and b != b else 1
    if isinstance(b, float) and b != b:
        return -1
    a_nan = hasattr(a, "is_nan") and a.is_nan()
    b_nan = hasattr(b, "is_nan") and b.is_nan()
    if a_nan or b_nan:
        return 0 if a_nan and b_nan else (1 if a_nan else -1)
    if isinstance(a, Array):
        from tuskdb.types.arrays import array_cmp
        return array_cmp(a, b)
    return (a > b) - (a < b)


def _type_name(oid: int) -> str:
    from tuskdb.types.registry import TYPES
    t = TYPES.get(oid)
    return t.sql_name if t is not None else str(oid)


def _check_similar(a: Record, b: Record, i: int) -> None:
    ta = a.type_oids[i] if i < len(a.type_oids) else 0
    tb = b.type_oids[i] if i < len(b.type_oids) else 0
    if ta != tb and ta and tb:
        from tuskdb.types.usertypes import base_type
        if base_type(ta) != base_type(tb):
            raise PgError("42804", f"cannot compare dissimilar column types {_type_name(ta)} "
                          f"and {_type_name(tb)} at record column {i + 1}")


def _cmp_checked(x: Any, y: Any, type_oid: int, what: str = "a comparison function") -> int:
    try:
        return _cmp_values(x, y)
    except TypeError:
        raise PgError("42883", f"could not identify {what} for type "
                      f"{_type_name(type_oid)}") from None


def record_cmp(a: Record, b: Record) -> int:
    """btree ordering of records (record_cmp): field by field, NULL after non-NULL."""
    n = min(len(a.values), len(b.values))
    for i in range(n):
        _check_similar(a, b, i)
        x, y = a.values[i], b.values[i]
        if x is None:
            if y is None:
                continue
            return 1
        if y is None:
            return -1
        ta = a.type_oids[i] if i < len(a.type_oids) else 0
        if isinstance(x, str) and isinstance(y, str) and ta == 1042:
            x, y = x.rstrip(" "), y.rstrip(" ")
        c = _cmp_checked(x, y, ta)
        if c:
            return c
    if len(a.values) != len(b.values):
        raise PgError("42804", "cannot compare record types with different numbers of columns")
    return 0


def record_eq_sql(a: Record, b: Record) -> bool | None:
    """record_eq with SQL NULL semantics: false if some pair differs, else NULL if a
    pair has a NULL, else true."""
    if len(a.values) != len(b.values):
        raise PgError("42804", "cannot compare record types with different numbers of columns")
    null = False
    for i, (x, y) in enumerate(zip(a.values, b.values)):
        _check_similar(a, b, i)
        if x is None or y is None:
            null = True
            continue
        if a.type_oids[i] == 1042 if i < len(a.type_oids) else False:
            x, y = x.rstrip(" "), y.rstrip(" ")
        if _cmp_checked(x, y, a.type_oids[i], "an equality operator") != 0:
            return False
    return None if null else True


def _ordered(want: Any) -> Any:
    def f(a: Record, b: Record) -> bool | None:
        # NULL fields: compare up to the first pair that differs; a NULL before that
        # makes the result NULL (row-wise comparison of the SQL standard)
        n = min(len(a.values), len(b.values))
        for i in range(n):
            _check_similar(a, b, i)
            x, y = a.values[i], b.values[i]
            if x is None or y is None:
                return None
            if a.type_oids[i] == 1042 if i < len(a.type_oids) else False:
                x, y = x.rstrip(" "), y.rstrip(" ")
            c = _cmp_checked(x, y, a.type_oids[i])
            if c:
                return want(c)
        if len(a.values) != len(b.values):
            raise PgError("42804", "cannot compare record types with different numbers of "
                          "columns")
        return want(0)
    return f


def _record_ne(a: Record, b: Record) -> bool | None:
    r = record_eq_sql(a, b)
    return None if r is None else not r


# -- binary image comparison (*=, *<, ...): the stored bytes, not the type's ordering --------

_LE = {21: "<h", 23: "<i", 20: "<q", 26: "<I", 1082: "<i", 1083: "<q", 1114: "<q",
       1184: "<q", 700: "<f", 701: "<d", 16: "<?", 18: None}


def _image(v: Any, type_oid: int) -> bytes:
    import struct
    from tuskdb.types.registry import TYPES
    from tuskdb.types.usertypes import base_type
    t = base_type(type_oid)
    fmt = _LE.get(t)
    if fmt is not None:
        return struct.pack(fmt, v)
    if isinstance(v, str):
        return v.encode()
    if isinstance(v, bytes):
        return v
    if isinstance(v, Record):
        return b"".join(b"\x00" if x is None else _image(x, ft)
                        for x, ft in zip(v.values, v.type_oids))
    return TYPES[t].send(v, None)


def record_image_cmp(a: Record, b: Record) -> int:
    n = min(len(a.values), len(b.values))
    for i in range(n):
        _check_similar(a, b, i)
        x, y = a.values[i], b.values[i]
        if x is None or y is None:
            if x is None and y is None:
                continue
            return 1 if x is None else -1
        ix, iy = _image(x, a.type_oids[i]), _image(y, b.type_oids[i])
        if ix != iy:
            m = min(len(ix), len(iy))
            if ix[:m] != iy[:m]:
                return -1 if ix[:m] < iy[:m] else 1
            return -1 if len(ix) < len(iy) else 1
    if len(a.values) != len(b.values):
        raise PgError("42804", "cannot compare record types with different numbers of columns")
    return 0


def _image_op(want: Any) -> Any:
    return lambda a, b: want(record_image_cmp(a, b))


IMPLS = {
    "record_image_lt": _image_op(lambda c: c < 0),
    "record_image_gt": _image_op(lambda c: c > 0),
    "record_image_le": _image_op(lambda c: c <= 0),
    "record_image_ge": _image_op(lambda c: c >= 0),
    "btrecordimagecmp": record_image_cmp,
    "record_larger": lambda a, b: a if record_cmp(a, b) >= 0 else b,
    "record_smaller": lambda a, b: a if record_cmp(a, b) <= 0 else b,
    "record_eq": record_eq_sql,
    "record_ne": _record_ne,
    "record_lt": _ordered(lambda c: c < 0),
    "record_gt": _ordered(lambda c: c > 0),
    "record_le": _ordered(lambda c: c <= 0),
    "record_ge": _ordered(lambda c: c >= 0),
    "btrecordcmp": record_cmp,
    "record_image_eq": _image_op(lambda c: c == 0),
    "record_image_ne": _image_op(lambda c: c != 0),
}


# -- text I/O ----------------------------------------------------------------------------


def _needs_quote(s: str) -> bool:
    if s == "":
        return True
    for ch in s:
        if ch in '"\\(),' or ch.isspace():
            return True
    return False


def record_text(values: Sequence[Any], type_oids: Sequence[int], ctx: Any) -> str:
    from tuskdb.types.registry import TYPES
    parts = []
    for v, t in zip(values, type_oids):
        if v is None:
            parts.append("")
            continue
        s = TYPES[t].output(v, ctx)
        if _needs_quote(s):
            s = '"' + s.replace("\\", "\\\\").replace('"', '""') + '"'
        parts.append(s)
    return "(" + ",".join(parts) + ")"


def record_out(v: Record, ctx: Any = None) -> str:
    return record_text(v.values, v.type_oids, ctx)


def _malformed(text: str, detail: str) -> PgError:
    return PgError("22P02", f'malformed record literal: "{text}"', detail=detail)


def parse_record_text(text: str) -> list[str | None]:
    """Split record text into raw field strings (None = NULL), record_in's rules."""
    i, n = 0, len(text)
    while i < n and text[i].isspace():
        i += 1
    if i >= n or text[i] != "(":
        raise _malformed(text, "Missing left parenthesis.")
    i += 1
    fields: list[str | None] = []
    while True:
        if i >= n:
            raise _malformed(text, "Unexpected end of input.")
        if text[i] in ",)":
            fields.append(None)
        else:
            buf = []
            in_quote = False
            while True:
                if i >= n:
                    raise _malformed(text, "Unexpected end of input.")
                ch = text[i]
                if in_quote:
                    if ch == "\\":
                        if i + 1 >= n:
                            raise _malformed(text, "Unexpected end of input.")
                        buf.append(text[i + 1])
                        i += 2
                        continue
                    if ch == '"':
                        if i + 1 < n and text[i + 1] == '"':
                            buf.append('"')
                            i += 2
                            continue
                        in_quote = False
                        i += 1
                        continue
                    buf.append(ch)
                    i += 1
                    continue
                if ch in ",)":
                    break
                if ch == '"':
                    in_quote = True
                    i += 1
                    continue
                if ch == "\\":
                    if i + 1 >= n:
                        raise _malformed(text, "Unexpected end of input.")
                    buf.append(text[i + 1])
                    i += 2
                    continue
                buf.append(ch)
                i += 1
            fields.append("".join(buf))
        ch = text[i]
        i += 1
        if ch == ")":
            break
    while i < n and text[i].isspace():
        i += 1
    if i < n:
        raise _malformed(text, "Junk after right parenthesis.")
    return fields


def record_in_fields(text: str, fields: Sequence[tuple[str, int, int]], ctx: Any) -> Record:
    """record_in for a composite with ``fields`` = (name, type oid, typmod)."""
    from tuskdb.types.registry import TYPES
    raw = parse_record_text(text)
    if len(raw) < len(fields):
        raise _malformed(text, "Too few columns.")
    if len(raw) > len(fields):
        raise _malformed(text, "Too many columns.")
    out = []
    for r, (_, t, typmod) in zip(raw, fields):
        if r is None:
            out.append(None)
            continue
        typ = TYPES[t]
        v = typ.input(r, typmod if t == 1186 else -1, ctx)
        if typmod >= 0:
            v = typ.coerce_typmod(v, typmod, False)
        out.append(v)
    return Record(out, [f[1] for f in fields])


def anonymous_record_in(text: str, typmod: int = -1, ctx: Any = None) -> Record:
    raise PgError("0A000", "input of anonymous composite types is not implemented")


# -- key encoding ------------------------------------------------------------------------


def record_key_encoder(type_oids: Sequence[int] | None) -> Any:
    """Order-preserving key bytes of a record: per field 0x01+payload or 0x02 (NULL)."""
    from tuskdb.types import keyenc

    fixed = [keyenc.encoder_for(t) for t in type_oids] if type_oids is not None else None

    def enc(v: Record) -> bytes:
        encs = fixed if fixed is not None else [keyenc.encoder_for(t) for t in v.type_oids]
        parts = []
        for e, x in zip(encs, v.values):
            parts.append(b"\x02" if x is None else b"\x01" + e(x))
        parts.append(b"\x00")
        return b"".join(parts)
    return enc


def make_composite_type(oid: int, name: str, sql_name: str, array_oid: int, relid: int,
                        fields: Sequence[tuple[str, int, int]]) -> Any:
    """A named composite type: fields (name, type oid, typmod) in attnum order."""
    from tuskdb.types import keyenc
    from tuskdb.types.usertypes import UserType

    flds = tuple(fields)
    ftypes = tuple(f[1] for f in flds)

    def c_in(text: str, typmod: int = -1, ctx: Any = None) -> Record:
        return record_in_fields(text, flds, ctx)

    def c_out(v: Record, ctx: Any = None) -> str:
        vals = v.values
        if len(vals) < len(ftypes):     # stored before ADD ATTRIBUTE / ADD COLUMN
            vals = vals + (None,) * (len(ftypes) - len(vals))
        return record_text(vals, ftypes if len(ftypes) == len(vals) else v.type_oids, ctx)

    t = UserType(oid, name, -1, False, "C", False, array_oid, typtype="c", sql_name=sql_name,
                 align="d", storage="x", input=c_in, output=c_out,
                 procs=("record_in", "record_out", "record_recv", "record_send", "-", "-"))
    t.fields = flds
    t.relid = relid
    try:
        keyenc.ENCODERS[oid] = record_key_encoder(ftypes)
    except PgError:
        keyenc.ENCODERS.pop(oid, None)
    return t


# -- row_to_json ---------------------------------------------------------------------------

_JSON_NUMERIC = frozenset((20, 21, 23, 26, 700, 701, 1700))


def _json_string(s: str) -> str:
    import json as _json
    return _json.dumps(s, ensure_ascii=False)


def json_value(v: Any, type_oid: int, ctx: Any) -> str:
    """One value as JSON text, the way PostgreSQL's datum_to_json does it."""
    from tuskdb.types.arrays import Array
    from tuskdb.types.registry import TYPES
    if v is None:
        return "null"
    if isinstance(v, Record):
        return record_json(v, ctx, type_oid)
    t = TYPES.get(type_oid)
    if isinstance(v, Array):
        elem = t.elem_oid if t is not None and t.elem_oid else 25
        return _array_json(v, elem, ctx)
    base = type_oid
    if t is not None and t.typtype == "d":
        from tuskdb.types.usertypes import base_type
        base = base_type(type_oid)
        t = TYPES.get(base)
    if base == 16:
        return "true" if v else "false"
    text = t.output(v, ctx) if t is not None else str(v)
    if base in _JSON_NUMERIC:
        if text in ("NaN", "Infinity", "-Infinity"):
            return _json_string(text)
        return text
    if base in (114, 3802):
        return text
    if base in (1082, 1114, 1184):
        return _json_string(json_datetime_text(v, base, ctx))
    return _json_string(text)


def json_datetime_text(v: Any, type_oid: int, ctx: Any) -> str:
    """Dates and timestamps in JSON: ISO 8601 with 'T' (and a +hh:mm offset)."""
    from tuskdb.types.context import DEFAULT_CONTEXT
    from tuskdb.types.registry import TYPES
    iso = (ctx or DEFAULT_CONTEXT).replace(datestyle="ISO, MDY")
    text = TYPES[type_oid].output(v, iso)
    if type_oid == 1082 or text in ("infinity", "-infinity"):
        return text
    text = text.replace(" ", "T", 1)
    if type_oid == 1184:
        import re
        m = re.search(r"([+-]\d\d)(:\d\d)?(:\d\d)?$", text)
        if m and not m.group(2):
            text = text + ":00"
    return text


def _array_json(v: Any, elem: int, ctx: Any) -> str:
    dims = list(v.dims) if getattr(v, "dims", None) else [len(v.items)]
    items = list(v.items)
    if not items:
        return "[]"

    def build(level: int, start: int) -> tuple[str, int]:
        if level == len(dims) - 1:
            parts = [json_value(x, elem, ctx) for x in items[start:start + dims[level]]]
            return "[" + ",".join(parts) + "]", start + dims[level]
        parts = []
        pos = start
        for _ in range(dims[level]):
            s, pos = build(level + 1, pos)
            parts.append(s)
        return "[" + ",".join(parts) + "]", pos
    return build(0, 0)[0]


def record_field_names(v: Record, type_oid: int = RECORD) -> list[str]:
    from tuskdb.types.registry import TYPES
    t = TYPES.get(type_oid)
    fields = getattr(t, "fields", ()) if t is not None else ()
    if fields and len(fields) == len(v.values):
        return [f[0] for f in fields]
    if v.names is not None and len(v.names) == len(v.values):
        return list(v.names)
    return [f"f{i + 1}" for i in range(len(v.values))]


def record_json(v: Record, ctx: Any, type_oid: int = RECORD, pretty: bool = False) -> str:
    names = record_field_names(v, type_oid)
    parts = [f"{_json_string(n)}:{json_value(x, t, ctx)}"
             for n, x, t in zip(names, v.values, v.type_oids)]
    sep = ",\n " if pretty else ","
    return "{" + sep.join(parts) + "}"


CTX_IMPLS = {
    "row_to_json": lambda ctx, v: record_json(v, ctx),
    "row_to_json_pretty": lambda ctx, v, pretty: record_json(v, ctx, pretty=bool(pretty)),
}
