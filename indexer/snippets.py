"""Highlighted snippets: the window of an article where the query's words (stems included) are thickest.

Whoosh's own highlighter re-analyzes and fragments the whole body of every hit, which is what makes naive
result pages slow. Here the body is analyzed once with character offsets by the same analyzer as the
index (so `melayani` lights up for `pelayanan`, "Pemerintah Kota" for `pemko`), the best window of
`width` words is picked by sliding over matched positions, and only that window becomes output.

A snippet is plain data: text parts flagged as matched or not. `html()` escapes every part, so the
`<mark>` tags are the only markup that can come out of crawled text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from html import escape

from whoosh.analysis import Composable

from indexer.analysis import matches

_SPACE = re.compile(r"\s+")
_NONSPACE = re.compile(r"\S+")


@dataclass(frozen=True)
class Snippet:
    parts: tuple[tuple[str, bool], ...]  # (text, matched)

    def html(self) -> str:
        return "".join(f"<mark>{escape(t)}</mark>" if hit else escape(t) for t, hit in self.parts)

    def text(self, mark: tuple[str, str] = ("[", "]")) -> str:
        return "".join(f"{mark[0]}{t}{mark[1]}" if hit else t for t, hit in self.parts)

    @property
    def matched(self) -> list[str]:
        return [t for t, hit in self.parts if hit]


def snippet(analyzer: Composable, text: str, terms: frozenset[str], width: int = 32) -> Snippet:
    """The best window of about `width` words of text, its matched words marked."""
    words = [m.span() for m in _NONSPACE.finditer(text)]
    if not words:
        return Snippet(())
    hits = matches(analyzer, text, terms) if terms else []
    start_word = _best_window(words, hits, width)
    end_word = min(len(words), start_word + width)
    lo, hi = words[start_word][0], words[end_word - 1][1]
    parts: list[tuple[str, bool]] = [("… ", False)] if start_word > 0 else []
    cursor = lo
    for s, e, _ in _merge(hits, lo, hi):
        if s > cursor:
            parts.append((text[cursor:s], False))
        parts.append((text[s:e], True))
        cursor = e
    if cursor < hi:
        parts.append((text[cursor:hi], False))
    if end_word < len(words):
        parts.append((" …", False))
    return Snippet(tuple((_SPACE.sub(" ", t), hit) for t, hit in parts if t))


def mark_all(analyzer: Composable, text: str, terms: frozenset[str]) -> Snippet:
    """All of a short text (a title) with its matched words marked."""
    parts, cursor = [], 0
    for s, e, _ in _merge(matches(analyzer, text, terms) if terms else [], 0, len(text)):
        parts += [(text[cursor:s], False), (text[s:e], True)]
        cursor = e
    parts.append((text[cursor:], False))
    return Snippet(tuple(p for p in parts if p[0]))


def _best_window(words: list[tuple[int, int]], hits: list[tuple[int, int, str]], width: int) -> int:
    """Index of the first word of the window with the most distinct matched terms (then most matches)."""
    if not hits:
        return 0
    starts = [w[0] for w in words]
    word_of = [max(0, bisect_right(starts, s) - 1) for s, _, _ in hits]
    best, best_score, j = 0, (-1, -1), 0
    for i, first in enumerate(word_of):
        while j < len(hits) and word_of[j] < first + width:
            j += 1
        score = (len({h[2] for h in hits[i:j]}), j - i)
        if score > best_score:
            best, best_score = first, score
    # Start a few words before the first match so it reads in context, but not past the end.
    return max(0, min(best - 4, len(words) - width))


def _merge(hits: list[tuple[int, int, str]], lo: int, hi: int) -> list[tuple[int, int, str]]:
    """Overlapping spans (a joined form over its own words) become one; only those inside [lo, hi)."""
    out: list[tuple[int, int, str]] = []
    for s, e, term in hits:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]), out[-1][2])
        else:
            out.append((s, e, term))
    return out
