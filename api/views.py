"""The API's endpoints: thin views over the selectors (reads) and services (writes).

Every list is paginated in a stable order and refuses a query parameter it
does not know (a typo would otherwise silently return everything).
"""

import time
from functools import cached_property

from django.core.exceptions import ValidationError as ModelValidationError
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, status
from rest_framework.exceptions import (
    MethodNotAllowed,
    NotAuthenticated,
    NotFound,
    ValidationError,
)
from rest_framework.response import Response

from api import selectors, services
from api.permissions import reads_working_schedule
from api.serializers import (
    EventSerializer,
    OrganiserSpeakerSerializer,
    ReleaseSerializer,
    RoomSerializer,
    RoomWriteSerializer,
    SpeakerSerializer,
    SpeakerWriteSerializer,
    TalkFilterSerializer,
    TalkSerializer,
    TalkWriteSerializer,
    TrackSerializer,
    TrackWriteSerializer,
)
from conference.models import Event, Room, Track
from infrastructure import page_cache
from schedule.models import Release, Talk
from speakers.models import Speaker

PAGE_PARAMS = {"page", "page_size"}
WRITE_NEEDS_A_TOKEN = _(
    "Changes need an organiser's API token, sent as “Authorization: Bearer <token>”; "
    "organisers create one at /accounts/tokens/."
)
# A room or track the address names but the event lacks, by the model's name.
NO_PLACE_WITH_SLUG = {
    "room": _("%(event)s has no room with that slug."),
    "track": _("%(event)s has no track with that slug."),
}

# Cross-origin (CORS): pages of any site may read the public API; nothing else.
# The preflight names only the reads and the request headers a read needs, not
# Authorization nor a JSON Content-Type, so a browser sends neither a token nor
# a write across origins (scripts with a token are not browsers' pages).
CORS_METHODS = "GET, HEAD"
CORS_REQUEST_HEADERS = "Accept, Accept-Language, Content-Language, If-None-Match, If-Modified-Since"
CORS_EXPOSED_HEADERS = "ETag, Retry-After"
# How long a browser may keep a preflight's answer (browsers cap it lower).
CORS_MAX_AGE_SECONDS = 86400


def _is_preflight(request):
    return (
        request.method == "OPTIONS"
        and "Origin" in request.headers
        and "Access-Control-Request-Method" in request.headers
    )


def cors_preflight():
    """The answer to a browser asking whether another site's page may call the API."""
    response = HttpResponse(status=status.HTTP_204_NO_CONTENT)
    del response["Content-Type"]  # no body
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = CORS_METHODS
    response["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
    response["Access-Control-Max-Age"] = str(CORS_MAX_AGE_SECONDS)
    return response


def open_to_other_sites(response):
    """Let pages of any site read ``response`` (CORS), errors included.

    A page can then read why it was refused: reads need no credentials, and a
    browser sends no token across origins without a preflight, which refuses it.
    """
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
    return response


class OpenToOtherSites:
    """Reads open to pages of any site (CORS), for the API's views and its schema's."""

    def dispatch(self, request, *args, **kwargs):
        # Before authentication and throttling: a preflight carries no
        # credentials, and its answer is the same for every address.
        if _is_preflight(request):
            return cors_preflight()
        return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            open_to_other_sites(response)
        return response


class SchemaView(OpenToOtherSites, SpectacularAPIView):
    """``/api/schema/``: read by other sites' tools (an API explorer, a client generator)."""


class ApiView(OpenToOtherSites, generics.GenericAPIView):
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
        if request.method.lower() not in self._allowed_methods_here():
            # Before authentication: a method the endpoint lacks is a 405 for everyone.
            self.http_method_not_allowed(request)
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            known = self.filter_params | (PAGE_PARAMS if self.paginated else set())
            unknown = sorted(set(request.query_params) - known)
            if unknown:
                if known:
                    message = gettext("Unknown parameter; this endpoint takes %(takes)s.") % {
                        "takes": ", ".join(sorted(known))
                    }
                else:
                    message = gettext("Unknown parameter; this endpoint takes no parameters.")
                raise ValidationError({name: [message] for name in unknown})

    def http_method_not_allowed(self, request, *args, **kwargs):
        allowed = ", ".join(self._allowed_methods())
        raise MethodNotAllowed(
            request.method,
            detail=gettext("This address takes %(allowed)s, not %(method)s.")
            % {"allowed": allowed, "method": request.method},
        )

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise NotAuthenticated(WRITE_NEEDS_A_TOKEN)
        super().permission_denied(request, message=message, code=code)

    def _allowed_methods_here(self):
        return {method.lower() for method in self._allowed_methods()}


class ApiListView(ApiView, generics.ListAPIView):
    paginated = True


class PublicListFromCache:
    """Anonymous reads of an event's list answered from the page cache, as its pages are.

    Stored under the event's version (replaced by every change and every
    release) with an ETag and Last-Modified: a client that has the list gets
    a 304, and until the version changes nobody's read renders it again. A
    change that leaves the list as it was (an edit of the working schedule not
    released yet) renders it once more, to the same ETag. Reads with a token
    (an organiser's working schedule) are never stored nor served from it.
    """

    _page_cache_key = None

    def list(self, request, *args, **kwargs):
        if request.auth is not None:
            return super().list(request, *args, **kwargs)
        # Before the list reads the database (see page_cache.cached_page).
        asked_at = time.time()
        # The Django request: its middleware's miss (api/middleware.py) is this one.
        key, stored = page_cache.look_up(request._request, self.kwargs["event_slug"])
        if stored is not None:
            return stored
        self._page_cache_key = (key, asked_at)
        return super().list(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._page_cache_key is not None:
            key, asked_at = self._page_cache_key
            response = page_cache.stored_response(
                request, self.kwargs["event_slug"], key, response, asked_at=asked_at
            )
        if request.method in ("GET", "HEAD"):
            # Caches between here and the client keep a token's answer apart.
            patch_vary_headers(response, ["Authorization"])
        return response


FORCE = OpenApiParameter(
    "force", bool, description="1: save despite a clash with another talk (as the admin's tick)."
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The talk's ETag as you read it: a write over a newer copy is refused (412).",
)


def _constraint_field(model, message, api_names):
    """The field a unique constraint's message is about (``slug`` for "Another talk … slug")."""
    for constraint in model._meta.constraints:
        if getattr(constraint, "violation_error_message", None) != message:
            continue
        named = [api_names[name] for name in getattr(constraint, "fields", ()) if name in api_names]
        if len(named) == 1:
            return named[0]
    return None


def _model_errors(error, *, model, serializer_class):
    """A model's ``ValidationError`` as DRF's, field by field, for the problem's ``errors``.

    Fields are named as the API names them (``abstract_markdown``, not the
    column ``abstract``), and a unique constraint's message over the event and
    one field (another talk has this slug) is that field's.
    """
    if not hasattr(error, "error_dict"):
        return ValidationError(error.messages)
    api_names = {
        field.source: name
        for name, field in serializer_class().fields.items()
        if field.source and "." not in field.source
    } | serializer_class.model_names
    named = {}
    for name, items in error.error_dict.items():
        for message in (message for item in items for message in item.messages):
            if name == "__all__":
                field = _constraint_field(model, message, api_names) or "non_field_errors"
            else:
                field = api_names.get(name, name)
            named.setdefault(field, []).append(message)
    return ValidationError(named)


class WriteMixin:
    """Writes: the body checked by ``write_serializer_class``, saved through a service."""

    write_serializer_class = None
    write_params = frozenset({"force"})

    def body(self, *, partial):
        if not isinstance(self.request.data, dict):
            raise ValidationError({"non_field_errors": [gettext("Send a JSON object.")]})
        serializer = self.write_serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            unknown = sorted(set(request.query_params) - self.write_params)
            if unknown:
                raise ValidationError(
                    {name: [gettext("Unknown parameter; a write takes force.")] for name in unknown}
                )

    @property
    def force(self):
        return self.request.query_params.get("force", "").lower() in ("1", "true", "yes")

    def saved(self, save, **kwargs):
        try:
            return save(**kwargs)
        except ModelValidationError as error:
            raise _model_errors(
                error, model=self.model, serializer_class=self.write_serializer_class
            ) from None


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


class PlaceList(WriteMixin, ApiListView):
    """An event's rooms or tracks; organisers add one with POST."""

    related_name = None

    def get_queryset(self):
        return getattr(self.event, self.related_name).order_by("position", "name", "pk")

    def post(self, request, *args, **kwargs):
        row = self.saved(
            services.place_save, row=self.model(event=self.event), changes=self.body(partial=False)
        )
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)


class PlaceDetail(WriteMixin, ApiView, generics.RetrieveAPIView):
    related_name = None
    lookup_url_kwarg = "place_slug"

    def get_object(self):
        places = getattr(self.event, self.related_name)
        place = places.filter(slug=self.kwargs["place_slug"]).first()
        if place is None:
            raise NotFound(
                NO_PLACE_WITH_SLUG[self.model._meta.model_name] % {"event": self.event.name}
            )
        return place

    def patch(self, request, *args, **kwargs):
        row = self.saved(
            services.place_save, row=self.get_object(), changes=self.body(partial=True)
        )
        return Response(self.get_serializer(row).data)

    def delete(self, request, *args, **kwargs):
        self.get_object().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(summary="An event's rooms"),
    post=extend_schema(
        summary="Add a room",
        request=RoomWriteSerializer,
        responses={201: RoomSerializer},
        parameters=[FORCE],
    ),
)
class RoomList(PlaceList):
    serializer_class = RoomSerializer
    write_serializer_class = RoomWriteSerializer
    model = Room
    related_name = "rooms"


@extend_schema_view(
    get=extend_schema(summary="A room"),
    patch=extend_schema(summary="Change a room", request=RoomWriteSerializer, parameters=[FORCE]),
    delete=extend_schema(summary="Delete a room (its talks keep no room)", parameters=[FORCE]),
)
class RoomDetail(PlaceDetail):
    serializer_class = RoomSerializer
    write_serializer_class = RoomWriteSerializer
    model = Room
    related_name = "rooms"


@extend_schema_view(
    get=extend_schema(summary="An event's tracks"),
    post=extend_schema(
        summary="Add a track",
        request=TrackWriteSerializer,
        responses={201: TrackSerializer},
        parameters=[FORCE],
    ),
)
class TrackList(PlaceList):
    serializer_class = TrackSerializer
    write_serializer_class = TrackWriteSerializer
    model = Track
    related_name = "tracks"


@extend_schema_view(
    get=extend_schema(summary="A track"),
    patch=extend_schema(summary="Change a track", request=TrackWriteSerializer, parameters=[FORCE]),
    delete=extend_schema(summary="Delete a track", parameters=[FORCE]),
)
class TrackDetail(PlaceDetail):
    serializer_class = TrackSerializer
    write_serializer_class = TrackWriteSerializer
    model = Track
    related_name = "tracks"


@extend_schema_view(
    get=extend_schema(
        summary="An event's talks",
        description=(
            "The event's public talks in programme order (by start, room, title); with an "
            "organiser's token, the working schedule: drafts and cancelled talks too."
        ),
        parameters=[TalkFilterSerializer],
    ),
    post=extend_schema(
        summary="Add a talk",
        description="Checked by the schedule's clash rules: a clash is a 409 unless force=1.",
        request=TalkWriteSerializer,
        responses={201: TalkSerializer},
        parameters=[FORCE],
    ),
)
class TalkList(PublicListFromCache, WriteMixin, ApiListView):
    serializer_class = TalkSerializer
    write_serializer_class = TalkWriteSerializer
    model = Talk
    filter_params = frozenset(TalkFilterSerializer().fields)

    def get_queryset(self):
        filters = TalkFilterSerializer(
            data=self.request.query_params, context={"event": self.event}
        )
        filters.is_valid(raise_exception=True)
        return selectors.api_talks(self.event, working=self.working, **filters.validated_data)

    def post(self, request, *args, **kwargs):
        changes = self.body(partial=False)
        speakers = changes.pop("speakers", None)
        talk = self.saved(
            services.talk_save,
            event=self.event,
            changes=changes,
            speakers=speakers,
            force=self.force,
        )
        talk = selectors.api_talk(self.event, talk.uuid, working=True)
        response = Response(self.get_serializer(talk).data, status=status.HTTP_201_CREATED)
        response["ETag"] = services.talk_etag(talk)
        return response


@extend_schema_view(
    get=extend_schema(summary="A talk", description="With its ETag, for If-Match on a write."),
    patch=extend_schema(
        summary="Change or move a talk",
        description=(
            "Only the fields sent change. A new start alone keeps the talk's length. "
            "Checked by the schedule's clash rules: a clash is a 409 naming the other talk "
            "unless force=1; with If-Match, a talk changed since is a 412."
        ),
        request=TalkWriteSerializer,
        parameters=[FORCE, IF_MATCH],
    ),
    delete=extend_schema(summary="Delete a talk", parameters=[FORCE, IF_MATCH]),
)
class TalkDetail(WriteMixin, ApiView, generics.RetrieveAPIView):
    serializer_class = TalkSerializer
    write_serializer_class = TalkWriteSerializer
    model = Talk
    lookup_url_kwarg = "talk_id"

    def get_object(self):
        return selectors.api_talk(self.event, self.kwargs["talk_id"], working=self.working)

    def retrieve(self, request, *args, **kwargs):
        talk = self.get_object()
        response = Response(self.get_serializer(talk).data)
        response["ETag"] = services.talk_etag(talk)
        return response

    def patch(self, request, *args, **kwargs):
        talk = self.get_object()
        changes = self.body(partial=True)
        speakers = changes.pop("speakers", None)
        self.saved(
            services.talk_save,
            event=self.event,
            talk=talk,
            changes=changes,
            speakers=speakers,
            if_match=request.headers.get("If-Match"),
            force=self.force,
        )
        return self.retrieve(request, *args, **kwargs)

    def delete(self, request, *args, **kwargs):
        services.talk_delete(talk=self.get_object(), if_match=request.headers.get("If-Match"))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(
        summary="An event's speakers",
        description="Alphabetical; with an organiser's token, with email addresses.",
        responses=SpeakerSerializer(many=True),
    ),
    post=extend_schema(
        summary="Add a speaker",
        description="A speaker belongs to no event until a talk names them.",
        request=SpeakerWriteSerializer,
        responses={201: OrganiserSpeakerSerializer},
        parameters=[FORCE],
    ),
)
class SpeakerList(PublicListFromCache, WriteMixin, ApiListView):
    model = Speaker
    write_serializer_class = SpeakerWriteSerializer

    def get_serializer_class(self):
        return OrganiserSpeakerSerializer if self.working else SpeakerSerializer

    def get_queryset(self):
        return selectors.api_speakers(self.event, working=self.working)

    def post(self, request, *args, **kwargs):
        speaker = self.saved(services.place_save, row=Speaker(), changes=self.body(partial=False))
        speaker.event_talks = []
        data = OrganiserSpeakerSerializer(speaker, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary="A speaker", responses=SpeakerSerializer),
    patch=extend_schema(
        summary="Change a speaker",
        request=SpeakerWriteSerializer,
        responses=OrganiserSpeakerSerializer,
        parameters=[FORCE],
    ),
    delete=extend_schema(summary="Delete a speaker (from every event)", parameters=[FORCE]),
)
class SpeakerDetail(WriteMixin, ApiView, generics.RetrieveAPIView):
    model = Speaker
    write_serializer_class = SpeakerWriteSerializer

    def get_serializer_class(self):
        return OrganiserSpeakerSerializer if self.working else SpeakerSerializer

    def get_object(self):
        for speaker in selectors.api_speakers(self.event, working=self.working):
            if speaker.uuid == self.kwargs["speaker_id"]:
                return speaker
        raise NotFound(
            gettext("No speaker with that id speaks at %(event)s.") % {"event": self.event.name}
        )

    def patch(self, request, *args, **kwargs):
        speaker = self.get_object()
        self.saved(services.place_save, row=speaker, changes=self.body(partial=True))
        return Response(
            OrganiserSpeakerSerializer(speaker, context=self.get_serializer_context()).data
        )

    def delete(self, request, *args, **kwargs):
        self.get_object().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    summary="An event's releases",
    description=(
        "Each release of the event's schedule, newest first, with what it changed since the "
        "release before (as the changelog page lists it). The same with a token: a release "
        "is what attendees were shown."
    ),
)
class ReleaseList(PublicListFromCache, ApiListView):
    serializer_class = ReleaseSerializer
    model = Release

    def get_queryset(self):
        return selectors.api_releases(self.event)


@extend_schema(summary="A release", description="One release of the schedule, by its name.")
class ReleaseDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = ReleaseSerializer
    model = Release

    def get_object(self):
        release = selectors.api_release(self.event, self.kwargs["release_name"])
        if release is None:
            raise NotFound(
                gettext("%(event)s has no release of that name.") % {"event": self.event.name}
            )
        return release


class NotFoundView(ApiView):
    """Any other address under ``/api/``: a problem 404, whatever the method."""

    model = Event

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise NotFound(gettext("There is no such address in the API; see /api/docs/."))

    post = put = patch = delete = options = get

    def initial(self, request, *args, **kwargs):
        # Neither authentication nor permission: the answer is the same for all.
        self.format_kwarg = None


not_found = NotFoundView.as_view()
