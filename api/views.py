"""The API's endpoints: thin views over the selectors (reads) and services (writes).

Every list is paginated in a stable order and refuses a query parameter it
does not know (a typo would otherwise silently return everything).
"""

from functools import cached_property

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError

from api import selectors
from api.permissions import reads_working_schedule
from api.serializers import (
    EventSerializer,
    OrganiserSpeakerSerializer,
    RoomSerializer,
    SpeakerSerializer,
    TalkFilterSerializer,
    TalkSerializer,
    TrackSerializer,
)
from conference.models import Event, Room, Track
from schedule.models import Talk
from speakers.models import Speaker

PAGE_PARAMS = {"page", "page_size"}


class ApiView(generics.GenericAPIView):
    """What every endpoint shares: the reader's role, the event in the URL, strict parameters."""

    # The query parameters the endpoint takes, besides the pages'.
    filter_params = frozenset()
    paginated = False

    @cached_property
    def working(self):
        """Whether the client reads the working schedule (an organiser's token)."""
        return reads_working_schedule(self.request.user)

    @cached_property
    def event(self):
        return selectors.api_event(self.kwargs["event_slug"], working=self.working)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "event_slug" in self.kwargs:
            context["event"] = self.event
        return context

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            known = self.filter_params | (PAGE_PARAMS if self.paginated else set())
            unknown = sorted(set(request.query_params) - known)
            if unknown:
                takes = ", ".join(sorted(known)) or "no parameters"
                raise ValidationError(
                    {name: [f"Unknown parameter; this endpoint takes {takes}."] for name in unknown}
                )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            # Open to pages of any site: reads need no credentials, and a
            # browser sends no token across origins without asking first.
            response["Access-Control-Allow-Origin"] = "*"
        return response


class ApiListView(ApiView, generics.ListAPIView):
    paginated = True


@extend_schema(
    summary="Events", description="Published events (every event, with an organiser's token)."
)
class EventList(ApiListView):
    serializer_class = EventSerializer
    model = Event

    def get_queryset(self):
        return selectors.api_events(working=self.working)


@extend_schema(summary="An event")
class EventDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = EventSerializer
    model = Event

    def get_object(self):
        return self.event


@extend_schema(summary="An event's rooms")
class RoomList(ApiListView):
    serializer_class = RoomSerializer
    model = Room

    def get_queryset(self):
        return self.event.rooms.order_by("position", "name", "pk")


@extend_schema(summary="An event's tracks")
class TrackList(ApiListView):
    serializer_class = TrackSerializer
    model = Track

    def get_queryset(self):
        return self.event.tracks.order_by("position", "name", "pk")


@extend_schema_view(
    get=extend_schema(
        summary="An event's talks",
        description=(
            "The event's public talks in programme order (by start, room, title); with an "
            "organiser's token, the working schedule: drafts and cancelled talks too."
        ),
        parameters=[TalkFilterSerializer],
    )
)
class TalkList(ApiListView):
    serializer_class = TalkSerializer
    model = Talk
    filter_params = frozenset(TalkFilterSerializer().fields)

    def get_queryset(self):
        filters = TalkFilterSerializer(
            data=self.request.query_params, context={"event": self.event}
        )
        filters.is_valid(raise_exception=True)
        return selectors.api_talks(self.event, working=self.working, **filters.validated_data)


@extend_schema(summary="A talk")
class TalkDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = TalkSerializer
    model = Talk
    lookup_url_kwarg = "talk_id"

    def get_object(self):
        return selectors.api_talk(self.event, self.kwargs["talk_id"], working=self.working)


@extend_schema(
    summary="An event's speakers",
    description="Alphabetical; with an organiser's token, with email addresses.",
    responses=SpeakerSerializer(many=True),
)
class SpeakerList(ApiListView):
    model = Speaker

    def get_serializer_class(self):
        return OrganiserSpeakerSerializer if self.working else SpeakerSerializer

    def get_queryset(self):
        return selectors.api_speakers(self.event, working=self.working)


class NotFoundView(ApiView):
    """Any other address under ``/api/``: a problem 404, whatever the method."""

    model = Event

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise NotFound("There is no such address in the API; see /api/docs/.")

    post = put = patch = delete = get

    def initial(self, request, *args, **kwargs):
        # Neither authentication nor permission: the answer is the same for all.
        self.format_kwarg = None


not_found = NotFoundView.as_view()
