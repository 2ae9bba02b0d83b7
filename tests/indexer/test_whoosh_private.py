"""indexer/whoosh_private.py: Whoosh's private names are used there only, each is checked when warta
starts, a missing one stops warta with one clear message, and the fast paths built on them really run."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
from whoosh.codec.whoosh3 import W3LeafMatcher

from indexer import whoosh_private
from indexer.generations import open_index
from indexer.index import update
from indexer.postings import Postings
from tests.indexer.test_searcher import fill

INDEXER = Path(whoosh_private.__file__).parent
CHECKED = {name for names in (*whoosh_private.CLASS_NAMES.values(), *whoosh_private.OBJECT_NAMES.values())
           for name in names}


def private_names(tree: ast.AST) -> set[str]:
    """The _names a module reads or calls that it does not define itself."""
    own, used = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            own.add(node.name)
        elif isinstance(node, ast.AnnAssign | ast.Assign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            own.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name) and node.value.id == "self":
                own.add(node.attr)
            else:
                used.add(node.attr)
        elif isinstance(node, ast.keyword) and node.arg and node.arg.startswith("_"):
            used.add(node.arg)
    return used - own


@pytest.mark.parametrize("module", sorted(p.name for p in INDEXER.glob("*.py") if p.name != "whoosh_private.py"))
def test_whooshs_private_names_are_used_behind_the_door_only(module: str):
    """segments.TermWriter, a SegmentWriter, may call the methods it inherits: those are checked too."""
    used = private_names(ast.parse((INDEXER / module).read_text(encoding="utf-8")))
    assert used <= set(whoosh_private.CLASS_NAMES[whoosh_private.SegmentWriter]), sorted(used)


def test_the_door_checks_every_name_it_uses():
    used = private_names(ast.parse(Path(whoosh_private.__file__).read_text(encoding="utf-8")))
    assert used - {"_lk", "_blocks", "_missing"} <= CHECKED, sorted(used - CHECKED)


def test_a_whoosh_without_a_name_stops_warta_with_one_message(monkeypatch):
    assert whoosh_private._missing() == []
    monkeypatch.delattr(W3LeafMatcher, "_next_block")
    assert whoosh_private._missing() == ["W3LeafMatcher._next_block"]
    with pytest.raises(whoosh_private.WhooshChangedError, match=r"W3LeafMatcher\._next_block.*whoosh3==3\.54"):
        whoosh_private.check()


def test_a_whoosh_whose_matchers_lack_an_attribute_is_caught_on_a_real_index(monkeypatch):
    made = W3LeafMatcher.__init__

    def without_byteids(self, *args, **kwargs):
        made(self, *args, **kwargs)
        del self._byteids

    monkeypatch.setattr(W3LeafMatcher, "__init__", without_byteids)
    assert whoosh_private._missing() == ["W3LeafMatcher object ._byteids"]


def test_the_block_reader_runs_and_equals_the_public_walk(tmp_path):
    fill(tmp_path, 400)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    with open_index(tmp_path / "index").reader() as reader:
        common = max(((t, reader.doc_frequency("body", t)) for t in reader.lexicon("body")), key=lambda x: x[1])[0]
        term = common.decode("utf-8") if isinstance(common, bytes) else common
        fast = 0
        for leaf, offset in reader.leaf_readers():
            blocks = whoosh_private.leaf_blocks(leaf.postings("body", term), offset, None)
            assert blocks is not None  # the codec's own matcher: the fast path, not the fallback
            ids, tfs = (np.concatenate(parts) for parts in zip(*((i, t) for i, t, _ in blocks), strict=False))
            walk = leaf.postings("body", term)
            public = []
            while walk.is_active():
                public.append((walk.id() + offset, walk.weight()))
                walk.next()
            assert list(zip(ids.tolist(), tfs.tolist(), strict=True)) == public
            fast += len(ids)
        docs, _ = Postings(reader).get("body", term)
        assert fast == len(docs) == reader.doc_frequency("body", term) > 128  # more than one block
