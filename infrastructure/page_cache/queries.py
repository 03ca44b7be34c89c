"""Which query strings a cached page is stored under, and how many per event.

Anyone can add a query string to a URL, and each new one used to be a full
render and a new entry: a flood of random ones filled the cache and kept
every worker rendering. Now:

- Each cached page names the parameters it understands (``cached_page(view,
  params=...)``). A request naming any other (``?utm_source=…``, ``?x=1``)
  is redirected (302) to the same address without it, which costs no render
  and is served from the cache like any visit to that address.
- The ones it understands are put in one form before the page is looked up
  or rendered: sorted by name, the last value of each (the one a view
  reads), surrounding spaces stripped, empty ones dropped unless the page
  says an empty value means something (``keep_blank``). The view then sees
  that form only, so ``?q=&day=…`` and ``?day=…`` are one entry and one page.
- Values are still free (a search, a list of talks), so an event's pages
  are stored under at most ``PAGE_CACHE_QUERY_VARIANTS`` distinct query
  strings per ``VERSION_SECONDS`` (10 minutes); further ones are rendered
  and served but not stored until the next interval. No entry outlives that
  interval, so at any moment an event has at most twice that many query
  strings stored (for each of its versions still alive), whatever is sent.
  Pages without a query string are always stored: their number is bounded
  by the event's own talks and speakers, unknown ones answer 404.
"""

import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect, QueryDict

from infrastructure.page_cache import shared
from infrastructure.page_cache.versions import VERSION_SECONDS


def canonical_query(query, *, params, keep_blank=()):
    """``query`` (a QueryDict) in its one form, and the names in it that are not ``params``."""
    pairs = []
    for name in sorted(params):
        if name in query:
            value = query.getlist(name)[-1].strip()
            if value or name in keep_blank:
                pairs.append((name, value))
    return urlencode(pairs), sorted(set(query) - set(params))


def canonical_request(request, *, params, keep_blank=()):
    """A redirect when ``request`` names parameters the page does not understand; else None,
    and the request then reads (``GET``, ``get_full_path``) as its one form does."""
    query, unknown = canonical_query(request.GET, params=params, keep_blank=keep_blank)
    if unknown:
        return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
    return None


def _window():
    return int(time.time() // VERSION_SECONDS)


def query_variant_admitted(slug, address):
    """Whether a page of event ``slug`` at ``address`` (with a query string) may be stored.

    Each distinct address counts once per interval, however often it is
    stored again (a running event's schedule every minute, after each edit).
    """
    window = _window()
    digest = hashlib.sha256(f"{slug}\n{address}".encode()).hexdigest()
    marker = f"pages:variant:{window}:{digest}"
    if shared.get(marker):
        return True
    counter = f"pages:variants:{window}:{slug}"
    if (shared.get(counter) or 0) >= settings.PAGE_CACHE_QUERY_VARIANTS:
        return False
    if shared.add(marker, True, VERSION_SECONDS):
        shared.add(counter, 0, VERSION_SECONDS)
        shared.incr(counter)
    return True
