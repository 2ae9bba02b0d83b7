"""Plain data passed between stages: what the crawler hands the store, and what a crawl run did."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Article:
    """One extracted article, keyed by its canonical URL."""

    url: str
    outlet: str
    title: str
    text: str  # paragraphs separated by blank lines
    published: datetime | None = None
    modified: datetime | None = None
    author: str = ""
    language: str = "id"
    regions: tuple[str, ...] = ()  # the regions the article is about (official names, with their provinces)
    image: str = ""
    tags: tuple[str, ...] = ()
    outlet_regions: tuple[str, ...] = ()  # the outlet's coverage, from the registry
    actors: tuple[str, ...] = ()  # government bodies named: "Pemerintah Kota Binjai", "DPRD Kota Medan"


@dataclass
class CrawlRun:
    """One crawl of one outlet, as recorded in the store."""

    outlet: str
    started: datetime
    id: int | None = None
    finished: datetime | None = None
    # running | ok | errors | blocked (robots.txt) | failed | interrupted | skipped; monitor/status.py shows
    # a run still "running" whose process is gone as "died"
    result: str = "running"
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: dict[str, int] = field(default_factory=dict)  # reason -> count
    errors: int = 0
    error: str = ""  # the last error, in words
    duration: float = 0.0

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())
