"""Rebuild the texts of tests/places/gov.toml from the public SQL dumps of regional-government portals.

    python bench/gov_portals.py                       # clones what is missing into ../gov-portals/, then
                                                      # writes ../gov-portals/articles.jsonl
    python bench/gov_portals.py --clones DIR --out FILE

The articles of that labelled set are news of Indonesian regional-government websites (a Pemkab's Diskominfo,
a dinas, a Kesbangpol), kept in public GitHub repositories as MySQL dumps of their CMS. No licence covers
their text, so it is not copied into this repository: each `[[portal]]` of gov.toml names the repository,
the commit, the dump, its news table and columns (the key, title and body), and each `[[article]]` a row by its key
("owner/repo#row"). This script reads those rows from clones (`git clone` needs the network once) and
writes one JSON object per article ({"id", "title", "text"}), which bench/places.py reads in place.
"""

from __future__ import annotations

import argparse
import html
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

from clones import clone, show, write

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "places" / "gov.toml"
CLONES = ROOT.parent / "gov-portals"
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "Z": "\x1a", "b": "\b"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote",
          "section", "article", "figure", "figcaption", "hr", "pre"}
_MOJIBAKE = re.compile("[\u00c2\u00c3\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                       "\u02c6\u02dc\u2013-\u2122]")


def _values(sql: str, i: int) -> list[list[str | None]]:
    """The rows of one `VALUES (...), (...);` starting at sql[i], with MySQL's quoting and escapes."""
    rows, n = [], len(sql)
    while True:
        while i < n and sql[i] in " \t\r\n,":
            i += 1
        if i >= n or sql[i] != "(":
            return rows
        i += 1
        row: list[str | None] = []
        while True:
            while sql[i] in " \t\r\n":
                i += 1
            if sql[i] == "'":
                i, buf = i + 1, []
                while sql[i] != "'" or sql[i + 1:i + 2] == "'":
                    if sql[i] == "\\":
                        buf.append(_ESCAPES.get(sql[i + 1], sql[i + 1]))
                        i += 2
                    else:
                        buf.append(sql[i])
                        i += 2 if sql[i] == "'" else 1  # '' is a quote
                row.append("".join(buf))
                i += 1
            else:
                j = i
                while sql[j] not in ",)":
                    j += 1
                token = sql[i:j].strip()
                row.append(None if token.upper() == "NULL" else token)
                i = j
            while sql[i] in " \t\r\n":
                i += 1
            if sql[i] not in ",)":
                raise ValueError(f"not a MySQL dump's VALUES near {sql[max(0, i - 60):i + 60]!r}")
            i += 1
            if sql[i - 1] == ")":
                break
        rows.append(row)


def table(sql: str, name: str) -> list[dict]:
    """Every row of one table of a dump, as {column: value}."""
    create = re.search(rf"CREATE TABLE (?:IF NOT EXISTS )?`?{re.escape(name)}`?\s*\((.*?)\n\)", sql, re.S | re.I)
    default = re.findall(r"^\s*`([^`]+)`", create.group(1), re.M) if create else []
    out = []
    for m in re.finditer(rf"INSERT INTO `?{re.escape(name)}`?\s*(?:\(([^)]*)\))?\s*VALUES\s*", sql, re.I):
        columns = [c.strip().strip("`") for c in m.group(1).split(",")] if m.group(1) else default
        out += [dict(zip(columns, row, strict=False)) for row in _values(sql, m.end())]
    return out


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style", "iframe", "noscript"):
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "iframe", "noscript"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def text(fragment: str, escaped: bool = False) -> str:
    """An HTML fragment as plain text, one paragraph a line (some CMS store their HTML entity-escaped)."""
    s = fragment.replace("\r\n", "\n").replace("\r", "\n")
    parser = _Text()
    parser.feed(html.unescape(s) if escaped else s)
    parser.close()
    t = html.unescape("".join(parser.parts))  # "&amp;nbsp;" stored twice escaped
    if _MOJIBAKE.search(t):  # UTF-8 read as cp1252 by the CMS
        try:
            t = t.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    lines = (re.sub(r"[ \t\f\v]+", " ", line).strip() for line in t.replace("\u00a0", " ").replace("\u200b", "")
             .split("\n"))
    return "\n".join(line for line in lines if line)


def articles(portal: dict, wanted: set[str], clones: Path) -> list[dict]:
    """The wanted rows of one portal's dump."""
    raw = show(clone(portal["repo"], clones), portal["commit"], portal["path"])
    try:
        sql = raw.decode("utf-8")
    except UnicodeDecodeError:
        sql = raw.decode("cp1252", errors="replace")
    escaped = portal.get("escaped", False)
    out = []
    where = portal.get("where", {})  # "id_language" = "1": one row per article, not one per language
    for row in table(sql, portal["table"]):
        key = f"{portal['repo']}#{row[portal['key']]}"
        if any(row.get(column) != value for column, value in where.items()):
            continue
        if key in wanted:
            title = text(row[portal["title"]] or "", escaped).replace("\n", " ")
            out.append({"id": key, "title": title, "text": text(row[portal["body"]] or "", escaped)})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", type=Path, default=SET)
    ap.add_argument("--clones", type=Path, default=CLONES)
    ap.add_argument("--out", type=Path, default=CLONES / "articles.jsonl")
    args = ap.parse_args(argv)
    data = tomllib.loads(args.set.read_text(encoding="utf-8"))
    wanted = {a["id"] for a in data["article"]}
    args.clones.mkdir(parents=True, exist_ok=True)
    return write([a for p in data["portal"] for a in articles(p, wanted, args.clones)], wanted, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
