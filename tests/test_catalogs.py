"""The ru and kk catalogs are complete, and the committed .mo files match the .po files."""

import re
from pathlib import Path

import pytest

babel = pytest.importorskip("babel.messages.pofile")
from babel.messages.extract import extract_from_dir  # noqa: E402  (after the importorskip guard)
from babel.messages.mofile import read_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

LOCALE = Path(__file__).resolve().parent.parent / "src" / "iskra" / "locale"


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_interface_string_is_translated(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as handle:
        catalog = read_po(handle, locale=language)
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (
            not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
            or message.fuzzy
        )
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_compiled_catalog_matches_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with open(folder / "django.po", "rb") as handle:
        source = {_key(m.id): _key(m.string) for m in read_po(handle) if m.id}
    with open(folder / "django.mo", "rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    assert compiled == source, "run `make messages` to recompile the catalogs"


def _key(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


SOURCE = LOCALE.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
}
TEMPLATE_STRING = re.compile(r'{%\s*(?:translate|trans)\s+"((?:[^"\\]|\\.)*)"')


def _source_strings():
    """Return the msgids of the Python code (Babel's extractor) and of the templates'
    ``{% translate "…" %}`` tags."""
    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(SOURCE),
            method_map=[("**/migrations/**", "ignore"), ("**.py", "python")],
            keywords=KEYWORDS,
        )
    }
    for template in SOURCE.rglob("*.html"):
        found.update(TEMPLATE_STRING.findall(template.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_string_in_the_code_and_templates_is_in_the_catalog(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as handle:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}

    missing = sorted(_source_strings() - known)

    assert missing == [], f"add them to locale/{language}/LC_MESSAGES/django.po"
