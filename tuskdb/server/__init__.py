"""server layer: PostgreSQL frontend/backend protocol 3.x (see README.md)."""

from tuskdb.server.postmaster import Server
from tuskdb.server.scram import make_scram_verifier, verify_password

__all__ = ["Server", "make_scram_verifier", "verify_password"]
