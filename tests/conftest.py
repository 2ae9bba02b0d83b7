"""Shared fixtures: a real outlet mirror on loopback, and a plain HTTP client that does not hide redirects."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mirror.build import MirrorConfig
from mirror.server import Mirror

# Small but complete: several sitemap files, several listing pages, traps on every site.
TEST_CONFIG = MirrorConfig(articles_per_site=14, reserve_per_site=4, sitemap_size=6, slow_seconds=1.0, huge_mb=9)


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        charset = self.headers.get_content_charset() or "utf-8"
        return self.body.decode(charset)


def fetch(url: str, method: str = "GET", headers: dict | None = None, timeout: float = 30) -> Page:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path or "/", headers={"User-Agent": "warta-tests", **(headers or {})})
        response = conn.getresponse()
        return Page(response.status, response.headers, response.read())
    finally:
        conn.close()


# Fixtures that start servers or crawls in other processes: a test using one is marked slow, so that
# `pytest -m "not slow"` runs the quick ones while a change is being made (CI runs everything).
SLOW_FIXTURES = frozenset({"mirror", "search_data", "web"})
# Modules whose tests start `warta` (or crawls, servers, writer processes) themselves, or read hundreds of
# real pages.
SLOW_MODULES = frozenset({"test_demo.py", "test_schedule.py", "test_crawl.py", "test_crawl_bounds.py", "test_cli.py",
                          "test_progress.py", "test_extract_cli.py", "test_searcher.py", "test_real.py",
                          "test_mutations.py", "test_index.py", "test_status_health.py", "test_serve.py"})


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def mirror():
    with Mirror(TEST_CONFIG) as m:
        yield m


ROOT = Path(__file__).resolve().parents[1]
SEARCH_ARTICLES = Path(__file__).parent / "indexer" / "articles.toml"
# The search tests' own articles beside a few of the mirror's usual ones on every site.
SEARCH_CONFIG = replace(TEST_CONFIG, articles_per_site=6, reserve_per_site=2, extra=str(SEARCH_ARTICLES))


def warta(*args: str, data: Path | None = None, env: dict | None = None, timeout: float = 300
          ) -> subprocess.CompletedProcess:
    """Run the real `warta` command in a subprocess, as a user would (env adds to the environment)."""
    cmd = [sys.executable, "-m", "warta", *(["--data", str(data)] if data else []), *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


@dataclass
class SearchData:
    mirror: Mirror
    data: Path
    seeds: Path

    @property
    def index(self) -> Path:
        return self.data / "index"

    @property
    def store(self) -> Path:
        return self.data / "warta.sqlite3"


@pytest.fixture(scope="session")
def search_data(tmp_path_factory):
    """A mirror carrying tests/indexer/articles.toml, crawled and indexed by `warta crawl` and `warta index`."""
    with Mirror(SEARCH_CONFIG) as mirror:
        data = tmp_path_factory.mktemp("search")
        seeds = mirror.write_seeds(data / "mirror.toml")
        for step in (("crawl", "--seeds", str(seeds)), ("index", "--seeds", str(seeds))):
            result = warta(*step, data=data)
            assert result.returncode == 0, f"warta {step[0]} failed:\n{result.stdout}\n{result.stderr}"
        yield SearchData(mirror, data, seeds)


def children(pid: int) -> list[int]:
    """Live (not zombie) child processes of pid, from /proc."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie nobody reaped yet (a container's init may not reap)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pids: list[int], seconds: float = 10) -> list[int]:
    """Wait until none of pids runs; the ones still running then."""
    deadline = time.monotonic() + seconds
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [p for p in pids if alive(p)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def warta_server(data: Path, seeds: Path | None = None, args: tuple[str, ...] = (), procs: list | None = None):
    """`warta serve` in a subprocess (as in production: gunicorn workers, one per core) on a free port;
    yields its base URL (and appends the process to procs when given)."""
    port = free_port()
    cmd = [sys.executable, "-m", "warta", "--data", str(data), "serve", "--port", str(port),
           *(["--seeds", str(seeds)] if seeds else []), *args]
    # Its output goes to a file, not a pipe: nobody reads a pipe while the server runs, and a server whose
    # pipe is full blocks on its next log line (gunicorn's arbiter then stops replacing workers).
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
    if procs is not None:
        procs.append(proc)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"warta serve did not start: {log.read()[-2000:]}") from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()  # a graceful stop: time is not what this measures (a loaded machine stops slowly)
        try:
            proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        finally:
            log.close()


@pytest.fixture(scope="session")
def web(search_data):
    """The search server over the crawled and indexed mirror articles."""
    with warta_server(search_data.data, search_data.seeds) as base:
        yield base


@pytest.fixture(scope="session")
def postgres_server():
    """One PostgreSQL server for the session (tests/postgres.py)."""
    from tests.postgres import Postgres

    server = Postgres()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request, tmp_path) -> str:
    """Where a test's store lives, once on each engine: a file, and a new database on the session's server."""
    if request.param == "sqlite":
        return str(tmp_path / "warta.sqlite3")
    return request.getfixturevalue("postgres_server").database()


@pytest.fixture(scope="session")
def redis_server():
    """One Redis server for the session (tests/redis_server.py)."""
    from tests.redis_server import RedisServer

    server = RedisServer()
    yield server
    server.stop()
