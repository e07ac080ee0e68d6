"""Regenerate tuskdb/types/tsearch/catdata.py from a running PostgreSQL 18 (the oracle).

    python tests/unit/types/oracle/gen_tscatdata.py > tuskdb/types/tsearch/catdata.py

The pg_proc / pg_operator / pg_cast rows that involve the text search types
(tsvector, tsquery, regconfig, regdictionary) and the rows of the text search
catalogs (pg_ts_parser, pg_ts_template, pg_ts_dict, pg_ts_config,
pg_ts_config_map) as initdb creates them.  Not a test; run by hand.
"""

from __future__ import annotations

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from gen_catdata import ALL  # noqa: E402

PSQL = ["/work/shared/tools/pg18", "psql", "-h", "127.0.0.1", "-p", "55418",
        "-U", "postgres", "-X", "-At", "-F", "\t"]
TS = [3614, 3615, 3643, 3645, 3734, 3769, 3735, 3770, 2249, 1002, 18, 2275]
ALLS = ",".join(map(str, ALL + TS))
TSS = ",".join(map(str, [3614, 3615, 3643, 3645, 3734, 3769]))
NAMES = "'ts_parse','ts_token_type','ts_stat','ts_debug','get_current_ts_config'"


def query(sql: str) -> list[list[str]]:
    env = dict(os.environ, PG18_HOME=os.environ.get("PG18_HOME", "/opt/tusk-pg18"))
    out = subprocess.run(PSQL + ["-c", sql], check=True, capture_output=True, text=True,
                         env=env).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def oidlist(s: str) -> tuple[int, ...]:
    return tuple(int(x) for x in s.split()) if s else ()


def main() -> None:
    w = sys.stdout.write
    w('"""Text search rows copied from PostgreSQL 18 (generated; do not edit).\n\n')
    w("Regenerate with tests/unit/types/oracle/gen_tscatdata.py.\n")
    w('"""\n\nfrom __future__ import annotations\n\n')
    cond = (f"(prorettype in ({TSS}) or p.proargtypes::oid[] && '{{{TSS}}}'::oid[] "
            f"or proname in ({NAMES}))")
    procs = query(
        "select p.oid, proname, proargtypes, prorettype, proisstrict, provolatile, "
        "proretset, provariadic, prosrc, prokind from pg_proc p where prokind = 'f' "
        f"and {cond} and (prorettype in ({ALLS})) and "
        f"coalesce((select bool_and(t in ({ALLS})) from unnest(coalesce(p.proallargtypes, "
        "p.proargtypes::oid[])) t), true) and pronamespace = 11 order by p.oid")
    w("# (oid, proname, argtypes, rettype, strict, volatility, retset, variadic, prosrc,"
      " prokind)\n")
    w("PROCS = [\n")
    for oid, name, args, ret, strict, vol, retset, variadic, src, kind in procs:
        src = src.replace("\n", " ")
        if not src or src.lstrip().upper().startswith("SELECT"):
            src = "sql:" + name
        w(f"    ({oid}, {name!r}, {oidlist(args)!r}, {ret}, {strict == 't'}, {vol!r}, "
          f"{retset == 't'}, {variadic}, {src!r}, {kind!r}),\n")
    w("]\n\n")
    outs = query(
        "select p.oid, array_to_string(array(select n from unnest(proargnames, proargmodes) "
        "u(n, m) where m in ('o', 't', 'b')), ','), array_to_string(array(select t from "
        "unnest(proallargtypes, proargmodes) u(t, m) where m in ('o', 't', 'b')), ' ') "
        f"from pg_proc p where prorettype = 2249 and proargmodes is not null and {cond} "
        "and pronamespace = 11 order by p.oid")
    w("# record-returning proc oid -> (OUT column names, OUT column types)\n")
    w("OUT_PARAMS = {\n")
    for oid, names, otypes in outs:
        w(f"    {oid}: ({tuple(names.split(','))!r}, {oidlist(otypes)!r}),\n")
    w("}\n\n")
    ops = query(
        "select o.oid, oprname, oprleft, oprright, oprresult, oprcom, oprnegate, oprcode::oid "
        f"from pg_operator o where (oprleft in ({TSS}) or oprright in ({TSS}) "
        "or oprcode::text like 'ts_match%') "
        f"and oprresult in ({ALLS}) order by o.oid")
    w("# (oid, name, left, right, result, commutator, negator, proc oid)\n")
    w("OPERATORS = [\n")
    for row in ops:
        oid, name, *rest = row
        w(f"    ({oid}, {name!r}, {', '.join(rest)}),\n")
    w("]\n\n")
    casts = query(
        "select castsource, casttarget, castfunc, castcontext, castmethod from pg_cast "
        f"where castsource in ({TSS}) or casttarget in ({TSS}) order by 1, 2")
    w("# (source, target, proc oid or 0, context, method)\n")
    w("CASTS = [\n")
    for s, t, f, c, m in casts:
        w(f"    ({s}, {t}, {f}, {c!r}, {m!r}),\n")
    w("]\n\n")
    for title, sql in (
        ("PARSERS  # (oid, prsname, prsstart, prstoken, prsend, prsheadline, prslextype)"
         " (procedure OIDs)",
         "select oid, prsname, prsstart::oid, prstoken::oid, prsend::oid, prsheadline::oid, "
         "prslextype::oid from pg_ts_parser order by oid"),
        ("TEMPLATES  # (oid, tmplname, tmplinit, tmpllexize) (procedure OIDs)",
         "select oid, tmplname, tmplinit::oid, tmpllexize::oid from pg_ts_template "
         "order by oid"),
        ("DICTS  # (oid, dictname, dicttemplate, dictinitoption)",
         "select oid, dictname, dicttemplate, coalesce(dictinitoption, '') from pg_ts_dict "
         "order by oid"),
        ("CONFIGS  # (oid, cfgname, cfgparser)",
         "select oid, cfgname, cfgparser from pg_ts_config order by oid"),
        ("CONFIG_MAP  # (mapcfg, maptokentype, mapseqno, mapdict)",
         "select mapcfg, maptokentype, mapseqno, mapdict from pg_ts_config_map "
         "order by 1, 2, 3"),
    ):
        name = title.split()[0]
        w(f"# {title.split('#')[1].strip()}\n{name} = [\n")
        for row in query(sql):
            vals = []
            for v in row:
                vals.append(v if v.lstrip("-").isdigit() else repr(v))
            w(f"    ({', '.join(vals)}),\n")
        w("]\n\n")
    w("# obj_description of the built-in text search objects: (classoid, oid) -> text\n")
    w("DESCRIPTIONS = {\n")
    for classoid, oid, desc in query(
            "select classoid, objoid, description from pg_description where classoid in "
            "(3600, 3601, 3602, 3764) order by 1, 2"):
        w(f"    ({classoid}, {oid}): {desc!r},\n")
    w("}\n")


if __name__ == "__main__":
    main()
