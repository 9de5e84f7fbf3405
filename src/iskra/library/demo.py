"""The library part of the demo site: the sidebar's classics, real public-domain books.

The books are read from ``demo_books/`` through the same importers editors use:
Lenin's «Государство и революция» (Markdown from comtext.space, the editorial notes of
the 1962 edition left out: they may still be protected), Dietzgen's selected
philosophical writings (the comtext.space EPUB, P. G. Dauge's translation) and, in
Kazakh, four of Abai's «Қара сөздер». The authors' short biographies are ours.
"""

from pathlib import Path

from iskra.imports.books import read_book
from iskra.publishing.services import build_editions

from .models import AuthorPage, LibraryPage
from .services import import_book

BOOKS = Path(__file__).resolve().parent / "demo_books"

LIBRARY = {
    "ru": (
        "Библиотека",
        "Произведения классиков марксизма: читать по главам, цитировать, скачать.",
    ),
    "kk": ("Кітапхана", "Классиктердің еңбектері: тараулап оқу, дәйексөз алу, жүктеп алу."),
}

# (slug, years, ru name, ru biography, kk name, kk biography); the order is the sidebar's.
AUTHORS = [
    (
        "karl-marks",
        "1818–1883",
        "Карл Маркс",
        "Немецкий философ, экономист и революционер, автор «Капитала» и вместе с "
        "Энгельсом — «Манифеста Коммунистической партии».",
        "Карл Маркс",
        "Неміс философы, экономист және революционер, «Капиталдың» авторы, Энгельспен "
        "бірге «Коммунистік партияның манифесін» жазған.",
    ),
    (
        "fridrih-engels",
        "1820–1895",
        "Фридрих Энгельс",
        "Соратник Маркса, автор «Анти-Дюринга» и «Происхождения семьи, частной "
        "собственности и государства»; издал второй и третий тома «Капитала».",
        "Фридрих Энгельс",
        "Маркстың серігі, «Анти-Дюринг» пен «Отбасының, жеке меншіктің және мемлекеттің "
        "шығуы» еңбектерінің авторы; «Капиталдың» екінші және үшінші томдарын шығарған.",
    ),
    (
        "vladimir-lenin",
        "1870–1924",
        "Владимир Ленин",
        "Русский революционер, основатель большевистской партии и Советского государства, "
        "автор более чем пятидесяти томов сочинений.",
        "Владимир Ленин",
        "Орыс революционері, большевиктер партиясы мен Кеңес мемлекетінің негізін "
        "қалаушы, елу томнан астам еңбектің авторы.",
    ),
    (
        "iosif-stalin",
        "1878–1953",
        "Иосиф Сталин",
        "Советский государственный и партийный деятель, генеральный секретарь ЦК ВКП(б) "
        "с 1922 года.",
        "Иосиф Сталин",
        "Кеңес мемлекеттік және партиялық қайраткері, 1922 жылдан БК(б)П ОК бас хатшысы.",
    ),
    (
        "lev-trotskii",
        "1879–1940",
        "Лев Троцкий",
        "Участник двух русских революций, организатор Красной армии, публицист и историк "
        "революции.",
        "Лев Троцкий",
        "Екі орыс революциясына қатысушы, Қызыл армияны ұйымдастырушы, публицист және "
        "революция тарихшысы.",
    ),
    (
        "mao-tszedun",
        "1893–1976",
        "Мао Цзэдун",
        "Китайский революционер, председатель Коммунистической партии Китая, основатель "
        "Китайской Народной Республики.",
        "Мао Цзэдун",
        "Қытай революционері, Қытай Коммунистік партиясының төрағасы, Қытай Халық "
        "Республикасының негізін қалаушы.",
    ),
    (
        "iosif-ditsgen",
        "1828–1888",
        "Иосиф Дицген",
        "Немецкий рабочий-кожевник и философ-самоучка, пришедший к диалектическому "
        "материализму независимо от Маркса и Энгельса.",
        "Иосиф Дицген",
        "Неміс жұмысшысы, былғары шебері, диалектикалық материализмге Маркс пен "
        "Энгельстен тәуелсіз келген өздігінен білім алған философ.",
    ),
]

ABAI = (
    "abai-qunanbaiuly",
    "1845–1904",
    "Абай Құнанбайұлы",
    "Қазақ ақыны, ағартушы, ойшыл, қазақ жазба әдебиетінің негізін қалаушы. «Қара "
    "сөздері» — халқының тағдыры туралы қырық бес философиялық толғау.",
)

# (file, library, author slug, source line, year written)
WORKS = [
    (
        "lenin_gosudarstvo_i_revolyuciya.md",
        "ru",
        "vladimir-lenin",
        "Текст по Полному собранию сочинений, 5-е изд., т. 33; электронная версия "
        "comtext.space (github.com/comtextspace/books). Примечания редакции опущены.",
        "1917",
    ),
    (
        "dietzgen_izbrannye_filosofskie_sochineniya.epub",
        "ru",
        "iosif-ditsgen",
        "Перевод П. Г. Дауге, сверенный с немецким оригиналом; электронная версия "
        "comtext.space (github.com/comtextspace/books).",
        "1869–1887",
    ),
    (
        "abai_qara_sozder.md",
        "kk",
        "abai-qunanbaiuly",
        "Абай Құнанбайұлы, «Қара сөздер»: бірінші, төртінші, бесінші және алтыншы сөздер "
        "(қоғамдық игілік мәтіні).",
        "1890–1891",
    ),
]


def _publish(page):
    page.save_revision().publish()
    return page


def _libraries(context):
    ru_home, kk_home = context.homes["ru"], context.homes["kk"]
    title, intro = LIBRARY["ru"]
    ru = _publish(
        ru_home.add_child(
            instance=LibraryPage(
                title=title, slug="library", intro=intro, show_in_menus=True, locale=ru_home.locale
            )
        )
    )
    kk = ru.copy_for_translation(kk_home.locale)
    kk.title, kk.intro = LIBRARY["kk"]
    return {"ru": ru, "kk": _publish(kk)}


def _authors(libraries):
    authors = {}
    for slug, years, ru_name, ru_bio, kk_name, kk_bio in AUTHORS:
        ru = _publish(
            libraries["ru"].add_child(
                instance=AuthorPage(
                    title=ru_name,
                    slug=slug,
                    years=years,
                    biography=f"<p>{ru_bio}</p>",
                    locale=libraries["ru"].locale,
                )
            )
        )
        kk = ru.copy_for_translation(libraries["kk"].locale)
        kk.title, kk.biography = kk_name, f"<p>{kk_bio}</p>"
        authors[("ru", slug)], authors[("kk", slug)] = ru, _publish(kk)
    slug, years, name, bio = ABAI
    authors[("kk", slug)] = _publish(
        libraries["kk"].add_child(
            instance=AuthorPage(
                title=name,
                slug=slug,
                years=years,
                biography=f"<p>{bio}</p>",
                locale=libraries["kk"].locale,
            )
        )
    )
    return authors


def load(context):
    libraries = _libraries(context)
    authors = _authors(libraries)
    for file_name, language, author_slug, source, year in WORKS:
        path = BOOKS / file_name
        book = read_book(path)
        author = authors[(language, author_slug)]
        result = import_book(
            book, library=libraries[language], author_name=author.title, original=path
        )
        work = result.work
        work.source, work.year_written = source, year
        _publish(work)
        build_editions(work)
        context.log.append(
            f"Library: {work.title} ({author.title}), {result.chapters} chapters, "
            f"{result.paragraphs} paragraphs, EPUB and PDF built."
        )
