"""Answers for the built-in functions that look at the catalogs or the server's
state (sql/analyze/sysfuncs.py): pg_get_userbyid, pg_get_indexdef,
pg_show_all_settings, pg_stat_get_activity, pg_prepared_statement, ...
"""

from __future__ import annotations

import time
from typing import Any

from tuskdb import types
from tuskdb.catalog.rows import COLUMN_POS
from tuskdb.engine import guc
from tuskdb.errors import FEATURE_NOT_SUPPORTED, PgError

_UNIX_TO_PG = 946684800


def _ts(unix: float | None) -> int | None:
    if not unix:
        return None
    return int((unix - _UNIX_TO_PG) * 1_000_000)


def _quote(name: str) -> str:
    if name and name == name.lower() and (name[0].isalpha() or name[0] == "_") and \
            all(c.isalnum() or c in "_$" for c in name):
        return name
    return '"' + name.replace('"', '""') + '"'


class Introspect:
    def __init__(self, session: Any) -> None:
        self.s = session

    # -- catalog lookups ------------------------------------------------------------

    def user_name(self, oid: int) -> str | None:
        for _, row in self.s.catalog().find("pg_authid", oid=oid):
            return row[COLUMN_POS["pg_authid"]["rolname"]]
        return f"unknown (OID={oid})"

    def indexdef(self, oid: int, column: int = 0, pretty: bool = False) -> str | None:
        cat = self.s.catalog()
        irel = cat.relation_by_oid(oid)
        if irel is None or irel.relkind not in ("i", "I"):
            return None
        p = COLUMN_POS["pg_index"]
        found = cat.find("pg_index", indexrelid=oid)
        if not found:
            return None
        row = found[0][1]
        table = cat.relation_by_oid(row[p["indrelid"]])
        options = list(row[p["indoption"]] or [])
        cols = []
        shown = iter(self._index_exprs(table, row[p["indexprs"]], pretty))
        nkey = row[p["indnkeyatts"]]
        included = []
        for i, a in enumerate(row[p["indkey"]]):
            name = next(shown) if a == 0 else _quote(table.columns[a - 1].name)
            if column:
                cols.append(name)       # one column's definition: no ordering options
                continue
            if i >= nkey:
                included.append(name)   # INCLUDE columns: no ordering options
                continue
            opt = options[i] if i < len(options) else 0
            if opt & 1:
                name += " DESC"
                if not opt & 2:
                    name += " NULLS LAST"
            elif opt & 2:
                name += " NULLS FIRST"
            cols.append(name)
        if column:
            return cols[column - 1] if column <= len(cols) else ""
        unique = "UNIQUE " if row[p["indisunique"]] else ""
        nnd = " NULLS NOT DISTINCT" if row[p["indnullsnotdistinct"]] else ""
        only = "ONLY " if irel.relkind == "I" else ""
        where = ""
        if row[p["indpred"]]:
            import json
            from tuskdb.sql.execute.indexkeys import analyze_index_exprs
            pred = analyze_index_exprs(table, [json.loads(row[p["indpred"]])], self.s,
                                       kind="index predicates")[0]
            where = f" WHERE {self._deparser(pretty).expr(pred, True)}"
        ix = next((x for x in table.indexes if x.oid == oid), None)
        am = ix.am if ix is not None else "btree"
        # pretty: the table qualified only when it is not visible (generate_relation_name)
        qual = "" if pretty and self.table_is_visible(table.oid) else \
            f"{_quote(table.nspname)}."
        include = f" INCLUDE ({', '.join(included)})" if included else ""
        return (f"CREATE {unique}INDEX {_quote(irel.name)} ON {only}{qual}"
                f"{_quote(table.name)} USING {am} ({', '.join(cols)}){include}{nnd}{where}")

    def _index_exprs(self, table: Any, indexprs: str | None, pretty: bool) -> list[str]:
        """Index key expressions as pg_get_indexdef prints them: function calls bare,
        other expressions (constants too) in parentheses of their own."""
        if not indexprs:
            return []
        import json
        from tuskdb.sql.execute.indexkeys import analyze_index_exprs
        exprs = analyze_index_exprs(table, json.loads(indexprs), self.s)
        dp = self._deparser(pretty)
        out = []
        for e in exprs:
            text = dp.expr(e, True)
            out.append(text if dp.looks_like_function(e) else f"({text})")
        return out

    # -- partitioning ---------------------------------------------------------------

    def partition_bound(self, expr: str, relid: int) -> str | None:
        from tuskdb.catalog.partition import parse_bound
        from tuskdb.sql.commands.partition import deparse_bound, key_types_of
        cat = self.s.catalog()
        rel = cat.relation_by_oid(relid)
        bound = parse_bound(expr)
        if rel is None or not rel.parents:
            return None
        parent = cat.relation_by_oid(rel.parents[0])
        if parent is None or parent.partkey is None:
            return None
        return deparse_bound(bound, key_types_of(self.s, parent), self.s.type_context)

    def partkeydef(self, oid: int) -> str | None:
        import json
        from tuskdb.catalog.partition import BTREE_OPCLASS, HASH_OPCLASS
        from tuskdb.sql.commands.partition import _OPCLASS_NAMES, _OTHER_OPCLASSES, key_exprs
        from tuskdb.sql.analyze.state import AnalyzeState
        cat = self.s.catalog()
        rel = cat.relation_by_oid(oid)
        if rel is None or rel.partkey is None:
            return None
        key = rel.partkey
        state = AnalyzeState(cat, self.s, [], None, "")
        exprs = key_exprs(state, rel, 1)
        dep = self._deparser(False)
        parts = []
        for i, (a, e) in enumerate(zip(key.attnums, exprs)):
            if a:
                text = _quote(rel.columns[a - 1].name)
            else:
                text = dep.expr(e, False)
                if not text.endswith(")") or not text[:1].isalpha():
                    text = f"({text})"
            opc = key.opclasses[i] if i < len(key.opclasses) else 0
            table = HASH_OPCLASS if key.strategy == "h" else BTREE_OPCLASS
            if opc and table.get(e.type_oid) != opc:
                name = _OPCLASS_NAMES.get(opc) or next(
                    (n for (_, n), (o, _) in _OTHER_OPCLASSES.items() if o == opc), None)
                if name is None:
                    k = COLUMN_POS["pg_opclass"]
                    for _, r in cat.find("pg_opclass", oid=opc):
                        name = r[k["opcname"]]
                if name:
                    text += f" {name}"
            parts.append(text)
        del json
        word = {"r": "RANGE", "l": "LIST", "h": "HASH"}[key.strategy]
        return f"{word} ({', '.join(parts)})"

    def partition_constraintdef(self, oid: int) -> str | None:
        from tuskdb.sql.commands.partition import partition_constraint_def
        return partition_constraint_def(self.s, oid)

    @staticmethod
    def _is_partition(rel: Any) -> bool:
        return rel.partbound is not None or (rel.relkind in ("i", "I") and bool(rel.parents))

    def partition_root(self, oid: int) -> int | None:
        cat = self.s.catalog()
        rel = cat.relation_by_oid(oid)
        if rel is None or (rel.relkind not in ("p", "I") and not self._is_partition(rel)):
            return None
        while self._is_partition(rel) and rel.parents:
            rel = cat.relation_by_oid(rel.parents[0])
        return rel.oid

    def partition_ancestors(self, oid: int) -> list[tuple]:
        cat = self.s.catalog()
        rel = cat.relation_by_oid(oid)
        if rel is None or (rel.relkind not in ("p", "I") and not self._is_partition(rel)):
            return []
        out = [(rel.oid,)]
        while self._is_partition(rel) and rel.parents:
            rel = cat.relation_by_oid(rel.parents[0])
            out.append((rel.oid,))
        return out

    def partition_tree(self, oid: int) -> list[tuple]:
        cat = self.s.catalog()
        rel = cat.relation_by_oid(oid)
        if rel is None or (rel.relkind not in ("p", "I") and not self._is_partition(rel)):
            return []
        parent = rel.parents[0] if self._is_partition(rel) and rel.parents else None
        out = []
        queue = [(rel, parent, 0)]
        while queue:
            r, par, level = queue.pop(0)
            out.append((r.oid, par, r.relkind not in ("p", "I"), level))
            for ch in r.children:
                c = cat.relation_by_oid(ch)
                if c is not None and self._is_partition(c):
                    queue.append((c, r.oid, level + 1))
        return out

    def viewdef(self, oid: int, pretty: bool = False) -> str | None:
        from tuskdb.engine.regtypes import REGCLASS, reg_output
        from tuskdb.sql.deparse_query import get_viewdef
        rel = self.s.catalog().relation_by_oid(oid)
        if rel is None or rel.relkind not in ("v", "m"):
            return None
        return get_viewdef(self.s, rel, bool(pretty),
                           lambda o: reg_output(self.s, REGCLASS, o))

    def viewdef_name(self, name: str, pretty: bool = False) -> str | None:
        """pg_get_viewdef(text [, bool]): the view named by a possibly qualified name."""
        from tuskdb.engine.regtypes import REGCLASS, reg_input
        return self.viewdef(reg_input(self.s, REGCLASS, name), pretty)

    def viewdef_wrap(self, oid: int, wrap: int) -> str | None:
        """pg_get_viewdef(oid, int): pretty, the SELECT list wrapped at that column."""
        if wrap > 0:
            raise PgError(FEATURE_NOT_SUPPORTED,
                          "pg_get_viewdef with a wrap column is not supported")
        return self.viewdef(oid, True)

    def _deparser(self, pretty: bool) -> Any:
        from tuskdb.engine.regtypes import REGCLASS, reg_output
        from tuskdb.sql.deparse import Deparser
        return Deparser(self.s.type_context, bool(pretty),
                        lambda oid: reg_output(self.s, REGCLASS, oid))

    def _domain_constraintdef(self, row: tuple, pretty: bool) -> str:
        """A domain's constraint: NOT NULL, or CHECK over VALUE."""
        import json

        from tuskdb.sql.analyze.expr import ExprContext, transform
        from tuskdb.sql.analyze.state import AnalyzeState, RangeEntry, Scope
        k = COLUMN_POS["pg_constraint"]
        if row[k["contype"]] == "n":
            return "NOT NULL"
        cat = self.s.catalog()
        t = cat.type_by_oid(row[k["contypid"]])
        state = AnalyzeState(cat, self.s, [], None, "")
        scope = Scope()
        scope.add(RangeEntry(("domain", t.oid), None, ["value"], [(t.base_oid, t.base_typmod)],
                             kind="values"))
        e = transform(json.loads(row[k["conbin"]]), ExprContext(state, scope, "deparse", None))
        body = self._deparser(pretty).expr(e, True)
        out = f"CHECK ({body})"
        if not row[k["convalidated"]]:
            out += " NOT VALID"
        return out

    def _analyze_in(self, relid: int, raw_json: str) -> Any:
        import json

        from tuskdb.sql.analyze.expr import ExprContext, transform
        from tuskdb.sql.analyze.state import AnalyzeState, RangeEntry, Scope
        cat = self.s.catalog()
        rel = cat.relation_by_oid(relid)
        state = AnalyzeState(cat, self.s, [], None, "")
        scope = Scope()
        if rel is not None:
            scope.add(RangeEntry(1, rel.name, [c.name for c in rel.columns],
                                 [(c.type_oid, c.typmod) for c in rel.columns], rel=rel))
        return rel, transform(json.loads(raw_json), ExprContext(state, scope, "deparse", None))

    def get_expr(self, expr: str, relid: int, pretty: bool = False) -> str | None:
        from tuskdb.sql.analyze.coerce import coerce_to
        if expr.startswith('{"PartitionBoundSpec"'):
            return self.partition_bound(expr, relid)
        rel, e = self._analyze_in(relid, expr)
        if e.type_oid == 705 and rel is not None:
            # a DEFAULT literal was coerced to its column's type when it was stored
            d = COLUMN_POS["pg_attrdef"]
            for _, row in self.s.catalog().find("pg_attrdef", adrelid=relid, adbin=expr):
                col = next((c for c in rel.columns if c.attnum == row[d["adnum"]]), None)
                if col is not None:
                    e = coerce_to(e, col.type_oid, -1, "a", ctx=self.s.type_context)
                break
        return self._deparser(pretty).expr(e, True)

    def _constraint_include(self, rel: Any, con: tuple) -> str:
        """' INCLUDE (c, d)' of a constraint whose index has non-key columns."""
        k = COLUMN_POS["pg_constraint"]
        p = COLUMN_POS["pg_index"]
        for _, row in self.s.catalog().find("pg_index", indexrelid=con[k["conindid"]]):
            extra = list(row[p["indkey"]])[row[p["indnkeyatts"]]:]
            if extra:
                return f" INCLUDE ({', '.join(_quote(rel.columns[a - 1].name) for a in extra)})"
        return ""

    def constraintdef(self, oid: int, pretty: bool = False) -> str | None:
        cat = self.s.catalog()
        k = COLUMN_POS["pg_constraint"]
        found = cat.find("pg_constraint", oid=oid)
        if not found:
            return None
        row = found[0][1]
        contype = row[k["contype"]]
        if not row[k["conrelid"]] and row[k["contypid"]]:
            return self._domain_constraintdef(row, pretty)
        rel = cat.relation_by_oid(row[k["conrelid"]])
        keys = ", ".join(_quote(rel.columns[a - 1].name) for a in row[k["conkey"]] or [])
        if contype in ("p", "u") and row[k["conperiod"]]:
            keys += " WITHOUT OVERLAPS"
        if contype == "p":
            return f"PRIMARY KEY ({keys}){self._constraint_include(rel, row)}"
        if contype == "u":
            return f"UNIQUE ({keys}){self._constraint_include(rel, row)}"
        if contype == "x":
            return self._exclusion_constraintdef(row, rel, pretty)
        if contype == "n":
            out = f"NOT NULL {keys}"
            if row[k["connoinherit"]]:
                out += " NO INHERIT"
            return out + _validity(row)
        if contype == "c":
            _, e = self._analyze_in(rel.oid, row[k["conbin"]])
            body = self._deparser(pretty).expr(e, True)
            out = f"CHECK ({body})"
            if row[k["connoinherit"]]:
                out += " NO INHERIT"
            return out + _validity(row)
        if contype == "f":
            parent = cat.relation_by_oid(row[k["confrelid"]])
            pkeys = ", ".join(_quote(parent.columns[a - 1].name) for a in row[k["confkey"]] or [])
            if row[k["conperiod"]]:
                # PERIOD before the last column of each side
                keys = ", PERIOD ".join(keys.rsplit(", ", 1))
                pkeys = ", PERIOD ".join(pkeys.rsplit(", ", 1))
            from tuskdb.engine.regtypes import REGCLASS, reg_output
            # generate_relation_name: qualified unless visible through search_path
            out = f"FOREIGN KEY ({keys}) REFERENCES {reg_output(self.s, REGCLASS, parent.oid)}" \
                  f"({pkeys})"
            if row[k["confmatchtype"]] == "f":
                out += " MATCH FULL"
            actions = {"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
            if row[k["confupdtype"]] in actions:
                out += f" ON UPDATE {actions[row[k['confupdtype']]]}"
            if row[k["confdeltype"]] in actions:
                out += f" ON DELETE {actions[row[k['confdeltype']]]}"
                if row[k["confdelsetcols"]]:
                    out += " (" + ", ".join(_quote(rel.columns[a - 1].name)
                                            for a in row[k["confdelsetcols"]]) + ")"
            if row[k["condeferrable"]]:
                out += " DEFERRABLE"
                if row[k["condeferred"]]:
                    out += " INITIALLY DEFERRED"
            return out + _validity(row)
        raise PgError(FEATURE_NOT_SUPPORTED, f"pg_get_constraintdef for constraint type "
                      f"{contype} is not supported")

    def _exclusion_constraintdef(self, row: tuple, rel: Any, pretty: bool) -> str:
        """EXCLUDE USING am (col WITH op, ...) [WHERE (pred)]."""
        from tuskdb.types.builtins import OPERATORS_BY_OID
        k = COLUMN_POS["pg_constraint"]
        ix = next((i for i in rel.indexes if i.oid == row[k["conindid"]]), None)
        if ix is None:
            raise PgError(FEATURE_NOT_SUPPORTED, "pg_get_constraintdef of this exclusion "
                          "constraint is not supported")
        items = [f"{_quote(rel.columns[a - 1].name)} WITH {OPERATORS_BY_OID[o].name}"
                 for a, o in zip(ix.attnums, row[k["conexclop"]] or [])]
        out = f"EXCLUDE USING {ix.am} ({', '.join(items)}){self._constraint_include(rel, row)}"
        if ix.predicate:
            _, e = self._analyze_in(rel.oid, ix.predicate)
            out += f" WHERE ({self._deparser(pretty).expr(e, True)})"
        if row[k["condeferrable"]]:
            out += " DEFERRABLE"
            if row[k["condeferred"]]:
                out += " INITIALLY DEFERRED"
        return out

    def table_is_visible(self, oid: int) -> bool:
        cat = self.s.catalog()
        rel = cat.relation_by_oid(oid)
        if rel is None:
            return False
        for nsp in self.s.search_path_oids(cat):
            found = cat.relation_oid(nsp, rel.name)
            if found is not None:
                return found == oid
        return False

    def obj_description(self, oid: int, catalog: str | None = None) -> str | None:
        if catalog in ("pg_authid", "pg_database", "pg_tablespace"):
            sp = COLUMN_POS["pg_shdescription"]
            classoid = {"pg_authid": 1260, "pg_database": 1262, "pg_tablespace": 1213}[catalog]
            for _, row in self.s.catalog().find("pg_shdescription", objoid=oid,
                                                classoid=classoid):
                return row[sp["description"]]
            return None
        p = COLUMN_POS["pg_description"]
        for _, row in self.s.catalog().find("pg_description", objoid=oid, objsubid=0):
            return row[p["description"]]
        return None

    def col_description(self, oid: int, attnum: int) -> str | None:
        p = COLUMN_POS["pg_description"]
        for _, row in self.s.catalog().find("pg_description", objoid=oid, objsubid=attnum):
            return row[p["description"]]
        return None

    def sequence_last_value(self, oid: int) -> int | None:
        _, seq = self.s._sequence(oid)
        last, _, called = seq.read()
        return last if called else None

    def relation_size(self, oid: int) -> int | None:
        cat = self.s.catalog()
        rel = cat.relation_by_oid(oid)
        if rel is None:
            return None
        if rel.relkind in ("v", "c", "f", "p", "I") or not rel.relfilenode and \
                rel.oid >= 16384:
            return 0            # no storage
        m = cat.m
        if rel.oid < 16384 and rel.relkind in ("i", "t"):
            # the catalogs' own indexes and TOAST tables are catalog entries without
            # storage (catalog/README.md)
            return 0
        if rel.relkind == "i":
            return len(m.index(self.s.dboid, rel.relfilenode).rel.blocks) * 8192
        if rel.relkind == "S":
            return 8192
        return m.heap(0 if rel.shared else self.s.dboid, rel.relfilenode).nblocks * 8192

    def table_size(self, oid: int) -> int | None:
        """pg_table_size: the relation with its TOAST table (and the TOAST index)."""
        size = self.relation_size(oid)
        if size is None:
            return None
        rel = self.s.catalog().relation_by_oid(oid)
        if rel.toastrelid:
            size += self.total_relation_size(rel.toastrelid) or 0
        return size

    def indexes_size(self, oid: int) -> int | None:
        """pg_indexes_size: the relation's indexes."""
        rel = self.s.catalog().relation_by_oid(oid)
        if rel is None:
            return None
        return sum(self.relation_size(ix.oid) or 0 for ix in rel.indexes)

    def total_relation_size(self, oid: int) -> int | None:
        size = self.table_size(oid)
        if size is None:
            return None
        return size + (self.indexes_size(oid) or 0)

    def txid_current(self) -> int:
        return self.s.txn.get_top_xid()

    def acl_value(self, fname: str, *args: Any) -> Any:
        from tuskdb.engine import privfuncs
        return getattr(privfuncs, fname)(self.s, *args)

    def has_privilege(self, name: str, sig: tuple[int, ...], *args: Any) -> bool | None:
        from tuskdb.engine.privfuncs import has_privilege
        return has_privilege(self.s, name, sig, *args)

    def _check_signal(self, other: Any, terminate: bool) -> None:
        """pg_signal_backend's permission rules: superusers' backends only by
        superusers; others by members of their role or of pg_signal_backend."""
        from tuskdb.catalog import aclchk
        cat = self.s.catalog()
        me, is_super = self.s._role_facts(cat)
        if is_super:
            return
        target = aclchk.role_oid(cat, other.session_user, missing_ok=True) or 0
        what = "terminate process" if terminate else "cancel query"
        if aclchk.superuser_arg(cat, target):
            raise PgError("42501", f"permission denied to {what}",
                          detail="Only roles with the SUPERUSER attribute may "
                                 f"{'terminate processes' if terminate else 'cancel queries'} "
                                 "of roles with the SUPERUSER attribute.")
        signal = aclchk.role_oid(cat, "pg_signal_backend", missing_ok=True) or 0
        if not aclchk.has_privs_of_role(cat, me, target) and \
                not aclchk.has_privs_of_role(cat, me, signal):
            raise PgError("42501", f"permission denied to {what}",
                          detail="Only roles with privileges of the role whose "
                                 f"{'process is being terminated' if terminate else 'query is being canceled'}"
                                 ' or with privileges of the "pg_signal_backend" role may '
                                 f"{'terminate this process' if terminate else 'cancel this query'}.")

    def cancel_backend(self, pid: int) -> bool:
        other = self.s.db.sessions.get(pid)
        if other is None:
            self.s.add_notice(PgError("01000", f"PID {pid} is not a PostgreSQL backend process",
                                      severity="WARNING"))
            return False
        self._check_signal(other, False)
        other.cancel()
        return True

    def terminate_backend(self, pid: int, timeout: int = 0) -> bool:
        other = self.s.db.sessions.get(pid)
        if other is None:
            self.s.add_notice(PgError("01000", f"PID {pid} is not a PostgreSQL backend process",
                                      severity="WARNING"))
            return False
        self._check_signal(other, True)
        other.terminate()
        return True

    # -- set-returning ---------------------------------------------------------------

    def all_settings(self) -> list[tuple]:
        out = []
        s = self.s
        for key in sorted(guc.GUCS, key=lambda k: guc.GUCS[k].name.lower()):
            g = guc.GUCS[key]
            if g.no_show_all:
                continue
            value = s.settings[key]
            setting = _raw_setting(g, value)
            unit = {"ms": "ms", "s": "s", "kB": "kB", "8kB": "8kB", "min": "min"}.get(g.unit or "")
            enumvals = types.Array(list(g.enumvals)) if g.enumvals else None
            out.append((g.name, setting, unit, "", g.short_desc, None, g.context, g.vartype,
                        "default" if value == g.default else "session",
                        None if g.min is None else str(int(g.min)),
                        None if g.max is None else str(int(g.max)), enumvals,
                        _raw_setting(g, g.default),
                        _raw_setting(g, s._reset_values.get(key, g.default)), None, None,
                        False))
        return out

    def prepared_statements(self) -> list[tuple]:
        out = []
        for ps in self.s.prepared.values():
            if not ps.name:
                continue
            cp = ps.plan
            ptypes = types.Array(list(ps.param_types))
            rtypes = types.Array([f.type_oid for f in cp.fields]) if cp is not None and \
                cp.fields is not None else None
            out.append((ps.name, ps.sql, _ts(ps.prepare_time), ptypes, rtypes, ps.from_sql, 0,
                        0))
        return out

    def cursors(self) -> list[tuple]:
        """pg_cursor(): the session's open cursors."""
        return [(c.name, c.sql, c.hold, bool(c.options & 1), c.scrollable,
                 _ts(c.creation_time))
                for c in self.s.cursors.values()]

    def timezone_names(self) -> list[tuple]:
        """pg_timezone_names(): every zone of the time zone database with its
        abbreviation, offset and DST state now."""
        import datetime as _dt
        import zoneinfo
        from tuskdb.types.interval import Interval
        now = _dt.datetime.now(_dt.timezone.utc)
        out = []
        for name in sorted(zoneinfo.available_timezones()):
            if name.startswith(("posix/", "right/")) or name in ("Factory", "localtime"):
                continue
            try:
                local = now.astimezone(zoneinfo.ZoneInfo(name))
            except Exception:  # noqa: BLE001 - an unreadable zone file is skipped
                continue
            off = local.utcoffset() or _dt.timedelta(0)
            dst = local.dst()
            out.append((name, local.tzname() or "",
                        Interval(0, 0, int(off.total_seconds()) * 1_000_000),
                        bool(dst)))
        return out

    def timezone_abbrevs_zone(self) -> list[tuple]:
        """pg_timezone_abbrevs_zone(): the abbreviations the session's time zone uses,
        each with its meaning at its most recent use."""
        import time as _time
        from tuskdb.types.interval import Interval
        from tuskdb.types.tzabbrevs import interpret_abbrev, zone_data
        tz = self.s.type_context.tz
        zd = zone_data(tz)
        if zd is None:
            return []
        now = int(_time.time())
        out, seen = [], set()
        for _, _, name in zd.ttis:
            if name in seen or not name or name[0] in "+-":
                continue
            seen.add(name)
            r = interpret_abbrev(name, now, tz)
            if r is not None:
                out.append((name, Interval(0, 0, r[0] * 1_000_000), bool(r[1])))
        return out

    def timezone_abbrevs_abbrevs(self) -> list[tuple]:
        """pg_timezone_abbrevs_abbrevs(): the timezone_abbreviations set in use (fixed
        ones with their offsets; zone-defined ones with their meaning now)."""
        import time as _time
        from tuskdb.types.context import parse_timezone
        from tuskdb.types.interval import Interval
        from tuskdb.types.tzabbrevs import (DYN_ABBREVS, TZ_ABBREV_DST, TZ_ABBREVS,
                                            interpret_abbrev)
        now = int(_time.time())
        rows = []
        for ab, off in TZ_ABBREVS.items():
            rows.append((ab.upper(), Interval(0, 0, off * 1_000_000), ab in TZ_ABBREV_DST))
        for ab, zone in DYN_ABBREVS.items():
            tz = parse_timezone(zone)
            r = interpret_abbrev(ab, now, tz)
            if r is None:       # the zone no longer uses it: the zone's own offset now
                import datetime as _dt
                local = _dt.datetime.now(_dt.timezone.utc).astimezone(tz)
                off = local.utcoffset() or _dt.timedelta(0)
                r = (int(off.total_seconds()), bool(local.dst()))
            rows.append((ab.upper(), Interval(0, 0, r[0] * 1_000_000), bool(r[1])))
        rows.sort(key=lambda r: r[0])
        return rows

    def activity(self, pid: int | None) -> list[tuple]:
        out = []
        for sess in list(self.s.db.sessions.values()):
            if pid is not None and sess.pid != pid:
                continue
            ev = sess.interrupts.wait_event
            ev_type, ev_name = (ev.split(":", 1) if ev and ":" in ev else (None, ev))
            out.append((sess.dboid, sess.dbname, sess.pid, None, 10, sess.user,
                        sess.settings.get("application_name", ""), None, None, None,
                        _ts(sess.backend_start),
                        sess.xact_start or None, sess.stmt_start or None,
                        sess.stmt_start or None, ev_type, ev_name, sess.state,
                        None, None, None, sess.query, "client backend"))
        return out

    def locks(self) -> list[tuple]:
        from tuskdb.txn import LOCK_MODE_NAMES
        out = []
        for tag, owner, mode, granted in self.s.db.txns.locks.lock_status():
            pid = getattr(owner, "pid", None)
            if tag[0] == "relation":
                out.append(("relation", tag[1], tag[2], None, None, None, None, None, None,
                            None, None, pid, LOCK_MODE_NAMES[mode], granted, False, None))
            elif tag[0] == "transactionid":
                out.append(("transactionid", None, None, None, None, None, tag[1], None, None,
                            None, None, pid, LOCK_MODE_NAMES[mode], granted, False, None))
        return out

    def table_stats(self) -> list[tuple]:
        out = []
        for oid, c in self.s.db.table_stats.items():
            out.append((oid, c.get("seq", 0), c.get("idx", 0), c.get("ins", 0),
                        c.get("upd", 0), c.get("del", 0), c.get("live", 0), c.get("dead", 0),
                        None, None, c.get("vacuum", 0), c.get("analyze", 0)))
        return out


def _raw_setting(g: Any, value: Any) -> str:
    if g.vartype == "bool":
        return "on" if value else "off"
    return str(value)


__all__ = ["Introspect", "time"]


def _validity(row: tuple) -> str:
    """pg_get_constraintdef's last words: validity does not matter when NOT ENFORCED."""
    k = COLUMN_POS["pg_constraint"]
    if not row[k["conenforced"]]:
        return " NOT ENFORCED"
    if not row[k["convalidated"]]:
        return " NOT VALID"
    return ""
