"""Session: one client's connection state (PostgreSQL's backend).

Transaction block state machine (PostgreSQL's TBLOCK_*), per statement:

                 BEGIN                      COMMIT / ROLLBACK
      IDLE ─────────────────▶ INPROGRESS ───────────────────▶ IDLE
       │ ▲                      │    ▲                          ▲
  stmt │ │ commit / abort       │err │ ROLLBACK TO savepoint    │ ROLLBACK / COMMIT
       ▼ │                      ▼    │                          │
     IMPLICIT                  FAILED ──────────────────────────┘
   (one statement, or all statements of one simple Query message,
    or the Parse/Bind/Execute messages up to Sync)

transaction_status as ReadyForQuery reports it: IDLE 'I', INPROGRESS 'T',
FAILED 'E'.  Every public method takes the engine latch; waits inside the
engine (locks, WAL flush) release it.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Iterator
from typing import Any

from tuskdb import types
from tuskdb.catalog.manager import CatalogView
from tuskdb.engine import guc, notify
from tuskdb.engine.context import ExecContext
from tuskdb.engine.plancache import CachedPlan, LiteralKey, token_value
from tuskdb.engine.regtypes import (REG_TYPES, reg_array_elem, reg_array_input, reg_input,
                                    reg_output)
from tuskdb.engine.results import Field, QueryResult
from tuskdb.errors import (
    ACTIVE_SQL_TRANSACTION,
    DUPLICATE_CURSOR,
    DUPLICATE_PREPARED_STATEMENT,
    FEATURE_NOT_SUPPORTED,
    IN_FAILED_SQL_TRANSACTION,
    INVALID_CURSOR_NAME,
    INVALID_SQL_STATEMENT_NAME,
    NO_ACTIVE_SQL_TRANSACTION,
    PROTOCOL_VIOLATION,
    SYNTAX_ERROR,
    PgError,
    notice,
)
from tuskdb.sql import parser
from tuskdb.sql.analyze.expr import check_params_resolved
from tuskdb.sql.analyze.state import AnalyzeState
from tuskdb.sql.expr import literal_keys
from tuskdb.storage import interrupts as _interrupts

IDLE, IMPLICIT, INPROGRESS, FAILED = "idle", "implicit", "inprogress", "failed"
_STATUS = {IDLE: "I", IMPLICIT: "I", INPROGRESS: "T", FAILED: "E"}
_PLANNABLE = frozenset(("SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"))
_pids = itertools.count(1000)
ACCESS_SHARE, ROW_SHARE, ROW_EXCLUSIVE = 1, 2, 3
CLIENT_CHECK_INTERVAL = 1.0     # seconds between checks that a running query's client is there
_TYPE_SETTINGS = {"datestyle", "intervalstyle", "timezone", "extra_float_digits",
                  "bytea_output", "xmloption", "xmlbinary"}


class PreparedStatement:
    def __init__(self, name: str, sql: str, raw: parser.RawStmt | None,
                 param_types: list[int], from_sql: bool = False) -> None:
        self.name = name
        self.sql = sql
        self.raw = raw
        self.param_types = param_types
        self.plan: CachedPlan | None = None
        self.from_sql = from_sql
        self.prepare_time = time.time()


class Portal:
    def __init__(self, name: str, stmt: PreparedStatement, params: list[Any],
                 result_formats: list[int]) -> None:
        self.name = name
        self.stmt = stmt
        self.params = params
        self.result_formats = result_formats
        self.fields: list[Field] | None = None
        self.rows: Iterator[tuple] | None = None
        self.done = False
        self.tag = ""
        self.count = 0


class Session:
    def __init__(self, db: Any, user: str, dbname: str, dboid: int,
                 application_name: str = "", options: dict[str, str] | None = None) -> None:
        self.db = db
        self.authenticated_user = user          # who logged in (PostgreSQL's AuthenticatedUserId)
        self.security_definer: list[str] = []   # SECURITY DEFINER functions running: owners
        self._role_memo: tuple | None = None
        self.dbname = dbname
        self.dboid = dboid
        self.pid = next(_pids)
        self.secret_key = random.getrandbits(31)
        self.interrupts = _interrupts.Interrupts(self.pid)
        self.settings: dict[str, Any] = {k: g.default for k, g in guc.GUCS.items()}
        self.settings["application_name"] = application_name
        self.settings["session_authorization"] = user
        self._reported: dict[str, str] = {}
        self._settings_touched = False      # a setting changed since the last report
        self._notices: list[PgError] = []
        self._local_undo: list[tuple[str, Any]] | None = None   # SET LOCAL / txn-scoped
        self._tx_settings_undo: dict[str, Any] = {}
        from tuskdb.engine.typehooks import SessionTypeHooks
        self.type_context = types.TypeContext(now=self._xact_now,
                                              statement_now=self._stmt_now,
                                              rng=random.Random(),
                                              session_hooks=SessionTypeHooks(self))
        self.block = IDLE
        # the implicit transaction block of a query string of several statements, and of
        # an extended-protocol pipeline once an Execute completed before Sync
        # (PostgreSQL's TBLOCK_IMPLICIT_INPROGRESS and XACT_FLAGS_PIPELINING)
        self.implicit_block = False
        self.pipelining = False
        self.func_depth = 0                     # SQL functions running (not top level)
        self.txn: Any = None
        self.savepoints: list[tuple[str, int]] = []
        self.xact_start = 0
        self.stmt_start = 0
        self.prepared: dict[str, PreparedStatement] = {}
        self.portals: dict[str, Portal] = {}
        self.cursors: dict[str, Any] = {}      # DECLARE CURSOR
        self.temp_nsp: int | None = None        # pg_temp_N, once a temporary object exists
        self.temp_id = 0
        self.on_commit_actions: list[tuple[int, str]] = []
        self.pending_notify: Any = None     # LISTEN/NOTIFY of the open transaction
        self.notify_wakeup: Any = None      # set by a server connection (engine/notify.py)
        self.deferred_checks: list[tuple] = []  # foreign-key checks deferred to COMMIT
        self.constraint_modes: dict[str, bool] = {}   # SET CONSTRAINTS (name or "*")
        self.seq_currval: dict[int, int] = {}
        self.last_seq: int | None = None
        self.closed = False
        self.client_check: Any = None
        self._last_client_check = 0.0
        self.state = "idle"
        self.query = ""
        self.backend_start = time.time()
        if options:
            for name, value in options.items():
                self._set_guc(name, value, startup=True)
        # RESET goes back to these: the defaults as the startup packet changed them
        self._reset_values = dict(self.settings)
        self._snapshot_report()

    # -- identity ----------------------------------------------------------------------
    #
    # session_user is the session_authorization setting; current_user is the innermost
    # SECURITY DEFINER function's owner, else the role setting (SET ROLE), else
    # session_user.  Both are settings, so a rolled-back SET undoes them.

    @property
    def user(self) -> str:
        if self.security_definer:
            return self.security_definer[-1]
        st = self.settings
        role = st.get("role")
        if role and role != "none":
            return role
        return st.get("session_authorization") or self.authenticated_user

    @property
    def session_user(self) -> str:
        return self.settings.get("session_authorization") or self.authenticated_user

    def _role_facts(self, cat: Any = None) -> tuple[int, bool]:
        """(OID, is superuser) of the current user, cached per catalog generation."""
        from tuskdb.catalog import aclchk
        cat = cat or self.catalog()
        name = self.user
        gen = self.db.catalogs.generation
        memo = self._role_memo
        if memo is not None and memo[0] == gen and memo[1] == name and not cat.private:
            return memo[2]
        oid = aclchk.role_oid(cat, name, missing_ok=True) or 0
        facts = (oid, aclchk.superuser_arg(cat, oid))
        if not cat.private:
            self._role_memo = (gen, name, facts)
        return facts

    def current_user_oid(self, cat: Any = None) -> int:
        return self._role_facts(cat)[0]

    def current_user_is_superuser(self, cat: Any = None) -> bool:
        return self._role_facts(cat)[1]

    def set_role(self, name: str, local: bool = False) -> None:
        """SET ROLE: the session user must be able to SET to the role (PostgreSQL's
        check_role)."""
        from tuskdb.catalog import aclchk
        cat = self.catalog()
        if name.lower() != "none":
            roleid = aclchk.role_oid(cat, name, missing_ok=True)
            if roleid is None:
                raise PgError("22023", f'role "{name}" does not exist')
            sess = aclchk.role_oid(cat, self.session_user, missing_ok=True) or 0
            if not aclchk.member_can_set_role(cat, sess, roleid):
                raise PgError("42501", f'permission denied to set role "{name}"')
        else:
            name = "none"
        self._set_identity("role", name, local)

    def set_session_authorization(self, name: str | None, local: bool = False) -> None:
        """SET SESSION AUTHORIZATION (None: DEFAULT): only a superuser who logged in
        may become someone else; the role setting goes back to none."""
        from tuskdb.catalog import aclchk
        cat = self.catalog()
        if name is None:
            name = self.authenticated_user
        roleid = aclchk.role_oid(cat, name, missing_ok=True)
        if roleid is None:
            raise PgError("22023", f'role "{name}" does not exist')
        auth = aclchk.role_oid(cat, self.authenticated_user, missing_ok=True) or 0
        if roleid != auth and not aclchk.superuser_arg(cat, auth):
            raise PgError("42501", f'permission denied to set session authorization "{name}"')
        self._set_identity("session_authorization", name, local)
        self._set_identity("role", "none", local)

    def _set_identity(self, lname: str, value: str, local: bool) -> None:
        old = self.settings.get(lname)
        if self.txn is not None:
            if local:
                self._tx_settings_undo.setdefault(lname, old)
            elif lname not in self._tx_settings_undo:
                self._session_set_in_txn = getattr(self, "_session_set_in_txn", {})
                self._session_set_in_txn.setdefault(lname, old)
        self.settings[lname] = value
        self._settings_touched = True
        self._search_path_cache = None
        self.settings["is_superuser"] = self.current_user_is_superuser()

    def check_plan_permissions(self, cp: Any) -> None:
        """PostgreSQL's ExecCheckPermissions over the plan's relations."""
        perms = getattr(cp, "perminfos", None)
        if not perms:
            return
        cat = self.catalog()
        uid, is_super = self._role_facts(cat)
        if is_super and not any(p.check_as for p in perms):
            return
        from tuskdb.catalog.aclchk import exec_check_permissions
        exec_check_permissions(cat, perms, uid)

    # -- settings --------------------------------------------------------------------

    def _xact_now(self) -> int:
        return self.xact_start or types.context.clock_now()

    def _stmt_now(self) -> int:
        return self.stmt_start or self._xact_now()

    def _snapshot_report(self) -> None:
        self._reported = self._report_values()

    def _report_values(self) -> dict[str, str]:
        out = {}
        for g in guc.GUCS.values():
            if g.report:
                out[g.name] = guc.show_value(g, self.settings[g.name.lower()])
        return out

    def startup_parameters(self) -> dict[str, str]:
        return self._report_values()

    def take_parameter_changes(self) -> dict[str, str]:
        if not self._settings_touched:
            return {}
        self._settings_touched = False
        cur = self._report_values()
        changed = {k: v for k, v in cur.items() if self._reported.get(k) != v}
        self._reported = cur
        return changed

    def take_notifications(self) -> list[Any]:
        """NOTIFY messages committed for this session's LISTENs and not yet taken
        (engine/notify.py); the server sends them before ReadyForQuery."""
        return self.db.notify_hub.take(self)

    def has_notifications(self) -> bool:
        return self.db.notify_hub.has_pending(self)

    def take_notices(self) -> list[PgError]:
        out = self._notices
        self._notices = []
        return out

    def add_notice(self, n: PgError) -> None:
        levels = ["debug5", "debug4", "debug3", "debug2", "debug1", "log", "notice", "warning",
                  "error"]
        sev = n.severity.lower()
        if sev in levels and levels.index(sev) < levels.index(self.settings["client_min_messages"]):
            return
        self._notices.append(n)

    def _set_guc(self, name: str, value: Any, local: bool = False, startup: bool = False
                 ) -> None:
        lname = name.lower()
        g = guc.lookup(lname)
        if g is None:
            if "." in name:
                self.settings[lname] = str(value)
                return
            raise guc.unrecognized(name)
        if not startup or g.context == "internal":
            guc.check_settable(g)
        if lname == "transaction_isolation":
            self._set_isolation(str(value))
            return
        v = guc.parse_value(g, value)
        if lname in _TYPE_SETTINGS:
            key = {"timezone": "timezone", "datestyle": "datestyle",
                   "intervalstyle": "intervalstyle", "extra_float_digits": "extra_float_digits",
                   "bytea_output": "bytea_output", "xmloption": "xmloption",
                   "xmlbinary": "xmlbinary"}[lname]
            try:
                self.type_context = self.type_context.replace(**{key: v})
            except PgError:
                raise PgError("22023", f'invalid value for parameter "{g.name}": "{value}"'
                              ) from None
            v = getattr(self.type_context, key) if lname == "datestyle" else v
        if lname == "default_text_search_config" and not startup:
            from tuskdb.sql.analyze.ts_sysfuncs import check_default_config
            v = check_default_config(self, str(v))
        if lname == "search_path":
            self._search_path_cache = None
        old = self.settings.get(lname)
        if local and self.txn is not None:
            self._tx_settings_undo.setdefault(lname, old)
        elif self.txn is not None and lname not in self._tx_settings_undo:
            # a plain SET inside a transaction is undone if the transaction aborts
            self._session_set_in_txn = getattr(self, "_session_set_in_txn", {})
            self._session_set_in_txn.setdefault(lname, old)
        self.settings[lname] = v
        self._settings_touched = True
        if lname == "synchronous_commit" and self.txn is not None:
            self.txn.synchronous_commit = v != "off"

    def _set_isolation(self, value: str) -> None:
        g = guc.GUCS["transaction_isolation"]
        v = guc.parse_value(g, value)
        if self.txn is not None and getattr(self, "_stmt_count_in_txn", 0) > 0:
            raise PgError(ACTIVE_SQL_TRANSACTION, "SET TRANSACTION ISOLATION LEVEL must be "
                          "called before any query")
        self.settings["transaction_isolation"] = v
        if self.txn is not None:
            self.txn.isolation = v

    def _reset_guc(self, name: str) -> None:
        g = guc.lookup(name)
        if g is None:
            if "." in name:
                self.settings.pop(name.lower(), None)
                return
            raise guc.unrecognized(name)
        guc.check_settable(g)
        if g.name.lower() in ("transaction_isolation", "transaction_read_only",
                              "transaction_deferrable"):
            # GUC_NO_RESET: a transaction's modes are only set, by SET TRANSACTION
            raise PgError("55P02", f'parameter "{g.name}" cannot be reset')
        value = self._reset_values.get(g.name.lower(), g.default)
        self._set_guc(name, guc.show_value(g, value) if g.vartype != "string" else value)

    def show(self, name: str) -> tuple[str, str]:
        lname = name.lower()
        if lname == "all":
            raise PgError(FEATURE_NOT_SUPPORTED, "SHOW ALL is not supported")
        g = guc.lookup(lname)
        if g is None:
            if lname in self.settings:
                return name, str(self.settings[lname])
            raise guc.unrecognized(name)
        if self.txn is None and lname in ("transaction_isolation", "transaction_read_only",
                                          "transaction_deferrable"):
            # outside a transaction, the one this SHOW would run in takes the defaults
            return g.name, guc.show_value(g, self.settings["default_" + lname])
        return g.name, guc.show_value(g, self.settings[lname])

    def current_setting(self, name: str, missing_ok: bool = False) -> str | None:
        try:
            return self.show(name)[1]
        except PgError:
            if missing_ok:
                return None
            raise

    def search_path_oids(self, cat: CatalogView) -> list[int]:
        out = [self.temp_nsp, 11] if self.temp_nsp is not None else [11]
        for item in self.search_path_names():
            oid = cat.namespace_oid(item)
            if oid is not None and oid not in out:
                out.append(oid)
        return out

    def search_path_names(self) -> list[str]:
        raw = self.settings["search_path"]
        names = []
        for part in _split_path(raw):
            if part == "$user":
                names.append(self.user)
            elif part == "pg_temp":
                if self.temp_nsp is not None:
                    names.append(f"pg_temp_{self.temp_id}")
            else:
                names.append(part)
        return names

    # -- temporary objects --------------------------------------------------------------

    def temp_namespace(self) -> int:
        """This session's pg_temp_N schema, created (and committed) on first use."""
        if self.temp_nsp is not None:
            return self.temp_nsp
        from tuskdb.catalog.rows import make_row
        db = self.db
        self.temp_id = self.pid
        name = f"pg_temp_{self.temp_id}"
        txn = db.txns.begin()
        try:
            cat = db.catalog_view(self.dboid, txn)
            oid = cat.namespace_oid(name)
            if oid is None:
                oid = db.catalogs.next_oid()
                cat.insert("pg_namespace", make_row("pg_namespace", oid=oid, nspname=name,
                                                    nspowner=10))
            txn.commit()
        except BaseException:
            txn.abort()
            raise
        self.temp_nsp = oid
        return oid

    def _drop_temp_objects(self) -> None:
        if self.temp_nsp is None:
            return
        drop_namespace_contents(self, self.temp_nsp, drop_schema=True)
        self.temp_nsp = None

    def _run_on_commit_actions(self) -> None:
        """ON COMMIT DROP / DELETE ROWS of temporary tables created in this session."""
        from tuskdb.sql.commands.tablecmds import drop_relation, truncate_rel
        cat = self.catalog()
        keep = []
        for oid, action in self.on_commit_actions:
            rel = cat.relation_by_oid(oid)
            if rel is None:
                continue
            if action == "ONCOMMIT_DROP":
                drop_relation(self, cat, rel)
                cat.command_counter_increment()
            else:
                truncate_rel(self, cat, rel)
                keep.append((oid, action))
        self.on_commit_actions = keep

    def creation_namespace(self, cat: CatalogView) -> int | None:
        for item in self.search_path_names():
            oid = cat.namespace_oid(item)
            if oid is not None:
                return oid
        return None

    def current_schema(self) -> str | None:
        cat = self.catalog()
        for item in self.search_path_names():
            if cat.namespace_oid(item) is not None:
                return item
        return None

    def version_string(self) -> str:
        return (f"PostgreSQL {guc.SERVER_VERSION} (TuskDB) on x86_64-pc-linux-gnu, "
                "compiled by Python, 64-bit")

    @property
    def transaction_status(self) -> str:
        return _STATUS[self.block]

    # -- transactions -------------------------------------------------------------------

    def in_transaction_block(self) -> bool:
        """IsTransactionBlock: BEGIN ... COMMIT, or an implicit block (a query string of
        several statements, an extended-protocol pipeline after its first Execute)."""
        return self.block in (INPROGRESS, FAILED) or self.implicit_block or self.pipelining

    def is_top_level(self) -> bool:
        """The statement is the client's own, not one a function runs."""
        return not self.func_depth

    def catalog(self) -> CatalogView:
        return CatalogView(self.db.catalogs, self.dboid, self._ensure_txn())

    def _ensure_txn(self) -> Any:
        if self.txn is None:
            iso = self.settings["default_transaction_isolation"]
            self.settings["transaction_isolation"] = iso
            ro = self.settings["default_transaction_read_only"]
            self.settings["transaction_read_only"] = ro
            self.settings["transaction_deferrable"] = self.settings[
                "default_transaction_deferrable"]
            self.txn = self.db.txns.begin(isolation=iso, read_only=ro)
            self.txn.pid = self.pid
            self.txn.synchronous_commit = self.settings["synchronous_commit"] != "off"
            self.xact_start = types.context.clock_now()
            self._stmt_count_in_txn = 0
            self._tx_settings_undo = {}
            self._session_set_in_txn = {}
            if self.block == IDLE:
                self.block = IMPLICIT
        return self.txn

    def constraint_deferred(self, fk: Any) -> bool:
        modes = self.constraint_modes
        if fk.name in modes:
            return modes[fk.name]
        if "*" in modes:
            return modes["*"]
        return fk.deferred

    def run_deferred_checks(self) -> None:
        if not self.deferred_checks or self.txn is None:
            return
        from tuskdb.sql.execute.ri import run_checks
        items, self.deferred_checks = self.deferred_checks, []
        self.txn.command_counter_increment()
        run_checks(ExecContext(self, self.txn, self.txn.snapshot()), items)

    def _finish_txn(self, commit: bool) -> None:
        if commit and self.on_commit_actions and self.txn is not None:
            try:
                self._run_on_commit_actions()
            except PgError:
                self._finish_txn(False)
                raise
        if commit and self.deferred_checks:
            try:
                self.run_deferred_checks()
            except PgError:
                self.deferred_checks = []
                self.constraint_modes = {}
                self._finish_txn(False)
                raise
        self.deferred_checks = []
        self.constraint_modes = {}
        self.pipelining = False
        txn = self.txn
        self.txn = None
        self.savepoints = []
        self.xact_start = 0
        try:
            if txn is not None:
                if commit:
                    txn.commit()
                    if self.pending_notify is not None:
                        notify.at_commit(self)
                else:
                    txn.abort()
        finally:
            self.pending_notify = None
            for name, old in self._tx_settings_undo.items():
                self._restore_setting(name, old)
            self._tx_settings_undo = {}
            if not commit:
                for name, old in getattr(self, "_session_set_in_txn", {}).items():
                    self._restore_setting(name, old)
            self._session_set_in_txn = {}
            self.settings["transaction_isolation"] = self.settings[
                "default_transaction_isolation"]
            self.settings["transaction_read_only"] = self.settings[
                "default_transaction_read_only"]
            self.settings["transaction_deferrable"] = self.settings[
                "default_transaction_deferrable"]
            self.block = IDLE
            if self.cursors:
                # WITH HOLD cursors outlive the transaction that commits them; a later
                # transaction's abort leaves them alone
                kept = {}
                for k, c in self.cursors.items():
                    if c.hold and (commit or getattr(c, "persisted", False)):
                        c.persisted = True
                        kept[k] = c
                self.cursors = kept

    def _restore_setting(self, name: str, old: Any) -> None:
        self.settings[name] = old
        self._settings_touched = True
        if name in _TYPE_SETTINGS:
            key = {"timezone": "timezone", "datestyle": "datestyle",
                   "intervalstyle": "intervalstyle", "extra_float_digits": "extra_float_digits",
                   "bytea_output": "bytea_output", "xmloption": "xmloption",
                   "xmlbinary": "xmlbinary"}[name]
            self.type_context = self.type_context.replace(**{key: old})

    def _on_error(self) -> None:
        """A statement failed: abort an implicit transaction, fail an explicit block."""
        if self.block in (INPROGRESS, FAILED):
            self.block = FAILED
            return
        self._finish_txn(False)

    # -- statement entry points ---------------------------------------------------------

    def _start_statement(self, sql: str) -> None:
        _interrupts.set_current(self.interrupts)
        st = self.settings["statement_timeout"]
        self.interrupts.start_statement(st / 1000.0 if st else None)
        lt = self.settings["lock_timeout"]
        self.interrupts.lock_timeout = lt / 1000.0 if lt else None
        self.stmt_start = types.context.clock_now()
        self.query = sql
        self.state = "active"

    def _end_statement(self) -> None:
        self.interrupts.end_statement()
        self.state = "idle in transaction" if self.txn is not None else "idle"

    def simple_query(self, sql: str) -> Iterator[QueryResult]:
        latch = self.db.latch
        with latch:
            self._start_statement(sql)
            try:
                fast = self._try_cached_simple(sql)
                if fast is not None:
                    self._end_statement()
                    result = fast
                    stmts = None
                else:
                    stmts = parser.parse(sql)
            except PgError:
                self._on_error()
                self._end_statement()
                raise
            except Exception as exc:
                self._on_error()
                self._end_statement()
                raise internal_error(exc, self) from exc
        if stmts is None:
            yield from self._deliver(result)
            return
        if not stmts:
            with latch:
                self._end_statement()
            yield QueryResult(empty=True)
            return
        multi = len(stmts) > 1
        for raw in stmts:
            with latch:
                self._start_statement(sql)
                self.implicit_block = multi
                try:
                    result = self._execute_raw(raw, multi=multi)
                except PgError:
                    self.implicit_block = False
                    self._on_error()
                    self._end_statement()
                    raise
                except Exception as exc:
                    self.implicit_block = False
                    self._on_error()
                    self._end_statement()
                    raise internal_error(exc, self) from exc
                self.implicit_block = False
                self._end_statement()
            yield from self._deliver(result)
        with latch:
            if self.block == IMPLICIT:
                self._finish_txn(True)

    def _deliver(self, result: QueryResult) -> Iterator[QueryResult]:
        """Yield one result; a failure the server throws in while sending it (an
        encoder error, rejected COPY data) fails the statement."""
        try:
            yield result
        except PgError:
            with self.db.latch:
                self._on_error()
                self._failed_in_send = True
            raise

    def _plan_env(self) -> tuple:
        """The settings a plan may depend on (name lookup, constants folded with the
        session's TimeZone/DateStyle, the planner's enable_* methods): plans are shared
        only between equal ones."""
        from tuskdb.sql.plan.planner import planner_settings
        st = self.settings
        return (st["search_path"], st["timezone"], st["datestyle"], st["intervalstyle"],
                self.temp_nsp, self.user, planner_settings(st), st.get("row_security"))

    def _try_cached_simple(self, sql: str) -> QueryResult | None:
        """The literal-insensitive plan cache path for one plannable statement."""
        if self.block == FAILED:
            return None
        if self.txn is not None and getattr(self.txn, "catalog_dirty", False):
            return None     # plans of committed catalogs may not fit this transaction's DDL
        lk = LiteralKey(sql)
        if not lk.ok or not lk.key:
            return None
        key = ("lit", self.dboid, self._plan_env(), lk.key)
        cp = self.db.plans.get(key, self.db.catalogs.generation)
        if cp is None:
            return self._plan_and_cache_simple(sql, lk, key)
        raw = self._literals_for(cp, lk, sql)
        if raw is None:
            return self._plan_and_cache_simple(sql, lk, key)
        return self._run_autocommit(cp, [], raw, sql)

    def _literals_for(self, cp: CachedPlan, lk: LiteralKey, sql: str) -> list | None:
        lits = lk.literals
        for ti, text in cp.fixed_tokens.items():
            if ti >= len(lk.tokens):
                return None
            t = lk.tokens[ti]
            if sql[t.start:t.end + 1] != text:
                return None
        out = []
        by_index = {i: (name, text) for i, name, text in lits}
        for slot, (ti, negate, natural) in enumerate(cp.slots):
            tok = by_index.get(ti)
            if tok is None:
                return None
            tv = token_value(*tok)
            if tv is None:
                return None
            v, nat = tv
            if negate:
                v = -v
                if nat == 20 and v == -(2**31) and natural == 23:
                    nat = 23
            if nat == 23 and natural == 20:
                return None
            if nat != natural:
                return None
            if slot in cp.structural and cp.structural[slot] != v:
                return None
            pos = parser.char_position(sql, self.tokens_start(lk, ti))
            out.append((v, nat, pos))
        return out

    @staticmethod
    def tokens_start(lk: LiteralKey, ti: int) -> int:
        return lk.tokens[ti].start

    def _plan_and_cache_simple(self, sql: str, lk: LiteralKey, key: Any) -> QueryResult | None:
        stmts = parser.parse(sql)
        if len(stmts) != 1 or stmts[0].kind not in _PLANNABLE:
            return self._run_parsed(stmts) if len(stmts) == 1 else None
        raw = stmts[0]
        if raw.kind == "SelectStmt" and raw.body.get("intoClause"):
            return self._run_parsed(stmts)
        consts = parser.collect_consts(raw.node)
        # map every lifted A_Const to its literal token by location
        tok_at = {t.start: i for i, t in enumerate(lk.tokens)}
        lit_index = {i for i, _, _ in lk.literals}
        slots: list[tuple[int, bool, int]] = []
        lift: dict[int, int] | None = {}
        used_tokens: set[int] = set()
        for c in consts:
            loc = c.get("location", -1)
            ti = tok_at.get(loc)
            negate = False
            if ti is not None and ti not in lit_index and lk.tokens[ti].name == "ASCII_45":
                ti, negate = ti + 1, True
            if ti is None or ti not in lit_index or c.get("isnull") or "bsval" in c:
                continue        # a keyword constant (TRUE, NULL, ...): part of the key text
            from tuskdb.sql.analyze.expr import const_type
            try:
                _value, natural = const_type(c)
            except PgError:
                continue        # kept in the key text: analysis reports it, positioned
            lift[id(c)] = len(slots)
            slots.append((ti, negate, natural))
            used_tokens.add(ti)
        if lift is None:
            return self._run_parsed(stmts)
        fixed = {i: text for i, _, text in lk.literals if i not in used_tokens}
        txn_was = self.txn
        try:
            cp = self._plan(raw, [], lift)
        except PgError:
            if txn_was is None and self.txn is not None and self.block == IMPLICIT:
                pass
            raise
        cp.slots = slots
        cp.fixed_tokens = fixed
        self.db.plans.put(key, cp)
        rawlits = self._literals_for(cp, lk, sql)
        if rawlits is None:
            return self._run_parsed(stmts)
        return self._run_autocommit(cp, [], rawlits, sql)

    def _run_parsed(self, stmts: list[parser.RawStmt]) -> QueryResult:
        res = self._execute_raw(stmts[0], multi=False)
        if res.copy_in is not None:
            res.copy_in.autocommit = True     # commits when the client ends the copy
            return res
        if self.block == IMPLICIT:
            self._finish_txn(True)
        return res

    def _run_autocommit(self, cp: CachedPlan, params: list[Any], rawlits: list, sql: str
                        ) -> QueryResult:
        self._check_not_failed()
        self._ensure_txn()
        res = self._run_plan(cp, params, rawlits)
        if self.block == IMPLICIT:
            self._finish_txn(True)
        return res

    def _check_not_failed(self) -> None:
        if self.block == FAILED:
            raise PgError(IN_FAILED_SQL_TRANSACTION, "current transaction is aborted, commands "
                          "ignored until end of transaction block")

    # -- planning and running ---------------------------------------------------------

    def _analyze_state(self, raw: parser.RawStmt, param_types: list[int],
                       lift: dict[int, int] | None) -> AnalyzeState:
        return AnalyzeState(self.catalog(), self, param_types, lift, raw.source)

    def _plan(self, raw: parser.RawStmt, param_types: list[int],
              lift: dict[int, int] | None = None, param_names: list[str] | None = None,
              func_name: str | None = None, pl_hook: Any = None) -> CachedPlan:
        from tuskdb.sql.analyze.dml import analyze_delete, analyze_insert, analyze_update
        from tuskdb.sql.analyze.merge import analyze_merge
        from tuskdb.sql.analyze.select import analyze_select
        from tuskdb.sql.plan.planner import mark_disabled, plan_modify, plan_query, planning

        gen = self.db.catalogs.generation
        state = self._analyze_state(raw, param_types, lift)
        if param_names:
            state.param_names = {n: i + 1 for i, n in enumerate(param_names) if n}
            state.func_name = func_name
        if func_name is not None:
            state.fixed_params = True   # a function body: $n beyond its arguments is an error
        if pl_hook is not None:
            # PL/pgSQL: names and $n not found as columns are the routine's variables
            state.pl_hook = pl_hook
        kind = raw.kind
        body = raw.body
        # the planner reads the session (settings, index predicates) and records the
        # literal values a plan depends on
        with planning(self, state.structural):
            if kind == "SelectStmt":
                q = analyze_select(body, state)
                analyzed = q
                check_params_resolved(state)
                plan = plan_query(q)
                fields = [Field(n, src[0] if src else 0, src[1] if src else 0, *_wire_type(t, m),
                                0) for n, t, m, src in q.output]
                cp = CachedPlan("select", plan, fields, list(state.param_types), gen, "SELECT")
                cp.locking = bool(q.locking)
            else:
                analyze = {"InsertStmt": analyze_insert, "UpdateStmt": analyze_update,
                           "DeleteStmt": analyze_delete, "MergeStmt": analyze_merge}[kind]
                mq = analyze(body, state)
                analyzed = mq
                check_params_resolved(state)
                plan = plan_modify(mq)
                fields = [Field(n, src[0] if src else 0, src[1] if src else 0, *_wire_type(t, m), 0)
                          for n, t, m, src in mq.output] if mq.output else None
                cp = CachedPlan("modify", plan, fields, list(state.param_types), gen, mq.kind)
            cp.dml_ctes = [(info.id, plan_modify(info.modify)) for info in state.dml_ctes]
            mark_disabled(plan)
            for _, mt in cp.dml_ctes:
                mark_disabled(mt)
        cp.structural = dict(state.structural)
        if lift:
            cp.literal_keys = literal_keys(analyzed)
            cp.explicit_literals = frozenset(k for k, explicit in cp.literal_keys if explicit)
        target = mq.rel.oid if kind != "SelectStmt" else None
        select_mode = ROW_SHARE if kind == "SelectStmt" and cp.locking else ACCESS_SHARE
        cp.relations = [(oid, ROW_EXCLUSIVE if oid == target else select_mode)
                        for oid in sorted(state.relations)]
        cp.perminfos = state.perminfos
        if self.txn is not None and getattr(self.txn, "catalog_dirty", False):
            cp.generation = -1      # planned against uncommitted catalogs: never shared
        return cp

    def _run_plan(self, cp: CachedPlan, params: list[Any], rawlits: list | None = None,
                  inner: bool = False) -> QueryResult:
        txn = self.txn
        if txn.read_only and cp.kind == "modify":
            raise PgError("25006", f"cannot execute {cp.tag} in a read-only transaction")
        dboid = self.dboid
        for oid, mode in cp.relations:
            txn.lock_relation(dboid, oid, mode)
        if cp.perminfos:
            self.check_plan_permissions(cp)
        ctx = ExecContext(self, txn, txn.snapshot(), params, rawlits)
        if cp.literal_keys:
            ctx.explicit_literals = cp.explicit_literals
            for key, _ in cp.literal_keys:
                ctx.literal(key)
        self._stmt_count_in_txn = getattr(self, "_stmt_count_in_txn", 0) + 1
        for cte_id, mt in cp.dml_ctes:
            _, rows = mt.run(ctx)
            ctx.subplan_cache[("cte", cte_id)] = rows
        if cp.kind == "select":
            rows = list(cp.plan.rows(ctx))
            res = QueryResult(cp.fields, rows, f"SELECT {len(rows)}")
        else:
            n, out = cp.plan.run(ctx)
            tag = f"INSERT 0 {n}" if cp.tag == "INSERT" else f"{cp.tag} {n}"
            res = QueryResult(cp.fields, out if cp.fields is not None else [], tag)
        txn.command_counter_increment()
        return res

    def _execute_raw(self, raw: parser.RawStmt, multi: bool) -> QueryResult:
        """Run one parsed statement (simple protocol)."""
        kind = raw.kind
        from tuskdb.engine import utility

        if kind == "TransactionStmt":
            return utility.transaction_stmt(self, raw.body, multi)
        self._check_not_failed()
        if kind in _PLANNABLE and not (kind == "SelectStmt" and raw.body.get("intoClause")):
            self._ensure_txn()
            cp = self._plan(raw, [])
            return self._run_plan(cp, [])
        return utility.run_utility(self, raw, multi)

    # -- extended protocol -----------------------------------------------------------------

    def parse(self, name: str, sql: str, param_oids: list[int]) -> None:
        with self.db.latch:
            self._start_statement(sql)
            try:
                if name and name in self.prepared:
                    raise PgError(DUPLICATE_PREPARED_STATEMENT, f'prepared statement "{name}" '
                                  f"already exists")
                stmts = parser.parse(sql)
                if len(stmts) > 1:
                    raise PgError(SYNTAX_ERROR, "cannot insert multiple commands into a "
                                  "prepared statement")
                raw = stmts[0] if stmts else None
                if raw is not None and raw.kind != "TransactionStmt":
                    self._check_not_failed()
                ps = PreparedStatement(name, sql, raw, list(param_oids))
                if raw is not None and raw.kind in _PLANNABLE:
                    ps.plan = self._cached_parse_plan(ps)
                    ps.param_types = ps.plan.param_types
                self.prepared[name] = ps
            finally:
                self._end_statement()

    def _cached_parse_plan(self, ps: PreparedStatement) -> CachedPlan:
        key = ("parse", self.dboid, self._plan_env(), ps.sql, tuple(ps.param_types))
        gen = self.db.catalogs.generation
        # a transaction that changed catalogs must not reuse plans of the committed ones
        dirty = self.txn is not None and getattr(self.txn, "catalog_dirty", False)
        cp = None if dirty else self.db.plans.get(key, gen)
        if cp is None:
            self._ensure_txn()
            cp = self._plan(ps.raw, list(ps.param_types))
            if cp.generation >= 0:
                self.db.plans.put(key, cp)
        return cp

    def _stmt(self, name: str) -> PreparedStatement:
        ps = self.prepared.get(name)
        if ps is None:
            raise PgError(INVALID_SQL_STATEMENT_NAME, f'prepared statement "{name}" does not '
                          f"exist")
        return ps

    def _fresh_plan(self, ps: PreparedStatement) -> CachedPlan:
        cp = ps.plan
        if cp is None or cp.generation != self.db.catalogs.generation:
            self._ensure_txn()
            cp = self._plan(ps.raw, list(ps.param_types))
            ps.plan = cp
        return cp

    def describe_statement(self, name: str) -> tuple[list[int], list[Field] | None]:
        with self.db.latch:
            ps = self._stmt(name)
            if ps.raw is None:
                return list(ps.param_types), None
            if ps.raw.kind in _PLANNABLE:
                cp = self._fresh_plan(ps)
                return list(cp.param_types), cp.fields
            from tuskdb.engine import utility
            return list(ps.param_types), utility.describe_utility(self, ps.raw)

    def bind(self, portal: str, stmt_name: str, param_formats: list[int],
             params: list[bytes | None], result_formats: list[int]) -> None:
        with self.db.latch:
            _interrupts.set_current(self.interrupts)
            ps = self._stmt(stmt_name)
            if ps.raw is not None and ps.raw.kind != "TransactionStmt":
                self._check_not_failed()
            ptypes = ps.param_types
            if ps.raw is not None and ps.raw.kind in _PLANNABLE:
                ptypes = self._fresh_plan(ps).param_types
            if len(params) != len(ptypes):
                raise PgError(PROTOCOL_VIOLATION, f"bind message supplies {len(params)} "
                              f"parameters, but prepared statement \"{stmt_name}\" requires "
                              f"{len(ptypes)}")
            if len(param_formats) not in (0, 1, len(params)):
                raise PgError(PROTOCOL_VIOLATION, f"bind message has {len(param_formats)} "
                              f"parameter formats but {len(params)} parameters")
            values = []
            ctx = self.type_context
            for i, (raw, t) in enumerate(zip(params, ptypes)):
                if raw is None:
                    values.append(None)
                    continue
                fmt = param_formats[0] if len(param_formats) == 1 else (
                    param_formats[i] if param_formats else 0)
                typ = types.TYPES.get(t or 25)
                if typ is None:
                    raise PgError(FEATURE_NOT_SUPPORTED, f"parameter type {t} is not supported")
                try:
                    if fmt == 1:
                        values.append(typ.recv(bytes(raw), -1, ctx))
                    elif t in REG_TYPES:
                        values.append(reg_input(self, t, bytes(raw).decode("utf-8")))
                    elif reg_array_elem(t) is not None:
                        values.append(reg_array_input(self, t, bytes(raw).decode("utf-8")))
                    else:
                        values.append(typ.input(bytes(raw).decode("utf-8"), -1, ctx))
                except UnicodeDecodeError:
                    raise PgError("22021", "invalid byte sequence for encoding \"UTF8\"") \
                        from None
                except PgError as err:
                    # a receive function's own complaint ('invalid radius in external
                    # "circle" value', 'insufficient data left in message') reaches the
                    # client as is; the generic one names the parameter
                    if fmt == 1 and err.sqlstate not in ("22003", "08P01") and (
                            err.sqlstate != "22P03"
                            or err.message == "incorrect binary data format"):
                        raise PgError("22P03", f"incorrect binary data format in bind parameter "
                                      f"{i + 1}") from None
                    raise
            if portal and portal in self.portals:
                raise PgError(DUPLICATE_CURSOR, f'cursor "{portal}" already exists')
            self.portals[portal] = Portal(portal, ps, values, list(result_formats))

    def _portal(self, name: str) -> Portal:
        p = self.portals.get(name)
        if p is None:
            raise PgError(INVALID_CURSOR_NAME, f'portal "{name}" does not exist')
        return p

    def _portal_fields(self, p: Portal) -> list[Field] | None:
        ps = p.stmt
        if ps.raw is None:
            return None
        if ps.raw.kind in _PLANNABLE:
            base = self._fresh_plan(ps).fields
        else:
            from tuskdb.engine import utility
            base = utility.describe_utility(self, ps.raw)
        if base is None:
            return None
        fmts = p.result_formats
        if len(fmts) not in (0, 1, len(base)):
            raise PgError(PROTOCOL_VIOLATION, f"bind message has {len(fmts)} result formats "
                          f"but query has {len(base)} columns")
        if not fmts or (len(fmts) == 1 and fmts[0] == 0) or not any(fmts):
            if any(f.format for f in base):
                # a binary cursor's FETCH: the Bind's formats override the cursor's
                return [f._replace(format=0) for f in base]
            return base
        out = []
        for i, f in enumerate(base):
            fmt = fmts[0] if len(fmts) == 1 else fmts[i]
            out.append(f._replace(format=fmt))
        return out

    def describe_portal(self, name: str) -> list[Field] | None:
        with self.db.latch:
            if name not in self.portals and name in self.cursors:
                return self.cursors[name].fields      # a cursor is a portal too
            p = self._portal(name)
            if p.fields is None:
                p.fields = self._portal_fields(p)
            return p.fields

    def execute(self, portal_name: str, max_rows: int) -> QueryResult:
        with self.db.latch:
            p = self._portal(portal_name)
            ps = p.stmt
            self._start_statement(ps.sql)
            try:
                return self._execute_portal(p, max_rows)
            except PgError:
                self._on_error()
                raise
            except Exception as exc:
                self._on_error()
                raise internal_error(exc, self) from exc
            finally:
                self._end_statement()

    def _execute_portal(self, p: Portal, max_rows: int) -> QueryResult:
        ps = p.stmt
        if ps.raw is None:
            return QueryResult(empty=True)
        if p.fields is None:
            p.fields = self._portal_fields(p)
        if p.rows is None and not p.done:
            kind = ps.raw.kind
            multi = self.pipelining
            if kind == "TransactionStmt":
                from tuskdb.engine import utility
                p.done = True
                return utility.transaction_stmt(self, ps.raw.body, multi)
            self._check_not_failed()
            if kind in _PLANNABLE:
                self._ensure_txn()
                cp = self._fresh_plan(ps)
                res = self._run_plan(cp, p.params)
            else:
                from tuskdb.engine import utility
                self._ensure_txn()      # every statement runs in a transaction (SHOW too)
                res = utility.run_utility(self, ps.raw, multi, params=p.params)
                if res.copy_in is not None or res.copy_out is not None:
                    p.done = True
                    return res
            p.tag = res.tag
            p.rows = iter(res.rows)
            p.count = 0
            if res.fields is not None and p.fields is None:
                p.fields = res.fields
        if p.done:
            # a completed portal yields nothing more (PostgreSQL: "SELECT 0")
            tag = "SELECT 0" if p.tag.startswith("SELECT") else p.tag
            return QueryResult(p.fields, [], tag)
        rows = []
        it = p.rows
        if max_rows > 0:
            for row in it:
                rows.append(row)
                if len(rows) >= max_rows:
                    break
            p.count += len(rows)
            if len(rows) >= max_rows:
                # like PostgreSQL, no look-ahead: a full batch always suspends
                return QueryResult(p.fields, rows, "", suspended=True)
        else:
            rows = list(it)
            p.count += len(rows)
        p.done = True
        # later statements before Sync run in the implicit block this one opened
        self.pipelining = self.txn is not None
        tag = p.tag
        if tag.startswith("SELECT"):
            tag = f"SELECT {len(rows)}"    # rows sent by this Execute, as PostgreSQL counts
        return QueryResult(p.fields, rows, tag)

    def close_statement(self, name: str) -> None:
        with self.db.latch:
            self.prepared.pop(name, None)

    def close_portal(self, name: str) -> None:
        with self.db.latch:
            self.portals.pop(name, None)

    def sync(self) -> None:
        with self.db.latch:
            self.portals.pop("", None)
            self.pipelining = False
            if self.block == IMPLICIT:
                self._finish_txn(True)

    def error_in_extended(self) -> None:
        with self.db.latch:
            if getattr(self, "_failed_in_send", False):
                self._failed_in_send = False      # already recorded by _deliver
                return
            if self.block == IMPLICIT:
                self._finish_txn(False)
            elif self.block == INPROGRESS:
                self.block = FAILED

    def encoders(self, fields: list[Field]) -> list[Any]:
        ctx = self.type_context
        out = []
        for f in fields:
            t = types.TYPES.get(f.type_oid) or types.TYPES[25]
            if f.format == 1:
                send = t.send
                out.append(lambda v, _s=send, _c=ctx: _s(v, _c))
            else:
                output = t.output
                if f.type_oid in REG_TYPES:
                    out.append(lambda v, _t=f.type_oid: reg_output(self, _t, v).encode())
                elif t.category == "A" and t.elem_oid in REG_TYPES:
                    from tuskdb.types.arrays import array_out
                    out.append(lambda v, _t=t.elem_oid: array_out(
                        v, lambda x, c: reg_output(self, _t, x), None).encode())
                elif f.type_oid in (23, 20, 21, 26):
                    out.append(_int_text)
                elif f.type_oid in (25, 1043, 19):
                    out.append(_str_text)
                else:
                    out.append(lambda v, _o=output, _c=ctx: _o(v, _c).encode())
        return out

    @property
    def introspect(self) -> Any:
        from tuskdb.engine.introspect import Introspect
        return Introspect(self)

    def cancel(self) -> None:
        self.interrupts.cancel()

    def terminate(self) -> None:
        self.interrupts.terminate_requested = True
        cb = getattr(self, "terminate_callback", None)
        if cb is not None:
            cb()

    def check_client(self, now: float) -> None:
        """During a long statement: give up if the client has gone away."""
        if self.client_check is None or now - self._last_client_check < CLIENT_CHECK_INTERVAL:
            return
        self._last_client_check = now
        if not self.client_check():
            raise PgError("08006", "connection to client lost", severity="FATAL")

    def close(self) -> None:
        with self.db.latch:
            if self.closed:
                return
            self.closed = True
            self.db.notify_hub.forget(self)
            if self.txn is not None:
                try:
                    self._finish_txn(False)
                except PgError:
                    pass
            try:
                self._drop_temp_objects()
            except PgError:
                pass
            self.db.session_closed(self)

    # -- sequences (non-transactional) -------------------------------------------------------

    def _sequence(self, name: Any) -> Any:
        from tuskdb.sql.commands.sequence import lookup_sequence
        return lookup_sequence(self, name)

    def nextval(self, name: Any) -> int:
        from tuskdb.sql.commands.sequence import nextval
        return nextval(self, name)

    def identity_nextval(self, seq_oid: int) -> int:
        from tuskdb.sql.commands.sequence import nextval
        return nextval(self, seq_oid, aclcheck=False)

    def currval(self, name: Any) -> int:
        from tuskdb.sql.commands.sequence import currval
        return currval(self, name)

    def lastval(self) -> int:
        from tuskdb.errors import OBJECT_NOT_IN_PREREQUISITE_STATE
        if self.last_seq is None or self.last_seq not in self.seq_currval:
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, "lastval is not yet defined in this "
                          "session")
        rel = self.catalog().relation_by_oid(self.last_seq)
        if rel is None:         # the sequence was dropped since
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, "lastval is not yet defined in "
                          "this session")
        from tuskdb.sql.commands.sequence import _seq_aclcheck
        _seq_aclcheck(self, rel, "rU")
        return self.seq_currval[self.last_seq]

    def reg_output(self, type_oid: int, oid: int) -> str:
        """Text of a regclass/regtype/regnamespace/regrole value (casts to text)."""
        return reg_output(self, type_oid, oid)

    def reg_input(self, type_oid: int, text: str) -> Any:
        """A regclass (& co.) value from its text, or an array of them."""
        if reg_array_elem(type_oid) is not None:
            return reg_array_input(self, type_oid, text)
        return reg_input(self, type_oid, text)

    def reg_array_input(self, type_oid: int, text: str) -> Any:
        """A regclass[] (& co.) value from its text: each element looked up."""
        return reg_array_input(self, type_oid, text)

    def pg_get_serial_sequence(self, table: str, column: str) -> str | None:
        from tuskdb.catalog.rows import COLUMN_POS
        from tuskdb.engine.regtypes import REGCLASS, reg_input
        cat = self.catalog()
        reloid = reg_input(self, REGCLASS, table)
        rel = cat.relation_by_oid(reloid)
        col = rel.column(column) if rel is not None else None
        if col is None:
            raise PgError("42703", f'column "{column}" of relation "{rel.name if rel else table}" '
                          f"does not exist")
        p = COLUMN_POS["pg_depend"]
        deps = cat.find("pg_depend", refobjid=reloid, deptype="a") + \
            cat.find("pg_depend", refobjid=reloid, deptype="i")     # serial or identity
        for _, dep in deps:
            seq = cat.relation_by_oid(dep[p["objid"]])
            if seq is not None and seq.relkind == "S" and dep[p["refobjsubid"]] == col.attnum:
                name = seq.name if seq.name == seq.name.lower() else f'"{seq.name}"'
                return f"{seq.nspname}.{name}"
        return None

    def set_config(self, name: str, value: str | None, is_local: bool) -> str:
        if is_local and self.block not in (INPROGRESS, FAILED):
            # outside a transaction block a local setting lasts until the statement's end
            pass
        self._set_guc(name, value if value is not None else "", local=is_local)
        return self.show(name)[1]

    def setval(self, name: Any, value: int, is_called: bool = True) -> int:
        from tuskdb.sql.commands.sequence import setval
        return setval(self, name, value, is_called)

    # statistics hooks used by ModifyTable (pg_stat_user_tables comes later)
    def note_insert(self, rel: Any, n: int) -> None:
        self.db.stats_note(rel, "ins", n)

    def note_update(self, rel: Any, n: int) -> None:
        self.db.stats_note(rel, "upd", n)

    def note_delete(self, rel: Any, n: int) -> None:
        self.db.stats_note(rel, "del", n)


_END = object()


def _int_text(v: Any) -> bytes:
    return str(v).encode()


def _str_text(v: Any) -> bytes:
    return v.encode()


def _wire_type(oid: int, typmod: int) -> tuple[int, int, int]:
    """(type oid, typlen, typmod) of a result column as RowDescription reports it: a
    domain is sent as its base type (printtup does getBaseTypeAndTypmod)."""
    if oid >= 16384:
        from tuskdb.types.usertypes import base_type_and_typmod
        b, bm = base_type_and_typmod(oid, typmod)
        if b != oid:
            return b, _typlen(b), bm
    return oid, _typlen(oid), typmod


def _typlen(oid: int) -> int:
    t = types.TYPES.get(oid)
    return t.typlen if t is not None else -1


def _split_path(raw: str) -> list[str]:
    out = []
    for part in raw.split(","):
        p = part.strip()
        if p.startswith('"') and p.endswith('"') and len(p) >= 2:
            p = p[1:-1].replace('""', '"')
        else:
            p = p.lower()
        if p:
            out.append(p)
    return out


def drop_namespace_contents(s: Any, nsp: int, drop_schema: bool) -> None:
    """Drop every relation of a schema in a transaction of its own (temp cleanup)."""
    from tuskdb.catalog.rows import COLUMN_POS
    from tuskdb.sql.commands.tablecmds import drop_relation
    db = s.db
    saved = s.txn
    txn = db.txns.begin()
    s.txn = txn
    try:
        cat = db.catalog_view(s.dboid, txn)
        p = COLUMN_POS["pg_class"]
        for row in list(cat.rows("pg_class")):
            if row[p["relnamespace"]] == nsp and row[p["relkind"]] in ("r", "v", "S", "p", "f"):
                rel = cat.relation_by_oid(row[p["oid"]])
                if rel is not None:
                    drop_relation(s, cat, rel)
                    cat.command_counter_increment()
        if drop_schema:
            cat.delete_where("pg_namespace", oid=nsp)
            # and the schema of its tables' TOAST relations (commands/toasting.py)
            toast_nsp = cat.namespace_oid(f"pg_toast_temp_{s.temp_id}")
            if toast_nsp is not None:
                cat.delete_where("pg_namespace", oid=toast_nsp)
        txn.commit()
    except BaseException:
        if txn.state == "active":
            txn.abort()
        raise
    finally:
        s.txn = saved


def internal_error(exc: BaseException, session: Any = None) -> PgError:
    if isinstance(exc, RecursionError):
        # check_stack_depth(): a too deeply nested value (JSON, expressions)
        depth = None
        if session is not None:
            try:
                depth = session.current_setting("max_stack_depth", True)
            except Exception:  # noqa: BLE001
                depth = None
        return PgError("54001", "stack depth limit exceeded",
                       hint=f'Increase the configuration parameter "max_stack_depth" '
                       f'(currently {depth or "2048kB"}), after ensuring the platform\'s stack '
                       "depth limit is adequate.")
    return PgError("XX000", f"internal error: {type(exc).__name__}: {exc}")


__all__ = ["NO_ACTIVE_SQL_TRANSACTION", "Portal", "PreparedStatement", "Session", "notice"]
