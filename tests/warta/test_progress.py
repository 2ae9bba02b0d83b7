"""Progress on long work, and log lines that carry their time zone: `warta index --rebuild` and `warta crawl`
run as a user runs them, once with stderr on a pseudo-terminal (a bar: done, rate, time left) and once on a
pipe, as under cron, the scheduler or a log file (no bar, no carriage returns)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.conftest import ROOT
from tests.crawler.trapsite import TrapSite, article, listing
from tests.indexer.test_searcher import fill

ZONED = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} ")  # a log line's time, with its UTC offset


def run(args: list[str], tty: bool, timeout: float = 180) -> tuple[int, str, str]:
    """Run `warta ARGS`; stderr on a pseudo-terminal (80x24, TERM=xterm) when tty, else on a pipe.
    Returns (exit status, stdout, stderr)."""
    cmd = [sys.executable, "-m", "warta", *args]
    env = {**os.environ, "TERM": "xterm"}
    if not tty:
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)
        return done.returncode, done.stdout, done.stderr
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=slave, text=True, env=env)
    os.close(slave)
    seen, deadline = b"", time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every holder of the terminal has closed it
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
        out = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))[0]
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, out, seen.decode("utf-8", "replace")


def test_index_rebuild_shows_a_bar_on_a_terminal_and_nothing_on_a_pipe(tmp_path):
    fill(tmp_path, 5000)
    code, out, err = run(["--data", str(tmp_path), "index", "--rebuild"], tty=True)
    assert code == 0, err
    assert "index rebuilt (asked): 5000 new" in out  # the result stays on stdout
    assert "stemming the words of 5,000 articles" in err
    draws = [d for d in err.split("\r") if d.startswith("indexing:")]
    assert draws and all("/5000 [" in d and "articles/s" in d for d in draws), err[:2000]
    # done of all, elapsed<left, rate
    assert any(re.search(r"\b\d+/5000 \[\d\d:\d\d<\d\d:\d\d, [\d.]+ articles/s\]", d) for d in draws), draws
    assert err.rstrip(" \r\n").endswith("\r") or not err.split("\r")[-1].strip()  # the bar is cleared at the end

    code, out, err = run(["--data", str(tmp_path), "index", "--rebuild"], tty=False)
    assert code == 0, err
    assert "index rebuilt (asked): 5000 new" in out and err == ""


ARTICLES = [f"/2025/08/{d + 1:02d}/pemko-binjai-gelar-apel-ke-{d}/" for d in range(12)]


def slow_site(tmp: Path) -> tuple[TrapSite, Path]:
    """An outlet whose articles take a moment each (a crawl of a few seconds), with an unreadable sitemap
    named in robots.txt (a warning in the log while the bar is up)."""
    def route(path, query):
        if path == "/robots.txt":
            return 200, "text/plain", f"User-agent: *\nAllow: /\nSitemap: {site.url('/rusak.xml')}\n"
        if path == "/rusak.xml":
            return 200, "application/xml", "<html><body>Halaman tidak ditemukan</body></html>"
        if path == "/":
            return 200, "text/html", listing(ARTICLES)
        if path in ARTICLES:
            time.sleep(0.5)
            return 200, "text/html", article(f"Wali Kota Binjai Pimpin Apel {path.split('-')[-1]}")
        return None

    site = TrapSite(route)
    return site, site.seeds(tmp / "trap.toml", concurrency=1)


def test_crawl_shows_a_bar_on_a_terminal_and_logs_with_the_time_zone(tmp_path):
    site, seeds = slow_site(tmp_path)
    with site:
        code, out, err = run(["--data", str(tmp_path / "tty"), "crawl", "--seeds", str(seeds)], tty=True)
        assert code == 0, out + err
        assert re.search(r"^trap +ok +\d+ +12 ", out, re.M), out  # the table stays on stdout
        draws = [d for d in re.split(r"[\r\n]", err) if d.startswith("crawl:")]
        assert draws, err[:2000]
        # pages done of those found so far, rate and time left, the articles stored and the outlets done
        assert any(re.search(r"\b\d+/\d+ \[\d\d:\d\d<\d\d:\d\d, [\d.]+ pages/s, articles \d+ new, 0 updated"
                             r"( \([\d.]+/s\))?, outlets [01]/1\]", d) for d in draws), draws
        done = {re.search(r"\b(\d+/\d+) \[", d).group(1) for d in draws}
        assert len(done) > 1, draws  # it moved
        # the warning went above the bar, whole and with its time zone
        [warning] = [line for line in err.splitlines() if "unreadable listing" in line]
        assert ZONED.match(warning.lstrip("\r")), warning

        code, out, err = run(["--data", str(tmp_path / "pipe"), "crawl", "--seeds", str(seeds)], tty=False)
        assert code == 0, out + err
        assert re.search(r"^trap +ok +\d+ +12 ", out, re.M), out
        assert "\r" not in err and "pages/s" not in err and "crawl:" not in err, err
        [warning] = [line for line in err.splitlines() if "unreadable listing" in line]
        assert ZONED.match(warning), warning


def test_scheduler_log_lines_carry_the_time_zone(tmp_path):
    script = ("import sys; from pathlib import Path; from warta.scheduler import setup_logging, log; "
              "setup_logging(Path(sys.argv[1])); log.info('crawl x: ok')")
    for zone, offset in (("Asia/Jakarta", "+0700"), ("Asia/Makassar", "+0800"), ("UTC", "+0000")):
        data = tmp_path / zone.replace("/", "-")
        done = subprocess.run([sys.executable, "-c", script, str(data)], cwd=ROOT, capture_output=True, text=True,
                              timeout=60, env={**os.environ, "TZ": zone})
        assert done.returncode == 0, done.stderr
        logged = (data / "logs" / "warta.log").read_text(encoding="utf-8")
        for line in (done.stderr.strip(), logged.strip()):
            assert ZONED.match(line) and f" {offset} INFO crawl x: ok" in line, line
