"""Indonesian publication dates: how outlets print them, and which one on a page is the article's.

Metadata (article:published_time, JSON-LD datePublished, Blogger's abbr.published) is preferred; then the
URL (/2025/08/25/); then dates written in Indonesian in the page (`Kamis, 14 April 2022 10:15 WIB`,
`Sen, 25 Agu 2025`, `Senin (19/8/2025)`). Times without a zone are read as WIB, the zone of the outlets
warta covers first; WITA and WIT are honoured when printed.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

ZONES = {"WIB": timezone(timedelta(hours=7), "WIB"), "WITA": timezone(timedelta(hours=8), "WITA"),
         "WIT": timezone(timedelta(hours=9), "WIT")}
WIB = ZONES["WIB"]

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8,
    "ags": 8, "aug": 8, "agustus,": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12, "dec": 12,
    # English month names appear on the same sites (theme strings left untranslated)
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
    "december": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True)).replace(",", "")
_DAY = r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|sen|sel|rab|kam|jum|sab|min)"
_TIME = r"(?:[,\s|-]*(?:pukul\s*)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.]\d{2})?\s*(?P<tz>WIB|WITA|WIT)?)?"

# 14 April 2022 [10:15 WIB], Sen, 25 Agu 2025
WRITTEN = re.compile(rf"(?:{_DAY}\s*,?\s*)?\b(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH})\.?\s+(?P<y>(?:19|20)\d{{2}})\b{_TIME}",
                     re.IGNORECASE)
# Senin (19/8/2025), 19/08/2025 10:15 WIB
NUMERIC = re.compile(rf"(?:{_DAY}\s*,?\s*\(?\s*)?\b(?P<d>\d{{1,2}})[/-](?P<m>\d{{1,2}})[/-](?P<y>(?:19|20)\d{{2}})\b\)?"
                     rf"{_TIME}", re.IGNORECASE)
# English theme strings: Saturday, May 4, 2024 / August 25, 2025
ENGLISH = re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}}),\s+(?P<y>(?:19|20)\d{{2}})\b{_TIME}", re.IGNORECASE)
URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(?:(\d{1,2})/)?")
# Where a CMS files uploads by month (/wp-content/uploads/2022/10/): the date an image was uploaded, which says
# nothing of an article's.
_MEDIA_PATH = re.compile(r"/(?:wp-content|uploads?|images?|files|media|assets|foto|gambar)/", re.IGNORECASE)


def parse_iso(value: str | None) -> datetime | None:
    """An ISO 8601 date from metadata; naive values are taken as WIB."""
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        match = re.match(r"\d{4}-\d{2}-\d{2}", value)
        if not match:
            return None
        try:
            dt = datetime.fromisoformat(match.group(0))
        except ValueError:  # 2025-13-45: an impossible date is no date
            return None
    return dt if dt.tzinfo else dt.replace(tzinfo=WIB)


def parse_indonesian(text: str) -> datetime | None:
    """The first date written the Indonesian way (or an English theme string) in text."""
    best = None
    for pattern in (WRITTEN, NUMERIC, ENGLISH):
        for match in pattern.finditer(text):
            dt = _from_match(match)
            if dt and (best is None or match.start() < best[0]):
                best = (match.start(), dt)
            break  # the first match of each pattern is enough: the earliest of those wins
    return best[1] if best else None


def from_url(url: str) -> datetime | None:
    """The /yyyy/mm(/dd)/ of an article's URL; never one of an upload path."""
    match = URL_DATE.search(url)
    if not match or _MEDIA_PATH.search(url[:match.start() + 1]):
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
    try:
        return datetime(year, month, day, tzinfo=WIB)
    except ValueError:
        return None


def _from_match(match: re.Match) -> datetime | None:
    month = match.group("m")
    month = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
    if not month:
        return None
    hour = int(match.group("h")) if match.group("h") else 0
    minute = int(match.group("mi")) if match.group("mi") else 0
    zone = ZONES.get((match.group("tz") or "WIB").upper(), WIB)
    try:
        return datetime(int(match.group("y")), month, int(match.group("d")), hour, minute, tzinfo=zone)
    except ValueError:
        return None


_RELATIVE = re.compile(r"\b(?P<n>\d+|se)\s*(?P<unit>detik|menit|jam|hari|minggu|pekan|bulan)\s+(?:yang\s+)?lalu\b|"
                       r"\b(?P<word>kemarin|hari ini|baru saja)\b", re.IGNORECASE)
_UNIT = {"detik": timedelta(seconds=1), "menit": timedelta(minutes=1), "jam": timedelta(hours=1),
         "hari": timedelta(days=1), "minggu": timedelta(weeks=1), "pekan": timedelta(weeks=1),
         "bulan": timedelta(days=30)}


def parse_relative(text: str, now: datetime | None = None) -> datetime | None:
    """A relative time ("2 jam yang lalu", "30 menit lalu", "kemarin", "hari ini") against now (the fetch time,
    in WIB); None when the text has none."""
    match = _RELATIVE.search(text)
    if not match:
        return None
    now = (now or datetime.now(WIB)).astimezone(WIB)
    word = (match.group("word") or "").lower()
    if word == "kemarin":
        return now - timedelta(days=1)
    if word:
        return now
    n = 1 if match.group("n").lower() == "se" else int(match.group("n"))
    return now - n * _UNIT[match.group("unit").lower()]
