"""Is each source still working? An outlet's recent yield against its own history.

The top complaint of news-archive users is an outlet that silently stops yielding: a redesign breaks
extraction (every article page now "too short"), a bot challenge replaces the articles, the dates vanish.
The crawl still ends "ok" (every listing was read), so health alone says nothing. Here the article pages
of the last crawls are compared with the outlet's own earlier crawls, and a change that cannot be chance is
flagged with its evidence:

- "diblokir?" (blocked?): most article pages came back as a bot challenge or were refused (403, 429), where
  before they were not;
- "struktur halaman berubah?" (page structure changed?): most article pages were rejected as not an article
  (too short, no title, ...) where before most were stored; or the stored articles are less than half as
  long as before; or they lost their dates.

Incremental crawls fetch few pages each, so "recent" is the newest runs together until they hold
RECENT_PAGES article pages (at most RECENT_RUNS runs), and "before" the runs after those.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

RECENT_PAGES = 3  # article pages needed to judge the recent crawls
RECENT_RUNS = 5
HISTORY_PAGES = 5  # article pages needed in the history to compare with
HISTORY_RUNS = 10
BLOCKED_REASONS = frozenset({"challenge", "http-403", "http-429", "http-401"})
# Rejections that say extraction did not find an article on an article page.
CONTENT_REASONS = frozenset({"too-short", "no-title", "not-indonesian", "listing-page", "error-page", "empty",
                             "unparseable", "not-html"})
BLOCKED, STRUCTURE = "diblokir?", "struktur halaman berubah?"


@dataclass(frozen=True)
class RunYield:
    """What one crawl's article pages gave (from its run record and stats)."""
    stored: int  # new or updated articles
    rejected: dict[str, int]  # reason -> article pages
    chars: int = 0  # body characters of the stored articles, summed
    dated: int = 0  # stored articles with a publication date

    @property
    def blocked(self) -> int:
        return sum(n for r, n in self.rejected.items() if r in BLOCKED_REASONS)

    @property
    def not_articles(self) -> int:
        return sum(n for r, n in self.rejected.items() if r in CONTENT_REASONS)

    @property
    def pages(self) -> int:
        return self.stored + self.blocked + self.not_articles


@dataclass(frozen=True)
class Window:
    """Several runs' yields added up."""
    runs: int = 0
    stored: int = 0
    blocked: int = 0
    not_articles: int = 0
    chars: int = 0
    dated: int = 0
    rejected: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return self.stored + self.blocked + self.not_articles

    def add(self, y: RunYield) -> Window:
        rejected = dict(self.rejected)
        for reason, n in y.rejected.items():
            if reason in BLOCKED_REASONS or reason in CONTENT_REASONS:
                rejected[reason] = rejected.get(reason, 0) + n
        return Window(self.runs + 1, self.stored + y.stored, self.blocked + y.blocked,
                      self.not_articles + y.not_articles, self.chars + y.chars, self.dated + y.dated, rejected)

    def describe(self) -> str:
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(self.rejected.items(), key=lambda kv: -kv[1]))
        return (f"{self.stored} of {self.pages} article pages stored in {self.runs} crawl(s)"
                + (f" ({reasons})" if reasons else ""))


@dataclass(frozen=True)
class SourceAlert:
    flag: str  # BLOCKED or STRUCTURE
    evidence: str


def windows(yields: Iterable[RunYield]) -> tuple[Window, Window]:
    """(recent, before) from the runs' yields, newest first; runs that fetched no article page are skipped."""
    recent, before = Window(), Window()
    for y in yields:
        if not y.pages:
            continue
        if recent.pages < RECENT_PAGES and recent.runs < RECENT_RUNS:
            recent = recent.add(y)
        elif before.runs < HISTORY_RUNS:
            before = before.add(y)
    return recent, before


def check(yields: Iterable[RunYield]) -> SourceAlert | None:
    """A flag when the recent crawls' article pages fall off the outlet's own history, else None."""
    recent, before = windows(yields)
    if recent.pages < RECENT_PAGES or before.pages < HISTORY_PAGES:
        return None
    if recent.blocked >= recent.pages / 2 and before.blocked < before.pages / 5:
        return SourceAlert(BLOCKED, f"last: {recent.describe()}; before: {before.describe()}")
    if recent.stored <= 0.3 * recent.pages and before.stored >= 0.7 * before.pages:
        return SourceAlert(STRUCTURE, f"last: {recent.describe()}; before: {before.describe()}")
    if recent.stored >= RECENT_PAGES and before.stored >= HISTORY_PAGES:
        now, then = recent.chars / recent.stored, before.chars / before.stored
        if now < 0.5 * then:
            return SourceAlert(STRUCTURE, f"stored articles average {now:.0f} characters in the last "
                                          f"{recent.runs} crawl(s), {then:.0f} before")
        if recent.dated <= 0.3 * recent.stored and before.dated >= 0.8 * before.stored:
            return SourceAlert(STRUCTURE, f"{recent.dated} of {recent.stored} stored articles have a date in the "
                                          f"last {recent.runs} crawl(s); before: {before.dated} of {before.stored}")
    return None


def run_yield(rejected: dict[str, int], stats: dict, new: int, updated: int) -> RunYield:
    """A run's yield from its record (rejected counts, new and updated) and its stats (warta/yield/*)."""
    return RunYield(new + updated, dict(rejected), int(stats.get("warta/yield/chars", 0)),
                    int(stats.get("warta/yield/dated", 0)))
