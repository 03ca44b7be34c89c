"""Request rates per client through the shared cache (DRF's throttles); a 429 says when to retry.

The rates are read from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` at each
request, not once at import as DRF's classes do, so a changed setting applies.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _RateFromSettings(SimpleRateThrottle):
    def __init__(self):
        # The rate is looked up per request in allow_request, not here.
        pass

    def allow_request(self, request, view):
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonymousRateThrottle(_RateFromSettings):
    """Clients without a token, by address."""

    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenRateThrottle(_RateFromSettings):
    """Clients with a token, by account (all of one person's tokens together)."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
