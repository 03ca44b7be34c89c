"""Public pages of talks: the schedule, a talk, and their calendar files."""

from django.http import HttpResponse
from django.shortcuts import render

from conference.selectors import published_event
from schedule import selectors
from schedule.calendar import calendar_for_talks


def schedule(request, event_slug):
    event = published_event(event_slug)
    return render(request, "schedule/schedule.html", {"event": event})


def talk_detail(request, event_slug, talk_slug):
    event = published_event(event_slug)
    talk = selectors.talk_for_page(event, talk_slug)
    previous, following = selectors.talk_neighbours(talk)
    return render(
        request,
        "schedule/talk_detail.html",
        {"event": event, "talk": talk, "previous_talk": previous, "next_talk": following},
    )


def _calendar_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def schedule_ics(request, event_slug):
    """The event's calendar; ``?talks=<uuid>,<uuid>`` keeps only those talks (favourites)."""
    event = published_event(event_slug)
    talk_ids = (
        selectors.parse_talk_ids(request.GET.get("talks")) if "talks" in request.GET else None
    )
    talks = selectors.schedule_talks(event, talk_ids=talk_ids)
    name = event.name if talk_ids is None else f"{event.name}: my schedule"
    body = calendar_for_talks(
        event=event, talks=talks, base_url=request.build_absolute_uri("/"), name=name
    )
    return _calendar_response(body, f"{event.slug}.ics")


def talk_ics(request, event_slug, talk_slug):
    event = published_event(event_slug)
    talk = selectors.talk_for_page(event, talk_slug)
    body = calendar_for_talks(
        event=event, talks=[talk], base_url=request.build_absolute_uri("/"), name=talk.title
    )
    return _calendar_response(body, f"{event.slug}-{talk.slug}.ics")
