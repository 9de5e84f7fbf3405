"""The application form and the secretaries' forms."""

import re
import time

import phonenumbers
from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import Status
from .regions import Region

FORM_SALT = "iskra.members.application-form"
# A form left open longer than this is refused with a request to send it again.
FORM_LIFETIME_SECONDS = 24 * 3600
_KAZAKH_ORDER = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
_SORT_KEY = {letter: index for index, letter in enumerate(_KAZAKH_ORDER)}
_TELEGRAM_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
_TELEGRAM_LINK = re.compile(r"^(?:https?://)?(?:t\.me|telegram\.me)/", re.IGNORECASE)
_CITIES = (Region.ASTANA, Region.ALMATY, Region.SHYMKENT)


def form_token(started=None):
    """Return the signed token recording when the form was shown (epoch seconds)."""
    return signing.dumps(
        {"t": int(started if started is not None else time.time())}, salt=FORM_SALT
    )


def _alphabetical(label):
    """Sort key for Russian and Kazakh names in the Kazakh alphabet's order."""
    return [_SORT_KEY.get(letter, 100 + ord(letter)) for letter in str(label).upper()]


def region_choices():
    """Return the region choices in the active language: cities, regions A–Я, abroad."""
    regions = [(r.value, r.label) for r in Region if r not in _CITIES and r is not Region.OTHER]
    regions.sort(key=lambda choice: _alphabetical(choice[1]))
    return [
        ("", _("Choose…")),
        (_("Cities"), [(r.value, r.label) for r in _CITIES]),
        (_("Regions"), regions),
        (Region.OTHER.value, Region.OTHER.label),
    ]


class ApplicationForm(forms.Form):
    """What an applicant fills in; ``clean`` also checks the bot guards."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    region = forms.ChoiceField(label=_("City or region"))
    country = forms.CharField(
        label=_("Country and city"),
        max_length=200,
        required=False,
        help_text=_("If you live outside Kazakhstan."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("A Kazakhstan number, or an international one starting with +."),
    )
    telegram = forms.CharField(label=_("Telegram username"), max_length=64, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    message = forms.CharField(
        label=_("About you"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you do, what you would like to take part in, questions."),
    )
    is_adult = forms.BooleanField(
        label=_("I am 18 or older"),
        error_messages={"required": _("Only adults can join: confirm that you are 18 or older.")},
    )
    has_consented = forms.BooleanField(
        error_messages={
            "required": _(
                "Without your consent to the processing of personal data the application "
                "cannot be accepted."
            )
        },
    )
    # Bot guards: a field people never see, and the signed time the form was shown.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    contact_fields = ("phone", "telegram", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()
        self.fields["started"].initial = form_token()
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    @property
    def is_bot(self):
        """Return True when the hidden field was filled in (only programs do that)."""
        return bool(self.data.get("website"))

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean_phone(self):
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, "KZ")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(
                _("This does not look like a phone number. Example: +7 701 234 56 78.")
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_telegram(self):
        raw = _TELEGRAM_LINK.sub("", self.cleaned_data["telegram"].strip()).lstrip("@")
        if not raw:
            return ""
        if not _TELEGRAM_USERNAME.fullmatch(raw):
            raise forms.ValidationError(
                _(
                    "A Telegram username has 5 to 32 Latin letters, digits or underscores, "
                    "for example @ivan_petrov."
                )
            )
        return "@" + raw

    def clean_started(self):
        try:
            started = int(signing.loads(self.cleaned_data["started"], salt=FORM_SALT)["t"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            started = None
        if started is None or time.time() - started > FORM_LIFETIME_SECONDS:
            raise forms.ValidationError(
                _("The form has expired. Check your answers and send it again."),
                code="expired",
            ) from None
        if time.time() - started < settings.MEMBERS_MIN_FILL_SECONDS:
            raise forms.ValidationError(
                _("The form was sent too quickly. Check your answers and send it again."),
                code="too_fast",
            )
        return started

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("region") == Region.OTHER and not cleaned.get("country"):
            self.add_error("country", _("Enter your country and city."))
        contacts = [name for name in self.contact_fields if name not in self.errors]
        if len(contacts) == len(self.contact_fields) and not any(
            cleaned.get(name) for name in contacts
        ):
            self.add_error(
                "phone", _("Give at least one way to reach you: phone, Telegram or email.")
            )
        return cleaned

    def full_clean(self):
        super().full_clean()
        if self.is_bound and "started" in self.errors:
            # A new start time, so that sending again can succeed.
            self.data = self.data.copy()
            self.data["started"] = form_token()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
