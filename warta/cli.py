"""The `warta` command: one entry point, a thin subcommand per job.

Each subcommand parses its arguments and calls one library function; the work lives in the packages.
Exit status: 0 success, 1 the job ran and failed, 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path

from registry import RegistryError, load_registry, select
from registry.schedules import WIB
from runtime.paths import data_dir, data_problem, index_path, store_location
from store import StoreBusy, StoreError, exists, open_store
from store import problem as store_problem


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    args.data = data_dir(getattr(args, "data", None))
    if getattr(args, "store", None):  # for this process and every one it starts (crawls, the scheduler's)
        os.environ["WARTA_STORE"] = args.store
    if args.command not in NO_DATA:  # checked before anything is written there
        problem = data_problem(args.data) or (args.command not in NO_STORE and store_problem(store_location(args.data)))
        if problem:
            print(f"warta {args.command}: {problem}", file=sys.stderr)
            return 2
    try:
        return args.run(args)
    except RegistryError as exc:
        print(f"warta: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        if isinstance(exc, StoreBusy):  # locked, disk full, the server gone: the job failed, the input is fine
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            print(f"warta {args.command}: the store could not do its part ({reason}); nothing was lost, run it "
                  "again", file=sys.stderr)
            return 1
        print(f"warta {args.command}: the store {store_location(args.data)} cannot be read: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("warta: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `warta search ... | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


NO_DATA = {"extract", "outlets"}  # commands that never read the data directory
NO_STORE = {"search", "mirror", "store"}  # commands that read it but not its store (`store` names its own)


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line on stderr (exit 2) instead of the usage block."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {port}")
    return port


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS,
                        help="where the store and index live (default: $WARTA_DATA or ./data)")
    common.add_argument("--store", metavar="URL", default=argparse.SUPPRESS,
                        help="the store: a path, sqlite:///path or postgresql://user@host:port/db "
                             "(default: $WARTA_STORE, else DATA/warta.sqlite3)")
    common.add_argument("--seeds", metavar="FILE", type=Path, default=argparse.SUPPRESS,
                        help="outlet registry to use (default: seeds/outlets.toml)")
    parser = Parser(
        prog="warta", parents=[common],
        description="warta: search engine for Indonesian regional-government news.",
        epilog="Run 'warta demo' for an offline tour: outlet mirror -> crawl -> index -> search.")
    sub = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    def command(name: str, help: str, run) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help, description=help)
        p.set_defaults(run=run)
        return p

    p = command("demo", "offline demo: outlet mirror + scheduled crawls + search server, until Ctrl-C", _demo)
    p.add_argument("--articles", type=int, default=24, help="articles per mirror site (default 24)")
    p.add_argument("--reserve", type=int, default=6, help="articles per site published while the demo runs")
    p.add_argument("--release-every", type=float, default=45.0, metavar="SECONDS",
                   help="publish one new article per mirror site at this interval (default 45)")
    p.add_argument("--every", default="30s", metavar="INTERVAL", help="crawl schedule of every outlet (default 30s)")
    p.add_argument("--port", type=_port, default=8000, help="search server port (default 8000)")
    p.add_argument("--for", dest="duration", type=float, metavar="SECONDS", help="stop by itself after this long")

    p = command("mirror", "serve the offline outlet mirror (the test bed) until Ctrl-C", _mirror)
    p.add_argument("--articles", type=int, default=24, help="articles per site (default 24)")
    p.add_argument("--reserve", type=int, default=6, help="articles per site held back for --release-every")
    p.add_argument("--release-every", type=float, default=0.0, metavar="SECONDS",
                   help="publish one held-back article per site at this interval")
    p.add_argument("--port", type=_port, default=8800, help="port on each site's loopback address (default 8800)")
    p.add_argument("--single-host", action="store_true", help="all sites on 127.0.0.1, one port each")
    p.add_argument("--seeds-out", type=Path, help="where to write the mirror's registry "
                                                  "(default: DATA/mirror-outlets.toml)")
    p.add_argument("--hostile", action="store_true", help="serve the hostile outlets instead (mirror/hostile.py: "
                                                          "one site per fault real outlets have, on 127.0.0.1)")

    p = command("crawl", "crawl outlets into the article store", _crawl)
    p.add_argument("--outlet", action="append", metavar="ID", help="outlet id (repeatable; default: all)")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="skip articles published before this date")
    p.add_argument("--limit", type=int, metavar="N", help="store at most N new articles per outlet")
    p.add_argument("--refresh", action="store_true", help="re-fetch articles already in the store")
    _frontier_option(p)
    p.add_argument("-v", "--verbose", action="store_true", help="log each request (Scrapy INFO)")

    p = command("extract", "extract one article from an HTML file or a URL and print it", _extract)
    p.add_argument("source", metavar="FILE_OR_URL")
    p.add_argument("--url", help="the page's URL, when extracting from a file (for dates in the URL, links)")
    p.add_argument("--outlet", metavar="ID", help="apply this outlet's registry entry (name, drop-selectors)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")

    p = command("reextract", "re-run extraction over the raw HTML kept in the store", _reextract)
    p.add_argument("--outlet", action="append", metavar="ID", help="outlet id (repeatable; default: all)")

    p = command("index", "bring the search index up to date with the store", _index)
    p.add_argument("--rebuild", action="store_true",
                   help="build a fresh index beside the live one and swap it in (search keeps answering)")
    p.add_argument("--publish", action="append", metavar="DIR", default=[],
                   help="copy the index, once complete, to DIR or host:/path for web hosts (repeatable)")

    p = command("search", "search the index from the command line", _search)
    p.add_argument("query", metavar="QUERY", help='words, "phrases", -exclusions, OR, title:word')
    p.add_argument("--outlet", action="append", metavar="ID", help="only this outlet (repeatable)")
    p.add_argument("--region", action="append", metavar="R", help="only this region (repeatable)")
    p.add_argument("--actor", action="append", metavar="BODY",
                   help="only articles naming this government body, e.g. 'Pemerintah Kota Binjai' (repeatable)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="published on or after")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="published on or before")
    p.add_argument("--sort", default="relevance", help="relevance (default), newest or oldest")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--per-page", type=int, default=10)
    p.add_argument("--json", action="store_true", help="print the result as JSON (the web API's shape)")
    p.add_argument("--no-collapse", dest="collapse", action="store_false",
                   help="show every outlet's copy of a story, not one hit per story")
    p.add_argument("--timeline", action="store_true",
                   help="how many matches were published per day, week or month, instead of the hits")
    p.add_argument("--interval", choices=("day", "week", "month"),
                   help="the timeline's buckets (default: from the span, 8 to 60 bars)")
    p.add_argument("--by", choices=("outlet", "region", "actor"), help="the timeline's top 5 values of this, apart")
    p.add_argument("--all", action="store_true", help="every match, not a page (with --format)")
    p.add_argument("--format", choices=("csv", "jsonl"),
                   help="with --all: every match as CSV (UTF-8 with BOM, for a spreadsheet) or JSON Lines")

    p = command("serve", "serve search in the browser and as JSON (read-only)", _serve)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    p.add_argument("--threads", type=_positive, default=8, help="threads per worker process (default 8)")
    p.add_argument("--workers", type=_positive, default=None,
                   help="worker processes behind the port (gunicorn; default: the number of cores, %(prog)s "
                        "uses waitress in one process for 1)")

    p = command("schedule", "crawl every outlet on its schedule and keep the index fresh, until stopped", _schedule)
    p.add_argument("--once", action="store_true", help="crawl every outlet that is due once, update the index, exit")
    p.add_argument("--every", metavar="INTERVAL", help="one schedule for all outlets ('10m', '*/15 * * * *')")
    p.add_argument("--outlet", action="append", metavar="ID", help="only this outlet (repeatable)")
    p.add_argument("--parallel", type=_positive, default=3, help="crawls at once (default 3)")
    p.add_argument("--publish", action="append", metavar="DIR", default=[],
                   help="after every index update, publish the index to DIR or host:/path (repeatable)")
    p.add_argument("--no-index", dest="index", action="store_false",
                   help="crawl only: another machine indexes the store (and runs the watches)")
    _frontier_option(p)
    p.add_argument("-v", "--verbose", action="store_true", help="log crawl starts too")

    p = command("status", "per outlet: articles, newest article, last good crawl, last error, overdue", _status)
    p.add_argument("--json", action="store_true", help="print JSON (the shape of /api/status)")
    command("outlets", "list the outlets of the registry", _outlets)

    p = command("watch", "saved searches that alert: add, list, remove, run (deliver what is new now)", _watch)
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser, required=True)
    a = actions.add_parser("add", help="watch a search: what matches from now on is delivered")
    a.add_argument("name", metavar="NAME", help="lowercase letters, digits and hyphens")
    a.add_argument("--query", required=True, metavar="Q", help="the search, as `warta search` takes it ('' = all)")
    a.add_argument("--outlet", action="append", metavar="ID", help="only this outlet (repeatable)")
    a.add_argument("--region", action="append", metavar="R", help="only this region (repeatable)")
    a.add_argument("--actor", action="append", metavar="BODY", help="only articles naming this body (repeatable)")
    a.add_argument("--webhook", metavar="URL", help="POST the new stories as JSON to this http(s) URL")
    a.add_argument("--email", metavar="ADDR", help="mail the new stories here (SMTP server: WARTA_SMTP=host:port)")
    lst = actions.add_parser("list", help="the watches, with what waits for delivery")
    lst.add_argument("--json", action="store_true", help="print JSON")
    r = actions.add_parser("remove", help="stop watching")
    r.add_argument("name", metavar="NAME")
    actions.add_parser("run", help="find what is new for every watch and deliver it now")

    p = command("store", "the article store itself: copy it to another engine", _store)
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser, required=True)
    c = actions.add_parser("copy", help="copy a store into an empty one (SQLite <-> PostgreSQL), checked; run "
                                        "again after a kill to go on")
    c.add_argument("--from", dest="source", required=True, metavar="URL", help="the store to copy (read only)")
    c.add_argument("--to", dest="target", required=True, metavar="URL", help="the store to fill")
    c.add_argument("--chunk", type=_positive, default=500, help="rows per transaction (default 500)")
    return parser


def _index(args: argparse.Namespace) -> int:
    from indexer.index import update
    from indexer.lexicon import LexiconError

    location = store_location(args.data)
    if not exists(location):
        print(f"warta index: no store at {location} yet; run 'warta crawl' first", file=sys.stderr)
        return 1
    names = {o.id: o.name for o in load_registry(getattr(args, "seeds", None))}
    try:
        # A bar on a terminal only (articles done, rate, time left); the indexer itself shows nothing.
        with _index_progress() as shown:
            report = update(index_path(args.data), location, names, rebuild=args.rebuild,
                            progress=shown.progress if shown else None, stage=shown.stage if shown else None)
    except LexiconError as exc:
        print(f"warta index: {exc}", file=sys.stderr)
        return 2
    print(report.summary())
    from indexer.publish import PublishError, publish

    for dest in args.publish:  # a copy of the commit just made (publish holds off updates while it copies)
        try:
            print(f"published {publish(index_path(args.data), dest)} to {dest}")
        except PublishError as exc:
            print(f"warta index: --publish {dest}: {exc}", file=sys.stderr)
            return 1
    return 0


def _index_progress():
    """A progress bar for `warta index` when stderr is a terminal, else a context holding None."""
    from contextlib import nullcontext

    from warta.console import IndexProgress, interactive

    return IndexProgress(sys.stderr) if interactive() else nullcontext()


def _search(args: argparse.Namespace) -> int:
    import json

    from indexer.generations import IndexMissingError
    from indexer.search import Searcher, SearchRequest
    from indexer.serialize import result_json, timeline_json
    from search_web.params import parse_date

    try:
        request = SearchRequest(
            query=args.query, outlets=tuple(args.outlet or ()), regions=tuple(args.region or ()),
            actors=tuple(args.actor or ()),
            date_from=parse_date(args.date_from or "", "--from"), date_to=parse_date(args.date_to or "", "--to"),
            sort=args.sort, page=args.page, per_page=args.per_page, collapse=args.collapse)
        if args.all or args.format:
            return _export(Searcher(index_path(args.data)), replace(request, match_all=True), args.format or "csv")
        if args.timeline:
            found = Searcher(index_path(args.data)).timeline(replace(request, match_all=True), args.interval, args.by)
        else:
            result = Searcher(index_path(args.data)).search(request)
    except ValueError as exc:  # SearchError and bad dates
        print(f"warta search: {exc}", file=sys.stderr)
        return 2
    except IndexMissingError as exc:
        print(f"warta search: {exc}", file=sys.stderr)
        return 1
    if args.timeline:
        print(json.dumps(timeline_json(found), ensure_ascii=False, indent=2) if args.json
              else format_timeline(found, args.query, request.collapse))
        return 0
    if args.json:
        print(json.dumps(result_json(result), ensure_ascii=False, indent=2))
        return 0
    print(format_result(result))
    return 0


def _export(searcher, request, fmt: str) -> int:
    """Every match to stdout, as /api/export writes it (search_web/export.py)."""
    import itertools

    from search_web.export import lines

    rows = searcher.export(request)
    first = next(rows, None)  # a query that cannot run fails here, before anything is written
    out = sys.stdout
    out.reconfigure(encoding="utf-8", newline="")  # the CSV's own line ends, whatever the platform
    try:
        for line in lines(itertools.chain([first] if first else [], rows), fmt):
            out.write(line)
        out.flush()
    except BrokenPipeError:  # `| head`: the reader had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def format_timeline(timeline, query: str, collapse: bool, width: int = 40) -> str:
    """A timeline as bars in the terminal: one line per bucket, the series (with --by) as a table below."""
    label = {"day": lambda d: d.isoformat(), "week": lambda d: f"{d.isoformat()} w{d.isocalendar().week:02d}",
             "month": lambda d: d.strftime("%Y-%m")}[timeline.interval]
    unit = "stories" if collapse else "articles"
    lines = [f"{query or 'all articles'!r}: {timeline.total} {unit} by {timeline.interval}"
             + (f" ({timeline.undated} undated)" if timeline.undated else "")]
    top = max(timeline.counts, default=0) or 1
    for start, n in zip(timeline.starts, timeline.counts, strict=True):
        lines.append(f"{label(start):<15} {'█' * round(width * n / top) if n else '·':<{width}} {n}")
    if timeline.series:
        lines.append("")
        lines.append(f"{'':<15} " + " ".join(f"{s.label[:12]:>12}" for s in timeline.series))
        for i, start in enumerate(timeline.starts):
            lines.append(f"{label(start):<15} " + " ".join(f"{s.counts[i]:>12}" for s in timeline.series))
    return "\n".join(lines)


def _hit_lines(i: int, hit) -> list[str]:
    from indexer.serialize import local_time

    a = hit.article
    when = local_time(a.published).strftime("%Y-%m-%d %H:%M WIB") if a.published else "undated"
    lines = ["", f"{i:>3}. {hit.title.text()}", f"     {a.outlet_name} | {when} | {', '.join(a.regions)}",
             f"     {a.url}", f"     {hit.snippet.text()}"]
    if hit.copies:
        lines.append(f"     also in {len(hit.copies)}: " + ", ".join(c.outlet_name for c in hit.copies))
    return lines


def format_result(result) -> str:
    r = result.request
    first = (r.page - 1) * r.per_page + 1
    lines = [f"{result.total} {'stories' if r.collapse else 'articles'} for {r.query!r}"
             + (f", {first}-{first + len(result.hits) - 1} shown" if result.hits else "")
             + f" ({result.took_ms:.0f} ms)"]
    if result.fallback:
        lines.append(f"(query syntax not understood; searched the words: {result.parsed})")
    if result.suggestion:
        lines.append(f"Apakah maksud Anda: {result.suggestion}?")
    for i, hit in enumerate(result.hits, first):
        lines += _hit_lines(i, hit)
    if result.partial:
        lines += ["", "With all but one of the words (not counted above):"]
    for i, hit in enumerate(result.partial, 1):
        lines += _hit_lines(i, hit)
    for facet, counts in result.facets.items():
        if counts:
            lines.append(f"\n{facet}: " + ", ".join(f"{c.label} ({c.count})" for c in counts[:10]))
    return "\n".join(lines)


def _serve(args: argparse.Namespace) -> int:
    from search_web import ConfigError
    from search_web.serve import default_workers, make_server

    workers = args.workers or default_workers()
    try:
        server = make_server(args.data, getattr(args, "seeds", None), args.host, args.port, args.threads, workers)
    except ConfigError as exc:
        print(f"warta serve: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:  # the port is taken, the address is not this machine's or not one
        reason = getattr(exc, "strerror", None) or str(exc)
        print(f"warta serve: cannot listen on {args.host}:{args.port}: {reason}", file=sys.stderr)
        return 2
    print(f"warta: serving search on http://{args.host}:{args.port}/ (data {args.data}, {workers} worker"
          f"{'s' if workers > 1 else ''}); Ctrl-C to stop", flush=True)
    server.run()
    return 0


def _extract(args: argparse.Namespace) -> int:
    import json

    from crawler.extract import Rejected, extract
    from crawler.single import PageError, read_page

    outlet = select(load_registry(getattr(args, "seeds", None)), [args.outlet])[0] if args.outlet else None
    try:
        html, fetched_url = read_page(args.source)
    except PageError as exc:
        print(f"warta extract: {exc}", file=sys.stderr)
        return 2
    url = args.url or fetched_url
    if not args.url and url.startswith("file:"):  # a saved page usually says where it came from
        from urllib.parse import urljoin

        from crawler.pagekind import page_info
        canonical = page_info(html).canonical
        url = urljoin(url, canonical) if canonical.startswith(("http://", "https://")) else url
    try:
        a = extract(html, url, outlet)
    except Rejected as exc:
        print(f"warta extract: not an article warta would store: {exc}", file=sys.stderr)
        return 1
    doc = {"url": a.url, "title": a.title, "text": a.text,
           "date": a.published.isoformat() if a.published else None, "author": a.author or None,
           "outlet": a.outlet or None, "language": a.language, "image": a.image or None, "tags": list(a.tags)}
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(a.title)
        print(" | ".join(str(v) for v in (doc["date"], a.author, a.outlet, a.url) if v))
        print()
        print(a.text)
    return 0


def _reextract(args: argparse.Namespace) -> int:
    from crawler.reextract import reextract

    outlets = select(load_registry(getattr(args, "seeds", None)), args.outlet)
    counts = reextract(store_location(args.data), outlets)
    print(", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no articles in the store")
    return 0


def _outlets(args: argparse.Namespace) -> int:
    for o in load_registry(getattr(args, "seeds", None)):
        print(f"{o.id:<12} {o.platform:<9} {o.schedule:<12} {o.url}  ({', '.join(o.regions)})")
    return 0


def _mirror(args: argparse.Namespace) -> int:
    from mirror.build import MirrorConfig
    from mirror.server import Mirror, serve_forever

    if args.hostile:
        return _hostile_mirror(args)
    config = MirrorConfig(articles_per_site=args.articles, reserve_per_site=args.reserve, syndicated=0.25)
    try:
        mirror = Mirror(config, getattr(args, "seeds", None), port=args.port, single_host=args.single_host).start()
    except OSError as exc:
        print(f"warta mirror: cannot listen on port {args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    seeds = mirror.write_seeds(args.seeds_out or args.data / "mirror-outlets.toml")
    for site_id, site in mirror.sites.items():
        print(f"{site_id:<12} {site.spec.theme:<9} {site.view.url('/')}")
    print(f"registry for the mirror: {seeds}  (warta crawl --seeds {seeds})")
    print("serving; Ctrl-C to stop", flush=True)
    serve_forever(mirror, args.release_every)
    return 0


def _hostile_mirror(args: argparse.Namespace) -> int:
    from mirror.hostile import SCENARIOS, HostileMirror

    with HostileMirror() as mirror:
        seeds = mirror.seeds(args.seeds_out or args.data / "hostile-outlets.toml")
        for name, site in mirror.sites.items():
            print(f"{name:<12} {site.url('/'):<28} {(SCENARIOS[name].__doc__ or '').split(chr(10))[0]}")
        print(f"never to be reached: {mirror.victims.other_host.url('/')} and {mirror.victims.other_port.url('/')}")
        print(f"registry for the hostile outlets: {seeds}  (warta crawl --seeds {seeds})")
        print("serving; Ctrl-C to stop", flush=True)
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        stop.wait()
        requests = len(mirror.victims.other_host.hits) + len(mirror.victims.other_port.hits)
        print(f"requests that reached the servers nothing may reach: {requests}")
    return 0


def _watch(args: argparse.Namespace) -> int:
    import json

    from indexer.generations import IndexMissingError
    from indexer.search import Searcher
    from monitor import watches
    from store import WatchExists

    with open_store(store_location(args.data)) as store:
        if args.action == "list":
            rows = store.watches.all()
            waiting = {(f["watch"], f["channel"]): f for f in store.watches.failures()}
            found = [{**w, "new": len(store.watches.stories(w["name"], limit=10_000)),
                      "failing": [{"channel": c, **waiting[(w["name"], c)]} for c in ("webhook", "email")
                                  if (w["name"], c) in waiting]} for w in rows]
            if args.json:
                print(json.dumps({"watches": found}, ensure_ascii=False, indent=2))
            else:
                for w in found:
                    where = " ".join(f"{k}={v}" for k, v in (("webhook", w["webhook"]), ("email", w["email"])) if v)
                    print(f"{w['name']:<20} {w['query']!r:<30} {w['new']:>5} found  {where}"
                          + "".join(f"  FAILING {f['channel']}: {f['last_error']}" for f in w["failing"]))
            return 0
        if args.action == "remove":
            if not store.watches.remove(args.name):
                print(f"warta watch: no watch named {args.name!r}", file=sys.stderr)
                return 2
            return 0
        try:
            searcher = Searcher(index_path(args.data))
            if args.action == "add":
                watch = watches.Watch(args.name, args.query, tuple(args.outlet or ()), tuple(args.region or ()),
                                      tuple(args.actor or ()), args.webhook or "", args.email or "")
                baseline = watches.add(store, searcher, watch)
                print(f"watching {args.name!r}: {baseline} stories match already (not delivered); what is new "
                      "is delivered by `warta watch run` and after every index update of `warta schedule`")
                return 0
            results = watches.run(store, searcher)
        except (watches.WatchError, WatchExists) as exc:
            message = f"a watch named {exc} exists already" if isinstance(exc, WatchExists) else str(exc)
            print(f"warta watch: {message}", file=sys.stderr)
            return 2
        except IndexMissingError as exc:
            print(f"warta watch: {exc}", file=sys.stderr)
            return 1
    for r in results:
        sent = ", ".join(f"{c} {n}" for c, n in r.delivered.items()) or "nothing to send"
        failed = "".join(f"; {c} FAILED: {e}" for c, e in r.errors.items())
        print(f"{r.name}: {r.new} new; delivered: {sent}{failed}")
    return 1 if any(r.errors for r in results) else 0


def _frontier_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--frontier", type=_frontier_url, metavar="redis://HOST:PORT/N",
                   default=os.environ.get("WARTA_FRONTIER") or None,
                   help="share the outlets' request queues with other crawl processes on this Redis "
                        "(default: $WARTA_FRONTIER, else each process its own)")


def _frontier_url(value: str) -> str:
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise argparse.ArgumentTypeError(f"expected redis://host:port/N, rediss:// or unix://, got {value!r}")
    return value


def _crawl(args: argparse.Namespace) -> int:
    from crawler.frontier import FrontierError, check_frontier
    from crawler.run import crawl
    from crawler.spiders.outlet import parse_since

    outlets = select(load_registry(getattr(args, "seeds", None)), args.outlet)
    try:
        since = parse_since(args.since)
    except ValueError as exc:
        print(f"warta crawl: {exc}", file=sys.stderr)
        return 2
    if args.frontier:
        try:
            check_frontier(args.frontier)
        except FrontierError as exc:
            print(f"warta crawl: {exc}", file=sys.stderr)
            return 1
    # crawl() returns the runs this process recorded, found by their ids (other crawls may record theirs
    # at the same time); an outlet without one never got as far as beginning its run.
    with _crawl_progress() as bar:  # on a terminal only: pages done of those found, rate, time left, articles
        runs = crawl(outlets, store_location(args.data), since=since, limit=args.limit, refresh=args.refresh,
                     log_level="INFO" if args.verbose else "WARNING", progress=bar, frontier=args.frontier)
    print(format_runs(runs))
    missing = [o.id for o in outlets if o.id not in {r.outlet for r in runs}]
    if missing:
        print(f"warta crawl: no run recorded for {', '.join(missing)}", file=sys.stderr)
    # "errors": the crawl finished, but extraction failed on some pages (see the run's error)
    # "blocked": robots.txt forbids everything, the outlet's choice; not a failure of the job
    return 0 if runs and all(r.result in ("ok", "skipped", "blocked") for r in runs) and not missing else 1


def _crawl_progress():
    """A progress bar for `warta crawl` when stderr is a terminal, else a context holding None (no callback:
    the scheduler's crawl processes, cron and tests pay nothing for it)."""
    from contextlib import nullcontext

    from warta.console import CrawlBar, interactive

    return CrawlBar(sys.stderr) if interactive() else nullcontext()


def format_runs(runs) -> str:
    lines = [f"{'outlet':<12} {'result':<11} {'pages':>6} {'new':>5} {'upd':>4} {'same':>5} {'rej':>4} "
             f"{'err':>4} {'secs':>6}"]
    for r in runs:
        lines.append(f"{r.outlet:<12} {r.result:<11} {r.pages:>6} {r.new:>5} {r.updated:>4} {r.unchanged:>5} "
                     f"{r.rejected_total:>4} {r.errors:>4} {r.duration:>6.1f}"
                     + (f"  {r.error}" if r.error else ""))
    return "\n".join(lines)


def _schedule(args: argparse.Namespace) -> int:
    from registry.schedules import Schedule, ScheduleError
    from warta.scheduler import Scheduler, setup_logging

    outlets = select(load_registry(getattr(args, "seeds", None)), args.outlet)
    try:
        every = Schedule.parse(args.every) if args.every else None
    except ScheduleError as exc:
        print(f"warta schedule: {exc}", file=sys.stderr)
        return 2
    log_file = setup_logging(args.data, args.verbose)
    print(f"warta schedule: {len(outlets)} outlets; log {log_file}; Ctrl-C or SIGTERM stops cleanly", flush=True)
    return Scheduler(outlets, args.data, getattr(args, "seeds", None), every, args.parallel,
                     publish=tuple(args.publish), index=args.index, frontier=args.frontier).run(once=args.once)


def _status(args: argparse.Namespace) -> int:
    import json

    from indexer.search import Searcher
    from monitor.status import failing_watches, read_statuses, status_json

    outlets = load_registry(getattr(args, "seeds", None))
    statuses = read_statuses(outlets, args.data, Searcher(index_path(args.data)))
    if statuses is None:
        print(f"warta status: no store at {store_location(args.data)} yet; run 'warta crawl' first", file=sys.stderr)
        return 1
    failing = failing_watches(args.data)
    if args.json:
        print(json.dumps({"outlets": [status_json(s) for s in statuses], "failing_watches": failing},
                         ensure_ascii=False, indent=2))
        return 0
    print(format_status(statuses))
    for f in failing:
        print(f"watch {f['watch']}: {f['channel']} delivery FAILING ({f['waiting']} stories waiting, "
              f"{f['attempts']} attempts): {f['last_error']}")
    return 0


STATE_WORDS = {"ok": "ok", "page_errors": "ok, {page_errors} page error(s)", "failing": "FAILING",
               "overdue": "OVERDUE", "blocked": "BLOCKED by robots.txt", "never": "no crawl finished yet"}
ERROR_WORDS = {"page": "last page error", "crawl": "crawl failed", "interrupted": "crawl stopped",
               "robots": "robots.txt"}


def format_status(statuses) -> str:
    """`warta status` as text. A crawl that ended well with some bad pages reads "ok, N page error(s)" and its
    error "last page error", so a healthy outlet is never read as a broken one ("FAILING", "crawl failed")."""
    def when(t) -> str:
        return t.astimezone(WIB).strftime("%Y-%m-%d %H:%M") if t else "-"
    lines = [f"{'outlet':<12} {'stored':>6} {'indexed':>7}  {'newest article':<16}  {'last good crawl':<16}  "
             f"{'next crawl':<16}  state"]
    for s in statuses:
        state = STATE_WORDS.get(s.health, s.health).format(page_errors=s.page_errors)
        if s.failures:
            state += f", {s.failures} failed in a row"
        if s.crawling:
            state = f"crawling, {state}"
        error = ""
        if s.last_error:
            label = ERROR_WORDS.get(s.last_error_kind, "last error")
            error = f"  {label} ({when(s.last_error_at)}): {s.last_error}"
        lines.append(f"{s.id:<12} {s.articles_stored:>6} {s.articles_indexed:>7}  {when(s.newest_article):<16}  "
                     f"{when(s.last_success):<16}  {when(s.next_due):<16}  {state}{error}")
        if s.source_alert:
            lines.append(f"{'':<12} {s.source_alert.flag.upper()} {s.source_alert.evidence}")
    lines.append("times in WIB")
    return "\n".join(lines)


def _store(args: argparse.Namespace) -> int:
    from store import problem
    from store.copy import CopyError, copy

    for flag, location in (("--from", args.source), ("--to", args.target)):
        reason = problem(location) or ("" if flag == "--to" or exists(location) else f"{location}: no store there")
        if reason:
            print(f"warta store copy: {flag}: {reason}", file=sys.stderr)
            return 2

    def progress(table: str, rows: int) -> None:
        print(f"{table}: {rows} rows copied", flush=True)

    try:
        with open_store(args.source, readonly=True) as source, open_store(args.target) as target:
            report = copy(source, target, progress, chunk=args.chunk)
    except CopyError as exc:
        print(f"warta store copy: {exc}", file=sys.stderr)
        return 1
    print(f"copied and checked (rows and content hashes): {report.summary()}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from warta import demo

    return demo.run(args)


if __name__ == "__main__":
    sys.exit(main())
