"""Read a channel history exported by Telegram Desktop ("Export chat history", JSON).

The export is a folder with ``result.json`` and the media it names (``photos/...``).
``parse_export`` turns it into plain posts: albums (consecutive photo messages sent at
the same second by the same sender, which is how Desktop writes them: it keeps no
album id) become one post; service messages and posts with neither text nor photo are
counted and skipped. Every problem is reported as ``ExportError`` naming the message.
"""

import html
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image as PILImage

from .uploads import UploadError, unpack

MAX_JSON_BYTES = 512 * 1024 * 1024
TITLE_MAX = 140
# Desktop writes this instead of a path when media were not exported.
NOT_INCLUDED = "(File not included"
INLINE_TAGS = {"bold": "b", "italic": "i"}


class ExportError(ValueError):
    """The export cannot be imported; the message says why and where."""


@dataclass
class Post:
    """One future article: the ids of its messages, date, text and photos."""

    message_ids: list
    date: datetime
    title: str = ""
    paragraphs: list = field(default_factory=list)  # rich text HTML, one per paragraph
    plain_text: str = ""
    photos: list = field(default_factory=list)  # Paths inside the export folder
    hashtags: list = field(default_factory=list)
    missing_photos: int = 0


@dataclass
class ChannelExport:
    name: str
    channel_id: str
    posts: list
    skipped_service: int = 0
    skipped_empty: int = 0


def _load(path):
    path = Path(path)
    if path.is_dir():
        path = path / "result.json"
    if not path.is_file():
        raise ExportError(_("%(path)s not found.") % {"path": path})
    if path.stat().st_size > MAX_JSON_BYTES:
        raise ExportError(_("%(path)s is larger than 512 MB.") % {"path": path.name})
    try:
        with path.open("rb") as handle:
            data = json.load(handle)
    except UnicodeDecodeError:
        raise ExportError(_("result.json is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise ExportError(
            _("result.json is not valid JSON (line %(line)s, column %(column)s: %(error)s).")
            % {"line": error.lineno, "column": error.colno, "error": error.msg}
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ExportError(
            _(
                'result.json is not a Telegram Desktop chat export: it has no "messages" '
                "list. Export one chat or channel as JSON."
            )
        )
    return path.parent, data


def _date(message, number):
    unix = message.get("date_unixtime")
    try:
        if unix is not None:
            return datetime.fromtimestamp(int(unix), tz=UTC)
        # Older exports: local time of the exporting computer, without a zone.
        return datetime.fromisoformat(message["date"]).replace(tzinfo=UTC)
    except (KeyError, TypeError, ValueError):
        raise ExportError(_("Message %(number)s has no valid date.") % {"number": number}) from None


def _segments(message, number):
    """Return [(entity type, text, href)] of a message's text."""
    entities = message.get("text_entities")
    if entities is None:
        text = message.get("text", "")
        entities = text if isinstance(text, list) else [{"type": "plain", "text": text}]
    segments = []
    for entity in entities:
        if isinstance(entity, str):
            entity = {"type": "plain", "text": entity}
        if not isinstance(entity, dict) or not isinstance(entity.get("text", ""), str):
            raise ExportError(_("Message %(number)s has malformed text.") % {"number": number})
        segments.append((entity.get("type", "plain"), entity.get("text", ""), entity.get("href")))
    return segments


def _safe_href(href):
    return href if re.match(r"^(https?://|mailto:|tg://)", href or "", re.IGNORECASE) else ""


def _html_of(kind, text, href):
    """Return rich text HTML for one entity, never letting a tag cross a line break."""
    pieces = []
    for line in text.split("\n"):
        escaped = html.escape(line, quote=False)
        if not line:
            pieces.append("")
        elif kind in INLINE_TAGS:
            tag = INLINE_TAGS[kind]
            pieces.append(f"<{tag}>{escaped}</{tag}>")
        elif kind in ("link", "text_link", "email", "mention"):
            target = {
                "link": line if "://" in line else f"https://{line}",
                "text_link": href or "",
                "email": f"mailto:{line}",
                "mention": f"https://t.me/{line.lstrip('@')}",
            }[kind]
            target = _safe_href(target)
            pieces.append(f'<a href="{html.escape(target)}">{escaped}</a>' if target else escaped)
        else:
            pieces.append(escaped)
    return "\n".join(pieces)


def _paragraphs(segments):
    markup = "".join(_html_of(kind, text, href) for kind, text, href in segments)
    paragraphs = []
    for block in re.split(r"\n\s*\n", markup):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            paragraphs.append("<p>" + "<br/>".join(lines) + "</p>")
    return paragraphs


def _looks_like_title(first_line, rest, segments):
    if not rest.strip() or not 3 <= len(first_line) <= TITLE_MAX:
        return False
    if first_line.endswith((":", ",", ";", "…")):
        return False
    first_entity = next((s for s in segments if s[1].strip()), None)
    is_bold = first_entity is not None and first_entity[0] == "bold"
    return is_bold or not first_line.endswith(".")


def _photo(message, folder, number):
    """Return (path or None, is_missing) of the message's photo."""
    name = message.get("photo")
    if not name:
        return None, False
    if not isinstance(name, str) or name.startswith(NOT_INCLUDED):
        return None, True
    path = (folder / name).resolve()
    if folder.resolve() not in path.parents:
        raise ExportError(
            _("Message %(number)s names a file outside the export folder: %(name)s")
            % {"number": number, "name": name}
        )
    if not path.is_file():
        raise ExportError(
            _(
                "Message %(number)s: the photo %(name)s is missing. Import the whole "
                "export folder (result.json with its photos folder)."
            )
            % {"number": number, "name": name}
        )
    try:
        with PILImage.open(path) as picture:
            picture.verify()
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError):
        raise ExportError(
            _("Message %(number)s: %(name)s is not a readable image.")
            % {"number": number, "name": name}
        ) from None
    return path, False


def _is_album_part(previous, message):
    return (
        previous is not None
        and message.get("photo")
        and previous.get("photo")
        and message.get("date_unixtime", message.get("date"))
        == previous.get("date_unixtime", previous.get("date"))
        and message.get("from_id") == previous.get("from_id")
        and not (_has_text(previous) and _has_text(message))
    )


def _has_text(message):
    text = message.get("text", "")
    if isinstance(text, list):
        return any(
            (part if isinstance(part, str) else part.get("text", "")).strip() for part in text
        )
    return bool(str(text).strip())


def _post_from(group, folder):
    first_number = group[0]["id"]
    post = Post(message_ids=[m["id"] for m in group], date=_date(group[0], first_number))
    segments = []
    for message in group:
        segments += _segments(message, message["id"])
        path, missing = _photo(message, folder, message["id"])
        if path is not None:
            post.photos.append(path)
        post.missing_photos += int(missing)
    full = "".join(text for _kind, text, _href in segments)
    stripped = full.lstrip()
    post.plain_text = stripped.strip()
    post.hashtags = [text.lstrip("#") for kind, text, _href in segments if kind == "hashtag"]
    first_line, _newline, rest = stripped.partition("\n")
    if _looks_like_title(first_line.strip(), rest, segments):
        post.title = first_line.strip()
        # Drop the title's characters (and the line break after it) from the body.
        remaining = len(full) - len(stripped) + len(first_line) + 1
        body = []
        for kind, text, href in segments:
            if remaining <= 0:
                body.append((kind, text, href))
            elif len(text) <= remaining:
                remaining -= len(text)
            else:
                body.append((kind, text[remaining:], href))
                remaining = 0
        segments = body
    post.paragraphs = _paragraphs(segments)
    return post


def parse_export(path):
    """Return the ``ChannelExport`` of the export at ``path`` (folder or result.json)."""
    folder, data = _load(path)
    export = ChannelExport(
        name=str(data.get("name") or ""), channel_id=str(data.get("id") or ""), posts=[]
    )
    groups, previous = [], None
    for index, message in enumerate(data["messages"], start=1):
        if not isinstance(message, dict) or "id" not in message or "type" not in message:
            raise ExportError(
                _('Entry %(index)s of "messages" is not a message (no id or type).')
                % {"index": index}
            )
        if message["type"] != "message":
            export.skipped_service += 1
            previous = None
            continue
        if _is_album_part(previous, message):
            groups[-1].append(message)
        else:
            groups.append([message])
        previous = message
    for group in groups:
        post = _post_from(group, folder)
        if not post.plain_text and not post.photos:
            export.skipped_empty += 1
            continue
        export.posts.append(post)
    return export


ZIP_MAX_BYTES = 4 * 1024**3
ZIP_MAX_ENTRIES = 100_000


def extract_upload(upload, folder):
    """Unpack an uploaded export (.zip of the folder, or result.json) into ``folder``.

    Refuses archives that are corrupt, too large when unpacked, or hold paths that
    would escape the folder. Returns the folder to import.
    """
    folder = Path(folder)
    name = (upload.name or "").lower()
    if name.endswith(".json"):
        with (folder / "result.json").open("wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
        return folder
    try:
        unpack(upload, folder, max_bytes=ZIP_MAX_BYTES, max_entries=ZIP_MAX_ENTRIES)
    except UploadError as error:
        raise ExportError(str(error)) from None
    except zipfile.BadZipFile:
        raise ExportError(
            _("The file is neither result.json nor a readable .zip of the export folder.")
        ) from None
    found = sorted(folder.rglob("result.json"), key=lambda p: len(p.parts))
    if not found:
        raise ExportError(_("The archive holds no result.json."))
    return found[0].parent
