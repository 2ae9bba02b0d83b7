"""Where mirror articles get their words: the seed articles (in the repository) and the shared corpus.

The corpus of real detik.com articles lives outside the repository (../shared/corpus/) and is read in
place. When it is absent the mirror still works: it composes extra articles from the seed paragraphs,
so the project's own tests never depend on it.
"""

from __future__ import annotations

import csv
import json
import os
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from mirror.model import WIB

SEEDS = Path(__file__).parent / "data" / "seed_articles.toml"
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "detik-2025.csv"

# Lines detik.com leaves inside its bodies; they are not article text.
# Promotions the corpus kept from its source pages: not the article's own words, so not in the truth.
_NOISE_PREFIXES = ("scroll to continue", "advertisement", "saksikan live", "simak juga video", "lihat juga video",
                   "simak video", "tonton juga video", "saksikan juga video")

TOPIC_CATEGORY = {
    "Ekonomi & Keuangan": "Ekonomi",
    "Hukum & Kriminalitas": "Hukum",
    "Politik & Kebijakan Publik": "Politik",
    "Pembangunan & Lingkungan": "Pembangunan",
    "Sosial & Kemasyarakatan": "Sosial",
}


@dataclass(frozen=True)
class Text:
    """A real article's words and what is known about it, before a mirror site adopts it."""

    key: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime | None
    category: str
    tags: tuple[str, ...] = ()
    author: str = ""
    image_caption: str = ""
    site: str = ""  # for seed articles: the outlet that published it
    copy_of: tuple[str, int] | None = None  # for syndicated copies: the release's (site, number)


@lru_cache(maxsize=1)
def seed_texts() -> tuple[Text, ...]:
    return load_texts(SEEDS, "seed")


def load_texts(path: Path, prefix: str) -> tuple[Text, ...]:
    """Articles pinned to a site, in seed_articles.toml's format (tests add their own this way)."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(
        Text(key=f"{prefix}-{i}-{a['site']}", title=a["title"],
             paragraphs=tuple(a["paragraphs"]),
             published=datetime.fromisoformat(a["published"]).astimezone(WIB), category=a["category"],
             tags=tuple(a.get("tags", ())), author=a.get("author", ""), image_caption=a.get("image_caption", ""),
             site=a["site"])
        for i, a in enumerate(data["article"])
    )


def corpus_path() -> Path | None:
    """The shared corpus file, from WARTA_CORPUS or ../shared/corpus/ beside the repository."""
    path = Path(os.environ.get("WARTA_CORPUS") or DEFAULT_CORPUS)
    return path if path.is_file() else None


@lru_cache(maxsize=4)
def corpus_texts(path: Path | None = None) -> tuple[Text, ...]:
    path = path or corpus_path()
    if path is None:
        return ()
    texts = []
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            paragraphs = _once(
                p.strip() for p in row["isi_berita"].split("\n")
                if p.strip() and not p.strip().lower().startswith(_NOISE_PREFIXES)
            )
            if len(paragraphs) < 2:
                continue
            published = datetime.strptime(row["tanggal"], "%m/%d/%Y %H:%M").replace(tzinfo=WIB)
            texts.append(Text(key=f"detik-{row['id']}", title=row["judul"].strip(), paragraphs=paragraphs,
                              published=published,
                              category=TOPIC_CATEGORY.get(row["aspek_target"], "Berita"),
                              tags=_entity_tags(row["entity"])))
    return tuple(texts)


def _entity_tags(raw: str) -> tuple[str, ...]:
    try:
        entity = json.loads(raw)
    except (ValueError, TypeError):
        return ()
    names = [n for group in ("government", "industry", "society") for n in entity.get(group, [])]
    return tuple(n for n in dict.fromkeys(names) if len(n) <= 40)[:3]


def _once(paragraphs) -> tuple[str, ...]:
    """Drop a long paragraph the source page printed twice (a page artifact, not the article's words);
    short lines an article repeats on purpose ("Pasal 28:") stay."""
    seen: set[str] = set()
    out = []
    for p in paragraphs:
        if p in seen and len(p.split()) >= 8:
            continue
        seen.add(p)
        out.append(p)
    return tuple(out)
