"""Size functions of PostgreSQL's dbsize.c that need no catalogs: pg_size_pretty
(bigint and numeric) and pg_size_bytes.

pg_size_pretty walks the units bytes, kB, MB, GB, TB, PB: a size stays in a
unit while its magnitude is below that unit's limit (10240 for bytes, 20479
for the others; PB takes whatever is left).  Going up a unit divides by a
power of two truncating toward zero, one bit less than the unit's 10 bits when
the next unit rounds half away from zero at the end, so that the final
halving rounds instead of truncating.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Callable

from tuskdb.errors import PgError
from tuskdb.types.numeric import numeric_in, numeric_out

# (name, limit, rounds, bits)
_UNITS = (("bytes", 10 * 1024, False, 0), ("kB", 20 * 1024 - 1, True, 10),
          ("MB", 20 * 1024 - 1, True, 20), ("GB", 20 * 1024 - 1, True, 30),
          ("TB", 20 * 1024 - 1, True, 40), ("PB", 20 * 1024 - 1, True, 50))


def _shift_bits(i: int) -> int:
    """Bits to divide by when leaving unit i for unit i + 1."""
    _n, _l, rounds, bits = _UNITS[i]
    _n2, _l2, next_rounds, next_bits = _UNITS[i + 1]
    return next_bits - bits - int(next_rounds) + int(rounds)


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // b
    return q if a >= 0 else -q


def pg_size_pretty(size: int) -> str:
    return pg_size_pretty_from(size, 0)


def pg_size_pretty_numeric(size: Decimal) -> str:
    if not size.is_finite():
        return f"{numeric_out(size)} PB"
    if abs(size) < _UNITS[0][1]:
        return f"{numeric_out(size)} {_UNITS[0][0]}"
    # beyond bytes every step truncates to an integer: exact integer arithmetic from here
    q = Fraction(size) / (1 << _shift_bits(0))
    return pg_size_pretty_from(int(q), 1)


def pg_size_pretty_from(size: int, first: int) -> str:
    for i in range(first, len(_UNITS)):
        name, limit, rounds, _bits = _UNITS[i]
        if i == len(_UNITS) - 1 or abs(size) < limit:
            if rounds:
                size = _trunc_div(size + (1 if size >= 0 else -1), 2)
            return f"{size} {name}"
        size = _trunc_div(size, 1 << _shift_bits(i))
    raise AssertionError("unreachable")


_MULTIPLIERS = {"bytes": 1, "b": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30,
                "tb": 1 << 40, "pb": 1 << 50}
# sign, digits with an optional fraction (at least one digit), optional exponent
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_SPACE = " \t\n\r\v\f"


def pg_size_bytes(text: str) -> int:
    s = text.lstrip(_SPACE)
    m = _NUMBER.match(s)
    if m is None:
        raise PgError("22023", f'invalid size: "{text}"')
    unit = s[m.end():].strip(_SPACE)
    mult = 1
    if unit:
        mult = _MULTIPLIERS.get(unit.lower(), 0)
        if not mult:
            raise PgError("22023", f'invalid size: "{text}"',
                          detail=f'Invalid size unit: "{unit}".',
                          hint='Valid units are "bytes", "B", "kB", "MB", "GB", "TB", and "PB".')
    number = numeric_in(m.group())     # numeric's own input rules and limits
    if number and number.adjusted() > 40:       # far beyond bigint: spare the exact arithmetic
        raise PgError("22003", "bigint out of range")
    if number.adjusted() < -40:                  # rounds to zero whatever the unit
        return 0
    exact = Fraction(number) * mult
    value = int(abs(exact) + Fraction(1, 2))     # rounds half away from zero, like numeric
    value = value if exact >= 0 else -value
    if not -(1 << 63) <= value < (1 << 63):
        raise PgError("22003", "bigint out of range")
    return int(value)


IMPLS: dict[str, Callable[..., object]] = {
    "pg_size_pretty": pg_size_pretty, "pg_size_pretty_numeric": pg_size_pretty_numeric,
    "pg_size_bytes": pg_size_bytes,
}
