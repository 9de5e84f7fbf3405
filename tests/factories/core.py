"""Factories for core things: homes (the demo's, as the tree's roots), people."""

import itertools

from wagtail.models import Locale

from iskra.core.models import HomePage, Person

_numbers = itertools.count(1)


def unique(prefix):
    """Return ``prefix`` with a number no other call returned (slugs, titles)."""
    return f"{prefix}-{next(_numbers)}"


def home(language="ru"):
    """Return the home page of ``language``: the root new pages go under."""
    return HomePage.objects.get(locale__language_code=language)


def person(name="Айгерим Сапарова", language="ru"):
    return Person.objects.create(
        name=name, slug=unique("person"), locale=Locale.objects.get(language_code=language)
    )


def publish(page):
    """Publish ``page``'s current state; return it."""
    page.save_revision().publish()
    return page
