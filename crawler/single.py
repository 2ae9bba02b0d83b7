"""One page outside a crawl: read from a file or fetched once, for `warta extract`.

A crawl goes through Scrapy (robots.txt, throttling, retries); looking at one page a user names does not
need any of that, so this is a plain HTTP GET with warta's User-Agent.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

from crawler.settings import USER_AGENT

_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|div|p|title|meta)\b", re.IGNORECASE)
MAX_BYTES = 8 * 1024 * 1024


class PageError(Exception):
    """The page cannot be read as HTML; the message says why, in words a user can act on."""


def read_page(source: str, timeout: float = 30.0) -> tuple[str | bytes, str]:
    """(HTML, URL) of a file path or an http(s) URL: text when the server named its charset, else bytes
    for the parser to decode by the page's own <meta charset>."""
    charset = None
    if re.match(r"https?://", source, re.IGNORECASE):
        body, url, charset = _fetch(source, timeout)
    else:
        path = Path(source)
        if not path.is_file():
            raise PageError(f"{source}: no such file")
        body, url = path.read_bytes()[:MAX_BYTES], path.resolve().as_uri()
    if not body.strip():
        raise PageError(f"{source}: the page is empty")
    head = body[:4096].lstrip(b"\xef\xbb\xbf")
    if b"\x00" in head or not _HTML_START.search(head):
        raise PageError(f"{source}: this is not HTML (it starts {head[:16]!r})")
    if charset:
        try:
            return body.decode(charset, errors="replace"), url
        except LookupError:
            pass  # an unknown charset name: let the parser read the page's own declaration
    return body, url


def _fetch(url: str, timeout: float) -> tuple[bytes, str, str | None]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            ctype = response.headers.get_content_type()
            if ctype not in ("text/html", "application/xhtml+xml"):
                raise PageError(f"{url}: the server sent {ctype}, not HTML")
            return response.read(MAX_BYTES), response.url, response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise PageError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise PageError(f"{url}: cannot fetch ({getattr(exc, 'reason', exc)})") from exc
