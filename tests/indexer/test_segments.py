"""TermWriter writes the segment Whoosh's own SegmentWriter writes, only faster."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from indexer.generations import CODEC_COMPRESSION, storage
from indexer.schema import build_schema
from indexer.segments import TermWriter

WORDS = ["pemko", "siantar", "pelayanan", "melayani", "dilayani", "wali", "kota", "rsud", "banjir", "jalan",
         "dinas", "asn", "opd", "sumut", "pemkab", "yang", "dan", "di", "anggaran", "2024", "Rp", "warga"]


def _segment(directory: Path, writer_class, docs: list[dict]):
    ix = storage(directory).create_index(build_schema())
    writer = writer_class(ix, codec=W3Codec(compression=CODEC_COMPRESSION))
    for doc in docs:
        writer.add_document(**doc)
    writer.commit(merge=False)
    return ix.reader()


def _contents(reader, inlined: bool = False) -> dict:
    """Everything a reader gives back: per term its statistics and what its postings hold; per document
    its stored fields, field lengths and column values. Where postings lie in the file differs by what
    TermWriter inlines; the blocks of the rest lie in the same places."""
    terms, offset = {}, 0
    for field, text in reader.all_terms():
        info = reader.term_info(field, text)
        matcher = reader.postings(field, text)
        if info.is_inlined():
            assert inlined and info.doc_frequency() == 1
            where = "inlined"
        else:
            start, where = info.extent()
            where = where[0] if isinstance(where, tuple) else where  # whoosh3 reads it back as a 1-tuple
            assert start >= offset  # blocks in term order, one after another
            offset = start + where
        terms[field, text] = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                              info.max_weight(), info.min_id(), info.max_id(),
                              list(matcher.items_as("weight")),
                              # an ID's postings carry no value: None from a block, "" from an inlined entry
                              [matcher.value() or None for _ in _walk(matcher)],
                              "inlined" if info.doc_frequency() == 1 else where)
    docs = [(reader.stored_fields(n), [reader.doc_field_length(n, f) for f in reader.schema.names()])
            for n in range(reader.doc_count_all())]
    columns = {f: list(reader.column_reader(f, translate=False)) for f in reader.schema.names() if reader.has_column(f)}
    return {"terms": terms, "docs": docs, "columns": columns,
            "lengths": {f: reader.field_length(f) for f in reader.schema.names()}}


def _walk(matcher):
    matcher.reset()
    while matcher.is_active():
        yield matcher.id()
        matcher.next()


def _same(docs: list[dict]) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        (root / "a").mkdir()
        (root / "b").mkdir()
        theirs = _contents(_segment(root / "a", SegmentWriter, docs))
        ours = _contents(_segment(root / "b", TermWriter, docs), inlined=True)
        assert ours == theirs
    finally:
        shutil.rmtree(root)


def _doc(n: int, title: str, body: str, published: datetime | None = None, **more) -> dict:
    doc = dict(id=f"{n:016x}", url=f"https://example.go.id/{n}", hash=f"h{n}", outlet="siantar",
               outlet_name="Siantar", title=title, body=body, author="Humas", regions="Sumatera Utara",
               actors="Pemko Pematangsiantar", outlet_regions="", story=f"{n:016x}")
    if published:
        doc.update(published=published, year=str(published.year))
    doc.update(more)
    return doc


def test_long_posting_lists_cross_block_boundaries():
    """300 documents: common words fill several 128-posting blocks, with lengths and repeats varying."""
    start = datetime(2024, 1, 1)
    docs = [_doc(n, f"Pemko Siantar {WORDS[n % len(WORDS)]}",
                 " ".join(WORDS[(n * k) % len(WORDS)] for k in range(1, 5 + n % 37)) + " pelayanan" * (n % 4),
                 start + timedelta(hours=n) if n % 5 else None)
            for n in range(300)]
    _same(docs)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(WORDS), max_size=6),
                          st.lists(st.sampled_from([*WORDS, "Baca", "wali kota", "é", "𝔘"]), max_size=60),
                          st.booleans()),
                min_size=1, max_size=20))
def test_any_documents_read_back_alike(raw):
    docs = [_doc(n, " ".join(title), " ".join(body), datetime(2024, 5, 1) if dated else None)
            for n, (title, body, dated) in enumerate(raw)]
    _same(docs)


def test_merges_are_left_to_segment_writer(tmp_path):
    ix = storage(tmp_path).create_index(build_schema())
    writer = TermWriter(ix)
    with pytest.raises(NotImplementedError):
        writer.add_reader(ix.reader())
    writer.cancel()


def test_a_merge_reads_inlined_postings_back_as_whoosh_wrote_them(tmp_path):
    """Updates merge a rebuild's segments with SegmentWriter: what TermWriter inlined must survive that,
    and the merged segment must be the one merging SegmentWriter's own segments gives."""
    docs = [_doc(n, f"Wali Kota {WORDS[n % 7]} {n}", f"{WORDS[n % 5]} laporan-{n} " * (1 + n % 3)) for n in range(40)]
    merged = []
    for name, writer_class in (("theirs", SegmentWriter), ("ours", TermWriter)):
        (tmp_path / name).mkdir()
        ix = storage(tmp_path / name).create_index(build_schema())
        for part in (docs[:25], docs[25:]):
            writer = writer_class(ix, codec=W3Codec(compression=CODEC_COMPRESSION))
            for doc in part:
                writer.add_document(**doc)
            writer.commit(merge=False)
        SegmentWriter(ix).commit(optimize=True)
        assert len(ix._segments()) == 1
        merged.append(_contents(ix.reader()))
    assert merged[0] == merged[1]
