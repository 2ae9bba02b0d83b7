"""Per-outlet crawl locks: never two crawls of one outlet at once, across processes, and across machines
where the store is on PostgreSQL (outlet_lock picks: an advisory lock on the store's server, or a file lock
beside the store's file).

The file locks are POSIX record locks (lockf): the kernel drops them when the process that holds them
exits, however it exits (SIGKILL included), so a crash cannot leave a stuck lock behind; and unlike flock
they are not inherited by forked children (the crawl's extraction workers), so an orphaned worker cannot
keep an outlet locked. The lock file stays (with the pid of its last holder, for people reading it); holding
it is what counts. POSIX locks drop when the holder closes any descriptor of the file, so a process
must not probe (held_elsewhere) an outlet it is itself crawling.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from store.location import file_path, is_server


def lock_dir(data: Path) -> Path:
    return Path(data) / "locks"


def outlet_lock(store: str | Path, outlet_id: str) -> OutletLock | AdvisoryLock:
    """The crawl lock of an outlet of the store at this location: whoever writes that store shares it."""
    if is_server(store):
        return AdvisoryLock(str(store), outlet_id)
    return OutletLock(file_path(store).parent, outlet_id)


class AdvisoryLock:
    """A PostgreSQL session advisory lock on the store's server, held on a connection of its own: every
    machine that crawls into the store sees it, and the server drops it when the holder's connection ends
    (its process killed, its machine gone)."""

    def __init__(self, url: str, outlet_id: str):
        self.url, self.key = url, f"warta-crawl:{outlet_id}"
        self._conn = None

    def _try(self, conn) -> bool:
        return conn.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (self.key,)).fetchone()[0]

    def acquire(self) -> bool:
        import psycopg

        from store.postgres import translated

        with translated():
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=15)
            if not self._try(conn):
                conn.close()
                return False
        self._conn = conn
        return True

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()  # ends the session, and its locks with it
            self._conn = None

    def held_elsewhere(self) -> bool:
        if self._conn is not None:
            return False
        import psycopg

        from store.postgres import translated

        with translated(), psycopg.connect(self.url, autocommit=True, connect_timeout=15) as conn:
            if not self._try(conn):
                return True
            conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (self.key,))
            return False


class OutletLock:
    def __init__(self, data: Path, outlet_id: str):
        self.path = lock_dir(data) / f"crawl-{outlet_id}.lock"
        self._fh = None

    def acquire(self) -> bool:
        """Take the lock if it is free; False if another process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        fh.truncate(0)
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._fh = fh
        return True

    def release(self) -> None:
        if self._fh is not None:
            fcntl.lockf(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    def held_elsewhere(self) -> bool:
        """Whether some process holds the lock right now (a crawl of this outlet is running)."""
        if self._fh is not None:
            return False
        if not self.path.exists():
            return False
        with open(self.path, "a+") as fh:
            try:
                fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.lockf(fh, fcntl.LOCK_UN)
            return False
