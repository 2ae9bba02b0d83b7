"""Dates the way Indonesian readers write them: "Senin, 25 Agustus 2025"."""

from __future__ import annotations

from datetime import datetime

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")


def tanggal(when: datetime | None) -> str:
    if when is None:
        return "tanpa tanggal"
    return f"{DAYS[when.weekday()]}, {when.day} {MONTHS[when.month - 1]} {when.year}"


def tanggal_jam(when: datetime | None) -> str:
    """With the time and zone, for an article's own page: "Senin, 25 Agustus 2025 10:12 WIB"."""
    if when is None:
        return "tanpa tanggal"
    zone = when.tzname() or ""
    return f"{tanggal(when)} {when:%H:%M} {zone}".strip()
