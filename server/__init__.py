"""The reference central scoring API (FastAPI + SQLite): ``python -m server``.

A counterpart for development, demos and tests, and a documented example for the team
that runs the real central service. See server/README.md.
"""

SERVER_VERSION = "0.1.0"
