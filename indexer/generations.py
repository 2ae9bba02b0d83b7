"""Index generations on disk: which one is live, who reads one, and what each records about itself.

Layout under the index directory:

    CURRENT             the name of the live generation, replaced atomically (os.replace)
    gen-<stamp>/        one Whoosh index; warta.json (the fingerprint it was built under: schema and
                        lexicon), applied.json (the store change-log position its latest commit holds),
                        stems.tsv (the stem cache), stories.sqlite3 (story fingerprints and LSH bands,
                        indexer/stories.py), readers.lock (held shared by every searcher that has it open)
    update.lock         held by the one process writing (indexer/index.py `update`; others wait)

A generation other than CURRENT is removed by the next writer once no searcher holds it (readers.lock), so
a killed rebuild's half-written directory goes too, and a long-lived server is never pulled from under.
The web workers need only this module (and indexer/search.py), not the writing side.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from indexer.lexicon import Lexicon
from indexer.schema import build_schema, fingerprint
from store import Store

log = logging.getLogger(__name__)

STEMS_FILE = "stems.tsv"
READERS_LOCK = "readers.lock"
FINGERPRINT = "warta.json"
CODEC_COMPRESSION = 1  # zlib level for posting blocks: as small as Whoosh's default 3 here, cheaper to write


class IndexMissingError(RuntimeError):
    """No index has been built yet (run `warta index`)."""


@contextmanager
def exclusive(root: Path):
    """One writer at a time (a second `warta index` waits, and a publish copies no commit half-written); the
    OS drops the lock if the process dies.

    A POSIX lock (lockf), so the forked writer processes do not inherit it and cannot outlive it.
    """
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "update.lock", "w") as fh:
        fcntl.lockf(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(fh, fcntl.LOCK_UN)


def current_generation(root: Path) -> Path | None:
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    gen = root / name
    return gen if name and _has_index(gen) else None


def _has_index(gen: Path) -> bool:
    """Whether gen holds a committed Whoosh index (a TOC file), without opening it.

    Whoosh's exists_in() opens the latest TOC, which a commit landing at that moment may have just
    replaced: a reader would take a healthy index for a missing one.
    """
    try:
        return any(entry.name.endswith(".toc") for entry in os.scandir(gen))
    except OSError:
        return False


def built_fingerprint(gen: Path) -> str:
    """The fingerprint a generation was built under ('' when unknown)."""
    try:
        return json.loads((gen / FINGERPRINT).read_text(encoding="utf-8"))["fingerprint"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def hold_generation(gen: Path) -> int:
    """Mark a generation as read by this process (a shared lock on its readers.lock); returns the fd to close.

    Raises FileNotFoundError when the generation has been removed meanwhile (the caller looks again).
    """
    fd = _readers_lock(gen)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        if not _has_index(gen):  # removed while we waited for the lock
            raise FileNotFoundError(f"index generation {gen.name} was removed")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _readers_lock(gen: Path) -> int:
    """An fd of gen's readers.lock (made if missing: generations built before it existed have none)."""
    return os.open(gen / READERS_LOCK, os.O_RDONLY | os.O_CREAT, 0o644)


def open_index(root: Path, lexicon: Lexicon | None = None) -> Index:
    """The live index, read with this code's schema (not the pickled one), or IndexMissingError."""
    gen = current_generation(Path(root))
    if gen is None:
        raise IndexMissingError(f"no search index at {root} yet; run 'warta index'")
    return open_generation(gen, build_schema(lexicon))


def open_generation(gen: Path, schema) -> Index:
    """One generation's Whoosh index, its segment files read through the page cache, never copied.

    whoosh3 maps a segment's compound file and then wraps each part in a BytesIO, which copies it: every
    reader held the whole index in its own memory (4.1 GB for the 5.9 GB index of a million articles, in
    every `warta serve` worker and in `warta index`). Without mmap the parts are read with seek and read
    from the shared page cache, which measured no slower (bench/index.py).
    """
    return storage(gen).open_index(schema=schema)


def storage(gen: Path) -> FileStorage:
    """A generation's files, read without mmap (see open_generation)."""
    return FileStorage(str(gen), supports_mmap=False)


def stale_reason(root: Path, lexicon: Lexicon | None = None) -> str:
    """Why the live index cannot be updated in place ('' if it can)."""
    gen = current_generation(Path(root))
    if gen is None:
        return "no index yet"
    built = built_fingerprint(gen)
    if not built:
        return "index has no fingerprint"
    wanted = fingerprint(lexicon)
    return "" if built == wanted else f"schema or lexicon changed ({built} -> {wanted})"


APPLIED = "applied.json"  # in a generation: the store change-log position its latest commit reflects


def record_applied(gen: Path | None, store: Store, position: int, lexicon: Lexicon) -> None:
    """Note that gen's latest commit holds every store change up to `position` (written after the commit:
    a process killed in between leaves a record naming an older commit, which is not trusted)."""
    if gen is None:
        return
    ix = open_generation(gen, build_schema(lexicon))
    tmp = gen / (APPLIED + ".tmp")
    tmp.write_text(json.dumps({"store": store.identity(), "position": position, "commit": ix.latest_generation()}),
                   encoding="utf-8")
    os.replace(tmp, gen / APPLIED)


def applied_position(gen: Path, ix: Index, store: Store) -> int | None:
    """The change-log position of gen's latest commit, or None when the record is missing or not about
    this store and this commit."""
    try:
        record = json.loads((gen / APPLIED).read_text(encoding="utf-8"))
        if record["store"] == store.identity() and record["commit"] == ix.latest_generation():
            return int(record["position"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def write_fingerprint(gen: Path, lexicon: Lexicon, articles: int) -> None:
    (gen / FINGERPRINT).write_text(json.dumps({"fingerprint": fingerprint(lexicon),
                                               "built": datetime.now(UTC).isoformat(timespec="seconds"),
                                               "articles": articles}), encoding="utf-8")


def point_to(root: Path, gen: Path) -> None:
    tmp = root / "CURRENT.tmp"
    tmp.write_text(gen.name + "\n", encoding="utf-8")
    os.replace(tmp, root / "CURRENT")


def remove_unused(root: Path, keep: set[str]) -> list[str]:
    """Remove every generation but `keep` that no searcher holds; held ones wait for a later writer.

    Called with the update lock held, so no rebuild is writing one: a generation that is neither live
    nor held is a replaced one or what a killed rebuild left.
    """
    removed = []
    for path in sorted(root.glob("gen-*")):
        if not path.is_dir() or path.name in keep:
            continue
        try:
            fd = _readers_lock(path)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a searcher still reads it
        try:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
        finally:
            os.close(fd)
    if removed:
        log.info("removed unused index generations: %s", ", ".join(removed))
    return removed
