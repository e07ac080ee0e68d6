"""Utility statements: transaction control, SET/SHOW, DDL dispatch (ProcessUtility)."""

from __future__ import annotations

from typing import Any

from tuskdb.errors import (ACTIVE_SQL_TRANSACTION, FEATURE_NOT_SUPPORTED,
                           NO_ACTIVE_SQL_TRANSACTION, PgError, notice)
from tuskdb.engine.results import Field, QueryResult
from tuskdb.sql import parser

_S = "idle implicit inprogress failed".split()
IDLE, IMPLICIT, INPROGRESS, FAILED = _S


# -- transaction-block checks (PostgreSQL's xact.c) -------------------------------------
#
# A statement is "in a transaction block" inside BEGIN ... COMMIT, and also in the implicit
# block of a query string of several statements and of an extended-protocol pipeline
# after its first Execute (Session.in_transaction_block).  A statement run by a function
# is not at top level (Session.is_top_level): the function's caller owns the transaction.


def prevent_in_transaction_block(s: Any, what: str) -> None:
    """PreventInTransactionBlock: ``what`` manages its own transactions."""
    if s.in_transaction_block():
        raise PgError(ACTIVE_SQL_TRANSACTION, f"{what} cannot run inside a transaction block")
    if not s.is_top_level():
        raise PgError(ACTIVE_SQL_TRANSACTION, f"{what} cannot be executed from a function")


def require_transaction_block(s: Any, what: str) -> None:
    """RequireTransactionBlock: ``what`` is pointless outside a transaction block."""
    if s.in_transaction_block() or not s.is_top_level():
        return
    raise PgError(NO_ACTIVE_SQL_TRANSACTION, f"{what} can only be used in transaction blocks")


def warn_no_transaction_block(s: Any, what: str) -> bool:
    """WarnNoTransactionBlock: the warning, when ``what`` runs outside a transaction
    block at top level; True if it was given."""
    if s.in_transaction_block() or not s.is_top_level():
        return False
    s.add_notice(notice(f"{what} can only be used in transaction blocks",
                        sqlstate=NO_ACTIVE_SQL_TRANSACTION, severity="WARNING"))
    return True


def transaction_stmt(s: Any, body: dict, multi: bool) -> QueryResult:
    kind = body["kind"]
    if kind in ("TRANS_STMT_BEGIN", "TRANS_STMT_START"):
        if s.block == FAILED:
            s._check_not_failed()
        if s.block == INPROGRESS:
            s.add_notice(notice("there is already a transaction in progress",
                                sqlstate=ACTIVE_SQL_TRANSACTION, severity="WARNING"))
        else:
            s._ensure_txn()
            s.block = INPROGRESS
            _transaction_modes(s, body.get("options") or [])
        return QueryResult(tag="BEGIN" if kind == "TRANS_STMT_BEGIN" else "START TRANSACTION")
    if kind == "TRANS_STMT_COMMIT":
        if body.get("chain"):
            return _end_and_chain(s, commit=True)
        if s.block == FAILED:
            s._finish_txn(False)
            return QueryResult(tag="ROLLBACK")
        if s.block != INPROGRESS:
            return _no_transaction_block(s, commit=True)
        s._finish_txn(True)
        return QueryResult(tag="COMMIT")
    if kind == "TRANS_STMT_ROLLBACK":
        if body.get("chain"):
            return _end_and_chain(s, commit=False)
        if s.block not in (INPROGRESS, FAILED):
            return _no_transaction_block(s, commit=False)
        s._finish_txn(False)
        return QueryResult(tag="ROLLBACK")
    if kind == "TRANS_STMT_SAVEPOINT":
        s._check_not_failed()
        if s.block != INPROGRESS:
            raise PgError(NO_ACTIVE_SQL_TRANSACTION, "SAVEPOINT can only be used in transaction "
                          "blocks")
        name = body["savepoint_name"]
        level = s.txn.savepoint()
        s.savepoints.append((name, level))
        return QueryResult(tag="SAVEPOINT")
    if kind == "TRANS_STMT_RELEASE":
        s._check_not_failed()
        if s.block != INPROGRESS:
            raise PgError(NO_ACTIVE_SQL_TRANSACTION, "RELEASE SAVEPOINT can only be used in "
                          "transaction blocks")
        name = body["savepoint_name"]
        idx = _find_savepoint(s, name)
        level = s.savepoints[idx][1]
        s.txn.release(level)
        del s.savepoints[idx:]
        return QueryResult(tag="RELEASE")
    if kind == "TRANS_STMT_ROLLBACK_TO":
        if s.block not in (INPROGRESS, FAILED):
            raise PgError(NO_ACTIVE_SQL_TRANSACTION, "ROLLBACK TO SAVEPOINT can only be used "
                          "in transaction blocks")
        name = body["savepoint_name"]
        idx = _find_savepoint(s, name)
        level = s.savepoints[idx][1]
        s.txn.rollback_to(level)
        # the savepoint itself stays (PostgreSQL re-establishes it)
        del s.savepoints[idx + 1:]
        s.savepoints[idx] = (name, s.txn.nesting_level)
        s.block = INPROGRESS
        return QueryResult(tag="ROLLBACK")
    if kind == "TRANS_STMT_PREPARE":
        return _prepare_transaction(s)
    if kind in ("TRANS_STMT_COMMIT_PREPARED", "TRANS_STMT_ROLLBACK_PREPARED"):
        what = "COMMIT PREPARED" if kind == "TRANS_STMT_COMMIT_PREPARED" else \
            "ROLLBACK PREPARED"
        prevent_in_transaction_block(s, what)
        # no transaction is ever prepared (max_prepared_transactions is 0)
        raise PgError("42704", f'prepared transaction with identifier "{body.get("gid")}" '
                      "does not exist")
    raise PgError(FEATURE_NOT_SUPPORTED, f"{kind.replace('TRANS_STMT_', '')} is not supported")


def _no_transaction_block(s: Any, commit: bool) -> QueryResult:
    """COMMIT / ROLLBACK / PREPARE TRANSACTION outside a transaction block: a
    warning, and the implicit transaction of a multi-statement message ends."""
    s.add_notice(notice("there is no transaction in progress",
                        sqlstate=NO_ACTIVE_SQL_TRANSACTION, severity="WARNING"))
    if s.block == IMPLICIT:
        s._finish_txn(commit)
    return QueryResult(tag="COMMIT" if commit else "ROLLBACK")


def _prepare_transaction(s: Any) -> QueryResult:
    """PREPARE TRANSACTION: two-phase commit needs max_prepared_transactions > 0,
    which TuskDB keeps at 0 (it has no prepared transactions): the transaction is
    rolled back with PostgreSQL's error for that setting."""
    if s.block not in (INPROGRESS, FAILED):
        return _no_transaction_block(s, commit=False)
    failed = s.block == FAILED
    s._finish_txn(False)
    if failed:
        return QueryResult(tag="ROLLBACK")
    if s.settings.get("max_prepared_transactions"):
        raise PgError(FEATURE_NOT_SUPPORTED, "PREPARE TRANSACTION is not supported")
    raise PgError("55000", "prepared transactions are disabled",
                  hint='Set "max_prepared_transactions" to a nonzero value.')


def _end_and_chain(s: Any, commit: bool) -> QueryResult:
    """COMMIT/ROLLBACK AND CHAIN: end the block and at once start a new one with the
    same isolation level, read-only and deferrable modes.  An aborted block is rolled
    back (COMMIT AND CHAIN then reports ROLLBACK) and the chain still happens."""
    what = "COMMIT" if commit else "ROLLBACK"
    if s.block not in (INPROGRESS, FAILED):
        raise PgError(NO_ACTIVE_SQL_TRANSACTION,
                      f"{what} AND CHAIN can only be used in transaction blocks")
    iso = s.settings["transaction_isolation"]
    ro = bool(s.txn.read_only) if s.txn is not None else False
    deferrable = s.settings.get("transaction_deferrable", False)
    tag = what
    if s.block == FAILED:
        commit = False
        tag = "ROLLBACK"
    s._finish_txn(commit)
    txn = s._ensure_txn()
    s.block = INPROGRESS
    s.settings["transaction_isolation"] = iso
    txn.isolation = iso
    txn.read_only = ro
    s.settings["transaction_read_only"] = ro
    s.settings["transaction_deferrable"] = deferrable
    return QueryResult(tag=tag)


def _find_savepoint(s: Any, name: str) -> int:
    for i in range(len(s.savepoints) - 1, -1, -1):
        if s.savepoints[i][0] == name:
            return i
    raise PgError("3B001", f'savepoint "{name}" does not exist')


def _transaction_modes(s: Any, options: list) -> None:
    for opt in options:
        d = opt["DefElem"]
        name = d["defname"]
        arg = d.get("arg", {})
        val = arg.get("A_Const", {})
        if name == "transaction_isolation":
            s._set_isolation(val["sval"]["sval"])
        elif name == "transaction_read_only":
            ro = bool(val.get("ival", {}).get("ival", 0))
            s.txn.read_only = ro
            s.settings["transaction_read_only"] = ro
        elif name == "transaction_deferrable":
            s.settings["transaction_deferrable"] = bool(val.get("ival", {}).get("ival", 0))


def _const_text(node: dict) -> str:
    kind, body = next(iter(node.items()))
    if kind == "A_Const":
        if "sval" in body:
            return body["sval"]["sval"]
        if "ival" in body:
            return str(body["ival"].get("ival", 0))
        if "fval" in body:
            return body["fval"]["fval"]
        if "boolval" in body:
            return "on" if body["boolval"].get("boolval") else "off"
    if kind == "TypeCast":
        return _const_text(body["arg"])
    if kind == "ColumnRef":
        return body["fields"][0]["String"]["sval"]
    raise PgError("42601", "syntax error in SET value")


def set_stmt(s: Any, body: dict, multi: bool = False) -> QueryResult:
    kind = body["kind"]
    name = body.get("name", "")
    if body.get("is_local") and kind != "VAR_SET_MULTI":
        warn_no_transaction_block(s, "SET LOCAL")
    # the setting belongs to the current transaction (SET LOCAL ends with it; a plain SET
    # is undone if it aborts)
    s._ensure_txn()
    if name in ("role", "session_authorization") and kind in (
            "VAR_SET_VALUE", "VAR_SET_DEFAULT", "VAR_RESET"):
        value = None
        if kind == "VAR_SET_VALUE":
            value = ", ".join(_const_text(a) for a in body.get("args") or [])
        s._ensure_txn()
        local = bool(body.get("is_local"))
        if name == "role":
            s.set_role(value if value is not None else "none", local)
        else:
            s.set_session_authorization(value, local)
        return QueryResult(tag="RESET" if kind == "VAR_RESET" else "SET")
    if kind == "VAR_SET_VALUE":
        args = body.get("args") or []
        if name == "timezone" and args and "A_Const" in args[0] and "ival" in args[0]["A_Const"]:
            value = str(args[0]["A_Const"]["ival"].get("ival", 0))
        else:
            value = ", ".join(_const_text(a) for a in args)
        if name == "search_path":
            value = ", ".join(_quote_ident_if_needed(_const_text(a)) for a in args)
        s._set_guc(name, value, local=bool(body.get("is_local")))
        return QueryResult(tag="SET")
    if kind in ("VAR_SET_DEFAULT", "VAR_RESET"):
        s._reset_guc(name)
        return QueryResult(tag="SET" if kind == "VAR_SET_DEFAULT" else "RESET")
    if kind == "VAR_RESET_ALL":
        from tuskdb.engine import guc
        for g in guc.GUCS.values():
            if g.context in ("user", "superuser") and g.name.lower() not in (
                    "transaction_isolation", "transaction_read_only",
                    "transaction_deferrable", "session_authorization", "role"):
                s._reset_guc(g.name)
        return QueryResult(tag="RESET")
    if kind == "VAR_SET_MULTI":
        if name == "TRANSACTION":
            if warn_no_transaction_block(s, "SET TRANSACTION"):
                return QueryResult(tag="SET")
            _transaction_modes(s, body.get("args") or [])
            return QueryResult(tag="SET")
        if name == "SESSION CHARACTERISTICS":
            for opt in body.get("args") or []:
                d = opt["DefElem"]
                if d["defname"] == "transaction_isolation":
                    s._set_guc("default_transaction_isolation",
                               d["arg"]["A_Const"]["sval"]["sval"])
                elif d["defname"] in ("transaction_read_only", "transaction_deferrable"):
                    on = bool(d["arg"]["A_Const"].get("ival", {}).get("ival", 0))
                    s._set_guc("default_" + d["defname"], "on" if on else "off")
            return QueryResult(tag="SET")
    raise PgError(FEATURE_NOT_SUPPORTED, f"SET {kind} is not supported")


def _quote_ident_if_needed(name: str) -> str:
    if name and (name == name.lower()) and name.replace("_", "a").isalnum() \
            and not name[0].isdigit():
        return name
    return '"' + name.replace('"', '""') + '"'


def show_stmt(s: Any, body: dict) -> QueryResult:
    name = body["name"]
    shown_name, value = s.show(name)
    if name.lower() == "timezone":
        shown_name = "TimeZone"
    col = shown_name if name.lower() not in ("timezone", "datestyle", "intervalstyle") \
        else {"timezone": "TimeZone", "datestyle": "DateStyle",
              "intervalstyle": "IntervalStyle"}[name.lower()]
    return QueryResult([Field(col, 0, 0, 25, -1, -1, 0)], [(value,)], "SHOW")


def describe_utility(s: Any, raw: parser.RawStmt) -> list[Field] | None:
    if raw.kind == "VariableShowStmt":
        return show_stmt(s, raw.body).fields
    if raw.kind == "FetchStmt":
        from tuskdb.sql.commands.portalcmds import describe_fetch
        return describe_fetch(s, raw)
    if raw.kind == "ExplainStmt":
        return [Field("QUERY PLAN", 0, 0, 25, -1, -1, 0)]
    return None


def run_utility(s: Any, raw: parser.RawStmt, multi: bool, params: list | None = None
                ) -> QueryResult:
    from tuskdb.sql import commands

    kind = raw.kind
    body = raw.body
    if kind == "VariableSetStmt":
        return set_stmt(s, body, multi)
    if kind == "VariableShowStmt":
        return show_stmt(s, body)
    if kind in ("ListenStmt", "UnlistenStmt", "NotifyStmt"):
        return _async_stmt(s, kind, body)
    if kind == "SelectStmt" and body.get("intoClause"):
        from tuskdb.sql.commands.tablecmds import select_into
        s._ensure_txn()
        res = select_into(s, raw)
        s.txn.command_counter_increment()
        return res
    handler = commands.HANDLERS.get(kind)
    if handler is None:
        raise PgError(FEATURE_NOT_SUPPORTED, f"{_statement_name(kind)} is not supported")
    what = getattr(handler, "no_transaction_block", None)
    if callable(what):
        what = what(raw)
    if what:
        prevent_in_transaction_block(s, what)
        if s.txn is not None and s.block == IMPLICIT:
            s._finish_txn(True)
        res = handler(s, raw)
        if s.txn is not None and s.block == IMPLICIT:
            s._finish_txn(True)         # committed at once (XACT_FLAGS_NEEDIMMEDIATECOMMIT)
        return res
    s._ensure_txn()
    res = handler(s, raw)
    if s.txn is not None:
        s.txn.command_counter_increment()
    return res


# words PostgreSQL's node names abbreviate
_NODE_WORDS = {"Trig": "Trigger", "P Lang": "Language", "Fdw": "Foreign Data Wrapper",
               "Op": "Operator", "T S": "Text Search", "Am": "Access Method",
               "Table Space": "Tablespace", "Stats": "Statistics"}
_NODE_NAMES = {"RuleStmt": "CREATE RULE", "SecLabelStmt": "SECURITY LABEL"}


def _async_stmt(s: Any, kind: str, body: dict) -> QueryResult:
    """LISTEN / UNLISTEN / NOTIFY: pending in the transaction (engine/notify.py)."""
    from tuskdb.engine import notify
    s._ensure_txn()
    if kind == "NotifyStmt":
        notify.notify(s, body.get("conditionname"), body.get("payload"))
        return QueryResult(tag="NOTIFY")
    channel = body.get("conditionname")
    notify.listen(s, channel, unlisten=kind == "UnlistenStmt")
    return QueryResult(tag="LISTEN" if kind == "ListenStmt" else "UNLISTEN")


def _statement_name(kind: str) -> str:
    """The statement a raw node kind stands for: CreateTrigStmt -> CREATE TRIGGER."""
    import re

    if kind in _NODE_NAMES:
        return _NODE_NAMES[kind]
    base = kind[:-4] if kind.endswith("Stmt") else kind
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", base)
    for short, full in _NODE_WORDS.items():
        words = re.sub(rf"\b{short}\b", full, words)
    return words.upper()
