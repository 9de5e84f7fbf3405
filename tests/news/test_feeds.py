import feedparser
import pytest

pytestmark = pytest.mark.django_db

FEEDS = [
    "/feeds/ru/rss.xml",
    "/feeds/ru/atom.xml",
    "/feeds/kk/rss.xml",
    "/feeds/kk/atom.xml",
    "/feeds/ru/news/rss.xml",
    "/feeds/ru/statements/atom.xml",
    "/feeds/kk/news/rss.xml",
]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_parses_cleanly(client, url):
    parsed = feedparser.parse(client.get(url).content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert len(parsed.entries) > 0


@pytest.mark.parametrize("url", ["/feeds/ru/rss.xml", "/feeds/ru/atom.xml"])
def test_feed_carries_full_text_cover_and_authors(client, url, report):
    parsed = feedparser.parse(client.get(url).content)
    entry = next(e for e in parsed.entries if e.title == report.title)
    assert entry.link == f"http://testserver{report.url}"
    content = entry.content[0].value
    assert "Съезд открыл председатель профсоюза угольщиков." in content
    assert 'src="http' in content or "<img" not in content
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) > 1000
    assert enclosure.href.startswith("http://testserver/media/")
    assert "Айгерим Сапарова" in entry.author
    assert {tag.term for tag in entry.tags} == {"съезд", "Караганда"}


def test_feed_is_in_the_requested_language(client):
    parsed = feedparser.parse(client.get("/feeds/kk/rss.xml").content)
    assert parsed.feed.language == "kk"
    assert parsed.feed.title == "Қазақстан Социалистік партиясы"
    assert all("/kk/" in entry.link for entry in parsed.entries)


def test_section_feed_only_holds_its_section(client):
    parsed = feedparser.parse(client.get("/feeds/ru/statements/rss.xml").content)
    assert all("/ru/statements/" in entry.link for entry in parsed.entries)
    assert parsed.feed.title.startswith("Заявления")


@pytest.mark.parametrize(
    "url", ["/feeds/en/rss.xml", "/feeds/ru/no-section/rss.xml", "/feeds/ru/about/atom.xml"]
)
def test_unknown_feed_is_404(client, url):
    assert client.get(url).status_code == 404


def test_feed_orders_newest_first(client):
    parsed = feedparser.parse(client.get("/feeds/ru/rss.xml").content)
    dates = [entry.published_parsed for entry in parsed.entries]
    assert dates == sorted(dates, reverse=True)
