"""Compiling a PL/pgSQL body into a ``PLFunction`` (PostgreSQL's pl_comp.c): the
function's parameters become the outermost variables ($n and their names, under
the function's name as label), then ``gram.Parser`` reads the body.  Declared
types are resolved against the catalogs here (``resolve_type``).
"""

from __future__ import annotations

from typing import Any

from tuskdb.errors import PgError
from tuskdb.sql.pl import nodes as N
from tuskdb.sql.pl.gram import Parser

RECORD = 2249
TRIGGER, EVENT_TRIGGER = 2279, 3838
_TRIGGER_VARS = (("new", RECORD), ("old", RECORD), ("tg_name", 19), ("tg_when", 25),
                 ("tg_level", 25), ("tg_op", 25), ("tg_relid", 26), ("tg_relname", 19),
                 ("tg_table_name", 19), ("tg_table_schema", 19), ("tg_nargs", 23),
                 ("tg_argv", 1009))
_EVENT_TRIGGER_VARS = (("tg_event", 25), ("tg_tag", 25))


def compile_body(s: Any, src: str, name: str, params: list[tuple[str, int, str]],
                 ret_type: int = 2278, retset: bool = False, is_proc: bool = False,
                 label: str | None = None) -> N.PLFunction:
    """``params``: (name, type, mode char 'i'|'o'|'b'|'v'|'t') in declaration order."""
    fn = N.PLFunction(name, ret_type=ret_type, retset=retset, is_proc=is_proc)
    outer = N.Frame(label)
    n_all = 0
    from tuskdb.sql.analyze.rowtypes import composite_fields
    for pname, ptype, mode in params:
        kind = "rec" if ptype == RECORD or composite_fields(ptype) is not None else "var"
        d = N.Datum(len(fn.datums), pname or f"${len(fn.datums) + 1}", kind, ptype,
                    is_param=True)
        fn.datums.append(d)
        n_all += 1
        outer.names[f"${n_all}"] = d.dno       # $n counts OUT parameters too
        if mode in "ibv":
            fn.param_dnos.append(d.dno)
        if mode in "obt":
            fn.out_dnos.append(d.dno)
            if mode in "ot" and not pname:
                pass
        if pname:
            outer.names[pname] = d.dno
    if ret_type in (TRIGGER, EVENT_TRIGGER):
        # a trigger function's special variables (PostgreSQL's plpgsql_compile for
        # trigger and event trigger functions)
        specials = _TRIGGER_VARS if ret_type == TRIGGER else _EVENT_TRIGGER_VARS
        for vname, vtype in specials:
            d = N.Datum(len(fn.datums), vname, "rec" if vtype == RECORD else "var", vtype)
            fn.datums.append(d)
            outer.names[vname] = d.dno
    fn.proname = label or name  # type: ignore[attr-defined]
    parser = Parser(src, fn, lambda text, p, off, line: resolve_type(s, text, p, off, line))
    return parser.compile(outer)


def resolve_type(s: Any, text: str, p: Parser, offset: int, line: int = 1
                 ) -> tuple[int, int, str]:
    """A declared type: (oid, typmod, datum kind)."""
    from tuskdb.sql.analyze.rowtypes import composite_fields
    low = text.strip().lower()
    if low == "record":
        return RECORD, -1, "rec"
    try:
        if low.endswith("%rowtype"):
            rel = text[:len(text.rstrip()) - 8].strip()
            _plan_text(s, f"SELECT * FROM {rel}")      # the relation must exist
            try:
                oid, typmod = _sql_type(s, rel, offset)
            except PgError:
                # a system catalog has no row type here: an anonymous record
                return RECORD, -1, "rec"
            return oid, -1, "rec"
        if low.endswith("%type"):
            ref = text[:len(text.rstrip()) - 5].strip()
            parts = _ident_parts(ref)
            found = p.lookup(parts)
            if found is not None and found[1] == len(parts):
                d = p.fn.datums[found[0]]
                return d.type_oid, d.typmod, d.kind
            if len(parts) < 2:
                raise PgError("42704", f'variable "{ref}" does not exist')
            col, rel = ref.rsplit(".", 1)[1], ref.rsplit(".", 1)[0]
            try:
                f = _plan_text(s, f"SELECT {col} FROM {rel}").fields[0]
            except PgError as err:
                if err.sqlstate != "42703":
                    raise
                raise PgError("42703", f'column "{parts[-1]}" of relation "{parts[-2]}" does '
                              f'not exist') from None
            return f.type_oid, f.typmod, "rec" if composite_fields(f.type_oid) else "var"
    except PgError as err:
        if getattr(err, "body_offset", None) is None:
            err.position = None
            err.context = f'compilation of PL/pgSQL function "{p.fn.proname}" near line {line}'
        raise
    oid, typmod = _sql_type(s, text, offset)
    return oid, typmod, "rec" if composite_fields(oid) is not None else "var"


def _ident_parts(ref: str) -> list[str]:
    from tuskdb.sql.pl.scanner import tokenize
    return [t.text for t in tokenize(ref) if t.kind in ("word", "qword")]


def _plan_text(s: Any, sql: str) -> Any:
    from tuskdb.sql import parser
    return s._plan(parser.parse(sql)[0], [])


def _sql_type(s: Any, text: str, offset: int) -> tuple[int, int]:
    from tuskdb.sql import parser
    from tuskdb.sql.analyze.expr import resolve_type_name
    from tuskdb.sql.analyze.state import AnalyzeState
    prefix = "SELECT NULL::"
    try:
        stmts = parser.parse(prefix + text)
        tn = stmts[0].body["targetList"][0]["ResTarget"]["val"]["TypeCast"]["typeName"]
        state = AnalyzeState(s.catalog(), s, [], None, prefix + text)
        return resolve_type_name(tn, state)
    except PgError as err:
        if err.position is not None:
            err.body_offset = offset + err.position - 1 - len(prefix)  # type: ignore
            err.position = None
        else:
            err.body_offset = offset  # type: ignore[attr-defined]
        raise
    except (KeyError, IndexError):
        raise _at(PgError("42601", f'syntax error at or near "{text.split()[0]}"'), offset)


def _at(err: PgError, offset: int) -> PgError:
    err.body_offset = offset  # type: ignore[attr-defined]
    return err
