"""`warta extract` and `warta reextract` as a user runs them: real subprocesses, the mirror over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from crawler.urls import canonicalize
from store import Store
from tests.conftest import fetch

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "extraction" / "pages"


def warta(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warta", *args], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)


def test_extract_a_url_as_json(mirror):
    article = mirror.sites["siantarblog"].articles()[-1]
    out = warta("extract", mirror.url("siantarblog", article.path), "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) == {"url", "title", "text", "date", "author", "outlet", "language", "image", "tags"}
    assert doc["title"] == article.title and doc["text"] == "\n\n".join(article.paragraphs)
    assert doc["date"] == article.published.isoformat() and doc["language"] == "id"


def test_extract_a_saved_file_takes_its_url_from_the_page_and_the_outlet_from_the_registry():
    # an article page of the evaluation set (tests/extraction/build_pages.py names them by post number)
    page, expected = next((p, e) for p in sorted(PAGES.glob("mirror-mimbarumum-*.html"))
                          if (e := json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))).get("title"))
    out = warta("extract", str(page), "--outlet", "mimbarumum", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["url"] == expected["url"] and doc["outlet"] == "mimbarumum" and doc["author"] == expected["author"]
    text = warta("extract", str(page))
    assert text.returncode == 0 and text.stdout.splitlines()[0] == expected["title"]


def test_extract_refuses_what_is_not_html(tmp_path, mirror):
    empty, pdf = tmp_path / "kosong.html", tmp_path / "laporan.html"
    empty.write_bytes(b"")
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    for source in (str(empty), str(pdf), str(tmp_path / "tidak-ada.html"),
                   mirror.url("binjaikota", mirror.sites["binjaikota"].trap_paths()["pdf"]),
                   mirror.url("tri3news", mirror.sites["tri3news"].trap_paths()["dead"])):
        out = warta("extract", source)
        assert out.returncode == 2, source
        assert out.stderr.startswith("warta extract: ") and "Traceback" not in out.stderr
    category = mirror.sites["mimbarumum"].articles()[-1].category.lower()
    listing = warta("extract", mirror.url("mimbarumum", f"/category/{category}/"))
    assert listing.returncode == 1 and "listing-page" in listing.stderr


def test_reextract_mends_stored_articles_from_their_kept_html(tmp_path, mirror):
    site = mirror.sites["waspada"]
    seeds = mirror.write_seeds(tmp_path / "mirror.toml")
    db = tmp_path / "warta.sqlite3"
    with Store(db) as store:
        for a in site.articles()[:3]:
            url = canonicalize(mirror.url("waspada", a.path))
            html = fetch(url).body
            # what an older, worse extractor stored: the body with a comment widget left in
            from crawler.extract import extract
            good = extract(html.decode("utf-8"), url)
            store.save(replace(good, outlet="waspada", text=good.text + "\n\nDiscussion about this post"), html)
    out = subprocess.run([sys.executable, "-m", "warta", "--data", str(tmp_path), "--seeds", str(seeds),
                          "reextract", "--outlet", "waspada"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "updated 3" in out.stdout
    with Store(db) as store:
        texts = {a.url: a.text for a in store.articles("waspada")}
    assert len(texts) == 3 and not any("Discussion about this post" in t for t in texts.values())
    again = subprocess.run([sys.executable, "-m", "warta", "--data", str(tmp_path), "--seeds", str(seeds),
                            "reextract"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert "unchanged 3" in again.stdout and "updated" not in again.stdout


def test_reextract_checks_what_the_crawl_checks(tmp_path):
    from crawler.extract import extract
    from crawler.reextract import reextract
    from registry import Outlet
    from tests.crawler.test_extract import PARAS, page, ps

    outlet = Outlet(id="contoh", name="Contoh", url="https://contoh.go.id/", platform="goid", regions=())
    html = page(ps(*PARAS), head='<meta property="article:published_time" content="2999-01-01T10:00:00+07:00">')
    url = "https://contoh.go.id/berita/baca/1/wali-kota-binjai-minta-opd"
    with Store(tmp_path / "warta.sqlite3") as store:
        store.save(replace(extract(html, url, outlet), published=None, text="teks lama"), html.encode())
    counts = reextract(tmp_path / "warta.sqlite3", [outlet])
    assert counts["updated"] == 1 and counts["date-out-of-range"] == 1
    with Store(tmp_path / "warta.sqlite3") as store:
        mended = store.get(url)
    assert mended.published is None and mended.text.startswith("Pemerintah Kota Binjai")
