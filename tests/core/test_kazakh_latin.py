"""The Kazakh Cyrillic → Latin mapping: the 31 letters, capitals, loans, Russian words."""

import json
import re

import pytest

from iskra.core.kazakh_latin import (
    LETTERS,
    Transliterator,
    is_russian,
    latin_upper,
    transliterate_word,
)
from tests.shared_data import shared_data

# The 2021 (April) table, letter by letter: Cyrillic capital, Latin capital, Latin small.
OFFICIAL = [
    ("А", "A", "a"),
    ("Ә", "Ä", "ä"),
    ("Б", "B", "b"),
    ("Д", "D", "d"),
    ("Е", "E", "e"),
    ("Ф", "F", "f"),
    ("Г", "G", "g"),
    ("Ғ", "Ğ", "ğ"),
    ("Х", "H", "h"),
    ("Һ", "H", "h"),
    ("І", "I", "ı"),
    ("И", "İ", "i"),
    ("Й", "İ", "i"),
    ("Ж", "J", "j"),
    ("К", "K", "k"),
    ("Қ", "Q", "q"),
    ("Л", "L", "l"),
    ("М", "M", "m"),
    ("Н", "N", "n"),
    ("Ң", "Ñ", "ñ"),
    ("О", "O", "o"),
    ("Ө", "Ö", "ö"),
    ("П", "P", "p"),
    ("Р", "R", "r"),
    ("С", "S", "s"),
    ("Ш", "Ş", "ş"),
    ("Т", "T", "t"),
    ("У", "U", "u"),
    ("Ұ", "Ū", "ū"),
    ("Ү", "Ü", "ü"),
    ("В", "V", "v"),
    ("Ы", "Y", "y"),
    ("З", "Z", "z"),
]


@pytest.mark.parametrize(("cyrillic", "capital", "small"), OFFICIAL)
def test_official_letter_maps_in_both_cases(cyrillic, capital, small):
    assert transliterate_word(cyrillic) == capital
    assert transliterate_word(cyrillic.lower()) == small


def test_official_table_has_the_31_latin_letters():
    assert len({capital for _cyrillic, capital, _small in OFFICIAL}) == 31


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Іле", "Ile"),  # the capital of ı is I
        ("ЖИЫН", "JİYN"),  # the capital of i is İ
        ("Ирак", "İrak"),
        ("ІЛЕ", "ILE"),
        ("Қазақстан", "Qazaqstan"),
        ("ҚАЗАҚСТАН", "QAZAQSTAN"),
        ("Ұлы", "Ūly"),
        ("ҚР", "QR"),  # an abbreviation of capitals stays capitals
        ("Ю", "İu"),  # a single capital letter is a capitalised word
        ("Юлия", "İuliia"),
        ("ЮНЕСКО", "İUNESKO"),
        ("Цемент", "Tsement"),
        ("ЦЕМЕНТ", "TSEMENT"),
        ("чемпион", "çempion"),
        ("Чемпион", "Çempion"),
        ("аяқ", "aiaq"),
        ("Ясауи", "İasaui"),
    ],
)
def test_capitals_follow_the_alphabets_own_pairs(cyrillic, latin):
    assert transliterate_word(cyrillic) == latin


def test_latin_upper_uses_kazakh_pairs_not_unicode_defaults():
    assert latin_upper("ile") == "İLE"
    assert latin_upper("ıle") == "ILE"
    assert "i".upper() == "I"  # why Unicode's default is wrong here


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [("ё", "io"), ("ц", "ts"), ("ч", "ç"), ("щ", "şş"), ("ъ", ""), ("ь", ""), ("э", "e")]
    + [("ю", "iu"), ("я", "ia")],
)
def test_loan_letters_have_one_treatment(cyrillic, latin):
    assert LETTERS[cyrillic][0] == latin
    assert Transliterator().text(f"а{cyrillic}а", kazakh=True) == f"a{latin}a"


@pytest.mark.parametrize(
    ("pair", "merged"),
    [(("и", "й"), "i"), (("х", "һ"), "h"), (("е", "э"), "e"), (("ъ", "ь"), "")],
)
def test_letters_that_merge_in_latin(pair, merged):
    """Round trip: these Cyrillic letters become one Latin letter (or none), so the Latin
    text cannot be turned back letter for letter; the Cyrillic stays the stored source."""
    assert {transliterate_word(letter) for letter in pair} == {merged}


def test_all_other_letters_are_told_apart():
    outputs = [transliterate_word(letter) for letter in LETTERS]
    merged = {"i", "h", "e", ""}
    distinct = [output for output in outputs if output not in merged]
    assert len(distinct) == len(set(distinct))


@pytest.mark.parametrize("word", ["щука", "объём", "ещё", "это", "Щучинск", "подъезд", "ЭТО"])
def test_words_with_russian_letters_stay_cyrillic(word):
    assert is_russian(word)
    assert Transliterator().text(word) == word


def test_loan_with_a_kazakh_ending_is_kazakh():
    assert not is_russian("экономикалық")
    assert Transliterator().text("Съезді экономикалық") == "Sezdı ekonomikalyq"


def test_block_known_to_be_kazakh_transliterates_every_word():
    assert Transliterator().text("Эгей теңізі", kazakh=True) == "Egei teñızı"
    assert Transliterator().text("Эгей теңізі") == "Эгей teñızı"


def test_editors_spellings_apply_before_the_rules_keeping_capitals():
    latin = Transliterator({"эгей": "Egei", "алматы": "Almaty", "пушкин": ""})

    assert latin.text("Эгей теңізі") == "Egei teñızı"
    assert latin.text("АЛМАТЫ қаласы") == "ALMATY qalasy"
    assert latin.text("Пушкин мен Абай") == "Пушкин men Abai"


def test_text_keeps_everything_that_is_not_a_cyrillic_letter():
    text = "Ол 2021 жылы «Ақиқат» (№ 3) — www.example.kz, Lenin; ҚР-ның"
    assert (
        Transliterator().text(text) == "Ol 2021 jyly «Aqiqat» (№ 3) — www.example.kz, Lenin; QR-nyñ"
    )


def _sib200():
    path = shared_data() / "news" / "kk_sib200_topics.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent (set ISKRA_SHARED_DATA); the SIB-200 check is skipped")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle]


def test_real_kazakh_text_leaves_only_russian_words_in_cyrillic():
    texts = _sib200()
    latin = Transliterator()
    kazakh_letters = set("әғқңөұүһі")
    seen, kept, words = set(), [], 0

    for text in texts:
        seen |= set(text.lower()) & kazakh_letters
        result = latin.text(text)
        for word in re.findall(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+", result):
            kept.append(word)
        words += len(re.findall(r"\w+", text))

    assert seen == kazakh_letters  # every Kazakh letter occurs, and none survives
    assert all(is_russian(word) for word in kept), kept[:20]
    assert len(kept) < words * 0.02, f"{len(kept)} of {words} words stayed Cyrillic"
