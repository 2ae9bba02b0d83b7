"""Whole columns of an index commit, by docnum: ids and hashes for `warta index`, dates and stories for search.

Read segment by segment and, where Whoosh's column type allows it, each segment's column in one piece.
"""

from __future__ import annotations

from indexer.whoosh_private import whole_column


def column_values(reader, field: str, missing, translate: bool = True) -> list:
    """A column's value for every document (deleted ones included), by docnum, read segment by segment.

    Whoosh's multi-segment column reader trusts every segment to hold the column for all its documents;
    a segment that has no value at all for a field (two undated articles written by one update) makes
    the whole column shorter, and every later document would read its neighbour's value.
    """
    out: list = []
    for sub, offset in reader.leaf_readers():
        count = sub.doc_count_all()
        out += [missing] * (offset - len(out))
        del out[offset:]
        values = _segment_column(sub, field, translate) if sub.has_column(field) else []
        out += values[:count] + [missing] * (count - len(values))
    return out


def _segment_column(sub, field: str, translate: bool) -> list:
    """One segment's column, read in one piece where the column type allows it.

    Whoosh reads a column value by value, each a seek and a read of the segment file: two million of
    them to compare a million articles' ids and hashes on every `warta index`. Its variable- and
    fixed-width column readers keep where the values lie; those are read whole and cut here. Any other
    column type goes through Whoosh's own reader.
    """
    raw = sub.column_reader(field, translate=False)
    values = whole_column(raw)
    if values is None:
        return list(sub.column_reader(field, translate=translate))
    if translate:
        convert = sub.schema[field].from_column_value
        return [convert(v) for v in values]
    return values
