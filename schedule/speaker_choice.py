"""Choosing a talk's speaker in the admin: the event's speakers first, named with their events.

Speakers are shared by all events, so two people of one name may both be
offered. The talk form's speaker search sends the talk's event
(``?event=<id>``); the speakers who already speak at it come first, then
everyone else (a returning speaker must stay findable), and every suggestion
names the events its speaker speaks at, so same-named people are told apart.
"""

from django import forms
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Exists, OuterRef
from django.urls import path

from schedule.models import TalkSpeaker

# The events named in a label at most; the rest are counted.
MAX_EVENTS_NAMED = 3


def events_of_speakers(speaker_ids):
    """The names of the events each speaker speaks at, newest first, by speaker id."""
    rows = (
        TalkSpeaker.objects.filter(speaker_id__in=speaker_ids)
        .values_list("speaker_id", "talk__event__name")
        .order_by("speaker_id", "-talk__event__start_date", "talk__event__name")
        .distinct()
    )
    names = {}
    for speaker_id, event_name in rows:
        if event_name not in names.setdefault(speaker_id, []):
            names[speaker_id].append(event_name)
    return names


def speaker_label(speaker, event_names):
    if not event_names:
        return f"{speaker.name} (no talks yet)"
    named = ", ".join(event_names[:MAX_EVENTS_NAMED])
    more = len(event_names) - MAX_EVENTS_NAMED
    return f"{speaker.name} ({named}{f' and {more} more' if more > 0 else ''})"


class SpeakerChoiceField(forms.ModelChoiceField):
    """The inline's speaker, shown with its events once chosen."""

    def label_from_instance(self, obj):
        return speaker_label(obj, events_of_speakers([obj.pk]).get(obj.pk, []))


class EventSpeakerSelect(AutocompleteSelect):
    """The admin's speaker search, asking the talk's event's speakers first."""

    url_name = "%s:schedule_talk_speaker_autocomplete"
    event_id = None

    def get_url(self):
        url = super().get_url()
        return f"{url}?event={self.event_id}" if self.event_id else url


class EventSpeakerAutocompleteView(AutocompleteJsonView):
    def get_queryset(self):
        queryset = super().get_queryset()
        event_id = self.request.GET.get("event", "")
        if not event_id.isdigit():
            return queryset.order_by("name", "pk")
        at_event = TalkSpeaker.objects.filter(speaker=OuterRef("pk"), talk__event_id=event_id)
        return queryset.annotate(at_event=Exists(at_event)).order_by("-at_event", "name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.event_names = events_of_speakers([speaker.pk for speaker in context["object_list"]])
        return context

    def serialize_result(self, obj, to_field_name):
        return {
            "id": str(getattr(obj, to_field_name)),
            "text": speaker_label(obj, self.event_names.get(obj.pk, [])),
        }


def speaker_autocomplete_urls(admin_site):
    view = EventSpeakerAutocompleteView.as_view(admin_site=admin_site)
    return [
        path(
            "speaker-autocomplete/",
            admin_site.admin_view(view),
            name="schedule_talk_speaker_autocomplete",
        )
    ]
