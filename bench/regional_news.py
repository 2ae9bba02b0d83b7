"""Rebuild the texts of tests/places/regional.toml, regional2.toml and dev4.toml from the scraper outputs.

    python bench/regional_news.py                     # clones what is missing into ../regional-news/, then
                                                      # writes ../regional-news/articles.jsonl
    python bench/regional_news.py --clones DIR --out FILE --set tests/places/dev4.toml   # one set only

The articles of those labelled sets are news of local and regional outlets (detik's regional desks, Kompas,
Tribun Network's regional sites, Liputan6, Posmetro), kept in public GitHub repositories as the CSV and XLSX
files their scrapers wrote. No licence covers the text, so it is not copied into this repository: each
`[[source]]` names a repository, its commit and, per file, the title and text columns; each `[[article]]` a row
("owner/repo#path:rowN": N counts CSV records after the header, or is an XLSX sheet's own row number). This
script reads those rows from clones (`git clone` needs the network once) and writes one JSON object per article
({"id", "title", "text"}, each cell as stored, stripped), which bench/places.py reads in place.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from clones import clone, show, write

ROOT = Path(__file__).resolve().parent.parent
SETS = [ROOT / "tests" / "places" / f"{name}.toml" for name in ("regional", "regional2", "dev4")]
CLONES = ROOT.parent / "regional-news"
_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def csv_rows(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """(record number after the header, the record by column) of a CSV file."""
    csv.field_size_limit(sys.maxsize)
    yield from enumerate(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")), 1)


def xlsx_rows(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """(sheet row number, the row by the first row's column names) of an XLSX file's first sheet: the cells'
    text as stored (shared or inline strings, numbers as written), no conversion. The standard library reads
    it (an XLSX file is zipped XML), so the benchmark needs no spreadsheet package."""
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter(_SHEET + "t")) for si in root.iter(_SHEET + "si")]
    sheet = sorted(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))[0]
    header: dict[str, str] = {}
    for row in ElementTree.fromstring(z.read(sheet)).iter(_SHEET + "row"):
        cells = {}
        for c in row.iter(_SHEET + "c"):
            v = c.find(_SHEET + "v")
            if c.get("t") == "s" and v is not None:
                value = shared[int(v.text)]
            elif c.get("t") == "inlineStr":
                value = "".join(t.text or "" for t in c.iter(_SHEET + "t"))
            else:
                value = v.text or "" if v is not None else ""
            cells[re.match(r"[A-Z]+", c.get("r")).group()] = value
        if not header:
            header = cells
            continue
        yield int(row.get("r")), {name: cells.get(col, "") for col, name in header.items()}


def articles(source: dict, wanted: set[str], clones: Path) -> list[dict]:
    """The wanted rows of one repository's files."""
    repo = clone(source["repo"], clones)
    out = []
    for path, columns in source["files"].items():
        data = show(repo, source["commit"], path)
        for n, row in (xlsx_rows if path.endswith(".xlsx") else csv_rows)(data):
            key = f"{source['repo']}#{path}:row{n}"
            if key in wanted:
                out.append({"id": key, "title": row[columns["title"]].strip(), "text": row[columns["text"]].strip()})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", type=Path, action="append", help="a labelled set (default: all three)")
    ap.add_argument("--clones", type=Path, default=CLONES)
    ap.add_argument("--out", type=Path, default=CLONES / "articles.jsonl")
    args = ap.parse_args(argv)
    sets = [tomllib.loads(path.read_text(encoding="utf-8")) for path in args.set or SETS]
    wanted = {a["id"] for data in sets for a in data["article"]}
    sources = {(s["repo"], s["commit"]): s for data in sets for s in data["source"]}.values()
    args.clones.mkdir(parents=True, exist_ok=True)
    return write([a for s in sources for a in articles(s, wanted, args.clones)], wanted, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
