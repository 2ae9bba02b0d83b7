"""indexer/publish.py: the index copied where web hosts serve it, never half. A searcher over the copy (a
web host's `warta serve`) follows each publish; a publish that fails leaves the host serving what it served."""

from __future__ import annotations

import os

import pytest

from indexer.generations import current_generation
from indexer.index import update
from indexer.publish import PublishError, publish
from indexer.search import Searcher, SearchRequest
from tests.conftest import warta
from tests.indexer.test_searcher import fill


def test_a_host_follows_each_publish_and_unchanged_files_are_links_not_copies(tmp_path):
    fill(tmp_path, 120)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    host = tmp_path / "host"
    first = publish(tmp_path / "index", str(host))
    served = Searcher(host)  # a web host, open across publishes
    assert served.doc_count() == Searcher(tmp_path / "index").doc_count() == 120
    assert served.search(SearchRequest("pemerintah")).total == Searcher(tmp_path / "index").search(
        SearchRequest("pemerintah")).total

    fill(tmp_path, 20, seed=9)  # 20 articles rewritten and added: a new commit of the same generation
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    second = publish(tmp_path / "index", str(host))
    assert second != first and (host / "CURRENT").read_text().strip() == second
    assert served.doc_count() == Searcher(tmp_path / "index").doc_count()
    shared = [f.name for f in (host / first).iterdir() if f.suffix == ".seg"
              and (host / second / f.name).exists()]
    assert shared and all(os.stat(host / first / n).st_ino == os.stat(host / second / n).st_ino for n in shared)
    assert publish(tmp_path / "index", str(host)) == second  # nothing new: the same snapshot


def test_a_failed_publish_leaves_the_host_serving_the_last_one(tmp_path):
    fill(tmp_path, 60)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    host = tmp_path / "host"
    first = publish(tmp_path / "index", str(host))
    fill(tmp_path, 10, seed=3)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    gen = current_generation(tmp_path / "index")
    blocked = sorted(p.name for p in gen.glob("*.toc"))[-1].split("_")[-1].split(".")[0]
    (host / f"{gen.name}-c{blocked}").write_text("in the way")  # the next snapshot's directory cannot be made
    with pytest.raises(PublishError, match="rsync"):
        publish(tmp_path / "index", str(host))
    assert (host / "CURRENT").read_text().strip() == first
    assert Searcher(host).doc_count() == 60


def test_warta_index_publishes_on_request(tmp_path):
    fill(tmp_path, 30)
    done = warta("index", "--publish", str(tmp_path / "host"), data=tmp_path)
    assert done.returncode == 0 and "published gen-" in done.stdout, done.stdout + done.stderr
    assert Searcher(tmp_path / "host").doc_count() == 30
    bad = warta("index", "--publish", "/proc/warta-cannot-write-here", data=tmp_path)
    assert bad.returncode == 1 and "--publish" in bad.stderr


def test_a_file_rewritten_in_place_within_the_same_second_is_published_anew(tmp_path):
    """stories.sqlite3 or applied.json can be rewritten with their size and the second of their time unchanged;
    a publish must copy them, not link the last snapshot's."""
    fill(tmp_path, 20)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    host = tmp_path / "host"
    name = publish(tmp_path / "index", str(host))
    gen = current_generation(tmp_path / "index")
    marker = gen / "applied.json"
    before = os.stat(marker)
    old = marker.read_bytes()
    marker.write_bytes(old.replace(b"1", b"7") if b"1" in old else old[::-1])  # same size, other bytes
    os.utime(marker, ns=(before.st_atime_ns, before.st_mtime_ns + 1))  # the same second
    assert os.stat(marker).st_size == before.st_size and marker.read_bytes() != old
    assert publish(tmp_path / "index", str(host)) == name
    assert (host / name / "applied.json").read_bytes() == marker.read_bytes()
