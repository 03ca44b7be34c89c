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


@pytest.fixture
def released_event(event):
    """KVM Forum released as “1”: “Keynote” (Ada) in Hall at 09:00, then “Storage” and
    “Network” (Bob, who has no email) at 10:00 and 11:00."""
    from schedule.releases.service import release_schedule
    from tests.factories import RoomFactory, SpeakerFactory, scheduled_talk

    hall = RoomFactory(event=event, name="Hall")
    RoomFactory(event=event, name="Annex")
    ada = SpeakerFactory(name="Ada", email="ada@example.org", bio="Ada's bio.")
    bob = SpeakerFactory(name="Bob", email="", bio="Bob's bio.")
    scheduled_talk(event, "Keynote", (9, 0), (9, 30), room=hall, speakers=[ada])
    scheduled_talk(event, "Storage", (10, 0), (10, 30), room=hall, speakers=[bob])
    scheduled_talk(event, "Network", (11, 0), (11, 30), room=hall, speakers=[bob])
    release_schedule(event, notify=False)
    return event


@pytest.fixture
def edit_working_schedule():
    """``edit_working_schedule(event)`` of ``released_event``: four changes, one speaker to tell.

    Keynote moves to Annex at 10:00, Storage to 11:30, Network is cancelled,
    and “Lightning” (no speaker) is new at 12:00 in Annex.
    """
    from tests.factories import scheduled_talk, venue_time

    def edit(event):
        annex = event.rooms.get(name="Annex")
        Talk.objects.filter(title="Keynote").update(
            room=annex,
            start=venue_time(event, 2012, 11, 7, 10, 0),
            end=venue_time(event, 2012, 11, 7, 10, 30),
        )
        Talk.objects.filter(title="Storage").update(
            start=venue_time(event, 2012, 11, 7, 11, 30),
            end=venue_time(event, 2012, 11, 7, 12, 0),
        )
        Talk.objects.filter(title="Network").update(is_cancelled=True)
        scheduled_talk(event, "Lightning", (12, 0), (12, 15), room=annex, speakers=[])

    return edit
