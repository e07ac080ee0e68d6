"""CREATE DATABASE / DROP DATABASE (PostgreSQL's dbcommands.c).

A new database gets a fresh set of catalogs (the bootstrap contents, which is
what template1 holds until a user changes it — see README for this
difference).  Both run outside any transaction block.
"""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.rows import COLUMN_POS
from tuskdb.engine.results import QueryResult
from tuskdb.errors import (DUPLICATE_DATABASE, FEATURE_NOT_SUPPORTED, INVALID_CATALOG_NAME,
                           OBJECT_IN_USE, PgError, notice)


def create_database(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    name = body["dbname"]
    db = s.db
    for o in body.get("options") or []:
        d = o["DefElem"]
        if d["defname"] not in ("template", "encoding", "owner", "connection_limit",
                                "lc_collate", "lc_ctype", "locale", "is_template",
                                "allow_connections", "strategy"):
            raise PgError(FEATURE_NOT_SUPPORTED, f"CREATE DATABASE option {d['defname']} is not "
                          f"supported")
    with_txn = db.txns.begin()
    try:
        cat = db.catalog_view(0, with_txn)
        from tuskdb.catalog import aclchk
        rc = aclchk.role_cache(cat)
        me = rc.by_oid.get(rc.by_name.get(s.user, 0))
        if me is None or not (me.superuser or me.createdb):
            raise PgError("42501", "permission denied to create database")
        if db.database_oid(name, with_txn) is not None:
            raise PgError(DUPLICATE_DATABASE, f'database "{name}" already exists')
        oid = cat.m.next_oid()
        owner = 10
        for _, row in cat.find("pg_authid", rolname=s.user):
            owner = row[COLUMN_POS["pg_authid"]["oid"]]
        cat.m.create_database_row(with_txn, oid, name, owner)
        cat.m.bootstrap_database(with_txn, oid)
        with_txn.on_commit(cat.m.invalidate)
        with_txn.commit()
    except BaseException:
        with_txn.abort()
        raise
    db.finish_database_bootstrap(oid, name)
    return QueryResult(tag="CREATE DATABASE")


create_database.no_transaction_block = "CREATE DATABASE"


def drop_database(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    name = body["dbname"]
    db = s.db
    txn = db.txns.begin()
    try:
        oid = db.database_oid(name, txn)
        if oid is None:
            if body.get("missing_ok"):
                s.add_notice(notice(f'database "{name}" does not exist, skipping'))
                txn.commit()
                return QueryResult(tag="DROP DATABASE")
            raise PgError(INVALID_CATALOG_NAME, f'database "{name}" does not exist')
        if oid == s.dboid:
            raise PgError(OBJECT_IN_USE, "cannot drop the currently open database")
        if name in ("template0", "template1"):
            raise PgError("55006" if name == "template1" else "55006",
                          f'cannot drop a template database')
        others = [x for x in db.sessions.values() if x.dboid == oid]
        if others:
            n = len(others)
            raise PgError(OBJECT_IN_USE, f'database "{name}" is being accessed by other users',
                          detail=f"There {'is' if n == 1 else 'are'} {n} other "
                                 f"session{'' if n == 1 else 's'} using the database.")
        cat = db.catalog_view(0, txn)
        cat.delete_where("pg_database", oid=oid)
        txn.on_commit(lambda: db.drop_database_files(oid))
        txn.on_commit(cat.m.invalidate)
        txn.commit()
    except BaseException:
        if txn.state == "active":
            txn.abort()
        raise
    return QueryResult(tag="DROP DATABASE")


drop_database.no_transaction_block = "DROP DATABASE"


def _setting_text(s: Any, setstmt: dict) -> tuple[str, str | None]:
    """(name, value) of the SET inside ALTER DATABASE/ROLE ... SET (value None = RESET)."""
    from tuskdb.engine import guc
    from tuskdb.engine.utility import _const_text, _quote_ident_if_needed

    kind = setstmt["kind"]
    name = setstmt.get("name", "")
    if kind in ("VAR_RESET", "VAR_SET_DEFAULT"):
        return name, None
    if kind != "VAR_SET_VALUE":
        raise PgError(FEATURE_NOT_SUPPORTED, f"ALTER ... {kind} is not supported")
    args = setstmt.get("args") or []
    if name == "search_path":
        value = ", ".join(_quote_ident_if_needed(_const_text(a)) for a in args)
    else:
        value = ", ".join(_const_text(a) for a in args)
    g = guc.lookup(name)
    if g is None and "." not in name:
        raise guc.unrecognized(name)
    if g is not None:
        guc.parse_value(g, value)          # validate now, as PostgreSQL does
        name = g.name
    return name, value


def _store_setting(s: Any, dboid: int, roleoid: int, name: str | None, value: str | None
                   ) -> None:
    from tuskdb.catalog.rows import make_row
    from tuskdb.types import Array

    cat = s.db.catalog_view(0, s.txn)
    p = COLUMN_POS["pg_db_role_setting"]
    found = cat.find("pg_db_role_setting", setdatabase=dboid, setrole=roleoid)
    config = list(found[0][1][p["setconfig"]].items) if found else []
    if name is None:
        config = []
    else:
        config = [c for c in config if c.split("=", 1)[0].lower() != name.lower()]
        if value is not None:
            config.append(f"{name}={value}")
    for tid, _ in found:
        cat.delete("pg_db_role_setting", tid)
    if config:
        cat.insert("pg_db_role_setting", make_row("pg_db_role_setting", setdatabase=dboid,
                                                  setrole=roleoid, setconfig=Array(config)))


def alter_database_set(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    dboid = s.db.database_oid(body["dbname"], s.txn)
    if dboid is None:
        raise PgError(INVALID_CATALOG_NAME, f'database "{body["dbname"]}" does not exist')
    setstmt = body["setstmt"]
    if setstmt["kind"] == "VAR_RESET_ALL":
        _store_setting(s, dboid, 0, None, None)
    else:
        name, value = _setting_text(s, setstmt)
        _store_setting(s, dboid, 0, name, value)
    return QueryResult(tag="ALTER DATABASE")


def alter_role_set(s: Any, raw: Any) -> QueryResult:
    body = raw.body
    spec = body.get("role") or {}
    if body.get("database"):
        dboid = s.db.database_oid(body["database"], s.txn)
        if dboid is None:
            raise PgError(INVALID_CATALOG_NAME, f'database "{body["database"]}" does not exist')
    else:
        dboid = 0
    name = spec.get("rolename") if spec.get("roletype") == "ROLESPEC_CSTRING" else s.user
    cat = s.db.catalog_view(0, s.txn)
    found = cat.find("pg_authid", rolname=name)
    if not found:
        raise PgError("42704", f'role "{name}" does not exist')
    roleoid = found[0][1][COLUMN_POS["pg_authid"]["oid"]]
    setstmt = body["setstmt"]
    if setstmt["kind"] == "VAR_RESET_ALL":
        _store_setting(s, dboid, roleoid, None, None)
    else:
        gname, value = _setting_text(s, setstmt)
        _store_setting(s, dboid, roleoid, gname, value)
    return QueryResult(tag="ALTER ROLE")
