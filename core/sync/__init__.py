"""Sync with the central scoring API: the wire contract, the HTTP client, the engine."""
