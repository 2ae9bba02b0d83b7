"""URL canonicalization and per-platform article URL patterns.

One article reaches a crawler under many URLs: feed links with utm_* parameters, shared links with
fbclid, AMP variants, Blogger's ?m=1 mobile view, WordPress ?p=ID shortlinks. canonicalize() folds the
variants that can be recognised from the URL alone; the page's rel=canonical settles the rest.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "igsh", "mc_cid", "mc_eid",
    "_ga", "_gl", "ref_src", "ref_url", "spm", "s_cid", "twclid", "ttclid", "li_fat_id", "amp", "m",
    "share", "utm",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")

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


def canonicalize(url: str) -> str:
    """Lowercase scheme and host, drop default ports, fragments, tracking parameters and AMP markers."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = parts.path or "/"
    if path.endswith("/amp/"):
        path = path[: -len("amp/")]
    elif path.endswith("/amp"):
        path = path[: -len("/amp")] + "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


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
    """Whether url is on one of the hosts (a www. prefix is folded)."""
    host = (urlsplit(url).hostname or "").lower()
    bare = host.removeprefix("www.")
    return any(bare == h.removeprefix("www.") for h in hosts)
