"""`warta schedule`: crawl each outlet on its schedule, then bring the index up to date. Unattended.

Each crawl runs as its own `warta crawl --outlet ID` process (Scrapy's reactor runs once per process,
and a failing or slow outlet then holds up nothing else); at most `parallel` at a time. The crawl
process takes the outlet's lock itself, so a second scheduler, a cron job or a person running
`warta crawl` never crawls the same outlet at the same time. When a crawl ends, the index is updated
in a background thread (updates are incremental; requests that pile up are merged into one).

SIGTERM or Ctrl-C: no new crawl starts; running crawls get one SIGINT, which Scrapy treats as a
graceful stop (requests in flight finish, every stored article is already committed, the run is
recorded as interrupted and resumes on the next start); then the index is updated and the scheduler
exits. A crawl still running after GRACE seconds is killed; what it stored stays stored.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from logging.handlers import RotatingFileHandler
from pathlib import Path

from crawler.settings import LOG_DATEFORMAT  # log times carry their UTC offset
from indexer.index import update
from indexer.publish import publish
from indexer.search import Searcher
from monitor import watches
from monitor.status import HISTORY, Due, due
from registry import Outlet
from registry.schedules import WIB, Schedule
from runtime.paths import index_path, log_dir, store_location
from store import open_store
from store.locks import outlet_lock

log = logging.getLogger("warta.schedule")
GRACE = 90.0  # seconds a crawl gets to stop after SIGTERM before it is killed


def setup_logging(data: Path, verbose: bool = False) -> Path:
    """One line per crawl per outlet, to stderr and to a rotating file under the data directory."""
    path = log_dir(data) / "warta.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s", LOG_DATEFORMAT)
    root = logging.getLogger("warta")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        for handler in (logging.StreamHandler(sys.stderr), RotatingFileHandler(path, maxBytes=5_000_000,
                                                                                backupCount=5, encoding="utf-8")):
            handler.setFormatter(fmt)
            root.addHandler(handler)
    logging.getLogger("indexer").handlers = root.handlers
    logging.getLogger("indexer").setLevel(logging.WARNING)
    return path


@dataclass
class Crawl:
    outlet: Outlet
    proc: subprocess.Popen
    launched: datetime = field(default_factory=lambda: datetime.now(UTC))


class Scheduler:
    def __init__(self, outlets: list[Outlet], data: Path, seeds: Path | None = None, every: Schedule | None = None,
                 parallel: int = 3, names: dict[str, str] | None = None, publish: tuple[str, ...] = (),
                 index: bool = True, frontier: str | None = None):
        self.outlets = outlets
        self.publish = publish  # where each index update is published for web hosts (indexer/publish.py)
        self.index = index  # False on a crawler machine whose store another machine indexes
        self.frontier = frontier  # a Redis the crawls share with other machines' (crawler/frontier.py)
        self.data = Path(data)
        self.seeds = seeds
        self.every = every
        self.parallel = max(1, parallel)
        self.names = names or {o.id: o.name for o in outlets}
        self.running: dict[str, Crawl] = {}
        self.stopping = threading.Event()
        self._index_wanted = threading.Event()
        self._index_idle = threading.Event()
        self._index_idle.set()

    def schedule_of(self, outlet: Outlet) -> Schedule:
        return self.every or Schedule.parse(outlet.schedule)

    # -- the loop -----------------------------------------------------------------------------------
    def run(self, once: bool = False) -> int:
        """Crawl forever (or, with once, every due outlet once); returns the exit status."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stopping.set())
        if self.index:
            threading.Thread(target=self._index_loop, name="warta-index", daemon=True).start()
        self.data.mkdir(parents=True, exist_ok=True)
        open_store(store_location(self.data)).close()  # the schema, before crawls open it at once
        log.info("schedule: %d outlets, %s; data %s", len(self.outlets),
                 f"every {self.every.text}" if self.every else "each on its registry schedule", self.data)
        failed = False
        launched: set[str] = set()
        while not self.stopping.is_set():
            failed |= self._reap()
            plans = self._plans()
            pending = [o for o in self._due_now(plans) if not (once and o.id in launched)]
            for outlet in pending[: self.parallel - len(self.running)]:
                if self._launch(outlet):
                    launched.add(outlet.id)
            if once and not self.running and not [o for o in pending if o.id not in launched]:
                break
            self.stopping.wait(self._sleep_for(plans, once))
        self._stop_crawls()
        failed |= self._reap()
        self._index_wanted.set()
        self._finish_index()
        log.info("schedule: stopped")
        return 1 if (once and failed) else 0

    def _plans(self) -> dict[str, Due]:
        """When each outlet not being crawled is next due, from one read of the store."""
        now = datetime.now(UTC)
        with open_store(store_location(self.data)) as store:
            return {o.id: due(o.id, self.schedule_of(o), store.runs(o.id, limit=HISTORY), now)
                    for o in self.outlets if o.id not in self.running}

    def _due_now(self, plans: dict[str, Due]) -> list[Outlet]:
        now = datetime.now(UTC)
        ready = [(plans[o.id].at, o) for o in self.outlets if o.id in plans and plans[o.id].at <= now]
        return [o for _, o in sorted(ready, key=lambda pair: pair[0])]

    def _sleep_for(self, plans: dict[str, Due], once: bool) -> float:
        if once:
            return 0.5
        now = datetime.now(UTC)
        nexts = [plan.at for outlet_id, plan in plans.items() if outlet_id not in self.running]
        wait = min(((t - now).total_seconds() for t in nexts), default=60.0)
        return min(max(wait, 0.2), 5.0 if self.running else 60.0)

    def _launch(self, outlet: Outlet) -> bool:
        # On a shared frontier an outlet another machine is crawling is crawled together, not skipped.
        if not self.frontier and outlet_lock(store_location(self.data), outlet.id).held_elsewhere():
            log.debug("crawl %s: not started, another process is crawling it", outlet.id)
            return False
        cmd = [sys.executable, "-m", "warta", "--data", str(self.data), "crawl", "--outlet", outlet.id]
        if self.seeds:
            cmd += ["--seeds", str(self.seeds)]
        if self.frontier:
            cmd += ["--frontier", self.frontier]
        errors = open(log_dir(self.data) / "crawl-errors.log", "a", encoding="utf-8")
        try:
            # Its own session: a Ctrl-C in the terminal reaches the scheduler, which forwards exactly one.
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True)
        finally:
            errors.close()
        self.running[outlet.id] = Crawl(outlet, proc)
        log.debug("crawl %s: started (pid %d)", outlet.id, proc.pid)
        return True

    def _reap(self) -> bool:
        """Log each crawl that ended; True if one failed."""
        failed = False
        for outlet_id, crawl in list(self.running.items()):
            if crawl.proc.poll() is None:
                continue
            del self.running[outlet_id]
            failed |= self._report(crawl)
            self._index_wanted.set()
        return failed

    def _report(self, crawl: Crawl) -> bool:
        o = crawl.outlet
        with open_store(store_location(self.data)) as store:
            runs = store.runs(o.id, limit=HISTORY)
            plan = due(o.id, self.schedule_of(o), runs, datetime.now(UTC))
        # (on a shared frontier other machines' runs of the outlet may be running still: not this crawl's)
        mine = [r for r in runs if r.started >= crawl.launched - timedelta(seconds=1)
                and not (self.frontier and r.result == "running")]
        run = mine[-1] if mine else None
        if crawl.proc.returncode == 0 and (run is None or (run.result == "running" and outlet_lock(
                store_location(self.data), o.id).held_elsewhere())):
            # another process (another scheduler, on this machine or another) took the outlet's lock first;
            # the run found, if any, is that process's, still going
            log.debug("crawl %s: not run, another process was crawling it", o.id)
            return False
        if run is None and self.stopping.is_set():  # stopped while it was starting: nothing was crawled
            log.info("crawl %s: stopped before it began; it runs at the next start", o.id)
            return False
        if run is None or run.result == "running":
            log.error("crawl %s: the crawl process exited (status %s) without recording its run", o.id,
                      crawl.proc.returncode)
            return True
        level = logging.INFO if run.result in ("ok", "interrupted") else logging.WARNING
        log.log(level, "crawl %s: %s in %.1fs, %d pages, %d new, %d updated, %d rejected, %d errors%s; next %s",
                o.id, run.result, run.duration, run.pages, run.new, run.updated, run.rejected_total, run.errors,
                f" (last error: {run.error})" if run.error else "",
                plan.at.astimezone(WIB).strftime("%Y-%m-%d %H:%M:%S WIB")
                + (f", {plan.reason}" if plan.failures else ""))
        return run.result == "failed"

    def _stop_crawls(self) -> None:
        if not self.running:
            return
        log.info("schedule: stopping; letting %d crawl(s) finish what is in flight", len(self.running))
        for crawl in self.running.values():
            crawl.proc.send_signal(signal.SIGINT)  # Scrapy: graceful shutdown, run recorded as interrupted
        deadline = time.monotonic() + GRACE
        for crawl in self.running.values():
            try:
                crawl.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("crawl %s: still running after %.0fs; killed", crawl.outlet.id, GRACE)
                crawl.proc.kill()
                crawl.proc.wait()

    # -- the index ----------------------------------------------------------------------------------
    def _index_loop(self) -> None:
        while True:
            self._index_wanted.wait()
            self._index_idle.clear()
            self._index_wanted.clear()
            try:
                report = update(index_path(self.data), store_location(self.data), self.names)
                if report.rebuilt or report.new or report.updated or report.deleted:
                    log.info(report.summary())
                    for dest in self.publish:
                        log.info("published %s to %s", publish(index_path(self.data), dest), dest)
            except Exception:
                log.exception("index update failed")
            try:
                self._run_watches()
            except Exception:
                log.exception("watch run failed")
            finally:
                self._index_idle.set()

    def _run_watches(self) -> None:
        """Deliver what is new for every watch (monitor/watches.py), after each index update."""
        with open_store(store_location(self.data)) as store:
            if not store.watches.all():
                return
            searcher = Searcher(index_path(self.data))
            try:
                results = watches.run(store, searcher)
            finally:
                searcher.close()
        for r in results:
            if r.new or r.delivered or r.errors:
                level = logging.WARNING if r.errors else logging.INFO
                log.log(level, "watch %s: %d new, delivered %s%s", r.name, r.new, r.delivered or "nothing",
                        "".join(f"; {c} failed: {e}" for c, e in r.errors.items()))

    def _finish_index(self) -> None:
        """Wait until the index has caught up with everything crawled (the last update requested ran)."""
        if not self.index:
            return
        while self._index_wanted.is_set() or not self._index_idle.is_set():
            self._index_idle.wait(timeout=1)
            time.sleep(0.05)
