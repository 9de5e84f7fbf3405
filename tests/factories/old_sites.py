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
