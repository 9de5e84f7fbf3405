"""The search index of the static mirror: files a browser searches with no server.

The index is built from the same entries and the same analysis as the site's search
(``analysis``), and split so that a query downloads only what it needs:

- ``meta.json``: the shard list, the documents' language ranges, kind labels and the
  stop words;
- ``s/<n>.json``, one shard per prefix: ``forms`` (every word form of the texts →
  its terms, so a query word needs no dictionary in the browser) and ``terms`` (a term
  → its best documents with their weights, and how many documents hold it). A shard
  that grows past ``SHARD_BYTES`` is split by a longer prefix;
- ``d/<n>.json``, one per document: what a result shows (title, address, date, kind,
  section, the start of the text).

Documents are numbered by language, then newest first, so a language filter is a range
of numbers and the lower number is the newer document. The script that reads it is
``static/search/js/static_search.js``.
"""

import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils import translation

from iskra.core.contracts import search_providers

from .analysis import LANGUAGES, STOP_WORDS, browser_rules, term, words
from .models import SearchEntry

FORMAT = 1
SHARD_BYTES = 40_000
MAX_POSTINGS = 1000  # a term's best documents kept; its count of documents is kept whole
EXCERPT_CHARACTERS = 1500


@dataclass
class StaticIndexReport:
    documents: int
    shards: int
    files: int
    bytes: int
    largest_shard: int


def _dump(path, value):
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    with open(path, "wb") as handle:
        handle.write(data)
    return len(data)


def _entries(url_of):
    """Yield (entry, url) of every entry with an address, by language, newest first."""
    for language in LANGUAGES:
        queryset = SearchEntry.objects.filter(language=language).order_by("-date", "-id")
        for entry in queryset.iterator(chunk_size=500):
            url = url_of(entry.page_id, entry.path)
            if url:
                yield entry, url


def _document(entry, url):
    text = f"{entry.lead} {entry.text}".strip()
    return {
        "t": entry.title,
        "u": url,
        "k": entry.kind,
        "s": entry.section_title,
        "c": entry.context,
        "d": entry.date.isoformat() if entry.date else "",
        "l": entry.language,
        "x": text[:EXCERPT_CHARACTERS],
    }


def _weights(entry, forms):
    """Return {term: weight} of an entry (title 3, lead 2, text 1 an occurrence) and
    add the word forms it uses to ``forms``."""
    weights = Counter()
    for text, weight in ((entry.title, 3), (entry.lead, 2), (entry.text, 1)):
        for word in words(text):
            found = term(word, entry.language)
            if found:
                weights[found[:100]] += weight
                forms.add(word)
    return weights


def _form_terms(forms, indexed):
    """Return {form: [terms]}: a form's term in each language, as a query word gets them
    (``query_variants``), where the index holds it; forms that are their own only term
    are left out."""
    table = {}
    for form in forms:
        variants = [term(form, language) for language in LANGUAGES]
        variants = list(dict.fromkeys(found for found in variants if found in indexed))
        if variants and variants != [form]:
            table[form] = variants
    return table


def _shard_items(forms, postings):
    items = [(form, "f", terms) for form, terms in forms.items()]
    items += [(word, "t", entry) for word, entry in postings.items()]
    return items


def _size(items):
    return sum(len(key.encode()) + 8 + 12 * len(value) for key, _kind, value in items)


def _shards(items, prefix=""):
    """Yield (prefix, items) so that each group stays under ``SHARD_BYTES`` where a longer
    prefix can split it; a string as long as the prefix stays in the prefix's group."""
    if _size(items) <= SHARD_BYTES or all(len(key) <= len(prefix) for key, _k, _v in items):
        yield prefix, items
        return
    groups = defaultdict(list)
    own = []
    for item in items:
        key = item[0]
        if len(key) <= len(prefix):
            own.append(item)
        else:
            groups[key[: len(prefix) + 1]].append(item)
    if own:
        yield prefix, own
    for longer in sorted(groups):
        yield from _shards(groups[longer], longer)


def _kind_labels():
    labels = {}
    for language in LANGUAGES:
        with translation.override(language):
            labels[language] = {p.kind: str(p.label) for p in search_providers()}
    return labels


def write_static_index(directory, *, url_of):
    """Write the static search index of every entry that ``url_of(page_id, path)`` gives
    an address in the copy (relative to the copy's root) into ``directory``."""
    os.makedirs(os.path.join(directory, "d"), exist_ok=True)
    os.makedirs(os.path.join(directory, "s"), exist_ok=True)
    forms, postings, ranges, written = set(), defaultdict(list), {}, 0
    count = 0
    for entry, url in _entries(url_of):
        start, _end = ranges.get(entry.language, (count, count))
        ranges[entry.language] = (start, count + 1)
        for found, weight in _weights(entry, forms).items():
            postings[found].append((count, weight))
        written += _dump(os.path.join(directory, "d", f"{count}.json"), _document(entry, url))
        count += 1
    table = {}
    for found, docs in postings.items():
        best = sorted(docs, key=lambda doc: (-doc[1], doc[0]))[:MAX_POSTINGS]
        table[found] = [len(docs), *(number for doc in best for number in doc)]
    shard_list, largest = [], 0
    for number, (prefix, items) in enumerate(
        _shards(_shard_items(_form_terms(forms, table), table))
    ):
        shard = {"f": {}, "t": {}}
        for key, kind, value in items:
            shard[kind][key] = value
        size = _dump(os.path.join(directory, "s", f"{number}.json"), shard)
        written += size
        largest = max(largest, size)
        shard_list.append(prefix)
    meta = {
        "format": FORMAT,
        "documents": count,
        "languages": {language: list(span) for language, span in ranges.items()},
        "shards": shard_list,
        "kinds": _kind_labels(),
        "stop": {language: sorted(words_) for language, words_ in STOP_WORDS.items()},
        **browser_rules(),
    }
    written += _dump(os.path.join(directory, "meta.json"), meta)
    return StaticIndexReport(
        documents=count,
        shards=len(shard_list),
        files=count + len(shard_list) + 1,
        bytes=written,
        largest_shard=largest,
    )
