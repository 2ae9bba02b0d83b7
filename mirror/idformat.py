"""Indonesian date formats as outlets print them (`Senin, 25 Agustus 2025`, `Sen, 25 Agu 2025`)."""

from __future__ import annotations

from datetime import datetime

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
DAYS_SHORT = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def format_id(dt: datetime, style: str = "long") -> str:
    """Format like Indonesian news sites do.

    long:    Senin, 25 Agustus 2025          short: Sen, 25 Agu 2025
    day:     25 Agustus 2025                 wib:   25 Agustus 2025 10:15 WIB
    paren:   Senin (25/8/2025)               en:    Monday, August 25, 2025 (tagDiv weather bar)
    """
    d, m, y = dt.day, dt.month, dt.year
    if style == "long":
        return f"{DAYS[dt.weekday()]}, {d} {MONTHS[m - 1]} {y}"
    if style == "short":
        return f"{DAYS_SHORT[dt.weekday()]}, {d} {MONTHS_SHORT[m - 1]} {y}"
    if style == "day":
        return f"{d} {MONTHS[m - 1]} {y}"
    if style == "wib":
        return f"{d} {MONTHS[m - 1]} {y} {dt:%H:%M} WIB"
    if style == "paren":
        return f"{DAYS[dt.weekday()]} ({d}/{m}/{y})"
    if style == "en":
        return dt.strftime("%A, %B ") + f"{d}, {y}"
    raise ValueError(f"unknown date style {style!r}")
