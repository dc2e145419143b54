"""Right-to-left text layout for terminals: pure functions, no UI, no I/O."""
