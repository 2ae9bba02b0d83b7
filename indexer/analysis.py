"""Indonesian text analysis for Whoosh: tokenize, drop function words, stem with Sastrawi, join synonyms.

Composed the Whoosh way (`Tokenizer | Filter | ...`) so each step can be tested and swapped alone:

    IndonesianTokenizer   words (with reduplication `kota-kota`), numbers (`1.500` -> `1500`),
                          dates (`19/08/2025` -> `19/8/2025`), lowercased
    StopFilter            warta's own stopword list (from the lexicon file)
    SastrawiFilter        `pelayanan`, `melayani`, `dilayani` -> `layan`; clitics (`-nya`, `-lah`) go too.
                          Sastrawi is slow, so stems are cached for a whole vocabulary (STEMS).
    LexiconFilter         same-meaning groups from seeds/lexicon.toml: `pemkot` and `pemerintah kota` both
                          index as `pemko`, so either form in a query finds either form in an article.

Multi-word forms keep their own words and add the group key at the position of their last word, so a
phrase query `"pemko medan"` matches "Pemerintah Kota Medan" as well as "Pemko Medan".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from whoosh.analysis import Composable, Filter, StopFilter, Token, Tokenizer

from indexer.lexicon import Lexicon
from indexer.lexicon import load as load_lexicon

# Order matters: a date before a number, a number before a word.
TOKEN = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}|\d+(?:[.,]\d+)*|\w+(?:-\w+)*")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


def _normalize(text: str) -> str:
    if not text[0].isdigit():
        return text.lower()
    if "/" in text:
        return "/".join(part.lstrip("0") or "0" for part in text.split("/"))
    if _THOUSANDS.match(text):
        return text.replace(".", "")
    return text


class IndonesianTokenizer(Tokenizer):
    """Words, numbers and dates, lowercased; positions and character offsets as Whoosh expects."""

    def __eq__(self, other) -> bool:
        return type(self) is type(other)

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value.lower()
            t.boost, t.stopped = 1.0, False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for pos, match in enumerate(TOKEN.finditer(value), start_pos):
            t.text = _normalize(match.group())
            if keeporiginal:
                t.original = match.group()
            t.boost, t.stopped = 1.0, False
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = start_char + match.start(), start_char + match.end()
            yield t


class SastrawiFilter(Filter):
    """Stems with Sastrawi through the process-wide STEMS cache; numbers and protected names pass as they are."""

    is_morph = True

    def __init__(self, unstemmed: frozenset[str] = frozenset()):
        self.unstemmed = unstemmed

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.unstemmed == other.unstemmed

    def stem(self, word: str) -> str:
        return STEMS.get(word) or _stem(word, self.unstemmed)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        cache, unstemmed = STEMS, self.unstemmed
        for t in tokens:
            text = t.text
            t.text = cache.get(text) or _stem(text, unstemmed)
            yield t


# word -> stem, shared by every analyzer in the process (and by forked index writers). Sastrawi takes
# ~0.25 ms for a word it has not seen; a news vocabulary is tens of thousands of words, so the cache is
# saved beside the index (save_stems) and loaded by searchers and the next update (load_stems).
STEMS: dict[str, str] = {}
MAX_STEMS = 2_000_000
_STEMMER = None


def _stem(word: str, unstemmed: frozenset[str] = frozenset()) -> str:
    global _STEMMER
    if len(word) < 4 or word in unstemmed or not word.replace("-", "").isalpha():
        stem = word
    else:
        if _STEMMER is None:
            from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
            _STEMMER = StemmerFactory().create_stemmer()
        stem = _STEMMER.stem(word) or word
    if len(STEMS) >= MAX_STEMS:
        STEMS.clear()
    STEMS[word] = stem
    return stem


def words(text: str) -> set[str]:
    """The distinct normalized words of a text: what the stemmer will be asked about."""
    return {_normalize(m) for m in TOKEN.findall(text)}


def stem_all(vocabulary: set[str], unstemmed: frozenset[str]) -> dict[str, str]:
    """Stems for words (a worker-pool task: the parent merges the results into STEMS)."""
    return {w: _stem(w, unstemmed) for w in vocabulary}


def load_stems(path: Path) -> int:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                word, _, stem = line.rstrip("\n").partition("\t")
                if word and stem:
                    STEMS.setdefault(word, stem)
    except FileNotFoundError:
        return 0
    return len(STEMS)


def save_stems(path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.writelines(f"{w}\t{s}\n" for w, s in STEMS.items() if "\t" not in w and "\n" not in w)
    tmp.replace(path)


class LexiconFilter(Filter):
    """Replaces one-word forms by their group key and adds the key after multi-word forms.

    At query time a multi-word form becomes the key alone, so the query asks for one term.
    """

    def __init__(self, singles: dict[str, str], multis: dict[tuple[str, ...], str]):
        self.singles = singles
        self.multis = multis
        self.prefixes = {form[:i] for form in multis for i in range(1, len(form))}
        self.keys = frozenset(singles.values()) | frozenset(multis.values())
        self.multi_keys = frozenset(multis.values())

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.singles == other.singles and self.multis == other.multis

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        prefixes = self.prefixes
        pending: list[Token] = []
        key_of = self.key_of
        for t in tokens:
            t.text = key_of(t.text) or t.text
            if not pending and (t.text,) not in prefixes:
                yield t
                continue
            pending.append(t.copy())
            if tuple(p.text for p in pending) not in prefixes:
                yield from self._resolve(pending)
                pending = []
        if pending:
            yield from self._resolve(pending)

    def key_of(self, term: str) -> str | None:
        """The group key a one-word term stands for (also with -nya, which Sastrawi leaves on words it
        does not know: "Pemkonya"), or None."""
        key = self.singles.get(term)
        if key is None and term.endswith("nya"):
            bare = term[:-3]
            key = self.singles.get(bare) or (bare if bare in self.keys else None)
        return key

    def _resolve(self, pending: list[Token]) -> Iterator[Token]:
        """Emit buffered tokens, joining the longest form that starts at each one."""
        i = 0
        while i < len(pending):
            for n in range(len(pending) - i, 1, -1):
                key = self.multis.get(tuple(p.text for p in pending[i:i + n]))
                if key is None:
                    continue
                first, last = pending[i], pending[i + n - 1]
                joined = last.copy()
                joined.text = key
                if getattr(last, "chars", False):
                    joined.startchar = first.startchar
                if last.mode == "query":
                    yield joined
                elif last.text == key:  # "pematang siantar" -> siantar: widen the last word, no twin term
                    yield from pending[i:i + n - 1]
                    yield joined
                else:
                    yield from pending[i:i + n]
                    yield joined
                i += n
                break
            else:
                yield pending[i]
                i += 1


def base_analyzer(lexicon: Lexicon) -> Composable:
    return (IndonesianTokenizer() | StopFilter(stoplist=lexicon.stopwords, minsize=1)
            | SastrawiFilter(lexicon.unstemmed))


def indonesian_analyzer(lexicon: Lexicon | None = None) -> Composable:
    """The analyzer of warta's title and body fields."""
    lexicon = lexicon or load_lexicon()
    base = base_analyzer(lexicon)
    singles: dict[str, str] = {}
    multis: dict[tuple[str, ...], str] = {}
    for key, forms in lexicon.groups.items():
        for form in (key, *forms):
            stems = tuple(t.text for t in base(form))
            if len(stems) == 1:
                if stems[0] != key:
                    singles[stems[0]] = key
            elif stems:
                multis[stems] = key
    return base | LexiconFilter(singles, multis)


def matches(analyzer: Composable, text: str, wanted: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, term) of each stretch of text that indexes as one of the wanted terms, in order.

    For highlighting. Unless a wanted term is a multi-word group key, this walks the words directly
    (regex, stopword set, stem cache, one-word groups) instead of through the generator chain: the
    same answer, a few times faster, and result pages highlight ten bodies each.
    """
    parts = {type(item): item for item in getattr(analyzer, "items", ())}
    stop, stem, lex = parts.get(StopFilter), parts.get(SastrawiFilter), parts.get(LexiconFilter)
    if stop is None or stem is None or lex is None or wanted & lex.multi_keys:
        found = [(t.startchar, t.endchar, t.text) for t in analyzer(text, chars=True, positions=True)
                 if t.text in wanted]
        return sorted(found)
    stops, key_of, unstemmed = stop.stops, lex.key_of, stem.unstemmed
    out = []
    for m in TOKEN.finditer(text):
        word = _normalize(m.group())
        if word in stops:
            continue
        term = STEMS.get(word) or _stem(word, unstemmed)
        term = key_of(term) or term
        if term in wanted:
            out.append((m.start(), m.end(), term))
    return out


def terms(analyzer: Composable, text: str, mode: str = "") -> list[str]:
    return [t.text for t in analyzer(text, mode=mode)]
