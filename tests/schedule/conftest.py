import datetime

import pytest

from conference.models import Event, Room, Track
from schedule.models import Talk, TalkSpeaker
from speakers.models import Speaker
from tests.factories import EventFactory

# Every table an import writes, its speakers' history too.
IMPORTED_MODELS = (Event, Room, Track, Talk, TalkSpeaker, Speaker, Speaker.history.model)


@pytest.fixture
def database_rows(db):
    """``database_rows()``: every row an import could write, per model, with every value.

    Two calls are equal only when no import wrote anything in between, not
    even a timestamp.
    """

    def rows():
        return {
            model._meta.label: list(model.objects.order_by("pk").values_list())
            for model in IMPORTED_MODELS
        }

    return rows


@pytest.fixture
def event(db):
    """KVM Forum: 7 and 8 November 2012 in Madrid (CET, UTC+01:00)."""
    return EventFactory(
        name="KVM Forum",
        slug="kvm",
        start_date=datetime.date(2012, 11, 7),
        end_date=datetime.date(2012, 11, 8),
        time_zone="Europe/Madrid",
    )


@pytest.fixture
def http_files():
    """``(serve, root URL)``: a local HTTP server; ``serve[path] = bytes`` publishes a file."""
    import http.server
    import threading

    served = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = served.get(self.path)
            self.send_response(404 if body is None else 200)
            body = b"no such file" if body is None else body
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield served, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
