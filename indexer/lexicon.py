"""The lexicon: same-meaning word groups, stopwords and unstemmed words, read from seeds/lexicon.toml.

Kept as data so that an editor who knows how Sumatran newsrooms write (Pemko, Sekda, Siantar) can teach
warta a new abbreviation without touching code. The file's digest is part of the index fingerprint:
editing it makes the next `warta index` rebuild.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent.parent / "seeds" / "lexicon.toml"


class LexiconError(ValueError):
    pass


@dataclass(frozen=True)
class Lexicon:
    groups: dict[str, tuple[str, ...]]  # key -> other surface forms, lowercased
    stopwords: frozenset[str]
    unstemmed: frozenset[str]
    digest: str = ""
    path: Path | None = field(default=None, compare=False)

    def multiword_forms(self) -> dict[str, str]:
        """Surface forms of more than one word -> their group key (the query side joins them up front)."""
        return {form: key for key, forms in self.groups.items() for form in forms if " " in form}


def parse(text: str, source: str = "lexicon") -> Lexicon:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{source}: not valid TOML: {exc}") from exc
    groups: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for section, entries in data.items():
        if section in ("stopwords", "unstemmed"):
            continue
        if not isinstance(entries, dict):
            raise LexiconError(f"{source}: [{section}] must hold `key = [forms]` lines")
        for key, forms in entries.items():
            if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
                raise LexiconError(f"{source}: [{section}] {key}: expected a list of strings")
            key = key.strip().lower()
            if " " in key or not key:
                raise LexiconError(f"{source}: [{section}] {key!r}: a key is one word")
            norm = tuple(dict.fromkeys(" ".join(f.lower().split()) for f in forms if f.strip()))
            for form in (key, *norm):
                if form in owner and owner[form] != key:
                    raise LexiconError(f"{source}: {form!r} is in both {owner[form]!r} and {key!r}")
                owner[form] = key
            groups[key] = norm
    words = {name: frozenset(w.lower() for w in data.get(name, {}).get("words", [])) for name in
             ("stopwords", "unstemmed")}
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Lexicon(groups, words["stopwords"], words["unstemmed"], digest)


@lru_cache(maxsize=8)
def load(path: str | Path | None = None) -> Lexicon:
    path = Path(path or DEFAULT)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"cannot read lexicon {path}: {exc.strerror}") from exc
    lex = parse(text, str(path))
    object.__setattr__(lex, "path", path)
    return lex
