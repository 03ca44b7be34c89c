"""Serving pages from the cache.

An entry is one cache value: its metadata and the page gzipped (the plain
page is made from it for the rare client that refuses gzip). A client that
takes Brotli gets it: the first such request of a version compresses the page
once and writes it back into the entry, so every process then serves it
pre-compressed. Each process
also keeps the entries it served last in its own memory, under the same key,
so that a hit costs one small read of the event's version from the shared
cache and no copy of a megabyte page across the network. The key holds the
version, so a change made by any process reaches every process on its next
request. While the shared cache cannot be reached there is no version to key
on: pages are rendered, served and not stored, and none is served from this
process's memory either, since an edit made elsewhere meanwhile could not be
told apart (``shared.py``). Query strings are put in one form first, and
their number bounded (``queries.py``).
"""

import functools
import gzip
import hashlib
import math
import re
import time
from dataclasses import dataclass, field, replace

import brotli
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language, get_language_from_request

from infrastructure.page_cache import shared
from infrastructure.page_cache.fragments import DEFLATE_LEVEL, gzip_from_parts
from infrastructure.page_cache.memory import RecentItems
from infrastructure.page_cache.queries import (
    canonical_request,
    query_variant_admitted,
    render_admitted,
)
from infrastructure.page_cache.versions import SITE, VERSION_SECONDS, event_version
from infrastructure.site_url import site_root

# Pages are replaced by version, not by age; no entry outlives the version it
# was stored under, so entries left behind by a new version linger no longer.
PAGE_TIMEOUT = VERSION_SECONDS
STORED_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Access-Control-Allow-Origin",
    "Access-Control-Expose-Headers",
    "Content-Language",
    # Only a page whose view wrote its own policy has one here (the embeddable
    # schedule, which names who may frame it); the others get the site's from
    # the CSP middleware, on the way out, as every response does.
    "Content-Security-Policy",
)
# A 304 carries these too: browsers replace their stored copy's policy with
# the one a 304 brings, so a 304 without it would get the site's default.
REVALIDATED_HEADERS = ("Access-Control-", "Content-Security-Policy")


# Quality 4 packs a schedule page smaller than gzip's level 5, in less time.
BROTLI_QUALITY = 4
BROTLI, GZIP, IDENTITY = "br", "gzip", ""
_CODING = re.compile(r"^\s*([\w*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def _encoding(request):
    """The body this client gets: Brotli, gzip or plain, by its Accept-Encoding.

    Brotli when it is taken at least as gladly as gzip; a coding given q=0 is refused.
    """
    weights = {}
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "").lower().split(","):
        match = _CODING.match(item)
        if match:
            try:
                weights[match[1]] = float(match[2]) if match[2] else 1.0
            except ValueError:
                weights[match[1]] = 0.0
    gzip_weight = weights.get(GZIP, weights.get("*", 0.0))
    brotli_weight = weights.get(BROTLI, weights.get("*", 0.0))
    if brotli_weight > 0 and brotli_weight >= gzip_weight:
        return BROTLI
    return GZIP if gzip_weight > 0 else IDENTITY


def _address(request):
    # With the root its absolute links start with: one site reached by two
    # names (without SITE_URL) keeps one copy per name. With the language the
    # page is in, chosen as LocaleMiddleware will choose it (the cookie the
    # switcher sets, else Accept-Language), which it has not yet done here.
    language = get_language_from_request(request)
    return f"{site_root(request)}\n{language}\n{request.get_full_path()}"


def _entry_key(request, slug):
    """The cache key of this request's page; None when the version cannot be read."""
    version = event_version(slug)
    if version is None:
        return None
    digest = hashlib.sha256(f"{version}\n{_address(request)}".encode()).hexdigest()
    return f"pages:page:{digest}"


@dataclass
class _Entry:
    gzipped: bytes
    etag: str
    last_modified: str  # as the header says it
    last_modified_seconds: int
    headers: tuple  # (name, value) pairs of STORED_HEADERS
    expires: float  # when it stops being true, as time.time() counts
    # The view let other sites frame the page (Django's ``xframe_options_exempt``).
    xframe_options_exempt: bool = False
    plain: bytes | None = field(default=None, repr=False)
    brotli: bytes | None = field(default=None, repr=False)

    @property
    def body(self):
        if self.plain is None:
            self.plain = gzip.decompress(self.gzipped)
        return self.plain

    def encoded(self, encoding):
        """The page as a client taking ``encoding`` gets it."""
        if encoding == GZIP:
            return self.gzipped
        if encoding == BROTLI:
            return self.brotli
        return self.body

    def size(self, encoding):
        """Its bytes in memory: the gzipped page, and the body ``encoding`` made beside it."""
        return len(self.gzipped) + (0 if encoding == GZIP else len(self.encoded(encoding)))

    def __getstate__(self):
        # The shared cache gets the compressed pages only: a tenth of the bytes to
        # send and keep; the few clients that refuse gzip cost a decompression.
        return {**self.__dict__, "plain": None}

    def __setstate__(self, state):
        self.__dict__.update({"brotli": None, **state})


recent_entries = RecentItems(settings.PAGE_CACHE_MEMORY_BYTES)


def _entry(key, *, encoding):
    """The entry under ``key``: from this process's memory, else from the shared cache.

    Kept in memory once per encoding served, each copy with the body it needs.
    """
    memory_key = (key, encoding)
    entry = recent_entries.get(memory_key)
    if entry is None:
        entry = shared.get(key)
        # The entry knows when it stops being true, whatever the cache's own clock.
        if entry is None or entry.expires <= time.time():
            return None
        if encoding == BROTLI and entry.brotli is None:
            _add_brotli(key, entry)
        if encoding != IDENTITY:
            entry = replace(entry, plain=None)
        # Counted by its bodies (the rest is small beside them).
        recent_entries.put(memory_key, entry, entry.size(encoding))
    return entry


def _add_brotli(key, entry):
    """Compress ``entry``'s page with Brotli, once for every process: it goes back to the cache.

    Two processes doing it at once write the same bytes, so neither write is lost.
    """
    entry.brotli = brotli.compress(entry.body, quality=BROTLI_QUALITY)
    seconds = math.ceil(entry.expires - time.time())
    if seconds > 0:
        shared.set(key, entry, seconds)


def _not_modified(request, entry):
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return entry.etag in tags or "*" in tags
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and since >= entry.last_modified_seconds


def _response(request, entry, encoding):
    conditional = request.META.get("HTTP_IF_NONE_MATCH") or request.META.get(
        "HTTP_IF_MODIFIED_SINCE"
    )
    if conditional and _not_modified(request, entry):
        response = HttpResponseNotModified()
        for name, value in entry.headers:
            if name.startswith(REVALIDATED_HEADERS):
                response[name] = value
    else:
        response = HttpResponse(entry.encoded(encoding))
        if encoding:
            response["Content-Encoding"] = encoding
        for name, value in entry.headers:
            response[name] = value
    if entry.xframe_options_exempt:
        response.xframe_options_exempt = True
    response["ETag"] = entry.etag
    response["Last-Modified"] = entry.last_modified
    # The language comes from the cookie the switcher sets or from Accept-Language.
    response["Vary"] = "Accept-Encoding, Accept-Language, Cookie"
    # Browsers ask again each time (a 304 when nothing changed), so an edit
    # shows on everyone's next look.
    response["Cache-Control"] = "public, no-cache"
    # As CommonMiddleware would, which a response from the middleware never passes:
    # without it the server sends the body in chunks.
    response["Content-Length"] = str(len(response.content))
    return response


def cached_response(request, slug, key=None):
    """The stored response for this request, or None when there is none yet."""
    key = key or _entry_key(request, slug)
    encoding = _encoding(request)
    entry = None if key is None else _entry(key, encoding=encoding)
    return None if entry is None else _response(request, entry, encoding)


def look_up(request, slug):
    """``(key, stored response or None)`` for this request's page of event ``slug``.

    Looked up once per request: a miss is remembered on the request, so the
    view that renders the page (behind ``CachedPageMiddleware``, or the API's)
    takes the key its middleware read, without reading the version and looking
    again. The key is None while the event's version cannot be read.
    """
    missed = getattr(request, "page_cache_missed", None)
    if missed is not None and missed[0] == slug:
        return missed[1], None
    key = _entry_key(request, slug)
    response = None if key is None else cached_response(request, slug, key)
    if response is None:
        request.page_cache_missed = (slug, key)
    return key, response


def _gzipped(response, body):
    """The page gzipped: from its parts when the page was put together from fragments,
    each compressed once already (``fragments.py``), else all of it now."""
    parts = getattr(response, "page_parts", None)
    if parts and sum(len(data) for data, _ in parts) == len(body):
        return gzip_from_parts(parts)
    return gzip.compress(body, DEFLATE_LEVEL)


def _store(key, response, *, asked_at, encoding):
    body = response.content
    if "Content-Language" not in response:
        # LocaleMiddleware would add it on the way out, after the entry is stored.
        response["Content-Language"] = get_language()
    seconds = min(getattr(response, "page_cache_seconds", None) or PAGE_TIMEOUT, PAGE_TIMEOUT)
    last_modified = parse_http_date_safe(response.get("Last-Modified", "")) or int(time.time())
    entry = _Entry(
        gzipped=_gzipped(response, body),
        etag=response.get("ETag") or f'"{hashlib.sha256(body).hexdigest()[:20]}"',
        last_modified=http_date(last_modified),
        last_modified_seconds=last_modified,
        headers=tuple((name, response[name]) for name in STORED_HEADERS if name in response),
        # Counted from before the view looked at the clock, so never past what it meant.
        expires=asked_at + seconds,
        xframe_options_exempt=getattr(response, "xframe_options_exempt", False),
        plain=body,
    )
    if encoding == BROTLI:
        # Made before the entry is stored, so that it is written once, Brotli and all.
        entry.brotli = brotli.compress(body, quality=BROTLI_QUALITY)
    shared.set(key, entry, seconds)
    # Memory keeps the compressed pages only; this response may still use the plain one.
    recent_entries.put((key, GZIP), replace(entry, plain=None), len(entry.gzipped))
    if encoding == BROTLI:
        recent_entries.put((key, BROTLI), replace(entry, plain=None), entry.size(BROTLI))
    return entry


def page_changes_at(request, moment):
    """Say that what this page shows changes at ``moment`` (aware): its stored copy lives no longer.

    For what a shared template shows by the clock (the navigation's link to an
    open call), where the view that renders the page cannot know of it.
    """
    seconds = max(1, math.ceil(moment.timestamp() - time.time()))
    earlier = getattr(request, "page_cache_seconds", None)
    request.page_cache_seconds = seconds if earlier is None else min(earlier, seconds)


def _seconds_to_keep(request, response):
    asked = [
        seconds
        for seconds in (
            getattr(response, "page_cache_seconds", None),
            getattr(request, "page_cache_seconds", None),
        )
        if seconds
    ]
    return min(asked) if asked else None


def cached_page(view, *, params=(), keep_blank=()):
    """Serve ``view`` (with an ``event_slug`` argument, or none for site pages) from the cache.

    ``params`` are the query parameters the view reads, ``keep_blank`` those
    of them whose empty value means something; any other is redirected away
    (``queries.py``). A view may set ``response.page_cache_seconds`` when what
    it shows changes with the clock (the schedule's "now" marks): the entry
    then lives that long; a template may do the same with ``page_changes_at``.
    """
    query = {"params": frozenset(params), "keep_blank": frozenset(keep_blank)}

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        redirect = canonical_request(request, **query)
        if redirect is not None:
            return redirect
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        # The key holds the version read before the view reads the database, so
        # a page rendered while an edit commits is stored under the version
        # that edit replaces, never under the one that follows it.
        slug = kwargs.get("event_slug", SITE)
        key, response = look_up(request, slug)
        if response is not None:
            return response
        if request.GET and not getattr(request, "page_cache_render_admitted", False):
            admitted, seconds, by_site = render_admitted(request)
            if not admitted:
                return _too_many_renders(request, seconds, by_site=by_site)
        asked_at = time.time()
        response = view(request, *args, **kwargs)
        return stored_response(request, slug, key, response, asked_at=asked_at)

    wrapper.page_cache_query = query
    return wrapper


def _too_many_renders(request, seconds, *, by_site):
    # Before LocaleMiddleware, when the page cache's own layer refuses: the language
    # the page would have been in.
    context = {"seconds": seconds, "by_site": by_site, "site_name": settings.SITE_NAME}
    with translation.override(get_language_from_request(request)):
        response = HttpResponse(render_to_string("429.html", context), status=429)
    response["Retry-After"] = str(seconds)
    patch_cache_control(response, no_store=True)
    # Not a warning line per refused request in the error log, which a flood would
    # fill as fast as it is refused: the access log has each one.
    response._has_been_logged = True
    return response


def stored_response(request, slug, key, response, *, asked_at):
    """``response`` stored under ``key`` and answered from there (a 304 when the client has it).

    For views that cannot be wrapped in ``cached_page`` (the API's, which
    authenticate and throttle first). Only a whole 200 is stored, and with a
    query string only within the event's bound of variants (``queries.py``);
    anything else is returned as it is. ``asked_at``: ``time.time()`` before
    the view read the clock or the database.
    """
    if key is None or response.status_code != 200 or response.streaming:
        return response
    if request.GET and not query_variant_admitted(slug, _address(request)):
        # Not stored here, yet as public as a stored page: browsers (and
        # the offline worker, static/sw.js) may keep it as they keep those.
        patch_cache_control(response, public=True, no_cache=True)
        return response
    if getattr(response, "is_rendered", True) is False:
        response.render()
    response.page_cache_seconds = _seconds_to_keep(request, response)
    encoding = _encoding(request)
    entry = _store(key, response, asked_at=asked_at, encoding=encoding)
    return _response(request, entry, encoding)


class CachedPageMiddleware:
    """Serves stored public pages before the session, auth and CSRF layers run.

    Only for requests without a session cookie (nobody is signed in), and only
    where ``cached_page`` stored something for this path; everything else
    passes through untouched to the views, which fill the cache. A query
    string is first put in its one form, or redirected away, as ``cached_page``
    does, which needs the page's view (its parameters) found from the path.
    """

    # The API's stored lists are answered by its own middleware (api/middleware.py),
    # once its throttle has counted the client and no token asks for the working
    # schedule; the rest of the API, from its views.
    SKIPPED_PREFIXES = ("/admin/", "/accounts/", "/api/", "/static/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not path.startswith(self.SKIPPED_PREFIXES)
        ):
            # Django refuses a Host outside ALLOWED_HOSTS (400) when it is
            # read: here, since the layers that would read it are skipped.
            request.get_host()
            slug = SITE if path in ("/", "/sitemap.xml") else path.split("/")[1]
            response = None
            if request.META.get("QUERY_STRING"):
                query = _query_of_page(path)
                if query is None:
                    slug = None  # not a cached page
                else:
                    response = canonical_request(request, **query)
            if response is None and slug:
                _, response = look_up(request, slug)
                if response is None and request.META.get("QUERY_STRING"):
                    response = self._refusal(request)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def _refusal(request):
        """A 429 when this page's query string would be one render too many; else None.

        Checked here, before the layers below, so that a flood of searches is
        refused at about the cost of a stored page; the page's view, reached
        next, does not count the request again.
        """
        admitted, seconds, by_site = render_admitted(request)
        if not admitted:
            return _too_many_renders(request, seconds, by_site=by_site)
        request.page_cache_render_admitted = True
        return None


# Resolving the path was a fifth of a hit's time; the answer depends on the URLconf alone.
@functools.lru_cache(maxsize=512)
def _query_of_page(path):
    try:
        return getattr(resolve(path).func, "page_cache_query", None)
    except Resolver404:
        return None


@receiver(setting_changed)
def _forget_resolved_pages(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _query_of_page.cache_clear()
