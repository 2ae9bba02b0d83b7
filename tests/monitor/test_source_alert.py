"""Is each source still working? A mirror outlet redesigned mid-run, crawled by `warta crawl` as the scheduler
would, is flagged by `warta status` (text and JSON) and the /status page with the evidence: first a redesign
its extractor cannot read ("struktur halaman berubah?"), then a bot challenge in place of its articles
("diblokir?"). Its healthy neighbour is flagged for nothing."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from mirror.server import Mirror
from search_web import create_app
from tests.conftest import TEST_CONFIG, warta

pytestmark = pytest.mark.slow
SITE, NEIGHBOUR = "waspada", "tri3news"


def crawl_and_status(data, seeds) -> dict[str, dict]:
    done = warta("--seeds", str(seeds), "crawl", "--outlet", SITE, "--outlet", NEIGHBOUR, data=data)
    assert done.returncode == 0, done.stdout + done.stderr
    status = warta("--seeds", str(seeds), "status", "--json", data=data, timeout=60)
    assert status.returncode == 0, status.stderr
    return {o["id"]: o for o in json.loads(status.stdout)["outlets"]}


def test_a_redesign_and_a_block_are_flagged_with_their_evidence(tmp_path):
    with Mirror(replace(TEST_CONFIG, reserve_per_site=10)) as mirror:
        seeds = mirror.write_seeds(tmp_path / "mirror.toml")
        first = crawl_and_status(tmp_path, seeds)  # the history: a full first crawl
        assert first[SITE]["source_alert"] is None and first[SITE]["articles_stored"] >= 10
        mirror.release(SITE, 3)
        mirror.release(NEIGHBOUR, 3)
        assert crawl_and_status(tmp_path, seeds)[SITE]["source_alert"] is None  # new articles, read as before

        mirror.sites[SITE].redesign = "shell"  # a redesign: article text now comes from a script
        mirror.release(SITE, 3)
        mirror.release(NEIGHBOUR, 3)
        status = crawl_and_status(tmp_path, seeds)
        alert = status[SITE]["source_alert"]
        assert alert["flag"] == "struktur halaman berubah?" and "0 of 3 article pages stored" in alert["evidence"]
        assert status[SITE]["last_run"]["result"] == "ok"  # the crawl itself went well: health alone says nothing
        assert status[NEIGHBOUR]["source_alert"] is None
        text = warta("--seeds", str(seeds), "status", data=tmp_path, timeout=60).stdout
        assert "STRUKTUR HALAMAN BERUBAH?" in text and "0 of 3 article pages stored" in text

        mirror.sites[SITE].redesign = "challenge"  # a CDN's bot challenge in place of every article
        mirror.release(SITE, 4)
        status = crawl_and_status(tmp_path, seeds)
        alert = status[SITE]["source_alert"]
        assert alert["flag"] == "diblokir?" and "http-403 4" in alert["evidence"], alert
        assert status[NEIGHBOUR]["source_alert"] is None

    app = create_app(data=tmp_path, seeds=seeds)
    page = app.test_client().get("/status").get_data(as_text=True)
    assert "diblokir?" in page and "http-403 4" in page
