"""The real-page evaluation sets: pages nobody on this project wrote, with provenance for every page.

    python -m tests.extraction.real import [--mirror DIR]   # lay the pages out from fetched repositories
    python -m tests.extraction.real status                  # where the pages are read from, how many

`real/manifest.json` (in the repository) names every page: the public repository, path and commit it comes
from, that repository's licence, the page's URL, the sha256 of its HTML, and where its gold comes from:

- set `scrapinghub`: the Scrapinghub article-extraction benchmark (181 pages, gold `articleBody` from its
  `ground-truth.json`; no gold title or date, so only the body is scored, with the language gate out of the way);
- set `indonesian`: real Indonesian news pages; gold date from the source repository's own evaluation data,
  gold title and body written here by reading the page (`gold: "hand"`, reported apart). A hand-written body is
  kept as a rule over the page (the article's paragraphs by XPath, minus the lines matched by `drop`), never as
  copied text.

The pages themselves are third-party data and stay out of the repository. They are read from the first of
`$WARTA_REAL_PAGES`, `../shared/extraction-real` (beside the repository) and `real/data/` (ignored by git),
and laid out there by `import`, which reads the fetched repositories' git directories (`git show
COMMIT:PATH`), checks every sha256 and writes nothing else. When no directory holds them, the tests say so
and skip (with that reason), as the benchmark does.
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
from datetime import datetime
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
        elif "gold_path" in page:  # a repository's own expected output for the page
            gold = json.loads((directory / set_name / f"{page['id']}.gold.json").read_text(encoding="utf-8"))
            title, date, paragraphs = _fundus_gold(gold)
        else:
            paragraphs = gold_paragraphs(text, page["body"])
        published = datetime.fromisoformat(date) if date else None
        case = Case(f"{set_name}-{page['id']}", "", page.get("platform", "generic"), page["url"], text,
                    title, published, "", paragraphs)
        case.gold = "hand" if "body" in page else "repo"  # whose body gold: written here, or the source's
        case.scored = tuple(k for k in ("title", "date") if k in page or "gold_path" in page)
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


def _fundus_gold(gold: dict) -> tuple[str, str | None, list[str]]:
    """Title, date and paragraphs of a flairNLP/fundus parser test file (its newest version)."""
    article = gold[sorted(gold)[-1]]
    body = article.get("body") or {}
    paragraphs = list(body.get("summary", []))
    for section in body.get("sections", []):
        paragraphs += list(section.get("headline", [])) + list(section.get("paragraphs", []))
    return article.get("title", ""), article.get("publishing_date"), paragraphs


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
            gold = _git_show(mirror, source["repo"], page.get("commit", source["commit"]), page["gold_path"])
            (target / page["set"] / f"{page['id']}.gold.json").write_bytes(gold)
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
