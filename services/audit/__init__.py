"""The audit trail: writing it, chaining it and reading it."""
