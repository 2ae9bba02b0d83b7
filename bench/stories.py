"""Story grouping: pair precision and recall on the judged pairs, and what grouping costs per article.

    python bench/stories.py [--corpus-texts 800]

Each pair goes through the grouping the index runs (indexer.stories.Grouper: MinHash, LSH bands,
containment), one pair at a time: the pair is "grouped" when the second article joins the first's
story. Sets: the repository's texts (always), the shared corpus (when ../shared/corpus/ is present).
Prints pairs, precision, recall, the misses of each kind, and ms per article.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.stories import Grouper  # noqa: E402
from tests.indexer.story_pairs import Pair, corpus_texts, pairs, repository_texts  # noqa: E402


def grouped(pair: Pair) -> bool:
    grouper = Grouper()
    first = grouper.assign("a", *pair.a)
    return grouper.assign("b", *pair.b)["story"] == first["story"]


def score(found: list[Pair]) -> dict:
    started = time.perf_counter()
    said = [grouped(p) for p in found]
    ms = (time.perf_counter() - started) * 1000 / (2 * max(1, len(found)))
    tp = sum(1 for p, s in zip(found, said, strict=True) if s and p.same)
    fp = [p for p, s in zip(found, said, strict=True) if s and not p.same]
    fn = [p for p, s in zip(found, said, strict=True) if not s and p.same]
    return {"pairs": len(found), "same": sum(p.same for p in found), "precision": tp / max(1, tp + len(fp)),
            "recall": tp / max(1, tp + len(fn)), "fp": fp, "fn": fn, "ms": ms}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus-texts", type=int, default=800)
    args = ap.parse_args()
    sets = {"repository": pairs(repository_texts())}
    corpus = corpus_texts()[: args.corpus_texts]
    if corpus:
        sets["corpus"] = pairs(corpus, max_negatives=1200)
    print(f"{'set':<12} {'pairs':>6} {'same':>6} {'precision':>9} {'recall':>7} {'ms/article':>10}")
    for name, found in sets.items():
        r = score(found)
        print(f"{name:<12} {r['pairs']:>6} {r['same']:>6} {r['precision']:>9.3f} {r['recall']:>7.3f} {r['ms']:>10.2f}")
        for p in (r["fp"] + r["fn"])[:5]:
            print(f"   {'wrongly grouped' if not p.same else 'missed'}: {p.how}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
