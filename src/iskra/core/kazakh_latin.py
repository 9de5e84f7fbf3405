"""Kazakh in the 2021 (April) Latin alphabet, generated from the Cyrillic text.

``Transliterator(spellings).word(word)`` and ``.text(text)`` turn Kazakh Cyrillic into
Latin letters; everything that is not a Cyrillic letter is left as it is. The 31 letters
follow the official table; the loan letters (Ё Ц Ч Щ Ъ Ь Э Ю Я), which have no official
rule, follow the one treatment described in ``docs/kazakh-latin.md``. Capitals come from
the alphabet's own pairs (ı/I, i/İ), never from Unicode's default casing: «Іле» is
«Ile», «ЖИЫН» is «JİYN».

Words whose letters show they are Russian (щ, ъ, ё, э, and no Kazakh-only letter) stay
Cyrillic unless the text is
known to be Kazakh (``kazakh=True``: a block the editor marked Kazakh); so do the words an
editor listed as staying Cyrillic (Russian names). Editors' spellings (word → Latin form)
apply before the rules.
"""

import re

# Cyrillic letter: (lower, capitalised, upper). The 31 letters of the 2021 alphabet, then
# the loan letters.
LETTERS = {
    "а": ("a", "A", "A"),
    "ә": ("ä", "Ä", "Ä"),
    "б": ("b", "B", "B"),
    "д": ("d", "D", "D"),
    "е": ("e", "E", "E"),
    "ф": ("f", "F", "F"),
    "г": ("g", "G", "G"),
    "ғ": ("ğ", "Ğ", "Ğ"),
    "х": ("h", "H", "H"),
    "һ": ("h", "H", "H"),
    "і": ("ı", "I", "I"),
    "и": ("i", "İ", "İ"),
    "й": ("i", "İ", "İ"),
    "ж": ("j", "J", "J"),
    "к": ("k", "K", "K"),
    "қ": ("q", "Q", "Q"),
    "л": ("l", "L", "L"),
    "м": ("m", "M", "M"),
    "н": ("n", "N", "N"),
    "ң": ("ñ", "Ñ", "Ñ"),
    "о": ("o", "O", "O"),
    "ө": ("ö", "Ö", "Ö"),
    "п": ("p", "P", "P"),
    "р": ("r", "R", "R"),
    "с": ("s", "S", "S"),
    "ш": ("ş", "Ş", "Ş"),
    "т": ("t", "T", "T"),
    "у": ("u", "U", "U"),
    "ұ": ("ū", "Ū", "Ū"),
    "ү": ("ü", "Ü", "Ü"),
    "в": ("v", "V", "V"),
    "ы": ("y", "Y", "Y"),
    "з": ("z", "Z", "Z"),
    # Loan letters: as the sounds Kazakh spelling already writes with the 31 letters
    # (Ю = Й+У, Я = Й+А, Ё = Й+О, Ц = Т+С, Щ = Ш+Ш); Ч keeps a letter of its own (Ç, from
    # the January 2021 draft); the hard and soft signs are dropped; Э is E.
    "ё": ("io", "İo", "İO"),
    "ц": ("ts", "Ts", "TS"),
    "ч": ("ç", "Ç", "Ç"),
    "щ": ("şş", "Şş", "ŞŞ"),
    "ъ": ("", "", ""),
    "ь": ("", "", ""),
    "э": ("e", "E", "E"),
    "ю": ("iu", "İu", "İU"),
    "я": ("ia", "İa", "İA"),
}

_LOWER = "".join(LETTERS)
_UPPER = _LOWER.upper()
# The letters above in both cases, for a pattern's character class.
CYRILLIC_LETTERS = _LOWER + _UPPER
# One Cyrillic word: a run of the letters above (either case).
WORD = re.compile(f"[{CYRILLIC_LETTERS}]+")
_WORDS = re.compile(f"([{CYRILLIC_LETTERS}]+)")  # for split(): text, word, text, …
_RUSSIAN_ONLY = re.compile("[щъёэЩЪЁЭ]")
_KAZAKH_ONLY = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
# What a text must contain for anything to change.
CYRILLIC = re.compile(f"[{_LOWER}{_UPPER}]")

# Letters in a word that is not all capitals: a capital letter gets its capitalised form.
_MIXED = {ord(lower): forms[0] for lower, forms in LETTERS.items()} | {
    ord(lower.upper()): forms[1] for lower, forms in LETTERS.items()
}
# Letters in a word of capitals (more than one letter, all capitals).
_CAPITALS = _MIXED | {ord(lower.upper()): forms[2] for lower, forms in LETTERS.items()}
_LATIN_UPPER = str.maketrans({"i": "İ", "ı": "I"})
_CACHE_LIMIT = 50_000


def latin_upper(text):
    """Return ``text`` in capitals by the Kazakh Latin pairs (i → İ, ı → I)."""
    return text.translate(_LATIN_UPPER).upper()


def latin_capitalize(text):
    """Return ``text`` with its first letter a capital by the Kazakh Latin pairs."""
    return latin_upper(text[:1]) + text[1:]


def transliterate_word(word):
    """Return the Latin form of one Cyrillic ``word`` by the rules alone."""
    if len(word) > 1 and word.isupper():
        return word.translate(_CAPITALS)
    return word.translate(_MIXED)


def is_russian(word):
    """Return whether the letters of ``word`` show it is Russian: it has щ, ъ, ё or э and
    no letter only Kazakh has (a loan with a Kazakh ending, «экономикалық», is Kazakh)."""
    return _RUSSIAN_ONLY.search(word) is not None and _KAZAKH_ONLY.search(word) is None


class Transliterator:
    """Kazakh Cyrillic → Latin with editors' spellings, remembering the words it has done.

    ``spellings`` maps a casefolded Cyrillic word to its Latin form, or to "" for a word
    that stays Cyrillic (a Russian name).
    """

    def __init__(self, spellings=None):
        self.spellings = dict(spellings or {})
        self._done = ({}, {})  # (word by word, known Kazakh)
        self.fragments = {}  # HTML fragments done (core.latin_view), by host and source
        self.tags = {}  # HTML tags done (core.latin_view), by source, mode and host
        self._sub_auto = self._sub(False)
        self._sub_kazakh = self._sub(True)

    def word(self, word, *, kazakh=False):
        """Return the Latin form of ``word`` (itself where it stays Cyrillic)."""
        done = self._done[kazakh]
        found = done.get(word)
        if found is None:
            found = self._convert(word, kazakh)
            if len(done) >= _CACHE_LIMIT:
                done.clear()
            done[word] = found
        return found

    def text(self, text, *, kazakh=False):
        """Return ``text`` with its Kazakh words in Latin letters."""
        if text.isascii() or not CYRILLIC.search(text):
            return text
        # Split into other text and words, and look the words up all at once (no Python
        # call a word, as a re.sub callback would be); only new words are converted.
        parts = _WORDS.split(text)
        words = parts[1::2]
        found = list(map(self._done[kazakh].get, words))
        if None in found:
            found = [
                latin if latin is not None else self.word(word, kazakh=kazakh)
                for word, latin in zip(words, found, strict=True)
            ]
        parts[1::2] = found
        return "".join(parts)

    def replacer(self, *, kazakh=False):
        """Return a ``re.sub`` callback that returns the Latin form of a match's whole
        text, a Cyrillic word (for patterns that find words among other things)."""
        return self._sub_kazakh if kazakh else self._sub_auto

    def _sub(self, kazakh):
        done = self._done[kazakh]

        def replace(match):
            word = match.group()
            found = done.get(word)
            return found if found is not None else self.word(word, kazakh=kazakh)

        return replace

    def _convert(self, word, kazakh):
        spelling = self.spellings.get(word.casefold())
        if spelling is not None:
            if not spelling:
                return word
            if len(word) > 1 and word.isupper():
                return latin_upper(spelling)
            return latin_capitalize(spelling) if word[0].isupper() else spelling
        if not kazakh and is_russian(word):
            return word
        return transliterate_word(word)
