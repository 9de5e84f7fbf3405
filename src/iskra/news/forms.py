from django import forms
from django.utils.translation import gettext_lazy as _

UPLOAD_MAX_BYTES = 2 * 1024**3


class TelegramImportForm(forms.Form):
    """Upload a Telegram Desktop export and choose the section its posts go to."""

    section = forms.ModelChoiceField(queryset=None, label=_("Section"))
    export = forms.FileField(
        label=_("Export"),
        help_text=_(
            "In Telegram Desktop: the channel's menu › Export chat history, format JSON, "
            "with photos. Upload the export folder as a .zip (or result.json alone, "
            "without photos)."
        ),
    )

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
        self.fields["section"].label_from_instance = lambda section: (
            f"{section.title} ({section.locale.language_code})"
        )

    def clean_export(self):
        upload = self.cleaned_data["export"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 GB."))
        return upload


class SiteImportForm(forms.Form):
    """Upload an old site's export (a DLE dump or a WordPress WXR) and its uploads."""

    SOURCES = [("dle", "DataLife Engine"), ("wordpress", "WordPress")]

    source = forms.ChoiceField(label=_("Old site's engine"), choices=SOURCES)
    export = forms.FileField(
        label=_("Database dump or export"),
        help_text=_(
            "DataLife Engine: the database dump (.sql) made by mysqldump or phpMyAdmin. "
            "WordPress: Tools › Export › All content (.xml)."
        ),
    )
    uploads = forms.FileField(
        label=_("Uploads folder (.zip)"),
        required=False,
        help_text=_(
            "DLE's uploads/ folder or WordPress's wp-content/uploads/, as a .zip. Without "
            "it, articles are imported without their pictures and files (each one is "
            "listed in the report)."
        ),
    )
    language_of = forms.CharField(
        label=_("Categories in Kazakh (DLE)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One category alt_name a line, with =kk or =ru (e.g. zhanalyqtar=kk); other "
            "posts go by their letters."
        ),
    )
    is_dry_run = forms.BooleanField(
        label=_("Dry run: read everything and report, save nothing"), required=False
    )

    def clean_export(self):
        upload = self.cleaned_data["export"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 GB."))
        return upload

    def clean_uploads(self):
        upload = self.cleaned_data.get("uploads")
        if upload and not (upload.name or "").lower().endswith(".zip"):
            raise forms.ValidationError(_("Upload the uploads folder as a .zip file."))
        return upload

    def clean_language_of(self):
        pairs = {}
        for line in self.cleaned_data["language_of"].splitlines():
            if not line.strip():
                continue
            name, _sep, language = line.strip().partition("=")
            if not name.strip() or language.strip() not in ("ru", "kk"):
                raise forms.ValidationError(
                    _("Write each line as CATEGORY_ALT_NAME=kk or =ru: %(line)s")
                    % {"line": line.strip()}
                )
            pairs[name.strip()] = language.strip()
        return pairs
