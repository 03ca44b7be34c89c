"""Links to an event's call for proposals from the shared pages: the navigation and the event page.

The navigation names the call only while it is open; the event page links it
whenever the event has one, so a closed call's page stays reachable. What
they show changes with the clock, so the page's stored copy lives no longer
than the call's next opening or closing.
"""

from django import template
from django.utils import timezone

from infrastructure.page_cache import page_changes_at
from proposals.models import Call

register = template.Library()


def _call_times(context, event):
    """The call's (opens, closes), or None: read once per event object and page."""
    if not hasattr(event, "_call_times"):
        event._call_times = (
            Call.objects.filter(event_id=event.pk).values_list("opens", "closes").first()
        )
        request = context.get("request")
        now = timezone.now()
        coming = [moment for moment in event._call_times or () if moment > now]
        if request is not None and coming:
            page_changes_at(request, min(coming))
    return event._call_times


@register.inclusion_tag("proposals/includes/call_nav_item.html", takes_context=True)
def call_nav_item(context, event):
    times = _call_times(context, event)
    is_open = times is not None and times[0] <= timezone.now() < times[1]
    return {"event": event, "is_open": is_open, "active": context.get("nav") == "cfp"}


@register.inclusion_tag("proposals/includes/call_event_link.html", takes_context=True)
def call_event_link(context, event):
    times = _call_times(context, event)
    now = timezone.now()
    return {
        "event": event,
        "has_call": times is not None,
        "is_open": times is not None and times[0] <= now < times[1],
        "has_closed": times is not None and now >= times[1],
    }
