from django import forms
from django.utils.translation import gettext_lazy as _


class BookImportForm(forms.Form):
    """Upload an e-book and choose the library it goes to."""

    library = forms.ModelChoiceField(queryset=None, label=_("Library"))
    author = forms.CharField(
        label=_("Author"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to take the author from the book."),
    )
    book = forms.FileField(
        label=_("Book"),
        help_text=_("FB2 (.fb2 or .fb2.zip), EPUB, plain text (.txt) or Markdown (.md)."),
    )

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = libraries
        self.fields["library"].label_from_instance = lambda page: (
            f"{page.title} ({page.locale.language_code})"
        )
