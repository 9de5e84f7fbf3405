import gzip
import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

LIMIT_BYTES = 40 * 1024


def test_article_page_weighs_under_40_kb_compressed_without_images(client, report):
    html = client.get(report.url).content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert {a.rsplit(b".", 1)[1] for a in assets} == {b"css", b"js"}
    total = len(gzip.compress(html, 9))
    for asset in assets:
        with open(finders.find(asset.decode()), "rb") as handle:
            total += len(gzip.compress(handle.read(), 9))
    assert total <= LIMIT_BYTES, f"{total} bytes"


def test_pages_are_served_compressed(client, report):
    response = client.get(report.url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
