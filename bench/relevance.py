"""Relevance benchmark: warta's Indonesian analysis beside plain Whoosh on the same articles and queries.

    python bench/relevance.py [--verbose] [--judgments pooled|labels] [--split dev|test]

The collection is the mirror corpus (every article the outlet mirror builds from ../shared/corpus, plus
the five seed articles), indexed twice: by warta (`indexer.index.update`, searched through
`indexer.search`) and by Whoosh with its StandardAnalyzer (same fields, same title boost, Whoosh's
BM25F, default AND query parsing). bench/relevance_queries.toml holds the queries. Judgments are either
pooled (the default: bench/relevance_judged.toml, graded by reading the pooled results of all three
systems, see that file) or the corpus's own labels (`--judgments labels`, see relevance_queries.toml).
Printed: nDCG@10, recall@10 (relevant found in the top 10, over all relevant) and capped recall@10 (over
at most 10 relevant, as the BEIR benchmark reports it: a query with 30 relevant articles can still score 1),
overall and by kind of query; with pooled judgments also by split (dev for tuning, test to report).
warta's collapsed results count the way the search page shows them: each story's head, then its copies
listed under it (a copy is a result the reader sees); "flat" is warta with collapsing off.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import tempfile
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.index import update  # noqa: E402
from indexer.query import FIELD_BOOSTS  # noqa: E402
from indexer.search import Searcher, SearchRequest  # noqa: E402
from mirror.build import MirrorConfig, build, load_site_specs  # noqa: E402
from mirror.texts import corpus_path  # noqa: E402
from store import Article, Store  # noqa: E402

QUERIES = Path(__file__).with_name("relevance_queries.toml")
JUDGED = Path(__file__).with_name("relevance_judged.toml")
K = 10


def collection() -> list[Article]:
    """The articles of a mirror big enough to hold the whole corpus, as warta would store them."""
    sites = build(MirrorConfig(articles_per_site=100, reserve_per_site=0), load_site_specs())
    return [Article(url=f"https://{s.spec.id}.example/{a.path.lstrip('/')}", outlet=s.spec.id, title=a.title,
                    text="\n\n".join(a.paragraphs), published=a.published, author=a.author, regions=a.regions)
            for s in sites for a in s.articles]


def labels() -> dict[str, tuple[str, list[str]]]:
    """Corpus title -> (keyword_sumber, entity names)."""
    out = {}
    with open(corpus_path(), newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            try:
                entity = json.loads(row["entity"])
            except ValueError:
                entity = {}
            names = [n for group in entity.values() for n in group]
            out.setdefault(row["judul"].strip(), (row["keyword_sumber"], names))
    return out


def judge(query: dict, articles: list[Article], corpus: dict) -> dict[str, int]:
    """url -> grade (2 relevant, 1 partly) for one query."""
    grades = {}
    keywords = {k.lower() for k in query.get("keyword", [])}
    entities = [e.lower() for e in query.get("entity", [])]
    titles = set(query.get("titles", []))
    for a in articles:
        keyword, names = corpus.get(a.title, ("", []))
        if a.title in titles or keyword.lower() in keywords:
            grades[a.url] = 2
        elif entities and any(e in n.lower() for n in names for e in entities):
            grades[a.url] = 1
    return grades


def pooled(query: dict, articles: list[Article]) -> dict[str, int]:
    """url -> grade from the pooled judgments (articles are named there by title; copies share a grade)."""
    grades = {**dict.fromkeys(query.get("partly", []), 1), **dict.fromkeys(query.get("relevant", []), 2)}
    return {a.url: grades[a.title] for a in articles if a.title in grades}


def ndcg(ranked: list[str], grades: dict[str, int]) -> float:
    dcg = sum((2 ** grades.get(u, 0) - 1) / math.log2(i + 2) for i, u in enumerate(ranked[:K]))
    ideal = sorted(grades.values(), reverse=True)[:K]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], grades: dict[str, int]) -> float:
    relevant = {u for u, g in grades.items() if g == 2} or set(grades)
    return len(relevant & set(ranked[:K])) / len(relevant) if relevant else 0.0


def capped_recall(ranked: list[str], grades: dict[str, int]) -> float:
    relevant = {u for u, g in grades.items() if g == 2} or set(grades)
    return len(relevant & set(ranked[:K])) / min(K, len(relevant)) if relevant else 0.0


def plain_whoosh(articles: list[Article], where: Path):
    from whoosh import index as wi
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import MultifieldParser

    schema = Schema(url=ID(stored=True, unique=True), title=TEXT, body=TEXT)
    ix = wi.create_in(str(where), schema)
    writer = ix.writer(limitmb=256)
    for a in articles:
        writer.add_document(url=a.url, title=a.title, body=a.text)
    writer.commit()
    parser = MultifieldParser(["title", "body"], schema, fieldboosts=FIELD_BOOSTS)
    searcher = ix.searcher()

    def search(q: str) -> list[str]:
        return [hit["url"] for hit in searcher.search(parser.parse(q), limit=K)]
    return search


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="print every query's scores")
    parser.add_argument("--judgments", choices=("pooled", "labels"), default="pooled")
    parser.add_argument("--split", choices=("dev", "test"), help="only the pooled judgments' queries of this split")
    args = parser.parse_args()
    if corpus_path() is None:
        sys.exit("bench/relevance.py needs ../shared/corpus/detik-2025.csv (or WARTA_CORPUS)")
    queries = tomllib.loads(QUERIES.read_text(encoding="utf-8"))["query"]
    if args.judgments == "pooled":
        queries = [q for q in tomllib.loads(JUDGED.read_text(encoding="utf-8"))["query"]
                   if args.split in (None, q["split"])]
    articles = collection()
    corpus = labels()
    with tempfile.TemporaryDirectory(prefix="warta-relevance-") as tmp:
        tmp = Path(tmp)
        with Store(tmp / "warta.sqlite3") as store:
            for a in articles:
                store.save(a)
        update(tmp / "index", tmp / "warta.sqlite3")
        warta = Searcher(tmp / "index")
        (tmp / "plain").mkdir()
        plain = plain_whoosh(articles, tmp / "plain")
        def shown(q: str) -> list[str]:
            """Collapsed results as the page shows them: each story's head, then its copies under it; the hits
            with all but one of the words after the full matches when those are few."""
            result = warta.search(SearchRequest(q, per_page=K))
            return [u for h in result.hits + result.partial for u in (h.article.url, *(c.url for c in h.copies))][:K]

        def flat(q: str) -> list[str]:
            result = warta.search(SearchRequest(q, per_page=K, collapse=False))
            return [h.article.url for h in result.hits + result.partial]

        systems = {"warta": shown, "plain": plain, "flat": flat}
        scores: dict[str, dict[str, list[tuple[float, float]]]] = {s: defaultdict(list) for s in systems}
        for query in queries:
            grades = pooled(query, articles) if args.judgments == "pooled" else judge(query, articles, corpus)
            if not grades:
                print(f"warning: no relevant article for {query['q']!r}; skipped", file=sys.stderr)
                continue
            row = []
            for name, search in systems.items():
                ranked = search(query["q"])
                pair = (ndcg(ranked, grades), recall(ranked, grades), capped_recall(ranked, grades))
                for kind in ("all", query["kind"], *([f"split {query['split']}"] if "split" in query else [])):
                    scores[name][kind].append(pair)
                row.append(f"{name} nDCG {pair[0]:.3f} R {pair[1]:.3f} cR {pair[2]:.3f}")
            if args.verbose:
                print(f"{query['q']:<45} {len(grades):>3} judged  " + "   ".join(row))
    print(f"{len(articles)} articles, {len(scores['warta']['all'])} judged queries (nDCG@{K}, recall@{K})")
    print("warta: collapsed, each story's copies counted after its head as the page shows them; flat: warta "
          "with --no-collapse; plain: Whoosh's StandardAnalyzer")
    print(f"judgments: {args.judgments}")
    print(f"{'kind':<14} {'queries':>7}  {'warta nDCG':>10} {'flat nDCG':>10} {'plain nDCG':>10}  {'warta R':>8} "
          f"{'flat R':>8} {'plain R':>8}  {'warta cR':>8} {'flat cR':>8} {'plain cR':>8}")
    for kind in sorted(scores["warta"], key=lambda k: (k != "all", k)):
        w, f, p = scores["warta"][kind], scores["flat"][kind], scores["plain"][kind]
        mean = [sum(x[i] for x in s) / len(s) for i in (0, 1, 2) for s in (w, f, p)]
        print(f"{kind:<14} {len(w):>7}  {mean[0]:>10.3f} {mean[1]:>10.3f} {mean[2]:>10.3f}  {mean[3]:>8.3f} "
              f"{mean[4]:>8.3f} {mean[5]:>8.3f}  {mean[6]:>8.3f} {mean[7]:>8.3f} {mean[8]:>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
