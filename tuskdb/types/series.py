"""generate_series() for integers, numeric and timestamps (set-returning: iterators)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Iterator

from tuskdb.errors import PgError
from tuskdb.types.datetime import timestamp_pl_interval, timestamptz_pl_interval
from tuskdb.types.interval import Interval
from tuskdb.types.numeric import numeric_add, numeric_cmp


def _zero_step() -> PgError:
    return PgError("22023", "step size cannot equal zero")


def series_int(start: int, stop: int, step: int = 1) -> Iterator[int]:
    if step == 0:
        raise _zero_step()
    if step > 0:
        return iter(range(start, stop + 1, step))
    return iter(range(start, stop - 1, step))


def series_numeric(start: Decimal, stop: Decimal, step: Decimal = Decimal(1)
                   ) -> Iterator[Decimal]:
    for v, what in ((start, "start value"), (stop, "stop value"), (step, "step size")):
        if v.is_nan():
            raise PgError("22023", f"{what} cannot be NaN")
        if v.is_infinite():
            raise PgError("22023", f"{what} cannot be infinity")
    if not step:
        raise _zero_step()

    def gen() -> Iterator[Decimal]:
        cur = start
        sign = 1 if step > 0 else -1
        while numeric_cmp(cur, stop) * sign <= 0:
            yield cur
            cur = numeric_add(cur, step)
    return gen()


def _step_sign(step: Interval) -> int:
    span = step.span()
    if span == 0:
        raise _zero_step()
    return 1 if span > 0 else -1


def series_timestamp(start: int, stop: int, step: Interval) -> Iterator[int]:
    sign = _step_sign(step)
    if not step.is_finite():
        raise PgError("22023", "step size cannot be infinite")

    def gen() -> Iterator[int]:
        cur = start
        while (cur <= stop) if sign > 0 else (cur >= stop):
            yield cur
            cur = timestamp_pl_interval(cur, step)
    return gen()


def series_timestamptz(ctx: Any, start: int, stop: int, step: Interval,
                       zone: str | None = None) -> Iterator[int]:
    sign = _step_sign(step)
    if not step.is_finite():
        raise PgError("22023", "step size cannot be infinite")
    if zone is not None:
        from tuskdb.types.dtfuncs import parse_zone
        ctx = _ZoneCtx(parse_zone(zone))

    def gen() -> Iterator[int]:
        cur = start
        while (cur <= stop) if sign > 0 else (cur >= stop):
            yield cur
            cur = timestamptz_pl_interval(ctx, cur, step)
    return gen()


class _ZoneCtx:
    """A stand-in TypeContext carrying only a time zone (for the *_at_zone variants)."""

    __slots__ = ("tz",)

    def __init__(self, tz: Any) -> None:
        self.tz = tz


def date_add(ctx: Any, ts: int, iv: Interval, zone: str) -> int:
    from tuskdb.types.dtfuncs import parse_zone
    return timestamptz_pl_interval(_ZoneCtx(parse_zone(zone)), ts, iv)


def date_subtract(ctx: Any, ts: int, iv: Interval, zone: str) -> int:
    from tuskdb.types.dtfuncs import parse_zone
    from tuskdb.types.interval import interval_um
    return timestamptz_pl_interval(_ZoneCtx(parse_zone(zone)), ts, interval_um(iv))


def generate_subscripts(arr: Any, dim: int, reverse: bool = False) -> Any:
    """The subscripts of dimension ``dim`` of an array, in order (or reversed)."""
    dims = arr.dims
    if dim < 1 or dim > len(dims):
        return iter(())
    lo = arr.lbounds[dim - 1]
    subs = range(lo, lo + dims[dim - 1])
    return iter(reversed(subs) if reverse else subs)


IMPLS: dict[str, Callable[..., Any]] = {
    "generate_subscripts": generate_subscripts,
    "generate_subscripts_nodir": generate_subscripts,
    "generate_series_int4": series_int, "generate_series_step_int4": series_int,
    "generate_series_int8": series_int, "generate_series_step_int8": series_int,
    "generate_series_numeric": series_numeric, "generate_series_step_numeric": series_numeric,
    "generate_series_timestamp": series_timestamp,
}
CTX_IMPLS: dict[str, Callable[..., Any]] = {
    "generate_series_timestamptz": series_timestamptz,
    "generate_series_timestamptz_at_zone": series_timestamptz,
    "timestamptz_pl_interval_at_zone": date_add,
    "timestamptz_mi_interval_at_zone": date_subtract,
}
