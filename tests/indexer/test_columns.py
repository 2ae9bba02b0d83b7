"""Whole columns read in one piece per segment equal Whoosh's own value-by-value reading."""

from __future__ import annotations

from indexer.columns import column_values
from indexer.generations import open_index
from indexer.index import update
from indexer.whoosh_private import whole_column
from tests.indexer.test_searcher import fill


def test_whole_columns_equal_whooshs_own_reading(tmp_path):
    fill(tmp_path, 300)  # every seventh article undated
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    fill(tmp_path, 20, seed=9)  # 20 articles rewritten: a second segment, and deleted documents in the first
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    with open_index(tmp_path / "index").reader() as reader:
        assert len(list(reader.leaf_readers())) > 1
        for field, translate, missing in (("id", True, ""), ("hash", True, ""), ("story", True, ""),
                                          ("published", False, -1)):
            expected = []
            for sub, _ in reader.leaf_readers():
                assert whole_column(sub.column_reader(field, translate=False)) is not None, field  # the fast path ran
                expected += list(sub.column_reader(field, translate=translate))
            assert column_values(reader, field, missing, translate=translate) == expected, field
        assert reader.doc_count_all() == 320
        assert len(set(column_values(reader, "id", ""))) == 300  # the rewritten articles' old and new copies
