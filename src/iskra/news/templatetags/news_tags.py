from django import template

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
        "inLanguage": page.locale.language_code if page.locale_id else "ru",
        "mainEntityOfPage": request.build_absolute_uri(page.url),
        "url": request.build_absolute_uri(page.url),
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
    if page.cover_image_id:
        rendition = page.cover_image.get_rendition("fill-1200x630")
        data["image"] = [request.build_absolute_uri(rendition.url)]
    return data
