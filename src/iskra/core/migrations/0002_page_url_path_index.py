"""Index Wagtail's page url_path, which Iskra's router looks pages up by."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS iskra_page_url_path ON wagtailcore_page (url_path)",
            "DROP INDEX IF EXISTS iskra_page_url_path",
        ),
    ]
