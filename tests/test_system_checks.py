"""Django's system checks pass on the configured database (migrate and serve run them)."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_system_checks_pass_on_the_configured_database():
    call_command("check", "--database", "default", "--fail-level", "WARNING")
