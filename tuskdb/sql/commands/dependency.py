"""What a DROP reports about the objects that depend on what it drops
(PostgreSQL's reportDependentObjects, dependency.c).

Without CASCADE the DROP is refused (2BP01) with one DETAIL line per dependent
object ("view v depends on table t"); with CASCADE a NOTICE names the objects that
go too ("drop cascades to view v", or "drop cascades to N other objects" with one
DETAIL line each). Each DROP works out its dependents itself; this module only words
the outcome the same way for all of them.
"""

from __future__ import annotations

from typing import Any

from tuskdb.errors import DEPENDENT_OBJECTS_STILL_EXIST, PgError, notice


def report_dependents(s: Any, dropping: str, lines: list[tuple[str, str]],
                      cascade: bool) -> None:
    """``lines``: (dependent object, what it depends on) pairs, in report order."""
    if not lines:
        return
    if not cascade:
        raise PgError(DEPENDENT_OBJECTS_STILL_EXIST, f"cannot drop {dropping} because other "
                      f"objects depend on it",
                      detail="\n".join(f"{w} depends on {on}" for w, on in lines),
                      hint="Use DROP ... CASCADE to drop the dependent objects too.")
    cascade_notice(s, [w for w, _ in lines])


def cascade_notice(s: Any, words: list[str]) -> None:
    """The NOTICE of a DROP ... CASCADE that takes ``words`` with it."""
    if len(words) == 1:
        s.add_notice(notice(f"drop cascades to {words[0]}"))
    elif words:
        s.add_notice(notice(f"drop cascades to {len(words)} other objects",
                            detail="\n".join(f"drop cascades to {w}" for w in words)))
