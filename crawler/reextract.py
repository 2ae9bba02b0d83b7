"""Re-run extraction over the raw HTML the store keeps, so a better extractor reaches old articles
without fetching anything again."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

from crawler import extract as extraction
from crawler.extract import Rejected, extract
from crawler.pipelines import InvalidArticleError, validate
from registry import Outlet
from store import open_store

log = logging.getLogger("warta.reextract")


def reextract(store: str | Path, outlets: list[Outlet]) -> Counter:
    """Counts of updated, unchanged, rejected-now (kept), no-html articles and extract-errors (parts of a page
    that fell back to trafilatura after an unexpected error, logged with the URL) of the given outlets.

    An article the current extractor rejects is kept and counted, not deleted: a rule that went wrong
    must not cost stored articles. Run `warta reextract` again once the rule is mended.
    """
    counts: Counter = Counter()
    errors_before = sum(extraction.ERRORS.values())
    by_id = {o.id: o for o in outlets}
    with open_store(store) as store:
        for outlet in outlets:
            for old in list(store.articles(outlet.id)):
                html = store.raw_html(old.url)
                if html is None:
                    counts["no-html"] += 1
                    continue
                try:
                    article = extract(html.decode("utf-8", errors="replace"), old.url, by_id[old.outlet])
                except Rejected as exc:
                    counts["rejected-now"] += 1
                    log.warning("%s: the extractor now rejects it (%s); kept as it was", old.url, exc)
                    continue
                try:  # what the crawl's store pipeline checks: the outlet's own http(s) URL, sane dates
                    article, dropped = validate(article, by_id[old.outlet])
                except InvalidArticleError as exc:
                    counts["invalid-url"] += 1
                    log.warning("%s; kept as it was", exc)
                    continue
                counts.update(dropped)
                counts[store.save(article)] += 1
    errors = sum(extraction.ERRORS.values()) - errors_before
    if errors:
        counts["extract-errors"] += errors
    return counts
