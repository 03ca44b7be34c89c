"""What the API's resources look like: the read shapes, and the query filters of the lists.

Times are ISO 8601 with the venue's offset (``2012-11-07T09:00:00+01:00``) and
days are the venue's; rich text comes twice, as the sanitised HTML the pages
show and as the Markdown source people wrote. Speakers' email addresses are
shown to organisers only.
"""

import re

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from infrastructure.rich_text import render_rich_text, web_url
from infrastructure.site_url import absolute_url
from schedule.models import Talk
from schedule.releases.changes import ChangeKind
from speakers.models import Speaker

# What the API says instead of Django REST framework's stock messages, which
# name a format or a type but not what to send.
DAY_MESSAGE = _("Give a day as YYYY-MM-DD, e.g. 2012-11-07.")
TIME_MESSAGE = _(
    "Give a time in ISO 8601 with its offset, e.g. 2012-11-07T09:00:00+01:00 (Z for UTC)."
)
BOOLEAN_MESSAGE = _("Give true or false.")
SPEAKER_ID_MESSAGE = _("Give a speaker's id: a UUID, as the speakers list shows it.")
COLOUR_MESSAGE = _("Give a colour as # and six hexadecimal digits, e.g. #1f77b4.")
# DRF fills in {input}; the kinds are the API's own words, not translated.
KIND_MESSAGE = format_lazy(
    _("“{input}” is not a kind of talk; give one of {kinds}."),
    input="{input}",
    kinds=", ".join(Talk.Kind.values),
)


WHOLE_NUMBER_MESSAGE = _("Give a whole number.")
# Messages about a room or track of the event, by the field's noun.
NO_PLACE = {
    "room": _("%(event)s has no room “%(slug)s”."),
    "track": _("%(event)s has no track “%(slug)s”."),
}
PLACE_SLUG_AS_TEXT = {
    "room": _("Give the room's slug, as text."),
    "track": _("Give the track's slug, as text."),
}
# A field a write's body has but its resource lacks, by the resource's noun.
UNKNOWN_FIELD = {
    "resource": _("Unknown field; a resource takes %(fields)s."),
    "talk": _("Unknown field; a talk takes %(fields)s."),
    "speaker": _("Unknown field; a speaker takes %(fields)s."),
    "room": _("Unknown field; a room takes %(fields)s."),
    "track": _("Unknown field; a track takes %(fields)s."),
}


def _whole_number(**kwargs):
    return serializers.IntegerField(error_messages={"invalid": WHOLE_NUMBER_MESSAGE}, **kwargs)


def _boolean(**kwargs):
    return serializers.BooleanField(error_messages={"invalid": BOOLEAN_MESSAGE}, **kwargs)


def _absolute(serializer, path):
    return absolute_url(serializer.context["request"], path)


class RoomSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    capacity = serializers.IntegerField(read_only=True, allow_null=True)
    position = serializers.IntegerField(read_only=True)


class TrackSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    colour = serializers.CharField(read_only=True, help_text="#rrggbb")
    position = serializers.IntegerField(read_only=True)


class PlaceSerializer(serializers.Serializer):
    """A talk's room or track, by slug and name."""

    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class TalkSpeakerNameSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(read_only=True)


class EventSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    tagline = serializers.CharField(read_only=True)
    description_html = serializers.SerializerMethodField()
    description_markdown = serializers.CharField(source="description", read_only=True)
    location = serializers.CharField(read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True)
    days = serializers.ListField(child=serializers.DateField(), read_only=True)
    time_zone = serializers.CharField(read_only=True, help_text="The venue's IANA time zone.")
    website = serializers.SerializerMethodField()
    published = serializers.BooleanField(source="is_published", read_only=True)
    url = serializers.SerializerMethodField(help_text="The event's page.")
    talks_url = serializers.SerializerMethodField()
    updated = serializers.DateTimeField(read_only=True)

    def get_description_html(self, event) -> str:
        return str(render_rich_text(event.description))

    def get_website(self, event) -> str:
        return web_url(event.website)

    def get_url(self, event) -> str:
        return _absolute(self, reverse("event_detail", kwargs={"event_slug": event.slug}))

    def get_talks_url(self, event) -> str:
        return _absolute(self, reverse("api:talk-list", kwargs={"event_slug": event.slug}))


class TalkSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    title = serializers.CharField(read_only=True)
    subtitle = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    kind = serializers.ChoiceField(choices=Talk.Kind.choices, read_only=True)
    abstract_html = serializers.SerializerMethodField(help_text="Sanitised HTML, as pages show it.")
    abstract_markdown = serializers.CharField(source="abstract", read_only=True)
    language = serializers.CharField(read_only=True)
    start = serializers.SerializerMethodField(help_text="ISO 8601 with the venue's offset.")
    end = serializers.SerializerMethodField(help_text="ISO 8601 with the venue's offset.")
    duration_minutes = serializers.SerializerMethodField()
    day = serializers.SerializerMethodField(help_text="The venue's day the talk starts on.")
    room = PlaceSerializer(read_only=True, allow_null=True)
    track = PlaceSerializer(read_only=True, allow_null=True)
    speakers = serializers.SerializerMethodField()
    recording_allowed = serializers.SerializerMethodField()
    published = serializers.BooleanField(source="is_published", read_only=True)
    cancelled = serializers.BooleanField(source="is_cancelled", read_only=True)
    url = serializers.SerializerMethodField(help_text="The talk's page.")
    ics_url = serializers.SerializerMethodField(help_text="The talk's calendar entry.")
    updated = serializers.DateTimeField(read_only=True)

    def get_abstract_html(self, talk) -> str:
        return str(render_rich_text(talk.abstract))

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_start(self, talk):
        return self.context["event"].local_time(talk.start).isoformat() if talk.start else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_end(self, talk):
        return self.context["event"].local_time(talk.end).isoformat() if talk.end else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_duration_minutes(self, talk):
        duration = talk.duration
        return int(duration.total_seconds() // 60) if duration is not None else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_day(self, talk):
        return self.context["event"].local_date(talk.start).isoformat() if talk.start else None

    @extend_schema_field(TalkSpeakerNameSerializer(many=True))
    def get_speakers(self, talk):
        speakers = [link.speaker for link in talk.talk_speakers.all()]
        return TalkSpeakerNameSerializer(speakers, many=True).data

    def get_recording_allowed(self, talk) -> bool:
        return not talk.do_not_record

    def _page_kwargs(self, talk):
        return {"event_slug": self.context["event"].slug, "talk_slug": talk.slug}

    def get_url(self, talk) -> str:
        return _absolute(self, reverse("schedule:talk_detail", kwargs=self._page_kwargs(talk)))

    def get_ics_url(self, talk) -> str:
        return _absolute(self, reverse("schedule:talk_ics", kwargs=self._page_kwargs(talk)))


def _venue_time(serializer, moment):
    return serializer.context["event"].local_time(moment).isoformat() if moment else None


class TalkPlacementSerializer(serializers.Serializer):
    """Where and when a talk was, or is, in a release: its copy's time and room."""

    start = serializers.SerializerMethodField(help_text="ISO 8601 with the venue's offset.")
    end = serializers.SerializerMethodField(help_text="ISO 8601 with the venue's offset.")
    room = PlaceSerializer(read_only=True, allow_null=True)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_start(self, copy):
        return _venue_time(self, copy.start)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_end(self, copy):
        return _venue_time(self, copy.end)


class ReleaseChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[kind.value for kind in ChangeKind], read_only=True)
    talk_id = serializers.SerializerMethodField(help_text="The talk's id (a UUID), as in talks.")
    title = serializers.SerializerMethodField(
        help_text="The talk's title in this release (its last, once withdrawn)."
    )
    # Not "fields", which names a serializer's own fields.
    changed_fields = serializers.ListField(
        source="fields",
        child=serializers.CharField(),
        read_only=True,
        help_text="What differs from the release before: start, end, room, title, speakers, "
        "kind, track, subtitle, abstract, language, do_not_record, slug.",
    )
    old = TalkPlacementSerializer(
        source="before", read_only=True, allow_null=True, help_text="null when new."
    )
    new = TalkPlacementSerializer(
        source="after", read_only=True, allow_null=True, help_text="null when withdrawn."
    )

    @staticmethod
    def _talk(change):
        return change.after if change.after is not None else change.before

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_talk_id(self, change):
        # None only if the release before was deleted, taking the withdrawn talk's copy.
        talk = self._talk(change)
        return str(talk.uuid) if talk is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_title(self, change):
        talk = self._talk(change)
        return talk.title if talk is not None else None


class ReleaseSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    number = serializers.IntegerField(read_only=True, help_text="1 for the first, then up.")
    comment = serializers.CharField(read_only=True, help_text="The organisers' note, plain text.")
    released_at = serializers.SerializerMethodField(help_text="ISO 8601 with the venue's offset.")
    is_current = serializers.BooleanField(
        read_only=True, help_text="Whether this is the schedule attendees see now."
    )
    url = serializers.SerializerMethodField(help_text="The release on the changelog page.")
    changes = ReleaseChangeSerializer(many=True, read_only=True)

    @extend_schema_field(serializers.DateTimeField())
    def get_released_at(self, release):
        return _venue_time(self, release.released_at)

    def get_url(self, release) -> str:
        path = reverse("schedule:changelog", kwargs={"event_slug": self.context["event"].slug})
        return _absolute(self, f"{path}#release-{release.number}")


class SpeakerSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    affiliation = serializers.CharField(read_only=True)
    bio_html = serializers.SerializerMethodField()
    bio_markdown = serializers.CharField(source="bio", read_only=True)
    website = serializers.SerializerMethodField()
    photo_url = serializers.SerializerMethodField()
    talks = serializers.SerializerMethodField(help_text="The UUIDs of their talks at this event.")
    url = serializers.SerializerMethodField(help_text="Their page at this event.")

    def get_bio_html(self, speaker) -> str:
        return str(render_rich_text(speaker.bio))

    def get_website(self, speaker) -> str:
        return web_url(speaker.website)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo_url(self, speaker):
        if not speaker.photo_thumbnail:
            return None
        url = speaker.photo_thumbnail.url
        return url if url.startswith(("http://", "https://")) else _absolute(self, url)

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_talks(self, speaker):
        return [str(talk.uuid) for talk in speaker.event_talks]

    def get_url(self, speaker) -> str:
        event = self.context["event"]
        path = reverse(
            "speakers:speaker_detail",
            kwargs={"event_slug": event.slug, "speaker_slug": speaker.slug},
        )
        return _absolute(self, path)


class OrganiserSpeakerSerializer(SpeakerSerializer):
    """A speaker as organisers read them: with the private email address."""

    email = serializers.EmailField(read_only=True)


class TalkFilterSerializer(serializers.Serializer):
    """The query parameters of the talk list; any other parameter is refused."""

    day = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text="A day of the event, YYYY-MM-DD.",
        error_messages={"invalid": DAY_MESSAGE},
    )
    room = serializers.SlugField(required=False, help_text="A room's slug.")
    track = serializers.SlugField(required=False, help_text="A track's slug.")
    kind = serializers.ChoiceField(
        choices=Talk.Kind.choices, required=False, error_messages={"invalid_choice": KIND_MESSAGE}
    )
    speaker = serializers.UUIDField(
        required=False, help_text="A speaker's id.", error_messages={"invalid": SPEAKER_ID_MESSAGE}
    )
    updated_since = serializers.DateTimeField(
        required=False,
        help_text="Talks changed at or after this time (ISO 8601; without an offset, UTC).",
        error_messages={
            "invalid": _(
                "Give a time in ISO 8601, e.g. 2012-11-07T09:00:00+01:00 "
                "(without an offset it is read as UTC)."
            )
        },
    )
    search = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Words in the title, abstract or a speaker's name; case and accents ignored.",
    )

    def validate_day(self, day):
        event = self.context["event"]
        if day not in event.days:
            first, last = event.days[0], event.days[-1]
            raise serializers.ValidationError(
                gettext("%(event)s does not run on %(day)s; its days are %(first)s to %(last)s.")
                % {
                    "event": event.name,
                    "day": f"{day:%Y-%m-%d}",
                    "first": f"{first:%Y-%m-%d}",
                    "last": f"{last:%Y-%m-%d}",
                }
            )
        return day

    def _place(self, value, related_name, noun):
        event = self.context["event"]
        place = getattr(event, related_name).filter(slug=value).first()
        if place is None:
            raise serializers.ValidationError(NO_PLACE[noun] % {"event": event.name, "slug": value})
        return place

    def validate_room(self, value):
        return self._place(value, "rooms", "room")

    def validate_track(self, value):
        return self._place(value, "tracks", "track")


class OffsetDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time that names its offset: a time without one is ambiguous, so refused."""

    default_error_messages = {
        **serializers.DateTimeField.default_error_messages,
        "invalid": TIME_MESSAGE,
    }

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        text = str(value).strip()
        if not (text.endswith(("Z", "z")) or re.search(r"[+-]\d\d:?\d\d$", text)):
            raise serializers.ValidationError(
                gettext(
                    "Give the time with its offset, as 2012-11-07T09:00:00+01:00 (or Z for UTC)."
                )
            )
        return parsed


class EventPlaceField(serializers.SlugField):
    """A room or track of the event in the URL, by slug (null for none)."""

    def run_validators(self, value):
        pass  # the slug is checked in to_internal_value, before it becomes a row

    def __init__(self, related_name, noun, **kwargs):
        self.related_name, self.noun = related_name, noun
        super().__init__(allow_null=True, required=False, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(str(PLACE_SLUG_AS_TEXT[self.noun]))
        slug = super().to_internal_value(data)
        super().run_validators(slug)
        places = getattr(self.context["event"], self.related_name)
        found = places.filter(slug=slug).first()
        if found is None:
            event = self.context["event"]
            raise serializers.ValidationError(
                NO_PLACE[self.noun] % {"event": event.name, "slug": data}
            )
        return found


class WriteSerializer(serializers.Serializer):
    """A body an organiser sends: a field the resource lacks is refused, not silently dropped.

    A typo (``"colour"`` for a room, ``"titel"``) would otherwise save
    everything else and lose the one change that was meant.
    """

    noun = "resource"
    # Columns the serializer fills under another name than a field's source.
    model_names = {}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                takes = ", ".join(self.fields)
                raise serializers.ValidationError(
                    {name: [UNKNOWN_FIELD[self.noun] % {"fields": takes}] for name in unknown}
                )
        return super().to_internal_value(data)


class TalkWriteSerializer(WriteSerializer):
    """A talk as organisers send it: every field optional on PATCH, a title needed to create one."""

    noun = "talk"
    model_names = {"do_not_record": "recording_allowed"}

    title = serializers.CharField(max_length=300)
    subtitle = serializers.CharField(max_length=300, required=False, allow_blank=True)
    slug = serializers.SlugField(max_length=200, required=False)
    kind = serializers.ChoiceField(
        choices=Talk.Kind.choices, required=False, error_messages={"invalid_choice": KIND_MESSAGE}
    )
    abstract_markdown = serializers.CharField(
        source="abstract", required=False, allow_blank=True, max_length=50_000
    )
    language = serializers.CharField(max_length=10, required=False)
    start = OffsetDateTimeField(required=False, allow_null=True)
    end = OffsetDateTimeField(required=False, allow_null=True)
    duration_minutes = _whole_number(
        required=False, min_value=1, max_value=7 * 24 * 60, help_text="Instead of the end."
    )
    room = EventPlaceField("rooms", "room", help_text="A room's slug, or null.")
    track = EventPlaceField("tracks", "track", help_text="A track's slug, or null.")
    speakers = serializers.ListField(
        child=serializers.UUIDField(error_messages={"invalid": SPEAKER_ID_MESSAGE}),
        required=False,
        max_length=100,
        help_text="The speakers' ids, in order; replaces the talk's speakers.",
        error_messages={"not_a_list": _("Give a list of speakers' ids, [] for none.")},
    )
    recording_allowed = _boolean(required=False)
    published = _boolean(source="is_published", required=False)
    cancelled = _boolean(source="is_cancelled", required=False)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "recording_allowed" in values:
            values["do_not_record"] = not values.pop("recording_allowed")
        return values

    def validate_speakers(self, ids):
        found = {speaker.uuid: speaker for speaker in Speaker.objects.filter(uuid__in=ids)}
        missing = [str(value) for value in ids if value not in found]
        if missing:
            raise serializers.ValidationError(
                gettext("No speaker has the id %(ids)s.") % {"ids": ", ".join(missing)}
            )
        if len(set(ids)) != len(ids):
            raise serializers.ValidationError(gettext("A speaker is listed twice."))
        return [found[value] for value in ids]


class SpeakerWriteSerializer(WriteSerializer):
    noun = "speaker"

    name = serializers.CharField(max_length=200)
    affiliation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    bio_markdown = serializers.CharField(
        source="bio", required=False, allow_blank=True, max_length=50_000
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)


class RoomWriteSerializer(WriteSerializer):
    noun = "room"

    name = serializers.CharField(max_length=100)
    slug = serializers.SlugField(max_length=100, required=False)
    capacity = _whole_number(required=False, allow_null=True, min_value=0)
    position = _whole_number(required=False, min_value=0, max_value=32767)


class TrackWriteSerializer(WriteSerializer):
    noun = "track"

    name = serializers.CharField(max_length=100)
    slug = serializers.SlugField(max_length=100, required=False)
    colour = serializers.RegexField(
        r"^#[0-9a-fA-F]{6}$",
        required=False,
        help_text="#rrggbb",
        error_messages={"invalid": COLOUR_MESSAGE},
    )
    position = _whole_number(required=False, min_value=0, max_value=32767)
