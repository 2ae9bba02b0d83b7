"""Stories: the copies of one press release that several outlets published, grouped at index time.

Regional-government news travels as releases: the Humas of a Pemko sends one text and outlets publish it
with their own dateline, another first sentence, a cut ending. Copies share most of their word
sequences; two reports of one event written apart share names and a few phrases, not sentences. So:

- an article's fingerprint is a MinHash (datasketch) over its word 4-shingles (title and body, lowercased);
- locality-sensitive hashing cuts each fingerprint into BANDS bands of ROWS values; articles sharing one
  band are candidates. The bands and fingerprints live in a small SQLite table beside each index
  generation (`stories.sqlite3`, integer keys): as Whoosh terms, 42 distinct terms an article made the
  index two and a half times its size. The table is rebuilt with its generation. Its rows are ordered by
  publication week first: a new article's lookups touch only the weeks within STORY_DAYS of its date (and
  the undated), a small, recently written part of the file, not 42 random pages of a table that at a
  million articles is larger than what the page cache keeps (169 s for 1,000 new articles, cold);
- a candidate is the same story when the estimated *containment* (shared shingles over the shorter
  article's shingles) reaches SAME_STORY: a copy whose ending was cut is contained in the original even
  though the two differ in length, which plain Jaccard would punish.

Copies run within days of the release; a text that comes back months later is a new story, whatever its
words (a Humas reuses last year's WTP release; two reports of the yearly budget session read alike). So
two dated articles more than STORY_DAYS apart are never one story.

A new article joins the story of its best match or starts its own (story id = the first article's id),
so grouping is incremental: nothing already indexed is re-read but the candidates' fingerprints.
Thresholds come from the judged pairs of tests/indexer/story_pairs.py (bench/stories.py scores them).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from datasketch import MinHash

from indexer.columns import column_values

NUM_PERM = 126
# 42 bands of 3: two texts of Jaccard 0.44 (a short release with its ending cut) share a band with
# probability 0.98, of Jaccard 0.1 (two reports of one event) 0.04, so few candidates need checking.
BANDS, ROWS = 42, 3
SHINGLE = 4
SAME_STORY = 0.5  # estimated containment at which two articles are one release (tuned on judged pairs)
STORY_DAYS = 14  # copies of one release appear within this many days of each other
CACHE_MB = 1024  # SQLite page cache of the band table while an update writes it (a million articles: ~1.3 GB)
MIN_SHINGLES = 20  # shorter texts (a caption, a notice) are too thin to call copies
SEED = 1

_WORD = re.compile(r"\w+")
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED)


@dataclass(frozen=True)
class Fingerprint:
    hashes: np.ndarray  # NUM_PERM uint64 minimum hash values
    size: int  # distinct shingles

    def to_bytes(self) -> bytes:
        """The size and the hash values, 32 bits each (datasketch's affine32 scheme keeps them below 2**32)."""
        return np.uint32(self.size).tobytes() + self.hashes.astype(np.uint32).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        return cls(np.frombuffer(data[4:], dtype=np.uint32).astype(np.uint64),
                   int(np.frombuffer(data[:4], dtype=np.uint32)[0]))

    def bands(self) -> list[int]:
        """The LSH band keys (band number and a 48-bit digest of its rows): articles sharing one are compared."""
        if self.size < MIN_SHINGLES:
            return []
        rows = self.hashes.astype(np.uint64).tobytes()
        width = ROWS * 8
        return [(band << 48) | int.from_bytes(hashlib.blake2b(rows[band * width:(band + 1) * width],
                                                              digest_size=6).digest(), "big")
                for band in range(BANDS)]


def _words(title: str, text: str) -> list[str]:
    return _WORD.findall(f"{title}\n{text}".lower())


def shingles(title: str, text: str) -> set[bytes]:
    """The word 4-shingles of an article, as text (for judging pairs; the index hashes them directly)."""
    words = _words(title, text)
    return {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(max(0, len(words) - SHINGLE + 1))}


class _WordHashes(dict):
    """word -> CRC-32 of its UTF-8, computed once per process: a news vocabulary is small, its words many."""

    def __missing__(self, word: str) -> int:
        if len(self) >= 1_000_000:
            self.clear()
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


_WORD_HASHES = _WordHashes()


def shingle_hashes(title: str, text: str) -> np.ndarray:
    """32-bit hashes of the distinct word 4-shingles: CRC-32 per word, combined over the window in numpy.

    Hashing each shingle's text in Python (datasketch's default, SHA-1) costs more than all the rest of
    indexing an article; a cached hash per word and array arithmetic per window cost a small part of that.
    """
    words = _words(title, text)
    if len(words) < SHINGLE:
        return np.zeros(0, dtype=np.uint64)
    w = np.fromiter(map(_WORD_HASHES.__getitem__, words), dtype=np.uint64, count=len(words))
    h = np.zeros(len(words) - SHINGLE + 1, dtype=np.uint64)
    for i in range(SHINGLE):
        h = (h * np.uint64(1_000_003) + w[i:len(w) - SHINGLE + 1 + i]) & np.uint64(0xFFFFFFFF)
    return np.unique(h)


# datasketch's "affine32" MinHash (MurmurHash3's 32-bit finalizer, then a*h + b modulo 2**32), computed
# here on the whole array at once: building a datasketch object per article cost more than the arithmetic.
# tests/indexer/test_stories.py checks the values against datasketch's own.
_A, _B = (np.asarray(p, dtype=np.uint32) for p in _TEMPLATE.permutations)
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def _minhash(values: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX
    h = values.astype(np.uint32)
    h ^= h >> s1
    h *= m1
    h ^= h >> s2
    h *= m2
    h ^= h >> s3
    return (h[:, None] * _A + _B).min(axis=0).astype(np.uint64)


def fingerprint(title: str, text: str) -> Fingerprint:
    found = shingle_hashes(title, text)
    if not len(found):
        return Fingerprint(np.asarray(_TEMPLATE.hashvalues, dtype=np.uint64), 0)
    return Fingerprint(_minhash(found), len(found))


def containment(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated share of the shorter text's shingles that the other also has.

    MinHash estimates Jaccard J = |A∩B| / |A∪B|; with the set sizes known, |A∩B| = J(|A|+|B|)/(1+J).
    """
    if min(a.size, b.size) < MIN_SHINGLES:
        return 0.0
    jaccard = float(np.count_nonzero(a.hashes == b.hashes)) / NUM_PERM
    shared = jaccard * (a.size + b.size) / (1 + jaccard)
    return min(1.0, shared / min(a.size, b.size))


@dataclass(frozen=True)
class Member:
    id: str
    story: str
    fingerprint: Fingerprint
    day: int | None = None  # publication day (days since 1970), None when undated


def choose(new: Fingerprint, candidates: Iterable[Member]) -> Member | None:
    """The candidate whose story the new article joins: the best containment at or above SAME_STORY.

    Ties go to the smaller story id, so the same inputs always group the same way.
    """
    best, best_score = None, 0.0
    for member in candidates:
        score = containment(new, member.fingerprint)
        if score < SAME_STORY:
            continue
        if best is None or score > best_score or (score == best_score and member.story < best.story):
            best, best_score = member, score
    return best


BANDS_FILE = "stories.sqlite3"
_BAND_SCHEMA = """
CREATE TABLE IF NOT EXISTS member (
    n INTEGER PRIMARY KEY, doc TEXT NOT NULL UNIQUE, story TEXT NOT NULL, fingerprint BLOB NOT NULL, day INTEGER);
CREATE TABLE IF NOT EXISTS band (
    week INTEGER NOT NULL, key INTEGER NOT NULL, member INTEGER NOT NULL, PRIMARY KEY (week, key, member))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS week (week INTEGER PRIMARY KEY);
"""
UNDATED = -(2**62)  # the band table's week of undated articles (no real date's week): candidates of every dated one
WEEK = 7


class Grouper:
    """Assigns stories to articles as an index update writes them, and keeps the band table in step.

    `path` is the generation's band table. `replaced` are ids this update deletes or rewrites: their old
    rows go first, so an old version never claims its new one. `commit()` goes with the index's commits;
    a killed update loses at most the rows of its last uncommitted documents, which only means a copy
    may start a story of its own.
    """

    def __init__(self, path: Path | str = ":memory:", replaced: Iterable[str] = ()):
        self.db = sqlite3.connect(path)
        # A million articles make 42 million band rows, inserted in hash order: a page cache far above
        # SQLite's 2 MB default keeps those inserts off the disk.
        self.db.execute(f"PRAGMA cache_size = -{CACHE_MB * 1024}")
        self.db.executescript(_BAND_SCHEMA)
        self.forget(replaced)

    def forget(self, ids: Iterable[str]) -> None:
        for doc in ids:
            row = self.db.execute("SELECT n, fingerprint, day FROM member WHERE doc = ?", (doc,)).fetchone()
            if row:
                week = _week(row[2])
                self.db.executemany("DELETE FROM band WHERE week = ? AND key = ? AND member = ?",
                                    [(week, key, row[0]) for key in Fingerprint.from_bytes(row[1]).bands()])
                self.db.execute("DELETE FROM member WHERE n = ?", (row[0],))

    def assign(self, article_id: str, title: str, text: str, published: datetime | None = None) -> dict:
        """The story field of one article's index document."""
        fp = fingerprint(title, text)
        bands = fp.bands()
        day = _day(published)
        candidates: dict[str, Member] = {}
        rows = self.db.execute(
            "SELECT DISTINCT m.doc, m.story, m.fingerprint, m.day FROM band b JOIN member m ON m.n = b.member"
            f" WHERE b.week IN ({self._weeks(day)}) AND b.key IN ({','.join('?' * len(bands))})",
            bands) if bands else ()
        for doc, story, data, other in rows:
            if doc == article_id or (day is not None and other is not None and abs(day - other) > STORY_DAYS):
                continue
            candidates[doc] = Member(doc, story, Fingerprint.from_bytes(data), other)
        best = choose(fp, sorted(candidates.values(), key=lambda m: m.id))
        story = best.story if best else article_id
        self.forget([article_id])
        n = self.db.execute("INSERT INTO member (doc, story, fingerprint, day) VALUES (?, ?, ?, ?)",
                            (article_id, story, fp.to_bytes(), day)).lastrowid
        week = _week(day)
        self.db.executemany("INSERT OR IGNORE INTO band (week, key, member) VALUES (?, ?, ?)",
                            [(week, k, n) for k in bands])
        if bands:
            self.db.execute("INSERT OR IGNORE INTO week (week) VALUES (?)", (week,))
        return {"story": story}

    def _weeks(self, day: int | None) -> str:
        """The weeks (as SQL) whose band rows can hold a candidate for an article of this day: the weeks
        within STORY_DAYS and the undated; every week for an undated article."""
        if day is None:
            return "SELECT week FROM week"
        first, last = _week(day - STORY_DAYS), _week(day + STORY_DAYS)
        return ",".join(str(w) for w in (UNDATED, *range(first, last + 1)))

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.commit()
        self.db.close()


def _week(day: int | None) -> int:
    return UNDATED if day is None else day // WEEK


def _day(when: datetime | None) -> int | None:
    return None if when is None else when.toordinal() - 719163  # date(1970, 1, 1).toordinal()


@dataclass
class Prints:
    """The fingerprints of many articles as arrays, in the order they are indexed: what a rebuild groups
    in one pass (group) instead of asking the band table once per article."""

    ids: list[str]
    rows: np.ndarray  # (n, 1 + NUM_PERM) uint32: the shingle count, then the hash values (Fingerprint.to_bytes)
    bands: np.ndarray  # (n, BANDS) int64 band keys; unused where the text is too short to band
    days: np.ndarray  # (n,) int64 publication day; 0 where undated
    dated: np.ndarray  # (n,) bool

    @classmethod
    def of(cls, articles: Iterable[tuple[str, str, str, datetime | None]]) -> Prints:
        """From (id, title, text, published) tuples."""
        ids, rows, bands, days = [], [], [], []
        for article_id, title, text, published in articles:
            fp = fingerprint(title, text)
            ids.append(article_id)
            rows.append(fp.to_bytes())
            bands.append(fp.bands() or [0] * BANDS)
            days.append(_day(published))
        return cls(ids, np.frombuffer(b"".join(rows), dtype=np.uint32).reshape(len(ids), 1 + NUM_PERM),
                   np.asarray(bands, dtype=np.int64).reshape(len(ids), BANDS),
                   np.asarray([d or 0 for d in days], dtype=np.int64), np.asarray([d is not None for d in days]))

    @classmethod
    def join(cls, parts: list[Prints]) -> Prints:
        return cls([i for p in parts for i in p.ids], *(np.concatenate([getattr(p, f) for p in parts])
                                                         for f in ("rows", "bands", "days", "dated")))


def group(prints: Prints, budget: int = 500_000) -> list[str]:
    """The stories Grouper.assign gives these articles one after another, found at once.

    Candidates of an article are the earlier articles sharing one of its band keys: with every key of every
    article sorted (key, then order), they are the entries before its own in each run of one key. Every
    (article, candidate) pair is scored in numpy, `budget` pairs at a time; only the pairs that reach
    SAME_STORY go through Python, in article order, since a story passes from copy to copy.
    tests/indexer/test_stories.py checks the stories (and group_table's rows) against Grouper's.
    """
    story = list(prints.ids)
    sizes = prints.rows[:, 0].astype(np.int64)
    banded = np.flatnonzero(sizes >= MIN_SHINGLES)
    keys = prints.bands[banded].ravel()
    owners = np.repeat(banded, BANDS)
    order = np.lexsort((owners, keys))
    keys, owners = keys[order], owners[order]
    at = np.arange(len(keys))
    first = np.maximum.accumulate(np.where(np.r_[True, keys[1:] != keys[:-1]], at, 0))  # each run's start
    later = np.flatnonzero(first < at)  # entries with earlier articles in their run
    later = later[np.argsort(owners[later], kind="stable")]
    if not len(later):
        return story
    earlier = later - first[later]  # how many earlier articles each entry has
    # cut the entries into parts of about `budget` pairs, never between two entries of one article
    starts = np.flatnonzero(np.r_[True, owners[later][1:] != owners[later][:-1]])
    before = np.r_[0, np.cumsum(earlier)][starts]
    cuts = np.unique(np.r_[0, starts[np.searchsorted(before, np.arange(budget, before[-1] + 1, budget))], len(later)])
    found = [_scored(prints, sizes, owners, first, later[lo:hi], earlier[lo:hi])
             for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True)]
    new, old, score = (np.concatenate([f[k] for f in found]) for k in range(3))
    last, best = -1, 0.0
    for n in np.lexsort((-score, new)).tolist():  # by article, its best-scoring candidates first
        i, j = int(new[n]), int(old[n])
        if i != last:
            last, best = i, score[n]
            story[i] = story[j]
        elif score[n] == best and story[j] < story[i]:
            story[i] = story[j]
    return story


def _scored(prints: Prints, sizes: np.ndarray, owners: np.ndarray, first: np.ndarray, entries: np.ndarray,
            earlier: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(article, candidate, containment) of the pairs these key entries make that reach SAME_STORY."""
    n = len(sizes)
    total = int(earlier.sum())
    new = np.repeat(owners[entries], earlier)
    offsets = np.arange(total) - np.repeat(np.cumsum(earlier) - earlier, earlier)
    old = owners[np.repeat(first[entries], earlier) + offsets]
    pair = np.unique(new * n + old)  # a pair sharing several bands is scored once
    new, old = pair // n, pair % n
    dated, days = prints.dated, prints.days
    near = ~dated[new] | ~dated[old] | (np.abs(days[new] - days[old]) <= STORY_DAYS)
    new, old = new[near], old[near]
    hashes = prints.rows[:, 1:]
    jaccard = np.count_nonzero(hashes[old] == hashes[new], axis=1) / NUM_PERM
    shared = jaccard * (sizes[new] + sizes[old]) / (1 + jaccard)
    score = np.minimum(1.0, shared / np.minimum(sizes[new], sizes[old]))
    keep = score >= SAME_STORY
    return new[keep], old[keep], score[keep]


def group_table(path: Path | str, prints: Prints, story: list[str]) -> None:
    """Write the band table Grouper would have written assigning these stories, rows in key order."""
    db = sqlite3.connect(path)
    try:
        db.executescript(_BAND_SCHEMA)
        days = [d if dated else None for d, dated in zip(prints.days.tolist(), prints.dated.tolist(), strict=True)]
        db.executemany("INSERT INTO member (n, doc, story, fingerprint, day) VALUES (?, ?, ?, ?, ?)",
                       ((k + 1, doc, story[k], prints.rows[k].tobytes(), days[k])
                        for k, doc in enumerate(prints.ids)))
        banded = np.flatnonzero(prints.rows[:, 0] >= MIN_SHINGLES)
        weeks = np.where(prints.dated[banded], prints.days[banded] // WEEK, UNDATED)
        week, key, member = np.repeat(weeks, BANDS), prints.bands[banded].ravel(), np.repeat(banded + 1, BANDS)
        order = np.lexsort((member, key, week))
        for at in range(0, len(order), 1_000_000):  # as Python ints a million rows at a time, not 42 million
            part = order[at:at + 1_000_000]
            db.executemany("INSERT OR IGNORE INTO band (week, key, member) VALUES (?, ?, ?)",
                           zip(week[part].tolist(), key[part].tolist(), member[part].tolist(), strict=True))
        db.executemany("INSERT INTO week (week) VALUES (?)", ((w,) for w in np.unique(weeks).tolist()))
        db.commit()
    finally:
        db.close()


class StoryMap:
    """Stories of one index commit as arrays by docnum, for collapsing results and counting facets.

    code[d] is a small integer per story (live documents only; a document without a story is its own),
    size[d] how many live documents its story has. Most stories have one article, so the work that
    groups (sorting by story) runs on the few documents whose story has copies.
    """

    def __init__(self, reader, live: np.ndarray):
        n = len(live)
        self.code = np.arange(n, dtype=np.int64)  # no story: a story of its own
        if n:
            ids: dict[str, int] = {}
            for docnum, story in enumerate(column_values(reader, "story", "")):
                if story and live[docnum]:
                    self.code[docnum] = n + ids.setdefault(story, len(ids))
        counts = np.bincount(self.code[live], minlength=(self.code.max() + 1) if n else 0)
        self.size = counts[self.code] if n else np.zeros(0, dtype=np.int64)
        grouped = np.flatnonzero(live & (self.size > 1))
        order = np.argsort(self.code[grouped], kind="stable")
        self._grouped, self._grouped_codes = grouped[order], self.code[grouped][order]

    def best(self, docs: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Positions in docs of one document per story: the smallest key (ties: the lower docnum)."""
        shared = self.size[docs] > 1
        alone, grouped = np.flatnonzero(~shared), np.flatnonzero(shared)
        if not len(grouped):
            return alone
        order = grouped[np.lexsort((docs[grouped], keys[grouped], self.code[docs[grouped]]))]
        _, first = np.unique(self.code[docs[order]], return_index=True)
        return np.sort(np.concatenate([alone, order[first]]))

    def count(self, docs: np.ndarray, masks: dict[str, np.ndarray]) -> dict[str, int]:
        """Per facet value: how many stories among docs have at least one copy with that value."""
        shared = self.size[docs] > 1
        alone, grouped = docs[~shared], docs[shared]
        if len(grouped):
            grouped = grouped[np.argsort(self.code[grouped], kind="stable")]
            starts = np.flatnonzero(np.r_[True, np.diff(self.code[grouped]) != 0])
        out = {}
        for key, mask in masks.items():
            total = int(np.count_nonzero(mask[alone]))
            if len(grouped):
                total += int(np.count_nonzero(np.logical_or.reduceat(mask[grouped], starts)))
            out[key] = total
        return out

    def members(self, docnum: int) -> np.ndarray:
        """The live documents of docnum's story, itself included, by docnum (a stable sort by story kept
        _grouped's docnum order within each story)."""
        if self.size[docnum] <= 1:
            return np.array([docnum], dtype=np.int64)
        code = self.code[docnum]
        lo, hi = np.searchsorted(self._grouped_codes, [code, code + 1])
        return self._grouped[lo:hi]
