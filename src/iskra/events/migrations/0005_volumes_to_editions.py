"""Carry the collected volumes over to the shared edition pipeline (publishing.Edition).

The files stay where they are, so every address of an existing volume keeps working.
"""

from django.db import migrations

STATUS = {"built": "built", "failed": "failed", "building": "pending"}


def volumes_to_editions(apps, schema_editor):
    ProceedingsVolume = apps.get_model("events", "ProceedingsVolume")
    Edition = apps.get_model("publishing", "Edition")
    for volume in ProceedingsVolume.objects.all():
        for fmt, file, size in (
            ("epub", volume.epub, volume.epub_size),
            ("pdf", volume.pdf, volume.pdf_size),
        ):
            Edition.objects.update_or_create(
                page_id=volume.event_id,
                format=fmt,
                defaults={
                    "status": STATUS.get(volume.status, "pending"),
                    "file": file.name if file else "",
                    "size": size if file else 0,
                    "word_count": volume.word_count,
                    # A new digest is computed from the document; an empty one makes the
                    # periodic check build it once with the new pipeline.
                    "source_digest": "",
                    "attempted_digest": "",
                    "error": volume.error,
                    "built_at": volume.built_at,
                    "attempted_at": volume.attempted_at,
                },
            )


def editions_to_volumes(apps, schema_editor):
    ProceedingsVolume = apps.get_model("events", "ProceedingsVolume")
    Edition = apps.get_model("publishing", "Edition")
    EventPage = apps.get_model("events", "EventPage")
    events = set(EventPage.objects.values_list("pk", flat=True))
    for edition in Edition.objects.filter(page_id__in=events):
        volume, _created = ProceedingsVolume.objects.get_or_create(
            event_id=edition.page_id, defaults={"status": "building"}
        )
        setattr(volume, edition.format, edition.file.name)
        setattr(volume, f"{edition.format}_size", edition.size)
        volume.status = "built" if edition.status == "built" else "failed"
        volume.word_count, volume.built_at = edition.word_count, edition.built_at
        volume.save()
    Edition.objects.filter(page_id__in=events).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_eventpage_is_crossposted"),
        ("publishing", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(volumes_to_editions, editions_to_volumes),
        migrations.DeleteModel(name="ProceedingsVolume"),
    ]
