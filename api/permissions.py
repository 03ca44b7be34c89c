"""Who may do what: anyone reads the published schedule; organisers' tokens edit it too."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from conference.admin_site import is_organiser

ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}
ACTION_REFUSED = {
    "add": _("Your account may not add %(things)s; a superuser can give it that permission."),
    "change": _("Your account may not change %(things)s; a superuser can give it that permission."),
    "delete": _("Your account may not delete %(things)s; a superuser can give it that permission."),
}


def reads_working_schedule(user):
    """Whether ``user`` sees the working schedule (drafts, cancelled talks, unpublished events)."""
    return bool(user and user.is_authenticated and is_organiser(user))


class ReadOrOrganiserWrite(permissions.BasePermission):
    """Reads for everyone; a write needs an organiser's token and the model's permission,

    the one the admin asks for the same edit (``schedule.change_talk`` for a
    talk's PATCH), read from the view's ``model``.
    """

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not reads_working_schedule(request.user):
            # (Without a token at all the view answers 401 with its own message.)
            self.message = gettext(
                "Only organisers' tokens change the schedule, and this token's account "
                "is not an organiser's."
            )
            return False
        model = view.model._meta
        action = ACTIONS.get(request.method, "change")
        if request.user.has_perm(f"{model.app_label}.{action}_{model.model_name}"):
            return True
        self.message = ACTION_REFUSED[action] % {"things": model.verbose_name_plural}
        return False
