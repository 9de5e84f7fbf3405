import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("wagtailcore", "0098_apitoken")]

    operations = [
        migrations.CreateModel(
            name="Edition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("format", models.CharField(choices=[("epub", "EPUB"), ("pdf", "PDF")], max_length=8, verbose_name="Format")),
                ("status", models.CharField(choices=[("pending", "Waiting"), ("built", "Built"), ("failed", "Failed"), ("skipped", "Not built")], default="pending", max_length=16, verbose_name="Status")),
                ("file", models.FileField(blank=True, upload_to="editions/", verbose_name="File")),
                ("size", models.PositiveBigIntegerField(default=0)),
                ("word_count", models.PositiveIntegerField(default=0)),
                ("source_digest", models.CharField(blank=True, max_length=64)),
                ("attempted_digest", models.CharField(blank=True, max_length=64)),
                ("error", models.TextField(blank=True, verbose_name="Last error")),
                ("built_at", models.DateTimeField(blank=True, null=True, verbose_name="Built")),
                ("attempted_at", models.DateTimeField(blank=True, null=True, verbose_name="Last attempt")),
                ("page", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="editions", to="wagtailcore.page")),
            ],
            options={"verbose_name": "Edition", "verbose_name_plural": "Editions"},
        ),
        migrations.AddConstraint(
            model_name="edition",
            constraint=models.UniqueConstraint(fields=("page", "format"), name="edition_once_per_format"),
        ),
    ]
