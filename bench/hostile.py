"""Hostile-outlets benchmark: every scenario of mirror/hostile.py crawled at once, then a crawl stopped with
slow requests in flight.

    python bench/hostile.py [--timeout 30]

Prints, per hostile outlet, how its run ended, how long it took, what was stored, rejected and recorded as
errors; the crawl's peak memory (crawler + extraction workers); and the time from SIGTERM to the crawl's exit
while two slow pages are in flight (warta stops WARTA_STOP_GRACE_SECONDS after the signal). --timeout is
the download timeout (production: 30 s; the black holes cost up to three of it, with two retries).
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.crawl import tree_rss_kb  # noqa: E402
from mirror.hostile import SLOW, HostileMirror, HostileSite, slow  # noqa: E402
from store import Store  # noqa: E402

CRAWL = ("import sys; from crawler.run import crawl; from registry import load_registry; "
         "crawl(load_registry(sys.argv[1]), sys.argv[2], DOWNLOAD_TIMEOUT=float(sys.argv[3]))")
def hostile(tmp: Path, timeout: float) -> None:
    with HostileMirror() as mirror:
        seeds = mirror.seeds(tmp / "hostile.toml")
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", CRAWL, str(seeds), str(tmp / "warta.sqlite3"), str(timeout)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.2)
        proc.communicate()
        wall = time.monotonic() - start
        victims = len(mirror.victims.other_host.hits) + len(mirror.victims.other_port.hits)
        print(f"all {len(mirror.sites)} hostile outlets at once: exit {proc.returncode}, {wall:.1f} s, "
              f"peak memory {peak / 1024:.0f} MB, requests that reached the victims: {victims}")
        print("| outlet | result | seconds | stored | rejected | errors | last error |")
        print("|---|---|---|---|---|---|---|")
        with Store(tmp / "warta.sqlite3") as store:
            for name in mirror.sites:
                [run] = store.runs(name, limit=1)
                rejected = ", ".join(f"{k} {v}" for k, v in sorted(run.rejected.items())) or "-"
                error = (run.error or "-").replace("|", "/")
                error = error if len(error) < 90 else error[:87] + "..."
                print(f"| {name} | {run.result} | {run.duration:.1f} | {run.new} | {rejected} | {run.errors} | "
                      f"{error} |")


def stop_time(tmp: Path) -> None:
    with HostileSite(slow(25)) as site:
        seeds = site.seeds(tmp / "slow.toml", concurrency=2, delay=0.05)
        (tmp / "stop").mkdir(exist_ok=True)
        proc = subprocess.Popen([sys.executable, "-m", "warta", "--data", str(tmp / "stop"), "crawl", "--seeds",
                                 str(seeds)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while sum(p in SLOW for p in site.paths()) < 2 and proc.poll() is None:
            time.sleep(0.05)
        time.sleep(1.0)
        stopped = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=300)
        took = time.monotonic() - stopped
        late = len(site.paths(since=time.time() - took + 0.5))
        print(f"SIGTERM to exit with 2 slow pages in flight: {took:.1f} s (requests sent after the signal: {late})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=30.0, help="download timeout, seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="warta-hostile-") as tmp:
        hostile(Path(tmp), args.timeout)
        stop_time(Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
