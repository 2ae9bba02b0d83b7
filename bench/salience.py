"""A learned salience model for kabupaten/kota against the tagger's rules, leave-one-set-out (issue 28).

    python bench/salience.py                       # the dev sets: judged, dev, dev2, dev3, heldout, gov, dev4
    python bench/salience.py --sets dev2,dev4 --no-lexical --l2 1

Every kabupaten/kota an article names (any region name, kecamatan or desa, or head that may be it, and every
one the rules scored) is a candidate. Its features are what the rules found (`Tagger.read`: the score, the
part named with a kind word, its share of the strongest, its province's score, whether its government acts,
where it is first named, title, dateline, lists, kecamatan only) and, unless --no-lexical, the words around
each mention (the two before, the one after, the punctuation after, its case). A logistic regression (Newton's
method, L2) is trained on all sets but one and scores the one left out, at several thresholds, beside the rules.
Labels only one of two labellers gave (`disputed`) are left out of training and scoring.

This is the experiment of BENCHMARKS.md's round 4 ("a learned model with ten times the data"), kept so that it
can be run again on more labels; the tagger does not use it.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from places import load_judged  # noqa: E402  (bench/places.py, beside this script)

from crawler import places  # noqa: E402

SETS = "judged,dev,dev2,dev3,heldout,gov,dev4"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


def candidates(tagger: places.Tagger, article: dict, lexical: bool) -> list[tuple[str, dict[str, float]]]:
    """(official name, features) of every kabupaten/kota the article may be about."""
    t, matches, found = tagger.read(article["title"], article["text"])
    tags = tagger._tags(found.score, found.actors)
    regions, tagged = tagger.g.regions, set(tags.kabkota())
    mentions: dict[str, list[places._Match]] = defaultdict(list)
    for m in matches:
        if m.type in (places.REGION, places.PLACE):
            codes = [c for c in m.payload if "." in c]
            for c in codes if len(codes) <= 3 else ():
                mentions[c].append(m)
        elif m.type == places.ACTOR and m.payload[1] and "." in m.payload[1]:
            mentions[m.payload[1]].append(m)
    for c, s in found.score.items():
        if "." in c and s > 0:
            mentions.setdefault(c, [])
    top = max((found.score.get(c, 0.0) for c in mentions), default=0.0)
    n = max(1, len(t.words))
    out = []
    for c, ms in mentions.items():
        r, s = regions[c], found.score.get(c, 0.0)
        firsts = [m.first for m in ms]
        f = {"bias": 1.0, "rule": float(r.name in tagged), "logscore": math.log1p(s),
             "strong": math.log1p(found.strong.get(c, 0.0)), "share": s / top if top else 0.0,
             "ncand": math.log1p(len(mentions)), "nment": math.log1p(len(ms)),
             "actor": float(any(a.endswith(" " + r.name) for a in found.actors)),
             "province": math.log1p(found.score.get(r.province, 0.0)),
             "first": min(firsts) / n if firsts else 1.0,
             "title": float(any(x < t.n_title for x in firsts)),
             "dateline": float(any(t.dl_words[0] <= x < t.dl_words[1] for x in firsts)),
             "listed": sum(m.first in found.listed for m in ms) / max(1, len(ms)),
             "place_only": float(bool(ms) and all(m.type == places.PLACE for m in ms))}
        for m in ms if lexical else ():
            before = [t.words[m.first - k] if m.first >= k else "^" for k in (1, 2)]
            after = t.words[m.last + 1] if m.last + 1 < len(t.words) else "$"
            punct = t.raw[t.ends[m.last]:t.ends[m.last] + 2].strip()[:1]
            for key in (f"b1={before[0]}", f"b2={before[1]}", f"b21={before[1]}_{before[0]}", f"a1={after}",
                        f"punct={re.sub(r'[^,.;:()-]', 'w', punct) or '_'}", f"cap={t.capital(m.first)}"):
                f[key] = 1.0
        out.append((r.name, f))
    return out


def matrix(rows: list[dict], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray, list[tuple[int, str]]]:
    x, y, where = [], [], []
    for i, row in enumerate(rows):
        for name, f in row["cands"]:
            if name in row["disputed"]:
                continue
            v = np.zeros(len(vocab))
            for k, val in f.items():
                if k in vocab:
                    v[vocab[k]] = val
            x.append(v)
            y.append(float(name in row["gold"]))
            where.append((i, name))
    return np.array(x).reshape(-1, len(vocab)), np.array(y), where


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method."""
    w = np.zeros(x.shape[1])
    for _ in range(30):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1])
        w -= np.linalg.solve(hess, grad)
    return w


def counts(rows: list[dict], chosen: list[set[str]]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for row, got in zip(rows, chosen, strict=True):
        got = got - row["disputed"]
        tp += len(got & row["gold"])
        fp += len(got - row["gold"])
        fn += len(row["gold"] - got)
    return tp, fp, fn


def pr(c: tuple[int, int, int]) -> str:
    tp, fp, fn = c
    return f"{tp / (tp + fp) if tp + fp else 1:.3f}/{tp / (tp + fn) if tp + fn else 1:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=SETS, help=f"comma-separated names in tests/places/ (default {SETS})")
    ap.add_argument("--no-lexical", action="store_true", help="only the rules' features")
    ap.add_argument("--l2", type=float, default=10.0)
    ap.add_argument("--min-count", type=int, default=5, help="a feature seen fewer times in training is dropped")
    args = ap.parse_args(argv)
    tagger = places.Tagger()
    data = {}
    for name in args.sets.split(","):
        articles, skipped = load_judged(ROOT / "tests" / "places" / f"{name}.toml")
        if skipped:
            print(f"{name}: {skipped} articles skipped (their source is not here)", file=sys.stderr)
        data[name] = []
        for a in articles:
            cands = candidates(tagger, a, not args.no_lexical)
            disputed = set(a.get("disputed", ()))
            # every kabupaten/kota the rules tag is a candidate, its "rule" feature set: one pass, not two
            data[name].append({"gold": set(a["regions"]) - disputed, "disputed": disputed, "cands": cands,
                               "rule": {region for region, f in cands if f["rule"]}})
    total = {"rule": [0, 0, 0], **{th: [0, 0, 0] for th in THRESHOLDS}}
    print("set       rules P/R     " + "  ".join(f"model@{th} P/R" for th in THRESHOLDS))
    for held in data:
        train = [row for name, rows in data.items() if name != held for row in rows]
        seen = Counter(k for row in train for _, f in row["cands"] for k in f)
        vocab = {k: i for i, k in enumerate(k for k, n in seen.items() if n >= args.min_count)}
        x, y, _ = matrix(train, vocab)
        w = fit(x, y, args.l2)
        x_held, _, where = matrix(data[held], vocab)
        p = 1 / (1 + np.exp(-(x_held @ w))) if len(x_held) else np.zeros(0)
        line = [f"{held:9s} {pr(counts(data[held], [r['rule'] for r in data[held]])):13s}"]
        for k, v in enumerate(counts(data[held], [r["rule"] for r in data[held]])):
            total["rule"][k] += v
        for th in THRESHOLDS:
            chosen: list[set[str]] = [set() for _ in data[held]]
            for (i, name), pi in zip(where, p, strict=True):
                if pi > th:
                    chosen[i].add(name)
            c = counts(data[held], chosen)
            for k, v in enumerate(c):
                total[th][k] += v
            line.append(f"{pr(c):15s}")
        print(" ".join(line))
    print(f"{'all':9s} {pr(tuple(total['rule'])):13s} " + " ".join(f"{pr(tuple(total[th])):15s}" for th in THRESHOLDS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
