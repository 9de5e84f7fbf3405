"""Read a list of an old site's addresses (its sitemap.xml, or a text file of URLs) and
check where each of them lands now, through the whole site as a reader's request would
go: ``iskra check-redirects`` verifies a migration before the domain moves."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

MAX_HOPS = 5
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class UrlListError(ValueError):
    """The list of old addresses cannot be read."""


@dataclass
class Checked:
    url: str
    status: int
    landed: str  # the last address reached
    hops: int

    @property
    def is_ok(self):
        return self.status == 200


def _sitemap_urls(path, seen):
    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise UrlListError(
            _("%(file)s is not a readable sitemap: %(error)s") % {"file": path.name, "error": error}
        ) from error
    urls = []
    for loc in root.iter(f"{_SITEMAP_NS}loc"):
        address = (loc.text or "").strip()
        if root.tag == f"{_SITEMAP_NS}sitemapindex":
            # An index of sitemaps: read those lying next to it (nothing is downloaded).
            part = path.parent / Path(urlsplit(address).path).name
            if part.is_file() and part not in seen:
                seen.add(part)
                urls += _sitemap_urls(part, seen)
            else:
                raise UrlListError(
                    _("The sitemap index names %(part)s; put that file next to it.")
                    % {"part": part.name}
                )
        elif address:
            urls.append(address)
    return urls


def read_url_list(path):
    """Return the addresses in ``path``: a sitemap (or sitemap index) or one URL a line."""
    path = Path(path)
    if not path.is_file():
        raise UrlListError(_("The file %(path)s does not exist.") % {"path": path})
    head = path.read_bytes()[:512].lstrip()
    if head.startswith(b"<"):
        return _sitemap_urls(path, {path})
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _host():
    base = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").netloc
    hosts = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
    return base or (hosts[0] if hosts else "localhost")


def check_urls(urls):
    """Request each old address (its path and query) and follow the redirects; return a
    ``Checked`` per address."""
    client = Client(HTTP_HOST=_host())
    results = []
    # Each request activates its page's language; the command goes on in its own.
    with translation.override(translation.get_language()):
        for url in urls:
            results.append(_check(client, url))
    return results


def _check(client, url):
    """Request ``url``'s path and query, following redirects; return a ``Checked``."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    status, hops = 0, 0
    while True:
        response = client.get(target)
        status = response.status_code
        if status not in (301, 302, 307, 308) or hops >= MAX_HOPS:
            break
        hops += 1
        location = urlsplit(response["Location"])
        target = location.path + (f"?{location.query}" if location.query else "")
    return Checked(url=url, status=status, landed=target, hops=hops)
