"""A Redis server of the tests' own: Debian's redis-server on a free loopback port, in a temporary directory,
without persistence (a restart loses everything, the worst case a crawl frontier must survive). One per test
session; each test takes a database number of its own."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.conftest import free_port


class RedisServer:
    def __init__(self):
        if not shutil.which("redis-server"):
            raise RuntimeError("Redis is not installed: ./dev test installs Debian's redis-server")
        self.dir = Path(tempfile.mkdtemp(prefix="warta-redis-"))
        self.port = free_port()
        self._numbers = itertools.count(1)
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
             "--save", "", "--appendonly", "no", "--databases", "64", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=1).ping()
                return
            except redis.ConnectionError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def halt(self) -> None:
        """Stop the server at once (SIGKILL, as a crash would): everything it held is gone."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def url(self) -> str:
        """A database of its own for the caller."""
        return f"redis://127.0.0.1:{self.port}/{next(self._numbers) % 64}"

    def stop(self) -> None:
        self.halt()
        shutil.rmtree(self.dir, ignore_errors=True)
