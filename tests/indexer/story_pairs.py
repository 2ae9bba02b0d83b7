"""Judged article pairs for story grouping: the same release as outlets edit it, and different articles.

Labels come from how each pair is made, so nobody has to re-judge them:
- **same story**: a real article and a copy made with the edits outlets make to a Humas release
  (mirror/syndicate.py: their own dateline, another first sentence, a cut ending, a "Baca juga" line,
  the headline rewritten, house spellings), one to four at a time;
  and two such copies of one article (two outlets' versions, neither the original);
- **different**: two distinct real articles on one topic (the repository's seed and search articles
  are about the same few Pemko and Pemkab; the shared corpus groups its articles by the keyword they
  were collected under), and a copy of one beside the other.
The repository's texts always give a set (the tests use it); with ../shared/corpus/ present, the corpus
gives a larger one (bench/stories.py reports both). Detik's corpus holds pairs that are neither (an
article and a later roundup quoting a third of it): different-title pairs of one keyword whose true
shingle containment lies between 0.3 and 0.8 are left out rather than labelled by guess.
"""

from __future__ import annotations

import csv
import os
import random
import tomllib
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from mirror.syndicate import copy_of

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("WARTA_CORPUS", ROOT.parent / "shared" / "corpus")) / "detik-2025.csv"

@dataclass(frozen=True)
class Text:
    key: str
    title: str
    paragraphs: tuple[str, ...]
    topic: str


@dataclass(frozen=True)
class Pair:
    a: tuple[str, str]  # title, text
    b: tuple[str, str]
    same: bool
    how: str  # what makes it (the edits, or why the two differ)


def edited(text: Text, rng: random.Random, most: int = 4) -> tuple[tuple[str, str], str]:
    """An outlet's copy of text (mirror/syndicate.py): ((title, body), the edits made)."""
    title, paragraphs, how = copy_of(text.title, text.paragraphs, rng, most)
    return (title, "\n\n".join(paragraphs)), how


def repository_texts() -> list[Text]:
    seeds = tomllib.loads((ROOT / "mirror" / "data" / "seed_articles.toml").read_text(encoding="utf-8"))
    search = tomllib.loads((ROOT / "tests" / "indexer" / "articles.toml").read_text(encoding="utf-8"))
    texts = [Text(f"seed-{i}", a["title"], tuple(a["paragraphs"]), "pemda") for i, a in enumerate(seeds["article"])]
    texts += [Text(f"search-{i}", a["title"], tuple(a["paragraphs"]), "pemda")
              for i, a in enumerate(search["article"]) if len(" ".join(a["paragraphs"]).split()) >= 60]
    return texts


def corpus_texts() -> list[Text]:
    if not CORPUS.exists():
        return []
    csv.field_size_limit(10**9)
    with open(CORPUS, encoding="utf-8", newline="") as fh:
        return [Text(f"corpus-{r['id']}", r["judul"], tuple(p for p in r["isi_berita"].split("\n") if p.strip()),
                     r["keyword_sumber"]) for r in csv.DictReader(fh)]


def _joined(text: Text) -> tuple[str, str]:
    return text.title, "\n\n".join(text.paragraphs)


def pairs(texts: list[Text], copies: int = 3, seed: int = 2025, max_negatives: int | None = None) -> list[Pair]:
    from indexer.stories import shingles

    rng = random.Random(seed)
    out: list[Pair] = []
    made: dict[str, list[tuple[str, str]]] = {}
    for text in texts:
        for _ in range(copies):
            copy, how = edited(text, rng)
            made.setdefault(text.key, []).append(copy)
            out.append(Pair(_joined(text), copy, True, f"{text.key} and its copy ({how})"))
        first, second = made[text.key][:2]
        out.append(Pair(first, second, True, f"two outlets' copies of {text.key}"))
    by_topic: dict[str, list[Text]] = {}
    for text in texts:
        by_topic.setdefault(text.topic, []).append(text)
    negatives = []
    for group in by_topic.values():
        for x, y in combinations(group, 2):
            if x.title == y.title:
                continue  # the corpus holds a few articles twice
            sx, sy = shingles(*_joined(x)), shingles(*_joined(y))
            overlap = len(sx & sy) / max(1, min(len(sx), len(sy)))
            if 0.3 <= overlap <= 0.8:
                continue  # neither a copy nor a separate report (see the module docstring)
            negatives.append(Pair(_joined(x), made[y.key][0] if rng.random() < 0.3 else _joined(y), overlap > 0.8,
                                  f"{x.key} and {y.key}, one topic ({x.topic})"))
    rng.shuffle(negatives)
    return out + negatives[:max_negatives]
