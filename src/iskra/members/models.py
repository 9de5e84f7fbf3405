"""Joining: the application page, encrypted applications, secretaries' notes, the audit log."""

from django.conf import settings
from django.db import models
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from iskra.core.blocks import BaseStreamBlock
from iskra.core.mirror import mark_copy_variant
from iskra.core.models import BasePage

from .encryption import EncryptedTextField
from .regions import Region


class JoinPage(RoutablePageMixin, BasePage):  # noqa: DJ008  (Page defines __str__)
    """The membership application form, with the editor's text around it."""

    lead = models.TextField(_("Lead"), blank=True)
    description_fields = ("lead",)
    body = StreamField(BaseStreamBlock(), verbose_name=_("Text above the form"), blank=True)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Privacy policy page"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the consent checkbox; applicants must be able to read it."),
    )
    confirmation = RichTextField(
        _("Confirmation"),
        features=["bold", "italic", "link", "ul", "ol"],
        help_text=_("Shown after sending: what happens next."),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        FieldPanel("body"),
        PageChooserPanel("privacy_page"),
        FieldPanel("confirmation"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("lead")]
    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Join page")
        verbose_name_plural = _("Join pages")

    @path("")
    @method_decorator(sensitive_post_parameters())
    def apply(self, request):
        """Show the form; on a valid POST store the application and redirect."""
        from .views import apply  # the views import these models (the inbox)

        response = apply(self, request)
        # The form carries a CSRF token and a start time: never share it through a cache.
        add_never_cache_headers(response)
        return mark_copy_variant(request, response)  # the copy shows a notice instead

    @path("sent/", name="sent")
    def sent(self, request):
        """Say that the application arrived and what happens next (no personal data)."""
        return self.render(request, template="members/join_page_sent.html")

    def sent_url(self, request):
        return self.get_url(request) + self.reverse_subpage("sent")

    def redirect_to_sent(self, request):
        return HttpResponseRedirect(self.sent_url(request))


class Status(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Application(models.Model):
    """One person's application; every personal field is encrypted at rest.

    The number (primary key), dates, status and language are stored in the clear so that
    the inbox can sort and filter and retention can find expired applications.
    """

    created_at = models.DateTimeField(_("Received"), default=timezone.now, db_index=True)
    language = models.CharField(_("Language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    status_changed_at = models.DateTimeField(_("Status changed"), default=timezone.now)
    consented_at = models.DateTimeField(_("Consent to data processing given"))
    privacy_policy_url = models.URLField(_("Privacy policy agreed to"), blank=True)

    name = EncryptedTextField(_("Name"))
    region = EncryptedTextField(_("City or region"))
    country = EncryptedTextField(_("Country"), blank=True)
    phone = EncryptedTextField(_("Phone"), blank=True)
    telegram = EncryptedTextField(_("Telegram"), blank=True)
    email = EncryptedTextField(_("Email"), blank=True)
    message = EncryptedTextField(_("Message"), blank=True)

    class Meta:
        verbose_name = _("Membership application")
        verbose_name_plural = _("Membership applications")
        ordering = ["-created_at", "-id"]
        permissions = [("process_application", _("Can process membership applications"))]
        indexes = [models.Index(fields=["status", "status_changed_at"])]

    def __str__(self):
        # Never personal data: this text reaches logs, messages and the audit log.
        return _("Application #%(number)s") % {"number": self.pk}

    @property
    def number(self):
        return self.pk

    def get_region_display(self):
        label = Region(self.region).label if self.region in Region.values else self.region
        return f"{label}: {self.country}" if self.country else label


class ApplicationNote(models.Model):
    """A secretary's note on an application (encrypted: notes often hold personal data)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    text = EncryptedTextField(_("Note"))

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return _("Note on application #%(number)s") % {"number": self.application_id}


class AuditAction(models.TextChoices):
    RECEIVED = "received", _("Received")
    LISTED = "listed", _("Listed")
    VIEWED = "viewed", _("Viewed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    NOTE_ADDED = "note_added", _("Note added")
    EXPORTED = "exported", _("Exported")
    DELETED = "deleted", _("Deleted after the retention period")
    REENCRYPTED = "reencrypted", _("Re-encrypted with a new key")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """Who did what to which application, and when; append-only, never personal data."""

    at = models.DateTimeField(_("When"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the log still names a user account that was deleted later.
    actor_name = models.CharField(_("Who"), max_length=150, blank=True)
    action = models.CharField(_("What"), max_length=32, choices=AuditAction.choices)
    application_number = models.BigIntegerField(_("Application"), null=True, db_index=True)
    detail = models.CharField(_("Detail"), max_length=1000, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Audit log entry")
        verbose_name_plural = _("Audit log")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)
