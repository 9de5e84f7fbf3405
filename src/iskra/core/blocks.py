"""StreamField blocks shared by every content app; an app's stream extends ``BaseStreamBlock``."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from .video import parse_video_url, validate_video_url


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading")), ("h3", _("Subheading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "core/blocks/heading_block.html"
        preview_value = {"text": "Итоги конференции", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)
    credit = blocks.CharBlock(label=_("Credit"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "core/blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=200)
    language = blocks.ChoiceBlock(
        label=_("Language of the quote"),
        choices=[("ru", "Русский"), ("kk", "Қазақша")],
        required=False,
        help_text=_(
            "Set it when the quote is not in the page's language: a Russian quote on a "
            "Kazakh page stays in Cyrillic in the Latin view."
        ),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "core/blocks/quote_block.html"
        preview_value = {
            "text": "Пролетариям нечего терять, кроме своих цепей.",
            "attribution": "К. Маркс, Ф. Энгельс",
        }


class VideoValue(blocks.StructValue):
    @cached_property
    def video(self):
        return parse_video_url(self.get("url"))


class VideoBlock(blocks.StructBlock):
    """A video shown as a click-to-load facade: nothing third-party loads before the click."""

    url = blocks.URLBlock(
        label=_("Video link"),
        help_text=_("A YouTube, VK Video or Rutube link."),
        validators=[validate_video_url],
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "core/blocks/video_block.html"
        value_class = VideoValue
        preview_value = {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Видео"}


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "core/blocks/document_block.html"


class CollapsibleBlock(blocks.StructBlock):
    """Text folded under a title until the reader opens it (``<details>``; no script)."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.RichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "link", "ol", "ul", "superscript", "subscript"],
    )

    class Meta:
        icon = "collapse-down"
        label = _("Collapsible text")
        template = "core/blocks/collapsible_block.html"
        preview_value = {"title": "Резолюция целиком", "text": "<p>Текст резолюции.</p>"}


class BaseStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul", "superscript", "subscript"],
        preview_value="<p>Текст статьи.</p>",
    )
    heading = HeadingBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    document = DocumentBlock()
    collapsible = CollapsibleBlock()
