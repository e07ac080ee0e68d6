"""sql layer (see docs/contracts.md)."""
