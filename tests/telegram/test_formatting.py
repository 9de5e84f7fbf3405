"""A page's Telegram text: escaping, hashtags, limits counted as Telegram counts them."""

import pytest

from iskra.telegram.formatting import compose, hashtag, shorten, telegram_length


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("трудовые права", "#трудовые_права"),
        ("Қазақстан", "#Қазақстан"),
        ("COVID-19", "#COVID_19"),
        ("2024", ""),
        ("!!!", ""),
    ],
)
def test_hashtag(tag, expected):
    assert hashtag(tag) == expected


def test_length_counts_utf16_units_like_telegram():
    assert telegram_length("ә") == 1
    assert telegram_length("✊🏽") == 3


def test_shorten_cuts_at_a_word_boundary_within_the_limit():
    text = "Рабочие металлургического комбината провели собрание " * 10

    short = shorten(text, 100)

    assert telegram_length(short) <= 100
    assert short.endswith("…") and not short.endswith(" …")
    assert text.startswith(short[:-1])
    assert short[:-1].split()[-1] in text.split()


def test_shorten_counts_emoji_as_two_units():
    short = shorten("🔥" * 20, 11)

    assert telegram_length(short) <= 11


def test_compose_keeps_a_huge_title_within_the_limit():
    html, visible = compose(title="Заголовок " * 200, lead="Лид", tags=["тег"] * 5, limit=1024)

    assert telegram_length(visible) <= 1024
    assert html.startswith("<b>") and "</b>" in html
