"""The news part of the demo site: sections and articles in Russian and Kazakh."""

import datetime as dt

from django.utils import timezone

from .demo_texts import ARTICLES_KK, ARTICLES_RU, CONFERENCE, SECTIONS_KK, SECTIONS_RU
from .models import ArticleAuthor, ArticlePage, SectionPage


def _when(day, hour=10):
    date = dt.datetime.fromisoformat(day).replace(hour=hour)
    return timezone.make_aware(date)


def _body(paragraphs):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


def _publish(page):
    revision = page.save_revision()
    revision.publish()
    return page


def _add_article(
    section, *, slug, title, lead, body, tags, authors, date, image, translation_of=None
):
    if translation_of is not None:
        article = translation_of.copy_for_translation(section.locale)
        article.title, article.lead, article.body, article.date = title, lead, body, date
        article.cover_image = image
    else:
        article = section.add_child(
            instance=ArticlePage(
                title=title,
                slug=slug,
                lead=lead,
                body=body,
                date=date,
                cover_image=image,
                locale=section.locale,
            )
        )
    article.tags.set(tags, clear=True)
    article.article_authors = [
        ArticleAuthor(person=person, sort_order=index) for index, person in enumerate(authors)
    ]
    article.save()
    _publish(article)
    article.first_published_at = article.last_published_at = date
    article.save(update_fields=["first_published_at", "last_published_at"])
    return article


def _conference_body(text, people, language):
    body = _body(text["intro"])
    body.append({"type": "heading", "value": {"text": text["talks_heading"], "level": "h2"}})
    items = "".join(
        f"<li><b>{people[slug][language].name}</b> — «{title}»</li>"
        for slug, title in text["talks"]
    )
    body.append({"type": "paragraph", "value": f"<ol>{items}</ol>"})
    body.append({"type": "paragraph", "value": f"<p>{text['moderator']}</p>"})
    body.append(
        {"type": "quote", "value": {"text": text["quote"][0], "attribution": text["quote"][1]}}
    )
    body.append(
        {
            "type": "video",
            "value": {"url": CONFERENCE["video_url"], "title": text["video_title"], "caption": ""},
        }
    )
    body += _body(text["outro"])
    return body


def load(context):
    """Build three sections per language, 40 Russian and 10 Kazakh articles."""
    sections = _sections(context)
    _articles(context, sections)
    _conference_report(context, sections)


def _sections(context):
    """Return {language: {slug: section}}, the Kazakh ones translations of the Russian."""
    sections = {"ru": {}, "kk": {}}
    for slug, title, intro in SECTIONS_RU:
        ru = context.homes["ru"].add_child(
            instance=SectionPage(
                title=title,
                slug=slug,
                intro=intro,
                show_in_menus=True,
                locale=context.homes["ru"].locale,
            )
        )
        _publish(ru)
        kk = ru.copy_for_translation(context.homes["kk"].locale)
        kk.title, kk.intro = SECTIONS_KK[slug]
        _publish(kk)
        sections["ru"][slug], sections["kk"][slug] = ru, kk

    return sections


def _articles(context, sections):
    """Add the Russian articles (every third without a picture) and their Kazakh ones."""
    people = context.people

    def add_row(language, row, **extra):
        section, slug, title, lead, paragraphs, tags, authors, day = row
        return _add_article(
            sections[language][section],
            slug=slug,
            title=title,
            lead=lead,
            body=_body(paragraphs),
            tags=tags,
            date=_when(day),
            authors=[people[author][language] for author in authors],
            **extra,
        )

    by_slug = {}
    for index, row in enumerate(ARTICLES_RU):
        by_slug[row[1]] = add_row("ru", row, image=context.image(index) if index % 3 else None)
    for index, row in enumerate(ARTICLES_KK):
        original = by_slug.get(row[1])
        image = original.cover_image if original else context.image(index)
        add_row("kk", row, image=image, translation_of=original)


def _conference_report(context, sections):
    """Add the report of the conference in both languages."""
    people = context.people
    date = _when(CONFERENCE["date"], hour=12)
    report = None
    for language, caption, credit in (
        ("ru", "Участники конференции «В защиту СССР», Алматы, 30 декабря 2022 года", "СПК"),
        ("kk", "«КСРО-ны қорғау үшін» конференциясына қатысушылар, Алматы", "КСП"),
    ):
        text = CONFERENCE[language]
        article = _add_article(
            sections[language]["news"],
            slug=CONFERENCE["slug"],
            title=text["title"],
            lead=text["lead"],
            body=_conference_body(text, people, language),
            tags=CONFERENCE[f"tags_{language}"],
            authors=[people["denis-alimbekov"][language]],
            date=date,
            image=context.image(0),
            translation_of=report,
        )
        article.cover_caption, article.cover_credit = caption, credit
        _publish(article)
        report = report or article
    speakers = CONFERENCE["ru"]["talks"]
    context.log.append(
        f"News: {len(SECTIONS_RU)} sections per language, {len(ARTICLES_RU) + 1} Russian and "
        f"{len(ARTICLES_KK) + 1} Kazakh articles ({len(speakers)} conference talks listed)."
    )
