"""Cross-posting: keep one Telegram post per page and channel in step with the page.

Publishing queues a ``TelegramPost`` action (post, edit or delete); ``deliver`` claims
the row with a conditional UPDATE, so only one worker ever sends it, performs the Bot
API call and records the outcome. Passing failures are retried later (after Telegram's
``retry_after``, else with exponential backoff) by the scheduler; failures an editor
must fix stop and are shown in the admin.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from . import client
from .formatting import post_content
from .models import Delivery, PostStatus, TelegramPost, TelegramSettings

logger = logging.getLogger(__name__)

WAITING = (PostStatus.PENDING, PostStatus.RETRYING)
MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=10)
PHOTO_SPEC = "max-1280x1280|format-jpeg"


def _messages_per_minute():
    return getattr(settings, "TELEGRAM_MESSAGES_PER_MINUTE", 20)


def channel_for(page):
    """Return the channel ``page`` is cross-posted to, or "" when it is not."""
    site = page.get_site()
    if site is None:
        return ""
    options = TelegramSettings.for_site(site)
    if not options.is_posting_enabled:
        return ""
    return options.channel_for(page.locale.language_code)


def _image_digest(image_id):
    if not image_id:
        return ""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return ""
    return hashlib.sha256(f"{image.pk}:{image.file.name}".encode()).hexdigest()


def queue_publish(page, *, is_first_publish):
    """Record what publishing ``page`` asks of Telegram; return the post to deliver or None.

    A first publish queues a new post; a republish of a posted page queues an edit
    when its title, lead, tags or image changed. Pages published before cross-posting
    was switched on, or with "post to Telegram" off, are left alone.
    """
    page = page.specific
    if not getattr(page, "is_crossposted", False):
        return None  # pages without the switch (home, sections, join...) cost no query
    channel = channel_for(page)
    if not channel:
        return None
    content = post_content(page, url=page.get_full_url())
    image_digest = _image_digest(content.image_id)
    post = TelegramPost.objects.filter(page=page, channel=channel).first()
    if post is None:
        if not is_first_publish:
            return None
        post, created = TelegramPost.objects.get_or_create(
            page=page,
            channel=channel,
            defaults={"page_title": page.title[:255], "action": "post"},
        )
        return post
    changed = post.text_digest != content.text_digest or post.image_digest != image_digest
    if post.status == PostStatus.POSTED and changed:
        TelegramPost.objects.filter(pk=post.pk, status=PostStatus.POSTED).update(
            status=PostStatus.PENDING,
            action="edit",
            attempts=0,
            next_attempt_at=None,
            page_title=page.title[:255],
            updated_at=timezone.now(),
        )
        post.refresh_from_db()
        return post
    if post.status == PostStatus.FAILED:
        retry(post)
        post.refresh_from_db()
    return post if post.status in WAITING else None


def queue_removal(page_id):
    """Queue the deletion of the page's posts (when the settings ask); return them."""
    queued = []
    for post in TelegramPost.objects.filter(page_id=page_id).exclude(status=PostStatus.DELETED):
        page = Page.objects.filter(pk=page_id).first()
        site = page.get_site() if page is not None else None
        if site is not None and not TelegramSettings.for_site(site).is_deleting_on_unpublish:
            continue
        if post.message_id is None:
            # Never sent: cancel it.
            TelegramPost.objects.filter(pk=post.pk).exclude(status=PostStatus.SENDING).update(
                status=PostStatus.DELETED, updated_at=timezone.now()
            )
            continue
        TelegramPost.objects.filter(pk=post.pk).exclude(status=PostStatus.SENDING).update(
            status=PostStatus.PENDING,
            action="delete",
            attempts=0,
            next_attempt_at=None,
            updated_at=timezone.now(),
        )
        queued.append(post)
    return queued


def _claim(post):
    """Take the post for this worker; return False when another worker has it or it is done."""
    now = timezone.now()
    claimed = (
        TelegramPost.objects.filter(pk=post.pk, status__in=WAITING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(
            status=PostStatus.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    return claimed == 1


def _wait_for_pacing(channel):
    """Return when the channel may take another message, or None if it may now."""
    now = timezone.now()
    recent = Delivery.objects.filter(channel=channel, sent_at__gt=now - timedelta(minutes=1))
    if recent.count() < _messages_per_minute():
        return None
    oldest = recent.order_by("sent_at").values_list("sent_at", flat=True).first()
    return oldest + timedelta(minutes=1)


def _photo_file(image_id):
    image = get_image_model().objects.get(pk=image_id)
    rendition = image.get_rendition(PHOTO_SPEC)
    with rendition.file.open("rb") as handle:
        return (f"iskra-{image.pk}.jpg", handle.read(), "image/jpeg")


def _send(post, page):
    """Perform the post's action with the Bot API; return the fields to save."""
    if post.action == "delete":
        client.call("deleteMessage", chat_id=post.channel, message_id=post.message_id)
        return {"status": PostStatus.DELETED}
    page = page.specific
    content = post_content(page, url=page.get_full_url())
    image_digest = _image_digest(content.image_id)
    if post.action == "edit" and post.message_id:
        _edit(post, content, replace_photo=image_digest != post.image_digest)
        return {
            "status": PostStatus.POSTED,
            "text_digest": content.text_digest,
            "image_digest": image_digest,
        }
    message = _post(post.channel, content)
    chat = message.get("chat") or {}
    return {
        "status": PostStatus.POSTED,
        "message_id": message["message_id"],
        "chat_username": chat.get("username") or "",
        "has_photo": bool(content.image_id),
        "text_digest": content.text_digest,
        "image_digest": image_digest,
        "posted_at": timezone.now(),
    }


def _post(channel, content):
    """Send a new message (a photo with its caption, or text); return Telegram's message."""
    common = {"chat_id": channel, "parse_mode": "HTML", "reply_markup": content.reply_markup}
    if content.image_id:
        return client.call(
            "sendPhoto",
            files={"photo": _photo_file(content.image_id)},
            caption=content.html,
            **common,
        )
    return client.call(
        "sendMessage", text=content.html, link_preview_options={"is_disabled": True}, **common
    )


def _edit(post, content, *, replace_photo):
    """Edit the sent message: its photo (when it changed), caption or text."""
    message = {"chat_id": post.channel, "message_id": post.message_id}
    common = {**message, "parse_mode": "HTML", "reply_markup": content.reply_markup}
    if post.has_photo and content.image_id and replace_photo:
        media = {"type": "photo", "media": "attach://photo", "caption": content.html}
        client.call(
            "editMessageMedia",
            files={"photo": _photo_file(content.image_id)},
            media={**media, "parse_mode": "HTML"},
            reply_markup=content.reply_markup,
            **message,
        )
    elif post.has_photo:
        client.call("editMessageCaption", caption=content.html, **common)
    else:
        client.call(
            "editMessageText",
            text=content.html,
            link_preview_options={"is_disabled": True},
            **common,
        )


def _release(post, **fields):
    fields.setdefault("updated_at", timezone.now())
    TelegramPost.objects.filter(pk=post.pk, status=PostStatus.SENDING).update(**fields)


def deliver(post):
    """Perform the post's waiting action once, if this worker can claim it.

    Returns the status it ended in, or None when there was nothing to do here.
    Side effects: one Bot API call at most; the row's status, message id, attempts
    and error are saved (each write its own transaction).
    """
    post = TelegramPost.objects.filter(pk=post.pk).first()
    if post is None or post.status not in WAITING:
        return None
    wait_until = _wait_for_pacing(post.channel)
    if wait_until is not None:
        TelegramPost.objects.filter(pk=post.pk, status__in=WAITING).update(
            status=PostStatus.RETRYING, next_attempt_at=wait_until
        )
        return PostStatus.RETRYING
    if not _claim(post):
        return None
    post.refresh_from_db()
    page = Page.objects.filter(pk=post.page_id).first() if post.page_id else None
    if page is None and post.action != "delete":
        _release(post, status=PostStatus.DELETED, last_error="The page no longer exists.")
        return PostStatus.DELETED
    try:
        fields = _send(post, page)
    except client.TelegramError as error:
        return _record_failure(post, error)
    Delivery.objects.create(channel=post.channel)
    _release(post, last_error="", next_attempt_at=None, action="", **fields)
    return fields["status"]


def _record_failure(post, error):
    if error.is_retryable and post.attempts < MAX_ATTEMPTS:
        delay = error.retry_after or min(30 * 2 ** (post.attempts - 1), 3600)
        _release(
            post,
            status=PostStatus.RETRYING,
            last_error=f"{error.description} (attempt {post.attempts}; retrying)",
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        return PostStatus.RETRYING
    if post.action == "delete" and error.error_code == 400 and "not found" in error.description:
        # Already gone from the channel (deleted by hand): nothing left to do.
        _release(post, status=PostStatus.DELETED, last_error=error.description)
        return PostStatus.DELETED
    logger.warning("Telegram post %s failed: %s", post.pk, error.description)
    _release(post, status=PostStatus.FAILED, last_error=error.description)
    return PostStatus.FAILED


def retry(post):
    """Put a failed post back in the queue (an editor's "retry"); return True if it was."""
    return bool(
        TelegramPost.objects.filter(pk=post.pk, status=PostStatus.FAILED).update(
            status=PostStatus.PENDING, attempts=0, next_attempt_at=None, updated_at=timezone.now()
        )
    )


def deliver_due():
    """Deliver every waiting post whose time has come; return how many were sent.

    Also fails claims left by a worker that stopped mid-call: whether Telegram got the
    message is unknown, so an editor checks the channel before retrying.
    """
    now = timezone.now()
    TelegramPost.objects.filter(status=PostStatus.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=PostStatus.FAILED,
        last_error="Interrupted while sending; check the channel before retrying.",
        updated_at=now,
    )
    Delivery.objects.filter(sent_at__lt=now - timedelta(minutes=10)).delete()
    due = TelegramPost.objects.filter(status__in=WAITING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    done = 0
    for post in due.order_by("next_attempt_at", "pk")[:100]:
        if deliver(post) in (PostStatus.POSTED, PostStatus.DELETED):
            done += 1
    return done


def check_setup(site):
    """Check the token and each channel's rights; return (report lines, is_ready)."""
    options = TelegramSettings.for_site(site)
    lines, ready = [], True
    try:
        bot = client.call("getMe")
    except client.TelegramError as error:
        return [f"Bot token: {error.description}"], False
    lines.append(f"Bot: @{bot.get('username')} (id {bot.get('id')})")
    if not options.is_posting_enabled:
        lines.append("Posting is switched off in Settings › Telegram.")
    for language in ("ru", "kk"):
        channel = options.channel_for(language)
        if not channel:
            lines.append(f"{language}: no channel configured.")
            continue
        try:
            member = client.call("getChatMember", chat_id=channel, user_id=bot["id"])
        except client.TelegramError as error:
            lines.append(f"{language}: {channel}: {error.description}")
            ready = False
            continue
        rights = [
            right
            for right in ("can_post_messages", "can_edit_messages", "can_delete_messages")
            if not member.get(right)
        ]
        if member.get("status") not in ("administrator", "creator") or rights:
            missing = ", ".join(rights) or "administrator status"
            lines.append(f"{language}: {channel}: the bot lacks {missing}.")
            ready = False
        else:
            lines.append(f"{language}: {channel}: ready.")
    return lines, ready
