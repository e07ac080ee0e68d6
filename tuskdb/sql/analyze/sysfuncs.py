"""Built-in functions that need the catalogs or the session (not pure functions of
their arguments), with the result columns of the set-returning ones.

Each is resolved by name before ordinary function resolution; ``impl(ctx, *args)``
gets the ExecContext, whose session answers (engine/introspect.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

TEXT, NAME, OID, BOOL, INT4, INT8, TSTZ, REGTYPE_ARR, TEXT_ARR = 25, 19, 26, 16, 23, 20, 1184, \
    2211, 1009


@dataclass
class SysFunc:
    name: str
    arg_types: tuple[int, ...]
    ret_type: int
    impl: Callable[..., Any]
    columns: list[tuple[str, int]] = field(default_factory=list)   # SRF result columns
    retset: bool = False
    strict: bool = True
    volatile: bool = False


def _m(method: str) -> Callable[..., Any]:
    return lambda ctx, *args: getattr(ctx.session.introspect, method)(*args)


SYSFUNCS: dict[str, list[SysFunc]] = {}


def _add(f: SysFunc) -> None:
    SYSFUNCS.setdefault(f.name, []).append(f)


_add(SysFunc("pg_get_userbyid", (OID,), NAME, _m("user_name")))
_add(SysFunc("pg_get_indexdef", (OID,), TEXT, _m("indexdef")))
_add(SysFunc("pg_get_indexdef", (OID, INT4, BOOL), TEXT, _m("indexdef")))
_add(SysFunc("pg_get_viewdef", (OID,), TEXT, _m("viewdef")))
_add(SysFunc("pg_get_viewdef", (OID, BOOL), TEXT, _m("viewdef")))
_add(SysFunc("pg_get_viewdef", (OID, INT4), TEXT, _m("viewdef_wrap")))
_add(SysFunc("pg_get_viewdef", (TEXT,), TEXT, _m("viewdef_name")))
_add(SysFunc("pg_get_viewdef", (TEXT, BOOL), TEXT, _m("viewdef_name")))
_add(SysFunc("pg_get_expr", (194, OID), TEXT, _m("get_expr")))
_add(SysFunc("pg_get_expr", (194, OID, BOOL), TEXT, _m("get_expr")))
_add(SysFunc("pg_get_constraintdef", (OID,), TEXT, _m("constraintdef")))
_add(SysFunc("pg_get_partkeydef", (OID,), TEXT, _m("partkeydef")))
_add(SysFunc("pg_get_partition_constraintdef", (OID,), TEXT, _m("partition_constraintdef")))
_add(SysFunc("pg_partition_root", (2205,), 2205, _m("partition_root")))
_add(SysFunc("pg_partition_ancestors", (2205,), 0, _m("partition_ancestors"), retset=True,
             columns=[("relid", 2205)]))
_add(SysFunc("pg_partition_tree", (2205,), 0, _m("partition_tree"), retset=True,
             columns=[("relid", 2205), ("parentrelid", 2205), ("isleaf", BOOL),
                      ("level", INT4)]))
_add(SysFunc("pg_get_constraintdef", (OID, BOOL), TEXT, _m("constraintdef")))
_add(SysFunc("pg_table_is_visible", (OID,), BOOL, _m("table_is_visible")))


def _publication_tables(ctx: Any, names: Any) -> list[tuple]:
    from tuskdb.sql.commands.publicationcmds import get_publication_tables
    return get_publication_tables(ctx.session, names)


def _sub_stats(ctx: Any, subid: int) -> list[tuple]:
    from tuskdb.sql.commands.subscriptioncmds import stat_get_subscription_stats
    return stat_get_subscription_stats(ctx, subid)


def _sub_stats_reset(ctx: Any, subid: Any) -> None:
    from tuskdb.sql.commands.subscriptioncmds import stat_reset_subscription_stats
    return stat_reset_subscription_stats(ctx, subid)


_add(SysFunc("pg_stat_get_subscription_stats", (OID,), 0, _sub_stats, retset=True,
             columns=[("subid", OID), ("apply_error_count", INT8),
                      ("sync_error_count", INT8), ("confl_insert_exists", INT8),
                      ("confl_update_origin_differs", INT8), ("confl_update_exists", INT8),
                      ("confl_update_missing", INT8), ("confl_delete_origin_differs", INT8),
                      ("confl_delete_missing", INT8),
                      ("confl_multiple_unique_conflicts", INT8), ("stats_reset", TSTZ)],
             volatile=True))
_add(SysFunc("pg_stat_reset_subscription_stats", (OID,), 2278, _sub_stats_reset,
             strict=False, volatile=True))

def _sequence_parameters(ctx: Any, oid: int) -> list[tuple]:
    from tuskdb.sql.commands.sequence import sequence_parameters
    return sequence_parameters(ctx.session, oid)


def _get_sequence_data(ctx: Any, oid: int) -> list[tuple]:
    from tuskdb.sql.commands.sequence import get_sequence_data
    return get_sequence_data(ctx.session, oid)


_add(SysFunc("pg_sequence_parameters", (OID,), 0, _sequence_parameters, retset=True,
             columns=[("start_value", INT8), ("minimum_value", INT8),
                      ("maximum_value", INT8), ("increment", INT8), ("cycle_option", BOOL),
                      ("cache_size", INT8), ("data_type", OID)], volatile=True))
_add(SysFunc("pg_get_sequence_data", (2205,), 0, _get_sequence_data, retset=True,
             columns=[("last_value", INT8), ("is_called", BOOL)], volatile=True))

for _argtype in (TEXT, TEXT_ARR):
    _add(SysFunc("pg_get_publication_tables", (_argtype,), 0, _publication_tables,
                 retset=True, columns=[("pubid", OID), ("relid", OID), ("attrs", 22),
                                       ("qual", 194)]))


def _funcdesc(what: str) -> Callable[..., Any]:
    def impl(ctx: Any, oid: int) -> Any:
        from tuskdb.sql.commands import funcdesc
        if what == "identity":
            return funcdesc.function_arguments(ctx.session, oid, defaults=False)
        return getattr(funcdesc, what)(ctx.session, oid)
    return impl


_add(SysFunc("pg_get_function_arguments", (OID,), TEXT, _funcdesc("function_arguments")))
_add(SysFunc("pg_get_function_identity_arguments", (OID,), TEXT, _funcdesc("identity")))
_add(SysFunc("pg_get_function_result", (OID,), TEXT, _funcdesc("function_result")))
_add(SysFunc("pg_get_functiondef", (OID,), TEXT, _funcdesc("functiondef")))


def _describe_object(ctx: Any, classid: int, objid: int, subid: int) -> Any:
    from tuskdb.sql.analyze.regproc import describe_object
    return describe_object(ctx.session, classid, objid, subid)


_add(SysFunc("pg_describe_object", (OID, OID, INT4), TEXT, _describe_object))


def _operator_visible(ctx: Any, oid: int) -> bool:
    """pg_operator_is_visible: built-ins always; a user operator when the search_path
    finds it first for its name and argument types."""
    if oid < 16384:
        return True
    from tuskdb.catalog.rows import COLUMN_POS
    from tuskdb.sql.commands.operatorcmds import find_operator
    s = ctx.session
    cat = s.catalog()
    found = cat.find("pg_operator", oid=oid)
    if not found:
        return False
    p = COLUMN_POS["pg_operator"]
    row = found[0][1]
    first = find_operator(s, cat, [row[p["oprname"]]], row[p["oprleft"]], row[p["oprright"]])
    return first is not None and first[1][p["oid"]] == oid


_add(SysFunc("pg_operator_is_visible", (OID,), BOOL, _operator_visible))


def _relation_is_updatable(ctx: Any, oid: int, include_triggers: bool) -> int:
    from tuskdb.sql.rewrite.updatable import relation_is_updatable
    return relation_is_updatable(ctx.session, oid)


def _column_is_updatable(ctx: Any, oid: int, attnum: int, include_triggers: bool) -> bool:
    from tuskdb.sql.rewrite.updatable import column_is_updatable
    return column_is_updatable(ctx.session, oid, attnum)


_add(SysFunc("pg_relation_is_updatable", (2205, BOOL), INT4, _relation_is_updatable))
_add(SysFunc("pg_column_is_updatable", (2205, 21, BOOL), BOOL, _column_is_updatable))
def _type_visible(ctx: Any, oid: int) -> bool:
    """pg_type_is_visible: built-ins always; a user type when search_path finds it first."""
    if oid < 16384:
        return True
    from tuskdb.sql.analyze.typename import type_is_visible
    s = ctx.session
    cat = s.catalog()
    t = cat.type_by_oid(oid)
    return t is not None and (not getattr(t, "nspname", None) or
                              type_is_visible(cat, s, t))


_add(SysFunc("pg_type_is_visible", (OID,), BOOL, _type_visible))
_add(SysFunc("pg_function_is_visible", (OID,), BOOL, lambda ctx, oid: True))
_add(SysFunc("obj_description", (OID, NAME), TEXT, _m("obj_description")))
_add(SysFunc("obj_description", (OID,), TEXT, _m("obj_description")))
_add(SysFunc("col_description", (OID, INT4), TEXT, _m("col_description")))
_add(SysFunc("shobj_description", (OID, NAME), TEXT, _m("obj_description")))
_add(SysFunc("pg_sequence_last_value", (2205,), INT8, _m("sequence_last_value")))
_add(SysFunc("pg_relation_size", (2205,), INT8, _m("relation_size")))
_add(SysFunc("pg_total_relation_size", (2205,), INT8, _m("total_relation_size")))
_add(SysFunc("pg_table_size", (2205,), INT8, _m("table_size")))
_add(SysFunc("pg_indexes_size", (2205,), INT8, _m("indexes_size")))
_add(SysFunc("txid_current", (), INT8, _m("txid_current"), volatile=True))
_add(SysFunc("pg_current_xact_id", (), 5069, _m("txid_current"), volatile=True))
_add(SysFunc("pg_cancel_backend", (INT4,), BOOL, _m("cancel_backend"), volatile=True))
_add(SysFunc("pg_terminate_backend", (INT4,), BOOL, _m("terminate_backend"), volatile=True))
_add(SysFunc("pg_terminate_backend", (INT4, INT8), BOOL, _m("terminate_backend"),
             volatile=True))


def _priv_fn(name: str, sig: tuple[int, ...]) -> Callable[..., Any]:
    return lambda ctx, *args: ctx.session.introspect.has_privilege(name, sig, *args)


def _add_priv(name: str, sig: tuple[int, ...]) -> None:
    _add(SysFunc(name, sig, BOOL, _priv_fn(name, sig)))


# the access privilege inquiry functions, each with and without a role (name or OID)
for _priv in ("has_table_privilege", "has_schema_privilege", "has_database_privilege",
              "has_sequence_privilege", "has_function_privilege", "has_type_privilege",
              "has_language_privilege", "has_any_column_privilege"):
    for _obj in (TEXT, OID):
        _add_priv(_priv, (_obj, TEXT))
        for _user in (NAME, OID):
            _add_priv(_priv, (_user, _obj, TEXT))
for _obj in (TEXT, OID):
    for _col in (TEXT, 21):
        _add_priv("has_column_privilege", (_obj, _col, TEXT))
        for _user in (NAME, OID):
            _add_priv("has_column_privilege", (_user, _obj, _col, TEXT))
_add(SysFunc("pg_get_acl", (OID, OID, INT4), 1034,
             lambda ctx, c, o, sub: ctx.session.introspect.acl_value("pg_get_acl", c, o, sub)))
_add(SysFunc("makeaclitem", (OID, OID, TEXT, BOOL), 1033,
             lambda ctx, *a: ctx.session.introspect.acl_value("makeaclitem", *a)))
for _role in (NAME, OID):
    _add_priv("pg_has_role", (_role, TEXT))
    for _user in (NAME, OID):
        _add_priv("pg_has_role", (_user, _role, TEXT))



def _fdw_priv(kind: str) -> Callable[..., Any]:
    def impl(ctx: Any, *args: Any) -> Any:
        from tuskdb.sql.commands.foreigncmds import has_privilege
        return has_privilege(ctx, kind, *args)
    return impl


for _priv, _kind in (("has_foreign_data_wrapper_privilege", "fdw"),
                     ("has_server_privilege", "srv")):
    for _args in ((NAME, TEXT, TEXT), (NAME, OID, TEXT), (OID, TEXT, TEXT), (OID, OID, TEXT),
                  (TEXT, TEXT), (OID, TEXT)):
        _add(SysFunc(_priv, _args, BOOL, _fdw_priv(_kind)))





# acldefault / aclexplode: ACLs as SQL sees them (information_schema's privilege views)
_ACL_KINDS = {"c": "column", "r": "table", "s": "sequence", "d": "database", "f": "function",
              "l": "language", "L": "largeobject", "n": "schema", "p": "parameter",
              "t": "tablespace", "F": "fdw", "S": "foreign_server", "T": "type"}


def _acldefault(ctx: Any, kind: str, owner: int) -> Any:
    from tuskdb.catalog import aclchk
    from tuskdb.errors import PgError
    if kind not in _ACL_KINDS:
        raise PgError("XX000", f'unrecognized object type abbreviation: {kind}')
    name = aclchk.role_name(ctx.session.catalog(), owner)
    return aclchk.format_acl(aclchk.acldefault(_ACL_KINDS[kind], name))


def _aclexplode(ctx: Any, acl: Any) -> list[tuple]:
    from tuskdb.catalog import aclchk
    cat = ctx.session.catalog()
    out = []
    for item in aclchk.parse_acl(acl, "table", None):
        grantee = 0 if item.grantee == "" else aclchk.role_oid(cat, item.grantee,
                                                               missing_ok=True)
        grantor = aclchk.role_oid(cat, item.grantor, missing_ok=True)
        for letter in aclchk.ORDER:
            if letter in item.privs:
                out.append((grantor, grantee, aclchk.LETTER_NAMES[letter],
                            letter in item.goptions))
    return out


_add(SysFunc("acldefault", (18, OID), 1034, _acldefault))
_add(SysFunc("aclexplode", (1034,), 0, _aclexplode, retset=True, columns=[
    ("grantor", OID), ("grantee", OID), ("privilege_type", TEXT), ("is_grantable", BOOL)]))

_add(SysFunc("pg_show_all_settings", (), 0, _m("all_settings"), retset=True, columns=[
    ("name", TEXT), ("setting", TEXT), ("unit", TEXT), ("category", TEXT),
    ("short_desc", TEXT), ("extra_desc", TEXT), ("context", TEXT), ("vartype", TEXT),
    ("source", TEXT), ("min_val", TEXT), ("max_val", TEXT), ("enumvals", TEXT_ARR),
    ("boot_val", TEXT), ("reset_val", TEXT), ("sourcefile", TEXT), ("sourceline", INT4),
    ("pending_restart", BOOL)]))
_add(SysFunc("pg_prepared_statement", (), 0, _m("prepared_statements"), retset=True, columns=[
    ("name", TEXT), ("statement", TEXT), ("prepare_time", TSTZ),
    ("parameter_types", REGTYPE_ARR), ("result_types", REGTYPE_ARR), ("from_sql", BOOL),
    ("generic_plans", INT8), ("custom_plans", INT8)]))
def _pg_basetype(ctx: Any, oid: int) -> int | None:
    """pg_basetype(regtype): a domain's base type (through every level), the type
    itself otherwise, NULL for an OID that is no type."""
    from tuskdb import types
    from tuskdb.types.usertypes import base_type_and_typmod
    if types.TYPES.get(oid) is None:
        return None
    return base_type_and_typmod(oid)[0]


_add(SysFunc("pg_basetype", (2206,), 2206, _pg_basetype))
_add(SysFunc("pg_cursor", (), 0, _m("cursors"), retset=True, volatile=True, columns=[
    ("name", TEXT), ("statement", TEXT), ("is_holdable", BOOL), ("is_binary", BOOL),
    ("is_scrollable", BOOL), ("creation_time", TSTZ)]))
_add(SysFunc("pg_timezone_names", (), 0, _m("timezone_names"), retset=True, columns=[
    ("name", TEXT), ("abbrev", TEXT), ("utc_offset", 1186), ("is_dst", BOOL)]))
_add(SysFunc("pg_timezone_abbrevs_zone", (), 0, _m("timezone_abbrevs_zone"), retset=True,
             columns=[("abbrev", TEXT), ("utc_offset", 1186), ("is_dst", BOOL)]))
_add(SysFunc("pg_timezone_abbrevs_abbrevs", (), 0, _m("timezone_abbrevs_abbrevs"),
             retset=True, columns=[("abbrev", TEXT), ("utc_offset", 1186), ("is_dst", BOOL)]))
# nothing of these exists in TuskDB: no two-phase transactions, no extensions to install,
# no configuration or ident files read, no WAL receiver
_add(SysFunc("pg_prepared_xact", (), 0, lambda ctx: [], retset=True, columns=[
    ("transaction", 28), ("gid", TEXT), ("prepared", TSTZ), ("ownerid", OID),
    ("dbid", OID)]))
_add(SysFunc("pg_available_extensions", (), 0, lambda ctx: [], retset=True, columns=[
    ("name", NAME), ("default_version", TEXT), ("comment", TEXT)]))
_add(SysFunc("pg_available_extension_versions", (), 0, lambda ctx: [], retset=True, columns=[
    ("name", NAME), ("version", TEXT), ("superuser", BOOL), ("trusted", BOOL),
    ("relocatable", BOOL), ("schema", NAME), ("requires", 1003), ("comment", TEXT)]))
_add(SysFunc("pg_show_all_file_settings", (), 0, lambda ctx: [], retset=True, columns=[
    ("sourcefile", TEXT), ("sourceline", INT4), ("seqno", INT4), ("name", TEXT),
    ("setting", TEXT), ("applied", BOOL), ("error", TEXT)]))
_add(SysFunc("pg_ident_file_mappings", (), 0, lambda ctx: [], retset=True, columns=[
    ("map_number", INT4), ("file_name", TEXT), ("line_number", INT4), ("map_name", TEXT),
    ("sys_name", TEXT), ("pg_username", TEXT), ("error", TEXT)]))
_add(SysFunc("pg_stat_get_wal_receiver", (), 0, lambda ctx: [], retset=True, columns=[
    ("pid", INT4), ("status", TEXT), ("receive_start_lsn", 3220), ("receive_start_tli", INT4),
    ("written_lsn", 3220), ("flushed_lsn", 3220), ("received_tli", INT4),
    ("last_msg_send_time", TSTZ), ("last_msg_receipt_time", TSTZ),
    ("latest_end_lsn", 3220), ("latest_end_time", TSTZ), ("slot_name", TEXT),
    ("sender_host", TEXT), ("sender_port", INT4), ("conninfo", TEXT)]))
_add(SysFunc("pg_stat_get_activity", (INT4,), 0, _m("activity"), retset=True, strict=False,
             columns=[
    ("datid", OID), ("datname", NAME), ("pid", INT4), ("leader_pid", INT4),
    ("usesysid", OID), ("usename", NAME), ("application_name", TEXT), ("client_addr", 869),
    ("client_hostname", TEXT), ("client_port", INT4), ("backend_start", TSTZ),
    ("xact_start", TSTZ), ("query_start", TSTZ), ("state_change", TSTZ),
    ("wait_event_type", TEXT), ("wait_event", TEXT), ("state", TEXT), ("backend_xid", 28),
    ("backend_xmin", 28), ("query_id", INT8), ("query", TEXT), ("backend_type", TEXT)]))
_add(SysFunc("pg_lock_status", (), 0, _m("locks"), retset=True, columns=[
    ("locktype", TEXT), ("database", OID), ("relation", OID), ("page", INT4),
    ("tuple", 21), ("virtualxid", TEXT), ("transactionid", 28), ("classid", OID),
    ("objid", OID), ("objsubid", 21), ("virtualtransaction", TEXT), ("pid", INT4),
    ("mode", TEXT), ("granted", BOOL), ("fastpath", BOOL), ("waitstart", TSTZ)]))
_add(SysFunc("pg_stat_get_tables", (), 0, _m("table_stats"), retset=True, columns=[
    ("relid", OID), ("seq_scan", INT8), ("idx_scan", INT8), ("n_tup_ins", INT8),
    ("n_tup_upd", INT8), ("n_tup_del", INT8), ("n_live_tup", INT8), ("n_dead_tup", INT8),
    ("last_vacuum", TSTZ), ("last_analyze", TSTZ), ("vacuum_count", INT8),
    ("analyze_count", INT8)]))
_add(SysFunc("pg_get_statisticsobjdef_columns", (OID,), TEXT, lambda ctx, oid: None))
_add(SysFunc("pg_get_statisticsobjdef", (OID,), TEXT, lambda ctx, oid: None))
_add(SysFunc("pg_get_triggerdef", (OID,), TEXT, lambda ctx, oid: None))
_add(SysFunc("pg_get_triggerdef", (OID, BOOL), TEXT, lambda ctx, oid, p: None))
_add(SysFunc("pg_get_ruledef", (OID,), TEXT, lambda ctx, oid: None))
_add(SysFunc("pg_get_ruledef", (OID, BOOL), TEXT, lambda ctx, oid, p: None))
def _relation_is_publishable(ctx: Any, oid: int) -> bool | None:
    from tuskdb.sql.commands.publicationcmds import _publishable
    rel = ctx.session.catalog().relation_by_oid(oid)
    return None if rel is None else _publishable(rel)


_add(SysFunc("pg_relation_is_publishable", (2205,), BOOL, _relation_is_publishable))


def _pg_sleep(ctx: Any, seconds: float) -> None:
    """pg_sleep: wait, releasing the engine latch, and honour cancel/statement_timeout."""
    import math
    import time
    if math.isnan(seconds) or seconds <= 0:
        return None
    end = time.monotonic() + seconds
    while True:
        ctx.check_interrupts()
        left = end - time.monotonic()
        if left <= 0:
            return None
        with ctx.session.db.latch.released():
            time.sleep(min(left, 0.05))


_add(SysFunc("pg_sleep", (701,), 2278, _pg_sleep, volatile=True))


def _shmem_allocations_numa(ctx: Any) -> list[tuple[Any, ...]]:
    from tuskdb.errors import PgError
    raise PgError("XX000", "libnuma initialization failed or NUMA is not supported on this "
                  "platform")


# built without NUMA support, as PostgreSQL is without libnuma
_add(SysFunc("pg_numa_available", (), BOOL, lambda ctx: False))
_add(SysFunc("pg_get_shmem_allocations_numa", (), 0, _shmem_allocations_numa, retset=True,
             volatile=True, columns=[("name", TEXT), ("numa_node", INT4), ("size", INT8)]))
def _is_other_temp_schema(ctx: Any, oid: int) -> bool:
    """A temporary schema (pg_temp_N, or pg_toast_temp_N of its TOAST relations) that
    is not this session's own."""
    s = ctx.session
    name = s.catalog().namespace_name(oid)
    if name is None or not name.startswith(("pg_temp_", "pg_toast_temp_")):
        return False
    if s.temp_nsp is None:
        return True
    return name not in (f"pg_temp_{s.temp_id}", f"pg_toast_temp_{s.temp_id}")


_add(SysFunc("pg_is_other_temp_schema", (OID,), BOOL, _is_other_temp_schema))
_add(SysFunc("pg_my_temp_schema", (), OID, lambda ctx: ctx.session.temp_nsp or 0))
_add(SysFunc("getdatabaseencoding", (), NAME, lambda ctx: "UTF8"))
_add(SysFunc("pg_client_encoding", (), NAME, lambda ctx: ctx.session.settings["client_encoding"]))


def _pg_sleep_for(ctx: Any, iv: Any) -> None:
    # as pg_sleep(extract(epoch FROM iv))
    years, months = divmod(iv.months, 12)
    secs = (years * 365.25 + months * 30 + iv.days) * 86400 + iv.micros / 1e6
    return _pg_sleep(ctx, secs)


def _pg_sleep_until(ctx: Any, ts: int) -> None:
    import time
    return _pg_sleep(ctx, ts / 1e6 + 946684800 - time.time())


_add(SysFunc("pg_sleep_for", (1186,), 2278, _pg_sleep_for, volatile=True))
_add(SysFunc("pg_sleep_until", (TSTZ,), 2278, _pg_sleep_until, volatile=True))

from tuskdb.sql.analyze import ts_sysfuncs as _ts_sysfuncs  # noqa: E402,F401  (registers them)
from tuskdb.sql.analyze import amproperty as _amproperty  # noqa: E402,F401  (registers them)


def _pg_notify(ctx: Any, channel: str | None, payload: str | None) -> None:
    from tuskdb.engine.notify import notify
    notify(ctx.session, channel, payload)


def _listening(ctx: Any) -> list[tuple]:
    return [(c,) for c in ctx.session.db.notify_hub.channels(ctx.session)]


_add(SysFunc("pg_notify", (TEXT, TEXT), 2278, _pg_notify, strict=False, volatile=True))
_add(SysFunc("pg_listening_channels", (), TEXT, _listening, retset=True, volatile=True,
             columns=[("pg_listening_channels", TEXT)]))
_add(SysFunc("pg_notification_queue_usage", (), 701,
             lambda ctx: ctx.session.db.notify_hub.usage(), volatile=True))
