"""A PostgreSQL server of the tests' own: Debian's binaries, initdb and pg_ctl in a temporary directory,
listening on a free loopback port, stopped at the end. As root it runs as the `postgres` user (the server
refuses root). One per test session; each test gets a database of its own."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: ./dev test installs Debian's postgresql")
    return found[-1]


class Postgres:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="warta-pg-"))
        self.data = self.dir / "data"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres")
        self._run(_bin("initdb"), "-D", str(self.data), "-U", "warta", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()

    def start(self) -> None:
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-o",
                  f"-p {self.port} -h 127.0.0.1 -k {self.dir} -F", "start")

    def halt(self) -> None:
        """Stop the server at once, as a crash or a failover would (its data stays: start() again)."""
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def _run(self, *cmd: str) -> None:
        done = subprocess.run([*self.as_user, *cmd], capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{' '.join(cmd[:2])} failed: {done.stdout}{done.stderr}")

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://warta@127.0.0.1:{self.port}/{db}"

    def database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self.halt()
        except RuntimeError:  # halted already
            pass
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
