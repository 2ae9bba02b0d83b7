"""The packages' imports follow the data (README, "Where everything is"): registry -> crawler -> store ->
index -> monitor -> web, with runtime/ underneath everything and warta/ (the command line and the
scheduler) on top. A module that reaches back up the chain (the crawler importing Whoosh's side, the web
app importing Scrapy's) fails here, with the line that does it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {  # package -> the packages of ours it may import
    "runtime": set(),
    "registry": set(),
    "store": set(),
    "crawler": {"registry", "runtime", "store"},
    "indexer": {"runtime", "store"},
    "monitor": {"registry", "runtime", "store", "indexer"},
    "search_web": {"registry", "runtime", "store", "indexer", "monitor"},
    "mirror": {"registry", "crawler"},  # the test and demo outlets borrow the crawler's URL and place rules
    "warta": {"registry", "runtime", "crawler", "store", "indexer", "monitor", "search_web", "mirror"},
}


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name.split(".")[0]) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_what_comes_before_it(package: str):
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {top}"
             for path in sorted((ROOT / package).rglob("*.py")) for line, top in imports(path)
             if top in ALLOWED and top != package and top not in ALLOWED[package]]
    assert not wrong, "\n".join(wrong)


def test_every_package_is_placed():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages == set(ALLOWED)
