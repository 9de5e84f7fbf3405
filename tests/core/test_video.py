import pytest
from django.core.exceptions import ValidationError

from iskra.core.video import parse_video_url, validate_video_url


@pytest.mark.parametrize(
    ("url", "provider", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=ZQm5yBCQGmU",
            "youtube",
            "https://www.youtube-nocookie.com/embed/ZQm5yBCQGmU?autoplay=1&rel=0",
        ),
        (
            "https://youtu.be/ZQm5yBCQGmU?t=95",
            "youtube",
            "https://www.youtube-nocookie.com/embed/ZQm5yBCQGmU?autoplay=1&rel=0&start=95",
        ),
        (
            "https://www.youtube.com/live/ZQm5yBCQGmU",
            "youtube",
            "https://www.youtube-nocookie.com/embed/ZQm5yBCQGmU?autoplay=1&rel=0",
        ),
        (
            "https://vk.com/video-12345_456239017",
            "vk",
            "https://vkvideo.ru/video_ext.php?oid=-12345&id=456239017&autoplay=1",
        ),
        (
            "https://vkvideo.ru/video_ext.php?oid=-1&id=2&hash=abc",
            "vk",
            "https://vkvideo.ru/video_ext.php?oid=-1&id=2&autoplay=1&hash=abc",
        ),
        (
            "https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
            "rutube",
            "https://rutube.ru/play/embed/0123456789abcdef0123456789abcdef?autoplay=1",
        ),
    ],
)
def test_parse_video_url_recognises_providers(url, provider, embed):
    video = parse_video_url(url)
    assert video.provider == provider
    assert video.embed_url == embed


@pytest.mark.parametrize(
    "url",
    [
        "",
        "ftp://youtube.com/watch?v=ZQm5yBCQGmU",
        "https://youtube.com/watch?v=short",
        "https://example.org/video-1_2",
        "javascript:alert(1)",
        "https://rutube.ru/video/xyz/",
    ],
)
def test_unknown_video_links_are_refused(url):
    assert parse_video_url(url) is None
    with pytest.raises(ValidationError):
        validate_video_url(url)


@pytest.mark.django_db
def test_video_facade_loads_nothing_third_party(client, report):
    html = client.get(report.url).content.decode()
    facade = html.split('<figure class="video"')[1].split("</figure>")[0]
    assert 'data-video-embed="https://www.youtube-nocookie.com/embed/' in facade
    assert "<iframe" not in html
    assert '<script src="http' not in html
    assert "ytimg" not in html and "googleapis" not in html
