"""The site's chrome (header, navigation, sidebar, footer) as plain data, cached per generation.

Every page shows the same settings, navigation and links, so they are read once per
site generation and language, not once per request.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import translation
from wagtail import hooks
from wagtail.models import Page

from .models import HomePage, SiteSettings, localized_field
from .page_cache import current_generation
from .sites import find_site


@dataclass
class Link:
    title: str
    url: str
    page_id: int | None = None


@dataclass
class Chrome:
    language: str
    fragment_key: str = ""
    name: str = ""
    name_ru: str = ""
    name_kk: str = ""
    short_name: str = ""
    tagline_ru: str = ""
    tagline_kk: str = ""
    logo_url: str = ""
    telegram_url: str = ""
    youtube_url: str = ""
    reprint_notice: str = ""
    copyright_holder: str = ""
    copyright_years: str = ""
    is_copy_attribution_enabled: bool = True
    copy_attribution_threshold: int = 200
    home_urls: dict = field(default_factory=dict)
    navigation: list = field(default_factory=list)
    classics: list = field(default_factory=list)
    footer: list = field(default_factory=list)
    mirrors: list = field(default_factory=list)

    @property
    def tagline(self):
        """The tagline in the chrome's language (the Russian one where it has none)."""
        return (self.tagline_kk if self.language == "kk" else "") or self.tagline_ru

    @property
    def home_url(self):
        return self.home_urls.get(self.language, "/")


def _build(site, language, request):
    # Page addresses are made with the request, so that Wagtail reads the sites' root paths
    # once for the whole build (they are cached on the request), not once per link from
    # the cache: with Redis away that was a query per link, 0.1 s a page.
    settings = SiteSettings.for_site(site)
    with translation.override(language):
        chrome = Chrome(
            language=language,
            name=settings.name,
            name_ru=settings.name_ru,
            name_kk=settings.name_kk,
            short_name=settings.short_name,
            tagline_ru=settings.tagline_ru,
            tagline_kk=settings.tagline_kk,
            telegram_url=settings.telegram_url,
            youtube_url=settings.youtube_url,
            mirrors=settings.mirror_urls,
            reprint_notice=settings.reprint_notice,
            copyright_holder=settings.copyright_holder,
            copyright_years=settings.copyright_years,
            is_copy_attribution_enabled=settings.is_copy_attribution_enabled,
            copy_attribution_threshold=settings.copy_attribution_threshold,
            classics=[
                Link(localized_field(link, "title"), link.url)
                for link in settings.classics_links.all()
            ],
            footer=[
                Link(localized_field(link, "title"), link.url)
                for link in settings.footer_links.all()
            ],
        )
    if settings.logo_id:
        chrome.logo_url = settings.logo.get_rendition("height-96").url
    homes = HomePage.objects.filter(translation_key=site.root_page.translation_key).select_related(
        "locale"
    )
    home = None
    for candidate in homes:
        chrome.home_urls[candidate.locale.language_code] = candidate.get_url(request)
        if candidate.locale.language_code == language:
            home = candidate
    if home is not None:
        # Apps may fill the sidebar's "Works of the classics" (the library lists its
        # authors); the links set in the site settings follow them. A hook is called with
        # the language's home page and the request, and returns (title, url) pairs.
        found = [
            Link(title, url)
            for hook in hooks.get_hooks("iskra_classics_links")
            for title, url in hook(home, request)
        ]
        chrome.classics = found + chrome.classics
        chrome.navigation = [
            Link(child.title, child.get_url(request), child.id)
            for child in Page.objects.child_of(home)
            .live()
            .in_menu()
            .only("id", "title", "url_path", "path", "depth", "locale_id")
        ]
    return chrome


def get_chrome(request):
    """Return the Chrome of the request's site in the active language."""
    if hasattr(request, "_iskra_chrome"):
        return request._iskra_chrome
    site = find_site(request)
    language = translation.get_language() or "ru"
    key = f"iskra:chrome:{current_generation()}:{site.pk if site else 0}:{language}"
    chrome = cache.get(key)
    if chrome is None:
        chrome = _build(site, language, request) if site else Chrome(language=language)
        chrome.fragment_key = key
        cache.set(key, chrome, 3600)
    request._iskra_chrome = chrome
    return chrome
