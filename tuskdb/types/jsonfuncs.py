"""More json/jsonb functions (jsonfuncs.c): path extraction and element/key
iteration on json text, json_strip_nulls, json(b)_object, array_to_json,
jsonb_set_lax."""

from __future__ import annotations

from typing import Any, Callable, Iterator

from tuskdb.errors import PgError
from tuskdb.types.arrays import Array
from tuskdb.types.json import (
    Jsonb, _as_text, _Lex, _skip_member, escape_json, jb_delete_path, jb_set, parse,
    value_to_tree,
)


def _first(s: str) -> str:
    t = s.lstrip(" \t\n\r")
    return t[:1]


def _members(s: str) -> list[tuple[str | None, str]]:
    """Top-level (key, raw value) of an object, or (None, raw element) of an array."""
    parse(s, keep_nul=True, validate_only=True)
    lex = _Lex(s, True, True)
    k, v = lex.next()
    out: list[tuple[str | None, str]] = []
    if k == "{":
        k, v = lex.next()
        while k == "str":
            lex.next()
            a, b = _skip_member(lex)
            out.append((v, s[a:b]))
            k, v = lex.next()
            if k == ",":
                k, v = lex.next()
    elif k == "[":
        save = lex.pos
        k2, _ = lex.next()
        if k2 != "]":
            lex.pos = save
            while True:
                a, b = _skip_member(lex)
                out.append((None, s[a:b]))
                k2, _ = lex.next()
                if k2 != ",":
                    break
    return out


def json_extract_path(s: str, path: Array) -> str | None:
    """get_path_all on json text: every match in document order overrides the
    result (so the last duplicate key wins), and a negative array subscript is
    turned positive by the first array it meets, as PostgreSQL's streaming
    parser does."""
    parse(s, keep_nul=True, validate_only=True)
    if any(k is None for k in path.items):
        return None
    keys: list[Any] = list(path.items)
    if not keys:
        return s
    idx: list[int | None] = []
    for k in keys:
        try:
            idx.append(int(k.strip()))
        except ValueError:
            idx.append(None)            # INT_MIN: never matches an array element
    result: list[str | None] = [None]

    def walk(raw: str, level: int) -> None:
        c = _first(raw)
        last = level == len(keys) - 1
        if c == "{":
            for k, v in _members(raw):
                if k == keys[level]:
                    if last:
                        result[0] = v
                    else:
                        walk(v, level + 1)
        elif c == "[":
            elems = _members(raw)
            i = idx[level]
            if i is not None and i < 0 and -i <= len(elems):
                i += len(elems)
                idx[level] = i
            if i is not None and 0 <= i < len(elems):
                if last:
                    result[0] = elems[i][1]
                else:
                    walk(elems[i][1], level + 1)
    walk(s, 0)
    return result[0]


def json_extract_path_text(s: str, path: Array) -> str | None:
    r = json_extract_path(s, path)
    if r is None:
        return None
    t = parse(r, keep_nul=True)
    if isinstance(t, (dict, list)):
        return r
    return _as_text(t)


def _kind_error(s: str, what: str) -> PgError:
    c = _first(s)
    kind = "an object" if c == "{" else "an array" if c == "[" else "a scalar"
    return PgError("22023", f"cannot {what} {kind}")


def json_array_elements(s: str, fname: str = "json_array_elements") -> Iterator[str]:
    parse(s, keep_nul=True, validate_only=True)
    c = _first(s)
    if c != "[":
        raise PgError("22023", f"cannot call {fname} on " +
                      ("a non-array" if c == "{" else "a scalar"))
    return iter([raw for _, raw in _members(s)])


def json_array_elements_text(s: str) -> Iterator[str | None]:
    out: list[str | None] = []
    for raw in json_array_elements(s, "json_array_elements_text"):
        t = parse(raw, keep_nul=True)
        out.append(raw if isinstance(t, (dict, list)) else _as_text(t))
    return iter(out)


def json_object_keys(s: str) -> Iterator[str]:
    parse(s, keep_nul=True, validate_only=True)
    if _first(s) != "{":
        raise _kind_error(s, "call json_object_keys on")
    return iter([k for k, _ in _members(s) if k is not None])


def json_strip_nulls(s: str, strip_in_arrays: bool = False) -> str:
    """Re-emit the document without whitespace, dropping null object fields (and
    null array elements when asked)."""
    parse(s, keep_nul=True, validate_only=True)

    def emit(raw: str) -> str:
        c = _first(raw)
        if c == "{":
            parts = [escape_json(k) + ":" + emit(v) for k, v in _members(raw)
                     if k is not None and _first(v) != "n"]
            return "{" + ",".join(parts) + "}"
        if c == "[":
            parts = [emit(v) for _, v in _members(raw)
                     if not (strip_in_arrays and _first(v) == "n")]
            return "[" + ",".join(parts) + "]"
        return raw.strip(" \t\n\r")
    return emit(s)


def _object_pairs(keys: Array, values: Array | None) -> list[tuple[str, str | None]]:
    if values is None:
        if keys.ndim == 1 or not keys.items:
            if len(keys.items) % 2:
                raise PgError("2202E", "array must have even number of elements")
            items = list(keys.items)
        elif keys.ndim == 2:
            if keys.dims[1] != 2:
                raise PgError("2202E", "array must have two columns")
            items = list(keys.items)
        else:
            raise PgError("2202E", "wrong number of array subscripts")
        pairs = [(items[i], items[i + 1]) for i in range(0, len(items), 2)]
    else:
        if keys.ndim > 1 or values.ndim > 1:
            raise PgError("2202E", "wrong number of array subscripts")
        if len(keys.items) != len(values.items):
            raise PgError("2202E", "mismatched array dimensions")
        pairs = list(zip(keys.items, values.items))
    for k, _ in pairs:
        if k is None:
            raise PgError("22004", "null value not allowed for object key")
    return pairs  # type: ignore[return-value]


def json_object(keys: Array, values: Array | None = None) -> str:
    pairs = _object_pairs(keys, values)
    body = ", ".join(escape_json(k) + " : " + ("null" if v is None else escape_json(v))
                     for k, v in pairs)
    return "{" + body + "}"


def jsonb_object(keys: Array, values: Array | None = None) -> Jsonb:
    from tuskdb.types.json import to_jsonb_tree
    pairs = _object_pairs(keys, values)
    return Jsonb(to_jsonb_tree({k: v for k, v in pairs}))


def _compact(v: Any) -> str:
    """to_json of an array element (typed by its Python value)."""
    from tuskdb.types.json import jsonb_text
    t = value_to_tree(v)
    if isinstance(t, list):
        return "[" + ",".join(_compact(x) for x in v.items) + "]"
    return jsonb_text(t)


def array_to_json(arr: Array, pretty: bool = False) -> str:
    items = list(arr.items)
    dims = list(arr.dims) or [0]

    def build(level: int, pos: int) -> tuple[str, int]:
        n = dims[level]
        parts = []
        for _ in range(n):
            if level + 1 < len(dims):
                sub, pos = build(level + 1, pos)
                parts.append(sub)
            else:
                parts.append("null" if items[pos] is None else _compact(items[pos]))
                pos += 1
        sep = ",\n " if pretty and level == 0 else ","
        return "[" + sep.join(parts) + "]", pos
    if not items:
        return "[]"
    return build(0, 0)[0]


def jsonb_set_lax(target: Jsonb | None, path: Array | None, new: Jsonb | None,
                  create: bool | None = True, treatment: str | None = "use_json_null"
                  ) -> Jsonb | None:
    if treatment is None:
        raise PgError("22023", 'null_value_treatment must be "delete_key", "return_target", '
                      '"use_json_null", or "raise_exception"')
    if target is None or path is None or create is None:
        return None
    if new is not None:
        return jb_set(target, path, new, create)
    t = treatment.lower()
    if t == "raise_exception":
        raise PgError("22004", "JSON value must not be null",
                      detail='Exception was raised because null_value_treatment is '
                             '"raise_exception".',
                      hint="To avoid, either change the null_value_treatment argument or "
                           "ensure that an SQL NULL is not passed.")
    if t == "use_json_null":
        return jb_set(target, path, Jsonb(None), create)
    if t == "delete_key":
        return jb_delete_path(target, path)
    if t == "return_target":
        return target
    raise PgError("22023", 'null_value_treatment must be "delete_key", "return_target", '
                  '"use_json_null", or "raise_exception"')


IMPLS: dict[str, Callable[..., Any]] = {
    "json_extract_path": json_extract_path, "json_extract_path_text": json_extract_path_text,
    "json_extract_path_op": json_extract_path,
    "json_array_elements": json_array_elements,
    "json_array_elements_text": json_array_elements_text,
    "json_object_keys": json_object_keys, "json_strip_nulls": json_strip_nulls,
    "json_object": json_object, "json_object_two_arg": json_object,
    "jsonb_object": jsonb_object, "jsonb_object_two_arg": jsonb_object,
    "array_to_json": array_to_json, "array_to_json_pretty": array_to_json,
    "jsonb_set_lax": jsonb_set_lax,
}


# ---------------------------------------------------------------------------
# jsonb subscripting: j['a'][0] (jsonb_subscript_fetch / jsonb_subscript_assign)

def _strtoint(s: str) -> int | None:
    import re as _re
    if not _re.fullmatch(r"\s*[+-]?\d+", s):
        return None
    v = int(s)
    return v if -2147483648 <= v <= 2147483647 else None


def jsonb_subscript_fetch(j: Any, path: list[str | None]) -> Any:
    """jsonb_get_element: None when a subscript is NULL or the path is not there."""
    from tuskdb.types.json import Jsonb
    if j is None or any(p is None for p in path):
        return None
    t = j.tree
    for p in path:
        if isinstance(t, dict):
            if p not in t:
                return None
            t = t[p]
        elif isinstance(t, list):
            i = _strtoint(p)
            if i is None:
                return None
            if i < 0:
                i += len(t)
            if not 0 <= i < len(t):
                return None
            t = t[i]
        else:
            return None
    return Jsonb(t)


def _scalar_target() -> PgError:
    return PgError("22023", "cannot replace existing key",
                   detail="The path assumes key is a composite object, but it is a scalar "
                   "value.")


def _build_path(path: list[str], i: int, newval: Any) -> Any:
    key = path[i]
    inner = newval if i == len(path) - 1 else _build_path(path, i + 1, newval)
    idx = _strtoint(key)
    if idx is None:
        return {key: inner}
    return [None] * max(idx, 0) + [inner]


def _assign(node: Any, path: list[str], i: int, newval: Any) -> Any:
    key = path[i]
    last = i == len(path) - 1
    if isinstance(node, dict):
        if key in node:
            if last:
                node[key] = newval
            else:
                child = node[key]
                if not isinstance(child, (dict, list)):
                    raise _scalar_target()
                node[key] = _assign(child, path, i + 1, newval)
        else:
            node[key] = newval if last else _build_path(path, i + 1, newval)
        return node
    if isinstance(node, list):
        idx = _strtoint(key)
        if idx is None:
            raise PgError("22P02", f'path element at position {i + 1} is not an integer: '
                          f'"{key}"')
        n = len(node)
        if idx < 0:
            if -idx > n:
                raise PgError("22023", f"path element at position {i + 1} is out of range: "
                              f"{idx}")
            idx += n
        if idx < n:
            if last:
                node[idx] = newval
            else:
                child = node[idx]
                if not isinstance(child, (dict, list)):
                    raise _scalar_target()
                node[idx] = _assign(child, path, i + 1, newval)
        else:
            node.extend([None] * (idx - n))
            node.append(newval if last else _build_path(path, i + 1, newval))
        return node
    raise _scalar_target()


def jsonb_subscript_assign(j: Any, path: list[str | None], first_is_int: bool,
                           newval: Any) -> Any:
    """j[path...] = newval for UPDATE ... SET j[...] = v (a NULL j starts as {} or [])."""
    import copy
    from tuskdb.types.json import Jsonb, to_jsonb_tree
    if any(p is None for p in path):
        raise PgError("22004", "jsonb subscript in assignment must not be null")
    val = None if newval is None else copy.deepcopy(newval.tree)
    if j is None:
        tree: Any = [] if first_is_int else {}
    else:
        tree = copy.deepcopy(j.tree)
    return Jsonb(to_jsonb_tree(_assign(tree, list(path), 0, val)))


class RawObject(dict):
    """A json object parsed with the source text of each value kept (``raw``)."""
    raw = ""


class RawArray(list):
    raw = ""


def raw_json_tree(s: str) -> Any:
    """json text as a tree whose objects/arrays remember their own source text, so that
    json_populate_record can pass a sub-document on verbatim, as PostgreSQL does."""
    t = parse(s, keep_nul=True)
    if isinstance(t, dict):
        out: Any = RawObject()
        for k, v in _members(s):
            out[k] = raw_json_tree(v)
        out.raw = s.strip()
        return out
    if isinstance(t, list):
        out = RawArray(raw_json_tree(v) for _, v in _members(s))
        out.raw = s.strip()
        return out
    return t
