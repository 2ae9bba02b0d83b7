"""Which documents hold a common word: one bit per document, in a file beside each segment.

A timeline, a count or a filter needs only the documents a word is in, not how often or where. whoosh3
keeps a posting's id, term frequency and positions in one pickled block, so reaching the ids of a word in
half the articles of a million-article index meant inflating and unpickling 3,790 blocks with every
position in them: 233 ms of a cold timeline's 470 (bench/timeline.py, profiled). For a word in at least
1/DENSITY of a segment's documents a bitmap is smaller than the ids it stands for, and reading it is one
small read and a numpy unpack.

Each segment gets `<segment id>.bits`: a format line, a JSON header (documents, the least document
frequency kept, and field -> term -> [offset, length]) and the zlib-compressed bitmaps of every term that
common in the fields search reads whole (FIELDS). A term the header lacks is rare in that segment (or
absent) and is read from the postings as before. The name matches Whoosh's segment-file pattern, so
Whoosh deletes the file with its segment. A segment without one (an index written before this file
existed, a write killed before its rename) is read the old way; `warta index` writes what is missing
after every commit (`ensure`).
"""

from __future__ import annotations

import json
import logging
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from indexer.query import SEARCH_FIELDS
from indexer.schema import FACET_FIELDS

log = logging.getLogger(__name__)

FORMAT = b"warta-bits 1\n"
EXTENSION = ".bits"
DENSITY = 16  # a term in at least one document in 16: its bitmap costs at most 2 bits of disk per posting
LEAST = 64  # nor fewer documents than this: a rarer term's postings are a block or two, cheap to read
_LENGTH = struct.Struct(">Q")
# The fields whose terms are read whole: the words search matches and the facets the catalog masks (all of
# them text, ID or keyword fields, their terms UTF-8). Ids, URLs and hashes are never common; walking their
# term lists was half of a segment's time.
FIELDS = (*SEARCH_FIELDS, *FACET_FIELDS.values())


def filename(segment) -> str:
    return segment.make_filename(EXTENSION)


def least(size: int) -> int:
    """The fewest documents of a segment of `size` a term must be in to get a bitmap."""
    return max(LEAST, -(-size // DENSITY))


def write(storage, segment, size: int, common: Iterable[tuple[str, str, np.ndarray]]) -> int:
    """Write a segment's bitmap file from (field, term, sorted docnums in the segment) of its common terms
    (in at least least(size) documents; rarer ones would only make the file bigger). Returns how many."""
    header: dict = {"docs": size, "least": least(size), "terms": {}}
    chunks, at = [], 0
    for fieldname, text, ids in common:
        mask = np.zeros(size, dtype=bool)
        mask[ids] = True
        packed = zlib.compress(np.packbits(mask).tobytes(), 1)
        header["terms"].setdefault(fieldname, {})[text] = [at, len(packed)]
        chunks.append(packed)
        at += len(packed)
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    name = filename(segment)
    out = storage.create_file(name + ".tmp")
    try:
        out.write(FORMAT + _LENGTH.pack(len(head)) + head)
        for chunk in chunks:
            out.write(chunk)
    finally:
        out.close()
    storage.rename_file(name + ".tmp", name)
    return len(chunks)


def write_segment(ix, segment) -> int:
    """Write the bitmaps of one segment of ix from its postings on disk (a segment an update wrote, or one
    of an index made before bitmaps existed; a rebuild's TermWriter writes them from memory)."""
    from whoosh.reading import SegmentReader

    from indexer.postings import Postings  # which reads these files: imported here, not at the top

    leaf = SegmentReader(ix.storage, ix.schema, segment)
    try:
        postings, fewest = Postings(leaf, cache_bytes=0, bitmaps=False), least(leaf.doc_count_all())
        common = ((fieldname, text, postings.ids(fieldname, text))
                  for fieldname in FIELDS if fieldname in leaf.schema
                  for text in (t.decode("utf-8") for t, info in leaf.iter_field(fieldname)
                               if info.doc_frequency() >= fewest))
        return write(ix.storage, segment, leaf.doc_count_all(), common)
    finally:
        leaf.close()


@dataclass
class SegmentBits:
    """One segment's bitmap file, its header read once."""

    storage: object
    name: str
    size: int
    start: int
    terms: dict[str, dict[str, list[int]]]

    @classmethod
    def open(cls, leaf) -> SegmentBits | None:
        """The bitmaps beside leaf's segment, or None when it has none (or one this code cannot read)."""
        storage, name = leaf.storage(), filename(leaf.segment())
        if not storage.file_exists(name):
            return None
        f = storage.open_file(name)
        try:
            first = f.read(len(FORMAT) + _LENGTH.size)
            if len(first) < len(FORMAT) + _LENGTH.size or first[:len(FORMAT)] != FORMAT:
                log.warning("ignoring %s: not a bitmap file this version reads", name)
                return None
            (length,) = _LENGTH.unpack(first[len(FORMAT):])
            header = json.loads(f.read(min(length, 1 << 30)).decode("utf-8"))
            size, terms = header["docs"], header["terms"]
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring %s: %s", name, exc)
            return None
        finally:
            f.close()
        if size != leaf.doc_count_all() or not isinstance(terms, dict):
            log.warning("ignoring %s: written for another segment", name)
            return None
        return cls(storage, name, size, len(first) + length, terms)

    def ids(self, fieldname: str, text: str) -> np.ndarray | None:
        """Sorted docnums in the segment holding the term, or None when the term has no bitmap here (or the
        file turns out damaged: then none of its bitmaps is used again and the postings answer)."""
        place = self.terms.get(fieldname, {}).get(text)
        if place is None:
            return None
        try:
            f = self.storage.open_file(self.name)
            try:
                f.seek(self.start + place[0])
                packed = np.frombuffer(zlib.decompress(f.read(place[1])), dtype=np.uint8)
            finally:
                f.close()
            if len(packed) != -(-self.size // 8):
                raise ValueError(f"{len(packed)} bytes for {self.size} documents")
        except (OSError, zlib.error, ValueError) as exc:
            log.warning("ignoring %s from here on: %s", self.name, exc)
            self.terms = {}
            return None
        return np.flatnonzero(np.unpackbits(packed, count=self.size)).astype(np.int64, copy=False)


def ensure(ix) -> int:
    """Write the bitmaps of every segment of ix's latest commit that has none; returns how many were written.

    After a commit: an update's new or merged segment, or every segment of an index written before bitmaps
    existed (once: a million articles' 100 segments took 149 s, before FIELDS)."""
    with ix.reader() as reader:
        missing = [leaf.segment() for leaf, _ in reader.leaf_readers()
                   if reader.doc_count_all() and not ix.storage.file_exists(filename(leaf.segment()))]
    for segment in missing:
        write_segment(ix, segment)
    if missing:
        log.info("wrote the term bitmaps of %d segments", len(missing))
    return len(missing)
