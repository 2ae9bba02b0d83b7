"""Stories over HTTP: one hit per story with its copies, in the JSON API, the page and the feed."""

from __future__ import annotations

import pytest

from indexer.index import update
from search_web.openapi import document
from tests.conftest import fetch, warta_server
from tests.indexer.test_stories import save, syndicate
from tests.search_web.test_api import conforms, get

QUERY = "kota OR kabupaten OR warga OR pemerintah"


@pytest.fixture(scope="module")
def syndicated(tmp_path_factory):
    data = tmp_path_factory.mktemp("stories")
    stories = syndicate(data)
    save(data, [a for copies in stories.values() for a in copies])
    update(data / "index", data / "warta.sqlite3")
    with warta_server(data) as base:
        yield base, stories


def test_the_api_gives_each_story_once_with_its_copies(syndicated):
    base, stories = syndicated
    status, body = get(base, "/api/search", q=QUERY, per_page=50)
    assert status == 200
    conforms(document(), "SearchResult", body)
    assert body["collapse"] is True and body["total"] == len(body["hits"])
    assert len({h["story"] for h in body["hits"]}) == len(body["hits"])
    widest = max(stories.values(), key=len)
    hit = next(h for h in body["hits"] if h["url"] == widest[0].url)
    assert [c["url"] for c in hit["copies"]] == [a.url for a in widest[1:]]
    status, flat = get(base, "/api/search", q=QUERY, per_page=50, collapse="false")
    assert status == 200 and flat["collapse"] is False and flat["total"] > body["total"]
    assert all(h["copies"] == [] for h in flat["hits"])
    status, bad = get(base, "/api/search", q=QUERY, collapse="mungkin")
    assert status == 400 and "collapse" in bad["message"]


def test_the_page_says_which_other_media_carried_the_story(syndicated):
    base, stories = syndicated
    page = fetch(f"{base}/?q={QUERY.replace(' ', '+')}&per_page=50")
    assert page.status == 200
    widest = max(stories.values(), key=len)
    assert f"Juga dimuat oleh {len(widest) - 1} media" in page.text
    assert page.text.count('class="hit"') == len(stories)
    flat = fetch(f"{base}/?q={QUERY.replace(' ', '+')}&per_page=50&collapse=false")
    assert flat.text.count('class="hit"') == sum(len(c) for c in stories.values())
    feed = fetch(f"{base}/search.atom?q={QUERY.replace(' ', '+')}")
    assert feed.status == 200 and feed.text.count("<entry>") == min(20, len(stories))
