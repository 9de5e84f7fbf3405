"""Factories for membership: a join page."""

from iskra.core.models import StandardPage
from iskra.members.models import JoinPage

from . import core


def join_page(language="ru", title="Вступить", lead="Заполните заявку, и мы свяжемся с вами."):
    """Create and publish a join page with its own privacy policy page."""
    home = core.home(language)
    privacy = StandardPage(title="Политика конфиденциальности", slug=core.unique("privacy"))
    home.add_child(instance=privacy)
    core.publish(privacy)
    page = JoinPage(
        title=title,
        slug=core.unique("join"),
        lead=lead,
        privacy_page=privacy,
        confirmation="<p>Спасибо! Мы получили вашу заявку.</p>",
    )
    home.add_child(instance=page)
    return core.publish(page)
