"""The copy's files that are not pages of the site: the old addresses of an imported
site, and the search index."""

from urllib.parse import quote

from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect

from iskra.search.services import write_static_index

from . import links
from .crawl import key_text, text_key, write_if_changed


def _redirect_page(target_href, canonical):
    title = _("This page has moved")
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target_href}">'
        f'<link rel="canonical" href="{canonical}"><meta name="robots" content="noindex">'
        f"<title>{title}</title></head>"
        f'<body><p><a href="{target_href}">{title}</a></p></body></html>\n'
    )


def _entries(crawl):
    """(old address, the copy's file it leads to, the site's address of it)."""
    for redirect in Redirect.objects.filter(is_permanent=True).select_related("redirect_page"):
        target = crawl.internal_key(redirect.link or "", crawl.origin + "/")
        name = crawl.file_of(key_text(target)) if target else None
        if name:
            yield redirect.old_path, name, crawl.origin + crawl.final(key_text(target))
    for text, record in crawl.records.items():
        if record.get("r") and text != "/":
            name = crawl.file_of(text)
            if name:
                yield text, name, crawl.origin + crawl.final(text)


def _nginx_escape(value):
    return value.replace("\\", "\\\\").replace('"', '\\"')


def write_old_addresses(crawl, previous_files):
    """Write every old address that leads to a page of the copy: a redirect page where
    the address can be a file, and all of them as an nginx ``map`` and ``_redirects``.
    Return {"files": the redirect pages, "lines": the ``_redirects`` lines}."""
    map_lines, lines, written = [], [], set()
    for old, name, canonical in sorted(set(_entries(crawl))):
        address = crawl.public_address(name)[len(crawl.base_url) :]
        path, _, query = old.partition("?")
        if query:
            lines.append(f"{quote(path)} {query.replace('&', ' ')} {address} 301")
            map_lines.append(f'    "{_nginx_escape(old)}" {address};')
            continue
        lines.append(f"{quote(path, safe='/')} {address} 301")
        map_lines.append(f'    "{_nginx_escape(path)}" {address};')
        page = links.file_for(path, "", "text/html")
        if links.is_safe(path) and crawl.file_of(path) is None and page not in written:
            html = _redirect_page(links.href_between(page, name), canonical)
            write_if_changed(crawl.build / page, html.encode())
            written.add(page)
    for stale in set(previous_files) - written:
        (crawl.build / stale).unlink(missing_ok=True)
    write_if_changed(crawl.build / "_redirects", ("\n".join(lines) + "\n").encode())
    nginx = [
        "# Old addresses of the site, for nginx: include in the http block, then in the",
        "# server: if ($iskra_old_address) { return 301 $iskra_old_address; }",
        "map $request_uri $iskra_old_address {",
        '    default "";',
        *map_lines,
        "}",
    ]
    write_if_changed(crawl.build / "nginx-redirects.conf", ("\n".join(nginx) + "\n").encode())
    return {"files": sorted(written), "lines": lines}


def write_app_only(crawl):
    """Write ``nginx-app-only.conf``: the addresses whose page in the copy is the copy's
    own version (the join page's notice, the static search), which nginx, serving the
    copy to the site's readers, must leave to the app (deploy/nginx/iskra.conf)."""
    lines = [
        "# Pages of the copy that are not the site's: the app answers them (include in the",
        "# server block that serves the copy to the site's readers).",
    ]
    for text, record in sorted(crawl.records.items()):
        if record.get("v"):
            path = text_key(text)[0]
            lines.append(f'location = "{_nginx_escape(path)}" {{ try_files /-/ @iskra_app; }}')
    write_if_changed(crawl.build / "nginx-app-only.conf", ("\n".join(lines) + "\n").encode())


def write_search_index(crawl, cache, report, live, changed):
    """Write the static search index of the pages in the copy (``live``: {page id:
    [address, …]}; ``changed``: the ids of the pages changed since the cache was made,
    or None); return its cache (the analysed entries, so the next export analyses only
    what changed)."""

    def url_of(page_id, path):
        url = (live.get(str(page_id)) or [None])[0]
        target = crawl.internal_key(url + path, crawl.origin + "/") if url else None
        name = crawl.file_of(key_text(target)) if target else None
        return crawl.public_address(name)[len(crawl.base_url) + 1 :] if name else None

    pages = None if changed is None else {int(pk) for pk in changed}
    index, cache = write_static_index(
        crawl.build / links.SEARCH_INDEX, url_of=url_of, cache=cache, pages=pages
    )
    report.search_documents = index.documents
    report.search_shards = index.shards
    report.written += index.written
    return cache
