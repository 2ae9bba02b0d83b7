"""Extraction quality and cost: warta beside plain `trafilatura.bare_extraction`, set by set, in one run.

    python bench/extraction.py [--corpus-pages 40] [--groups]

The sets:
- mirror: tests/extraction/pages (the mirror's themes and the hand-written pages);
- real Indonesian: pages nobody here wrote (tests/extraction/real, `gold: hand` pages reported apart);
- Scrapinghub: the public article-extraction benchmark, body only, language gate off;
- corpus: (when ../shared/corpus is present) real corpus articles rendered in the mirror's themes.

Prints, per set: word-level body precision, recall and F1, title and date accuracy (over the pages that
have that gold; "-" where none has), ms per page, the cost ratio, and every page where warta trails
plain trafilatura by more than 0.02 F1. --groups adds the per-outlet and per-platform lines.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mirror.build import MirrorConfig
from mirror.texts import corpus_texts
from tests.extraction import evaluation as ev
from tests.extraction import real

EXTRACTORS = {"warta": ev.warta, "trafilatura": ev.plain_trafilatura}
MARGIN = 0.02


def _pct(value: float) -> str:
    return f"{'-':>6}" if math.isnan(value) else f"{value:6.1%}"


def _num(value: float) -> str:
    return f"{'-':>6}" if math.isnan(value) else f"{value:6.3f}"


def _line(group: str, name: str, scores: list[ev.Score]) -> str:
    m = ev.summary(scores)
    return (f"{group:<26} {name:<12} {m['pages']:>5} {_num(m['precision'])} {_num(m['recall'])} {_num(m['f1'])} "
            f"{_pct(m['title'])} {_pct(m['date'])} {m['ms']:8.1f}")


def report(title: str, cases: list[ev.Case], groups: bool = False) -> dict[str, list[ev.Score]]:
    for case in cases[:3]:  # warm both up (imports, registry) outside the timings
        for fn in EXTRACTORS.values():
            fn(case)
    results = {name: ev.run(cases, fn) for name, fn in EXTRACTORS.items()}
    counts = ev.summary(results["warta"])
    print(f"\n## {title}: {len(results['warta'])} article pages (gold body {counts['bodied']}, title "
          f"{counts['titled']}, date {counts['dated']}; P/R/F1, title and date each over the pages with that gold)\n")
    print(f"{'group':<26} {'extractor':<12} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'title':>6} {'date':>6} "
          f"{'ms/page':>8}")
    by: dict[str, dict[str, list[ev.Score]]] = defaultdict(lambda: defaultdict(list))
    for name, scores in results.items():
        for s in scores:
            by["OVERALL"][name].append(s)
            if s.case.gold != "mirror":
                by[f"gold {s.case.gold.split(' ')[0]}"][name].append(s)
            if groups:
                by[s.case.outlet or "(no outlet)"][name].append(s)
                by[f"platform {s.case.platform}"][name].append(s)
    keys = sorted(by, key=lambda g: (g == "OVERALL", g.startswith("gold"), g.startswith("platform"), g))
    if len(keys) == 2 and keys[0].startswith("gold"):  # one gold kind: the overall line says it all
        keys = keys[1:]
    for group in keys:
        for name in EXTRACTORS:
            print(_line(group, name, by[group][name]))
    ours, theirs = ev.summary(results["warta"]), ev.summary(results["trafilatura"])
    print(f"\ncost: warta takes {ours['ms'] / max(1e-9, theirs['ms']):.2f}x the time of plain trafilatura per page")
    trailing = [(w, t) for w, t in zip(results["warta"], results["trafilatura"], strict=True)
                if "body" in w.case.scored and w.f1 < t.f1 - MARGIN]
    print(f"pages where warta trails trafilatura by more than {MARGIN} F1: {len(trailing)}")
    for w, t in sorted(trailing, key=lambda pair: pair[0].f1 - pair[1].f1):
        why = f" rejected: {w.got.rejected}" if w.got.rejected else ""
        print(f"  {w.case.name:<44} warta {w.f1:.3f} (P {w.precision:.2f} R {w.recall:.2f}) "
              f"trafilatura {t.f1:.3f} (P {t.precision:.2f} R {t.recall:.2f}){why}")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus-pages", type=int, default=40, help="corpus articles per outlet (0: skip)")
    parser.add_argument("--groups", action="store_true", help="also print per-outlet and per-platform lines")
    args = parser.parse_args()
    report("mirror set (tests/extraction/pages)", ev.load(), args.groups)
    where = real.data_dir()
    if where is None:
        print("\n(real sets not laid out: run `python -m tests.extraction.real import`; skipped)")
    else:
        report(f"real Indonesian pages ({where})", real.load("indonesian"), args.groups)
        report(f"Scrapinghub article-extraction benchmark ({where})", real.load("scrapinghub"), args.groups)
    if args.corpus_pages and next(iter(corpus_texts()), None) is not None:
        config = MirrorConfig(articles_per_site=args.corpus_pages, reserve_per_site=0, use_corpus=True, seed=7)
        report("corpus articles in the mirror's themes", [c for c, _ in ev.mirror_cases(config)], args.groups)
    else:
        print("\n(no ../shared/corpus: corpus pages skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
