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

FORMAT = 4
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


def _listed(url_of):
    """Yield (key, id, language, url) of every entry with an address, by language and
    date, oldest first (no texts read)."""
    rows = SearchEntry.objects.order_by("language", "date", "id").values_list(
        "id", "kind", "object_id", "page_id", "path", "language"
    )
    for pk, kind, object_id, page_id, path, language in rows.iterator(chunk_size=2000):
        url = url_of(page_id, path)
        if url:
            yield f"{kind}:{object_id}", pk, language, url


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


def _shards(items, prefix="", size=None):
    """Return [(boundary, items, size)], sorted: groups under ``SHARD_BYTES`` where a
    longer prefix can split them. A group too large is split by the next letter, and the
    groups of its children are then merged again, neighbour with neighbour, while they
    fit: each shard covers the keys from its boundary to the next shard's, and a change
    moves boundaries only under the prefix where it happened."""
    size = _size(items) if size is None else size
    if size <= SHARD_BYTES or all(len(key) <= len(prefix) for key, _k, _v in items):
        return [(prefix, items, size)]
    groups = defaultdict(list)
    own = []
    for item in items:
        key = item[0]
        if len(key) <= len(prefix):
            own.append(item)
        else:
            groups[key[: len(prefix) + 1]].append(item)
    parts = [(prefix, own, _size(own))] if own else []
    for longer in sorted(groups):
        parts += _shards(groups[longer], longer)
    merged = []
    for boundary, part, part_size in parts:
        if merged and merged[-1][2] + part_size <= SHARD_BYTES:
            merged[-1] = (merged[-1][0], merged[-1][1] + part, merged[-1][2] + part_size)
        else:
            merged.append((boundary, part, part_size))
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


def _without(postings, numbers):
    """Drop the documents ``numbers`` from ``postings`` ({term: [n, w, n, w, ...]})."""
    for found in list(postings):
        pairs = postings[found]
        kept = [
            x for i in range(0, len(pairs), 2) if pairs[i] not in numbers for x in pairs[i : i + 2]
        ]
        if len(kept) != len(pairs):
            if kept:
                postings[found] = kept
            else:
                del postings[found]


def _update_documents(directory, url_of, cache, pages, stats):
    """Bring the documents and their postings in ``cache`` up to date: every entry when
    ``pages`` is None, else those of these page ids and the new and removed ones. Write
    the documents' files that changed; return {number: language} of all."""
    known, postings = cache["entries"], cache["postings"]
    listed = {key: (pk, language, url) for key, pk, language, url in _listed(url_of)}
    gone = {known[key][0] for key in known.keys() - listed.keys()}
    wanted = {
        pk
        for key, (pk, _language, url) in listed.items()
        if key not in known or pages is None or known[key][3] != url
    }
    if pages:
        wanted |= set(SearchEntry.objects.filter(page_id__in=pages).values_list("id", flat=True))
    numbers = {}  # new entries numbered in the listed order: by language, then date
    for key in listed:
        if key not in known:
            numbers[key] = cache["next"]
            cache["next"] += 1
    fresh = {}
    for entry in SearchEntry.objects.filter(pk__in=wanted).iterator(chunk_size=500):
        key = f"{entry.kind}:{entry.object_id}"
        if key not in listed:
            continue
        digest = _digest(entry)
        number = known[key][0] if key in known else numbers[key]
        url = listed[key][2]
        data = _encode(_document(entry, url))
        if key not in known or known[key][1] != digest or known[key][3] != url:
            stats["written"] += _write(directory / "d" / f"{number}.json", data)
        if key not in known or known[key][1] != digest:
            fresh[number] = _analyse(entry, cache["forms"])
            gone.add(number)  # its old postings go before its new ones come
        known[key] = [number, digest, len(data), url]
    if gone:
        _without(postings, gone)
    for number, weights in fresh.items():
        for found, weight in weights.items():
            postings.setdefault(found, []).extend((number, weight))
    for key in known.keys() - listed.keys():
        (directory / "d" / f"{known.pop(key)[0]}.json").unlink(missing_ok=True)
    stats["changed"] = bool(gone or fresh)
    stats["bytes"] += sum(entry[2] for entry in known.values())
    return {known[key][0]: language for key, (_pk, language, _url) in listed.items()}


def write_static_index(directory, *, url_of, cache=None, pages=None):
    """Write the static search index of every entry that ``url_of(page_id, path)`` gives
    an address in the copy (relative to the copy's root) into ``directory``.

    ``cache`` is what the previous call returned (or None): entries keep their numbers,
    and only those of ``pages`` (page ids changed since; None: all), new and removed
    ones are read and analysed again; files whose bytes did not change are not written,
    and nothing at all when no entry changed. Return (a report, the cache for the next
    call).
    """
    directory = Path(directory)
    (directory / "d").mkdir(parents=True, exist_ok=True)
    (directory / "s").mkdir(parents=True, exist_ok=True)
    if not cache or cache.get("format") != FORMAT:
        cache = {"format": FORMAT, "next": 0, "entries": {}, "postings": {}, "forms": {}}
        pages = None
    stats = {"written": 0, "bytes": 0}
    languages = _update_documents(directory, url_of, cache, pages, stats)
    if not stats["changed"] and cache.get("report") and (directory / "meta.json").exists():
        return StaticIndexReport(**{**cache["report"], "written": stats["written"]}), cache
    table = {}
    for found, pairs in cache["postings"].items():
        docs = sorted(zip(pairs[::2], pairs[1::2], strict=True), key=lambda doc: (-doc[1], -doc[0]))
        table[found] = [len(docs), *(number for doc in docs[:MAX_POSTINGS] for number in doc)]
    known_shards = cache.get("shards", {})
    prefixes, largest, written_shards = [], 0, {}
    for prefix, items, *_size in _shards(_shard_items(_form_table(cache["forms"], table), table)):
        shard = {"f": {}, "t": {}}
        for key, kind, value in items:
            shard[kind][key] = value
        data = _encode(shard)
        path = directory / "s" / shard_name(prefix)
        digest = hashlib.blake2b(data, digest_size=12).hexdigest()
        if known_shards.get(prefix) != digest or not path.exists():
            stats["written"] += _write(path, data)
        written_shards[prefix] = digest
        stats["bytes"] += len(data)
        largest = max(largest, len(data))
        prefixes.append(prefix)
    cache["shards"] = written_shards
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
    cache["report"] = {**report.__dict__, "written": 0}
    return report, cache
