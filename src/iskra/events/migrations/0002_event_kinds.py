"""The usual kinds of events; editors can add and rename them (Snippets › Event kinds)."""

from django.db import migrations

KINDS = [
    ("Конференция", "Конференция", "EducationEvent"),
    ("Собрание", "Жиналыс", "SocialEvent"),
    ("Круглый стол", "Дөңгелек үстел", "EducationEvent"),
    ("Митинг", "Митинг", "SocialEvent"),
    ("Вебинар", "Вебинар", "EducationEvent"),
]


def create_kinds(apps, schema_editor):
    EventKind = apps.get_model("events", "EventKind")
    for name_ru, name_kk, schema_type in KINDS:
        EventKind.objects.get_or_create(
            name_ru=name_ru, defaults={"name_kk": name_kk, "schema_type": schema_type}
        )


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(create_kinds, migrations.RunPython.noop)]
