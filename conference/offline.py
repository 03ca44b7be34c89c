"""The site as an installable web app that keeps working offline.

Two files at the site's root: the web app manifest (name, icons, colours)
and the service worker, ``static/sw.js``, served from ``/sw.js`` because a
worker controls only the pages under the path it is served from. What the
worker keeps, and when it answers from what it kept, is said in ``sw.js``.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

SERVICE_WORKER_FILE = "sw.js"
THEME_COLOUR = "#0d6efd"
BACKGROUND_COLOUR = "#ffffff"
# The files under static/img/icons/, with the sizes the manifest announces.
ICONS = [
    {"file": "img/icons/icon.svg", "sizes": "any", "type": "image/svg+xml"},
    {"file": "img/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
    {"file": "img/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
    {
        "file": "img/icons/icon-512-maskable.png",
        "sizes": "512x512",
        "type": "image/png",
        "purpose": "maskable",
    },
]


def _service_worker_source():
    with open(finders.find(SERVICE_WORKER_FILE), "rb") as source:
        return source.read()


@functools.cache
def deploy_version():
    """A short stamp of this deploy: the worker's code and the static files it names.

    The worker names its cache after it, so a deploy that changes either
    starts a fresh cache and drops the old one (``activate`` in ``sw.js``).
    """
    digest = hashlib.sha256(_service_worker_source())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:12]


def service_worker_url():
    return f"{reverse('service_worker')}?v={deploy_version()}"


@require_safe
def service_worker(request):
    """``static/sw.js`` at the root, so that its scope is the whole site."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript; charset=utf-8")
    # Browsers look for a new worker on every visit; a deploy's shows at once.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def web_manifest(request):
    """What a phone needs to install the site: its name, icons and colours."""
    manifest = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME[:12],
        "description": "Conference schedules, talks and speakers, also offline.",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(icon["file"])} | {k: v for k, v in icon.items() if k != "file"}
            for icon in ICONS
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response
