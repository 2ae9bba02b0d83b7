"""What bench/gov_portals.py and bench/regional_news.py share: a clone of a public repository whose text the
labelled sets read in place, and the JSONL of articles they write for bench/places.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def clone(repo: str, clones: Path) -> Path:
    """The clone of github.com/<repo> under clones, made (without a work tree) when missing."""
    path = clones / repo.replace("/", "+")
    if not path.exists():
        subprocess.run(["git", "clone", "--quiet", "--no-checkout", f"https://github.com/{repo}", str(path)],
                       check=True)
    return path


def show(path: Path, commit: str, file: str) -> bytes:
    """A file of the clone at path as it was at commit."""
    return subprocess.run(["git", "-C", str(path), "show", f"{commit}:{file}"], capture_output=True,
                          check=True).stdout


def write(found: list[dict], wanted: set[str], out: Path) -> int:
    """One JSON object per article to out; the exit status: 0 when every wanted article was found."""
    with out.open("w", encoding="utf-8") as f:
        for a in found:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    print(f"{len(found)} of {len(wanted)} articles written to {out}", file=sys.stderr)
    return 0 if len(found) == len(wanted) else 1
