"""The extraction evaluation set and its scoring, shared by tests/extraction and bench/extraction.py.

A case is a saved page (`pages/NAME.html`) with its expected article (`pages/NAME.json`): title, date,
author and paragraphs, or the reason it must be rejected. Body text is scored on words, as trafilatura's
own evaluation does: precision and recall of the bag of lowercased words, so a missed paragraph costs
recall and a kept ad label or comment widget costs precision.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

PAGES = Path(__file__).parent / "pages"
_WORD = re.compile(r"\w+")


@dataclass
class Case:
    name: str
    outlet: str
    platform: str
    url: str
    html: str
    title: str = ""
    published: datetime | None = None
    author: str = ""
    paragraphs: list[str] = field(default_factory=list)
    reject: str = ""  # the reason a page that is no article must be rejected with
    gold: str = "mirror"  # where the expected article comes from: mirror, hand, or a source repository's data
    scored: tuple[str, ...] = ("title", "date", "body")  # the fields that have gold (a real page may lack some)
    language: str = "id"  # "any": score the body with warta's language gate out of the way

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class Got:
    title: str = ""
    text: str = ""
    published: datetime | date | None = None
    rejected: str = ""


@dataclass
class Score:
    case: Case
    got: Got
    precision: float
    recall: float
    ms: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def title_ok(self) -> bool:
        return norm(self.got.title) == norm(self.case.title)

    @property
    def date_ok(self) -> bool:
        want, got = self.case.published, self.got.published
        if want is None or got is None:
            return want is got
        if isinstance(got, datetime):  # a gold day without a zone is the day as the page prints it
            got = got.astimezone(want.tzinfo).date() if got.tzinfo and want.tzinfo else got.date()
        return got == want.date()


def load(directory: Path = PAGES) -> list[Case]:
    cases = []
    for meta_file in sorted(directory.glob("*.json")):
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        html = meta_file.with_suffix(".html").read_bytes().decode(meta.get("charset", "utf-8"))
        published = datetime.fromisoformat(meta["published"]) if meta.get("published") else None
        cases.append(Case(meta_file.stem, meta["outlet"], meta["platform"], meta["url"], html, meta.get("title", ""),
                          published, meta.get("author", ""), meta.get("paragraphs", []), meta.get("reject", "")))
    return cases


def save(case: Case, directory: Path = PAGES, charset: str = "utf-8") -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{case.name}.html").write_bytes(case.html.encode(charset, "xmlcharrefreplace"))
    meta = {"outlet": case.outlet, "platform": case.platform, "url": case.url, "charset": charset}
    if case.reject:
        meta["reject"] = case.reject
    else:
        meta.update(title=case.title, published=case.published.isoformat() if case.published else None,
                    author=case.author, paragraphs=case.paragraphs)
    (directory / f"{case.name}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                                 encoding="utf-8")


def words(text: str) -> Counter:
    return Counter(_WORD.findall(text.lower()))


def norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def score(case: Case, got: Got, ms: float) -> Score:
    want, have = words(case.text), words(got.text)
    common = sum((want & have).values())
    precision = common / sum(have.values()) if have else 0.0
    recall = common / sum(want.values()) if want else 0.0
    return Score(case, got, precision, recall, ms)


def run(cases: Iterable[Case], extractor: Callable[[Case], Got]) -> list[Score]:
    """Score an extractor on the article cases (pages to be rejected are left to the tests)."""
    scores = []
    for case in cases:
        if case.reject:
            continue
        start = time.perf_counter()
        got = extractor(case)
        scores.append(score(case, got, (time.perf_counter() - start) * 1000))
    return scores


def summary(scores: list[Score]) -> dict[str, float]:
    """Means over the pages; body, title and date each over the pages that have that gold (nan when none has)."""
    n = len(scores) or 1
    bodied = [s for s in scores if "body" in s.case.scored]
    titled = [s for s in scores if "title" in s.case.scored]
    dated = [s for s in scores if "date" in s.case.scored]

    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else float("nan")

    return {"pages": len(scores), "bodied": len(bodied), "titled": len(titled), "dated": len(dated),
            "precision": mean([s.precision for s in bodied]), "recall": mean([s.recall for s in bodied]),
            "f1": mean([s.f1 for s in bodied]),
            "title": mean([s.title_ok for s in titled]), "date": mean([s.date_ok for s in dated]),
            "ms": sum(s.ms for s in scores) / n}


def mirror_cases(config, listings: bool = False) -> Iterable[tuple[Case, str]]:
    """(case, charset) for every article page of a mirror built with config, under the outlets' real hosts."""
    from mirror.build import build, load_site_specs
    from mirror.site import Site

    for content in build(config, load_site_specs()):
        spec = content.spec
        site = Site(content, config, f"https://{spec.host}")
        platform = PLATFORM[spec.theme]
        for a in site.articles():
            response = site.handle("GET", a.path, "")
            if response.status == 503:  # the flaky trap answers 503 once
                response = site.handle("GET", a.path, "")
            assert response.status == 200, (spec.id, a.path, response.status)
            yield Case(f"mirror-{spec.id}-{a.number}", spec.id, platform, site.view.url(a.path),
                       response.body.decode(spec.encoding), a.title, a.published, a.author,
                       list(a.paragraphs)), spec.encoding
        if not listings:
            continue
        listing = {"goid": "/berita?page=2", "blogger": "/search/label/Pemerintahan"}.get(
            platform, f"/category/{a.category.lower()}/")
        path, _, query = listing.partition("?")
        for name, (p, q), reason in ((f"mirror-{spec.id}-listing", (path, query), "listing-page"),
                                     (f"mirror-{spec.id}-404", ("/tidak-ada-halaman-ini-lagi/", ""), "error-page")):
            response = site.handle("GET", p, q)
            yield Case(name, spec.id, platform, site.view.url(p) + (f"?{q}" if q else ""),
                       response.body.decode(spec.encoding), reject=reason), spec.encoding


PLATFORM = {"newspaper": "wordpress", "jnews": "wordpress", "wpplain": "wordpress", "blogger": "blogger",
            "goid": "goid"}


# -- the two extractors compared ------------------------------------------------------------------------
def warta(case: Case) -> Got:
    from crawler.extract import Rejected, extract

    try:
        a = extract(case.html, case.url, outlet_of(case), language_gate=case.language == "id")
    except Rejected as exc:
        return Got(rejected=str(exc))
    return Got(a.title, a.text, a.published)


def plain_trafilatura(case: Case) -> Got:
    import trafilatura

    doc = trafilatura.bare_extraction(case.html, url=case.url, with_metadata=True)
    if doc is None:
        return Got(rejected="none")
    published = date.fromisoformat(doc.date[:10]) if doc.date else None
    return Got(doc.title or "", doc.text or "", published)


_OUTLETS: dict = {}


def outlet_of(case: Case):
    """The registry entry of the case's outlet (None for the hand-written pages of other outlets)."""
    if not _OUTLETS:
        from registry import load_registry

        _OUTLETS.update({o.id: o for o in load_registry()})
    return _OUTLETS.get(case.outlet)
