"""Two-factor login to the admin: a code from an authenticator app (TOTP, django-otp).

Wagtail's own login asks for the password; then ``TwoFactorMiddleware`` keeps every admin
page closed until the second factor is given in the same session: a user with an
authenticator gives its six-digit code (``verify``), a user without one scans a QR code
and confirms it with a first code (``setup``). Django-otp stores the devices, checks the
codes (a window of one step either side, each code used once) and slows down guessing.
An administrator removes a lost phone's device (``reset``), so its owner sets up a new
one at the next login.

``TWO_FACTOR`` (``settings.ISKRA_TWO_FACTOR``): ``required`` (the default: everyone who
enters the admin), ``optional`` (only those who set up a device are asked), ``off``.

wagtail-2fa would have been the package for this, but it does not load on Wagtail 8
(labd/wagtail-2fa#283); this module is the glue between django-otp and Wagtail's admin.
"""

import base64

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

# Pages of the admin that open before the second factor is given.
_OPEN_URL_NAMES = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "iskra_two_factor_verify",
    "iskra_two_factor_setup",
)


def mode():
    return settings.ISKRA_TWO_FACTOR


def has_device(user):
    return django_otp.user_has_device(user, confirmed=True)


class TwoFactorMiddleware(OTPMiddleware):
    """django-otp's middleware (``request.user.is_verified()``), and the admin closed to a
    logged-in user until the second factor is given."""

    _open_paths = None
    _admin_prefix = None

    def __call__(self, request):
        self._install_lazy_accessors(request)
        response = self._closed(request)
        return response or self.get_response(request)

    def _closed(self, request):
        if mode() == "off" or not request.path_info.startswith(_admin_prefix()):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.path_info in _open_paths():
            return None
        if has_device(user):
            target = "iskra_two_factor_verify"
        elif mode() == "required":
            target = "iskra_two_factor_setup"
        else:
            return None
        return redirect_to_login(request.get_full_path(), reverse(target))


def _admin_prefix():
    if TwoFactorMiddleware._admin_prefix is None:
        TwoFactorMiddleware._admin_prefix = reverse("wagtailadmin_home")
    return TwoFactorMiddleware._admin_prefix


def _open_paths():
    if TwoFactorMiddleware._open_paths is None:
        TwoFactorMiddleware._open_paths = {reverse(name) for name in _OPEN_URL_NAMES}
    return TwoFactorMiddleware._open_paths


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


def _qr_code(device):
    """The device's otpauth:// address as an SVG QR code (a data: URL) and its key."""
    # config_url names the site (OTP_TOTP_ISSUER) and the account.
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return qr, " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _slowed_down(devices):
    """Whether django-otp makes these devices wait after wrong codes (asked before a try:
    a code given while waiting is refused, whether it is right or not)."""
    return bool(devices) and not any(device.verify_is_allowed()[0] for device in devices)


def _wrong_code(slowed_down):
    if slowed_down:
        return _("Too many wrong codes: wait a little, then try again.")
    return _("This code is not right. Check the time on your phone.")


@never_cache
@sensitive_post_parameters("code")
def setup(request):
    """Set up an authenticator: a QR code, then the first code confirms it."""
    user = request.user
    if has_device(user) and not user.is_verified():
        return redirect_to_login(_next_url(request), reverse("iskra_two_factor_verify"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=str(_("Authenticator")), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        slowed_down = _slowed_down([device])
        if device.verify_token(form.cleaned_data["code"]):
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            messages.success(request, _("Two-factor login is set up."))
            return redirect(_next_url(request))
        form.add_error("code", _wrong_code(slowed_down))
    qr, key = _qr_code(device)
    return TemplateResponse(
        request,
        "core/admin/two_factor_setup.html",
        {
            "form": form,
            "qr": qr,
            "key": key,
            "next": _next_url(request),
        },
    )


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    """Give the code of the authenticator after the password."""
    user = request.user
    if not has_device(user):
        return redirect_to_login(_next_url(request), reverse("iskra_two_factor_setup"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        slowed_down = _slowed_down(list(TOTPDevice.objects.filter(user=user, confirmed=True)))
        device = django_otp.match_token(user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _wrong_code(slowed_down))
    return TemplateResponse(
        request, "core/admin/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@never_cache
@permission_required("auth.change_user", raise_exception=True)
def reset(request, user_id):
    """Remove a user's authenticator (a lost phone): they set up a new one at next login."""
    account = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        TOTPDevice.objects.filter(user=account).delete()
        messages.success(
            request,
            _("%(user)s sets up a new authenticator at the next login.")
            % {"user": account.get_username()},
        )
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "core/admin/two_factor_reset.html",
        {
            "account": account,
            "has_device": has_device(account),
            "page_title": _("Remove the authenticator"),
            "header_icon": "key",
        },
    )


urlpatterns = [
    path("two-factor/verify/", verify, name="iskra_two_factor_verify"),
    path("two-factor/setup/", setup, name="iskra_two_factor_setup"),
    path("two-factor/reset/<int:user_id>/", reset, name="iskra_two_factor_reset"),
]
