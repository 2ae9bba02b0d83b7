"""crawler/pagekind.py's head_info, the spider's cheap look at a fetched page, says what the full page_info
says about its canonical URL and whether it is a bot challenge, on real pages and on the ones built to trip
it (a challenge, a canonical link past the head, a page that only mentions a challenge word)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.pagekind import head_info, page_info
from mirror.hostile import CHALLENGE, NOT_FOUND

PAGES = sorted((Path(__file__).parents[1] / "extraction" / "pages").glob("*.html"))
ARTICLE = "<p>" + " ".join(["Wali Kota Binjai meninjau pelayanan publik di kantor kecamatan."] * 30) + "</p>"
BUILT = {
    "challenge": CHALLENGE,
    "not found": NOT_FOUND,
    "canonical in the body": f"<html><head><title>Berita</title></head><body><link rel='canonical' "
                             f"href='https://x.id/a/'>{ARTICLE}</body></html>",
    "challenge words over an article": f"<html><head><title>Just a moment with the mayor</title></head><body>"
                                       f"<h1>Just a moment</h1>{ARTICLE}<script>var _cf_chl_opt = 1;</script>"
                                       "</body></html>",
    "no head": "<title>Attention Required!</title><form id='challenge-form'></form>",
    "upper-case head": "<HTML><HEAD><LINK REL='canonical' HREF=' https://x.id/b/ '></HEAD><BODY>"
                       f"{ARTICLE}</BODY></HTML>",
}


TEXTS = [p.read_text(encoding="utf-8", errors="replace") for p in PAGES] + list(BUILT.values())


@pytest.mark.parametrize("html", TEXTS, ids=[p.name for p in PAGES] + list(BUILT))
def test_head_info_agrees_with_the_full_parse(html: str):
    full = page_info(html)
    assert head_info(html) == (full.canonical, full.is_challenge)


def test_the_built_pages_test_what_they_say():
    assert head_info(BUILT["challenge"])[1] and not head_info(BUILT["challenge words over an article"])[1]
    assert head_info(BUILT["canonical in the body"])[0] == "https://x.id/a/"
    assert head_info(BUILT["upper-case head"])[0] == "https://x.id/b/"
    assert head_info(BUILT["no head"])[1]
