"""Carry the works' EPUB and PDF editions over to the shared edition pipeline
(publishing.Edition), and keep only the original file here (WorkOriginal).

The files stay where they are: the download addresses (…/download/epub/) serve them.
The digest is the same ``source_key``, so nothing is rebuilt.
"""

from django.db import migrations, models


def files_to_editions(apps, schema_editor):
    WorkFiles = apps.get_model("library", "WorkFiles")
    Edition = apps.get_model("publishing", "Edition")
    for files in WorkFiles.objects.all():
        for fmt, file, size in (("epub", files.epub, files.epub_size), ("pdf", files.pdf, files.pdf_size)):
            if files.status == "pending" and not file:
                continue  # never built: the periodic check builds it
            status = files.status
            if fmt == "pdf" and not file and files.status == "built":
                status = "skipped"  # too long for one PDF
            Edition.objects.update_or_create(
                page_id=files.work_id,
                format=fmt,
                defaults={
                    "status": status,
                    "file": file.name if file else "",
                    "size": size if file else 0,
                    "source_digest": files.source_key if file else "",
                    "attempted_digest": files.source_key,
                    "error": files.error,
                    "built_at": files.built_at,
                    "attempted_at": files.built_at,
                },
            )


def editions_to_files(apps, schema_editor):
    WorkFiles = apps.get_model("library", "WorkFiles")
    Edition = apps.get_model("publishing", "Edition")
    WorkPage = apps.get_model("library", "WorkPage")
    works = set(WorkPage.objects.values_list("pk", flat=True))
    for edition in Edition.objects.filter(page_id__in=works):
        files, _created = WorkFiles.objects.get_or_create(work_id=edition.page_id)
        setattr(files, edition.format, edition.file.name)
        setattr(files, f"{edition.format}_size", edition.size)
        files.status = "failed" if edition.status == "failed" else "built"
        files.source_key, files.error = edition.source_digest, edition.error
        files.built_at = edition.built_at
        files.save()
    Edition.objects.filter(page_id__in=works).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0002_work_files_and_images"),
        ("publishing", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(files_to_editions, editions_to_files),
        migrations.RemoveField(model_name="workfiles", name="epub"),
        migrations.RemoveField(model_name="workfiles", name="pdf"),
        migrations.RemoveField(model_name="workfiles", name="epub_size"),
        migrations.RemoveField(model_name="workfiles", name="pdf_size"),
        migrations.RemoveField(model_name="workfiles", name="status"),
        migrations.RemoveField(model_name="workfiles", name="error"),
        migrations.RemoveField(model_name="workfiles", name="source_key"),
        migrations.RemoveField(model_name="workfiles", name="built_at"),
        migrations.RenameModel(old_name="WorkFiles", new_name="WorkOriginal"),
        migrations.RenameField(model_name="workoriginal", old_name="original", new_name="file"),
        migrations.RenameField(model_name="workoriginal", old_name="original_format", new_name="format"),
        migrations.RenameField(model_name="workoriginal", old_name="original_size", new_name="size"),
        migrations.AlterField(
            model_name="workoriginal",
            name="work",
            field=models.OneToOneField(on_delete=models.deletion.CASCADE, related_name="original", to="library.workpage"),
        ),
        migrations.AlterModelOptions(
            name="workoriginal",
            options={"verbose_name": "Original file", "verbose_name_plural": "Original files"},
        ),
    ]
