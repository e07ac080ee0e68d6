"""Sequences: CREATE SEQUENCE and nextval/currval/setval (PostgreSQL's sequence.c).

nextval is not transactional: the value is consumed even if the transaction
rolls back, and the access layer WAL-logs ahead so no value is handed out
twice after a crash.
"""

from __future__ import annotations

from typing import Any

from tuskdb.access import SeqOptions, Sequence
from tuskdb.catalog.manager import CatalogView
from tuskdb.catalog.rows import COLUMN_POS, make_row
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (DUPLICATE_TABLE, FEATURE_NOT_SUPPORTED, INVALID_PARAMETER_VALUE,
                           OBJECT_NOT_IN_PREREQUISITE_STATE, UNDEFINED_TABLE, WRONG_OBJECT_TYPE,
                           PgError, notice)
from tuskdb.storage import RelFileLocator

_LIMITS = {21: (-32768, 32767), 23: (-(2**31), 2**31 - 1), 20: (-(2**63), 2**63 - 1)}


def _option_value(d: dict) -> Any:
    arg = d.get("arg")
    if arg is None:
        return None
    if "Integer" in arg:
        return arg["Integer"].get("ival", 0)
    if "Float" in arg:
        return int(arg["Float"]["fval"])
    if "Boolean" in arg:
        return arg["Boolean"].get("boolval", False)
    if "TypeName" in arg:
        return arg["TypeName"]
    if "List" in arg:
        return [x["String"]["sval"] for x in arg["List"]["items"]]
    if "String" in arg:
        return arg["String"]["sval"]
    return None


def sequence_options(options: list, owned_by: bool = False) -> tuple[dict[str, Any], Any]:
    """CREATE/ALTER SEQUENCE options (and identity column options) as a dict.
    ``owned_by``: OWNED BY is accepted (CREATE/ALTER SEQUENCE), as opts["owned_by"]
    (the name list) for process_owned_by."""
    opts: dict[str, Any] = {}
    astype = None
    for o in options:
        d = o["DefElem"]
        key = d["defname"]
        v = _option_value(d)
        if key == "as":
            astype = v
        elif key in ("increment", "start", "cache", "minvalue", "maxvalue", "cycle",
                     "restart"):
            if key in ("minvalue", "maxvalue") and d.get("arg") is None:
                v = None
            opts[key] = v
        elif key == "owned_by":
            if owned_by:
                opts["owned_by"] = v
            elif v != ["none"]:
                raise PgError(FEATURE_NOT_SUPPORTED, "OWNED BY is not supported")
        elif key == "sequence_name":
            raise PgError(FEATURE_NOT_SUPPORTED, "SEQUENCE NAME is not supported")
        else:
            raise PgError(FEATURE_NOT_SUPPORTED, f"sequence option {key} is not supported")
    return opts, astype


def alter_sequence(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    rv = body["sequence"]
    name = (rv.get("schemaname") + "." if rv.get("schemaname") else "") + rv["relname"]
    try:
        rel, seq = _open_sequence(s, name)
    except PgError as err:
        if err.sqlstate == UNDEFINED_TABLE and body.get("missing_ok"):
            s.add_notice(notice(f'relation "{rv["relname"]}" does not exist, skipping'))
            return QueryResult(tag="ALTER SEQUENCE")
        raise
    s.txn.lock_relation(s.dboid, rel.oid, 8)
    cat = s.catalog()
    uid, is_super = s._role_facts(cat)
    if not is_super:
        from tuskdb.catalog import aclchk
        aclchk.check_owner(cat, uid, rel.owner, "sequence", rel.name)
    if any(o["DefElem"]["defname"] == "owned_by" for o in body.get("options") or []):
        d = COLUMN_POS["pg_depend"]
        for _, dep in cat.find("pg_depend", objid=rel.oid, deptype="i"):
            table = cat.relation_by_oid(dep[d["refobjid"]])
            if dep[d["classid"]] == 1259 and table is not None:
                raise PgError(FEATURE_NOT_SUPPORTED, "cannot change ownership of identity "
                              "sequence", detail=f'Sequence "{rel.name}" is linked to table '
                              f'"{table.name}".')
    alter_sequence_rel(s, s.catalog(), rel, body.get("options") or [], owned_by=True)
    return QueryResult(tag="ALTER SEQUENCE")


def alter_sequence_rel(s: Any, cat: CatalogView, rel: Any, options: list,
                       owned_by: bool = False) -> None:
    """Apply ALTER SEQUENCE options to a sequence (also ALTER TABLE ... ALTER COLUMN
    ... SET identity options, where OWNED BY is not taken)."""
    from tuskdb.catalog.rows import replace
    opts, astype = sequence_options(options, owned_by)
    if "owned_by" in opts:
        process_owned_by(s, cat, rel, opts["owned_by"])
    _, seq = lookup_sequence(s, rel.oid)
    found = cat.find("pg_sequence", seqrelid=rel.oid)
    if not found:
        return
    tid, row = found[0]
    q = COLUMN_POS["pg_sequence"]
    old = {k: row[q[k]] for k in ("seqtypid", "seqstart", "seqincrement", "seqmax", "seqmin",
                                  "seqcache", "seqcycle")}
    # init_params for ALTER: AS resets bounds that were the old type's own
    type_oid = old["seqtypid"]
    reset_max = reset_min = False
    if astype is not None:
        from tuskdb.sql.analyze.expr import resolve_type_name
        from tuskdb.sql.analyze.state import AnalyzeState
        new_type = resolve_type_name(astype, AnalyzeState(cat, s, [], None, ""))[0]
        if new_type not in _LIMITS:
            raise PgError(INVALID_PARAMETER_VALUE, "sequence type must be smallint, integer, "
                          "or bigint")
        olo, ohi = _LIMITS.get(type_oid, _LIMITS[20])
        reset_max = old["seqmax"] == ohi
        reset_min = old["seqmin"] == olo
        type_oid = new_type
    lo, hi = _LIMITS[type_oid]
    incr = opts["increment"] if opts.get("increment") is not None else old["seqincrement"]
    if incr == 0:
        raise PgError(INVALID_PARAMETER_VALUE, "INCREMENT must not be zero")
    if opts.get("maxvalue") is not None:
        maxv = opts["maxvalue"]
    elif "maxvalue" in opts or reset_max:       # NO MAXVALUE, or the type's
        maxv = hi if incr > 0 or reset_max else -1
    else:
        maxv = old["seqmax"]
    if opts.get("minvalue") is not None:
        minv = opts["minvalue"]
    elif "minvalue" in opts or reset_min:
        minv = lo if incr < 0 or reset_min else 1
    else:
        minv = old["seqmin"]
    start = opts["start"] if opts.get("start") is not None else old["seqstart"]
    restart = None
    if "restart" in opts:
        restart = opts["restart"]
        if restart is None or restart is True:
            restart = start
        last = restart
    else:
        last = seq.read()[0]
    cache = opts["cache"] if opts.get("cache") is not None else old["seqcache"]
    _check_params(type_oid, minv, maxv, start, last, cache)
    changes = {"seqtypid": type_oid, "seqstart": start, "seqincrement": incr, "seqmax": maxv,
               "seqmin": minv, "seqcache": cache,
               "seqcycle": bool(opts["cycle"]) if opts.get("cycle") is not None
               else old["seqcycle"]}
    if changes != old:
        cat.update("pg_sequence", tid, replace("pg_sequence", row, **changes))
    if restart is not None:
        seq.setval(s.txn, restart, False)


_TYPE_NAMES = {21: "smallint", 23: "integer", 20: "bigint"}


def _check_params(type_oid: int, minv: int, maxv: int, start: int, last: int,
                  cache: int) -> None:
    """init_params' cross-checks, in its order: the bounds within the data type, MINVALUE
    below MAXVALUE, START and the (re)start value within the bounds, CACHE positive."""
    lo, hi = _LIMITS[type_oid]
    for what, v in (("MAXVALUE", maxv), ("MINVALUE", minv)):
        if not lo <= v <= hi:
            raise PgError(INVALID_PARAMETER_VALUE, f"{what} ({v}) is out of range for "
                          f"sequence data type {_TYPE_NAMES[type_oid]}")
    if minv >= maxv:
        raise PgError(INVALID_PARAMETER_VALUE, f"MINVALUE ({minv}) must be less than MAXVALUE "
                      f"({maxv})")
    if start < minv:
        raise PgError(INVALID_PARAMETER_VALUE, f"START value ({start}) cannot be less than "
                      f"MINVALUE ({minv})")
    if start > maxv:
        raise PgError(INVALID_PARAMETER_VALUE, f"START value ({start}) cannot be greater than "
                      f"MAXVALUE ({maxv})")
    if last < minv:
        raise PgError(INVALID_PARAMETER_VALUE, f"RESTART value ({last}) cannot be less than "
                      f"MINVALUE ({minv})")
    if last > maxv:
        raise PgError(INVALID_PARAMETER_VALUE, f"RESTART value ({last}) cannot be greater "
                      f"than MAXVALUE ({maxv})")
    if cache <= 0:
        raise PgError(INVALID_PARAMETER_VALUE, f"CACHE ({cache}) must be greater than zero")


def create_sequence_rel(s: Any, cat: CatalogView, nsp: int, name: str, type_oid: int,
                        opts: dict[str, Any], owned_by: tuple[int, int] | None = None,
                        deptype: str = "a", persistence: str | None = None) -> int:
    from tuskdb.sql.commands.tablecmds import ColumnSpec, _insert_relation

    if type_oid not in _LIMITS:
        what = "identity column" if deptype == "i" else "sequence"
        raise PgError(INVALID_PARAMETER_VALUE, f"{what} type must be smallint, integer, or "
                      f"bigint")
    lo, hi = _LIMITS[type_oid]
    incr = opts.get("increment", 1)
    if incr == 0:
        raise PgError(INVALID_PARAMETER_VALUE, "INCREMENT must not be zero")
    maxv = opts.get("maxvalue") if opts.get("maxvalue") is not None else (hi if incr > 0 else -1)
    minv = opts.get("minvalue") if opts.get("minvalue") is not None else (1 if incr > 0 else lo)
    start = opts.get("start", minv if incr > 0 else maxv)
    _check_params(type_oid, minv, maxv, start, start, opts.get("cache", 1))
    oid = cat.m.next_oid()
    cols = [ColumnSpec("last_value", 20, -1), ColumnSpec("log_cnt", 20, -1),
            ColumnSpec("is_called", 16, -1)]
    for c in cols:
        c.notnull = True
    locator = RelFileLocator(s.dboid, oid)
    Sequence.create(cat.m.storage, locator, start=start, txn=s.txn)
    _insert_relation(s, cat, oid, name, nsp, "S", cols, relam=0, create_storage=False,
                     persistence=persistence)
    cat.insert("pg_sequence", make_row(
        "pg_sequence", seqrelid=oid, seqtypid=type_oid, seqstart=start, seqincrement=incr,
        seqmax=maxv, seqmin=minv, seqcache=opts.get("cache", 1),
        seqcycle=bool(opts.get("cycle", False))))
    if owned_by is not None:
        relid, attnum = owned_by
        cat.insert("pg_depend", make_row(
            "pg_depend", classid=1259, objid=oid, objsubid=0, refclassid=1259,
            refobjid=relid, refobjsubid=attnum, deptype=deptype))
    return oid


def create_sequence(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    from tuskdb.sql.commands.tablecmds import _namespace_for
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.analyze.expr import resolve_type_name

    cat = s.catalog()
    state = AnalyzeState(cat, s, [], None, raw.source)
    rv = body["sequence"]
    nsp = _namespace_for(s, cat, rv, state, positioned=False)
    name = rv["relname"]
    if cat.relation_oid(nsp, name) is not None:
        if body.get("if_not_exists"):
            s.add_notice(notice(f'relation "{name}" already exists, skipping',
                                sqlstate=DUPLICATE_TABLE))
            return QueryResult(tag="CREATE SEQUENCE")
        raise PgError(DUPLICATE_TABLE, f'relation "{name}" already exists')
    opts, astype = sequence_options(body.get("options") or [], owned_by=True)
    type_oid = resolve_type_name(astype, state)[0] if astype is not None else 20
    oid = create_sequence_rel(s, cat, nsp, name, type_oid, opts)
    if "owned_by" in opts:
        cat.command_counter_increment()
        process_owned_by(s, cat, cat.relation_by_oid(oid), opts["owned_by"])
    return QueryResult(tag="CREATE SEQUENCE")


# relation kinds a sequence may belong to, and what the others are called in the
# DETAIL of the refusal (errdetail_relkind_not_supported)
_OWNER_KINDS = ("r", "f", "v", "p")
_RELKIND_PLURAL = {"m": "materialized views", "S": "sequences", "i": "indexes",
                   "I": "partitioned indexes", "c": "composite types", "t": "TOAST tables"}


def process_owned_by(s: Any, cat: CatalogView, seq: Any, names: list[str]) -> None:
    """OWNED BY table.column | NONE (PostgreSQL's process_owned_by): the sequence's
    auto dependency on a column, so that dropping the column or table drops it."""
    from tuskdb.catalog.rows import COLUMN_POS
    from tuskdb.errors import SYNTAX_ERROR, UNDEFINED_COLUMN
    target = None
    attnum = 0
    if len(names) == 1:
        if names[0] != "none":
            raise PgError(SYNTAX_ERROR, "invalid OWNED BY option",
                          hint="Specify OWNED BY table.column or OWNED BY NONE.")
    else:
        target = _owned_by_relation(s, cat, names[:-1])
        if target.relkind not in _OWNER_KINDS:
            raise PgError(WRONG_OBJECT_TYPE, f'sequence cannot be owned by relation '
                          f'"{target.name}"', detail="This operation is not supported for "
                          f"{_RELKIND_PLURAL.get(target.relkind, 'this relation')}.")
        if target.owner != seq.owner:
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, "sequence must have same owner "
                          "as table it is linked to")
        if target.namespace != seq.namespace:
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, "sequence must be in same schema "
                          "as table it is linked to")
        col = target.column(names[-1])
        if col is None or col.dropped:
            raise PgError(UNDEFINED_COLUMN, f'column "{names[-1]}" of relation '
                          f'"{target.name}" does not exist')
        attnum = col.attnum
    # the sequence's former owner, if any, lets go (its auto dependencies on relations)
    d = COLUMN_POS["pg_depend"]
    for tid, dep in cat.find("pg_depend", objid=seq.oid, deptype="a"):
        if dep[d["classid"]] == 1259 and dep[d["refclassid"]] == 1259:
            cat.delete("pg_depend", tid)
    if target is not None:
        cat.insert("pg_depend", make_row(
            "pg_depend", classid=1259, objid=seq.oid, objsubid=0, refclassid=1259,
            refobjid=target.oid, refobjsubid=attnum, deptype="a"))
    cat.command_counter_increment()


def _owned_by_relation(s: Any, cat: CatalogView, names: list[str]) -> Any:
    """The relation OWNED BY names (its RangeVar: [[catalog.]schema.]relation)."""
    if len(names) > 3:
        raise PgError(SYNTAX_ERROR, f"improper qualified name (too many dotted names): "
                      f"{'.'.join(names)}")
    if len(names) == 3 and names[0] != s.dbname:
        raise PgError(FEATURE_NOT_SUPPORTED, f"cross-database references are not "
                      f'implemented: "{".".join(names)}"')
    from tuskdb.sql.commands.tablecmds import _lookup_for_drop
    if len(names) > 1 and cat.namespace_oid(names[-2]) is None:
        raise PgError("3F000", f'schema "{names[-2]}" does not exist')
    rel = _lookup_for_drop(s, cat, names)
    if rel is None:
        raise PgError(UNDEFINED_TABLE, f'relation "{".".join(names)}" does not exist')
    return rel


def _parse_name(text: str) -> list[str]:
    """A qualified name as nextval('...') reads it (identifier rules)."""
    parts = []
    i, n = 0, len(text)
    cur = ""
    while i < n:
        ch = text[i]
        if ch == '"' and not cur.strip():
            # a quote opens a quoted name only at its start (SplitIdentifierString)
            j = i + 1
            while True:
                k = text.find('"', j)
                if k < 0:
                    raise PgError("42602", f'invalid name syntax')
                if k + 1 < n and text[k + 1] == '"':
                    cur += text[j:k] + '"'
                    j = k + 2
                    continue
                cur += text[j:k]
                i = k + 1
                break
        elif ch == ".":
            parts.append(cur)
            cur = ""
            i += 1
        else:
            cur += ch.lower()
            i += 1
    parts.append(cur.strip())
    if any(p == "" for p in parts):
        raise PgError("42602", "invalid name syntax")
    return parts


def lookup_sequence(s: Any, name: Any) -> tuple[Any, Sequence]:
    cat = s.catalog()
    if isinstance(name, int):
        rel = cat.relation_by_oid(name)
        shown = str(name)
    else:
        parts = _parse_name(str(name))
        shown = ".".join(parts)
        rel = None
        if len(parts) > 1:
            nsp = cat.namespace_oid(parts[-2])
            oid = cat.relation_oid(nsp, parts[-1]) if nsp is not None else None
        else:
            oid = None
            for nsp in s.search_path_oids(cat):
                oid = cat.relation_oid(nsp, parts[-1])
                if oid is not None:
                    break
        rel = cat.relation_by_oid(oid) if oid is not None else None
    if rel is None:
        raise PgError(UNDEFINED_TABLE, f'relation "{shown}" does not exist')
    if rel.relkind != "S":
        raise PgError(WRONG_OBJECT_TYPE, f'"{rel.name}" is not a sequence')
    seqs = s.db.sequences
    seq = seqs.get((s.dboid, rel.relfilenode))
    if seq is None:
        seq = Sequence(cat.m.storage, RelFileLocator(s.dboid, rel.relfilenode))
        seqs[(s.dboid, rel.relfilenode)] = seq
    return rel, seq


def _options(rel: Any) -> SeqOptions:
    info = rel.extra.get("sequence") or {}
    p = COLUMN_POS["pg_sequence"]
    del p
    return SeqOptions(start=info.get("seqstart", 1), increment=info.get("seqincrement", 1),
                      minvalue=info.get("seqmin", 1), maxvalue=info.get("seqmax", 2**63 - 1),
                      cycle=info.get("seqcycle", False), cache=info.get("seqcache", 1))


def _seq_aclcheck(s: Any, rel: Any, mask: str) -> None:
    """Any privilege of ``mask`` on the sequence (nextval: USAGE or UPDATE; currval:
    SELECT or USAGE; setval: UPDATE)."""
    cat = s.catalog()
    uid, is_super = s._role_facts(cat)
    if is_super:
        return
    from tuskdb.catalog import aclchk
    if not aclchk.pg_class_aclmask(cat, rel, uid, mask):
        raise aclchk.permission_denied("sequence", rel.name)


_RELKIND_DETAIL = {"r": "tables", "p": "partitioned tables", "v": "views",
                   "m": "materialized views", "f": "foreign tables", "i": "indexes",
                   "I": "partitioned indexes", "c": "composite types", "t": "TOAST tables"}


def _open_sequence(s: Any, name: Any) -> tuple[Any, Sequence]:
    """The sequence nextval/currval/setval name (sequence_open: another kind of
    relation cannot be opened as one)."""
    try:
        return lookup_sequence(s, name)
    except PgError as e:
        if e.sqlstate != WRONG_OBJECT_TYPE:
            raise
        rel = s.catalog().relation_by_oid(name) if isinstance(name, int) else None
        if rel is None:
            from tuskdb.sql.commands.tablecmds import _lookup_for_drop
            rel = _lookup_for_drop(s, s.catalog(), _parse_name(str(name)))
        if rel is None:
            raise
        raise PgError(WRONG_OBJECT_TYPE, f'cannot open relation "{rel.name}"',
                      detail="This operation is not supported for "
                      f"{_RELKIND_DETAIL.get(rel.relkind, 'this relation')}.") from None


def _prevent_if_read_only(s: Any, rel: Any, what: str) -> None:
    """nextval() and setval() write the sequence: refused in a read-only transaction,
    unless it is a temporary one (PreventCommandIfReadOnly)."""
    if rel.persistence != "t" and s.txn is not None and getattr(s.txn, "read_only", False):
        raise PgError("25006", f"cannot execute {what} in a read-only transaction")


def nextval(s: Any, name: Any, aclcheck: bool = True) -> int:
    rel, seq = _open_sequence(s, name)
    if aclcheck:                        # not for an identity column's (NextValueExpr)
        _seq_aclcheck(s, rel, "Uw")
    _prevent_if_read_only(s, rel, "nextval()")
    v = seq.nextval(s.txn, _options(rel), rel.name)
    s.seq_currval[rel.oid] = v
    s.last_seq = rel.oid
    return v


def currval(s: Any, name: Any) -> int:
    rel, _ = _open_sequence(s, name)
    _seq_aclcheck(s, rel, "rU")
    if rel.oid not in s.seq_currval:
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'currval of sequence "{rel.name}" is '
                      f"not yet defined in this session")
    return s.seq_currval[rel.oid]


def setval(s: Any, name: Any, value: int, is_called: bool = True) -> int:
    rel, seq = _open_sequence(s, name)
    _seq_aclcheck(s, rel, "w")
    _prevent_if_read_only(s, rel, "setval()")
    seq.setval(s.txn, value, is_called, _options(rel), rel.name)
    if is_called:
        s.seq_currval[rel.oid] = value
    return value


def sequence_parameters(s: Any, oid: int) -> list[tuple]:
    """pg_sequence_parameters(oid): the sequence's pg_sequence settings, for a role
    with any of SELECT, UPDATE or USAGE on it."""
    cat = s.catalog()
    rel = cat.relation_by_oid(oid)
    if rel is None:
        raise PgError("42P01", f"relation with OID {oid} does not exist")
    _seq_aclcheck(s, rel, "rwU")
    found = cat.find("pg_sequence", seqrelid=oid)
    if rel.relkind != "S" or not found:
        raise PgError("XX000", f"cache lookup failed for sequence {oid}")
    q = COLUMN_POS["pg_sequence"]
    row = found[0][1]
    return [(row[q["seqstart"]], row[q["seqmin"]], row[q["seqmax"]], row[q["seqincrement"]],
             row[q["seqcycle"]], row[q["seqcache"]], row[q["seqtypid"]])]


def get_sequence_data(s: Any, oid: int) -> list[tuple]:
    """pg_get_sequence_data(regclass): (last_value, is_called), NULLs when it is no
    sequence or the role may not read it."""
    cat = s.catalog()
    rel = cat.relation_by_oid(oid)
    if rel is None or rel.relkind != "S":
        return [(None, None)]
    uid, is_super = s._role_facts(cat)
    from tuskdb.catalog import aclchk
    if not is_super and not aclchk.pg_class_aclmask(cat, rel, uid, "r"):
        return [(None, None)]
    _, seq = lookup_sequence(s, oid)
    last, _, called = seq.read()
    return [(last, called)]
