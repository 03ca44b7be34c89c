"""The board's admin views: the day's page, and the move and swap that redirect back to it."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from conference.models import Event
from conference.venue_time import describe_zone
from schedule.board.forms import BoardMoveForm, BoardSwapForm
from schedule.board.layout import OPENING, board_for_day
from schedule.services.board import BoardError, talk_move, talks_swap

# What the page's forms post, and what a refusal carries back to offer it again with force.
MOVE_FIELDS = ["talk", "room", "day", "start", "seen_updated"]
SWAP_FIELDS = ["first", "second", "seen_first", "seen_second"]


def _errors_text(form):
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


def _event_day(event, value):
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if day in event.days else None


def _first_day(event):
    # An event's first date may be one its zone skipped; its board opens on its first day.
    return next(iter(event.days), event.start_date)


def _describe(talk, event):
    if talk.start is None:
        return _("the unscheduled talks")
    start, end = event.local_time(talk.start), event.local_time(talk.end)
    room = talk.room.name if talk.room_id else _("no room")
    return f"{room}, {date_format(start, 'D j M H:i')}–{end:%H:%M %Z}"


def _clash_text(problems):
    return " ".join(problem.message for problem in problems)


def _board_url(admin_site, event, day, query=None, anchor=""):
    url = reverse(f"{admin_site.name}:schedule_board_day", args=[event.pk, day.isoformat()])
    return url + (f"?{urlencode(query)}" if query else "") + anchor


def _retry(params, event, admin_site):
    """The refused move or swap that ``params`` describe, to offer again with force."""
    if params.get("retry") == "move":
        form = BoardMoveForm(params, event=event)
        if not form.is_valid():
            return None
        data = form.cleaned_data
        title, start = data["talk"].title, data["start_at"]
        where = _("no room") if data["room"] is None else data["room"].name
        if start is None:
            description = _("Unschedule “%(title)s” (%(where)s)") % {"title": title, "where": where}
        else:
            description = _("Move “%(title)s” to %(where)s, %(when)s") % {
                "title": title,
                "where": where,
                "when": f"{date_format(start, 'D j M H:i')} {start:%Z}",
            }
        names, action = MOVE_FIELDS, "schedule_board_move"
    elif params.get("retry") == "swap":
        form = BoardSwapForm(params, event=event)
        if not form.is_valid():
            return None
        data = form.cleaned_data
        description = _("Swap “%(first)s” and “%(second)s”") % {
            "first": data["first"].title,
            "second": data["second"].title,
        }
        names, action = SWAP_FIELDS, "schedule_board_swap"
    else:
        return None
    return {
        "description": description,
        "url": reverse(f"{admin_site.name}:{action}", args=[event.pk]),
        "fields": [(name, params.get(name, "")) for name in names],
    }


def _report(request, result, *, done, refused):
    """Tell the organiser what a move or swap did; True when it saved."""
    if not result.saved:
        messages.error(
            request,
            _("%(refused)s: %(clashes)s")
            % {"refused": refused, "clashes": _clash_text(result.problems)},
        )
    elif result.forced:
        messages.warning(
            request,
            _("%(done)s Saved despite the clash: %(clashes)s")
            % {"done": done, "clashes": _clash_text(result.problems)},
        )
    else:
        messages.success(request, done)
    return result.saved


def _card_to_move(board, value):
    """The card that the board's ``?move=`` names, to open the "Move" form on; None if none."""
    if not value or not value.isdecimal():
        return None
    cards = board.cards + board.unscheduled + board.elsewhere
    return next((card for card in cards if card.talk.pk == int(value)), None)


def board_start(request, event_id, *, admin_site):
    event = get_object_or_404(Event, pk=event_id)
    return redirect(_board_url(admin_site, event, _first_day(event)))


def board_day(request, event_id, day, *, admin_site):
    event = get_object_or_404(Event, pk=event_id)
    day = _event_day(event, day)
    if day is None:
        raise Http404("The event does not run on that day.")
    board = board_for_day(event, day)
    context = {
        **admin_site.each_context(request),
        # The board needs the page's width; the breadcrumbs lead back to the rest.
        "is_nav_sidebar_enabled": False,
        "title": _("Schedule board: %(event)s") % {"event": event.name},
        "zone": describe_zone(event.tz, datetime.datetime.combine(day, OPENING, tzinfo=event.tz)),
        "subtitle": date_format(day, "l j F Y"),
        "event": event,
        "board": board,
        "day_urls": [(link, _board_url(admin_site, event, link.date)) for link in board.days],
        "move_url": reverse(f"{admin_site.name}:schedule_board_move", args=[event.pk]),
        "swap_url": reverse(f"{admin_site.name}:schedule_board_swap", args=[event.pk]),
        "talks_url": reverse(f"{admin_site.name}:schedule_talk_changelist"),
        "retry": _retry(request.GET, event, admin_site),
        "moving": _card_to_move(board, request.GET.get("move")),
    }
    return TemplateResponse(request, "admin/schedule/board.html", context)


def board_move(request, event_id, *, admin_site):
    event = get_object_or_404(Event, pk=event_id)
    back = _event_day(event, request.POST.get("board_day")) or _first_day(event)
    form = BoardMoveForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(
            request, _("The talk was not moved. %(errors)s") % {"errors": _errors_text(form)}
        )
        return redirect(_board_url(admin_site, event, back))
    data = form.cleaned_data
    talk = data["talk"]
    try:
        result = talk_move(
            talk=talk,
            room=data["room"],
            start=data["start_at"],
            seen_updated=data["seen_updated"],
            force=data["force"],
        )
    except BoardError as error:
        messages.error(request, str(error))
        return redirect(_board_url(admin_site, event, back, anchor=f"#talk-{talk.pk}"))
    (moved,) = result.talks
    if not _report(
        request,
        result,
        done=_("Moved “%(title)s” to %(where)s.")
        % {"title": moved.title, "where": _describe(moved, event)},
        refused=_("“%(title)s” was not moved") % {"title": talk.title},
    ):
        query = {"retry": "move", **{name: request.POST.get(name, "") for name in MOVE_FIELDS}}
        return redirect(_board_url(admin_site, event, back, query, "#board-retry"))
    return redirect(_board_url(admin_site, event, back, anchor=f"#talk-{moved.pk}"))


def board_swap(request, event_id, *, admin_site):
    event = get_object_or_404(Event, pk=event_id)
    back = _event_day(event, request.POST.get("board_day")) or _first_day(event)
    form = BoardSwapForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(
            request, _("The talks were not swapped. %(errors)s") % {"errors": _errors_text(form)}
        )
        return redirect(_board_url(admin_site, event, back))
    data = form.cleaned_data
    try:
        result = talks_swap(
            first=data["first"],
            second=data["second"],
            seen_first=data["seen_first"],
            seen_second=data["seen_second"],
            force=data["force"],
        )
    except BoardError as error:
        messages.error(request, str(error))
        return redirect(_board_url(admin_site, event, back))
    first, second = result.talks
    if not _report(
        request,
        result,
        done=_("Swapped “%(first)s” (%(first_where)s) and “%(second)s” (%(second_where)s).")
        % {
            "first": first.title,
            "first_where": _describe(first, event),
            "second": second.title,
            "second_where": _describe(second, event),
        },
        refused=_("“%(first)s” and “%(second)s” were not swapped")
        % {"first": first.title, "second": second.title},
    ):
        query = {"retry": "swap", **{name: request.POST.get(name, "") for name in SWAP_FIELDS}}
        return redirect(_board_url(admin_site, event, back, query, "#board-retry"))
    return redirect(_board_url(admin_site, event, back, anchor=f"#talk-{first.pk}"))
