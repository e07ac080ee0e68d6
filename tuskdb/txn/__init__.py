"""txn layer (see docs/contracts.md)."""
