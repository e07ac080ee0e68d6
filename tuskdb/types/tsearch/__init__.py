"""Full text search: the tsvector and tsquery types, their operators and functions,
the default parser, dictionaries and text search configurations.  See README.md."""

from tuskdb.types.tsearch.tsquery import TSQuery
from tuskdb.types.tsearch.tsvector import TSVector

__all__ = ["TSQuery", "TSVector"]
