"""Which charset a page is really in, when its labels are wrong.

Scrapy decodes by the HTTP header first, then the page's <meta charset>, as browsers do. Regional outlets
mislabel often: UTF-8 pages served as ISO-8859-1 by a default server config (stored as mojibake:
"PemerintahÂ Kota"), Windows-1252 bytes under a UTF-8 label by an old CMS (every curly quote a U+FFFD).
Both are silent, and the damage reaches titles, snippets and the index.

The rule: bytes that decode as strict UTF-8 and hold some non-ASCII are UTF-8, whatever the label says
(legacy 8-bit text almost never forms valid multi-byte sequences by chance); bytes under a UTF-8 label
that hold no UTF-8 sequence at all are Windows-1252 (the superset of Latin-1 that such CMSs write). Every other
page keeps the charset Scrapy chose. w3lib decides the label; this only overrules it when the bytes prove
it wrong.
"""

from __future__ import annotations

import codecs

from scrapy.http import Response, TextResponse

HTML_TYPES = (b"text/html", b"application/xhtml+xml")
UTF8 = "utf-8"
WESTERN = frozenset({"ascii", "iso8859-1", "cp1252", "iso8859-15", "latin-1"})  # the labels UTF-8 hides under


# What a PDF, an image or an archive served as text/html starts with.
_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"Rar!", b"\x1f\x8b", b"RIFF", b"ID3",
          b"\x00\x00\x00")


def looks_binary(body: bytes) -> bool:
    """A body that is no text whatever its Content-Type says: a known file signature, or NUL bytes early on
    (only UTF-16 and UTF-32 text has them, and such a page starts with its byte-order mark)."""
    head = body[:1024].lstrip()
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # the UTF-32 marks start with these too
        return False
    return head.startswith(_MAGIC) or b"\x00" in head


def _norm(name: str | None) -> str:
    try:
        return codecs.lookup(name or "").name
    except LookupError:
        return ""


def true_encoding(body: bytes, labelled: str) -> str | None:
    """The encoding the bytes are in when the label (what Scrapy would decode with) is wrong, else None."""
    label = _norm(labelled)
    if body.isascii():
        return None
    try:
        body.decode(UTF8)
    except UnicodeDecodeError as exc:
        if label != UTF8 or exc.reason == "unexpected end of data":  # a body cut off mid-character
            return None
        text = body.decode(UTF8, "replace")
        if any(ord(c) > 127 and c != "\ufffd" for c in text):  # UTF-8 with a stray byte: still UTF-8
            return None
        return "cp1252"  # no UTF-8 sequence at all, though labelled so
    return UTF8 if label in WESTERN else None


class CharsetMiddleware:
    """Re-decodes an HTML response whose charset label its bytes contradict (counted as
    warta/charset/mislabelled), so listings and articles both read the right text."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request, response: Response, spider=None) -> Response:
        if not isinstance(response, TextResponse):
            return response
        if not response.headers.get(b"Content-Type", b"text/html").startswith(HTML_TYPES) or looks_binary(
                response.body):
            return response
        fixed = true_encoding(response.body, response.encoding)
        if fixed is None:
            return response
        self.stats.inc_value("warta/charset/mislabelled")
        return response.replace(encoding=fixed)
