"""Stories: syndicated copies of one release grouped at index time, collapsed in results."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from indexer.generations import open_index
from indexer.index import update
from indexer.search import Searcher, SearchRequest
from indexer.stories import Grouper, containment, fingerprint
from store import Article, Store
from tests.indexer.story_pairs import edited, pairs, repository_texts


def test_judged_pairs_group_as_judged():
    judged = pairs(repository_texts())
    assert len(judged) >= 100 and 0.2 < sum(p.same for p in judged) / len(judged) < 0.8
    said = []
    for pair in judged:
        grouper = Grouper()
        first = grouper.assign("a", *pair.a)["story"]
        said.append(grouper.assign("b", *pair.b)["story"] == first)
    tp = sum(1 for p, s in zip(judged, said, strict=True) if s and p.same)
    fp = sum(1 for p, s in zip(judged, said, strict=True) if s and not p.same)
    fn = sum(1 for p, s in zip(judged, said, strict=True) if not s and p.same)
    assert tp / (tp + fp) >= 0.98 and tp / (tp + fn) >= 0.95, (tp, fp, fn)


def test_fingerprints_are_datasketchs_minhash():
    """stories.py computes datasketch's affine32 MinHash itself, in one array operation; the values must be
    the library's, so a datasketch upgrade that changes them is caught here, not in grouping quality."""
    import numpy as np
    from datasketch import MinHash

    from indexer import stories

    text = repository_texts()[1]
    found = stories.shingle_hashes(text.title, "\n\n".join(text.paragraphs))
    reference = MinHash(num_perm=stories.NUM_PERM, seed=stories.SEED, hashfunc=int)
    reference.update_batch(found.tolist())
    assert np.array_equal(fingerprint(text.title, "\n\n".join(text.paragraphs)).hashes,
                          np.asarray(reference.hashvalues, dtype=np.uint64))


def test_a_text_that_comes_back_weeks_later_is_a_new_story():
    """A Humas reuses last year's release; an outlet's copy runs within days. Undated articles still group."""
    text = repository_texts()[0]
    body = "\n\n".join(text.paragraphs)
    day = datetime(2025, 3, 3, 9, tzinfo=UTC)
    grouper = Grouper()
    first = grouper.assign("release", text.title, body, day)["story"]
    assert grouper.assign("copy", text.title, body, day + timedelta(days=3))["story"] == first
    assert grouper.assign("next-year", text.title, body, day + timedelta(days=365))["story"] == "next-year"
    assert grouper.assign("undated", text.title, body, None)["story"] in (first, "next-year")


@pytest.mark.parametrize("start", range(7))  # every weekday: the band table is ordered by week
def test_copies_up_to_story_days_apart_meet_across_week_boundaries_in_either_order(start):
    from indexer.stories import STORY_DAYS

    text = repository_texts()[2]
    body = "\n\n".join(text.paragraphs)
    day = datetime(2025, 3, 3, 9, tzinfo=UTC) + timedelta(days=start)
    for gap in (STORY_DAYS, -STORY_DAYS):
        grouper = Grouper()
        first = grouper.assign("release", text.title, body, day)["story"]
        assert grouper.assign("copy", text.title, body, day + timedelta(days=gap))["story"] == first
        assert grouper.assign("late", text.title, body, day + timedelta(days=3 * gap))["story"] == "late"
    grouper = Grouper()  # an undated article is a candidate of any dated one, and the other way round
    first = grouper.assign("undated", text.title, body, None)["story"]
    assert grouper.assign("dated", text.title, body, day + timedelta(days=400))["story"] == first


@pytest.mark.parametrize("seed", range(4))
def test_a_rebuilds_grouping_at_once_equals_assigning_one_by_one(seed, tmp_path):
    """stories.group and group_table (a rebuild) against Grouper.assign on the same articles in the same
    order: originals, edited copies within and beyond STORY_DAYS, undated ones, texts too short to band."""
    import sqlite3

    from indexer.stories import Prints, group, group_table

    rng = random.Random(seed)
    texts = repository_texts()
    day = datetime(2025, 3, 3, 9, tzinfo=UTC)
    articles = []
    for n in range(120):
        text = rng.choice(texts)
        title, body = edited(text, rng)[0] if rng.random() < 0.6 else (text.title, "\n\n".join(text.paragraphs))
        if rng.random() < 0.05:
            body = " ".join(body.split()[:8])
        when = None if rng.random() < 0.15 else day + timedelta(days=rng.randint(-40, 40), hours=rng.randint(0, 23))
        articles.append((f"{n:04d}-{rng.random():.6f}", title, body, when))
    grouper = Grouper(tmp_path / "one.sqlite3")
    one_by_one = [grouper.assign(*article)["story"] for article in articles]
    grouper.close()
    prints = Prints.join([Prints.of(articles[:50]), Prints.of(articles[50:])])
    at_once = group(prints)
    assert at_once == one_by_one
    assert group(prints, budget=7) == one_by_one  # scored in many small parts
    assert len(set(at_once)) < len(at_once) - 20  # copies did group
    group_table(tmp_path / "all.sqlite3", prints, at_once)
    tables = []
    for name in ("one", "all"):
        db = sqlite3.connect(tmp_path / f"{name}.sqlite3")
        tables.append([sorted(db.execute(f"SELECT * FROM {t}")) for t in ("member", "band", "week")])
        db.close()
    assert tables[0] == tables[1]


def test_a_cut_copy_is_contained_in_its_original():
    text = repository_texts()[0]
    whole = "\n\n".join(text.paragraphs)
    cut = "\n\n".join(text.paragraphs[:3])
    assert containment(fingerprint(text.title, whole), fingerprint(text.title, cut)) > 0.9
    assert containment(fingerprint("", "kota binjai"), fingerprint("", "kota binjai")) == 0  # too short to judge


OUTLETS = ("pemkobinjai", "tri3news", "sumutpos", "waspada")


def syndicate(data: Path, seed: int = 4) -> dict[str, list[Article]]:
    """Each repository text published by up to four outlets, the .go.id portal first, a day apart."""
    rng = random.Random(seed)
    stories: dict[str, list[Article]] = {}
    for n, text in enumerate(repository_texts()):
        day = datetime(2025, 1, 1, 9, tzinfo=UTC) + timedelta(days=3 * n)
        copies = []
        for k, outlet in enumerate(OUTLETS[: 1 + n % 4]):
            title, body = (text.title, "\n\n".join(text.paragraphs)) if k == 0 else edited(text, rng, most=2)[0]
            copies.append(Article(url=f"https://{outlet}.example/berita/{n}-salinan-ke-{k}", outlet=outlet,
                                  title=title, text=body, published=day + timedelta(hours=5 * k)))
        stories[text.key] = copies
    return stories


def save(data: Path, articles: list[Article]) -> None:
    with Store(data / "warta.sqlite3") as store:
        for a in articles:
            store.save(a)


@pytest.fixture
def grouped(tmp_path) -> tuple[Path, dict[str, list[Article]]]:
    stories = syndicate(tmp_path)
    # the originals in one update, the copies in a later one: grouping is incremental
    save(tmp_path, [copies[0] for copies in stories.values()])
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    save(tmp_path, [a for copies in stories.values() for a in copies[1:]])
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    return tmp_path, stories


def partition(index: Path) -> set[frozenset[str]]:
    """The stories of an index as sets of URLs."""
    groups: dict[str, set[str]] = {}
    with open_index(index).searcher() as s:
        for fields in s.all_stored_fields():
            groups.setdefault(fields["story"], set()).add(fields["url"])
    return {frozenset(g) for g in groups.values()}


def test_copies_indexed_later_join_their_story_and_a_rebuild_groups_the_same(grouped):
    data, stories = grouped
    expected = {frozenset(a.url for a in copies) for copies in stories.values()}
    assert partition(data / "index") == expected
    update(data / "index", data / "warta.sqlite3", rebuild=True)
    assert partition(data / "index") == expected


def test_results_show_each_story_once_with_its_copies_the_first_published_on_top(grouped):
    data, stories = grouped
    searcher = Searcher(data / "index")
    query = "kota OR kabupaten OR warga OR pemerintah"
    flat = searcher.search(SearchRequest(query, per_page=50, collapse=False))
    result = searcher.search(SearchRequest(query, per_page=50))
    matched = [copies for copies in stories.values() if any(h.article.url in {a.url for a in copies}
                                                            for h in flat.hits)]
    assert flat.total == sum(len(c) for c in matched) and result.total == len(matched)
    assert len({h.article.story for h in result.hits}) == len(result.hits) == len(matched)
    for hit in result.hits:
        copies = next(c for c in matched if hit.article.url in {a.url for a in c})
        assert hit.article.url == copies[0].url  # the earliest copy represents the story
        assert [c.url for c in hit.copies] == [a.url for a in copies[1:]]  # the others, oldest first
    for sort in ("newest", "oldest"):
        assert searcher.search(SearchRequest(query, sort=sort, per_page=50)).total == len(matched)
    # facets count stories: every story has a copy on the first outlet
    outlets = {c.value: c.count for c in result.facets["outlet"]}
    assert outlets["pemkobinjai"] == len(matched)
    flat_outlets = {c.value: c.count for c in flat.facets["outlet"]}
    assert flat_outlets["pemkobinjai"] == len(matched) and sum(flat_outlets.values()) == flat.total


def test_a_page_of_ten_shows_ten_stories(grouped):
    data, _ = grouped
    searcher = Searcher(data / "index")
    query = "kota OR kabupaten OR warga OR pemerintah"
    total = searcher.search(SearchRequest(query, per_page=10)).total
    seen = []
    for page in range(1, -(-total // 3) + 1):
        hits = searcher.search(SearchRequest(query, page=page, per_page=3)).hits
        assert len(hits) == min(3, total - 3 * (page - 1))
        seen += [h.article.story for h in hits]
    assert len(seen) == len(set(seen)) == total


def test_a_filter_shows_the_copy_it_selects(grouped):
    data, stories = grouped
    searcher = Searcher(data / "index")
    result = searcher.search(SearchRequest("kota OR warga OR pemerintah", outlets=("waspada",), per_page=50))
    assert result.hits and all(h.article.outlet == "waspada" for h in result.hits)
    assert all(h.copies for h in result.hits)  # the story's other copies are still listed


def test_deleting_the_first_copy_keeps_the_rest_together(grouped):
    data, stories = grouped
    copies = max(stories.values(), key=len)
    with Store(data / "warta.sqlite3") as store:
        store.delete(copies[0].url)
    update(data / "index", data / "warta.sqlite3")
    assert frozenset(a.url for a in copies[1:]) in partition(data / "index")
    hit = next(h for h in Searcher(data / "index").search(SearchRequest(copies[1].title.split()[0],
                                                                        per_page=50)).hits
               if h.article.url == copies[1].url)
    assert [c.url for c in hit.copies] == [a.url for a in copies[2:]]


def test_near_matches_leave_out_the_stories_the_full_hits_show(grouped):
    """A story's copy with every word is a full hit; its other copies, lacking one word, are not offered
    again below it as a near match."""
    data, stories = grouped
    copies = next(c for c in stories.values() if len(c) >= 3)
    save(data, [replace(copies[0], text=copies[0].text + "\n\nWarga menyebutnya zamrudkuning.")])
    update(data / "index", data / "warta.sqlite3")
    shared = set.intersection(*({w for w in re.findall(r"[a-z]{6,}", a.text.lower())} for a in copies))
    searcher = Searcher(data / "index")
    found = {w: searcher.search(SearchRequest(w, per_page=1)).total for w in shared}
    word = min((w for w in shared if found[w]), key=found.get)  # the rarest, not a function word
    result = searcher.search(SearchRequest(f"zamrudkuning {word}", per_page=50))
    assert [h.article.url for h in result.hits] == [copies[0].url]
    flat = searcher.search(SearchRequest(f"zamrudkuning {word}", per_page=50, collapse=False))
    assert {a.url for a in copies[1:]} <= {h.article.url for h in flat.partial}  # near matches, uncollapsed
    assert result.hits[0].article.story not in {h.article.story for h in result.partial}
