"""An event's collected volume: its talk texts as one book, built by the edition pipeline
(``iskra.publishing``) into EPUB and PDF when the event is published."""

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iskra.core.contracts import EditionSource
from iskra.core.models import SiteSettings
from iskra.publishing.document import Chapter, Document, text_of

from .models import EventPage


def proceedings_document(event):
    """Return the collected volume of ``event``'s talk texts, or None when none has text."""
    url = event.get_full_url() or ""
    talks = [t for t in event.talks.select_related("speaker") if text_of(t.text).strip()]
    if not talks:
        return None
    language = event.locale.language_code
    site = event.get_site()
    options = SiteSettings.for_site(site) if site else None
    with translation.override(language):
        start = timezone.localtime(event.start, event.zone)
        facts = [(_("Date"), formats.date_format(start, "DATE_FORMAT"))]
        if event.city:
            facts.append((_("City"), event.city))
        if event.organizer:
            facts.append((_("Organizer"), event.organizer))
        if event.moderator_id:
            facts.append((_("Moderator"), event.moderator.name))
        notice = getattr(options, f"reprint_notice_{language}", "") if options else ""
        colophon = [text for text in (notice, url) if text]
        return Document(
            title=event.title,
            subtitle=_("Collected talks"),
            language=language,
            identifier=f"{url}#volume",
            authors=list(dict.fromkeys(t.speaker.name for t in talks)),
            publisher=event.organizer,
            date=start.date(),
            title_page=facts,
            chapters=[
                Chapter(title=talk.title, byline=talk.speaker.name, body_html=talk.text)
                for talk in talks
            ],
            colophon=colophon,
            colophon_title=_("About this volume"),
            contents_title=_("Contents"),
            url=url,
        )


SOURCE = EditionSource(
    name="volume",
    label=gettext_lazy("Collected volume"),
    model=EventPage,
    document=proceedings_document,
    pages=lambda: EventPage.objects.live().order_by("start"),
)
