"""Each event's version of its pages, and the one call that replaces it.

Every cached page of an event is stored under the event's current version;
``event_pages_changed`` replaces the version of the events it is given, and
the site's own (home page, sitemap), so every process renders afresh on its
next request. It also records the events' time of change, which the exports'
Last-Modified and the sitemap read.

A version that cannot be read (the shared cache is away) is None: the page
is then rendered and neither looked up nor stored. A new version that
cannot be written is kept and written before this process uses the cache
again (``shared.py``), so this process never serves a page from before the
edit once the cache is back. Another process could, if the one that made the
edit ended before the cache came back (an import run from the command line),
or if Redis came back from an older snapshot: versions therefore last
``VERSION_SECONDS`` and are then made afresh, which re-renders each page once
per interval and bounds how long any lost new version can leave a page stale.
"""

import logging
import uuid

from django.db import DatabaseError, transaction
from django.utils import timezone

from infrastructure.page_cache import shared

logger = logging.getLogger(__name__)

SITE = "__site__"
# How long a version stands when nothing replaces it: the longest a page can
# stay stale when its new version was lost (see above).
VERSION_SECONDS = 10 * 60


def _version_key(slug):
    return f"pages:version:{slug}"


def event_version(slug):
    """The current version of an event's pages (made up on first use); None if unknown."""
    key = _version_key(slug)
    version = shared.get(key)
    if version is None:
        shared.add(key, uuid.uuid4().hex, VERSION_SECONDS)
        version = shared.get(key)
    return version


def _bump(*slugs):
    for slug in {*slugs, SITE}:
        shared.set(_version_key(slug), uuid.uuid4().hex, VERSION_SECONDS, must_arrive=True)


def _stamp(slugs):
    """The events' ``updated`` becomes now: the exports' Last-Modified and the sitemap read it.

    The rows a page shows carry their own ``updated``, but a deleted talk, a
    renamed room or a speaker taken off a talk leaves no row to say so.
    """
    if _record_time_of_change is None:
        return
    now = timezone.now()
    # HTTP dates count whole seconds: a second stamp within the same second
    # tells a client nothing the first did not (a bulk delete would otherwise
    # write the event once per row).
    second = int(now.timestamp())
    slugs = [slug for slug in slugs if _stamped_in.get(slug) != second]
    if slugs:
        _record_time_of_change(slugs, now)
        _stamped_in.update(dict.fromkeys(slugs, second))


_stamped_in = {}  # event slug -> the second this process last stamped it in
_record_time_of_change = None


def record_time_of_change_with(record):
    """``record(slugs, now)`` writes the events' time of change; the events' app provides it.

    The page cache knows no model: the app that owns the events says how
    their ``updated`` is written, in its ``ready()``.
    """
    global _record_time_of_change
    _record_time_of_change = record


def event_pages_changed(*slugs):
    """Every cached page of these events (and the site's pages) is stale from now on.

    Called after the surrounding transaction commits, so a page rendered in
    between cannot be stored under the new version with old data; and once
    more right away, for callers outside a transaction. The events' time of
    change is written after the commit too, in a statement of its own, so
    that a change never holds the event's row locked while it runs.
    """
    slugs = [slug for slug in slugs if slug]
    _bump(*slugs)

    def after_commit():
        try:
            _stamp(slugs)
        except DatabaseError:
            # The change is saved and its pages must still go stale; a missed
            # stamp leaves only Last-Modified behind, and the ETag still tells.
            logger.warning("Could not record the time of change of %s", slugs, exc_info=True)
        finally:
            _bump(*slugs)

    transaction.on_commit(after_commit)
