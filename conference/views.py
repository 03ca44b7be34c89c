import mimetypes

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import render

from conference.selectors import published_event, published_events


def home(request):
    return render(request, "conference/home.html", {"events": published_events()})


def event_detail(request, event_slug):
    event = published_event(event_slug)
    return render(request, "conference/event_detail.html", {"event": event})


def media_file(request, path):
    """An uploaded file (speakers' photos) from the default storage.

    Uploads are re-encoded images written by the site itself, so serving them
    from Django is safe; a large site puts a web server or CDN in front with
    SERVE_MEDIA off.
    """
    try:
        if not default_storage.exists(path):
            raise Http404("No such file.")
        file = default_storage.open(path)
    except (SuspiciousFileOperation, OSError, ValueError):
        raise Http404("No such file.") from None
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(file, content_type=content_type)
    # Names are random and never reused, so a copy may be kept for long.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
