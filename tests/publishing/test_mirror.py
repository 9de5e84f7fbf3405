"""The static mirror: `iskra export-mirror` writes a copy that works under any address.

The copy of a site built from factories is served by a plain static server under a
sub-path and crawled: every link answers, no page leads back to the site but where it
should, and old addresses, forms and the signed archive behave as a volunteer needs.
"""

import functools
import io
import json
import re
import tarfile
import threading
import urllib.request
from html import unescape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import HTTPError
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation
from wagtail.contrib.redirects.models import Redirect

from iskra.publishing import services
from tests.factories import core, members, news

pytestmark = pytest.mark.django_db

ORIGIN_HOST = "testserver"
MIRROR_URL = "https://mirror.example/iskra"
_TAG = re.compile(r"<(\w+)\b([^>]*)>")
_LINK = re.compile(r'(?<![\w-])(href|src|action)="([^"]*)"')


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def copy(module_db, tmp_path_factory):
    """The demo site with a few more articles and an old address, exported and served by
    a static file server under ``/iskra/``."""
    section = news.section("ru", title="Профсоюзы")
    article = news.article(
        section=section,
        title="Учителя Шымкента объявили забастовку",
        lead="Педагоги требуют выплатить долги по зарплате за три месяца.",
        tags=["забастовка"],
    )
    for number in range(25):  # more than a listing's page
        news.article(section=section, title=f"Заметка номер {number}", lead="Короткая заметка.")
    kk_section = news.section("kk", title="Кәсіподақтар")
    news.article(
        section=kk_section,
        title="Мұғалімдер ереуілге шықты",
        lead="Шымкент мұғалімдері жалақы қарызын өтеуді талап етеді.",
    )
    Redirect.objects.create(old_path="/novosti/123-uchitelya.html", redirect_page=article)
    root = tmp_path_factory.mktemp("static-host")
    out = io.StringIO()
    with override_settings(LANGUAGE_CODE="en"):
        call_command("export_mirror", str(root / "iskra"), "--base-url", MIRROR_URL, stdout=out)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {
        "root": root / "iskra",
        "url": f"http://127.0.0.1:{server.server_port}/iskra/",
        "report": out.getvalue(),
        "article": article,
    }
    server.shutdown()


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except HTTPError as error:
        return error.code, "", b""


def crawl(start):
    """Return {url: (status, links)} of every page reachable inside ``start``."""
    seen, queue, pages = {start}, [start], {}
    while queue:
        url = queue.pop()
        status, kind, body = fetch(url)
        found = []
        if status == 200 and kind == "text/html":
            for tag, attributes in _TAG.findall(body.decode()):
                for attribute, value in _LINK.findall(attributes):
                    found.append((tag, attributes, attribute, unescape(value)))
        for _tag, _attributes, attribute, value in found:
            target = urljoin(url, value).split("#")[0]
            if target.startswith(start) and target not in seen and attribute != "action":
                seen.add(target)
                queue.append(target)
        pages[url] = (status, found)
    return pages


@pytest.fixture(scope="module")
def crawled(copy):
    return crawl(copy["url"])


def test_every_link_of_the_copy_answers_under_a_sub_path(copy, crawled):
    broken = [url for url, (status, _links) in crawled.items() if status != 200]
    assert broken == []
    assert len(crawled) > 300  # the demo's pages in three scripts, listings, files
    assert "Copy written to" in copy["report"] and "Not in the copy" not in copy["report"]


def test_no_page_leads_back_to_the_site_but_its_head_and_main_site_links(crawled):
    leading_back = set()
    for url, (_status, found) in crawled.items():
        for tag, attributes, _attribute, value in found:
            if urlsplit(value).netloc != ORIGIN_HOST:
                continue
            in_head = tag == "link" and ("canonical" in attributes or "hreflang" in attributes)
            if not in_head and "data-main-site" not in attributes:
                leading_back.add((url, value))
    assert leading_back == set()


def test_every_page_of_the_live_sitemap_is_in_the_copy(copy, client):
    live = client.get("/sitemap.xml").content.decode()
    addresses = re.findall(r"<loc>http://testserver/([^<]*)</loc>", live)
    assert len(addresses) > 50
    missing = [a for a in addresses if fetch(copy["url"] + a)[0] != 200]
    assert missing == []
    copied = (copy["root"] / "sitemap.xml").read_text()
    assert f"<loc>{MIRROR_URL}/ru/" in copied and "testserver" not in copied


def test_listing_pages_and_the_front_page_work_in_the_copy(copy):
    section = copy["article"].get_parent()
    status, _kind, body = fetch(copy["url"] + f"ru/{section.slug}/")
    html = body.decode()
    assert status == 200 and 'rel="next" href="index.page-2.html"' in html
    status, _kind, body = fetch(copy["url"] + f"ru/{section.slug}/index.page-2.html")
    assert status == 200 and "Заметка номер 0" in body.decode()
    status, _kind, front = fetch(copy["url"])
    assert status == 200 and 'href="ru/"' in front.decode() and 'href="kk/"' in front.decode()


def test_the_join_form_is_replaced_by_the_main_sites_address(copy, client):
    page = members.join_page("ru")
    call_command("export_mirror", str(copy["root"]), stdout=io.StringIO())
    status, _kind, body = fetch(copy["url"] + page.url.lstrip("/"))
    html = body.decode()
    assert status == 200
    assert 'method="post"' not in html and "Это копия сайта" in html
    assert f'href="http://testserver{page.url}" data-main-site' in html
    assert 'method="post"' in client.get(page.url).content.decode()  # the site is unchanged


def test_old_addresses_come_as_pages_and_server_rules(copy):
    target = copy["article"].url
    status, _kind, body = fetch(copy["url"] + "novosti/123-uchitelya.html")
    assert status == 200
    refresh = re.search(r'url=([^"]+)"', body.decode()).group(1)
    assert urljoin(copy["url"] + "novosti/", refresh) == copy["url"] + target.lstrip("/")
    assert f"/novosti/123-uchitelya.html {target} 301" in (copy["root"] / "_redirects").read_text()
    assert (
        f'"/novosti/123-uchitelya.html" {target};'
        in (copy["root"] / "nginx-redirects.conf").read_text()
    )


def test_the_search_index_holds_the_texts_with_their_word_forms(copy):
    index = copy["root"] / "search-index"
    meta = json.loads((index / "meta.json").read_text())
    assert set(meta["languages"]) == {"ru", "kk"} and meta["documents"] > 100
    shards = [json.loads(p.read_text()) for p in (index / "s").glob("*.json")]
    forms = {form: terms for shard in shards for form, terms in shard["f"].items()}
    terms = {term: postings for shard in shards for term, postings in shard["t"].items()}
    assert forms["забастовку"] == ["забастовк"] and "забастовк" in terms
    documents = [
        json.loads((index / "d" / f"{n}.json").read_text()) for n in terms["забастовк"][1::2]
    ]
    found = [doc for doc in documents if doc["t"] == "Учителя Шымкента объявили забастовку"]
    assert found and fetch(copy["url"] + found[0]["u"])[0] == 200
    assert max(p.stat().st_size for p in (index / "s").glob("*.json")) < 100_000


def test_the_copy_replaces_the_previous_one_in_one_step(copy, tmp_path):
    first = copy["root"].resolve()
    call_command("export_mirror", str(copy["root"]), stdout=io.StringIO())
    assert copy["root"].is_symlink() and copy["root"].resolve() != first
    assert (copy["root"] / "index.html").exists()


def test_a_folder_that_is_not_a_copy_is_left_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("не трогать")
    with override_settings(LANGUAGE_CODE="en"), pytest.raises(CommandError, match="not a copy"):
        call_command("export_mirror", str(tmp_path), stdout=io.StringIO())
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_signed_archive_verifies_and_a_changed_one_does_not(copy, tmp_path):
    private, public = services.new_key()
    archive = tmp_path / "copy.tar.gz"
    with override_settings(MIRROR_SIGNING_KEY=private):
        packed = services.pack_mirror(copy["root"], archive)
    assert packed.public_key == public and packed.files > 300
    out = io.StringIO()
    with override_settings(LANGUAGE_CODE="en"):
        call_command("verify_mirror", str(archive), "--public-key", public, stdout=out)
    assert f"{packed.files} files checked" in out.getvalue()

    _other_private, other_public = services.new_key()
    with translation.override("en"), pytest.raises(services.MirrorError, match="does not match"):
        services.verify_mirror(archive, public_key=other_public)

    changed = tmp_path / "changed.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(changed, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name == "mirror/robots.txt":
                data = b"User-agent: *\nDisallow: /\n"
                member.size = len(data)
            target.addfile(member, io.BytesIO(data) if data is not None else None)
    with translation.override("en"), pytest.raises(services.MirrorError, match="was changed"):
        services.verify_mirror(changed, public_key=public)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not an archive", "is not a copy's archive"), (None, "no signed manifest")],
)
def test_verify_refuses_what_is_not_a_signed_copy(tmp_path, content, message):
    archive = tmp_path / "file.tar.gz"
    if content is None:
        with tarfile.open(archive, "w:gz") as tar:
            tar.addfile(tarfile.TarInfo("mirror/index.html"), io.BytesIO(b""))
    else:
        archive.write_bytes(content)
    _private, public = services.new_key()
    with override_settings(LANGUAGE_CODE="en"), pytest.raises(CommandError, match=message):
        call_command("verify_mirror", str(archive), "--public-key", public)


def test_packing_without_a_key_says_how_to_make_one(copy, tmp_path):
    with (
        override_settings(MIRROR_SIGNING_KEY="", LANGUAGE_CODE="en"),
        pytest.raises(CommandError, match="iskra mirror-key"),
    ):
        call_command(
            "export_mirror",
            str(tmp_path / "c"),
            "--archive",
            str(tmp_path / "a.tgz"),
            stdout=io.StringIO(),
        )
    assert not (tmp_path / "a.tgz").exists() and not (tmp_path / "c").exists()


def test_mirror_key_prints_a_pair_that_signs_and_verifies(tmp_path):
    out = io.StringIO()
    with override_settings(LANGUAGE_CODE="en"):
        call_command("mirror_key", stdout=out)
    private = re.search(r"MIRROR_SIGNING_KEY=(\S+)", out.getvalue()).group(1)
    public = re.search(r"--public-key (\S+)", out.getvalue()).group(1)
    assert services.public_key_of(private) == public
    assert services.public_key_of(private.rstrip("=")) == public  # padding lost in a copy


def test_the_footer_lists_the_mirror_addresses_of_the_settings(client):
    core.site_settings(mirror_addresses="https://mirror.example/iskra/\n\n http://abc.onion/ ")
    footer = client.get("/kk/").content.decode().split('class="site-footer"', 1)[1]
    assert "Сайт ашылмаса" in footer
    assert '<a href="https://mirror.example/iskra/" rel="noopener">' in footer
    assert '<a href="http://abc.onion/" rel="noopener">' in footer


def test_a_mirror_address_that_is_not_a_web_address_is_refused():
    options = core.site_settings()
    options.mirror_addresses = "https://mirror.example/\nftp://files.example/"
    with translation.override("en"), pytest.raises(ValidationError, match="ftp://files"):
        options.full_clean()


def _files(root):
    return {
        path.relative_to(root).as_posix(): path
        for path in root.rglob("*")
        if path.is_file() and path.suffix != ".ics"  # calendars carry the time they were made
    }


def test_exporting_again_renders_only_what_a_change_reaches(tmp_path):
    section = news.section("ru", title="Экология")
    first = news.article(section=section, title="Субботник в парке", days_ago=3, tags=["экология"])
    second = news.article(section=section, title="Свалка у реки", days_ago=2)
    target = tmp_path / "copy"
    full = services.export_mirror(target)
    before = target.resolve()

    second.title = "Свалку у реки убрали"
    second.save_revision().publish()
    # A new article under a tag another article has: the tag's listing shows it.
    news.article(section=section, title="Посадили сто деревьев", tags=["экология"])
    again = services.export_mirror(target)

    assert again.is_incremental and again.rendered < full.rendered / 3
    html = (target / second.url.lstrip("/") / "index.html").read_text()
    assert "Свалку у реки убрали" in html
    listing = (target / section.url.lstrip("/") / "index.html").read_text()
    assert "Свалку у реки убрали" in listing and "Свалка у реки" not in listing
    # Files the change does not reach are the previous copy's own (hard links).
    about = "ru/about/index.html"
    assert (target / about).stat().st_ino == (before / about).stat().st_ino
    # And the pages are what a full export writes. (The search index numbers documents
    # in the order they came, and its word list keeps the forms it has seen.)
    fresh = tmp_path / "fresh"
    services.export_mirror(fresh)
    mine, theirs = _files(target.resolve()), _files(fresh.resolve())
    pages = {n for n in theirs if not n.startswith("search-index/")}
    assert {n for n in mine if not n.startswith("search-index/")} == pages
    assert [n for n in sorted(pages) if mine[n].read_bytes() != theirs[n].read_bytes()] == []
    titles = {json.loads(mine[n].read_text())["t"] for n in mine if "search-index/d/" in n}
    assert {"Свалку у реки убрали", "Посадили сто деревьев"} <= titles
    assert "Свалка у реки" not in titles
    assert first.url.lstrip("/") + "index.html" in mine
    tag_page = next(name for name in mine if "/tag/" in name and name.startswith(section.url[1:]))
    assert "Посадили сто деревьев" in mine[tag_page].read_text()


def test_an_unpublished_page_leaves_the_copy(tmp_path):
    section = news.section("ru", title="Экология")
    article = news.article(section=section, title="Черновик о выбросах")
    target = tmp_path / "copy"
    services.export_mirror(target)
    assert (target / article.url.lstrip("/") / "index.html").exists()

    article.unpublish()
    report = services.export_mirror(target)

    assert report.removed >= 1
    assert not (target / article.url.lstrip("/") / "index.html").exists()
    listing = (target / section.url.lstrip("/") / "index.html").read_text()
    assert "Черновик о выбросах" not in listing


def test_with_mirror_dir_a_publish_updates_the_copy(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MIRROR_DIR = str(tmp_path / "copy")
    section = news.section("ru", title="Экология")
    with django_capture_on_commit_callbacks(execute=True):
        article = news.article(section=section, title="Лес у Бурабая спасли")
    html = (tmp_path / "copy" / article.url.lstrip("/") / "index.html").read_text()
    assert "Лес у Бурабая спасли" in html


def test_downloads_keep_the_names_the_site_gives_them(copy, crawled):
    books = sorted(p.relative_to(copy["root"]).as_posix() for p in copy["root"].rglob("*.epub"))
    assert books and not any(name.endswith("/index.epub") for name in books)
    linked = {
        urljoin(url, value)
        for url, (_status, found) in crawled.items()
        for _tag, _attributes, _attribute, value in found
    }
    assert all(copy["url"] + quote(name) in linked for name in books)
