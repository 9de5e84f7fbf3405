from html import escape

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def article_json_ld(context, page, authors):
    """Return schema.org NewsArticle data for ``page``."""
    request = context["request"]
    chrome = context.get("chrome")
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "datePublished": page.date.isoformat(),
        "dateModified": (page.last_published_at or page.date).isoformat(),
        "inLanguage": get_language(),
        "mainEntityOfPage": context["canonical_url"],
        "url": context["canonical_url"],
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(
                    f"{chrome.home_url if chrome else '/'}people/{author.slug}/"
                ),
            }
            for author in authors
        ]
        or [{"@type": "Organization", "name": chrome.name if chrome else ""}],
    }
    if page.lead:
        data["description"] = page.lead
    if chrome:
        publisher = {"@type": "Organization", "name": chrome.name}
        if chrome.logo_url:
            publisher["logo"] = {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(chrome.logo_url),
            }
        data["publisher"] = publisher
    if context.get("preview_picture"):
        data["image"] = [request.build_absolute_uri(context["preview_picture"].url)]
    return data


@register.simple_tag
def article_cards(cards, compact=False):
    """Render a list of cards; one tag call per listing rather than one per card."""
    return mark_safe("".join(article_card(card, compact) for card in cards))  # noqa: S308  (each card escapes its values)


CARD_SUMMARY_WORDS = 40


@register.simple_tag
def article_card(card, compact=False):
    """Render an article's listing card from a ``Card`` (see ``iskra.news.services``).

    Built in Python rather than with an included template, and escaped with the
    standard library's ``html.escape`` (what Django's ``escape`` calls) rather than
    ``format_html``: listings render twenty cards and this was most of their cost.
    """
    picture = ""
    if card.image:
        picture = (
            f'<img src="{escape(card.image.url)}" width="{int(card.image.width)}" '
            f'height="{int(card.image.height)}" alt="" loading="lazy" decoding="async">'
        )
    summary = ""
    if not compact and card.summary:
        words = card.summary.split()
        text = " ".join(words[:CARD_SUMMARY_WORDS])
        if len(words) > CARD_SUMMARY_WORDS:
            text += " …"
        summary = f'<p class="card__summary">{escape(text)}</p>'
    local_date = timezone.localtime(card.date)
    return mark_safe(  # noqa: S308  (every value above is escaped)
        f'<li class="card{" card--compact" if compact else ""}">{picture}'
        f'<div class="card__body"><h3 class="card__title"><a href="{escape(card.url)}">'
        f"{escape(card.title)}</a></h3>"
        f'<p class="meta"><time datetime="{local_date.isoformat()}">'
        f"{escape(date_format(local_date, 'j E Y'))}</time></p>{summary}</div></li>"
    )
