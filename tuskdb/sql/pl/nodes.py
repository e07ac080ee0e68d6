"""The PL/pgSQL syntax tree (PostgreSQL's PLpgSQL_stmt_* and PLpgSQL_datum kinds).

A compiled function is a ``PLFunction``: its datums (variables, records) by number
and its outer ``Block``.  Statements carry their line number (for CONTEXT lines)
and their PostgreSQL statement name (``stmt_name``: "assignment", "RAISE", ...).
SQL text inside the body stays text (``PLExpr``) and is planned by the SQL engine
at run time, with the namespace it was written in (``ns``) to resolve variables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class Datum:
    dno: int
    name: str
    kind: str                 # 'var' | 'rec'
    type_oid: int             # 2249 for RECORD; a composite type for %ROWTYPE
    typmod: int = -1
    constant: bool = False
    notnull: bool = False
    default: Any = None       # PLExpr | None
    is_param: bool = False
    promise: str | None = None   # special variables (found, sqlstate, sqlerrm)
    # a bound cursor (DECLARE c [NO] SCROLL CURSOR (args) FOR query): its query, the
    # datums of its arguments and its options (portalcmds CURSOR_OPT_*)
    cursor_query: Any = None
    cursor_args: list[int] | None = None
    cursor_options: int = 0


@dataclass(eq=False)
class Frame:
    """One level of the compile-time namespace: a block (label, variables)."""
    label: str | None
    names: dict[str, int] = field(default_factory=dict)


@dataclass(eq=False)
class PLExpr:
    text: str                 # the SQL text as written
    ns: tuple                 # tuple[Frame, ...], innermost last
    offset: int = 0           # where ``text`` starts in the body
    line: int = 1
    plans: dict = field(default_factory=dict)
    # how the text is checked at compile time: 'expr' (as SELECT text), 'stmt'
    # (an SQL statement), '' (not checked)
    mode: str = "expr"


@dataclass(eq=False)
class Stmt:
    line: int

    stmt_name = "?"


@dataclass(eq=False)
class Block(Stmt):
    label: str | None = None
    decls: list[Datum] = field(default_factory=list)
    body: list[Stmt] = field(default_factory=list)
    handlers: list[tuple[list[tuple[str, str | None]], list[Stmt]]] | None = None
    exc_datums: tuple[int, int] | None = None     # (sqlstate dno, sqlerrm dno)
    stmt_name = "statement block"


@dataclass(eq=False)
class Assign(Stmt):
    target: Any = None        # ('var', dno) | ('field', dno, name) | ('elem', target, [PLExpr])
    expr: PLExpr | None = None
    text: str = ""
    stmt_name = "assignment"


@dataclass(eq=False)
class If(Stmt):
    conds: list[tuple[PLExpr, list[Stmt]]] = field(default_factory=list)
    else_body: list[Stmt] | None = None
    stmt_name = "IF"


@dataclass(eq=False)
class Case(Stmt):
    expr: PLExpr | None = None
    var_dno: int = -1
    whens: list[tuple[PLExpr, list[Stmt]]] = field(default_factory=list)
    else_body: list[Stmt] | None = None
    stmt_name = "CASE"


@dataclass(eq=False)
class Loop(Stmt):
    label: str | None = None
    body: list[Stmt] = field(default_factory=list)
    stmt_name = "LOOP"


@dataclass(eq=False)
class While(Stmt):
    label: str | None = None
    cond: PLExpr | None = None
    body: list[Stmt] = field(default_factory=list)
    stmt_name = "WHILE"


@dataclass(eq=False)
class ForI(Stmt):
    label: str | None = None
    var: int = -1
    lower: PLExpr | None = None
    upper: PLExpr | None = None
    step: PLExpr | None = None
    reverse: bool = False
    body: list[Stmt] = field(default_factory=list)
    stmt_name = "FOR with integer loop variable"


@dataclass(eq=False)
class ForQuery(Stmt):
    label: str | None = None
    targets: list[Any] = field(default_factory=list)
    query: PLExpr | None = None           # FOR ... IN query
    dynquery: PLExpr | None = None        # FOR ... IN EXECUTE expr
    params: list[PLExpr] = field(default_factory=list)
    body: list[Stmt] = field(default_factory=list)

    @property
    def stmt_name(self) -> str:  # type: ignore[override]
        return "FOR over EXECUTE statement" if self.dynquery is not None else \
            "FOR over SELECT rows"


@dataclass(eq=False)
class ForEach(Stmt):
    label: str | None = None
    targets: list[Any] = field(default_factory=list)
    slice: int = 0
    expr: PLExpr | None = None
    body: list[Stmt] = field(default_factory=list)
    stmt_name = "FOREACH over array"


@dataclass(eq=False)
class Exit(Stmt):
    is_exit: bool = True
    label: str | None = None
    cond: PLExpr | None = None

    @property
    def stmt_name(self) -> str:  # type: ignore[override]
        return "EXIT" if self.is_exit else "CONTINUE"


@dataclass(eq=False)
class Return(Stmt):
    expr: PLExpr | None = None
    retvar: int = -1
    stmt_name = "RETURN"


@dataclass(eq=False)
class ReturnNext(Stmt):
    expr: PLExpr | None = None
    retvar: int = -1
    stmt_name = "RETURN NEXT"


@dataclass(eq=False)
class ReturnQuery(Stmt):
    query: PLExpr | None = None
    dynquery: PLExpr | None = None
    params: list[PLExpr] = field(default_factory=list)
    stmt_name = "RETURN QUERY"


@dataclass(eq=False)
class Raise(Stmt):
    level: str = "EXCEPTION"
    condname: str | None = None
    sqlstate: str | None = None
    message: str | None = None
    params: list[PLExpr] = field(default_factory=list)
    options: list[tuple[str, PLExpr]] = field(default_factory=list)
    stmt_name = "RAISE"


@dataclass(eq=False)
class Assert(Stmt):
    cond: PLExpr | None = None
    message: PLExpr | None = None
    stmt_name = "ASSERT"


@dataclass(eq=False)
class ExecSQL(Stmt):
    sql: PLExpr | None = None
    targets: list[Any] | None = None
    strict: bool = False
    mod_stmt: bool = False
    is_perform: bool = False

    @property
    def stmt_name(self) -> str:  # type: ignore[override]
        return "PERFORM" if self.is_perform else "SQL statement"


@dataclass(eq=False)
class DynExecute(Stmt):
    query: PLExpr | None = None
    targets: list[Any] | None = None
    strict: bool = False
    params: list[PLExpr] = field(default_factory=list)
    stmt_name = "EXECUTE"


@dataclass(eq=False)
class GetDiag(Stmt):
    stacked: bool = False
    items: list[tuple[Any, str]] = field(default_factory=list)

    @property
    def stmt_name(self) -> str:  # type: ignore[override]
        return "GET STACKED DIAGNOSTICS" if self.stacked else "GET DIAGNOSTICS"


@dataclass(eq=False)
class Open(Stmt):
    cursor: int = -1
    options: int = 0
    args: list[PLExpr] | None = None        # bound cursor arguments, in parameter order
    query: PLExpr | None = None             # OPEN c FOR query
    dynquery: PLExpr | None = None          # OPEN c FOR EXECUTE expr
    params: list[PLExpr] = field(default_factory=list)
    stmt_name = "OPEN"


@dataclass(eq=False)
class Fetch(Stmt):
    cursor: int = -1
    direction: str = "FETCH_FORWARD"        # portalcmds' FetchStmt directions
    count: PLExpr | None = None
    how_many: int = 1
    is_move: bool = False
    targets: list[Any] | None = None

    @property
    def stmt_name(self) -> str:  # type: ignore[override]
        return "MOVE" if self.is_move else "FETCH"


@dataclass(eq=False)
class Close(Stmt):
    cursor: int = -1
    stmt_name = "CLOSE"


@dataclass(eq=False)
class ForCursor(Stmt):
    label: str | None = None
    var: int = -1                           # the loop's record
    cursor: int = -1
    args: list[PLExpr] | None = None
    body: list[Stmt] = field(default_factory=list)
    stmt_name = "FOR over cursor"


@dataclass(eq=False)
class Null(Stmt):
    stmt_name = "NULL"


@dataclass(eq=False)
class Transaction(Stmt):
    commit: bool = True
    chain: bool = False

    @property
    def stmt_name(self) -> str:  # type: ignore[override]
        return "COMMIT" if self.commit else "ROLLBACK"


@dataclass(eq=False)
class PLFunction:
    """A compiled PL/pgSQL body."""
    name: str                        # 'inline_code_block' or the signature
    datums: list[Datum] = field(default_factory=list)
    block: Block | None = None
    found_dno: int = -1
    param_dnos: list[int] = field(default_factory=list)
    out_dnos: list[int] = field(default_factory=list)
    ret_type: int = 2278
    retset: bool = False
    is_proc: bool = False
    out_param_row: bool = False      # several OUT parameters: the result is their row
    variable_conflict: str = "error"  # #variable_conflict error|use_variable|use_column
    print_strict_params: bool = False
