"""Shared fixtures: a real outlet mirror on loopback, and a plain HTTP client that does not hide redirects."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
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


@pytest.fixture(scope="session")
def mirror():
    with Mirror(TEST_CONFIG) as m:
        yield m
