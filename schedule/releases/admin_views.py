"""The admin's "Release schedule" page of an event: what a release would change, then release it.

The page reads the plan (``plan_release``) and writes nothing; its form posts
to itself, and the release is made by ``release_schedule``, whose refusal is
shown on the form. Only users who may add a release see it.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext

from conference.models import Event
from schedule.releases.forms import ReleaseForm
from schedule.releases.report import plan_report
from schedule.releases.service import (
    ReleaseRefused,
    next_release_number,
    plan_release,
    release_schedule,
)

PERMISSION = "schedule.add_release"


def release_page(request, event_id, *, admin_site):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    event = get_object_or_404(Event, pk=event_id)
    plan = plan_release(event)
    if request.method == "POST":
        form = ReleaseForm(request.POST, plan=plan)
        if form.is_valid():
            data = form.cleaned_data
            try:
                release, done = release_schedule(
                    event,
                    name=data["name"],
                    comment=data["comment"],
                    by=request.user,
                    notify=data["notify"],
                    allow_errors=data.get("release_anyway", False),
                )
            except ReleaseRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                speakers = len(done.speakers_to_tell) if data["notify"] else 0
                messages.success(
                    request,
                    gettext("Released “%(release)s” of %(event)s with %(changes)s; %(speakers)s.")
                    % {
                        "release": release.name,
                        "event": event.name,
                        "changes": ngettext(
                            "%(count)d change", "%(count)d changes", len(done.changes)
                        )
                        % {"count": len(done.changes)},
                        "speakers": ngettext(
                            "%(count)d speaker will be told",
                            "%(count)d speakers will be told",
                            speakers,
                        )
                        % {"count": speakers},
                    },
                )
                releases = reverse(f"{admin_site.name}:schedule_release_changelist")
                return redirect(f"{releases}?event__id__exact={event.pk}")
    else:
        form = ReleaseForm(plan=plan, initial={"name": str(next_release_number(event))})
    context = {
        **admin_site.each_context(request),
        "title": gettext("Release the schedule of %(event)s") % {"event": event.name},
        "event": event,
        "report": plan_report(plan),
        "plan": plan,
        "form": form,
        "opts": Event._meta,
        "event_url": reverse(f"{admin_site.name}:conference_event_change", args=[event.pk]),
    }
    return TemplateResponse(request, "admin/schedule/release/release_schedule.html", context)


def release_urls(admin_site):
    """The page's URL pattern, behind the admin's login."""
    view = admin_site.admin_view(partial(release_page, admin_site=admin_site))
    return [path("event/<int:event_id>/", view, name="schedule_release_schedule")]
