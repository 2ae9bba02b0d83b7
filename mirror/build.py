"""Compose the mirror: which articles each site publishes, with their true metadata.

Deterministic for a given config, so a test can build the same mirror twice and compare. Article text
comes from the seed articles, then news written from the grammar of pemda news (mirror/newsgen.py) and,
when the shared corpus is present, real detik.com articles beside it (up to half of each site).
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from mirror import newsgen
from mirror.model import THEMES, WIB, MirrorArticle, SiteSpec
from mirror.render import slugify
from mirror.syndicate import copy_of
from mirror.texts import Text, corpus_texts, load_texts, seed_texts
from registry import load_registry

SITES = Path(__file__).parent / "sites.toml"

AUTHORS = ("Burhan S", "Rina Siregar", "Dedi Hutapea", "Teddy Akbari", "Agus Utama", "Nurhayati Lubis",
           "Fadli Nasution", "Sri Wahyuni", "Hendra Sembiring", "Putri Damanik")
GOID_AUTHORS = ("Admin Diskominfo", "Humas Setdako", "Tim Media Center")
SPAN = (datetime(2022, 1, 3, tzinfo=WIB), datetime(2025, 10, 31, tzinfo=WIB))
RECENT_DAYS = 42


@dataclass(frozen=True)
class MirrorConfig:
    articles_per_site: int = 24  # visible when the mirror starts
    reserve_per_site: int = 6  # held back, published later by Mirror.release()
    sitemap_size: int = 1000  # URLs per sitemap file (Yoast's default)
    slow_seconds: float = 2.0
    huge_mb: int = 12
    use_corpus: bool = True
    extra: str = ""  # a TOML file of more articles pinned to sites (seed_articles.toml's format), e.g. for tests
    gzip: bool = True  # compress responses for clients that accept gzip, as real servers do
    seed: int = 2025
    syndicated: float = 0.0  # share of the news sites' articles that are copies of the .go.id portals' releases
    until: str = ""  # YYYY-MM-DD the visible news runs up to (the day before); "" is SPAN's fixed end
    recent: float = 0.0  # share of written articles dated in the RECENT_DAYS before `until` (the rest: over years)


@dataclass
class SiteContent:
    spec: SiteSpec
    articles: list[MirrorArticle]  # oldest first; the last reserve_per_site start hidden


def load_site_specs(registry: str | Path | None = None) -> list[SiteSpec]:
    """Site behaviour from mirror/sites.toml, with names and regions from the outlet registry."""
    outlets = {o.id: o for o in load_registry(registry)}
    specs = []
    for raw in tomllib.loads(SITES.read_text(encoding="utf-8"))["site"]:
        outlet = outlets.get(raw["id"])
        if outlet is None:
            raise ValueError(f"{SITES}: site {raw['id']!r} is not an outlet of the registry")
        if raw["theme"] not in THEMES:
            raise ValueError(f"{SITES}: site {raw['id']!r}: unknown theme {raw['theme']!r}")
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
        specs.append(SiteSpec(name=outlet.name, regions=outlet.regions, **fields))
    return specs


def build(config: MirrorConfig, specs: list[SiteSpec]) -> list[SiteContent]:
    rng = random.Random(config.seed)
    pinned = seed_texts() + (load_texts(Path(config.extra), "extra") if config.extra else ())
    corpus = list(corpus_texts()) if config.use_corpus else []
    rng.shuffle(corpus)
    taken = {t.title.casefold() for t in pinned}
    wanted = config.articles_per_site + config.reserve_per_site
    out = []
    # the portals first, so that the news sites can run copies of what the portals published
    order = sorted(range(len(specs)), key=lambda k: specs[k].theme != "goid")
    releases: list[MirrorArticle] = []
    for k in order:
        spec = specs[k]
        texts = [t for t in pinned if t.site == spec.id]
        copies = _copies(rng, releases, spec, round(wanted * config.syndicated), taken) if spec.theme != "goid" else []
        texts += corpus[k::len(specs)][: max(0, wanted - len(texts) - len(copies)) // 2]
        taken.update(t.title.casefold() for t in texts)
        while len(texts) < wanted - len(copies):
            government, place = newsgen.subjects(rng, spec.regions, portal=spec.theme == "goid")
            texts.append(newsgen.write(rng, f"{spec.id}-{len(texts)}", government, place, spec.dateline, taken))
        content = SiteContent(spec, _publish(rng, spec, texts + copies, config.reserve_per_site, _span(config),
                                             config.recent))
        taken.update(a.title.casefold() for a in content.articles)  # as published: with their years filled in
        if spec.theme == "goid":
            releases += content.articles[: config.articles_per_site]
        out.append(content)
    return sorted(out, key=lambda c: specs.index(c.spec))


def _copies(rng: random.Random, releases: list[MirrorArticle], spec: SiteSpec, n: int, taken: set[str]
            ) -> list[Text]:
    """A news site's copies of portal releases, each published a few hours after the release under the
    outlet's own headline (one no other article of the mirror has)."""
    out = []
    for release in rng.sample(releases, min(n, len(releases))):
        for _ in range(10):
            title, paragraphs, _ = copy_of(release.title, release.paragraphs, rng, most=3, retitle=1.0)
            if title.casefold() not in taken:
                break
        taken.add(title.casefold())
        out.append(Text(key=f"{spec.id}-copy-{release.site}-{release.number}", title=title, paragraphs=paragraphs,
                        published=release.published + timedelta(hours=rng.randint(2, 30)), category="Pemerintahan",
                        site=spec.id, copy_of=(release.site, release.number)))
    return out


def _span(config: MirrorConfig) -> tuple[datetime, datetime]:
    """Dates written articles take: SPAN, or the same length of time ending the day before `until`."""
    if not config.until:
        return SPAN
    end = datetime.fromisoformat(config.until).replace(tzinfo=WIB) - timedelta(days=1)
    return end - (SPAN[1] - SPAN[0]), end


def _publish(rng: random.Random, spec: SiteSpec, texts: list[Text], reserve: int,
             span: tuple[datetime, datetime] = SPAN, recent: float = 0.0) -> list[MirrorArticle]:
    """Give texts dates, numbers, slugs and paths; the newest `reserve` are dated after all the rest.

    A `recent` share of the undated texts falls in the last RECENT_DAYS of the span, so a demo reads like
    the past weeks of regional news with its archive behind it."""
    def when() -> datetime:
        start = span[1] - timedelta(days=RECENT_DAYS) if rng.random() < recent else span[0]
        return start + timedelta(seconds=rng.randrange(int((span[1] - start).total_seconds())))

    dated = [(t.published or when(), t) for t in texts]
    seeds = [d for d in dated if d[1].site]  # pinned texts are always visible
    rest = sorted((d for d in dated if not d[1].site), key=lambda d: d[0])
    visible, held = sorted(seeds + rest[: len(rest) - reserve], key=lambda d: d[0]), rest[len(rest) - reserve:]
    newest = visible[-1][0] if visible else span[1]
    held = [(newest + timedelta(hours=3 * (i + 1), minutes=rng.randrange(60)), t) for i, (_, t) in enumerate(held)]
    authors = GOID_AUTHORS if spec.theme == "goid" else AUTHORS
    articles, slugs = [], set()
    for i, (published, text) in enumerate(visible + held):
        published = published.replace(second=0, microsecond=0)
        text = newsgen.dated(text, published)
        slug = base = slugify(text.title)
        n = 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        number = 1000 + 7 * i + rng.randrange(7)
        articles.append(MirrorArticle(
            site=spec.id, number=number, slug=slug,
            path=spec.permalink.format(yyyy=f"{published:%Y}", mm=f"{published:%m}", dd=f"{published:%d}",
                                       slug=slug, number=number),
            title=text.title, paragraphs=text.paragraphs, published=published,
            modified=published + timedelta(minutes=rng.choice((0, 0, 12, 95, 1440))),
            author=text.author or rng.choice(authors), category=text.category,
            tags=text.tags or tuple(w for w in text.title.split() if w[:1].isupper())[:3],
            regions=spec.regions, image=_image_path(spec, published, number, slug),
            image_caption=text.image_caption, copy_of=text.copy_of, pinned=bool(text.site) and not text.copy_of,
        ))
    return articles


def _image_path(spec: SiteSpec, published: datetime, number: int, slug: str) -> str:
    if spec.theme == "blogger":
        return f"/img/b/R29vZ2xl/AVvXsE{number}/s1600/{slug[:30]}.jpg"
    if spec.theme == "goid":
        return f"/uploads/berita/{number}.jpg"
    return f"/wp-content/uploads/{published:%Y/%m}/{slug[:40]}.jpg"


def with_sizes(config: MirrorConfig, **changes) -> MirrorConfig:
    return replace(config, **changes)
