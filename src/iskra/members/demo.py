"""The joining part of the demo site: the application page in both languages, a secretary."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page

from .models import JoinPage
from .services import SECRETARIES_GROUP

TEXTS = {
    "ru": {
        "title": "Вступить",
        "lead": "Заполните заявку — секретарь свяжется с вами в течение недели.",
        "body": [
            "Мы объединяем людей, которые хотят изменить жизнь в стране к лучшему: рабочих, "
            "студентов, учителей, врачей, пенсионеров. Опыт политической работы не нужен.",
            "Расскажите немного о себе и оставьте хотя бы один способ связи.",
        ],
        "confirmation": (
            "<p>Спасибо! Заявка получена.</p><ul><li>Секретарь свяжется с вами в течение "
            "недели тем способом, который вы указали.</li><li>Он расскажет о ближайших "
            "собраниях в вашем городе и ответит на вопросы.</li><li>Ваши данные хранятся в "
            "зашифрованном виде и удаляются после решения по заявке.</li></ul>"
        ),
    },
    "kk": {
        "title": "Қосылу",
        "lead": "Өтінішті толтырыңыз — хатшы бір апта ішінде сізбен байланысады.",
        "body": [
            "Біз елдегі өмірді жақсартқысы келетін адамдарды біріктіреміз: жұмысшыларды, "
            "студенттерді, мұғалімдерді, дәрігерлерді, зейнеткерлерді. Саяси тәжірибе қажет емес.",
            "Өзіңіз туралы аздап айтып, кем дегенде бір байланыс тәсілін қалдырыңыз.",
        ],
        "confirmation": (
            "<p>Рақмет! Өтініш қабылданды.</p><ul><li>Хатшы бір апта ішінде сіз көрсеткен "
            "тәсілмен хабарласады.</li><li>Ол сіздің қалаңыздағы жақын жиналыстар туралы "
            "айтып, сұрақтарға жауап береді.</li><li>Деректеріңіз шифрланып сақталады және "
            "өтініш бойынша шешімнен кейін жойылады.</li></ul>"
        ),
    },
}


def _join_page(home, text, *, translation_of=None):
    privacy = Page.objects.child_of(home).filter(slug="privacy").first()
    body = [{"type": "paragraph", "value": f"<p>{p}</p>"} for p in text["body"]]
    if translation_of is not None:
        page = translation_of.copy_for_translation(home.locale)
    else:
        page = JoinPage(slug="join", locale=home.locale)
    page.title, page.lead, page.body = text["title"], text["lead"], body
    page.confirmation, page.privacy_page = text["confirmation"], privacy
    if translation_of is None:
        home.add_child(instance=page)
    page.save_revision().publish()
    return page


def load(context):
    """Add the join page in Russian and Kazakh and a membership secretary account."""
    ru = _join_page(context.homes["ru"], TEXTS["ru"])
    _join_page(context.homes["kk"], TEXTS["kk"], translation_of=ru)
    User = get_user_model()
    if not User.objects.filter(username="secretary").exists():
        password = secrets.token_urlsafe(12)
        secretary = User.objects.create_user("secretary", "secretary@example.org", password)
        secretary.groups.add(Group.objects.get(name=SECRETARIES_GROUP))
        context.log.append(
            f"Membership secretary (sees the applications inbox): secretary / {password}"
        )
    context.log.append("Join page with the membership application form, in both languages.")
