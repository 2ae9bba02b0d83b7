"""The crawl frontier: what one outlet's crawl has queued and seen, in this process or shared on Redis.

Alone, a crawl keeps its frontier in memory (LocalFrontier). With `--frontier redis://host:port/N`, every
crawl process of an outlet, on this machine or another, shares one (RedisFrontier): its request queue (a
scrapy-redis priority queue, taken by whichever process has room), the listing URLs already requested
(scrapy-redis's duplicate filter), the article pages claimed, the listing pages read, the pages requested
against the outlet's budget and the budget's start, and each host's turn: the outlet's delay and a
Retry-After pause hold for all processes together, not for each. Every process still reads robots.txt
itself (its request is kept in the process that made it).

A shared crawl is a *generation*: the first process to join an outlet's frontier with nobody else there
starts one (the claims of an earlier generation are cleared; requests still queued from a crawl that was
killed stay, so that crawl resumes); the last to leave after a finished crawl clears it all. Members
announce themselves every HEARTBEAT seconds: a process with an empty queue stays while another member has
work in flight (it may yet queue more), and a member that stops announcing (killed) is forgotten after
MEMBER_TTL seconds. What a killed process had in flight is fetched by the next run (the store, not the
frontier, says what is held).

If Redis is lost mid-crawl (unreachable after retries, or restarted empty: the generation's key is gone)
the crawl stops with a clear error and its run is "failed"; what it stored stays, the next run completes.

Requests are serialised as JSON, not pickle: whoever can write to Redis must not be able to run code in
the crawlers.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import time
import uuid
from collections import deque

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from scrapy.utils.defer import deferred_from_coro

from store import open_store

log = logging.getLogger(__name__)

HEARTBEAT = 1.0  # seconds between a member's announcements
QUIET = 1.5  # seconds a member sees nothing queued and nobody busy before it closes
MEMBER_TTL = 10.0  # seconds without an announcement after which a member counts as gone


# What a generation knows beyond its members and queue: the requests counted against the budget, the
# budget found spent, a member lost, a listing read, the listing URLs requested (scrapy-redis's seen set)
# and the claims.
GENERATION_STATE = ("count", "spent", "lost", "read", "seen", "claim:article", "claim:listed", "claim:page")


class FrontierError(RuntimeError):
    """The shared frontier can no longer be trusted (Redis unreachable, or restarted without its data)."""


class LocalFrontier:
    """One process's frontier: sets in memory (what a crawl without --frontier uses)."""

    shared = False

    def __init__(self) -> None:
        self._claims: dict[str, set[str]] = {}
        self.started = time.time()
        self.spent_reason: str | None = None

    def claim(self, kind: str, keys: list[str]) -> list[bool]:
        """For each key, whether this call is the first to claim it (of its kind, in this crawl)."""
        seen = self._claims.setdefault(kind, set())
        fresh = []
        for key in keys:
            fresh.append(key not in seen)
            seen.add(key)
        return fresh

    def requests(self, own: int) -> int:
        """Requests made against the outlet's budget, by every member (here: this process's own)."""
        return own

    def take_turn(self, host: str, delay: float) -> float:
        """Seconds a request to host must wait for its turn across processes (alone: none, the download slot
        keeps the delay)."""
        return 0.0

    def pause(self, host: str, seconds: float) -> None:
        """The host asked every process to wait (Retry-After); alone, the download slot holds it."""

    def spend(self, reason: str) -> None:
        self.spent_reason = self.spent_reason or reason

    def note_listing_read(self) -> None:
        """A listing page was read (on a shared frontier, any member's counts for all)."""


# Joining: drop members that stopped announcing; with nobody left (or no generation: Redis lost it), start a
# new generation (clear the last one's claims, keep its queue); then announce. Atomic, so two processes
# starting at once agree.
_JOIN = """
local t = redis.call('TIME')
local now = tonumber(t[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 0 then
  for i = 4, #KEYS do redis.call('DEL', KEYS[i]) end
  redis.call('SET', KEYS[2], ARGV[3])
  redis.call('SET', KEYS[3], now)
end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], 1)
return {redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3]), t[1] .. '.' .. string.format('%06d', t[2])}
"""
# A turn at a host, shared by every process: the time the next request may go out is kept per host, and
# each request takes the next free moment (spaced by the outlet's delay, or after a pause) and counts against
# the outlet's budget. Returns the wait and the requests counted so far.
_TURN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local free = at + tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(free), 'PX', math.ceil((free - now) * 1000) + 60000)
return {tostring(at - now), redis.call('INCR', KEYS[2])}
"""
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local free = math.max(now + tonumber(ARGV[1]), tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], tostring(free), 'PX', math.ceil((free - now) * 1000) + 60000)
return 1
"""
# A member's announcement, on the server's clock like every liveness check here (crawler machines' clocks
# need not agree): its time and whether it is busy; back, what the generation knows.
_BEAT = """
redis.call('ZADD', KEYS[1], tonumber(redis.call('TIME')[1]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return {redis.call('GET', KEYS[3]), redis.call('GET', KEYS[4]), redis.call('EXISTS', KEYS[5])}
"""
# Is another member busy? Members silent for ARGV[2] seconds are dropped first, and the generation
# remembers that one was lost. Returns {members dropped, another busy (0/1)}.
_OTHERS = """
local now = tonumber(redis.call('TIME')[1])
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
for _, m in ipairs(dead) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('HDEL', KEYS[2], m)
end
if #dead > 0 then redis.call('SET', KEYS[3], 1) end
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if m ~= ARGV[1] and redis.call('HGET', KEYS[2], m) == '1' then return {#dead, 1} end
end
return {#dead, 0}
"""
# Leaving: the last member out after a finished crawl clears the frontier (ARGV[2] = '1').
_LEAVE = """
local now = tonumber(redis.call('TIME')[1])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
if redis.call('ZCARD', KEYS[1]) == 0 and ARGV[2] == '1' then
  for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
  return 1
end
return 0
"""


class RedisFrontier:
    """An outlet's frontier shared on Redis by every crawl process that names it."""

    shared = True

    def __init__(self, url: str, outlet: str) -> None:
        import redis
        from redis.backoff import ExponentialBackoff
        from redis.retry import Retry

        self.url, self.outlet = url, outlet
        # A brief outage (a restart) is ridden out; a longer one is FrontierError.
        self.redis = redis.Redis.from_url(
            url, socket_timeout=10, socket_connect_timeout=5, health_check_interval=30,
            retry=Retry(ExponentialBackoff(cap=2.0, base=0.2), 6),
            retry_on_error=[redis.ConnectionError, redis.TimeoutError])
        self.errors = (redis.RedisError, OSError)
        self.member = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        prefix = f"warta:frontier:{outlet}:"
        self.key = {name: prefix + name for name in (
            "members", "generation", "started", "busy", "queue", *GENERATION_STATE)}
        self.generation = ""
        self.started = time.time()
        self.spent_reason: str | None = None
        self.first = False  # this process started the generation (nobody else was crawling the outlet)
        self.member_lost = False  # a process of this generation stopped answering (killed)
        self.listings_read = False  # some member read a listing in this generation (known at close)
        self._total_requests = 0
        self.lost: str | None = None

    # -- membership -----------------------------------------------------------------------------------
    def join(self) -> None:
        k = self.key
        keys = [k[n] for n in ("members", "generation", "started", "busy", *GENERATION_STATE)]
        mine = uuid.uuid4().hex
        generation, started, now = self._call(self.redis.eval, _JOIN, len(keys), *keys, self.member, MEMBER_TTL,
                                              mine)
        # the generation's start on this machine's clock (the time budget is checked against it): Redis's start
        # moved by this machine's offset from Redis's clock, so crawler machines' clocks need not agree
        self.generation, self.started = generation.decode(), float(started) - float(now) + time.time()
        self.first = self.generation == mine
        log.info("%s: joined frontier %s (generation %s%s)", self.outlet, self.url, self.generation[:8],
                 ", new" if self.first else "")

    def mark_busy(self) -> None:
        """Tell the other members at once that this one took work (they may be deciding whether to close)."""
        self._call(self.redis.hset, self.key["busy"], self.member, 1)

    def heartbeat(self, busy: bool) -> None:
        """Announce this member (busy or not) and read the generation's shared state; FrontierError if Redis
        lost it."""
        keys = [self.key[n] for n in ("members", "busy", "generation", "spent", "lost")]
        generation, spent, lost = self._call(self.redis.eval, _BEAT, len(keys), *keys, self.member, int(busy))
        if (generation or b"").decode() != self.generation:
            self._lose("Redis lost the crawl's frontier (restarted without its data?)")
        if spent:
            self.spent_reason = self.spent_reason or spent.decode()
        self.member_lost = bool(lost)

    def others_busy(self) -> bool:
        """Whether another live member has work in flight (and may queue more). A member that stopped
        announcing itself is dropped, and the generation remembers that one was lost."""
        keys = [self.key[n] for n in ("members", "busy", "lost")]
        dead, busy = self._call(self.redis.eval, _OTHERS, len(keys), *keys, self.member, MEMBER_TTL)
        if dead:
            log.warning("%s: %d crawl process(es) of this frontier stopped answering; what they had in flight "
                        "is fetched by the next run", self.outlet, dead)
            self.member_lost = True
        return bool(busy)

    def leave(self, finished: bool) -> None:
        k = self.key
        keys = [k[n] for n in ("members", "busy", "generation", "started", "queue", *GENERATION_STATE)]
        try:
            cleared = self.redis.eval(_LEAVE, len(keys), *keys, self.member, int(finished), MEMBER_TTL)
        except self.errors as exc:  # nothing to lose: the generation ends on its own once members lapse
            log.warning("%s: could not leave the frontier cleanly: %s", self.outlet, exc)
            return
        if cleared:
            log.info("%s: last member out; frontier cleared", self.outlet)

    # -- shared state ---------------------------------------------------------------------------------
    def claim(self, kind: str, keys: list[str]) -> list[bool]:
        if not keys:
            return []
        pipe = self.redis.pipeline(transaction=False)
        for key in keys:
            pipe.sadd(self.key[f"claim:{kind}"], key)
        try:
            return [bool(n) for n in self._call(pipe.execute)]
        except FrontierError:
            return [False] * len(keys)  # claim nothing: what is not fetched now is fetched next run

    def requests(self, own: int) -> int:
        return max(self._total_requests, own)

    def note_listing_read(self) -> None:
        if not self.listings_read:
            self.listings_read = True
            try:
                self._call(self.redis.set, self.key["read"], 1)
            except FrontierError:
                pass

    def take_turn(self, host: str, delay: float) -> float:
        try:
            wait, count = self._call(self.redis.eval, _TURN, 2, self._turn_key(host), self.key["count"], delay)
        except FrontierError:
            return delay  # the crawl is stopping
        self._total_requests = int(count)
        return float(wait)

    def pause(self, host: str, seconds: float) -> None:
        try:
            self._call(self.redis.eval, _PAUSE, 1, self._turn_key(host), seconds)
        except FrontierError:
            pass

    def _turn_key(self, host: str) -> str:
        return f"warta:frontier:host:{host}"

    def spend(self, reason: str) -> None:
        if self.spent_reason is None:
            self.spent_reason = reason
            try:
                self._call(self.redis.set, self.key["spent"], reason, nx=True)
            except FrontierError:
                pass

    def _call(self, fn, *args, **kwargs):
        if self.lost:
            raise FrontierError(self.lost)
        try:
            return fn(*args, **kwargs)
        except self.errors as exc:
            self._lose(f"the crawl frontier at {self.url} is unreachable ({exc})")

    def _lose(self, why: str):
        self.lost = why
        raise FrontierError(why)


def check_frontier(url: str) -> None:
    """FrontierError with a clear message unless Redis at url answers (before a crawl starts on it)."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5).ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        raise FrontierError(f"the crawl frontier at {url} cannot be reached: {exc}") from None


class JsonSerializer:
    """Requests as JSON for the shared queue: bytes (headers, bodies) as base64, a mapping with bytes keys
    (headers) as pairs."""

    @staticmethod
    def dumps(obj) -> bytes:
        return json.dumps(_plain(obj), separators=(",", ":")).encode()

    @staticmethod
    def loads(data: bytes):
        return json.loads(data, object_hook=_unplain)


def _plain(value):
    if isinstance(value, bytes):
        return {"__b64": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _plain(v) for k, v in value.items()}
        return {"__pairs": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _unplain(obj: dict):
    if obj.keys() == {"__b64"}:
        return base64.b64decode(obj["__b64"])
    if obj.keys() == {"__pairs"}:
        return {(tuple(k) if isinstance(k, list) else k): v for k, v in obj["__pairs"]}
    return obj


class FrontierScheduler:
    """Scrapy's scheduler for a crawl on a shared frontier: the outlet's requests go to its queue on Redis
    (scrapy-redis's PriorityQueue and RFPDupeFilter under the outlet's keys), except robots.txt, which each
    process fetches for itself. The spider stays open while the queue holds requests or another member is
    busy, and closes with reason "frontier-lost" if Redis is lost."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.local: deque[Request] = deque()
        self.frontier: RedisFrontier | None = None
        self.queue = self.seen = None
        self._beat = None
        self._busy_told = True  # joining tells the others this member is busy
        self._quiet_since: float | None = None
        crawler.signals.connect(self._idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler) -> FrontierScheduler:
        return cls(crawler)

    def open(self, spider) -> None:
        from scrapy_redis.dupefilter import RFPDupeFilter
        from scrapy_redis.queue import PriorityQueue
        from twisted.internet import task

        self.spider = spider
        self.frontier = spider.frontier
        frontier = self.frontier
        self.queue = PriorityQueue(frontier.redis, spider, frontier.key["queue"], serializer=JsonSerializer)
        self.seen = RFPDupeFilter(frontier.redis, frontier.key["seen"])
        self._guard(frontier.join)
        if frontier.first:  # nobody else crawls the outlet: a run still "running" is a killed process's
            with open_store(self.crawler.settings.get("WARTA_STORE")) as store:
                store.interrupt_running([frontier.outlet])
        if self._guard(len, self.queue):
            log.info("%s: resuming a crawl with %d requests queued", frontier.outlet, len(self.queue))
        self._beat = task.LoopingCall(self._heartbeat)
        self._beat.start(HEARTBEAT, now=True)

    def close(self, reason: str) -> None:
        if self._beat and self._beat.running:
            self._beat.stop()
        if self.frontier is None:
            return
        if self.frontier.member_lost:  # the run did not see everything
            self.crawler.stats.set_value("warta/frontier/member-lost", 1)
        if not self.frontier.lost:
            if not self.frontier.listings_read:  # did another member read them?
                self.frontier.listings_read = bool(self._guard(self.frontier.redis.exists, self.frontier.key["read"]))
            # Another member may have spent the budget since this one's last heartbeat: a run that closes with
            # nothing queued must not count as a complete crawl then (the next run would stop its walks early).
            spent = self._guard(self.frontier.redis.get, self.frontier.key["spent"])
            if spent and not self.crawler.stats.get_value("warta/budget/spent"):
                self.crawler.stats.set_value("warta/budget/spent", spent.decode())
            self.frontier.leave(finished=reason == "finished")

    def has_pending_requests(self) -> bool:
        return bool(self.local) or bool(self._guard(len, self.queue) if self.queue is not None else 0)

    def enqueue_request(self, request: Request) -> bool:
        stats = self.crawler.stats
        if request.meta.get("robots"):
            self.local.append(request)
            return True
        if not request.dont_filter and self._guard(self.seen.request_seen, request):
            stats.inc_value("scheduler/filtered/frontier")
            return False
        try:
            pushed = self._guard(self.queue.push, request) is not False
        except (TypeError, ValueError) as exc:  # not serialisable (a callback that is not the spider's): ours
            log.warning("%s: %s kept in this process: %s", self.frontier.outlet, request.url[:200], exc)
            self.local.append(request)
            pushed = True
        if pushed:
            stats.inc_value("scheduler/enqueued")
        return pushed

    def next_request(self) -> Request | None:
        if self.local:
            return self.local.popleft()
        request = self._guard(self.queue.pop) if self.queue is not None else None
        if request is not None:
            self.crawler.stats.inc_value("scheduler/dequeued")
            if not self._busy_told:
                self._busy_told = True
                self._guard(self.frontier.mark_busy)
        return request

    # -- keeping the members in step --------------------------------------------------------------------
    def _busy(self) -> bool:
        engine = self.crawler.engine
        try:
            return not engine.spider_is_idle()
        except (AttributeError, RuntimeError):  # not open yet, or closed
            return False

    def _heartbeat(self) -> None:
        busy = self._busy()
        if self._guard(self.frontier.heartbeat, busy) is False:
            return
        self._busy_told = busy
        # Wake the engine now rather than at its next 5-second idle check: it takes what other members
        # queued meanwhile, or, with nothing left anywhere, closes.
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()

    def _idle(self, spider=None) -> None:
        """Close only after QUIET seconds with nothing queued and no other member busy: a member that has
        just taken the last request may not have said so yet."""
        if self.frontier is None or self.frontier.lost:
            return
        if self._guard(len, self.queue) or self._guard(self.frontier.others_busy):
            self._quiet_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self._quiet_since is None:
            self._quiet_since = now
        if now - self._quiet_since < QUIET:
            raise DontCloseSpider

    def _guard(self, fn, *args):
        """fn(*args); on a lost frontier, the crawl is stopped (reason "frontier-lost") and False returned."""
        try:
            return fn(*args)
        except FrontierError as exc:
            self._stop(str(exc))
        except self.frontier.errors as exc:
            self.frontier.lost = f"the crawl frontier at {self.frontier.url} is unreachable ({exc})"
            self._stop(self.frontier.lost)
        return False

    def _stop(self, why: str) -> None:
        spider = self.spider
        if getattr(spider, "frontier_error", ""):
            return
        spider.frontier_error = why
        spider.last_error = why
        log.error("%s: %s; the crawl stops, the next run completes it", self.frontier.outlet, why)
        if self._beat and self._beat.running:
            self._beat.stop()
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="frontier-lost"))
