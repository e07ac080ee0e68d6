"""COPY FROM STDIN / COPY TO STDOUT in text and CSV formats (PostgreSQL's copy.c).

COPY FROM parses complete lines as CopyData arrives, batches rows into
``Heap.multi_insert`` and adds their index entries; the first error is kept
and reported when the client ends the copy (PostgreSQL reports it at once and
then discards the rest of the data: the outcome for the client is the same).
"""

from __future__ import annotations

import re
import struct
from typing import Any

from tuskdb import types
from tuskdb.engine.context import ExecContext
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (BAD_COPY_FILE_FORMAT, FEATURE_NOT_SUPPORTED,
                           OBJECT_NOT_IN_PREREQUISITE_STATE, QUERY_CANCELED, UNDEFINED_COLUMN,
                           PgError)

BATCH = 1000
INDEX_CONFLICTS = ("23505", "23P01")    # unique and exclusion violations
PG_READ_SERVER_FILES, PG_WRITE_SERVER_FILES, PG_EXECUTE_SERVER_PROGRAM = 4569, 4570, 4571
BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_INT16 = struct.Struct(">h")
_INT32 = struct.Struct(">i")
_TEXT_SPECIAL = re.compile(r"[\\\r\n]")


_ANYONE_HINT = "Anyone can COPY to stdout or from stdin. psql's \\copy command also works " \
    "for anyone."


def copy(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    filename = body.get("filename")
    if filename is not None:
        _check_server_side(s, bool(body.get("is_program")), bool(body.get("is_from")))
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.commands.copyopts import process_copy_options
    opts = process_copy_options(body, bool(body.get("is_from")),
                                AnalyzeState(None, s, [], None, raw.source).pos)
    query = body.get("query")
    if query is not None and "SelectStmt" in query and _has_into(query["SelectStmt"]):
        raise PgError(FEATURE_NOT_SUPPORTED, "COPY (SELECT INTO) is not supported")
    if filename is not None:
        if body.get("is_program"):
            return _copy_program(s, raw, opts, filename)
        return _copy_file(s, raw, opts, filename)
    if body.get("is_from"):
        return _copy_from(s, raw, opts)
    return _copy_to(s, raw, opts)


def _check_server_side(s: Any, program: bool, is_from: bool) -> None:
    """COPY to or from a server file or program needs the privileges of the
    pg_read_server_files / pg_write_server_files / pg_execute_server_program role."""
    from tuskdb.catalog.aclchk import has_privs_of_role
    cat = s.catalog()
    uid, is_super = s._role_facts(cat)
    if is_super:
        return
    if program:
        if not has_privs_of_role(cat, uid, PG_EXECUTE_SERVER_PROGRAM):
            raise PgError("42501", "permission denied to COPY to or from an external program",
                          detail='Only roles with privileges of the "pg_execute_server_program" '
                                 "role may COPY to or from an external program.",
                          hint=_ANYONE_HINT)
    elif is_from:
        if not has_privs_of_role(cat, uid, PG_READ_SERVER_FILES):
            raise PgError("42501", "permission denied to COPY from a file",
                          detail='Only roles with privileges of the "pg_read_server_files" role '
                                 "may COPY from a file.", hint=_ANYONE_HINT)
    elif not has_privs_of_role(cat, uid, PG_WRITE_SERVER_FILES):
        raise PgError("42501", "permission denied to COPY to a file",
                      detail='Only roles with privileges of the "pg_write_server_files" role may '
                             "COPY to a file.", hint=_ANYONE_HINT)


def _has_into(sel: dict) -> bool:
    """Whether a SELECT has an INTO clause (a set operation's is on its leftmost arm)."""
    while sel is not None:
        if sel.get("intoClause"):
            return True
        larg = sel.get("larg")
        sel = larg.get("SelectStmt", larg) if isinstance(larg, dict) else None
    return False


def _target(s: Any, raw: Any, freeze: bool = False) -> tuple[Any, list[int]]:
    from tuskdb.sql.analyze.select import lookup_relation
    from tuskdb.sql.analyze.state import AnalyzeState

    body = raw.body
    state = AnalyzeState(s.catalog(), s, [], None, raw.source)
    rel = lookup_relation(body["relation"], state, False)
    if not body.get("is_from") and rel.relkind == "m" and rel.extra.get("unpopulated"):
        raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f"cannot copy from unpopulated "
                      f'materialized view "{rel.name}"',
                      hint="Use the REFRESH MATERIALIZED VIEW command.")
    if not body.get("is_from") and rel.relkind not in ("r", "m"):
        what = {"v": "view", "m": "materialized view", "f": "foreign table",
                "p": "partitioned table", "S": "sequence"}.get(rel.relkind, "non-table relation")
        raise PgError("42809", f'cannot copy from {what} "{rel.name}"',
                      hint="Try the COPY (SELECT ...) TO variant."
                      if rel.relkind in ("v", "m", "f", "p") else None)
    cols = []
    for a in body.get("attlist") or []:
        name = a["String"]["sval"]
        c = rel.column(name)
        if c is None:
            raise PgError(UNDEFINED_COLUMN, f'column "{name}" of relation "{rel.name}" does not '
                          f"exist")
        if rel.columns.index(c) in cols:
            raise PgError("42701", f'column "{name}" specified more than once')
        if c.generated:
            raise PgError("55000", f'column "{name}" is a generated column',
                          detail="Generated columns cannot be used in COPY.")
        cols.append(rel.columns.index(c))
    if not cols:
        cols = [i for i, c in enumerate(rel.columns) if not c.dropped and not c.generated]
    # COPY TO reads the columns (SELECT), COPY FROM writes them (INSERT)
    from tuskdb.catalog.aclchk import PermInfo, exec_check_permissions
    uid, is_super = s._role_facts(state.catalog)
    if not is_super:
        perm = PermInfo(rel, "a" if body.get("is_from") else "r")
        if body.get("is_from"):
            perm.inserted = {i + 1 for i in cols}
        else:
            perm.selected = {i + 1 for i in cols}
        exec_check_permissions(state.catalog, [perm], uid)
    return rel, cols


def file_encoding(s: Any, opts: Any) -> int:
    """The encoding of COPY's data: the ENCODING option, else the client's (SQL_ASCII
    data is taken as it comes, that is as the server's UTF8)."""
    from tuskdb.types.encoding import SQL_ASCII, UTF8, char_to_encoding
    enc = opts.encoding if opts.encoding >= 0 else \
        char_to_encoding(s.settings.get("client_encoding") or "UTF8")
    return UTF8 if enc in (SQL_ASCII, -1) else enc


def _force_positions(names: list[str] | None, every: bool, label: str,
                     colnames: list[str], all_names: list[str], relname: str | None) -> set[int]:
    """The positions (in the COPY column list) of a FORCE_* option's columns."""
    if every:
        return set(range(len(colnames)))
    out: set[int] = set()
    seen: set[str] = set()
    for name in names or []:
        if name not in all_names:
            raise PgError(UNDEFINED_COLUMN, f'column "{name}" of relation "{relname}" does not '
                          f"exist" if relname is not None else f'column "{name}" does not exist')
        if name in seen:
            raise PgError("42701", f'column "{name}" specified more than once')
        seen.add(name)
        if name not in colnames:
            raise PgError("42P10", f'{label} column "{name}" not referenced by COPY')
        out.add(colnames.index(name))
    return out


class _Default:
    """A field that matched the DEFAULT string: the column's default goes in."""


DEFAULT_MARKER = _Default()


class CopyIn:
    """The receiving end of COPY FROM STDIN (the wire layer feeds it)."""

    def __init__(self, s: Any, rel: Any, cols: list[int], opts: dict[str, Any],
                 defaults: dict[int, Any], checks: list, modify: Any) -> None:
        self.s = s
        self.rel = rel
        self.cols = cols
        self.columns = len(cols)
        self.binary = opts.format == "binary"
        self.header_done = False        # binary format: the file header was read
        self.opts = opts
        self.buf = b""
        self.error: PgError | None = None
        self.count = 0
        self.lineno = 0
        self.batch: list[tuple] = []
        self.batch_lines: list[int] = []    # the line each batched row was read from
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
        colnames = [rel.columns[c].name for c in cols]
        all_names = [c.name for c in rel.columns if not c.dropped]
        self.force_notnull = _force_positions(opts.force_notnull, opts.force_notnull_all,
                                              "FORCE_NOT_NULL", colnames, all_names, rel.name)
        self.force_null = _force_positions(opts.force_null, opts.force_null_all, "FORCE_NULL",
                                           colnames, all_names, rel.name)
        self.col_defaults: dict[int, Any] = {}     # column -> compiled default (DEFAULT marker)
        self.file_encoding = file_encoding(s, opts)
        self.where: Any = None                     # COPY FROM ... WHERE, compiled
        self.skipped = 0
        self.text = ""          # decoded data not yet read as lines
        self.eol: str | None = None     # the data's line endings: NL, CR or CRNL
        self.eof = False        # the end-of-copy marker was read
        self.quote = opts.quote or '"'
        esc = opts.escape or self.quote
        self.escape = "" if esc == self.quote else esc
        self.csv_special = re.compile("[" + re.escape(self.quote + self.escape) + "\r\n]")

    def feed(self, data: bytes) -> None:
        if self.error is not None:
            return
        if self.eof:
            if self.binary and data:
                self.error = self._line_error("received copy data after EOF marker")
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
        """Read the complete lines buffered so far (all of them when the data has ended)
        and insert their rows."""
        if self.eof:                    # after the end-of-copy marker nothing is read
            self.buf = b""
            self.text = ""
            self._flush()
            return
        if self.binary:
            self._consume_binary(final)
            if len(self.batch) >= BATCH or final:
                self._flush()
            return
        buf = self.buf
        end = len(buf) if final else max(buf.rfind(b"\n"), buf.rfind(b"\r")) + 1
        if end > 0:
            self.text += self._decode(buf[:end])
            self.buf = buf[end:]
        csv = self.opts["format"] == "csv"
        text = self.text
        if self.eol in (None, "NL") and "\r" not in text and \
                (self.quote not in text if csv else "\\" not in text):
            # the common case: no quotes, escapes or carriage returns
            parts = text.split("\n")
            rest = parts.pop()
            if parts:
                self.eol = "NL"
            for line in parts:
                self.lineno += 1
                self._line(line, csv)
            if final and rest:
                self.lineno += 1
                self._line(rest, csv)
                rest = ""
            self.text = rest
        else:
            pos = 0
            read = self._csv_line if csv else self._text_line
            while True:
                got = read(text, pos, final)
                if got is None:
                    break
                line, pos = got
                self._line(line, csv)
            self.text = "" if self.eof else text[pos:]
        if len(self.batch) >= BATCH or final:
            self._flush()

    def _consume_binary(self, final: bool) -> None:
        """Read the complete tuples of binary-format data buffered so far: the file header
        first, then per tuple an int16 field count (-1 ends the data) and per field an
        int32 length (-1 is NULL) and the type's binary representation."""
        buf = self.buf
        n = len(buf)
        pos = 0
        if not self.header_done:
            got = _binary_header(buf, final)
            if got is None:
                return
            pos = got
            self.header_done = True
        ncols = len(self.inputs)
        while not self.eof and n - pos >= 2:
            count = _INT16.unpack_from(buf, pos)[0]
            if count == -1:
                # the trailer: the data must end with it
                self.lineno += 1
                if n > pos + 2:
                    raise self._line_error("received copy data after EOF marker")
                self.eof = True
                pos += 2
                break
            if count != ncols:
                self.lineno += 1
                raise self._line_error(f"row field count is {count}, expected {ncols}")
            p = pos + 2
            fields: list[bytes | None] = []
            complete = True
            for k in range(count):
                if n - p < 4:
                    complete = False
                    break
                size = _INT32.unpack_from(buf, p)[0]
                p += 4
                if size == -1:
                    fields.append(None)
                    continue
                if size < -1:
                    self.lineno += 1
                    raise self._line_error("invalid field size", column=self.inputs[k][3])
                if n - p < size:
                    complete = False
                    break
                fields.append(buf[p:p + size])
                p += size
            if not complete:
                if final:
                    self.lineno += 1
                    raise self._line_error("unexpected EOF in COPY data",
                                           column=self.inputs[len(fields)][3])
                break
            pos = p
            self.lineno += 1
            self._binary_row(fields)
        self.buf = b"" if self.eof else buf[pos:]

    def _binary_row(self, fields: list[bytes | None]) -> None:
        vals = [None] * self.width
        ctx = self.ctx
        for (c, t, typmod, name), raw in zip(self.inputs, fields):
            try:
                if raw is None:
                    if t.typtype == "d":                # domain_recv of NULL
                        from tuskdb.types.usertypes import domain_null_input
                        domain_null_input(t, ctx)
                    continue
                v = t.recv(raw, typmod, ctx)
                if typmod >= 0:
                    v = t.coerce_typmod(v, typmod, False)
                if t.typtype == "d":
                    hooks = getattr(ctx, "session_hooks", None)
                    if hooks is not None:
                        v = hooks.check_domain(t.oid, v)
            except PgError as err:
                if self._skip(err, name, None):
                    return
                err.context = f"COPY {self.rel.name}, line {self.lineno}, column {name}"
                raise
            vals[c] = v
        self._add_row(vals, None)

    def _line(self, line: str, csv: bool) -> None:
        if self.header_pending:
            self.header_pending = False
            if self.opts.header_match:
                self._match_header(line, csv)
            return
        self._row(line, csv)

    def _line_error(self, message: str, hint: str | None = None,
                    column: str | None = None) -> PgError:
        where = f"COPY {self.rel.name}, line {self.lineno}"
        if column is not None:
            where += f", column {column}"
        return PgError(BAD_COPY_FILE_FORMAT, message, hint=hint, context=where)

    def _eol_error(self, cr: bool, csv: bool) -> PgError:
        """A carriage return or newline that does not match the data's line endings."""
        what = "carriage return" if cr else "newline"
        if csv:
            return self._line_error(f"unquoted {what} found in data",
                                    f"Use quoted CSV field to represent {what}.")
        return self._line_error(f"literal {what} found in data",
                                f'Use "\\{"r" if cr else "n"}" to represent {what}.')

    def _eol(self, text: str, pos: int, j: int, final: bool, lineno: int,
             csv: bool) -> tuple[str, int] | None:
        """The line ending at text[j] (a carriage return or newline outside quotes): the
        line and where the next one starts; None: the next character must be seen first.
        The first line ending sets the style (\\n, \\r or \\r\\n) every other must match."""
        n = len(text)
        if text[j] == "\r":
            if self.eol in (None, "CRNL"):
                if j + 1 >= n and not final:
                    return None
                self.lineno = lineno
                if j + 1 < n and text[j + 1] == "\n":
                    self.eol = "CRNL"
                    return text[pos:j], j + 2
                if self.eol == "CRNL":
                    raise self._eol_error(True, csv)
                self.eol = "CR"
            elif self.eol == "NL":
                self.lineno = lineno
                raise self._eol_error(True, csv)
            self.lineno = lineno
            return text[pos:j], j + 1
        self.lineno = lineno
        if self.eol in ("CR", "CRNL"):
            raise self._eol_error(False, csv)
        self.eol = "NL"
        return text[pos:j], j + 1

    def _text_line(self, text: str, pos: int, final: bool) -> tuple[str, int] | None:
        """The next text-format line from text[pos:] and where the one after starts (None:
        no complete line yet, or the end-of-copy marker). A backslash escapes the next
        character, line endings included; \\. alone on a line ends the data."""
        n = len(text)
        if pos >= n:
            return None
        lineno = self.lineno + 1
        i = pos
        search = _TEXT_SPECIAL.search
        while True:
            m = search(text, i)
            if m is None:
                if not final:
                    return None
                self.lineno = lineno
                return text[pos:], n
            j = m.start()
            c = text[j]
            if c != "\\":
                return self._eol(text, pos, j, final, lineno, False)
            if j + 1 >= n:
                if not final:
                    return None
                i = n
                continue
            if text[j + 1] != ".":
                i = j + 2
                continue
            # the end-of-copy marker: alone on its line, ended like the other lines
            if j != pos:
                self.lineno = lineno
                raise self._line_error("end-of-copy marker is not alone on its line")
            if not final and (j + 2 >= n or text[j + 2] == "\r" and self.eol == "CRNL"
                              and j + 3 >= n):
                return None
            self.lineno = lineno
            c3 = text[j + 2] if j + 2 < n else ""
            if c3 == "\r":
                if self.eol == "NL":
                    raise self._line_error("end-of-copy marker does not match previous "
                                           "newline style")
                if self.eol == "CRNL" and text[j + 3:j + 4] != "\n":
                    raise self._line_error("end-of-copy marker is not alone on its line")
            elif c3 == "\n":
                if self.eol in ("CR", "CRNL"):
                    raise self._line_error("end-of-copy marker does not match previous "
                                           "newline style")
            else:
                raise self._line_error("end-of-copy marker is not alone on its line")
            self.eof = True
            return None

    def _csv_line(self, text: str, pos: int, final: bool) -> tuple[str, int] | None:
        """The next CSV record from text[pos:] (line endings inside quotes are data; each
        one counts as a line) and where the one after starts; None: no complete record
        yet. At the end of the data an open quote takes the rest (the fields' reader
        reports it unterminated)."""
        n = len(text)
        if pos >= n:
            return None
        quote, esc = self.quote, self.escape
        lineno = self.lineno + 1
        in_quote = last_was_esc = False
        inner_eol = "\n" if self.eol == "NL" else "\r"
        i = pos
        search = self.csv_special.search
        while True:
            m = search(text, i)
            if m is None:
                if not final:
                    return None
                self.lineno = lineno
                return text[pos:], n
            j = m.start()
            c = text[j]
            if j > i:
                last_was_esc = False
            if c == "\r" and j + 1 >= n and not final:
                return None
            if in_quote and c == esc:
                last_was_esc = not last_was_esc
            if c == quote and not last_was_esc:
                in_quote = not in_quote
            if c != esc:
                last_was_esc = False
            if c in "\r\n" and c != quote and c != esc:
                if not in_quote:
                    return self._eol(text, pos, j, final, lineno, True)
                if c == inner_eol:
                    lineno += 1
            i = j + 1

    def _decode(self, chunk: bytes) -> str:
        """The data as text: read in the file's encoding (ENCODING, else client_encoding)
        and verified; an error names the line it is on."""
        from tuskdb.types.encoding import UTF8, _convert
        enc = self.file_encoding
        if enc == UTF8:
            try:
                return chunk.decode("utf-8")
            except UnicodeDecodeError:
                pass
        out = []
        base = self.lineno + self.text.count("\n")
        for k, raw in enumerate(chunk.split(b"\n")):
            try:
                out.append(_convert(raw, enc, UTF8).decode("utf-8"))
            except PgError as err:
                err.context = f"COPY {self.rel.name}, line {base + k + 1}"
                raise
        return "\n".join(out)

    def _row(self, line: str, csv: bool) -> None:
        opts = self.opts
        if csv:
            try:
                fields = _csv_fields(line, opts, self.force_notnull, self.force_null)
            except PgError as err:
                raise self._err(err, line=line) from None
        else:
            try:
                fields = _text_fields(line, opts)
            except PgError as err:
                raise self._err(err, line=line) from None
        if len(fields) > len(self.inputs):
            raise self._err(PgError(BAD_COPY_FILE_FORMAT, "extra data after last expected "
                                    "column"), line=line)
        vals = [None] * self.width
        ctx = self.ctx
        for k, (c, t, typmod, name) in enumerate(self.inputs):
            # converted in column order: an earlier column's bad value is reported first
            if k >= len(fields):
                raise self._err(PgError(BAD_COPY_FILE_FORMAT,
                                        f'missing data for column "{name}"'), line=line)
            f = fields[k]
            if f is DEFAULT_MARKER:
                default = self.col_defaults.get(c)
                if default is None:
                    raise self._err(PgError(BAD_COPY_FILE_FORMAT, "unexpected default marker "
                                            "in COPY data",
                                            detail=f'Column "{name}" has no default value.'),
                                    line=line)
                vals[c] = default((), ExecContext(self.s, self.s.txn, None))
                continue
            if f is None:
                if t.typtype == "d":                    # domain_in of NULL: NOT NULL/CHECK
                    try:
                        from tuskdb.types.usertypes import domain_null_input
                        domain_null_input(t, ctx)
                    except PgError as err:
                        if self._skip(err, name, None):
                            return
                        err.context = f"COPY {self.rel.name}, line {self.lineno}, column " \
                                      f"{name}: null input"
                        raise
                continue
            try:
                v = t.input(f, typmod, ctx)
                if typmod >= 0:
                    v = t.coerce_typmod(v, typmod, False)
            except PgError as err:
                if self._skip(err, name, f):
                    return
                raise self._err(err, name, f) from None
            vals[c] = v
        self._add_row(vals, line)

    def _add_row(self, vals: list, line: str | None) -> None:
        """A row read (its fields converted): completed, checked and batched."""
        where = f"COPY {self.rel.name}, line {self.lineno}"
        if line is not None:
            where += f': "{limit_printout_length(line)}"'
        if self.modify.router is None and self.modify.partcheck is None:
            # the row's defaults, generated columns and constraints now, so that a
            # violation names its line (PostgreSQL checks each row as it reads it)
            try:
                r = self._complete(vals)
                if r is not None:
                    self.batch.append(r)
                    self.batch_lines.append(self.lineno)
            except PgError as err:
                if not getattr(err, "context", None):
                    err.context = where
                raise
            if len(self.batch) >= BATCH:
                self._flush()
            return
        self.batch.append(vals)
        if self.modify.router is not None or self.modify.partcheck is not None:
            # routed rows go one at a time so that an error names its line
            try:
                self._flush()
            except PgError as err:
                if not getattr(err, "context", None):
                    # an index entry's conflict is found when the row is stored, after
                    # its line was read (no line text, as in PostgreSQL's buffered insert)
                    err.context = where if err.sqlstate not in INDEX_CONFLICTS else \
                        f"COPY {self.rel.name}, line {self.lineno}"
                raise
        elif len(self.batch) >= BATCH:
            self._flush()

    def _err(self, err: PgError, column: str | None = None, value: str | None = None,
             line: str | None = None) -> PgError:
        where = f"COPY {self.rel.name}, line {self.lineno}"
        if column is not None:
            where += f', column {column}: "{limit_printout_length(value)}"' \
                if value is not None else f", column {column}: null input"
        elif line is not None:
            where += f': "{limit_printout_length(line)}"'
        err.context = where
        return err

    def _skip(self, err: PgError, column: str, value: str | None) -> bool:
        """ON_ERROR IGNORE: whether a soft input error skips the row (with its notice)."""
        opts = self.opts
        if not opts.on_error_ignore or getattr(err, "hard_error", False) or \
                err.sqlstate[:2] not in ("22", "23"):
            return False
        self.skipped += 1
        if opts.reject_limit and self.skipped > opts.reject_limit:
            raise self._err(PgError(BAD_COPY_FILE_FORMAT, f"skipped more than REJECT_LIMIT "
                                    f"({opts.reject_limit}) rows due to data type "
                                    f"incompatibility"), column, value)
        if opts.log_verbosity == "verbose":
            shown = "null input" if value is None else f'"{value}"'
            self.s.add_notice(PgError("00000", f"skipping row due to data type incompatibility "
                                      f'at line {self.lineno} for column "{column}": {shown}',
                                      severity="NOTICE", context=f"COPY {self.rel.name}"))
        return True

    def _match_header(self, line: str, csv: bool) -> None:
        """HEADER MATCH: the header line must name the COPY's columns, in order."""
        fields = _csv_fields(line, self.opts) if csv else _text_fields(line, self.opts)
        if len(fields) != len(self.inputs):
            raise self._err(PgError(BAD_COPY_FILE_FORMAT, f"wrong number of fields in header "
                                    f"line: got {len(fields)}, expected {len(self.inputs)}"),
                            line=line)
        for i, (f, (_c, _t, _m, name)) in enumerate(zip(fields, self.inputs), 1):
            if f is None:
                raise self._err(PgError(BAD_COPY_FILE_FORMAT, f"column name mismatch in header "
                                        f'line field {i}: got null value ("{self.opts.null}"), '
                                        f'expected "{name}"'), line=line)
            if f is DEFAULT_MARKER:
                f = self.opts.default
            if f != name:
                raise self._err(PgError(BAD_COPY_FILE_FORMAT, f"column name mismatch in header "
                                        f'line field {i}: got "{f}", expected "{name}"'),
                                line=line)

    def _where_ok(self, r: tuple, ectx: Any) -> bool:
        """COPY FROM ... WHERE: whether the row (its defaults filled in) is kept."""
        return self.where((*r, None, None), ectx) is True

    def _complete(self, vals: list) -> tuple | None:
        """A row read for a plain table: defaults filled in, the WHERE condition applied
        (None: the row is left out), generated columns computed, constraints checked."""
        s = self.s
        ectx = ExecContext(s, s.txn, None)
        for c, f in self.defaults.items():
            vals[c] = f((), ectx)
        r = tuple(vals)
        if self.where is not None and not self._where_ok(r, ectx):
            return None
        m = self.modify
        if m.generated:
            r = m._generate(r, ectx)
        m._check_row(r, ectx)
        return r

    def _flush(self) -> None:
        if not self.batch:
            return
        s = self.s
        ectx = ExecContext(s, s.txn, None)
        m = self.modify
        if m.router is None and m.partcheck is None:
            rows = self.batch           # completed and checked as they were read
            lines = self.batch_lines
            self.batch = []
            self.batch_lines = []
            heap = ectx.heap(self.rel)
            tids = heap.multi_insert(s.txn, [m._stored(r) for r in rows])
            if self.rel.indexes:
                for r, tid, lineno in zip(rows, tids, lines):
                    try:
                        m._index_insert(r, tid, ectx)
                    except PgError as err:
                        if not getattr(err, "context", None):
                            err.context = f"COPY {self.rel.name}, line {lineno}"
                        raise
            if self.rel.fkeys:
                from tuskdb.sql.execute.ri import RIChecker
                if self.ri is None:
                    self.ri = RIChecker(ectx)
                for r in rows:
                    self.ri.child_row(self.rel, r)
            self.count += len(rows)
            return
        rows = []
        for vals in self.batch:
            for c, f in self.defaults.items():
                vals[c] = f((), ectx)
            r = tuple(vals)
            if self.where is None or self._where_ok(r, ectx):
                rows.append(r)
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
                self.note_skipped()
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

    def note_skipped(self) -> None:
        if self.skipped and self.opts.log_verbosity != "silent":
            what = "1 row was" if self.skipped == 1 else f"{self.skipped} rows were"
            self.s.add_notice(PgError("00000", f"{what} skipped due to data type "
                                      "incompatibility", severity="NOTICE"))

    def fail(self, message: str) -> None:
        s = self.s
        with s.db.latch:
            s._on_error()
            s._end_statement()
        raise PgError(QUERY_CANCELED, f"COPY from stdin failed: {message}")


def limit_printout_length(text: str) -> str:
    """COPY data shown in an error's context: at most 100 bytes, then '...'."""
    raw = text.encode()
    if len(raw) <= 100:
        return text
    return raw[:100].decode(errors="ignore") + "..."


def _copy_file(s: Any, raw: Any, opts: dict[str, Any], filename: str) -> QueryResult:
    """COPY ... FROM/TO a file on the server: the relation (or query) is checked first,
    then the file opened."""
    import os
    body = raw.body
    if body.get("is_from"):
        res = _copy_from(s, raw, opts, stdin=False)
        try:
            if not os.path.isabs(filename):
                raise FileNotFoundError
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
        return _copy_from_data(s, res.copy_in, data)

    def check_path() -> None:
        if not os.path.isabs(filename):
            raise PgError("42602", "relative path not allowed for COPY to file")
    res = _copy_to(s, raw, opts, before_run=check_path)
    try:
        with open(filename, "wb") as f:
            for line in res.copy_out.lines:
                f.write(line)
    except OSError as err:
        raise PgError("58030", f'could not open file "{filename}" for writing: '
                      f"{err.strerror}") from None
    return QueryResult(tag=res.tag)


def _copy_from_data(s: Any, cin: "CopyIn", data: bytes, after: Any = None) -> QueryResult:
    """COPY FROM a server file or program: all of its data, then the statement's end
    (after(): a check once the rows are read, before they count)."""
    cin.buf = data
    cin.in_statement = True
    try:
        cin._consume(final=True)
        cin._flush()
    except PgError as err:
        cin.error = err
    if cin.error is not None:
        raise cin.error
    if after is not None:
        after()
    cin.note_skipped()
    if cin.ri is not None and cin.ri.pending:
        s.txn.command_counter_increment()
        cin.ri.finish()
    s.note_insert(cin.rel, cin.count)
    return QueryResult(tag=f"COPY {cin.count}")


def _copy_program(s: Any, raw: Any, opts: dict[str, Any], command: str) -> QueryResult:
    """COPY ... FROM/TO PROGRAM: the command runs under /bin/sh; COPY FROM reads its
    standard output, COPY TO writes to its standard input; a failing exit status is an
    error once the data has been handled."""
    import subprocess
    body = raw.body

    def run(data: bytes | None) -> subprocess.CompletedProcess:
        with s.db.latch.released():
            try:
                return subprocess.run(["/bin/sh", "-c", command], input=data,
                                      stdout=subprocess.PIPE if data is None else None,
                                      stderr=None, check=False)
            except OSError as err:
                raise PgError("58030", f'could not execute command "{command}": '
                              f"{err.strerror}") from None

    def failed(proc: subprocess.CompletedProcess) -> None:
        if proc.returncode != 0:
            raise PgError("38000", f'program "{command}" failed',
                          detail=_wait_result(proc.returncode))
    if body.get("is_from"):
        res = _copy_from(s, raw, opts, stdin=False)
        proc = run(None)
        return _copy_from_data(s, res.copy_in, proc.stdout or b"", lambda: failed(proc))
    res = _copy_to(s, raw, opts)
    failed(run(b"".join(res.copy_out.lines)))
    return QueryResult(tag=res.tag)


def _wait_result(code: int) -> str:
    """A child's exit status in PostgreSQL's words (wait_result_to_str)."""
    import signal
    if code < 0:
        try:
            name = signal.strsignal(-code) or ""
        except ValueError:
            name = ""
        return f"child process was terminated by signal {-code}: {name}"
    if code == 127:
        return "command not found"
    if code == 126:
        return "command not executable"
    return f"child process exited with exit code {code}"


def _text_fields(line: str, opts: Any) -> list[Any]:
    delim = opts["delimiter"]
    null = opts["null"]
    default = opts.default
    out: list[Any] = []
    for raw in _split_text(line, delim):
        if raw == null:
            out.append(None)
        elif raw == default:
            out.append(DEFAULT_MARKER)
        elif "\\" in raw:
            out.append(_unescape(raw))
        else:
            out.append(raw)
    return out


def _split_text(line: str, delim: str) -> list[str]:
    """Split a text-format line at delimiters not escaped by a backslash (raw fields)."""
    if "\\" not in line:
        return line.split(delim)
    out, start, i, n = [], 0, 0, len(line)
    while i < n:
        ch = line[i]
        if ch == "\\":
            i += 2
        elif ch == delim:
            out.append(line[start:i])
            i += 1
            start = i
        else:
            i += 1
    out.append(line[start:])
    return out


_ESC = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _unescape(s: str) -> str:
    """A text-format field's backslash escapes undone. Octal and hex escapes stand for
    bytes: when one is not ASCII (or is zero) the field is checked as the server
    encoding's text, as PostgreSQL verifies it."""
    out: list = []
    raw = False
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        if i + 1 >= n:                  # a backslash ending the line is dropped
            break
        nx = s[i + 1]
        if nx in _ESC:
            out.append(_ESC[nx])
            i += 2
        elif nx in "01234567":
            j = i + 1
            while j < n and j < i + 4 and s[j] in "01234567":
                j += 1
            v = int(s[i + 1:j], 8) & 0xFF
            out.append(bytes((v,)) if v >= 0x80 or v == 0 else chr(v))
            raw = raw or v >= 0x80 or v == 0
            i = j
        elif nx == "x" and i + 2 < n and s[i + 2] in "0123456789abcdefABCDEF":
            j = i + 2
            while j < n and j < i + 4 and s[j] in "0123456789abcdefABCDEF":
                j += 1
            v = int(s[i + 2:j], 16)
            out.append(bytes((v,)) if v >= 0x80 or v == 0 else chr(v))
            raw = raw or v >= 0x80 or v == 0
            i = j
        else:
            out.append(nx)
            i += 2
    if not raw:
        return "".join(out)
    from tuskdb.types.encoding import UTF8, verify
    data = b"".join(p if isinstance(p, bytes) else p.encode() for p in out)
    return verify(data, UTF8)


def _csv_fields(line: str, opts: Any, force_notnull: set[int] = frozenset(),
                force_null: set[int] = frozenset()) -> list[Any]:
    """The fields of one CSV record: None for NULL (the unquoted NULL string, or a quoted
    one in a FORCE_NULL column; never in a FORCE_NOT_NULL column), DEFAULT_MARKER for the
    unquoted DEFAULT string."""
    delim, quote, null = opts["delimiter"], opts["quote"], opts["null"]
    esc = opts["escape"] or quote
    default = opts.default
    out: list[Any] = []
    i, n = 0, len(line)
    while True:
        field = []
        quoted = False
        while i < n and line[i] != delim:
            ch = line[i]
            if ch == quote:
                quoted = True
                i += 1
                while True:
                    if i >= n:
                        raise PgError(BAD_COPY_FILE_FORMAT, "unterminated CSV quoted field")
                    c = line[i]
                    if c == esc and i + 1 < n and line[i + 1] in (esc, quote):
                        field.append(line[i + 1])
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
        k = len(out)
        if val == null and (not quoted and k not in force_notnull or quoted and k in force_null):
            out.append(None)
        elif not quoted and default is not None and val == default:
            out.append(DEFAULT_MARKER)
        else:
            out.append(val)
        if i >= n:
            break
        i += 1
    return out


def _check_copy_from_target(s: Any, rel: Any, freeze: bool) -> None:
    """CopyFrom's checks of the target: a table (or partitioned table), and for FREEZE
    one created or truncated by the current subtransaction."""
    if rel.relkind == "f":
        # rows go to the wrapper, which has no handler here
        if freeze:
            raise PgError(FEATURE_NOT_SUPPORTED, "cannot perform COPY FREEZE on a foreign "
                          "table")
        from tuskdb.sql.commands.foreign_table import no_handler
        raise no_handler(s.catalog(), rel)
    if rel.relkind not in ("r", "p"):
        what = {"v": "view", "m": "materialized view", "S": "sequence"}.get(
            rel.relkind, "non-table relation")
        raise PgError("42809", f'cannot copy to {what} "{rel.name}"',
                      hint="To enable copying to a view, provide an INSTEAD OF INSERT trigger."
                      if rel.relkind == "v" else None)
    if freeze:
        if rel.relkind == "p":
            raise PgError(FEATURE_NOT_SUPPORTED, "cannot perform COPY FREEZE on a partitioned "
                          "table")
        if not s.txn.new_storage_in_current_subxact(rel.oid):
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, "cannot perform COPY FREEZE because "
                          "the table was not created or truncated in the current subtransaction")


def _binary_header(buf: bytes, final: bool) -> int | None:
    """Check binary COPY data's file header (signature, flags, extension area); return
    where the tuples start, or None while more data may complete it."""
    n = len(buf)
    if n < 19 and not final:
        return None
    if buf[:11] != BINARY_SIGNATURE:
        raise PgError(BAD_COPY_FILE_FORMAT, "COPY file signature not recognized")
    if n < 15:
        raise PgError(BAD_COPY_FILE_FORMAT, "invalid COPY file header (missing flags)")
    flags = _INT32.unpack_from(buf, 11)[0]
    if flags & (1 << 16):
        raise PgError(BAD_COPY_FILE_FORMAT, "invalid COPY file header (WITH OIDS)")
    if (flags & ~(1 << 16)) >> 16:
        raise PgError(BAD_COPY_FILE_FORMAT, "unrecognized critical flags in COPY file header")
    if n < 19:
        raise PgError(BAD_COPY_FILE_FORMAT, "invalid COPY file header (missing length)")
    extlen = _INT32.unpack_from(buf, 15)[0]
    if extlen < 0 or n < 19 + extlen:
        if extlen >= 0 and not final:
            return None
        raise PgError(BAD_COPY_FILE_FORMAT, "invalid COPY file header (wrong length)")
    return 19 + extlen


class FailedCopyIn:
    """COPY FROM STDIN whose target failed CopyFrom's checks: the client's data is
    taken and dropped, and the error reported when it ends."""

    def __init__(self, s: Any, error: PgError, columns: int, binary: bool) -> None:
        self.s = s
        self.error = error
        self.columns = columns
        self.binary = binary
        self.head = b""
        self.autocommit = False
        self.tag = None

    def feed(self, data: bytes) -> None:
        if self.binary and len(self.head) < 4096:
            self.head += data

    def finish(self) -> str:
        s = self.s
        with s.db.latch:
            try:
                if self.binary:         # BeginCopyFrom reads the header first
                    _binary_header(self.head, True)
                raise self.error
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


def _rls_applies(s: Any, raw: Any, rel: Any) -> bool:
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.rewrite.rowsecurity import rls_applies
    return rls_applies(AnalyzeState(s.catalog(), s, [], None, raw.source), rel)


def _copy_from(s: Any, raw: Any, opts: dict[str, Any], stdin: bool = True) -> QueryResult:
    from tuskdb.sql.analyze.dml import column_default, rel_checks
    from tuskdb.sql.analyze.state import AnalyzeState
    from tuskdb.sql.execute.modify import ModifyTable
    from tuskdb.sql.expr import compile_expr

    rel, cols = _target(s, raw, bool(opts["freeze"]))
    if _rls_applies(s, raw, rel):
        raise PgError(FEATURE_NOT_SUPPORTED, "COPY FROM not supported with row-level security",
                      hint="Use INSERT statements instead.")
    txn = s.txn
    txn.lock_relation(s.dboid, rel.oid, 3)      # RowExclusiveLock
    try:
        _check_copy_from_target(s, rel, bool(opts["freeze"]))
    except PgError as err:
        if not stdin:
            raise
        # PostgreSQL finds these once the copy has begun (CopyFrom): the client's data
        # is read, then the error reported
        return QueryResult(copy_in=FailedCopyIn(s, err, len(cols),
                                                opts.format == "binary"), tag="COPY")
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
    if raw.body.get("whereClause") is not None:
        cin.where = compile_expr(_where_clause(raw.body["whereClause"], rel, rt, state), layout)
    if opts.default is not None:
        for i in cols:
            c = rel.columns[i]
            if c.default is not None or c.type_oid >= 16384:
                d = column_default(c, rel, rt, state)
                if c.default is None and getattr(d, "value", 0) is None:
                    continue
                cin.col_defaults[i] = compile_expr(d, {})
    return QueryResult(copy_in=cin, tag="COPY")


def _where_clause(node: dict, rel: Any, rt: int, state: Any) -> Any:
    """COPY FROM's WHERE condition over the table's columns (no aggregates, window
    functions, set-returning functions or subqueries, as transformExpr refuses them)."""
    from tuskdb.sql.analyze.expr import ExprContext, require_bool, transform
    from tuskdb.sql.analyze.state import RangeEntry, Scope
    scope = Scope()
    scope.add(RangeEntry(rt, rel.name, [c.name for c in rel.columns],
                         [(c.type_oid, c.typmod) for c in rel.columns], rel=rel, has_ctid=True))
    ec = ExprContext(state, scope, "COPY FROM WHERE conditions", None)
    saved = state.lift
    state.lift = None
    try:
        cond = require_bool(transform(node, ec), "WHERE")
    except PgError as err:
        if err.position is None:
            err.position = state.pos(_leftmost_location(node))
        raise
    finally:
        state.lift = saved
    if any(c.generated for c in rel.columns):
        # generated columns are computed after the filtering (stored ones), and
        # virtual ones are refused alike
        used = sorted(_var_attnos(cond, rt))
        for i in used:
            if rel.columns[i].generated:
                raise PgError("42P10", "generated columns are not supported in COPY FROM "
                              "WHERE conditions",
                              detail=f'Column "{rel.columns[i].name}" is a generated column.')
    return cond


def _var_attnos(expr: Any, rt: int) -> set[int]:
    """The columns of range entry rt that an analyzed expression reads (a whole-row
    reference reads them all)."""
    from tuskdb.sql.expr import Var
    out: set[int] = set()
    stack = [expr]
    while stack:
        e = stack.pop()
        virtual = getattr(e, "virtual_of", None)       # a virtual column, expanded
        if virtual is not None and virtual[0] == rt:
            out.add(virtual[1])
            continue
        if isinstance(e, Var):
            if e.rt == rt:
                out.add(e.attno)
            continue
        kids = getattr(e, "children", None)
        if kids is not None:
            stack.extend(k for k in kids() if k is not None)
    return out


def _leftmost_location(node: Any) -> int | None:
    """The smallest parse location in a raw expression tree (PostgreSQL's exprLocation
    reports an operator expression at its leftmost argument)."""
    best: int | None = None
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            loc = n.get("location")
            if isinstance(loc, int) and loc >= 0 and (best is None or loc < best):
                best = loc
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    return best


class CopyOut:
    def __init__(self, lines: list[bytes], columns: int) -> None:
        self.lines = lines
        self.columns = columns
        self.binary = False
        self.tag = f"COPY {len(lines)}"

    def __iter__(self):
        return iter(self.lines)


def _copy_to(s: Any, raw: Any, opts: dict[str, Any], before_run: Any = None) -> QueryResult:
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
        if before_run is not None:
            before_run()
        res = s._run_plan(cp, [])
        type_oids = [f.type_oid for f in cp.fields]
        rows = res.rows
    else:
        rel, cols = _target(s, raw)
        if before_run is not None:
            before_run()
        ctx = ExecContext(s, s.txn, s.txn.snapshot())
        if _rls_applies(s, raw, rel):
            rows = []           # row security without a policy: no row is visible
        else:
            rows = [tuple(values[c] for c in cols)
                    for _, values in ctx.heap(rel).scan(ctx.snapshot)]
        type_oids = [rel.columns[c].type_oid for c in cols]
    if opts.format == "binary":
        return _copy_to_binary(s, rows, type_oids)
    outs = [types.TYPES[t].output for t in type_oids]
    ctx = s.type_context
    csv = opts["format"] == "csv"
    delim = opts["delimiter"]
    null = opts["null"]
    if body.get("query") is not None:
        names = [f.name for f in cp.fields]
        forced = _force_positions(opts.force_quote, opts.force_quote_all, "FORCE_QUOTE",
                                  names, names, None)
    else:
        names = [rel.columns[c].name for c in cols]
        forced = _force_positions(opts.force_quote, opts.force_quote_all, "FORCE_QUOTE",
                                  names, [c.name for c in rel.columns if not c.dropped],
                                  rel.name)
    quote = opts.quote or '"'
    escape = opts.escape or quote
    lines = []
    if opts["header"]:
        if csv:
            names = [_csv_quote(n, delim, quote, escape, null, False) for n in names]
        else:
            names = [_escape(n, delim) for n in names]
        lines.append((delim.join(names) + "\n").encode())
    for row in rows:
        parts = []
        for i, (v, out) in enumerate(zip(row, outs)):
            if v is None:
                parts.append(null)
                continue
            text = out(v, ctx)
            if csv:
                text = _csv_quote(text, delim, quote, escape, null, i in forced, len(outs) == 1)
            else:
                text = _escape(text, delim)
            parts.append(text)
        lines.append((delim.join(parts) + "\n").encode())
    enc = file_encoding(s, opts)
    from tuskdb.types.encoding import UTF8, _convert
    if enc != UTF8:
        lines = [_convert(line, UTF8, enc) for line in lines]
    return QueryResult(copy_out=CopyOut(lines, len(outs)), tag=f"COPY {len(rows)}")


def _copy_to_binary(s: Any, rows: list, type_oids: list[int]) -> QueryResult:
    """COPY TO in binary format: the file header (signature, flags, no extension), per
    row an int16 field count and per field an int32 length (-1: NULL) and the type's
    send output, then the int16 -1 trailer. One CopyData message per row."""
    sends = [types.TYPES[t].send for t in type_oids]
    ctx = s.type_context
    count = _INT16.pack(len(sends))
    pack = _INT32.pack
    null = pack(-1)
    lines = []
    head = BINARY_SIGNATURE + pack(0) + pack(0)
    for row in rows:
        parts = [head, count] if head else [count]
        head = b""
        for v, send in zip(row, sends):
            if v is None:
                parts.append(null)
                continue
            data = send(v, ctx)
            parts.append(pack(len(data)))
            parts.append(data)
        lines.append(b"".join(parts))
    lines.append(head + _INT16.pack(-1))
    out = CopyOut(lines, len(sends))
    out.binary = True
    return QueryResult(copy_out=out, tag=f"COPY {len(rows)}")


def _csv_quote(text: str, delim: str, quote: str, escape: str, null: str, force: bool,
               single: bool = False) -> str:
    """A CSV field: quoted when forced, when it holds the delimiter, the quote or a line
    break, when it would read back as NULL, or when it is a lone end-of-data marker;
    quotes and escapes inside are escaped."""
    if force or text == null or any(ch in text for ch in (delim, quote, "\n", "\r")) \
            or single and text == "\\.":
        body = "".join(escape + ch if ch == quote or (ch == escape and escape != quote) else ch
                       for ch in text)
        return quote + body + quote
    return text


def _escape(text: str, delim: str) -> str:
    if not any(c in text for c in ("\\", "\n", "\r", "\t", delim)):
        return text
    out = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") \
        .replace("\t", "\\t")
    if delim != "\t":
        out = out.replace(delim, "\\" + delim)
    return out
