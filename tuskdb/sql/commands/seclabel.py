"""SECURITY LABEL.

Labels are interpreted by label providers, which in PostgreSQL are loadable C
modules (sepgsql and the like) that register themselves when loaded.  TuskDB
loads no C modules, so the provider list is always empty and every SECURITY
LABEL statement fails exactly as PostgreSQL's does when no provider has been
loaded: the provider is looked up before the labelled object, so even a
missing object reports the provider error.  pg_seclabel and pg_shseclabel stay
empty.
"""

from __future__ import annotations

from typing import Any

from tuskdb.engine.results import QueryResult
from tuskdb.errors import INVALID_PARAMETER_VALUE, PgError

def security_label(s: Any, raw: Any) -> QueryResult:
    """No provider is ever loaded, so the statement always fails here."""
    provider = raw.body.get("provider")
    if provider is None:
        raise PgError(INVALID_PARAMETER_VALUE, "no security label providers have been loaded")
    raise PgError(INVALID_PARAMETER_VALUE, f'security label provider "{provider}" is not loaded')
