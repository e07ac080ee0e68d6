"""COPY FROM STDIN / COPY TO STDOUT in text and CSV formats (PostgreSQL's copy.c).

COPY FROM parses complete lines as CopyData arrives, batches rows into
``Heap.multi_insert`` and adds their index entries; the first error is kept
and reported when the client ends the copy (PostgreSQL reports it at once and
then discards the rest of the data: the outcome for the client is the same).
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.engine.context import ExecContext
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (BAD_COPY_FILE_FORMAT, FEATURE_NOT_SUPPORTED,
                           OBJECT_NOT_IN_PREREQUISITE_STATE, QUERY_CANCELED, UNDEFINED_COLUMN,
                           PgError)

BATCH = 1000


def _options(body: dict) -> dict[str, Any]:
    opts: dict[str, Any] = {"format": "text", "delimiter": None, "null": None, "header": False,
                            "freeze": False, "quote": '"', "escape": None}
    for o in body.get("options") or []:
        d = o["DefElem"]
        name = d["defname"]
        arg = d.get("arg")
        val: Any = True
        if arg is not None:
            if "String" in arg:
                val = arg["String"]["sval"]
            elif "Boolean" in arg:
                val = arg["Boolean"].get("boolval", False)
            elif "Integer" in arg:
                val = bool(arg["Integer"].get("ival", 0))
            elif "A_Star" in arg:
                val = True
        if name in ("freeze", "header"):
            if isinstance(val, str):
                val = val.lower() in ("on", "true", "1", "yes")
            opts[name] = bool(val)
        elif name == "format":
            if val not in ("text", "csv", "binary"):
                raise PgError("22023", f'COPY format "{val}" not recognized')
            if val == "binary":
                raise PgError(FEATURE_NOT_SUPPORTED, "COPY BINARY is not supported")
            opts["format"] = val
        elif name in ("delimiter", "null", "quote", "escape"):
            opts[name] = val
        elif name == "encoding":
            continue
        else:
            raise PgError("42601", f'option "{name}" not recognized')
    if opts["delimiter"] is None:
        opts["delimiter"] = "," if opts["format"] == "csv" else "\t"
    if opts["null"] is None:
        opts["null"] = "" if opts["format"] == "csv" else "\\N"
    return opts


def copy(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    if body.get("is_program"):
        raise PgError(FEATURE_NOT_SUPPORTED, "COPY to or from an external program is not "
                      "supported")
    filename = body.get("filename")
    if filename is not None and not _is_superuser(s):
        if body.get("is_from"):
            raise PgError("42501", "must be superuser or have privileges of the "
                          "pg_read_server_files role to COPY from a file",
                          hint="Anyone can COPY to stdout or from stdin. psql's \\copy command "
                               "also works for anyone.")
        raise PgError("42501", "must be superuser or have privileges of the "
                      "pg_write_server_files role to COPY to a file",
                      hint="Anyone can COPY to stdout or from stdin. psql's \\copy command "
                           "also works for anyone.")
    opts = _options(body)
    if filename is not None:
        return _copy_file(s, raw, opts, filename)
    if body.get("whereClause"):
        raise PgError(FEATURE_NOT_SUPPORTED, "COPY FROM ... WHERE is not supported")
    if body.get("is_from"):
        return _copy_from(s, raw, opts)
    return _copy_to(s, raw, opts)


def _target(s: Any, raw: Any) -> tuple[Any, list[int]]:
    from tuskdb.sql.analyze.select import lookup_relation
    from tuskdb.sql.analyze.state import AnalyzeState

    body = raw.body
    state = AnalyzeState(s.catalog(), s, [], None, raw.source)
    rel = lookup_relation(body["relation"], state, False)
    if rel.relkind == "p" and not body.get("is_from"):
        raise PgError("42809", f'cannot copy from partitioned table "{rel.name}"',
                      hint="Try the COPY (SELECT ...) TO variant.")
    if rel.relkind not in ("r", "p"):
        raise PgError("42809", f'cannot copy {"from" if body.get("is_from") else "to"} '
                      f'relation "{rel.name}"' if rel.relkind != "S" else
                      f'cannot copy from sequence "{rel.name}"')
    cols = []
    for a in body.get("attlist") or []:
        name = a["String"]["sval"]
        c = rel.column(name)
        if c is None:
            raise PgError(UNDEFINED_COLUMN, f'column "{name}" of relation "{rel.name}" does not '
                          f"exist")
        if c.generated:
            raise PgError("55000", f'column "{name}" is a generated column',
                          detail="Generated columns cannot be used in COPY.")
        cols.append(rel.columns.index(c))
    if not cols:
        cols = [i for i, c in enumerate(rel.columns) if not c.dropped and not c.generated]
    return rel, cols


class CopyIn:
    """The receiving end of COPY FROM STDIN (the wire layer feeds it)."""

    def __init__(self, s: Any, rel: Any, cols: list[int], opts: dict[str, Any],
                 defaults: dict[int, Any], checks: list, modify: Any) -> None:
        self.s = s
        self.rel = rel
        self.cols = cols
        self.columns = len(cols)
        self.binary = False
        self.opts = opts
        self.buf = b""
        self.error: PgError | None = None
        self.count = 0
        self.lineno = 0
        self.batch: list[tuple] = []
        self.defaults = defaults
        self.modify = modify
        self.header_pending = opts["header"]
        self.autocommit = False
        self.ri: Any = None
        self.done = False
        self.tag = None
        width = len(rel.columns)
        self.width = width
        ctx = s.type_context
        self.inputs = [(c, types.TYPES[rel.columns[c].type_oid],
                        rel.columns[c].typmod, rel.columns[c].name) for c in cols]
        self.ctx = ctx

    def feed(self, data: bytes) -> None:
        if self.error is not None:
            return
        with self.s.db.latch:
            self.buf += data
            if len(self.buf) < 65536:
                return
            try:
                self._consume(final=False)
            except PgError as err:
                self.error = err

    def _consume(self, final: bool) -> None:
        buf = self.buf
        end = buf.rfind(b"\n") if not final else len(buf)
        if end < 0:
            return
        chunk = buf[:end]
        self.buf = buf[end + 1:] if not final else b""
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            raise PgError("22021", 'invalid byte sequence for encoding "UTF8"') from None
        csv = self.opts["format"] == "csv"
        lines = _csv_records(text) if csv else text.split("\n")
        for line in lines:
            if line.endswith("\r"):
                line = line[:-1]
            if final and line == "" and not csv:
                continue
            self.lineno += 1
            if self.header_pending:
                self.header_pending = False
                continue
            if line == "\\.":
                continue
            self._row(line, csv)
        if len(self.batch) >= BATCH or final:
            self._flush()

    def _row(self, line: str, csv: bool) -> None:
        fields = _csv_fields(line, self.opts) if csv else _text_fields(line, self.opts)
        if len(fields) > len(self.inputs):
            raise self._err(PgError(BAD_COPY_FILE_FORMAT, "extra data after last expected "
                                    "column"))
        if len(fields) < len(self.inputs):
            name = self.inputs[len(fields)][3]
            raise self._err(PgError(BAD_COPY_FILE_FORMAT, f'missing data for column "{name}"'))
        vals = [None] * self.width
        ctx = self.ctx
        for (c, t, typmod, name), f in zip(self.inputs, fields):
            if f is None:
                if t.typtype == "d":                    # domain_in of NULL: NOT NULL/CHECK
                    try:
                        from tuskdb.types.usertypes import domain_null_input
                        domain_null_input(t, ctx)
                    except PgError as err:
                        err.context = f"COPY {self.rel.name}, line {self.lineno}, column " \
                                      f"{name}: null input"
                        raise
                continue
            try:
                v = t.input(f, typmod, ctx)
                if typmod >= 0:
                    v = t.coerce_typmod(v, typmod, False)
            except PgError as err:
                raise self._err(err, name, f) from None
            vals[c] = v
        self.batch.append(vals)
        if self.modify.router is not None or self.modify.partcheck is not None:
            # routed rows go one at a time so that an error names its line
            try:
                self._flush()
            except PgError as err:
                if not getattr(err, "context", None):
                    err.context = f'COPY {self.rel.name}, line {self.lineno}: "{line}"'
                raise
        elif len(self.batch) >= BATCH:
            self._flush()

    def _err(self, err: PgError, column: str | None = None, value: str | None = None
             ) -> PgError:
        where = f"COPY {self.rel.name}, line {self.lineno}"
        if column is not None:
            where += f', column {column}: "{value}"'
        err.context = where
        return err

    def _flush(self) -> None:
        if not self.batch:
            return
        s = self.s
        ectx = ExecContext(s, s.txn, None)
        rows = []
        for vals in self.batch:
            for c, f in self.defaults.items():
                vals[c] = f((), ectx)
            rows.append(tuple(vals))
        self.batch = []
        m = self.modify
        if m.generated:
            rows = [m._generate(r, ectx) for r in rows]
        if m.router is not None:
            # a partitioned table: each row goes to the partition that accepts it
            from tuskdb.sql.execute.ri import RIChecker
            if self.ri is None:
                self.ri = RIChecker(ectx)
            m.ri = self.ri
            for r in rows:
                m.insert_routed_row(r, ectx, [])
            self.count += len(rows)
            return
        for r in rows:
            m._check_row(r, ectx)
            if m.partcheck is not None:
                m._check_partition(r, ectx)
        heap = ectx.heap(self.rel)
        tids = heap.multi_insert(s.txn, [m._stored(r) for r in rows])
        if self.rel.indexes:
            for r, tid in zip(rows, tids):
                m._index_insert(r, tid, ectx)
        if self.rel.fkeys:
            from tuskdb.sql.execute.ri import RIChecker
            if self.ri is None:
                self.ri = RIChecker(ectx)
            for r in rows:
                self.ri.child_row(self.rel, r)
        self.count += len(rows)

    def finish(self) -> str:
        s = self.s
        with s.db.latch:
            try:
                if self.error is None:
                    try:
                        self._consume(final=True)
                        self._flush()
                    except PgError as err:
                        self.error = err
                if self.error is not None:
                    raise self.error
                if self.ri is not None and self.ri.pending:
                    s.txn.command_counter_increment()
                    self.ri.ctx.snapshot = s.txn.snapshot()
                    self.ri.finish()
                s.note_insert(self.rel, self.count)
                s.txn.command_counter_increment()
                self.tag = f"COPY {self.count}"
                if self.autocommit and s.block == "implicit":
                    s._finish_txn(True)
                return self.tag
            except PgError:
                s._on_error()
                raise
            finally:
                s._end_statement()

    def fail(self, message: str) -> None:
        s = self.s
        with s.db.latch:
            s._on_error()
            s._end_statement()
        raise PgError(QUERY_CANCELED, f"COPY from stdin failed: {message}")


def _is_superuser(s: Any) -> bool:
    from tuskdb.catalog.rows import COLUMN_POS
    for _, row in s.catalog().find("pg_authid", rolname=s.user):
        return bool(row[COLUMN_POS["pg_authid"]["rolsuper"]])
    return False


def _copy_file(s: Any, raw: Any, opts: dict[str, Any], filename: str) -> QueryResult:
    """COPY ... FROM/TO a file on the server (superusers only)."""
    import os
    body = raw.body
    if not os.path.isabs(filename):
        raise PgError("42602", "relative path not allowed for COPY to file") \
            if not body.get("is_from") else PgError(
                "58P01", f'could not open file "{filename}" for reading: No such file or '
                f"directory")
    if body.get("is_from"):
        try:
            with open(filename, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            raise PgError("58P01", f'could not open file "{filename}" for reading: No such file '
                          f"or directory", hint="COPY FROM instructs the PostgreSQL server "
                          "process to read a file. You may want a client-side facility such as "
                          "psql's \\copy.") from None
        except OSError as err:
            raise PgError("58030", f'could not open file "{filename}" for reading: '
                          f"{err.strerror}") from None
        res = _copy_from(s, raw, opts)
        cin = res.copy_in
        cin.buf = data
        cin.in_statement = True
        try:
            cin._consume(final=True)
            cin._flush()
        except PgError as err:
            cin.error = err
        if cin.error is not None:
            raise cin.error
        if cin.ri is not None and cin.ri.pending:
            s.txn.command_counter_increment()
            cin.ri.finish()
        s.note_insert(cin.rel, cin.count)
        return QueryResult(tag=f"COPY {cin.count}")
    res = _copy_to(s, raw, opts)
    try:
        with open(filename, "wb") as f:
            for line in res.copy_out.lines:
                f.write(line)
    except OSError as err:
        raise PgError("58030", f'could not open file "{filename}" for writing: '
                      f"{err.strerror}") from None
    return QueryResult(tag=res.tag)


def _text_fields(line: str, opts: dict[str, Any]) -> list[str | None]:
    delim = opts["delimiter"]
    null = opts["null"]
    out: list[str | None] = []
    for raw in line.split(delim):
        if raw == null:
            out.append(None)
        elif "\\" in raw:
            out.append(_unescape(raw))
        else:
            out.append(raw)
    return out


_ESC = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _unescape(s: str) -> str:
    out = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch != "\\" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        nx = s[i + 1]
        if nx in _ESC:
            out.append(_ESC[nx])
            i += 2
        elif nx in "01234567":
            j = i + 1
            while j < n and j < i + 4 and s[j] in "01234567":
                j += 1
            out.append(chr(int(s[i + 1:j], 8)))
            i = j
        elif nx == "x" and i + 2 < n and s[i + 2] in "0123456789abcdefABCDEF":
            j = i + 2
            while j < n and j < i + 4 and s[j] in "0123456789abcdefABCDEF":
                j += 1
            out.append(chr(int(s[i + 2:j], 16)))
            i = j
        else:
            out.append(nx)
            i += 2
    return "".join(out)


def _csv_records(text: str) -> list[str]:
    """Split CSV text into records, keeping newlines inside quotes."""
    out, cur, inq = [], [], False
    for ch in text:
        if ch == '"':
            inq = not inq
        if ch == "\n" and not inq:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _csv_fields(line: str, opts: dict[str, Any]) -> list[str | None]:
    delim, quote, null = opts["delimiter"], opts["quote"], opts["null"]
    esc = opts["escape"] or quote
    out: list[str | None] = []
    i, n = 0, len(line)
    while True:
        field = []
        quoted = False
        while i < n and line[i] != delim:
            ch = line[i]
            if ch == quote:
                quoted = True
                i += 1
                while i < n:
                    c = line[i]
                    if c == esc and i + 1 < n and line[i + 1] == quote:
                        field.append(quote)
                        i += 2
                    elif c == quote:
                        i += 1
                        break
                    else:
                        field.append(c)
                        i += 1
            else:
                field.append(ch)
                i += 1
        val = "".join(field)
        out.append(None if (not quoted and val == null) else val)
        if i >= n:
            break
        i += 1
    return out


def _copy_from(s: Any, raw: Any, opts: dict[str, Any]) -> QueryResult:
    from tuskdb.sql.analyze.dml import column_default, rel_checks
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.execute.modify import ModifyTable
    from tuskdb.sql.expr import compile_expr

    rel, cols = _target(s, raw)
    txn = s.txn
    txn.lock_relation(s.dboid, rel.oid, 3)      # RowExclusiveLock
    if opts["freeze"]:
        if rel.oid not in getattr(txn, "truncated", set()) and \
                rel.oid not in getattr(txn, "created", set()):
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, "cannot perform COPY FREEZE because "
                          "the table was not created or truncated in the current subtransaction")
    state = AnalyzeState(s.catalog(), s, [], None, raw.source)
    rt = state.next_rt()
    defaults = {}
    for i, c in enumerate(rel.columns):
        if i not in cols and not c.dropped and (c.default is not None or
                                                 c.type_oid >= 16384):
            d = column_default(c, rel, rt, state)      # a domain column: the domain's
            if c.default is None and getattr(d, "value", 0) is None:
                continue
            defaults[i] = compile_expr(d, {})
    layout = {(rt, i): i for i in range(len(rel.columns) + 2)}
    checks = [(n, compile_expr(e, layout)) for n, e in rel_checks(rel, rt, state)]
    modify = ModifyTable("INSERT", rel, None, None, checks, None)
    if any(c.generated for c in rel.columns):
        from tuskdb.sql.execute.modify import _generated_for
        from tuskdb.engine.context import ExecContext
        modify.set_generated(_generated_for(ExecContext(s, txn, None), rel))
    if rel.relkind == "p" or rel.partbound is not None:
        from tuskdb.sql.analyze.partition import build_partition_check, build_router
        if rel.relkind == "p":
            modify.router = build_router(state, rel)
        if rel.partbound is not None:
            modify.partcheck = build_partition_check(state, rel)
    cin = CopyIn(s, rel, cols, opts, defaults, checks, modify)
    return QueryResult(copy_in=cin, tag="COPY")


class CopyOut:
    def __init__(self, lines: list[bytes], columns: int) -> None:
        self.lines = lines
        self.columns = columns
        self.binary = False
        self.tag = f"COPY {len(lines)}"

    def __iter__(self):
        return iter(self.lines)


def _copy_to(s: Any, raw: Any, opts: dict[str, Any]) -> QueryResult:
    body = raw.body
    if body.get("query") is not None:
        from tuskdb.sql.parser import RawStmt
        q = RawStmt(body["query"], 0, 0, raw.source)
        if q.kind not in ("SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt",
                          "MergeStmt"):
            raise PgError(FEATURE_NOT_SUPPORTED, f"COPY ({q.kind}) TO is not supported")
        cp = s._plan(q, [])
        if cp.fields is None:       # INSERT/UPDATE/DELETE/MERGE without RETURNING
            raise PgError(FEATURE_NOT_SUPPORTED, "COPY query must have a RETURNING clause")
        res = s._run_plan(cp, [])
        type_oids = [f.type_oid for f in cp.fields]
        rows = res.rows
    else:
        rel, cols = _target(s, raw)
        ctx = ExecContext(s, s.txn, s.txn.snapshot())
        rows = [tuple(values[c] for c in cols) for _, values in ctx.heap(rel).scan(ctx.snapshot)]
        type_oids = [rel.columns[c].type_oid for c in cols]
    outs = [types.TYPES[t].output for t in type_oids]
    ctx = s.type_context
    csv = opts["format"] == "csv"
    delim = opts["delimiter"]
    null = opts["null"]
    lines = []
    if opts["header"]:
        names = [f.name for f in cp.fields] if body.get("query") is not None else \
            [rel.columns[c].name for c in cols]
        lines.append((delim.join(names) + "\n").encode())
    for row in rows:
        parts = []
        for v, out in zip(row, outs):
            if v is None:
                parts.append(null)
                continue
            text = out(v, ctx)
            if csv:
                if any(ch in text for ch in (delim, '"', "\n", "\r")) or text == null:
                    text = '"' + text.replace('"', '""') + '"'
            else:
                text = _escape(text, delim)
            parts.append(text)
        lines.append((delim.join(parts) + "\n").encode())
    return QueryResult(copy_out=CopyOut(lines, len(outs)), tag=f"COPY {len(rows)}")


def _escape(text: str, delim: str) -> str:
    if not any(c in text for c in ("\\", "\n", "\r", "\t", delim)):
        return text
    out = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") \
        .replace("\t", "\\t")
    if delim != "\t":
        out = out.replace(delim, "\\" + delim)
    return out
