"""Subscriptions (PostgreSQL's subscriptioncmds.c) as catalog objects.

    CREATE SUBSCRIPTION name CONNECTION 'conninfo' PUBLICATION p [, ...] [WITH (...)]
        pg_subscription (a shared catalog; subdbid = the current database)
    ALTER SUBSCRIPTION name CONNECTION / SET (...) / SET|ADD|DROP PUBLICATION /
        ENABLE / DISABLE / SKIP (lsn) / OWNER TO / RENAME TO / REFRESH PUBLICATION
    DROP SUBSCRIPTION [IF EXISTS] name

TuskDB has no logical replication worker and no walreceiver, so whatever needs the
publisher (connect = true, refresh, dropping a subscription's replication slot, changing
failover) connects first, as PostgreSQL does: the connection string is checked like
libpq's, a publisher that cannot be reached fails with libpq's message, and one that
can be reached fails with 0A000 (the replication protocol client is not built).
"""

from __future__ import annotations

import os
import socket
from typing import Any

from tuskdb.catalog.rows import COLUMN_POS, make_row, replace
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (
    DUPLICATE_OBJECT,
    FEATURE_NOT_SUPPORTED,
    INSUFFICIENT_PRIVILEGE,
    INVALID_PARAMETER_VALUE,
    SYNTAX_ERROR,
    UNDEFINED_OBJECT,
    PgError,
    notice,
)
from tuskdb.sql.commands import foreign_acl as acl
from tuskdb.sql.commands.publicationcmds import _def_string, def_boolean
from tuskdb.types import Array

SUBSCRIPTION_CLASS = 6100
PG_CREATE_SUBSCRIPTION = 6304
S = COLUMN_POS["pg_subscription"]
OBJECT_NOT_IN_PREREQUISITE_STATE = "55000"
CONNECTION_FAILURE = "08006"
ACTIVE_SQL_TRANSACTION = "25001"
DEFAULT_SOCKET_DIR = "/var/run/postgresql"
DEFAULT_PORT = "5432"

# libpq's connection options (PQconndefaults)
_LIBPQ_KEYWORDS = {
    "service", "user", "password", "passfile", "channel_binding", "connect_timeout",
    "dbname", "host", "hostaddr", "port", "client_encoding", "options", "application_name",
    "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "tcp_user_timeout", "sslmode", "sslnegotiation", "sslcompression",
    "sslcert", "sslkey", "sslcertmode", "sslpassword", "sslrootcert", "sslcrl", "sslcrldir",
    "sslsni", "requirepeer", "require_auth", "min_protocol_version", "max_protocol_version",
    "ssl_min_protocol_version", "ssl_max_protocol_version", "gssencmode", "krbsrvname",
    "gsslib", "gssdelegation", "replication", "target_session_attrs", "load_balance_hosts",
    "scram_client_key", "scram_server_key", "oauth_issuer", "oauth_client_id",
    "oauth_client_secret", "oauth_scope",
}

_SYNC_COMMIT = ("local", "remote_write", "remote_apply", "on", "off", "true", "false", "yes",
                "no", "1", "0")


# --- connection strings ------------------------------------------------------------------

def parse_conninfo(text: str) -> dict[str, str]:
    """libpq's conninfo_parse for 'key=value ...' strings (URIs are taken as they are).
    Errors carry libpq's message, newline included."""
    if text.startswith(("postgresql://", "postgres://")):
        return {}
    out: dict[str, str] = {}
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        j = i
        while i < n and text[i] != "=" and not text[i].isspace():
            i += 1
        key = text[j:i]
        while i < n and text[i].isspace():
            i += 1
        if i >= n or text[i] != "=":
            raise _conninfo_error(f'missing "=" after "{key}" in connection info string\n')
        i += 1
        while i < n and text[i].isspace():
            i += 1
        value = []
        if i < n and text[i] == "'":
            i += 1
            while True:
                if i >= n:
                    raise _conninfo_error("unterminated quoted string in connection info "
                                          "string\n")
                ch = text[i]
                if ch == "\\" and i + 1 < n:
                    value.append(text[i + 1])
                    i += 2
                    continue
                if ch == "'":
                    i += 1
                    break
                value.append(ch)
                i += 1
        else:
            while i < n and not text[i].isspace():
                if text[i] == "\\" and i + 1 < n:
                    value.append(text[i + 1])
                    i += 2
                    continue
                value.append(text[i])
                i += 1
        if key not in _LIBPQ_KEYWORDS:
            raise _conninfo_error(f'invalid connection option "{key}"\n')
        out[key] = "".join(value)
    return out


def _conninfo_error(msg: str) -> PgError:
    return PgError(SYNTAX_ERROR, f"invalid connection string syntax: {msg}")


def check_conninfo(cat: Any, conninfo: str, must_use_password: bool) -> dict[str, str]:
    """walrcv_check_conninfo."""
    opts = parse_conninfo(conninfo)
    if must_use_password and not opts.get("password"):
        raise PgError("28000", "password is required",
                      detail="Non-superusers must provide a password in the connection "
                             "string.")
    return opts


def connect_publisher(conninfo: str) -> str:
    """Try to reach the publisher as libpq would; the failure text (None never: a
    reachable publisher ends in 0A000, as the replication client is not built)."""
    opts = parse_conninfo(conninfo)
    port = opts.get("port") or DEFAULT_PORT
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        return f'invalid port number: "{port}"'
    host = opts.get("hostaddr") or opts.get("host") or DEFAULT_SOCKET_DIR
    if "," in host or "," in port:
        raise PgError(FEATURE_NOT_SUPPORTED, "connecting to a publisher is not supported")
    if host.startswith("/"):
        path = os.path.join(host, f".s.PGSQL.{port}")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(2)
                sock.connect(path)
        except FileNotFoundError:
            return (f'connection to server on socket "{path}" failed: No such file or '
                    f"directory\n\tIs the server running locally and accepting connections "
                    f"on that socket?")
        except ConnectionRefusedError:
            return (f'connection to server on socket "{path}" failed: Connection refused\n'
                    f"\tIs the server running locally and accepting connections on that "
                    f"socket?")
        except OSError as e:
            return f'connection to server on socket "{path}" failed: {e.strerror}'
        raise PgError(FEATURE_NOT_SUPPORTED, "connecting to a publisher is not supported")
    if host not in ("localhost", "127.0.0.1", "::1"):
        # only the loopback interface is ever contacted from here
        raise PgError(FEATURE_NOT_SUPPORTED, "connecting to a publisher is not supported")
    addr = "127.0.0.1" if host == "localhost" else host
    try:
        with socket.create_connection((addr, int(port)), timeout=2):
            pass
    except ConnectionRefusedError:
        return (f'connection to server at "{host}", port {port} failed: Connection refused\n'
                f"\tIs the server running on that host and accepting TCP/IP connections?")
    except OSError as e:
        return f'connection to server at "{host}", port {port} failed: {e.strerror}'
    raise PgError(FEATURE_NOT_SUPPORTED, "connecting to a publisher is not supported")


def _could_not_connect(name: str, conninfo: str) -> PgError:
    reason = connect_publisher(conninfo)
    return PgError(CONNECTION_FAILURE, f'subscription "{name}" could not connect to the '
                   f"publisher: {reason}")


# --- options -----------------------------------------------------------------------------

_CREATE_OPTS = ("connect", "enabled", "create_slot", "slot_name", "copy_data",
                "synchronous_commit", "binary", "streaming", "two_phase", "disable_on_error",
                "password_required", "run_as_owner", "failover", "origin")
_ALTER_OPTS = ("slot_name", "synchronous_commit", "binary", "streaming", "disable_on_error",
               "password_required", "run_as_owner", "origin", "failover", "two_phase")
_BOOL_OPTS = ("connect", "enabled", "create_slot", "copy_data", "binary", "two_phase",
              "disable_on_error", "password_required", "run_as_owner", "failover", "refresh")


def validate_slot_name(name: str) -> None:
    """ReplicationSlotValidateName."""
    if not name:
        raise PgError("42602", f'replication slot name "{name}" is too short')
    if len(name.encode()) >= 64:
        raise PgError("42602", f'replication slot name "{name}" is too long')
    if any(not (c.islower() and c.isascii() or c.isdigit() or c == "_") for c in name):
        raise PgError("42602", f'replication slot name "{name}" contains invalid character',
                      hint="Replication slot names may only contain lower case letters, "
                           "numbers, and the underscore character.")


def parse_options(raw: Any, options: list | None, allowed: tuple[str, ...]
                  ) -> dict[str, Any]:
    """parse_subscription_options: the options given, validated one by one."""
    from tuskdb.sql.parser import char_position
    out: dict[str, Any] = {}
    for o in options or []:
        d = o["DefElem"]
        name = d["defname"]
        if name not in allowed:
            raise PgError(SYNTAX_ERROR, f'unrecognized subscription parameter: "{name}"')
        if name in out:
            raise PgError(SYNTAX_ERROR, "conflicting or redundant options",
                          position=char_position(raw.source, d.get("location", -1)))
        if name in _BOOL_OPTS:
            out[name] = def_boolean(d)
        elif name == "slot_name":
            v = _def_string(d) or ""
            if v == "none":
                out[name] = None
            else:
                validate_slot_name(v)
                out[name] = v
        elif name == "synchronous_commit":
            v = _def_string(d) or ""
            if v.lower() not in _SYNC_COMMIT:
                raise PgError(INVALID_PARAMETER_VALUE, f'invalid value for parameter '
                              f'"synchronous_commit": "{v}"',
                              hint="Available values: local, remote_write, remote_apply, on, "
                                   "off.")
            out[name] = v
        elif name == "streaming":
            out[name] = _streaming(d)
        elif name == "origin":
            v = (_def_string(d) or "")
            if v.lower() not in ("none", "any"):
                raise PgError(INVALID_PARAMETER_VALUE, f'unrecognized origin value: "{v}"')
            out[name] = v.lower()
        elif name == "lsn":
            out[name] = d
    return out


def _streaming(d: dict) -> str:
    """defGetStreamingMode: 'f', 't' or 'p'."""
    arg = d.get("arg")
    if arg is None:
        return "t"
    text = (_def_string(d) or "").lower()
    if text == "parallel":
        return "p"
    try:
        return "t" if def_boolean(d) else "f"
    except PgError:
        raise PgError(SYNTAX_ERROR, f'{d["defname"]} requires a Boolean value or '
                      f'"parallel"') from None


def _create_combinations(opts: dict[str, Any]) -> None:
    """The connect = false and slot_name = NONE rules of parse_subscription_options."""
    if opts.get("connect") is False:
        for name in ("enabled", "create_slot", "copy_data"):
            if opts.get(name):
                raise PgError(SYNTAX_ERROR, f"connect = false and {name} = true are mutually "
                              f"exclusive options")
            opts.setdefault(name, False)
    if "slot_name" in opts and opts["slot_name"] is None:
        for name in ("enabled", "create_slot"):
            if opts.get(name):
                raise PgError(SYNTAX_ERROR, f"slot_name = NONE and {name} = true are mutually "
                              f"exclusive options")
        for name in ("enabled", "create_slot"):
            if name not in opts:
                raise PgError(SYNTAX_ERROR, f"subscription with slot_name = NONE must also set "
                              f"{name} = false")


def _publication_names(items: list | None) -> list[str]:
    names: list[str] = []
    for it in items or []:
        name = it["String"]["sval"]
        if name in names:
            raise PgError(DUPLICATE_OBJECT, f'publication name "{name}" used more than once')
        names.append(name)
    return names


def _prevent_in_block(s: Any, what: str) -> None:
    from tuskdb.engine.utility import prevent_in_transaction_block
    prevent_in_transaction_block(s, what)


# --- lookups -----------------------------------------------------------------------------

def find_subscription(cat: Any, name: str, missing_ok: bool = False
                      ) -> tuple[Any, tuple] | None:
    for tid, row in cat.find("pg_subscription", subname=name):
        if row[S["subdbid"]] == cat.dboid:
            return tid, row
    if missing_ok:
        return None
    raise PgError(UNDEFINED_OBJECT, f'subscription "{name}" does not exist')


def _check_owner(s: Any, cat: Any, row: tuple) -> None:
    if not acl.has_privs_of_role(cat, acl.current_role(s, cat), row[S["subowner"]]):
        raise PgError(INSUFFICIENT_PRIVILEGE,
                      f"must be owner of subscription {row[S['subname']]}")


def _password_required_superuser_only() -> PgError:
    return PgError(INSUFFICIENT_PRIVILEGE, "password_required=false is superuser-only",
                   hint="Subscriptions with the password_required option set to false may "
                        "only be created or modified by the superuser.")


# --- CREATE ------------------------------------------------------------------------------

def create_subscription(s: Any, raw: Any) -> QueryResult:
    from tuskdb.catalog import aclchk
    body = raw.body
    cat = s.catalog()
    name = body["subname"]
    opts = parse_options(raw, body.get("options"), _CREATE_OPTS)
    _create_combinations(opts)
    connect = opts.get("connect", True)
    create_slot = opts.get("create_slot", True)
    if create_slot:
        _prevent_in_block(s, "CREATE SUBSCRIPTION ... WITH (create_slot = true)")
    me = acl.current_role(s, cat)
    superuser = acl.is_superuser(cat, me)
    if not acl.has_privs_of_role(cat, me, PG_CREATE_SUBSCRIPTION):
        raise PgError(INSUFFICIENT_PRIVILEGE, "permission denied to create subscription",
                      detail='Only roles with privileges of the "pg_create_subscription" '
                             'role may create subscriptions.')
    aclchk.check_database_create(cat, me)
    password_required = opts.get("password_required", True)
    if not password_required and not superuser:
        raise _password_required_superuser_only()
    if find_subscription(cat, name, True):
        raise PgError(DUPLICATE_OBJECT, f'subscription "{name}" already exists')
    conninfo = body.get("conninfo", "")
    check_conninfo(cat, conninfo, password_required and not superuser)
    publications = _publication_names(body.get("publication"))
    slot = opts.get("slot_name", name)
    enabled = opts.get("enabled", True)
    row = make_row(
        "pg_subscription", oid=cat.m.next_oid(), subdbid=cat.dboid, subskiplsn=0,
        subname=name, subowner=me, subenabled=enabled, subbinary=opts.get("binary", False),
        substream=opts.get("streaming", "p"),
        subtwophasestate="p" if opts.get("two_phase") else "d",
        subdisableonerr=opts.get("disable_on_error", False),
        subpasswordrequired=password_required, subrunasowner=opts.get("run_as_owner", False),
        subfailover=opts.get("failover", False), subconninfo=conninfo, subslotname=slot,
        subsynccommit=opts.get("synchronous_commit", "off"),
        subpublications=Array(publications), suborigin=opts.get("origin", "any"))
    if connect:
        raise _could_not_connect(name, conninfo)
    cat.insert("pg_subscription", row)
    cat.command_counter_increment()
    s.add_notice(notice("subscription was created, but is not connected",
                        severity="WARNING", sqlstate="01000",
                        hint="To initiate replication, you must manually create the "
                             "replication slot, enable the subscription, and refresh the "
                             "subscription."))
    return QueryResult(tag="CREATE SUBSCRIPTION")


# --- ALTER -------------------------------------------------------------------------------

def alter_subscription(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    name = body["subname"]
    tid, sub = find_subscription(cat, name)
    _check_owner(s, cat, sub)
    me = acl.current_role(s, cat)
    superuser = acl.is_superuser(cat, me)
    if not sub[S["subpasswordrequired"]] and not superuser:
        raise _password_required_superuser_only()
    kind = body.get("kind", "")
    changes: dict[str, Any] = {}
    if kind == "ALTER_SUBSCRIPTION_OPTIONS":
        opts = parse_options(raw, body.get("options"), _ALTER_OPTS)
        if "slot_name" in opts:
            if opts["slot_name"] is None and sub[S["subenabled"]]:
                raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, "cannot set slot_name = NONE "
                              "for enabled subscription")
            changes["subslotname"] = opts["slot_name"]
        for opt, col in (("synchronous_commit", "subsynccommit"), ("binary", "subbinary"),
                         ("streaming", "substream"), ("disable_on_error", "subdisableonerr"),
                         ("run_as_owner", "subrunasowner"), ("origin", "suborigin")):
            if opt in opts:
                changes[col] = opts[opt]
        if "password_required" in opts:
            if not opts["password_required"] and not superuser:
                raise _password_required_superuser_only()
            changes["subpasswordrequired"] = opts["password_required"]
        for opt in ("failover", "two_phase"):
            if opt not in opts:
                continue
            if sub[S["subslotname"]] is None:
                raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'cannot set option "{opt}" '
                              f"for a subscription that does not have a slot name")
            if sub[S["subenabled"]]:
                raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, f'cannot set option "{opt}" '
                              f"for enabled subscription")
            if opt == "failover":
                _prevent_in_block(s, "ALTER SUBSCRIPTION ... SET (failover)")
                changes["subfailover"] = opts[opt]
            else:
                changes["subtwophasestate"] = "p" if opts[opt] else "d"
        if "failover" in opts:
            raise _could_not_connect(name, sub[S["subconninfo"]])
    elif kind == "ALTER_SUBSCRIPTION_ENABLED":
        enabled = def_boolean(body["options"][0]["DefElem"])
        if enabled and sub[S["subslotname"]] is None:
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, "cannot enable subscription that "
                          "does not have a slot name")
        changes["subenabled"] = enabled
    elif kind == "ALTER_SUBSCRIPTION_CONNECTION":
        conninfo = body.get("conninfo", "")     # the parser omits an empty string
        check_conninfo(cat, conninfo, sub[S["subpasswordrequired"]] and not superuser)
        changes["subconninfo"] = conninfo
    elif kind in ("ALTER_SUBSCRIPTION_SET_PUBLICATION", "ALTER_SUBSCRIPTION_ADD_PUBLICATION",
                  "ALTER_SUBSCRIPTION_DROP_PUBLICATION"):
        changes["subpublications"] = _alter_publications(s, raw, sub, kind)
    elif kind == "ALTER_SUBSCRIPTION_REFRESH":
        if not sub[S["subenabled"]]:
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, "ALTER SUBSCRIPTION ... REFRESH is "
                          "not allowed for disabled subscriptions")
        parse_options(raw, body.get("options"), ("copy_data",))
        _prevent_in_block(s, "ALTER SUBSCRIPTION ... REFRESH")
        raise _could_not_connect(name, sub[S["subconninfo"]])
    elif kind == "ALTER_SUBSCRIPTION_SKIP":
        changes["subskiplsn"] = _skip_lsn(raw)
    else:
        raise PgError(FEATURE_NOT_SUPPORTED, "this form of ALTER SUBSCRIPTION is not "
                      "supported")
    cat.update("pg_subscription", tid, replace("pg_subscription", sub, **changes))
    cat.command_counter_increment()
    return QueryResult(tag="ALTER SUBSCRIPTION")


def _alter_publications(s: Any, raw: Any, sub: tuple, kind: str) -> Array:
    body = raw.body
    allowed = ("refresh",) if kind == "ALTER_SUBSCRIPTION_DROP_PUBLICATION" \
        else ("refresh", "copy_data")
    opts = parse_options(raw, body.get("options"), allowed)
    names = _publication_names(body.get("publication"))
    current = list(sub[S["subpublications"]].items) if sub[S["subpublications"]] else []
    subname = sub[S["subname"]]
    if kind == "ALTER_SUBSCRIPTION_SET_PUBLICATION":
        new = names
        word = "SET"
    elif kind == "ALTER_SUBSCRIPTION_ADD_PUBLICATION":
        for n in names:
            if n in current:
                raise PgError(DUPLICATE_OBJECT, f'publication "{n}" is already in subscription '
                              f'"{subname}"')
        new = current + names
        word = "ADD"
    else:
        for n in names:
            if n not in current:
                raise PgError("42P17", f'publication "{n}" is not in subscription '
                              f'"{subname}"')
        new = [n for n in current if n not in names]
        if not new:
            raise PgError("42P17", "cannot drop all the publications from a subscription")
        word = "DROP"
    if opts.get("refresh", True):
        if not sub[S["subenabled"]]:
            hint = "Use ALTER SUBSCRIPTION ... SET PUBLICATION ... WITH (refresh = false)." \
                if word == "SET" else \
                f"Use ALTER SUBSCRIPTION ... {word} PUBLICATION ... WITH (refresh = false) " \
                f"instead."
            raise PgError(OBJECT_NOT_IN_PREREQUISITE_STATE, "ALTER SUBSCRIPTION with refresh "
                          "is not allowed for disabled subscriptions", hint=hint)
        _prevent_in_block(s, "ALTER SUBSCRIPTION with refresh")
        raise _could_not_connect(subname, sub[S["subconninfo"]])
    return Array(new)


def _skip_lsn(raw: Any) -> int:
    opts = raw.body.get("options") or []
    for o in opts:
        d = o["DefElem"]
        if d["defname"] != "lsn":
            raise PgError(SYNTAX_ERROR, f'unrecognized subscription parameter: '
                          f'"{d["defname"]}"')
        text = _def_string(d) or ""
        if text.lower() == "none":
            return 0
        lsn = _parse_lsn(text)
        if lsn == 0:
            raise PgError(INVALID_PARAMETER_VALUE, f"invalid WAL location (LSN): {text}")
        return lsn
    return 0


def _parse_lsn(text: str) -> int:
    hi, _, lo = text.partition("/")
    try:
        return (int(hi, 16) << 32) | int(lo, 16)
    except ValueError:
        raise PgError("22P02", f'invalid input syntax for type pg_lsn: "{text}"') from None


# --- DROP, RENAME, OWNER, COMMENT --------------------------------------------------------

def drop_subscription(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    cat = s.catalog()
    for name in [body["subname"]]:
        found = find_subscription(cat, name, True)
        if found is None:
            if body.get("missing_ok"):
                s.add_notice(notice(f'subscription "{name}" does not exist, skipping'))
                continue
            raise PgError(UNDEFINED_OBJECT, f'subscription "{name}" does not exist')
        tid, row = found
        _check_owner(s, cat, row)
        slot = row[S["subslotname"]]
        if slot is not None:
            _prevent_in_block(s, "DROP SUBSCRIPTION")
            reason = connect_publisher(row[S["subconninfo"]])
            raise PgError(CONNECTION_FAILURE, f"could not connect to publisher when attempting "
                          f'to drop replication slot "{slot}": {reason}',
                          hint="Use ALTER SUBSCRIPTION ... DISABLE to disable the subscription, "
                               "and then use ALTER SUBSCRIPTION ... SET (slot_name = NONE) to "
                               "disassociate it from the slot.")
        cat.delete("pg_subscription", tid)
        cat.delete_where("pg_description", objoid=row[S["oid"]], classoid=SUBSCRIPTION_CLASS)
        stats = getattr(cat.m, "subscription_stats_reset", None)
        if stats is not None:
            stats.pop(row[S["oid"]], None)
    cat.command_counter_increment()
    return QueryResult(tag="DROP SUBSCRIPTION")


def rename_subscription(s: Any, cat: Any, name: str, new: str) -> None:
    from tuskdb.catalog import aclchk
    tid, row = find_subscription(cat, name)
    _check_owner(s, cat, row)
    aclchk.check_database_create(cat, acl.current_role(s, cat))
    if find_subscription(cat, new, True):
        raise PgError(DUPLICATE_OBJECT, f'subscription "{new}" already exists')
    cat.update("pg_subscription", tid, replace("pg_subscription", row, subname=new))


def alter_subscription_owner(s: Any, cat: Any, name: str, spec: dict) -> None:
    from tuskdb.catalog import aclchk
    tid, row = find_subscription(cat, name)
    new = acl.rolespec_oid(s, cat, spec)
    if row[S["subowner"]] == new:
        return
    me = acl.current_role(s, cat)
    if not acl.is_superuser(cat, me):
        _check_owner(s, cat, row)
        acl.check_can_set_role(cat, me, new)
        if not row[S["subpasswordrequired"]] and not acl.is_superuser(cat, new):
            raise _password_required_superuser_only()
        aclchk.check_database_create(cat, new)
    cat.update("pg_subscription", tid, replace("pg_subscription", row, subowner=new))


def comment_target(s: Any, cat: Any, obj: dict) -> tuple[int, int]:
    _, row = find_subscription(cat, obj["String"]["sval"])
    _check_owner(s, cat, row)
    return row[S["oid"]], SUBSCRIPTION_CLASS


def owned_subscriptions(cat: Any, role: int) -> list[tuple]:
    """The role's subscriptions in the current database (see owned_publications)."""
    return [(r[S["oid"]], 0, f"owner of subscription {r[S['subname']]}", "pg_subscription",
             r[S["oid"]], "owner") for _, r in cat.find("pg_subscription", subowner=role)
            if r[S["subdbid"]] == cat.dboid]


# --- statistics --------------------------------------------------------------------------

def _stats(s: Any) -> dict[int, int]:
    m = s.catalog().m
    if not hasattr(m, "subscription_stats_reset"):
        m.subscription_stats_reset = {}
    return m.subscription_stats_reset


def stat_get_subscription_stats(ctx: Any, subid: int) -> list[tuple]:
    """pg_stat_get_subscription_stats: no apply worker, so every counter is 0."""
    if not ctx.session.catalog().find("pg_subscription", oid=subid):
        return [(subid, 0, 0, 0, 0, 0, 0, 0, 0, 0, None)]
    return [(subid, 0, 0, 0, 0, 0, 0, 0, 0, 0, _stats(ctx.session).get(subid))]


def stat_reset_subscription_stats(ctx: Any, subid: int | None) -> None:
    from tuskdb.types.dtfuncs import clock_now
    stats = _stats(ctx.session)
    now = clock_now()
    if subid is None:
        for _, row in ctx.session.catalog().find("pg_subscription"):
            stats[row[S["oid"]]] = now
    else:
        stats[subid] = now
