"""Events: conferences and meetings with speakers, talks, stream, recording and reports."""

import itertools
import zoneinfo
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from iskra.core.blocks import BaseStreamBlock
from iskra.core.models import BasePage, PaginatedMixin, exclude_private
from iskra.core.video import check_video_available, parse_video_url, validate_video_url
from iskra.publishing.services import editions_of

from .choices import EventFormat, EventStatus
from .services import calendar_ics, event_json_ld


def default_time_zone():
    return getattr(settings, "EVENTS_TIME_ZONE", "Asia/Almaty")


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


@register_snippet
class EventKind(models.Model):
    """A kind of event (conference, meeting, round table, rally, webinar...), editable."""

    name_ru = models.CharField(_("Name (Russian)"), max_length=100)
    name_kk = models.CharField(_("Name (Kazakh)"), max_length=100)
    schema_type = models.CharField(
        _("schema.org type"),
        max_length=40,
        default="Event",
        help_text=_("For search engines: Event, SocialEvent, EducationEvent..."),
    )

    panels = [FieldPanel("name_ru"), FieldPanel("name_kk"), FieldPanel("schema_type")]

    class Meta:
        verbose_name = _("Event kind")
        verbose_name_plural = _("Event kinds")
        ordering = ["name_ru"]

    def __str__(self):
        return self.label()

    def label(self, language=None):
        language = language or translation.get_language() or "ru"
        return self.name_kk if language == "kk" and self.name_kk else self.name_ru


class EventIndexPage(PaginatedMixin, RoutablePageMixin, BasePage):  # noqa: DJ008
    """All events of a language: upcoming soonest first, then past ones by year."""

    intro = models.TextField(_("Introduction"), blank=True)
    description_fields = ("intro",)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1
    per_page = 20

    class Meta:
        verbose_name = _("Event index")
        verbose_name_plural = _("Event indexes")

    def events(self):
        return exclude_private(EventPage.objects.child_of(self).live()).select_related("kind")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context["upcoming"] = list(self.events().filter(end__gte=now).order_by("start", "pk"))
        past = self.paginate(request, self.events().filter(end__lt=now).order_by("-start", "-pk"))
        context["past_page"] = past
        context["past_by_year"] = [
            (year, list(events))
            for year, events in itertools.groupby(
                past.object_list, key=lambda event: event.local_start.year
            )
        ]
        return context

    @path("calendar/", name="calendar")
    def calendar(self, request):
        """Serve the subscribable calendar of this language's upcoming events."""
        events = self.events().filter(end__gte=timezone.now() - timedelta(days=30))
        response = HttpResponse(
            calendar_ics(events.order_by("start"), request=request, name=self.title),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = 'inline; filename="events.ics"'
        return response


class EventPage(RoutablePageMixin, BasePage):  # noqa: DJ008  (Page defines __str__)
    """A conference, meeting or rally: when, where, who speaks, how to watch."""

    kind = models.ForeignKey(
        EventKind,
        verbose_name=_("Kind"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start = models.DateTimeField(_("Starts"), db_index=True)
    end = models.DateTimeField(_("Ends"), db_index=True)
    time_zone = models.CharField(
        _("Time zone"), max_length=64, default=default_time_zone, choices=time_zone_choices
    )
    format = models.CharField(
        _("Format"), max_length=16, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    city = models.CharField(_("City"), max_length=100, blank=True)
    venue = models.CharField(_("Venue"), max_length=200, blank=True)
    address = models.CharField(_("Address"), max_length=300, blank=True)
    organizer = models.CharField(_("Organizer"), max_length=300, blank=True)
    moderator = models.ForeignKey(
        "core.Person",
        verbose_name=_("Moderator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead = models.TextField(_("Lead"), blank=True)
    description_fields = ("lead",)
    description = StreamField(BaseStreamBlock(), verbose_name=_("Description"), blank=True)
    stream_url = models.URLField(
        _("Live stream"), blank=True, validators=[validate_video_url], max_length=500
    )
    recording_url = models.URLField(
        _("Recording"), blank=True, validators=[validate_video_url], max_length=500
    )
    is_crossposted = models.BooleanField(
        _("Post to Telegram"),
        default=True,
        help_text=_("Post to the language's Telegram channel when first published."),
    )
    recording_length = models.DurationField(
        _("Recording length"),
        null=True,
        blank=True,
        help_text=_("h:mm:ss; talks' start times must fall within it."),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("time_zone")],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("format"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("venue")]),
                FieldPanel("address"),
            ],
            heading=_("Where"),
        ),
        FieldPanel("organizer"),
        FieldPanel("moderator"),
        FieldPanel("lead"),
        InlinePanel("talks", heading=_("Talks"), label=_("Talk")),
        MultiFieldPanel(
            [
                FieldPanel("stream_url"),
                FieldPanel("recording_url"),
                FieldPanel("recording_length"),
            ],
            heading=_("Video"),
        ),
        InlinePanel("audience_places", heading=_("Watched online from"), label=_("Place")),
        FieldPanel("description"),
    ]
    promote_panels = BasePage.promote_panels + [FieldPanel("is_crossposted")]
    search_fields = BasePage.search_fields + [
        index.SearchField("lead"),
        index.SearchField("description"),
        index.SearchField("city"),
        index.RelatedFields("talks", [index.SearchField("title"), index.SearchField("text")]),
        index.FilterField("start"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Event")
        verbose_name_plural = _("Events")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The event cannot end before it starts.")
        for name in ("stream_url", "recording_url"):
            value = getattr(self, name)
            message = check_video_available(value) if value and parse_video_url(value) else None
            if message:
                errors[name] = message
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self):
        try:
            return zoneinfo.ZoneInfo(self.time_zone or default_time_zone())
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(default_time_zone())

    @property
    def local_start(self):
        return self.start.astimezone(self.zone)

    @property
    def local_end(self):
        return self.end.astimezone(self.zone)

    def status(self, now=None):
        now = now or timezone.now()
        if now < self.start:
            return EventStatus.UPCOMING
        if now <= self.end:
            return EventStatus.LIVE
        return EventStatus.FINISHED

    @cached_property
    def stream(self):
        return parse_video_url(self.stream_url)

    @cached_property
    def recording(self):
        return parse_video_url(self.recording_url)

    @property
    def is_online(self):
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

    @property
    def map_url(self):
        """Return a plain OpenStreetMap search link for the venue (no embedded map)."""
        query = ", ".join(part for part in (self.address, self.venue, self.city) if part)
        return f"https://www.openstreetmap.org/search?query={quote(query)}" if query else ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["status"] = self.status()
        context["talks"] = list(self.talks.select_related("speaker", "speaker__photo", "article"))
        context["reports"] = list(exclude_private(self.reports.live()).order_by("-date"))
        context["places"] = list(self.audience_places.all())
        context["editions"] = editions_of(self)
        picture = context.get("preview_picture")
        context["event_json_ld"] = event_json_ld(
            self,
            request=request,
            talks=context["talks"],
            image_url=request.build_absolute_uri(picture.url) if picture else "",
        )
        return context

    @path("ics/", name="ics")
    def ics(self, request):
        """Serve this event as an iCalendar file."""
        response = HttpResponse(
            calendar_ics([self], request=request, name=self.title),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.slug}.ics"'
        return response


class Talk(Orderable):
    """A report given at an event: who, what, where it starts in the recording."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="talks")
    speaker = models.ForeignKey(
        "core.Person", verbose_name=_("Speaker"), on_delete=models.PROTECT, related_name="talks"
    )
    title = models.CharField(_("Title"), max_length=300)
    abstract = models.TextField(_("Abstract"), blank=True)
    text = RichTextField(
        _("Full text"),
        blank=True,
        features=["h3", "bold", "italic", "link", "ol", "ul", "blockquote"],
    )
    start_offset = models.DurationField(
        _("Starts in the recording at"), null=True, blank=True, help_text=_("h:mm:ss")
    )
    article = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Separate article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("speaker"),
        FieldPanel("title"),
        FieldPanel("abstract"),
        FieldPanel("start_offset"),
        PageChooserPanel("article", page_type="news.ArticlePage"),
        FieldPanel("text"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Talk")
        verbose_name_plural = _("Talks")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        try:
            length = self.event.recording_length
        except EventPage.DoesNotExist:
            length = None
        if self.start_offset is not None:
            if self.start_offset < timedelta(0):
                raise ValidationError({"start_offset": _("A start time cannot be negative.")})
            if length and self.start_offset > length:
                raise ValidationError(
                    {
                        "start_offset": _(
                            "This start time is after the end of the recording (%(length)s)."
                        )
                        % {"length": length}
                    }
                )

    @property
    def offset_label(self):
        """Return the start offset as 12:34 or 1:02:03."""
        if self.start_offset is None:
            return ""
        seconds = int(self.start_offset.total_seconds())
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"

    def recording_link(self):
        """Return the recording's link that starts playing at this talk, or ""."""
        video = self.event.recording
        if video is None or self.start_offset is None:
            return ""
        seconds = int(self.start_offset.total_seconds())
        if video.provider == "youtube":
            return f"https://www.youtube.com/watch?v={video.video_id}&t={seconds}s"
        separator = "&" if "?" in video.url else "?"
        return f"{video.url}{separator}t={seconds}"


class AudiencePlace(Orderable):
    """A city or country from which people followed the event online."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="audience_places")
    name = models.CharField(_("City or country"), max_length=100)
    is_abroad = models.BooleanField(_("Abroad"), default=False)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("is_abroad")])]

    class Meta(Orderable.Meta):
        verbose_name = _("Place")

    def __str__(self):
        return self.name
