"""The pairing engine: pure domain models and matching algorithms (no I/O, no clock)."""
