"""Public pages of talks: the schedule and a talk (their files are in ``export_views``)."""

from itertools import groupby

from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from conference.selectors import published_event
from infrastructure.page_cache.fragments import PageAssembly
from schedule import selectors
from schedule.day_sections import day_sections
from schedule.forms import ALL_DAYS, ScheduleFilterForm

# The query parameters the schedule understands (any other is redirected
# away by the page cache); an empty ``talks`` is an empty "my schedule".
SCHEDULE_PARAMS = tuple(ScheduleFilterForm.base_fields)


def schedule(request, event_slug, release_name=None):
    """The schedule by day; ``?day=``, ``room``, ``track``, ``q`` and ``talks`` narrow it.

    It shows the event's current release, or the past release named in the address.
    """
    event = published_event(event_slug)
    release = selectors.release_named(event, release_name) if release_name else None
    return _schedule_page(request, event, release=release)


@never_cache
@login_required
def working_schedule(request, event_slug):
    """The working schedule as the next release would show it: for organisers only."""
    if not request.user.has_perm("schedule.change_talk"):
        raise PermissionDenied("Only organisers preview the working schedule.")
    event = published_event(event_slug)
    response = _schedule_page(request, event, release=selectors.WORKING)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _schedule_page(request, event, *, release):
    rooms, tracks = list(event.rooms.all()), list(event.tracks.all())
    form = ScheduleFilterForm(request.GET, event=event, rooms=rooms, tracks=tracks)
    filters = form.filters()
    if form.has_error("day"):
        raise Http404("The event does not run on that day.")
    unusable = [
        name
        for name in ("q", "room", "track")
        if name in request.GET and (name not in form.fields or form.has_error(name))
    ]
    if unusable:
        # The page without them is what they would show: at its own address,
        # rendered and cached once rather than once per wrong value.
        query = request.GET.copy()
        for name in unusable:
            del query[name]
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    talk_ids = selectors.parse_talk_ids(request.GET["talks"]) if "talks" in request.GET else None
    is_filtered = any((filters["room"], filters["track"], filters["query"]))
    now = timezone.now()
    # While the event runs its bare schedule opens on the venue's today (``?day=all``
    # shows every day). The page then expires by the minute or at the venue's
    # midnight (``_seconds_this_page_stays_true``), so it never shows yesterday.
    runs_today = event.local_date(now) in event.days
    opens_on_a_day = "day" not in request.GET and not is_filtered and talk_ids is None
    if opens_on_a_day and len(event.days) > 1:
        # One day, not every day at once (a 100-room event's days are megabytes):
        # the venue's today while the event runs, else its first day.
        filters["day"] = event.local_date(now) if runs_today else event.days[0]
    talks = selectors.schedule_page_talks(
        event, rooms=rooms, tracks=tracks, talk_ids=talk_ids, release=release, **filters
    )
    if release is None:
        shown_release = selectors.current_release(event)
    else:
        shown_release = None if release == selectors.WORKING else release
    assembly = PageAssembly()
    sections = day_sections(
        event,
        talks,
        rooms=rooms,
        tracks=tracks,
        now=now,
        use_rooms=any(talk.room_id for talk in talks),
        assembly=assembly,
    )
    response = render(
        request,
        "schedule/schedule.html",
        {
            "event": event,
            "nav": "schedule",
            "form": form,
            "day_sections": sections.markers,
            "first_start": sections.first_start,
            "today": sections.today,
            "venue_today": event.local_date(now) if runs_today else None,
            "talk_count": len(talks),
            "selected_day": filters["day"],
            # Without a day, a running event's unfiltered schedule shows today only.
            "all_days_value": ALL_DAYS if not is_filtered and len(event.days) > 1 else None,
            "is_filtered": is_filtered,
            "is_my_schedule": talk_ids is not None,
            "talk_ids": request.GET.get("talks", ""),
            "release": shown_release,
            "is_working_preview": release == selectors.WORKING,
        },
    )
    response.page_cache_seconds = _seconds_this_page_stays_true(event, sections.today, now)
    return assembly.assemble(response)


def _seconds_this_page_stays_true(event, today, now):
    """How long the page's "now" and "next" marks stay right: to the next minute on a
    day of talks at the venue (``today``), else to the start of the venue's next day."""
    if today is not None:
        return 60 - now.astimezone(event.tz).second
    _, next_day = event.day_bounds(event.local_date(now))
    return max(1, int((next_day - now).total_seconds()))


def talk_detail(request, event_slug, talk_slug):
    event = published_event(event_slug)
    talk = selectors.talk_for_page(event, talk_slug)
    previous, following = selectors.talk_neighbours(talk)
    return render(
        request,
        "schedule/talk_detail.html",
        {
            "event": event,
            "nav": "schedule",
            "talk": talk,
            "previous_talk": previous,
            "next_talk": following,
        },
    )


def schedule_embed(request, event_slug):
    """The schedule as a compact page that the sites the event names may show in a frame.

    Its Content-Security-Policy names those sites (``frame-ancestors``) and it
    carries no X-Frame-Options; with none named, nothing may frame it, as any
    other page of the site. The policy is written here rather than by the CSP
    middleware so that the page cache stores it with the page; a change of the
    sites saves the event, which replaces its pages' version.
    """
    event = published_event(event_slug)
    rooms, tracks = list(event.rooms.all()), list(event.tracks.all())
    talks = selectors.schedule_page_talks(event, rooms=rooms, tracks=tracks)
    days = [
        (date, list(day_talks))
        for date, day_talks in groupby(talks, key=lambda talk: event.local_date(talk.start))
    ]
    response = render(request, "schedule/schedule_embed.html", {"event": event, "days": days})
    origins = event.embed_origin_list
    response[CSP_HEADER] = build_policy(replace={"frame-ancestors": origins or ["'none'"]})
    if origins:
        response.xframe_options_exempt = True
    return response
