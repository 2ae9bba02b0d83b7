"""`warta index --publish DIR`: the live index copied to where web hosts serve it from, never half.

One indexer writes the index; each web host runs `warta serve` over a copy, following it as it does the
local one (indexer/catalog.py). A publish copies the live generation's latest commit as a snapshot of its
own, `<generation>-c<commit>`, beside the ones already there, and only when every file is in place points
CURRENT at it (written to a temporary name and renamed, which replaces it at once): a host reads the old
snapshot or the new one, never a mix. The files of the previous snapshot that did not change are hard
links, not copies (rsync --link-dest), so a publish after an update costs what the update wrote.

DIR is a directory on this machine (a web host's disk mounted here, or the local copy of a one-machine
setup) or an rsync destination, `host:/path` (over ssh, rsync's own): Debian's rsync does the copying
either way, and its rename of CURRENT is as atomic there as here. Snapshots other than the newest KEEP are
removed from a local DIR once no searcher there holds them (their readers.lock); in a remote DIR they stay
until removed there (rsync cannot see the host's readers).
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from indexer.generations import READERS_LOCK, current_generation, exclusive, open_generation
from indexer.schema import build_schema

KEEP = 2  # snapshots kept in a local DIR besides the live one (a host may still read one)
_REMOTE = re.compile(r"^[^/:]+:")  # rsync's host:path


class PublishError(RuntimeError):
    """The copy could not be made; the destination still serves what it served before."""


def publish(root: Path, dest: str) -> str:
    """Copy the live generation's latest commit under dest and make it dest's CURRENT; returns its name."""
    with exclusive(Path(root)):  # no update commits while the files are copied
        return _publish(Path(root), dest)


def _publish(root: Path, dest: str) -> str:
    gen = current_generation(root)
    if gen is None:
        raise PublishError(f"no index at {root} to publish; run 'warta index' first")
    name = f"{gen.name}-c{open_generation(gen, build_schema()).latest_generation()}"
    remote = bool(_REMOTE.match(dest))
    target = dest.rstrip("/")
    if not remote:
        try:
            Path(target).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PublishError(f"cannot make {target}: {exc.strerror or exc}") from None
    previous = _current(target) if not remote else None
    link = ["--link-dest", f"../{previous}"] if previous and previous != name else []
    # --modify-window=-1: a file rewritten in place (stories.sqlite3, applied.json) can keep its size and the
    # second of its time; rsync's default check would then take it, or hard-link it, as unchanged
    _rsync("-a", "--delete", "--modify-window=-1", "--exclude", READERS_LOCK, *link, f"{gen}/", f"{target}/{name}/")
    with tempfile.TemporaryDirectory() as tmp:
        pointer = Path(tmp) / "CURRENT"
        pointer.write_text(name + "\n", encoding="utf-8")
        # rsync writes a temporary file and renames it into place; --ignore-times: the old CURRENT has the same
        # size, and may have the same modification second, which rsync's quick check would take for the same file
        _rsync("--ignore-times", str(pointer), f"{target}/CURRENT")
    if not remote:
        _prune(Path(target), keep={name, *(sorted(_snapshots(Path(target)) - {name})[-KEEP:])})
    return name


def _rsync(*args: str) -> None:
    try:
        done = subprocess.run(["rsync", *args], capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise PublishError("rsync is not installed (Debian: apt-get install rsync)") from None
    if done.returncode:
        raise PublishError(f"rsync {' '.join(args[-2:])} failed: {done.stderr.strip()[:500]}")


def _current(target: str) -> str | None:
    try:
        return (Path(target) / "CURRENT").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _snapshots(target: Path) -> set[str]:
    return {p.name for p in target.glob("gen-*") if p.is_dir()}


def _prune(target: Path, keep: set[str]) -> None:
    """Remove snapshots not kept that no searcher on this machine holds (a shared lock on readers.lock)."""
    for name in _snapshots(target) - keep:
        path = target / name
        fd = os.open(path / READERS_LOCK, os.O_RDONLY | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass  # a searcher reads it still: a later publish removes it
        finally:
            os.close(fd)
