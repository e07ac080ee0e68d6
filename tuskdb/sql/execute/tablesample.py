"""Sample Scan: TABLESAMPLE's table sampling methods (PostgreSQL's tsm handlers and
nodeSamplescan).

A scan evaluates its method's arguments and REPEATABLE seed when it starts (and
again on every rescan).  The seed is hashfloat8 of the REPEATABLE value, or a random
32-bit number without REPEATABLE.  Both built-in methods take one real argument,
the percentage (0..100), and keep what hashes under the cutoff
rint(2^32 * percentage / 100), the hash being hash_any (lookup3) of uint32 words:

  SYSTEM     whole blocks: hash of (block number, seed)
  BERNOULLI  single tuples: hash of (block number, offset number, seed)

so that with REPEATABLE the same blocks/tuples as PostgreSQL's are returned (the
heap fills its blocks as PostgreSQL does, see tuskdb/access/README.md).
"""

from __future__ import annotations

import math
import random
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tuskdb.errors import PgError
from tuskdb.sql.execute.nodes import YIELD_EVERY, SeqScan
from tuskdb.types.pghash import hash_bytes, hashfloat8

INVALID_TABLESAMPLE_ARGUMENT = "2202H"
INVALID_TABLESAMPLE_REPEAT = "2202G"
_F4 = struct.Struct("<f")
_BLOCK_SEED = struct.Struct("<II")
_TUPLE_SEED = struct.Struct("<III")


@dataclass(frozen=True)
class TsmRoutine:
    """A table sampling method (TsmRoutine)."""
    name: str
    param_types: tuple[int, ...]
    repeatable_across_queries: bool
    block_sampling: bool        # SYSTEM: whole blocks; BERNOULLI: tuple by tuple


TSM_METHODS = {
    "system": TsmRoutine("system", (700,), True, True),
    "bernoulli": TsmRoutine("bernoulli", (700,), True, False),
}


def _cutoff(percent: float) -> int:
    """The hash cutoff of a percentage (a real value)."""
    if math.isnan(percent) or percent < 0 or percent > 100:
        raise PgError(INVALID_TABLESAMPLE_ARGUMENT, "sample percentage must be between 0 and 100")
    percent = _F4.unpack(_F4.pack(percent))[0]      # the argument is a real
    return round(4294967296.0 * percent / 100)     # rint: half to even


class SampleScan(SeqScan):
    label = "Sample Scan"

    def __init__(self, rt: int, rel: Any, qual: Any, method: TsmRoutine, args: list,
                 repeatable: Any, arg_exprs: list, repeatable_expr: Any) -> None:
        super().__init__(rt, rel, qual)
        self.method = method
        self.args = args                    # compiled, evaluated without a row
        self.repeatable = repeatable
        self.arg_exprs = arg_exprs          # for EXPLAIN's Sampling line
        self.repeatable_expr = repeatable_expr

    def rows(self, ctx: Any) -> Iterator[tuple]:
        params = []
        for f in self.args:
            v = f((), ctx)
            if v is None:
                raise PgError(INVALID_TABLESAMPLE_ARGUMENT, "TABLESAMPLE parameter cannot be null")
            params.append(v)
        if self.repeatable is not None:
            v = self.repeatable((), ctx)
            if v is None:
                raise PgError(INVALID_TABLESAMPLE_REPEAT,
                              "TABLESAMPLE REPEATABLE parameter cannot be null")
            seed = hashfloat8(float(v)) & 0xFFFFFFFF
        else:
            seed = random.getrandbits(32)
        cutoff = _cutoff(float(params[0]))
        heap = ctx.heap(self.rel)
        oid = self.rel.oid
        qual = self.qual
        check = ctx.check_interrupts
        snap = ctx.snapshot
        n = 0
        if self.method.block_sampling:
            pack = _BLOCK_SEED.pack
            blk = 0
            nblocks = heap.nblocks          # blocks added later are not read
            while blk < nblocks:
                if hash_bytes(pack(blk, seed)) < cutoff:
                    for tid, values in heap.scan(snap, blk, blk + 1):
                        row = (*values, tid, oid)
                        if qual is None or qual(row, ctx) is True:
                            yield row
                n += 1
                if n >= YIELD_EVERY:
                    n = 0
                    check()
                blk += 1
            return
        pack3 = _TUPLE_SEED.pack
        for tid, values in heap.scan(snap):
            n += 1
            if n >= YIELD_EVERY:
                n = 0
                check()
            if hash_bytes(pack3(tid >> 16, tid & 0xFFFF, seed)) >= cutoff:
                continue
            row = (*values, tid, oid)
            if qual is None or qual(row, ctx) is True:
                yield row
