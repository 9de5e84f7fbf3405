"""Import a Telegram channel's history (read by ``iskra.imports.telegram``) as articles.

One transaction per import; messages imported before are recognised by their ids
(``iskra.imports.models.ImportedItem``), so running it again adds only new posts.
"""

import html
import tempfile
from dataclasses import dataclass

from anyascii import anyascii
from django.core.files import File
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from iskra.imports.models import ImportedItem
from iskra.imports.telegram import ExportError, extract_upload, parse_export

from .models import ArticlePage

SOURCE_TELEGRAM = "telegram"
LEAD_MAX = 300


@dataclass
class ImportReport:
    created: int = 0
    already_imported: int = 0
    skipped_service: int = 0
    skipped_empty: int = 0
    missing_photos: int = 0

    def lines(self):
        return [
            _("Articles created: %(n)s") % {"n": self.created},
            _("Already imported before: %(n)s") % {"n": self.already_imported},
            _("Service messages skipped: %(n)s") % {"n": self.skipped_service},
            _("Empty posts skipped: %(n)s") % {"n": self.skipped_empty},
            _("Photos not included in the export: %(n)s") % {"n": self.missing_photos},
        ]


def _title(post, language):
    if post.title:
        return post.title
    if post.plain_text:
        first_line = post.plain_text.split("\n", 1)[0]
        return Truncator(Truncator(first_line).words(12, truncate="…")).chars(120, truncate="…")
    with translation.override(language):
        day = formats.date_format(timezone.localtime(post.date), "DATE_FORMAT")
        return _("Post of %(date)s") % {"date": day}


def _unique_slug(section, base):
    slug, number = base, 2
    siblings = set(section.get_children().values_list("slug", flat=True))
    while slug in siblings:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _image(path, title, created_files):
    image = get_image_model()(title=title[:255])
    with path.open("rb") as handle:
        image.file.save(path.name, File(handle), save=False)
    created_files.append(image.file.name)
    image.save()
    return image


def _create_article(post, *, section, channel_name, created_files):
    language = section.locale.language_code
    title = _title(post, language)
    paragraphs = list(post.paragraphs)
    lead = ""
    # A short first paragraph without links or emphasis becomes the lead (plain text).
    if len(paragraphs) > 1 and "<" not in paragraphs[0][3:-4]:
        first = html.unescape(strip_tags(paragraphs[0]))
        if len(first) <= LEAD_MAX:
            lead, paragraphs = first, paragraphs[1:]
    images = [_image(path, title, created_files) for path in post.photos]
    body = [{"type": "paragraph", "value": paragraph} for paragraph in paragraphs]
    body += [
        {"type": "image", "value": {"image": image.pk, "caption": "", "credit": channel_name}}
        for image in images[1:]
    ]
    base = slugify(anyascii(title))[:50].strip("-") or "post"
    article = ArticlePage(
        title=title[:255],
        slug=_unique_slug(section, f"tg-{post.message_ids[0]}-{base}".strip("-")),
        locale=section.locale,
        date=post.date,
        first_published_at=post.date,
        lead=lead,
        body=body,
        cover_image=images[0] if images else None,
        cover_credit=channel_name[:200],
        is_crossposted=False,
    )
    section.add_child(instance=article)
    if post.hashtags:
        article.tags.set([tag.replace("_", " ") for tag in dict.fromkeys(post.hashtags)])
        article.save()
    article.save_revision().publish()
    return article


def import_telegram_export(path, *, section):
    """Import a Telegram Desktop export into ``section`` as published articles.

    Runs in one transaction: on any error nothing is saved and the image files
    already written are removed. Messages imported before (from the same channel)
    are skipped, so running it again adds only new posts. Raises ExportError.
    """
    export = parse_export(path)
    container = export.channel_id or export.name
    if not container:
        raise ExportError(_("result.json names no channel (no id and no name)."))
    report = ImportReport(
        skipped_service=export.skipped_service, skipped_empty=export.skipped_empty
    )
    created_files = []
    try:
        with transaction.atomic():
            for post in export.posts:
                items = [str(number) for number in post.message_ids]
                if ImportedItem.objects.filter(
                    source=SOURCE_TELEGRAM, container=container, item__in=items
                ).exists():
                    report.already_imported += 1
                    continue
                article = _create_article(
                    post, section=section, channel_name=export.name, created_files=created_files
                )
                ImportedItem.objects.bulk_create(
                    ImportedItem(
                        source=SOURCE_TELEGRAM, container=container, item=item, page=article
                    )
                    for item in items
                )
                report.created += 1
                report.missing_photos += post.missing_photos
    except Exception:
        storage = get_image_model()._meta.get_field("file").storage
        for name in created_files:
            storage.delete(name)
        raise
    return report


def import_telegram_upload(upload, *, section):
    """Import an uploaded export (see ``extract_upload``); return the ImportReport."""
    with tempfile.TemporaryDirectory(prefix="iskra-telegram-") as folder:
        return import_telegram_export(extract_upload(upload, folder), section=section)
