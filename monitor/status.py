"""Per-outlet freshness, from the store's crawl runs: what `warta status`, /status and the scheduler read.

`due` is the scheduler's rule: an outlet is due when its schedule's next slot after the last crawl has
passed, so runs missed while the machine slept or the scheduler was down are made up once, not once per
missed slot. Consecutive failures push the next run back exponentially (up to MAX_BACKOFF); a crawl that
was interrupted or died is due at once, to resume.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from indexer.search import IndexMissingError
from monitor.yields import SourceAlert, check, run_yield
from registry import Outlet
from registry.schedules import Schedule, jitter
from runtime.paths import store_location
from store import CrawlRun, Store, exists, open_store
from store.locks import outlet_lock

MAX_BACKOFF = timedelta(hours=6)
HISTORY = 24  # runs read per outlet: a streak of failures, and the yield history monitor/yields.py compares with
# Crawls that ended well: every listing was read to its end. "errors" counted pages that extraction could not
# read (a warta bug on those pages, not a broken outlet); an "ok" crawl may count pages that failed too (a 404
# trap, a timeout). Either is a good crawl with page errors, never a failed one.
GOOD = ("ok", "errors")
# One word for how an outlet is doing, worst first, so a reader (and a monitor) tells a broken outlet from a
# healthy one with a few bad pages: "failing" (its last crawl failed or died), "overdue" (no good crawl for
# two periods), "blocked" (robots.txt lets warta fetch nothing), "never" (no crawl has ended well yet),
# "page_errors" (the last crawl ended well but some pages could not be read), "ok".
HEALTH = ("failing", "overdue", "blocked", "never", "page_errors", "ok")


@dataclass(frozen=True)
class Due:
    at: datetime
    failures: int  # consecutive failed crawls ending with the last one
    reason: str  # why it is due then, in words


def due(outlet_id: str, schedule: Schedule, runs: list[CrawlRun], now: datetime) -> Due:
    """When an outlet should next be crawled, given its runs (newest first)."""
    # "errors": the crawl finished but extraction failed on some pages; it is on schedule, not backing off
    # "blocked": robots.txt forbids it, the outlet's choice: on schedule, to see whether it changed its mind
    done = [r for r in runs if r.result in ("ok", "errors", "blocked", "failed", "interrupted", "running")]
    if not done:
        return Due(now, 0, "never crawled")
    last = done[0]
    if last.result in ("interrupted", "running"):  # "running" here means the crawl died without a word
        return Due(now, 0, "last crawl did not finish; resuming")
    failures = 0
    for r in done:
        if r.result != "failed":
            break
        failures += 1
    base = last.started
    at = schedule.next_after(base)
    if failures:
        at = max(at, base + min(schedule.period * 2 ** failures, MAX_BACKOFF))
    at += jitter(outlet_id, schedule)
    return Due(at, failures, f"backing off after {failures} failed crawls" if failures else "on schedule")


@dataclass(frozen=True)
class OutletStatus:
    id: str
    name: str
    schedule: str
    articles_stored: int
    articles_indexed: int
    newest_article: datetime | None
    last_success: datetime | None  # when the last crawl that ended well (GOOD) finished
    last_run: CrawlRun | None
    last_error: str
    last_error_at: datetime | None
    next_due: datetime
    failures: int
    crawling: bool
    overdue: bool  # no successful crawl for more than two periods (or never)
    health: str = "ok"  # one of HEALTH
    page_errors: int = 0  # pages that failed in the last crawl that ended well (404s, timeouts, extraction)
    last_error_kind: str = ""  # what the last error was: ERROR_KINDS[result of its run], "" without one
    source_alert: SourceAlert | None = None  # the recent crawls' article pages fell off the outlet's history


# What the last error means, by the result of the run that recorded it: "page" (pages of a crawl that ended
# well; the outlet is fine), "crawl" (the crawl itself failed or its process died), "interrupted" (stopped).
ERROR_KINDS = {"ok": "page", "errors": "page", "failed": "crawl", "died": "crawl", "running": "crawl",
               "interrupted": "interrupted", "blocked": "robots"}


def outlet_statuses(outlets: list[Outlet], store: Store, indexed: dict[str, int], data: Path,
                    every: Schedule | None = None, now: datetime | None = None) -> list[OutletStatus]:
    """Each outlet's freshness and health, from its recent runs (and its last good run, however old)."""
    now = now or datetime.now(UTC)
    summary = store.outlet_summary()
    out = []
    for o in outlets:
        schedule = every or Schedule.parse(o.schedule)
        runs = store.runs(o.id, limit=HISTORY)
        crawling = outlet_lock(store.location, o.id).held_elsewhere()
        if not crawling:  # a "running" row whose crawl holds no lock died; it is not running
            runs = [r if r.result != "running" else _died(r) for r in runs]
        ok = next((r for r in runs if r.result in GOOD), None) or _last_good(store, o.id)
        failed = next((r for r in runs if r.error), None)
        stored = summary.get(o.id, {"articles": 0, "newest": None})
        plan = due(o.id, schedule, runs, now)
        last_success = ok.finished if ok else None
        overdue = last_success is None or now - last_success > 2 * schedule.period + jitter(o.id, schedule)
        out.append(OutletStatus(
            id=o.id, name=o.name, schedule=schedule.text, articles_stored=stored["articles"],
            articles_indexed=indexed.get(o.id, 0), newest_article=stored["newest"], last_success=last_success,
            last_run=runs[0] if runs else None, last_error=failed.error if failed else "",
            last_error_at=(failed.finished or failed.started) if failed else None, next_due=plan.at,
            failures=plan.failures, crawling=crawling, overdue=overdue,
            health=_health(runs, ok, overdue), page_errors=ok.errors if ok else 0,
            last_error_kind=ERROR_KINDS.get(failed.result, "crawl") if failed else "",
            source_alert=_source_alert(store, runs)))
    return out


def _source_alert(store: Store, runs: list[CrawlRun]) -> SourceAlert | None:
    """monitor/yields.py's verdict on the outlet's runs that read their listings to the end."""
    finished = [r for r in runs if r.result in GOOD and (r.new or r.updated or r.rejected)]
    return check(run_yield(r.rejected, store.run_stats(r.id), r.new, r.updated) for r in finished)


def _last_good(store: Store, outlet_id: str) -> CrawlRun | None:
    """The newest run that ended well, however far back (beyond the HISTORY runs read)."""
    found = [r for r in (store.last_run(outlet_id, result) for result in GOOD) if r is not None]
    return max(found, key=lambda r: r.id or 0, default=None)


def _health(runs: list[CrawlRun], good: CrawlRun | None, overdue: bool) -> str:
    """One of HEALTH, from the newest run that says something about the outlet: a crawl under way or one that
    was stopped says nothing either way, so the run before it decides."""
    last = next((r for r in runs if r.result not in ("running", "interrupted")), None)
    if last is not None and last.result == "blocked":
        return "blocked"
    if last is not None and last.result not in GOOD:  # failed, or died without recording its end
        return "failing"
    if good is None:
        return "never"
    if overdue:
        return "overdue"
    return "page_errors" if last is good and good.errors else "ok"


def read_statuses(outlets: list[Outlet], data: Path, searcher) -> list[OutletStatus] | None:
    """Statuses from the data directory's store (read-only) and index (through searcher), or None before
    the first crawl. What `warta status` and the web's /status both show."""
    location = store_location(data)
    if not exists(location):
        return None
    try:
        indexed = searcher.outlet_counts()
    except IndexMissingError:
        indexed = {}
    with open_store(location, readonly=True) as store:
        return outlet_statuses(outlets, store, indexed, data)


def _died(run: CrawlRun) -> CrawlRun:
    return replace(run, result="died", error=run.error or "the crawl process ended without finishing its run")


def status_json(s: OutletStatus) -> dict:
    """The JSON shape of /api/status and `warta status --json` (fields are only ever added)."""
    def iso(t: datetime | None) -> str | None:
        return t.isoformat() if t else None
    last = s.last_run
    return {
        "id": s.id, "name": s.name, "schedule": s.schedule, "articles_stored": s.articles_stored,
        "articles_indexed": s.articles_indexed, "newest_article": iso(s.newest_article),
        "last_success": iso(s.last_success),
        "last_run": {"started": iso(last.started), "finished": iso(last.finished), "result": last.result,
                     "pages": last.pages, "new": last.new, "updated": last.updated,
                     "rejected": last.rejected_total, "errors": last.errors} if last else None,
        "last_error": s.last_error or None, "last_error_at": iso(s.last_error_at), "next_due": iso(s.next_due),
        "failures": s.failures, "crawling": s.crawling, "overdue": s.overdue,
        "health": s.health, "page_errors": s.page_errors, "last_error_kind": s.last_error_kind or None,
        "source_alert": {"flag": s.source_alert.flag, "evidence": s.source_alert.evidence} if s.source_alert
        else None,
    }


def failing_watches(data: Path) -> list[dict]:
    """Watches whose deliveries keep failing (monitor/watches.py): what `warta status` and /api/status report."""
    location = store_location(data)
    if not exists(location):
        return []
    with open_store(location, readonly=True) as store:
        return [{"watch": f["watch"], "channel": f["channel"], "waiting": f["waiting"],
                 "attempts": f["attempts"], "last_error": f["last_error"]} for f in store.watches.failures()]
