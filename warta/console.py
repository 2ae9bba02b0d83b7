"""What warta writes for a person watching it work: progress bars. (Log lines' time stamps, with their UTC
offset, are crawler/settings.py's LOG_DATEFORMAT.)

Progress on long jobs (`warta index --rebuild`, a big `warta crawl`) is a
bar on stderr only when stderr is a terminal: a log file, cron, systemd, the scheduler's crawl processes and
the tests get no bar and no carriage returns. The jobs themselves show nothing; they call back with counts
(`indexer.index.update`'s progress and stage, `crawler.run.crawl`'s progress) and the command line turns those
into a bar here. tqdm draws it (rate and time left come with it) and is imported only when a bar is shown.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import IO, TYPE_CHECKING, Self

if TYPE_CHECKING:
    from crawler.run import CrawlProgress

REFRESH = 0.2  # seconds at least between redraws of a bar


def interactive(stream: IO[str] | None = None) -> bool:
    """Whether a person is watching this stream (a terminal that can redraw a line), so a bar is wanted."""
    stream = stream or sys.stderr
    try:
        return stream.isatty() and os.environ.get("TERM", "") != "dumb"
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class _Bar:
    """One tqdm bar on stderr, and log lines printed above it (not through it) while it is shown."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.bar = None
        self._handlers: list[tuple[logging.StreamHandler, IO[str]]] = []
        self._last_resort: logging.Handler | None = None

    def open(self, **options: object):
        """Show a new bar (tqdm options); log lines written to the same terminal go above it until close()."""
        from tqdm import tqdm

        self.close()
        try:
            sized = os.get_terminal_size(self.stream.fileno()).columns > 0
        except (AttributeError, ValueError, OSError):
            sized = False
        # A terminal that reports no width (some embedded ones) would get no bar from tqdm: assume 80x24.
        width = {"dynamic_ncols": True} if sized else {"ncols": 80, "nrows": 24}
        self.bar = tqdm(file=self.stream, leave=False, mininterval=REFRESH, **width, **options)
        # A log handler writing to the terminal (Scrapy's, warta's) writes around the bar instead of into it.
        for handler in logging.getLogger().handlers:
            if type(handler) is logging.StreamHandler and handler.stream is self.stream:
                self._handlers.append((handler, handler.setStream(_AboveBar(self.stream))))
        if logging.lastResort is not None and self.stream is sys.stderr:  # loggers without a handler (indexer)
            self._last_resort, logging.lastResort = logging.lastResort, logging.StreamHandler(_AboveBar(self.stream))
            logging.lastResort.setLevel(self._last_resort.level)
        return self.bar

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Take the bar off the terminal and give the log handlers their stream back."""
        for handler, stream in self._handlers:
            handler.setStream(stream)
        self._handlers.clear()
        if self._last_resort is not None:
            logging.lastResort, self._last_resort = self._last_resort, None
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class _AboveBar:
    """A file for a log handler: each line goes above the bar (tqdm clears it, writes, redraws)."""

    def __init__(self, stream: IO[str]):
        self.stream = stream

    def write(self, text: str) -> int:
        from tqdm import tqdm

        tqdm.write(text, file=self.stream, end="")
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


class IndexProgress(_Bar):
    """The callbacks of `indexer.index.update` (stage, progress) as a bar: articles done of all, rate, time
    left. A stage without per-article progress (stemming the vocabulary before a rebuild) is one line."""

    def stage(self, name: str, total: int) -> None:
        if name == "indexing":
            self.open(total=total, desc="indexing", unit=" articles", smoothing=0.1)
        else:
            self.close()
            what = {"stemming": "stemming the words of"}.get(name, f"{name}:")
            print(f"warta index: {what} {total:,} articles ...", file=self.stream, flush=True)

    def progress(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(done - self.bar.n)



class CrawlBar(_Bar):
    """`crawler.run.crawl`'s progress as a bar: pages done (fetched and read) of those known so far (the total
    grows as listings are read, so time left is for what has been found), the rate, and the articles stored."""

    def __call__(self, p: CrawlProgress) -> None:
        # Called by the crawl every half second: the bar is set and redrawn, its rate the average so far.
        total = max(p.pages + p.queued, 1)
        bar = self.bar or self.open(total=total, desc="crawl", unit=" pages", smoothing=0)
        bar.total, bar.n = total, max(p.pages - p.working, 0)
        elapsed = bar.format_dict["elapsed"]
        stored = p.new + p.updated
        rate = f" ({stored / elapsed:.1f}/s)" if elapsed >= 1 and stored else ""
        bar.set_postfix_str(f"articles {p.new} new, {p.updated} updated{rate}, outlets {p.finished}/{p.outlets}",
                            refresh=False)
        bar.refresh()

