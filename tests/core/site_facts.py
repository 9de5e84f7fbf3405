"""What a reader, an editor and a secretary see of a site, as JSON: run as a program in
a site's environment (``python -m tests.core.site_facts``), it prints the facts that a
backup and a restore must keep the same."""

import hashlib
import json
import re
import sys

SEARCHES = (
    ("ru", "горняки"),
    ("ru", "резолюции"),
    ("kk", "кеншілердің"),
    ("kk", "kenşıler"),
    ("ru", "профсоюзам"),
)


def _sha(field_file):
    with field_file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def facts():
    from django.test import Client
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, Revision

    from iskra.library.models import Chapter
    from iskra.members.models import Application

    images = sorted(
        [image.title, image.file.name, _sha(image.file), image.renditions.count()]
        for image in get_image_model().objects.all()
    )
    client = Client(HTTP_HOST="127.0.0.1")
    pages = []
    for page in Page.objects.live().public().specific().order_by("path"):
        url = page.get_url()
        response = client.get(url) if url else None
        title = ""
        if response is not None and response.status_code == 200:
            found = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
            title = " ".join(found.group(1).split()) if found else ""
        pages.append(
            [url, page.title, page._meta.label, response.status_code if response else 0, title]
        )
    revisions = sorted(
        [
            revision.object_id,
            revision.base_content_type.model,
            hashlib.sha256(
                json.dumps(revision.content, sort_keys=True, ensure_ascii=False).encode()
            ).hexdigest(),
        ]
        for revision in Revision.objects.all()
    )
    documents = sorted(
        [document.title, document.file.name, _sha(document.file)]
        for document in get_document_model().objects.all()
    )
    chapters = sorted(
        [chapter.work.title, chapter.position, chapter.title, chapter.paragraphs.count()]
        for chapter in Chapter.objects.select_related("work")
    )
    searches = {}
    for language, query in SEARCHES:
        html = client.get(f"/{language}/search/", {"q": query}).content.decode()
        searches[f"{language}:{query}"] = re.findall(
            r'<li class="search-result.*?<h2><a href="([^"]+)">', html, re.S
        )
    applications = sorted(
        [item.name, item.region, item.phone, item.email, item.message, item.status]
        for item in Application.objects.all()
    )
    return {
        "pages": pages,
        "revisions": revisions,
        "images": images,
        "documents": documents,
        "chapters": chapters,
        "searches": searches,
        "applications": applications,
    }


if __name__ == "__main__":
    import django

    django.setup()
    from django.test import override_settings

    # The pages' static files are not collected here; their addresses do not matter.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": plain,
        }
    ):
        json.dump(facts(), sys.stdout, ensure_ascii=False)
