"""Regenerate tuskdb/types/catdata.py from a running PostgreSQL 18 (the oracle).

    python tests/unit/types/oracle/gen_catdata.py > tuskdb/types/catdata.py

Reads pg_operator, pg_proc, pg_cast and pg_aggregate restricted to the types
the types layer implements.  Not a test; run by hand after adding a type.
"""

from __future__ import annotations

import os
import subprocess
import sys

PSQL = ["/work/shared/tools/pg18", "psql", "-h", "127.0.0.1", "-p", "55418",
        "-U", "postgres", "-X", "-At", "-F", "\t"]

SCALARS = [
    790, 1560, 1562, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 700, 701, 705, 1042,
    1043, 1082, 1083, 1266, 1114, 1184, 1186, 1700, 2950, 2202, 2203, 2205, 2206, 4089,
    4096, 2278, 114, 3802, 869, 650, 829, 3220, 1033, 194, 4191, 3734, 3769, 5069, 3904,
    3926, 3906, 3908, 3910, 3912, 600, 601, 602, 603, 604, 628, 718, 4072,
    4451, 4532, 4533, 4534, 4535, 4536, 142, 1790
]
ARRAYS = [
    791, 1561, 1563, 1000, 1001, 1002, 1003, 1016, 1005, 1007, 1009, 1028, 1021, 1022, 1014,
    1015, 1182, 1183, 1115, 1185, 1187, 1231, 2951, 1270, 1010, 1011, 1012, 22, 30, 199,
    3807, 1041, 651, 1040, 3221, 1034, 4192, 3735, 3770, 271, 3905, 3927, 3907, 3909, 3911,
    3913, 1017, 1018, 1019, 1020, 1027, 629, 719, 4073, 6150, 6151,
    6152, 6153, 6155, 6157, 143, 2201
]
POLY = [2276, 2277, 2283, 2776, 5077, 5078, 3831, 5080, 3500, 2249, 2287, 4537,
        4538]
ALL = SCALARS + ARRAYS + POLY
ALLS = ",".join(map(str, ALL))


def query(sql: str) -> list[list[str]]:
    env = dict(os.environ, PG18_HOME=os.environ.get("PG18_HOME", "/tmp/tusk-pg18"))
    out = subprocess.run(PSQL + ["-c", sql], check=True, capture_output=True, text=True,
                         env=env).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def oidlist(s: str) -> tuple[int, ...]:
    return tuple(int(x) for x in s.split()) if s else ()


def main() -> None:
    w = sys.stdout.write
    w('"""Built-in catalogue rows copied from PostgreSQL 18 (generated; do not edit).\n\n')
    w("Regenerate with tests/unit/types/oracle/gen_catdata.py.  Only the rows whose\n")
    w("implementation exists (see registry.py) become OPERATORS/FUNCTIONS/....\n")
    w('"""\n\nfrom __future__ import annotations\n\n')
    procs = query(
        "select p.oid, proname, proargtypes, prorettype, proisstrict, provolatile, "
        "proretset, provariadic, prosrc, prokind from pg_proc p where prokind in ('f','a') "
        f"and (prorettype in ({ALLS}) or (prorettype = 2249 and proargmodes is not null)) and "
        f"coalesce((select bool_and(t in ({ALLS})) from unnest(coalesce(p.proallargtypes, "
        "p.proargtypes::oid[])) t), true) "
        "and pronamespace = 11 order by p.oid")
    w("# (oid, proname, argtypes, rettype, strict, volatility, retset, variadic, prosrc,"
      " prokind)\n")
    w("PROCS = [\n")
    for oid, name, args, ret, strict, vol, retset, variadic, src, kind in procs:
        src = src.replace("\n", " ")
        if kind == "f" and not src:
            src = "sql:" + name
        w(f"    ({oid}, {name!r}, {oidlist(args)!r}, {ret}, {strict == 't'}, {vol!r}, "
          f"{retset == 't'}, {variadic}, {src!r}, {kind!r}),\n")
    w("]\n\n")
    argd = query(
        "select p.oid, array_to_string(proargnames, ','), pg_get_expr(proargdefaults, 0) "
        "from pg_proc p where pronargdefaults > 0 and pronamespace = 11 "
        f"and prorettype in ({ALLS}) and "
        f"coalesce((select bool_and(t in ({ALLS})) from unnest(p.proargtypes) t), true) "
        "order by p.oid")
    w("# proc oid -> (argument names, SQL text of the trailing defaults)\n")
    w("ARG_DEFAULTS = {\n")
    for oid, names, defaults in argd:
        w(f"    {oid}: ({tuple(names.split(',')) if names else ()!r}, {defaults!r}),\n")
    w("}\n\n")
    outs = query(
        "select p.oid, array_to_string(array(select n from unnest(proargnames, proargmodes) "
        "u(n, m) where m in ('o', 't', 'b')), ','), array_to_string(array(select t from "
        "unnest(proallargtypes, proargmodes) u(t, m) where m in ('o', 't', 'b')), ' ') "
        "from pg_proc p where prorettype = 2249 and proargmodes is not null "
        "and pronamespace = 11 and prokind = 'f' and "
        f"(select bool_and(t in ({ALLS})) from unnest(p.proallargtypes) t) order by p.oid")
    w("# record-returning proc oid -> (OUT column names, OUT column types)\n")
    w("OUT_PARAMS = {\n")
    for oid, names, otypes in outs:
        w(f"    {oid}: ({tuple(names.split(','))!r}, {oidlist(otypes)!r}),\n")
    w("}\n\n")
    ops = query(
        "select o.oid, oprname, oprleft, oprright, oprresult, oprcom, oprnegate, oprcode::oid "
        f"from pg_operator o where oprleft in (0,{ALLS}) and oprright in ({ALLS}) "
        f"and oprresult in ({ALLS}) order by o.oid")
    w("# (oid, name, left, right, result, commutator, negator, proc oid)\n")
    w("OPERATORS = [\n")
    for row in ops:
        oid, name, *rest = row
        w(f"    ({oid}, {name!r}, {', '.join(rest)}),\n")
    w("]\n\n")
    flags = query(
        "select o.oid, oprcanmerge, oprcanhash, oprrest::oid, oprjoin::oid "
        f"from pg_operator o where oprleft in (0,{ALLS}) and oprright in ({ALLS}) "
        f"and oprresult in ({ALLS}) order by o.oid")
    w("# pg_operator oid -> (oprcanmerge, oprcanhash, oprrest, oprjoin)\n")
    w("OPERATOR_FLAGS = {\n")
    for oid, merge, hash_, rest, join in flags:
        w(f"    {oid}: ({merge == 't'}, {hash_ == 't'}, {rest}, {join}),\n")
    w("}\n\n")
    cast_oids = query(
        "select castsource, casttarget, oid from pg_cast "
        f"where castsource in ({ALLS}) and casttarget in ({ALLS}) order by 1, 2")
    w("# (source, target) -> pg_cast oid\n")
    w("CAST_OIDS = {\n")
    for s, t, o in cast_oids:
        w(f"    ({s}, {t}): {o},\n")
    w("}\n\n")
    casts = query(
        "select castsource, casttarget, castfunc, castcontext, castmethod from pg_cast "
        f"where castsource in ({ALLS}) and casttarget in ({ALLS}) order by 1, 2")
    w("# (source, target, proc oid or 0, context, method)\n")
    w("CASTS = [\n")
    for s, t, f, c, m in casts:
        w(f"    ({s}, {t}, {f}, {c!r}, {m!r}),\n")
    w("]\n\n")
    aggs = query(
        "select aggfnoid::oid, aggtransfn::oid, aggfinalfn::oid, aggcombinefn::oid, "
        "aggtranstype, agginitval, aggkind, aggsortop from pg_aggregate a join pg_proc p on "
        "p.oid = a.aggfnoid where pronamespace = 11 "
        f"and prorettype in ({ALLS}) and "
        f"coalesce((select bool_and(t in ({ALLS})) from unnest(p.proargtypes) t), true) "
        "order by 1")
    w("# (proc oid, trans proc oid, final proc oid, combine proc oid, transtype, initval,"
      " kind, sortop)\n")
    w("AGGREGATES = [\n")
    for fn, tr, fi, co, tt, init, kind, sortop in aggs:
        initv = None if init == "" else init
        w(f"    ({fn}, {tr}, {fi}, {co}, {tt}, {initv!r}, {kind!r}, {sortop}),\n")
    w("]\n")


if __name__ == "__main__":
    main()
