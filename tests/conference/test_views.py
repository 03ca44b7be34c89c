import datetime

from tests.factories import EventFactory, TalkFactory


def test_home_lists_published_events_with_dates_place_and_talk_count(client, db):
    event = EventFactory(
        name="KVM Forum + oVirt Workshop",
        location="Barcelona, Spain",
        start_date=datetime.date(2012, 11, 7),
        end_date=datetime.date(2012, 11, 9),
    )
    TalkFactory.create_batch(2, event=event)
    TalkFactory(event=event, is_cancelled=True)
    EventFactory(name="Secret Summit", is_published=False)

    response = client.get("/")

    content = response.content.decode()
    assert "KVM Forum + oVirt Workshop" in content
    assert "7 November 2012" in content
    assert "9 November 2012" in content
    assert "Barcelona, Spain" in content
    assert "2 talks" in content
    assert "Secret Summit" not in content


def test_home_says_so_when_nothing_is_published(client, db):
    EventFactory(is_published=False)

    response = client.get("/")

    assert "No events have been published yet." in response.content.decode()


def test_home_escapes_event_text(client, db):
    EventFactory(name="<script>alert(1)</script>", tagline="<img src=x onerror=alert(1)>")

    content = client.get("/").content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


def test_bootstrap_is_served_by_the_site_itself(client, db):
    page = client.get("/").content.decode()
    assert '<link rel="stylesheet" href="/static/bootstrap/css/bootstrap.min.css">' in page

    response = client.get("/static/bootstrap/css/bootstrap.min.css")

    assert response.status_code == 200
    assert b"Bootstrap" in b"".join(response.streaming_content)[:200]
