"""Checking what the clerk typed: one field at a time, and a whole application against
the active rule pack's terms."""
