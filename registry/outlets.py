"""The outlet registry: which outlets warta crawls and how, loaded from a flat TOML file.

The registry is data a newcomer edits by hand, so every entry is checked on load and a mistake is
reported with the file, the outlet and the field, instead of surfacing later as a crawl failure.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from registry.schedules import Schedule, ScheduleError

PLATFORMS = ("wordpress", "blogger", "goid", "generic")
DEFAULT_SCHEDULE = "30m"
DEFAULT_MAX_PAGES = 50
DEFAULT_REGISTRY = Path(__file__).resolve().parent.parent / "seeds" / "outlets.toml"
OFFICES = DEFAULT_REGISTRY.with_name("places.toml")  # its [opd] names the offices a website may be

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$")  # one DNS label (\w: IDN hosts are written in Unicode too)


class RegistryError(ValueError):
    """A registry file that cannot be used; the message names the file, outlet and field."""


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    url: str  # home page, absolute
    platform: str
    regions: tuple[str, ...]
    office: str = ""  # a goid outlet that is one office's website: that office's official name
    sitemaps: tuple[str, ...] = ()  # absolute URLs (relative hints are resolved against url)
    feeds: tuple[str, ...] = ()
    archives: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()  # CSS selectors removed before extraction
    domains: tuple[str, ...] = ()  # host names the crawl may visit; the home URL's host is always in
    schedule: str = DEFAULT_SCHEDULE
    concurrency: int = 2
    delay: float = 1.0  # seconds between requests to this outlet, before AutoThrottle adjusts it
    max_pages: int = DEFAULT_MAX_PAGES  # pages one paged listing (archive, feed) is read to, at most

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def allowed_hosts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.host, *self.domains)))


_FIELDS = {  # field -> (type, required)
    "id": (str, True), "name": (str, True), "url": (str, True), "platform": (str, True),
    "regions": (list, True), "sitemaps": (list, False), "feeds": (list, False), "archives": (list, False),
    "drop": (list, False), "domains": (list, False), "schedule": (str, False), "office": (str, False),
    "concurrency": (int, False), "delay": ((int, float), False), "max_pages": (int, False),
}


def load_registry(path: str | Path | None = None) -> list[Outlet]:
    """Read and validate a registry file; raise RegistryError on the first bad entry."""
    path = Path(path) if path else DEFAULT_REGISTRY
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"{path}: registry file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: not valid TOML: {' '.join(str(exc).split())}") from None
    except OSError as exc:  # a directory, no permission
        raise RegistryError(f"{path}: cannot read the registry: {exc.strerror or exc}") from None
    unknown = set(data) - {"outlet"}
    if unknown:
        raise RegistryError(f"{path}: unknown top-level key(s) {sorted(unknown)}; entries are [[outlet]] tables")
    entries = data.get("outlet", [])
    if not isinstance(entries, list):
        raise RegistryError(f"{path}: field 'outlet': expected [[outlet]] tables, got {_kind_of(entries)}")
    if not entries:
        raise RegistryError(f"{path}: no [[outlet]] entries")
    outlets, seen = [], set()
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise RegistryError(f"{path}: outlet entry {n}: field 'outlet': expected an [[outlet]] table, "
                                f"got {_kind_of(entry)}")
        outlet = _parse_entry(entry, f"{path}: outlet {entry.get('id', '?')!r} (entry {n})")
        if outlet.id in seen:
            raise RegistryError(f"{path}: outlet {outlet.id!r} (entry {n}): field 'id': duplicate id")
        seen.add(outlet.id)
        outlets.append(outlet)
    return outlets


def select(outlets: list[Outlet], ids: list[str] | None) -> list[Outlet]:
    """The outlets named by ids (all when ids is empty), in registry order; unknown ids are an error."""
    if not ids:
        return outlets
    known = {o.id: o for o in outlets}
    missing = [i for i in ids if i not in known]
    if missing:
        raise RegistryError(f"unknown outlet id(s): {', '.join(missing)}; known: {', '.join(known)}")
    return [o for o in outlets if o.id in ids]


def _parse_entry(entry: dict, where: str) -> Outlet:
    def fail(field: str, problem: str) -> RegistryError:
        return RegistryError(f"{where}: field {field!r}: {problem}")

    _check_types(entry, fail)
    url = _checked_values(entry, fail)
    hints = {field: _hints(entry.get(field, []), url, field, fail) for field in ("sitemaps", "feeds", "archives")}
    for domain in entry.get("domains", []):
        problem = host_problem(domain.lower())
        if problem:
            raise fail("domains", f"expected host names like 'm.example.com', got {domain!r}: {problem}")
    return Outlet(
        id=entry["id"], name=entry["name"].strip(), url=url, platform=entry["platform"],
        regions=tuple(entry["regions"]), office=entry.get("office", ""), drop=tuple(entry.get("drop", [])),
        domains=tuple(d.lower() for d in entry.get("domains", [])),
        schedule=entry.get("schedule", DEFAULT_SCHEDULE), concurrency=entry.get("concurrency", 2),
        delay=float(entry.get("delay", 1.0)), max_pages=entry.get("max_pages", DEFAULT_MAX_PAGES), **hints,
    )


@functools.cache
def _offices() -> frozenset[str]:
    return frozenset(tomllib.loads(OFFICES.read_text(encoding="utf-8")).get("opd", {}))


def _check_types(entry: dict, fail: Callable[[str, str], RegistryError]) -> None:
    """Every field known, every required one there, each of its type."""
    for field in entry:
        if field not in _FIELDS:
            raise fail(field, f"unknown field; allowed: {', '.join(_FIELDS)}")
    for field, (kind, required) in _FIELDS.items():
        if field not in entry:
            if required:
                raise fail(field, "missing")
            continue
        value = entry[field]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise fail(field, f"expected {_kind_name(kind)}, got {type(value).__name__} {value!r}")
        if kind is list and not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(field, "expected a list of non-empty strings")


def _checked_values(entry: dict, fail: Callable[[str, str], RegistryError]) -> str:
    """Each value in its range, in the order a person reads the entry; returns the outlet's URL, a bare host
    given its "/"."""
    if not _ID.match(entry["id"]):
        raise fail("id", "use 1-40 lowercase letters, digits, '-' or '_'")
    if not entry["name"].strip():
        raise fail("name", "must not be empty")
    url = entry["url"]
    problem = url_problem(url)
    if problem:
        raise fail("url", f"expected an absolute http(s) URL, got {url!r}: {problem}")
    if not url.endswith("/") and not urlsplit(url).path:
        url += "/"
    if entry["platform"] not in PLATFORMS:
        raise fail("platform", f"must be one of {', '.join(PLATFORMS)}, got {entry['platform']!r}")
    if not entry["regions"]:
        raise fail("regions", "list at least one region the outlet covers")
    if "office" in entry:
        if entry["platform"] != "goid":
            raise fail("office", "is for a government office's own website (platform goid)")
        if entry["office"] not in _offices():
            raise fail("office", f"expected an office's official name as in {OFFICES.name} [opd] "
                                 f"(e.g. 'Dinas Kesehatan'), got {entry['office']!r}")
    try:
        Schedule.parse(entry.get("schedule", DEFAULT_SCHEDULE))
    except ScheduleError as exc:
        raise fail("schedule", f"{exc} (expected an interval like '30m', '2h', '1d' or a 5-field cron line "
                               "that fires)") from None
    concurrency = entry.get("concurrency", 2)
    if not 1 <= concurrency <= 8:
        raise fail("concurrency", f"expected 1 to 8 requests at once, got {concurrency}")
    delay = float(entry.get("delay", 1.0))
    if not 0 <= delay <= 60:
        raise fail("delay", f"expected 0 to 60 seconds, got {delay}")
    for css in entry.get("drop", []):
        problem = _selector_problem(css)
        if problem:
            raise fail("drop", f"not a CSS selector warta can use: {css!r} ({problem})")
    max_pages = entry.get("max_pages", DEFAULT_MAX_PAGES)
    if not 1 <= max_pages <= 10000:
        raise fail("max_pages", f"expected 1 to 10000 listing pages, got {max_pages}")
    return url


def _hints(hints: list[str], url: str, field: str, fail: Callable[[str, str], RegistryError]) -> tuple[str, ...]:
    """Sitemap, feed or archive hints as absolute http(s) URLs (a path is on the outlet's URL)."""
    resolved = []
    for hint in hints:
        try:
            absolute = urljoin(url, hint)
        except ValueError as exc:
            raise fail(field, f"not an http(s) URL or path: {hint!r}: {exc}") from None
        problem = url_problem(absolute)
        if problem:
            raise fail(field, f"not an http(s) URL or path: {hint!r}: {problem}")
        resolved.append(absolute)
    return tuple(resolved)


def url_problem(url: str) -> str:
    """What makes url unusable as a crawl address ('' when it is fine): scheme, host, port."""
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return "it contains spaces or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # a port out of range or not a number, a broken [IPv6] host
        return "the port must be a number from 1 to 65535" if "port" in str(exc).lower() else str(exc)
    if parts.scheme not in ("http", "https"):
        return "the scheme must be http or https"
    if parts.username is not None or parts.password is not None:
        return "user names and passwords do not belong in a registry URL"
    if port == 0:
        return "the port must be a number from 1 to 65535"
    if not parts.hostname:
        return "no host"
    if parts.hostname.startswith("[") or ":" in parts.hostname:  # an IPv6 address, already checked by urlsplit
        return ""
    return host_problem(parts.hostname)


def host_problem(host: str) -> str:
    """What makes host unusable as a host name ('' when it is fine)."""
    name = host[:-1] if host.endswith(".") else host
    if not name or len(name) > 253:
        return "a host name is 1 to 253 characters"
    if not all(_LABEL.match(label) for label in name.split(".")):
        return "each part of a host name is 1 to 63 letters, digits or '-', not starting or ending with '-'"
    return ""


def _kind_of(value) -> str:
    kind = {dict: "a table", list: "an array", str: "a string"}.get(type(value), type(value).__name__)
    return f"{kind} {value!r}"[:80]


def _selector_problem(css: str) -> str:
    """Why a drop selector cannot be used, compiled as extraction compiles it (lxml's cssselect); '' if it can."""
    from lxml.cssselect import CSSSelector, ExpressionError, SelectorError

    try:
        CSSSelector(css)
    except (SelectorError, ExpressionError) as exc:
        return " ".join(str(exc).split())[:120] or type(exc).__name__
    return ""


def valid_schedule(text: str) -> bool:
    try:
        Schedule.parse(text)
    except ScheduleError:
        return False
    return True


def _kind_name(kind) -> str:
    names = {str: "a string", list: "a list", int: "an integer"}
    return names.get(kind, "a number")
