"""Factories for news: sections and articles with tags, authors and covers."""

import datetime
import itertools

from django.utils import timezone

from iskra.news.models import ArticleAuthor, ArticlePage, SectionPage

from . import core

_numbers = itertools.count(1)


def section(language="ru", title="Рабочее движение"):
    home = core.home(language)
    page = SectionPage(title=title, slug=core.unique("section"))
    home.add_child(instance=page)
    return core.publish(page)


def article(
    *,
    section,
    title="Забастовка на руднике",
    lead="Шахтёры требуют повышения зарплаты.",
    tags=(),
    authors=(),
    days_ago=0,
    publish=True,
    **fields,
):
    """Create an article in ``section``; ``authors`` are ``Person`` objects."""
    page = ArticlePage(
        title=title,
        slug=core.unique("article"),
        lead=lead,
        date=fields.pop("date", timezone.now() - datetime.timedelta(days=days_ago)),
        is_crossposted=False,
        **fields,
    )
    section.add_child(instance=page)
    if tags:
        page.tags.set(list(tags))
    for order, person in enumerate(authors):
        ArticleAuthor.objects.create(article=page, person=person, sort_order=order)
    page.save()
    if publish:
        core.publish(page)
    return ArticlePage.objects.get(pk=page.pk)


REPORT_VIDEO = "https://www.youtube.com/watch?v=ZQm5yBCQGmU"


def report(language="ru", translation_of=None):
    """A report with everything an article can show: author, tags, cover, a heading, a
    quote and a video; in Kazakh the translation of ``translation_of``."""
    texts = {
        "ru": {
            "section": "Хроника",
            "title": "В Караганде прошёл съезд горняков",
            "lead": "Делегаты шахт обсудили зарплаты и охрану труда.",
            "author": "Айгерим Сапарова",
            "paragraphs": [
                "Съезд открыл председатель профсоюза угольщиков. Он напомнил, что за год на "
                "шахтах области погибли девять человек, и потребовал независимой проверки.",
                "Делегаты приняли резолюцию: повысить зарплату подземным рабочим на треть, "
                "вернуть доплаты за вредность и избирать инспекторов по охране труда.",
            ],
            "quote": "Безопасность важнее плана.",
            "tags": ["съезд", "Караганда"],
        },
        "kk": {
            "section": "Шежіре",
            "title": "Қарағандыда кеншілер съезі өтті",
            "lead": "Шахта делегаттары жалақы мен еңбек қауіпсіздігін талқылады.",
            "author": "Әйгерім Сапарова",
            "paragraphs": [
                "Съезді көмірші кәсіподағының төрағасы ашты. Ол бір жылда облыс шахталарында "
                "тоғыз адам қаза тапқанын еске салып, тәуелсіз тексеру талап етті.",
                "Делегаттар қарар қабылдады: жер асты жұмысшыларының жалақысын үштен бірге "
                "көтеру, зиянды еңбек үшін үстемеақыны қайтару және еңбек қорғау "
                "инспекторларын сайлау.",
            ],
            "quote": "Қауіпсіздік жоспардан маңызды.",
            "tags": ["съезд", "Қарағанды"],
        },
    }[language]
    body = [
        *({"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts["paragraphs"]),
        {"type": "heading", "value": {"text": "Решения", "level": "h2"}},
        {"type": "quote", "value": {"text": texts["quote"], "attribution": "Делегат"}},
        {"type": "video", "value": {"url": REPORT_VIDEO, "title": "Запись съезда", "caption": ""}},
    ]
    if translation_of is None:
        parent = section(language, title=texts["section"])
        page = ArticlePage(
            title=texts["title"], slug=core.unique("report"), lead=texts["lead"], body=body
        )
        parent.add_child(instance=page)
    else:
        parent = translation_of.get_parent().specific
        kk_section = parent.copy_for_translation(core.home(language).locale)
        kk_section.title = texts["section"]
        core.publish(kk_section)
        page = translation_of.copy_for_translation(core.home(language).locale)
        page.title, page.lead, page.body = texts["title"], texts["lead"], body
    page.cover_image = core.image()
    page.is_crossposted = False
    page.save()
    page.tags.set(texts["tags"])
    ArticleAuthor.objects.filter(article=page).delete()
    ArticleAuthor.objects.create(article=page, person=core.person(texts["author"], language))
    page.save()
    core.publish(page)
    return ArticlePage.objects.get(pk=page.pk)


def make_article(
    section,
    *,
    title=None,
    lead="Краткое содержание.",
    tags=(),
    authors=(),
    date=None,
    publish=True,
    body=None,
    **fields,
):
    """Create an article in ``section`` (published unless ``publish=False``) and return it."""
    number = next(_numbers)
    article = ArticlePage(
        title=title or f"Тестовая статья {number}",
        slug=fields.pop("slug", f"test-article-{number}"),
        lead=lead,
        date=date or timezone.now(),
        body=body or [{"type": "paragraph", "value": "<p>Текст тестовой статьи.</p>"}],
        locale=section.locale,
        live=publish,
        **fields,
    )
    section.add_child(instance=article)
    if tags:
        article.tags.set(list(tags))
    if authors:
        article.article_authors = [
            ArticleAuthor(person=person, sort_order=i) for i, person in enumerate(authors)
        ]
    article.save()
    revision = article.save_revision()
    if publish:
        revision.publish()
    return ArticlePage.objects.get(pk=article.pk)
