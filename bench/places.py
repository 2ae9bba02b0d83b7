"""Region and actor tagging against the judged set: precision and recall per level, and time per article.

    python bench/places.py                    # tests/places/judged.toml (a dev set), corpus from ../shared/corpus/
    python bench/places.py --judged tests/places/regional.toml  # the held-out set: report it, never tune on it
    python bench/places.py --judged tests/places/dev3.toml      # the dev sets: judged, dev, dev2, dev3, heldout,
                                                                # gov (earlier held-out sets, their errors seen)
    python bench/places.py --errors           # also list every false positive and miss, per article
    python bench/places.py --corpus PATH      # the detik-2025.csv elsewhere
    python bench/places.py --judged tests/places/heldout.toml --summarization PATH/data_berita.csv
    python bench/places.py --judged tests/places/gov.toml       # after bench/gov_portals.py: portals' own news
    python bench/places.py --judged tests/places/regional.toml  # after bench/regional_news.py: local outlets
    python bench/places.py --time-corpus      # also time the tagger over every corpus article (800)

Levels: province (the judged provinces against Tags.provinces()), kabupaten/kota (Tags.kabkota()) and actor
(Tags.actors); micro-averaged over all articles. Articles are read in place, never copied here: the corpus
(`source = "corpus"`), the extraction pages (`"extraction-real"`), the public detik summarization dataset
(`"detik-summarization"`: data_berita.csv of github.com/gabriellaclairine/indonesian-news-summarization-dataset
at ec1694f, 1,000 detik articles of 2025, no licence stated, so not redistributed; clone it beside the
repository), regional-government portals' own news (`"gov-portals"`: rows of public SQL dumps, rebuilt
into ../gov-portals/articles.jsonl by bench/gov_portals.py) and local outlets' news (`"regional-news"`: rows of
public scraper outputs, rebuilt into ../regional-news/articles.jsonl by bench/regional_news.py). When a source
is not there, its articles are skipped and the report says how many. A label in an article's `disputed` list
(one of two labellers gave it) counts neither right nor wrong.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JUDGED = ROOT / "tests" / "places" / "judged.toml"
CORPUS = ROOT.parent / "shared" / "corpus" / "detik-2025.csv"
SUMMARIZATION = ROOT.parent / "indonesian-news-summarization-dataset" / "data_berita.csv"
GOV = ROOT.parent / "gov-portals" / "articles.jsonl"
REGIONAL = ROOT.parent / "regional-news" / "articles.jsonl"
REAL_PAGES = ROOT.parent / "shared" / "extraction-real" / "indonesian"  # ID.gold.json: title and paragraphs


def _csv_rows(path: Path) -> dict[str, dict]:
    """A detik CSV (the corpus and the summarization dataset share its columns) by id; empty when absent."""
    if not path.exists():
        return {}
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def _jsonl_rows(path: Path) -> dict[str, dict]:
    """bench/gov_portals.py's or bench/regional_news.py's output by id, in the CSVs' column names; empty when
    absent."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as f:
        return {a["id"]: {"judul": a["title"], "isi_berita": a["text"]} for a in map(json.loads, f)}


def load_judged(judged: Path = JUDGED, corpus: Path = CORPUS, summarization: Path = SUMMARIZATION,
                gov: Path = GOV, regional: Path = REGIONAL) -> tuple[list[dict], int]:
    """The judged articles with their `title` and `text` filled in; and how many were skipped."""
    data = tomllib.loads(judged.read_text(encoding="utf-8"))
    # whose website a gov-portals article is on: the region's, and the office's where it is an office's
    portals = {p["repo"]: p for p in data.get("portal", ())}
    articles = []
    for a in data["article"]:
        if a["source"] == "gov-portals":
            portal = portals[a["id"].split("#")[0]]
            a = dict(a, home=portal["home"], office=portal.get("office"))
        articles.append(a)
    wanted = {a["source"] for a in articles}
    readers = {"corpus": (_csv_rows, corpus), "detik-summarization": (_csv_rows, summarization),
               "gov-portals": (_jsonl_rows, gov), "regional-news": (_jsonl_rows, regional)}
    tables = {name: read(path) if name in wanted else {} for name, (read, path) in readers.items()}
    files: dict[str, list[dict]] = {}
    out, skipped = [], 0
    for a in articles:
        if a["source"] in tables:
            row = tables[a["source"]].get(a["id"])
            if row is None:
                skipped += 1
                continue
            a = dict(a, title=row["judul"], text=row["isi_berita"], ref=f"{a['source']}:{a['id']}")
        elif a["source"] == "extraction-real":
            gold = REAL_PAGES / f"{a['id']}.gold.json"
            if not gold.exists():
                skipped += 1
                continue
            page = json.loads(gold.read_text(encoding="utf-8"))
            a = dict(a, title=page.get("title") or "", text="\n".join(page["paragraphs"]), ref=f"real:{a['id']}")
        else:
            if a["source"] not in files:
                files[a["source"]] = tomllib.loads((ROOT / a["source"]).read_text(encoding="utf-8"))["article"]
            src = files[a["source"]][a["index"]]
            a = dict(a, title=src["title"], text="\n".join(src["paragraphs"]), ref=f"{a['source']}#{a['index']}")
        out.append(a)
    return out, skipped


def evaluate(articles: list[dict], tagger, homes: bool = True) -> dict:
    """Precision and recall per level; `homes`: tell the tagger whose website an article is on, where known."""
    levels = {"province": [0, 0, 0], "kabupaten/kota": [0, 0, 0], "actor": [0, 0, 0]}  # tp, fp, fn
    errors = []
    elapsed = 0.0
    for a in articles:
        t0 = time.perf_counter()
        tags = tagger.tag(a["title"], a["text"], a.get("home"), a.get("office")) if homes else \
            tagger.tag(a["title"], a["text"])
        elapsed += time.perf_counter() - t0
        # an office's name with or without its commas is the same body ("Dinas Pendidikan, Pemuda, dan Olahraga")
        got = {"province": set(tags.provinces()), "kabupaten/kota": set(tags.kabkota()),
               "actor": {x.replace(",", "") for x in tags.actors}}
        want = {"province": set(a["provinces"]), "kabupaten/kota": set(a["regions"]),
                "actor": {x.replace(",", "") for x in a["actors"]}}
        # what only one of two labellers gave counts neither way
        disputed = {x.replace(",", "") for x in a.get("disputed", ())}
        got = {lvl: names - disputed for lvl, names in got.items()}
        want = {lvl: names - disputed for lvl, names in want.items()}
        for lvl, c in levels.items():
            c[0] += len(got[lvl] & want[lvl])
            c[1] += len(got[lvl] - want[lvl])
            c[2] += len(want[lvl] - got[lvl])
            for x in sorted(got[lvl] - want[lvl]):
                errors.append((a["ref"], lvl, "FP", x))
            for x in sorted(want[lvl] - got[lvl]):
                errors.append((a["ref"], lvl, "FN", x))
    result = {}
    for lvl, (tp, fp, fn) in levels.items():
        result[lvl] = {
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
            "tp": tp, "fp": fp, "fn": fn,
        }
    result["ms_per_article"] = 1000 * elapsed / max(1, len(articles))
    result["errors"] = errors
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--judged", type=Path, default=JUDGED)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--summarization", type=Path, default=SUMMARIZATION,
                    help="data_berita.csv of the detik summarization dataset (source 'detik-summarization')")
    ap.add_argument("--gov", type=Path, default=GOV, help="bench/gov_portals.py's articles.jsonl ('gov-portals')")
    ap.add_argument("--regional", type=Path, default=REGIONAL,
                    help="bench/regional_news.py's articles.jsonl ('regional-news')")
    ap.add_argument("--no-home", action="store_true", help="do not tell the tagger whose website an article is on")
    ap.add_argument("--errors", action="store_true", help="list false positives (FP) and misses (FN)")
    ap.add_argument("--time-corpus", action="store_true", help="also time tagging every corpus article")
    args = ap.parse_args(argv)

    from crawler.places import Tagger

    t0 = time.perf_counter()
    tagger = Tagger()
    build = time.perf_counter() - t0
    articles, skipped = load_judged(args.judged, args.corpus, args.summarization, args.gov, args.regional)
    tagger.tag("warm", "up")
    r = evaluate(articles, tagger, homes=not args.no_home)
    print(f"judged articles: {len(articles)}" + (f" ({skipped} skipped: their text is not here)" if skipped else ""))
    print(f"{'level':<16}{'precision':>10}{'recall':>8}{'tp':>6}{'fp':>5}{'fn':>5}")
    for lvl in ("province", "kabupaten/kota", "actor"):
        x = r[lvl]
        print(f"{lvl:<16}{x['precision']:>10.3f}{x['recall']:>8.3f}{x['tp']:>6}{x['fp']:>5}{x['fn']:>5}")
    print(f"tagging: {r['ms_per_article']:.3f} ms/article; building the tagger: {build:.1f} s")
    if args.time_corpus and args.corpus.exists():
        csv.field_size_limit(10_000_000)
        with args.corpus.open(encoding="utf-8", newline="") as f:
            docs = [(r["judul"], r["isi_berita"]) for r in csv.DictReader(f)]
        t0 = time.perf_counter()
        for d in docs:
            tagger.tag(*d)
        ms = 1000 * (time.perf_counter() - t0) / len(docs)
        chars = sum(len(a) + len(b) for a, b in docs) / len(docs)
        print(f"whole corpus: {len(docs)} articles, {chars:.0f} characters on average, {ms:.3f} ms/article")
    if args.errors:
        for ref, lvl, kind, x in r["errors"]:
            print(f"  {kind} {lvl:<15} {ref:<40} {x}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
