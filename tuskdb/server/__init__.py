"""server layer (see docs/contracts.md)."""
