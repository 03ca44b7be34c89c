"""Rendered public pages and exports, cached per event under a version that any change bumps.

A public page of an event is stored in the cache (the one ``CACHE_URL``
names, shared by every app process) under a key made of the event's current
version and the request's path and query. Any change that can show on a page
— to the event, its rooms, tracks, talks, speakers of its talks or their links
— replaces the version, in this one place, so the next request renders afresh
and no process serves a stale page. The site's own version (for the home page
and the sitemap) changes with every event's.

- ``versions``: each event's version and ``event_pages_changed``, the one call
  that replaces it (and records the event's time of change).
- ``signals``: :func:`register`, with which each app names, for its models,
  the events whose pages a change of a row makes stale (the page cache knows
  no model); code that writes with ``QuerySet.update()`` or ``bulk_create()``
  (which send no signals) calls ``event_pages_changed`` itself.
- ``shared``: the shared cache as these modules use it, where a cache that
  cannot be reached is a miss and a new version that could not be written is
  written before anything else once it answers.
- ``serving``: the stored entries, kept gzipped in the shared cache and in
  each process's memory; ``cached_page`` for views and
  ``CachedPageMiddleware``, which answers before the session layers. Cached
  responses carry an ETag and Last-Modified and answer conditional requests
  with 304. Signed-in people (speakers, organisers) always get a fresh page.
  Views that cannot be wrapped (the API's) call ``look_up`` themselves
  (once per request: a middleware's miss is the view's) and store with
  ``stored_response``.
- ``fragments``: pieces of pages (a schedule's days) kept under a digest of
  what they show, with their deflate streams; ``PageAssembly`` puts them in
  a rendered page and ``serving`` joins the page's gzip body from them.
- ``memory``: the bounded store of what a process used last.
"""

from infrastructure.page_cache.serving import (
    PAGE_TIMEOUT,
    CachedPageMiddleware,
    cached_page,
    cached_response,
    look_up,
    page_changes_at,
    recent_entries,
    stored_response,
)
from infrastructure.page_cache.signals import register
from infrastructure.page_cache.versions import (
    SITE,
    event_pages_changed,
    event_version,
    record_time_of_change_with,
)

__all__ = [
    "PAGE_TIMEOUT",
    "SITE",
    "CachedPageMiddleware",
    "cached_page",
    "cached_response",
    "event_pages_changed",
    "event_version",
    "look_up",
    "page_changes_at",
    "recent_entries",
    "record_time_of_change_with",
    "register",
    "stored_response",
]
