import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SELECT_PROSE = """(count) => {
  const paragraphs = document.querySelectorAll('.article .prose p');
  const range = document.createRange();
  range.setStart(paragraphs[0], 0);
  range.setEnd(paragraphs[count - 1], paragraphs[count - 1].childNodes.length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return selection.toString().length;
}"""

READ_CLIPBOARD = """async () => {
  const items = await navigator.clipboard.read();
  const result = {};
  for (const item of items) {
    for (const type of item.types) result[type] = await (await item.getType(type)).text();
  }
  return result;
}"""


def test_long_copy_gets_the_source_line_in_text_and_html(tab, report):
    page = tab.open(report.url)
    length = page.evaluate(SELECT_PROSE, 2)
    assert length > 200
    page.keyboard.press("Control+C")
    clipboard = page.evaluate(READ_CLIPBOARD)
    source = f"Источник: http://localhost{report.url}, автор: Айгерим Сапарова"
    assert clipboard["text/plain"].startswith("Съезд открыл председатель профсоюза")
    assert clipboard["text/plain"].endswith(source)
    assert f'href="http://localhost{report.url}"' in clipboard["text/html"]
    assert "Айгерим Сапарова" in clipboard["text/html"]


def test_short_copy_is_left_alone(tab, report):
    page = tab.open(report.url)
    page.evaluate("""() => {
      const lead = document.querySelector('.article h1');
      const range = document.createRange();
      range.selectNodeContents(lead);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
    }""")
    page.keyboard.press("Control+C")
    clipboard = page.evaluate(READ_CLIPBOARD)
    assert clipboard["text/plain"] == report.title


def test_copy_attribution_follows_site_settings(tab, report):
    from iskra.core.models import SiteSettings

    settings = SiteSettings.objects.get()
    settings.is_copy_attribution_enabled = False
    settings.save()
    page = tab.open(report.url)
    page.evaluate(SELECT_PROSE, 2)
    page.keyboard.press("Control+C")
    assert "Источник" not in page.evaluate(READ_CLIPBOARD)["text/plain"]


def test_kazakh_page_uses_kazakh_source_line(tab, kk_report):
    page = tab.open(kk_report.url)
    page.evaluate(SELECT_PROSE, 2)
    page.keyboard.press("Control+C")
    text = page.evaluate(READ_CLIPBOARD)["text/plain"]
    assert f"Дереккөз: http://localhost{kk_report.url}" in text
    assert text.endswith("авторы: Әйгерім Сапарова")
