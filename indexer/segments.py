"""A Whoosh segment writer for rebuilds that keeps each term's postings together.

Whoosh's SegmentWriter puts every posting of every document into one pool of (field, term, docnum, weight,
value) tuples, sorts the pool at commit and hands the postings to the codec one at a time, which reads each
document's field length back from the column it has just written. At some 200 postings an article, that
per-posting Python was most of a rebuild's time (bench/index.py, profiled). Here a document's postings are
appended to its term's list as the document is added (documents come in docnum order, so every list is
sorted already), only the terms are sorted at commit, and the codec's posting blocks are filled a block at
a time from the lengths kept in memory. The segment's bitmaps of common words (indexer/bitmaps.py) are
written from the same lists, with no reading back.

What reaches the disk is Whoosh's format written by Whoosh's codec: its per-document writer, its term
index, its block encoder. tests/indexer/test_segments.py checks that a segment written here reads back
identical, term by term and block by block, to one SegmentWriter writes from the same documents.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from indexer import bitmaps
from indexer.whoosh_private import fill_blocks, postings_writer, write_inlined


class TermWriter(SegmentWriter):
    """A SegmentWriter for new documents only (a rebuild's segments): no merging, vectors or spelling."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        unsupported = [name for name, field in self.schema.items() if field.vector or field.separate_spelling()]
        if unsupported:
            raise ValueError(f"TermWriter writes no term vectors or spelling fields: {unsupported}")
        self._terms: dict[str, dict[bytes, list]] = defaultdict(dict)  # field -> term -> [(docnum, weight, value)]
        self._lengths: dict[str, dict[int, int]] = defaultdict(dict)  # field -> docnum -> length as read back

    def add_document(self, **fields) -> None:
        """SegmentWriter.add_document, with the postings going to their terms' lists instead of the pool."""
        self._check_state()
        schema, docnum, perdoc = self.schema, self.docnum, self.perdocwriter
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        docboost = self._doc_boost(fields)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, name, docboost)
                    terms, scorable = self._terms[name], field.scorable
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if scorable:
                            length += freq
                        postings = terms.get(tbytes)
                        if postings is None:
                            postings = terms[tbytes] = []
                        postings.append((docnum, weight * boost, vbytes))
                    if length and length_to_byte(length):
                        self._lengths[name][docnum] = byte_to_length(length_to_byte(length))
                stored = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(stored))
        except ValueError:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def add_reader(self, reader) -> None:
        raise NotImplementedError("TermWriter writes new documents; merges go through SegmentWriter")

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        for name in sorted(self._terms):
            terms = self._terms[name]
            if not terms:
                continue
            fieldwriter.start_field(name, self.schema[name])
            lengths = self._lengths[name] if self.codec.length_stats else {}
            for tbytes in sorted(terms):
                postings = terms[tbytes]
                if len(postings) == 1:  # four terms in five at 10,000 articles: a block each was a third of the time
                    write_inlined(fieldwriter, tbytes, postings[0], lengths.get(postings[0][0]))
                    continue
                fieldwriter.start_term(tbytes)
                fill_blocks(postings_writer(fieldwriter), postings, lengths)
                fieldwriter.finish_term()
            fieldwriter.finish_field()
        fieldwriter.close()

    def _finalize_segment(self):
        """SegmentWriter's (postings, then the compound file), then the bitmaps from the lists in memory: after
        the compound file is assembled, or the bitmap file would be swept into it as one of the segment's."""
        segment = super()._finalize_segment()
        fewest = bitmaps.least(self.docnum)
        bitmaps.write(self.storage, segment, self.docnum,
                      ((name, tbytes.decode("utf-8"), np.fromiter((p[0] for p in postings), np.int64, len(postings)))
                       for name in bitmaps.FIELDS
                       for tbytes, postings in sorted((t, p) for t, p in self._terms.get(name, {}).items()
                                                      if len(p) >= fewest)))
        self._terms.clear()
        return segment
