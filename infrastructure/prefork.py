"""Work a server's master process does once, before it forks its workers.

Gunicorn loads the site in its master (``preload_app`` in
deploy/gunicorn.conf.py) and calls :func:`prepare_workers` before the first
fork. Every worker then starts with the site's templates compiled, its URL
patterns resolved, every language's catalogs and the static-file manifest read, instead
of paying for them on its first request: the first request for the 900-talk
schedule after an edit took about twice as long in a worker that had never
rendered it.

Then the garbage collector is told to leave everything loaded so far alone
(``gc.freeze``): the collections a large page's render sets off no longer
walk Django's hundreds of thousands of long-lived objects (a third of that
render's CPU time), and the workers keep sharing those pages of memory with
the master instead of copying them when the collector touches them.

Then the functions ``PREFORK_WARM_UP`` names run (the apps' own: the
schedule renders its latest event's page once, ``schedule/warm_up.py``), so
that what a render makes once per process is made here, once. A warm-up that
fails is logged and the workers start without it. The database and cache
connections it opened are closed before the fork: none must be shared
across it.
"""

import gc
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.db import connections
from django.template import engines
from django.urls import get_resolver
from django.utils import translation
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def project_templates():
    """The names of the project's own templates (those under the TEMPLATES dirs)."""
    for directory in settings.TEMPLATES[0]["DIRS"]:
        root = Path(directory)
        for path in sorted(root.rglob("*.html")) + sorted(root.rglob("*.txt")):
            yield path.relative_to(root).as_posix()


def prepare_workers():
    engine = engines["django"]
    for name in project_templates():
        engine.get_template(name)
    # Reading the reverse lookups imports every URLconf and view module and indexes them.
    get_resolver().reverse_dict  # noqa: B018
    # Each language's catalogs are read on its first use: here, once, for every worker.
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Schedule")
    # The manifest of hashed static file names is read when the storage is first used.
    staticfiles_storage.base_url  # noqa: B018
    for name in settings.PREFORK_WARM_UP:
        try:
            import_string(name)()
        except Exception:
            logger.warning("%s failed; the workers start without it", name, exc_info=True)
    connections.close_all()
    for cache in caches.all(initialized_only=True):
        cache.close()
    gc.collect()
    gc.freeze()
