"""Anonymous reads of the API's public lists answered from the page cache, before Django's layers.

``PublicListFromCache`` stores an event's talk, speaker and release lists
in the page cache and answers from there, but only once REST framework has
authenticated, checked and throttled the request: twice the cost of a
stored page. A read without a token is the same for everyone, so this
middleware answers it as ``CachedPageMiddleware`` answers pages: the stored
list, with the headers the view would have added, after the anonymous rate
(``api.throttling``) has counted it. Anything else (a token, a list not
stored yet, a client over its rate, whose 429 the view words) goes on to the
view as before.
"""

import functools

from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from api.throttling import AnonymousRateThrottle
from api.views import PublicListFromCache, open_to_other_sites
from infrastructure import page_cache

API_PREFIX = "/api/"


@functools.lru_cache(maxsize=512)
def _stored_list(path):
    """``(event slug, the view's Allow header)`` when ``path`` is a list the cache keeps."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, PublicListFromCache):
        return None
    view = view_class()
    view.setup(None, **match.kwargs)  # which gives a view with ``get`` its ``head``
    return match.kwargs["event_slug"], ", ".join(view.allowed_methods)


@receiver(setting_changed)
def _forget_resolved_lists(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _stored_list.cache_clear()


def _anonymous_rate_allows(request):
    # The throttle asks who the reader is; without a token, nobody.
    request.user = AnonymousUser()
    try:
        return AnonymousRateThrottle().allow_request(request, None)
    finally:
        del request.user


class CachedApiListMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            request.method in ("GET", "HEAD")
            and path.startswith(API_PREFIX)
            and "HTTP_AUTHORIZATION" not in request.META
        ):
            stored_list = _stored_list(path)
            if stored_list is not None:
                response = self._stored_response(request, *stored_list)
                if response is not None:
                    return response
        return self.get_response(request)

    @staticmethod
    def _stored_response(request, slug, allow):
        request.get_host()  # a Host outside ALLOWED_HOSTS is refused here too (400)
        _, response = page_cache.look_up(request, slug)
        # Counted only when answered here: otherwise the view counts it.
        if response is None or not _anonymous_rate_allows(request):
            return None
        response["Allow"] = allow
        patch_vary_headers(response, ["Authorization"])
        return open_to_other_sites(response)
