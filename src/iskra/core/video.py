"""Recognise video links (YouTube, VK Video, Rutube) and build their privacy-friendly players."""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlparse

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

OEMBED_TIMEOUT = 5


@dataclass(frozen=True)
class Video:
    provider: str
    video_id: str
    embed_url: str
    url: str

    @property
    def provider_name(self):
        return {"youtube": "YouTube", "vk": "VK Video", "rutube": "Rutube"}[self.provider]


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VK_ID = re.compile(r"video(-?[0-9]+)_([0-9]+)")
_RUTUBE_ID = re.compile(r"^[0-9a-f]{32}$")


def _youtube(parsed):
    host = parsed.netloc.lower().removeprefix("www.").removeprefix("m.")
    video_id = None
    if host == "youtu.be":
        video_id = parsed.path.strip("/").split("/")[0]
    elif host in {"youtube.com", "youtube-nocookie.com", "music.youtube.com"}:
        if parsed.path == "/watch":
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        else:
            parts = parsed.path.strip("/").split("/")
            if len(parts) >= 2 and parts[0] in {"embed", "shorts", "live", "v"}:
                video_id = parts[1]
    if video_id and _YOUTUBE_ID.match(video_id):
        params = {"autoplay": 1, "rel": 0}
        start = parse_qs(parsed.query).get("t", [""])[0].rstrip("s")
        if start.isascii() and start.isdigit():
            params["start"] = start
        embed = f"https://www.youtube-nocookie.com/embed/{video_id}?{urlencode(params)}"
        return "youtube", video_id, embed
    return None


def _vk(parsed):
    host = parsed.netloc.lower().removeprefix("www.").removeprefix("m.")
    if host not in {"vk.com", "vkvideo.ru", "vk.ru"}:
        return None
    query = parse_qs(parsed.query)
    if parsed.path == "/video_ext.php" and "oid" in query and "id" in query:
        oid, vid = query["oid"][0], query["id"][0]
    else:
        match = _VK_ID.search(parsed.path + "?" + parsed.query)
        if not match:
            return None
        oid, vid = match.groups()
    if not re.fullmatch(r"-?[0-9]+", oid) or not re.fullmatch(r"[0-9]+", vid):
        return None
    params = {"oid": oid, "id": vid, "autoplay": 1}
    if "hash" in query:
        params["hash"] = query["hash"][0]
    return "vk", f"{oid}_{vid}", f"https://vkvideo.ru/video_ext.php?{urlencode(params)}"


def _rutube(parsed):
    host = parsed.netloc.lower().removeprefix("www.")
    if host != "rutube.ru":
        return None
    parts = parsed.path.strip("/").split("/")
    if len(parts) >= 2 and parts[0] in {"video", "play"}:
        video_id = parts[-1] if parts[0] == "play" else parts[1]
        if _RUTUBE_ID.match(video_id):
            return "rutube", video_id, f"https://rutube.ru/play/embed/{video_id}?autoplay=1"
    return None


def parse_video_url(url):
    """Return the ``Video`` a YouTube, VK Video or Rutube link points to, or None."""
    parsed = urlparse((url or "").strip())
    if parsed.scheme not in {"http", "https"}:
        return None
    for recognise in (_youtube, _vk, _rutube):
        found = recognise(parsed)
        if found:
            provider, video_id, embed_url = found
            return Video(provider, video_id, embed_url, url.strip())
    return None


def validate_video_url(url):
    """Raise ValidationError unless ``url`` is a video link Iskra can embed."""
    if parse_video_url(url) is None:
        raise ValidationError(
            _("Paste a link to a YouTube, VK Video or Rutube video."), code="invalid_video"
        )


def check_video_available(url):
    """Return a message when the video at ``url`` is gone or private, else None.

    Asks the provider's oEmbed endpoint (``VIDEO_OEMBED_URLS``; VK Video has none). An
    unreachable provider proves nothing about the video, so it passes. Turned off by
    ``VIDEO_CHECK_LINKS = False``.
    """
    if not getattr(settings, "VIDEO_CHECK_LINKS", True):
        return None
    video = parse_video_url(url)
    endpoint = getattr(settings, "VIDEO_OEMBED_URLS", {}).get(video.provider) if video else None
    if not endpoint:
        return None
    try:
        response = requests.get(
            endpoint, params={"url": video.url, "format": "json"}, timeout=OEMBED_TIMEOUT
        )
    except requests.RequestException:
        return None
    if response.status_code in (401, 403, 404):
        return _("This video cannot be played: it was deleted, is private, or the link is wrong.")
    return None
