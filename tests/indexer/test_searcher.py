"""A searcher that lives for months: right answers across commits, rebuilds, empty indexes and bad dates.

These tests write a real store and a real Whoosh index on disk and search them the way `warta serve`
does: one long-lived Searcher shared by threads while `update` commits beside it. Every answer is
checked against a searcher opened fresh on the same commit.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.generations import current_generation
from indexer.index import update
from indexer.search import SORTS, Searcher, SearchRequest
from store import Article, Store

WORDS = ("banjir langkat pemko binjai anggaran dprd puskesmas jalan pasar vaksinasi korupsi gratifikasi "
         "pelayanan warga kecamatan bupati camat lurah sekolah bantuan").split()


def article(n: int, rng: random.Random, dated: bool = True) -> Article:
    """Short articles from a small vocabulary: many share words and lengths, so scores tie often."""
    body = " ".join(rng.choice(WORDS) for _ in range(rng.choice((8, 8, 12))))
    when = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(30)) if dated else None
    return Article(url=f"https://contoh.go.id/berita/baca/{n}/berita-nomor-{n}", outlet=rng.choice(("a", "b")),
                   title=f"Berita {rng.choice(WORDS)}", text=body + ".", published=when)


def fill(data: Path, count: int, seed: int = 1) -> list[Article]:
    rng = random.Random(seed)
    made = [article(n, rng, dated=n % 7 != 0) for n in range(count)]
    with Store(data / "warta.sqlite3") as store:
        for a in made:
            store.save(a)
    return made


def every_id(searcher: Searcher, query: str, sort: str = "relevance", per_page: int = 50) -> list[str]:
    """All hit ids of a query, page by page, as a client paging through it sees them."""
    first = searcher.search(SearchRequest(query, sort=sort, per_page=per_page))
    ids = [h.article.id for h in first.hits]
    for page in range(2, first.pages + 1):
        ids += [h.article.id for h in searcher.search(SearchRequest(query, sort=sort, page=page,
                                                                    per_page=per_page)).hits]
    return ids


def caught_up(searcher: Searcher, seconds: float = 30) -> None:
    """Wait until the searcher answers from the latest commit.

    While one thread opens the catalog of a new commit, the others keep answering from the previous
    one (each answer from one consistent commit); a moment later everyone is on the new one.
    """
    deadline = time.monotonic() + seconds
    while not searcher.catalog().searcher.up_to_date():
        assert time.monotonic() < deadline, "the searcher never moved to the latest commit"
        time.sleep(0.01)


@pytest.fixture(scope="module")
def paged(tmp_path_factory) -> Searcher:
    data = tmp_path_factory.mktemp("paged")
    fill(data, 400)
    update(data / "index", data / "warta.sqlite3")
    return Searcher(data / "index")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.sampled_from(["banjir", "banjir OR korupsi", "pemko OR binjai OR jalan", "warga -camat",
                              "berita", "pelayanan"]),
       sort=st.sampled_from(SORTS), per_page=st.integers(1, 50))
def test_every_hit_appears_exactly_once_across_pages(paged, query, sort, per_page):
    result = paged.search(SearchRequest(query, sort=sort, per_page=per_page))
    if result.total > 1000 or result.total // per_page > 40:
        return  # deeper than served, or too many pages for one example
    ids = every_id(paged, query, sort, per_page)
    assert len(ids) == len(set(ids)) == result.total


def test_pages_of_tied_scores_follow_one_order(paged):
    """Many articles score alike; page 2 continues page 1 whatever the page size."""
    small = every_id(paged, "berita", per_page=7)[:70]
    large = every_id(paged, "berita", per_page=50)[:70]
    assert small == large


def test_a_long_lived_searcher_follows_adds_edits_and_deletes_while_threads_search(tmp_path):
    made = fill(tmp_path, 120)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    live = Searcher(tmp_path / "index")
    rng = random.Random(7)
    problems: list[str] = []
    stop = threading.Event()

    def client():
        while not stop.is_set():
            try:
                for sort in SORTS:
                    result = live.search(SearchRequest("banjir OR pemko OR berita", sort=sort, per_page=50))
                    ids = [h.article.id for h in result.hits]
                    if len(ids) != len(set(ids)):
                        problems.append(f"duplicate ids in one page ({sort})")
            except Exception as exc:
                problems.append(repr(exc))

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        next_n = len(made)
        for _round in range(5):
            with Store(tmp_path / "warta.sqlite3") as store:
                for a in rng.sample(made, 10):  # edit: the same URL with new words
                    store.save(replace(a, text=a.text + f" banjir susulan ronde {_round}."))
                for a in rng.sample(made, 5):  # delete
                    if store.delete(a.url):
                        made.remove(a)
                for _ in range(10):  # add
                    made.append(article(next_n, rng))
                    store.save(made[-1])
                    next_n += 1
            update(tmp_path / "index", tmp_path / "warta.sqlite3", commit_every=7)
            caught_up(live)
            for query in ("banjir", "berita", "ronde", "banjir OR pemko"):
                for sort in SORTS:
                    old = every_id(live, query, sort)
                    fresh = every_id(Searcher(tmp_path / "index"), query, sort)
                    assert old == fresh, f"long-lived searcher drifted for {query!r} ({sort})"
                    assert len(old) == len(set(old))
            with Store(tmp_path / "warta.sqlite3") as store:
                assert live.search(SearchRequest("berita", per_page=1)).total == store.count()
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not problems, problems[:5]


def test_a_replaced_catalog_is_closed_once_its_last_request_ends(tmp_path):
    fill(tmp_path, 30)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    searcher = Searcher(tmp_path / "index")
    with searcher.index.using() as held:  # a request in flight on the first commit
        with Store(tmp_path / "warta.sqlite3") as store:
            store.save(article(999, random.Random(3)))
        update(tmp_path / "index", tmp_path / "warta.sqlite3")
        newer = searcher.catalog()
        assert newer is not held and held.retired and not held.searcher.is_closed
        assert held.n_docs == 30 and newer.n_docs == 31  # the request in flight keeps its snapshot
    assert held.searcher.is_closed and not newer.searcher.is_closed


def test_a_generation_is_removed_only_when_no_searcher_holds_it(tmp_path):
    fill(tmp_path, 30)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    first = current_generation(tmp_path / "index")
    reader = Searcher(tmp_path / "index")
    assert reader.search(SearchRequest("berita")).total == 30
    update(tmp_path / "index", tmp_path / "warta.sqlite3", rebuild=True)
    second = current_generation(tmp_path / "index")
    update(tmp_path / "index", tmp_path / "warta.sqlite3", rebuild=True)
    # the searcher still holds the first generation: it stays; the unheld second one went
    assert first.exists() and not second.exists()
    assert reader.search(SearchRequest("berita")).total == 30  # moves on to the live generation
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    assert not first.exists()
    assert [p.name for p in (tmp_path / "index").glob("gen-*")] == [current_generation(tmp_path / "index").name]


def test_a_half_built_generation_is_removed_by_the_next_update(tmp_path):
    fill(tmp_path, 10)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    leftover = tmp_path / "index" / "gen-20200101T000000000000"  # what a killed rebuild leaves
    leftover.mkdir()
    (leftover / "_MAIN_1.toc").write_bytes(b"half")
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    assert not leftover.exists()


def test_an_empty_first_index_is_not_a_trap(tmp_path):
    Store(tmp_path / "warta.sqlite3").close()
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    searcher = Searcher(tmp_path / "index")
    assert searcher.search(SearchRequest("banjir")).total == 0
    assert searcher.outlet_counts() == {}
    again = update(tmp_path / "index", tmp_path / "warta.sqlite3")
    assert not again.rebuilt
    fill(tmp_path, 12)
    report = update(tmp_path / "index", tmp_path / "warta.sqlite3")
    assert report.new == 12 and not report.rebuilt
    assert searcher.search(SearchRequest("berita")).total == 12


def test_undated_and_absurdly_dated_articles_neither_stop_indexing_nor_filters(tmp_path):
    rng = random.Random(5)
    odd = [replace(article(1, rng), published=datetime(9999, 12, 31, 23, tzinfo=UTC)),
           replace(article(2, rng), published=datetime(1, 1, 1, tzinfo=UTC)),
           replace(article(3, rng), published=None),
           replace(article(4, rng), published=datetime(2025, 3, 1, tzinfo=UTC))]
    with Store(tmp_path / "warta.sqlite3") as store:
        for a in odd:
            store.save(a)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    assert update(tmp_path / "index", tmp_path / "warta.sqlite3").unchanged == 4  # and again: no crash
    searcher = Searcher(tmp_path / "index")
    newest = searcher.search(SearchRequest("berita", sort="newest"))
    assert [h.article.published for h in newest.hits][0] == datetime(2025, 3, 1)
    assert [h.article.published for h in newest.hits][1:] == [None, None, None]  # undated come last
    wide = searcher.search(SearchRequest("berita", date_from=date(1, 1, 1), date_to=date(9999, 12, 31)))
    assert wide.total == 1


def test_a_lexicon_change_restems_words_the_old_cache_knew(tmp_path):
    from indexer.generations import open_index
    from indexer.lexicon import load, parse

    with Store(tmp_path / "warta.sqlite3") as store:
        store.save(Article(url="https://contoh.go.id/berita/baca/1/perbaungan-banjir-lagi", outlet="a",
                           title="Perbaungan banjir", text="Warga Perbaungan mengungsi karena banjir."))
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    assert "perbaungan" not in set(open_index(tmp_path / "index").reader().field_terms("body"))  # stemmed
    text = load().path.read_text(encoding="utf-8").replace("[unstemmed]\nwords = [",
                                                           "[unstemmed]\nwords = [\"perbaungan\", ")
    assert "perbaungan" in text
    protected = parse(text)
    report = update(tmp_path / "index", tmp_path / "warta.sqlite3", lexicon=protected)
    assert report.rebuilt
    assert "perbaungan" in set(open_index(tmp_path / "index", protected).reader().field_terms("body"))


def test_an_article_stored_under_a_javascript_url_never_becomes_a_link(tmp_path):
    rng = random.Random(8)
    with Store(tmp_path / "warta.sqlite3") as store:
        store.save(replace(article(1, rng), url="javascript://contoh.go.id/%0Aalert(1)"))
        store.save(article(2, rng))
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    hits = Searcher(tmp_path / "index").search(SearchRequest("berita", collapse=False)).hits
    assert len(hits) == 1 and hits[0].article.url.startswith("https://contoh.go.id/")


def test_searches_never_fail_while_commits_and_rebuilds_land(tmp_path):
    """Threads search without pause while updates commit every few documents and rebuilds flip generations:
    every commit removes the files of the one before, and no search may trip over them."""
    made = fill(tmp_path, 150)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    live = Searcher(tmp_path / "index")
    failures: list[str] = []
    done = threading.Event()
    searched = [0]

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while not done.is_set():
            try:
                live.search(SearchRequest(rng.choice(["banjir", "berita", "pemko OR jalan"]), sort=rng.choice(SORTS),
                                          page=rng.choice((1, 2, 3)), per_page=rng.choice((5, 20))))
                searched[0] += 1
            except Exception as exc:
                failures.append(repr(exc))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    rng = random.Random(11)
    try:
        deadline = time.monotonic() + 8
        n = 1000
        while time.monotonic() < deadline:
            with Store(tmp_path / "warta.sqlite3") as store:
                for a in rng.sample(made, 3):
                    store.save(replace(a, text=a.text + f" ronde {n}."))
                store.save(article(n, rng))
                n += 1
            update(tmp_path / "index", tmp_path / "warta.sqlite3", commit_every=2, rebuild=rng.random() < 0.15)
    finally:
        done.set()
        for t in threads:
            t.join()
    assert searched[0] > 50 and not failures, failures[:3]


def test_an_update_of_undated_articles_only_leaves_every_other_date_where_it_was(tmp_path):
    """Such an update writes a segment with no date column at all; dates read after it must not shift."""
    fill(tmp_path, 30)
    update(tmp_path / "index", tmp_path / "warta.sqlite3", procs=1)
    rng = random.Random(3)
    with Store(tmp_path / "warta.sqlite3") as store:
        for n in range(500, 502):
            store.save(article(n, rng, dated=False))
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    with Store(tmp_path / "warta.sqlite3") as store:
        for n in range(600, 603):
            store.save(article(n, rng))
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    searcher = Searcher(tmp_path / "index")
    with Store(tmp_path / "warta.sqlite3") as store:
        truth = {a.title + a.text: a.published for a, _ in store.articles_for(store.hashes())}
    hits = searcher.search(SearchRequest("berita", sort="newest", per_page=50, collapse=False)).hits
    order = [truth[h.article.title + h.article.body] for h in hits]
    dated = [w for w in order if w is not None]
    assert dated == sorted(dated, reverse=True) and order[:len(dated)] == dated  # newest first, undated last
