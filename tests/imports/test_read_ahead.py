"""An old site's file is read in a process of its own while the import saves: the same
items and the same site facts as reading it here, and its errors arrive whole."""

import os
import signal

import pytest

from iskra.core import parallel
from iskra.imports.archive import Author, Item, ReadingStopped, Site
from iskra.imports.mysqldump import DumpError

pytestmark = pytest.mark.skipif(
    parallel.processes() < 2, reason="one processor here: the file is read in this process"
)


def site_of(stream):
    site = Site(source="dle", uploads=None)
    site.stream = lambda: stream(site)
    return site


def posts(count, *, fail_at=None, die_at=None):
    def stream(site):
        for number in range(1, count + 1):
            if number == fail_at:
                raise DumpError(f"Строка {number}: дамп обрывается посреди таблицы dle_post.")
            if number == die_at:
                os.kill(os.getpid(), signal.SIGKILL)
            site.authors.setdefault(f"author{number % 7}", Author(f"author{number % 7}", "Имя"))
            site.hosts.add(f"old{number % 3}.example.kz")
            site.tag_paths.setdefault(f"тег {number % 11}", [f"/tags/тег {number % 11}/"])
            site.comments += 2
            yield Item(kind="post", key=str(number), title=f"Новость {number}", slug=f"n{number}")

    return stream


def test_items_and_site_facts_are_those_read_here(monkeypatch):
    ahead = site_of(posts(250))
    items = list(ahead.items())
    monkeypatch.setenv("BULK_PROCESSES", "1")
    here = site_of(posts(250))
    expected = list(here.items())

    assert items == expected and len(items) == 250
    assert ahead.authors == here.authors and len(ahead.authors) == 7
    assert ahead.hosts == here.hosts == {"old0.example.kz", "old1.example.kz", "old2.example.kz"}
    assert ahead.tag_paths == here.tag_paths and ahead.comments == here.comments == 500


def test_an_error_of_the_reader_arrives_with_its_words_after_the_items_before_it():
    site = site_of(posts(250, fail_at=130))
    seen = []

    with pytest.raises(DumpError, match="Строка 130: дамп обрывается посреди таблицы dle_post"):
        for item in site.items():
            seen.append(item.key)

    assert seen == [str(n) for n in range(1, 130)]
    assert site.comments == 2 * 129  # what reading those added came along


def test_a_reader_killed_midway_is_an_error_not_a_short_import():
    site = site_of(posts(250, die_at=120))

    with pytest.raises(ReadingStopped, match=r"\(.*-9\)"):  # SIGKILL, in any language
        list(site.items())


def test_an_item_that_cannot_cross_to_the_importer_stops_reading_with_the_reason():
    def stream(site):
        yield Item(kind="post", key="1", title="Новость 1", slug="n1")
        broken = Item(kind="post", key="2", title="Новость 2", slug="n2")
        broken.notes = [lambda: None]  # cannot be pickled
        yield broken

    with pytest.raises(ValueError, match="local object"):  # the pickling error's words
        list(site_of(stream).items())
