"""The admin's *Imports › Old site* page, its history, and *Reports › Addresses not found*."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from wagtail.models import Page

from iskra.imports.models import ImportedItem, MissingAddress, SiteImport
from tests.factories.old_sites import sample_dle_site, sample_wordpress_site

pytestmark = pytest.mark.django_db
URL = "/admin/imports/site/"


def zipped(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.rglob("*"):
            if path.is_file():
                archive.write(path, f"uploads/{path.relative_to(folder)}")
    return SimpleUploadedFile("uploads.zip", buffer.getvalue(), content_type="application/zip")


@override_settings(LANGUAGE_CODE="en")
def test_administrator_imports_a_dle_site_and_reads_its_report(editor_client, tmp_path):
    dump, uploads = sample_dle_site(tmp_path)
    path = dump.write(tmp_path / "dump.sql")
    response = editor_client.post(
        URL,
        {
            "source": "dle",
            "export": SimpleUploadedFile("dump.sql", path.read_bytes()),
            "uploads": zipped(uploads),
            "language_of": "stati=kk",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Articles created: 5" in html and "Images imported: 3" in html
    run = SiteImport.objects.get(file_name="dump.sql")
    assert run.status == "done" and run.user.username == "chief"
    record = ImportedItem.objects.get(source="dle", container="post", item="5")
    assert Page.objects.get(pk=record.page_id).locale.language_code == "kk"
    listing = editor_client.get(URL).content.decode()
    assert "dump.sql" in listing and f"/admin/imports/site/{run.pk}/" in listing


def test_wordpress_dry_run_in_the_admin_saves_nothing(editor_client, tmp_path):
    export, uploads = sample_wordpress_site(tmp_path)
    pages = Page.objects.count()
    response = editor_client.post(
        URL,
        {
            "source": "wordpress",
            "export": SimpleUploadedFile("export.xml", export.read_bytes()),
            "uploads": zipped(uploads),
            "is_dry_run": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Page.objects.count() == pages
    assert SiteImport.objects.get(file_name="export.xml").is_dry_run


@override_settings(LANGUAGE_CODE="en")
def test_bad_upload_is_refused_with_its_reason(editor_client, tmp_path):
    pages = Page.objects.count()
    response = editor_client.post(
        URL,
        {
            "source": "wordpress",
            "export": SimpleUploadedFile("export.xml", b"<rss><channel/></rss>"),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "not a WordPress export" in response.content.decode()
    assert Page.objects.count() == pages
    assert SiteImport.objects.get(file_name="export.xml").status == "failed"


def test_uploads_that_are_not_a_zip_are_refused(editor_client, tmp_path):
    dump, _uploads = sample_dle_site(tmp_path)
    response = editor_client.post(
        URL,
        {
            "source": "dle",
            "export": SimpleUploadedFile("dump.sql", dump.write(tmp_path / "d.sql").read_bytes()),
            "uploads": SimpleUploadedFile("uploads.tar", b"not a zip"),
        },
    )
    assert response.status_code == 200 and not SiteImport.objects.exists()


def test_zip_that_escapes_its_folder_is_refused(editor_client, tmp_path):
    dump, _uploads = sample_dle_site(tmp_path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../evil.txt", "x")
    response = editor_client.post(
        URL,
        {
            "source": "dle",
            "export": SimpleUploadedFile("dump.sql", dump.write(tmp_path / "d.sql").read_bytes()),
            "uploads": SimpleUploadedFile("uploads.zip", buffer.getvalue()),
        },
    )
    assert response.status_code == 200
    assert not (tmp_path.parent / "evil.txt").exists()
    assert not ImportedItem.objects.filter(source="dle").exists()


def test_editors_who_are_not_administrators_cannot_import(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    response = client.get(URL)  # Wagtail answers a refused admin page with its dashboard
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert "/admin/imports/site/" not in client.get("/admin/").content.decode()


def test_missing_addresses_report_lists_and_dismisses(editor_client, client):
    client.get("/staraya-stranica.html")
    client.get("/staraya-stranica.html")
    response = editor_client.get("/admin/reports/addresses-not-found/")
    html = response.content.decode()
    assert "/staraya-stranica.html" in html and "<td>2</td>" in html
    address = MissingAddress.objects.get(path="/staraya-stranica.html")
    editor_client.post(f"/admin/reports/addresses-not-found/{address.pk}/dismiss/")
    assert not MissingAddress.objects.filter(path="/staraya-stranica.html").exists()


def test_admin_menu_offers_the_imports(editor_client):
    html = editor_client.get("/admin/").content.decode()
    assert "/admin/imports/site/" in html and "/admin/reports/addresses-not-found/" in html
