"""The staff site's front door: optional TOTP two-factor login, required for Editors
when ``REQUIRE_2FA_FOR_EDITORS`` is on and for every staff account when
``REQUIRE_2FA_FOR_STAFF`` is, and self-service enrolment.

``newsroom.adminconfig.NewsroomAdminConfig`` makes ``NewsroomAdminSite`` Django's
default admin site, so every ``@admin.register`` and ``admin.site`` keeps working
unchanged at ``/admin/``. django-axes (settings) counts failed passwords per address
on the same login form; ``newsroom.login_throttle`` counts them per account, and
while an account is throttled this form lets in only its owner's password together
with a valid two-factor code.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.sites import AdminSite
from django.contrib.auth.signals import user_login_failed
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from core.adminguard import guarded_admin
from newsroom import login_throttle
from newsroom.groups import EDITORS

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

TOKEN_HELP = "Six digits from your authenticator app."


def has_confirmed_device(user: AbstractBaseUser) -> bool:
    """Whether the user has finished setting up two-factor login."""
    if not user.is_authenticated:
        return False
    # Asked several times per admin request; the user object lives for one request.
    if not hasattr(user, "_newsroom_has_device"):
        from django_otp import user_has_device

        user._newsroom_has_device = user_has_device(user, confirmed=True)
    return user._newsroom_has_device


def two_factor_required_for(user: AbstractBaseUser) -> str | None:
    """Who the site requires two factors of, when that includes ``user``, or None."""
    if not user.is_authenticated:
        return None
    if settings.REQUIRE_2FA_FOR_STAFF and user.is_staff:
        return "staff"
    if settings.REQUIRE_2FA_FOR_EDITORS and user.groups.filter(name=EDITORS).exists():
        return "editors"
    return None


def must_enrol(user: AbstractBaseUser) -> bool:
    """Staff without a device while the site requires two factors of them."""
    return two_factor_required_for(user) is not None and not has_confirmed_device(user)


class StaffLoginForm(AdminAuthenticationForm):
    """The admin login; asks for the two-factor code when the account has a device."""

    otp_token = forms.CharField(
        label="Two-factor code",
        required=False,
        max_length=12,
        help_text="Only if you have set up two-factor login. " + TOKEN_HELP,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
            }
        ),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "token_required": (
            "This account uses two-factor login: enter the code from your "
            "authenticator app as well."
        ),
        "invalid_token": (
            "That two-factor code is not right, or it has expired. Wait for a new "
            "code and try again."
        ),
        # The same words whether the password was right or not.
        "throttled": (
            "Sign-in to this account is paused after many failed attempts. Its "
            "owner can still sign in with the password and the code from their "
            "authenticator app. Otherwise try again later, or ask a colleague who "
            "manages staff accounts to lift the pause."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username and login_throttle.is_throttled(username):
            return self._clean_throttled(username)
        cleaned = super().clean()
        user = self.get_user()
        if user is None or not has_confirmed_device(user):
            return cleaned
        from django_otp import match_token

        token = "".join(cleaned.get("otp_token", "").split())
        if not token:
            raise forms.ValidationError(
                self.error_messages["token_required"], code="token_required"
            )
        device = match_token(user, token)
        if device is None:
            raise forms.ValidationError(
                self.error_messages["invalid_token"], code="invalid_token"
            )
        # django_otp's user_logged_in handler stores the device in the session.
        user.otp_device = device
        return cleaned

    def _clean_throttled(self, username: str) -> dict[str, Any]:
        """A throttled account: only the password with a valid code gets in.

        Every other answer is the same refusal, counted as one more failure, so
        neither the page nor the lockout that follows tells a guesser whether the
        password was right. The code is checked only after the password, so a
        stranger cannot use up the device's own throttle.
        """
        from django_otp import match_token

        refusal = forms.ValidationError(
            self.error_messages["throttled"], code="throttled"
        )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            # A wrong password was counted by authenticate(); the right one for an
            # account that may not use the admin is counted here, like the rest.
            if self.user_cache is not None:
                self._count_failure(username)
            raise refusal from None
        user = self.get_user()
        if user is None:  # no password given: the field says so; nothing was tried
            raise refusal
        token = "".join(cleaned.get("otp_token", "").split())
        device = match_token(user, token) if token else None
        if device is None:
            self._count_failure(username)
            raise refusal
        user.otp_device = device
        return cleaned

    def _count_failure(self, username: str) -> None:
        """A refused sign-in whose password was right, counted as a wrong one."""
        self.user_cache = None
        user_login_failed.send(
            sender=__name__, credentials={"username": username}, request=self.request
        )


class TokenForm(forms.Form):
    """The first code from a newly added authenticator app, proving it works."""

    otp_token = forms.CharField(
        label="Code from your app",
        max_length=12,
        help_text=TOKEN_HELP,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args: Any, device: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self) -> str:
        token = "".join(self.cleaned_data["otp_token"].split())
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(
                "That code does not match. Check the time on your phone, wait for a "
                "new code and try again.",
                code="invalid_token",
            )
        return token


class NewsroomAdminSite(AdminSite):
    """The admin, where a staff account with a device must have used it to log in."""

    site_header = "Newsroom administration"
    site_title = "Newsroom admin"
    index_title = "Newsroom"
    login_form = StaffLoginForm

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        """Register as Django does, with ``core.adminguard.AdminGuard`` under
        every ModelAdmin (other apps' too): filters and ids from the browser are
        checked before they reach the database."""
        admin_class = guarded_admin(admin_class or ModelAdmin)
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        user = request.user
        return user.is_verified() or not has_confirmed_device(user)

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            is_logout = request.path == reverse("admin:logout", current_app=self.name)
            user = request.user
            if user.is_active and user.is_staff and not is_logout and must_enrol(user):
                return render(
                    request,
                    "admin/two_factor_required.html",
                    {
                        **self.each_context(request),
                        "title": "Two-factor login needed",
                        "required_of": two_factor_required_for(user),
                    },
                    status=403,
                )
            return inner(request, *args, **kwargs)

        return guarded

    def get_urls(self) -> list:
        urls = [
            path(
                "two-factor/",
                self.two_factor_setup,
                name="two_factor_setup",
            ),
            path(
                "sign-ins/clear/",
                self.admin_view(self.clear_login_throttle),
                name="clear_login_throttle",
            ),
            # Before Django's own "r/" route, which it replaces.
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
        ]
        return urls + super().get_urls()

    def view_on_site(
        self, request: HttpRequest, content_type_id: str, object_id: str
    ) -> HttpResponse:
        """Django's "view on site" redirect, only for objects the user may see here.

        Django's own checks no permission: any staff account (a moderator) could
        walk ``/admin/r/<type>/<id>/`` and read every draft's address, its slug
        being the unpublished headline.
        """
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut
        from django.core.exceptions import ObjectDoesNotExist, ValidationError
        from django.http import Http404

        try:
            model = ContentType.objects.get(pk=content_type_id).model_class()
            obj = model._default_manager.get(pk=object_id)
        except (ObjectDoesNotExist, AttributeError, ValueError, ValidationError):
            raise Http404("No such object.") from None
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(
            request, obj
        ):
            raise Http404("No such object.")
        return shortcut(request, content_type_id, object_id)

    @method_decorator(require_POST)
    def clear_login_throttle(self, request: HttpRequest) -> HttpResponse:
        """The desk's "Clear" button: an account may use its password alone again."""
        username = request.POST.get("username", "")
        if not username:
            return HttpResponseBadRequest("Which account? The form names none.")
        cleared = login_throttle.clear_throttle(username=username, by=request.user)
        messages.success(
            request,
            f"Sign-in for “{username}” is open again "
            f"({cleared} failed attempt{'s' if cleared != 1 else ''} cleared).",
        )
        return HttpResponseRedirect(reverse("admin:index", current_app=self.name))

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def two_factor_setup(self, request: HttpRequest) -> HttpResponse:
        """Self-service TOTP enrolment: scan, type the first code, done."""
        user = request.user
        login_url = reverse("admin:login", current_app=self.name)
        if not (user.is_active and user.is_staff):
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path(), login_url)
        context = {**self.each_context(request), "title": "Two-factor login"}
        if has_confirmed_device(user):
            if not user.is_verified():
                # A device exists: only someone who has used it may see this page.
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path(), login_url)
            return render(request, "admin/two_factor_setup.html", context)

        from django_otp import login as otp_login
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # Reuse the pending device, so reloading the page keeps the same QR code.
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, confirmed=False, name="Authenticator app"
            )
        form = TokenForm(request.POST or None, device=device)
        if request.method == "POST" and form.is_valid():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
        context.update(
            {
                "form": form,
                "qr_code": qr_code_data_uri(device.config_url),
                "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
                "issuer": settings.OTP_TOTP_ISSUER,
            }
        )
        return render(request, "admin/two_factor_setup.html", context)


def qr_code_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, so nothing is fetched from elsewhere."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
