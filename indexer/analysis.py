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
from typing import ClassVar

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
        stem = _confix_an(word, _STEMMER.stem(word) or word)
    if len(STEMS) >= MAX_STEMS:
        STEMS.clear()
    STEMS[word] = stem
    return stem


def _confix_an(word: str, stem: str) -> str:
    """Sastrawi's stem, unless it cut a noun's -an as -kan from a root ending in k.

    Sastrawi tries the suffix -kan before -an, so "penegakan" (pe-tegak-an) came out as tega, "penyidikan"
    as sidi (away from "penyidik", sidik), "kerusakan" as rusa (deer), "penarikan" as tari (dance),
    "perpajakan" as paja and "perbankan" as perban. The nouns made with pe(N)-, per- and ke- take -an, never
    -kan; for such a word the stem of the word without -an is taken instead when Sastrawi finds a root
    there that ends in k and is not a stub ("kenakan" and "perlukan" are kena-kan and perlu-kan, not nak, luk).
    """
    if not word.endswith("kan") or not word.startswith(("pe", "ke")):
        return stem
    bare = word[:-2]
    root = _STEMMER.stem(bare)
    return root if root != bare and root != stem and root.endswith("k") and len(root) >= 4 else stem


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
        self.signature = hash((frozenset(singles.items()), frozenset(multis.items())))  # names it in caches

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.singles == other.singles and self.multis == other.multis

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        found = [t.copy() for t in tokens]  # the tokenizer reuses one Token object
        if not found:
            return
        key_of = self.key_of
        for t in found:
            t.text = key_of(t.text) or t.text
        query = found[-1].mode == "query"
        for start, end, key in self.spans([t.text for t in found]):
            if key is None:
                yield from found[start:end]
                continue
            first, last = found[start], found[end - 1]
            joined = last.copy()
            joined.text = key
            if getattr(last, "chars", False):
                joined.startchar = first.startchar
            if not query:
                yield from found[start:end - 1 if last.text == key else end]
            yield joined

    def spans(self, texts: list[str]) -> Iterator[tuple[int, int, str | None]]:
        """How a run of terms (already through key_of) comes out: (start, end, key) in order, where the
        terms start..end-1 stay and, when key is set, are a multi-word form that adds its key at the last
        one's position (at query time the key alone; "pematang siantar" -> siantar widens the last word,
        no twin). The longest form that starts at each term wins."""
        prefixes, start = self.prefixes, None
        for i, text in enumerate(texts):
            if start is None:
                if (text,) not in prefixes:
                    yield i, i + 1, None
                    continue
                start = i
            if tuple(texts[start:i + 1]) not in prefixes:
                yield from self._longest(texts, start, i + 1)
                start = None
        if start is not None:
            yield from self._longest(texts, start, len(texts))

    def _longest(self, texts: list[str], lo: int, hi: int) -> Iterator[tuple[int, int, str | None]]:
        i = lo
        while i < hi:
            for n in range(hi - i, 1, -1):
                key = self.multis.get(tuple(texts[i:i + n]))
                if key is not None:
                    yield i, i + n, key
                    i += n
                    break
            else:
                yield i, i + 1, None
                i += 1

    def key_of(self, term: str) -> str | None:
        """The group key a one-word term stands for (also with -nya, which Sastrawi leaves on words it
        does not know: "Pemkonya"), or None."""
        key = self.singles.get(term)
        if key is None and term.endswith("nya"):
            bare = term[:-3]
            key = self.singles.get(bare) or (bare if bare in self.keys else None)
        return key


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
    (_Words) instead of through the generator chain: the same answer, a few times faster, and result
    pages highlight ten bodies each.
    """
    plain = _Words.of(analyzer)
    if plain is None or wanted & plain.lex.multi_keys:
        found = [(t.startchar, t.endchar, t.text) for t in analyzer(text, chars=True, positions=True)
                 if t.text in wanted]
        return sorted(found)
    term_of = plain.term
    return [(m.start(), m.end(), term) for m in TOKEN.finditer(text) if (term := term_of(m.group())) in wanted]


def index_terms(analyzer: Composable, text: str) -> list[tuple[str, int]] | None:
    """(term, position) of every term the analyzer gives text when indexing, in order; None when the
    analyzer is not warta's composition (the caller runs it instead).

    The same answer as the Token chain (tests/indexer/test_analysis.py checks them against each other),
    on plain strings: the generator chain cost more than half of what Whoosh spends writing an article.
    """
    plain = _Words.of(analyzer)
    if plain is None:
        return None
    term_of = plain.term
    terms_ = [term_of(w) for w in TOKEN.findall(text)]
    first = next((i for i, term in enumerate(terms_) if term), None)
    if first is None:
        return []
    # StopFilter renumbers: the first kept word keeps its place, the others follow it one by one
    found = [(term, pos) for pos, term in enumerate((t for t in terms_ if t), first)]
    lex = plain.lex
    if not any((term,) in lex.prefixes for term, _ in found):
        return found
    out: list[tuple[str, int]] = []
    for start, end, key in lex.spans([term for term, _ in found]):
        if key is None:
            out += found[start:end]
            continue
        last = found[end - 1]
        out += found[start:end - 1 if last[0] == key else end]
        out.append((key, last[1]))
    return out


class _Words:
    """warta's analyzer word by word: each distinct raw word's one-word term (normalized, stopped, stemmed,
    grouped; "" when stopped), worked out once per process and analyzer configuration."""

    _known: ClassVar[dict[tuple, dict[str, str]]] = {}

    def __init__(self, stop: StopFilter, stem: SastrawiFilter, lex: LexiconFilter):
        self.stop, self.stem, self.lex = stop, stem, lex
        self.known = self._known.setdefault((stop.stops, stop.min, stem.unstemmed, lex.signature), {})
        if len(self.known) > MAX_STEMS:
            self.known.clear()

    @classmethod
    def of(cls, analyzer: Composable) -> _Words | None:
        """For warta's composition (IndonesianTokenizer | StopFilter | SastrawiFilter | LexiconFilter); None
        for any other analyzer."""
        items = list(getattr(analyzer, "items", ()))
        if [type(i) for i in items] != [IndonesianTokenizer, StopFilter, SastrawiFilter, LexiconFilter]:
            return None
        _, stop, stem, lex = items
        if stop.max is not None or not stop.renumber:
            return None
        return cls(stop, stem, lex)

    def term(self, raw: str) -> str:
        term = self.known.get(raw)
        if term is None:
            word = _normalize(raw)
            if len(word) < self.stop.min or word in self.stop.stops:
                term = ""
            else:
                term = STEMS.get(word) or _stem(word, self.stem.unstemmed)
                term = self.lex.key_of(term) or term
            self.known[raw] = term
        return term


def terms(analyzer: Composable, text: str, mode: str = "") -> list[str]:
    return [t.text for t in analyzer(text, mode=mode)]
