"""Events as the search sees them (the ``SearchProvider`` of kind "event"): the
description with every talk's title, abstract, text and speaker."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iskra.core.contracts import SearchDocument, SearchProvider, plain_text, stream_text

from .models import EventPage

KIND = "event"


def event_documents(event):
    """Return the one ``SearchDocument`` of ``event``."""
    talks = list(event.talks.select_related("speaker"))
    speakers = " ".join(dict.fromkeys(talk.speaker.name for talk in talks))
    talk_text = " ".join(
        " ".join((talk.title, talk.abstract, plain_text(talk.text))) for talk in talks
    )
    document = SearchDocument.for_page(
        event,
        kind=KIND,
        body=" ".join((stream_text(event, "description"), talk_text)),
        keywords=f"{event.city} {speakers}",
        date=timezone.localtime(event.start, event.zone).date() if event.start else None,
    )
    return [document]


PROVIDER = SearchProvider(
    kind=KIND,
    label=_("Events"),
    model=EventPage,
    documents=event_documents,
    live_pages=lambda: EventPage.objects.live().order_by("start", "pk"),
)
