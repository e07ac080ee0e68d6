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
