"""`warta demo`: the whole system on this machine with nothing to set up. The outlet mirror runs in this
process and publishes new articles as time passes; `warta schedule` and `warta serve` run as child
processes, as they would in production; a watch follows every new story. Stops on Ctrl-C, SIGTERM or
after --for seconds, and takes its children with it."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from indexer.generations import current_generation
from indexer.search import Searcher
from mirror.build import MirrorConfig
from mirror.server import Mirror
from monitor import watches
from registry.schedules import WIB, Schedule, ScheduleError
from runtime.paths import index_path, store_location
from store import WatchExists, open_store


def _watch(data: Path, url: str) -> None:
    """The demo's watch: every story the mirror publishes from now on, in its feed and on /pantauan."""
    try:
        with open_store(store_location(data)) as store:
            watches.add(store, Searcher(index_path(data)), watches.Watch("berita-baru", ""))
        print(f"a watch follows every new story: {url}pantauan (feed {url}pantauan/berita-baru.atom)", flush=True)
    except WatchExists:
        pass


def run(args: argparse.Namespace) -> int:
    """Mirror (in this process), `warta schedule` and `warta serve` (child processes), until Ctrl-C or --for."""
    try:
        Schedule.parse(args.every)
    except ScheduleError as exc:
        print(f"warta demo: --every: {exc}", file=sys.stderr)
        return 2
    # the demo's news runs up to today, most of it from the past weeks
    config = MirrorConfig(articles_per_site=args.articles, reserve_per_site=args.reserve, syndicated=0.25,
                          until=datetime.now(WIB).date().isoformat(), recent=0.6)
    try:
        mirror = Mirror(config, getattr(args, "seeds", None)).start()
    except OSError as exc:
        print(f"warta demo: the outlet mirror cannot listen: {exc.strerror or exc}", file=sys.stderr)
        return 2
    seeds = mirror.write_seeds(args.data / "mirror-outlets.toml")
    print(f"mirror: {len(mirror.sites)} outlets, {len(mirror.truth())} articles; registry {seeds}")
    for site_id in mirror.sites:
        print(f"  {site_id:<12} {mirror.url(site_id)}")
    base = [sys.executable, "-m", "warta", "--data", str(args.data), "--seeds", str(seeds)]
    scheduler = subprocess.Popen([*base, "schedule", "--every", args.every])
    server = subprocess.Popen([*base, "serve", "--port", str(args.port)], stdout=subprocess.DEVNULL)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def publish() -> None:
        while args.release_every and not stop.wait(args.release_every):
            released = mirror.release()
            if released:
                print(f"mirror: {len(released)} new articles published; they reach search after the next crawl",
                      flush=True)

    threading.Thread(target=publish, daemon=True).start()
    url = f"http://127.0.0.1:{args.port}/"
    started, ready = time.monotonic(), False
    try:
        while not stop.is_set():
            if not ready and current_generation(index_path(args.data)):
                ready = True
                print(f"\nsearch is ready: open {url}  (JSON: {url}api/search?q=pelayanan+publik)  Ctrl-C stops",
                      flush=True)
                _watch(args.data, url)
            if args.duration and time.monotonic() - started > args.duration:
                break
            if scheduler.poll() is not None or server.poll() is not None:
                print("demo: the scheduler or the server stopped unexpectedly", file=sys.stderr)
                return 1
            stop.wait(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        for proc in (scheduler, server):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (scheduler, server):
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
        mirror.stop()
    return 0 if ready else 1
