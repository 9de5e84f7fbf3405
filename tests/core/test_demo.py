import io

import pytest
from django.core.management import call_command

from iskra.news.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db


def test_demo_has_both_trees_sections_and_enough_articles():
    assert ArticlePage.objects.filter(locale__language_code="ru").live().count() >= 40
    assert ArticlePage.objects.filter(locale__language_code="kk").live().count() >= 10
    assert SectionPage.objects.filter(locale__language_code="ru").count() >= 3


def test_demo_twice_changes_nothing():
    from wagtail.models import Page

    before = (Page.objects.count(), ArticlePage.objects.count())
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert (Page.objects.count(), ArticlePage.objects.count()) == before
    assert "not loaded again" in out.getvalue()
    assert "password" not in out.getvalue()


def test_demo_conference_report_has_speakers_moderator_and_video(client, demo_report):
    html = client.get(demo_report.url).content.decode()
    for speaker in (
        "Айнур Курманов",
        "Дмитрий Бурминский",
        "Ольга Шин",
        "Олег Андрющенко",
        "Тимур Кибиров",
        "Денис Алимбеков",
    ):
        assert speaker in html
    assert "«Разрушение советской хозяйственной системы»" in html
    assert 'class="video"' in html
