"""What a store raises when it cannot do its job, whichever engine holds it. Code above the store names these,
never sqlite3 or psycopg, so that an engine changes this package only."""

from __future__ import annotations

import sqlite3

import psycopg

StoreError = (sqlite3.DatabaseError, psycopg.Error)  # damaged, not a store, unreachable, or busy
StoreBusy = (sqlite3.OperationalError, psycopg.OperationalError)  # locked, busy, disk full, server gone: the job failed
Duplicate = (sqlite3.IntegrityError, psycopg.IntegrityError)  # a key that is there already


def is_busy(exc: BaseException) -> bool:
    """A store another process holds just now (locked, busy): wait and retry, nothing is wrong with it."""
    return isinstance(exc, StoreBusy) and any(w in str(exc) for w in ("locked", "busy"))
