"""The PL/pgSQL grammar: recursive descent over ``scanner`` tokens (PostgreSQL's
pl_gram.y, written by hand).

SQL inside the body is not parsed here: an expression or SQL statement is the
body's text up to the token that ends it at parenthesis depth 0 -- ``;`` or the
next PL/pgSQL keyword the construct expects (THEN, LOOP, ``..``, USING, INTO,
``,`` ...), as PostgreSQL's read_sql_construct does.  Variables are resolved to
datum numbers as they are declared; each SQL text remembers the namespace it was
written in (``PLExpr.ns``) so that the executor resolves names in it the same way.

Compile errors carry ``body_offset`` (where in the body they are); the caller
turns it into a position in the statement that holds the body.
"""

from __future__ import annotations

from typing import Any

from tuskdb.errors import SYNTAX_ERROR, PgError
from tuskdb.sql.pl import nodes as N
from tuskdb.sql.pl.scanner import Token, tokenize

RECORD = 2249
REFCURSOR = 1790
CURSOR_OPT_SCROLL, CURSOR_OPT_NO_SCROLL = 2, 4
FETCH_ALL = 9223372036854775807

# words that begin a PL/pgSQL statement (anything else is an SQL statement)
_LEVELS = ("debug", "log", "info", "notice", "warning", "exception")
_GET_ITEMS = {"row_count", "pg_context", "pg_routine_oid", "returned_sqlstate",
              "column_name", "constraint_name", "pg_datatype_name", "message_text",
              "table_name", "schema_name", "pg_exception_detail", "pg_exception_hint",
              "pg_exception_context"}
_STACKED_ONLY = {"returned_sqlstate", "column_name", "constraint_name", "pg_datatype_name",
                 "message_text", "table_name", "schema_name", "pg_exception_detail",
                 "pg_exception_hint", "pg_exception_context"}


def syntax_error(msg: str, offset: int) -> PgError:
    e = PgError(SYNTAX_ERROR, msg)
    e.body_offset = offset  # type: ignore[attr-defined]
    return e


class Parser:
    """One compilation of a body.  ``resolve_type(text, parser) -> (oid, typmod)``
    turns a declared type into a type (the caller knows the catalogs)."""

    def __init__(self, src: str, fn: N.PLFunction, resolve_type: Any) -> None:
        self.src = src
        self.toks = tokenize(src)
        self.i = 0
        self.fn = fn
        self.resolve_type = resolve_type
        self.ns: list[N.Frame] = []
        self.exprs: list[N.PLExpr] = []

    # -- token helpers ---------------------------------------------------------------------

    def peek(self, k: int = 0) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def next(self) -> Token:
        t = self.toks[self.i]
        if t.kind != "eof":
            self.i += 1
        return t

    def error_at(self, t: Token) -> PgError:
        if t.kind == "eof":
            return syntax_error("syntax error at end of input", t.start)
        return syntax_error(f'syntax error at or near "{self.src[t.start:t.end]}"', t.start)

    def expect_kw(self, *words: str) -> Token:
        t = self.next()
        if not t.is_kw(*words):
            raise self.error_at(t)
        return t

    def expect_op(self, op: str) -> Token:
        t = self.next()
        if not t.is_op(op):
            raise self.error_at(t)
        return t

    def accept_kw(self, *words: str) -> bool:
        if self.peek().is_kw(*words):
            self.i += 1
            return True
        return False

    def accept_op(self, op: str) -> bool:
        if self.peek().is_op(op):
            self.i += 1
            return True
        return False

    # -- namespace -------------------------------------------------------------------------

    def new_datum(self, name: str, kind: str, type_oid: int, typmod: int = -1, **kw: Any
                  ) -> N.Datum:
        d = N.Datum(len(self.fn.datums), name, kind, type_oid, typmod, **kw)
        self.fn.datums.append(d)
        return d

    def lookup(self, names: list[str]) -> tuple[int, int] | None:
        """(dno, how many names it used): a variable, or label.variable."""
        for fr in reversed(self.ns):
            if names[0] in fr.names:
                return fr.names[names[0]], 1
        if len(names) > 1:
            for fr in reversed(self.ns):
                if fr.label == names[0] and names[1] in fr.names:
                    return fr.names[names[1]], 2
        return None

    def snapshot(self) -> tuple:
        return tuple(self.ns)

    # -- SQL text --------------------------------------------------------------------------

    def read_sql(self, ends_kw: tuple[str, ...] = (), ends_op: tuple[str, ...] = (";",),
                 what: str = "", allow_empty: bool = False) -> tuple[N.PLExpr, Token]:
        """The text up to a terminator at depth 0; returns it and the terminator (not
        consumed)."""
        depth = 0
        first = self.peek()
        last: Token | None = None
        while True:
            t = self.peek()
            if t.kind == "eof":
                raise syntax_error("syntax error at end of input", t.start)
            if depth == 0 and (t.is_kw(*ends_kw) or t.is_op(*ends_op)):
                break
            if t.is_op("(", "["):
                depth += 1
            elif t.is_op(")", "]"):
                if depth == 0:
                    raise syntax_error(f'mismatched parentheses at or near "{t.text}"',
                                       t.start)
                depth -= 1
            elif t.is_op(";") and depth:
                raise syntax_error('mismatched parentheses at or near ";"', t.start)
            last = self.next()
        if last is None:
            if allow_empty:
                return N.PLExpr("", self.snapshot(), first.start, first.line), t
            if what:
                raise syntax_error(f"missing {what}", t.start)
            raise self.error_at(t)
        text = self.src[first.start:last.end]
        e = N.PLExpr(text, self.snapshot(), first.start, first.line)
        self.exprs.append(e)
        return e, t

    def expr_until(self, *ends: str, what: str = "expression") -> N.PLExpr:
        kws = tuple(e for e in ends if e.isalpha())
        ops = tuple(e for e in ends if not e.isalpha())
        e, t = self.read_sql(kws, ops, what)
        self.next()
        return e

    # -- compile ---------------------------------------------------------------------------

    def compile(self, outer: N.Frame) -> N.PLFunction:
        try:
            return self._compile(outer)
        except PgError as err:
            if getattr(err, "body_offset", None) is None and err.context is None:
                line = self.toks[max(self.i - 1, 0)].line
                err.context = f'compilation of PL/pgSQL function ' \
                              f'"{getattr(self.fn, "proname", self.fn.name)}" near line {line}'
            raise

    def _compile(self, outer: N.Frame) -> N.PLFunction:
        self.ns.append(outer)
        found = self.new_datum("found", "var", 16, promise="found")
        self.fn.found_dno = found.dno
        outer.names["found"] = found.dno
        while self.peek().is_op("#"):
            # compiler options
            self.next()
            o = self.next()
            v = self.next()
            if o.is_kw("variable_conflict") and v.is_kw("error", "use_variable", "use_column"):
                self.fn.variable_conflict = v.text
            elif o.is_kw("print_strict_params") and v.is_kw("on", "off"):
                self.fn.print_strict_params = v.text == "on"
            elif o.is_kw("option") and v.is_kw("dump"):
                pass
            else:
                raise self.error_at(v if o.kind == "word" else o)
        t = self.peek()
        blk = self.block()
        self.accept_op(";")
        t = self.peek()
        if t.kind != "eof":
            raise self.error_at(t)
        self.fn.block = blk
        for e in self.exprs:
            check_sql(e)
        return self.fn

    def label(self) -> str | None:
        if self.peek().is_op("<<") or (self.peek().is_op("<") and self.peek(1).is_op("<")):
            if self.next().text == "<":
                self.next()
            t = self.next()
            if t.kind not in ("word", "qword"):
                raise self.error_at(t)
            e = self.next()
            if e.is_op(">") and self.peek().is_op(">"):
                self.next()
            elif not e.is_op(">>"):
                raise self.error_at(e)
            return t.text
        return None

    def block(self, label: str | None = None) -> N.Block:
        if label is None:
            label = self.label()
        start = self.peek()
        frame = N.Frame(label)
        self.ns.append(frame)
        blk = N.Block(start.line, label)
        while self.accept_kw("declare"):
            self.declarations(blk, frame)
        self.expect_kw("begin")
        blk.body = self.stmts(("exception", "end"))
        if self.accept_kw("exception"):
            blk.handlers = []
            efr = N.Frame(None)
            st = self.new_datum("sqlstate", "var", 25, promise="sqlstate")
            em = self.new_datum("sqlerrm", "var", 25, promise="sqlerrm")
            efr.names.update(sqlstate=st.dno, sqlerrm=em.dno)
            blk.exc_datums = (st.dno, em.dno)
            self.ns.append(efr)
            while self.accept_kw("when"):
                conds = []
                while True:
                    t = self.next()
                    if t.is_kw("sqlstate") and self.peek().kind == "string":
                        code = _string_value(self.next().text)
                        if len(code) != 5 or not all(c.isdigit() or "A" <= c <= "Z"
                                                     for c in code):
                            raise syntax_error("invalid SQLSTATE code", t.start)
                        conds.append(("sqlstate", code))
                    elif t.kind in ("word", "qword"):
                        from tuskdb.sql.pl.plerrcodes import ALL_BY_NAME
                        if t.text != "others" and t.text not in ALL_BY_NAME:
                            e = PgError("42704", f'unrecognized exception condition '
                                                 f'"{t.text}"')
                            raise e
                        conds.append(("name", t.text))
                    else:
                        raise self.error_at(t)
                    if not self.accept_kw("or"):
                        break
                self.expect_kw("then")
                body = self.stmts(("when", "end"))
                blk.handlers.append((conds, body))
            if not blk.handlers:
                raise self.error_at(self.peek())
            self.ns.pop()
        self.expect_kw("end")
        self.end_label(label)
        self.ns.pop()
        return blk

    def end_label(self, label: str | None) -> None:
        t = self.peek()
        if t.kind in ("word", "qword") and not t.is_op(";"):
            if t.kind == "word" and t.text in ("if", "loop", "case"):
                return
            self.next()
            if label is None:
                raise syntax_error(f'end label "{t.text}" specified for unlabeled block',
                                   t.start)
            if t.text != label:
                raise syntax_error(f'end label "{t.text}" differs from block\'s label '
                                   f'"{label}"', t.start)

    def declarations(self, blk: N.Block, frame: N.Frame) -> None:
        while not self.peek().is_kw("begin", "declare"):
            if self.peek().kind == "eof":
                raise self.error_at(self.peek())
            if self.peek().is_op("<<"):
                raise self.error_at(self.peek())
            t = self.next()
            if t.kind not in ("word", "qword"):
                raise self.error_at(t)
            name = t.text
            if name in frame.names and not self.fn.datums[frame.names[name]].is_param:
                raise syntax_error(f'duplicate declaration at or near "{name}"', t.start)
            if self.peek().is_kw("alias"):
                self.next()
                self.expect_kw("for")
                a = self.next()
                ref = self.lookup([a.text]) if a.kind in ("word", "qword") else None
                if a.kind == "param":
                    ref = self.lookup([a.text])
                if ref is None:
                    raise syntax_error(f'variable "{a.text}" does not exist', a.start)
                frame.names[name] = ref[0]
                self.expect_op(";")
                continue
            copts = -1
            if self.peek().is_kw("no") and self.peek(1).is_kw("scroll") and \
                    self.peek(2).is_kw("cursor"):
                self.i += 2
                copts = CURSOR_OPT_NO_SCROLL
            elif self.peek().is_kw("scroll") and self.peek(1).is_kw("cursor"):
                self.i += 1
                copts = CURSOR_OPT_SCROLL
            if self.peek().is_kw("cursor"):
                self.next()
                d = self.cursor_decl(name, max(copts, 0))
                frame.names[name] = d.dno
                blk.decls.append(d)
                continue
            constant = self.accept_kw("constant")
            # the type: up to := = DEFAULT NOT COLLATE ;
            tstart = self.peek()
            depth = 0
            last = None
            while True:
                p = self.peek()
                if p.kind == "eof":
                    raise self.error_at(p)
                if depth == 0 and (p.is_op(";", ":=", "=") or p.is_kw("default", "not",
                                                                       "collate")):
                    break
                if p.is_op("("):
                    depth += 1
                elif p.is_op(")"):
                    depth -= 1
                last = self.next()
            if last is None:
                raise self.error_at(self.peek())
            ttext = self.src[tstart.start:last.end]
            oid, typmod, kind = self.resolve_type(ttext, self, tstart.start, tstart.line)
            if self.accept_kw("collate"):
                self.next()
            notnull = False
            not_tok = self.peek()
            if self.accept_kw("not"):
                self.expect_kw("null")
                notnull = True
            default = None
            if self.peek().is_op(":=", "=") or self.peek().is_kw("default"):
                self.next()
                default = self.expr_until(";")
            else:
                self.expect_op(";")
                if notnull:
                    raise syntax_error(f'variable "{name}" must have a default value, since '
                                       f"it's declared NOT NULL", not_tok.start)
            d = self.new_datum(name, kind, oid, typmod, constant=constant, notnull=notnull,
                               default=default)
            frame.names[name] = d.dno
            blk.decls.append(d)

    # -- statements ------------------------------------------------------------------------

    def stmts(self, ends: tuple[str, ...]) -> list[N.Stmt]:
        out = []
        while True:
            t = self.peek()
            if t.kind == "eof":
                raise self.error_at(t)
            if t.is_kw(*ends):
                return out
            if t.is_op(";"):
                self.next()
                continue
            out.append(self.stmt())

    def stmt(self) -> N.Stmt:
        label = self.label()
        t = self.peek()
        if t.is_kw("begin", "declare"):
            s = self.block(label)
            self.expect_op(";")
            return s
        if t.is_kw("loop", "while", "for", "foreach"):
            return self.loop(label)
        if label is not None:
            raise self.error_at(t)
        w = t.text if t.kind == "word" else ""
        if w == "if":
            return self.if_stmt()
        if w == "case":
            return self.case_stmt()
        if w in ("exit", "continue"):
            self.next()
            s = N.Exit(t.line, w == "exit")
            n = self.peek()
            if n.kind in ("word", "qword") and not n.is_kw("when"):
                s.label = self.next().text
                if not any(fr.label == s.label for fr in self.loop_labels):
                    raise syntax_error(f'there is no label "{s.label}" attached to any '
                                       f'block or loop enclosing this statement', n.start)
            elif not self.loop_labels_depth():
                raise syntax_error(f"{w.upper()} cannot be used outside a loop, unless it "
                                   f"has a label" if w == "exit" else
                                   "CONTINUE cannot be used outside a loop", t.start)
            if self.accept_kw("when"):
                s.cond = self.expr_until(";")
            else:
                self.expect_op(";")
            return s
        if w == "return":
            return self.return_stmt()
        if w == "raise":
            return self.raise_stmt()
        if w == "assert":
            self.next()
            cond, term = self.read_sql((), (",", ";"), "expression")
            self.next()
            msg = self.expr_until(";") if term.is_op(",") else None
            return N.Assert(t.line, cond, msg)
        if w == "null":
            self.next()
            self.expect_op(";")
            return N.Null(t.line)
        if w == "perform":
            self.next()
            e = self.expr_until(";")
            e.text = "SELECT " + e.text
            e.offset -= 7
            e.mode = "stmt"
            return N.ExecSQL(t.line, e, is_perform=True)
        if w == "execute":
            return self.execute_stmt()
        if w == "get" and self.peek(1).is_kw("diagnostics", "current", "stacked"):
            return self.getdiag_stmt()
        if w in ("commit", "rollback") and self.peek(1).is_op(";") or \
                w in ("commit", "rollback") and self.peek(1).is_kw("and"):
            self.next()
            chain = False
            if self.accept_kw("and"):
                chain = not self.accept_kw("no")
                self.expect_kw("chain")
            self.expect_op(";")
            return N.Transaction(t.line, w == "commit", chain)
        if w == "open":
            return self.open_stmt()
        if w in ("fetch", "move"):
            return self.fetch_stmt()
        if w == "close":
            self.next()
            c = self.cursor_var()
            self.expect_op(";")
            return N.Close(t.line, c)
        if t.kind in ("word", "qword", "param"):
            # an assignment? (a variable followed by := = [ or .field)
            names = [t.text]
            k = 1
            while self.peek(k).is_op(".") and self.peek(k + 1).kind in ("word", "qword"):
                names.append(self.peek(k + 1).text)
                k += 2
            ref = self.lookup(names)
            after = self.peek(1 if ref is None else 2 * ref[1] - 1)
            if ref is not None and (after.is_op(":=", "=", "[") or (
                    after.is_op(".") and ref[1] < len(names))):
                return self.assign_stmt()
            if ref is None and self.peek(1).is_op(":=") and t.kind != "param":
                raise syntax_error(f'"{t.text}" is not a known variable', t.start)
            if t.kind == "word" and self.peek(1).is_op(":=", "=") is False:
                pass
        if t.kind not in ("word", "qword"):
            raise self.error_at(t)
        return self.sql_stmt()

    loop_stack: list

    @property
    def loop_labels(self) -> list:
        return getattr(self, "_labels", [])

    def loop_labels_depth(self) -> int:
        return getattr(self, "_loops", 0)

    def assign_stmt(self) -> N.Stmt:
        t = self.peek()
        target = self.target()
        op = self.next()
        if not op.is_op(":=", "="):
            raise self.error_at(op)
        e = self.expr_until(";")
        text = self.src[t.start:e.offset + len(e.text)]
        d = self.fn.datums[_base_dno(target)]
        if d.constant:
            raise syntax_error(f'variable "{d.name}" is declared CONSTANT', t.start)
        return N.Assign(t.line, target, e, text)

    def target(self, allow_elem: bool = True) -> Any:
        """A variable, record, record.field or array element to assign."""
        t = self.next()
        if t.kind not in ("word", "qword", "param"):
            raise self.error_at(t)
        names = [t.text]
        k = 0
        while self.peek(k).is_op(".") and self.peek(k + 1).kind in ("word", "qword"):
            names.append(self.peek(k + 1).text)
            k += 2
        ref = self.lookup(names)
        if ref is None:
            raise syntax_error(f'"{t.text}" is not a known variable', t.start)
        dno, used = ref
        self.i += 2 * (used - 1)
        tgt: Any = ("var", dno)
        if self.peek().is_op(".") and self.peek(1).kind in ("word", "qword"):
            self.next()
            tgt = ("field", dno, self.next().text)
        subs = []
        while allow_elem and self.peek().is_op("["):
            self.next()
            e, _ = self.read_sql((), ("]",), "expression")
            self.expect_op("]")
            subs.append(e)
        if subs:
            tgt = ("elem", tgt, subs)
        return tgt

    def targets(self) -> list[Any]:
        out = [self.target()]
        while self.accept_op(","):
            out.append(self.target())
        for tg in out:
            d = self.fn.datums[_base_dno(tg)]
            if d.constant:
                raise syntax_error(f'variable "{d.name}" is declared CONSTANT', 0)
        return out

    def if_stmt(self) -> N.Stmt:
        t = self.next()
        s = N.If(t.line)
        cond = self.expr_until("then")
        body = self.stmts(("elsif", "elseif", "else", "end"))
        s.conds.append((cond, body))
        while True:
            n = self.next()
            if n.is_kw("elsif", "elseif"):
                cond = self.expr_until("then")
                s.conds.append((cond, self.stmts(("elsif", "elseif", "else", "end"))))
            elif n.is_kw("else"):
                s.else_body = self.stmts(("end",))
            else:
                self.expect_kw("if")
                self.expect_op(";")
                return s

    def case_stmt(self) -> N.Stmt:
        t = self.next()
        s = N.Case(t.line)
        if not self.peek().is_kw("when"):
            s.expr = self.read_sql(("when",), (), "expression")[0]
            d = self.new_datum(f"__Case__Variable_{len(self.fn.datums)}__", "var", 0)
            s.var_dno = d.dno
        while self.accept_kw("when"):
            e = self.expr_until("then")
            if s.expr is not None:
                # WHEN a, b: the case value IN (a, b)
                fr = N.Frame(None, {"__case__": s.var_dno})
                e = N.PLExpr(f'"__case__" IN ({e.text})', e.ns + (fr,), e.offset, e.line,
                             mode="")
            s.whens.append((e, self.stmts(("when", "else", "end"))))
        if self.accept_kw("else"):
            s.else_body = self.stmts(("end",))
        self.expect_kw("end")
        self.expect_kw("case")
        self.expect_op(";")
        return s

    def loop(self, label: str | None) -> N.Stmt:
        t = self.next()
        labels = getattr(self, "_labels", [])
        self._labels = labels + [N.Frame(label)]
        self._loops = getattr(self, "_loops", 0) + 1
        pushed = False
        try:
            if t.is_kw("loop"):
                s: Any = N.Loop(t.line, label)
            elif t.is_kw("while"):
                s = N.While(t.line, label, self.expr_until("loop"))
                t = None
            elif t.is_kw("foreach"):
                tg = self.targets()
                s = N.ForEach(t.line, label, tg)
                if self.accept_kw("slice"):
                    n = self.next()
                    if n.kind != "number":
                        raise self.error_at(n)
                    s.slice = int(n.text)
                self.expect_kw("in")
                self.expect_kw("array")
                s.expr = self.expr_until("loop")
            else:
                s, pushed = self.for_head(t, label)
            s.body = self.stmts(("end",))
            self.expect_kw("end")
            self.expect_kw("loop")
            self.end_label(label)
            self.expect_op(";")
            return s
        finally:
            if pushed:
                self.ns.pop()
            self._labels = labels
            self._loops -= 1

    def for_head(self, t: Token, label: str | None) -> tuple[Any, bool]:
        first = self.peek()
        # FOR name IN [REVERSE] a .. b, or FOR targets IN query/EXECUTE
        save = self.i
        names = []
        while True:
            n = self.next()
            if n.kind not in ("word", "qword"):
                raise self.error_at(n)
            names.append(n)
            if not self.accept_op(","):
                break
        self.expect_kw("in")
        if self.peek().is_kw("execute"):
            self.i = save
            tg = self.targets()
            self.expect_kw("in")
            self.expect_kw("execute")
            q, term = self.read_sql(("loop", "using"), (), "expression")
            s = N.ForQuery(t.line, label, tg, dynquery=q)
            if self.accept_kw("using"):
                while True:
                    e, term = self.read_sql(("loop",), (",",), "expression")
                    s.params.append(e)
                    if not self.accept_op(","):
                        break
            self.expect_kw("loop")
            return s, False
        if len(names) == 1 and self.peek().kind in ("word", "qword"):
            ref = self.lookup([self.peek().text])
            cd = self.fn.datums[ref[0]] if ref is not None else None
            if cd is not None and cd.cursor_query is not None and (
                    self.peek(1).is_op("(") or self.peek(1).is_kw("loop")):
                self.next()
                args = self.cursor_args(cd, self.peek())
                self.expect_kw("loop")
                d = self.new_datum(names[0].text, "rec", RECORD)
                self.ns.append(N.Frame(label, {names[0].text: d.dno}))
                return N.ForCursor(t.line, label, d.dno, cd.dno, args), True
        reverse = False
        if self.peek().is_kw("reverse"):
            self.next()
            reverse = True
        # an integer loop has '..' at depth 0 before LOOP
        j, depth, is_int = self.i, 0, False
        while j < len(self.toks):
            x = self.toks[j]
            if x.kind == "eof":
                break
            if x.is_op("(", "["):
                depth += 1
            elif x.is_op(")", "]"):
                depth -= 1
            elif depth == 0 and x.is_kw("loop"):
                break
            elif depth == 0 and x.is_op(".."):
                is_int = True
                break
            j += 1
        if is_int or reverse:
            if len(names) != 1:
                raise syntax_error("integer FOR loop must have only one target variable",
                                   first.start)
            lower = self.expr_until("..")
            upper, term = self.read_sql(("loop", "by"), (), "expression")
            step = None
            if self.accept_kw("by"):
                step = self.read_sql(("loop",), (), "expression")[0]
            self.expect_kw("loop")
            # the loop variable is a new integer variable of its own block
            d = self.new_datum(names[0].text, "var", 23)
            self.ns.append(N.Frame(label, {names[0].text: d.dno}))
            return N.ForI(t.line, label, d.dno, lower, upper, step, reverse), True
        if len(names) == 1 and self.peek().kind in ("word", "qword") and \
                self.peek(1).is_kw("loop"):
            ref = self.lookup([self.peek().text])
            if ref is not None and self.fn.datums[ref[0]].type_oid == REFCURSOR:
                raise syntax_error("cursor FOR loop must use a bound cursor variable",
                                   self.peek().start)
        # a query loop: the targets must exist (a record or a list of scalars)
        self.i = save
        tg = []
        for n in names:
            ref = self.lookup([n.text])
            if ref is None:
                raise syntax_error('loop variable of loop over rows must be a record '
                                   'variable or list of scalar variables', n.start)
            tg.append(("var", ref[0]))
            self.next()
            self.accept_op(",")
        self.expect_kw("in")
        q = self.expr_until("loop")
        q.mode = "stmt"
        return N.ForQuery(t.line, label, tg, query=q), False

    # -- cursors ---------------------------------------------------------------------------

    def cursor_decl(self, name: str, options: int) -> N.Datum:
        """DECLARE name [NO] SCROLL CURSOR [(arg type, ...)] FOR|IS query."""
        frame = N.Frame(None)
        args: list[int] = []
        if self.accept_op("("):
            while True:
                a = self.next()
                if a.kind not in ("word", "qword"):
                    raise self.error_at(a)
                tstart = self.peek()
                depth, last = 0, None
                while not (depth == 0 and self.peek().is_op(",", ")")):
                    p = self.next()
                    if p.kind == "eof":
                        raise self.error_at(p)
                    depth += p.is_op("(") - p.is_op(")")
                    last = p
                if last is None:
                    raise self.error_at(self.peek())
                oid, typmod, kind = self.resolve_type(self.src[tstart.start:last.end], self,
                                                      tstart.start, tstart.line)
                d = self.new_datum(a.text, kind, oid, typmod)
                frame.names[a.text] = d.dno
                args.append(d.dno)
                if self.accept_op(")"):
                    break
                self.expect_op(",")
        if not self.accept_kw("for", "is"):
            raise self.error_at(self.peek())
        self.ns.append(frame)
        q = self.expr_until(";")
        self.ns.pop()
        q.mode = "stmt"
        return self.new_datum(name, "var", REFCURSOR, cursor_query=q,
                              cursor_args=args if args else None, cursor_options=options)

    def cursor_var(self) -> int:
        t = self.next()
        if t.kind not in ("word", "qword"):
            raise self.error_at(t)
        ref = self.lookup([t.text])
        if ref is None:
            raise syntax_error(f'"{t.text}" is not a known variable', t.start)
        if self.fn.datums[ref[0]].type_oid != REFCURSOR:
            raise syntax_error(f'variable "{t.text}" must be of type cursor or refcursor',
                               t.start)
        return ref[0]

    def cursor_args(self, d: N.Datum, at: Token) -> list[N.PLExpr] | None:
        """A bound cursor's argument list: positional or name := value."""
        if not d.cursor_args:
            if self.peek().is_op("("):
                raise syntax_error(f'cursor "{d.name}" has no arguments', self.peek().start)
            return None
        if not self.accept_op("("):
            raise syntax_error(f'cursor "{d.name}" has arguments', self.peek().start)
        names = [self.fn.datums[a].name for a in d.cursor_args]
        got: list[N.PLExpr | None] = [None] * len(names)
        k = 0
        while True:
            p = self.peek()
            if p.kind in ("word", "qword") and self.peek(1).is_op(":=", "=>"):
                if p.text not in names:
                    raise syntax_error(f'cursor "{d.name}" has no argument named "{p.text}"',
                                       p.start)
                idx = names.index(p.text)
                self.i += 2
            else:
                idx = k
            if idx >= len(names):
                raise syntax_error(f'too many arguments for cursor "{d.name}"', p.start)
            if got[idx] is not None:
                raise syntax_error(f'value for parameter "{names[idx]}" of cursor "{d.name}" '
                                   f'specified more than once', p.start)
            e, term = self.read_sql((), (",", ")"), "expression")
            got[idx] = e
            k += 1
            if self.accept_op(")"):
                break
            self.expect_op(",")
        if any(g is None for g in got):
            raise syntax_error(f'not enough arguments for cursor "{d.name}"', self.peek().start)
        return got  # type: ignore[return-value]

    def open_stmt(self) -> N.Stmt:
        t = self.next()
        c = self.cursor_var()
        d = self.fn.datums[c]
        s = N.Open(t.line, c, d.cursor_options)
        if d.cursor_query is not None:
            s.args = self.cursor_args(d, self.peek())
            self.expect_op(";")
            return s
        if self.peek().is_kw("no") and self.peek(1).is_kw("scroll"):
            self.i += 2
            s.options = CURSOR_OPT_NO_SCROLL
        elif self.accept_kw("scroll"):
            s.options = CURSOR_OPT_SCROLL
        self.expect_kw("for")
        if self.accept_kw("execute"):
            s.dynquery, term = self.read_sql(("using",), (";",), "expression")
            if self.accept_kw("using"):
                while True:
                    e, term = self.read_sql((), (",", ";"), "expression")
                    s.params.append(e)
                    if not self.accept_op(","):
                        break
            self.expect_op(";")
            return s
        s.query = self.expr_until(";")
        s.query.mode = "stmt"
        return s

    def fetch_stmt(self) -> N.Stmt:
        t = self.next()
        s = N.Fetch(t.line, is_move=t.text == "move")
        w = self.peek()

        def is_cursor_here() -> bool:
            p = self.peek()
            ref = self.lookup([p.text]) if p.kind in ("word", "qword") else None
            return ref is not None and self.fn.datums[ref[0]].type_oid == REFCURSOR and \
                (self.peek(1).is_op(";") or self.peek(1).is_kw("into"))
        if w.is_kw("next"):
            self.next()
        elif w.is_kw("prior"):
            self.next()
            s.direction = "FETCH_BACKWARD"
        elif w.is_kw("first"):
            self.next()
            s.direction = "FETCH_ABSOLUTE"
        elif w.is_kw("last"):
            self.next()
            s.direction, s.how_many = "FETCH_ABSOLUTE", -1
        elif w.is_kw("absolute", "relative"):
            self.next()
            s.direction = "FETCH_ABSOLUTE" if w.text == "absolute" else "FETCH_RELATIVE"
            s.count = self.read_sql(("from", "in"), (), "expression")[0]
        elif w.is_kw("forward", "backward"):
            self.next()
            s.direction = "FETCH_FORWARD" if w.text == "forward" else "FETCH_BACKWARD"
            if self.accept_kw("all"):
                s.how_many = FETCH_ALL
            elif not self.peek().is_kw("from", "in") and not is_cursor_here():
                s.count = self.read_sql(("from", "in"), (), "expression")[0]
        elif w.is_kw("all") and s.is_move:
            self.next()
            s.how_many = FETCH_ALL
        if not s.is_move and (s.how_many == FETCH_ALL or (
                s.count is not None and s.direction in ("FETCH_FORWARD", "FETCH_BACKWARD"))):
            raise syntax_error("FETCH statement cannot return multiple rows", w.start)
        self.accept_kw("from", "in")
        s.cursor = self.cursor_var()
        if not s.is_move:
            self.expect_kw("into")
            s.targets = self.targets()
        self.expect_op(";")
        return s

    def return_stmt(self) -> N.Stmt:
        t = self.next()
        fn = self.fn
        if self.peek().is_kw("next"):
            self.next()
            if not fn.retset:
                raise syntax_error("cannot use RETURN NEXT in a non-SETOF function", t.start)
            e, _ = self.read_sql((), (";",), allow_empty=True)
            self.next()
            s = N.ReturnNext(t.line, e if e.text else None)
            if fn.out_dnos and e.text:
                raise syntax_error("RETURN NEXT cannot have a parameter in function with "
                                   "OUT parameters", e.offset)
            return s
        if self.peek().is_kw("query"):
            self.next()
            if not fn.retset:
                raise syntax_error("cannot use RETURN QUERY in a non-SETOF function", t.start)
            if self.accept_kw("execute"):
                q, term = self.read_sql(("using",), (";",), "expression")
                s2 = N.ReturnQuery(t.line, dynquery=q)
                if self.accept_kw("using"):
                    while True:
                        e, term = self.read_sql((), (",", ";"), "expression")
                        s2.params.append(e)
                        if not self.accept_op(","):
                            break
                self.expect_op(";")
                return s2
            q = self.expr_until(";")
            q.mode = "stmt"
            return N.ReturnQuery(t.line, query=q)
        e, _ = self.read_sql((), (";",), allow_empty=True)
        if e.text:
            if fn.retset:
                err = syntax_error("RETURN cannot have a parameter in function returning set",
                                   e.offset)
                err.hint = "Use RETURN NEXT or RETURN QUERY."
                raise err
            if fn.ret_type == 2278 and not fn.is_proc:
                raise syntax_error("RETURN cannot have a parameter in function returning void",
                                   e.offset)
            if fn.is_proc:
                raise syntax_error("RETURN cannot have a parameter in a procedure", e.offset)
            if fn.out_dnos:
                raise syntax_error("RETURN cannot have a parameter in function with OUT "
                                   "parameters", e.offset)
        self.next()
        return N.Return(t.line, e if e.text else None)

    def raise_stmt(self) -> N.Stmt:
        t = self.next()
        s = N.Raise(t.line)
        if self.peek().is_op(";"):
            self.next()
            s.level = ""           # re-raise
            return s
        if self.peek().kind == "word" and self.peek().text in _LEVELS:
            s.level = self.next().text.upper()
        n = self.peek()
        if n.kind == "string":
            self.next()
            s.message = _string_value(n.text)
            while self.accept_op(","):
                e, _ = self.read_sql(("using",), (",", ";"), "expression")
                s.params.append(e)
            # the placeholders must match the parameters
            count = _count_placeholders(s.message)
            if count != len(s.params):
                raise PgError(SYNTAX_ERROR, f"too {'few' if count > len(s.params) else 'many'} "
                              f"parameters specified for RAISE")
        elif n.is_kw("sqlstate"):
            self.next()
            c = self.next()
            if c.kind != "string":
                raise self.error_at(c)
            s.sqlstate = _string_value(c.text)
            if len(s.sqlstate) != 5 or not all(x.isdigit() or "A" <= x <= "Z"
                                              for x in s.sqlstate):
                raise syntax_error("invalid SQLSTATE code", c.start)
        elif n.kind in ("word", "qword") and not n.is_kw("using"):
            self.next()
            from tuskdb.sql.pl.plerrcodes import BY_NAME
            if n.text not in BY_NAME:
                raise PgError("42704", f'unrecognized exception condition "{n.text}"')
            s.condname = n.text
        if self.accept_kw("using"):
            while True:
                o = self.next()
                if o.kind not in ("word", "qword") or o.text not in (
                        "message", "detail", "hint", "errcode", "column", "constraint",
                        "datatype", "table", "schema"):
                    raise syntax_error('unrecognized RAISE statement option',
                                       o.start)
                if not (self.accept_op("=") or self.accept_op(":=")):
                    raise self.error_at(self.peek())
                e, _ = self.read_sql((), (",", ";"), "expression")
                s.options.append((o.text, e))
                if not self.accept_op(","):
                    break
        self.expect_op(";")
        return s

    def execute_stmt(self) -> N.Stmt:
        t = self.next()
        q, term = self.read_sql(("into", "using"), (";",), "expression")
        s = N.DynExecute(t.line, q)
        while True:
            if self.accept_kw("into"):
                if s.targets is not None:
                    raise syntax_error("INTO specified more than once", self.peek().start)
                s.strict = self.accept_kw("strict")
                s.targets = self.targets()
            elif self.accept_kw("using"):
                while True:
                    e, term = self.read_sql(("into",), (",", ";"), "expression")
                    s.params.append(e)
                    if not self.accept_op(","):
                        break
            else:
                break
        self.expect_op(";")
        return s

    def getdiag_stmt(self) -> N.Stmt:
        t = self.next()
        stacked = False
        if self.accept_kw("stacked"):
            stacked = True
        else:
            self.accept_kw("current")
        self.expect_kw("diagnostics")
        s = N.GetDiag(t.line, stacked)
        while True:
            tg = self.target(False)
            if not (self.accept_op("=") or self.accept_op(":=")):
                raise self.error_at(self.peek())
            it = self.next()
            if it.kind != "word" or it.text not in _GET_ITEMS:
                raise self.error_at(it)
            if not stacked and it.text in _STACKED_ONLY:
                raise syntax_error(f"diagnostics item {it.text.upper()} is not allowed in GET "
                                   f"CURRENT DIAGNOSTICS", it.start)
            if stacked and it.text == "row_count":
                raise syntax_error("diagnostics item ROW_COUNT is not allowed in GET "
                                   "STACKED DIAGNOSTICS", it.start)
            s.items.append((tg, it.text))
            if not self.accept_op(","):
                break
        self.expect_op(";")
        return s

    def sql_stmt(self) -> N.Stmt:
        """An SQL statement up to ';', with its INTO clause taken out."""
        first = self.peek()
        kw = first.text if first.kind == "word" else ""
        depth = 0
        pieces: list[tuple[int, int]] = []
        seg_start = first.start
        targets = None
        strict = False
        prev: Token | None = None
        have_into_skip = kw in ("insert", "merge", "import")
        last_end = first.start
        while True:
            t = self.peek()
            if t.kind == "eof":
                raise syntax_error("syntax error at end of input", t.start)
            if depth == 0 and t.is_op(";"):
                break
            if t.is_op("("):
                depth += 1
            elif t.is_op(")"):
                depth -= 1
            if depth == 0 and t.is_kw("into") and targets is None:
                if have_into_skip and prev is not None and prev.is_kw("insert", "merge") \
                        or kw == "import":
                    pass
                elif kw not in ("create", "alter", "grant", "revoke", "comment", "do", "copy",
                                "refresh", "security"):
                    pieces.append((seg_start, t.start))
                    self.next()
                    strict = self.accept_kw("strict")
                    targets = self.targets()
                    seg_start = self.peek().start
                    prev = t
                    continue
            prev = self.next()
            last_end = prev.end
        pieces.append((seg_start, max(last_end, seg_start)))
        self.next()
        # the INTO clause is blanked out, so that positions in the text stay those of
        # the body (PostgreSQL does the same)
        text = self.src[first.start:last_end]
        for (a, b), (c, _) in zip(pieces, pieces[1:]):
            text = text[:b - first.start] + " " * (c - b) + text[c - first.start:]
        text = text.rstrip()
        e = N.PLExpr(text, self.snapshot(), first.start, first.line, mode="stmt")
        self.exprs.append(e)
        mod = kw in ("insert", "update", "delete", "merge")
        return N.ExecSQL(first.line, e, targets, strict, mod)


def check_sql(e: N.PLExpr) -> None:
    """PostgreSQL checks the syntax of every SQL text when it compiles the body
    (check_sql_expr): a syntax error points into the body."""
    from tuskdb.sql import parser
    if not e.mode:
        return
    prefix = "SELECT " if e.mode == "expr" else ""
    try:
        parser.parse(prefix + e.text)
    except PgError as err:
        if err.sqlstate != SYNTAX_ERROR:
            return
        if e.mode == "prefix" and "end of input" in err.message:
            return      # the statement goes on after its INTO clause
        if err.position is not None:
            err.body_offset = e.offset + err.position - 1 - len(prefix)  # type: ignore
            err.position = None
        else:
            err.body_offset = e.offset  # type: ignore[attr-defined]
        raise


def _base_dno(target: Any) -> int:
    while target[0] == "elem":
        target = target[1]
    return target[1]


def _string_value(raw: str) -> str:
    """The value of a string literal token."""
    if raw.startswith("$"):
        k = raw.index("$", 1)
        return raw[k + 1:len(raw) - k - 1]
    if raw[0] in "eE":
        from tuskdb.sql import parser
        stmts = parser.parse("SELECT " + raw)
        return stmts[0].body["targetList"][0]["ResTarget"]["val"]["A_Const"]["sval"]["sval"]
    if raw[0] == "'":
        return raw[1:-1].replace("''", "'")
    from tuskdb.sql import parser
    stmts = parser.parse("SELECT " + raw)
    c = stmts[0].body["targetList"][0]["ResTarget"]["val"]["A_Const"]
    return next(iter(c.values()))["sval"] if "sval" in c else str(c)


def _count_placeholders(fmt: str) -> int:
    n, i = 0, 0
    while i < len(fmt):
        if fmt[i] == "%":
            if i + 1 < len(fmt) and fmt[i + 1] == "%":
                i += 2
                continue
            n += 1
        i += 1
    return n
