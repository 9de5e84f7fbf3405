"""Cross-posting articles to Telegram through the Bot API (a local server speaking it)."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.images import get_image_model

from iskra.news.models import ArticlePage
from iskra.telegram import services
from iskra.telegram.models import PostStatus, TelegramPost
from tests.factories.news import make_article

pytestmark = pytest.mark.django_db


def new_article(section, publish, **fields):
    article = make_article(section, publish=False, **fields)
    publish(article)
    return ArticlePage.objects.get(pk=article.pk)


def test_first_publish_sends_a_message_with_title_lead_tags_and_button(
    news_section, channels, bot_api, publish
):
    article = new_article(
        news_section,
        publish,
        title="Тарифы < зарплат & цены",
        lead="Рабочие требуют пересмотра тарифов.",
        tags=["трудовые права", "Алматы"],
    )

    (call,) = bot_api.calls("sendMessage")
    assert call.params["chat_id"] == "@iskra_ru"
    assert call.params["parse_mode"] == "HTML"
    assert call.params["text"] == (
        "<b>Тарифы &lt; зарплат &amp; цены</b>\n\nРабочие требуют пересмотра тарифов."
        "\n\n#Алматы #трудовые_права"
    )
    button = call.params["reply_markup"]["inline_keyboard"][0][0]
    assert button == {"text": "Читать на сайте", "url": article.get_full_url()}
    assert button["url"].startswith("http://testserver/ru/")
    post = TelegramPost.objects.get(page=article)
    assert (post.status, post.message_id, post.url) == ("posted", 1, "https://t.me/iskra_ru/1")


def test_article_with_cover_is_sent_as_photo_with_a_caption_within_1024(
    news_section, channels, bot_api, publish
):
    image = get_image_model().objects.first()
    lead = "Слово " * 400
    new_article(news_section, publish, title="С фотографией", lead=lead, cover_image=image)

    (call,) = bot_api.calls("sendPhoto")
    name, data, content_type = call.files["photo"]
    assert content_type == "image/jpeg" and data[:3] == b"\xff\xd8\xff"
    caption = call.params["caption"]
    visible = caption.replace("<b>", "").replace("</b>", "")
    assert len(visible.encode("utf-16-le")) // 2 <= 1024
    assert visible.endswith("Слово…")
    assert '"inline_keyboard"' in call.params["reply_markup"]
    assert TelegramPost.objects.get().has_photo


def test_kazakh_article_goes_to_the_kazakh_channel_with_a_kazakh_button(
    kk_home, channels, bot_api, publish
):
    from iskra.news.models import SectionPage

    section = SectionPage.objects.child_of(kk_home).first()
    new_article(section, publish, title="Жиналыс", lead="Қысқаша.")

    (call,) = bot_api.calls("sendMessage")
    assert call.params["chat_id"] == "@iskra_kk"
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "Сайтта оқу"


def test_republishing_unchanged_sends_nothing_and_changes_edit_the_post(
    news_section, channels, bot_api, publish
):
    article = new_article(news_section, publish, title="Первый заголовок", lead="Лид.")
    publish(article)
    assert [c.method for c in bot_api.calls()] == ["sendMessage"]

    article.title = "Исправленный заголовок"
    publish(article)

    (edit,) = bot_api.calls("editMessageText")
    assert edit.params["message_id"] == 1
    assert edit.params["text"].startswith("<b>Исправленный заголовок</b>")
    assert bot_api.messages[("@iskra_ru", 1)]["text"] == edit.params["text"]
    assert TelegramPost.objects.get().status == PostStatus.POSTED


def test_photo_post_edits_caption_then_media(news_section, channels, bot_api, publish):
    first, second = get_image_model().objects.all()[:2]
    article = new_article(news_section, publish, title="Фото", lead="Лид.", cover_image=first)

    article.lead = "Новый лид."
    publish(article)
    article.cover_image = second
    publish(article)

    (caption,) = bot_api.calls("editMessageCaption")
    assert "Новый лид." in caption.params["caption"]
    (media,) = bot_api.calls("editMessageMedia")
    assert '"media": "attach://photo"' in media.params["media"]
    assert media.files["photo"][1][:3] == b"\xff\xd8\xff"


def test_unpublishing_deletes_the_post(news_section, channels, bot_api, publish, on_commit):
    article = new_article(news_section, publish, title="Снимем")

    with on_commit():
        article.unpublish()

    (call,) = bot_api.calls("deleteMessage")
    assert (call.params["chat_id"], call.params["message_id"]) == ("@iskra_ru", 1)
    assert TelegramPost.objects.get().status == PostStatus.DELETED
    assert bot_api.messages == {}


def test_deleting_the_page_deletes_the_post(news_section, channels, bot_api, publish, on_commit):
    article = new_article(news_section, publish, title="Удалим")

    with on_commit():
        article.delete()

    assert len(bot_api.calls("deleteMessage")) == 1
    post = TelegramPost.objects.get()
    assert post.status == PostStatus.DELETED and post.page is None


def test_unpublishing_keeps_the_post_when_the_setting_says_so(
    news_section, channels, bot_api, publish, on_commit
):
    channels.is_deleting_on_unpublish = False
    channels.save()
    article = new_article(news_section, publish, title="Оставим")

    with on_commit():
        article.unpublish()

    assert bot_api.calls("deleteMessage") == []


@pytest.mark.parametrize("case", ["page opted out", "posting off", "no channel"])
def test_nothing_is_posted_when_not_wanted(news_section, channels, bot_api, publish, case):
    fields = {}
    if case == "page opted out":
        fields["is_crossposted"] = False
    elif case == "posting off":
        channels.is_posting_enabled = False
        channels.save()
    else:
        channels.channel_ru = ""
        channels.save()

    new_article(news_section, publish, title="Не для Телеграма", **fields)

    assert bot_api.calls() == []
    assert not TelegramPost.objects.exists()


def test_pages_published_before_posting_was_on_are_not_posted_on_republish(
    news_section, channels, bot_api, report, publish
):
    report.title = report.title + "!"
    publish(report)

    assert bot_api.calls() == []


def test_scheduled_article_is_posted_when_it_goes_live(news_section, channels, bot_api, on_commit):
    article = make_article(news_section, title="По расписанию", publish=False)
    go_live = timezone.now() + timedelta(hours=1)
    article.go_live_at = go_live
    with on_commit():
        article.save_revision().publish()
    assert bot_api.calls() == []

    # The hour has passed.
    past = timezone.now() - timedelta(minutes=1)
    revision = article.latest_revision
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    with on_commit():
        call_command("publish_scheduled", verbosity=0)

    (call,) = bot_api.calls("sendMessage")
    assert "По расписанию" in call.params["text"]


def test_running_the_delivery_twice_posts_once(news_section, channels, bot_api, publish):
    new_article(news_section, publish, title="Один раз")
    post = TelegramPost.objects.get()

    assert services.deliver(post) is None
    post.status = PostStatus.PENDING  # as if the row were handed out again by mistake
    assert services.queue_publish(post.page, is_first_publish=True) is None
    assert len(bot_api.calls("sendMessage")) == 1


def test_rate_limit_is_retried_after_retry_after(news_section, channels, bot_api, publish):
    bot_api.fail_next(429, "Too Many Requests: retry after 7", retry_after=7)

    new_article(news_section, publish, title="Подождём")

    post = TelegramPost.objects.get()
    assert post.status == PostStatus.RETRYING
    assert "Too Many Requests" in post.last_error
    wait = (post.next_attempt_at - timezone.now()).total_seconds()
    assert 5 < wait <= 7
    assert services.deliver_due() == 0  # not yet
    TelegramPost.objects.update(next_attempt_at=timezone.now())
    assert services.deliver_due() == 1
    assert TelegramPost.objects.get().status == PostStatus.POSTED
    assert len(bot_api.calls("sendMessage")) == 2


def test_server_errors_back_off_exponentially(news_section, channels, bot_api, publish):
    bot_api.fail_next(502, "Bad Gateway", times=2)
    new_article(news_section, publish, title="Сбой")
    first = TelegramPost.objects.get()
    TelegramPost.objects.update(next_attempt_at=timezone.now())
    services.deliver_due()
    second = TelegramPost.objects.get()

    assert second.status == PostStatus.RETRYING and second.attempts == 2
    first_wait = (first.next_attempt_at - first.updated_at).total_seconds()
    second_wait = (second.next_attempt_at - second.updated_at).total_seconds()
    assert round(first_wait) == 30 and round(second_wait) == 60


def test_unreachable_telegram_is_retried(news_section, channels, settings, publish):
    settings.TELEGRAM_API_URL = "http://127.0.0.1:9"  # nothing listens there

    new_article(news_section, publish, title="Нет сети")

    post = TelegramPost.objects.get()
    assert post.status == PostStatus.RETRYING
    assert "could not be reached" in post.last_error


def test_forbidden_stops_and_shows_the_reason_until_retried(
    news_section, channels, bot_api, publish, editor_client
):
    bot_api.fail_next(403, "Forbidden: bot is not a member of the channel chat")
    new_article(news_section, publish, title="Бот не админ")
    post = TelegramPost.objects.get()
    assert post.status == PostStatus.FAILED
    assert services.deliver_due() == 0

    report = editor_client.get("/admin/telegram/?status=failed").content.decode()
    assert "Forbidden: bot is not a member of the channel chat" in report
    assert f"/admin/telegram/{post.pk}/retry/" in report

    response = editor_client.post(f"/admin/telegram/{post.pk}/retry/")

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.POSTED and post.last_error == ""
    assert len(bot_api.calls("sendMessage")) == 2
    assert "https://t.me/iskra_ru/1" in editor_client.get("/admin/telegram/").content.decode()


def test_missing_token_is_an_error_editors_see(news_section, channels, settings, publish):
    settings.TELEGRAM_BOT_TOKEN = None

    new_article(news_section, publish, title="Без токена")

    post = TelegramPost.objects.get()
    assert post.status == PostStatus.FAILED
    assert "TELEGRAM_BOT_TOKEN" in post.last_error


def test_posts_to_one_channel_are_paced(news_section, channels, bot_api, publish, settings):
    settings.TELEGRAM_MESSAGES_PER_MINUTE = 2

    for number in range(3):
        new_article(news_section, publish, title=f"Новость {number}")

    assert len(bot_api.calls("sendMessage")) == 2
    waiting = TelegramPost.objects.get(status=PostStatus.RETRYING)
    assert waiting.page_title == "Новость 2"
    assert 0 < (waiting.next_attempt_at - timezone.now()).total_seconds() <= 60


def test_retry_needs_permission_to_publish(news_section, channels, bot_api, publish, client):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    bot_api.fail_next(400, "Bad Request: chat not found")
    new_article(news_section, publish, title="Чат не найден")
    post = TelegramPost.objects.get()
    user = get_user_model().objects.create_user("reader", "r@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    client.post(f"/admin/telegram/{post.pk}/retry/")

    post.refresh_from_db()
    assert post.status == PostStatus.FAILED
    assert bot_api.calls("sendMessage") != [] and len(bot_api.calls("sendMessage")) == 1


def test_check_telegram_reports_a_ready_setup(channels, bot_api):
    out = io.StringIO()

    call_command("check_telegram", stdout=out)

    assert "Bot: @iskra_bot" in out.getvalue()
    assert "ru: @iskra_ru: ready." in out.getvalue()


def test_check_telegram_names_what_is_missing(channels, bot_api):
    bot_api.member_status["@iskra_kk"] = "member"
    bot_api.member_status["@iskra_ru"] = "missing"
    out = io.StringIO()

    with pytest.raises(CommandError, match="not ready"):
        call_command("check_telegram", stdout=out)

    assert "ru: @iskra_ru: Bad Request: chat not found" in out.getvalue()
    assert "kk: @iskra_kk: the bot lacks can_post_messages" in out.getvalue()


def test_check_telegram_reports_a_wrong_token(channels, bot_api, settings):
    settings.TELEGRAM_BOT_TOKEN = "123:wrong"

    with pytest.raises(CommandError):
        call_command("check_telegram", stdout=io.StringIO())


def test_page_editor_shows_the_telegram_status(
    news_section, channels, bot_api, publish, editor_client
):
    article = new_article(news_section, publish, title="Со статусом")

    html = editor_client.get(f"/admin/pages/{article.pk}/edit/").content.decode()

    assert "Телеграм (@iskra_ru): Опубликован" in html
    assert "https://t.me/iskra_ru/1" in html


def test_published_event_is_cross_posted_too(ru_home, channels, bot_api, publish):
    from iskra.events.models import EventIndexPage, EventPage

    index = EventIndexPage.objects.child_of(ru_home).get()
    start = timezone.now() + timedelta(days=5)
    event = EventPage(
        title="Собрание в Актобе",
        slug="aktobe-meeting",
        start=start,
        end=start + timedelta(hours=2),
        lead="Обсудим проект программы.",
        locale=index.locale,
    )
    index.add_child(instance=event)

    publish(event)

    (call,) = bot_api.calls("sendMessage")
    assert call.params["text"] == "<b>Собрание в Актобе</b>\n\nОбсудим проект программы."
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["url"].endswith(
        "/ru/events/aktobe-meeting/"
    )
