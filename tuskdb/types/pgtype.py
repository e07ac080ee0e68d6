"""PgType: one row of pg_type plus the functions that give the type its behaviour.

The I/O functions are stored as plain attributes (not methods) so a call such
as ``t.output(v, ctx)`` costs one attribute load and one call.
"""

from __future__ import annotations

from typing import Any, Callable

from tuskdb.errors import PgError

Input = Callable[[str, int, Any], Any]
Output = Callable[[Any, Any], str]
Send = Callable[[Any, Any], bytes]
Recv = Callable[[bytes, int, Any], Any]


def _no_typmod_in(name: str) -> Callable[[list[int | str]], int]:
    def f(mods: list[int | str]) -> int:
        raise PgError("42601", f'type modifier is not allowed for type "{name}"')
    return f


def _format_plain(name: str) -> Callable[[int], str]:
    return lambda typmod: name


def _keep(value: Any, typmod: int, explicit: bool) -> Any:
    return value


class PgType:
    """A type: pg_type facts (``oid``, ``name``, ``typlen``, ``byval``,
    ``category``, ``preferred``, ``array_oid``, ``elem_oid``, ``delim``,
    ``align``) and behaviour (``input``, ``output``, ``send``, ``recv``,
    ``typmod_in``, ``format_type``, ``coerce_typmod``).

    ``sql_name`` is what format_type() prints without typmod ('integer',
    'character varying', ...).  ``typtype`` is 'b' (base), 'p' (pseudo).
    """

    __slots__ = ("oid", "name", "typlen", "byval", "category", "preferred", "array_oid",
                 "elem_oid", "delim", "align", "typtype", "sql_name", "input", "output",
                 "send", "recv", "typmod_in", "format_type", "coerce_typmod", "storage",
                 "typinput", "typoutput", "typreceive", "typsend", "typmodin", "typmodout")

    def __init__(self, oid: int, name: str, typlen: int, byval: bool, category: str,
                 preferred: bool, array_oid: int, elem_oid: int = 0, *, delim: str = ",",
                 align: str = "i", typtype: str = "b", sql_name: str | None = None,
                 input: Input | None = None, output: Output | None = None,
                 send: Send | None = None, recv: Recv | None = None,
                 typmod_in: Callable[[list[int | str]], int] | None = None,
                 format_type: Callable[[int], str] | None = None,
                 coerce_typmod: Callable[[Any, int, bool], Any] | None = None,
                 storage: str = "p", procs: tuple[str, ...] = ()) -> None:
        self.oid = oid
        self.name = name
        self.typlen = typlen
        self.byval = byval
        self.category = category
        self.preferred = preferred
        self.array_oid = array_oid
        self.elem_oid = elem_oid
        self.delim = delim
        self.align = align
        self.typtype = typtype
        self.sql_name = sql_name or name
        self.input = input or _unsupported_input(name)
        self.output = output or _unsupported_output(name)
        self.send = send or _unsupported_send(name)
        self.recv = recv or _unsupported_recv(name)
        self.typmod_in = typmod_in or _no_typmod_in(name)
        self.format_type = format_type or _format_plain(self.sql_name)
        self.coerce_typmod = coerce_typmod or _keep
        self.storage = storage
        (self.typinput, self.typoutput, self.typreceive, self.typsend,
         self.typmodin, self.typmodout) = (procs + ("-",) * 6)[:6]

    def __repr__(self) -> str:
        return f"<PgType {self.name} {self.oid}>"


def _unsupported_input(name: str) -> Input:
    def f(text: str, typmod: int = -1, ctx: Any = None) -> Any:
        raise PgError("0A000", f"cannot accept a value of type {name}")
    return f


def _unsupported_output(name: str) -> Output:
    def f(value: Any, ctx: Any = None) -> str:
        raise PgError("0A000", f"cannot display a value of type {name}")
    return f


def _unsupported_send(name: str) -> Send:
    def f(value: Any, ctx: Any = None) -> bytes:
        raise PgError("42883", f"no binary output function available for type {name}")
    return f


def _unsupported_recv(name: str) -> Recv:
    def f(data: bytes, typmod: int = -1, ctx: Any = None) -> Any:
        raise PgError("42883", f"no binary input function available for type {name}")
    return f
