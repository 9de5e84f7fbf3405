"""Language analysis for search: the same steps for documents and for queries.

``analyze(text, language)`` returns the index terms of a text in reading order:

1. Unicode NFKC, case folding, ``ё`` → ``е``, Һ → ``х``, stress marks and soft hyphens
   removed; after stemming ``й`` → ``и`` (the 2021 Kazakh Latin alphabet writes both И
   and Й as ``i``, and Х and Һ as ``h``, so they are one letter for search).
2. Words are runs of letters and digits; a hyphenated word gives its parts, in order
   (``социал-демократия`` → ``социал``, ``демократия``), so a hyphenated query is a
   phrase of its parts.
3. Kazakh in Latin letters (2021 alphabet, the 2017–2018 apostrophe forms and the common
   keyboard digraphs sh, ch, zh, gh) is transliterated to Cyrillic when the language is
   Kazakh; other Latin words are English.
4. Stop words of the language are dropped.
5. Stemming: for Russian the OpenCorpora dictionary's lemma (pymorphy3) stemmed with
   Snowball, for English Snowball (PyStemmer), for Kazakh ``kazakh_stem`` below.
   Cyrillic words in a Russian text are Russian; in a Kazakh text Kazakh.

Query terms are analysed for every language searched (``query_variants``) and matched as
alternatives, so "конференции" and "konferensiia" both find "конференция".
"""

import functools
import itertools
import re
import unicodedata

import Stemmer

LANGUAGES = ("ru", "kk")

_WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_LATIN = re.compile(r"[a-zäöüğışçñūáéíóúýı']")
_CYRILLIC = re.compile(r"[а-яәғқңөұүһі]")
_KAZAKH_ONLY = re.compile(r"[әғқңөұүһі]")
_IGNORED_CHARACTERS = "\u0301\u0300\u00ad\u200b\u200c\u200d\u2060"
_IGNORED = dict.fromkeys(map(ord, _IGNORED_CHARACTERS), None)

# The 2021 alphabet (Ä ä, Ğ ğ, İ i, I ı, Ñ ñ, Ö ö, Ş ş, Ū ū, Ü ü, Ç ç, Y y = Ы, J = Ж,
# H = Х/Һ), the 2018 apostrophe forms (a' g' i' n' o' u' y' s' c'), the 2017 digraphs
# (sh ch zh) and keyboard habits (gh for ğ, Turkish ş/ç, the comma-below ș).
_LATIN_DIGRAPHS = [
    ("shch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("gh", "ғ"),
    ("a'", "ә"),
    ("g'", "ғ"),
    ("n'", "ң"),
    ("o'", "ө"),
    ("u'", "ү"),
    ("y'", "ұ"),
    ("i'", "і"),
    ("s'", "ш"),
    ("c'", "ч"),
    ("ts", "ц"),
    ("iu", "ю"),
    ("ia", "я"),
]
_LATIN_LETTERS = {
    "a": "а",
    "ä": "ә",
    "á": "ә",
    "b": "б",
    "c": "с",
    "ç": "ч",
    "d": "д",
    "e": "е",
    "é": "е",
    "f": "ф",
    "g": "г",
    "ğ": "ғ",
    "h": "х",
    "i": "и",
    "ı": "і",
    "í": "и",
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "ñ": "ң",
    "o": "о",
    "ö": "ө",
    "ó": "ө",
    "p": "п",
    "q": "қ",
    "r": "р",
    "s": "с",
    "ş": "ш",
    "ș": "ш",
    "t": "т",
    "u": "у",
    "ū": "ұ",
    "ú": "ү",
    "ü": "ү",
    "v": "в",
    "w": "у",
    "x": "кс",
    "y": "ы",
    "ý": "ы",
    "z": "з",
}

_STOP_WORDS = {
    "ru": """а без более бы был была были было быть в вам вас весь во вот все всего всех вы
        где да даже для до его ее если есть еще же за здесь и из или им их к как ко когда
        кто ли либо мне может мы на над надо наш не него нее нет ни них но ну о об однако
        он она они оно от очень по под при с со так также такой там те тем то того тоже той
        только том ты у уже хотя чего чей чем что чтобы чье чья эта эти это я""",
    "kk": """және мен бен пен да де та те ал бірақ немесе не ма ме ба бе па пе ғой қой ғана
        қана тек әрі деп еді екен бұл сол осы ол олар біз сіз сен оның онда оны үшін туралы
        бойынша арқылы сияқты дейін кейін соң бар жоқ әр барлық кез тағы ең өте""",
    "en": """a an and are as at be by for from has have in is it its of on or that the to
        was were will with""",
}

# Kazakh suffixes, stripped from the end in layers (longest first within a layer). Nouns:
# person/predicate endings, case, possessive, plural; if none of those applies, verbs:
# person endings, then tense, participle, gerund and negation. Each layer strips at most
# one suffix. One-letter endings (dative -а, accusative -н, gerund -п...) and the
# first/second person possessives -ым/-ің are left alone: on base forms ("қала",
# "мектеп", "ғалым") they did more harm than good. The possessive -ы/-і stays.
_KK_PERSON = "мын мін бын бін пын пін мыз міз быз біз пыз піз сыңдар сіңдер сыздар сіздер"
_KK_NOUN_LAYERS = [
    _KK_PERSON,
    # case endings
    "ның нің дың дің тың тің ға ге қа ке на не ны ні ды ді ты ті нда нде да де та те "
    "ндағы ндегі дағы дегі тағы тегі нан нен дан ден тан тен мен бен пен менен бенен "
    "пенен ша ше",
    # possessive endings
    "ымыз іміз ыңыз іңіз лары лері дары дері тары тері сы сі ы і",
    # plural
    "лар лер дар дер тар тер",
]
_KK_VERB_LAYERS = [
    _KK_PERSON + " сың сің сыз сіз",
    "атын етін йтын йтін ытын тін тын ған ген қан кен ушы уші мақ мек бақ бек пақ пек "
    "ады еді иды иді ып іп ар ер",
]
_KK_NOUN_SUFFIXES = [sorted(layer.split(), key=len, reverse=True) for layer in _KK_NOUN_LAYERS]
_KK_VERB_SUFFIXES = [sorted(layer.split(), key=len, reverse=True) for layer in _KK_VERB_LAYERS]
_VOWELS = set("аәеиоөұүыіуэюя")
_DEVOICED = {"б": "п", "г": "к", "ғ": "қ"}
KK_STEM_LENGTH = 6


def _fold(text):
    """Normalize: NFKC, case folding, ё→е, һ→х, no stress marks or soft hyphens (й→и
    comes after stemming: Snowball's Russian rules need the й of -ой, -ей)."""
    text = unicodedata.normalize("NFKC", text)
    if any(ignored in text for ignored in _IGNORED_CHARACTERS):  # rare; translate() is slow
        text = text.translate(_IGNORED)
    return text.casefold().replace("ё", "е").replace("һ", "х")


STOP_WORDS = {
    language: {_fold(word) for word in stop_words.split()}
    for language, stop_words in _STOP_WORDS.items()
}


def kazakh_latin_to_cyrillic(word):
    """Transliterate a Kazakh word written in Latin letters to Cyrillic (folded)."""
    word = _fold(word).replace("i̇", "i").replace("’", "'").replace("ʼ", "'")
    out = []
    index = 0
    while index < len(word):
        for latin, cyrillic in _LATIN_DIGRAPHS:
            if word.startswith(latin, index):
                out.append(cyrillic)
                index += len(latin)
                break
        else:
            letter = word[index]
            out.append(_LATIN_LETTERS.get(letter, "" if letter == "'" else letter))
            index += 1
    return _fold("".join(out))


_VOICELESS = set("пкқстшфхцчщ")
_SONORANT = set("лриумнңзжбвгғд")
# What a suffix's first letter needs before it (Kazakh consonant assimilation): т-, қ-,
# к-, п- follow voiceless consonants; д-, г-, ғ-, б- vowels or voiced consonants; н-, м-
# and л- vowels or sonorants; the possessive с- a vowel, -ы/-і a consonant.
_FOLLOWS = {
    "т": _VOICELESS,
    "қ": _VOICELESS,
    "к": _VOICELESS,
    "п": _VOICELESS,
    "д": _VOWELS | _SONORANT,
    "г": _VOWELS | _SONORANT,
    "ғ": _VOWELS | _SONORANT,
    "б": _SONORANT,
    "н": _VOWELS | set("мнң"),
    "м": _VOWELS | set("лриумнңзж"),
    "л": _VOWELS | set("лриу"),
    "с": _VOWELS,
    "ы": _VOICELESS | _SONORANT,
    "і": _VOICELESS | _SONORANT,
}


def _fits(stem, suffix):
    needed = _FOLLOWS.get(suffix[0])
    return needed is None or stem[-1] in needed


def _strip(word, layers, *, minimum):
    for layer in layers:
        for suffix in layer:
            if word.endswith(suffix) and len(word) - len(suffix) >= minimum:
                stem = word[: -len(suffix)]
                if _VOWELS & set(stem) and _fits(stem, suffix):
                    word = stem
                    break
    return word


def kazakh_stem(word):
    """Return the stem of a (folded, Cyrillic) Kazakh word.

    One pass through the noun suffix layers from the end of the word inwards strips at
    most one suffix per layer (longest first; a stem keeps two letters and a vowel); a
    word without noun endings goes through the verb layers instead (a stem keeps three
    letters). A final
    б, г, ғ that a vowel suffix voiced turns back to п, к, қ (``мектебі`` → ``мектеп``);
    then the stem is cut to its first ``KK_STEM_LENGTH`` letters. Greedy stripping alone
    cannot tell a base form that ends like a suffix (``қазақстан``: -тан) from an
    inflected one; cutting to six letters makes the forms of a word meet anyway
    (``қазақстан``, ``қазақстанда``, ``қазақстанның`` → ``қазақс``), as prefix
    truncation is known to do well for Turkic languages in retrieval.
    """
    for _pass in range(3):
        stem = _strip(word, _KK_NOUN_SUFFIXES, minimum=2)
        if stem == word:
            stem = _strip(word, _KK_VERB_SUFFIXES, minimum=3)
        if stem == word:
            break
        word = stem
    if word[-1:] in _DEVOICED:
        word = word[:-1] + _DEVOICED[word[-1]]
    return word[:KK_STEM_LENGTH]


@functools.cache
def _snowball(language):
    return Stemmer.Stemmer({"ru": "russian", "en": "english"}[language])


@functools.cache
def _morph():
    import pymorphy3  # its dictionary takes a second to load: only where text is analysed

    return pymorphy3.MorphAnalyzer(lang="ru")


def _stem(word, language):  # cached through ``term``
    if language == "kk":
        return kazakh_stem(word)
    if language == "ru":
        # The dictionary's lemma first (образцами → образец, люди → человек, требуют →
        # требовать), then Snowball on it, so words the dictionary does not know still
        # meet their other forms.
        word = _morph().parse(word)[0].normal_form.replace("ё", "е")
    return _snowball(language).stemWord(word)


def words(text):
    """Return the folded words of ``text`` (hyphenated words as their parts: a word
    ends at a hyphen, and apostrophes inside a word are kept)."""
    return _WORD.findall(_fold(text))


def _script_language(word, language):
    """Return (word, the language whose stemmer applies) for a folded word."""
    if _CYRILLIC.search(word):
        if language == "ru" and _KAZAKH_ONLY.search(word):
            return word, "kk"
        return word, language if language in LANGUAGES else "ru"
    if _LATIN.search(word) and not word.isdigit():
        if language == "kk":
            return kazakh_latin_to_cyrillic(word), "kk"
        return word, "en"
    return word, ""


def _clean(stem):
    """й→и (after stemming), and no apostrophes in a term: "don't" is "dont"."""
    return stem.replace("й", "и").replace("'", "").replace("’", "").replace("ʼ", "")


@functools.lru_cache(maxsize=500_000)
def term(word, language):
    """Return the index term of one folded word in a text of ``language``, or "" for a
    stop word (cached: a text's words repeat, and the dictionary lookup is the cost)."""
    word, analyzer = _script_language(word, language)
    if not analyzer:
        return word  # digits and other scripts are kept as they are
    if word in STOP_WORDS[analyzer]:
        return ""
    return _clean(_stem(word, analyzer))


def term_without_stop_words(word, language):
    """Return the term of a word even when it is a stop word (a query of stop words only)."""
    word, analyzer = _script_language(word, language)
    return _clean(_stem(word, analyzer) if analyzer else word)


@functools.lru_cache(maxsize=200_000)
def term_of(raw_word, language):
    """Return the term of a word as it stands in a text (for highlighting), or ""."""
    folded = _fold(raw_word)
    return term(folded, language) if folded else ""


def forget_words():
    """Empty the word caches (after a bulk load: up to 700,000 words, tens of MB that the
    work after it may use instead)."""
    term.cache_clear()
    term_of.cache_clear()


def analyze(text, language):
    """Return the index terms of ``text`` (a document or a query) in order."""
    return [found for found in map(term, words(text), itertools.repeat(language)) if found]


def analyzed_text(text, language):
    """Return the terms of ``text`` joined by spaces, as the index stores them."""
    return " ".join(analyze(text, language))


def query_variants(word, languages):
    """Return the index terms a query word may stand for in the ``languages`` searched:
    its stem in each, and for Latin letters also its Kazakh reading."""
    variants = []
    for language in languages:
        found = term(word, language)
        if found:
            variants.append(found)
        if language == "ru" and _LATIN.search(word) and "kk" not in languages:
            # A Kazakh word typed in Latin letters on the Russian search page.
            found = term(word, "kk")
            if found:
                variants.append(found)
    return list(dict.fromkeys(variants))


def browser_rules():
    """Return the rules a browser needs to read a query as ``term`` does where no word
    list helps: the Latin-to-Cyrillic table and the Kazakh suffix rules (the static
    mirror's search sends them in its index, so the script keeps no copy of its own)."""
    return {
        "latin": {"digraphs": _LATIN_DIGRAPHS, "letters": _LATIN_LETTERS},
        "kazakh": {
            "noun": _KK_NOUN_SUFFIXES,
            "verb": _KK_VERB_SUFFIXES,
            "follows": {letter: "".join(sorted(after)) for letter, after in _FOLLOWS.items()},
            "vowels": "".join(sorted(_VOWELS)),
            "devoiced": _DEVOICED,
            "length": KK_STEM_LENGTH,
        },
    }
