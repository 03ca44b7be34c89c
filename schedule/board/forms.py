"""The board's forms: a move or a swap as posted, with the talks' stamps as the board drew them."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from conference.models import Room
from conference.venue_time import NonexistentTimeError, venue_datetime
from infrastructure import edit_lock
from schedule.models import Talk


class StampField(edit_lock.StampField):
    """A talk's ``updated`` stamp as the board printed it."""

    default_error_messages = {
        "required": _("The board sent no version of the talk; reload the board and try again."),
        "invalid": _("The board sent an unreadable version of the talk; reload the board."),
    }


def _talk_field(**kwargs):
    return forms.ModelChoiceField(
        queryset=Talk.objects.none(),
        error_messages={
            "required": _("Choose a talk."),
            "invalid_choice": _(
                "That talk is not on this event's board any more; someone may have deleted it."
            ),
        },
        **kwargs,
    )


class BoardMoveForm(forms.Form):
    """Where to put a talk: a room (or none) and a wall-clock start (or none: unscheduled)."""

    talk = _talk_field()
    room = forms.ModelChoiceField(
        queryset=Room.objects.none(),
        required=False,
        empty_label=_("No room"),
        error_messages={"invalid_choice": _("That room is not one of this event's rooms.")},
    )
    day = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    start = forms.TimeField(required=False, input_formats=["%H:%M", "%H:%M:%S"])
    seen_updated = StampField()
    force = forms.BooleanField(required=False, label=_("Save despite the clash"))

    def __init__(self, data, *, event):
        super().__init__(data)
        self.event = event
        self.fields["talk"].queryset = Talk.objects.filter(event=event)
        self.fields["room"].queryset = Room.objects.filter(event=event)

    def clean(self):
        cleaned_data = super().clean()
        day, start = cleaned_data.get("day"), cleaned_data.get("start")
        cleaned_data["start_at"] = None
        if start is not None and day is None and not self.has_error("day"):
            self.add_error("day", _("Give the day of the new start."))
        elif start is not None and day is not None:
            try:
                cleaned_data["start_at"] = venue_datetime(
                    datetime.datetime.combine(day, start), self.event.tz
                )
            except NonexistentTimeError as error:
                self.add_error("start", ValidationError(str(error), code="nonexistent_time"))
        return cleaned_data


class BoardSwapForm(forms.Form):
    first = _talk_field()
    second = _talk_field()
    seen_first = StampField()
    seen_second = StampField()
    force = forms.BooleanField(required=False, label=_("Save despite the clash"))

    def __init__(self, data, *, event):
        super().__init__(data)
        self.event = event
        for name in ("first", "second"):
            self.fields[name].queryset = Talk.objects.filter(event=event)
