"""Saved searches that alert ("pantauan"): a watch is a search; each run delivers the stories that match it
now and did not before.

Every story a watch matches is recorded once per watch in the store (keyed by its story id, which a story's
later copies and its edits keep), so a story is new exactly once, across restarts and re-crawls. When a
watch is made, what it matches already is recorded as its baseline and never delivered: a new watch alerts
on news, not on the archive. Channels: every watch has an Atom feed (the web's /pantauan/NAME.atom, from the
store); a webhook gets a POST of JSON (the watch and its new stories); email goes through the SMTP server
named in WARTA_SMTP (host:port, sender WARTA_SMTP_FROM), one message per run per watch, in Bahasa
Indonesia. A delivery that fails (the webhook down, SMTP refused) is tried again on the next run with
everything still waiting, and shows in `warta status`; a story is recorded as delivered only once its
channel accepted it, so it is never sent twice after that (a crash between the two sends it again: at least
once, never lost).
"""

from __future__ import annotations

import json
import os
import re
import smtplib
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from urllib.parse import urlsplit

from indexer.search import Searcher, SearchError, SearchRequest
from store import Store

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TIMEOUT = 15.0  # seconds a webhook or the SMTP server gets


class WatchError(ValueError):
    """A watch that cannot be made as asked (exit status 2), with a message for a person and the field at
    fault ("name", "query", "webhook", "email"), so the web form can say it in Bahasa."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Watch:
    name: str
    query: str
    outlets: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    webhook: str = ""
    email: str = ""

    @property
    def request(self) -> SearchRequest:
        return SearchRequest(self.query, outlets=self.outlets, regions=self.regions, actors=self.actors,
                             sort="newest", collapse=True, match_all=True)

    @property
    def channels(self) -> list[str]:
        return [c for c in ("webhook", "email") if getattr(self, c)]

    @classmethod
    def from_row(cls, row: dict) -> Watch:
        return cls(row["name"], row["query"], tuple(row["outlets"]), tuple(row["regions"]), tuple(row["actors"]),
                   row["webhook"], row["email"])


@dataclass
class WatchRun:
    """What one run did for one watch."""
    name: str
    new: int = 0
    delivered: dict[str, int] = field(default_factory=dict)  # channel -> stories delivered this run
    errors: dict[str, str] = field(default_factory=dict)  # channel -> why its delivery failed


def check(watch: Watch) -> None:
    if not NAME.match(watch.name):
        raise WatchError(f"watch name {watch.name!r}: use lowercase letters, digits and hyphens (at most 63)", "name")
    hook = urlsplit(watch.webhook)
    if watch.webhook and (hook.scheme not in ("http", "https") or not hook.hostname):
        raise WatchError(f"--webhook {watch.webhook!r}: not an http(s) URL", "webhook")
    if watch.email and not EMAIL.match(watch.email):
        raise WatchError(f"--email {watch.email!r}: not an address with a domain", "email")


def matching(searcher: Searcher, watch: Watch) -> list[dict]:
    """Every story the watch's search matches now (its first published copy), newest first."""
    return [{"story": r.article.story, "url": r.article.url, "title": r.article.title, "outlet": r.article.outlet,
             "published": r.article.published.isoformat() if r.article.published else None}
            for r in searcher.export(watch.request)]


def add(store: Store, searcher: Searcher, watch: Watch) -> int:
    """Make a watch; what it matches already is its baseline (never delivered). Returns the baseline's size."""
    check(watch)
    try:
        now = matching(searcher, watch)
    except SearchError as exc:
        raise WatchError(f"--query {watch.query!r}: {exc}", "query") from None
    store.watches.add({**asdict(watch), "outlets": list(watch.outlets), "regions": list(watch.regions),
                       "actors": list(watch.actors)})
    store.watches.add_stories(watch.name, now, baseline=True)
    return len(now)


def run(store: Store, searcher: Searcher, smtp: str | None = None) -> list[WatchRun]:
    """Record what each watch matches that is new, and deliver everything waiting on its channels."""
    smtp = smtp if smtp is not None else os.environ.get("WARTA_SMTP", "")
    out = []
    for watch in map(Watch.from_row, store.watches.all()):
        result = WatchRun(watch.name)
        seen = store.watches.story_ids(watch.name)
        new = [s for s in matching(searcher, watch) if s["story"] not in seen]
        store.watches.add_stories(watch.name, new, baseline=False)
        result.new = len(new)
        for channel in watch.channels:
            waiting = store.watches.pending(watch.name, channel)
            if not waiting:
                continue
            try:
                if channel == "webhook":
                    post(watch, waiting)
                else:
                    mail(watch, waiting, smtp)
            except (OSError, smtplib.SMTPException, ValueError) as exc:
                result.errors[channel] = f"{type(exc).__name__}: {exc}"[:300]
                store.watches.record(watch.name, [s["story"] for s in waiting], channel, result.errors[channel])
            else:
                store.watches.record(watch.name, [s["story"] for s in waiting], channel)
                result.delivered[channel] = len(waiting)
        out.append(result)
    return out


def payload(watch: Watch, stories: list[dict]) -> dict:
    """What a webhook receives."""
    return {"watch": {"name": watch.name, "query": watch.query, "outlets": list(watch.outlets),
                      "regions": list(watch.regions), "actors": list(watch.actors)},
            "stories": [{k: s[k] for k in ("story", "url", "title", "outlet", "published")} for s in stories]}


def post(watch: Watch, stories: list[dict]) -> None:
    body = json.dumps(payload(watch, stories), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(watch.webhook, data=body, method="POST",
                                     headers={"Content-Type": "application/json", "User-Agent": "warta-pantauan"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        if not 200 <= response.status < 300:
            raise ValueError(f"webhook answered {response.status}")


def mail(watch: Watch, stories: list[dict], smtp: str) -> None:
    host, _, port = smtp.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError("no SMTP server: set WARTA_SMTP=host:port")
    message = EmailMessage()
    message["Subject"] = f"[warta] {len(stories)} berita baru untuk pantauan “{watch.name}”"
    message["From"] = os.environ.get("WARTA_SMTP_FROM", "warta@localhost")
    message["To"] = watch.email
    lines = [f"Pantauan “{watch.name}” ({watch.query}) menemukan {len(stories)} berita baru:", ""]
    for s in stories:
        lines += [f"- {s['title']} ({s['outlet']}, {(s['published'] or 'tanpa tanggal')[:10]})", f"  {s['url']}"]
    lines += ["", "Pesan ini dikirim oleh warta. Hapus pantauan dengan: warta watch remove " + watch.name]
    message.set_content("\n".join(lines))
    with smtplib.SMTP(host, int(port), timeout=TIMEOUT) as server:
        server.send_message(message)
