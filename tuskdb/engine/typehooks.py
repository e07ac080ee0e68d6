"""The session's catalog access for the I/O of user-defined types.

The types layer cannot read catalogs; ``TypeContext.session_hooks`` carries this
object so that domain input (COPY, I/O casts, pg_input_is_valid) checks the
domain's constraints and pg_input_is_valid('x', 'mytype') finds catalog types.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.errors import PgError


class SessionTypeHooks:
    __slots__ = ("session",)

    def __init__(self, session: Any) -> None:
        self.session = session

    def notice(self, err: Any) -> None:
        """A NOTICE/WARNING raised by a type's function (xpath's libxml2 warnings)."""
        self.session.add_notice(err)

    def lookup_type_text(self, text: str) -> tuple[Any, int]:
        """A type name as text ('mytype', 's.mytype', 'mytype[]') -> (PgType, typmod)."""
        from tuskdb.sql.commands.sequence import _parse_name
        from tuskdb.sql.analyze.typename import lookup_type

        s = self.session
        name = text.strip()
        array = 0
        while name.endswith("[]"):
            name = name[:-2].rstrip()
            array += 1
        cat = s.catalog()
        t = lookup_type(cat, s, _parse_name(name))
        if t is None:
            raise PgError("42704", f'type "{text}" does not exist')
        for _ in range(array):
            t = types.TYPES[t.array_oid]
        return t, -1

    def role_exists(self, name: str) -> bool:
        from tuskdb.catalog.aclchk import role_oid
        return role_oid(self.session.catalog(), name, missing_ok=True) is not None

    def reg_input(self, type_oid: int, text: str) -> int:
        """'name'::regclass / regrole / ...: the object's OID by name."""
        from tuskdb.engine.regtypes import reg_input
        return reg_input(self.session, type_oid, text)

    def reg_output(self, type_oid: int, oid: int) -> str:
        """A reg* value's text: the name of the object (regclass 1259 -> pg_class)."""
        from tuskdb.engine.regtypes import reg_output
        return reg_output(self.session, type_oid, oid)

    def check_domain(self, oid: int, value: Any) -> Any:
        from tuskdb.engine.context import ExecContext
        from tuskdb.sql.domaincheck import check_domain_value

        s = self.session
        txn = s.txn
        ctx = ExecContext(s, txn, txn.snapshot() if txn is not None else None)
        try:
            return check_domain_value(s, ctx, oid, value)
        except PgError as err:
            if err.sqlstate not in ("23514", "23502"):
                err.hard_error = True   # raised while evaluating a CHECK: not a soft error
            raise
