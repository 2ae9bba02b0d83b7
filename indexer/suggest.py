"""'Did you mean': corrections drawn from the words the index really holds.

The index stores stems (`layan`), not the words people type (`pelayanan`), so a correction cannot be
looked up in the term list directly. The words themselves are known from the stem cache saved with the
index (every word of every indexed article). Each one-edit variant of a word that found nothing is kept
if it is such a word and the term it analyzes to is in the index; the one in the most documents wins.
"""

from __future__ import annotations

from collections.abc import Callable, Container

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def edits1(word: str) -> dict[str, int]:
    """One-edit variants -> preference when two find as much: a missed letter is the likeliest typo."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out: dict[str, int] = {}
    kinds = (
        [a + b[1:] for a, b in splits if b],  # deletes: the user typed a letter too many
        [a + c + b[1:] for a, b in splits if b for c in LETTERS],  # replaces
        [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1],  # transposes
        [a + c + b for a, b in splits for c in LETTERS],  # inserts: the user missed a letter
    )
    for rank, variants in enumerate(kinds):
        for v in variants:
            out[v] = rank
    out.pop(word, None)
    return out


def correct(word: str, vocabulary: Container[str], analyze: Callable[[str], list[str]],
            doc_frequency: Callable[[str], int]) -> str | None:
    """The best one-edit correction of a word the index does not know, or None.

    vocabulary: words seen in indexed articles (the stem cache's keys), so only real words are tried.
    """
    if len(word) < 4 or not word.isalpha():
        return None
    best, best_key = None, (0, -1)
    for candidate, rank in sorted(edits1(word.lower()).items()):
        if candidate not in vocabulary:
            continue
        terms = analyze(candidate)
        if len(terms) != 1:
            continue
        key = (doc_frequency(terms[0]), rank)
        if key[0] and key > best_key:
            best, best_key = candidate, key
    return best
