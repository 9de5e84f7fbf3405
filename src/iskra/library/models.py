"""The library: authors and their works as pages; a work's chapters and paragraphs as rows.

A collected works of 55 volumes has thousands of chapters and a million paragraphs:
pages would be far too slow to create and would load every text into the work's admin
form, so chapters and paragraphs are plain rows under their work, written in bulk by
the importer and read a chapter at a time.
"""

import re

from django.db import models
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField

from iskra.core.models import BasePage, description_of
from iskra.publishing.services import editions_of

DOWNLOAD_TYPES = {
    "epub": "application/epub+zip",
    "pdf": "application/pdf",
    "fb2": "application/x-fictionbook+xml",
    "fb2.zip": "application/zip",
}
NOTE_REFERENCE = re.compile(r'href="#note-([^"]+)"')


class LibraryPage(BasePage):  # noqa: DJ008  (Page defines __str__)
    """The works of the classics in one language."""

    intro = models.TextField(_("Introduction"), blank=True)
    description_fields = ("intro",)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["library.AuthorPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Library")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["authors"] = AuthorPage.objects.child_of(self).live().public()
        return context


class AuthorPage(BasePage):  # noqa: DJ008
    """An author: years of life, portrait, a short biography, the works below."""

    years = models.CharField(_("Years of life"), max_length=40, blank=True)
    portrait = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Portrait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    biography = RichTextField(_("Short biography"), blank=True, features=["bold", "italic", "link"])
    description_fields = ("biography",)

    content_panels = BasePage.content_panels + [
        FieldPanel("years"),
        FieldPanel("portrait"),
        FieldPanel("biography"),
    ]
    parent_page_types = ["library.LibraryPage"]
    subpage_types = ["library.WorkPage"]

    class Meta:
        verbose_name = _("Author")
        verbose_name_plural = _("Authors")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["works"] = WorkPage.objects.child_of(self).live().public()
        other = []
        for translation in self.get_translations().live().select_related("locale"):
            works = WorkPage.objects.child_of(translation).live().public()
            other += [(translation.locale.language_code, work) for work in works]
        context["other_language_works"] = other
        return context


def _chapter_description(work, paragraphs):
    """The chapter's first paragraph of prose (its opening words), else author and work."""
    for paragraph in paragraphs:
        if paragraph.kind == "p" and description_of(paragraph.html):
            return description_of(paragraph.html)
    return f"{work.get_parent().title}. {work.title}"


class WorkPage(RoutablePageMixin, BasePage):  # noqa: DJ008
    """A work: its table of contents here, each chapter at ``<chapter slug>/``."""

    original_title = models.CharField(_("Original title"), max_length=300, blank=True)
    original_language = models.CharField(_("Original language"), max_length=40, blank=True)
    year_written = models.CharField(_("Written"), max_length=40, blank=True)
    translator = models.CharField(_("Translator"), max_length=300, blank=True)
    source = models.CharField(_("Edition or source"), max_length=500, blank=True)
    description = RichTextField(_("Description"), blank=True, features=["bold", "italic", "link"])
    description_fields = ("description",)
    imported_at = models.DateTimeField(_("Imported"), null=True, blank=True, editable=False)

    content_panels = BasePage.content_panels + [
        FieldPanel("original_title"),
        FieldPanel("original_language"),
        FieldPanel("year_written"),
        FieldPanel("translator"),
        FieldPanel("source"),
        FieldPanel("description"),
    ]
    parent_page_types = ["library.AuthorPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Work")
        verbose_name_plural = _("Works")

    @path("", name="contents")
    def contents(self, request):
        """Serve the work's description, downloads and table of contents."""
        chapters = list(self.chapters.only("slug", "title", "depth", "position"))
        return self.render(
            request,
            context_overrides={
                "chapters": chapters,
                "editions": editions_of(self),
                "original": WorkOriginal.objects.filter(work=self).exclude(file="").first(),
            },
        )

    @path("download/<str:kind>/", name="download")
    def download(self, request, kind):
        """Send the work's EPUB, PDF or original file under a readable name."""
        if kind == "original":
            original = WorkOriginal.objects.filter(work=self).first()
            stored, extension = (original.file, original.format) if original else (None, "")
        else:
            edition = editions_of(self).get(kind)
            stored, extension = (edition.file if edition else None), kind
        if not stored:
            raise Http404
        try:
            handle = stored.open("rb")
        except OSError:
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"{self.slug}.{extension}",
            content_type=DOWNLOAD_TYPES.get(extension, "application/octet-stream"),
        )
        response["Cache-Control"] = "public, max-age=3600"
        return response

    @path("<slug:chapter_slug>/", name="chapter")
    def chapter(self, request, chapter_slug):
        chapter = get_object_or_404(Chapter, work=self, slug=chapter_slug)
        paragraphs = list(chapter.paragraphs.all())
        neighbours = Chapter.objects.filter(work=self).only("slug", "title", "position")
        first_reference = {}
        for paragraph in paragraphs:
            for key in paragraph.note_keys():
                first_reference.setdefault(key, paragraph.number)
        keys = first_reference
        image_keys = [p.html for p in paragraphs if p.kind == "image"]
        images = (
            {i.key: i for i in WorkImage.objects.filter(work=self, key__in=image_keys)}
            if image_keys
            else {}
        )
        for paragraph in paragraphs:
            paragraph.image = images.get(paragraph.html) if paragraph.kind == "image" else None
        notes = list(Note.objects.filter(work=self, key__in=keys)) if keys else []
        order = {key: index for index, key in enumerate(keys)}
        notes.sort(key=lambda note: order[note.key])
        for note in notes:
            note.paragraph = first_reference[note.key]
        return self.render(
            request,
            template="library/chapter_page.html",
            context_overrides={
                "chapter": chapter,
                "paragraphs": paragraphs,
                "preview_title": f"{chapter.title} — {self.title}" if chapter.title else self.title,
                "preview_description": _chapter_description(self, paragraphs),
                "previous": neighbours.filter(position__lt=chapter.position)
                .order_by("-position")
                .first(),
                "next": neighbours.filter(position__gt=chapter.position)
                .order_by("position")
                .first(),
                "notes": notes,
            },
        )

    def serve(self, request, *args, **kwargs):
        try:
            return super().serve(request, *args, **kwargs)
        except Chapter.DoesNotExist:
            raise Http404 from None


class Chapter(models.Model):
    """A part, chapter or section of a work, in reading order (``position``)."""

    work = models.ForeignKey(WorkPage, on_delete=models.CASCADE, related_name="chapters")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField()
    depth = models.PositiveSmallIntegerField(default=0)
    slug = models.SlugField(max_length=80, allow_unicode=False)
    title = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "slug"], name="library_chapter_slug"),
        ]
        indexes = [models.Index(fields=["work", "position"], name="library_chapter_order")]

    def __str__(self):
        return self.title or self.slug


class Paragraph(models.Model):
    """A paragraph (or poem, epigraph...) with a stable number: the anchor ``#p-N``."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, default="p")
    html = models.TextField()
    digest = models.CharField(max_length=40)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "number"], name="library_paragraph_number"),
        ]
        indexes = [models.Index(fields=["chapter", "position"], name="library_paragraph_order")]

    def __str__(self):
        return f"{self.chapter_id} §{self.number}"

    def note_keys(self):
        return self.note_keys_in(self.html)

    @staticmethod
    def note_keys_in(html):
        """Return the keys of the notes an HTML fragment refers to, in order."""
        return NOTE_REFERENCE.findall(html)


class Note(models.Model):
    """A footnote of a work, shown under the chapters that refer to it."""

    work = models.ForeignKey(WorkPage, on_delete=models.CASCADE, related_name="notes")
    key = models.CharField(max_length=100)
    html = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "key"], name="library_note_key")]

    def __str__(self):
        return self.key


class WorkImage(models.Model):
    """A picture embedded in an imported book (FB2 ``<binary>``), shown in its chapter."""

    work = models.ForeignKey(WorkPage, on_delete=models.CASCADE, related_name="images")
    key = models.CharField(max_length=200)
    file = models.FileField(upload_to="library/images/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "key"], name="library_image_key")]

    def __str__(self):
        return self.key


class WorkOriginal(models.Model):
    """The file a work was imported from (FB2 or EPUB), kept for download; the work's own
    EPUB and PDF editions are ``publishing.Edition`` rows."""

    work = models.OneToOneField(WorkPage, on_delete=models.CASCADE, related_name="original")
    file = models.FileField(_("Original file"), upload_to="library/originals/", blank=True)
    format = models.CharField(max_length=10, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("Original file")
        verbose_name_plural = _("Original files")

    def __str__(self):
        return f"{self.work_id}: {self.format}"
