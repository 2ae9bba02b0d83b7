"""The Indonesian analyzer: what a text becomes in the index, and what a query becomes."""

from __future__ import annotations

import pickle
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.formats import Positions

from indexer.analysis import index_terms, indonesian_analyzer, terms
from indexer.lexicon import LexiconError, load, parse
from indexer.schema import TermPositions
from tests.conftest import SEARCH_ARTICLES


@pytest.fixture(scope="module")
def analyzer():
    return indonesian_analyzer(load())


@pytest.mark.parametrize("word", ["pelayanan", "melayani", "dilayani", "layanan", "pelayan"])
def test_morphological_variants_meet_at_one_stem(analyzer, word):
    assert terms(analyzer, word) == ["layan"]


@pytest.mark.parametrize(("words", "stem"), [
    (["penegakan", "menegakkan", "tegak"], "tegak"), (["penyidikan", "penyidik"], "sidik"),
    (["penyelidikan", "menyelidiki"], "selidik"), (["kerusakan", "rusak"], "rusak"),
    (["penarikan", "menarik"], "tarik"), (["perpajakan", "pajak"], "pajak"), (["perbankan", "bank"], "bank"),
    (["pemasukan", "masuk"], "masuk"), (["kenakan", "dikenakan"], "kena"), (["perlukan", "diperlukan"], "perlu"),
])
def test_nouns_in_an_from_roots_in_k_keep_their_root(analyzer, words, stem):
    """Sastrawi read "kerusakan" as rusa-kan (deer) and "penarikan" as tari-kan (dance); the pe-/per-/ke-
    nouns take -an, while verbs in -kan whose root starts like a prefix keep their reading."""
    assert [terms(analyzer, w) for w in words] == [[stem]] * len(words)


def test_clitics_and_reduplication_fold(analyzer):
    assert terms(analyzer, "rumahnya") == ["rumah"]
    assert terms(analyzer, "kota-kota") == ["kota"]
    assert terms(analyzer, "Pemkonya") == ["pemko"]  # -nya on an abbreviation Sastrawi does not know


def test_numbers_and_dates_are_single_normalized_terms(analyzer):
    assert terms(analyzer, "Senin (19/08/2025) Rp 1.500.000 naik 2,5 persen") == [
        "senin", "19/8/2025", "rp", "1500000", "naik", "2,5", "persen"]


def test_function_words_are_dropped_but_searchable_words_are_kept(analyzer):
    assert terms(analyzer, "yang dan di ke dari untuk") == []
    # Sastrawi's own stopword list would drop these; people search for them.
    assert terms(analyzer, "kasus hari ibu kerja baru") == ["kasus", "hari", "ibu", "kerja", "baru"]


def test_place_names_that_look_derived_are_not_stemmed(analyzer):
    assert terms(analyzer, "Perdagangan Kisaran") == ["perdagangan", "kisaran"]


@pytest.mark.parametrize(("text", "key"), [
    ("Pemko", "pemko"), ("Pemkot", "pemko"), ("Pemerintah Kota", "pemko"), ("Pemerintahan Kota", "pemko"),
    ("Wali Kota", "walikota"), ("Walikota", "walikota"),
    ("Pematangsiantar", "siantar"), ("Pematang Siantar", "siantar"), ("Siantar", "siantar"),
    ("Sumatera Utara", "sumut"), ("Sumatra Utara", "sumut"),
    ("Dinas Kesehatan", "dinkes"), ("Rumah Sakit Umum Daerah", "rsud"),
    ("Aparatur Sipil Negara", "asn"), ("Dinas Komunikasi dan Informatika", "diskominfo"),
])
def test_every_form_of_a_group_indexes_and_queries_as_its_key(analyzer, text, key):
    assert key in terms(analyzer, text)
    assert terms(analyzer, text, mode="query") == [key]


def test_multiword_forms_keep_their_own_words_in_the_index(analyzer):
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in analyzer("Pemerintah Kota Medan", positions=True, chars=True)]
    assert tokens == [("perintah", 0, 0, 10), ("kota", 1, 11, 15), ("pemko", 1, 0, 15), ("medan", 2, 16, 21)]


def test_longest_form_wins(analyzer):
    assert "dprd" in terms(analyzer, "Dewan Perwakilan Rakyat Daerah")
    assert "dpr" not in terms(analyzer, "Dewan Perwakilan Rakyat Daerah")
    assert "dpr" in terms(analyzer, "Dewan Perwakilan Rakyat pusat")


def test_analyzer_survives_pickling_as_whoosh_stores_it(analyzer):
    again = pickle.loads(pickle.dumps(analyzer))
    assert terms(again, "Wali Kota melayani") == terms(analyzer, "Wali Kota melayani")


def test_lexicon_rejects_a_form_in_two_groups():
    with pytest.raises(LexiconError, match="both"):
        parse('[a]\npemko = ["pemerintah kota"]\n[b]\npemkab = ["pemerintah kota"]\n')


def test_lexicon_reports_bad_toml_and_shapes():
    with pytest.raises(LexiconError, match="not valid TOML"):
        parse("[a\n")
    with pytest.raises(LexiconError, match="list of strings"):
        parse('[a]\npemko = "pemkot"\n')
    with pytest.raises(LexiconError, match="one word"):
        parse('[a]\n"wali kota" = ["walikota"]\n')


def test_lexicon_digest_changes_with_its_text():
    assert parse('[a]\nx = ["y"]\n').digest != parse('[a]\nx = ["z"]\n').digest


def _vocabulary() -> list[str]:
    """Words that exercise every step: lexicon forms (one and several words, overlapping), stopwords,
    numbers, dates, reduplication, clitics, punctuation and non-Latin text."""
    lexicon = load()
    forms = [form for key, group in lexicon.groups.items() for form in (key, *group)]
    return [*forms, *sorted(lexicon.stopwords)[:40], "wakil", "kota", "pemerintah", "medan", "pematang",
            "siantar", "Pemkonya", "kota-kota", "1.500.000", "2,5", "19/08/2025", "(", ")", ",", ".", "—",
            "pelayanan", "melayani", "dilayani", "rumahnya", "Kabupaten", "PEMKO", "ASN", "opd", "سلام", "x"]


@settings(max_examples=400, deadline=None)
@given(words=st.lists(st.sampled_from(_vocabulary()), max_size=40),
       sep=st.sampled_from([" ", "  ", "\n", ", "]))
def test_the_plain_string_index_path_writes_what_the_token_chain_writes(words, sep):
    analyzer = indonesian_analyzer(load())
    text = sep.join(words)
    fast = list(TermPositions(field_boost=1.0).word_values(text, analyzer, mode="index"))
    chain = list(Positions(field_boost=1.0).word_values(text, analyzer, mode="index"))
    assert fast == chain
    assert index_terms(analyzer, text) is not None  # the plain path ran, not the fallback


def test_the_plain_string_index_path_on_whole_articles():
    analyzer = indonesian_analyzer(load())
    articles = tomllib.loads(SEARCH_ARTICLES.read_text(encoding="utf-8"))["article"]
    assert len(articles) >= 8
    for article in articles:
        for text in (article["title"], "\n\n".join(article["paragraphs"])):
            fast = list(TermPositions(field_boost=1.0).word_values(text, analyzer, mode="index"))
            assert fast == list(Positions(field_boost=1.0).word_values(text, analyzer, mode="index"))
