"""Admin actions: bulk edits of selected talks, and room assignment for selected events.

Each action only calls a service (``schedule.services``) and reports its
result with ``message_user``. The ones that need a choice (track, room,
minutes) first show an intermediate page, Django's documented pattern: the
page posts back to the change list with the selected ids, the action's name
and ``apply``.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conference.models import Room, Track
from infrastructure.site_url import site_root
from schedule.services.bulk import (
    BulkEditError,
    event_of_talks,
    talks_cancel,
    talks_export_csv,
    talks_publish,
    talks_set_room,
    talks_set_track,
    talks_shift,
    talks_unpublish,
)
from schedule.services.rooms import RoomAssignmentError, rooms_assign

BULK_EDIT_TEMPLATE = "admin/schedule/talk/bulk_edit.html"
MAX_SHIFT_MINUTES = 7 * 24 * 60


class TrackChoiceForm(forms.Form):
    track = forms.ModelChoiceField(
        label=_("Track"),
        queryset=Track.objects.none(),
        required=False,
        empty_label=_("— no track —"),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = Track.objects.filter(event=event)


class RoomChoiceForm(forms.Form):
    room = forms.ModelChoiceField(
        label=_("Room"),
        queryset=Room.objects.none(),
        required=False,
        empty_label=_("— no room —"),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(event=event)


class ShiftForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=-MAX_SHIFT_MINUTES,
        max_value=MAX_SHIFT_MINUTES,
        help_text=_("Later by this many minutes; a negative number moves the talks earlier."),
    )

    despite_clashes = forms.BooleanField(
        label=_("Shift despite the clash"),
        required=False,
        # Offered once a shift was refused, as the talk form does.
        widget=forms.HiddenInput,
        help_text=_("The clashes listed above are saved as they are, to be solved later."),
    )

    def refuse(self, result):
        """Show a refused shift's new clashes and offer to shift despite them."""
        self.fields["despite_clashes"].widget = forms.CheckboxInput()
        self.add_error(None, result.summary())
        for problem in result.problems:
            self.add_error(None, problem.message)
        self.add_error(None, gettext("Tick “Shift despite the clash” to shift anyway."))

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if minutes == 0:
            raise forms.ValidationError(
                gettext("A shift of 0 minutes changes nothing."), code="zero"
            )
        return minutes


def _report(modeladmin, request, result):
    if not result.saved:
        modeladmin.message_user(request, result.summary(), messages.ERROR)
        for problem in result.problems:
            modeladmin.message_user(request, problem.message, messages.ERROR)
    elif result.problems:
        modeladmin.message_user(request, result.summary(), messages.WARNING)
        for problem in result.problems:
            modeladmin.message_user(request, problem.message, messages.WARNING)
    else:
        modeladmin.message_user(request, result.summary(), messages.SUCCESS)


def _one_event(modeladmin, request, queryset):
    """The event of the selected talks, or ``None`` after telling why there is none."""
    try:
        return event_of_talks(queryset)
    except BulkEditError as error:
        modeladmin.message_user(request, str(error), messages.ERROR)
        return None


def _when(talk):
    if talk.start is None:
        return gettext("unscheduled")
    start, end = talk.event.local_time(talk.start), talk.event.local_time(talk.end)
    return f"{date_format(start, 'D j M H:i')}–{end:%H:%M} {start:%Z}"


def _intermediate_page(modeladmin, request, queryset, *, action, title, intro, form):
    talks = list(queryset.select_related("event").order_by("start", "title", "pk"))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "opts": modeladmin.model._meta,
        "events": sorted({talk.event.name for talk in talks}),
        "talks": [(talk, _when(talk)) for talk in talks],
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, BULK_EDIT_TEMPLATE, context)


def _edit_with_choice(modeladmin, request, queryset, *, action, title, intro, form_class, apply):
    """Show ``form_class`` for the selected talks' event; once valid, ``apply`` its data."""
    event = _one_event(modeladmin, request, queryset)
    if event is None:
        return None
    form = form_class(request.POST if "apply" in request.POST else None, event=event)
    if form.is_valid():
        try:
            result = apply(queryset, form.cleaned_data)
        except BulkEditError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            return None
        _report(modeladmin, request, result)
        return None
    return _intermediate_page(
        modeladmin, request, queryset, action=action, title=title, intro=intro, form=form
    )


@admin.action(description=_("Set the track of the selected talks…"), permissions=["change"])
def set_track(modeladmin, request, queryset):
    return _edit_with_choice(
        modeladmin,
        request,
        queryset,
        action="set_track",
        title=gettext("Set the track"),
        intro=gettext("Only the tracks of the talks' event are offered."),
        form_class=TrackChoiceForm,
        apply=lambda talks, data: talks_set_track(talks=talks, track=data["track"]),
    )


@admin.action(description=_("Set the room of the selected talks…"), permissions=["change"])
def set_room(modeladmin, request, queryset):
    return _edit_with_choice(
        modeladmin,
        request,
        queryset,
        action="set_room",
        title=gettext("Set the room"),
        intro=gettext(
            "Only the rooms of the talks' event are offered. If any talk would then be in "
            "a clash, nothing is saved."
        ),
        form_class=RoomChoiceForm,
        apply=lambda talks, data: talks_set_room(talks=talks, room=data["room"]),
    )


@admin.action(description=_("Shift the selected talks by some minutes…"), permissions=["change"])
def shift_times(modeladmin, request, queryset):
    form = ShiftForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        try:
            result = talks_shift(
                talks=queryset,
                minutes=form.cleaned_data["minutes"],
                despite_clashes=form.cleaned_data["despite_clashes"],
            )
        except BulkEditError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            return None
        if result.saved:
            _report(modeladmin, request, result)
            return None
        form.refuse(result)
    return _intermediate_page(
        modeladmin,
        request,
        queryset,
        action="shift_times",
        title=gettext("Shift the talks"),
        intro=gettext(
            "All the talks move together, by elapsed time. If the shift puts any of them in "
            "a new clash (a room or speaker taken, or outside the event's dates), nothing is "
            "saved unless you shift despite the clash. Clashes they are in already are kept."
        ),
        form=form,
    )


@admin.action(description=_("Publish the selected talks"), permissions=["change"])
def publish(modeladmin, request, queryset):
    _report(modeladmin, request, talks_publish(talks=queryset))


@admin.action(description=_("Unpublish the selected talks"), permissions=["change"])
def unpublish(modeladmin, request, queryset):
    _report(modeladmin, request, talks_unpublish(talks=queryset))


@admin.action(
    description=_("Cancel the selected talks (kept, hidden from attendees)"),
    permissions=["change"],
)
def cancel(modeladmin, request, queryset):
    _report(modeladmin, request, talks_cancel(talks=queryset))


@admin.action(description=_("Export the selected talks as CSV"), permissions=["view"])
def export_csv(modeladmin, request, queryset):
    event = _one_event(modeladmin, request, queryset)
    if event is None:
        return None
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-talks.csv"'
    talks_export_csv(talks=queryset, file=response, site_url=site_root(request).rstrip("/"))
    return response


@admin.action(description=_("Assign rooms to the talks without one"), permissions=["change"])
def assign_rooms(modeladmin, request, queryset):
    for event in queryset:
        try:
            result = rooms_assign(event=event)
        except RoomAssignmentError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            continue
        level = messages.SUCCESS if result.changed else messages.INFO
        modeladmin.message_user(request, result.summary(), level)
        for warning in result.warnings:
            modeladmin.message_user(request, warning, messages.WARNING)


TALK_ACTIONS = [set_track, set_room, shift_times, publish, unpublish, cancel, export_csv]
EVENT_ACTIONS = [assign_rooms]
