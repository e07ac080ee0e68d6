"""engine layer: the Database instance and its Sessions (see docs/contracts.md)."""

from tuskdb.engine.database import Database
from tuskdb.engine.results import Field, QueryResult, RoleAuth
from tuskdb.engine.session import Session

__all__ = ["Database", "Session", "Field", "QueryResult", "RoleAuth"]
