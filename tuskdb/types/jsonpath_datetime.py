"""jsonpath datetime item methods (.datetime(), .date(), .time(), ...): not built yet."""

from __future__ import annotations

from typing import Any

from tuskdb.errors import feature_not_supported


def execute_datetime_method(ctx: Any, jsp: Any, jb: Any) -> Any:
    name = "date" if jsp.kind == "method" else jsp.kind
    raise feature_not_supported(f"jsonpath item method .{name}()")


def compare_datetime(ctx: Any, a: Any, b: Any) -> int | None:
    raise feature_not_supported("jsonpath datetime comparison")


def datetime_json_text(tctx: Any, v: Any) -> str:
    raise feature_not_supported("jsonpath datetime values")
