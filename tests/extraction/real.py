"""The real-page evaluation sets: pages nobody on this project wrote, with provenance for every page.

    python -m tests.extraction.real import [--mirror DIR]   # lay the pages out from fetched repositories
    python -m tests.extraction.real status                  # where the pages are read from, how many

`real/manifest.json` (in the repository) names every page: the public repository, path and commit it comes
from, that repository's licence, the page's URL, the sha256 of its HTML, and where its gold comes from:

- set `scrapinghub`: the Scrapinghub article-extraction benchmark (181 pages, gold `articleBody` from its
  `ground-truth.json`; no gold title or date, so only the body is scored, with the language gate out of the way);
- set `indonesian`: real Indonesian news pages. Gold comes from the source repository itself wherever it has
  some (`gold: "repo ..."`): its evaluation data (htmldate's url->date tables), or a scraper's test assertions
  or expected-output files for its saved page (`gold_path`, read at import time by the parser `gold_format`
  names: `fundus`, `text`, `mocha-assert`, `rust-assert`, `scrapinghub`; see GOLD_FORMATS); the Scrapinghub
  benchmark's Indonesian pages (two WordPress blog posts) are in this set too, scored on its body gold. Gold
  written here by reading the page is marked `hand` (or `by-reading`) and reported apart; a hand-written body
  is kept as a rule over the page (the article's paragraphs by XPath, minus the lines matched by `drop`), never
  as copied text.
  `gold_fields` lists the fields that have gold (title, date, body); only those are scored for the page.

The pages themselves are third-party data and stay out of the repository. They are read from the first of
`$WARTA_REAL_PAGES`, `../shared/extraction-real` (beside the repository) and `real/data/` (ignored by git),
and laid out there by `import`, which reads the fetched repositories' git directories (`git show
COMMIT:PATH`), checks every sha256, turns each repository's own gold into `ID.gold.json` (title, date,
paragraphs: only what the repository states) and writes nothing else. When no directory holds them, the tests
say so and skip (with that reason), as the benchmark does.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from lxml import html as lxml_html

from tests.extraction.evaluation import Case

HERE = Path(__file__).parent / "real"
MANIFEST = HERE / "manifest.json"
ROOT = Path(__file__).resolve().parents[2]
SETS = ("indonesian", "scrapinghub")


def manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def data_dir() -> Path | None:
    """The directory holding the pages, or None when no copy is laid out on this machine."""
    candidates = [Path(os.environ["WARTA_REAL_PAGES"])] if os.environ.get("WARTA_REAL_PAGES") else []
    candidates += [ROOT.parent / "shared" / "extraction-real", HERE / "data"]
    for path in candidates:
        if (path / "scrapinghub").is_dir() or (path / "indonesian").is_dir():
            return path
    return None


def load(set_name: str, directory: Path | None = None) -> list[Case]:
    """The cases of one set (empty when the pages are not laid out on this machine)."""
    directory = directory or data_dir()
    if directory is None:
        return []
    info = manifest()
    gold_bodies: dict = {}
    if set_name == "scrapinghub":
        gold_bodies = json.loads((directory / "scrapinghub" / "ground-truth.json").read_text(encoding="utf-8"))
    cases = []
    for page in info["pages"]:
        if page["set"] != set_name:
            continue
        raw = gzip.decompress((directory / set_name / f"{page['id']}.html.gz").read_bytes())
        text = raw.decode(page.get("charset", "utf-8"), errors="replace")
        title, date = page.get("title", ""), page.get("date")
        if set_name == "scrapinghub":
            body = gold_bodies[page["id"]]["articleBody"]
            paragraphs = [p for p in body.split("\n") if p.strip()]
        elif "gold_path" in page:  # a repository's own expected output for the page, laid out by import
            gold = json.loads((directory / set_name / f"{page['id']}.gold.json").read_text(encoding="utf-8"))
            if page.get("gold_format", "fundus") == "fundus" and "paragraphs" not in gold:  # laid out before
                gold = parse_gold("fundus", json.dumps(gold), page)
            title, date, paragraphs = gold.get("title", ""), gold.get("date"), gold.get("paragraphs", [])
        else:
            paragraphs = gold_paragraphs(text, page["body"]) if "body" in page else []
        published = datetime.fromisoformat(date) if date else None
        case = Case(f"{set_name}-{page['id']}", "", page.get("platform", "generic"), page["url"], text,
                    title, published, "", paragraphs)
        # whose body gold: written here by reading the page (`hand`, `by-reading`), or the source's (`repo`)
        case.gold = "by-reading" if page["gold"].startswith("by-reading") else "hand" if "body" in page else "repo"
        case.scored = gold_fields(page)
        case.language = "id" if set_name == "indonesian" else "any"
        cases.append(case)
    return cases


def gold_paragraphs(html: str, rule: dict) -> list[str]:
    """A hand-written gold body: the text of the nodes rule["xpath"] selects, minus the lines rule["drop"]
    matches, with what rule["strip"] matches cut out of a line (a credit or a video teaser pasted onto it)."""
    tree = lxml_html.document_fromstring(html)
    drop = re.compile(rule["drop"]) if rule.get("drop") else None
    strip = re.compile(rule["strip"]) if rule.get("strip") else None
    out = []
    for el in tree.xpath(rule["xpath"]):
        text = " ".join(el.text_content().split())
        if strip:
            text = strip.sub("", text).strip()
        if text and not (drop and drop.search(text)):
            out.append(text)
    return out


def gold_fields(page: dict) -> tuple[str, ...]:
    """The fields of a page that have gold: the manifest's `gold_fields`, else what its entry implies."""
    if "gold_fields" in page:
        return tuple(page["gold_fields"])
    if page["set"] == "scrapinghub":
        return ("body",)
    if "gold_path" in page:
        return ("title", "date", "body")
    return tuple(k for k in ("title", "date", "body") if k in page)


# -- a repository's own gold, in the form it keeps it ----------------------------------------------------
WIB = timezone(timedelta(hours=7))
_MONTHS = {m: i for i, m in enumerate(("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
                                      "september", "oktober", "november", "desember"), 1)}


def parse_gold(fmt: str, source: str, page: dict) -> dict:
    """{title, date, paragraphs} (only the keys the source states) from a repository's gold file."""
    gold = GOLD_FORMATS[fmt](source, page)
    return {k: v for k, v in gold.items() if v not in (None, "", [])}


def _fundus_gold(source: str, page: dict) -> dict:
    """A flairNLP/fundus parser test file (its newest version): title, publishing_date, body."""
    data = json.loads(source)
    article = data[sorted(data)[-1]]
    body = article.get("body") or {}
    paragraphs = list(body.get("summary", []))
    for section in body.get("sections", []):
        paragraphs += list(section.get("headline", [])) + list(section.get("paragraphs", []))
    return {"title": article.get("title", ""), "date": article.get("publishing_date"), "paragraphs": paragraphs}


def _text_gold(source: str, page: dict) -> dict:
    """An expected-output text file: the article body (its lines, the paragraphs if it keeps them apart)."""
    return {"paragraphs": [line.strip() for line in source.splitlines() if line.strip()]}


_JS_STRING = r"'((?:[^'\\]|\\.)*)'"
_JS_VALUE = rf"(?:{_JS_STRING}|(\d+))"


def _js_unescape(text: str) -> str:
    return re.sub(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", lambda m: _JS_ESCAPES.get(m[1]) or (
        chr(int(m[1][1:], 16)) if m[1][0] in "ux" and len(m[1]) > 1 else m[1]), text)


_JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _mocha_gold(source: str, page: dict) -> dict:
    """A mocha test that reads the page (`getContent('PATH')`) and asserts the scraper's result on it:
    `assert(_.isEqual(result['title'], '...'))` or `assert(result['title'] == '...')`, the same for `date`
    (epoch milliseconds, or the page's own date line) and for the body (`content`, in old tests `summary`)."""
    start = source.index(f"getContent('{page['path']}')")
    end = source.find("getContent(", start + 1)
    block = source[start:end if end > 0 else len(source)]
    found = {}
    for line in block.splitlines():
        if line.lstrip().startswith("//"):
            continue  # an assertion the repository turned off is no gold
        m = re.search(rf"result\['(\w+)'\](?:,\s*|\s*==\s*){_JS_VALUE}", line)
        if m and m[1] not in found:
            found[m[1]] = _js_unescape(m[2]) if m[2] is not None else int(m[3])
    date = found.get("date")
    if isinstance(date, int):  # the scraper's epoch milliseconds; the page's day is the day in WIB
        date = datetime.fromtimestamp(date / 1000, WIB).isoformat()
    elif isinstance(date, str):
        date = _indonesian_date(date)
    body = found.get("content", found.get("summary", ""))
    return {"title": found.get("title", "").strip(), "date": date,
            "paragraphs": [p.strip() for p in body.split("\n") if p.strip()]}


def _indonesian_date(text: str) -> str | None:
    """`Kamis 05 November 2015, 15:07` -> `2015-11-05T15:07:00+07:00` (a page's own WIB date line)."""
    m = re.search(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})(?:\D+(\d{1,2})[:.](\d{2}))?", text)
    if not m or m[2].lower() not in _MONTHS:
        return None
    hour, minute = (int(m[4]), int(m[5])) if m[4] else (0, 0)
    return datetime(int(m[3]), _MONTHS[m[2].lower()], int(m[1]), hour, minute, tzinfo=WIB).isoformat()


def _rust_gold(source: str, page: dict) -> dict:
    """A Rust unit test that reads the page (`read_to_string("PATH")`) and compares the scraper's article with
    an expected struct: `title: Some("...")`, `published_date: ... parse_from_str("DATE", "FORMAT")` and
    `paragraphs: vec!["...".to_string(), r#"..."#.to_string(), ...]`."""
    block = source[source.index(f'read_to_string("{page["path"]}")'):]
    literal = r'(?:r#"(.*?)"#|"((?:[^"\\]|\\.)*)")'

    def text(m: re.Match, first: int) -> str:
        return m[first] if m[first] is not None else _js_unescape(m[first + 1])

    title = re.search(rf"title:\s*Some\(\s*{literal}", block, re.S)
    date = re.search(r'published_date:.*?parse_from_str\(\s*"([^"]+)",\s*"([^"]+)"', block, re.S)
    vec = re.search(r"paragraphs:\s*vec!\[(.*?)\]\s*,?\s*\}", block, re.S)
    paragraphs = [text(m, 1) for m in re.finditer(literal, vec[1], re.S)] if vec else []
    published = datetime.strptime(date[1], date[2]).isoformat() if date else None
    return {"title": text(title, 1) if title else "", "date": published, "paragraphs": paragraphs}


def _scrapinghub_gold(source: str, page: dict) -> dict:
    """The Scrapinghub benchmark's ground-truth.json: the `articleBody` its authors wrote for the page (keyed
    by the page's file name, the sha256 of its URL), its lines the paragraphs; it states no title or date."""
    key = Path(page["path"]).name.split(".")[0]
    body = json.loads(source)[key]["articleBody"]
    return {"paragraphs": [line.strip() for line in body.split("\n") if line.strip()]}


GOLD_FORMATS = {"fundus": _fundus_gold, "text": _text_gold, "mocha-assert": _mocha_gold, "rust-assert": _rust_gold,
                "scrapinghub": _scrapinghub_gold}


# -- laying the pages out from fetched repositories ------------------------------------------------------
def import_pages(mirror: Path, target: Path) -> int:
    """Copy every page of the manifest out of the fetched git directories under mirror into target."""
    info = manifest()
    count = 0
    for page in info["pages"]:
        source = info["sources"][page["source"]]
        blob = _git_show(mirror, source["repo"], page.get("commit", source["commit"]), page["path"])
        if hashlib.sha256(blob).hexdigest() != page["sha256"]:
            raise SystemExit(f"{source['repo']}:{page['path']}: sha256 differs from the manifest")
        out = target / page["set"] / f"{page['id']}.html.gz"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(blob if page["path"].endswith(".gz") else gzip.compress(blob, 9))
        if "gold_path" in page:
            raw = _git_show(mirror, source["repo"], page.get("commit", source["commit"]), page["gold_path"])
            gold = parse_gold(page.get("gold_format", "fundus"), raw.decode("utf-8"), page)
            missing = [f for f in gold_fields(page) if {"body": "paragraphs"}.get(f, f) not in gold]
            if missing:
                raise SystemExit(f"{source['repo']}:{page['gold_path']}: no gold {missing} for {page['id']}")
            (target / page["set"] / f"{page['id']}.gold.json").write_text(
                json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        count += 1
    for name, source in info["sources"].items():
        for extra in source.get("gold_files", []):
            blob = _git_show(mirror, source["repo"], source["commit"], extra)
            (target / name / Path(extra).name).write_bytes(blob)
    (target / ".gitignore").write_text("*\n", encoding="utf-8")  # third-party data: never committed
    return count


def _git_show(mirror: Path, repo: str, commit: str, path: str) -> bytes:
    git_dir = mirror / repo.replace("/", "+") / "repo"
    return subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"], check=True,
                          capture_output=True).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="copy the pages out of fetched repositories")
    imp.add_argument("--mirror", type=Path, default=Path("/work/.mirror"),
                     help="directory of fetched repositories, one OWNER+NAME/repo git directory each")
    imp.add_argument("--to", type=Path, default=HERE / "data")
    sub.add_parser("status")
    args = parser.parse_args()
    if args.command == "import":
        print(f"{import_pages(args.mirror, args.to)} pages written to {args.to}")
    else:
        where = data_dir()
        print(f"pages read from: {where or '(none laid out: run import)'}")
        for name in SETS:
            print(f"  {name}: {len(load(name))} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
