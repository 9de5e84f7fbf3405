"""The search index of the static mirror: files a browser searches with no server.

The index is built from the same entries and the same analysis as the site's search
(``analysis``), and split so that a query downloads only what it needs:

- ``meta.json``: the shard list, the documents' language ranges, kind labels and the
  stop words;
- ``s/<boundary in hex>.json``, the shards: ``forms`` (every word form of the texts →
  its terms, so a query word needs no dictionary in the browser) and ``terms`` (a term
  → its best documents with their weights, and how many documents hold it), for the
  keys from the shard's boundary up to the next shard's (``_shards``);
- ``d/<n>.json``, one per document: what a result shows (title, address, date, kind,
  section, the start of the text).

Documents are numbered by language and date, oldest first, and a new one gets the next
number, so numbers stay put from one export to the next (only what changed is written),
a language filter is a few runs of numbers, and the higher number is the newer document.
The script that reads it is ``static/search/js/static_search.js``.
"""

import hashlib
import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation

from iskra.core.contracts import search_providers

from .analysis import LANGUAGES, STOP_WORDS, browser_rules, term, words
from .models import SearchEntry

FORMAT = 2
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
    meta_bytes: int  # meta.json, which every query reads first
    written: int  # files whose bytes changed


def _encode(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _write(path, data):
    """Write ``data`` unless ``path`` holds it already (a new file: the folder's files
    may be hard links shared with a copy being served); return whether it wrote."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    temporary = path.with_name(f".{path.name}.new")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True


def _entries(url_of):
    """Yield (key, entry, url) of every entry with an address, by language, oldest first."""
    for language in LANGUAGES:
        queryset = SearchEntry.objects.filter(language=language).order_by("date", "id")
        for entry in queryset.iterator(chunk_size=500):
            url = url_of(entry.page_id, entry.path)
            if url:
                yield f"{entry.kind}:{entry.object_id}", entry, url


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


def _digest(entry):
    raw = "\x00".join((entry.language, entry.title, entry.lead, entry.text))
    return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()


def _analyse(entry, forms):
    """Return {term: weight} of an entry (title 3, lead 2, text 1 an occurrence) and add
    the word forms it uses, with their terms in each language, to ``forms``."""
    weights = Counter()
    for text, weight in ((entry.title, 3), (entry.lead, 2), (entry.text, 1)):
        for word in words(text):
            found = term(word, entry.language)
            if found:
                weights[found[:100]] += weight
                if word not in forms:
                    variants = (term(word, language) for language in LANGUAGES)
                    forms[word] = list(dict.fromkeys(v for v in variants if v))
    return dict(weights)


def _form_table(forms, indexed):
    """Return {form: [terms]} of the forms whose terms the index holds, leaving out the
    forms that are their own only term (a query word gets them as ``query_variants``)."""
    table = {}
    for form, variants in forms.items():
        kept = [found for found in variants if found in indexed]
        if kept and kept != [form]:
            table[form] = kept
    return table


def _shard_items(forms, postings):
    items = [(form, "f", terms) for form, terms in forms.items()]
    items += [(word, "t", entry) for word, entry in postings.items()]
    return items


def _size(items):
    return sum(len(key.encode()) + 8 + 12 * len(value) for key, _kind, value in items)


def _shards(items, prefix=""):
    """Return [(boundary, items)], sorted: groups under ``SHARD_BYTES`` where a longer
    prefix can split them. A group too large is split by the next letter, and the
    groups of its children are then merged again, neighbour with neighbour, while they
    fit: each shard covers the keys from its boundary to the next shard's, and a change
    moves boundaries only under the prefix where it happened."""
    if _size(items) <= SHARD_BYTES or all(len(key) <= len(prefix) for key, _k, _v in items):
        return [(prefix, items)]
    groups = defaultdict(list)
    own = []
    for item in items:
        key = item[0]
        if len(key) <= len(prefix):
            own.append(item)
        else:
            groups[key[: len(prefix) + 1]].append(item)
    parts = [(prefix, own)] if own else []
    for longer in sorted(groups):
        parts += _shards(groups[longer], longer)
    merged = []
    for boundary, part in parts:
        if merged and _size(merged[-1][1]) + _size(part) <= SHARD_BYTES:
            merged[-1] = (merged[-1][0], merged[-1][1] + part)
        else:
            merged.append((boundary, part))
    return merged


def shard_name(prefix):
    """The file of a shard: its prefix's UTF-8 bytes in hex (the script does the same)."""
    return (prefix.encode().hex() or "_") + ".json"


def _spans(languages):
    """Return {language: [[first, after last], ...]}: runs of document numbers."""
    spans = defaultdict(list)
    previous = None
    for number in sorted(languages):
        language = languages[number]
        if previous is not None and language == languages[previous] and number == previous + 1:
            spans[language][-1][1] = number + 1
        else:
            spans[language].append([number, number + 1])
        previous = number
    return dict(spans)


def _kind_labels():
    labels = {}
    for language in LANGUAGES:
        with translation.override(language):
            labels[language] = {p.kind: str(p.label) for p in search_providers()}
    return labels


def _number_documents(directory, url_of, cache, stats):
    """Write the documents' files; return (postings, {number: language}, cache)."""
    known = cache.get("entries", {}) if cache else {}
    forms = cache.get("forms", {}) if cache else {}
    following = cache.get("next", 0) if cache else 0
    entries, postings, languages = {}, defaultdict(list), {}
    for key, entry, url in _entries(url_of):
        digest = _digest(entry)
        number, old_digest, weights = known.get(key, (None, None, None))
        if number is None:
            number, following = following, following + 1
        if old_digest != digest:
            weights = _analyse(entry, forms)
        entries[key] = [number, digest, weights]
        languages[number] = entry.language
        for found, weight in weights.items():
            postings[found].append((number, weight))
        stats["written"] += _write(
            directory / "d" / f"{number}.json", _encode(_document(entry, url))
        )
        stats["bytes"] += (directory / "d" / f"{number}.json").stat().st_size
    for number, *_rest in known.values():
        if number not in languages:
            (directory / "d" / f"{number}.json").unlink(missing_ok=True)
    return (
        postings,
        languages,
        {"format": FORMAT, "next": following, "entries": entries, "forms": forms},
    )


def write_static_index(directory, *, url_of, cache=None):
    """Write the static search index of every entry that ``url_of(page_id, path)`` gives
    an address in the copy (relative to the copy's root) into ``directory``.

    ``cache`` is what the previous call returned (or None): entries whose text did not
    change keep their number and are not analysed again, and files whose bytes did not
    change are not written. Return (a report, the cache for the next call).
    """
    directory = Path(directory)
    (directory / "d").mkdir(parents=True, exist_ok=True)
    (directory / "s").mkdir(parents=True, exist_ok=True)
    if cache and cache.get("format") != FORMAT:
        cache = None
    stats = {"written": 0, "bytes": 0}
    postings, languages, cache = _number_documents(directory, url_of, cache, stats)
    table = {}
    for found, docs in postings.items():
        best = sorted(docs, key=lambda doc: (-doc[1], -doc[0]))[:MAX_POSTINGS]
        table[found] = [len(docs), *(number for doc in best for number in doc)]
    prefixes, largest = [], 0
    for prefix, items in _shards(_shard_items(_form_table(cache["forms"], table), table)):
        shard = {"f": {}, "t": {}}
        for key, kind, value in items:
            shard[kind][key] = value
        data = _encode(shard)
        stats["written"] += _write(directory / "s" / shard_name(prefix), data)
        stats["bytes"] += len(data)
        largest = max(largest, len(data))
        prefixes.append(prefix)
    names = {shard_name(prefix) for prefix in prefixes}
    for stale in (directory / "s").iterdir():
        if stale.name not in names:
            stale.unlink()
    meta = {
        "format": FORMAT,
        "documents": len(languages),
        "languages": _spans(languages),
        "shards": prefixes,
        "kinds": _kind_labels(),
        "stop": {language: sorted(words_) for language, words_ in STOP_WORDS.items()},
        **browser_rules(),
    }
    data = _encode(meta)
    stats["written"] += _write(directory / "meta.json", data)
    stats["bytes"] += len(data)
    report = StaticIndexReport(
        documents=len(languages),
        shards=len(prefixes),
        files=len(languages) + len(prefixes) + 1,
        bytes=stats["bytes"],
        largest_shard=largest,
        meta_bytes=len(data),
        written=stats["written"],
    )
    return report, cache
