"""Events and the places (rooms) and themes (tracks) a programme is built from."""

import datetime
import re
import zoneinfo
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import dateformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conference.venue_time import venue_day_bounds, venue_local_date
from infrastructure.rich_text import MARKDOWN_HELP_TEXT, validate_markdown_length


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "%(value)s is not a known IANA time zone, such as Europe/Madrid.",
            code="invalid_time_zone",
            params={"value": value},
        ) from None


# Top-level URL segments that an event slug would shadow.
RESERVED_EVENT_SLUGS = frozenset(
    {"accounts", "admin", "api", "i18n", "media", "robots.txt", "sitemap.xml", "static"}
)


def validate_event_slug(value):
    if value in RESERVED_EVENT_SLUGS:
        raise ValidationError(
            "“%(value)s” is taken by the site's own pages; choose another slug.",
            code="reserved_slug",
            params={"value": value},
        )


# One origin a page of the site may be framed by: a scheme, a host name or
# IPv4 address, an optional port; nothing else, so that no line can add a
# source, a wildcard or a directive to the Content-Security-Policy header.
_EMBED_ORIGIN = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?::(?P<port>[0-9]{1,5}))?"
)


def embed_origin_lines(value):
    """The origins of an ``embed_origins`` text as written: its lines, trimmed, blanks dropped,
    lower case, a trailing slash taken off."""
    lines = (line.strip().lower().removesuffix("/") for line in (value or "").splitlines())
    return [line for line in lines if line]


def validate_embed_origins(value):
    """Refuse a line of ``embed_origins`` that is not ``http(s)://host[:port]``, naming it."""
    wrong = []
    for line in embed_origin_lines(value):
        match = _EMBED_ORIGIN.fullmatch(line)
        if match is None or int(match["port"] or 1) not in range(1, 65536):
            wrong.append(line)
    if wrong:
        raise ValidationError(
            _(
                "Not an origin: %(lines)s. Write one origin per line as https://host or "
                "https://host:port (e.g. https://www.example.org), without a path, a wildcard "
                "or quotes."
            ),
            code="invalid_embed_origin",
            params={"lines": ", ".join(f"“{line}”" for line in wrong)},
        )


def _day_existed(date, zone):
    """Whether the venue's clocks in ``zone`` ever showed ``date``."""
    try:
        start, end = venue_day_bounds(date, zone)
    except OverflowError:  # the last day a datetime can hold: no zone skipped it
        return True
    return start < end


def _dates_words(dates):
    first, last = dates[0], dates[-1]
    if first == last:
        return dateformat.format(first, "j F Y")
    return gettext("%(first)s to %(last)s") % {
        "first": dateformat.format(first, "j F Y"),
        "last": dateformat.format(last, "j F Y"),
    }


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Event(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, validators=[validate_event_slug]
    )
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=MARKDOWN_HELP_TEXT,
        validators=[validate_markdown_length],
    )
    location = models.CharField(
        _("location"),
        max_length=200,
        blank=True,
        help_text=_("Where it happens, e.g. “Barcelona, Spain”."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=time_zone_choices,
        validators=[validate_time_zone],
        help_text=_("The venue's IANA time zone; every time of the event is shown in it."),
    )
    website = models.URLField(_("website"), blank=True)
    embed_origins = models.TextField(
        _("sites that may embed the schedule"),
        blank=True,
        # In the database too: rows written by code that predates the column
        # (an older migration's models) get none.
        default="",
        db_default="",
        validators=[validate_embed_origins],
        help_text=_(
            "One origin per line, e.g. https://www.example.org or https://example.org:8443. "
            "Only these sites may show the embeddable schedule in a frame; "
            "with none, no site can."
        ),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published events are shown to attendees.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="event_ends_on_or_after_start",
                violation_error_message=_("The event cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    @cached_property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def embed_origin_list(self):
        """The origins that may frame the event's embeddable schedule, without repeats."""
        return list(dict.fromkeys(embed_origin_lines(self.embed_origins)))

    def clean(self):
        super().clean()
        if self.embed_origins:
            self.embed_origins = "\n".join(self.embed_origin_list)
        if self.start_date and self.end_date and self.start_date <= self.end_date:
            try:
                tz = zoneinfo.ZoneInfo(self.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
                return  # the zone's own validator says so
            if not any(_day_existed(day, tz) for day in self._dates()):
                raise ValidationError(
                    {
                        "start_date": ValidationError(
                            _(
                                "%(zone)s skipped %(dates)s altogether: the clocks at the venue "
                                "never showed it, so the event would have no day. "
                                "Choose dates the venue had."
                            ),
                            code="no_day_at_venue",
                            params={"zone": tz.key, "dates": _dates_words(self._dates())},
                        )
                    }
                )

    def _dates(self):
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=n) for n in range(count)]

    @property
    def days(self):
        """The event's days at the venue, first to last: its dates that the zone had.

        A date the zone skipped altogether (Pacific/Apia went from 29 to 31
        December 2011) is left out: no talk can fall on it, so no page,
        export, board or filter offers it.
        """
        return [day for day in self._dates() if _day_existed(day, self.tz)]

    def local_time(self, value):
        """The aware datetime ``value`` as wall-clock time at the venue."""
        return value.astimezone(self.tz)

    def day_bounds(self, date):
        """``(start, end)`` in UTC of the venue's day ``date``; a talk is on it when
        ``start <= talk.start < end``. See ``conference.venue_time.venue_day_bounds``."""
        return venue_day_bounds(date, self.tz)

    def local_date(self, instant):
        """The venue's day the aware datetime ``instant`` falls in, as ``day_bounds`` draws it."""
        return venue_local_date(instant, self.tz)


class Room(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Rooms are listed from the lowest position up.")
    )

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["event_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slug"],
                name="room_slug_unique_per_event",
                violation_error_message=_("Another room of this event has this slug."),
            ),
        ]

    def __str__(self):
        return self.name


hex_colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", "Enter a colour as # and six hexadecimal digits, e.g. #1f77b4."
)


class Track(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#6c757d",
        validators=[hex_colour_validator],
        help_text=_("A web colour such as #1f77b4."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["event_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slug"],
                name="track_slug_unique_per_event",
                violation_error_message=_("Another track of this event has this slug."),
            ),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"),
                name="track_colour_is_hex",
                violation_error_message=_("The colour must be # and six hexadecimal digits."),
            ),
        ]

    def __str__(self):
        return self.name
