"""Rendered public pages and exports, cached per event under a version that any change bumps.

A public page of an event is stored in the cache (the one ``CACHE_URL``
names, shared by every app process) under a key made of the event's current
version and the request's path and query. Any change that can show on a page
— to the event, its rooms, tracks, talks, speakers of its talks or their links
— replaces the version, in this one place, so the next request renders afresh
and no process serves a stale page. The site's own version (for the home page
and the sitemap) changes with every event's.

Changes made through the ORM are seen by the signal receivers below; code
that writes with ``QuerySet.update()`` or ``bulk_create()`` (which send no
signals) calls ``event_pages_changed`` itself.

Cached responses carry an ETag and Last-Modified, answer conditional requests
with 304, and are kept gzipped too for clients that accept it. Signed-in
people (speakers, organisers) always get a fresh page.
"""

import functools
import gzip
import hashlib
import re
import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe

SITE = "__site__"
# Pages are replaced by version, not by age; this only bounds how long an
# unreachable entry lingers.
PAGE_TIMEOUT = 24 * 60 * 60
STORED_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Access-Control-Allow-Origin",
    "Access-Control-Expose-Headers",
    "Content-Language",
)


def _version_key(slug):
    return f"pages:version:{slug}"


def event_version(slug):
    """The current version of an event's pages (made up on first use)."""
    key = _version_key(slug)
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    return version


def _bump(*slugs):
    for slug in {*slugs, SITE}:
        cache.set(_version_key(slug), uuid.uuid4().hex, None)


def event_pages_changed(*slugs):
    """Every cached page of these events (and the site's pages) is stale from now on.

    Called after the surrounding transaction commits, so a page rendered in
    between cannot be stored under the new version with old data; and once
    more right away, for callers outside a transaction.
    """
    slugs = [slug for slug in slugs if slug]
    _bump(*slugs)
    transaction.on_commit(lambda: _bump(*slugs))


# Which changes make which events' pages stale -------------------------------


def _event_slugs_of_speaker(speaker_id):
    from conference.models import Event

    return list(
        Event.objects.filter(talks__talk_speakers__speaker_id=speaker_id)
        .values_list("slug", flat=True)
        .distinct()
    )


def _event_slug(event_id):
    from conference.models import Event

    return Event.objects.filter(pk=event_id).values_list("slug", flat=True).first()


def _on_event_saving(sender, instance, **kwargs):
    if instance.pk:
        instance._slug_before_save = _event_slug(instance.pk)


def _on_event_change(sender, instance, **kwargs):
    event_pages_changed(instance.slug, getattr(instance, "_slug_before_save", None))


def _on_event_part_change(sender, instance, **kwargs):
    event_pages_changed(_event_slug(instance.event_id))


def _on_talk_speaker_change(sender, instance, **kwargs):
    from schedule.models import Talk

    event_id = Talk.objects.filter(pk=instance.talk_id).values_list("event_id", flat=True).first()
    event_pages_changed(_event_slug(event_id) if event_id else None)


def _on_speaker_change(sender, instance, **kwargs):
    event_pages_changed(*_event_slugs_of_speaker(instance.pk))


def _on_speaker_link_change(sender, instance, **kwargs):
    event_pages_changed(*_event_slugs_of_speaker(instance.speaker_id))


def connect_signals():
    from conference.models import Event, Room, Track
    from schedule.models import Talk, TalkSpeaker
    from speakers.models import Speaker, SpeakerLink

    pre_save.connect(_on_event_saving, sender=Event, dispatch_uid="pages-event-saving")
    receivers = [
        (Event, _on_event_change),
        (Room, _on_event_part_change),
        (Track, _on_event_part_change),
        (Talk, _on_event_part_change),
        (TalkSpeaker, _on_talk_speaker_change),
        (Speaker, _on_speaker_change),
        (SpeakerLink, _on_speaker_link_change),
    ]
    for model, receiver in receivers:
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"pages-{model.__name__}-{signal}")


# Serving pages from the cache ----------------------------------------------------
#
# An entry is three cache keys: its metadata (small), the page, and the page
# gzipped. A hit reads the version and then, in one round trip, the metadata
# and the one body the client wants.


def _accepts_gzip(request):
    return bool(re.search(r"\bgzip\b", request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _entry_key(request, slug):
    version = event_version(slug)
    digest = hashlib.sha256(f"{version}\n{request.get_full_path()}".encode()).hexdigest()
    return f"pages:page:{digest}"


def _not_modified(request, meta):
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return meta["etag"] in tags or "*" in tags
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and since >= meta["last_modified"]


def _with_validators(response, meta):
    response["ETag"] = meta["etag"]
    response["Last-Modified"] = http_date(meta["last_modified"])
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = meta["cache_control"]
    return response


def cached_response(request, slug):
    """The stored response for this request, or None when there is none yet."""
    key = _entry_key(request, slug)
    if request.META.get("HTTP_IF_NONE_MATCH") or request.META.get("HTTP_IF_MODIFIED_SINCE"):
        meta = cache.get(f"{key}:meta")
        if meta is not None and _not_modified(request, meta):
            response = HttpResponseNotModified()
            for name, value in meta["headers"]:
                if name.startswith("Access-Control-"):
                    response[name] = value
            return _with_validators(response, meta)
    use_gzip = _accepts_gzip(request)
    found = cache.get_many([f"{key}:meta", f"{key}:gzip" if use_gzip else f"{key}:body"])
    meta = found.get(f"{key}:meta")
    body = found.get(f"{key}:gzip" if use_gzip else f"{key}:body")
    if meta is None or body is None:
        return None
    response = HttpResponse(body)
    if use_gzip:
        response["Content-Encoding"] = "gzip"
    for name, value in meta["headers"]:
        response[name] = value
    return _with_validators(response, meta)


def _store(request, slug, response):
    key = _entry_key(request, slug)
    body = response.content
    seconds = getattr(response, "page_cache_seconds", None)
    meta = {
        "etag": response.get("ETag") or f'"{hashlib.sha256(body).hexdigest()[:20]}"',
        "last_modified": parse_http_date_safe(response.get("Last-Modified", ""))
        or int(time.time()),
        "headers": [(name, response[name]) for name in STORED_HEADERS if name in response],
        # Browsers check back each time; a page with "now" on it may be kept a minute.
        "cache_control": f"public, max-age={seconds}" if seconds else "public, no-cache",
    }
    cache.set_many(
        {
            f"{key}:meta": meta,
            f"{key}:body": body,
            f"{key}:gzip": gzip.compress(body, 6),
        },
        seconds or PAGE_TIMEOUT,
    )


def cached_page(view):
    """Serve ``view`` (with an ``event_slug`` argument, or none for site pages) from the cache.

    A view may set ``response.page_cache_seconds`` when what it shows changes
    with the clock (the schedule's "now" marks): the entry then lives that long.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        slug = kwargs.get("event_slug", SITE)
        response = cached_response(request, slug)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming:
            return response
        if getattr(response, "is_rendered", True) is False:
            response.render()
        _store(request, slug, response)
        return cached_response(request, slug) or response

    return wrapper


class CachedPageMiddleware:
    """Serves stored public pages before the session, auth and CSRF layers run.

    Only for requests without a session cookie (nobody is signed in), and only
    where ``cached_page`` stored something for this path; everything else
    passes through untouched to the views, which fill the cache.
    """

    SKIPPED_PREFIXES = ("/admin/", "/accounts/", "/static/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        path = request.path_info
        if (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not path.startswith(self.SKIPPED_PREFIXES)
        ):
            slug = SITE if path in ("/", "/sitemap.xml") else path.split("/")[1]
            response = cached_response(request, slug) if slug else None
            if response is not None:
                return response
        return self.get_response(request)
