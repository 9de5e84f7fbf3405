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
