"""URL canonicalization and per-platform article URL patterns.

One article reaches a crawler under many URLs: feed links with utm_* parameters, shared links with
fbclid, AMP variants, Blogger's ?m=1 mobile view, ?print=1 printer views, WordPress ?p=ID shortlinks.
canonicalize() folds the variants that can be recognised from the URL alone, and only those: tracking
parameters on every platform, and the view variants a platform is known to serve (AMP on WordPress, ?m=1 on
Blogger, ?print=1 wherever a CMS prints). page_key() tells twins apart from new pages: the http and https
forms, and the trailing-slash and no-slash forms, are one page.
Parameters that select content (`m`, `id`, `page`, `share` on a .go.id CMS) are kept, so two pages never
become one. w3lib does the normalisation (case, percent-encoding, sorted query, no fragment); the page's
rel=canonical settles the rest.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Parameters that only say where a click came from: dropped on every platform.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "igsh", "mc_cid", "mc_eid",
    "_ga", "_gl", "ref_src", "ref_url", "spm", "s_cid", "twclid", "ttclid", "li_fat_id", "utm",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
# View variants of one page, per platform: parameter -> values that fold (None: any value).
_PRINT = {"print": {"", "1", "true", "yes", "print"}}  # ?print=1: print plugins' and CMSs' printer view
VIEW_PARAMS = {
    "wordpress": {"amp": None, **_PRINT},  # ?amp, ?amp=1 (AMP for WP)
    "blogger": {"m": {"0", "1"}},  # Blogger's mobile view
    "goid": dict(_PRINT),
    "generic": dict(_PRINT),
}
HTTP_SCHEMES = ("http", "https")

# Paths that are listings or site furniture on every platform, never articles.
NOT_ARTICLE = re.compile(
    r"^/(?:category|kategori|tag|tags|topik|author|penulis|page|search|cari|feed|wp-admin|wp-content|wp-json|"
    r"wp-includes|wp-login\.php|comments|p|label|indeks|index|arsip|archive|feeds|galeri|video|foto|pengumuman|"
    r"profil|ppid|kontak|redaksi|tentang-kami|about|privacy-policy|pedoman-media-siber|amp)(?:/|$)",
    re.IGNORECASE)
SKIP_EXTENSIONS = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|jpe?g|png|gif|webp|svg|ico|mp3|mp4|avi|mov|css|js|xml|txt|json)$",
    re.IGNORECASE)

ARTICLE_PATTERNS = {
    # /2025/08/25/slug/, /2025/08/slug/, /slug/, /%category%/slug/ (a hyphenated slug of 3+ words), ?p=123
    "wordpress": re.compile(r"^/(?:[a-z0-9-]+/){0,3}[a-z0-9]+(?:-[a-z0-9]+){2,}/?$"),
    # /2022/04/slug.html
    "blogger": re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$"),
    # /berita/baca/123/slug, /berita/detail/slug, /berita/read/..., /news/123-slug, /post/slug
    "goid": re.compile(r"^/(?:berita|news|artikel|post|informasi)/(?:(?:baca|detail|read|view|show)/)?"
                       r"(?:\d+/)?[a-z0-9]+(?:[-_][a-z0-9]+){2,}/?$", re.IGNORECASE),
}
ARTICLE_PATTERNS["generic"] = re.compile(r"^/(?:[\w-]+/)*[a-z0-9]+(?:-[a-z0-9]+){3,}(?:\.html?)?/?$", re.IGNORECASE)


def canonicalize(url: str, platform: str = "generic") -> str:
    """The one URL of a page: lowercase scheme and host, no default port, no fragment, sorted query, without
    tracking parameters and the platform's view variants. Raises ValueError for a URL that cannot be read
    (a malformed port, a bad IPv6 host)."""
    parts = urlsplit(url.strip())
    parts.port  # noqa: B018 (raises ValueError for a malformed port)
    views = VIEW_PARAMS.get(platform, {})
    drop = [k for k, v in parse_qsl(parts.query, keep_blank_values=True) if _folds(k, v, views)]
    cleaned = url_query_cleaner(url.strip(), drop, remove=True, unique=False) if drop else url.strip()
    parts = urlsplit(canonicalize_url(cleaned, keep_blank_values=True, keep_fragments=False))
    scheme, host, port = parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    if ":" in host:  # IPv6 literal
        netloc = f"[{host}]" + (f":{port}" if netloc.endswith(f":{port}") else "")
    path = parts.path or "/"
    if platform == "wordpress":
        if path.endswith("/amp/"):
            path = path[: -len("amp/")]
        elif path.endswith("/amp"):
            path = path[: -len("/amp")] + "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def _folds(key: str, value: str, views: dict) -> bool:
    k = key.lower()
    if k in TRACKING_PARAMS or k.startswith(TRACKING_PREFIXES):
        return True
    if k in views:
        return views[k] is None or value in views[k]
    return False


def page_key(canonical: str) -> str:
    """What two canonical URLs of one page share, for telling a page already held or queued: the same host
    (a www. prefix folded), path and query, whichever the scheme (an outlet serving http and https twins) and
    with or without a trailing slash (WordPress serves both). The URL fetched and stored stays the one first
    seen; this only stops the twins from being fetched and stored beside it."""
    parts = urlsplit(canonical)
    host = (parts.netloc or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/') or '/'}" + (f"?{parts.query}" if parts.query else "")


def safe_canonical(url: str, platform: str = "generic") -> str | None:
    """canonicalize(), or None for a URL that cannot be read: one bad link is skipped, not fatal."""
    try:
        return canonicalize(url, platform)
    except ValueError:
        return None


def is_article_url(url: str, platform: str) -> bool:
    """Whether a URL on the outlet's own host looks like an article of that platform."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if SKIP_EXTENSIONS.search(path):
        return False
    if platform == "wordpress" and path == "/" and re.fullmatch(r"p=\d+", parts.query or ""):
        return True
    if NOT_ARTICLE.match(path):
        return False
    return bool(ARTICLE_PATTERNS[platform].match(path))


def same_site(url: str, hosts: tuple[str, ...]) -> bool:
    """Whether url is an http(s) URL on one of the hosts (a www. prefix is folded). Anything else
    (javascript:, data:, mailto:, another host) is never fetched, stored or linked."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme.lower() not in HTTP_SCHEMES:
        return False
    bare = (parts.hostname or "").lower().removeprefix("www.")
    return bool(bare) and any(bare == h.lower().removeprefix("www.") for h in hosts)


def fetchable(url: str, hosts: tuple[str, ...], ports: frozenset[int]) -> bool:
    """Whether warta may send a request to url: http(s), one of the outlet's hosts, and one of its ports (the
    registry URL's, or the web's defaults 80 and 443). Another port on the outlet's own host is a service
    warta has no business with (a database, an admin console), wherever a redirect points."""
    if not same_site(url, hosts):
        return False
    try:
        return _port(url.strip()) in ports
    except ValueError:
        return False


@functools.lru_cache(maxsize=1024)
def outlet_ports(url: str) -> frozenset[int]:
    """The ports fetchable() allows for an outlet whose registry URL is url (asked for every request)."""
    return frozenset({80, 443, _port(url)})


def _port(url: str) -> int:
    """The URL's port, its scheme's default when it names none; ValueError for a malformed one."""
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme.lower() == "https" else 80)
