"""Force coordinators through TOTP two-factor authentication when the setting asks for it."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

EXEMPT_PREFIXES = ("/comptes/", "/static/", "/healthz", "/mentions-legales", "/confidentialite")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not user.is_verified()
            # ProConnect asserted a strong authentication the settings accept (proconnect.py).
            and not request.session.get("proconnect_strong_authentication")
            and self._needs_second_factor(user)
        ):
            return redirect(reverse("accounts:two_factor") + f"?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _needs_second_factor(user) -> bool:
        if settings.MUTUALIS_REQUIRE_2FA_FOR_COORDINATORS and user.is_coordinator:
            return True
        return user_has_device(user, confirmed=True)
