"""Old sites to migrate from: DataLife Engine dumps written as mysqldump and phpMyAdmin
write them, with the columns of DLE's installer (``bench/migration.py`` uses it too)."""

from dataclasses import dataclass, field

DLE_COLUMNS = {
    "category": ["id", "parentid", "posi", "name", "alt_name", "icon", "skin", "descr",
                 "keywords", "news_sort", "news_msort", "news_number", "short_tpl", "full_tpl",
                 "metatitle", "show_sub", "allow_rss", "fulldescr", "disable_search",
                 "disable_main", "active"],
    "comments": ["id", "post_id", "user_id", "date", "autor", "email", "text", "ip",
                 "is_register", "approve", "rating", "vote_num", "parent"],
    "files": ["id", "news_id", "name", "onserver", "author", "date", "dcount", "size",
              "checksum", "driver", "is_public"],
    "images": ["id", "images", "news_id", "author", "date"],
    "post": ["id", "autor", "date", "short_story", "full_story", "xfields", "title", "descr",
             "keywords", "category", "alt_name", "comm_num", "allow_comm", "allow_main",
             "approve", "fixed", "allow_br", "symbol", "tags", "metatitle"],
    "redirects": ["id", "from", "to", "enabled"],
    "static": ["id", "name", "descr", "template", "allow_br", "allow_template", "grouplevel",
               "tpl", "metadescr", "metakeys", "views", "template_folder", "date", "metatitle",
               "allow_count", "sitemap", "disable_index", "disable_search", "password"],
    "users": ["email", "password", "name", "user_id", "news_num", "comm_num", "user_group",
              "lastdate", "reg_date", "banned", "allow_mail", "info", "signature", "foto",
              "fullname", "land"],
}  # fmt: skip
_INTEGER = {"id", "parentid", "posi", "news_number", "show_sub", "allow_rss", "disable_search",
            "disable_main", "active", "post_id", "user_id", "is_register", "approve", "rating",
            "vote_num", "parent", "news_id", "dcount", "size", "driver", "is_public", "comm_num",
            "allow_comm", "allow_main", "fixed", "allow_br", "enabled", "allow_template",
            "views", "date_unix", "allow_count", "sitemap", "disable_index", "news_num",
            "user_group", "allow_mail"}  # fmt: skip


@dataclass
class DleDump:
    """The rows of a DLE site, table by table (each row a dict of column → value)."""

    prefix: str = "dle"
    tables: dict = field(default_factory=lambda: {name: [] for name in DLE_COLUMNS})

    def add(self, table, **values):
        columns = DLE_COLUMNS[table]
        row = {column: values.get(column, 0 if column in _INTEGER else "") for column in columns}
        unknown = set(values) - set(columns)
        if unknown:
            raise ValueError(f"{table} has no columns {unknown}")
        self.tables[table].append(row)
        return row

    def write(self, path, *, charset="utf8mb4", style="mysqldump", cut_at=None):
        """Write the dump to ``path`` in ``charset`` (utf8mb4, utf8 or cp1251), as
        ``mysqldump`` (extended inserts) or ``phpmyadmin`` writes it; ``cut_at`` cuts
        the file after that many bytes (a truncated upload)."""
        codec = {"utf8mb4": "utf-8", "utf8": "utf-8", "cp1251": "cp1251"}[charset]
        text = (_mysqldump if style == "mysqldump" else _phpmyadmin)(self, charset)
        data = text.encode(codec)
        if cut_at is not None:
            data = data[:cut_at]
        with open(path, "wb") as handle:
            handle.write(data)
        return path


def sql_value(value):
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    escaped = (
        str(value)
        .replace("\\", "\\\\")
        .replace("\0", "\\0")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("'", "\\'")
        .replace('"', '\\"')
        .replace("\x1a", "\\Z")
    )
    return f"'{escaped}'"


def _create(dump, table, charset):
    name = f"{dump.prefix}_{table}"
    lines = [f"DROP TABLE IF EXISTS `{name}`;", f"CREATE TABLE `{name}` ("]
    columns = DLE_COLUMNS[table]
    for column in columns:
        kind = "int(11) NOT NULL DEFAULT 0" if column in _INTEGER else "mediumtext NOT NULL"
        lines.append(f"  `{column}` {kind},")
    key = "user_id" if table == "users" else "id"
    lines.append(f"  PRIMARY KEY (`{key}`)")
    lines.append(f") ENGINE=InnoDB DEFAULT CHARSET={charset};")
    return lines


def _mysqldump(dump, charset):
    lines = [
        "-- MySQL dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)",
        "--",
        "-- Host: localhost    Database: dle",
        "-- ------------------------------------------------------",
        "",
        "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;",
        f"/*!40101 SET NAMES {charset} */;",
        "/*!40103 SET TIME_ZONE='+00:00' */;",
        "",
    ]
    for table in sorted(DLE_COLUMNS):
        name = f"{dump.prefix}_{table}"
        lines += ["--", f"-- Table structure for table `{name}`", "--", ""]
        lines += _create(dump, table, charset)
        rows = dump.tables[table]
        if rows:
            lines += ["", f"LOCK TABLES `{name}` WRITE;"]
            # Extended inserts of at most ~1 MB, as mysqldump's net_buffer_length makes them.
            chunk, size = [], 0
            for row in rows:
                values = "(" + ",".join(sql_value(row[c]) for c in DLE_COLUMNS[table]) + ")"
                chunk.append(values)
                size += len(values)
                if size > 1_000_000:
                    lines.append(f"INSERT INTO `{name}` VALUES " + ",".join(chunk) + ";")
                    chunk, size = [], 0
            if chunk:
                lines.append(f"INSERT INTO `{name}` VALUES " + ",".join(chunk) + ";")
            lines += ["UNLOCK TABLES;", ""]
    lines += ["/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;", "",
              "-- Dump completed on 2026-12-01 10:00:00", ""]  # fmt: skip
    return "\n".join(lines)


def _phpmyadmin(dump, charset):
    lines = [
        "-- phpMyAdmin SQL Dump",
        "-- version 5.2.1",
        "-- https://www.phpmyadmin.net/",
        "",
        'SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";',
        "START TRANSACTION;",
        'SET time_zone = "+00:00";',
        f"/*!40101 SET NAMES {charset} */;",
        "",
    ]
    for table in sorted(DLE_COLUMNS):
        name = f"{dump.prefix}_{table}"
        lines += ["-- --------------------------------------------------------", "",
                  f"--\n-- Структура таблицы `{name}`\n--", ""]  # fmt: skip
        lines += _create(dump, table, charset)
        rows = dump.tables[table]
        if rows:
            columns = ", ".join(f"`{c}`" for c in DLE_COLUMNS[table])
            lines += ["", f"INSERT INTO `{name}` ({columns}) VALUES"]
            body = [
                "(" + ", ".join(sql_value(row[c]) for c in DLE_COLUMNS[table]) + ")" for row in rows
            ]
            lines.append(",\n".join(body) + ";")
        lines.append("")
    lines += ["COMMIT;", ""]
    return "\n".join(lines)


def picture(path, colour=(200, 30, 30), size=(64, 48)):
    """Write a small PNG picture at ``path`` (folders made)."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, "PNG")
    return path


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

FULL_STORY = (
    '<div style="text-align:center;"><!--dle_image_begin:http://old.example.kz/uploads/posts/2024-03/1710_zal.png|--><img src="/uploads/posts/2024-03/1710_zal.png" style="max-width:100%;" alt="Зал конференции"><!--dle_image_end--></div><br><br>'
    "Конференция собрала делегатов из двенадцати регионов. <b>Главный доклад</b> был посвящён рабочему движению.<br><br>"
    '<!--QuoteBegin--><div class="quote_block"><div class="title_quote">Цитата</div><div class="quote"><!--QuoteEBegin-->Освобождение рабочих должно быть делом самих рабочих.<!--QuoteEnd--></div></div><!--QuoteEEnd--><br>'
    '<!--colorstart:#FF0000--><span style="color:#FF0000"><!--/colorstart-->Красным цветом<!--colorend--></span><!--/colorend--> и '
    '<!--sizestart:4--><span style="font-size:14pt;"><!--/sizestart-->крупным шрифтом<!--sizeend--></span><!--/sizeend--> '
    '<!--fontstart:Georgia--><span style="font-family:Georgia"><!--/fontstart-->другим шрифтом<!--fontend--></span><!--/fontend-->.<br><br>'
    '<!--dle_spoiler Резолюция целиком --><div class="title_spoiler"><a href="#">Резолюция целиком</a></div><div id="sp1" class="text_spoiler" style="display:none;"><!--spoiler_text-->Конференция постановила укреплять профсоюзы.<!--spoiler_text_end--></div><!--/dle_spoiler-->'
    "{PAGEBREAK}"
    "Вторая страница доклада продолжает текст.<br><br>"
    '<!--dle_youtube_begin:https://www.youtube.com/watch?v=dQw4w9WgXcQ--><iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" frameborder="0" allowfullscreen></iframe><!--dle_youtube_end--><br>'
    '<!--TBegin:http://old.example.kz/uploads/posts/2024-03/1710_tribuna.png|left--><a href="http://old.example.kz/uploads/posts/2024-03/1710_tribuna.png" class="highslide" target="_blank"><img src="/uploads/posts/2024-03/thumbs/1710_tribuna.png" alt="Трибуна"></a><!--TEnd--><br>'
    'Материалы: <!--dle_leech_begin--><a href="http://old.example.kz/engine/go.php?url=aHR0cHM6Ly9leGFtcGxlLm9yZy9tYXRlcmlhbHM%3D" target="_blank">сборник материалов</a><!--dle_leech_end-->.<br><br>'
    "[attachment=1:Резолюция (PDF)]<br><br>"
    "[hide]Пароль от архива: только для членов партии.[/hide]"
    'См. также <a href="http://old.example.kz/novosti/2-vtoroy-den.html">второй день</a> и <a href="/index.php?newsid=5">итоги</a>.'
)


def sample_dle_site(folder, *, title_1="Конференция в Алматы"):
    """Write a small DLE site with every marker, token and URL form; return
    ``(dump, uploads)`` (the DleDump, not yet written, and the uploads folder)."""
    uploads = folder / "uploads"
    picture(uploads / "posts/2024-03/1710_zal.png")
    picture(uploads / "posts/2024-03/1710_tribuna.png", colour=(30, 30, 200))
    picture(uploads / "posts/2024-03/thumbs/1710_tribuna.png", size=(16, 12))
    picture(uploads / "posts/2024-04/1712_qazaq.png", colour=(30, 160, 30))
    (uploads / "files/2024-03").mkdir(parents=True)
    (uploads / "files/2024-03/1710_rezolyuciya.pdf").write_bytes(PDF)
    dump = DleDump()
    dump.add(
        "category",
        id=1,
        parentid=0,
        posi=1,
        name="Новости партии",
        alt_name="novosti",
        descr="Новости и заявления",
    )
    dump.add("category", id=2, parentid=1, posi=2, name="Регионы", alt_name="regiony")
    dump.add("category", id=3, parentid=0, posi=3, name="Жаңалықтар", alt_name="zhanalyqtar")
    dump.add("category", id=4, parentid=0, posi=4, name="Статьи", alt_name="stati")
    dump.add("users", user_id=1, name="admin", fullname="Айгерим Сапарова", email="a@example.kz")
    dump.add("users", user_id=2, name="redaktor", fullname="", email="r@example.kz")
    dump.add(
        "post", id=1, autor="admin", date="2024-03-15 10:30:00", title=title_1,
        short_story="Делегаты из двенадцати регионов обсудили задачи рабочего движения.",
        full_story=FULL_STORY, category="2,1", alt_name="konferenciya-v-almaty", approve=1,
        tags="конференция,Алматы", descr="Итоги конференции в Алматы", comm_num=2,
    )  # fmt: skip
    dump.add(
        "post", id=2, autor="redaktor", date="2024-03-16 09:00:00", title="Второй день конференции",
        short_story="Второй день был посвящён профсоюзам.",
        full_story='Второй день был посвящён профсоюзам. Начало — в <a href="/index.php?newsid=1">первом дне</a>.',
        category="1", alt_name="vtoroy-den", approve=1, tags="конференция",
        xfields="poster|2024-03/1710_tribuna.png||istochnik|Собственный корреспондент",
    )  # fmt: skip
    dump.add(
        "post", id=3, autor="admin", date="2024-03-17 12:00:00", title="Черновик заявления",
        short_story="Этот текст ещё не одобрен.", full_story="", category="1",
        alt_name="chernovik", approve=0,
    )  # fmt: skip
    dump.add(
        "post", id=4, autor="admin", date="2024-04-02 08:15:00", title="Алматыдағы конференция қорытындысы",
        short_story="Конференция жұмысшылар қозғалысының міндеттерін талқылады.",
        full_story='<!--dle_image_begin:/uploads/posts/2024-04/1712_qazaq.png|--><img src="/uploads/posts/2024-04/1712_qazaq.png" alt=""><!--dle_image_end--><br>Конференция жұмысшылар қозғалысының міндеттерін талқылады. Делегаттар кәсіподақтарды нығайту туралы шешім қабылдады.',
        category="3", alt_name="almaty-konferenciya", approve=1, tags="конференция",
    )  # fmt: skip
    dump.add(
        "post", id=5, autor="redaktor", date="2024-03-20 18:00:00", title="Итоги месяца",
        short_story="Итоги месяца: конференция, два собрания и пикет.",
        full_story='Итоги месяца: конференция, два собрания и пикет.<br><br><img src="/uploads/posts/2024-03/net-takogo.png" alt="">',
        category="4", alt_name="konferenciya-v-almaty", approve=1,
    )  # fmt: skip
    dump.add(
        "static",
        id=1,
        name="about",
        descr="О партии",
        template="<p>Мы — партия трудящихся.</p><p>Пишите нам.</p>",
        metadescr="Кто мы и чего добиваемся",
        date=1700000000,
    )
    dump.add(
        "images",
        id=1,
        images="2024-03/1710_zal.png|||2024-03/1710_tribuna.png",
        news_id=1,
        author="admin",
    )
    dump.add(
        "files",
        id=1,
        news_id=1,
        name="rezolyuciya.pdf",
        onserver="2024-03/1710_rezolyuciya.pdf",
        author="admin",
        size=len(PDF),
    )
    dump.add("redirects", id=1, **{"from": "/old-about.html", "to": "/about.html", "enabled": 1})
    for number in range(1, 4):
        dump.add(
            "comments",
            id=number,
            post_id=1,
            autor="reader",
            text=f"Комментарий {number}",
            approve=1,
        )
    return dump, uploads


WXR_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="WordPress/6.6.2" created="2026-11-30 10:00" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Сайт партии</title>
	<link>https://old.example.org</link>
	<description>Новости и статьи</description>
	<language>ru-RU</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://old.example.org</wp:base_site_url>
	<wp:base_blog_url>https://old.example.org</wp:base_blog_url>
"""


def cdata(text):
    return "<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Wxr:
    """A WordPress export being written: authors, terms and items, in WXR 1.2."""

    parts: list = field(default_factory=list)

    def author(self, login, name):
        self.parts.append(
            f"\t<wp:author><wp:author_id>1</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
            f"<wp:author_email>{cdata(login + '@example.org')}</wp:author_email>"
            f"<wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>\n"
        )

    def category(self, term_id, nicename, name, parent=""):
        self.parts.append(
            f"\t<wp:category><wp:term_id>{term_id}</wp:term_id><wp:category_nicename>{cdata(nicename)}</wp:category_nicename>"
            f"<wp:category_parent>{cdata(parent)}</wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n"
        )

    def tag(self, term_id, slug, name):
        self.parts.append(
            f"\t<wp:tag><wp:term_id>{term_id}</wp:term_id><wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
            f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>\n"
        )

    def item(self, post_id, *, title, content="", kind="post", status="publish", slug="", link="",
             date="2024-05-01 10:00:00", author="admin", parent=0, excerpt="", categories=(),
             tags=(), meta=None, comments=0, attachment_url="", password=""):  # fmt: skip
        terms = "".join(
            f'\t\t<category domain="category" nicename="{n}">{cdata(t)}</category>\n'
            for n, t in categories
        ) + "".join(
            f'\t\t<category domain="post_tag" nicename="{n}">{cdata(t)}</category>\n'
            for n, t in tags
        )
        metas = "".join(
            f"\t\t<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key><wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>\n"
            for k, v in (meta or {}).items()
        )
        notes = "".join(
            f"\t\t<wp:comment><wp:comment_id>{post_id * 100 + n}</wp:comment_id><wp:comment_content>{cdata('Согласен')}</wp:comment_content></wp:comment>\n"
            for n in range(comments)
        )
        extra = (
            f"\t\t<wp:attachment_url>{cdata(attachment_url)}</wp:attachment_url>\n"
            if attachment_url
            else ""
        )
        self.parts.append(
            f"\t<item>\n\t\t<title>{cdata(title)}</title>\n\t\t<link>{link}</link>\n"
            f"\t\t<dc:creator>{cdata(author)}</dc:creator>\n"
            f'\t\t<guid isPermaLink="false">https://old.example.org/?p={post_id}</guid>\n'
            f"\t\t<content:encoded>{cdata(content)}</content:encoded>\n"
            f"\t\t<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>\n"
            f"\t\t<wp:post_id>{post_id}</wp:post_id>\n\t\t<wp:post_date>{cdata(date)}</wp:post_date>\n"
            f"\t\t<wp:post_date_gmt>{cdata(date)}</wp:post_date_gmt>\n"
            f"\t\t<wp:post_name>{cdata(slug)}</wp:post_name>\n\t\t<wp:status>{cdata(status)}</wp:status>\n"
            f"\t\t<wp:post_parent>{parent}</wp:post_parent>\n\t\t<wp:post_type>{cdata(kind)}</wp:post_type>\n"
            f"\t\t<wp:post_password>{cdata(password)}</wp:post_password>\n{extra}{terms}{metas}{notes}\t</item>\n"
        )

    def write(self, path):
        path.write_text(WXR_HEAD + "".join(self.parts) + "</channel>\n</rss>\n", encoding="utf-8")
        return path


GUTENBERG = """<!-- wp:paragraph -->
<p>Профсоюзы провели <strong>общее собрание</strong> в Караганде.</p>
<!-- /wp:paragraph -->

<!-- wp:heading -->
<h2 class="wp-block-heading">Решения собрания</h2>
<!-- /wp:heading -->

<!-- wp:image {"id":11,"sizeSlug":"large"} -->
<figure class="wp-block-image size-large"><img src="https://old.example.org/wp-content/uploads/2024/05/sobranie-1024x768.png" alt="Собрание" class="wp-image-11" srcset="https://old.example.org/wp-content/uploads/2024/05/sobranie-300x225.png 300w"/><figcaption class="wp-element-caption">Зал собрания</figcaption></figure>
<!-- /wp:image -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><!-- wp:paragraph -->
<p>Единство — наша сила.</p>
<!-- /wp:paragraph --><cite>Резолюция собрания</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video","providerNameSlug":"youtube"} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=dQw4w9WgXcQ
</div></figure>
<!-- /wp:embed -->

<!-- wp:list -->
<ul class="wp-block-list"><!-- wp:list-item -->
<li>поднять зарплату</li>
<!-- /wp:list-item --><!-- wp:list-item -->
<li>сократить смену</li>
<!-- /wp:list-item --></ul>
<!-- /wp:list -->

<!-- wp:file {"id":12,"href":"https://old.example.org/wp-content/uploads/2024/05/rezolyuciya.pdf"} -->
<div class="wp-block-file"><a href="https://old.example.org/wp-content/uploads/2024/05/rezolyuciya.pdf">Резолюция собрания</a></div>
<!-- /wp:file -->

<!-- wp:acme/poll {"id":3} -->
<div class="acme-poll">Опрос: пойдёте ли вы на митинг?</div>
<!-- /wp:acme/poll -->"""

CLASSIC = """Первый абзац о забастовке шахтёров.
Строка того же абзаца.

[caption id="attachment_11" align="aligncenter" width="300"]<img src="https://old.example.org/wp-content/uploads/2024/05/sobranie-300x225.png" alt="Шахтёры" width="300" height="225" /> Шахтёры у проходной[/caption]

https://rutube.ru/video/0123456789abcdef0123456789abcdef/

[gallery ids="11,13"]

[video src="https://old.example.org/wp-content/uploads/2024/05/miting.mp4"]

[contact-form-7 id="5" title="Связь"]

Последний абзац со <a href="https://old.example.org/2024/05/01/sobranie/">ссылкой на собрание</a>."""


def sample_wordpress_site(folder):
    """Write a small WordPress export and uploads folder; return ``(export, uploads)``."""
    uploads = folder / "uploads"
    picture(uploads / "2024/05/sobranie.png", size=(120, 90))
    picture(uploads / "2024/05/shahta.png", colour=(90, 90, 90))
    (uploads / "2024/05/rezolyuciya.pdf").write_bytes(PDF)
    (uploads / "2024/05/miting.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    wxr = Wxr()
    wxr.author("admin", "Ерлан Жумабаев")
    wxr.author("editor", "Мария Ким")
    wxr.category(2, "novosti", "Новости")
    wxr.category(3, "profsoyuzy", "Профсоюзы", parent="novosti")
    wxr.category(4, "zhanalyqtar", "Жаңалықтар")
    wxr.tag(5, "karaganda", "Караганда")
    wxr.tag(6, "zabastovka", "забастовка")
    base = "https://old.example.org"
    wxr.item(
        11,
        title="sobranie",
        kind="attachment",
        status="inherit",
        attachment_url=f"{base}/wp-content/uploads/2024/05/sobranie.png",
        parent=21,
    )
    wxr.item(
        12,
        title="rezolyuciya",
        kind="attachment",
        status="inherit",
        attachment_url=f"{base}/wp-content/uploads/2024/05/rezolyuciya.pdf",
    )
    wxr.item(
        13,
        title="shahta",
        kind="attachment",
        status="inherit",
        attachment_url=f"{base}/wp-content/uploads/2024/05/shahta.png",
    )
    wxr.item(
        21, title="Собрание профсоюзов в Караганде", content=GUTENBERG, slug="sobranie",
        link=f"{base}/2024/05/01/sobranie/", categories=[("profsoyuzy", "Профсоюзы")],
        tags=[("karaganda", "Караганда")], meta={"_thumbnail_id": "13"}, comments=2,
        excerpt="Профсоюзы Караганды провели общее собрание.",
    )  # fmt: skip
    wxr.item(
        22, title="Забастовка шахтёров", content=CLASSIC, slug="%d0%b7%d0%b0%d0%b1%d0%b0%d1%81%d1%82%d0%be%d0%b2%d0%ba%d0%b0",
        link=f"{base}/2024/05/03/%d0%b7%d0%b0%d0%b1%d0%b0%d1%81%d1%82%d0%be%d0%b2%d0%ba%d0%b0/",
        date="2024-05-03 08:00:00", author="editor", categories=[("novosti", "Новости")],
        tags=[("zabastovka", "забастовка"), ("karaganda", "Караганда")],
    )  # fmt: skip
    wxr.item(
        23,
        title="Черновик",
        content="Ещё не готово.",
        status="draft",
        slug="chernovik",
        link=f"{base}/?p=23",
        categories=[("novosti", "Новости")],
    )
    wxr.item(
        24,
        title="На рассмотрении",
        content="Ждёт редактора.",
        status="pending",
        slug="pending",
        link=f"{base}/?p=24",
        categories=[("novosti", "Новости")],
    )
    wxr.item(
        25,
        title="Личное",
        content="Только для своих.",
        status="private",
        slug="lichnoe",
        link=f"{base}/2024/05/05/lichnoe/",
        categories=[("novosti", "Новости")],
    )
    wxr.item(
        26,
        title="В корзине",
        content="Удалено.",
        status="trash",
        slug="korzina",
        link=f"{base}/2024/05/06/korzina/",
        categories=[("novosti", "Новости")],
    )
    wxr.item(
        27, title="Қарағандыдағы жиналыс", content="Кәсіподақтар жалпы жиналыс өткізді.", slug="zhinalys",
        link=f"{base}/2024/05/07/zhinalys/", categories=[("zhanalyqtar", "Жаңалықтар")],
    )  # fmt: skip
    # The child page comes first, as exports often have it.
    wxr.item(
        32,
        title="Программа",
        content="<!-- wp:paragraph --><p>Программа партии.</p><!-- /wp:paragraph -->",
        kind="page",
        slug="programma",
        parent=31,
        link=f"{base}/o-nas/programma/",
    )
    wxr.item(
        31,
        title="О нас",
        content="Мы — партия трудящихся.\n\nНаш адрес: Алматы.",
        kind="page",
        slug="o-nas",
        link=f"{base}/o-nas/",
    )
    wxr.item(41, title="Меню", kind="nav_menu_item", slug="41", link=f"{base}/?p=41")
    return wxr.write(folder / "export.xml"), uploads
