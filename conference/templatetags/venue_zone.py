"""The zone of a venue time as the clocks have it at that instant, for templates.

Django's ``date`` filter prints no zone ("T", "O") for a time the clocks show
twice, in the repeated hour at the end of summer time: exactly where the
offset tells which of the two is meant. These filters read it from the aware
time itself, converted to the current zone (the event's, on event pages).
"""

from django import template
from django.utils.html import format_html
from django.utils.timezone import is_aware

register = template.Library()


@register.filter(expects_localtime=True)
def zone_abbreviation(value):
    """``{{ talk.start|zone_abbreviation }}``: "CDT", "CST", "-03"; "" for no aware time."""
    if not hasattr(value, "utcoffset") or not is_aware(value):
        return ""
    return value.tzname() or ""


@register.filter(expects_localtime=True)
def utc_offset(value):
    """``{{ talk.start|utc_offset }}``: "+0200", "-0330"; "" for no aware time."""
    if not hasattr(value, "utcoffset") or not is_aware(value):
        return ""
    return value.strftime("%z")


@register.filter(expects_localtime=True)
def time_element(value):
    """``{{ talk.start|time_element }}``: ``<time datetime=… data-time data-day=…>09:30</time>``.

    Whole, so that a sentence around it can be translated with it as one
    placeholder; the page's script shows it in the visitor's zone too.
    """
    return format_html(
        '<time datetime="{}" data-time data-day="{}">{}</time>',
        value.isoformat(),
        value.strftime("%Y-%m-%d"),
        value.strftime("%H:%M"),
    )
