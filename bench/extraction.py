"""Extraction quality and cost: warta beside plain `trafilatura.bare_extraction`, page by page.

    python bench/extraction.py [--corpus-pages 40]

Scores the evaluation set in tests/extraction/pages, then (when ../shared/corpus is present) a mirror of
real corpus articles rendered in every outlet's theme, --corpus-pages per outlet. Prints, per outlet,
per platform and overall: word-level body precision, recall and F1, title and date accuracy, ms per page.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mirror.build import MirrorConfig  # noqa: E402
from mirror.texts import corpus_texts  # noqa: E402
from tests.extraction import evaluation as ev  # noqa: E402

EXTRACTORS = {"warta": ev.warta, "trafilatura": ev.plain_trafilatura}


def report(title: str, cases: list[ev.Case]) -> None:
    for case in cases[:3]:  # warm both up (imports, registry) outside the timings
        for fn in EXTRACTORS.values():
            fn(case)
    results = {name: ev.run(cases, fn) for name, fn in EXTRACTORS.items()}
    print(f"\n## {title}: {len(results['warta'])} article pages\n")
    print(f"{'group':<22} {'extractor':<12} {'P':>6} {'R':>6} {'F1':>6} {'title':>6} {'date':>6} {'ms/page':>8}")
    groups: dict[str, dict[str, list[ev.Score]]] = defaultdict(lambda: defaultdict(list))
    for name, scores in results.items():
        for s in scores:
            groups[s.case.outlet or "(hand-written)"][name].append(s)
            groups[f"platform {s.case.platform}"][name].append(s)
            groups["OVERALL"][name].append(s)
    for group in sorted(groups, key=lambda g: (g == "OVERALL", g.startswith("platform"), g)):
        for name in EXTRACTORS:
            m = ev.summary(groups[group][name])
            print(f"{group:<22} {name:<12} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} "
                  f"{m['title']:6.1%} {m['date']:6.1%} {m['ms']:8.1f}")
    ratio = ev.summary(results["warta"])["ms"] / max(1e-9, ev.summary(results["trafilatura"])["ms"])
    print(f"\ncost: warta takes {ratio:.2f}x the time of plain trafilatura per page")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus-pages", type=int, default=40, help="corpus articles per outlet (0: skip)")
    args = parser.parse_args()
    report("evaluation set (tests/extraction/pages)", ev.load())
    if args.corpus_pages and next(iter(corpus_texts()), None) is not None:
        config = MirrorConfig(articles_per_site=args.corpus_pages, reserve_per_site=0, use_corpus=True, seed=7)
        report("corpus articles in the mirror's themes", [c for c, _ in ev.mirror_cases(config)])
    else:
        print("\n(no ../shared/corpus: corpus pages skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
