"""PL/pgSQL's entry points (PostgreSQL's pl_handler.c): DO blocks
(``do_stmt``, plpgsql_inline_handler), calls of LANGUAGE plpgsql routines
(``PLpgSQLFunction``, plpgsql_call_handler) and the check at CREATE FUNCTION
(``validate``, plpgsql_validator).
"""

from __future__ import annotations

from typing import Any

from tuskdb.engine.results import Field, QueryResult
from tuskdb.errors import FEATURE_NOT_SUPPORTED, PgError
from tuskdb.sql.commands.functioncmds import SQLFunction
from tuskdb.sql.pl import nodes as N
from tuskdb.sql.pl.compile import compile_body
from tuskdb.sql.pl.exec import execute


def body_position(source: str, literal_loc: int, body_offset: int) -> int | None:
    """The 1-based position in ``source`` of the body's character ``body_offset``,
    the body being the string literal at byte ``literal_loc``."""
    from tuskdb.sql.parser import char_position
    if literal_loc is None or literal_loc < 0:
        return None
    start = char_position(source, literal_loc) - 1
    lit = source[start:]
    if lit.startswith("$"):
        k = lit.index("$", 1)
        return start + k + 1 + body_offset + 1
    i = 1 if lit[:1] == "'" else 2
    b = 0
    while i < len(lit) and b < body_offset:
        if lit[i] == "'" and lit[i + 1:i + 2] == "'":
            i += 2
        else:
            i += 1
        b += 1
    return start + i + 1


def _place(err: PgError, source: str, loc: int) -> None:
    off = getattr(err, "body_offset", None)
    if off is not None and err.position is None:
        err.position = body_position(source, loc, off)


def do_stmt(s: Any, raw: Any) -> QueryResult:
    """DO [LANGUAGE lang] code (ExecuteDoStmt)."""
    src = None
    loc = -1
    lang = "plpgsql"
    for a in raw.body.get("args") or []:
        d = a["DefElem"]
        if d["defname"] == "as":
            if src is not None:
                raise PgError("42601", "conflicting or redundant options")
            src = d["arg"]["String"]["sval"]
            loc = d.get("arg_location", d.get("location", -1))
        elif d["defname"] == "language":
            lang = d["arg"]["String"]["sval"].lower()
    if src is None:
        raise PgError("42601", "no inline code specified")
    cat = s.catalog()
    if not cat.find("pg_language", lanname=lang):
        raise PgError("42704", f'language "{lang}" does not exist',
                      hint="Use CREATE EXTENSION to load the language into the database.")
    if lang != "plpgsql":
        raise PgError(FEATURE_NOT_SUPPORTED, f'language "{lang}" does not support inline code '
                      f'execution')
    try:
        fn = compile_body(s, src, "inline_code_block", [])
    except PgError as err:
        _place(err, raw.source, loc)
        raise
    execute(s, fn)
    return QueryResult(tag="DO")


def signature(name: str, argtypes: list[int]) -> str:
    from tuskdb.sql.analyze.coerce import type_name
    return f"{name}({','.join(type_name(t) for t in argtypes)})"


def validate(s: Any, row: tuple, source: str, loc: int) -> None:
    """Compile a new function's body now, reporting its syntax errors (at their
    position in the CREATE statement)."""
    fn = PLpgSQLFunction(row)
    try:
        fn.compiled(s)
    except PgError as err:
        _place(err, source, loc)
        raise


class PLpgSQLFunction(SQLFunction):
    """A LANGUAGE plpgsql function or procedure, as the analyzer and executor call it."""

    def __init__(self, row: tuple) -> None:
        super().__init__(row)
        self._compiled: N.PLFunction | None = None
        self._cgen = -1

    def compiled(self, s: Any) -> N.PLFunction:
        gen = s.db.catalogs.generation
        if self._compiled is None or self._cgen != gen:
            params = list(self.all_params)
            is_proc = self.prokind == "p"
            ret = self.ret_type
            fn = compile_body(s, self.src, signature(self.name, self.argtypes), params,
                              ret, bool(self.retset), is_proc, label=self.name)
            fn.oid = self.oid  # type: ignore[attr-defined]
            self._compiled, self._cgen = fn, gen
        return self._compiled

    def statements(self) -> list[Any]:
        return []

    def plans(self, s: Any, argtypes: tuple[int, ...] | None = None) -> list[Any]:
        self.compiled(s)
        return []

    def _run(self, s: Any, args: Any, argtypes: Any) -> Any:
        depth = getattr(s, "func_depth", 0)
        if depth > 100:
            raise PgError("54001", "stack depth limit exceeded",
                          hint='Increase the configuration parameter "max_stack_depth".')
        self.check_execute(s)
        if self.ret_type in (2279, 3838):
            raise PgError(FEATURE_NOT_SUPPORTED, "trigger functions can only be called as "
                          "triggers", context=f'compilation of PL/pgSQL function '
                                              f'"{self.name}" near line 1')
        fn = self.compiled(s)
        s.func_depth = depth + 1
        if self.secdef:
            from tuskdb.catalog.aclchk import role_name
            s.security_definer.append(role_name(s.catalog(), self.owner))
        try:
            return execute(s, fn, list(args), list(argtypes) if argtypes else None)
        finally:
            s.func_depth = depth
            if self.secdef:
                s.security_definer.pop()

    def run_body(self, s: Any, args: Any, argtypes: tuple[int, ...] | None = None) -> Any:
        """A procedure's call (CALL): one row of its OUT parameters."""
        st = self._run(s, args, argtypes)
        fn = st.fn
        if not fn.out_dnos:
            return None
        row = tuple(st.values[d] for d in fn.out_dnos)
        fields = [Field(fn.datums[d].name, 0, 0, fn.datums[d].type_oid, -1, -1, 0)
                  for d in fn.out_dnos]
        return QueryResult(fields, [row], "CALL")

    def call(self, ctx: Any, args: tuple, argtypes: tuple[int, ...] | None = None) -> Any:
        s = ctx.session
        if self.strict and None in args:
            return [] if self.retset else None
        st = self._run(s, args, argtypes)
        fn = st.fn
        if self.retset:
            return st.ret_rows
        if fn.out_dnos:
            return st.out_value()
        if self.ret_type >= 16384:
            from tuskdb import types as _types
            rt = _types.TYPES.get(self.ret_type)
            if rt is not None and rt.typtype == "d":
                try:
                    s.type_context.session_hooks.check_domain(self.ret_type, st.retval)
                except PgError as err:
                    err.context = f"PL/pgSQL function {fn.name} while casting return value " \
                                  f"to function's return type"
                    raise
        return st.retval
