"""What a statement returns to the wire layer or the DB-API layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Field(NamedTuple):
    """One RowDescription entry."""

    name: str
    table_oid: int
    column_attnum: int
    type_oid: int
    typlen: int
    typmod: int
    format: int


@dataclass
class QueryResult:
    fields: list[Field] | None = None
    rows: list[tuple] = field(default_factory=list)
    tag: str = ""
    copy_in: Any = None
    copy_out: Any = None
    empty: bool = False
    suspended: bool = False


class RoleAuth(NamedTuple):
    exists: bool
    can_login: bool
    scram_verifier: str | None
