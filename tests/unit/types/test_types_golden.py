"""Golden comparisons: every expected string below was produced by PostgreSQL 18.6
(tests/unit/types/oracle/gen_golden.py -> golden_data.py)."""

from __future__ import annotations

import pytest

from golden_data import BINARY, EXPRS, IO, SETTING_IO  # type: ignore[import-not-found]
from harness import context, evaluate, literal, matches, outcome, parse_type
from exprs import EXPRS_SPEC, render  # type: ignore[import-not-found]

CTX = context()
# Cases PostgreSQL accepts that TuskDB does not support yet (see README.md).
KNOWN_GAPS: set[tuple[str, str]] = set()
_EXPECTED = dict(EXPRS)


@pytest.mark.parametrize("typ,text,expected", IO, ids=[f"{t}:{i!r}" for t, i, _ in IO])
def test_io(typ: str, text: str, expected: object) -> None:
    if (typ, text) in KNOWN_GAPS:
        pytest.xfail("multidimensional arrays")
    def run() -> str:
        v, _ = literal(typ, text, CTX)
        t, _ = parse_type(typ)
        return t.output(v, CTX)
    got = outcome(run)
    assert matches(expected, got), (expected, got)


@pytest.mark.parametrize("settings,typ,text,expected", SETTING_IO,
                         ids=[f"{s}-{t}:{i}" for s, t, i, _ in SETTING_IO])
def test_io_settings(settings: dict, typ: str, text: str, expected: object) -> None:
    ctx = context(settings)

    def run() -> str:
        v, _ = literal(typ, text, ctx)
        t, _ = parse_type(typ)
        return t.output(v, ctx)
    got = outcome(run)
    assert matches(expected, got), (expected, got)


@pytest.mark.parametrize("typ,text,hexed", BINARY, ids=[f"{t}:{i!r}" for t, i, _ in BINARY])
def test_binary(typ: str, text: str, hexed: str) -> None:
    if (typ, text) in KNOWN_GAPS:
        pytest.xfail("multidimensional arrays")
    t, _ = parse_type(typ)
    v, _ = literal(typ, text, CTX)
    data = t.send(v, CTX)
    assert data.hex() == hexed
    back = t.recv(data, -1, CTX)
    assert t.output(back, CTX) == t.output(v, CTX)


@pytest.mark.parametrize("case", EXPRS_SPEC, ids=[render(c) for c in EXPRS_SPEC])
def test_expr(case: tuple) -> None:
    expected = _EXPECTED[render(case)]
    got = outcome(lambda: evaluate(case, CTX))
    assert matches(expected, got), (expected, got)


def test_type_facts_match_pg_type() -> None:
    """Every PgType's pg_type facts equal PostgreSQL 18's (TYPE_FACTS is from pg_type)."""
    from golden_data import TYPE_FACTS  # type: ignore[import-not-found]
    from tuskdb import types
    assert set(TYPE_FACTS) == {t.oid for t in types.registry.builtin_types()}
    for oid, facts in TYPE_FACTS.items():
        t = types.TYPES[oid]
        mine = (t.name, t.typlen, t.byval, t.category, t.preferred, t.array_oid, t.elem_oid,
                t.delim, t.align, t.storage, t.typtype, t.typinput, t.typoutput, t.typreceive,
                t.typsend, t.typmodin, t.typmodout, t.sql_name)
        assert mine == facts, (oid, mine, facts)
