"""CatalogManager: system catalogs stored as heap relations.

Each catalog is an ordinary heap whose relfilenode is its PostgreSQL OID
(pg_class is 1259).  Shared catalogs (pg_database, pg_authid, ...) live in
database 0, the others in each database.  DDL is DML on these heaps, so it is
transactional and WAL-logged like any other write.

Main flow:

    CatalogManager.bootstrap_cluster()      first start: shared catalogs, roles,
      bootstrap_database(dboid)             databases; per-database catalogs
    CatalogView(manager, dboid, txn)        per statement
      .relation(nsp, name) / .relation_by_oid(oid)
        -> shared RelCache (generation-checked) or a private read when the
           transaction itself changed catalogs
      .insert/.update/.delete(catalog, ...) mark the transaction as DDL-dirty;
           its commit bumps the generation, dropping every cached descriptor.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from tuskdb import types
from tuskdb.access import TM, BTree, Heap
from tuskdb.access.heap import BLCKSZ
from tuskdb.catalog.catindexes import CATALOG_INDEXES, CATALOG_NOT_NULL, CATALOG_TOAST
from tuskdb.catalog.partition import BTREE_OPCLASS, HASH_OPCLASS
from tuskdb.catalog.pg_catalog_defs import CATALOGS
from tuskdb.catalog.relcache import (CheckInfo, Column, ConstraintInfo, ForeignKeyInfo,
                                     IndexInfo, RelationInfo)
from tuskdb.catalog.rows import COLUMN_POS, make_row
from tuskdb.catalog.typecache import TypeCacheMixin
from tuskdb.errors import PgError
from tuskdb.storage import RelFileLocator

PG_CATALOG_NAMESPACE = 11
PG_TOAST_NAMESPACE = 99
PUBLIC_NAMESPACE = 2200
BOOTSTRAP_SUPERUSER = 10
PG_DATABASE_OWNER = 6171
FIRST_NORMAL_OBJECT_ID = 16384
HEAP_AM, BTREE_AM, HASH_AM, GIST_AM = 2, 403, 405, 783
GIN_AM, BRIN_AM, SPGIST_AM = 2742, 3580, 4000
# the types' default B-tree and hash operator classes: IndexInfo.opclasses has 0 for them
_DEFAULT_OPCLASSES = frozenset(BTREE_OPCLASS.values()) | frozenset(HASH_OPCLASS.values())
_AM_NAMES = {BTREE_AM: "btree", HASH_AM: "hash", GIST_AM: "gist"}
TEMPLATE1_OID, TEMPLATE0_OID, POSTGRES_OID = 1, 4, 5

_C = {name: COLUMN_POS[name] for name in CATALOGS}
C_COLLATION = 950
# types whose pg_type.typcollation is not 0 (catalog columns of these collate as "C")
_COLLATABLE = frozenset((19, 25, 194, 1003, 1009, 1014, 1015, 1042, 1043, 3361, 3402, 4600,
                         4601, 5017))
# a TOAST table's columns, and the operator classes of its index (oid_ops, int4_ops)
TOAST_COLUMNS = (("chunk_id", 26), ("chunk_seq", 23), ("chunk_data", 17))
TOAST_INDCLASS = (1981, 1978)


def _pos(catalog: str, column: str) -> int:
    return _C[catalog][column]


class CatalogManager:
    """Owns the catalog heaps of a cluster and the per-database relcaches."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage
        self._heaps: dict[tuple[int, int], Heap] = {}
        self._lock = threading.Lock()
        self.generation = 0
        # dboid -> (generation, {oid: RelationInfo}, {(nspoid, name): oid} | None)
        self._caches: dict[int, tuple[int, dict[int, RelationInfo], dict | None]] = {}
        self._indexes: dict[tuple[int, int], BTree] = {}

    # -- storage -------------------------------------------------------------

    def heap(self, dboid: int, relnumber: int) -> Heap:
        key = (dboid, relnumber)
        heap = self._heaps.get(key)
        if heap is None:
            heap = Heap(self.storage, RelFileLocator(dboid, relnumber))
            self._heaps[key] = heap
        return heap

    def catalog_heap(self, dboid: int, catalog: str) -> Heap:
        oid, _, shared, _ = CATALOGS[catalog]
        return self.heap(0 if shared else dboid, oid)

    def index(self, dboid: int, relnumber: int) -> BTree:
        key = (dboid, relnumber)
        ix = self._indexes.get(key)
        if ix is None:
            ix = BTree(self.storage, RelFileLocator(dboid, relnumber))
            self._indexes[key] = ix
        return ix

    def forget_heap(self, dboid: int, relnumber: int) -> None:
        self._heaps.pop((dboid, relnumber), None)
        self._indexes.pop((dboid, relnumber), None)

    def next_oid(self) -> int:
        return self.storage.allocate_oid()

    def invalidate(self) -> None:
        """A transaction that changed catalogs committed: drop every descriptor."""
        with self._lock:
            self.generation += 1
            self._caches.clear()

    # -- bootstrap (initdb) -----------------------------------------------------

    def bootstrap_cluster(self, txn: Any) -> None:
        """Create shared catalogs, the OID counter, roles and the three databases."""
        for name, (oid, _, shared, _) in CATALOGS.items():
            if shared:
                self._heaps[(0, oid)] = Heap.create(self.storage, RelFileLocator(0, oid))
        authid = self.catalog_heap(0, "pg_authid")
        for oid, name, is_super in _ROLES:
            authid.insert(txn, make_row(
                "pg_authid", oid=oid, rolname=name, rolsuper=is_super, rolinherit=True,
                rolcreaterole=is_super, rolcreatedb=is_super, rolcanlogin=is_super,
                rolreplication=is_super, rolbypassrls=is_super, rolconnlimit=-1))
        members = self.catalog_heap(0, "pg_auth_members")
        for oid, roleid in ((10308, 3374), (10309, 3375), (10310, 3377)):
            # pg_monitor holds pg_read_all_settings, pg_read_all_stats, pg_stat_scan_tables
            members.insert(txn, make_row(
                "pg_auth_members", oid=oid, roleid=roleid, member=3373, grantor=10,
                admin_option=False, inherit_option=True, set_option=True))
        for dboid, name, istemplate, allowconn in (
            (TEMPLATE1_OID, "template1", True, True),
            (TEMPLATE0_OID, "template0", True, False),
            (POSTGRES_OID, "postgres", False, True),
        ):
            self.create_database_row(txn, dboid, name, BOOTSTRAP_SUPERUSER, istemplate, allowconn)
            self.bootstrap_database(txn, dboid)

    def create_database_row(self, txn: Any, dboid: int, name: str, owner: int,
                            istemplate: bool = False, allowconn: bool = True) -> None:
        self.catalog_heap(0, "pg_database").insert(txn, make_row(
            "pg_database", oid=dboid, datname=name, datdba=owner, encoding=6,
            datlocprovider="c", datistemplate=istemplate, datallowconn=allowconn,
            dathasloginevt=False, datconnlimit=-1, datfrozenxid=0, datminmxid=1,
            dattablespace=1663, datcollate="C.UTF-8", datctype="C.UTF-8"))

    def bootstrap_database(self, txn: Any, dboid: int) -> None:
        """Create one database's catalogs and fill them (initdb's bootstrap mode)."""
        for name, (oid, _, shared, _) in CATALOGS.items():
            if not shared:
                self._heaps[(dboid, oid)] = Heap.create(self.storage, RelFileLocator(dboid, oid))
        ins = {name: self.catalog_heap(dboid, name) for name in CATALOGS}
        for oid, name, owner, acl in (
                (PG_CATALOG_NAMESPACE, "pg_catalog", BOOTSTRAP_SUPERUSER,
                 ["postgres=UC/postgres", "=U/postgres"]),
                (PG_TOAST_NAMESPACE, "pg_toast", BOOTSTRAP_SUPERUSER, None),
                (PUBLIC_NAMESPACE, "public", PG_DATABASE_OWNER,
                 ["pg_database_owner=UC/pg_database_owner", "=U/pg_database_owner"])):
            ins["pg_namespace"].insert(txn, make_row(
                "pg_namespace", oid=oid, nspname=name, nspowner=owner,
                nspacl=types.Array(acl) if acl is not None else None))
        # every built-in access method has its row, also those whose indexes are not
        # built yet (CREATE INDEX ... USING gin/spgist/brin fails with 0A000)
        for oid, name, amtype in ((HEAP_AM, "heap", "t"), (BTREE_AM, "btree", "i"),
                                  (HASH_AM, "hash", "i"), (GIST_AM, "gist", "i"),
                                  (GIN_AM, "gin", "i"), (BRIN_AM, "brin", "i"),
                                  (SPGIST_AM, "spgist", "i")):
            ins["pg_am"].insert(txn, make_row("pg_am", oid=oid, amname=name, amhandler=0,
                                              amtype=amtype))
        for t in types.registry.builtin_types():
            ins["pg_type"].insert(txn, type_row(t))
        for oid, name, trusted, validator in ((12, "internal", False, 2246),
                                              (13, "c", False, 2247), (14, "sql", True, 2248)):
            ins["pg_language"].insert(txn, make_row(
                "pg_language", oid=oid, lanname=name, lanowner=BOOTSTRAP_SUPERUSER,
                lanispl=False, lanpltrusted=trusted, lanplcallfoid=0, laninline=0,
                lanvalidator=validator))
        # plpgsql is built in (PostgreSQL's initdb installs it as an extension); its
        # handler functions are not pg_proc rows here, so the handler columns stay 0
        ins["pg_language"].insert(txn, make_row(
            "pg_language", oid=12775, lanname="plpgsql", lanowner=BOOTSTRAP_SUPERUSER,
            lanispl=True, lanpltrusted=True, lanplcallfoid=0, laninline=0, lanvalidator=0))
        _bootstrap_tsearch(txn, ins)
        _bootstrap_casts(txn, ins)
        _bootstrap_ranges(txn, ins)
        indexed = {ix[2] for ix in CATALOG_INDEXES}
        for name, (oid, relkind, shared, cols) in CATALOGS.items():
            ins["pg_class"].insert(txn, make_row(
                "pg_class", oid=oid, relname=name, relnamespace=PG_CATALOG_NAMESPACE,
                relowner=BOOTSTRAP_SUPERUSER, relam=HEAP_AM, relfilenode=oid,
                relpersistence="p", relkind=relkind, relnatts=len(cols), relisshared=shared,
                relispopulated=True, relreplident="n", relpages=0, reltuples=-1.0,
                relhasindex=name in indexed,
                reltoastrelid=CATALOG_TOAST[name][0] if name in CATALOG_TOAST else 0,
                relacl=types.Array(["postgres=arwdDxtm/postgres"] if name in _PRIVATE_CATALOGS
                                   else ["postgres=arwdDxtm/postgres", "=r/postgres"])))
            # initdb's privileges are recorded as the initial ones (pg_dump leaves them out)
            ins["pg_init_privs"].insert(txn, make_row(
                "pg_init_privs", objoid=oid, classoid=1259, objsubid=0, privtype="i",
                initprivs=types.Array(["postgres=arwdDxtm/postgres"] if name in
                                      _PRIVATE_CATALOGS else
                                      ["postgres=arwdDxtm/postgres", "=r/postgres"])))
            for attnum, (attname, atttypid, notnull) in enumerate(cols, start=1):
                ins["pg_attribute"].insert(txn, attribute_row(
                    oid, attname, atttypid, -1, attnum, notnull,
                    collation=C_COLLATION if atttypid in _COLLATABLE else 0))
        _bootstrap_catalog_indexes(txn, ins)


def _bootstrap_catalog_indexes(txn: Any, ins: dict[str, Any]) -> None:
    """pg_class, pg_attribute, pg_index and pg_constraint rows of the catalogs' own
    indexes and TOAST tables (PostgreSQL 18's, catindexes.py).  They are catalog
    entries only: catalog lookups scan the heaps, so these have no storage and are
    not attached to the catalogs' descriptors (CatalogView._load)."""
    shared = {name for name, (_, _, sh, _) in CATALOGS.items() if sh}
    catoid = {name: oid for name, (oid, _, _, _) in CATALOGS.items()}

    def index_rel(oid: int, name: str, nsp: int, relfilenode: int, relid: int,
                  is_shared: bool, cols: tuple, unique: bool, primary: bool,
                  indkey: tuple, indclass: tuple, indcollation: tuple) -> None:
        ins["pg_class"].insert(txn, make_row(
            "pg_class", oid=oid, relname=name, relnamespace=nsp,
            relowner=BOOTSTRAP_SUPERUSER, relam=BTREE_AM, relfilenode=relfilenode,
            relpersistence="p", relkind="i", relnatts=len(cols), relisshared=is_shared,
            relispopulated=True, relreplident="n", relpages=1, reltuples=0.0))
        for attnum, ((attname, atttypid), coll) in enumerate(zip(cols, indcollation),
                                                             start=1):
            ins["pg_attribute"].insert(txn, attribute_row(
                oid, attname, atttypid, -1, attnum, False, collation=coll))
        ins["pg_index"].insert(txn, make_row(
            "pg_index", indexrelid=oid, indrelid=relid, indnatts=len(cols),
            indnkeyatts=len(cols), indisunique=unique, indnullsnotdistinct=False,
            indisprimary=primary, indisexclusion=False, indimmediate=True,
            indisclustered=False, indisvalid=True, indcheckxmin=False, indisready=True,
            indislive=True, indisreplident=False, indkey=types.Array(list(indkey), 0),
            indcollation=types.Array(list(indcollation), 0),
            indclass=types.Array(list(indclass), 0),
            indoption=types.Array([0] * len(cols), 0)))

    for name, (toid, tnode, ioid, inode) in CATALOG_TOAST.items():
        ins["pg_class"].insert(txn, make_row(
            "pg_class", oid=toid, relname=f"pg_toast_{catoid[name]}",
            relnamespace=PG_TOAST_NAMESPACE, relowner=BOOTSTRAP_SUPERUSER, relam=HEAP_AM,
            relfilenode=tnode, relpersistence="p", relkind="t", relnatts=3,
            relisshared=name in shared, relispopulated=True, relreplident="n", relpages=0,
            reltuples=-1.0, relhasindex=True))
        for attnum, (attname, atttypid) in enumerate(TOAST_COLUMNS, start=1):
            ins["pg_attribute"].insert(txn, attribute_row(toid, attname, atttypid, -1, attnum,
                                                          False, storage="p"))
        index_rel(ioid, f"pg_toast_{catoid[name]}_index", PG_TOAST_NAMESPACE, inode, toid,
                  name in shared, TOAST_COLUMNS[:2], True, True, (1, 2), TOAST_INDCLASS,
                  (0, 0))
    for (oid, name, table, relfilenode, unique, primary, indkey, indclass, indcollation,
         cols, con) in CATALOG_INDEXES:
        relid = catoid[table]
        index_rel(oid, name, PG_CATALOG_NAMESPACE, relfilenode, relid, table in shared, cols,
                  unique, primary, indkey, indclass, indcollation)
        if con is not None:
            ins["pg_constraint"].insert(txn, make_row(
                "pg_constraint", oid=con[0], conname=name, connamespace=PG_CATALOG_NAMESPACE,
                contype=con[1], condeferrable=False, condeferred=False, conenforced=True,
                convalidated=True, conrelid=relid, contypid=0, conindid=oid, conparentid=0,
                confrelid=0, confupdtype=" ", confdeltype=" ", confmatchtype=" ",
                conislocal=True, coninhcount=0, connoinherit=True, conperiod=False,
                conkey=types.Array(list(indkey))))
    for oid, name, table, attnum in CATALOG_NOT_NULL:
        ins["pg_constraint"].insert(txn, make_row(
            "pg_constraint", oid=oid, conname=name, connamespace=PG_CATALOG_NAMESPACE,
            contype="n", condeferrable=False, condeferred=False, conenforced=True,
            convalidated=True, conrelid=catoid[table], contypid=0, conindid=0,
            conparentid=0, confrelid=0, confupdtype=" ", confdeltype=" ",
            confmatchtype=" ", conislocal=True, coninhcount=0, connoinherit=False,
            conperiod=False, conkey=types.Array([attnum])))


def _bootstrap_casts(txn: Any, ins: dict[str, Any]) -> None:
    """pg_cast rows between built-in types (PostgreSQL's OIDs, in OID order like
    PostgreSQL's bootstrap data); function casts only when the function exists."""
    from tuskdb.types import catdata
    implemented = types.builtins.FUNCTIONS_BY_OID
    rows = []
    for source, target, func, context, method in catdata.CASTS:
        if source not in types.TYPES or target not in types.TYPES:
            continue
        if method == "f" and func not in implemented:
            continue
        oid = catdata.CAST_OIDS.get((source, target))
        if oid is not None:
            rows.append((oid, source, target, func, context, method))
    for oid, source, target, func, context, method in sorted(rows):
        ins["pg_cast"].insert(txn, make_row(
            "pg_cast", oid=oid, castsource=source, casttarget=target, castfunc=func,
            castcontext=context, castmethod=method))


def _bootstrap_ranges(txn: Any, ins: dict[str, Any]) -> None:
    """pg_range rows of the built-in range types."""
    from tuskdb.types import catdata
    from tuskdb.types.ranges import RANGE_INFO
    proc_oid = {row[1]: row[0] for row in catdata.PROCS}
    for r in sorted(RANGE_INFO.values(), key=lambda r: r.oid):
        if r.oid >= 16384:
            continue
        ins["pg_range"].insert(txn, make_row(
            "pg_range", rngtypid=r.oid, rngsubtype=r.subtype, rngmultitypid=r.multirange_oid,
            rngcollation=r.collation, rngsubopc=r.subopc,
            rngcanonical=proc_oid.get(r.canonical_name, 0),
            rngsubdiff=proc_oid.get(r.subdiff_name, 0)))


def _bootstrap_tsearch(txn: Any, ins: dict[str, Any]) -> None:
    """The built-in text search parser, templates, dictionaries and configurations."""
    from tuskdb.types.tsearch import catdata as ts
    nsp, owner = PG_CATALOG_NAMESPACE, BOOTSTRAP_SUPERUSER
    for oid, name, start, token, end, headline, lextype in ts.PARSERS:
        ins["pg_ts_parser"].insert(txn, make_row(
            "pg_ts_parser", oid=oid, prsname=name, prsnamespace=nsp, prsstart=start,
            prstoken=token, prsend=end, prsheadline=headline, prslextype=lextype))
    for oid, name, init, lexize in ts.TEMPLATES:
        ins["pg_ts_template"].insert(txn, make_row(
            "pg_ts_template", oid=oid, tmplname=name, tmplnamespace=nsp, tmplinit=init,
            tmpllexize=lexize))
    for oid, name, tmpl, opts in ts.DICTS:
        ins["pg_ts_dict"].insert(txn, make_row(
            "pg_ts_dict", oid=oid, dictname=name, dictnamespace=nsp, dictowner=owner,
            dicttemplate=tmpl, dictinitoption=opts or None))
    for oid, name, prs in ts.CONFIGS:
        ins["pg_ts_config"].insert(txn, make_row(
            "pg_ts_config", oid=oid, cfgname=name, cfgnamespace=nsp, cfgowner=owner,
            cfgparser=prs))
    for cfg, toktype, seq, d in ts.CONFIG_MAP:
        ins["pg_ts_config_map"].insert(txn, make_row(
            "pg_ts_config_map", mapcfg=cfg, maptokentype=toktype, mapseqno=seq, mapdict=d))
    for (classoid, objoid), text in ts.DESCRIPTIONS.items():
        ins["pg_description"].insert(txn, make_row(
            "pg_description", objoid=objoid, classoid=classoid, objsubid=0, description=text))


def _nextval_json(seq_oid: int) -> str:
    import json
    return json.dumps({"FuncCall": {"funcname": [{"String": {"sval": "nextval"}}], "args": [
        {"TypeCast": {"arg": {"A_Const": {"sval": {"sval": str(seq_oid)}, "location": -1}},
                      "typeName": {"names": [{"String": {"sval": "regclass"}}],
                                   "typemod": -1, "location": -1}, "location": -1}}],
        "funcformat": "COERCE_EXPLICIT_CALL", "location": -1}})


def _index_exprs(text: str | None) -> tuple[str, ...]:
    """pg_index.indexprs: a JSON list of raw expression trees -> one JSON text each."""
    if not text:
        return ()
    import json
    return tuple(json.dumps(e) for e in json.loads(text))


def _missing_value(v: Any, type_oid: int) -> Any:
    """attmissingval: a one-element array of the column's type, held as its text."""
    if v is None:
        return None
    t = types.TYPES.get(type_oid)
    if t is None or not t.array_oid:
        return None
    arr = types.TYPES[t.array_oid].input(v, -1, types.DEFAULT_CONTEXT)
    return arr.items[0] if arr.items else None


def missing_value_text(value: Any, type_oid: int) -> str | None:
    """The attmissingval to store for an ADD COLUMN default ``value``."""
    if value is None:
        return None
    t = types.TYPES[type_oid]
    return types.TYPES[t.array_oid].output(types.Array((value,)), types.DEFAULT_CONTEXT)


def type_row(t: Any) -> tuple[Any, ...]:
    return make_row(
        "pg_type", oid=t.oid, typname=t.name, typnamespace=PG_CATALOG_NAMESPACE,
        typowner=BOOTSTRAP_SUPERUSER, typlen=t.typlen, typbyval=t.byval,
        typtype=getattr(t, "typtype", "b"), typcategory=t.category, typispreferred=t.preferred,
        typisdefined=True, typdelim=getattr(t, "delim", ","), typrelid=0, typelem=t.elem_oid,
        typarray=t.array_oid, typalign=getattr(t, "align", "i"),
        typstorage=getattr(t, "storage", "p"), typtypmod=-1,
        typcollation=100 if t.category == "S" else 0)


def attribute_row(relid: int, name: str, type_oid: int, typmod: int, attnum: int,
                  notnull: bool, hasdef: bool = False, identity: str = "",
                  generated: str = "", inhcount: int = 0,
                  islocal: bool = True, storage: str | None = None,
                  collation: int | None = None) -> tuple[Any, ...]:
    t = types.TYPES.get(type_oid)
    if storage is None:
        storage = getattr(t, "storage", "p") if t else "x"
    if collation is None:
        collation = 100 if t is not None and t.category == "S" else 0
    return make_row(
        "pg_attribute", attrelid=relid, attname=name, atttypid=type_oid,
        attlen=t.typlen if t else -1, attnum=attnum, atttypmod=typmod,
        attndims=1 if t is not None and t.elem_oid and t.category == "A" else 0,
        attbyval=t.byval if t else False, attalign=getattr(t, "align", "i") if t else "i",
        attstorage=storage, attcompression="\x00",
        attnotnull=notnull, atthasdef=hasdef, attidentity=identity or "\x00",
        attgenerated=generated or "\x00", attislocal=islocal, attinhcount=inhcount,
        attcollation=collation)


# catalogs PUBLIC may not read (they hold passwords, statistics or user mappings)
_PRIVATE_CATALOGS = frozenset(("pg_authid", "pg_largeobject", "pg_statistic",
                               "pg_statistic_ext_data", "pg_subscription", "pg_user_mapping"))

_ROLES = (
    (10, "postgres", True), (3373, "pg_monitor", False), (3374, "pg_read_all_settings", False),
    (3375, "pg_read_all_stats", False), (3377, "pg_stat_scan_tables", False),
    (4200, "pg_signal_backend", False), (4544, "pg_checkpoint", False),
    (4550, "pg_use_reserved_connections", False), (4569, "pg_read_server_files", False),
    (4570, "pg_write_server_files", False), (4571, "pg_execute_server_program", False),
    (6171, "pg_database_owner", False), (6181, "pg_read_all_data", False),
    (6182, "pg_write_all_data", False), (6304, "pg_create_subscription", False),
    (6337, "pg_maintain", False), (6392, "pg_signal_autovacuum_worker", False),
)


class CatalogView(TypeCacheMixin):
    """The catalogs of one database as one transaction sees them."""

    def __init__(self, manager: CatalogManager, dboid: int, txn: Any) -> None:
        self.m = manager
        self.dboid = dboid
        self.txn = txn

    # -- low-level row access ----------------------------------------------------

    @property
    def private(self) -> bool:
        """True when this transaction changed catalogs: bypass the shared cache."""
        return getattr(self.txn, "catalog_dirty", False)

    def scan(self, catalog: str) -> Iterator[tuple[Any, tuple[Any, ...]]]:
        return self.m.catalog_heap(self.dboid, catalog).scan(self.txn.snapshot())

    def rows(self, catalog: str) -> Iterator[tuple[Any, ...]]:
        for _, row in self.scan(catalog):
            yield row

    def find(self, catalog: str, **match: Any) -> list[tuple[Any, tuple[Any, ...]]]:
        pos = _C[catalog]
        keys = [(pos[k], v) for k, v in match.items()]
        if not keys:
            return list(self.scan(catalog))
        if len(keys) == 1:
            (i, v), = keys
            return [(tid, row) for tid, row in self.scan(catalog) if row[i] == v]
        (i, v), rest = keys[0], keys[1:]
        return [(tid, row) for tid, row in self.scan(catalog)
                if row[i] == v and all(row[j] == w for j, w in rest)]

    def _dirty(self) -> None:
        if not getattr(self.txn, "catalog_dirty", False):
            self.txn.catalog_dirty = True
            self.txn.on_commit(self.m.invalidate)

    def insert(self, catalog: str, row: tuple[Any, ...]) -> None:
        self._dirty()
        self.m.catalog_heap(self.dboid, catalog).insert(self.txn, row)

    def delete(self, catalog: str, tid: Any) -> None:
        self._dirty()
        res = self.m.catalog_heap(self.dboid, catalog).delete(self.txn, tid)
        if res.status == TM.SelfModified:
            return      # already removed by this command (e.g. via two dependency paths)
        self._check_tm(res)

    def update(self, catalog: str, tid: Any, row: tuple[Any, ...]) -> None:
        self._dirty()
        self._check_tm(self.m.catalog_heap(self.dboid, catalog).update(self.txn, tid, row))

    @staticmethod
    def _check_tm(result: Any) -> None:
        ok = getattr(result, "ok", None)
        if ok is False:
            raise PgError("XX000", "tuple concurrently updated")

    def delete_where(self, catalog: str, **match: Any) -> int:
        found = self.find(catalog, **match)
        for tid, _ in found:
            self.delete(catalog, tid)
        return len(found)

    def command_counter_increment(self) -> None:
        self.txn.command_counter_increment()

    # -- names --------------------------------------------------------------------

    def namespace_oid(self, name: str) -> int | None:
        if name == "pg_catalog":
            return PG_CATALOG_NAMESPACE
        p = _C["pg_namespace"]
        for row in self.rows("pg_namespace"):
            if row[p["nspname"]] == name:
                return row[p["oid"]]
        return None

    def namespace_name(self, oid: int) -> str | None:
        p = _C["pg_namespace"]
        for row in self.rows("pg_namespace"):
            if row[p["oid"]] == oid:
                return row[p["nspname"]]
        return None

    def _name_map(self) -> dict[tuple[int, str], int]:
        if not self.private:
            gen, by_oid, names = self._shared_cache()
            if names is not None:
                return names
        p = _C["pg_class"]
        names = {(row[p["relnamespace"]], row[p["relname"]]): row[p["oid"]]
                 for row in self.rows("pg_class")}
        if not self.private:
            with self.m._lock:
                if self.m._caches.get(self.dboid, (None,))[0] == gen:
                    self.m._caches[self.dboid] = (gen, by_oid, names)
        return names

    def _shared_cache(self) -> tuple[int, dict[int, RelationInfo], dict | None]:
        with self.m._lock:
            entry = self.m._caches.get(self.dboid)
            if entry is None or entry[0] != self.m.generation:
                entry = (self.m.generation, {}, None)
                self.m._caches[self.dboid] = entry
            return entry

    def relation_oid(self, nspoid: int, name: str) -> int | None:
        return self._name_map().get((nspoid, name))

    def relation_by_oid(self, oid: int) -> RelationInfo | None:
        if not self.private:
            gen, by_oid, _ = self._shared_cache()
            rel = by_oid.get(oid)
            if rel is not None:
                if rel.extra.get("user_types"):
                    self.ensure_types(rel.extra["user_types"])
                return rel
        rel = self._load(oid)
        if rel is not None and rel.extra.get("user_types"):
            self.ensure_types(rel.extra["user_types"])
        if rel is not None and not self.private:
            with self.m._lock:
                if self.m.generation == gen:
                    by_oid[oid] = rel
        return rel

    # -- descriptor loading ------------------------------------------------------


    def _ancestor_identity_sequence(self, oid: int, colname: str) -> int | None:
        """The identity sequence of column colname of the nearest partitioned ancestor."""
        ih, a, dp = _C["pg_inherits"], _C["pg_attribute"], _C["pg_depend"]
        seen = set()
        while oid not in seen:
            seen.add(oid)
            parent = next((r[ih["inhparent"]] for r in self.rows("pg_inherits")
                           if r[ih["inhrelid"]] == oid), None)
            if parent is None:
                return None
            attnum = next((r[a["attnum"]] for r in self.rows("pg_attribute")
                           if r[a["attrelid"]] == parent and r[a["attname"]] == colname
                           and r[a["attnum"]] > 0), None)
            if attnum is None:
                return None
            for r in self.rows("pg_depend"):
                if r[dp["refobjid"]] == parent and r[dp["deptype"]] == "i" and \
                        r[dp["refobjsubid"]] == attnum and r[dp["classid"]] == 1259:
                    return r[dp["objid"]]
            oid = parent
        return None
    def _load(self, oid: int) -> RelationInfo | None:
        found = self.find("pg_class", oid=oid)
        if not found:
            return None
        c = _C["pg_class"]
        row = found[0][1]
        nsp = row[c["relnamespace"]]
        rel = RelationInfo(
            oid=oid, name=row[c["relname"]], namespace=nsp,
            nspname=self.namespace_name(nsp) or "", relkind=row[c["relkind"]],
            relfilenode=row[c["relfilenode"]], persistence=row[c["relpersistence"]],
            owner=row[c["relowner"]], shared=row[c["relisshared"]],
            acl=row[c["relacl"]], toastrelid=row[c["reltoastrelid"]])
        a = _C["pg_attribute"]
        cols = []
        att_heap = self.m.catalog_heap(self.dboid, "pg_attribute")
        xmins = set()
        for tid, r in self.scan("pg_attribute"):
            if r[a["attrelid"]] == oid and r[a["attnum"]] > 0:
                # columns written by different transactions: one may have been added by
                # ALTER TABLE ADD COLUMN, so older rows can be shorter (see needs_complete)
                if len(xmins) < 2:
                    tup = att_heap.get_tuple(tid, False)
                    if tup is not None:
                        xmins.add(tup.xmin)
                ident = r[a["attidentity"]]
                gen = r[a["attgenerated"]]
                cols.append(Column(
                    name=r[a["attname"]], attnum=r[a["attnum"]], type_oid=r[a["atttypid"]],
                    typmod=r[a["atttypmod"]], notnull=r[a["attnotnull"]],
                    identity="" if ident == "\x00" else ident,
                    generated="" if gen == "\x00" else gen, dropped=r[a["attisdropped"]],
                    inhcount=r[a["attinhcount"]], islocal=r[a["attislocal"]],
                    has_missing=r[a["atthasmissing"]],
                    missing=_missing_value(r[a["attmissingval"]], r[a["atttypid"]]),
                    acl=r[a["attacl"]]))
        cols.sort(key=lambda col: col.attnum)
        rel.columns = cols
        user_types = tuple({c.type_oid for c in cols if c.type_oid >= FIRST_NORMAL_OBJECT_ID})
        if user_types:
            rel.extra["user_types"] = user_types
        rel.needs_complete = len(xmins) > 1 or any(c.has_missing for c in cols)
        d = _C["pg_attrdef"]
        for r in self.rows("pg_attrdef"):
            if r[d["adrelid"]] == oid:
                num = r[d["adnum"]]
                for col in cols:
                    if col.attnum == num:
                        col.default = r[d["adbin"]]
        if any(c.identity for c in cols):
            dp = _C["pg_depend"]
            for r in self.rows("pg_depend"):
                if r[dp["refobjid"]] == oid and r[dp["deptype"]] == "i":
                    for col in cols:
                        if col.attnum == r[dp["refobjsubid"]] and col.identity:
                            col.default = _nextval_json(r[dp["objid"]])
            for col in cols:
                if col.identity and col.default is None:
                    # a partition's identity column draws from the sequence of the
                    # partitioned table at the top (PostgreSQL's getIdentitySequence)
                    seq = self._ancestor_identity_sequence(oid, col.name)
                    if seq is not None:
                        col.default = _nextval_json(seq)
        k = _C["pg_constraint"]
        exclops: dict[int, tuple[int, ...]] = {}
        deferrable_ix: dict[int, bool] = {}     # index -> INITIALLY DEFERRED
        # clones of foreign keys of (or referencing) partitioned tables: the checks of
        # rows of a table come from the constraints on it that are not clones made for a
        # referenced partition; the checks of its referenced rows from those referencing
        # it that are not clones made for a referencing partition
        # the catalogs' own keys and indexes (catindexes.py) are entries only: lookups
        # scan the catalog heaps, so a catalog's descriptor has neither
        catalog = oid < FIRST_NORMAL_OBJECT_ID
        con_rows = [] if catalog else list(self.rows("pg_constraint"))
        fk_conrelid = {r[k["oid"]]: r[k["conrelid"]] for r in con_rows
                       if r[k["contype"]] == "f"}
        for r in con_rows:
            if r[k["contype"]] == "f" and oid in (r[k["conrelid"]], r[k["confrelid"]]):
                up = r[k["conparentid"]]
                referenced_clone = bool(up) and fk_conrelid.get(up) == r[k["conrelid"]]
                fk = ForeignKeyInfo(
                    oid=r[k["oid"]], name=r[k["conname"]], child=r[k["conrelid"]],
                    child_attnums=tuple(r[k["conkey"]] or ()), parent=r[k["confrelid"]],
                    parent_attnums=tuple(r[k["confkey"]] or ()), on_update=r[k["confupdtype"]],
                    on_delete=r[k["confdeltype"]], match=r[k["confmatchtype"]],
                    deferrable=r[k["condeferrable"]], deferred=r[k["condeferred"]],
                    index_oid=r[k["conindid"]], period=r[k["conperiod"]],
                    enforced=r[k["conenforced"]],
                    del_set_cols=tuple(r[k["confdelsetcols"]] or ()))
                if fk.child == oid and not referenced_clone:
                    rel.fkeys.append(fk)
                if fk.parent == oid and (not up or referenced_clone):
                    rel.referenced_by.append(fk)
            if r[k["conrelid"]] == oid:
                rel.constraints.append(ConstraintInfo(r[k["oid"]], r[k["conname"]],
                                                      r[k["contype"]], r[k["conindid"]]))
                if r[k["conexclop"]]:
                    exclops[r[k["conindid"]]] = tuple(r[k["conexclop"]])
                if r[k["condeferrable"]] and r[k["contype"]] in "pux":
                    deferrable_ix[r[k["conindid"]]] = bool(r[k["condeferred"]])
                if r[k["contype"]] == "c":
                    rel.checks.append(CheckInfo(r[k["conname"]], r[k["conbin"]],
                                                r[k["connoinherit"]], r[k["conenforced"]]))
        rel.checks.sort(key=lambda ch: ch.name)
        i = _C["pg_index"]
        index_rows = [] if catalog else [r for r in self.rows("pg_index")
                                         if r[i["indrelid"]] == oid]
        if index_rows:
            wanted = {r[i["indexrelid"]] for r in index_rows}
            index_classes = {r[c["oid"]]: r for r in self.rows("pg_class")
                             if r[c["oid"]] in wanted}
        for r in index_rows:
            idx_oid = r[i["indexrelid"]]
            irow = index_classes.get(idx_oid)
            if irow is None:
                continue
            options = tuple(r[i["indoption"]] or ())
            conname = None
            for con in rel.constraints:
                if con.index_oid == idx_oid and con.contype in "pux":
                    conname = con.name
            rel.indexes.append(IndexInfo(
                oid=idx_oid, name=irow[c["relname"]], relfilenode=irow[c["relfilenode"]],
                attnums=tuple(r[i["indkey"]])[:r[i["indnkeyatts"]]],
                include=tuple(r[i["indkey"]])[r[i["indnkeyatts"]]:],
                unique=r[i["indisunique"]],
                primary=r[i["indisprimary"]],
                descending=tuple(bool(o & 1) for o in options),
                nulls_first=tuple(bool(o & 2) for o in options),
                nulls_not_distinct=r[i["indnullsnotdistinct"]], constraint_name=conname,
                valid=r[i["indisvalid"]], exprs=_index_exprs(r[i["indexprs"]]),
                predicate=r[i["indpred"]],
                am=_AM_NAMES.get(irow[c["relam"]], "btree"),
                exclusion_ops=exclops.get(idx_oid, ()) if r[i["indisexclusion"]] else (),
                deferrable=idx_oid in deferrable_ix,
                deferred=deferrable_ix.get(idx_oid, False),
                collations=tuple(r[i["indcollation"]] or ()),
                opclasses=tuple(0 if opc in _DEFAULT_OPCLASSES else opc
                                for opc in r[i["indclass"]] or ())))
        rel.indexes.sort(key=lambda ix: ix.oid)
        h = _C["pg_inherits"]
        parents = []
        for r in self.rows("pg_inherits"):
            if r[h["inhrelid"]] == oid:
                parents.append((r[h["inhseqno"]], r[h["inhparent"]]))
            elif r[h["inhparent"]] == oid:
                rel.children.append(r[h["inhrelid"]])
        rel.parents = [p for _, p in sorted(parents)]
        rel.children.sort()
        rel.partbound = row[c["relpartbound"]]
        if row[c["relrowsecurity"]]:
            rel.extra["rowsecurity"] = "force" if row[c["relforcerowsecurity"]] else "on"
        if rel.relkind == "p":
            from tuskdb.catalog.partition import load_partition_key
            rel.partkey = load_partition_key(self, rel)
        if rel.relkind == "S":
            s = _C["pg_sequence"]
            for r in self.rows("pg_sequence"):
                if r[s["seqrelid"]] == oid:
                    rel.extra["sequence"] = {name: r[pos] for name, pos in s.items()}
        if rel.relkind == "m":
            if not row[c["relispopulated"]]:
                rel.extra["unpopulated"] = True
            rw = _C["pg_rewrite"]
            for r in self.rows("pg_rewrite"):
                if r[rw["ev_class"]] == oid:
                    rel.view_query = r[rw["ev_action"]]
        if rel.relkind in "rmt":
            opts = row[c["reloptions"]]
            if opts is not None:
                for opt in getattr(opts, "items", opts):
                    name, _, value = str(opt).partition("=")
                    if name == "fillfactor":
                        # RelationGetTargetPageFreeSpace: the space inserts leave free
                        try:
                            ff = int(float(value) + 0.5)    # parse_int rounds
                        except ValueError:
                            continue
                        rel.extra["save_free_space"] = BLCKSZ * (100 - ff) // 100
        if rel.relkind == "v":
            opts = row[c["reloptions"]]
            if opts is not None:
                rel.extra["reloptions"] = tuple(getattr(opts, "items", opts))
            rw = _C["pg_rewrite"]
            for r in self.rows("pg_rewrite"):
                if r[rw["ev_class"]] == oid:
                    rel.view_query = r[rw["ev_action"]]
        return rel
