"""Answer queries: parse what a reader typed into clauses of analysed terms, match them
in the index with filters, and cut highlighted snippets."""

import re
from dataclasses import dataclass, field

from . import analysis
from .backends import backend_for
from .models import SearchEntry

MAX_QUERY_CHARACTERS = 500
MAX_QUERY_WORDS = 12

_QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass
class Query:
    clauses: list = field(default_factory=list)  # for the backend
    words: list = field(default_factory=list)  # the positive words, for highlighting
    highlight_terms: set = field(default_factory=set)

    def __bool__(self):
        return any(kind != "none" for kind, _value in self.clauses)


def parse_query(raw, languages):
    """Turn what a reader typed into clauses of analysed terms.

    ``"a b"`` is a phrase (a quote left open runs to the end), ``-word`` excludes,
    everything else must appear, in any of its forms in any of ``languages``. Stop words
    are dropped: the index leaves them out, so a query of stop words only is empty (the
    search page then asks for a more specific word).
    """
    raw = "".join(ch if ch.isprintable() else " " for ch in raw[:MAX_QUERY_CHARACTERS])
    query = Query()
    for match in _QUERY_PART.finditer(raw):
        if match.group(2) is not None:
            kind, text = ("none" if match.group(1) else "phrase"), match.group(2)
        else:
            kind, text = ("none" if match.group(3) else "all"), match.group(4)
        groups = []
        for word in analysis.words(text):
            variants = analysis.query_variants(word, languages)
            if variants:
                groups.append(variants)
                if kind != "none":
                    query.words.append(word)
                    query.highlight_terms.update(variants)
        if not groups:
            continue
        if kind == "phrase" and len(groups) > 1:
            query.clauses.append(("phrase", groups))
        else:
            query.clauses += [("none" if kind == "none" else "all", g) for g in groups]
        if len(query.words) >= MAX_QUERY_WORDS:
            break
    return query


@dataclass
class Filters:
    languages: tuple = analysis.LANGUAGES
    kinds: tuple = ()
    section_id: int | None = None
    date_from: object = None
    date_to: object = None

    def sql(self):
        conditions, params = [], []
        conditions.append("e.language IN (" + ", ".join(["%s"] * len(self.languages)) + ")")
        params += list(self.languages)
        if self.kinds:
            conditions.append("e.kind IN (" + ", ".join(["%s"] * len(self.kinds)) + ")")
            params += list(self.kinds)
        if self.section_id:
            conditions.append("e.section_id = %s")
            params.append(self.section_id)
        if self.date_from:
            conditions.append("e.date >= %s")
            params.append(self.date_from)
        if self.date_to:
            conditions.append("e.date <= %s")
            params.append(self.date_to)
        return " AND ".join(conditions), params


def search(query, filters, *, limit=20, offset=0):
    """Return ([SearchEntry with .score], total) for a parsed ``query``."""
    if not query:
        return [], 0
    ranked, total = backend_for().match(query.clauses, filters, limit=limit, offset=offset)
    entries = SearchEntry.objects.in_bulk([pk for pk, _score in ranked])
    results = []
    for pk, score in ranked:
        if pk in entries:
            entries[pk].score = score
            results.append(entries[pk])
    return results, total


def count(query, filters):
    """Return how many entries match (for the "try the other language" hint)."""
    if not query:
        return 0
    return backend_for().match(query.clauses, filters, limit=0, offset=0)[1]


# Snippets ------------------------------------------------------------------------------

_WORD_SPAN = re.compile(r"[^\W_]+", re.UNICODE)
SNIPPET_SCAN = 30_000  # characters searched for the first match


def snippet(text, terms, language, *, width=240):
    """Return [(text, is_match)] pieces of ``text`` around the first place where a word
    whose term is in ``terms`` appears, for a highlighted snippet."""
    text = text or ""
    matches = []
    for match in _WORD_SPAN.finditer(text, 0, SNIPPET_SCAN):
        if analysis.term_of(match.group(0), language) in terms:
            matches.append((match.start(), match.end()))
        if len(matches) >= 12 or (matches and match.start() - matches[0][0] > width):
            break
    if not matches:
        return [(text[:width] + ("…" if len(text) > width else ""), False)]
    start = max(0, matches[0][0] - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < matches[0][0] else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > matches[-1][1] - 1 and space > start else end
    pieces = [("…", False)] if start else []
    cursor = start
    for match_start, match_end in matches:
        if match_start >= end:
            break
        pieces.append((text[cursor:match_start], False))
        pieces.append((text[match_start:match_end], True))
        cursor = match_end
    pieces.append((text[cursor:end] + ("…" if end < len(text) else ""), False))
    return [(piece, is_match) for piece, is_match in pieces if piece]
