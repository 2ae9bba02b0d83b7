"""A common word's bitmap stands in for its postings only where it gives the very same documents.

Real indexes on disk, written by `update` the way `warta index` writes them: a rebuild's segments, then
updates that add, change and delete articles and merge their small segments. Every term of every field
search reads is looked up with the bitmaps and without, and must give the same documents.
"""

from __future__ import annotations

import logging
import random
from dataclasses import replace
from pathlib import Path

import numpy as np

from indexer import bitmaps
from indexer import index as indexing
from indexer.generations import current_generation, open_index
from indexer.index import update
from indexer.postings import Postings
from indexer.search import Searcher, SearchRequest
from store import Store
from tests.indexer.test_searcher import article, fill

FIELDS = ("title", "body", "outlet", "regions", "actors", "year")


def every_term_agrees(root: Path) -> int:
    """Checks each term both ways; returns how many terms a bitmap answered for in some segment."""
    with open_index(root).reader() as reader:
        fast, slow = Postings(reader), Postings(reader, bitmaps=False)
        for field in FIELDS:
            for term in reader.field_terms(field):
                assert np.array_equal(fast.ids(field, term), slow.ids(field, term)), (field, term)
        used = 0
        for leaf, _ in reader.leaf_readers():
            bits = bitmaps.SegmentBits.open(leaf)
            used += sum(len(terms) for terms in bits.terms.values()) if bits else 0
        return used


def files(root: Path, ext: str) -> set[str]:
    return {p.name.removesuffix(ext) for p in current_generation(root).glob(f"*{ext}")}


def test_bitmaps_answer_as_the_postings_do_through_rebuilds_updates_deletions_and_merges(tmp_path, monkeypatch):
    monkeypatch.setattr(indexing, "CRUMB", 150)  # updates' segments get merged within a few updates
    fill(tmp_path, 1200)
    update(tmp_path / "index", tmp_path / "warta.sqlite3", procs=2)
    root = tmp_path / "index"
    assert files(root, ".seg") == files(root, ".bits")
    assert every_term_agrees(root) > 10  # the small vocabulary makes most words common
    rng = random.Random(7)
    for round_ in range(indexing.MAX_CRUMBS + 3):
        with Store(tmp_path / "warta.sqlite3") as store:
            for n in range(20):
                store.save(article(10_000 + round_ * 100 + n, rng))
            stored = sorted(store.articles(), key=lambda a: a.url)
            store.delete(stored[round_ * 3].url)
            store.save(replace(stored[round_ * 3 + 1], text="pasar banjir " * 40))
        update(root, tmp_path / "warta.sqlite3", procs=1)
    assert files(root, ".seg") == files(root, ".bits")  # one per segment, none left of merged-away ones
    assert every_term_agrees(root) > 10
    searcher, request = Searcher(root), SearchRequest("pasar banjir")
    assert searcher.search(request).total == searcher.timeline(request).total


def test_an_index_without_bitmaps_reads_its_postings_and_gets_them_at_the_next_update(tmp_path):
    fill(tmp_path, 800)
    root = tmp_path / "index"
    update(root, tmp_path / "warta.sqlite3")
    before = Searcher(root).timeline(SearchRequest("jalan"), interval="day").counts
    for path in current_generation(root).glob("*.bits"):
        path.unlink()
    assert Searcher(root).timeline(SearchRequest("jalan"), interval="day").counts == before
    assert every_term_agrees(root) == 0
    update(root, tmp_path / "warta.sqlite3")  # nothing changed in the store: only the bitmaps are written
    assert files(root, ".seg") == files(root, ".bits")
    assert every_term_agrees(root) > 10


def test_a_damaged_or_foreign_bitmap_file_is_ignored(tmp_path, caplog):
    fill(tmp_path, 800)
    root = tmp_path / "index"
    update(root, tmp_path / "warta.sqlite3")
    (path,) = current_generation(root).glob("*.bits")
    whole = path.read_bytes()
    caplog.set_level(logging.WARNING, logger="indexer.bitmaps")
    for damaged in (b"not a bitmap file", whole[:len(whole) - 40], whole.replace(b'"docs":800', b'"docs":900'),
                    whole[:40]):
        path.write_bytes(damaged)
        assert every_term_agrees(root) >= 0
        assert "ignoring" in caplog.text
        caplog.clear()
