"""extract() never raises on any HTML: real pages, mutated 1,000 ways, go through it and come
out as an Article or as Rejected, never as a traceback.

The pages are the real sets when they are laid out (tests/extraction/real.py), else the mirror set; every
mutation is seeded, so a failure names a page and a seed that reproduce it.
"""

from __future__ import annotations

import random
import re

import pytest

from crawler.extract import Rejected, extract
from store import Article
from tests.extraction import evaluation as ev
from tests.extraction import real

MUTATIONS = 1000
_LD = re.compile(r'(<script[^>]+application/ld\+json[^>]*>)(.*?)(</script>)', re.IGNORECASE | re.DOTALL)
GARBLED_LD = [
    '{"@type": "NewsArticle", "headline": ["a", ["b"]], "keywords": [["Pemko", ["Binjai"]], {"x": 1}, 7, null]}',
    '{"@type": [{"x": 1}, "NewsArticle"], "datePublished": "2025-13-45T99:99", "author": [[{"name": ["x"]}]]}',
    '{"@graph": [{"@type": "Article", "headline": 5, "datePublished": {"x": 1}, "image": [[]], '
    '"publisher": "x", "keywords": {"name": ["a"]}}, null, 3]}',
    '[[[{"@type": "NewsArticle", "headline": "x", "dateModified": [1, 2]}]]]',
    '{"@type": "NewsArticle", "headline": "Judul', '', 'null', '"just a string"', '{"@graph": "x"}',
]
JUNK_ATTRS = ['class=', 'class="td-post-content', "property='og:type' content", 'itemprop="articleBody"',
              'datetime="9999-99-99"', 'content="\x00"', 'href="javascript:', 'class="post-outer" " "']


def _pages() -> list[tuple[str, str]]:
    cases = real.load("indonesian") + real.load("scrapinghub") if real.data_dir() else []
    cases = cases or ev.load()
    return [(c.url, c.html) for c in cases]


def mutate(html: str, rng: random.Random) -> str | bytes:
    kind = rng.randrange(6)
    if kind == 0:  # truncated anywhere, even inside a tag or an entity
        return html[: rng.randrange(len(html) + 1)]
    if kind == 1:  # tags shuffled within a window
        parts = html.split("<")
        if len(parts) > 4:
            i = rng.randrange(1, len(parts) - 2)
            window = parts[i: i + rng.randrange(2, 60)]
            rng.shuffle(window)
            parts[i: i + len(window)] = window
        return "<".join(parts)
    if kind == 2:  # attributes garbled: quotes dropped, junk attributes inserted
        out = html.replace('="', "=", rng.randrange(1, 200))
        for _ in range(rng.randrange(1, 20)):
            at = html.find("<", rng.randrange(len(html) or 1))
            if at > 0:
                out = out[:at + 2] + " " + rng.choice(JUNK_ATTRS) + " " + out[at + 2:]
        return out
    if kind == 3:  # JSON-LD garbled, or added where the page had none
        ld = rng.choice(GARBLED_LD)
        if _LD.search(html):
            return _LD.sub(lambda m: m.group(1) + ld + m.group(3), html)
        return html.replace("</head>", f'<script type="application/ld+json">{ld}</script></head>', 1)
    if kind == 4:  # encodings mixed: utf-8 with cp1252/latin-1 bytes and stray bytes spliced in, as bytes
        raw = html.encode("utf-8", "replace")
        for _ in range(rng.randrange(1, 30)):
            at = rng.randrange(len(raw) + 1)
            raw = raw[:at] + rng.choice([b"\x92", b"\xe9t\xe9", b"\xff\xfe", b"\x00", b"\xc3", "é".encode("cp1252")]) \
                + raw[at:]
        if rng.random() < 0.5:
            raw = re.sub(rb"charset=[\"']?[\w-]+", rng.choice([b"charset=shift_jis", b"charset=x-nonsense",
                                                              b"charset=utf-16", b"charset="]), raw, count=1)
        return raw
    # kind 5: markup soup: unclosed containers, stray closing tags, comments and CDATA cut open
    junk = rng.choice(["<div class='td-post-content'>", "</article></body></html>", "<!--", "<![CDATA[", "<p",
                       "<h1>", "</h1></h1>", "<table><tr><td>", "<?xml version='1.0'?>", "&#xffffffff;", "&#0;"])
    at = rng.randrange(len(html) + 1)
    return html[:at] + junk * rng.randrange(1, 5) + html[at:]


def test_a_thousand_mutated_real_pages_never_make_extract_raise():
    pages = _pages()
    assert pages, "no pages to mutate"
    outcomes = {"article": 0, "rejected": 0}
    for seed in range(MUTATIONS):
        rng = random.Random(seed)
        url, html = pages[seed % len(pages)]
        if len(html) > 20_000:  # keep the test fast: a random window of a long page is as good a test
            start = rng.randrange(len(html) - 20_000)
            html = html[start: start + 20_000] if rng.random() < 0.5 else html[:20_000]
        page = mutate(html, rng)
        try:
            got = extract(page, url, language_gate=rng.random() < 0.5)
        except Rejected:
            outcomes["rejected"] += 1
            continue
        except Exception as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"seed {seed}, page {url}: {type(exc).__name__}: {exc}")
        assert isinstance(got, Article) and got.title and got.text
        outcomes["article"] += 1
    assert sum(outcomes.values()) == MUTATIONS
    assert outcomes["article"] > MUTATIONS // 20, outcomes  # the mutations still leave articles to read


@pytest.mark.parametrize("html", [
    "<html><head><script type='application/ld+json'>" + ld + "</script><title>Judul Berita Pemko</title></head>"
    "<body><h1>Judul Berita Pemko</h1><div class='entry-content'><p>" + " ".join(["Pemerintah kota yang baru"] * 30)
    + "</p></div></body></html>" for ld in GARBLED_LD])
def test_garbled_json_ld_never_breaks_the_metadata(html):
    a = extract(html, "https://x.id/a-b-c/")
    assert a.title == "Judul Berita Pemko" or a.title


def test_nested_json_ld_keywords_become_flat_tags():
    from crawler.metadata import read
    from crawler.pagekind import parse

    html = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "x", '
            '"keywords": [["Pemko Binjai", ["ASN"]], {"name": "Pelayanan"}, "Wali Kota, Binjai", 5]}</script>'
            '</head><body></body></html>')
    assert read(parse(html)).tags == ["Pemko Binjai", "ASN", "Pelayanan", "Wali Kota", "Binjai"]
