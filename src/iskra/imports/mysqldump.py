"""Read the rows of a MySQL dump as ``mysqldump`` or phpMyAdmin writes it, without MySQL.

The dump is streamed line by line (a 20,000-post site is a few hundred megabytes): only
the tables asked for are decoded and parsed, one statement at a time. The encoding is
taken from the dump itself (``SET NAMES``, else the tables' ``DEFAULT CHARSET``) and
checked against the bytes, because an old windows-1251 site re-saved as UTF-8 (or the
other way round) would otherwise import as mojibake.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# MySQL's names of the character sets a DLE site is stored in, and Python's.
CHARSETS = {
    "utf8": "utf-8",
    "utf8mb3": "utf-8",
    "utf8mb4": "utf-8",
    "cp1251": "cp1251",
    "koi8r": "koi8-r",
    "latin1": "cp1252",
}
_HEAD_BYTES = 1 << 20

_SET_NAMES = re.compile(rb"SET NAMES\s+'?(\w+)", re.I)
_DEFAULT_CHARSET = re.compile(rb"DEFAULT\s+(?:CHARSET|CHARACTER\s+SET)\s*=?\s*(\w+)", re.I)
# UTF-8 Cyrillic (Р°..СЏ, Ә, Қ ...): two bytes D0–D4 followed by a continuation byte.
_UTF8_CYRILLIC = re.compile(rb"[\xd0-\xd4][\x80-\xbf]")
_CREATE = re.compile(r"^CREATE TABLE (?:IF NOT EXISTS )?`?(\w+)`?", re.I)
_COLUMN = re.compile(r"^\s*`(\w+)`\s")
_INSERT = re.compile(
    r"^(?:INSERT|REPLACE)(?:\s+IGNORE)?\s+INTO\s+`?(\w+)`?\s*(?:\(([^)]*)\))?\s*VALUES\s*",
    re.I,
)
_TOKEN = re.compile(
    r"""\s*(?:'((?:[^'\\]|\\.|'')*)'|(NULL)\b|([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"""
    r"""|(0x[0-9A-Fa-f]*)|([(),;]))""",
    re.S | re.I,
)
_ESCAPE = re.compile(r"\\(.)|''", re.S)
_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}


class DumpError(ValueError):
    """The dump cannot be read; the message names the line and table."""


@dataclass
class Table:
    name: str
    columns: list = field(default_factory=list)


def _unescape(text):
    if "\\" not in text and "''" not in text:
        return text

    def replace(match):
        char = match.group(1)
        if char is None:
            return "'"
        return _ESCAPES.get(char, char)

    return _ESCAPE.sub(replace, text)


def detect_encoding(path):
    """Return the Python codec of the dump at ``path``; raise DumpError if it is unknown
    or the bytes contradict it."""
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES)
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - 4096))
        tail = handle.read()
    if not head.strip():
        raise DumpError(_("The dump is empty."))
    if b"\0" in head[:4096]:
        raise DumpError(_("This is not an SQL dump (it holds binary data; is it compressed?)."))
    found = _SET_NAMES.search(head) or _DEFAULT_CHARSET.search(head)
    if found is None:
        raise DumpError(
            _("The dump declares no character set (no SET NAMES and no DEFAULT CHARSET).")
        )
    name = found.group(1).decode("ascii").lower()
    codec = CHARSETS.get(name)
    if codec is None:
        raise DumpError(_("The dump's character set %(name)s is not supported.") % {"name": name})
    if codec != "utf-8" and _UTF8_CYRILLIC.search(head) and _is_utf8(head):
        raise DumpError(
            _(
                "The dump declares the character set %(name)s, but its text is UTF-8. "
                "Re-export it with the right character set, or correct SET NAMES."
            )
            % {"name": name}
        )
    if re.match(rb"\s*-- (?:MySQL|MariaDB) dump", head) and b"-- Dump completed" not in tail:
        raise DumpError(
            _(
                "The dump was made by mysqldump but does not end with its closing line "
                "(-- Dump completed): the file is cut short. Make the dump again."
            )
        )
    return codec


def _is_utf8(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start > len(data) - 4  # cut in the middle of a character at the end
    return True


class DumpReader:
    """The rows of some tables of one dump; ``rows(tables)`` streams them in dump order."""

    def __init__(self, path):
        self.path = path
        self.encoding = detect_encoding(path)
        self.tables = {}

    def table_names(self):
        """Return the names of the tables the dump creates or fills."""
        names = []
        with open(self.path, "rb") as handle:
            for raw in handle:
                if raw[:6] in (b"CREATE", b"INSERT", b"REPLAC"):
                    line = raw.decode(self.encoding, "replace")
                    found = _CREATE.match(line) or _INSERT.match(line)
                    if found and found.group(1) not in names:
                        names.append(found.group(1))
        return names

    def rows(self, wanted):
        """Yield ``(table, row dict)`` for every row of the tables in ``wanted``."""
        statement = None  # (table, columns, text, first line) of an INSERT being read
        creating = None
        with open(self.path, "rb") as handle:
            for number, raw in enumerate(handle, 1):
                if statement is None and creating is None:
                    head = raw[:6]
                    if head == b"CREATE":
                        creating = self._start_create(raw, number)
                    elif head in (b"INSERT", b"REPLAC"):
                        statement = self._start_insert(raw, number, wanted)
                        if statement is None:  # another table: skipped undecoded
                            statement = ("", None, None, number) if not _ends(raw) else None
                            continue
                    else:
                        continue
                elif creating is not None:
                    line = self._decode(raw, number)
                    column = _COLUMN.match(line)
                    if column:
                        creating.columns.append(column.group(1))
                    if line.lstrip().startswith(")"):
                        self.tables[creating.name] = creating
                        creating = None
                    continue
                else:
                    table, columns, text, first = statement
                    if table:
                        statement = (table, columns, text + self._decode(raw, number), first)
                if statement is not None and _ends(raw):
                    table, columns, text, first = statement
                    if table:
                        done = yield from self._parse(table, columns, text, first)
                        if not done:  # a string runs over the line end: read on
                            continue
                    statement = None
        if statement is not None:
            raise DumpError(
                _(
                    "The dump ends inside the data of table %(table)s that begins on line "
                    "%(line)s: the file is cut short. Make the dump again."
                )
                % {"table": statement[0] or "?", "line": statement[3]}
            )

    def _decode(self, raw, number):
        try:
            return raw.decode(self.encoding)
        except UnicodeDecodeError as error:
            raise DumpError(
                _("Line %(line)s is not valid %(encoding)s text (byte %(byte)s).")
                % {"line": number, "encoding": self.encoding, "byte": error.start + 1}
            ) from error

    def _start_create(self, raw, number):
        found = _CREATE.match(self._decode(raw, number))
        if found is None:
            return None
        return Table(found.group(1))

    def _start_insert(self, raw, number, wanted):
        line = self._decode(raw, number) if any(w.encode() in raw for w in wanted) else ""
        found = _INSERT.match(line)
        if found is None or found.group(1) not in wanted:
            return None
        table = found.group(1)
        if found.group(2):
            columns = [c.strip().strip("`") for c in found.group(2).split(",")]
        elif table in self.tables and self.tables[table].columns:
            columns = self.tables[table].columns
        else:
            raise DumpError(
                _(
                    "Line %(line)s: the rows of table %(table)s name no columns "
                    "and the dump has no CREATE TABLE for it."
                )
                % {"line": number, "table": table}
            )
        return (table, columns, line[found.end() :], number)

    def _parse(self, table, columns, text, first):
        """Yield the rows of one INSERT; return False if its text is not complete yet."""
        rows = []
        position, length = 0, len(text)
        row = None
        while True:
            match = _TOKEN.match(text, position)
            if match is None:
                if text[position:].strip() == "":
                    return False
                if text.count("'", position) % 2 == 1:
                    return False  # a string goes on on the next line
                raise DumpError(
                    _(
                        "Table %(table)s, statement on line %(line)s: "
                        "cannot read the values near «%(near)s»."
                    )
                    % {
                        "table": table,
                        "line": first,
                        "near": text[position : position + 40].strip(),
                    }
                )
            position = match.end()
            string, null, number, hexa, punct = match.groups()
            if punct == "(":
                row = []
            elif punct == ")":
                if row is None or len(row) != len(columns):
                    raise DumpError(
                        _(
                            "Table %(table)s, statement on line %(line)s: "
                            "a row has %(got)s values for %(want)s columns."
                        )
                        % {
                            "table": table,
                            "line": first,
                            "got": len(row or []),
                            "want": len(columns),
                        }
                    )
                rows.append(dict(zip(columns, row, strict=True)))
                row = None
            elif punct == ";":
                break
            elif punct == ",":
                continue
            elif row is None:
                raise DumpError(
                    _("Table %(table)s, statement on line %(line)s: a value outside a row.")
                    % {"table": table, "line": first}
                )
            elif string is not None:
                row.append(_unescape(string))
            elif null is not None:
                row.append(None)
            elif number is not None:
                row.append(number)
            else:
                row.append(bytes.fromhex(hexa[2:]).decode(self.encoding, "replace"))
            if position >= length:
                return False
        for parsed in rows:
            yield table, parsed
        return True


def _ends(raw):
    return raw.rstrip().endswith(b";")
