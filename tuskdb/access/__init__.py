"""access layer (see docs/contracts.md)."""
