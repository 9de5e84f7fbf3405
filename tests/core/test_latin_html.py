"""How the Latin view rewrites an HTML page: which text changes, which stays Cyrillic."""

import json
import re

from iskra.core.kazakh_latin import Transliterator
from iskra.core.latin_view import latinize_html


def latin(html, spellings=None, host="site.kz"):
    return latinize_html(html, Transliterator(spellings), host)


def test_text_changes_and_markup_does_not():
    html = '<p class="қате"><a href="/kk/жаңалық/">Жаңа хабар</a> <!-- Түсініктеме --></p>'

    assert latin(html) == (
        '<p class="қате"><a href="/kk-latn/жаңалық/">Jaña habar</a> <!-- Түсініктеме --></p>'
    )


def test_nested_languages_each_keep_their_own_text():
    html = (
        "<p>Біз</p>"
        '<blockquote lang="ru"><p>Мы <span lang="kk">біз <i lang="ru">мы</i> сіз</span>'
        " вы</p><blockquote>ещё</blockquote> они</blockquote>"
        "<p>Сіз</p>"
    )

    assert latin(html) == (
        "<p>Bız</p>"
        '<blockquote lang="ru"><p>Мы <span lang="kk-Latn">bız <i lang="ru">мы</i> sız</span>'
        " вы</p><blockquote>ещё</blockquote> они</blockquote>"
        "<p>Sız</p>"
    )


def test_translate_no_and_cyrillic_kazakh_stay_as_written():
    html = (
        '<span translate="no">Қазақ</span> <b lang="kk-Cyrl">Қазақша</b> Қазақ'
        ' <span lang="kk-Latn">Қазақ</span>'
    )

    assert latin(html) == (
        '<span translate="no">Қазақ</span> <b lang="kk-Cyrl">Қазақша</b> Qazaq'
        ' <span lang="kk-Latn">Qazaq</span>'
    )


def test_block_marked_kazakh_transliterates_russian_looking_words_too():
    html = '<p>съезд</p><div data-language="kk"><p>съезд</p></div><p>съезд</p>'

    assert latin(html) == '<p>съезд</p><div data-language="kk"><p>sezd</p></div><p>съезд</p>'


def test_an_elements_own_attributes_follow_its_own_language():
    html = (
        '<img lang="ru" alt="Митинг рабочих" src="/a.jpg">'
        '<img alt="Жұмысшылар жиыны" src="/b.jpg">'
        '<a lang="ru" title="Главная" href="/kk/">Главная</a>'
    )

    assert latin(html) == (
        '<img lang="ru" alt="Митинг рабочих" src="/a.jpg">'
        '<img alt="Jūmysşylar jiyny" src="/b.jpg">'
        '<a lang="ru" title="Главная" href="/kk-latn/">Главная</a>'
    )


def test_readers_texts_in_attributes_and_the_copy_attribution():
    html = (
        '<input placeholder="Іздеу" aria-label="Іздеу" value="Іздеу">'
        '<article data-copy-source="https://site.kz/kk/a/" data-copy-author="Әлия Сәрсен"'
        ' data-copy-label-source="Дереккөз" data-copy-label-author="авторы"'
        ' data-copy-threshold="200">'
    )

    assert latin(html) == (
        '<input placeholder="Izdeu" aria-label="Izdeu" value="Іздеу">'
        '<article data-copy-source="https://site.kz/kk-latn/a/" data-copy-author="Äliia Särsen"'
        ' data-copy-label-source="Derekköz" data-copy-label-author="avtory"'
        ' data-copy-threshold="200">'
    )


def test_links_to_other_hosts_and_alternates_stay():
    html = (
        '<link rel="alternate" hreflang="kk" href="https://site.kz/kk/a/">'
        '<a href="https://other.kz/kk/a/">а</a><a href="https://site.kz/kk/a/">а</a>'
    )

    assert latin(html) == (
        '<link rel="alternate" hreflang="kk" href="https://site.kz/kk/a/">'
        '<a href="https://other.kz/kk/a/">a</a><a href="https://site.kz/kk-latn/a/">a</a>'
    )


def test_head_meta_texts_change_and_machine_values_do_not():
    html = (
        '<meta name="description" content="Жиын өтті">'
        '<meta property="article:tag" content="жиын">'
        '<meta property="og:url" content="https://site.kz/kk/a/">'
        '<meta name="keywords-id" content="жиын">'
    )

    assert latin(html) == (
        '<meta name="description" content="Jiyn öttı">'
        '<meta property="article:tag" content="jiyn">'
        '<meta property="og:url" content="https://site.kz/kk-latn/a/">'
        '<meta name="keywords-id" content="жиын">'
    )


def test_json_ld_texts_and_links_change_and_it_stays_valid_json():
    data = {
        "@type": "NewsArticle",
        "headline": "Жиын «өтті» & <аяқталды>",
        "inLanguage": "kk",
        "url": "https://site.kz/kk/жиын/?a=1&b=2",
        "author": [{"name": "Әлия", "url": "/kk/people/aliia/"}],
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    html = f'<script type="application/ld+json">{payload}</script><script>var a = "Қ";</script>'

    out = latin(html)
    found = json.loads(re.search(r"ld\+json\">(.*?)</script>", out).group(1))

    assert found["headline"] == "Jiyn «öttı» & <aiaqtaldy>"
    assert found["inLanguage"] == "kk-Latn"
    assert found["url"] == "https://site.kz/kk-latn/жиын/?a=1&b=2"  # an address keeps its slug
    assert found["author"] == [{"name": "Äliia", "url": "/kk-latn/people/aliia/"}]
    assert '<script>var a = "Қ";</script>' in out  # other scripts are code


def test_textarea_text_changes_with_its_language():
    html = (
        '<textarea name="a">Сәлем</textarea><textarea lang="ru" name="b">Привет</textarea>'
        "<p>Сәлем</p>"
    )

    assert latin(html) == (
        '<textarea name="a">Sälem</textarea><textarea lang="ru" name="b">Привет</textarea>'
        "<p>Sälem</p>"
    )


def test_uppercase_markup_and_a_stray_nul_are_handled():
    html = '<P>Іле</P><SCRIPT>var a = "Іле";</SCRIPT><p>\x00Іле\x00</p><SPAN LANG="ru">Иле</SPAN>'

    assert latin(html) == (
        '<P>Ile</P><SCRIPT>var a = "Іле";</SCRIPT><p>\x00Ile\x00</p><SPAN LANG="ru">Иле</SPAN>'
    )


def test_remembered_chrome_and_tags_follow_the_editors_spellings():
    html = '<!--latin:begin--><a title="Маркс" href="/kk/">Маркс</a><!--latin:end--><p>Маркс</p>'

    assert latin(html) == '<a title="Marks" href="/kk-latn/">Marks</a><p>Marks</p>'
    assert latin(html, {"маркс": ""}) == '<a title="Маркс" href="/kk-latn/">Маркс</a><p>Маркс</p>'
