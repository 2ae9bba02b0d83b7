"""Every use of Whoosh that its documentation does not promise, behind one door.

warta's speed comes from reading and writing Whoosh's whoosh3 codec a block and a column at a time
(postings.py, columns.py, segments.py, index.py's segment processes) and from knowing how a DATETIME
column encodes a date (search.py's timelines and date sorts). Those are private names of one Whoosh
version. They are used here and nowhere else (tests/indexer/test_whoosh_private.py checks every module),
and on import this module checks that each one is there, on the classes and, through a one-document index
in memory, on the objects Whoosh builds: an upgrade that renames one stops warta at once with one message
naming what is missing, instead of a slow path taken silently or a wrong answer.

pyproject.toml pins whoosh3 to PROVEN, the version these names were read from.
"""

from __future__ import annotations

import inspect
import io
import pickle
import struct
import zlib
from array import array
from collections.abc import Iterator
from datetime import datetime, timedelta

import numpy as np
import whoosh
from whoosh.analysis import RegexTokenizer, StopFilter
from whoosh.codec.whoosh3 import W3FieldWriter, W3LeafMatcher, W3PostingsWriter, W3TermInfo
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import DATETIME, ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.formats import Positions
from whoosh.system import pack_ushort
from whoosh.writing import SegmentWriter

PROVEN = "3.54"

# Names on classes: methods warta calls or overrides (segments.TermWriter is a SegmentWriter).
CLASS_NAMES: dict[type, tuple[str, ...]] = {
    SegmentWriter: ("_check_state", "_check_fields", "_doc_boost", "_field_boost", "_flush_segment",
                    "_finalize_segment"),
    W3LeafMatcher: ("_read_data", "_read_values", "_next_block"),
    W3PostingsWriter: ("_write_block",),
    W3TermInfo: ("set_inlined", "to_bytes"),
    Positions: ("word_values", "encode"),
}
# Names on the objects Whoosh builds, checked on a one-document index in memory.
OBJECT_NAMES: dict[type, tuple[str, ...]] = {
    W3LeafMatcher: ("_data", "_byteids", "_values", "_postfile", "_startoffset", "_length", "_baseoffset"),
    VarBytesColumn.Reader: ("_dbfile", "_basepos", "_offsets", "_lengths"),
    NumericColumn.Reader: ("_dbfile", "_basepos", "_typecode", "_count", "_fixedlen", "_default", "_doccount"),
    W3FieldWriter: ("_tindex", "_fieldid", "_postwriter"),
    W3PostingsWriter: ("_blocklimit", "_ids", "_weights", "_values", "_maxweight", "_minlength", "_maxlength"),
    SegmentWriter: ("_added",),
}

_INT = struct.Struct("!i")  # whoosh.system's int: a posting block's length

# A DATETIME column holds microseconds since datetime.min; a document without a date holds the largest value.
EPOCH_US = (datetime(1970, 1, 1) - datetime.min) // timedelta(microseconds=1)
UNDATED = 2**64 - 1


class WhooshChangedError(ImportError):
    """The installed Whoosh lacks a private name warta relies on."""


# --- reading ---------------------------------------------------------------------------------------------

def leaf_blocks(matcher, offset: int, wanted: np.ndarray | None
                ) -> Iterator[tuple[np.ndarray, np.ndarray, tuple | list]] | None:
    """A whoosh3 leaf matcher's postings a block at a time: (docnums + offset, term frequencies, values);
    values (positions) are decoded only when asked for with `wanted`, a mask by docnum, and only blocks
    holding one of them are yielded then. None for any other matcher (an inlined term's ListMatcher, or
    ids stored as bytes): the caller walks it with the public API."""
    if type(matcher) is not W3LeafMatcher or matcher._byteids:
        return None
    return _blocks(matcher, offset, wanted)


def _blocks(matcher, offset: int, wanted: np.ndarray | None) -> Iterator[tuple[np.ndarray, np.ndarray, tuple | list]]:
    if wanted is None:
        yield from _extent_blocks(matcher, offset)
        return
    empty = np.zeros(0, dtype=np.float32)  # no term frequencies are read when positions are
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        ids = np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)) + offset
        if wanted[ids].any():
            matcher._read_values()
            yield ids, empty, matcher._values
        matcher._next_block()


def _extent_blocks(matcher, offset: int) -> Iterator[tuple[np.ndarray, np.ndarray, tuple]]:
    """Every block of a term read from its extent in one read, instead of the matcher's handful of small reads
    per block (a length, a pickled header, the data): for a common word's 2,000 blocks, a cold read of its
    postings went from 40,000 reads through the compound file to one. The layout is whoosh3's
    W3PostingsWriter._write_block: per block an int (negative for the last), the pickled header tuple
    (count, last id, max weight, compression, min and max length bytes), the pickled (zlib'd if compression)
    data tuple (delta-coded ids, weights, values)."""
    start, extent = matcher._baseoffset, matcher._length
    if isinstance(extent, tuple):  # a term info read back from disk holds its length as struct.unpack gave it
        (extent,) = extent
    buf = matcher._postfile.get(start, matcher._startoffset + extent - start)
    stream = io.BytesIO(buf)
    pos, end = 0, len(buf)
    while pos < end:
        (length,) = _INT.unpack_from(buf, pos)
        nxt = pos + _INT.size + abs(length)
        stream.seek(pos + _INT.size)
        count, _, _, compression, _, _ = pickle.load(stream)
        data = buf[stream.tell():nxt]
        ids, weights, _ = pickle.loads(zlib.decompress(data) if compression else data)
        if weights is None or isinstance(weights, float):
            tfs = np.full(count, 1.0 if weights is None else weights, dtype=np.float32)
        else:
            tfs = np.asarray(weights, dtype=np.float32)
        yield np.cumsum(np.asarray(ids, dtype=np.int64)) + offset, tfs, ()
        if length < 0:
            return
        pos = nxt


def whole_column(raw) -> list | None:
    """A segment's raw column read in one piece and cut into values, for the variable- and fixed-width
    readers (they keep where their values lie); None for any other column type."""
    if isinstance(raw, VarBytesColumn.Reader):
        lengths, offsets = raw._lengths, raw._offsets
        end = max((o + n for o, n in zip(offsets, lengths, strict=True)), default=0)
        data = raw._dbfile.get(raw._basepos, end)
        return [data[o:o + n] for o, n in zip(offsets, lengths, strict=True)]
    if isinstance(raw, NumericColumn.Reader) and raw._typecode in "bBhHiIlLqQ":
        data = raw._dbfile.get(raw._basepos, raw._count * raw._fixedlen)
        values = np.frombuffer(data, dtype=">" + raw._typecode).tolist()
        return values + [raw._default] * (raw._doccount - len(values))
    return None


# --- writing ---------------------------------------------------------------------------------------------

def unlocked(writer_class: type[SegmentWriter], ix, **kwargs) -> SegmentWriter:
    """A segment writer that takes no index lock: one of several processes writing segments of a new
    generation, which no one else writes and which its TOC lists only when all are done."""
    return writer_class(ix, _lk=False, **kwargs)


def finalize_segment(writer: SegmentWriter):
    """Write the writer's documents out as a segment and return it, without committing a TOC."""
    return writer._finalize_segment()


def postings_writer(fieldwriter: W3FieldWriter) -> W3PostingsWriter:
    return fieldwriter._postwriter


def write_inlined(fieldwriter: W3FieldWriter, tbytes: bytes, posting: tuple, length: int | None) -> None:
    """A term of one document, its posting inside its term-index entry (read back as a ListMatcher).

    Whoosh's format has this (W3TermInfo.set_inlined), but whoosh3's writer calls it under an older name
    (set_inline) and so never gets there. The statistics are the ones W3TermInfo.add_block takes from a
    one-posting block.
    """
    docnum, weight, value = posting
    weights = array("f", (weight,))
    info = W3TermInfo(weights[0], 1, length, length or 0, max(0, weight), docnum, docnum)
    # an ID's posting has no value; b"" (not the "" whoosh3 reads back) keeps a later merge content
    info.set_inlined((docnum,), weights, (value or b"",))
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + tbytes, info.to_bytes())


def fill_blocks(postwriter: W3PostingsWriter, postings: list, lengths: dict[int, int]) -> None:
    """Fill the postings writer's buffered block a block at a time, with the statistics its add_posting
    keeps (the largest weight as given, the shortest and longest non-zero length); its own _write_block and
    finish_postings encode and write them."""
    limit = postwriter._blocklimit
    for start in range(0, len(postings), limit):
        if start:
            postwriter._write_block()
        docnums, weights, values = zip(*postings[start:start + limit], strict=True)
        postwriter._ids = array("I", docnums)
        postwriter._weights = array("f", weights)
        postwriter._values = [v for v in values if v]
        postwriter._maxweight = max(0, *weights)
        found = [lengths[d] for d in docnums if d in lengths]
        postwriter._minlength = min(found) if found else None
        postwriter._maxlength = max(found) if found else 0


# --- the check on import ---------------------------------------------------------------------------------

def _missing() -> list[str]:
    missing = [f"{cls.__qualname__}.{name}" for cls, names in CLASS_NAMES.items() for name in names
               if not hasattr(cls, name)]
    if "_lk" not in inspect.signature(SegmentWriter.__init__).parameters:
        missing.append("SegmentWriter(_lk=...)")
    if [type(i) for i in getattr(RegexTokenizer() | StopFilter(), "items", ())] != [RegexTokenizer, StopFilter]:
        missing.append("CompositeAnalyzer.items")
    if missing:
        return missing
    seen: dict[type, object] = {}
    date = datetime(2020, 1, 2, 3, 4, 5)
    ix = RamStorage().create_index(Schema(t=TEXT, i=ID(sortable=True), d=DATETIME(sortable=True)))
    writer = ix.writer()
    writer.add_document(t=" ".join(["kata"] * 3 + ["lain"]), i="x", d=date)
    writer.add_document(t="kata", i="y")
    seen[SegmentWriter] = writer
    writer.commit()
    with ix.reader() as reader:
        seen[W3LeafMatcher] = reader.postings("t", "kata")
        seen[VarBytesColumn.Reader] = reader.column_reader("i", translate=False)
        raw = seen[NumericColumn.Reader] = reader.column_reader("d", translate=False)
        missing += [f"{cls.__qualname__} object .{name}" for cls, names in OBJECT_NAMES.items() if cls in seen
                    for name in names if not hasattr(seen[cls], name)]
        if not missing and (raw[0] != (date - datetime(1970, 1, 1)) // timedelta(microseconds=1) + EPOCH_US
                            or raw[1] != UNDATED):
            missing.append("DATETIME column encoding (microseconds since datetime.min, undated = 2**64-1)")
        if not missing and not _same_postings(reader):
            missing.append("posting block layout (length, pickled header, pickled data)")
    writer = ix.writer()
    fieldwriter = writer.fieldwriter
    try:
        fieldwriter.start_field("t", ix.schema["t"])
        fieldwriter.start_term(b"kata")
        missing += [f"{type(o).__qualname__} object .{name}" for o, cls in ((fieldwriter, W3FieldWriter),
                    (getattr(fieldwriter, "_postwriter", None), W3PostingsWriter)) if type(o) is cls
                    for name in OBJECT_NAMES[cls] if not hasattr(o, name)]
    finally:
        writer.cancel()
    return missing


def _same_postings(reader) -> bool:
    """Does reading a term's extent at once give what the matcher gives, posting by posting?"""
    walk, m = [], reader.postings("t", "kata")
    while m.is_active():
        walk.append((m.id(), m.weight()))
        m.next()
    try:
        fast = [(int(i), float(w)) for ids, tfs, _ in _extent_blocks(reader.postings("t", "kata"), 0)
                for i, w in zip(ids, tfs, strict=True)]
    except Exception:  # a layout this reader does not know
        return False
    return fast == walk


def check() -> None:
    missing = _missing()
    if missing:
        raise WhooshChangedError(
            f"the installed Whoosh ({whoosh.versionstring()}) lacks what warta reads and writes of its codec "
            f"({', '.join(missing)}); install the version warta is proven with: pip install 'whoosh3=={PROVEN}.*'")


check()
