"""storage layer (see docs/contracts.md)."""
