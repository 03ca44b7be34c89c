"""Errors as ``application/problem+json`` (RFC 9457): a message a person understands, and the field.

Every error of the API leaves through ``problem_exception_handler``: DRF's
own exceptions (validation, authentication, throttling, a missing page),
Django's ``Http404`` and ``PermissionDenied``, and the API's own
``Conflict`` (a clash) and ``PreconditionFailed`` (a stale write). The body is::

    {"type": "about:blank", "title": "Bad request", "status": 400,
     "detail": "day: Give a day as YYYY-MM-DD, e.g. 2012-11-07.",
     "errors": [{"field": "day", "message": "Give a day as YYYY-MM-DD, e.g. 2012-11-07."}]}

A field inside a list is named with its index (``speakers[0]``), and a body
that is no JSON, or not sent as JSON, is told how to send it.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
# The headers of DRF's error responses that tell the client what to do next.
KEPT_HEADERS = ("WWW-Authenticate", "Retry-After", "Allow")

TITLES = {
    400: _("Bad request"),
    401: _("Not signed in"),
    403: _("Not allowed"),
    404: _("Not found"),
    405: _("Method not allowed"),
    406: _("Not acceptable"),
    409: _("Conflict"),
    412: _("Precondition failed"),
    415: _("Unsupported media type"),
    429: _("Too many requests"),
}


class Conflict(exceptions.APIException):
    """The write would break a rule of the schedule (a clash); ``others`` are the talks involved."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The change clashes with the schedule.")
    default_code = "clash"

    def __init__(self, messages, *, others=()):
        self.messages = [str(message) for message in messages]
        super().__init__(" ".join(self.messages))
        self.others = list(others)


class PreconditionFailed(exceptions.APIException):
    """The client's copy (its ``If-Match``) is older than the stored row."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The talk changed since you read it.")
    default_code = "stale"


def _flatten(detail, field=None):
    """``(field, message)`` pairs from DRF's nested error detail, fields joined by dots."""
    if isinstance(detail, dict):
        for name, value in detail.items():
            if isinstance(name, int):  # an item of a list (``speakers[0]``), the first one too
                inner = f"{field}[{name}]" if field else f"[{name}]"
            elif name == "non_field_errors":
                inner = field
            else:
                inner = f"{field}.{name}" if field else name
            yield from _flatten(value, inner)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            inner = f"{field}[{index}]" if isinstance(value, dict) and field else field
            yield from _flatten(value, inner)
    else:
        yield field, str(detail)


def _in_plain_words(exc, context):
    """DRF's errors about the request's body, said as what to send instead."""
    if isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith("JSON parse error"):
        reason = str(exc.detail).removeprefix("JSON parse error - ")
        return exceptions.ParseError(
            gettext("The body is not valid JSON: %(reason)s.") % {"reason": reason}
        )
    if isinstance(exc, exceptions.UnsupportedMediaType):
        # The media type alone, without its parameters (boundary, charset).
        sent = context["request"].content_type.partition(";")[0].strip()[:100] or "none"
        return exceptions.UnsupportedMediaType(
            sent,
            detail=gettext(
                "Send the body as JSON, with “Content-Type: application/json” "
                "(this request's was “%(sent)s”)."
            )
            % {"sent": sent},
        )
    return exc


def problem_exception_handler(exc, context):
    exc = _in_plain_words(exc, context)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if str(exc) else None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an error the API knows: Django's 500 page (and its logging)
    code = response.status_code
    errors = [{"field": field, "message": message} for field, message in _flatten(exc.detail)]
    problem = {
        "type": "about:blank",
        "title": str(TITLES.get(code, _("Error"))),
        "status": code,
        "detail": " ".join(
            f"{error['field']}: {error['message']}" if error["field"] else error["message"]
            for error in errors
        ),
    }
    if isinstance(exc, exceptions.ValidationError) or any(error["field"] for error in errors):
        problem["errors"] = errors
    if isinstance(exc, Conflict):
        problem["clashes"] = exc.messages
        problem["other_talks"] = [
            {"id": str(talk.uuid), "title": talk.title} for talk in exc.others
        ]
    kept = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return Response(problem, status=code, headers=kept, content_type=PROBLEM_CONTENT_TYPE)
