"""Turning what a user typed into a Whoosh query: words, "phrases", -exclusions, OR, title: searches.

Users paste headlines, half-closed quotes and stray brackets; none of that may become an error page.
A query the parser rejects (or reduces to nothing) is retried as its plain words. Wildcards, ranges
and `*:*` are left out of the syntax: they enumerate the whole vocabulary and buy little in news search.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from whoosh import qparser
from whoosh.fields import Schema
from whoosh.query import AndNot, NullQuery, Or, Query
from whoosh.query import Not as NotQuery

from indexer.lexicon import Lexicon

MAX_QUERY_CHARS = 300
SEARCH_FIELDS = ("title", "body")
FIELD_BOOSTS = {"title": 2.5, "body": 1.0}
_WORD = re.compile(r"\w+(?:-\w+)*")


class UserError(ValueError):
    """Something a person asked for that warta will not do, as a stable code plus the values it names.

    str() is the English message (the CLI and the JSON API show it); the code and params let each front end
    say it in its own language: the web page renders them in Bahasa Indonesia (search_web/messages.py),
    and the API returns the code beside the English message so that clients need not parse prose.
    Subclasses list their codes with the English wording in `messages` (str.format templates over params).
    """

    messages: ClassVar[dict[str, str]] = {}

    def __init__(self, code: str, **params: object):
        if code not in self.messages:
            raise KeyError(f"{type(self).__name__} has no message {code!r}")
        self.code = code
        self.params = params
        super().__init__(self.messages[code].format(**params))

    def __reduce__(self):
        """Pickled as code and params (the default would call __init__ with the message alone)."""
        return partial(type(self), self.code, **self.params), ()


class QueryError(UserError):
    """A query warta will not run (too long, empty)."""

    messages: ClassVar[dict[str, str]] = {
        "query_too_long": "query is too long ({length} characters; at most {max})",
        "query_no_words": "query has no words to search for",
        "query_only_excludes": "query only excludes words (-word); add a word to look for",
    }


@dataclass(frozen=True)
class ParsedQuery:
    query: Query
    text: str  # what was parsed, after multi-word forms were joined
    fallback: bool  # True when the syntax was dropped and the query run as plain words


class QueryParser:
    def __init__(self, schema: Schema, lexicon: Lexicon):
        self.schema = schema
        self._forms = _form_pattern(lexicon)
        self._syntax = self._parser(syntax=True)
        self._plain = self._parser(syntax=False)

    def _parser(self, syntax: bool) -> qparser.QueryParser:
        if syntax:
            parser = qparser.MultifieldParser(list(SEARCH_FIELDS), self.schema, fieldboosts=FIELD_BOOSTS,
                                              group=qparser.AndGroup)
            for plugin in (qparser.WildcardPlugin, qparser.RangePlugin, qparser.EveryPlugin, qparser.BoostPlugin):
                parser.remove_plugin_class(plugin)
            parser.add_plugin(qparser.PlusMinusPlugin())
            return parser
        return qparser.MultifieldParser(list(SEARCH_FIELDS), self.schema, fieldboosts=FIELD_BOOSTS,
                                        group=qparser.AndGroup,
                                        plugins=[qparser.WhitespacePlugin()])

    def parse(self, text: str) -> ParsedQuery:
        text = " ".join(text.split())
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError("query_too_long", length=len(text), max=MAX_QUERY_CHARS)
        if not _WORD.search(text):
            raise QueryError("query_no_words")
        if not _has_positive_words(text):
            raise QueryError("query_only_excludes")
        joined = self.join_forms(text)
        try:
            query = self._syntax.parse(joined)
        except Exception:
            query = NullQuery
        if query is not NullQuery and any(positive_terms(query)):
            return ParsedQuery(query, joined, False)
        return self._plain_words(joined)

    def _plain_words(self, text: str) -> ParsedQuery:
        """The query's words without its syntax, keeping what it meant to exclude: `(-banjir) medan`, which
        Whoosh's parser cannot read, is `medan` without `banjir`, never `banjir medan`."""
        wanted, excluded = [], []
        for token in text.split():
            bare = token.lstrip("(\"'+")
            (excluded if bare.startswith("-") else wanted).extend(_WORD.findall(bare))
        words = " ".join(wanted) or " ".join(excluded)  # only exclusions were refused before this point
        query = self._plain.parse(words)
        if wanted and excluded:
            query = AndNot(query, Or([self._plain.parse(w) for w in excluded]))
            words += "".join(f" -{w}" for w in excluded)
        return ParsedQuery(query, words, True)

    def join_forms(self, text: str) -> str:
        """`wali kota` -> `walikota`: the parser splits words before analysis sees them together."""
        if self._forms is None:
            return text
        return self._forms[0].sub(lambda m: self._forms[1][" ".join(m.group(0).lower().split())], text)


def _form_pattern(lexicon: Lexicon) -> tuple[re.Pattern, dict[str, str]] | None:
    forms = lexicon.multiword_forms()
    if not forms:
        return None
    alternatives = sorted(forms, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in form.split()) for form in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE), forms


def _has_positive_words(text: str) -> bool:
    return any(not w.startswith("-") and _WORD.search(w) for w in text.split())


def positive_terms(query: Query) -> Iterator[tuple[str, str]]:
    """(field, term) pairs the query looks for; excluded words are not among them (nor highlighted)."""
    if isinstance(query, NotQuery):
        return
    if isinstance(query, AndNot):
        yield from positive_terms(query.a)
        return
    if query.is_leaf():
        yield from query.terms(phrases=True)
        return
    for child in query.children():
        yield from positive_terms(child)
