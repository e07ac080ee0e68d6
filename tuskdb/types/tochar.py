"""to_char(): formatting of numbers and timestamps (formatting.c).  Filled in below."""

from __future__ import annotations

from typing import Any, Callable

IMPLS: dict[str, Callable[..., Any]] = {}
CTX_IMPLS: dict[str, Callable[..., Any]] = {}
