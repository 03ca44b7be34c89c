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
- Each render such a value causes (a miss: a stored page costs nothing) is
  counted against the client's address, at most
  ``PAGE_CACHE_RENDERS_PER_CLIENT`` a minute; beyond that the client is
  answered 429 with the seconds to wait, without a render, so one client's
  flood of searches cannot keep every worker busy while others wait for
  stored pages. All clients together get at most
  ``PAGE_CACHE_RENDERS_PER_SECOND`` such renders a second, for the many
  clients that each stay within their own bound. Both are checked before the
  session and sign-in layers run (``CachedPageMiddleware``), so a refusal
  costs about what a stored page does.
"""

import functools
import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect, QueryDict

from infrastructure.client_address import client_ip_address
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


# A cached page's hit spent a fifth of its time parsing its query string.
@functools.lru_cache(maxsize=512)
def _canonical_form(query_string, params, keep_blank):
    query, unknown = canonical_query(QueryDict(query_string), params=params, keep_blank=keep_blank)
    return query, tuple(unknown)


def canonical_request(request, *, params, keep_blank=()):
    """A redirect when ``request`` names parameters the page does not understand; else None,
    and the request then reads (``GET``, ``get_full_path``) as its one form does."""
    query, unknown = _canonical_form(
        request.META.get("QUERY_STRING", ""), frozenset(params), frozenset(keep_blank)
    )
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
        shared.count(counter, VERSION_SECONDS)
    return True


RENDER_WINDOW_SECONDS = 60


def client_render_admitted(request):
    """Whether this client may have one more page with a query string rendered now.

    Returns ``(admitted, seconds)``: ``seconds`` until the client's count starts
    again. A shared cache that cannot be reached counts nothing, and admits.
    """
    limit = settings.PAGE_CACHE_RENDERS_PER_CLIENT
    now = time.time()
    seconds = max(1, int(RENDER_WINDOW_SECONDS - now % RENDER_WINDOW_SECONDS))
    if not limit:
        return True, seconds
    window = int(now // RENDER_WINDOW_SECONDS)
    count = shared.count(
        f"pages:renders:{window}:{client_ip_address(request)}", RENDER_WINDOW_SECONDS
    )
    return count is None or count <= limit, seconds


def site_render_admitted():
    """Whether the site may render one more page with a query string not yet stored, this second.

    Returns ``(admitted, seconds)``, as ``client_render_admitted`` does. Many
    clients each asking a different search are each within their own bound,
    and together they could still keep every worker rendering while the
    stored pages wait in the queue behind them: beyond
    ``PAGE_CACHE_RENDERS_PER_SECOND`` such renders in one second, across every
    process, the others are told to come back in a second.
    """
    limit = settings.PAGE_CACHE_RENDERS_PER_SECOND
    if not limit:
        return True, 1
    count = shared.count(f"pages:site-renders:{int(time.time())}", 5)
    return count is None or count <= limit, 1


def render_admitted(request):
    """``(admitted, seconds, by_site)``: this client's bound first, then the site's."""
    admitted, seconds = client_render_admitted(request)
    if not admitted:
        return False, seconds, False
    admitted, seconds = site_render_admitted()
    return admitted, seconds, not admitted
