"""The demo site: both language trees, settings, people and each app's own demo content.

``load_demo()`` builds everything in one transaction and does nothing when the demo is
already there. Content apps contribute through a ``demo`` module with a
``load(context)`` function, called in INSTALLED_APPS order after the core is built.
"""

import io
import random
import secrets
from dataclasses import dataclass, field
from importlib import import_module
from math import cos, sin
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from .models import FooterLink, HomePage, Person, SiteSettings, StandardPage


@dataclass
class DemoContext:
    """What the core demo built, handed to each app's ``demo.load``."""

    homes: dict
    people: dict = field(default_factory=dict)
    images: list = field(default_factory=list)
    log: list = field(default_factory=list)

    def image(self, index):
        return self.images[index % len(self.images)]


PALETTES = [
    ((179, 22, 27), (60, 10, 12)),
    ((30, 60, 110), (10, 20, 40)),
    ((200, 120, 30), (90, 30, 10)),
    ((40, 110, 80), (10, 40, 30)),
    ((90, 90, 100), (20, 20, 25)),
    ((150, 30, 90), (40, 10, 30)),
]


def make_picture(seed, *, size=(1200, 675), title="Demo image"):
    """Return a Wagtail image drawn locally: a gradient with stars and rays, no network."""
    rng = random.Random(seed)
    top, bottom = PALETTES[seed % len(PALETTES)]
    width, height = size
    picture = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        colour = tuple(int(top[i] * (1 - t) + bottom[i] * t) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)
    cx, cy = rng.randint(width // 4, width * 3 // 4), rng.randint(height // 4, height * 3 // 4)
    for _ in range(18):
        angle = rng.random() * 6.283
        end = (cx + cos(angle) * width, cy + sin(angle) * width)
        draw.line([(cx, cy), end], fill=(255, 255, 255), width=rng.randint(1, 4))
    for _ in range(rng.randint(3, 7)):
        x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(20, 90)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=(255, 220, 120), width=4)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82)
    image = get_image_model()(title=title)
    image.file = ImageFile(buffer, name=f"demo-{seed}.jpg")
    image.save()
    return image


def make_logo():
    """Return the demo logo: a white star in a red circle."""
    picture = PILImage.new("RGB", (256, 256), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    draw.ellipse([8, 8, 248, 248], fill=(179, 22, 27))
    star = [
        (128, 40),
        (150, 105),
        (218, 105),
        (163, 145),
        (184, 212),
        (128, 172),
        (72, 212),
        (93, 145),
        (38, 105),
        (106, 105),
    ]
    draw.polygon(star, fill=(255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    image = get_image_model()(title="Логотип")
    image.file = ImageFile(buffer, name="logo.png")
    image.save()
    return image


PEOPLE = [
    # slug, Russian name, Kazakh name, Russian role, Kazakh role
    (
        "ainur-kurmanov",
        "Айнур Курманов",
        "Айнұр Құрманов",
        "Член инициативной группы",
        "Бастамашыл топ мүшесі",
    ),
    ("dmitry-burminsky", "Дмитрий Бурминский", "Дмитрий Бурминский", "Экономист", "Экономист"),
    ("olga-shin", "Ольга Шин", "Ольга Шин", "Историк", "Тарихшы"),
    ("oleg-andryushchenko", "Олег Андрющенко", "Олег Андрющенко", "Экономист", "Экономист"),
    (
        "timur-kibirov",
        "Тимур Кибиров",
        "Тимур Кибиров",
        "Член инициативной группы",
        "Бастамашыл топ мүшесі",
    ),
    (
        "denis-alimbekov",
        "Денис Алимбеков",
        "Денис Әлімбеков",
        "Активист из Алматы",
        "Алматылық белсенді",
    ),
    ("editorial", "Редакция", "Редакция", "Редакция сайта", "Сайт редакциясы"),
]

PAGES = [
    # slug, ru title, kk title, ru lead, kk lead, ru body, kk body, in menu
    (
        "about",
        "О нас",
        "Біз туралы",
        "Инициативная группа готовит создание Социалистической партии Казахстана.",
        "Бастамашыл топ Қазақстан Социалистік партиясын құруға дайындалып жатыр.",
        [
            "Мы объединяем рабочих, студентов, учителей, врачей и всех, кто считает, что "
            "богатства страны должны служить большинству её жителей.",
            "Группа ведёт просветительскую работу, поддерживает трудовые коллективы в спорах с "
            "работодателями и изучает опыт социалистического строительства.",
        ],
        [
            "Біз елдің байлығы халықтың көпшілігіне қызмет етуі керек деп санайтын жұмысшыларды, "
            "студенттерді, мұғалімдер мен дәрігерлерді біріктіреміз.",
            "Топ ағартушылық жұмыс жүргізеді және еңбек ұжымдарын қолдайды.",
        ],
        True,
    ),
    (
        "programme",
        "Программа",
        "Бағдарлама",
        "Основные положения программы, которую предстоит обсудить учредительному съезду.",
        "Құрылтай съезінде талқыланатын бағдарламаның негізгі ережелері.",
        [
            "Общественная собственность на ключевые отрасли, бесплатные образование и "
            "медицина, достойная оплата труда и право на жильё.",
            "Равноправие языков и народов Казахстана, интернационализм и мир.",
        ],
        [
            "Негізгі салаларға қоғамдық меншік, тегін білім мен медицина, лайықты еңбекақы "
            "және тұрғын үй құқығы.",
            "Қазақстан тілдері мен халықтарының теңдігі, интернационализм және бейбітшілік.",
        ],
        True,
    ),
    (
        "contacts",
        "Контакты",
        "Байланыс",
        "Как связаться с инициативной группой.",
        "Бастамашыл топпен қалай байланысуға болады.",
        [
            "Пишите нам в Телеграм или на электронную почту редакции. Мы отвечаем в течение "
            "нескольких дней."
        ],
        ["Бізге Телеграм арқылы немесе редакцияның электрондық поштасына жазыңыз."],
        True,
    ),
    (
        "privacy",
        "Политика обработки персональных данных",
        "Дербес деректерді өңдеу саясаты",
        "Какие данные мы получаем через форму заявки, зачем, кто их видит и когда они удаляются.",
        "Өтініш нысаны арқылы қандай деректер аламыз, не үшін, оларды кім көреді және "
        "қашан жойылады.",
        [
            "Инициативная группа обрабатывает персональные данные в соответствии с Законом "
            "Республики Казахстан «О персональных данных и их защите» и только с вашего "
            "явного согласия, которое вы даёте, отмечая флажок в форме заявки.",
            "Мы получаем то, что вы сами указываете: имя, город или регион, телефон, имя в "
            "Телеграме, адрес электронной почты и текст сообщения. Эти данные нужны только "
            "для того, чтобы связаться с вами по поводу вступления.",
            "Данные хранятся в зашифрованном виде. Их видят лишь секретари, которые "
            "занимаются приёмом, и каждый просмотр записывается в журнал. Третьим лицам "
            "данные не передаются.",
            "Заявка, по которой принято решение, удаляется через 180 дней после решения. "
            "Вы можете в любой момент отозвать согласие или попросить исправить либо удалить "
            "ваши данные, написав нам в Телеграм или на электронную почту редакции.",
        ],
        [
            "Бастамашыл топ дербес деректерді Қазақстан Республикасының «Дербес деректер "
            "және оларды қорғау туралы» Заңына сәйкес және тек сіздің нақты келісіміңізбен "
            "өңдейді; келісімді өтініш нысанындағы белгіні қою арқылы бересіз.",
            "Біз сіз өзіңіз көрсеткен деректерді ғана аламыз: аты-жөніңіз, қалаңыз немесе "
            "өңіріңіз, телефоныңыз, Телеграмдағы атыңыз, электрондық поштаңыз және хабарлама. "
            "Бұл деректер тек қосылу мәселесі бойынша сізбен байланысу үшін қажет.",
            "Деректер шифрланған түрде сақталады. Оларды тек қабылдаумен айналысатын "
            "хатшылар көреді, әр қарау журналға жазылады. Деректер үшінші тұлғаларға "
            "берілмейді.",
            "Шешім қабылданған өтініш шешімнен кейін 180 күн өткенде жойылады. Кез келген "
            "уақытта келісіміңізді қайтарып алуға немесе деректеріңізді түзетуді не жоюды "
            "сұрауға болады: бізге Телеграм арқылы немесе электрондық поштаға жазыңыз.",
        ],
        False,
    ),
]


def _paragraphs(texts):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]


def _build_homes():
    ru, _created = Locale.objects.get_or_create(language_code="ru")
    kk, _created = Locale.objects.get_or_create(language_code="kk")
    root = Page.get_first_root_node()
    for stale in Page.objects.child_of(root).exclude(content_type__model="homepage"):
        stale.delete()
    ru_home = root.add_child(
        instance=HomePage(
            title="Главная",
            slug="ru-home",
            locale=ru,
            intro="Новости, статьи и заявления инициативной группы.",
        )
    )
    kk_home = ru_home.copy_for_translation(kk)
    kk_home.title = "Басты бет"
    kk_home.slug = "kk-home"
    kk_home.intro = "Бастамашыл топтың жаңалықтары, мақалалары мен мәлімдемелері."
    kk_home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    base = urlsplit(django_settings.BASE_URL)
    site.hostname = base.hostname or "localhost"
    site.port = base.port or (443 if base.scheme == "https" else 80)
    site.root_page = ru_home
    site.site_name = "СПК/КСП"
    site.save()
    return site, {"ru": ru_home, "kk": kk_home.specific}


def _build_settings(site):
    settings = SiteSettings.for_site(site)
    settings.name_ru = "Социалистическая партия Казахстана"
    settings.name_kk = "Қазақстан Социалистік партиясы"
    settings.short_name_ru = "СПК"
    settings.short_name_kk = "КСП"
    settings.tagline_ru = (
        "Инициативная группа по созданию Оргкомитета Социалистической партии Казахстана"
    )
    settings.tagline_kk = (
        "Қазақстан Социалистік партиясының ұйымдастыру комитетін құру жөніндегі бастамашыл топ"
    )
    settings.logo = make_logo()
    settings.telegram_url = "https://t.me/socialismkz"
    settings.youtube_url = "https://www.youtube.com/@socialismkz"
    settings.reprint_notice_ru = (
        "Материалы сайта можно перепечатывать и цитировать со ссылкой на socialism.kz "
        "и с указанием автора."
    )
    settings.reprint_notice_kk = (
        "Сайт материалдарын socialism.kz сайтына сілтеме беріп, авторын көрсетіп қайта "
        "басуға және дәйексөз алуға болады."
    )
    settings.copyright_holder = "socialism.kz"
    settings.copyright_first_year = 2022
    # The sidebar's "Works of the classics" lists the library's authors (iskra.library).
    settings.footer_links = [
        FooterLink(title_ru="О нас", title_kk="Біз туралы", url="/ru/about/", sort_order=0),
        FooterLink(title_ru="Программа", title_kk="Бағдарлама", url="/ru/programme/", sort_order=1),
        FooterLink(title_ru="Контакты", title_kk="Байланыс", url="/ru/contacts/", sort_order=2),
        FooterLink(title_ru="RSS", title_kk="RSS", url="/feeds/ru/rss.xml", sort_order=3),
    ]
    settings.save()


def _build_people(homes, images):
    people = {}
    for index, (slug, name_ru, name_kk, role_ru, role_kk) in enumerate(PEOPLE):
        ru = Person.objects.create(
            locale=homes["ru"].locale,
            slug=slug,
            name=name_ru,
            role=role_ru,
            photo=images[index % len(images)] if slug != "editorial" else None,
        )
        kk = ru.copy_for_translation(homes["kk"].locale)
        kk.name, kk.role = name_kk, role_kk
        kk.save()
        people[slug] = {"ru": ru, "kk": kk}
    return people


def _build_pages(homes):
    for slug, t_ru, t_kk, lead_ru, lead_kk, body_ru, body_kk, in_menu in PAGES:
        ru = homes["ru"].add_child(
            instance=StandardPage(
                title=t_ru,
                slug=slug,
                lead=lead_ru,
                body=_paragraphs(body_ru),
                show_in_menus=in_menu,
                locale=homes["ru"].locale,
            )
        )
        ru.save_revision().publish()
        kk = ru.copy_for_translation(homes["kk"].locale)
        kk.title, kk.lead, kk.body = t_kk, lead_kk, _paragraphs(body_kk)
        kk.save_revision().publish()


def _create_admin():
    User = get_user_model()
    if User.objects.filter(username="admin").exists():
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser("admin", "admin@example.org", password)
    return password


def is_loaded():
    """Return True when the demo (or any real site) has already been built."""
    return HomePage.objects.exists()


def load_demo():
    """Build the demo site in one transaction; return (log lines, admin password or None)."""
    if is_loaded():
        return ["The site already has content; the demo was not loaded again."], None
    with transaction.atomic():
        site, homes = _build_homes()
        _build_settings(site)
        images = [make_picture(seed, title=f"Иллюстрация {seed + 1}") for seed in range(12)]
        context = DemoContext(homes=homes, images=images)
        context.people = _build_people(homes, images)
        _build_pages(homes)
        for app in apps.get_app_configs():
            if not app.name.startswith("iskra.") or app.name == "iskra.core":
                continue
            try:
                module = import_module(f"{app.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app.name}.demo":
                    raise
                continue
            module.load(context)
        password = _create_admin()
    context.log.insert(0, "Demo site loaded: Russian and Kazakh trees, settings, people, pages.")
    return context.log, password
