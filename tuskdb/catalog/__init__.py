"""catalog layer (see docs/contracts.md)."""
