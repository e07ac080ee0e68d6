"""dbapi layer (see docs/contracts.md)."""
