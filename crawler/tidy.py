"""Paragraph rules on an extracted body: labels, cross-links, furniture lines and bylines (which become
the credits), the headline repeated as a first paragraph, a closing list of other articles, and a body
printed twice."""

from __future__ import annotations

import re

from crawler import boilerplate

SHORT = 15  # words: a container line this short, not a sentence, is furniture unless trafilatura reads it too
_SENTENCE = re.compile(r"^\W*\w+(?:\W+\w+){4,}.*[.!?…][\"'”’)]*$")


def printed_headline(title: str, h1: str) -> str:
    """The page's own headline (its one h1) when the meta title only wraps it in a section label
    ("Musik - <headline>", "<headline> | Nasional"): the label is the site's furniture, not the headline."""
    h1 = " ".join(h1.split())
    if not h1 or len(h1.split()) < 3 or h1 == title:
        return title
    for rest in (title.removesuffix(h1), title.removeprefix(h1)):
        label = rest.strip(" -–—|•:»")
        if rest != title and label and len(label.split()) <= 3 and rest.strip() != label:
            return h1
    return title


def tidy(paragraphs: list[str], title: str, h1: str) -> tuple[list[str], dict[str, str]]:
    """Drop labels, cross-links, bylines, the repeated headline and a repeated body, and the list under a
    closing latest- or related-news heading; collect the credits."""
    heads = {norm(title), norm(h1)}
    kept: list[str] = []
    credits: dict[str, str] = {}
    for i, p in enumerate(paragraphs):
        if kept and _closing_list(paragraphs[i:]):
            break
        p = boilerplate.strip_inline_read_also(p)
        if boilerplate.is_boilerplate(p):
            continue
        credit = boilerplate.credit(p)
        if credit:
            credits.setdefault(credit[0], credit[1])
            continue
        if norm(p) in heads and not any(own_words(k) for k in kept):  # the headline above the article
            continue
        kept.append(p)
    return _drop_repeated_runs(kept), credits


_LIST_HEADING = re.compile(r"^\W*(?:berita|artikel)\s*(?:terbaru|terkait|lainnya|pilihan|populer|terpopuler)\b",
                           re.IGNORECASE)


def _closing_list(rest: list[str]) -> bool:
    """Whether rest is a "Berita Terbaru"/"Berita Terkait" heading and, under it to the end, short lines that
    are not sentences (teaser titles, their dates) or furniture: other articles' list, not this one's words."""
    return bool(_LIST_HEADING.match(rest[0])) and len(rest[0].split()) <= 6 \
        and all(not own_words(p) or boilerplate.is_boilerplate(p) for p in rest[1:])


def own_words(paragraph: str) -> bool:
    """A line of the article itself rather than the furniture above it: long, or a sentence."""
    return len(paragraph.split()) > SHORT or bool(_SENTENCE.search(paragraph))


_RUN = 3  # paragraphs in a row that repeat the body's opening in the same order: the body printed again
_RUN_WORDS = 30  # or one repeated opening paragraph this long (a lead printed twice)


def _drop_repeated_runs(paragraphs: list[str]) -> list[str]:
    """Keep the first copy of a body printed twice. A second copy repeats the body from its opening (its
    first or second paragraph), or is a run at least half as long as all that came before it; runs an
    article itself repeats further down (a recipe's items, a meal plan, "Pasal 28:") stay."""
    keys = [norm(p) for p in paragraphs]
    first: dict[str, int] = {}
    out: list[str] = []
    i = 0
    while i < len(keys):
        j = first.get(keys[i])
        if j is not None:
            run = 0
            while i + run < len(keys) and j + run < i and keys[i + run] == keys[j + run]:
                run += 1
            words = sum(len(keys[i + k].split()) for k in range(run))
            opening = j <= 1 and (run >= _RUN or words >= _RUN_WORDS)
            if opening or (run >= _RUN and 2 * run >= i):
                i += run
                continue
        first.setdefault(keys[i], i)
        out.append(paragraphs[i])
        i += 1
    return out


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
