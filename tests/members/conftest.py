import pytest
from django.core import signing

from iskra.members.forms import FORM_SALT


@pytest.fixture
def join_page(ru_home):
    from iskra.members.models import JoinPage

    return JoinPage.objects.child_of(ru_home).get()


@pytest.fixture
def kk_join_page(kk_home):
    from iskra.members.models import JoinPage

    return JoinPage.objects.child_of(kk_home).get()


def started_token(seconds_ago=60):
    """Return the form's start token as if the form had been shown ``seconds_ago``."""
    import time

    return signing.dumps({"t": int(time.time()) - seconds_ago}, salt=FORM_SALT)


@pytest.fixture
def application_data():
    """Return a complete, valid application as the form posts it."""
    return {
        "name": "Айгүл Серікқызы",
        "region": "karaganda",
        "country": "",
        "phone": "8 701 234 56 78",
        "telegram": "@aigul_s",
        "email": "aigul@example.kz",
        "message": "Хочу помогать с переводами на казахский язык.",
        "is_adult": "on",
        "has_consented": "on",
        "website": "",
        "started": started_token(),
    }


@pytest.fixture
def secretary(db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("olga", "olga@example.org", "pw")
    user.groups.add(Group.objects.get(name="Membership secretaries"))
    return user


@pytest.fixture
def editor(db):
    """A Wagtail editor (admin access, all page permissions) outside the secretaries' group."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("ivan", "ivan@example.org", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user
