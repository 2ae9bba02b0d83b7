"""Syndicated copies: how local outlets republish a pemda's press release.

The Humas of a Pemko or Pemkab sends one text; each outlet that runs it puts its own dateline on it,
often rewrites the first sentence, cuts the ending to fit, drops in a "Baca juga" link, rewrites the
headline and applies its house spellings (Walikota or Wali Kota, Pemko or Pemerintah Kota). The mirror
uses these edits to publish copies of its `.go.id` portals' releases on the news sites, and the story
grouping tests and benchmark use them to make judged pairs.
"""

from __future__ import annotations

import random
import re

OUTLETS = ("SUMUTPOS.CO", "WASPADA.id", "MIMBARUMUM.co.id", "tri3news.com", "ANTARA", "Tribun-Medan.com")
CITIES = ("BINJAI", "MEDAN", "PEMATANGSIANTAR", "LANGKAT", "SIBOLGA", "TEBING TINGGI")
LEADS = ("Kegiatan ini mendapat perhatian luas dari masyarakat setempat.",
         "Hal itu disampaikan dalam keterangan tertulis yang diterima redaksi.",
         "Langkah ini disebut sebagai bagian dari program prioritas daerah tahun ini.")
SPELLINGS = (("Wali Kota", "Walikota"), ("Pemerintah Kota", "Pemko"), ("Pemerintah Kabupaten", "Pemkab"),
             ("Pematangsiantar", "Pematang Siantar"), ("mengatakan", "menuturkan"), ("juga", "pun"))
_DATELINE = re.compile(r"^[A-Z][A-Z .]+(?:\([^)]*\))?,?[^–\-]{0,30}[–-]\s*")


def dateline(paragraphs: list[str], rng: random.Random) -> list[str]:
    first = _DATELINE.sub("", paragraphs[0])
    return [f"{rng.choice(CITIES)}, {rng.choice(OUTLETS)} – {first}", *paragraphs[1:]]


def first_sentence(paragraphs: list[str], rng: random.Random) -> list[str]:
    sentences = re.split(r"(?<=[.!?])\s+", paragraphs[0], maxsplit=1)
    rest = sentences[1] if len(sentences) > 1 else ""
    return [f"{rng.choice(LEADS)} {rest}".strip(), *paragraphs[1:]]


def cut_ending(paragraphs: list[str], rng: random.Random) -> list[str]:
    return paragraphs[:max(2, round(len(paragraphs) * rng.uniform(0.55, 0.85)))]


def baca_juga(paragraphs: list[str], rng: random.Random) -> list[str]:
    at = max(1, len(paragraphs) // 2)
    return [*paragraphs[:at], f"Baca juga: {rng.choice(LEADS)[:-1]}", *paragraphs[at:]]


def spelling(paragraphs: list[str], rng: random.Random) -> list[str]:
    old, new = rng.choice(SPELLINGS)
    return [p.replace(old, new) for p in paragraphs]


EDITS = {"dateline": dateline, "first-sentence": first_sentence, "cut-ending": cut_ending,
         "baca-juga": baca_juga, "spelling": spelling}


def copy_of(title: str, paragraphs: tuple[str, ...], rng: random.Random, most: int = 4, retitle: float = 0.5
            ) -> tuple[str, tuple[str, ...], str]:
    """An outlet's copy: (title, paragraphs, the edits made), one to `most` edits, and with chance `retitle`
    the outlet's own headline."""
    names = rng.sample(sorted(EDITS), rng.randint(1, most))
    edited = list(paragraphs)
    for name in names:
        edited = EDITS[name](edited, rng)
    if tuple(edited) == tuple(paragraphs):  # a spelling the text never uses, an ending too short to cut
        edited = dateline(edited, rng)
        names.append("dateline")
    if rng.random() < retitle:
        title = rng.choice([f"{title} | {rng.choice(OUTLETS)}", f"Ini Kata Pemda: {title}", title.upper(),
                            " ".join(title.split()[: max(4, len(title.split()) - 3)]).rstrip(",:;–-")])
        names.append("headline")
    return title, tuple(edited), "+".join(names)
