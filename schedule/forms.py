"""Forms for editing talks."""

import copy
import datetime

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError

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
            choices=[("0", "the first"), ("1", "the second")],
            required=False,
            widget=forms.HiddenInput,
            **kwargs,
        )

    def offer(self, instants):
        first, second = instants
        self.label = f"Which {first:%H:%M}"
        self.widget = forms.RadioSelect()
        self.choices = [
            ("0", f"The first, at {offset_words(first)}, before the clocks go back"),
            ("1", f"The second, at {offset_words(second)}, after the clocks go back"),
        ]


class EventPlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.event.name})"


class TalkAdminForm(EditLockForm, forms.ModelForm):
    """The talk's admin form, locked against a second organiser's save (``EditLockForm``).

    The admin saves the talk and then its speakers inline in one transaction.
    The talk is locked in ``clean()``, before the inline reads the talk's
    speakers, so two saves never interleave into a mixture of both, nor add
    one speaker twice.
    """

    start = VenueDateTimeField(required=False, widget=AdminSplitDateTime)
    end = VenueDateTimeField(required=False, widget=AdminSplitDateTime)
    room = EventPlaceChoiceField(queryset=Room.objects.select_related("event"), required=False)
    track = EventPlaceChoiceField(queryset=Track.objects.select_related("event"), required=False)
    start_occurrence = OccurrenceField()
    end_occurrence = OccurrenceField()
    save_despite_clashes = forms.BooleanField(
        label="Save despite the clash",
        required=False,
        widget=forms.HiddenInput,
        help_text="For a swap in two steps: the other talk is moved next.",
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
        event = self.instance.event if self.instance.event_id else None
        if event is None:
            note = "As the venue's clock shows it, in the event's time zone."
        else:
            note = (
                f"As the venue's clock shows it, in {describe_zone(event.tz, self.instance.start)}."
            )
            self.fields["room"].queryset = self.fields["room"].queryset.filter(event=event)
            self.fields["track"].queryset = self.fields["track"].queryset.filter(event=event)
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

    def clean(self):
        cleaned_data = super().clean()
        event = cleaned_data.get("event") or (
            self.instance.event if self.instance.event_id else None
        )
        if isinstance(event, Event):
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
                    message = f"{error} Choose which one below."
                    self.add_error(name, ValidationError(message, code="ambiguous_time"))
        if isinstance(event, Event) and not self.errors:
            self._check_clashes(event, cleaned_data)
        return cleaned_data

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
                        "Tick “Save despite the clash” to save anyway.", code="clash_override"
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
    q = forms.CharField(required=False, max_length=100, label="Search", strip=True)
    track = forms.ChoiceField(required=False, label="Track")
    room = forms.ChoiceField(required=False, label="Room")
    talks = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, event, rooms, tracks):
        super().__init__(data)
        self.event = event
        self.rooms_by_slug = {room.slug: room for room in rooms}
        self.tracks_by_slug = {track.slug: track for track in tracks}
        self.fields["room"].choices = [("", "All rooms")] + [(r.slug, r.name) for r in rooms]
        self.fields["track"].choices = [("", "All tracks")] + [(t.slug, t.name) for t in tracks]
        self.fields["q"].widget.attrs.update(
            placeholder="Title, abstract or speaker", type="search"
        )
        if not rooms:
            del self.fields["room"]
        if not tracks:
            del self.fields["track"]

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day is not None and day != ALL_DAYS and day not in self.event.days:
            raise ValidationError("The event does not run on that day.", code="not_event_day")
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
