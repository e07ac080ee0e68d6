"""types layer (see docs/contracts.md)."""
