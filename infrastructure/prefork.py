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

Nothing here opens a database or cache connection, which must not be
shared across the fork.
"""

import gc
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template import engines
from django.urls import get_resolver
from django.utils import translation


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
    gc.collect()
    gc.freeze()
