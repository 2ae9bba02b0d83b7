"""What a store raises when it cannot do its job, whichever engine holds it. Code above the store names these,
never sqlite3 or psycopg, so that an engine changes this package only. They are sqlite3's classes, and the
PostgreSQL connection (store/postgres.py) raises subclasses of them: psycopg is imported only where a store
is on PostgreSQL (importing it everywhere made a rebuild 7% slower)."""

from __future__ import annotations

import sqlite3

StoreError = sqlite3.DatabaseError  # damaged, not a store, unreachable, or busy
StoreBusy = sqlite3.OperationalError  # locked, busy, disk full, its server gone: the store is fine, this job failed
Duplicate = sqlite3.IntegrityError  # a key that is there already


def is_busy(exc: BaseException) -> bool:
    """A store another process holds just now (locked, busy): wait and retry, nothing is wrong with it."""
    return isinstance(exc, StoreBusy) and any(w in str(exc) for w in ("locked", "busy"))
