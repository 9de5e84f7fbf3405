"""Importing a channel history exported by Telegram Desktop (JSON with its photos folder)."""

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model

from iskra.imports.models import ImportedItem
from iskra.news.models import ArticlePage

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent.parent / "imports" / "files" / "telegram_export"


def run_import(path=EXPORT, *args):
    out = io.StringIO()
    call_command("import_telegram", str(path), "--section", "news", *args, stdout=out)
    return out.getvalue()


def imported():
    return ArticlePage.objects.filter(slug__startswith="tg-").order_by("date")


@pytest.fixture
def export_copy(tmp_path):
    target = tmp_path / "export"
    shutil.copytree(EXPORT, target)
    return target


def drop_date_of_message_4(data):
    for key in ("date", "date_unixtime"):
        data["messages"][3].pop(key)


def edit_export(folder, change):
    path = folder / "result.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_import_creates_an_article_per_post_and_reports_what_it_skipped(news_section):
    report = run_import()

    assert "Создано статей: 5" in report
    assert "Пропущено служебных сообщений: 2" in report
    assert "Пропущено пустых постов: 1" in report
    assert "Фотографий нет в экспорте: 1" in report
    articles = list(imported())
    assert [a.title for a in articles][0] == "Собрание в Караганде"
    assert all(a.live and not a.is_crossposted for a in articles)
    assert all(a.get_parent().pk == news_section.pk for a in articles)


def test_formatting_links_and_hashtags_become_rich_text_and_tags(news_section):
    run_import()

    article = imported().get(title="Собрание в Караганде")
    body = "".join(str(block.value) for block in article.body)
    # The first paragraph has emphasis and a link, so it stays in the body.
    assert article.lead == ""
    assert "<p>В субботу шахтёры и учителя обсудили <i>проект программы</i>" in body
    assert "<p>Следующая встреча через месяц. #Караганда #собрания</p>" in body
    assert sorted(article.tags.names()) == ["Караганда", "собрания"]
    assert article.date.isoformat() == "2024-03-01T09:00:00+00:00"
    assert article.first_published_at == article.date


def test_inline_formatting_survives_in_the_body(news_section, client):
    run_import()

    article = imported().get(title="Собрание в Караганде")
    html = client.get(article.url).content.decode()
    assert "<i>проект программы</i>" in html
    assert '<a href="https://example.org/report">в отчёте</a>' in html


def test_text_without_a_title_line_gets_a_generated_title_and_escaping(news_section):
    run_import()

    article = imported().get(slug__startswith="tg-3-")
    assert article.title.startswith("Напоминаем, что приём вопросов к конференции")
    assert article.title.endswith("…")
    body = "".join(str(block.value) for block in article.body)
    assert "&lt; 500 знаков &amp; по делу" in body


def test_album_becomes_one_article_with_cover_and_images(news_section):
    run_import()

    article = imported().get(title="Пикет у акимата")
    assert article.cover_image is not None
    images = [block.value["image"] for block in article.body if block.block_type == "image"]
    assert len(images) == 2
    assert ImportedItem.objects.filter(page=article).count() == 3


def test_photo_only_post_is_titled_by_its_date(news_section):
    run_import()

    article = imported().get(slug__startswith="tg-7-")
    assert article.title == "Публикация от 1 марта 2024 г."
    assert article.cover_image is not None


def test_importing_again_imports_nothing_twice(news_section):
    run_import()
    images = get_image_model().objects.count()

    report = run_import()

    assert "Создано статей: 0" in report and "Уже импортированы раньше: 5" in report
    assert imported().count() == 5
    assert get_image_model().objects.count() == images


def test_new_posts_in_a_later_export_are_added(news_section, export_copy):
    run_import()

    def add_post(data):
        data["messages"].append(
            {
                "id": 11,
                "type": "message",
                "date": "2024-03-02T10:00:00",
                "date_unixtime": "1709355600",
                "from_id": "channel1987654321",
                "text": "Новый пост.",
                "text_entities": [{"type": "plain", "text": "Новый пост."}],
            }
        )

    edit_export(export_copy, add_post)

    assert "Создано статей: 1" in run_import(export_copy)
    assert imported().count() == 6


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda folder: (folder / "result.json").write_text("{not json"), "некорректный JSON"),
        (
            lambda folder: (folder / "result.json").write_text('{"chats": []}'),
            "нет списка «messages»",
        ),
        (
            lambda folder: edit_export(folder, drop_date_of_message_4),
            "У сообщения 4 нет корректной даты",
        ),
        (
            lambda folder: (folder / "photos" / "photo_2@01-03-2024_10-00-00.jpg").unlink(),
            "нет фотографии photos/photo_2@01-03-2024_10-00-00.jpg",
        ),
        (
            lambda folder: (folder / "photos" / "photo_4@01-03-2024_10-00-00.jpg").write_bytes(
                b"not a jpeg"
            ),
            "нечитаемое изображение",
        ),
        (
            lambda folder: edit_export(
                folder, lambda d: d["messages"][6].update(photo="../../etc/passwd")
            ),
            "вне папки экспорта",
        ),
    ],
)
def test_malformed_export_is_refused_and_nothing_is_imported(
    news_section, export_copy, breakage, message
):
    breakage(export_copy)
    images = get_image_model().objects.count()

    with pytest.raises(CommandError, match="Ничего не импортировано") as error:
        run_import(export_copy)

    assert message in str(error.value)
    assert imported().count() == 0
    assert not ImportedItem.objects.exists()
    assert get_image_model().objects.count() == images


def test_failure_midway_rolls_back_pages_and_image_files(news_section, export_copy, settings):
    # The last post carries a photo that cannot become an image row: the database
    # refuses it after four articles and their images were written.
    media = Path(settings.MEDIA_ROOT)
    before = {p for p in media.rglob("*") if p.is_file()}

    def break_last(data):
        data["messages"][-2]["photo"] = "photos/photo_1@01-03-2024_10-00-00.jpg"
        data["messages"][-2]["text"] = "x" * 300
        data["messages"][-2]["text_entities"] = [{"type": "plain", "text": "x" * 300}]

    edit_export(export_copy, break_last)
    from django.db import connection

    with connection.cursor() as cursor:
        table = ImportedItem._meta.db_table
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION iskra_test_fail() RETURNS trigger AS $$ BEGIN "
                "IF NEW.item = '9' THEN RAISE EXCEPTION 'disk full'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER iskra_test_fail BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION iskra_test_fail()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER iskra_test_fail BEFORE INSERT ON {table} "
                "WHEN NEW.item = '9' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )

    with pytest.raises(Exception, match="disk full"):
        run_import(export_copy)

    assert imported().count() == 0
    assert {p for p in media.rglob("*") if p.is_file()} == before


def test_hyphenated_command_name_works():
    from iskra.cli import main

    with pytest.raises(SystemExit) as exit_:
        import sys

        argv, sys.argv = sys.argv, ["iskra", "import-telegram", "--help"]
        try:
            main()
        finally:
            sys.argv = argv
    assert exit_.value.code == 0


def test_admin_upload_of_a_zipped_export(news_section, editor_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in EXPORT.rglob("*"):
            if path.is_file():
                archive.write(path, Path("ChatExport_2024-03-02") / path.relative_to(EXPORT))
    buffer.seek(0)
    buffer.name = "export.zip"

    response = editor_client.post(
        "/admin/imports/telegram/", {"section": news_section.pk, "export": buffer}, follow=True
    )

    assert "Создано статей: 5" in response.content.decode()
    assert imported().count() == 5


def test_admin_upload_of_a_broken_file_shows_the_reason(news_section, editor_client):
    upload = io.BytesIO(b"PK\x03\x04 truncated")
    upload.name = "export.zip"

    response = editor_client.post(
        "/admin/imports/telegram/", {"section": news_section.pk, "export": upload}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "result.json" in html and ".zip" in html
    assert imported().count() == 0


def test_zip_with_a_path_escaping_the_folder_is_refused(news_section, editor_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../evil.json", "{}")
    buffer.seek(0)
    buffer.name = "export.zip"

    response = editor_client.post(
        "/admin/imports/telegram/", {"section": news_section.pk, "export": buffer}
    )

    assert "../evil.json" in response.content.decode()
