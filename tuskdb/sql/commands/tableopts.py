"""Storage parameters and the catalog-only ALTER TABLE / ALTER INDEX forms
(PostgreSQL's reloptions.c and the matching ATExec* functions).

    WITH (...) / SET (...) / RESET (...)   pg_class.reloptions, validated against
                                           PostgreSQL's option tables (kind, bounds)
    CLUSTER ON / SET WITHOUT CLUSTER       pg_index.indisclustered
    REPLICA IDENTITY                       pg_class.relreplident, pg_index.indisreplident
    [NO] FORCE / ENABLE / DISABLE ROW LEVEL SECURITY
                                           relrowsecurity, relforcerowsecurity
    SET LOGGED / UNLOGGED                  relpersistence
    SET WITHOUT OIDS, SET TABLESPACE pg_default, SET ACCESS METHOD heap: no-ops

Values are kept as the text that was written (``fillfactor=20.6``), like
PostgreSQL.  Options under ``toast.`` are validated and kept in the reloptions of
the table's TOAST relation (commands/toasting.py); a table without one ignores them,
as PostgreSQL does.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, replace
from tuskdb.errors import (FEATURE_NOT_SUPPORTED, INVALID_PARAMETER_VALUE, SYNTAX_ERROR,
                           UNDEFINED_COLUMN, UNDEFINED_OBJECT, WRONG_OBJECT_TYPE, PgError)
from tuskdb.types import Array

INT_MAX = 2147483647

# name -> (kind, min, max); kind: int real bool enum
_AUTOVACUUM = {
    "autovacuum_enabled": ("bool", None, None),
    "autovacuum_vacuum_threshold": ("int", 0, INT_MAX),
    "autovacuum_vacuum_max_threshold": ("int", -1, INT_MAX),
    "autovacuum_vacuum_insert_threshold": ("int", -1, INT_MAX),
    "autovacuum_analyze_threshold": ("int", 0, INT_MAX),
    "autovacuum_vacuum_cost_limit": ("int", 1, 10000),
    "autovacuum_freeze_min_age": ("int", 0, 1000000000),
    "autovacuum_freeze_max_age": ("int", 100000, 2000000000),
    "autovacuum_freeze_table_age": ("int", 0, 2000000000),
    "autovacuum_multixact_freeze_min_age": ("int", 0, 1000000000),
    "autovacuum_multixact_freeze_max_age": ("int", 10000, 2000000000),
    "autovacuum_multixact_freeze_table_age": ("int", 0, 2000000000),
    "log_autovacuum_min_duration": ("int", -1, INT_MAX),
    "autovacuum_vacuum_cost_delay": ("real", 0.0, 100.0),
    "autovacuum_vacuum_scale_factor": ("real", 0.0, 100.0),
    "autovacuum_vacuum_insert_scale_factor": ("real", 0.0, 100.0),
    "autovacuum_analyze_scale_factor": ("real", 0.0, 100.0),
    "vacuum_index_cleanup": ("enum", None, None),
    "vacuum_truncate": ("bool", None, None),
}
TOAST_OPTIONS = {k: v for k, v in _AUTOVACUUM.items()
                 if not k.startswith("autovacuum_analyze")}
HEAP_OPTIONS = {**_AUTOVACUUM,
                "fillfactor": ("int", 10, 100),
                "toast_tuple_target": ("int", 128, 8160),
                "parallel_workers": ("int", 0, 1024),
                "user_catalog_table": ("bool", None, None)}
BTREE_OPTIONS = {"fillfactor": ("int", 10, 100), "deduplicate_items": ("bool", None, None)}
# ALTER COLUMN ... SET (...): pg_attribute.attoptions
ATTRIBUTE_OPTIONS = {"n_distinct": ("real", -1.0, 1.7976931348623157e308),
                     "n_distinct_inherited": ("real", -1.0, 1.7976931348623157e308)}
_ENUM_VALUES = {"vacuum_index_cleanup": ("auto", "on", "off", "true", "false", "yes", "no",
                                         "1", "0")}
_BOOL_WORDS = {"true": True, "yes": True, "on": True, "1": True,
               "false": False, "no": False, "off": False, "0": False}


def _parse_bool(text: str) -> bool | None:
    t = text.strip().lower()
    if t in _BOOL_WORDS:
        return _BOOL_WORDS[t]
    if len(t) >= 1:
        hits = {v for w, v in _BOOL_WORDS.items() if w.startswith(t) and not w.isdigit()}
        if t not in ("o",) and len(hits) == 1:
            return hits.pop()
    return None


def _parse_int(text: str) -> int | None:
    t = text.strip()
    try:
        return int(t, 0) if t[:2].lower() in ("0x", "0o", "0b") else int(t)
    except ValueError:
        try:
            f = float(t)
        except ValueError:
            return None
        if f != f or f in (float("inf"), float("-inf")):
            return None
        return int(round(f))


def _parse_real(text: str) -> float | None:
    try:
        return float(text.strip())
    except ValueError:
        return None


def defelem_value(d: dict) -> str | None:
    """The text of a DefElem's argument (None when only the name was written)."""
    arg = d.get("arg")
    if arg is None:
        return None
    kind, body = next(iter(arg.items()))
    if kind == "Integer":
        return str(body.get("ival", 0))
    if kind == "Float":
        return body["fval"]
    if kind == "Boolean":
        return "true" if body.get("boolval") else "false"
    if kind == "String":
        return body["sval"]
    if kind == "TypeName":
        return body["names"][-1]["String"]["sval"]
    return str(body)


def check_option(name: str, text: str, table: dict[str, tuple]) -> None:
    """Validate one option value as PostgreSQL's parse_one_reloption does."""
    kind, lo, hi = table[name]
    if kind == "bool":
        if _parse_bool(text) is None:
            raise PgError(INVALID_PARAMETER_VALUE, f'invalid value for boolean option "{name}": '
                          f"{text}")
    elif kind == "int":
        v = _parse_int(text)
        if v is None:
            raise PgError(INVALID_PARAMETER_VALUE, f'invalid value for integer option "{name}": '
                          f"{text}")
        if v < lo or v > hi:
            raise PgError(INVALID_PARAMETER_VALUE, f'value {text} out of bounds for option '
                          f'"{name}"', detail=f'Valid values are between "{lo}" and "{hi}".')
    elif kind == "real":
        v = _parse_real(text)
        if v is None:
            raise PgError(INVALID_PARAMETER_VALUE, f'invalid value for floating point option '
                          f'"{name}": {text}')
        if v < lo or v > hi:
            raise PgError(INVALID_PARAMETER_VALUE, f'value {text} out of bounds for option '
                          f'"{name}"', detail=f'Valid values are between "{lo:f}" and '
                                              f'"{hi:f}".')
    elif kind == "enum":
        if text.lower() not in _ENUM_VALUES[name]:
            raise PgError(INVALID_PARAMETER_VALUE, f'invalid value for enum option "{name}": '
                          f"{text}", detail='Valid values are "on", "off", and "auto".')


def transform_reloptions(old: list[str] | None, defs: list[dict], kind: str,
                         reset: bool = False, namespace: str | None = None
                         ) -> list[str] | None:
    """PostgreSQL's transformRelOptions + validation: the new reloptions array of a
    relation of ``kind`` ('heap' | 'btree') from its old one and SET/RESET items.
    Every item is validated; those of ``namespace`` make the result (None: the
    relation's own, "toast": its TOAST relation's)."""
    table = {"heap": HEAP_OPTIONS, "attribute": ATTRIBUTE_OPTIONS}.get(kind, BTREE_OPTIONS)
    names = set()
    items: list[tuple[str | None, str, str | None]] = []
    for node in defs:
        d = node["DefElem"]
        nsp = d.get("defnamespace")
        name = d["defname"]
        value = defelem_value(d)
        if reset and value is not None:
            raise PgError(SYNTAX_ERROR, "RESET must not include values for parameters")
        if nsp is not None and not (nsp == "toast" and kind == "heap"):
            raise PgError(INVALID_PARAMETER_VALUE, f'unrecognized parameter namespace "{nsp}"')
        items.append((nsp, name, value))
    out = []
    removed = {name for nsp, name, _ in items if nsp == namespace}
    for opt in old or []:
        if opt.partition("=")[0] not in removed:
            out.append(opt)
    if reset:
        return out or None
    for nsp, name, value in items:
        opts = TOAST_OPTIONS if nsp == "toast" else table
        if name not in opts:
            raise PgError(INVALID_PARAMETER_VALUE, f'unrecognized parameter "{name}"')
        key = (nsp, name)
        if key in names:
            raise PgError(INVALID_PARAMETER_VALUE, f'parameter "{name}" specified more than once')
        names.add(key)
        text = "true" if value is None else value
        check_option(name, text, opts)
        if nsp == namespace:
            out.append(f"{name}={text}")
    # a later SET of an option replaces the earlier value in place of the old one
    return out or None


def _update_class(cat: Any, oid: int, **changes: Any) -> None:
    for tid, row in cat.find("pg_class", oid=oid):
        cat.update("pg_class", tid, replace("pg_class", row, **changes))


def _reloptions(cat: Any, oid: int) -> list[str] | None:
    p = COLUMN_POS["pg_class"]
    for _, row in cat.find("pg_class", oid=oid):
        v = row[p["reloptions"]]
        return list(v.items) if v is not None else None
    return None


def set_reloptions(cat: Any, rel: Any, defs: list[dict], reset: bool) -> None:
    kind = "btree" if rel.relkind == "i" else "heap"
    new = transform_reloptions(_reloptions(cat, rel.oid), defs, kind, reset)
    _update_class(cat, rel.oid, reloptions=Array(new) if new else None)
    _set_toast_reloptions(cat, rel.oid, defs, kind, reset)


def create_reloptions(cat: Any, oid: int, defs: list[dict], kind: str = "heap") -> None:
    """WITH (...) of CREATE TABLE / CREATE INDEX."""
    new = transform_reloptions(None, defs, kind)
    if new:
        _update_class(cat, oid, reloptions=Array(new))


def _set_toast_reloptions(cat: Any, oid: int, defs: list[dict], kind: str,
                          reset: bool = False) -> None:
    """The toast.* items go to the TOAST relation (ignored for a table without one)."""
    from tuskdb.sql.commands.toasting import toast_relid
    toast = toast_relid(cat, oid) if kind == "heap" else 0
    if not toast or not any(d["DefElem"].get("defnamespace") == "toast" for d in defs):
        return
    new = transform_reloptions(_reloptions(cat, toast), defs, kind, reset, namespace="toast")
    _update_class(cat, toast, reloptions=Array(new) if new else None)


def create_toast_reloptions(cat: Any, oid: int, defs: list[dict]) -> None:
    """WITH (toast.x = ...) of CREATE TABLE, once the TOAST relation exists."""
    _set_toast_reloptions(cat, oid, defs, "heap")


# -- ALTER TABLE subcommands (s, cat, rel, cmd, state) ----------------------------------------


def at_set_rel_options(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    set_reloptions(cat, rel, cmd["def"]["List"]["items"], False)


def at_reset_rel_options(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    set_reloptions(cat, rel, cmd["def"]["List"]["items"], True)


def _set_attribute_options(cat: Any, rel: Any, cmd: dict, reset: bool) -> None:
    """ALTER COLUMN ... SET / RESET (n_distinct = ...): pg_attribute.attoptions."""
    name = cmd["name"]
    p = COLUMN_POS["pg_attribute"]
    col = rel.column(name)
    if col is None or col.dropped:
        if name in ("ctid", "xmin", "cmin", "xmax", "cmax", "tableoid"):
            raise PgError(FEATURE_NOT_SUPPORTED, f'cannot alter system column "{name}"')
        raise PgError(UNDEFINED_COLUMN, f'column "{name}" of relation "{rel.name}" does not '
                      f"exist")
    for tid, row in cat.find("pg_attribute", attrelid=rel.oid, attnum=col.attnum):
        old = row[p["attoptions"]]
        new = transform_reloptions(list(old.items) if old is not None else None,
                                   cmd["def"]["List"]["items"], "attribute", reset)
        cat.update("pg_attribute", tid, replace("pg_attribute", row,
                                                attoptions=Array(new) if new else None))


def at_set_attribute_options(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    _set_attribute_options(cat, rel, cmd, False)


def at_reset_attribute_options(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    _set_attribute_options(cat, rel, cmd, True)


def _index_of(cat: Any, rel: Any, name: str) -> Any:
    for ix in rel.indexes:
        if ix.name == name:
            return ix
    raise PgError(UNDEFINED_OBJECT, f'index "{name}" for table "{rel.name}" does not exist')


def _set_index_flag(cat: Any, rel: Any, column: str, chosen: int | None) -> None:
    p = COLUMN_POS["pg_index"]
    for tid, row in cat.find("pg_index", indrelid=rel.oid):
        want = row[p["indexrelid"]] == chosen
        if row[p[column]] != want:
            cat.update("pg_index", tid, replace("pg_index", row, **{column: want}))


def at_cluster_on(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    ix = _index_of(cat, rel, cmd["name"])
    _set_index_flag(cat, rel, "indisclustered", ix.oid)


def at_drop_cluster(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    _set_index_flag(cat, rel, "indisclustered", None)


def at_replica_identity(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    stmt = cmd["def"]["ReplicaIdentityStmt"]
    kind = stmt["identity_type"]
    chosen = None
    if kind == "i":
        name = stmt["name"]
        ix = next((x for x in rel.indexes if x.name == name), None)
        if ix is None:
            other = cat.relation_oid(rel.namespace, name)
            if other is not None and cat.relation_by_oid(other).relkind == "i":
                raise PgError(WRONG_OBJECT_TYPE, f'"{name}" is not an index for table '
                              f'"{rel.name}"')
            raise PgError(UNDEFINED_OBJECT, f'index "{name}" for table "{rel.name}" does not '
                          f"exist")
        if not ix.unique:
            raise PgError(WRONG_OBJECT_TYPE, f'cannot use non-unique index "{name}" as replica '
                          f"identity")
        p = COLUMN_POS["pg_index"]
        for _, row in cat.find("pg_index", indexrelid=ix.oid):
            if not row[p["indimmediate"]]:
                raise PgError(WRONG_OBJECT_TYPE, f'cannot use non-immediate index "{name}" as '
                              f"replica identity")
            if row[p["indpred"]] is not None:
                raise PgError(WRONG_OBJECT_TYPE, f'cannot use partial index "{name}" as replica '
                              f"identity")
            if row[p["indexprs"]] is not None:
                raise PgError(FEATURE_NOT_SUPPORTED, f'cannot use expression index "{name}" as '
                              f"replica identity")
        if not ix.valid and rel.relkind != "p":
            # a partitioned table's index is invalid until its partitions' indexes are
            # attached (ALTER TABLE ONLY ... ADD PRIMARY KEY, as pg_dump writes it)
            raise PgError(WRONG_OBJECT_TYPE, f'cannot use invalid index "{name}" as replica '
                          f"identity")
        for a in ix.attnums:
            col = rel.columns[a - 1]
            if not col.notnull:
                raise PgError(WRONG_OBJECT_TYPE, f'index "{name}" cannot be used as replica '
                              f'identity because column "{col.name}" is nullable')
        chosen = ix.oid
    _update_class(cat, rel.oid, relreplident=kind)
    _set_index_flag(cat, rel, "indisreplident", chosen)


def replica_identity_index(cat: Any, rel: Any) -> Any:
    """The index of REPLICA IDENTITY USING INDEX, if that is the table's setting."""
    p = COLUMN_POS["pg_class"]
    for _, row in cat.find("pg_class", oid=rel.oid):
        if row[p["relreplident"]] != "i":
            return None
    k = COLUMN_POS["pg_index"]
    for _, row in cat.find("pg_index", indrelid=rel.oid):
        if row[k["indisreplident"]]:
            return next((ix for ix in rel.indexes if ix.oid == row[k["indexrelid"]]), None)
    return None


def _row_security(field: str, on: bool) -> Any:
    def run(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
        _update_class(cat, rel.oid, **{field: on})
    return run


at_enable_row_security = _row_security("relrowsecurity", True)
at_disable_row_security = _row_security("relrowsecurity", False)
at_force_row_security = _row_security("relforcerowsecurity", True)
at_no_force_row_security = _row_security("relforcerowsecurity", False)


def _set_persistence(persistence: str) -> Any:
    def run(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
        if rel.persistence == "t":
            raise PgError("42P16", f'cannot change logged status of table "{rel.name}" '
                          f"because it is temporary")
        if rel.persistence == persistence:
            return
        _update_class(cat, rel.oid, relpersistence=persistence)
        for ix in rel.indexes:
            _update_class(cat, ix.oid, relpersistence=persistence)
        if rel.toastrelid:
            from tuskdb.sql.commands.toasting import set_toast_persistence
            set_toast_persistence(cat, rel.toastrelid, persistence)
        # the sequences the table's columns own (serial, identity) follow it
        from tuskdb.catalog.rows import COLUMN_POS
        d = COLUMN_POS["pg_depend"]
        for deptype in ("a", "i"):
            for _, dep in cat.find("pg_depend", refobjid=rel.oid, deptype=deptype):
                seq = cat.relation_by_oid(dep[d["objid"]]) if dep[d["classid"]] == 1259 \
                    and dep[d["refobjsubid"]] > 0 else None
                if seq is not None and seq.relkind == "S":
                    _update_class(cat, seq.oid, relpersistence=persistence)
    return run


at_set_logged = _set_persistence("p")
at_set_un_logged = _set_persistence("u")


def at_drop_oids(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    """SET WITHOUT OIDS: tables never have OIDs any more; nothing to do."""


def at_set_table_space(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    name = cmd["name"]
    if name == "pg_default":
        return
    if name == "pg_global":
        raise PgError(INVALID_PARAMETER_VALUE, "only shared relations can be placed in "
                      "pg_global tablespace")
    raise PgError(UNDEFINED_OBJECT, f'tablespace "{name}" does not exist')


def at_set_access_method(s: Any, cat: Any, rel: Any, cmd: dict, state: Any) -> None:
    name = cmd.get("name")
    if name in (None, "heap"):
        return
    p = COLUMN_POS["pg_am"]
    for _, row in cat.find("pg_am", amname=name):
        if row[p["amtype"]] != "t":
            raise PgError(WRONG_OBJECT_TYPE, f'access method "{name}" is not of type TABLE')
        raise PgError(FEATURE_NOT_SUPPORTED, f'table access method "{name}" is not supported')
    raise PgError(UNDEFINED_OBJECT, f'access method "{name}" does not exist')
