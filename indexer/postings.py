"""Posting lists as numpy arrays, read block by block and cached per index generation.

Whoosh's matchers walk postings one document at a time through several layers of Python calls; that is
what makes counting and ranking every match of a common word slow at 100,000 articles. Whoosh's whoosh3
codec stores postings in blocks of up to 128 (delta-coded ids, term frequencies, encoded positions).
This module reads whole blocks and turns them into arrays, so set algebra, BM25 and facet counts run in
numpy. A term's arrays are kept in a byte-bounded LRU cache for the life of the index generation, since
the words of news searches repeat (`banjir`, `pemko`, `korupsi`).

The block reader is indexer/whoosh_private.py's (the codec's leaf-matcher internals, checked when warta
starts); any other matcher (inlined postings of rare terms) goes through the public matcher API.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

import numpy as np
from whoosh.reading import TermNotFound

from indexer.whoosh_private import leaf_blocks

EMPTY = np.zeros(0, dtype=np.int64)
EMPTY_TFS = np.zeros(0, dtype=np.float32)
CACHE_BYTES = 256 * 1024 * 1024


class Postings:
    """Per reader: term -> (docnums, term frequencies), global docnums, sorted, deleted documents included."""

    def __init__(self, reader, cache_bytes: int = CACHE_BYTES):
        self.reader = reader
        self.cache_bytes = cache_bytes
        self._cache: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._used = 0

    def get(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        key = (field, text)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        ids, tfs = [], []
        for block_ids, block_tfs, _ in self._blocks(field, text):
            ids.append(block_ids)
            tfs.append(block_tfs)
        entry = (np.concatenate(ids), np.concatenate(tfs)) if ids else (EMPTY, EMPTY_TFS)
        self._cache[key] = entry
        self._used += entry[0].nbytes + entry[1].nbytes
        while self._used > self.cache_bytes and len(self._cache) > 1:
            _, (old_ids, old_tfs) = self._cache.popitem(last=False)
            self._used -= old_ids.nbytes + old_tfs.nbytes
        return entry

    def ids(self, field: str, text: str) -> np.ndarray:
        return self.get(field, text)[0]

    def positions(self, field: str, text: str, docs: np.ndarray) -> np.ndarray:
        """Every position of text in each of docs, as sorted keys docnum << 32 | position.

        Only the blocks holding one of docs have their positions read and decoded, and within them only
        those documents: a phrase is checked on the candidates its words' documents leave.
        """
        fmt = self.reader.schema[field].format
        wanted = np.zeros(self.reader.doc_count_all(), dtype=bool)
        wanted[docs] = True
        owners, counts, flat = [], [], []
        for block_ids, _, values in self._blocks(field, text, wanted):
            for i in np.flatnonzero(wanted[block_ids]).tolist():
                found = fmt.decode_positions(values[i])
                owners.append(int(block_ids[i]))
                counts.append(len(found))
                flat.extend(found)
        if not flat:
            return EMPTY
        return (np.repeat(np.asarray(owners, dtype=np.int64), counts) << 32) | np.asarray(flat, dtype=np.int64)

    def _blocks(self, field: str, text: str, wanted: np.ndarray | None = None
                ) -> Iterator[tuple[np.ndarray, np.ndarray, tuple]]:
        """(docnums, term frequencies, values) per posting block; values (positions) are read only when
        asked for with `wanted`, a mask by docnum, and only the blocks holding one of them are yielded."""
        for leaf, offset in self.reader.leaf_readers():
            try:
                matcher = leaf.postings(field, text)
            except TermNotFound:
                continue
            matcher = getattr(matcher, "child", matcher)  # the deletions wrapper: `live` masks those later
            blocks = leaf_blocks(matcher, offset, wanted)
            if blocks is not None:
                yield from blocks
            else:
                ids, tfs, vals = [], [], []
                while matcher.is_active():
                    ids.append(matcher.id() + offset)
                    tfs.append(matcher.weight())
                    if wanted is not None:
                        vals.append(matcher.value())
                    matcher.next()
                yield np.asarray(ids, dtype=np.int64), np.asarray(tfs, dtype=np.float32), tuple(vals)
