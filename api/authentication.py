"""``Authorization: Bearer <token>`` (or ``Token <token>``) with a personal API token."""

from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.models import ApiToken, token_hash

SCHEMES = {"bearer", "token"}
# ``last_used`` is written at most this often per token, not on every request.
LAST_USED_RESOLUTION_SECONDS = 60


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in SCHEMES:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                gettext("Send the token as “Authorization: Bearer <token>”, with nothing else.")
            )
        found = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(hashed_token=token_hash(header[1]))
        ).first()
        if found is None:
            raise exceptions.AuthenticationFailed(
                gettext(
                    "This API token is unknown or revoked; create a new one on your account "
                    "page (/accounts/tokens/) or in the admin."
                )
            )
        now = timezone.now()
        if found.last_used is None or (now - found.last_used).total_seconds() > (
            LAST_USED_RESOLUTION_SECONDS
        ):
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        return found.user, found

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, created by an organiser on their account page "
            "(/accounts/tokens/) or in the admin.",
        }
