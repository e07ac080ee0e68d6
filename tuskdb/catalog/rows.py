"""Catalog row layout: column positions and row construction with defaults."""

from __future__ import annotations

from typing import Any

from tuskdb.catalog.pg_catalog_defs import CATALOGS

# catalog name -> {column name: position}
COLUMN_POS: dict[str, dict[str, int]] = {
    name: {col[0]: i for i, col in enumerate(cols)} for name, (_, _, _, cols) in CATALOGS.items()
}

_BOOL, _CHAR = 16, 18
_NUMERIC_OIDS = {20, 21, 23, 24, 26, 28, 700, 701}


def _default(type_oid: int, notnull: bool) -> Any:
    if not notnull:
        return None
    if type_oid == _BOOL:
        return False
    if type_oid in _NUMERIC_OIDS:
        return 0
    if type_oid == _CHAR:
        return "\x00"
    if type_oid in (19, 25):
        return ""
    return None


_DEFAULTS: dict[str, tuple[Any, ...]] = {
    name: tuple(_default(t, nn) for (_, t, nn) in cols)
    for name, (_, _, _, cols) in CATALOGS.items()
}


def make_row(catalog: str, **values: Any) -> tuple[Any, ...]:
    """A full-width row of `catalog`, unspecified columns at their defaults."""
    row = list(_DEFAULTS[catalog])
    pos = COLUMN_POS[catalog]
    for key, value in values.items():
        row[pos[key]] = value
    return tuple(row)


def replace(catalog: str, row: tuple[Any, ...], **values: Any) -> tuple[Any, ...]:
    """A copy of `row` with some columns changed."""
    out = list(row)
    pos = COLUMN_POS[catalog]
    for key, value in values.items():
        out[pos[key]] = value
    return tuple(out)


class RowView:
    """Attribute access to a catalog row by column name (for readable code)."""

    __slots__ = ("_row", "_pos")

    def __init__(self, catalog: str, row: tuple[Any, ...]) -> None:
        self._row = row
        self._pos = COLUMN_POS[catalog]

    def __getattr__(self, name: str) -> Any:
        try:
            return self._row[self._pos[name]]
        except KeyError:
            raise AttributeError(name) from None
