"""Every match of a search as CSV or JSON Lines, streamed: what `/api/export` and `warta search --all` write.

CSV is for a spreadsheet: UTF-8 with a byte-order mark (Excel otherwise reads Indonesian text as
Windows-1252), one row per article, the columns of FIELDS. Crawled text is untrusted: a cell that starts
with =, +, -, @ (or a tab or carriage return) is prefixed with an apostrophe, so no spreadsheet runs it as a
formula (OWASP, CSV injection). JSON Lines has the same fields, lists as lists, text as it is.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from indexer.search import ExportRow

FIELDS = ("id", "url", "title", "outlet", "published", "regions", "actors", "story", "copies", "snippet")
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def record(row: ExportRow) -> dict:
    a = row.article
    return {"id": a.id, "url": a.url, "title": a.title, "outlet": a.outlet,
            "published": a.published.isoformat() if a.published else None, "regions": list(a.regions),
            "actors": list(a.actors), "story": a.story, "copies": row.copies, "snippet": row.snippet}


def safe_cell(value: str) -> str:
    """A spreadsheet cell that cannot run as a formula."""
    return "'" + value if value.startswith(_FORMULA) else value


def csv_lines(rows: Iterable[ExportRow]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    yield BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        r = record(row)
        writer.writerow([safe_cell("; ".join(v)) if isinstance(v, list) else
                         v if isinstance(v, int) else safe_cell(v or "") for v in (r[f] for f in FIELDS)])
        yield buffer.getvalue()


def jsonl_lines(rows: Iterable[ExportRow]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(record(row), ensure_ascii=False) + "\n"


def lines(rows: Iterable[ExportRow], fmt: str) -> Iterator[str]:
    return csv_lines(rows) if fmt == "csv" else jsonl_lines(rows)
