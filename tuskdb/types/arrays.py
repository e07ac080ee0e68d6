"""One-dimensional arrays: the ``Array`` value, text and binary I/O, array functions.

``Array(items, lower=1)``: ``items`` is a tuple of element values (None for
NULL), ``lower`` the lower bound of the single dimension.  An empty array has
no dimensions (``items == ()``).  Arrays compare element by element with
PostgreSQL's rules (NULL sorts after any value, then the shorter array first).
Multi-dimensional arrays are not supported yet (input raises 0A000).
"""

from __future__ import annotations

import struct
from decimal import Decimal
from typing import Any, Callable, Iterator

from tuskdb.errors import PgError


class Array:
    """An array value: ``items`` (flat, row-major), ``dims`` and ``lbounds`` per
    dimension; ``lower`` is the first dimension's lower bound.  ``Array(items)``
    and ``Array(items, lower)`` build one-dimensional arrays."""

    __slots__ = ("items", "lower", "dims", "lbounds")

    items: tuple[Any, ...]
    lower: int
    dims: tuple[int, ...]
    lbounds: tuple[int, ...]

    def __init__(self, items: Any = (), lower: int = 1, dims: Any = None,
                 lbounds: Any = None) -> None:
        items = tuple(items)
        if not items:
            dims, lbounds, lower = (), (), 1
        elif dims is None:
            dims, lbounds = (len(items),), (lower,)
        else:
            dims = tuple(dims)
            lbounds = tuple(lbounds) if lbounds is not None else \
                (lower,) + (1,) * (len(dims) - 1)
            lower = lbounds[0]
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "lower", lower)
        object.__setattr__(self, "dims", dims)
        object.__setattr__(self, "lbounds", lbounds)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Array is immutable")

    @property
    def ndim(self) -> int:
        return len(self.dims)

    def with_items(self, items: Any) -> Array:
        """Same shape, new elements (element-wise casts, typmod coercion)."""
        return Array(items, self.lower, self.dims, self.lbounds)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __getitem__(self, i: int) -> Any:
        return self.items[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Array):
            return array_cmp(self, other) == 0
        return NotImplemented

    def __lt__(self, other: Array) -> bool:
        return array_cmp(self, other) < 0

    def __le__(self, other: Array) -> bool:
        return array_cmp(self, other) <= 0

    def __gt__(self, other: Array) -> bool:
        return array_cmp(self, other) > 0

    def __ge__(self, other: Array) -> bool:
        return array_cmp(self, other) >= 0

    def __hash__(self) -> int:
        return hash(self.dims + self.lbounds + tuple(_hashable(v) for v in self.items))

    def __repr__(self) -> str:
        if self.ndim > 1:
            return f"Array({list(self.items)!r}, dims={self.dims}, lbounds={self.lbounds})"
        if self.lower != 1:
            return f"Array({list(self.items)!r}, lower={self.lower})"
        return f"Array({list(self.items)!r})"

    def __reduce__(self) -> Any:
        return (Array, (self.items, self.lower, self.dims, self.lbounds))


class TypedArray(Array):
    """A value of the pseudo-type anyarray (pg_statistic.stavaluesN, pg_stats'
    most_common_vals / histogram_bounds): an array that carries its element type,
    as PostgreSQL's array header does, so that output and to_json can format it."""

    __slots__ = ("elem_oid",)

    elem_oid: int

    def __init__(self, elem_oid: int, items: Any = (), lower: int = 1, dims: Any = None,
                 lbounds: Any = None) -> None:
        super().__init__(items, lower, dims, lbounds)
        object.__setattr__(self, "elem_oid", elem_oid)

    def __repr__(self) -> str:
        return f"TypedArray({self.elem_oid}, {list(self.items)!r})"

    def __reduce__(self) -> Any:
        return (TypedArray, (self.elem_oid, self.items, self.lower, self.dims, self.lbounds))


def _hashable(v: Any) -> Any:
    if isinstance(v, float) and v != v:
        return "NaN"
    if isinstance(v, Decimal) and v.is_nan():
        return "NaN"
    return v


def elem_cmp(a: Any, b: Any) -> int:
    """Generic element comparison with PostgreSQL's NULL and NaN ordering."""
    if a is None:
        return 0 if b is None else 1
    if b is None:
        return -1
    if isinstance(a, float):
        if a != a:
            return 0 if b != b else 1
        if b != b:
            return -1
    elif isinstance(a, Decimal):
        if a.is_nan():
            return 0 if b.is_nan() else 1
        if b.is_nan():
            return -1
    elif isinstance(a, str) and (a.endswith(" ") or b.endswith(" ")):
        pass
    return (a > b) - (a < b)


def array_cmp(a: Array, b: Array) -> int:
    """array_cmp: elements first, then element count, dimensionality, dims, lbounds."""
    for x, y in zip(a.items, b.items):
        c = elem_cmp(x, y)
        if c:
            return c
    for x, y in ((len(a.items), len(b.items)), (a.ndim, b.ndim)):
        if x != y:
            return (x > y) - (x < y)
    for x, y in zip(a.dims + a.lbounds, b.dims + b.lbounds):
        if x != y:
            return (x > y) - (x < y)
    return 0


# ---------------------------------------------------------------------------
# text I/O

def _needs_quote(s: str, delim: str) -> bool:
    if s == "" or s.upper() == "NULL":
        return True
    for c in s:
        if c in '{}"\\' or c == delim or c in " \t\n\r\v\f":
            return True
    return False


def array_out(arr: Array, elem_out: Callable[[Any, Any], str], ctx: Any,
              delim: str = ",") -> str:
    if not arr.items:
        return "{}"
    parts = []
    for v in arr.items:
        if v is None:
            parts.append("NULL")
            continue
        s = elem_out(v, ctx)
        if _needs_quote(s, delim):
            s = '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
        parts.append(s)
    if arr.ndim <= 1:
        body = "{" + delim.join(parts) + "}"
    else:
        body = _nest(parts, arr.dims, delim)
    if any(lb != 1 for lb in arr.lbounds):
        deco = "".join(f"[{lb}:{lb + n - 1}]" for lb, n in zip(arr.lbounds, arr.dims))
        return deco + "=" + body
    return body


def _nest(parts: list[str], dims: tuple[int, ...], delim: str) -> str:
    if len(dims) == 1:
        return "{" + delim.join(parts) + "}"
    step = len(parts) // dims[0]
    return "{" + delim.join(_nest(parts[i * step:(i + 1) * step], dims[1:], delim)
                            for i in range(dims[0])) + "}"


def _malformed(text: str, detail: str) -> PgError:
    return PgError("22P02", f'malformed array literal: "{text}"', detail=detail)


_SPACE = " \t\n\r\v\f"


def array_in(text: str, elem_in: Callable[[str, int, Any], Any], typmod: int, ctx: Any,
             delim: str = ",") -> Array:
    s = text
    i = 0
    n = len(s)
    while i < n and s[i] in _SPACE:
        i += 1
    explicit: list[tuple[int, int]] = []
    while i < n and s[i] == "[":
        j = s.find("]", i)
        if j < 0:
            raise _malformed(text, 'Missing "]" in array dimensions.')
        dim = s[i + 1:j]
        lo, sep, hi = dim.partition(":")
        if not sep:
            lo, hi = "1", dim
        try:
            lower, upper = int(lo), int(hi)
        except ValueError:
            raise _malformed(text, "Array dimensions are malformed.") from None
        if upper < lower - 1:
            raise PgError("2202E", "upper bound cannot be less than lower bound")
        explicit.append((lower, upper - lower + 1))
        i = j + 1
    if explicit:
        if s[i:i + 1] != "=":
            raise _malformed(text, 'Missing "=" after array dimensions.')
        i += 1
        while i < n and s[i] in _SPACE:
            i += 1
    if i >= n or s[i] != "{":
        raise _malformed(text, 'Array value must start with "{" or dimension information.')
    tree, i = _parse_level(text, i, delim, elem_in, typmod, ctx)
    while i < n and s[i] in _SPACE:
        i += 1
    if i < n:
        raise _malformed(text, "Junk after closing right brace.")
    items: list[Any] = []
    dims = _shape(tree, text)
    _flatten(tree, items)
    if not items:
        dims = []
    if explicit:
        if [d for _, d in explicit] != dims:
            raise _malformed(text, "Specified array dimensions do not match array contents.")
        return Array(items, explicit[0][0], dims, [lb for lb, _ in explicit])
    return Array(items, 1, dims or None)


_LEAF = object()


def _parse_level(text: str, i: int, delim: str, elem_in: Callable[..., Any], typmod: int,
                 ctx: Any) -> tuple[list[Any], int]:
    """Parse one brace level starting at text[i] == '{'; returns (list, next index).
    Elements are wrapped as (_LEAF, value) so sub-arrays and values are told apart."""
    s = text
    n = len(s)
    i += 1
    out: list[Any] = []
    while i < n and s[i] in _SPACE:
        i += 1
    if i < n and s[i] == "}":
        return out, i + 1
    while True:
        while i < n and s[i] in _SPACE:
            i += 1
        if i >= n:
            raise _malformed(text, "Unexpected end of input.")
        c = s[i]
        if c == "{":
            sub, i = _parse_level(text, i, delim, elem_in, typmod, ctx)
            out.append(sub)
        elif c == '"':
            i += 1
            buf = []
            while True:
                if i >= n:
                    raise _malformed(text, "Unexpected end of input.")
                c = s[i]
                if c == "\\":
                    i += 1
                    if i >= n:
                        raise _malformed(text, "Unexpected end of input.")
                    buf.append(s[i])
                elif c == '"':
                    i += 1
                    break
                else:
                    buf.append(c)
                i += 1
            out.append((_LEAF, elem_in("".join(buf), typmod, ctx)))
        else:
            buf = []
            has_escape = False
            while i < n and s[i] not in (delim, "}"):
                c = s[i]
                if c == "\\":
                    i += 1
                    if i >= n:
                        raise _malformed(text, "Unexpected end of input.")
                    buf.append(s[i])
                    has_escape = True
                elif c in '{"':
                    raise _malformed(text, f'Unexpected "{c}" character.')
                else:
                    buf.append(c)
                i += 1
            tok = "".join(buf).rstrip(_SPACE) if not has_escape else "".join(buf)
            if tok == "" and not has_escape:
                raise _malformed(text, f'Unexpected "{s[i] if i < n else ""}" character.')
            if not has_escape and tok.upper() == "NULL":
                out.append((_LEAF, None))
            else:
                out.append((_LEAF, elem_in(tok, typmod, ctx)))
        while i < n and s[i] in _SPACE:
            i += 1
        if i >= n:
            raise _malformed(text, "Unexpected end of input.")
        if s[i] == delim:
            i += 1
            continue
        if s[i] == "}":
            return out, i + 1
        raise _malformed(text, f'Unexpected "{s[i]}" character.')


def _shape(tree: list[Any], text: str) -> list[int]:
    """Dimensions of a parsed literal; sub-arrays must be rectangular."""
    if not tree:
        return []
    leaves = [isinstance(x, tuple) for x in tree]
    if all(leaves):
        return [len(tree)]
    if any(leaves):
        raise _malformed(text, "Multidimensional arrays must have sub-arrays with matching "
                         "dimensions.")
    shapes = [_shape(x, text) for x in tree]
    if any(sh != shapes[0] for sh in shapes):
        raise _malformed(text, "Multidimensional arrays must have sub-arrays with matching "
                         "dimensions.")
    if not shapes[0]:
        return []
    return [len(tree)] + shapes[0]


def _flatten(tree: list[Any], out: list[Any]) -> None:
    for x in tree:
        if isinstance(x, tuple):
            out.append(x[1])
        else:
            _flatten(x, out)


_HDR = struct.Struct("!iii")
_DIM = struct.Struct("!ii")
_LEN = struct.Struct("!i")


def array_send(arr: Array, elem_oid: int, elem_send: Callable[[Any, Any], bytes],
               ctx: Any) -> bytes:
    if not arr.items:
        return _HDR.pack(0, 0, elem_oid)
    has_null = any(v is None for v in arr.items)
    out = [_HDR.pack(arr.ndim, 1 if has_null else 0, elem_oid)]
    out.extend(_DIM.pack(d, lb) for d, lb in zip(arr.dims, arr.lbounds))
    for v in arr.items:
        if v is None:
            out.append(b"\xff\xff\xff\xff")
        else:
            b = elem_send(v, ctx)
            out.append(_LEN.pack(len(b)))
            out.append(b)
    return b"".join(out)


def array_recv(data: bytes, elem_oid: int, elem_recv: Callable[[bytes, int, Any], Any],
               typmod: int, ctx: Any) -> Array:
    if len(data) < 12:
        raise PgError("22P03", "insufficient data left in message")
    ndim, flags, eoid = _HDR.unpack_from(data)
    if ndim == 0:
        return Array(())
    if ndim < 0 or ndim > 6:
        raise PgError("22P03", f"invalid number of dimensions: {ndim}")
    if eoid != elem_oid:
        raise PgError("42804", f"binary data has array element type {eoid} "
                      f"instead of expected {elem_oid}")
    dims, lbs = [], []
    pos = 12
    for _ in range(ndim):
        d, lb = _DIM.unpack_from(data, pos)
        dims.append(d)
        lbs.append(lb)
        pos += 8
    count = 1
    for d in dims:
        count *= d
    items = []
    for _ in range(count):
        (ln,) = _LEN.unpack_from(data, pos)
        pos += 4
        if ln == -1:
            items.append(None)
        else:
            items.append(elem_recv(data[pos:pos + ln], typmod, ctx))
            pos += ln
    if pos != len(data):
        raise PgError("22P03", "incorrect binary data format in array element")
    return Array(items, lbs[0], dims, lbs) if count else Array(())


# ---------------------------------------------------------------------------
# functions (polymorphic; strictness handled by the caller unless noted)

def array_length(arr: Array, dim: int) -> int | None:
    return arr.dims[dim - 1] if 1 <= dim <= arr.ndim else None


def array_lower(arr: Array, dim: int) -> int | None:
    return arr.lbounds[dim - 1] if 1 <= dim <= arr.ndim else None


def array_upper(arr: Array, dim: int) -> int | None:
    if 1 <= dim <= arr.ndim:
        return arr.lbounds[dim - 1] + arr.dims[dim - 1] - 1
    return None


def array_ndims(arr: Array) -> int | None:
    return arr.ndim or None


def array_dims(arr: Array) -> str | None:
    if not arr.items:
        return None
    return "".join(f"[{lb}:{lb + d - 1}]" for lb, d in zip(arr.lbounds, arr.dims))


def cardinality(arr: Array) -> int:
    return len(arr.items)


def _one_dim(arr: Array | None) -> None:
    if arr is not None and arr.ndim > 1:
        raise PgError("22000", "argument must be empty or one-dimensional array")


def array_append(arr: Array | None, v: Any) -> Array:
    _one_dim(arr)
    if arr is None:
        return Array((v,))
    return Array(arr.items + (v,), arr.lower if arr.items else 1)


def array_prepend(v: Any, arr: Array | None) -> Array:
    _one_dim(arr)
    if arr is None:
        return Array((v,))
    return Array((v,) + arr.items, arr.lower if arr.items else 1)


def _incompatible() -> PgError:
    return PgError("2202E", "cannot concatenate incompatible arrays",
                   detail="Arrays with differing dimensions are not compatible for "
                          "concatenation.")


def array_cat(a: Array | None, b: Array | None) -> Array | None:
    if a is None:
        return b
    if b is None:
        return a
    if not a.items:
        return b
    if not b.items:
        return a
    if a.ndim == b.ndim:
        if a.dims[1:] != b.dims[1:]:
            raise _incompatible()
        return Array(a.items + b.items, a.lower, (a.dims[0] + b.dims[0],) + a.dims[1:],
                     a.lbounds)
    if a.ndim == b.ndim + 1:          # append one sub-array
        if a.dims[1:] != b.dims:
            raise _incompatible()
        return Array(a.items + b.items, a.lower, (a.dims[0] + 1,) + a.dims[1:], a.lbounds)
    if b.ndim == a.ndim + 1:          # prepend one sub-array
        if b.dims[1:] != a.dims:
            raise _incompatible()
        return Array(a.items + b.items, b.lower, (b.dims[0] + 1,) + b.dims[1:], b.lbounds)
    raise PgError("2202E", "cannot concatenate incompatible arrays",
                  detail=f"Arrays of {a.ndim} and {b.ndim} dimensions are not compatible for "
                         "concatenation.")


def _search_1d(arr: Array) -> None:
    if arr.ndim > 1:
        raise PgError("0A000", "searching for elements in multidimensional arrays is not "
                      "supported")


def array_position(arr: Array | None, v: Any, start: int | None = None) -> int | None:
    if arr is None:
        return None
    _search_1d(arr)
    begin = 0 if start is None else max(start - arr.lower, 0)
    for i in range(begin, len(arr.items)):
        x = arr.items[i]
        if (x is None and v is None) or (x is not None and v is not None and
                                         elem_cmp(x, v) == 0):
            return i + arr.lower
    return None


def array_positions(arr: Array | None, v: Any) -> Array | None:
    if arr is None:
        return None
    _search_1d(arr)
    return Array([i + arr.lower for i, x in enumerate(arr.items)
                  if (x is None and v is None) or (x is not None and v is not None
                                                   and elem_cmp(x, v) == 0)])


def array_remove(arr: Array | None, v: Any) -> Array | None:
    if arr is None:
        return None
    if arr.ndim > 1:
        raise PgError("0A000", "removing elements from multidimensional arrays is not "
                      "supported")
    return Array([x for x in arr.items if not ((x is None and v is None) or (
        x is not None and v is not None and elem_cmp(x, v) == 0))], arr.lower)


def array_replace(arr: Array | None, old: Any, new: Any) -> Array | None:
    if arr is None:
        return None
    return arr.with_items([new if ((x is None and old is None) or (
        x is not None and old is not None and elem_cmp(x, old) == 0)) else x
        for x in arr.items])


def _rows(arr: Array) -> list[tuple[Any, ...]]:
    """The sub-arrays along the first dimension (elements for a 1-D array)."""
    if not arr.items:
        return []
    step = len(arr.items) // arr.dims[0]
    return [arr.items[i * step:(i + 1) * step] for i in range(arr.dims[0])]


def _from_rows(arr: Array, rows: list[tuple[Any, ...]]) -> Array:
    items = [x for r in rows for x in r]
    if not rows:
        return Array(())
    return Array(items, arr.lower, (len(rows),) + arr.dims[1:], arr.lbounds)


def unnest(arr: Array) -> Iterator[Any]:
    return iter(arr.items)


def array_to_text(arr: Array, sep: str, null: str | None = None) -> str:
    """array_to_string: elements arrive already converted to text by the caller
    (an Array of str), see README."""
    return sep.join(null if v is None else v for v in arr.items
                    if v is not None or null is not None)


def text_to_array(s: str | None, sep: str | None, null: str | None = None) -> Array | None:
    if s is None:
        return None
    if s == "":
        return Array(())
    if sep is None:
        parts = list(s)
    elif sep == "":
        parts = [s]
    else:
        parts = s.split(sep)
    return Array([None if null is not None and p == null else p for p in parts])


def arrayoverlap(a: Array, b: Array) -> bool:
    return any(x is not None and any(y is not None and elem_cmp(x, y) == 0 for y in b.items)
               for x in a.items)


def arraycontains(a: Array, b: Array) -> bool:
    return all(y is not None and any(x is not None and elem_cmp(x, y) == 0 for x in a.items)
               for y in b.items)


def arraycontained(a: Array, b: Array) -> bool:
    return arraycontains(b, a)


def array_fill(v: Any, dims: Array | None, lbounds: Array | None = None) -> Array:
    if dims is None:
        raise PgError("22004", "dimension array or low bound array cannot be null")
    if not dims.items:
        return Array(())
    if any(d is None for d in dims.items):
        raise PgError("22004", "dimension values cannot be null")
    lbs = [1] * len(dims.items)
    if lbounds is not None:
        if len(lbounds.items) != len(dims.items):
            raise PgError("2202E", "wrong number of array subscripts",
                          detail="Low bound array has different size than dimensions array.")
        lbs = [1 if x is None else x for x in lbounds.items]
    count = 1
    for d in dims.items:
        if d < 0:
            raise PgError("2202E", "array size exceeds the maximum allowed (134217727)")
        count *= d
    if count == 0:
        return Array(())
    return Array([v] * count, lbs[0], dims.items, lbs)


def trim_array(arr: Array, n: int) -> Array:
    rows = _rows(arr)
    if not 0 <= n <= len(rows):
        raise PgError("2202E", f"number of elements to trim must be between 0 and "
                      f"{len(rows)}")
    return _from_rows(arr, rows[:len(rows) - n])


def array_reverse(arr: Array) -> Array:
    return _from_rows(arr, _rows(arr)[::-1])


def array_sort(arr: Array, descending: bool = False, nulls_first: bool | None = None
               ) -> Array:
    import functools
    if nulls_first is None:
        nulls_first = descending
    if arr.ndim > 1:
        rows = sorted(_rows(arr), key=functools.cmp_to_key(
            lambda x, y: array_cmp(Array(x), Array(y))), reverse=descending)
        return _from_rows(arr, rows)
    vals = [x for x in arr.items if x is not None]
    nulls = [None] * (len(arr.items) - len(vals))
    vals.sort(key=functools.cmp_to_key(elem_cmp), reverse=descending)
    items = nulls + vals if nulls_first else vals + nulls
    return Array(items, arr.lower)


def array_shuffle(ctx: Any, arr: Array) -> Array:
    items = list(arr.items)
    _rng(ctx).shuffle(items)
    return Array(items, arr.lower)


def array_sample(ctx: Any, arr: Array, n: int) -> Array:
    if not 0 <= n <= len(arr.items):
        raise PgError("22023", f"sample size must be between 0 and {len(arr.items)}")
    return Array(_rng(ctx).sample(list(arr.items), n), arr.lower if n else 1)


def _rng(ctx: Any) -> Any:
    import random
    r = getattr(ctx, "rng", None)
    return r if r is not None else random


def width_bucket_array(v: Any, thresholds: Array) -> int:
    if any(x is None for x in thresholds.items):
        raise PgError("22004", "thresholds array must not contain NULLs")
    lo, hi = 0, len(thresholds.items)
    while lo < hi:
        mid = (lo + hi) // 2
        if elem_cmp(thresholds.items[mid], v) <= 0:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _cmp_impls() -> dict[str, Callable[..., Any]]:
    return {
        "array_eq": lambda a, b: array_cmp(a, b) == 0,
        "array_ne": lambda a, b: array_cmp(a, b) != 0,
        "array_lt": lambda a, b: array_cmp(a, b) < 0,
        "array_le": lambda a, b: array_cmp(a, b) <= 0,
        "array_gt": lambda a, b: array_cmp(a, b) > 0,
        "array_ge": lambda a, b: array_cmp(a, b) >= 0,
        "btarraycmp": array_cmp,
    }


IMPLS: dict[str, Callable[..., Any]] = {
    **_cmp_impls(),
    "array_length": array_length, "array_lower": array_lower, "array_upper": array_upper,
    "array_ndims": array_ndims, "array_dims": array_dims, "array_cardinality": cardinality,
    "array_append": array_append, "array_prepend": array_prepend, "array_cat": array_cat,
    "array_position": array_position, "array_position_start": array_position,
    "array_positions": array_positions, "array_remove": array_remove,
    "array_replace": array_replace, "array_unnest": unnest,
    "array_to_text": array_to_text, "array_to_text_null": array_to_text,
    "text_to_array": text_to_array, "text_to_array_null": text_to_array,
    "arrayoverlap": arrayoverlap, "arraycontains": arraycontains,
    "arraycontained": arraycontained, "array_larger": lambda a, b: a if array_cmp(a, b) >= 0
    else b, "array_smaller": lambda a, b: a if array_cmp(a, b) <= 0 else b,
    "array_fill": array_fill, "array_fill_with_lower_bounds": array_fill,
    "trim_array": trim_array, "array_reverse": array_reverse, "array_sort": array_sort,
    "array_sort_order": array_sort, "array_sort_order_nulls_first": array_sort,
    "width_bucket_array": width_bucket_array,
}

CTX_IMPLS: dict[str, Callable[..., Any]] = {
    "array_shuffle": array_shuffle, "array_sample": array_sample,
}
