"""Posting lists as numpy arrays, read block by block and cached per index generation.

Whoosh's matchers walk postings one document at a time through several layers of Python calls; that is
what makes counting and ranking every match of a common word slow at 100,000 articles. Whoosh's whoosh3
codec stores postings in blocks of up to 128 (delta-coded ids, term frequencies, encoded positions).
This module reads whole blocks and turns them into arrays, so set algebra, BM25 and facet counts run in
numpy. A term's arrays are kept in a byte-bounded LRU cache for the life of the index generation, since
the words of news searches repeat (`banjir`, `pemko`, `korupsi`).

The block reader is indexer/whoosh_private.py's (the codec's leaf-matcher internals, checked when warta
starts); any other matcher (inlined postings of rare terms) goes through the public matcher API. When only
the documents are wanted (`ids`), a segment's bitmap of a common word (indexer/bitmaps.py) stands in for its
blocks.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

import numpy as np
from whoosh.reading import TermNotFound

from indexer.bitmaps import SegmentBits
from indexer.whoosh_private import leaf_blocks

EMPTY = np.zeros(0, dtype=np.int64)
EMPTY_TFS = np.zeros(0, dtype=np.float32)
CACHE_BYTES = 256 * 1024 * 1024


class Postings:
    """Per reader: term -> (docnums, term frequencies), global docnums, sorted, deleted documents included."""

    def __init__(self, reader, cache_bytes: int = CACHE_BYTES, bitmaps: bool = True):
        self.reader = reader
        self.cache_bytes = cache_bytes
        self._cache: OrderedDict[tuple, tuple[np.ndarray, np.ndarray | None]] = OrderedDict()
        self._used = 0
        self._bits: dict[str, SegmentBits | None] | None = {} if bitmaps else None

    def get(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        key = (field, text)
        hit = self._cached(key)
        if hit is not None:
            return hit
        ids, tfs = [], []
        for block_ids, block_tfs, _ in self._all_blocks(field, text):
            ids.append(block_ids)
            tfs.append(block_tfs)
        return self._keep(key, (np.concatenate(ids), np.concatenate(tfs)) if ids else (EMPTY, EMPTY_TFS))

    def ids(self, field: str, text: str) -> np.ndarray:
        """The term's documents: from the segments' bitmaps where they have one, else from get()."""
        hit = self._cached((field, text)) or self._cached((field, text, "ids"))
        if hit is not None:
            return hit[0]
        leaves = list(self.reader.leaf_readers())
        found = [self._bitmap(leaf, field, text) for leaf, _ in leaves]
        if all(f is None for f in found):
            return self.get(field, text)[0]
        parts = []
        for (leaf, offset), ids in zip(leaves, found, strict=True):
            if ids is None:
                parts.extend(block_ids for block_ids, _, _ in self._blocks(leaf, offset, field, text))
            elif len(ids):
                parts.append(ids + offset)
        return self._keep((field, text, "ids"), (np.concatenate(parts) if parts else EMPTY, None))[0]

    def _cached(self, key: tuple) -> tuple[np.ndarray, np.ndarray | None] | None:
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
        return hit

    def _keep(self, key: tuple, entry: tuple[np.ndarray, np.ndarray | None]) -> tuple:
        self._cache[key] = entry
        self._used += _nbytes(entry)
        while self._used > self.cache_bytes and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._used -= _nbytes(old)
        return entry

    def _bitmap(self, leaf, field: str, text: str) -> np.ndarray | None:
        segment = leaf.segment()
        if self._bits is None or segment is None:  # an empty index's reader has no segment
            return None
        key = segment.segment_id()
        if key not in self._bits:
            self._bits[key] = SegmentBits.open(leaf)
        bits = self._bits[key]
        return None if bits is None else bits.ids(field, text)

    def positions(self, field: str, text: str, docs: np.ndarray) -> np.ndarray:
        """Every position of text in each of docs, as sorted keys docnum << 32 | position.

        Only the blocks holding one of docs have their positions read and decoded, and within them only
        those documents: a phrase is checked on the candidates its words' documents leave.
        """
        fmt = self.reader.schema[field].format
        wanted = np.zeros(self.reader.doc_count_all(), dtype=bool)
        wanted[docs] = True
        owners, counts, flat = [], [], []
        for block_ids, _, values in self._all_blocks(field, text, wanted):
            for i in np.flatnonzero(wanted[block_ids]).tolist():
                found = fmt.decode_positions(values[i])
                owners.append(int(block_ids[i]))
                counts.append(len(found))
                flat.extend(found)
        if not flat:
            return EMPTY
        return (np.repeat(np.asarray(owners, dtype=np.int64), counts) << 32) | np.asarray(flat, dtype=np.int64)

    def _all_blocks(self, field: str, text: str, wanted: np.ndarray | None = None
                    ) -> Iterator[tuple[np.ndarray, np.ndarray, tuple]]:
        for leaf, offset in self.reader.leaf_readers():
            yield from self._blocks(leaf, offset, field, text, wanted)

    @staticmethod
    def _blocks(leaf, offset: int, field: str, text: str, wanted: np.ndarray | None = None
                ) -> Iterator[tuple[np.ndarray, np.ndarray, tuple]]:
        """(docnums, term frequencies, values) per posting block of one segment; values (positions) are read
        only when asked for with `wanted`, a mask by docnum, and only the blocks holding one of them are yielded."""
        try:
            matcher = leaf.postings(field, text)
        except TermNotFound:
            return
        matcher = getattr(matcher, "child", matcher)  # the deletions wrapper: `live` masks those later
        blocks = leaf_blocks(matcher, offset, wanted)
        if blocks is not None:
            yield from blocks
            return
        ids, tfs, vals = [], [], []
        while matcher.is_active():
            ids.append(matcher.id() + offset)
            tfs.append(matcher.weight())
            if wanted is not None:
                vals.append(matcher.value())
            matcher.next()
        yield np.asarray(ids, dtype=np.int64), np.asarray(tfs, dtype=np.float32), tuple(vals)


def _nbytes(entry: tuple[np.ndarray, np.ndarray | None]) -> int:
    return entry[0].nbytes + (entry[1].nbytes if entry[1] is not None else 0)
