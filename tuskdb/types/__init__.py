"""types (layer 2): PostgreSQL's built-in data types — OIDs, typmods, the internal
value representation, text and binary I/O, operators, functions, casts,
aggregates and the order-preserving index key encoding.  See README.md and
docs/contracts.md ("types")."""

from tuskdb.types.aggregates import AGGREGATES, Aggregate
from tuskdb.types.arrays import Array
from tuskdb.types.builtins import (
    CASTS, FUNCTIONS, OPERATORS, Cast, Function, Operator, find_cast,
)
from tuskdb.types.context import DEFAULT_CONTEXT, TypeContext
from tuskdb.types.dtcore import DATE_NOBEGIN, DATE_NOEND, DT_NOBEGIN, DT_NOEND
from tuskdb.types.hashkey import hash_key_fn
from tuskdb.types.interval import Interval
from tuskdb.types.json import Jsonb
from tuskdb.types.keyenc import encode_key, make_key_encoder
from tuskdb.types.network import Inet
from tuskdb.types.pgtype import PgType
from tuskdb.types.plain import VALUE_CLASSES
from tuskdb.types.ranges import Range
from tuskdb.types.registry import TYPES, type_by_name
from tuskdb.types.timetz import TimeTZ

__all__ = [
    "AGGREGATES", "Aggregate", "Array", "CASTS", "Cast", "DATE_NOBEGIN", "DATE_NOEND",
    "DEFAULT_CONTEXT", "DT_NOBEGIN", "DT_NOEND", "FUNCTIONS", "Function", "Inet", "Interval",
    "Jsonb", "OPERATORS", "Operator", "PgType", "Range", "TYPES", "TimeTZ", "TypeContext",
    "VALUE_CLASSES", "encode_key", "find_cast", "hash_key_fn", "make_key_encoder",
    "type_by_name",
]
