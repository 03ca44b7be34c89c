"""The event's admin form, which asks what the talks keep when the event's zone changes."""

import copy
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from conference.models import Event
from conference.services import (
    KEEP_CHOICES,
    KEEP_INSTANTS,
    KEEP_WALL_CLOCK,
    event_zone_change_plan,
)
from infrastructure.edit_lock import EditLockForm

KEEP_LABELS = dict(KEEP_CHOICES)


@dataclass(frozen=True)
class ZoneChangeAnswer:
    """What the organiser chose for the talks of an event whose zone changes."""

    zone: str
    keep: str
    allow_outside: bool


class EventAdminForm(EditLockForm, forms.ModelForm):
    """The event's admin form: a save over another organiser's newer one is refused.

    A new zone on an event with scheduled talks is refused once, with the
    question of what the talks keep (their times on the venue's clock, the
    usual wish when the zone was entered wrong, or their instants) and what
    each answer changes; a change that takes talks outside the event's dates
    also needs a tick. The answer is in ``zone_change`` for the admin to apply.
    """

    talks_keep = forms.ChoiceField(
        label=_("Talks keep"), choices=KEEP_CHOICES, required=False, widget=forms.HiddenInput
    )
    # The zone the question above was asked for: a zone changed again is asked again.
    zone_asked = forms.CharField(required=False, widget=forms.HiddenInput)
    save_outside_dates = forms.BooleanField(
        label=_("Save even though talks fall outside the event's dates"),
        required=False,
        widget=forms.HiddenInput,
    )
    # The answer and count the tick was offered for ("instants:2"): a tick counts for those only.
    outside_asked = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Event
        fields = [
            "name",
            "slug",
            "tagline",
            "is_published",
            "start_date",
            "end_date",
            "time_zone",
            "location",
            "description",
            "website",
            "embed_origins",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone_change = None

    def edit_lock_time(self, stamp):
        return self.instance.local_time(stamp)

    def clean(self):
        cleaned_data = super().clean()
        zone = cleaned_data.get("time_zone")
        if self.instance.pk is None or not zone or "time_zone" not in self.changed_data:
            return cleaned_data
        # The talks are checked against the dates being saved, which may change too.
        candidate = copy.copy(self.instance)
        for name in ("start_date", "end_date"):
            setattr(candidate, name, cleaned_data.get(name) or getattr(self.instance, name))
        lock = transaction.get_connection().in_atomic_block
        plans = {
            keep: event_zone_change_plan(event=candidate, zone=zone, keep=keep, lock=lock)
            for keep in KEEP_LABELS
        }
        if not plans[KEEP_INSTANTS].changes_anything:
            return cleaned_data  # the talks show the same times at the same instants
        if cleaned_data.get("zone_asked") != zone:
            self._ask(zone, plans)
            if plans[KEEP_WALL_CLOCK].outside:
                self._offer_outside(plans[KEEP_WALL_CLOCK])
            count = len(plans[KEEP_INSTANTS].moves)
            self.add_error(
                "time_zone",
                ValidationError(
                    ngettext(
                        "The zone changes from %(old)s to %(new)s. Say below whether the "
                        "event's %(count)s scheduled talk keep their wall-clock times or their "
                        "instants, then save again.",
                        "The zone changes from %(old)s to %(new)s. Say below whether the "
                        "event's %(count)s scheduled talks keep their wall-clock times or their "
                        "instants, then save again.",
                        count,
                    )
                    % {"old": self.instance.time_zone, "new": zone, "count": count},
                    code="zone_change_question",
                ),
            )
            return cleaned_data
        keep = cleaned_data.get("talks_keep") or KEEP_WALL_CLOCK
        plan = plans[keep]
        if plan.refusals:
            self._ask(zone, plans)
            self.add_error(
                "talks_keep",
                [ValidationError(message, code="zone_change_refused") for message in plan.refusals],
            )
            return cleaned_data
        if plan.outside:
            confirmed = cleaned_data.get("save_outside_dates") and (
                cleaned_data.get("outside_asked") == _outside_key(plan)
            )
            if not confirmed:
                self._ask(zone, plans)
                label = self._offer_outside(plan)
                self.add_error(
                    "save_outside_dates",
                    ValidationError(
                        gettext("With %(answer)s, %(outside)s Tick “%(label)s” to save anyway.")
                        % {
                            "answer": KEEP_LABELS[keep],
                            "outside": plan.outside_words(),
                            "label": label,
                        },
                        code="outside_event_dates",
                    ),
                )
                return cleaned_data
        self.zone_change = ZoneChangeAnswer(zone=zone, keep=keep, allow_outside=bool(plan.outside))
        return cleaned_data

    def _set_data(self, name, value):
        if not getattr(self.data, "_mutable", True):
            self.data = self.data.copy()
        self.data[self.add_prefix(name)] = value

    def _ask(self, zone, plans):
        """Show the question of what the talks keep, each answer with what it changes."""
        self._set_data("zone_asked", zone)
        if self.data.get(self.add_prefix("talks_keep")) not in KEEP_LABELS:
            self._set_data("talks_keep", KEEP_WALL_CLOCK)
        field = self.fields["talks_keep"]
        field.widget = forms.RadioSelect()
        field.choices = [(keep, _choice_label(label, plans[keep])) for keep, label in KEEP_CHOICES]
        notes = [
            (KEEP_LABELS[keep], note)
            for keep, plan in plans.items()
            for note in (*plan.refusals, *plan.warnings, plan.outside_words())
            if note
        ]
        field.help_text = format_html(
            "{}{}",
            gettext(
                "Wall-clock times: each talk stays at the time the programme shows, in the new "
                "zone, so its instant moves. Instants: each talk stays at its moment in time, so "
                "the venue's clock shows it at another time."
            ),
            format_html_join(
                "",
                "<br>{}",
                (
                    (gettext("With %(answer)s: %(note)s") % {"answer": answer, "note": note},)
                    for answer, note in notes
                ),
            ),
        )
        self._bound_fields_cache.pop("talks_keep", None)

    def _offer_outside(self, plan):
        """Show the tick that saves despite talks outside the event's dates; its label."""
        count = len(plan.outside)
        label = ngettext(
            "Save even though %(count)s talk falls outside the event's dates",
            "Save even though %(count)s talks fall outside the event's dates",
            count,
        ) % {"count": count}
        key = _outside_key(plan)
        if self.data.get(self.add_prefix("outside_asked")) != key:
            # A tick given for another answer or count does not count for this one.
            self._set_data("save_outside_dates", "")
        self._set_data("outside_asked", key)
        field = self.fields["save_outside_dates"]
        field.widget = forms.CheckboxInput()
        field.label = label
        self._bound_fields_cache.pop("save_outside_dates", None)
        return label


def _choice_label(label, plan):
    """“Their instants: 3 talks: Wed 7 Nov 10:00 CET … becomes …”: an answer and what it does."""
    if not plan.summary:  # every talk refused: the reasons are in the help below
        return label.capitalize()
    return f"{label.capitalize()}: {' '.join(plan.summary)}"


def _outside_key(plan):
    return f"{plan.keep}:{len(plan.outside)}"
