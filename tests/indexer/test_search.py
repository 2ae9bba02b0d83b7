"""Search over real crawled mirror articles, query by query (tests/indexer/articles.toml has the texts)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from indexer.search import MAX_DEPTH, MAX_PER_PAGE, Searcher, SearchError, SearchRequest
from tests.conftest import warta

TITLES = {
    "banjir_medan": "Pemerintah Kota Medan Tangani Banjir di Medan Johor",
    "kolam": "Pemko Medan Bangun Kolam Retensi untuk Atasi Genangan",
    "rsud": "Walikota Pematang Siantar Resmikan Gedung Baru RSUD Djasamen Saragih",
    "puskesmas": "Wali Kota Pematangsiantar Minta Dinkes Perkuat Puskesmas",
    "bansos": "Pemprov Sumut Salurkan Bantuan Sosial bagi Warga Terdampak Kenaikan Harga Beras",
    "spbe": "Ratusan Aparatur Sipil Negara Binjai Ikuti Pelatihan Sistem Pemerintahan Berbasis Elektronik",
    "layanan": "Kota-kota di Sumatera Utara Berlomba Tingkatkan Layanannya",
}


@pytest.fixture(scope="module")
def searcher(search_data):
    return Searcher(search_data.index)


def titles(searcher: Searcher, query: str, **kw) -> list[str]:
    """Every hit's title, in rank order, across pages."""
    found: list[str] = []
    for page in range(1, 100):
        result = searcher.search(SearchRequest(query, per_page=50, page=page, **kw))
        found += [h.article.title for h in result.hits]
        if len(found) >= result.total or not result.hits:
            break
    assert len(found) == result.total
    return found


@pytest.mark.parametrize(("query", "expected"), [
    # morphology: the article says "dilayani", "melayani", "layanannya"
    ("pelayanan warga", {"banjir_medan", "puskesmas"}),
    # acronym -> full form and full form -> acronym
    ("dinas kesehatan puskesmas", {"puskesmas", "banjir_medan"}),
    ("dinkes", {"puskesmas", "banjir_medan"}),
    ("asn spbe", {"spbe"}),
    ("rumah sakit umum daerah", {"rsud"}),
    ("bansos", {"bansos"}),
    # place aliases and compound spellings, both ways
    ("walikota siantar", {"rsud", "puskesmas"}),
    ("wali kota pematangsiantar", {"rsud", "puskesmas"}),
    ("pemko medan banjir", {"banjir_medan", "kolam"}),
    ("pemerintah kota medan banjir", {"banjir_medan", "kolam"}),
    ("sumut bantuan sosial", {"bansos"}),
    ("sumatera utara bansos", {"bansos"}),
])
def test_variants_acronyms_aliases_and_compounds_find_each_other(searcher, query, expected):
    found = titles(searcher, query)
    assert {TITLES[k] for k in expected} <= set(found), found


def test_words_are_anded(searcher):
    found = titles(searcher, "kolam puskesmas")
    assert found == []


def test_near_matches_follow_when_the_full_matches_are_few(searcher):
    """A relevant story often lacks one word of a query ("warga miskin" and an article on "kemiskinan"):
    when every full match fits on the first page, hits with all but one of the words come after them,
    uncounted, under the same exclusions and filters; with full matches to fill the page there are none."""
    def near(query: str, **kw) -> list[str]:
        result = searcher.search(SearchRequest(query, per_page=50, **kw))
        assert not {h.article.id for h in result.hits} & {h.article.id for h in result.partial}
        return [h.article.title for h in result.partial]

    both = searcher.search(SearchRequest("kolam puskesmas", per_page=50))
    assert both.total == 0 and both.hits == []
    assert {TITLES["kolam"], TITLES["puskesmas"]} <= set(near("kolam puskesmas"))
    assert searcher.timeline(SearchRequest("kolam puskesmas")).total == 0  # the timeline counts full matches
    two_of_three = near("kolam retensi puskesmas")
    assert TITLES["kolam"] in two_of_three and TITLES["puskesmas"] not in two_of_three
    assert TITLES["kolam"] not in near("kolam puskesmas -retensi")
    filtered = searcher.search(SearchRequest("kolam puskesmas", outlets=("waspada",)))
    assert {h.article.outlet for h in filtered.partial} == {"waspada"}
    for few_words in ("puskesmas", "retensi OR djasamen", '"kolam retensi"'):
        assert near(few_words) == []
    assert near("kolam puskesmas", sort="newest") == []
    full = searcher.search(SearchRequest("pemko medan", per_page=1))
    assert full.total > 1 and full.partial == []


def test_quoted_phrase_needs_the_words_in_order(searcher):
    assert titles(searcher, '"kolam retensi"') == [TITLES["kolam"]]
    assert titles(searcher, '"retensi kolam"') == []
    # a phrase with a joined form matches either spelling of it
    assert TITLES["kolam"] in titles(searcher, '"pemerintah kota medan"')
    assert TITLES["banjir_medan"] in titles(searcher, '"pemko medan"')


def test_exclusion_or_and_title_field(searcher):
    assert TITLES["kolam"] in titles(searcher, "banjir medan -johor")
    assert TITLES["banjir_medan"] not in titles(searcher, "banjir medan -johor")
    assert {TITLES["kolam"], TITLES["rsud"]} <= set(titles(searcher, "retensi OR djasamen"))
    in_body_only = titles(searcher, "posko")
    assert TITLES["banjir_medan"] in in_body_only
    assert TITLES["banjir_medan"] not in titles(searcher, "title:posko")
    assert TITLES["puskesmas"] in titles(searcher, "title:puskesmas")


def test_title_matches_rank_first(searcher):
    found = titles(searcher, "puskesmas")
    assert found.index(TITLES["puskesmas"]) < found.index(TITLES["banjir_medan"])


def test_filters_by_outlet_region_and_dates(searcher, search_data):
    assert titles(searcher, "banjir medan", outlets=("waspada",)) == [TITLES["kolam"]]
    assert TITLES["banjir_medan"] in titles(searcher, "banjir medan", outlets=("pemkomedan", "waspada"))
    # regions come from the article, not from its outlet's coverage: Sumut Pos covers Medan and Binjai,
    # its Pematangsiantar story is about Pematangsiantar
    in_region = titles(searcher, "layanan", regions=("kota pematangsiantar",))  # case does not matter
    assert TITLES["puskesmas"] in in_region
    assert TITLES["puskesmas"] not in titles(searcher, "layanan", regions=("Kota Binjai",))
    assert set(in_region) <= set(titles(searcher, "layanan", regions=("Provinsi Sumatera Utara",)))
    by_actor = titles(searcher, "layanan OR puskesmas", actors=("Pemerintah Kota Pematangsiantar",))
    assert TITLES["puskesmas"] in by_actor and TITLES["banjir_medan"] not in by_actor
    assert titles(searcher, "banjir medan", date_from=date(2025, 3, 10), date_to=date(2025, 3, 10)) == [
        TITLES["banjir_medan"]]
    assert TITLES["banjir_medan"] not in titles(searcher, "banjir medan", date_from=date(2025, 3, 11))


def test_newest_and_oldest_sorting(searcher):
    newest = searcher.search(SearchRequest("kota", sort="newest", per_page=50)).hits
    dates = [h.article.published for h in newest]
    assert len(dates) > 5 and dates == sorted(dates, reverse=True)
    oldest = searcher.search(SearchRequest("kota", sort="oldest", per_page=50)).hits
    assert [h.article.published for h in oldest] == sorted(dates)


def test_pages_do_not_overlap_and_cover_the_total(searcher):
    first = searcher.search(SearchRequest("kota", per_page=3))
    second = searcher.search(SearchRequest("kota", per_page=3, page=2))
    everything = searcher.search(SearchRequest("kota", per_page=6))
    assert first.total == second.total == everything.total > 6
    assert [h.article.id for h in first.hits + second.hits] == [h.article.id for h in everything.hits]
    assert first.pages == -(-first.total // 3)


def titled(searcher: Searcher, query: str, title: str):
    """The hit with this title, wherever it ranks among the mirror's other news."""
    return next(h for h in searcher.search(SearchRequest(query, per_page=MAX_PER_PAGE)).hits
                if h.article.title == title)


def test_highlights_mark_the_matched_words_stems_and_forms_included(searcher):
    hit = titled(searcher, "pelayanan posko", TITLES["banjir_medan"])
    assert {"posko", "dilayani"} <= {m.lower() for m in hit.snippet.matched}
    hit = titled(searcher, "pemko medan", TITLES["banjir_medan"])
    assert {"Pemerintah Kota", "Medan", "MEDAN"} <= set(hit.snippet.matched)
    assert "<mark>Pemerintah Kota</mark> <mark>Medan</mark>" in hit.title.html()
    siantar = titled(searcher, "siantar", TITLES["rsud"])
    assert "Pematang Siantar" in siantar.title.matched  # the whole alias, not half of it


def test_snippet_and_title_markup_is_escaped(searcher):
    hit = next(h for h in searcher.search(SearchRequest("hoaks diskominfo", per_page=MAX_PER_PAGE)).hits
               if "<script>" in h.article.title)
    html = hit.title.html() + hit.snippet.html()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert set(html.replace("<mark>", "").replace("</mark>", "")) .isdisjoint({"<", ">"})


def test_suggestions_come_from_the_index_vocabulary(searcher):
    assert searcher.search(SearchRequest("pelayann")).suggestion == "pelayanan"
    assert searcher.search(SearchRequest("puskesmaas dinkes")).suggestion == "puskesmas dinkes"
    assert searcher.search(SearchRequest("pelayanan")).suggestion is None


def test_facets_count_outlets_regions_and_years_disjunctively(searcher):
    result = searcher.search(SearchRequest("banjir medan", outlets=("waspada",)))
    outlets = {c.value: c.count for c in result.facets["outlet"]}
    assert outlets["waspada"] == 1 and outlets["pemkomedan"] >= 1  # other outlets still counted
    names = {c.value: c.label for c in result.facets["outlet"]}
    assert names["waspada"] == "Waspada Online"
    years = [c.value for c in result.facets["year"]]
    assert years == sorted(years, reverse=True) and "2025" in years
    assert sum(c.count for c in result.facets["year"]) == result.total


@pytest.mark.parametrize("query", ['"unclosed phrase', "((banjir", "title:", "AND OR NOT", "banjir)) \"",
                                   "medan^^^", "banjir *:*", "tit?e:x*"])
def test_unparseable_queries_run_as_plain_words(searcher, query):
    """Broken syntax finds what its words find: the same hits, in the same order, never an error."""
    words = " ".join(re.findall(r"\w+", query))
    found = [h.article.id for h in searcher.search(SearchRequest(query, per_page=50)).hits]
    assert found == [h.article.id for h in searcher.search(SearchRequest(words, per_page=50)).hits]


def test_an_exclusion_the_parser_cannot_read_still_excludes(searcher):
    """`(-banjir) medan` defeats Whoosh's parser; its plain words are medan without banjir, never both."""
    result = searcher.search(SearchRequest("(-banjir) medan", per_page=50))
    assert result.fallback and result.parsed == "medan -banjir"
    assert result.total == searcher.search(SearchRequest("medan -banjir")).total > 0
    assert not {h.article.id for h in result.hits} & {h.article.id for h in searcher.search(
        SearchRequest("banjir", per_page=50)).hits}


def test_a_query_with_no_word_to_look_for_says_it_ran_the_plain_words(searcher):
    """The fallback flag the page turns into a notice ("Tanda khusus ... tidak bisa dibaca")."""
    result = searcher.search(SearchRequest("NOT banjir"))
    assert result.fallback and result.parsed == "NOT banjir"
    assert not searcher.search(SearchRequest("banjir medan")).fallback
    assert searcher.search(SearchRequest("((banjir")).total == searcher.search(SearchRequest("banjir")).total > 0


@pytest.mark.parametrize(("request_", "message"), [
    (SearchRequest("x" * 301), "too long"),
    (SearchRequest("---"), "no words"),
    (SearchRequest("-banjir"), "only excludes"),
    (SearchRequest("banjir", per_page=MAX_PER_PAGE + 1), "per_page"),
    (SearchRequest("banjir", page=0), "page"),
    (SearchRequest("banjir", page=MAX_DEPTH, per_page=10), "beyond"),
    (SearchRequest("banjir", sort="popular"), "sort"),
    (SearchRequest("banjir", date_from=date(2025, 2, 1), date_to=date(2025, 1, 1)), "after"),
])
def test_bad_requests_are_clear_errors(searcher, request_, message):
    with pytest.raises(SearchError, match=message):
        searcher.search(request_)


def test_article_by_id_carries_what_a_page_shows(searcher):
    hit = searcher.search(SearchRequest("kolam retensi")).hits[0]
    article = searcher.article(hit.article.id)
    assert article.title == TITLES["kolam"] and "Rp 1.500.000.000" in article.body
    assert article.outlet == "waspada" and article.published.year == 2025
    assert searcher.article("0" * 16) is None


def test_search_command_prints_hits_and_the_api_shape(search_data):
    text = warta("search", "pemko medan banjir", "--outlet", "waspada", data=search_data.data)
    assert text.returncode == 0, text.stderr
    assert "1 stories for 'pemko medan banjir'" in text.stdout
    assert "1. [Pemko] [Medan] Bangun Kolam Retensi" in text.stdout and "2025-06-02 09:05 WIB" in text.stdout
    as_json = json.loads(warta("search", "pemko medan banjir", "--json", data=search_data.data).stdout)
    assert as_json["total"] >= 2 and {h["title"] for h in as_json["hits"]} >= {TITLES["kolam"], TITLES["banjir_medan"]}
    near = warta("search", "kolam puskesmas", data=search_data.data)
    assert "0 stories" in near.stdout and "With all but one of the words" in near.stdout
    assert "Retensi untuk Atasi Genangan" in near.stdout
    bad = warta("search", "banjir", "--from", "kemarin", data=search_data.data)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
