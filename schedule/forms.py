"""Forms for editing talks."""

import copy
import datetime

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conference.models import Event, Room, Track
from conference.venue_time import (
    AmbiguousTimeError,
    NonexistentTimeError,
    describe_zone,
    offset_words,
    unambiguous_venue_datetime,
    venue_instants,
    venue_wall_clock,
)
from infrastructure.edit_lock import EditLockForm
from schedule.clashes import candidate_clashes, talks_for_checks
from schedule.models import Talk
from speakers.models import Speaker

SPEAKERS_INLINE_PREFIX = "talk_speakers"
MAX_DURATION_MINUTES = 7 * 24 * 60


class VenueDateTimeField(forms.SplitDateTimeField):
    """A date and time as the venue's clock shows it.

    Django would read the value in the server's current zone; this field keeps
    it naive, and the form attaches the event's zone once it knows the event.
    """

    def compress(self, data_list):
        if data_list and data_list[0] and data_list[1]:
            return datetime.datetime.combine(*data_list)
        return super().compress(data_list)


class OccurrenceField(forms.ChoiceField):
    """Which of the two instants a repeated wall-clock time means: "0" the first, "1" the second.

    Hidden until the time next to it turns out to be one the clocks show
    twice; then ``offer`` makes it a choice between the two, named by offset.
    """

    def __init__(self, **kwargs):
        super().__init__(
            choices=[("0", _("the first")), ("1", _("the second"))],
            required=False,
            widget=forms.HiddenInput,
            **kwargs,
        )

    def offer(self, instants):
        first, second = instants
        self.label = gettext("Which %(time)s") % {"time": f"{first:%H:%M}"}
        self.widget = forms.RadioSelect()
        self.choices = [
            (
                "0",
                gettext("The first, at %(offset)s, before the clocks go back")
                % {"offset": offset_words(first)},
            ),
            (
                "1",
                gettext("The second, at %(offset)s, after the clocks go back")
                % {"offset": offset_words(second)},
            ),
        ]


class EventPlaceChoiceField(forms.ModelChoiceField):
    """A room or track: offered for the talk's event once it is known, any event's before.

    A value is looked up among every event's rooms or tracks, so that one of
    another event is refused by the form with a message naming both events,
    rather than as a choice that is not there.
    """

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, **kwargs)
        self.every_event = queryset
        self.event = None

    def limit_to(self, event):
        self.event = event
        self.queryset = self.every_event.filter(event=event)

    def label_from_instance(self, obj):
        if self.event is not None:
            return obj.name
        return f"{obj.name} ({obj.event.name})"

    def to_python(self, value):
        limited = self.queryset
        self.queryset = self.every_event
        try:
            return super().to_python(value)
        finally:
            self.queryset = limited


class TalkAdminForm(EditLockForm, forms.ModelForm):
    """The talk's admin form, locked against a second organiser's save (``EditLockForm``).

    The admin saves the talk and then its speakers inline in one transaction.
    The talk is locked in ``clean()``, before the inline reads the talk's
    speakers, so two saves never interleave into a mixture of both, nor add
    one speaker twice.
    """

    start = VenueDateTimeField(label=_("Start"), required=False, widget=AdminSplitDateTime)
    end = VenueDateTimeField(label=_("End"), required=False, widget=AdminSplitDateTime)
    room = EventPlaceChoiceField(
        label=_("Room"), queryset=Room.objects.select_related("event"), required=False
    )
    track = EventPlaceChoiceField(
        label=_("Track"), queryset=Track.objects.select_related("event"), required=False
    )
    duration = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        min_value=1,
        max_value=MAX_DURATION_MINUTES,
        help_text=_("Instead of the end: the end is this many minutes after the start."),
    )
    start_occurrence = OccurrenceField()
    end_occurrence = OccurrenceField()
    save_despite_clashes = forms.BooleanField(
        label=_("Save despite the clash"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("For a swap in two steps: the other talk is moved next."),
    )

    class Meta:
        model = Talk
        fields = [
            "event",
            "title",
            "subtitle",
            "slug",
            "kind",
            "is_published",
            "is_cancelled",
            "start",
            "end",
            "room",
            "track",
            "abstract",
            "language",
            "do_not_record",
            "source_url",
            "external_id",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self._known_event()
        if event is not None:
            self.fields["room"].limit_to(event)
            self.fields["track"].limit_to(event)
        if not self.instance.event_id:
            note = _("As the venue's clock shows it, in the event's time zone.")
        else:
            event = self.instance.event
            note = gettext("As the venue's clock shows it, in %(zone)s.") % {
                "zone": describe_zone(event.tz, self.instance.start)
            }
            for name in ("start", "end"):
                value = getattr(self.instance, name)
                if value is not None:
                    wall_clock = venue_wall_clock(value, event.tz)
                    self.initial[name] = wall_clock
                    instants = venue_instants(wall_clock, event.tz)
                    if len(instants) == 2:
                        # Shown with the talk's own occurrence ticked, so that
                        # saving it unchanged keeps it where it is.
                        self.fields[f"{name}_occurrence"].offer(instants)
                        self.initial[f"{name}_occurrence"] = str(value.astimezone(event.tz).fold)
        for name in ("start", "end"):
            self.fields[name].help_text = note

    def _known_event(self):
        """The event whose rooms and tracks to offer: the talk's, or the one asked for.

        On the add form that is the event in the URL (``?event=<id>``, which
        the admin reads as the initial value), or the one posted with it.
        """
        if self.is_bound:
            chosen = self.data.get(self.add_prefix("event"))
        else:
            chosen = self.initial.get("event")
        if isinstance(chosen, Event):
            return chosen
        if chosen and str(chosen).isdigit():
            found = Event.objects.filter(pk=chosen).first()
            if found is not None:
                return found
        return self.instance.event if self.instance.event_id else None

    def clean(self):
        cleaned_data = super().clean()
        event = cleaned_data.get("event") or (
            self.instance.event if self.instance.event_id else None
        )
        if isinstance(event, Event):
            self._check_places(event, cleaned_data)
            for name in ("start", "end"):
                value = cleaned_data.get(name)
                if value is None or value.tzinfo is not None:
                    continue
                occurrence = cleaned_data.get(f"{name}_occurrence")
                try:
                    cleaned_data[name] = unambiguous_venue_datetime(
                        value, event.tz, fold=int(occurrence) if occurrence else None
                    )
                except NonexistentTimeError as error:
                    self.add_error(name, ValidationError(str(error), code="nonexistent_time"))
                except AmbiguousTimeError as error:
                    # Refused rather than guessed, as a skipped time is, and the
                    # choice offered in the form drawn again.
                    self.fields[f"{name}_occurrence"].offer(error.instants)
                    # Its bound field, made while cleaning, has the old label.
                    self._bound_fields_cache.pop(f"{name}_occurrence", None)
                    message = gettext("%(error)s Choose which one below.") % {"error": error}
                    self.add_error(name, ValidationError(message, code="ambiguous_time"))
        if isinstance(event, Event) and not self.errors:
            self._apply_duration(event, cleaned_data)
        if isinstance(event, Event) and not self.errors:
            self._check_clashes(event, cleaned_data)
        return cleaned_data

    def _check_places(self, event, cleaned_data):
        messages = {
            "room": _(
                "The room “%(place)s” belongs to %(other)s, not to %(event)s: "
                "choose one of %(event)s's rooms."
            ),
            "track": _(
                "The track “%(place)s” belongs to %(other)s, not to %(event)s: "
                "choose one of %(event)s's tracks."
            ),
        }
        for name, text in messages.items():
            place = cleaned_data.get(name)
            if place is not None and place.event_id != event.pk:
                message = text % {
                    "place": place.name,
                    "other": place.event.name,
                    "event": event.name,
                }
                self.add_error(name, ValidationError(message, code="other_event"))

    def _apply_duration(self, event, cleaned_data):
        """The end from the start and the duration, in elapsed time across any clock change."""
        minutes = cleaned_data.get("duration")
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if minutes is None and end is None and start is not None:
            # A talk from a proposal knows its session's length: a start is enough to place it.
            minutes = cleaned_data.get("planned_minutes", self.instance.planned_minutes)
        if minutes is None:
            return
        if start is None:
            self.add_error("duration", gettext("Give the start too: the duration counts from it."))
            return
        computed = start + datetime.timedelta(minutes=minutes)
        if end is None:
            cleaned_data["end"] = computed
        elif end != computed:
            tz = event.tz
            self.add_error(
                "duration",
                ValidationError(
                    gettext(
                        "The end (%(end)s) and the duration (%(minutes)s minutes, ending "
                        "%(computed)s) disagree: give one of them, or make them agree."
                    )
                    % {
                        "end": date_format(end.astimezone(tz), "D j M H:i"),
                        "minutes": minutes,
                        "computed": date_format(computed.astimezone(tz), "D j M H:i"),
                    },
                    code="end_and_duration",
                ),
            )

    def edit_lock_time(self, stamp):
        return self.instance.event.local_time(stamp)

    def _speakers_from_inline(self):
        """The speakers the talk will have: read from the speakers inline in the same POST."""
        prefix = SPEAKERS_INLINE_PREFIX
        try:
            total = int(self.data.get(f"{prefix}-TOTAL_FORMS", 0))
        except ValueError:
            return []
        ids = []
        for index in range(min(total, 1000)):
            speaker_id = self.data.get(f"{prefix}-{index}-speaker")
            if (
                speaker_id
                and speaker_id.isdigit()
                and not self.data.get(f"{prefix}-{index}-DELETE")
            ):
                ids.append(int(speaker_id))
        return list(Speaker.objects.filter(pk__in=ids))

    def _check_clashes(self, event, cleaned_data):
        """Refuse a clash (the schedule's rules) unless the organiser ticks the box."""
        if cleaned_data.get("start") is None or cleaned_data.get("end") is None:
            return
        candidate = copy.copy(self.instance)
        candidate.event = event
        for name in ("title", "kind", "start", "end", "room", "is_cancelled"):
            setattr(candidate, name, cleaned_data.get(name))
        problems = candidate_clashes(
            candidate,
            speakers=self._speakers_from_inline(),
            others=talks_for_checks(event),
            event=event,
        )
        if problems and not cleaned_data.get("save_despite_clashes"):
            self.fields["save_despite_clashes"].widget = forms.CheckboxInput()
            raise ValidationError(
                [ValidationError(problem.message, code=str(problem.code)) for problem in problems]
                + [
                    ValidationError(
                        gettext("Tick “Save despite the clash” to save anyway."),
                        code="clash_override",
                    )
                ]
            )

    def _update_errors(self, errors):
        # A time that failed on its own (unparsable, skipped by the clocks)
        # needs no second message from the model about a missing value.
        if hasattr(errors, "error_dict"):
            for name in [name for name in errors.error_dict if name in self._errors]:
                del errors.error_dict[name]
        super()._update_errors(errors)


ALL_DAYS = "all"


class ScheduleDayField(forms.DateField):
    """A day of the event as ``2012-11-07``, or ``all`` for every day."""

    def to_python(self, value):
        if value == ALL_DAYS:
            return ALL_DAYS
        return super().to_python(value)


class ScheduleFilterForm(forms.Form):
    """The schedule page's query parameters: which day, room, track and words.

    Without a day the page shows every day, except that the bare schedule of
    a running event shows the venue's today (``?day=all`` then shows all).
    """

    day = ScheduleDayField(required=False, widget=forms.HiddenInput, input_formats=["%Y-%m-%d"])
    q = forms.CharField(required=False, max_length=100, label=_("Search"), strip=True)
    track = forms.ChoiceField(required=False, label=_("Track"))
    room = forms.ChoiceField(required=False, label=_("Room"))
    talks = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, event, rooms, tracks):
        super().__init__(data)
        self.event = event
        self.rooms_by_slug = {room.slug: room for room in rooms}
        self.tracks_by_slug = {track.slug: track for track in tracks}
        self.fields["room"].choices = [("", gettext("All rooms"))] + [
            (r.slug, r.name) for r in rooms
        ]
        self.fields["track"].choices = [("", gettext("All tracks"))] + [
            (t.slug, t.name) for t in tracks
        ]
        self.fields["q"].widget.attrs.update(
            placeholder=gettext("Title, abstract or speaker"), type="search"
        )
        if not rooms:
            del self.fields["room"]
        if not tracks:
            del self.fields["track"]

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day is not None and day != ALL_DAYS and day not in self.event.days:
            raise ValidationError(
                gettext("The event does not run on that day."), code="not_event_day"
            )
        return day

    def filters(self):
        """Keyword arguments for ``schedule_talks``; a bad value counts as not given."""
        self.is_valid()  # fills cleaned_data with every field that is valid
        data = self.cleaned_data
        day = data.get("day")
        return {
            "day": None if day == ALL_DAYS else day,
            "room": self.rooms_by_slug.get(data.get("room") or ""),
            "track": self.tracks_by_slug.get(data.get("track") or ""),
            "query": data.get("q") or "",
        }
